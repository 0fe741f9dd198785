//! Panels and reference pages: who makes each call, corrupt saved data and tampered URLs, findings and refusal pages, the task definition checker, image references.

use super::*;

#[wasm_bindgen_test]
async fn the_who_calls_panel_answers_from_the_model() {
    let _turn = take_turn().await;
    set_hash("#/notes/ecs-iam");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the panel", || {
        root.query_selector(".calls").unwrap().is_some()
    })
    .await;
    // Fargate, execution role unticked: nobody can pull the image.
    let execution_role: web_sys::HtmlInputElement = root
        .query_selector_all(".checks input[type=checkbox]")
        .unwrap()
        .item(1)
        .unwrap()
        .dyn_into()
        .unwrap();
    execution_role.click();
    wait_for("the refused pull", || {
        text_of(&root, ".calls .call")
            .unwrap_or_default()
            .contains("nobody: the call fails")
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn corrupt_saved_data_is_reported_kept_and_never_blanks_the_page() {
    let _turn = take_turn().await;
    storage()
        .set_item(&Key::Settings.name(), "{\"lastChapter\": 42, oops")
        .unwrap();
    storage().remove_item(&Key::Settings.aside()).unwrap();
    set_hash("");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the notice", || {
        root.query_selector(".notice").unwrap().is_some()
    })
    .await;
    let notice = text_of(&root, ".notice").unwrap();
    assert!(
        notice.contains("could not read your saved settings"),
        "{notice}"
    );
    assert_eq!(
        storage()
            .get_item(&Key::Settings.aside())
            .unwrap()
            .as_deref(),
        Some("{\"lastChapter\": 42, oops")
    );
    wait_for("the first chapter", || {
        text_of(&root, "#notes-heading").as_deref() == Some(CHAPTERS[0].title)
    })
    .await;
    app.destroy();

    // Well-formed data that names a chapter that does not exist.
    storage()
        .set_item(
            &Key::Settings.name(),
            "{\"lastChapter\":\"../../etc/passwd\",\"theme\":\"dark\"}",
        )
        .unwrap();
    set_hash("");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the notice", || {
        text_of(&root, ".notice")
            .unwrap_or_default()
            .contains("does not exist")
    })
    .await;
    wait_for("the first chapter", || {
        text_of(&root, "#notes-heading").as_deref() == Some(CHAPTERS[0].title)
    })
    .await;
    app.destroy();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_tampered_url_gets_a_page_that_says_so() {
    let _turn = take_turn().await;
    set_hash("#/notes/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the not-found page", || {
        text_of(&root, "#notes-heading").as_deref() == Some("No such page")
    })
    .await;
    assert!(text_of(&root, "main code")
        .unwrap()
        .contains("<script>alert(1)</script>"));
    assert_eq!(root.query_selector_all("main script").unwrap().length(), 0);
    assert_eq!(
        root.query_selector_all(".chapter-list a").unwrap().length() as usize,
        CHAPTERS.len()
    );
    app.destroy();

    // A lesson's address that names no lesson offers the lessons.
    set_hash("#/lesson/no-such-lesson");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the not-found page", || {
        text_of(&root, "#notes-heading").as_deref() == Some("No such page")
    })
    .await;
    let links = root.query_selector_all(".chapter-list a").unwrap();
    assert_eq!(
        links.length() as usize,
        dockyard_course::lessons::lessons().len()
    );
    assert!(links
        .item(0)
        .unwrap()
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .unwrap()
        .href()
        .contains("/lesson/"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn finding_pages_explain_a_code_and_link_back_to_the_notes() {
    let _turn = take_turn().await;
    set_hash("#/findings/fargate-size");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the finding page", || {
        text_of(&root, "#notes-heading").as_deref() == Some("Not a Fargate task size")
    })
    .await;
    assert!(text_of(&root, "main")
        .unwrap()
        .contains("fixed menu of cpu/memory pairs"));
    let back: HtmlElement = root
        .query_selector("main a[href$='/notes/fargate/']")
        .unwrap()
        .expect("a link to the chapter that teaches it")
        .dyn_into()
        .unwrap();
    back.click();
    wait_for("the Fargate chapter", || {
        text_of(&root, "#notes-heading").as_deref() == Some("AWS Fargate")
    })
    .await;
    set_hash("#/findings");
    wait_for("the index", || {
        text_of(&root, "#notes-heading").as_deref() == Some("Validator findings")
    })
    .await;
    let listed = root
        .query_selector_all("main .finding-list li")
        .unwrap()
        .length() as usize;
    assert_eq!(
        listed,
        dockyard_model::taskdef::RULES.len()
            + dockyard_model::sim::REFUSALS.len()
            + dockyard_model::iam::POLICY_CHECKS.len()
    );
    let checks = root
        .query_selector_all("#policy-checks .finding-list li")
        .unwrap()
        .length() as usize;
    assert_eq!(checks, dockyard_model::iam::POLICY_CHECKS.len());
    let refusals = root
        .query_selector_all("#refusals .finding-list li")
        .unwrap()
        .length() as usize;
    assert_eq!(refusals, dockyard_model::sim::REFUSALS.len());
    app.destroy();
}

#[wasm_bindgen_test]
async fn refusal_pages_explain_a_code_say_whose_rule_it_is_and_link_to_the_notes() {
    let _turn = take_turn().await;
    set_hash("#/findings/task-count");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the refusal page", || {
        text_of(&root, "#notes-heading").as_deref() == Some("More tasks than a service may run")
    })
    .await;
    let main = text_of(&root, "main").unwrap();
    assert!(
        main.contains("refused by AWS")
            && main.contains("Why AWS refuses it")
            && main.contains("5,000"),
        "{main}"
    );
    assert!(root
        .query_selector("main a[href$='/notes/ecs-core-concepts/']")
        .unwrap()
        .is_some());
    assert!(
        root.query_selector("main .finding-list a[href$='/findings/run-task-count/']")
            .unwrap()
            .is_some(),
        "the other refusals taught in that chapter"
    );
    set_hash("#/findings/replicas");
    wait_for("a bound of Dockyard's own", || {
        text_of(&root, ".finding-meta").is_some_and(|meta| meta.contains("refused by Dockyard"))
    })
    .await;
    assert!(text_of(&root, "main")
        .unwrap()
        .contains("Why Dockyard refuses it"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_task_definition_checker_gives_aws_verdicts_and_keeps_the_draft() {
    let _turn = take_turn().await;
    storage().remove_item(&Key::Checker.name()).unwrap();
    set_hash("#/notes/ecs-core-concepts");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the checker", || {
        root.query_selector(".checker").unwrap().is_some()
    })
    .await;
    // The example has one mistake: 0.25 vCPU with 4 GB.
    let summary = text_of(&root, ".checker-summary").unwrap();
    assert!(summary.contains("1 error"), "{summary}");
    let link = root
        .query_selector(".finding a[href$='/findings/fargate-size/']")
        .unwrap();
    assert!(link.is_some(), "the finding links to its page");

    // Broken JSON: the line and column, and the draft survives in storage.
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector(".checker-text")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value("{\n  \"family\": \"web\",\n  oops\n}");
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
    wait_for("the parse error", || {
        text_of(&root, ".checker-summary")
            .unwrap_or_default()
            .contains("Line 3, column 3")
    })
    .await;
    assert_eq!(
        storage().get_item(&Key::Checker.name()).unwrap().as_deref(),
        Some("{\n  \"family\": \"web\",\n  oops\n}")
    );
    app.destroy();

    // After a reload the draft is still there.
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the kept draft", || {
        text_of(&root, ".checker-summary")
            .unwrap_or_default()
            .contains("Line 3, column 3")
    })
    .await;
    let reset: HtmlElement = root
        .query_selector(".checker-actions button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    reset.click();
    wait_for("the example again", || {
        text_of(&root, ".checker-summary")
            .unwrap_or_default()
            .contains("1 error")
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_image_reference_panel_reads_references_as_docker_does() {
    let _turn = take_turn().await;
    set_hash("#/notes/ecr");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the panel", || {
        root.query_selector("#image-ref-heading").unwrap().is_some()
    })
    .await;
    let facts = || text_of(&root, "section[aria-labelledby=image-ref-heading]").unwrap_or_default();
    wait_for("nginx on Docker Hub", || {
        facts().contains("docker.io/library/nginx:latest")
    })
    .await;
    assert!(facts().contains("No AWS credentials needed"), "{}", facts());
    let input: web_sys::HtmlInputElement = root
        .query_selector("section[aria-labelledby=image-ref-heading] input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    for (typed, expected) in [
        (
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.0",
            "ecr:BatchGetImage",
        ),
        ("nginx:bad tag", "tags may contain only"),
    ] {
        input.set_value(typed);
        input
            .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
            .unwrap();
        wait_for(expected, || facts().contains(expected)).await;
    }
    assert!(root
        .query_selector("section[aria-labelledby=image-ref-heading] .field-error")
        .unwrap()
        .is_some());
    app.destroy();
}

#[wasm_bindgen_test]
fn the_embed_parameter_is_read_as_a_course_page_writes_it() {
    use dockyard_app::embed::asks_for_embed;
    for yes in ["?embed", "?embed=1", "?embed=true", "?a=b&embed", "?embed="] {
        assert!(asks_for_embed(yes), "{yes}");
    }
    for no in [
        "",
        "?",
        "?embedded=1",
        "?embed=0",
        "?embed=false",
        "?a=embed",
    ] {
        assert!(!asks_for_embed(no), "{no}");
    }
}
