//! YAML as kubectl reads and writes it. Reading: yaml-rust2's event parser
//! builds JSON values directly, resolving plain scalars as go-yaml v2 does
//! (kubectl converts YAML to JSON through it): `yes`, `on` and `off` are
//! booleans there, `0755` is octal. Aliases are expanded within a budget, so
//! a hostile file cannot make a billion values. Writing: keys in
//! alphabetical order and sequences level with their key, as `-o yaml`
//! prints them.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How many values the aliases of one stream may add.
const ALIAS_BUDGET: usize = 100_000;

enum Frame {
    Sequence(Vec<Value>, usize),
    Mapping(Map<String, Value>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    documents: Vec<Value>,
    stack: Vec<Frame>,
    anchors: std::collections::HashMap<usize, Value>,
    expanded: usize,
    error: Option<String>,
}

fn size(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

impl Builder {
    fn fail(&mut self, line: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(format!("yaml: line {line}: {message}"));
        }
    }

    /// Puts a finished value where it belongs: a document, a sequence's
    /// item, a mapping's key or its value.
    fn place(&mut self, value: Value, anchor: usize, line: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        let problem = match self.stack.last_mut() {
            None => {
                self.documents.push(value);
                None
            }
            Some(Frame::Sequence(items, _)) => {
                items.push(value);
                None
            }
            Some(Frame::Mapping(map, key, _)) => match key.take() {
                Some(key) => {
                    let twice = map.contains_key(&key);
                    let problem = twice.then(|| format!("key {key:?} already set in map"));
                    map.insert(key, value);
                    problem
                }
                None => match value {
                    Value::String(text) => {
                        *key = Some(text);
                        None
                    }
                    Value::Null => {
                        *key = Some("null".into());
                        None
                    }
                    Value::Bool(b) => {
                        *key = Some(b.to_string());
                        None
                    }
                    Value::Number(n) => {
                        *key = Some(n.to_string());
                        None
                    }
                    _ => Some("a mapping or sequence cannot be a key".to_string()),
                },
            },
        };
        if let Some(problem) = problem {
            self.fail(line, problem);
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = if style != TScalarStyle::Plain
                    || tag.as_ref().is_some_and(|t| t.suffix == "str")
                {
                    Value::String(text)
                } else {
                    resolve_plain(text)
                };
                self.place(value, anchor, line);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Sequence(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Mapping(Map::new(), None, anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Sequence(items, anchor)) => {
                    self.place(Value::Array(items), anchor, line)
                }
                Some(Frame::Mapping(map, _, anchor)) => {
                    self.place(Value::Object(map), anchor, line)
                }
                None => {}
            },
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(value) => {
                    self.expanded += size(&value);
                    if self.expanded > ALIAS_BUDGET {
                        self.fail(line, "document contains excessive aliasing".into());
                    } else {
                        self.place(value, 0, line);
                    }
                }
                None => self.fail(line, "unknown anchor referenced".into()),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar as go-yaml v2 resolves it (YAML 1.1's booleans).
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        _ => {}
    }
    if let Some(n) = resolve_int(&text) {
        return Value::Number(n.into());
    }
    let float_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
        && text.chars().any(|c| c.is_ascii_digit());
    if float_like {
        if let Some(n) = text
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
        {
            return Value::Number(n);
        }
    }
    Value::String(text)
}

fn resolve_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = digits.replace('_', "");
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex.to_string())
    } else if let Some(bin) = digits.strip_prefix("0b") {
        (2, bin.to_string())
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, digits[1..].to_string())
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = i64::from_str_radix(&body, radix).ok()?;
    Some(if negative { -n } else { n })
}

/// Every document of a YAML stream, as JSON; empty documents are left out
/// as kubectl leaves them out. The error is go-yaml's: `yaml: line N: ...`.
pub(crate) fn documents(text: &str) -> Result<Vec<Value>, String> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, true) {
        return Err(format!(
            "yaml: line {}: {}",
            error.marker().line(),
            error.info()
        ));
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder
        .documents
        .into_iter()
        .filter(|d| !d.is_null())
        .collect())
}

/// `-o yaml`.
pub(crate) fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(key));
        out.push(':');
        write_nested(out, value, indent, indent + 2);
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first key on the dash's line, the rest under it.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(&string(key));
                    out.push(':');
                    write_nested(out, value, indent + 2, indent + 4);
                }
            }
            other => write_nested(out, other, indent, indent + 2),
        }
    }
}

/// After `key:` or `-`: a scalar on the same line, a collection below.
/// A sequence under a key sits level with the key, as go-yaml writes it.
fn write_nested(out: &mut String, value: &Value, key_indent: usize, inner: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, inner);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, key_indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string plain when it reads back as the same string, double-quoted
/// otherwise (numbers, booleans, timestamps, special characters).
fn string(text: &str) -> String {
    let special_start = text.starts_with(|c: char| {
        matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
                | ' '
        )
    });
    let timestamp_like = text.len() >= 10
        && text[..4].chars().all(|c| c.is_ascii_digit())
        && text.as_bytes()[4] == b'-';
    let needs_quotes = text.is_empty()
        || special_start
        || timestamp_like
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.contains(['\n', '\t', '\r'])
        || text.chars().any(|c| c.is_control())
        || resolve_plain(text.to_string()) != Value::String(text.to_string());
    if needs_quotes {
        serde_json::to_string(text).expect("a string")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_several_documents_with_yaml_1_1_scalars() {
        let docs = documents(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n---\n---\na: yes\nb: \"yes\"\nc: 0755\nd: 1.5\ne: ~\nf: [1, two]\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0]["metadata"]["name"], "batch");
        assert_eq!(
            docs[1],
            json!({"a": true, "b": "yes", "c": 493, "d": 1.5, "e": null, "f": [1, "two"]})
        );
    }

    #[test]
    fn errors_name_the_line() {
        let error = documents("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(error.starts_with("yaml: line "), "{error}");
        let error = documents("a: 1\na: 2\n").unwrap_err();
        assert_eq!(error, "yaml: line 2: key \"a\" already set in map");
    }

    #[test]
    fn aliases_expand_within_a_budget() {
        assert_eq!(
            documents("base: &b {cpu: 1}\nother: *b\n").unwrap()[0]["other"],
            json!({"cpu": 1})
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(documents(&bomb).unwrap_err().contains("excessive aliasing"));
    }

    #[test]
    fn writes_what_it_reads() {
        let value = json!({
            "apiVersion": "apps/v1",
            "metadata": {"creationTimestamp": "2026-01-01T00:00:00Z", "labels": {"app": "web"}},
            "spec": {"containers": [{"image": "nginx:1.27", "name": "web", "ports": [{"containerPort": 80}]}], "empty": [], "flag": "yes"},
        });
        let text = to_yaml(&value);
        assert!(text.contains("  containers:\n  - image: nginx:1.27\n    name: web\n    ports:\n    - containerPort: 80\n"), "{text}");
        assert!(
            text.contains("creationTimestamp: \"2026-01-01T00:00:00Z\""),
            "{text}"
        );
        assert!(text.contains("flag: \"yes\""), "{text}");
        assert_eq!(documents(&text).unwrap(), vec![value]);
    }
}
