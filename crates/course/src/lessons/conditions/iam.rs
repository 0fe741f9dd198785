//! Conditions on IAM: whether a running task's application call is allowed,
//! and which principal makes it.

use dockyard_model::iam::{AppCall, PolicyType, ECS_TASKS_SERVICE};
use dockyard_model::principals::Principal;
use dockyard_model::sim::world::World;

use super::{running, Fields, Kind};

/// A running task of `service` makes `call` (as the app would), and IAM's
/// verdict is `allowed`. The call is read once, with the lesson, not on
/// every judgement (the sandbox judges on every change).
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub service: String,
    /// The call as written in the lesson, for the words.
    pub written: String,
    /// The call, read once.
    pub call: AppCall,
    /// The principal that must make the call (any, when `None`).
    pub by: Option<Principal>,
    pub allowed: bool,
    /// The kind of policy whose answer must decide it (an SCP's deny, a
    /// boundary's cap, ...), so that a goal can ask for the guardrail and
    /// not merely for the outcome.
    pub decided_by: Option<PolicyType>,
}

/// The names a lesson gives the kinds of policy in `decidedBy`.
const DECIDED_BY: &[(&str, PolicyType)] = &[
    ("identityPolicy", PolicyType::IdentityBased),
    ("resourcePolicy", PolicyType::ResourceBased),
    ("permissionsBoundary", PolicyType::PermissionsBoundary),
    ("serviceControlPolicy", PolicyType::ServiceControl),
];

impl Kind for Call {
    const IS: &'static str = "call";
    const FIELDS: &'static [&'static str] = &["service", "call", "allowed", "by", "decidedBy"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        let written = fields.text("call")?;
        let call = AppCall::parse(&written).map_err(|e| format!("call: {e:?}"))?;
        Ok(Call {
            service: fields.text("service")?,
            written,
            call,
            by: match fields.optional_text("by").as_deref() {
                None => None,
                Some("taskRole") => Some(Principal::TaskRole),
                Some("executionRole") => Some(Principal::TaskExecutionRole),
                Some("instanceProfile") => Some(Principal::ContainerInstanceRole),
                Some(other) => {
                    return Err(format!(
                        "by: {other:?} is not taskRole, executionRole or instanceProfile"
                    ))
                }
            },
            allowed: fields.flag("allowed")?,
            decided_by: match fields.optional_text("decidedBy") {
                None => None,
                Some(name) => Some(
                    DECIDED_BY
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, t)| *t)
                        .ok_or_else(|| {
                            format!(
                                "decidedBy: {name:?} is not one of {}",
                                DECIDED_BY
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        })?,
                ),
            },
        })
    }

    fn describe(&self) -> String {
        let Call {
            service,
            written,
            by,
            allowed,
            decided_by,
            ..
        } = self;
        let decided = decided_by
            .map(|t| format!(", decided by a {}", t.label()))
            .unwrap_or_default();
        format!(
            "A task of {service} may {}{}{decided}: {written}",
            if *allowed {
                "make this call"
            } else {
                "not make this call"
            },
            match by {
                Some(Principal::TaskRole) => ", as its task role",
                Some(Principal::TaskExecutionRole) => ", as its execution role",
                Some(Principal::ContainerInstanceRole) => ", as the instance profile",
                _ => "",
            }
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let Call {
            service,
            call,
            by,
            allowed,
            decided_by,
            ..
        } = self;
        let Some(check) = running(world, service)
            .first()
            .and_then(|t| world.check_task_call(&t.id, call))
        else {
            return (
                false,
                format!("no task of {service} is running to make the call"),
            );
        };
        match by {
            // No principal at all: the explanation already says why nobody
            // can make the call.
            Some(by)
                if matches!(
                    check.principal,
                    Principal::Nobody | Principal::NotApplicable
                ) =>
            {
                (
                    false,
                    format!("not made by the {}: {}", by.label(), check.explanation),
                )
            }
            Some(by) if check.principal != *by => (
                false,
                format!(
                    "{}, but made by the {}, not the {}. {}",
                    if check.is_allowed() {
                        "allowed"
                    } else {
                        "denied"
                    },
                    check.principal.label(),
                    by.label(),
                    check.explanation
                ),
            ),
            _ => match decided_by {
                Some(wanted) if check.is_allowed() == *allowed => {
                    // The action whose answer decided: the refused one, or
                    // (allowed) the first.
                    let decided = check
                        .outcome
                        .checks
                        .iter()
                        .find(|c| !c.decision.is_allowed())
                        .or_else(|| check.outcome.checks.first())
                        .and_then(|c| c.decision.decided_by);
                    if decided == Some(*wanted) {
                        (true, check.explanation.clone())
                    } else {
                        (
                            false,
                            format!(
                                "{}, but not by a {}: {}",
                                if check.is_allowed() {
                                    "allowed"
                                } else {
                                    "denied"
                                },
                                wanted.label(),
                                check.explanation
                            ),
                        )
                    }
                }
                _ => (check.is_allowed() == *allowed, check.explanation.clone()),
            },
        }
    }
}

/// A task role's trust policy guards against the confused deputy: ECS may
/// not assume it for a task of another account (AWS's recommended
/// `aws:SourceAccount` / `aws:SourceArn` conditions), judged by asking the
/// model's evaluation whether ECS acting for account 999999999999 could.
#[derive(Clone, Debug, PartialEq)]
pub struct TrustGuarded {
    pub role: String,
}

/// The account a confused deputy would act for, in the judgement.
const STRANGER: &str = "999999999999";

impl Kind for TrustGuarded {
    const IS: &'static str = "trustGuarded";
    const FIELDS: &'static [&'static str] = &["role"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(TrustGuarded {
            role: fields.text("role")?,
        })
    }

    fn describe(&self) -> String {
        format!(
            "The trust policy of {} lets ECS assume it only for this account's tasks (confused deputy)",
            self.role
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let Some(role) = world.roles().find(|r| r.name == self.role) else {
            return (false, format!("there is no role called {}", self.role));
        };
        let stranger_task = format!(
            "arn:aws:ecs:{}:{STRANGER}:task/their-cluster/0123456789abcdef",
            world.region()
        );
        match role.assumption_refused(ECS_TASKS_SERVICE, STRANGER, Some(&stranger_task)) {
            Some(why) => (
                true,
                format!("ECS acting for another account ({STRANGER}) is refused: {why}"),
            ),
            None => (
                false,
                format!("ECS acting for a task of any account, such as {STRANGER}, could assume {}: add aws:SourceAccount and aws:SourceArn conditions", self.role),
            ),
        }
    }
}
