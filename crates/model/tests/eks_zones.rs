//! EKS and Availability Zones: losing a zone takes its nodes and their
//! pods down; the node groups relaunch in the zones left; a pod whose EBS
//! volume lives in the lost zone cannot follow (volume node affinity), while
//! one on EFS, which is regional, moves.

use dockyard_model::sim::eks::{PendingKind, PodPhase, PodPlacement};
use dockyard_model::sim::{seconds, What};

mod common;
use common::command;

#[test]
fn losing_a_zone_takes_its_eks_nodes_and_pods_down_and_ebs_pods_cannot_follow() {
    let mut world = common::played(
        &[
            r#"{"do":"createEksCluster","name":"c"}"#,
            r#"{"do":"createNodeGroup","cluster":"c","name":"ng","instanceType":"m5.large","minSize":4,"maxSize":4,"desiredSize":4}"#,
            r#"{"do":"createStorageClass","cluster":"c","name":"ebs-sc","driver":"ebs","binding":"WaitForFirstConsumer"}"#,
            r#"{"do":"createStorageClass","cluster":"c","name":"efs-sc","driver":"efs"}"#,
            r#"{"do":"createPersistentVolumeClaim","cluster":"c","name":"db-data","requestGiB":20,"storageClass":"ebs-sc"}"#,
            r#"{"do":"createPersistentVolumeClaim","cluster":"c","name":"shared","requestGiB":5,"storageClass":"efs-sc","accessModes":["ReadWriteMany"]}"#,
            r#"{"do":"createDeployment","cluster":"c","name":"db","replicas":1,"cpuRequestMillicores":250,"memoryRequestMiB":512,"claim":"db-data"}"#,
            r#"{"do":"createDeployment","cluster":"c","name":"files","replicas":2,"cpuRequestMillicores":250,"memoryRequestMiB":512,"claim":"shared"}"#,
        ],
        600,
    );
    let zone_of = |world: &dockyard_model::sim::World, deployment: &str| {
        let eks = world.eks();
        eks.pods
            .values()
            .filter(|p| p.deployment == deployment && p.phase == PodPhase::Running)
            .map(|p| match &p.placement {
                PodPlacement::Node { node } => eks.nodes[node].az.clone(),
                other => panic!("{other:?}"),
            })
            .collect::<Vec<_>>()
    };
    let db_zone = zone_of(&world, "db").pop().expect("db runs");
    assert_eq!(zone_of(&world, "files").len(), 2);

    let events = world
        .apply(command(&format!(r#"{{"do":"loseAz","az":"{db_zone}"}}"#)))
        .unwrap();
    let terminated = events
        .iter()
        .filter(|e| matches!(&e.what, What::NodeTerminated { reason, .. } if reason.contains("was lost")))
        .count();
    assert_eq!(terminated, 2, "the zone's two nodes go");
    world.advance_to(world.now() + seconds(600));

    let eks = world.eks();
    assert_eq!(eks.nodes.len(), 4, "the node group keeps its desired size");
    assert!(
        eks.nodes.values().all(|n| n.az != db_zone),
        "replacements launch only in the zones left"
    );
    let db = eks.pods.values().find(|p| p.deployment == "db").unwrap();
    assert_eq!(db.phase, PodPhase::Pending);
    let (kind, reason) = db.pending.clone().unwrap();
    assert_eq!(kind, PendingKind::Volume);
    assert!(reason.contains("volume node affinity conflict"), "{reason}");
    assert_eq!(
        zone_of(&world, "files").len(),
        2,
        "EFS pods run in any zone"
    );
}
