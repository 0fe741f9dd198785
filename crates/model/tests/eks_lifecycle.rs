//! A Deployment after it exists, as kubectl changes it: `rollout restart`
//! (how pods reach a Fargate profile made after them), `apply` of a new
//! spec, `delete`, an HPA attached or removed, and namespaces.

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::{seconds, What, World};

mod common;
use common::command;

fn world(commands: &[&str]) -> World {
    common::played(commands, 600)
}

// minSize 2: the Cluster Autoscaler may not take a node away mid-test.
const CLUSTER: &str = r#"{"do":"createEksCluster","name":"c"}"#;
const NODES: &str = r#"{"do":"createNodeGroup","cluster":"c","name":"ng","instanceType":"m5.large","minSize":2,"maxSize":3,"desiredSize":2}"#;
const WEB: &str = r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#;

fn pods(world: &World, deployment: &str) -> Vec<(String, PodPhase, bool)> {
    world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == deployment)
        .map(|p| {
            let fargate = matches!(p.placement, PodPlacement::Fargate { .. });
            (p.name.clone(), p.phase, fargate)
        })
        .collect()
}

#[test]
fn rollout_restart_moves_existing_pods_onto_a_later_fargate_profile() {
    let mut world = world(&[CLUSTER, NODES, WEB]);
    let before = pods(&world, "web");
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|p| p.1 == PodPhase::Running && !p.2));

    world
        .apply(command(
            r#"{"do":"createFargateProfile","cluster":"c","name":"fp","namespace":"default"}"#,
        ))
        .unwrap();
    let later = world.now() + seconds(300);
    world.advance_to(later);
    assert!(
        pods(&world, "web").iter().all(|p| !p.2),
        "a profile never moves pods that already exist"
    );

    world
        .apply(command(r#"{"do":"restartDeployment","deployment":"web"}"#))
        .unwrap();
    let later = world.now() + seconds(300);
    world.advance_to(later);
    let after: Vec<_> = pods(&world, "web")
        .into_iter()
        .filter(|p| p.1 != PodPhase::Terminating)
        .collect();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after.iter().all(|p| p.1 == PodPhase::Running && p.2),
        "{after:?}"
    );
    assert!(
        after.iter().all(|p| before.iter().all(|b| b.0 != p.0)),
        "new pods"
    );
}

#[test]
fn applying_a_new_spec_scales_on_replicas_and_replaces_pods_on_a_new_template() {
    let mut world = world(&[CLUSTER, NODES, WEB]);
    let first = pods(&world, "web");
    let events = world
        .apply(command(
            r#"{"do":"updateDeployment","cluster":"c","name":"web","replicas":3,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
        ))
        .unwrap();
    assert!(events.iter().any(|e| matches!(&e.what,
        What::DeploymentScaled { from: 2, to: 3, reason, .. } if reason == "kubectl apply.")));
    let later = world.now() + seconds(120);
    world.advance_to(later);
    let live: Vec<_> = pods(&world, "web")
        .into_iter()
        .filter(|p| p.1 == PodPhase::Running)
        .collect();
    assert_eq!(live.len(), 3, "{:?}", world.eks().pods);
    assert!(
        first.iter().all(|f| live.iter().any(|l| l.0 == f.0)),
        "same template: the first pods stay"
    );

    world
        .apply(command(
            r#"{"do":"updateDeployment","cluster":"c","name":"web","replicas":3,"cpuRequestMillicores":300,"memoryRequestMiB":256}"#,
        ))
        .unwrap();
    let later = world.now() + seconds(120);
    world.advance_to(later);
    let live: Vec<_> = world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web" && p.phase == PodPhase::Running)
        .collect();
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|p| p.cpu == 300), "new template, new pods");

    let wrong_cluster = world.apply(command(
        r#"{"do":"updateDeployment","cluster":"other","name":"web","replicas":1,"cpuRequestMillicores":300,"memoryRequestMiB":256}"#,
    ));
    assert_eq!(wrong_cluster.unwrap_err().code, "deployment-exists");
}

#[test]
fn deleting_a_deployment_removes_its_pods_and_frees_the_nodes() {
    let mut world = world(&[CLUSTER, NODES, WEB]);
    world
        .apply(command(r#"{"do":"deleteDeployment","deployment":"web"}"#))
        .unwrap();
    assert!(world.eks().deployments.is_empty());
    assert!(pods(&world, "web").is_empty(), "removed at once");
    assert!(world
        .eks()
        .nodes
        .values()
        .all(|n| n.requested_cpu == 0 && n.pods.is_empty()));
    let again = world.apply(command(r#"{"do":"deleteDeployment","deployment":"web"}"#));
    assert_eq!(again.unwrap_err().code, "no-deployment");
}

#[test]
fn an_hpa_on_a_deployment_without_a_cpu_request_is_accepted_and_says_it_cannot_compute() {
    let mut world = world(&[
        CLUSTER,
        NODES,
        r#"{"do":"createDeployment","cluster":"c","name":"bare","replicas":1,"cpuRequestMillicores":0,"memoryRequestMiB":128}"#,
        WEB,
    ]);
    let hpa = r#"{"targetCpuUtilization":50,"minReplicas":1,"maxReplicas":4}"#;
    world
        .apply(command(&format!(
            r#"{{"do":"setDeploymentHpa","deployment":"bare","hpa":{hpa}}}"#
        )))
        .expect("the API server does not look at the target's requests");
    world.advance_to(world.now() + seconds(120));
    let eks = world.eks();
    let bare = &eks.deployments["bare"];
    let why = eks
        .hpa_cannot_compute(bare)
        .expect("no request to measure against");
    assert!(
        why.starts_with(
            "failed to get cpu utilization: missing request for cpu in container bare of Pod bare-"
        ),
        "{why}"
    );
    assert_eq!(bare.replicas, 1, "it does nothing");
    assert_eq!(eks.hpa_cannot_compute(&eks.deployments["web"]), None);

    world
        .apply(command(&format!(
            r#"{{"do":"setDeploymentHpa","deployment":"web","hpa":{hpa}}}"#
        )))
        .unwrap();
    assert!(world.eks().deployments["web"].hpa.is_some());
    world
        .apply(command(r#"{"do":"setDeploymentHpa","deployment":"web"}"#))
        .unwrap();
    assert!(world.eks().deployments["web"].hpa.is_none());
}

/// The HPA controller seeds a new HPA's scale-down stabilisation window
/// with the current count: with no load at all, it still waits five
/// minutes before scaling down.
#[test]
fn a_new_hpa_cannot_scale_down_in_its_first_five_minutes() {
    let mut world = world(&[
        CLUSTER,
        NODES,
        r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":4,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
    ]);
    let created = world.now();
    world
        .apply(command(
            r#"{"do":"setDeploymentHpa","deployment":"web","hpa":{"targetCpuUtilization":50,"minReplicas":1,"maxReplicas":8}}"#,
        ))
        .unwrap();
    world.advance_to(created + seconds(290));
    assert_eq!(
        world.eks().deployments["web"].replicas,
        4,
        "held by the seeded window"
    );
    let events = world.advance_to(created + seconds(330));
    assert_eq!(world.eks().deployments["web"].replicas, 1);
    assert!(events
        .iter()
        .any(|e| matches!(&e.what, What::DeploymentScaled { from: 4, to: 1, .. })));
}

/// Outside minReplicas..maxReplicas the controller sets the count to the
/// bound without reading a metric.
#[test]
fn a_count_outside_the_hpa_bounds_is_set_to_the_bound_without_metrics() {
    let mut world = world(&[
        CLUSTER,
        NODES,
        r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":6,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"few","replicas":1,"cpuRequestMillicores":0,"memoryRequestMiB":128}"#,
    ]);
    for (deployment, min, max) in [("web", 1, 3), ("few", 3, 5)] {
        world
            .apply(command(&format!(
                r#"{{"do":"setDeploymentHpa","deployment":"{deployment}","hpa":{{"targetCpuUtilization":50,"minReplicas":{min},"maxReplicas":{max}}}}}"#
            )))
            .unwrap();
    }
    let events = world.advance_to(world.now() + seconds(30));
    let reason = |name: &str| {
        events
            .iter()
            .find_map(|e| match &e.what {
                What::DeploymentScaled {
                    deployment,
                    reason,
                    from,
                    to,
                } if deployment == name => Some((*from, *to, reason.clone())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name} is set to its bound"))
    };
    assert_eq!(
        reason("web"),
        (
            6,
            3,
            "HPA: Current number of replicas above Spec.MaxReplicas.".to_string()
        )
    );
    // Even with no CPU request (no metric to read), the floor applies.
    assert_eq!(
        reason("few"),
        (
            1,
            3,
            "HPA: Current number of replicas below Spec.MinReplicas.".to_string()
        )
    );
}

#[test]
fn namespaces_are_built_in_created_or_brought_by_deployments() {
    let mut world = world(&[CLUSTER, WEB]);
    let names = world.eks().namespaces_of("c");
    for built_in in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        assert!(names.contains(built_in));
    }
    world
        .apply(command(
            r#"{"do":"createNamespace","cluster":"c","namespace":"shop"}"#,
        ))
        .unwrap();
    assert!(world.eks().has_namespace("c", "shop"));
    assert!(!world.eks().has_namespace("other", "shop"));
    let twice = world.apply(command(
        r#"{"do":"createNamespace","cluster":"c","namespace":"shop"}"#,
    ));
    let refusal = twice.unwrap_err();
    assert_eq!(refusal.code, "namespace-exists");
    assert_eq!(refusal.message, r#"namespaces "shop" already exists"#);
    let nowhere = world.apply(command(
        r#"{"do":"createNamespace","cluster":"none","namespace":"shop"}"#,
    ));
    assert!(nowhere.is_err());
}

#[test]
fn eks_fargate_pods_are_billed_per_second_with_a_one_minute_minimum() {
    // The bill at a fixed later time when the only pod is deleted `after`
    // seconds of running on Fargate (the cluster's own fee is the same in
    // every run, so only the pod's share differs).
    let bill = |after: u64| {
        let mut world = common::two_zones();
        for json in [
            CLUSTER,
            r#"{"do":"createFargateProfile","cluster":"c","name":"fp","namespace":"default"}"#,
        ] {
            world.apply(command(json)).unwrap();
        }
        world.advance_to(seconds(300));
        world
            .apply(command(r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":1,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#))
            .unwrap();
        let scheduled = loop {
            if let Some(at) = world.eks().pods.values().next().unwrap().scheduled_at {
                break at;
            }
            world.advance_to(world.now() + 1_000);
        };
        assert!(
            world.now() < scheduled + seconds(5),
            "caught as it is scheduled"
        );
        world.advance_to(scheduled + seconds(after));
        world
            .apply(command(r#"{"do":"deleteDeployment","deployment":"web"}"#))
            .unwrap();
        world.advance_to(scheduled + seconds(600));
        world.cost()
    };
    let (ten_seconds, one_minute, two_minutes) = (bill(10), bill(60), bill(120));
    assert!(
        (ten_seconds - one_minute).abs() < 1e-12,
        "10 s is billed as a minute: {ten_seconds} vs {one_minute}"
    );
    assert!(
        two_minutes > one_minute + 1e-9,
        "past the minute, per second: {ten_seconds} {one_minute} {two_minutes}"
    );
}
