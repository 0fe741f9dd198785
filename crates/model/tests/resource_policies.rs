//! The policies a task's calls meet beyond its role, in the simulated
//! world: resource policies (ECR repositories, S3 buckets, secrets, KMS
//! keys), permissions boundaries and service control policies, each
//! decided by the whole evaluation logic. Each test names the documented
//! rule it checks.

use std::path::Path;

use dockyard_model::iam::{AppCall, PolicyType};
use dockyard_model::principals::Principal;
use dockyard_model::sim::scenario::{Player, Scenario};
use dockyard_model::sim::{Command, TaskState, What, World};
use serde_json::json;

const ACCOUNT: &str = "111122223333";
const SHARED: &str = "arn:aws:ecr:us-east-1:444455556666:repository/shared/base";

/// The shipped scenario "policies-beyond-the-role", played to `at`
/// seconds by the scenario's own player.
fn world_at(at: u64) -> World {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/policies-beyond-the-role.scenario.json");
    let scenario = Scenario::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut player = Player::new(&scenario, None);
    player.advance_to(at * 1000);
    assert!(player.refused.is_empty(), "a shipped step was refused");
    player.world
}

fn running(world: &World, service: &str) -> Vec<String> {
    world
        .tasks()
        .filter(|t| t.service.as_deref() == Some(service) && t.state == TaskState::Running)
        .map(|t| t.id.clone())
        .collect()
}

fn call(world: &World, service: &str, written: &str) -> dockyard_model::iam::CallCheck {
    let task = running(world, service)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no running task of {service}"));
    world
        .check_task_call(&task, &AppCall::parse(written).unwrap())
        .expect("a placed task")
}

fn pull_policy(principal: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": principal},
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}]})
}

/// ECR User Guide, "Private repository policies": across accounts the
/// repository policy must allow the puller, and its own identity policy
/// must too. A policy naming the account root delegates to the account.
#[test]
fn a_cross_account_pull_needs_the_repository_policy_and_the_pullers_identity_policy() {
    let mut world = world_at(300);
    assert!(running(&world, "api").is_empty());
    let stopped = world
        .tasks()
        .find(|t| t.service.as_deref() == Some("api") && t.state == TaskState::Stopped)
        .and_then(|t| t.stopped_reason.clone())
        .expect("a stopped api task");
    assert!(
        stopped.starts_with("CannotPullContainerError")
            && stopped.contains("repository policy of shared/base"),
        "{stopped}"
    );
    // The account root named: the account's identity policies decide,
    // and AmazonECSTaskExecutionRolePolicy allows the pull.
    world
        .apply(Command::PutResourcePolicy {
            resource: SHARED.into(),
            policy: Some(pull_policy(&format!("arn:aws:iam::{ACCOUNT}:root"))),
        })
        .unwrap();
    world
        .apply(Command::Deploy {
            service: "api".into(),
            task_definition: None,
        })
        .unwrap();
    world.advance_to(600_000);
    assert_eq!(running(&world, "api").len(), 1);
    let pull = call(
        &world,
        "api",
        "pull 444455556666.dkr.ecr.us-east-1.amazonaws.com/shared/base:3",
    );
    assert_eq!(pull.principal, Principal::TaskExecutionRole);
    assert!(pull.is_allowed(), "{}", pull.explanation);
}

/// IAM User Guide, "Policy evaluation logic": in one account an identity
/// policy or a resource policy that names the principal suffices; an
/// explicit Deny in a bucket policy beats any Allow.
#[test]
fn in_one_account_a_bucket_policy_may_grant_alone_and_its_deny_beats_the_roles_allow() {
    let mut world = world_at(300);
    // ledgerRole has no S3 permission; the bucket's policy grants it.
    let before = call(&world, "ledger", "read s3://ledger-exports/2026.csv");
    assert!(!before.is_allowed());
    world
        .apply(Command::PutResourcePolicy {
            resource: "arn:aws:s3:::ledger-exports".into(),
            policy: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "LedgerReads", "Effect": "Allow",
                 "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/ledgerRole")},
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ledger-exports/*"},
                {"Sid": "NobodyWrites", "Effect": "Deny", "Principal": "*",
                 "Action": "s3:PutObject", "Resource": "arn:aws:s3:::ledger-exports/*"}]})),
        })
        .unwrap();
    let read = call(&world, "ledger", "read s3://ledger-exports/2026.csv");
    assert!(read.is_allowed(), "{}", read.explanation);
    assert!(read.explanation.contains("bucket policy of ledger-exports"));
    // uploaderRole's s3:* allows the write; the bucket's Deny wins.
    let write = call(&world, "uploader", "write s3://ledger-exports/2026.csv");
    assert!(!write.is_allowed());
    let decision = &write.outcome.checks[0].decision;
    assert_eq!(decision.decided_by, Some(PolicyType::ResourceBased));
    assert!(
        write.explanation.contains("NobodyWrites"),
        "{}",
        write.explanation
    );
}

/// ECS Developer Guide, secrets permissions: with a customer managed key
/// the execution role also needs kms:Decrypt on it; and a key policy must
/// allow, even in the same account (AWS KMS Developer Guide, key policies):
/// the default key policy does so by naming the account root.
#[test]
fn a_secret_under_a_customer_managed_key_needs_kms_decrypt_and_the_key_policy() {
    let mut world = world_at(300);
    let secret = format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ledger/db-AbCdEf");
    let key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    world
        .apply(Command::PutRolePolicy {
            role: "ledgerRole".into(),
            name: "db-secret".into(),
            document: json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret}]}),
        })
        .unwrap();
    let written = format!("get-secret {secret}");
    assert!(call(&world, "ledger", &written).is_allowed());

    world
        .apply(Command::EncryptSecret {
            secret: secret.clone(),
            key: key.clone(),
        })
        .unwrap();
    let without_decrypt = call(&world, "ledger", &written);
    assert!(!without_decrypt.is_allowed());
    let refused = &without_decrypt.outcome.checks[1];
    assert_eq!(refused.request.action, "kms:Decrypt");
    assert_eq!(refused.request.resource, key);

    world
        .apply(Command::PutRolePolicy {
            role: "ledgerRole".into(),
            name: "db-key".into(),
            document: json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key,
                 "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]}),
        })
        .unwrap();
    let with_decrypt = call(&world, "ledger", &written);
    assert!(with_decrypt.is_allowed(), "{}", with_decrypt.explanation);

    // A key policy that names only an administrator: the role's own
    // kms:Decrypt is not enough.
    world
        .apply(Command::PutResourcePolicy {
            resource: key.clone(),
            policy: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/KeyAdmin")},
                 "Action": "kms:*", "Resource": "*"}]})),
        })
        .unwrap();
    let locked = call(&world, "ledger", &written);
    assert!(!locked.is_allowed());
    assert!(
        locked.explanation.contains("key policy must allow"),
        "{}",
        locked.explanation
    );
}

/// Organizations User Guide, SCPs: they never grant; FullAWSAccess is
/// attached where SCPs are enabled, an entity keeps at least one SCP, and
/// without an Allow among them every request is denied. A refused
/// attachment changes nothing.
#[test]
fn scps_only_subtract_and_an_account_keeps_at_least_one() {
    let mut world = world_at(300);
    let table = format!("dynamodb:PutItem on arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/ledger");
    // The scenario's account is a member, with FullAWSAccess only.
    let organization = world.organization().expect("a member account");
    assert_ne!(organization.management_account, ACCOUNT);
    assert!(call(&world, "ledger", &table).is_allowed());
    let code = |world: &mut World, command: Command| world.apply(command).unwrap_err().code;
    let detach_full = || Command::DetachServiceControlPolicy {
        name: "FullAWSAccess".into(),
    };
    assert_eq!(code(&mut world, detach_full()), "last-policy");
    assert_eq!(
        code(
            &mut world,
            Command::AttachServiceControlPolicy {
                name: "nowhere".into()
            }
        ),
        "no-policy"
    );
    assert_eq!(
        code(
            &mut world,
            Command::AttachServiceControlPolicy {
                name: "FullAWSAccess".into()
            }
        ),
        "policy-attached"
    );
    // A deny-list SCP beside FullAWSAccess: only what it denies goes.
    world
        .apply(Command::CreateServiceControlPolicy {
            name: "no-deletes".into(),
            description: "No table is deleted".into(),
            document: json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"}]}),
        })
        .unwrap();
    assert_eq!(
        code(
            &mut world,
            Command::DetachServiceControlPolicy {
                name: "no-deletes".into()
            }
        ),
        "policy-not-attached"
    );
    world
        .apply(Command::AttachServiceControlPolicy {
            name: "no-deletes".into(),
        })
        .unwrap();
    assert!(call(&world, "ledger", &table).is_allowed());
    // Without FullAWSAccess nothing allows: every request is denied.
    world.apply(detach_full()).unwrap();
    let denied = call(&world, "ledger", &table);
    assert!(!denied.is_allowed());
    assert_eq!(
        denied.outcome.checks[0].decision.decided_by,
        Some(PolicyType::ServiceControl)
    );
}

/// Organizations: policies exist only in an organization, and the
/// management account is never the learner's (SCPs do not apply to it).
#[test]
fn service_control_policies_need_an_organization_run_from_another_account() {
    let mut world = World::new(
        1,
        Default::default(),
        "us-east-1",
        vec!["us-east-1a".into()],
    );
    let scp = || Command::CreateServiceControlPolicy {
        name: "x".into(),
        description: String::new(),
        document: json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}),
    };
    assert_eq!(world.apply(scp()).unwrap_err().code, "no-organization");
    assert_eq!(
        world
            .apply(Command::JoinOrganization {
                management_account: ACCOUNT.into()
            })
            .unwrap_err()
            .code,
        "in-organization"
    );
    world
        .apply(Command::JoinOrganization {
            management_account: "222233334444".into(),
        })
        .unwrap();
    world.apply(scp()).unwrap();
    assert_eq!(world.apply(scp()).unwrap_err().code, "policy-exists");
}

/// IAM User Guide, "Permissions boundaries": a boundary must name a managed
/// policy that exists; an AWS managed one may serve.
#[test]
fn a_boundary_names_a_managed_policy_that_exists() {
    let mut world = world_at(60);
    let missing = world
        .apply(Command::PutRolePermissionsBoundary {
            role: "uploaderRole".into(),
            policy: Some(format!("arn:aws:iam::{ACCOUNT}:policy/NoSuchBoundary")),
        })
        .unwrap_err();
    assert_eq!(missing.code, "no-policy");
    world
        .apply(Command::PutRolePermissionsBoundary {
            role: "uploaderRole".into(),
            policy: Some("arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly".into()),
        })
        .unwrap_or_else(|r| panic!("{}", r.message));
    world.advance_to(300_000);
    // The boundary allows ECR reads only: the role's s3:* is capped to
    // nothing in S3.
    let read = call(&world, "uploader", "read s3://team-uploads/a.csv");
    assert!(!read.is_allowed());
    assert_eq!(
        read.outcome.checks[0].decision.decided_by,
        Some(PolicyType::PermissionsBoundary)
    );
    assert!(
        read.explanation
            .contains("(AmazonEC2ContainerRegistryReadOnly)"),
        "{}",
        read.explanation
    );
}

/// A change of IAM is recorded as an event, and a launch ECS could not
/// make (a role it could not assume) is attempted again with it.
#[test]
fn fixing_a_trust_policy_launches_the_service_it_held_back() {
    let mut world = world_at(60);
    assert!(running(&world, "reports").is_empty());
    let events = world
        .apply(Command::UpdateAssumeRolePolicy {
            role: "reportsRole".into(),
            document: json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}),
        })
        .unwrap();
    assert!(events.iter().any(
        |e| matches!(&e.what, What::PolicyChanged { change } if change.contains("reportsRole"))
    ));
    world.advance_to(180_000);
    assert_eq!(running(&world, "reports").len(), 1);
}

/// Secrets Manager User Guide, cross-account access: the secret's resource
/// policy and the reader's identity policy must both allow, and the secret
/// must be encrypted with a customer managed key whose policy lets the
/// reader's account use it: the AWS managed key aws/secretsmanager serves
/// its own account only.
#[test]
fn another_accounts_secret_needs_a_customer_managed_key_that_lets_the_reader_decrypt() {
    let mut world = world_at(300);
    let secret = "arn:aws:secretsmanager:us-east-1:444455556666:secret:shared/api-key-AbCdEf";
    let key = "arn:aws:kms:us-east-1:444455556666:key/abcd1234-aaaa-bbbb-cccc-1234567890ab";
    world
        .apply(Command::PutRolePolicy {
            role: "ledgerRole".into(),
            name: "shared-secret".into(),
            document: json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret},
                {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}]}),
        })
        .unwrap();
    world
        .apply(Command::PutResourcePolicy {
            resource: secret.into(),
            policy: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/ledgerRole")},
                 "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})),
        })
        .unwrap();
    let written = format!("get-secret {secret}");
    let managed = call(&world, "ledger", &written);
    assert!(!managed.is_allowed());
    let refused = &managed.outcome.checks[1];
    assert_eq!(
        refused.request.resource,
        "arn:aws:kms:us-east-1:444455556666:alias/aws/secretsmanager"
    );
    assert!(
        refused
            .decision
            .explanation
            .contains("alias/aws/secretsmanager (AWS managed)"),
        "{}",
        refused.decision.explanation
    );

    // A customer managed key whose default policy names only its own
    // account: still refused across accounts.
    world
        .apply(Command::EncryptSecret {
            secret: secret.into(),
            key: key.into(),
        })
        .unwrap();
    assert!(!call(&world, "ledger", &written).is_allowed());
    // Its policy names the reader's account: both sides now allow.
    world
        .apply(Command::PutResourcePolicy {
            resource: key.into(),
            policy: Some(json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                 "Action": "kms:*", "Resource": "*"},
                {"Sid": "ReadersAccount", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
                 "Action": "kms:Decrypt", "Resource": "*",
                 "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]})),
        })
        .unwrap();
    let shared = call(&world, "ledger", &written);
    assert!(shared.is_allowed(), "{}", shared.explanation);
}
