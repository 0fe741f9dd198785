//! `aws ecr` on the Registries page's desk: every operation's answer (each
//! checked against ECR's output shapes), its errors as the CLI prints them,
//! and what is not simulated changing nothing.

use serde_json::Value;

use dockyard_model::registry::desk::Action;
use dockyard_model::registry::digest_of;

use super::{checked, TestCloud};

fn create(name: &str, immutable: bool, scan_on_push: bool) -> Action {
    Action::CreateRepository {
        name: name.into(),
        immutable,
        scan_on_push,
    }
}

fn push(repository: &str, tag: &str, content: &str) -> Action {
    Action::Push {
        repository: repository.into(),
        tag: tag.into(),
        content: content.into(),
    }
}

/// The start of "latest is a tag": app holds build 1 as 1.0 and latest.
fn app() -> TestCloud {
    TestCloud::registries(&[
        create("app", false, false),
        push("app", "1.0", "app build 1"),
        push("app", "latest", "app build 1"),
    ])
}

/// web scans on push and holds build 41 as 1.0.
fn scanned_web() -> TestCloud {
    TestCloud::registries(&[
        create("web", true, true),
        push("web", "1.0", "web build 41"),
    ])
}

fn error_line(code: &str, operation: &str, message: &str) -> String {
    format!("\nAn error occurred ({code}) when calling the {operation} operation: {message}\n")
}

#[test]
fn without_registries_ecr_says_where_it_is() {
    let mut cloud = TestCloud::web_on_fargate();
    let out = cloud.run("aws ecr describe-repositories");
    assert_eq!(out.status, 255, "{}", out.stderr);
    assert!(
        out.stderr.contains("[dockyard]") && out.stderr.contains("ECR is on the Registries page"),
        "{}",
        out.stderr
    );
    let out = cloud.run("aws ecr get-login-password");
    assert!(
        out.stderr
            .contains("GetAuthorizationToken is not simulated"),
        "{}",
        out.stderr
    );
}

#[test]
fn create_repository_is_the_desks_action() {
    let mut cloud = TestCloud::registries(&[]);
    let created = checked(
        &mut cloud,
        "aws ecr create-repository --repository-name web-release --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true",
    );
    let repository = &created["repository"];
    assert_eq!(repository["repositoryName"], "web-release");
    assert_eq!(
        repository["repositoryUri"],
        "111122223333.dkr.ecr.us-east-1.amazonaws.com/web-release"
    );
    assert_eq!(
        repository["repositoryArn"],
        "arn:aws:ecr:us-east-1:111122223333:repository/web-release"
    );
    assert_eq!(repository["registryId"], "111122223333");
    assert_eq!(repository["imageTagMutability"], "IMMUTABLE");
    assert_eq!(repository["imageScanningConfiguration"]["scanOnPush"], true);
    assert_eq!(
        repository["encryptionConfiguration"]["encryptionType"],
        "AES256"
    );
    assert_eq!(repository["createdAt"], "2026-01-01T00:00:00+00:00");
    assert_eq!(cloud.desk().actions(), [create("web-release", true, true)]);

    // The defaults are ECR's: MUTABLE, no scan on push.
    let plain = checked(
        &mut cloud,
        "aws ecr create-repository --repository-name shop/api",
    );
    assert_eq!(plain["repository"]["imageTagMutability"], "MUTABLE");
    assert_eq!(
        plain["repository"]["imageScanningConfiguration"]["scanOnPush"],
        false
    );

    let out = cloud.run("aws ecr create-repository --repository-name web-release");
    assert_eq!(out.status, 254);
    assert_eq!(
        out.stderr,
        error_line(
            "RepositoryAlreadyExistsException",
            "CreateRepository",
            "The repository with name 'web-release' already exists in the registry with id '111122223333'"
        )
    );
    // The model's naming rules; the CLI's own length check before them.
    let out = cloud.run("aws ecr create-repository --repository-name Web");
    assert_eq!(out.status, 254);
    assert!(
        out.stderr.contains("(InvalidParameterException)") && out.stderr.contains("lowercase"),
        "{}",
        out.stderr
    );
    let out = cloud.run("aws ecr create-repository --repository-name w");
    assert_eq!(out.status, 252);
    assert!(out.stderr.contains("valid min length: 2"), "{}", out.stderr);
    let out = cloud
        .run("aws ecr create-repository --repository-name x1 --image-tag-mutability SOMETIMES");
    assert!(
        out.stderr.contains("(InvalidParameterException)"),
        "{}",
        out.stderr
    );
    assert_eq!(cloud.desk().actions().len(), 2, "refusals are not kept");
}

#[test]
fn what_the_page_cannot_do_is_said_and_changes_nothing() {
    let mut cloud = app();
    let before = cloud.desk().to_json();
    for line in [
        "aws ecr put-image-tag-mutability --repository-name app --image-tag-mutability IMMUTABLE",
        "aws ecr put-image-scanning-configuration --repository-name app --image-scanning-configuration scanOnPush=true",
        "aws ecr delete-repository --repository-name app --force",
        "aws ecr create-repository --repository-name kms --encryption-configuration encryptionType=KMS",
        "aws ecr create-repository --repository-name tagged --tags Key=team,Value=shop",
        "aws ecr create-repository --repository-name ex --image-tag-mutability IMMUTABLE_WITH_EXCLUSION",
        "aws ecr describe-repositories --registry-id 999999999999",
    ] {
        let out = cloud.run(line);
        assert_eq!(out.status, 255, "{line}: {}", out.stderr);
        assert!(
            out.stderr.contains("[dockyard]")
                && out.stderr.contains("nothing was changed"),
            "{line}: {}",
            out.stderr
        );
    }
    let policy = r#"{"rules":[{"rulePriority":1,"description":"keep ten","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#;
    let out = cloud.run(&format!(
        "aws ecr put-lifecycle-policy --repository-name app --lifecycle-policy-text '{policy}'"
    ));
    assert_eq!(out.status, 255);
    assert!(out.stderr.contains("lifecycle policies"), "{}", out.stderr);
    assert_eq!(cloud.desk().to_json(), before);
    let out = cloud.run("aws ecr get-lifecycle-policy --repository-name app");
    assert_eq!(
        out.stderr,
        error_line(
            "LifecyclePolicyNotFoundException",
            "GetLifecyclePolicy",
            "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '111122223333'"
        )
    );
}

#[test]
fn repositories_are_described_by_name() {
    let mut cloud = app();
    cloud
        .desk
        .as_mut()
        .unwrap()
        .apply(create("web", true, true))
        .unwrap();
    let all = checked(&mut cloud, "aws ecr describe-repositories");
    let names: Vec<&str> = all["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repositoryName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["app", "web"]);
    // Two pushes (an hour each) happened before web was created.
    assert_eq!(
        all["repositories"][1]["createdAt"],
        "2026-01-01T02:00:00+00:00"
    );
    let one = checked(
        &mut cloud,
        "aws ecr describe-repositories --repository-names web",
    );
    assert_eq!(one["repositories"].as_array().unwrap().len(), 1);
    let out = cloud.run("aws ecr describe-repositories --repository-names app ghost");
    assert_eq!(out.status, 254);
    assert_eq!(
        out.stderr,
        error_line(
            "RepositoryNotFoundException",
            "DescribeRepositories",
            "The repository with name 'ghost' does not exist in the registry with id '111122223333'"
        )
    );
    let text = cloud
        .run("aws ecr describe-repositories --query 'repositories[].repositoryUri' --output text");
    assert_eq!(
        text.stdout,
        "111122223333.dkr.ecr.us-east-1.amazonaws.com/app\t111122223333.dkr.ecr.us-east-1.amazonaws.com/web\n"
    );
}

#[test]
fn images_are_listed_and_described_by_digest_and_tags() {
    let mut cloud = app();
    cloud
        .desk
        .as_mut()
        .unwrap()
        .apply(push("app", "latest", "app build 2"))
        .unwrap();
    let build1 = digest_of(b"app build 1");
    let build2 = digest_of(b"app build 2");
    let listed = checked(&mut cloud, "aws ecr list-images --repository-name app");
    assert_eq!(
        listed["imageIds"],
        serde_json::json!([
            {"imageDigest": build1, "imageTag": "1.0"},
            {"imageDigest": build2, "imageTag": "latest"},
        ])
    );
    let untagged = checked(
        &mut cloud,
        "aws ecr list-images --repository-name app --filter tagStatus=UNTAGGED",
    );
    assert_eq!(untagged["imageIds"], serde_json::json!([]));
    let described = checked(&mut cloud, "aws ecr describe-images --repository-name app");
    let details = described["imageDetails"].as_array().unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[0]["imageDigest"], build1.as_str());
    assert_eq!(details[0]["imageTags"], serde_json::json!(["1.0"]));
    assert_eq!(details[0]["imagePushedAt"], "2026-01-01T00:00:00+00:00");
    assert_eq!(details[1]["imagePushedAt"], "2026-01-01T02:00:00+00:00");
    assert!(
        details[0].get("imageSizeInBytes").is_none(),
        "the model has no sizes"
    );
    assert!(details[0].get("imageScanStatus").is_none(), "never scanned");
    let one = checked(
        &mut cloud,
        "aws ecr describe-images --repository-name app --image-ids imageTag=latest",
    );
    assert_eq!(one["imageDetails"][0]["imageDigest"], build2.as_str());
    let out = cloud.run("aws ecr describe-images --repository-name app --image-ids imageTag=9.9");
    assert_eq!(
        out.stderr,
        error_line(
            "ImageNotFoundException",
            "DescribeImages",
            "The image with imageId {imageDigest:'null', imageTag:'9.9'} does not exist within the repository with name 'app' in the registry with id '111122223333'"
        )
    );
    let out = cloud.run("aws ecr list-images --repository-name ghost");
    assert!(
        out.stderr
            .contains("(RepositoryNotFoundException) when calling the ListImages operation"),
        "{}",
        out.stderr
    );
}

#[test]
fn scans_are_the_models_and_keep_its_quota() {
    let mut cloud = scanned_web();
    let described = checked(&mut cloud, "aws ecr describe-images --repository-name web");
    let detail = &described["imageDetails"][0];
    assert_eq!(detail["imageScanStatus"]["status"], "COMPLETE");
    assert_eq!(
        detail["imageScanFindingsSummary"]["imageScanCompletedAt"],
        "2026-01-01T00:00:00+00:00"
    );
    let findings = checked(
        &mut cloud,
        "aws ecr describe-image-scan-findings --repository-name web --image-id imageTag=1.0",
    );
    let scan = &findings["imageScanFindings"];
    let listed = scan["findings"].as_array().unwrap();
    let counted: u64 = scan["findingSeverityCounts"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, listed.len());
    assert_eq!(findings["imageId"]["imageTag"], "1.0");
    assert_eq!(
        findings["imageId"]["imageDigest"],
        digest_of(b"web build 41").as_str()
    );

    // Scanned on push an hour ago: a second scan within 24 hours is refused.
    let out = cloud.run("aws ecr start-image-scan --repository-name web --image-id imageTag=1.0");
    assert_eq!(out.status, 254);
    assert_eq!(
        out.stderr,
        error_line(
            "LimitExceededException",
            "StartImageScan",
            "The scan quota per image has been exceeded. Wait and try again."
        )
    );
    cloud
        .desk
        .as_mut()
        .unwrap()
        .apply(Action::Wait { hours: 24 })
        .unwrap();
    let started = checked(
        &mut cloud,
        "aws ecr start-image-scan --repository-name web --image-id imageTag=1.0",
    );
    assert_eq!(started["imageScanStatus"]["status"], "COMPLETE");
    assert!(cloud
        .run("aws ecr start-image-scan --repository-name web --image-id imageTag=1.0")
        .stderr
        .contains("LimitExceeded"));
    let actions = cloud.desk().actions();
    assert!(matches!(actions.last(), Some(Action::Scan { repository, .. }) if repository == "web"));

    let out = cloud.run("aws ecr start-image-scan --repository-name web --image-id imageTag=2.0");
    assert!(
        out.stderr.contains("(ImageNotFoundException)"),
        "{}",
        out.stderr
    );
    let out = cloud.run("aws ecr start-image-scan --repository-name web");
    assert_eq!(out.status, 252, "imageId is required");
}

#[test]
fn an_image_never_scanned_has_no_findings() {
    let mut cloud = app();
    let out = cloud
        .run("aws ecr describe-image-scan-findings --repository-name app --image-id imageTag=1.0");
    assert_eq!(out.status, 254);
    assert!(
        out.stderr.starts_with("\nAn error occurred (ScanNotFoundException) when calling the DescribeImageScanFindings operation: Image scan does not exist"),
        "{}",
        out.stderr
    );
    let checked_scan = checked(
        &mut cloud,
        "aws ecr start-image-scan --repository-name app --image-id imageTag=1.0",
    );
    assert_eq!(checked_scan["repositoryName"], "app");
    checked(
        &mut cloud,
        "aws ecr describe-image-scan-findings --repository-name app --image-id imageTag=1.0",
    );
}

#[test]
fn the_login_password_is_the_tokens() {
    let mut cloud = app();
    let token = checked(&mut cloud, "aws ecr get-authorization-token");
    let data = &token["authorizationData"][0];
    assert_eq!(
        data["proxyEndpoint"],
        "https://111122223333.dkr.ecr.us-east-1.amazonaws.com"
    );
    // Twelve hours after the desk's clock (two pushes in: 02:00).
    assert_eq!(data["expiresAt"], "2026-01-01T14:00:00+00:00");
    let out = cloud.run("aws ecr get-login-password --region us-east-1");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let password = out.stdout.trim_end();
    assert_eq!(
        data["authorizationToken"],
        crate::aws::ecr::base64(format!("AWS:{password}").as_bytes())
    );
    assert!(out.notes[0].contains("simulated"), "{:?}", out.notes);
    let out = cloud.run("aws ecr get-login-password --region eu-west-1");
    assert_eq!(out.status, 255);
    let out = cloud.run("aws ecr get-login-password --profile x --bogus");
    assert_eq!(out.status, 252);
    assert!(
        out.stderr.contains("Unknown options: --bogus"),
        "{}",
        out.stderr
    );
    assert!(cloud
        .run("aws ecr help")
        .stdout
        .contains("get-login-password"));
    let out = cloud.run("aws ecr get-login-pasword");
    assert!(
        out.stderr.contains("* get-login-password"),
        "{}",
        out.stderr
    );
}

#[test]
fn completion_offers_repositories_and_the_login_command() {
    let cloud = app();
    let c = crate::complete(&cloud, "aws ecr describe-images --repository-name ");
    assert_eq!(c.options, ["app"]);
    let c = crate::complete(&cloud, "aws ecr describe-repositories --repository-names a");
    assert_eq!(c.options, ["app"]);
    let c = crate::complete(&cloud, "aws ecr get-lo");
    assert_eq!(c.options, ["get-login-password"]);
    let c = crate::complete(&cloud, "aws ecr create-repository --image-tag-mutability I");
    assert_eq!(c.options, ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"]);
}

#[test]
fn every_response_prints_in_text_and_table_too() {
    let mut cloud = scanned_web();
    for line in [
        "aws ecr describe-images --repository-name web --output table",
        "aws ecr describe-image-scan-findings --repository-name web --image-id imageTag=1.0 --output text",
    ] {
        let out = cloud.run(line);
        assert_eq!(out.status, 0, "{line}: {}", out.stderr);
        assert!(!out.stdout.is_empty());
        assert!(serde_json::from_str::<Value>(&out.stdout).is_err(), "not json: {line}");
    }
}
