//! A learner's progress: which lessons are done. Kept in localStorage and
//! exported or imported as a file, so it is read as untrusted input.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::lessons::{lesson, LESSON_FILES};
use crate::practice::review::Record;

pub const PROGRESS_VERSION: u64 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: BTreeSet<String>,
    /// The practice record a file carried (`practice`), to be merged into
    /// the browser's own (kept under its own key, never in saved progress).
    pub practice: Option<Record>,
}

/// Far more than every lesson's id: a larger file is refused unread.
pub const MAX_PROGRESS_BYTES: usize = 256 * 1024;

impl Progress {
    /// `{"progress": 1, "done": ["lesson-id", ...]}`, as imported from a
    /// file: an unknown lesson is refused by position, so a typo is not
    /// silently kept.
    pub fn parse(text: &str) -> Result<Progress, String> {
        Progress::read(text, true)
    }

    /// The same format as saved in this browser by an earlier version of
    /// the course: a lesson since renamed or removed is dropped, so that one
    /// retired id does not cost the learner the rest of their progress.
    pub fn parse_saved(text: &str) -> Result<Progress, String> {
        Progress::read(text, false)
    }

    fn read(text: &str, strict: bool) -> Result<Progress, String> {
        if text.len() > MAX_PROGRESS_BYTES {
            return Err(crate::session::too_large(
                "a progress file",
                text.len(),
                MAX_PROGRESS_BYTES,
            ));
        }
        let value: Value = dockyard_model::json::parse_value(text).map_err(|e| e.to_string())?;
        let map = value.as_object().ok_or("progress is a JSON object")?;
        if map.get("progress").and_then(Value::as_u64) != Some(PROGRESS_VERSION) {
            return Err(format!(
                "progress: expected format version {PROGRESS_VERSION}"
            ));
        }
        if let Some(unknown) = map
            .keys()
            .find(|k| !["progress", "done", "practice"].contains(&k.as_str()))
        {
            return Err(format!("{unknown}: not a field of a progress file"));
        }
        let done = map
            .get("done")
            .and_then(Value::as_array)
            .ok_or("done: expected a list of lesson ids")?;
        let mut progress = Progress {
            // Answers to questions since removed are dropped, not refused.
            practice: map.get("practice").map(Record::from_value).transpose()?,
            ..Progress::default()
        };
        for (i, id) in done.iter().enumerate() {
            let id = id
                .as_str()
                .ok_or_else(|| format!("done[{i}]: expected a lesson id"))?;
            if lesson(id).is_none() {
                if !strict {
                    continue;
                }
                return Err(format!(
                    "done[{i}]: there is no lesson \u{201c}{id}\u{201d}"
                ));
            }
            progress.done.insert(id.to_string());
        }
        Ok(progress)
    }

    pub fn to_json(&self) -> String {
        json!({ "progress": PROGRESS_VERSION, "done": self.done }).to_string()
    }

    /// The file a learner exports: lessons done, and the practice record.
    pub fn export(&self, practice: &Record) -> String {
        if practice.cards.is_empty() {
            return self.to_json();
        }
        json!({ "progress": PROGRESS_VERSION, "done": self.done, "practice": practice }).to_string()
    }

    /// The first lesson, in course order, not yet done.
    pub fn next(&self) -> Option<&'static str> {
        LESSON_FILES
            .iter()
            .map(|(id, _)| *id)
            .find(|id| !self.done.contains(*id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exported file carries the practice record; reading it back gives
    /// the same record, and merging keeps the longer history per question.
    #[test]
    fn an_export_carries_the_practice_record_and_an_import_merges_it() {
        let ids: Vec<&str> = crate::practice::questions()
            .iter()
            .take(2)
            .map(|q| q.id.as_str())
            .collect();
        let mut mine = Record::default();
        mine.answer(ids[0], false, 10);
        let progress = Progress::default();
        assert_eq!(progress.export(&Record::default()), progress.to_json());
        let file = progress.export(&mine);
        let read = Progress::parse(&file).unwrap();
        assert_eq!(read.practice.as_ref(), Some(&mine));

        let mut here = Record::default();
        here.answer(ids[0], true, 5);
        here.answer(ids[0], true, 6);
        here.answer(ids[1], false, 6);
        // Theirs has a shorter history of ids[0]: kept mine; ids[1] is new to neither.
        let taken = here.clone().merge(mine.clone());
        assert_eq!(taken, 0);
        let mut empty = Record::default();
        assert_eq!(empty.merge(here.clone()), 2);
        assert_eq!(empty, here);
        // An unknown question in a file is dropped, not refused.
        let file = r#"{"progress": 1, "done": [], "practice": {"cards": {"no-such-question": {"box": 1, "due": 3, "right": 0, "wrong": 1}}}}"#;
        assert_eq!(
            Progress::parse(file).unwrap().practice,
            Some(Record::default())
        );
        assert!(
            Progress::parse(r#"{"progress": 1, "done": [], "practice": 7}"#)
                .unwrap_err()
                .starts_with("practice:")
        );
    }

    #[test]
    fn a_progress_file_past_its_limit_is_refused_unread() {
        let big = format!(
            r#"{{"progress": 1, "done": [], "pad": "{}"}}"#,
            "x".repeat(MAX_PROGRESS_BYTES)
        );
        let error = Progress::parse(&big).unwrap_err();
        assert!(
            error.starts_with("a progress file is at most 256 KiB, and this is 257 KiB"),
            "{error}"
        );
        assert_eq!(Progress::parse_saved(&big).unwrap_err(), error);
    }

    #[test]
    fn progress_round_trips_and_bad_files_are_named() {
        let mut progress = Progress::default();
        assert_eq!(progress.next(), Some(LESSON_FILES[0].0));
        progress.done.insert(LESSON_FILES[0].0.to_string());
        assert_eq!(progress.next(), Some(LESSON_FILES[1].0));
        assert_eq!(Progress::parse(&progress.to_json()).unwrap(), progress);
        for (text, message) in [
            ("[]", "progress is a JSON object"),
            (
                r#"{"progress": 2, "done": []}"#,
                "progress: expected format version 1",
            ),
            (r#"{"progress": 1}"#, "done: expected a list"),
            (
                r#"{"progress": 1, "done": ["run-a-service-on-fargate", "nope"]}"#,
                "done[1]: there is no lesson",
            ),
            (
                r#"{"progress": 1, "done": [], "extra": 1}"#,
                "extra: not a field",
            ),
        ] {
            assert!(
                Progress::parse(text).unwrap_err().starts_with(message),
                "{text}"
            );
        }
    }

    #[test]
    fn a_saved_progress_drops_retired_lessons_and_keeps_the_rest() {
        let text =
            r#"{"progress": 1, "done": ["run-a-service-on-fargate", "a-lesson-since-retired"]}"#;
        let saved = Progress::parse_saved(text).unwrap();
        assert_eq!(
            saved.done.iter().collect::<Vec<_>>(),
            ["run-a-service-on-fargate"]
        );
        // A broken save is still an error, not an empty progress.
        assert!(Progress::parse_saved(r#"{"progress": 1, "done": [7]}"#)
            .unwrap_err()
            .starts_with("done[0]: expected a lesson id"));
    }
}
