//! Storage: ECS volume types, where each one works and what survives (rules
//! §5.1, §10 points 12 and 13); EKS CSI storage (rules §5.2, §7.3); and
//! simulated files that a learner can watch survive or vanish.
//!
//! - [`support`] and [`durability`]: the ECS volume-type table.
//! - [`survives`]: one row of that table per [`DataEvent`], with the reason.
//! - [`eks`]: CSI drivers × EKS compute × access mode × provisioning.
//! - [`files`]: a [`FileStore`] keyed by what actually holds the bytes.

pub mod attach;
pub mod eks;
pub mod files;
mod persistence;

use serde::Serialize;

use crate::taskdef::Volume;

pub use eks::{
    csi_support, fargate_pod_ephemeral_storage_gib, AccessMode, CsiDriver, EksCompute, NodeOs,
    Provisioning, FARGATE_POD_EPHEMERAL_DEFAULT_GIB, FARGATE_POD_EPHEMERAL_MAX_GIB,
};
pub use files::{
    resolve, DataLost, FileStore, FsxDeployment, Host, Location, StoreError, TaskPlacement,
};
pub use persistence::{survives, DataEvent, Survival};

/// Where a container's data can live in ECS: no volume at all (the
/// container's writable layer) or one of the task definition's volume kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum VolumeType {
    /// No volume: files written into the container's own filesystem.
    WritableLayer,
    /// `host: {}` or an empty volume: a bind mount with no source path.
    BindMount,
    /// `host.sourcePath`: a directory on the container instance.
    HostPath,
    /// `dockerVolumeConfiguration` with `scope: task` (the default scope).
    DockerVolumeTaskScope,
    /// `dockerVolumeConfiguration` with `scope: shared`.
    DockerVolumeShared,
    /// `efsVolumeConfiguration`: an Amazon EFS file system.
    Efs,
    /// `fsxWindowsFileServerVolumeConfiguration`.
    FsxWindows,
    /// A volume with `configuredAtLaunch: true`, given an EBS volume at launch.
    Ebs,
    /// Fargate's task storage (`ephemeralStorage`).
    FargateEphemeral,
}

impl VolumeType {
    /// The writable layer first: it is the baseline every volume improves on.
    pub const ALL: [VolumeType; 9] = [
        VolumeType::WritableLayer,
        VolumeType::BindMount,
        VolumeType::HostPath,
        VolumeType::DockerVolumeTaskScope,
        VolumeType::DockerVolumeShared,
        VolumeType::Efs,
        VolumeType::FsxWindows,
        VolumeType::Ebs,
        VolumeType::FargateEphemeral,
    ];

    pub fn label(self) -> &'static str {
        match self {
            VolumeType::WritableLayer => "Container writable layer (no volume)",
            VolumeType::BindMount => "Bind mount, no source path",
            VolumeType::HostPath => "Bind mount with host.sourcePath",
            VolumeType::DockerVolumeTaskScope => "Docker volume, task scope",
            VolumeType::DockerVolumeShared => "Docker volume, shared scope",
            VolumeType::Efs => "Amazon EFS",
            VolumeType::FsxWindows => "FSx for Windows File Server",
            VolumeType::Ebs => "Amazon EBS (configured at launch)",
            VolumeType::FargateEphemeral => "Fargate ephemeral storage",
        }
    }

    /// The kind of a task definition volume.
    ///
    /// A volume should set at most one kind (the validator reports
    /// `volume-kinds` otherwise); if several are set, the first of EFS, FSx
    /// for Windows File Server, `configuredAtLaunch`, Docker volume and host
    /// wins. A Docker volume without a scope is task-scoped, as in ECS, and
    /// an empty `sourcePath` is treated like none.
    pub fn of(volume: &Volume) -> VolumeType {
        if volume.efs_volume_configuration.is_some() {
            VolumeType::Efs
        } else if volume
            .fsx_windows_file_server_volume_configuration
            .is_some()
        {
            VolumeType::FsxWindows
        } else if volume.configured_at_launch == Some(true) {
            VolumeType::Ebs
        } else if let Some(docker) = &volume.docker_volume_configuration {
            match docker.scope.as_deref() {
                Some("shared") => VolumeType::DockerVolumeShared,
                _ => VolumeType::DockerVolumeTaskScope,
            }
        } else if volume
            .host
            .as_ref()
            .and_then(|host| host.source_path.as_deref())
            .is_some_and(|path| !path.is_empty())
        {
            VolumeType::HostPath
        } else {
            VolumeType::BindMount
        }
    }
}

/// A launch type and operating system: the columns of the volume table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EcsPlatform {
    Ec2Linux,
    Ec2Windows,
    FargateLinux,
    FargateWindows,
}

impl EcsPlatform {
    pub const ALL: [EcsPlatform; 4] = [
        EcsPlatform::Ec2Linux,
        EcsPlatform::Ec2Windows,
        EcsPlatform::FargateLinux,
        EcsPlatform::FargateWindows,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EcsPlatform::Ec2Linux => "EC2 Linux",
            EcsPlatform::Ec2Windows => "EC2 Windows",
            EcsPlatform::FargateLinux => "Fargate Linux",
            EcsPlatform::FargateWindows => "Fargate Windows",
        }
    }

    fn is_fargate(self) -> bool {
        matches!(
            self,
            EcsPlatform::FargateLinux | EcsPlatform::FargateWindows
        )
    }
}

/// A verdict with its reason, in a learner's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Support {
    Supported(&'static str),
    Refused(&'static str),
    /// Dockyard's reference could not confirm either way.
    Unverified(&'static str),
}

impl Support {
    pub fn is_supported(self) -> bool {
        matches!(self, Support::Supported(_))
    }

    pub fn note(self) -> &'static str {
        match self {
            Support::Supported(note) | Support::Refused(note) | Support::Unverified(note) => note,
        }
    }
}

/// Whether `volume` can be used by a task on `platform`.
pub fn support(volume: VolumeType, platform: EcsPlatform) -> Support {
    use EcsPlatform::*;
    use Support::*;
    use VolumeType::*;
    match (volume, platform) {
        (WritableLayer, Ec2Linux | Ec2Windows) => {
            Supported("Every container has one, on the instance's disk; it is not a volume.")
        }
        (WritableLayer, FargateLinux | FargateWindows) => {
            Supported("Every container has one, in the task's ephemeral storage.")
        }
        (BindMount, Ec2Linux | Ec2Windows) => {
            Supported("Stored on the instance's disk for the task's life.")
        }
        (BindMount, FargateLinux | FargateWindows) => {
            Supported("Uses the task's ephemeral storage.")
        }
        (HostPath, Ec2Linux) => Supported("A directory on that one instance."),
        (HostPath, Ec2Windows) => {
            Supported("A directory on that one instance, on the same drive as Docker's data.")
        }
        (HostPath, _) => Refused("Fargate gives you no host: host.sourcePath is not supported."),
        (DockerVolumeTaskScope | DockerVolumeShared, Ec2Linux) => {
            Supported("Managed by Docker on the instance.")
        }
        (DockerVolumeTaskScope | DockerVolumeShared, Ec2Windows) => {
            Supported("Only the local driver on Windows.")
        }
        (DockerVolumeTaskScope | DockerVolumeShared, _) => {
            Refused("Fargate does not support dockerVolumeConfiguration.")
        }
        (Efs, Ec2Linux) => Supported("Mounted through the instance's EFS mount helper."),
        (Efs, FargateLinux) => Supported("Needs Fargate platform version 1.4.0 or later."),
        (Efs, Ec2Windows | FargateWindows) => {
            Refused("EFS volumes are not supported for Windows containers.")
        }
        (FsxWindows, Ec2Windows) => {
            Supported("The instance must be joined to the file system's Active Directory domain.")
        }
        (FsxWindows, Ec2Linux) => {
            Refused("FSx for Windows File Server volumes need Windows container instances.")
        }
        (FsxWindows, _) => Refused("Fargate does not support FSx for Windows File Server volumes."),
        (Ebs, Ec2Linux | FargateLinux) => {
            Supported("One EBS volume per task, given at launch (configuredAtLaunch).")
        }
        // using_data_volumes.html: EBS is for "Linux, Windows (on Amazon EC2
        // only)".
        (Ebs, Ec2Windows) => {
            Supported("One EBS volume per task, given at launch (configuredAtLaunch); Windows tasks get it on EC2 only.")
        }
        (Ebs, FargateWindows) => Refused(
            "EBS volumes are supported for Windows tasks on EC2 only, not on Fargate Windows.",
        ),
        (FargateEphemeral, platform) if platform.is_fargate() => {
            Supported("20 GiB by default; ephemeralStorage sets 21 to 200 GiB.")
        }
        (FargateEphemeral, _) => {
            Refused("Ephemeral storage is a Fargate setting; EC2 tasks use the instance's disk.")
        }
    }
}

/// How far the data reaches and how long it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scope {
    /// Only that one container sees it.
    Container,
    /// Only the task's containers see it.
    Task,
    /// Tasks on the same container instance can see it.
    Instance,
    /// One Availability Zone.
    AvailabilityZone,
    /// The whole Region, from every Availability Zone with a mount target.
    Region,
}

/// A summary of [`survives`] for tables: three of its events plus the scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Durability {
    pub survives_task_stop: bool,
    /// Still reachable by a replacement task on another instance.
    pub survives_instance_loss: bool,
    pub survives_az_loss: bool,
    pub scope: Scope,
    pub note: &'static str,
}

/// Derived from [`survives`], so the summary table and the per-event
/// answers can never disagree.
pub fn durability(volume: VolumeType) -> Durability {
    use Scope::*;
    use VolumeType::*;
    let (scope, note) = match volume {
        WritableLayer => (
            Container,
            "Lives and dies with the container: a new container starts from the image.",
        ),
        BindMount => (Task, "Deleted when the task stops."),
        HostPath => (
            Instance,
            "Stays on that instance; a replacement task elsewhere cannot see it.",
        ),
        DockerVolumeTaskScope => (Task, "Created at task start, destroyed at task stop."),
        DockerVolumeShared => (
            Instance,
            "Outlives the task, but with the local driver only on that instance.",
        ),
        Efs => (
            Region,
            "Regional and shared: any task with a mount target in its AZ can mount it.",
        ),
        FsxWindows => (
            AvailabilityZone,
            "Persistent and shared; survives an AZ loss only when the file system is Multi-AZ.",
        ),
        Ebs => (
            AvailabilityZone,
            "Deleted when the task stops by default; an EBS volume lives in one AZ.",
        ),
        FargateEphemeral => (Task, "Lost when the task stops."),
    };
    Durability {
        survives_task_stop: survives(volume, DataEvent::TaskStop).kept,
        survives_instance_loss: survives(volume, DataEvent::ReplacementOtherInstance).kept,
        survives_az_loss: survives(volume, DataEvent::AzLoss).kept,
        scope,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taskdef::{DockerVolumeConfiguration, EfsVolumeConfiguration, HostVolume};

    #[test]
    fn fargate_refuses_host_paths_and_docker_volumes() {
        for platform in [EcsPlatform::FargateLinux, EcsPlatform::FargateWindows] {
            for volume in [
                VolumeType::HostPath,
                VolumeType::DockerVolumeShared,
                VolumeType::DockerVolumeTaskScope,
                VolumeType::FsxWindows,
            ] {
                assert!(
                    matches!(support(volume, platform), Support::Refused(_)),
                    "{volume:?} on {platform:?}"
                );
            }
        }
    }

    #[test]
    fn efs_works_on_linux_for_both_launch_types() {
        assert!(support(VolumeType::Efs, EcsPlatform::FargateLinux).is_supported());
        assert!(support(VolumeType::Efs, EcsPlatform::Ec2Linux).is_supported());
        assert!(!support(VolumeType::Efs, EcsPlatform::FargateWindows).is_supported());
    }

    #[test]
    fn ebs_volumes_serve_windows_tasks_on_ec2_but_not_on_fargate() {
        assert!(support(VolumeType::Ebs, EcsPlatform::Ec2Windows).is_supported());
        assert!(matches!(
            support(VolumeType::Ebs, EcsPlatform::FargateWindows),
            Support::Refused(_)
        ));
        for platform in EcsPlatform::ALL {
            assert!(
                !matches!(support(VolumeType::Ebs, platform), Support::Unverified(_)),
                "the documentation decides EBS on {platform:?}"
            );
        }
    }

    #[test]
    fn every_container_has_a_writable_layer_everywhere() {
        for platform in EcsPlatform::ALL {
            assert!(support(VolumeType::WritableLayer, platform).is_supported());
        }
    }

    #[test]
    fn only_efs_survives_the_loss_of_an_availability_zone() {
        let survivors: Vec<VolumeType> = VolumeType::ALL
            .into_iter()
            .filter(|v| durability(*v).survives_az_loss)
            .collect();
        assert_eq!(survivors, vec![VolumeType::Efs]);
    }

    #[test]
    fn task_scoped_storage_is_lost_at_task_stop() {
        for volume in [
            VolumeType::WritableLayer,
            VolumeType::BindMount,
            VolumeType::DockerVolumeTaskScope,
            VolumeType::FargateEphemeral,
            VolumeType::Ebs,
        ] {
            assert!(!durability(volume).survives_task_stop, "{volume:?}");
        }
        assert!(durability(VolumeType::HostPath).survives_task_stop);
        assert!(!durability(VolumeType::HostPath).survives_instance_loss);
    }

    fn named(name: &str) -> Volume {
        Volume {
            name: name.into(),
            ..Volume::default()
        }
    }

    fn docker(scope: Option<&str>) -> Volume {
        Volume {
            docker_volume_configuration: Some(DockerVolumeConfiguration {
                scope: scope.map(str::to_string),
                ..DockerVolumeConfiguration::default()
            }),
            ..named("cache")
        }
    }

    #[test]
    fn a_volume_with_no_configuration_or_an_empty_host_is_a_bind_mount() {
        assert_eq!(VolumeType::of(&named("scratch")), VolumeType::BindMount);
        let empty_host = Volume {
            host: Some(HostVolume::default()),
            ..named("scratch")
        };
        assert_eq!(VolumeType::of(&empty_host), VolumeType::BindMount);
        let empty_path = Volume {
            host: Some(HostVolume {
                source_path: Some(String::new()),
                ..HostVolume::default()
            }),
            ..named("scratch")
        };
        assert_eq!(VolumeType::of(&empty_path), VolumeType::BindMount);
    }

    #[test]
    fn a_host_source_path_is_a_host_path() {
        let volume = Volume {
            host: Some(HostVolume {
                source_path: Some("/ecs/data".into()),
                ..HostVolume::default()
            }),
            ..named("data")
        };
        assert_eq!(VolumeType::of(&volume), VolumeType::HostPath);
    }

    #[test]
    fn docker_volumes_are_task_scoped_unless_shared() {
        assert_eq!(
            VolumeType::of(&docker(None)),
            VolumeType::DockerVolumeTaskScope
        );
        assert_eq!(
            VolumeType::of(&docker(Some("task"))),
            VolumeType::DockerVolumeTaskScope
        );
        assert_eq!(
            VolumeType::of(&docker(Some("shared"))),
            VolumeType::DockerVolumeShared
        );
    }

    #[test]
    fn efs_fsx_and_configured_at_launch_map_to_their_types() {
        let efs = Volume {
            efs_volume_configuration: Some(EfsVolumeConfiguration {
                file_system_id: "fs-1".into(),
                ..EfsVolumeConfiguration::default()
            }),
            ..named("shared")
        };
        assert_eq!(VolumeType::of(&efs), VolumeType::Efs);
        let fsx = Volume {
            fsx_windows_file_server_volume_configuration: Some(
                serde_json::json!({"fileSystemId": "fs-0123"}),
            ),
            ..named("windows")
        };
        assert_eq!(VolumeType::of(&fsx), VolumeType::FsxWindows);
        let ebs = Volume {
            configured_at_launch: Some(true),
            ..named("db")
        };
        assert_eq!(VolumeType::of(&ebs), VolumeType::Ebs);
        let not_at_launch = Volume {
            configured_at_launch: Some(false),
            ..named("db")
        };
        assert_eq!(VolumeType::of(&not_at_launch), VolumeType::BindMount);
    }

    #[test]
    fn volume_types_read_from_real_json() {
        let volumes: Vec<Volume> = serde_json::from_str(
            r#"[
                {"name": "a"},
                {"name": "b", "host": {"sourcePath": "/var/log"}},
                {"name": "c", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local"}},
                {"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-1234"}},
                {"name": "e", "configuredAtLaunch": true}
            ]"#,
        )
        .unwrap();
        let types: Vec<VolumeType> = volumes.iter().map(VolumeType::of).collect();
        assert_eq!(
            types,
            vec![
                VolumeType::BindMount,
                VolumeType::HostPath,
                VolumeType::DockerVolumeShared,
                VolumeType::Efs,
                VolumeType::Ebs,
            ]
        );
    }
}
