//! EKS in the simulation (rules §7): the shipped EKS scenarios do what
//! their descriptions promise, the HPA and the Cluster Autoscaler follow
//! their documented rules, runs are deterministic, and no node is ever
//! over-committed whatever the learner does.

use std::path::Path;

use dockyard_model::sim::catalogue::EKS_CONTROL_PLANE_PER_HOUR;
use dockyard_model::sim::eks::{PendingKind, PodPhase, PodPlacement};
use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{seconds, Command, Event, Parameters, What, World};
use proptest::prelude::{prop, prop_assert, prop_oneof, proptest, ProptestConfig};
use proptest::strategy::Strategy as _;

fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(format!("{name}.scenario.json"));
    Scenario::parse(&std::fs::read_to_string(&path).expect("a shipped scenario"))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Plays a scenario's steps on a world, to look at the state afterwards.
fn play(scenario: &Scenario) -> (World, Vec<Event>) {
    let mut world = World::new(
        scenario.seed,
        scenario.parameters.clone(),
        &scenario.region,
        scenario.availability_zones.clone(),
    );
    let mut events = Vec::new();
    for step in &scenario.steps {
        events.extend(world.advance_to(seconds(step.at)));
        events.extend(world.apply(step.command.clone()).expect("accepted"));
    }
    events.extend(world.advance_to(seconds(scenario.until)));
    (world, events)
}

/// A command written as in a scenario step (flat, with "do").
fn command(json: &str) -> Command {
    serde_json::from_str::<dockyard_model::sim::scenario::Step>(json)
        .unwrap_or_else(|e| panic!("{json}: {e}"))
        .command
}

#[test]
fn hpa_scales_up_with_its_numbers_and_the_policy_limit() {
    let run = scenario("eks-hpa-cluster-autoscaler").run(None, None);
    assert!(run.refused.is_empty(), "{:?}", run.refused);
    let scaled: Vec<(u64, u32, u32, &str)> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::DeploymentScaled {
                from, to, reason, ..
            } => Some((e.at, *from, *to, reason.as_str())),
            _ => None,
        })
        .collect();
    // 4000m of work on 2 pods of 500m at a 50% target: ceil(2 × 400 / 50) = 16,
    // but one sync may add only 100% or 4 pods, whichever is more.
    let (at, from, to, reason) = scaled[0];
    assert_eq!((at, from, to), (seconds(600), 2, 6));
    assert!(reason.contains("ceil(2 × 400 / 50) = 16"), "{reason}");
    assert!(reason.contains("limited to 6"), "{reason}");
    assert_eq!(scaled[1].0, seconds(615), "the next sync is 15 s later");
    assert!(scaled.iter().any(|s| s.2 == 16));
    // Down only after the 300 s stabilisation window once the spike ends.
    let down = scaled.iter().find(|s| s.2 < s.1).expect("a scale-down");
    assert!(down.0 >= seconds(2400 + 300), "{down:?}");
    assert!(down.3.contains("300 s"), "{}", down.3);
}

#[test]
fn pods_go_pending_for_cpu_and_the_cluster_autoscaler_adds_then_removes_nodes() {
    let run = scenario("eks-hpa-cluster-autoscaler").run(None, None);
    let insufficient = run.events.iter().find_map(|e| match &e.what {
        What::PodPending { reason, .. } if reason.contains("Insufficient cpu") => {
            Some(reason.clone())
        }
        _ => None,
    });
    assert_eq!(
        insufficient.as_deref(),
        Some("0/2 nodes are available: 2 Insufficient cpu.")
    );
    let ca: Vec<(u64, u32, u32)> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::ClusterAutoscaler { from, to, .. } => Some((e.at, *from, *to)),
            _ => None,
        })
        .collect();
    let first_up = ca.iter().find(|c| c.2 > c.1).expect("a scale-out");
    assert_eq!(first_up.1, 2);
    let last_up = ca.iter().rev().find(|c| c.2 > c.1).unwrap();
    assert!(last_up.2 <= 8, "within maxSize");
    let hpa_down = run
        .events
        .iter()
        .find_map(|e| match &e.what {
            What::DeploymentScaled { from, to, .. } if to < from => Some(e.at),
            _ => None,
        })
        .unwrap();
    let first_down = ca.iter().find(|c| c.2 < c.1).expect("a scale-in");
    assert!(first_down.0 >= hpa_down + seconds(600), "{first_down:?}");
    assert!(ca.iter().all(|c| c.2 >= 2), "never below minSize");
    // The emptied nodes go together, in one bulk deletion.
    let downs: Vec<_> = ca.iter().filter(|c| c.2 < c.1).collect();
    assert_eq!(downs.len(), 4, "{downs:?}");
    assert!(downs.iter().all(|c| c.0 == first_down.0));
    // Everything ran at the peak, and it ends on the minimum.
    assert!(run
        .timeline
        .iter()
        .any(|s| s.pods_running == 16 && s.pods_pending == 0));
    assert!(run.timeline.iter().all(|s| s.nodes_total <= 8));
    let last = run.timeline.last().unwrap();
    assert_eq!((last.nodes_ready, last.nodes_total), (2, 2));
    assert_eq!((last.pods_running, last.deployments[0].replicas), (2, 2));
    // The ECS figures stay at zero.
    assert!(run
        .timeline
        .iter()
        .all(|s| s.services.is_empty() && s.tasks_running == 0));
}

#[test]
fn fargate_pods_get_their_own_rounded_up_micro_vm_and_unmatched_pods_say_why() {
    let (world, events) = play(&scenario("eks-fargate-profile"));
    let eks = world.eks();
    let report: Vec<_> = eks
        .pods
        .values()
        .filter(|p| p.deployment == "report")
        .collect();
    assert_eq!(report.len(), 3);
    for pod in &report {
        assert_eq!(pod.phase, PodPhase::Running);
        assert_eq!(
            pod.placement,
            PodPlacement::Fargate {
                cpu_units: 2048,
                memory_mib: 9216
            }
        );
    }
    // One pod per micro-VM: a scheduling event each, no nodes at all.
    let fargate_binds = events
        .iter()
        .filter(|e| matches!(&e.what, What::PodScheduled { on, .. } if on.contains("its own Fargate micro-VM of 2 vCPU / 9 GB")))
        .count();
    assert_eq!(fargate_binds, 3);
    assert!(eks.nodes.is_empty());
    let web: Vec<_> = eks
        .pods
        .values()
        .filter(|p| p.deployment == "web")
        .collect();
    assert_eq!(web.len(), 2);
    for pod in web {
        assert_eq!(pod.phase, PodPhase::Pending);
        let (kind, reason) = pod.pending.clone().unwrap();
        assert_eq!(kind, PendingKind::NoFargateProfile);
        // The scheduler's words (each Fargate pod's node is tainted),
        // then Dockyard's reason in EKS's terms.
        assert_eq!(
            reason,
            "0/3 nodes are available: 3 node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}. [dockyard: no Fargate profile matches namespace default and labels {app=web}, and the cluster has no EC2 nodes.]"
        );
    }
    // 3 × (2 vCPU + 9 GB) for 10 minutes, less the moments before binding,
    // and the cluster's control plane.
    let hourly = 3.0 * (2.0 * 0.04048 + 9.0 * 0.004445) + EKS_CONTROL_PLANE_PER_HOUR;
    assert!(
        (world.cost() - hourly / 6.0).abs() < 1e-9,
        "{}",
        world.cost()
    );
}

/// EKS chooses Fargate when a pod is created (its admission webhook sets
/// the pod's scheduler), so a profile created later leaves the existing
/// Pending pods where they are; recreating them puts them on Fargate.
#[test]
fn a_fargate_profile_applies_only_to_pods_created_after_it() {
    let (mut world, _) = play(&scenario("eks-fargate-profile"));
    let profile = command(
        r#"{"do": "createFargateProfile", "cluster": "jobs", "name": "web-profile", "namespace": "default"}"#,
    );
    let events = world.apply(profile).expect("accepted");
    let now = world.now();
    world.advance_to(now + seconds(600));
    let web: Vec<_> = world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web")
        .collect();
    assert_eq!(web.len(), 2);
    for pod in &web {
        assert_eq!(pod.phase, PodPhase::Pending, "{pod:?}");
        assert_eq!(pod.fargate_profile, None);
        let (_, reason) = pod.pending.clone().unwrap();
        assert!(
            reason.contains(
                "[dockyard: Fargate profile web-profile matches now, but it was created after this pod"
            ),
            "{reason}"
        );
    }
    // The learner is told at once, in the event log.
    assert!(events.iter().any(|e| matches!(&e.what,
        What::PodPending { reason, .. } if reason.contains("created after this pod"))));

    // Scale to 0 and back: the new pods are matched at creation.
    for replicas in [0, 2] {
        let scale =
            format!(r#"{{"do": "scaleDeployment", "deployment": "web", "replicas": {replicas}}}"#);
        world.apply(command(&scale)).expect("accepted");
    }
    let now = world.now();
    world.advance_to(now + seconds(600));
    let web: Vec<_> = world
        .eks()
        .pods
        .values()
        .filter(|p| p.deployment == "web")
        .collect();
    assert_eq!(web.len(), 2);
    for pod in &web {
        assert_eq!(pod.phase, PodPhase::Running, "{pod:?}");
        assert_eq!(pod.fargate_profile.as_deref(), Some("web-profile"));
        assert!(matches!(pod.placement, PodPlacement::Fargate { .. }));
    }
}

/// Fargate pods: no EBS at all, EFS only with a PersistentVolume made
/// beforehand (static provisioning); each refusal says why (rules §7.3-7.4).
#[test]
fn fargate_pods_mount_only_statically_provisioned_efs() {
    let (mut world, _) = play(&scenario("eks-fargate-profile"));
    for (name, storage, provisioning) in [
        ("on-ebs", "ebs", "dynamic"),
        ("on-efs-dynamic", "efs", "dynamic"),
        ("on-efs-static", "efs", "static"),
    ] {
        let create = format!(
            r#"{{"do": "createDeployment", "cluster": "jobs", "name": "{name}", "namespace": "batch",
                "replicas": 1, "cpuRequestMillicores": 250, "memoryRequestMiB": 512,
                "volume": {{"storage": "{storage}", "provisioning": "{provisioning}"}}}}"#
        );
        world.apply(command(&create)).expect("accepted");
    }
    let now = world.now();
    world.advance_to(now + seconds(300));
    let pod = |deployment: &str| {
        world
            .eks()
            .pods
            .values()
            .find(|p| p.deployment == deployment)
            .cloned()
            .unwrap()
    };
    let ebs = pod("on-ebs");
    assert_eq!(ebs.phase, PodPhase::Pending);
    let (kind, reason) = ebs.pending.unwrap();
    assert_eq!(kind, PendingKind::FargateUnsupported);
    assert!(
        reason.starts_with("Pod not supported on Fargate (profile batch-profile): its PersistentVolumeClaim is for EBS"),
        "{reason}"
    );
    let dynamic = pod("on-efs-dynamic");
    assert_eq!(dynamic.phase, PodPhase::Pending);
    assert!(dynamic
        .pending
        .unwrap()
        .1
        .contains("asks for dynamic provisioning, which Fargate pods do not support"));
    let stat = pod("on-efs-static");
    assert_eq!(stat.phase, PodPhase::Running);
    assert!(matches!(stat.placement, PodPlacement::Fargate { .. }));
}

/// Nobody authorizes self-managed nodes by default: EKS creates access
/// entries for managed node groups (and Fargate profiles) only.
#[test]
fn self_managed_nodes_are_not_authorized_unless_their_role_is_mapped() {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    let mut events = Vec::new();
    for json in [
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"platform-asg","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"managed":false}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"managed","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1}"#,
    ] {
        events.extend(world.apply(command(json)).unwrap());
    }
    events.extend(world.advance_to(seconds(600)));
    let cannot: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::NodeCannotJoin { node, .. } => Some(node.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(cannot.len(), 1, "{cannot:?}");
    let eks = world.eks();
    assert!(!eks.nodes[cannot[0]].ready);
    assert_eq!(eks.nodes[cannot[0]].group, "platform-asg");
    assert_eq!(eks.nodes.values().filter(|n| n.ready).count(), 1);
}

/// EKS maps a managed node group's role itself, so a managed group that
/// claims an unmapped role describes nothing AWS can build.
#[test]
fn a_managed_node_group_cannot_have_an_unmapped_role() {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    world
        .apply(command(r#"{"do":"createEksCluster","name":"c"}"#))
        .unwrap();
    let refused = world
        .apply(command(
            r#"{"do":"createNodeGroup","cluster":"c","name":"m","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"managed":true,"nodeRoleMapped":false}"#,
        ))
        .unwrap_err();
    assert_eq!(refused.code, "node-role-mapped");
    assert!(
        refused
            .message
            .starts_with("nodeRoleMapped: false is for self-managed nodes"),
        "{refused}"
    );
    assert!(world.eks().groups.is_empty());
    // Saying what EKS does anyway is allowed.
    world
        .apply(command(
            r#"{"do":"createNodeGroup","cluster":"c","name":"m","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"managed":true,"nodeRoleMapped":true}"#,
        ))
        .unwrap();
}

#[test]
fn unmapped_self_managed_nodes_boot_but_never_become_ready() {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    );
    let mut events = Vec::new();
    for json in [
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"self","instanceType":"m5.large","minSize":2,"maxSize":2,"desiredSize":2,"managed":false,"nodeRoleMapped":false}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"web","labels":{"app":"web"},"replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
    ] {
        events.extend(world.apply(command(json)).unwrap());
    }
    events.extend(world.advance_to(seconds(3600)));
    let cannot: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::NodeCannotJoin { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(cannot.len(), 2);
    assert!(cannot[0].contains("aws-auth"), "{}", cannot[0]);
    assert!(!events
        .iter()
        .any(|e| matches!(e.what, What::NodeReady { .. })));
    assert!(world.eks().nodes.values().all(|n| !n.ready));
    assert!(world
        .eks()
        .pods
        .values()
        .all(|p| p.phase == PodPhase::Pending));
    // The instances still bill: 2 × m5.large for an hour, with the control plane.
    assert!((world.cost() - 2.0 * 0.096 - EKS_CONTROL_PLANE_PER_HOUR).abs() < 1e-9);
    // A mapped role on the same kind of group joins.
    world
        .apply(command(r#"{"do":"createNodeGroup","cluster":"c","name":"mapped","instanceType":"m5.large","minSize":1,"maxSize":1,"desiredSize":1,"managed":false,"nodeRoleMapped":true}"#))
        .unwrap();
    let later = world.advance_to(seconds(3600 + 300));
    assert!(later
        .iter()
        .any(|e| matches!(e.what, What::NodeReady { .. })));
    assert!(world
        .eks()
        .pods
        .values()
        .all(|p| p.phase == PodPhase::Running));
}

#[test]
fn eks_runs_are_deterministic_and_refuse_bad_commands() {
    for name in ["eks-hpa-cluster-autoscaler", "eks-fargate-profile"] {
        let s = scenario(name);
        let (a, b) = (s.run(None, None), s.run(None, None));
        assert_eq!(a.digest, b.digest, "{name}");
        assert_eq!(a.events, b.events);
    }
    let mut world = World::new(1, Parameters::default(), "us-east-1", vec!["a".into()]);
    let refused = |world: &mut World, json: &str| world.apply(command(json)).unwrap_err().code;
    assert_eq!(
        refused(
            &mut world,
            r#"{"do":"createNodeGroup","cluster":"x","name":"g","instanceType":"m5.large","minSize":1,"maxSize":2,"desiredSize":1}"#
        ),
        "no-eks-cluster"
    );
    world
        .apply(command(r#"{"do":"createEksCluster","name":"c"}"#))
        .unwrap();
    assert_eq!(
        refused(
            &mut world,
            r#"{"do":"createNodeGroup","cluster":"c","name":"g","instanceType":"m5.large","minSize":3,"maxSize":2,"desiredSize":1}"#
        ),
        "scaling-config"
    );
    assert_eq!(
        refused(
            &mut world,
            r#"{"do":"scaleDeployment","deployment":"nope","replicas":1}"#
        ),
        "no-deployment"
    );
    assert_eq!(
        refused(&mut world, r#"{"do":"terminateNode","node":"nope"}"#),
        "no-node"
    );
}

#[derive(Clone, Debug)]
enum Step {
    Scale(u32),
    Terminate(usize),
    Wait(u64),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_node_is_over_committed_and_every_pod_has_one_phase(
        steps in prop::collection::vec(
            prop_oneof![
                (0u32..24).prop_map(Step::Scale),
                (0usize..12).prop_map(Step::Terminate),
                (1u64..400).prop_map(Step::Wait),
            ],
            1..30,
        )
    ) {
        let mut world = World::new(5, Parameters::default(), "us-east-1", vec!["a".into(), "b".into()]);
        for json in [
            r#"{"do":"createEksCluster","name":"c"}"#,
            r#"{"do":"createNodeGroup","cluster":"c","name":"g","instanceType":"t3.medium","minSize":1,"maxSize":5,"desiredSize":2}"#,
            r#"{"do":"createFargateProfile","cluster":"c","name":"fp","namespace":"batch","labels":{"tier":"batch"}}"#,
            r#"{"do":"createDeployment","cluster":"c","name":"web","labels":{"app":"web"},"replicas":3,"cpuRequestMillicores":700,"memoryRequestMiB":900,
                "hpa":{"targetCpuUtilization":60,"minReplicas":1,"maxReplicas":15},
                "load":{"shape":"spike","base":500,"peak":6000,"at":300,"duration":900}}"#,
            r#"{"do":"createDeployment","cluster":"c","name":"job","namespace":"batch","labels":{"tier":"batch"},"replicas":2,"cpuRequestMillicores":300,"memoryRequestMiB":600}"#,
        ] {
            world.apply(command(json)).unwrap();
        }
        for step in steps {
            match step {
                Step::Scale(replicas) => {
                    world.apply(Command::ScaleDeployment { deployment: "web".into(), replicas }).unwrap();
                }
                Step::Terminate(index) => {
                    let node = world.eks().nodes.keys().nth(index).cloned();
                    if let Some(node) = node {
                        world.apply(Command::TerminateNode { node }).unwrap();
                    }
                }
                Step::Wait(s) => {
                    let until = world.now() + seconds(s);
                    world.advance_to(until);
                }
            }
            prop_assert!(world.eks().audit().is_ok(), "{:?}", world.eks().audit());
            for pod in world.eks().pods.values() {
                let on_fargate = matches!(pod.placement, PodPlacement::Fargate { .. });
                prop_assert!(on_fargate == (pod.deployment == "job") || pod.phase == PodPhase::Pending);
            }
        }
    }
}

fn eks_world(commands: &[&str]) -> (World, Vec<Event>) {
    let mut world = World::new(
        2,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    );
    let mut events = Vec::new();
    for json in commands {
        events.extend(world.apply(command(json)).unwrap());
    }
    (world, events)
}

#[test]
fn the_cluster_autoscaler_waits_for_booting_nodes_then_gives_up_on_ones_that_never_join() {
    let (mut world, _) = eks_world(&[
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"self","instanceType":"m5.large","minSize":2,"maxSize":4,"desiredSize":2,"managed":false,"nodeRoleMapped":false}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":256}"#,
    ]);
    let events = world.advance_to(seconds(3600));
    let ca: Vec<(u64, u32, u32)> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::ClusterAutoscaler { from, to, .. } => Some((e.at, *from, *to)),
            _ => None,
        })
        .collect();
    // Not Ready 15 minutes after launch: no longer counted as on its way.
    assert_eq!(ca[0], (seconds(900), 2, 3));
    assert_eq!(ca.last().unwrap().2, 4, "up to maxSize, never beyond");
    assert!(ca.iter().all(|c| c.2 <= 4));
    assert_eq!(world.eks().nodes.len(), 4);
}

#[test]
fn the_hpa_leaves_replicas_alone_within_its_ten_percent_tolerance() {
    // 3 pods of 200m at a 50% target: 320m of work is 53% (ratio 1.07).
    let (mut world, _) = eks_world(&[
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"g","instanceType":"m5.xlarge","minSize":1,"maxSize":1,"desiredSize":1}"#,
        r#"{"do":"createDeployment","cluster":"c","name":"web","replicas":3,"cpuRequestMillicores":200,"memoryRequestMiB":256,
            "hpa":{"targetCpuUtilization":50,"minReplicas":1,"maxReplicas":10},
            "load":{"shape":"step","from":320,"to":600,"at":1200}}"#,
    ]);
    let quiet = world.advance_to(seconds(1199));
    assert!(!quiet
        .iter()
        .any(|e| matches!(e.what, What::DeploymentScaled { .. })));
    // 600m is 100%: ceil(3 × 100 / 50) = 6 at the next sync.
    let later = world.advance_to(seconds(1215));
    let scaled = later
        .iter()
        .find_map(|e| match &e.what {
            What::DeploymentScaled { from, to, .. } => Some((e.at, *from, *to)),
            _ => None,
        })
        .expect("a scale-up");
    assert_eq!(scaled, (seconds(1200), 3, 6));
}

#[test]
fn nodes_bill_the_catalogue_price_spot_for_spot_groups_and_spread_over_zones() {
    let (mut world, events) = eks_world(&[
        r#"{"do":"createEksCluster","name":"c"}"#,
        r#"{"do":"createNodeGroup","cluster":"c","name":"spot","instanceType":"m5.large","minSize":3,"maxSize":3,"desiredSize":3,"capacityType":"SPOT"}"#,
    ]);
    let zones: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::NodeLaunched { az, spot, .. } => {
                assert!(spot);
                Some(az.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(zones, ["us-east-1a", "us-east-1b", "us-east-1a"]);
    world.advance_to(seconds(1800));
    assert!(
        (world.cost() - (3.0 * 0.036 + EKS_CONTROL_PLANE_PER_HOUR) / 2.0).abs() < 1e-9,
        "{}",
        world.cost()
    );
    let node = world.eks().nodes.values().next().unwrap();
    assert!(node.ready);
    assert_eq!(
        (node.allocatable_cpu, node.allocatable_memory),
        (2000 - 100, 8192 - 700)
    );
}
