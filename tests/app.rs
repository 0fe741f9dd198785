//! The app in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner): every chapter renders, tables are tables,
//! hostile markdown stays inert, navigation changes the view, and bad saved
//! data or URLs never leave a blank page.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use dockyard_app::route::{decode_hash, Route};
use dockyard_course::storage::Key;
use dockyard_course::CHAPTERS;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// wasm-bindgen-test polls async tests concurrently, but these share one
/// page (its URL, its storage, its title): each test holds this turn.
struct Turn;

thread_local! {
    static TAKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn take_turn() -> Turn {
    while TAKEN.with(|taken| taken.replace(true)) {
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
    Turn
}

impl Drop for Turn {
    fn drop(&mut self) {
        TAKEN.with(|taken| taken.set(false));
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh element to mount into, after the previous test's is gone.
fn fresh_root() -> Element {
    let document = document();
    if let Some(old) = document.get_element_by_id("test-root") {
        old.remove();
    }
    let root = document.create_element("div").unwrap();
    root.set_id("test-root");
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits until `check` passes, giving Yew's scheduler and the browser's
/// event loop time to run; fails with `what` after two seconds.
async fn wait_for(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

fn set_hash(hash: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(hash)
        .unwrap();
}

#[wasm_bindgen_test]
async fn every_chapter_renders_with_its_title_notes_and_key_concepts() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    set_hash("#/notes/docker-basics");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    for chapter in CHAPTERS {
        set_hash(&format!("#/notes/{}", chapter.slug));
        wait_for(chapter.slug, || {
            text_of(&root, "#notes-heading").as_deref() == Some(chapter.title)
        })
        .await;
        let paragraphs = root
            .query_selector_all("main .markdown p")
            .unwrap()
            .length();
        assert!(
            paragraphs >= 5,
            "{} shows only {paragraphs} paragraphs",
            chapter.slug
        );
        let concepts = root
            .query_selector_all("aside .concepts table")
            .unwrap()
            .length();
        assert_eq!(concepts, 1, "{} has no key-concepts table", chapter.slug);
        let title = format!("{} \u{b7} Dockyard", chapter.title);
        wait_for("the page title", || document().title() == title).await;
        let current = text_of(&root, "nav.course-nav [aria-current=page]").unwrap_or_default();
        assert!(
            current.contains(chapter.short),
            "the navigation marks {current:?}, not {}",
            chapter.short
        );
    }
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_summary_table_is_a_table() {
    let _turn = take_turn().await;
    set_hash("#/notes/summary");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the summary chapter", || {
        root.query_selector("main table").unwrap().is_some()
    })
    .await;
    let headers: Vec<String> = {
        let cells = root.query_selector_all("main table thead th").unwrap();
        (0..cells.length())
            .map(|i| cells.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(
        headers.first().map(String::as_str),
        Some("Service"),
        "{headers:?}"
    );
    assert!(
        root.query_selector_all("main table tbody tr")
            .unwrap()
            .length()
            >= 3
    );
    app.destroy();
}

#[derive(yew::Properties, PartialEq)]
struct HostileProps {
    source: yew::AttrValue,
}

#[yew::function_component(Hostile)]
fn hostile(props: &HostileProps) -> yew::Html {
    let tree = dockyard_course::markdown::encode(&dockyard_course::render(&props.source));
    yew::html! { <dockyard_app::components::MarkdownView tree={tree} /> }
}

#[wasm_bindgen_test]
async fn hostile_markdown_yields_no_executable_element() {
    let _turn = take_turn().await;
    let source = "# Hi\n\n<script>window.pwned = 1</script>\n\n\
        Text <img src=x onerror=\"window.pwned = 2\"> more.\n\n\
        [click me](javascript:window.pwned=3) [tab](java\tscript:window.pwned=4) \
        ![pic](javascript:window.pwned=5) <a href=\"javascript:window.pwned=6\">raw</a>\n\n\
        <iframe src=\"javascript:window.pwned=7\"></iframe>\n";
    let root = fresh_root();
    let app = yew::Renderer::<Hostile>::with_root_and_props(
        root.clone(),
        HostileProps {
            source: source.into(),
        },
    )
    .render();
    wait_for("the hostile markdown", || {
        text_of(&root, "h1").as_deref() == Some("Hi")
    })
    .await;
    for selector in ["script", "img", "iframe", "[onerror]", "[onclick]", "[src]"] {
        assert_eq!(
            root.query_selector_all(selector).unwrap().length(),
            0,
            "found {selector}"
        );
    }
    let links = root.query_selector_all("a").unwrap();
    for i in 0..links.length() {
        let href = links
            .item(i)
            .unwrap()
            .dyn_into::<Element>()
            .unwrap()
            .get_attribute("href")
            .unwrap_or_default();
        assert!(
            !href.to_ascii_lowercase().contains("script"),
            "live link to {href}"
        );
    }
    // The raw HTML is shown to the reader as text.
    assert!(root
        .text_content()
        .unwrap()
        .contains("<script>window.pwned = 1</script>"));
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    let pwned = js_sys_get(&web_sys::window().unwrap(), "pwned");
    assert!(pwned.is_undefined(), "hostile markdown ran code: {pwned:?}");
    app.destroy();
}

fn js_sys_get(target: &web_sys::Window, key: &str) -> wasm_bindgen::JsValue {
    let object: &wasm_bindgen::JsValue = target.as_ref();
    js_sys::Reflect::get(object, &key.into()).unwrap()
}

#[wasm_bindgen_test]
async fn navigation_between_chapters_changes_the_view_and_remembers_the_place() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    set_hash("#/notes/ecs-iam");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the IAM chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("IAM in ECS")
    })
    .await;
    // The IAM chapter's pane asks the model who makes each call.
    assert!(root.query_selector("#who-calls-heading").unwrap().is_some());

    let next: HtmlElement = root
        .query_selector("a[rel=next]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    next.click();
    wait_for("the ECR chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("Amazon ECR")
    })
    .await;
    assert_eq!(
        web_sys::window().unwrap().location().hash().unwrap(),
        "#/notes/ecr"
    );
    assert!(
        root.query_selector("#who-calls-heading").unwrap().is_none(),
        "the old chapter's panel stayed"
    );
    // Focus moves in an effect after the new chapter renders.
    wait_for("focus on the new chapter's heading", || {
        document().active_element().map(|e| e.id()).as_deref() == Some("notes-heading")
    })
    .await;
    wait_for("the saved place", || {
        storage()
            .get_item(&Key::Settings.name())
            .unwrap()
            .unwrap_or_default()
            .contains("\"ecr\"")
    })
    .await;
    app.destroy();

    // An empty URL reopens the remembered chapter, and says so in the URL.
    set_hash("");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the remembered chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("Amazon ECR")
    })
    .await;
    wait_for("the rewritten URL", || {
        web_sys::window().unwrap().location().hash().unwrap() == "#/notes/ecr"
    })
    .await;
    app.destroy();
}

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
        .query_selector("main a[href='#/notes/fargate']")
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
        dockyard_model::taskdef::RULES.len() + dockyard_model::sim::REFUSALS.len()
    );
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
        .query_selector("main a[href='#/notes/ecs-core-concepts']")
        .unwrap()
        .is_some());
    assert!(
        root.query_selector("main .finding-list a[href='#/findings/run-task-count']")
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
        .query_selector(".finding a[href='#/findings/fargate-size']")
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

/// The same scenario and seed give the same event stream natively and in
/// WebAssembly: crates/model/tests/simulation.rs asserts this digest too.
#[wasm_bindgen_test]
fn a_scenario_replays_to_the_native_digest_in_the_browser() {
    let text = include_str!("../scenarios/az-outage.scenario.json");
    let scenario = dockyard_model::sim::scenario::Scenario::parse(text).unwrap();
    let run = scenario.run(None, None);
    assert_eq!(run.digest, "e2bc36adf9848f86");
    assert!(run.refused.is_empty());
}

#[wasm_bindgen_test]
fn routes_parse_and_decode() {
    assert_eq!(Route::parse("#/findings"), Route::Findings);
    assert_eq!(
        Route::parse("#/findings/fargate-size"),
        Route::Finding(dockyard_model::taskdef::rule("fargate-size").unwrap())
    );
    assert_eq!(
        Route::parse("#/findings/no-cluster"),
        Route::Refusal(dockyard_model::sim::refusal("no-cluster").unwrap())
    );
    assert_eq!(
        Route::parse("#/findings/nope"),
        Route::NotFound("/findings/nope".into())
    );
    assert_eq!(Route::parse(""), Route::Start);
    assert_eq!(Route::parse("#/"), Route::Start);
    assert_eq!(
        Route::parse("#/notes/fargate"),
        Route::Chapter(dockyard_course::chapter("fargate").unwrap())
    );
    assert_eq!(
        Route::parse("#/notes/nope"),
        Route::NotFound("/notes/nope".into())
    );
    assert_eq!(decode_hash("#/notes/%3Cscript%3E"), "#/notes/<script>");
    assert_eq!(decode_hash("%zz%4"), "%zz%4");
}

/// The sandbox plays a scenario from the model: "+1 minute" moves the
/// clock, instances and tasks appear in their zone's lane, selecting a task
/// shows the model's reason, and scrubbing back replays to the same state.
#[wasm_bindgen_test]
async fn the_sandbox_plays_steps_selects_and_scrubs_back() {
    let _turn = take_turn().await;
    storage().remove_item(&Key::Sandbox.name()).unwrap();
    set_hash("#/sandbox/az-outage");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the sandbox", || {
        root.query_selector(".sandbox-controls").unwrap().is_some()
    })
    .await;
    assert_eq!(text_of(&root, ".clock").unwrap(), "00:00:00 / 00:30:00");
    let step: HtmlElement = root
        .query_selector("button.step")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    for _ in 0..5 {
        step.click();
    }
    wait_for("five minutes", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:05:00")
    })
    .await;
    let lanes = root
        .query_selector_all(".ecs-view .az-lane")
        .unwrap()
        .length();
    assert_eq!(lanes, 3, "one lane per Availability Zone");
    // Machines are child components: they render after the clock does.
    wait_for("tasks running by minute 5", || {
        root.query_selector_all(".chip.state-running")
            .unwrap()
            .length()
            >= 1
    })
    .await;
    let chip: HtmlElement = root
        .query_selector(".chip.state-running")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    chip.click();
    wait_for("the inspector", || {
        text_of(&root, ".inspector")
            .unwrap_or_default()
            .contains("Why here")
    })
    .await;
    let log = root.query_selector(".event-log ol").unwrap().unwrap();
    assert_eq!(log.get_attribute("aria-live").as_deref(), Some("polite"));
    let events_at_5 = log.child_element_count();
    assert!(events_at_5 > 0);

    // Scrub to minute 20 (after the outage at minute 10), then back to 5.
    let scrub: web_sys::HtmlInputElement = root
        .query_selector("input.scrub")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let seek = |seconds: &str| {
        scrub.set_value(seconds);
        scrub
            .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
            .unwrap();
    };
    seek("1200");
    wait_for("minute 20", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:20:00")
    })
    .await;
    assert!(
        root.query_selector(".az-lane.lost").unwrap().is_some(),
        "the lost zone is drawn as lost"
    );
    seek("300");
    wait_for("back at minute 5", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:05:00")
    })
    .await;
    assert!(root.query_selector(".az-lane.lost").unwrap().is_none());
    assert_eq!(log_len(&root), events_at_5, "replayed to the same events");
    app.destroy();
}

fn log_len(root: &Element) -> u32 {
    root.query_selector(".event-log ol")
        .unwrap()
        .unwrap()
        .child_element_count()
}

#[wasm_bindgen_test]
fn every_shipped_scenario_is_in_the_sandbox_and_parses() {
    for scenario in dockyard_course::scenarios::SCENARIOS {
        dockyard_model::sim::scenario::Scenario::parse(scenario.json)
            .unwrap_or_else(|e| panic!("{}: {e}", scenario.slug));
        assert_eq!(
            Route::parse(&format!("#/sandbox/{}", scenario.slug)),
            Route::Sandbox(scenario)
        );
    }
    assert!(matches!(Route::parse("#/sandbox/nope"), Route::NotFound(_)));
}

fn click(root: &Element, selector: &str) {
    let element: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    element.click();
}

async fn open_sandbox(hash: &str) -> (Element, yew::AppHandle<dockyard_app::App>) {
    set_hash(hash);
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the sandbox", || {
        root.query_selector(".sandbox-controls").unwrap().is_some()
    })
    .await;
    (root, app)
}

fn lost_lanes(root: &Element) -> u32 {
    root.query_selector_all(".ecs-view .az-lane.lost")
        .unwrap()
        .length()
}

/// Issue 5's behaviour: a learner's command goes to the model, can be
/// undone and redone, and the whole sandbox survives a reload.
#[wasm_bindgen_test]
async fn sandbox_commands_undo_redo_and_survive_a_reload() {
    let _turn = take_turn().await;
    storage().remove_item(&Key::Sandbox.name()).unwrap();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    for _ in 0..3 {
        click(&root, "button.step");
    }
    wait_for("minute 3", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:03:00")
    })
    .await;
    // Lose the second zone by hand (the scenario loses the first at minute 10).
    click(&root, ".ecs-view .az-lane:nth-child(2) .zone-action");
    wait_for("the zone lost", || lost_lanes(&root) == 1).await;
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    // Scale the service by one.
    click(&root, ".services li button[aria-label^='One more']");
    wait_for("two changes", || {
        text_of(&root, ".session-count").unwrap_or_default() == "2 changes of yours"
    })
    .await;
    click(&root, "button.undo");
    click(&root, "button.undo");
    wait_for("both undone", || {
        lost_lanes(&root) == 0
            && text_of(&root, ".session-count").unwrap_or_default() == "no changes of yours"
    })
    .await;
    assert_eq!(
        text_of(&root, ".clock").unwrap(),
        "00:03:00 / 00:30:00",
        "undo keeps the clock"
    );
    click(&root, "button.redo");
    wait_for("redone", || lost_lanes(&root) == 1).await;
    app.destroy();

    // A reload: the same scenario, changes and clock.
    let (root, app) = open_sandbox("#/sandbox").await;
    assert_eq!(text_of(&root, ".clock").unwrap(), "00:03:00 / 00:30:00");
    assert_eq!(lost_lanes(&root), 1);
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    // Reset: back to the start without the change; redo brings it back.
    click(&root, "button.reset");
    // The clock is redrawn on the next animation frame, which can come
    // after the lanes on a loaded machine: wait for both.
    wait_for("reset to the start", || {
        lost_lanes(&root) == 0
            && text_of(&root, ".clock")
                .unwrap_or_default()
                .starts_with("00:00:00")
    })
    .await;
    app.destroy();
}

/// The running clock is not written to storage on every tick (ten writes a
/// second): the session is saved when it changes, and the clock when it
/// stops.
#[wasm_bindgen_test]
async fn the_running_clock_is_saved_when_it_stops_not_on_every_tick() {
    let _turn = take_turn().await;
    let key = &Key::Sandbox.name();
    storage().remove_item(key).unwrap();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    click(&root, "button.play");
    wait_for("the clock running", || {
        !text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:00:00")
    })
    .await;
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    assert!(
        storage().get_item(key).unwrap().is_none(),
        "nothing saved while playing"
    );
    click(&root, "button.play");
    wait_for("paused", || {
        root.query_selector("button.play[aria-pressed=false]")
            .unwrap()
            .is_some()
    })
    .await;
    let saved =
        dockyard_course::session::Session::parse(&storage().get_item(key).unwrap().unwrap())
            .unwrap();
    assert!(saved.at > 0, "the clock saved when it stopped");
    let clock = text_of(&root, ".clock").unwrap();
    app.destroy();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    assert_eq!(text_of(&root, ".clock").unwrap(), clock);
    app.destroy();
}

/// Leaving the sandbox while its clock runs keeps where the clock was.
#[wasm_bindgen_test]
async fn leaving_the_sandbox_while_it_plays_keeps_the_clock() {
    let _turn = take_turn().await;
    let key = &Key::Sandbox.name();
    storage().remove_item(key).unwrap();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    click(&root, "button.play");
    wait_for("the clock running", || {
        !text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:00:00")
    })
    .await;
    set_hash("#/notes/docker-basics");
    wait_for("the notes", || {
        root.query_selector(".sandbox-controls").unwrap().is_none()
    })
    .await;
    let saved =
        dockyard_course::session::Session::parse(&storage().get_item(key).unwrap().unwrap())
            .unwrap();
    assert!(saved.at > 0, "the clock saved when the page went");
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_share_link_lands_in_its_state_and_a_bad_one_changes_nothing() {
    let _turn = take_turn().await;
    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-1c"}"#).unwrap());
    session.at = 240_000;
    let (root, app) = open_sandbox(&format!("#/share/{}", session.to_link())).await;
    assert_eq!(text_of(&root, ".clock").unwrap(), "00:04:00 / 00:30:00");
    assert_eq!(lost_lanes(&root), 1);
    let saved = storage().get_item(&Key::Sandbox.name()).unwrap().unwrap();
    assert_eq!(
        saved,
        session.to_json(),
        "the shared session becomes the learner's"
    );
    // The share button gives a link that holds the same session.
    click(&root, "button.share");
    wait_for("the link", || {
        root.query_selector(".share-link input").unwrap().is_some()
    })
    .await;
    let link: web_sys::HtmlInputElement = root
        .query_selector(".share-link input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(
        link.value()
            .ends_with(&format!("#/share/{}", session.to_link())),
        "{}",
        link.value()
    );
    app.destroy();

    // A link cut short: a page that says why, and the saved session untouched.
    set_hash("#/share/%7B%22session%22%3A1%2C%22scen");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the refusal", || {
        text_of(&root, "#notes-heading").unwrap_or_default() == "This share link cannot be opened"
    })
    .await;
    assert!(text_of(&root, "main").unwrap().contains("EOF"));
    assert_eq!(
        storage().get_item(&Key::Sandbox.name()).unwrap().unwrap(),
        session.to_json()
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_refused_step_links_to_its_refusal_page() {
    let _turn = take_turn().await;
    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-9z"}"#).unwrap());
    session.at = 120_000;
    let (root, app) = open_sandbox(&format!("#/share/{}", session.to_link())).await;
    wait_for("the refused step", || {
        root.query_selector(".refused a[href='#/findings/no-az']")
            .unwrap()
            .is_some()
    })
    .await;
    click(&root, ".refused a[href='#/findings/no-az']");
    wait_for("the refusal page", || {
        text_of(&root, "#notes-heading").as_deref()
            == Some("Not an Availability Zone of this Region")
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_corrupt_saved_sandbox_is_kept_aside_and_reported() {
    let _turn = take_turn().await;
    storage()
        .set_item(&Key::Sandbox.name(), "{\"session\": 1, \"scenario\": 7}")
        .unwrap();
    let (root, app) = open_sandbox("#/sandbox/web-on-fargate").await;
    let message = text_of(&root, ".sandbox-message").expect("a message");
    assert!(message.contains("scenario: invalid type"), "{message}");
    assert_eq!(
        storage()
            .get_item(&Key::Sandbox.aside())
            .unwrap()
            .as_deref(),
        Some("{\"session\": 1, \"scenario\": 7}")
    );
    assert_eq!(text_of(&root, ".clock").unwrap(), "00:00:00 / 01:30:00");
    app.destroy();
}

/// Issue 5's side-by-side mode: one clock drives both sides, and the table
/// says which run reacted faster and which cost less, from the model.
#[wasm_bindgen_test]
async fn the_comparison_runs_two_scenarios_on_one_clock() {
    let _turn = take_turn().await;
    set_hash("#/compare");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("two sides", || {
        root.query_selector_all(".compare-side").unwrap().length() == 2
    })
    .await;
    for _ in 0..25 {
        click(&root, "button.step");
    }
    wait_for("minute 25 on both sides", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:25:00")
            && root
                .query_selector_all(".compare-side .chip.state-running")
                .unwrap()
                .length()
                >= 4
    })
    .await;
    let bills = root.query_selector_all(".compare-side .bill").unwrap();
    assert_eq!(bills.length(), 2);
    let rows = root.query_selector_all(".compare-table tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let table = text_of(&root, ".compare-table").unwrap();
    assert!(
        table.contains("on Fargate") && table.contains("with a capacity provider"),
        "{table}"
    );
    // Nothing of the comparison is saved as the learner's sandbox.
    storage().remove_item(&Key::Sandbox.name()).unwrap();
    click(&root, "button.step");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert!(storage().get_item(&Key::Sandbox.name()).unwrap().is_none());
    assert!(matches!(
        Route::parse("#/compare/az-outage/nope"),
        Route::NotFound(_)
    ));
    app.destroy();
}

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

/// The comparison's clock runs on animation frames while playing and stands
/// still when paused.
#[wasm_bindgen_test]
async fn the_comparison_plays_and_pauses_on_animation_frames() {
    let _turn = take_turn().await;
    set_hash("#/compare");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("two sides", || {
        root.query_selector_all(".compare-side").unwrap().length() == 2
    })
    .await;
    click(&root, "button.play");
    wait_for("the clock running", || {
        !text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:00:00")
    })
    .await;
    click(&root, "button.play");
    wait_for("paused", || {
        root.query_selector("button.play[aria-pressed=false]")
            .unwrap()
            .is_some()
    })
    .await;
    let clock = text_of(&root, ".clock").unwrap();
    yew::platform::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(text_of(&root, ".clock").unwrap(), clock, "paused stays put");
    app.destroy();
}

/// Opening another scenario does not replace the changes saved for one.
#[wasm_bindgen_test]
async fn looking_at_another_scenario_keeps_the_saved_changes() {
    let _turn = take_turn().await;
    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-1c"}"#).unwrap());
    storage()
        .set_item(&Key::Sandbox.name(), &session.to_json())
        .unwrap();
    let (root, app) = open_sandbox("#/sandbox/web-on-fargate").await;
    let message = text_of(&root, ".sandbox-message").expect("a message");
    assert!(message.contains("1 change to az-outage"), "{message}");
    click(&root, "button.step");
    wait_for("a minute", || {
        text_of(&root, ".clock")
            .unwrap_or_default()
            .starts_with("00:01:00")
    })
    .await;
    assert_eq!(
        storage().get_item(&Key::Sandbox.name()).unwrap().unwrap(),
        session.to_json()
    );
    app.destroy();
}

/// The learner launches a container instance with an instance profile of
/// their choice: a command like any other, undoable.
#[wasm_bindgen_test]
async fn the_learner_launches_an_instance_and_undoes_it() {
    let _turn = take_turn().await;
    storage().remove_item(&Key::Sandbox.name()).unwrap();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    click(&root, "button.step");
    click(&root, "button.step");
    click(&root, "button.step");
    wait_for("six instances", || {
        root.query_selector_all(".ecs-view .instance")
            .unwrap()
            .length()
            == 6
    })
    .await;
    click(&root, "button.launch-instance");
    wait_for("a seventh, booting", || {
        root.query_selector_all(".ecs-view .instance")
            .unwrap()
            .length()
            == 7
            && root
                .query_selector(".ecs-view .instance.booting")
                .unwrap()
                .is_some()
    })
    .await;
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    click(&root, "button.undo");
    wait_for("back to six", || {
        root.query_selector_all(".ecs-view .instance")
            .unwrap()
            .length()
            == 6
    })
    .await;
    app.destroy();
}

async fn open_registries() -> (Element, yew::AppHandle<dockyard_app::App>) {
    set_hash("#/registries");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the registries page", || {
        root.query_selector("button.push").unwrap().is_some()
    })
    .await;
    (root, app)
}

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

/// Sets a form control's value as a learner would, and tells the page.
fn choose(root: &Element, selector: &str, value: &str) {
    let element = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
    } else {
        element
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .set_value(value);
    }
    element
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

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
