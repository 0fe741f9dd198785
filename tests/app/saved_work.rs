//! Work saved under the old storage keys is found after the move to the new ones.

use super::*;

/// Issue 14: what learners saved before the keys were renamed is moved to
/// the new names when the app starts, and each page finds its work there.
#[wasm_bindgen_test]
async fn work_saved_under_the_old_keys_is_found_after_the_move() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-1c"}"#).unwrap());
    let id = "pods-on-a-fargate-profile";
    let lesson = dockyard_course::lessons::lesson(id).unwrap();
    let work = lesson.sandbox().unwrap();
    let mut lesson_session = dockyard_course::session::Session::for_lesson(id, work);
    lesson_session.steps = work.solution.clone();
    let old_lesson = format!("dockyard.lesson.{id}");
    let old = [
        ("dockyard.v1", r#"{"lastChapter":"ecr","theme":"dark"}"#.to_string()),
        ("dockyard.sandbox.v1", session.to_json()),
        ("dockyard.progress.v1", format!(r#"{{"done":["{id}"],"progress":1}}"#)),
        (
            "dockyard.registries.v1",
            r#"{"actions":[{"do":"createRepository","immutable":true,"name":"shop/web","scanOnPush":true},{"content":"web build 1","do":"push","repository":"shop/web","tag":"v1"}],"registryDesk":1}"#.to_string(),
        ),
        ("dockyard.v1.editor", "{\"family\": \"kept-from-v1\"".to_string()),
        (old_lesson.as_str(), lesson_session.to_json()),
    ];
    for (key, value) in &old {
        storage().set_item(key, value).unwrap();
    }

    // The remembered chapter and theme.
    set_hash("");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the remembered chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("Amazon ECR")
    })
    .await;
    app.destroy();
    for (key, _) in &old {
        assert_eq!(
            storage().get_item(key).unwrap(),
            None,
            "{key} was not moved"
        );
    }
    assert_eq!(
        storage().get_item(&Key::Sandbox.name()).unwrap(),
        Some(session.to_json())
    );

    // The sandbox's change, the registry's image, the editor's text.
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    assert_eq!(
        text_of(&root, ".session-count").as_deref(),
        Some("1 change of yours")
    );
    app.destroy();
    let (root, app) = open_registries().await;
    assert!(text_of(&root, ".repository h3")
        .unwrap_or_default()
        .starts_with("shop/web"));
    assert_eq!(
        text_of(&root, ".repository tbody td:nth-child(2)").as_deref(),
        Some("v1")
    );
    app.destroy();
    set_hash("#/editor");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the editor's saved text", || {
        root.query_selector("textarea")
            .unwrap()
            .and_then(|area| area.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .is_some_and(|area| area.value().contains("kept-from-v1"))
    })
    .await;
    app.destroy();

    // The lesson done on the course map, and the lesson's own work.
    set_hash("#/lessons");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the lesson done", || {
        text_of(&root, ".map-lesson.done")
            .unwrap_or_default()
            .contains("Pods run on Fargate only through a profile")
    })
    .await;
    app.destroy();
    let (root, app) = open_sandbox(&format!("#/lesson/{id}")).await;
    let changes = work.solution.len();
    assert_eq!(
        text_of(&root, ".session-count").unwrap_or_default(),
        format!("{changes} changes of yours")
    );
    app.destroy();
    storage().clear().unwrap();
}
