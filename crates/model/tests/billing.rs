//! The teardown check: what is still running and billing, per resource,
//! agrees with the bill itself (the hourly costs add up to the rate the
//! bill grows at), names what learners forget (an idle instance, the EKS
//! control plane, a NAT gateway and its address, a load balancer), and
//! empties when its own removal commands are applied.

use std::path::Path;

use dockyard_model::sim::catalogue::{
    APPLICATION_LOAD_BALANCER_PER_HOUR, EKS_CONTROL_PLANE_PER_HOUR, FARGATE_PER_GB_HOUR,
    FARGATE_PER_VCPU_HOUR, NAT_GATEWAY_PER_HOUR, PUBLIC_IPV4_PER_HOUR,
};
use dockyard_model::sim::scenario::{Player, Scenario};
use dockyard_model::sim::{seconds, Command, World};

fn played(name: &str, minutes: u64) -> Player {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(format!("{name}.scenario.json"));
    let scenario = Scenario::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(minutes * 60));
    player
}

/// The rate the bill grows at now.
fn rate_per_hour(world: &World) -> f64 {
    world.cost_per_hour()
}

fn listed_per_hour(world: &World) -> f64 {
    world.still_billing().iter().map(|line| line.per_hour).sum()
}

#[test]
fn the_leftovers_are_listed_with_what_each_costs_and_they_add_up_to_the_bill() {
    let player = played("leftovers-still-billing", 5);
    let world = &player.world;
    let lines = world.still_billing();
    let what: Vec<&str> = lines.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(
        what,
        [
            "EC2 instance i-1 (m5.large)",
            "NAT gateway nat-039960e63a9693555 (us-east-1a) with Elastic IP 203.0.113.11",
            "ECS service web (Fargate)",
            "Application Load Balancer lab-web",
            "Fargate task t-3 (web:1)"
        ],
    );
    let task = 0.5 * FARGATE_PER_VCPU_HOUR + 1.0 * FARGATE_PER_GB_HOUR;
    // The most expensive first: the idle instance, which is easy to forget.
    assert!(
        lines[0].note.as_deref().unwrap().starts_with("idle"),
        "{:?}",
        lines[0].note
    );
    assert!((lines[1].per_hour - (NAT_GATEWAY_PER_HOUR + PUBLIC_IPV4_PER_HOUR)).abs() < 1e-12);
    assert!((lines[2].per_hour - 2.0 * task).abs() < 1e-12);
    // An ALB in two zones: its hour and a public IPv4 address in each.
    assert!(
        (lines[3].per_hour - (APPLICATION_LOAD_BALANCER_PER_HOUR + 2.0 * PUBLIC_IPV4_PER_HOUR))
            .abs()
            < 1e-12
    );
    assert!((lines[4].per_hour - task).abs() < 1e-12);
    assert!((listed_per_hour(world) - rate_per_hour(world)).abs() < 1e-9);
}

#[test]
fn applying_each_lines_removal_leaves_nothing_billing_and_the_bill_stops() {
    let mut player = played("leftovers-still-billing", 5);
    for line in player.world.still_billing() {
        assert!(
            !line.remove.is_empty(),
            "{} has no way to remove it",
            line.what
        );
        for command in line.remove {
            player.world.apply(command).expect("a removal is accepted");
        }
    }
    player.advance_to(seconds(10 * 60));
    assert_eq!(player.world.still_billing(), Vec::new());
    assert!(rate_per_hour(&player.world).abs() < 1e-12);
    // And the bill really stops: an hour later it has not moved.
    let spent = player.world.cost();
    player.advance_to(seconds(70 * 60));
    assert!((player.world.cost() - spent).abs() < 1e-12);
}

#[test]
fn an_eks_cluster_bills_for_its_control_plane_and_goes_last() {
    let player = played("eks-hpa-cluster-autoscaler", 10);
    let world = &player.world;
    let lines = world.still_billing();
    let plane = lines.last().expect("something bills");
    assert!(plane.what.ends_with("(control plane)"), "{lines:?}");
    assert_eq!(plane.per_hour, EKS_CONTROL_PLANE_PER_HOUR);
    assert!(matches!(
        plane.remove.last(),
        Some(Command::DeleteEksCluster { .. })
    ));
    let group = lines
        .iter()
        .find(|l| l.what.starts_with("EKS node group"))
        .expect("the node group is listed");
    assert!(matches!(
        group.remove[..],
        [Command::DeleteNodeGroup { .. }]
    ));
    assert!((listed_per_hour(world) - rate_per_hour(world)).abs() < 1e-9);
}

/// EKS refuses to delete a cluster with node groups or Fargate profiles;
/// the list's order (control plane last) is one that works, and at its end
/// the bill stops.
#[test]
fn an_eks_account_is_torn_down_in_the_lists_order() {
    for scenario in ["eks-hpa-cluster-autoscaler", "eks-fargate-profile"] {
        let mut player = played(scenario, 10);
        let lines = player.world.still_billing();
        let cluster = player.world.eks().clusters.iter().next().unwrap().clone();
        let early = player
            .world
            .apply(Command::DeleteEksCluster {
                name: cluster.clone(),
            })
            .expect_err("EKS refuses while groups or profiles are attached");
        assert_eq!(early.code, "eks-cluster-in-use", "{scenario}");
        for line in lines {
            for command in line.remove {
                player
                    .world
                    .apply(command.clone())
                    .unwrap_or_else(|e| panic!("{scenario}: {command:?}: {e}"));
            }
        }
        player.advance_to(seconds(12 * 60));
        assert_eq!(player.world.still_billing(), Vec::new(), "{scenario}");
        assert!(player.world.eks().clusters.is_empty(), "{scenario}");
        assert!(rate_per_hour(&player.world).abs() < 1e-12, "{scenario}");
    }
}

/// Deleting a Fargate profile deletes the pods it placed; their Deployment
/// replaces them, and with no profile left to match they wait Pending.
#[test]
fn deleting_a_fargate_profile_deletes_its_pods_and_the_replacements_wait() {
    let mut player = played("eks-fargate-profile", 10);
    let world = &player.world;
    let on_fargate = |w: &World| {
        w.eks()
            .pods
            .values()
            .filter(|p| {
                matches!(
                    p.placement,
                    dockyard_model::sim::eks::PodPlacement::Fargate { .. }
                )
            })
            .count()
    };
    assert!(on_fargate(world) > 0, "the scenario runs pods on Fargate");
    let (cluster, profile) = world.eks().profiles.keys().next().unwrap().clone();
    player
        .world
        .apply(Command::DeleteFargateProfile { cluster, profile })
        .unwrap();
    player.advance_to(seconds(11 * 60));
    assert_eq!(on_fargate(&player.world), 0);
    assert!(
        player
            .world
            .eks()
            .pods
            .values()
            .any(|p| p.pending.is_some()),
        "the replacements wait Pending"
    );
}

#[test]
fn every_shipped_scenario_lists_exactly_what_its_bill_grows_by() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".scenario.json"))
        else {
            continue;
        };
        let player = played(name, 20);
        let listed = listed_per_hour(&player.world);
        let rate = rate_per_hour(&player.world);
        assert!(
            (listed - rate).abs() < 1e-6,
            "{name}: the list says ${listed:.6}/h, the bill grows at ${rate:.6}/h"
        );
    }
}

#[test]
fn instances_alike_are_one_line_with_a_command_for_each() {
    let player = played("a-thousand-tasks", 5);
    let lines = player.world.still_billing();
    let instances: Vec<_> = lines
        .iter()
        .filter(|l| l.what.starts_with("EC2 instance"))
        .collect();
    assert_eq!(instances.len(), 1, "{lines:?}");
    assert_eq!(
        instances[0].what,
        "EC2 instances in cluster big (200 × m5.xlarge)"
    );
    assert_eq!(instances[0].remove.len(), 200);
    assert!((listed_per_hour(&player.world) - rate_per_hour(&player.world)).abs() < 1e-9);
}
