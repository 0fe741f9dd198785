//! Roles and trust: a role's trust policy decides which service may assume
//! it, its permission policies decide what it may do, and each principal
//! of the call chain needs the trust of one service.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::account_policies::{account_of, resource_policy_name, AccountPolicies};
use super::authorization::{
    authorize, Authorization, Caller, Named, Policies, PolicyType, Request, ResourcePolicyKind,
};
use super::conditions::RequestContext;
use super::evaluate::{evaluate, Decision, DecisionEffect, StatementRef};
use super::managed::{managed_policy, MANAGED_POLICY_NAMES};
use super::policy::{Actions, Effect, PolicyDocument, PolicyPrincipal, Statement};
use super::principals::Principal;

/// The service principal of ECS tasks: both the task role and the task
/// execution role trust it (rules §10 point 4).
pub const ECS_TASKS_SERVICE: &str = "ecs-tasks.amazonaws.com";
/// The service principal of EC2: ECS container instance roles and EKS node
/// roles trust it.
pub const EC2_SERVICE: &str = "ec2.amazonaws.com";
/// The service principal of the EKS Fargate pod execution role.
pub const EKS_FARGATE_PODS_SERVICE: &str = "eks-fargate-pods.amazonaws.com";
/// The service principal of EKS Pod Identity, one of the two ways to give a
/// service account a role (IRSA, through an OIDC provider, is the other).
pub const EKS_POD_IDENTITY_SERVICE: &str = "pods.eks.amazonaws.com";

/// An IAM role: who may assume it (the trust policy) and what it may do
/// (its permission policies, inline or managed, by name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub trust_policy: PolicyDocument,
    pub policies: Vec<(String, PolicyDocument)>,
    /// The managed policy set as the role's permissions boundary (its ARN
    /// and document): the most the role's identity policies can grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<(String, PolicyDocument)>,
}

/// Asked for an AWS managed policy Dockyard does not carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownManagedPolicy(pub String);

impl fmt::Display for UnknownManagedPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Dockyard has no AWS managed policy named \"{}\"; it knows {}",
            self.0,
            MANAGED_POLICY_NAMES.join(", ")
        )
    }
}

impl std::error::Error for UnknownManagedPolicy {}

/// Why IAM refuses `name` as a role name, in its own words, or `None`:
/// 1 to 64 characters, each a letter, a digit or one of `_+=,.@-` (the
/// `roleNameType` of IAM's API model, whose `\w` is ASCII).
pub fn role_name_error(name: &str) -> Option<String> {
    let constraint = |rule: &str| {
        format!("1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must {rule}")
    };
    if name.is_empty() {
        return Some(constraint("have length greater than or equal to 1"));
    }
    if name.chars().count() > 64 {
        return Some(constraint("have length less than or equal to 64"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    (!name.chars().all(allowed))
        .then(|| constraint("satisfy regular expression pattern: [\\w+=,.@-]+"))
}

impl Role {
    /// A role in `account_id` that `trusted_service` may assume, with no
    /// permissions yet.
    pub fn new(account_id: &str, name: &str, trusted_service: &str) -> Self {
        Role {
            name: name.to_string(),
            arn: format!("arn:aws:iam::{account_id}:role/{name}"),
            trust_policy: trust_policy_for(trusted_service),
            policies: Vec::new(),
            permissions_boundary: None,
        }
    }

    pub fn with_policy(mut self, name: &str, document: PolicyDocument) -> Self {
        self.policies.push((name.to_string(), document));
        self
    }

    pub fn with_managed_policy(self, name: &str) -> Result<Self, UnknownManagedPolicy> {
        let document =
            managed_policy(name).ok_or_else(|| UnknownManagedPolicy(name.to_string()))?;
        Ok(self.with_policy(name, document))
    }

    /// Whether the trust policy lets `service` call `sts:AssumeRole` on this
    /// role. A role that does not trust the right service cannot be used at
    /// all: ECS, EC2 or EKS never obtains its credentials.
    pub fn trusts(&self, service: &str) -> bool {
        self.trust_allows("sts:AssumeRole", |principal| {
            principal.includes("Service", service)
        })
    }

    /// Whether the trust policy lets an OIDC identity provider (IRSA)
    /// assume this role through `sts:AssumeRoleWithWebIdentity`.
    pub fn trusts_web_identity(&self) -> bool {
        self.trust_allows(
            "sts:AssumeRoleWithWebIdentity",
            |principal| match principal {
                PolicyPrincipal::Anyone => true,
                PolicyPrincipal::Named(named) => named
                    .get("Federated")
                    .is_some_and(|ids| ids.iter().any(|id| id.contains(":oidc-provider/"))),
            },
        )
    }

    /// Whether this role can stand in as `principal`: its trust policy names
    /// the service that hands that principal's credentials out.
    pub fn can_act_as(&self, principal: Principal) -> bool {
        match principal {
            Principal::ServiceAccountRole => {
                self.trusts(EKS_POD_IDENTITY_SERVICE) || self.trusts_web_identity()
            }
            other => trusted_service_for(other).is_none_or(|service| self.trusts(service)),
        }
    }

    /// Whether `service` may assume this role for a request carrying
    /// `context` (the `aws:SourceAccount` and `aws:SourceArn` a service
    /// supplies): the trust policy, conditions included, decided by the
    /// whole evaluation logic (a trust policy must allow even in the same
    /// account).
    pub fn assumed_by(&self, service: &str, context: &RequestContext) -> Authorization {
        let account = self.arn.split(':').nth(4).unwrap_or_default();
        let request = Request {
            caller: Caller::service(service, account),
            action: "sts:AssumeRole".into(),
            resource: self.arn.clone(),
            resource_account: None,
            context: context.clone(),
        };
        authorize(
            &request,
            &Policies {
                resource: Some((
                    Named {
                        name: "trust policy",
                        document: &self.trust_policy,
                    },
                    ResourcePolicyKind::RoleTrust,
                )),
                ..Policies::default()
            },
        )
    }

    /// Why `service`, acting for `account` (and for the resource
    /// `source_arn`, when it says which), may not assume this role: the
    /// trust policy's answer with its condition outcomes. `None` when it
    /// may.
    pub fn assumption_refused(
        &self,
        service: &str,
        account: &str,
        source_arn: Option<&str>,
    ) -> Option<String> {
        let mut supplied = RequestContext::new().with("aws:SourceAccount", account);
        if let Some(source) = source_arn {
            supplied = supplied.with("aws:SourceArn", source);
        }
        let answer = self.assumed_by(service, &supplied);
        if answer.is_allowed() {
            return None;
        }
        let notes: Vec<&str> = answer
            .verdicts
            .iter()
            .flat_map(|v| v.notes.iter().map(String::as_str))
            .collect();
        Some(if notes.is_empty() {
            answer.explanation
        } else {
            format!("{} ({})", answer.explanation, notes.join(" "))
        })
    }

    /// Decides one request a session of this role makes, by the whole
    /// evaluation logic with `context` (conditions evaluated), with no
    /// resource policy, boundary of the account's or SCP around it (a KMS
    /// key still has its default key policy, as every key does).
    pub fn decide(&self, action: &str, resource: &str, context: &RequestContext) -> Decision {
        self.decide_in(action, resource, context, &AccountPolicies::default())
    }

    /// Decides one request a session of this role makes, by the whole
    /// evaluation logic: the role's identity policies and permissions
    /// boundary, the resource's policy (another account's resource needs
    /// it to allow too), a KMS key's policy, and the organization's SCPs,
    /// with `context` for the conditions. In the shape of [`evaluate`]'s
    /// answer: the deciding statement and a sentence that names every
    /// policy that took part.
    pub fn decide_in(
        &self,
        action: &str,
        resource: &str,
        context: &RequestContext,
        around: &AccountPolicies,
    ) -> Decision {
        let account = account_of(&self.arn).unwrap_or_default();
        let request = Request {
            caller: Caller {
                account: account.to_string(),
                role_arn: Some(self.arn.clone()),
                session_arn: None,
                service: None,
            },
            action: action.into(),
            resource: resource.into(),
            resource_account: account_of(resource).map(str::to_string),
            context: context.clone(),
        };
        let resource_policy = around.resource_policy_for(resource);
        let resource_name = resource_policy.map(|p| resource_policy_name(p.resource_arn));
        // A KMS key always has a key policy, which must allow.
        let default_key = (resource.starts_with("arn:aws:kms:") && resource_policy.is_none())
            .then(|| around.key_policy(resource));
        let key_name = default_key.as_ref().map(|_| {
            let which = if resource.ends_with(":alias/aws/secretsmanager") {
                "AWS managed"
            } else {
                "the default key policy"
            };
            format!("{} ({which})", resource_policy_name(resource))
        });
        let resource_part = match (resource_policy, &resource_name, &default_key, &key_name) {
            (Some(policy), Some(name), _, _) => Some((
                Named {
                    name,
                    document: policy.document,
                },
                policy.kind,
            )),
            (None, _, Some(document), Some(name)) => {
                Some((Named { name, document }, ResourcePolicyKind::KmsKey))
            }
            _ => None,
        };
        let boundary_name = self
            .permissions_boundary
            .as_ref()
            .map(|(arn, _)| arn.rsplit('/').next().unwrap_or(arn).to_string());
        let policies = Policies {
            identity: self
                .policies
                .iter()
                .map(|(name, document)| Named { name, document })
                .collect(),
            resource: resource_part,
            boundary: self
                .permissions_boundary
                .as_ref()
                .zip(boundary_name.as_ref())
                .map(|((_, document), name)| Named { name, document }),
            scps: around.service_control_policies.as_ref().map(|scps| {
                scps.iter()
                    .map(|(name, document)| Named { name, document })
                    .collect()
            }),
            ..Policies::default()
        };
        let answer = authorize(&request, &policies);
        let conditions: Vec<String> = answer
            .verdicts
            .iter()
            .flat_map(|v| v.notes.iter().cloned())
            .collect();
        let conditions = if conditions.is_empty() {
            String::new()
        } else {
            format!(" Conditions: {}", conditions.join(" "))
        };
        let deciding = answer.deciding.first().cloned();
        let only_identity = answer
            .verdicts
            .iter()
            .all(|v| v.policy_type == PolicyType::IdentityBased);
        let cross_account = account_of(resource).is_some_and(|owner| owner != account);
        let explanation = if !only_identity || cross_account {
            // Several kinds of policy took part: the logic's own account
            // of how they combined, and the statements behind it.
            let statements: Vec<String> =
                answer.deciding.iter().map(StatementRef::describe).collect();
            let by = if statements.is_empty() {
                String::new()
            } else {
                format!(" Deciding: {}.", statements.join("; "))
            };
            format!("{}{by}{conditions}", answer.explanation)
        } else {
            match (answer.effect, &deciding) {
                (DecisionEffect::ExplicitlyDenied, Some(statement)) => format!(
                    "Denied by {}: explicit deny wins over any allow.{conditions}",
                    statement.describe()
                ),
                (DecisionEffect::Allowed, Some(statement)) => format!(
                    "Allowed by {}: it allows {action} on {resource}, and no statement denies it.{conditions}",
                    statement.describe()
                ),
                _ => {
                    let missing = answer.missing_context();
                    let missing = if missing.is_empty() {
                        String::new()
                    } else {
                        format!(" The request context lacks {}.", missing.join(", "))
                    };
                    format!(
                        "No statement allows {action} on {resource}: implicitly denied.{conditions}{missing}"
                    )
                }
            }
        };
        Decision {
            effect: answer.effect,
            deciding,
            decided_by: answer.decided_by,
            explanation,
        }
    }

    /// Decides one request against this role's permission policies.
    pub fn evaluate(&self, action: &str, resource: &str) -> Decision {
        let policies: Vec<(&str, &PolicyDocument)> = self
            .policies
            .iter()
            .map(|(name, document)| (name.as_str(), document))
            .collect();
        evaluate(&policies, action, resource)
    }

    fn trust_allows(&self, action: &str, names: impl Fn(&PolicyPrincipal) -> bool) -> bool {
        let mut allowed = false;
        for statement in &self.trust_policy.statements {
            let applies = statement.actions.matches(action)
                && statement.principal.as_ref().is_some_and(&names);
            if !applies {
                continue;
            }
            match statement.effect {
                Effect::Deny => return false,
                Effect::Allow => allowed = true,
            }
        }
        allowed
    }
}

/// The service whose trust a role needs to serve as `principal`. `None`
/// for principals that are not a single service's: the service account
/// role (Pod Identity or an OIDC provider), nobody, and non-IAM calls.
pub fn trusted_service_for(principal: Principal) -> Option<&'static str> {
    match principal {
        Principal::TaskRole | Principal::TaskExecutionRole => Some(ECS_TASKS_SERVICE),
        Principal::ContainerInstanceRole | Principal::NodeRole => Some(EC2_SERVICE),
        Principal::PodExecutionRole => Some(EKS_FARGATE_PODS_SERVICE),
        Principal::ServiceAccountRole | Principal::Nobody | Principal::NotApplicable => None,
    }
}

/// The standard trust policy letting `service` assume a role. EKS Pod
/// Identity also needs `sts:TagSession`, because it tags each session with
/// the cluster, namespace and service account.
pub fn trust_policy_for(service: &str) -> PolicyDocument {
    let actions = if service == EKS_POD_IDENTITY_SERVICE {
        vec!["sts:AssumeRole".to_string(), "sts:TagSession".to_string()]
    } else {
        vec!["sts:AssumeRole".to_string()]
    };
    let mut named = BTreeMap::new();
    named.insert("Service".to_string(), vec![service.to_string()]);
    PolicyDocument::new(vec![Statement {
        sid: None,
        effect: Effect::Allow,
        principal: Some(PolicyPrincipal::Named(named)),
        actions: Actions::Action(actions),
        resources: None,
        condition: None,
    }])
}
