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
//! `World` keeps what both orchestrators share: the clock, the agenda (what
//! is due when), the seeded rng, the bill, the Region's zones and the
//! account's IAM roles. It owns two sub-machines, `Ecs` here and
//! [`eks::Eks`], and lends each a context for every command or happening:
//! `Cx` for ECS (what it reads, `Env`, plus the rng, the agenda and the
//! bill it may change), `eks::Ctx` for EKS. Each child module adds the
//! `impl Ecs` methods of one concern and says which in its opening comment;
//! this file only dispatches.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use super::catalogue::{
    self, Parameters, EKS_CONTROL_PLANE_PER_HOUR, FARGATE_MINIMUM_BILLED_MS, FARGATE_PER_GB_HOUR,
    FARGATE_PER_VCPU_HOUR, FARGATE_SPOT_FACTOR,
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

use super::command::{
    AssignPublicIp, CapacityProviderSpec, Command, DeploymentConfiguration, ServiceSpec,
};
pub use billing::{StillBilling, NOT_MODELLED};
pub use counts::ServiceCounts;
pub use definitions::task_size;
pub use state::*;

use placement::Candidates;
use tasks::task_number;

mod auto_scaling;
mod billing;
mod capacity_providers;
mod counts;
mod definitions;
mod deployments;
mod files;
mod gateways;
pub use gateways::{ElasticIp, LoadBalancer, LoadBalancerType, NatGateway};
mod instances;
mod placement;
mod policies;
pub use policies::Organization;
mod pools;
mod scheduler;
mod services;
mod startup;
mod state;
mod task_calls;
mod tasks;
mod throttle;
mod zones;

const MS_PER_HOUR: f64 = 3_600_000.0;

/// What the agenda holds: something due at a simulated moment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Happening {
    Ecs(EcsHappening),
    Eks(eks::EksHappening),
}

/// What the ECS sub-machine has on the agenda.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum EcsHappening {
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
}

/// `family:revision` from a task definition's ARN (or the text itself).
fn without_arn(reference: &str) -> &str {
    reference
        .rsplit_once(":task-definition/")
        .map_or(reference, |(_, rest)| rest)
}

/// The whole simulated account; see the module comment for how to read it.
pub struct World {
    now: Millis,
    rng: Rng,
    account: Account,
    agenda: Agenda,
    bill: Bill,
    ecs: Ecs,
    eks: eks::Eks,
    gateways: gateways::Gateways,
}

/// ECS in the account: task definitions, clusters, container instances,
/// tasks, services and capacity providers, with the indexes the scheduler
/// keeps and the data tasks wrote. It never reads the clock or the zones
/// itself: the world lends them in a [`Cx`].
#[derive(Default)]
struct Ecs {
    definitions: TaskDefinitionRegistry,
    clusters: BTreeSet<String>,
    instances: BTreeMap<String, Instance>,
    tasks: BTreeMap<String, Task>,
    services: BTreeMap<String, Service>,
    providers: BTreeMap<String, CapacityProvider>,
    pools: BTreeMap<PoolKey, PoolIndex>,
    next_instance: u64,
    next_task: u64,
    tick_scheduled: bool,
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

/// What is due when: happenings ordered by time, then by the order they
/// were scheduled in (so that equal times stay deterministic).
#[derive(Default)]
struct Agenda {
    queue: BinaryHeap<Reverse<(Millis, u64, Happening)>>,
    sequence: u64,
}

impl Agenda {
    fn push(&mut self, at: Millis, happening: Happening) {
        self.sequence += 1;
        self.queue.push(Reverse((at, self.sequence, happening)));
    }
}

/// Dollars spent: what was billed up to `since`, and the rate (dollars per
/// simulated millisecond) running since then.
#[derive(Default)]
struct Bill {
    spent: f64,
    rate: f64,
    since: Millis,
}

impl Bill {
    fn at(&self, now: Millis) -> f64 {
        self.spent + self.rate * (now - self.since) as f64
    }

    fn change_rate(&mut self, now: Millis, delta: f64) {
        self.spent += self.rate * (now - self.since) as f64;
        self.since = now;
        self.rate += delta;
    }
}

/// The account as the sub-machines read it: the simulation's parameters,
/// the account and Region, its zones (and which are lost), its IAM roles and
/// customer managed policies, and the policies its calls meet beyond the
/// roles' own (resource policies, KMS keys, SCPs), including those of
/// resources in other accounts the scenario sets up.
struct Account {
    params: Parameters,
    aws: AwsContext,
    azs: Vec<String>,
    lost_azs: BTreeSet<String>,
    roles: BTreeMap<String, Role>,
    /// Customer managed policies by ARN, with their names.
    managed_policies: BTreeMap<String, (String, iam::PolicyDocument)>,
    /// The organization the account is a member of, if any.
    organization: Option<Organization>,
    around: iam::AccountPolicies,
}

/// What ECS reads of the world: the time and (through `Deref`) the account.
struct Env<'w> {
    now: Millis,
    account: &'w Account,
}

impl std::ops::Deref for Env<'_> {
    type Target = Account;
    fn deref(&self) -> &Account {
        self.account
    }
}

impl Env<'_> {
    fn emit(&self, out: &mut Vec<Event>, what: What) {
        out.push(Event { at: self.now, what });
    }
}

/// The context ECS runs in for one command or happening: what it reads
/// (through `Deref` to [`Env`]), and the rng, agenda and bill it changes.
struct Cx<'w> {
    env: Env<'w>,
    rng: &'w mut Rng,
    agenda: &'w mut Agenda,
    bill: &'w mut Bill,
}

impl<'w> std::ops::Deref for Cx<'w> {
    type Target = Env<'w>;
    fn deref(&self) -> &Env<'w> {
        &self.env
    }
}

impl Cx<'_> {
    fn schedule(&mut self, at: Millis, happening: EcsHappening) {
        self.agenda.push(at, Happening::Ecs(happening));
    }

    fn set_cost_rate(&mut self, delta: f64) {
        self.bill.change_rate(self.env.now, delta);
    }

    /// A one-off charge (the rest of a minute billed at once).
    fn charge(&mut self, dollars: f64) {
        self.bill.spent += dollars;
    }
}

impl World {
    // ---- getters: what the UI and lessons read ----------------------------

    /// An empty account in `region` with these Availability Zones.
    pub fn new(seed: u64, params: Parameters, region: &str, azs: Vec<String>) -> World {
        World {
            now: 0,
            rng: Rng::new(seed),
            account: Account {
                params,
                aws: AwsContext::new("111122223333", region),
                azs,
                lost_azs: BTreeSet::new(),
                roles: BTreeMap::new(),
                managed_policies: BTreeMap::new(),
                organization: None,
                around: iam::AccountPolicies::default(),
            },
            agenda: Agenda::default(),
            bill: Bill::default(),
            ecs: Ecs::default(),
            eks: eks::Eks::default(),
            gateways: gateways::Gateways::default(),
        }
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.ecs.instances.values()
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.ecs.tasks.values()
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.ecs.tasks.get(id)
    }

    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.ecs.services.values()
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.ecs.services.get(name)
    }

    pub fn capacity_providers(&self) -> impl Iterator<Item = &CapacityProvider> {
        self.ecs.providers.values()
    }

    /// The ECS clusters, by name.
    pub fn clusters(&self) -> impl Iterator<Item = &String> {
        self.ecs.clusters.iter()
    }

    /// The task definition a service runs now.
    pub fn service_definition(&self, service: &str) -> Option<&TaskDefinition> {
        let service = self.ecs.services.get(service)?;
        self.ecs.definitions.get(&service.revision)
    }

    /// The account's id (its ARNs' fifth field).
    pub fn account_id(&self) -> &str {
        &self.account.aws.account_id
    }

    /// The Region the account is simulated in.
    pub fn region(&self) -> &str {
        &self.account.aws.region
    }

    /// Every registered task definition revision, by family then number.
    pub fn task_definitions(&self) -> impl Iterator<Item = (Revision, &TaskDefinition)> {
        self.ecs.definitions.revisions().filter_map(|revision| {
            let definition = self.ecs.definitions.get(&revision)?;
            Some((revision, definition))
        })
    }

    /// One revision of a task definition.
    pub fn task_definition(&self, revision: &Revision) -> Option<&TaskDefinition> {
        self.ecs.definitions.get(revision)
    }

    /// A task definition as ECS resolves a reference to start tasks from:
    /// `family` (its latest ACTIVE revision), `family:revision` or its ARN;
    /// an INACTIVE (deregistered) revision is refused.
    pub fn resolve_task_definition(&self, reference: &str) -> Result<Revision, Rejection> {
        self.ecs.resolve_definition(without_arn(reference))
    }

    /// A registered task definition, ACTIVE or INACTIVE, as
    /// DescribeTaskDefinition finds it.
    pub fn find_task_definition(&self, reference: &str) -> Result<Revision, Rejection> {
        self.ecs.find_definition(without_arn(reference))
    }

    /// Whether a registered revision is ACTIVE (not deregistered).
    pub fn task_definition_is_active(&self, revision: &Revision) -> bool {
        self.ecs.definitions.is_active(revision)
    }

    /// The IAM roles the scenario and the learner created.
    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.account.roles.values()
    }

    /// The resource policies, secret keys and SCPs the account's calls meet.
    pub fn account_policies(&self) -> &iam::AccountPolicies {
        &self.account.around
    }

    /// The organization the account is a member of, if any.
    pub fn organization(&self) -> Option<&Organization> {
        self.account.organization.as_ref()
    }

    /// The customer managed policies, by ARN, with their names.
    pub fn managed_policies(
        &self,
    ) -> impl Iterator<Item = (&String, &(String, iam::PolicyDocument))> {
        self.account.managed_policies.iter()
    }

    /// Zones lost and not yet restored.
    pub fn lost_azs(&self) -> &BTreeSet<String> {
        &self.account.lost_azs
    }

    pub fn availability_zones(&self) -> &[String] {
        &self.account.azs
    }

    /// Dollars spent so far (illustrative prices, see `catalogue`).
    pub fn cost(&self) -> f64 {
        self.bill.at(self.now)
    }

    /// What the bill grows by per hour as things stand (what
    /// [`World::still_billing`] lists, added up).
    pub fn cost_per_hour(&self) -> f64 {
        self.bill.rate * MS_PER_HOUR
    }

    pub fn service_snapshot(&self, name: &str) -> Option<ServiceSnapshot> {
        self.ecs.service_snapshot(&self.env(), name)
    }

    /// Who last wrote `path` in `location`, by task id.
    pub fn file_writer(&self, location: &str, path: &str) -> Option<&str> {
        self.ecs.file_writer(location, path)
    }

    /// Every place a task can write to, and what is there now.
    pub fn task_files(&self, task_id: &str) -> Vec<TaskFiles> {
        self.ecs.task_files(task_id)
    }

    /// The task definition a task runs.
    pub fn definition_of(&self, task_id: &str) -> Option<&TaskDefinition> {
        self.ecs.definition_of(task_id)
    }

    /// Who makes `call` for the task, and whether their policies allow it.
    pub fn check_task_call(&self, task_id: &str, call: &AppCall) -> Option<iam::CallCheck> {
        self.ecs.check_task_call(&self.env(), task_id, call)
    }

    /// Every call the platform makes for a task (pulling private ECR
    /// images, shipping awslogs logs, injecting Secrets Manager secrets),
    /// then `app_calls` made by its code, each decided.
    pub fn task_calls(&self, task_id: &str, app_calls: &[AppCall]) -> Vec<iam::CallCheck> {
        self.ecs.task_calls(&self.env(), task_id, app_calls)
    }

    /// Recounts every service and index from the state and compares (for
    /// tests: the counts are an optimisation, not the truth).
    pub fn audit(&self) -> Result<(), String> {
        self.ecs.audit()
    }

    // ---- the sub-machines' contexts ---------------------------------------

    /// What ECS reads of the world now.
    fn env(&self) -> Env<'_> {
        Env {
            now: self.now,
            account: &self.account,
        }
    }

    /// Runs ECS in the world's context: what it schedules, bills and draws
    /// goes straight to the world's agenda, bill and rng.
    fn with_ecs<T>(&mut self, f: impl FnOnce(&mut Ecs, &mut Cx<'_>) -> T) -> T {
        let mut cx = Cx {
            env: Env {
                now: self.now,
                account: &self.account,
            },
            rng: &mut self.rng,
            agenda: &mut self.agenda,
            bill: &mut self.bill,
        };
        f(&mut self.ecs, &mut cx)
    }

    // ---- time: the agenda and the bill ----------------------------------

    /// Moves simulated time forward to `until`, returning what happened.
    pub fn advance_to(&mut self, until: Millis) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(Reverse((at, _, _))) = self.agenda.queue.peek() {
            if *at > until {
                break;
            }
            let Reverse((at, _, happening)) = self.agenda.queue.pop().expect("peeked");
            self.now = at.max(self.now);
            self.happen(happening, &mut events);
        }
        self.now = until.max(self.now);
        events
    }

    fn happen(&mut self, happening: Happening, out: &mut Vec<Event>) {
        match happening {
            Happening::Ecs(happening) => self.with_ecs(|ecs, cx| ecs.happen(cx, happening, out)),
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
        // EKS sees the zones that are up: node groups launch, and volumes
        // are made, only there.
        let live: Vec<String> = self
            .account
            .azs
            .iter()
            .filter(|az| !self.account.lost_azs.contains(*az))
            .cloned()
            .collect();
        let mut ctx = eks::Ctx::new(self.now, &self.account.params, &live);
        let result = f(&mut self.eks, &mut ctx);
        let eks::Ctx {
            events,
            scheduled,
            cost_delta,
            charged,
            ..
        } = ctx;
        self.bill.spent += charged;
        for (at, happening) in scheduled {
            self.agenda.push(at, Happening::Eks(happening));
        }
        if cost_delta != 0.0 {
            self.bill.change_rate(self.now, cost_delta);
        }
        out.extend(events);
        result
    }

    // ---- commands in: each handled in the module of its concern ------------

    /// Applies one command at the current time. A refused command changes
    /// nothing and returns why, as AWS would refuse the call.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let mut out = Vec::new();
        // A change to a role (created, its trust or permissions changed) is
        // what the scheduler's next attempt at a launch that ECS could not
        // make would meet: Dockyard makes that attempt at once.
        let iam_change = matches!(
            command,
            Command::CreateRole { .. }
                | Command::PutRolePolicy { .. }
                | Command::AttachRolePolicy { .. }
                | Command::UpdateAssumeRolePolicy { .. }
        );
        let policy_change = policies::change_in_words(&command);
        match command {
            Command::CreateCluster { name } => self.ecs.create_cluster(name)?,
            Command::LaunchInstances {
                cluster,
                instance_type,
                az,
                count,
                spot,
                instance_role,
                spot_instance_draining,
            } => self.with_ecs(|ecs, cx| {
                ecs.launch_instances(
                    cx,
                    instances::LaunchRequest {
                        cluster,
                        instance_type,
                        az,
                        count,
                        spot,
                        instance_role,
                        spot_instance_draining,
                    },
                    &mut out,
                )
            })?,
            Command::CreateCapacityProvider(spec) => {
                self.with_ecs(|ecs, cx| ecs.create_capacity_provider(cx, spec, &mut out))?
            }
            Command::RegisterTaskDefinition { definition } => {
                self.ecs.register_task_definition(definition)?
            }
            Command::DeregisterTaskDefinition { task_definition } => {
                self.ecs.deregister_definition(&task_definition)?
            }
            Command::CreateRole {
                name,
                trusted_service,
                managed_policies,
                policies,
                trust_policy,
            } => self.create_role(
                name,
                trusted_service,
                managed_policies,
                policies,
                trust_policy,
            )?,
            Command::PutRolePolicy {
                role,
                name,
                document,
            } => self.put_role_policy(&role, name, document)?,
            Command::AttachRolePolicy { role, policy } => {
                self.attach_role_policy(&role, &policy)?
            }
            Command::UpdateAssumeRolePolicy { role, document } => {
                self.update_assume_role_policy(&role, document)?
            }
            Command::CreatePolicy { name, document } => self.create_policy(name, document)?,
            Command::PutRolePermissionsBoundary { role, policy } => {
                self.put_role_permissions_boundary(&role, policy.as_deref())?
            }
            Command::PutResourcePolicy { resource, policy } => {
                self.put_resource_policy(resource, policy)?
            }
            Command::EncryptSecret { secret, key } => self.encrypt_secret(secret, key)?,
            Command::JoinOrganization { management_account } => {
                self.join_organization(management_account)?
            }
            Command::CreateServiceControlPolicy {
                name,
                description,
                document,
            } => self.create_service_control_policy(name, description, document)?,
            Command::AttachServiceControlPolicy { name } => {
                self.attach_service_control_policy(&name, true)?
            }
            Command::DetachServiceControlPolicy { name } => {
                self.attach_service_control_policy(&name, false)?
            }
            Command::RunTask {
                cluster,
                task_definition,
                count,
                capacity,
                assign_public_ip,
            } => self.with_ecs(|ecs, cx| {
                ecs.run_task(
                    cx,
                    cluster,
                    task_definition,
                    count,
                    capacity,
                    assign_public_ip,
                    &mut out,
                )
            })?,
            Command::CreateService(spec) => {
                self.with_ecs(|ecs, cx| ecs.create_service(cx, spec, &mut out))?
            }
            Command::UpdateService {
                service,
                desired_count,
            } => {
                self.with_ecs(|ecs, cx| ecs.update_service(cx, service, desired_count, &mut out))?
            }
            Command::Deploy {
                service,
                task_definition,
            } => self.with_ecs(|ecs, cx| ecs.deploy(cx, service, task_definition, &mut out))?,
            Command::SetTaskRoles {
                service,
                task_role_arn,
                execution_role_arn,
            } => self.with_ecs(|ecs, cx| {
                ecs.set_task_roles(cx, service, task_role_arn, execution_role_arn, &mut out)
            })?,
            Command::SetServiceScaling { service, scaling } => {
                self.with_ecs(|ecs, cx| ecs.set_service_scaling(cx, &service, scaling))?
            }
            Command::SetLoad {
                service,
                load,
                metric,
            } => self.ecs.set_load(service, load, metric)?,
            Command::StopTask { task } => {
                self.with_ecs(|ecs, cx| ecs.stop_task_command(cx, task, &mut out))?
            }
            Command::TerminateInstance { instance } => {
                self.with_ecs(|ecs, cx| ecs.terminate_instance_command(cx, instance, &mut out))?
            }
            Command::LoseAz { az } => self.lose_az(az, &mut out)?,
            Command::RestoreAz { az } => self.restore_az(az, &mut out)?,
            Command::ExitContainer {
                task,
                container,
                exit_code,
            } => self
                .with_ecs(|ecs, cx| ecs.exit_container(cx, task, container, exit_code, &mut out))?,
            Command::UseMemory {
                task,
                container,
                mib,
            } => self.with_ecs(|ecs, cx| ecs.use_memory(cx, task, container, mib, &mut out))?,
            Command::WriteFile {
                task,
                volume,
                container,
                path,
                contents,
            } => self.with_ecs(|ecs, cx| {
                ecs.write_file(cx, task, volume, container, path, contents, &mut out)
            })?,
            Command::DrainInstance { instance } => {
                self.with_ecs(|ecs, cx| ecs.drain_instance(cx, instance, &mut out))?
            }
            Command::InterruptSpotInstance { instance } => {
                self.with_ecs(|ecs, cx| ecs.interrupt_spot_instance(cx, instance, &mut out))?
            }
            Command::InterruptSpot { service, count } => {
                self.with_ecs(|ecs, cx| ecs.interrupt_spot(cx, service, count, &mut out))?
            }
            Command::CreateEksCluster {
                name,
                role_arn,
                subnets,
            } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateCluster(name.clone()), ctx)?;
                // The control plane bills from its creation.
                ctx.cost_delta += EKS_CONTROL_PLANE_PER_HOUR / MS_PER_HOUR;
                let details = eks::ClusterDetails {
                    role_arn,
                    subnets,
                    created_at: ctx.now,
                };
                eks.keep_cluster_details(&name, details);
                Ok(())
            })?,
            Command::CreateNodeGroup(mut spec) => {
                // The node role, when not given: one per group, in this account.
                if spec.node_role.is_none() {
                    let role = format!(
                        "arn:aws:iam::{}:role/{}-node-role",
                        self.account_id(),
                        spec.name
                    );
                    spec.node_role = Some(role);
                }
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::CreateNodeGroup(spec), ctx)
                })?
            }
            Command::CreateFargateProfile(mut spec) => {
                // The pod execution role, when not given: the one EKS's guide names.
                if spec.pod_execution_role_arn.is_none() {
                    let role = format!(
                        "arn:aws:iam::{}:role/AmazonEKSFargatePodExecutionRole",
                        self.account_id()
                    );
                    spec.pod_execution_role_arn = Some(role);
                }
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::CreateFargateProfile(spec), ctx)
                })?
            }
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
            Command::UpdateDeployment(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::UpdateDeployment(spec), ctx)
            })?,
            Command::DeleteDeployment { deployment } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::DeleteDeployment(deployment), ctx)
            })?,
            Command::RestartDeployment { deployment } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::RestartDeployment(deployment), ctx)
            })?,
            Command::SetDeploymentHpa { deployment, hpa } => self
                .with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::SetHpa { deployment, hpa }, ctx)
                })?,
            Command::SetDeploymentLoad { deployment, load } => self
                .with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::SetLoad { deployment, load }, ctx)
                })?,
            Command::CreateStorageClass(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateStorageClass(spec), ctx)
            })?,
            Command::CreatePersistentVolume(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateVolume(spec), ctx)
            })?,
            Command::CreatePersistentVolumeClaim(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::CreateClaim(spec), ctx)
            })?,
            Command::PutPodDisruptionBudget(spec) => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::PutPdb(spec), ctx)
            })?,
            Command::DeletePodDisruptionBudget {
                cluster,
                namespace,
                name,
            } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(
                    eks::EksCommand::DeletePdb {
                        cluster,
                        namespace,
                        name,
                    },
                    ctx,
                )
            })?,
            Command::DeleteStorage {
                kind,
                cluster,
                namespace,
                name,
            } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(
                    eks::EksCommand::DeleteStorage {
                        kind,
                        cluster,
                        namespace,
                        name,
                    },
                    ctx,
                )
            })?,
            Command::CreateNamespace { cluster, namespace } => self
                .with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::CreateNamespace { cluster, namespace }, ctx)
                })?,
            Command::TerminateNode { node } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::TerminateNode(node), ctx)
            })?,
            Command::SetNodeTaints { node, taints } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::SetNodeTaints { node, taints }, ctx)
            })?,
            Command::DeletePod { pod } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::DeletePod(pod), ctx)
            })?,
            Command::CreateAccessEntry {
                cluster,
                principal_arn,
                entry_type,
            } => {
                let entry_type = eks::AccessEntryType::parse(&entry_type).ok_or_else(|| {
                    Rejection::new(
                        "access-entry-type",
                        format!("The access entry type {entry_type} is not one of STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX."),
                    )
                })?;
                let spec = eks::AccessEntrySpec {
                    cluster,
                    principal_arn,
                    entry_type,
                };
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::CreateAccessEntry(spec), ctx)
                })?
            }
            Command::AssociateAccessPolicy {
                cluster,
                principal_arn,
                policy_arn,
                scope,
                namespaces,
            } => {
                let spec = eks::AccessPolicySpec {
                    cluster,
                    principal_arn,
                    policy_arn,
                    scope,
                    namespaces,
                };
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::AssociateAccessPolicy(spec), ctx)
                })?
            }
            Command::UpdateNodeGroupConfig {
                cluster,
                nodegroup,
                min_size,
                max_size,
                desired_size,
            } => {
                let scaling = eks::NodeGroupScaling {
                    cluster,
                    group: nodegroup,
                    min_size,
                    max_size,
                    desired_size,
                };
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(eks::EksCommand::UpdateNodeGroupScaling(scaling), ctx)
                })?
            }
            Command::DeleteNodeGroup { cluster, nodegroup } => {
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(
                        eks::EksCommand::DeleteNodeGroup {
                            cluster,
                            group: nodegroup,
                        },
                        ctx,
                    )
                })?
            }
            Command::DeleteFargateProfile { cluster, profile } => {
                self.with_eks(&mut out, |eks, ctx| {
                    eks.apply(
                        eks::EksCommand::DeleteFargateProfile { cluster, profile },
                        ctx,
                    )
                })?
            }
            Command::DeleteEksCluster { name } => self.with_eks(&mut out, |eks, ctx| {
                eks.apply(eks::EksCommand::DeleteCluster(name), ctx)?;
                // The control plane stops billing.
                ctx.cost_delta -= EKS_CONTROL_PLANE_PER_HOUR / MS_PER_HOUR;
                Ok(())
            })?,
            Command::AllocateAddress => {
                self.allocate_address(&mut out);
            }
            Command::ReleaseAddress { allocation_id } => {
                self.release_address(&allocation_id, &mut out)?
            }
            Command::CreateNatGateway {
                subnet,
                allocation_id,
            } => {
                self.create_nat_gateway(&subnet, allocation_id.as_deref(), &mut out)?;
            }
            Command::DeleteNatGateway { nat_gateway } => {
                self.delete_nat_gateway(&nat_gateway, &mut out)?
            }
            Command::CreateLoadBalancer {
                name,
                kind,
                subnets,
            } => {
                self.create_load_balancer(&name, kind, &subnets, &mut out)?;
            }
            Command::DeleteLoadBalancer { load_balancer } => {
                self.delete_load_balancer(&load_balancer, &mut out)
            }
        }
        if let Some(change) = policy_change {
            out.push(Event {
                at: self.now,
                what: What::PolicyChanged { change },
            });
        }
        if iam_change {
            self.with_ecs(|ecs, cx| ecs.retry_failed_launches(cx));
        }
        Ok(out)
    }
}

impl Ecs {
    /// Something on the agenda came due: handed to the module of its
    /// concern.
    fn happen(&mut self, cx: &mut Cx<'_>, happening: EcsHappening, out: &mut Vec<Event>) {
        match happening {
            EcsHappening::InstanceRegisters(id) => self.register_instance(cx, &id, out),
            EcsHappening::TaskStep { task, to, epoch } => {
                if self.tasks.get(&task).is_some_and(|t| t.epoch == epoch) {
                    self.step_task(cx, &task, to, out);
                }
            }
            EcsHappening::TaskHealthy { task } => self.task_healthy(cx, &task, out),
            EcsHappening::Reconcile { service } => {
                if let Some(s) = self.services.get_mut(&service) {
                    s.reconcile_queued = false;
                    self.reconcile(cx, &service, out);
                }
            }
            EcsHappening::SpotInstanceReclaimed { instance } => self.terminate_instance(
                cx,
                &instance,
                "EC2 reclaimed the Spot capacity at the end of its two-minute warning",
                out,
            ),
            EcsHappening::SpotStop { task } => {
                self.stop_task(cx, &task, "Your Spot Task was interrupted.", out)
            }
            EcsHappening::MetricTick => self.metric_tick(cx, out),
        }
    }
}
