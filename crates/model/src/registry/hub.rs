//! Docker Hub repositories a learner pushes to from the registries page,
//! beside ECR's, so that the differences show: Docker Hub names a
//! repository NAMESPACE/NAME and lets you push only to your own namespace
//! (a bare `web` means `docker.io/library/web`, Docker's official images);
//! it creates a repository on the first push, public unless the account's
//! default says otherwise, where ECR refuses a push to a missing repository
//! unless a repository creation template applied for CREATE_ON_PUSH matches
//! its name (the desk's ECR has none); and its tags are mutable unless a
//! repository turns on the immutable-tags setting (a beta, not modelled
//! here).
//!
//! Sources: Docker's "Create a repository" and "Immutable tags" pages
//! (docs.docker.com/docker-hub/repos/), docker/cli#4977 on repositories
//! that a push creates as public, and ECR's "Private repository creation
//! templates" (appliedFor CREATE_ON_PUSH, PULL_THROUGH_CACHE, REPLICATION).

use std::collections::BTreeMap;

use super::digest::digest_of;
use super::image_ref::{ImageRef, DOCKER_HUB};
use super::{Repository, RepositorySettings};

/// The Docker ID the learner is signed in as on the registries page.
pub const DOCKER_ID: &str = "learner";

/// What a push did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubPush {
    /// `learner/web`, as Docker Hub names it.
    pub repository: String,
    pub tag: String,
    pub digest: String,
    /// Docker Hub created the repository on this push.
    pub created: bool,
    /// The content was new to the repository.
    pub new_image: bool,
    /// The image the tag named before, when the push moved it.
    pub tag_moved_from: Option<String>,
}

/// The learner's repositories on Docker Hub. Images and tags are kept as
/// an ECR repository keeps them (images by digest, tags pointing at
/// digests); only the rules of the push differ. Repositories are mutable
/// and never scanned on push.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerHub {
    repositories: BTreeMap<String, Repository>,
    pushes: u64,
}

impl DockerHub {
    pub fn repositories(&self) -> impl Iterator<Item = &Repository> {
        self.repositories.values()
    }

    pub fn repository(&self, name: &str) -> Option<&Repository> {
        self.repositories.get(name)
    }

    /// `docker push docker.io/REPOSITORY:TAG` of `content` (its SHA-256
    /// stands in for the manifest, as on ECR, so the same content is the
    /// same digest in both registries). The error says why Docker Hub, or
    /// the Docker client before it, refuses.
    pub fn push(
        &mut self,
        repository: &str,
        tag: &str,
        content: &str,
        at_seconds: u64,
    ) -> Result<HubPush, String> {
        let written = repository.trim();
        let image = ImageRef::parse(&format!("{written}:{tag}"))
            .map_err(|error| format!("invalid reference format: {error}"))?;
        if image.registry() != DOCKER_HUB {
            return Err(format!(
                "repository: {written} names the registry {}; this form pushes to Docker Hub, so write NAMESPACE/NAME, such as {DOCKER_ID}/web",
                image.registry()
            ));
        }
        let path = image.repository();
        let (namespace, name) = path.split_once('/').unwrap_or(("library", path));
        if name.contains('/') {
            return Err(format!(
                "repository: Docker Hub repositories are NAMESPACE/NAME, one level deep; {path} has more levels (ECR allows them: shop/web/api)"
            ));
        }
        if namespace == "library" {
            return Err(format!(
                "denied: requested access to the resource is denied. {written} means docker.io/library/{name}, where only Docker's official images live; push to your own namespace: {DOCKER_ID}/{name}"
            ));
        }
        if namespace != DOCKER_ID {
            return Err(format!(
                "denied: requested access to the resource is denied. You are signed in as {DOCKER_ID}, so you can push to {DOCKER_ID}/{name} (or to an organization you belong to), not to {namespace}/{name}"
            ));
        }
        let digest = digest_of(content.as_bytes());
        let created = !self.repositories.contains_key(path);
        let (new_image, tag_moved_from, _) = self
            .repositories
            .entry(path.to_string())
            .or_insert_with(|| Repository::new(path, RepositorySettings::default(), at_seconds))
            .store(tag, &digest, at_seconds, self.pushes);
        self.pushes += 1;
        Ok(HubPush {
            repository: path.to_string(),
            tag: tag.to_string(),
            tag_moved_from,
            digest,
            created,
            new_image,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_push_creates_the_repository_and_a_later_one_moves_the_tag() {
        let mut hub = DockerHub::default();
        let first = hub.push("learner/web", "v1", "build 1", 0).unwrap();
        assert!(first.created && first.new_image);
        assert_eq!(first.digest, digest_of(b"build 1"));
        let again = hub.push("learner/web", "v1", "build 2", 3600).unwrap();
        assert!(!again.created && again.new_image);
        assert_eq!(again.tag_moved_from.as_deref(), Some(first.digest.as_str()));
        let repo = hub.repository("learner/web").unwrap();
        assert_eq!(repo.resolve("v1"), Some(again.digest.as_str()));
        assert!(repo.tags_of(&first.digest).is_empty());
        assert_eq!(repo.images().count(), 2);
        // The same content again is the same image: nothing moves.
        let same = hub.push("learner/web", "v1", "build 2", 7200).unwrap();
        assert!(!same.new_image && same.tag_moved_from.is_none());
        // docker.io/ and index.docker.io/ name the same registry.
        let spelled = hub
            .push("docker.io/learner/web", "v2", "build 2", 7200)
            .unwrap();
        assert_eq!(spelled.repository, "learner/web");
    }

    #[test]
    fn pushes_outside_your_namespace_are_denied_with_the_reason() {
        let mut hub = DockerHub::default();
        for (repository, expected) in [
            ("web", "denied: requested access to the resource is denied. web means docker.io/library/web"),
            ("library/web", "denied: requested access to the resource is denied. library/web means docker.io/library/web"),
            ("someone/web", "denied: requested access to the resource is denied. You are signed in as learner, so you can push to learner/web"),
            ("learner/team/web", "repository: Docker Hub repositories are NAMESPACE/NAME, one level deep"),
            ("111122223333.dkr.ecr.us-east-1.amazonaws.com/web", "repository: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web names the registry 111122223333.dkr.ecr.us-east-1.amazonaws.com"),
            ("Learner/Web", "invalid reference format: repository"),
        ] {
            let error = hub.push(repository, "v1", "x", 0).unwrap_err();
            assert!(error.starts_with(expected), "{repository}: {error}");
        }
        let error = hub.push("learner/web", "not a tag", "x", 0).unwrap_err();
        assert!(
            error.starts_with("invalid reference format: tag"),
            "{error}"
        );
        assert_eq!(hub.repositories().count(), 0, "nothing was created");
    }
}
