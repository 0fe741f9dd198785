//! Lessons: a chapter, a starting world, a goal written as conditions on the
//! model's state, hints in order, a reference solution and a named wrong
//! answer, all as data (`lessons/*.lesson.json`). The goal is checked
//! against the simulated world, never against what the learner typed.
//!
//! Most lessons work in the sandbox: they start from a shipped scenario cut
//! to its first `keepSteps` steps (the set-up), and the learner's commands
//! come after. Registry lessons (Docker images, ECR) work on the registries
//! page instead: they start from a list of registry actions, and their goal
//! is judged on the registry those actions make.

use dockyard_model::iam::AppCall;
use dockyard_model::principals::Principal;
use dockyard_model::registry::desk::{
    action_from_json, action_to_json, counts, short, Action, Desk,
};
use dockyard_model::registry::scan::Severity;
use dockyard_model::registry::TagMutability;
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
    /// Where the lesson is done, from what start, and its two answers.
    pub work: Work,
    pub goal: Vec<Condition>,
    pub hints: Vec<String>,
    /// Why the named wrong answer is wrong (it is tested not to pass).
    pub wrong_why: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    Sandbox(SandboxWork),
    Registry(RegistryWork),
}

/// A lesson in the sandbox: a shipped scenario's set-up, then commands.
#[derive(Clone, Debug, PartialEq)]
pub struct SandboxWork {
    pub scenario: &'static ShippedScenario,
    pub keep_steps: usize,
    /// When the goal is judged outside the sandbox (seconds from the start).
    pub check_at: u64,
    pub solution: Vec<Step>,
    pub wrong: Vec<Step>,
}

/// A lesson on the registries page: the registry that `start` makes, then
/// the learner's actions.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryWork {
    pub start: Vec<Action>,
    pub solution: Vec<Action>,
    pub wrong: Vec<Action>,
}

/// What a learner did, in the lesson's own terms.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Steps(Vec<Step>),
    Actions(Vec<Action>),
}

impl SandboxWork {
    /// The starting scenario: the shipped one, cut to its set-up.
    pub fn start(&self) -> Scenario {
        let mut start = Scenario::parse(self.scenario.json).expect("shipped scenarios parse");
        start.steps.truncate(self.keep_steps);
        start.until = start.until.max(self.check_at);
        start
    }
}

impl RegistryWork {
    /// The registry at the lesson's start.
    pub fn start_desk(&self) -> Desk {
        let mut desk = Desk::new();
        for action in &self.start {
            desk.apply(action.clone())
                .expect("a lesson's start is tested to apply");
        }
        desk
    }
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
        /// Only tasks in this cluster count, when given.
        cluster: Option<String>,
    },
    /// A running task of `service` makes `call` (as the app would), and
    /// IAM's verdict is `allowed`.
    Call {
        service: String,
        call: String,
        /// The principal that must make the call (any, when `None`).
        by: Option<Principal>,
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
    /// `using_at_least` MiB, and (with `reserved_at_most`) the task books no
    /// more than that of its instance: task-level memory when set, else the
    /// sum of its containers' memoryReservation (or memory), which is what
    /// the scheduler holds for it.
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
    /// Service Auto Scaling, not CreateService or UpdateService, set the
    /// service's current desired count.
    AutoScaled { service: String },
    /// Every Running pod of `deployment` on Fargate has this Fargate size
    /// (CPU units, MiB), and at least one runs.
    FargatePodSize {
        deployment: String,
        cpu: u32,
        memory_mib: u32,
    },
    /// At least `at_least` nodes of the node group `group` are Ready, and
    /// the group is managed or self-managed as `managed` says.
    NodesReady {
        group: String,
        at_least: u32,
        managed: bool,
    },
    /// Pods of `deployment` run, and mount a persistent volume of this
    /// storage (through their PersistentVolumeClaim).
    PodStorage {
        deployment: String,
        storage: dockyard_model::sim::eks::PodStorage,
    },
    /// Registry: the repository exists, with tag immutability as given
    /// (and scan on push, when given).
    Repository {
        repository: String,
        immutable: bool,
        scan_on_push: Option<bool>,
    },
    /// Registry: `repository:tag` names an image that has been scanned and
    /// has no finding of `severity`.
    ImageScanned {
        repository: String,
        tag: String,
        severity: Severity,
        /// The tag must name the image of this content, when given.
        content: Option<String>,
    },
    /// Registry: the tags name one image (`same`), or different images.
    SameImage {
        repository: String,
        tags: [String; 2],
        same: bool,
        /// The first tag must name the image of this content, when given.
        content: Option<String>,
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
        &[$(($id, include_str!(concat!(env!("OUT_DIR"), "/lessons/", $id, ".lesson.json")))),*]
    };
}

/// Every lesson, in course order (the order of their chapters; tested).
pub const LESSON_FILES: &[(&str, &str)] = shipped_lessons![
    "latest-is-only-a-tag",
    "docker-hub-limits-anonymous-pulls",
    "fargate-serves-both-orchestrators",
    "run-a-service-on-fargate",
    "a-service-keeps-its-tasks",
    "memory-is-a-limit-reservation-a-booking",
    "the-execution-role-pulls-on-fargate",
    "a-task-role-for-the-app",
    "no-task-role-means-the-instance-profile",
    "release-to-an-immutable-repository",
    "data-that-survives-a-task",
    "efs-outlives-a-zone-ebs-does-not",
    "capacity-providers-scale-their-own-tasks",
    "constraints-bind-strategies-prefer",
    "hpa-scales-pods-the-autoscaler-nodes",
    "pods-on-a-fargate-profile",
    "self-managed-nodes-must-be-authorized",
    "fargate-pods-keep-data-on-efs",
    "fargate-sizes-pods-with-overhead",
    "fargate-does-not-scale-your-service",
    "one-cluster-both-capacities",
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

fn actions(value: Option<&Value>, key: &str) -> Result<Vec<Action>, String> {
    value
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{key}: expected a list of registry actions"))?
        .iter()
        .enumerate()
        .map(|(i, a)| action_from_json(a).map_err(|e| format!("{key}[{i}].{e}")))
        .collect()
}

impl Lesson {
    /// Reads a lesson file, naming the field of any error.
    pub fn parse(text_: &str) -> Result<Lesson, String> {
        let value: Value = dockyard_model::json::parse_value(text_).map_err(|e| e.to_string())?;
        let map = value.as_object().ok_or("a lesson is a JSON object")?;
        if map.get("lesson").and_then(Value::as_u64) != Some(LESSON_VERSION) {
            return Err(format!("lesson: expected format version {LESSON_VERSION}"));
        }
        let chapter_slug = text(map, "chapter")?;
        let chapter = crate::chapter(&chapter_slug)
            .ok_or_else(|| format!("chapter: there is no chapter {chapter_slug:?}"))?
            .slug;
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
        // A registry lesson names its start as actions; any other lesson
        // starts from a scenario.
        let work = match map.get("registry") {
            Some(start) => {
                if map.contains_key("scenario") {
                    return Err(
                        "scenario: a registry lesson starts from registry actions, not a scenario"
                            .into(),
                    );
                }
                let work = RegistryWork {
                    start: actions(Some(start), "registry")?,
                    solution: actions(map.get("solution"), "solution")?,
                    wrong: actions(wrong.get("steps"), "wrong.steps")?,
                };
                let mut desk = Desk::new();
                for (i, action) in work.start.iter().enumerate() {
                    desk.apply(action.clone())
                        .map_err(|e| format!("registry[{i}]: {e}"))?;
                }
                Work::Registry(work)
            }
            None => {
                let scenario_slug = text(map, "scenario")?;
                let scenario = scenario(&scenario_slug)
                    .ok_or_else(|| format!("scenario: there is no scenario {scenario_slug:?}"))?;
                Work::Sandbox(SandboxWork {
                    scenario,
                    keep_steps: number(map, "keepSteps")? as usize,
                    check_at: number(map, "checkAt")?,
                    solution: steps(map.get("solution"), "solution")?,
                    wrong: steps(wrong.get("steps"), "wrong.steps")?,
                })
            }
        };
        let on_registry = matches!(work, Work::Registry(_));
        if let Some(i) = goal.iter().position(|c| c.on_registry() != on_registry) {
            return Err(format!(
                "goal[{i}]: this condition is judged on {}, and this lesson works {}",
                if on_registry {
                    "the sandbox's world"
                } else {
                    "the registry"
                },
                if on_registry {
                    "on the registry"
                } else {
                    "in the sandbox"
                }
            ));
        }
        Ok(Lesson {
            id: text(map, "id")?,
            chapter,
            title: text(map, "title")?,
            brief: text(map, "brief")?,
            work,
            goal,
            hints,
            wrong_why: text(wrong, "why").map_err(|e| format!("wrong.{e}"))?,
        })
    }

    pub fn sandbox(&self) -> Option<&SandboxWork> {
        match &self.work {
            Work::Sandbox(work) => Some(work),
            Work::Registry(_) => None,
        }
    }

    pub fn registry(&self) -> Option<&RegistryWork> {
        match &self.work {
            Work::Registry(work) => Some(work),
            Work::Sandbox(_) => None,
        }
    }

    pub fn solution(&self) -> Answer {
        match &self.work {
            Work::Sandbox(work) => Answer::Steps(work.solution.clone()),
            Work::Registry(work) => Answer::Actions(work.solution.clone()),
        }
    }

    pub fn wrong(&self) -> Answer {
        match &self.work {
            Work::Sandbox(work) => Answer::Steps(work.wrong.clone()),
            Work::Registry(work) => Answer::Actions(work.wrong.clone()),
        }
    }

    /// The reference solution as the JSON a learner would write: a list,
    /// one step or action to a line.
    pub fn solution_json(&self) -> String {
        let items: Vec<Value> = match &self.work {
            Work::Sandbox(work) => work
                .solution
                .iter()
                .map(|step| serde_json::to_value(step).unwrap_or_default())
                .collect(),
            Work::Registry(work) => work.solution.iter().map(action_to_json).collect(),
        };
        let lines: Vec<String> = items.iter().map(|item| format!("  {item}")).collect();
        format!("[\n{}\n]", lines.join(",\n"))
    }

    /// Plays the start and then the answer, and judges the goal: in the
    /// sandbox at `checkAt`, on the registry after the last action. A
    /// command or action that is refused is skipped, as the sandbox and the
    /// registries page do.
    pub fn check(&self, answer: &Answer) -> Result<Vec<Judged>, String> {
        match (&self.work, answer) {
            (Work::Sandbox(work), Answer::Steps(steps)) => {
                let mut scenario = work.start();
                scenario.steps.extend(steps.iter().cloned());
                let mut player = Player::new(&scenario, None);
                player.advance_to(seconds(work.check_at));
                Ok(self.judge(&player.world))
            }
            (Work::Registry(work), Answer::Actions(actions)) => {
                let mut desk = work.start_desk();
                for action in actions {
                    let _ = desk.apply(action.clone());
                }
                Ok(self.judge_registry(&desk))
            }
            (Work::Sandbox(_), Answer::Actions(_)) => Err(
                "this lesson works in the sandbox: give sandbox steps ({\"at\": ..., \"do\": ...})".into(),
            ),
            (Work::Registry(_), Answer::Steps(_)) => Err(
                "this lesson works on the registries page: give registry actions ({\"do\": \"push\", ...})".into(),
            ),
        }
    }

    /// Reads an answer for this lesson: a list of its steps or actions, or
    /// a file the app exported (a sandbox session, or a saved registry
    /// whose actions begin with the lesson's start).
    pub fn read_answer(&self, text_: &str) -> Result<Answer, String> {
        let value: Value = dockyard_model::json::parse_value(text_).map_err(|e| e.to_string())?;
        match &self.work {
            Work::Sandbox(_) => {
                let list = match &value {
                    Value::Object(map) if map.contains_key("session") => {
                        map.get("steps").ok_or("steps: a sandbox file has steps")?
                    }
                    other => other,
                };
                steps(Some(list), "steps").map(Answer::Steps)
            }
            Work::Registry(work) => {
                let mut list = match &value {
                    Value::Object(map) if map.contains_key("registryDesk") => {
                        actions(map.get("actions"), "actions")?
                    }
                    other => actions(Some(other), "actions")?,
                };
                if list.starts_with(&work.start) {
                    list.drain(..work.start.len());
                }
                Ok(Answer::Actions(list))
            }
        }
    }

    pub fn judge(&self, world: &World) -> Vec<Judged> {
        self.goal.iter().map(|c| c.judge(world)).collect()
    }

    pub fn judge_registry(&self, desk: &Desk) -> Vec<Judged> {
        self.goal.iter().map(|c| c.judge_registry(desk)).collect()
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
                        cluster: optional("cluster"),
                    },
                    &["service", "family", "atLeast", "on", "cluster"],
                )
            }
            Some("call") => {
                let call = text(map, "call")?;
                AppCall::parse(&call).map_err(|e| format!("call: {e:?}"))?;
                (
                    Condition::Call {
                        service: text(map, "service")?,
                        call,
                        by: match optional("by").as_deref() {
                            None => None,
                            Some("taskRole") => Some(Principal::TaskRole),
                            Some("executionRole") => Some(Principal::TaskExecutionRole),
                            Some("instanceProfile") => Some(Principal::ContainerInstanceRole),
                            Some(other) => {
                                return Err(format!(
                                    "by: {other:?} is not taskRole, executionRole or instanceProfile"
                                ))
                            }
                        },
                        allowed: map
                            .get("allowed")
                            .and_then(Value::as_bool)
                            .ok_or("allowed: expected true or false")?,
                    },
                    &["service", "call", "allowed", "by"],
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
            Some("autoScaled") => (
                Condition::AutoScaled {
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
            Some("nodesReady") => (
                Condition::NodesReady {
                    group: text(map, "group")?,
                    at_least: number(map, "atLeast")? as u32,
                    managed: map
                        .get("managed")
                        .and_then(Value::as_bool)
                        .ok_or("managed: expected true or false")?,
                },
                &["group", "atLeast", "managed"],
            ),
            Some("podStorage") => (
                Condition::PodStorage {
                    deployment: text(map, "deployment")?,
                    storage: match text(map, "storage")?.as_str() {
                        "efs" => dockyard_model::sim::eks::PodStorage::Efs,
                        "ebs" => dockyard_model::sim::eks::PodStorage::Ebs,
                        other => return Err(format!("storage: {other:?} is not efs or ebs")),
                    },
                },
                &["deployment", "storage"],
            ),
            Some("repository") => (
                Condition::Repository {
                    repository: text(map, "repository")?,
                    immutable: map
                        .get("immutable")
                        .and_then(Value::as_bool)
                        .ok_or("immutable: expected true or false")?,
                    scan_on_push: match map.get("scanOnPush") {
                        None => None,
                        Some(v) => Some(v.as_bool().ok_or("scanOnPush: expected true or false")?),
                    },
                },
                &["repository", "immutable", "scanOnPush"],
            ),
            Some("imageScanned") => {
                let name = text(map, "severity")?;
                let severity = Severity::ALL
                    .into_iter()
                    .find(|s| s.as_str() == name)
                    .ok_or_else(|| format!("severity: {name:?} is not one of ECR's severities (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED)"))?;
                (
                    Condition::ImageScanned {
                        repository: text(map, "repository")?,
                        tag: text(map, "tag")?,
                        severity,
                        content: optional("content"),
                    },
                    &["repository", "tag", "severity", "content"],
                )
            }
            Some("sameImage") => {
                let tags = map
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|tags| match tags.as_slice() {
                        [a, b] => Some([a.as_str()?.to_string(), b.as_str()?.to_string()]),
                        _ => None,
                    })
                    .ok_or("tags: expected two tags")?;
                (
                    Condition::SameImage {
                        repository: text(map, "repository")?,
                        tags,
                        same: map
                            .get("same")
                            .and_then(Value::as_bool)
                            .ok_or("same: expected true or false")?,
                        content: optional("content"),
                    },
                    &["repository", "tags", "same", "content"],
                )
            }
            _ => {
                return Err(
                    "is: expected tasksRunning, call, fileSeen, containerMemory, taskStopped, azLost, oneTaskPerInstance, autoScaled, fargatePodSize, podsRunning, nodesReady, podStorage, repository, imageScanned or sameImage"
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
                cluster,
            } => {
                let place = match cluster {
                    Some(cluster) => format!(" in cluster {cluster}"),
                    None => String::new(),
                };
                match (service, family) {
                    (Some(service), _) => format!(
                        "Service {service} runs at least {at_least} task{}{}{place}",
                        plural(*at_least),
                        on(compute)
                    ),
                    (_, family) => format!(
                        "At least {at_least} task{} of {} running{}{place}",
                        plural(*at_least),
                        family.as_deref().unwrap_or_default(),
                        on(compute)
                    ),
                }
            }
            Condition::Call {
                service,
                call,
                allowed,
                by,
            } => format!(
                "A task of {service} may {}{}: {call}",
                if *allowed {
                    "make this call"
                } else {
                    "not make this call"
                },
                match by {
                    Some(Principal::TaskRole) => ", as its task role",
                    Some(Principal::TaskExecutionRole) => ", as its execution role",
                    Some(Principal::ContainerInstanceRole) => ", as the instance profile",
                    _ => "",
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
                    Some(most) => format!(" while the task books at most {most} MiB of its instance"),
                    None => String::new(),
                }
            ),
            Condition::TaskStopped { task } => format!("Task {task} has stopped"),
            Condition::AzLost { az } => format!("Availability Zone {az} is lost"),
            Condition::OneTaskPerInstance { service } => {
                format!("No instance runs two tasks of {service}")
            }
            Condition::AutoScaled { service } => {
                format!("Service Auto Scaling, not a number typed in, set the desired count of {service}")
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
            Condition::NodesReady {
                group,
                at_least,
                managed,
            } => format!(
                "{} node group {group} has at least {at_least} node{} Ready",
                if *managed { "Managed" } else { "Self-managed" },
                plural(*at_least)
            ),
            Condition::PodStorage {
                deployment,
                storage,
            } => format!(
                "Running pods of {deployment} keep their data on {}, which outlives them",
                storage_name(*storage)
            ),
            Condition::Repository {
                repository,
                immutable,
                scan_on_push,
            } => format!(
                "Repository {repository} exists with tag immutability {}{}",
                if *immutable { "on" } else { "off" },
                match scan_on_push {
                    Some(true) => " and scan on push",
                    Some(false) => " and no scan on push",
                    None => "",
                }
            ),
            Condition::ImageScanned {
                repository,
                tag,
                severity,
                content,
            } => format!(
                "{repository}:{tag}{} is scanned and has no {} finding",
                of_content(content),
                severity.as_str()
            ),
            Condition::SameImage {
                repository,
                tags: [a, b],
                same,
                content,
            } => format!(
                "{repository}:{a}{} and {repository}:{b} name {}",
                of_content(content),
                if *same { "the same image (one digest)" } else { "different images" }
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
                cluster,
            } => {
                let count = world
                    .tasks()
                    .filter(|t| t.state == TaskState::Running)
                    .filter(|t| cluster.as_ref().is_none_or(|c| t.cluster == *c))
                    .filter(|t| match (service, family) {
                        (Some(service), _) => t.service.as_deref() == Some(service.as_str()),
                        (_, Some(family)) => t.revision.family == *family,
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
                by,
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
                    Some(check) => match by {
                        // No principal at all: the explanation already says
                        // why nobody can make the call.
                        Some(by)
                            if matches!(
                                check.principal,
                                Principal::Nobody | Principal::NotApplicable
                            ) =>
                        {
                            (
                                false,
                                format!(
                                    "not made by the {}: {}",
                                    by.label(),
                                    check.explanation
                                ),
                            )
                        }
                        Some(by) if check.principal != *by => (
                            false,
                            format!(
                                "{}, but made by the {}, not the {}. {}",
                                if check.is_allowed() { "allowed" } else { "denied" },
                                check.principal.label(),
                                by.label(),
                                check.explanation
                            ),
                        ),
                        _ => (check.is_allowed() == *allowed, check.explanation.clone()),
                    },
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
                // scheduler booked for the whole task.
                let seen: Vec<(u32, u32)> = tasks
                    .iter()
                    .map(|t| (t.memory_used.get(container).copied().unwrap_or(0), t.memory))
                    .collect();
                let met = seen.iter().any(|(used, booked)| {
                    used >= using_at_least && reserved_at_most.is_none_or(|most| *booked <= most)
                });
                let detail = match seen.iter().max_by_key(|(used, _)| *used) {
                    None => format!("no task of {service} is running"),
                    Some((used, booked)) => format!(
                        "its busiest running task has {container} using {used} MiB and books {booked} MiB"
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
            Condition::NodesReady {
                group,
                at_least,
                managed,
            } => {
                let eks = world.eks();
                match eks.groups.get(group) {
                    None => (false, "there is no such node group".into()),
                    Some(g) if g.managed != *managed => (
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
                            ready >= *at_least,
                            format!("{ready} of its {} nodes Ready", g.nodes.len()),
                        )
                    }
                }
            }
            Condition::PodStorage {
                deployment,
                storage,
            } => {
                let eks = world.eks();
                match eks.deployments.get(deployment) {
                    None => (false, "there is no such Deployment".into()),
                    Some(d) => {
                        let running = d.count(PodPhase::Running);
                        let mounted = d.volume.map(|v| v.storage);
                        let detail = match (running, mounted) {
                            (_, None) => "its pods have no persistent volume, only storage that goes with each pod".to_string(),
                            (0, Some(_)) => "none of its pods is Running".to_string(),
                            (n, Some(s)) => format!("{n} Running, with {}", storage_name(s)),
                        };
                        (running > 0 && mounted == Some(*storage), detail)
                    }
                }
            }
            Condition::AutoScaled { service } => match world.service(service) {
                None => (false, "there is no such service yet".into()),
                Some(s) if s.scaling.is_none() => (
                    false,
                    format!("it has no scaling policy, so its desired count stays {}", s.desired),
                ),
                Some(s) if s.desired_set_by_auto_scaling => (
                    true,
                    format!("its scaling policy set the desired count to {}", s.desired),
                ),
                Some(s) => (
                    false,
                    format!(
                        "it has a scaling policy, but the desired count {} is still the one it was given",
                        s.desired
                    ),
                ),
            },
            Condition::Repository { .. }
            | Condition::ImageScanned { .. }
            | Condition::SameImage { .. } => {
                (false, "judged on the registry, not in the sandbox".into())
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

    /// Whether the condition is judged on the registry (else on a world).
    pub fn on_registry(&self) -> bool {
        matches!(
            self,
            Condition::Repository { .. }
                | Condition::ImageScanned { .. }
                | Condition::SameImage { .. }
        )
    }

    pub fn judge_registry(&self, desk: &Desk) -> Judged {
        let registry = &desk.registry;
        let (met, detail) = match self {
            Condition::Repository {
                repository,
                immutable,
                scan_on_push,
            } => match registry.repository(repository) {
                Err(_) => (false, "there is no such repository".to_string()),
                Ok(repo) => {
                    let settings = repo.settings();
                    let is_immutable = settings.tag_mutability == TagMutability::Immutable;
                    let met = is_immutable == *immutable
                        && scan_on_push.is_none_or(|want| settings.scan_on_push == want);
                    (
                        met,
                        format!(
                            "it is {}, scan on push {}",
                            settings.tag_mutability.as_str(),
                            if settings.scan_on_push { "on" } else { "off" }
                        ),
                    )
                }
            },
            Condition::ImageScanned {
                repository,
                tag,
                severity,
                content,
            } => match registry.repository(repository) {
                Err(_) => (false, "there is no such repository".to_string()),
                Ok(repo) => match repo.resolve(tag).and_then(|digest| repo.image(digest)) {
                    None => (false, format!("no image is tagged {tag}")),
                    Some(image) if !is_content(&image.digest, content) => (
                        false,
                        format!("{tag} names {}, another image", short(&image.digest)),
                    ),
                    Some(image) => match &image.scan {
                        None => (false, "the image has not been scanned".to_string()),
                        Some(scan) => {
                            let found = scan.count(*severity);
                            (found == 0, format!("its scan found {}", counts(scan)))
                        }
                    },
                },
            },
            Condition::SameImage {
                repository,
                tags: [a, b],
                same,
                content,
            } => match registry.repository(repository) {
                Err(_) => (false, "there is no such repository".to_string()),
                Ok(repo) => match (repo.resolve(a), repo.resolve(b)) {
                    (Some(x), Some(_)) if !is_content(x, content) => {
                        (false, format!("{a} names {}, another image", short(x)))
                    }
                    (Some(x), Some(y)) => (
                        (x == y) == *same,
                        if x == y {
                            format!("both are {}", short(x))
                        } else {
                            format!("{a} is {}, {b} is {}", short(x), short(y))
                        },
                    ),
                    (None, _) => (false, format!("no image is tagged {a}")),
                    (_, None) => (false, format!("no image is tagged {b}")),
                },
            },
            _ => (
                false,
                "judged in the sandbox, not on the registry".to_string(),
            ),
        };
        Judged {
            met,
            words: format!("{}: {}.", self.describe(), detail.trim_end_matches('.')),
        }
    }
}

/// ` (the image of "CONTENT")`, or nothing.
fn of_content(content: &Option<String>) -> String {
    content
        .as_ref()
        .map(|c| format!(" (the image of \u{201c}{c}\u{201d})"))
        .unwrap_or_default()
}

/// Whether `digest` is the image of `content` (any image, without one).
fn is_content(digest: &str, content: &Option<String>) -> bool {
    content
        .as_ref()
        .is_none_or(|c| dockyard_model::registry::digest::digest_of(c.as_bytes()) == digest)
}

fn storage_name(storage: dockyard_model::sim::eks::PodStorage) -> &'static str {
    match storage {
        dockyard_model::sim::eks::PodStorage::Efs => "an EFS volume",
        dockyard_model::sim::eks::PodStorage::Ebs => "an EBS volume",
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
        // Every chapter of the notes has a lesson to try.
        for chapter in crate::CHAPTERS {
            assert!(
                lessons().iter().any(|l| l.chapter == chapter.slug),
                "chapter {} has no lesson",
                chapter.slug
            );
        }
        let position = |slug: &str| crate::CHAPTERS.iter().position(|c| c.slug == slug).unwrap();
        let order: Vec<usize> = lessons().iter().map(|l| position(l.chapter)).collect();
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "LESSON_FILES is not in chapter order: {order:?}"
        );
        for lesson in lessons() {
            let nothing = match lesson.work {
                Work::Sandbox(_) => Answer::Steps(Vec::new()),
                Work::Registry(_) => Answer::Actions(Vec::new()),
            };
            let start = lesson.check(&nothing).unwrap();
            assert!(
                !all_met(&start),
                "{}: the start already meets the goal: {start:?}",
                lesson.id
            );
            let solved = lesson.check(&lesson.solution()).unwrap();
            assert!(
                all_met(&solved),
                "{}: the solution does not meet the goal: {solved:?}",
                lesson.id
            );
            let wrong = lesson.check(&lesson.wrong()).unwrap();
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
        let work = lesson.sandbox().unwrap();
        let mut scenario = work.start();
        scenario.steps.extend(steps.iter().cloned());
        let mut player = Player::new(&scenario, None);
        player.advance_to(seconds(work.check_at));
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

    /// The lesson's wrong answer reads the object, but as the instance: the
    /// panel must say that the call is allowed and who made it, so the
    /// learner sees why a working read is still the wrong one.
    #[test]
    fn a_read_through_the_instance_profile_is_allowed_but_not_the_task_role() {
        let lesson = lesson("no-task-role-means-the-instance-profile").unwrap();
        let wrong = lesson.check(&lesson.wrong()).unwrap();
        assert_eq!(wrong.len(), 1);
        assert!(!wrong[0].met);
        assert!(
            wrong[0].words.starts_with(
                "A task of report may make this call, as its task role: read s3://reports/2026/summary.csv: allowed, but made by the container instance role (instance profile), not the task role. "
            ) && wrong[0].words.contains("Allowed by statement \"ReadReports\""),
            "{}",
            wrong[0].words
        );
    }

    /// On Fargate with no task role nobody can make the app's call: the
    /// words must not claim it was "made by" anyone.
    #[test]
    fn a_call_nobody_can_make_says_so_without_naming_a_maker() {
        let lesson = lesson("run-a-service-on-fargate").unwrap();
        let work = lesson.sandbox().unwrap();
        let mut scenario = work.start();
        scenario.steps.extend(work.solution.iter().cloned());
        let mut player = Player::new(&scenario, None);
        player.advance_to(seconds(work.check_at));
        let judged = Condition::Call {
            service: "web".into(),
            call: "read s3://reports/2026/summary.csv".into(),
            allowed: true,
            by: Some(Principal::TaskRole),
        }
        .judge(&player.world);
        assert!(!judged.met);
        assert!(
            judged.words.contains("not made by the task role: ")
                && !judged.words.contains("but made by"),
            "{}",
            judged.words
        );
    }

    /// Typing the number the spike needs meets "six running" without any
    /// scaling: the goal also asks that a policy set the count.
    #[test]
    fn a_typed_desired_count_is_not_auto_scaling() {
        let lesson = lesson("fargate-does-not-scale-your-service").unwrap();
        let typed = lesson
            .read_answer(
                r#"[{"at": 0, "do": "createService", "cluster": "shop", "name": "web", "taskDefinition": "web",
                     "desiredCount": 6, "capacity": "fargate",
                     "load": {"shape": "spike", "base": 1024, "peak": 4096, "at": 1200, "duration": 1800}}]"#,
            )
            .unwrap();
        let judged = lesson.check(&typed).unwrap();
        assert_eq!(
            judged.iter().map(|j| (j.met, j.words.as_str())).collect::<Vec<_>>(),
            [
                (true, "Service web runs at least 6 tasks on Fargate: 6 running now."),
                (false, "Service Auto Scaling, not a number typed in, set the desired count of web: it has no scaling policy, so its desired count stays 6."),
            ]
        );
        let solved = lesson.check(&lesson.solution()).unwrap();
        assert!(solved[1].met);
        assert!(
            solved[1].words.starts_with("Service Auto Scaling, not a number typed in, set the desired count of web: its scaling policy set the desired count to "),
            "{}",
            solved[1].words
        );
    }

    /// Registry lessons are judged on the registry the actions make, read
    /// an exported registry as well as a bare list, and refuse sandbox
    /// steps (and a sandbox lesson refuses registry actions).
    #[test]
    fn a_solution_reads_one_step_to_a_line_and_parses_back() {
        for lesson in lessons() {
            let text = lesson.solution_json();
            assert_eq!(
                lesson.read_answer(&text).unwrap(),
                lesson.solution(),
                "{}",
                lesson.id
            );
            assert_eq!(
                text.lines().count(),
                2 + match &lesson.work {
                    Work::Sandbox(w) => w.solution.len(),
                    Work::Registry(w) => w.solution.len(),
                }
            );
        }
    }

    #[test]
    fn registry_lessons_are_judged_on_the_registry() {
        let lesson = lesson("release-to-an-immutable-repository").unwrap();
        let wrong = lesson.check(&lesson.wrong()).unwrap();
        assert_eq!(
            wrong.iter().map(|j| j.words.as_str()).collect::<Vec<_>>(),
            [
                "Repository web-release exists with tag immutability on and scan on push: there is no such repository.",
                "web-release:1.0 (the image of \u{201c}web build 44\u{201d}) is scanned and has no CRITICAL finding: there is no such repository.",
            ]
        );
        let solved = lesson.check(&lesson.solution()).unwrap();
        assert_eq!(
            solved[1].words,
            "web-release:1.0 (the image of \u{201c}web build 44\u{201d}) is scanned and has no CRITICAL finding: its scan found 1 HIGH, 1 MEDIUM, 1 INFORMATIONAL."
        );
        // The registries page exports its whole list: the start is taken off.
        let registry = lesson.registry().unwrap();
        let mut desk = registry.start_desk();
        for action in &registry.solution {
            desk.apply(action.clone()).unwrap();
        }
        let answer = lesson.read_answer(&desk.to_json()).unwrap();
        assert_eq!(answer, lesson.solution());
        assert!(all_met(&lesson.check(&answer).unwrap()));
        // The start's own CRITICAL image, pushed into web-release, fails.
        let critical = lesson
            .read_answer(r#"[{"do": "createRepository", "name": "web-release", "immutable": true, "scanOnPush": true},
                              {"do": "push", "repository": "web-release", "tag": "1.0", "content": "web build 41"}]"#)
            .unwrap();
        let judged = lesson.check(&critical).unwrap();
        assert!(judged[0].met && !judged[1].met, "{judged:?}");
        // So does another build whose scan happens to be clean: the goal
        // is the patched build, not any image without a CRITICAL finding.
        let other = lesson
            .read_answer(r#"[{"do": "createRepository", "name": "web-release", "immutable": true, "scanOnPush": true},
                              {"do": "push", "repository": "web-release", "tag": "1.0", "content": "web build 40"}]"#)
            .unwrap();
        let judged = lesson.check(&other).unwrap();
        assert!(judged[1].words.ends_with(", another image."), "{judged:?}");
        assert!(!judged[1].met);
        // Kinds do not mix.
        assert!(lesson
            .check(&Answer::Steps(Vec::new()))
            .unwrap_err()
            .starts_with("this lesson works on the registries page"));
        let sandbox = crate::lessons::lesson("run-a-service-on-fargate").unwrap();
        assert!(sandbox
            .check(&Answer::Actions(Vec::new()))
            .unwrap_err()
            .starts_with("this lesson works in the sandbox"));
        assert!(lesson
            .read_answer(r#"[{"do": "launchRockets"}]"#)
            .unwrap_err()
            .starts_with("actions[0].do: expected createRepository"));
        // A registry condition in a sandbox lesson is refused by position.
        let good = LESSON_FILES
            .iter()
            .find(|(id, _)| *id == "run-a-service-on-fargate")
            .unwrap()
            .1;
        // The compiled-in files are minified (build.rs).
        let mixed = good.replace(
            r#""goal":["#,
            r#""goal": [{"is": "repository", "repository": "x", "immutable": true}, "#,
        );
        assert_eq!(
            Lesson::parse(&mixed).unwrap_err(),
            "goal[0]: this condition is judged on the registry, and this lesson works in the sandbox"
        );
    }

    /// build.rs compiles in the shipped files without whitespace: the
    /// values must be exactly the files' (strings with spaces and escapes
    /// included), and the whitespace gone.
    #[test]
    fn the_compiled_in_files_are_the_shipped_ones_minified() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let lessons = LESSON_FILES
            .iter()
            .map(|(id, text)| (format!("lessons/{id}.lesson.json"), *text));
        let scenarios = crate::scenarios::SCENARIOS
            .iter()
            .map(|s| (format!("scenarios/{}.scenario.json", s.slug), s.json));
        for (path, compiled) in lessons.chain(scenarios) {
            let file = std::fs::read_to_string(root.join(&path)).unwrap();
            assert_eq!(
                serde_json::from_str::<Value>(compiled).unwrap(),
                serde_json::from_str::<Value>(&file).unwrap(),
                "{path}"
            );
            assert!(
                compiled.len() < file.len() && !compiled.contains('\n'),
                "{path}"
            );
        }
    }

    #[test]
    fn a_bad_lesson_is_refused_by_field() {
        let good = LESSON_FILES
            .iter()
            .find(|(id, _)| *id == "run-a-service-on-fargate")
            .unwrap()
            .1;
        for (from, to, message) in [
            (
                "\"lesson\":1",
                "\"lesson\":2",
                "lesson: expected format version 1",
            ),
            (
                "\"chapter\":\"ecs-launch-types\"",
                "\"chapter\":\"nowhere\"",
                "chapter: there is no chapter",
            ),
            (
                "\"is\":\"tasksRunning\"",
                "\"is\":\"taskRunning\"",
                "goal[0]: is: expected",
            ),
            (
                "\"atLeast\":2",
                "\"atLeast\":\"2\"",
                "goal[0]: atLeast: expected a whole number",
            ),
        ] {
            assert!(good.contains(from), "{from}");
            let error = Lesson::parse(&good.replace(from, to)).unwrap_err();
            assert!(error.starts_with(message), "{to}: {error}");
        }
    }
}
