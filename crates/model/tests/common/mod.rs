//! What the EKS test files share: a command from its JSON step, and a
//! world of two zones played through commands.

// Each test file is its own crate and uses only part of this.
#![allow(dead_code)]

use dockyard_model::sim::{seconds, Command, Parameters, World};

/// A command as a scenario step writes it.
pub(crate) fn command(json: &str) -> Command {
    serde_json::from_str::<dockyard_model::sim::scenario::Step>(json)
        .unwrap_or_else(|e| panic!("{json}: {e}"))
        .command
}

/// An account in us-east-1 with two zones, seed 3.
pub(crate) fn two_zones() -> World {
    World::new(
        3,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    )
}

/// `commands` applied at second 0, then the clock run to `until` seconds.
pub(crate) fn played(commands: &[&str], until: u64) -> World {
    let mut world = two_zones();
    for json in commands {
        world
            .apply(command(json))
            .unwrap_or_else(|e| panic!("{json}: {e:?}"));
    }
    world.advance_to(seconds(until));
    world
}
