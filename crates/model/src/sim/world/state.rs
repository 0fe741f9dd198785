//! The ECS resources the world holds, as a learner sees them: container
//! instances, tasks, services with their deployments, and capacity
//! providers. Fields the simulation keeps for itself are skipped when
//! serialised and visible only inside `world`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use super::super::load::{LoadCurve, ServiceScaling};
use super::super::pool::SpreadIndex;
use super::super::types::*;
use super::counts::ServiceCounts;
use crate::sim::command::DeploymentConfiguration;
use crate::taskdef::Revision;

/// An EC2 container instance.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    pub id: String,
    pub cluster: String,
    pub instance_type: &'static str,
    pub az: String,
    pub spot: bool,
    /// The agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING (off by default): a
    /// Spot interruption notice sets the instance to DRAINING.
    pub spot_instance_draining: bool,
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
    #[serde(serialize_with = "as_text")]
    pub revision: Revision,
    pub service: Option<String>,
    pub state: TaskState,
    pub placement: Placement,
    pub cpu: u32,
    pub memory: u32,
    pub awsvpc: bool,
    /// Whether its network interface has a public IP (awsvpc on Fargate;
    /// see [`AssignPublicIp`]): in the default VPC, its only way out.
    pub public_ip: bool,
    pub host_ports: Vec<u32>,
    /// On EC2 in bridge or host mode, which host port each container port
    /// got when the task was placed (DescribeTasks' `networkBindings`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub network_bindings: Vec<NetworkBinding>,
    /// Stopped before RUNNING because it could not start (an image, a
    /// secret, its logs): what the service throttle counts.
    #[serde(skip)]
    pub(super) failed_to_start: bool,
    pub healthy: bool,
    pub stopped_reason: Option<String>,
    /// For a task that could not start, the chain of causes behind its
    /// stopped reason, first to last.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<crate::sim::why::Cause>,
    /// Placement's reason, or why it is still waiting.
    pub reason: String,
    /// The memory each container was last seen using, in MiB, by name
    /// (only those that used some: `useMemory`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub memory_used: BTreeMap<String, u32>,
    #[serde(skip)]
    pub(super) epoch: u32,
    #[serde(skip)]
    pub(super) billing_rate: f64,
    #[serde(skip)]
    pub(super) billing_since: Millis,
    #[serde(skip)]
    pub(super) provider_choice: Option<String>,
}

/// ECS's service throttle logic: after tasks keep stopping before they
/// reach RUNNING, the scheduler waits longer and longer between launches.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Throttle {
    /// Tasks in a row that failed to start.
    pub failures: u32,
    /// How many times the scheduler has backed off in this episode.
    pub rounds: u32,
    /// No launch before this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_launch_at: Option<Millis>,
}

/// A step scaling policy's alarm and last activity.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct StepState {
    /// Consecutive minutes in alarm.
    pub breaching: u32,
    /// When the policy last scaled, from which capacity to which: a larger
    /// step during the cooldown is measured from the same start.
    pub last: Option<(Millis, u32, u32)>,
}

/// A container port published on its instance's interface.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkBinding {
    pub container_name: String,
    pub container_port: u32,
    pub host_port: u32,
    pub protocol: String,
}

/// Where a bridge-mode container port left without a `hostPort` (or with
/// 0) is published: the instance's ephemeral port range, which on Linux is
/// the kernel's `/proc/sys/net/ipv4/ip_local_port_range`, 32768 to 60999 on
/// Amazon Linux and most distributions (API_PortMapping; 49153 to 65535 only
/// when that setting is unavailable, 49152 to 65535 on Windows). The agent
/// takes the first free port from it.
pub const DYNAMIC_HOST_PORTS: std::ops::RangeInclusive<u32> = 32768..=60999;

/// An ECS service.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub name: String,
    pub cluster: String,
    #[serde(serialize_with = "as_text")]
    pub revision: Revision,
    pub desired: u32,
    pub capacity: Capacity,
    /// Whether its tasks get a public IP (`assignPublicIp`).
    pub public_ip: bool,
    pub strategies: Vec<Strategy>,
    pub constraints: Vec<Constraint>,
    pub tasks: BTreeSet<String>,
    /// The service throttle: launches slowed after tasks keep failing to
    /// start (`throttle.rs`).
    pub throttle: Throttle,
    /// Why ECS could not launch the service's last task, when it could not
    /// (a role it cannot assume).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_failure: Option<String>,
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
    pub(super) tracking: Vec<(u32, u32)>,
    /// Per step policy: its alarm and its last scaling activity.
    #[serde(skip)]
    pub(super) stepping: Vec<StepState>,
    #[serde(skip)]
    pub(super) last_scale_out: Option<Millis>,
    #[serde(skip)]
    pub(super) last_scale_in: Option<Millis>,
    #[serde(skip)]
    pub(super) steady: bool,
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
    pub(super) spread: SpreadIndex,
    #[serde(skip)]
    pub(super) reconcile_queued: bool,
}

/// A rolling deployment in progress.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(serialize_with = "as_text")]
    pub from: Revision,
    #[serde(serialize_with = "as_text")]
    pub to: Revision,
    /// New tasks that stopped before they became healthy.
    pub failed_tasks: u32,
    pub started_at: Millis,
    pub rollback: bool,
    /// Tasks numbered from here on were started by this deployment: a
    /// forced new deployment of the same revision replaces every older task.
    #[serde(skip)]
    pub(super) first_task: u64,
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
    pub(super) last_scale_out: Option<Millis>,
    #[serde(skip)]
    pub(super) below: u32,
    #[serde(skip)]
    pub(super) next_az: usize,
    /// Launched, not yet registered.
    #[serde(skip)]
    pub(super) booting: BTreeSet<String>,
    /// Registered, not draining, and running no task: what managed
    /// scaling may remove.
    #[serde(skip)]
    pub(super) idle: BTreeSet<String>,
    #[serde(skip)]
    pub(super) draining: BTreeSet<String>,
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

/// A revision as ECS writes it in JSON, `family:revision`.
fn as_text<S: serde::Serializer>(revision: &Revision, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(revision)
}
