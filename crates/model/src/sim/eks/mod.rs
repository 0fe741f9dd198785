//! EKS in the simulation (rules §7): clusters, managed and self-managed
//! node groups, Fargate profiles, Deployments and their pods, the
//! kube-scheduler, the Horizontal Pod Autoscaler and the Cluster Autoscaler.
//!
//! The state lives here; the [`World`](super::World) owns one [`Eks`] and
//! hands it a [`Ctx`] (the time, the parameters, the zones) for each command
//! or happening. Whatever this module schedules, bills or reports goes back
//! through the `Ctx`, so the world's queue and bill stay the single truth.
//!
//! Not modelled: Spot interruptions of nodes, NoExecute evictions,
//! preferred and pod (anti-)affinity,
//! memory-based HPA metrics, the HPA's readiness delays, and Karpenter.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use super::catalogue::{
    self, Parameters, FARGATE_MINIMUM_BILLED_MS, FARGATE_PER_GB_HOUR, FARGATE_PER_VCPU_HOUR,
};
use super::load::LoadCurve;
use super::types::{seconds, Event, Millis, Rejection, What};
use crate::fargate;

pub use access::*;
pub use disruption::{Budget, Pdb, PdbSpec, PdbStatus};
pub use placement::{NodeRequirement, NodeRules, SelectorOperator, Taint, TaintEffect, Toleration};
pub use spec::*;
pub use state::*;
pub use storage::{
    AccessMode, BindingMode, Claim, ClaimSpec, CsiDriver, Storage, StorageClassSpec, Volume,
    VolumeSpec, WAITING_FOR_CONSUMER,
};

use super::limits::{need_replicas, MAX_GROUP_SIZE};
use autoscaling::utilization;
use lifecycle::check_hpa;
pub use lifecycle::BUILT_IN_NAMESPACES;
pub(crate) use pods::VOLUME_CONFLICT;

mod access;
mod autoscaling;
mod daemons;
mod disruption;
mod lifecycle;
mod nodes;
mod placement;
mod pods;
mod spec;
mod state;
mod storage;
mod teardown;

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

/// The EKS commands, as the world hands them over.
#[derive(Clone, Debug, PartialEq)]
pub enum EksCommand {
    CreateCluster(String),
    CreateNodeGroup(NodeGroupSpec),
    CreateFargateProfile(FargateProfileSpec),
    CreateDeployment(DeploymentSpec),
    ScaleDeployment {
        deployment: String,
        replicas: u32,
    },
    TerminateNode(String),
    DeletePod(String),
    SetNodeTaints {
        node: String,
        taints: Vec<Taint>,
    },
    UpdateDeployment(DeploymentSpec),
    DeleteDeployment(String),
    RestartDeployment(String),
    SetHpa {
        deployment: String,
        hpa: Option<Hpa>,
    },
    SetLoad {
        deployment: String,
        load: LoadCurve,
    },
    /// Storage objects (`storage.rs`).
    CreateStorageClass(StorageClassSpec),
    CreateVolume(VolumeSpec),
    CreateClaim(ClaimSpec),
    DeleteStorage {
        kind: String,
        cluster: String,
        namespace: String,
        name: String,
    },
    PutPdb(PdbSpec),
    DeletePdb {
        cluster: String,
        namespace: String,
        name: String,
    },
    CreateNamespace {
        cluster: String,
        namespace: String,
    },
    /// CreateAccessEntry and AssociateAccessPolicy (`access.rs`).
    CreateAccessEntry(AccessEntrySpec),
    AssociateAccessPolicy(AccessPolicySpec),
    /// UpdateNodegroupConfig's scalingConfig (`access.rs`).
    UpdateNodeGroupScaling(NodeGroupScaling),
    /// DeleteNodegroup, DeleteFargateProfile and DeleteCluster (`teardown.rs`).
    DeleteNodeGroup {
        cluster: String,
        group: String,
    },
    DeleteFargateProfile {
        cluster: String,
        profile: String,
    },
    DeleteCluster(String),
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
    /// One-off dollars, such as the rest of a Fargate pod's minimum minute.
    pub charged: f64,
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
            charged: 0.0,
        }
    }
    fn emit(&mut self, what: What) {
        self.events.push(Event { at: self.now, what });
    }
    fn after(&mut self, delay: Millis, happening: EksHappening) {
        self.scheduled.push((self.now + delay, happening));
    }
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
    /// Namespaces created by name, per cluster (besides the built-in ones
    /// and those the scenario's deployments live in).
    pub namespaces: BTreeSet<(String, String)>,
    /// What CreateCluster was given beyond the name (`access.rs`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub cluster_details: BTreeMap<String, ClusterDetails>,
    /// Access entries, keyed by (cluster, principal ARN) (`access.rs`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub access_entries: BTreeMap<(String, String), AccessEntry>,
    /// StorageClasses, PersistentVolumes and claims (`storage.rs`).
    #[serde(skip_serializing_if = "Storage::is_empty")]
    pub storage: Storage,
    /// PodDisruptionBudgets, keyed by (cluster, namespace, name)
    /// (`disruption.rs`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pdbs: BTreeMap<(String, String, String), Pdb>,
    next_node: u64,
    next_pod: u64,
    hpa_ticking: bool,
    ca_ticking: bool,
}

pub(crate) fn labels_text(labels: &BTreeMap<String, String>) -> String {
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
                    || spec.max_size > MAX_GROUP_SIZE
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
                        node_role_mapped: spec.node_role_mapped.unwrap_or(spec.managed)
                            || self.role_may_join(&spec.cluster, spec.node_role.as_deref()),
                        node_role: spec.node_role.clone(),
                        labels: spec.labels.clone(),
                        taints: spec.taints.clone(),
                        created_at: ctx.now,
                        nodes: BTreeSet::new(),
                        next_az: 0,
                    },
                );
                if spec.managed {
                    // EKS creates the node role's access entry for a managed group.
                    self.entry_for_managed_group(&spec, ctx.now);
                }
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
                need_selectors(&spec)?;
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
                // EKS creates the pod execution role's access entry.
                self.entry_for_fargate_profile(&spec, ctx.now);
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
                if let Some(hpa) = &spec.hpa {
                    check_hpa(hpa)?;
                    self.start_hpa(ctx);
                }
                let name = spec.name.clone();
                // A new HPA's scale-down window starts with the current count.
                let recommendations: VecDeque<(Millis, u32)> = spec
                    .hpa
                    .as_ref()
                    .map(|_| (ctx.now, spec.replicas))
                    .into_iter()
                    .collect();
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
                        containers: spec.containers,
                        claim: spec.claim,
                        node_rules: spec.node_rules,
                        daemon: spec.daemon,
                        bare: spec.bare,
                        created_at: ctx.now,
                        pods: Default::default(),
                        recommendations,
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
                if d.daemon || d.bare {
                    return Err(Rejection::new(
                        "no-deployment",
                        format!(
                            "{deployment} is a {}, not a Deployment: it has no replica count to scale",
                            if d.daemon { "DaemonSet" } else { "Pod" }
                        ),
                    ));
                }
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
            EksCommand::SetNodeTaints { node, taints } => {
                let Some(n) = self.nodes.get_mut(&node) else {
                    return Err(Rejection::new(
                        "no-node",
                        format!("there is no node called {node}"),
                    ));
                };
                n.taints = taints;
                self.retry_pending(ctx);
            }
            EksCommand::DeletePod(pod) => {
                let Some(deployment) = self.pods.get(&pod).map(|p| p.deployment.clone()) else {
                    return Err(Rejection::new(
                        "no-pod",
                        format!("there is no pod called {pod}"),
                    ));
                };
                self.terminate_pod(&pod, ctx);
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
            EksCommand::UpdateDeployment(spec) => self.update_deployment(spec, ctx)?,
            EksCommand::DeleteDeployment(name) => self.delete_deployment(&name, ctx)?,
            EksCommand::RestartDeployment(name) => self.restart_deployment(&name, ctx)?,
            EksCommand::SetHpa { deployment, hpa } => self.set_hpa(&deployment, hpa, ctx)?,
            EksCommand::SetLoad { deployment, load } => self.set_load(&deployment, load)?,
            EksCommand::CreateStorageClass(spec) => self.create_storage_class(spec, ctx)?,
            EksCommand::CreateVolume(spec) => self.create_volume(spec, ctx)?,
            EksCommand::CreateClaim(spec) => self.create_claim(spec, ctx)?,
            EksCommand::DeleteStorage {
                kind,
                cluster,
                namespace,
                name,
            } => self.delete_storage(&kind, &cluster, &namespace, &name)?,
            EksCommand::PutPdb(spec) => self.put_pdb(spec, ctx.now)?,
            EksCommand::DeletePdb {
                cluster,
                namespace,
                name,
            } => self.delete_pdb(&cluster, &namespace, &name)?,
            EksCommand::CreateNamespace { cluster, namespace } => {
                self.create_namespace(&cluster, &namespace)?
            }
            EksCommand::CreateAccessEntry(spec) => self.create_access_entry(spec, ctx)?,
            EksCommand::AssociateAccessPolicy(spec) => self.associate_access_policy(spec, ctx)?,
            EksCommand::UpdateNodeGroupScaling(scaling) => self.update_scaling(scaling, ctx)?,
            EksCommand::DeleteNodeGroup { cluster, group } => {
                self.delete_node_group(&cluster, &group, ctx)?
            }
            EksCommand::DeleteFargateProfile { cluster, profile } => {
                self.delete_fargate_profile(&cluster, &profile, ctx)?
            }
            EksCommand::DeleteCluster(name) => self.delete_cluster(&name, ctx)?,
        }
        Ok(())
    }

    /// The managed node group a call names, in a cluster that exists (EKS's
    /// API knows no other kind of group).
    pub(super) fn managed_group(&self, cluster: &str, name: &str) -> Result<&NodeGroup, Rejection> {
        self.need_cluster(cluster)?;
        self.groups
            .get(name)
            .filter(|g| g.cluster == cluster && g.managed)
            .ok_or_else(|| {
                Rejection::new(
                    "no-nodegroup",
                    format!("No node group found for name: {name}."),
                )
            })
    }

    pub(super) fn need_cluster(&self, name: &str) -> Result<(), Rejection> {
        if self.clusters.contains(name) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-eks-cluster",
                format!("there is no EKS cluster called {name}"),
            ))
        }
    }

    /// The kubelet starts the pod's containers, unless its volume cannot
    /// be attached to its node.
    fn start_pod(&mut self, name: String, attach_error: Option<String>, ctx: &mut Ctx) {
        let pod = self.pods.get_mut(&name).expect("exists");
        match attach_error {
            Some(message) if pod.attach_error.as_ref() != Some(&message) => {
                pod.attach_error = Some(message.clone());
                ctx.emit(What::PodVolumeAttachFailed { pod: name, message });
            }
            Some(_) => {}
            None => {
                pod.attach_error = None;
                self.set_phase(&name, PodPhase::Running);
                ctx.emit(What::PodRunning { pod: name });
            }
        }
    }

    pub fn happen(&mut self, happening: EksHappening, ctx: &mut Ctx) {
        match happening {
            EksHappening::NodeBooted(name) => self.node_booted(&name, ctx),
            EksHappening::PodRunning(name) => {
                let creating = self
                    .pods
                    .get(&name)
                    .is_some_and(|p| p.phase == PodPhase::ContainerCreating);
                if creating {
                    let error = self.multi_attach_error(&name);
                    self.start_pod(name, error, ctx);
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
