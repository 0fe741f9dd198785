//! Conditions on IAM: whether a running task's application call is allowed,
//! and which principal makes it.

use dockyard_model::iam::AppCall;
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
}

impl Kind for Call {
    const IS: &'static str = "call";
    const FIELDS: &'static [&'static str] = &["service", "call", "allowed", "by"];
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
        })
    }

    fn describe(&self) -> String {
        let Call {
            service,
            written,
            by,
            allowed,
            ..
        } = self;
        format!(
            "A task of {service} may {}{}: {written}",
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
            _ => (check.is_allowed() == *allowed, check.explanation.clone()),
        }
    }
}
