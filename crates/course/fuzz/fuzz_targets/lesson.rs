//! A lesson file on arbitrary text: reading never panics, and a lesson
//! that reads can be judged at its start without panicking.
//! Run: cd crates/course/fuzz && cargo fuzz run lesson -- -max_total_time=600
#![no_main]

use dockyard_course::lessons::Lesson;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(lesson) = Lesson::parse(text) else {
        return;
    };
    if let Some(work) = lesson.sandbox() {
        let start = work.start();
        start.run(None, Some(start.until.min(600)));
    }
});
