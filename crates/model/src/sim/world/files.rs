//! What tasks write, on which volume, and what an event does to it
//! (rules §5): the task's side of `crate::storage::files`.

use super::*;
use crate::storage::files as storage;

impl Ecs {
    /// A task that reached RUNNING has its volumes in the file store.
    pub(super) fn start_files(&mut self, task_id: &str) {
        let task = &self.tasks[task_id];
        let placement = match &task.placement {
            Placement::Ec2 { instance, az } => TaskPlacement::on_instance(task_id, instance, az),
            Placement::Fargate { az, .. } => TaskPlacement::on_fargate(task_id, az),
            Placement::AwaitingCapacity { .. } => return,
        };
        let volumes: Vec<_> = self
            .task_definition(task_id)
            .volumes
            .iter()
            .flatten()
            .cloned()
            .collect();
        if self.files.start_task(placement).is_ok() {
            for volume in &volumes {
                // A volume the platform refuses was refused at registration.
                let _ = self.files.mount(task_id, volume);
            }
        }
    }

    pub(super) fn report_lost(
        &mut self,
        cx: &Env<'_>,
        lost: Vec<storage::DataLost>,
        out: &mut Vec<Event>,
    ) {
        for data in lost.into_iter().filter(|d| !d.files.is_empty()) {
            cx.emit(
                out,
                What::DataLost {
                    location: data.location.to_string(),
                    files: data.files,
                    why: data.why,
                },
            );
        }
    }

    /// The task that last wrote `path` at `location` (as in `TaskFiles`).
    pub(super) fn file_writer(&self, location: &str, path: &str) -> Option<&str> {
        self.writers
            .get(&(location.to_string(), path.to_string()))
            .map(String::as_str)
    }

    /// What a task can see: each of its volumes and each container's own
    /// filesystem, where it lives, and the files there now.
    pub(super) fn task_files(&self, task_id: &str) -> Vec<TaskFiles> {
        let Some(placement) = self.files.placement(task_id) else {
            return Vec::new();
        };
        let definition = self.task_definition(task_id);
        let mut out = Vec::new();
        for volume in definition.volumes.iter().flatten() {
            if let Ok(location) = storage::resolve(placement, volume) {
                out.push(TaskFiles {
                    volume: Some(volume.name.clone()),
                    location: location.to_string(),
                    paths: self
                        .files
                        .paths(&location)
                        .iter()
                        .map(|p| p.to_string())
                        .collect(),
                });
            }
        }
        for container in &definition.container_definitions {
            let location = Location::WritableLayer {
                task_id: task_id.to_string(),
                container: container.name.clone(),
            };
            out.push(TaskFiles {
                volume: None,
                location: location.to_string(),
                paths: self
                    .files
                    .paths(&location)
                    .iter()
                    .map(|p| p.to_string())
                    .collect(),
            });
        }
        out
    }
}
