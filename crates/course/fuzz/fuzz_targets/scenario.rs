//! A scenario file (`dockyard simulate FILE`, the sandbox's scenarios) on
//! arbitrary text: reading never panics, what reads plays its first ten
//! simulated minutes without panicking, and survives writing and reading.
//! Run: cd crates/course/fuzz && cargo fuzz run scenario -- -max_total_time=600
#![no_main]

use dockyard_model::sim::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::parse(text) else {
        return;
    };
    let written = serde_json::to_string(&scenario).expect("a scenario serialises");
    assert_eq!(
        Scenario::parse(&written).as_ref(),
        Ok(&scenario),
        "writing then reading changed the scenario"
    );
    scenario.run(None, Some(scenario.until.min(600)));
});
