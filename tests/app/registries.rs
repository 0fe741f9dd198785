//! The registries page: work across a reload, Docker Hub pushes, a registry lesson.

use super::*;

/// Issue 5: the registry work is kept across a reload (replayed from its
/// actions), and saved work that cannot be replayed is set aside and said.
#[wasm_bindgen_test]
async fn registry_work_survives_a_reload_and_bad_saves_are_set_aside() {
    let _turn = take_turn().await;
    let key = &Key::Registries.name();
    storage().remove_item(key).unwrap();
    let (root, app) = open_registries().await;
    click(&root, "button.create");
    wait_for("the repository", || {
        text_of(&root, ".repository h3").is_some()
    })
    .await;
    click(&root, "button.push");
    wait_for("the pushed image", || {
        text_of(&root, ".repository tbody td:nth-child(2)").as_deref() == Some("v1")
    })
    .await;
    let scan = text_of(&root, ".repository td.scan").unwrap();
    app.destroy();

    let (root, app) = open_registries().await;
    assert_eq!(
        text_of(&root, ".repository tbody td:nth-child(2)").as_deref(),
        Some("v1")
    );
    assert_eq!(text_of(&root, ".repository td.scan").unwrap(), scan);
    assert!(text_of(&root, ".panel-lead")
        .unwrap()
        .contains("day 1, 01:00"));
    // Still immutable after the reload: v1 for a new build is refused.
    let content: web_sys::HtmlInputElement = root
        .query_selector("input[name=content]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    content.set_value("web build 2");
    content
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    // Let the page take the new value before the click.
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.push");
    wait_for("the refusal", || {
        text_of(&root, ".sandbox-message")
            .unwrap_or_default()
            .starts_with("ImageTagAlreadyExistsException")
    })
    .await;
    app.destroy();

    let tampered = r#"{"registryDesk": 1, "actions": [{"do": "push", "repository": "nowhere", "tag": "v1", "content": "x"}]}"#;
    storage().set_item(key, tampered).unwrap();
    let (root, app) = open_registries().await;
    let message = text_of(&root, ".sandbox-message").expect("a message");
    assert!(
        message.contains("actions[0]: RepositoryNotFoundException"),
        "{message}"
    );
    assert_eq!(
        storage()
            .get_item(&Key::Registries.aside())
            .unwrap()
            .as_deref(),
        Some(tampered)
    );
    assert!(text_of(&root, ".repository h3").is_none());
    app.destroy();
    storage().remove_item(key).unwrap();
}

/// Issue 5's registries: Docker Hub beside ECR. A bare name is Docker's
/// official namespace and is refused in words; a push to the learner's own
/// namespace creates a public repository, shown with its tag, and kept
/// across a reload.
#[wasm_bindgen_test]
async fn a_docker_hub_push_goes_to_your_namespace_and_is_kept() {
    let _turn = take_turn().await;
    let key = &Key::Registries.name();
    storage().remove_item(key).unwrap();
    let (root, app) = open_registries().await;
    choose(&root, "select[name=push-target]", "hub");
    wait_for("the Docker Hub repository field", || {
        root.query_selector("input[name=hub-repository]")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(root
        .query_selector("select[name=push-repository]")
        .unwrap()
        .is_none());
    choose(&root, "input[name=hub-repository]", "web");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.push");
    wait_for("the refusal", || {
        text_of(&root, ".sandbox-message")
            .unwrap_or_default()
            .starts_with(
            "denied: requested access to the resource is denied. web means docker.io/library/web",
        )
    })
    .await;
    assert!(text_of(&root, ".hub-repository h3").is_none());
    choose(&root, "input[name=hub-repository]", "learner/web");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.push");
    wait_for("the Docker Hub repository", || {
        text_of(&root, ".hub-repository h3").is_some()
    })
    .await;
    assert_eq!(
        text_of(&root, ".hub-repository h3").unwrap(),
        "learner/web public · tags mutable"
    );
    assert_eq!(
        text_of(&root, ".hub-repository tbody td:nth-child(2)").as_deref(),
        Some("v1")
    );
    let said = text_of(&root, ".sandbox-message").unwrap();
    assert!(
        said.contains("Docker Hub created learner/web on this push, as a public repository"),
        "{said}"
    );
    // No ECR repository was made by the Docker Hub push.
    assert!(text_of(&root, ".repository:not(.hub-repository) h3").is_none());
    app.destroy();

    let (root, app) = open_registries().await;
    assert_eq!(
        text_of(&root, ".hub-repository tbody td:nth-child(2)").as_deref(),
        Some("v1")
    );
    app.destroy();
    storage().remove_item(key).unwrap();
}

/// Issue 6: a registry lesson opens the registries page at the lesson's
/// start, judges the goal on the registry after each push, keeps its work
/// apart from the free registry, and marks the lesson done.
#[wasm_bindgen_test]
async fn a_registry_lesson_is_judged_on_the_registry() {
    let _turn = take_turn().await;
    let id = "latest-is-only-a-tag";
    storage().remove_item(&Key::Lesson(id).name()).unwrap();
    storage().remove_item(&Key::Progress.name()).unwrap();
    storage().remove_item(&Key::Registries.name()).unwrap();
    let open = || async {
        set_hash(&format!("#/lesson/{id}"));
        let root = fresh_root();
        let app = dockyard_app::start_in(root.clone());
        wait_for("the lesson on the registry", || {
            text_of(&root, "#lesson-title").as_deref() == Some("latest is a tag, not a promise")
                && text_of(&root, ".repository h3").is_some()
        })
        .await;
        (root, app)
    };
    let (root, app) = open().await;
    // The start: app with build 1 as 1.0 and latest; nothing met yet.
    assert!(text_of(&root, ".repository h3").unwrap().starts_with("app"));
    assert!(text_of(&root, ".repository tbody td:nth-child(2)")
        .unwrap()
        .contains("1.0, latest"));
    assert!(root
        .query_selector(".lesson-panel .condition.met")
        .unwrap()
        .is_none());
    let push = |tag: &'static str| {
        let root = root.clone();
        async move {
            choose(&root, "select[name=push-repository]", "app");
            choose(&root, "input[name=tag]", tag);
            choose(&root, "input[name=content]", "app build 2");
            yew::platform::time::sleep(Duration::from_millis(50)).await;
            click(&root, "button.push");
        }
    };
    // The wrong answer first: 1.1 alone leaves latest on build 1.
    push("1.1").await;
    wait_for("the push of 1.1", || {
        text_of(&root, ".sandbox-message")
            .unwrap_or_default()
            .starts_with("Pushed app:1.1")
    })
    .await;
    let unmet = text_of(&root, ".lesson-panel .condition.unmet").unwrap();
    assert!(
        unmet.contains("and app:latest name the same image (one digest): 1.1 is sha256:"),
        "{unmet}"
    );
    assert!(text_of(&root, ".goal-met").is_none());
    push("latest").await;
    wait_for("the goal met", || {
        text_of(&root, ".goal-met")
            .unwrap_or_default()
            .starts_with("Goal met")
    })
    .await;
    let saved = storage().get_item(&Key::Progress.name()).unwrap().unwrap();
    assert!(saved.contains(id), "{saved}");
    // The free registry is untouched.
    assert!(storage()
        .get_item(&Key::Registries.name())
        .unwrap()
        .is_none());
    app.destroy();
    // After a reload the lesson's registry is as the learner left it.
    let (root, app) = open().await;
    assert!(text_of(&root, ".goal-met").is_some());
    app.destroy();
    storage().remove_item(&Key::Lesson(id).name()).unwrap();
}

/// Types a command at the page's terminal prompt and presses Enter.
fn type_command(root: &Element, line: &str) {
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector(".terminal textarea")
        .unwrap()
        .expect("the terminal's prompt")
        .dyn_into()
        .unwrap();
    area.set_value(line);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&event).unwrap();
}

/// The terminal works on the page's own registry: a repository made with
/// `aws ecr create-repository` is drawn like one the form made and is kept
/// across a reload; docker pushes into it after a login.
#[wasm_bindgen_test]
async fn the_terminal_acts_on_the_pages_registry() {
    let _turn = take_turn().await;
    storage().remove_item(&Key::Registries.name()).unwrap();
    let (root, app) = open_registries().await;
    type_command(
        &root,
        "aws ecr create-repository --repository-name shop/api --image-tag-mutability IMMUTABLE",
    );
    wait_for("the repository the terminal made", || {
        text_of(&root, ".repository h3")
            .unwrap_or_default()
            .starts_with("shop/api")
    })
    .await;
    type_command(&root, "docker build -t 111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/api:v1 --build-arg CONTENT='api build 1' .");
    type_command(
        &root,
        "docker login -u AWS -p token 111122223333.dkr.ecr.us-east-1.amazonaws.com",
    );
    type_command(
        &root,
        "docker push 111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/api:v1",
    );
    wait_for("the pushed image", || {
        text_of(&root, ".repository tbody td:nth-child(2)").as_deref() == Some("v1")
    })
    .await;
    assert!(text_of(&root, ".terminal-log")
        .unwrap_or_default()
        .contains("v1: digest: sha256:"));
    app.destroy();
    let (root, app) = open_registries().await;
    assert_eq!(
        text_of(&root, ".repository tbody td:nth-child(2)").as_deref(),
        Some("v1")
    );
    app.destroy();
    storage().remove_item(&Key::Registries.name()).unwrap();
}
