//! A saved or exported sandbox session (`dockyard.v2.sandbox.<scenario>`,
//! an imported `.session.json`) on arbitrary text: never a panic; what
//! reads replays, and survives saving and reading back.
//! Run: cd crates/course/fuzz && cargo fuzz run saved_session -- -max_total_time=600
#![no_main]

use dockyard_course::player::SessionPlayer;
use dockyard_course::session::Session;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(session) = Session::parse(text) else {
        return;
    };
    assert_eq!(
        Session::parse(&session.to_json()).as_ref(),
        Ok(&session),
        "saving then reading changed the session"
    );
    let player = SessionPlayer::new(session);
    player.goal_met();
});
