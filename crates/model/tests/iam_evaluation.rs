//! IAM's documented evaluation logic, rule by rule (IAM User Guide,
//! "Policy evaluation logic" and "Cross-account policy evaluation logic"),
//! conditions as "IAM JSON policy elements: Condition operators" defines
//! them, and the properties every answer must have.

use dockyard_model::iam::{
    authorize, Caller, DecisionEffect, Named, Policies, PolicyDocument, Request, RequestContext,
    ResourcePolicyKind,
};
use proptest::prelude::*;
use serde_json::json;

const ME: &str = "111122223333";
const THEM: &str = "444455556666";

fn doc(value: serde_json::Value) -> PolicyDocument {
    PolicyDocument::parse(&value.to_string()).expect("a valid policy")
}

fn allow(action: &str, resource: &str) -> PolicyDocument {
    doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}),
    )
}

fn deny(action: &str, resource: &str) -> PolicyDocument {
    doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": resource}]}),
    )
}

fn resource_policy(principal: serde_json::Value, action: &str) -> PolicyDocument {
    doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action}]}),
    )
}

fn request(action: &str, resource: &str, owner: Option<&str>) -> Request {
    Request {
        caller: Caller::role_session(ME, "app", "task-1"),
        action: action.into(),
        resource: resource.into(),
        resource_account: owner.map(str::to_string),
        context: RequestContext::new(),
    }
}

fn named(document: &PolicyDocument) -> Named<'_> {
    Named {
        name: "p",
        document,
    }
}

const OBJECT: &str = "arn:aws:s3:::reports/2026.csv";

/// "By default, all requests are implicitly denied."
#[test]
fn with_no_policy_every_request_is_implicitly_denied() {
    let answer = authorize(&request("s3:GetObject", OBJECT, None), &Policies::default());
    assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
    assert!(
        answer.explanation.contains("default"),
        "{}",
        answer.explanation
    );
}

/// "An explicit deny in any policy overrides any allows."
#[test]
fn an_explicit_deny_in_any_policy_type_overrides_every_allow() {
    let yes = allow("s3:*", "*");
    let no = deny("s3:GetObject", "*");
    let resource = resource_policy(
        json!({"AWS": format!("arn:aws:iam::{ME}:role/app")}),
        "s3:GetObject",
    );
    let deny_resource = doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject"}]}),
    );
    let cases: Vec<Policies> = vec![
        Policies {
            identity: vec![named(&yes), named(&no)],
            ..Default::default()
        },
        Policies {
            identity: vec![named(&yes)],
            boundary: Some(named(&no)),
            ..Default::default()
        },
        Policies {
            identity: vec![named(&yes)],
            session: Some(named(&no)),
            ..Default::default()
        },
        Policies {
            identity: vec![named(&yes)],
            scps: Some(vec![named(&yes), named(&no)]),
            ..Default::default()
        },
        Policies {
            identity: vec![named(&yes)],
            rcps: Some(vec![named(&yes), named(&no)]),
            ..Default::default()
        },
        Policies {
            identity: vec![named(&yes)],
            resource: Some((named(&deny_resource), ResourcePolicyKind::Ordinary)),
            ..Default::default()
        },
    ];
    for (i, policies) in cases.iter().enumerate() {
        let mut with_resource_allow = policies.clone();
        if with_resource_allow.resource.is_none() {
            with_resource_allow.resource = Some((named(&resource), ResourcePolicyKind::Ordinary));
        }
        for p in [policies, &with_resource_allow] {
            let answer = authorize(&request("s3:GetObject", OBJECT, None), p);
            assert_eq!(
                answer.effect,
                DecisionEffect::ExplicitlyDenied,
                "case {i}: {}",
                answer.explanation
            );
            assert!(!answer.deciding.is_empty());
        }
    }
}

/// "Organizations SCPs ... must allow": an SCP that does not allow the
/// action implicitly denies it, however the account's policies allow it.
#[test]
fn a_service_control_policy_must_allow() {
    let yes = allow("s3:GetObject", "*");
    let only_ec2 = allow("ec2:*", "*");
    let policies = Policies {
        identity: vec![named(&yes)],
        scps: Some(vec![named(&only_ec2)]),
        ..Default::default()
    };
    let answer = authorize(&request("s3:GetObject", OBJECT, None), &policies);
    assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
    assert!(
        answer.explanation.contains("service control policy"),
        "{}",
        answer.explanation
    );
    // FullAWSAccess lets the account's own policies decide.
    let full = allow("*", "*");
    let policies = Policies {
        identity: vec![named(&yes)],
        scps: Some(vec![named(&full)]),
        ..Default::default()
    };
    assert!(authorize(&request("s3:GetObject", OBJECT, None), &policies).is_allowed());
}

/// An SCP that denies every Region but one, the common guardrail, with
/// aws:RequestedRegion.
#[test]
fn an_scp_can_deny_a_region_with_a_condition() {
    let yes = allow("*", "*");
    let regions = doc(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}]}));
    let policies = Policies {
        identity: vec![named(&yes)],
        scps: Some(vec![named(&yes), named(&regions)]),
        ..Default::default()
    };
    let mut asked = request("ecs:RunTask", "*", None);
    asked.context = RequestContext::new().with("aws:RequestedRegion", "us-east-1");
    assert_eq!(
        authorize(&asked, &policies).effect,
        DecisionEffect::ExplicitlyDenied
    );
    asked.context = RequestContext::new().with("aws:RequestedRegion", "eu-west-1");
    assert!(authorize(&asked, &policies).is_allowed());
}

/// "Permissions boundaries": the effective permissions are the
/// intersection of the identity-based policy and the boundary.
#[test]
fn a_permissions_boundary_caps_an_identity_allow() {
    let everything = allow("*", "*");
    let only_s3 = allow("s3:*", "*");
    let policies = Policies {
        identity: vec![named(&everything)],
        boundary: Some(named(&only_s3)),
        ..Default::default()
    };
    assert!(authorize(&request("s3:GetObject", OBJECT, None), &policies).is_allowed());
    let answer = authorize(&request("dynamodb:GetItem", "*", None), &policies);
    assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
    assert!(
        answer.explanation.contains("permissions boundary"),
        "{}",
        answer.explanation
    );
    // The boundary grants nothing by itself.
    let policies = Policies {
        boundary: Some(named(&only_s3)),
        ..Default::default()
    };
    assert_eq!(
        authorize(&request("s3:GetObject", OBJECT, None), &policies).effect,
        DecisionEffect::ImplicitlyDenied
    );
}

/// Same account: "either an identity-based or a resource-based policy"
/// suffices; a resource policy naming the role session is not limited by
/// the boundary, one naming the role is.
#[test]
fn in_one_account_a_resource_policy_alone_can_allow() {
    let role = resource_policy(
        json!({"AWS": format!("arn:aws:iam::{ME}:role/app")}),
        "s3:GetObject",
    );
    let policies = Policies {
        resource: Some((named(&role), ResourcePolicyKind::Ordinary)),
        ..Default::default()
    };
    let answer = authorize(&request("s3:GetObject", OBJECT, None), &policies);
    assert!(answer.is_allowed(), "{}", answer.explanation);
    let nothing = allow("ec2:DescribeInstances", "*");
    let bounded = Policies {
        boundary: Some(named(&nothing)),
        ..policies.clone()
    };
    assert_eq!(
        authorize(&request("s3:GetObject", OBJECT, None), &bounded).effect,
        DecisionEffect::ImplicitlyDenied
    );
    let session = resource_policy(
        json!({"AWS": format!("arn:aws:sts::{ME}:assumed-role/app/task-1")}),
        "s3:GetObject",
    );
    let by_session = Policies {
        resource: Some((named(&session), ResourcePolicyKind::Ordinary)),
        boundary: Some(named(&nothing)),
        ..Default::default()
    };
    assert!(authorize(&request("s3:GetObject", OBJECT, None), &by_session).is_allowed());
}

/// A resource policy that names the account (`root`) delegates to IAM: in
/// the same account the identity policy must still allow.
#[test]
fn naming_the_account_root_delegates_to_identity_policies() {
    let root = resource_policy(
        json!({"AWS": format!("arn:aws:iam::{ME}:root")}),
        "s3:GetObject",
    );
    let policies = Policies {
        resource: Some((named(&root), ResourcePolicyKind::Ordinary)),
        ..Default::default()
    };
    assert_eq!(
        authorize(&request("s3:GetObject", OBJECT, None), &policies).effect,
        DecisionEffect::ImplicitlyDenied
    );
    let yes = allow("s3:GetObject", "*");
    let policies = Policies {
        identity: vec![named(&yes)],
        ..policies
    };
    assert!(authorize(&request("s3:GetObject", OBJECT, None), &policies).is_allowed());
}

/// "Cross-account policy evaluation logic": the resource policy in the
/// owning account and the identity policy in the caller's must both allow
/// (an ECR pull from another account's repository).
#[test]
fn across_accounts_both_the_resource_and_the_identity_policy_must_allow() {
    let repository = format!("arn:aws:ecr:us-east-1:{THEM}:repository/shared/base");
    let repo_policy = resource_policy(
        json!({"AWS": format!("arn:aws:iam::{ME}:root")}),
        "ecr:BatchGetImage",
    );
    let identity = allow("ecr:BatchGetImage", "*");
    let ask = request("ecr:BatchGetImage", &repository, Some(THEM));
    let only_resource = Policies {
        resource: Some((named(&repo_policy), ResourcePolicyKind::Ordinary)),
        ..Default::default()
    };
    let only_identity = Policies {
        identity: vec![named(&identity)],
        ..Default::default()
    };
    let both = Policies {
        identity: vec![named(&identity)],
        ..only_resource.clone()
    };
    assert_eq!(
        authorize(&ask, &only_resource).effect,
        DecisionEffect::ImplicitlyDenied
    );
    let answer = authorize(&ask, &only_identity);
    assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
    assert!(
        answer.explanation.contains("another account"),
        "{}",
        answer.explanation
    );
    let answer = authorize(&ask, &both);
    assert!(answer.is_allowed(), "{}", answer.explanation);
    assert!(
        answer.explanation.contains("both"),
        "{}",
        answer.explanation
    );
}

/// Role trust policies and KMS key policies are the exceptions: the
/// resource-based policy must allow even in the same account.
#[test]
fn a_trust_or_key_policy_must_allow_even_in_the_same_account() {
    let anything = allow("*", "*");
    let key = format!("arn:aws:kms:us-east-1:{ME}:key/1234abcd");
    let other = resource_policy(
        json!({"AWS": format!("arn:aws:iam::{ME}:role/admin")}),
        "kms:Decrypt",
    );
    let policies = Policies {
        identity: vec![named(&anything)],
        resource: Some((named(&other), ResourcePolicyKind::KmsKey)),
        ..Default::default()
    };
    let answer = authorize(&request("kms:Decrypt", &key, None), &policies);
    assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
    assert!(
        answer.explanation.contains("key policy"),
        "{}",
        answer.explanation
    );
    // The default key policy names the account root: IAM policies decide.
    let default_key = resource_policy(json!({"AWS": format!("arn:aws:iam::{ME}:root")}), "kms:*");
    let policies = Policies {
        resource: Some((named(&default_key), ResourcePolicyKind::KmsKey)),
        ..policies
    };
    assert!(authorize(&request("kms:Decrypt", &key, None), &policies).is_allowed());
}

/// The confused deputy: ECS assumes a task role for one account only when
/// the trust policy's aws:SourceAccount / aws:SourceArn conditions hold.
#[test]
fn a_trust_policy_with_source_conditions_stops_the_confused_deputy() {
    let trust = doc(json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {
            "ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ME}:*")},
            "StringEquals": {"aws:SourceAccount": ME}}}]}));
    let policies = Policies {
        resource: Some((named(&trust), ResourcePolicyKind::RoleTrust)),
        ..Default::default()
    };
    let assume = |account: &str, source_arn: &str| {
        let mut r = request(
            "sts:AssumeRole",
            &format!("arn:aws:iam::{ME}:role/app"),
            None,
        );
        r.caller = Caller::service("ecs-tasks.amazonaws.com", account);
        r.context = RequestContext::new()
            .with("aws:SourceAccount", account)
            .with("aws:SourceArn", source_arn);
        authorize(&r, &policies)
    };
    assert!(assume(ME, &format!("arn:aws:ecs:us-east-1:{ME}:task/c/abc")).is_allowed());
    let deputy = assume(THEM, &format!("arn:aws:ecs:us-east-1:{THEM}:task/c/abc"));
    assert_eq!(deputy.effect, DecisionEffect::ImplicitlyDenied);
    let notes: Vec<&String> = deputy.verdicts.iter().flat_map(|v| &v.notes).collect();
    assert!(
        notes.iter().any(|n| n.contains("aws:SourceAccount")),
        "{notes:?}"
    );
    // Without the context keys the conditions cannot hold.
    let mut bare = request(
        "sts:AssumeRole",
        &format!("arn:aws:iam::{ME}:role/app"),
        None,
    );
    bare.caller = Caller::service("ecs-tasks.amazonaws.com", ME);
    assert_eq!(
        authorize(&bare, &policies).effect,
        DecisionEffect::ImplicitlyDenied
    );
}

/// A resource control policy of the resource's account must allow.
#[test]
fn a_resource_control_policy_must_allow() {
    let yes = allow("s3:GetObject", "*");
    let rcp = doc(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}));
    let policies = Policies {
        identity: vec![named(&yes)],
        rcps: Some(vec![named(&rcp)]),
        ..Default::default()
    };
    let mut ask = request("s3:GetObject", OBJECT, None);
    ask.context = RequestContext::new().with("aws:SecureTransport", "true");
    assert!(authorize(&ask, &policies).is_allowed());
    ask.context = RequestContext::new().with("aws:SecureTransport", "false");
    assert_eq!(
        authorize(&ask, &policies).effect,
        DecisionEffect::ExplicitlyDenied
    );
    let nothing = allow("ec2:*", "*");
    let policies = Policies {
        identity: vec![named(&yes)],
        rcps: Some(vec![named(&nothing)]),
        ..Default::default()
    };
    assert_eq!(
        authorize(&request("s3:GetObject", OBJECT, None), &policies).effect,
        DecisionEffect::ImplicitlyDenied
    );
}

/// Policy variables: `${aws:PrincipalTag/team}` in a Resource takes the
/// caller's tag; a request without the tag matches nothing.
#[test]
fn policy_variables_take_the_request_values() {
    let per_team = allow(
        "s3:GetObject",
        "arn:aws:s3:::reports/${aws:PrincipalTag/team}/*",
    );
    let policies = Policies {
        identity: vec![named(&per_team)],
        ..Default::default()
    };
    let mut ask = request("s3:GetObject", "arn:aws:s3:::reports/blue/q1.csv", None);
    ask.context = RequestContext::new().with("aws:PrincipalTag/team", "blue");
    assert!(authorize(&ask, &policies).is_allowed());
    ask.context = RequestContext::new().with("aws:PrincipalTag/team", "red");
    assert!(!authorize(&ask, &policies).is_allowed());
    ask.context = RequestContext::new();
    assert!(!authorize(&ask, &policies).is_allowed());
}

fn statement_strategy() -> impl Strategy<Value = serde_json::Value> {
    (
        prop_oneof![Just("Allow"), Just("Deny")],
        prop_oneof![Just("s3:GetObject"), Just("s3:*"), Just("ecr:*"), Just("*")],
        prop_oneof![
            Just("*"),
            Just("arn:aws:s3:::reports/*"),
            Just("arn:aws:s3:::other/*")
        ],
        prop::option::of(prop_oneof![
            Just(json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}})),
            Just(json!({"Bool": {"aws:SecureTransport": "true"}})),
            Just(json!({"StringNotEquals": {"aws:PrincipalTag/team": "red"}})),
        ]),
    )
        .prop_map(|(effect, action, resource, condition)| {
            let mut statement = json!({"Effect": effect, "Action": action, "Resource": resource});
            if let Some(condition) = condition {
                statement["Condition"] = condition;
            }
            statement
        })
}

fn document_of(statements: Vec<serde_json::Value>) -> PolicyDocument {
    doc(json!({"Version": "2012-10-17", "Statement": statements}))
}

proptest! {
    /// An explicit Deny that matches, in any participating policy, always
    /// denies; adding an Allow never turns it into an allow; the order of
    /// statements does not change the answer.
    #[test]
    fn deny_wins_allow_adds_nothing_to_a_deny_and_order_does_not_matter(
        statements in prop::collection::vec(statement_strategy(), 1..8),
        region in prop_oneof![Just("us-east-1"), Just("eu-west-1")],
        secure in any::<bool>(),
    ) {
        let mut ask = request("s3:GetObject", OBJECT, None);
        ask.context = RequestContext::new()
            .with("aws:RequestedRegion", region)
            .with("aws:SecureTransport", if secure { "true" } else { "false" })
            .with("aws:PrincipalTag/team", "blue");
        let forward = document_of(statements.clone());
        let mut reversed = statements.clone();
        reversed.reverse();
        let backward = document_of(reversed);
        let a = authorize(&ask, &Policies { identity: vec![named(&forward)], ..Default::default() });
        let b = authorize(&ask, &Policies { identity: vec![named(&backward)], ..Default::default() });
        prop_assert_eq!(a.effect, b.effect);
        let mut with_deny = statements.clone();
        with_deny.push(json!({"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}));
        let denied = document_of(with_deny);
        let more_allow = allow("*", "*");
        let d = authorize(&ask, &Policies { identity: vec![named(&denied), named(&more_allow)], boundary: Some(named(&more_allow)), ..Default::default() });
        prop_assert_eq!(d.effect, DecisionEffect::ExplicitlyDenied);
        if a.effect == DecisionEffect::ExplicitlyDenied {
            let e = authorize(&ask, &Policies { identity: vec![named(&forward), named(&more_allow)], ..Default::default() });
            prop_assert_eq!(e.effect, DecisionEffect::ExplicitlyDenied);
        }
    }
}
