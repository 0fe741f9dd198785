//! `dockyard receipt make | check`: completion receipts made from an answer
//! and checked by replaying them, natively; the rows and the CSV are
//! `dockyard_course::receipts::class`, which the app's class page shares.
//! What a receipt proves and does not is said in `dockyard_course::receipts`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Subcommand;
use dockyard_course::lessons::{self, Lesson};
use dockyard_course::packs::Pack;
use dockyard_course::receipts::{class, Receipt, SeedTie};

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
    let pack_id = pack.as_ref().map(|p| p.id.as_str());
    let mut read = Vec::with_capacity(files.len());
    for file in files {
        read.push((file.display().to_string(), Ok(crate::read(file)?)));
    }
    let started = Instant::now();
    let rows = class::replay(&read, |id| find(pack_id, pack_lessons, id));
    let elapsed = started.elapsed();
    let completed = rows.iter().filter(|r| r.completed).count();
    let mut out = String::new();
    if csv {
        out.push_str(&class::to_csv(&rows));
    } else {
        for r in &rows {
            let copied = match r.same_answer_as.as_slice() {
                [] => String::new(),
                names if names.len() <= 3 => format!(" (same answer as {})", names.join(", ")),
                names => format!(
                    " (same answer as {} others: {}, ...)",
                    names.len(),
                    names[..3].join(", ")
                ),
            };
            let seed = match r.seed {
                Some(SeedTie::OtherName) => " (seed: another name's: made under another name)",
                _ => "",
            };
            out.push_str(&format!(
                "{:<24} {:<36} {:<5} {}{copied}{seed}\n",
                r.name,
                r.lesson,
                r.hints_used.map(|h| h.to_string()).unwrap_or_default(),
                r.verdict
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

/// A shipped lesson, or one of the pack's: by its own id, or by the
/// qualified id the app gives a pack lesson (`pack-id/lesson-id`).
fn find<'a>(pack_id: Option<&str>, pack: &'a [Lesson], id: &str) -> Option<&'a Lesson> {
    if let Some(shipped) = lessons::lesson(id) {
        return Some(shipped);
    }
    let own = match (pack_id, id.split_once('/')) {
        (Some(pack_id), Some((named, own))) if named == pack_id => own,
        (_, Some(_)) => return None,
        (_, None) => id,
    };
    pack.iter().find(|l| l.id == own)
}
