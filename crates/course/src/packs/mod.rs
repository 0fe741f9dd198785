//! Lesson packs: a titled, ordered list of lessons in one JSON file, written
//! by an instructor and loaded by a learner from a file or a URL. A pack is
//! data from anywhere, so it is read defensively (size, depth, ids, text
//! that would be HTML) and each lesson is verified as the shipped ones are
//! (`Lesson::verify`) before it is offered. Its lessons start from shipped
//! scenarios or registry actions and belong to the course's chapters.
//!
//! ```json
//! { "pack": 1, "id": "ecs-week-1", "title": "ECS, week 1",
//!   "description": "...", "lessons": [ { "lesson": 1, "id": ..., ... } ] }
//! ```

use serde_json::Value;

use crate::lessons::Lesson;

mod offered;
mod saved;
pub mod scorm;
pub use offered::{offer, offered, offered_lesson, offered_pack, qualified_id, withdraw, Offered};
pub use saved::{parse_saved, saved_to_json, SavedPack, MAX_SAVED_PACKS};

/// The packs page's lead, the same in the prerendered page and the app
/// (so that the app's first draw does not paint a new, larger element).
pub const PAGE_LEAD: &str = "A pack is a set of lessons an instructor wrote, in one JSON file. Load it from a file or from an address; Dockyard checks every lesson (its start does not meet the goal, its solution does, its wrong answer does not) before offering it, and keeps your progress in a pack apart from the course's. A pack's words are its author's, not Dockyard's: it says where it came from.";

/// The pack format version this build reads.
pub const PACK_VERSION: u64 = 1;
/// A pack larger than this is refused unread (the shipped course's 32
/// lessons are about 60 KB).
pub const MAX_PACK_BYTES: usize = 512 * 1024;
/// At most this many lessons in a pack.
pub const MAX_LESSONS: usize = 100;
/// JSON nested deeper than this is refused (the deepest lesson needs 8).
pub const MAX_DEPTH: usize = 24;
/// The longest title, brief, hint or description, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;

/// A pack read and checked for shape (its lessons are not yet verified:
/// see [`Pack::verify`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub description: String,
    pub lessons: Vec<Lesson>,
    /// Each lesson as its file wrote it (what the lesson builder opens).
    pub files: Vec<Value>,
}

/// A lesson of a pack that does not teach, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unverified {
    pub lesson: String,
    pub problems: Vec<String>,
}

impl Pack {
    /// Reads a pack, naming the field of any error: `lessons[2].goal[0]: ...`.
    pub fn parse(text: &str) -> Result<Pack, String> {
        if text.len() > MAX_PACK_BYTES {
            return Err(format!(
                "the pack is {} KB; a pack is at most {} KB",
                text.len() / 1024,
                MAX_PACK_BYTES / 1024
            ));
        }
        let value: Value = dockyard_model::json::parse_value(text).map_err(|e| e.to_string())?;
        if depth(&value) > MAX_DEPTH {
            return Err(format!(
                "the pack nests deeper than {MAX_DEPTH} levels; no lesson needs that"
            ));
        }
        let map = value.as_object().ok_or("a pack is a JSON object")?;
        if let Some(key) = map
            .keys()
            .find(|k| !["pack", "id", "title", "description", "lessons"].contains(&k.as_str()))
        {
            return Err(format!(
                "{key}: not a pack field (pack, id, title, description, lessons)"
            ));
        }
        if map.get("pack").and_then(Value::as_u64) != Some(PACK_VERSION) {
            return Err(format!("pack: expected format version {PACK_VERSION}"));
        }
        let text_field = |key: &str| -> Result<String, String> {
            let text = map
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{key}: expected a string"))?;
            plain_text(key, text)?;
            Ok(text.to_string())
        };
        let id = text_field("id")?;
        check_id("id", &id)?;
        let title = text_field("title")?;
        if title.trim().is_empty() {
            return Err("title: give the pack a title".into());
        }
        let description = match map.get("description") {
            None => String::new(),
            Some(_) => text_field("description")?,
        };
        let items = map
            .get("lessons")
            .and_then(Value::as_array)
            .ok_or("lessons: expected a list of lessons")?;
        if items.is_empty() {
            return Err("lessons: a pack has at least one lesson".into());
        }
        if items.len() > MAX_LESSONS {
            return Err(format!(
                "lessons: {} lessons; a pack has at most {MAX_LESSONS}",
                items.len()
            ));
        }
        let mut lessons: Vec<Lesson> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = |e: String| format!("lessons[{i}].{e}");
            lesson_text(item).map_err(at)?;
            let lesson = Lesson::from_value(item).map_err(at)?;
            check_id("id", &lesson.id).map_err(at)?;
            if let Some(first) = lessons.iter().position(|l| l.id == lesson.id) {
                return Err(format!(
                    "lessons[{i}].id: {:?} is the id of lessons[{first}] too; ids are unique in a pack",
                    lesson.id
                ));
            }
            lessons.push(lesson);
        }
        Ok(Pack {
            id,
            title,
            description,
            lessons,
            files: items.clone(),
        })
    }

    /// Each lesson verified as the shipped ones are; the ones that do not
    /// teach, with why. A pack is offered only when this is empty.
    pub fn verify(&self) -> Vec<Unverified> {
        self.lessons
            .iter()
            .filter_map(|lesson| {
                let problems = lesson.verify();
                (!problems.is_empty()).then(|| Unverified {
                    lesson: lesson.id.clone(),
                    problems,
                })
            })
            .collect()
    }
}

/// How deeply a value nests (a scalar is 0).
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Ids go into URLs and storage keys: lower-case letters, digits and
/// hyphens, 1 to 64 of them.
fn check_id(key: &str, id: &str) -> Result<(), String> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{key}: {id:?} is not an id (1 to 64 lower-case letters, digits and hyphens)"
        ))
    }
}

/// A pack's words are shown as text, never as markup: text that looks like
/// HTML is refused, so that an author sees at once that it will not render.
fn plain_text(key: &str, text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("{key}: longer than {MAX_TEXT_CHARS} characters"));
    }
    let bytes = text.as_bytes();
    let tag = bytes.windows(2).any(|pair| {
        pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || matches!(pair[1], b'/' | b'!' | b'?'))
    });
    if tag {
        return Err(format!(
            "{key}: looks like HTML; a pack's text is shown as plain text (write < followed by a space, or the words)"
        ));
    }
    Ok(())
}

/// The words of a lesson a learner reads: title, brief, hints, wrong.why.
fn lesson_text(item: &Value) -> Result<(), String> {
    let Some(map) = item.as_object() else {
        return Ok(()); // Lesson::from_value names the error.
    };
    for key in ["title", "brief"] {
        if let Some(text) = map.get(key).and_then(Value::as_str) {
            plain_text(key, text)?;
        }
    }
    if let Some(hints) = map.get("hints").and_then(Value::as_array) {
        for (i, hint) in hints.iter().enumerate() {
            if let Some(text) = hint.as_str() {
                plain_text(&format!("hints[{i}]"), text)?;
            }
        }
    }
    if let Some(text) = map
        .get("wrong")
        .and_then(|w| w.get("why"))
        .and_then(Value::as_str)
    {
        plain_text("wrong.why", text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
