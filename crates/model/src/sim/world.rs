//! The simulated account: clusters, instances, tasks, services, capacity
//! providers and the bill. A discrete-event simulation: commands come in
//! through [`World::apply`], time moves only through [`World::advance_to`],
//! and both return what happened as [`Event`]s.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use serde::Serialize;

use super::catalogue::{
    self, Parameters, FARGATE_PER_GB_HOUR, FARGATE_PER_VCPU_HOUR, FARGATE_SPOT_FACTOR,
};
use super::eks;
use super::load::{LoadCurve, Metric, ServiceScaling};
use super::pool::{PoolIndex, PoolKey, SpreadIndex};
use super::rng::Rng;
use super::types::*;
use crate::iam::{self, AppCall, AssignedRoles, AwsContext, Role};
use crate::principals::{Platform, RoleSetup};
use crate::registry::DockerHubPullCounter;
use crate::storage::files::{self as files, FileStore, Location, TaskPlacement};
use crate::taskdef::{self, Revision, TaskDefinition, TaskDefinitionRegistry};

const MS_PER_HOUR: f64 = 3_600_000.0;

/// ECS's service quota: tasks per service (rules §6).
pub const MAX_TASKS_PER_SERVICE: u32 = 5_000;
/// Bounds that keep a simulation (and a share link) to what a browser can
/// play; not AWS limits.
pub const MAX_INSTANCES_PER_CALL: u32 = 500;
pub const MAX_GROUP_SIZE: u32 = 1_000;

fn need_task_count(count: u32) -> Result<(), Rejection> {
    if count > MAX_TASKS_PER_SERVICE {
        return Err(Rejection::new(
            "task-count",
            format!("desiredCount: a service runs at most {MAX_TASKS_PER_SERVICE} tasks (an ECS service quota), not {count}"),
        ));
    }
    Ok(())
}

/// A command: one thing a learner, a lesson or a test does. In files it is
/// written flat, `{"do": "loseAz", "az": "..."}`, inside a scenario step
/// (see `scenario::Step`, which does the flattening: serde's internally
/// tagged enums cost the browser bundle tens of kilobytes of code). It is
/// read and written by hand, in [`super::command_json`], which also applies
/// the defaults of fields left out (`count` 1, `targetCapacity` 100, ...).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    CreateCluster {
        name: String,
    },
    LaunchInstances {
        cluster: String,
        instance_type: String,
        az: String,
        count: u32,
        spot: bool,
        /// The instance profile's role ARN; the standard ecsInstanceRole when absent.
        instance_role: Option<String>,
    },
    CreateCapacityProvider {
        cluster: String,
        name: String,
        instance_type: String,
        min_size: u32,
        max_size: u32,
        target_capacity: u32,
        minimum_scaling_step_size: u32,
        maximum_scaling_step_size: u32,
        instance_warmup_period: u64,
        spot: bool,
    },
    RegisterTaskDefinition {
        definition: Box<TaskDefinition>,
    },
    /// An IAM role as policy JSON, referred to by ARN from task definitions.
    CreateRole {
        name: String,
        trusted_service: String,
        managed_policies: Vec<String>,
        policies: BTreeMap<String, serde_json::Value>,
    },
    RunTask {
        cluster: String,
        task_definition: String,
        count: u32,
        capacity: Capacity,
    },
    CreateService {
        cluster: String,
        name: String,
        task_definition: String,
        desired_count: u32,
        capacity: Capacity,
        placement_strategy: Option<Vec<Strategy>>,
        placement_constraints: Vec<Constraint>,
        scaling: Option<ServiceScaling>,
        /// CPU units of work.
        load: Option<LoadCurve>,
        /// MiB of memory the work needs, across the service.
        memory_load: Option<LoadCurve>,
        /// Requests per minute reaching the service's load balancer.
        request_load: Option<LoadCurve>,
        deployment_configuration: DeploymentConfiguration,
    },
    /// UpdateService with a new task definition (or the same one, as
    /// forceNewDeployment): a rolling deployment within the service's
    /// minimumHealthyPercent and maximumPercent (rules §6.1).
    Deploy {
        service: String,
        task_definition: Option<String>,
    },
    /// Assigns a service's task role and execution role the way AWS does:
    /// a new revision of its task definition with these ARNs (`None`
    /// removes one), rolled out by a deployment.
    SetTaskRoles {
        service: String,
        task_role_arn: Option<String>,
        execution_role_arn: Option<String>,
    },
    UpdateService {
        service: String,
        desired_count: u32,
    },
    SetLoad {
        service: String,
        load: LoadCurve,
        /// Which demand the curve describes (CPU by default).
        metric: Metric,
    },
    StopTask {
        task: String,
    },
    TerminateInstance {
        instance: String,
    },
    LoseAz {
        az: String,
    },
    RestoreAz {
        az: String,
    },
    /// A container of a running task exits (the process ended or crashed).
    ExitContainer {
        task: String,
        container: String,
        exit_code: i32,
    },
    /// A container's memory use grows to `mib`: above its hard limit the
    /// kernel kills it (OutOfMemoryError); above its soft limit is allowed.
    UseMemory {
        task: String,
        container: String,
        mib: u32,
    },
    /// A running task writes a file to one of its volumes, or (without a
    /// volume) to a container's own filesystem.
    WriteFile {
        task: String,
        volume: Option<String>,
        container: Option<String>,
        path: String,
        contents: String,
    },
    /// Sets a container instance to DRAINING (rules §6.4).
    DrainInstance {
        instance: String,
    },
    /// EC2 reclaims a Spot instance: a two-minute warning, the instance is
    /// drained, then terminated.
    InterruptSpotInstance {
        instance: String,
    },
    /// Reclaims Fargate Spot capacity under `count` of the service's tasks.
    InterruptSpot {
        service: String,
        count: u32,
    },
    /// EKS (rules §7); the state and rules live in [`super::eks`].
    CreateEksCluster {
        name: String,
    },
    CreateNodeGroup(eks::NodeGroupSpec),
    CreateFargateProfile(eks::FargateProfileSpec),
    CreateDeployment(eks::DeploymentSpec),
    ScaleDeployment {
        deployment: String,
        replicas: u32,
    },
    TerminateNode {
        node: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Happening {
    InstanceRegisters(String),
    TaskStep {
        task: String,
        to: TaskState,
        epoch: u32,
    },
    SpotInstanceReclaimed {
        instance: String,
    },
    TaskHealthy {
        task: String,
    },
    /// One reconcile for everything that happened to a deploying or
    /// draining service at this moment (a thousand tasks turning healthy at
    /// once make one deployment step, not a thousand).
    Reconcile {
        service: String,
    },
    SpotStop {
        task: String,
    },
    MetricTick,
    Eks(eks::EksHappening),
}

/// An EC2 container instance.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    pub id: String,
    pub cluster: String,
    pub instance_type: &'static str,
    pub az: String,
    pub spot: bool,
    pub registered: bool,
    /// DRAINING: no new tasks; its service tasks are replaced elsewhere.
    pub draining: bool,
    pub provider: Option<String>,
    pub instance_role: Option<String>,
    pub cpu_total: u32,
    pub memory_total: u32,
    pub cpu_used: u32,
    pub memory_used: u32,
    pub enis_total: u32,
    pub enis_used: u32,
    pub ports_used: BTreeSet<u32>,
    pub tasks: BTreeSet<String>,
    pub launched_at: Millis,
    /// Images in its layer cache (pulled by an earlier task).
    pub images: BTreeSet<String>,
}

/// A task: one run of a task definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub cluster: String,
    pub revision: String,
    pub service: Option<String>,
    pub state: TaskState,
    pub placement: Placement,
    pub cpu: u32,
    pub memory: u32,
    pub awsvpc: bool,
    pub host_ports: Vec<u32>,
    pub healthy: bool,
    pub stopped_reason: Option<String>,
    /// Placement's reason, or why it is still waiting.
    pub reason: String,
    /// The memory each container was last seen using, in MiB, by name
    /// (only those that used some: `useMemory`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub memory_used: BTreeMap<String, u32>,
    #[serde(skip)]
    epoch: u32,
    #[serde(skip)]
    billing_rate: f64,
    #[serde(skip)]
    billing_since: Millis,
    #[serde(skip)]
    provider_choice: Option<String>,
}

/// An ECS service.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub name: String,
    pub cluster: String,
    pub revision: String,
    pub desired: u32,
    pub capacity: Capacity,
    pub strategies: Vec<Strategy>,
    pub constraints: Vec<Constraint>,
    pub tasks: BTreeSet<String>,
    /// Tasks the scheduler could not place, and why.
    pub unplaced: u32,
    pub unplaced_reason: Option<String>,
    pub load: Option<LoadCurve>,
    pub memory_load: Option<LoadCurve>,
    pub request_load: Option<LoadCurve>,
    pub scaling: Option<ServiceScaling>,
    /// Whether Service Auto Scaling set the current desired count (rather
    /// than CreateService or UpdateService): what shows that something,
    /// not Fargate, decided how many tasks run.
    pub desired_set_by_auto_scaling: bool,
    /// Per target tracking policy: minutes above, and below, its target.
    #[serde(skip)]
    tracking: Vec<(u32, u32)>,
    /// Per step policy: consecutive minutes in alarm, and its last action.
    #[serde(skip)]
    stepping: Vec<(u32, Option<Millis>)>,
    #[serde(skip)]
    last_scale_out: Option<Millis>,
    #[serde(skip)]
    last_scale_in: Option<Millis>,
    #[serde(skip)]
    steady: bool,
    #[serde(skip)]
    pub counts: ServiceCounts,
    pub deployment_configuration: DeploymentConfiguration,
    pub deployment: Option<Deployment>,
    /// CPU units of one task of this service.
    pub task_cpu: u32,
    /// MiB of one task of this service.
    pub task_memory: u32,
    /// Its pool's instances by how many of its tasks each runs.
    #[serde(skip)]
    spread: SpreadIndex,
    #[serde(skip)]
    reconcile_queued: bool,
}

/// How a service rolls out a new task definition (rules §6.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DeploymentConfiguration {
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub deployment_circuit_breaker: Option<CircuitBreaker>,
}

impl Default for DeploymentConfiguration {
    fn default() -> Self {
        DeploymentConfiguration {
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            deployment_circuit_breaker: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

/// A rolling deployment in progress.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub from: String,
    pub to: String,
    /// New tasks that stopped before they became healthy.
    pub failed_tasks: u32,
    pub started_at: Millis,
    pub rollback: bool,
    /// Tasks numbered from here on were started by this deployment: a
    /// forced new deployment of the same revision replaces every older task.
    #[serde(skip)]
    first_task: u64,
}

/// A service's tasks counted by state and by where they run, kept up to
/// date as tasks change, so that the scheduler never scans the service's
/// tasks to decide (a day with 10,000 tasks must stay cheap).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceCounts {
    pub by_state: [u32; 8],
    /// Tasks not yet STOPPED, per Availability Zone, instance and provider.
    pub per_az: BTreeMap<String, u32>,
    pub per_instance: BTreeMap<String, u32>,
    pub per_provider: BTreeMap<String, u32>,
    /// RUNNING tasks that count as healthy.
    pub healthy: u32,
    /// Live tasks (up to RUNNING) on DRAINING instances: still serving,
    /// but no longer counted towards the desired count.
    pub draining: u32,
}

impl ServiceCounts {
    pub fn count(&self, state: TaskState) -> u32 {
        self.by_state[state as usize]
    }

    /// Tasks on their way up or running: what the desired count is met by.
    pub fn live(&self) -> u32 {
        TaskState::ALL
            .iter()
            .filter(|s| **s <= TaskState::Running)
            .map(|s| self.count(*s))
            .sum()
    }

    /// Every task not yet STOPPED.
    pub fn unstopped(&self) -> u32 {
        TaskState::ALL
            .iter()
            .filter(|s| **s != TaskState::Stopped)
            .map(|s| self.count(*s))
            .sum()
    }
}

fn bump(map: &mut BTreeMap<String, u32>, key: &str, delta: i32) {
    let entry = map.entry(key.to_string()).or_insert(0);
    *entry = entry.saturating_add_signed(delta);
    if *entry == 0 {
        map.remove(key);
    }
}

/// An Auto Scaling group capacity provider with managed scaling.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProvider {
    pub name: String,
    pub cluster: String,
    pub instance_type: &'static str,
    pub min_size: u32,
    pub max_size: u32,
    pub target_capacity: u32,
    pub min_step: u32,
    pub max_step: u32,
    pub warmup_seconds: u64,
    pub spot: bool,
    pub instances: BTreeSet<String>,
    pub waiting: VecDeque<String>,
    /// The last CapacityProviderReservation, in percent.
    pub reservation: f64,
    #[serde(skip)]
    last_scale_out: Option<Millis>,
    #[serde(skip)]
    below: u32,
    #[serde(skip)]
    next_az: usize,
    /// Launched, not yet registered.
    #[serde(skip)]
    booting: BTreeSet<String>,
    /// Registered, not draining, and running no task: what managed
    /// scaling may remove.
    #[serde(skip)]
    idle: BTreeSet<String>,
    #[serde(skip)]
    draining: BTreeSet<String>,
}

/// One service's numbers at a moment.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSnapshot {
    pub service: String,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub demand: f64,
    pub cpu_utilization: f64,
}

/// One place a task can write to, and what is there.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFiles {
    /// The volume's name; `None` for a container's own filesystem.
    pub volume: Option<String>,
    pub location: String,
    pub paths: Vec<String>,
}

/// What one placement chooses from.
#[derive(Clone, Copy)]
enum Candidates<'a> {
    /// A pool, through its indexes.
    Pool(&'a PoolKey),
    /// One instance that just gained room.
    One(&'a str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Misfit {
    Unavailable,
    Room,
    Port,
    Eni,
    Constraint,
}

pub struct World {
    now: Millis,
    rng: Rng,
    params: Parameters,
    aws: AwsContext,
    azs: Vec<String>,
    lost_azs: BTreeSet<String>,
    definitions: TaskDefinitionRegistry,
    roles: BTreeMap<String, Role>,
    clusters: BTreeSet<String>,
    instances: BTreeMap<String, Instance>,
    tasks: BTreeMap<String, Task>,
    services: BTreeMap<String, Service>,
    providers: BTreeMap<String, CapacityProvider>,
    pools: BTreeMap<PoolKey, PoolIndex>,
    queue: BinaryHeap<Reverse<(Millis, u64, Happening)>>,
    sequence: u64,
    next_instance: u64,
    next_task: u64,
    cost: f64,
    cost_rate: f64,
    cost_at: Millis,
    tick_scheduled: bool,
    eks: eks::Eks,
    /// What tasks wrote, where it lives, and what is lost when (rules §5).
    files: FileStore,
    /// The task that last wrote each file, by location and path: what a
    /// lesson asks when it wants data handed from one task to another.
    writers: BTreeMap<(String, String), String>,
    /// Docker Hub's pull counters, by who is counted: "anonymous" (the one
    /// NAT gateway address every task here pulls through) or a task
    /// definition's repositoryCredentials secret (a free account).
    docker_hub_pulls: BTreeMap<String, DockerHubPullCounter>,
}

impl World {
    /// An empty account in `region` with these Availability Zones.
    pub fn new(seed: u64, params: Parameters, region: &str, azs: Vec<String>) -> World {
        World {
            now: 0,
            rng: Rng::new(seed),
            params,
            aws: AwsContext::new("111122223333", region),
            azs,
            lost_azs: BTreeSet::new(),
            definitions: TaskDefinitionRegistry::default(),
            roles: BTreeMap::new(),
            clusters: BTreeSet::new(),
            instances: BTreeMap::new(),
            tasks: BTreeMap::new(),
            services: BTreeMap::new(),
            providers: BTreeMap::new(),
            pools: BTreeMap::new(),
            queue: BinaryHeap::new(),
            sequence: 0,
            next_instance: 0,
            next_task: 0,
            cost: 0.0,
            cost_rate: 0.0,
            cost_at: 0,
            tick_scheduled: false,
            eks: eks::Eks::default(),
            files: FileStore::new(),
            writers: BTreeMap::new(),
            docker_hub_pulls: BTreeMap::new(),
        }
    }

    // ---- getters -------------------------------------------------------

    pub fn now(&self) -> Millis {
        self.now
    }
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.instances.values()
    }
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.get(id)
    }
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.values()
    }
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.get(name)
    }
    pub fn capacity_providers(&self) -> impl Iterator<Item = &CapacityProvider> {
        self.providers.values()
    }
    /// The ECS clusters, by name.
    pub fn clusters(&self) -> impl Iterator<Item = &String> {
        self.clusters.iter()
    }
    /// The task definition a service runs now.
    pub fn service_definition(&self, service: &str) -> Option<&TaskDefinition> {
        let service = self.services.get(service)?;
        self.definitions.get(&parse_revision(&service.revision))
    }
    /// The IAM roles the scenario and the learner created.
    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.roles.values()
    }
    /// Zones lost and not yet restored.
    pub fn lost_azs(&self) -> &BTreeSet<String> {
        &self.lost_azs
    }
    pub fn availability_zones(&self) -> &[String] {
        &self.azs
    }
    /// Dollars spent so far (illustrative prices, see `catalogue`).
    pub fn cost(&self) -> f64 {
        self.cost + self.cost_rate * (self.now - self.cost_at) as f64
    }

    pub fn service_snapshot(&self, name: &str) -> Option<ServiceSnapshot> {
        let service = self.services.get(name)?;
        let (running, pending) = self.service_counts(service);
        let demand = service.load.as_ref().map_or(0.0, |load| load.at(self.now));
        Some(ServiceSnapshot {
            service: name.to_string(),
            desired: service.desired,
            running,
            pending: pending + service.unplaced,
            demand,
            cpu_utilization: self.utilization(service),
        })
    }

    fn service_counts(&self, service: &Service) -> (u32, u32) {
        let counts = &service.counts;
        let pending = [
            TaskState::Provisioning,
            TaskState::Pending,
            TaskState::Activating,
        ]
        .iter()
        .map(|s| counts.count(*s))
        .sum();
        (counts.count(TaskState::Running), pending)
    }

    fn utilization(&self, service: &Service) -> f64 {
        let demand = service.load.as_ref().map_or(0.0, |load| load.at(self.now));
        let capacity = f64::from(service.counts.count(TaskState::Running))
            * f64::from(service.task_cpu.max(1));
        if capacity == 0.0 {
            return if demand > 0.0 { 100.0 } else { 0.0 };
        }
        (demand / capacity * 100.0).min(100.0)
    }

    /// A scaling metric of the service now: average CPU or memory
    /// utilisation of its running tasks in percent, or requests per target
    /// per minute.
    fn metric(&self, service: &Service, metric: Metric) -> f64 {
        let running = f64::from(service.counts.count(TaskState::Running));
        let at = |curve: &Option<LoadCurve>| curve.as_ref().map_or(0.0, |c| c.at(self.now));
        match metric {
            Metric::Cpu => self.utilization(service),
            Metric::Memory => {
                let demand = at(&service.memory_load);
                let capacity = running * f64::from(service.task_memory.max(1));
                if capacity == 0.0 {
                    if demand > 0.0 {
                        100.0
                    } else {
                        0.0
                    }
                } else {
                    demand / capacity * 100.0
                }
            }
            Metric::RequestsPerTarget => at(&service.request_load) / running.max(1.0),
        }
    }

    /// Adds (`delta` 1) or removes (-1) a task from its service's counts;
    /// called around every change of a task's state, placement or health.
    fn index(&mut self, task_id: &str, delta: i32) {
        let task = &self.tasks[task_id];
        let Some(service) = task.service.as_ref() else {
            return;
        };
        let state = task.state;
        let az = match &task.placement {
            Placement::Ec2 { az, .. } | Placement::Fargate { az, .. } => Some(az.clone()),
            Placement::AwaitingCapacity { .. } => None,
        };
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => Some(instance.clone()),
            _ => None,
        };
        let provider = task.provider_choice.clone();
        let healthy = task.healthy && state == TaskState::Running;
        let draining = state <= TaskState::Running
            && instance
                .as_ref()
                .is_some_and(|i| self.instances.get(i).is_some_and(|i| i.draining));
        let Some(service) = self.services.get_mut(service) else {
            return;
        };
        let counts = &mut service.counts;
        counts.by_state[state as usize] =
            counts.by_state[state as usize].saturating_add_signed(delta);
        if healthy {
            counts.healthy = counts.healthy.saturating_add_signed(delta);
        }
        if draining {
            counts.draining = counts.draining.saturating_add_signed(delta);
        }
        if state != TaskState::Stopped {
            if let Some(az) = &az {
                bump(&mut counts.per_az, az, delta);
            }
            if let Some(instance) = instance {
                let before = counts.per_instance.get(&instance).copied().unwrap_or(0);
                bump(&mut counts.per_instance, &instance, delta);
                let after = counts.per_instance.get(&instance).copied().unwrap_or(0);
                if let Some(az) = &az {
                    service.spread.recount(az, &instance, before, after);
                }
            }
            if let Some(provider) = provider {
                bump(&mut counts.per_provider, &provider, delta);
            }
        }
    }

    /// Recounts every service from its tasks and compares with the kept
    /// counts (for tests: the counts are an optimisation, not the truth).
    pub fn audit(&self) -> Result<(), String> {
        for service in self.services.values() {
            let mut fresh = ServiceCounts::default();
            for task in self
                .tasks
                .values()
                .filter(|t| t.service.as_deref() == Some(service.name.as_str()))
            {
                fresh.by_state[task.state as usize] += 1;
                if task.healthy && task.state == TaskState::Running {
                    fresh.healthy += 1;
                }
                if let Placement::Ec2 { instance, .. } = &task.placement {
                    if task.state <= TaskState::Running
                        && self.instances.get(instance).is_some_and(|i| i.draining)
                    {
                        fresh.draining += 1;
                    }
                }
                if task.state != TaskState::Stopped {
                    match &task.placement {
                        Placement::Ec2 { az, instance } => {
                            bump(&mut fresh.per_az, az, 1);
                            bump(&mut fresh.per_instance, instance, 1);
                        }
                        Placement::Fargate { az, .. } => bump(&mut fresh.per_az, az, 1),
                        Placement::AwaitingCapacity { .. } => {}
                    }
                    if let Some(provider) = &task.provider_choice {
                        bump(&mut fresh.per_provider, provider, 1);
                    }
                }
            }
            if fresh != service.counts {
                return Err(format!(
                    "service {}: kept {:?}, recounted {:?}",
                    service.name, service.counts, fresh
                ));
            }
        }
        self.audit_indexes()
    }

    /// Rebuilds the placement indexes from the instances and compares.
    fn audit_indexes(&self) -> Result<(), String> {
        let mut pools: BTreeMap<PoolKey, BTreeSet<(String, u32, u32)>> = BTreeMap::new();
        for instance in self
            .instances
            .values()
            .filter(|i| i.registered && !i.draining)
        {
            let (cpu, memory) = Self::free_room(instance);
            pools.entry(Self::pool_key(instance)).or_default().insert((
                instance.id.clone(),
                cpu,
                memory,
            ));
        }
        for (key, pool) in &self.pools {
            let kept: BTreeSet<(String, u32, u32)> = pool
                .ids()
                .map(|id| {
                    let (cpu, memory) = Self::free_room(&self.instances[id]);
                    (id.clone(), cpu, memory)
                })
                .collect();
            let fresh = pools.remove(key).unwrap_or_default();
            if kept != fresh || !pool.agrees_with(&fresh) {
                return Err(format!("pool {key:?}: kept {kept:?}, rebuilt {fresh:?}"));
            }
        }
        if let Some((key, _)) = pools.iter().find(|(_, p)| !p.is_empty()) {
            return Err(format!("pool {key:?} has no index"));
        }
        for service in self.services.values() {
            let mut fresh = SpreadIndex::default();
            for instance in self.instances.values().filter(|i| {
                i.registered
                    && !i.draining
                    && i.cluster == service.cluster
                    && Self::uses_pool(service, i.provider.as_deref())
            }) {
                let count = service
                    .counts
                    .per_instance
                    .get(&instance.id)
                    .copied()
                    .unwrap_or(0);
                fresh.insert(&instance.az, &instance.id, count);
            }
            if fresh != service.spread {
                return Err(format!(
                    "service {}: spread index {:?}, rebuilt {:?}",
                    service.name, service.spread, fresh
                ));
            }
        }
        for provider in self.providers.values() {
            let mine = || provider.instances.iter().map(|id| &self.instances[id]);
            let booting: BTreeSet<String> = mine()
                .filter(|i| !i.registered)
                .map(|i| i.id.clone())
                .collect();
            let idle: BTreeSet<String> = mine()
                .filter(|i| i.registered && !i.draining && i.tasks.is_empty())
                .map(|i| i.id.clone())
                .collect();
            let draining: BTreeSet<String> = mine()
                .filter(|i| i.draining)
                .map(|i| i.id.clone())
                .collect();
            if booting != provider.booting || idle != provider.idle || draining != provider.draining
            {
                return Err(format!(
                    "provider {}: booting {:?} idle {:?}, rebuilt {booting:?} {idle:?}",
                    provider.name, provider.booting, provider.idle
                ));
            }
        }
        Ok(())
    }

    // ---- time ----------------------------------------------------------

    fn schedule(&mut self, at: Millis, happening: Happening) {
        self.sequence += 1;
        self.queue.push(Reverse((at, self.sequence, happening)));
    }

    fn set_cost_rate(&mut self, delta: f64) {
        self.cost += self.cost_rate * (self.now - self.cost_at) as f64;
        self.cost_at = self.now;
        self.cost_rate += delta;
    }

    /// Moves simulated time forward to `until`, returning what happened.
    pub fn advance_to(&mut self, until: Millis) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(Reverse((at, _, _))) = self.queue.peek() {
            if *at > until {
                break;
            }
            let Reverse((at, _, happening)) = self.queue.pop().expect("peeked");
            self.now = at.max(self.now);
            self.happen(happening, &mut events);
        }
        self.now = until.max(self.now);
        events
    }

    fn happen(&mut self, happening: Happening, out: &mut Vec<Event>) {
        match happening {
            Happening::InstanceRegisters(id) => self.register_instance(&id, out),
            Happening::TaskStep { task, to, epoch } => {
                if self.tasks.get(&task).is_some_and(|t| t.epoch == epoch) {
                    self.step_task(&task, to, out);
                }
            }
            Happening::TaskHealthy { task } => {
                let running = self
                    .tasks
                    .get(&task)
                    .is_some_and(|t| t.state == TaskState::Running);
                if running {
                    self.index(&task, -1);
                    let t = self.tasks.get_mut(&task).expect("exists");
                    t.healthy = true;
                    let service = t.service.clone();
                    self.index(&task, 1);
                    if let Some(service) = service {
                        // A deployment or a drain waits for new tasks to be
                        // healthy before it stops old ones.
                        if self
                            .services
                            .get(&service)
                            .is_some_and(|s| s.deployment.is_some() || s.counts.draining > 0)
                        {
                            self.reconcile_soon(&service);
                        }
                        self.check_steady(&service, out);
                    }
                }
            }
            Happening::Reconcile { service } => {
                if let Some(s) = self.services.get_mut(&service) {
                    s.reconcile_queued = false;
                    self.reconcile(&service, out);
                }
            }
            Happening::SpotInstanceReclaimed { instance } => {
                self.terminate_instance(
                    &instance,
                    "EC2 reclaimed the Spot capacity at the end of its two-minute warning",
                    out,
                );
            }
            Happening::SpotStop { task } => {
                self.stop_task(&task, "Your Spot Task was interrupted.", out);
            }
            Happening::MetricTick => self.metric_tick(out),
            Happening::Eks(happening) => {
                let _ = self.with_eks(out, |eks, ctx| {
                    eks.happen(happening, ctx);
                    Ok(())
                });
            }
        }
    }

    /// The EKS side of the account (rules §7).
    pub fn eks(&self) -> &eks::Eks {
        &self.eks
    }

    /// Runs EKS with the time, parameters and zones, then queues, bills and
    /// reports what it did.
    fn with_eks(
        &mut self,
        out: &mut Vec<Event>,
        f: impl FnOnce(&mut eks::Eks, &mut eks::Ctx) -> Result<(), Rejection>,
    ) -> Result<(), Rejection> {
        let mut ctx = eks::Ctx::new(self.now, &self.params, &self.azs);
        let result = f(&mut self.eks, &mut ctx);
        let eks::Ctx {
            events,
            scheduled,
            cost_delta,
            ..
        } = ctx;
        for (at, happening) in scheduled {
            self.schedule(at, Happening::Eks(happening));
        }
        if cost_delta != 0.0 {
            self.set_cost_rate(cost_delta);
        }
        out.extend(events);
        result
    }

    fn emit(&self, out: &mut Vec<Event>, what: What) {
        out.push(Event { at: self.now, what });
    }

    // ---- commands ------------------------------------------------------

    /// Applies one command at the current time.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let mut out = Vec::new();
        let eks_command = match command {
            Command::CreateEksCluster { name } => Some(eks::EksCommand::CreateCluster(name)),
            Command::CreateNodeGroup(spec) => Some(eks::EksCommand::CreateNodeGroup(spec)),
            Command::CreateFargateProfile(spec) => {
                Some(eks::EksCommand::CreateFargateProfile(spec))
            }
            Command::CreateDeployment(spec) => Some(eks::EksCommand::CreateDeployment(spec)),
            Command::ScaleDeployment {
                deployment,
                replicas,
            } => Some(eks::EksCommand::ScaleDeployment {
                deployment,
                replicas,
            }),
            Command::TerminateNode { node } => Some(eks::EksCommand::TerminateNode(node)),
            other => {
                return self.apply_ecs(other);
            }
        };
        if let Some(command) = eks_command {
            self.with_eks(&mut out, |eks, ctx| eks.apply(command, ctx))?;
        }
        Ok(out)
    }

    fn apply_ecs(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let mut out = Vec::new();
        match command {
            Command::CreateCluster { name } => {
                if !self.clusters.insert(name.clone()) {
                    return Err(Rejection::new(
                        "cluster-exists",
                        format!("a cluster called {name} already exists"),
                    ));
                }
            }
            Command::LaunchInstances {
                cluster,
                instance_type,
                az,
                count,
                spot,
                instance_role,
            } => {
                self.need_cluster(&cluster)?;
                let kind = catalogue::require_instance_type(&instance_type)?;
                self.need_az(&az)?;
                if count > MAX_INSTANCES_PER_CALL {
                    return Err(Rejection::new(
                        "instance-count",
                        format!("count: Dockyard launches at most {MAX_INSTANCES_PER_CALL} instances per call, not {count}"),
                    ));
                }
                for _ in 0..count {
                    self.launch_instance(
                        &cluster,
                        kind,
                        &az,
                        spot,
                        None,
                        instance_role.clone(),
                        &mut out,
                    );
                }
            }
            Command::CreateCapacityProvider {
                cluster,
                name,
                instance_type,
                min_size,
                max_size,
                target_capacity,
                minimum_scaling_step_size,
                maximum_scaling_step_size,
                instance_warmup_period,
                spot,
            } => {
                self.need_cluster(&cluster)?;
                if max_size > MAX_GROUP_SIZE || min_size > max_size {
                    return Err(Rejection::new(
                        "group-size",
                        format!("minSize ≤ maxSize ≤ {MAX_GROUP_SIZE} (Dockyard's bound), not {min_size} and {max_size}"),
                    ));
                }
                let kind = catalogue::require_instance_type(&instance_type)?;
                if !(1..=100).contains(&target_capacity) {
                    return Err(Rejection::new(
                        "target-capacity",
                        "targetCapacity is 1 to 100",
                    ));
                }
                if min_size > max_size {
                    return Err(Rejection::new("asg-size", "minSize is larger than maxSize"));
                }
                if name == "FARGATE" || name == "FARGATE_SPOT" || self.providers.contains_key(&name)
                {
                    return Err(Rejection::new(
                        "provider-exists",
                        format!("a capacity provider called {name} already exists"),
                    ));
                }
                self.providers.insert(
                    name.clone(),
                    CapacityProvider {
                        name: name.clone(),
                        cluster: cluster.clone(),
                        instance_type: kind.name,
                        min_size,
                        max_size,
                        target_capacity,
                        min_step: minimum_scaling_step_size.max(1),
                        max_step: maximum_scaling_step_size.max(1),
                        warmup_seconds: instance_warmup_period,
                        spot,
                        instances: BTreeSet::new(),
                        waiting: VecDeque::new(),
                        reservation: 0.0,
                        last_scale_out: None,
                        below: 0,
                        next_az: 0,
                        booting: BTreeSet::new(),
                        idle: BTreeSet::new(),
                        draining: BTreeSet::new(),
                    },
                );
                for _ in 0..min_size {
                    self.provider_launch(&name, &mut out);
                }
                self.ensure_tick();
            }
            Command::RegisterTaskDefinition { definition } => {
                self.definitions.register(*definition).map_err(|errors| {
                    let first = &errors[0];
                    Rejection::new(
                        "invalid-task-definition",
                        format!("{}: {} ({})", first.path, first.message, first.code),
                    )
                })?;
            }
            Command::CreateRole {
                name,
                trusted_service,
                managed_policies,
                policies,
            } => {
                let mut role = Role::new(&self.aws.account_id, &name, &trusted_service);
                for policy in managed_policies {
                    role = role.with_managed_policy(&policy).map_err(|_| {
                        Rejection::new(
                            "managed-policy",
                            format!("{policy} is not a managed policy Dockyard knows"),
                        )
                    })?;
                }
                for (policy_name, document) in policies {
                    let document = iam::PolicyDocument::from_value(&document).map_err(|error| {
                        Rejection::new("policy", format!("{policy_name}: {error}"))
                    })?;
                    role = role.with_policy(&policy_name, document);
                }
                self.roles.insert(role.arn.clone(), role);
            }
            Command::RunTask {
                cluster,
                task_definition,
                count,
                capacity,
            } => {
                self.need_cluster(&cluster)?;
                if !(1..=10).contains(&count) {
                    return Err(Rejection::new(
                        "run-task-count",
                        "RunTask starts 1 to 10 tasks per call",
                    ));
                }
                let revision = self.resolve_definition(&task_definition)?;
                self.check_capacity(&cluster, &capacity, &revision)?;
                for _ in 0..count {
                    self.start_task(&cluster, &revision, None, &capacity, &mut out);
                }
            }
            Command::CreateService {
                cluster,
                name,
                task_definition,
                desired_count,
                capacity,
                placement_strategy,
                placement_constraints,
                scaling,
                load,
                memory_load,
                request_load,
                deployment_configuration,
            } => {
                self.need_cluster(&cluster)?;
                need_task_count(desired_count)?;
                if let Some(scaling) = &scaling {
                    need_task_count(scaling.max_capacity)?;
                }
                if self.services.contains_key(&name) {
                    return Err(Rejection::new(
                        "service-exists",
                        format!("a service called {name} already exists"),
                    ));
                }
                let revision = self.resolve_definition(&task_definition)?;
                self.check_capacity(&cluster, &capacity, &revision)?;
                let fargate =
                    !matches!(&capacity, Capacity::Ec2) && self.capacity_is_fargate(&capacity);
                if fargate && (placement_strategy.is_some() || !placement_constraints.is_empty()) {
                    return Err(Rejection::new(
                        "fargate-placement",
                        "Fargate places tasks itself: placement strategies and constraints are not supported",
                    ));
                }
                let strategies = placement_strategy.unwrap_or_else(|| {
                    vec![
                        Strategy::Spread("attribute:ecs.availability-zone".into()),
                        Strategy::Spread("instanceId".into()),
                    ]
                });
                if deployment_configuration.maximum_percent < 100
                    || deployment_configuration.minimum_healthy_percent > 100
                    || deployment_configuration.minimum_healthy_percent
                        >= deployment_configuration.maximum_percent
                {
                    return Err(Rejection::new(
                        "deployment-configuration",
                        "minimumHealthyPercent must be 0 to 100 and below maximumPercent, which must be at least 100",
                    ));
                }
                if strategies.len() > 5 {
                    return Err(Rejection::new(
                        "placement-strategy",
                        "a service has at most 5 placement strategies",
                    ));
                }
                if let Some(scaling) = &scaling {
                    scaling
                        .check()
                        .map_err(|why| Rejection::new("scaling", why))?;
                }
                let has_scaling = scaling.is_some();
                let (tracking, stepping) = scaling.as_ref().map_or((vec![], vec![]), |s| {
                    (
                        vec![(0, 0); s.target_policies().len()],
                        vec![(0, None); s.step_scaling.len()],
                    )
                });
                let (task_cpu, task_memory) =
                    task_size(self.definitions.get(&revision).expect("resolved"));
                self.services.insert(
                    name.clone(),
                    Service {
                        name: name.clone(),
                        cluster,
                        revision: revision.to_string(),
                        desired: desired_count,
                        capacity,
                        strategies,
                        constraints: placement_constraints,
                        tasks: BTreeSet::new(),
                        unplaced: 0,
                        unplaced_reason: None,
                        load,
                        memory_load,
                        request_load,
                        scaling,
                        desired_set_by_auto_scaling: false,
                        tracking,
                        stepping,
                        last_scale_out: None,
                        last_scale_in: None,
                        steady: false,
                        counts: ServiceCounts::default(),
                        task_cpu,
                        task_memory,
                        deployment_configuration,
                        deployment: None,
                        spread: SpreadIndex::default(),
                        reconcile_queued: false,
                    },
                );
                self.build_spread(&name);
                if has_scaling {
                    self.ensure_tick();
                }
                self.reconcile(&name, &mut out);
            }
            Command::UpdateService {
                service,
                desired_count,
            } => {
                let current = self.need_service(&service)?.desired;
                need_task_count(desired_count)?;
                let updated = self.services.get_mut(&service).expect("checked");
                updated.desired = desired_count;
                updated.desired_set_by_auto_scaling = false;
                self.emit(
                    &mut out,
                    What::ServiceDesiredCountChanged {
                        service: service.clone(),
                        from: current,
                        to: desired_count,
                        reason: "UpdateService.".into(),
                    },
                );
                self.reconcile(&service, &mut out);
            }
            Command::Deploy {
                service,
                task_definition,
            } => {
                let current = self.need_service_not_deploying(&service)?;
                let (cluster, capacity, from) = (
                    current.cluster.clone(),
                    current.capacity.clone(),
                    current.revision.clone(),
                );
                let to = match task_definition {
                    Some(reference) => self.resolve_definition(&reference)?,
                    None => parse_revision(&from),
                };
                self.check_capacity(&cluster, &capacity, &to)?;
                let to = to.to_string();
                self.emit(
                    &mut out,
                    What::DeploymentStarted {
                        service: service.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    },
                );
                let svc = self.services.get_mut(&service).expect("checked");
                svc.deployment = Some(Deployment {
                    from,
                    to,
                    failed_tasks: 0,
                    started_at: self.now,
                    rollback: false,
                    first_task: self.next_task + 1,
                });
                svc.steady = false;
                self.reconcile(&service, &mut out);
            }
            Command::SetTaskRoles {
                service,
                task_role_arn,
                execution_role_arn,
            } => {
                // Refused before a revision is registered for nothing.
                let svc = self.need_service_not_deploying(&service)?;
                let current = parse_revision(&svc.revision);
                let mut definition = self.definitions.get(&current).expect("registered").clone();
                definition.task_role_arn = task_role_arn;
                definition.execution_role_arn = execution_role_arn;
                let revision = self.definitions.register(definition).map_err(|errors| {
                    Rejection::new(
                        "task-definition",
                        errors
                            .iter()
                            .map(|f| format!("{}: {}", f.path, f.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                })?;
                let deployed = self.apply_ecs(Command::Deploy {
                    service,
                    task_definition: Some(revision.to_string()),
                })?;
                out.extend(deployed);
            }
            Command::SetLoad {
                service,
                load,
                metric,
            } => {
                self.need_service(&service)?;
                let s = self.services.get_mut(&service).expect("checked");
                *match metric {
                    Metric::Cpu => &mut s.load,
                    Metric::Memory => &mut s.memory_load,
                    Metric::RequestsPerTarget => &mut s.request_load,
                } = Some(load);
            }
            Command::StopTask { task } => {
                let state = self
                    .tasks
                    .get(&task)
                    .map(|t| t.state)
                    .ok_or_else(|| Rejection::new("no-task", format!("no task {task}")))?;
                if state == TaskState::Stopped || state.is_stopping() {
                    return Err(Rejection::new(
                        "task-stopping",
                        format!("task {task} is already {}", state.label()),
                    ));
                }
                self.stop_task(&task, "Task stopped by the learner (StopTask).", &mut out);
            }
            Command::TerminateInstance { instance } => {
                if !self.instances.contains_key(&instance) {
                    return Err(Rejection::new(
                        "no-instance",
                        format!("no instance {instance}"),
                    ));
                }
                self.terminate_instance(
                    &instance,
                    "terminated by the learner; its tasks are lost",
                    &mut out,
                );
            }
            Command::LoseAz { az } => {
                self.need_az(&az)?;
                self.lost_azs.insert(az.clone());
                self.emit(&mut out, What::AvailabilityZoneLost { az: az.clone() });
                let lost = self.files.on_az_lost(&az);
                self.report_lost(lost, &mut out);
                let doomed: Vec<String> = self
                    .instances
                    .values()
                    .filter(|i| i.az == az)
                    .map(|i| i.id.clone())
                    .collect();
                for id in doomed {
                    self.terminate_instance(
                        &id,
                        &format!("Availability Zone {az} was lost"),
                        &mut out,
                    );
                }
                let fargate: Vec<String> = self
                    .tasks
                    .values()
                    .filter(|t| {
                        matches!(&t.placement, Placement::Fargate { az: a, .. } if *a == az)
                            && t.state != TaskState::Stopped
                    })
                    .map(|t| t.id.clone())
                    .collect();
                for id in fargate {
                    self.lose_task(&id, &format!("Availability Zone {az} was lost."), &mut out);
                }
            }
            Command::RestoreAz { az } => {
                if self.lost_azs.remove(&az) {
                    self.emit(&mut out, What::AvailabilityZoneRestored { az });
                    let services: Vec<String> = self.services.keys().cloned().collect();
                    for service in services {
                        self.reconcile(&service, &mut out);
                    }
                }
            }
            Command::ExitContainer {
                task,
                container,
                exit_code,
            } => {
                let essential = self.need_container(&task, &container)?.essential != Some(false);
                self.container_exits(&task, &container, exit_code, None, essential, &mut out);
            }
            Command::UseMemory {
                task,
                container,
                mib,
            } => {
                let definition = self.need_container(&task, &container)?.clone();
                let essential = definition.essential != Some(false);
                let (limit, what) = self.memory_limit(&task, &definition);
                if mib > limit {
                    self.container_exits(
                        &task,
                        &container,
                        137,
                        Some(format!(
                            "OutOfMemoryError: Container killed due to memory usage: {mib} MiB is over {what}"
                        )),
                        essential,
                        &mut out,
                    );
                } else {
                    let note = match definition.memory_reservation {
                        Some(soft) if i64::from(mib) > soft => format!(
                            "above its memoryReservation (the soft limit, {soft} MiB), which is allowed: it uses memory the scheduler did not reserve for it, up to {what}"
                        ),
                        _ => format!("within {what}"),
                    };
                    if let Some(t) = self.tasks.get_mut(&task) {
                        t.memory_used.insert(container.clone(), mib);
                    }
                    self.emit(
                        &mut out,
                        What::ContainerMemory {
                            task,
                            container,
                            mib,
                            note,
                        },
                    );
                }
            }
            Command::WriteFile {
                task,
                volume,
                container,
                path,
                contents,
            } => {
                let first = self.tasks.get(&task).map(|_| {
                    self.task_definition(&task).container_definitions[0]
                        .name
                        .clone()
                });
                let container = container.or(first).unwrap_or_default();
                self.need_container(&task, &container)?;
                let location = match &volume {
                    Some(name) => {
                        let definition = self.task_definition(&task);
                        let volume = definition
                            .volumes
                            .iter()
                            .flatten()
                            .find(|v| &v.name == name)
                            .cloned()
                            .ok_or_else(|| {
                                Rejection::new(
                                    "no-volume",
                                    format!("task {task} has no volume called {name}"),
                                )
                            })?;
                        self.files
                            .mount(&task, &volume)
                            .map_err(|e| Rejection::new("volume", e.to_string()))?
                    }
                    None => self
                        .files
                        .writable_layer(&task, &container)
                        .map_err(|e| Rejection::new("volume", e.to_string()))?,
                };
                self.files
                    .write(&location, &path, &contents)
                    .map_err(|e| Rejection::new("write", e.to_string()))?;
                self.writers
                    .insert((location.to_string(), path.clone()), task.clone());
                self.emit(
                    &mut out,
                    What::FileWritten {
                        task,
                        path,
                        location: location.to_string(),
                    },
                );
            }
            Command::DrainInstance { instance } => {
                self.need_instance(&instance)?;
                self.drain(
                    &instance,
                    "set to DRAINING: no new tasks; its service tasks are replaced elsewhere",
                    &mut out,
                );
            }
            Command::InterruptSpotInstance { instance } => {
                if !self.need_instance(&instance)?.spot {
                    return Err(Rejection::new(
                        "not-spot",
                        format!("{instance} is an On-Demand instance: only Spot capacity is interrupted"),
                    ));
                }
                let terminate_at = self.now + seconds(120);
                self.emit(
                    &mut out,
                    What::InstanceSpotInterruptionWarning {
                        instance: instance.clone(),
                        terminate_at,
                    },
                );
                self.drain(
                    &instance,
                    "drained on its Spot interruption notice (managed instance draining, or ECS_ENABLE_SPOT_INSTANCE_DRAINING on the agent)",
                    &mut out,
                );
                self.schedule(terminate_at, Happening::SpotInstanceReclaimed { instance });
            }
            Command::InterruptSpot { service, count } => {
                let svc = self.need_service(&service)?;
                let victims: Vec<String> = svc
                    .tasks
                    .iter()
                    .filter(|id| {
                        let t = &self.tasks[*id];
                        matches!(t.placement, Placement::Fargate { spot: true, .. })
                            && t.state == TaskState::Running
                    })
                    .take(count as usize)
                    .cloned()
                    .collect();
                if victims.is_empty() {
                    return Err(Rejection::new(
                        "no-spot-tasks",
                        format!("service {service} has no running Fargate Spot tasks"),
                    ));
                }
                for task in victims {
                    let stop_at = self.now + seconds(120);
                    self.emit(
                        &mut out,
                        What::SpotInterruptionWarning {
                            task: task.clone(),
                            stop_at,
                        },
                    );
                    // SIGTERM now; the task stops after its stopTimeout (30 s by default).
                    self.schedule(self.now + seconds(30), Happening::SpotStop { task });
                }
            }
            Command::CreateEksCluster { .. }
            | Command::CreateNodeGroup(_)
            | Command::CreateFargateProfile(_)
            | Command::CreateDeployment(_)
            | Command::ScaleDeployment { .. }
            | Command::TerminateNode { .. } => unreachable!("apply hands EKS commands to eks"),
        }
        Ok(out)
    }

    /// A container of a RUNNING task, by name.
    fn need_container(
        &self,
        task: &str,
        container: &str,
    ) -> Result<&taskdef::ContainerDefinition, Rejection> {
        let t = self
            .tasks
            .get(task)
            .ok_or_else(|| Rejection::new("no-task", format!("no task {task}")))?;
        if t.state != TaskState::Running {
            return Err(Rejection::new(
                "task-not-running",
                format!("task {task} is {:?}, not RUNNING", t.state),
            ));
        }
        let definition = self
            .definitions
            .get(&parse_revision(&t.revision))
            .expect("registered");
        definition
            .container_definitions
            .iter()
            .find(|c| c.name == container)
            .ok_or_else(|| {
                Rejection::new(
                    "no-container",
                    format!("task {task} has no container called {container}"),
                )
            })
    }

    /// The memory a container may use before it is killed, and what sets
    /// it: its hard limit (`memory`), else the task's memory, else (EC2 with
    /// only a soft limit) what is free on the instance (rules §3 point 2).
    fn memory_limit(&self, task: &str, container: &taskdef::ContainerDefinition) -> (u32, String) {
        if let Some(hard) = container.memory {
            return (
                u32::try_from(hard).unwrap_or(u32::MAX),
                format!("its hard limit (memory) of {hard} MiB"),
            );
        }
        let t = &self.tasks[task];
        let definition = self
            .definitions
            .get(&parse_revision(&t.revision))
            .expect("registered");
        if let Some(memory) = definition
            .memory
            .as_deref()
            .and_then(|m| m.trim().parse::<u32>().ok())
        {
            return (memory, format!("the task's memory of {memory} MiB"));
        }
        if let Placement::Ec2 { instance, .. } = &t.placement {
            if let Some(i) = self.instances.get(instance) {
                let soft = u32::try_from(container.memory_reservation.unwrap_or(0)).unwrap_or(0);
                let limit = soft + (i.memory_total - i.memory_used);
                return (
                    limit,
                    format!(
                        "its reservation plus the {} MiB free on {instance}",
                        limit - soft
                    ),
                );
            }
        }
        (t.memory, format!("the task's {} MiB", t.memory))
    }

    /// A container exited: an essential one stops its task.
    fn container_exits(
        &mut self,
        task: &str,
        container: &str,
        exit_code: i32,
        reason: Option<String>,
        essential: bool,
        out: &mut Vec<Event>,
    ) {
        if let Some(t) = self.tasks.get_mut(task) {
            t.memory_used.remove(container);
        }
        self.emit(
            out,
            What::ContainerExited {
                task: task.into(),
                container: container.into(),
                exit_code,
                reason,
                essential,
            },
        );
        if essential {
            self.stop_task(task, "Essential container in task exited", out);
        }
    }

    /// A service with no deployment in progress.
    fn need_service_not_deploying(&self, service: &str) -> Result<&Service, Rejection> {
        let found = self.need_service(service)?;
        if found.deployment.is_some() {
            return Err(Rejection::new(
                "deployment-in-progress",
                format!("service {service} is already deploying: Dockyard runs one deployment at a time (ECS would start a new primary deployment and wind the current one down)"),
            ));
        }
        Ok(found)
    }

    fn need_instance(&self, instance: &str) -> Result<&Instance, Rejection> {
        self.instances
            .get(instance)
            .ok_or_else(|| Rejection::new("no-instance", format!("no instance {instance}")))
    }

    fn need_cluster(&self, cluster: &str) -> Result<(), Rejection> {
        if self.clusters.contains(cluster) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-cluster",
                format!("no cluster called {cluster}"),
            ))
        }
    }

    fn need_az(&self, az: &str) -> Result<(), Rejection> {
        if self.azs.iter().any(|a| a == az) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-az",
                format!(
                    "{az} is not one of this Region's Availability Zones ({})",
                    self.azs.join(", ")
                ),
            ))
        }
    }

    fn need_service(&self, service: &str) -> Result<&Service, Rejection> {
        self.services
            .get(service)
            .ok_or_else(|| Rejection::new("no-service", format!("no service called {service}")))
    }

    fn resolve_definition(&self, reference: &str) -> Result<Revision, Rejection> {
        let revision = match reference.split_once(':') {
            Some((family, number)) => Revision {
                family: family.to_string(),
                revision: number.parse().map_err(|_| {
                    Rejection::new(
                        "task-definition",
                        format!("{reference}: the revision is not a number"),
                    )
                })?,
            },
            None => self.definitions.latest(reference).ok_or_else(|| {
                Rejection::new(
                    "task-definition",
                    format!("no task definition family {reference}"),
                )
            })?,
        };
        self.definitions
            .get(&revision)
            .map(|_| revision.clone())
            .ok_or_else(|| {
                Rejection::new("task-definition", format!("no task definition {revision}"))
            })
    }

    fn capacity_is_fargate(&self, capacity: &Capacity) -> bool {
        match capacity {
            Capacity::Ec2 => false,
            Capacity::Fargate => true,
            Capacity::Strategy(items) => items
                .iter()
                .all(|i| i.capacity_provider.starts_with("FARGATE")),
        }
    }

    /// The checks CreateService and RunTask make before anything starts.
    fn check_capacity(
        &self,
        cluster: &str,
        capacity: &Capacity,
        revision: &Revision,
    ) -> Result<(), Rejection> {
        let definition = self.definitions.get(revision).expect("resolved");
        let targets = taskdef::Targets::of(definition);
        if let Capacity::Strategy(items) = capacity {
            if items.is_empty() || items.len() > 20 {
                return Err(Rejection::new(
                    "strategy",
                    "a capacity provider strategy has 1 to 20 providers",
                ));
            }
            if items.iter().filter(|i| i.base > 0).count() > 1 {
                return Err(Rejection::new(
                    "strategy-base",
                    "only one provider in a strategy may set a base",
                ));
            }
            if items.iter().all(|i| i.weight == 0) {
                return Err(Rejection::new(
                    "strategy-weight",
                    "at least one provider in a strategy needs a weight above 0",
                ));
            }
            let fargate = items
                .iter()
                .filter(|i| i.capacity_provider.starts_with("FARGATE"))
                .count();
            if fargate != 0 && fargate != items.len() {
                return Err(Rejection::new(
                    "strategy-mix",
                    "a strategy cannot mix Fargate and Auto Scaling group providers",
                ));
            }
            for item in items {
                let name = &item.capacity_provider;
                if !name.starts_with("FARGATE")
                    && self
                        .providers
                        .get(name)
                        .is_none_or(|p| p.cluster != cluster)
                {
                    return Err(Rejection::new(
                        "no-provider",
                        format!("cluster {cluster} has no capacity provider {name}"),
                    ));
                }
            }
        }
        let fargate = self.capacity_is_fargate(capacity);
        if fargate && !targets.fargate {
            return Err(Rejection::new(
                "incompatible-launch-type",
                format!(
                    "task definition {revision} does not list FARGATE in requiresCompatibilities"
                ),
            ));
        }
        if !fargate && !targets.ec2 {
            return Err(Rejection::new(
                "incompatible-launch-type",
                format!("task definition {revision} does not list EC2 in requiresCompatibilities"),
            ));
        }
        Ok(())
    }

    // ---- instances -----------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn launch_instance(
        &mut self,
        cluster: &str,
        kind: &'static catalogue::InstanceType,
        az: &str,
        spot: bool,
        provider: Option<String>,
        instance_role: Option<String>,
        out: &mut Vec<Event>,
    ) -> String {
        self.next_instance += 1;
        let id = format!("i-{}", self.next_instance);
        self.instances.insert(
            id.clone(),
            Instance {
                id: id.clone(),
                cluster: cluster.to_string(),
                instance_type: kind.name,
                az: az.to_string(),
                spot,
                registered: false,
                draining: false,
                provider,
                instance_role,
                cpu_total: kind.vcpus * 1024,
                memory_total: kind
                    .memory_mib
                    .saturating_sub(self.params.instance_reserved_memory_mib),
                cpu_used: 0,
                memory_used: 0,
                enis_total: kind.enis.saturating_sub(1),
                enis_used: 0,
                ports_used: BTreeSet::new(),
                tasks: BTreeSet::new(),
                launched_at: self.now,
                images: BTreeSet::new(),
            },
        );
        let price = if spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        self.set_cost_rate(price / MS_PER_HOUR);
        self.emit(
            out,
            What::InstanceLaunched {
                instance: id.clone(),
                instance_type: kind.name.into(),
                az: az.into(),
                spot,
            },
        );
        self.schedule(
            self.now + seconds(self.params.instance_boot_seconds),
            Happening::InstanceRegisters(id.clone()),
        );
        id
    }

    fn register_instance(&mut self, id: &str, out: &mut Vec<Event>) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        instance.registered = true;
        let kind = catalogue::instance_type(instance.instance_type).expect("catalogue");
        let (cpu, memory, cluster, provider) = (
            instance.cpu_total,
            instance.memory_total,
            instance.cluster.clone(),
            instance.provider.clone(),
        );
        self.emit(
            out,
            What::InstanceRegistered {
                instance: id.into(),
                cpu_units: cpu,
                memory_mib: memory,
                advertised_memory_mib: kind.memory_mib,
            },
        );
        self.join_pool(id);
        let az = self.instances[id].az.clone();
        let _ = self.files.add_instance(id, &az);
        // New capacity: waiting tasks of its provider, and services short of tasks.
        if let Some(provider) = provider {
            self.place_waiting(&provider, id, out);
        }
        let services: Vec<String> = self
            .services
            .values()
            .filter(|s| s.cluster == cluster && s.unplaced > 0)
            .map(|s| s.name.clone())
            .collect();
        for service in services {
            self.reconcile(&service, out);
        }
    }

    fn terminate_instance(&mut self, id: &str, reason: &str, out: &mut Vec<Event>) {
        self.leave_pool(id);
        if !self.instances.contains_key(id) {
            return;
        }
        let lost = self.files.on_instance_lost(id);
        self.report_lost(lost, out);
        if self.instances[id].draining {
            // Its tasks leave the service's draining count before the
            // instance goes (their index entries look the instance up).
            let tasks: Vec<String> = self.instances[id].tasks.iter().cloned().collect();
            for task in &tasks {
                self.index(task, -1);
            }
            self.instances.get_mut(id).expect("exists").draining = false;
            for task in &tasks {
                self.index(task, 1);
            }
        }
        let Some(instance) = self.instances.remove(id) else {
            return;
        };
        let kind = catalogue::instance_type(instance.instance_type).expect("catalogue");
        let price = if instance.spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        self.set_cost_rate(-price / MS_PER_HOUR);
        if let Some(provider) = &instance.provider {
            if let Some(p) = self.providers.get_mut(provider) {
                p.instances.remove(id);
                p.booting.remove(id);
                p.idle.remove(id);
                p.draining.remove(id);
            }
        }
        self.emit(
            out,
            What::InstanceTerminated {
                instance: id.into(),
                reason: reason.into(),
            },
        );
        for task in instance.tasks {
            self.lose_task(
                &task,
                &format!("Instance {id} was terminated: {reason}."),
                out,
            );
        }
    }

    /// DRAINING (rules §6.4): the instance takes no new tasks; its service
    /// tasks are replaced within the service's deployment configuration
    /// (see `reconcile`); tasks not run by a service keep running.
    fn drain(&mut self, id: &str, reason: &str, out: &mut Vec<Event>) {
        if self.instances[id].draining {
            return;
        }
        self.leave_pool(id);
        let tasks: Vec<String> = self.instances[id].tasks.iter().cloned().collect();
        for task in &tasks {
            self.index(task, -1);
        }
        let instance = self.instances.get_mut(id).expect("exists");
        instance.draining = true;
        if let Some(p) = instance
            .provider
            .clone()
            .and_then(|p| self.providers.get_mut(&p))
        {
            p.idle.remove(id);
            p.draining.insert(id.to_string());
        }
        for task in &tasks {
            self.index(task, 1);
        }
        self.emit(
            out,
            What::InstanceDraining {
                instance: id.into(),
                reason: reason.into(),
            },
        );
        // Inserted one by one: collect() would compile a sort of its own.
        let mut services = BTreeSet::new();
        services.extend(tasks.iter().filter_map(|t| self.tasks[t].service.clone()));
        for service in services {
            self.reconcile(&service, out);
        }
    }

    // ---- the placement indexes (see `pool`) ---------------------------

    fn pool_key(instance: &Instance) -> PoolKey {
        (instance.cluster.clone(), instance.provider.clone())
    }

    /// Whether a service's tasks are placed on the pool of `provider`.
    fn uses_pool(service: &Service, provider: Option<&str>) -> bool {
        match (&service.capacity, provider) {
            (Capacity::Ec2, None) => true,
            (Capacity::Strategy(items), Some(p)) => items.iter().any(|i| i.capacity_provider == p),
            _ => false,
        }
    }

    fn free_room(instance: &Instance) -> (u32, u32) {
        (
            instance.cpu_total - instance.cpu_used,
            instance.memory_total - instance.memory_used,
        )
    }

    /// A registered instance becomes a placement candidate.
    fn join_pool(&mut self, id: &str) {
        let instance = &self.instances[id];
        let (key, (cpu, memory), az) = (
            Self::pool_key(instance),
            Self::free_room(instance),
            instance.az.clone(),
        );
        let (idle, draining) = (instance.tasks.is_empty(), instance.draining);
        if let Some(p) = key.1.as_ref().and_then(|p| self.providers.get_mut(p)) {
            p.booting.remove(id);
            if idle && !draining {
                p.idle.insert(id.to_string());
            }
        }
        if draining {
            return;
        }
        self.pools
            .entry(key.clone())
            .or_default()
            .insert(id, cpu, memory);
        for service in self.services.values_mut() {
            if service.cluster == key.0 && Self::uses_pool(service, key.1.as_deref()) {
                let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
                service.spread.insert(&az, id, count);
            }
        }
    }

    /// The instance is no longer a candidate (it is going away).
    fn leave_pool(&mut self, id: &str) {
        let Some(instance) = self.instances.get(id) else {
            return;
        };
        let (key, (cpu, memory), az) = (
            Self::pool_key(instance),
            Self::free_room(instance),
            instance.az.clone(),
        );
        if let Some(pool) = self.pools.get_mut(&key) {
            pool.remove(id, cpu, memory);
        }
        for service in self.services.values_mut() {
            let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
            service.spread.remove(&az, id, count);
        }
    }

    /// Changes an instance's room and keeps its pool's index and its
    /// provider's idle set in step.
    fn change_room(&mut self, id: &str, change: impl FnOnce(&mut Instance)) {
        let instance = self.instances.get_mut(id).expect("exists");
        let before = Self::free_room(instance);
        change(instance);
        let after = Self::free_room(instance);
        let (key, idle, registered) = (
            Self::pool_key(instance),
            instance.tasks.is_empty() && !instance.draining,
            instance.registered,
        );
        if let Some(pool) = self.pools.get_mut(&key) {
            pool.update(id, before, after);
        }
        if let Some(p) = key.1.as_ref().and_then(|p| self.providers.get_mut(p)) {
            if idle && registered {
                p.idle.insert(id.to_string());
            } else {
                p.idle.remove(id);
            }
        }
    }

    /// A new service's spread index, from the instances already registered.
    fn build_spread(&mut self, name: &str) {
        let service = &self.services[name];
        let mut spread = SpreadIndex::default();
        for (key, pool) in &self.pools {
            if key.0 == service.cluster && Self::uses_pool(service, key.1.as_deref()) {
                for id in pool.ids() {
                    let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
                    spread.insert(&self.instances[id].az, id, count);
                }
            }
        }
        self.services.get_mut(name).expect("exists").spread = spread;
    }

    // ---- tasks ---------------------------------------------------------

    fn start_task(
        &mut self,
        cluster: &str,
        revision: &Revision,
        service: Option<&str>,
        capacity: &Capacity,
        out: &mut Vec<Event>,
    ) -> bool {
        let definition = self.definitions.get(revision).expect("resolved").clone();
        let (cpu, memory) = task_size(&definition);
        let awsvpc = definition.network_mode.as_deref() == Some("awsvpc");
        let host_ports = host_ports(&definition);
        let provider = self.choose_provider(service, capacity);
        self.next_task += 1;
        let id = format!("t-{}", self.next_task);
        let mut task = Task {
            id: id.clone(),
            cluster: cluster.into(),
            revision: revision.to_string(),
            service: service.map(str::to_string),
            state: TaskState::Provisioning,
            placement: Placement::AwaitingCapacity {
                provider: String::new(),
            },
            cpu,
            memory,
            awsvpc,
            host_ports,
            healthy: false,
            stopped_reason: None,
            reason: String::new(),
            memory_used: BTreeMap::new(),
            epoch: 0,
            billing_rate: 0.0,
            billing_since: 0,
            provider_choice: provider.clone(),
        };
        let fargate = provider
            .as_deref()
            .is_some_and(|p| p.starts_with("FARGATE"))
            || matches!(capacity, Capacity::Fargate);
        if fargate {
            let spot = provider.as_deref() == Some("FARGATE_SPOT");
            let Some(az) = self.fargate_az(service) else {
                self.emit(
                    out,
                    What::TaskUnplaceable {
                        service: service.map(str::to_string),
                        reason: "every Availability Zone is unavailable".into(),
                    },
                );
                return false;
            };
            task.placement = Placement::Fargate {
                az: az.clone(),
                spot,
            };
            task.reason = format!(
                "spread across Availability Zones: {az} had the fewest of this service's tasks"
            );
            self.tasks.insert(id.clone(), task);
            self.index(&id, 1);
            self.emit(out, What::TaskPlaced {
                task: id.clone(),
                service: service.map(str::to_string),
                placement: Placement::Fargate { az, spot },
                reason: "Fargate spreads tasks across Availability Zones; each task gets its own micro-VM and ENI".into(),
            });
            self.schedule_step(
                &id,
                TaskState::Pending,
                seconds(self.params.fargate_provisioning_seconds),
            );
            return true;
        }
        // EC2: a provider's instances, or the cluster's own.
        let pool: PoolKey = (
            cluster.to_string(),
            provider.clone().filter(|p| self.providers.contains_key(p)),
        );
        match self.choose_instance(&task, Candidates::Pool(&pool), service) {
            Ok((instance, reason)) => {
                self.tasks.insert(id.clone(), task);
                self.index(&id, 1);
                self.place_on(&id, &instance, &reason, out);
                true
            }
            Err(reason) => match provider {
                Some(provider) => {
                    task.placement = Placement::AwaitingCapacity {
                        provider: provider.clone(),
                    };
                    task.reason = reason.clone();
                    self.tasks.insert(id.clone(), task);
                    self.index(&id, 1);
                    self.providers
                        .get_mut(&provider)
                        .expect("checked")
                        .waiting
                        .push_back(id.clone());
                    self.emit(
                        out,
                        What::TaskPlaced {
                            task: id,
                            service: service.map(str::to_string),
                            placement: Placement::AwaitingCapacity { provider },
                            reason,
                        },
                    );
                    true
                }
                None => {
                    self.next_task -= 1;
                    self.emit(
                        out,
                        What::TaskUnplaceable {
                            service: service.map(str::to_string),
                            reason: reason.clone(),
                        },
                    );
                    if let Some(s) = service.and_then(|s| self.services.get_mut(s)) {
                        s.unplaced_reason = Some(reason);
                    }
                    false
                }
            },
        }
    }

    fn choose_provider(&mut self, service: Option<&str>, capacity: &Capacity) -> Option<String> {
        let Capacity::Strategy(items) = capacity else {
            return None;
        };
        // Base first, then split by weight (rules §6.3).
        let per_provider = service
            .and_then(|s| self.services.get(s))
            .map(|s| s.counts.per_provider.clone())
            .unwrap_or_default();
        // Inserted one by one: collect() would compile a sort of its own.
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        counts.extend(items.iter().map(|item| {
            let count = per_provider.get(&item.capacity_provider).copied();
            (item.capacity_provider.clone(), count.unwrap_or(0))
        }));
        if let Some(item) = items
            .iter()
            .find(|i| i.base > 0 && counts[&i.capacity_provider] < i.base)
        {
            return Some(item.capacity_provider.clone());
        }
        items
            .iter()
            .filter(|i| i.weight > 0)
            .min_by(|a, b| {
                let score = |i: &StrategyItem| {
                    f64::from(counts[&i.capacity_provider].saturating_sub(i.base))
                        / f64::from(i.weight)
                };
                score(a).total_cmp(&score(b))
            })
            .map(|i| i.capacity_provider.clone())
    }

    fn fargate_az(&self, service: Option<&str>) -> Option<String> {
        let live: Vec<&String> = self
            .azs
            .iter()
            .filter(|az| !self.lost_azs.contains(*az))
            .collect();
        let per_az = service
            .and_then(|s| self.services.get(s))
            .map(|s| &s.counts.per_az);
        let count = |az: &str| per_az.and_then(|m| m.get(az)).copied().unwrap_or(0);
        live.into_iter().min_by_key(|az| count(az)).cloned()
    }

    /// Placement on EC2 (rules §6.4): resources, then the binding
    /// constraints, then the strategies, best effort, in order.
    fn choose_instance(
        &mut self,
        task: &Task,
        candidates: Candidates,
        service: Option<&str>,
    ) -> Result<(String, String), String> {
        // The world's rng is lent out so that the service can stay borrowed.
        let mut rng = std::mem::replace(&mut self.rng, Rng::new(0));
        let service = service.and_then(|name| self.services.get(name));
        let chosen = match candidates {
            Candidates::One(id) => {
                let one = [id.to_string()];
                self.scan_for_instance(&mut rng, task, one.iter(), 1, service)
            }
            Candidates::Pool(key) => self.choose_in_pool(&mut rng, task, key, service),
        };
        self.rng = rng;
        chosen
    }

    /// A pool's indexes answer the common strategies by looking at the
    /// best candidates first; anything else, and every failure, falls back
    /// to the full scan, which also explains what did not fit.
    fn choose_in_pool(
        &self,
        rng: &mut Rng,
        task: &Task,
        key: &PoolKey,
        service: Option<&Service>,
    ) -> Result<(String, String), String> {
        let Some(pool) = self.pools.get(key).filter(|p| !p.is_empty()) else {
            return Err("no container instance is registered to place it on".into());
        };
        // The most free cpu and memory anywhere bound every instance: when
        // either is too small nothing fits, and no scan is needed to say so.
        let (cpu, cpu_on) = pool.most_free_cpu().expect("not empty");
        let (memory, memory_on) = pool.most_free_memory().expect("not empty");
        if *memory < task.memory || *cpu < task.cpu {
            let mut reasons = Vec::new();
            if *memory < task.memory {
                reasons.push(format!(
                    "needs {} MiB, the largest free memory is {memory} MiB on {memory_on}",
                    task.memory
                ));
            }
            if *cpu < task.cpu {
                reasons.push(format!(
                    "needs {} CPU units, the most free is {cpu} on {cpu_on}",
                    task.cpu
                ));
            }
            return Err(reasons.join("; "));
        }
        if let Some(found) = self.indexed_choice(rng, task, pool, service) {
            // In tests, the indexes must pick what scoring every instance
            // picks, wherever the strategies define a single best instance
            // (random draws and a lone zone spread break ties differently).
            #[cfg(debug_assertions)]
            if let Some(service) = service {
                let exact = match service.strategies.as_slice() {
                    [Strategy::Binpack(_)] => true,
                    [Strategy::Spread(f)] => !f.contains("availability-zone"),
                    [Strategy::Spread(a), Strategy::Spread(b)] => {
                        a.contains("availability-zone") && !b.contains("availability-zone")
                    }
                    _ => false,
                };
                if exact {
                    let scanned =
                        self.scan_for_instance(rng, task, pool.ids(), pool.len(), Some(service));
                    assert_eq!(
                        scanned.as_ref().map(|(id, _)| id),
                        Ok(&found.0),
                        "index and scan disagree for {:?}",
                        service.strategies
                    );
                }
            }
            return Ok(found);
        }
        self.scan_for_instance(rng, task, pool.ids(), pool.len(), service)
    }

    fn indexed_choice(
        &self,
        rng: &mut Rng,
        task: &Task,
        pool: &PoolIndex,
        service: Option<&Service>,
    ) -> Option<(String, String)> {
        const RANDOM: &[Strategy] = &[Strategy::Random];
        let strategies = service.map_or(RANDOM, |s| s.strategies.as_slice());
        let fits = |id: &str| self.misfit(&self.instances[id], task, service).is_none();
        let of = format!("(of {} instances)", pool.len());
        let is_az =
            |s: &Strategy| matches!(s, Strategy::Spread(f) if f.contains("availability-zone"));
        let is_instance =
            |s: &Strategy| matches!(s, Strategy::Spread(f) if !f.contains("availability-zone"));
        match strategies {
            [Strategy::Random] => {
                // Uniform over the instances that fit, by rejection; when
                // few fit, the scan finds them.
                (0..32).find_map(|_| {
                    let id = pool.nth(rng.below(pool.len() as u64) as usize);
                    fits(id).then(|| {
                        (
                            id.to_string(),
                            format!("random among the instances that fit {of}"),
                        )
                    })
                })
            }
            [Strategy::Binpack(field)] => {
                let (need, mut candidates): (u32, Box<dyn Iterator<Item = &(u32, String)>>) =
                    if field == "cpu" {
                        (task.cpu, Box::new(pool.tightest_cpu(task.cpu)))
                    } else {
                        (task.memory, Box::new(pool.tightest_memory(task.memory)))
                    };
                candidates.find(|(_, id)| fits(id)).map(|(free, id)| {
                    (
                        id.clone(),
                        format!(
                            "binpack on {field}: it leaves {} free, the least {of}",
                            free - need
                        ),
                    )
                })
            }
            [first, rest @ ..] if (is_az(first) || is_instance(first)) && rest.len() <= 1 => {
                let service = service?;
                if let Some(second) = rest.first() {
                    if !(is_az(first) && is_instance(second)) {
                        return None;
                    }
                }
                let distinct = service.constraints.contains(&Constraint::DistinctInstance);
                // The least loaded instance that fits in one zone's index.
                let best_in = |az: &String| {
                    service.spread.per_az[az]
                        .iter()
                        .take_while(|(count, _)| !distinct || *count == 0)
                        .find(|(_, id)| pool.contains(id) && fits(id))
                };
                if is_az(first) {
                    // Zones with the fewest of the service's tasks first;
                    // among zones tied, the least loaded instance.
                    let mut zones: Vec<(u32, &String)> = service
                        .spread
                        .per_az
                        .keys()
                        .filter(|az| !self.lost_azs.contains(*az))
                        .map(|az| (service.counts.per_az.get(az).copied().unwrap_or(0), az))
                        .collect();
                    zones.sort_unstable();
                    for group in zones.chunk_by(|a, b| a.0 == b.0) {
                        if let Some(((count, id), az)) = group
                            .iter()
                            .filter_map(|(_, az)| best_in(az).map(|found| (found, *az)))
                            .min()
                        {
                            return Some((
                                id.clone(),
                                format!(
                                    "spread by Availability Zone: {az} had {} of this service's tasks, the fewest; this instance had {count} {of}",
                                    group[0].0
                                ),
                            ));
                        }
                    }
                    None
                } else {
                    let (count, id) = service.spread.per_az.keys().filter_map(best_in).min()?;
                    Some((
                        id.clone(),
                        format!(
                            "spread by instance: it had {count} of this service's tasks, the fewest {of}"
                        ),
                    ))
                }
            }
            _ => None,
        }
    }

    /// Why `instance` cannot take `task`, or `None` when it can.
    fn misfit(
        &self,
        instance: &Instance,
        task: &Task,
        service: Option<&Service>,
    ) -> Option<Misfit> {
        if !instance.registered || instance.draining || self.lost_azs.contains(&instance.az) {
            return Some(Misfit::Unavailable);
        }
        let (free_cpu, free_memory) = Self::free_room(instance);
        if free_memory < task.memory || free_cpu < task.cpu {
            return Some(Misfit::Room);
        }
        if task
            .host_ports
            .iter()
            .any(|p| instance.ports_used.contains(p))
        {
            return Some(Misfit::Port);
        }
        if task.awsvpc && instance.enis_used >= instance.enis_total {
            return Some(Misfit::Eni);
        }
        if let Some(service) = service {
            if !service
                .constraints
                .iter()
                .all(|c| self.satisfies(instance, c, service))
            {
                return Some(Misfit::Constraint);
            }
        }
        None
    }

    /// Every candidate, scored by every strategy: the reference the
    /// indexes must agree with, and the explanation when nothing fits.
    fn scan_for_instance<'a>(
        &self,
        rng: &mut Rng,
        task: &Task,
        candidates: impl Iterator<Item = &'a String>,
        pool_len: usize,
        service: Option<&Service>,
    ) -> Result<(String, String), String> {
        if pool_len == 0 {
            return Err("no container instance is registered to place it on".into());
        }
        let mut fitting = Vec::new();
        let mut most_memory: Option<(u32, &str)> = None;
        let mut most_cpu: Option<(u32, &str)> = None;
        let mut port_conflicts = 0;
        let mut eni_full = 0;
        let mut constrained = 0;
        for id in candidates {
            let instance = &self.instances[id];
            let misfit = self.misfit(instance, task, service);
            if misfit == Some(Misfit::Unavailable) {
                continue;
            }
            let (free_cpu, free_memory) = Self::free_room(instance);
            if most_memory.is_none_or(|(m, _)| free_memory > m) {
                most_memory = Some((free_memory, id));
            }
            if most_cpu.is_none_or(|(c, _)| free_cpu > c) {
                most_cpu = Some((free_cpu, id));
            }
            match misfit {
                None => fitting.push(id.clone()),
                Some(Misfit::Port) => port_conflicts += 1,
                Some(Misfit::Eni) => eni_full += 1,
                Some(Misfit::Constraint) => constrained += 1,
                Some(Misfit::Room | Misfit::Unavailable) => {}
            }
        }
        if fitting.is_empty() {
            let mut reasons = Vec::new();
            if let Some((memory, on)) = most_memory {
                if memory < task.memory {
                    reasons.push(format!(
                        "needs {} MiB, the largest free memory is {memory} MiB on {on}",
                        task.memory
                    ));
                }
            }
            if let Some((cpu, on)) = most_cpu {
                if cpu < task.cpu {
                    reasons.push(format!(
                        "needs {} CPU units, the most free is {cpu} on {on}",
                        task.cpu
                    ));
                }
            }
            if port_conflicts > 0 {
                reasons.push(format!(
                    "its host port is already in use on {port_conflicts} instance(s)"
                ));
            }
            if eni_full > 0 {
                reasons.push(format!(
                    "no free ENI for an awsvpc task on {eni_full} instance(s)"
                ));
            }
            if constrained > 0 {
                reasons.push(format!(
                    "{constrained} instance(s) fit but break a placement constraint"
                ));
            }
            if reasons.is_empty() {
                reasons.push("every instance is in an unavailable Availability Zone".into());
            }
            return Err(reasons.join("; "));
        }
        let strategies = service
            .map(|s| s.strategies.clone())
            .unwrap_or_else(|| vec![Strategy::Random]);
        // Services have at most 5 strategies: a fixed key avoids an
        // allocation per candidate instance.
        let mut best: Option<([i64; 5], &String)> = None;
        for id in &fitting {
            let instance = &self.instances[id];
            let mut key = [0i64; 5];
            for (slot, strategy) in key.iter_mut().zip(&strategies) {
                *slot = match strategy {
                    Strategy::Spread(field) if field.contains("availability-zone") => {
                        Self::service_tasks_in(service, |c| c.per_az.get(&instance.az).copied())
                    }
                    Strategy::Spread(_) => Self::service_tasks_in(service, |c| {
                        c.per_instance.get(&instance.id).copied()
                    }),
                    Strategy::Binpack(field) if field == "cpu" => {
                        i64::from(instance.cpu_total - instance.cpu_used - task.cpu)
                    }
                    Strategy::Binpack(_) => {
                        i64::from(instance.memory_total - instance.memory_used - task.memory)
                    }
                    Strategy::Random => rng.below(1 << 30) as i64,
                };
            }
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, id));
            }
        }
        let (key, chosen) = best.expect("fitting is not empty");
        let chosen = chosen.clone();
        let instance = &self.instances[&chosen];
        let reason = match strategies.first() {
            Some(Strategy::Spread(field)) if field.contains("availability-zone") => {
                format!(
                    "spread by Availability Zone: {} had {} of this service's tasks, the fewest",
                    instance.az, key[0]
                )
            }
            Some(Strategy::Spread(_)) => format!(
                "spread by instance: it had {} of this service's tasks, the fewest",
                key[0]
            ),
            Some(Strategy::Binpack(field)) => {
                format!("binpack on {field}: it leaves {} free, the least", key[0])
            }
            _ => "random among the instances that fit".to_string(),
        };
        Ok((
            chosen,
            format!("{reason} ({} of {pool_len} instances fit)", fitting.len()),
        ))
    }

    fn service_tasks_in(
        service: Option<&Service>,
        pick: impl Fn(&ServiceCounts) -> Option<u32>,
    ) -> i64 {
        service.and_then(|s| pick(&s.counts)).map_or(0, i64::from)
    }

    fn satisfies(&self, instance: &Instance, constraint: &Constraint, service: &Service) -> bool {
        match constraint {
            Constraint::DistinctInstance => {
                !instance.tasks.iter().any(|t| service.tasks.contains(t))
            }
            Constraint::MemberOf(expression) => member_of(expression, instance),
        }
    }

    fn place_on(&mut self, task_id: &str, instance_id: &str, reason: &str, out: &mut Vec<Event>) {
        let (az, cpu, memory, awsvpc, ports, service) = {
            let task = &self.tasks[task_id];
            (
                self.instances[instance_id].az.clone(),
                task.cpu,
                task.memory,
                task.awsvpc,
                task.host_ports.clone(),
                task.service.clone(),
            )
        };
        self.change_room(instance_id, |instance| {
            instance.cpu_used += cpu;
            instance.memory_used += memory;
            if awsvpc {
                instance.enis_used += 1;
            }
            instance.ports_used.extend(ports);
            instance.tasks.insert(task_id.to_string());
        });
        let placement = Placement::Ec2 {
            instance: instance_id.to_string(),
            az,
        };
        self.index(task_id, -1);
        let task = self.tasks.get_mut(task_id).expect("exists");
        task.placement = placement.clone();
        task.reason = reason.to_string();
        self.index(task_id, 1);
        self.emit(
            out,
            What::TaskPlaced {
                task: task_id.into(),
                service,
                placement,
                reason: reason.into(),
            },
        );
        let provisioning = if awsvpc {
            self.params.eni_attach_seconds
        } else {
            0
        };
        self.schedule_step(task_id, TaskState::Pending, seconds(provisioning));
    }

    /// Places the provider's waiting tasks on `instance`, which just gained
    /// room (it registered, or a task on it stopped): only that instance can
    /// have changed, so only it is tried.
    fn place_waiting(&mut self, provider: &str, instance: &str, out: &mut Vec<Event>) {
        // First come, first placed: stop at the first task that does not fit.
        while let Some(task_id) = self.providers[provider].waiting.front().cloned() {
            let task = self.tasks[&task_id].clone();
            match self.choose_instance(&task, Candidates::One(instance), task.service.as_deref()) {
                Ok((instance, reason)) => {
                    self.providers
                        .get_mut(provider)
                        .expect("exists")
                        .waiting
                        .pop_front();
                    self.place_on(&task_id, &instance, &reason, out);
                }
                Err(reason) => {
                    // The instance is full: the rest of the queue waits for
                    // the next one.
                    self.tasks.get_mut(&task_id).expect("exists").reason = reason;
                    break;
                }
            }
        }
    }

    fn schedule_step(&mut self, task: &str, to: TaskState, after: Millis) {
        let epoch = self.tasks[task].epoch;
        self.schedule(
            self.now + after,
            Happening::TaskStep {
                task: task.into(),
                to,
                epoch,
            },
        );
    }

    fn transition(
        &mut self,
        task_id: &str,
        to: TaskState,
        reason: Option<String>,
        out: &mut Vec<Event>,
    ) {
        self.index(task_id, -1);
        let task = self.tasks.get_mut(task_id).expect("exists");
        let from = task.state;
        task.state = to;
        task.epoch += 1;
        self.index(task_id, 1);
        self.emit(
            out,
            What::TaskStateChanged {
                task: task_id.into(),
                from,
                to,
                reason,
            },
        );
    }

    fn step_task(&mut self, task_id: &str, to: TaskState, out: &mut Vec<Event>) {
        match to {
            TaskState::Pending => {
                self.transition(task_id, TaskState::Pending, None, out);
                self.start_billing(task_id);
                let puller = match self.check_pull(task_id) {
                    Ok(puller) => puller,
                    Err(why) => {
                        self.stop_task(task_id, &format!("CannotPullContainerError: {why}"), out);
                        return;
                    }
                };
                if let Err(why) = self.check_secrets_and_registry_auth(task_id) {
                    self.stop_task(
                        task_id,
                        &format!("ResourceInitializationError: unable to pull secrets or registry auth: {why}"),
                        out,
                    );
                    return;
                }
                if let Err(why) = self.count_docker_hub_pulls(task_id, out) {
                    self.stop_task(task_id, &format!("CannotPullContainerError: {why}"), out);
                    return;
                }
                let pull = self.pull_images(task_id, puller, out);
                self.schedule_step(task_id, TaskState::Activating, pull);
            }
            TaskState::Activating => {
                self.transition(task_id, TaskState::Activating, None, out);
                self.schedule_step(
                    task_id,
                    TaskState::Running,
                    seconds(self.params.container_start_seconds),
                );
            }
            TaskState::Running => {
                self.transition(task_id, TaskState::Running, None, out);
                self.start_files(task_id);
                self.schedule(
                    self.now + seconds(self.params.healthy_after_seconds),
                    Happening::TaskHealthy {
                        task: task_id.into(),
                    },
                );
            }
            TaskState::Stopping => {
                self.transition(task_id, TaskState::Stopping, None, out);
                self.schedule_step(
                    task_id,
                    TaskState::Deprovisioning,
                    seconds(self.params.stop_seconds / 2),
                );
            }
            TaskState::Deprovisioning => {
                self.transition(task_id, TaskState::Deprovisioning, None, out);
                self.schedule_step(
                    task_id,
                    TaskState::Stopped,
                    seconds(self.params.stop_seconds - self.params.stop_seconds / 2),
                );
            }
            TaskState::Stopped => self.finish_stop(task_id, out),
            TaskState::Provisioning | TaskState::Deactivating => {}
        }
    }

    /// Fargate bills from the start of the image pull to the task's stop.
    fn start_billing(&mut self, task_id: &str) {
        let task = &self.tasks[task_id];
        if let Placement::Fargate { spot, .. } = task.placement {
            let vcpu = f64::from(task.cpu) / 1024.0;
            let gb = f64::from(task.memory) / 1024.0;
            let factor = if spot { FARGATE_SPOT_FACTOR } else { 1.0 };
            let rate =
                (vcpu * FARGATE_PER_VCPU_HOUR + gb * FARGATE_PER_GB_HOUR) * factor / MS_PER_HOUR;
            let task = self.tasks.get_mut(task_id).expect("exists");
            task.billing_rate = rate;
            task.billing_since = self.now;
            self.set_cost_rate(rate);
        }
    }

    /// Pulls the task's images, in parallel: each takes its size over the
    /// pull rate, or a manifest check when the EC2 instance has it cached.
    /// Returns how long the pull takes.
    fn pull_images(
        &mut self,
        task_id: &str,
        puller: Option<String>,
        out: &mut Vec<Event>,
    ) -> Millis {
        let task = &self.tasks[task_id];
        let definition = self
            .definitions
            .get(&parse_revision(&task.revision))
            .expect("registered");
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => Some(instance.clone()),
            _ => None,
        };
        let cache = instance
            .as_ref()
            .and_then(|i| self.instances.get(i))
            .map(|i| &i.images);
        let rate = self.params.image_pull_mb_per_second.max(1);
        let images: Vec<PulledImage> = definition
            .container_definitions
            .iter()
            .map(|c| {
                let mb = self.params.image_mb(&c.image);
                let cached = cache.is_some_and(|cache| cache.contains(&c.image));
                let seconds = if cached {
                    self.params.cached_pull_seconds
                } else {
                    mb.div_ceil(rate).max(1)
                };
                PulledImage {
                    image: c.image.clone(),
                    mb,
                    cached,
                    seconds,
                }
            })
            .collect();
        let longest = images.iter().map(|i| i.seconds).max().unwrap_or(0);
        if let Some(instance) = instance.and_then(|i| self.instances.get_mut(&i)) {
            instance
                .images
                .extend(images.iter().map(|i| i.image.clone()));
        }
        self.emit(
            out,
            What::ImagesPulled {
                task: task_id.into(),
                images,
                puller,
                seconds: longest,
            },
        );
        seconds(longest)
    }

    /// Who pulls the image, and whether their policies allow it (rules §4):
    /// the principal that pulls from private ECR, if any.
    fn check_pull(&self, task_id: &str) -> Result<Option<String>, String> {
        let definition = self.task_definition(task_id);
        let Some(image) = definition
            .container_definitions
            .iter()
            .map(|c| c.image.as_str())
            .find(|i| taskdef::looks_like_ecr(i))
        else {
            return Ok(None);
        };
        let call = AppCall::parse(&format!("pull {image}")).map_err(|error| error.to_string())?;
        match self.check_task_call(task_id, &call) {
            None => Ok(None),
            Some(check) if check.is_allowed() => Ok(Some(check.principal.label().to_string())),
            Some(check) => Err(check.explanation),
        }
    }

    /// The Secrets Manager secret each container's `repositoryCredentials`
    /// names, as written and as the ARN IAM sees, which ECS reads with the
    /// execution role before it pulls (rules §3). AWS documents
    /// repositoryCredentials for registries outside AWS; ECR and ECR Public
    /// images are pulled with ECR's own authorization, so credentials set on
    /// them are not read here (what ECS does with both on one container is
    /// not documented).
    fn registry_login_secrets(&self, task_id: &str) -> Vec<(String, String)> {
        self.task_definition(task_id)
            .container_definitions
            .iter()
            .filter(|c| {
                !taskdef::looks_like_ecr(&c.image) && !c.image.starts_with("public.ecr.aws/")
            })
            .filter_map(|c| {
                let written = c
                    .repository_credentials
                    .as_ref()?
                    .get("credentialsParameter")?
                    .as_str()?;
                Some((written.to_string(), self.secret_arn(written)))
            })
            .collect()
    }

    /// A Secrets Manager reference as the ARN a policy is matched against.
    /// ECS accepts a same-Region secret's bare name as well as its ARN; a
    /// name becomes the secret of that name in this account and Region,
    /// with `-XXXXXX` standing in for the six random characters Secrets
    /// Manager appends to every secret's ARN, so that a policy written the
    /// way AWS advises (`secret:NAME-??????`) matches it and one naming the
    /// bare `secret:NAME` does not, as in AWS. (The model covers the `aws`
    /// partition only: account and Region come from the world.)
    fn secret_arn(&self, reference: &str) -> String {
        if reference.starts_with("arn:") {
            reference.to_string()
        } else {
            format!(
                "arn:aws:secretsmanager:{}:{}:secret:{reference}-XXXXXX",
                self.aws.region, self.aws.account_id
            )
        }
    }

    /// The Secrets Manager secrets the containers' `secrets` inject, as
    /// written and as the secret's ARN. Only a full Secrets Manager ARN names
    /// one: a bare name in `valueFrom` is a Systems Manager parameter, which
    /// this model does not check. A reference may go on to pick one JSON key
    /// and version (`…:secret:db-AbCdEf:password::`); IAM sees the secret's
    /// ARN, its first seven colon-separated fields.
    fn injected_secrets(&self, task_id: &str) -> Vec<(String, String)> {
        self.task_definition(task_id)
            .container_definitions
            .iter()
            .flat_map(|c| c.secrets.iter().flatten())
            .filter(|secret| secret.value_from.starts_with("arn:aws:secretsmanager:"))
            .map(|secret| {
                let arn: Vec<&str> = secret.value_from.split(':').take(7).collect();
                (secret.value_from.clone(), arn.join(":"))
            })
            .collect()
    }

    /// Before it pulls, ECS reads every secret the task needs with the
    /// execution role: the values injected through `secrets` and the Docker
    /// credentials in `repositoryCredentials`. Without an execution role, or
    /// without secretsmanager:GetSecretValue on one of them, the task stops
    /// with ResourceInitializationError and never runs.
    fn check_secrets_and_registry_auth(&self, task_id: &str) -> Result<(), String> {
        let injected = self
            .injected_secrets(task_id)
            .into_iter()
            .map(|(written, arn)| ("secrets.valueFrom", written, format!("inject-secret {arn}")));
        let logins = self
            .registry_login_secrets(task_id)
            .into_iter()
            .map(|(written, arn)| {
                (
                    "repositoryCredentials.credentialsParameter",
                    written,
                    format!("registry-login {arn}"),
                )
            });
        for (field, written, text) in injected.chain(logins) {
            // Secrets Manager's own rule for a secret's name.
            let named = !written.starts_with("arn:");
            if named
                && (written.is_empty()
                    || written.len() > 512
                    || !written
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)))
            {
                return Err(format!(
                    "{field} {written:?}: a secret's name is 1 to 512 ASCII letters, digits and /_+=.@- (or give its ARN)"
                ));
            }
            let call = AppCall::parse(&text)
                .map_err(|error| format!("{field} {written:?}: {}", error.reason))?;
            if let Some(check) = self.check_task_call(task_id, &call) {
                if !check.is_allowed() {
                    return Err(check.explanation);
                }
            }
        }
        Ok(())
    }

    /// Docker Hub's pull rate limit (rules §8, §10 point 18): each pull of
    /// a Docker Hub image counts, cached or not, since the ECS agent asks
    /// the registry for the manifest every time by default. Over the limit
    /// the pull fails with toomanyrequests; on EC2 the agent then falls
    /// back to an image the instance has cached (ECS_IMAGE_PULL_BEHAVIOR
    /// default), and Fargate, which caches nothing, stops the task.
    ///
    /// Anonymous pulls are counted together: every task here reaches Docker
    /// Hub through one NAT gateway address. Pulls with repositoryCredentials
    /// are counted per secret, each taken to hold a different free account.
    fn count_docker_hub_pulls(
        &mut self,
        task_id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), String> {
        use crate::registry::docker_hub::{DockerHubPullCounter, DockerHubPuller, WINDOW_WORDS};
        use crate::registry::image_ref::{ImageRef, RegistryKind};
        let task = &self.tasks[task_id];
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => self.instances.get(instance),
            _ => None,
        };
        let definition = self.task_definition(task_id);
        let pulls: Vec<(String, String, DockerHubPuller, Option<String>)> = definition
            .container_definitions
            .iter()
            .filter(|c| {
                ImageRef::parse(&c.image).is_ok_and(|image| image.kind() == RegistryKind::DockerHub)
            })
            .map(|c| {
                let cached_on = instance
                    .filter(|i| i.images.contains(&c.image))
                    .map(|i| i.id.clone());
                match c
                    .repository_credentials
                    .as_ref()
                    .and_then(|r| r.get("credentialsParameter"))
                    .and_then(|p| p.as_str())
                {
                    Some(secret) => (
                        c.image.clone(),
                        secret.to_string(),
                        DockerHubPuller::FreeAccount,
                        cached_on,
                    ),
                    None => (
                        c.image.clone(),
                        "anonymous".to_string(),
                        DockerHubPuller::Anonymous,
                        cached_on,
                    ),
                }
            })
            .collect();
        let now_seconds = self.now / 1000;
        for (image, who, puller, cached_on) in pulls {
            let counter = self
                .docker_hub_pulls
                .entry(who)
                .or_insert_with(|| DockerHubPullCounter::new(puller));
            let Err(refused) = counter.pull(now_seconds) else {
                continue;
            };
            let limit = puller.pulls_per_window().unwrap_or(u32::MAX);
            let why = match puller {
                DockerHubPuller::Anonymous => format!(
                    "{refused} Docker Hub allows {limit} pulls per {WINDOW_WORDS} per IP address without signing in, and every task here pulls through one NAT gateway address."
                ),
                _ => format!(
                    "{refused} A free Docker account allows {limit} pulls per {WINDOW_WORDS}."
                ),
            };
            match cached_on {
                Some(instance) => self.emit(
                    out,
                    What::PullRefusedCacheUsed {
                        task: task_id.into(),
                        image,
                        instance,
                        why,
                    },
                ),
                None => {
                    return Err(format!(
                        "{why} Pull from Amazon ECR (ECR Public, or a pull-through cache) instead."
                    ))
                }
            }
        }
        Ok(())
    }

    /// A task that reached RUNNING has its volumes in the file store.
    fn start_files(&mut self, task_id: &str) {
        let task = &self.tasks[task_id];
        let placement = match &task.placement {
            Placement::Ec2 { instance, az } => TaskPlacement::on_instance(task_id, instance, az),
            Placement::Fargate { az, .. } => TaskPlacement::on_fargate(task_id, az),
            Placement::AwaitingCapacity { .. } => return,
        };
        let volumes: Vec<_> = self
            .task_definition(task_id)
            .volumes
            .iter()
            .flatten()
            .cloned()
            .collect();
        if self.files.start_task(placement).is_ok() {
            for volume in &volumes {
                // A volume the platform refuses was refused at registration.
                let _ = self.files.mount(task_id, volume);
            }
        }
    }

    fn report_lost(&mut self, lost: Vec<files::DataLost>, out: &mut Vec<Event>) {
        for data in lost.into_iter().filter(|d| !d.files.is_empty()) {
            self.emit(
                out,
                What::DataLost {
                    location: data.location.to_string(),
                    files: data.files,
                    why: data.why,
                },
            );
        }
    }

    /// The task that last wrote `path` at `location` (as in `TaskFiles`).
    pub fn file_writer(&self, location: &str, path: &str) -> Option<&str> {
        self.writers
            .get(&(location.to_string(), path.to_string()))
            .map(String::as_str)
    }

    /// What a task can see: each of its volumes and each container's own
    /// filesystem, where it lives, and the files there now.
    pub fn task_files(&self, task_id: &str) -> Vec<TaskFiles> {
        let Some(placement) = self.files.placement(task_id) else {
            return Vec::new();
        };
        let definition = self.task_definition(task_id);
        let mut out = Vec::new();
        for volume in definition.volumes.iter().flatten() {
            if let Ok(location) = files::resolve(placement, volume) {
                out.push(TaskFiles {
                    volume: Some(volume.name.clone()),
                    location: location.to_string(),
                    paths: self
                        .files
                        .paths(&location)
                        .iter()
                        .map(|p| p.to_string())
                        .collect(),
                });
            }
        }
        for container in &definition.container_definitions {
            let location = Location::WritableLayer {
                task_id: task_id.to_string(),
                container: container.name.clone(),
            };
            out.push(TaskFiles {
                volume: None,
                location: location.to_string(),
                paths: self
                    .files
                    .paths(&location)
                    .iter()
                    .map(|p| p.to_string())
                    .collect(),
            });
        }
        out
    }

    /// The task definition revision a task runs, if there is such a task.
    pub fn definition_of(&self, task_id: &str) -> Option<&TaskDefinition> {
        self.tasks
            .contains_key(task_id)
            .then(|| self.task_definition(task_id))
    }

    fn task_definition(&self, task_id: &str) -> &TaskDefinition {
        let task = &self.tasks[task_id];
        self.definitions
            .get(&parse_revision(&task.revision))
            .expect("registered")
    }

    /// Decides one call made for or by a task: the principal that makes it
    /// (task role, execution role, instance profile), whether that role
    /// trusts the right service, and its policies' verdict (rules §4). `None`
    /// while the task has nowhere to run yet.
    pub fn check_task_call(&self, task_id: &str, call: &AppCall) -> Option<iam::CallCheck> {
        let task = self.tasks.get(task_id)?;
        let definition = self.task_definition(task_id);
        let (platform, instance_role) = match &task.placement {
            Placement::Fargate { .. } => (Platform::EcsOnFargate, None),
            Placement::Ec2 { instance, .. } => (
                Platform::EcsOnEc2,
                self.instances
                    .get(instance)
                    .and_then(|i| i.instance_role.clone()),
            ),
            Placement::AwaitingCapacity { .. } => return None,
        };
        let lookup = |arn: &Option<String>, service: &str, managed: Option<&str>| -> Option<Role> {
            arn.as_ref().map(|arn| {
                self.roles.get(arn).cloned().unwrap_or_else(|| {
                    // A role the scenario did not define is taken to be the
                    // standard one (a task role: one with no permissions).
                    let name = arn.rsplit('/').next().unwrap_or("role");
                    let role = Role::new(&self.aws.account_id, name, service);
                    match managed {
                        Some(policy) => role
                            .with_managed_policy(policy)
                            .expect("a known managed policy"),
                        None => role,
                    }
                })
            })
        };
        let task_role = lookup(&definition.task_role_arn, iam::ECS_TASKS_SERVICE, None);
        let execution = lookup(
            &definition.execution_role_arn,
            iam::ECS_TASKS_SERVICE,
            Some("AmazonECSTaskExecutionRolePolicy"),
        );
        let instance = if platform == Platform::EcsOnEc2 {
            lookup(
                &Some(instance_role.unwrap_or_else(|| {
                    format!("arn:aws:iam::{}:role/ecsInstanceRole", self.aws.account_id)
                })),
                iam::EC2_SERVICE,
                Some("AmazonEC2ContainerServiceforEC2Role"),
            )
        } else {
            None
        };
        let roles = AssignedRoles {
            task_role: task_role.as_ref(),
            execution_role: execution.as_ref(),
            instance_role: instance.as_ref(),
            ..AssignedRoles::default()
        };
        let setup = RoleSetup {
            task_role: definition.task_role_arn.is_some(),
            execution_role: definition.execution_role_arn.is_some(),
            ..RoleSetup::default()
        };
        Some(iam::check_call(platform, setup, &roles, call, &self.aws))
    }

    /// Every call the platform makes for a task (pulling private ECR
    /// images, shipping awslogs logs, injecting Secrets Manager secrets),
    /// then `app_calls` made by its code, each decided.
    pub fn task_calls(&self, task_id: &str, app_calls: &[AppCall]) -> Vec<iam::CallCheck> {
        if !self.tasks.contains_key(task_id) {
            return Vec::new();
        }
        let definition = self.task_definition(task_id);
        let mut calls = Vec::new();
        for container in &definition.container_definitions {
            if taskdef::looks_like_ecr(&container.image) {
                calls.push(format!("pull {}", container.image));
            }
            if let Some(logs) = &container.log_configuration {
                if logs.log_driver == "awslogs" {
                    let group = logs
                        .options
                        .as_ref()
                        .and_then(|o| o.get("awslogs-group"))
                        .cloned()
                        .unwrap_or_else(|| format!("/ecs/{}", definition.family));
                    calls.push(format!("ship-logs {group}"));
                }
            }
        }
        for (_, secret) in self.injected_secrets(task_id) {
            calls.push(format!("inject-secret {secret}"));
        }
        for (_, secret) in self.registry_login_secrets(task_id) {
            calls.push(format!("registry-login {secret}"));
        }
        calls
            .iter()
            .filter_map(|text| AppCall::parse(text).ok())
            .chain(app_calls.iter().cloned())
            .filter_map(|call| self.check_task_call(task_id, &call))
            .collect()
    }

    fn stop_task(&mut self, task_id: &str, reason: &str, out: &mut Vec<Event>) {
        let Some(task) = self.tasks.get_mut(task_id) else {
            return;
        };
        if task.state == TaskState::Stopped || task.state.is_stopping() {
            return;
        }
        task.stopped_reason = Some(reason.to_string());
        if let Placement::AwaitingCapacity { provider } = &task.placement {
            let provider = provider.clone();
            if let Some(p) = self.providers.get_mut(&provider) {
                p.waiting.retain(|t| t != task_id);
            }
            self.transition(task_id, TaskState::Stopped, Some(reason.to_string()), out);
            self.after_stop(task_id, out);
            return;
        }
        self.transition(
            task_id,
            TaskState::Deactivating,
            Some(reason.to_string()),
            out,
        );
        self.schedule_step(task_id, TaskState::Stopping, 0);
    }

    /// A task whose host vanished: straight to STOPPED.
    fn lose_task(&mut self, task_id: &str, reason: &str, out: &mut Vec<Event>) {
        let Some(task) = self.tasks.get_mut(task_id) else {
            return;
        };
        if task.state == TaskState::Stopped {
            return;
        }
        task.stopped_reason = Some(reason.to_string());
        if let Placement::AwaitingCapacity { provider } = &task.placement {
            let provider = provider.clone();
            if let Some(p) = self.providers.get_mut(&provider) {
                p.waiting.retain(|t| t != task_id);
            }
        }
        self.transition(task_id, TaskState::Stopped, Some(reason.to_string()), out);
        self.finish_stop_resources(task_id, out);
        self.after_stop(task_id, out);
    }

    fn finish_stop(&mut self, task_id: &str, out: &mut Vec<Event>) {
        let reason = self.tasks[task_id].stopped_reason.clone();
        self.transition(task_id, TaskState::Stopped, reason, out);
        self.finish_stop_resources(task_id, out);
        self.after_stop(task_id, out);
    }

    fn finish_stop_resources(&mut self, task_id: &str, out: &mut Vec<Event>) {
        let lost = self.files.on_task_stopped(task_id);
        self.report_lost(lost, out);
        let task = self.tasks.get_mut(task_id).expect("exists");
        let rate = std::mem::take(&mut task.billing_rate);
        // Fargate bills per second with a one-minute minimum.
        let billed = self.now.saturating_sub(task.billing_since);
        if rate != 0.0 && billed < 60_000 {
            self.cost += rate * (60_000 - billed) as f64;
        }
        let (cpu, memory, awsvpc, ports, placement) = (
            task.cpu,
            task.memory,
            task.awsvpc,
            task.host_ports.clone(),
            task.placement.clone(),
        );
        if rate != 0.0 {
            self.set_cost_rate(-rate);
        }
        if let Placement::Ec2 { instance, .. } = placement {
            let on_it = self
                .instances
                .get(&instance)
                .is_some_and(|i| i.tasks.contains(task_id));
            if on_it {
                self.change_room(&instance, |instance| {
                    instance.tasks.remove(task_id);
                    instance.cpu_used -= cpu;
                    instance.memory_used -= memory;
                    if awsvpc {
                        instance.enis_used -= 1;
                    }
                    for port in ports {
                        instance.ports_used.remove(&port);
                    }
                });
                let provider = self.instances[&instance].provider.clone();
                if let Some(provider) = provider.filter(|p| !self.providers[p].waiting.is_empty()) {
                    self.place_waiting(&provider, &instance, out);
                }
            }
        }
    }

    fn after_stop(&mut self, task_id: &str, out: &mut Vec<Event>) {
        if let Some(service) = self.tasks[task_id].service.clone() {
            if let Some(s) = self.services.get_mut(&service) {
                s.tasks.remove(task_id);
                s.steady = false;
            }
            let task = &self.tasks[task_id];
            let failed_new = self.services[&service]
                .deployment
                .as_ref()
                .is_some_and(|d| d.to == task.revision && task_number(task_id) >= d.first_task)
                && !task.healthy;
            if failed_new {
                self.deployment_task_failed(&service, out);
            }
            if self.services[&service].deployment.is_some() {
                self.reconcile_soon(&service);
            } else {
                self.reconcile(&service, out);
            }
        }
    }

    // ---- the service scheduler ------------------------------------------

    /// Starts or stops tasks until the service has its desired count.
    fn reconcile(&mut self, name: &str, out: &mut Vec<Event>) {
        if self
            .services
            .get(name)
            .is_some_and(|s| s.deployment.is_some())
        {
            self.deploy_step(name, out);
            // A drain during a deployment: the deployment starts the
            // replacements; tasks on the draining instance still go once
            // enough are healthy.
            let service = &self.services[name];
            if service.counts.draining > 0 {
                let config = service.deployment_configuration.clone();
                self.stop_drained(name, &config, out);
            }
            return;
        }
        let Some(service) = self.services.get(name) else {
            return;
        };
        // Tasks on DRAINING instances still serve, but are being replaced:
        // they do not count towards the desired count.
        let draining = service.counts.draining as usize;
        let live = (service.counts.live() as usize).saturating_sub(draining);
        let desired = service.desired as usize;
        let (cluster, revision, capacity) = (
            service.cluster.clone(),
            parse_revision(&service.revision),
            service.capacity.clone(),
        );
        let config = service.deployment_configuration.clone();
        if live > desired {
            // Scale in, newest tasks first (a scan, but only when scaling in).
            let mut candidates: Vec<(u64, String)> = service
                .tasks
                .iter()
                .filter(|id| self.tasks[*id].state <= TaskState::Running && !self.on_draining(id))
                .map(|id| (task_number(id), id.clone()))
                .collect();
            candidates.sort_unstable();
            for (_, task) in candidates.iter().rev().take(live - desired) {
                self.stop_task(
                    task,
                    "Scaling activity initiated by the service: desired count lowered.",
                    out,
                );
            }
        }
        let mut missing = desired.saturating_sub(live);
        if draining > 0 {
            // Replacements start within maximumPercent of the desired count.
            let ceiling = desired.saturating_mul(config.maximum_percent as usize) / 100;
            missing = missing.min(ceiling.saturating_sub(live + draining));
        }
        let mut placed_all = true;
        while missing > 0 {
            let before = self.next_task;
            if self.start_task(&cluster, &revision, Some(name), &capacity, out) {
                let id = format!("t-{}", self.next_task);
                debug_assert!(self.next_task > before);
                self.services
                    .get_mut(name)
                    .expect("exists")
                    .tasks
                    .insert(id);
                missing -= 1;
            } else {
                placed_all = false;
                break;
            }
        }
        let service = self.services.get_mut(name).expect("exists");
        service.unplaced = missing as u32;
        if placed_all {
            service.unplaced_reason = None;
        }
        if draining > 0 {
            self.stop_drained(name, &config, out);
        }
    }

    /// Reconciles `name` once, after everything else due now.
    fn reconcile_soon(&mut self, name: &str) {
        let service = self.services.get_mut(name).expect("exists");
        if !service.reconcile_queued {
            service.reconcile_queued = true;
            self.schedule(
                self.now,
                Happening::Reconcile {
                    service: name.into(),
                },
            );
        }
    }

    fn on_draining(&self, task_id: &str) -> bool {
        match &self.tasks[task_id].placement {
            Placement::Ec2 { instance, .. } => {
                self.instances.get(instance).is_some_and(|i| i.draining)
            }
            _ => false,
        }
    }

    /// Stops a service's tasks on DRAINING instances while
    /// minimumHealthyPercent of the desired count stays healthy: tasks not
    /// yet healthy at once, healthy ones as their replacements become
    /// healthy (rules §6.4).
    fn stop_drained(&mut self, name: &str, config: &DeploymentConfiguration, out: &mut Vec<Event>) {
        let service = &self.services[name];
        let floor = (u64::from(service.desired) * u64::from(config.minimum_healthy_percent))
            .div_ceil(100) as u32;
        let mut may_stop = service.counts.healthy.saturating_sub(floor);
        let mut doomed = Vec::new();
        // Tasks on draining instances (few instances drain at once).
        for id in &service.tasks {
            let task = &self.tasks[id];
            if task.state > TaskState::Running || !self.on_draining(id) {
                continue;
            }
            let healthy = task.healthy && task.state == TaskState::Running;
            if !healthy {
                doomed.push(id.clone());
            } else if may_stop > 0 {
                may_stop -= 1;
                doomed.push(id.clone());
            }
        }
        for task in doomed {
            self.stop_task(
                &task,
                "Task stopped because its container instance is DRAINING; the service replaced it elsewhere.",
                out,
            );
        }
    }

    /// One step of a rolling deployment: start new tasks within
    /// maximumPercent, stop old ones while minimumHealthyPercent of the
    /// desired count stays healthy, finish when only new tasks run, and trip
    /// the circuit breaker when too many new tasks fail (rules §6.1).
    fn deploy_step(&mut self, name: &str, out: &mut Vec<Event>) {
        let service = &self.services[name];
        let deployment = service.deployment.clone().expect("deploying");
        let config = service.deployment_configuration.clone();
        let desired = service.desired;
        let (mut new_live, mut old_live, mut healthy, mut new_healthy) =
            (0u32, Vec::new(), 0u32, 0u32);
        for id in &service.tasks {
            let task = &self.tasks[id];
            if task.state > TaskState::Running {
                continue;
            }
            let is_new = task.revision == deployment.to && task_number(id) >= deployment.first_task;
            let is_healthy = task.state == TaskState::Running && task.healthy;
            healthy += u32::from(is_healthy);
            if is_new {
                new_live += 1;
                new_healthy += u32::from(is_healthy);
            } else {
                old_live.push((task_number(id), id.clone(), is_healthy));
            }
        }
        let max_total = (u64::from(desired) * u64::from(config.maximum_percent) / 100)
            .min(u64::from(u32::MAX)) as u32;
        let min_healthy =
            (u64::from(desired) * u64::from(config.minimum_healthy_percent)).div_ceil(100) as u32;
        // Stop old tasks while enough stay healthy (unhealthy ones first).
        // (Unhealthy before healthy, newest first: one u64 key for the
        // model's shared sort; task numbers stay far below 2^63.)
        crate::order::sort_by_u64_key(&mut old_live, |(number, _, is_healthy)| {
            (u64::from(*is_healthy) << 63) | ((1 << 63) - 1 - number.min(&((1 << 63) - 1)))
        });
        let mut stoppable = healthy.saturating_sub(min_healthy);
        let total_live = new_live + old_live.len() as u32;
        let old_count = old_live.len() as u32;
        // Old tasks go for two reasons: healthy new tasks have replaced them,
        // or maximumPercent leaves no room to start the new ones.
        let replaced = old_count.saturating_sub(desired.saturating_sub(new_healthy));
        let for_room = desired
            .saturating_sub(new_live)
            .saturating_sub(max_total.saturating_sub(total_live));
        let limit = replaced.max(for_room).min(old_count);
        let mut to_stop = Vec::new();
        for (_, id, is_healthy) in &old_live {
            if to_stop.len() as u32 >= limit {
                break;
            }
            if *is_healthy {
                if stoppable == 0 {
                    break;
                }
                stoppable -= 1;
            }
            to_stop.push(id.clone());
        }
        for id in &to_stop {
            self.stop_task(
                id,
                &format!(
                    "Deployment to {}: replaced by a task of the new revision.",
                    deployment.to
                ),
                out,
            );
        }
        // Start new tasks within maximumPercent.
        let live_after = total_live - to_stop.len() as u32;
        let room = max_total
            .saturating_sub(live_after)
            .min(desired.saturating_sub(new_live));
        let (cluster, capacity) = (
            self.services[name].cluster.clone(),
            self.services[name].capacity.clone(),
        );
        let revision = parse_revision(&deployment.to);
        for _ in 0..room {
            if self.start_task(&cluster, &revision, Some(name), &capacity, out) {
                let id = format!("t-{}", self.next_task);
                self.services
                    .get_mut(name)
                    .expect("exists")
                    .tasks
                    .insert(id);
            } else {
                break;
            }
        }
        if old_live.len() == to_stop.len() && new_healthy >= desired {
            let service = self.services.get_mut(name).expect("exists");
            service.revision = deployment.to.clone();
            service.deployment = None;
            self.emit(
                out,
                What::DeploymentCompleted {
                    service: name.into(),
                    revision: deployment.to,
                    rolled_back: deployment.rollback,
                },
            );
        }
    }

    /// A new task of a deployment stopped before it became healthy.
    fn deployment_task_failed(&mut self, name: &str, out: &mut Vec<Event>) {
        let Some(service) = self.services.get_mut(name) else {
            return;
        };
        let Some(deployment) = service.deployment.as_mut() else {
            return;
        };
        deployment.failed_tasks += 1;
        let Some(breaker) = service
            .deployment_configuration
            .deployment_circuit_breaker
            .filter(|b| b.enable)
        else {
            return;
        };
        // AWS: the threshold is half the desired count, at least 3 and at most 200.
        let threshold = service.desired.div_ceil(2).clamp(3, 200);
        if deployment.failed_tasks < threshold || deployment.rollback {
            return;
        }
        let failed = deployment.clone();
        let reason = format!(
            "{} new tasks failed to start (the threshold is {threshold})",
            failed.failed_tasks
        );
        if breaker.rollback {
            service.deployment = Some(Deployment {
                from: failed.to.clone(),
                to: failed.from.clone(),
                failed_tasks: 0,
                started_at: self.now,
                rollback: true,
                // Tasks of the revision rolled back to are kept, whenever
                // they started.
                first_task: 0,
            });
        } else {
            service.deployment = None;
        }
        self.emit(
            out,
            What::DeploymentFailed {
                service: name.into(),
                revision: failed.to,
                reason,
                rolling_back: breaker.rollback,
            },
        );
    }

    fn check_steady(&mut self, name: &str, out: &mut Vec<Event>) {
        let Some(service) = self.services.get(name) else {
            return;
        };
        let healthy = service.counts.healthy;
        let others = service.counts.unstopped() - healthy;
        if !service.steady && healthy == service.desired && others == 0 {
            self.services.get_mut(name).expect("exists").steady = true;
            self.emit(
                out,
                What::ServiceSteadyState {
                    service: name.into(),
                    running: healthy,
                },
            );
        }
    }

    // ---- autoscaling ---------------------------------------------------

    fn ensure_tick(&mut self) {
        if !self.tick_scheduled {
            self.tick_scheduled = true;
            let period = seconds(self.params.metric_period_seconds);
            self.schedule((self.now / period + 1) * period, Happening::MetricTick);
        }
    }

    fn metric_tick(&mut self, out: &mut Vec<Event>) {
        let scaled: Vec<String> = self
            .services
            .values()
            .filter(|s| s.scaling.is_some())
            .map(|s| s.name.clone())
            .collect();
        for name in scaled {
            self.auto_scale(&name, out);
        }
        let providers: Vec<String> = self.providers.keys().cloned().collect();
        for name in providers {
            self.managed_scaling(&name, out);
        }
        self.schedule(
            self.now + seconds(self.params.metric_period_seconds),
            Happening::MetricTick,
        );
    }

    /// Service Auto Scaling, once a minute (rules §6.2). Target tracking
    /// scales out when any policy has been above its target long enough,
    /// and in only when every policy that may scale in has been below; step
    /// policies act when their alarm has held for its evaluation periods.
    /// When several ask at once the largest capacity wins; scale-in waits
    /// while a deployment runs.
    fn auto_scale(&mut self, name: &str, out: &mut Vec<Event>) {
        let service = &self.services[name];
        let scaling = service.scaling.clone().expect("scaled");
        let targets = scaling.target_policies();
        let values: Vec<f64> = targets
            .iter()
            .map(|p| self.metric(service, p.metric))
            .collect();
        let step_values: Vec<f64> = scaling
            .step_scaling
            .iter()
            .map(|p| self.metric(service, p.metric))
            .collect();
        let running = service.counts.count(TaskState::Running);
        let (out_points, in_points) = (
            self.params.scale_out_datapoints,
            self.params.scale_in_datapoints,
        );
        let now = self.now;
        let service = self.services.get_mut(name).expect("exists");
        let current = service.desired;
        let cooled =
            |last: Option<Millis>, cooldown: u64| last.is_none_or(|t| now >= t + seconds(cooldown));
        let deploying = service.deployment.is_some();
        let mut outs: Vec<(u32, String)> = Vec::new();
        let mut ins: Vec<(u32, String)> = Vec::new();
        let mut every_in_ready = true;
        let mut any_in_policy = false;
        for ((policy, value), state) in targets.iter().zip(&values).zip(&mut service.tracking) {
            if *value > policy.target {
                *state = (state.0 + 1, 0);
            } else if *value < policy.target * 0.9 {
                *state = (0, state.1 + 1);
            } else {
                *state = (0, 0);
            }
            let wanted = (f64::from(running.max(1)) * value / policy.target).ceil() as u32;
            let (metric, unit) = (policy.metric.label(), policy.metric.unit());
            if state.0 >= out_points && cooled(service.last_scale_out, policy.scale_out_cooldown) {
                outs.push((
                    wanted.max(current + 1),
                    format!("Target tracking: {metric} {value:.0}{unit} is above the {:.0}{unit} target for {out_points} minutes.", policy.target),
                ));
            }
            if policy.disable_scale_in {
                continue;
            }
            any_in_policy = true;
            let ready = state.1 >= in_points
                && cooled(service.last_scale_in, policy.scale_in_cooldown)
                && cooled(service.last_scale_out, policy.scale_out_cooldown);
            if ready {
                ins.push((
                    wanted,
                    format!("Target tracking: {metric} {value:.0}{unit} is below the {:.0}{unit} target for {in_points} minutes.", policy.target),
                ));
            } else {
                every_in_ready = false;
            }
        }
        if !(every_in_ready && any_in_policy) {
            // One target tracking policy not ready holds every one of them back.
            ins.clear();
        }
        let mut fired = Vec::new();
        for (i, ((policy, value), state)) in scaling
            .step_scaling
            .iter()
            .zip(&step_values)
            .zip(&mut service.stepping)
            .enumerate()
        {
            state.0 = if policy.breaching(*value) {
                state.0 + 1
            } else {
                0
            };
            if state.0 < policy.evaluation_periods.max(1) || !cooled(state.1, policy.cooldown) {
                continue;
            }
            let Some(to) = policy.capacity(*value, current) else {
                continue;
            };
            let reason = format!(
                "Step scaling: {} {value:.0}{} is {} the {:.0}{} alarm threshold: capacity {current} -> {to}.",
                policy.metric.label(),
                policy.metric.unit(),
                match policy.comparison {
                    super::load::Comparison::GreaterThanOrEqualToThreshold => "at or above",
                    super::load::Comparison::LessThanOrEqualToThreshold => "at or below",
                },
                policy.threshold,
                policy.metric.unit(),
            );
            if to > current {
                outs.push((to, reason));
                fired.push(i);
            } else if to < current {
                ins.push((to, reason));
                fired.push(i);
            }
        }
        let clamp = |to: u32| to.clamp(scaling.min_capacity, scaling.max_capacity);
        let change = if let Some((to, reason)) = outs.into_iter().max_by_key(|(to, _)| *to) {
            let to = clamp(to);
            (to > current).then(|| {
                service.last_scale_out = Some(now);
                (to, reason)
            })
        } else if deploying {
            None
        } else if let Some((to, reason)) = ins.into_iter().max_by_key(|(to, _)| *to) {
            let to = clamp(to);
            (to < current).then(|| {
                service.last_scale_in = Some(now);
                (to, reason)
            })
        } else {
            None
        };
        if let Some((to, reason)) = change {
            for i in fired {
                service.stepping[i].1 = Some(now);
            }
            if to > current {
                service.tracking.iter_mut().for_each(|s| s.0 = 0);
            } else {
                service.tracking.iter_mut().for_each(|s| s.1 = 0);
            }
            service.desired = to;
            service.desired_set_by_auto_scaling = true;
            self.emit(
                out,
                What::ServiceDesiredCountChanged {
                    service: name.into(),
                    from: current,
                    to,
                    reason,
                },
            );
            self.reconcile(name, out);
        }
    }

    fn provider_launch(&mut self, provider: &str, out: &mut Vec<Event>) {
        let p = self.providers.get_mut(provider).expect("exists");
        let live: Vec<String> = self
            .azs
            .iter()
            .filter(|az| !self.lost_azs.contains(*az))
            .cloned()
            .collect();
        if live.is_empty() {
            return;
        }
        let az = live[p.next_az % live.len()].clone();
        p.next_az += 1;
        let (cluster, kind, spot) = (
            p.cluster.clone(),
            catalogue::instance_type(p.instance_type).expect("catalogue"),
            p.spot,
        );
        let id = self.launch_instance(
            &cluster,
            kind,
            &az,
            spot,
            Some(provider.to_string()),
            None,
            out,
        );
        let p = self.providers.get_mut(provider).expect("exists");
        p.instances.insert(id.clone());
        p.booting.insert(id);
    }

    /// Managed scaling: CapacityProviderReservation = M / N x 100, tracked to
    /// the target capacity (rules §6.3).
    fn managed_scaling(&mut self, name: &str, out: &mut Vec<Event>) {
        let provider = &self.providers[name];
        let kind = catalogue::instance_type(provider.instance_type).expect("catalogue");
        // A drained instance with no tasks left is out of service: it is
        // neither needed (M) nor counted as capacity (N).
        // An instance that finished draining runs nothing and has no scale-in
        // protection: the group removes it (Dockyard does so at once rather
        // than waiting for a scale-in alarm, which is when AWS would).
        let finished: Vec<String> = provider
            .draining
            .iter()
            .filter(|id| self.instances[*id].tasks.is_empty() && self.instances[*id].registered)
            .cloned()
            .collect();
        for id in finished {
            self.terminate_instance(
                &id,
                "it finished draining and runs no tasks, so its capacity provider scaled it in",
                out,
            );
        }
        let provider = &self.providers[name];
        let drained_empty = provider
            .draining
            .iter()
            .filter(|id| self.instances[*id].tasks.is_empty())
            .count() as u32;
        let n = provider.instances.len() as u32 - drained_empty;
        // M: the registered instances running tasks, plus the waiting tasks
        // packed next-fit onto empty instances (the booting ones first, then
        // new ones).
        // (A waiting task did not fit any registered instance when it was
        // placed, and each instance that gained room since has been offered
        // to the queue, so registered instances are not counted as room.)
        let full_cpu = kind.vcpus * 1024;
        let full_memory = kind
            .memory_mib
            .saturating_sub(self.params.instance_reserved_memory_mib);
        let booting = provider.booting.len() as u32;
        let busy = n.saturating_sub(booting + provider.idle.len() as u32);
        let mut slots = 0u32;
        let mut room = (0u32, 0u32);
        let mut too_big = 0;
        for task in provider.waiting.iter().map(|id| &self.tasks[id]) {
            if task.cpu > full_cpu || task.memory > full_memory {
                too_big += 1;
                continue;
            }
            if room.0 < task.cpu || room.1 < task.memory {
                slots += 1;
                room = (full_cpu, full_memory);
            }
            room.0 -= task.cpu;
            room.1 -= task.memory;
        }
        let m = busy + slots;
        let reservation = if n == 0 {
            if m > 0 {
                200.0
            } else {
                100.0
            }
        } else {
            f64::from(m) / f64::from(n) * 100.0
        };
        let provider = self.providers.get_mut(name).expect("exists");
        provider.reservation = reservation;
        let target = f64::from(provider.target_capacity);
        let warm = provider
            .last_scale_out
            .is_none_or(|t| self.now >= t + seconds(provider.warmup_seconds));
        if reservation > target && warm {
            // With no instances ECS scales out to two (200%); otherwise to
            // what M needs at the target capacity, in bounded steps.
            let wanted = if n == 0 {
                m.max(2)
            } else {
                (f64::from(m) * 100.0 / target).ceil() as u32
            };
            let step = wanted
                .saturating_sub(n)
                .clamp(provider.min_step, provider.max_step);
            // Drained instances still count against the group's maximum.
            let to = (n + step).min(provider.max_size.saturating_sub(drained_empty));
            if to > n {
                provider.last_scale_out = Some(self.now);
                provider.below = 0;
                let reason = format!(
                    "CapacityProviderReservation {reservation:.0}% is above the {target:.0}% target: {m} instance(s) needed, {n} in the group{}.",
                    if too_big > 0 { format!("; {too_big} task(s) are larger than a {} and will wait", kind.name) } else { String::new() }
                );
                self.emit(
                    out,
                    What::CapacityProviderScaling {
                        provider: name.into(),
                        from: n,
                        to,
                        reason,
                    },
                );
                for _ in n..to {
                    self.provider_launch(name, out);
                }
            }
        } else if reservation < target {
            provider.below += 1;
            if provider.below >= self.params.scale_in_datapoints {
                // Scale in only instances running no tasks (managed termination
                // protection keeps the others).
                let wanted = ((f64::from(m) * 100.0 / target).ceil() as u32).max(provider.min_size);
                let empty: Vec<String> = provider
                    .idle
                    .iter()
                    .take(n.saturating_sub(wanted) as usize)
                    .cloned()
                    .collect();
                if !empty.is_empty() {
                    provider.below = 0;
                    let to = n - empty.len() as u32;
                    let reason = format!("CapacityProviderReservation {reservation:.0}% is below the {target:.0}% target: empty instances are removed.");
                    self.emit(
                        out,
                        What::CapacityProviderScaling {
                            provider: name.into(),
                            from: n,
                            to,
                            reason,
                        },
                    );
                    for id in empty {
                        self.terminate_instance(
                            &id,
                            "scaled in by its capacity provider (it ran no tasks)",
                            out,
                        );
                    }
                }
            }
        } else {
            provider.below = 0;
        }
    }
}

/// Task-level cpu and memory, or the containers' sums (memoryReservation
/// where set, rules §3 point 2).
pub fn task_size(definition: &TaskDefinition) -> (u32, u32) {
    let cpu = definition
        .cpu
        .as_deref()
        .and_then(taskdef::parse_task_cpu)
        .unwrap_or_else(|| {
            definition
                .container_definitions
                .iter()
                .filter_map(|c| c.cpu)
                .sum::<i64>()
                .clamp(0, i64::from(u32::MAX)) as u32
        });
    let memory = definition
        .memory
        .as_deref()
        .and_then(taskdef::parse_task_memory)
        .unwrap_or_else(|| {
            definition
                .container_definitions
                .iter()
                .filter_map(|c| c.memory_reservation.or(c.memory))
                .sum::<i64>()
                .clamp(0, i64::from(u32::MAX)) as u32
        });
    (cpu, memory)
}

/// Host ports a task holds on its instance: static ports in bridge mode,
/// every container port in host mode.
fn host_ports(definition: &TaskDefinition) -> Vec<u32> {
    let mode = definition.network_mode.as_deref().unwrap_or("bridge");
    definition
        .container_definitions
        .iter()
        .flat_map(|c| c.port_mappings.iter().flatten())
        .filter_map(|p| match mode {
            "bridge" => p.host_port.filter(|h| *h > 0),
            "host" => p.container_port,
            _ => None,
        })
        .filter_map(|p| u32::try_from(p).ok())
        .collect()
}

/// The number in a task id (`t-12` is 12), for newest-first ordering.
fn task_number(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn parse_revision(text: &str) -> Revision {
    let (family, number) = text.rsplit_once(':').expect("family:revision");
    Revision {
        family: family.into(),
        revision: number.parse().expect("a number"),
    }
}

/// `attribute:NAME == VALUE`, `!=`, or `in [A, B]`.
fn member_of(expression: &str, instance: &Instance) -> bool {
    let value_of = |attribute: &str| match attribute.trim() {
        "attribute:ecs.availability-zone" => Some(instance.az.as_str()),
        "attribute:ecs.instance-type" => Some(instance.instance_type),
        _ => None,
    };
    if let Some((attribute, value)) = expression.split_once("!=") {
        return value_of(attribute).is_some_and(|v| v != value.trim());
    }
    if let Some((attribute, value)) = expression.split_once("==") {
        return value_of(attribute).is_some_and(|v| v == value.trim());
    }
    if let Some((attribute, list)) = expression.split_once(" in ") {
        let list = list.trim().trim_start_matches('[').trim_end_matches(']');
        return value_of(attribute).is_some_and(|v| list.split(',').any(|item| item.trim() == v));
    }
    false
}
