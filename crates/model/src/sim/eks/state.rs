//! The EKS resources as a learner sees them: pods and their phases, nodes,
//! node groups and Deployments, with the counts the simulation keeps.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::placement::{NodeRules, Taint};
use serde::Serialize;

use super::super::load::LoadCurve;
use super::super::types::Millis;
use super::spec::{CapacityType, ContainerImage, Hpa, PodVolume};

/// A pod's phase as Dockyard shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PodPhase {
    /// Not yet bound to a node or a Fargate micro-VM.
    Pending,
    /// Bound; the containers are being created.
    ContainerCreating,
    Running,
    /// Deleted, and given its grace period; still holds its requests.
    Terminating,
}

impl PodPhase {
    pub const ALL: [PodPhase; 4] = [
        PodPhase::Pending,
        PodPhase::ContainerCreating,
        PodPhase::Running,
        PodPhase::Terminating,
    ];
    pub(super) fn slot(self) -> usize {
        self as usize
    }
}

/// Why a pod is Pending: only lack of capacity makes the Cluster
/// Autoscaler act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PendingKind {
    Capacity,
    NoFargateProfile,
    NoFargateSize,
    /// Matched by a Fargate profile, but asking for what Fargate lacks.
    FargateUnsupported,
    /// Its PersistentVolumeClaim is missing or unbound, or its volume's
    /// zone has no node with room.
    Volume,
    /// A DaemonSet pod whose own node has no room for it.
    NodeBound,
}

/// Where a pod runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PodPlacement {
    Unscheduled,
    Node { node: String },
    Fargate { cpu_units: u32, memory_mib: u32 },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    pub name: String,
    /// Its place in the order pods were created (its name's number, or
    /// a bare Pod's).
    pub number: u64,
    pub deployment: String,
    pub cluster: String,
    pub namespace: String,
    pub cpu: u32,
    pub memory: u32,
    pub phase: PodPhase,
    pub placement: PodPlacement,
    pub pending: Option<(PendingKind, String)>,
    /// The Fargate profile that matched when the pod was created. EKS's
    /// admission webhook decides this once, at creation: a profile created
    /// later does not move a pod that already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fargate_profile: Option<String>,
    pub created_at: Millis,
    /// Set when the pod is bound to a node or a Fargate micro-VM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<Millis>,
    /// Why its volume cannot be attached to its node (a ReadWriteOnce EBS
    /// volume in use on another node): it stays ContainerCreating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach_error: Option<String>,
    /// A DaemonSet pod's node (the controller's node affinity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(skip)]
    pub(super) billing_rate: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub name: String,
    pub cluster: String,
    pub group: String,
    pub instance_type: &'static str,
    pub az: String,
    pub ready: bool,
    pub can_join: bool,
    pub allocatable_cpu: u32,
    pub allocatable_memory: u32,
    pub requested_cpu: u32,
    pub requested_memory: u32,
    pub pods: BTreeSet<String>,
    /// Its group's taints, and those `kubectl taint` adds.
    pub taints: Vec<Taint>,
    pub unneeded_since: Option<Millis>,
    pub launched_at: Millis,
    #[serde(skip)]
    pub(super) billing_rate: f64,
}

impl Node {
    pub(super) fn share(&self) -> f64 {
        let cpu = f64::from(self.requested_cpu) / f64::from(self.allocatable_cpu.max(1));
        let memory = f64::from(self.requested_memory) / f64::from(self.allocatable_memory.max(1));
        cpu.max(memory)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeGroup {
    pub name: String,
    pub cluster: String,
    pub instance_type: &'static str,
    pub min_size: u32,
    pub max_size: u32,
    pub capacity_type: CapacityType,
    pub managed: bool,
    pub node_role_mapped: bool,
    /// The node IAM role's ARN (given, or derived by the world).
    pub node_role: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// When the group was created.
    pub created_at: Millis,
    pub nodes: BTreeSet<String>,
    pub(super) next_az: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub name: String,
    pub cluster: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub replicas: u32,
    pub cpu: u32,
    pub memory: u32,
    pub hpa: Option<Hpa>,
    pub load: Option<LoadCurve>,
    pub volume: Option<PodVolume>,
    pub containers: Vec<ContainerImage>,
    /// The PersistentVolumeClaim its pods mount (`storage.rs`).
    pub claim: Option<String>,
    pub node_rules: NodeRules,
    /// A DaemonSet: a pod on each admitted node, `replicas` their count.
    pub daemon: bool,
    /// A bare Pod: its one pod has its name; gone, the Pod is gone.
    pub bare: bool,
    pub created_at: Millis,
    /// The deployment's pods by phase (an index, so counting never scans).
    pub pods: [BTreeSet<String>; 4],
    #[serde(skip)]
    pub(super) recommendations: VecDeque<(Millis, u32)>,
}

impl Deployment {
    pub fn count(&self, phase: PodPhase) -> u32 {
        self.pods[phase.slot()].len() as u32
    }
}

/// A deployment at the end of a simulated minute.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSnapshot {
    pub deployment: String,
    pub replicas: u32,
    pub running: u32,
    pub pending: u32,
    pub demand: f64,
    pub cpu_utilization: f64,
}

impl Node {
    /// What the node's EC2 instance costs per hour.
    pub fn billing_per_hour(&self) -> f64 {
        self.billing_rate * super::MS_PER_HOUR
    }
}

impl Pod {
    /// What a Fargate pod's micro-VM costs per hour (0 on a node: the node
    /// bills).
    pub fn billing_per_hour(&self) -> f64 {
        self.billing_rate * super::MS_PER_HOUR
    }
}
