//! Embed mode: Dockyard inside a course page's iframe, asked for with
//! `?embed` in the address of any page (a chapter, a lesson, a scenario).
//! The site's header and chapter bar are left out (the host page has its
//! own); everything else, keyboard and screen reader use included, is the
//! same page. A lesson tells its host page what the learner did with
//! `postMessage`, so that a course can record completion without a server:
//!
//! ```js
//! { source: "dockyard", version: 1, event: "lesson-started", lesson: "ID" }
//! { source: "dockyard", version: 1, event: "hint-used", lesson: "ID", hintsUsed: 1 }
//! { source: "dockyard", version: 1, event: "goal-met", lesson: "ID", hintsUsed: 1, solutionShown: false }
//! ```
//!
//! The messages carry no personal data, so they are posted to any origin
//! (`"*"`); a host checks `event.data.source === "dockyard"`.

use std::cell::OnceCell;

use serde_json::{json, Value};

/// The format version of the messages above.
pub const MESSAGE_VERSION: u32 = 1;

/// Whether the page was opened with `?embed` (read once: moving between
/// pages inside the iframe keeps the mode).
pub fn embedded() -> bool {
    thread_local! {
        static EMBEDDED: OnceCell<bool> = const { OnceCell::new() };
    }
    EMBEDDED.with(|cell| {
        *cell.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.location().search().ok())
                .is_some_and(|search| asks_for_embed(&search))
        })
    })
}

/// `?embed`, `?embed=1` or `?a=b&embed`: the parameter named, with any
/// value but `0` or `false`.
pub fn asks_for_embed(search: &str) -> bool {
    crate::route::query_value(search, "embed")
        .is_some_and(|value| !matches!(value.as_str(), "0" | "false"))
}

/// Posts `event` about `lesson` (with `fields`) to the host page, when
/// the page is embedded in one.
pub fn tell_host(event: &str, lesson: &str, fields: Value) {
    if !embedded() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    // A page that is not in a frame is its own parent.
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    let mut message = json!({
        "source": "dockyard",
        "version": MESSAGE_VERSION,
        "event": event,
        "lesson": lesson,
    });
    if let (Some(message), Value::Object(fields)) = (message.as_object_mut(), fields) {
        message.extend(fields);
    }
    if let Ok(object) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&object, "*");
    }
}
