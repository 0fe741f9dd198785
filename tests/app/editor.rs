//! The task definition editor: attaching volumes, and which ones Fargate refuses.

use super::*;

/// Issue 5's volumes: attach a kind Fargate refuses and read why beside it,
/// remove it, attach EFS instead; the JSON follows the form.
#[wasm_bindgen_test]
async fn the_editor_attaches_volumes_and_says_which_fargate_refuses() {
    let _turn = take_turn().await;
    storage()
        .set_item(
            &Key::Editor.name(),
            r#"{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
                "cpu": "256", "memory": "512", "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
                "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true}]}"#,
        )
        .unwrap();
    set_hash("#/editor");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the editor", || {
        root.query_selector("button.attach").unwrap().is_some()
    })
    .await;
    // Index 2 of ATTACHABLE: a task-scoped Docker volume.
    choose(&root, "select[name=volume-kind]", "2");
    choose(&root, "input[name=volume-name]", "scratch");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.attach");
    wait_for("the refusal beside the volume", || {
        text_of(&root, ".volume-row .findings")
            .unwrap_or_default()
            .contains("volume-fargate")
    })
    .await;
    let row = text_of(&root, ".volume-row").unwrap();
    assert!(
        row.contains("Docker volume, task scope; mounted by app at /data"),
        "{row}"
    );
    assert!(
        row.contains("Fargate Linux: no. Fargate does not support dockerVolumeConfiguration."),
        "{row}"
    );
    assert!(text_of(&root, ".checker-summary")
        .unwrap()
        .contains("1 error"));
    click(&root, "button.detach");
    wait_for("the volume gone", || {
        root.query_selector(".volume-row").unwrap().is_none()
    })
    .await;
    // Index 4: EFS, which Fargate (platform 1.4.0+) accepts.
    choose(&root, "select[name=volume-kind]", "4");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.attach");
    wait_for("EFS attached", || {
        text_of(&root, ".volume-row")
            .unwrap_or_default()
            .contains("Amazon EFS")
    })
    .await;
    assert!(text_of(&root, ".checker-summary")
        .unwrap()
        .contains("Valid"));
    let json: web_sys::HtmlTextAreaElement = root
        .query_selector(".editor-text")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(json.value().contains("\"efsVolumeConfiguration\""));
    assert!(json.value().contains("\"sourceVolume\": \"scratch\""));

    // The container's lists from the form: environment, and a log driver
    // whose missing options the validator names beside the container.
    let textarea = |selector: &str, value: &str| {
        let area: web_sys::HtmlTextAreaElement = root
            .query_selector(selector)
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        area.set_value(value);
        area.dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    };
    textarea(
        "textarea[name=c0-environment]",
        "MODE=prod\nREGION=us-east-1",
    );
    wait_for("the environment in the JSON", || {
        json.value().contains("\"REGION\"")
    })
    .await;
    choose(&root, "select[name=c0-log-driver]", "awslogs");
    wait_for("the awslogs finding", || {
        text_of(&root, ".container-fields .findings")
            .unwrap_or_default()
            .contains("awslogs-group")
    })
    .await;
    textarea(
        "textarea[name=c0-log-options]",
        "awslogs-group=/ecs/web\nawslogs-region=us-east-1\nawslogs-stream-prefix=web",
    );
    wait_for("valid again", || {
        text_of(&root, ".checker-summary")
            .unwrap_or_default()
            .contains("Valid")
    })
    .await;
    app.destroy();
    storage().remove_item(&Key::Editor.name()).unwrap();
}

fn editor_text(root: &Element) -> String {
    root.query_selector("#editor-text")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value()
}

/// Issue 20, item 2: an import that is no task definition (empty, binary,
/// over 64 KiB, not JSON) is refused with the reason and changes nothing;
/// one that is replaces the definition, and the one it replaced is kept
/// through edits and a reload until the learner swaps it back (the
/// imported one then kept in its place) or lets it go.
#[wasm_bindgen_test]
async fn an_import_is_refused_unless_it_is_json_and_what_it_replaced_is_kept() {
    let _turn = take_turn().await;
    let mine = r#"{"family": "mine", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 256, "essential": true}]}"#;
    storage().set_item(&Key::Editor.name(), mine).unwrap();
    storage().remove_item(&Key::EditorBefore.name()).unwrap();
    set_hash("#/editor");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the editor", || {
        root.query_selector("label.import input").unwrap().is_some()
    })
    .await;
    assert_eq!(editor_text(&root), mine);
    let big = "x".repeat(70_000);
    for (name, content, reason) in [
        ("empty.json", "", "empty.json is empty"),
        (
            "image.png",
            "\u{89}PNG\0\0\0\rIHDR",
            "image.png is not a text file",
        ),
        ("big.json", big.as_str(), "at most 64 KiB"),
        (
            "notes.txt",
            "hello",
            "notes.txt is not JSON (line 1, column 1",
        ),
    ] {
        choose_file(&root, "label.import input", name, content);
        wait_for(reason, || {
            text_of(&root, ".sandbox-message").is_some_and(|m| m.contains(reason))
        })
        .await;
        let message = text_of(&root, ".sandbox-message").unwrap();
        assert!(message.starts_with("Not imported"), "{message}");
        assert!(
            message.contains("Your definition is unchanged."),
            "{message}"
        );
        assert_eq!(editor_text(&root), mine, "after {name}");
        assert_eq!(
            storage().get_item(&Key::Editor.name()).unwrap().as_deref(),
            Some(mine)
        );
        assert!(root.query_selector(".kept-definition").unwrap().is_none());
    }
    let theirs = r#"{"family": "theirs", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 256, "essential": true}]}"#;
    choose_file(&root, "label.import input", "theirs.json", theirs);
    wait_for("the import", || editor_text(&root) == theirs).await;
    wait_for("what it replaced, kept", || {
        text_of(&root, ".kept-definition")
            .is_some_and(|k| k.contains("family \u{201c}mine\u{201d}"))
    })
    .await;
    // An edit keeps it, and so does a reload.
    let edited = theirs.replace("theirs", "theirs-edited");
    choose(&root, "#editor-text", &edited);
    wait_for("the edit", || editor_text(&root) == edited).await;
    assert!(root.query_selector("button.swap-kept").unwrap().is_some());
    app.destroy();
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the editor again, with what it kept", || {
        root.query_selector("button.swap-kept").unwrap().is_some()
    })
    .await;
    assert_eq!(editor_text(&root), edited);
    click(&root, "button.swap-kept");
    wait_for("the definition before the import", || {
        editor_text(&root) == mine
    })
    .await;
    assert!(text_of(&root, ".sandbox-message")
        .unwrap()
        .contains("the kept definition is back"));
    assert_eq!(
        storage().get_item(&Key::Editor.name()).unwrap().as_deref(),
        Some(mine)
    );
    // Nothing lost: the edited import is now the kept one.
    assert_eq!(
        storage()
            .get_item(&Key::EditorBefore.name())
            .unwrap()
            .as_deref(),
        Some(edited.as_str())
    );
    click(&root, "button.let-kept-go");
    wait_for("the kept definition gone", || {
        root.query_selector(".kept-definition").unwrap().is_none()
    })
    .await;
    assert_eq!(storage().get_item(&Key::EditorBefore.name()).unwrap(), None);
    assert_eq!(editor_text(&root), mine);
    app.destroy();
}

/// Issue 20, item 9: a value the definition cannot take ("8080a" as a
/// port, "1k" CPU units, a number past AWS's Integer) stays in its field
/// with the reason, and the definition keeps its last value; a good value
/// applies as it is typed; a relative container path is said at once.
#[wasm_bindgen_test]
async fn the_editor_keeps_what_was_typed_and_says_what_is_wrong_with_it() {
    let _turn = take_turn().await;
    storage()
        .set_item(
            &Key::Editor.name(),
            r#"{"family": "web", "requiresCompatibilities": ["EC2"], "networkMode": "bridge",
                "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true, "memory": 256,
                  "portMappings": [{"containerPort": 8080}]}]}"#,
        )
        .unwrap();
    set_hash("#/editor");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the editor", || {
        root.query_selector("input[name=c0-port]")
            .unwrap()
            .is_some()
    })
    .await;
    let json = || {
        root.query_selector("#editor-text")
            .unwrap()
            .unwrap()
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .unwrap()
            .value()
    };
    let value_of = |name: &str| {
        root.query_selector(&format!("input[name={name}]"))
            .unwrap()
            .unwrap()
            .dyn_into::<web_sys::HtmlInputElement>()
            .unwrap()
            .value()
    };
    let typing = |name: &str, value: &str| choose(&root, &format!("input[name={name}]"), value);
    typing("c0-port", "8080a");
    wait_for("the port's reason", || {
        text_of(&root, "#c0-port-error")
            .unwrap_or_default()
            .contains("\"8080a\" is not a whole number")
    })
    .await;
    assert_eq!(value_of("c0-port"), "8080a", "what was typed stays");
    assert!(
        json().contains("\"containerPort\": 8080"),
        "the port mapping is kept: {}",
        json()
    );
    typing("c0-cpu", "1k");
    wait_for("the CPU's reason", || {
        text_of(&root, "#c0-cpu-error")
            .unwrap_or_default()
            .contains("not a whole number")
    })
    .await;
    typing("c0-memory", "99999999999");
    wait_for("too large", || {
        text_of(&root, "#c0-memory-error")
            .unwrap_or_default()
            .contains("99999999999 is too large: AWS takes a whole number up to 2147483647")
    })
    .await;
    assert!(json().contains("\"memory\": 256"), "{}", json());
    // A good value applies at once, without leaving the field.
    typing("c0-port", "9090");
    wait_for("the new port in the JSON", || {
        json().contains("\"containerPort\": 9090")
    })
    .await;
    assert!(root.query_selector("#c0-port-error").unwrap().is_none());
    typing("volume-path", "data");
    wait_for("the relative path said", || {
        text_of(&root, "#volume-path-error")
            .unwrap_or_default()
            .contains("an absolute path")
    })
    .await;
    click(&root, "button.attach");
    wait_for("the refusal beside the button", || {
        text_of(&root, "button.attach + .sandbox-message")
            .unwrap_or_default()
            .starts_with("Not attached: containerPath")
    })
    .await;
    app.destroy();
}
