//! DaemonSets: a pod on every EC2 node the template admits, none on
//! Fargate, each bound to its node; the Cluster Autoscaler neither adds a
//! node for one nor keeps a node for one.

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::{seconds, World};

mod common;
use common::{command, played as world};

const CLUSTER: &str = r#"{"do":"createEksCluster","name":"c"}"#;
const TWO: &str = r#"{"do":"createNodeGroup","cluster":"c","name":"ng","instanceType":"m5.large","minSize":2,"maxSize":4,"desiredSize":2}"#;
const BATCH: &str =
    r#"{"do":"createFargateProfile","cluster":"c","name":"fp","namespace":"batch"}"#;
const LOGS: &str = r#"{"do":"createDeployment","cluster":"c","name":"logs","namespace":"batch","replicas":0,"cpuRequestMillicores":100,"memoryRequestMiB":128,"daemon":true}"#;

/// (node, phase) of each pod of `deployment`; Fargate pods as "fargate".
fn placed(world: &World, deployment: &str) -> Vec<(String, PodPhase)> {
    world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == deployment)
        .map(|p| {
            let node = match &p.placement {
                PodPlacement::Node { node } => node.clone(),
                PodPlacement::Fargate { .. } => "fargate".into(),
                PodPlacement::Unscheduled => String::new(),
            };
            (node, p.phase)
        })
        .collect()
}

#[test]
fn a_daemonset_runs_one_pod_on_each_ec2_node_and_none_on_fargate() {
    // Its namespace is a Fargate profile's, yet its pods go to EC2 nodes.
    let mut w = world(&[CLUSTER, TWO, BATCH, LOGS], 300);
    let pods = placed(&w, "logs");
    assert_eq!(pods.len(), 2, "{pods:?}");
    let nodes: std::collections::BTreeSet<&String> = pods.iter().map(|p| &p.0).collect();
    assert_eq!(nodes.len(), 2, "one a node: {pods:?}");
    assert!(pods
        .iter()
        .all(|p| p.0.starts_with("ip-") && p.1 == PodPhase::Running));
    assert_eq!(w.eks().deployments["logs"].replicas, 2);

    // A third node gets its own pod once it is Ready.
    w.apply(command(
        r#"{"do":"updateNodeGroupConfig","cluster":"c","nodegroup":"ng","desiredSize":3}"#,
    ))
    .unwrap();
    w.advance_to(seconds(600));
    assert_eq!(placed(&w, "logs").len(), 3);
    assert_eq!(w.eks().deployments["logs"].replicas, 3);
}

#[test]
fn taints_keep_daemon_pods_off_unless_they_tolerate_them() {
    let tainted = r#"{"do":"createNodeGroup","cluster":"c","name":"gpu","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]}"#;
    let w = world(&[CLUSTER, TWO, tainted, LOGS], 300);
    assert_eq!(placed(&w, "logs").len(), 2, "not on the tainted node");
    let tolerant = LOGS.replace(
        r#""daemon":true"#,
        r#""daemon":true,"nodeRules":{"tolerations":[{"exists":true}]}"#,
    );
    let w = world(&[CLUSTER, TWO, tainted, &tolerant], 300);
    assert_eq!(placed(&w, "logs").len(), 3, "tolerates every taint");
}

#[test]
fn a_daemon_pod_without_room_waits_on_its_node_and_the_autoscaler_adds_none() {
    // Both nodes full of web (the group may grow to four), then the agent.
    let big = r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":2,"cpuRequestMillicores":1700,"memoryRequestMiB":256}"#;
    let mut w = world(&[CLUSTER, TWO, big], 300);
    let agent = LOGS.replace(
        r#""cpuRequestMillicores":100"#,
        r#""cpuRequestMillicores":400"#,
    );
    w.apply(command(&agent)).unwrap();
    w.advance_to(seconds(900));
    let pods = placed(&w, "logs");
    assert!(pods.iter().all(|p| p.1 == PodPhase::Pending), "{pods:?}");
    let why = w
        .eks()
        .pods
        .values()
        .find(|p| p.deployment == "logs")
        .unwrap()
        .pending
        .clone()
        .unwrap()
        .1;
    assert_eq!(
        why,
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector."
    );
    assert_eq!(
        w.eks().groups["ng"].nodes.len(),
        2,
        "a new node would not help a pod bound to its node"
    );
}

#[test]
fn daemon_pods_do_not_keep_an_unneeded_node() {
    let three = TWO.replace(
        r#""minSize":2,"maxSize":4,"desiredSize":2"#,
        r#""minSize":1,"maxSize":3,"desiredSize":3"#,
    );
    let w = world(&[CLUSTER, &three, LOGS], 2400);
    assert_eq!(
        w.eks().groups["ng"].nodes.len(),
        1,
        "nodes with only daemon pods go"
    );
    assert_eq!(
        placed(&w, "logs")
            .iter()
            .filter(|p| p.1 == PodPhase::Running)
            .count(),
        1
    );
}

/// A bare Pod (`kind: Pod`, `kubectl run`): one pod with its own name,
/// which nothing replaces and the Cluster Autoscaler will not move.
#[test]
fn a_bare_pod_is_not_replaced_and_keeps_its_node() {
    let three = TWO.replace(
        r#""minSize":2,"maxSize":4,"desiredSize":2"#,
        r#""minSize":1,"maxSize":3,"desiredSize":3"#,
    );
    let bare = r#"{"do":"createDeployment","cluster":"c","name":"debug","replicas":1,"cpuRequestMillicores":100,"memoryRequestMiB":64,"bare":true}"#;
    let mut w = world(&[CLUSTER, &three, bare], 2400);
    assert_eq!(placed(&w, "debug").len(), 1);
    assert!(w.eks().pods.contains_key("debug"), "named as the Pod");
    // Its node is kept; the two empty ones go.
    assert_eq!(w.eks().groups["ng"].nodes.len(), 1);
    w.apply(command(r#"{"do":"deletePod","pod":"debug"}"#))
        .unwrap();
    w.advance_to(seconds(2500));
    assert!(placed(&w, "debug").is_empty(), "not recreated");
    assert!(
        !w.eks().deployments.contains_key("debug"),
        "the Pod object is gone"
    );
}
