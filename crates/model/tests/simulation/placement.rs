//! Placement on EC2 follows AWS's rules: resources, then the binding constraints, then the strategies.

use super::*;

#[test]
fn instances_register_less_memory_than_they_advertise() {
    let world = ec2_world();
    for instance in world.instances() {
        assert!(instance.registered);
        assert!(instance.memory_total < 8192, "{}", instance.memory_total);
    }
}

#[test]
fn binpack_fills_one_instance_before_the_next() {
    let mut world = ec2_world();
    world
        .apply(service(
            "packed",
            2,
            Some(vec![Strategy::Binpack("memory".into())]),
            vec![],
        ))
        .unwrap();
    let hosts: std::collections::BTreeSet<String> = world
        .tasks()
        .filter_map(|t| match &t.placement {
            Placement::Ec2 { instance, .. } => Some(instance.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(hosts.len(), 1, "two 3000 MiB tasks fit on one m5.large");
}

#[test]
fn distinct_instance_is_binding_and_the_reason_says_why() {
    let mut world = ec2_world();
    let events = world
        .apply(service(
            "spread",
            4,
            None,
            vec![Constraint::DistinctInstance],
        ))
        .unwrap();
    assert_eq!(
        world.service("spread").unwrap().tasks.len(),
        3,
        "only three instances"
    );
    let reason = events
        .iter()
        .find_map(|e| match &e.what {
            What::TaskUnplaceable { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .expect("the fourth cannot be placed");
    assert!(reason.contains("placement constraint"), "{reason}");
}

#[test]
fn member_of_limits_placement_to_an_az() {
    let mut world = ec2_world();
    world
        .apply(service(
            "in-b",
            2,
            None,
            vec![Constraint::MemberOf(
                "attribute:ecs.availability-zone == us-east-1b".into(),
            )],
        ))
        .unwrap();
    for task in world.tasks() {
        assert!(matches!(&task.placement, Placement::Ec2 { az, .. } if az == "us-east-1b"));
    }
}

#[test]
fn a_task_too_big_for_any_instance_names_the_numbers() {
    let mut world = ec2_world();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"big","containerDefinitions":[{"name":"big","image":"public.ecr.aws/nginx/nginx","memory":9000}]}"#),
        })
        .unwrap();
    let events = world
        .apply(Command::RunTask {
            assign_public_ip: None,
            cluster: "c".into(),
            task_definition: "big".into(),
            count: 1,
            capacity: Capacity::Ec2,
        })
        .unwrap();
    let reason = events
        .iter()
        .find_map(|e| match &e.what {
            What::TaskUnplaceable { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        reason.starts_with("needs 9000 MiB, the largest free memory is 7936 MiB on i-"),
        "{reason}"
    );
}

#[test]
fn commands_aws_refuses_are_refused() {
    let mut world = ec2_world();
    let too_many = world.apply(Command::RunTask {
        assign_public_ip: None,
        cluster: "c".into(),
        task_definition: "app".into(),
        count: 11,
        capacity: Capacity::Ec2,
    });
    assert_eq!(too_many.unwrap_err().code, "run-task-count");
    let fargate = world.apply(Command::RunTask {
        assign_public_ip: None,
        cluster: "c".into(),
        task_definition: "app".into(),
        count: 1,
        capacity: Capacity::Fargate,
    });
    assert_eq!(fargate.unwrap_err().code, "incompatible-launch-type");
    let missing = world.apply(Command::StopTask {
        task: "t-999".into(),
    });
    assert_eq!(missing.unwrap_err().code, "no-task");
}

#[test]
fn bridge_dynamic_host_ports_come_from_the_kernel_ephemeral_range() {
    use dockyard_model::sim::DYNAMIC_HOST_PORTS;
    let mut world = ec2_world();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(
                r#"{"family":"web","containerDefinitions":[{"name":"web","image":"public.ecr.aws/nginx/nginx","memory":256,
                    "portMappings":[{"containerPort":80,"hostPort":0},{"containerPort":443},{"containerPort":9000,"hostPort":8080,"protocol":"udp"}]}]}"#,
            ),
        })
        .unwrap();
    let mut spec = match service(
        "web",
        2,
        Some(vec![Strategy::Binpack("memory".into())]),
        vec![],
    ) {
        Command::CreateService(spec) => spec,
        _ => unreachable!(),
    };
    spec.task_definition = "web".into();
    world.apply(Command::CreateService(spec)).unwrap();
    let mut tasks: Vec<_> = world.tasks().cloned().collect();
    tasks.sort_by_key(|t| t.id.clone());
    assert_eq!(tasks.len(), 2);
    // Both tasks share one instance: the fixed 8080 would clash, so they
    // land on two; each instance hands out its first free dynamic ports.
    for task in &tasks {
        let ports: Vec<(u32, u32, &str)> = task
            .network_bindings
            .iter()
            .map(|b| (b.container_port, b.host_port, b.protocol.as_str()))
            .collect();
        assert_eq!(
            ports,
            [(80, 32768, "tcp"), (443, 32769, "tcp"), (9000, 8080, "udp")]
        );
        assert!(DYNAMIC_HOST_PORTS.contains(&32768));
        assert!(
            !DYNAMIC_HOST_PORTS.contains(&65535),
            "49153-65535 is only the fallback"
        );
    }
    let instance = match &tasks[0].placement {
        Placement::Ec2 { instance, .. } => instance.clone(),
        other => panic!("{other:?}"),
    };
    let held = |world: &World| {
        world
            .instances()
            .find(|i| i.id == instance)
            .unwrap()
            .ports_used
            .clone()
    };
    assert_eq!(
        held(&world).into_iter().collect::<Vec<_>>(),
        [8080, 32768, 32769]
    );
    world
        .apply(Command::StopTask {
            task: tasks[0].id.clone(),
        })
        .unwrap();
    world.advance_to(world.now() + 120_000);
    // The service's replacement lands where the stopped task was and gets
    // the same ports: stopping freed them.
    let replacement = world
        .tasks()
        .find(|t| {
            t.id != tasks[0].id
                && t.id != tasks[1].id
                && matches!(&t.placement, Placement::Ec2 { instance: i, .. } if *i == instance)
        })
        .expect("a replacement on the freed instance");
    assert_eq!(replacement.network_bindings[0].host_port, 32768);
    assert_eq!(
        held(&world).into_iter().collect::<Vec<_>>(),
        [8080, 32768, 32769]
    );
}

/// A task launched with launch type EC2 may run on any container instance
/// of the cluster, those a capacity provider's Auto Scaling group launched
/// included; it does not make the provider scale out, though: only tasks
/// launched through a capacity provider strategy do.
#[test]
fn launch_type_ec2_tasks_use_capacity_provider_instances_without_scaling_them() {
    let json = serde_json::json!({
        "scenario": 1, "name": "launch type", "description": "", "seed": 2, "until": 900,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "c"},
            {"at": 0, "do": "createCapacityProvider", "cluster": "c", "name": "asg", "instanceType": "m5.large",
             "minSize": 1, "maxSize": 10, "targetCapacity": 100},
            {"at": 0, "do": "registerTaskDefinition", "definition": {"family": "app",
             "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx", "memory": 3000, "cpu": 512}]}},
            {"at": 300, "do": "createService", "cluster": "c", "name": "plain", "taskDefinition": "app",
             "desiredCount": 4, "capacity": "ec2"}
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let mut player = dockyard_model::sim::scenario::Player::new(&scenario, None);
    player.advance_to(seconds(900));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    let world = &player.world;
    let hosts: Vec<&str> = world
        .tasks()
        .filter(|t| t.service.as_deref() == Some("plain") && t.state == TaskState::Running)
        .map(|t| match &t.placement {
            Placement::Ec2 { instance, .. } => instance.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        hosts.len(),
        2,
        "two 3000 MiB tasks fill the group's one m5.large"
    );
    assert!(world
        .instances()
        .filter(|i| hosts.contains(&i.id.as_str()))
        .all(|i| i.provider.as_deref() == Some("asg")));
    assert_eq!(
        world.instances().count(),
        1,
        "launch type EC2 does not trigger managed scaling"
    );
    assert_eq!(world.service_snapshot("plain").unwrap().pending, 2);
}
