//! PodDisruptionBudgets: the disruption controller's count of the pods a
//! voluntary disruption may take, and the Cluster Autoscaler keeping a
//! node whose pods a budget protects.

use dockyard_model::sim::eks::PodPhase;
use dockyard_model::sim::{seconds, World};

mod common;
use common::{command, two_zones};

/// Three nodes, and web's three 300m pods one on each (the scheduler
/// spreads them to the emptiest node): every node is under half used,
/// so the Cluster Autoscaler finds them unneeded.
fn spread(extra: &[&str]) -> World {
    let mut world = two_zones();
    let base = [
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"ng","instanceType":"m5.large","minSize":1,"maxSize":3,"desiredSize":3}"#,
    ];
    for json in base {
        world.apply(command(json)).unwrap();
    }
    world.advance_to(seconds(150));
    for json in [r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":3,"cpuRequestMillicores":300,"memoryRequestMiB":256,"labels":{"app":"web"}}"#]
        .iter()
        .chain(extra)
    {
        world.apply(command(json)).unwrap_or_else(|e| panic!("{json}: {e:?}"));
    }
    world.advance_to(seconds(200));
    world
}

#[test]
fn without_a_budget_the_autoscaler_removes_underused_nodes() {
    let mut world = spread(&[]);
    world.advance_to(seconds(2400));
    assert!(world.eks().nodes.len() < 3, "{}", world.eks().nodes.len());
    let running = world
        .eks()
        .pods
        .values()
        .filter(|p| p.phase == PodPhase::Running)
        .count();
    assert_eq!(running, 3, "the pods moved");
}

#[test]
fn a_budget_with_no_disruption_allowed_keeps_every_node() {
    let pdb = r#"{"do":"putPodDisruptionBudget","cluster":"c","name":"web","selector":{"app":"web"},"maxUnavailable":{"count":0}}"#;
    let mut world = spread(&[pdb]);
    let status = world
        .eks()
        .pdb_status(&world.eks().pdbs.values().next().unwrap().spec);
    assert_eq!(
        (
            status.current_healthy,
            status.desired_healthy,
            status.expected_pods,
            status.disruptions_allowed
        ),
        (3, 3, 3, 0)
    );
    world.advance_to(seconds(2400));
    assert_eq!(world.eks().nodes.len(), 3);
}

#[test]
fn a_budget_counts_percentages_up_and_refuses_both_fields() {
    // 50% of 3 is 1.5: minAvailable rounds up to 2, so one may go.
    let half = r#"{"do":"putPodDisruptionBudget","cluster":"c","name":"web","selector":{"app":"web"},"minAvailable":{"percent":50}}"#;
    let mut world = spread(&[half]);
    let status = world
        .eks()
        .pdb_status(&world.eks().pdbs.values().next().unwrap().spec);
    assert_eq!((status.desired_healthy, status.disruptions_allowed), (2, 1));
    world.advance_to(seconds(2400));
    assert!(
        world.eks().nodes.len() < 3,
        "one at a time, the budget allows it"
    );

    let both = command(
        r#"{"do":"putPodDisruptionBudget","cluster":"c","name":"x","selector":{"app":"web"},"minAvailable":{"count":1},"maxUnavailable":{"count":1}}"#,
    );
    let refused = world.apply(both).unwrap_err();
    assert_eq!(refused.code, "pdb");
    let gone = world.apply(command(
        r#"{"do":"deletePodDisruptionBudget","cluster":"c","name":"nope"}"#,
    ));
    assert_eq!(gone.unwrap_err().code, "no-pdb");
}
