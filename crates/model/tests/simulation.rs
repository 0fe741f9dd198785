//! The ECS simulation: the shipped scenarios do what their descriptions
//! promise, placement and scaling follow AWS's rules, runs are
//! deterministic, and invariants hold whatever the learner does.

use std::path::Path;

use dockyard_model::sim::scenario::{Player, Scenario};
use dockyard_model::sim::{
    seconds, Capacity, CapacityProviderSpec, Command, Constraint, LoadCurve, Parameters, Placement,
    ServiceSpec, Strategy, TaskState, What, World,
};
use dockyard_model::taskdef::import;
use proptest::prelude::{
    any, prop, prop_assert, prop_assert_eq, prop_oneof, proptest, Just, ProptestConfig,
};
use proptest::strategy::Strategy as _;

fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(format!("{name}.scenario.json"));
    Scenario::parse(&std::fs::read_to_string(&path).expect("a shipped scenario"))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every `*.scenario.json` in scenarios/, so that a new one is tested too.
fn shipped() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".scenario.json").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 11, "{names:?}");
    names
}

/// The digest of the AZ outage scenario's events. The browser test asserts
/// the same value: the same scenario and seed give the same stream natively
/// and in WebAssembly. (Change both when the simulation changes on purpose.)
pub const AZ_OUTAGE_DIGEST: &str = "e2bc36adf9848f86";

#[test]
fn every_shipped_scenario_runs_without_refusals_and_replays_identically() {
    for name in shipped() {
        let scenario = scenario(&name);
        let first = scenario.run(None, None);
        assert!(first.refused.is_empty(), "{name}: {:?}", first.refused);
        assert!(!first.events.is_empty(), "{name}");
        assert_eq!(
            first.digest,
            scenario.run(None, None).digest,
            "{name} is not deterministic"
        );
    }
    assert_eq!(
        scenario("az-outage").run(None, None).digest,
        AZ_OUTAGE_DIGEST
    );
}

#[test]
fn an_az_outage_is_repaired_in_the_other_zones() {
    let run = scenario("az-outage").run(None, None);
    let lost_at = run
        .events
        .iter()
        .find(|e| matches!(e.what, What::AvailabilityZoneLost { .. }))
        .expect("the outage")
        .at;
    for event in run.events.iter().filter(|e| e.at >= lost_at) {
        if let What::TaskPlaced {
            placement: Placement::Ec2 { az, .. },
            ..
        } = &event.what
        {
            assert_ne!(az, "us-east-1a", "a task was placed in the lost zone");
        }
    }
    let lost_tasks = run
        .events
        .iter()
        .filter(|e| {
            matches!(
                &e.what,
                What::TaskStateChanged {
                    to: TaskState::Stopped,
                    ..
                }
            )
        })
        .count();
    assert_eq!(lost_tasks, 2, "the two tasks in us-east-1a");
    let last = run.timeline.last().unwrap();
    assert_eq!((last.services[0].desired, last.services[0].running), (6, 6));
    // Within a minute of the outage the service is whole again.
    let minute_after = run
        .timeline
        .iter()
        .find(|s| s.at >= lost_at + 60_000)
        .unwrap();
    assert_eq!(minute_after.services[0].running, 6);
}

#[test]
fn a_role_that_cannot_pull_stops_the_task_with_the_reason() {
    let run = scenario("cannot-pull-image").run(None, None);
    let stopped = run
        .events
        .iter()
        .find_map(|e| match &e.what {
            What::TaskStateChanged {
                to: TaskState::Stopped,
                reason: Some(reason),
                ..
            } => Some(reason.clone()),
            _ => None,
        })
        .expect("the task stops");
    assert!(stopped.starts_with("CannotPullContainerError"), "{stopped}");
    assert!(
        stopped.contains("logsOnlyExecutionRole") && stopped.contains("ecr:GetAuthorizationToken"),
        "{stopped}"
    );
    assert!(
        !stopped.contains("instance profile)"),
        "Fargate has no instance profile: {stopped}"
    );
}

/// Docker Hub allows 100 anonymous pulls per 6 hours per address (rules §8,
/// §10 point 18): on Fargate, which caches nothing, the 101st task fails to
/// pull until the first pulls leave the window; an EC2 instance that has the
/// image cached falls back to it, and says so.
#[test]
fn docker_hub_limits_anonymous_pulls_and_a_cache_on_ec2_rides_it_out() {
    let mut player = Player::new(&scenario("docker-hub-rate-limit"), None);
    player.advance_to(seconds(900));
    let running = |world: &World, family: &str| {
        world
            .tasks()
            .filter(|t| t.state == TaskState::Running && t.revision.to_string().starts_with(family))
            .count()
    };
    // 90 workers and ten web tasks share the address's 100 pulls.
    assert_eq!(running(&player.world, "worker:"), 90);
    assert_eq!(running(&player.world, "web:"), 10);
    let refused = player
        .world
        .tasks()
        .filter_map(|t| t.stopped_reason.as_deref())
        .find(|r| r.contains("toomanyrequests"))
        .expect("a task refused by Docker Hub");
    assert!(
        refused.starts_with("CannotPullContainerError: toomanyrequests: You have reached your unauthenticated pull rate limit.")
            && refused.contains("100 pulls per 6 hours"),
        "{refused}"
    );
    // Still refused five hours on; six hours after the first pulls, the
    // window has room again.
    player.advance_to(seconds(5 * 3600));
    assert_eq!(running(&player.world, "web:"), 10);
    player.advance_to(seconds(6 * 3600 + 600));
    assert_eq!(running(&player.world, "web:"), 12);

    // On EC2: one instance pulls nginx while the window has room, then
    // keeps starting tasks on its cached image when Docker Hub refuses.
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    world
        .apply(Command::LaunchInstances {
            cluster: "c".into(),
            instance_type: "m5.2xlarge".into(),
            az: "us-east-1a".into(),
            count: 1,
            spot: false,
            instance_role: None,
        })
        .unwrap();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"app","containerDefinitions":[{"name":"app","image":"nginx:1.27","memory":128,"cpu":32}]}"#),
        })
        .unwrap();
    world.advance_to(seconds(300));
    let mut events = world.apply(service("app", 110, None, vec![])).unwrap();
    events.extend(world.advance_to(seconds(1200)));
    assert_eq!(running(&world, "app:"), 110);
    assert!(world.tasks().all(|t| t
        .stopped_reason
        .as_deref()
        .is_none_or(|r| !r.contains("toomanyrequests"))));
    let fallbacks: Vec<String> = events
        .iter()
        .filter(|e| matches!(e.what, What::PullRefusedCacheUsed { .. }))
        .map(|e| e.what.describe())
        .collect();
    assert_eq!(fallbacks.len(), 10, "the pulls past the 100th");
    assert!(
        fallbacks[0].contains("the pull of nginx:1.27 was refused (toomanyrequests")
            && fallbacks[0].contains("the ECS agent used the copy cached on"),
        "{}",
        fallbacks[0]
    );
}

/// Docker credentials in repositoryCredentials are a Secrets Manager secret
/// that ECS reads with the execution role (rules §3): with no execution role
/// the task never pulls; with one allowed to read the secret, the pull is
/// counted against that account, not the shared anonymous allowance. A
/// same-Region secret may be named without its ARN; credentials on an ECR
/// image are not read; and `secrets` injected from Secrets Manager are read
/// by the same role before the task runs.
#[test]
fn repository_credentials_need_an_execution_role_that_can_read_them() {
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-AbCdEf";
    let ecr_image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/team/app:v1";
    let taskdef = |family: &str, role: Option<&str>, image: &str, container: serde_json::Value| {
        let mut app = serde_json::json!({"name": "app", "image": image, "essential": true});
        for (key, value) in container.as_object().unwrap() {
            app[key] = value.clone();
        }
        let mut definition = serde_json::json!({
            "family": family,
            "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
            "containerDefinitions": [app]
        });
        if let Some(role) = role {
            definition["executionRoleArn"] = serde_json::json!(role);
        }
        serde_json::json!({"at": 0, "do": "registerTaskDefinition", "definition": definition})
    };
    let credentials = |parameter: &str| serde_json::json!({"repositoryCredentials": {"credentialsParameter": parameter}});
    let plain = Some("arn:aws:iam::111122223333:role/ecsTaskExecutionRole");
    let hub = Some("arn:aws:iam::111122223333:role/hubPuller");
    let service = |at: u64, name: &str, family: &str, count: u32| {
        serde_json::json!({"at": at, "do": "createService", "cluster": "c", "name": name,
                           "taskDefinition": family, "desiredCount": count, "capacity": "fargate"})
    };
    let json = serde_json::json!({
        "scenario": 1, "name": "credentials", "description": "", "seed": 1, "until": 600,
        "steps": [
            {"at": 0, "do": "createCluster", "name": "c"},
            {"at": 0, "do": "createRole", "name": "hubPuller", "trustedService": "ecs-tasks.amazonaws.com",
             "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"],
             "policies": {"read-hub": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                  "Resource": ["arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-??????"]}]}}},
            // AWS's own examples grant the secret's exact ARN.
            {"at": 0, "do": "createRole", "name": "tokenReader", "trustedService": "ecs-tasks.amazonaws.com",
             "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"],
             "policies": {"read-token": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret}]}}},
            taskdef("no-role", None, "nginx:1.27", credentials(secret)),
            taskdef("plain-role", plain, "nginx:1.27", credentials(secret)),
            taskdef("hub-role", hub, "nginx:1.27", credentials(secret)),
            taskdef("by-name", hub, "nginx:1.27", credentials("hub")),
            taskdef("by-name-plain", plain, "nginx:1.27", credentials("hub")),
            taskdef("ecr-with-credentials", plain, ecr_image, credentials(secret)),
            taskdef("injected", plain, ecr_image,
                    serde_json::json!({"secrets": [{"name": "TOKEN", "valueFrom": secret}]})),
            taskdef("anonymous", None, "nginx:1.27", serde_json::json!({})),
            // One JSON key of the secret: IAM still sees the secret's ARN.
            taskdef("injected-key", Some("arn:aws:iam::111122223333:role/tokenReader"), ecr_image,
                    serde_json::json!({"secrets": [{"name": "TOKEN", "valueFrom": format!("{secret}:password::")}]})),
            taskdef("empty-name", hub, "nginx:1.27", credentials("")),
            // The anonymous allowance is used up first, so that the
            // credentialed tasks can only start on their own accounts.
            service(0, "bulk", "anonymous", 100),
            service(120, "a", "no-role", 1),
            service(120, "b", "plain-role", 1),
            service(120, "d", "hub-role", 1),
            service(120, "e", "by-name", 1),
            service(120, "f", "by-name-plain", 1),
            service(120, "g", "ecr-with-credentials", 1),
            service(120, "h", "injected", 1),
            service(120, "i", "injected-key", 1),
            service(120, "j", "empty-name", 1),
            service(120, "late", "anonymous", 1)
        ]
    });
    let scenario = Scenario::parse(&json.to_string()).unwrap();
    let mut player = Player::new(&scenario, None);
    player.advance_to(seconds(600));
    assert!(player.refused.is_empty(), "{:?}", player.refused);
    let world = &player.world;
    let first_stop = |service: &str| {
        world
            .tasks()
            .filter(|t| t.service.as_deref() == Some(service))
            .find_map(|t| t.stopped_reason.clone())
    };
    let running = |service: &str| {
        world
            .tasks()
            .find(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
            .unwrap_or_else(|| panic!("{service} does not run: {:?}", first_stop(service)))
    };
    assert_eq!(
        world
            .tasks()
            .filter(|t| t.service.as_deref() == Some("bulk") && t.state == TaskState::Running)
            .count(),
        100
    );
    let late = first_stop("late").expect("the 101st anonymous pull is refused");
    assert!(late.contains("toomanyrequests"), "{late}");
    for (service, why) in [
        ("a", "without a task execution role".to_string()),
        ("b", "secretsmanager:GetSecretValue".to_string()),
        (
            "f",
            "secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-XXXXXX"
                .to_string(),
        ),
        (
            "j",
            "repositoryCredentials.credentialsParameter \"\": a secret's name is 1 to 512".to_string(),
        ),
        ("h", format!("secretsmanager:GetSecretValue on {secret}")),
    ] {
        let reason = first_stop(service).unwrap_or_else(|| panic!("{service} never stops"));
        assert!(
            reason.starts_with(
                "ResourceInitializationError: unable to pull secrets or registry auth: "
            ) && reason.contains(&why),
            "{service}: {reason}"
        );
    }
    for service in ["d", "e", "g", "i"] {
        assert_eq!(first_stop(service), None, "{service}");
        running(service);
    }
    let login = |service: &str| {
        world
            .task_calls(&running(service).id, &[])
            .into_iter()
            .find(|c| c.call.to_string().starts_with("registry-login "))
    };
    let d = login("d").expect("the login is listed among the task's calls");
    assert!(d.is_allowed());
    assert_eq!(d.principal.label(), "task execution role");
    let e = login("e").expect("a login by name");
    assert_eq!(
        e.call.to_string(),
        "registry-login arn:aws:secretsmanager:us-east-1:111122223333:secret:hub-XXXXXX"
    );
    assert!(e.is_allowed());
    assert!(
        login("g").is_none(),
        "an ECR image is pulled with ECR authorization; its repositoryCredentials are not read"
    );
}

#[test]
fn fargate_spot_interruptions_warn_and_are_replaced() {
    let run = scenario("fargate-spot-interruption").run(None, None);
    let warnings = run
        .events
        .iter()
        .filter(|e| matches!(e.what, What::SpotInterruptionWarning { .. }))
        .count();
    assert_eq!(warnings, 2);
    let reasons: Vec<&str> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::TaskStateChanged {
                to: TaskState::Stopped,
                reason: Some(r),
                ..
            } => Some(r.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            "Your Spot Task was interrupted.",
            "Your Spot Task was interrupted."
        ]
    );
    assert_eq!(run.timeline.last().unwrap().services[0].running, 6);
    // The base of 2 stays on FARGATE; the rest splits 1:3.
    let placements: Vec<bool> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::TaskPlaced {
                placement: Placement::Fargate { spot, .. },
                ..
            } => Some(*spot),
            _ => None,
        })
        .take(6)
        .collect();
    assert_eq!(
        placements.iter().filter(|spot| !**spot).count(),
        3,
        "{placements:?}"
    );
}

fn reaction_seconds(name: &str) -> u64 {
    // From the first scale-out to every desired task running.
    let run = scenario(name).run(None, None);
    let scaled = run
        .events
        .iter()
        .find(|e| matches!(&e.what, What::ServiceDesiredCountChanged { to, .. } if *to > 4))
        .expect("a scale-out")
        .at;
    let caught_up = run
        .timeline
        .iter()
        .find(|s| s.at > scaled && s.services[0].running >= s.services[0].desired)
        .unwrap()
        .at;
    (caught_up - scaled) / 1000
}

#[test]
fn fargate_reacts_faster_than_ec2_waiting_for_instances() {
    let fargate = reaction_seconds("web-on-fargate");
    let ec2 = reaction_seconds("web-on-ec2-capacity-provider");
    assert!(fargate < ec2, "Fargate {fargate} s, EC2 {ec2} s");
    let ec2_run = scenario("web-on-ec2-capacity-provider").run(None, None);
    assert!(ec2_run
        .events
        .iter()
        .any(|e| matches!(e.what, What::CapacityProviderScaling { .. })));
    // Tasks wait in PROVISIONING for the group's new instances.
    assert!(ec2_run.events.iter().any(|e| matches!(
        &e.what,
        What::TaskPlaced {
            placement: Placement::AwaitingCapacity { .. },
            ..
        }
    )));
    let fargate_run = scenario("web-on-fargate").run(None, None);
    let (a, b) = (
        fargate_run.timeline.last().unwrap().cost,
        ec2_run.timeline.last().unwrap().cost,
    );
    assert!(a > 0.0 && b > 0.0 && a != b, "{a} {b}");
}

// ---- placement ----------------------------------------------------------

fn definition(json: &str) -> Box<dockyard_model::taskdef::TaskDefinition> {
    Box::new(import(json).unwrap().definition.unwrap())
}

fn ec2_world() -> World {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    for (az, count) in [("us-east-1a", 2), ("us-east-1b", 1)] {
        world
            .apply(Command::LaunchInstances {
                cluster: "c".into(),
                instance_type: "m5.large".into(),
                az: az.into(),
                count,
                spot: false,
                instance_role: None,
            })
            .unwrap();
    }
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"app","containerDefinitions":[{"name":"app","image":"public.ecr.aws/nginx/nginx","memory":3000,"cpu":512}]}"#),
        })
        .unwrap();
    world.advance_to(300_000);
    world
}

fn service(
    name: &str,
    desired: u32,
    strategy: Option<Vec<Strategy>>,
    constraints: Vec<Constraint>,
) -> Command {
    Command::CreateService(ServiceSpec {
        cluster: "c".into(),
        name: name.into(),
        task_definition: "app".into(),
        desired_count: desired,
        capacity: Capacity::Ec2,
        placement_strategy: strategy,
        placement_constraints: constraints,
        scaling: None,
        load: None,
        memory_load: None,
        request_load: None,
        deployment_configuration: Default::default(),
    })
}

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
        cluster: "c".into(),
        task_definition: "app".into(),
        count: 11,
        capacity: Capacity::Ec2,
    });
    assert_eq!(too_many.unwrap_err().code, "run-task-count");
    let fargate = world.apply(Command::RunTask {
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

// ---- invariants ---------------------------------------------------------

fn check_invariants(world: &World) {
    if let Err(error) = world.audit() {
        panic!("{error}");
    }
    for instance in world.instances() {
        assert!(
            instance.cpu_used <= instance.cpu_total,
            "{} over-committed on cpu",
            instance.id
        );
        assert!(
            instance.memory_used <= instance.memory_total,
            "{} over-committed on memory",
            instance.id
        );
        assert!(
            instance.enis_used <= instance.enis_total,
            "{} over-committed on ENIs",
            instance.id
        );
        let cpu: u32 = instance
            .tasks
            .iter()
            .map(|t| world.task(t).unwrap().cpu)
            .sum();
        assert_eq!(
            cpu, instance.cpu_used,
            "{}: reserved cpu disagrees with its tasks",
            instance.id
        );
    }
    for task in world.tasks() {
        let on = world
            .instances()
            .filter(|i| i.tasks.contains(&task.id))
            .count();
        let expected = usize::from(
            task.state != TaskState::Stopped && matches!(task.placement, Placement::Ec2 { .. }),
        );
        assert_eq!(
            on, expected,
            "task {} ({:?}) is on {on} instances",
            task.id, task.state
        );
    }
}

#[derive(Clone, Debug)]
enum Fault {
    StopTask(u8),
    TerminateInstance(u8),
    LoseAndRestoreAz(u8),
    Resize(u8),
    ForceNewDeployment,
    DrainInstance(u8),
}

fn fault() -> impl proptest::strategy::Strategy<Value = Fault> {
    prop_oneof![
        any::<u8>().prop_map(Fault::StopTask),
        any::<u8>().prop_map(Fault::TerminateInstance),
        any::<u8>().prop_map(Fault::LoseAndRestoreAz),
        (1u8..6).prop_map(Fault::Resize),
        Just(Fault::ForceNewDeployment),
        any::<u8>().prop_map(Fault::DrainInstance),
    ]
}

/// Every placement strategy the indexes answer, and one they leave to the
/// scan (in debug builds the world checks each indexed choice against it).
fn placement() -> impl proptest::strategy::Strategy<Value = Option<Vec<Strategy>>> {
    let spread = |field: &str| Strategy::Spread(field.into());
    prop_oneof![
        Just(None),
        Just(Some(vec![Strategy::Binpack("memory".into())])),
        Just(Some(vec![Strategy::Binpack("cpu".into())])),
        Just(Some(vec![spread("instanceId")])),
        Just(Some(vec![spread("attribute:ecs.availability-zone")])),
        Just(Some(vec![Strategy::Random])),
        Just(Some(vec![
            Strategy::Binpack("memory".into()),
            spread("attribute:ecs.availability-zone")
        ])),
    ]
}

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
            cluster: "c".into(), name: "ec2".into(), task_definition: "app".into(), desired_count: 4,
            capacity: Capacity::Strategy(vec![dockyard_model::sim::types::StrategyItem { capacity_provider: "asg".into(), base: 0, weight: 1 }]),
            placement_strategy: strategy, placement_constraints: vec![], scaling: None, load: None, memory_load: None, request_load: None, deployment_configuration: Default::default(),
        })).unwrap();
        world.apply(Command::CreateService(ServiceSpec {
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

// ---- deployments --------------------------------------------------------

/// Runs the deployment scenario minute by minute... more finely: every 5 s,
/// recording the service's live and healthy tasks.
#[test]
fn a_rolling_deployment_stays_within_its_percentages_and_the_breaker_rolls_back() {
    let run = scenario("rolling-deployment-circuit-breaker").run(None, None);
    assert!(run.refused.is_empty(), "{:?}", run.refused);
    let completed: Vec<(String, bool)> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::DeploymentCompleted {
                revision,
                rolled_back,
                ..
            } => Some((revision.clone(), *rolled_back)),
            _ => None,
        })
        .collect();
    assert_eq!(
        completed,
        vec![("api:2".to_string(), false), ("api:2".to_string(), true)]
    );
    let failed = run
        .events
        .iter()
        .find_map(|e| match &e.what {
            What::DeploymentFailed {
                revision,
                reason,
                rolling_back,
                ..
            } => Some((revision.clone(), reason.clone(), *rolling_back)),
            _ => None,
        })
        .expect("the circuit breaker trips");
    assert_eq!(failed.0, "api:3");
    assert!(failed.1.starts_with("3 new tasks failed"), "{}", failed.1);
    assert!(failed.2);
    let last = run.timeline.last().unwrap();
    assert_eq!((last.services[0].desired, last.services[0].running), (4, 4));
}

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

// ---- draining and EC2 Spot ------------------------------------------------

/// Healthy tasks of `service` not on `instance`, and all its healthy tasks.
fn healthy_split(world: &World, service: &str, instance: &str) -> (usize, usize) {
    let healthy: Vec<&dockyard_model::sim::Task> = world
        .tasks()
        .filter(|t| {
            t.service.as_deref() == Some(service) && t.state == TaskState::Running && t.healthy
        })
        .collect();
    let elsewhere = healthy
        .iter()
        .filter(|t| !matches!(&t.placement, Placement::Ec2 { instance: i, .. } if i == instance))
        .count();
    (elsewhere, healthy.len())
}

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
        What::InstanceSpotInterruptionWarning { instance, terminate_at }
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

// ---- images and containers -------------------------------------------------

/// `command` (a CreateService) running task definition `family`.
fn running(family: &str, mut command: Command) -> Command {
    if let Command::CreateService(ServiceSpec {
        task_definition, ..
    }) = &mut command
    {
        *task_definition = family.into();
    }
    command
}

fn pulls(events: &[dockyard_model::sim::Event]) -> Vec<(String, u64, bool)> {
    events
        .iter()
        .filter_map(|e| match &e.what {
            What::ImagesPulled {
                task,
                images,
                seconds,
                ..
            } => Some((task.clone(), *seconds, images.iter().all(|i| i.cached))),
            _ => None,
        })
        .collect()
}

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

/// A world with one EC2 task whose containers are described by `containers`.
fn one_task(containers: &str) -> (World, String) {
    let mut world = ec2_world();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(&format!(
                r#"{{"family":"multi","containerDefinitions":{containers}}}"#
            )),
        })
        .unwrap();
    world
        .apply(running("multi", service("multi", 1, None, vec![])))
        .unwrap();
    world.advance_to(400_000);
    let task = world
        .tasks()
        .find(|t| t.state == TaskState::Running && t.service.as_deref() == Some("multi"))
        .unwrap()
        .id
        .clone();
    (world, task)
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

// ---- service auto scaling policies ------------------------------------------

/// Two Fargate tasks of 1 vCPU / 2 GiB with these policies and demands.
fn scaled(
    scaling: serde_json::Value,
    cpu: f64,
    memory: f64,
    requests: f64,
) -> Result<World, dockyard_model::sim::Rejection> {
    let mut world = World::new(
        3,
        Parameters::default(),
        "us-east-1",
        vec!["a".into(), "b".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    world
        .apply(Command::RegisterTaskDefinition {
            definition: definition(r#"{"family":"web","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"1024","memory":"2048","containerDefinitions":[{"name":"web","image":"public.ecr.aws/nginx/nginx"}]}"#),
        })
        .unwrap();
    let constant = |units: f64| Some(LoadCurve::Constant { units });
    world.apply(Command::CreateService(ServiceSpec {
        cluster: "c".into(),
        name: "web".into(),
        task_definition: "web".into(),
        desired_count: 2,
        capacity: Capacity::Fargate,
        placement_strategy: None,
        placement_constraints: vec![],
        scaling: Some(serde_json::from_value(scaling).unwrap()),
        load: constant(cpu),
        memory_load: constant(memory),
        request_load: constant(requests),
        deployment_configuration: Default::default(),
    }))?;
    Ok(world)
}

fn desired_changes(events: &[dockyard_model::sim::Event]) -> Vec<(u64, u32, String)> {
    events
        .iter()
        .filter_map(|e| match &e.what {
            What::ServiceDesiredCountChanged { to, reason, .. } => {
                Some((e.at, *to, reason.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn step_scaling_adds_the_step_that_holds_the_metric_then_waits_its_cooldown() {
    // 2 tasks, 1843 units of work: 90% CPU, 20 points over the threshold.
    let mut world = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 10, "stepScaling": [{
        "threshold": 70, "comparison": "GreaterThanOrEqualToThreshold", "cooldown": 300,
        "stepAdjustments": [
            {"metricIntervalLowerBound": 0, "metricIntervalUpperBound": 20, "scalingAdjustment": 1},
            {"metricIntervalLowerBound": 20, "scalingAdjustment": 3}
        ]}]}),
        1843.2,
        0.0,
        0.0,
    )
    .unwrap();
    let changes = desired_changes(&world.advance_to(240_000));
    assert_eq!(changes.len(), 1, "{changes:?}");
    let (at, to, reason) = &changes[0];
    assert_eq!(*to, 5, "2 + 3");
    assert!(reason.starts_with("Step scaling: CPU 90%"), "{reason}");
    // Still above the threshold, but nothing more until the cooldown ends.
    let next = desired_changes(&world.advance_to(at + 299_000));
    assert!(next.is_empty(), "{next:?}");
}

#[test]
fn target_tracking_scales_out_on_any_policy_and_in_only_when_all_agree() {
    // CPU far below its 50% target; requests per target far above theirs.
    let scaling = serde_json::json!({"minCapacity": 1, "maxCapacity": 20, "targetTracking": [
        {"metric": "cpu", "target": 50},
        {"metric": "requestsPerTarget", "target": 1000}
    ]});
    let mut world = scaled(scaling.clone(), 100.0, 0.0, 8000.0).unwrap();
    let changes = desired_changes(&world.advance_to(600_000));
    assert!(!changes.is_empty());
    assert!(
        changes[0].1 > 2 && changes[0].2.contains("requests per target"),
        "{changes:?}"
    );
    // Requests exactly at target (2 tasks x 1000/min): CPU alone wants to
    // scale in, and may not.
    let mut world = scaled(scaling, 100.0, 0.0, 2000.0).unwrap();
    let changes = desired_changes(&world.advance_to(3_600_000));
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn memory_target_tracking_follows_memory_demand() {
    // 2 tasks x 2048 MiB; 3686 MiB of demand is 90%.
    let mut world = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 10,
            "targetTracking": [{"metric": "memory", "target": 60, "disableScaleIn": true}]}),
        0.0,
        3686.4,
        0.0,
    )
    .unwrap();
    let changes = desired_changes(&world.advance_to(600_000));
    assert_eq!(
        changes.first().map(|c| c.1),
        Some(3),
        "ceil(2 x 90 / 60): {changes:?}"
    );
    assert!(changes[0].2.contains("memory 90%"), "{changes:?}");
}

#[test]
fn scaling_policies_that_make_no_sense_are_refused_by_name() {
    let bounds = scaled(
        serde_json::json!({"minCapacity": 5, "maxCapacity": 2, "target": 50}),
        0.0,
        0.0,
        0.0,
    )
    .err()
    .unwrap();
    assert!(bounds.message.contains("minCapacity"), "{}", bounds.message);
    let empty = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 2}),
        0.0,
        0.0,
        0.0,
    )
    .err()
    .unwrap();
    assert_eq!(empty.code, "scaling");
    let policy: dockyard_model::sim::StepPolicy = serde_json::from_value(serde_json::json!({
        "threshold": 30, "comparison": "LessThanOrEqualToThreshold", "adjustmentType": "PercentChangeInCapacity",
        "stepAdjustments": [{"metricIntervalUpperBound": 0, "scalingAdjustment": -25}]
    }))
    .unwrap();
    // 25% of 3 is 0.75: rounded to one task, never to no change.
    assert_eq!(policy.capacity(10.0, 3), Some(2));
    assert_eq!(policy.capacity(10.0, 10), Some(8), "2.5 rounds toward zero");
    assert!(policy.breaching(30.0) && !policy.breaching(30.1));
    // Below the threshold the upper bound is inclusive: exactly at the
    // threshold the step with upper bound 0 applies.
    assert_eq!(policy.capacity(30.0, 4), Some(3));
    assert_eq!(policy.capacity(10.0, 0), Some(0), "nothing to remove");
}

#[test]
fn playing_in_small_moves_gives_the_same_run_as_one_move() {
    for name in shipped() {
        let scenario = scenario(&name);
        let whole = scenario.run(None, None);
        let mut player = dockyard_model::sim::scenario::Player::new(&scenario, None);
        let mut t = 0;
        while t < whole.until {
            t = (t + 7_000).min(whole.until);
            player.advance_to(t);
        }
        assert_eq!(
            dockyard_model::sim::scenario::digest(&player.events),
            whole.digest,
            "{name}"
        );
        assert_eq!(player.timeline.len(), whole.timeline.len(), "{name}");
    }
}

#[test]
fn a_forced_new_deployment_replaces_every_task_of_the_same_revision() {
    let mut world = scaled(
        serde_json::json!({"minCapacity": 2, "maxCapacity": 2, "target": 50}),
        0.0,
        0.0,
        0.0,
    )
    .unwrap();
    world.advance_to(300_000);
    let before: Vec<String> = world
        .tasks()
        .filter(|t| t.state == TaskState::Running)
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(before.len(), 2);
    world
        .apply(Command::Deploy {
            service: "web".into(),
            task_definition: None,
        })
        .unwrap();
    world.advance_to(900_000);
    assert!(
        world.service("web").unwrap().deployment.is_none(),
        "it completes"
    );
    for id in &before {
        assert_eq!(
            world.task(id).unwrap().state,
            TaskState::Stopped,
            "{id} was replaced"
        );
    }
    assert_eq!(world.service_snapshot("web").unwrap().running, 2);
}

/// The comparison the sandbox draws side by side: the same load costs and
/// waits differently on Fargate and on EC2 with a capacity provider.
#[test]
fn fargate_reacts_faster_than_ec2_with_a_capacity_provider_on_the_same_load() {
    let waits = |name: &str| {
        let run = scenario(name).run(None, None);
        let waiting: u32 = run.timeline.iter().map(|s| s.tasks_pending).sum();
        (waiting, run.timeline.last().unwrap().cost)
    };
    let (fargate_wait, fargate_cost) = waits("web-on-fargate");
    let (ec2_wait, ec2_cost) = waits("web-on-ec2-capacity-provider");
    assert!(
        fargate_wait < ec2_wait,
        "Fargate {fargate_wait} vs EC2 {ec2_wait} task-minutes waiting"
    );
    assert!(fargate_cost != ec2_cost);
}

/// Issue 5, journey 2 in the model: two tasks, two task roles, the same
/// S3 read: allowed for one, denied for the other by its explicit Deny,
/// while the execution role makes the platform's calls for both.
#[test]
fn each_task_calls_with_its_own_role_and_a_denial_names_its_statement() {
    let scenario = scenario("task-roles-s3");
    let mut player = dockyard_model::sim::scenario::Player::new(&scenario, None);
    player.advance_to(300_000);
    assert!(player.refused.is_empty());
    let world = &player.world;
    let task_of = |service: &str| {
        world
            .tasks()
            .find(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
            .unwrap()
            .id
            .clone()
    };
    let read = dockyard_model::iam::AppCall::parse("read s3://reports/2026/summary.csv").unwrap();
    for (service, allowed) in [("reader", true), ("dashboard", false)] {
        let calls = world.task_calls(&task_of(service), std::slice::from_ref(&read));
        assert_eq!(calls.len(), 3, "pull, ship logs, the app's read");
        let (platform, app) = calls.split_at(2);
        for call in platform {
            assert_eq!(
                call.principal,
                dockyard_model::principals::Principal::TaskExecutionRole
            );
            assert!(call.is_allowed(), "{}", call.explanation);
        }
        assert_eq!(
            app[0].principal,
            dockyard_model::principals::Principal::TaskRole
        );
        assert_eq!(
            app[0].is_allowed(),
            allowed,
            "{service}: {}",
            app[0].explanation
        );
        if !allowed {
            assert!(
                app[0].explanation.contains("NoReports"),
                "{}",
                app[0].explanation
            );
        }
    }
}

/// Issue 5, journey 3 in the model: EFS outlives the task, the task's
/// ephemeral bind mount does not, and the loss is reported in words.
#[test]
fn efs_files_survive_a_stopped_task_and_ephemeral_ones_do_not() {
    let run = scenario("efs-and-ephemeral-storage").run(None, Some(600));
    assert!(
        run.refused.is_empty(),
        "{:?}",
        run.refused
            .iter()
            .map(|r| &r.rejection.message)
            .collect::<Vec<_>>()
    );
    let lost: Vec<&Vec<String>> = run
        .events
        .iter()
        .filter_map(|e| match &e.what {
            What::DataLost { files, .. } => Some(files),
            _ => None,
        })
        .collect();
    assert_eq!(lost, vec![&vec!["cache/partial.bin".to_string()]]);
    let mut player =
        dockyard_model::sim::scenario::Player::new(&scenario("efs-and-ephemeral-storage"), None);
    player.advance_to(600_000);
    let replacement = player
        .world
        .tasks()
        .find(|t| t.state == TaskState::Running)
        .unwrap()
        .id
        .clone();
    assert_ne!(replacement, "t-1");
    let seen = player.world.task_files(&replacement);
    let shared = seen
        .iter()
        .find(|f| f.volume.as_deref() == Some("shared"))
        .unwrap();
    assert_eq!(shared.paths, vec!["reports/2026-11.csv"]);
    let scratch = seen
        .iter()
        .find(|f| f.volume.as_deref() == Some("scratch"))
        .unwrap();
    assert!(scratch.paths.is_empty());
    // Writing to a volume the task does not have is refused by name.
    let refused = player
        .world
        .apply(Command::WriteFile {
            task: replacement,
            volume: Some("nope".into()),
            container: None,
            path: "x".into(),
            contents: String::new(),
        })
        .unwrap_err();
    assert_eq!(refused.code, "no-volume");
}

/// Assigning a task role is a new revision and a deployment, as in AWS: the
/// dashboard's new task reads what its old one was denied.
#[test]
fn a_new_task_role_arrives_with_a_new_revision_and_a_deployment() {
    let mut player = dockyard_model::sim::scenario::Player::new(&scenario("task-roles-s3"), None);
    player.advance_to(300_000);
    let events = player
        .world
        .apply(Command::SetTaskRoles {
            service: "dashboard".into(),
            task_role_arn: Some("arn:aws:iam::111122223333:role/reportsReaderRole".into()),
            execution_role_arn: Some("arn:aws:iam::111122223333:role/reportsExecutionRole".into()),
        })
        .unwrap();
    assert!(events
        .iter()
        .any(|e| matches!(&e.what, What::DeploymentStarted { to, .. } if to == "dashboard:2")));
    player.world.advance_to(900_000);
    let task = player
        .world
        .tasks()
        .find(|t| t.service.as_deref() == Some("dashboard") && t.state == TaskState::Running)
        .unwrap();
    assert_eq!(task.revision.to_string(), "dashboard:2");
    let read = dockyard_model::iam::AppCall::parse("read s3://reports/2026/summary.csv").unwrap();
    let calls = player.world.task_calls(&task.id, &[read]);
    assert!(
        calls.last().unwrap().is_allowed(),
        "{}",
        calls.last().unwrap().explanation
    );
    assert_eq!(player.world.roles().count(), 3);
}

#[test]
fn terminating_a_draining_instance_keeps_the_counts_right() {
    let mut world = ec2_world();
    world.apply(service("web", 3, None, vec![])).unwrap();
    world.advance_to(600_000);
    let busy = world
        .instances()
        .find(|i| !i.tasks.is_empty())
        .unwrap()
        .id
        .clone();
    world
        .apply(Command::DrainInstance {
            instance: busy.clone(),
        })
        .unwrap();
    world
        .apply(Command::TerminateInstance { instance: busy })
        .unwrap();
    check_invariants(&world);
    assert_eq!(world.service("web").unwrap().counts.draining, 0);
    world.advance_to(1_200_000);
    check_invariants(&world);
    assert_eq!(world.service_snapshot("web").unwrap().running, 3);
}

#[test]
fn counts_past_what_a_browser_can_play_are_refused_by_field() {
    let mut world = ec2_world();
    world.apply(service("web", 1, None, vec![])).unwrap();
    let too_many = world
        .apply(Command::UpdateService {
            service: "web".into(),
            desired_count: 4_000_000_000,
        })
        .unwrap_err();
    assert_eq!(too_many.code, "task-count");
    assert!(
        too_many.message.starts_with("desiredCount"),
        "{}",
        too_many.message
    );
    let instances = world
        .apply(Command::LaunchInstances {
            cluster: "c".into(),
            instance_type: "m5.large".into(),
            az: "us-east-1a".into(),
            count: 1_000_000,
            spot: false,
            instance_role: None,
        })
        .unwrap_err();
    assert_eq!(instances.code, "instance-count");
}
