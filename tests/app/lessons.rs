//! A sandbox lesson judged on the world, with its progress kept.

use super::*;

/// Issue 6: a lesson beside its sandbox. The goal is judged on the world
/// after each change and each minute; meeting it marks the lesson done on
/// the course map, which survives a reload.
#[wasm_bindgen_test]
async fn a_lesson_is_judged_on_the_world_and_its_progress_kept() {
    let _turn = take_turn().await;
    let id = "pods-on-a-fargate-profile";
    storage().remove_item(&Key::Lesson(id).name()).unwrap();
    storage().remove_item(&Key::Progress.name()).unwrap();
    set_hash(&format!("#/lesson/{id}"));
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the lesson", || {
        root.query_selector(".lesson-panel .condition.unmet")
            .unwrap()
            .is_some()
    })
    .await;
    // A plausible wrong answer first: a profile alone matches only pods
    // created after it, so the two Pending pods stay Pending.
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea[name=command-text]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let run = |text: &str| {
        area.set_value(text);
        area.dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    };
    run(
        r#"{"do": "createFargateProfile", "cluster": "jobs", "name": "web-profile", "namespace": "default"}"#,
    );
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.run-command");
    for _ in 0..3 {
        click(&root, "button.step");
    }
    wait_for("three minutes", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:03:00")
    })
    .await;
    assert!(root
        .query_selector(".lesson-panel .condition.unmet")
        .unwrap()
        .is_some());
    assert!(text_of(&root, ".goal-met").is_none());
    // Recreate the pods, as the hints say: new pods meet the profile.
    for replicas in [0, 2] {
        run(&format!(
            r#"{{"do": "scaleDeployment", "deployment": "web", "replicas": {replicas}}}"#
        ));
        yew::platform::time::sleep(Duration::from_millis(50)).await;
        click(&root, "button.run-command");
    }
    for _ in 0..3 {
        click(&root, "button.step");
    }
    wait_for("the goal met", || {
        text_of(&root, ".goal-met")
            .unwrap_or_default()
            .starts_with("Goal met")
    })
    .await;
    let condition = text_of(&root, ".lesson-panel .condition.met").unwrap();
    assert!(
        condition.contains("Deployment web has at least 2 pods Running on Fargate"),
        "{condition}"
    );
    let saved = storage().get_item(&Key::Progress.name()).unwrap().unwrap();
    assert!(saved.contains(id), "{saved}");
    // A hint read here is this lesson's: the next lesson starts with none.
    click(&root, "button.hint");
    wait_for("a hint", || text_of(&root, ".hints").is_some()).await;
    set_hash("#/lesson/fargate-sizes-pods-with-overhead");
    wait_for("the next lesson", || {
        text_of(&root, "#lesson-title").unwrap_or_default()
            == "Fargate sizes a pod from its requests, plus 256 MiB"
    })
    .await;
    assert!(text_of(&root, ".hints").is_none());
    assert!(text_of(&root, ".goal-met").is_none());
    app.destroy();

    // The course map, after a reload: done, and the next lesson named.
    set_hash("#/lessons");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the course map", || {
        root.query_selector(".map-lesson.done").unwrap().is_some()
    })
    .await;
    assert!(text_of(&root, ".map-lesson.done")
        .unwrap()
        .contains("Pods run on Fargate only through a profile"));
    assert!(text_of(&root, ".map-lesson.next")
        .unwrap()
        .contains("latest is a tag, not a promise"));
    app.destroy();
    // And the lesson's own work is there too.
    set_hash(&format!("#/lesson/{id}"));
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the lesson restored", || {
        text_of(&root, ".session-count").unwrap_or_default() == "3 changes of yours"
    })
    .await;
    assert!(text_of(&root, ".goal-met").is_some());
    app.destroy();
}

/// Issue 20: importing progress adds to what is done here (an older file
/// does not take lessons away), says what it did beside the button, and a
/// file that is not progress gets its reason there too.
#[wasm_bindgen_test]
async fn imported_progress_is_added_and_answered_beside_the_button() {
    let _turn = take_turn().await;
    let here = [
        "a-boundary-caps-the-task-role",
        "a-service-keeps-its-tasks",
        "a-task-role-for-the-app",
    ];
    storage()
        .set_item(
            &Key::Progress.name(),
            &serde_json::json!({"progress": 1, "done": here}).to_string(),
        )
        .unwrap();
    set_hash("#/lessons");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    let done = || {
        root.query_selector_all(".map-lesson.done")
            .unwrap()
            .length()
    };
    wait_for("three done", || done() == 3).await;
    let older = r#"{"progress": 1, "done": ["a-task-role-for-the-app", "an-scp-keeps-the-account-in-one-region"]}"#;
    choose_file(&root, ".course-map label.import input", "older.json", older);
    wait_for("four done", || done() == 4).await;
    let answer = || {
        root.query_selector(".checker-actions + .sandbox-message")
            .unwrap()
            .and_then(|m| m.text_content())
            .unwrap_or_default()
    };
    assert_eq!(
        answer(),
        "Imported: 1 lesson added to the 3 done here; 4 lessons done in all."
    );
    let saved = storage().get_item(&Key::Progress.name()).unwrap().unwrap();
    for id in here {
        assert!(saved.contains(id), "{saved}");
    }
    choose_file(
        &root,
        ".course-map label.import input",
        "notes.txt",
        "hello",
    );
    wait_for("the refusal", || {
        answer().contains("is not Dockyard progress")
    })
    .await;
    assert!(
        answer().ends_with("your progress is unchanged."),
        "{}",
        answer()
    );
    assert_eq!(done(), 4);
    app.destroy();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_lesson_opened_from_low_in_the_course_map_starts_at_its_top_with_focus_on_its_heading() {
    let _turn = take_turn().await;
    set_hash("#/lessons");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the course map", || {
        root.query_selector(".course-map a[href*='lesson/']")
            .unwrap()
            .is_some()
    })
    .await;
    let links = root
        .query_selector_all(".course-map a[href*='lesson/']")
        .unwrap();
    let last: HtmlElement = links.item(links.length() - 1).unwrap().dyn_into().unwrap();
    let window = web_sys::window().unwrap();
    last.scroll_into_view();
    wait_for("the map scrolled down", || {
        window.scroll_y().unwrap() > 200.0
    })
    .await;
    last.focus().unwrap();
    last.click();
    wait_for("the lesson", || {
        root.query_selector("#sandbox-heading").unwrap().is_some()
    })
    .await;
    // Focus moves once the new page has drawn; at most two seconds.
    for _ in 0..200 {
        if document()
            .active_element()
            .is_some_and(|e| e.id() == "sandbox-heading")
        {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        window.scroll_y().unwrap(),
        0.0,
        "the lesson opened scrolled down"
    );
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        focused.id(),
        "sandbox-heading",
        "focus is on <{}> {:?}, not on the lesson's heading",
        focused.tag_name(),
        focused.text_content()
    );
    app.destroy();
}

/// Issue 22: the practice record travels in the progress file. Importing
/// one adds its answers to the record kept here (the longer history wins
/// per question), and says so beside the button.
#[wasm_bindgen_test]
async fn imported_progress_brings_its_practice_answers() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    let ids: Vec<&str> = dockyard_course::practice::questions()
        .iter()
        .take(2)
        .map(|q| q.id.as_str())
        .collect();
    set_hash("#/lessons");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the course map", || {
        root.query_selector(".course-map label.import input")
            .unwrap()
            .is_some()
    })
    .await;
    let file = serde_json::json!({
        "progress": 1,
        "done": [],
        "practice": {"cards": {
            ids[0]: {"box": 1, "due": 20000, "right": 0, "wrong": 1},
            ids[1]: {"box": 3, "due": 20010, "right": 2, "wrong": 0},
        }}
    })
    .to_string();
    choose_file(
        &root,
        ".course-map label.import input",
        "progress.json",
        &file,
    );
    let answer = || {
        root.query_selector(".checker-actions + .sandbox-message")
            .unwrap()
            .and_then(|m| m.text_content())
            .unwrap_or_default()
    };
    wait_for("the import's answer", || answer().contains("Practice:")).await;
    assert!(
        answer().ends_with("Practice: 2 answered questions taken from the file."),
        "{}",
        answer()
    );
    let saved = storage().get_item(&Key::Practice.name()).unwrap().unwrap();
    let record = dockyard_course::practice::review::Record::parse(&saved).unwrap();
    assert_eq!(record.cards.len(), 2);
    assert_eq!(record.cards[ids[1]].right, 2);
    app.destroy();
    storage().clear().unwrap();
}
