//! AWS's API models, as botocore publishes them (Apache-2.0, trimmed by
//! `tools/api-models/extract.py` to the operations Dockyard speaks; see
//! `api/README.md`). They are the terminal's source of truth for what each
//! command is called, which flags it takes and of what type, what a
//! request and a response may contain, and the waiters' acceptors. Nothing
//! here is typed in by hand from the documentation.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A service the terminal speaks: its name after `aws`, and its model.
pub(crate) struct Api {
    pub(crate) cli: &'static str,
    model: Value,
    /// Its operations' names and CLI names, in the CLI's (alphabetical) order.
    names: Vec<(String, String)>,
}

/// The services, by the name the AWS CLI gives them.
const SOURCES: &[(&str, &str)] = &[
    ("ecs", include_str!("../api/ecs.json")),
    ("iam", include_str!("../api/iam.json")),
    ("ec2", include_str!("../api/ec2.json")),
    ("elbv2", include_str!("../api/elbv2.json")),
    ("sts", include_str!("../api/sts.json")),
    (
        "application-autoscaling",
        include_str!("../api/application-autoscaling.json"),
    ),
    ("ecr", include_str!("../api/ecr.json")),
    ("eks", include_str!("../api/eks.json")),
    ("organizations", include_str!("../api/organizations.json")),
    // The CLI calls botocore's "s3" model "s3api" (its "s3" is the
    // high-level file commands, which Dockyard does not simulate).
    ("s3api", include_str!("../api/s3.json")),
    ("kms", include_str!("../api/kms.json")),
    ("secretsmanager", include_str!("../api/secretsmanager.json")),
];

/// botocore's waiters, for the services whose `aws SERVICE wait` the
/// terminal runs.
const WAITERS: &[(&str, &str)] = &[
    ("ecs", include_str!("../api/ecs.waiters.json")),
    ("eks", include_str!("../api/eks.waiters.json")),
];

pub(crate) fn services() -> &'static [Api] {
    static APIS: OnceLock<Vec<Api>> = OnceLock::new();
    APIS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(cli, text)| {
                let model: Value =
                    serde_json::from_str(text).expect("a vendored API model is JSON");
                let mut names: Vec<(String, String)> = model["operations"]
                    .as_object()
                    .expect("a model has operations")
                    .keys()
                    .map(|name| (name.clone(), xform_name(name)))
                    .collect();
                names.sort_by(|a, b| a.1.cmp(&b.1));
                Api { cli, model, names }
            })
            .collect()
    })
}

pub(crate) fn service(cli: &str) -> Option<&'static Api> {
    services().iter().find(|api| api.cli == cli)
}

/// A service's waiters (`aws ecs wait ...`, `aws eks wait ...`), as
/// botocore defines them; `None` for a service without them.
pub(crate) fn waiters(cli: &str) -> Option<&'static Map<String, Value>> {
    static PARSED: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            WAITERS
                .iter()
                .map(|(cli, text)| {
                    let file: Value =
                        serde_json::from_str(text).expect("the vendored waiters are JSON");
                    (*cli, file["waiters"].clone())
                })
                .collect()
        })
        .iter()
        .find(|(name, _)| *name == cli)
        .and_then(|(_, waiters)| waiters.as_object())
}

/// One operation of a service.
#[derive(Clone, Copy)]
pub(crate) struct Operation {
    pub(crate) api: &'static Api,
    pub(crate) name: &'static str,
    pub(crate) cli: &'static str,
}

impl Api {
    fn operations_map(&self) -> &Map<String, Value> {
        self.model["operations"]
            .as_object()
            .expect("a model has operations")
    }

    /// Every operation, in the CLI's (alphabetical) order.
    pub(crate) fn operations(&'static self) -> impl Iterator<Item = Operation> {
        self.names.iter().map(move |(name, cli)| Operation {
            api: self,
            name,
            cli,
        })
    }

    pub(crate) fn operation(&'static self, cli: &str) -> Option<Operation> {
        self.operations().find(|op| op.cli == cli)
    }

    pub(crate) fn shape(&self, name: &str) -> Shape<'_> {
        Shape {
            api: self,
            name: name.to_string(),
            body: &self.model["shapes"][name],
        }
    }
}

impl Operation {
    fn field(&self, key: &str) -> Option<&'static str> {
        self.api.operations_map()[self.name]
            .get(key)
            .and_then(Value::as_str)
    }

    pub(crate) fn input(&self) -> Option<Shape<'static>> {
        self.field("input").map(|name| self.api.shape(name))
    }

    pub(crate) fn output(&self) -> Option<Shape<'static>> {
        self.field("output").map(|name| self.api.shape(name))
    }

    /// The exceptions the operation is documented to return.
    #[cfg(test)]
    pub(crate) fn errors(&self) -> Vec<&'static str> {
        self.api.operations_map()[self.name]["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// What a shape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Structure,
    List,
    Map,
    String,
    Integer,
    Float,
    Boolean,
    Timestamp,
    Blob,
}

/// A shape of a model, with its name (for messages).
#[derive(Clone)]
pub(crate) struct Shape<'a> {
    api: &'a Api,
    /// Named in the tests' messages.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) name: String,
    body: &'a Value,
}

impl<'a> Shape<'a> {
    pub(crate) fn kind(&self) -> Kind {
        match self.body["type"].as_str().unwrap_or("string") {
            "structure" => Kind::Structure,
            "list" => Kind::List,
            "map" => Kind::Map,
            "integer" | "long" => Kind::Integer,
            "float" | "double" => Kind::Float,
            "boolean" => Kind::Boolean,
            "timestamp" => Kind::Timestamp,
            "blob" => Kind::Blob,
            _ => Kind::String,
        }
    }

    /// A structure's members, in the model's (alphabetical) order.
    pub(crate) fn members(&self) -> Vec<(&'a str, Shape<'a>)> {
        self.body["members"]
            .as_object()
            .map(|members| {
                members
                    .iter()
                    .map(|(name, member)| {
                        let shape = member["shape"].as_str().unwrap_or_default();
                        (name.as_str(), self.api.shape(shape))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn member(&self, name: &str) -> Option<Shape<'a>> {
        let shape = self.body["members"].get(name)?["shape"].as_str()?;
        Some(self.api.shape(shape))
    }

    pub(crate) fn required(&self) -> Vec<&'a str> {
        self.body["required"]
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// A list's items.
    pub(crate) fn item(&self) -> Shape<'a> {
        self.api
            .shape(self.body["member"]["shape"].as_str().unwrap_or_default())
    }

    /// A map's values (its keys are strings in every model used here).
    pub(crate) fn value(&self) -> Shape<'a> {
        self.api
            .shape(self.body["value"]["shape"].as_str().unwrap_or_default())
    }

    pub(crate) fn enum_values(&self) -> Vec<&'a str> {
        self.body["enum"]
            .as_array()
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    pub(crate) fn min(&self) -> Option<i64> {
        self.body["min"].as_i64()
    }

    pub(crate) fn max(&self) -> Option<i64> {
        self.body["max"].as_i64()
    }
}

/// The AWS CLI's name for an operation or a parameter: botocore's
/// `xform_name(name, '-')`, checked against botocore itself for every name
/// Dockyard uses (`api/cli-names.json`, in this module's tests).
pub(crate) fn xform_name(name: &str) -> String {
    const SEP: char = '-';
    if name.contains(SEP) {
        return name.to_string();
    }
    let chars: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$` (ARNs, ACLs) becomes one lower-case word.
    let mut name: Vec<char> = chars.clone();
    let upper_run = chars
        .iter()
        .rev()
        .skip(1)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    if chars.last() == Some(&'s') && upper_run >= 2 {
        let split = chars.len() - 1 - upper_run;
        name = chars[..split].to_vec();
        name.push(SEP);
        name.extend(chars[split..].iter().map(|c| c.to_ascii_lowercase()));
    }
    // `(.)([A-Z][a-z]+)` -> `\1-\2`, left to right without overlapping.
    let mut first = Vec::new();
    let mut i = 0;
    while i < name.len() {
        let c = name[i];
        let upper = name.get(i + 1).is_some_and(|c| c.is_ascii_uppercase());
        let lowers = name[(i + 2).min(name.len())..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if upper && lowers > 0 {
            first.push(c);
            first.push(SEP);
            first.extend_from_slice(&name[i + 1..i + 2 + lowers]);
            i += 2 + lowers;
        } else {
            first.push(c);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` -> `\1-\2`, then lower case.
    let mut out = String::new();
    let mut i = 0;
    while i < first.len() {
        let c = first[i];
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && first.get(i + 1).is_some_and(|c| c.is_ascii_uppercase())
        {
            out.push(c);
            out.push(SEP);
            out.push(first[i + 1]);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation and parameter name, as botocore itself turned it
    /// into the CLI's (written by the extraction script).
    #[test]
    fn cli_names_match_botocore() {
        let names: Value = serde_json::from_str(include_str!("../api/cli-names.json")).unwrap();
        let mut checked = 0;
        for (service, operations) in names.as_object().unwrap() {
            for (operation, entry) in operations.as_object().unwrap() {
                assert_eq!(xform_name(operation), entry["cli"], "{service} {operation}");
                for (member, flag) in entry["params"].as_object().unwrap() {
                    assert_eq!(xform_name(member), *flag, "{service} {operation} {member}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "only {checked} names checked");
        assert_eq!(
            xform_name("enableECSManagedTags"),
            "enable-ecs-managed-tags"
        );
        assert_eq!(xform_name("ResourceARNs"), "resource-arns");
    }

    #[test]
    fn every_operation_has_a_cli_name_and_shapes_resolve() {
        let ecs = service("ecs").unwrap();
        let create = ecs.operation("create-service").unwrap();
        assert_eq!(create.name, "CreateService");
        let input = create.input().unwrap();
        assert_eq!(input.required(), ["serviceName"]);
        assert_eq!(input.member("desiredCount").unwrap().kind(), Kind::Integer);
        let network = input.member("networkConfiguration").unwrap();
        assert_eq!(network.kind(), Kind::Structure);
        let subnets = network
            .member("awsvpcConfiguration")
            .unwrap()
            .member("subnets")
            .unwrap();
        assert_eq!(
            (subnets.kind(), subnets.item().kind()),
            (Kind::List, Kind::String)
        );
        assert!(create.errors().contains(&"ClusterNotFoundException"));
        assert!(waiters("ecs").unwrap().contains_key("ServicesStable"));
        // Every vendored waiter calls an operation the terminal simulates.
        for cli in ["ecs", "eks"] {
            for (name, waiter) in waiters(cli).unwrap() {
                let operation = waiter["operation"].as_str().unwrap();
                assert!(
                    service(cli)
                        .unwrap()
                        .operations()
                        .any(|op| op.name == operation),
                    "{cli} waiter {name} calls {operation}, which is not vendored"
                );
            }
        }
    }
}
