//! The IAM administration of the world beyond creating roles: trust policy
//! updates, customer managed policies and permissions boundaries, resource
//! policies (on this account's resources or another account's), secrets
//! encrypted with customer managed keys, and service control policies.
//! Every call a task makes is decided against all of them
//! (`iam::Role::decide_in`).

use super::*;

/// An IAM or Organizations command in words, for the event that records
/// it (so that the log, and a lesson judged on change, see it); `None` for
/// the other commands.
pub(super) fn change_in_words(command: &Command) -> Option<String> {
    Some(match command {
        Command::CreateRole {
            name,
            trusted_service,
            ..
        } => format!("role {name} created, trusting {trusted_service}."),
        Command::PutRolePolicy { role, name, .. } => {
            format!("inline policy {name} put on role {role}.")
        }
        Command::AttachRolePolicy { role, policy } => {
            format!("managed policy {policy} attached to role {role}.")
        }
        Command::UpdateAssumeRolePolicy { role, .. } => {
            format!("the trust policy of role {role} replaced; ECS, EC2 and EKS are decided by it from now on.")
        }
        Command::CreatePolicy { name, .. } => format!("customer managed policy {name} created."),
        Command::PutRolePermissionsBoundary {
            role,
            policy: Some(policy),
        } => format!("permissions boundary {policy} set on role {role}: it now caps what the role's policies grant."),
        Command::PutRolePermissionsBoundary { role, policy: None } => {
            format!("the permissions boundary of role {role} removed.")
        }
        Command::PutResourcePolicy {
            resource,
            policy: Some(_),
        } => format!("{} set.", iam::resource_policy_name(resource)),
        Command::PutResourcePolicy {
            resource,
            policy: None,
        } => format!("{} deleted.", iam::resource_policy_name(resource)),
        Command::EncryptSecret { secret, key } => {
            format!("secret {secret} encrypted with the customer managed key {key}: reading it needs kms:Decrypt on the key.")
        }
        Command::CreateServiceControlPolicy { name, .. } => {
            format!("service control policy {name} created in the organization (not attached yet).")
        }
        Command::AttachServiceControlPolicy { name } => {
            format!("service control policy {name} attached to the account: every call from it is capped by the SCPs.")
        }
        Command::DetachServiceControlPolicy { name } => {
            format!("service control policy {name} detached from the account.")
        }
        _ => return None,
    })
}

/// A policy document as IAM reads it, or the refusal naming the field.
fn document(what: &str, value: &serde_json::Value) -> Result<iam::PolicyDocument, Rejection> {
    iam::PolicyDocument::from_value(value)
        .map_err(|error| Rejection::new("policy", format!("{what}: {error}")))
}

impl World {
    /// `UpdateAssumeRolePolicy`.
    pub(super) fn update_assume_role_policy(
        &mut self,
        role: &str,
        trust: serde_json::Value,
    ) -> Result<(), Rejection> {
        let trust = document("trust policy", &trust)?;
        if trust.statements.iter().any(|s| s.principal.is_none()) {
            return Err(Rejection::new(
                "policy",
                "trust policy: MalformedPolicyDocument: Has prohibited field Resource, or lacks a Principal: every statement of a trust policy names the Principal that may assume the role",
            ));
        }
        self.role_named(role)?.trust_policy = trust;
        Ok(())
    }

    /// `CreatePolicy`: a customer managed policy in this account.
    pub(super) fn create_policy(
        &mut self,
        name: String,
        value: serde_json::Value,
    ) -> Result<(), Rejection> {
        let policy = document(&name, &value)?;
        let arn = format!("arn:aws:iam::{}:policy/{name}", self.account.aws.account_id);
        if self.account.managed_policies.contains_key(&arn) {
            return Err(Rejection::new(
                "policy-exists",
                format!("A policy called {name} already exists. Duplicate names are not allowed."),
            ));
        }
        self.account.managed_policies.insert(arn, (name, policy));
        Ok(())
    }

    /// A managed policy by ARN: the account's own, or AWS's.
    pub(super) fn managed_policy_document(
        &self,
        arn: &str,
    ) -> Result<(String, iam::PolicyDocument), Rejection> {
        if let Some((name, policy)) = self.account.managed_policies.get(arn) {
            return Ok((name.clone(), policy.clone()));
        }
        let name = arn
            .strip_prefix("arn:aws:iam::aws:policy/")
            .and_then(|rest| {
                let name = rest.rsplit('/').next().unwrap_or(rest);
                iam::managed_policy(name).map(|policy| (name.to_string(), policy))
            });
        name.ok_or_else(|| {
            Rejection::new(
                "no-policy",
                format!("Policy {arn} does not exist or is not attachable."),
            )
        })
    }

    /// `PutRolePermissionsBoundary` (`Some`) or
    /// `DeleteRolePermissionsBoundary` (`None`).
    pub(super) fn put_role_permissions_boundary(
        &mut self,
        role: &str,
        policy: Option<&str>,
    ) -> Result<(), Rejection> {
        let boundary = match policy {
            Some(arn) => Some((arn.to_string(), self.managed_policy_document(arn)?.1)),
            None => None,
        };
        self.role_named(role)?.permissions_boundary = boundary;
        Ok(())
    }

    /// A resource-based policy on `resource` (an ECR repository, S3
    /// bucket, secret or KMS key ARN), or its removal.
    pub(super) fn put_resource_policy(
        &mut self,
        resource: String,
        policy: Option<serde_json::Value>,
    ) -> Result<(), Rejection> {
        let service = resource.split(':').nth(2).unwrap_or_default();
        let fits = resource.starts_with("arn:aws:")
            && match service {
                "ecr" => resource.contains(":repository/"),
                "s3" => !resource.trim_start_matches("arn:aws:s3:::").contains('/'),
                "secretsmanager" => resource.contains(":secret:"),
                "kms" => resource.contains(":key/"),
                _ => false,
            };
        if !fits {
            return Err(Rejection::new(
                "resource-policy",
                format!("{resource}: a resource policy goes on an ECR repository, S3 bucket, Secrets Manager secret or KMS key ARN"),
            ));
        }
        let Some(value) = policy else {
            self.account.around.resource_policies.remove(&resource);
            return Ok(());
        };
        let policy = document(&iam::resource_policy_name(&resource), &value)?;
        if let Some(index) = policy.statements.iter().position(|s| s.principal.is_none()) {
            return Err(Rejection::new(
                "resource-policy",
                format!("Statement[{index}].Principal: a resource-based policy names the principals it applies to in every statement"),
            ));
        }
        self.account
            .around
            .resource_policies
            .insert(resource, policy);
        Ok(())
    }

    /// A secret encrypted with a customer managed key.
    pub(super) fn encrypt_secret(&mut self, secret: String, key: String) -> Result<(), Rejection> {
        if !secret.contains(":secretsmanager:") || !key.starts_with("arn:aws:kms:") {
            return Err(Rejection::new(
                "resource-policy",
                format!(
                    "{secret} with {key}: expected a Secrets Manager secret ARN and a KMS key ARN"
                ),
            ));
        }
        self.account.around.encryption_keys.insert(secret, key);
        Ok(())
    }

    /// Organizations' CreatePolicy of an SCP. The first one creates the
    /// organization, whose root, OUs and accounts have AWS's
    /// `FullAWSAccess` attached.
    pub(super) fn create_service_control_policy(
        &mut self,
        name: String,
        value: serde_json::Value,
    ) -> Result<(), Rejection> {
        let policy = document(&name, &value)?;
        if name == FULL_AWS_ACCESS || self.account.organization_policies.contains_key(&name) {
            return Err(Rejection::new(
                "policy-exists",
                format!(
                    "DuplicatePolicyException: A policy with the same name already exists: {name}"
                ),
            ));
        }
        self.join_organization();
        self.account.organization_policies.insert(name, policy);
        Ok(())
    }

    /// Puts the account in an organization, with `FullAWSAccess` attached.
    fn join_organization(&mut self) {
        if self.account.around.service_control_policies.is_none() {
            self.account
                .organization_policies
                .insert(FULL_AWS_ACCESS.to_string(), full_aws_access());
            self.account.around.service_control_policies =
                Some(vec![(FULL_AWS_ACCESS.to_string(), full_aws_access())]);
        }
    }

    /// Organizations' AttachPolicy (`attach`) or DetachPolicy of an SCP,
    /// by name, on the account.
    pub(super) fn attach_service_control_policy(
        &mut self,
        name: &str,
        attach: bool,
    ) -> Result<(), Rejection> {
        self.join_organization();
        let policy = self
            .account
            .organization_policies
            .get(name)
            .cloned()
            .ok_or_else(|| {
                Rejection::new(
                    "no-policy",
                    format!("PolicyNotFoundException: We can't find a policy with the PolicyId that you specified ({name})."),
                )
            })?;
        let attached = self
            .account
            .around
            .service_control_policies
            .get_or_insert_with(Vec::new);
        if !attach && attached.len() == 1 && attached[0].0 == name {
            // Organizations keeps at least one SCP on every root, OU and
            // account while SCPs are enabled.
            return Err(Rejection::new(
                "no-policy",
                "ConstraintViolationException: You attempted to detach a policy from an entity, and that policy is the last of its type attached to that entity (MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED).",
            ));
        }
        attached.retain(|(existing, _)| existing != name);
        if attach {
            attached.push((name.to_string(), policy));
        }
        Ok(())
    }
}

/// The SCP every organization starts with, attached everywhere.
const FULL_AWS_ACCESS: &str = "FullAWSAccess";

/// The SCP AWS attaches to every root, OU and account of an organization.
fn full_aws_access() -> iam::PolicyDocument {
    let mut policy = iam::PolicyDocument::new(vec![iam::Statement::allow(&["*"], &["*"])]);
    policy.version = Some(iam::POLICY_VERSION.to_string());
    policy
}
