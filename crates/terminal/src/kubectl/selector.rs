//! Label selectors: a manifest's `matchLabels` and `matchExpressions`, and
//! kubectl's `-l` (`app=web,tier!=db,env in (a,b),!canary`).

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
}

/// A label selector: every requirement must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Selector {
    requirements: Vec<(String, Op)>,
}

impl Selector {
    pub(crate) fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The requirements that are label equalities (`matchLabels`, or `In`
    /// with one value), as a map.
    pub(crate) fn match_labels(&self) -> BTreeMap<String, String> {
        self.requirements
            .iter()
            .filter_map(|(key, op)| match op {
                Op::In(values) if values.len() == 1 => Some((key.clone(), values[0].clone())),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|(key, op)| {
            let value = labels.get(key);
            match op {
                Op::In(values) => value.is_some_and(|v| values.contains(v)),
                Op::NotIn(values) => value.is_none_or(|v| !values.contains(v)),
                Op::Exists => value.is_some(),
                Op::DoesNotExist => value.is_none(),
            }
        })
    }

    /// A `metav1.LabelSelector`; the error is the API server's cause.
    pub(crate) fn from_json(value: &Value) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        if let Some(labels) = value.get("matchLabels").and_then(Value::as_object) {
            for (key, v) in labels {
                let v = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                requirements.push((key.clone(), Op::In(vec![v])));
            }
        }
        if let Some(expressions) = value.get("matchExpressions").and_then(Value::as_array) {
            for (i, e) in expressions.iter().enumerate() {
                let key = e["key"].as_str().unwrap_or("").to_string();
                let values: Vec<String> = e["values"]
                    .as_array()
                    .map(|vs| {
                        vs.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                let path = format!("matchExpressions[{i}]");
                let op = match e["operator"].as_str().unwrap_or("") {
                    "In" | "NotIn" if values.is_empty() => {
                        return Err(format!("{path}.values: Required value: must be specified when `operator` is 'In' or 'NotIn'"))
                    }
                    "In" => Op::In(values),
                    "NotIn" => Op::NotIn(values),
                    "Exists" | "DoesNotExist" if !values.is_empty() => {
                        return Err(format!("{path}.values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                    }
                    "Exists" => Op::Exists,
                    "DoesNotExist" => Op::DoesNotExist,
                    other => {
                        return Err(format!("{path}.operator: Invalid value: \"{other}\": not a valid selector operator"))
                    }
                };
                requirements.push((key, op));
            }
        }
        Ok(Selector { requirements })
    }

    /// kubectl's `-l` syntax.
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                (key.trim().to_string(), Op::DoesNotExist)
            } else if let Some((key, v)) = part.split_once("!=") {
                (
                    key.trim().to_string(),
                    Op::NotIn(vec![v.trim().to_string()]),
                )
            } else if let Some((key, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (key.trim().to_string(), Op::In(vec![v.trim().to_string()]))
            } else if let Some((key, set)) = part.split_once(" notin ") {
                (key.trim().to_string(), Op::NotIn(set_values(set)?))
            } else if let Some((key, set)) = part.split_once(" in ") {
                (key.trim().to_string(), Op::In(set_values(set)?))
            } else {
                (part.to_string(), Op::Exists)
            };
            if requirement.0.is_empty() || requirement.0.contains(' ') {
                return Err(format!(
                    "unable to parse requirement: found '{part}', expected: identifier"
                ));
            }
            requirements.push(requirement);
        }
        Ok(Selector { requirements })
    }
}

/// Splits at commas outside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn set_values(set: &str) -> Result<Vec<String>, String> {
    let inner = set
        .trim()
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("unable to parse requirement: found '{set}', expected: '('"))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_labels_and_expressions_all_hold() {
        let s = Selector::from_json(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "edge"]},
                                 {"key": "canary", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "edge")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(!s.matches(&labels(&[
            ("app", "web"),
            ("tier", "edge"),
            ("canary", "1")
        ])));
        let bad =
            Selector::from_json(&json!({"matchExpressions": [{"key": "a", "operator": "In"}]}));
        assert!(bad.unwrap_err().contains("values: Required value"));
    }

    #[test]
    fn kubectl_l_syntax() {
        let s = Selector::parse("app=web,tier!=db,env in (prod, stage),!canary").unwrap();
        assert!(s.matches(&labels(&[("app", "web"), ("env", "prod")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("env", "dev")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("env", "prod"), ("tier", "db")])));
        assert!(Selector::parse("app")
            .unwrap()
            .matches(&labels(&[("app", "x")])));
    }
}
