//! Where the sandbox's sessions are kept between visits: the free
//! sandbox's session of each scenario and each lesson's own, through the app's one door
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
    // Each scenario its own slot: work on one never replaces another's.
    let json = session.to_json();
    storage::save(Key::Scenario(&session.scenario), &json)
        .and_then(|()| storage::save(Key::Sandbox, &json))
        .map_err(|error| {
            format!(
                "Dockyard could not save the sandbox ({error}); it will be lost when you close the tab. Export keeps it as a file."
            )
        })
}

/// Before per-scenario slots, one slot held the free sandbox's session:
/// it becomes its scenario's, unless that slot already holds newer work.
/// (`Key::Sandbox` stays, a copy of the session saved last.)
fn adopt(old: &Session) {
    if old.lesson.is_none() && storage::read(Key::Scenario(&old.scenario)).is_none() {
        let _ = storage::save(Key::Scenario(&old.scenario), &old.to_json());
    }
}

/// [`adopt`] for a glance: nothing set aside, nothing reported.
fn adopt_the_single_slot() {
    if let Some(old) = storage::read(Key::Sandbox).and_then(|raw| Session::parse(&raw).ok()) {
        adopt(&old);
    }
}

/// The learner's saved session of `slug`, if any (nothing set aside: for
/// a glance, as when a share link's state is offered in its place).
pub(super) fn saved_work(slug: &str) -> Option<Session> {
    adopt_the_single_slot();
    storage::read(Key::Scenario(slug)).and_then(|raw| Session::parse(&raw).ok())
}

/// Keeps `session` as it was before a share link's state takes its place.
pub(super) fn keep_before(session: &Session) -> Result<(), String> {
    storage::save(Key::ScenarioBefore(&session.scenario), &session.to_json())
}

/// How many changes were set aside for `slug`, if any were.
pub(super) fn before_len(slug: &str) -> Option<usize> {
    storage::read(Key::ScenarioBefore(slug))
        .and_then(|raw| Session::parse(&raw).ok())
        .map(|session| session.steps.len())
}

/// The session kept before a share link's state replaced it, taken out
/// of its slot.
pub(super) fn take_before(slug: &str) -> Option<Session> {
    let session =
        storage::read(Key::ScenarioBefore(slug)).and_then(|raw| Session::parse(&raw).ok())?;
    storage::forget(Key::ScenarioBefore(slug));
    Some(session)
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
/// one (in its slot, or in the single slot of earlier versions) is kept
/// aside and reported.
pub(super) fn restore(slug: &str) -> (Session, Option<String>) {
    let mut notice = None;
    match storage::load(Key::Sandbox, Session::parse) {
        Load::Found(old) => adopt(&old),
        Load::SetAside(said) => notice = Some(said),
        Load::Absent | Load::Refused(_) => {}
    }
    match storage::load(Key::Scenario(slug), Session::parse) {
        Load::Found(saved) if saved.scenario == slug => (saved, notice),
        Load::SetAside(said) => (Session::new(slug), Some(said)),
        Load::Found(_) | Load::Absent | Load::Refused(_) => (Session::new(slug), notice),
    }
}

/// Forgets the changes set aside for `slug` (the learner let them go).
pub(super) fn let_go_before(slug: &str) {
    storage::forget(Key::ScenarioBefore(slug));
}
