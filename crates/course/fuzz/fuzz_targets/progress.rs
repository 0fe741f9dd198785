//! A progress file (imported, or saved by any earlier version) on
//! arbitrary text: never a panic, and what reads survives writing (the
//! practice record a file carries too).
//! Run: cd crates/course/fuzz && cargo fuzz run progress -- -max_total_time=600
#![no_main]

use dockyard_course::progress::Progress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for read in [Progress::parse, Progress::parse_saved] {
        if let Ok(progress) = read(text) {
            let practice = progress.practice.clone().unwrap_or_default();
            let again = read(&progress.export(&practice)).expect("an export reads back");
            assert_eq!(again.done, progress.done);
            assert_eq!(again.practice.unwrap_or_default(), practice);
        }
    }
});
