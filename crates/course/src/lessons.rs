//! Lessons: a chapter, a starting world, a goal written as conditions on the
//! model's state, hints in order, a reference solution and a named wrong
//! answer, all as data (`lessons/*.lesson.json`). The goal is checked
//! against the simulated world, never against what the learner typed.
//!
//! A lesson starts from a shipped scenario cut to its first `keepSteps`
//! steps (the set-up); the learner's commands come after, as in the sandbox.

use dockyard_model::iam::AppCall;
use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::scenario::{Player, Scenario, Step};
use dockyard_model::sim::types::{seconds, Placement, TaskState};
use dockyard_model::sim::world::World;
use serde_json::{Map, Value};

use crate::scenarios::{scenario, ShippedScenario};

/// The lesson format version this build reads.
pub const LESSON_VERSION: u64 = 1;

/// A lesson as written in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub chapter: &'static str,
    pub title: String,
    /// What to do, in a sentence or two.
    pub brief: String,
    pub scenario: &'static ShippedScenario,
    pub keep_steps: usize,
    /// When the goal is judged outside the sandbox (seconds from the start).
    pub check_at: u64,
    pub goal: Vec<Condition>,
    pub hints: Vec<String>,
    pub solution: Vec<Step>,
    /// A plausible wrong answer, and why it is wrong (tested not to pass).
    pub wrong_why: String,
    pub wrong: Vec<Step>,
}

/// One condition of a goal, on the state of the world.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// At least `at_least` tasks RUNNING for a service (or any task of a
    /// task definition family), on Fargate or EC2 when `on` says so.
    TasksRunning {
        service: Option<String>,
        family: Option<String>,
        at_least: u32,
        on: Option<Compute>,
    },
    /// A running task of `service` makes `call` (as the app would), and
    /// IAM's verdict is `allowed`.
    Call {
        service: String,
        call: String,
        allowed: bool,
    },
    /// A running task of `service` sees the file `path` on one of its
    /// volumes; with `written_by`, a task other than that one sees the file
    /// as that task wrote it, so the data was handed on, not rewritten.
    FileSeen {
        service: String,
        path: String,
        written_by: Option<String>,
    },
    /// A running task of `service` has `container` using at least
    /// `using_at_least` MiB, and (with `reserved_at_most`) the container
    /// reserves no more than that on its instance: memoryReservation when
    /// set, else memory, is what the scheduler holds for it.
    ContainerMemory {
        service: String,
        container: String,
        using_at_least: u32,
        reserved_at_most: Option<u32>,
    },
    /// The task `task` has stopped.
    TaskStopped { task: String },
    /// The Availability Zone `az` is lost (and not restored).
    AzLost { az: String },
    /// No container instance runs two RUNNING tasks of `service`.
    OneTaskPerInstance { service: String },
    /// Every Running pod of `deployment` on Fargate has this Fargate size
    /// (CPU units, MiB), and at least one runs.
    FargatePodSize {
        deployment: String,
        cpu: u32,
        memory_mib: u32,
    },
    /// At least `at_least` pods of an EKS Deployment Running, on Fargate or
    /// on nodes when `on` says so.
    PodsRunning {
        deployment: String,
        at_least: u32,
        on: Option<Compute>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compute {
    Fargate,
    Ec2,
}

/// A condition judged: met or not, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub met: bool,
    pub words: String,
}

macro_rules! shipped_lessons {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("../../../lessons/", $id, ".lesson.json")))),*]
    };
}

/// Every lesson, in course order (the order of their chapters; tested).
pub const LESSON_FILES: &[(&str, &str)] = shipped_lessons![
    "run-a-service-on-fargate",
    "a-service-keeps-its-tasks",
    "memory-is-a-limit-reservation-a-booking",
    "the-execution-role-pulls-on-fargate",
    "a-task-role-for-the-app",
    "data-that-survives-a-task",
    "efs-outlives-a-zone-ebs-does-not",
    "capacity-providers-scale-their-own-tasks",
    "constraints-bind-strategies-prefer",
    "hpa-scales-pods-the-autoscaler-nodes",
    "pods-on-a-fargate-profile",
    "fargate-sizes-pods-with-overhead",
];

/// All shipped lessons, parsed (they are checked by the tests).
pub fn lessons() -> Vec<Lesson> {
    LESSON_FILES
        .iter()
        .map(|(id, text)| Lesson::parse(text).unwrap_or_else(|e| panic!("{id}: {e}")))
        .collect()
}

pub fn lesson(id: &str) -> Option<Lesson> {
    LESSON_FILES
        .iter()
        .find(|(known, _)| *known == id)
        .and_then(|(_, text)| Lesson::parse(text).ok())
}

fn text(map: &Map<String, Value>, key: &str) -> Result<String, String> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{key}: expected a string"))
}

fn number(map: &Map<String, Value>, key: &str) -> Result<u64, String> {
    map.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("{key}: expected a whole number"))
}

fn steps(value: Option<&Value>, key: &str) -> Result<Vec<Step>, String> {
    let value = value.ok_or_else(|| format!("{key}: expected a list of steps"))?;
    dockyard_model::json::from_value(value).map_err(|e| {
        if e.path.is_empty() {
            format!("{key}: {}", e.message)
        } else {
            format!(
                "{key}{}{}: {}",
                if e.path.starts_with('[') { "" } else { "." },
                e.path,
                e.message
            )
        }
    })
}

impl Lesson {
    /// Reads a lesson file, naming the field of any error.
    pub fn parse(text_: &str) -> Result<Lesson, String> {
        let value: Value = serde_json::from_str(text_).map_err(|e| e.to_string())?;
        let map = value.as_object().ok_or("a lesson is a JSON object")?;
        if map.get("lesson").and_then(Value::as_u64) != Some(LESSON_VERSION) {
            return Err(format!("lesson: expected format version {LESSON_VERSION}"));
        }
        let chapter_slug = text(map, "chapter")?;
        let chapter = crate::chapter(&chapter_slug)
            .ok_or_else(|| format!("chapter: there is no chapter {chapter_slug:?}"))?
            .slug;
        let scenario_slug = text(map, "scenario")?;
        let scenario = scenario(&scenario_slug)
            .ok_or_else(|| format!("scenario: there is no scenario {scenario_slug:?}"))?;
        let goal = map
            .get("goal")
            .and_then(Value::as_array)
            .ok_or("goal: expected a list of conditions")?
            .iter()
            .enumerate()
            .map(|(i, c)| Condition::parse(c).map_err(|e| format!("goal[{i}]: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        if goal.is_empty() {
            return Err("goal: give at least one condition".into());
        }
        let hints = map
            .get("hints")
            .and_then(Value::as_array)
            .ok_or("hints: expected a list of strings")?
            .iter()
            .map(|h| {
                h.as_str()
                    .map(str::to_string)
                    .ok_or("hints: expected strings")
            })
            .collect::<Result<Vec<_>, _>>()?;
        let wrong = map
            .get("wrong")
            .and_then(Value::as_object)
            .ok_or("wrong: expected an object")?;
        Ok(Lesson {
            id: text(map, "id")?,
            chapter,
            title: text(map, "title")?,
            brief: text(map, "brief")?,
            scenario,
            keep_steps: number(map, "keepSteps")? as usize,
            check_at: number(map, "checkAt")?,
            goal,
            hints,
            solution: steps(map.get("solution"), "solution")?,
            wrong_why: text(wrong, "why").map_err(|e| format!("wrong.{e}"))?,
            wrong: steps(wrong.get("steps"), "wrong.steps")?,
        })
    }

    /// The starting scenario: the shipped one, cut to its set-up.
    pub fn start(&self) -> Scenario {
        let mut start = Scenario::parse(self.scenario.json).expect("shipped scenarios parse");
        start.steps.truncate(self.keep_steps);
        start.until = start.until.max(self.check_at);
        start
    }

    /// Plays the start and then `steps` to `check_at`, and judges the goal.
    pub fn check(&self, steps: &[Step]) -> Vec<Judged> {
        let mut scenario = self.start();
        scenario.steps.extend(steps.iter().cloned());
        let mut player = Player::new(&scenario, None);
        player.advance_to(seconds(self.check_at));
        self.judge(&player.world)
    }

    pub fn judge(&self, world: &World) -> Vec<Judged> {
        self.goal.iter().map(|c| c.judge(world)).collect()
    }
}

/// Whether every condition is met.
pub fn all_met(judged: &[Judged]) -> bool {
    judged.iter().all(|j| j.met)
}

impl Condition {
    fn parse(value: &Value) -> Result<Condition, String> {
        let map = value.as_object().ok_or("a condition is a JSON object")?;
        let on = match map.get("on").and_then(Value::as_str) {
            None => None,
            Some("fargate") => Some(Compute::Fargate),
            Some("ec2") => Some(Compute::Ec2),
            Some(other) => return Err(format!("on: {other:?} is not fargate or ec2")),
        };
        let optional = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
        let (condition, keys): (Condition, &[&str]) = match map.get("is").and_then(Value::as_str) {
            Some("tasksRunning") => {
                let (service, family) = (optional("service"), optional("family"));
                if service.is_none() == family.is_none() {
                    return Err("name a service or a family, one of them".into());
                }
                (
                    Condition::TasksRunning {
                        service,
                        family,
                        at_least: number(map, "atLeast")? as u32,
                        on,
                    },
                    &["service", "family", "atLeast", "on"],
                )
            }
            Some("call") => {
                let call = text(map, "call")?;
                AppCall::parse(&call).map_err(|e| format!("call: {e:?}"))?;
                (
                    Condition::Call {
                        service: text(map, "service")?,
                        call,
                        allowed: map
                            .get("allowed")
                            .and_then(Value::as_bool)
                            .ok_or("allowed: expected true or false")?,
                    },
                    &["service", "call", "allowed"],
                )
            }
            Some("fileSeen") => (
                Condition::FileSeen {
                    service: text(map, "service")?,
                    path: text(map, "path")?,
                    written_by: optional("writtenBy"),
                },
                &["service", "path", "writtenBy"],
            ),
            Some("containerMemory") => (
                Condition::ContainerMemory {
                    service: text(map, "service")?,
                    container: text(map, "container")?,
                    using_at_least: number(map, "usingAtLeast")? as u32,
                    reserved_at_most: match map.get("reservedAtMost") {
                        None => None,
                        Some(_) => Some(number(map, "reservedAtMost")? as u32),
                    },
                },
                &["service", "container", "usingAtLeast", "reservedAtMost"],
            ),
            Some("taskStopped") => (
                Condition::TaskStopped {
                    task: text(map, "task")?,
                },
                &["task"],
            ),
            Some("azLost") => (Condition::AzLost { az: text(map, "az")? }, &["az"]),
            Some("oneTaskPerInstance") => (
                Condition::OneTaskPerInstance {
                    service: text(map, "service")?,
                },
                &["service"],
            ),
            Some("fargatePodSize") => (
                Condition::FargatePodSize {
                    deployment: text(map, "deployment")?,
                    cpu: number(map, "cpu")? as u32,
                    memory_mib: number(map, "memoryMiB")? as u32,
                },
                &["deployment", "cpu", "memoryMiB"],
            ),
            Some("podsRunning") => (
                Condition::PodsRunning {
                    deployment: text(map, "deployment")?,
                    at_least: number(map, "atLeast")? as u32,
                    on,
                },
                &["deployment", "atLeast", "on"],
            ),
            _ => {
                return Err(
                    "is: expected tasksRunning, call, fileSeen, containerMemory, taskStopped, azLost, oneTaskPerInstance, fargatePodSize or podsRunning"
                        .into(),
                )
            }
        };
        if let Some(unknown) = map
            .keys()
            .find(|k| *k != "is" && !keys.contains(&k.as_str()))
        {
            return Err(format!("{unknown}: not a field of this condition"));
        }
        Ok(condition)
    }

    /// The condition in words, as the lesson panel lists it.
    pub fn describe(&self) -> String {
        let on = |on: &Option<Compute>| match on {
            Some(Compute::Fargate) => " on Fargate",
            Some(Compute::Ec2) => " on EC2",
            None => "",
        };
        match self {
            Condition::TasksRunning {
                service,
                family,
                at_least,
                on: compute,
            } => match (service, family) {
                (Some(service), _) => format!(
                    "Service {service} runs at least {at_least} task{}{}",
                    plural(*at_least),
                    on(compute)
                ),
                (_, family) => format!(
                    "At least {at_least} task{} of {} running{}",
                    plural(*at_least),
                    family.as_deref().unwrap_or_default(),
                    on(compute)
                ),
            },
            Condition::Call {
                service,
                call,
                allowed,
            } => format!(
                "A task of {service} may {}: {call}",
                if *allowed {
                    "make this call"
                } else {
                    "not make this call"
                }
            ),
            Condition::FileSeen {
                service,
                path,
                written_by: None,
            } => format!("A running task of {service} sees the file {path}"),
            Condition::FileSeen {
                service,
                path,
                written_by: Some(writer),
            } => format!(
                "A running task of {service} other than {writer} sees the file {path} that {writer} wrote"
            ),
            Condition::ContainerMemory {
                service,
                container,
                using_at_least,
                reserved_at_most,
            } => format!(
                "A running task of {service} has {container} using at least {using_at_least} MiB{}",
                match reserved_at_most {
                    Some(most) => format!(" while reserving at most {most} MiB of its instance"),
                    None => String::new(),
                }
            ),
            Condition::TaskStopped { task } => format!("Task {task} has stopped"),
            Condition::AzLost { az } => format!("Availability Zone {az} is lost"),
            Condition::OneTaskPerInstance { service } => {
                format!("No instance runs two tasks of {service}")
            }
            Condition::FargatePodSize {
                deployment,
                cpu,
                memory_mib,
            } => format!(
                "Each Running pod of {deployment} gets a Fargate micro-VM of {} vCPU and {} GB",
                f64::from(*cpu) / 1024.0,
                f64::from(*memory_mib) / 1024.0
            ),
            Condition::PodsRunning {
                deployment,
                at_least,
                on: compute,
            } => format!(
                "Deployment {deployment} has at least {at_least} pod{} Running{}",
                plural(*at_least),
                on(compute)
            ),
        }
    }

    pub fn judge(&self, world: &World) -> Judged {
        let running = |service: &str| -> Vec<&dockyard_model::sim::world::Task> {
            world
                .tasks()
                .filter(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
                .collect()
        };
        let (met, detail) = match self {
            Condition::TasksRunning {
                service,
                family,
                at_least,
                on,
            } => {
                let count = world
                    .tasks()
                    .filter(|t| t.state == TaskState::Running)
                    .filter(|t| match (service, family) {
                        (Some(service), _) => t.service.as_deref() == Some(service.as_str()),
                        (_, Some(family)) => t.revision.split(':').next() == Some(family.as_str()),
                        _ => false,
                    })
                    .filter(|t| {
                        matches!(
                            (on, &t.placement),
                            (None, _)
                                | (Some(Compute::Fargate), Placement::Fargate { .. })
                                | (Some(Compute::Ec2), Placement::Ec2 { .. })
                        )
                    })
                    .count() as u32;
                (count >= *at_least, format!("{count} running now"))
            }
            Condition::Call {
                service,
                call,
                allowed,
            } => {
                let call = AppCall::parse(call).expect("checked when the lesson was read");
                match running(service)
                    .first()
                    .and_then(|t| world.check_task_call(&t.id, &call))
                {
                    None => (
                        false,
                        format!("no task of {service} is running to make the call"),
                    ),
                    Some(check) => (check.is_allowed() == *allowed, check.explanation.clone()),
                }
            }
            Condition::FileSeen {
                service,
                path,
                written_by,
            } => {
                let tasks = running(service);
                // Each running task that has the file on a volume, with the
                // task that wrote it there.
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
                    (_, false, _) if sightings.is_empty() => {
                        "not on any volume of its running tasks".into()
                    }
                    (_, false, Some(writer)) if sightings.iter().all(|(r, _)| r == writer) => {
                        format!("only {writer} itself sees it")
                    }
                    (_, false, Some(writer)) => format!(
                        "it is there, but {writer} did not write it: {} did",
                        sightings
                            .iter()
                            .find_map(|(_, wrote)| *wrote)
                            .unwrap_or("another task")
                    ),
                    (_, false, None) => unreachable!("no sighting is handled above"),
                };
                (seen, detail)
            }
            Condition::ContainerMemory {
                service,
                container,
                using_at_least,
                reserved_at_most,
            } => {
                let tasks = running(service);
                // Each running task's use of the container, and what the
                // scheduler reserved for it.
                let seen: Vec<(u32, Option<i64>)> = tasks
                    .iter()
                    .map(|t| {
                        let used = t.memory_used.get(container).copied().unwrap_or(0);
                        let reserved = world.definition_of(&t.id).and_then(|d| {
                            d.container_definitions
                                .iter()
                                .find(|c| c.name == *container)
                                .and_then(|c| c.memory_reservation.or(c.memory))
                        });
                        (used, reserved)
                    })
                    .collect();
                let fits = |reserved: Option<i64>| match (reserved_at_most, reserved) {
                    (None, _) => true,
                    (Some(most), Some(r)) => r <= i64::from(*most),
                    (Some(_), None) => false,
                };
                let met = seen
                    .iter()
                    .any(|(used, reserved)| used >= using_at_least && fits(*reserved));
                let most = seen.iter().max_by_key(|(used, _)| *used);
                let detail = match (tasks.len(), most) {
                    (0, _) | (_, None) => format!("no task of {service} is running"),
                    (_, Some((used, reserved))) => format!(
                        "its busiest running task has {container} using {used} MiB, reserving {}",
                        reserved.map_or("no memory".to_string(), |r| format!("{r} MiB"))
                    ),
                };
                (met, detail)
            }
            Condition::TaskStopped { task } => match world.task(task) {
                Some(t) if t.state == TaskState::Stopped => (true, "stopped".into()),
                Some(t) => (false, format!("{:?}", t.state).to_uppercase()),
                None => (false, "no such task yet".into()),
            },
            Condition::AzLost { az } => {
                let lost = world.lost_azs().contains(az);
                (lost, if lost { "lost" } else { "still up" }.to_string())
            }
            Condition::OneTaskPerInstance { service } => {
                let mut seen: Vec<&str> = Vec::new();
                let mut twice = None;
                for task in running(service) {
                    if let Placement::Ec2 { instance, .. } = &task.placement {
                        if seen.contains(&instance.as_str()) {
                            twice = Some(instance.clone());
                        }
                        seen.push(instance);
                    }
                }
                match twice {
                    Some(instance) => (false, format!("{instance} runs two or more")),
                    None => (
                        true,
                        format!("{} tasks on {} instances", seen.len(), seen.len()),
                    ),
                }
            }
            Condition::FargatePodSize {
                deployment,
                cpu,
                memory_mib,
            } => {
                let sizes: Vec<(u32, u32)> = world
                    .eks()
                    .pods
                    .values()
                    .filter(|p| p.deployment == *deployment && p.phase == PodPhase::Running)
                    .filter_map(|p| match p.placement {
                        PodPlacement::Fargate {
                            cpu_units,
                            memory_mib,
                        } => Some((cpu_units, memory_mib)),
                        _ => None,
                    })
                    .collect();
                match sizes.iter().find(|size| **size != (*cpu, *memory_mib)) {
                    _ if sizes.is_empty() => (false, "no pod of it runs on Fargate yet".into()),
                    Some((c, m)) => (
                        false,
                        format!(
                            "a pod got {} vCPU and {} GB",
                            f64::from(*c) / 1024.0,
                            f64::from(*m) / 1024.0
                        ),
                    ),
                    None => (true, format!("{} pods of that size", sizes.len())),
                }
            }
            Condition::PodsRunning {
                deployment,
                at_least,
                on,
            } => {
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
        };
        Judged {
            met,
            words: format!("{}: {}.", self.describe(), detail.trim_end_matches('.')),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lesson file in lessons/ is listed, reads, and teaches: the
    /// start does not meet the goal, the reference solution does, and the
    /// named wrong answer does not.
    #[test]
    fn every_lesson_is_solvable_and_not_by_the_wrong_answer() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let id = name
                .strip_suffix(".lesson.json")
                .expect("lessons/ holds lesson files");
            assert!(
                LESSON_FILES.iter().any(|(known, _)| *known == id),
                "{id} is not in LESSON_FILES"
            );
            files += 1;
        }
        assert_eq!(files, LESSON_FILES.len());
        let position = |slug: &str| crate::CHAPTERS.iter().position(|c| c.slug == slug).unwrap();
        let order: Vec<usize> = lessons().iter().map(|l| position(l.chapter)).collect();
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "LESSON_FILES is not in chapter order: {order:?}"
        );
        for lesson in lessons() {
            let start = lesson.check(&[]);
            assert!(
                !all_met(&start),
                "{}: the start already meets the goal: {start:?}",
                lesson.id
            );
            let solved = lesson.check(&lesson.solution);
            assert!(
                all_met(&solved),
                "{}: the solution does not meet the goal: {solved:?}",
                lesson.id
            );
            let wrong = lesson.check(&lesson.wrong);
            assert!(
                !all_met(&wrong),
                "{}: the wrong answer ({}) meets the goal",
                lesson.id,
                lesson.wrong_why
            );
            assert!(!lesson.hints.is_empty(), "{}", lesson.id);
        }
    }

    /// The shortcut around "data that survives its task": stop t-1 first,
    /// then write the report straight into its replacement. The file is
    /// there, but nothing was handed on, so the goal stays unmet.
    #[test]
    fn a_file_written_into_the_replacement_is_not_data_handed_on() {
        let lesson = lesson("data-that-survives-a-task").unwrap();
        let steps: Vec<Step> = dockyard_model::json::from_value(&serde_json::json!([
            {"at": 120, "do": "stopTask", "task": "t-1"},
            {"at": 400, "do": "writeFile", "task": "t-2", "volume": "shared",
             "path": "reports/2026-11.csv", "contents": "month,total\n11,42\n"}
        ]))
        .unwrap();
        let mut scenario = lesson.start();
        scenario.steps.extend(steps.iter().cloned());
        let mut player = Player::new(&scenario, None);
        player.advance_to(seconds(lesson.check_at));
        assert!(player.refused.is_empty(), "{:?}", player.refused);
        // The file is on the replacement's volume: a goal without a writer
        // would be fooled.
        let anyone = Condition::FileSeen {
            service: "reporter".into(),
            path: "reports/2026-11.csv".into(),
            written_by: None,
        };
        assert!(anyone.judge(&player.world).met);
        let judged = lesson.judge(&player.world);
        assert!(!all_met(&judged), "{judged:?}");
        let seen = judged.iter().find(|j| !j.met).unwrap();
        assert_eq!(
            seen.words,
            "A running task of reporter other than t-1 sees the file reports/2026-11.csv that t-1 wrote: it is there, but t-1 did not write it: t-2 did."
        );
    }

    #[test]
    fn a_bad_lesson_is_refused_by_field() {
        let good = LESSON_FILES[0].1;
        for (from, to, message) in [
            (
                "\"lesson\": 1",
                "\"lesson\": 2",
                "lesson: expected format version 1",
            ),
            (
                "\"chapter\": \"ecs-launch-types\"",
                "\"chapter\": \"nowhere\"",
                "chapter: there is no chapter",
            ),
            (
                "\"is\": \"tasksRunning\"",
                "\"is\": \"taskRunning\"",
                "goal[0]: is: expected",
            ),
            (
                "\"atLeast\": 2",
                "\"atLeast\": \"2\"",
                "goal[0]: atLeast: expected a whole number",
            ),
        ] {
            assert!(good.contains(from), "{from}");
            let error = Lesson::parse(&good.replace(from, to)).unwrap_err();
            assert!(error.starts_with(message), "{to}: {error}");
        }
    }
}
