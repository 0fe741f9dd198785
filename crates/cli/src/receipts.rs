//! `dockyard receipt make | check`: completion receipts made from an answer
//! and checked by replaying them, natively (the class page in the browser
//! is to come). What a receipt proves and does not is said in
//! `dockyard_course::receipts`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Subcommand;
use dockyard_course::lessons::{self, Lesson};
use dockyard_course::packs::Pack;
use dockyard_course::receipts::{Receipt, Verdict};

use crate::Failure;

/// Completion receipts: an answer to a lesson that anyone can replay.
#[derive(Subcommand)]
pub(crate) enum ReceiptCommand {
    /// Makes a receipt of an answer to a lesson (printed as JSON).
    Make {
        /// A shipped lesson's id, or a lesson file.
        #[arg(value_name = "LESSON")]
        lesson: String,
        /// The answer: a script of commands (SOLUTION.sh) or JSON.
        #[arg(value_name = "SOLUTION", value_hint = clap::ValueHint::FilePath)]
        solution: PathBuf,
        /// The learner's name, as the receipt will show it.
        #[arg(long)]
        name: String,
        /// How many hints the learner used.
        #[arg(long, default_value_t = 0)]
        hints: u32,
    },
    /// Replays receipts and says who completed what: a receipt whose answer
    /// does not reach the goal, or whose lesson has changed, is flagged.
    #[command(
        after_help = "Exit codes: 0 every receipt replays to its goal; 1 one or more do not; 2 bad input.\n\nA receipt proves that its answer solves the lesson, not who found the answer: a learner can copy another's steps under their own name."
    )]
    Check {
        /// Receipt files (RECEIPT.json).
        #[arg(value_name = "RECEIPT", required = true, value_hint = clap::ValueHint::FilePath)]
        receipts: Vec<PathBuf>,
        /// A pack whose lessons the receipts may be for, beside the shipped ones.
        #[arg(long, value_name = "PACK")]
        pack: Option<PathBuf>,
        /// Print CSV (name, lesson, verdict, hints, seconds, file) instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

pub(crate) fn receipt(command: ReceiptCommand) -> Result<String, Failure> {
    match command {
        ReceiptCommand::Make {
            lesson,
            solution,
            name,
            hints,
        } => {
            let lesson = crate::lessons::find_lesson(&lesson)?;
            let (answer, _) = crate::lessons::answer_from_file(&lesson, &solution)?;
            let answer = answer
                .map_err(|e| Failure::Unreadable(format!("{}: {e}\n", solution.display())))?;
            if name.trim().is_empty() {
                return Err(Failure::Unreadable(
                    "--name: give the learner's name\n".into(),
                ));
            }
            Ok(Receipt::new(&lesson, &name, &answer, hints).to_json() + "\n")
        }
        ReceiptCommand::Check {
            receipts,
            pack,
            csv,
        } => check(&receipts, pack.as_deref(), csv),
    }
}

fn check(files: &[PathBuf], pack: Option<&std::path::Path>, csv: bool) -> Result<String, Failure> {
    let pack: Option<Pack> = match pack {
        Some(path) => Some(
            Pack::parse(&crate::read(path)?)
                .map_err(|e| Failure::Unreadable(format!("{}: {e}\n", path.display())))?,
        ),
        None => None,
    };
    let pack_lessons: &[Lesson] = pack.as_ref().map_or(&[], |p| &p.lessons);
    let started = Instant::now();
    let mut rows = Vec::new();
    for file in files {
        let row = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| Receipt::parse(&text))
        {
            Ok(receipt) => {
                let verdict = receipt.check(|id| find(pack_lessons, id));
                Row {
                    name: receipt.name,
                    lesson: receipt.lesson,
                    verdict: match &verdict {
                        Verdict::NotMet(words) => format!("{}: {words}", verdict.label()),
                        Verdict::Unreadable(why) => format!("{}: {why}", verdict.label()),
                        other => other.label().to_string(),
                    },
                    completed: verdict == Verdict::Completed,
                    hints: receipt.hints_used.to_string(),
                    seconds: receipt
                        .seconds_spent
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    file: file.display().to_string(),
                }
            }
            Err(why) => Row {
                name: String::new(),
                lesson: String::new(),
                verdict: format!("unreadable receipt: {why}"),
                completed: false,
                hints: String::new(),
                seconds: String::new(),
                file: file.display().to_string(),
            },
        };
        rows.push(row);
    }
    let elapsed = started.elapsed();
    let completed = rows.iter().filter(|r| r.completed).count();
    let mut out = String::new();
    if csv {
        out.push_str("name,lesson,verdict,hints_used,seconds_spent,file\n");
        for r in &rows {
            let fields = [
                &r.name, &r.lesson, &r.verdict, &r.hints, &r.seconds, &r.file,
            ];
            let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&quoted.join(","));
            out.push('\n');
        }
    } else {
        for r in &rows {
            out.push_str(&format!(
                "{:<24} {:<36} {:<5} {}\n",
                r.name, r.lesson, r.hints, r.verdict
            ));
        }
        out.push_str(&format!(
            "{completed} of {} receipts replay to their goal ({} ms to replay them all, {:.1} ms each).\n",
            rows.len(),
            elapsed.as_millis(),
            elapsed.as_secs_f64() * 1000.0 / rows.len().max(1) as f64
        ));
    }
    if completed == rows.len() {
        Ok(out)
    } else {
        Err(Failure::Verdict(out))
    }
}

/// A shipped lesson, or one of the pack's.
fn find<'a>(pack: &'a [Lesson], id: &str) -> Option<&'a Lesson> {
    match lessons::lesson(id) {
        Some(shipped) => Some(shipped),
        None => pack.iter().find(|l| l.id == id),
    }
}

struct Row {
    name: String,
    lesson: String,
    verdict: String,
    completed: bool,
    hints: String,
    seconds: String,
    file: String,
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break; a
/// leading = + - @ is prefixed with ' so that a spreadsheet does not run
/// a learner's name as a formula.
fn csv_field(field: &str) -> String {
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
