//! The teardown check as a learner meets it: "Still billing" beside the
//! clock lists each resource with its hourly cost and the commands that end
//! it; it opens by itself when a lesson is done with something still
//! billing; and the lesson that asks for a clean account is met only when
//! the list is empty.

use super::terminal::{no_failed_commands, paste_and_run};
use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_finishes_a_lesson_sees_what_still_bills_and_cleans_up() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;

    // A lesson done with a Fargate service running: the list opens by itself.
    client
        .goto(&format!(
            "{}lesson/run-a-service-on-fargate/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "Run a service on Fargate").await;
    let closed = script(
        &client,
        "return document.querySelector('.still-billing').open;",
    )
    .await;
    assert_eq!(
        closed,
        Value::Bool(false),
        "closed before the lesson is done"
    );
    paste_and_run(
        &client,
        include_str!("../../../../lessons/solutions/run-a-service-on-fargate.sh"),
    )
    .await;
    minutes(&client, 3).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    wait_for_text(
        &client,
        ".still-billing[open] .lesson-done-billing",
        "The lesson is done",
    )
    .await;
    let listed = text(&client, ".still-billing .billing-lines").await;
    assert!(listed.contains("ECS service web (Fargate)"), "{listed}");
    assert!(
        listed.contains("aws ecs update-service --cluster shop --service web --desired-count 0"),
        "{listed}"
    );
    screenshot(&client, "still-billing-after-a-lesson.png").await;

    // The lesson whose goal is a clean account.
    client
        .goto(&format!("{}lesson/leave-nothing-billing/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#lesson-title", "Leave nothing billing").await;
    minutes(&client, 1).await;
    click(&client, ".still-billing summary").await;
    let summary = text(&client, ".still-billing summary").await;
    assert!(
        summary.starts_with("Still billing: 5 resources"),
        "{summary}"
    );
    let listed = text(&client, ".still-billing .billing-lines").await;
    for part in [
        "EC2 instance i-1 (m5.large)",
        "idle: no tasks on it",
        "dockyard terminate-instance --instance i-1",
        "Fargate task t-3",
        "aws ecs stop-task --cluster lab --task t-3",
        "NAT gateway nat-039960e63a9693555 (us-east-1a) with Elastic IP 203.0.113.11",
        "aws ec2 delete-nat-gateway --nat-gateway-id nat-039960e63a9693555",
        "aws ec2 release-address --allocation-id eipalloc-023c0004f29b3304e",
        "Application Load Balancer lab-web",
        "aws elbv2 delete-load-balancer --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lab-web/",
    ] {
        assert!(listed.contains(part), "no {part:?} in {listed}");
    }
    let not_modelled = text(&client, ".still-billing").await;
    assert!(
        not_modelled.contains("Load balancer capacity units and NAT gateway data"),
        "{not_modelled}"
    );
    screenshot(&client, "still-billing-leftovers.png").await;
    paste_and_run(
        &client,
        include_str!("../../../../lessons/solutions/leave-nothing-billing.sh"),
    )
    .await;
    minutes(&client, 2).await;
    wait_for_text(&client, ".goal-met", "Goal met").await;
    no_failed_commands(&client, "leave-nothing-billing").await;
    let summary = text(&client, ".still-billing summary").await;
    assert_eq!(summary, "Still billing: nothing");
    screenshot(&client, "still-billing-nothing.png").await;

    // On EKS the control plane goes last, after what runs in the cluster,
    // with the command that deletes it.
    client
        .goto(&format!(
            "{}sandbox/eks-hpa-cluster-autoscaler/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_app(&client).await;
    minutes(&client, 1).await;
    click(&client, ".still-billing summary").await;
    let last = script(
        &client,
        "const lines = document.querySelectorAll('.still-billing .billing-lines > li');\
         return lines[lines.length - 1].textContent;",
    )
    .await;
    let last = last.as_str().unwrap_or_default();
    assert!(
        last.starts_with("EKS cluster shop (control plane)")
            && last.contains("aws eks delete-cluster --name shop"),
        "{last}"
    );
    let listed = text(&client, ".still-billing .billing-lines").await;
    assert!(
        listed.contains("aws eks delete-nodegroup --cluster-name shop --nodegroup-name workers"),
        "{listed}"
    );
    screenshot(&client, "still-billing-eks.png").await;
}
