//! The simulated account: the orchestrator of a discrete-event simulation
//! of ECS on EC2 and Fargate, with EKS beside it as a sub-machine
//! (`super::eks`).
//!
//! Read `World` as quinn-proto's `Connection` is read, by four kinds of
//! methods:
//! - getters (`&self`): what the UI, lessons and tests read;
//! - commands in: [`World::apply`] takes one [`Command`] and answers with
//!   the events it caused, or a [`Rejection`] that changed nothing;
//! - time advanced: [`World::advance_to`] pops the agenda up to a moment;
//! - events out: both return [`Event`]s, in order; nothing reads a clock.
//!
//! This file keeps the clock, the agenda, the seeded rng, the bill and the
//! zones, and dispatches each command to the module of its concern; each
//! child module adds the `impl World` methods of one concern and says
//! which in its opening comment.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use super::catalogue::{
    self, Parameters, FARGATE_PER_GB_HOUR, FARGATE_PER_VCPU_HOUR, FARGATE_SPOT_FACTOR,
};
use super::eks;
use super::limits::{need_task_count, MAX_GROUP_SIZE, MAX_INSTANCES_PER_CALL};
use super::load::{Comparison, LoadCurve, Metric};
use super::pool::{PoolIndex, PoolKey, SpreadIndex};
use super::rng::Rng;
use super::types::*;
use crate::iam::{self, AppCall, AssignedRoles, AwsContext, Role};
use crate::principals::{Platform, RoleSetup};
use crate::registry::DockerHubPullCounter;
use crate::storage::files::{FileStore, Location, TaskPlacement};
use crate::taskdef::{self, Revision, TaskDefinition, TaskDefinitionRegistry};

use super::command::{CapacityProviderSpec, Command, ServiceSpec};
pub use counts::ServiceCounts;
pub use definitions::task_size;
pub use state::*;

use placement::Candidates;
use tasks::task_number;

mod auto_scaling;
mod capacity_providers;
mod counts;
mod definitions;
mod deployments;
mod files;
mod instances;
mod placement;
mod pools;
mod scheduler;
mod services;
mod startup;
mod state;
mod task_calls;
mod tasks;
mod zones;

const MS_PER_HOUR: f64 = 3_600_000.0;

/// What the agenda holds: something due at a simulated moment.
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

/// The whole simulated account; see the module comment for how to read it.
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
    // ---- getters: what the UI and lessons read ----------------------------

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
        self.definitions.get(&service.revision)
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

    // ---- time: the agenda and the bill ----------------------------------

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

    // ---- commands in: each handled in the module of its concern ------------

    /// Applies one command at the current time. A refused command changes
    /// nothing and returns why, as AWS would refuse the call.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let mut out = Vec::new();
        match command {
            Command::CreateCluster { name } => self.create_cluster(name)?,
            Command::LaunchInstances {
                cluster,
                instance_type,
                az,
                count,
                spot,
                instance_role,
            } => self.launch_instances(
                cluster,
                instance_type,
                az,
                count,
                spot,
                instance_role,
                &mut out,
            )?,
            Command::CreateCapacityProvider(spec) => {
                self.create_capacity_provider(spec, &mut out)?
            }
            Command::RegisterTaskDefinition { definition } => {
                self.register_task_definition(definition)?
            }
            Command::CreateRole {
                name,
                trusted_service,
                managed_policies,
                policies,
            } => self.create_role(name, trusted_service, managed_policies, policies)?,
            Command::RunTask {
                cluster,
                task_definition,
                count,
                capacity,
            } => self.run_task(cluster, task_definition, count, capacity, &mut out)?,
            Command::CreateService(spec) => self.create_service(spec, &mut out)?,
            Command::UpdateService {
                service,
                desired_count,
            } => self.update_service(service, desired_count, &mut out)?,
            Command::Deploy {
                service,
                task_definition,
            } => self.deploy(service, task_definition, &mut out)?,
            Command::SetTaskRoles {
                service,
                task_role_arn,
                execution_role_arn,
            } => self.set_task_roles(service, task_role_arn, execution_role_arn, &mut out)?,
            Command::SetLoad {
                service,
                load,
                metric,
            } => self.set_load(service, load, metric)?,
            Command::StopTask { task } => self.stop_task_command(task, &mut out)?,
            Command::TerminateInstance { instance } => {
                self.terminate_instance_command(instance, &mut out)?
            }
            Command::LoseAz { az } => self.lose_az(az, &mut out)?,
            Command::RestoreAz { az } => self.restore_az(az, &mut out)?,
            Command::ExitContainer {
                task,
                container,
                exit_code,
            } => self.exit_container(task, container, exit_code, &mut out)?,
            Command::UseMemory {
                task,
                container,
                mib,
            } => self.use_memory(task, container, mib, &mut out)?,
            Command::WriteFile {
                task,
                volume,
                container,
                path,
                contents,
            } => self.write_file(task, volume, container, path, contents, &mut out)?,
            Command::DrainInstance { instance } => self.drain_instance(instance, &mut out)?,
            Command::InterruptSpotInstance { instance } => {
                self.interrupt_spot_instance(instance, &mut out)?
            }
            Command::InterruptSpot { service, count } => {
                self.interrupt_spot(service, count, &mut out)?
            }
            Command::CreateEksCluster { name } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateCluster(name), ctx)
            })?,
            Command::CreateNodeGroup(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateNodeGroup(spec), ctx)
            })?,
            Command::CreateFargateProfile(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateFargateProfile(spec), ctx)
            })?,
            Command::CreateDeployment(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateDeployment(spec), ctx)
            })?,
            Command::ScaleDeployment {
                deployment,
                replicas,
            } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(
                    eks::EksCommand::ScaleDeployment {
                        deployment,
                        replicas,
                    },
                    ctx,
                )
            })?,
            Command::TerminateNode { node } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::TerminateNode(node), ctx)
            })?,
        }
        Ok(out)
    }
}
