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

/// The table format, as the CLI draws it: a titled box; a list of records
/// is a table with their keys as headings, a list of lists a table of
/// columns, a record its keys beside their values, and nested records and
/// lists boxes of their own below, titled by their key.
pub(crate) fn table(value: &Value, title: &str) -> String {
    let mut out = String::new();
    table_into(value, title, &mut out);
    out
}

fn table_into(value: &Value, title: &str, out: &mut String) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut headings: Option<Vec<String>> = None;
    let mut nested: Vec<(String, &Value)> = Vec::new();
    match value {
        Value::Array(items) if items.iter().all(|i| i.is_object()) && !items.is_empty() => {
            let mut keys: Vec<String> = Vec::new();
            for item in items {
                for (key, child) in item.as_object().into_iter().flatten() {
                    if scalar(child).is_some() && !keys.contains(key) {
                        keys.push(key.clone());
                    }
                }
            }
            for item in items {
                rows.push(
                    keys.iter()
                        .map(|k| item.get(k).and_then(scalar).unwrap_or_default())
                        .collect(),
                );
                for (key, child) in item.as_object().into_iter().flatten() {
                    if scalar(child).is_none() {
                        nested.push((key.clone(), child));
                    }
                }
            }
            headings = Some(keys);
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(cells) => rows.push(
                        cells
                            .iter()
                            .map(|c| scalar(c).unwrap_or_default())
                            .collect(),
                    ),
                    other => match scalar(other) {
                        Some(text) => rows.push(vec![text]),
                        None => nested.push((title.to_string(), other)),
                    },
                }
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                match scalar(child) {
                    Some(text) => rows.push(vec![key.clone(), text]),
                    None => nested.push((key.clone(), child)),
                }
            }
        }
        other => rows.push(vec![scalar(other).unwrap_or_default()]),
    }
    let columns = rows
        .iter()
        .chain(headings.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows.iter().chain(headings.iter()) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let inner: usize = widths
        .iter()
        .map(|w| w + 4)
        .sum::<usize>()
        .saturating_sub(1);
    let inner = inner.max(title.chars().count() + 4);
    if columns > 0 {
        // The last column takes what the title needs beyond the cells.
        let cells: usize = widths
            .iter()
            .map(|w| w + 4)
            .sum::<usize>()
            .saturating_sub(1);
        if let Some(last) = widths.last_mut() {
            *last += inner - cells;
        }
    }
    let rule = |c: char| {
        let mut line = String::from(c);
        for (i, w) in widths.iter().enumerate() {
            line.push_str(&"-".repeat(w + 3));
            line.push(if i + 1 == widths.len() { c } else { '+' });
        }
        line.push('\n');
        line
    };
    out.push_str(&format!("{}\n", "-".repeat(inner + 2)));
    out.push_str(&format!("|{:^inner$}|\n", title));
    if columns > 0 {
        out.push_str(&rule('+'));
        let line = |row: &Vec<String>, center: bool| {
            let mut text = String::from("|");
            for (i, w) in widths.iter().enumerate() {
                let cell = row.get(i).cloned().unwrap_or_default();
                if center {
                    text.push_str(&format!(" {cell:^w$}  |"));
                } else {
                    text.push_str(&format!("  {cell:<w$} |"));
                }
            }
            text.push('\n');
            text
        };
        if let Some(headings) = &headings {
            out.push_str(&line(headings, true));
            out.push_str(&rule('+'));
        }
        for row in &rows {
            out.push_str(&line(row, false));
        }
        out.push_str(&rule('+'));
    } else {
        out.push_str(&format!("{}\n", "-".repeat(inner + 2)));
    }
    for (key, child) in nested {
        table_into(child, &key, out);
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
    fn tables_have_columns_and_headings() {
        let rows = table(
            &json!([["subnet-a", "us-east-1a"], ["subnet-bb", "us-east-1b"]]),
            "DescribeSubnets",
        );
        assert_eq!(
            rows,
            "----------------------------\n\
             |     DescribeSubnets      |\n\
             +------------+-------------+\n\
             |  subnet-a  |  us-east-1a |\n\
             |  subnet-bb |  us-east-1b |\n\
             +------------+-------------+\n"
        );
        let records = table(&json!([{"name": "web", "count": 2}]), "T");
        assert!(records.contains("| count  | name  |"), "{records}");
        assert!(records.contains("|  2     |  web  |"), "{records}");
    }

    #[test]
    fn text_puts_a_record_on_a_line() {
        let value = json!({"taskArns": ["a", "b"]});
        assert_eq!(text(&value), "TASKARNS\ta\tb\n");
        assert_eq!(text(&json!("x")), "x\n");
    }
}
