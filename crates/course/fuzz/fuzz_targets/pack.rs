//! A lesson pack, as a learner loads one from a file or any URL, on
//! arbitrary text: never a panic; a pack that reads has unique ids and no
//! markup in its words, and verifying its lessons never panics either.
//! Run: cd crates/course/fuzz && cargo fuzz run pack -- -max_total_time=600
#![no_main]

use dockyard_course::packs::{Pack, MAX_LESSONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pack) = Pack::parse(text) {
        assert!(!pack.lessons.is_empty() && pack.lessons.len() <= MAX_LESSONS);
        let mut ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), pack.lessons.len(), "ids are unique");
        for lesson in &pack.lessons {
            assert!(!lesson.brief.contains("<script"));
        }
        let _ = pack.verify();
    }
});
