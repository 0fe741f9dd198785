//! The policies a role's call meets besides the role's own: the resources'
//! policies (ECR repository policies, S3 bucket policies, Secrets Manager
//! resource policies, KMS key policies), the customer managed key that
//! encrypts a secret, and the organization's service control policies.
//! [`Role::decide_in`](super::Role::decide_in) reads them to decide a call
//! by the whole evaluation logic ([`authorize`](super::authorize)).

use std::collections::BTreeMap;

use serde::Serialize;

use super::authorization::ResourcePolicyKind;
use super::policy::{Actions, Effect, PolicyDocument, PolicyPrincipal, Statement};

/// What decides a call beyond the calling role, for one simulated world
/// (which may hold resources of several accounts).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AccountPolicies {
    /// Resource-based policies by the ARN of the resource they are on: an
    /// ECR repository, an S3 bucket, a Secrets Manager secret, a KMS key.
    pub resource_policies: BTreeMap<String, PolicyDocument>,
    /// The customer managed KMS key (its ARN) that encrypts a secret, by
    /// the secret's ARN. A secret not listed uses the AWS managed key
    /// `aws/secretsmanager`, whose policy allows every caller of the
    /// secret's own account and no one of another.
    ///
    /// (S3 bucket ARNs carry no account: Dockyard takes every bucket to be
    /// the caller's account's, so a bucket of another account is not
    /// modelled in the world; the policy simulator takes an owner.)
    pub encryption_keys: BTreeMap<String, String>,
    /// The service control policies that apply to the callers' account,
    /// by name; `None` when the account is in no organization. (An account
    /// in an organization always has at least AWS's `FullAWSAccess`.)
    pub service_control_policies: Option<Vec<(String, PolicyDocument)>>,
}

/// The policy on a resource, as one request meets it.
#[derive(Clone, Copy, Debug)]
pub struct ResourcePolicy<'a> {
    /// What a learner calls it: "repository policy of shared/base".
    pub kind: ResourcePolicyKind,
    pub resource_arn: &'a str,
    pub document: &'a PolicyDocument,
}

impl AccountPolicies {
    /// The resource-based policy that takes part in a request on
    /// `resource`: the resource's own, or for an S3 object its bucket's.
    pub fn resource_policy_for<'a>(&'a self, resource: &'a str) -> Option<ResourcePolicy<'a>> {
        let (arn, document) = self.resource_policies.get_key_value(resource).or_else(|| {
            let bucket = s3_bucket_arn(resource)?;
            self.resource_policies.get_key_value(bucket)
        })?;
        Some(ResourcePolicy {
            kind: if arn.starts_with("arn:aws:kms:") {
                ResourcePolicyKind::KmsKey
            } else {
                ResourcePolicyKind::Ordinary
            },
            resource_arn: arn,
            document,
        })
    }

    /// The KMS key policy of `key_arn`: the one set on it, else the default
    /// key policy AWS gives a key created without one, which names only the
    /// key's account and so hands the decision to its IAM policies.
    pub fn key_policy(&self, key_arn: &str) -> PolicyDocument {
        if let Some(set) = self.resource_policies.get(key_arn) {
            return set.clone();
        }
        let account = account_of(key_arn).unwrap_or_default();
        match key_arn.strip_suffix(AWS_MANAGED_SECRETS_KEY) {
            Some(head) => {
                let region = head.split(':').nth(3).unwrap_or_default();
                secrets_manager_key_policy(account, region)
            }
            None => default_key_policy(account),
        }
    }
}

/// The bucket ARN of an S3 object ARN (`arn:aws:s3:::bucket/key`).
fn s3_bucket_arn(resource: &str) -> Option<&str> {
    let rest = resource.strip_prefix("arn:aws:s3:::")?;
    let slash = rest.find('/')?;
    Some(&resource[.."arn:aws:s3:::".len() + slash])
}

/// The account field of an ARN, when it has one (S3 ARNs have none).
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|account| !account.is_empty())
}

/// What a learner calls the policy on `resource_arn`.
pub fn resource_policy_name(resource_arn: &str) -> String {
    let mut parts = resource_arn.splitn(6, ':');
    let service = parts.nth(2).unwrap_or_default();
    let tail = resource_arn.splitn(6, ':').nth(5).unwrap_or(resource_arn);
    match service {
        "ecr" => format!(
            "repository policy of {}",
            tail.strip_prefix("repository/").unwrap_or(tail)
        ),
        "s3" => format!("bucket policy of {tail}"),
        "kms" => format!("key policy of {tail}"),
        "secretsmanager" => format!(
            "resource policy of secret {}",
            tail.strip_prefix("secret:").unwrap_or(tail)
        ),
        _ => format!("resource policy of {resource_arn}"),
    }
}

/// The alias of the AWS managed key Secrets Manager encrypts a secret with
/// when no customer managed key is named.
const AWS_MANAGED_SECRETS_KEY: &str = ":alias/aws/secretsmanager";

/// The ARN (by alias) of `owner`'s AWS managed Secrets Manager key.
pub fn aws_managed_key(region: &str, owner: &str) -> String {
    format!("arn:aws:kms:{region}:{owner}{AWS_MANAGED_SECRETS_KEY}")
}

/// The policy of an AWS managed key for Secrets Manager, as AWS writes
/// those keys' policies: any principal of the owning account, through
/// Secrets Manager in the key's Region; the account's root may read the
/// key's metadata. No one of another account may use it.
fn secrets_manager_key_policy(account: &str, region: &str) -> PolicyDocument {
    PolicyDocument::parse(&format!(
        r#"{{"Version": "2012-10-17", "Id": "auto-secretsmanager-2", "Statement": [
            {{"Sid": "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
              "Effect": "Allow", "Principal": {{"AWS": "*"}},
              "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey"],
              "Resource": "*",
              "Condition": {{"StringEquals": {{"kms:CallerAccount": "{account}",
                  "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}}}}}},
            {{"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
              "Principal": {{"AWS": "arn:aws:iam::{account}:root"}},
              "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}}]}}"#
    ))
    .expect("a valid key policy")
}

/// The key policy AWS attaches to a key created without one ("Default key
/// policy", AWS KMS Developer Guide): the account's root may use it, which
/// lets the account's IAM policies grant access to the key.
pub fn default_key_policy(account: &str) -> PolicyDocument {
    let mut named = BTreeMap::new();
    named.insert(
        "AWS".to_string(),
        vec![format!("arn:aws:iam::{account}:root")],
    );
    let mut document = PolicyDocument::new(vec![Statement {
        sid: Some("Enable IAM User Permissions".into()),
        effect: Effect::Allow,
        principal: Some(PolicyPrincipal::Named(named)),
        actions: Actions::Action(vec!["kms:*".into()]),
        resources: Some(super::policy::Resources::Resource(vec!["*".into()])),
        condition: None,
    }]);
    document.id = Some("key-default-1".into());
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_object_meets_its_buckets_policy() {
        let mut policies = AccountPolicies::default();
        policies.resource_policies.insert(
            "arn:aws:s3:::reports".into(),
            PolicyDocument::new(Vec::new()),
        );
        let found = policies
            .resource_policy_for("arn:aws:s3:::reports/2026/a.csv")
            .expect("the bucket's policy");
        assert_eq!(found.resource_arn, "arn:aws:s3:::reports");
        assert!(policies
            .resource_policy_for("arn:aws:s3:::reportsx/a.csv")
            .is_none());
    }

    #[test]
    fn policies_are_named_the_way_the_consoles_name_them() {
        assert_eq!(
            resource_policy_name("arn:aws:ecr:us-east-1:444455556666:repository/shared/base"),
            "repository policy of shared/base"
        );
        assert_eq!(
            resource_policy_name("arn:aws:kms:us-east-1:111122223333:key/1234"),
            "key policy of key/1234"
        );
        assert_eq!(
            resource_policy_name("arn:aws:s3:::reports"),
            "bucket policy of reports"
        );
    }
}
