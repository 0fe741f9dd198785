//! A share link's fragment (`#/share/...`) on arbitrary text, read as the
//! app reads it (percent-decoded, then checked): never a panic; a link that
//! opens replays, and the link it gives back opens to the same session.
//! Run: cd crates/course/fuzz && cargo fuzz run share_link -- -max_total_time=600
#![no_main]

use dockyard_course::player::SessionPlayer;
use dockyard_course::session::{percent_decode, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(fragment) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(session) = Session::parse(&percent_decode(fragment)) else {
        return;
    };
    let again = Session::parse(&percent_decode(&session.to_link()));
    assert_eq!(again.as_ref(), Ok(&session), "the link it gives back differs");
    SessionPlayer::new(session);
});
