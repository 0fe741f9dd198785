//! A learner's registry work as a list of actions: create a repository,
//! push (to ECR or Docker Hub), scan, let time pass. The registry is what replaying them gives, so
//! the work can be saved, restored and checked by a lesson, and a saved list
//! that was tampered with is refused at the action that no longer works.

use serde_json::{json, Map, Value};

use super::hub::DockerHub;
use super::scan::{ScanResult, Severity};
use super::{Registry, RepositorySettings, TagMutability};

/// The account and Region every desk's registry lives in.
pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
/// A push takes this long on the desk's clock (seconds).
pub const PUSH_SECONDS: u64 = 3600;
/// Dockyard keeps at most this many actions (a bound for saved input).
pub const MAX_ACTIONS: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    CreateRepository {
        name: String,
        immutable: bool,
        scan_on_push: bool,
    },
    /// `docker push`: the content stands for the image (its digest is the
    /// content's SHA-256, so the same content is the same image).
    Push {
        repository: String,
        tag: String,
        content: String,
    },
    /// `docker push` to Docker Hub, as the desk's Docker ID.
    PushToDockerHub {
        repository: String,
        tag: String,
        content: String,
    },
    /// StartImageScan (basic scanning) of one image, by digest.
    Scan {
        repository: String,
        digest: String,
    },
    Wait {
        hours: u64,
    },
}

/// The registry, its clock and the actions that made them.
#[derive(Clone, Debug)]
pub struct Desk {
    pub registry: Registry,
    pub hub: DockerHub,
    /// Seconds since the desk opened.
    pub now: u64,
    actions: Vec<Action>,
}

impl Default for Desk {
    fn default() -> Self {
        Desk::new()
    }
}

impl Desk {
    pub fn new() -> Desk {
        Desk {
            registry: Registry::new(ACCOUNT, REGION)
                .expect("the desk's account and Region are valid"),
            hub: DockerHub::default(),
            now: 0,
            actions: Vec::new(),
        }
    }

    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Does `action`: ECR's answer in words, or its error (`Type: message`),
    /// in which case nothing changes and the action is not kept.
    pub fn apply(&mut self, action: Action) -> Result<String, String> {
        if self.actions.len() >= MAX_ACTIONS {
            return Err(format!(
                "Dockyard keeps {MAX_ACTIONS} registry actions at most: reset the registry to go on"
            ));
        }
        let ecr = |error: super::EcrError| format!("{}: {}", error.error_type(), error.message());
        let words = match &action {
            Action::CreateRepository {
                name,
                immutable,
                scan_on_push,
            } => {
                let settings = RepositorySettings {
                    tag_mutability: if *immutable {
                        TagMutability::Immutable
                    } else {
                        TagMutability::Mutable
                    },
                    scan_on_push: *scan_on_push,
                };
                let created = self
                    .registry
                    .create_repository(name, settings, self.now)
                    .map_err(ecr)?;
                format!("Created repository {}.", created.name())
            }
            Action::Push {
                repository,
                tag,
                content,
            } => {
                // `docker push` reads the reference first: Docker's tag
                // grammar (at most 128 characters) refuses before ECR's own
                // limit of 300 is ever asked.
                super::image_ref::check_tag(tag)
                    .map_err(|error| format!("invalid reference format: {error}"))?;
                let outcome = self
                    .registry
                    .push(repository, tag, content, self.now)
                    .map_err(ecr)?;
                self.now += PUSH_SECONDS;
                let mut words = format!(
                    "Pushed {repository}:{} as {}{}.",
                    outcome.tag,
                    short(&outcome.digest),
                    if outcome.new_image {
                        ""
                    } else {
                        " (the same content: the image was already there)"
                    }
                );
                if let Some(from) = &outcome.tag_moved_from {
                    words.push_str(&format!(
                        " The tag moved from {}; running tasks keep the digest they resolved.",
                        short(from)
                    ));
                }
                if let Some(untagged) = &outcome.untagged {
                    words.push_str(&format!(" {} is now untagged.", short(untagged)));
                }
                if let Some(scan) = &outcome.scan {
                    words.push_str(&format!(" Scanned on push: {}.", counts(scan)));
                }
                words
            }
            Action::PushToDockerHub {
                repository,
                tag,
                content,
            } => {
                let outcome = self.hub.push(repository, tag, content, self.now)?;
                self.now += PUSH_SECONDS;
                let mut words = format!(
                    "Pushed docker.io/{}:{} as {}{}.",
                    outcome.repository,
                    outcome.tag,
                    short(&outcome.digest),
                    if outcome.new_image {
                        ""
                    } else {
                        " (the same content: the image was already there)"
                    }
                );
                if outcome.created {
                    words.push_str(&format!(
                        " Docker Hub created {} on this push, as a public repository (the account's default): anyone can pull it. ECR refuses a push to a missing repository unless a repository creation template for CREATE_ON_PUSH matches its name.",
                        outcome.repository
                    ));
                }
                if let Some(from) = &outcome.tag_moved_from {
                    words.push_str(&format!(
                        " The tag moved from {}: Docker Hub tags are mutable unless the repository turns on immutable tags.",
                        short(from)
                    ));
                }
                words
            }
            Action::Scan { repository, digest } => {
                let scan = self
                    .registry
                    .start_image_scan(repository, digest, self.now)
                    .map_err(ecr)?;
                format!("Scanned {}: {}.", short(digest), counts(&scan))
            }
            Action::Wait { hours } => {
                if *hours == 0 || *hours > 24 * 366 {
                    return Err("hours: wait between 1 hour and a year".into());
                }
                self.now += hours * 3600;
                format!("{hours} hours later.")
            }
        };
        self.actions.push(action);
        Ok(words)
    }

    /// The actions as JSON: `{"registryDesk": 1, "actions": [...]}`.
    pub fn to_json(&self) -> String {
        let actions: Vec<Value> = self.actions.iter().map(action_to_json).collect();
        json!({ "registryDesk": 1, "actions": actions }).to_string()
    }

    /// Replays saved actions; the first that does not read or does not work
    /// is named, and nothing is returned (the caller keeps what it had).
    pub fn from_json(text: &str) -> Result<Desk, String> {
        let value: Value = crate::json::parse_value(text).map_err(|e| e.to_string())?;
        let object = value
            .as_object()
            .ok_or("a saved registry is a JSON object")?;
        if object.get("registryDesk") != Some(&json!(1)) {
            return Err("registryDesk: this is not version 1 of a saved registry".into());
        }
        let actions = object
            .get("actions")
            .and_then(Value::as_array)
            .ok_or("actions: expected an array")?;
        if actions.len() > MAX_ACTIONS {
            return Err(format!(
                "actions: {} actions, more than the {MAX_ACTIONS} Dockyard keeps",
                actions.len()
            ));
        }
        let mut desk = Desk::new();
        for (i, action) in actions.iter().enumerate() {
            let action = action_from_json(action).map_err(|e| format!("actions[{i}]: {e}"))?;
            desk.apply(action)
                .map_err(|e| format!("actions[{i}]: {e}"))?;
        }
        Ok(desk)
    }
}

pub fn action_to_json(action: &Action) -> Value {
    match action {
        Action::CreateRepository {
            name,
            immutable,
            scan_on_push,
        } => {
            json!({"do": "createRepository", "name": name, "immutable": immutable, "scanOnPush": scan_on_push})
        }
        Action::Push {
            repository,
            tag,
            content,
        } => {
            json!({"do": "push", "repository": repository, "tag": tag, "content": content})
        }
        Action::PushToDockerHub {
            repository,
            tag,
            content,
        } => {
            json!({"do": "pushToDockerHub", "repository": repository, "tag": tag, "content": content})
        }
        Action::Scan { repository, digest } => {
            json!({"do": "scan", "repository": repository, "digest": digest})
        }
        Action::Wait { hours } => json!({"do": "wait", "hours": hours}),
    }
}

/// Reads one action (also used by lessons, whose solutions are actions).
pub fn action_from_json(value: &Value) -> Result<Action, String> {
    let map: &Map<String, Value> = value.as_object().ok_or("an action is a JSON object")?;
    let text = |key: &str| {
        map.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("{key}: expected a string"))
    };
    let flag = |key: &str| match map.get(key) {
        None => Ok(false),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| format!("{key}: expected true or false")),
    };
    let (action, keys): (Action, &[&str]) = match map.get("do").and_then(Value::as_str) {
        Some("createRepository") => (
            Action::CreateRepository {
                name: text("name")?,
                immutable: flag("immutable")?,
                scan_on_push: flag("scanOnPush")?,
            },
            &["name", "immutable", "scanOnPush"],
        ),
        Some("push") => (
            Action::Push {
                repository: text("repository")?,
                tag: text("tag")?,
                content: text("content")?,
            },
            &["repository", "tag", "content"],
        ),
        Some("pushToDockerHub") => (
            Action::PushToDockerHub {
                repository: text("repository")?,
                tag: text("tag")?,
                content: text("content")?,
            },
            &["repository", "tag", "content"],
        ),
        Some("scan") => (
            Action::Scan {
                repository: text("repository")?,
                digest: text("digest")?,
            },
            &["repository", "digest"],
        ),
        Some("wait") => (
            Action::Wait {
                hours: map
                    .get("hours")
                    .and_then(Value::as_u64)
                    .ok_or("hours: expected whole hours")?,
            },
            &["hours"],
        ),
        _ => {
            return Err("do: expected createRepository, push, pushToDockerHub, scan or wait".into())
        }
    };
    if let Some(unknown) = map
        .keys()
        .find(|k| *k != "do" && !keys.contains(&k.as_str()))
    {
        return Err(format!("{unknown}: not a field of this action"));
    }
    Ok(action)
}

/// A digest shortened for reading: `sha256:` and 12 hex digits.
pub fn short(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    format!("sha256:{}", &hex[..hex.len().min(12)])
}

/// A scan's findings counted by severity, in words.
pub fn counts(scan: &ScanResult) -> String {
    let parts: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ]
    .iter()
    .filter(|s| scan.count(**s) > 0)
    .map(|s| format!("{} {}", scan.count(*s), s.as_str()))
    .collect();
    if parts.is_empty() {
        "no findings".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(repository: &str, tag: &str, content: &str) -> Action {
        Action::Push {
            repository: repository.into(),
            tag: tag.into(),
            content: content.into(),
        }
    }

    fn worked_desk() -> Desk {
        let mut desk = Desk::new();
        desk.apply(Action::CreateRepository {
            name: "shop/web".into(),
            immutable: true,
            scan_on_push: true,
        })
        .unwrap();
        let words = desk.apply(push("shop/web", "v1", "web build 1")).unwrap();
        assert!(
            words.starts_with("Pushed shop/web:v1 as sha256:"),
            "{words}"
        );
        assert!(words.contains("Scanned on push"), "{words}");
        desk.apply(Action::Wait { hours: 25 }).unwrap();
        desk
    }

    #[test]
    fn docker_refuses_a_tag_ecr_would_take_before_it_reaches_ecr() {
        let mut desk = worked_desk();
        let before = desk.to_json();
        let long = "v".repeat(200);
        let error = desk.apply(push("shop/web", &long, "x")).unwrap_err();
        assert!(error.starts_with("invalid reference format"), "{error}");
        assert!(
            error.contains("at most 128 characters; this one has 200"),
            "{error}"
        );
        let error = desk.apply(push("shop/web", "-v1", "x")).unwrap_err();
        assert!(error.contains("must start with a letter"), "{error}");
        assert_eq!(desk.to_json(), before);
        assert!(desk.apply(push("shop/web", &"v".repeat(128), "x")).is_ok());
    }

    #[test]
    fn a_refused_action_changes_nothing_and_is_not_kept() {
        let mut desk = worked_desk();
        let before = desk.to_json();
        let error = desk
            .apply(push("shop/web", "v1", "web build 2"))
            .unwrap_err();
        assert!(
            error.starts_with("ImageTagAlreadyExistsException"),
            "{error}"
        );
        assert_eq!(desk.to_json(), before);
        assert_eq!(desk.actions().len(), 3);
    }

    #[test]
    fn a_repository_remembers_when_it_was_created() {
        let mut desk = worked_desk();
        desk.apply(Action::CreateRepository {
            name: "shop/api".into(),
            immutable: false,
            scan_on_push: false,
        })
        .unwrap();
        let created = |name: &str| desk.registry.repository(name).unwrap().created_at();
        assert_eq!(created("shop/web"), 0);
        // One push (an hour) and 25 hours of waiting later.
        assert_eq!(created("shop/api"), 26 * 3600);
        assert_eq!(created("shop/api"), desk.now);
    }

    #[test]
    fn saved_work_replays_to_the_same_registry_and_clock() {
        let mut desk = worked_desk();
        let digest = desk.registry.resolve("shop/web", "v1").unwrap();
        desk.apply(Action::Scan {
            repository: "shop/web".into(),
            digest: digest.clone(),
        })
        .unwrap();
        let restored = Desk::from_json(&desk.to_json()).unwrap();
        assert_eq!(restored.actions(), desk.actions());
        assert_eq!(restored.now, desk.now);
        assert_eq!(restored.registry.resolve("shop/web", "v1").unwrap(), digest);
        assert_eq!(restored.to_json(), desk.to_json());
    }

    /// Docker Hub pushes are actions like any other: said in words, kept,
    /// replayed, and refused (changing nothing) outside the learner's
    /// namespace.
    #[test]
    fn docker_hub_pushes_are_said_saved_and_replayed() {
        let mut desk = worked_desk();
        let hub = |repository: &str, content: &str| Action::PushToDockerHub {
            repository: repository.into(),
            tag: "v1".into(),
            content: content.into(),
        };
        let words = desk.apply(hub("learner/web", "web build 1")).unwrap();
        assert!(
            words.starts_with("Pushed docker.io/learner/web:v1 as sha256:")
                && words.contains(
                    "Docker Hub created learner/web on this push, as a public repository"
                ),
            "{words}"
        );
        // The same content has the same digest in ECR and on Docker Hub.
        assert_eq!(
            desk.hub.repository("learner/web").unwrap().resolve("v1"),
            Some(desk.registry.resolve("shop/web", "v1").unwrap().as_str())
        );
        let words = desk.apply(hub("learner/web", "web build 2")).unwrap();
        assert!(words.contains("The tag moved from sha256:"), "{words}");
        assert!(!words.contains("created"), "{words}");
        let before = desk.to_json();
        let error = desk.apply(hub("nginx", "mine")).unwrap_err();
        assert!(error.starts_with("denied: "), "{error}");
        assert_eq!(desk.to_json(), before);
        let restored = Desk::from_json(&desk.to_json()).unwrap();
        assert_eq!(restored.hub, desk.hub);
        assert_eq!(restored.now, desk.now);
    }

    #[test]
    fn tampered_saves_are_refused_at_the_action_that_fails() {
        let desk = worked_desk();
        let text = desk
            .to_json()
            .replace("\"immutable\":true", "\"immutable\":false");
        assert!(Desk::from_json(&text).is_ok());
        // A second push of v1 into an immutable repository cannot replay.
        let text = desk.to_json().replace(
            r#"{"do":"wait","hours":25}"#,
            r#"{"content":"other","do":"push","repository":"shop/web","tag":"v1"}"#,
        );
        let error = Desk::from_json(&text).unwrap_err();
        assert!(
            error.starts_with("actions[2]: ImageTagAlreadyExistsException"),
            "{error}"
        );
        for (text, expected) in [
            ("[]", "a saved registry is a JSON object"),
            (
                r#"{"registryDesk": 2, "actions": []}"#,
                "registryDesk: this is not version 1",
            ),
            (
                r#"{"registryDesk": 1, "actions": [{"do": "fly"}]}"#,
                "actions[0]: do: expected",
            ),
            (
                r#"{"registryDesk": 1, "actions": [{"do": "wait", "hours": 1, "x": 1}]}"#,
                "actions[0]: x: not a field",
            ),
            (
                r#"{"registryDesk": 1, "actions": [{"do": "wait", "hours": 0}]}"#,
                "actions[0]: hours: wait between",
            ),
        ] {
            let error = Desk::from_json(text).unwrap_err();
            assert!(error.starts_with(expected), "{text}: {error}");
        }
    }
}
