//! Lessons: a chapter, a starting world, a goal written as conditions on the
//! model's state, hints in order, a reference solution and a named wrong
//! answer, all as data (`lessons/*.lesson.json`, in the course order of
//! `lessons/INDEX`). The goal is checked against the simulated world, never
//! against what the learner typed. This module reads a lesson file and
//! plays and judges answers; each kind of condition (its JSON, its words
//! and its judgement) lives in [`conditions`], grouped by domain.
//!
//! Most lessons work in the sandbox: they start from a shipped scenario cut
//! to its first `keepSteps` steps (the set-up), and the learner's commands
//! come after. Registry lessons (Docker images, ECR) work on the registries
//! page instead: they start from a list of registry actions, and their goal
//! is judged on the registry those actions make.

pub mod conditions;

use std::sync::OnceLock;

use dockyard_model::registry::desk::{action_from_json, action_to_json, Action, Desk};
use dockyard_model::sim::scenario::{Player, Scenario, Step};
use dockyard_model::sim::types::seconds;
use dockyard_model::sim::world::World;
use serde_json::{Map, Value};

pub use conditions::{Compute, Condition};

use crate::scenarios::{scenario, ShippedScenario};

/// The lesson format version this build reads.
pub const LESSON_VERSION: u64 = 1;

/// The latest time a lesson may be judged at, in simulated seconds.
pub const MAX_CHECK_AT: u64 = 86_400;

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
    /// For a lesson that starts broken, the failure the learner is to
    /// trace (tested to happen, for its named cause).
    pub broken: Option<Broken>,
    /// A hash of the lesson's JSON (`receipts::content_hash`): what a
    /// receipt names so that a changed lesson is told from this one.
    pub content_hash: String,
}

/// A break-and-fix lesson's failure, as it is seen when the start is
/// played to `checkAt`; `because` is named by the model's chain of causes
/// behind it (what "Why?" shows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Broken {
    /// A task of `family` stops with a reason that starts with `stops_with`.
    TaskStops {
        family: String,
        stops_with: String,
        because: String,
    },
    /// A pod of `deployment` is still Pending.
    PodPending { deployment: String, because: String },
    /// `service` is unable to place some of its tasks.
    ServiceUnplaced { service: String, because: String },
    /// ECS launches no task for `service`: its launch fails with a message
    /// that starts with `launch_fails_with`.
    ServiceCannotLaunch {
        service: String,
        launch_fails_with: String,
        because: String,
    },
}

impl Broken {
    pub fn because(&self) -> &str {
        match self {
            Broken::TaskStops { because, .. }
            | Broken::PodPending { because, .. }
            | Broken::ServiceUnplaced { because, .. }
            | Broken::ServiceCannotLaunch { because, .. } => because,
        }
    }

    /// What the learner will see, for the lesson panel.
    pub fn seen(&self) -> String {
        match self {
            Broken::TaskStops {
                family, stops_with, ..
            } => format!("a task of {family} stops with {stops_with}"),
            Broken::PodPending { deployment, .. } => {
                format!("a pod of {deployment} is Pending")
            }
            Broken::ServiceUnplaced { service, .. } => {
                format!("service {service} is unable to place a task")
            }
            Broken::ServiceCannotLaunch { service, .. } => {
                format!("service {service} fails to launch a task")
            }
        }
    }
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

impl Lesson {
    /// The solution as terminal commands (aws, docker, dockyard), where
    /// the lesson has one: what the lesson panel shows and a learner can
    /// paste into the terminal.
    pub fn commands(&self) -> Option<&'static str> {
        LESSON_SCRIPTS
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, script)| *script)
    }
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

/// A condition judged: met or not, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub met: bool,
    pub words: String,
}

// `LESSON_FILES`: every lesson file, in course order (lessons/INDEX, read
// by build.rs; the order of their chapters is tested).
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// All shipped lessons, parsed once, in course order (they are checked by
/// the tests, so a bad one fails there, not in front of a learner).
pub fn lessons() -> &'static [Lesson] {
    static PARSED: OnceLock<Vec<Lesson>> = OnceLock::new();
    PARSED.get_or_init(|| {
        LESSON_FILES
            .iter()
            .map(|(id, text)| Lesson::parse(text).unwrap_or_else(|e| panic!("{id}: {e}")))
            .collect()
    })
}

/// A shipped lesson by the name of its file, or a lesson of a pack offered
/// in this process by its qualified id (`pack-id/lesson-id`, see
/// [`crate::packs::offer`]): the one lookup sessions, the player, the
/// registries page and receipts use.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    if id.contains('/') {
        return crate::packs::offered_lesson(id);
    }
    LESSON_FILES
        .iter()
        .zip(lessons())
        .find_map(|((known, _), lesson)| (*known == id).then_some(lesson))
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
        Lesson::from_value(&value)
    }

    /// Reads a lesson already parsed as JSON (one of a pack's).
    pub fn from_value(value: &Value) -> Result<Lesson, String> {
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
                    check_at: match number(map, "checkAt")? {
                        // A lesson is judged within a simulated day: a
                        // pack from anywhere cannot ask for a year.
                        at if at <= MAX_CHECK_AT => at,
                        at => {
                            return Err(format!(
                                "checkAt: {at} seconds; a lesson is judged within {MAX_CHECK_AT} (a day)"
                            ))
                        }
                    },
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
        let broken = match map.get("broken") {
            None => None,
            Some(_) if on_registry => {
                return Err("broken: only a sandbox lesson starts with a task that stops".into())
            }
            Some(value) => {
                let broken = value.as_object().ok_or(
                    "broken: expected an object (family, stopsWith and because; deployment and because; service and because; or service, launchFailsWith and because)",
                )?;
                let field = |key: &str| text(broken, key).map_err(|e| format!("broken.{e}"));
                Some(if broken.contains_key("launchFailsWith") {
                    Broken::ServiceCannotLaunch {
                        service: field("service")?,
                        launch_fails_with: field("launchFailsWith")?,
                        because: field("because")?,
                    }
                } else if broken.contains_key("service") {
                    Broken::ServiceUnplaced {
                        service: field("service")?,
                        because: field("because")?,
                    }
                } else if broken.contains_key("deployment") {
                    Broken::PodPending {
                        deployment: field("deployment")?,
                        because: field("because")?,
                    }
                } else {
                    Broken::TaskStops {
                        family: field("family")?,
                        stops_with: field("stopsWith")?,
                        because: field("because")?,
                    }
                })
            }
        };
        Ok(Lesson {
            content_hash: crate::receipts::content_hash(value),
            broken,
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
        self.check_with_seed(answer, None)
    }

    /// [`Lesson::check`], with the sandbox's start played from `seed`
    /// instead of its scenario's (a receipt says which it was).
    pub fn check_with_seed(
        &self,
        answer: &Answer,
        seed: Option<u64>,
    ) -> Result<Vec<Judged>, String> {
        match (&self.work, answer) {
            (Work::Sandbox(work), Answer::Steps(steps)) => {
                let mut scenario = work.start();
                scenario.steps.extend(steps.iter().cloned());
                let mut player = Player::new(&scenario, seed);
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

mod verify;

#[cfg(test)]
mod tests;
