//! Call checks: who makes a call (the principal chain), whether that
//! principal has a role that trusts the right service, and how the role's
//! policies decide the call.

use serde::Serialize;

use super::account_policies::{account_of, aws_managed_key, AccountPolicies};
use super::calls::{ActionRequest, AppCall, AwsContext};
use super::conditions::RequestContext;
use super::evaluate::{Decision, DecisionEffect, StatementRef};
use super::principals::{self, Platform, Principal, RoleSetup};
use super::roles::{trusted_service_for, Role, ECS_TASKS_SERVICE, EKS_POD_IDENTITY_SERVICE};

/// How a call came out, including the ways it fails before any policy is
/// read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Access {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
    /// No principal holds credentials for the call.
    NoCredentials,
    /// A role is assigned, but its trust policy does not let the service
    /// that would hand out its credentials assume it.
    UntrustedRole,
    /// IAM plays no part in this call on this platform.
    NotAnIamCall,
}

/// One required action and how the role's policies decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckedAction {
    pub request: ActionRequest,
    pub decision: Decision,
}

/// A call simulated against one role (or against no credentials at all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallOutcome {
    pub access: Access,
    /// The role's name, when a role made the call.
    pub role: Option<String>,
    /// Every required action in order, each with its decision.
    pub checks: Vec<CheckedAction>,
    pub explanation: String,
}

impl CallOutcome {
    pub fn is_allowed(&self) -> bool {
        self.access == Access::Allowed
    }

    /// The statement behind the outcome: for a refusal, the statement that
    /// denied it (none for an implicit deny); for an allowed call, the one
    /// that allowed its first action.
    pub fn deciding(&self) -> Option<&StatementRef> {
        self.checks
            .iter()
            .find(|check| !check.decision.is_allowed())
            .or_else(|| self.checks.first())
            .and_then(|check| check.decision.deciding.as_ref())
    }

    fn without_iam(access: Access, explanation: String) -> Self {
        CallOutcome {
            access,
            role: None,
            checks: Vec::new(),
            explanation,
        }
    }
}

/// Simulates `call` made with `role`'s credentials, against the role's
/// policies and the policies `around` it (resource policies, KMS keys,
/// SCPs); `None` means the caller has no credentials
/// ([`Principal::Nobody`]), so no policy is consulted.
pub fn simulate(
    call: &AppCall,
    context: &AwsContext,
    role: Option<&Role>,
    around: &AccountPolicies,
) -> CallOutcome {
    let Some(role) = role else {
        return CallOutcome::without_iam(
            Access::NoCredentials,
            format!("No credentials: nothing can sign the request to {call}, so AWS refuses it before reading any policy."),
        );
    };
    // What every call the simulation makes carries: TLS (SDKs always use
    // it) and the calling role; the Region comes per request.
    let request_context = RequestContext::new()
        .with("aws:SecureTransport", "true")
        .with("aws:PrincipalAccount", &context.account_id)
        .with("aws:PrincipalArn", &role.arn);
    let checks: Vec<CheckedAction> = with_key_use(call.required_actions(context), around, context)
        .into_iter()
        .map(|(request, via)| {
            // The SDK calls the endpoint of the Region the resource is in
            // (an ARN's fourth field); S3 ARNs and `*` name none, so the
            // task's own Region.
            let region = request
                .resource
                .split(':')
                .nth(3)
                .filter(|r| !r.is_empty())
                .unwrap_or(&context.region);
            let request_context = request_context.clone().with("aws:RequestedRegion", region);
            let request_context = match via {
                // Secrets Manager calls KMS for the caller (rules: the
                // caller needs kms:Decrypt on a customer managed key).
                Some(via) => request_context
                    .with("kms:ViaService", &via)
                    .with("kms:CallerAccount", &context.account_id),
                None => request_context,
            };
            CheckedAction {
                decision: role.decide_in(
                    &request.action,
                    &request.resource,
                    &request_context,
                    around,
                ),
                request,
            }
        })
        .collect();
    let refusal = checks
        .iter()
        .find(|check| check.decision.effect == DecisionEffect::ExplicitlyDenied)
        .or_else(|| checks.iter().find(|check| !check.decision.is_allowed()));
    let (access, explanation) = match refusal {
        Some(check) => (
            match check.decision.effect {
                DecisionEffect::ExplicitlyDenied => Access::ExplicitlyDenied,
                _ => Access::ImplicitlyDenied,
            },
            format!(
                "Role \"{}\" cannot {call}: {}",
                role.name, check.decision.explanation
            ),
        ),
        None => (
            Access::Allowed,
            format!(
                "Role \"{}\" can {call}: {}",
                role.name,
                checks
                    .iter()
                    .map(|check| check.decision.explanation.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
    };
    CallOutcome {
        access,
        role: Some(role.name.clone()),
        checks,
        explanation,
    }
}

/// The requests a call makes, with `kms:Decrypt` after each read of a
/// secret that needs it (and the service that calls KMS for the caller, for
/// `kms:ViaService`):
///
/// - a secret encrypted with a customer managed key: the caller needs
///   `kms:Decrypt` on it, and the key policy must allow ("kms:Decrypt:
///   required only if your key uses a custom KMS key", ECS Developer Guide,
///   secrets permissions);
/// - a secret of another account with the AWS managed key
///   `aws/secretsmanager`: that key's policy allows only its own account's
///   callers, so the read is refused ("you can't use the AWS managed key
///   for cross-account access", Secrets Manager User Guide). In the
///   caller's own account that key always allows, so no request is added.
fn with_key_use(
    requests: Vec<ActionRequest>,
    around: &AccountPolicies,
    context: &AwsContext,
) -> Vec<(ActionRequest, Option<String>)> {
    let mut out = Vec::new();
    for request in requests {
        let mut key = None;
        if request.action == "secretsmanager:GetSecretValue" {
            let arn = &request.resource;
            // The secret's Region's Secrets Manager endpoint calls KMS.
            let region = arn
                .split(':')
                .nth(3)
                .filter(|r| !r.is_empty())
                .unwrap_or(&context.region);
            let owner = account_of(arn).unwrap_or(&context.account_id);
            key = match around.encryption_keys.get(arn) {
                Some(customer_managed) => Some(customer_managed.clone()),
                None if owner != context.account_id => Some(aws_managed_key(region, owner)),
                None => None,
            }
            .map(|key| (key, format!("secretsmanager.{region}.amazonaws.com")));
        }
        out.push((request, None));
        if let Some((key, via)) = key {
            out.push((ActionRequest::new("kms:Decrypt", &key), Some(via)));
        }
    }
    out
}

/// The roles a container's calls can run under. Leave out what the set-up
/// does not have: a Fargate task has no instance role, an ECS task has no
/// node role.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssignedRoles<'a> {
    pub task_role: Option<&'a Role>,
    pub execution_role: Option<&'a Role>,
    pub instance_role: Option<&'a Role>,
    pub node_role: Option<&'a Role>,
    pub pod_execution_role: Option<&'a Role>,
    pub service_account_role: Option<&'a Role>,
    /// The resource a service acts for when it assumes these roles (an ECS
    /// task's ARN), which it passes as `aws:SourceArn`, beside the account
    /// as `aws:SourceAccount`, for the trust policies' conditions.
    pub source_arn: Option<&'a str>,
}

impl<'a> AssignedRoles<'a> {
    /// The role standing in for `principal`, if one is assigned.
    pub fn role_for(&self, principal: Principal) -> Option<&'a Role> {
        match principal {
            Principal::TaskRole => self.task_role,
            Principal::TaskExecutionRole => self.execution_role,
            Principal::ContainerInstanceRole => self.instance_role,
            Principal::NodeRole => self.node_role,
            Principal::PodExecutionRole => self.pod_execution_role,
            Principal::ServiceAccountRole => self.service_account_role,
            Principal::Nobody | Principal::NotApplicable => None,
        }
    }

    /// The [`RoleSetup`] these roles describe, so that the two never
    /// disagree.
    pub fn role_setup(&self, imds_blocked: bool) -> RoleSetup {
        RoleSetup {
            task_role: self.task_role.is_some(),
            execution_role: self.execution_role.is_some(),
            service_account_role: self.service_account_role.is_some(),
            imds_blocked,
        }
    }
}

/// One row of the "who calls what" view: who makes a call on a platform,
/// why, and whether that principal's policies allow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallCheck {
    pub platform: Platform,
    pub call: AppCall,
    pub principal: Principal,
    /// Why this principal makes the call (from [`principals::who_calls`]).
    pub why: &'static str,
    /// Where AWS does not document the choice of principal precisely.
    pub uncertainty: Option<&'static str>,
    pub outcome: CallOutcome,
    /// The whole story in plain words: principal, reason, decision.
    pub explanation: String,
}

impl CallCheck {
    pub fn is_allowed(&self) -> bool {
        self.outcome.is_allowed()
    }
}

/// Why the service that hands out `principal`'s credentials cannot assume
/// `role`: its trust policy does not name the service, or the policy's
/// conditions do not hold for what the service supplies (`aws:SourceAccount`,
/// and for ECS the task's ARN as `aws:SourceArn`). `None` when it can.
fn unassumable(
    role: &Role,
    principal: Principal,
    roles: &AssignedRoles<'_>,
    context: &AwsContext,
) -> Option<String> {
    if !role.can_act_as(principal) {
        let trusted = trusted_service_for(principal).map_or_else(
            || format!("{EKS_POD_IDENTITY_SERVICE} (EKS Pod Identity) or an OIDC provider (IRSA)"),
            str::to_string,
        );
        return Some(format!(
            "The {} \"{}\" makes this call, but its trust policy does not trust {trusted}, so the role cannot be assumed: no credentials.",
            principal.label(),
            role.name
        ));
    }
    let service = trusted_service_for(principal)?;
    let source = roles.source_arn.filter(|_| service == ECS_TASKS_SERVICE);
    let why = role.assumption_refused(service, &context.account_id, source)?;
    Some(format!(
        "The {} \"{}\" makes this call, but the service may not assume it: {why} No credentials.",
        principal.label(),
        role.name
    ))
}

/// Works out who makes `call` on `platform` with `setup` (see
/// [`principals::who_calls`]), finds that principal's role among `roles`,
/// checks that the role trusts the service that would assume it, and
/// decides the call against the role's policies.
///
/// `setup` normally comes from [`AssignedRoles::role_setup`]. If it claims a
/// role that `roles` lacks, the call has no credentials.
pub fn check_call(
    platform: Platform,
    setup: RoleSetup,
    roles: &AssignedRoles<'_>,
    call: &AppCall,
    context: &AwsContext,
    around: &AccountPolicies,
) -> CallCheck {
    let answer = principals::who_calls(platform, call.kind(), setup);
    let principal = answer.principal;
    let (outcome, explanation) = match principal {
        Principal::NotApplicable => (
            CallOutcome::without_iam(Access::NotAnIamCall, answer.why.to_string()),
            answer.why.to_string(),
        ),
        Principal::Nobody => {
            let outcome = simulate(call, context, None, around);
            let explanation = format!("No credentials: {}", answer.why);
            (outcome, explanation)
        }
        _ => match roles.role_for(principal) {
            None => {
                let explanation = format!(
                    "The {} makes this call, but no {} is assigned: no credentials.",
                    principal.label(),
                    principal.label()
                );
                (
                    CallOutcome::without_iam(Access::NoCredentials, explanation.clone()),
                    explanation,
                )
            }
            Some(role) => {
                let refused = unassumable(role, principal, roles, context);
                if let Some(refused) = refused {
                    let mut outcome =
                        CallOutcome::without_iam(Access::UntrustedRole, refused.clone());
                    outcome.role = Some(role.name.clone());
                    (outcome, refused)
                } else {
                    let outcome = simulate(call, context, Some(role), around);
                    let explanation = format!(
                        "The {} \"{}\" makes this call. {} {}",
                        principal.label(),
                        role.name,
                        answer.why,
                        outcome.explanation
                    );
                    (outcome, explanation)
                }
            }
        },
    };
    CallCheck {
        platform,
        call: call.clone(),
        principal,
        why: answer.why,
        uncertainty: answer.uncertainty,
        outcome,
        explanation,
    }
}
