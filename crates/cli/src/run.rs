//! `dockyard run [SCENARIO] SCRIPT`: a file of aws and docker commands
//! played against the model (a scenario's world, or with `--lesson` a
//! lesson's start: the sandbox's or the Registries page's), printing exactly what the app's terminal
//! prints (`dockyard_terminal::transcript`), so instructors can test their
//! scripts and tests can drive the terminal natively. As with the real
//! CLI, `file://` paths are read relative to the current directory.

use std::path::{Path, PathBuf};

use clap::Args;
use dockyard_course::lessons::{self, Lesson};
use dockyard_course::player::{CommandError, SessionPlayer};
use dockyard_course::session::Session;
use dockyard_model::registry::desk::{self, Action, Desk};
use dockyard_model::sim::{Command, Millis, Parameters, World};
use dockyard_terminal::{Cloud, DockerEngine, Refused};

use crate::Failure;

/// Plays a script of aws and docker commands against a scenario or a
/// lesson's start (a registry lesson's is the Registries page's).
///
/// The script is read as a shell reads one: a command per line, `\` to go
/// on on the next line, quotes, `#` comments. It stops at the first command
/// that fails, with that command's exit status (the AWS CLI's: 252 usage,
/// 254 service error, 255 other), unless --keep-going.
#[derive(Args)]
#[command(
    after_help = "Exit codes: the failing command's status; 0 when every command succeeded; 2 the script or scenario could not be read."
)]
pub(crate) struct RunArgs {
    /// [SCENARIO] SCRIPT: a shipped scenario's slug (by default
    /// web-on-fargate; none with --lesson), then the script, a file of
    /// commands or - for standard input.
    #[arg(value_name = "[SCENARIO] SCRIPT", num_args = 1..=2, required = true, value_hint = clap::ValueHint::FilePath)]
    paths: Vec<String>,
    /// Start from a lesson's start instead of a scenario.
    #[arg(long, value_name = "LESSON_ID", value_parser = lesson_id)]
    lesson: Option<&'static Lesson>,
    /// Run every command, whatever fails.
    #[arg(long)]
    keep_going: bool,
}

fn lesson_id(id: &str) -> Result<&'static Lesson, String> {
    lessons::lesson(id).ok_or_else(|| "there is no such lesson (see: dockyard lesson list)".into())
}

/// The sandbox as the terminal sees it from the command line: a session
/// player, and the files of the current directory. What a script writes
/// (`> FILE`) is kept in memory for the rest of the run, over the
/// directory's files: a script never changes the disk.
pub(crate) struct PlayerCloud {
    pub(crate) player: SessionPlayer,
    pub(crate) directory: PathBuf,
    pub(crate) written: std::collections::BTreeMap<String, Option<String>>,
}

impl Cloud for PlayerCloud {
    fn world(&self) -> &World {
        self.player.world()
    }

    fn apply(&mut self, command: Command) -> Result<(), Refused> {
        self.player.command(command).map_err(|error| match error {
            CommandError::Refused(rejection) => Refused {
                code: Some(rejection.code),
                message: rejection.message,
            },
            full @ CommandError::Full => Refused {
                code: None,
                message: full.to_string(),
            },
        })
    }

    fn advance(&mut self, by: Millis) -> Millis {
        let before = self.player.now();
        self.player.play_for(by);
        self.player.now() - before
    }

    fn events(&self) -> &[dockyard_model::sim::Event] {
        &self.player.player().events
    }

    fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        self.written.insert(path.to_string(), Some(text));
        Ok(())
    }

    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        if self.read_file(path).is_err() {
            return Err("No such file or directory".to_string());
        }
        self.written.insert(path.to_string(), None);
        Ok(())
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        if let Some(written) = self.written.get(path) {
            return written
                .clone()
                .ok_or_else(|| format!("[Errno 2] No such file or directory: '{path}'"));
        }
        std::fs::read_to_string(self.directory.join(path)).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => {
                format!("[Errno 2] No such file or directory: '{path}'")
            }
            _ => error.to_string(),
        })
    }

    fn files(&self) -> Vec<String> {
        let mut files: std::collections::BTreeSet<String> = std::fs::read_dir(&self.directory)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for (path, text) in &self.written {
            if text.is_some() {
                files.insert(path.clone());
            } else {
                files.remove(path);
            }
        }
        files.into_iter().collect()
    }
}

/// The Registries page as the terminal sees it from the command line: its
/// desk (every `aws ecr` and `docker push` is one of its actions), docker's
/// local images, an account with no ECS resources, and the files of a
/// directory.
pub(crate) struct DeskCloud {
    pub(crate) desk: Desk,
    docker: DockerEngine,
    world: World,
    directory: PathBuf,
}

impl DeskCloud {
    pub(crate) fn new(desk: Desk, directory: PathBuf) -> DeskCloud {
        DeskCloud {
            desk,
            docker: DockerEngine::default(),
            world: World::new(
                0,
                Parameters::default(),
                desk::REGION,
                ["a", "b", "c"]
                    .map(|zone| format!("{}{zone}", desk::REGION))
                    .to_vec(),
            ),
            directory,
        }
    }
}

impl Cloud for DeskCloud {
    fn world(&self) -> &World {
        &self.world
    }

    fn apply(&mut self, _: Command) -> Result<(), Refused> {
        Err(Refused {
            code: None,
            message: "this lesson's account has registries and no ECS resources: ECS commands are for the sandbox's lessons".to_string(),
        })
    }

    fn advance(&mut self, _: Millis) -> Millis {
        0
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        read_file(&self.directory, path)
    }

    fn files(&self) -> Vec<String> {
        files(&self.directory)
    }

    fn desk(&self) -> Option<&Desk> {
        Some(&self.desk)
    }

    fn act(&mut self, action: Action) -> Result<String, String> {
        self.desk.apply(action)
    }

    fn docker(&self) -> Option<&DockerEngine> {
        Some(&self.docker)
    }

    fn docker_mut(&mut self) -> Option<&mut DockerEngine> {
        Some(&mut self.docker)
    }
}

fn read_file(directory: &Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(directory.join(path)).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => {
            format!("[Errno 2] No such file or directory: '{path}'")
        }
        _ => error.to_string(),
    })
}

fn files(directory: &Path) -> Vec<String> {
    std::fs::read_dir(directory)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A session at a lesson's start, or at a shipped scenario's.
pub(crate) fn session_for(
    scenario: Option<&str>,
    lesson: Option<&Lesson>,
) -> Result<Session, Failure> {
    if let Some(lesson) = lesson {
        let work = lesson.sandbox().ok_or_else(|| {
            Failure::Unreadable(format!(
                "{} is done on the registries page, not in the sandbox\n",
                lesson.id
            ))
        })?;
        return Ok(Session::for_lesson(&lesson.id, work));
    }
    let slug = scenario.unwrap_or("web-on-fargate");
    if dockyard_course::scenarios::scenario(slug).is_none() {
        return Err(Failure::Unreadable(format!(
            "{slug}: there is no scenario called that (see: dockyard simulate --list)\n"
        )));
    }
    Ok(Session::new(slug))
}

fn read_script(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Failure::Unreadable(format!("-: {e}\n")))?;
        return Ok(text);
    }
    crate::read(path)
}

/// Plays a script on a cloud: the transcript, and the status to exit with.
pub(crate) fn play(
    cloud: &mut dyn Cloud,
    text: &str,
    keep_going: bool,
) -> Result<(String, i32), Failure> {
    let commands = dockyard_terminal::parse_script(text)
        .map_err(|error| Failure::Unreadable(format!("{error}\n")))?;
    let mut transcript = String::new();
    let mut status = 0;
    for command in commands {
        let output = dockyard_terminal::run_command(cloud, &command);
        transcript.push_str(&dockyard_terminal::transcript(&command, &output));
        if output.status != 0 {
            status = output.status;
            if !keep_going {
                break;
            }
        }
    }
    Ok((transcript, status))
}

pub(crate) fn run(args: &RunArgs) -> Result<(String, i32), Failure> {
    let (scenario, script) = match args.paths.as_slice() {
        [scenario, script] => (Some(scenario.as_str()), script),
        [script] => (None, script),
        _ => unreachable!("clap takes one or two"),
    };
    if scenario.is_some() && args.lesson.is_some() {
        return Err(Failure::Unreadable(
            "give a scenario or --lesson, not both\n".to_string(),
        ));
    }
    let text = read_script(Path::new(script))?;
    let directory = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Some(work) = args.lesson.and_then(Lesson::registry) {
        let mut cloud = DeskCloud::new(work.start_desk(), directory);
        return play(&mut cloud, &text, args.keep_going);
    }
    let session = session_for(scenario, args.lesson)?;
    let mut cloud = PlayerCloud {
        player: SessionPlayer::new(session),
        directory,
        written: Default::default(),
    };
    play(&mut cloud, &text, args.keep_going)
}
