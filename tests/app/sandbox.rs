//! The sandbox and the comparison through their controls: play, scrub, commands, undo and redo, the clock saved when it stops, share links, refused steps, launching an instance.

use super::*;

/// The same scenario and seed give the same event stream natively and in
/// WebAssembly: crates/model/tests/simulation.rs asserts this digest too.
#[wasm_bindgen_test]
fn a_scenario_replays_to_the_native_digest_in_the_browser() {
    let text = include_str!("../../scenarios/az-outage.scenario.json");
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
    // The path form parses as the hash form did (the app reads the path).
    assert_eq!(
        Route::parse("/notes/fargate/"),
        Route::Chapter(dockyard_course::chapter("fargate").unwrap())
    );
    assert_eq!(
        Route::parse("/compare/az-outage/web-on-fargate/"),
        Route::Compare(
            dockyard_course::scenarios::scenario("az-outage").unwrap(),
            dockyard_course::scenarios::scenario("web-on-fargate").unwrap()
        )
    );
}

/// Old `#/...` links become addresses under the root; share links and
/// fragments that are no route stay as they are.
#[wasm_bindgen_test]
fn old_hash_links_have_path_forms() {
    use dockyard_app::route::legacy_hash_path;
    assert_eq!(
        legacy_hash_path("#/notes/fargate"),
        Some("notes/fargate/".into())
    );
    assert_eq!(
        legacy_hash_path("#/notes/fargate/"),
        Some("notes/fargate/".into())
    );
    assert_eq!(
        legacy_hash_path("#/findings#policy-checks"),
        Some("findings/#policy-checks".into())
    );
    assert_eq!(legacy_hash_path("#/"), Some(String::new()));
    assert_eq!(legacy_hash_path("#/share/%7B%7D"), None);
    assert_eq!(legacy_hash_path("#policy-checks"), None);
    assert_eq!(legacy_hash_path(""), None);
}

/// The sandbox plays a scenario from the model: "+1 minute" moves the
/// clock, instances and tasks appear in their zone's lane, selecting a task
/// shows the model's reason, and scrubbing back replays to the same state.
#[wasm_bindgen_test]
async fn the_sandbox_plays_steps_selects_and_scrubs_back() {
    let _turn = take_turn().await;
    forget_sandboxes();
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

/// Issue 5's behaviour: a learner's command goes to the model, can be
/// undone and redone, and the whole sandbox survives a reload.
#[wasm_bindgen_test]
async fn sandbox_commands_undo_redo_and_survive_a_reload() {
    let _turn = take_turn().await;
    forget_sandboxes();
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
    let key = &Key::Scenario("az-outage").name();
    forget_sandboxes();
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
    let key = &Key::Scenario("az-outage").name();
    forget_sandboxes();
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

/// A share link opens in its state and saves nothing over the learner's
/// own work until they keep it; keeping it sets their work aside, which
/// comes back on request (issue 20: the link used to replace it silently);
/// a link cut short changes nothing.
#[wasm_bindgen_test]
async fn a_share_link_lands_in_its_state_and_a_bad_one_changes_nothing() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let slot = Key::Scenario("az-outage").name();
    // The learner's own work on the scenario: one change.
    let mut mine = dockyard_course::session::Session::new("az-outage");
    mine.steps
        .push(serde_json::from_str(r#"{"at": 0, "do": "loseAz", "az": "us-east-1a"}"#).unwrap());
    storage().set_item(&slot, &mine.to_json()).unwrap();

    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-1c"}"#).unwrap());
    session.at = 240_000;
    let (root, app) = open_sandbox(&format!("#/share/{}", session.to_link())).await;
    assert_eq!(text_of(&root, ".clock").unwrap(), "00:04:00 / 00:30:00");
    assert_eq!(lost_lanes(&root), 1);
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change in this shared state"
    );
    let notice = text_of(&root, ".shared-notice").expect("the shared state is said");
    assert!(
        notice.contains("nothing you do here is saved unless you keep it"),
        "{notice}"
    );
    assert!(notice.contains("your 1 saved change"), "{notice}");
    click(&root, "button.step");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        storage().get_item(&slot).unwrap().unwrap(),
        mine.to_json(),
        "looking at the link saves nothing over the learner's work"
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
    assert!(link.value().contains("#/share/"), "{}", link.value());
    // Kept: the link's state is the learner's, theirs set aside...
    click(&root, "button.keep-shared");
    wait_for("kept", || {
        root.query_selector(".shared-notice").unwrap().is_none()
    })
    .await;
    let kept =
        dockyard_course::session::Session::parse(&storage().get_item(&slot).unwrap().unwrap())
            .unwrap();
    assert_eq!(kept.steps, session.steps);
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    // ... and brought back.
    click(&root, "button.bring-back");
    wait_for("the learner's own work", || {
        storage().get_item(&slot).unwrap().as_deref() == Some(mine.to_json().as_str())
    })
    .await;
    wait_for("the offer gone", || {
        root.query_selector(".before-notice").unwrap().is_none()
    })
    .await;
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
    assert_eq!(storage().get_item(&slot).unwrap().unwrap(), mine.to_json());
    app.destroy();
    forget_sandboxes();
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
        root.query_selector(".refused a[href$='/findings/no-az/']")
            .unwrap()
            .is_some()
    })
    .await;
    click(&root, ".refused a[href$='/findings/no-az/']");
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
    forget_sandboxes();
    click(&root, "button.step");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert!(storage().get_item(&Key::Sandbox.name()).unwrap().is_none());
    assert!(storage()
        .get_item(&Key::Scenario("az-outage").name())
        .unwrap()
        .is_none());
    assert!(matches!(
        Route::parse("#/compare/az-outage/nope"),
        Route::NotFound(_)
    ));
    app.destroy();
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
/// Each scenario keeps its own work: changes in one never replace
/// another's (issue 20: the one slot did), and the single slot of earlier
/// versions is adopted by its scenario.
#[wasm_bindgen_test]
async fn each_scenario_keeps_its_own_changes() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let mut session = dockyard_course::session::Session::new("az-outage");
    session
        .steps
        .push(serde_json::from_str(r#"{"at": 60, "do": "loseAz", "az": "us-east-1c"}"#).unwrap());
    // Where versions before per-scenario slots kept it.
    storage()
        .set_item(&Key::Sandbox.name(), &session.to_json())
        .unwrap();
    let (root, app) = open_sandbox("#/sandbox/web-on-fargate").await;
    click(&root, ".ecs-view .zone-action");
    wait_for("a change here", || {
        text_of(&root, ".session-count").as_deref() == Some("1 change of yours")
    })
    .await;
    app.destroy();
    assert_eq!(
        storage()
            .get_item(&Key::Scenario("az-outage").name())
            .unwrap()
            .as_deref(),
        Some(session.to_json().as_str())
    );
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    assert_eq!(lost_lanes(&root), 0, "the change is at one minute");
    app.destroy();
    let (root, app) = open_sandbox("#/sandbox/web-on-fargate").await;
    assert_eq!(
        text_of(&root, ".session-count").unwrap(),
        "1 change of yours"
    );
    app.destroy();
    forget_sandboxes();
}

/// The learner launches a container instance with an instance profile of
/// their choice: a command like any other, undoable.
#[wasm_bindgen_test]
async fn the_learner_launches_an_instance_and_undoes_it() {
    let _turn = take_turn().await;
    forget_sandboxes();
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

/// A Spot instance can be launched with the agent's Spot Instance draining
/// on (ECS_ENABLE_SPOT_INSTANCE_DRAINING, off by default): the box appears
/// only for Spot, and the command the learner made carries it.
#[wasm_bindgen_test]
async fn a_spot_instance_is_launched_with_spot_draining_when_the_learner_asks() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    assert!(root
        .query_selector("input[name=launch-spot-draining]")
        .unwrap()
        .is_none());
    click(&root, "input[name=launch-spot]");
    wait_for("the draining box", || {
        root.query_selector("input[name=launch-spot-draining]")
            .unwrap()
            .is_some()
    })
    .await;
    click(&root, "input[name=launch-spot-draining]");
    wait_for("the button to say what it launches", || {
        text_of(&root, "button.launch-instance").as_deref()
            == Some("Launch Spot (drains on notice)")
    })
    .await;
    click(&root, "button.launch-instance");
    wait_for("the command saved with the setting", || {
        storage()
            .get_item(&Key::Sandbox.name())
            .unwrap()
            .is_some_and(|saved| {
                saved.contains("\"spotInstanceDraining\":true") && saved.contains("\"spot\":true")
            })
    })
    .await;
    app.destroy();
}

/// What a learner types into the sandbox's forms stays while the clock
/// plays (issue 20 found the new role's name and policy reset on every
/// tick): the role form, the command box and an open file.
#[wasm_bindgen_test]
async fn typing_in_the_sandbox_survives_the_clock() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    // A file of the learner's, open in the editor.
    let name: web_sys::HtmlInputElement = root
        .query_selector("input[name='new-file-name']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    name.set_value("draft.txt");
    click(&root, ".new-file button[type='submit']");
    wait_for("the file editor", || {
        root.query_selector("#file-text").unwrap().is_some()
    })
    .await;
    click(&root, "button.play");
    let typed = [
        ("input[name='role-name']", "typed-while-playing"),
        (
            "textarea[name='role-policy']",
            "{\"Version\": \"2012-10-17\"",
        ),
        ("textarea[name='command-text']", "{\"do\": \"loseAz\""),
        ("#file-text", "half a thought"),
    ];
    for (selector, text) in typed {
        let element = root.query_selector(selector).unwrap().unwrap();
        match element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            Some(area) => area.set_value(text),
            None => element
                .dyn_ref::<web_sys::HtmlInputElement>()
                .unwrap()
                .set_value(text),
        }
        // Typing fires input events; change comes only when the box is left.
        element
            .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
            .unwrap();
    }
    let start = text_of(&root, ".clock").unwrap();
    wait_for("the clock to move", || {
        text_of(&root, ".clock").unwrap() != start
    })
    .await;
    yew::platform::time::sleep(Duration::from_millis(1500)).await;
    assert_ne!(text_of(&root, ".clock").unwrap(), start);
    for (selector, text) in typed {
        let element = root.query_selector(selector).unwrap().unwrap();
        let value = match element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            Some(area) => area.value(),
            None => element
                .dyn_ref::<web_sys::HtmlInputElement>()
                .unwrap()
                .value(),
        };
        assert_eq!(value, text, "{selector} after the clock moved");
    }
    click(&root, "button.play");
    app.destroy();
    // The clock is kept when it stops; the next test starts from zero.
    forget_sandboxes();
}

/// Task chips and instances read in counting order, t-9 before t-10
/// (issue 20 found them sorted as text: t-1, t-10, t-100).
#[wasm_bindgen_test]
async fn task_chips_and_instances_are_in_counting_order() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let (root, app) = open_sandbox("#/sandbox/a-thousand-tasks").await;
    for _ in 0..3 {
        click(&root, "button.step");
    }
    wait_for("a lane of ten tasks or more", || {
        root.query_selector_all(".ecs-view .chips .chip")
            .unwrap()
            .length()
            >= 10
    })
    .await;
    let lanes = root.query_selector_all(".ecs-view .chips").unwrap();
    // Lanes whose text order would differ: where the test can tell.
    let mut telling = 0;
    for l in 0..lanes.length() {
        let lane: Element = lanes.item(l).unwrap().dyn_into().unwrap();
        let chips = lane.query_selector_all(".chip").unwrap();
        let ids: Vec<String> = (0..chips.length())
            .map(|c| chips.item(c).unwrap().text_content().unwrap_or_default())
            .collect();
        let numbers: Vec<u64> = ids
            .iter()
            .map(|id| id.rsplit('-').next().unwrap().parse().unwrap())
            .collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        assert_eq!(numbers, sorted, "lane {l}: {ids:?}");
        let mut as_text = ids.clone();
        as_text.sort();
        if as_text != ids {
            telling += 1;
        }
    }
    assert!(telling > 0, "no lane where text order differs");
    // And the instances of a zone: i-2 before i-10.
    let zones = root.query_selector_all(".ecs-view .az-lane").unwrap();
    for z in 0..zones.length() {
        let zone: Element = zones.item(z).unwrap().dyn_into().unwrap();
        let names = zone.query_selector_all(".instance-name").unwrap();
        let numbers: Vec<u64> = (0..names.length())
            .map(|n| {
                let text = names.item(n).unwrap().text_content().unwrap_or_default();
                let id = text
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                id.rsplit('-').next().unwrap().parse().unwrap()
            })
            .collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        assert_eq!(numbers, sorted, "zone {z}");
    }
    app.destroy();
    forget_sandboxes();
}

/// Every action answers beside where the learner acted: what a button or a
/// command did (the revision a registration made), what undo undid, why a
/// command was refused, and whether the share link was copied.
#[wasm_bindgen_test]
async fn every_action_answers_beside_where_the_learner_acted() {
    let _turn = take_turn().await;
    forget_sandboxes();
    let (root, app) = open_sandbox("#/sandbox/az-outage").await;
    // The chart has its axes: counts, the bill's own scale, simulated time.
    let x_axis = text_of(&root, ".timeline-chart .x-axis").unwrap();
    assert!(
        x_axis.contains("simulated time") && x_axis.ends_with("00:30:00"),
        "{x_axis}"
    );
    assert!(text_of(&root, ".timeline-chart .cost-axis")
        .unwrap()
        .starts_with('$'));
    let label = root
        .query_selector(".timeline-chart svg")
        .unwrap()
        .unwrap()
        .get_attribute("aria-label")
        .unwrap();
    assert!(label.contains("00:30:00 of simulated time"), "{label}");
    // The scenario's service exists once its first minutes have played.
    for _ in 0..3 {
        click(&root, "button.step");
    }
    wait_for("the service", || {
        root.query_selector(".services li button[aria-label^='One more']")
            .unwrap()
            .is_some()
    })
    .await;
    let desired = || text_of(&root, ".services li .desired").unwrap_or_default();
    let before = desired();
    click(&root, ".services li button[aria-label^='One more']");
    wait_for("the services' answer", || {
        text_of(&root, "ul.services + .sandbox-answer")
            .unwrap_or_default()
            .contains("desired count")
    })
    .await;
    click(&root, "button.undo");
    wait_for("undo's answer", || {
        text_of(&root, ".sandbox-answer")
            .unwrap_or_default()
            .starts_with("Undid change 1: aws ecs update-service")
    })
    .await;
    assert_eq!(desired(), before, "undo put the desired count back");
    assert!(
        root.query_selector("ul.services + .sandbox-answer")
            .unwrap()
            .is_none(),
        "only the last action answers"
    );

    // The command box answers inside itself, with the new revision.
    let run = |text: &str| choose(&root, "textarea[name=command-text]", text);
    run(
        r#"{"do": "registerTaskDefinition", "definition": {"family": "answers", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]}}"#,
    );
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.run-command");
    wait_for("the registration's revision", || {
        text_of(&root, ".command-box .sandbox-answer").as_deref()
            == Some("Registered task definition answers:1.")
    })
    .await;
    run(r#"{"do": "stopTask", "task": "t-9999"}"#);
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    click(&root, "button.run-command");
    wait_for("the refusal, in the command box", || {
        !text_of(&root, ".command-box .sandbox-message")
            .unwrap_or_default()
            .is_empty()
    })
    .await;

    // The share link has a copy button, which says how it went.
    click(&root, "button.share");
    wait_for("the link", || {
        root.query_selector("button.copy-link").unwrap().is_some()
    })
    .await;
    click(&root, "button.copy-link");
    wait_for("the copy's answer", || {
        let said = text_of(&root, ".share-link ~ .sandbox-answer")
            .or_else(|| text_of(&root, ".share-link ~ .sandbox-message"))
            .unwrap_or_default();
        said.contains("clipboard") || said.contains("did not let Dockyard copy")
    })
    .await;
    app.destroy();
}

/// Opens `scenario` afresh in the sandbox, plays `minutes`, and presses the
/// event log's first "Why?" that `button` selects.
async fn why_after(
    scenario: &str,
    minutes: usize,
    button: &str,
) -> (Element, yew::AppHandle<dockyard_app::App>) {
    forget_sandboxes();
    set_hash(&format!("#/sandbox/{scenario}"));
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the sandbox", || {
        root.query_selector("button.step").unwrap().is_some()
    })
    .await;
    for _ in 0..minutes {
        click(&root, "button.step");
    }
    wait_for("a Why? in the event log", || {
        root.query_selector(button).unwrap().is_some()
    })
    .await;
    click(&root, button);
    (root, app)
}

/// Issue 22: a task that could not start offers "Why?" in the event log,
/// which opens the inspector on the model's chain of causes (the call, who
/// made it, IAM's answer, what changes it), each step linked to its notes.
#[wasm_bindgen_test]
async fn a_task_that_could_not_start_lays_out_why() {
    let _turn = take_turn().await;
    let (root, app) = why_after("cannot-pull-image", 1, ".event-log button.why-button").await;
    wait_for("the chain in the inspector", || {
        root.query_selector_all(".inspector .why-stopped .why-chain li")
            .unwrap()
            .length()
            == 4
    })
    .await;
    let chain = text_of(&root, ".inspector .why-stopped .why-chain").unwrap();
    assert!(chain.contains("CannotPullContainerError"), "{chain}");
    assert!(
        chain.contains("task execution role logsOnlyExecutionRole"),
        "{chain}"
    );
    assert!(chain.contains("ecr:GetAuthorizationToken"), "{chain}");
    assert!(
        root.query_selector(".inspector .why-stopped .why-chain a[href$='notes/ecs-iam/']")
            .unwrap()
            .is_some(),
        "a step links to the IAM chapter"
    );
    // Focus moves after the click's render, on a zero timeout: wait for it
    // (a CI run once read it in between).
    wait_for("focus on the inspector", || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
            .is_some_and(|e| e.id() == "inspector")
    })
    .await;
    app.destroy();
}

/// Issue 22: a pod left Pending (no Fargate profile selects it, and the
/// cluster has no EC2 nodes) offers "Why?" too: the inspector lays out the
/// scheduler's words, why in EKS's terms, and what changes it.
#[wasm_bindgen_test]
async fn a_pending_pod_lays_out_why() {
    let _turn = take_turn().await;
    let (root, app) = why_after(
        "eks-fargate-profile",
        1,
        ".event-log button.why-button[aria-label$='Pending?']",
    )
    .await;
    wait_for("the chain in the inspector", || {
        text_of(&root, ".inspector .why-stopped h3")
            .is_some_and(|h| h == "Why it is Pending, step by step")
    })
    .await;
    let chain = text_of(&root, ".inspector .why-stopped .why-chain").unwrap();
    assert!(
        chain.contains("No Fargate profile of cluster jobs selects namespace default"),
        "{chain}"
    );
    assert!(
        chain.contains("What changes it: a Fargate profile"),
        "{chain}"
    );
    assert!(root
        .query_selector(".inspector .why-stopped .why-chain a[href$='notes/eks-node-types/']")
        .unwrap()
        .is_some());
    app.destroy();
}

/// Issue 22: a service unable to place its tasks offers "Why?" beside the
/// event, and the inspector shows the service with its chain: ECS's
/// answer, what placement books, and what changes it.
#[wasm_bindgen_test]
async fn a_service_that_cannot_place_its_tasks_lays_out_why() {
    let _turn = take_turn().await;
    let (root, app) = why_after(
        "a-full-cluster",
        4,
        ".event-log button.why-button[aria-label='Why can service web not place its tasks?']",
    )
    .await;
    wait_for("the chain in the inspector", || {
        text_of(&root, ".inspector .why-stopped h3")
            .is_some_and(|h| h == "Why it cannot place its tasks, step by step")
    })
    .await;
    let chain = text_of(&root, ".inspector .why-stopped .why-chain").unwrap();
    assert!(
        chain.contains("Service web is unable to place 2 of its 5 tasks"),
        "{chain}"
    );
    assert!(
        chain.contains("needs 1024 MiB, the largest free memory is 768 MiB on i-1"),
        "{chain}"
    );
    assert!(chain.contains("never adds instances by itself"), "{chain}");
    assert!(text_of(&root, ".inspector")
        .unwrap()
        .contains("Unplaced because"));
    app.destroy();
}
