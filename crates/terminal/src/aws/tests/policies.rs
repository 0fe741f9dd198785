//! The policy commands beyond a role's own, each answer checked against
//! botocore's output shape: IAM customer managed policies, permissions
//! boundaries and trust policy updates, ECR repository policies (another
//! account's too), and Organizations' service control policies.

use serde_json::Value;

use super::{checked, TestCloud};

/// Runs an operation with no output shape, which must succeed silently.
fn succeeds(cloud: &mut TestCloud, line: &str) {
    let out = cloud.run(line);
    assert_eq!(out.status, 0, "{line}\n{}", out.stderr);
    assert_eq!(out.stdout, "", "{line}");
}

/// The scenario with four services whose calls meet these policies.
fn platform() -> TestCloud {
    TestCloud::scenario(
        include_str!("../../../../../scenarios/policies-beyond-the-role.scenario.json"),
        16,
    )
}

#[test]
fn a_customer_managed_policy_becomes_a_roles_permissions_boundary() {
    let mut cloud = platform();
    let created = checked(
        &mut cloud,
        r#"aws iam create-policy --policy-name ReadOnlyTeam --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'"#,
    );
    let arn = "arn:aws:iam::111122223333:policy/ReadOnlyTeam";
    assert_eq!(created["Policy"]["Arn"], arn);
    assert!(created["Policy"]["PolicyId"]
        .as_str()
        .unwrap()
        .starts_with("ANPA"));
    let again = cloud.run(
        r#"aws iam create-policy --policy-name ReadOnlyTeam --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'"#,
    );
    assert_eq!(again.status, 254);
    assert!(
        again.stderr.contains("(EntityAlreadyExists)"),
        "{}",
        again.stderr
    );

    succeeds(
        &mut cloud,
        &format!("aws iam put-role-permissions-boundary --role-name uploaderRole --permissions-boundary {arn}"),
    );
    let role = checked(&mut cloud, "aws iam get-role --role-name uploaderRole");
    assert_eq!(
        role["Role"]["PermissionsBoundary"],
        serde_json::json!({"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn})
    );
    let policy = checked(
        &mut cloud,
        &format!("aws iam get-policy --policy-arn {arn}"),
    );
    assert_eq!(policy["Policy"]["PermissionsBoundaryUsageCount"], 1);

    // simulate-principal-policy includes the role's boundary.
    let simulated = checked(
        &mut cloud,
        "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/uploaderRole --action-names s3:PutObject s3:GetObject --resource-arns arn:aws:s3:::team-uploads/a.csv",
    );
    let results = simulated["EvaluationResults"].as_array().unwrap();
    assert_eq!(results[0]["EvalDecision"], "implicitDeny");
    assert_eq!(
        results[0]["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"],
        false
    );
    assert_eq!(results[1]["EvalDecision"], "allowed");

    succeeds(
        &mut cloud,
        "aws iam delete-role-permissions-boundary --role-name uploaderRole",
    );
    let role = checked(&mut cloud, "aws iam get-role --role-name uploaderRole");
    assert!(role["Role"].get("PermissionsBoundary").is_none());

    let unknown = cloud.run("aws iam put-role-permissions-boundary --role-name uploaderRole --permissions-boundary arn:aws:iam::111122223333:policy/Nope");
    assert!(
        unknown.stderr.contains("(NoSuchEntity)"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn another_accounts_repository_policy_is_set_read_and_deleted() {
    let mut cloud = platform();
    let read = checked(
        &mut cloud,
        "aws ecr get-repository-policy --registry-id 444455556666 --repository-name shared/base",
    );
    assert_eq!(read["registryId"], "444455556666");
    let text: Value = serde_json::from_str(read["policyText"].as_str().unwrap()).unwrap();
    assert_eq!(text["Statement"][0]["Sid"], "PullForPayments");

    let bad = cloud.run("aws ecr set-repository-policy --registry-id 444455556666 --repository-name shared/base --policy-text '{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecr:BatchGetImage\"}]}'");
    assert!(
        bad.stderr.contains("(InvalidParameterException)") && bad.stderr.contains("Principal"),
        "{}",
        bad.stderr
    );

    checked(
        &mut cloud,
        "aws ecr delete-repository-policy --registry-id 444455556666 --repository-name shared/base",
    );
    let gone = cloud.run(
        "aws ecr get-repository-policy --registry-id 444455556666 --repository-name shared/base",
    );
    assert!(
        gone.stderr.contains("(RepositoryPolicyNotFoundException)")
            && gone
                .stderr
                .contains("'shared/base' in the registry with id '444455556666'"),
        "{}",
        gone.stderr
    );
}

#[test]
fn an_scp_is_created_attached_listed_and_kept_as_the_last_one() {
    let mut cloud = platform();
    let created = checked(
        &mut cloud,
        r#"aws organizations create-policy --type SERVICE_CONTROL_POLICY --name no-eu --description 'No EU' --content '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}'"#,
    );
    let id = created["Policy"]["PolicySummary"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        id.starts_with("p-") && id.len() == 10,
        "an Organizations policy ID: {id}"
    );
    let listed = checked(
        &mut cloud,
        "aws organizations list-policies --filter SERVICE_CONTROL_POLICY",
    );
    let names: Vec<&str> = listed["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["FullAWSAccess", "no-eu"]);

    succeeds(
        &mut cloud,
        &format!("aws organizations attach-policy --policy-id {id} --target-id 111122223333"),
    );
    let simulated = checked(
        &mut cloud,
        "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/ledgerRole --action-names dynamodb:PutItem --resource-arns arn:aws:dynamodb:eu-west-1:111122223333:table/ledger --context-entries ContextKeyName=aws:RequestedRegion,ContextKeyValues=eu-west-1,ContextKeyType=string",
    );
    let result = &simulated["EvaluationResults"][0];
    assert_eq!(result["EvalDecision"], "explicitDeny");
    assert_eq!(
        result["OrganizationsDecisionDetail"]["AllowedByOrganizations"],
        false
    );

    let elsewhere = cloud.run(&format!(
        "aws organizations attach-policy --policy-id {id} --target-id 999999999999"
    ));
    assert!(
        elsewhere.stderr.contains("(TargetNotFoundException)"),
        "{}",
        elsewhere.stderr
    );
    succeeds(
        &mut cloud,
        &format!("aws organizations detach-policy --policy-id {id} --target-id 111122223333"),
    );
    let last = cloud.run(
        "aws organizations detach-policy --policy-id p-FullAWSAccess --target-id 111122223333",
    );
    assert!(
        last.stderr.contains("(ConstraintViolationException)"),
        "{}",
        last.stderr
    );
    let tag = cloud.run(r#"aws organizations create-policy --type TAG_POLICY --name t --description t --content '{}'"#);
    assert!(
        tag.stderr.contains("not simulated") && tag.stderr.contains("TAG_POLICY"),
        "{}",
        tag.stderr
    );
}

/// Bucket, key and secret policies, and a secret's key, typed as the AWS
/// CLI takes them, and the same commands as the sandbox's buttons would
/// give them: the world's policies come out the same.
#[test]
fn bucket_key_and_secret_policies_by_command_match_the_models_commands() {
    use dockyard_model::sim::Command;
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ledger/db-AbCdEf";
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let policy = |principal: &str, action: &str| {
        serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "One", "Effect": "Allow",
            "Principal": {"AWS": principal}, "Action": action, "Resource": "*"}]})
    };
    let commands = [
        Command::PutResourcePolicy {
            resource: "arn:aws:s3:::ledger-exports".into(),
            policy: Some(policy(
                "arn:aws:iam::111122223333:role/ledgerRole",
                "s3:GetObject",
            )),
        },
        Command::PutResourcePolicy {
            resource: key.into(),
            policy: Some(policy("arn:aws:iam::111122223333:root", "kms:*")),
        },
        Command::PutResourcePolicy {
            resource: secret.into(),
            policy: Some(policy(
                "arn:aws:iam::444455556666:root",
                "secretsmanager:GetSecretValue",
            )),
        },
        Command::EncryptSecret {
            secret: secret.into(),
            key: key.into(),
        },
        Command::PutResourcePolicy {
            resource: "arn:aws:s3:::ledger-exports".into(),
            policy: None,
        },
    ];
    let (mut direct, mut typed) = (platform(), platform());
    for command in commands {
        let lines = crate::cli_for(&command, &direct.world).expect("a terminal form");
        direct.world.apply(command).unwrap();
        for line in &lines {
            let out = typed.run(line);
            assert_eq!(out.status, 0, "{line}\n{}", out.stderr);
        }
        assert_eq!(
            direct.world.account_policies(),
            typed.world.account_policies()
        );
    }
    assert!(direct
        .world
        .account_policies()
        .encryption_keys
        .contains_key(secret));

    // The answers, in the API models' shapes.
    let read = checked(
        &mut typed,
        &format!("aws secretsmanager get-resource-policy --secret-id {secret}"),
    );
    assert_eq!(read["Name"], "ledger/db");
    assert!(read["ResourcePolicy"]
        .as_str()
        .unwrap()
        .contains("444455556666"));
    let key_policy = checked(
        &mut typed,
        &format!("aws kms get-key-policy --key-id {key}"),
    );
    assert_eq!(key_policy["PolicyName"], "default");
    // A key with no policy put has the default key policy.
    let default = checked(
        &mut typed,
        "aws kms get-key-policy --key-id 0000aaaa-bbbb-cccc-dddd-eeeeffff0000",
    );
    assert!(default["Policy"]
        .as_str()
        .unwrap()
        .contains("arn:aws:iam::111122223333:root"));
    let gone = typed.run("aws s3api get-bucket-policy --bucket ledger-exports");
    assert!(
        gone.stderr.contains("(NoSuchBucketPolicy)"),
        "{}",
        gone.stderr
    );
    let public = typed.run(r#"aws secretsmanager put-resource-policy --secret-id ledger/db --block-public-policy --resource-policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}'"#);
    assert!(
        public.stderr.contains("(PublicPolicyException)"),
        "{}",
        public.stderr
    );
    let alias =
        typed.run(r#"aws kms put-key-policy --key-id alias/aws/secretsmanager --policy '{}'"#);
    assert!(
        alias.stderr.contains("(NotFoundException)"),
        "{}",
        alias.stderr
    );
}
