//! RegisterTaskDefinition's input checked against the ECS API model itself:
//! every member the model knows (so a field added to the API is never called
//! unknown), every required member, enum, and length or range limit. The
//! table is generated at build time from the vendored botocore model
//! (`build.rs`).
//!
//! The words are AWS's: what the AWS CLI checks before sending (unknown and
//! missing parameters, types, minimums) in botocore's wording, and what ECS
//! checks on receipt (enums, maximums) in the AWS API's validation wording.

use serde_json::Value;

use super::Finding;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Structure,
    List,
    Map,
    String,
    Integer,
    Boolean,
}

#[derive(Debug)]
pub(crate) struct Member {
    pub name: &'static str,
    pub shape: u16,
}

/// One shape of the API model: a structure's members, a list's item or a
/// map's value, and the limits.
#[derive(Debug)]
pub(crate) struct Shape {
    /// The model's name for it, which the tests report.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub kind: Kind,
    pub members: &'static [Member],
    pub required: &'static [&'static str],
    /// An enum's values.
    pub values: &'static [&'static str],
    /// Length for strings, lists and maps; value for numbers.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// A list's member, or a map's value.
    pub item: u16,
    /// A map's key.
    pub key: u16,
}

include!(concat!(env!("OUT_DIR"), "/ecs_api.rs"));

/// The shape RegisterTaskDefinition takes.
pub(crate) fn root() -> &'static Shape {
    &SHAPES[ROOT as usize]
}

pub(crate) fn shape(index: u16) -> &'static Shape {
    &SHAPES[index as usize]
}

/// Every shape of RegisterTaskDefinition's input.
#[cfg(test)]
pub(crate) fn shapes() -> &'static [Shape] {
    &SHAPES
}

/// Where a value is: our path (`containerDefinitions[0].ulimits[0]`) and
/// the one the API's validation messages use
/// (`containerDefinitions.1.member.ulimits.1.member`).
#[derive(Clone, Default)]
struct At {
    path: String,
    api: String,
}

impl At {
    fn member(&self, name: &str) -> At {
        let join = |base: &str| {
            if base.is_empty() {
                name.to_string()
            } else {
                format!("{base}.{name}")
            }
        };
        At {
            path: join(&self.path),
            api: join(&self.api),
        }
    }

    fn item(&self, index: usize) -> At {
        At {
            path: format!("{}[{index}]", self.path),
            api: format!("{}.{}.member", self.api, index + 1),
        }
    }

    fn entry(&self, key: &str) -> At {
        At {
            path: format!("{}.{key}", self.path),
            api: format!("{}.{key}", self.api),
        }
    }

    /// What botocore calls the object a parameter is missing from.
    fn parent(&self) -> &str {
        if self.path.is_empty() {
            "input"
        } else {
            &self.path
        }
    }
}

/// Checks a task definition as RegisterTaskDefinition input.
pub(crate) fn check(document: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    walk(root(), document, &At::default(), &mut out);
    out
}

fn walk(shape: &Shape, value: &Value, at: &At, out: &mut Vec<Finding>) {
    if !type_fits(shape.kind, value) {
        out.push(Finding::new(
            "json-type",
            &at.path,
            format!(
                "Invalid type for parameter {}, value: {}, type: {}, valid types: {}",
                at.path,
                python_value(value),
                python_type(value),
                valid_types(shape.kind)
            ),
        ));
        return;
    }
    match (shape.kind, value) {
        (Kind::Structure, Value::Object(object)) => {
            for required in shape.required {
                if object.get(*required).is_none_or(Value::is_null) {
                    out.push(Finding::new(
                        "api-required",
                        &at.member(required).path,
                        format!(
                            "Missing required parameter in {}: \"{required}\"",
                            at.parent()
                        ),
                    ));
                }
            }
            for (name, member_value) in object {
                match shape.members.iter().find(|m| m.name == name) {
                    // null is how JSON leaves a member out.
                    Some(_) if member_value.is_null() => {}
                    Some(member) => walk(
                        self::shape(member.shape),
                        member_value,
                        &at.member(name),
                        out,
                    ),
                    None => {
                        let known: Vec<&str> = shape.members.iter().map(|m| m.name).collect();
                        out.push(Finding::new(
                            "unknown-field",
                            &at.member(name).path,
                            format!(
                                "Unknown parameter in {}: \"{name}\", must be one of: {}",
                                at.parent(),
                                known.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        (Kind::List, Value::Array(items)) => {
            check_length(shape, items.len(), value, at, out);
            for (i, item) in items.iter().enumerate() {
                walk(self::shape(shape.item), item, &at.item(i), out);
            }
        }
        (Kind::Map, Value::Object(entries)) => {
            check_length(shape, entries.len(), value, at, out);
            for (key, item) in entries {
                let at = at.entry(key);
                let key_shape = self::shape(shape.key);
                walk(key_shape, &Value::String(key.clone()), &at, out);
                walk(self::shape(shape.item), item, &at, out);
            }
        }
        (Kind::String, Value::String(text)) => {
            if !shape.values.is_empty() && !shape.values.contains(&text.as_str()) {
                out.push(Finding::new(
                    "api-enum",
                    &at.path,
                    format!(
                        "1 validation error detected: Value '{text}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        at.api,
                        shape.values.join(", ")
                    ),
                ));
            }
            check_length(shape, text.chars().count(), value, at, out);
        }
        (Kind::Integer, Value::Number(number)) => {
            let n = number.as_i64().unwrap_or(i64::MAX);
            if let Some(min) = shape.min.filter(|min| n < *min) {
                out.push(Finding::new(
                    "api-range",
                    &at.path,
                    format!(
                        "Invalid value for parameter {}, value: {n}, valid min value: {min}",
                        at.path
                    ),
                ));
            }
            if let Some(max) = shape.max.filter(|max| n > *max) {
                out.push(Finding::new(
                    "api-range",
                    &at.path,
                    format!(
                        "1 validation error detected: Value '{n}' at '{}' failed to satisfy constraint: Member must have value less than or equal to {max}",
                        at.api
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// A string's, list's or map's length against the model's limits: the
/// minimum as the AWS CLI refuses it, the maximum as ECS does.
fn check_length(shape: &Shape, length: usize, value: &Value, at: &At, out: &mut Vec<Finding>) {
    let length = length as i64;
    if let Some(min) = shape.min.filter(|min| length < *min) {
        out.push(Finding::new(
            "api-range",
            &at.path,
            format!(
                "Invalid length for parameter {}, value: {length}, valid min length: {min}",
                at.path
            ),
        ));
    }
    if let Some(max) = shape.max.filter(|max| length > *max) {
        let shown = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        out.push(Finding::new(
            "api-range",
            &at.path,
            format!(
                "1 validation error detected: Value '{shown}' at '{}' failed to satisfy constraint: Member must have length less than or equal to {max}",
                at.api
            ),
        ));
    }
}

fn type_fits(kind: Kind, value: &Value) -> bool {
    match kind {
        Kind::Structure | Kind::Map => value.is_object(),
        Kind::List => value.is_array(),
        Kind::String => value.is_string(),
        Kind::Integer => value.is_i64() || value.is_u64(),
        Kind::Boolean => value.is_boolean(),
    }
}

/// botocore prints Python's type names.
fn valid_types(kind: Kind) -> &'static str {
    match kind {
        Kind::Structure | Kind::Map => "<class 'dict'>",
        Kind::List => "<class 'list'>, <class 'tuple'>",
        Kind::String => "<class 'str'>",
        Kind::Integer => "<class 'int'>",
        Kind::Boolean => "<class 'bool'>",
    }
}

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

fn python_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    /// One step from a shape into the next.
    #[derive(Clone, Debug)]
    enum Step {
        Member(&'static str, u16),
        Item(u16),
        Value(u16),
    }

    /// The smallest value the model accepts for `shape`.
    fn minimal(shape: &Shape) -> Value {
        match shape.kind {
            Kind::Structure => Value::Object(
                shape
                    .required
                    .iter()
                    .map(|name| {
                        let member = shape.members.iter().find(|m| m.name == *name).unwrap();
                        (name.to_string(), minimal(self::shape(member.shape)))
                    })
                    .collect(),
            ),
            Kind::List => Value::Array(
                (0..shape.min.unwrap_or(0))
                    .map(|_| minimal(self::shape(shape.item)))
                    .collect(),
            ),
            Kind::Map => json!({}),
            Kind::String => match shape.values.first() {
                Some(value) => json!(value),
                None => json!("x".repeat(shape.min.unwrap_or(1).max(1) as usize)),
            },
            Kind::Integer => json!(shape.min.unwrap_or(0)),
            Kind::Boolean => json!(false),
        }
    }

    /// The first way from the root to every shape, as steps.
    fn routes() -> Vec<(u16, Vec<Step>)> {
        let mut seen = vec![false; shapes().len()];
        let mut found = Vec::new();
        let mut queue = std::collections::VecDeque::from([(ROOT, Vec::new())]);
        while let Some((index, steps)) = queue.pop_front() {
            if std::mem::replace(&mut seen[index as usize], true) {
                continue;
            }
            let shape = self::shape(index);
            let mut next = |step: Step, to: u16| {
                let mut more: Vec<Step> = steps.clone();
                more.push(step);
                queue.push_back((to, more));
            };
            match shape.kind {
                Kind::Structure => {
                    for member in shape.members {
                        next(Step::Member(member.name, member.shape), member.shape);
                    }
                }
                Kind::List => next(Step::Item(shape.item), shape.item),
                Kind::Map => next(Step::Value(shape.item), shape.item),
                _ => {}
            }
            found.push((index, steps));
        }
        found
    }

    /// A minimal document with `leaf` at the end of `steps`, and its path.
    fn place(index: u16, steps: &[Step], leaf: Value) -> Value {
        let Some((step, rest)) = steps.split_first() else {
            return leaf;
        };
        match step {
            Step::Member(name, to) => {
                let mut object = minimal(shape(index));
                object[*name] = place(*to, rest, leaf);
                object
            }
            Step::Item(to) => json!([place(*to, rest, leaf)]),
            Step::Value(to) => {
                let mut map = Map::new();
                map.insert("k".into(), place(*to, rest, leaf));
                Value::Object(map)
            }
        }
    }

    fn path_of(steps: &[Step]) -> String {
        let mut path = String::new();
        for step in steps {
            match step {
                Step::Member(name, _) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Step::Item(_) => path.push_str("[0]"),
                Step::Value(_) => path.push_str(".k"),
            }
        }
        path
    }

    fn join(path: &str, name: &str) -> String {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    }

    fn found(document: &Value, code: &str, path: &str) -> bool {
        check(document)
            .iter()
            .any(|f| f.code == code && f.path == path)
    }

    #[test]
    fn the_table_is_the_whole_register_task_definition_input() {
        assert_eq!(root().name, "RegisterTaskDefinitionRequest");
        assert_eq!(root().required, ["family", "containerDefinitions"]);
        assert_eq!(routes().len(), shapes().len(), "every shape is reachable");
        let container = shapes()
            .iter()
            .find(|s| s.name == "ContainerDefinition")
            .unwrap();
        assert!(container.members.iter().any(|m| m.name == "restartPolicy"));
        let request = root();
        for newer in [
            "enableFaultInjection",
            "runtimePlatform",
            "ephemeralStorage",
        ] {
            assert!(request.members.iter().any(|m| m.name == newer), "{newer}");
        }
    }

    /// Walks the model: every required member, enum, minimum and maximum of
    /// every shape RegisterTaskDefinition takes is enforced at its path, and
    /// the smallest valid value of every shape passes.
    #[test]
    fn every_constraint_of_the_api_model_is_enforced() {
        let mut checked = [0usize; 5];
        for (index, steps) in routes() {
            let shape = self::shape(index);
            let at = path_of(&steps);
            let valid = place(ROOT, &steps, minimal(shape));
            assert_eq!(check(&valid), vec![], "{} at {at:?}: {valid}", shape.name);
            let fails = |leaf: Value, code: &str, path: &str| {
                let document = place(ROOT, &steps, leaf);
                assert!(
                    found(&document, code, path),
                    "{} at {at:?}: no {code} at {path:?} for {document}: {:?}",
                    shape.name,
                    check(&document)
                );
            };
            match shape.kind {
                Kind::Structure => {
                    for required in shape.required {
                        let mut leaf = minimal(shape);
                        leaf.as_object_mut().unwrap().remove(*required);
                        fails(leaf, "api-required", &join(&at, required));
                        checked[0] += 1;
                    }
                    let mut leaf = minimal(shape);
                    leaf["notAMember"] = json!(1);
                    fails(leaf, "unknown-field", &join(&at, "notAMember"));
                    checked[1] += 1;
                }
                Kind::String if !shape.values.is_empty() => {
                    fails(json!("not-one-of-them"), "api-enum", &at);
                    checked[2] += 1;
                }
                _ => {}
            }
            if let Some(min) = shape.min.filter(|min| *min > 0) {
                let leaf = match shape.kind {
                    Kind::String => json!("x".repeat(min as usize - 1)),
                    Kind::List => json!([]),
                    Kind::Integer => json!(min - 1),
                    other => panic!("a minimum on a {other:?}"),
                };
                fails(leaf, "api-range", &at);
                checked[3] += 1;
            }
            if let Some(max) = shape.max {
                let leaf = match shape.kind {
                    Kind::String => json!("x".repeat(max as usize + 1)),
                    Kind::List => {
                        Value::Array(vec![minimal(self::shape(shape.item)); max as usize + 1])
                    }
                    Kind::Integer => json!(max + 1),
                    other => panic!("a maximum on a {other:?}"),
                };
                fails(leaf, "api-range", &at);
                checked[4] += 1;
            }
            // A value of the wrong type is refused by type.
            let wrong = match shape.kind {
                Kind::String => json!(7),
                _ => json!("text"),
            };
            fails(wrong, "json-type", &at);
        }
        let total_required: usize = shapes().iter().map(|s| s.required.len()).sum();
        assert_eq!(checked[0], total_required);
        assert!(checked[2] >= 20, "{checked:?}");
        assert!(checked[3] >= 3 && checked[4] >= 4, "{checked:?}");
    }

    #[test]
    fn messages_are_the_aws_clis_and_the_apis() {
        let document = json!({
            "family": "web",
            "containerDefinitions": [{"name": "web", "image": "nginx", "memoryReservaton": 1,
                "ulimits": [{"name": "nofile", "hardLimit": 1}],
                "dependsOn": [{"containerName": "db", "condition": "READY"}]}],
            "tags": [{"key": ""}]
        });
        let messages: Vec<String> = check(&document).into_iter().map(|f| f.message).collect();
        for expected in [
            "Missing required parameter in containerDefinitions[0].ulimits[0]: \"softLimit\"",
            "1 validation error detected: Value 'READY' at 'containerDefinitions.1.member.dependsOn.1.member.condition' failed to satisfy constraint: Member must satisfy enum value set: [START, COMPLETE, SUCCESS, HEALTHY]",
            "Invalid length for parameter tags[0].key, value: 0, valid min length: 1",
        ] {
            assert!(messages.iter().any(|m| m == expected), "{expected}\n{messages:#?}");
        }
        assert!(messages.iter().any(|m| m.starts_with(
            "Unknown parameter in containerDefinitions[0]: \"memoryReservaton\", must be one of: "
        )));
        let missing = check(&json!({}));
        assert_eq!(
            missing[0].message,
            "Missing required parameter in input: \"family\""
        );
    }
}
