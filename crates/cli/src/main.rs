//! `dockyard`: the rules of Dockyard's model on the command line, for people
//! who want them without the browser (and for tests that drive the model
//! from outside).
//!
//! This file owns the command line itself (the subcommands, parsed by clap),
//! the exit codes, and shell completions; each group of subcommands lives in
//! its own module with its arguments and its output.

mod iam;
mod lessons;
mod packs;
mod receipts;
mod reference;
mod run;
mod simulate;
mod taskdefs;

use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// AWS container services rules from Dockyard's model.
#[derive(Parser)]
#[command(
    name = "dockyard",
    version,
    after_help = "Exit codes: 0 valid or yes (warnings allowed); 1 the answer is no \
                  (an error in any file, an invalid size, a goal not met); 2 a file \
                  could not be read or parsed, or a bad command line."
)]
struct Cli {
    // Optional: a bare `dockyard` prints the help and exits 0, as it always has.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    Validate(taskdefs::ValidateArgs),
    Explain(taskdefs::ExplainArgs),
    Export(taskdefs::ExportArgs),
    Simulate(simulate::SimulateArgs),
    Run(run::RunArgs),
    #[command(subcommand)]
    Lesson(lessons::LessonCommand),
    /// Packs of lessons: check an instructor's pack as the app will.
    #[command(subcommand)]
    Pack(packs::PackCommand),
    /// Completion receipts: make one from an answer, check many by replay.
    #[command(subcommand)]
    Receipt(receipts::ReceiptCommand),
    /// IAM: decide a request by the whole evaluation logic, or check a policy.
    #[command(subcommand)]
    Iam(iam::IamCommand),
    Sizes(reference::SizesArgs),
    WhoCalls(reference::WhoCallsArgs),
    /// Which ECS volume types work on each launch type, and what survives.
    Volumes,
    /// Prints a completion script for a shell.
    ///
    /// For bash, for example: `dockyard completions bash >
    /// ~/.local/share/bash-completion/completions/dockyard`.
    Completions {
        /// The shell the script is for.
        shell: clap_complete::Shell,
    },
}

/// How a command prints its answer.
#[derive(Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    /// In words, for people.
    #[default]
    Text,
    /// JSON, for scripts.
    Json,
}

/// Why a command that ran did not exit 0; its output is printed all the same.
/// (A bad command line never gets this far: clap reports it and exits 2.)
enum Failure {
    /// The command ran, and its answer is "no".
    Verdict(String),
    /// An input file could not be read or parsed.
    Unreadable(String),
}

fn main() -> ExitCode {
    let Some(command) = Cli::parse().command else {
        print!("{}", Cli::command().render_help());
        return ExitCode::SUCCESS;
    };
    // `run` exits with the AWS CLI's own statuses, not the verdict codes.
    if let Command::Run(args) = &command {
        return match run::run(args) {
            Ok((transcript, status)) => {
                print!("{transcript}");
                ExitCode::from(u8::try_from(status).unwrap_or(255))
            }
            Err(Failure::Verdict(output) | Failure::Unreadable(output)) => {
                eprint!("{output}");
                ExitCode::from(2)
            }
        };
    }
    match run(command) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Verdict(output)) => {
            print!("{output}");
            ExitCode::from(1)
        }
        Err(Failure::Unreadable(output)) => {
            print!("{output}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<String, Failure> {
    match command {
        Command::Validate(args) => taskdefs::validate(&args),
        Command::Explain(args) => Ok(taskdefs::explain(&args)),
        Command::Export(args) => taskdefs::export(&args),
        Command::Simulate(args) => simulate::simulate(&args),
        Command::Run(_) => unreachable!("`run` is handled in main, with its own exit statuses"),
        Command::Lesson(command) => lessons::lesson(command),
        Command::Pack(command) => packs::pack(command),
        Command::Receipt(command) => receipts::receipt(command),
        Command::Iam(command) => iam::iam(command),
        Command::Sizes(args) => reference::sizes(&args),
        Command::WhoCalls(args) => Ok(reference::who_calls(&args)),
        Command::Volumes => Ok(reference::volumes()),
        Command::Completions { shell } => Ok(completions(shell)),
    }
}

/// Reads an input file; one that cannot be read is named in the output.
fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| {
        Failure::Unreadable(format!(
            "{}: cannot read the file: {error}\n",
            path.display()
        ))
    })
}

fn completions(shell: clap_complete::Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dockyard", &mut script);
    String::from_utf8(script).expect("clap_complete writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
