//! What a principal needs before it can pull an image (rules §4, §8,
//! §10 points 1, 2 and 18). This states the requirement only; whether a given
//! role meets it is for the IAM evaluator.

use serde::Serialize;

use super::docker_hub;
use super::image_ref::{ImageRef, RegistryKind};

/// The permissions a pull needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PullRequirements {
    pub needs_aws_credentials: bool,
    /// IAM actions and the resource each is allowed on.
    pub actions: Vec<(&'static str, String)>,
    /// What else matters for this registry, in a sentence.
    pub note: String,
}

/// What it takes to pull `image`.
///
/// Private ECR needs a principal (the task execution role on Fargate, the
/// execution role or else the instance profile on EC2) allowed to get an
/// authorization token, which IAM only grants on `*`, and to read the
/// repository's manifests and layers.
pub fn pull_requirements(image: &ImageRef) -> PullRequirements {
    match image.kind() {
        RegistryKind::Ecr(ecr) => {
            let repository_arn = ecr.repository_arn(image.repository());
            PullRequirements {
                needs_aws_credentials: true,
                actions: vec![
                    ("ecr:GetAuthorizationToken", "*".to_string()),
                    ("ecr:BatchGetImage", repository_arn.clone()),
                    ("ecr:GetDownloadUrlForLayer", repository_arn),
                ],
                note: "The ECR authorization token lasts 12 hours; the execution role (or, on EC2 without one, the instance profile) fetches it.".to_string(),
            }
        }
        RegistryKind::DockerHub => PullRequirements {
            needs_aws_credentials: false,
            actions: Vec::new(),
            note: format!(
                "Public Docker Hub images need no credentials, but anonymous pulls are limited to {} per {} per IPv4 address or IPv6 /64 subnet (as of {}), and tasks behind one NAT gateway share it. A free Docker account allows {} per {}, counted per account. A private image needs repositoryCredentials: a Secrets Manager secret the execution role can read.",
                docker_hub::ANONYMOUS_PULLS_PER_WINDOW,
                docker_hub::WINDOW_WORDS,
                docker_hub::DOCKER_HUB_LIMITS_AS_OF,
                docker_hub::FREE_ACCOUNT_PULLS_PER_WINDOW,
                docker_hub::WINDOW_WORDS,
            ),
        },
        RegistryKind::EcrPublic => PullRequirements {
            needs_aws_credentials: false,
            actions: Vec::new(),
            note: "ECR Public images can be pulled anonymously.".to_string(),
        },
        RegistryKind::Quay | RegistryKind::GitHub | RegistryKind::Other => PullRequirements {
            needs_aws_credentials: false,
            actions: Vec::new(),
            note: "Public images need no credentials. A private image needs repositoryCredentials: a Secrets Manager secret the execution role can read.".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ecr_needs_a_token_on_star_and_image_reads_on_the_repository() {
        let image =
            ImageRef::parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:v3").unwrap();
        let needs = pull_requirements(&image);
        assert!(needs.needs_aws_credentials);
        let arn = "arn:aws:ecr:us-east-1:123456789012:repository/team/web".to_string();
        assert_eq!(
            needs.actions,
            vec![
                ("ecr:GetAuthorizationToken", "*".to_string()),
                ("ecr:BatchGetImage", arn.clone()),
                ("ecr:GetDownloadUrlForLayer", arn),
            ]
        );
    }

    #[test]
    fn docker_hub_and_other_public_images_need_no_aws_credentials() {
        for text in [
            "nginx",
            "amazon/amazon-ecs-agent:latest",
            "public.ecr.aws/nginx/nginx",
            "quay.io/org/app",
        ] {
            let needs = pull_requirements(&ImageRef::parse(text).unwrap());
            assert!(!needs.needs_aws_credentials, "{text}");
            assert!(needs.actions.is_empty(), "{text}");
        }
        let hub = pull_requirements(&ImageRef::parse("nginx").unwrap());
        assert!(
            hub.note
                .contains("anonymous pulls are limited to 100 per 6 hours"),
            "{}",
            hub.note
        );
        assert!(hub
            .note
            .contains("free Docker account allows 200 per 6 hours, counted per account"));
        assert!(!hub.note.contains("an hour"), "{}", hub.note);
    }
}
