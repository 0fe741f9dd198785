//! Everything Dockyard keeps in the learner's browser: the one table of
//! keys and their versioned names (`dockyard.v2.<what>[.<id>]`, a set-aside
//! copy under the same name plus `.unreadable`), the one way to load, save
//! and set aside, and the move of work saved under earlier names.
//!
//! It runs over a [`Store`] of strings, so it is tested natively over a
//! `BTreeMap`; the app's adapter is the only code that reaches localStorage.
//! What is read back is untrusted: an unreadable value is moved aside,
//! never destroyed, and the learner is told where it went.

use std::collections::BTreeMap;
use std::fmt::Display;

use crate::lessons::LESSON_FILES;

/// Strings by key: localStorage in the app, a map in tests.
pub trait Store {
    /// The value under `key`; an error when the browser refuses storage.
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), String>;
    fn remove(&mut self, key: &str);
}

impl Store for BTreeMap<String, String> {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(BTreeMap::get(self, key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        self.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) {
        BTreeMap::remove(self, key);
    }
}

/// One thing Dockyard keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    /// The learner's place and theme (the app's `persist::Saved`).
    Settings,
    /// The free sandbox's session last saved, whatever its scenario: which
    /// scenario `sandbox/` opens, and (before per-scenario slots) the only
    /// slot, adopted into its scenario's on the first visit after.
    Sandbox,
    /// The free sandbox's session of one scenario, by its slug.
    Scenario(&'a str),
    /// A scenario's session as it was before a share link's state was kept
    /// in its place: what "bring them back" restores.
    ScenarioBefore(&'a str),
    /// Which lessons are done.
    Progress,
    /// The free registry's actions.
    Registries,
    /// The task definition editor's text, kept raw.
    Editor,
    /// The editor's text as it was before the last import replaced it,
    /// kept raw until the learner swaps it back or lets it go.
    EditorBefore,
    /// The task definition checker's draft, kept raw.
    Checker,
    /// The policy simulator's draft (`policy_simulator::Draft` as JSON).
    PolicySimulator,
    /// The practice questions answered and when each is due again
    /// (`practice::review::Record` as JSON).
    Practice,
    /// The practice exam under way or last finished (`practice::exam::Exam`).
    Exam,
    /// A lesson's work (a sandbox session or registry actions), by lesson id
    /// (a pack lesson's is qualified: `pack-id/lesson-id`).
    Lesson(&'a str),
    /// The lesson packs the learner loaded, as they came
    /// (`packs::SavedPack`s as JSON).
    Packs,
    /// Which lessons of one pack are done, by pack id: kept apart from the
    /// built-in course's progress.
    PackProgress(&'a str),
    /// The lesson builder's draft (a lesson file's JSON, `builder::Draft`).
    Builder,
    /// A lesson's receipt as it was when its goal was met (unnamed: the
    /// learner names a pack's receipt when they download it), by lesson id.
    Receipt(&'a str),
}

/// The prefix of every name in this scheme; a new scheme gets a new
/// number and a row for each old name in [`Key::row`].
const PREFIX: &str = "dockyard.v2";
/// Appended to a key's name for its set-aside copy.
const ASIDE: &str = ".unreadable";

/// A key's line in the table.
struct Row {
    /// Its name after [`PREFIX`].
    what: &'static str,
    /// Where versions before this scheme kept it, and its set-aside copy
    /// (a lesson's are `old` plus `.<id>` and `.<id>.unreadable`).
    old: &'static str,
    old_aside: Option<&'static str>,
    /// For a notice: "Dockyard could not read your saved {saved} (...), so {afresh}."
    saved: &'static str,
    afresh: &'static str,
}

/// The keys without an id; lessons add one key each.
const SINGLE: [Key<'static>; 10] = [
    Key::Settings,
    Key::Sandbox,
    Key::Progress,
    Key::Registries,
    Key::Editor,
    Key::EditorBefore,
    Key::Checker,
    Key::PolicySimulator,
    Key::Practice,
    Key::Exam,
];

impl Key<'_> {
    /// The table of every key: its name, its old names, its words.
    fn row(self) -> &'static Row {
        match self {
            Key::Settings => &Row {
                what: "settings",
                old: "dockyard.v1",
                old_aside: Some("dockyard.v1.unreadable"),
                saved: "settings",
                afresh: "it started from the defaults",
            },
            Key::Sandbox => &Row {
                what: "sandbox",
                old: "dockyard.sandbox.v1",
                old_aside: Some("dockyard.sandbox.v1.unreadable"),
                saved: "sandbox",
                afresh: "it started this scenario afresh",
            },
            Key::Progress => &Row {
                what: "progress",
                old: "dockyard.progress.v1",
                old_aside: Some("dockyard.progress.unreadable"),
                saved: "progress",
                afresh: "the course map starts with no lesson done",
            },
            Key::Registries => &Row {
                what: "registries",
                old: "dockyard.registries.v1",
                old_aside: Some("dockyard.registries.unreadable"),
                saved: "registry work",
                afresh: "the registry starts afresh",
            },
            Key::Editor => &Row {
                what: "editor",
                old: "dockyard.v1.editor",
                old_aside: None,
                saved: "task definition",
                afresh: "the editor shows the example",
            },
            Key::EditorBefore => &Row {
                what: "editor-before",
                // Kept since issue 20, after the v2 scheme.
                old: "dockyard.v1.editor-before",
                old_aside: None,
                saved: "task definition from before an import",
                afresh: "it cannot be brought back",
            },
            Key::Checker => &Row {
                what: "checker",
                old: "dockyard.v1.draft-task-definition",
                old_aside: None,
                saved: "task definition draft",
                afresh: "the checker shows the example",
            },
            Key::PolicySimulator => &Row {
                what: "policy-simulator",
                // The simulator came after the v2 scheme: no version before
                // it kept anything under this name.
                old: "dockyard.v1.policy-simulator",
                old_aside: None,
                saved: "policy simulator draft",
                afresh: "the simulator shows its first example",
            },
            Key::Practice => &Row {
                what: "practice",
                // Practice came after the v2 scheme (issue 22).
                old: "dockyard.v1.practice",
                old_aside: None,
                saved: "practice record",
                afresh: "practice starts afresh, with nothing due for review",
            },
            Key::Exam => &Row {
                what: "exam",
                // The exam came after the v2 scheme (issue 22).
                old: "dockyard.v1.exam",
                old_aside: None,
                saved: "practice exam",
                afresh: "a new exam can be started",
            },
            Key::Scenario(_) => &Row {
                what: "sandbox",
                // Per-scenario slots came after the v2 scheme.
                old: "dockyard.sandbox.v1",
                old_aside: None,
                saved: "sandbox",
                afresh: "it started this scenario afresh",
            },
            Key::ScenarioBefore(_) => &Row {
                what: "sandbox-before",
                old: "dockyard.sandbox-before.v1",
                old_aside: None,
                saved: "earlier sandbox work",
                afresh: "it cannot be brought back",
            },
            Key::Packs => &Row {
                what: "packs",
                // Packs came after the v2 scheme (issue 21).
                old: "dockyard.v1.packs",
                old_aside: None,
                saved: "lesson packs",
                afresh: "no pack is loaded: load them again from where they came",
            },
            Key::Receipt(_) => &Row {
                what: "receipt",
                old: "dockyard.v1.receipt",
                old_aside: None,
                saved: "receipt for this lesson",
                afresh: "it is made again when the lesson's goal is met",
            },
            Key::Builder => &Row {
                what: "builder",
                old: "dockyard.v1.builder",
                old_aside: None,
                saved: "lesson draft",
                afresh: "the builder starts a new draft",
            },
            Key::PackProgress(_) => &Row {
                what: "pack-progress",
                old: "dockyard.v1.pack-progress",
                old_aside: None,
                saved: "progress in this pack",
                afresh: "the pack starts with no lesson done",
            },
            Key::Lesson(_) => &Row {
                what: "lesson",
                old: "dockyard.lesson",
                old_aside: None,
                saved: "work on this lesson",
                afresh: "the lesson starts afresh",
            },
        }
    }

    /// Where versions before this scheme kept it, and its set-aside copy.
    fn old_names(self) -> (String, Option<String>) {
        let row = self.row();
        match self {
            Key::Lesson(id)
            | Key::Scenario(id)
            | Key::ScenarioBefore(id)
            | Key::PackProgress(id)
            | Key::Receipt(id) => (
                format!("{}.{id}", row.old),
                Some(format!("{}.{id}{ASIDE}", row.old)),
            ),
            _ => (row.old.to_string(), row.old_aside.map(str::to_string)),
        }
    }

    /// Its name in localStorage.
    pub fn name(self) -> String {
        let what = self.row().what;
        match self {
            Key::Lesson(id)
            | Key::Scenario(id)
            | Key::ScenarioBefore(id)
            | Key::PackProgress(id)
            | Key::Receipt(id) => {
                format!("{PREFIX}.{what}.{id}")
            }
            _ => format!("{PREFIX}.{what}"),
        }
    }

    /// Where its unreadable value is set aside, one per key, so that one
    /// lesson's backup never overwrites another's.
    pub fn aside(self) -> String {
        format!("{}{ASIDE}", self.name())
    }
}

/// What a load found.
#[derive(Debug, PartialEq)]
pub enum Load<T> {
    /// Nothing is kept under the key.
    Absent,
    Found(T),
    /// The kept value could not be read: it was moved aside, and this
    /// notice tells the learner why and where.
    SetAside(String),
    /// The browser refuses storage (the error, shortened).
    Refused(String),
}

/// Reads `key` with `parse`; an unreadable value is set aside.
pub fn load<T, E: Display>(
    store: &mut impl Store,
    key: Key,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Load<T> {
    let raw = match store.get(&key.name()) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Load::Absent,
        Err(error) => return Load::Refused(shorten(&error)),
    };
    match parse(&raw) {
        Ok(value) => Load::Found(value),
        Err(error) => Load::SetAside(set_aside(store, key, &raw, &error.to_string())),
    }
}

/// Reads `key` as it is, setting nothing aside: for a glance at what
/// another page keeps, which that page reports itself when it loads it.
pub fn read(store: &impl Store, key: Key) -> Option<String> {
    store.get(&key.name()).ok().flatten()
}

/// Keeps `value` under `key`.
pub fn save(store: &mut impl Store, key: Key, value: &str) -> Result<(), String> {
    store.set(&key.name(), value)
}

/// Forgets what is kept under `key` (the learner asked to start again).
pub fn forget(store: &mut impl Store, key: Key) {
    store.remove(&key.name());
}

/// Moves `raw`, the unreadable value of `key`, to its set-aside copy and
/// says so. If the copy cannot be written the value stays where it is,
/// since removing it then would destroy it.
fn set_aside(store: &mut impl Store, key: Key, raw: &str, error: &str) -> String {
    let Row { saved, afresh, .. } = key.row();
    // Long enough for a replay's error, which names the action and the
    // registry's answer; cut because a parser may quote the untrusted text.
    let said = format!(
        "Dockyard could not read your saved {saved} ({}), so {afresh}.",
        cut(error, 200)
    );
    let aside = key.aside();
    match store.set(&aside, raw) {
        Ok(()) => {
            store.remove(&key.name());
            format!("{said} The unreadable data was kept in localStorage under \u{201c}{aside}\u{201d}.")
        }
        Err(refused) => format!(
            "{said} It could not be set aside ({}), so your next save replaces it.",
            shorten(&refused)
        ),
    }
}

/// Moves what earlier versions saved to this scheme's names: each old
/// value goes to its new key when that key is empty (never over newer
/// work), and the old key is removed only once the new one is written.
/// An old value whose new key is taken stays where it is, untouched.
/// Values move as they are; the load that follows judges them.
pub fn migrate(store: &mut impl Store) {
    let lessons = LESSON_FILES.iter().map(|(id, _)| Key::Lesson(id));
    for key in SINGLE.into_iter().chain(lessons) {
        let (old, old_aside) = key.old_names();
        move_value(store, &old, &key.name());
        if let Some(old_aside) = old_aside {
            move_value(store, &old_aside, &key.aside());
        }
    }
}

fn move_value(store: &mut impl Store, from: &str, to: &str) {
    let Ok(Some(value)) = store.get(from) else {
        return;
    };
    if !matches!(store.get(to), Ok(None)) {
        return;
    }
    if store.set(to, &value).is_ok() {
        store.remove(from);
    }
}

/// A browser's error or a saved name, cut to fit in a sentence.
pub fn shorten(text: &str) -> String {
    cut(text, 80)
}

fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}\u{2026}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Progress;
    use crate::session::Session;
    use dockyard_model::registry::desk::Desk;

    /// What learners have saved, in the formats the app wrote under the old
    /// names (copied from the app's browser tests and the crates' own).
    const SETTINGS: &str = r#"{"lastChapter":"ecr","theme":"dark"}"#;
    const SANDBOX: &str = r#"{"session":1,"scenario":"az-outage","steps":[{"at":120,"do":"loseAz","az":"us-east-1b"}],"at":300000}"#;
    const PROGRESS: &str =
        r#"{"done":["latest-is-only-a-tag","run-a-service-on-fargate"],"progress":1}"#;
    const REGISTRIES: &str = r#"{"actions":[{"do":"createRepository","immutable":true,"name":"shop/web","scanOnPush":true},{"content":"web build 1","do":"push","repository":"shop/web","tag":"v1"}],"registryDesk":1}"#;
    const EDITOR: &str = "{\n  \"family\": \"web\",\n  \"cpu\": \"256\"\n";
    const CHECKER: &str = r#"{"family": "api", "containerDefinitions": []}"#;

    fn old_store(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A lesson's saved session as the sandbox wrote it: the lesson's start
    /// and the learner's own commands.
    fn lesson_session() -> (&'static str, String) {
        let id = "pods-on-a-fargate-profile";
        let lesson = crate::lessons::lesson(id).unwrap();
        let work = lesson.sandbox().unwrap();
        let mut session = Session::for_lesson(id, work);
        session.steps = work.solution.clone();
        (id, session.to_json())
    }

    /// Each scenario's slot, and what a share link set aside, have names
    /// of their own, apart from every other key and from each other's
    /// set-aside copies.
    #[test]
    fn each_scenario_has_its_own_names() {
        let mut names = vec![
            Key::Scenario("az-outage").name(),
            Key::Scenario("web-on-fargate").name(),
            Key::ScenarioBefore("az-outage").name(),
            Key::Scenario("az-outage").aside(),
            Key::ScenarioBefore("az-outage").aside(),
        ];
        names.extend(SINGLE.iter().flat_map(|key| [key.name(), key.aside()]));
        assert_eq!(names[0], "dockyard.v2.sandbox.az-outage");
        assert_eq!(names[2], "dockyard.v2.sandbox-before.az-outage");
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
    }

    #[test]
    fn every_old_key_loads_under_the_new_scheme_with_the_learners_work() {
        let (lesson, lesson_work) = lesson_session();
        let old_lesson = format!("dockyard.lesson.{lesson}");
        let registry_lesson = "release-to-an-immutable-repository";
        let old_registry_lesson = format!("dockyard.lesson.{registry_lesson}");
        let mut store = old_store(&[
            ("dockyard.v1", SETTINGS),
            ("dockyard.sandbox.v1", SANDBOX),
            ("dockyard.progress.v1", PROGRESS),
            ("dockyard.registries.v1", REGISTRIES),
            ("dockyard.v1.editor", EDITOR),
            ("dockyard.v1.draft-task-definition", CHECKER),
            (&old_lesson, &lesson_work),
            (&old_registry_lesson, REGISTRIES),
        ]);
        migrate(&mut store);
        assert!(
            store.keys().all(|k| k.starts_with("dockyard.v2.")),
            "{:?}",
            store.keys().collect::<Vec<_>>()
        );

        assert_eq!(read(&store, Key::Settings).as_deref(), Some(SETTINGS));
        assert_eq!(read(&store, Key::Editor).as_deref(), Some(EDITOR));
        assert_eq!(read(&store, Key::Checker).as_deref(), Some(CHECKER));
        let Load::Found(session) = load(&mut store, Key::Sandbox, Session::parse) else {
            panic!("the sandbox session was not found");
        };
        assert_eq!(
            (session.scenario.as_str(), session.steps.len(), session.at),
            ("az-outage", 1, 300_000)
        );
        let Load::Found(progress) = load(&mut store, Key::Progress, Progress::parse_saved) else {
            panic!("the progress was not found");
        };
        assert_eq!(progress.done.len(), 2);
        assert!(progress.done.contains("run-a-service-on-fargate"));
        let Load::Found(desk) = load(&mut store, Key::Registries, Desk::from_json) else {
            panic!("the registry work was not found");
        };
        assert_eq!(desk.actions().len(), 2);
        assert!(desk.registry.repositories().any(|r| r.name() == "shop/web"));
        let Load::Found(saved) = load(&mut store, Key::Lesson(lesson), Session::parse) else {
            panic!("the lesson's work was not found");
        };
        assert_eq!(saved.lesson.as_deref(), Some(lesson));
        assert_eq!(saved.to_json(), lesson_work);
        assert!(matches!(
            load(&mut store, Key::Lesson(registry_lesson), Desk::from_json),
            Load::Found(_)
        ));
    }

    #[test]
    fn set_aside_copies_move_too_and_nothing_is_lost() {
        let mut store = old_store(&[
            ("dockyard.v1.unreadable", "{oops"),
            ("dockyard.sandbox.v1.unreadable", "{\"session\": 9}"),
            ("dockyard.progress.unreadable", "[]"),
            ("dockyard.registries.unreadable", "{\"registryDesk\": 2}"),
            ("dockyard.lesson.a-task-role-for-the-app.unreadable", "x"),
        ]);
        let before: Vec<String> = store.values().cloned().collect();
        migrate(&mut store);
        assert_eq!(store.len(), 5);
        for value in before {
            assert!(store.values().any(|v| *v == value), "{value} was lost");
        }
        assert_eq!(
            store.get("dockyard.v2.lesson.a-task-role-for-the-app.unreadable"),
            Some(&"x".to_string())
        );
        assert_eq!(
            store.get("dockyard.v2.settings.unreadable"),
            Some(&"{oops".to_string())
        );
    }

    #[test]
    fn an_old_value_never_overwrites_newer_work() {
        let newer = r#"{"lastChapter":"ecs-iam","theme":"light"}"#;
        let mut store = old_store(&[("dockyard.v1", SETTINGS), ("dockyard.v2.settings", newer)]);
        migrate(&mut store);
        assert_eq!(read(&store, Key::Settings).as_deref(), Some(newer));
        // The old value is not destroyed either.
        assert_eq!(store.get("dockyard.v1"), Some(&SETTINGS.to_string()));
        // Moving twice changes nothing.
        let once = store.clone();
        migrate(&mut store);
        assert_eq!(store, once);
    }

    #[test]
    fn unreadable_data_is_set_aside_with_a_notice() {
        let (lesson, _) = lesson_session();
        let mut store = old_store(&[
            ("dockyard.v2.sandbox", "{\"session\": 1, oops"),
            ("dockyard.v2.lesson.pods-on-a-fargate-profile", "[]"),
        ]);
        let Load::SetAside(notice) = load(&mut store, Key::Sandbox, Session::parse) else {
            panic!("the unreadable session was not set aside");
        };
        assert!(
            notice.starts_with("Dockyard could not read your saved sandbox ("),
            "{notice}"
        );
        assert!(notice.contains("\u{201c}dockyard.v2.sandbox.unreadable\u{201d}"));
        assert_eq!(read(&store, Key::Sandbox), None);
        assert_eq!(
            store.get("dockyard.v2.sandbox.unreadable"),
            Some(&"{\"session\": 1, oops".to_string())
        );
        // Each lesson has its own set-aside copy.
        let Load::SetAside(notice) = load(&mut store, Key::Lesson(lesson), Session::parse) else {
            panic!("the unreadable lesson work was not set aside");
        };
        assert!(notice.contains("work on this lesson"), "{notice}");
        assert_eq!(
            store.get(&Key::Lesson(lesson).aside()),
            Some(&"[]".to_string())
        );
        assert_eq!(load(&mut store, Key::Sandbox, Session::parse), Load::Absent);
    }

    /// A store that refuses every write, as a full or locked-down browser.
    struct Full(BTreeMap<String, String>);

    impl Store for Full {
        fn get(&self, key: &str) -> Result<Option<String>, String> {
            Ok(self.0.get(key).cloned())
        }
        fn set(&mut self, _: &str, _: &str) -> Result<(), String> {
            Err("QuotaExceededError".into())
        }
        fn remove(&mut self, key: &str) {
            self.0.remove(key);
        }
    }

    #[test]
    fn what_cannot_be_set_aside_or_moved_stays_where_it_is() {
        let mut store = Full(old_store(&[
            ("dockyard.v2.progress", "{oops"),
            ("dockyard.progress.v1", PROGRESS),
        ]));
        let Load::SetAside(notice) = load(&mut store, Key::Progress, Progress::parse_saved) else {
            panic!("the unreadable progress was not reported");
        };
        assert!(notice.contains("QuotaExceededError"), "{notice}");
        assert_eq!(
            store.0.get("dockyard.v2.progress"),
            Some(&"{oops".to_string())
        );
        store.0.remove("dockyard.v2.progress");
        migrate(&mut store);
        assert_eq!(
            store.0.get("dockyard.progress.v1"),
            Some(&PROGRESS.to_string())
        );
    }

    #[test]
    fn every_name_is_distinct_and_versioned() {
        let lessons = LESSON_FILES.iter().map(|(id, _)| Key::Lesson(id));
        let mut names = Vec::new();
        for key in SINGLE.into_iter().chain(lessons) {
            names.push(key.name());
            names.push(key.aside());
            if let Key::Lesson(id) = key {
                // A dot in an id could make one lesson's name another's copy.
                assert!(!id.contains('.'), "{id}");
            }
        }
        assert!(names.iter().all(|n| n.starts_with("dockyard.v2.")));
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "two keys share a name");
    }
}
