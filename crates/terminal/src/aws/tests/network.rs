//! A Fargate task's way out of the default VPC: assignPublicIp, as the API
//! defaults it, and the stopped reasons ECS gives when a task has none.

use super::{checked, TestCloud};

const SCENARIO: &str =
    include_str!("../../../../../scenarios/a-fargate-task-with-no-way-out.scenario.json");

fn run_report(cloud: &mut TestCloud, public_ip: &str) -> String {
    let subnet = cloud.world.default_vpc().subnets[0].subnet_id.clone();
    let out = cloud.run(&format!(
        "aws ecs run-task --cluster dev --task-definition report --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{subnet}]{public_ip}}}' --query 'tasks[0].taskArn' --output text"
    ));
    assert_eq!(out.status, 0, "{}", out.stderr);
    let arn = out.stdout.trim().to_string();
    crate::Cloud::advance(cloud, 300_000);
    arn
}

#[test]
fn without_a_public_ip_a_fargate_task_in_a_default_subnet_reaches_nothing() {
    // The set-up only: the scenario's own broken run-task is left out.
    let mut cloud = TestCloud::scenario(SCENARIO, 3);
    // The API's default is DISABLED: saying nothing is the broken case.
    let arn = run_report(&mut cloud, "");
    let task = checked(
        &mut cloud,
        &format!("aws ecs describe-tasks --cluster dev --tasks {arn}"),
    );
    let task = &task["tasks"][0];
    assert_eq!(task["lastStatus"], "STOPPED");
    let reason = task["stoppedReason"].as_str().unwrap();
    assert!(
        reason.starts_with("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth")
            && reason.contains("api.ecr.us-east-1.amazonaws.com")
            && reason.ends_with("i/o timeout. Please check your task network configuration."),
        "{reason}"
    );
}

#[test]
fn with_a_public_ip_the_same_task_runs() {
    let mut cloud = TestCloud::scenario(SCENARIO, 3);
    let arn = run_report(&mut cloud, ",assignPublicIp=ENABLED");
    let task = checked(
        &mut cloud,
        &format!("aws ecs describe-tasks --cluster dev --tasks {arn}"),
    );
    assert_eq!(task["tasks"][0]["lastStatus"], "RUNNING", "{task}");
}

#[test]
fn a_public_image_without_a_route_is_cannot_pull_with_a_timeout() {
    let mut cloud = TestCloud::web_on_fargate();
    let subnet = cloud.world.default_vpc().subnets[0].subnet_id.clone();
    let out = cloud.run(&format!(
        "aws ecs run-task --cluster shop --task-definition web --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{subnet}],assignPublicIp=DISABLED}}' --query 'tasks[0].taskArn' --output text"
    ));
    assert_eq!(out.status, 0, "{}", out.stderr);
    let arn = out.stdout.trim().to_string();
    crate::Cloud::advance(&mut cloud, 300_000);
    let task = checked(
        &mut cloud,
        &format!("aws ecs describe-tasks --cluster shop --tasks {arn}"),
    );
    let reason = task["tasks"][0]["stoppedReason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.starts_with("CannotPullContainerError: pull image manifest has been retried")
            && reason.ends_with(":443: i/o timeout"),
        "{reason}"
    );
}
