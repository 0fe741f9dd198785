//! kubectl against the model: what each verb changes in the world, its
//! answers in kubectl's layout and wording, and its errors. The whole
//! transcript is in `tests/golden/kubectl.sh`; these assert the rules.

use dockyard_model::sim::eks::{PodPhase, PodPlacement};

use super::age;
use crate::aws::tests::TestCloud;

/// The start of the EKS Fargate lesson: the cluster jobs with no nodes,
/// the profile batch-profile (namespace batch), its report pods on
/// Fargate and the web pods (namespace default) Pending.
fn jobs() -> TestCloud {
    TestCloud::scenario(
        include_str!("../../../../scenarios/eks-fargate-profile.scenario.json"),
        4,
    )
}

/// A managed node group of `count` m5.large nodes across the default VPC's
/// subnets, so each node lands in a zone of its own.
fn add_workers(cloud: &mut TestCloud, count: u32) {
    let subnets: Vec<String> = cloud
        .world
        .default_vpc()
        .subnets
        .iter()
        .map(|s| s.subnet_id.clone())
        .collect();
    let out = cloud.run(&format!(
        "aws eks create-nodegroup --cluster-name jobs --nodegroup-name workers --scaling-config minSize={count},maxSize={count},desiredSize={count} --instance-types m5.large --node-role arn:aws:iam::111122223333:role/eksNodeRole --subnets {}",
        subnets.join(" ")
    ));
    assert_eq!(out.status, 0, "{out:?}");
}

fn with_file(mut cloud: TestCloud, name: &str, text: &str) -> TestCloud {
    cloud.files.insert(name.into(), text.into());
    cloud
}

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: shop
        image: nginx:1.27
        resources:
          requests: {cpu: 250m, memory: 256Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: shop
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
  minReplicas: 2
  maxReplicas: 6
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
";

#[test]
fn without_a_cluster_kubectl_cannot_connect_and_says_so() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("kubectl get pods");
    assert_eq!(out.status, 1);
    assert!(out
        .stderr
        .contains("The connection to the server localhost:8080 was refused"));
    assert!(out.notes[0].contains("aws eks create-cluster"));
}

#[test]
fn apply_creates_then_leaves_unchanged_then_configures() {
    let mut cloud = with_file(jobs(), "shop.yaml", WEB);
    let out = cloud.run("kubectl apply -f shop.yaml");
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "deployment.apps/shop created\nhorizontalpodautoscaler.autoscaling/shop created\n"
    );
    let shop = &cloud.world.eks().deployments["shop"];
    assert_eq!((shop.replicas, shop.cpu, shop.memory), (2, 250, 256));
    let hpa = shop.hpa.clone().expect("the HPA");
    assert_eq!((hpa.min_replicas, hpa.max_replicas), (2, 6));
    assert_eq!(hpa.target_cpu_utilization, 60.0);

    let again = cloud.run("kubectl apply -f shop.yaml");
    assert_eq!(
        again.stdout,
        "deployment.apps/shop unchanged\nhorizontalpodautoscaler.autoscaling/shop unchanged\n"
    );
    let create = cloud.run("kubectl create -f shop.yaml");
    assert_eq!(create.status, 1);
    assert!(create.stderr.starts_with(
        "Error from server (AlreadyExists): error when creating \"shop.yaml\": deployments.apps \"shop\" already exists"
    ), "{}", create.stderr);

    let bigger = WEB.replacen("replicas: 2", "replicas: 3", 1);
    cloud.files.insert("shop.yaml".into(), bigger);
    let configured = cloud.run("kubectl apply -f shop.yaml");
    assert!(configured
        .stdout
        .starts_with("deployment.apps/shop configured\n"));
    assert_eq!(cloud.world.eks().deployments["shop"].replicas, 3);
}

#[test]
fn a_profile_made_later_takes_pods_only_after_a_rollout_restart() {
    let mut cloud = jobs();
    let pending = cloud.run("kubectl get pods");
    assert!(
        pending
            .stdout
            .lines()
            .any(|l| l.starts_with("web-") && l.contains("Pending")),
        "{}",
        pending.stdout
    );
    let profile = cloud.run(
        "aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name web-profile \
         --pod-execution-role-arn arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole \
         --selectors namespace=default",
    );
    assert_eq!(profile.status, 0, "{}", profile.stderr);
    cloud.run("sleep 120");
    let web_on_fargate = |cloud: &TestCloud| {
        cloud
            .world
            .eks()
            .pods
            .values()
            .filter(|p| p.deployment == "web" && p.phase == PodPhase::Running)
            .filter(|p| matches!(p.placement, PodPlacement::Fargate { .. }))
            .count()
    };
    assert_eq!(
        web_on_fargate(&cloud),
        0,
        "the profile does not move pods that exist"
    );

    let restart = cloud.run("kubectl rollout restart deployment/web");
    assert_eq!(restart.stdout, "deployment.apps/web restarted\n");
    let status = cloud.run("kubectl rollout status deployment/web");
    assert_eq!(status.status, 0, "{status:?}");
    assert!(status
        .stdout
        .ends_with("deployment \"web\" successfully rolled out\n"));
    assert!(status.notes[0].contains("simulated clock moved on"));
    let replicas = cloud.world.eks().deployments["web"].replicas as usize;
    assert_eq!(web_on_fargate(&cloud), replicas);

    let wide = cloud.run("kubectl get pods -l app=web -o wide");
    let rows: Vec<&str> = wide.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), replicas, "{}", wide.stdout);
    assert!(rows.iter().all(|r| r.contains("fargate-ip-")));
    let nodes = cloud.run("kubectl get nodes");
    assert_eq!(
        nodes
            .stdout
            .lines()
            .filter(|l| l.starts_with("fargate-ip-"))
            .count(),
        cloud
            .world
            .eks()
            .pods
            .values()
            .filter(|p| matches!(p.placement, PodPlacement::Fargate { .. }))
            .count(),
        "one node object per Fargate pod"
    );
}

#[test]
fn the_api_server_refuses_an_invalid_deployment_in_its_own_words() {
    let bad =
        WEB.split("---")
            .next()
            .unwrap()
            .replacen("labels: {app: shop}", "labels: {app: other}", 1);
    let mut cloud = with_file(jobs(), "bad.yaml", &bad);
    let out = cloud.run("kubectl apply -f bad.yaml");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "The Deployment \"shop\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`\n"
    );
    assert!(!cloud.world.eks().deployments.contains_key("shop"));
}

#[test]
fn malformed_yaml_is_refused_with_its_line_and_nothing_changes() {
    let mut cloud = with_file(
        jobs(),
        "broken.yaml",
        "kind: Deployment\nmetadata:\n  name: a\n   bad: indent\n",
    );
    let before = cloud.world.eks().deployments.len();
    let out = cloud.run("kubectl apply -f broken.yaml");
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.starts_with(
            "error: error parsing broken.yaml: error converting YAML to JSON: yaml: line"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(cloud.world.eks().deployments.len(), before);
    let missing = cloud.run("kubectl apply -f nowhere.yaml");
    assert_eq!(
        missing.stderr,
        "error: the path \"nowhere.yaml\" does not exist\n"
    );
}

#[test]
fn kinds_and_fields_not_simulated_are_named_never_dropped() {
    let text =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";
    let mut cloud = with_file(jobs(), "settings.yaml", text);
    let out = cloud.run("kubectl apply -f settings.yaml");
    assert_eq!(out.status, 1);
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("configmap/settings") && n.contains("ConfigMap")),
        "{out:?}"
    );

    let ports = WEB.replacen(
        "        image: nginx:1.27\n",
        "        image: nginx:1.27\n        ports:\n        - containerPort: 80\n",
        1,
    );
    let mut cloud = with_file(jobs(), "shop.yaml", &ports);
    let out = cloud.run("kubectl apply -f shop.yaml");
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("spec.template.spec.containers[0].ports")),
        "{out:?}"
    );
}

#[test]
fn nodes_that_have_not_joined_are_not_listed() {
    let mut cloud = jobs();
    let out = cloud.run(
        "dockyard launch-self-managed-nodes --cluster jobs --name platform --instance-type m5.large --count 2 --node-role arn:aws:iam::111122223333:role/platform-node",
    );
    assert_eq!(out.status, 0, "{out:?}");
    cloud.run("sleep 600");
    assert_eq!(
        cloud
            .world
            .eks()
            .nodes
            .values()
            .filter(|n| !n.ready)
            .count(),
        2
    );
    let nodes = cloud.run("kubectl get nodes");
    assert!(!nodes.stdout.contains("ip-10-0-0"), "{}", nodes.stdout);
    cloud.run(
        "aws eks create-access-entry --cluster-name jobs --principal-arn arn:aws:iam::111122223333:role/platform-node --type EC2_LINUX",
    );
    cloud.run("sleep 300");
    let nodes = cloud.run("kubectl get nodes");
    let ec2 = nodes
        .stdout
        .lines()
        .filter(|l| l.starts_with("ip-"))
        .count();
    assert_eq!(ec2, 2, "{}", nodes.stdout);
}

#[test]
fn a_pending_pod_is_described_with_the_schedulers_reason() {
    let mut cloud = jobs();
    let pod = cloud
        .world
        .eks()
        .pods
        .values()
        .find(|p| p.deployment == "web" && p.phase == PodPhase::Pending)
        .expect("a Pending web pod")
        .name
        .clone();
    let reason = cloud.world.eks().pods[&pod].pending.clone().unwrap().1;
    let out = cloud.run(&format!("kubectl describe pod {pod}"));
    assert_eq!(out.status, 0);
    assert!(
        out.stdout.contains("Status:           Pending"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("PodScheduled      False"));
    let events = out.stdout.split("Events:").nth(1).unwrap();
    assert!(events.contains("FailedScheduling"), "{events}");
    assert!(
        events.contains(reason.trim_end_matches('.')),
        "{events}\n{reason}"
    );
}

#[test]
fn scale_autoscale_and_delete_change_the_model() {
    let mut cloud = jobs();
    let bad = cloud.run("kubectl scale deployment web --replicas=many");
    assert_eq!(bad.status, 1);
    assert!(bad
        .stderr
        .contains("invalid argument \"many\" for \"--replicas\" flag"));
    assert_eq!(
        cloud
            .run("kubectl scale deployment/web --replicas=4")
            .stdout,
        "deployment.apps/web scaled\n"
    );
    assert_eq!(cloud.world.eks().deployments["web"].replicas, 4);
    let missing = cloud.run("kubectl scale deployment ghost --replicas=1");
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): deployments.apps \"ghost\" not found\n"
    );

    let auto = cloud.run("kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=8");
    assert_eq!(
        auto.stdout, "horizontalpodautoscaler.autoscaling/web autoscaled\n",
        "{auto:?}"
    );
    let hpa = cloud.world.eks().deployments["web"].hpa.clone().unwrap();
    assert_eq!(
        (
            hpa.min_replicas,
            hpa.max_replicas,
            hpa.target_cpu_utilization
        ),
        (2, 8, 50.0)
    );
    let listed = cloud.run("kubectl get hpa");
    assert!(
        listed.stdout.starts_with("NAME   REFERENCE        TARGETS"),
        "{}",
        listed.stdout
    );
    assert!(listed.stdout.contains("/50%"));

    assert_eq!(
        cloud.run("kubectl delete hpa web").stdout,
        "horizontalpodautoscaler.autoscaling \"web\" deleted\n"
    );
    assert!(cloud.world.eks().deployments["web"].hpa.is_none());
    assert_eq!(
        cloud.run("kubectl delete deployment web").stdout,
        "deployment.apps \"web\" deleted\n"
    );
    assert!(!cloud.world.eks().deployments.contains_key("web"));
    assert!(cloud
        .world
        .eks()
        .pods
        .values()
        .all(|p| p.deployment != "web"));
}

#[test]
fn namespaces_listing_and_output_formats() {
    let mut cloud = jobs();
    let pods = cloud.run("kubectl get pods -A");
    assert!(
        pods.stdout.starts_with("NAMESPACE   NAME"),
        "{}",
        pods.stdout
    );
    assert!(
        pods.stdout.lines().any(|l| l.starts_with("batch ")),
        "{}",
        pods.stdout
    );
    let only_default = cloud.run("kubectl get pods");
    assert!(
        !only_default.stdout.contains("report-"),
        "{}",
        only_default.stdout
    );
    let empty = cloud.run("kubectl get pods -n nowhere");
    assert_eq!(empty.stderr, "No resources found in nowhere namespace.\n");

    let json = cloud.run("kubectl get deployment web -o json");
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value["kind"], "Deployment");
    assert_eq!(value["metadata"]["name"], "web");
    let list = cloud.run("kubectl get pods -A -o yaml");
    assert!(
        list.stdout.starts_with("apiVersion: v1\nitems:\n"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("kind: List"));
    let wrong = cloud.run("kubectl get pods -o table");
    assert_eq!(wrong.status, 1);
    assert!(wrong
        .stderr
        .contains("unable to match a printer suitable for the output format \"table\""));
}

#[test]
fn errors_are_kubectls() {
    let mut cloud = jobs();
    let unknown = cloud.run("kubectl gett pods");
    assert_eq!(
        unknown.stderr,
        "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"
    );
    let flag = cloud.run("kubectl get pods --colour=always");
    assert_eq!(flag.status, 1);
    assert!(flag.stderr.starts_with("error: unknown flag: --colour"));
    let kind = cloud.run("kubectl get widgets");
    assert_eq!(
        kind.stderr,
        "error: the server doesn't have a resource type \"widgets\"\n"
    );
}

#[test]
fn ages_are_printed_as_kubectl_prints_them() {
    let s = |n: u64| n * 1000;
    let cases = [
        (0, "0s"),
        (s(119), "119s"),
        (s(120), "2m"),
        (s(125), "2m5s"),
        (s(600), "10m"),
        (s(179 * 60), "179m"),
        (s(3 * 3600), "3h"),
        (s(3 * 3600 + 300), "3h5m"),
        (s(8 * 3600), "8h"),
        (s(47 * 3600), "47h"),
        (s(48 * 3600), "2d"),
        (s(51 * 3600), "2d3h"),
        (s(8 * 86_400), "8d"),
    ];
    for (elapsed, text) in cases {
        assert_eq!(age(0, elapsed), text, "{elapsed} ms");
    }
}

#[test]
fn the_editor_hears_what_kubectl_apply_would_say() {
    let findings = crate::check_manifest("shop.yaml", WEB);
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| !f.refused), "{findings:?}");
    assert_eq!(
        findings[0].message,
        "deployment.apps/shop: valid; kubectl apply -f would send it."
    );
    let broken = crate::check_manifest("shop.yaml", "kind: [\n");
    assert!(broken[0].refused);
    assert!(
        broken[0]
            .message
            .starts_with("error converting YAML to JSON: yaml: line"),
        "{broken:?}"
    );
    let bad = crate::check_manifest(
        "shop.yaml",
        &WEB.replacen("labels: {app: shop}", "labels: {app: other}", 1),
    );
    assert!(bad[0].refused);
    assert!(bad[0]
        .message
        .starts_with("The Deployment \"shop\" is invalid: spec.template.metadata.labels"));
}

/// A claim and a one-replica Deployment using it, in `namespace`.
fn claim_and_deployment(namespace: &str, class: &str, extra: &str) -> String {
    format!(
        "{extra}apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: data, namespace: {namespace}}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: {class}
  resources: {{requests: {{storage: 4Gi}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: ledger, namespace: {namespace}}}
spec:
  selector: {{matchLabels: {{app: ledger}}}}
  template:
    metadata: {{labels: {{app: ledger}}}}
    spec:
      containers:
      - {{name: ledger, image: postgres:16, resources: {{requests: {{cpu: 250m, memory: 512Mi}}}}}}
      volumes:
      - name: data
        persistentVolumeClaim: {{claimName: data}}
"
    )
}

fn ledger(cloud: &TestCloud) -> Vec<(PodPhase, String)> {
    cloud
        .world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "ledger")
        .map(|p| {
            (
                p.phase,
                p.pending.clone().map(|(_, r)| r).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn on_fargate_ebs_is_refused_and_static_efs_runs() {
    let ebs = claim_and_deployment(
        "batch",
        "ebs-sc",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ebs-sc}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n---\n",
    );
    let mut cloud = with_file(jobs(), "ebs.yaml", &ebs);
    cloud.run("kubectl create namespace batch");
    let out = cloud.run("kubectl apply -f ebs.yaml");
    assert_eq!(out.status, 0, "{out:?}");
    let pods = ledger(&cloud);
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0].0, PodPhase::Pending);
    assert!(pods[0].1.starts_with("Pod not supported on Fargate (profile batch-profile): its PersistentVolumeClaim is for EBS"), "{pods:?}");
    let claim = cloud.run("kubectl describe pvc data -n batch");
    assert!(
        claim.stdout.contains("WaitForFirstConsumer"),
        "{}",
        claim.stdout
    );
    assert!(claim
        .stdout
        .contains("waiting for first consumer to be created before binding"));

    let efs = claim_and_deployment(
        "batch",
        "efs-sc",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: efs-sc}\nprovisioner: efs.csi.aws.com\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: efs-pv}\nspec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteMany]\n  storageClassName: efs-sc\n  csi: {driver: efs.csi.aws.com, volumeHandle: fs-4af69aab}\n---\n",
    )
    .replace("[ReadWriteOnce]", "[ReadWriteMany]");
    let mut cloud = with_file(jobs(), "efs.yaml", &efs);
    cloud.run("kubectl create namespace batch");
    assert_eq!(cloud.run("kubectl apply -f efs.yaml").status, 0);
    cloud.run("sleep 120");
    let pods = ledger(&cloud);
    assert_eq!(pods[0].0, PodPhase::Running, "{pods:?}");
    let pvc = cloud.run("kubectl get pvc -n batch");
    assert!(
        pvc.stdout.contains("data   Bound    efs-pv"),
        "{}",
        pvc.stdout
    );
    // The lesson's goal reads the storage through the claim.
    let d = &cloud.world.eks().deployments["ledger"];
    assert_eq!(
        cloud.world.eks().volume_of(d).map(|v| v.storage),
        Some(dockyard_model::sim::eks::PodStorage::Efs)
    );
}

#[test]
fn an_ebs_volume_keeps_its_pod_in_its_zone() {
    let mut cloud = jobs();
    add_workers(&mut cloud, 2);
    cloud.run("sleep 300");
    let zones: std::collections::BTreeSet<String> = cloud
        .world
        .eks()
        .nodes
        .values()
        .map(|n| n.az.clone())
        .collect();
    let elsewhere = ["us-east-1a", "us-east-1b", "us-east-1c"]
        .into_iter()
        .find(|z| !zones.contains(*z))
        .expect("two nodes leave a zone empty");
    let pv = format!(
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: old-disk}}\nspec:\n  capacity: {{storage: 10Gi}}\n  accessModes: [ReadWriteOnce]\n  csi: {{driver: ebs.csi.aws.com, volumeHandle: vol-1}}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {{key: topology.ebs.csi.aws.com/zone, operator: In, values: [{elsewhere}]}}\n---\n"
    );
    let manifest =
        claim_and_deployment("default", "\"\"", &pv).replace("storage: 4Gi", "storage: 10Gi");
    let mut cloud = with_file(cloud, "db.yaml", &manifest);
    let out = cloud.run("kubectl apply -f db.yaml");
    assert_eq!(out.status, 0, "{out:?}");
    let pods = ledger(&cloud);
    assert_eq!(pods[0].0, PodPhase::Pending);
    assert_eq!(
        pods[0].1,
        "0/5 nodes are available: 2 node(s) had volume node affinity conflict, 3 node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}."
    );
    let pv = cloud.run("kubectl describe pv old-disk");
    assert!(
        pv.stdout
            .contains(&format!("topology.kubernetes.io/zone in [{elsewhere}]")),
        "{}",
        pv.stdout
    );
}

#[test]
fn a_missing_claim_keeps_pods_pending_and_wait_for_first_consumer_binds_in_the_pods_zone() {
    let mut cloud = jobs();
    add_workers(&mut cloud, 1);
    cloud.run("sleep 300");
    let deployment_only = claim_and_deployment("default", "ebs-sc", "")
        .split("---\n")
        .nth(1)
        .unwrap()
        .to_string();
    let mut cloud = with_file(cloud, "app.yaml", &deployment_only);
    assert_eq!(cloud.run("kubectl apply -f app.yaml").status, 0);
    assert_eq!(
        ledger(&cloud)[0].1,
        "0/4 nodes are available: persistentvolumeclaim \"data\" not found."
    );

    let class_and_claim = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ebs-sc}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n---\n".to_string()
        + claim_and_deployment("default", "ebs-sc", "").split("---\n").next().unwrap();
    let mut cloud = with_file(cloud, "claim.yaml", &class_and_claim);
    assert_eq!(cloud.run("kubectl apply -f claim.yaml").status, 0);
    cloud.run("sleep 60");
    assert_eq!(
        ledger(&cloud)[0].0,
        PodPhase::Running,
        "{:?}",
        ledger(&cloud)
    );
    let node_zone = cloud.world.eks().nodes.values().next().unwrap().az.clone();
    let pv = cloud
        .world
        .eks()
        .storage
        .volumes
        .values()
        .next()
        .expect("a provisioned volume");
    assert!(pv.dynamic);
    assert_eq!(pv.spec.zone.as_deref(), Some(node_zone.as_str()));
    let described = cloud.run("kubectl describe pvc data");
    assert!(
        described.stdout.contains("ProvisioningSucceeded"),
        "{}",
        described.stdout
    );
    let deleted = cloud.run("kubectl delete pvc data");
    assert_eq!(deleted.status, 1, "in use: {deleted:?}");
}

#[test]
fn a_claim_naming_a_volume_too_small_for_it_stays_pending_and_says_why() {
    let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: small}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteMany]\n  csi: {driver: efs.csi.aws.com, volumeHandle: fs-12345678}\n---\n";
    let manifest = claim_and_deployment("default", "\"\"", pv).replace(
        "  storageClassName: \"\"\n",
        "  storageClassName: \"\"\n  volumeName: small\n",
    );
    let mut cloud = with_file(jobs(), "data.yaml", &manifest);
    assert_eq!(cloud.run("kubectl apply -f data.yaml").status, 0);
    let pvc = cloud.run("kubectl get pvc data");
    assert!(pvc.stdout.contains("Pending"), "{}", pvc.stdout);
    let described = cloud.run("kubectl describe pvc data");
    assert!(
        described.stdout.contains("VolumeMismatch")
            && described
                .stdout
                .contains("Cannot bind to requested volume \"small\": requested PV is too small"),
        "{}",
        described.stdout
    );
    assert_eq!(
        ledger(&cloud)[0].1,
        // The three report pods' Fargate nodes count.
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."
    );
}

#[test]
fn ebs_cannot_be_read_write_many_the_driver_refuses_and_the_pod_waits() {
    // Immediate: the driver is asked at once and refuses.
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ebs-sc}\nprovisioner: ebs.csi.aws.com\n---\n";
    let manifest = claim_and_deployment("default", "ebs-sc", class).replace(
        "accessModes: [ReadWriteOnce]",
        "accessModes: [ReadWriteMany]",
    );
    let mut cloud = jobs();
    add_workers(&mut cloud, 1);
    cloud.run("sleep 300");
    let mut cloud = with_file(cloud, "shared.yaml", &manifest);
    assert_eq!(cloud.run("kubectl apply -f shared.yaml").status, 0);
    let failure = "failed to provision volume with StorageClass \"ebs-sc\": rpc error: code = InvalidArgument desc = Volume capabilities MULTI_NODE_MULTI_WRITER not supported. Only AccessModes[ReadWriteOnce] supported.";
    let described = cloud.run("kubectl describe pvc data");
    assert!(
        described.stdout.contains("ProvisioningFailed") && described.stdout.contains(failure),
        "{}",
        described.stdout
    );
    assert!(cloud.world.eks().storage.volumes.is_empty());
    assert_eq!(
        ledger(&cloud)[0].1,
        "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims."
    );

    // WaitForFirstConsumer: the scheduler picks a node, then the
    // VolumeBinding plugin's PreBind fails.
    let waiting = manifest.replace(
        "provisioner: ebs.csi.aws.com\n",
        "provisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n",
    );
    let mut cloud = jobs();
    add_workers(&mut cloud, 1);
    cloud.run("sleep 300");
    let mut cloud = with_file(cloud, "shared.yaml", &waiting);
    assert_eq!(cloud.run("kubectl apply -f shared.yaml").status, 0);
    assert_eq!(
        ledger(&cloud)[0].1,
        "running PreBind plugin \"VolumeBinding\": binding volumes: provisioning failed for PVC \"data\""
    );
    assert!(cloud
        .run("kubectl describe pvc data")
        .stdout
        .contains(failure));

    // EFS serves ReadWriteMany, so the same claim on EFS binds.
    let efs = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: shared}\nspec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteMany]\n  storageClassName: efs-sc\n  csi: {driver: efs.csi.aws.com, volumeHandle: fs-12345678}\n---\n";
    let manifest = claim_and_deployment("default", "efs-sc", efs).replace(
        "accessModes: [ReadWriteOnce]",
        "accessModes: [ReadWriteMany]",
    );
    let mut cloud = with_file(jobs(), "shared.yaml", &manifest);
    assert_eq!(cloud.run("kubectl apply -f shared.yaml").status, 0);
    let pvc = cloud.run("kubectl get pvc data");
    assert!(
        pvc.stdout.contains("Bound") && pvc.stdout.contains("RWX"),
        "{}",
        pvc.stdout
    );
}

#[test]
fn a_claim_binds_only_to_a_volume_offering_its_access_modes() {
    let rwo = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: single}\nspec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteOnce]\n  csi: {driver: efs.csi.aws.com, volumeHandle: fs-12345678}\n---\n";
    let manifest = claim_and_deployment("default", "\"\"", rwo).replace(
        "accessModes: [ReadWriteOnce]\n  storageClassName",
        "accessModes: [ReadWriteMany]\n  storageClassName",
    );
    let mut cloud = with_file(jobs(), "data.yaml", &manifest);
    assert_eq!(cloud.run("kubectl apply -f data.yaml").status, 0);
    assert!(cloud.run("kubectl get pvc data").stdout.contains("Pending"));
    let named = manifest.replace(
        "  storageClassName: \"\"\n",
        "  storageClassName: \"\"\n  volumeName: single\n",
    );
    let mut cloud = with_file(jobs(), "data.yaml", &named);
    assert_eq!(cloud.run("kubectl apply -f data.yaml").status, 0);
    let described = cloud.run("kubectl describe pvc data");
    assert!(
        described
            .stdout
            .contains("Cannot bind to requested volume \"single\": incompatible accessMode"),
        "{}",
        described.stdout
    );
    let bad = manifest.replace(
        "[ReadWriteMany]\n  storageClassName",
        "[ReadWriteOncePod, ReadWriteMany]\n  storageClassName",
    );
    let mut cloud = with_file(jobs(), "data.yaml", &bad);
    let out = cloud.run("kubectl apply -f data.yaml");
    assert!(
        out.stderr
            .contains("may not use ReadWriteOncePod with other access modes"),
        "{out:?}"
    );
}

/// The lesson ebs-holds-its-pods-to-one-zone's start: two nodes in two
/// zones, and two 1200m catalog pods sharing one EBS claim.
fn catalog() -> TestCloud {
    TestCloud::scenario(
        include_str!("../../../../scenarios/eks-ebs-zone-affinity.scenario.json"),
        5,
    )
}

#[test]
fn an_ebs_volume_attaches_to_one_node_and_a_second_pod_waits_for_it() {
    let mut cloud = catalog();
    cloud.run("sleep 180");
    let zones = cloud.run("kubectl get nodes -L topology.kubernetes.io/zone");
    assert!(
        zones.stdout.lines().next().unwrap().ends_with("ZONE"),
        "{}",
        zones.stdout
    );
    assert!(zones.stdout.contains("us-east-1a") && zones.stdout.contains("us-east-1b"));
    let pending = cloud.run("kubectl describe pod catalog-00002");
    assert!(
        pending.stdout.contains(
            "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had volume node affinity conflict."
        ),
        "{}",
        pending.stdout
    );
    // More nodes: the second pod lands on another node in the volume's
    // zone, and the attach/detach controller refuses to attach it there.
    let grown = cloud.run(
        "aws eks update-nodegroup-config --cluster-name shop --nodegroup-name workers --scaling-config minSize=2,maxSize=4,desiredSize=4",
    );
    assert_eq!(grown.status, 0, "{grown:?}");
    cloud.run("sleep 300");
    let eks = cloud.world.eks();
    let (first, second) = (&eks.pods["catalog-00001"], &eks.pods["catalog-00002"]);
    assert_eq!(first.phase, PodPhase::Running);
    assert_eq!(second.phase, PodPhase::ContainerCreating);
    let node_of = |p: &dockyard_model::sim::eks::Pod| match &p.placement {
        dockyard_model::sim::eks::PodPlacement::Node { node } => eks.nodes[node].az.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(node_of(first), node_of(second), "same zone, another node");
    let described = cloud.run("kubectl describe pod catalog-00002");
    assert!(
        described.stdout.contains("FailedAttachVolume")
            && described.stdout.contains("attachdetach-controller")
            && described.stdout.contains(
                "Multi-Attach error for volume \"pvc-5eed0001-0001\" Volume is already used by pod(s) catalog-00001"
            ),
        "{}",
        described.stdout
    );
    // Once the first pod is gone, the volume attaches to the second's node.
    let deleted = cloud.run("kubectl delete pod catalog-00001");
    assert_eq!(deleted.stdout, "pod \"catalog-00001\" deleted\n");
    let replacement = cloud.world.eks().pods.keys().any(|p| p == "catalog-00003");
    assert!(replacement, "the ReplicaSet replaces a deleted pod at once");
    cloud.run("sleep 60");
    assert_eq!(
        cloud.world.eks().pods["catalog-00002"].phase,
        PodPhase::Running
    );
    let missing = cloud.run("kubectl delete pod catalog-00001");
    assert_eq!(missing.status, 1);
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): pods \"catalog-00001\" not found\n"
    );
}

#[test]
fn top_reports_the_cpu_the_hpa_acts_on() {
    let mut cloud = TestCloud::scenario(
        include_str!("../../../../scenarios/eks-hpa-cluster-autoscaler.scenario.json"),
        11,
    );
    let early = cloud.run("kubectl top pods");
    assert_eq!(early.status, 1);
    assert_eq!(early.stderr, "error: metrics not available yet\n");
    cloud.run("sleep 300");
    // 400m of work shared by the two Running web pods (500m requested).
    let pods = cloud.run("kubectl top pods");
    assert_eq!(pods.status, 0, "{pods:?}");
    let rows: Vec<Vec<&str>> = pods
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert_eq!(rows.len(), 3, "{}", pods.stdout);
    assert!(
        rows[1..].iter().all(|r| r[1] == "200m" && r[2] == "512Mi"),
        "{}",
        pods.stdout
    );
    assert!(pods
        .notes
        .iter()
        .any(|n| n.contains("does not simulate memory use")));
    let nodes = cloud.run("kubectl top nodes");
    let header: Vec<&str> = nodes
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    );
    let total: u32 = nodes
        .stdout
        .lines()
        .skip(1)
        .map(|l| {
            l.split_whitespace()
                .nth(1)
                .unwrap()
                .trim_end_matches('m')
                .parse::<u32>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, 400, "{}", nodes.stdout);
    let hpa = cloud.run("kubectl get hpa web");
    assert!(hpa.stdout.contains("cpu: 40%/50%"), "{}", hpa.stdout);
}

/// The API server accepts an HPA whose target requests no CPU; the HPA
/// then says, as the controller does, that it cannot compute utilisation.
#[test]
fn an_hpa_without_a_cpu_request_is_created_and_reports_the_missing_request() {
    let mut cloud = jobs();
    add_workers(&mut cloud, 2);
    let cloud = &mut with_file(
        cloud,
        "plain.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: plain\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: plain}\n  template:\n    metadata:\n      labels: {app: plain}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n",
    );
    assert_eq!(cloud.run("kubectl apply -f plain.yaml").status, 0);
    crate::Cloud::advance(cloud, 300_000);
    let auto = cloud.run("kubectl autoscale deployment plain --cpu-percent=50 --min=1 --max=4");
    assert_eq!(auto.status, 0, "{auto:?}");
    crate::Cloud::advance(cloud, 60_000);
    let listed = cloud.run("kubectl get hpa plain");
    assert!(
        listed.stdout.contains("cpu: <unknown>/50%"),
        "{}",
        listed.stdout
    );
    let described = cloud.run("kubectl describe hpa plain");
    assert!(
        described.stdout.contains(
            "ScalingActive   False    FailedGetResourceMetric   the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod plain-"
        ),
        "{}",
        described.stdout
    );
}
