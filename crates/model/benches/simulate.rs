//! Simulation throughput. Run: cargo bench -p dockyard-model --bench simulate
//!
//! - a day of simulated time for 1,000 tasks on 200 instances with target
//!   tracking and a capacity provider (budget: under 100 ms), pulling from
//!   ECR Public, which has no pull limit;
//! - the pull-limit storm: the same day with the image on Docker Hub,
//!   pulled anonymously, so that all but 100 pulls per 6 hours are refused
//!   and the service's throttle logic bounds the retries (printed: the
//!   refused pulls and the time);
//! - the cost per event as the world grows from 100 to 10,000 tasks, on
//!   Fargate and on EC2, printed as ns/event and as a ratio.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use dockyard_model::sim::types::StrategyItem;
use dockyard_model::sim::{
    Capacity, CapacityProviderSpec, Command, LoadCurve, Parameters, ServiceScaling, ServiceSpec,
    World,
};
use dockyard_model::taskdef::import;

fn definition(json: &str) -> Command {
    Command::RegisterTaskDefinition {
        definition: Box::new(import(json).unwrap().definition.unwrap()),
    }
}

/// A cluster whose service runs `tasks` tasks: on Fargate, or on EC2
/// instances (one per five tasks) from a capacity provider. Target tracking
/// follows a daily wave around the service's size.
fn world(tasks: u32, fargate: bool) -> World {
    world_pulling(tasks, fargate, ECR_PUBLIC_NGINX)
}

/// nginx on ECR Public: no pull limit, as AWS advises for images pulled at
/// scale.
const ECR_PUBLIC_NGINX: &str = "public.ecr.aws/nginx/nginx:1.27";
/// nginx on Docker Hub, pulled without signing in: 100 pulls per 6 hours.
const DOCKER_HUB_NGINX: &str = "nginx:1.27";

fn world_pulling(tasks: u32, fargate: bool, image: &str) -> World {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["a".into(), "b".into(), "c".into()],
    );
    world
        .apply(Command::CreateCluster { name: "c".into() })
        .unwrap();
    // ECS runs at most 5,000 tasks per service, and target tracking may
    // double a service, so large worlds are split into services of up to
    // 2,500 tasks, each on its own capacity provider (Dockyard bounds a group
    // at 1,000 instances).
    let services = tasks.div_ceil(2_500);
    let capacity: Vec<Capacity> = if fargate {
        world
            .apply(definition(&format!(r#"{{"family":"app","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"512","memory":"1024","containerDefinitions":[{{"name":"app","image":"{image}"}}]}}"#)))
            .unwrap();
        vec![Capacity::Fargate; services as usize]
    } else {
        let instances = (tasks / services).div_ceil(5);
        world
            .apply(definition(&format!(r#"{{"family":"app","containerDefinitions":[{{"name":"app","image":"{image}","cpu":512,"memory":1024,"portMappings":[{{"containerPort":80,"hostPort":0}}]}}]}}"#)))
            .unwrap();
        (0..services)
            .map(|index| {
                let name = format!("asg-{index}");
                world
                    .apply(Command::CreateCapacityProvider(CapacityProviderSpec {
                        cluster: "c".into(),
                        name: name.clone(),
                        instance_type: "m5.xlarge".into(),
                        min_size: instances,
                        max_size: instances * 2,
                        target_capacity: 100,
                        minimum_scaling_step_size: 1,
                        maximum_scaling_step_size: 100,
                        instance_warmup_period: 300,
                        spot: false,
                    }))
                    .unwrap();
                Capacity::Strategy(vec![StrategyItem {
                    capacity_provider: name,
                    base: 0,
                    weight: 1,
                }])
            })
            .collect()
    };
    let per_service = tasks / services;
    let per_task = 512.0 * 0.5;
    for index in 0..services {
        world
            .apply(Command::CreateService(ServiceSpec {
                cluster: "c".into(),
                name: format!("app-{index}"),
                task_definition: "app".into(),
                desired_count: per_service,
                capacity: capacity[index as usize].clone(),
                placement_strategy: None,
                placement_constraints: vec![],
                scaling: Some(ServiceScaling::cpu(50.0, per_service / 2, per_service * 2)),
                load: Some(LoadCurve::DailyWave {
                    min: per_task * f64::from(per_service) * 0.6,
                    max: per_task * f64::from(per_service) * 1.4,
                    period: 86_400,
                }),
                memory_load: None,
                request_load: None,
                assign_public_ip: None,
                deployment_configuration: Default::default(),
            }))
            .unwrap();
    }
    world
}

fn a_day(c: &mut Criterion) {
    let mut group = c.benchmark_group("a day");
    group.sample_size(10);
    group.bench_function(
        "1,000 tasks on 200 instances, target tracking, capacity provider",
        |b| {
            b.iter_batched(
                || world(1000, false),
                |mut w| w.advance_to(86_400_000).len(),
                criterion::BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

/// Not a criterion measurement: one simulated day of the storm, printed
/// with the refused pulls it made, so that the bound the throttle puts on
/// them is seen.
fn pull_limit_storm(_: &mut Criterion) {
    let mut w = world_pulling(1000, true, DOCKER_HUB_NGINX);
    let started = Instant::now();
    let events = w.advance_to(86_400_000);
    let elapsed = started.elapsed();
    let refused = events
        .iter()
        .filter(|e| matches!(&e.what, dockyard_model::sim::What::TaskStateChanged { reason: Some(r), .. } if r.contains("toomanyrequests")))
        .count();
    let throttled = events
        .iter()
        .filter(|e| {
            matches!(
                e.what,
                dockyard_model::sim::What::ServiceTaskStartImpaired { .. }
            )
        })
        .count();
    println!(
        "pull-limit storm, a day of 1,000 Fargate tasks pulling nginx anonymously from Docker Hub: {refused} refused pulls, {throttled} throttle rounds, {} events in {:.1} ms",
        events.len(),
        elapsed.as_secs_f64() * 1000.0
    );
}

/// Not a criterion measurement: one run per size, printed as ns per event
/// and as the ratio between the largest and the smallest world.
fn cost_per_event(_: &mut Criterion) {
    for fargate in [true, false] {
        let mut rows = Vec::new();
        for tasks in [100, 1_000, 10_000] {
            let mut w = world(tasks, fargate);
            let started = Instant::now();
            let events = w.advance_to(6 * 3_600_000).len();
            let elapsed = started.elapsed();
            let per_event = elapsed.as_nanos() as f64 / events as f64;
            rows.push(per_event);
            println!(
                "cost per event, {} {tasks:>6} tasks: {events:>8} events in {:>8.1} ms = {per_event:>7.0} ns/event",
                if fargate { "Fargate" } else { "EC2    " },
                elapsed.as_secs_f64() * 1000.0
            );
        }
        println!(
            "cost per event ratio, {}: 10,000 tasks / 100 tasks = {:.2}",
            if fargate { "Fargate" } else { "EC2" },
            rows[2] / rows[0]
        );
    }
}

criterion_group!(benches, a_day, pull_limit_storm, cost_per_event);
criterion_main!(benches);
