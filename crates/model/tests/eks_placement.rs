//! Where the scheduler may put a pod: taints and tolerations, nodeSelector
//! and required node affinity on EKS's node labels, with the scheduler's
//! words when no node will do, and the Cluster Autoscaler growing only a
//! node group whose new nodes would take the pod.

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::{seconds, What, World};

mod common;
use common::{command, two_zones};

fn world(commands: &[&str]) -> World {
    common::played(commands, 600)
}

const CLUSTER: &str = r#"{"do":"createEksCluster","name":"c"}"#;
const TAINTED: &str = r#"{"do":"createNodeGroup","cluster":"c","name":"gpu","instanceType":"m5.large","minSize":2,"maxSize":2,"desiredSize":2,"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]}"#;

fn web(rules: &str) -> String {
    format!(
        r#"{{"do":"createDeployment","cluster":"c","name":"web","replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":256{rules}}}"#
    )
}

/// Each pod of web: its phase, its node group (None on no node), and why
/// it waits.
fn pods(world: &World) -> Vec<(PodPhase, Option<String>, String)> {
    let eks = world.eks();
    eks.pods
        .values()
        .filter(|p| p.deployment == "web")
        .map(|p| {
            let group = match &p.placement {
                PodPlacement::Node { node } => Some(eks.nodes[node].group.clone()),
                _ => None,
            };
            let why = p.pending.clone().map(|(_, r)| r).unwrap_or_default();
            (p.phase, group, why)
        })
        .collect()
}

#[test]
fn a_taint_keeps_out_the_pods_that_do_not_tolerate_it() {
    let refused = world(&[CLUSTER, TAINTED, &web("")]);
    for (phase, _, why) in pods(&refused) {
        assert_eq!(phase, PodPhase::Pending);
        assert_eq!(
            why,
            "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}."
        );
    }
    // Equal with the value, Exists without one, or the key with no effect.
    for toleration in [
        r#"{"key":"dedicated","value":"gpu","effect":"NoSchedule"}"#,
        r#"{"key":"dedicated","exists":true}"#,
        r#"{"exists":true}"#,
    ] {
        let rules = format!(r#","nodeRules":{{"tolerations":[{toleration}]}}"#);
        let allowed = world(&[CLUSTER, TAINTED, &web(&rules)]);
        assert!(
            pods(&allowed).iter().all(|p| p.0 == PodPhase::Running),
            "{toleration}: {:?}",
            pods(&allowed)
        );
    }
    // A toleration for another value or another effect is not enough.
    for toleration in [
        r#"{"key":"dedicated","value":"cpu"}"#,
        r#"{"key":"dedicated","exists":true,"effect":"NoExecute"}"#,
    ] {
        let rules = format!(r#","nodeRules":{{"tolerations":[{toleration}]}}"#);
        let still = world(&[CLUSTER, TAINTED, &web(&rules)]);
        assert!(
            pods(&still).iter().all(|p| p.0 == PodPhase::Pending),
            "{toleration}"
        );
    }
}

#[test]
fn a_node_selector_chooses_nodes_by_label_and_the_autoscaler_grows_a_group_that_matches() {
    let on_demand = r#"{"do":"createNodeGroup","cluster":"c","name":"steady","instanceType":"m5.large","minSize":1,"maxSize":3,"desiredSize":1}"#;
    let spot = r#"{"do":"createNodeGroup","cluster":"c","name":"spot","instanceType":"m5.large","minSize":0,"maxSize":3,"desiredSize":0,"capacityType":"SPOT","labels":{"team":"batch"}}"#;
    // Only the on-demand group has a node: the Spot pods wait, and the
    // Cluster Autoscaler grows the Spot group (from zero) for them.
    let selector = r#","nodeRules":{"nodeSelector":{"eks.amazonaws.com/capacityType":"SPOT"}}"#;
    let mut first = two_zones();
    for json in [CLUSTER, on_demand, spot, &web(selector)] {
        first.apply(command(json)).unwrap();
    }
    let events = first.advance_to(seconds(900));
    assert!(
        events.iter().any(|e| matches!(&e.what, What::PodPending { reason, .. }
            if reason == "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.")),
        "the steady node was seen and refused"
    );
    assert!(events
        .iter()
        .any(|e| matches!(&e.what, What::ClusterAutoscaler { group, .. } if group == "spot")));
    let placed = pods(&first);
    assert!(
        placed
            .iter()
            .all(|p| p.0 == PodPhase::Running && p.1.as_deref() == Some("spot")),
        "{placed:?}"
    );
    assert_eq!(
        first.eks().groups["steady"].nodes.len(),
        1,
        "not the group that cannot take them"
    );

    // Required node affinity: In on a group's own label.
    let affinity =
        r#","nodeRules":{"requiredTerms":[[{"key":"team","operator":"In","values":["batch"]}]]}"#;
    let spot_up = spot.replace(r#""desiredSize":0"#, r#""desiredSize":1"#);
    let chosen = world(&[CLUSTER, on_demand, &spot_up, &web(affinity)]);
    assert!(
        pods(&chosen)
            .iter()
            .all(|p| p.0 == PodPhase::Running && p.1.as_deref() == Some("spot")),
        "{:?}",
        pods(&chosen)
    );
    // NotIn keeps them off it.
    let avoid = r#","nodeRules":{"requiredTerms":[[{"key":"team","operator":"NotIn","values":["batch"]}]]}"#;
    let avoided = world(&[CLUSTER, on_demand, &spot_up, &web(avoid)]);
    assert!(pods(&avoided)
        .iter()
        .all(|p| p.0 == PodPhase::Running && p.1.as_deref() == Some("steady")));
}

#[test]
fn the_scheduler_reports_the_first_filter_each_node_fails_sorted_as_it_sorts_them() {
    // One tainted node group and one plain group that is full.
    let plain = r#"{"do":"createNodeGroup","cluster":"c","name":"plain","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1}"#;
    let big = r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":3,"cpuRequestMillicores":1500,"memoryRequestMiB":256}"#;
    let w = world(&[CLUSTER, TAINTED, plain, big]);
    let waiting: Vec<String> = pods(&w)
        .into_iter()
        .filter(|p| p.0 == PodPhase::Pending)
        .map(|p| p.2)
        .collect();
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|w| w
        == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}."));
}

#[test]
fn a_taint_added_later_keeps_new_pods_off_and_leaves_running_ones() {
    let plain = r#"{"do":"createNodeGroup","cluster":"c","name":"plain","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1}"#;
    let mut w = world(&[CLUSTER, plain, &web("")]);
    assert!(pods(&w).iter().all(|p| p.0 == PodPhase::Running));
    let node = w.eks().nodes.keys().next().unwrap().clone();
    w.apply(command(&format!(
        r#"{{"do":"setNodeTaints","node":"{node}","taints":[{{"key":"maintenance","effect":"NoSchedule"}}]}}"#
    )))
    .unwrap();
    w.apply(command(
        r#"{"do":"scaleDeployment","deployment":"web","replicas":3}"#,
    ))
    .unwrap();
    w.advance_to(w.now() + seconds(60));
    let now = pods(&w);
    assert_eq!(now.iter().filter(|p| p.0 == PodPhase::Running).count(), 2);
    assert!(now.iter().any(
        |p| p.2 == "0/1 nodes are available: 1 node(s) had untolerated taint {maintenance: }."
    ));
}
