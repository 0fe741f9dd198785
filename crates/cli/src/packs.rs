//! `dockyard pack check PACK`: a pack of lessons read as the app reads it
//! and each lesson verified as the shipped ones are, so that a course
//! repository can test its packs in CI.

use std::path::PathBuf;

use clap::Subcommand;
use dockyard_course::packs::Pack;

use crate::Failure;

/// Packs of lessons: an instructor's own course.
#[derive(Subcommand)]
pub(crate) enum PackCommand {
    /// Reads a pack and checks that every lesson teaches (its start does
    /// not meet the goal, its solution does, its wrong answer does not).
    #[command(
        after_help = "Exit codes: 0 every lesson teaches; 1 one or more do not; 2 the pack cannot be read (too large, malformed, a field at fault)."
    )]
    Check {
        /// The pack file (PACK.pack.json).
        #[arg(value_name = "PACK", value_hint = clap::ValueHint::FilePath)]
        pack: PathBuf,
    },
}

pub(crate) fn pack(command: PackCommand) -> Result<String, Failure> {
    match command {
        PackCommand::Check { pack } => check(&pack),
    }
}

fn check(path: &std::path::Path) -> Result<String, Failure> {
    let name = path.display();
    let text = crate::read(path)?;
    let pack = Pack::parse(&text).map_err(|e| Failure::Unreadable(format!("{name}: {e}\n")))?;
    let mut out = format!(
        "{name}: {} ({}), {} lessons\n",
        pack.title,
        pack.id,
        pack.lessons.len()
    );
    let mut failing = 0;
    for lesson in &pack.lessons {
        match crate::lessons::verify(lesson) {
            Ok(words) => out.push_str(&words),
            Err(Failure::Verdict(words) | Failure::Unreadable(words)) => {
                failing += 1;
                out.push_str(&words);
            }
        }
    }
    if failing == 0 {
        out.push_str("Every lesson teaches: the pack can be offered.\n");
        Ok(out)
    } else {
        out.push_str(&format!(
            "{failing} of {} lessons do not teach yet: the app will not offer this pack.\n",
            pack.lessons.len()
        ));
        Err(Failure::Verdict(out))
    }
}
