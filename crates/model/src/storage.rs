//! ECS volume types: where each one works and what survives (rules §5.1,
//! §10 points 12 and 13).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum VolumeType {
    /// `host: {}` or an empty volume: a bind mount with no source path.
    BindMount,
    /// `host.sourcePath`: a directory on the container instance.
    HostPath,
    /// `dockerVolumeConfiguration` with `scope: task`.
    DockerVolumeTaskScope,
    /// `dockerVolumeConfiguration` with `scope: shared`.
    DockerVolumeShared,
    Efs,
    FsxWindows,
    /// A volume with `configuredAtLaunch: true`, given an EBS volume at launch.
    Ebs,
    /// Fargate's task storage (`ephemeralStorage`).
    FargateEphemeral,
}

impl VolumeType {
    pub const ALL: [VolumeType; 8] = [
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
}

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
        (Ebs, Ec2Windows | FargateWindows) => {
            Unverified("EBS volumes for Windows tasks were not verified for Dockyard's reference.")
        }
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
    /// Only the task's containers see it.
    Task,
    /// Tasks on the same container instance can see it.
    Instance,
    /// One Availability Zone.
    AvailabilityZone,
    /// The whole Region, from every Availability Zone with a mount target.
    Region,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Durability {
    pub survives_task_stop: bool,
    /// Still reachable by a replacement task on another instance.
    pub survives_instance_loss: bool,
    pub survives_az_loss: bool,
    pub scope: Scope,
    pub note: &'static str,
}

pub fn durability(volume: VolumeType) -> Durability {
    use Scope::*;
    use VolumeType::*;
    let (survives_task_stop, survives_instance_loss, survives_az_loss, scope, note) = match volume {
        BindMount => (false, false, false, Task, "Deleted when the task stops."),
        HostPath => (
            true,
            false,
            false,
            Instance,
            "Stays on that instance; a replacement task elsewhere cannot see it.",
        ),
        DockerVolumeTaskScope => (
            false,
            false,
            false,
            Task,
            "Created at task start, destroyed at task stop.",
        ),
        DockerVolumeShared => (
            true,
            false,
            false,
            Instance,
            "Outlives the task, but with the local driver only on that instance.",
        ),
        Efs => (
            true,
            true,
            true,
            Region,
            "Regional and shared: any task with a mount target in its AZ can mount it.",
        ),
        FsxWindows => (
            true,
            true,
            false,
            AvailabilityZone,
            "Persistent and shared; survives an AZ loss only when the file system is Multi-AZ.",
        ),
        Ebs => (
            false,
            false,
            false,
            AvailabilityZone,
            "Deleted when the task stops by default; an EBS volume lives in one AZ.",
        ),
        FargateEphemeral => (false, false, false, Task, "Lost when the task stops."),
    };
    Durability {
        survives_task_stop,
        survives_instance_loss,
        survives_az_loss,
        scope,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
