//! The practice record kept in the browser, and a chapter's question file,
//! on arbitrary text: never a panic; a record that reads survives writing,
//! and answering on it keeps every card in its boxes.
//! Run: cd crates/course/fuzz && cargo fuzz run practice -- -max_total_time=600
#![no_main]

use dockyard_course::practice::review::{Record, BOX_DAYS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut record) = Record::parse(text) {
        assert_eq!(Record::parse(&record.to_json()).as_ref(), Ok(&record));
        let ids: Vec<String> = record.cards.keys().cloned().collect();
        for (n, id) in ids.iter().enumerate() {
            record.answer(id, n % 2 == 0, 20_000);
        }
        for card in record.cards.values() {
            assert!((1..=BOX_DAYS.len() as u8).contains(&card.bin));
        }
        let _ = record.due(20_001);
    }
    let _ = dockyard_course::practice::parse("fargate", text);
});
