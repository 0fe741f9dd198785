//! The builder recreates shipped lessons as an instructor would: the
//! start picked, the solution done step by step on the sandbox's session
//! player, the goal picked from what the builder offers on the world the
//! solution left, the wrong answer done; the lesson it then checks is the
//! shipped one, field for field.

use dockyard_model::sim::types::seconds;

use super::*;
use crate::lessons;
use crate::player::SessionPlayer;
use crate::session::Session;

/// Does `steps` in the sandbox from the draft's start, as the learner's
/// commands at their times, and returns the player at `until` seconds.
fn act(draft: &Draft, steps: &[Step], until: u64) -> SessionPlayer {
    let mut session = Session::new(&draft.scenario);
    session.keep_steps = Some(draft.keep_steps);
    let mut player = SessionPlayer::new(session);
    for step in steps {
        player.seek(seconds(step.at));
        player
            .command(step.command.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", draft.id));
    }
    player.seek(seconds(until));
    player
}

fn recreate(id: &str) -> (Draft, Vec<Value>) {
    let shipped = lessons::lesson(id).unwrap();
    let work = shipped.sandbox().unwrap();
    let file: Value =
        serde_json::from_str(LESSON_FILES.iter().find(|(k, _)| *k == id).unwrap().1).unwrap();

    // The start: a scenario, cut after its set-up.
    let mut draft = Draft::new(work.scenario.slug);
    draft.keep_steps = work.keep_steps;
    draft.check_at = work.check_at;
    // Not yet a lesson: the builder says what is missing, and will not export.
    assert!(draft.check().is_err(), "{id}: an empty draft passed");

    // The solution, done; the goal picked from what is offered then.
    let done = act(&draft, &work.solution, work.check_at);
    draft.solution = Draft::record(&done.session().steps);
    let offered = suggest(done.world());
    let goal = file["goal"].as_array().unwrap().clone();
    // Each condition is offered as it is, or offered with a higher count
    // or with the cluster named, which the author edits (the panel's Edit).
    for condition in &goal {
        let edited = |offer: &Value| {
            let mut offer = offer.clone();
            if condition.get("atLeast").is_some() {
                offer["atLeast"] = condition["atLeast"].clone();
            }
            if condition.get("cluster").is_none() {
                offer.as_object_mut().unwrap().remove("cluster");
            }
            offer == *condition
        };
        assert!(
            offered.contains(condition) || offered.iter().any(edited),
            "{id}: {condition} is not among {offered:?}"
        );
    }
    draft.goal = goal;
    // Each offered condition is met where it was offered.
    assert!(draft
        .judge(done.world())
        .iter()
        .all(|j| j.as_ref().unwrap().met));

    // The wrong answer, done.
    draft.wrong = Draft::record(&act(&draft, &work.wrong, work.check_at).session().steps);
    draft.wrong_why = shipped.wrong_why.clone();
    // The words.
    draft.id = shipped.id.clone();
    draft.chapter = shipped.chapter.to_string();
    draft.title = shipped.title.clone();
    draft.brief = shipped.brief.clone();
    draft.hints = shipped.hints.clone();
    (draft, offered)
}

#[test]
fn three_shipped_lessons_recreated_in_the_builder_are_the_shipped_lessons() {
    for id in [
        "leave-nothing-billing",
        "capacity-providers-scale-their-own-tasks",
        "hpa-scales-pods-the-autoscaler-nodes",
    ] {
        let (draft, _) = recreate(id);
        let built = draft.check().unwrap_or_else(|p| panic!("{id}: {p:?}"));
        let shipped = lessons::lesson(id).unwrap();
        assert_eq!(
            Lesson {
                content_hash: String::new(),
                ..built.clone()
            },
            Lesson {
                content_hash: String::new(),
                ..shipped.clone()
            },
            "{id}"
        );
        // And the exported file reads back as the same draft.
        let again = Draft::from_value(&serde_json::from_str(&draft.to_json()).unwrap()).unwrap();
        assert_eq!(again, draft, "{id}");
    }
}

#[test]
fn a_lesson_that_fails_its_own_check_cannot_be_exported() {
    let (mut draft, _) = recreate("leave-nothing-billing");
    // The wrong answer made the solution: the wrong answer meets the goal.
    draft.wrong = draft.solution.clone();
    let problems = draft.check().unwrap_err();
    assert!(
        problems.iter().any(|p| p.contains("wrong answer")),
        "{problems:?}"
    );
    // A goal the start already meets teaches nothing.
    let (mut draft, _) = recreate("leave-nothing-billing");
    draft.goal = vec![json!({ "is": "nothingBilling" })];
    draft.solution.clear();
    assert!(draft.check().is_err());
    // Words that would be markup are refused, naming the field.
    let (mut draft, _) = recreate("leave-nothing-billing");
    draft.title = "<b>bold</b>".into();
    assert_eq!(
        draft.check().unwrap_err(),
        ["title: looks like HTML; a pack's text is shown as plain text (write < followed by a space, or the words)"]
    );
}

#[test]
fn every_shipped_sandbox_lesson_opens_in_the_builder_unchanged() {
    for lesson in lessons::lessons() {
        match Draft::of_shipped(&lesson.id) {
            Ok(draft) => {
                let built = draft
                    .check()
                    .unwrap_or_else(|p| panic!("{}: {p:?}", lesson.id));
                assert_eq!(built.content_hash, lesson.content_hash, "{}", lesson.id);
            }
            Err(why) => assert!(lesson.registry().is_some(), "{}: {why}", lesson.id),
        }
    }
}

#[test]
fn every_kind_of_condition_has_an_example_from_a_shipped_lesson() {
    let kinds: Vec<String> = examples()
        .iter()
        .map(|c| c["is"].as_str().unwrap().to_string())
        .collect();
    for kind in [
        "tasksRunning",
        "call",
        "fileSeen",
        "containerMemory",
        "podStorage",
        "nothingBilling",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
}

/// Every shipped troubleshooting lesson's failure is among what the builder
/// offers from its start, and the lesson, given the offered failure in its
/// place, still passes its check.
#[test]
fn every_shipped_broken_start_is_offered_and_the_offer_teaches() {
    let mut seen = 0;
    for lesson in lessons::lessons().iter().filter(|l| l.broken.is_some()) {
        let mut draft = Draft::of_shipped(&lesson.id).unwrap();
        let shipped = draft.broken.clone().unwrap();
        let offers = broken_offers(&draft);
        let key = ["family", "service", "deployment"]
            .into_iter()
            .find(|k| shipped.get(*k).is_some())
            .unwrap();
        let offer = offers
            .iter()
            .find(|o| {
                o.get(key) == shipped.get(key)
                    && o.get("launchFailsWith").is_some()
                        == shipped.get("launchFailsWith").is_some()
            })
            .unwrap_or_else(|| panic!("{}: {shipped} not among {offers:?}", lesson.id));
        assert!(!describe_broken(offer).is_empty());
        draft.broken = Some(offer.clone());
        if let Err(problems) = draft.check() {
            panic!("{}: with {offer}: {problems:?}", lesson.id);
        }
        seen += 1;
    }
    assert!(seen >= 8, "{seen} broken lessons");
}
