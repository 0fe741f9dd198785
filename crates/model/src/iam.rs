//! IAM for Dockyard: real policy JSON, the evaluation that decides a
//! request, the roles a container's calls run under, the AWS managed
//! policies those roles usually carry, and the calls a learner simulates
//! (rules §4).
//!
//! What Dockyard evaluates, so that the product can say it plainly: the
//! identity-based policies of one role in one account. It does not model
//! resource-based policies (bucket, repository or key policies), permission
//! boundaries, session policies, or organization policies (SCPs, RCPs), and
//! it does not evaluate `Condition` blocks. A statement with a Condition is
//! treated as if its condition held, and every explanation that such a
//! statement decides says so.
//!
//! ARNs are built in the `aws` partition.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::principals::{self, Call, Platform, Principal, RoleSetup};

/// The policy language version every current policy should declare.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The only other version IAM accepts. It lacks policy variables, which is
/// why AWS tells everyone to use [`POLICY_VERSION`].
pub const LEGACY_POLICY_VERSION: &str = "2008-10-17";

// ---------------------------------------------------------------------------
// Policy documents
// ---------------------------------------------------------------------------

/// An IAM policy document, read from and written as real policy JSON.
///
/// Serializing always writes `Statement` as an array, which IAM accepts
/// everywhere, so a single-statement object does not survive a round trip
/// byte for byte (it keeps its meaning).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    /// `None` when the JSON has no `Version`; IAM then assumes the legacy
    /// version, so the UI should flag it.
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// Only trust (and other resource-based) policies name a principal.
    pub principal: Option<PolicyPrincipal>,
    pub actions: Actions,
    /// Trust policies have none: the resource is the role itself.
    pub resources: Option<Resources>,
    /// Kept verbatim and never evaluated (see the module documentation).
    pub condition: Option<Value>,
}

/// `Effect`. IAM is case-sensitive here: `"allow"` is a malformed policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction`: a statement has exactly one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actions {
    Action(Vec<String>),
    /// Matches every action except those listed. With `Allow` it grants far
    /// more than it seems to, which is why the course shows it.
    NotAction(Vec<String>),
}

/// `Resource` or `NotResource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resources {
    Resource(Vec<String>),
    NotResource(Vec<String>),
}

/// The `Principal` of a trust policy statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyPrincipal {
    /// `"Principal": "*"`.
    Anyone,
    /// `{"Service": ..., "AWS": ..., "Federated": ..., "CanonicalUser": ...}`,
    /// each a string or an array of strings.
    Named(BTreeMap<String, Vec<String>>),
}

/// Why a policy document was rejected: `path` locates the offending field
/// the way a learner reads JSON (`Statement[1].Effect`), and `reason` says
/// what IAM expects there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    /// Empty when the whole document is at fault (not JSON, not an object).
    pub path: String,
    pub reason: String,
}

impl PolicyError {
    fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}

const DOCUMENT_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

impl PolicyDocument {
    /// A current-version document with these statements.
    pub fn new(statements: Vec<Statement>) -> Self {
        PolicyDocument {
            version: Some(POLICY_VERSION.to_string()),
            id: None,
            statements,
        }
    }

    /// Reads policy JSON, reporting the first problem with its path.
    pub fn parse(json: &str) -> Result<Self, PolicyError> {
        let value: Value = crate::json::parse_value(json)
            .map_err(|e| PolicyError::new("", format!("not valid JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Reads an already-parsed JSON value (a policy embedded in a larger
    /// document, such as a CloudFormation template).
    pub fn from_value(value: &Value) -> Result<Self, PolicyError> {
        let Value::Object(root) = value else {
            return Err(PolicyError::new(
                "",
                format!("a policy must be a JSON object, got {}", shown(value)),
            ));
        };
        check_elements(root, "", DOCUMENT_ELEMENTS)?;
        let version = match root.get("Version") {
            None => None,
            Some(Value::String(v)) if v == POLICY_VERSION || v == LEGACY_POLICY_VERSION => {
                Some(v.clone())
            }
            Some(other) => {
                return Err(PolicyError::new(
                    "Version",
                    format!(
                        "must be \"{POLICY_VERSION}\" (or the legacy \"{LEGACY_POLICY_VERSION}\"), got {}",
                        shown(other)
                    ),
                ))
            }
        };
        let id = optional_string(root, "Id", "Id")?;
        let statements = match root.get("Statement") {
            None => {
                return Err(PolicyError::new(
                    "Statement",
                    "is required: a policy needs at least one statement",
                ))
            }
            Some(Value::Object(statement)) => vec![Statement::from_object(statement, "Statement")?],
            Some(Value::Array(items)) if items.is_empty() => {
                return Err(PolicyError::new("Statement", "must not be an empty array"))
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("Statement[{i}]");
                    match item {
                        Value::Object(statement) => Statement::from_object(statement, &path),
                        other => Err(PolicyError::new(
                            path,
                            format!("must be an object, got {}", shown(other)),
                        )),
                    }
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return Err(PolicyError::new(
                    "Statement",
                    format!(
                        "must be an object or an array of objects, got {}",
                        shown(other)
                    ),
                ))
            }
        };
        Ok(PolicyDocument {
            version,
            id,
            statements,
        })
    }

    /// The document as indented policy JSON, ready to paste into the console.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a policy document always serializes")
    }

    /// Checks the rules IAM adds for policies attached to a role, user or
    /// group, which the shared document shape cannot express.
    pub fn check_identity_policy(&self) -> Result<(), PolicyError> {
        for (i, statement) in self.statements.iter().enumerate() {
            let path = format!("Statement[{i}]");
            if statement.principal.is_some() {
                return Err(PolicyError::new(
                    format!("{path}.Principal"),
                    "an identity policy must not name a principal: the principal is whoever holds the policy",
                ));
            }
            if statement.resources.is_none() {
                return Err(PolicyError::new(
                    path,
                    "an identity policy needs a Resource or a NotResource",
                ));
            }
        }
        Ok(())
    }
}

impl FromStr for PolicyDocument {
    type Err = PolicyError;

    fn from_str(json: &str) -> Result<Self, Self::Err> {
        PolicyDocument::parse(json)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        PolicyDocument::from_value(&value).map_err(serde::de::Error::custom)
    }
}

impl Statement {
    /// An `Allow` statement for identity policies.
    pub fn allow(actions: &[&str], resources: &[&str]) -> Self {
        Statement::new(Effect::Allow, actions, resources)
    }

    /// A `Deny` statement for identity policies.
    pub fn deny(actions: &[&str], resources: &[&str]) -> Self {
        Statement::new(Effect::Deny, actions, resources)
    }

    fn new(effect: Effect, actions: &[&str], resources: &[&str]) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            actions: Actions::Action(actions.iter().map(|a| a.to_string()).collect()),
            resources: Some(Resources::Resource(
                resources.iter().map(|r| r.to_string()).collect(),
            )),
            condition: None,
        }
    }

    pub fn with_sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_string());
        self
    }

    /// Whether this statement speaks about `action` on `resource`, ignoring
    /// its Condition.
    pub fn applies_to(&self, action: &str, resource: &str) -> bool {
        self.actions.matches(action)
            && self
                .resources
                .as_ref()
                .is_none_or(|resources| resources.matches(resource))
    }

    fn from_object(object: &Map<String, Value>, path: &str) -> Result<Self, PolicyError> {
        check_elements(object, path, STATEMENT_ELEMENTS)?;
        if object.contains_key("NotPrincipal") {
            return Err(PolicyError::new(
                at(path, "NotPrincipal"),
                "is not supported by Dockyard",
            ));
        }
        let sid = optional_string(object, "Sid", &at(path, "Sid"))?;
        let effect = match object.get("Effect") {
            Some(Value::String(s)) if s == "Allow" => Effect::Allow,
            Some(Value::String(s)) if s == "Deny" => Effect::Deny,
            Some(other) => {
                return Err(PolicyError::new(
                    at(path, "Effect"),
                    format!("must be \"Allow\" or \"Deny\", got {}", shown(other)),
                ))
            }
            None => {
                return Err(PolicyError::new(
                    at(path, "Effect"),
                    "is required: \"Allow\" or \"Deny\"",
                ))
            }
        };
        let actions = match (object.get("Action"), object.get("NotAction")) {
            (Some(list), None) => {
                Actions::Action(string_list(list, &at(path, "Action"), valid_action)?)
            }
            (None, Some(list)) => {
                Actions::NotAction(string_list(list, &at(path, "NotAction"), valid_action)?)
            }
            (Some(_), Some(_)) => {
                return Err(PolicyError::new(
                    at(path, "NotAction"),
                    "cannot be combined with Action in one statement",
                ))
            }
            (None, None) => return Err(PolicyError::new(path, "needs an Action or a NotAction")),
        };
        let resources = match (object.get("Resource"), object.get("NotResource")) {
            (Some(list), None) => Some(Resources::Resource(string_list(
                list,
                &at(path, "Resource"),
                valid_resource,
            )?)),
            (None, Some(list)) => Some(Resources::NotResource(string_list(
                list,
                &at(path, "NotResource"),
                valid_resource,
            )?)),
            (Some(_), Some(_)) => {
                return Err(PolicyError::new(
                    at(path, "NotResource"),
                    "cannot be combined with Resource in one statement",
                ))
            }
            (None, None) => None,
        };
        let principal = object
            .get("Principal")
            .map(|value| parse_principal(value, &at(path, "Principal")))
            .transpose()?;
        let condition = match object.get("Condition") {
            None => None,
            Some(condition @ Value::Object(_)) => Some(condition.clone()),
            Some(other) => {
                return Err(PolicyError::new(
                    at(path, "Condition"),
                    format!(
                        "must be an object of condition operators, got {}",
                        shown(other)
                    ),
                ))
            }
        };
        Ok(Statement {
            sid,
            effect,
            principal,
            actions,
            resources,
            condition,
        })
    }
}

impl Actions {
    /// Whether the request's action falls under this element.
    pub fn matches(&self, action: &str) -> bool {
        match self {
            Actions::Action(patterns) => patterns.iter().any(|p| action_matches(p, action)),
            Actions::NotAction(patterns) => !patterns.iter().any(|p| action_matches(p, action)),
        }
    }
}

impl Resources {
    /// Whether the request's resource falls under this element.
    pub fn matches(&self, resource: &str) -> bool {
        match self {
            Resources::Resource(patterns) => patterns.iter().any(|p| resource_matches(p, resource)),
            Resources::NotResource(patterns) => {
                !patterns.iter().any(|p| resource_matches(p, resource))
            }
        }
    }
}

impl PolicyPrincipal {
    /// Whether this element names the principal `id` of type `kind`
    /// (`"Service"`, `"AWS"`, ...). `{"AWS": "*"}` means everyone, as `"*"` does.
    pub fn includes(&self, kind: &str, id: &str) -> bool {
        match self {
            PolicyPrincipal::Anyone => true,
            PolicyPrincipal::Named(named) => {
                named
                    .get(kind)
                    .is_some_and(|ids| ids.iter().any(|i| i == id))
                    || named
                        .get("AWS")
                        .is_some_and(|ids| ids.iter().any(|i| i == "*"))
            }
        }
    }
}

fn at(path: &str, element: &str) -> String {
    if path.is_empty() {
        element.to_string()
    } else {
        format!("{path}.{element}")
    }
}

/// A JSON value as a learner would type it, cut short so that a pasted
/// policy cannot flood an error message.
fn shown(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// IAM rejects unknown elements, and element names are case-sensitive, so
/// `"effect"` is the most common typo worth naming.
fn check_elements(
    object: &Map<String, Value>,
    path: &str,
    known: &[&str],
) -> Result<(), PolicyError> {
    for key in object.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let reason = match known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            Some(k) => {
                format!("unknown element; element names are case-sensitive, did you mean \"{k}\"?")
            }
            None => format!("unknown element; expected one of {}", known.join(", ")),
        };
        return Err(PolicyError::new(at(path, key), reason));
    }
    Ok(())
}

fn optional_string(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<String>, PolicyError> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(PolicyError::new(
            path,
            format!("must be a string, got {}", shown(other)),
        )),
    }
}

fn string_list(
    value: &Value,
    path: &str,
    validate: fn(&str) -> Result<(), String>,
) -> Result<Vec<String>, PolicyError> {
    let one = |s: &String, path: &str| {
        validate(s)
            .map(|()| s.clone())
            .map_err(|reason| PolicyError::new(path, reason))
    };
    match value {
        Value::String(s) => Ok(vec![one(s, path)?]),
        Value::Array(items) if items.is_empty() => {
            Err(PolicyError::new(path, "must not be an empty array"))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let item_path = format!("{path}[{i}]");
                match item {
                    Value::String(s) => one(s, &item_path),
                    other => Err(PolicyError::new(
                        item_path,
                        format!("must be a string, got {}", shown(other)),
                    )),
                }
            })
            .collect(),
        other => Err(PolicyError::new(
            path,
            format!(
                "must be a string or an array of strings, got {}",
                shown(other)
            ),
        )),
    }
}

fn valid_action(action: &str) -> Result<(), String> {
    let well_formed = action == "*"
        || action
            .split_once(':')
            .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty());
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "must be \"*\" or \"service:Action\" such as \"s3:GetObject\", got {action:?}"
        ))
    }
}

fn valid_resource(resource: &str) -> Result<(), String> {
    if resource == "*" || resource.starts_with("arn:") {
        Ok(())
    } else {
        Err(format!(
            "must be \"*\" or an ARN such as \"arn:aws:s3:::my-bucket/*\", got {resource:?}"
        ))
    }
}

fn no_check(_: &str) -> Result<(), String> {
    Ok(())
}

fn parse_principal(value: &Value, path: &str) -> Result<PolicyPrincipal, PolicyError> {
    match value {
        Value::String(s) if s == "*" => Ok(PolicyPrincipal::Anyone),
        Value::Object(object) if !object.is_empty() => {
            check_elements(object, path, PRINCIPAL_TYPES)?;
            let mut named = BTreeMap::new();
            for (kind, ids) in object {
                named.insert(kind.clone(), string_list(ids, &at(path, kind), no_check)?);
            }
            Ok(PolicyPrincipal::Named(named))
        }
        other => Err(PolicyError::new(
            path,
            format!(
                "must be \"*\" or an object such as {{\"Service\": \"ecs-tasks.amazonaws.com\"}}, got {}",
                shown(other)
            ),
        )),
    }
}

/// Writes a one-element list as a bare string, the way AWS's own managed
/// policies and most hand-written policies do.
struct OneOrMany<'a>(&'a [String]);

impl Serialize for OneOrMany<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [one] => serializer.serialize_str(one),
            many => many.serialize(serializer),
        }
    }
}

// Hand-written so that elements come out in the order people write them
// (Sid, Effect, Principal, Action, Resource, Condition), not alphabetically.
impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(version) = &self.version {
            map.serialize_entry("Version", version)?;
        }
        if let Some(id) = &self.id {
            map.serialize_entry("Id", id)?;
        }
        map.serialize_entry("Statement", &self.statements)?;
        map.end()
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(sid) = &self.sid {
            map.serialize_entry("Sid", sid)?;
        }
        map.serialize_entry("Effect", &self.effect)?;
        if let Some(principal) = &self.principal {
            map.serialize_entry("Principal", principal)?;
        }
        match &self.actions {
            Actions::Action(list) => map.serialize_entry("Action", &OneOrMany(list))?,
            Actions::NotAction(list) => map.serialize_entry("NotAction", &OneOrMany(list))?,
        }
        match &self.resources {
            Some(Resources::Resource(list)) => map.serialize_entry("Resource", &OneOrMany(list))?,
            Some(Resources::NotResource(list)) => {
                map.serialize_entry("NotResource", &OneOrMany(list))?
            }
            None => {}
        }
        if let Some(condition) = &self.condition {
            map.serialize_entry("Condition", condition)?;
        }
        map.end()
    }
}

impl Serialize for PolicyPrincipal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PolicyPrincipal::Anyone => serializer.serialize_str("*"),
            PolicyPrincipal::Named(named) => {
                let mut map = serializer.serialize_map(Some(named.len()))?;
                for (kind, ids) in named {
                    map.serialize_entry(kind, &OneOrMany(ids))?;
                }
                map.end()
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Matching and evaluation
// ---------------------------------------------------------------------------

/// Whether an `Action` pattern matches an action. IAM compares actions
/// case-insensitively (`S3:getobject` is `s3:GetObject`), with `*` for any
/// run of characters and `?` for exactly one.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, true)
}

/// Whether a `Resource` pattern matches an ARN. Unlike actions, ARNs compare
/// case-sensitively (S3 keys and most resource names are case-sensitive),
/// and `*` runs across `:` and `/`.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    wildcard_match(pattern, resource, false)
}

fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let same = |p: char, t: char| {
        if ignore_case {
            p.to_lowercase().eq(t.to_lowercase())
        } else {
            p == t
        }
    };
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it currently swallows up to:
    // on a mismatch the star takes one more character and matching resumes.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len()
            && pattern[p] != '*'
            && (pattern[p] == '?' || same(pattern[p], text[t]))
        {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

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
        explanation: format!(
            "No statement allows {action} on {resource}: implicitly denied.{nothing_attached}"
        ),
    }
}

// ---------------------------------------------------------------------------
// Roles and trust
// ---------------------------------------------------------------------------

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

impl Role {
    /// A role in `account_id` that `trusted_service` may assume, with no
    /// permissions yet.
    pub fn new(account_id: &str, name: &str, trusted_service: &str) -> Self {
        Role {
            name: name.to_string(),
            arn: format!("arn:aws:iam::{account_id}:role/{name}"),
            trust_policy: trust_policy_for(trusted_service),
            policies: Vec::new(),
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

// ---------------------------------------------------------------------------
// AWS managed policies
// ---------------------------------------------------------------------------

/// When Dockyard last compared the managed policies below with AWS's
/// managed policy reference. AWS adds permissions to these policies over
/// time, so the UI shows this date.
pub const MANAGED_POLICIES_AS_OF: &str = "2026-11-27";

/// An AWS managed policy as data: its text, where it came from, and how
/// sure Dockyard is of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ManagedPolicy {
    pub name: &'static str,
    pub arn: &'static str,
    /// Which role it belongs on, in the course's words.
    pub purpose: &'static str,
    /// AWS's version id of the text below, where Dockyard saw it.
    pub aws_version: Option<&'static str>,
    /// AWS's "edited time" for that version, where Dockyard saw it.
    pub edited: Option<&'static str>,
    /// When Dockyard checked this text.
    pub as_of: &'static str,
    /// What Dockyard could not confirm, shown beside the policy.
    pub uncertainty: Option<&'static str>,
    pub document_json: &'static str,
}

impl ManagedPolicy {
    pub fn document(&self) -> PolicyDocument {
        PolicyDocument::parse(self.document_json)
            .expect("every managed policy's JSON parses; a unit test checks it")
    }
}

/// The names of [`MANAGED_POLICIES`], in the same order.
pub const MANAGED_POLICY_NAMES: [&str; 7] = [
    "AmazonECSTaskExecutionRolePolicy",
    "AmazonEC2ContainerServiceforEC2Role",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEKSFargatePodExecutionRolePolicy",
    "AmazonEKS_CNI_Policy",
];

/// The AWS managed policies a container course needs (rules §4.1), copied
/// from AWS's managed policy reference and the ECS developer guide.
pub const MANAGED_POLICIES: [ManagedPolicy; 7] = [
    ManagedPolicy {
        name: "AmazonECSTaskExecutionRolePolicy",
        arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        purpose: "Task execution role: pull from ECR and write awslogs for the ECS agent.",
        aws_version: None,
        edited: None,
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: Some("The actions match the ECS developer guide and the AWS Batch guide; Dockyard did not see AWS's version id or edit date for this policy."),
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": "*"
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerServiceforEC2Role",
        arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        purpose: "ECS container instance role: register with the cluster, poll for work, pull from ECR and ship logs when a task has no execution role.",
        aws_version: None,
        edited: Some("2023-03-06"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: Some("This is the text the ECS developer guide published after the 2023-03-06 change that added ecs:TagResource. AWS now lists version v10, edited 2026-02-12, whose text Dockyard has not seen."),
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeTags",
        "ecs:CreateCluster",
        "ecs:DeregisterContainerInstance",
        "ecs:DiscoverPollEndpoint",
        "ecs:Poll",
        "ecs:RegisterContainerInstance",
        "ecs:StartTelemetrySession",
        "ecs:UpdateContainerInstancesState",
        "ecs:Submit*",
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "ecs:TagResource",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "ecs:CreateAction": [
            "CreateCluster",
            "RegisterContainerInstance"
          ]
        }
      }
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEKSWorkerNodePolicy",
        arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        purpose: "EKS node role: let the kubelet describe EC2 and the cluster, and serve EKS Pod Identity.",
        aws_version: Some("v3"),
        edited: Some("2023-11-27"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "WorkerNodePermissions",
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVolumes",
        "ec2:DescribeVolumesModifications",
        "ec2:DescribeVpcs",
        "eks:DescribeCluster",
        "eks-auth:AssumeRoleForPodIdentity"
      ],
      "Resource": "*"
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerRegistryReadOnly",
        arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        purpose: "Read every ECR repository: pull images and read repository metadata. EKS node roles used it before PullOnly existed.",
        aws_version: Some("v3"),
        edited: Some("2019-12-10"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:GetRepositoryPolicy",
        "ecr:DescribeRepositories",
        "ecr:ListImages",
        "ecr:DescribeImages",
        "ecr:BatchGetImage",
        "ecr:GetLifecyclePolicy",
        "ecr:GetLifecyclePolicyPreview",
        "ecr:ListTagsForResource",
        "ecr:DescribeImageScanFindings"
      ],
      "Resource": "*"
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEC2ContainerRegistryPullOnly",
        arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        purpose: "EKS node role: pull images from ECR and nothing more.",
        aws_version: Some("v1"),
        edited: Some("2024-10-04"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: Some("Dockyard saw the first three actions (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) in AWS's reference; the text it saw was cut off at the fourth, which Dockyard takes to be ecr:BatchImportUpstreamImage (pull through cache) without having confirmed it. It does not include ecr:BatchCheckLayerAvailability, which only pushes need."),
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchImportUpstreamImage"
      ],
      "Resource": "*"
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEKSFargatePodExecutionRolePolicy",
        arn: "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy",
        purpose: "EKS Fargate pod execution role: pull the pod's images from ECR.",
        aws_version: Some("v1"),
        edited: Some("2019-11-22"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage"
      ],
      "Resource": "*"
    }
  ]
}"#,
    },
    ManagedPolicy {
        name: "AmazonEKS_CNI_Policy",
        arn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        purpose: "The VPC CNI plugin: attach network interfaces and assign pod IP addresses. Better on an IRSA or Pod Identity role for the aws-node service account than on the node role.",
        aws_version: Some("v5"),
        edited: Some("2024-03-04"),
        as_of: MANAGED_POLICIES_AS_OF,
        uncertainty: None,
        document_json: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AmazonEKSCNIPolicy",
      "Effect": "Allow",
      "Action": [
        "ec2:AssignPrivateIpAddresses",
        "ec2:AttachNetworkInterface",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeInstances",
        "ec2:DescribeTags",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeSubnets",
        "ec2:DetachNetworkInterface",
        "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:UnassignPrivateIpAddresses"
      ],
      "Resource": "*"
    },
    {
      "Sid": "AmazonEKSCNIPolicyENITag",
      "Effect": "Allow",
      "Action": [
        "ec2:CreateTags"
      ],
      "Resource": [
        "arn:aws:ec2:*:*:network-interface/*"
      ]
    }
  ]
}"#,
    },
];

/// The document of the AWS managed policy called `name`, if Dockyard has it.
pub fn managed_policy(name: &str) -> Option<PolicyDocument> {
    managed_policy_info(name).map(ManagedPolicy::document)
}

/// The AWS managed policy called `name` with its provenance.
pub fn managed_policy_info(name: &str) -> Option<&'static ManagedPolicy> {
    MANAGED_POLICIES.iter().find(|policy| policy.name == name)
}

// ---------------------------------------------------------------------------
// Application calls
// ---------------------------------------------------------------------------

/// The account and Region that ARNs are built in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsContext {
    pub account_id: String,
    pub region: String,
}

impl AwsContext {
    pub fn new(account_id: &str, region: &str) -> Self {
        AwsContext {
            account_id: account_id.to_string(),
            region: region.to_string(),
        }
    }
}

/// One IAM action on one resource: what a policy is asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionRequest {
    pub action: String,
    pub resource: String,
}

impl ActionRequest {
    pub fn new(action: &str, resource: &str) -> Self {
        ActionRequest {
            action: action.to_string(),
            resource: resource.to_string(),
        }
    }
}

/// Something a container needs done in AWS, written the way a learner
/// types it (see [`AppCall::parse`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum AppCall {
    /// `read s3://BUCKET/KEY`: the application reads an object.
    ReadObject { bucket: String, key: String },
    /// `write s3://BUCKET/KEY`: the application writes an object.
    WriteObject { bucket: String, key: String },
    /// `put-item dynamodb://TABLE`, or `dynamodb:PutItem on table TABLE`.
    PutItem { table: String },
    /// `connect rds://DB-RESOURCE-ID/DB-USER`: RDS IAM database
    /// authentication. The id is the database's resource id
    /// (`db-ABCDEFGHIJKLMNOPQRSTUVWXYZ`, `cluster-...` for Aurora), not its
    /// name: a policy written with the name silently never matches.
    ConnectToDatabase {
        db_resource_id: String,
        db_user: String,
    },
    /// `get-secret SECRET-ARN`: the application reads a secret itself.
    /// A secret encrypted with a customer managed KMS key also needs
    /// `kms:Decrypt`, which Dockyard does not check.
    GetSecret { secret_arn: String },
    /// `inject-secret SECRET-ARN`: ECS puts a secret into the container's
    /// environment at start (`secrets` in the task definition), which is
    /// never the task role's job (rules §10 point 3).
    InjectSecret { secret_arn: String },
    /// `registry-login SECRET-ARN`: ECS reads the Docker credentials a
    /// container's `repositoryCredentials` names, to pull from a private
    /// or rate-limited registry such as Docker Hub. Like injected secrets,
    /// the execution role's job on every launch type.
    RegistryLogin { secret_arn: String },
    /// `pull IMAGE`: pull a private ECR image, given as an image URI or as
    /// `ecr://REPOSITORY` for the account's own registry.
    PullImage {
        repository: String,
        /// Set when the image URI names another account's or Region's
        /// registry.
        registry: Option<AwsContext>,
    },
    /// `ship-logs LOG-GROUP [STREAM]`: the awslogs driver writes logs.
    ShipLogs {
        log_group: String,
        log_stream: String,
    },
    /// `SERVICE:ACTION on ARN`: any other call.
    Other { action: String, resource: String },
}

/// Text that [`AppCall::parse`] could not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppCallError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for AppCallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\": {}", self.input, self.reason)
    }
}

impl std::error::Error for AppCallError {}

const APP_CALL_FORMS: &str = "expected one of: read s3://BUCKET/KEY, write s3://BUCKET/KEY, put-item dynamodb://TABLE, connect rds://DB-RESOURCE-ID/DB-USER, get-secret SECRET-ARN, inject-secret SECRET-ARN, registry-login SECRET-ARN, pull IMAGE, ship-logs LOG-GROUP [STREAM], or SERVICE:ACTION on ARN";

/// The default stream name when a learner names only the log group; the
/// awslogs driver names real streams `prefix/container/task-id`.
const DEFAULT_LOG_STREAM: &str = "app/app/task-id";

impl AppCall {
    /// Reads a call such as `read s3://bucket/key`. The forms are listed in
    /// the error for anything else.
    pub fn parse(text: &str) -> Result<AppCall, AppCallError> {
        let text = text.trim();
        let fail = |reason: String| AppCallError {
            input: text.to_string(),
            reason,
        };
        let (verb, rest) = match text.split_once(char::is_whitespace) {
            Some((verb, rest)) => (verb, rest.trim()),
            None => (text, ""),
        };
        match verb.to_ascii_lowercase().as_str() {
            "read" | "write" => {
                let (bucket, key) = parse_s3_object(rest).map_err(fail)?;
                Ok(if verb.eq_ignore_ascii_case("read") {
                    AppCall::ReadObject { bucket, key }
                } else {
                    AppCall::WriteObject { bucket, key }
                })
            }
            "put-item" => {
                let table = rest
                    .strip_prefix("dynamodb://")
                    .filter(|table| !table.is_empty() && !table.contains('/'))
                    .ok_or_else(|| fail("put-item needs dynamodb://TABLE".to_string()))?;
                Ok(AppCall::PutItem {
                    table: table.to_string(),
                })
            }
            "connect" => {
                let (db_resource_id, db_user) = rest
                    .strip_prefix("rds://")
                    .and_then(|target| target.split_once('/'))
                    .filter(|(id, user)| !id.is_empty() && !user.is_empty() && !user.contains('/'))
                    .ok_or_else(|| {
                        fail("connect needs rds://DB-RESOURCE-ID/DB-USER".to_string())
                    })?;
                Ok(AppCall::ConnectToDatabase {
                    db_resource_id: db_resource_id.to_string(),
                    db_user: db_user.to_string(),
                })
            }
            "get-secret" | "inject-secret" | "registry-login" => {
                check_secret_arn(rest).map_err(fail)?;
                let secret_arn = rest.to_string();
                Ok(match verb.to_ascii_lowercase().as_str() {
                    "get-secret" => AppCall::GetSecret { secret_arn },
                    "inject-secret" => AppCall::InjectSecret { secret_arn },
                    _ => AppCall::RegistryLogin { secret_arn },
                })
            }
            "pull" => {
                let (repository, registry) = parse_ecr_image(rest).map_err(fail)?;
                Ok(AppCall::PullImage {
                    repository,
                    registry,
                })
            }
            "ship-logs" => {
                let mut words = rest.split_whitespace();
                let log_group = words
                    .next()
                    .ok_or_else(|| fail("ship-logs needs a LOG-GROUP".to_string()))?;
                let log_stream = words.next().unwrap_or(DEFAULT_LOG_STREAM);
                if words.next().is_some() {
                    return Err(fail(
                        "ship-logs takes a LOG-GROUP and an optional STREAM".to_string(),
                    ));
                }
                Ok(AppCall::ShipLogs {
                    log_group: log_group.to_string(),
                    log_stream: log_stream.to_string(),
                })
            }
            _ => {
                let Some((action, target)) = text.split_once(" on ") else {
                    return Err(fail(format!("unknown call; {APP_CALL_FORMS}")));
                };
                let (action, target) = (action.trim(), target.trim());
                valid_action(action).map_err(|reason| fail(format!("the action {reason}")))?;
                if let Some(table) = target.strip_prefix("table ") {
                    let table = table.trim();
                    if action.eq_ignore_ascii_case("dynamodb:PutItem") && !table.is_empty() {
                        return Ok(AppCall::PutItem {
                            table: table.to_string(),
                        });
                    }
                }
                valid_resource(target).map_err(|reason| fail(format!("the resource {reason}")))?;
                Ok(AppCall::Other {
                    action: action.to_string(),
                    resource: target.to_string(),
                })
            }
        }
    }

    /// Which kind of call this is for [`principals::who_calls`]: the agent's
    /// work (pull, logs, injected secrets) or the application's own.
    pub fn kind(&self) -> Call {
        match self {
            AppCall::PullImage { .. } => Call::PullPrivateEcrImage,
            AppCall::ShipLogs { .. } => Call::ShipLogs,
            AppCall::InjectSecret { .. } => Call::FetchSecrets,
            AppCall::RegistryLogin { .. } => Call::PrivateRegistryAuth,
            AppCall::ReadObject { .. }
            | AppCall::WriteObject { .. }
            | AppCall::PutItem { .. }
            | AppCall::ConnectToDatabase { .. }
            | AppCall::GetSecret { .. }
            | AppCall::Other { .. } => Call::ApplicationSdkCall,
        }
    }

    /// Every IAM action the call needs, each on its resource ARN. All of
    /// them must be allowed for the call to succeed.
    pub fn required_actions(&self, context: &AwsContext) -> Vec<ActionRequest> {
        let AwsContext { account_id, region } = context;
        match self {
            AppCall::ReadObject { bucket, key } => vec![ActionRequest::new(
                "s3:GetObject",
                &format!("arn:aws:s3:::{bucket}/{key}"),
            )],
            AppCall::WriteObject { bucket, key } => vec![ActionRequest::new(
                "s3:PutObject",
                &format!("arn:aws:s3:::{bucket}/{key}"),
            )],
            AppCall::PutItem { table } => vec![ActionRequest::new(
                "dynamodb:PutItem",
                &format!("arn:aws:dynamodb:{region}:{account_id}:table/{table}"),
            )],
            AppCall::ConnectToDatabase {
                db_resource_id,
                db_user,
            } => vec![ActionRequest::new(
                "rds-db:connect",
                &format!("arn:aws:rds-db:{region}:{account_id}:dbuser:{db_resource_id}/{db_user}"),
            )],
            AppCall::GetSecret { secret_arn }
            | AppCall::InjectSecret { secret_arn }
            | AppCall::RegistryLogin { secret_arn } => {
                vec![ActionRequest::new(
                    "secretsmanager:GetSecretValue",
                    secret_arn,
                )]
            }
            AppCall::PullImage {
                repository,
                registry,
            } => {
                let registry = registry.as_ref().unwrap_or(context);
                ecr_pull_actions(&ecr_repository_arn(registry, repository))
            }
            // ⚠ Dockyard checks both actions against the stream's ARN; AWS's
            // action table lists CreateLogStream against the log group.
            // Policies written `log-group:NAME:*` allow both either way.
            AppCall::ShipLogs {
                log_group,
                log_stream,
            } => {
                let stream = format!(
                    "arn:aws:logs:{region}:{account_id}:log-group:{log_group}:log-stream:{log_stream}"
                );
                vec![
                    ActionRequest::new("logs:CreateLogStream", &stream),
                    ActionRequest::new("logs:PutLogEvents", &stream),
                ]
            }
            AppCall::Other { action, resource } => vec![ActionRequest::new(action, resource)],
        }
    }
}

impl fmt::Display for AppCall {
    /// The canonical text of the call, which [`AppCall::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppCall::ReadObject { bucket, key } => write!(f, "read s3://{bucket}/{key}"),
            AppCall::WriteObject { bucket, key } => write!(f, "write s3://{bucket}/{key}"),
            AppCall::PutItem { table } => write!(f, "put-item dynamodb://{table}"),
            AppCall::ConnectToDatabase {
                db_resource_id,
                db_user,
            } => write!(f, "connect rds://{db_resource_id}/{db_user}"),
            AppCall::GetSecret { secret_arn } => write!(f, "get-secret {secret_arn}"),
            AppCall::InjectSecret { secret_arn } => write!(f, "inject-secret {secret_arn}"),
            AppCall::RegistryLogin { secret_arn } => write!(f, "registry-login {secret_arn}"),
            AppCall::PullImage {
                repository,
                registry: None,
            } => write!(f, "pull ecr://{repository}"),
            AppCall::PullImage {
                repository,
                registry: Some(AwsContext { account_id, region }),
            } => write!(
                f,
                "pull {account_id}.dkr.ecr.{region}.amazonaws.com/{repository}"
            ),
            AppCall::ShipLogs {
                log_group,
                log_stream,
            } => write!(f, "ship-logs {log_group} {log_stream}"),
            AppCall::Other { action, resource } => write!(f, "{action} on {resource}"),
        }
    }
}

impl FromStr for AppCall {
    type Err = AppCallError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        AppCall::parse(text)
    }
}

/// The ARN of an ECR repository.
pub fn ecr_repository_arn(registry: &AwsContext, repository: &str) -> String {
    format!(
        "arn:aws:ecr:{}:{}:repository/{repository}",
        registry.region, registry.account_id
    )
}

/// What pulling a private ECR image asks of IAM: a registry-wide login
/// token (`GetAuthorizationToken` has no resource but `*`), then the
/// manifest and the layers from the repository itself.
pub fn ecr_pull_actions(repository_arn: &str) -> Vec<ActionRequest> {
    vec![
        ActionRequest::new("ecr:GetAuthorizationToken", "*"),
        ActionRequest::new("ecr:BatchGetImage", repository_arn),
        ActionRequest::new("ecr:GetDownloadUrlForLayer", repository_arn),
    ]
}

fn parse_s3_object(target: &str) -> Result<(String, String), String> {
    target
        .strip_prefix("s3://")
        .and_then(|path| path.split_once('/'))
        .filter(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
        .map(|(bucket, key)| (bucket.to_string(), key.to_string()))
        .ok_or_else(|| format!("needs s3://BUCKET/KEY, got {target:?}"))
}

fn check_secret_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let well_formed = parts.len() == 7
        && parts[0] == "arn"
        && parts[2] == "secretsmanager"
        && parts[5] == "secret"
        && !parts[6].is_empty();
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "needs a Secrets Manager ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf, got {arn:?}"
        ))
    }
}

/// Reads `ecr://REPO[:TAG]` or `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG|@DIGEST]`.
fn parse_ecr_image(image: &str) -> Result<(String, Option<AwsContext>), String> {
    let strip_reference = |path: &str| -> String {
        let path = path.split('@').next().unwrap_or(path);
        let name_start = path.rfind('/').map_or(0, |slash| slash + 1);
        match path[name_start..].find(':') {
            Some(colon) => path[..name_start + colon].to_string(),
            None => path.to_string(),
        }
    };
    if let Some(path) = image.strip_prefix("ecr://") {
        let repository = strip_reference(path);
        return if repository.is_empty() {
            Err("pull needs ecr://REPOSITORY or an ECR image URI".to_string())
        } else {
            Ok((repository, None))
        };
    }
    let (host, path) = image.split_once('/').unwrap_or((image, ""));
    let labels: Vec<&str> = host.split('.').collect();
    let is_ecr = labels.len() >= 6
        && labels[0].len() == 12
        && labels[0].bytes().all(|b| b.is_ascii_digit())
        && labels[1] == "dkr"
        && labels[2] == "ecr"
        && labels[4] == "amazonaws";
    if !is_ecr {
        return Err(format!(
            "{image:?} is not a private ECR image; public registries such as Docker Hub need no IAM permission"
        ));
    }
    let repository = strip_reference(path);
    if repository.is_empty() {
        return Err(format!("{image:?} names no repository"));
    }
    Ok((repository, Some(AwsContext::new(labels[0], labels[3]))))
}

// ---------------------------------------------------------------------------
// Simulation: who makes the call, and is it allowed?
// ---------------------------------------------------------------------------

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

/// Simulates `call` made with `role`'s credentials; `None` means the caller
/// has no credentials ([`Principal::Nobody`]), so no policy is consulted.
pub fn simulate(call: &AppCall, context: &AwsContext, role: Option<&Role>) -> CallOutcome {
    let Some(role) = role else {
        return CallOutcome::without_iam(
            Access::NoCredentials,
            format!("No credentials: nothing can sign the request to {call}, so AWS refuses it before reading any policy."),
        );
    };
    let checks: Vec<CheckedAction> = call
        .required_actions(context)
        .into_iter()
        .map(|request| CheckedAction {
            decision: role.evaluate(&request.action, &request.resource),
            request,
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
) -> CallCheck {
    let answer = principals::who_calls(platform, call.kind(), setup);
    let principal = answer.principal;
    let (outcome, explanation) = match principal {
        Principal::NotApplicable => (
            CallOutcome::without_iam(Access::NotAnIamCall, answer.why.to_string()),
            answer.why.to_string(),
        ),
        Principal::Nobody => {
            let outcome = simulate(call, context, None);
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
            Some(role) if !role.can_act_as(principal) => {
                let trusted = trusted_service_for(principal).map_or_else(
                    || format!("{EKS_POD_IDENTITY_SERVICE} (EKS Pod Identity) or an OIDC provider (IRSA)"),
                    str::to_string,
                );
                let explanation = format!(
                    "The {} \"{}\" makes this call, but its trust policy does not trust {trusted}, so the role cannot be assumed: no credentials.",
                    principal.label(),
                    role.name
                );
                let mut outcome =
                    CallOutcome::without_iam(Access::UntrustedRole, explanation.clone());
                outcome.role = Some(role.name.clone());
                (outcome, explanation)
            }
            Some(role) => {
                let outcome = simulate(call, context, Some(role));
                let explanation = format!(
                    "The {} \"{}\" makes this call. {} {}",
                    principal.label(),
                    role.name,
                    answer.why,
                    outcome.explanation
                );
                (outcome, explanation)
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

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "123456789012";

    fn context() -> AwsContext {
        AwsContext::new(ACCOUNT, "eu-west-1")
    }

    fn document(json: &str) -> PolicyDocument {
        PolicyDocument::parse(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn parse_error(json: &str) -> String {
        PolicyDocument::parse(json)
            .expect_err("the policy should be rejected")
            .to_string()
    }

    // --- parsing ---------------------------------------------------------

    #[test]
    fn a_single_statement_object_parses_like_a_one_element_array() {
        let object = document(
            r#"{"Version": "2012-10-17",
                "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#,
        );
        let array = document(
            r#"{"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}"#,
        );
        assert_eq!(object, array);
        assert_eq!(object.statements.len(), 1);
        assert!(evaluate(&[("p", &object)], "s3:GetObject", "arn:aws:s3:::b/k").is_allowed());
    }

    #[test]
    fn effect_is_case_sensitive_and_the_error_names_the_path() {
        let error = parse_error(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "allow", "Action": "s3:PutObject", "Resource": "*"}]}"#,
        );
        assert_eq!(
            error,
            r#"Statement[1].Effect: must be "Allow" or "Deny", got "allow""#
        );
    }

    #[test]
    fn malformed_policies_name_the_offending_field() {
        let cases = [
            (r#"{"Version": "2012-10-17"}"#, "Statement"),
            (r#"{"Version": "2012-10-18", "Statement": []}"#, "Version"),
            (
                r#"{"Statement": {"Action": "s3:*", "Resource": "*"}}"#,
                "Statement.Effect",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
                "Statement[0]",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", 5], "Resource": "*"}]}"#,
                "Statement[0].Action[1]",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}"#,
                "Statement[0].Action",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["*", "my-bucket"]}]}"#,
                "Statement[0].Resource[1]",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}]}"#,
                "Statement[0].NotAction",
            ),
            (
                r#"{"Statement": [{"effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
                "Statement[0].effect",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": "yes"}]}"#,
                "Statement[0].Condition",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Principal": {"service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
                "Statement[0].Principal.service",
            ),
            (r#"{"Statement": [42]}"#, "Statement[0]"),
        ];
        for (json, path) in cases {
            let error = PolicyDocument::parse(json).expect_err(json);
            assert_eq!(error.path, path, "{json}: {error}");
            assert!(!error.reason.is_empty());
        }
    }

    #[test]
    fn a_lowercase_element_name_gets_a_suggestion() {
        let error = parse_error(
            r#"{"Statement": [{"effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        );
        assert!(error.contains("did you mean \"Effect\""), "{error}");
    }

    #[test]
    fn invalid_json_is_reported_without_a_path() {
        let error = PolicyDocument::parse("{\"Statement\": [").expect_err("truncated");
        assert_eq!(error.path, "");
        assert!(
            error.reason.starts_with("not valid JSON"),
            "{}",
            error.reason
        );
    }

    #[test]
    fn serializing_and_parsing_again_gives_the_same_document() {
        for policy in MANAGED_POLICIES {
            let original = policy.document();
            let written = serde_json::to_string(&original).expect("serializes");
            assert_eq!(document(&written), original, "{}", policy.name);
        }
        let trust = trust_policy_for(ECS_TASKS_SERVICE);
        assert_eq!(document(&trust.to_json_pretty()), trust);
    }

    #[test]
    fn serialization_writes_elements_in_the_usual_order_and_lists_as_strings() {
        let written = serde_json::to_string(&PolicyDocument::new(vec![Statement::allow(
            &["s3:GetObject"],
            &["arn:aws:s3:::b/*"],
        )
        .with_sid("Read")]))
        .expect("serializes");
        assert_eq!(
            written,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
        );
    }

    #[test]
    fn serde_deserialization_uses_the_same_checks() {
        let error = serde_json::from_str::<PolicyDocument>(
            r#"{"Statement": {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}}"#,
        )
        .expect_err("Permit is not an effect")
        .to_string();
        assert!(error.starts_with("Statement.Effect: must be"), "{error}");
    }

    #[test]
    fn identity_policies_need_resources_and_no_principal() {
        let trust = trust_policy_for(EC2_SERVICE);
        assert_eq!(
            trust
                .check_identity_policy()
                .expect_err("a trust policy")
                .path,
            "Statement[0].Principal"
        );
        let no_resource = document(r#"{"Statement": {"Effect": "Allow", "Action": "s3:*"}}"#);
        assert_eq!(
            no_resource
                .check_identity_policy()
                .expect_err("no Resource")
                .path,
            "Statement[0]"
        );
        for policy in MANAGED_POLICIES {
            assert_eq!(
                policy.document().check_identity_policy(),
                Ok(()),
                "{}",
                policy.name
            );
        }
    }

    // --- matching and evaluation -----------------------------------------

    #[test]
    fn explicit_deny_beats_allow_and_the_explanation_names_the_statement() {
        let admin = PolicyDocument::new(vec![Statement::allow(&["*"], &["*"])]);
        let guardrails = PolicyDocument::new(vec![
            Statement::allow(&["s3:GetObject"], &["*"]),
            Statement::deny(&["s3:Delete*"], &["*"]).with_sid("DenyDeletes"),
        ]);
        let decision = evaluate(
            &[("admin", &admin), ("guardrails", &guardrails)],
            "s3:DeleteObject",
            "arn:aws:s3:::bucket/key",
        );
        assert_eq!(decision.effect, DecisionEffect::ExplicitlyDenied);
        assert_eq!(
            decision.deciding,
            Some(StatementRef {
                policy: "guardrails".to_string(),
                index: 1,
                sid: Some("DenyDeletes".to_string()),
                has_condition: false,
            })
        );
        assert_eq!(
            decision.explanation,
            "Denied by statement \"DenyDeletes\" (#2) of policy \"guardrails\": explicit deny wins over any allow."
        );
        // The deny still loses nothing when listed first.
        let reversed = evaluate(
            &[("guardrails", &guardrails), ("admin", &admin)],
            "s3:DeleteObject",
            "arn:aws:s3:::bucket/key",
        );
        assert_eq!(reversed.effect, DecisionEffect::ExplicitlyDenied);
    }

    #[test]
    fn nothing_allowing_means_implicitly_denied() {
        let policy = PolicyDocument::new(vec![Statement::allow(
            &["s3:PutObject"],
            &["arn:aws:s3:::bucket/*"],
        )]);
        let decision = evaluate(&[("p", &policy)], "s3:GetObject", "arn:aws:s3:::bucket/key");
        assert_eq!(decision.effect, DecisionEffect::ImplicitlyDenied);
        assert_eq!(decision.deciding, None);
        assert_eq!(
            decision.explanation,
            "No statement allows s3:GetObject on arn:aws:s3:::bucket/key: implicitly denied."
        );
        let empty = evaluate(&[], "s3:GetObject", "arn:aws:s3:::bucket/key");
        assert_eq!(empty.effect, DecisionEffect::ImplicitlyDenied);
        assert!(empty.explanation.contains("no policies attached"));
    }

    #[test]
    fn action_wildcards_match_case_insensitively() {
        assert!(action_matches("ecr:Get*", "ecr:GetAuthorizationToken"));
        assert!(action_matches("ecr:Get*", "ECR:getdownloadurlforlayer"));
        assert!(action_matches("S3:*", "s3:PutObject"));
        assert!(action_matches("*", "dynamodb:PutItem"));
        assert!(action_matches("s3:?etObject", "s3:GetObject"));
        assert!(!action_matches("ecr:Get*", "ecr:BatchGetImage"));
        assert!(!action_matches("s3:?etObject", "s3:GgetObject"));
        assert!(!action_matches("s3:*", "s3control:ListJobs"));

        let policy = document(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ECR:get*", "Resource": "*"}}"#,
        );
        assert!(evaluate(&[("p", &policy)], "ecr:GetAuthorizationToken", "*").is_allowed());
    }

    #[test]
    fn resource_wildcards_are_case_sensitive_and_span_separators() {
        assert!(resource_matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b/c.txt"
        ));
        assert!(resource_matches(
            "arn:aws:ecr:*:123456789012:repository/*",
            "arn:aws:ecr:eu-west-1:123456789012:repository/team/web"
        ));
        assert!(resource_matches("arn:aws:s3:::log-?", "arn:aws:s3:::log-a"));
        assert!(!resource_matches(
            "arn:aws:s3:::log-?",
            "arn:aws:s3:::log-ab"
        ));
        assert!(!resource_matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::Bucket/key"
        ));
        assert!(!resource_matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket"
        ));
        assert!(resource_matches("*", "*"));

        let policy = PolicyDocument::new(vec![Statement::allow(
            &["s3:GetObject"],
            &["arn:aws:s3:::reports/2026/*"],
        )]);
        let allowed = |resource: &str| evaluate(&[("p", &policy)], "s3:GetObject", resource);
        assert!(allowed("arn:aws:s3:::reports/2026/jan.csv").is_allowed());
        assert!(!allowed("arn:aws:s3:::reports/2025/jan.csv").is_allowed());
        assert!(!allowed("arn:aws:s3:::REPORTS/2026/jan.csv").is_allowed());
    }

    #[test]
    fn not_action_allows_everything_except_what_it_lists() {
        let policy = document(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#,
        );
        let policies = [("power-user", &policy)];
        let decision = evaluate(
            &policies,
            "dynamodb:DeleteTable",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
        );
        assert!(decision.is_allowed());
        assert_eq!(
            decision.deciding.as_ref().and_then(|s| s.sid.as_deref()),
            Some("AllButIam")
        );
        let iam = evaluate(&policies, "IAM:CreateUser", "*");
        assert_eq!(iam.effect, DecisionEffect::ImplicitlyDenied);
    }

    #[test]
    fn not_resource_denies_everything_outside_the_listed_resources() {
        let policy = document(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Sid": "OnlyOurBucket", "Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::ours", "arn:aws:s3:::ours/*"]}]}"#,
        );
        let policies = [("p", &policy)];
        assert!(evaluate(&policies, "s3:GetObject", "arn:aws:s3:::ours/k").is_allowed());
        let theirs = evaluate(&policies, "s3:GetObject", "arn:aws:s3:::theirs/k");
        assert_eq!(theirs.effect, DecisionEffect::ExplicitlyDenied);
        assert!(theirs.explanation.contains("\"OnlyOurBucket\" (#2)"));
    }

    #[test]
    fn a_deciding_statement_with_a_condition_says_conditions_are_not_evaluated() {
        let ec2_role = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE)
            .with_managed_policy("AmazonEC2ContainerServiceforEC2Role")
            .expect("known policy");
        let tag = ec2_role.evaluate(
            "ecs:TagResource",
            "arn:aws:ecs:eu-west-1:123456789012:cluster/default",
        );
        assert!(tag.is_allowed());
        assert_eq!(
            tag.deciding.as_ref().map(|s| (s.index, s.has_condition)),
            Some((1, true))
        );
        assert!(
            tag.explanation
                .contains("Dockyard does not evaluate conditions"),
            "{}",
            tag.explanation
        );

        let poll = ec2_role.evaluate("ecs:Poll", "*");
        assert!(poll.is_allowed());
        assert!(!poll.explanation.contains("Condition"));
    }

    #[test]
    fn an_unconditional_statement_is_preferred_as_the_deciding_one() {
        let policy = document(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Sid": "IfTagged", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "web"}}},
                {"Sid": "Always", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        );
        let decision = evaluate(&[("p", &policy)], "s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(
            decision.deciding.and_then(|s| s.sid),
            Some("Always".to_string())
        );
        assert!(!decision.explanation.contains("Condition"));
    }

    // --- roles and trust ---------------------------------------------------

    #[test]
    fn trust_policies_decide_which_service_can_assume_a_role() {
        let task = Role::new(ACCOUNT, "app-task", ECS_TASKS_SERVICE);
        assert_eq!(task.arn, "arn:aws:iam::123456789012:role/app-task");
        assert!(task.trusts(ECS_TASKS_SERVICE));
        assert!(!task.trusts(EC2_SERVICE));
        assert!(task.can_act_as(Principal::TaskRole));
        assert!(task.can_act_as(Principal::TaskExecutionRole));
        assert!(!task.can_act_as(Principal::ContainerInstanceRole));

        let instance = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE);
        assert!(instance.trusts(EC2_SERVICE));
        assert!(instance.can_act_as(Principal::NodeRole));
        assert!(!instance.trusts(ECS_TASKS_SERVICE));

        let pods = Role::new(ACCOUNT, "fargate-pods", EKS_FARGATE_PODS_SERVICE);
        assert!(pods.trusts(EKS_FARGATE_PODS_SERVICE));
        assert!(pods.can_act_as(Principal::PodExecutionRole));
        assert!(!pods.can_act_as(Principal::TaskRole));
    }

    #[test]
    fn trust_needs_sts_assume_role_and_honours_deny() {
        let wrong_action = Role {
            trust_policy: document(
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:TagSession"}}"#,
            ),
            ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
        };
        assert!(!wrong_action.trusts(ECS_TASKS_SERVICE));

        let denied = Role {
            trust_policy: document(
                r#"{"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:*"},
                    {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
                     "Condition": {"StringNotEquals": {"aws:SourceAccount": "123456789012"}}}]}"#,
            ),
            ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
        };
        // The deny's condition is not evaluated, so Dockyard errs on the side of the deny.
        assert!(!denied.trusts(ECS_TASKS_SERVICE));

        let listed = Role {
            trust_policy: document(
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                    "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": "sts:AssumeRole"}}"#,
            ),
            ..Role::new(ACCOUNT, "r", ECS_TASKS_SERVICE)
        };
        assert!(listed.trusts(ECS_TASKS_SERVICE) && listed.trusts(EC2_SERVICE));
        assert!(!listed.trusts(EKS_FARGATE_PODS_SERVICE));
    }

    #[test]
    fn service_account_roles_trust_pod_identity_or_an_oidc_provider() {
        let pod_identity = Role::new(ACCOUNT, "app", EKS_POD_IDENTITY_SERVICE);
        assert!(pod_identity.can_act_as(Principal::ServiceAccountRole));
        assert!(pod_identity.trust_policy.statements[0]
            .actions
            .matches("sts:TagSession"));

        let irsa = Role {
            trust_policy: document(
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
                    "Action": "sts:AssumeRoleWithWebIdentity"}}"#,
            ),
            ..Role::new(ACCOUNT, "app", ECS_TASKS_SERVICE)
        };
        assert!(irsa.trusts_web_identity());
        assert!(irsa.can_act_as(Principal::ServiceAccountRole));
        assert!(
            !Role::new(ACCOUNT, "app", ECS_TASKS_SERVICE).can_act_as(Principal::ServiceAccountRole)
        );
    }

    // --- managed policies --------------------------------------------------

    #[test]
    fn every_managed_policy_parses_and_is_listed_by_name() {
        let names: Vec<&str> = MANAGED_POLICIES.iter().map(|p| p.name).collect();
        assert_eq!(names, MANAGED_POLICY_NAMES);
        for name in MANAGED_POLICY_NAMES {
            let info = managed_policy_info(name).expect("listed");
            assert!(info.arn.ends_with(name), "{}", info.arn);
            assert_eq!(info.as_of, MANAGED_POLICIES_AS_OF);
            assert!(managed_policy(name).is_some());
        }
        assert_eq!(managed_policy("AdministratorAccess"), None);
        assert!(Role::new(ACCOUNT, "r", EC2_SERVICE)
            .with_managed_policy("AdministratorAccess")
            .is_err());
    }

    #[test]
    fn managed_policies_allow_their_real_actions_and_nothing_else() {
        let allows = |name: &str, action: &str| {
            let document = managed_policy(name).expect("known policy");
            evaluate(&[(name, &document)], action, "*").is_allowed()
        };
        assert!(allows(
            "AmazonECSTaskExecutionRolePolicy",
            "logs:PutLogEvents"
        ));
        assert!(!allows(
            "AmazonECSTaskExecutionRolePolicy",
            "secretsmanager:GetSecretValue"
        ));
        assert!(allows(
            "AmazonEC2ContainerServiceforEC2Role",
            "ecs:SubmitTaskStateChange"
        ));
        assert!(!allows(
            "AmazonEC2ContainerServiceforEC2Role",
            "s3:GetObject"
        ));
        assert!(allows(
            "AmazonEKSWorkerNodePolicy",
            "eks-auth:AssumeRoleForPodIdentity"
        ));
        assert!(!allows("AmazonEKSWorkerNodePolicy", "ecr:BatchGetImage"));
        assert!(allows(
            "AmazonEC2ContainerRegistryReadOnly",
            "ecr:DescribeImageScanFindings"
        ));
        assert!(!allows(
            "AmazonEC2ContainerRegistryReadOnly",
            "ecr:PutImage"
        ));
        assert!(allows(
            "AmazonEC2ContainerRegistryPullOnly",
            "ecr:GetDownloadUrlForLayer"
        ));
        assert!(!allows(
            "AmazonEC2ContainerRegistryPullOnly",
            "ecr:DescribeRepositories"
        ));
        assert!(allows(
            "AmazonEKSFargatePodExecutionRolePolicy",
            "ecr:BatchGetImage"
        ));
        assert!(allows(
            "AmazonEKS_CNI_Policy",
            "ec2:AssignPrivateIpAddresses"
        ));
        let cni = managed_policy("AmazonEKS_CNI_Policy").expect("known policy");
        let tags =
            |resource: &str| evaluate(&[("cni", &cni)], "ec2:CreateTags", resource).is_allowed();
        assert!(tags(
            "arn:aws:ec2:eu-west-1:123456789012:network-interface/eni-0abc"
        ));
        assert!(!tags("arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"));
    }

    // --- application calls ---------------------------------------------------

    #[test]
    fn app_calls_map_to_their_iam_action_and_arn() {
        let ctx = context();
        let single = |text: &str| {
            let requests = AppCall::parse(text).expect(text).required_actions(&ctx);
            assert_eq!(requests.len(), 1, "{text}");
            (requests[0].action.clone(), requests[0].resource.clone())
        };
        assert_eq!(
            single("read s3://bucket/path/to/key"),
            (
                "s3:GetObject".into(),
                "arn:aws:s3:::bucket/path/to/key".into()
            )
        );
        assert_eq!(
            single("write s3://bucket/key"),
            ("s3:PutObject".into(), "arn:aws:s3:::bucket/key".into())
        );
        let orders = (
            "dynamodb:PutItem".to_string(),
            "arn:aws:dynamodb:eu-west-1:123456789012:table/orders".to_string(),
        );
        assert_eq!(single("put-item dynamodb://orders"), orders);
        assert_eq!(single("dynamodb:PutItem on table orders"), orders);
        assert_eq!(
            single("connect rds://db-ABCDEFGHIJKLMNOP/app_user"),
            (
                "rds-db:connect".into(),
                "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOP/app_user".into()
            )
        );
        let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf";
        assert_eq!(
            single(&format!("get-secret {secret}")),
            ("secretsmanager:GetSecretValue".into(), secret.into())
        );
        assert_eq!(
            single("sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:jobs"),
            (
                "sqs:SendMessage".into(),
                "arn:aws:sqs:eu-west-1:123456789012:jobs".into()
            )
        );
    }

    #[test]
    fn pulling_an_ecr_image_needs_a_token_on_star_and_the_repository_actions() {
        let from_uri =
            AppCall::parse("pull 210987654321.dkr.ecr.us-east-2.amazonaws.com/team/web:1.4")
                .expect("an ECR image URI");
        let repository = "arn:aws:ecr:us-east-2:210987654321:repository/team/web";
        assert_eq!(
            from_uri.required_actions(&context()),
            ecr_pull_actions(repository)
        );
        assert_eq!(
            ecr_pull_actions(repository),
            vec![
                ActionRequest::new("ecr:GetAuthorizationToken", "*"),
                ActionRequest::new("ecr:BatchGetImage", repository),
                ActionRequest::new("ecr:GetDownloadUrlForLayer", repository),
            ]
        );
        let own = AppCall::parse("pull ecr://web@sha256:0123").expect("ecr:// form");
        assert_eq!(
            own,
            AppCall::PullImage {
                repository: "web".into(),
                registry: None
            }
        );
        assert_eq!(
            own.required_actions(&context())[1].resource,
            "arn:aws:ecr:eu-west-1:123456789012:repository/web"
        );
    }

    #[test]
    fn unreadable_calls_say_what_was_expected() {
        for (text, expected) in [
            ("read s3://bucket", "s3://BUCKET/KEY"),
            ("put-item orders", "dynamodb://TABLE"),
            ("connect rds://db-ABC", "rds://DB-RESOURCE-ID/DB-USER"),
            (
                "get-secret arn:aws:ssm:eu-west-1:123456789012:parameter/x",
                "Secrets Manager ARN",
            ),
            ("pull nginx:latest", "not a private ECR image"),
            ("launch rockets", "expected one of"),
            ("GetObject on arn:aws:s3:::b/k", "service:Action"),
            ("s3:GetObject on my-bucket", "an ARN"),
        ] {
            let error = AppCall::parse(text).expect_err(text);
            assert!(error.reason.contains(expected), "{text}: {error}");
            assert_eq!(error.input, text);
        }
    }

    #[test]
    fn app_call_text_round_trips() {
        for text in [
            "read s3://b/k",
            "write s3://b/dir/k",
            "put-item dynamodb://orders",
            "connect rds://db-ABC/app",
            "get-secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf",
            "inject-secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf",
            "registry-login arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf",
            "pull ecr://team/web",
            "pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web",
            "ship-logs /ecs/web ecs/web/0123",
            "sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:jobs",
        ] {
            let call = AppCall::parse(text).expect(text);
            assert_eq!(call.to_string(), text);
            assert_eq!(text.parse::<AppCall>(), Ok(call));
        }
    }

    // --- simulation ----------------------------------------------------------

    fn s3_reader(name: &str, bucket: &str) -> Role {
        Role::new(ACCOUNT, name, ECS_TASKS_SERVICE).with_policy(
            "read-bucket",
            PolicyDocument::new(vec![Statement::allow(
                &["s3:GetObject"],
                &[&format!("arn:aws:s3:::{bucket}/*")],
            )
            .with_sid("ReadBucket")]),
        )
    }

    #[test]
    fn a_task_role_that_only_reads_one_bucket_cannot_put_items() {
        let task_role = s3_reader("app-task", "reports");
        let put = AppCall::parse("put-item dynamodb://orders").expect("valid");
        let outcome = simulate(&put, &context(), Some(&task_role));
        assert_eq!(outcome.access, Access::ImplicitlyDenied);
        assert_eq!(outcome.role.as_deref(), Some("app-task"));
        assert_eq!(outcome.deciding(), None);
        assert!(
            outcome.explanation.contains("implicitly denied"),
            "{}",
            outcome.explanation
        );
        assert!(outcome
            .explanation
            .contains("dynamodb:PutItem on arn:aws:dynamodb:eu-west-1:123456789012:table/orders"));

        let read = AppCall::parse("read s3://reports/2026/jan.csv").expect("valid");
        let allowed = simulate(&read, &context(), Some(&task_role));
        assert!(allowed.is_allowed());
        assert_eq!(
            allowed.deciding().and_then(|s| s.sid.as_deref()),
            Some("ReadBucket")
        );
        let other_bucket = AppCall::parse("read s3://payroll/2026/jan.csv").expect("valid");
        assert_eq!(
            simulate(&other_bucket, &context(), Some(&task_role)).access,
            Access::ImplicitlyDenied
        );
    }

    #[test]
    fn without_credentials_no_policy_is_consulted() {
        let call = AppCall::parse("read s3://b/k").expect("valid");
        let outcome = simulate(&call, &context(), None);
        assert_eq!(outcome.access, Access::NoCredentials);
        assert!(outcome.checks.is_empty());
        assert!(outcome.explanation.starts_with("No credentials"));
    }

    #[test]
    fn the_execution_role_with_the_managed_policy_can_pull_from_any_ecr_repository() {
        let execution = Role::new(ACCOUNT, "ecsTaskExecutionRole", ECS_TASKS_SERVICE)
            .with_managed_policy("AmazonECSTaskExecutionRolePolicy")
            .expect("known policy");
        let roles = AssignedRoles {
            execution_role: Some(&execution),
            ..AssignedRoles::default()
        };
        for image in [
            "pull ecr://web",
            "pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2",
            "pull 999999999999.dkr.ecr.ap-south-1.amazonaws.com/shared/base@sha256:ab",
        ] {
            let call = AppCall::parse(image).expect(image);
            let check = check_call(
                Platform::EcsOnFargate,
                roles.role_setup(false),
                &roles,
                &call,
                &context(),
            );
            assert_eq!(check.principal, Principal::TaskExecutionRole, "{image}");
            assert!(check.is_allowed(), "{image}: {}", check.explanation);
            assert_eq!(check.outcome.checks.len(), 3);
            assert!(check
                .explanation
                .starts_with("The task execution role \"ecsTaskExecutionRole\" makes this call."));
        }
    }

    #[test]
    fn on_fargate_without_an_execution_role_the_pull_has_no_credentials() {
        let task_role = s3_reader("app-task", "reports");
        let roles = AssignedRoles {
            task_role: Some(&task_role),
            ..AssignedRoles::default()
        };
        let call = AppCall::parse("pull ecr://web").expect("valid");
        let check = check_call(
            Platform::EcsOnFargate,
            roles.role_setup(false),
            &roles,
            &call,
            &context(),
        );
        assert_eq!(check.principal, Principal::Nobody);
        assert_eq!(check.outcome.access, Access::NoCredentials);
        assert!(check
            .explanation
            .starts_with("No credentials: Fargate has no instance profile"));
    }

    #[test]
    fn on_ec2_without_a_task_role_the_app_is_judged_by_the_instance_role() {
        let instance = Role::new(ACCOUNT, "ecsInstanceRole", EC2_SERVICE)
            .with_managed_policy("AmazonEC2ContainerServiceforEC2Role")
            .expect("known policy");
        let roles = AssignedRoles {
            instance_role: Some(&instance),
            ..AssignedRoles::default()
        };
        let read = AppCall::parse("read s3://reports/jan.csv").expect("valid");
        let check = check_call(
            Platform::EcsOnEc2,
            roles.role_setup(false),
            &roles,
            &read,
            &context(),
        );
        assert_eq!(check.principal, Principal::ContainerInstanceRole);
        assert_eq!(check.outcome.role.as_deref(), Some("ecsInstanceRole"));
        assert_eq!(check.outcome.access, Access::ImplicitlyDenied);
        assert!(
            check.explanation.contains("instance profile"),
            "{}",
            check.explanation
        );

        // Give the instance role S3 access and every container on the host gets it.
        let generous = instance.clone().with_policy(
            "s3-read",
            PolicyDocument::new(vec![Statement::allow(
                &["s3:Get*"],
                &["arn:aws:s3:::reports/*"],
            )
            .with_sid("HostReads")]),
        );
        let roles = AssignedRoles {
            instance_role: Some(&generous),
            ..AssignedRoles::default()
        };
        let check = check_call(
            Platform::EcsOnEc2,
            roles.role_setup(false),
            &roles,
            &read,
            &context(),
        );
        assert!(check.is_allowed());
        assert_eq!(
            check.outcome.deciding().map(|s| s.policy.as_str()),
            Some("s3-read")
        );
        assert!(
            check
                .explanation
                .contains("\"HostReads\" (#1) of policy \"s3-read\""),
            "{}",
            check.explanation
        );

        // Blocking IMDS leaves the container without credentials instead.
        let blocked = check_call(
            Platform::EcsOnEc2,
            roles.role_setup(true),
            &roles,
            &read,
            &context(),
        );
        assert_eq!(blocked.outcome.access, Access::NoCredentials);
    }

    #[test]
    fn injected_secrets_are_judged_against_the_execution_role_even_with_a_task_role() {
        let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
        let task_role = Role::new(ACCOUNT, "app-task", ECS_TASKS_SERVICE).with_policy(
            "secrets",
            PolicyDocument::new(vec![Statement::allow(
                &["secretsmanager:GetSecretValue"],
                &[secret],
            )]),
        );
        let execution = Role::new(ACCOUNT, "ecsTaskExecutionRole", ECS_TASKS_SERVICE)
            .with_managed_policy("AmazonECSTaskExecutionRolePolicy")
            .expect("known policy");
        let roles = AssignedRoles {
            task_role: Some(&task_role),
            execution_role: Some(&execution),
            ..AssignedRoles::default()
        };
        let inject = AppCall::parse(&format!("inject-secret {secret}")).expect("valid");
        let check = check_call(
            Platform::EcsOnEc2,
            roles.role_setup(false),
            &roles,
            &inject,
            &context(),
        );
        assert_eq!(check.principal, Principal::TaskExecutionRole);
        assert_eq!(check.outcome.access, Access::ImplicitlyDenied);

        let get = AppCall::parse(&format!("get-secret {secret}")).expect("valid");
        let check = check_call(
            Platform::EcsOnEc2,
            roles.role_setup(false),
            &roles,
            &get,
            &context(),
        );
        assert_eq!(check.principal, Principal::TaskRole);
        assert!(check.is_allowed());

        // Docker credentials for repositoryCredentials are the execution
        // role's to read too, and its managed policy does not grant it.
        let login = AppCall::parse(&format!("registry-login {secret}")).expect("valid");
        assert_eq!(login.kind(), Call::PrivateRegistryAuth);
        let check = check_call(
            Platform::EcsOnFargate,
            roles.role_setup(false),
            &roles,
            &login,
            &context(),
        );
        assert_eq!(check.principal, Principal::TaskExecutionRole);
        assert_eq!(check.outcome.access, Access::ImplicitlyDenied);
    }

    #[test]
    fn a_role_that_does_not_trust_the_service_cannot_be_used() {
        let wrong = Role::new(ACCOUNT, "copied-from-ec2", EC2_SERVICE).with_policy(
            "all",
            PolicyDocument::new(vec![Statement::allow(&["*"], &["*"])]),
        );
        let roles = AssignedRoles {
            task_role: Some(&wrong),
            ..AssignedRoles::default()
        };
        let call = AppCall::parse("read s3://b/k").expect("valid");
        let check = check_call(
            Platform::EcsOnFargate,
            roles.role_setup(false),
            &roles,
            &call,
            &context(),
        );
        assert_eq!(check.principal, Principal::TaskRole);
        assert_eq!(check.outcome.access, Access::UntrustedRole);
        assert!(
            check
                .explanation
                .contains("does not trust ecs-tasks.amazonaws.com"),
            "{}",
            check.explanation
        );
    }

    #[test]
    fn eks_nodes_pull_with_the_node_role_and_fargate_pods_with_the_pod_execution_role() {
        let node = Role::new(ACCOUNT, "eks-node", EC2_SERVICE)
            .with_managed_policy("AmazonEKSWorkerNodePolicy")
            .and_then(|r| r.with_managed_policy("AmazonEC2ContainerRegistryPullOnly"))
            .expect("known policies");
        let pods = Role::new(ACCOUNT, "eks-fargate-pods", EKS_FARGATE_PODS_SERVICE)
            .with_managed_policy("AmazonEKSFargatePodExecutionRolePolicy")
            .expect("known policy");
        let roles = AssignedRoles {
            node_role: Some(&node),
            pod_execution_role: Some(&pods),
            ..AssignedRoles::default()
        };
        let pull = AppCall::parse("pull ecr://web").expect("valid");
        let on_nodes = check_call(
            Platform::EksOnEc2Nodes,
            roles.role_setup(false),
            &roles,
            &pull,
            &context(),
        );
        assert_eq!(on_nodes.principal, Principal::NodeRole);
        assert!(on_nodes.is_allowed(), "{}", on_nodes.explanation);
        let on_fargate = check_call(
            Platform::EksOnFargate,
            roles.role_setup(false),
            &roles,
            &pull,
            &context(),
        );
        assert_eq!(on_fargate.principal, Principal::PodExecutionRole);
        assert!(on_fargate.is_allowed(), "{}", on_fargate.explanation);

        let logs = AppCall::parse("ship-logs app").expect("valid");
        let not_iam = check_call(
            Platform::EksOnEc2Nodes,
            roles.role_setup(false),
            &roles,
            &logs,
            &context(),
        );
        assert_eq!(not_iam.outcome.access, Access::NotAnIamCall);
    }

    #[test]
    fn a_setup_claiming_a_missing_role_has_no_credentials() {
        let roles = AssignedRoles::default();
        let call = AppCall::parse("read s3://b/k").expect("valid");
        let check = check_call(
            Platform::EcsOnFargate,
            RoleSetup::COMPLETE,
            &roles,
            &call,
            &context(),
        );
        assert_eq!(check.principal, Principal::TaskRole);
        assert_eq!(check.outcome.access, Access::NoCredentials);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn literal() -> impl Strategy<Value = String> {
            "[A-Za-z0-9:/._-]{0,24}"
        }

        proptest! {
            #[test]
            fn a_literal_pattern_matches_exactly_itself(text in literal(), other in literal()) {
                prop_assert!(resource_matches(&text, &text));
                prop_assert_eq!(resource_matches(&text, &other), text == other);
                prop_assert!(action_matches(&text.to_uppercase(), &text.to_lowercase()));
            }

            #[test]
            fn a_star_matches_any_continuation(prefix in literal(), rest in literal()) {
                let pattern = format!("{prefix}*");
                let text = format!("{prefix}{rest}");
                prop_assert!(resource_matches(&pattern, &text));
                prop_assert!(resource_matches("*", &text));
            }

            #[test]
            fn question_marks_match_exactly_one_character(text in "[a-z]{1,12}") {
                let pattern = "?".repeat(text.chars().count());
                prop_assert!(action_matches(&pattern, &text));
                let longer = format!("{text}x");
                prop_assert!(!action_matches(&pattern, &longer));
            }

            #[test]
            fn deny_always_beats_allow(action in "[a-z]{1,6}:[A-Za-z]{1,10}", extra_allows in 0usize..4) {
                let mut statements: Vec<Statement> = (0..extra_allows)
                    .map(|_| Statement::allow(&["*"], &["*"]))
                    .collect();
                statements.push(Statement::deny(&[&action], &["*"]));
                let policy = PolicyDocument::new(statements);
                let decision = evaluate(&[("p", &policy)], &action, "arn:aws:s3:::b/k");
                prop_assert_eq!(decision.effect, DecisionEffect::ExplicitlyDenied);
                prop_assert_eq!(decision.deciding.map(|s| s.index), Some(extra_allows));
            }
        }
    }
}
