//! Issue 18's journey: the policy simulator page, as a learner uses it:
//! an example denied, a repository policy edited until the pull is
//! allowed, the draft surviving a reload, a policy check's page, corrupt
//! storage set aside, and the page on a phone.

use super::*;

const KEY: &str = "dockyard.v2.policy-simulator";

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_fixes_a_cross_account_pull_in_the_policy_simulator() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1100).await;
    client
        .goto(&format!("{}iam/", server.base_url))
        .await
        .expect("open the simulator");
    wait_for_heading(&client, "Policy simulator").await;
    assert_eq!(
        client.title().await.unwrap(),
        "Policy simulator \u{b7} Dockyard"
    );
    // The first example: the other account's repository policy does not
    // name the puller.
    wait_for_text(&client, ".simulator-verdict", "Implicitly denied").await;
    let explanation = text(&client, ".simulator-explanation").await;
    assert!(explanation.contains("another account"), "{explanation}");
    screenshot(&client, "policy-simulator-denied.png").await;

    // The learner names the execution role in the repository policy.
    let policy = client
        .find(Locator::Css("#policy-resource"))
        .await
        .expect("the resource policy");
    policy.clear().await.unwrap();
    policy
        .send_keys(r#"{"Version": "2012-10-17", "Statement": [{"Sid": "PullForPlatform", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/platformExecutionRole"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}"#)
        .await
        .unwrap();
    wait_for_text(&client, ".simulator-verdict", "Allowed").await;
    let table = text(&client, "table.verdicts").await;
    assert!(
        table.contains("resource-based policy") && table.contains("PullForPlatform"),
        "{table}"
    );
    screenshot(&client, "policy-simulator-allowed.png").await;

    // The draft survives a reload, as typed.
    client.refresh().await.unwrap();
    wait_for_heading(&client, "Policy simulator").await;
    wait_for_text(&client, ".simulator-verdict", "Allowed").await;

    // A session policy without a Version: the check's finding links to its page.
    let session = client.find(Locator::Css("#policy-session")).await.unwrap();
    session
        .send_keys(r#"{"Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}"#)
        .await
        .unwrap();
    wait_for_text(&client, ".simulator-verdict", "Allowed").await;
    click(
        &client,
        "a.finding-code[href$='/findings/version-missing/']",
    )
    .await;
    wait_for_heading(&client, "No Version").await;
    let page = text(&client, "main").await;
    assert!(page.contains("Source: IAM User Guide"), "{page}");
    client.back().await.unwrap();
    wait_for_heading(&client, "Policy simulator").await;

    // Another example, chosen from the list.
    client
        .find(Locator::Css("#simulator-example"))
        .await
        .unwrap()
        .select_by_value("boundary")
        .await
        .unwrap();
    wait_for_text(&client, ".simulator-verdict", "Implicitly denied").await;
    assert!(text(&client, ".simulator-verdict")
        .await
        .contains("permissions boundary"));

    // Unreadable storage is set aside, said, and the first example shown.
    script(
        &client,
        &format!("localStorage.setItem('{KEY}', '{{\"caller\": 42}}'); return null;"),
    )
    .await;
    client.refresh().await.unwrap();
    wait_for_heading(&client, "Policy simulator").await;
    let notice = text(&client, ".simulator-page .notice").await;
    assert!(
        notice.contains("could not read your saved policy simulator draft")
            && notice.contains(&format!("{KEY}.unreadable")),
        "{notice}"
    );
    let kept = script(
        &client,
        &format!("return localStorage.getItem('{KEY}.unreadable');"),
    )
    .await;
    assert_eq!(kept, Value::from("{\"caller\": 42}"));
    wait_for_text(&client, ".simulator-verdict", "Implicitly denied").await;

    // On a phone the page fits the screen's width.
    client.set_window_size(390, 844).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let overflow = script(
        &client,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await;
    screenshot(&client, "policy-simulator-phone.png").await;
    assert_eq!(overflow, Value::from(0), "the page is wider than the phone");
}
