//! The registries' behaviour as ECR and Docker Hub document it: pushes,
//! tag mutability, scans, lifecycle policies and pull limits.

use super::*;

const DAY: u64 = 24 * 60 * 60;

fn registry() -> Registry {
    Registry::new("123456789012", "us-east-1").unwrap()
}

fn with_repo(name: &str, tag_mutability: TagMutability, scan_on_push: bool) -> Registry {
    let mut registry = registry();
    registry
        .create_repository(
            name,
            RepositorySettings {
                tag_mutability,
                scan_on_push,
            },
            0,
        )
        .unwrap();
    registry
}

#[test]
fn repository_names_follow_ecr_rules() {
    let mut registry = registry();
    for good in [
        "web",
        "project-a/nginx-web-app",
        "a1",
        "team__x/app.v2",
        "a--b",
    ] {
        assert!(
            registry
                .create_repository(good, RepositorySettings::default(), 0)
                .is_ok(),
            "{good}"
        );
    }
    for bad in [
        "a",
        "Web",
        "web/",
        "/web",
        "-web",
        "web..app",
        "web app",
        &"a".repeat(257),
    ] {
        let error = registry
            .create_repository(bad, RepositorySettings::default(), 0)
            .unwrap_err();
        assert_eq!(error.error_type(), "InvalidParameterException", "{bad}");
        assert!(
            error
                .message()
                .starts_with("Invalid parameter at 'repositoryName'"),
            "{bad}"
        );
    }
    assert!(registry
        .create_repository("Web", RepositorySettings::default(), 0)
        .unwrap_err()
        .message()
        .contains("must be lowercase"));
    assert!(registry
        .create_repository(&"a".repeat(256), RepositorySettings::default(), 0)
        .is_ok());
    let duplicate = registry
        .create_repository("web", RepositorySettings::default(), 0)
        .unwrap_err();
    assert_eq!(
        duplicate.to_string(),
        "RepositoryAlreadyExistsException: The repository with name 'web' already exists in the registry with id '123456789012'"
    );
    assert!(Registry::new("1234", "us-east-1").is_err());
}

#[test]
fn identical_content_is_the_same_image() {
    let mut registry = with_repo("web", TagMutability::Mutable, false);
    let first = registry.push("web", "v1", "web build 1", 0).unwrap();
    let again = registry.push("web", "stable", "web build 1", 5).unwrap();
    assert_eq!(first.digest, again.digest);
    assert!(first.new_image);
    assert!(!again.new_image);
    assert_eq!(first.digest, digest_of(b"web build 1"));
    let repo = registry.repository("web").unwrap();
    assert_eq!(repo.images().count(), 1);
    assert_eq!(repo.tags_of(&first.digest), vec!["stable", "v1"]);
    assert_eq!(repo.image(&first.digest).unwrap().pushed_at, 0);
}

#[test]
fn an_immutable_repository_refuses_to_move_a_tag() {
    let mut registry = with_repo("web", TagMutability::Immutable, false);
    let first = registry.push("web", "latest", "web build 1", 0).unwrap();
    let error = registry
        .push("web", "latest", "web build 2", 60)
        .unwrap_err();
    assert_eq!(error.error_type(), "ImageTagAlreadyExistsException");
    assert_eq!(
        error.message(),
        "The image tag 'latest' already exists in the 'web' repository and cannot be overwritten because the repository is immutable."
    );
    assert_eq!(registry.resolve("web", "latest").unwrap(), first.digest);
    assert_eq!(registry.repository("web").unwrap().images().count(), 1);
    // Even the very same image is refused on an existing immutable tag,
    // as ECR does (a re-run CI job fails here).
    assert_eq!(
        registry
            .push("web", "latest", "web build 1", 90)
            .unwrap_err()
            .error_type(),
        "ImageTagAlreadyExistsException"
    );
    // A new tag for the new build is the immutable way.
    assert!(registry.push("web", "v2", "web build 2", 120).is_ok());
}

#[test]
fn exclusion_filters_make_some_tags_the_exception() {
    let mut registry = with_repo(
        "web",
        TagMutability::ImmutableWithExclusion(vec!["latest".into(), "dev-*".into()]),
        false,
    );
    registry.push("web", "latest", "build 1", 0).unwrap();
    registry.push("web", "v1", "build 1", 0).unwrap();
    assert!(registry.push("web", "latest", "build 2", 10).is_ok());
    assert!(registry.push("web", "v1", "build 2", 10).is_err());

    let mut registry = with_repo(
        "web",
        TagMutability::MutableWithExclusion(vec!["release-*".into()]),
        false,
    );
    registry.push("web", "release-1", "build 1", 0).unwrap();
    registry.push("web", "main", "build 1", 0).unwrap();
    assert!(registry.push("web", "main", "build 2", 10).is_ok());
    assert!(registry.push("web", "release-1", "build 2", 10).is_err());

    let empty = registry.create_repository(
        "api",
        RepositorySettings {
            tag_mutability: TagMutability::ImmutableWithExclusion(vec![]),
            scan_on_push: false,
        },
        0,
    );
    assert!(empty.is_err());
}

#[test]
fn a_mutable_repository_moves_the_tag_and_untags_the_old_image() {
    let mut registry = with_repo("web", TagMutability::Mutable, false);
    let first = registry.push("web", "latest", "web build 1", 0).unwrap();
    let second = registry.push("web", "latest", "web build 2", 60).unwrap();
    assert_ne!(first.digest, second.digest);
    assert_eq!(
        second.tag_moved_from.as_deref(),
        Some(first.digest.as_str())
    );
    assert_eq!(second.untagged.as_deref(), Some(first.digest.as_str()));
    let repo = registry.repository("web").unwrap();
    assert_eq!(repo.resolve("latest"), Some(second.digest.as_str()));
    // The old image is still stored, by digest, with no tag.
    assert!(repo.image(&first.digest).is_some());
    assert!(repo.tags_of(&first.digest).is_empty());

    // An image another tag still names does not become untagged.
    registry.push("web", "v2", "web build 2", 70).unwrap();
    let third = registry.push("web", "latest", "web build 3", 80).unwrap();
    assert_eq!(
        third.tag_moved_from.as_deref(),
        Some(second.digest.as_str())
    );
    assert_eq!(third.untagged, None);
    assert!(registry.push("web", "", "x", 90).is_err());
    assert!(registry.push("web", &"t".repeat(300), "x", 90).is_ok());
    assert!(registry.push("web", &"t".repeat(301), "x", 90).is_err());
}

#[test]
fn a_running_task_keeps_the_digest_it_resolved() {
    let mut registry = with_repo("web", TagMutability::Mutable, false);
    let first = registry.push("web", "latest", "web build 1", 0).unwrap();
    let image = ImageRef::parse(&format!("{}:latest", registry.repository_uri("web"))).unwrap();

    let running = registry.resolve_for_task(&image, 100).unwrap();
    assert_eq!(running.digest, first.digest);
    assert!(!running.is_behind(&registry));

    let second = registry.push("web", "latest", "web build 2", 200).unwrap();
    // The running task still has the first image; only new tasks get the second.
    assert_eq!(running.digest, first.digest);
    assert!(running.is_behind(&registry));
    let replacement = registry.resolve_for_task(&image, 300).unwrap();
    assert_eq!(replacement.digest, second.digest);

    // A digest-pinned reference never moves.
    let pinned = ImageRef::parse(&format!(
        "{}@{}",
        registry.repository_uri("web"),
        first.digest
    ))
    .unwrap();
    let task = registry.resolve_for_task(&pinned, 400).unwrap();
    assert_eq!(task.digest, first.digest);
    assert!(!task.is_behind(&registry));

    let missing = ImageRef::parse(&format!("{}:nope", registry.repository_uri("web"))).unwrap();
    assert_eq!(
        registry
            .resolve_for_task(&missing, 0)
            .unwrap_err()
            .error_type(),
        "ImageNotFoundException"
    );
    let elsewhere = ImageRef::parse("nginx").unwrap();
    assert!(registry.resolve_for_task(&elsewhere, 0).is_err());
}

#[test]
fn a_basic_scan_runs_at_most_once_a_day_per_image() {
    let mut registry = with_repo("web", TagMutability::Mutable, true);
    let pushed = registry.push("web", "v1", "web build 1", 1_000).unwrap();
    let on_push = pushed.scan.expect("scan on push");
    assert_eq!(on_push.trigger, ScanTrigger::ScanOnPush);
    assert!(on_push.illustrative);

    let refused = registry
        .start_image_scan("web", &pushed.digest, 1_000 + DAY - 1)
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "LimitExceededException: The scan quota per image has been exceeded. Wait and try again."
    );
    let manual = registry
        .start_image_scan("web", &pushed.digest, 1_000 + DAY)
        .unwrap();
    assert_eq!(manual.trigger, ScanTrigger::Manual);
    // Same image, same illustrative findings.
    assert_eq!(manual.findings, on_push.findings);
    assert!(registry
        .start_image_scan("web", &pushed.digest, 1_000 + DAY + 60)
        .is_err());
    assert_eq!(
        registry
            .image_scan_findings("web", &pushed.digest)
            .unwrap()
            .completed_at,
        1_000 + DAY
    );

    // Without scan on push, the first manual scan is allowed, the second not.
    let mut registry = with_repo("api", TagMutability::Mutable, false);
    let pushed = registry.push("api", "v1", "api build 1", 0).unwrap();
    assert!(pushed.scan.is_none());
    assert_eq!(
        registry
            .image_scan_findings("api", &pushed.digest)
            .unwrap_err()
            .error_type(),
        "ScanNotFoundException"
    );
    assert!(registry.start_image_scan("api", &pushed.digest, 10).is_ok());
    assert!(registry
        .start_image_scan("api", &pushed.digest, 20)
        .is_err());
    assert_eq!(
        registry
            .start_image_scan("api", "sha256:nope", 20)
            .unwrap_err()
            .error_type(),
        "ImageNotFoundException"
    );
}

const POLICY: &str = r#"{"rules": [
    {"rulePriority": 1, "description": "Keep the last 2 release images",
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 2},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "Expire untagged images older than 7 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
     "action": {"type": "expire"}}]}"#;

#[test]
fn lifecycle_policies_expire_through_the_registry() {
    let mut registry = with_repo("web", TagMutability::Mutable, false);
    assert_eq!(
        registry
            .evaluate_lifecycle("web", 0)
            .unwrap_err()
            .error_type(),
        "LifecyclePolicyNotFoundException"
    );
    let bad = registry.put_lifecycle_policy("web", "{}").unwrap_err();
    assert_eq!(bad.error_type(), "InvalidParameterException");
    assert!(bad
        .message()
        .contains("Lifecycle policy validation failure"));
    registry.put_lifecycle_policy("web", POLICY).unwrap();

    let v1 = registry.push("web", "v1", "build 1", 0).unwrap();
    let v2 = registry.push("web", "v2", "build 2", DAY).unwrap();
    let v3 = registry.push("web", "v3", "build 3", 2 * DAY).unwrap();
    let main_old = registry.push("web", "main", "build 4", 3 * DAY).unwrap();
    let main_new = registry.push("web", "main", "build 5", 9 * DAY).unwrap();
    assert_eq!(main_new.untagged.as_deref(), Some(main_old.digest.as_str()));

    let expired = registry.evaluate_lifecycle("web", 10 * DAY).unwrap();
    let summary: Vec<(&str, u32)> = expired
        .iter()
        .map(|e| (e.image_digest.as_str(), e.rule_priority))
        .collect();
    assert_eq!(summary, vec![(v1.digest.as_str(), 1)]);
    // Old enough on day 11: build 4 was pushed on day 3 and untagged since.
    let expired = registry.apply_lifecycle("web", 11 * DAY).unwrap();
    assert_eq!(expired.len(), 2);
    assert_eq!(expired[1].image_digest, main_old.digest);
    assert_eq!(
        expired[1].rule_description.as_deref(),
        Some("Expire untagged images older than 7 days")
    );
    let repo = registry.repository("web").unwrap();
    assert!(repo.image(&v1.digest).is_none());
    assert_eq!(repo.resolve("v1"), None);
    assert_eq!(repo.resolve("v2"), Some(v2.digest.as_str()));
    assert_eq!(repo.resolve("v3"), Some(v3.digest.as_str()));
    assert_eq!(repo.images().count(), 3);
}

#[test]
fn pulling_from_this_registry_needs_ecr_permissions_on_its_repository() {
    let registry = with_repo("team/web", TagMutability::Mutable, false);
    let image = ImageRef::parse(&format!("{}:v1", registry.repository_uri("team/web"))).unwrap();
    let needs = pull_requirements(&image);
    assert!(needs.needs_aws_credentials);
    assert_eq!(needs.actions[1].1, registry.repository_arn("team/web"));
    assert_eq!(
        registry.repository_arn("team/web"),
        "arn:aws:ecr:us-east-1:123456789012:repository/team/web"
    );
}
