//! The Registries page lent to the terminal: its desk as the registries
//! `aws ecr` and `docker push` act on (each action the desk accepts is
//! saved and judged exactly as a button's), docker's local images, and an
//! account with no ECS resources; and the same read-only for Tab
//! completion.

use dockyard_model::registry::desk::{self, Action, Desk};
use dockyard_model::sim::{Command, Millis, Parameters, World};
use dockyard_terminal::{Cloud, Completion, DockerEngine, Refused};

use crate::components::terminal::{self, Entry};

/// The page's account as the terminal sees it: no clusters, tasks or roles
/// (ECS is the sandbox's), in the desk's Region.
pub(super) fn empty_world() -> World {
    World::new(
        0,
        Parameters::default(),
        desk::REGION,
        ["a", "b", "c"]
            .map(|zone| format!("{}{zone}", desk::REGION))
            .to_vec(),
    )
}

struct PageCloud<'a> {
    desk: &'a mut Desk,
    docker: &'a mut DockerEngine,
    world: &'a World,
    /// What the page does after an action the desk accepted.
    accepted: &'a dyn Fn(&Desk),
}

impl Cloud for PageCloud<'_> {
    fn world(&self) -> &World {
        self.world
    }

    fn apply(&mut self, _: Command) -> Result<(), Refused> {
        Err(Refused {
            code: None,
            message: "the Registries page's account has no ECS resources: ECS commands run in the sandbox".to_string(),
        })
    }

    fn advance(&mut self, _: Millis) -> Millis {
        0
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        Err(format!("[Errno 2] No such file or directory: '{path}' (the Registries page has no files: docker build takes its content from --build-arg CONTENT=...)"))
    }

    fn files(&self) -> Vec<String> {
        Vec::new()
    }

    fn desk(&self) -> Option<&Desk> {
        Some(self.desk)
    }

    fn act(&mut self, action: Action) -> Result<String, String> {
        let result = self.desk.apply(action);
        if result.is_ok() {
            (self.accepted)(self.desk);
        }
        result
    }

    fn docker(&self) -> Option<&DockerEngine> {
        Some(self.docker)
    }

    fn docker_mut(&mut self) -> Option<&mut DockerEngine> {
        Some(self.docker)
    }
}

/// Runs a typed line or a pasted script; `accepted` runs after each action
/// the desk took (the page saves and judges there).
pub(super) fn run(
    desk: &mut Desk,
    docker: &mut DockerEngine,
    world: &World,
    accepted: &dyn Fn(&Desk),
    text: &str,
) -> Vec<Entry> {
    let mut cloud = PageCloud {
        desk,
        docker,
        world,
        accepted,
    };
    terminal::run_text(&mut cloud, text)
}

/// Tab completion against the page, which it does not change.
pub(super) fn complete(
    desk: &Desk,
    docker: &DockerEngine,
    world: &World,
    line: &str,
) -> Completion {
    struct ReadOnly<'a> {
        desk: &'a Desk,
        docker: &'a DockerEngine,
        world: &'a World,
    }
    impl Cloud for ReadOnly<'_> {
        fn world(&self) -> &World {
            self.world
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
            Vec::new()
        }
        fn desk(&self) -> Option<&Desk> {
            Some(self.desk)
        }
        fn docker(&self) -> Option<&DockerEngine> {
            Some(self.docker)
        }
    }
    dockyard_terminal::complete(
        &ReadOnly {
            desk,
            docker,
            world,
        },
        line,
    )
}
