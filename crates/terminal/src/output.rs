//! A response printed as the AWS CLI prints it: `--query` (JMESPath) first,
//! then `--output json` (the default: four-space indents, as Python's
//! `json.dumps(indent=4)`), `text` (tab-separated, one line per record) or
//! `table` (boxed, titled by the operation).

use serde::Serialize;
use serde_json::Value;

/// Applies a JMESPath query; the error is the CLI's.
pub(crate) fn query(value: &Value, expression: &str) -> Result<Value, String> {
    let compiled = jmespath::compile(expression).map_err(|error| {
        format!(
            "Bad value for --query {expression}: {}",
            first_line(&error.to_string())
        )
    })?;
    let data = jmespath::Variable::from_json(&value.to_string())
        .map_err(|error| format!("Bad value for --query {expression}: {error}"))?;
    let result = compiled.search(data).map_err(|error| {
        format!(
            "Bad value for --query {expression}: {}",
            first_line(&error.to_string())
        )
    })?;
    serde_json::to_value(&*result).map_err(|error| error.to_string())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// JSON as the CLI prints it.
pub(crate) fn json(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value always serialises");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// The text format: scalars of a record on one tab-separated line, led by
/// the record's name in capitals; lists of scalars on one line.
pub(crate) fn text(value: &Value) -> String {
    let mut out = String::new();
    text_into(value, None, &mut out);
    out
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(true) => Some("True".to_string()),
        Value::Bool(false) => Some("False".to_string()),
        Value::Null => Some("None".to_string()),
        _ => None,
    }
}

fn text_into(value: &Value, name: Option<&str>, out: &mut String) {
    match value {
        Value::Object(map) => {
            let scalars: Vec<String> = map.values().filter_map(scalar).collect();
            if !scalars.is_empty() {
                let mut line = Vec::new();
                if let Some(name) = name {
                    line.push(name.to_uppercase());
                }
                line.extend(scalars);
                out.push_str(&line.join("\t"));
                out.push('\n');
            }
            for (key, child) in map {
                if scalar(child).is_none() {
                    text_into(child, Some(key), out);
                }
            }
        }
        Value::Array(items) => {
            if items.iter().all(|item| scalar(item).is_some()) {
                if items.is_empty() {
                    return;
                }
                let mut line = Vec::new();
                if let Some(name) = name {
                    line.push(name.to_uppercase());
                }
                line.extend(items.iter().filter_map(scalar));
                out.push_str(&line.join("\t"));
                out.push('\n');
            } else {
                for item in items {
                    text_into(item, name, out);
                }
            }
        }
        other => {
            if let Some(text) = scalar(other) {
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
}

/// The table format: a titled box per record, its scalars as rows.
pub(crate) fn table(value: &Value, title: &str) -> String {
    let mut rows: Vec<(usize, String, String)> = Vec::new();
    table_rows(value, 0, &mut rows);
    let key_width = rows
        .iter()
        .map(|(d, k, _)| d * 2 + k.chars().count())
        .max()
        .unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|(_, _, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    let width = (key_width + value_width + 5).max(title.chars().count() + 4);
    let rule = format!("{}\n", "-".repeat(width));
    let mut out = rule.clone();
    out.push_str(&format!("|{:^inner$}|\n", title, inner = width - 2));
    out.push_str(&rule);
    for (depth, key, value) in rows {
        let key = format!("{}{}", "  ".repeat(depth), key);
        if value.is_empty() {
            out.push_str(&format!("|{:^inner$}|\n", key.trim(), inner = width - 2));
        } else {
            out.push_str(&format!(
                "|  {key:<key_width$} | {value:<value_width$}|\n",
                value_width = width - key_width - 6
            ));
        }
    }
    out.push_str(&rule);
    out
}

fn table_rows(value: &Value, depth: usize, rows: &mut Vec<(usize, String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match scalar(child) {
                    Some(text) => rows.push((depth, key.clone(), text)),
                    None => {
                        rows.push((depth, key.clone(), String::new()));
                        table_rows(child, depth + 1, rows);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match scalar(item) {
                    Some(text) => rows.push((depth, String::new(), text)),
                    None => table_rows(item, depth, rows),
                }
            }
        }
        other => {
            if let Some(text) = scalar(other) {
                rows.push((depth, String::new(), text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_uses_four_spaces() {
        assert_eq!(
            json(&json!({"a": [1]})),
            "{\n    \"a\": [\n        1\n    ]\n}\n"
        );
    }

    #[test]
    fn query_selects_and_reports_bad_expressions() {
        let value = json!({"services": [{"serviceName": "web", "runningCount": 2}]});
        assert_eq!(query(&value, "services[0].runningCount").unwrap(), json!(2));
        assert_eq!(
            query(&value, "services[].serviceName").unwrap(),
            json!(["web"])
        );
        assert!(query(&value, "services[")
            .unwrap_err()
            .starts_with("Bad value for --query services["));
    }

    #[test]
    fn text_puts_a_record_on_a_line() {
        let value = json!({"taskArns": ["a", "b"]});
        assert_eq!(text(&value), "TASKARNS\ta\tb\n");
        assert_eq!(text(&json!("x")), "x\n");
    }
}
