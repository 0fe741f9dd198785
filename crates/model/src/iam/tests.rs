//! IAM as AWS evaluates it, for what Dockyard models: policy grammar,
//! explicit deny over allow, wildcards, trust, managed policies, the call
//! language and who makes each call on each platform.

use super::principals::{Call, Platform, Principal, RoleSetup};
use super::*;

const ACCOUNT: &str = "123456789012";

fn context() -> AwsContext {
    AwsContext::new(ACCOUNT, "eu-west-1")
}

fn document(json: &str) -> PolicyDocument {
    PolicyDocument::parse(json).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_error(json: &str) -> String {
    PolicyDocument::parse(json)
        .expect_err("the policy should be rejected")
        .to_string()
}

// --- parsing ---------------------------------------------------------

#[test]
fn a_single_statement_object_parses_like_a_one_element_array() {
    let object = document(
        r#"{"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
    );
    let array = document(
        r#"{"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}"#,
    );
    assert_eq!(object, array);
    assert_eq!(object.statements.len(), 1);
    assert!(evaluate(&[("p", &object)], "s3:GetObject", "arn:aws:s3:::b/k").is_allowed());
}

#[test]
fn effect_is_case_sensitive_and_the_error_names_the_path() {
    let error = parse_error(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "allow", "Action": "s3:PutObject", "Resource": "*"}]}"#,
    );
    assert_eq!(
        error,
        r#"Statement[1].Effect: must be "Allow" or "Deny", got "allow""#
    );
}

#[test]
fn malformed_policies_name_the_offending_field() {
    let cases = [
        (r#"{"Version": "2012-10-17"}"#, "Statement"),
        (r#"{"Version": "2012-10-18", "Statement": []}"#, "Version"),
        (
            r#"{"Statement": {"Action": "s3:*", "Resource": "*"}}"#,
            "Statement.Effect",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
            "Statement[0]",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", 5], "Resource": "*"}]}"#,
            "Statement[0].Action[1]",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}"#,
            "Statement[0].Action",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["*", "my-bucket"]}]}"#,
            "Statement[0].Resource[1]",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}]}"#,
            "Statement[0].NotAction",
        ),
        (
            r#"{"Statement": [{"effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
            "Statement[0].effect",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": "yes"}]}"#,
            "Statement[0].Condition",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
            "Statement[0].Principal.service",
        ),
        (r#"{"Statement": [42]}"#, "Statement[0]"),
    ];
    for (json, path) in cases {
        let error = PolicyDocument::parse(json).expect_err(json);
        assert_eq!(error.path, path, "{json}: {error}");
        assert!(!error.reason.is_empty());
    }
}

#[test]
fn a_lowercase_element_name_gets_a_suggestion() {
    let error =
        parse_error(r#"{"Statement": [{"effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#);
    assert!(error.contains("did you mean \"Effect\""), "{error}");
}

#[test]
fn invalid_json_is_reported_without_a_path() {
    let error = PolicyDocument::parse("{\"Statement\": [").expect_err("truncated");
    assert_eq!(error.path, "");
    assert!(
        error.reason.starts_with("not valid JSON"),
        "{}",
        error.reason
    );
}

#[test]
fn serializing_and_parsing_again_gives_the_same_document() {
    for policy in MANAGED_POLICIES {
        let original = policy.document();
        let written = serde_json::to_string(&original).expect("serializes");
        assert_eq!(document(&written), original, "{}", policy.name);
    }
    let trust = trust_policy_for(ECS_TASKS_SERVICE);
    assert_eq!(document(&trust.to_json_pretty()), trust);
}

#[test]
fn serialization_writes_elements_in_the_usual_order_and_lists_as_strings() {
    let written = serde_json::to_string(&PolicyDocument::new(vec![Statement::allow(
        &["s3:GetObject"],
        &["arn:aws:s3:::b/*"],
    )
    .with_sid("Read")]))
    .expect("serializes");
    assert_eq!(
        written,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
    );
}

#[test]
fn serde_deserialization_uses_the_same_checks() {
    let error = serde_json::from_str::<PolicyDocument>(
        r#"{"Statement": {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}}"#,
    )
    .expect_err("Permit is not an effect")
    .to_string();
    assert!(error.starts_with("Statement.Effect: must be"), "{error}");
}

#[test]
fn identity_policies_need_resources_and_no_principal() {
    let trust = trust_policy_for(EC2_SERVICE);
    assert_eq!(
        trust
            .check_identity_policy()
            .expect_err("a trust policy")
            .path,
        "Statement[0].Principal"
    );
    let no_resource = document(r#"{"Statement": {"Effect": "Allow", "Action": "s3:*"}}"#);
    assert_eq!(
        no_resource
            .check_identity_policy()
            .expect_err("no Resource")
            .path,
        "Statement[0]"
    );
    for policy in MANAGED_POLICIES {
        assert_eq!(
            policy.document().check_identity_policy(),
            Ok(()),
            "{}",
            policy.name
        );
    }
}

// --- matching and evaluation -----------------------------------------

#[test]
fn explicit_deny_beats_allow_and_the_explanation_names_the_statement() {
    let admin = PolicyDocument::new(vec![Statement::allow(&["*"], &["*"])]);
    let guardrails = PolicyDocument::new(vec![
        Statement::allow(&["s3:GetObject"], &["*"]),
        Statement::deny(&["s3:Delete*"], &["*"]).with_sid("DenyDeletes"),
    ]);
    let decision = evaluate(
        &[("admin", &admin), ("guardrails", &guardrails)],
        "s3:DeleteObject",
        "arn:aws:s3:::bucket/key",
    );
    assert_eq!(decision.effect, DecisionEffect::ExplicitlyDenied);
    assert_eq!(
        decision.deciding,
        Some(StatementRef {
            policy: "guardrails".to_string(),
            index: 1,
            sid: Some("DenyDeletes".to_string()),
            has_condition: false,
        })
    );
    assert_eq!(
        decision.explanation,
        "Denied by statement \"DenyDeletes\" (#2) of policy \"guardrails\": explicit deny wins over any allow."
    );
    // The deny still loses nothing when listed first.
    let reversed = evaluate(
        &[("guardrails", &guardrails), ("admin", &admin)],
        "s3:DeleteObject",
        "arn:aws:s3:::bucket/key",
    );
    assert_eq!(reversed.effect, DecisionEffect::ExplicitlyDenied);
}

#[test]
fn nothing_allowing_means_implicitly_denied() {
    let policy = PolicyDocument::new(vec![Statement::allow(
        &["s3:PutObject"],
        &["arn:aws:s3:::bucket/*"],
    )]);
    let decision = evaluate(&[("p", &policy)], "s3:GetObject", "arn:aws:s3:::bucket/key");
    assert_eq!(decision.effect, DecisionEffect::ImplicitlyDenied);
    assert_eq!(decision.deciding, None);
    assert_eq!(
        decision.explanation,
        "No statement allows s3:GetObject on arn:aws:s3:::bucket/key: implicitly denied."
    );
    let empty = evaluate(&[], "s3:GetObject", "arn:aws:s3:::bucket/key");
    assert_eq!(empty.effect, DecisionEffect::ImplicitlyDenied);
    assert!(empty.explanation.contains("no policies attached"));
}

#[test]
fn action_wildcards_match_case_insensitively() {
    assert!(action_matches("ecr:Get*", "ecr:GetAuthorizationToken"));
    assert!(action_matches("ecr:Get*", "ECR:getdownloadurlforlayer"));
    assert!(action_matches("S3:*", "s3:PutObject"));
    assert!(action_matches("*", "dynamodb:PutItem"));
    assert!(action_matches("s3:?etObject", "s3:GetObject"));
    assert!(!action_matches("ecr:Get*", "ecr:BatchGetImage"));
    assert!(!action_matches("s3:?etObject", "s3:GgetObject"));
    assert!(!action_matches("s3:*", "s3control:ListJobs"));

    let policy = document(
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ECR:get*", "Resource": "*"}}"#,
    );
    assert!(evaluate(&[("p", &policy)], "ecr:GetAuthorizationToken", "*").is_allowed());
}

#[test]
fn resource_wildcards_are_case_sensitive_and_span_separators() {
    assert!(resource_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket/a/b/c.txt"
    ));
    assert!(resource_matches(
        "arn:aws:ecr:*:123456789012:repository/*",
        "arn:aws:ecr:eu-west-1:123456789012:repository/team/web"
    ));
    assert!(resource_matches("arn:aws:s3:::log-?", "arn:aws:s3:::log-a"));
    assert!(!resource_matches(
        "arn:aws:s3:::log-?",
        "arn:aws:s3:::log-ab"
    ));
    assert!(!resource_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::Bucket/key"
    ));
    assert!(!resource_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket"
    ));
    assert!(resource_matches("*", "*"));

    let policy = PolicyDocument::new(vec![Statement::allow(
        &["s3:GetObject"],
        &["arn:aws:s3:::reports/2026/*"],
    )]);
    let allowed = |resource: &str| evaluate(&[("p", &policy)], "s3:GetObject", resource);
    assert!(allowed("arn:aws:s3:::reports/2026/jan.csv").is_allowed());
    assert!(!allowed("arn:aws:s3:::reports/2025/jan.csv").is_allowed());
    assert!(!allowed("arn:aws:s3:::REPORTS/2026/jan.csv").is_allowed());
}

#[test]
fn not_action_allows_everything_except_what_it_lists() {
    let policy = document(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#,
    );
    let policies = [("power-user", &policy)];
    let decision = evaluate(
        &policies,
        "dynamodb:DeleteTable",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
    );
    assert!(decision.is_allowed());
    assert_eq!(
        decision.deciding.as_ref().and_then(|s| s.sid.as_deref()),
        Some("AllButIam")
    );
    let iam = evaluate(&policies, "IAM:CreateUser", "*");
    assert_eq!(iam.effect, DecisionEffect::ImplicitlyDenied);
}

#[test]
fn not_resource_denies_everything_outside_the_listed_resources() {
    let policy = document(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "OnlyOurBucket", "Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::ours", "arn:aws:s3:::ours/*"]}]}"#,
    );
    let policies = [("p", &policy)];
    assert!(evaluate(&policies, "s3:GetObject", "arn:aws:s3:::ours/k").is_allowed());
    let theirs = evaluate(&policies, "s3:GetObject", "arn:aws:s3:::theirs/k");
    assert_eq!(theirs.effect, DecisionEffect::ExplicitlyDenied);
    assert!(theirs.explanation.contains("\"OnlyOurBucket\" (#2)"));
}

#[test]
fn a_deciding_statement_with_a_condition_says_conditions_are_not_evaluated() {
    let ec2_role = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE)
        .with_managed_policy("AmazonEC2ContainerServiceforEC2Role")
        .expect("known policy");
    let tag = ec2_role.evaluate(
        "ecs:TagResource",
        "arn:aws:ecs:eu-west-1:123456789012:cluster/default",
    );
    assert!(tag.is_allowed());
    assert_eq!(
        tag.deciding.as_ref().map(|s| (s.index, s.has_condition)),
        Some((1, true))
    );
    assert!(
        tag.explanation
            .contains("Dockyard does not evaluate conditions"),
        "{}",
        tag.explanation
    );

    let poll = ec2_role.evaluate("ecs:Poll", "*");
    assert!(poll.is_allowed());
    assert!(!poll.explanation.contains("Condition"));
}

#[test]
fn an_unconditional_statement_is_preferred_as_the_deciding_one() {
    let policy = document(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "IfTagged", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "web"}}},
            {"Sid": "Always", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    );
    let decision = evaluate(&[("p", &policy)], "s3:GetObject", "arn:aws:s3:::b/k");
    assert_eq!(
        decision.deciding.and_then(|s| s.sid),
        Some("Always".to_string())
    );
    assert!(!decision.explanation.contains("Condition"));
}

// --- roles and trust ---------------------------------------------------

#[test]
fn trust_policies_decide_which_service_can_assume_a_role() {
    let task = Role::new(ACCOUNT, "app-task", ECS_TASKS_SERVICE);
    assert_eq!(task.arn, "arn:aws:iam::123456789012:role/app-task");
    assert!(task.trusts(ECS_TASKS_SERVICE));
    assert!(!task.trusts(EC2_SERVICE));
    assert!(task.can_act_as(Principal::TaskRole));
    assert!(task.can_act_as(Principal::TaskExecutionRole));
    assert!(!task.can_act_as(Principal::ContainerInstanceRole));

    let instance = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE);
    assert!(instance.trusts(EC2_SERVICE));
    assert!(instance.can_act_as(Principal::NodeRole));
    assert!(!instance.trusts(ECS_TASKS_SERVICE));

    let pods = Role::new(ACCOUNT, "fargate-pods", EKS_FARGATE_PODS_SERVICE);
    assert!(pods.trusts(EKS_FARGATE_PODS_SERVICE));
    assert!(pods.can_act_as(Principal::PodExecutionRole));
    assert!(!pods.can_act_as(Principal::TaskRole));
}

#[test]
fn trust_needs_sts_assume_role_and_honours_deny() {
    let wrong_action = Role {
        trust_policy: document(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:TagSession"}}"#,
        ),
        ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
    };
    assert!(!wrong_action.trusts(ECS_TASKS_SERVICE));

    let denied = Role {
        trust_policy: document(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:*"},
                {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
                 "Condition": {"StringNotEquals": {"aws:SourceAccount": "123456789012"}}}]}"#,
        ),
        ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
    };
    // The deny's condition is not evaluated, so Dockyard errs on the side of the deny.
    assert!(!denied.trusts(ECS_TASKS_SERVICE));

    let listed = Role {
        trust_policy: document(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:AssumeRole"}}"#,
        ),
        ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
    };
    assert!(listed.trusts(ECS_TASKS_SERVICE) && listed.trusts(EC2_SERVICE));
    assert!(!listed.trusts(EKS_FARGATE_PODS_SERVICE));
}

#[test]
fn service_account_roles_trust_pod_identity_or_an_oidc_provider() {
    let pod_identity = Role::new(ACCOUNT, "app", EKS_POD_IDENTITY_SERVICE);
    assert!(pod_identity.can_act_as(Principal::ServiceAccountRole));
    assert!(pod_identity.trust_policy.statements[0]
        .actions
        .matches("sts:TagSession"));

    let irsa = Role {
        trust_policy: document(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
                "Action": "sts:AssumeRoleWithWebIdentity"}}"#,
        ),
        ..Role::new(ACCOUNT, "app", ECS_TASKS_SERVICE)
    };
    assert!(irsa.trusts_web_identity());
    assert!(irsa.can_act_as(Principal::ServiceAccountRole));
    assert!(!Role::new(ACCOUNT, "app", ECS_TASKS_SERVICE).can_act_as(Principal::ServiceAccountRole));
}

// --- managed policies --------------------------------------------------

#[test]
fn every_managed_policy_parses_and_is_listed_by_name() {
    let names: Vec<&str> = MANAGED_POLICIES.iter().map(|p| p.name).collect();
    assert_eq!(names, MANAGED_POLICY_NAMES);
    for name in MANAGED_POLICY_NAMES {
        let info = managed_policy_info(name).expect("listed");
        assert!(info.arn.ends_with(name), "{}", info.arn);
        assert_eq!(info.as_of, MANAGED_POLICIES_AS_OF);
        assert!(managed_policy(name).is_some());
    }
    assert_eq!(managed_policy("AdministratorAccess"), None);
    assert!(Role::new(ACCOUNT, "r", EC2_SERVICE)
        .with_managed_policy("AdministratorAccess")
        .is_err());
}

#[test]
fn managed_policies_allow_their_real_actions_and_nothing_else() {
    let allows = |name: &str, action: &str| {
        let document = managed_policy(name).expect("known policy");
        evaluate(&[(name, &document)], action, "*").is_allowed()
    };
    assert!(allows(
        "AmazonECSTaskExecutionRolePolicy",
        "logs:PutLogEvents"
    ));
    assert!(!allows(
        "AmazonECSTaskExecutionRolePolicy",
        "secretsmanager:GetSecretValue"
    ));
    assert!(allows(
        "AmazonEC2ContainerServiceforEC2Role",
        "ecs:SubmitTaskStateChange"
    ));
    assert!(!allows(
        "AmazonEC2ContainerServiceforEC2Role",
        "s3:GetObject"
    ));
    assert!(allows(
        "AmazonEKSWorkerNodePolicy",
        "eks-auth:AssumeRoleForPodIdentity"
    ));
    assert!(!allows("AmazonEKSWorkerNodePolicy", "ecr:BatchGetImage"));
    assert!(allows(
        "AmazonEC2ContainerRegistryReadOnly",
        "ecr:DescribeImageScanFindings"
    ));
    assert!(!allows(
        "AmazonEC2ContainerRegistryReadOnly",
        "ecr:PutImage"
    ));
    assert!(allows(
        "AmazonEC2ContainerRegistryPullOnly",
        "ecr:GetDownloadUrlForLayer"
    ));
    assert!(!allows(
        "AmazonEC2ContainerRegistryPullOnly",
        "ecr:DescribeRepositories"
    ));
    assert!(allows(
        "AmazonEKSFargatePodExecutionRolePolicy",
        "ecr:BatchGetImage"
    ));
    assert!(allows(
        "AmazonEKS_CNI_Policy",
        "ec2:AssignPrivateIpAddresses"
    ));
    let cni = managed_policy("AmazonEKS_CNI_Policy").expect("known policy");
    let tags = |resource: &str| evaluate(&[("cni", &cni)], "ec2:CreateTags", resource).is_allowed();
    assert!(tags(
        "arn:aws:ec2:eu-west-1:123456789012:network-interface/eni-0abc"
    ));
    assert!(!tags("arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"));
}

// --- application calls ---------------------------------------------------

#[test]
fn app_calls_map_to_their_iam_action_and_arn() {
    let ctx = context();
    let single = |text: &str| {
        let requests = AppCall::parse(text).expect(text).required_actions(&ctx);
        assert_eq!(requests.len(), 1, "{text}");
        (requests[0].action.clone(), requests[0].resource.clone())
    };
    assert_eq!(
        single("read s3://bucket/path/to/key"),
        (
            "s3:GetObject".into(),
            "arn:aws:s3:::bucket/path/to/key".into()
        )
    );
    assert_eq!(
        single("write s3://bucket/key"),
        ("s3:PutObject".into(), "arn:aws:s3:::bucket/key".into())
    );
    let orders = (
        "dynamodb:PutItem".to_string(),
        "arn:aws:dynamodb:eu-west-1:123456789012:table/orders".to_string(),
    );
    assert_eq!(single("put-item dynamodb://orders"), orders);
    assert_eq!(single("dynamodb:PutItem on table orders"), orders);
    assert_eq!(
        single("connect rds://db-ABCDEFGHIJKLMNOP/app_user"),
        (
            "rds-db:connect".into(),
            "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOP/app_user".into()
        )
    );
    let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf";
    assert_eq!(
        single(&format!("get-secret {secret}")),
        ("secretsmanager:GetSecretValue".into(), secret.into())
    );
    assert_eq!(
        single("sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:jobs"),
        (
            "sqs:SendMessage".into(),
            "arn:aws:sqs:eu-west-1:123456789012:jobs".into()
        )
    );
}

#[test]
fn pulling_an_ecr_image_needs_a_token_on_star_and_the_repository_actions() {
    let from_uri = AppCall::parse("pull 210987654321.dkr.ecr.us-east-2.amazonaws.com/team/web:1.4")
        .expect("an ECR image URI");
    let repository = "arn:aws:ecr:us-east-2:210987654321:repository/team/web";
    assert_eq!(
        from_uri.required_actions(&context()),
        ecr_pull_actions(repository)
    );
    assert_eq!(
        ecr_pull_actions(repository),
        vec![
            ActionRequest::new("ecr:GetAuthorizationToken", "*"),
            ActionRequest::new("ecr:BatchGetImage", repository),
            ActionRequest::new("ecr:GetDownloadUrlForLayer", repository),
        ]
    );
    let own = AppCall::parse("pull ecr://web@sha256:0123").expect("ecr:// form");
    assert_eq!(
        own,
        AppCall::PullImage {
            repository: "web".into(),
            registry: None
        }
    );
    assert_eq!(
        own.required_actions(&context())[1].resource,
        "arn:aws:ecr:eu-west-1:123456789012:repository/web"
    );
}

#[test]
fn unreadable_calls_say_what_was_expected() {
    for (text, expected) in [
        ("read s3://bucket", "s3://BUCKET/KEY"),
        ("put-item orders", "dynamodb://TABLE"),
        ("connect rds://db-ABC", "rds://DB-RESOURCE-ID/DB-USER"),
        (
            "get-secret arn:aws:ssm:eu-west-1:123456789012:parameter/x",
            "Secrets Manager ARN",
        ),
        ("pull nginx:latest", "not a private ECR image"),
        ("launch rockets", "expected one of"),
        ("GetObject on arn:aws:s3:::b/k", "service:Action"),
        ("s3:GetObject on my-bucket", "an ARN"),
    ] {
        let error = AppCall::parse(text).expect_err(text);
        assert!(error.reason.contains(expected), "{text}: {error}");
        assert_eq!(error.input, text);
    }
}

#[test]
fn app_call_text_round_trips() {
    for text in [
        "read s3://b/k",
        "write s3://b/dir/k",
        "put-item dynamodb://orders",
        "connect rds://db-ABC/app",
        "get-secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf",
        "inject-secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf",
        "registry-login arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf",
        "pull ecr://team/web",
        "pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web",
        "ship-logs /ecs/web ecs/web/0123",
        "sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:jobs",
    ] {
        let call = AppCall::parse(text).expect(text);
        assert_eq!(call.to_string(), text);
        assert_eq!(text.parse::<AppCall>(), Ok(call));
    }
}

// --- simulation ----------------------------------------------------------

fn s3_reader(name: &str, bucket: &str) -> Role {
    Role::new(ACCOUNT, name, ECS_TASKS_SERVICE).with_policy(
        "read-bucket",
        PolicyDocument::new(vec![Statement::allow(
            &["s3:GetObject"],
            &[&format!("arn:aws:s3:::{bucket}/*")],
        )
        .with_sid("ReadBucket")]),
    )
}

#[test]
fn a_task_role_that_only_reads_one_bucket_cannot_put_items() {
    let task_role = s3_reader("app-task", "reports");
    let put = AppCall::parse("put-item dynamodb://orders").expect("valid");
    let outcome = simulate(
        &put,
        &context(),
        Some(&task_role),
        &AccountPolicies::default(),
    );
    assert_eq!(outcome.access, Access::ImplicitlyDenied);
    assert_eq!(outcome.role.as_deref(), Some("app-task"));
    assert_eq!(outcome.deciding(), None);
    assert!(
        outcome.explanation.contains("implicitly denied"),
        "{}",
        outcome.explanation
    );
    assert!(outcome
        .explanation
        .contains("dynamodb:PutItem on arn:aws:dynamodb:eu-west-1:123456789012:table/orders"));

    let read = AppCall::parse("read s3://reports/2026/jan.csv").expect("valid");
    let allowed = simulate(
        &read,
        &context(),
        Some(&task_role),
        &AccountPolicies::default(),
    );
    assert!(allowed.is_allowed());
    assert_eq!(
        allowed.deciding().and_then(|s| s.sid.as_deref()),
        Some("ReadBucket")
    );
    let other_bucket = AppCall::parse("read s3://payroll/2026/jan.csv").expect("valid");
    assert_eq!(
        simulate(
            &other_bucket,
            &context(),
            Some(&task_role),
            &AccountPolicies::default()
        )
        .access,
        Access::ImplicitlyDenied
    );
}

#[test]
fn without_credentials_no_policy_is_consulted() {
    let call = AppCall::parse("read s3://b/k").expect("valid");
    let outcome = simulate(&call, &context(), None, &AccountPolicies::default());
    assert_eq!(outcome.access, Access::NoCredentials);
    assert!(outcome.checks.is_empty());
    assert!(outcome.explanation.starts_with("No credentials"));
}

#[test]
fn the_execution_role_pulls_from_its_accounts_repositories_and_anothers_only_when_its_repository_policy_allows(
) {
    // ECR User Guide, "Private repository policies": within an account the
    // IAM policy or the repository policy suffices; another account's
    // repository must allow the puller in its repository policy.
    let execution = Role::new(ACCOUNT, "ecsTaskExecutionRole", ECS_TASKS_SERVICE)
        .with_managed_policy("AmazonECSTaskExecutionRolePolicy")
        .expect("known policy");
    let roles = AssignedRoles {
        execution_role: Some(&execution),
        ..AssignedRoles::default()
    };
    let check = |image: &str, around: &AccountPolicies| {
        let call = AppCall::parse(image).expect(image);
        check_call(
            Platform::EcsOnFargate,
            roles.role_setup(false),
            &roles,
            &call,
            &context(),
            around,
        )
    };
    let other = "pull 999999999999.dkr.ecr.ap-south-1.amazonaws.com/shared/base@sha256:ab";
    for image in [
        "pull ecr://web",
        "pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2",
    ] {
        let check = check(image, &AccountPolicies::default());
        assert_eq!(check.principal, Principal::TaskExecutionRole, "{image}");
        assert!(check.is_allowed(), "{image}: {}", check.explanation);
        assert_eq!(check.outcome.checks.len(), 3);
        assert!(check
            .explanation
            .starts_with("The task execution role \"ecsTaskExecutionRole\" makes this call."));
    }
    let refused = check(other, &AccountPolicies::default());
    assert!(!refused.is_allowed());
    assert!(
        refused.explanation.contains("another account"),
        "{}",
        refused.explanation
    );
    let mut shared = AccountPolicies::default();
    shared.resource_policies.insert(
        "arn:aws:ecr:ap-south-1:999999999999:repository/shared/base".into(),
        document(&format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow",
                "Principal": {{"AWS": "arn:aws:iam::{ACCOUNT}:root"}},
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}}}}"#
        )),
    );
    let allowed = check(other, &shared);
    assert!(allowed.is_allowed(), "{}", allowed.explanation);
    assert!(allowed
        .explanation
        .contains("both the resource's policy and the caller's identity-based policy allow it"));

    // The same repository policy, and a puller whose own policy has no ECR
    // read: across accounts both must allow, so it is refused.
    let logs_only = Role::new(ACCOUNT, "logsOnly", ECS_TASKS_SERVICE).with_policy(
        "logs",
        document(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                "Action": ["ecr:GetAuthorizationToken", "logs:*"], "Resource": "*"}}"#,
        ),
    );
    let roles = AssignedRoles {
        execution_role: Some(&logs_only),
        ..AssignedRoles::default()
    };
    let refused = check_call(
        Platform::EcsOnFargate,
        roles.role_setup(false),
        &roles,
        &AppCall::parse(other).unwrap(),
        &context(),
        &shared,
    );
    assert!(!refused.is_allowed());
    let decided = refused
        .outcome
        .checks
        .iter()
        .find(|c| !c.decision.is_allowed())
        .unwrap();
    assert_eq!(decided.decision.decided_by, Some(PolicyType::IdentityBased));
}

#[test]
fn on_fargate_without_an_execution_role_the_pull_has_no_credentials() {
    let task_role = s3_reader("app-task", "reports");
    let roles = AssignedRoles {
        task_role: Some(&task_role),
        ..AssignedRoles::default()
    };
    let call = AppCall::parse("pull ecr://web").expect("valid");
    let check = check_call(
        Platform::EcsOnFargate,
        roles.role_setup(false),
        &roles,
        &call,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::Nobody);
    assert_eq!(check.outcome.access, Access::NoCredentials);
    assert!(check
        .explanation
        .starts_with("No credentials: Fargate has no instance profile"));
}

#[test]
fn on_ec2_without_a_task_role_the_app_is_judged_by_the_instance_role() {
    let instance = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE)
        .with_managed_policy("AmazonEC2ContainerServiceforEC2Role")
        .expect("known policy");
    let roles = AssignedRoles {
        instance_role: Some(&instance),
        ..AssignedRoles::default()
    };
    let read = AppCall::parse("read s3://reports/jan.csv").expect("valid");
    let check = check_call(
        Platform::EcsOnEc2,
        roles.role_setup(false),
        &roles,
        &read,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::ContainerInstanceRole);
    assert_eq!(check.outcome.role.as_deref(), Some("ecsInstanceRole"));
    assert_eq!(check.outcome.access, Access::ImplicitlyDenied);
    assert!(
        check.explanation.contains("instance profile"),
        "{}",
        check.explanation
    );

    // Give the instance role S3 access and every container on the host gets it.
    let generous = instance.clone().with_policy(
        "s3-read",
        PolicyDocument::new(vec![Statement::allow(
            &["s3:Get*"],
            &["arn:aws:s3:::reports/*"],
        )
        .with_sid("HostReads")]),
    );
    let roles = AssignedRoles {
        instance_role: Some(&generous),
        ..AssignedRoles::default()
    };
    let check = check_call(
        Platform::EcsOnEc2,
        roles.role_setup(false),
        &roles,
        &read,
        &context(),
        &AccountPolicies::default(),
    );
    assert!(check.is_allowed());
    assert_eq!(
        check.outcome.deciding().map(|s| s.policy.as_str()),
        Some("s3-read")
    );
    assert!(
        check
            .explanation
            .contains("\"HostReads\" (#1) of policy \"s3-read\""),
        "{}",
        check.explanation
    );

    // Blocking IMDS leaves the container without credentials instead.
    let blocked = check_call(
        Platform::EcsOnEc2,
        roles.role_setup(true),
        &roles,
        &read,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(blocked.outcome.access, Access::NoCredentials);
}

#[test]
fn injected_secrets_are_judged_against_the_execution_role_even_with_a_task_role() {
    let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
    let task_role = Role::new(ACCOUNT, "app-task", ECS_TASKS_SERVICE).with_policy(
        "secrets",
        PolicyDocument::new(vec![Statement::allow(
            &["secretsmanager:GetSecretValue"],
            &[secret],
        )]),
    );
    let execution = Role::new(ACCOUNT, "ecsTaskExecutionRole", ECS_TASKS_SERVICE)
        .with_managed_policy("AmazonECSTaskExecutionRolePolicy")
        .expect("known policy");
    let roles = AssignedRoles {
        task_role: Some(&task_role),
        execution_role: Some(&execution),
        ..AssignedRoles::default()
    };
    let inject = AppCall::parse(&format!("inject-secret {secret}")).expect("valid");
    let check = check_call(
        Platform::EcsOnEc2,
        roles.role_setup(false),
        &roles,
        &inject,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::TaskExecutionRole);
    assert_eq!(check.outcome.access, Access::ImplicitlyDenied);

    let get = AppCall::parse(&format!("get-secret {secret}")).expect("valid");
    let check = check_call(
        Platform::EcsOnEc2,
        roles.role_setup(false),
        &roles,
        &get,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::TaskRole);
    assert!(check.is_allowed());

    // Docker credentials for repositoryCredentials are the execution
    // role's to read too, and its managed policy does not grant it.
    let login = AppCall::parse(&format!("registry-login {secret}")).expect("valid");
    assert_eq!(login.kind(), Call::PrivateRegistryAuth);
    let check = check_call(
        Platform::EcsOnFargate,
        roles.role_setup(false),
        &roles,
        &login,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::TaskExecutionRole);
    assert_eq!(check.outcome.access, Access::ImplicitlyDenied);
}

#[test]
fn a_role_that_does_not_trust_the_service_cannot_be_used() {
    let wrong = Role::new(ACCOUNT, "copied-from-ec2", EC2_SERVICE).with_policy(
        "all",
        PolicyDocument::new(vec![Statement::allow(&["*"], &["*"])]),
    );
    let roles = AssignedRoles {
        task_role: Some(&wrong),
        ..AssignedRoles::default()
    };
    let call = AppCall::parse("read s3://b/k").expect("valid");
    let check = check_call(
        Platform::EcsOnFargate,
        roles.role_setup(false),
        &roles,
        &call,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::TaskRole);
    assert_eq!(check.outcome.access, Access::UntrustedRole);
    assert!(
        check
            .explanation
            .contains("does not trust ecs-tasks.amazonaws.com"),
        "{}",
        check.explanation
    );
}

#[test]
fn eks_nodes_pull_with_the_node_role_and_fargate_pods_with_the_pod_execution_role() {
    let node = Role::new(ACCOUNT, "eks-node", EC2_SERVICE)
        .with_managed_policy("AmazonEKSWorkerNodePolicy")
        .and_then(|r| r.with_managed_policy("AmazonEC2ContainerRegistryPullOnly"))
        .expect("known policies");
    let pods = Role::new(ACCOUNT, "eks-fargate-pods", EKS_FARGATE_PODS_SERVICE)
        .with_managed_policy("AmazonEKSFargatePodExecutionRolePolicy")
        .expect("known policy");
    let roles = AssignedRoles {
        node_role: Some(&node),
        pod_execution_role: Some(&pods),
        ..AssignedRoles::default()
    };
    let pull = AppCall::parse("pull ecr://web").expect("valid");
    let on_nodes = check_call(
        Platform::EksOnEc2Nodes,
        roles.role_setup(false),
        &roles,
        &pull,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(on_nodes.principal, Principal::NodeRole);
    assert!(on_nodes.is_allowed(), "{}", on_nodes.explanation);
    let on_fargate = check_call(
        Platform::EksOnFargate,
        roles.role_setup(false),
        &roles,
        &pull,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(on_fargate.principal, Principal::PodExecutionRole);
    assert!(on_fargate.is_allowed(), "{}", on_fargate.explanation);

    let logs = AppCall::parse("ship-logs app").expect("valid");
    let not_iam = check_call(
        Platform::EksOnEc2Nodes,
        roles.role_setup(false),
        &roles,
        &logs,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(not_iam.outcome.access, Access::NotAnIamCall);
}

#[test]
fn a_setup_claiming_a_missing_role_has_no_credentials() {
    let roles = AssignedRoles::default();
    let call = AppCall::parse("read s3://b/k").expect("valid");
    let check = check_call(
        Platform::EcsOnFargate,
        RoleSetup::COMPLETE,
        &roles,
        &call,
        &context(),
        &AccountPolicies::default(),
    );
    assert_eq!(check.principal, Principal::TaskRole);
    assert_eq!(check.outcome.access, Access::NoCredentials);
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    fn literal() -> impl Strategy<Value = String> {
        "[A-Za-z0-9:/._-]{0,24}"
    }

    proptest! {
        #[test]
        fn a_literal_pattern_matches_exactly_itself(text in literal(), other in literal()) {
            prop_assert!(resource_matches(&text, &text));
            prop_assert_eq!(resource_matches(&text, &other), text == other);
            prop_assert!(action_matches(&text.to_uppercase(), &text.to_lowercase()));
        }

        #[test]
        fn a_star_matches_any_continuation(prefix in literal(), rest in literal()) {
            let pattern = format!("{prefix}*");
            let text = format!("{prefix}{rest}");
            prop_assert!(resource_matches(&pattern, &text));
            prop_assert!(resource_matches("*", &text));
        }

        #[test]
        fn question_marks_match_exactly_one_character(text in "[a-z]{1,12}") {
            let pattern = "?".repeat(text.chars().count());
            prop_assert!(action_matches(&pattern, &text));
            let longer = format!("{text}x");
            prop_assert!(!action_matches(&pattern, &longer));
        }

        #[test]
        fn deny_always_beats_allow(action in "[a-z]{1,6}:[A-Za-z]{1,10}", extra_allows in 0usize..4) {
            let mut statements: Vec<Statement> = (0..extra_allows)
                .map(|_| Statement::allow(&["*"], &["*"]))
                .collect();
            statements.push(Statement::deny(&[&action], &["*"]));
            let policy = PolicyDocument::new(statements);
            let decision = evaluate(&[("p", &policy)], &action, "arn:aws:s3:::b/k");
            prop_assert_eq!(decision.effect, DecisionEffect::ExplicitlyDenied);
            prop_assert_eq!(decision.deciding.map(|s| s.index), Some(extra_allows));
        }
    }
}

#[test]
fn the_ec2_instance_role_policy_v10_lists_tags_on_tasks_and_container_instances_only() {
    let ec2_role = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE)
        .with_managed_policy("AmazonEC2ContainerServiceforEC2Role")
        .expect("known policy");
    for resource in [
        "arn:aws:ecs:eu-west-1:123456789012:task/default/0123456789abcdef",
        "arn:aws:ecs:eu-west-1:123456789012:container-instance/default/0123456789abcdef",
    ] {
        assert!(
            ec2_role
                .evaluate("ecs:ListTagsForResource", resource)
                .is_allowed(),
            "{resource}"
        );
    }
    let cluster = ec2_role.evaluate(
        "ecs:ListTagsForResource",
        "arn:aws:ecs:eu-west-1:123456789012:cluster/default",
    );
    assert!(!cluster.is_allowed(), "{}", cluster.explanation);
}

/// The simulation's calls carry a request context (Region, TLS, the
/// calling role), and a task role's conditions are evaluated against it
/// instead of being taken as holding.
#[test]
fn a_task_roles_conditions_are_evaluated_against_the_calls_context() {
    let region_locked = document(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OnlyInUsEast1", "Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"},
                          "Bool": {"aws:SecureTransport": "true"}}}]}"#,
    );
    let role = Role::new(ACCOUNT, "app", ECS_TASKS_SERVICE).with_policy("region", region_locked);
    let read = AppCall::parse("read s3://reports/q1.csv").unwrap();
    let in_eu = simulate(&read, &context(), Some(&role), &AccountPolicies::default());
    assert_eq!(in_eu.access, Access::ImplicitlyDenied);
    assert!(
        in_eu
            .explanation
            .contains("the request has eu-west-1, the condition wants us-east-1"),
        "{}",
        in_eu.explanation
    );
    let in_us = simulate(
        &read,
        &AwsContext::new(ACCOUNT, "us-east-1"),
        Some(&role),
        &AccountPolicies::default(),
    );
    assert_eq!(in_us.access, Access::Allowed, "{}", in_us.explanation);
    assert!(!in_us.explanation.contains("does not evaluate conditions"));
}
