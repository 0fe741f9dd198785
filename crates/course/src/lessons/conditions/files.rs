//! Conditions on files: what a running task sees on its volumes, and which
//! task wrote it there.

use dockyard_model::sim::world::World;

use super::{running, Fields, Kind};

/// A running task of `service` sees the file `path` on one of its volumes;
/// with `written_by`, a task other than that one sees the file as that task
/// wrote it, so the data was handed on, not rewritten.
#[derive(Clone, Debug, PartialEq)]
pub struct FileSeen {
    pub service: String,
    pub path: String,
    pub written_by: Option<String>,
}

impl Kind for FileSeen {
    const IS: &'static str = "fileSeen";
    const FIELDS: &'static [&'static str] = &["service", "path", "writtenBy"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(FileSeen {
            service: fields.text("service")?,
            path: fields.text("path")?,
            written_by: fields.optional_text("writtenBy"),
        })
    }

    fn describe(&self) -> String {
        let FileSeen {
            service,
            path,
            written_by,
        } = self;
        match written_by {
            None => format!("A running task of {service} sees the file {path}"),
            Some(writer) => format!(
                "A running task of {service} other than {writer} sees the file {path} that {writer} wrote"
            ),
        }
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let FileSeen {
            service,
            path,
            written_by,
        } = self;
        let tasks = running(world, service);
        // Each running task that has the file on a volume, with the task
        // that wrote it there.
        let sightings: Vec<(&str, Option<&str>)> = tasks
            .iter()
            .flat_map(|t| {
                world
                    .task_files(&t.id)
                    .into_iter()
                    .filter(|f| f.volume.is_some() && f.paths.iter().any(|p| p == path))
                    .map(|f| (t.id.as_str(), world.file_writer(&f.location, path)))
                    .collect::<Vec<_>>()
            })
            .collect();
        let handed_on = |writer: &str| {
            sightings
                .iter()
                .any(|(reader, wrote)| *reader != writer && *wrote == Some(writer))
        };
        let seen = match written_by {
            None => !sightings.is_empty(),
            Some(writer) => handed_on(writer),
        };
        let detail = match (tasks.len(), seen, written_by) {
            (0, _, _) => format!("no task of {service} is running"),
            (_, true, _) => "seen on a volume".into(),
            (_, false, Some(writer)) if !sightings.is_empty() => {
                if sightings.iter().all(|(r, _)| r == writer) {
                    format!("only {writer} itself sees it")
                } else {
                    format!(
                        "it is there, but {writer} did not write it: {} did",
                        sightings
                            .iter()
                            .find_map(|(_, wrote)| *wrote)
                            .unwrap_or("another task")
                    )
                }
            }
            // Without a writer to name, unseen means no sighting at all.
            (_, false, _) => "not on any volume of its running tasks".into(),
        };
        (seen, detail)
    }
}
