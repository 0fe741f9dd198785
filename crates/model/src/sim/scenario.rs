//! Scenario files: an initial world, a timed list of commands and a seed,
//! as versioned JSON. Running one gives the events and a per-minute
//! timeline of every service, the instances and the bill.

use serde::{Deserialize, Serialize};

use super::catalogue::Parameters;
use super::command::Command;
use super::eks::{DeploymentSnapshot, PodPhase};
use super::types::{seconds, Event, Millis, Rejection};
use super::world::{ServiceSnapshot, World};

/// The scenario format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The format version: 1.
    pub scenario: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seed: u64,
    /// How long to run, in seconds.
    #[serde(default = "hour")]
    pub until: u64,
    #[serde(default = "region")]
    pub region: String,
    #[serde(default = "zones")]
    pub availability_zones: Vec<String>,
    #[serde(default)]
    pub parameters: Parameters,
    pub steps: Vec<Step>,
}

fn hour() -> u64 {
    3600
}
fn region() -> String {
    "us-east-1".into()
}
fn zones() -> Vec<String> {
    vec![
        "us-east-1a".into(),
        "us-east-1b".into(),
        "us-east-1c".into(),
    ]
}

/// A command at a moment, in seconds from the start, written flat:
/// `{"at": 600, "do": "loseAz", "az": "us-east-1a"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub at: u64,
    pub command: Command,
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (name, fields) = super::command_json::command_to_fields(&self.command);
        let mut flat = serde_json::Map::new();
        flat.insert("at".into(), self.at.into());
        flat.insert("do".into(), name.into());
        flat.extend(fields);
        flat.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut fields = serde_json::Map::deserialize(deserializer)?;
        let at = match fields.remove("at") {
            None => 0,
            Some(value) => value
                .as_u64()
                .ok_or_else(|| D::Error::custom("at: expected whole seconds from the start"))?,
        };
        let tag = match fields.remove("do") {
            Some(serde_json::Value::String(tag)) => tag,
            Some(_) => {
                return Err(D::Error::custom(
                    "do: expected the command's name, a string",
                ))
            }
            None => return Err(D::Error::missing_field("do")),
        };
        let command = super::command_json::command_from_fields(&tag, &fields)
            .map_err(|error| D::Error::custom(crate::json::in_field(error, &tag)))?;
        Ok(Step { at, command })
    }
}

/// A command the world refused, and when.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refused {
    pub at: Millis,
    pub step: usize,
    #[serde(flatten)]
    pub rejection: Rejection,
}

/// The world at the end of one simulated minute.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub at: Millis,
    pub services: Vec<ServiceSnapshot>,
    pub instances_registered: u32,
    pub instances_total: u32,
    pub tasks_running: u32,
    pub tasks_pending: u32,
    pub cost: f64,
    /// EKS: every deployment, pods Running and not yet Running (Pending or
    /// ContainerCreating), and nodes Ready of all launched.
    pub deployments: Vec<DeploymentSnapshot>,
    pub pods_running: u32,
    pub pods_pending: u32,
    pub nodes_ready: u32,
    pub nodes_total: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub name: String,
    pub seed: u64,
    pub until: Millis,
    pub events: Vec<Event>,
    pub refused: Vec<Refused>,
    pub timeline: Vec<Sample>,
    /// FNV-1a of the events as JSON: equal digests, equal runs.
    pub digest: String,
}

/// Why a scenario file could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Reads a scenario file, naming the line, column and field of any error.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario =
            crate::json::from_str(text).map_err(|error| ScenarioError(error.to_string()))?;
        if scenario.scenario != FORMAT_VERSION {
            return Err(ScenarioError(format!(
                "scenario: this is format version {}, and this Dockyard reads version {FORMAT_VERSION}",
                scenario.scenario
            )));
        }
        if scenario.availability_zones.is_empty() {
            return Err(ScenarioError("availabilityZones: give at least one".into()));
        }
        Ok(scenario)
    }

    /// Runs the scenario to `until` seconds (its own when `None`).
    pub fn run(&self, seed: Option<u64>, until: Option<u64>) -> Run {
        let until = seconds(until.unwrap_or(self.until));
        let mut player = Player::new(self, seed);
        player.advance_to(until);
        let digest = digest(&player.events);
        Run {
            name: self.name.clone(),
            seed: player.seed,
            until,
            events: player.events,
            refused: player.refused,
            timeline: player.timeline,
            digest,
        }
    }
}

/// A scenario played a little at a time (the sandbox's clock): its steps
/// are applied as time reaches them, a sample is taken every simulated
/// minute, and the learner may apply commands of their own in between.
/// Advancing in many small moves gives exactly the run of one big move.
pub struct Player {
    pub seed: u64,
    pub world: World,
    steps: Vec<(usize, Step)>,
    next_step: usize,
    next_sample: Millis,
    pub events: Vec<Event>,
    pub refused: Vec<Refused>,
    pub timeline: Vec<Sample>,
}

impl Player {
    pub fn new(scenario: &Scenario, seed: Option<u64>) -> Player {
        let seed = seed.unwrap_or(scenario.seed);
        let mut steps: Vec<(usize, Step)> = scenario.steps.iter().cloned().enumerate().collect();
        crate::order::sort_by_u64_key(&mut steps, |(_, step)| step.at);
        Player {
            seed,
            world: World::new(
                seed,
                scenario.parameters.clone(),
                &scenario.region,
                scenario.availability_zones.clone(),
            ),
            steps,
            next_step: 0,
            next_sample: seconds(60),
            events: Vec::new(),
            refused: Vec::new(),
            timeline: Vec::new(),
        }
    }

    pub fn now(&self) -> Millis {
        self.world.now()
    }

    /// Plays the scenario up to `until`, returning how many events that added.
    pub fn advance_to(&mut self, until: Millis) -> usize {
        let before = self.events.len();
        loop {
            let next_step = self
                .steps
                .get(self.next_step)
                .map(|(_, step)| seconds(step.at))
                .filter(|at| *at <= until);
            let next_sample = (self.next_sample <= until).then_some(self.next_sample);
            match (next_step, next_sample) {
                (Some(at), sample) if sample.is_none_or(|s| at <= s) => {
                    let (index, step) = self.steps[self.next_step].clone();
                    self.next_step += 1;
                    self.events.extend(self.world.advance_to(at));
                    match self.world.apply(step.command) {
                        Ok(new) => self.events.extend(new),
                        Err(rejection) => self.refused.push(Refused {
                            at,
                            step: index,
                            rejection,
                        }),
                    }
                }
                (_, Some(at)) => {
                    self.events.extend(self.world.advance_to(at));
                    self.timeline.push(sample(&self.world));
                    self.next_sample += seconds(60);
                }
                (_, None) => break,
            }
        }
        self.events.extend(self.world.advance_to(until));
        self.events.len() - before
    }

    /// A command of the learner's, now.
    pub fn apply(&mut self, command: Command) -> Result<(), Rejection> {
        let events = self.world.apply(command)?;
        self.events.extend(events);
        Ok(())
    }
}

fn sample(world: &World) -> Sample {
    let services: Vec<ServiceSnapshot> = world
        .services()
        .filter_map(|s| world.service_snapshot(&s.name))
        .collect();
    let (mut running, mut pending) = (0, 0);
    for task in world.tasks() {
        if task.state == super::TaskState::Running {
            running += 1;
        } else if task.state.is_starting() {
            pending += 1;
        }
    }
    let eks = world.eks();
    Sample {
        at: world.now(),
        services,
        instances_registered: world.instances().filter(|i| i.registered).count() as u32,
        instances_total: world.instances().count() as u32,
        tasks_running: running,
        tasks_pending: pending,
        cost: world.cost(),
        deployments: eks
            .deployments
            .keys()
            .filter_map(|name| eks.snapshot(name, world.now()))
            .collect(),
        pods_running: eks.pod_count(PodPhase::Running),
        pods_pending: eks.pod_count(PodPhase::Pending) + eks.pod_count(PodPhase::ContainerCreating),
        nodes_ready: eks.nodes.values().filter(|n| n.ready).count() as u32,
        nodes_total: eks.nodes.len() as u32,
    }
}

/// FNV-1a, 64 bits, of the events serialized as JSON.
pub fn digest(events: &[Event]) -> String {
    let json = serde_json::to_string(events).expect("events serialize");
    format!("{:016x}", crate::hash::fnv1a(json.bytes()))
}
