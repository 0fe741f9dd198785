//! Kubernetes storage on EKS (rules §7.3-7.4): StorageClasses naming a
//! CSI driver (EBS, EFS, FSx for Lustre), PersistentVolumeClaims, and the
//! PersistentVolumes they bind to, made beforehand (static) or by the
//! driver (dynamic). An EBS volume lives in one Availability Zone, so a
//! pod using it can run only on a node in that zone; with
//! `WaitForFirstConsumer` the volume is made where the first pod is
//! scheduled. An EBS volume attaches to one node at a time (the pods'
//! Multi-Attach wait is in pods.rs). What is not modelled: resizing,
//! reclaim policies beyond Released, snapshots, io2 Multi-Attach.

use serde::{Deserialize, Serialize};

use super::*;

/// The CSI drivers EKS documents, by their provisioner name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CsiDriver {
    /// `ebs.csi.aws.com`: block storage in one AZ.
    Ebs,
    /// `efs.csi.aws.com`: a file system in every AZ of the VPC.
    Efs,
    /// `fsx.csi.aws.com`: FSx for Lustre.
    FsxLustre,
}

impl CsiDriver {
    pub const ALL: [CsiDriver; 3] = [CsiDriver::Ebs, CsiDriver::Efs, CsiDriver::FsxLustre];

    pub fn provisioner(self) -> &'static str {
        match self {
            CsiDriver::Ebs => "ebs.csi.aws.com",
            CsiDriver::Efs => "efs.csi.aws.com",
            CsiDriver::FsxLustre => "fsx.csi.aws.com",
        }
    }

    pub fn from_provisioner(name: &str) -> Option<CsiDriver> {
        CsiDriver::ALL.into_iter().find(|d| d.provisioner() == name)
    }

    fn storage(self) -> PodStorage {
        match self {
            CsiDriver::Ebs => PodStorage::Ebs,
            CsiDriver::Efs => PodStorage::Efs,
            CsiDriver::FsxLustre => PodStorage::FsxLustre,
        }
    }
}

/// When a claim on a StorageClass gets its volume.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BindingMode {
    /// At once, wherever the driver chooses (for EBS, a zone the pod may
    /// not be able to reach).
    #[default]
    Immediate,
    /// When the first pod using the claim is scheduled: for EBS, in that
    /// pod's zone.
    WaitForFirstConsumer,
}

/// How a volume may be mounted: the storage rules' access modes.
pub use crate::storage::eks::AccessMode;

/// No access modes in a command means the usual one, ReadWriteOnce.
fn modes_or_rwo(modes: &[AccessMode]) -> Vec<AccessMode> {
    if modes.is_empty() {
        vec![AccessMode::ReadWriteOnce]
    } else {
        modes.to_vec()
    }
}

impl CsiDriver {
    /// Whether the driver can make a volume with this mode, as the
    /// storage rules have it (`storage::eks`): only a refusal refuses;
    /// what Dockyard's reference could not verify is let through.
    pub fn serves(self, mode: AccessMode) -> bool {
        let driver = match self {
            CsiDriver::Ebs => crate::storage::eks::CsiDriver::Ebs,
            CsiDriver::Efs => crate::storage::eks::CsiDriver::Efs,
            CsiDriver::FsxLustre => crate::storage::eks::CsiDriver::FsxLustre,
        };
        !matches!(
            crate::storage::eks::access_mode_support(driver, mode),
            crate::storage::Support::Refused(_)
        )
    }
}

/// `createStorageClass`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageClassSpec {
    pub cluster: String,
    pub name: String,
    pub driver: CsiDriver,
    #[serde(default)]
    pub binding: BindingMode,
}

/// `createPersistentVolume`: a volume made beforehand (static).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeSpec {
    pub cluster: String,
    pub name: String,
    pub driver: CsiDriver,
    #[serde(rename = "capacityGiB")]
    pub capacity_gib: u32,
    /// An EBS volume's zone (its node affinity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// None given means ReadWriteOnce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<AccessMode>,
}

impl VolumeSpec {
    pub fn modes(&self) -> Vec<AccessMode> {
        modes_or_rwo(&self.access_modes)
    }
}

/// `createPersistentVolumeClaim`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimSpec {
    pub cluster: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    pub name: String,
    #[serde(rename = "requestGiB")]
    pub request_gib: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// A PersistentVolume named by the claim (`spec.volumeName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_name: Option<String>,
    /// None given means ReadWriteOnce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<AccessMode>,
}

impl ClaimSpec {
    pub fn modes(&self) -> Vec<AccessMode> {
        modes_or_rwo(&self.access_modes)
    }

    /// Whether a volume offers every mode the claim asks for (the
    /// PersistentVolume controller's checkAccessModes).
    fn fits_modes(&self, volume: &VolumeSpec) -> bool {
        let offered = volume.modes();
        self.modes().iter().all(|m| offered.contains(m))
    }

    /// Why the class's driver cannot make a volume for this claim, in the
    /// external-provisioner's ProvisioningFailed words with the EBS CSI
    /// driver's own message (its wording since v1.0; newer releases word
    /// the same refusal slightly differently).
    pub fn provisioning_failure(&self, class: &StorageClassSpec) -> Option<String> {
        let refused: Vec<&str> = self
            .modes()
            .into_iter()
            .filter(|m| !class.driver.serves(*m))
            .map(AccessMode::csi)
            .collect();
        (!refused.is_empty()).then(|| {
            format!(
                "failed to provision volume with StorageClass \"{}\": rpc error: code = InvalidArgument desc = Volume capabilities {} not supported. Only AccessModes[ReadWriteOnce] supported.",
                class.name,
                refused.join(", ")
            )
        })
    }
}

fn default_namespace() -> String {
    "default".into()
}

/// A PersistentVolume: made beforehand or by a driver for a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub spec: VolumeSpec,
    /// The claim it is bound to: (namespace, name).
    pub claim: Option<(String, String)>,
    pub dynamic: bool,
    /// Its claim was deleted: a static volume is then Released, kept with
    /// its data and bound to no new claim until an administrator says so.
    pub released: bool,
    pub created_at: Millis,
}

/// A PersistentVolumeClaim and its binding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    pub spec: ClaimSpec,
    /// The PersistentVolume it is bound to; `None` while Pending.
    pub volume: Option<String>,
    /// Why it is Pending, as the PersistentVolume controller reports it.
    pub waiting: Option<String>,
    pub created_at: Millis,
}

/// Waiting for a pod, in the controller's words.
pub const WAITING_FOR_CONSUMER: &str = "waiting for first consumer to be created before binding";

/// The account's storage objects, keyed by cluster (and namespace).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Storage {
    pub classes: BTreeMap<(String, String), StorageClassSpec>,
    /// When each class was created.
    pub class_created: BTreeMap<(String, String), Millis>,
    pub volumes: BTreeMap<(String, String), Volume>,
    pub claims: BTreeMap<(String, String, String), Claim>,
    next_volume: u64,
}

impl Storage {
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty() && self.volumes.is_empty() && self.claims.is_empty()
    }
}

/// What the scheduler knows of a pod's claim.
pub(super) enum ClaimState {
    /// The claim does not exist, or has no volume and cannot get one yet.
    Blocked(String),
    /// Bound, or to be bound when the pod is placed: the volume's storage,
    /// provisioning and (EBS) zone.
    Usable {
        volume: PodVolume,
        zone: Option<String>,
    },
}

impl Eks {
    /// The volume a deployment's pods mount: through its claim, or the
    /// one the sandbox's form gave it.
    pub fn volume_of(&self, d: &Deployment) -> Option<PodVolume> {
        match &d.claim {
            None => d.volume,
            Some(claim) => match self.claim_state(&d.cluster, &d.namespace, claim) {
                ClaimState::Usable { volume, .. } => Some(volume),
                _ => None,
            },
        }
    }

    pub(super) fn claim_state(&self, cluster: &str, namespace: &str, claim: &str) -> ClaimState {
        let key = (
            cluster.to_string(),
            namespace.to_string(),
            claim.to_string(),
        );
        let Some(c) = self.storage.claims.get(&key) else {
            return ClaimState::Blocked(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if let Some(volume) = &c.volume {
            let v = &self.storage.volumes[&(cluster.to_string(), volume.clone())];
            return ClaimState::Usable {
                volume: PodVolume {
                    storage: v.spec.driver.storage(),
                    provisioning: if v.dynamic {
                        Provisioning::Dynamic
                    } else {
                        Provisioning::Static
                    },
                },
                zone: v.spec.zone.clone(),
            };
        }
        let class = c
            .spec
            .storage_class
            .as_ref()
            .and_then(|s| self.storage.classes.get(&(cluster.to_string(), s.clone())));
        match class {
            Some(class) if class.binding == BindingMode::WaitForFirstConsumer => {
                ClaimState::Usable {
                    volume: PodVolume {
                        storage: class.driver.storage(),
                        provisioning: Provisioning::Dynamic,
                    },
                    zone: None,
                }
            }
            _ => ClaimState::Blocked("pod has unbound immediate PersistentVolumeClaims".into()),
        }
    }

    /// A `WaitForFirstConsumer` claim's provisioner, asked for a volume
    /// once the scheduler has chosen a node: whether it refused (the
    /// claim then says why).
    pub(super) fn provisioning_refused(
        &mut self,
        cluster: &str,
        namespace: &str,
        claim: &str,
    ) -> bool {
        let key = (
            cluster.to_string(),
            namespace.to_string(),
            claim.to_string(),
        );
        let class = self.storage.claims.get(&key).and_then(|c| {
            let name = c.spec.storage_class.as_ref()?;
            self.storage
                .classes
                .get(&(cluster.to_string(), name.clone()))
                .cloned()
        });
        match (class, self.storage.claims.get_mut(&key)) {
            (Some(class), Some(c)) => {
                c.waiting = c.spec.provisioning_failure(&class);
                c.waiting.is_some()
            }
            _ => false,
        }
    }

    pub(super) fn create_storage_class(
        &mut self,
        spec: StorageClassSpec,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        let key = (spec.cluster.clone(), spec.name.clone());
        if self.storage.classes.contains_key(&key) {
            return Err(Rejection::new(
                "storage-exists",
                format!(
                    "storageclasses.storage.k8s.io \"{}\" already exists",
                    spec.name
                ),
            ));
        }
        self.storage.class_created.insert(key.clone(), ctx.now);
        self.storage.classes.insert(key, spec);
        // Claims that waited for this class may be provisioned now.
        let waiting: Vec<_> = self
            .storage
            .claims
            .iter()
            .filter(|(_, c)| c.volume.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        for key in waiting {
            self.try_bind(&key, ctx.azs);
        }
        self.retry_pending(ctx);
        Ok(())
    }

    pub(super) fn create_volume(
        &mut self,
        spec: VolumeSpec,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        let key = (spec.cluster.clone(), spec.name.clone());
        if self.storage.volumes.contains_key(&key) {
            return Err(Rejection::new(
                "storage-exists",
                format!("persistentvolumes \"{}\" already exists", spec.name),
            ));
        }
        self.storage.volumes.insert(
            key,
            Volume {
                spec,
                claim: None,
                dynamic: false,
                released: false,
                created_at: ctx.now,
            },
        );
        let waiting: Vec<_> = self
            .storage
            .claims
            .iter()
            .filter(|(_, c)| c.volume.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        for key in waiting {
            self.try_bind(&key, ctx.azs);
        }
        self.retry_pending(ctx);
        Ok(())
    }

    pub(super) fn create_claim(&mut self, spec: ClaimSpec, ctx: &mut Ctx) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        let key = (
            spec.cluster.clone(),
            spec.namespace.clone(),
            spec.name.clone(),
        );
        if self.storage.claims.contains_key(&key) {
            return Err(Rejection::new(
                "storage-exists",
                format!("persistentvolumeclaims \"{}\" already exists", spec.name),
            ));
        }
        self.storage.claims.insert(
            key.clone(),
            Claim {
                spec,
                volume: None,
                waiting: None,
                created_at: ctx.now,
            },
        );
        self.try_bind(&key, ctx.azs);
        // Pods waiting for this claim may be scheduled now.
        self.retry_pending(ctx);
        Ok(())
    }

    /// The PersistentVolume controller's pass over one claim: a volume it
    /// names, an available one of its class and size, or a new one from
    /// its class's driver (at once, or when a pod needs it).
    fn try_bind(&mut self, key: &(String, String, String), azs: &[String]) {
        let (cluster, namespace, name) = key.clone();
        let claim = self.storage.claims[key].clone();
        if claim.volume.is_some() {
            return;
        }
        let available = |v: &Volume| {
            v.claim.is_none()
                && !v.released
                && v.spec.cluster == cluster
                && v.spec.capacity_gib >= claim.spec.request_gib
                && v.spec.storage_class == claim.spec.storage_class
                && claim.spec.fits_modes(&v.spec)
        };
        // A claim naming its volume still has to fit it: the
        // PersistentVolume controller's checkVolumeSatisfyClaim, worded
        // as its VolumeMismatch event.
        let mismatch = claim.spec.volume_name.as_ref().and_then(|volume| {
            let v = self
                .storage
                .volumes
                .get(&(cluster.clone(), volume.clone()))?;
            let why = if v.spec.capacity_gib < claim.spec.request_gib {
                "requested PV is too small"
            } else if v.spec.storage_class != claim.spec.storage_class {
                "storageClassName does not match"
            } else if !claim.spec.fits_modes(&v.spec) {
                "incompatible accessMode"
            } else {
                return None;
            };
            Some(format!(
                "Cannot bind to requested volume \"{volume}\": {why}"
            ))
        });
        let chosen = match &claim.spec.volume_name {
            _ if mismatch.is_some() => None,
            Some(volume) => self
                .storage
                .volumes
                .get(&(cluster.clone(), volume.clone()))
                .filter(|v| v.claim.is_none() && !v.released)
                .map(|_| volume.clone()),
            None => self
                .storage
                .volumes
                .values()
                .find(|v| available(v))
                .map(|v| v.spec.name.clone()),
        };
        let waiting = if let Some(volume) = chosen {
            self.bind(key, &volume);
            None
        } else if mismatch.is_some() {
            mismatch
        } else if let Some(volume) = &claim.spec.volume_name {
            Some(format!(
                "volume \"{volume}\" not found, or already bound to another claim"
            ))
        } else {
            match &claim.spec.storage_class {
                None => Some(
                    "no persistent volumes available for this claim and no storage class is set"
                        .to_string(),
                ),
                Some(class_name) => match self
                    .storage
                    .classes
                    .get(&(cluster.clone(), class_name.clone()))
                    .cloned()
                {
                    None => Some(format!(
                        "storageclass.storage.k8s.io \"{class_name}\" not found"
                    )),
                    Some(class) if class.binding == BindingMode::WaitForFirstConsumer => {
                        Some(WAITING_FOR_CONSUMER.to_string())
                    }
                    Some(class) if claim.spec.provisioning_failure(&class).is_some() => {
                        claim.spec.provisioning_failure(&class)
                    }
                    Some(class) => {
                        // Immediate: the driver makes the volume now; an
                        // EBS volume goes to a zone of the cluster's
                        // choosing, whatever the pods need.
                        let zone = (class.driver == CsiDriver::Ebs)
                            .then(|| self.first_zone(&cluster, azs));
                        self.provision(key, &class, zone.flatten());
                        None
                    }
                },
            }
        };
        if let Some(c) = self.storage.claims.get_mut(&(cluster, namespace, name)) {
            c.waiting = waiting;
        }
    }

    /// The zone of the cluster's first node, or the Region's first zone.
    fn first_zone(&self, cluster: &str, azs: &[String]) -> Option<String> {
        self.nodes
            .values()
            .find(|n| n.cluster == cluster)
            .map(|n| n.az.clone())
            .or_else(|| azs.first().cloned())
    }

    fn provision(
        &mut self,
        key: &(String, String, String),
        class: &StorageClassSpec,
        zone: Option<String>,
    ) {
        self.storage.next_volume += 1;
        let name = format!(
            "pvc-{:08x}-{:04}",
            0x5eed_0000_u64 + self.storage.next_volume,
            self.storage.next_volume
        );
        let request = self.storage.claims[key].spec.request_gib;
        self.storage.volumes.insert(
            (key.0.clone(), name.clone()),
            Volume {
                spec: VolumeSpec {
                    cluster: key.0.clone(),
                    name: name.clone(),
                    driver: class.driver,
                    capacity_gib: request,
                    zone,
                    storage_class: Some(class.name.clone()),
                    access_modes: self.storage.claims[key].spec.access_modes.clone(),
                },
                claim: None,
                dynamic: true,
                released: false,
                created_at: self.storage.claims[key].created_at,
            },
        );
        self.bind(key, &name);
    }

    fn bind(&mut self, key: &(String, String, String), volume: &str) {
        let v = self
            .storage
            .volumes
            .get_mut(&(key.0.clone(), volume.to_string()))
            .expect("exists");
        v.claim = Some((key.1.clone(), key.2.clone()));
        let c = self.storage.claims.get_mut(key).expect("exists");
        c.volume = Some(volume.to_string());
        c.waiting = None;
    }

    /// A pod using a `WaitForFirstConsumer` claim was placed on a node in
    /// `zone`: the driver makes its volume there.
    pub(super) fn bind_for_consumer(
        &mut self,
        cluster: &str,
        namespace: &str,
        claim: &str,
        zone: Option<String>,
    ) {
        let key = (
            cluster.to_string(),
            namespace.to_string(),
            claim.to_string(),
        );
        let Some(c) = self.storage.claims.get(&key) else {
            return;
        };
        if c.volume.is_some() {
            return;
        }
        let class = c
            .spec
            .storage_class
            .as_ref()
            .and_then(|s| self.storage.classes.get(&(cluster.to_string(), s.clone())))
            .cloned();
        if let Some(class) = class {
            let zone = if class.driver == CsiDriver::Ebs {
                zone
            } else {
                None
            };
            self.provision(&key, &class, zone);
        }
    }

    /// Deletes a StorageClass, a PersistentVolume or a claim (`kind` is
    /// `storageclass`, `pv` or `pvc`). A claim in use by a deployment is
    /// refused here, where Kubernetes would keep it Terminating until the
    /// pods go (its protection finalizer).
    pub(super) fn delete_storage(
        &mut self,
        kind: &str,
        cluster: &str,
        namespace: &str,
        name: &str,
    ) -> Result<(), Rejection> {
        let missing = |resource: &str| {
            Rejection::new("no-storage", format!("{resource} \"{name}\" not found"))
        };
        match kind {
            "storageclass" => {
                let key = (cluster.to_string(), name.to_string());
                self.storage.class_created.remove(&key);
                self.storage
                    .classes
                    .remove(&key)
                    .map(|_| ())
                    .ok_or_else(|| missing("storageclasses.storage.k8s.io"))
            }
            "pv" => {
                let key = (cluster.to_string(), name.to_string());
                let v = self
                    .storage
                    .volumes
                    .get(&key)
                    .ok_or_else(|| missing("persistentvolumes"))?;
                if let Some((ns, claim)) = v.claim.clone() {
                    if let Some(c) = self
                        .storage
                        .claims
                        .get_mut(&(cluster.to_string(), ns, claim))
                    {
                        c.volume = None;
                        c.waiting =
                            Some(format!("its volume {name} was deleted (the claim is Lost)"));
                    }
                }
                self.storage.volumes.remove(&key);
                Ok(())
            }
            _ => {
                let key = (cluster.to_string(), namespace.to_string(), name.to_string());
                if !self.storage.claims.contains_key(&key) {
                    return Err(missing("persistentvolumeclaims"));
                }
                if let Some(d) = self.deployments.values().find(|d| {
                    d.cluster == cluster
                        && d.namespace == namespace
                        && d.claim.as_deref() == Some(name)
                }) {
                    return Err(Rejection::new(
                        "storage-in-use",
                        format!(
                            "persistentvolumeclaim \"{name}\" is used by deployment {}: Kubernetes keeps it Terminating until no pod uses it; delete the deployment first",
                            d.name
                        ),
                    ));
                }
                let claim = self.storage.claims.remove(&key).expect("checked");
                if let Some(volume) = claim.volume {
                    let key = (cluster.to_string(), volume);
                    // Dynamic volumes are deleted with their claim (the
                    // default Delete reclaim policy); static ones are
                    // Released and kept.
                    if self.storage.volumes.get(&key).is_some_and(|v| v.dynamic) {
                        self.storage.volumes.remove(&key);
                    } else if let Some(v) = self.storage.volumes.get_mut(&key) {
                        v.claim = None;
                        v.released = true;
                    }
                }
                Ok(())
            }
        }
    }
}

impl Eks {
    /// Whether the claim has no volume yet (it waits for its first pod).
    pub(super) fn volume_unbound(&self, cluster: &str, namespace: &str, claim: &str) -> bool {
        self.storage
            .claims
            .get(&(
                cluster.to_string(),
                namespace.to_string(),
                claim.to_string(),
            ))
            .is_some_and(|c| c.volume.is_none())
    }
}
