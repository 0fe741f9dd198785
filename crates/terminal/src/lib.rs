//! The terminal: the AWS CLI (v2), a little docker and a few shell words,
//! read as their real programs read them and translated into Dockyard's
//! model. No AWS rule is decided here: a command becomes model
//! [`Command`]s, and a response is read off the [`World`]; what is decided
//! here is only what the CLI itself decides (its syntax, its parameter
//! validation against AWS's API models, its output formats and waiters).
//!
//! It is pure and needs no browser: the app's terminal, `dockyard run` and
//! the tests all lend it a [`Cloud`] to act on and print what it returns.
//!
//! - `script`: a shell's words and lines; `shorthand`: the CLI's shorthand
//! - `api`: AWS's API models (botocore's, vendored in `api/`)
//! - `params`: a command line into a validated request; `output`: a
//!   response into json, text or table, after `--query`
//! - `aws/`: one module per service, each operation a translation
//! - `docker`: build, tag, images, login and push, against the page's desk
//! - `dockyard`: the world's own events (load, a zone failing), kept apart
//!   from AWS calls
//! - `complete`: Tab completion; `suggest`: "Maybe you meant"; `teach`:
//!   the commands a sandbox button stands for

use dockyard_model::registry::desk::{Action as DeskAction, Desk};
use dockyard_model::sim::{Command, Event, Millis, World};

mod api;
mod aws;
mod complete;
mod docker;
mod dockyard;
mod kubectl;
mod output;
mod params;
pub mod script;
mod shorthand;
mod suggest;
mod teach;

pub use complete::{complete, Completion};
pub use docker::DockerEngine;
pub use kubectl::{check_manifest, ManifestFinding};
pub use script::{parse_script, quote, CommandLine, ScriptError};
pub use teach::cli_for;

/// What the terminal acts on: the sandbox's world, the way to change it
/// (each command is kept by the sandbox, so undo and saving work as for a
/// button), its clock, and the learner's files.
pub trait Cloud {
    fn world(&self) -> &World;
    /// Applies a command; the error is the model's refusal, in words.
    fn apply(&mut self, command: Command) -> Result<(), Refused>;
    /// Runs the simulated clock on by `by` and returns how far it moved
    /// (less at the end of the sandbox's scenario).
    fn advance(&mut self, by: Millis) -> Millis;
    /// A learner's file, for `file://`, `cat` and `-f`.
    fn read_file(&self, path: &str) -> Result<String, String>;
    /// The learner's files' paths, for `ls` and completion.
    fn files(&self) -> Vec<String>;

    /// Writes one of the learner's files (`> FILE`); the error in words.
    fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        let _ = (path, text);
        Err("this terminal keeps no files".to_string())
    }

    /// Removes one of the learner's files (`rm`).
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        let _ = path;
        Err("this terminal keeps no files".to_string())
    }

    /// What happened in the world so far (for DescribeScalingActivities).
    fn events(&self) -> &[Event] {
        &[]
    }

    /// The account's registries (ECR and Docker Hub), where the page has
    /// them (the Registries page); `aws ecr` and `docker` act on these.
    fn desk(&self) -> Option<&Desk> {
        None
    }

    /// Does a registry action on [`Cloud::desk`]; the error is ECR's
    /// (`Type: message`), as `Desk::apply` gives it.
    fn act(&mut self, action: DeskAction) -> Result<String, String> {
        let _ = action;
        Err("there are no registries on this page: open the Registries page".to_string())
    }

    /// Docker's local images and logins in this terminal, where the page
    /// keeps them (the Registries page); without them `docker` answers
    /// as it does when its daemon cannot be reached.
    fn docker(&self) -> Option<&DockerEngine> {
        None
    }

    fn docker_mut(&mut self) -> Option<&mut DockerEngine> {
        None
    }
}

/// A command the model (or the sandbox) would not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The refusal's code in the model's catalogue, if it is the model's.
    pub code: Option<&'static str>,
    pub message: String,
}

/// What a command printed, as a terminal shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// Dockyard's own remarks (the clock a waiter moved, what the model
    /// refused and where the notes explain it): not the real program's
    /// output, so shown apart from it.
    pub notes: Vec<String>,
    /// The exit status, as the real program's: for the AWS CLI 0, 252 for
    /// a usage error, 254 for a service error, 255 otherwise.
    pub status: i32,
    /// `clear` asked for the screen to be cleared.
    pub clear: bool,
    /// `edit FILE` asked for the file to be opened in the editor.
    pub edit: Option<String>,
}

impl Output {
    fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            ..Output::default()
        }
    }

    fn error(status: i32, stderr: impl Into<String>) -> Output {
        Output {
            stderr: stderr.into(),
            status,
            ..Output::default()
        }
    }

    fn note(mut self, note: impl Into<String>) -> Output {
        self.notes.push(note.into());
        self
    }
}

/// The programs the terminal knows, for `help` and completion.
pub const PROGRAMS: &[(&str, &str)] = &[
    (
        "aws",
        "the AWS CLI v2: aws ecs, aws iam, aws ec2, aws sts, aws application-autoscaling, aws ecr, aws eks",
    ),
    (
        "docker",
        "build, tag, login and push images (on the Registries page)",
    ),
    (
        "kubectl",
        "Kubernetes on the account's EKS cluster: apply -f manifests, get, describe, scale, autoscale, rollout",
    ),
    (
        "dockyard",
        "what happens to the account that is not an AWS call: load, a zone failing, ...",
    ),
    ("ls", "list your files"),
    ("cat", "print a file"),
    (
        "edit",
        "open a file in the editor (a new one if it does not exist)",
    ),
    ("rm", "remove a file"),
    ("sleep", "let simulated time pass: sleep 60 (seconds)"),
    ("echo", "print its words"),
    ("clear", "clear the screen"),
    ("help", "this list"),
];

/// Runs one command (its words, as [`script::parse_script`] split them).
pub fn run(cloud: &mut dyn Cloud, words: &[String]) -> Output {
    let Some(program) = words.first() else {
        return Output::default();
    };
    let args = &words[1..];
    match program.as_str() {
        "aws" => aws::run(cloud, args),
        "dockyard" => dockyard::run(cloud, args),
        "docker" => docker::run(cloud, args),
        "kubectl" => kubectl::run(cloud, args),
        "help" => Output::ok(help()),
        "clear" => Output {
            clear: true,
            ..Output::default()
        },
        "echo" => Output::ok(format!("{}\n", args.join(" "))),
        "ls" => {
            let mut files = cloud.files();
            files.sort();
            Output::ok(files.iter().map(|f| format!("{f}\n")).collect::<String>())
        }
        "cat" => {
            if args.is_empty() {
                return Output::error(1, "cat: missing file operand\n");
            }
            let mut out = Output::default();
            for path in args {
                match cloud.read_file(path) {
                    Ok(text) => {
                        out.stdout.push_str(&text);
                        if !text.ends_with('\n') {
                            out.stdout.push('\n');
                        }
                    }
                    Err(_) => {
                        out.stderr
                            .push_str(&format!("cat: {path}: No such file or directory\n"));
                        out.status = 1;
                    }
                }
            }
            out
        }
        "sleep" => sleep(cloud, args),
        "edit" => match args {
            [path] => Output {
                edit: Some(path.clone()),
                ..Output::default()
            },
            _ => Output::error(1, "edit: name one file: edit FILE\n"),
        },
        "rm" => {
            if args.is_empty() {
                return Output::error(1, "rm: missing operand\n");
            }
            let mut out = Output::default();
            for path in args {
                if cloud.remove_file(path).is_err() {
                    out.stderr.push_str(&format!(
                        "rm: cannot remove '{path}': No such file or directory\n"
                    ));
                    out.status = 1;
                }
            }
            out
        }
        other => {
            let names: Vec<&str> = PROGRAMS.iter().map(|(name, _)| *name).collect();
            let mut message = format!("{other}: command not found\n");
            if let Some(near) = suggest::closest(other, &names).first() {
                message.push_str(&format!("Did you mean: {near}\n"));
            }
            Output::error(127, message).note("Type help to see what this terminal runs.")
        }
    }
}

/// Runs one command of a script, its output redirected if it says so
/// (`> FILE` replaces the file, `>> FILE` appends to it).
pub fn run_command(cloud: &mut dyn Cloud, command: &CommandLine) -> Output {
    let mut output = run(cloud, &command.words);
    if let Some(redirect) = &command.redirect {
        let mut text = std::mem::take(&mut output.stdout);
        if redirect.append {
            if let Ok(before) = cloud.read_file(&redirect.path) {
                text = before + &text;
            }
        }
        if let Err(why) = cloud.write_file(&redirect.path, text) {
            output
                .stderr
                .push_str(&format!("{}: {why}\n", redirect.path));
            output.status = 1;
        }
    }
    output
}

/// Runs a whole script, command by command, as `dockyard run` and pasting
/// do: each command's text and its output.
pub fn run_script(
    cloud: &mut dyn Cloud,
    text: &str,
) -> Result<Vec<(CommandLine, Output)>, ScriptError> {
    let commands = parse_script(text)?;
    Ok(commands
        .into_iter()
        .map(|command| {
            let output = run_command(cloud, &command);
            (command, output)
        })
        .collect())
}

fn help() -> String {
    let mut text = String::from(
        "This terminal runs real commands against Dockyard's simulated AWS account:\n\n",
    );
    for (name, what) in PROGRAMS {
        text.push_str(&format!("  {name:<7} {what}\n"));
    }
    text.push_str(
        "\nTry: aws ecs list-clusters, aws ecs help, aws ecs create-service help; on the\n\
         Registries page: aws ecr describe-repositories, docker build -t app:1.1 .\n\
         Tab completes commands, flags and names; Up and Down bring back earlier commands;\n\
         end a line with \\ to go on on the next.\n",
    );
    text
}

fn sleep(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    /// More simulated time than one command may ask for (found by fuzzing:
    /// `sleep 10000000000000000` overflowed the milliseconds).
    const MAX_SLEEP_SECONDS: u64 = 86_400;
    let Some(seconds) = args
        .first()
        .and_then(|a| a.trim_end_matches('s').parse::<u64>().ok())
    else {
        return Output::error(1, "sleep: missing operand (a number of seconds)\n");
    };
    if seconds > MAX_SLEEP_SECONDS {
        return Output::error(
            1,
            format!("sleep: {seconds} s is more than Dockyard lets pass at once (a day, {MAX_SLEEP_SECONDS} s)\n"),
        );
    }
    let moved = cloud.advance(seconds * 1000);
    let mut out = Output::default().note(format!("The simulated clock moved {} s.", moved / 1000));
    if moved < seconds * 1000 {
        out.notes
            .push("The sandbox's scenario ends here: its clock cannot go further.".to_string());
    }
    out
}

/// A command and its output as the terminal shows them, in plain text:
/// the prompt and command, what it printed (standard output, then
/// standard error), and Dockyard's notes marked `[dockyard]`. `dockyard
/// run` prints this; the app draws the same lines with colours.
pub fn transcript(command: &CommandLine, output: &Output) -> String {
    let mut text = format!("$ {}\n", command.text);
    text.push_str(&output.stdout);
    text.push_str(&output.stderr);
    for note in &output.notes {
        text.push_str(&format!("[dockyard] {note}\n"));
    }
    text
}
