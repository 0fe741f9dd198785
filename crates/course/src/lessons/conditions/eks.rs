//! Conditions on EKS: pods running and where, the Fargate size a pod gets,
//! nodes Ready in a node group, and the storage pods keep their data on.

use dockyard_model::fargate;
use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::world::World;

use super::{on_words, plural, Compute, Fields, Kind};

/// At least `at_least` pods of an EKS Deployment Running, on Fargate or on
/// nodes when `on` says so.
#[derive(Clone, Debug, PartialEq)]
pub struct PodsRunning {
    pub deployment: String,
    pub at_least: u32,
    pub on: Option<Compute>,
}

impl Kind for PodsRunning {
    const IS: &'static str = "podsRunning";
    const FIELDS: &'static [&'static str] = &["deployment", "atLeast", "on"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(PodsRunning {
            deployment: fields.text("deployment")?,
            at_least: fields.count("atLeast")?,
            on: fields.on(),
        })
    }

    fn describe(&self) -> String {
        let PodsRunning {
            deployment,
            at_least,
            on,
        } = self;
        format!(
            "Deployment {deployment} has at least {at_least} pod{} Running{}",
            plural(*at_least),
            on_words(*on)
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let PodsRunning {
            deployment,
            at_least,
            on,
        } = self;
        let count = world
            .eks()
            .pods
            .values()
            .filter(|p| p.deployment == *deployment && p.phase == PodPhase::Running)
            .filter(|p| {
                matches!(
                    (on, &p.placement),
                    (None, _)
                        | (Some(Compute::Fargate), PodPlacement::Fargate { .. })
                        | (Some(Compute::Ec2), PodPlacement::Node { .. })
                )
            })
            .count() as u32;
        (count >= *at_least, format!("{count} running now"))
    }
}

/// Every Running pod of `deployment` on Fargate has this Fargate size (CPU
/// units, MiB), and at least one runs. With `full_memory`, each pod also
/// requests all the memory the size leaves it: the size less the 256 MiB
/// Fargate adds for the Kubernetes components (a smaller request gets the
/// same size and wastes what is paid for).
#[derive(Clone, Debug, PartialEq)]
pub struct FargatePodSize {
    pub deployment: String,
    pub cpu: u32,
    pub memory_mib: u32,
    pub full_memory: bool,
}

impl Kind for FargatePodSize {
    const IS: &'static str = "fargatePodSize";
    const FIELDS: &'static [&'static str] = &["deployment", "cpu", "memoryMiB", "fullMemory"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(FargatePodSize {
            deployment: fields.text("deployment")?,
            cpu: fields.count("cpu")?,
            memory_mib: fields.count("memoryMiB")?,
            full_memory: fields.optional_flag("fullMemory")?.unwrap_or(false),
        })
    }

    fn describe(&self) -> String {
        let size = format!(
            "Each Running pod of {} gets a Fargate micro-VM of {} vCPU and {} GB",
            self.deployment,
            f64::from(self.cpu) / 1024.0,
            f64::from(self.memory_mib) / 1024.0
        );
        if self.full_memory {
            format!(
                "{size} and requests the {} MiB it leaves",
                self.allowed_request()
            )
        } else {
            size
        }
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let sizes: Vec<(u32, u32)> = world
            .eks()
            .pods
            .values()
            .filter(|p| p.deployment == self.deployment && p.phase == PodPhase::Running)
            .filter_map(|p| match p.placement {
                PodPlacement::Fargate {
                    cpu_units,
                    memory_mib,
                } => Some((cpu_units, memory_mib)),
                _ => None,
            })
            .collect();
        match sizes
            .iter()
            .find(|size| **size != (self.cpu, self.memory_mib))
        {
            _ if sizes.is_empty() => (false, "no pod of it runs on Fargate yet".into()),
            Some((c, m)) => (
                false,
                format!(
                    "a pod got {} vCPU and {} GB",
                    f64::from(*c) / 1024.0,
                    f64::from(*m) / 1024.0
                ),
            ),
            None if self.full_memory => {
                let allowed = self.allowed_request();
                match world
                    .eks()
                    .pods
                    .values()
                    .filter(|p| p.deployment == self.deployment && p.phase == PodPhase::Running)
                    .find(|p| p.memory != allowed)
                {
                    Some(pod) => (
                        false,
                        format!(
                            "{} requests {} MiB; the size leaves {allowed} MiB after Fargate's {} MiB",
                            pod.name,
                            pod.memory,
                            fargate::EKS_POD_OVERHEAD_MIB
                        ),
                    ),
                    None => (
                        true,
                        format!("{} pods of that size, each requesting {allowed} MiB", sizes.len()),
                    ),
                }
            }
            None => (true, format!("{} pods of that size", sizes.len())),
        }
    }
}

impl FargatePodSize {
    /// The memory request that fills the size: Fargate adds its overhead.
    fn allowed_request(&self) -> u32 {
        self.memory_mib
            .saturating_sub(fargate::EKS_POD_OVERHEAD_MIB)
    }
}

/// At least `at_least` nodes of the node group `group` are Ready, and the
/// group is managed or self-managed as `managed` says.
#[derive(Clone, Debug, PartialEq)]
pub struct NodesReady {
    pub group: String,
    pub at_least: u32,
    pub managed: bool,
}

impl Kind for NodesReady {
    const IS: &'static str = "nodesReady";
    const FIELDS: &'static [&'static str] = &["group", "atLeast", "managed"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(NodesReady {
            group: fields.text("group")?,
            at_least: fields.count("atLeast")?,
            managed: fields.flag("managed")?,
        })
    }

    fn describe(&self) -> String {
        let NodesReady {
            group,
            at_least,
            managed,
        } = self;
        format!(
            "{} node group {group} has at least {at_least} node{} Ready",
            if *managed { "Managed" } else { "Self-managed" },
            plural(*at_least)
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let eks = world.eks();
        match eks.groups.get(&self.group) {
            None => (false, "there is no such node group".into()),
            Some(g) if g.managed != self.managed => (
                false,
                format!(
                    "it is {}",
                    if g.managed {
                        "a managed node group"
                    } else {
                        "self-managed"
                    }
                ),
            ),
            Some(g) => {
                let ready = g
                    .nodes
                    .iter()
                    .filter(|n| eks.nodes.get(*n).is_some_and(|n| n.ready))
                    .count() as u32;
                (
                    ready >= self.at_least,
                    format!("{ready} of its {} nodes Ready", g.nodes.len()),
                )
            }
        }
    }
}

/// Pods of `deployment` run, and mount a persistent volume of this storage
/// (through their PersistentVolumeClaim).
#[derive(Clone, Debug, PartialEq)]
pub struct PodStorage {
    pub deployment: String,
    pub storage: dockyard_model::sim::eks::PodStorage,
}

impl Kind for PodStorage {
    const IS: &'static str = "podStorage";
    const FIELDS: &'static [&'static str] = &["deployment", "storage"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(PodStorage {
            deployment: fields.text("deployment")?,
            storage: match fields.text("storage")?.as_str() {
                "efs" => dockyard_model::sim::eks::PodStorage::Efs,
                "ebs" => dockyard_model::sim::eks::PodStorage::Ebs,
                "fsxLustre" => dockyard_model::sim::eks::PodStorage::FsxLustre,
                other => return Err(format!("storage: {other:?} is not efs, ebs or fsxLustre")),
            },
        })
    }

    fn describe(&self) -> String {
        format!(
            "Running pods of {} keep their data on {}, which outlives them",
            self.deployment,
            storage_name(self.storage)
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        match world.eks().deployments.get(&self.deployment) {
            None => (false, "there is no such Deployment".into()),
            Some(d) => {
                let running = d.count(PodPhase::Running);
                let mounted = world.eks().volume_of(d).map(|v| v.storage);
                let detail = match (running, mounted) {
                    (_, None) => {
                        "its pods have no persistent volume, only storage that goes with each pod"
                            .to_string()
                    }
                    (0, Some(_)) => "none of its pods is Running".to_string(),
                    (n, Some(s)) => format!("{n} Running, with {}", storage_name(s)),
                };
                (running > 0 && mounted == Some(self.storage), detail)
            }
        }
    }
}

fn storage_name(storage: dockyard_model::sim::eks::PodStorage) -> &'static str {
    match storage {
        dockyard_model::sim::eks::PodStorage::Efs => "an EFS volume",
        dockyard_model::sim::eks::PodStorage::Ebs => "an EBS volume",
        dockyard_model::sim::eks::PodStorage::FsxLustre => "an FSx for Lustre volume",
    }
}
