//! Reading task definitions as a learner pastes them: RegisterTaskDefinition
//! input, or what `aws ecs describe-task-definition` printed.

use serde_json::{Map, Value};

use super::rules::Severity;
use super::types::TaskDefinition;
use super::Finding;

/// Fields ECS sets on a registered task definition; input may not carry them.
pub const RESPONSE_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "compatibilities",
    "requiresAttributes",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Why a file could not be read as a task definition at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based, as editors count.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// A task definition read from JSON, with what the import noticed.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// `None` when the JSON parsed but does not have the shape of a task
    /// definition (a field of the wrong type); the findings say where.
    pub definition: Option<TaskDefinition>,
    pub findings: Vec<Finding>,
}

/// Parses JSON text: RegisterTaskDefinition input, or describe-task-definition
/// output (with or without its `taskDefinition` wrapper).
pub fn import(text: &str) -> Result<Imported, ParseError> {
    let value: Value = crate::json::parse_value(text).map_err(|error| ParseError {
        line: error.line(),
        column: error.column(),
        message: plain_json_error(&error),
    })?;
    Ok(import_value(value))
}

fn plain_json_error(error: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the caller reports those.
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// Imports an already parsed JSON value.
pub fn import_value(value: Value) -> Imported {
    let mut findings = Vec::new();
    let Value::Object(mut object) = value else {
        findings.push(Finding::new(
            "json-type",
            "",
            format!(
                "a task definition is a JSON object, not {}",
                describe(&value)
            ),
        ));
        return Imported {
            definition: None,
            findings,
        };
    };

    // describe-task-definition wraps the definition and adds tags beside it.
    // Only that exact shape is unwrapped, so that a definition with a stray
    // "taskDefinition" field exports and re-imports as itself.
    let is_describe_output = object
        .keys()
        .all(|key| key == "taskDefinition" || key == "tags");
    if let Some(Value::Object(inner)) = object.get("taskDefinition").filter(|_| is_describe_output)
    {
        let mut unwrapped = inner.clone();
        findings.push(Finding::with_severity(
            "response-field",
            Severity::Note,
            "taskDefinition",
            "this is describe-task-definition output: the definition inside \"taskDefinition\" was taken out".to_string(),
        ));
        if let Some(tags) = object
            .get("tags")
            .filter(|tags| tags.as_array().is_some_and(|t| !t.is_empty()))
        {
            unwrapped.entry("tags").or_insert_with(|| tags.clone());
        }
        object = unwrapped;
    }
    strip_response_fields(&mut object, &mut findings);

    let object = Value::Object(object);
    // The API model decides which fields exist, which are required, their
    // types, enums and limits.
    let mut checked = super::api::check(&object);
    for finding in &mut checked {
        if finding.code == "json-type" {
            finding.message.push_str(type_hint(&finding.path));
        }
    }
    let mistyped = checked.iter().any(|f| f.code == "json-type");
    findings.extend(checked);
    let definition: TaskDefinition = match crate::json::read(&object) {
        Ok(definition) => definition,
        Err(error) => {
            // Only when the API model found no type error of its own.
            if !mistyped {
                findings.push(Finding::new(
                    "json-type",
                    &error.path,
                    type_message(&error.path, &error.message),
                ));
            }
            return Imported {
                definition: None,
                findings,
            };
        }
    };
    Imported {
        definition: Some(definition),
        findings,
    }
}

fn strip_response_fields(object: &mut Map<String, Value>, findings: &mut Vec<Finding>) {
    for field in RESPONSE_ONLY_FIELDS {
        if object.remove(*field).is_some() {
            findings.push(Finding::with_severity(
                "response-field",
                Severity::Note,
                field,
                format!("{field} is set by ECS when a definition is registered; removed so the file can be registered again"),
            ));
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns serde's "invalid type: integer `1024`, expected a string" into
/// words about JSON that name what the API takes. The path is reported
/// beside the message, so it is not repeated here.
fn type_message(path: &str, serde_message: &str) -> String {
    let message = serde_message
        .strip_prefix("invalid type: ")
        .unwrap_or(serde_message);
    let message = message
        .replace(
            "map, expected a sequence",
            "an object where the API takes an array",
        )
        .replace(
            "sequence, expected a map",
            "an array where the API takes an object",
        )
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected an object")
        .replace("sequence, expected", "an array, expected")
        .replace("map, expected", "an object, expected");
    let message = match message.find("expected struct ") {
        Some(index) => format!("{}expected an object", &message[..index]),
        None => message,
    };
    format!("{message}{}", type_hint(path))
}

/// What learners most often get wrong about a field's type.
fn type_hint(path: &str) -> &'static str {
    if path == "cpu" || path == "memory" {
        " (task cpu and memory are strings in the API, like \"1024\")"
    } else if path.ends_with(".cpu")
        || path.ends_with(".memory")
        || path.ends_with(".memoryReservation")
    {
        " (container cpu and memory are numbers in the API, like 256)"
    } else {
        ""
    }
}

/// The JSON a learner can hand to `aws ecs register-task-definition
/// --cli-input-json`.
pub fn export(definition: &TaskDefinition) -> String {
    serde_json::to_string_pretty(definition).expect("a task definition always serializes")
}
