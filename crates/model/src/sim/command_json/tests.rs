//! Every command read and written back, and the shipped scenarios read.

use super::*;
use crate::sim::scenario::Scenario;

fn shipped() -> Vec<Scenario> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut read = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // scenarios/INDEX (their order, for the course) is not one.
        if !path.to_string_lossy().ends_with(".scenario.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        read.push(Scenario::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}")));
    }
    assert!(read.len() >= 14);
    read
}

/// Whatever the writer writes for a command, the reader reads back the same.
#[test]
fn reads_back_every_command_the_shipped_scenarios_write() {
    let mut seen = std::collections::BTreeSet::new();
    for scenario in shipped() {
        for step in &scenario.steps {
            let (name, fields) = command_to_fields(&step.command);
            assert!(COMMAND_NAMES.contains(&name), "{name} is not listed");
            seen.insert(name);
            let read = command_from_fields(name, &fields).unwrap();
            assert_eq!(read, step.command, "{name}");
            let written = serde_json::to_value(&step.command).unwrap();
            let again: Command = json::from_value(&written).unwrap();
            assert_eq!(again, step.command);
        }
    }
    // The scenarios use most commands; the rest are read in the tests below.
    assert!(seen.len() >= 20, "{seen:?}");
}

#[test]
fn defaults_are_those_serde_applied() {
    let read = |text: &str| {
        let value: Value = serde_json::from_str(text).unwrap();
        let (name, fields) = value.as_object().unwrap().iter().next().unwrap();
        command_from_fields(name, fields.as_object().unwrap())
    };
    assert_eq!(
        read(r#"{"launchInstances": {"cluster": "c", "instanceType": "t3.large", "az": "a"}}"#)
            .unwrap(),
        Command::LaunchInstances {
            cluster: "c".into(),
            instance_type: "t3.large".into(),
            az: "a".into(),
            count: 1,
            spot: false,
            instance_role: None,
            spot_instance_draining: false,
        }
    );
    assert_eq!(
        read(r#"{"exitContainer": {"task": "t", "container": "app"}}"#).unwrap(),
        Command::ExitContainer {
            task: "t".into(),
            container: "app".into(),
            exit_code: 1
        }
    );
    assert_eq!(
        read(r#"{"writeFile": {"task": "t", "path": "p"}}"#).unwrap(),
        Command::WriteFile {
            task: "t".into(),
            volume: None,
            container: None,
            path: "p".into(),
            contents: String::new()
        }
    );
}

/// Every command in its shortest form, read to the exact command with
/// every default spelled out: what a learner's one-line command in the
/// sandbox's box becomes.
#[test]
fn every_command_reads_from_its_shortest_form_with_its_defaults() {
    use crate::sim::eks::{CapacityType, DeploymentSpec, FargateProfileSpec, NodeGroupSpec};
    use crate::sim::load::{LoadCurve, Metric};
    use crate::sim::types::Capacity;
    use std::collections::BTreeMap;
    let s = |text: &str| text.to_string();
    let golden: Vec<(&str, Command)> = vec![
        (r#"{"do": "createCluster", "name": "c"}"#, Command::CreateCluster { name: s("c") }),
        (
            r#"{"do": "launchInstances", "cluster": "c", "instanceType": "m5.large", "az": "us-east-1a"}"#,
            Command::LaunchInstances { cluster: s("c"), instance_type: s("m5.large"), az: s("us-east-1a"), count: 1, spot: false, instance_role: None, spot_instance_draining: false },
        ),
        (
            r#"{"do": "createCapacityProvider", "cluster": "c", "name": "cp", "instanceType": "m5.large", "minSize": 0, "maxSize": 4}"#,
            Command::CreateCapacityProvider(CapacityProviderSpec {
                cluster: s("c"), name: s("cp"), instance_type: s("m5.large"), min_size: 0, max_size: 4,
                target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 10_000,
                instance_warmup_period: 300, spot: false,
            }),
        ),
        (
            r#"{"do": "registerTaskDefinition", "definition": {"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx"}]}}"#,
            Command::RegisterTaskDefinition {
                definition: Box::new(json::read(&serde_json::json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx"}]})).unwrap()),
            },
        ),
        (
            r#"{"do": "deregisterTaskDefinition", "taskDefinition": "web:1"}"#,
            Command::DeregisterTaskDefinition { task_definition: s("web:1") },
        ),
        (
            r#"{"do": "createRole", "name": "r", "trustedService": "ecs-tasks.amazonaws.com"}"#,
            Command::CreateRole { name: s("r"), trusted_service: s("ecs-tasks.amazonaws.com"), managed_policies: vec![], policies: BTreeMap::new(), trust_policy: None },
        ),
        (
            r#"{"do": "putRolePolicy", "role": "r", "name": "p", "document": {"Statement": []}}"#,
            Command::PutRolePolicy { role: s("r"), name: s("p"), document: serde_json::json!({"Statement": []}) },
        ),
        (
            r#"{"do": "attachRolePolicy", "role": "r", "policy": "AmazonECSTaskExecutionRolePolicy"}"#,
            Command::AttachRolePolicy { role: s("r"), policy: s("AmazonECSTaskExecutionRolePolicy") },
        ),
        (
            r#"{"do": "updateAssumeRolePolicy", "role": "r", "document": {"Statement": []}}"#,
            Command::UpdateAssumeRolePolicy { role: s("r"), document: serde_json::json!({"Statement": []}) },
        ),
        (
            r#"{"do": "createPolicy", "name": "b", "document": {"Statement": []}}"#,
            Command::CreatePolicy { name: s("b"), document: serde_json::json!({"Statement": []}) },
        ),
        (
            r#"{"do": "putRolePermissionsBoundary", "role": "r", "policy": "arn:aws:iam::111122223333:policy/b"}"#,
            Command::PutRolePermissionsBoundary { role: s("r"), policy: Some(s("arn:aws:iam::111122223333:policy/b")) },
        ),
        (
            r#"{"do": "putResourcePolicy", "resource": "arn:aws:s3:::b", "policy": {"Statement": []}}"#,
            Command::PutResourcePolicy { resource: s("arn:aws:s3:::b"), policy: Some(serde_json::json!({"Statement": []})) },
        ),
        (
            r#"{"do": "encryptSecret", "secret": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", "key": "arn:aws:kms:us-east-1:111122223333:key/k"}"#,
            Command::EncryptSecret { secret: s("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"), key: s("arn:aws:kms:us-east-1:111122223333:key/k") },
        ),
        (
            r#"{"do": "joinOrganization", "managementAccount": "222233334444"}"#,
            Command::JoinOrganization { management_account: s("222233334444") },
        ),
        (
            r#"{"do": "createServiceControlPolicy", "name": "region", "document": {"Statement": []}}"#,
            Command::CreateServiceControlPolicy { name: s("region"), description: String::new(), document: serde_json::json!({"Statement": []}) },
        ),
        (
            r#"{"do": "attachServiceControlPolicy", "name": "region"}"#,
            Command::AttachServiceControlPolicy { name: s("region") },
        ),
        (
            r#"{"do": "detachServiceControlPolicy", "name": "FullAWSAccess"}"#,
            Command::DetachServiceControlPolicy { name: s("FullAWSAccess") },
        ),
        (
            r#"{"do": "runTask", "cluster": "c", "taskDefinition": "web", "capacity": "fargate"}"#,
            Command::RunTask { assign_public_ip: None, cluster: s("c"), task_definition: s("web"), count: 1, capacity: Capacity::Fargate },
        ),
        (
            r#"{"do": "createService", "cluster": "c", "name": "web", "taskDefinition": "web", "desiredCount": 2, "capacity": "ec2"}"#,
            Command::CreateService(ServiceSpec {
                assign_public_ip: None,
                cluster: s("c"), name: s("web"), task_definition: s("web"), desired_count: 2, capacity: Capacity::Ec2,
                placement_strategy: None, placement_constraints: vec![], scaling: None, load: None, memory_load: None,
                request_load: None,
                deployment_configuration: DeploymentConfiguration { minimum_healthy_percent: 100, maximum_percent: 200, deployment_circuit_breaker: None },
            }),
        ),
        (r#"{"do": "deploy", "service": "web"}"#, Command::Deploy { service: s("web"), task_definition: None }),
        (
            r#"{"do": "setTaskRoles", "service": "web"}"#,
            Command::SetTaskRoles { service: s("web"), task_role_arn: None, execution_role_arn: None },
        ),
        (r#"{"do": "updateService", "service": "web", "desiredCount": 0}"#, Command::UpdateService { service: s("web"), desired_count: 0 }),
        (r#"{"do": "setServiceScaling", "service": "web"}"#, Command::SetServiceScaling { service: s("web"), scaling: None }),
        (
            r#"{"do": "setLoad", "service": "web", "load": {"shape": "constant", "units": 512}}"#,
            Command::SetLoad { service: s("web"), load: LoadCurve::Constant { units: 512.0 }, metric: Metric::Cpu },
        ),
        (r#"{"do": "stopTask", "task": "t-1"}"#, Command::StopTask { task: s("t-1") }),
        (r#"{"do": "terminateInstance", "instance": "i-1"}"#, Command::TerminateInstance { instance: s("i-1") }),
        (r#"{"do": "loseAz", "az": "us-east-1a"}"#, Command::LoseAz { az: s("us-east-1a") }),
        (r#"{"do": "restoreAz", "az": "us-east-1a"}"#, Command::RestoreAz { az: s("us-east-1a") }),
        (
            r#"{"do": "exitContainer", "task": "t-1", "container": "app"}"#,
            Command::ExitContainer { task: s("t-1"), container: s("app"), exit_code: 1 },
        ),
        (
            r#"{"do": "useMemory", "task": "t-1", "container": "app", "mib": 600}"#,
            Command::UseMemory { task: s("t-1"), container: s("app"), mib: 600 },
        ),
        (
            r#"{"do": "writeFile", "task": "t-1", "path": "a.txt"}"#,
            Command::WriteFile { task: s("t-1"), volume: None, container: None, path: s("a.txt"), contents: String::new() },
        ),
        (r#"{"do": "drainInstance", "instance": "i-1"}"#, Command::DrainInstance { instance: s("i-1") }),
        (r#"{"do": "interruptSpotInstance", "instance": "i-1"}"#, Command::InterruptSpotInstance { instance: s("i-1") }),
        (r#"{"do": "interruptSpot", "service": "web", "count": 2}"#, Command::InterruptSpot { service: s("web"), count: 2 }),
        (r#"{"do": "createEksCluster", "name": "k"}"#, Command::CreateEksCluster { name: s("k"), role_arn: None, subnets: vec![] }),
        (
            r#"{"do": "createNodeGroup", "cluster": "k", "name": "ng", "instanceType": "m5.large", "minSize": 1, "maxSize": 3, "desiredSize": 2, "labels": {"team": "data"}, "taints": [{"key": "dedicated", "effect": "NoExecute"}]}"#,
            Command::CreateNodeGroup(NodeGroupSpec {
                cluster: s("k"), name: s("ng"), instance_type: s("m5.large"), min_size: 1, max_size: 3, desired_size: 2,
                capacity_type: CapacityType::OnDemand, managed: true, node_role_mapped: None, node_role: None,
                labels: BTreeMap::from([(s("team"), s("data"))]),
                taints: vec![crate::sim::eks::Taint { key: s("dedicated"), value: String::new(), effect: crate::sim::eks::TaintEffect::NoExecute }],
            }),
        ),
        (
            r#"{"do": "createFargateProfile", "cluster": "k", "name": "p", "namespace": "default"}"#,
            Command::CreateFargateProfile(FargateProfileSpec { cluster: s("k"), name: s("p"), namespace: s("default"), labels: BTreeMap::new(), more_selectors: vec![], pod_execution_role_arn: None, subnets: vec![] }),
        ),
        (
            r#"{"do": "createDeployment", "cluster": "k", "name": "web", "replicas": 2, "cpuRequestMillicores": 250, "memoryRequestMiB": 512, "bare": true, "nodeRules": {"nodeSelector": {"team": "data"}, "requiredTerms": [[{"key": "eks.amazonaws.com/capacityType", "operator": "In", "values": ["SPOT"]}]], "tolerations": [{"key": "dedicated", "exists": true}]}}"#,
            Command::CreateDeployment(DeploymentSpec {
                cluster: s("k"), name: s("web"), namespace: s("default"), labels: BTreeMap::new(), replicas: 2,
                cpu_request_millicores: 250, memory_request_mib: 512, hpa: None, load: None, volume: None, containers: vec![], claim: None,
                node_rules: crate::sim::eks::NodeRules {
                    node_selector: BTreeMap::from([(s("team"), s("data"))]),
                    required_terms: vec![vec![crate::sim::eks::NodeRequirement {
                        key: s("eks.amazonaws.com/capacityType"), operator: crate::sim::eks::SelectorOperator::In, values: vec![s("SPOT")],
                    }]],
                    tolerations: vec![crate::sim::eks::Toleration { key: s("dedicated"), exists: true, value: String::new(), effect: None }],
                },
                daemon: false,
                bare: true,
            }),
        ),
        (
            r#"{"do": "scaleDeployment", "deployment": "web", "replicas": 0}"#,
            Command::ScaleDeployment { deployment: s("web"), replicas: 0 },
        ),
        (r#"{"do": "terminateNode", "node": "n-1"}"#, Command::TerminateNode { node: s("n-1") }),
        (r#"{"do": "deletePod", "pod": "web-00001"}"#, Command::DeletePod { pod: s("web-00001") }),
        (
            r#"{"do": "setNodeTaints", "node": "n-1", "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}"#,
            Command::SetNodeTaints {
                node: s("n-1"),
                taints: vec![crate::sim::eks::Taint { key: s("dedicated"), value: s("gpu"), effect: crate::sim::eks::TaintEffect::NoSchedule }],
            },
        ),
        (
            r#"{"do": "deleteDeployment", "deployment": "web"}"#,
            Command::DeleteDeployment { deployment: s("web") },
        ),
        (
            r#"{"do": "restartDeployment", "deployment": "web"}"#,
            Command::RestartDeployment { deployment: s("web") },
        ),
        (
            r#"{"do": "setDeploymentHpa", "deployment": "web", "hpa": {"targetCpuUtilization": 50.0, "minReplicas": 1, "maxReplicas": 5}}"#,
            Command::SetDeploymentHpa {
                deployment: s("web"),
                hpa: Some(crate::sim::eks::Hpa { name: None, target_cpu_utilization: 50.0, min_replicas: 1, max_replicas: 5 }),
            },
        ),
        (
            r#"{"do": "createNamespace", "cluster": "jobs", "namespace": "batch"}"#,
            Command::CreateNamespace { cluster: s("jobs"), namespace: s("batch") },
        ),
        (
            r#"{"do": "updateDeployment", "cluster": "k", "name": "web", "replicas": 3, "cpuRequestMillicores": 250, "memoryRequestMiB": 512, "containers": [{"name": "web", "image": "nginx:1.27"}], "daemon": true}"#,
            Command::UpdateDeployment(DeploymentSpec {
                cluster: s("k"), name: s("web"), namespace: s("default"), labels: BTreeMap::new(), replicas: 3,
                cpu_request_millicores: 250, memory_request_mib: 512, hpa: None, load: None, volume: None,
                containers: vec![crate::sim::eks::ContainerImage { name: s("web"), image: s("nginx:1.27") }], claim: None,
                node_rules: Default::default(),
                daemon: true,
                bare: false,
            }),
        ),
        (
            r#"{"do": "setDeploymentLoad", "deployment": "web", "load": {"shape": "constant", "units": 800}}"#,
            Command::SetDeploymentLoad { deployment: s("web"), load: LoadCurve::Constant { units: 800.0 } },
        ),
        (
            r#"{"do": "createStorageClass", "cluster": "k", "name": "ebs-sc", "driver": "ebs", "binding": "WaitForFirstConsumer"}"#,
            Command::CreateStorageClass(crate::sim::eks::StorageClassSpec {
                cluster: s("k"), name: s("ebs-sc"), driver: crate::sim::eks::CsiDriver::Ebs,
                binding: crate::sim::eks::BindingMode::WaitForFirstConsumer,
            }),
        ),
        (
            r#"{"do": "createPersistentVolume", "cluster": "k", "name": "efs-pv", "driver": "efs", "capacityGiB": 5, "accessModes": ["ReadWriteMany"]}"#,
            Command::CreatePersistentVolume(crate::sim::eks::VolumeSpec {
                cluster: s("k"), name: s("efs-pv"), driver: crate::sim::eks::CsiDriver::Efs, capacity_gib: 5,
                zone: None, storage_class: None, access_modes: vec![crate::sim::eks::AccessMode::ReadWriteMany],
            }),
        ),
        (
            r#"{"do": "createPersistentVolumeClaim", "cluster": "k", "name": "data", "requestGiB": 4, "storageClass": "ebs-sc"}"#,
            Command::CreatePersistentVolumeClaim(crate::sim::eks::ClaimSpec {
                cluster: s("k"), namespace: s("default"), name: s("data"), request_gib: 4,
                storage_class: Some(s("ebs-sc")), volume_name: None, access_modes: vec![],
            }),
        ),
        (
            r#"{"do": "deleteStorage", "kind": "pvc", "cluster": "k", "name": "data"}"#,
            Command::DeleteStorage { kind: s("pvc"), cluster: s("k"), namespace: s("default"), name: s("data") },
        ),
        (
            r#"{"do": "putPodDisruptionBudget", "cluster": "k", "name": "web", "selector": {"app": "web"}, "minAvailable": {"percent": 50}}"#,
            Command::PutPodDisruptionBudget(crate::sim::eks::PdbSpec {
                cluster: s("k"), namespace: s("default"), name: s("web"),
                selector: BTreeMap::from([(s("app"), s("web"))]),
                min_available: Some(crate::sim::eks::Budget::Percent(50)), max_unavailable: None,
            }),
        ),
        (
            r#"{"do": "deletePodDisruptionBudget", "cluster": "k", "name": "web"}"#,
            Command::DeletePodDisruptionBudget { cluster: s("k"), namespace: s("default"), name: s("web") },
        ),
        (
            r#"{"do": "createAccessEntry", "cluster": "k", "principalArn": "arn:aws:iam::1:role/n", "type": "EC2_LINUX"}"#,
            Command::CreateAccessEntry { cluster: s("k"), principal_arn: s("arn:aws:iam::1:role/n"), entry_type: s("EC2_LINUX") },
        ),
        (
            r#"{"do": "associateAccessPolicy", "cluster": "k", "principalArn": "arn:aws:iam::1:role/a", "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "scope": "namespace", "namespaces": ["web"]}"#,
            Command::AssociateAccessPolicy { cluster: s("k"), principal_arn: s("arn:aws:iam::1:role/a"), policy_arn: s("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"), scope: s("namespace"), namespaces: vec![s("web")] },
        ),
        (
            r#"{"do": "updateNodeGroupConfig", "cluster": "k", "nodegroup": "ng", "desiredSize": 3}"#,
            Command::UpdateNodeGroupConfig { cluster: s("k"), nodegroup: s("ng"), min_size: None, max_size: None, desired_size: Some(3) },
        ),
        (
            r#"{"do": "deleteNodeGroup", "cluster": "k", "nodegroup": "ng"}"#,
            Command::DeleteNodeGroup { cluster: s("k"), nodegroup: s("ng") },
        ),
        (
            r#"{"do": "deleteFargateProfile", "cluster": "k", "profile": "p"}"#,
            Command::DeleteFargateProfile { cluster: s("k"), profile: s("p") },
        ),
        (r#"{"do": "deleteEksCluster", "name": "k"}"#, Command::DeleteEksCluster { name: s("k") }),
        (r#"{"do": "allocateAddress"}"#, Command::AllocateAddress),
        (
            r#"{"do": "releaseAddress", "allocationId": "eipalloc-0123"}"#,
            Command::ReleaseAddress { allocation_id: s("eipalloc-0123") },
        ),
        (
            r#"{"do": "createNatGateway", "subnet": "us-east-1a"}"#,
            Command::CreateNatGateway { subnet: s("us-east-1a"), allocation_id: None },
        ),
        (
            r#"{"do": "deleteNatGateway", "natGateway": "nat-0123"}"#,
            Command::DeleteNatGateway { nat_gateway: s("nat-0123") },
        ),
        (
            r#"{"do": "createLoadBalancer", "name": "web", "subnets": ["us-east-1a", "us-east-1b"]}"#,
            Command::CreateLoadBalancer {
                name: s("web"),
                kind: crate::sim::LoadBalancerType::Application,
                subnets: vec![s("us-east-1a"), s("us-east-1b")],
            },
        ),
        (
            r#"{"do": "deleteLoadBalancer", "loadBalancer": "web"}"#,
            Command::DeleteLoadBalancer { load_balancer: s("web") },
        ),
    ];
    let named: Vec<&str> = golden
        .iter()
        .map(|(text, _)| {
            let value: Value = serde_json::from_str(text).unwrap();
            let name = value["do"].as_str().unwrap().to_string();
            COMMAND_NAMES.iter().copied().find(|n| *n == name).unwrap()
        })
        .collect();
    assert_eq!(
        named, COMMAND_NAMES,
        "one golden form per command, in order"
    );
    for (text, expected) in golden {
        let value: Value = serde_json::from_str(text).unwrap();
        let mut fields = value.as_object().unwrap().clone();
        let name = fields.remove("do").unwrap();
        let read = command_from_fields(name.as_str().unwrap(), &fields).unwrap();
        assert_eq!(read, expected, "{text}");
        // Written out and read again, nothing moves.
        let (again_name, again_fields) = command_to_fields(&read);
        assert_eq!(
            command_from_fields(again_name, &again_fields).unwrap(),
            expected
        );
    }
}

#[test]
fn bad_commands_are_refused_by_field() {
    let read = |name: &str, text: &str| {
        let value: Value = serde_json::from_str(text).unwrap();
        json::from_value::<Command>(&serde_json::json!({ name: value })).unwrap_err()
    };
    let error = read("loseAz", "{}");
    assert!(
        error.message.contains("loseAz: missing field `az`"),
        "{error}"
    );
    let error = read("loseAz", r#"{"az": "a", "zone": "b"}"#);
    assert!(
        error
            .message
            .contains("unknown field `zone`, expected `az`"),
        "{error}"
    );
    let error = read("updateService", r#"{"service": "web", "desiredCount": -1}"#);
    assert!(
        error
            .message
            .contains("updateService.desiredCount: invalid value: integer `-1`, expected u32"),
        "{error}"
    );
    let error = read("launchRockets", "{}");
    assert!(
        error.message.contains("unknown variant `launchRockets`"),
        "{error}"
    );
}
