//! Policy documents as IAM reads them: the JSON grammar (`Version`,
//! `Statement`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`,
//! `Principal`, `Condition`), the checks that name the offending path, and
//! serialization back to the usual element order.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::matching::{action_matches, resource_matches};

/// The policy language version every current policy should declare.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The only other version IAM accepts. It lacks policy variables, which is
/// why AWS tells everyone to use [`POLICY_VERSION`].
pub const LEGACY_POLICY_VERSION: &str = "2008-10-17";

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

pub(super) fn valid_action(action: &str) -> Result<(), String> {
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

pub(super) fn valid_resource(resource: &str) -> Result<(), String> {
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
