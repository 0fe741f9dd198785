//! `dockyard lesson`: the shipped lessons, and a verdict on a learner's
//! answer to one of them.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dockyard_course::lessons::{self, Answer, Lesson};
use dockyard_course::player::SessionPlayer;

use crate::run::DeskCloud;
use crate::Failure;

/// The lessons, and a verdict on an answer.
#[derive(Subcommand)]
pub(crate) enum LessonCommand {
    /// Every lesson: its id, chapter and title.
    List,
    /// Plays the lesson's start and your answer, then judges each condition
    /// of the goal.
    ///
    /// The answer is a script of commands (aws ..., docker ...), as typed
    /// in the terminal (a registry lesson's on the Registries page); or a JSON list of sandbox steps (or a file exported from
    /// the sandbox); for a registry lesson, a list of registry actions (or
    /// the registry saved by the registries page).
    #[command(after_help = "Exit codes: 0 the goal is met; 1 it is not; 2 bad input.")]
    Check {
        /// The lesson's id (see `dockyard lesson list`).
        #[arg(value_name = "LESSON_ID", value_parser = lesson_id)]
        lesson: &'static Lesson,
        /// Your answer: a script of commands (SOLUTION.sh) or JSON.
        #[arg(value_name = "SOLUTION", value_hint = clap::ValueHint::FilePath)]
        solution: PathBuf,
    },
}

fn lesson_id(id: &str) -> Result<&'static Lesson, String> {
    lessons::lesson(id).ok_or_else(|| "there is no such lesson (see: dockyard lesson list)".into())
}

pub(crate) fn lesson(command: LessonCommand) -> Result<String, Failure> {
    match command {
        LessonCommand::List => Ok(list()),
        LessonCommand::Check { lesson, solution } => check(lesson, &solution),
    }
}

fn list() -> String {
    let mut out = String::new();
    for lesson in lessons::lessons() {
        out.push_str(&format!(
            "{:<40} {:<20} {}\n",
            lesson.id, lesson.chapter, lesson.title
        ));
    }
    out
}

fn check(lesson: &Lesson, solution: &Path) -> Result<String, Failure> {
    let file = solution.display();
    let text = std::fs::read_to_string(solution)
        .map_err(|e| Failure::Unreadable(format!("{file}: {e}\n")))?;
    let mut out = format!("{}: {}\n", lesson.id, lesson.title);
    let answer = if is_script(solution, &text) {
        // The script is played in the terminal at the lesson's start; what
        // the model took (the sandbox's commands, the registry's actions)
        // is the answer, judged as any other.
        let directory = solution.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(work) = lesson.registry() {
            let mut cloud = DeskCloud::new(work.start_desk(), directory);
            let (transcript, status) = crate::run::play(&mut cloud, &text, true)?;
            if status != 0 {
                out.push_str(&transcript);
            }
            Ok(Answer::Actions(
                cloud.desk.actions()[work.start.len()..].to_vec(),
            ))
        } else {
            let session = crate::run::session_for(None, Some(lesson))?;
            let mut cloud = crate::run::PlayerCloud {
                player: SessionPlayer::new(session),
                directory,
                written: Default::default(),
            };
            let (transcript, status) = crate::run::play(&mut cloud, &text, true)?;
            if status != 0 {
                out.push_str(&transcript);
            }
            Ok(Answer::Steps(cloud.player.session().steps.clone()))
        }
    } else {
        lesson.read_answer(&text)
    };
    let judged = answer
        .and_then(|answer| lesson.check(&answer))
        .map_err(|e| Failure::Unreadable(format!("{file}: {e}\n")))?;
    for judgement in &judged {
        out.push_str(&format!(
            "  [{}] {}\n",
            if judgement.met { "met" } else { "not met" },
            judgement.words
        ));
    }
    if lessons::all_met(&judged) {
        out.push_str("The goal is met.\n");
        Ok(out)
    } else {
        out.push_str("The goal is not met yet.\n");
        Err(Failure::Verdict(out))
    }
}

/// Whether an answer is a script of commands rather than JSON.
fn is_script(path: &Path, text: &str) -> bool {
    path.extension().is_some_and(|e| e == "sh")
        || !matches!(text.trim_start().chars().next(), Some('[' | '{'))
}
