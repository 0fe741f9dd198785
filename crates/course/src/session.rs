//! A learner's sandbox session: which shipped scenario, the commands they
//! added (each at a simulated second), and where the clock stands. It is
//! what localStorage keeps and what a share link carries, so it is read as
//! untrusted input: every field is checked, and an error names the field.

use dockyard_model::sim::scenario::{Scenario, Step};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lessons::{self, Lesson, SandboxWork};
use crate::scenarios::{scenario, ShippedScenario};

/// The session format this build reads.
pub const SESSION_VERSION: u32 = 1;
/// More learner commands than any lesson needs; bounds what a link can ask
/// the browser to replay.
pub const MAX_STEPS: usize = 500;
/// The learner's files: how many, and how large each (a task definition
/// with many containers is a few kilobytes).
pub const MAX_FILES: usize = 40;
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Terminal commands remembered for the Up key.
pub const MAX_HISTORY: usize = 200;
/// The largest session text read at all (a file, a link, a save): room for
/// every file at its limit and every step, refused before it is parsed.
pub const MAX_SESSION_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Session {
    /// The format version: 1.
    pub session: u32,
    /// The slug of a shipped scenario.
    pub scenario: String,
    /// The learner's commands, in the order given.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The clock, in simulated milliseconds.
    #[serde(default)]
    pub at: u64,
    /// A lesson's id: the session starts from the lesson's start (its
    /// scenario cut to the set-up) instead of the whole scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The lesson builder's start (no lesson): the scenario cut to its
    /// first `keepSteps` steps, as a lesson's start is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_steps: Option<usize>,
    /// The learner's files (task definitions, policies, ...), by path:
    /// what `file://`, `cat` and the editor read, kept with the work.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// The terminal's commands, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    /// Commands undone, the most recent last: what Redo brings back, kept
    /// across a reload like the rest of the work (a share link leaves
    /// them out: it shares a state, not what its sender took back).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redo: Vec<Step>,
}

/// How long, at least, the lesson builder's session plays (seconds): a
/// lesson may be judged later than its scenario's own story ends.
const BUILDER_UNTIL: u64 = 3_600;

impl Session {
    pub fn new(slug: &str) -> Session {
        Session {
            session: SESSION_VERSION,
            scenario: slug.to_string(),
            steps: Vec::new(),
            at: 0,
            lesson: None,
            keep_steps: None,
            files: BTreeMap::new(),
            history: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// A fresh session at a lesson's start.
    pub fn for_lesson(id: &str, work: &SandboxWork) -> Session {
        Session {
            lesson: Some(id.to_string()),
            ..Session::new(work.scenario.slug)
        }
    }

    /// Reads a session, checking every field.
    pub fn parse(text: &str) -> Result<Session, String> {
        if text.len() > MAX_SESSION_BYTES {
            return Err(too_large("a session", text.len(), MAX_SESSION_BYTES));
        }
        let session: Session =
            dockyard_model::json::from_str(text).map_err(|error| error.to_string())?;
        session.check()?;
        Ok(session)
    }

    fn check(&self) -> Result<(), String> {
        if self.session != SESSION_VERSION {
            return Err(format!(
                "session: this is format version {}, and this Dockyard reads version {SESSION_VERSION}",
                self.session
            ));
        }
        let shipped = self.shipped().ok_or_else(|| {
            format!(
                "scenario: there is no scenario called \u{201c}{}\u{201d}",
                self.scenario
            )
        })?;
        if self.lesson.is_some() && self.keep_steps.is_some() {
            return Err("keepSteps: a lesson's session starts at the lesson's own start".into());
        }
        let until = match &self.lesson {
            None => {
                let base = base(shipped);
                match self.keep_steps {
                    Some(keep) if keep > base.steps.len() => {
                        return Err(format!(
                            "keepSteps: {keep}, and the scenario has {} steps",
                            base.steps.len()
                        ))
                    }
                    Some(_) => base.until.max(BUILDER_UNTIL),
                    None => base.until,
                }
            }
            Some(id) => {
                let lesson = lessons::lesson(id).ok_or_else(|| {
                    format!("lesson: there is no lesson called \u{201c}{id}\u{201d}")
                })?;
                let work = lesson.sandbox().ok_or_else(|| {
                    format!("lesson: {id} is done on the registries page, not in the sandbox")
                })?;
                if work.scenario.slug != self.scenario {
                    return Err(format!(
                        "scenario: lesson {id} starts from {}, not {}",
                        work.scenario.slug, self.scenario
                    ));
                }
                work.start().until
            }
        };
        if self.steps.len() > MAX_STEPS {
            return Err(format!("steps: at most {MAX_STEPS} commands"));
        }
        if self.steps.len() + self.redo.len() > MAX_STEPS {
            return Err(format!(
                "redo: at most {MAX_STEPS} commands with the steps done"
            ));
        }
        for (field, steps) in [("steps", &self.steps), ("redo", &self.redo)] {
            if let Some((i, step)) = steps.iter().enumerate().find(|(_, s)| s.at > until) {
                return Err(format!(
                    "{field}[{i}].at: {} s is after the scenario's end ({until} s)",
                    step.at
                ));
            }
        }
        if self.files.len() > MAX_FILES {
            return Err(format!("files: at most {MAX_FILES} files"));
        }
        for (path, text) in &self.files {
            check_path(path).map_err(|why| format!("files: {why}"))?;
            if text.len() > MAX_FILE_BYTES {
                return Err(format!(
                    "files.{path}: {} bytes, more than the {MAX_FILE_BYTES} a file may hold",
                    text.len()
                ));
            }
        }
        if self.history.len() > MAX_HISTORY {
            return Err(format!("history: at most {MAX_HISTORY} commands"));
        }
        if self.at > until * 1000 {
            return Err(format!(
                "at: {} ms is after the scenario's end ({} ms)",
                self.at,
                until * 1000
            ));
        }
        Ok(())
    }

    pub fn shipped(&self) -> Option<&'static ShippedScenario> {
        scenario(&self.scenario)
    }

    /// Where the session starts: the shipped scenario, or the start of its
    /// lesson (`lesson`, already read), without the learner's commands.
    pub fn start(&self, lesson: Option<&Lesson>) -> Scenario {
        match lesson.and_then(Lesson::sandbox) {
            Some(work) => work.start(),
            None => {
                let mut start = base(self.shipped().expect("checked when read"));
                if let Some(keep) = self.keep_steps {
                    start.steps.truncate(keep);
                    start.until = start.until.max(BUILDER_UNTIL);
                }
                start
            }
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a session serialises")
    }

    /// The session as a URL fragment path segment: its JSON with every
    /// character that is not unreserved percent-encoded.
    pub fn to_link(&self) -> String {
        let shared = Session {
            redo: Vec::new(),
            ..self.clone()
        };
        let mut out = String::new();
        for byte in shared.to_json().bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }
}

/// Whether a path can name a learner's file: relative, in folders of
/// plain names (no `..`, no empty parts), at most 100 characters.
pub fn check_path(path: &str) -> Result<(), String> {
    let plain = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if path.len() > 100 || !path.split('/').all(plain) {
        return Err(format!(
            "\u{201c}{path}\u{201d} is not a file name here: use letters, digits, - _ . and / between folders"
        ));
    }
    Ok(())
}

/// A shipped scenario, parsed (the files are tested to parse).
pub fn base(shipped: &ShippedScenario) -> Scenario {
    Scenario::parse(shipped.json).expect("a shipped scenario parses")
}

/// Why a text is refused unread: its size against the limit, in words.
pub fn too_large(what: &str, bytes: usize, limit: usize) -> String {
    format!(
        "{what} is at most {} KiB, and this is {} KiB: refused unread",
        limit / 1024,
        bytes.div_ceil(1024)
    )
}

/// Percent-decodes an address's hash (a share link's session, a slug) for
/// lookup and display: the inverse of [`Session::to_link`]; invalid
/// sequences stay as typed, since a slug never needs them.
pub fn percent_decode(hash: &str) -> String {
    let bytes = hash.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| hash.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_lesson_session_starts_from_the_lessons_start_and_is_checked() {
        let lesson = lessons::lesson("pods-on-a-fargate-profile").unwrap();
        let work = lesson.sandbox().unwrap();
        let mut session = Session::for_lesson(&lesson.id, work);
        assert_eq!(session.start(Some(lesson)).steps.len(), work.keep_steps);
        session.steps = work.solution.clone();
        let read = Session::parse(&session.to_json()).unwrap();
        assert_eq!(read, session);
        let wrong_scenario = session
            .to_json()
            .replace("eks-fargate-profile", "az-outage");
        assert!(Session::parse(&wrong_scenario)
            .unwrap_err()
            .starts_with("scenario: lesson pods-on-a-fargate-profile starts from"));
        let no_lesson = session
            .to_json()
            .replace("pods-on-a-fargate-profile", "nope");
        assert!(Session::parse(&no_lesson)
            .unwrap_err()
            .starts_with("lesson: there is no lesson"));
    }

    use dockyard_model::sim::scenario::digest;

    use super::*;

    #[test]
    fn a_session_past_its_limit_is_refused_unread_and_deep_json_is_refused() {
        let big = format!(
            r#"{{"session": 1, "pad": "{}"}}"#,
            "x".repeat(MAX_SESSION_BYTES)
        );
        let started = std::time::Instant::now();
        let error = Session::parse(&big).unwrap_err();
        assert!(
            error.starts_with("a session is at most 4096 KiB"),
            "{error}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_millis(50),
            "it was read"
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(Session::parse(&deep).is_err());
    }

    fn with_step() -> Session {
        let mut session = Session::new("az-outage");
        session.steps.push(
            serde_json::from_str(r#"{"at": 120, "do": "loseAz", "az": "us-east-1b"}"#).unwrap(),
        );
        session.at = 300_000;
        session
    }

    #[test]
    fn files_and_history_are_kept_and_checked() {
        let mut session = with_step();
        session.files.insert("web.json".into(), "{}".into());
        session
            .files
            .insert("policies/read.json".into(), "{}".into());
        session.history.push("aws ecs list-clusters".into());
        assert_eq!(Session::parse(&session.to_json()), Ok(session.clone()));
        for bad in ["../x", "/etc/passwd", "a//b", "", "a b"] {
            let mut tampered = session.clone();
            tampered.files.insert(bad.into(), String::new());
            let error = Session::parse(&tampered.to_json()).unwrap_err();
            assert!(error.starts_with("files: "), "{bad}: {error}");
        }
        let mut big = session.clone();
        big.files
            .insert("big.json".into(), "x".repeat(MAX_FILE_BYTES + 1));
        assert!(Session::parse(&big.to_json())
            .unwrap_err()
            .starts_with("files.big.json: "));
        // An old save, without either, still reads.
        assert!(Session::parse(&with_step().to_json()).is_ok());
        assert!(!with_step().to_json().contains("files"));
    }

    #[test]
    fn a_session_round_trips_through_json_and_a_link() {
        let session = with_step();
        assert_eq!(Session::parse(&session.to_json()), Ok(session.clone()));
        let link = session.to_link();
        assert!(
            link.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~%".contains(c)),
            "{link}"
        );
        let decoded = percent_decode(&link);
        assert_eq!(Session::parse(&decoded), Ok(session));
    }

    #[test]
    fn learner_steps_play_after_the_scenarios_own() {
        let session = with_step();
        let player = crate::player::SessionPlayer::new(session.clone());
        let run = player.scenario().run(None, Some(300));
        assert_eq!(run.digest, digest(&player.player().events));
        assert!(
            run.refused.is_empty(),
            "{:?}",
            run.refused
                .iter()
                .map(|r| &r.rejection.message)
                .collect::<Vec<_>>()
        );
        assert_ne!(
            run.digest,
            base(session.shipped().unwrap()).run(None, Some(300)).digest
        );
    }

    #[test]
    fn bad_sessions_are_refused_naming_the_field() {
        let cases = [
            ("{", "EOF"),
            (
                r#"{"session": 2, "scenario": "az-outage"}"#,
                "session: this is format version 2",
            ),
            (
                r#"{"session": 1, "scenario": "nope"}"#,
                "scenario: there is no scenario called",
            ),
            (
                r#"{"session": 1, "scenario": "az-outage", "at": 99999999}"#,
                "at: 99999999 ms is after",
            ),
            (
                r#"{"session": 1, "scenario": "az-outage", "steps": [{"at": 5, "do": "explode"}]}"#,
                "steps[0]",
            ),
            (
                r#"{"session": 1, "scenario": "az-outage", "steps": [{"at": 999999, "do": "loseAz", "az": "x"}]}"#,
                "steps[0].at: 999999 s is after",
            ),
            (
                r#"{"session": 1, "scenario": "az-outage", "extra": true}"#,
                "unknown field `extra`",
            ),
        ];
        for (text, expected) in cases {
            let error = Session::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
