//! Bad input refused where AWS refuses it (issue 20, item 13): names and
//! identifiers by AWS's rules, and sizes by AWS's limits, before anything
//! is created or parsed.

use dockyard_model::iam::role_name_error;
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
