//! IAM in the terminal: roles and their policies, the policy simulator's
//! answers in AWS's shapes, and IAM's refusals (names, size quotas) in its
//! own words.

use serde_json::Value;

use super::{checked, TestCloud};

#[test]
fn roles_get_policies_and_the_simulator_answers_from_the_model() {
    let mut cloud = TestCloud::web_on_fargate();
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    checked(
        &mut cloud,
        &format!("aws iam create-role --role-name app --assume-role-policy-document '{trust}'"),
    );
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}"#;
    let out = cloud.run(&format!(
        "aws iam put-role-policy --role-name app --policy-name read --policy-document '{policy}'"
    ));
    assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let out = cloud.run("aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let attached = checked(
        &mut cloud,
        "aws iam list-attached-role-policies --role-name app",
    );
    assert_eq!(
        attached["AttachedPolicies"][0]["PolicyName"],
        "AmazonECSTaskExecutionRolePolicy"
    );
    let inline = checked(&mut cloud, "aws iam list-role-policies --role-name app");
    assert_eq!(inline["PolicyNames"], serde_json::json!(["read"]));
    checked(
        &mut cloud,
        "aws iam get-role-policy --role-name app --policy-name read",
    );
    let simulated = checked(&mut cloud, "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/app --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::reports/2026.csv");
    assert_eq!(simulated["EvaluationResults"][0]["EvalDecision"], "allowed");
    assert_eq!(
        simulated["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"],
        "read"
    );
    assert_eq!(
        simulated["EvaluationResults"][1]["EvalDecision"],
        "implicitDeny"
    );
    let out = cloud.run("aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/NoSuchPolicy");
    assert_eq!(out.status, 254);
    assert!(out.stderr.contains("(NoSuchEntity) when calling the AttachRolePolicy operation: Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable."), "{}", out.stderr);
    let out = cloud
        .run("aws iam put-role-policy --role-name ghost --policy-name p --policy-document '{}'");
    assert!(out.stderr.contains("(NoSuchEntity)"), "{}", out.stderr);
    let out = cloud.run(
        "aws iam put-role-policy --role-name app --policy-name p --policy-document '{not json'",
    );
    assert!(out.stderr.contains("(MalformedPolicyDocument) when calling the PutRolePolicy operation: This policy contains invalid Json"), "{}", out.stderr);
}

/// simulate-custom-policy takes AWS's inputs (context entries, a
/// permissions boundary, a resource policy and its owner) and answers in
/// AWS's EvaluationResults shape, decided by the whole evaluation logic.
#[test]
fn simulate_custom_policy_answers_in_evaluation_results_with_context_and_boundary() {
    let mut cloud = TestCloud::web_on_fargate();
    let identity = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#;
    let boundary = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let run = |cloud: &mut TestCloud, extra: &str| {
        checked(
            cloud,
            &format!("aws iam simulate-custom-policy --policy-input-list '{identity}' --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::reports/q1.csv {extra}"),
        )
    };
    // Without the context key the condition cannot hold, and AWS says
    // which key was missing.
    let bare = run(&mut cloud, "");
    assert_eq!(bare["EvaluationResults"][0]["EvalDecision"], "implicitDeny");
    assert_eq!(
        bare["EvaluationResults"][0]["MissingContextValues"],
        serde_json::json!(["aws:RequestedRegion"])
    );
    let bounded = run(
        &mut cloud,
        &format!("--context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=eu-west-1,ContextKeyType=string --permissions-boundary-policy-input-list '{boundary}'"),
    );
    let results = bounded["EvaluationResults"].as_array().unwrap();
    assert_eq!(results[0]["EvalActionName"], "s3:GetObject");
    assert_eq!(results[0]["EvalDecision"], "allowed");
    assert_eq!(
        results[0]["MatchedStatements"][0]["SourcePolicyId"],
        "PolicyInputList.1"
    );
    assert_eq!(
        results[1]["EvalDecision"], "implicitDeny",
        "the boundary caps PutObject"
    );
    assert_eq!(
        results[1]["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"],
        false
    );
    // Another account's bucket: its policy must allow too.
    let bucket = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}"#;
    let cross = run(
        &mut cloud,
        &format!("--context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=eu-west-1,ContextKeyType=string --resource-policy '{bucket}' --resource-owner arn:aws:iam::444455556666:root --caller-arn arn:aws:iam::111122223333:role/app"),
    );
    let results = cross["EvaluationResults"].as_array().unwrap();
    assert_eq!(results[0]["EvalDecision"], "allowed", "{cross:#}");
    assert_eq!(
        results[0]["EvalDecisionDetails"]["Resource Policy"],
        "allowed"
    );
    assert_eq!(
        results[1]["EvalDecision"], "implicitDeny",
        "the bucket allows only GetObject"
    );
}

/// IAM's answer to a role name it does not allow, in AWS's words, and
/// nothing created; the length limit is the one in IAM's API model.
#[test]
fn create_role_refuses_a_name_iam_does_not_allow() {
    let mut cloud = TestCloud::web_on_fargate();
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let roles = cloud.world.roles().count();
    let out = cloud.run(&format!(
        "aws iam create-role --role-name '<img src=x onerror=alert(1)>' --assume-role-policy-document '{trust}'"
    ));
    assert_eq!(
        out.stderr,
        "\nAn error occurred (ValidationError) when calling the CreateRole operation: 1 validation error detected: Value '<img src=x onerror=alert(1)>' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+\n"
    );
    assert_eq!(cloud.world.roles().count(), roles);
    let model: Value = serde_json::from_str(include_str!("../../../api/iam.json")).unwrap();
    let max = model["shapes"]["roleNameType"]["max"].as_u64().unwrap() as usize;
    assert_eq!(dockyard_model::iam::role_name_error(&"r".repeat(max)), None);
    assert!(dockyard_model::iam::role_name_error(&"r".repeat(max + 1)).is_some());
}

/// IAM's size quota on a role's inline policies, answered as IAM answers
/// it (LimitExceeded, an error the API model lists for PutRolePolicy),
/// and the role unchanged.
#[test]
fn put_role_policy_past_the_inline_quota_is_limit_exceeded() {
    let mut cloud = TestCloud::web_on_fargate();
    let actions: Vec<String> = (0..600).map(|i| format!("\"s3:Action{i:07}\"")).collect();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
        actions.join(", ")
    );
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let created = cloud.run(&format!(
        "aws iam create-role --role-name app --assume-role-policy-document '{trust}'"
    ));
    assert_eq!(created.stderr, "");
    let role = cloud
        .world
        .roles()
        .find(|r| r.name == "app")
        .unwrap()
        .clone();
    let out = cloud.run(&format!(
        "aws iam put-role-policy --role-name {} --policy-name wide --policy-document '{policy}'",
        role.name
    ));
    assert!(
        out.stderr.starts_with(&format!(
            "\nAn error occurred (LimitExceeded) when calling the PutRolePolicy operation: Maximum policy size of 10240 bytes exceeded for role {}",
            role.name
        )),
        "{}",
        out.stderr
    );
    let model: Value = serde_json::from_str(include_str!("../../../api/iam.json")).unwrap();
    assert!(model["operations"]["PutRolePolicy"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|error| error == "LimitExceededException"));
    assert_eq!(
        model["shapes"]["LimitExceededException"]["error"]["code"],
        "LimitExceeded"
    );
    assert_eq!(
        cloud
            .world
            .roles()
            .find(|r| r.name == role.name)
            .unwrap()
            .policies,
        role.policies
    );
}
