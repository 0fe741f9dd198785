//! The whole evaluation logic, as the IAM User Guide documents it ("Policy
//! evaluation logic", "Cross-account policy evaluation logic", "How
//! permissions boundaries work", "Service control policies", "Resource
//! control policies"): which policies take part in a request, and in what
//! order they decide it.
//!
//! 1. An explicit `Deny` in any policy that takes part denies.
//! 2. Resource control policies (the resource's account), then service
//!    control policies (the caller's account), when the account is in an
//!    organization: without an `Allow` there, the request is implicitly
//!    denied.
//! 3. In one account, an identity-based policy *or* the resource-based
//!    policy may grant it; across accounts, both must. A resource policy
//!    that names only the account (`arn:aws:iam::111122223333:root`)
//!    delegates to that account's identity policies and grants nothing
//!    itself.
//! 4. A permissions boundary and a session policy, where present, must also
//!    allow; a resource policy that names the role *session* itself is not
//!    limited by them, one that names the role is.
//! 5. Role trust policies and KMS key policies are exceptions: the
//!    resource-based policy must allow even in the same account.
//!
//! Conditions are evaluated against the request's context
//! ([`conditions`](super::conditions)).

use serde::Serialize;

use super::conditions::{self, RequestContext};
use super::evaluate::{DecisionEffect, StatementRef};
use super::matching::{action_matches, resource_matches};
use super::policy::{Actions, Effect, PolicyDocument, PolicyPrincipal, Resources, Statement};

/// Who makes the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caller {
    /// The account the caller belongs to.
    pub account: String,
    /// The role the caller's session comes from
    /// (`arn:aws:iam::111122223333:role/app`), if any.
    pub role_arn: Option<String>,
    /// The session's own ARN
    /// (`arn:aws:sts::111122223333:assumed-role/app/task-1`), if any.
    pub session_arn: Option<String>,
    /// An AWS service principal (`ecs-tasks.amazonaws.com`) when a service
    /// itself calls, as when ECS assumes a task role.
    pub service: Option<String>,
}

impl Caller {
    /// The caller an ARN names: an assumed-role session
    /// (`arn:aws:sts::…:assumed-role/…`), or a role or user, matched by its
    /// ARN. Its account is the ARN's, else `default_account`.
    pub fn from_arn(arn: &str, default_account: &str) -> Caller {
        let account = arn
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .unwrap_or(default_account);
        let session = arn.contains(":assumed-role/");
        Caller {
            account: account.to_string(),
            role_arn: (!session).then(|| arn.to_string()),
            session_arn: session.then(|| arn.to_string()),
            service: None,
        }
    }

    /// A session of role `name` in `account`.
    pub fn role_session(account: &str, name: &str, session: &str) -> Caller {
        Caller {
            account: account.into(),
            role_arn: Some(format!("arn:aws:iam::{account}:role/{name}")),
            session_arn: Some(format!(
                "arn:aws:sts::{account}:assumed-role/{name}/{session}"
            )),
            service: None,
        }
    }

    /// An AWS service acting for `account` (the account whose resources it
    /// works on, which `aws:SourceAccount` carries).
    pub fn service(name: &str, account: &str) -> Caller {
        Caller {
            account: account.into(),
            role_arn: None,
            session_arn: None,
            service: Some(name.into()),
        }
    }
}

/// What kind of resource-based policy the resource has: ordinary ones
/// (S3 buckets, ECR repositories, secrets) may grant on their own in the
/// same account; role trust policies and KMS key policies must allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ResourcePolicyKind {
    Ordinary,
    RoleTrust,
    KmsKey,
}

/// A named policy document.
#[derive(Clone, Copy, Debug)]
pub struct Named<'a> {
    pub name: &'a str,
    pub document: &'a PolicyDocument,
}

/// Every policy that can take part in one request.
#[derive(Clone, Debug, Default)]
pub struct Policies<'a> {
    /// The caller's identity-based policies (inline and managed).
    pub identity: Vec<Named<'a>>,
    /// The resource's policy, and what kind it is.
    pub resource: Option<(Named<'a>, ResourcePolicyKind)>,
    pub boundary: Option<Named<'a>>,
    pub session: Option<Named<'a>>,
    /// The SCPs that apply to the caller's account; `None` when it is in no
    /// organization.
    pub scps: Option<Vec<Named<'a>>>,
    /// The RCPs that apply to the resource's account; `None` when it is in
    /// no organization.
    pub rcps: Option<Vec<Named<'a>>>,
}

/// One request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    pub caller: Caller,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource; `None` for the caller's own.
    pub resource_account: Option<String>,
    pub context: RequestContext,
}

impl Request {
    fn cross_account(&self) -> bool {
        self.resource_account
            .as_ref()
            .is_some_and(|owner| *owner != self.caller.account)
    }
}

/// The kinds of policy, in the order the logic reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PolicyType {
    ResourceControl,
    ServiceControl,
    ResourceBased,
    IdentityBased,
    PermissionsBoundary,
    Session,
}

impl PolicyType {
    pub fn label(self) -> &'static str {
        match self {
            PolicyType::ResourceControl => "resource control policy (RCP)",
            PolicyType::ServiceControl => "service control policy (SCP)",
            PolicyType::ResourceBased => "resource-based policy",
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
        }
    }
}

/// What one kind of policy said about the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub policy_type: PolicyType,
    /// An `Allow` statement matched (for a resource policy, naming the
    /// caller, or only the caller's account, which hands the decision to
    /// the account's identity policies).
    pub allows: bool,
    pub denies: bool,
    /// The policies of this kind that took part, by name.
    pub policies: Vec<String>,
    /// The statements that matched, allows and denies.
    pub statements: Vec<StatementRef>,
    /// Of those, the `Deny` statements.
    pub denying: Vec<StatementRef>,
    /// How each matched or failed condition came out.
    pub notes: Vec<String>,
    /// Condition keys a statement that matched the action and resource
    /// tested, which the request context lacks (IAM's simulator reports
    /// them as MissingContextValues).
    pub missing: Vec<String>,
}

/// The answer: the effect, every kind of policy that took part with what
/// it said, the deciding statements, and the reasoning in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Authorization {
    pub effect: DecisionEffect,
    pub verdicts: Vec<Verdict>,
    pub deciding: Vec<StatementRef>,
    /// The kind of policy that decided: the one with the explicit deny, the
    /// one whose missing allow denied (an SCP, a boundary, the resource's
    /// policy across accounts), or the one that allowed. `None` when no
    /// policy allows at all (IAM's default deny) or when two had to agree.
    pub decided_by: Option<PolicyType>,
    pub explanation: String,
}

impl Authorization {
    pub fn is_allowed(&self) -> bool {
        self.effect == DecisionEffect::Allowed
    }

    /// Every condition key a matching statement tested that the request
    /// context lacks, once each.
    pub fn missing_context(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for key in self.verdicts.iter().flat_map(|v| &v.missing) {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        keys
    }

    /// What one kind of policy said, if it took part.
    pub fn verdict(&self, policy_type: PolicyType) -> Option<&Verdict> {
        self.verdicts.iter().find(|v| v.policy_type == policy_type)
    }
}

/// How a resource policy's Allow names the caller, weakest first: where
/// several statements (or names) match, the strongest counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Grant {
    /// Only the account: grants nothing itself, delegates to IAM.
    Account,
    /// The role (or `*`): limited by the boundary and session policy.
    Role,
    /// The session, or a service: limited by nothing but explicit denies.
    Session,
}

/// Decides `request` against `policies`.
pub fn authorize(request: &Request, policies: &Policies<'_>) -> Authorization {
    let mut verdicts = Vec::new();
    let mut grant: Option<Grant> = None;
    let check = |policy_type: PolicyType, list: &[Named<'_>]| -> Verdict {
        let mut verdict = Verdict {
            policy_type,
            allows: false,
            denies: false,
            policies: list.iter().map(|named| named.name.to_string()).collect(),
            statements: Vec::new(),
            denying: Vec::new(),
            notes: Vec::new(),
            missing: Vec::new(),
        };
        for named in list {
            for (index, statement) in named.document.statements.iter().enumerate() {
                if let Some(effect) = applies(statement, named.document, request, &mut verdict) {
                    verdict
                        .statements
                        .push(statement_ref(named.name, index, statement));
                    match effect {
                        Effect::Allow => verdict.allows = true,
                        Effect::Deny => {
                            verdict.denies = true;
                            verdict
                                .denying
                                .push(statement_ref(named.name, index, statement));
                        }
                    }
                }
            }
        }
        verdict
    };
    if let Some(rcps) = &policies.rcps {
        verdicts.push(check(PolicyType::ResourceControl, rcps));
    }
    if let Some(scps) = &policies.scps {
        verdicts.push(check(PolicyType::ServiceControl, scps));
    }
    let resource_kind = policies.resource.map(|(_, kind)| kind);
    if let Some((named, _)) = policies.resource {
        let mut verdict = Verdict {
            policy_type: PolicyType::ResourceBased,
            allows: false,
            denies: false,
            policies: vec![named.name.to_string()],
            statements: Vec::new(),
            denying: Vec::new(),
            notes: Vec::new(),
            missing: Vec::new(),
        };
        for (index, statement) in named.document.statements.iter().enumerate() {
            let Some(named_as) = principal_grant(statement, &request.caller) else {
                continue;
            };
            let Some(effect) = applies(statement, named.document, request, &mut verdict) else {
                continue;
            };
            verdict
                .statements
                .push(statement_ref(named.name, index, statement));
            match effect {
                Effect::Deny => {
                    verdict.denies = true;
                    verdict
                        .denying
                        .push(statement_ref(named.name, index, statement));
                }
                Effect::Allow => {
                    // The strongest way an Allow names the caller counts.
                    grant = grant.max(Some(named_as));
                    // (One that names only the account allows the account;
                    // `decide` knows it grants nothing by itself.)
                    verdict.allows = true;
                }
            }
        }
        verdicts.push(verdict);
    }
    verdicts.push(check(PolicyType::IdentityBased, &policies.identity));
    if let Some(boundary) = policies.boundary {
        verdicts.push(check(PolicyType::PermissionsBoundary, &[boundary]));
    }
    if let Some(session) = policies.session {
        verdicts.push(check(PolicyType::Session, &[session]));
    }
    decide(request, verdicts, grant, resource_kind)
}

fn decide(
    request: &Request,
    verdicts: Vec<Verdict>,
    grant: Option<Grant>,
    resource_kind: Option<ResourcePolicyKind>,
) -> Authorization {
    let what = format!("{} on {}", request.action, request.resource);
    let of = |t: PolicyType| verdicts.iter().find(|v| v.policy_type == t);
    let allows = |t: PolicyType| of(t).is_some_and(|v| v.allows);
    // "the permissions boundary (DeveloperBoundary)": the kind and, when it
    // took part, the policies' names.
    let the = |t: PolicyType| {
        // Names that only repeat the kind (a form's field label) add nothing.
        let names: Vec<&str> = of(t)
            .map(|v| {
                v.policies
                    .iter()
                    .map(String::as_str)
                    .filter(|name| !t.label().eq_ignore_ascii_case(name))
                    .collect()
            })
            .unwrap_or_default();
        if names.is_empty() {
            format!("the {}", t.label())
        } else {
            format!("the {} ({})", t.label(), names.join(", "))
        }
    };
    let deny = |effect: DecisionEffect,
                deciding: Vec<StatementRef>,
                decided_by: Option<PolicyType>,
                explanation: String| Authorization {
        effect,
        verdicts: verdicts.clone(),
        deciding,
        decided_by,
        explanation,
    };
    // 1. An explicit deny anywhere.
    if let Some(v) = verdicts.iter().find(|v| v.denies) {
        let statements: Vec<StatementRef> = v.denying.clone();
        let named: Vec<String> = statements.iter().map(StatementRef::describe).collect();
        return deny(
            DecisionEffect::ExplicitlyDenied,
            statements,
            Some(v.policy_type),
            format!(
                "Explicitly denied: {} has a Deny that matches {what} ({}). An explicit deny in any policy that takes part wins over every allow.",
                the(v.policy_type),
                named.join("; ")
            ),
        );
    }
    // 2. Organization policies must allow.
    for t in [PolicyType::ResourceControl, PolicyType::ServiceControl] {
        if of(t).is_some() && !allows(t) {
            return deny(
                DecisionEffect::ImplicitlyDenied,
                Vec::new(),
                Some(t),
                format!(
                    "Implicitly denied: none of {} of the {} account allows {what}. In an organization they must allow, whatever the account's own policies say.",
                    the(t),
                    if t == PolicyType::ResourceControl { "resource's" } else { "caller's" }
                ),
            );
        }
    }
    let identity = allows(PolicyType::IdentityBased);
    // A resource policy that names only the account delegates to IAM: it
    // grants nothing by itself.
    let delegated = grant == Some(Grant::Account);
    let resource = allows(PolicyType::ResourceBased) && !delegated;
    let limits: Vec<PolicyType> = [PolicyType::PermissionsBoundary, PolicyType::Session]
        .into_iter()
        .filter(|t| of(*t).is_some() && !allows(*t))
        .collect();
    let allowed_by = |types: &[PolicyType]| -> Vec<StatementRef> {
        verdicts
            .iter()
            .filter(|v| types.contains(&v.policy_type))
            .flat_map(|v| v.statements.clone())
            .collect()
    };
    let limited = |why: String| {
        deny(
            DecisionEffect::ImplicitlyDenied,
            Vec::new(),
            Some(limits[0]),
            format!(
                "{why} But {} does not allow {what}: it caps what the caller may do, so the request is implicitly denied.",
                the(limits[0])
            ),
        )
    };
    let must_resource = matches!(
        resource_kind,
        Some(ResourcePolicyKind::RoleTrust | ResourcePolicyKind::KmsKey)
    );
    // 3. Across accounts both sides must allow.
    if request.cross_account() {
        if !(resource || delegated) {
            return deny(
                DecisionEffect::ImplicitlyDenied,
                Vec::new(),
                Some(PolicyType::ResourceBased),
                format!(
                    "Implicitly denied: {what} is in another account, and {} (across accounts, the resource policy and the caller's identity policy must both allow).",
                    if of(PolicyType::ResourceBased).is_some() {
                        format!("{} does not allow the caller", the(PolicyType::ResourceBased))
                    } else {
                        "it has no resource-based policy that could allow the caller".to_string()
                    }
                ),
            );
        }
        if !identity {
            return deny(
                DecisionEffect::ImplicitlyDenied,
                Vec::new(),
                Some(PolicyType::IdentityBased),
                format!("Implicitly denied: the resource's account allows it, but no identity-based policy of the caller allows {what} (across accounts, both must allow)."),
            );
        }
        if !limits.is_empty() {
            return limited("Both accounts allow it.".into());
        }
        return Authorization {
            effect: DecisionEffect::Allowed,
            deciding: allowed_by(&[PolicyType::ResourceBased, PolicyType::IdentityBased]),
            verdicts: verdicts.clone(),
            decided_by: None,
            explanation: format!("Allowed: {what} crosses accounts, and both the resource's policy and the caller's identity-based policy allow it."),
        };
    }
    // 4. In one account.
    if must_resource && !resource && !(delegated && identity) {
        let kind = if resource_kind == Some(ResourcePolicyKind::KmsKey) {
            "key policy"
        } else {
            "trust policy"
        };
        return deny(
            DecisionEffect::ImplicitlyDenied,
            Vec::new(),
            Some(PolicyType::ResourceBased),
            format!(
                "Implicitly denied: the {kind} must allow {what}, even in the same account, and none of its statements does for this request.{}",
                if identity {
                    " An identity-based policy allows it, but that is not enough here unless the {kind} hands the decision to IAM by naming the account."
                        .replace("{kind}", kind)
                } else {
                    String::new()
                }
            ),
        );
    }
    if resource && grant == Some(Grant::Session) {
        return Authorization {
            effect: DecisionEffect::Allowed,
            deciding: allowed_by(&[PolicyType::ResourceBased]),
            verdicts: verdicts.clone(),
            decided_by: Some(PolicyType::ResourceBased),
            explanation: format!("Allowed: the resource-based policy names the caller's session (or service) and allows {what}; in the same account that is enough, and a permissions boundary or session policy does not limit it."),
        };
    }
    if resource || identity {
        if !limits.is_empty() {
            return limited(if resource {
                "The resource-based policy allows the role.".into()
            } else {
                "An identity-based policy allows it.".into()
            });
        }
        let (types, how): (&[PolicyType], &str) = if resource && !identity {
            (&[PolicyType::ResourceBased], "the resource-based policy allows it (in the same account, one of the two is enough)")
        } else {
            (
                &[PolicyType::IdentityBased],
                "an identity-based policy allows it",
            )
        };
        return Authorization {
            effect: DecisionEffect::Allowed,
            deciding: allowed_by(types),
            decided_by: types.first().copied(),
            verdicts: verdicts.clone(),
            explanation: format!("Allowed: {how}, and nothing denies {what}."),
        };
    }
    deny(
        DecisionEffect::ImplicitlyDenied,
        Vec::new(),
        None,
        format!("Implicitly denied: no identity-based or resource-based policy allows {what}. Denial is IAM's default."),
    )
}

/// Whether `statement` matches the request (action, resource, conditions);
/// its effect when it does. Condition outcomes go to the verdict's notes,
/// and condition keys the context lacks to its `missing`.
fn applies(
    statement: &Statement,
    document: &PolicyDocument,
    request: &Request,
    verdict: &mut Verdict,
) -> Option<Effect> {
    let variables = document.version.as_deref() == Some(super::policy::POLICY_VERSION);
    let action = match &statement.actions {
        Actions::Action(list) => list.iter().any(|p| action_matches(p, &request.action)),
        Actions::NotAction(list) => !list.iter().any(|p| action_matches(p, &request.action)),
    };
    if !action {
        return None;
    }
    let resource_pattern = |pattern: &String| {
        let pattern = if variables {
            match conditions::substitute(pattern, &request.context) {
                Some(p) => p,
                None => return false,
            }
        } else {
            pattern.clone()
        };
        resource_matches(&pattern, &request.resource)
    };
    let resource = match &statement.resources {
        // A resource policy's statements apply to the resource it is on.
        None => true,
        Some(Resources::Resource(list)) => list.iter().any(resource_pattern),
        Some(Resources::NotResource(list)) => !list.iter().any(resource_pattern),
    };
    if !resource {
        return None;
    }
    if let Some(block) = &statement.condition {
        for key in conditions::keys(block) {
            if request.context.get(&key).is_none() && !verdict.missing.contains(&key) {
                verdict.missing.push(key);
            }
        }
        match conditions::evaluate_block(block, &request.context, variables) {
            Ok(outcome) => {
                verdict.notes.extend(outcome.reasons);
                if !outcome.holds {
                    return None;
                }
            }
            Err(error) => {
                verdict
                    .notes
                    .push(format!("{error}: the statement is ignored"));
                return None;
            }
        }
    }
    Some(statement.effect)
}

/// How a resource policy statement's `Principal` names the caller, if it
/// does.
fn principal_grant(statement: &Statement, caller: &Caller) -> Option<Grant> {
    let principal = statement.principal.as_ref()?;
    let names = match principal {
        PolicyPrincipal::Anyone => return Some(Grant::Role),
        PolicyPrincipal::Named(names) => names,
    };
    if let (Some(service), Some(listed)) = (&caller.service, names.get("Service")) {
        if listed.iter().any(|s| s == service) {
            return Some(Grant::Session);
        }
    }
    let aws = names.get("AWS")?;
    let root = format!("arn:aws:iam::{}:root", caller.account);
    aws.iter()
        .filter_map(|name| {
            if name == "*" || Some(name) == caller.role_arn.as_ref() {
                Some(Grant::Role)
            } else if Some(name) == caller.session_arn.as_ref() {
                Some(Grant::Session)
            } else if *name == root || *name == caller.account {
                Some(Grant::Account)
            } else {
                None
            }
        })
        .max()
}

fn statement_ref(policy: &str, index: usize, statement: &Statement) -> StatementRef {
    StatementRef {
        policy: policy.to_string(),
        index,
        sid: statement.sid.clone(),
        has_condition: statement.condition.is_some(),
    }
}
