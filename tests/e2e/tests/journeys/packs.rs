//! Lesson packs and the class page (issue 21): a learner loads an
//! instructor's pack from a loopback URL, does one of its lessons (its
//! progress kept apart from the course's), makes a receipt; a hostile pack
//! from a file is refused with the field named, and nothing is lost; the
//! instructor's class page replays receipts, flagging a tampered one.

use super::*;

const EXAMPLE_PACK: &str = include_str!("../../../../packs/example.pack.json");

#[tokio::test(flavor = "multi_thread")]
async fn a_pack_loads_from_a_url_its_lesson_is_done_and_the_class_page_replays_the_receipt() {
    let copy =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-site-packs");
    dockyard_e2e::copy_site(&dist_dir(), &copy);
    std::fs::write(copy.join("week-1.pack.json"), EXAMPLE_PACK).expect("write the pack");
    let huge = format!("{{\"pack\": 1, \"pad\": \"{}\"}}", "x".repeat(600 * 1024));
    std::fs::write(copy.join("huge.pack.json"), huge).expect("write a huge pack");
    let server = StaticServer::start(copy);
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 1000).await;

    // From a loopback URL, as an instructor's shared link gives it.
    let address = format!("{}week-1.pack.json", server.base_url);
    client
        .goto(&format!(
            "{}packs/?from={}",
            server.base_url,
            urlencode(&address)
        ))
        .await
        .expect("open the packs page");
    wait_for_text(&client, ".pack-message", "Loaded An example pack").await;
    let source = text(&client, ".pack .pack-source").await;
    assert!(source.contains(&address), "where it came from: {source}");
    assert!(source.contains("0 of 2 done"), "{source}");
    screenshot(&client, "packs-loaded.png").await;

    // Its first lesson, in the sandbox, addressed in the hash.
    click(&client, ".pack .map-lesson a").await;
    wait_for_text(&client, "#lesson-title", "Three tasks on Fargate").await;
    let at = script(&client, "return location.hash;").await;
    assert_eq!(at, "#/pack/example/three-tasks-on-fargate");
    run_command(
        &client,
        r#"{"do": "createService", "cluster": "shop", "name": "web", "taskDefinition": "web", "desiredCount": 3, "capacity": "fargate"}"#,
    )
    .await;
    minutes(&client, 5).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    let next = script(
        &client,
        "return document.querySelector('.goal-met a').getAttribute('href');",
    )
    .await;
    assert!(
        next.as_str()
            .unwrap()
            .ends_with("#/pack/example/scale-to-zero-not-stop"),
        "{next}"
    );
    // A receipt, named.
    script(
        &client,
        "document.querySelector('details.receipt').open = true;
         const name = document.querySelector('.receipt-name input');
         name.value = 'Ada Lovelace'; name.dispatchEvent(new Event('input', {bubbles: true}));
         return null;",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let receipt = script(
        &client,
        "return document.querySelector('textarea.receipt-json').value;",
    )
    .await;
    let receipt = receipt.as_str().expect("a receipt").to_string();
    let parsed: Value = serde_json::from_str(&receipt).unwrap();
    assert_eq!(parsed["lesson"], "example/three-tasks-on-fargate");
    screenshot(&client, "packs-lesson-met.png").await;

    // A reload keeps the pack, and its progress is its own: the course's
    // progress has no pack lesson in it.
    client
        .goto(&format!("{}packs/", server.base_url))
        .await
        .unwrap();
    wait_for_contains(&client, ".pack .pack-source", "1 of 2 done").await;
    // A receipt for the whole pack: the done lesson's, as kept when its
    // goal was met, named now (the download's blob is caught here).
    script(
        &client,
        "window.__blobs = [];
         const make = URL.createObjectURL;
         URL.createObjectURL = (blob) => { window.__blobs.push(blob); return make(blob); };
         HTMLAnchorElement.prototype.click = function () {};
         document.querySelector('details.pack-receipt').open = true;
         document.querySelector('.pack-receipt input[name=learner]').value = 'Ada Lovelace';
         return null;",
    )
    .await;
    click(&client, "button.download-pack-receipt").await;
    let bundle = script(
        &client,
        "return window.__blobs.length ? window.__blobs[0].text() : null;",
    )
    .await;
    let bundle = bundle.as_str().expect("the pack's receipt").to_string();
    let listed: Value = serde_json::from_str(&bundle).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{bundle}");
    assert_eq!(listed[0]["name"], "Ada Lovelace");
    assert_eq!(listed[0]["lesson"], "example/three-tasks-on-fargate");
    let course = script(
        &client,
        "return localStorage.getItem('dockyard.v2.progress') || '';",
    )
    .await;
    assert!(
        !course.as_str().unwrap().contains("three-tasks"),
        "the course's progress: {course}"
    );

    // A hostile pack from a file (HTML in a title): refused, field named,
    // the loaded pack still there.
    let mut hostile: Value = serde_json::from_str(EXAMPLE_PACK).unwrap();
    hostile["lessons"][0]["title"] = "<img src=x onerror=alert(1)>".into();
    attach(&client, ".packs-page input.pack-file", &hostile.to_string()).await;
    wait_for_text(&client, ".pack-message", "Not loaded").await;
    let said = text(&client, ".pack-message").await;
    assert!(said.contains("lessons[0].title: looks like HTML"), "{said}");
    let packs = script(
        &client,
        "return document.querySelectorAll('section.pack').length;",
    )
    .await;
    assert_eq!(packs, 1);
    // One whose lesson does not teach (its wrong answer passes): refused,
    // naming the lesson.
    let mut untaught: Value = serde_json::from_str(EXAMPLE_PACK).unwrap();
    untaught["id"] = "untaught".into();
    untaught["lessons"][0]["wrong"]["steps"] = untaught["lessons"][0]["solution"].clone();
    attach(
        &client,
        ".packs-page input.pack-file",
        &untaught.to_string(),
    )
    .await;
    wait_for_contains(&client, ".pack-message", "does not teach yet").await;
    let said = text(&client, ".pack-message").await;
    assert!(said.contains("lesson three-tasks-on-fargate"), "{said}");
    screenshot(&client, "packs-hostile-refused.png").await;
    // An address whose file is too large: refused, by its size.
    script(
        &client,
        &format!(
            "const url = document.querySelector('#pack-url');
             url.value = '{}huge.pack.json'; url.dispatchEvent(new Event('input', {{bubbles: true}}));
             return null;",
            server.base_url
        ),
    )
    .await;
    click(&client, "button.fetch-pack").await;
    wait_for_contains(&client, ".pack-message", "a pack is at most 512 KB").await;
    let packs = script(
        &client,
        "return document.querySelectorAll('section.pack').length;",
    )
    .await;
    assert_eq!(packs, 1, "the loaded pack is still there");

    // The class page: the receipt, a copy under another name, and a copy
    // whose transcript was emptied.
    let mut copied = parsed.clone();
    copied["name"] = "Bo Copier".into();
    let mut tampered = parsed.clone();
    tampered["name"] = "Cy".into();
    tampered["answer"] = serde_json::json!([]);
    client
        .goto(&format!("{}class/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#notes-heading", "Class").await;
    attach_many(
        &client,
        ".class-page input.receipt-files",
        &[
            ("ada.json", receipt.clone()),
            ("bo.json", copied.to_string()),
            ("cy.json", tampered.to_string()),
            ("ada-pack.json", bundle.clone()),
        ],
    )
    .await;
    wait_for_text(&client, ".class-summary", "3 of 4 receipts replay").await;
    let rows = script(
        &client,
        "return [...document.querySelectorAll('.class-table tbody tr')].map(r => r.innerText);",
    )
    .await;
    let rows: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    assert!(
        rows[0].contains("Ada Lovelace")
            && rows[0].contains("completed")
            && rows[0].contains("Bo Copier"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("another name's"),
        "the copy's seed: {rows:?}"
    );
    assert!(rows[2].contains("goal not met on replay"), "{rows:?}");
    assert!(
        rows[3].contains("ada-pack.json [0]") && rows[3].contains("completed"),
        "{rows:?}"
    );
    screenshot(&client, "class-page.png").await;

    // The instructor opens a pack's lesson in the lesson builder, as its
    // file wrote it, and it passes the builder's check.
    client
        .goto(&format!(
            "{}sandbox/web-on-fargate/?build=example/three-tasks-on-fargate",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#builder-title", "Lesson builder").await;
    let id = script(
        &client,
        "return document.querySelector('input.builder-id').value;",
    )
    .await;
    assert_eq!(id, "three-tasks-on-fargate");
    click(&client, "button.check-lesson").await;
    wait_for_text(&client, ".builder-verdict", "The lesson teaches").await;
}

/// A query value, percent-encoded.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Chooses a file holding `text` for a file input, as a learner would.
async fn attach(client: &Client, selector: &str, text: &str) {
    attach_many(client, selector, &[("pack.json", text.to_string())]).await;
}

async fn attach_many(client: &Client, selector: &str, files: &[(&str, String)]) {
    let files: Vec<Value> = files
        .iter()
        .map(|(name, text)| serde_json::json!([name, text]))
        .collect();
    script(
        client,
        &format!(
            "const input = document.querySelector({});
             const transfer = new DataTransfer();
             for (const [name, text] of {}) transfer.items.add(new File([text], name, {{type: 'application/json'}}));
             input.files = transfer.files;
             input.dispatchEvent(new Event('change', {{bubbles: true}}));
             return null;",
            serde_json::to_string(selector).unwrap(),
            Value::Array(files)
        ),
    )
    .await;
}

/// A learning management system's page, as the SCORM 1.2 runtime provides
/// one: an `API` object on the window that frames the package, here a stub
/// that records every call.
const LMS_STUB: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An LMS</title></head>
<body>
<script>
  window.calls = [];
  const data = {};
  const record = (name) => (...args) => { window.calls.push([name, ...args]); return "true"; };
  window.API = {
    LMSInitialize: record("LMSInitialize"),
    LMSFinish: record("LMSFinish"),
    LMSCommit: record("LMSCommit"),
    LMSGetValue: (key) => { window.calls.push(["LMSGetValue", key]); return data[key] || ""; },
    LMSSetValue: (key, value) => { window.calls.push(["LMSSetValue", key, value]); data[key] = value; return "true"; },
    LMSGetLastError: () => "0",
    LMSGetErrorString: () => "No error",
    LMSGetDiagnostic: () => "",
  };
</script>
<iframe src="pkg/scorm.html" title="Course package" width="1240" height="900"></iframe>
</body></html>
"#;

/// The SCORM package of the example pack in an LMS stub: the package finds
/// the API, starts the attempt, reports a lesson met (score 50, still
/// incomplete), then the second (score 100, completed), committing each,
/// and finishes when the learner leaves.
#[tokio::test(flavor = "multi_thread")]
async fn a_scorm_package_reports_completion_and_score_to_the_lms() {
    let copy =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-site-scorm");
    let _ = std::fs::remove_dir_all(&copy);
    dockyard_e2e::copy_site(&dist_dir(), &copy.join("pkg/site"));
    let pack = dockyard_course::packs::Pack::parse(EXAMPLE_PACK).unwrap();
    for (path, bytes) in dockyard_course::packs::scorm::package_files(&pack, EXAMPLE_PACK) {
        std::fs::write(copy.join("pkg").join(path), bytes).unwrap();
    }
    std::fs::write(copy.join("lms.html"), LMS_STUB).unwrap();
    let server = StaticServer::start(copy);
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 1000).await;
    client
        .goto(&format!("{}lms.html", server.base_url))
        .await
        .unwrap();

    // Into the package, then into the lesson it opened.
    client.enter_frame(0).await.expect("into the package");
    wait_for_contains(&client, "#lms", "reported to your course").await;
    client.enter_frame(0).await.expect("into the lesson");
    wait_for_text(&client, "#lesson-title", "Three tasks on Fargate").await;
    run_command(
        &client,
        r#"{"do": "createService", "cluster": "shop", "name": "web", "taskDefinition": "web", "desiredCount": 3, "capacity": "fargate"}"#,
    )
    .await;
    minutes(&client, 5).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    client.enter_parent_frame().await.unwrap();
    client.enter_parent_frame().await.unwrap();
    let calls = wait_for_call(&client, r#"c[1] === "cmi.core.score.raw""#).await;
    let set = |key: &str| -> Vec<String> {
        calls
            .iter()
            .filter(|c| c[0] == "LMSSetValue" && c[1] == key)
            .map(|c| c[2].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(calls[0][0], "LMSInitialize", "{calls:?}");
    assert_eq!(set("cmi.core.score.raw"), ["50"], "{calls:?}");
    assert_eq!(
        set("cmi.core.lesson_status"),
        ["incomplete", "incomplete"],
        "{calls:?}"
    );
    assert!(
        calls.last().unwrap()[0] == "LMSCommit",
        "committed after the score: {calls:?}"
    );

    // The second lesson: its reference solution, then the package reports
    // the pack completed.
    client.enter_frame(0).await.unwrap();
    click(&client, "button[data-id='scale-to-zero-not-stop']").await;
    client.enter_frame(0).await.unwrap();
    wait_for_text(&client, "#lesson-title", "Scale to zero").await;
    // Its reference solution's steps, a minute in, as commands given now.
    minutes(&client, 1).await;
    let solution: Value = serde_json::from_str(EXAMPLE_PACK).unwrap();
    for step in solution["lessons"][1]["solution"].as_array().unwrap() {
        let mut command = step.clone();
        command.as_object_mut().unwrap().remove("at");
        run_command(&client, &command.to_string()).await;
    }
    minutes(&client, 10).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    client.enter_parent_frame().await.unwrap();
    client.enter_parent_frame().await.unwrap();
    let calls = wait_for_call(&client, r#"c[2] === "completed""#).await;
    let scores: Vec<&Value> = calls
        .iter()
        .filter(|c| c[1] == "cmi.core.score.raw")
        .map(|c| &c[2])
        .collect();
    assert_eq!(scores, ["50", "100"], "{calls:?}");

    // The learner leaves: the package finishes the attempt.
    script(
        &client,
        "document.querySelector('iframe').remove(); return null;",
    )
    .await;
    let calls = wait_for_call(&client, r#"c[0] === "LMSFinish""#).await;
    let finish = calls.iter().position(|c| c[0] == "LMSFinish").unwrap();
    assert!(
        calls[..finish]
            .iter()
            .any(|c| c[1] == "cmi.core.session_time"),
        "{calls:?}"
    );
    println!(
        "SCORM calls recorded by the stub LMS: {}",
        calls
            .iter()
            .map(|c| c[0].as_str().unwrap())
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The LMS stub's calls, once one matches `test` (a JavaScript condition on `c`).
async fn wait_for_call(client: &Client, test: &str) -> Vec<Value> {
    for _ in 0..100 {
        let calls = script(
            client,
            &format!("return window.calls.some(c => {test}) ? window.calls : null;"),
        )
        .await;
        if let Some(calls) = calls.as_array() {
            return calls.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let calls = script(client, "return window.calls;").await;
    panic!("no call where {test}: {calls}");
}

/// A class of a hundred receipts (every sandbox lesson's reference
/// solution, under a hundred names), one tampered transcript and one made
/// on another version of its lesson, replayed in the class page: the two
/// are flagged, the hundred complete, and the time is printed.
#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_receipts_replay_in_the_class_page() {
    use dockyard_course::lessons;
    use dockyard_course::receipts::Receipt;
    let sandbox: Vec<_> = lessons::lessons()
        .iter()
        .filter(|l| l.sandbox().is_some())
        .collect();
    let mut files: Vec<(String, String)> = (0..100)
        .map(|n| {
            let lesson = sandbox[n % sandbox.len()];
            let receipt = Receipt::new(
                lesson,
                &format!("Learner {n:03}"),
                &lesson.solution(),
                (n % 3) as u32,
            );
            (format!("learner-{n:03}.json"), receipt.to_json())
        })
        .collect();
    let lesson = lessons::lesson("leave-nothing-billing").unwrap();
    let mut tampered: Value =
        serde_json::from_str(&Receipt::new(lesson, "Tamper", &lesson.solution(), 0).to_json())
            .unwrap();
    tampered["answer"]
        .as_array_mut()
        .unwrap()
        .retain(|step| step["do"] != "releaseAddress");
    files.push(("tampered.json".into(), tampered.to_string()));
    let mut older = tampered.clone();
    older["name"] = "Older".into();
    older["lessonHash"] = "0123456789abcdef".into();
    files.push(("older.json".into(), older.to_string()));

    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 1000).await;
    client
        .goto(&format!("{}class/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#notes-heading", "Class").await;
    let named: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    attach_many(&client, ".class-page input.receipt-files", &named).await;
    wait_for_text(
        &client,
        ".class-summary",
        "100 of 102 receipts replay to their goal",
    )
    .await;
    let summary = text(&client, ".class-summary").await;
    let verdict = |file: &str| {
        format!(
            "return [...document.querySelectorAll('.class-table tbody tr')].find(r => r.innerText.includes('{file}')).querySelector('.receipt-verdict').innerText;"
        )
    };
    let tampered = script(&client, &verdict("tampered.json")).await;
    assert!(
        tampered
            .as_str()
            .unwrap()
            .starts_with("goal not met on replay"),
        "{tampered}"
    );
    assert_eq!(
        script(&client, &verdict("older.json")).await,
        "lesson differs"
    );
    screenshot(&client, "class-page-hundred.png").await;
    println!("Class page: {summary}");
}
