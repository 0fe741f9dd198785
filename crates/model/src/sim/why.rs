//! Why a task stopped before it ran, as a chain of causes: the call made
//! for it at start, who made it, what IAM answered, and what would change
//! the answer, each step naming the chapter of the notes that teaches it.
//!
//! The chain is built from the same `CallCheck` that decided the stop, so
//! it cannot disagree with the stopped reason ECS gives.

use serde::Serialize;

use crate::iam::{Access, CallCheck, PolicyType};
use crate::principals::{Platform, Principal};

/// One step of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// What happened, in words.
    pub said: String,
    /// The slug of the notes chapter that teaches it.
    pub chapter: &'static str,
}

impl Cause {
    fn new(said: impl Into<String>, chapter: &'static str) -> Cause {
        Cause {
            said: said.into(),
            chapter,
        }
    }
}

/// The chain behind a start that `check` refused, stopped with ECS's
/// `error` (such as `CannotPullContainerError`).
pub fn refused_call(error: &str, check: &CallCheck) -> Vec<Cause> {
    let ecs = matches!(check.platform, Platform::EcsOnFargate | Platform::EcsOnEc2);
    let role = check.outcome.role.as_deref();
    let principal = match role {
        Some(role) => format!("the {} {role}", check.principal.label()),
        None => format!("the {}", check.principal.label()),
    };
    let mut chain = vec![
        Cause::new(
            format!(
                "{error}: the task stopped before its containers ran, because a call made for it at start was refused."
            ),
            "ecs-core-concepts",
        ),
        Cause::new(
            format!(
                "The call: {} on {}. It is made with {principal}. {}",
                lowercase_first(check.call.kind().label()),
                check.platform.label(),
                check.why
            ),
            "ecs-iam",
        ),
    ];
    let denied = check
        .outcome
        .checks
        .iter()
        .find(|c| !c.decision.is_allowed());
    match (check.outcome.access, denied) {
        (Access::ImplicitlyDenied, Some(denied)) => {
            let (action, resource) = (&denied.request.action, &denied.request.resource);
            chain.push(Cause::new(
                format!(
                    "IAM's answer: an implicit deny. {}",
                    denied.decision.explanation
                ),
                "ecs-iam",
            ));
            let only = match check.principal {
                Principal::TaskExecutionRole => {
                    " The task role's permissions are never used for this call."
                }
                Principal::ContainerInstanceRole => {
                    " Without an execution role in the task definition, the instance profile makes it."
                }
                _ => "",
            };
            // The policy whose missing Allow denied: the fix goes there,
            // not always into the role's own policies.
            let fix = match denied.decision.decided_by {
                None | Some(PolicyType::IdentityBased) => format!(
                    "What changes the answer: a statement allowing {action} on {resource} in a policy of {principal}, and no Deny matching it anywhere.{only}"
                ),
                Some(PolicyType::ResourceBased) => format!(
                    "What changes the answer: the resource's own policy (the repository, key or secret policy named above, in the resource's account) allowing {principal} {action} on {resource}. The role's own policies cannot grant it alone here."
                ),
                Some(PolicyType::PermissionsBoundary) => format!(
                    "What changes the answer: the permissions boundary of {principal} allowing {action} on {resource} as well: a boundary caps what the role's policies grant."
                ),
                Some(PolicyType::ServiceControl) => format!(
                    "What changes the answer: the organization's service control policies allowing {action} on {resource}: an SCP caps every call from the account, whatever the role allows."
                ),
                Some(PolicyType::ResourceControl) => format!(
                    "What changes the answer: the organization's resource control policies allowing {action} on {resource}."
                ),
                Some(PolicyType::Session) => format!(
                    "What changes the answer: the session policy allowing {action} on {resource} as well."
                ),
            };
            chain.push(Cause::new(fix, "ecs-iam"));
        }
        (Access::ExplicitlyDenied, Some(denied)) => {
            chain.push(Cause::new(
                format!(
                    "IAM's answer: an explicit deny. {}",
                    denied.decision.explanation
                ),
                "ecs-iam",
            ));
            chain.push(Cause::new(
                "What changes the answer: removing or narrowing the Deny that matched. No Allow in any policy overrides an explicit Deny.",
                "ecs-iam",
            ));
        }
        (Access::NoCredentials, _) => {
            chain.push(Cause::new(
                format!(
                    "No role holds credentials for it. {}",
                    check.outcome.explanation
                ),
                "ecs-iam",
            ));
            if ecs {
                chain.push(Cause::new(
                    "What changes the answer: a task execution role (the task definition's executionRoleArn), trusted by ecs-tasks.amazonaws.com, whose policies allow the call.",
                    "ecs-iam",
                ));
            }
        }
        (Access::UntrustedRole, _) => {
            chain.push(Cause::new(
                format!(
                    "The role cannot be assumed for it. {}",
                    check.outcome.explanation
                ),
                "ecs-iam",
            ));
            chain.push(Cause::new(
                format!(
                    "What changes the answer: a trust policy on {principal} that lets the service assume it{}, with any aws:SourceAccount or aws:SourceArn condition matching this account and task.",
                    if ecs { " (ecs-tasks.amazonaws.com for a task's roles)" } else { "" }
                ),
                "ecs-iam",
            ));
        }
        _ => chain.push(Cause::new(check.explanation.clone(), "ecs-iam")),
    }
    chain
}

/// The chain behind a start refused before IAM was asked: a reference
/// that names nothing ECS can call for (an image or a secret's name).
pub fn bad_reference(error: &str, what: &str, chapter: &'static str) -> Vec<Cause> {
    vec![
        Cause::new(
            format!(
                "{error}: the task stopped before its containers ran, because a call made for it at start could not be made."
            ),
            "ecs-core-concepts",
        ),
        Cause::new(what, chapter),
    ]
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
