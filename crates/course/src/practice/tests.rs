//! The shipped questions: enough of them per chapter, well formed, each
//! claim held to the model; the reader's refusals; the review schedule.

use super::review::{Record, BOX_DAYS};
use super::*;
use crate::CHAPTERS;

#[test]
fn every_chapter_has_ten_questions_some_with_several_answers() {
    for chapter in CHAPTERS {
        let mine = of_chapter(chapter.slug);
        assert!(
            mine.len() >= 10,
            "{}: {} questions",
            chapter.slug,
            mine.len()
        );
        let multiple = mine.iter().filter(|q| q.multiple()).count();
        assert!(
            multiple >= 3,
            "{}: {multiple} multiple-answer questions",
            chapter.slug
        );
        // The right answer is not always in the same place.
        let firsts: std::collections::BTreeSet<usize> = mine.iter().map(|q| q.answer[0]).collect();
        assert!(
            firsts.len() >= 2,
            "{}: every answer starts at {firsts:?}",
            chapter.slug
        );
    }
}

#[test]
fn every_claim_a_question_makes_is_what_the_model_decides() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for question in questions() {
        if let Some(claim) = &question.claim {
            checked += 1;
            if let Err(why) = claim.check() {
                wrong.push(format!("{}: {why}", question.id));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        checked >= 20,
        "only {checked} questions claim a rule the model decides"
    );
}

#[test]
fn ids_are_unique_across_the_course() {
    let mut seen = std::collections::BTreeSet::new();
    for question in questions() {
        assert!(seen.insert(&question.id), "{} twice", question.id);
    }
}

#[test]
fn a_bad_question_file_is_refused_naming_the_question_and_field() {
    let good = r#"{"id": "fargate-x", "ask": "Which?", "choices": ["a", "b", "c"], "answer": [1], "explain": "Because."}"#;
    let file =
        |items: &str| format!(r#"{{"questions": 1, "chapter": "fargate", "items": [{items}]}}"#);
    assert_eq!(parse("fargate", &file(good)).unwrap().len(), 1);
    let cases = [
        (good.replace("[1]", "[3]"), "items[0].answer: each is a choice's index, 0 to 2"),
        (good.replace("[1]", "[0, 1]"), "items[0].ask: a multiple-answer question says \"(Choose 2.)\""),
        (good.replace("fargate-x", "ecr-x"), "items[0].id: \"ecr-x\" is lowercase letters, digits and -, starting with fargate"),
        (good.replace("\"explain\"", "\"explian\""), "items[0].explian: not a field of a question"),
        (good.replace("}", r#", "sandbox": "nowhere"}"#), "items[0].sandbox: \"nowhere\" is not a shipped scenario"),
        (good.replace("}", r#", "claim": {"is": "whoCalls", "platform": "Moon", "call": "ShipLogs", "principal": "TaskRole"}}"#),
            "items[0].claim.platform: \"Moon\" is not one of EcsOnFargate, EcsOnEc2, EksOnEc2Nodes, EksOnFargate"),
    ];
    for (item, expected) in cases {
        assert_eq!(
            parse("fargate", &file(&item)).unwrap_err(),
            expected,
            "{item}"
        );
    }
    assert_eq!(
        parse("fargate", &file(&format!("{good}, {good}"))).unwrap_err(),
        "items[1].id: fargate-x is used twice"
    );
    assert!(parse("ecr", &file(good))
        .unwrap_err()
        .starts_with("chapter:"));
}

#[test]
fn a_claim_the_model_contradicts_is_caught() {
    let claim = claims::Claim::parse(&serde_json::json!({
        "is": "whoCalls", "platform": "EcsOnFargate", "call": "PullPrivateEcrImage", "principal": "ContainerInstanceRole"
    }))
    .unwrap();
    let said = claim.check().unwrap_err();
    assert!(
        said.starts_with("the model says TaskExecutionRole, not ContainerInstanceRole"),
        "{said}"
    );
    let size = claims::Claim::parse(
        &serde_json::json!({"is": "fargateSize", "cpu": 256, "memory": 4096, "valid": true}),
    )
    .unwrap();
    assert!(size.check().is_err());
}

#[test]
fn a_missed_question_comes_back_the_next_day_and_later_ever_less_often() {
    let id = questions()[0].id.clone();
    let mut record = Record::default();
    record.answer(&id, false, 100);
    assert!(record.due(100).is_empty(), "not again the same day");
    assert_eq!(record.due(101), [id.as_str()]);
    let mut day = 101;
    for bin in 2..=5 {
        record.answer(&id, true, day);
        let wait = BOX_DAYS[bin - 1];
        assert!(record.due(day + wait - 1).is_empty(), "box {bin}");
        assert_eq!(record.due(day + wait), [id.as_str()], "box {bin}");
        day += wait;
    }
    // A new question answered right first time waits three days.
    let other = questions()[1].id.clone();
    record.answer(&other, true, 200);
    assert_eq!(record.cards[&other].bin, 2);
    assert!(record.due(202).iter().all(|id| *id != other));
    assert!(record.due(203).contains(&other.as_str()));
    // Wrong again: back to the first box.
    record.answer(&id, false, day);
    assert_eq!(record.cards[&id].bin, 1);
    assert_eq!(record.due(day + 1), [id.as_str()]);
}

#[test]
fn a_saved_record_is_read_as_untrusted() {
    let id = &questions()[0].id;
    let saved = format!(
        r#"{{"cards": {{"{id}": {{"box": 2, "due": 5, "right": 1, "wrong": 1}}, "gone-question": {{"box": 1, "due": 1, "right": 0, "wrong": 1}}, "{id}x": {{"box": 9, "due": 1, "right": 0, "wrong": 0}}}}}}"#
    );
    let record = Record::parse(&saved).unwrap();
    assert_eq!(record.cards.len(), 1, "unknown ids dropped");
    assert_eq!(Record::parse(&record.to_json()).unwrap(), record);
    assert!(Record::parse("{\"cards\": 3}").is_err());
    assert!(Record::parse(&"x".repeat(300 * 1024)).is_err());
}

#[test]
fn an_exam_asks_every_chapter_and_the_same_seed_gives_the_same_exam() {
    use super::exam::{Exam, QUESTIONS, TASKS};
    let none = std::collections::BTreeSet::new();
    let exam = Exam::draw(42, 1_000, &none);
    assert_eq!(exam, Exam::draw(42, 1_000, &none));
    assert_ne!(exam.questions, Exam::draw(43, 1_000, &none).questions);
    assert_eq!(exam.questions.len(), QUESTIONS);
    assert_eq!(exam.tasks.len(), TASKS);
    let unique: std::collections::BTreeSet<&String> = exam.questions.iter().collect();
    assert_eq!(unique.len(), QUESTIONS, "no question twice");
    for chapter in CHAPTERS {
        assert!(
            exam.questions
                .iter()
                .any(|id| question(id).unwrap().chapter == chapter.slug),
            "no question on {}",
            chapter.slug
        );
    }
    for task in &exam.tasks {
        assert!(
            crate::lessons::lesson(task).unwrap().sandbox().is_some(),
            "{task}"
        );
    }
    // Lessons already done are not set as tasks.
    let done: std::collections::BTreeSet<String> = exam.tasks.iter().cloned().collect();
    let next = Exam::draw(42, 1_000, &done);
    assert!(
        next.tasks.iter().all(|t| !done.contains(t)),
        "{:?}",
        next.tasks
    );
}

#[test]
fn an_exam_is_scored_by_weight_and_closes_when_its_time_is_up() {
    use super::exam::{Exam, QUESTION_POINTS, TASK_POINTS};
    let mut done = std::collections::BTreeSet::new();
    let mut exam = Exam::draw(7, 0, &done);
    let total =
        exam.questions.len() as u32 * QUESTION_POINTS + exam.tasks.len() as u32 * TASK_POINTS;
    assert_eq!(exam.score(&done).points, 0);
    assert_eq!(exam.score(&done).total, total);
    let first = question(&exam.questions[0]).unwrap();
    let second = question(&exam.questions[1]).unwrap();
    exam.choose(&first.id, first.answer.clone(), 1);
    let wrong: Vec<usize> = (0..second.choices.len())
        .filter(|i| !second.answer.contains(i))
        .take(1)
        .collect();
    exam.choose(&second.id, wrong, 1);
    done.insert(exam.tasks[0].clone());
    let score = exam.score(&done);
    assert_eq!(score.points, QUESTION_POINTS + TASK_POINTS);
    assert_eq!(score.questions[0], (first.id.clone(), true));
    assert_eq!(score.questions[1], (second.id.clone(), false));
    assert!(score.tasks[0].1);
    // A task done before the exam does not count.
    let mut before = Exam::draw(7, 0, &done);
    before.tasks = vec![exam.tasks[0].clone()];
    assert!(!before.score(&done).tasks[0].1);
    // Out of time: over, and choices are no longer taken.
    let end = exam.allowed_ms();
    assert!(!exam.over(end - 1));
    assert!(exam.over(end));
    exam.choose(&second.id, second.answer.clone(), end);
    assert!(!exam.score(&done).questions[1].1);
    // Kept and read back; a tampered one is refused.
    assert_eq!(super::exam::Exam::parse(&exam.to_json()).unwrap(), exam);
    let tampered = exam.to_json().replace(&first.id, "no-such-question");
    assert!(super::exam::Exam::parse(&tampered)
        .unwrap_err()
        .contains("no-such-question"));
}
