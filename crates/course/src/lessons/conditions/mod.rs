//! The conditions a lesson's goal is written in, one struct per kind,
//! grouped by the part of the model they read: ECS, IAM, files, EKS and
//! the registry. Each kind keeps together how a lesson file writes it
//! (`parse`), how the lesson panel says it (`describe`) and how the model's
//! state judges it (`judge`); this module only dispatches on `"is"`.
//!
//! Adding a kind: write its struct and [`Kind`] impl in its domain's file,
//! and name it once in the `conditions!` list below.

pub mod ecs;
pub mod eks;
pub mod files;
pub mod iam;
pub mod registry;

use dockyard_model::registry::desk::Desk;
use dockyard_model::sim::types::TaskState;
use dockyard_model::sim::world::{Task, World};
use serde_json::{Map, Value};

use super::Judged;

/// One kind of condition.
pub(crate) trait Kind: Sized {
    /// Its name in a lesson file (`"is"`).
    const IS: &'static str;
    /// The fields it reads besides `is`: any other is refused, so that a
    /// misspelt field is not silently ignored.
    const FIELDS: &'static [&'static str];
    /// What it is judged on: the sandbox's [`World`] or the registry's [`Desk`].
    type On;
    /// Reads it, naming the field of any error.
    fn parse(fields: &Fields) -> Result<Self, String>;
    /// The condition in words, as the lesson panel lists it.
    fn describe(&self) -> String;
    /// Met or not, and what was seen, in words that follow the description.
    fn judge(&self, on: &Self::On) -> (bool, String);
}

/// A condition's JSON object, with the field shared by several kinds
/// (`on`) read up front, as it always was: a bad `on` is named before the
/// kind is looked at.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    on: Option<Compute>,
}

impl<'a> Fields<'a> {
    fn new(value: &'a Value) -> Result<Fields<'a>, String> {
        let map = value.as_object().ok_or("a condition is a JSON object")?;
        let on = match map.get("on").and_then(Value::as_str) {
            None => None,
            Some("fargate") => Some(Compute::Fargate),
            Some("ec2") => Some(Compute::Ec2),
            Some(other) => return Err(format!("on: {other:?} is not fargate or ec2")),
        };
        Ok(Fields { map, on })
    }

    fn is(&self) -> Option<&str> {
        self.map.get("is").and_then(Value::as_str)
    }

    fn refuse_unknown(&self, known: &[&str]) -> Result<(), String> {
        match self
            .map
            .keys()
            .find(|k| *k != "is" && !known.contains(&k.as_str()))
        {
            Some(unknown) => Err(format!("{unknown}: not a field of this condition")),
            None => Ok(()),
        }
    }

    /// `on`: where the work must run, when the kind takes it.
    pub(crate) fn on(&self) -> Option<Compute> {
        self.on
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    pub(crate) fn text(&self, key: &str) -> Result<String, String> {
        super::text(self.map, key)
    }

    pub(crate) fn optional_text(&self, key: &str) -> Option<String> {
        self.map
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    pub(crate) fn count(&self, key: &str) -> Result<u32, String> {
        super::number(self.map, key).map(|n| n as u32)
    }

    pub(crate) fn optional_count(&self, key: &str) -> Result<Option<u32>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(_) => self.count(key).map(Some),
        }
    }

    pub(crate) fn flag(&self, key: &str) -> Result<bool, String> {
        self.map
            .get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| format!("{key}: expected true or false"))
    }

    pub(crate) fn optional_flag(&self, key: &str) -> Result<Option<bool>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(_) => self.flag(key).map(Some),
        }
    }
}

/// Where tasks or pods must run, for the kinds that take `on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compute {
    Fargate,
    Ec2,
}

/// ` on Fargate`, ` on EC2`, or nothing.
fn on_words(on: Option<Compute>) -> &'static str {
    match on {
        Some(Compute::Fargate) => " on Fargate",
        Some(Compute::Ec2) => " on EC2",
        None => "",
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The RUNNING tasks of a service.
pub(crate) fn running<'w>(world: &'w World, service: &str) -> Vec<&'w Task> {
    world
        .tasks()
        .filter(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
        .collect()
}

/// The condition's description and what was seen, as one sentence.
fn judged(description: String, (met, detail): (bool, String)) -> Judged {
    Judged {
        met,
        words: format!("{description}: {}.", detail.trim_end_matches('.')),
    }
}

/// Declares [`Condition`] from the kinds judged on the world and those
/// judged on the registry, and dispatches each method to the kind.
macro_rules! conditions {
    (
        world: $($world:ident($world_kind:ty)),+ ;
        registry: $($registry:ident($registry_kind:ty)),+ $(;)?
    ) => {
        /// One condition of a goal, on the state of the world or the registry.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Condition {
            $($world($world_kind),)+
            $($registry($registry_kind),)+
        }

        impl Condition {
            pub(super) fn parse(value: &Value) -> Result<Condition, String> {
                let fields = Fields::new(value)?;
                let is = fields.is();
                let (condition, known) = match is {
                    $(Some(is) if is == <$world_kind as Kind>::IS => (
                        Condition::$world(<$world_kind as Kind>::parse(&fields)?),
                        <$world_kind as Kind>::FIELDS,
                    ),)+
                    $(Some(is) if is == <$registry_kind as Kind>::IS => (
                        Condition::$registry(<$registry_kind as Kind>::parse(&fields)?),
                        <$registry_kind as Kind>::FIELDS,
                    ),)+
                    _ => {
                        let names = [$(<$world_kind as Kind>::IS,)+ $(<$registry_kind as Kind>::IS,)+];
                        let mut expected = String::from("is: expected ");
                        for (i, name) in names.iter().enumerate() {
                            if i > 0 {
                                expected.push_str(if i + 1 == names.len() { " or " } else { ", " });
                            }
                            expected.push_str(name);
                        }
                        return Err(expected);
                    }
                };
                fields.refuse_unknown(known)?;
                Ok(condition)
            }

            /// The condition in words, as the lesson panel lists it.
            pub fn describe(&self) -> String {
                match self {
                    $(Condition::$world(c) => c.describe(),)+
                    $(Condition::$registry(c) => c.describe(),)+
                }
            }

            /// Judged on the sandbox's world.
            pub fn judge(&self, world: &World) -> Judged {
                let seen = match self {
                    $(Condition::$world(c) => c.judge(world),)+
                    $(Condition::$registry(_) => {
                        (false, "judged on the registry, not in the sandbox".to_string())
                    })+
                };
                judged(self.describe(), seen)
            }

            /// Judged on the registry.
            pub fn judge_registry(&self, desk: &Desk) -> Judged {
                let seen = match self {
                    $(Condition::$registry(c) => c.judge(desk),)+
                    $(Condition::$world(_) => {
                        (false, "judged in the sandbox, not on the registry".to_string())
                    })+
                };
                judged(self.describe(), seen)
            }

            /// Whether the condition is judged on the registry (else on a world).
            pub fn on_registry(&self) -> bool {
                matches!(self, $(Condition::$registry(_))|+)
            }
        }
    };
}

impl Condition {
    /// Reads a condition as a lesson file writes it, naming the field of
    /// any error (the lesson builder reads the ones it offers and the ones
    /// an author writes).
    pub fn read(value: &Value) -> Result<Condition, String> {
        Condition::parse(value)
    }
}

// The order is the one the "is: expected" error lists them in.
conditions! {
    world:
        TasksRunning(ecs::TasksRunning),
        Call(iam::Call),
        TrustGuarded(iam::TrustGuarded),
        FileSeen(files::FileSeen),
        ContainerMemory(ecs::ContainerMemory),
        TaskStopped(ecs::TaskStopped),
        AzLost(ecs::AzLost),
        OneTaskPerInstance(ecs::OneTaskPerInstance),
        AutoScaled(ecs::AutoScaled),
        FargatePodSize(eks::FargatePodSize),
        PodsRunning(eks::PodsRunning),
        NodesReady(eks::NodesReady),
        PodStorage(eks::PodStorage),
        NothingBilling(ecs::NothingBilling);
    registry:
        Repository(registry::Repository),
        ImageScanned(registry::ImageScanned),
        SameImage(registry::SameImage);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error for an unknown kind lists every kind, in the order it
    /// always has (lesson authors read it).
    #[test]
    fn an_unknown_kind_lists_every_kind() {
        assert_eq!(
            Condition::parse(&serde_json::json!({"is": "nothing"})).unwrap_err(),
            "is: expected tasksRunning, call, trustGuarded, fileSeen, containerMemory, taskStopped, azLost, oneTaskPerInstance, autoScaled, fargatePodSize, podsRunning, nodesReady, podStorage, nothingBilling, repository, imageScanned or sameImage"
        );
    }

    /// `on` is checked before the kind, and a field a kind does not read is
    /// refused by name.
    #[test]
    fn fields_are_checked_by_name() {
        assert_eq!(
            Condition::parse(&serde_json::json!({"is": "azLost", "on": "moon"})).unwrap_err(),
            "on: \"moon\" is not fargate or ec2"
        );
        assert_eq!(
            Condition::parse(&serde_json::json!({"is": "azLost", "az": "a", "on": "ec2"}))
                .unwrap_err(),
            "on: not a field of this condition"
        );
        assert_eq!(
            Condition::parse(&serde_json::json!({"is": "nodesReady", "group": "g", "atLeast": 1, "managed": "yes"}))
                .unwrap_err(),
            "managed: expected true or false"
        );
    }
}
