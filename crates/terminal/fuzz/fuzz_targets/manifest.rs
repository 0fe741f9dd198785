//! Any text as a learner's manifest: the YAML reader (anchors, aliases,
//! tags, several documents), the manifest reader (kinds, quantities,
//! selectors, the API server's checks) and `kubectl apply` and `delete`
//! on the model must answer, never panic or hang.

#![no_main]

use dockyard_model::sim::{Command, Millis, World};
use dockyard_terminal::{parse_script, run_command, Cloud, Refused};
use libfuzzer_sys::fuzz_target;

struct Sandbox {
    world: World,
    manifest: String,
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
        let by = by.min(60_000);
        let to = self.world.now() + by;
        self.world.advance_to(to);
        by
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        match path {
            "m.yaml" => Ok(self.manifest.clone()),
            _ => Err(format!("no file {path}")),
        }
    }
    fn files(&self) -> Vec<String> {
        vec!["m.yaml".into()]
    }
}

fn sandbox(manifest: String) -> Sandbox {
    let mut world = World::new(1, Default::default(), "us-east-1", vec!["us-east-1a".into(), "us-east-1b".into()]);
    for json in [
        r#"{"do": "createEksCluster", "name": "c"}"#,
        r#"{"do": "createNodeGroup", "cluster": "c", "name": "ng", "instanceType": "m5.large", "minSize": 1, "maxSize": 3, "desiredSize": 1}"#,
    ] {
        let step: dockyard_model::sim::scenario::Step = serde_json::from_str(json).unwrap();
        world.apply(step.command).unwrap();
    }
    Sandbox { world, manifest }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut cloud = sandbox(text.to_string());
    // Applied, the clock run on (nodes join, the scheduler, the
    // provisioners and the autoscalers act), read back every way, deleted.
    let commands = parse_script(
        "kubectl apply -f m.yaml\nsleep 150\nkubectl get all -A -o yaml\nkubectl get deploy,hpa -A -o wide\nkubectl get pvc -A -o yaml\nkubectl get pv,storageclass -o wide\nkubectl get events -A\nkubectl top pods -A\nkubectl delete -f m.yaml\n",
    )
    .unwrap();
    for command in &commands {
        let _ = run_command(&mut cloud, command);
    }
});
