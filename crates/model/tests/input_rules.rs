//! Bad input refused where AWS refuses it (issue 20, item 13): names and
//! identifiers by AWS's rules, and sizes by AWS's limits, before anything
//! is created or parsed.

use dockyard_model::iam::{self, role_name_error};
use dockyard_model::sim::{Command, Parameters, World};
use dockyard_model::taskdef::{check, MAX_DEFINITION_BYTES};
use std::collections::BTreeMap;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

#[test]
fn a_role_name_is_what_iam_allows() {
    for good in [
        "ecsTaskExecutionRole",
        "app",
        "a+b=c,d.e@f-g_h",
        &"r".repeat(64),
    ] {
        assert_eq!(role_name_error(good), None, "{good}");
    }
    assert_eq!(
        role_name_error(HOSTILE).as_deref(),
        Some("1 validation error detected: Value '<img src=x onerror=alert(1)>' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")
    );
    let long = "r".repeat(65);
    assert!(role_name_error(&long)
        .unwrap()
        .ends_with("Member must have length less than or equal to 64"));
    assert!(role_name_error("")
        .unwrap()
        .ends_with("Member must have length greater than or equal to 1"));
    // IAM's \w is ASCII: no accented letters, no spaces, no slashes.
    for bad in ["rôle", "my role", "path/role", "role:x"] {
        assert!(role_name_error(bad).is_some(), "{bad}");
    }
}

#[test]
fn the_simulation_refuses_a_role_iam_would_refuse_and_changes_nothing() {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    let before = world.roles().count();
    let refused = world
        .apply(Command::CreateRole {
            name: HOSTILE.into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policies: vec![],
            policies: BTreeMap::new(),
            trust_policy: None,
        })
        .expect_err("IAM refuses the name");
    assert_eq!(refused.code, "role-name");
    assert!(
        refused.message.contains("at 'roleName'"),
        "{}",
        refused.message
    );
    assert_eq!(world.roles().count(), before);
}

fn definition_with_roles(task_role: &str, execution_role: &str) -> String {
    serde_json::json!({
        "family": "web",
        "taskRoleArn": task_role,
        "executionRoleArn": execution_role,
        "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 512, "essential": true}]
    })
    .to_string()
}

fn role_findings(text: &str) -> Vec<String> {
    check(text)
        .expect("it parses")
        .findings
        .into_iter()
        .filter(|f| f.code == "role-reference")
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect()
}

#[test]
fn task_and_execution_roles_are_role_arns_or_role_names() {
    for good in [
        "arn:aws:iam::111122223333:role/app",
        "arn:aws:iam::111122223333:role/service-role/app",
        "arn:aws-cn:iam::111122223333:role/app",
        "arn:aws-us-gov:iam::111122223333:role/a/b/c/app",
        "ecsTaskExecutionRole",
    ] {
        assert_eq!(
            role_findings(&definition_with_roles(good, good)),
            Vec::<String>::new(),
            "{good}"
        );
    }
    let found = role_findings(&definition_with_roles(
        "javascript:alert(1)",
        "arn:aws:iam:::role/app",
    ));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("taskRoleArn: \"javascript:alert(1)\" is neither"),
        "{found:?}"
    );
    assert!(found[1].starts_with("executionRoleArn: "), "{found:?}");
    for bad in [
        "arn:aws:s3:::bucket",
        "arn:aws:iam::111122223333:user/app",
        "arn:aws:iam::111122223333:role/",
        &format!("arn:aws:iam::111122223333:role/{HOSTILE}"),
        "arn:aws:iam:us-east-1:111122223333:role/app",
    ] {
        assert_eq!(
            role_findings(&definition_with_roles(bad, "app")).len(),
            1,
            "{bad}"
        );
    }
}

#[test]
fn a_definition_over_64_kib_is_refused_before_it_is_parsed() {
    // 20 MB of unclosed arrays: parsed, it would hit the recursion limit
    // after reading; refused by size, it is never read.
    let huge = "[".repeat(20 * 1024 * 1024);
    let refused = check(&huge).expect("a finding, not a parse error");
    assert_eq!(refused.definition, None);
    assert_eq!(refused.findings.len(), 1);
    assert_eq!(refused.findings[0].code, "definition-size");
    assert!(
        refused.findings[0]
            .message
            .starts_with("this text is 20971520 bytes"),
        "{}",
        refused.findings[0].message
    );
    // Exactly 64 KiB is read (padded with whitespace, which JSON allows).
    let text = definition_with_roles("app", "app");
    let padded = format!("{text}{}", " ".repeat(MAX_DEFINITION_BYTES - text.len()));
    assert_eq!(padded.len(), MAX_DEFINITION_BYTES);
    let read = check(&padded).expect("it parses");
    assert!(read.definition.is_some());
    assert!(!read.findings.iter().any(|f| f.code == "definition-size"));
    let over = check(&format!("{padded} ")).expect("a finding");
    assert_eq!(over.findings[0].code, "definition-size");
}

/// An identity policy allowing `actions` made-up S3 actions of 16
/// characters each: about 19 characters an action in compact JSON.
fn policy_with_actions(actions: usize) -> serde_json::Value {
    let actions: Vec<String> = (0..actions).map(|i| format!("s3:Action{i:07}")).collect();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }]
    })
}

fn world_with_role(role: &str) -> World {
    let mut world = World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    world
        .apply(Command::CreateRole {
            name: role.into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policies: vec!["AmazonECSTaskExecutionRolePolicy".into()],
            policies: BTreeMap::new(),
            trust_policy: None,
        })
        .unwrap();
    world
}

fn inline_policies(world: &World, role: &str) -> Vec<String> {
    let role = world.roles().find(|r| r.name == role).unwrap();
    role.policies.iter().map(|(name, _)| name.clone()).collect()
}

/// IAM's quota on a role's inline policies is on their sum (10,240
/// characters, white space not counted): two policies of 6,000 each are
/// refused together though each alone fits, the role keeps what it had,
/// and replacing a policy counts the new one instead of the old. The
/// attached managed policy is not counted.
#[test]
fn a_roles_inline_policies_together_stay_within_iams_quota() {
    let mut world = world_with_role("app");
    let half = policy_with_actions(300);
    let chars = iam::policy_chars(&iam::PolicyDocument::from_value(&half).unwrap());
    assert!(
        chars > iam::ROLE_INLINE_POLICIES_CHARS / 2 && chars < iam::ROLE_INLINE_POLICIES_CHARS,
        "{chars}"
    );
    let put = |name: &str, document: &serde_json::Value| Command::PutRolePolicy {
        role: "app".into(),
        name: name.into(),
        document: document.clone(),
    };
    world.apply(put("first", &half)).unwrap();
    let refused = world
        .apply(put("second", &half))
        .expect_err("the sum is past the quota");
    assert_eq!(refused.code, "policy-size");
    assert!(
        refused
            .message
            .starts_with("Maximum policy size of 10240 bytes exceeded for role app"),
        "{}",
        refused.message
    );
    assert_eq!(
        inline_policies(&world, "app"),
        ["AmazonECSTaskExecutionRolePolicy", "first"]
    );
    // Replacing "first" with a policy of the same size counts it once.
    world
        .apply(put("first", &policy_with_actions(301)))
        .unwrap();
    // A small second policy fits beside it.
    world
        .apply(put("second", &policy_with_actions(10)))
        .unwrap();
    assert_eq!(
        inline_policies(&world, "app"),
        ["AmazonECSTaskExecutionRolePolicy", "first", "second"]
    );
}

#[test]
fn create_role_counts_its_inline_policies_and_its_trust_policy() {
    let mut world = world_with_role("app");
    let roles = world.roles().count();
    let refused = world
        .apply(Command::CreateRole {
            name: "big".into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policies: vec![],
            policies: BTreeMap::from([("all".to_string(), policy_with_actions(600))]),
            trust_policy: None,
        })
        .expect_err("past the inline quota");
    assert_eq!(refused.code, "policy-size");
    // A trust policy of 200 principals is past the default 2,048.
    let services: Vec<String> = (0..200)
        .map(|i| format!("service{i}.amazonaws.com"))
        .collect();
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "Service": services }, "Action": "sts:AssumeRole" }]
    });
    let refused = world
        .apply(Command::CreateRole {
            name: "trusting".into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policies: vec![],
            policies: BTreeMap::new(),
            trust_policy: Some(trust.clone()),
        })
        .expect_err("past the trust policy quota");
    assert_eq!(refused.code, "policy-size");
    assert!(
        refused
            .message
            .starts_with("Cannot exceed quota for ACLSizePerRole: 2048"),
        "{}",
        refused.message
    );
    let refused = world
        .apply(Command::UpdateAssumeRolePolicy {
            role: "app".into(),
            document: trust,
        })
        .expect_err("the same quota on an update");
    assert_eq!(refused.code, "policy-size");
    assert_eq!(world.roles().count(), roles);
}

#[test]
fn a_customer_managed_policy_is_at_most_6144_characters() {
    let mut world = world_with_role("app");
    let refused = world
        .apply(Command::CreatePolicy {
            name: "wide".into(),
            document: policy_with_actions(400),
        })
        .expect_err("past 6,144");
    assert_eq!(refused.code, "policy-size");
    assert!(
        refused
            .message
            .starts_with("Cannot exceed quota for PolicySize: 6144"),
        "{}",
        refused.message
    );
    world
        .apply(Command::CreatePolicy {
            name: "narrow".into(),
            document: policy_with_actions(300),
        })
        .expect("within 6,144");
}
