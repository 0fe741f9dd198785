//! The AWS managed policies a container course needs, with where each
//! text came from and when Dockyard last checked it.
//!
//! Each policy document is a data file, `managed/<name>.json`, holding the
//! JSON as AWS publishes it, so that comparing it with AWS's managed policy
//! reference is a diff rather than a read through Rust string literals.
//! Its provenance (ARN, AWS's version, the date checked) stays here.

use serde::Serialize;

use super::policy::PolicyDocument;

/// When Dockyard last compared the managed policies below with AWS's
/// managed policy reference. AWS adds permissions to these policies over
/// time, so the UI shows this date.
pub const MANAGED_POLICIES_AS_OF: &str = "2026-11-27";

/// An AWS managed policy as data: its text, where it came from, and how
/// sure Dockyard is of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ManagedPolicy {
    pub name: &'static str,
    pub arn: &'static str,
    /// Which role it belongs on, in the course's words.
    pub purpose: &'static str,
    /// AWS's version id of the text below, where Dockyard saw it.
    pub aws_version: Option<&'static str>,
    /// AWS's "edited time" for that version, where Dockyard saw it.
    pub edited: Option<&'static str>,
    /// When Dockyard checked this text.
    pub as_of: &'static str,
    /// What Dockyard could not confirm, shown beside the policy.
    pub uncertainty: Option<&'static str>,
    pub document_json: &'static str,
}

impl ManagedPolicy {
    pub fn document(&self) -> PolicyDocument {
        PolicyDocument::parse(self.document_json)
            .expect("every managed policy's JSON parses; a unit test checks it")
    }
}

/// The text of `managed/<name>.json`. The files end without a newline so
/// that `document_json` is the policy text with nothing added to it.
macro_rules! aws_json {
    ($name:literal) => {
        include_str!(concat!("managed/", $name, ".json"))
    };
}

/// The names of [`MANAGED_POLICIES`], in the same order.
pub const MANAGED_POLICY_NAMES: [&str; 7] = [
    "AmazonECSTaskExecutionRolePolicy",
    "AmazonEC2ContainerServiceforEC2Role",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEKSFargatePodExecutionRolePolicy",
    "AmazonEKS_CNI_Policy",
];

/// The AWS managed policies a container course needs (rules §4.1), copied
/// from AWS's managed policy reference and the ECS developer guide.
pub const MANAGED_POLICIES: [ManagedPolicy; 7] = [
    ManagedPolicy {
        name: "AmazonECSTaskExecutionRolePolicy",
        arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        purpose: "Task execution role: pull from ECR and write awslogs for the ECS agent.",
        aws_version: None,
        edited: None,
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: Some("The actions match the ECS developer guide and the AWS Batch guide; Dockyard did not see AWS's version id or edit date for this policy."),
        document_json: aws_json!("AmazonECSTaskExecutionRolePolicy"),
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerServiceforEC2Role",
        arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        purpose: "ECS container instance role: register with the cluster, poll for work, pull from ECR and ship logs when a task has no execution role.",
        aws_version: Some("v10"),
        edited: Some("2026-02-12"),
        // v10 added ecs:ListTagsForResource on tasks and container
        // instances (AWS managed policy reference, seen 2026-12-05).
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: aws_json!("AmazonEC2ContainerServiceforEC2Role"),
    },
    ManagedPolicy {
        name: "AmazonEKSWorkerNodePolicy",
        arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        purpose: "EKS node role: let the kubelet describe EC2 and the cluster, and serve EKS Pod Identity.",
        aws_version: Some("v3"),
        edited: Some("2023-11-27"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: aws_json!("AmazonEKSWorkerNodePolicy"),
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerRegistryReadOnly",
        arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        purpose: "Read every ECR repository: pull images and read repository metadata. EKS node roles used it before PullOnly existed.",
        aws_version: Some("v3"),
        edited: Some("2019-12-10"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: aws_json!("AmazonEC2ContainerRegistryReadOnly"),
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerRegistryPullOnly",
        arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        purpose: "EKS node role: pull images from ECR and nothing more.",
        aws_version: Some("v1"),
        edited: Some("2024-10-04"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: Some("Dockyard saw the first three actions (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) in AWS's reference; the text it saw was cut off at the fourth, which Dockyard takes to be ecr:BatchImportUpstreamImage (pull through cache) without having confirmed it. It does not include ecr:BatchCheckLayerAvailability, which only pushes need."),
        document_json: aws_json!("AmazonEC2ContainerRegistryPullOnly"),
    },
    ManagedPolicy {
        name: "AmazonEKSFargatePodExecutionRolePolicy",
        arn: "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy",
        purpose: "EKS Fargate pod execution role: pull the pod's images from ECR.",
        aws_version: Some("v1"),
        edited: Some("2019-11-22"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: aws_json!("AmazonEKSFargatePodExecutionRolePolicy"),
    },
    ManagedPolicy {
        name: "AmazonEKS_CNI_Policy",
        arn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        purpose: "The VPC CNI plugin: attach network interfaces and assign pod IP addresses. Better on an IRSA or Pod Identity role for the aws-node service account than on the node role.",
        aws_version: Some("v5"),
        edited: Some("2024-03-04"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: aws_json!("AmazonEKS_CNI_Policy"),
    },
];

/// The document of the AWS managed policy called `name`, if Dockyard has it.
pub fn managed_policy(name: &str) -> Option<PolicyDocument> {
    managed_policy_info(name).map(ManagedPolicy::document)
}

/// The AWS managed policy called `name` with its provenance.
pub fn managed_policy_info(name: &str) -> Option<&'static ManagedPolicy> {
    MANAGED_POLICIES.iter().find(|policy| policy.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// Every data file is a listed policy and every listed policy is read
    /// from the file with its name, so a file added, renamed or left out
    /// fails here rather than going unnoticed.
    #[test]
    fn the_data_files_are_exactly_the_listed_policies_and_each_parses() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/iam/managed");
        let files: BTreeSet<String> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .map(|path| {
                assert_eq!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("json"),
                    "{} is not a policy file",
                    path.display()
                );
                let stem = path.file_stem().and_then(|s| s.to_str());
                stem.expect("a UTF-8 file name").to_string()
            })
            .collect();
        let names: BTreeSet<String> = MANAGED_POLICY_NAMES.iter().map(|n| n.to_string()).collect();
        assert_eq!(files, names);
        for policy in &MANAGED_POLICIES {
            let on_disk = std::fs::read_to_string(folder.join(format!("{}.json", policy.name)))
                .expect("the policy's file");
            assert_eq!(
                policy.document_json, on_disk,
                "{} is read from its own file",
                policy.name
            );
            let document =
                PolicyDocument::parse(&on_disk).unwrap_or_else(|e| panic!("{}: {e}", policy.name));
            assert!(!document.statements.is_empty(), "{}", policy.name);
        }
    }
}
