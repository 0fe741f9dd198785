//! Where the sandbox's sessions are kept between visits: the free
//! sandbox's one session, each lesson's own, and an unreadable save set
//! aside rather than lost. Every localStorage call of the sandbox is here.

use dockyard_course::lessons;
use dockyard_course::session::Session;
use gloo_storage::{LocalStorage, Storage};

/// Where the sandbox keeps the learner's session between visits.
pub const SESSION_KEY: &str = "dockyard.sandbox.v1";
/// Where an unreadable saved session is moved, so that nothing is lost.
pub const SESSION_BACKUP_KEY: &str = "dockyard.sandbox.v1.unreadable";

/// Saves `session`, or says why it could not be.
pub(super) fn save(session: &Session) -> Result<(), String> {
    // A lesson's work is kept per lesson, apart from the free sandbox.
    if let Some(id) = &session.lesson {
        return LocalStorage::raw()
            .set_item(&crate::components::lesson_key(id), &session.to_json())
            .map_err(|error| format!(
                "Dockyard could not save the lesson ({error:?}); it will be lost when you close the tab."
            ));
    }
    // Looking at another scenario does not replace the changes saved for
    // one; making a change of your own here does.
    if session.steps.is_empty() {
        let other_has_work = LocalStorage::raw()
            .get_item(SESSION_KEY)
            .ok()
            .flatten()
            .and_then(|raw| Session::parse(&raw).ok())
            .is_some_and(|saved| saved.scenario != session.scenario && !saved.steps.is_empty());
        if other_has_work {
            return Ok(());
        }
    }
    LocalStorage::set(SESSION_KEY, session).map_err(|error| {
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
    let key = crate::components::lesson_key(id);
    match LocalStorage::raw()
        .get_item(&key)
        .ok()
        .flatten()
        .map(|raw| (Session::parse(&raw), raw))
    {
        Some((Ok(saved), _)) if saved.lesson.as_deref() == Some(id) => (saved, None),
        Some((Err(error), raw)) => {
            let backup = crate::components::lesson_backup_key(id);
            let _ = LocalStorage::raw().set_item(&backup, &raw);
            let _ = LocalStorage::raw().remove_item(&key);
            (
                Session::for_lesson(id, work),
                Some(format!("Your saved work on this lesson could not be read ({error}), so it starts afresh. The unreadable data was kept in localStorage under \u{201c}{backup}\u{201d}.")),
            )
        }
        _ => (Session::for_lesson(id, work), None),
    }
}

/// The saved session for this scenario, or a fresh one; an unreadable
/// one is kept aside and reported.
pub(super) fn restore(slug: &str) -> (Session, Option<String>) {
    let raw = LocalStorage::raw().get_item(SESSION_KEY).ok().flatten();
    let Some(raw) = raw else {
        return (Session::new(slug), None);
    };
    match Session::parse(&raw) {
        Ok(saved) if saved.scenario == slug => (saved, None),
        Ok(other) if !other.steps.is_empty() => (
            Session::new(slug),
            Some(format!(
                "Your {} change{} to {} stay saved until you change this scenario; a share link or Export keeps them for good.",
                other.steps.len(),
                if other.steps.len() == 1 { "" } else { "s" },
                other.scenario
            )),
        ),
        Ok(_) => (Session::new(slug), None),
        Err(error) => {
            let _ = LocalStorage::raw().set_item(SESSION_BACKUP_KEY, &raw);
            let _ = LocalStorage::raw().remove_item(SESSION_KEY);
            (
                Session::new(slug),
                Some(format!(
                    "Dockyard could not read your saved sandbox ({error}), so it started this scenario afresh. The unreadable data was kept in localStorage under \u{201c}{SESSION_BACKUP_KEY}\u{201d}."
                )),
            )
        }
    }
}
