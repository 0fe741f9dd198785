//! The sandbox lent to the terminal: its session player as the cloud the
//! commands act on (each command the model takes is a step of the session,
//! so undo, redo, saving and sharing treat it as a button's), and the
//! player read-only for Tab completion.

use dockyard_course::player::{CommandError, SessionPlayer};
use dockyard_model::sim::{Command, Millis, World};
use dockyard_terminal::{Cloud, Completion, Refused};

use crate::components::terminal::Entry;

struct SessionCloud<'a> {
    player: &'a mut SessionPlayer,
}

impl Cloud for SessionCloud<'_> {
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

    fn read_file(&self, path: &str) -> Result<String, String> {
        self.player
            .session()
            .files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("[Errno 2] No such file or directory: '{path}'"))
    }

    fn files(&self) -> Vec<String> {
        self.player.session().files.keys().cloned().collect()
    }

    fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        self.player.write_file(path, text)
    }

    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        if self.player.remove_file(path) {
            Ok(())
        } else {
            Err("No such file or directory".to_string())
        }
    }
}

/// Runs a typed line or a pasted script: each command and its output.
pub(super) fn run(player: &mut SessionPlayer, text: &str) -> Vec<Entry> {
    let mut cloud = SessionCloud { player };
    match dockyard_terminal::parse_script(text) {
        Ok(commands) => commands
            .into_iter()
            .map(|command| {
                cloud.player.remember(&command.text);
                Entry {
                    output: dockyard_terminal::run_command(&mut cloud, &command),
                    command: command.text,
                }
            })
            .collect(),
        Err(error) => vec![Entry {
            command: text.trim().to_string(),
            output: dockyard_terminal::Output {
                stderr: format!("{error}\n"),
                status: 2,
                ..Default::default()
            },
        }],
    }
}

/// Tab completion against the sandbox's world, which it does not change.
pub(super) fn complete(player: &SessionPlayer, line: &str) -> Completion {
    struct ReadOnly<'a>(&'a SessionPlayer);
    impl Cloud for ReadOnly<'_> {
        fn world(&self) -> &World {
            self.0.world()
        }
        fn apply(&mut self, _: Command) -> Result<(), Refused> {
            Err(Refused {
                code: None,
                message: "completion changes nothing".to_string(),
            })
        }
        fn advance(&mut self, _: Millis) -> Millis {
            0
        }
        fn read_file(&self, path: &str) -> Result<String, String> {
            Err(path.to_string())
        }
        fn files(&self) -> Vec<String> {
            self.0.session().files.keys().cloned().collect()
        }
    }
    dockyard_terminal::complete(&ReadOnly(player), line)
}
