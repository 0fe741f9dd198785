//! Evaluation: the decision (explicit deny, allow, implicit deny) of one
//! request against a set of identity policies, with the statement that
//! decided it.

use serde::Serialize;

use super::authorization::PolicyType;
use super::policy::{Effect, PolicyDocument};

/// How a request came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DecisionEffect {
    Allowed,
    /// A `Deny` statement matched; no `Allow` anywhere can undo it.
    ExplicitlyDenied,
    /// Nothing allowed it. This is IAM's default for every request.
    ImplicitlyDenied,
}

/// Points at the statement that decided a request, so that the UI can
/// highlight it in the policy editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub policy: String,
    /// Zero-based, as in the path `Statement[index]`; explanations count
    /// from one (`#1`), the way people number statements.
    pub index: usize,
    pub sid: Option<String>,
    /// Dockyard ignores conditions, so a decision resting on a conditional
    /// statement may differ in AWS.
    pub has_condition: bool,
}

impl StatementRef {
    /// `statement "DenyDeletes" (#2) of policy "guardrails"`.
    pub fn describe(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!(
                "statement \"{sid}\" (#{}) of policy \"{}\"",
                self.index + 1,
                self.policy
            ),
            _ => format!(
                "statement #{} of policy \"{}\"",
                self.index + 1,
                self.policy
            ),
        }
    }

    fn condition_note(&self) -> &'static str {
        if self.has_condition {
            " Dockyard does not evaluate conditions: this statement has a Condition, so in AWS it decides only when the condition holds."
        } else {
            ""
        }
    }
}

/// The answer to one request: the effect, the statement behind it, and a
/// sentence a learner can read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub effect: DecisionEffect,
    /// `None` for an implicit deny: no statement decided it.
    pub deciding: Option<StatementRef>,
    /// The kind of policy that decided (see
    /// [`Authorization::decided_by`](super::Authorization::decided_by)).
    pub decided_by: Option<PolicyType>,
    pub explanation: String,
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        self.effect == DecisionEffect::Allowed
    }
}

/// Decides `action` on `resource` against named identity policies, the way
/// IAM does within one account: an explicit deny wins over any allow, an
/// allow wins over the default, and the default is deny.
///
/// A `Condition` is treated as satisfied. When several statements could
/// decide, one without a Condition is preferred, because it decides in AWS
/// whatever the request context is.
pub fn evaluate(policies: &[(&str, &PolicyDocument)], action: &str, resource: &str) -> Decision {
    let mut deny: Option<StatementRef> = None;
    let mut allow: Option<StatementRef> = None;
    for (name, document) in policies {
        for (index, statement) in document.statements.iter().enumerate() {
            if !statement.applies_to(action, resource) {
                continue;
            }
            let found = StatementRef {
                policy: name.to_string(),
                index,
                sid: statement.sid.clone(),
                has_condition: statement.condition.is_some(),
            };
            let slot = match statement.effect {
                Effect::Deny => &mut deny,
                Effect::Allow => &mut allow,
            };
            if slot
                .as_ref()
                .is_none_or(|current| current.has_condition && !found.has_condition)
            {
                *slot = Some(found);
            }
        }
    }
    if let Some(statement) = deny {
        return Decision {
            effect: DecisionEffect::ExplicitlyDenied,
            explanation: format!(
                "Denied by {}: explicit deny wins over any allow.{}",
                statement.describe(),
                statement.condition_note()
            ),
            deciding: Some(statement),
            decided_by: Some(PolicyType::IdentityBased),
        };
    }
    if let Some(statement) = allow {
        return Decision {
            effect: DecisionEffect::Allowed,
            explanation: format!(
                "Allowed by {}: it allows {action} on {resource}, and no statement denies it.{}",
                statement.describe(),
                statement.condition_note()
            ),
            deciding: Some(statement),
            decided_by: Some(PolicyType::IdentityBased),
        };
    }
    let nothing_attached = if policies.is_empty() {
        " There are no policies attached."
    } else {
        ""
    };
    Decision {
        effect: DecisionEffect::ImplicitlyDenied,
        deciding: None,
        decided_by: None,
        explanation: format!(
            "No statement allows {action} on {resource}: implicitly denied.{nothing_attached}"
        ),
    }
}
