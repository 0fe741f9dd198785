//! Journeys through the release build (dist/), served on loopback under a
//! sub-path and driven in headless Chromium through chromedriver, as a
//! learner would: open, read every chapter, reload, go back, change theme,
//! use the keyboard. Screenshots land in target/screenshots/.

use std::time::Duration;

use dockyard_course::CHAPTERS;
use dockyard_e2e::{dist_dir, screenshot_dir, ChromeDriver, StaticServer};
use fantoccini::{key::Key, Client, Locator};
use serde_json::Value;

async fn heading(client: &Client) -> String {
    match client.find(Locator::Css("#notes-heading")).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Polls until the chapter heading reads `expected` (ten seconds at most:
/// the first load compiles the wasm).
/// Waits until the app has drawn the page over its prerendered copy (it
/// removes `#prerendered`), or the page says the app could not start (the
/// loader marks `<html data-app=failed>`): what a learner can act on.
async fn wait_for_app(client: &Client) {
    for _ in 0..300 {
        let ready = script(
            client,
            "return document.getElementById('prerendered') === null || document.documentElement.dataset.app === 'failed';",
        )
        .await;
        if ready == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the app did not take over the page at {:?}",
        client.current_url().await
    );
}

async fn wait_for_heading(client: &Client, expected: &str) {
    wait_for_app(client).await;
    let mut last = String::new();
    for _ in 0..200 {
        last = heading(client).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "expected the heading {expected:?}, the page shows {last:?} at {:?}",
        client.current_url().await
    );
}

/// The address under the site's root (`notes/fargate/`), with its fragment.
async fn place(client: &Client) -> String {
    let url = client.current_url().await.expect("a URL");
    let path = url
        .path()
        .strip_prefix(dockyard_e2e::SUB_PATH)
        .unwrap_or(url.path());
    match url.fragment() {
        Some(fragment) => format!("{path}#{fragment}"),
        None => path.to_string(),
    }
}

/// Polls until the address is `expected` (old `#/...` links are rewritten
/// by the app once it starts).
async fn wait_for_place(client: &Client, expected: &str) {
    wait_for_app(client).await;
    let mut last = String::new();
    for _ in 0..200 {
        last = place(client).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected the address {expected:?}, the browser shows {last:?}");
}

async fn script(client: &Client, source: &str) -> Value {
    client
        .execute(source, vec![])
        .await
        .expect("the script runs")
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    std::fs::write(screenshot_dir().join(name), png).expect("write the screenshot");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_reads_every_chapter_reloads_and_goes_back() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 900).await;

    // A new learner lands on the first chapter, and the URL names it.
    client.goto(&server.base_url).await.expect("open the site");
    wait_for_heading(&client, CHAPTERS[0].title).await;
    assert_eq!(place(&client).await, format!("notes/{}/", CHAPTERS[0].slug));
    screenshot(&client, "first-screen.png").await;

    // Notes and sandbox pane side by side on a wide screen.
    let side_by_side = script(
        &client,
        "const m = document.querySelector('main').getBoundingClientRect();\
         const a = document.querySelector('aside.sandbox').getBoundingClientRect();\
         return a.left >= m.right - 1 && a.top < m.bottom;",
    )
    .await;
    assert_eq!(
        side_by_side,
        Value::Bool(true),
        "the panes are not side by side at 1366 px"
    );

    // Every chapter, through the course navigation.
    for chapter in &CHAPTERS[1..] {
        let link = format!("nav.course-nav a[href$='/notes/{}/']", chapter.slug);
        client
            .find(Locator::Css(&link))
            .await
            .expect("a navigation link")
            .click()
            .await
            .expect("click");
        wait_for_heading(&client, chapter.title).await;
        assert_eq!(place(&client).await, format!("notes/{}/", chapter.slug));
        let title = client.title().await.expect("a title");
        assert_eq!(title, format!("{} \u{b7} Dockyard", chapter.title));
    }
    let last = CHAPTERS.last().unwrap();
    let before_last = &CHAPTERS[CHAPTERS.len() - 2];

    // Reload keeps the place; back and forward move through history.
    client.refresh().await.expect("reload");
    wait_for_heading(&client, last.title).await;
    client.back().await.expect("back");
    wait_for_heading(&client, before_last.title).await;
    client.forward().await.expect("forward");
    wait_for_heading(&client, last.title).await;

    // Opening the bare address again returns to where the learner was.
    client
        .goto(&server.base_url)
        .await
        .expect("open the site again");
    wait_for_heading(&client, last.title).await;

    // A shared link to a chapter opens that chapter.
    client
        .goto(&format!("{}#/notes/ecs-iam", server.base_url))
        .await
        .expect("open an old-style link");
    wait_for_place(&client, "notes/ecs-iam/").await;
    wait_for_heading(
        &client,
        "IAM in ECS: task role, execution role, instance profile",
    )
    .await;
    screenshot(&client, "iam-wide.png").await;

    // The CSI storage panel beside the EKS storage chapter has every driver
    // the EKS guide documents, each with the model's verdicts.
    client
        .goto(&format!("{}notes/eks-data-volumes/", server.base_url))
        .await
        .expect("open the EKS storage chapter");
    wait_for_text(&client, "#csi-heading", "CSI storage").await;
    let panel = text(&client, "section[aria-labelledby=csi-heading]").await;
    for driver in [
        "FSx for OpenZFS CSI driver",
        "Amazon File Cache CSI driver",
        "Mountpoint for Amazon S3 CSI driver",
    ] {
        assert!(panel.contains(driver), "{driver}: {panel}");
    }
    script(
        &client,
        "document.getElementById('csi-heading').scrollIntoView(); return true;",
    )
    .await;
    screenshot(&client, "csi-matrix.png").await;

    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_panes_stack_and_the_navigation_scrolls() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(390, 844).await;
    client
        .goto(&format!("{}notes/fargate/", server.base_url))
        .await
        .expect("open the site");
    wait_for_heading(&client, "AWS Fargate").await;
    let stacked = script(
        &client,
        "const m = document.querySelector('main').getBoundingClientRect();\
         const a = document.querySelector('aside.sandbox').getBoundingClientRect();\
         return a.top >= m.bottom - 1;",
    )
    .await;
    assert_eq!(
        stacked,
        Value::Bool(true),
        "the panes are not stacked at 390 px"
    );
    let current_visible = script(
        &client,
        "const r = document.querySelector('.course-nav .nav-link.current').getBoundingClientRect();\
         return r.left >= 0 && r.right <= window.innerWidth;",
    )
    .await;
    assert_eq!(
        current_visible,
        Value::Bool(true),
        "the current chapter is scrolled out of the navigation strip"
    );
    let overflow = script(
        &client,
        "return document.documentElement.scrollWidth <= window.innerWidth;",
    )
    .await;
    assert_eq!(
        overflow,
        Value::Bool(true),
        "the page scrolls sideways on a phone"
    );
    screenshot(&client, "phone.png").await;
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread")]
async fn theme_and_keyboard() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 800).await;
    client
        .goto(&format!("{}notes/ecs-data-volumes/", server.base_url))
        .await
        .expect("open the site");
    wait_for_heading(&client, "ECS data volumes").await;

    // The first Tab reaches the skip link; Enter takes focus to the notes.
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&Key::Tab.to_string())
        .await
        .unwrap();
    let focused = script(&client, "return document.activeElement.className;").await;
    assert_eq!(focused, Value::String("skip-link".into()));
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    let focused = script(&client, "return document.activeElement.id;").await;
    assert_eq!(
        focused,
        Value::String("main".into()),
        "the skip link takes the focus to the page's <main>"
    );

    // Dark theme, chosen from the header, survives a reload.
    let select = client
        .find(Locator::Css(".theme-picker select"))
        .await
        .expect("the theme picker");
    select.select_by_value("dark").await.expect("choose dark");
    let background = "return getComputedStyle(document.body).backgroundColor;";
    let dark = script(&client, background).await;
    assert_eq!(dark, Value::String("rgb(17, 20, 23)".into()));
    client.refresh().await.unwrap();
    wait_for_heading(&client, "ECS data volumes").await;
    assert_eq!(
        script(&client, background).await,
        dark,
        "the theme was not remembered"
    );
    screenshot(&client, "dark.png").await;

    // Corrupt saved data: a notice, the notes still there.
    script(
        &client,
        "localStorage.setItem('dockyard.v2.settings', '{not json'); return null;",
    )
    .await;
    client.refresh().await.unwrap();
    wait_for_heading(&client, "ECS data volumes").await;
    let notice = client
        .find(Locator::Css(".notice"))
        .await
        .expect("a notice")
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("could not read your saved settings"),
        "{notice}"
    );
    client.close().await.expect("close the session");
}

/// Issue 5, journey 4: the same load on Fargate and on EC2 with a capacity
/// provider, each played at 600x to the end of its load curve; the bills
/// and the reaction differ, and both are drawn.
#[tokio::test(flavor = "multi_thread")]
async fn the_fargate_and_ec2_comparison_plays_to_the_end() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    let mut bills = Vec::new();
    for slug in ["web-on-fargate", "web-on-ec2-capacity-provider"] {
        client
            .goto(&format!("{}sandbox/{slug}/", server.base_url))
            .await
            .expect("open the sandbox");
        wait_for_text(&client, ".clock", "00:00:00").await;
        play_to_the_end(&client, "01:30:00").await;
        let bill = client
            .find(Locator::Css(".bill"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let dollars: f64 = bill.trim_start_matches('$').parse().expect("a bill");
        assert!(dollars > 0.0, "{slug}: {bill}");
        bills.push(dollars);
        let points = script(
            &client,
            "return document.querySelector('.series.running').getAttribute('points').split(' ').length;",
        )
        .await;
        assert_eq!(
            points,
            Value::from(90),
            "{slug}: a point per simulated minute"
        );
        screenshot(&client, &format!("sandbox-{slug}.png")).await;
    }
    assert_ne!(bills[0], bills[1], "the same load costs differently");

    // Side by side on one clock, to the end of the load curve.
    client
        .goto(&format!("{}compare/", server.base_url))
        .await
        .expect("open the comparison");
    wait_for_text(&client, ".clock", "00:00:00").await;
    play_to_the_end(&client, "01:30:00").await;
    let side_bills = script(
        &client,
        "return [...document.querySelectorAll('.compare-side .bill')].map(b => b.textContent);",
    )
    .await;
    assert_eq!(
        side_bills,
        serde_json::json!([format!("${:.4}", bills[0]), format!("${:.4}", bills[1])]),
        "each side ends where its own run ended"
    );
    screenshot(&client, "compare.png").await;
}

async fn text(client: &Client, selector: &str) -> String {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|_| panic!("no {selector}"))
        .text()
        .await
        .unwrap()
}

async fn click(client: &Client, selector: &str) {
    let element = client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|_| panic!("no {selector}"));
    click_element(client, element).await;
}

/// Clicks an element as a learner would: once it is in the middle of the
/// view, not under the clock's sticky toolbar (WebDriver clicks an element
/// that is barely in view where it is).
async fn click_element(client: &Client, element: fantoccini::elements::Element) {
    let argument = serde_json::to_value(&element).expect("an element reference");
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![argument],
        )
        .await
        .expect("scroll into view");
    element.click().await.unwrap();
}

/// Waits until the element's text holds `expected` anywhere in it.
async fn wait_for_contains(client: &Client, selector: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..200 {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(expected) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector}: expected {expected:?} in it, found {last:?}");
}

async fn wait_for_text(client: &Client, selector: &str, expected: &str) {
    wait_for_app(client).await;
    let mut last = String::new();
    for _ in 0..200 {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            last = element.text().await.unwrap_or_default();
            if last.starts_with(expected) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector}: expected {expected:?}, found {last:?}");
}

/// Plays the clock at 600x until it shows `end` (5,400 simulated seconds
/// take about 9 s), then checks that it stopped there.
async fn play_to_the_end(client: &Client, end: &str) {
    client
        .find(Locator::Css("select.speed"))
        .await
        .unwrap()
        .select_by_value("600")
        .await
        .unwrap();
    click(client, "button.play").await;
    let mut clock = String::new();
    for _ in 0..400 {
        clock = text(client, ".clock").await;
        if clock.starts_with(end) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(clock.starts_with(end), "the clock stopped at {clock}");
    assert_eq!(
        text(client, "button.play").await,
        "Play",
        "the clock stops at the end"
    );
}

/// What the learner sees of the sandbox's state.
async fn sandbox_state(client: &Client) -> (String, Value, String) {
    (
        text(client, ".clock").await,
        script(
            client,
            "return document.querySelectorAll('.ecs-view .az-lane.lost').length;",
        )
        .await,
        text(client, ".session-count").await,
    )
}

/// Issue 5, journey 5: change the sandbox, undo, reload, then open the share
/// link in a fresh browser profile and land in the same state.
#[tokio::test(flavor = "multi_thread")]
async fn undo_reload_and_a_share_link_in_a_fresh_profile() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}sandbox/az-outage/", server.base_url))
        .await
        .expect("open the sandbox");
    wait_for_text(&client, ".clock", "00:00:00").await;
    for _ in 0..3 {
        click(&client, "button.step").await;
    }
    wait_for_text(&client, ".clock", "00:03:00").await;
    click(&client, ".ecs-view .az-lane:nth-child(2) .zone-action").await;
    wait_for_text(&client, ".session-count", "1 change").await;
    click(&client, ".services li button[aria-label^='One more']").await;
    wait_for_text(&client, ".session-count", "2 changes").await;
    click(&client, "button.undo").await;
    wait_for_text(&client, ".session-count", "1 change").await;
    let before = sandbox_state(&client).await;
    assert_eq!(before.1, Value::from(1));

    client.refresh().await.unwrap();
    wait_for_text(&client, ".clock", "00:03:00").await;
    assert_eq!(
        sandbox_state(&client).await,
        before,
        "a reload keeps the sandbox"
    );

    click(&client, "button.share").await;
    let link = script(
        &client,
        "return document.querySelector('.share-link input').value;",
    )
    .await;
    let link = link.as_str().expect("a link").to_string();
    assert!(link.contains("#/share/"), "{link}");
    screenshot(&client, "sandbox-before-share.png").await;

    // Another chromedriver: another profile, with nothing saved.
    let other = ChromeDriver::start();
    let fresh = other.session(1366, 1000).await;
    fresh.goto(&link).await.expect("open the share link");
    wait_for_text(&fresh, ".clock", "00:03:00").await;
    let shared = sandbox_state(&fresh).await;
    assert_eq!(
        (&shared.0, &shared.1),
        (&before.0, &before.1),
        "the link carries the state"
    );
    // The sender's changes, not the recipient's, until they keep them.
    assert_eq!(shared.2, "1 change in this shared state");
    assert!(text(&fresh, ".shared-notice")
        .await
        .contains("unless you keep it"));
    screenshot(&fresh, "sandbox-from-share-link.png").await;
    fresh.close().await.unwrap();
}

/// Issue 5, journey 2: a task whose role may read an S3 object and one whose
/// role may not; the denial is explained with its deciding statement.
#[tokio::test(flavor = "multi_thread")]
async fn two_task_roles_one_read_allowed_one_denied_and_explained() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}sandbox/task-roles-s3/", server.base_url))
        .await
        .expect("open the sandbox");
    wait_for_text(&client, ".clock", "00:00:00").await;
    for _ in 0..3 {
        click(&client, "button.step").await;
    }
    wait_for_text(&client, ".clock", "00:03:00").await;
    let mut verdicts = Vec::new();
    for service in ["reader", "dashboard"] {
        // The task chip of this service (its label names the service).
        let selector = format!(".chip.state-running[aria-label$='service {service}']");
        let chip = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&selector))
            .await
            .expect("a running task");
        click_element(&client, chip).await;
        wait_for_text(&client, ".task-calls h3", "Who calls what").await;
        let calls = script(
            &client,
            "return [...document.querySelectorAll('.task-calls .call')].map(c => c.className + ' | ' + c.textContent);",
        )
        .await;
        let calls: Vec<String> = calls
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        assert_eq!(calls.len(), 3, "{calls:?}");
        assert!(
            calls[0].contains("allowed") && calls[0].contains("execution role"),
            "{calls:?}"
        );
        verdicts.push(calls[2].clone());
        screenshot(&client, &format!("task-role-{service}.png")).await;
    }
    assert!(verdicts[0].starts_with("call allowed"), "{}", verdicts[0]);
    assert!(verdicts[1].starts_with("call denied"), "{}", verdicts[1]);
    assert!(
        verdicts[1].contains("NoReports"),
        "the deciding statement: {}",
        verdicts[1]
    );
    // Its chain of causes, under "Why, step by step" (issue 22).
    assert!(
        verdicts[1].contains("Why, step by step")
            && verdicts[1].contains("IAM's answer: an explicit deny")
            && verdicts[1].contains("What changes the answer: removing or narrowing the Deny"),
        "the chain: {}",
        verdicts[1]
    );

    // A policy that is not JSON is refused, and nothing changes.
    click(&client, ".roles-panel summary").await;
    let policy = client
        .find(Locator::Css("textarea[name=role-policy]"))
        .await
        .unwrap();
    policy.clear().await.unwrap();
    policy.send_keys("{ not json").await.unwrap();
    click(&client, "button.create-role").await;
    wait_for_text(
        &client,
        ".sandbox-message",
        "The policy cannot be read: line 1, column 3",
    )
    .await;

    // Give the dashboard the reader's role: a new revision, a deployment,
    // and its new task may read.
    client
        .find(Locator::Css("select[name=task-role-dashboard]"))
        .await
        .unwrap()
        .select_by_value("arn:aws:iam::111122223333:role/reportsReaderRole")
        .await
        .unwrap();
    wait_for_text(&client, ".session-count", "1 change").await;
    for _ in 0..4 {
        click(&client, "button.step").await;
    }
    wait_for_text(&client, ".clock", "00:07:00").await;
    click(
        &client,
        ".chip.state-running[aria-label$='service dashboard']",
    )
    .await;
    wait_for_text(&client, ".task-calls h3", "Who calls what").await;
    let revision = text(&client, ".inspector dl").await;
    assert!(revision.contains("dashboard:2"), "{revision}");
    let last = script(
        &client,
        "const calls = document.querySelectorAll('.task-calls .call'); return calls[calls.length - 1].className;",
    )
    .await;
    assert_eq!(last, Value::from("call allowed"));
}

/// Issue 5, journey 3: EFS and ephemeral storage; write data, stop the task,
/// and see which data survived.
#[tokio::test(flavor = "multi_thread")]
async fn efs_data_survives_a_stopped_task_and_ephemeral_data_does_not() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1100).await;
    client
        .goto(&format!(
            "{}sandbox/efs-and-ephemeral-storage/",
            server.base_url
        ))
        .await
        .expect("open the sandbox");
    wait_for_text(&client, ".clock", "00:00:00").await;
    for _ in 0..3 {
        click(&client, "button.step").await;
    }
    wait_for_text(&client, ".clock", "00:03:00").await;
    // The learner's own file on the EFS volume, next to the scenario's.
    click(&client, ".chip.state-running").await;
    wait_for_text(&client, ".task-files h3", "Files").await;
    client
        .find(Locator::Css("select.file-volume"))
        .await
        .unwrap()
        .select_by_value("shared")
        .await
        .unwrap();
    let path = client.find(Locator::Css("input.file-path")).await.unwrap();
    path.clear().await.unwrap();
    path.send_keys("mine/keep-me.txt").await.unwrap();
    click(&client, "button.write").await;
    wait_for_text(&client, ".session-count", "1 change").await;
    let before = text(&client, ".task-files").await;
    assert!(
        before.contains("mine/keep-me.txt") && before.contains("cache/partial.bin"),
        "{before}"
    );
    screenshot(&client, "files-before-stop.png").await;

    // The scenario stops the task at minute 5; its replacement starts.
    for _ in 0..3 {
        click(&client, "button.step").await;
    }
    wait_for_text(&client, ".clock", "00:06:00").await;
    let log = text(&client, ".event-log").await;
    assert!(log.contains("was deleted when task t-1 stopped"), "{log}");
    click(&client, ".chip.state-running").await;
    wait_for_text(&client, ".inspector h2", "t-2").await;
    let after = text(&client, ".task-files").await;
    assert!(
        after.contains("reports/2026-11.csv") && after.contains("mine/keep-me.txt"),
        "EFS kept both: {after}"
    );
    assert!(
        !after.contains("cache/partial.bin"),
        "scratch went with the task: {after}"
    );
    screenshot(&client, "files-after-stop.png").await;
}

/// Issue 5, journey 1: a Fargate task definition with a size off the menu,
/// the finding beside the field, fixed from the menu; the JSON follows the
/// form and the form follows the JSON.
#[tokio::test(flavor = "multi_thread")]
async fn a_fargate_size_off_the_menu_is_found_and_fixed_from_the_menu() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}editor/", server.base_url))
        .await
        .expect("open the editor");
    wait_for_text(&client, "#notes-heading", "Task definition editor").await;
    // The example asks for 0.25 vCPU with 4 GB.
    wait_for_text(&client, ".checker-summary", "1 error").await;
    let beside = text(&client, "select[name=fargate-size] ~ .findings").await;
    assert!(beside.contains("fargate-size"), "{beside}");
    // The words ECS refuses it with, as a learner will meet them.
    assert!(
        beside.contains("ECS answers: Invalid 'cpu' setting for task."),
        "{beside}"
    );
    screenshot(&client, "editor-invalid-size.png").await;

    client
        .find(Locator::Css("select[name=fargate-size]"))
        .await
        .unwrap()
        .select_by_value("256/512")
        .await
        .unwrap();
    wait_for_text(&client, ".checker-summary", "Valid").await;
    let json = script(
        &client,
        "return document.querySelector('#editor-text').value;",
    )
    .await;
    let json: Value =
        serde_json::from_str(json.as_str().unwrap()).expect("the JSON follows the form");
    assert_eq!(
        (json["cpu"].as_str(), json["memory"].as_str()),
        (Some("256"), Some("512"))
    );

    // And the form follows the JSON.
    script(
        &client,
        "const area = document.querySelector('#editor-text');
         area.value = area.value.replace('\"family\": \"web\"', '\"family\": \"shop\"');
         area.dispatchEvent(new InputEvent('input'));
         return null;",
    )
    .await;
    let family = script(
        &client,
        "return document.querySelector('input[name=family]').value;",
    )
    .await;
    assert_eq!(family, Value::from("shop"));
    click(&client, "button.register").await;
    wait_for_text(&client, ".revisions", "Registered: shop:1").await;
    screenshot(&client, "editor-fixed.png").await;

    // Volumes from the form: a Docker volume, which Fargate refuses, and why.
    client
        .find(Locator::Css("select[name=volume-kind]"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    click(&client, "button.attach").await;
    wait_for_text(&client, ".volume-row", "data: Docker volume, task scope").await;
    wait_for_text(&client, ".checker-summary", "1 error").await;
    let row = text(&client, ".volume-row").await;
    assert!(row.contains("volume-fargate"), "{row}");
    script(
        &client,
        "document.querySelector('.volume-fields').scrollIntoView(); return null;",
    )
    .await;
    screenshot(&client, "editor-volume-refused.png").await;
}

/// Registries: an immutable tag refuses a second image, a scan counts its
/// findings by severity, and ECR refuses a second basic scan within a day.
#[tokio::test(flavor = "multi_thread")]
async fn an_immutable_tag_refuses_a_new_image_and_scans_are_rate_limited() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}registries/", server.base_url))
        .await
        .expect("open the registries");
    wait_for_text(&client, "#notes-heading", "Registries").await;
    click(&client, "button.create").await;
    wait_for_text(&client, ".sandbox-message", "Created repository shop/web").await;
    click(&client, "button.push").await;
    wait_for_text(&client, ".sandbox-message", "Pushed shop/web:v1").await;
    let pushed = text(&client, ".sandbox-message").await;
    assert!(pushed.contains("Scanned on push"), "{pushed}");
    // Different content under the same immutable tag.
    let content = client
        .find(Locator::Css("input[name=content]"))
        .await
        .unwrap();
    content.clear().await.unwrap();
    content.send_keys("web build 2").await.unwrap();
    click(&client, "button.push").await;
    wait_for_text(
        &client,
        ".sandbox-message",
        "ImageTagAlreadyExistsException",
    )
    .await;
    // The scan on push was minutes ago: a manual scan is refused for a day.
    click(&client, "button.scan-now").await;
    wait_for_text(&client, ".sandbox-message", "LimitExceededException").await;
    click(&client, "button.next-day").await;
    click(&client, "button.scan-now").await;
    wait_for_text(&client, ".sandbox-message", "Scanned sha256:").await;
    let table = text(&client, ".images").await;
    assert!(table.contains("v1"), "{table}");
    screenshot(&client, "registries.png").await;

    // A reload replays the saved work: the same image, scans and clock.
    client.refresh().await.expect("reload");
    wait_for_text(&client, ".images", "Digest Tags").await;
    assert_eq!(text(&client, ".images").await, table);
    let clock = text(&client, ".panel-lead").await;
    assert!(clock.contains("day 2, 01:00"), "{clock}");
    screenshot(&client, "registries-after-reload.png").await;

    // The same build pushed to Docker Hub, in the learner's namespace: the
    // repository is created on the push, public, with the same digest.
    client
        .find(Locator::Css("select[name=push-target]"))
        .await
        .unwrap()
        .select_by_value("hub")
        .await
        .expect("choose Docker Hub");
    wait_for_text(
        &client,
        "label:has(input[name=hub-repository])",
        "Repository (NAMESPACE/NAME)",
    )
    .await;
    click(&client, "button.push").await;
    wait_for_text(
        &client,
        ".sandbox-message",
        "Pushed docker.io/learner/web:v1",
    )
    .await;
    let hub = text(&client, ".hub-repository").await;
    let ecr_digest = table
        .split_whitespace()
        .find(|w| w.starts_with("sha256:"))
        .unwrap();
    assert!(hub.contains(ecr_digest), "{hub} lacks {ecr_digest}");
    screenshot(&client, "registries-docker-hub.png").await;
}

/// Types a command into the sandbox's command box and runs it now.
async fn run_command(client: &Client, json: &str) {
    script(
        client,
        &format!(
            "const box = document.querySelector('details.command-box'); box.open = true;
             const area = box.querySelector('textarea');
             area.value = {};
             area.dispatchEvent(new Event('change'));
             return null;",
            serde_json::to_string(json).unwrap()
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    click(client, "button.run-command").await;
}

async fn minutes(client: &Client, n: usize) {
    for _ in 0..n {
        click(client, "button.step").await;
    }
}

/// Issue 6: a learner completes three lessons (ECS, IAM, EKS) by working
/// in the sandbox beside each, reloads, and finds the progress kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_completes_three_lessons_and_keeps_the_progress() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}lessons/", server.base_url))
        .await
        .expect("open the course map");
    wait_for_text(&client, "#notes-heading", "Lessons").await;
    wait_for_text(&client, ".panel-lead", "0 of").await;
    screenshot(&client, "lessons-map-before.png").await;

    // ECS: a service on Fargate.
    click(&client, "a[href$='/lesson/run-a-service-on-fargate/']").await;
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    wait_for_text(&client, ".lesson-panel .condition", "Not yet").await;
    click(&client, "button.hint").await;
    wait_for_text(&client, ".lesson-panel .hints", "A service keeps").await;
    run_command(
        &client,
        r#"{"do": "createService", "cluster": "shop", "name": "web", "taskDefinition": "web", "desiredCount": 2, "capacity": "fargate"}"#,
    )
    .await;
    minutes(&client, 2).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    screenshot(&client, "lesson-ecs-met.png").await;

    // IAM: the dashboard's task role, changed once its first deployment is done.
    client
        .goto(&format!(
            "{}lesson/a-task-role-for-the-app/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#lesson-title",
        "The task role is the application's",
    )
    .await;
    minutes(&client, 5).await;
    let denied = text(&client, ".lesson-panel .goal").await;
    assert!(
        denied.contains("Denied by statement \"NoReports\""),
        "{denied}"
    );
    run_command(
        &client,
        r#"{"do": "setTaskRoles", "service": "dashboard", "taskRoleArn": "arn:aws:iam::111122223333:role/reportsReaderRole", "executionRoleArn": "arn:aws:iam::111122223333:role/reportsExecutionRole"}"#,
    )
    .await;
    minutes(&client, 6).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    let allowed = text(&client, ".lesson-panel .goal").await;
    assert!(
        allowed.contains("Allowed by statement \"ReadReports\""),
        "{allowed}"
    );
    screenshot(&client, "lesson-iam-met.png").await;

    // EKS: pods in namespace default need a Fargate profile that selects
    // them when they are created, so the Pending pods are recreated.
    client
        .goto(&format!(
            "{}lesson/pods-on-a-fargate-profile/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        "#lesson-title",
        "Pods run on Fargate only through a profile",
    )
    .await;
    click(&client, "button.show-solution").await;
    wait_for_text(&client, ".lesson-panel .confirm", "Seeing the solution").await;
    click(&client, "button.confirm-solution").await;
    wait_for_text(&client, ".lesson-panel .solution", "The reference solution").await;
    for command in [
        r#"{"do": "createFargateProfile", "cluster": "jobs", "name": "web-profile", "namespace": "default"}"#,
        r#"{"do": "scaleDeployment", "deployment": "web", "replicas": 0}"#,
        r#"{"do": "scaleDeployment", "deployment": "web", "replicas": 2}"#,
    ] {
        run_command(&client, command).await;
    }
    minutes(&client, 3).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    screenshot(&client, "lesson-eks-met.png").await;

    // A reload of the course map: three done, the next one named.
    client
        .goto(&format!("{}lessons/", server.base_url))
        .await
        .unwrap();
    client.refresh().await.unwrap();
    wait_for_text(&client, ".panel-lead", "3 of").await;
    let done = script(
        &client,
        "return [...document.querySelectorAll('.map-lesson.done a')].map(a => a.textContent);",
    )
    .await;
    assert_eq!(
        done,
        serde_json::json!([
            "Run a service on Fargate",
            "The task role is the application's",
            "Pods run on Fargate only through a profile"
        ])
    );
    let next = text(&client, ".map-lesson.next a").await;
    assert_eq!(next, "latest is a tag, not a promise");
    screenshot(&client, "lessons-map-after.png").await;

    // The next lesson works on the registry: push build 2 as 1.1 and as
    // latest through the registries page's form.
    client
        .goto(&format!("{}lesson/latest-is-only-a-tag/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "latest is a tag, not a promise").await;
    screenshot(&client, "lesson-registry-start.png").await;
    for tag in ["1.1", "latest"] {
        script(
            &client,
            &format!(
                "const set = (sel, v) => {{ const e = document.querySelector(sel); e.value = v; e.dispatchEvent(new Event('change')); }};
                 set('select[name=push-repository]', 'app');
                 set('input[name=tag]', '{tag}');
                 set('input[name=content]', 'app build 2');
                 return null;"
            ),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        click(&client, "button.push").await;
        wait_for_text(
            &client,
            ".sandbox-message:not(.goal-met)",
            &format!("Pushed app:{tag}"),
        )
        .await;
    }
    wait_for_text(&client, ".goal-met", "Goal met").await;
    screenshot(&client, "lesson-registry-met.png").await;
}

#[path = "journeys/terminal.rs"]
mod terminal;

#[path = "journeys/kubectl.rs"]
mod kubectl;

#[path = "journeys/billing.rs"]
mod billing;
#[path = "journeys/builder.rs"]
mod builder;
#[path = "journeys/embed.rs"]
mod embed;
#[path = "journeys/figures.rs"]
mod figures;
#[path = "journeys/hostile.rs"]
mod hostile;
#[path = "journeys/iam.rs"]
mod iam;
#[path = "journeys/packs.rs"]
mod packs;
#[path = "journeys/practice.rs"]
mod practice;
#[path = "journeys/reach.rs"]
mod reach;
