//! Completion receipts (issue 21): a learner's answer to a lesson, with
//! what anyone needs to check it by replaying it, since the simulation is
//! deterministic: the lesson's id and a hash of its content, the seed its
//! start was played with, the steps (or registry actions) the learner took,
//! the name they give, and the hints they used.
//!
//! What a receipt proves: that this answer, replayed on this lesson from
//! this seed, meets the goal. What it does not: who found the answer. A
//! learner can copy another's steps and put their own name on them, and
//! the hints used and time spent are what the learner's browser reported.
//!
//! The seed is tied to the name ([`name_seed`]): a receipt is replayed
//! from a seed derived from the learner's name and the lesson's own seed,
//! when the answer meets the goal from it (it does for every shipped
//! lesson's solution; a lesson whose outcome hangs on its random draws
//! keeps its own seed, and [`SeedTie::LessonOwn`] says so). A receipt whose
//! name was edited after it was made then names a seed that is not its
//! name's ([`SeedTie::OtherName`]), which the class sheet flags. It makes a
//! naive copy visible; anyone who reads this can compute a name's seed.
//! The content hash (FNV-1a, not a signature) tells a receipt made on
//! another version of the lesson from one made on this version; it does
//! not detect a forgery.

use serde_json::{json, Map, Value};

use crate::lessons::{all_met, Answer, Lesson};

/// The receipt format version this build reads.
pub const RECEIPT_VERSION: u64 = 1;
/// A receipt larger than this is refused unread.
pub const MAX_RECEIPT_BYTES: usize = 256 * 1024;

/// A learner's answer to a lesson, as handed to an instructor.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    /// The name the learner gave.
    pub name: String,
    pub lesson: String,
    /// [`content_hash`] of the lesson the learner had.
    pub lesson_hash: String,
    /// The seed the lesson's start was played with.
    pub seed: u64,
    /// The steps or registry actions, as JSON (read by the lesson, which
    /// knows which kind it takes).
    pub answer: Value,
    pub hints_used: u32,
    /// As the learner's browser measured it.
    pub seconds_spent: Option<u64>,
}

/// What replaying a receipt found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The answer meets the goal of the lesson as it is now.
    Completed,
    /// The answer, replayed, does not meet the goal (the conditions not
    /// met, in words): a tampered transcript, or an unfinished one.
    NotMet(String),
    /// The lesson's content is not what the learner had.
    LessonDiffers,
    /// No lesson with this id is known here.
    UnknownLesson,
    /// The answer cannot be read as this lesson's kind of answer.
    Unreadable(String),
}

impl Verdict {
    /// In a word or two, for a table.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Completed => "completed",
            Verdict::NotMet(_) => "goal not met on replay",
            Verdict::LessonDiffers => "lesson differs",
            Verdict::UnknownLesson => "unknown lesson",
            Verdict::Unreadable(_) => "unreadable answer",
        }
    }
}

/// The seed a receipt under `name` is replayed from: the lesson's own seed
/// and the name (trimmed, lower-cased), hashed.
pub fn name_seed(lesson_seed: u64, name: &str) -> u64 {
    let text = format!("{lesson_seed}:{}", name.trim().to_lowercase());
    dockyard_model::hash::fnv1a(text.bytes())
}

/// Whose seed a receipt names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedTie {
    /// Its name's: made under this name.
    Named,
    /// The lesson's own: the answer does not meet the goal from the
    /// name's seed (or the lesson is a registry lesson, which has none).
    LessonOwn,
    /// Neither: the receipt was made under another name (or edited).
    OtherName,
}

impl SeedTie {
    pub fn label(self) -> &'static str {
        match self {
            SeedTie::Named => "this name's",
            SeedTie::LessonOwn => "the lesson's own",
            SeedTie::OtherName => "another name's",
        }
    }
}

/// A stable hash of a lesson's JSON: FNV-1a 64 over its canonical text
/// (keys sorted, no spaces), so that the same lesson hashes alike in every
/// build whatever the order its file gives its keys in.
pub fn content_hash(value: &Value) -> String {
    let mut text = String::new();
    canonical(value, &mut text);
    format!("{:016x}", dockyard_model::hash::fnv1a(text.bytes()))
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

impl Receipt {
    /// A receipt for `answer` to `lesson` under `name`, to be replayed from
    /// the name's seed when the answer meets the goal from it, else from
    /// the lesson's own (a registry lesson has none: 0).
    pub fn new(lesson: &Lesson, name: &str, answer: &Answer, hints_used: u32) -> Receipt {
        let answer = match answer {
            Answer::Steps(steps) => steps
                .iter()
                .map(|s| serde_json::to_value(s).unwrap_or_default())
                .collect(),
            Answer::Actions(actions) => actions
                .iter()
                .map(dockyard_model::registry::desk::action_to_json)
                .collect(),
        };
        let mut receipt = Receipt {
            name: String::new(),
            lesson: lesson.id.clone(),
            lesson_hash: lesson.content_hash.clone(),
            seed: 0,
            answer: Value::Array(answer),
            hints_used,
            seconds_spent: None,
        };
        receipt.rename(lesson, name);
        receipt
    }

    /// Puts the receipt under `name`, with that name's seed where the
    /// answer meets the goal from it (one replay).
    pub fn rename(&mut self, lesson: &Lesson, name: &str) {
        self.name = name.trim().to_string();
        let Some(work) = lesson.sandbox() else {
            self.seed = 0;
            return;
        };
        let own = work.start().seed;
        let named = name_seed(own, &self.name);
        let meets = lesson
            .read_answer(&self.answer.to_string())
            .and_then(|answer| lesson.check_with_seed(&answer, Some(named)))
            .is_ok_and(|judged| all_met(&judged));
        self.seed = if meets { named } else { own };
    }

    /// Whose seed the receipt names, for `lesson` (its lesson).
    pub fn seed_tie(&self, lesson: &Lesson) -> SeedTie {
        let own = lesson.sandbox().map_or(0, |work| work.start().seed);
        if lesson.sandbox().is_some() && self.seed == name_seed(own, &self.name) {
            SeedTie::Named
        } else if self.seed == own {
            SeedTie::LessonOwn
        } else {
            SeedTie::OtherName
        }
    }

    pub fn to_json(&self) -> String {
        let mut map = Map::new();
        map.insert("receipt".into(), json!(RECEIPT_VERSION));
        map.insert("name".into(), json!(self.name));
        map.insert("lesson".into(), json!(self.lesson));
        map.insert("lessonHash".into(), json!(self.lesson_hash));
        map.insert("seed".into(), json!(self.seed));
        map.insert("hintsUsed".into(), json!(self.hints_used));
        if let Some(seconds) = self.seconds_spent {
            map.insert("secondsSpent".into(), json!(seconds));
        }
        map.insert("answer".into(), self.answer.clone());
        serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default()
    }

    /// Reads a receipt, naming the field of any error.
    pub fn parse(text: &str) -> Result<Receipt, String> {
        if text.len() > MAX_RECEIPT_BYTES {
            return Err(format!(
                "the receipt is {} KB; a receipt is at most {} KB",
                text.len() / 1024,
                MAX_RECEIPT_BYTES / 1024
            ));
        }
        let value = dockyard_model::json::parse_value(text).map_err(|e| e.to_string())?;
        let map = value.as_object().ok_or("a receipt is a JSON object")?;
        const FIELDS: [&str; 8] = [
            "receipt",
            "name",
            "lesson",
            "lessonHash",
            "seed",
            "hintsUsed",
            "secondsSpent",
            "answer",
        ];
        if let Some(key) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(format!(
                "{key}: not a receipt field ({})",
                FIELDS.join(", ")
            ));
        }
        if map.get("receipt").and_then(Value::as_u64) != Some(RECEIPT_VERSION) {
            return Err(format!(
                "receipt: expected format version {RECEIPT_VERSION}"
            ));
        }
        let text_field = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("{key}: expected a string"))
        };
        let number = |key: &str| {
            map.get(key)
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("{key}: expected a whole number"))
        };
        let name = text_field("name")?;
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err("name: give a name of 1 to 200 characters".into());
        }
        let answer = map
            .get("answer")
            .cloned()
            .ok_or("answer: expected a list")?;
        if !answer.is_array() {
            return Err("answer: expected a list of steps or registry actions".into());
        }
        Ok(Receipt {
            name,
            lesson: text_field("lesson")?,
            lesson_hash: text_field("lessonHash")?,
            seed: number("seed")?,
            answer,
            hints_used: u32::try_from(number("hintsUsed")?)
                .map_err(|_| "hintsUsed: too large".to_string())?,
            seconds_spent: match map.get("secondsSpent") {
                None => None,
                Some(_) => Some(number("secondsSpent")?),
            },
        })
    }

    /// Replays the receipt on the lesson `find` gives for its id.
    pub fn check<'l>(&self, find: impl Fn(&str) -> Option<&'l Lesson>) -> Verdict {
        let Some(lesson) = find(&self.lesson) else {
            return Verdict::UnknownLesson;
        };
        if lesson.content_hash != self.lesson_hash {
            return Verdict::LessonDiffers;
        }
        let answer = match lesson.read_answer(&self.answer.to_string()) {
            Ok(answer) => answer,
            Err(e) => return Verdict::Unreadable(e),
        };
        match lesson.check_with_seed(&answer, Some(self.seed)) {
            Ok(judged) if all_met(&judged) => Verdict::Completed,
            Ok(judged) => Verdict::NotMet(
                judged
                    .iter()
                    .filter(|j| !j.met)
                    .map(|j| j.words.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Err(e) => Verdict::Unreadable(e),
        }
    }
}

pub mod class;

#[cfg(test)]
mod tests;
