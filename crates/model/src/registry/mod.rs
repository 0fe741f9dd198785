//! Registries and images (rules §1.2, §8, §10 points 17 and 18): image
//! references, private ECR repositories with tag mutability, scans and
//! lifecycle policies, Docker Hub's pull limits and the learner's own Docker
//! Hub repositories, and what a pull needs.
//!
//! The ECR model is one registry per account and Region. Images are stored
//! by digest and tags point at digests, which is why a task that resolved
//! `:latest` yesterday keeps running yesterday's image after a new push.

pub mod desk;
pub mod digest;
pub mod docker_hub;
pub mod hub;
pub mod image_ref;
pub mod lifecycle;
pub mod pull;
pub mod scan;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

pub use digest::digest_of;
pub use docker_hub::{DockerHubPullCounter, DockerHubPuller, TooManyRequests};
pub use image_ref::{EcrRegistry, ImageRef, ImageRefError, ImageRefPart, RegistryKind};
pub use lifecycle::{LifecycleExpiry, LifecyclePolicy, LifecyclePolicyError};
pub use pull::{pull_requirements, PullRequirements};
pub use scan::{ScanResult, ScanTrigger, Severity};

use lifecycle::{wildcard_match, ImageFacts};

/// ECR's limits on a repository name (rules §8).
pub const MIN_REPOSITORY_NAME_CHARS: usize = 2;
pub const MAX_REPOSITORY_NAME_CHARS: usize = 256;
/// ECR's limit on a tag; Docker clients stop at 128 (rules §8).
pub const MAX_ECR_TAG_CHARS: usize = 300;

/// Whether a pushed tag may later point at a different image.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TagMutability {
    #[default]
    Mutable,
    Immutable,
    /// Immutable, except tags matching one of these wildcard filters.
    ImmutableWithExclusion(Vec<String>),
    /// Mutable, except tags matching one of these wildcard filters.
    MutableWithExclusion(Vec<String>),
}

impl TagMutability {
    /// ECR's name for the setting.
    pub fn as_str(&self) -> &'static str {
        match self {
            TagMutability::Mutable => "MUTABLE",
            TagMutability::Immutable => "IMMUTABLE",
            TagMutability::ImmutableWithExclusion(_) => "IMMUTABLE_WITH_EXCLUSION",
            TagMutability::MutableWithExclusion(_) => "MUTABLE_WITH_EXCLUSION",
        }
    }

    /// Whether `tag`, once pushed, can no longer move.
    pub fn is_immutable(&self, tag: &str) -> bool {
        let excluded = |filters: &[String]| filters.iter().any(|f| wildcard_match(f, tag));
        match self {
            TagMutability::Mutable => false,
            TagMutability::Immutable => true,
            TagMutability::ImmutableWithExclusion(filters) => !excluded(filters),
            TagMutability::MutableWithExclusion(filters) => excluded(filters),
        }
    }
}

/// The settings CreateRepository takes that Dockyard models.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositorySettings {
    pub tag_mutability: TagMutability,
    /// The repository-level `imageScanningConfiguration.scanOnPush`. AWS now
    /// prefers registry-level scanning rules; the effect on a basic scan is
    /// the same.
    pub scan_on_push: bool,
}

/// An image stored in a repository, by digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub digest: String,
    pub pushed_at: u64,
    /// Push order within the registry, to order images pushed the same second.
    pub sequence: u64,
    /// The latest basic scan.
    pub scan: Option<ScanResult>,
}

/// A private ECR repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Repository {
    name: String,
    settings: RepositorySettings,
    images: BTreeMap<String, Image>,
    /// Tag to digest: the only link between a tag and an image.
    tags: BTreeMap<String, String>,
    lifecycle_policy: Option<LifecyclePolicy>,
    /// When it was created (seconds on the registry's clock): ECR's
    /// `createdAt`.
    created_at: u64,
}

impl Repository {
    /// An empty repository, made at `at_seconds`. ECR's CreateRepository
    /// checks the name and the settings first; Docker Hub makes one on the
    /// first push.
    pub(crate) fn new(name: &str, settings: RepositorySettings, at_seconds: u64) -> Repository {
        Repository {
            name: name.to_string(),
            settings,
            created_at: at_seconds,
            images: BTreeMap::new(),
            tags: BTreeMap::new(),
            lifecycle_policy: None,
        }
    }

    /// Stores the image `digest` (if new) and points `tag` at it: what any
    /// registry does on a push, once its own rules have let the push in.
    /// Returns whether the image was new, the digest the tag moved from,
    /// and that digest again when no tag points at it any more.
    pub(crate) fn store(
        &mut self,
        tag: &str,
        digest: &str,
        at_seconds: u64,
        sequence: u64,
    ) -> (bool, Option<String>, Option<String>) {
        let new_image = !self.images.contains_key(digest);
        if new_image {
            self.images.insert(
                digest.to_string(),
                Image {
                    digest: digest.to_string(),
                    pushed_at: at_seconds,
                    sequence,
                    scan: None,
                },
            );
        }
        let tag_moved_from = self
            .tags
            .insert(tag.to_string(), digest.to_string())
            .filter(|previous| previous != digest);
        let untagged = tag_moved_from
            .clone()
            .filter(|previous| self.tags.values().all(|d| d != previous));
        (new_image, tag_moved_from, untagged)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn settings(&self) -> &RepositorySettings {
        &self.settings
    }

    /// When the repository was created, in seconds on the registry's clock.
    pub fn created_at(&self) -> u64 {
        self.created_at
    }

    /// Images by digest order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    pub fn image(&self, digest: &str) -> Option<&Image> {
        self.images.get(digest)
    }

    /// The digest a tag points at now.
    pub fn resolve(&self, tag: &str) -> Option<&str> {
        self.tags.get(tag).map(String::as_str)
    }

    /// The tags pointing at an image; empty for an untagged image.
    pub fn tags_of(&self, digest: &str) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|(_, d)| d.as_str() == digest)
            .map(|(tag, _)| tag.as_str())
            .collect()
    }

    pub fn lifecycle_policy(&self) -> Option<&LifecyclePolicy> {
        self.lifecycle_policy.as_ref()
    }

    /// What the lifecycle policy would expire at `now_seconds`, oldest first;
    /// empty when the repository has no policy.
    pub fn evaluate_lifecycle(&self, now_seconds: u64) -> Vec<LifecycleExpiry> {
        let Some(policy) = &self.lifecycle_policy else {
            return Vec::new();
        };
        let facts: Vec<ImageFacts<'_>> = self
            .images
            .values()
            .map(|image| ImageFacts {
                digest: &image.digest,
                tags: self.tags_of(&image.digest),
                pushed_at: image.pushed_at,
                sequence: image.sequence,
            })
            .collect();
        policy.evaluate(&facts, now_seconds)
    }
}

/// What a push did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushOutcome {
    pub digest: String,
    pub tag: String,
    /// False when the content was already stored under this digest.
    pub new_image: bool,
    /// The digest the tag pointed at before, when the push moved it.
    pub tag_moved_from: Option<String>,
    /// That previous image, when no tag points at it any more.
    pub untagged: Option<String>,
    /// The basic scan run on push, when the repository scans on push and
    /// the image has not been scanned in the last 24 hours.
    pub scan: Option<ScanResult>,
}

/// The image a task resolved when it started. It is a copy, not a link: a
/// later push that moves the tag changes the repository, not this value,
/// so the running task keeps its digest until a new deployment starts new
/// tasks (rules §10 point 17).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedImage {
    pub image: ImageRef,
    pub digest: String,
    pub resolved_at: u64,
}

impl ResolvedImage {
    /// Whether the tag now points at a different image than the one this
    /// task runs: the case for `forceNewDeployment`.
    pub fn is_behind(&self, registry: &Registry) -> bool {
        match (self.image.digest(), self.image.tag()) {
            (None, Some(tag)) => registry
                .repository(self.image.repository())
                .ok()
                .and_then(|repository| repository.resolve(tag))
                .is_some_and(|current| current != self.digest),
            _ => false,
        }
    }
}

/// An ECR API error: the exception name and message ECR returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum EcrError {
    RepositoryNotFound {
        repository: String,
        registry_id: String,
    },
    RepositoryAlreadyExists {
        repository: String,
        registry_id: String,
    },
    /// A parameter fails ECR's constraints.
    InvalidParameter {
        message: String,
    },
    /// A lifecycle policy fails PutLifecyclePolicy's checks.
    InvalidLifecyclePolicy(LifecyclePolicyError),
    ImageTagAlreadyExists {
        tag: String,
        repository: String,
    },
    ImageNotFound {
        image_id: String,
        repository: String,
        registry_id: String,
    },
    /// A basic scan within 24 hours of the last one.
    LimitExceeded,
    ScanNotFound {
        digest: String,
        repository: String,
        registry_id: String,
    },
    LifecyclePolicyNotFound {
        repository: String,
        registry_id: String,
    },
}

impl EcrError {
    /// The exception name, as the AWS CLI prints it.
    pub fn error_type(&self) -> &'static str {
        match self {
            EcrError::RepositoryNotFound { .. } => "RepositoryNotFoundException",
            EcrError::RepositoryAlreadyExists { .. } => "RepositoryAlreadyExistsException",
            EcrError::InvalidParameter { .. } => "InvalidParameterException",
            EcrError::InvalidLifecyclePolicy(_) => "InvalidParameterException",
            EcrError::ImageTagAlreadyExists { .. } => "ImageTagAlreadyExistsException",
            EcrError::ImageNotFound { .. } => "ImageNotFoundException",
            EcrError::LimitExceeded => "LimitExceededException",
            EcrError::ScanNotFound { .. } => "ScanNotFoundException",
            EcrError::LifecyclePolicyNotFound { .. } => "LifecyclePolicyNotFoundException",
        }
    }

    /// The message, worded as ECR words it.
    pub fn message(&self) -> String {
        match self {
            EcrError::RepositoryNotFound { repository, registry_id } => format!(
                "The repository with name '{repository}' does not exist in the registry with id '{registry_id}'"
            ),
            EcrError::RepositoryAlreadyExists { repository, registry_id } => format!(
                "The repository with name '{repository}' already exists in the registry with id '{registry_id}'"
            ),
            EcrError::InvalidParameter { message } => message.clone(),
            EcrError::InvalidLifecyclePolicy(error) => format!(
                "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {error}'"
            ),
            EcrError::ImageTagAlreadyExists { tag, repository } => format!(
                "The image tag '{tag}' already exists in the '{repository}' repository and cannot be overwritten because the repository is immutable."
            ),
            EcrError::ImageNotFound { image_id, repository, registry_id } => format!(
                "The image with imageId {image_id} does not exist within the repository with name '{repository}' in the registry with id '{registry_id}'"
            ),
            EcrError::LimitExceeded => {
                "The scan quota per image has been exceeded. Wait and try again.".to_string()
            }
            EcrError::ScanNotFound { digest, repository, registry_id } => format!(
                "Image scan does not exist for the image with '{{imageDigest:'{digest}', imageTag:'null'}}' in the repository with name '{repository}' in the registry with id '{registry_id}'"
            ),
            EcrError::LifecyclePolicyNotFound { repository, registry_id } => format!(
                "Lifecycle policy does not exist for the repository with name '{repository}' in the registry with id '{registry_id}'"
            ),
        }
    }
}

impl fmt::Display for EcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type(), self.message())
    }
}

impl std::error::Error for EcrError {}

/// One account's private ECR registry in one Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    ecr: EcrRegistry,
    repositories: BTreeMap<String, Repository>,
    pushes: u64,
}

impl Registry {
    /// The registry of a 12-digit account id in a Region (`us-east-1`).
    pub fn new(account_id: &str, region: &str) -> Result<Registry, EcrError> {
        let host = format!("{account_id}.dkr.ecr.{region}.amazonaws.com");
        let ecr = EcrRegistry::from_host(&host).ok_or_else(|| EcrError::InvalidParameter {
            message: format!(
                "'{account_id}' in '{region}' is not a registry: an account id is 12 digits and a Region looks like us-east-1"
            ),
        })?;
        Ok(Registry {
            ecr,
            repositories: BTreeMap::new(),
            pushes: 0,
        })
    }

    /// The registry id, which is the account id.
    pub fn registry_id(&self) -> &str {
        &self.ecr.account_id
    }

    pub fn region(&self) -> &str {
        &self.ecr.region
    }

    /// `<account>.dkr.ecr.<region>.amazonaws.com`.
    pub fn host(&self) -> String {
        self.ecr.host()
    }

    /// The URI to use in a task definition's `image`.
    pub fn repository_uri(&self, repository: &str) -> String {
        format!("{}/{repository}", self.host())
    }

    pub fn repository_arn(&self, repository: &str) -> String {
        self.ecr.repository_arn(repository)
    }

    pub fn repositories(&self) -> impl Iterator<Item = &Repository> {
        self.repositories.values()
    }

    pub fn repository(&self, name: &str) -> Result<&Repository, EcrError> {
        self.repositories
            .get(name)
            .ok_or_else(|| self.not_found(name))
    }

    fn repository_mut(&mut self, name: &str) -> Result<&mut Repository, EcrError> {
        let error = self.not_found(name);
        self.repositories.get_mut(name).ok_or(error)
    }

    fn not_found(&self, name: &str) -> EcrError {
        EcrError::RepositoryNotFound {
            repository: name.to_string(),
            registry_id: self.registry_id().to_string(),
        }
    }

    /// CreateRepository at `at_seconds`.
    pub fn create_repository(
        &mut self,
        name: &str,
        settings: RepositorySettings,
        at_seconds: u64,
    ) -> Result<&Repository, EcrError> {
        check_repository_name(name)?;
        check_mutability(&settings.tag_mutability)?;
        if self.repositories.contains_key(name) {
            return Err(EcrError::RepositoryAlreadyExists {
                repository: name.to_string(),
                registry_id: self.registry_id().to_string(),
            });
        }
        let repository = Repository::new(name, settings, at_seconds);
        Ok(self
            .repositories
            .entry(name.to_string())
            .or_insert(repository))
    }

    /// A `docker push` of `content` as `repository:tag` at `at_seconds`.
    ///
    /// The digest is the SHA-256 of `content` (standing in for the image
    /// manifest), so pushing the same content again finds the same image.
    /// On an immutable tag that exists, every push is refused, even of the
    /// image it already names: ECR answers ImageTagAlreadyExistsException
    /// (aws/containers-roadmap#2179 asks for that to change).
    pub fn push(
        &mut self,
        repository: &str,
        tag: &str,
        content: &str,
        at_seconds: u64,
    ) -> Result<PushOutcome, EcrError> {
        check_ecr_tag(tag)?;
        let digest = digest_of(content.as_bytes());
        let sequence = self.pushes;
        let repo = self.repository_mut(repository)?;
        if repo.tags.contains_key(tag) && repo.settings.tag_mutability.is_immutable(tag) {
            return Err(EcrError::ImageTagAlreadyExists {
                tag: tag.to_string(),
                repository: repository.to_string(),
            });
        }
        let (new_image, tag_moved_from, untagged) = repo.store(tag, &digest, at_seconds, sequence);

        let scan = if repo.settings.scan_on_push {
            let image = repo.images.get_mut(&digest).expect("stored above");
            let due = image.scan.as_ref().is_none_or(|last| {
                at_seconds >= last.completed_at + scan::BASIC_SCAN_INTERVAL_SECONDS
            });
            if due {
                let result = scan::basic_scan(&digest, ScanTrigger::ScanOnPush, at_seconds);
                image.scan = Some(result.clone());
                Some(result)
            } else {
                None
            }
        } else {
            None
        };
        self.pushes += 1;
        Ok(PushOutcome {
            digest,
            tag: tag.to_string(),
            new_image,
            tag_moved_from,
            untagged,
            scan,
        })
    }

    /// The digest `repository:tag` points at now.
    pub fn resolve(&self, repository: &str, tag: &str) -> Result<String, EcrError> {
        let repo = self.repository(repository)?;
        repo.resolve(tag)
            .map(str::to_string)
            .ok_or_else(|| EcrError::ImageNotFound {
                image_id: format!("{{imageDigest:'null', imageTag:'{tag}'}}"),
                repository: repository.to_string(),
                registry_id: self.registry_id().to_string(),
            })
    }

    /// What a task starting at `at_seconds` pulls for `image`: a pinned
    /// digest as written, otherwise whatever the tag points at right now.
    pub fn resolve_for_task(
        &self,
        image: &ImageRef,
        at_seconds: u64,
    ) -> Result<ResolvedImage, EcrError> {
        if image.ecr().as_ref() != Some(&self.ecr) {
            return Err(EcrError::InvalidParameter {
                message: format!("The image '{image}' is not in the registry {}", self.host()),
            });
        }
        let repository = self.repository(image.repository())?;
        let digest = match (image.digest(), image.tag()) {
            (Some(digest), _) => {
                if repository.image(digest).is_none() {
                    return Err(EcrError::ImageNotFound {
                        image_id: format!("{{imageDigest:'{digest}', imageTag:'null'}}"),
                        repository: image.repository().to_string(),
                        registry_id: self.registry_id().to_string(),
                    });
                }
                digest.to_string()
            }
            (None, Some(tag)) => self.resolve(image.repository(), tag)?,
            (None, None) => unreachable!("a parsed reference has a tag or a digest"),
        };
        Ok(ResolvedImage {
            image: image.clone(),
            digest,
            resolved_at: at_seconds,
        })
    }

    /// StartImageScan for a basic scan. Refused with LimitExceededException
    /// within 24 hours of the image's last scan, scan on push included.
    pub fn start_image_scan(
        &mut self,
        repository: &str,
        digest: &str,
        at_seconds: u64,
    ) -> Result<ScanResult, EcrError> {
        let registry_id = self.registry_id().to_string();
        let repo = self.repository_mut(repository)?;
        let image = repo
            .images
            .get_mut(digest)
            .ok_or_else(|| EcrError::ImageNotFound {
                image_id: format!("{{imageDigest:'{digest}', imageTag:'null'}}"),
                repository: repository.to_string(),
                registry_id,
            })?;
        if let Some(last) = &image.scan {
            if at_seconds < last.completed_at + scan::BASIC_SCAN_INTERVAL_SECONDS {
                return Err(EcrError::LimitExceeded);
            }
        }
        let result = scan::basic_scan(digest, ScanTrigger::Manual, at_seconds);
        image.scan = Some(result.clone());
        Ok(result)
    }

    /// DescribeImageScanFindings: the latest scan of an image.
    pub fn image_scan_findings(
        &self,
        repository: &str,
        digest: &str,
    ) -> Result<&ScanResult, EcrError> {
        let repo = self.repository(repository)?;
        repo.image(digest)
            .and_then(|image| image.scan.as_ref())
            .ok_or_else(|| EcrError::ScanNotFound {
                digest: digest.to_string(),
                repository: repository.to_string(),
                registry_id: self.registry_id().to_string(),
            })
    }

    /// PutLifecyclePolicy.
    pub fn put_lifecycle_policy(
        &mut self,
        repository: &str,
        policy_text: &str,
    ) -> Result<(), EcrError> {
        let policy =
            LifecyclePolicy::parse(policy_text).map_err(EcrError::InvalidLifecyclePolicy)?;
        self.repository_mut(repository)?.lifecycle_policy = Some(policy);
        Ok(())
    }

    /// Which images the repository's lifecycle policy would expire at
    /// `now_seconds`, and by which rule, like ECR's lifecycle policy preview.
    pub fn evaluate_lifecycle(
        &self,
        repository: &str,
        now_seconds: u64,
    ) -> Result<Vec<LifecycleExpiry>, EcrError> {
        let repo = self.repository(repository)?;
        if repo.lifecycle_policy.is_none() {
            return Err(EcrError::LifecyclePolicyNotFound {
                repository: repository.to_string(),
                registry_id: self.registry_id().to_string(),
            });
        }
        Ok(repo.evaluate_lifecycle(now_seconds))
    }

    /// Expires what the lifecycle policy selects at `now_seconds`, removing
    /// the images and the tags that pointed at them.
    pub fn apply_lifecycle(
        &mut self,
        repository: &str,
        now_seconds: u64,
    ) -> Result<Vec<LifecycleExpiry>, EcrError> {
        let expired = self.evaluate_lifecycle(repository, now_seconds)?;
        let repo = self.repository_mut(repository)?;
        for expiry in &expired {
            repo.images.remove(&expiry.image_digest);
            repo.tags.retain(|_, digest| *digest != expiry.image_digest);
        }
        Ok(expired)
    }
}

fn check_repository_name(name: &str) -> Result<(), EcrError> {
    let invalid = |reason: String| {
        Err(EcrError::InvalidParameter {
            message: format!(
                "Invalid parameter at 'repositoryName' failed to satisfy constraint: '{reason}'"
            ),
        })
    };
    let length = name.chars().count();
    if !(MIN_REPOSITORY_NAME_CHARS..=MAX_REPOSITORY_NAME_CHARS).contains(&length) {
        return invalid(format!(
            "a repository name is {MIN_REPOSITORY_NAME_CHARS} to {MAX_REPOSITORY_NAME_CHARS} characters; '{name}' has {length}"
        ));
    }
    match image_ref::check_repository_path(name) {
        Ok(()) => Ok(()),
        Err(reason) => invalid(reason.to_string()),
    }
}

fn check_ecr_tag(tag: &str) -> Result<(), EcrError> {
    let length = tag.chars().count();
    if (1..=MAX_ECR_TAG_CHARS).contains(&length) {
        return Ok(());
    }
    Err(EcrError::InvalidParameter {
        message: format!(
            "Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length between 1 and {MAX_ECR_TAG_CHARS}'"
        ),
    })
}

fn check_mutability(mutability: &TagMutability) -> Result<(), EcrError> {
    let filters = match mutability {
        TagMutability::ImmutableWithExclusion(filters)
        | TagMutability::MutableWithExclusion(filters) => filters,
        _ => return Ok(()),
    };
    let valid = |filter: &String| {
        (1..=128).contains(&filter.len())
            && filter
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'*' | b'-'))
    };
    if filters.is_empty() || !filters.iter().all(valid) {
        return Err(EcrError::InvalidParameter {
            message: format!(
                "{} needs one or more exclusion filters of letters, digits, '.', '_', '-' and '*' wildcards",
                mutability.as_str()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
