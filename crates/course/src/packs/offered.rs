//! Packs offered to the learner in this process (the app loads them from a
//! file or a URL): each verified before it is offered, and each lesson then
//! known to [`crate::lessons::lesson`] by its qualified id,
//! `pack-id/lesson-id`, so that a pack lesson plays, saves and replays as a
//! shipped one does. A shipped id never holds a slash, and a pack's ids are
//! checked not to, so the two never collide.
//!
//! A pack is leaked when offered: the sandbox and the lesson panel hold
//! lessons as `&'static Lesson`, as they hold the shipped ones. Offering
//! again a pack with the same id puts the new one in its place; the old
//! copy stays in memory, bounded by what a learner loads in one visit.

use std::cell::RefCell;

use super::{Pack, Unverified};
use crate::lessons::Lesson;

/// A pack offered to the learner, with where it came from.
#[derive(Debug)]
pub struct Offered {
    /// The pack, its lessons' ids qualified (`pack-id/lesson-id`).
    pub pack: Pack,
    /// Where the pack came from, as the learner gave it: a URL, or a file
    /// name. Shown beside the pack, since its content is somebody's words.
    pub source: String,
}

thread_local! {
    static OFFERED: RefCell<Vec<&'static Offered>> = const { RefCell::new(Vec::new()) };
}

/// A pack lesson's id as the rest of Dockyard knows it.
pub fn qualified_id(pack: &str, lesson: &str) -> String {
    format!("{pack}/{lesson}")
}

/// Verifies `pack` and, if every lesson teaches, offers it (in place of
/// any offered pack with the same id). Otherwise nothing is offered, and
/// the lessons that do not teach are returned with why.
pub fn offer(mut pack: Pack, source: &str) -> Result<&'static Offered, Vec<Unverified>> {
    let unverified = pack.verify();
    if !unverified.is_empty() {
        return Err(unverified);
    }
    for lesson in &mut pack.lessons {
        lesson.id = qualified_id(&pack.id, &lesson.id);
    }
    let offered: &'static Offered = Box::leak(Box::new(Offered {
        pack,
        source: source.to_string(),
    }));
    OFFERED.with(|all| {
        let mut all = all.borrow_mut();
        match all.iter().position(|o| o.pack.id == offered.pack.id) {
            Some(at) => all[at] = offered,
            None => all.push(offered),
        }
    });
    Ok(offered)
}

/// Stops offering the pack with this id (its lessons' saved work is the
/// app's to keep or forget).
pub fn withdraw(id: &str) {
    OFFERED.with(|all| all.borrow_mut().retain(|o| o.pack.id != id));
}

/// The packs offered, in the order they were first offered.
pub fn offered() -> Vec<&'static Offered> {
    OFFERED.with(|all| all.borrow().clone())
}

/// The offered pack with this id.
pub fn offered_pack(id: &str) -> Option<&'static Offered> {
    OFFERED.with(|all| all.borrow().iter().copied().find(|o| o.pack.id == id))
}

/// A lesson of an offered pack, by its qualified id.
pub fn offered_lesson(qualified: &str) -> Option<&'static Lesson> {
    let (pack, _) = qualified.split_once('/')?;
    offered_pack(pack)?
        .pack
        .lessons
        .iter()
        .find(|lesson| lesson.id == qualified)
}

impl Offered {
    /// The lesson after `qualified` in the pack's order.
    pub fn next_after(&self, qualified: &str) -> Option<&Lesson> {
        let lessons = &self.pack.lessons;
        let at = lessons.iter().position(|l| l.id == qualified)?;
        lessons.get(at + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons;

    const EXAMPLE: &str = include_str!("../../../../packs/example.pack.json");

    #[test]
    fn an_offered_pack_lesson_is_found_by_its_qualified_id_and_plays_as_a_shipped_one() {
        let pack = Pack::parse(EXAMPLE).unwrap();
        let first = pack.lessons[0].id.clone();
        let offered = offer(pack, "packs/example.pack.json").unwrap();
        let id = qualified_id("example", &first);
        let lesson = lessons::lesson(&id).expect("found through the course's one lookup");
        assert_eq!(lesson.id, id);
        assert_eq!(offered.source, "packs/example.pack.json");
        // The unqualified id names no shipped lesson.
        assert!(lessons::lesson(&first).is_none());
        // A session of the pack lesson passes the session's own checks.
        let work = lesson.sandbox().unwrap();
        let session = crate::session::Session::for_lesson(&id, work);
        let text = serde_json::to_string(&session).unwrap();
        assert!(crate::session::Session::parse(&text).is_ok());
        assert!(offered.next_after(&id).is_some());
        // It opens in the lesson builder as its file wrote it.
        let draft = crate::builder::Draft::of_lesson(&id).unwrap();
        assert_eq!(draft.id, first);
        assert!(draft.check().is_ok());
        withdraw("example");
        assert!(lessons::lesson(&id).is_none(), "withdrawn");
    }

    #[test]
    fn a_pack_whose_lesson_does_not_teach_is_not_offered() {
        let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        // The wrong answer made the solution: the wrong answer now passes.
        let solution = value["lessons"][0]["solution"].clone();
        value["lessons"][0]["wrong"]["steps"] = solution;
        value["id"] = "broken-copy".into();
        let pack = Pack::parse(&value.to_string()).unwrap();
        let refused = offer(pack, "a file").unwrap_err();
        assert_eq!(refused.len(), 1);
        assert!(offered_pack("broken-copy").is_none());
    }
}
