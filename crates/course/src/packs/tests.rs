//! A pack is read defensively and its lessons verified as the shipped
//! ones are: hostile packs are refused with the field at fault, and a
//! lesson that does not teach is named with why.

use super::*;

const EXAMPLE: &str = include_str!("../../../../packs/example.pack.json");

/// The example pack with `edit` applied to its JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(EXAMPLE).unwrap();
    edit(&mut value);
    value.to_string()
}

fn refused(text: &str) -> String {
    Pack::parse(text).expect_err("refused")
}

#[test]
fn the_example_pack_reads_and_every_lesson_teaches() {
    let pack = Pack::parse(EXAMPLE).unwrap();
    assert_eq!(pack.id, "example");
    assert!(pack.lessons.len() >= 2);
    assert_eq!(pack.verify(), Vec::new());
}

#[test]
fn a_lesson_that_does_not_teach_is_named_with_why() {
    // The solution is the wrong answer: the goal is not met by it.
    let text = edited(|pack| {
        let lesson = &mut pack["lessons"][0];
        lesson["solution"] = lesson["wrong"]["steps"].clone();
    });
    let unverified = Pack::parse(&text).unwrap().verify();
    assert_eq!(unverified.len(), 1, "{unverified:?}");
    assert_eq!(unverified[0].lesson, "three-tasks-on-fargate");
    assert!(
        unverified[0]
            .problems
            .iter()
            .any(|p| p.starts_with("the solution does not meet the goal")),
        "{unverified:?}"
    );
    // A goal the start already meets teaches nothing either.
    let text = edited(|pack| {
        pack["lessons"][0]["goal"][0]["atLeast"] = serde_json::json!(0);
    });
    let unverified = Pack::parse(&text).unwrap().verify();
    assert!(
        unverified[0]
            .problems
            .iter()
            .any(|p| p == "the start already meets the goal"),
        "{unverified:?}"
    );
}

#[test]
fn hostile_packs_are_refused_with_the_field_at_fault() {
    let cases: Vec<(String, &str)> = vec![
        ("x".repeat(MAX_PACK_BYTES + 1), "a pack is at most 512 KB"),
        (
            format!("{}1{}", "[".repeat(40), "]".repeat(40)),
            "nests deeper than 24 levels",
        ),
        ("{\"pack\": 1, \"pack\": 1}".into(), "pack"),
        ("[]".into(), "a pack is a JSON object"),
        (
            edited(|p| p["pack"] = serde_json::json!(2)),
            "pack: expected format version 1",
        ),
        (
            edited(|p| p["script"] = serde_json::json!("alert(1)")),
            "script: not a pack field",
        ),
        (
            edited(|p| p["id"] = serde_json::json!("../../etc")),
            "id: \"../../etc\" is not an id",
        ),
        (
            edited(|p| p["title"] = serde_json::json!("<img src=x onerror=alert(1)>")),
            "title: looks like HTML",
        ),
        (
            edited(|p| {
                p["lessons"][0]["brief"] =
                    serde_json::json!("Click <a href='javascript:alert(1)'>here</a>")
            }),
            "lessons[0].brief: looks like HTML",
        ),
        (
            edited(|p| {
                p["lessons"][1]["hints"][0] =
                    serde_json::json!("</script><script>alert(1)</script>")
            }),
            "lessons[1].hints[0]: looks like HTML",
        ),
        (
            edited(|p| {
                let first = p["lessons"][0]["id"].clone();
                p["lessons"][1]["id"] = first;
            }),
            "lessons[1].id: \"three-tasks-on-fargate\" is the id of lessons[0] too",
        ),
        (
            // A registry condition in a sandbox lesson.
            edited(|p| {
                p["lessons"][0]["goal"][0] =
                    serde_json::json!({"is": "repository", "repository": "web"})
            }),
            "lessons[0].goal[0]",
        ),
        (
            edited(|p| p["lessons"][0]["goal"][0] = serde_json::json!({"is": "rootAccess"})),
            "lessons[0].goal[0]: is: expected",
        ),
        (
            edited(|p| p["lessons"][0]["scenario"] = serde_json::json!("no-such-scenario")),
            "lessons[0].scenario: there is no scenario",
        ),
        (
            // Judged a year on: the simulation would run for minutes.
            edited(|p| p["lessons"][0]["checkAt"] = serde_json::json!(31_536_000)),
            "lessons[0].checkAt: 31536000 seconds; a lesson is judged within 86400",
        ),
        (
            edited(|p| p["lessons"] = serde_json::json!([])),
            "lessons: a pack has at least one lesson",
        ),
        (
            edited(|p| {
                let one = p["lessons"][0].clone();
                p["lessons"] = Value::Array(vec![one; MAX_LESSONS + 1]);
            }),
            "a pack has at most 100",
        ),
        (
            edited(|p| {
                p["lessons"][0]["brief"] = serde_json::json!("a".repeat(MAX_TEXT_CHARS + 1))
            }),
            "lessons[0].brief: longer than 4000 characters",
        ),
    ];
    for (text, expected) in cases {
        let error = refused(&text);
        assert!(
            error.contains(expected),
            "expected {expected:?} in {error:?}"
        );
    }
}

#[test]
fn text_that_only_mentions_a_less_than_sign_is_plain_text() {
    let text = edited(|p| {
        p["lessons"][0]["brief"] = serde_json::json!("Keep CPU < 50% and memory <= 1 GB.")
    });
    assert!(Pack::parse(&text).is_ok());
}
