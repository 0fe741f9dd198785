//! Where the sandbox's sessions are kept between visits: the free
//! sandbox's one session and each lesson's own, through the app's one door
//! to localStorage (`crate::storage`), which sets an unreadable save aside
//! rather than losing it.

use dockyard_course::lessons;
use dockyard_course::session::Session;
use dockyard_course::storage::{Key, Load};

use crate::storage;

/// Saves `session`, or says why it could not be.
pub(super) fn save(session: &Session) -> Result<(), String> {
    // A lesson's work is kept per lesson, apart from the free sandbox.
    if let Some(id) = &session.lesson {
        return storage::save(Key::Lesson(id), &session.to_json()).map_err(|error| {
            format!(
                "Dockyard could not save the lesson ({error}); it will be lost when you close the tab."
            )
        });
    }
    // Looking at another scenario does not replace the changes saved for
    // one; making a change of your own here does.
    if session.steps.is_empty() {
        let other_has_work = storage::read(Key::Sandbox)
            .and_then(|raw| Session::parse(&raw).ok())
            .is_some_and(|saved| saved.scenario != session.scenario && !saved.steps.is_empty());
        if other_has_work {
            return Ok(());
        }
    }
    storage::save(Key::Sandbox, &session.to_json()).map_err(|error| {
        format!(
            "Dockyard could not save the sandbox ({error}); it will be lost when you close the tab."
        )
    })
}

/// Where the learner left a lesson, or its start; an unreadable save is
/// kept aside and reported.
pub(super) fn restore_lesson(id: &str) -> (Session, Option<String>) {
    let lesson = lessons::lesson(id).expect("the route checked the lesson");
    let work = lesson
        .sandbox()
        .expect("the route sends only sandbox lessons here");
    match storage::load(Key::Lesson(id), Session::parse) {
        Load::Found(saved) if saved.lesson.as_deref() == Some(id) => (saved, None),
        Load::SetAside(notice) => (Session::for_lesson(id, work), Some(notice)),
        _ => (Session::for_lesson(id, work), None),
    }
}

/// The saved session for this scenario, or a fresh one; an unreadable
/// one is kept aside and reported.
pub(super) fn restore(slug: &str) -> (Session, Option<String>) {
    match storage::load(Key::Sandbox, Session::parse) {
        Load::Found(saved) if saved.scenario == slug => (saved, None),
        Load::Found(other) if !other.steps.is_empty() => (
            Session::new(slug),
            Some(format!(
                "Your {} change{} to {} stay saved until you change this scenario; a share link or Export keeps them for good.",
                other.steps.len(),
                if other.steps.len() == 1 { "" } else { "s" },
                other.scenario
            )),
        ),
        Load::SetAside(notice) => (Session::new(slug), Some(notice)),
        Load::Found(_) | Load::Absent | Load::Refused(_) => (Session::new(slug), None),
    }
}
