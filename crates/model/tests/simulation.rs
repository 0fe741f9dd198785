//! The ECS simulation: the shipped scenarios do what their descriptions
//! promise, placement and scaling follow AWS's rules, runs are
//! deterministic, and invariants hold whatever the learner does.
//!
//! One test binary: the tests by theme live in `simulation/`; this file
//! holds the helpers they share and the tests that cut across themes
//! (replay, roles, files, bounds).

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

#[path = "simulation/auto_scaling.rs"]
mod auto_scaling;
#[path = "simulation/containers.rs"]
mod containers;
#[path = "simulation/deployments.rs"]
mod deployments;
#[path = "simulation/draining.rs"]
mod draining;
#[path = "simulation/invariants.rs"]
mod invariants;
#[path = "simulation/placement.rs"]
mod placement;
#[path = "simulation/scenarios.rs"]
mod scenarios;

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

fn definition(json: &str) -> Box<dockyard_model::taskdef::TaskDefinition> {
    Box::new(import(json).unwrap().definition.unwrap())
}

/// Cluster `c` in a one-zone Region (us-east-1a), with one container
/// instance of `instance_type` launched (not yet registered).
fn one_instance(instance_type: &str) -> World {
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
            instance_type: instance_type.into(),
            az: "us-east-1a".into(),
            count: 1,
            spot: false,
            instance_role: None,
            spot_instance_draining: false,
        })
        .unwrap();
    world
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
                spot_instance_draining: false,
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
        assign_public_ip: None,
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
        assign_public_ip: None,
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
            spot_instance_draining: false,
        })
        .unwrap_err();
    assert_eq!(instances.code, "instance-count");
}
