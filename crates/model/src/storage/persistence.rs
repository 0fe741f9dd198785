//! What survives each thing that can happen to a task, per volume type
//! (rules §5.1, §10 point 12).

use serde::Serialize;

use super::VolumeType;

/// Something that happens to a task, after which a learner asks "is my
/// data still there?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DataEvent {
    /// A container exits and its restart policy restarts it inside the
    /// same, still running, task.
    ContainerRestart,
    /// The task stops (ECS may start a replacement later).
    TaskStop,
    /// A replacement task starts on another container instance in the same
    /// Availability Zone. Is the data there for it?
    ReplacementOtherInstance,
    /// A replacement task starts in another Availability Zone.
    ReplacementOtherAz,
    /// The container instance is terminated or fails, with its tasks.
    InstanceLoss,
    /// A whole Availability Zone is lost, with everything in it.
    AzLoss,
}

impl DataEvent {
    pub const ALL: [DataEvent; 6] = [
        DataEvent::ContainerRestart,
        DataEvent::TaskStop,
        DataEvent::ReplacementOtherInstance,
        DataEvent::ReplacementOtherAz,
        DataEvent::InstanceLoss,
        DataEvent::AzLoss,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DataEvent::ContainerRestart => "Container restarts",
            DataEvent::TaskStop => "Task stops",
            DataEvent::ReplacementOtherInstance => "Replacement on another instance",
            DataEvent::ReplacementOtherAz => "Replacement in another AZ",
            DataEvent::InstanceLoss => "Instance lost",
            DataEvent::AzLoss => "AZ lost",
        }
    }
}

/// Whether the data is still there (for the replacement events: whether
/// the replacement task can see it), and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Survival {
    pub kept: bool,
    pub why: &'static str,
}

/// What happens to data on `volume` when `event` happens, with AWS's
/// defaults. EBS answers assume `deleteOnTermination` is true (the default);
/// [`super::FileStore`] honours a task that keeps its volume.
pub fn survives(volume: VolumeType, event: DataEvent) -> Survival {
    use DataEvent::*;
    use VolumeType::*;
    let (kept, why) = match (volume, event) {
        // The ECS agent restarts the same Docker container (it starts the
        // container id it already has), so the layer is still there.
        (WritableLayer, ContainerRestart) => (
            true,
            "A restart policy restarts the same container, so its writable layer is still there.",
        ),
        (WritableLayer, TaskStop) => (
            false,
            "A container's writable layer goes with the container; the next task starts again from the image.",
        ),
        (WritableLayer, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "A replacement task's containers start fresh from the image.",
        ),
        (WritableLayer, InstanceLoss) => (
            false,
            "The writable layer is on the instance's disk and goes with the instance.",
        ),
        (WritableLayer, AzLoss) => (
            false,
            "The writable layer lives with its task, which is lost with the AZ.",
        ),

        (BindMount, ContainerRestart) => (
            true,
            "The bind mount belongs to the task, not the container, so a restarted container finds it.",
        ),
        (BindMount, TaskStop) => (
            false,
            "Bind mounts without a sourcePath live only as long as the task.",
        ),
        (BindMount, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "A bind mount without a sourcePath belongs to one task; a replacement gets a new, empty one.",
        ),
        (BindMount, InstanceLoss) => (
            false,
            "The bind mount is on the instance's disk, and its task stops with the instance.",
        ),
        (BindMount, AzLoss) => (
            false,
            "The bind mount lives with its task, which is lost with the AZ.",
        ),

        (HostPath, ContainerRestart) => (
            true,
            "The directory is on the instance; a restarted container mounts it again.",
        ),
        (HostPath, TaskStop) => (
            true,
            "host.sourcePath is a directory on the instance: it stays there after the task stops.",
        ),
        (HostPath, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "host.sourcePath data stays on the instance that wrote it; the replacement mounts the same path on its own instance, where it is empty.",
        ),
        (HostPath, InstanceLoss) => (
            false,
            "host.sourcePath data is on the instance's disk and goes with the instance.",
        ),
        (HostPath, AzLoss) => (
            false,
            "host.sourcePath data is on an instance in the AZ, and goes with it.",
        ),

        (DockerVolumeTaskScope, ContainerRestart) => (
            true,
            "A task-scoped Docker volume lasts as long as the task, across container restarts.",
        ),
        (DockerVolumeTaskScope, TaskStop) => (
            false,
            "A task-scoped Docker volume is destroyed when the task stops.",
        ),
        (DockerVolumeTaskScope, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "A task-scoped Docker volume belongs to one task; a replacement gets a new, empty one.",
        ),
        (DockerVolumeTaskScope, InstanceLoss) => (
            false,
            "The Docker volume is on the instance's disk, and its task stops with the instance.",
        ),
        (DockerVolumeTaskScope, AzLoss) => (
            false,
            "The Docker volume lives with its task, which is lost with the AZ.",
        ),

        (DockerVolumeShared, ContainerRestart) => (
            true,
            "A shared Docker volume outlives containers and tasks on its instance.",
        ),
        (DockerVolumeShared, TaskStop) => (
            true,
            "A shared-scope Docker volume outlives the task, on that instance.",
        ),
        (DockerVolumeShared, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "With the local driver a shared Docker volume lives on one instance; the replacement's instance has its own, empty one.",
        ),
        (DockerVolumeShared, InstanceLoss) => (
            false,
            "With the local driver the volume is on the instance's disk and goes with the instance.",
        ),
        (DockerVolumeShared, AzLoss) => (
            false,
            "With the local driver the volume is on an instance in the AZ, and goes with it.",
        ),

        (Efs, ContainerRestart | TaskStop) => (
            true,
            "EFS is a file system of its own, outside the task and the instance.",
        ),
        (Efs, ReplacementOtherInstance) => (
            true,
            "EFS is shared: any task that mounts the file system sees the same files.",
        ),
        (Efs, ReplacementOtherAz) => (
            true,
            "EFS is regional: a task in another AZ mounts it through that AZ's mount target.",
        ),
        (Efs, InstanceLoss) => (
            true,
            "EFS does not live on any instance, so losing one loses nothing.",
        ),
        (Efs, AzLoss) => (
            true,
            "EFS stores data across AZs, so tasks in the remaining AZs still see every file.",
        ),

        (FsxWindows, ContainerRestart | TaskStop) => (
            true,
            "FSx for Windows File Server is a file system of its own, outside the task.",
        ),
        (FsxWindows, ReplacementOtherInstance | ReplacementOtherAz) => (
            true,
            "FSx for Windows File Server is shared: any domain-joined Windows instance in the VPC can mount it.",
        ),
        (FsxWindows, InstanceLoss) => (
            true,
            "The file system does not live on the instance, so losing one loses nothing.",
        ),
        (FsxWindows, AzLoss) => (
            false,
            "A Single-AZ file system is lost with its AZ; only a Multi-AZ file system fails over to its standby.",
        ),

        (Ebs, ContainerRestart) => (
            true,
            "The EBS volume stays attached for the task's whole life.",
        ),
        (Ebs, TaskStop) => (
            false,
            "ECS deletes a task's EBS volume when the task stops (deleteOnTermination is true by default; a standalone task can set it to false to keep the volume).",
        ),
        (Ebs, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "ECS gives every task its own new EBS volume; a replacement does not get the old one.",
        ),
        (Ebs, InstanceLoss) => (
            false,
            "The task stops with its instance, and ECS deletes its EBS volume by default.",
        ),
        (Ebs, AzLoss) => (
            false,
            "An EBS volume lives in one AZ and cannot be attached from another.",
        ),

        (FargateEphemeral, ContainerRestart) => (
            true,
            "Ephemeral storage belongs to the Fargate task, across container restarts.",
        ),
        (FargateEphemeral, TaskStop) => (
            false,
            "Fargate ephemeral storage is deleted when the task stops.",
        ),
        (FargateEphemeral, ReplacementOtherInstance | ReplacementOtherAz) => (
            false,
            "Every Fargate task gets its own, empty ephemeral storage.",
        ),
        (FargateEphemeral, InstanceLoss) => (
            false,
            "The task's storage goes with the capacity it runs on.",
        ),
        (FargateEphemeral, AzLoss) => (
            false,
            "Ephemeral storage lives with its task, which is lost with the AZ.",
        ),
    };
    Survival { kept, why }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::durability;
    use DataEvent::*;
    use VolumeType::*;

    /// The whole table, row by row, so a change to one answer is a visible
    /// change to this test.
    #[test]
    fn the_survival_table() {
        let table: [(VolumeType, [bool; 6]); 9] = [
            //                    restart task  other-i other-az inst  az
            (WritableLayer, [true, false, false, false, false, false]),
            (BindMount, [true, false, false, false, false, false]),
            (HostPath, [true, true, false, false, false, false]),
            (
                DockerVolumeTaskScope,
                [true, false, false, false, false, false],
            ),
            (DockerVolumeShared, [true, true, false, false, false, false]),
            (Efs, [true, true, true, true, true, true]),
            (FsxWindows, [true, true, true, true, true, false]),
            (Ebs, [true, false, false, false, false, false]),
            (FargateEphemeral, [true, false, false, false, false, false]),
        ];
        for (volume, row) in table {
            for (event, expected) in DataEvent::ALL.into_iter().zip(row) {
                assert_eq!(
                    survives(volume, event).kept,
                    expected,
                    "{volume:?} / {event:?}: {}",
                    survives(volume, event).why
                );
            }
        }
    }

    #[test]
    fn every_volume_type_is_in_the_table() {
        assert_eq!(VolumeType::ALL.len(), 9);
    }

    #[test]
    fn only_efs_survives_everything() {
        let survivors: Vec<VolumeType> = VolumeType::ALL
            .into_iter()
            .filter(|v| DataEvent::ALL.into_iter().all(|e| survives(*v, e).kept))
            .collect();
        assert_eq!(survivors, vec![Efs]);
    }

    #[test]
    fn every_volume_survives_a_container_restart() {
        for volume in VolumeType::ALL {
            assert!(survives(volume, ContainerRestart).kept, "{volume:?}");
        }
    }

    #[test]
    fn instance_local_data_outlives_the_task_but_not_the_move() {
        for volume in [HostPath, DockerVolumeShared] {
            assert!(survives(volume, TaskStop).kept);
            assert!(!survives(volume, ReplacementOtherInstance).kept);
            assert!(survives(volume, ReplacementOtherInstance)
                .why
                .contains("instance"));
        }
    }

    #[test]
    fn ebs_explains_delete_on_termination_and_its_single_az() {
        assert!(survives(Ebs, TaskStop).why.contains("deleteOnTermination"));
        assert!(survives(Ebs, TaskStop).why.contains("standalone"));
        assert!(survives(Ebs, AzLoss).why.contains("one AZ"));
    }

    #[test]
    fn durability_is_the_same_table() {
        for volume in VolumeType::ALL {
            let d = durability(volume);
            assert_eq!(d.survives_task_stop, survives(volume, TaskStop).kept);
            assert_eq!(
                d.survives_instance_loss,
                survives(volume, ReplacementOtherInstance).kept
            );
            assert_eq!(d.survives_az_loss, survives(volume, AzLoss).kept);
        }
    }

    #[test]
    fn reasons_are_sentences() {
        for volume in VolumeType::ALL {
            for event in DataEvent::ALL {
                let why = survives(volume, event).why;
                assert!(why.ends_with('.'), "{volume:?}/{event:?}: {why}");
                assert!(why.len() < 200, "{volume:?}/{event:?} is too long");
            }
        }
    }
}
