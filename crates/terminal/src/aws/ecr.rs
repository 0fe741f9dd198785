//! `aws ecr`: the account's private registry, as the Registries page's
//! desk (`registry::desk::Desk`) keeps it. A call that changes the registry
//! becomes a desk action (`Cloud::act`), so it is saved, replayed and judged
//! like the page's buttons; a call that reads it reads the desk, and each
//! response is in the ECR API model's shapes (`aws::tests` checks them).
//!
//! What ECR decides (names, tag immutability, the scan quota, which
//! exception) is the model's: its errors come back as `Type: message` and
//! are printed as the CLI prints a service error. What the desk cannot do
//! (changing a repository's settings after it is made, lifecycle policies,
//! deleting) is answered with `DockyardNotSimulated`, changing nothing.
//!
//! The desk's clock counts seconds from its opening, which is the same
//! 2026-01-01T00:00:00Z the simulation's clock starts at (`time.rs`).

use serde_json::{json, Map, Value};

use dockyard_model::registry::desk::{Action, Desk};
use dockyard_model::registry::scan::ScanResult;
use dockyard_model::registry::{EcrError, Registry, Repository, TagMutability};

use super::{text, texts, timestamp, ApiError, Reply};
use crate::Cloud;

/// How long an authorization token lasts: 12 hours, as ECR's do.
const TOKEN_SECONDS: u64 = 12 * 3600;

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    if operation.ends_with("RepositoryPolicy") {
        // Repository policies decide the world's pulls (the sandbox's
        // tasks), so they live in the world, not on the Registries desk.
        return repository_policy(cloud, operation, request);
    }
    let desk = desk(cloud)?;
    if let Some(id) = text(request, "registryId") {
        if id != desk.registry.registry_id() {
            return Err(ApiError::new(
                "DockyardNotSimulated",
                format!(
                    "Dockyard simulates one registry, this account's ({}); {id} is another account's: nothing was changed",
                    desk.registry.registry_id()
                ),
            ));
        }
    }
    match operation {
        "CreateRepository" => create_repository(cloud, request),
        "DescribeRepositories" => describe_repositories(desk, request),
        "ListImages" => list_images(desk, request),
        "DescribeImages" => describe_images(desk, request),
        "StartImageScan" => start_image_scan(cloud, request),
        "DescribeImageScanFindings" => describe_image_scan_findings(desk, request),
        "GetLifecyclePolicy" => {
            let repository = repository(desk, request)?;
            if repository.lifecycle_policy().is_some() {
                // The desk has no action that sets one, so this cannot be
                // reached yet; said plainly rather than answered wrongly.
                return Err(not_simulated(
                    "Dockyard keeps a lifecycle policy as its rules, not its text",
                ));
            }
            Err(ecr(EcrError::LifecyclePolicyNotFound {
                repository: repository.name().to_string(),
                registry_id: desk.registry.registry_id().to_string(),
            }))
        }
        "GetAuthorizationToken" => Ok(json!({
            "authorizationData": [{
                "authorizationToken": base64(format!("AWS:{}", password(desk)).as_bytes()),
                "expiresAt": timestamp((desk.now + TOKEN_SECONDS) * 1000),
                "proxyEndpoint": format!("https://{}", desk.registry.host()),
            }]
        })),
        "PutImageTagMutability" => Err(not_simulated(
            "Dockyard does not simulate PutImageTagMutability yet: the Registries page sets tag immutability when it creates a repository (create-repository --image-tag-mutability IMMUTABLE)",
        )),
        "PutImageScanningConfiguration" => Err(not_simulated(
            "Dockyard does not simulate PutImageScanningConfiguration yet: the Registries page sets scan on push when it creates a repository (create-repository --image-scanning-configuration scanOnPush=true)",
        )),
        "PutLifecyclePolicy" => Err(not_simulated(
            "Dockyard does not simulate PutLifecyclePolicy yet: the model checks and evaluates lifecycle policies, but the Registries page has no action that keeps one",
        )),
        "DeleteRepository" => Err(not_simulated(
            "Dockyard does not simulate DeleteRepository yet (Start again on the Registries page empties the registry)",
        )),
        _ => Err(not_simulated(&format!(
            "Dockyard does not simulate {operation} yet"
        ))),
    }
}

/// The note a successful call carries, where Dockyard differs from ECR.
pub(super) fn note(operation: &str) -> Option<&'static str> {
    match operation {
        "StartImageScan" => Some(
            "Dockyard's basic scans complete at once; in AWS, start-image-scan answers IN_PROGRESS and the findings follow a moment later.",
        ),
        "DescribeImageScanFindings" | "DescribeImages" => Some(
            "Scan findings are illustrative: Dockyard has no image contents, so each image gets a few made-up EXAMPLE findings chosen by its digest.",
        ),
        "GetAuthorizationToken" => Some(
            "The token is Dockyard's, not a real credential; docker login takes it, and Dockyard does not check it.",
        ),
        _ => None,
    }
}

/// `aws ecr get-login-password`, the CLI's own command: GetAuthorizationToken's
/// token, decoded, without its `AWS:` user name.
pub(super) fn login_password(cloud: &dyn Cloud) -> Result<String, ApiError> {
    Ok(password(desk(cloud)?))
}

fn desk(cloud: &dyn Cloud) -> Result<&Desk, ApiError> {
    cloud.desk().ok_or_else(|| {
        ApiError::new(
            "DockyardNotSimulated",
            "ECR is on the Registries page: open it (#/registries) and use its terminal; this page's account has no registries, so nothing was changed",
        )
    })
}

/// SetRepositoryPolicy, GetRepositoryPolicy and DeleteRepositoryPolicy on
/// the repository `repositoryName` of `registryId` (this account's
/// registry when absent). The sandbox acts for every account of the
/// scenario, as an administrator of each would with its own credentials;
/// it does not check that the repository exists.
fn repository_policy(
    cloud: &mut dyn Cloud,
    operation: &str,
    request: &Map<String, Value>,
) -> Reply {
    let world = cloud.world();
    let registry = text(request, "registryId")
        .unwrap_or(world.account_id())
        .to_string();
    let name = text(request, "repositoryName")
        .unwrap_or_default()
        .to_string();
    let arn = format!(
        "arn:aws:ecr:{}:{registry}:repository/{name}",
        world.region()
    );
    let current = world
        .account_policies()
        .resource_policies
        .get(&arn)
        .map(|policy| serde_json::to_string_pretty(policy).unwrap_or_default());
    let answer = |policy: String| json!({"registryId": registry, "repositoryName": name, "policyText": policy});
    let not_found = || {
        ApiError::new(
            "RepositoryPolicyNotFoundException",
            format!("Repository policy does not exist for the repository with name '{name}' in the registry with id '{registry}'"),
        )
    };
    match operation {
        "GetRepositoryPolicy" => current.map(answer).ok_or_else(not_found),
        "DeleteRepositoryPolicy" => {
            let policy = current.ok_or_else(not_found)?;
            cloud
                .apply(dockyard_model::sim::Command::PutResourcePolicy {
                    resource: arn.clone(),
                    policy: None,
                })
                .map_err(|refused| ApiError::refused("InvalidParameterException", refused))?;
            Ok(answer(policy))
        }
        _ => {
            let written = text(request, "policyText").unwrap_or_default();
            let policy: Value = serde_json::from_str(written).map_err(|_| {
                ApiError::new(
                    "InvalidParameterException",
                    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
                )
            })?;
            cloud
                .apply(dockyard_model::sim::Command::PutResourcePolicy {
                    resource: arn.clone(),
                    policy: Some(policy),
                })
                .map_err(|refused| ApiError::refused("InvalidParameterException", refused))?;
            Ok(answer(written.to_string()))
        }
    }
}

fn not_simulated(why: &str) -> ApiError {
    ApiError::new(
        "DockyardNotSimulated",
        format!("{why}: nothing was changed"),
    )
}

fn ecr(error: EcrError) -> ApiError {
    ApiError::new(error.error_type(), error.message())
}

/// A desk's error (`Type: message`) as the service error it stands for.
fn refused(error: String) -> ApiError {
    match error.split_once(": ") {
        Some((code, message))
            if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            ApiError::new(code, message)
        }
        // Dockyard's own bound on kept actions, not ECR's.
        _ => ApiError::new("DockyardLimitExceeded", error),
    }
}

/// A deterministic token that says what it is: base64 of JSON, as ECR's
/// passwords are, but with a payload that is no secret. It has no
/// expiration inside, so that a script can hold it (Dockyard does not
/// check it); GetAuthorizationToken's `expiresAt` says when ECR's would end.
fn password(desk: &Desk) -> String {
    base64(
        json!({
            "payload": "DOCKYARD-SIMULATED-TOKEN-NOT-A-CREDENTIAL",
            "registry": desk.registry.host(),
            "version": "2",
            "type": "DATA_KEY",
        })
        .to_string()
        .as_bytes(),
    )
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---- repositories ---------------------------------------------------------

fn repository<'d>(
    desk: &'d Desk,
    request: &Map<String, Value>,
) -> Result<&'d Repository, ApiError> {
    let name = text(request, "repositoryName").unwrap_or_default();
    desk.registry.repository(name).map_err(ecr)
}

fn repository_value(registry: &Registry, repository: &Repository) -> Value {
    let name = repository.name();
    let mutability = &repository.settings().tag_mutability;
    let mut value = json!({
        "repositoryArn": registry.repository_arn(name),
        "registryId": registry.registry_id(),
        "repositoryName": name,
        "repositoryUri": registry.repository_uri(name),
        "createdAt": timestamp(repository.created_at() * 1000),
        "imageTagMutability": mutability.as_str(),
        "imageScanningConfiguration": {"scanOnPush": repository.settings().scan_on_push},
        "encryptionConfiguration": {"encryptionType": "AES256"},
    });
    if let TagMutability::ImmutableWithExclusion(filters)
    | TagMutability::MutableWithExclusion(filters) = mutability
    {
        value["imageTagMutabilityExclusionFilters"] = filters
            .iter()
            .map(|filter| json!({"filterType": "WILDCARD", "filter": filter}))
            .collect();
    }
    value
}

fn create_repository(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let name = text(request, "repositoryName")
        .unwrap_or_default()
        .to_string();
    let immutable = match text(request, "imageTagMutability").unwrap_or("MUTABLE") {
        "MUTABLE" => false,
        "IMMUTABLE" => true,
        other @ ("IMMUTABLE_WITH_EXCLUSION" | "MUTABLE_WITH_EXCLUSION") => {
            return Err(not_simulated(&format!(
                "Dockyard's Registries page makes MUTABLE and IMMUTABLE repositories; {other} (with exclusion filters) is in the model but not on the page yet"
            )))
        }
        other => {
            return Err(ApiError::new(
                "InvalidParameterException",
                format!("Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]' (got '{other}')"),
            ))
        }
    };
    if request.contains_key("imageTagMutabilityExclusionFilters") {
        return Err(not_simulated(
            "Dockyard's tag mutability exclusion filters are in the model but not on the Registries page yet",
        ));
    }
    let encryption = request
        .get("encryptionConfiguration")
        .and_then(|c| c.get("encryptionType"))
        .and_then(Value::as_str)
        .unwrap_or("AES256");
    if encryption != "AES256" {
        return Err(not_simulated(&format!(
            "Dockyard's repositories are encrypted with AES256, ECR's default; {encryption} (a KMS key) is not simulated"
        )));
    }
    if request
        .get("tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| !tags.is_empty())
    {
        return Err(not_simulated(
            "Dockyard does not keep tags on repositories yet; create it without --tags",
        ));
    }
    let scan_on_push = request
        .get("imageScanningConfiguration")
        .and_then(|c| c.get("scanOnPush"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    cloud
        .act(Action::CreateRepository {
            name: name.clone(),
            immutable,
            scan_on_push,
        })
        .map_err(refused)?;
    let desk = desk(cloud)?;
    let repository = desk.registry.repository(&name).map_err(ecr)?;
    Ok(json!({ "repository": repository_value(&desk.registry, repository) }))
}

fn describe_repositories(desk: &Desk, request: &Map<String, Value>) -> Reply {
    let names = texts(request, "repositoryNames");
    let registry = &desk.registry;
    let repositories: Vec<Value> = if names.is_empty() {
        registry
            .repositories()
            .map(|r| repository_value(registry, r))
            .collect()
    } else {
        names
            .iter()
            .map(|name| {
                registry
                    .repository(name)
                    .map(|r| repository_value(registry, r))
                    .map_err(ecr)
            })
            .collect::<Result<_, _>>()?
    };
    Ok(json!({ "repositories": repositories }))
}

// ---- images ---------------------------------------------------------------

/// The images of a repository in the order they were pushed.
fn images_of(repository: &Repository) -> Vec<&dockyard_model::registry::Image> {
    let mut images: Vec<_> = repository.images().collect();
    images.sort_by_key(|image| image.sequence);
    images
}

/// The digest an `imageId` names (by tag or by digest), which must exist.
fn resolve(
    desk: &Desk,
    repository: &Repository,
    image_id: Option<&Value>,
) -> Result<String, ApiError> {
    let registry_id = desk.registry.registry_id().to_string();
    let tag = image_id
        .and_then(|id| id.get("imageTag"))
        .and_then(Value::as_str);
    let digest = image_id
        .and_then(|id| id.get("imageDigest"))
        .and_then(Value::as_str);
    let missing = |image_id: String| {
        ecr(EcrError::ImageNotFound {
            image_id,
            repository: repository.name().to_string(),
            registry_id: registry_id.clone(),
        })
    };
    match (tag, digest) {
        (Some(tag), digest) => {
            let found = repository
                .resolve(tag)
                .ok_or_else(|| missing(format!("{{imageDigest:'null', imageTag:'{tag}'}}")))?;
            if digest.is_some_and(|d| d != found) {
                return Err(missing(format!(
                    "{{imageDigest:'{}', imageTag:'{tag}'}}",
                    digest.unwrap_or_default()
                )));
            }
            Ok(found.to_string())
        }
        (None, Some(digest)) => repository
            .image(digest)
            .map(|image| image.digest.clone())
            .ok_or_else(|| missing(format!("{{imageDigest:'{digest}', imageTag:'null'}}"))),
        (None, None) => Err(ApiError::new(
            "InvalidParameterException",
            "Invalid parameter at 'imageId' failed to satisfy constraint: 'an image is named by imageTag or imageDigest'",
        )),
    }
}

/// An `imageId` as ECR echoes it: the digest, and the tag when one was asked.
fn image_id(digest: &str, request: &Map<String, Value>) -> Value {
    let mut id = json!({ "imageDigest": digest });
    if let Some(tag) = request
        .get("imageId")
        .and_then(|id| id.get("imageTag"))
        .and_then(Value::as_str)
    {
        id["imageTag"] = json!(tag);
    }
    id
}

fn tag_status(request: &Map<String, Value>) -> &str {
    request
        .get("filter")
        .and_then(|f| f.get("tagStatus"))
        .and_then(Value::as_str)
        .unwrap_or("ANY")
}

fn wanted(tags: &[&str], status: &str) -> bool {
    match status {
        "TAGGED" => !tags.is_empty(),
        "UNTAGGED" => tags.is_empty(),
        _ => true,
    }
}

fn list_images(desk: &Desk, request: &Map<String, Value>) -> Reply {
    let repository = repository(desk, request)?;
    let status = tag_status(request);
    let mut ids = Vec::new();
    for image in images_of(repository) {
        let tags = repository.tags_of(&image.digest);
        if !wanted(&tags, status) {
            continue;
        }
        if tags.is_empty() {
            ids.push(json!({ "imageDigest": image.digest }));
        }
        for tag in tags {
            ids.push(json!({ "imageDigest": image.digest, "imageTag": tag }));
        }
    }
    Ok(json!({ "imageIds": ids }))
}

fn scan_status(scan: &ScanResult) -> Value {
    json!({
        "status": scan.status,
        "description": "The scan was completed successfully.",
    })
}

fn severity_counts(scan: &ScanResult) -> Value {
    scan.finding_severity_counts
        .iter()
        .map(|(severity, count)| (severity.as_str().to_string(), json!(count)))
        .collect::<Map<_, _>>()
        .into()
}

fn describe_images(desk: &Desk, request: &Map<String, Value>) -> Reply {
    let repository = repository(desk, request)?;
    let digests: Vec<String> = match request.get("imageIds").and_then(Value::as_array) {
        Some(ids) => {
            let mut digests = Vec::new();
            for id in ids {
                let digest = resolve(desk, repository, Some(id))?;
                if !digests.contains(&digest) {
                    digests.push(digest);
                }
            }
            digests
        }
        None => images_of(repository)
            .into_iter()
            .map(|image| image.digest.clone())
            .collect(),
    };
    let status = tag_status(request);
    let details: Vec<Value> = digests
        .iter()
        .filter_map(|digest| repository.image(digest))
        .filter(|image| wanted(&repository.tags_of(&image.digest), status))
        .map(|image| {
            let tags = repository.tags_of(&image.digest);
            let mut detail = json!({
                "registryId": desk.registry.registry_id(),
                "repositoryName": repository.name(),
                "imageDigest": image.digest,
                "imagePushedAt": timestamp(image.pushed_at * 1000),
            });
            if !tags.is_empty() {
                detail["imageTags"] = json!(tags);
            }
            if let Some(scan) = &image.scan {
                detail["imageScanStatus"] = scan_status(scan);
                detail["imageScanFindingsSummary"] = json!({
                    "imageScanCompletedAt": timestamp(scan.completed_at * 1000),
                    "findingSeverityCounts": severity_counts(scan),
                });
            }
            detail
        })
        .collect();
    Ok(json!({ "imageDetails": details }))
}

fn start_image_scan(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let desk = desk(cloud)?;
    let repository = repository(desk, request)?;
    let digest = resolve(desk, repository, request.get("imageId"))?;
    let name = repository.name().to_string();
    let registry_id = desk.registry.registry_id().to_string();
    cloud
        .act(Action::Scan {
            repository: name.clone(),
            digest: digest.clone(),
        })
        .map_err(refused)?;
    let desk = self::desk(cloud)?;
    let scan = desk
        .registry
        .image_scan_findings(&name, &digest)
        .map_err(ecr)?;
    Ok(json!({
        "registryId": registry_id,
        "repositoryName": name,
        "imageId": image_id(&digest, request),
        "imageScanStatus": scan_status(scan),
    }))
}

fn describe_image_scan_findings(desk: &Desk, request: &Map<String, Value>) -> Reply {
    let repository = repository(desk, request)?;
    let digest = resolve(desk, repository, request.get("imageId"))?;
    let scan = desk
        .registry
        .image_scan_findings(repository.name(), &digest)
        .map_err(ecr)?;
    let findings: Vec<Value> = scan
        .findings
        .iter()
        .map(|finding| {
            json!({
                "name": finding.name,
                "description": finding.description,
                "severity": finding.severity.as_str(),
                "attributes": [{"key": "package_name", "value": finding.package}],
            })
        })
        .collect();
    Ok(json!({
        "registryId": desk.registry.registry_id(),
        "repositoryName": repository.name(),
        "imageId": image_id(&digest, request),
        "imageScanStatus": scan_status(scan),
        "imageScanFindings": {
            "imageScanCompletedAt": timestamp(scan.completed_at * 1000),
            "findingSeverityCounts": severity_counts(scan),
            "findings": findings,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (text, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(text.as_bytes()), encoded, "{text}");
        }
    }
}
