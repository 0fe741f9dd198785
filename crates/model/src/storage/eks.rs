//! EKS storage through CSI drivers, and Fargate pod storage (rules §5.2,
//! §7.3, §10 point 13).
//!
//! Access modes follow the drivers' own code as well as the EKS guide: the
//! EBS, EFS and FSx for Lustre drivers advertise only the CSI modes "single
//! node writer" (ReadWriteOnce) and "multi node multi writer"
//! (ReadWriteMany); the EBS driver accepts the latter only for io2 block
//! volumes with multi-attach.

use serde::{Deserialize, Serialize};

use super::{Scope, Support};

/// A CSI driver that gives EKS pods persistent volumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CsiDriver {
    /// Amazon EBS CSI driver.
    Ebs,
    /// Amazon EFS CSI driver.
    Efs,
    /// Amazon FSx for Lustre CSI driver.
    FsxLustre,
    /// FSx for NetApp ONTAP, through NetApp's Trident CSI driver.
    FsxOntapTrident,
    /// Amazon FSx for OpenZFS CSI driver.
    FsxOpenZfs,
    /// Amazon File Cache CSI driver (a Lustre-based cache).
    FileCache,
    /// Mountpoint for Amazon S3 CSI driver: an S3 bucket as a file system.
    MountpointS3,
}

impl CsiDriver {
    /// Every driver the EKS user guide documents, in its order.
    pub const ALL: [CsiDriver; 7] = [
        CsiDriver::Ebs,
        CsiDriver::Efs,
        CsiDriver::FsxLustre,
        CsiDriver::FsxOntapTrident,
        CsiDriver::FsxOpenZfs,
        CsiDriver::FileCache,
        CsiDriver::MountpointS3,
    ];

    /// The driver name a StorageClass's `provisioner` or a PV's `csi.driver`
    /// names.
    pub fn name(self) -> &'static str {
        match self {
            CsiDriver::Ebs => "ebs.csi.aws.com",
            CsiDriver::Efs => "efs.csi.aws.com",
            CsiDriver::FsxLustre => "fsx.csi.aws.com",
            CsiDriver::FsxOntapTrident => "csi.trident.netapp.io",
            CsiDriver::FsxOpenZfs => "fsx.openzfs.csi.aws.com",
            CsiDriver::FileCache => "filecache.csi.aws.com",
            CsiDriver::MountpointS3 => "s3.csi.aws.com",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CsiDriver::Ebs => "Amazon EBS CSI driver",
            CsiDriver::Efs => "Amazon EFS CSI driver",
            CsiDriver::FsxLustre => "FSx for Lustre CSI driver",
            CsiDriver::FsxOntapTrident => "FSx for NetApp ONTAP (Trident)",
            CsiDriver::FsxOpenZfs => "FSx for OpenZFS CSI driver",
            CsiDriver::FileCache => "Amazon File Cache CSI driver",
            CsiDriver::MountpointS3 => "Mountpoint for Amazon S3 CSI driver",
        }
    }

    /// How far a volume reaches: pods in other AZs cannot use a zonal one.
    pub fn scope(self) -> Scope {
        match self {
            CsiDriver::Efs | CsiDriver::MountpointS3 => Scope::Region,
            CsiDriver::Ebs
            | CsiDriver::FsxLustre
            | CsiDriver::FsxOntapTrident
            | CsiDriver::FsxOpenZfs
            | CsiDriver::FileCache => Scope::AvailabilityZone,
        }
    }

    pub fn scope_note(self) -> &'static str {
        match self {
            CsiDriver::Ebs => {
                "An EBS volume lives in one AZ: a pod using it can only be scheduled on a node in that AZ."
            }
            CsiDriver::Efs => "EFS is regional: pods in every AZ with a mount target share it.",
            CsiDriver::FsxLustre => "A Lustre file system lives in one subnet, so in one AZ.",
            CsiDriver::FsxOntapTrident => {
                "A Single-AZ ONTAP file system lives in one AZ; a Multi-AZ one fails over to a standby AZ."
            }
            CsiDriver::FsxOpenZfs => {
                "A Single-AZ OpenZFS file system lives in one AZ; a Multi-AZ one fails over to a standby AZ."
            }
            CsiDriver::FileCache => "A cache lives in one subnet, so in one AZ.",
            CsiDriver::MountpointS3 => {
                "An S3 bucket is regional: pods in every AZ reach it over the network."
            }
        }
    }
}

/// The operating system of EKS nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum NodeOs {
    Linux,
    Windows,
}

/// Where an EKS pod runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EksCompute {
    /// EC2 nodes in an EKS managed node group.
    ManagedNodeGroup(NodeOs),
    /// EC2 nodes in an Auto Scaling group you run yourself.
    SelfManagedNodes(NodeOs),
    /// One pod per Fargate micro-VM (Linux only).
    Fargate,
}

impl EksCompute {
    pub const ALL: [EksCompute; 5] = [
        EksCompute::ManagedNodeGroup(NodeOs::Linux),
        EksCompute::ManagedNodeGroup(NodeOs::Windows),
        EksCompute::SelfManagedNodes(NodeOs::Linux),
        EksCompute::SelfManagedNodes(NodeOs::Windows),
        EksCompute::Fargate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EksCompute::ManagedNodeGroup(NodeOs::Linux) => "Managed nodes (Linux)",
            EksCompute::ManagedNodeGroup(NodeOs::Windows) => "Managed nodes (Windows)",
            EksCompute::SelfManagedNodes(NodeOs::Linux) => "Self-managed nodes (Linux)",
            EksCompute::SelfManagedNodes(NodeOs::Windows) => "Self-managed nodes (Windows)",
            EksCompute::Fargate => "Fargate",
        }
    }

    fn os(self) -> NodeOs {
        match self {
            EksCompute::ManagedNodeGroup(os) | EksCompute::SelfManagedNodes(os) => os,
            EksCompute::Fargate => NodeOs::Linux,
        }
    }
}

/// A PersistentVolume access mode (also the simulation's, `sim::eks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AccessMode {
    /// Read-write by the pods of a single node.
    ReadWriteOnce,
    /// Read-only by many nodes.
    ReadOnlyMany,
    /// Read-write by many nodes.
    ReadWriteMany,
    /// Read-write by a single pod.
    ReadWriteOncePod,
}

impl AccessMode {
    pub const ALL: [AccessMode; 4] = [
        AccessMode::ReadWriteOnce,
        AccessMode::ReadOnlyMany,
        AccessMode::ReadWriteMany,
        AccessMode::ReadWriteOncePod,
    ];

    /// As Kubernetes spells it in `accessModes`.
    pub fn name(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "ReadWriteOnce",
            AccessMode::ReadOnlyMany => "ReadOnlyMany",
            AccessMode::ReadWriteMany => "ReadWriteMany",
            AccessMode::ReadWriteOncePod => "ReadWriteOncePod",
        }
    }

    /// The short form kubectl prints.
    pub fn short(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "RWO",
            AccessMode::ReadOnlyMany => "ROX",
            AccessMode::ReadWriteMany => "RWX",
            AccessMode::ReadWriteOncePod => "RWOP",
        }
    }

    pub fn from_name(name: &str) -> Option<AccessMode> {
        AccessMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The CSI volume capability a provisioner is asked for.
    pub fn csi(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "SINGLE_NODE_WRITER",
            AccessMode::ReadOnlyMany => "MULTI_NODE_READER_ONLY",
            AccessMode::ReadWriteMany => "MULTI_NODE_MULTI_WRITER",
            AccessMode::ReadWriteOncePod => "SINGLE_NODE_SINGLE_WRITER",
        }
    }
}

/// How the PersistentVolume comes to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Provisioning {
    /// An administrator creates the PersistentVolume for existing storage.
    Static,
    /// A StorageClass makes the driver create storage for each claim.
    Dynamic,
}

/// Whether a pod on `compute` can use a volume from `driver` with
/// `access_mode`, provisioned `provisioning`.
///
/// The first refusal wins, checked in the order a learner meets them: the
/// compute, the operating system, the access mode, then provisioning. With
/// no refusal, the first unverified answer is returned; otherwise the access
/// mode's explanation.
pub fn csi_support(
    driver: CsiDriver,
    compute: EksCompute,
    access_mode: AccessMode,
    provisioning: Provisioning,
) -> Support {
    let checks = [
        compute_support(driver, compute, provisioning),
        os_support(driver, compute.os()),
        access_mode_support(driver, access_mode),
        provisioning_support(driver, provisioning),
    ];
    if let Some(refused) = checks.iter().find(|s| matches!(s, Support::Refused(_))) {
        return *refused;
    }
    if let Some(unverified) = checks.iter().find(|s| matches!(s, Support::Unverified(_))) {
        return *unverified;
    }
    checks[2]
}

fn compute_support(driver: CsiDriver, compute: EksCompute, provisioning: Provisioning) -> Support {
    use Support::*;
    if compute != EksCompute::Fargate {
        return Supported("The driver's node plugin runs as a DaemonSet on EC2 nodes.");
    }
    match (driver, provisioning) {
        (CsiDriver::Ebs, _) => Refused(
            "You can't mount Amazon EBS volumes to Fargate Pods: the driver's node plugin is a DaemonSet, and Fargate runs none.",
        ),
        (CsiDriver::Efs, Provisioning::Static) => {
            Supported("Fargate mounts EFS itself; there is no driver to install.")
        }
        (CsiDriver::Efs, Provisioning::Dynamic) => Refused(
            "On Fargate, EFS works with static provisioning only: create the PersistentVolume yourself; dynamic provisioning is not available.",
        ),
        (CsiDriver::FsxLustre, _) => {
            Refused("The FSx for Lustre CSI driver isn't supported on Fargate.")
        }
        // The EKS guide says nothing either way; Fargate runs no DaemonSets
        // and Trident's node plugin is one, so Dockyard refuses it, saying
        // that the refusal is an inference.
        (CsiDriver::FsxOntapTrident, _) => Refused(
            "Not documented for Fargate (uncertain): Trident's node plugin is a DaemonSet, which Fargate does not run, so Dockyard assumes it does not work.",
        ),
        (CsiDriver::FsxOpenZfs | CsiDriver::FileCache, _) => Refused(
            "Not documented for Fargate (uncertain): the driver's node plugin is a privileged DaemonSet, which Fargate does not run, so Dockyard assumes it does not work.",
        ),
        // s3-csi.html
        (CsiDriver::MountpointS3, _) => Refused(
            "The Mountpoint for Amazon S3 CSI driver doesn't support AWS Fargate; pods on EC2 nodes can use it.",
        ),
    }
}

fn os_support(driver: CsiDriver, os: NodeOs) -> Support {
    use Support::*;
    match (driver, os) {
        (_, NodeOs::Linux) => Supported("Linux nodes."),
        (CsiDriver::Efs, NodeOs::Windows) => {
            Refused("The EFS CSI driver is not compatible with Windows container images.")
        }
        (CsiDriver::Ebs, NodeOs::Windows) => Unverified(
            "EBS volumes on Windows nodes were not verified for Dockyard's reference.",
        ),
        (CsiDriver::FsxLustre, NodeOs::Windows) => Unverified(
            "Lustre clients are Linux software; Windows nodes were not verified for Dockyard's reference.",
        ),
        (CsiDriver::FsxOntapTrident, NodeOs::Windows) => Unverified(
            "Trident on Windows nodes was not verified for Dockyard's reference.",
        ),
        (CsiDriver::FsxOpenZfs, NodeOs::Windows) => Unverified(
            "FSx for OpenZFS on Windows nodes was not verified for Dockyard's reference.",
        ),
        (CsiDriver::FileCache, NodeOs::Windows) => Unverified(
            "File Cache clients are Lustre, Linux software; the driver's node plugin selects Linux nodes. Windows was not verified for Dockyard's reference.",
        ),
        (CsiDriver::MountpointS3, NodeOs::Windows) => Refused(
            "The Mountpoint for Amazon S3 CSI driver isn't compatible with Windows-based container images.",
        ),
    }
}

/// Whether `driver` makes volumes that `mode` can mount.
pub fn access_mode_support(driver: CsiDriver, mode: AccessMode) -> Support {
    use AccessMode::*;
    use Support::*;
    match (driver, mode) {
        (CsiDriver::Ebs, ReadWriteOnce) => Supported(
            "An EBS volume attaches to one node at a time: pods on that node can share it.",
        ),
        (CsiDriver::Ebs, ReadWriteMany) => Refused(
            "An EBS volume attaches to one node (ReadWriteOnce). The one exception, io2 in Block mode with multi-attach, gives raw blocks whose writers your application must coordinate; use EFS for a shared file system.",
        ),
        (CsiDriver::Ebs, ReadOnlyMany) => Refused(
            "An EBS volume attaches to one node, so many nodes cannot mount it, even read-only.",
        ),
        (CsiDriver::Efs, ReadWriteOnce | ReadWriteMany) => Supported(
            "EFS is a shared file system: pods on many nodes can read and write it at once.",
        ),
        (CsiDriver::FsxLustre, ReadWriteOnce | ReadWriteMany) => Supported(
            "Lustre is a shared file system: pods on many nodes can read and write it at once.",
        ),
        (CsiDriver::Efs | CsiDriver::FsxLustre, ReadOnlyMany) => Unverified(
            "The driver was not seen to offer a read-only-many mode; mount a ReadWriteMany volume with readOnly instead.",
        ),
        (CsiDriver::FsxOntapTrident, ReadWriteOnce | ReadWriteMany) => Supported(
            "ONTAP NAS volumes are shared over NFS or SMB: pods on many nodes can use them.",
        ),
        (CsiDriver::FsxOntapTrident, ReadOnlyMany) => Unverified(
            "ReadOnlyMany with Trident was not verified for Dockyard's reference.",
        ),
        (CsiDriver::FsxOpenZfs, ReadWriteOnce | ReadWriteMany) => Supported(
            "OpenZFS volumes are shared over NFS: pods on many nodes can read and write them at once.",
        ),
        (CsiDriver::FileCache, ReadWriteOnce | ReadWriteMany) => Supported(
            "A File Cache is a Lustre file system: pods on many nodes can read and write it at once.",
        ),
        (CsiDriver::FsxOpenZfs | CsiDriver::FileCache, ReadOnlyMany) => Unverified(
            "ReadOnlyMany with this driver was not verified for Dockyard's reference.",
        ),
        (CsiDriver::MountpointS3, ReadWriteMany | ReadOnlyMany) => Supported(
            "Pods on many nodes can mount the bucket; Mountpoint writes new objects sequentially and cannot modify existing ones.",
        ),
        (CsiDriver::MountpointS3, ReadWriteOnce) => Unverified(
            "The driver's examples offer ReadWriteMany and ReadOnlyMany; ReadWriteOnce was not verified for Dockyard's reference.",
        ),
        (_, ReadWriteOncePod) => Unverified(
            "Kubernetes enforces ReadWriteOncePod itself (one pod only); whether this driver accepts it was not verified for Dockyard's reference.",
        ),
    }
}

fn provisioning_support(driver: CsiDriver, provisioning: Provisioning) -> Support {
    use Provisioning::*;
    use Support::*;
    match (driver, provisioning) {
        (CsiDriver::Ebs, Dynamic) => {
            Supported("A StorageClass makes the driver create an EBS volume for each claim.")
        }
        (CsiDriver::Efs, Dynamic) => Supported(
            "On EC2 nodes the driver provisions dynamically, with an EFS access point per claim.",
        ),
        (CsiDriver::FsxLustre, Dynamic) => Supported(
            "A StorageClass makes the driver create a Lustre file system for each claim.",
        ),
        (CsiDriver::FsxOntapTrident, Dynamic) => {
            Supported("Trident creates an ONTAP volume for each claim.")
        }
        (CsiDriver::FsxOpenZfs, Dynamic) => Supported(
            "A StorageClass makes the driver create an OpenZFS file system or volume for each claim.",
        ),
        (CsiDriver::FileCache, Dynamic) => {
            Supported("A StorageClass makes the driver create a cache for each claim.")
        }
        // s3-csi.html
        (CsiDriver::MountpointS3, Dynamic) => Refused(
            "The Mountpoint for Amazon S3 CSI driver supports only static provisioning: dynamic provisioning, or creation of new buckets, isn't supported. Name an existing bucket in a PersistentVolume.",
        ),
        (
            CsiDriver::Ebs
            | CsiDriver::Efs
            | CsiDriver::FsxLustre
            | CsiDriver::FsxOpenZfs
            | CsiDriver::FileCache
            | CsiDriver::MountpointS3,
            Static,
        ) => Supported("A PersistentVolume can name storage that already exists."),
        (CsiDriver::FsxOntapTrident, Static) => Unverified(
            "Importing an existing ONTAP volume through Trident was not verified for Dockyard's reference.",
        ),
    }
}

/// Ephemeral storage of an EKS Fargate pod when nothing asks for more.
pub const FARGATE_POD_EPHEMERAL_DEFAULT_GIB: u32 = 20;
/// The most ephemeral storage an EKS Fargate pod can ask for.
pub const FARGATE_POD_EPHEMERAL_MAX_GIB: u32 = 175;

/// The ephemeral storage an EKS Fargate pod gets for its containers'
/// `ephemeral-storage` requests (summed, in GiB; `None` for no request).
///
/// It is deleted when the pod stops. Fargate also over-provisions a little
/// (a 100 GiB request becomes 115 GiB), and a little of the default is used
/// by the system; the rule behind those figures is not documented, so they
/// are not modelled.
pub fn fargate_pod_ephemeral_storage_gib(requested_gib: Option<u32>) -> Result<u32, String> {
    match requested_gib {
        Some(gib) if gib > FARGATE_POD_EPHEMERAL_MAX_GIB => Err(format!(
            "the pod asks for {gib} GiB of ephemeral storage; a Fargate pod can have at most {FARGATE_POD_EPHEMERAL_MAX_GIB} GiB"
        )),
        Some(gib) => Ok(gib.max(FARGATE_POD_EPHEMERAL_DEFAULT_GIB)),
        None => Ok(FARGATE_POD_EPHEMERAL_DEFAULT_GIB),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccessMode::*;
    use CsiDriver::*;
    use Provisioning::*;

    const LINUX_NODES: EksCompute = EksCompute::ManagedNodeGroup(NodeOs::Linux);
    const SELF_MANAGED: EksCompute = EksCompute::SelfManagedNodes(NodeOs::Linux);
    const WINDOWS_NODES: EksCompute = EksCompute::ManagedNodeGroup(NodeOs::Windows);

    fn refused(s: Support) -> bool {
        matches!(s, Support::Refused(_))
    }

    fn unverified(s: Support) -> bool {
        matches!(s, Support::Unverified(_))
    }

    #[test]
    fn driver_names_are_the_real_ones() {
        assert_eq!(Ebs.name(), "ebs.csi.aws.com");
        assert_eq!(Efs.name(), "efs.csi.aws.com");
        assert_eq!(FsxLustre.name(), "fsx.csi.aws.com");
        assert_eq!(FsxOntapTrident.name(), "csi.trident.netapp.io");
        assert_eq!(FsxOpenZfs.name(), "fsx.openzfs.csi.aws.com");
        assert_eq!(FileCache.name(), "filecache.csi.aws.com");
        assert_eq!(MountpointS3.name(), "s3.csi.aws.com");
    }

    #[test]
    fn mountpoint_for_s3_is_static_only_and_not_on_fargate_or_windows() {
        assert!(refused(csi_support(
            MountpointS3,
            LINUX_NODES,
            ReadWriteMany,
            Dynamic
        )));
        assert!(csi_support(MountpointS3, LINUX_NODES, ReadWriteMany, Static).is_supported());
        assert!(csi_support(MountpointS3, LINUX_NODES, ReadOnlyMany, Static).is_supported());
        assert!(refused(csi_support(
            MountpointS3,
            EksCompute::Fargate,
            ReadWriteMany,
            Static
        )));
        assert!(refused(csi_support(
            MountpointS3,
            WINDOWS_NODES,
            ReadWriteMany,
            Static
        )));
        assert_eq!(MountpointS3.scope(), Scope::Region);
    }

    #[test]
    fn only_efs_mounts_on_fargate_among_every_documented_driver() {
        for driver in CsiDriver::ALL {
            let fargate = csi_support(driver, EksCompute::Fargate, ReadWriteMany, Static);
            assert_eq!(fargate.is_supported(), driver == Efs, "{driver:?}");
        }
    }

    #[test]
    fn ebs_is_read_write_once_on_ec2_nodes_static_or_dynamic() {
        for compute in [LINUX_NODES, SELF_MANAGED] {
            for provisioning in [Static, Dynamic] {
                assert!(csi_support(Ebs, compute, ReadWriteOnce, provisioning).is_supported());
            }
        }
    }

    #[test]
    fn ebs_refuses_read_write_many_and_names_the_io2_exception() {
        let verdict = csi_support(Ebs, LINUX_NODES, ReadWriteMany, Dynamic);
        assert!(refused(verdict));
        assert!(verdict.note().contains("io2"), "{}", verdict.note());
        assert!(verdict.note().contains("Block"));
        assert!(refused(csi_support(Ebs, LINUX_NODES, ReadOnlyMany, Static)));
    }

    #[test]
    fn ebs_cannot_be_mounted_by_fargate_pods_in_any_mode() {
        for mode in AccessMode::ALL {
            for provisioning in [Static, Dynamic] {
                let verdict = csi_support(Ebs, EksCompute::Fargate, mode, provisioning);
                assert!(refused(verdict), "{mode:?} {provisioning:?}");
                assert!(verdict
                    .note()
                    .starts_with("You can't mount Amazon EBS volumes to Fargate Pods"));
            }
        }
    }

    #[test]
    fn efs_is_read_write_many_everywhere_on_linux() {
        for compute in [LINUX_NODES, SELF_MANAGED, EksCompute::Fargate] {
            assert!(
                csi_support(Efs, compute, ReadWriteMany, Static).is_supported(),
                "{compute:?}"
            );
        }
    }

    #[test]
    fn efs_on_fargate_is_static_provisioning_only() {
        let verdict = csi_support(Efs, EksCompute::Fargate, ReadWriteMany, Dynamic);
        assert!(refused(verdict));
        assert!(verdict.note().contains("static provisioning only"));
        assert!(csi_support(Efs, LINUX_NODES, ReadWriteMany, Dynamic).is_supported());
    }

    #[test]
    fn efs_refuses_windows_nodes() {
        for compute in [WINDOWS_NODES, EksCompute::SelfManagedNodes(NodeOs::Windows)] {
            let verdict = csi_support(Efs, compute, ReadWriteMany, Static);
            assert!(refused(verdict));
            assert!(verdict.note().contains("Windows"));
        }
    }

    #[test]
    fn fsx_for_lustre_is_not_for_fargate() {
        for mode in AccessMode::ALL {
            let verdict = csi_support(FsxLustre, EksCompute::Fargate, mode, Static);
            assert!(refused(verdict));
            assert!(verdict.note().contains("isn't supported on Fargate"));
        }
        assert!(csi_support(FsxLustre, LINUX_NODES, ReadWriteMany, Dynamic).is_supported());
    }

    #[test]
    fn ontap_on_fargate_is_refused_and_says_it_is_uncertain() {
        let verdict = csi_support(FsxOntapTrident, EksCompute::Fargate, ReadWriteMany, Dynamic);
        assert!(refused(verdict));
        assert!(verdict.note().contains("Not documented"));
        assert!(verdict.note().contains("uncertain"));
        assert!(csi_support(FsxOntapTrident, LINUX_NODES, ReadWriteMany, Dynamic).is_supported());
        assert!(unverified(csi_support(
            FsxOntapTrident,
            LINUX_NODES,
            ReadWriteMany,
            Static
        )));
    }

    #[test]
    fn unverified_answers_never_hide_a_refusal() {
        // Windows is unverified for EBS, but read-write-many is refused.
        assert!(refused(csi_support(
            Ebs,
            WINDOWS_NODES,
            ReadWriteMany,
            Static
        )));
        assert!(unverified(csi_support(
            Ebs,
            WINDOWS_NODES,
            ReadWriteOnce,
            Static
        )));
        // ReadWriteOncePod is unverified, but Fargate still refuses EBS.
        assert!(refused(csi_support(
            Ebs,
            EksCompute::Fargate,
            ReadWriteOncePod,
            Static
        )));
    }

    #[test]
    fn on_fargate_the_only_yes_is_efs_with_static_provisioning() {
        let mut fargate_yes = Vec::new();
        for driver in CsiDriver::ALL {
            for compute in EksCompute::ALL {
                for mode in AccessMode::ALL {
                    for provisioning in [Static, Dynamic] {
                        let verdict = csi_support(driver, compute, mode, provisioning);
                        assert!(verdict.note().ends_with('.'), "{verdict:?}");
                        if verdict.is_supported() && compute == EksCompute::Fargate {
                            fargate_yes.push((driver, mode, provisioning));
                        }
                    }
                }
            }
        }
        assert_eq!(
            fargate_yes,
            vec![(Efs, ReadWriteOnce, Static), (Efs, ReadWriteMany, Static)]
        );
    }

    #[test]
    fn only_efs_and_s3_reach_across_zones() {
        let regional: Vec<CsiDriver> = CsiDriver::ALL
            .into_iter()
            .filter(|d| d.scope() == Scope::Region)
            .collect();
        assert_eq!(regional, vec![Efs, MountpointS3]);
    }

    #[test]
    fn fargate_pod_storage_is_20_gib_by_default_and_at_most_175() {
        assert_eq!(fargate_pod_ephemeral_storage_gib(None), Ok(20));
        assert_eq!(fargate_pod_ephemeral_storage_gib(Some(5)), Ok(20));
        assert_eq!(fargate_pod_ephemeral_storage_gib(Some(100)), Ok(100));
        assert_eq!(fargate_pod_ephemeral_storage_gib(Some(175)), Ok(175));
        let error = fargate_pod_ephemeral_storage_gib(Some(176)).unwrap_err();
        assert!(
            error.contains("176 GiB") && error.contains("175 GiB"),
            "{error}"
        );
    }
}
