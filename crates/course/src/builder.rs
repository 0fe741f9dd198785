//! The lesson builder's model: a lesson drafted by doing it. The instructor
//! picks a start (a shipped scenario cut to its first set-up steps), does
//! the reference solution in the sandbox, picks the goal's conditions from
//! the world the solution left ([`suggest`]: each kind with its values
//! filled in from what is there, and judged there), and does a plausible
//! wrong answer. [`Draft::check`] then checks the lesson as the test suite
//! checks the shipped ones; only a lesson that passes is exported.
//!
//! A draft is kept in the lesson file format itself ([`Draft::to_value`]),
//! so that a shipped lesson opens for editing ([`Draft::from_value`]) and
//! what the builder exports is what `dockyard lesson check` reads.

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::scenario::{Player, Step};
use dockyard_model::sim::types::seconds;
use dockyard_model::sim::types::{Placement, TaskState};
use dockyard_model::sim::why::{self, Cause};
use dockyard_model::sim::world::World;
use serde_json::{json, Map, Value};

use crate::lessons::{Condition, Lesson, LESSON_FILES, LESSON_VERSION};

/// A lesson being built (a sandbox lesson: registry lessons are written
/// as files).
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub id: String,
    pub chapter: String,
    pub title: String,
    pub brief: String,
    pub scenario: String,
    pub keep_steps: usize,
    pub check_at: u64,
    /// The goal's conditions, as the lesson file writes them.
    pub goal: Vec<Value>,
    pub hints: Vec<String>,
    /// The answers' steps as the file writes them: a lesson opened and
    /// exported unchanged keeps its text, and so its content hash (a step
    /// the builder records is written with every field, the same meaning).
    pub solution: Vec<Value>,
    pub wrong: Vec<Value>,
    pub wrong_why: String,
    /// A break-and-fix lesson's failure, kept as written (the builder does
    /// not make one, but keeps it when it opens such a lesson).
    pub broken: Option<Value>,
}

impl Draft {
    /// A new draft on a shipped scenario, starting after all its set-up.
    pub fn new(scenario: &str) -> Draft {
        let keep_steps =
            crate::scenarios::scenario(scenario).map_or(0, |s| crate::session::base(s).steps.len());
        Draft {
            id: String::new(),
            chapter: crate::CHAPTERS[0].slug.to_string(),
            title: String::new(),
            brief: String::new(),
            scenario: scenario.to_string(),
            keep_steps,
            check_at: 300,
            goal: Vec::new(),
            hints: Vec::new(),
            solution: Vec::new(),
            wrong: Vec::new(),
            wrong_why: String::new(),
            broken: None,
        }
    }

    /// A lesson's draft, to edit it: a shipped lesson, or one of an
    /// offered pack by its qualified id (`pack-id/lesson-id`).
    pub fn of_lesson(id: &str) -> Result<Draft, String> {
        let Some((pack, _)) = id.split_once('/') else {
            return Draft::of_shipped(id);
        };
        let offered = crate::packs::offered_pack(pack)
            .ok_or_else(|| format!("the pack {pack:?} is not loaded here"))?;
        let at = offered
            .pack
            .lessons
            .iter()
            .position(|l| l.id == id)
            .ok_or_else(|| format!("there is no lesson called {id:?}"))?;
        Draft::from_value(&offered.pack.files[at])
    }

    /// A shipped lesson's draft, to edit it.
    pub fn of_shipped(id: &str) -> Result<Draft, String> {
        let (_, text) = LESSON_FILES
            .iter()
            .find(|(known, _)| *known == id)
            .ok_or_else(|| format!("there is no lesson called {id:?}"))?;
        let value: Value = dockyard_model::json::parse_value(text).map_err(|e| e.to_string())?;
        Draft::from_value(&value)
    }

    /// Reads a draft from a lesson file's JSON, leniently (a draft may lack
    /// what a lesson needs: [`Draft::check`] says what).
    pub fn from_value(value: &Value) -> Result<Draft, String> {
        let map = value.as_object().ok_or("a lesson is a JSON object")?;
        if map.contains_key("registry") {
            return Err(
                "a registry lesson is written as a file; the builder makes sandbox lessons".into(),
            );
        }
        let text = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let number = |key: &str| map.get(key).and_then(Value::as_u64).unwrap_or_default();
        let steps = |value: Option<&Value>, key: &str| -> Result<Vec<Value>, String> {
            match value {
                None => Ok(Vec::new()),
                Some(value) => {
                    // Read as steps, so that a bad one is named now.
                    let _: Vec<Step> = dockyard_model::json::from_value(value)
                        .map_err(|e| format!("{key}: {}", e.message))?;
                    Ok(value.as_array().cloned().unwrap_or_default())
                }
            }
        };
        let wrong = map.get("wrong");
        Ok(Draft {
            id: text("id"),
            chapter: text("chapter"),
            title: text("title"),
            brief: text("brief"),
            scenario: text("scenario"),
            keep_steps: number("keepSteps") as usize,
            check_at: number("checkAt"),
            goal: map
                .get("goal")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            hints: map
                .get("hints")
                .and_then(Value::as_array)
                .map(|hints| {
                    hints
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            solution: steps(map.get("solution"), "solution")?,
            wrong: steps(wrong.and_then(|w| w.get("steps")), "wrong.steps")?,
            wrong_why: wrong
                .and_then(|w| w.get("why"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            broken: map.get("broken").cloned(),
        })
    }

    /// Steps done in the sandbox, as the draft keeps them.
    pub fn record(steps: &[Step]) -> Vec<Value> {
        steps
            .iter()
            .map(|s| serde_json::to_value(s).unwrap_or_default())
            .collect()
    }

    /// The draft's steps (its solution or wrong answer), to play them.
    pub fn steps(steps: &[Value]) -> Vec<Step> {
        steps
            .iter()
            .filter_map(|s| dockyard_model::json::from_value(s).ok())
            .collect()
    }

    /// The draft as a lesson file.
    pub fn to_value(&self) -> Value {
        let steps = |steps: &[Value]| Value::Array(steps.to_vec());
        let mut map = Map::new();
        map.insert("lesson".into(), json!(LESSON_VERSION));
        map.insert("id".into(), json!(self.id));
        map.insert("chapter".into(), json!(self.chapter));
        map.insert("title".into(), json!(self.title));
        map.insert("brief".into(), json!(self.brief));
        map.insert("scenario".into(), json!(self.scenario));
        map.insert("keepSteps".into(), json!(self.keep_steps));
        map.insert("checkAt".into(), json!(self.check_at));
        if let Some(broken) = &self.broken {
            map.insert("broken".into(), broken.clone());
        }
        map.insert("goal".into(), Value::Array(self.goal.clone()));
        map.insert("hints".into(), json!(self.hints));
        map.insert("solution".into(), steps(&self.solution));
        map.insert(
            "wrong".into(),
            json!({ "why": self.wrong_why, "steps": steps(&self.wrong) }),
        );
        Value::Object(map)
    }

    /// The lesson file's text, as exported.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// The draft as a pack of one lesson (what a link carries).
    pub fn to_pack_json(&self) -> String {
        let pack = json!({
            "pack": crate::packs::PACK_VERSION,
            // A pack id is at most 64 characters.
            "id": format!("draft-{}", self.id).chars().take(64).collect::<String>(),
            "title": self.title,
            "lessons": [self.to_value()],
        });
        pack.to_string()
    }

    /// Checks the draft as a pack's lesson is checked (the file reads, its
    /// words are plain text, its id fits) and then as the test suite checks
    /// the shipped lessons (`Lesson::verify`). The lesson, or every problem.
    pub fn check(&self) -> Result<Lesson, Vec<String>> {
        let text = self.to_pack_json();
        let pack = crate::packs::Pack::parse(&text)
            .map_err(|e| vec![e.trim_start_matches("lessons[0].").to_string()])?;
        let lesson = pack.lessons.into_iter().next().ok_or_else(Vec::new)?;
        let problems = lesson.verify();
        if problems.is_empty() {
            Ok(lesson)
        } else {
            Err(problems)
        }
    }

    /// Each goal condition judged on `world` (an unreadable one, why).
    pub fn judge(&self, world: &World) -> Vec<Result<crate::lessons::Judged, String>> {
        self.goal
            .iter()
            .map(|value| Condition::read(value).map(|c| c.judge(world)))
            .collect()
    }
}

/// Conditions that hold on `world`, with their values filled in from what
/// is there (services and their running tasks, deployments and their pods,
/// node groups, roles, stopped tasks, lost zones, the bill): what the
/// builder offers once the solution is done. Each is read and judged as a
/// lesson's would be, and offered only if it is met.
pub fn suggest(world: &World) -> Vec<Value> {
    let mut candidates = Vec::new();
    for service in world.services() {
        let running = crate::lessons::conditions::running(world, &service.name);
        if !running.is_empty() {
            let fargate = running
                .iter()
                .filter(|t| matches!(t.placement, Placement::Fargate { .. }))
                .count();
            let on = match fargate {
                0 => Some("ec2"),
                n if n == running.len() => Some("fargate"),
                _ => None,
            };
            let mut condition = json!({ "is": "tasksRunning", "service": service.name, "atLeast": running.len(), "cluster": service.cluster });
            if let Some(on) = on {
                condition["on"] = on.into();
            }
            candidates.push(condition);
        }
        candidates.push(json!({ "is": "oneTaskPerInstance", "service": service.name }));
        candidates.push(json!({ "is": "autoScaled", "service": service.name }));
    }
    let eks = world.eks();
    for name in eks.deployments.keys() {
        let pods: Vec<_> = eks
            .pods
            .values()
            .filter(|p| &p.deployment == name && p.phase == PodPhase::Running)
            .collect();
        if !pods.is_empty() {
            let fargate = pods
                .iter()
                .filter(|p| matches!(p.placement, PodPlacement::Fargate { .. }))
                .count();
            let mut condition =
                json!({ "is": "podsRunning", "deployment": name, "atLeast": pods.len() });
            match fargate {
                0 => condition["on"] = "ec2".into(),
                n if n == pods.len() => condition["on"] = "fargate".into(),
                _ => {}
            }
            candidates.push(condition);
        }
    }
    for (name, group) in &eks.groups {
        let ready = group
            .nodes
            .iter()
            .filter(|n| eks.nodes.get(*n).is_some_and(|n| n.ready))
            .count();
        candidates.push(json!({ "is": "nodesReady", "group": name, "atLeast": ready, "managed": group.managed }));
    }
    for role in world.roles() {
        candidates.push(json!({ "is": "trustGuarded", "role": role.name }));
    }
    for task in world
        .tasks()
        .filter(|t| t.state == TaskState::Stopped)
        .take(6)
    {
        candidates.push(json!({ "is": "taskStopped", "task": task.id }));
    }
    for zone in world.lost_azs() {
        candidates.push(json!({ "is": "azLost", "az": zone }));
    }
    candidates.push(json!({ "is": "nothingBilling" }));
    candidates
        .into_iter()
        .filter(|value| Condition::read(value).is_ok_and(|c| c.judge(world).met))
        .collect()
}

/// The failures the draft's start shows when it is played to `checkAt`
/// with nothing done: what a troubleshooting lesson can say it starts
/// with (`broken`), each as the lesson file writes it. A task that stops
/// (one per family), a service that cannot launch or place its tasks, a
/// Pending pod (one per Deployment); its cause is a step of the model's
/// chain of causes (the one after the failure itself, where there is one),
/// and what the learner will see is the failure's first words.
pub fn broken_offers(draft: &Draft) -> Vec<Value> {
    let Some(shipped) = crate::scenarios::scenario(&draft.scenario) else {
        return Vec::new();
    };
    let mut start = crate::session::base(shipped);
    start.steps.truncate(draft.keep_steps);
    start.until = start.until.max(draft.check_at);
    let mut player = Player::new(&start, None);
    player.advance_to(seconds(draft.check_at));
    let world = &player.world;
    let cause = |chain: &[Cause]| chain.get(1).or(chain.first()).map(|c| c.said.clone());
    // The failure's first words, before any name or detail it quotes.
    let head = |text: &str| {
        text.split([':', '\'', '"', '('])
            .next()
            .unwrap_or(text)
            .trim()
            .to_string()
    };
    let mut offers: Vec<Value> = Vec::new();
    for task in world.tasks().filter(|t| !t.why.is_empty()) {
        let family = task.revision.family.as_str();
        if offers.iter().any(|o| o["family"] == family) {
            continue;
        }
        if let (Some(reason), Some(because)) = (task.stopped_reason.as_deref(), cause(&task.why)) {
            offers.push(json!({ "family": family, "stopsWith": head(reason), "because": because }));
        }
    }
    for service in world.services() {
        if let Some(failure) = service.launch_failure.as_deref() {
            if let Some(because) = cause(&why::launch_refused(service)) {
                offers.push(json!({ "service": service.name, "launchFailsWith": head(failure), "because": because }));
            }
        } else if let Some(because) = cause(&why::unplaced_service(service)) {
            offers.push(json!({ "service": service.name, "because": because }));
        }
    }
    for pod in world.eks().pods.values().filter(|p| p.pending.is_some()) {
        if offers
            .iter()
            .any(|o| o["deployment"] == pod.deployment.as_str())
        {
            continue;
        }
        if let Some(because) = cause(&why::pending_pod(world.eks(), pod)) {
            offers.push(json!({ "deployment": pod.deployment, "because": because }));
        }
    }
    offers
}

/// A broken start in words, as the builder offers it.
pub fn describe_broken(broken: &Value) -> String {
    let text = |key: &str| broken[key].as_str().unwrap_or_default();
    let what = if broken.get("family").is_some() {
        format!(
            "a task of {} stops with {}",
            text("family"),
            text("stopsWith")
        )
    } else if broken.get("launchFailsWith").is_some() {
        format!(
            "service {} cannot launch its tasks ({})",
            text("service"),
            text("launchFailsWith")
        )
    } else if broken.get("service").is_some() {
        format!("service {} is unable to place its tasks", text("service"))
    } else {
        format!("pods of {} stay Pending", text("deployment"))
    };
    format!("{what}, because: {}", text("because"))
}

/// For every kind of condition, one written in a shipped lesson: what the
/// builder shows as an example of a kind [`suggest`] cannot fill in (an
/// IAM call, a file seen, a container's memory, a pod's size or storage).
pub fn examples() -> Vec<Value> {
    let mut seen: Vec<Value> = Vec::new();
    for (_, text) in LESSON_FILES {
        let Ok(value) = dockyard_model::json::parse_value(text) else {
            continue;
        };
        for condition in value["goal"].as_array().into_iter().flatten() {
            let is = &condition["is"];
            if !seen.iter().any(|s| &s["is"] == is) {
                seen.push(condition.clone());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests;
