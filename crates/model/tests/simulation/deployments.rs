//! Rolling deployments stay within their percentages; the circuit breaker rolls back; Fargate bills at least a minute.

use super::*;

#[test]
fn with_the_defaults_new_tasks_start_before_old_ones_stop() {
    let scenario = scenario("rolling-deployment-circuit-breaker");
    let mut world = World::new(
        scenario.seed,
        scenario.parameters.clone(),
        &scenario.region,
        scenario.availability_zones.clone(),
    );
    for step in scenario.steps.iter().filter(|s| s.at == 0) {
        world.apply(step.command.clone()).unwrap();
    }
    world.advance_to(300_000);
    world
        .apply(Command::Deploy {
            service: "api".into(),
            task_definition: Some("api:2".into()),
        })
        .unwrap();
    let mut t = 300_000;
    while t < 900_000 {
        t += 1_000;
        world.advance_to(t);
        let service = world.service("api").unwrap();
        let live = service.counts.live();
        assert!(live <= 8, "maximumPercent 200: {live} tasks live at {t}");
        assert!(
            service.counts.healthy >= 4 || t < 300_000,
            "minimumHealthyPercent 100: {} healthy at {t}",
            service.counts.healthy
        );
    }
    let service = world.service("api").unwrap();
    assert!(service.deployment.is_none());
    assert_eq!(service.revision.to_string(), "api:2");
}

#[test]
fn minimum_healthy_50_lets_the_service_stop_first() {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["a".into(), "b".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    for image in [
        "public.ecr.aws/nginx/nginx:1.26",
        "public.ecr.aws/nginx/nginx:1.27",
    ] {
        world
            .apply(Command::RegisterTaskDefinition {
                definition: definition(&format!(
                    r#"{{"family":"web","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{{"name":"web","image":"{image}"}}]}}"#
                )),
            })
            .unwrap();
    }
    world
        .apply(Command::CreateService(ServiceSpec {
            assign_public_ip: None,
            cluster: "c".into(),
            name: "web".into(),
            task_definition: "web:1".into(),
            desired_count: 4,
            capacity: Capacity::Fargate,
            placement_strategy: None,
            placement_constraints: vec![],
            scaling: None,
            load: None,
            memory_load: None,
            request_load: None,
            deployment_configuration: dockyard_model::sim::DeploymentConfiguration {
                minimum_healthy_percent: 50,
                maximum_percent: 100,
                deployment_circuit_breaker: None,
            },
        }))
        .unwrap();
    world.advance_to(300_000);
    let events = world
        .apply(Command::Deploy {
            service: "web".into(),
            task_definition: Some("web:2".into()),
        })
        .unwrap();
    let stopped_first = events
        .iter()
        .filter(|e| {
            matches!(
                &e.what,
                What::TaskStateChanged {
                    to: TaskState::Deactivating,
                    ..
                }
            )
        })
        .count();
    assert_eq!(
        stopped_first, 2,
        "with min 50% and max 100%, two old tasks stop before any new one starts"
    );
    let mut t = 300_000;
    while world.service("web").unwrap().deployment.is_some() && t < 1_800_000 {
        t += 1_000;
        world.advance_to(t);
        assert!(
            world.service("web").unwrap().counts.live() <= 4,
            "maximumPercent 100 at {t}"
        );
    }
    assert_eq!(world.service("web").unwrap().revision.to_string(), "web:2");
}

#[test]
fn fargate_bills_at_least_one_minute() {
    // The task in cannot-pull-image stops at once: it still pays one minute
    // of 0.25 vCPU and 0.5 GB.
    let run = scenario("cannot-pull-image").run(None, None);
    let minute = (0.25 * 0.04048 + 0.5 * 0.004445) / 60.0;
    let cost = run.timeline.last().unwrap().cost;
    assert!((cost - minute).abs() < 1e-9, "{cost} vs {minute}");
}

/// On a full cluster, maximumPercent 200 leaves room in the service but
/// none on the instances: with minimumHealthyPercent below 100 the scheduler
/// stops old tasks (within the minimum) to make room, and the deployment
/// completes; at 100 it cannot, and waits.
#[test]
fn a_deployment_on_a_full_cluster_stops_old_tasks_within_minimum_healthy_to_make_room() {
    let run = |minimum_healthy_percent: u32| {
        let mut world = one_instance("m5.large");
        for image in [
            "public.ecr.aws/nginx/nginx:1.26",
            "public.ecr.aws/nginx/nginx:1.27",
        ] {
            world
                .apply(Command::RegisterTaskDefinition {
                    definition: definition(&format!(
                        r#"{{"family":"web","containerDefinitions":[{{"name":"web","image":"{image}","memory":3000,"cpu":512}}]}}"#
                    )),
                })
                .unwrap();
        }
        world.advance_to(300_000);
        world
            .apply(Command::CreateService(ServiceSpec {
                assign_public_ip: None,
                cluster: "c".into(),
                name: "web".into(),
                task_definition: "web:1".into(),
                desired_count: 2,
                capacity: Capacity::Ec2,
                placement_strategy: None,
                placement_constraints: vec![],
                scaling: None,
                load: None,
                memory_load: None,
                request_load: None,
                deployment_configuration: dockyard_model::sim::DeploymentConfiguration {
                    minimum_healthy_percent,
                    maximum_percent: 200,
                    deployment_circuit_breaker: None,
                },
            }))
            .unwrap();
        world.advance_to(600_000);
        assert_eq!(
            world.service_snapshot("web").unwrap().running,
            2,
            "the instance is full"
        );
        world
            .apply(Command::Deploy {
                service: "web".into(),
                task_definition: Some("web:2".into()),
            })
            .unwrap();
        let mut fewest_healthy = u32::MAX;
        let mut t = 600_000;
        while world.service("web").unwrap().deployment.is_some() && t < 2_400_000 {
            t += 1_000;
            world.advance_to(t);
            let healthy = world
                .tasks()
                .filter(|task| {
                    task.service.as_deref() == Some("web")
                        && task.healthy
                        && task.state == TaskState::Running
                })
                .count() as u32;
            fewest_healthy = fewest_healthy.min(healthy);
        }
        (
            world.service("web").unwrap().deployment.is_none(),
            fewest_healthy,
        )
    };
    let (completed, fewest) = run(50);
    assert!(completed, "old tasks made room");
    assert!(fewest >= 1, "never below 50% of 2 healthy: {fewest}");
    let (completed, fewest) = run(100);
    assert!(
        !completed,
        "at 100% no old task may stop first, so no new one fits"
    );
    assert_eq!(fewest, 2);
}
