//! Draining instances and EC2 Spot interruptions keep the service within minimum healthy.

use super::*;

#[test]
fn a_draining_instance_is_emptied_without_dropping_below_minimum_healthy() {
    let mut world = ec2_world();
    world.apply(service("web", 3, None, vec![])).unwrap();
    world.advance_to(600_000);
    let busy = world
        .instances()
        .find(|i| !i.tasks.is_empty())
        .unwrap()
        .id
        .clone();
    let on_it = world
        .instances()
        .find(|i| i.id == busy)
        .unwrap()
        .tasks
        .len();
    assert!(on_it >= 1);
    world
        .apply(Command::DrainInstance {
            instance: busy.clone(),
        })
        .unwrap();
    // minimumHealthyPercent 100: never fewer than 3 healthy tasks, every 5 s.
    let mut t = 600_000;
    while t < 900_000 {
        t += 5_000;
        world.advance_to(t);
        check_invariants(&world);
        let (_, healthy) = healthy_split(&world, "web", &busy);
        assert!(healthy >= 3, "at {t} ms only {healthy} healthy tasks");
    }
    let drained = world.instances().find(|i| i.id == busy).unwrap();
    assert!(drained.draining);
    assert!(drained.tasks.is_empty(), "{:?}", drained.tasks);
    assert_eq!(healthy_split(&world, "web", &busy), (3, 3));
    // A drained instance takes no new tasks.
    world
        .apply(Command::UpdateService {
            service: "web".into(),
            desired_count: 4,
        })
        .unwrap();
    world.advance_to(1_000_000);
    assert!(world
        .instances()
        .find(|i| i.id == busy)
        .unwrap()
        .tasks
        .is_empty());
}

#[test]
fn an_ec2_spot_interruption_warns_drains_and_terminates_after_two_minutes() {
    let mut world = World::new(
        5,
        Parameters::default(),
        "us-east-1",
        vec!["a".into(), "b".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    for az in ["a", "b"] {
        world
            .apply(Command::LaunchInstances {
                cluster: "c".into(),
                instance_type: "m5.large".into(),
                az: az.into(),
                count: 1,
                spot: true,
                instance_role: None,
                spot_instance_draining: true,
            })
            .unwrap();
    }
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"app","containerDefinitions":[{"name":"app","image":"public.ecr.aws/nginx/nginx","memory":1024,"cpu":256}]}"#),
        })
        .unwrap();
    world.advance_to(300_000);
    world.apply(service("web", 2, None, vec![])).unwrap();
    world.advance_to(600_000);
    let victim = world.instances().next().unwrap().id.clone();
    assert_eq!(
        world
            .apply(Command::InterruptSpotInstance {
                instance: "i-nope".into()
            })
            .unwrap_err()
            .code,
        "no-instance"
    );
    let events = world
        .apply(Command::InterruptSpotInstance {
            instance: victim.clone(),
        })
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.what,
        What::InstanceSpotInterruptionWarning { instance, terminate_at, drains: true }
            if *instance == victim && *terminate_at == 720_000
    )));
    assert!(events.iter().any(
        |e| matches!(&e.what, What::InstanceDraining { instance, .. } if *instance == victim)
    ));
    let later = world.advance_to(719_999);
    assert!(
        world.instances().any(|i| i.id == victim),
        "still there before the two minutes end"
    );
    check_invariants(&world);
    assert!(later.iter().any(|e| matches!(&e.what, What::TaskStateChanged { reason: Some(r), .. } if r.contains("DRAINING"))));
    let end = world.advance_to(720_000);
    assert!(end.iter().any(
        |e| matches!(&e.what, What::InstanceTerminated { instance, .. } if *instance == victim)
    ));
    world.advance_to(900_000);
    check_invariants(&world);
    assert_eq!(world.service_snapshot("web").unwrap().running, 2);
}

/// ECS_ENABLE_SPOT_INSTANCE_DRAINING is off by default: the notice does not
/// drain the instance, its tasks run until EC2 terminates it, and only then
/// are they replaced (AWS: spot-instance-draining-linux-container).
#[test]
fn spot_instance_draining_is_off_by_default_so_tasks_run_until_the_instance_goes() {
    let scenario = scenario("ec2-spot-interruption");
    let run = scenario.run(None, None);
    let warning = |victim: &str| {
        run.events
            .iter()
            .find_map(|e| match &e.what {
                What::InstanceSpotInterruptionWarning {
                    instance, drains, ..
                } if instance == victim => Some((e.at, *drains)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{victim} is interrupted"))
    };
    let drained = |victim: &str| {
        run.events.iter().any(
            |e| matches!(&e.what, What::InstanceDraining { instance, .. } if instance == victim),
        )
    };
    assert!(warning("i-1").1, "launched with spotInstanceDraining");
    assert!(drained("i-1"));
    let (warned, drains) = warning("i-3");
    assert!(!drains, "the default");
    assert!(!drained("i-3"), "ECS hears nothing of the notice");
    // No task leaves i-3 while the warning runs; they stop with the instance.
    let stopped_early = run.events.iter().any(|e| {
        e.at > warned
            && e.at < warned + 120_000
            && matches!(
                &e.what,
                What::TaskStateChanged {
                    to: TaskState::Stopped,
                    ..
                }
            )
    });
    assert!(!stopped_early, "nothing is moved during the two minutes");
    let short = run
        .timeline
        .iter()
        .any(|s| s.at >= warned + 120_000 && s.services[0].running < s.services[0].desired);
    assert!(short, "the service runs short until the replacements start");
    let last = run.timeline.last().unwrap();
    assert_eq!(last.services[0].running, 4, "and recovers");
}
