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
    /// With SOLUTION: plays the lesson's start and your answer, then judges
    /// each condition of the goal. Without: checks that the lesson teaches,
    /// as the test suite checks the shipped ones (the start does not meet
    /// the goal, the reference solution does, the wrong answer does not).
    ///
    /// The answer is a script of commands (aws ..., docker ...), as typed
    /// in the terminal (a registry lesson's on the Registries page); or a JSON list of sandbox steps (or a file exported from
    /// the sandbox); for a registry lesson, a list of registry actions (or
    /// the registry saved by the registries page).
    #[command(
        after_help = "Exit codes: 0 the goal is met (the lesson teaches); 1 it is not (it does not); 2 bad input."
    )]
    Check {
        /// A shipped lesson's id (see `dockyard lesson list`), or a lesson
        /// file (LESSON.lesson.json) of your own.
        #[arg(value_name = "LESSON")]
        lesson: String,
        /// Your answer: a script of commands (SOLUTION.sh) or JSON.
        #[arg(value_name = "SOLUTION", value_hint = clap::ValueHint::FilePath)]
        solution: Option<PathBuf>,
    },
}

/// A shipped lesson by id, or a lesson file read and parsed.
pub(crate) fn find_lesson(name: &str) -> Result<Lesson, Failure> {
    if let Some(lesson) = lessons::lesson(name) {
        return Ok(lesson.clone());
    }
    let path = Path::new(name);
    if !path.is_file() {
        return Err(Failure::Unreadable(format!(
            "{name}: there is no such lesson (see: dockyard lesson list), nor a lesson file of that name\n"
        )));
    }
    let text = crate::read(path)?;
    Lesson::parse(&text).map_err(|e| Failure::Unreadable(format!("{name}: {e}\n")))
}

pub(crate) fn lesson(command: LessonCommand) -> Result<String, Failure> {
    match command {
        LessonCommand::List => Ok(list()),
        LessonCommand::Check { lesson, solution } => {
            let lesson = find_lesson(&lesson)?;
            match solution {
                Some(solution) => check(&lesson, &solution),
                None => verify(&lesson),
            }
        }
    }
}

/// Whether a lesson teaches: what `dockyard pack check` says of each of a
/// pack's lessons, and the lesson builder before it exports one.
pub(crate) fn verify(lesson: &Lesson) -> Result<String, Failure> {
    let mut out = format!("{}: {}\n", lesson.id, lesson.title);
    let problems = lesson.verify();
    if problems.is_empty() {
        out.push_str("  The start does not meet the goal, the solution does, and the wrong answer does not.\n");
        if lesson.broken.is_some() {
            out.push_str("  It starts broken, for the cause it names.\n");
        }
        out.push_str("  The lesson teaches.\n");
        Ok(out)
    } else {
        for problem in &problems {
            out.push_str(&format!("  [problem] {problem}\n"));
        }
        out.push_str("  The lesson does not teach yet.\n");
        Err(Failure::Verdict(out))
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

/// A learner's answer from a file: a script of commands (played in the
/// terminal at the lesson's start; what the model took is the answer) or
/// JSON. The transcript of a script whose command failed is returned too.
pub(crate) fn answer_from_file(
    lesson: &Lesson,
    solution: &Path,
) -> Result<(Result<Answer, String>, String), Failure> {
    let file = solution.display();
    let text = std::fs::read_to_string(solution)
        .map_err(|e| Failure::Unreadable(format!("{file}: {e}\n")))?;
    let mut out = String::new();
    let answer = if is_script(solution, &text) {
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
    Ok((answer, out))
}

fn check(lesson: &Lesson, solution: &Path) -> Result<String, Failure> {
    let file = solution.display();
    let mut out = format!("{}: {}\n", lesson.id, lesson.title);
    let (answer, transcript) = answer_from_file(lesson, solution)?;
    out.push_str(&transcript);
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
