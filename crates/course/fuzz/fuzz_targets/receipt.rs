//! A completion receipt, as an instructor imports many at once, on
//! arbitrary text: never a panic; a receipt that reads survives writing,
//! and replaying it on the shipped lessons gives a verdict.
//! Run: cd crates/course/fuzz && cargo fuzz run receipt -- -max_total_time=600
#![no_main]

use dockyard_course::receipts::Receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(receipt) = Receipt::parse(text) {
        assert_eq!(Receipt::parse(&receipt.to_json()).as_ref(), Ok(&receipt));
        let _ = receipt.check(dockyard_course::lessons::lesson);
    }
});
