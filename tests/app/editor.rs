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
