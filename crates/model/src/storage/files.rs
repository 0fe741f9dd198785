//! Simulated files on simulated storage, so a learner can write a file,
//! stop a task or lose an instance, and watch which files are still there.
//!
//! Files are keyed by a [`Location`]: what actually holds the bytes. That
//! is the whole lesson in one type: a bind mount is held by its task, a
//! host path by its instance, an EBS volume by one Availability Zone, an
//! EFS file system by the Region. Two tasks see the same files exactly when
//! their volumes resolve to the same location.
//!
//! Deterministic: every collection is a `BTreeMap` or `BTreeSet`, so the
//! same calls give the same answers and the same [`DataLost`] order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::{support, survives, DataEvent, EcsPlatform, Support, VolumeType};
use crate::taskdef::Volume;

/// What a task runs on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Host {
    /// An EC2 container instance, by id.
    Instance(String),
    /// Fargate: no instance the learner can see or reuse.
    Fargate,
}

/// Where a task runs, and the one launch setting that decides what happens
/// to its data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskPlacement {
    pub task_id: String,
    pub host: Host,
    pub az: String,
    /// `terminationPolicy.deleteOnTermination` of the task's EBS volume:
    /// true by default. Only a standalone task (RunTask, StartTask) can set
    /// it to false; a service's tasks always lose their volume.
    pub ebs_delete_on_termination: bool,
}

impl TaskPlacement {
    pub fn on_instance(task_id: &str, instance_id: &str, az: &str) -> TaskPlacement {
        TaskPlacement {
            task_id: task_id.to_string(),
            host: Host::Instance(instance_id.to_string()),
            az: az.to_string(),
            ebs_delete_on_termination: true,
        }
    }

    pub fn on_fargate(task_id: &str, az: &str) -> TaskPlacement {
        TaskPlacement {
            task_id: task_id.to_string(),
            host: Host::Fargate,
            az: az.to_string(),
            ebs_delete_on_termination: true,
        }
    }

    /// A standalone task that keeps its EBS volume when it stops.
    pub fn keeping_ebs_volume(mut self) -> TaskPlacement {
        self.ebs_delete_on_termination = false;
        self
    }

    fn instance_id(&self) -> Option<&str> {
        match &self.host {
            Host::Instance(id) => Some(id),
            Host::Fargate => None,
        }
    }
}

/// What holds a set of files: the key of a [`FileStore`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Location {
    /// A container's own filesystem, with no volume.
    WritableLayer { task_id: String, container: String },
    /// A bind mount without `sourcePath` (on Fargate: in the task's
    /// ephemeral storage).
    BindMount { task_id: String, volume: String },
    /// A `dockerVolumeConfiguration` volume with `scope: task`.
    TaskDockerVolume { task_id: String, volume: String },
    /// `host.sourcePath` on one instance: every task there that mounts the
    /// same path shares it.
    HostPath {
        instance_id: String,
        source_path: String,
    },
    /// A `scope: shared` Docker volume (local driver) on one instance, by
    /// its name.
    SharedDockerVolume { instance_id: String, volume: String },
    /// An EBS volume, which lives in one Availability Zone.
    Ebs { volume_id: String, az: String },
    /// An EFS file system: regional.
    Efs { file_system_id: String },
    /// An FSx for Windows File Server file system.
    FsxWindows { file_system_id: String },
}

impl Location {
    /// The kind of storage, for [`survives`].
    pub fn volume_type(&self) -> VolumeType {
        match self {
            Location::WritableLayer { .. } => VolumeType::WritableLayer,
            Location::BindMount { .. } => VolumeType::BindMount,
            Location::TaskDockerVolume { .. } => VolumeType::DockerVolumeTaskScope,
            Location::HostPath { .. } => VolumeType::HostPath,
            Location::SharedDockerVolume { .. } => VolumeType::DockerVolumeShared,
            Location::Ebs { .. } => VolumeType::Ebs,
            Location::Efs { .. } => VolumeType::Efs,
            Location::FsxWindows { .. } => VolumeType::FsxWindows,
        }
    }

    /// The task whose life this storage shares, if any.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Location::WritableLayer { task_id, .. }
            | Location::BindMount { task_id, .. }
            | Location::TaskDockerVolume { task_id, .. } => Some(task_id),
            _ => None,
        }
    }

    /// The instance that holds this storage, if it is instance-local.
    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Location::HostPath { instance_id, .. }
            | Location::SharedDockerVolume { instance_id, .. } => Some(instance_id),
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::WritableLayer { task_id, container } => {
                write!(
                    f,
                    "the writable layer of container {container} in task {task_id}"
                )
            }
            Location::BindMount { task_id, volume } => {
                write!(f, "the bind mount \"{volume}\" of task {task_id}")
            }
            Location::TaskDockerVolume { task_id, volume } => {
                write!(
                    f,
                    "the task-scoped Docker volume \"{volume}\" of task {task_id}"
                )
            }
            Location::HostPath {
                instance_id,
                source_path,
            } => write!(f, "host path {source_path} on instance {instance_id}"),
            Location::SharedDockerVolume {
                instance_id,
                volume,
            } => write!(
                f,
                "the shared Docker volume \"{volume}\" on instance {instance_id}"
            ),
            Location::Ebs { volume_id, az } => write!(f, "EBS volume {volume_id} in {az}"),
            Location::Efs { file_system_id } => write!(f, "EFS file system {file_system_id}"),
            Location::FsxWindows { file_system_id } => {
                write!(
                    f,
                    "FSx for Windows File Server file system {file_system_id}"
                )
            }
        }
    }
}

/// How an FSx for Windows File Server file system is deployed, which
/// decides whether it outlives an Availability Zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum FsxDeployment {
    SingleAz {
        az: String,
    },
    /// Fails over to the standby when the preferred AZ is lost.
    MultiAz {
        preferred_az: String,
        standby_az: String,
    },
}

/// Files that are gone, in the learner's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataLost {
    pub location: Location,
    pub volume_type: VolumeType,
    pub event: DataEvent,
    /// The paths that were lost, in order.
    pub files: Vec<String>,
    /// "3 files on the bind mount "scratch" of task t-2 were deleted when
    /// task t-2 stopped. Bind mounts without a sourcePath live only as long
    /// as the task."
    pub why: String,
}

/// Why the store refused a mount or a write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StoreError {
    /// The volume's type does not work on Fargate.
    UnsupportedOnFargate {
        volume: String,
        why: &'static str,
    },
    /// An EFS or FSx volume without a `fileSystemId`.
    MissingFileSystemId {
        volume: String,
    },
    /// An FSx for Windows File Server file system the store was not told
    /// about with [`FileStore::add_fsx_windows`].
    UnknownFileSystem(String),
    UnknownTask(String),
    TaskAlreadyStarted(String),
    /// The task has stopped: its task-scoped storage is gone.
    TaskNotRunning(String),
    UnknownInstance(String),
    InstanceLost(String),
    /// The instance is already known to be in another AZ.
    InstanceInOtherAz {
        instance_id: String,
        az: String,
    },
    AzLost(String),
    /// An EBS volume that was never created or has been deleted.
    UnknownEbsVolume(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::UnsupportedOnFargate { volume, why } => {
                write!(f, "volume \"{volume}\" cannot be mounted on Fargate: {why}")
            }
            StoreError::MissingFileSystemId { volume } => {
                write!(
                    f,
                    "volume \"{volume}\" does not say which file system to mount"
                )
            }
            StoreError::UnknownFileSystem(id) => write!(f, "there is no file system {id}"),
            StoreError::UnknownTask(id) => write!(f, "there is no task {id}"),
            StoreError::TaskAlreadyStarted(id) => write!(f, "task {id} has already started"),
            StoreError::TaskNotRunning(id) => {
                write!(f, "task {id} has stopped, and its task storage with it")
            }
            StoreError::UnknownInstance(id) => write!(f, "there is no instance {id}"),
            StoreError::InstanceLost(id) => write!(f, "instance {id} has been lost"),
            StoreError::InstanceInOtherAz { instance_id, az } => {
                write!(f, "instance {instance_id} is in {az}")
            }
            StoreError::AzLost(az) => write!(f, "{az} has been lost"),
            StoreError::UnknownEbsVolume(id) => write!(f, "there is no EBS volume {id}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Which location a task's volume mounts.
///
/// EFS resolves to the file system (the same for every task anywhere);
/// a host path to (instance, sourcePath); a shared Docker volume to
/// (instance, volume name); a bind mount or task-scoped Docker volume to
/// (task, volume name); a volume configured at launch to a new EBS volume
/// for this task in its AZ (`vol-<task>-<volume>`: every task gets its own).
/// EFS `rootDirectory` and access points are not modelled: every mount sees
/// the whole file system. On EC2 the operating system is not known here,
/// so Windows-only rules are left to [`support`].
pub fn resolve(placement: &TaskPlacement, volume: &Volume) -> Result<Location, StoreError> {
    let volume_type = VolumeType::of(volume);
    let name = volume.name.clone();
    let task_id = placement.task_id.clone();
    let instance_id = match placement.instance_id() {
        Some(id) => id.to_string(),
        None => {
            if let Support::Refused(why) = support(volume_type, EcsPlatform::FargateLinux) {
                return Err(StoreError::UnsupportedOnFargate { volume: name, why });
            }
            String::new()
        }
    };
    let location = match volume_type {
        VolumeType::BindMount | VolumeType::FargateEphemeral | VolumeType::WritableLayer => {
            Location::BindMount {
                task_id,
                volume: name,
            }
        }
        VolumeType::HostPath => Location::HostPath {
            instance_id,
            source_path: volume
                .host
                .as_ref()
                .and_then(|host| host.source_path.clone())
                .unwrap_or_default(),
        },
        VolumeType::DockerVolumeTaskScope => Location::TaskDockerVolume {
            task_id,
            volume: name,
        },
        VolumeType::DockerVolumeShared => Location::SharedDockerVolume {
            instance_id,
            volume: name,
        },
        VolumeType::Efs => {
            let id = volume
                .efs_volume_configuration
                .as_ref()
                .map(|efs| efs.file_system_id.clone())
                .unwrap_or_default();
            if id.is_empty() {
                return Err(StoreError::MissingFileSystemId { volume: name });
            }
            Location::Efs { file_system_id: id }
        }
        VolumeType::FsxWindows => {
            let id = volume
                .fsx_windows_file_server_volume_configuration
                .as_ref()
                .and_then(|fsx| fsx.get("fileSystemId"))
                .and_then(|id| id.as_str())
                .unwrap_or_default()
                .to_string();
            if id.is_empty() {
                return Err(StoreError::MissingFileSystemId { volume: name });
            }
            Location::FsxWindows { file_system_id: id }
        }
        VolumeType::Ebs => Location::Ebs {
            volume_id: format!("vol-{task_id}-{name}"),
            az: placement.az.clone(),
        },
    };
    Ok(location)
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct TaskRecord {
    placement: TaskPlacement,
    running: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct InstanceRecord {
    az: String,
    lost: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct EbsRecord {
    az: String,
    /// The task it is attached to; none once a kept volume is detached.
    task_id: Option<String>,
    delete_on_termination: bool,
}

/// Simulated files on every kind of storage, and what happens to them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStore {
    files: BTreeMap<Location, BTreeMap<String, String>>,
    tasks: BTreeMap<String, TaskRecord>,
    instances: BTreeMap<String, InstanceRecord>,
    ebs_volumes: BTreeMap<String, EbsRecord>,
    fsx: BTreeMap<String, FsxDeployment>,
    lost_azs: BTreeSet<String>,
}

impl FileStore {
    pub fn new() -> FileStore {
        FileStore::default()
    }

    /// Registers a container instance (starting a task on one registers it
    /// too).
    pub fn add_instance(&mut self, instance_id: &str, az: &str) -> Result<(), StoreError> {
        if self.lost_azs.contains(az) {
            return Err(StoreError::AzLost(az.to_string()));
        }
        match self.instances.get(instance_id) {
            Some(known) if known.lost => Err(StoreError::InstanceLost(instance_id.to_string())),
            Some(known) if known.az != az => Err(StoreError::InstanceInOtherAz {
                instance_id: instance_id.to_string(),
                az: known.az.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.instances.insert(
                    instance_id.to_string(),
                    InstanceRecord {
                        az: az.to_string(),
                        lost: false,
                    },
                );
                Ok(())
            }
        }
    }

    /// Registers an FSx for Windows File Server file system: its deployment
    /// decides what an AZ loss does to it.
    pub fn add_fsx_windows(&mut self, file_system_id: &str, deployment: FsxDeployment) {
        self.fsx.insert(file_system_id.to_string(), deployment);
    }

    /// A task starts where `placement` says.
    pub fn start_task(&mut self, placement: TaskPlacement) -> Result<(), StoreError> {
        if self.tasks.contains_key(&placement.task_id) {
            return Err(StoreError::TaskAlreadyStarted(placement.task_id));
        }
        if self.lost_azs.contains(&placement.az) {
            return Err(StoreError::AzLost(placement.az));
        }
        if let Some(instance_id) = placement.instance_id() {
            self.add_instance(instance_id, &placement.az)?;
        }
        self.tasks.insert(
            placement.task_id.clone(),
            TaskRecord {
                placement,
                running: true,
            },
        );
        Ok(())
    }

    pub fn placement(&self, task_id: &str) -> Option<&TaskPlacement> {
        self.tasks.get(task_id).map(|task| &task.placement)
    }

    pub fn is_running(&self, task_id: &str) -> bool {
        self.tasks.get(task_id).is_some_and(|task| task.running)
    }

    /// Mounts a task definition volume in a running task: the location its
    /// containers read and write. A volume configured at launch creates the
    /// task's EBS volume here.
    pub fn mount(&mut self, task_id: &str, volume: &Volume) -> Result<Location, StoreError> {
        let task = self.running_task(task_id)?;
        let location = resolve(&task.placement, volume)?;
        let delete_on_termination = task.placement.ebs_delete_on_termination;
        match &location {
            Location::Ebs { volume_id, az } => {
                self.ebs_volumes
                    .entry(volume_id.clone())
                    .or_insert_with(|| EbsRecord {
                        az: az.clone(),
                        task_id: Some(task_id.to_string()),
                        delete_on_termination,
                    });
            }
            Location::FsxWindows { file_system_id } => {
                self.check_fsx(file_system_id)?;
            }
            _ => {}
        }
        Ok(location)
    }

    /// The writable layer of one container of a running task.
    pub fn writable_layer(&self, task_id: &str, container: &str) -> Result<Location, StoreError> {
        self.running_task(task_id)?;
        Ok(Location::WritableLayer {
            task_id: task_id.to_string(),
            container: container.to_string(),
        })
    }

    /// Writes (or overwrites) a file, if the location still exists.
    pub fn write(
        &mut self,
        location: &Location,
        path: &str,
        contents: &str,
    ) -> Result<(), StoreError> {
        self.check_reachable(location)?;
        self.files
            .entry(location.clone())
            .or_default()
            .insert(path.to_string(), contents.to_string());
        Ok(())
    }

    pub fn read(&self, location: &Location, path: &str) -> Option<&str> {
        self.files.get(location)?.get(path).map(String::as_str)
    }

    /// The paths stored at a location, in order.
    pub fn paths(&self, location: &Location) -> Vec<&str> {
        self.files
            .get(location)
            .map(|files| files.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Every location that holds at least one file, in order.
    pub fn locations(&self) -> impl Iterator<Item = &Location> + '_ {
        self.files
            .iter()
            .filter(|(_, files)| !files.is_empty())
            .map(|(location, _)| location)
    }

    /// A container restarted by its restart policy: nothing is lost, not
    /// even its writable layer (the same container starts again). Returned
    /// as a list anyway, so every event is handled the same way.
    pub fn on_container_restarted(&mut self, _task_id: &str, _container: &str) -> Vec<DataLost> {
        Vec::new()
    }

    /// A task stopped: its task-scoped storage goes, and its EBS volume
    /// unless the task keeps it. An unknown or stopped task loses nothing.
    pub fn on_task_stopped(&mut self, task_id: &str) -> Vec<DataLost> {
        self.stop_task(
            task_id,
            DataEvent::TaskStop,
            &format!("deleted when task {task_id} stopped"),
        )
    }

    /// An instance is lost: its tasks stop and its disk goes with it.
    pub fn on_instance_lost(&mut self, instance_id: &str) -> Vec<DataLost> {
        let cause = format!("lost with instance {instance_id}");
        self.lose_instance(instance_id, DataEvent::InstanceLoss, &cause)
    }

    /// An Availability Zone is lost: every task, instance and EBS volume in
    /// it, and any Single-AZ FSx file system there. EFS keeps everything.
    pub fn on_az_lost(&mut self, az: &str) -> Vec<DataLost> {
        let cause = format!("lost with {az}");
        let event = DataEvent::AzLoss;
        self.lost_azs.insert(az.to_string());
        let mut lost = Vec::new();

        let fargate_tasks: Vec<String> = self
            .tasks
            .values()
            .filter(|t| t.running && t.placement.az == az && t.placement.host == Host::Fargate)
            .map(|t| t.placement.task_id.clone())
            .collect();
        for task_id in fargate_tasks {
            lost.extend(self.stop_task(&task_id, event, &cause));
        }

        let instances: Vec<String> = self
            .instances
            .iter()
            .filter(|(_, i)| i.az == az && !i.lost)
            .map(|(id, _)| id.clone())
            .collect();
        for instance_id in instances {
            lost.extend(self.lose_instance(&instance_id, event, &cause));
        }

        let volumes: Vec<String> = self
            .ebs_volumes
            .iter()
            .filter(|(_, v)| v.az == az)
            .map(|(id, _)| id.clone())
            .collect();
        for volume_id in volumes {
            self.ebs_volumes.remove(&volume_id);
            let location = Location::Ebs {
                volume_id,
                az: az.to_string(),
            };
            lost.extend(self.remove(&location, event, &cause));
        }

        let file_systems: Vec<String> = self
            .fsx
            .keys()
            .filter(|id| self.fsx_lost(id))
            .cloned()
            .collect();
        for file_system_id in file_systems {
            let location = Location::FsxWindows { file_system_id };
            lost.extend(self.remove(&location, event, &cause));
        }
        lost
    }

    fn running_task(&self, task_id: &str) -> Result<&TaskRecord, StoreError> {
        match self.tasks.get(task_id) {
            None => Err(StoreError::UnknownTask(task_id.to_string())),
            Some(task) if !task.running => Err(StoreError::TaskNotRunning(task_id.to_string())),
            Some(task) => Ok(task),
        }
    }

    fn check_fsx(&self, file_system_id: &str) -> Result<(), StoreError> {
        let Some(deployment) = self.fsx.get(file_system_id) else {
            return Err(StoreError::UnknownFileSystem(file_system_id.to_string()));
        };
        if self.fsx_lost(file_system_id) {
            let az = match deployment {
                FsxDeployment::SingleAz { az } => az,
                FsxDeployment::MultiAz { standby_az, .. } => standby_az,
            };
            return Err(StoreError::AzLost(az.clone()));
        }
        Ok(())
    }

    /// A Multi-AZ file system is lost only when both of its AZs are.
    fn fsx_lost(&self, file_system_id: &str) -> bool {
        match self.fsx.get(file_system_id) {
            Some(FsxDeployment::SingleAz { az }) => self.lost_azs.contains(az),
            Some(FsxDeployment::MultiAz {
                preferred_az,
                standby_az,
            }) => self.lost_azs.contains(preferred_az) && self.lost_azs.contains(standby_az),
            None => false,
        }
    }

    fn check_reachable(&self, location: &Location) -> Result<(), StoreError> {
        if let Some(task_id) = location.task_id() {
            self.running_task(task_id)?;
        }
        if let Some(instance_id) = location.instance_id() {
            match self.instances.get(instance_id) {
                None => return Err(StoreError::UnknownInstance(instance_id.to_string())),
                Some(instance) if instance.lost => {
                    return Err(StoreError::InstanceLost(instance_id.to_string()))
                }
                Some(_) => {}
            }
        }
        match location {
            Location::Ebs { volume_id, .. } if !self.ebs_volumes.contains_key(volume_id) => {
                Err(StoreError::UnknownEbsVolume(volume_id.clone()))
            }
            Location::FsxWindows { file_system_id } => self.check_fsx(file_system_id),
            _ => Ok(()),
        }
    }

    fn stop_task(&mut self, task_id: &str, event: DataEvent, cause: &str) -> Vec<DataLost> {
        match self.tasks.get_mut(task_id) {
            Some(task) if task.running => task.running = false,
            _ => return Vec::new(),
        }
        let task_locations: Vec<Location> = self
            .files
            .keys()
            .filter(|location| location.task_id() == Some(task_id))
            .cloned()
            .collect();
        let mut lost = Vec::new();
        for location in task_locations {
            lost.extend(self.remove(&location, event, cause));
        }
        let attached: Vec<String> = self
            .ebs_volumes
            .iter()
            .filter(|(_, v)| v.task_id.as_deref() == Some(task_id))
            .map(|(id, _)| id.clone())
            .collect();
        for volume_id in attached {
            let record = self.ebs_volumes.get_mut(&volume_id).expect("just listed");
            if record.delete_on_termination {
                let az = record.az.clone();
                self.ebs_volumes.remove(&volume_id);
                lost.extend(self.remove(&Location::Ebs { volume_id, az }, event, cause));
            } else {
                record.task_id = None;
            }
        }
        lost
    }

    fn lose_instance(&mut self, instance_id: &str, event: DataEvent, cause: &str) -> Vec<DataLost> {
        match self.instances.get_mut(instance_id) {
            Some(instance) if !instance.lost => instance.lost = true,
            _ => return Vec::new(),
        }
        let tasks: Vec<String> = self
            .tasks
            .values()
            .filter(|t| t.running && t.placement.instance_id() == Some(instance_id))
            .map(|t| t.placement.task_id.clone())
            .collect();
        let mut lost = Vec::new();
        for task_id in tasks {
            lost.extend(self.stop_task(&task_id, event, cause));
        }
        let on_disk: Vec<Location> = self
            .files
            .keys()
            .filter(|location| location.instance_id() == Some(instance_id))
            .cloned()
            .collect();
        for location in on_disk {
            lost.extend(self.remove(&location, event, cause));
        }
        lost
    }

    /// Removes a location's files and says so, or says nothing if it held
    /// none.
    fn remove(&mut self, location: &Location, event: DataEvent, cause: &str) -> Option<DataLost> {
        let files: Vec<String> = self.files.remove(location)?.into_keys().collect();
        if files.is_empty() {
            return None;
        }
        let volume_type = location.volume_type();
        let (noun, verb) = if files.len() == 1 {
            ("file", "was")
        } else {
            ("files", "were")
        };
        let why = format!(
            "{count} {noun} on {location} {verb} {cause}. {reason}",
            count = files.len(),
            reason = survives(volume_type, event).why,
        );
        Some(DataLost {
            location: location.clone(),
            volume_type,
            event,
            files,
            why,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taskdef::{DockerVolumeConfiguration, EfsVolumeConfiguration, HostVolume};

    fn efs(name: &str, id: &str) -> Volume {
        Volume {
            name: name.into(),
            efs_volume_configuration: Some(EfsVolumeConfiguration {
                file_system_id: id.into(),
                ..EfsVolumeConfiguration::default()
            }),
            ..Volume::default()
        }
    }

    fn host_path(name: &str, path: &str) -> Volume {
        Volume {
            name: name.into(),
            host: Some(HostVolume {
                source_path: Some(path.into()),
                ..HostVolume::default()
            }),
            ..Volume::default()
        }
    }

    fn bind(name: &str) -> Volume {
        Volume {
            name: name.into(),
            ..Volume::default()
        }
    }

    fn docker(name: &str, scope: &str) -> Volume {
        Volume {
            name: name.into(),
            docker_volume_configuration: Some(DockerVolumeConfiguration {
                scope: Some(scope.into()),
                ..DockerVolumeConfiguration::default()
            }),
            ..Volume::default()
        }
    }

    fn ebs(name: &str) -> Volume {
        Volume {
            name: name.into(),
            configured_at_launch: Some(true),
            ..Volume::default()
        }
    }

    fn fsx(name: &str, id: &str) -> Volume {
        Volume {
            name: name.into(),
            fsx_windows_file_server_volume_configuration: Some(serde_json::json!({
                "fileSystemId": id,
                "rootDirectory": "\\\\data",
                "authorizationConfig": {"credentialsParameter": "arn", "domain": "corp"}
            })),
            ..Volume::default()
        }
    }

    #[test]
    fn the_resolver_keys_each_volume_by_what_holds_its_bytes() {
        let on_ec2 = TaskPlacement::on_instance("t-1", "i-1", "us-east-1a");
        assert_eq!(
            resolve(&on_ec2, &efs("shared", "fs-1")).unwrap(),
            Location::Efs {
                file_system_id: "fs-1".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &host_path("data", "/srv/data")).unwrap(),
            Location::HostPath {
                instance_id: "i-1".into(),
                source_path: "/srv/data".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &bind("scratch")).unwrap(),
            Location::BindMount {
                task_id: "t-1".into(),
                volume: "scratch".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &docker("cache", "task")).unwrap(),
            Location::TaskDockerVolume {
                task_id: "t-1".into(),
                volume: "cache".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &docker("cache", "shared")).unwrap(),
            Location::SharedDockerVolume {
                instance_id: "i-1".into(),
                volume: "cache".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &ebs("db")).unwrap(),
            Location::Ebs {
                volume_id: "vol-t-1-db".into(),
                az: "us-east-1a".into()
            }
        );
        assert_eq!(
            resolve(&on_ec2, &fsx("win", "fs-0abc")).unwrap(),
            Location::FsxWindows {
                file_system_id: "fs-0abc".into()
            }
        );
    }

    #[test]
    fn two_tasks_share_files_exactly_when_their_volumes_resolve_alike() {
        let a = TaskPlacement::on_instance("t-1", "i-1", "us-east-1a");
        let b = TaskPlacement::on_instance("t-2", "i-1", "us-east-1a");
        let c = TaskPlacement::on_instance("t-3", "i-2", "us-east-1a");
        let path = host_path("data", "/srv/data");
        assert_eq!(resolve(&a, &path), resolve(&b, &path));
        assert_ne!(resolve(&a, &path), resolve(&c, &path));
        assert_ne!(resolve(&a, &bind("scratch")), resolve(&b, &bind("scratch")));
        assert_ne!(resolve(&a, &ebs("db")), resolve(&b, &ebs("db")));
        assert_eq!(
            resolve(&a, &efs("s", "fs-1")),
            resolve(&c, &efs("s", "fs-1"))
        );
    }

    #[test]
    fn fargate_refuses_instance_storage_and_puts_bind_mounts_in_the_task() {
        let task = TaskPlacement::on_fargate("t-9", "us-east-1b");
        for volume in [
            host_path("data", "/srv"),
            docker("cache", "shared"),
            docker("cache", "task"),
            fsx("win", "fs-0abc"),
        ] {
            assert!(
                matches!(
                    resolve(&task, &volume),
                    Err(StoreError::UnsupportedOnFargate { .. })
                ),
                "{volume:?}"
            );
        }
        assert_eq!(
            resolve(&task, &bind("scratch")).unwrap(),
            Location::BindMount {
                task_id: "t-9".into(),
                volume: "scratch".into()
            }
        );
        assert!(resolve(&task, &efs("shared", "fs-1")).is_ok());
        assert!(resolve(&task, &ebs("db")).is_ok());
    }

    #[test]
    fn a_file_system_volume_needs_its_id() {
        let task = TaskPlacement::on_instance("t-1", "i-1", "us-east-1a");
        assert_eq!(
            resolve(&task, &efs("shared", "")),
            Err(StoreError::MissingFileSystemId {
                volume: "shared".into()
            })
        );
        let no_id = Volume {
            fsx_windows_file_server_volume_configuration: Some(serde_json::json!({})),
            ..bind("win")
        };
        assert!(matches!(
            resolve(&task, &no_id),
            Err(StoreError::MissingFileSystemId { .. })
        ));
    }

    #[test]
    fn efs_files_survive_a_task_stop_and_reach_a_replacement_in_another_az() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        let shared = store.mount("t-1", &efs("shared", "fs-1")).unwrap();
        store.write(&shared, "/orders.csv", "42 orders").unwrap();

        assert_eq!(store.on_task_stopped("t-1"), vec![]);

        store
            .start_task(TaskPlacement::on_fargate("t-2", "us-east-1b"))
            .unwrap();
        let seen = store.mount("t-2", &efs("shared", "fs-1")).unwrap();
        assert_eq!(seen, shared);
        assert_eq!(store.read(&seen, "/orders.csv"), Some("42 orders"));
    }

    #[test]
    fn a_replacement_on_another_instance_sees_efs_but_not_the_host_path() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        let original_host = store.mount("t-1", &host_path("data", "/srv/data")).unwrap();
        let original_efs = store.mount("t-1", &efs("shared", "fs-1")).unwrap();
        store.write(&original_host, "/report.txt", "local").unwrap();
        store.write(&original_efs, "/report.txt", "shared").unwrap();

        assert_eq!(store.on_task_stopped("t-1"), vec![]);

        store
            .start_task(TaskPlacement::on_instance("t-2", "i-2", "us-east-1a"))
            .unwrap();
        let replacement_host = store.mount("t-2", &host_path("data", "/srv/data")).unwrap();
        let replacement_efs = store.mount("t-2", &efs("shared", "fs-1")).unwrap();

        assert_eq!(store.read(&replacement_host, "/report.txt"), None);
        assert!(store.paths(&replacement_host).is_empty());
        assert_eq!(store.read(&replacement_efs, "/report.txt"), Some("shared"));
        // The original instance still has its copy.
        assert_eq!(store.read(&original_host, "/report.txt"), Some("local"));

        // And a later task back on i-1 finds it again.
        store
            .start_task(TaskPlacement::on_instance("t-3", "i-1", "us-east-1a"))
            .unwrap();
        let back = store.mount("t-3", &host_path("data", "/srv/data")).unwrap();
        assert_eq!(store.read(&back, "/report.txt"), Some("local"));
    }

    #[test]
    fn a_bind_mount_is_deleted_when_its_task_stops_and_says_why() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-2", "i-1", "us-east-1a"))
            .unwrap();
        let scratch = store.mount("t-2", &bind("scratch")).unwrap();
        for name in ["/a", "/b", "/c"] {
            store.write(&scratch, name, "x").unwrap();
        }

        let lost = store.on_task_stopped("t-2");

        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].location, scratch);
        assert_eq!(lost[0].volume_type, VolumeType::BindMount);
        assert_eq!(lost[0].event, DataEvent::TaskStop);
        assert_eq!(lost[0].files, vec!["/a", "/b", "/c"]);
        assert_eq!(
            lost[0].why,
            "3 files on the bind mount \"scratch\" of task t-2 were deleted when task t-2 \
             stopped. Bind mounts without a sourcePath live only as long as the task."
        );
        assert_eq!(store.read(&scratch, "/a"), None);
        assert_eq!(
            store.write(&scratch, "/d", "x"),
            Err(StoreError::TaskNotRunning("t-2".into()))
        );
        // Stopping again loses nothing more.
        assert!(store.on_task_stopped("t-2").is_empty());
    }

    #[test]
    fn a_restarted_container_keeps_its_writable_layer_but_a_stopped_task_does_not() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_fargate("t-1", "us-east-1a"))
            .unwrap();
        let layer = store.writable_layer("t-1", "web").unwrap();
        store.write(&layer, "/tmp/session", "abc").unwrap();

        assert!(store.on_container_restarted("t-1", "web").is_empty());
        assert_eq!(store.read(&layer, "/tmp/session"), Some("abc"));

        let lost = store.on_task_stopped("t-1");
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].volume_type, VolumeType::WritableLayer);
        assert!(lost[0]
            .why
            .starts_with("1 file on the writable layer of container web"));
    }

    #[test]
    fn docker_volumes_task_scoped_go_shared_ones_stay_on_the_instance() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        let task_scoped = store.mount("t-1", &docker("tmp", "task")).unwrap();
        let shared = store.mount("t-1", &docker("cache", "shared")).unwrap();
        store.write(&task_scoped, "/x", "1").unwrap();
        store.write(&shared, "/y", "2").unwrap();

        let lost = store.on_task_stopped("t-1");
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].location, task_scoped);

        store
            .start_task(TaskPlacement::on_instance("t-2", "i-1", "us-east-1a"))
            .unwrap();
        let again = store.mount("t-2", &docker("cache", "shared")).unwrap();
        assert_eq!(store.read(&again, "/y"), Some("2"));
    }

    #[test]
    fn an_ebs_volume_is_deleted_when_its_task_stops_by_default() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_fargate("t-1", "us-east-1a"))
            .unwrap();
        let volume = store.mount("t-1", &ebs("db")).unwrap();
        store.write(&volume, "/pgdata/base", "rows").unwrap();

        let lost = store.on_task_stopped("t-1");

        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].volume_type, VolumeType::Ebs);
        assert!(lost[0].why.contains("EBS volume vol-t-1-db in us-east-1a"));
        assert!(lost[0].why.contains("deleteOnTermination"));
        assert_eq!(
            store.write(&volume, "/again", "x"),
            Err(StoreError::UnknownEbsVolume("vol-t-1-db".into()))
        );

        // A replacement gets a new, empty volume.
        store
            .start_task(TaskPlacement::on_fargate("t-2", "us-east-1a"))
            .unwrap();
        let fresh = store.mount("t-2", &ebs("db")).unwrap();
        assert_ne!(fresh, volume);
        assert!(store.paths(&fresh).is_empty());
    }

    #[test]
    fn a_standalone_task_can_keep_its_ebs_volume_until_the_az_goes() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a").keeping_ebs_volume())
            .unwrap();
        let volume = store.mount("t-1", &ebs("db")).unwrap();
        store.write(&volume, "/pgdata/base", "rows").unwrap();

        assert!(store.on_task_stopped("t-1").is_empty());
        assert_eq!(store.read(&volume, "/pgdata/base"), Some("rows"));

        let lost = store.on_az_lost("us-east-1a");
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].location, volume);
        assert!(lost[0].why.contains("one AZ"), "{}", lost[0].why);
    }

    #[test]
    fn losing_an_instance_loses_its_disk_and_its_tasks_but_not_efs() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        let host = store.mount("t-1", &host_path("data", "/srv")).unwrap();
        let scratch = store.mount("t-1", &bind("scratch")).unwrap();
        let shared = store.mount("t-1", &efs("shared", "fs-1")).unwrap();
        for location in [&host, &scratch, &shared] {
            store.write(location, "/f", "x").unwrap();
        }

        let lost = store.on_instance_lost("i-1");

        let where_lost: Vec<&Location> = lost.iter().map(|l| &l.location).collect();
        assert_eq!(where_lost, vec![&scratch, &host]);
        assert!(lost.iter().all(|l| l.event == DataEvent::InstanceLoss));
        assert!(lost[1].why.contains("lost with instance i-1"));
        assert_eq!(store.read(&shared, "/f"), Some("x"));
        assert!(!store.is_running("t-1"));
        assert_eq!(
            store.start_task(TaskPlacement::on_instance("t-2", "i-1", "us-east-1a")),
            Err(StoreError::InstanceLost("i-1".into()))
        );
    }

    #[test]
    fn losing_an_az_loses_instance_local_data_there_but_not_efs_or_other_azs() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-a", "i-a", "us-east-1a"))
            .unwrap();
        store
            .start_task(TaskPlacement::on_fargate("t-f", "us-east-1a"))
            .unwrap();
        store
            .start_task(TaskPlacement::on_instance("t-b", "i-b", "us-east-1b"))
            .unwrap();
        let host_a = store.mount("t-a", &host_path("data", "/srv")).unwrap();
        let fargate_scratch = store.mount("t-f", &bind("scratch")).unwrap();
        let host_b = store.mount("t-b", &host_path("data", "/srv")).unwrap();
        let shared = store.mount("t-a", &efs("shared", "fs-1")).unwrap();
        for location in [&host_a, &fargate_scratch, &host_b, &shared] {
            store.write(location, "/f", "x").unwrap();
        }

        let lost = store.on_az_lost("us-east-1a");

        let where_lost: BTreeSet<&Location> = lost.iter().map(|l| &l.location).collect();
        assert_eq!(where_lost, BTreeSet::from([&host_a, &fargate_scratch]));
        assert!(lost.iter().all(|l| l.event == DataEvent::AzLoss));
        assert!(lost.iter().all(|l| l.why.contains("lost with us-east-1a")));
        assert_eq!(store.read(&shared, "/f"), Some("x"));
        assert_eq!(store.read(&host_b, "/f"), Some("x"));
        assert!(store.is_running("t-b"));
        assert!(!store.is_running("t-a") && !store.is_running("t-f"));
        assert_eq!(
            store.start_task(TaskPlacement::on_fargate("t-g", "us-east-1a")),
            Err(StoreError::AzLost("us-east-1a".into()))
        );
        // A replacement in the surviving AZ still reads the EFS file.
        store
            .start_task(TaskPlacement::on_fargate("t-g", "us-east-1b"))
            .unwrap();
        let seen = store.mount("t-g", &efs("shared", "fs-1")).unwrap();
        assert_eq!(store.read(&seen, "/f"), Some("x"));
    }

    #[test]
    fn fsx_for_windows_outlives_its_az_only_when_multi_az() {
        let mut store = FileStore::new();
        store.add_fsx_windows(
            "fs-single",
            FsxDeployment::SingleAz {
                az: "us-east-1a".into(),
            },
        );
        store.add_fsx_windows(
            "fs-multi",
            FsxDeployment::MultiAz {
                preferred_az: "us-east-1a".into(),
                standby_az: "us-east-1b".into(),
            },
        );
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1b"))
            .unwrap();
        let single = store.mount("t-1", &fsx("a", "fs-single")).unwrap();
        let multi = store.mount("t-1", &fsx("b", "fs-multi")).unwrap();
        store.write(&single, "/doc", "1").unwrap();
        store.write(&multi, "/doc", "2").unwrap();

        assert!(store.on_task_stopped("t-1").is_empty());
        let lost = store.on_az_lost("us-east-1a");

        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].location, single);
        assert_eq!(store.read(&multi, "/doc"), Some("2"));
        assert!(store.write(&multi, "/doc2", "3").is_ok());
        assert_eq!(
            store.write(&single, "/doc2", "3"),
            Err(StoreError::AzLost("us-east-1a".into()))
        );
    }

    #[test]
    fn an_unregistered_fsx_file_system_cannot_be_mounted() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        assert_eq!(
            store.mount("t-1", &fsx("win", "fs-nope")),
            Err(StoreError::UnknownFileSystem("fs-nope".into()))
        );
    }

    #[test]
    fn the_store_refuses_what_does_not_exist() {
        let mut store = FileStore::new();
        assert_eq!(
            store.mount("t-0", &bind("x")),
            Err(StoreError::UnknownTask("t-0".into()))
        );
        let nowhere = Location::HostPath {
            instance_id: "i-9".into(),
            source_path: "/srv".into(),
        };
        assert_eq!(
            store.write(&nowhere, "/f", "x"),
            Err(StoreError::UnknownInstance("i-9".into()))
        );
        store.add_instance("i-1", "us-east-1a").unwrap();
        assert_eq!(
            store.start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1b")),
            Err(StoreError::InstanceInOtherAz {
                instance_id: "i-1".into(),
                az: "us-east-1a".into()
            })
        );
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        assert_eq!(
            store.start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a")),
            Err(StoreError::TaskAlreadyStarted("t-1".into()))
        );
    }

    #[test]
    fn the_same_story_gives_the_same_events() {
        let run = || {
            let mut store = FileStore::new();
            let mut events = Vec::new();
            for (task, instance) in [("t-1", "i-1"), ("t-2", "i-2"), ("t-3", "i-1")] {
                store
                    .start_task(TaskPlacement::on_instance(task, instance, "us-east-1a"))
                    .unwrap();
                for volume in [bind("s"), host_path("h", "/h"), ebs("e")] {
                    let location = store.mount(task, &volume).unwrap();
                    store.write(&location, "/f", task).unwrap();
                }
            }
            events.extend(store.on_task_stopped("t-2"));
            events.extend(store.on_az_lost("us-east-1a"));
            events
        };
        let first = run();
        assert_eq!(first, run());
        // t-2 stops: its bind mount and EBS volume. The AZ: t-1 and t-3 (bind
        // mount and EBS each), then the host path on i-1 and on i-2.
        assert_eq!(first.len(), 2 + 6);
    }

    #[test]
    fn one_file_reads_in_the_singular() {
        let mut store = FileStore::new();
        store
            .start_task(TaskPlacement::on_instance("t-1", "i-1", "us-east-1a"))
            .unwrap();
        let scratch = store.mount("t-1", &bind("scratch")).unwrap();
        store.write(&scratch, "/only", "x").unwrap();
        let lost = store.on_task_stopped("t-1");
        assert!(
            lost[0]
                .why
                .starts_with("1 file on the bind mount \"scratch\" of task t-1 was deleted"),
            "{}",
            lost[0].why
        );
    }
}
