//! The lesson builder (issue 21): three shipped lessons recreated through
//! it in the browser, as an instructor would (the start picked, the
//! solution done with the command box and the clock, the goal ticked from
//! what the builder offers and edited where the count differs, the wrong
//! answer done, the words typed), each checked in the page and then equal
//! in meaning to the shipped file.

use dockyard_course::lessons::{Condition, Lesson};

use super::*;

/// Sets a form control's value and sends the event its handler listens to.
async fn set(client: &Client, selector: &str, value: &str, event: &str) {
    script(
        client,
        &format!(
            "const e = document.querySelector({}); if (!e) throw new Error('no ' + {0});
             e.value = {}; e.dispatchEvent(new Event({}, {{bubbles: true}})); return null;",
            serde_json::to_string(selector).unwrap(),
            serde_json::to_string(value).unwrap(),
            serde_json::to_string(event).unwrap()
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(80)).await;
}

/// Plays steps as commands given at their times, then the clock to `until`.
async fn act(client: &Client, steps: &[Value], until: u64) {
    for step in steps {
        let at = step["at"].as_u64().unwrap();
        set(client, "input.scrub", &at.to_string(), "input").await;
        let mut command = step.clone();
        command.as_object_mut().unwrap().remove("at");
        run_command(client, &command.to_string()).await;
    }
    set(client, "input.scrub", &until.to_string(), "input").await;
}

async fn recreate(client: &Client, base_url: &str, id: &str) {
    let path = format!(
        "{}/../../lessons/{id}.lesson.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let until = file["checkAt"].as_u64().unwrap();
    client
        .goto(&format!(
            "{base_url}sandbox/{}/?build",
            file["scenario"].as_str().unwrap()
        ))
        .await
        .unwrap();
    wait_for_text(client, "#builder-title", "Lesson builder").await;

    // 1. The start.
    let keep = file["keepSteps"].as_u64().unwrap().to_string();
    set(client, "select.builder-start", &keep, "change").await;
    wait_for_text(
        client,
        ".builder-message",
        "The start is the scenario's first",
    )
    .await;
    screenshot(client, &format!("builder-start-{id}.png")).await;

    // 2. The solution, done.
    act(client, file["solution"].as_array().unwrap(), until).await;
    click(client, "button.take-solution").await;
    wait_for_text(client, ".builder-message", "The solution is your").await;

    // 3. The goal: ticked from what is offered, edited where the count differs.
    for condition in file["goal"].as_array().unwrap() {
        let words = Condition::read(condition).unwrap().describe();
        let ticked = script(
            client,
            &format!(
                "const item = [...document.querySelectorAll('.builder-offered li')].find(li => li.textContent.trim() === {});
                 if (!item) return false; item.querySelector('input').click(); return true;",
                serde_json::to_string(&words).unwrap()
            ),
        )
        .await;
        if ticked == Value::Bool(true) {
            continue;
        }
        // The same kind is offered with today's count: tick it, then Edit.
        let kind = condition["is"].as_str().unwrap();
        let subject = condition
            .get("service")
            .or(condition.get("deployment"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let picked = script(
            client,
            &format!(
                "const offered = [...document.querySelectorAll('.builder-offered li')];
                 const item = offered.find(li => li.textContent.includes({}) && li.textContent.includes('at least'));
                 if (!item) return offered.map(li => li.textContent).join(' | ');
                 item.querySelector('input').click(); return true;",
                serde_json::to_string(&format!(" {subject} ")).unwrap()
            ),
        )
        .await;
        assert_eq!(
            picked,
            Value::Bool(true),
            "{id}: no {kind} offered for {subject}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        script(
            client,
            "const edits = document.querySelectorAll('.builder-goal button.edit-condition'); edits[edits.length - 1].click(); return null;",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        set(
            client,
            ".builder-write textarea",
            &condition.to_string(),
            "input",
        )
        .await;
        click(client, "button.add-condition").await;
        wait_for_text(client, ".builder-message", "Condition added").await;
    }

    // 4. The wrong answer, done from the start.
    click(client, "button.builder-again").await;
    wait_for_text(client, ".builder-message", "Back at the start").await;
    act(client, file["wrong"]["steps"].as_array().unwrap(), until).await;
    click(client, "button.take-wrong").await;
    wait_for_text(client, ".builder-message", "The wrong answer is your").await;
    set(
        client,
        "input.builder-wrong-why",
        file["wrong"]["why"].as_str().unwrap(),
        "input",
    )
    .await;

    // 5. The words.
    set(client, "input.builder-id", id, "input").await;
    set(
        client,
        "select.builder-chapter",
        file["chapter"].as_str().unwrap(),
        "change",
    )
    .await;
    set(
        client,
        "input.builder-title",
        file["title"].as_str().unwrap(),
        "input",
    )
    .await;
    set(
        client,
        "textarea.builder-brief",
        file["brief"].as_str().unwrap(),
        "input",
    )
    .await;
    let hints: Vec<&str> = file["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    set(
        client,
        "textarea.builder-hints",
        &hints.join("\n"),
        "change",
    )
    .await;

    // 6. Checked in the page, then compared with the shipped lesson.
    click(client, "button.check-lesson").await;
    wait_for_text(client, ".builder-verdict", "The lesson teaches").await;
    screenshot(client, &format!("builder-{id}.png")).await;
    let kept = script(
        client,
        "return localStorage.getItem('dockyard.v2.builder');",
    )
    .await;
    let built: Value = serde_json::from_str(kept.as_str().expect("the draft is kept")).unwrap();
    let built = Lesson::from_value(&built).unwrap();
    let shipped = Lesson::from_value(&file).unwrap();
    assert_eq!(
        Lesson {
            content_hash: String::new(),
            ..built
        },
        Lesson {
            content_hash: String::new(),
            ..shipped
        },
        "{id}: the builder's lesson is the shipped one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn three_lessons_recreated_in_the_builder_equal_the_shipped_ones() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    for id in [
        "leave-nothing-billing",
        "capacity-providers-scale-their-own-tasks",
        "hpa-scales-pods-the-autoscaler-nodes",
    ] {
        recreate(&client, &server.base_url, id).await;
    }

    // The last lesson as a link: a pack of one, which the packs page loads
    // (from a data: address) and offers after its own check.
    click(&client, "button.lesson-link").await;
    let link = script(
        &client,
        "const box = document.querySelector('.builder-panel .pack-link input'); return box ? box.value : null;",
    )
    .await;
    let link = link.as_str().expect("a link to the lesson").to_string();
    assert!(
        link.contains("packs/?from=data%3Aapplication%2Fjson"),
        "{link}"
    );
    client.goto(&link).await.unwrap();
    wait_for_text(&client, ".pack-message", "Loaded The HPA scales pods").await;
    let lessons = script(
        &client,
        "return document.querySelectorAll('section.pack .map-lesson').length;",
    )
    .await;
    assert_eq!(lessons, 1);

    // A shipped troubleshooting lesson opened in the builder: its failure
    // is offered from the start as the model's chain of causes says it,
    // and with that failure picked the lesson still passes its check.
    client
        .goto(&format!(
            "{}sandbox/eks-fargate-profile/?build=pods-on-a-fargate-profile",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#builder-title", "Lesson builder").await;
    let picked = script(
        &client,
        "const item = [...document.querySelectorAll('.builder-broken li')].find(li => li.textContent.includes('Yes: pods of web stay Pending'));
         if (!item) return [...document.querySelectorAll('.builder-broken li')].map(li => li.textContent).join(' | ');
         item.querySelector('input').click(); return true;",
    )
    .await;
    assert_eq!(picked, Value::Bool(true), "{picked}");
    tokio::time::sleep(Duration::from_millis(150)).await;
    click(&client, "button.check-lesson").await;
    wait_for_text(&client, ".builder-verdict", "The lesson teaches").await;
    screenshot(&client, "builder-broken-start.png").await;

    // A draft that fails its check is not exported: the wrong answer made
    // the solution too.
    click(&client, "button.show-solution-steps").await;
    click(&client, "button.take-wrong").await;
    click(&client, "button.download-lesson").await;
    wait_for_text(&client, ".builder-message", "Not exported").await;
    let problems = text(&client, ".builder-problems").await;
    assert!(problems.contains("wrong answer"), "{problems}");
    screenshot(&client, "builder-refuses-export.png").await;

    // Closed, the builder leaves the address: a reload shows the sandbox.
    click(&client, "button.close-builder").await;
    let search = script(&client, "return location.search;").await;
    assert_eq!(search, "", "the address still asks for the builder");
    assert!(client.find(Locator::Css("#builder-title")).await.is_err());
}
