//! `aws iam simulate-custom-policy` on worked examples of the IAM User
//! Guide, each named after the page it comes from: the answers are the
//! ones the guide gives.

use serde_json::Value;

use super::{checked, TestCloud};

/// The decision for each action, with these context entries.
fn decide(
    policy: &str,
    actions: &[&str],
    resource: &str,
    context: &[(&str, &str, &str)],
) -> Vec<String> {
    let mut cloud = TestCloud::web_on_fargate();
    cloud.files.insert("policy.json".into(), policy.into());
    let mut line = format!(
        "aws iam simulate-custom-policy --policy-input-list file://policy.json --action-names {} --resource-arns {resource}",
        actions.join(" ")
    );
    // One flag, the entries after it separated by spaces, as the AWS CLI
    // takes a list of structures.
    if !context.is_empty() {
        line.push_str(" --context-entries");
        for (key, values, kind) in context {
            line.push_str(&format!(
                " ContextKeyName={key},ContextKeyValues={values},ContextKeyType={kind}"
            ));
        }
    }
    let answer: Value = checked(&mut cloud, &line);
    answer["EvaluationResults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["EvalDecision"].as_str().unwrap().to_string())
        .collect()
}

/// "AWS: Denies access to AWS based on the requested Region": a Deny with
/// NotAction for the global services and StringNotEquals on
/// aws:RequestedRegion, beside an Allow.
#[test]
fn deny_access_based_on_the_requested_region() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "DenyAllOutsideRequestedRegions", "Effect": "Deny",
         "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}]}"#;
    let in_region = decide(
        policy,
        &["ecs:RunTask", "iam:GetRole"],
        "*",
        &[("aws:RequestedRegion", "eu-west-1", "string")],
    );
    assert_eq!(in_region, ["allowed", "allowed"]);
    let outside = decide(
        policy,
        &["ecs:RunTask", "iam:GetRole"],
        "*",
        &[("aws:RequestedRegion", "us-east-1", "string")],
    );
    assert_eq!(
        outside,
        ["explicitDeny", "allowed"],
        "global services stay reachable"
    );
}

/// "Amazon S3: Allows IAM users access to their S3 home directory": the
/// ${aws:username} policy variable.
#[test]
fn a_home_directory_by_policy_variable() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": "arn:aws:s3:::bucket-name/home/${aws:username}/*"}]}"#;
    let own = decide(
        policy,
        &["s3:GetObject"],
        "arn:aws:s3:::bucket-name/home/ana/notes.txt",
        &[("aws:username", "ana", "string")],
    );
    assert_eq!(own, ["allowed"]);
    let other = decide(
        policy,
        &["s3:GetObject"],
        "arn:aws:s3:::bucket-name/home/bob/notes.txt",
        &[("aws:username", "ana", "string")],
    );
    assert_eq!(other, ["implicitDeny"]);
}

/// "Condition with multiple context keys or values": several values for
/// one key are ORed, several keys ANDed.
#[test]
fn several_values_or_several_keys_and() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/department": ["finance", "hr"],
                                        "aws:PrincipalTag/role": "audit"}}}]}"#;
    let both = decide(
        policy,
        &["s3:GetObject"],
        "*",
        &[
            ("aws:PrincipalTag/department", "hr", "string"),
            ("aws:PrincipalTag/role", "audit", "string"),
        ],
    );
    assert_eq!(both, ["allowed"]);
    let one = decide(
        policy,
        &["s3:GetObject"],
        "*",
        &[
            ("aws:PrincipalTag/department", "hr", "string"),
            ("aws:PrincipalTag/role", "dev", "string"),
        ],
    );
    assert_eq!(one, ["implicitDeny"]);
}

/// "Single-valued vs. multivalued context keys": ForAllValues is true when
/// every request value is listed, and also when the key is absent (why the
/// guide pairs it with a Null check).
#[test]
fn for_all_values_and_its_absent_key_pitfall() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
         "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}}]}"#;
    let listed = decide(
        policy,
        &["ec2:CreateTags"],
        "*",
        &[("aws:TagKeys", "environment", "stringList")],
    );
    assert_eq!(listed, ["allowed"]);
    let extra = decide(
        policy,
        &["ec2:CreateTags"],
        "*",
        &[("aws:TagKeys", "environment,owner", "stringList")],
    );
    assert_eq!(extra, ["implicitDeny"]);
    let absent = decide(policy, &["ec2:CreateTags"], "*", &[]);
    assert_eq!(absent, ["allowed"], "vacuously true without the key");
}

/// "IAM JSON policy elements: NotAction": Allow with NotAction allows
/// everything but what it lists.
#[test]
fn allow_with_not_action_allows_everything_else() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#;
    assert_eq!(
        decide(policy, &["s3:DeleteBucket", "iam:CreateUser"], "*", &[]),
        ["allowed", "implicitDeny"]
    );
}

/// "Amazon S3: deny requests that do not use TLS" (aws:SecureTransport).
#[test]
fn deny_without_secure_transport() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;
    assert_eq!(
        decide(
            policy,
            &["s3:GetObject"],
            "*",
            &[("aws:SecureTransport", "true", "boolean")]
        ),
        ["allowed"]
    );
    assert_eq!(
        decide(
            policy,
            &["s3:GetObject"],
            "*",
            &[("aws:SecureTransport", "false", "boolean")]
        ),
        ["explicitDeny"]
    );
}
