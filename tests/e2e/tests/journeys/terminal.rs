//! Issue 15's journeys: the terminal (typed by keyboard, pasted scripts,
//! files), the service forms, and a lesson on a phone. One test binary
//! with the root's journeys, whose helpers it uses.

use super::*;

/// Issue 15: the first ECS lesson done by typing AWS CLI commands into the
/// terminal, keyboard only: Tab completes an operation and a cluster's
/// name, Up brings back the last command, and the goal is met.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_does_an_ecs_lesson_in_the_terminal_by_keyboard() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!(
            "{}lesson/run-a-service-on-fargate/",
            server.base_url
        ))
        .await
        .expect("open the lesson");
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let prompt = client
        .find(Locator::Css(".terminal-prompt textarea"))
        .await
        .expect("the terminal's prompt");
    prompt.click().await.unwrap();

    // Tab completes the operation, then the flag.
    prompt.send_keys("aws ec2 describe-sub").await.unwrap();
    prompt.send_keys(&Key::Tab.to_string()).await.unwrap();
    let line = prompt.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(line, "aws ec2 describe-subnets ");
    prompt
        .send_keys("--query 'Subnets[].SubnetId' --output text")
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(&client, ".terminal-stdout", "subnet-").await;
    let subnets = text(&client, ".terminal-entry:last-child .terminal-stdout").await;
    let subnets: Vec<&str> = subnets.split_whitespace().collect();
    assert_eq!(subnets.len(), 3, "{subnets:?}");

    // Without a network configuration, ECS refuses, in its own words.
    prompt
        .send_keys("aws ecs create-service --cluster sh")
        .await
        .unwrap();
    prompt.send_keys(&Key::Tab.to_string()).await.unwrap();
    prompt
        .send_keys(
            "--service-name web --task-definition web --desired-count 2 --launch-type FARGATE",
        )
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-stderr",
        "An error occurred (InvalidParameterException) when calling the CreateService operation: Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    )
    .await;
    screenshot(&client, "terminal-ecs-refused.png").await;

    // Up brings the command back; the learner adds the subnets.
    prompt.send_keys(&Key::Up.to_string()).await.unwrap();
    let recalled = prompt.prop("value").await.unwrap().unwrap_or_default();
    assert!(
        recalled.starts_with("aws ecs create-service --cluster shop --service-name web"),
        "{recalled}"
    );
    prompt
        .send_keys(&format!(
            " --network-configuration 'awsvpcConfiguration={{subnets=[{}],assignPublicIp=ENABLED}}'",
            subnets.join(",")
        ))
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-command",
        "$ aws ecs create-service",
    )
    .await;
    let created = text(&client, ".terminal-entry:last-child .terminal-stdout").await;
    assert!(created.contains("\"serviceName\": \"web\""), "{created}");
    prompt
        .send_keys("aws ecs wait services-stable --cluster shop --services web")
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-note",
        "Dockyard The simulated clock moved",
    )
    .await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    assert_eq!(
        text(&client, ".session-count").await,
        "1 change of yours",
        "the command is a step of the session, as a button's"
    );
    screenshot(&client, "terminal-ecs-lesson-met.png").await;

    // A file: describe the definition into it, open it, register from it.
    prompt
        .send_keys("aws ecs describe-task-definition --task-definition web --query taskDefinition > web.json")
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(&client, ".file-list .file", "web.json").await;
    prompt.send_keys("edit web.json").await.unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(&client, ".file-editor label", "Editing web.json").await;
    let text = script(
        &client,
        "return document.querySelector('#file-text').value;",
    )
    .await;
    assert!(
        text.as_str().unwrap().contains("\"taskDefinitionArn\""),
        "{text}"
    );
    // What describe adds, register refuses by name, as the AWS CLI does.
    prompt
        .send_keys("aws ecs register-task-definition --cli-input-json file://web.json")
        .await
        .unwrap();
    prompt.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-stderr",
        "Parameter validation failed:",
    )
    .await;
    screenshot(&client, "terminal-file-editor.png").await;

    // The history is kept with the session: after a reload, Up brings back
    // the last command.
    client.refresh().await.unwrap();
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let prompt = client
        .find(Locator::Css(".terminal-prompt textarea"))
        .await
        .expect("the terminal's prompt");
    prompt.click().await.unwrap();
    prompt.send_keys(&Key::Up.to_string()).await.unwrap();
    let recalled = prompt.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(
        recalled,
        "aws ecs register-task-definition --cli-input-json file://web.json"
    );
    wait_for_text(&client, ".file-list .file", "web.json").await;

    // A button prints the command it stands for.
    click(&client, ".services li button[aria-label^='One more']").await;
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-command",
        "$ aws ecs update-service --cluster shop --service web --desired-count 3",
    )
    .await;
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-note",
        "Dockyard What that button did, as commands",
    )
    .await;
}

/// Every command the terminal ran succeeded (`id` names the lesson).
pub(super) async fn no_failed_commands(client: &Client, id: &str) {
    let failed = script(
        client,
        "return [...document.querySelectorAll('.terminal-entry.failed .terminal-command')].map(c => c.textContent);",
    )
    .await;
    assert_eq!(failed, serde_json::json!([]), "{id}: commands that failed");
}

/// Pastes a script into the terminal's prompt and presses Enter: the
/// terminal runs it line by line, as a shell runs a pasted script.
pub(super) async fn paste_and_run(client: &Client, script_text: &str) {
    script(
        client,
        &format!(
            "const area = document.querySelector('.terminal-prompt textarea');
             area.focus(); area.value = {}; return null;",
            serde_json::to_string(script_text).unwrap()
        ),
    )
    .await;
    client
        .find(Locator::Css(".terminal-prompt textarea"))
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
}

/// Issue 15: an IAM lesson (the execution role pulls on Fargate) and an ECR
/// lesson (an immutable release), each done by pasting AWS CLI and docker
/// commands into the terminal; the goal is met, and every command succeeded.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_does_an_iam_and_an_ecr_lesson_in_commands() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    for (id, title, script_text) in [
        (
            "the-execution-role-pulls-on-fargate",
            "On Fargate, the execution role pulls the image",
            include_str!("../../../../lessons/solutions/the-execution-role-pulls-on-fargate.sh"),
        ),
        (
            "release-to-an-immutable-repository",
            "Release to an immutable repository",
            include_str!("../../../../lessons/solutions/release-to-an-immutable-repository.sh"),
        ),
    ] {
        client
            .goto(&format!("{}lesson/{id}/", server.base_url))
            .await
            .unwrap();
        wait_for_text(&client, "#lesson-title", title).await;
        paste_and_run(&client, script_text).await;
        // The sandbox's clock runs on to the goal; the registry's is judged at once.
        if id.starts_with("the-execution") {
            minutes(&client, 3).await;
        }
        wait_for_text(&client, ".goal-met", "Goal met").await;
        no_failed_commands(&client, id).await;
        screenshot(&client, &format!("terminal-lesson-{id}.png")).await;
    }
}

/// A break-and-fix lesson as a learner meets it: what the panel says, the
/// minutes to play before the failure shows, the "Why?" to press, what its
/// chain must name, and the fix in commands.
struct Broken {
    id: &'static str,
    title: &'static str,
    says: &'static str,
    minutes: usize,
    why: &'static str,
    chain: &'static [&'static str],
    fix: &'static str,
}

/// Issue 22: a learner opens four lessons that start broken (a task that
/// stops for a permission, a service that cannot place its tasks, a
/// Fargate task with no way out of its VPC, a role ECS cannot assume),
/// plays each until it
/// fails, reads "Why?" (the chain names the cause), fixes it in the
/// terminal, and meets the goal.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_traces_a_broken_task_to_its_cause_and_fixes_it() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    let lessons = [
        Broken {
            id: "the-execution-role-reads-the-secrets",
            title: "A task that stops with ResourceInitializationError",
            says: "a task of api stops with ResourceInitializationError",
            minutes: 1,
            why: ".event-log button.why-button",
            chain: &[
                "task execution role apiExecutionRole",
                "secretsmanager:GetSecretValue",
                "The task role's permissions are never used for this call.",
            ],
            fix: include_str!("../../../../lessons/solutions/the-execution-role-reads-the-secrets.sh"),
        },
        Broken {
            id: "a-service-stuck-on-a-full-cluster",
            title: "A service that cannot place its tasks",
            says: "service web is unable to place a task",
            minutes: 4,
            why: ".event-log button.why-button[aria-label='Why can service web not place its tasks?']",
            chain: &[
                "needs 1024 MiB, the largest free memory is 768 MiB",
                "never adds instances by itself",
            ],
            fix: include_str!("../../../../lessons/solutions/a-service-stuck-on-a-full-cluster.sh"),
        },
        Broken {
            id: "a-fargate-task-needs-a-way-out",
            title: "A Fargate task that cannot reach ECR",
            says: "a task of report stops with ResourceInitializationError",
            minutes: 1,
            why: ".event-log button.why-button",
            chain: &[
                "could not reach api.ecr.us-east-1.amazonaws.com",
                "assignPublicIp DISABLED",
                "IAM never saw a request",
            ],
            fix: include_str!("../../../../lessons/solutions/a-fargate-task-needs-a-way-out.sh"),
        },
        Broken {
            id: "a-role-ecs-cannot-assume",
            title: "A service that launches no task",
            says: "service api fails to launch a task",
            minutes: 1,
            why: ".event-log button.why-button[aria-label='Why can service api not launch its tasks?']",
            chain: &[
                "ECS was unable to assume the role",
                "as the service principal ecs-tasks.amazonaws.com",
                "aws iam update-assume-role-policy",
            ],
            fix: include_str!("../../../../lessons/solutions/a-role-ecs-cannot-assume.sh"),
        },
    ];
    for lesson in lessons {
        client
            .goto(&format!("{}lesson/{}/", server.base_url, lesson.id))
            .await
            .unwrap();
        wait_for_text(&client, "#lesson-title", lesson.title).await;
        let says = text(&client, ".lesson-panel .starts-broken").await;
        assert!(says.contains(lesson.says), "{}: {says}", lesson.id);
        minutes(&client, lesson.minutes).await;
        click(&client, lesson.why).await;
        wait_for_text(&client, ".inspector .why-stopped .why-chain", "").await;
        let chain = text(&client, ".inspector .why-stopped .why-chain").await;
        for part in lesson.chain {
            assert!(
                chain.contains(part),
                "{}: no {part:?} in {chain}",
                lesson.id
            );
        }
        screenshot(&client, &format!("broken-{}-why.png", lesson.id)).await;
        paste_and_run(&client, lesson.fix).await;
        minutes(&client, 3).await;
        wait_for_text(&client, ".goal-met", "Goal met").await;
        no_failed_commands(&client, lesson.id).await;
        screenshot(&client, &format!("broken-{}-fixed.png", lesson.id)).await;
    }
}

/// Issue 15: a learner who prefers forms does the first ECS lesson with
/// "Create service", and the terminal shows the command it stands for.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_creates_a_service_with_the_form() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!(
            "{}lesson/run-a-service-on-fargate/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    click(&client, "details.service-forms summary").await;
    let name = client
        .find(Locator::Css(
            "form.create-service input[name='service-name']",
        ))
        .await
        .unwrap();
    name.send_keys("web").await.unwrap();
    let count = client
        .find(Locator::Css(
            "form.create-service input[name='desired-count']",
        ))
        .await
        .unwrap();
    count.clear().await.unwrap();
    count.send_keys("2").await.unwrap();
    click(&client, "form.create-service button[type='submit']").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let message = script(
        &client,
        "const m = document.querySelector('.sandbox-message'); return m ? m.textContent : '';",
    )
    .await;
    assert_eq!(message, serde_json::json!(""), "the form was refused");
    wait_for_text(
        &client,
        ".terminal-entry:last-child .terminal-command",
        "$ aws ecs create-service --cluster shop --service-name web --task-definition web:1 --desired-count 2 --launch-type FARGATE --network-configuration",
    )
    .await;
    minutes(&client, 2).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    screenshot(&client, "form-create-service.png").await;
}

/// Issue 15: on a phone, a lesson's page is two tabs, the lesson with its
/// notes, and the live cluster with its terminal.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_a_lesson_is_two_tabs() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(412, 900).await;
    client
        .goto(&format!(
            "{}lesson/run-a-service-on-fargate/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let shown = |selector: &'static str| {
        let client = client.clone();
        async move {
            script(
                &client,
                &format!("const e = document.querySelector('{selector}'); return !!e && e.offsetParent !== null;"),
            )
            .await
        }
    };
    assert_eq!(shown(".chapter-notes").await, Value::Bool(true));
    assert_eq!(
        shown(".terminal").await,
        Value::Bool(false),
        "the live tab is hidden at first"
    );
    click(&client, "#tab-live").await;
    assert_eq!(shown(".terminal").await, Value::Bool(true));
    assert_eq!(shown(".chapter-notes").await, Value::Bool(false));
    let selected = script(
        &client,
        "return document.querySelector('#tab-live').getAttribute('aria-selected');",
    )
    .await;
    assert_eq!(selected, Value::from("true"));
    screenshot(&client, "phone-lesson-live-tab.png").await;
}
