//! Dockyard in a course page (issue 21): a host page iframes a lesson with
//! `?embed`; the lesson shows without the site's header, is done in the
//! frame as anywhere else, and the host hears lesson-started, hint-used and
//! goal-met through postMessage; the learner's receipt replays to the goal.

use super::terminal::paste_and_run;
use super::*;

/// A course page, as an instructor would write one, that records what
/// Dockyard tells it.
const HOST_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 1: ECS on Fargate</title></head>
<body>
<h1>Week 1: run a service on Fargate</h1>
<script>
  window.received = [];
  window.addEventListener("message", (event) => {
    if (event.data && event.data.source === "dockyard") window.received.push(event.data);
  });
</script>
<iframe src="lesson/run-a-service-on-fargate/?embed" title="Dockyard lesson: Run a service on Fargate"
        width="1200" height="820" style="border: 1px solid #888"></iframe>
</body></html>
"#;

async fn received(client: &Client) -> Vec<Value> {
    script(client, "return window.received;")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_course_page_embeds_a_lesson_and_hears_when_it_is_done() {
    let copy =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-site-embed");
    dockyard_e2e::copy_site(&dist_dir(), &copy);
    std::fs::write(copy.join("embed-host.html"), HOST_PAGE).expect("write the host page");
    let server = StaticServer::start(copy);
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 1000).await;
    client
        .goto(&format!("{}embed-host.html", server.base_url))
        .await
        .expect("open the host page");

    client
        .enter_frame(0)
        .await
        .expect("into the lesson's frame");
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let chrome = script(
        &client,
        "return [document.querySelector('.site-header') === null,
                 document.documentElement.hasAttribute('data-embedded'),
                 document.querySelector('.skip-link') !== null];",
    )
    .await;
    assert_eq!(
        chrome,
        serde_json::json!([true, true, true]),
        "no site header in the frame; the skip link stays"
    );
    click(&client, ".lesson-panel button.hint").await;
    paste_and_run(
        &client,
        include_str!("../../../../lessons/solutions/run-a-service-on-fargate.sh"),
    )
    .await;
    minutes(&client, 3).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;

    // A receipt for the instructor: named, then replayed here as
    // `dockyard receipt check` would replay it.
    click(&client, ".lesson-panel .receipt summary").await;
    let name_box = client
        .find(Locator::Css(".lesson-panel .receipt-name input"))
        .await
        .expect("the name box");
    name_box
        .send_keys("Ada Lovelace")
        .await
        .expect("type a name");
    let json = script(
        &client,
        "return document.querySelector('.lesson-panel .receipt-json').value;",
    )
    .await;
    let receipt = dockyard_course::receipts::Receipt::parse(json.as_str().unwrap_or_default())
        .expect("the receipt reads");
    assert_eq!(receipt.name, "Ada Lovelace");
    assert_eq!(receipt.hints_used, 1);
    assert!(receipt.seconds_spent.is_some());
    assert_eq!(
        receipt.check(dockyard_course::lessons::lesson),
        dockyard_course::receipts::Verdict::Completed
    );
    client.enter_parent_frame().await.expect("back to the host");

    let mut events = Vec::new();
    for _ in 0..50 {
        events = received(&client).await;
        if events.iter().any(|e| e["event"] == "goal-met") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let names: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(
        names,
        ["lesson-started", "hint-used", "goal-met"],
        "{events:?}"
    );
    for event in &events {
        assert_eq!(event["lesson"], "run-a-service-on-fargate");
        assert_eq!(event["version"], 1);
    }
    assert_eq!(events[1]["hintsUsed"], 1);
    assert_eq!(events[2]["hintsUsed"], 1);
    assert_eq!(events[2]["solutionShown"], false);
    screenshot(&client, "embedded-lesson-in-a-course-page.png").await;

    // Without ?embed the same lesson is the whole site, and tells nobody.
    client
        .goto(&format!(
            "{}lesson/run-a-service-on-fargate/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let header = script(
        &client,
        "return document.querySelector('.site-header') !== null;",
    )
    .await;
    assert_eq!(header, Value::Bool(true));
    client.close().await.expect("close the session");
}
