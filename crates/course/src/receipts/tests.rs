//! A receipt replays to the goal when its answer solves the lesson, and is
//! flagged when its transcript was tampered with or its lesson changed.

use super::*;
use crate::lessons::lessons;

fn shipped(id: &str) -> Option<&'static Lesson> {
    crate::lessons::lesson(id)
}

#[test]
fn every_shipped_solution_makes_a_receipt_that_replays_and_every_wrong_answer_one_that_does_not() {
    for lesson in lessons() {
        let receipt = Receipt::new(lesson, "Ada Lovelace", &lesson.solution(), 1);
        assert_eq!(Receipt::parse(&receipt.to_json()), Ok(receipt.clone()));
        assert_eq!(receipt.check(shipped), Verdict::Completed, "{}", lesson.id);
        let wrong = Receipt::new(lesson, "Ada Lovelace", &lesson.wrong(), 0);
        assert!(
            matches!(wrong.check(shipped), Verdict::NotMet(_)),
            "{}: the wrong answer replays to the goal",
            lesson.id
        );
    }
}

#[test]
fn a_tampered_transcript_and_another_lesson_version_are_flagged() {
    let lesson = shipped("leave-nothing-billing").unwrap();
    let receipt = Receipt::new(lesson, "Grace Hopper", &lesson.solution(), 2);

    // A step taken out of the transcript: the goal is not met on replay.
    let mut tampered = receipt.clone();
    tampered.answer.as_array_mut().unwrap().pop();
    match tampered.check(shipped) {
        Verdict::NotMet(words) => assert!(words.contains("still billing"), "{words}"),
        other => panic!("{other:?}"),
    }

    // The same answer on an edited lesson (its goal changed).
    let mut value: Value = serde_json::from_str(
        crate::lessons::LESSON_FILES
            .iter()
            .find(|(id, _)| *id == "leave-nothing-billing")
            .unwrap()
            .1,
    )
    .unwrap();
    value["brief"] = json!("A different brief.");
    let edited = Lesson::from_value(&value).unwrap();
    assert_ne!(edited.content_hash, lesson.content_hash);
    assert_eq!(receipt.check(|_| Some(&edited)), Verdict::LessonDiffers);

    let mut unknown = receipt.clone();
    unknown.lesson = "no-such-lesson".into();
    assert_eq!(unknown.check(shipped), Verdict::UnknownLesson);
}

#[test]
fn the_content_hash_ignores_key_order_and_spacing_but_not_content() {
    let a: Value = serde_json::from_str(r#"{"b": [1, {"y": 2, "x": "é"}], "a": true}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{ "a":true,"b":[1,{"x":"é","y":2}] }"#).unwrap();
    let c: Value = serde_json::from_str(r#"{"a": true, "b": [1, {"x": "é", "y": 3}]}"#).unwrap();
    assert_eq!(content_hash(&a), content_hash(&b));
    assert_ne!(content_hash(&a), content_hash(&c));
    assert_eq!(content_hash(&a).len(), 16);
}

#[test]
fn a_bad_receipt_is_refused_by_field() {
    let lesson = shipped("run-a-service-on-fargate").unwrap();
    let good: Value =
        serde_json::from_str(&Receipt::new(lesson, "Ada", &lesson.solution(), 0).to_json())
            .unwrap();
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut value = good.clone();
        edit(&mut value);
        Receipt::parse(&value.to_string()).expect_err("refused")
    };
    assert!(edited(&|v| v["receipt"] = json!(2)).starts_with("receipt:"));
    assert!(edited(&|v| v["name"] = json!("  ")).starts_with("name:"));
    assert!(edited(&|v| v["seed"] = json!(-1)).starts_with("seed:"));
    assert!(edited(&|v| v["answer"] = json!({})).starts_with("answer:"));
    assert!(edited(&|v| v["grade"] = json!("A")).starts_with("grade: not a receipt field"));
    assert!(Receipt::parse(&"x".repeat(MAX_RECEIPT_BYTES + 1))
        .unwrap_err()
        .contains("at most 256 KB"));
    // An answer of the wrong kind is read, and said to be unreadable.
    let mut wrong_kind = Receipt::parse(&good.to_string()).unwrap();
    wrong_kind.answer = json!([{"do": "push", "repository": "web", "tag": "1"}]);
    assert!(matches!(wrong_kind.check(shipped), Verdict::Unreadable(_)));
}

/// The seed is tied to the name: every shipped solution meets its goal
/// from its learner's name's seed; a receipt whose name was edited names
/// another name's seed, and says so; renamed properly, it is this name's.
#[test]
fn the_seed_is_the_names_and_an_edited_name_shows() {
    let mut named = 0;
    for lesson in lessons() {
        let receipt = Receipt::new(lesson, "Ada Lovelace", &lesson.solution(), 0);
        match lesson.sandbox() {
            Some(work) => {
                assert_ne!(receipt.seed, work.start().seed, "{}", lesson.id);
                assert_eq!(receipt.seed_tie(lesson), SeedTie::Named, "{}", lesson.id);
                named += 1;
            }
            None => assert_eq!(receipt.seed_tie(lesson), SeedTie::LessonOwn),
        }
        let mut copied = receipt.clone();
        copied.name = "Charles Babbage".into();
        if lesson.sandbox().is_some() {
            assert_eq!(copied.seed_tie(lesson), SeedTie::OtherName, "{}", lesson.id);
            // It still replays: the seed proves nothing about the answer.
            assert_eq!(copied.check(shipped), Verdict::Completed, "{}", lesson.id);
        }
        copied.rename(lesson, "Charles Babbage");
        assert_ne!(copied.seed_tie(lesson), SeedTie::OtherName, "{}", lesson.id);
    }
    assert!(named >= 20, "{named} sandbox lessons");
    // The name is read as typed, give or take case and spaces.
    assert_eq!(name_seed(7, " Ada Lovelace "), name_seed(7, "ada lovelace"));
    assert_ne!(name_seed(7, "Ada"), name_seed(8, "Ada"));
}
