//! EKS in the simulation (rules §7): clusters, managed and self-managed
//! node groups, Fargate profiles, Deployments and their pods, the
//! kube-scheduler, the Horizontal Pod Autoscaler and the Cluster Autoscaler.
//!
//! The state lives here; the [`World`](super::World) owns one [`Eks`] and
//! hands it a [`Ctx`] (the time, the parameters, the zones) for each command
//! or happening. Whatever this module schedules, bills or reports goes back
//! through the `Ctx`, so the world's queue and bill stay the single truth.
//!
//! Not modelled: Spot interruptions of nodes, taints and tolerations,
//! affinities, PodDisruptionBudgets, DaemonSets, memory-based HPA metrics,
//! the HPA's readiness delays, and Karpenter.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::catalogue::{self, Parameters, FARGATE_PER_GB_HOUR, FARGATE_PER_VCPU_HOUR};
use super::load::LoadCurve;
use super::types::{seconds, Event, Millis, Rejection, What};
use crate::fargate;

const MS_PER_HOUR: f64 = 3_600_000.0;

/// CPU a node keeps for the kubelet, the container runtime and the OS
/// (`kube-reserved` + `system-reserved`). Illustrative: the EKS AMI works it
/// out from the core count, and keeps well under 0.1 vCPU on small types.
pub const NODE_RESERVED_MILLICORES: u32 = 100;
/// Memory a node keeps: `kube-reserved` (about 255 MiB + 11 MiB per
/// possible pod on the EKS AMI) plus the 100 MiB eviction threshold.
/// Illustrative.
pub const NODE_RESERVED_MEMORY_MIB: u32 = 700;
/// The HPA's sync period (`--horizontal-pod-autoscaler-sync-period`).
pub const HPA_SYNC_SECONDS: u64 = 15;
/// The HPA's tolerance: no change while the ratio is within 0.9–1.1.
pub const HPA_TOLERANCE: f64 = 0.1;
/// The default scale-down stabilisation window.
pub const HPA_DOWN_WINDOW_SECONDS: u64 = 300;
/// The Cluster Autoscaler's `--scan-interval`.
pub const CA_SCAN_SECONDS: u64 = 10;
/// `--scale-down-utilization-threshold`.
pub const CA_SCALE_DOWN_THRESHOLD: f64 = 0.5;
/// `--scale-down-unneeded-time`.
pub const CA_UNNEEDED_SECONDS: u64 = 600;
/// `--max-node-provision-time`: a node not Ready this long after launch no
/// longer counts as on its way, so the autoscaler stops waiting for it.
pub const CA_MAX_NODE_PROVISION_SECONDS: u64 = 900;
/// Empty nodes removed at once (`--max-empty-bulk-delete`).
pub const CA_EMPTY_BULK: usize = 10;

fn yes() -> bool {
    true
}

/// The capacity type of a node group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CapacityType {
    OnDemand,
    Spot,
}

/// `createNodeGroup`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeGroupSpec {
    pub cluster: String,
    pub name: String,
    pub instance_type: String,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_size: u32,
    #[serde(default = "on_demand")]
    pub capacity_type: CapacityType,
    /// A managed node group (EKS runs the Auto Scaling group and maps the
    /// node role for you) or self-managed nodes.
    #[serde(default = "yes")]
    pub managed: bool,
    /// Whether the node role is authorized to join: an access entry, or a
    /// mapping in the `aws-auth` ConfigMap. When not given, as EKS does it:
    /// EKS creates the entry for a managed node group; for self-managed
    /// nodes nobody does until you do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_role_mapped: Option<bool>,
}

fn on_demand() -> CapacityType {
    CapacityType::OnDemand
}

/// `createFargateProfile` (one selector).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateProfileSpec {
    pub cluster: String,
    pub name: String,
    pub namespace: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A HorizontalPodAutoscaler on CPU utilisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hpa {
    /// Percent of the pods' CPU requests.
    pub target_cpu_utilization: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
}

/// `createDeployment`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentSpec {
    pub cluster: String,
    pub name: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub replicas: u32,
    pub cpu_request_millicores: u32,
    #[serde(rename = "memoryRequestMiB")]
    pub memory_request_mib: u32,
    #[serde(default)]
    pub hpa: Option<Hpa>,
    /// Demand in millicores of work.
    #[serde(default)]
    pub load: Option<LoadCurve>,
    #[serde(default)]
    pub volume: Option<PodVolume>,
}

/// A pod's persistent volume, through a PersistentVolumeClaim (rules §5.2):
/// `{"storage": "efs", "provisioning": "static"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodVolume {
    pub storage: PodStorage,
    pub provisioning: Provisioning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PodStorage {
    /// The EBS CSI driver: block storage in one AZ, ReadWriteOnce.
    Ebs,
    /// The EFS CSI driver: a shared, multi-AZ file system, ReadWriteMany.
    Efs,
}

/// Whether a StorageClass creates the volume (dynamic) or an administrator
/// created the PersistentVolume beforehand (static).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Provisioning {
    Dynamic,
    Static,
}

impl PodVolume {
    /// Why a Fargate pod cannot mount this volume, if it cannot: Fargate
    /// has no EBS, and EFS only with a PersistentVolume made beforehand.
    pub fn refused_on_fargate(&self) -> Option<&'static str> {
        match (self.storage, self.provisioning) {
            (PodStorage::Ebs, _) => Some("its PersistentVolumeClaim is for EBS, and a Fargate pod cannot attach an EBS volume. Run it on EC2 nodes, or use EFS with a static PersistentVolume"),
            (PodStorage::Efs, Provisioning::Dynamic) => Some("its EFS PersistentVolumeClaim asks for dynamic provisioning, which Fargate pods do not support. Create the PersistentVolume yourself (static provisioning)"),
            (PodStorage::Efs, Provisioning::Static) => None,
        }
    }
}

fn default_namespace() -> String {
    "default".into()
}

/// The EKS commands, as the world hands them over.
#[derive(Clone, Debug, PartialEq)]
pub enum EksCommand {
    CreateCluster(String),
    CreateNodeGroup(NodeGroupSpec),
    CreateFargateProfile(FargateProfileSpec),
    CreateDeployment(DeploymentSpec),
    ScaleDeployment { deployment: String, replicas: u32 },
    TerminateNode(String),
}

/// Something EKS arranged to happen later.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EksHappening {
    NodeBooted(String),
    PodRunning(String),
    PodGone(String),
    HpaSync,
    CaScan,
}

/// What EKS is handed for one command or happening, and what it hands back.
pub struct Ctx<'a> {
    pub now: Millis,
    pub params: &'a Parameters,
    pub azs: &'a [String],
    pub events: Vec<Event>,
    pub scheduled: Vec<(Millis, EksHappening)>,
    pub cost_delta: f64,
}

impl<'a> Ctx<'a> {
    pub fn new(now: Millis, params: &'a Parameters, azs: &'a [String]) -> Ctx<'a> {
        Ctx {
            now,
            params,
            azs,
            events: Vec::new(),
            scheduled: Vec::new(),
            cost_delta: 0.0,
        }
    }
    fn emit(&mut self, what: What) {
        self.events.push(Event { at: self.now, what });
    }
    fn after(&mut self, delay: Millis, happening: EksHappening) {
        self.scheduled.push((self.now + delay, happening));
    }
}

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
    fn slot(self) -> usize {
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
    #[serde(skip)]
    billing_rate: f64,
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
    pub unneeded_since: Option<Millis>,
    pub launched_at: Millis,
    #[serde(skip)]
    billing_rate: f64,
}

impl Node {
    fn fits(&self, cpu: u32, memory: u32) -> bool {
        self.requested_cpu + cpu <= self.allocatable_cpu
            && self.requested_memory + memory <= self.allocatable_memory
    }
    fn share(&self) -> f64 {
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
    pub nodes: BTreeSet<String>,
    next_az: usize,
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
    /// The deployment's pods by phase (an index, so counting never scans).
    pub pods: [BTreeSet<String>; 4],
    #[serde(skip)]
    recommendations: VecDeque<(Millis, u32)>,
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

/// Everything EKS in the account.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Eks {
    pub clusters: BTreeSet<String>,
    pub groups: BTreeMap<String, NodeGroup>,
    pub nodes: BTreeMap<String, Node>,
    /// Keyed by (cluster, profile name): the first match by name wins.
    pub profiles: BTreeMap<(String, String), FargateProfileSpec>,
    pub deployments: BTreeMap<String, Deployment>,
    pub pods: BTreeMap<String, Pod>,
    /// Pods waiting for the scheduler, oldest first.
    pub pending: BTreeSet<String>,
    next_node: u64,
    next_pod: u64,
    hpa_ticking: bool,
    ca_ticking: bool,
}

fn labels_text(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "{}".into();
    }
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

fn size_text(cpu_units: u32, memory_mib: u32) -> String {
    let vcpu = f64::from(cpu_units) / 1024.0;
    let gb = f64::from(memory_mib) / 1024.0;
    format!("{vcpu} vCPU / {gb} GB")
}

impl Eks {
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    pub fn pod_count(&self, phase: PodPhase) -> u32 {
        self.deployments.values().map(|d| d.count(phase)).sum()
    }

    pub fn snapshot(&self, name: &str, now: Millis) -> Option<DeploymentSnapshot> {
        let d = self.deployments.get(name)?;
        let demand = d.load.as_ref().map_or(0.0, |l| l.at(now));
        Some(DeploymentSnapshot {
            deployment: name.into(),
            replicas: d.replicas,
            running: d.count(PodPhase::Running),
            pending: d.count(PodPhase::Pending) + d.count(PodPhase::ContainerCreating),
            demand,
            cpu_utilization: utilization(d, now),
        })
    }

    // ---- commands ------------------------------------------------------

    pub fn apply(&mut self, command: EksCommand, ctx: &mut Ctx) -> Result<(), Rejection> {
        match command {
            EksCommand::CreateCluster(name) => {
                if !self.clusters.insert(name.clone()) {
                    return Err(Rejection::new(
                        "eks-cluster-exists",
                        format!("an EKS cluster called {name} already exists"),
                    ));
                }
            }
            EksCommand::CreateNodeGroup(spec) => {
                self.need_cluster(&spec.cluster)?;
                let kind = catalogue::require_instance_type(&spec.instance_type)?;
                if spec.max_size < 1
                    || spec.max_size > super::limits::MAX_GROUP_SIZE
                    || spec.min_size > spec.desired_size
                    || spec.desired_size > spec.max_size
                {
                    return Err(Rejection::new(
                        "scaling-config",
                        "scalingConfig needs minSize ≤ desiredSize ≤ maxSize and maxSize ≥ 1",
                    ));
                }
                if spec.managed && spec.node_role_mapped == Some(false) {
                    return Err(Rejection::new(
                        "node-role-mapped",
                        "nodeRoleMapped: false is for self-managed nodes (managed: false); for a managed node group EKS creates the node role's access entry (or its aws-auth mapping) itself",
                    ));
                }
                if self.groups.contains_key(&spec.name) {
                    return Err(Rejection::new(
                        "nodegroup-exists",
                        format!("a node group called {} already exists", spec.name),
                    ));
                }
                self.groups.insert(
                    spec.name.clone(),
                    NodeGroup {
                        name: spec.name.clone(),
                        cluster: spec.cluster.clone(),
                        instance_type: kind.name,
                        min_size: spec.min_size,
                        max_size: spec.max_size,
                        capacity_type: spec.capacity_type,
                        managed: spec.managed,
                        node_role_mapped: spec.node_role_mapped.unwrap_or(spec.managed),
                        nodes: BTreeSet::new(),
                        next_az: 0,
                    },
                );
                for _ in 0..spec.desired_size {
                    self.launch_node(&spec.name, ctx);
                }
                if !self.ca_ticking {
                    self.ca_ticking = true;
                    let period = seconds(CA_SCAN_SECONDS);
                    ctx.scheduled
                        .push(((ctx.now / period + 1) * period, EksHappening::CaScan));
                }
            }
            EksCommand::CreateFargateProfile(spec) => {
                self.need_cluster(&spec.cluster)?;
                let key = (spec.cluster.clone(), spec.name.clone());
                if self.profiles.contains_key(&key) {
                    return Err(Rejection::new(
                        "fargate-profile-exists",
                        format!(
                            "a Fargate profile called {} already exists (profiles are immutable)",
                            spec.name
                        ),
                    ));
                }
                self.profiles.insert(key, spec);
                self.retry_pending(ctx);
            }
            EksCommand::CreateDeployment(spec) => {
                self.need_cluster(&spec.cluster)?;
                need_replicas(spec.replicas)?;
                if let Some(hpa) = &spec.hpa {
                    need_replicas(hpa.max_replicas)?;
                }
                if self.deployments.contains_key(&spec.name) {
                    return Err(Rejection::new(
                        "deployment-exists",
                        format!("a deployment called {} already exists", spec.name),
                    ));
                }
                if spec.cpu_request_millicores == 0 && spec.hpa.is_some() {
                    return Err(Rejection::new(
                        "hpa",
                        "CPU utilisation is undefined without a CPU request: the HPA would do nothing",
                    ));
                }
                if let Some(hpa) = &spec.hpa {
                    if hpa.min_replicas < 1
                        || hpa.min_replicas > hpa.max_replicas
                        || hpa.target_cpu_utilization <= 0.0
                    {
                        return Err(Rejection::new(
                            "hpa",
                            "the HPA needs 1 ≤ minReplicas ≤ maxReplicas and a positive target",
                        ));
                    }
                    if !self.hpa_ticking {
                        self.hpa_ticking = true;
                        let period = seconds(HPA_SYNC_SECONDS);
                        ctx.scheduled
                            .push(((ctx.now / period + 1) * period, EksHappening::HpaSync));
                    }
                }
                let name = spec.name.clone();
                self.deployments.insert(
                    name.clone(),
                    Deployment {
                        name: spec.name,
                        cluster: spec.cluster,
                        namespace: spec.namespace,
                        labels: spec.labels,
                        replicas: spec.replicas,
                        cpu: spec.cpu_request_millicores,
                        memory: spec.memory_request_mib,
                        hpa: spec.hpa,
                        load: spec.load,
                        volume: spec.volume,
                        pods: Default::default(),
                        recommendations: VecDeque::new(),
                    },
                );
                self.reconcile(&name, ctx);
            }
            EksCommand::ScaleDeployment {
                deployment,
                replicas,
            } => {
                need_replicas(replicas)?;
                let d = self.deployments.get_mut(&deployment).ok_or_else(|| {
                    Rejection::new(
                        "no-deployment",
                        format!("there is no deployment called {deployment}"),
                    )
                })?;
                let from = d.replicas;
                d.replicas = replicas;
                ctx.emit(What::DeploymentScaled {
                    deployment: deployment.clone(),
                    from,
                    to: replicas,
                    reason: "kubectl scale.".into(),
                });
                self.reconcile(&deployment, ctx);
            }
            EksCommand::TerminateNode(node) => {
                let group = match self.nodes.get(&node) {
                    Some(n) => n.group.clone(),
                    None => {
                        return Err(Rejection::new(
                            "no-node",
                            format!("there is no node called {node}"),
                        ))
                    }
                };
                self.remove_node(&node, "the instance was terminated; its pods are deleted and the node group launches a replacement", ctx);
                // The node group's Auto Scaling group keeps its desired size.
                self.launch_node(&group, ctx);
                self.retry_pending(ctx);
            }
        }
        Ok(())
    }

    fn need_cluster(&self, name: &str) -> Result<(), Rejection> {
        if self.clusters.contains(name) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-eks-cluster",
                format!("there is no EKS cluster called {name}"),
            ))
        }
    }

    // ---- happenings ----------------------------------------------------

    pub fn happen(&mut self, happening: EksHappening, ctx: &mut Ctx) {
        match happening {
            EksHappening::NodeBooted(name) => self.node_booted(&name, ctx),
            EksHappening::PodRunning(name) => {
                if self
                    .pods
                    .get(&name)
                    .is_some_and(|p| p.phase == PodPhase::ContainerCreating)
                {
                    self.set_phase(&name, PodPhase::Running);
                    ctx.emit(What::PodRunning { pod: name });
                }
            }
            EksHappening::PodGone(name) => {
                if self.pods.contains_key(&name) {
                    self.delete_pod(&name, ctx);
                    self.retry_pending(ctx);
                }
            }
            EksHappening::HpaSync => {
                let names: Vec<String> = self
                    .deployments
                    .values()
                    .filter(|d| d.hpa.is_some())
                    .map(|d| d.name.clone())
                    .collect();
                for name in names {
                    self.hpa_sync(&name, ctx);
                }
                ctx.after(seconds(HPA_SYNC_SECONDS), EksHappening::HpaSync);
            }
            EksHappening::CaScan => {
                self.ca_scale_up(ctx);
                self.ca_scale_down(ctx);
                ctx.after(seconds(CA_SCAN_SECONDS), EksHappening::CaScan);
            }
        }
    }

    // ---- nodes ---------------------------------------------------------

    fn launch_node(&mut self, group_name: &str, ctx: &mut Ctx) {
        self.next_node += 1;
        let name = format!(
            "ip-10-0-{}-{}.ec2.internal",
            self.next_node / 250,
            self.next_node % 250 + 4
        );
        let group = self.groups.get_mut(group_name).expect("exists");
        let az = ctx.azs[group.next_az % ctx.azs.len()].clone();
        group.next_az += 1;
        group.nodes.insert(name.clone());
        let kind = catalogue::instance_type(group.instance_type).expect("checked");
        let spot = group.capacity_type == CapacityType::Spot;
        let price = if spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        let rate = price / MS_PER_HOUR;
        ctx.cost_delta += rate;
        let node = Node {
            name: name.clone(),
            cluster: group.cluster.clone(),
            group: group_name.into(),
            instance_type: kind.name,
            az: az.clone(),
            ready: false,
            can_join: group.managed || group.node_role_mapped,
            allocatable_cpu: (kind.vcpus * 1000).saturating_sub(NODE_RESERVED_MILLICORES),
            allocatable_memory: kind.memory_mib.saturating_sub(NODE_RESERVED_MEMORY_MIB),
            requested_cpu: 0,
            requested_memory: 0,
            pods: BTreeSet::new(),
            unneeded_since: None,
            launched_at: ctx.now,
            billing_rate: rate,
        };
        ctx.emit(What::NodeLaunched {
            node: name.clone(),
            group: group_name.into(),
            instance_type: kind.name.into(),
            az,
            spot,
        });
        self.nodes.insert(name.clone(), node);
        ctx.after(
            seconds(ctx.params.instance_boot_seconds),
            EksHappening::NodeBooted(name),
        );
    }

    fn node_booted(&mut self, name: &str, ctx: &mut Ctx) {
        let Some(node) = self.nodes.get_mut(name) else {
            return;
        };
        if !node.can_join {
            ctx.emit(What::NodeCannotJoin {
                node: name.into(),
                reason: format!(
                    "the node role of self-managed group {} is not mapped in the aws-auth ConfigMap (system:bootstrappers, system:nodes) and has no access entry, so the kubelet is refused as Unauthorized; the instance runs (and bills) but never becomes Ready.",
                    node.group
                ),
            });
            return;
        }
        node.ready = true;
        ctx.emit(What::NodeReady {
            node: name.into(),
            allocatable_millicores: node.allocatable_cpu,
            allocatable_memory_mib: node.allocatable_memory,
        });
        self.retry_pending(ctx);
    }

    /// Terminates a node: its pods are deleted at once and their
    /// deployments create replacements.
    fn remove_node(&mut self, name: &str, reason: &str, ctx: &mut Ctx) {
        let node = self.nodes.remove(name).expect("exists");
        ctx.cost_delta -= node.billing_rate;
        if let Some(group) = self.groups.get_mut(&node.group) {
            group.nodes.remove(name);
        }
        ctx.emit(What::NodeTerminated {
            node: name.into(),
            reason: reason.into(),
        });
        let mut owners = BTreeSet::new();
        for pod in &node.pods {
            if let Some(p) = self.pods.get_mut(pod) {
                // The node is gone: nothing to release on it.
                p.placement = PodPlacement::Unscheduled;
                owners.insert(p.deployment.clone());
                self.delete_pod(pod, ctx);
            }
        }
        for owner in owners {
            self.reconcile(&owner, ctx);
        }
    }

    // ---- pods ----------------------------------------------------------

    fn set_phase(&mut self, name: &str, to: PodPhase) {
        let pod = self.pods.get_mut(name).expect("exists");
        let from = pod.phase;
        pod.phase = to;
        let d = self.deployments.get_mut(&pod.deployment).expect("exists");
        d.pods[from.slot()].remove(name);
        d.pods[to.slot()].insert(name.into());
        if from == PodPhase::Pending {
            self.pending.remove(name);
        }
        if to == PodPhase::Pending {
            self.pending.insert(name.into());
        }
    }

    /// Brings a deployment's live pods to its replica count.
    fn reconcile(&mut self, name: &str, ctx: &mut Ctx) {
        let d = &self.deployments[name];
        let live = d.count(PodPhase::Pending)
            + d.count(PodPhase::ContainerCreating)
            + d.count(PodPhase::Running);
        if live < d.replicas {
            for _ in live..d.replicas {
                self.create_pod(name, ctx);
            }
        } else if live > d.replicas {
            for _ in d.replicas..live {
                // Unscheduled pods go first, then the youngest.
                let d = &self.deployments[name];
                let victim = [
                    PodPhase::Pending,
                    PodPhase::ContainerCreating,
                    PodPhase::Running,
                ]
                .iter()
                .find_map(|p| d.pods[p.slot()].iter().next_back().cloned())
                .expect("a live pod");
                self.terminate_pod(&victim, ctx);
            }
        }
    }

    fn create_pod(&mut self, deployment: &str, ctx: &mut Ctx) {
        self.next_pod += 1;
        let name = format!("{deployment}-{:05}", self.next_pod);
        let d = &self.deployments[deployment];
        let fargate_profile = self
            .matching_profile(&d.cluster, &d.namespace, &d.labels)
            .map(|p| p.name.clone());
        let d = self.deployments.get_mut(deployment).expect("exists");
        self.pods.insert(
            name.clone(),
            Pod {
                name: name.clone(),
                deployment: deployment.into(),
                cluster: d.cluster.clone(),
                namespace: d.namespace.clone(),
                cpu: d.cpu,
                memory: d.memory,
                phase: PodPhase::Pending,
                placement: PodPlacement::Unscheduled,
                pending: None,
                fargate_profile,
                billing_rate: 0.0,
            },
        );
        d.pods[PodPhase::Pending.slot()].insert(name.clone());
        self.pending.insert(name.clone());
        self.schedule_pod(&name, ctx);
    }

    /// Deletion: an unscheduled pod simply goes; a bound one terminates
    /// for its grace period, still holding its requests.
    fn terminate_pod(&mut self, name: &str, ctx: &mut Ctx) {
        let phase = self.pods[name].phase;
        if phase == PodPhase::Pending {
            self.delete_pod(name, ctx);
        } else if phase != PodPhase::Terminating {
            self.set_phase(name, PodPhase::Terminating);
            ctx.after(
                seconds(ctx.params.stop_seconds),
                EksHappening::PodGone(name.into()),
            );
        }
    }

    fn delete_pod(&mut self, name: &str, ctx: &mut Ctx) {
        let pod = self.pods.remove(name).expect("exists");
        self.pending.remove(name);
        if let Some(d) = self.deployments.get_mut(&pod.deployment) {
            d.pods[pod.phase.slot()].remove(name);
        }
        if let PodPlacement::Node { node } = &pod.placement {
            if let Some(n) = self.nodes.get_mut(node) {
                n.requested_cpu -= pod.cpu;
                n.requested_memory -= pod.memory;
                n.pods.remove(name);
            }
        }
        ctx.cost_delta -= pod.billing_rate;
        ctx.emit(What::PodDeleted { pod: name.into() });
    }

    fn matching_profile(
        &self,
        cluster: &str,
        namespace: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<&FargateProfileSpec> {
        self.profiles
            .range((cluster.to_string(), String::new())..)
            .take_while(|((c, _), _)| c == cluster)
            .map(|(_, p)| p)
            .find(|p| {
                p.namespace == namespace && p.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
    }

    /// The kube-scheduler (or the Fargate scheduler) for one Pending pod.
    /// Returns whether it was bound.
    fn schedule_pod(&mut self, name: &str, ctx: &mut Ctx) -> bool {
        let pod = &self.pods[name];
        if let Some(profile) = pod.fargate_profile.clone() {
            let volume = self.deployments[&pod.deployment].volume;
            if let Some(why) = volume.and_then(|v| v.refused_on_fargate()) {
                let reason = format!("Pod not supported on Fargate (profile {profile}): {why}.");
                self.mark_pending(name, PendingKind::FargateUnsupported, reason, ctx);
                return false;
            }
            return match fargate::eks_pod_size(pod.cpu, pod.memory) {
                Some((cpu_units, memory_mib)) => {
                    self.bind_fargate(name, &profile, cpu_units, memory_mib, ctx);
                    true
                }
                None => {
                    let reason = format!(
                        "Fargate profile {profile} matches, but no Fargate size fits {}m CPU and {} MiB (+256 MiB): the largest is 16 vCPU / 120 GB.",
                        pod.cpu, pod.memory
                    );
                    self.mark_pending(name, PendingKind::NoFargateSize, reason, ctx);
                    false
                }
            };
        }
        let (cluster, cpu, memory) = (pod.cluster.clone(), pod.cpu, pod.memory);
        let has_groups = self.groups.values().any(|g| g.cluster == cluster);
        let mut best: Option<(f64, &str)> = None;
        let (mut ready, mut short_cpu, mut short_memory) = (0u32, 0u32, 0u32);
        for node in self
            .nodes
            .values()
            .filter(|n| n.ready && n.cluster == cluster)
        {
            ready += 1;
            if node.requested_cpu + cpu > node.allocatable_cpu {
                short_cpu += 1;
            }
            if node.requested_memory + memory > node.allocatable_memory {
                short_memory += 1;
            }
            if node.fits(cpu, memory) {
                // LeastAllocated: the most room left after placing the pod.
                let score = f64::from(node.allocatable_cpu - node.requested_cpu - cpu)
                    / f64::from(node.allocatable_cpu)
                    + f64::from(node.allocatable_memory - node.requested_memory - memory)
                        / f64::from(node.allocatable_memory);
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, &node.name));
                }
            }
        }
        if let Some((_, node)) = best {
            let node = node.to_string();
            self.bind_node(name, &node, ctx);
            return true;
        }
        let (kind, reason) = if !has_groups && ready == 0 {
            let pod = &self.pods[name];
            let labels = &self.deployments[&pod.deployment].labels;
            let reason = match self.matching_profile(&pod.cluster, &pod.namespace, labels) {
                Some(profile) => format!(
                    "Fargate profile {} matches now, but it was created after this pod, and EKS chooses Fargate only when a pod is created; the cluster has no nodes: 0/0 nodes are available. Recreate the pods (kubectl rollout restart, or scale to 0 and back) so that new ones run on Fargate.",
                    profile.name
                ),
                None => format!(
                    "no Fargate profile matches namespace {} and labels {}, and the cluster has no nodes: 0/0 nodes are available.",
                    pod.namespace,
                    labels_text(labels)
                ),
            };
            (PendingKind::NoFargateProfile, reason)
        } else if ready == 0 {
            (
                PendingKind::Capacity,
                "0/0 nodes are available: no nodes available to schedule pods.".into(),
            )
        } else {
            let mut parts = Vec::new();
            if short_cpu > 0 {
                parts.push(format!("{short_cpu} Insufficient cpu"));
            }
            if short_memory > 0 {
                parts.push(format!("{short_memory} Insufficient memory"));
            }
            (
                PendingKind::Capacity,
                format!("0/{ready} nodes are available: {}.", parts.join(", ")),
            )
        };
        self.mark_pending(name, kind, reason, ctx);
        false
    }

    fn mark_pending(&mut self, name: &str, kind: PendingKind, reason: String, ctx: &mut Ctx) {
        let pod = self.pods.get_mut(name).expect("exists");
        if pod.pending.as_ref().map(|(_, r)| r) != Some(&reason) {
            pod.pending = Some((kind, reason.clone()));
            ctx.emit(What::PodPending {
                pod: name.into(),
                reason,
            });
        }
    }

    fn bind_node(&mut self, name: &str, node: &str, ctx: &mut Ctx) {
        let pod = self.pods.get_mut(name).expect("exists");
        pod.pending = None;
        pod.placement = PodPlacement::Node { node: node.into() };
        let (cpu, memory) = (pod.cpu, pod.memory);
        let n = self.nodes.get_mut(node).expect("exists");
        n.requested_cpu += cpu;
        n.requested_memory += memory;
        n.pods.insert(name.into());
        let place = format!("{node} ({})", n.az);
        self.set_phase(name, PodPhase::ContainerCreating);
        ctx.emit(What::PodScheduled {
            pod: name.into(),
            on: place,
        });
        ctx.after(
            seconds(ctx.params.container_start_seconds),
            EksHappening::PodRunning(name.into()),
        );
    }

    fn bind_fargate(
        &mut self,
        name: &str,
        profile: &str,
        cpu_units: u32,
        memory_mib: u32,
        ctx: &mut Ctx,
    ) {
        let pod = self.pods.get_mut(name).expect("exists");
        pod.pending = None;
        pod.placement = PodPlacement::Fargate {
            cpu_units,
            memory_mib,
        };
        let rate = (f64::from(cpu_units) / 1024.0 * FARGATE_PER_VCPU_HOUR
            + f64::from(memory_mib) / 1024.0 * FARGATE_PER_GB_HOUR)
            / MS_PER_HOUR;
        pod.billing_rate = rate;
        ctx.cost_delta += rate;
        let (cpu, memory) = (pod.cpu, pod.memory);
        self.set_phase(name, PodPhase::ContainerCreating);
        ctx.emit(What::PodScheduled {
            pod: name.into(),
            on: format!(
                "its own Fargate micro-VM of {} (profile {profile}; {cpu}m + {memory} MiB requested, +256 MiB, rounded up)",
                size_text(cpu_units, memory_mib)
            ),
        });
        ctx.after(
            seconds(ctx.params.fargate_provisioning_seconds + ctx.params.container_start_seconds),
            EksHappening::PodRunning(name.into()),
        );
    }

    /// The scheduler tries its unschedulable pods again when the cluster
    /// changes (a node joins, a pod goes, a profile appears).
    fn retry_pending(&mut self, ctx: &mut Ctx) {
        let waiting: Vec<String> = self.pending.iter().cloned().collect();
        for name in waiting {
            self.schedule_pod(&name, ctx);
        }
    }

    // ---- HPA -----------------------------------------------------------

    fn hpa_sync(&mut self, name: &str, ctx: &mut Ctx) {
        let now = ctx.now;
        let d = self.deployments.get_mut(name).expect("exists");
        let hpa = d.hpa.clone().expect("has an HPA");
        let running = d.count(PodPhase::Running);
        if running == 0 || d.replicas == 0 {
            return;
        }
        let utilization = utilization(d, now);
        let ratio = utilization / hpa.target_cpu_utilization;
        let current = d.replicas;
        let raw = (f64::from(running) * ratio).ceil() as u32;
        let recommendation = if (ratio - 1.0).abs() <= HPA_TOLERANCE {
            current
        } else {
            raw.clamp(hpa.min_replicas, hpa.max_replicas)
        };
        d.recommendations.push_back((now, recommendation));
        while d
            .recommendations
            .front()
            .is_some_and(|(at, _)| *at + seconds(HPA_DOWN_WINDOW_SECONDS) < now)
        {
            d.recommendations.pop_front();
        }
        let bounds = if recommendation != raw && recommendation != current {
            format!(
                ", kept within minReplicas {} and maxReplicas {}: {recommendation}",
                hpa.min_replicas, hpa.max_replicas
            )
        } else {
            String::new()
        };
        let formula = format!(
            "CPU at {utilization:.0}% of requests across {running} running pods (target {:.0}%): ceil({running} × {utilization:.0} / {:.0}) = {raw}{bounds}",
            hpa.target_cpu_utilization, hpa.target_cpu_utilization
        );
        let (to, reason) = if recommendation > current {
            let limit = (current * 2).max(current + 4);
            let to = recommendation.min(limit);
            let limited = if to < recommendation {
                format!(", limited to {to} by the scale-up policy (100% or 4 pods per 15 s, whichever is more)")
            } else {
                String::new()
            };
            (to, format!("HPA: {formula}{limited}."))
        } else if recommendation < current {
            let stabilized = d
                .recommendations
                .iter()
                .map(|(_, r)| *r)
                .max()
                .unwrap_or(current);
            if stabilized >= current {
                return;
            }
            (
                stabilized,
                format!("HPA: {formula}; the highest recommendation of the last 300 s is {stabilized}, so it scales down to that."),
            )
        } else {
            return;
        };
        let to = to.clamp(hpa.min_replicas, hpa.max_replicas);
        if to == current {
            return;
        }
        d.replicas = to;
        ctx.emit(What::DeploymentScaled {
            deployment: name.into(),
            from: current,
            to,
            reason,
        });
        self.reconcile(name, ctx);
    }

    // ---- Cluster Autoscaler --------------------------------------------

    fn ca_scale_up(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        // Pods unschedulable for lack of capacity, by cluster.
        let mut waiting: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for name in &self.pending {
            let pod = &self.pods[name];
            if matches!(pod.pending, Some((PendingKind::Capacity, _))) {
                waiting
                    .entry(pod.cluster.clone())
                    .or_default()
                    .push((pod.cpu, pod.memory));
            }
        }
        for (cluster, pods) in waiting {
            let groups: Vec<String> = self
                .groups
                .values()
                .filter(|g| g.cluster == cluster)
                .map(|g| g.name.clone())
                .collect();
            let mut remaining = pods;
            for group_name in groups {
                if remaining.is_empty() {
                    break;
                }
                let group = &self.groups[&group_name];
                let kind = catalogue::instance_type(group.instance_type).expect("checked");
                let template = (
                    (kind.vcpus * 1000).saturating_sub(NODE_RESERVED_MILLICORES),
                    kind.memory_mib.saturating_sub(NODE_RESERVED_MEMORY_MIB),
                );
                // Nodes already on their way count first.
                let mut bins: Vec<(u32, u32)> = group
                    .nodes
                    .iter()
                    .map(|n| &self.nodes[n])
                    .filter(|n| {
                        !n.ready && now < n.launched_at + seconds(CA_MAX_NODE_PROVISION_SECONDS)
                    })
                    .map(|n| (n.allocatable_cpu, n.allocatable_memory))
                    .collect();
                let upcoming = bins.len();
                let mut unfit = Vec::new();
                for (cpu, memory) in remaining {
                    if cpu > template.0 || memory > template.1 {
                        unfit.push((cpu, memory));
                        continue;
                    }
                    match bins.iter_mut().find(|b| b.0 >= cpu && b.1 >= memory) {
                        Some(bin) => {
                            bin.0 -= cpu;
                            bin.1 -= memory;
                        }
                        None => bins.push((template.0 - cpu, template.1 - memory)),
                    }
                }
                remaining = unfit;
                let size = group.nodes.len() as u32;
                let wanted = (bins.len() - upcoming) as u32;
                let to = (size + wanted).min(group.max_size);
                if to > size {
                    ctx.emit(What::ClusterAutoscaler {
                        group: group_name.clone(),
                        from: size,
                        to,
                        reason: format!(
                            "pods are unschedulable for lack of capacity and a {} node would fit them: {wanted} more node(s) needed{}.",
                            kind.name,
                            if size + wanted > group.max_size { format!(", capped by maxSize {}", group.max_size) } else { String::new() }
                        ),
                    });
                    for _ in size..to {
                        self.launch_node(&group_name, ctx);
                    }
                }
            }
        }
    }

    fn ca_scale_down(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        let mut empty: Vec<String> = Vec::new();
        let mut busy: Vec<String> = Vec::new();
        let names: Vec<String> = self.nodes.keys().cloned().collect();
        for name in names {
            let node = &self.nodes[&name];
            // Unneeded: under the threshold, and every pod could go elsewhere.
            let unneeded = node.ready
                && node.share() < CA_SCALE_DOWN_THRESHOLD
                && (node.pods.is_empty() || self.pods_could_move(&name));
            let node = self.nodes.get_mut(&name).expect("exists");
            if !unneeded {
                node.unneeded_since = None;
                continue;
            }
            let since = *node.unneeded_since.get_or_insert(now);
            if now >= since + seconds(CA_UNNEEDED_SECONDS) {
                if node.pods.is_empty() {
                    empty.push(name);
                } else {
                    busy.push(name);
                }
            }
        }
        let mut removed = 0;
        for name in empty {
            if removed >= CA_EMPTY_BULK {
                break;
            }
            if self.ca_remove(&name, 0, ctx) {
                removed += 1;
            }
        }
        if removed > 0 {
            return;
        }
        for name in busy {
            if self.pods_could_move(&name) {
                let share = self.nodes[&name].share();
                if self.ca_remove(&name, (share * 100.0).round() as u32, ctx) {
                    self.retry_pending(ctx);
                    return;
                }
            }
        }
    }

    fn pods_could_move(&self, name: &str) -> bool {
        let node = &self.nodes[name];
        let mut room: Vec<(u32, u32)> = self
            .nodes
            .values()
            .filter(|n| n.ready && n.cluster == node.cluster && n.name != name)
            .map(|n| {
                (
                    n.allocatable_cpu - n.requested_cpu,
                    n.allocatable_memory - n.requested_memory,
                )
            })
            .collect();
        node.pods.iter().all(|pod| {
            let p = &self.pods[pod];
            match room.iter_mut().find(|r| r.0 >= p.cpu && r.1 >= p.memory) {
                Some(r) => {
                    r.0 -= p.cpu;
                    r.1 -= p.memory;
                    true
                }
                None => false,
            }
        })
    }

    fn ca_remove(&mut self, name: &str, percent: u32, ctx: &mut Ctx) -> bool {
        let group_name = self.nodes[name].group.clone();
        let group = &self.groups[&group_name];
        let size = group.nodes.len() as u32;
        if size <= group.min_size {
            return false;
        }
        ctx.emit(What::ClusterAutoscaler {
            group: group_name,
            from: size,
            to: size - 1,
            reason: format!(
                "node {name} has been unneeded for 10 minutes ({percent}% of its allocatable requested, under the 50% threshold{}).",
                if percent == 0 { "; it is empty" } else { "; its pods can move to other nodes" }
            ),
        });
        self.remove_node(
            name,
            "removed by the Cluster Autoscaler (its pods, if any, are evicted and rescheduled)",
            ctx,
        );
        true
    }

    /// Checks the indexes against a full recount (for tests).
    pub fn audit(&self) -> Result<(), String> {
        for node in self.nodes.values() {
            let (mut cpu, mut memory) = (0, 0);
            for pod in &node.pods {
                let p = &self.pods[pod];
                cpu += p.cpu;
                memory += p.memory;
            }
            if (cpu, memory) != (node.requested_cpu, node.requested_memory) {
                return Err(format!("node {}: kept requests differ", node.name));
            }
            if cpu > node.allocatable_cpu || memory > node.allocatable_memory {
                return Err(format!("node {} is over-committed", node.name));
            }
        }
        let mut seen = 0;
        for d in self.deployments.values() {
            for phase in PodPhase::ALL {
                for pod in &d.pods[phase.slot()] {
                    seen += 1;
                    if self.pods.get(pod).map(|p| p.phase) != Some(phase) {
                        return Err(format!("pod {pod} is not {phase:?}"));
                    }
                }
            }
        }
        if seen != self.pods.len() {
            return Err(format!(
                "{} pods, {seen} in the phase indexes",
                self.pods.len()
            ));
        }
        let pending = self
            .pods
            .values()
            .filter(|p| p.phase == PodPhase::Pending)
            .count();
        if pending != self.pending.len() {
            return Err("the pending queue is out of step".into());
        }
        Ok(())
    }
}

/// Average CPU utilisation of the running pods, as a percentage of their
/// requests: demand / (running pods × request).
fn utilization(d: &Deployment, now: Millis) -> f64 {
    let running = d.count(PodPhase::Running);
    if running == 0 || d.cpu == 0 {
        return 0.0;
    }
    let demand = d.load.as_ref().map_or(0.0, |l| l.at(now));
    100.0 * demand / (f64::from(running) * f64::from(d.cpu))
}

/// Dockyard's bound on pods per deployment, so that a scenario (or a share
/// link) stays something a browser can play; not a Kubernetes limit.
pub const MAX_REPLICAS: u32 = 5_000;

fn need_replicas(replicas: u32) -> Result<(), Rejection> {
    if replicas > MAX_REPLICAS {
        return Err(Rejection::new(
            "replicas",
            format!("replicas: Dockyard plays at most {MAX_REPLICAS} pods per deployment, not {replicas}"),
        ));
    }
    Ok(())
}
