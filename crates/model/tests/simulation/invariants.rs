//! Invariants hold whatever the learner does: property tests over random faults.

use super::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn services_recover_from_any_single_fault_and_nothing_is_over_committed(
        seed in any::<u64>(),
        faults in prop::collection::vec(fault(), 1..6),
        strategy in placement(),
    ) {
        let mut world = World::new(seed, Parameters::default(), "us-east-1", vec!["a".into(), "b".into(), "c".into()]);
        world.apply(Command::CreateCluster { name: "c".into() }).unwrap();
        world.apply(Command::CreateCapacityProvider(CapacityProviderSpec {
            cluster: "c".into(), name: "asg".into(), instance_type: "m5.large".into(), min_size: 2, max_size: 12,
            target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 10, instance_warmup_period: 60, spot: false,
        })).unwrap();
        world.apply(Command::RegisterTaskDefinition { definition: definition(
            r#"{"family":"app","containerDefinitions":[{"name":"app","image":"public.ecr.aws/nginx/nginx","memoryReservation":1024,"memory":2048,"cpu":512}]}"#) }).unwrap();
        world.apply(Command::RegisterTaskDefinition { definition: definition(
            r#"{"family":"fg","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{"name":"fg","image":"public.ecr.aws/nginx/nginx"}]}"#) }).unwrap();
        world.apply(Command::CreateService(ServiceSpec {
            assign_public_ip: None,
            cluster: "c".into(), name: "ec2".into(), task_definition: "app".into(), desired_count: 4,
            capacity: Capacity::Strategy(vec![dockyard_model::sim::types::StrategyItem { capacity_provider: "asg".into(), base: 0, weight: 1 }]),
            placement_strategy: strategy, placement_constraints: vec![], scaling: None, load: None, memory_load: None, request_load: None, deployment_configuration: Default::default(),
        })).unwrap();
        world.apply(Command::CreateService(ServiceSpec {
            assign_public_ip: None,
            cluster: "c".into(), name: "fargate".into(), task_definition: "fg".into(), desired_count: 3,
            capacity: Capacity::Fargate, placement_strategy: None, placement_constraints: vec![], scaling: None, load: None, memory_load: None, request_load: None, deployment_configuration: Default::default(),
        })).unwrap();
        let mut t = 0;
        t += 900_000;
        world.advance_to(t);
        check_invariants(&world);
        for fault in faults {
            match fault {
                Fault::StopTask(n) => {
                    let running: Vec<String> = world.tasks().filter(|t| t.state == TaskState::Running).map(|t| t.id.clone()).collect();
                    if !running.is_empty() {
                        world.apply(Command::StopTask { task: running[n as usize % running.len()].clone() }).unwrap();
                    }
                }
                Fault::TerminateInstance(n) => {
                    let ids: Vec<String> = world.instances().map(|i| i.id.clone()).collect();
                    if !ids.is_empty() {
                        world.apply(Command::TerminateInstance { instance: ids[n as usize % ids.len()].clone() }).unwrap();
                    }
                }
                Fault::LoseAndRestoreAz(n) => {
                    let az = ["a", "b", "c"][n as usize % 3].to_string();
                    world.apply(Command::LoseAz { az: az.clone() }).unwrap();
                    t += 120_000;
                    world.advance_to(t);
                    check_invariants(&world);
                    world.apply(Command::RestoreAz { az }).unwrap();
                }
                Fault::DrainInstance(n) => {
                    let ids: Vec<String> = world.instances().filter(|i| !i.draining).map(|i| i.id.clone()).collect();
                    if !ids.is_empty() {
                        world.apply(Command::DrainInstance { instance: ids[n as usize % ids.len()].clone() }).unwrap();
                    }
                }
                Fault::ForceNewDeployment => {
                    // Refused while a deployment is still running, as ECS would.
                    let _ = world.apply(Command::Deploy { service: "ec2".into(), task_definition: None });
                }
                Fault::Resize(n) => {
                    world.apply(Command::UpdateService { service: "ec2".into(), desired_count: u32::from(n) }).unwrap();
                }
            }
            check_invariants(&world);
            // Bounded recovery: 20 simulated minutes is enough for new
            // instances to boot and tasks to start.
            t += 1_200_000;
            world.advance_to(t);
            check_invariants(&world);
            prop_assert!(world.service("ec2").unwrap().deployment.is_none(), "a deployment did not finish");
            for name in ["ec2", "fargate"] {
                let snapshot = world.service_snapshot(name).unwrap();
                prop_assert_eq!(snapshot.running, snapshot.desired, "{} did not recover: {:?}", name, snapshot);
            }
        }
    }
}
