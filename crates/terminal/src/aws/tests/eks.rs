//! `aws eks`: every operation's answer (each checked against EKS's output
//! shapes), its errors as the CLI prints them, what is not simulated
//! changing nothing, and the model's effects: nodes launched and removed,
//! pods on Fargate after a profile and a restart, and an access entry
//! letting self-managed nodes join.

use serde_json::Value;

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::Command;

use super::{checked, subnets, TestCloud};
use crate::{api, Cloud};

const ACCOUNT: &str = "111122223333";

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// The start of the EKS lessons: the cluster jobs with no nodes, the
/// profile batch-profile, the report pods on Fargate and web Pending.
fn jobs() -> TestCloud {
    TestCloud::scenario(
        include_str!("../../../../../scenarios/eks-fargate-profile.scenario.json"),
        4,
    )
}

fn error(cloud: &mut TestCloud, line: &str) -> String {
    let out = cloud.run(line);
    assert_eq!(out.status, 254, "{line}\n{}{}", out.stdout, out.stderr);
    out.stderr
}

#[test]
fn clusters_are_created_described_and_listed() {
    let mut cloud = TestCloud::web_on_fargate();
    let subnets = subnets(&cloud).replace(',', " ");
    let first = subnets.split(' ').next().unwrap().to_string();
    let out = cloud.run(&format!(
        "aws eks create-cluster --name jobs --role-arn {} --resources-vpc-config subnetIds={first}",
        role("eksClusterRole")
    ));
    assert_eq!(out.status, 254);
    assert!(
        out.stderr.contains("(InvalidParameterException)")
            && out.stderr.contains("at least two different AZs"),
        "{}",
        out.stderr
    );
    let line = format!(
        "aws eks create-cluster --name jobs --role-arn {} --resources-vpc-config subnetIds={}",
        role("eksClusterRole"),
        subnets.replace(' ', ",")
    );
    let out = cloud.run(&line);
    assert!(
        out.notes.iter().any(|n| n.contains("about 10 minutes")),
        "{:?}",
        out.notes
    );
    let created = checked(&mut TestCloud::web_on_fargate(), &line);
    assert_eq!(created["cluster"]["status"], "ACTIVE");
    assert_eq!(
        created["cluster"]["arn"],
        format!("arn:aws:eks:us-east-1:{ACCOUNT}:cluster/jobs")
    );
    assert_eq!(created["cluster"]["roleArn"], role("eksClusterRole"));
    assert_eq!(created["cluster"]["createdAt"], "2026-01-01T00:00:00+00:00");
    let described = checked(&mut cloud, "aws eks describe-cluster --name jobs");
    assert_eq!(
        described["cluster"]["resourcesVpcConfig"]["subnetIds"]
            .as_array()
            .unwrap()
            .len(),
        subnets.split(' ').count()
    );
    let listed = checked(&mut cloud, "aws eks list-clusters");
    assert_eq!(listed["clusters"], serde_json::json!(["jobs"]));
    assert_eq!(
        error(&mut cloud, &line),
        "\nAn error occurred (ResourceInUseException) when calling the CreateCluster operation: Cluster already exists with name: jobs\n"
    );
    assert_eq!(
        error(&mut cloud, "aws eks describe-cluster --name nowhere"),
        "\nAn error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: nowhere.\n"
    );
    let out = cloud.run(&format!(
        "aws eks create-cluster --name other --role-arn not-an-arn --resources-vpc-config subnetIds={}",
        subnets.replace(' ', ",")
    ));
    assert!(
        out.stderr.contains("(InvalidParameterException)"),
        "{}",
        out.stderr
    );
    // Auto Mode is not in the model: said in Dockyard's voice, nothing made.
    let out = cloud.run(&format!(
        "aws eks create-cluster --name auto --role-arn {} --resources-vpc-config subnetIds={} --compute-config enabled=true",
        role("eksClusterRole"),
        subnets.replace(' ', ",")
    ));
    assert_eq!(out.status, 255);
    assert!(
        out.stderr
            .contains("[dockyard] CreateCluster is not simulated"),
        "{}",
        out.stderr
    );
    assert_eq!(cloud.world.eks().clusters.len(), 1);
}

#[test]
fn managed_node_groups_launch_scale_and_refuse() {
    let mut cloud = jobs();
    let subnets = subnets(&cloud).replace(',', " ");
    let line = format!(
        "aws eks create-nodegroup --cluster-name jobs --nodegroup-name workers --scaling-config minSize=1,maxSize=4,desiredSize=2 --instance-types m5.large --node-role {} --subnets {subnets}",
        role("eksNodeRole")
    );
    let created = checked(&mut cloud, &line);
    let group = &created["nodegroup"];
    assert_eq!(group["status"], "CREATING");
    assert_eq!(group["capacityType"], "ON_DEMAND");
    assert_eq!(group["scalingConfig"]["desiredSize"], 2);
    assert_eq!(group["nodeRole"], role("eksNodeRole"));
    assert!(group["nodegroupArn"]
        .as_str()
        .unwrap()
        .starts_with(&format!(
            "arn:aws:eks:us-east-1:{ACCOUNT}:nodegroup/jobs/workers/"
        )));
    assert_eq!(cloud.world.eks().groups["workers"].nodes.len(), 2);
    // EKS made the managed group's access entry (and the Fargate profile's).
    let entries = checked(
        &mut cloud,
        "aws eks list-access-entries --cluster-name jobs",
    );
    assert_eq!(
        entries["accessEntries"],
        serde_json::json!([
            role("AmazonEKSFargatePodExecutionRole"),
            role("eksNodeRole")
        ])
    );
    let fargate = checked(
        &mut cloud,
        &format!(
            "aws eks describe-access-entry --cluster-name jobs --principal-arn {}",
            role("AmazonEKSFargatePodExecutionRole")
        ),
    );
    assert_eq!(fargate["accessEntry"]["type"], "FARGATE_LINUX");
    cloud.advance(300_000);
    let described = checked(
        &mut cloud,
        "aws eks describe-nodegroup --cluster-name jobs --nodegroup-name workers",
    );
    assert_eq!(described["nodegroup"]["status"], "ACTIVE");
    // The Pending web pods were scheduled on the new nodes.
    assert!(cloud
        .world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web")
        .all(|p| matches!(p.placement, PodPlacement::Node { .. })));
    let listed = checked(&mut cloud, "aws eks list-nodegroups --cluster-name jobs");
    assert_eq!(listed["nodegroups"], serde_json::json!(["workers"]));
    let update = checked(
        &mut cloud,
        "aws eks update-nodegroup-config --cluster-name jobs --nodegroup-name workers --scaling-config desiredSize=4",
    );
    assert_eq!(update["update"]["type"], "ConfigUpdate");
    assert_eq!(update["update"]["params"][0]["type"], "DesiredSize");
    assert_eq!(cloud.world.eks().groups["workers"].nodes.len(), 4);
    checked(
        &mut cloud,
        "aws eks update-nodegroup-config --cluster-name jobs --nodegroup-name workers --scaling-config minSize=1,desiredSize=1",
    );
    assert_eq!(cloud.world.eks().groups["workers"].nodes.len(), 1);
    let out = error(
        &mut cloud,
        "aws eks update-nodegroup-config --cluster-name jobs --nodegroup-name workers --scaling-config desiredSize=9",
    );
    assert!(
        out.contains("(InvalidParameterException)") && out.contains("maxSize"),
        "{out}"
    );
    assert_eq!(
        error(&mut cloud, &line),
        "\nAn error occurred (ResourceInUseException) when calling the CreateNodegroup operation: NodeGroup already exists with name workers and cluster name jobs\n"
    );
    assert_eq!(
        error(&mut cloud, "aws eks describe-nodegroup --cluster-name jobs --nodegroup-name ghost"),
        "\nAn error occurred (ResourceNotFoundException) when calling the DescribeNodegroup operation: No node group found for name: ghost.\n"
    );
    assert!(
        error(&mut cloud, "aws eks list-nodegroups --cluster-name nowhere")
            .contains("No cluster found for name: nowhere.")
    );
    // Spot is simulated; Capacity Blocks are not, and change nothing.
    let spot = checked(
        &mut cloud,
        &line
            .replace("workers", "spot")
            .replace("--instance-types", "--capacity-type SPOT --instance-types"),
    );
    assert_eq!(spot["nodegroup"]["capacityType"], "SPOT");
    let out = cloud.run(&line.replace("workers", "block").replace(
        "--instance-types",
        "--capacity-type CAPACITY_BLOCK --instance-types",
    ));
    assert_eq!(out.status, 255);
    assert!(out.stderr.contains("CAPACITY_BLOCK"), "{}", out.stderr);
    assert!(!cloud.world.eks().groups.contains_key("block"));
    let out = cloud.run(
        &line
            .replace("workers", "typo")
            .replace("m5.large", "m5.huge"),
    );
    assert!(
        out.stderr.contains("(InvalidParameterException)"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_fargate_profile_takes_pods_created_after_it() {
    let mut cloud = jobs();
    let line = format!(
        "aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name web-profile --pod-execution-role-arn {} --selectors namespace=default",
        role("AmazonEKSFargatePodExecutionRole")
    );
    let created = checked(&mut cloud, &line);
    assert_eq!(created["fargateProfile"]["status"], "ACTIVE");
    assert_eq!(
        created["fargateProfile"]["selectors"],
        serde_json::json!([{"namespace": "default"}])
    );
    let out = cloud.run(&line.replace("web-profile", "again"));
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("only pods created from now on")),
        "{:?}",
        out.notes
    );
    // The web pods that were Pending stay so: Fargate is chosen at creation.
    cloud.advance(120_000);
    let web = |cloud: &TestCloud, phase: PodPhase| {
        cloud
            .world
            .eks()
            .pods
            .values()
            .filter(|p| p.deployment == "web" && p.phase == phase)
            .count()
    };
    assert_eq!(web(&cloud, PodPhase::Pending), 2);
    // Recreated, they run on Fargate.
    for replicas in [0, 2] {
        cloud
            .apply(Command::ScaleDeployment {
                deployment: "web".into(),
                replicas,
            })
            .unwrap();
    }
    cloud.advance(120_000);
    assert_eq!(web(&cloud, PodPhase::Running), 2);
    let described = checked(
        &mut cloud,
        "aws eks describe-fargate-profile --cluster-name jobs --fargate-profile-name web-profile",
    );
    assert_eq!(
        described["fargateProfile"]["podExecutionRoleArn"],
        role("AmazonEKSFargatePodExecutionRole")
    );
    let listed = checked(
        &mut cloud,
        "aws eks list-fargate-profiles --cluster-name jobs",
    );
    assert_eq!(
        listed["fargateProfileNames"],
        serde_json::json!(["again", "batch-profile", "web-profile"])
    );
    assert!(error(&mut cloud, &line).contains("(ResourceInUseException)"));
    assert_eq!(
        error(&mut cloud, "aws eks describe-fargate-profile --cluster-name jobs --fargate-profile-name ghost"),
        "\nAn error occurred (ResourceNotFoundException) when calling the DescribeFargateProfile operation: No Fargate Profile found with name: ghost.\n"
    );
    assert!(error(&mut cloud, &line.replace("web-profile", "eks-web"))
        .contains("reserved prefix: 'eks-'"));
    // Several selectors, up to five; labels must all match.
    let several = checked(
        &mut cloud,
        &format!(
            "aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name multi --pod-execution-role-arn {} --selectors '[{{\"namespace\": \"api\"}}, {{\"namespace\": \"tools\", \"labels\": {{\"tier\": \"batch\"}}}}]'",
            role("AmazonEKSFargatePodExecutionRole")
        ),
    );
    assert_eq!(
        several["fargateProfile"]["selectors"][1]["labels"]["tier"],
        "batch"
    );
    let six = (0..6)
        .map(|i| format!("{{\"namespace\": \"n{i}\"}}"))
        .collect::<Vec<_>>()
        .join(", ");
    let out = error(
        &mut cloud,
        &format!(
            "aws eks create-fargate-profile --cluster-name jobs --fargate-profile-name six --pod-execution-role-arn {} --selectors '[{six}]'",
            role("AmazonEKSFargatePodExecutionRole")
        ),
    );
    assert!(out.contains("at most 5 selectors"), "{out}");
}

#[test]
fn an_access_entry_lets_self_managed_nodes_join() {
    let mut cloud = jobs();
    let node_role = role("platform-node");
    let out = cloud.run(&format!(
        "dockyard launch-self-managed-nodes --cluster jobs --name platform-asg --instance-type m5.large --count 2 --node-role {node_role}"
    ));
    assert_eq!(out.status, 0, "{}", out.stderr);
    cloud.advance(300_000);
    // They boot, and are refused: no access entry maps their role.
    assert!(cloud.world.eks().nodes.values().all(|n| !n.ready));
    // EKS's node group API does not know a self-managed group.
    assert!(error(
        &mut cloud,
        "aws eks describe-nodegroup --cluster-name jobs --nodegroup-name platform-asg"
    )
    .contains("No node group found"));
    let line = format!(
        "aws eks create-access-entry --cluster-name jobs --principal-arn {node_role} --type EC2_LINUX"
    );
    let created = checked(&mut cloud, &line);
    let entry = &created["accessEntry"];
    assert_eq!(entry["type"], "EC2_LINUX");
    assert_eq!(entry["username"], "system:node:{{EC2PrivateDNSName}}");
    assert!(entry["accessEntryArn"]
        .as_str()
        .unwrap()
        .starts_with(&format!(
            "arn:aws:eks:us-east-1:{ACCOUNT}:access-entry/jobs/role/{ACCOUNT}/platform-node/"
        )));
    assert!(cloud.world.eks().nodes.values().all(|n| n.ready));
    cloud.advance(120_000);
    assert!(cloud
        .world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web")
        .all(|p| p.phase == PodPhase::Running));
    assert_eq!(
        error(&mut cloud, &line),
        "\nAn error occurred (ResourceInUseException) when calling the CreateAccessEntry operation: The specified access entry resource is already in use on this cluster.\n"
    );
    let described = checked(
        &mut cloud,
        &format!("aws eks describe-access-entry --cluster-name jobs --principal-arn {node_role}"),
    );
    assert_eq!(described["accessEntry"]["principalArn"], node_role.as_str());
    let policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    assert_eq!(
        error(&mut cloud, &format!("aws eks associate-access-policy --cluster-name jobs --principal-arn {node_role} --policy-arn {policy} --access-scope type=cluster")),
        "\nAn error occurred (InvalidParameterException) when calling the AssociateAccessPolicy operation: This operation can only be performed on Access Entries with a type of \"STANDARD\".\n"
    );
    let admin = role("platform-admin");
    checked(
        &mut cloud,
        &format!("aws eks create-access-entry --cluster-name jobs --principal-arn {admin}"),
    );
    let associated = checked(
        &mut cloud,
        &format!("aws eks associate-access-policy --cluster-name jobs --principal-arn {admin} --policy-arn {policy} --access-scope type=namespace,namespaces=default"),
    );
    assert_eq!(
        associated["associatedAccessPolicy"]["accessScope"]["namespaces"],
        serde_json::json!(["default"])
    );
    let listed = checked(
        &mut cloud,
        &format!(
            "aws eks list-access-entries --cluster-name jobs --associated-policy-arn {policy}"
        ),
    );
    assert_eq!(listed["accessEntries"], serde_json::json!([admin]));
    assert!(error(
        &mut cloud,
        &format!(
            "aws eks describe-access-entry --cluster-name jobs --principal-arn {}",
            role("ghost")
        )
    )
    .contains("(ResourceNotFoundException)"));
    assert!(error(
        &mut cloud,
        "aws eks create-access-entry --cluster-name jobs --principal-arn nobody"
    )
    .contains("(InvalidParameterException)"));
    assert!(error(
        &mut cloud,
        &format!(
            "aws eks create-access-entry --cluster-name jobs --principal-arn {} --type EC2",
            role("x")
        )
    )
    .contains("(InvalidParameterException)"));
    assert!(error(&mut cloud, &format!("aws eks associate-access-policy --cluster-name jobs --principal-arn {admin} --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --access-scope type=cluster")).contains("(InvalidParameterException)"));
}

#[test]
fn what_is_not_simulated_changes_nothing() {
    let mut cloud = jobs();
    let entries = cloud.world.eks().access_entries.len();
    let out = cloud.run(&format!(
        "aws eks delete-access-entry --cluster-name jobs --principal-arn {}",
        role("admin")
    ));
    assert_eq!(out.status, 255);
    assert!(out.stderr.contains("is not simulated"), "{}", out.stderr);
    assert_eq!(cloud.world.eks().access_entries.len(), entries);
    assert_eq!(cloud.world.eks().clusters.len(), 1);
    let help = cloud.run("aws help");
    assert!(help.stdout.contains("aws eks"));
    let out = cloud.run("aws eks create-nodegroup help");
    assert!(out.stdout.contains("--scaling-config"), "{}", out.stdout);
}

/// Tearing a cluster down in EKS's order: the cluster is refused while a
/// profile is attached; the profile's pods go with it; then the cluster,
/// and the control plane stops billing.
#[test]
fn a_cluster_is_deleted_after_its_fargate_profile() {
    let mut cloud = jobs();
    let refused = error(&mut cloud, "aws eks delete-cluster --name jobs");
    assert!(
        refused.contains("(ResourceInUseException) when calling the DeleteCluster operation: Cluster has Fargate Profiles in ACTIVE/CREATING state"),
        "{refused}"
    );
    let profile = checked(
        &mut cloud,
        "aws eks delete-fargate-profile --cluster-name jobs --fargate-profile-name batch-profile",
    );
    assert_eq!(profile["fargateProfile"]["status"], "DELETING");
    assert!(cloud.world.eks().profiles.is_empty());
    assert!(!cloud
        .world
        .eks()
        .pods
        .values()
        .any(|p| matches!(p.placement, PodPlacement::Fargate { .. })));
    let gone = error(
        &mut cloud,
        "aws eks describe-fargate-profile --cluster-name jobs --fargate-profile-name batch-profile",
    );
    assert!(gone.contains("(ResourceNotFoundException)"), "{gone}");
    let before = cloud.world.cost_per_hour();
    let cluster = checked(&mut cloud, "aws eks delete-cluster --name jobs");
    assert_eq!(cluster["cluster"]["status"], "DELETING");
    assert_eq!(cluster["cluster"]["name"], "jobs");
    assert!(cloud.world.eks().clusters.is_empty());
    assert!((before - cloud.world.cost_per_hour() - 0.10).abs() < 1e-9);
    let none = error(&mut cloud, "aws eks describe-cluster --name jobs");
    assert!(none.contains("No cluster found for name: jobs."), "{none}");
}

#[test]
fn a_cluster_with_a_node_group_is_refused_until_the_group_is_deleted() {
    let mut cloud = jobs();
    let create = format!(
        "aws eks create-nodegroup --cluster-name jobs --nodegroup-name ng --node-role {} --subnets {} --scaling-config minSize=1,maxSize=2,desiredSize=2 --instance-types m5.large",
        role("node"),
        subnets(&cloud).replace(',', " ")
    );
    checked(&mut cloud, &create);
    checked(
        &mut cloud,
        "aws eks delete-fargate-profile --cluster-name jobs --fargate-profile-name batch-profile",
    );
    let refused = error(&mut cloud, "aws eks delete-cluster --name jobs");
    assert!(
        refused.contains("Cluster has nodegroups attached"),
        "{refused}"
    );
    let group = checked(
        &mut cloud,
        "aws eks delete-nodegroup --cluster-name jobs --nodegroup-name ng",
    );
    assert_eq!(group["nodegroup"]["status"], "DELETING");
    assert!(
        cloud.world.eks().nodes.is_empty(),
        "its nodes are terminated"
    );
    let missing = error(
        &mut cloud,
        "aws eks delete-nodegroup --cluster-name jobs --nodegroup-name ng",
    );
    assert!(
        missing.contains("No node group found for name: ng."),
        "{missing}"
    );
    checked(&mut cloud, "aws eks delete-cluster --name jobs");
    assert!(
        cloud.world.still_billing().is_empty(),
        "{:?}",
        cloud.world.still_billing()
    );
}

#[test]
fn every_exception_eks_answers_with_is_documented() {
    let uses: &[(&str, &[&str])] = &[
        (
            "CreateCluster",
            &["ResourceInUseException", "InvalidParameterException"],
        ),
        ("DescribeCluster", &["ResourceNotFoundException"]),
        (
            "CreateNodegroup",
            &[
                "ResourceInUseException",
                "InvalidParameterException",
                "InvalidRequestException",
            ],
        ),
        ("DescribeNodegroup", &["ResourceNotFoundException"]),
        ("ListNodegroups", &["ResourceNotFoundException"]),
        (
            "UpdateNodegroupConfig",
            &[
                "ResourceNotFoundException",
                "InvalidParameterException",
                "InvalidRequestException",
            ],
        ),
        (
            "CreateFargateProfile",
            &["InvalidParameterException", "InvalidRequestException"],
        ),
        ("DescribeFargateProfile", &["ResourceNotFoundException"]),
        (
            "CreateAccessEntry",
            &[
                "ResourceInUseException",
                "ResourceNotFoundException",
                "InvalidParameterException",
            ],
        ),
        ("DescribeAccessEntry", &["ResourceNotFoundException"]),
        (
            "DeleteCluster",
            &["ResourceInUseException", "ResourceNotFoundException"],
        ),
        ("DeleteNodegroup", &["ResourceNotFoundException"]),
        ("DeleteFargateProfile", &["ResourceNotFoundException"]),
        (
            "AssociateAccessPolicy",
            &["ResourceNotFoundException", "InvalidParameterException"],
        ),
    ];
    let api = api::service("eks").unwrap();
    for (name, exceptions) in uses {
        let operation = api.operations().find(|op| op.name == *name).unwrap();
        for exception in *exceptions {
            assert!(
                operation.errors().contains(exception),
                "{name} does not document {exception}"
            );
        }
    }
}

#[test]
fn json_answers_are_json() {
    let mut cloud = jobs();
    let out = cloud.run("aws eks list-fargate-profiles --cluster-name jobs --query fargateProfileNames --output text");
    assert_eq!(out.stdout, "batch-profile\n");
    let value: Value = serde_json::from_str(&cloud.run("aws eks list-clusters").stdout).unwrap();
    assert_eq!(value["clusters"][0], "jobs");
}

/// The EKS buttons print `aws eks` (and, for self-managed nodes,
/// Dockyard's launch and the access entry), and playing those lines gives
/// the world the button gives.
#[test]
fn the_eks_buttons_print_what_they_do() {
    let commands = [
        r#"{"do": "createNodeGroup", "cluster": "jobs", "name": "platform-asg", "instanceType": "m5.large", "minSize": 2, "maxSize": 2, "desiredSize": 2, "managed": false, "nodeRoleMapped": true}"#,
        r#"{"do": "createNodeGroup", "cluster": "jobs", "name": "workers", "instanceType": "m5.large", "minSize": 1, "maxSize": 3, "desiredSize": 1, "capacityType": "SPOT"}"#,
        r#"{"do": "createFargateProfile", "cluster": "jobs", "name": "web-profile", "namespace": "default", "moreSelectors": [{"namespace": "api", "labels": {"tier": "front"}}]}"#,
        r#"{"do": "updateNodeGroupConfig", "cluster": "jobs", "nodegroup": "workers", "desiredSize": 3}"#,
        r#"{"do": "createAccessEntry", "cluster": "jobs", "principalArn": "arn:aws:iam::111122223333:role/admin"}"#,
        r#"{"do": "associateAccessPolicy", "cluster": "jobs", "principalArn": "arn:aws:iam::111122223333:role/admin", "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "scope": "namespace", "namespaces": ["default", "api"]}"#,
        // kubectl's, and Dockyard's load on pods.
        r#"{"do": "restartDeployment", "deployment": "web"}"#,
        r#"{"do": "scaleDeployment", "deployment": "report", "replicas": 3}"#,
        r#"{"do": "setDeploymentHpa", "deployment": "report", "hpa": {"targetCpuUtilization": 60, "minReplicas": 1, "maxReplicas": 5}}"#,
        r#"{"do": "setDeploymentLoad", "deployment": "report", "load": {"shape": "constant", "units": 300}}"#,
        r#"{"do": "setDeploymentHpa", "deployment": "report"}"#,
        r#"{"do": "createNamespace", "cluster": "jobs", "namespace": "shop"}"#,
        r#"{"do": "deleteDeployment", "deployment": "report"}"#,
    ];
    let (mut direct, mut typed) = (jobs(), jobs());
    let mut extra = 0;
    for json in commands {
        let command = serde_json::from_str::<dockyard_model::sim::scenario::Step>(json)
            .unwrap()
            .command;
        let lines =
            crate::cli_for(&command, &direct.world).expect("an EKS button has a terminal form");
        direct.apply(command).unwrap();
        for line in &lines {
            let out = typed.run(line);
            assert_eq!(out.status, 0, "{line}\n{}", out.stderr);
        }
        assert_eq!(
            super::summary(&direct.world),
            super::summary(&typed.world),
            "{json}"
        );
        // The one difference: the self-managed role's entry, which the
        // button's nodeRoleMapped stands for and the terminal creates.
        extra += usize::from(lines.iter().any(|l| l.contains("--type EC2_LINUX")));
        assert_eq!(
            direct.world.eks().access_entries.len() + extra,
            typed.world.eks().access_entries.len(),
            "{json}"
        );
    }
    direct.advance(600_000);
    typed.advance(600_000);
    assert_eq!(super::summary(&direct.world), super::summary(&typed.world));
    assert!(typed.world.eks().nodes.values().all(|n| n.ready));
}

#[test]
fn eks_waiters_run_the_clock_until_the_resource_is_active() {
    let mut cloud = jobs();
    let subnets = subnets(&cloud).replace(',', " ");
    checked(
        &mut cloud,
        &format!(
            "aws eks create-nodegroup --cluster-name jobs --nodegroup-name workers --scaling-config minSize=1,maxSize=2,desiredSize=1 --instance-types m5.large --node-role {} --subnets {subnets}",
            role("eksNodeRole")
        ),
    );
    let before = cloud.world.now();
    let out =
        cloud.run("aws eks wait nodegroup-active --cluster-name jobs --nodegroup-name workers");
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    let waited = cloud.world.now() - before;
    // botocore's NodegroupActive polls every 30 s.
    assert!(waited > 0 && waited % 30_000 == 0, "waited {waited} ms");
    let group = checked(
        &mut cloud,
        "aws eks describe-nodegroup --cluster-name jobs --nodegroup-name workers",
    );
    assert_eq!(group["nodegroup"]["status"], "ACTIVE");
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("simulated clock moved")),
        "{out:?}"
    );

    let active = cloud.run("aws eks wait cluster-active --name jobs");
    assert_eq!(active.status, 0, "{active:?}");
    let missing = cloud.run("aws eks wait cluster-active --name ghost");
    assert_eq!(missing.status, 254, "{missing:?}");
    assert!(
        missing.stderr.contains("ResourceNotFoundException"),
        "{}",
        missing.stderr
    );
    let unknown = cloud.run("aws eks wait addon-active");
    assert_eq!(unknown.status, 252, "{unknown:?}");
    assert!(
        unknown
            .stderr
            .contains("Found invalid choice 'addon-active'"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_node_groups_labels_and_taints_go_on_its_nodes() {
    let mut cloud = jobs();
    let subnets = subnets(&cloud).replace(',', " ");
    let created = checked(
        &mut cloud,
        &format!(
            "aws eks create-nodegroup --cluster-name jobs --nodegroup-name gpu --scaling-config minSize=1,maxSize=1,desiredSize=1 --instance-types m5.large --node-role {} --subnets {subnets} --labels team=ml --taints key=dedicated,value=gpu,effect=NO_SCHEDULE",
            role("eksNodeRole")
        ),
    );
    assert_eq!(
        created["nodegroup"]["labels"],
        serde_json::json!({"team": "ml"})
    );
    assert_eq!(
        created["nodegroup"]["taints"],
        serde_json::json!([{"key": "dedicated", "value": "gpu", "effect": "NO_SCHEDULE"}])
    );
    cloud.run("sleep 300");
    let nodes = cloud.run("kubectl get nodes -L team");
    let node = cloud.world.eks().groups["gpu"]
        .nodes
        .first()
        .unwrap()
        .clone();
    assert!(
        nodes
            .stdout
            .lines()
            .any(|l| l.starts_with(&node) && l.ends_with("ml")),
        "{}",
        nodes.stdout
    );
    // The web pods (no toleration) stay off the tainted node.
    let web = cloud
        .world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web");
    assert!(web.clone().count() > 0);
    for pod in web {
        let why = pod.pending.clone().map(|(_, r)| r).unwrap_or_default();
        // The three report pods' Fargate nodes are refused for their taint.
        assert_eq!(
            why,
            "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}."
        );
    }
    let described = cloud.run(&format!("kubectl describe node {node}"));
    assert!(described
        .stdout
        .contains("Taints:             dedicated=gpu:NoSchedule\n"));

    let bad = cloud.run(&format!(
        "aws eks create-nodegroup --cluster-name jobs --nodegroup-name bad --instance-types m5.large --node-role {} --subnets {subnets} --taints key=dedicated,effect=NoSchedule",
        role("eksNodeRole")
    ));
    assert_ne!(bad.status, 0);
    assert!(bad.stderr.contains("NO_SCHEDULE"), "{}", bad.stderr);
}

#[test]
fn every_node_group_capacity_type_in_the_eks_api_is_simulated_or_said_not_to_be() {
    let api = crate::api::service("eks").expect("vendored");
    let values = api.shape("CapacityTypes").enum_values();
    assert_eq!(values, ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"]);
    let mut cloud = jobs();
    let subnets = subnets(&cloud).replace(',', " ");
    for value in values {
        let out = cloud.run(&format!(
            "aws eks create-nodegroup --cluster-name jobs --nodegroup-name g-{} --scaling-config minSize=1,maxSize=1,desiredSize=1 --instance-types m5.large --node-role {} --subnets {subnets} --capacity-type {value}",
            value.to_lowercase().replace('_', "-"),
            role("eksNodeRole")
        ));
        match value {
            "CAPACITY_BLOCK" => {
                assert_ne!(out.status, 0);
                assert!(
                    out.stderr.contains("Capacity Blocks for ML")
                        && out.stderr.contains("not simulated"),
                    "{}",
                    out.stderr
                );
            }
            _ => assert_eq!(out.status, 0, "{value}: {}", out.stderr),
        }
    }
    let bad = cloud.run(&format!(
        "aws eks create-nodegroup --cluster-name jobs --nodegroup-name x --scaling-config minSize=1,maxSize=1,desiredSize=1 --instance-types m5.large --node-role {} --subnets {subnets} --capacity-type RESERVED",
        role("eksNodeRole")
    ));
    assert!(
        bad.stderr.contains("InvalidParameterException"),
        "{}",
        bad.stderr
    );
}
