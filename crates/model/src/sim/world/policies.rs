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
        Command::JoinOrganization { management_account } => {
            format!("the account is a member of the organization run by {management_account}, with FullAWSAccess attached: SCPs now cap every call from it.")
        }
        Command::CreateServiceControlPolicy { name, .. } => {
            format!("service control policy {name} created in the organization (not attached yet).")
        }
        Command::AttachServiceControlPolicy { name } => {
            format!("service control policy {name} attached to the account: every call from it is capped by it.")
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
        // IAM's own two refusals of a trust policy's shape.
        if trust.statements.iter().any(|s| s.resources.is_some()) {
            return Err(Rejection::new(
                "policy",
                "trust policy: MalformedPolicyDocument: Has prohibited field Resource (a trust policy's resource is the role itself)",
            ));
        }
        if trust.statements.iter().any(|s| s.principal.is_none()) {
            return Err(Rejection::new(
                "policy",
                "trust policy: MalformedPolicyDocument: Missing required field Principal (every statement names who may assume the role)",
            ));
        }
        if let Some(error) = iam::trust_policy_error(iam::policy_chars(&trust)) {
            return Err(Rejection::new("policy-size", error));
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
        if let Some(error) = iam::managed_policy_error(iam::policy_chars(&policy)) {
            return Err(Rejection::new("policy-size", error));
        }
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

    /// The account joins an organization run from another account.
    pub(super) fn join_organization(
        &mut self,
        management_account: String,
    ) -> Result<(), Rejection> {
        if self.account.organization.is_some() {
            return Err(Rejection::new(
                "in-organization",
                "This account is already a member of an organization.",
            ));
        }
        if management_account == self.account.aws.account_id
            || !(management_account.len() == 12
                && management_account.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(Rejection::new(
                "in-organization",
                format!("{management_account}: the management account is another account's 12-digit ID (SCPs never apply to the management account, so Dockyard's account is always a member)"),
            ));
        }
        let mut policies = BTreeMap::new();
        policies.insert(
            FULL_AWS_ACCESS.to_string(),
            (
                "Allows access to every operation".to_string(),
                full_aws_access(),
            ),
        );
        self.account.organization = Some(Organization {
            management_account,
            policies,
        });
        self.account.around.service_control_policies =
            Some(vec![(FULL_AWS_ACCESS.to_string(), full_aws_access())]);
        Ok(())
    }

    fn organization_mut(&mut self) -> Result<&mut Organization, Rejection> {
        self.account.organization.as_mut().ok_or_else(|| {
            Rejection::new(
                "no-organization",
                "Your account is not a member of an organization.",
            )
        })
    }

    /// Organizations' CreatePolicy of an SCP.
    pub(super) fn create_service_control_policy(
        &mut self,
        name: String,
        description: String,
        value: serde_json::Value,
    ) -> Result<(), Rejection> {
        let policy = document(&name, &value)?;
        let organization = self.organization_mut()?;
        if organization.policies.contains_key(&name) {
            return Err(Rejection::new(
                "policy-exists",
                format!("A policy with the same name already exists: {name}."),
            ));
        }
        organization.policies.insert(name, (description, policy));
        Ok(())
    }

    /// Organizations' AttachPolicy (`attach`) or DetachPolicy of an SCP,
    /// by name, on the account. Nothing changes when it is refused.
    pub(super) fn attach_service_control_policy(
        &mut self,
        name: &str,
        attach: bool,
    ) -> Result<(), Rejection> {
        let policy = self
            .organization_mut()?
            .policies
            .get(name)
            .map(|(_, policy)| policy.clone())
            .ok_or_else(|| {
                Rejection::new(
                    "no-policy",
                    format!(
                        "We can't find a policy with the PolicyId that you specified ({name})."
                    ),
                )
            })?;
        let attached = self
            .account
            .around
            .service_control_policies
            .get_or_insert_with(Vec::new);
        let is_attached = attached.iter().any(|(existing, _)| existing == name);
        match (attach, is_attached) {
            (true, true) => Err(Rejection::new(
                "policy-attached",
                "The selected policy is already attached to the specified target.",
            )),
            (true, false) => {
                attached.push((name.to_string(), policy));
                Ok(())
            }
            (false, false) => Err(Rejection::new(
                "policy-not-attached",
                "The policy isn't attached to the specified target in the specified root.",
            )),
            (false, true) if attached.len() == 1 => Err(Rejection::new(
                "last-policy",
                "You attempted to detach a policy from an entity, and that policy is the last of its type attached to that entity (MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED).",
            )),
            (false, true) => {
                attached.retain(|(existing, _)| existing != name);
                Ok(())
            }
        }
    }
}

/// An organization as the member account sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Organization {
    /// The account that runs it; SCPs never apply to it.
    pub management_account: String,
    /// Its service control policies by name, attached to the account or
    /// not, each with its description (AWS's `FullAWSAccess` among them).
    pub policies: BTreeMap<String, (String, iam::PolicyDocument)>,
}

/// The SCP every organization starts with, attached everywhere.
const FULL_AWS_ACCESS: &str = "FullAWSAccess";

/// The SCP AWS attaches to every root, OU and account of an organization.
fn full_aws_access() -> iam::PolicyDocument {
    let mut policy = iam::PolicyDocument::new(vec![iam::Statement::allow(&["*"], &["*"])]);
    policy.version = Some(iam::POLICY_VERSION.to_string());
    policy
}
