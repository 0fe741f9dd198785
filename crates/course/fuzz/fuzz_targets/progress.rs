//! A progress file (imported, or saved by any earlier version) on
//! arbitrary text: never a panic, and what reads survives writing.
//! Run: cd crates/course/fuzz && cargo fuzz run progress -- -max_total_time=600
#![no_main]

use dockyard_course::progress::Progress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(progress) = Progress::parse(text) {
        assert_eq!(Progress::parse(&progress.to_json()).as_ref(), Ok(&progress));
    }
    if let Ok(progress) = Progress::parse_saved(text) {
        assert_eq!(
            Progress::parse_saved(&progress.to_json()).as_ref(),
            Ok(&progress)
        );
    }
});
