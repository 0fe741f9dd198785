//! Golden transcripts: scripts of commands (`tests/golden/*.sh`) played on
//! a lesson's start, their whole output compared with `*.out` beside them.
//! Every operation Dockyard simulates, with its main errors, is in one.
//! `UPDATE_GOLDEN=1` rewrites the `.out` files (read the diff before
//! committing it: it is what a learner sees).

use std::collections::BTreeMap;
use std::path::Path;

use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{Command, Millis, World};
use dockyard_terminal::{parse_script, run_command, transcript, Cloud, Refused};

/// A lesson's account, with the learner's files: the manifests of
/// `tests/manifests` to start with, and whatever a script writes.
struct Sandbox {
    world: World,
    files: BTreeMap<String, String>,
    events: Vec<dockyard_model::sim::Event>,
}

impl Cloud for Sandbox {
    fn world(&self) -> &World {
        &self.world
    }
    fn apply(&mut self, command: Command) -> Result<(), Refused> {
        let events = self.world.apply(command).map_err(|r| Refused {
            code: Some(r.code),
            message: r.message,
        })?;
        self.events.extend(events);
        Ok(())
    }
    fn advance(&mut self, by: Millis) -> Millis {
        let to = self.world.now() + by;
        let events = self.world.advance_to(to);
        self.events.extend(events);
        by
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("[Errno 2] No such file or directory: '{path}'"))
    }
    fn files(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }
    fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        self.files.insert(path.to_string(), text);
        Ok(())
    }
    fn events(&self) -> &[dockyard_model::sim::Event] {
        &self.events
    }
}

fn first_lesson() -> Sandbox {
    let mut scenario = Scenario::parse(include_str!(
        "../../../scenarios/web-on-fargate.scenario.json"
    ))
    .unwrap();
    scenario.steps.truncate(2);
    let mut world = World::new(
        scenario.seed,
        scenario.parameters.clone(),
        &scenario.region,
        scenario.availability_zones.clone(),
    );
    for step in scenario.steps {
        world.apply(step.command).unwrap();
    }
    let manifests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests");
    let files = std::fs::read_dir(manifests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    Sandbox {
        world,
        files,
        events: Vec::new(),
    }
}

#[test]
fn transcripts_match_their_golden_output() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut scripts: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty());
    for script in scripts {
        let text = std::fs::read_to_string(&script).unwrap();
        let mut cloud = first_lesson();
        let mut out = String::new();
        for command in parse_script(&text).unwrap() {
            let output = run_command(&mut cloud, &command);
            out.push_str(&transcript(&command, &output));
            out.push_str(&format!("[exit {}]\n", output.status));
        }
        let golden = script.with_extension("out");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &out).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
            panic!("{} is missing: run with UPDATE_GOLDEN=1", golden.display())
        });
        if expected != out {
            let line = expected
                .lines()
                .zip(out.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(out.lines().count()));
            panic!(
                "{} differs from its golden output at line {}:\nexpected: {:?}\nactual:   {:?}",
                script.display(),
                line + 1,
                expected.lines().nth(line),
                out.lines().nth(line)
            );
        }
    }
}
