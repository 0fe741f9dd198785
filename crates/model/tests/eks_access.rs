//! EKS access entries and node group scaling (rules §7): an EC2_LINUX
//! access entry for a self-managed group's node role lets its nodes join
//! (those refused become Ready), and UpdateNodegroupConfig's desired size
//! launches or removes a managed group's nodes within its bounds.

use dockyard_model::sim::command_json::command_from_fields;
use dockyard_model::sim::eks::{AccessEntryType, PodPhase};
use dockyard_model::sim::{seconds, Command, Parameters, What, World};

/// A command written as in a scenario step (flat, with "do").
fn command(json: &str) -> Command {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut map = value.as_object().unwrap().clone();
    let name = map.remove("do").unwrap();
    command_from_fields(name.as_str().unwrap(), &map).unwrap()
}

fn world() -> World {
    World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    )
}

const ROLE: &str = "arn:aws:iam::111122223333:role/platform-node";

#[test]
fn an_ec2_access_entry_lets_self_managed_nodes_join() {
    let mut world = world();
    for json in [
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"self","instanceType":"m5.large","minSize":2,"maxSize":2,"desiredSize":2,"managed":false,"nodeRole":"arn:aws:iam::111122223333:role/platform-node"}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"web","labels":{"app":"web"},"replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
    ] {
        world.apply(command(json)).unwrap();
    }
    world.advance_to(seconds(600));
    assert!(world.eks().nodes.values().all(|n| !n.ready));
    // A STANDARD entry does not let nodes in.
    world
        .apply(command(&format!(
            r#"{{"do":"createAccessEntry","cluster":"c","principalArn":"{ROLE}-other","type":"STANDARD"}}"#
        )))
        .unwrap();
    assert!(world.eks().nodes.values().all(|n| !n.ready));
    let events = world
        .apply(command(&format!(
            r#"{{"do":"createAccessEntry","cluster":"c","principalArn":"{ROLE}","type":"EC2_LINUX"}}"#
        )))
        .unwrap();
    let ready = events
        .iter()
        .filter(|e| matches!(e.what, What::NodeReady { .. }))
        .count();
    assert_eq!(ready, 2, "{events:?}");
    assert!(world.eks().groups["self"].node_role_mapped);
    let entry = &world.eks().access_entries[&("c".to_string(), ROLE.to_string())];
    assert_eq!(entry.entry_type, AccessEntryType::Ec2Linux);
    world.advance_to(seconds(900));
    assert!(world
        .eks()
        .pods
        .values()
        .all(|p| p.phase == PodPhase::Running));
    // One entry per principal; policies only on STANDARD entries.
    let again = world
        .apply(command(&format!(
            r#"{{"do":"createAccessEntry","cluster":"c","principalArn":"{ROLE}","type":"EC2_LINUX"}}"#
        )))
        .unwrap_err();
    assert_eq!(again.code, "access-entry-exists");
    let policy = world
        .apply(command(&format!(
            r#"{{"do":"associateAccessPolicy","cluster":"c","principalArn":"{ROLE}","policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"}}"#
        )))
        .unwrap_err();
    assert_eq!(policy.code, "access-entry-type");
    world
        .apply(command(&format!(
            r#"{{"do":"associateAccessPolicy","cluster":"c","principalArn":"{ROLE}-other","policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy","scope":"namespace","namespaces":["default"]}}"#
        )))
        .unwrap();
    let bad = world
        .apply(command(
            r#"{"do":"createAccessEntry","cluster":"c","principalArn":"x","type":"EC2"}"#,
        ))
        .unwrap_err();
    assert_eq!(bad.code, "access-entry-type");
}

#[test]
fn an_entry_made_first_lets_nodes_join_as_they_boot() {
    let mut world = world();
    world
        .apply(command(r#"{"do":"createEksCluster","name":"c"}"#))
        .unwrap();
    world
        .apply(command(&format!(
            r#"{{"do":"createAccessEntry","cluster":"c","principalArn":"{ROLE}","type":"EC2_LINUX"}}"#
        )))
        .unwrap();
    world.apply(command(r#"{"do":"createNodeGroup","cluster":"c","name":"self","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"managed":false,"nodeRole":"arn:aws:iam::111122223333:role/platform-node"}"#)).unwrap();
    world.advance_to(seconds(600));
    assert!(world.eks().nodes.values().all(|n| n.ready));
}

#[test]
fn a_managed_group_gets_its_role_entry_and_scales_to_its_desired_size() {
    let mut world = world();
    world
        .apply(command(r#"{"do":"createEksCluster","name":"c"}"#))
        .unwrap();
    world.apply(command(r#"{"do":"createNodeGroup","cluster":"c","name":"ng","instanceType":"m5.large","minSize":1,"maxSize":3,"desiredSize":1}"#)).unwrap();
    // The world derived a node role, and EKS made its entry.
    let role = world.eks().groups["ng"].node_role.clone().unwrap();
    assert_eq!(role, "arn:aws:iam::111122223333:role/ng-node-role");
    assert!(world
        .eks()
        .access_entries
        .contains_key(&("c".to_string(), role)));
    world.advance_to(seconds(300));
    world
        .apply(command(
            r#"{"do":"updateNodeGroupConfig","cluster":"c","nodegroup":"ng","desiredSize":3}"#,
        ))
        .unwrap();
    assert_eq!(world.eks().groups["ng"].nodes.len(), 3);
    let too_many = world
        .apply(command(
            r#"{"do":"updateNodeGroupConfig","cluster":"c","nodegroup":"ng","desiredSize":4}"#,
        ))
        .unwrap_err();
    assert_eq!(too_many.code, "scaling-config");
    world.advance_to(seconds(600));
    let events = world
        .apply(command(
            r#"{"do":"updateNodeGroupConfig","cluster":"c","nodegroup":"ng","minSize":0,"maxSize":5,"desiredSize":1}"#,
        ))
        .unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e.what, What::NodeTerminated { .. }))
            .count(),
        2
    );
    let group = &world.eks().groups["ng"];
    assert_eq!(
        (group.min_size, group.max_size, group.nodes.len()),
        (0, 5, 1)
    );
    let missing = world
        .apply(command(
            r#"{"do":"updateNodeGroupConfig","cluster":"c","nodegroup":"nope","desiredSize":1}"#,
        ))
        .unwrap_err();
    assert_eq!(missing.code, "no-nodegroup");
}

#[test]
fn any_selector_of_a_profile_puts_a_pod_on_fargate() {
    let mut world = world();
    for json in [
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createFargateProfile","cluster":"c","name":"p","namespace":"batch","moreSelectors":[{"namespace":"team-*","labels":{"tier":"front"}}]}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"web","namespace":"team-a","labels":{"tier":"front"},"replicas":1,"cpuRequestMillicores":250,"memoryRequestMiB":512}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"api","namespace":"team-a","labels":{"tier":"back"},"replicas":1,"cpuRequestMillicores":250,"memoryRequestMiB":512}"#,
    ] {
        world.apply(command(json)).unwrap();
    }
    world.advance_to(seconds(300));
    let pod = |name: &str| {
        world
            .eks()
            .pods
            .values()
            .find(|p| p.deployment == name)
            .unwrap()
            .clone()
    };
    assert_eq!(pod("web").phase, PodPhase::Running);
    assert_eq!(pod("web").fargate_profile.as_deref(), Some("p"));
    assert_eq!(pod("api").phase, PodPhase::Pending);
    // EKS's limit: five selectors.
    let six = r#"{"do":"createFargateProfile","cluster":"c","name":"q","namespace":"a","moreSelectors":[{"namespace":"b"},{"namespace":"c"},{"namespace":"d"},{"namespace":"e"},{"namespace":"f"}]}"#;
    assert_eq!(
        world.apply(command(six)).unwrap_err().code,
        "fargate-selectors"
    );
    // The profile's pod execution role, derived, has its FARGATE_LINUX entry.
    let role = "arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole";
    assert_eq!(
        world.eks().access_entries[&("c".to_string(), role.to_string())].entry_type,
        AccessEntryType::FargateLinux
    );
}
