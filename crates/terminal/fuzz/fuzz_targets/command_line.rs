//! Any text typed or pasted into the terminal: the shell reader, the AWS
//! CLI's parameter parsing (shorthand, JSON, file://), validation against
//! the API models and every translation must answer, never panic. The
//! first two commands of the input are run on the start of the first
//! lesson's world, with `aws ecs` prefixed half of the time so that the
//! fuzzer reaches the parameter parsers quickly.

#![no_main]

use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{Command, Millis, World};
use dockyard_terminal::{parse_script, run_command, Cloud, Refused};
use libfuzzer_sys::fuzz_target;

struct Sandbox {
    world: World,
}

impl Cloud for Sandbox {
    fn world(&self) -> &World {
        &self.world
    }
    fn apply(&mut self, command: Command) -> Result<(), Refused> {
        self.world.apply(command).map(|_| ()).map_err(|r| Refused {
            code: Some(r.code),
            message: r.message,
        })
    }
    fn advance(&mut self, by: Millis) -> Millis {
        // Bounded, so that `sleep 99999999` cannot stall the fuzzer.
        let by = by.min(600_000);
        let to = self.world.now() + by;
        self.world.advance_to(to);
        by
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        match path {
            "web.json" => Ok(r#"{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]}"#.into()),
            _ => Err(format!("no file {path}")),
        }
    }
    fn files(&self) -> Vec<String> {
        vec!["web.json".into()]
    }
}

fn sandbox() -> Sandbox {
    let mut scenario =
        Scenario::parse(include_str!("../../../../scenarios/web-on-fargate.scenario.json")).unwrap();
    scenario.steps.truncate(2);
    let mut world = World::new(scenario.seed, scenario.parameters.clone(), &scenario.region, scenario.availability_zones.clone());
    for step in scenario.steps {
        world.apply(step.command).unwrap();
    }
    Sandbox { world }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = if data.first().is_some_and(|b| b % 2 == 0) {
        format!("aws ecs {}", &text[text.char_indices().nth(1).map_or(text.len(), |(i, _)| i)..])
    } else {
        text.to_string()
    };
    let Ok(commands) = parse_script(&text) else { return };
    let mut cloud = sandbox();
    for command in commands.iter().take(2) {
        let _ = run_command(&mut cloud, command);
    }
});
