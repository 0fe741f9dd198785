//! The task definition importer and validator on arbitrary bytes: they must
//! never panic, and whatever imports must survive export and re-import.
//! Run: cd crates/model/fuzz && cargo +nightly fuzz run import -- -max_total_time=600
#![no_main]

use dockyard_model::taskdef::{check, export, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(imported) = check(text) else {
        return;
    };
    if let Some(definition) = imported.definition {
        let again = import(&export(&definition)).expect("exported JSON parses").definition;
        assert_eq!(again.as_ref(), Some(&definition), "export then import changed the definition");
    }
});
