//! Images and containers: pull times and layer caches, memory limits, essential containers.

use super::*;

#[test]
fn pull_time_follows_image_size_and_ec2_reuses_its_layer_cache() {
    let mut world = ec2_world();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"py","containerDefinitions":[{"name":"py","image":"python:3.12","memory":512,"cpu":128}]}"#),
        })
        .unwrap();
    let constraint = vec![Constraint::MemberOf(
        "attribute:ecs.availability-zone == us-east-1b".into(),
    )];
    world
        .apply(running("py", service("py", 1, None, constraint)))
        .unwrap();
    let first = pulls(&world.advance_to(400_000));
    // 380 MB at 40 MB/s: 10 s; nothing cached yet.
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].1, first[0].2), (10, false));
    let params = Parameters::default();
    assert_eq!(params.image_mb("nginx:1.27"), 70);
    assert_eq!(params.image_mb("python@sha256:abc"), 380);
    assert_eq!(
        params.image_mb("localhost:5000/mine:1"),
        params.default_image_mb
    );
    // A second task on the same (only) instance in that zone: cached.
    world
        .apply(Command::UpdateService {
            service: "py".into(),
            desired_count: 2,
        })
        .unwrap();
    let second = pulls(&world.advance_to(500_000));
    assert_eq!(second.len(), 1);
    assert_eq!((second[0].1, second[0].2), (1, true));
}

#[test]
fn a_container_over_its_hard_limit_is_killed_and_its_task_replaced() {
    let (mut world, task) = one_task(
        r#"[{"name":"app","image":"public.ecr.aws/nginx/nginx","memory":512,"memoryReservation":256,"cpu":256}]"#,
    );
    let ok = world
        .apply(Command::UseMemory {
            task: task.clone(),
            container: "app".into(),
            mib: 400,
        })
        .unwrap();
    assert!(ok.iter().any(
        |e| matches!(&e.what, What::ContainerMemory { note, .. } if note.contains("soft limit"))
    ));
    assert_eq!(world.task(&task).unwrap().state, TaskState::Running);
    let killed = world
        .apply(Command::UseMemory {
            task: task.clone(),
            container: "app".into(),
            mib: 513,
        })
        .unwrap();
    assert!(killed.iter().any(|e| matches!(&e.what,
        What::ContainerExited { exit_code: 137, reason: Some(r), essential: true, .. } if r.starts_with("OutOfMemoryError"))));
    world.advance_to(700_000);
    assert_eq!(
        world.task(&task).unwrap().stopped_reason.as_deref(),
        Some("Essential container in task exited")
    );
    assert_eq!(
        world.service_snapshot("multi").unwrap().running,
        1,
        "replaced"
    );
}

#[test]
fn with_only_a_soft_limit_a_container_borrows_free_instance_memory() {
    let (mut world, task) = one_task(
        r#"[{"name":"app","image":"public.ecr.aws/nginx/nginx","memoryReservation":256,"cpu":256}]"#,
    );
    let events = world
        .apply(Command::UseMemory {
            task: task.clone(),
            container: "app".into(),
            mib: 3000,
        })
        .unwrap();
    assert!(
        events.iter().any(
            |e| matches!(&e.what, What::ContainerMemory { note, .. } if note.contains("free on"))
        ),
        "{events:?}"
    );
    let killed = world
        .apply(Command::UseMemory {
            task: task.clone(),
            container: "app".into(),
            mib: 100_000,
        })
        .unwrap();
    assert!(killed
        .iter()
        .any(|e| matches!(&e.what, What::ContainerExited { exit_code: 137, .. })));
}

#[test]
fn only_an_essential_container_stops_its_task() {
    let (mut world, task) = one_task(
        r#"[{"name":"app","image":"public.ecr.aws/nginx/nginx","memory":256},{"name":"sidecar","image":"busybox","memory":64,"essential":false}]"#,
    );
    let events = world
        .apply(Command::ExitContainer {
            task: task.clone(),
            container: "sidecar".into(),
            exit_code: 0,
        })
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.what,
        What::ContainerExited {
            essential: false,
            ..
        }
    )));
    world.advance_to(450_000);
    assert_eq!(world.task(&task).unwrap().state, TaskState::Running);
    assert_eq!(
        world
            .apply(Command::ExitContainer {
                task: task.clone(),
                container: "nope".into(),
                exit_code: 1
            })
            .unwrap_err()
            .code,
        "no-container"
    );
    world
        .apply(Command::ExitContainer {
            task: task.clone(),
            container: "app".into(),
            exit_code: 2,
        })
        .unwrap();
    world.advance_to(500_000);
    let stopped = world.task(&task).unwrap();
    assert_eq!(stopped.state, TaskState::Stopped);
    assert_eq!(
        stopped.stopped_reason.as_deref(),
        Some("Essential container in task exited")
    );
    assert_eq!(
        world
            .apply(Command::UseMemory {
                task: task.clone(),
                container: "app".into(),
                mib: 1
            })
            .unwrap_err()
            .code,
        "task-not-running"
    );
}
