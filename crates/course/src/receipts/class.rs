//! A class's receipts replayed together: one row per receipt file, the
//! same in `dockyard receipt check` and on the app's class page, and the
//! CSV both export.
//!
//! Besides each receipt's own verdict, the sheet makes copying visible
//! where it can: two receipts under different names with the very same
//! answer (every command at the same simulated second) each list the
//! other's name. That is a question to ask, not a verdict: in a short
//! lesson done at its start, learners often type the same commands at
//! second 0. A learner who retypes a classmate's answer at other moments
//! is not caught, and the page says so.

use std::collections::BTreeMap;

use super::{Receipt, SeedTie, Verdict};
use crate::lessons::Lesson;

/// The class page's lead, the same in the prerendered page and the app.
pub const PAGE_LEAD: &str = "Choose the receipts your learners sent (many files at once). Each is replayed here on the lesson as this Dockyard has it, from the seed it names, and the table says who completed what, with the hints they used and the time their browser measured. Nothing leaves this page.";

/// One receipt file, replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Where the receipt came from (a file name).
    pub source: String,
    /// Empty when the receipt could not be read.
    pub name: String,
    pub lesson: String,
    /// What the replay found, in words (the label, then any detail).
    pub verdict: String,
    pub completed: bool,
    pub hints_used: Option<u32>,
    pub seconds_spent: Option<u64>,
    /// Other names with exactly this answer to this lesson.
    pub same_answer_as: Vec<String>,
    /// Whose seed the receipt names (`None`: its lesson is not known here).
    pub seed: Option<SeedTie>,
}

impl Row {
    /// Whether the row asks for the instructor's eye: its replay failed,
    /// or it names another name's seed (its name was edited).
    pub fn flagged(&self) -> bool {
        !self.completed || self.seed == Some(SeedTie::OtherName)
    }
}

/// A pack's receipt is its lessons' receipts in one JSON list, at most
/// this large and this many.
pub const MAX_BUNDLE_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_BUNDLE_RECEIPTS: usize = 200;

/// A file as the receipts it holds: one, or a pack's list of them (each
/// then named `FILE [i]`).
fn expand(source: &str, text: &Result<String, String>) -> Vec<(String, Result<String, String>)> {
    let Ok(body) = text else {
        return vec![(source.to_string(), text.clone())];
    };
    if !body.trim_start().starts_with('[') {
        return vec![(source.to_string(), text.clone())];
    }
    let refused = |why: String| vec![(source.to_string(), Err(why))];
    if body.len() > MAX_BUNDLE_BYTES {
        return refused(format!(
            "a pack's receipt is at most {} MB",
            MAX_BUNDLE_BYTES / 1_048_576
        ));
    }
    let items = match dockyard_model::json::parse_value(body) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => return refused("expected a receipt, or a list of them".into()),
        Err(e) => return refused(e.to_string()),
    };
    if items.len() > MAX_BUNDLE_RECEIPTS {
        return refused(format!(
            "{} receipts in one file; at most {MAX_BUNDLE_RECEIPTS}",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (format!("{source} [{i}]"), Ok(item.to_string())))
        .collect()
}

/// Reads and replays each `(source, text)` (`Err`: why the file could not
/// be read); `find` gives a lesson by the id a receipt names (shipped, or
/// of a pack). A file holding a list (a pack's receipt) gives a row for
/// each receipt in it.
pub fn replay<'l>(
    files: &[(String, Result<String, String>)],
    find: impl Fn(&str) -> Option<&'l Lesson>,
) -> Vec<Row> {
    let files: Vec<(String, Result<String, String>)> = files
        .iter()
        .flat_map(|(source, text)| expand(source, text))
        .collect();
    let mut rows = Vec::with_capacity(files.len());
    // (lesson, answer) -> the names that gave it.
    let mut answers: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut keys = Vec::with_capacity(files.len());
    for (source, text) in &files {
        match text
            .as_deref()
            .map_err(String::clone)
            .and_then(Receipt::parse)
        {
            Ok(receipt) => {
                let verdict = receipt.check(&find);
                let seed = find(&receipt.lesson).map(|lesson| receipt.seed_tie(lesson));
                let key = (receipt.lesson.clone(), receipt.answer.to_string());
                let names = answers.entry(key.clone()).or_default();
                if !names.contains(&receipt.name) {
                    names.push(receipt.name.clone());
                }
                keys.push(Some(key));
                rows.push(Row {
                    source: source.clone(),
                    verdict: match &verdict {
                        Verdict::NotMet(words) => format!("{}: {words}", verdict.label()),
                        Verdict::Unreadable(why) => format!("{}: {why}", verdict.label()),
                        other => other.label().to_string(),
                    },
                    completed: verdict == Verdict::Completed,
                    name: receipt.name,
                    lesson: receipt.lesson,
                    hints_used: Some(receipt.hints_used),
                    seconds_spent: receipt.seconds_spent,
                    same_answer_as: Vec::new(),
                    seed,
                });
            }
            Err(why) => {
                keys.push(None);
                rows.push(Row {
                    source: source.clone(),
                    name: String::new(),
                    lesson: String::new(),
                    verdict: format!("unreadable receipt: {why}"),
                    completed: false,
                    hints_used: None,
                    seconds_spent: None,
                    same_answer_as: Vec::new(),
                    seed: None,
                });
            }
        }
    }
    for (row, key) in rows.iter_mut().zip(keys) {
        if let Some(names) = key.and_then(|key| answers.get(&key)) {
            row.same_answer_as = names.iter().filter(|n| **n != row.name).cloned().collect();
        }
    }
    rows
}

/// The rows as CSV (RFC 4180), with a header line.
pub fn to_csv(rows: &[Row]) -> String {
    let mut out =
        String::from("name,lesson,verdict,hints_used,seconds_spent,same_answer_as,seed,file\n");
    for row in rows {
        let fields = [
            row.name.clone(),
            row.lesson.clone(),
            row.verdict.clone(),
            row.hints_used.map(|h| h.to_string()).unwrap_or_default(),
            row.seconds_spent.map(|s| s.to_string()).unwrap_or_default(),
            row.same_answer_as.join("; "),
            row.seed.map(SeedTie::label).unwrap_or_default().to_string(),
            row.source.clone(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break; a
/// leading = + - @ is prefixed with ' so that a spreadsheet does not run
/// a learner's name as a formula.
pub fn csv_field(field: &str) -> String {
    let safe = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{self, Answer};

    fn receipt_of(id: &str, name: &str, answer: Answer) -> String {
        let lesson = lessons::lesson(id).unwrap();
        Receipt::new(lesson, name, &answer, 1).to_json()
    }

    #[test]
    fn a_class_sheet_flags_a_failed_replay_a_changed_lesson_and_a_copied_answer() {
        let lesson = lessons::lessons()
            .iter()
            .find(|l| l.sandbox().is_some())
            .unwrap();
        let id = lesson.id.as_str();
        let mut changed: serde_json::Value =
            serde_json::from_str(&receipt_of(id, "Cy", lesson.solution())).unwrap();
        changed["lessonHash"] = "0000000000000000".into();
        let files = vec![
            (
                "ada.json".into(),
                Ok(receipt_of(id, "Ada", lesson.solution())),
            ),
            (
                "bo.json".into(),
                Ok(receipt_of(id, "Bo", lesson.solution())),
            ),
            ("cy.json".into(), Ok(changed.to_string())),
            ("dee.json".into(), Ok(receipt_of(id, "Dee", lesson.wrong()))),
            ("junk.json".into(), Ok("{ not json".into())),
            ("huge.json".into(), Err("larger than 256 KB".into())),
        ];
        let rows = replay(&files, lessons::lesson);
        let verdicts: Vec<(&str, bool)> = rows
            .iter()
            .map(|r| (r.verdict.as_str(), r.completed))
            .collect();
        assert_eq!(verdicts[0], ("completed", true));
        assert_eq!(verdicts[1], ("completed", true));
        assert_eq!(verdicts[2], ("lesson differs", false));
        assert!(
            verdicts[3].0.starts_with("goal not met on replay: "),
            "{verdicts:?}"
        );
        assert!(verdicts[4].0.starts_with("unreadable receipt: "));
        assert_eq!(verdicts[5].0, "unreadable receipt: larger than 256 KB");
        assert_eq!(rows[0].seed, Some(SeedTie::Named));
        assert!(!rows[0].flagged() && rows[3].flagged());
        // Ada, Bo and Cy gave the same answer (Cy's, on another version).
        assert_eq!(rows[0].same_answer_as, ["Bo", "Cy"]);
        assert_eq!(rows[1].same_answer_as, ["Ada", "Cy"]);
        assert!(rows[3].same_answer_as.is_empty());
        let csv = to_csv(&rows);
        assert_eq!(csv.lines().count(), 7);
        assert!(csv.lines().nth(1).unwrap().starts_with("Ada,"), "{csv}");
        assert!(
            csv.contains("\"Ada; Cy\"") || csv.contains("Ada; Cy"),
            "{csv}"
        );
    }

    #[test]
    fn a_packs_receipt_is_a_list_each_replayed_on_its_own() {
        let lessons = lessons::lessons();
        let bundle = format!(
            "[{}, {}]",
            receipt_of(&lessons[0].id, "Ada", lessons[0].solution()),
            receipt_of(&lessons[1].id, "Ada", lessons[1].wrong())
        );
        let rows = replay(&[("ada-pack.json".into(), Ok(bundle))], lessons::lesson);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].source, "ada-pack.json [0]");
        assert!(rows[0].completed);
        assert!(!rows[1].completed, "{:?}", rows[1]);
        let rows = replay(&[("x.json".into(), Ok("[1, 2".into()))], lessons::lesson);
        assert!(
            rows[0].verdict.starts_with("unreadable receipt: "),
            "{rows:?}"
        );
    }

    #[test]
    fn a_csv_field_cannot_run_as_a_formula_or_break_a_row() {
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
