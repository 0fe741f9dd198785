//! An operation's command line read as the AWS CLI reads it: every input
//! member of the operation's API model is a flag (`desiredCount` is
//! `--desired-count`); its shape decides how its words are read (a number,
//! a flag with no value for booleans, several words for lists, JSON or
//! shorthand for structures), `file://` loads a file, `--cli-input-json`
//! supplies the whole request, and the request is then validated against
//! the model as botocore validates it ("Parameter validation failed").

use serde_json::{Map, Number, Value};

use crate::api::{xform_name, Kind, Operation, Shape};
use crate::shorthand;
use crate::Cloud;

/// Options the AWS CLI takes on every command.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Globals {
    pub(crate) output: Option<String>,
    pub(crate) query: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) cli_input_json: Option<String>,
    /// `--generate-cli-skeleton` and what it asked for (`input` by default).
    pub(crate) skeleton: Option<String>,
}

/// Global options that take a value, and those that take none. Dockyard
/// reads `--output`, `--query` and `--region`; the rest are accepted and
/// change nothing here, as they change nothing a learner can see.
const GLOBALS_WITH_VALUE: &[&str] = &[
    "output",
    "query",
    "region",
    "profile",
    "endpoint-url",
    "color",
    "ca-bundle",
    "cli-read-timeout",
    "cli-connect-timeout",
    "cli-binary-format",
    "cli-input-json",
    "page-size",
    "max-items",
    "starting-token",
];
const GLOBAL_SWITCHES: &[&str] = &[
    "debug",
    "no-verify-ssl",
    "no-paginate",
    "no-sign-request",
    "no-cli-pager",
    "cli-auto-prompt",
    "no-cli-auto-prompt",
];

/// Why a command line was not a valid call (the CLI's usage errors, exit
/// status 252).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ArgError {
    /// argparse's own: `aws: error: ...` with the usage lines.
    Usage(String),
    /// `Error parsing parameter '--x': ...`
    Parameter(String),
    /// botocore's "Parameter validation failed:" with one line per problem.
    Validation(Vec<String>),
}

/// Whether a word is a global option, and if so whether it takes a value.
pub(crate) fn global_option(word: &str) -> Option<bool> {
    let name = word.strip_prefix("--")?;
    let name = name.split_once('=').map_or(name, |(name, _)| name);
    if GLOBALS_WITH_VALUE.contains(&name) {
        Some(true)
    } else if GLOBAL_SWITCHES.contains(&name) || name == "generate-cli-skeleton" {
        Some(false)
    } else {
        None
    }
}

/// Reads a global option at `args[*at]`, moving past it.
pub(crate) fn read_global(
    args: &[String],
    at: &mut usize,
    globals: &mut Globals,
) -> Result<bool, ArgError> {
    let word = &args[*at];
    let Some(takes_value) = global_option(word) else {
        return Ok(false);
    };
    let (name, inline) = match word[2..].split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (&word[2..], None),
    };
    *at += 1;
    if name == "generate-cli-skeleton" {
        let value = match args.get(*at).map(String::as_str) {
            Some(value @ ("input" | "output" | "yaml-input")) => {
                *at += 1;
                value.to_string()
            }
            _ => inline.unwrap_or_else(|| "input".to_string()),
        };
        globals.skeleton = Some(value);
        return Ok(true);
    }
    if !takes_value {
        return Ok(true);
    }
    let value = match inline {
        Some(value) => value,
        None => {
            let value = args.get(*at).ok_or_else(|| {
                ArgError::Usage(format!("argument --{name}: expected one argument"))
            })?;
            *at += 1;
            value.clone()
        }
    };
    match name {
        "output" => {
            const FORMATS: [&str; 5] = ["json", "text", "table", "yaml", "yaml-stream"];
            if !FORMATS.contains(&value.as_str()) {
                return Err(ArgError::Usage(format!(
                    "argument --output: Found invalid choice '{value}'"
                )));
            }
            globals.output = Some(value);
        }
        "query" => globals.query = Some(value),
        "region" => globals.region = Some(value),
        "cli-input-json" => globals.cli_input_json = Some(value),
        _ => {}
    }
    Ok(true)
}

/// The operation's parameters: each input member, by its flag.
pub(crate) fn flags(operation: &Operation) -> Vec<(String, &'static str, Shape<'static>)> {
    operation
        .input()
        .map(|input| {
            input
                .members()
                .into_iter()
                .map(|(member, shape)| (xform_name(member), member, shape))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads an operation's command line (after `aws SERVICE OPERATION`) into
/// its request, validated against the model.
pub(crate) fn parse(
    operation: &Operation,
    args: &[String],
    cloud: &dyn Cloud,
) -> Result<(Map<String, Value>, Globals), ArgError> {
    let flags = flags(operation);
    let mut globals = Globals::default();
    let mut request = Map::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut at = 0;
    while at < args.len() {
        if read_global(args, &mut at, &mut globals)? {
            continue;
        }
        let word = &args[at];
        at += 1;
        let Some(flag) = word.strip_prefix("--") else {
            unknown.push(word.clone());
            continue;
        };
        let (flag, inline) = match flag.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (flag, None),
        };
        let found = flags.iter().find(|(name, _, _)| name == flag);
        let negated = flag.strip_prefix("no-").and_then(|positive| {
            flags
                .iter()
                .find(|(name, _, shape)| name == positive && shape.kind() == Kind::Boolean)
        });
        let (name, member, shape) = match (found, negated) {
            (Some(found), _) => found,
            (None, Some((_, member, _))) => {
                request.insert(member.to_string(), Value::Bool(false));
                continue;
            }
            (None, None) => {
                unknown.push(word.clone());
                // argparse lists the words an unknown option took with it.
                while at < args.len() && !args[at].starts_with("--") {
                    unknown.push(args[at].clone());
                    at += 1;
                }
                continue;
            }
        };
        if shape.kind() == Kind::Boolean {
            request.insert(member.to_string(), Value::Bool(true));
            continue;
        }
        let mut words: Vec<String> = inline.into_iter().collect();
        if words.is_empty() {
            let many = shape.kind() == Kind::List;
            while at < args.len() && !args[at].starts_with("--") {
                words.push(args[at].clone());
                at += 1;
                if !many {
                    break;
                }
            }
        }
        if words.is_empty() {
            return Err(ArgError::Usage(format!(
                "argument --{name}: expected {} argument",
                if shape.kind() == Kind::List {
                    "at least one"
                } else {
                    "one"
                }
            )));
        }
        let words = words
            .into_iter()
            .map(|word| load_file(name, word, cloud))
            .collect::<Result<Vec<_>, _>>()?;
        request.insert(member.to_string(), read_value(name, &words, shape)?);
    }
    if !unknown.is_empty() {
        let suggestion = unknown
            .iter()
            .filter_map(|word| word.strip_prefix("--"))
            .filter_map(|word| {
                let names: Vec<&str> = flags.iter().map(|(name, _, _)| name.as_str()).collect();
                crate::suggest::closest(word, &names)
                    .first()
                    .map(|s| format!("--{s}"))
            })
            .next();
        let mut message = format!("Unknown options: {}", unknown.join(", "));
        if let Some(suggestion) = suggestion {
            message.push_str(&format!("\n\nMaybe you meant:\n\n  * {suggestion}"));
        }
        return Err(ArgError::Usage(message));
    }
    if let Some(text) = &globals.cli_input_json {
        let text = load_file("cli-input-json", text.clone(), cloud)?;
        let input: Value = serde_json::from_str(&text).map_err(|error| {
            ArgError::Parameter(format!(
                "Error parsing parameter 'cli-input-json': Invalid JSON received: {error}"
            ))
        })?;
        let Value::Object(input) = input else {
            return Err(ArgError::Parameter(
                "Error parsing parameter 'cli-input-json': Invalid JSON received: the input must be a JSON object".to_string(),
            ));
        };
        // Flags given on the command line win over the file's values.
        for (key, value) in input {
            request.entry(key).or_insert(value);
        }
    }
    if globals.skeleton.is_some() {
        return Ok((request, globals));
    }
    let mut problems = Vec::new();
    if let Some(input) = operation.input() {
        let mut value = Value::Object(request);
        validate(&mut value, &input, "input", &mut problems);
        request = match value {
            Value::Object(map) => map,
            _ => Map::new(),
        };
    }
    if !problems.is_empty() {
        return Err(ArgError::Validation(problems));
    }
    Ok((request, globals))
}

/// `file://PATH` is the file's text, as in the CLI (for every parameter).
fn load_file(flag: &str, word: String, cloud: &dyn Cloud) -> Result<String, ArgError> {
    let Some(path) = word
        .strip_prefix("file://")
        .or_else(|| word.strip_prefix("fileb://"))
    else {
        return Ok(word);
    };
    cloud.read_file(path).map_err(|reason| {
        ArgError::Parameter(format!(
            "Error parsing parameter '--{flag}': Unable to load paramfile {word}: {reason}"
        ))
    })
}

/// A parameter's words as a value of its shape: JSON when it looks like
/// JSON, else shorthand for structures, else the words themselves (turned
/// into numbers and booleans later, by `validate`).
fn read_value(flag: &str, words: &[String], shape: &Shape<'_>) -> Result<Value, ArgError> {
    let json = |text: &str| -> Result<Value, ArgError> {
        serde_json::from_str(text).map_err(|error| {
            ArgError::Parameter(format!(
                "Error parsing parameter '--{flag}': Invalid JSON: {error}\nJSON received: {text}"
            ))
        })
    };
    let looks_like_json = |text: &str| {
        let text = text.trim_start();
        text.starts_with('{') || text.starts_with('[') || text.starts_with('"')
    };
    match shape.kind() {
        Kind::Structure | Kind::Map => {
            let text = &words[0];
            if looks_like_json(text) {
                json(text)
            } else {
                shorthand::parse(text).map(Value::Object).map_err(|error| {
                    ArgError::Parameter(format!(
                        "Error parsing parameter '--{flag}': {}",
                        error.message(text)
                    ))
                })
            }
        }
        Kind::List => {
            if words.len() == 1 && words[0].trim_start().starts_with('[') {
                return json(&words[0]);
            }
            let item = shape.item();
            words
                .iter()
                .map(|word| match item.kind() {
                    Kind::Structure | Kind::Map => {
                        read_value(flag, std::slice::from_ref(word), &item)
                    }
                    _ => Ok(Value::String(word.clone())),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        _ => Ok(Value::String(words[0].clone())),
    }
}

/// Checks (and coerces) a value against its shape as botocore's
/// ParamValidator does, collecting every problem with its dotted path.
/// Text from the command line or shorthand becomes a number or boolean
/// where the shape says so, and a lone value becomes a one-item list.
fn validate(value: &mut Value, shape: &Shape<'_>, path: &str, problems: &mut Vec<String>) {
    let invalid_type = |value: &Value, valid: &str| {
        format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: {valid}",
            python_repr(value),
            python_type(value)
        )
    };
    match shape.kind() {
        Kind::Structure => {
            let Value::Object(map) = value else {
                problems.push(invalid_type(value, "<class 'dict'>"));
                return;
            };
            for required in shape.required() {
                if !map.contains_key(required) {
                    problems.push(format!(
                        "Missing required parameter in {path}: \"{required}\""
                    ));
                }
            }
            for (key, item) in map.iter_mut() {
                match shape.member(key) {
                    Some(member) => {
                        let child = if path == "input" {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        validate(item, &member, &child, problems);
                    }
                    None => problems.push(format!(
                        "Unknown parameter in {path}: \"{key}\", must be one of: {}",
                        shape
                            .members()
                            .iter()
                            .map(|(name, _)| *name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
        }
        Kind::Map => {
            let Value::Object(map) = value else {
                problems.push(invalid_type(value, "<class 'dict'>"));
                return;
            };
            let values = shape.value();
            for (key, item) in map.iter_mut() {
                validate(item, &values, &format!("{path}.{key}"), problems);
            }
        }
        Kind::List => {
            if !value.is_array() {
                if value.is_string() || value.is_object() {
                    *value = Value::Array(vec![value.take()]);
                } else {
                    problems.push(invalid_type(value, "<class 'list'>, <class 'tuple'>"));
                    return;
                }
            }
            let item = shape.item();
            if let Value::Array(items) = value {
                check_length(items.len(), shape, path, problems);
                for (index, element) in items.iter_mut().enumerate() {
                    validate(element, &item, &format!("{path}[{index}]"), problems);
                }
            }
        }
        Kind::Integer => {
            if let Value::String(text) = value {
                if let Ok(number) = text.trim().parse::<i64>() {
                    *value = Value::Number(number.into());
                }
            }
            match value.as_i64() {
                Some(number) => {
                    if let Some(min) = shape.min().filter(|min| number < *min) {
                        problems.push(format!(
                            "Invalid value for parameter {path}, value: {number}, valid min value: {min}"
                        ));
                    }
                }
                None => problems.push(invalid_type(value, "<class 'int'>")),
            }
        }
        Kind::Float => {
            if let Value::String(text) = value {
                if let Some(number) = text.trim().parse::<f64>().ok().and_then(Number::from_f64) {
                    *value = Value::Number(number);
                }
            }
            if !value.is_number() {
                problems.push(invalid_type(
                    value,
                    "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
                ));
            }
        }
        Kind::Boolean => {
            if let Value::String(text) = value {
                match text.to_ascii_lowercase().as_str() {
                    "true" => *value = Value::Bool(true),
                    "false" => *value = Value::Bool(false),
                    _ => {}
                }
            }
            if !value.is_boolean() {
                problems.push(invalid_type(value, "<class 'bool'>"));
            }
        }
        Kind::String | Kind::Timestamp | Kind::Blob => {
            if shape.kind() == Kind::String {
                if let Value::Number(number) = value {
                    // The CLI reads every scalar word as text; JSON numbers
                    // given for a string are refused by botocore.
                    problems.push(invalid_type(
                        &Value::Number(number.clone()),
                        "<class 'str'>",
                    ));
                    return;
                }
            }
            match value {
                // botocore leaves enums to the service (the translation).
                Value::String(text) => check_length(text.chars().count(), shape, path, problems),
                other if shape.kind() == Kind::Timestamp && other.is_number() => {}
                other => problems.push(invalid_type(other, "<class 'str'>")),
            }
        }
    }
}

fn check_length(length: usize, shape: &Shape<'_>, path: &str, problems: &mut Vec<String>) {
    if let Some(min) = shape.min().filter(|min| (length as i64) < *min) {
        problems.push(format!(
            "Invalid length for parameter {path}, value: {length}, valid min length: {min}"
        ));
    }
    if let Some(max) = shape.max().filter(|max| (length as i64) > *max) {
        problems.push(format!(
            "Invalid length for parameter {path}, value: {length}, valid max length: {max}"
        ));
    }
}

/// A JSON value as Python prints it in botocore's messages.
fn python_repr(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Null => "None".to_string(),
        other => other.to_string(),
    }
}

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "<class 'str'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Null => "<class 'NoneType'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// The skeleton `--generate-cli-skeleton` prints: every member with a
/// placeholder of its type (the first value of an enum), lists with one
/// item, as the CLI's ArgumentGenerator makes it.
pub(crate) fn skeleton(shape: &Shape<'_>, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    match shape.kind() {
        Kind::Structure => Value::Object(
            shape
                .members()
                .into_iter()
                .map(|(name, member)| (name.to_string(), skeleton(&member, depth + 1)))
                .collect(),
        ),
        Kind::List => Value::Array(vec![skeleton(&shape.item(), depth + 1)]),
        Kind::Map => {
            let mut map = Map::new();
            map.insert("KeyName".to_string(), skeleton(&shape.value(), depth + 1));
            Value::Object(map)
        }
        Kind::Integer => Value::Number(0.into()),
        Kind::Float => Value::Number(Number::from_f64(0.0).unwrap_or(0.into())),
        Kind::Boolean => Value::Bool(true),
        Kind::Timestamp => Value::String("1970-01-01T00:00:00".to_string()),
        Kind::String | Kind::Blob => Value::String(
            shape
                .enum_values()
                .first()
                .map(|value| value.to_string())
                .unwrap_or_default(),
        ),
    }
}
