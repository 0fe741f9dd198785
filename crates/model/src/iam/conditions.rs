//! IAM `Condition` blocks, evaluated against a request's context as AWS
//! documents it (IAM User Guide: "IAM JSON policy elements: Condition
//! operators", "Condition with multiple context keys or values", "Single-
//! valued vs. multivalued context keys", "IAM policy elements: Variables
//! and tags"):
//!
//! - every operator of a block must hold, and every key under an operator;
//!   several values for one key are ORed (a negated operator holds when the
//!   key matches none of them);
//! - a key absent from the request context does not match: the condition is
//!   false, except for negated operators (`StringNotEquals`, `ArnNotLike`,
//!   ...), which are then true; `...IfExists` makes an absent key true, and
//!   `Null` tests for presence;
//! - `ForAnyValue:` needs one request value to match (false for an absent or
//!   empty key), `ForAllValues:` needs every request value to match (true
//!   for an absent or empty key);
//! - `${...}` policy variables in condition values (policy version
//!   2012-10-17) take the request's values, with `${key, 'default'}`
//!   defaults and the `${*}`, `${?}`, `${$}` escapes.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;
use serde_json::Value;

use super::matching::wildcard_match;

/// The condition keys of one request and their values. Key names compare
/// case-insensitively, as IAM compares them; a multivalued key
/// (`aws:TagKeys`) has several values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RequestContext {
    keys: BTreeMap<String, Vec<String>>,
}

impl RequestContext {
    pub fn new() -> Self {
        RequestContext::default()
    }

    /// Sets a single-valued key.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.set(key, vec![value.to_string()]);
        self
    }

    /// Sets a multivalued key (an empty list is a present but empty key).
    pub fn with_values(mut self, key: &str, values: &[&str]) -> Self {
        self.set(key, values.iter().map(|v| v.to_string()).collect());
        self
    }

    pub fn set(&mut self, key: &str, values: Vec<String>) {
        self.keys.insert(key.to_ascii_lowercase(), values);
    }

    /// The values of `key`, or `None` when the request does not carry it.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.keys.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }
}

/// Whether a condition block held, and why, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionOutcome {
    pub holds: bool,
    /// One sentence per test: what the request had and what the condition
    /// wanted, and how an absent key was treated.
    pub reasons: Vec<String>,
}

/// A malformed condition block: `path` inside the block and the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionError {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for ConditionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Condition.{}: {}", self.path, self.reason)
    }
}

/// The operator families AWS documents, without qualifier or suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Test {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
}

/// A parsed operator: its test, whether it is negated, `IfExists`, and its
/// set qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Operator {
    test: Test,
    negated: bool,
    if_exists: bool,
    qualifier: Qualifier,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

fn parse_operator(name: &str) -> Option<Result<Operator, ()>> {
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Qualifier::ForAnyValue, rest)
    } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Qualifier::ForAllValues, rest)
    } else {
        (Qualifier::None, name)
    };
    if rest == "Null" {
        // Null takes neither IfExists nor a qualifier.
        return (qualifier == Qualifier::None).then_some(Err(()));
    }
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let (test, negated) = match base {
        "StringEquals" => (Test::StringEquals, false),
        "StringNotEquals" => (Test::StringEquals, true),
        "StringEqualsIgnoreCase" => (Test::StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Test::StringEqualsIgnoreCase, true),
        "StringLike" => (Test::StringLike, false),
        "StringNotLike" => (Test::StringLike, true),
        "NumericEquals" => (Test::NumericEquals, false),
        "NumericNotEquals" => (Test::NumericEquals, true),
        "NumericLessThan" => (Test::NumericLessThan, false),
        "NumericLessThanEquals" => (Test::NumericLessThanEquals, false),
        "NumericGreaterThan" => (Test::NumericGreaterThan, false),
        "NumericGreaterThanEquals" => (Test::NumericGreaterThanEquals, false),
        "DateEquals" => (Test::DateEquals, false),
        "DateNotEquals" => (Test::DateEquals, true),
        "DateLessThan" => (Test::DateLessThan, false),
        "DateLessThanEquals" => (Test::DateLessThanEquals, false),
        "DateGreaterThan" => (Test::DateGreaterThan, false),
        "DateGreaterThanEquals" => (Test::DateGreaterThanEquals, false),
        "Bool" => (Test::Bool, false),
        "BinaryEquals" => (Test::BinaryEquals, false),
        "IpAddress" => (Test::IpAddress, false),
        "NotIpAddress" => (Test::IpAddress, true),
        "ArnEquals" | "ArnLike" => (Test::ArnLike, false),
        "ArnNotEquals" | "ArnNotLike" => (Test::ArnLike, true),
        _ => return None,
    };
    Some(Ok(Operator {
        test,
        negated,
        if_exists,
        qualifier,
    }))
}

/// Checks a `Condition` block's shape: an object of operators, each an
/// object of keys, each a string, number, boolean or array of them.
pub fn check_block(block: &Value) -> Result<(), ConditionError> {
    let Value::Object(operators) = block else {
        return Err(ConditionError {
            path: String::new(),
            reason: "a Condition is an object of condition operators".into(),
        });
    };
    for (name, keys) in operators {
        if parse_operator(name).is_none() {
            return Err(ConditionError {
                path: name.clone(),
                reason: format!("{name} is not a condition operator IAM knows"),
            });
        }
        let Value::Object(keys) = keys else {
            return Err(ConditionError {
                path: name.clone(),
                reason: "an operator takes an object of condition keys and values".into(),
            });
        };
        for (key, values) in keys {
            let scalar = |v: &Value| v.is_string() || v.is_number() || v.is_boolean();
            let ok = scalar(values)
                || values
                    .as_array()
                    .is_some_and(|items| items.iter().all(scalar));
            if !ok {
                return Err(ConditionError {
                    path: format!("{name}.{key}"),
                    reason: "a condition value is a string, number or boolean, or an array of them"
                        .into(),
                });
            }
        }
    }
    Ok(())
}

/// The condition keys a block tests, as written.
pub fn keys(block: &Value) -> Vec<String> {
    block
        .as_object()
        .into_iter()
        .flat_map(|operators| operators.values())
        .filter_map(Value::as_object)
        .flat_map(|keys| keys.keys().cloned())
        .collect()
}

/// Evaluates a `Condition` block against the request context. `variables`
/// is false for the legacy policy version, which has no policy variables.
pub fn evaluate_block(
    block: &Value,
    context: &RequestContext,
    variables: bool,
) -> Result<ConditionOutcome, ConditionError> {
    check_block(block)?;
    let mut reasons = Vec::new();
    let mut holds = true;
    for (name, keys) in block.as_object().expect("checked") {
        for (key, values) in keys.as_object().expect("checked") {
            let wanted: Vec<String> = match values {
                Value::Array(items) => items.iter().map(scalar_text).collect(),
                other => vec![scalar_text(other)],
            };
            let (ok, reason) = evaluate_one(name, key, &wanted, context, variables);
            holds &= ok;
            reasons.push(reason);
        }
    }
    Ok(ConditionOutcome { holds, reasons })
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn evaluate_one(
    name: &str,
    key: &str,
    wanted: &[String],
    context: &RequestContext,
    variables: bool,
) -> (bool, String) {
    let present = context.get(key);
    let shown = |values: &[String]| {
        if values.len() == 1 {
            values[0].clone()
        } else {
            format!("[{}]", values.join(", "))
        }
    };
    // Null: "true" means the key must be absent, "false" present.
    let Some(Ok(operator)) = parse_operator(name) else {
        let want_absent = wanted.iter().any(|w| w.eq_ignore_ascii_case("true"));
        let absent = present.is_none();
        let ok = absent == want_absent;
        return (
            ok,
            format!(
                "Null {key}: the key is {} in the request, the condition wants it {}: {}.",
                if absent { "absent" } else { "present" },
                if want_absent { "absent" } else { "present" },
                if ok { "holds" } else { "does not hold" }
            ),
        );
    };
    let Some(values) = present else {
        let ok = match operator.qualifier {
            Qualifier::ForAllValues => true,
            _ if operator.if_exists => true,
            Qualifier::ForAnyValue => false,
            Qualifier::None => operator.negated,
        };
        let how = if operator.if_exists {
            "IfExists makes an absent key true"
        } else if operator.qualifier == Qualifier::ForAllValues {
            "ForAllValues is true for an absent key"
        } else if operator.qualifier == Qualifier::ForAnyValue {
            "ForAnyValue is false for an absent key"
        } else if operator.negated {
            "a negated operator is true when the key is absent"
        } else {
            "an absent key matches nothing, so the condition is false"
        };
        return (
            ok,
            format!("{name} {key}: {key} is not in the request context ({how})."),
        );
    };
    // Policy variables take the request's values; one whose key is absent
    // (and has no default) matches nothing.
    let patterns: Vec<Option<String>> = wanted
        .iter()
        .map(|w| {
            if variables {
                substitute(w, context)
            } else {
                Some(w.clone())
            }
        })
        .collect();
    let matches_any = |value: &str| {
        patterns
            .iter()
            .flatten()
            .any(|pattern| test(operator.test, value, pattern))
    };
    let one = |value: &str| matches_any(value) != operator.negated;
    let ok = match operator.qualifier {
        Qualifier::ForAnyValue => values.iter().any(|v| one(v)),
        Qualifier::ForAllValues => values.iter().all(|v| one(v)),
        // A single-valued operator on several values: any value matching
        // (none, for a negated operator).
        Qualifier::None => {
            if operator.negated {
                !values.iter().any(|v| matches_any(v))
            } else {
                values.iter().any(|v| matches_any(v))
            }
        }
    };
    let resolved: Vec<String> = patterns
        .iter()
        .zip(wanted)
        .map(|(p, w)| {
            p.clone()
                .unwrap_or_else(|| format!("{w} (a variable the request lacks)"))
        })
        .collect();
    (
        ok,
        format!(
            "{name} {key}: the request has {}, the condition {} {}: {}.",
            shown(values),
            if operator.negated {
                "excludes"
            } else {
                "wants"
            },
            shown(&resolved),
            if ok { "holds" } else { "does not hold" }
        ),
    )
}

fn test(test: Test, value: &str, pattern: &str) -> bool {
    let number = |s: &str| s.trim().parse::<f64>().ok();
    let date = |s: &str| parse_date(s);
    let compare_numbers = |f: fn(f64, f64) -> bool| match (number(value), number(pattern)) {
        (Some(a), Some(b)) => f(a, b),
        _ => false,
    };
    let compare_dates = |f: fn(i64, i64) -> bool| match (date(value), date(pattern)) {
        (Some(a), Some(b)) => f(a, b),
        _ => false,
    };
    match test {
        Test::StringEquals => value == pattern,
        Test::StringEqualsIgnoreCase => value.to_lowercase() == pattern.to_lowercase(),
        Test::StringLike => wildcard_match(pattern, value, false),
        Test::NumericEquals => compare_numbers(|a, b| a == b),
        Test::NumericLessThan => compare_numbers(|a, b| a < b),
        Test::NumericLessThanEquals => compare_numbers(|a, b| a <= b),
        Test::NumericGreaterThan => compare_numbers(|a, b| a > b),
        Test::NumericGreaterThanEquals => compare_numbers(|a, b| a >= b),
        Test::DateEquals => compare_dates(|a, b| a == b),
        Test::DateLessThan => compare_dates(|a, b| a < b),
        Test::DateLessThanEquals => compare_dates(|a, b| a <= b),
        Test::DateGreaterThan => compare_dates(|a, b| a > b),
        Test::DateGreaterThanEquals => compare_dates(|a, b| a >= b),
        Test::Bool => value.eq_ignore_ascii_case(pattern),
        Test::BinaryEquals => value == pattern,
        Test::IpAddress => ip_in(value, pattern),
        Test::ArnLike => arn_like(pattern, value),
    }
}

/// ArnEquals/ArnLike: each of the six colon-separated parts is matched on
/// its own, with `*` and `?`, case-sensitively.
fn arn_like(pattern: &str, arn: &str) -> bool {
    let parts = |s: &str| -> Option<Vec<String>> {
        let split: Vec<String> = s.splitn(6, ':').map(str::to_string).collect();
        (split.len() == 6 && split[0] == "arn").then_some(split)
    };
    match (parts(pattern), parts(arn)) {
        (Some(p), Some(a)) => p.iter().zip(&a).all(|(p, a)| wildcard_match(p, a, false)),
        // "*" alone matches any ARN.
        (None, Some(_)) => pattern == "*",
        _ => false,
    }
}

/// Whether an address is in a CIDR block (or equals a plain address).
fn ip_in(address: &str, block: &str) -> bool {
    let Ok(address) = address.trim().parse::<IpAddr>() else {
        return false;
    };
    let (network, bits) = match block.trim().split_once('/') {
        Some((network, bits)) => (network, bits.parse::<u32>().ok()),
        None => (block.trim(), None),
    };
    let Ok(network) = network.parse::<IpAddr>() else {
        return false;
    };
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Seconds since 1970 of an ISO 8601 date (`2026-12-05`,
/// `2026-12-05T10:00:00Z`, with an offset or fraction) or of a number of
/// epoch seconds, as IAM's date operators read them.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut fields = date.split('-');
    let year: i64 = fields.next()?.parse().ok()?;
    let month: i64 = fields.next()?.parse().ok()?;
    let day: i64 = fields.next()?.parse().ok()?;
    if fields.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let mut seconds = days * 86_400;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix('Z') {
            (clock, 0)
        } else if let Some(at) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
            (
                clock,
                sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60),
            )
        } else {
            (time, 0)
        };
        let clock = clock.split('.').next()?;
        let mut parts = clock.split(':');
        let h: i64 = parts.next()?.parse().ok()?;
        let m: i64 = parts.next().unwrap_or("0").parse().ok()?;
        let s: i64 = parts.next().unwrap_or("0").parse().ok()?;
        seconds += h * 3600 + m * 60 + s - offset;
    }
    Some(seconds)
}

/// Replaces `${key}` and `${key, 'default'}` with the request's value, and
/// the escapes `${*}`, `${?}`, `${$}` with their characters. `None` when a
/// variable names a key the request lacks and gives no default (or a
/// multivalued one, which cannot stand in a string).
pub fn substitute(text: &str, context: &RequestContext) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Some(out);
        };
        let inner = &after[..end];
        match inner {
            "*" => out.push('*'),
            "?" => out.push('?'),
            "$" => out.push('$'),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((key, default)) => (
                        key.trim(),
                        Some(default.trim().trim_matches('\'').to_string()),
                    ),
                    None => (inner.trim(), None),
                };
                match (context.get(key), default) {
                    (Some([one]), _) => out.push_str(one),
                    (_, Some(default)) => out.push_str(&default),
                    _ => return None,
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(block: Value, context: &RequestContext) -> bool {
        evaluate_block(&block, context, true)
            .unwrap_or_else(|e| panic!("{e}"))
            .holds
    }

    /// Each row: the condition block, the context, whether it holds. Cited
    /// from the IAM User Guide's condition operator reference.
    #[test]
    fn operators_as_the_condition_operator_reference_defines_them() {
        let ctx = RequestContext::new()
            .with("aws:SourceAccount", "111122223333")
            .with(
                "aws:SourceArn",
                "arn:aws:ecs:us-east-1:111122223333:task/c/abc",
            )
            .with("aws:PrincipalTag/team", "Blue")
            .with("aws:SecureTransport", "true")
            .with("aws:SourceIp", "203.0.113.10")
            .with("aws:CurrentTime", "2026-12-05T12:00:00Z")
            .with("s3:max-keys", "10")
            .with_values("aws:TagKeys", &["env", "team"]);
        let rows = [
            (
                json!({"StringEquals": {"aws:SourceAccount": "111122223333"}}),
                true,
            ),
            (
                json!({"StringEquals": {"aws:SourceAccount": ["999", "111122223333"]}}),
                true,
            ),
            (json!({"StringEquals": {"aws:SourceAccount": "999"}}), false),
            (
                json!({"StringNotEquals": {"aws:SourceAccount": ["999", "888"]}}),
                true,
            ),
            (
                json!({"StringEquals": {"aws:PrincipalTag/team": "blue"}}),
                false,
            ),
            (
                json!({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "blue"}}),
                true,
            ),
            (
                json!({"StringLike": {"aws:SourceArn": "arn:aws:ecs:*:111122223333:task/*"}}),
                true,
            ),
            // Condition key names are case-insensitive.
            (
                json!({"StringEquals": {"AWS:SOURCEACCOUNT": "111122223333"}}),
                true,
            ),
            // ArnLike matches each of the six parts on its own: a * in the
            // Region part does not reach into the account.
            (
                json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:*:111122223333:*"}}),
                true,
            ),
            (
                json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:*:task/*"}}),
                false,
            ),
            (
                json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:ecs:*:999999999999:*"}}),
                true,
            ),
            (json!({"Bool": {"aws:SecureTransport": "true"}}), true),
            (json!({"Bool": {"aws:SecureTransport": false}}), false),
            (
                json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
                true,
            ),
            (
                json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
                false,
            ),
            (
                json!({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}),
                false,
            ),
            (
                json!({"NumericLessThanEquals": {"s3:max-keys": "10"}}),
                true,
            ),
            (json!({"NumericLessThan": {"s3:max-keys": 10}}), false),
            (
                json!({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}),
                true,
            ),
            (
                json!({"DateLessThan": {"aws:CurrentTime": "2026-12-05"}}),
                false,
            ),
            (
                json!({"DateLessThan": {"aws:CurrentTime": 1893456000}}),
                true,
            ),
            // Several keys under one operator, and several operators: AND.
            (
                json!({"StringEquals": {"aws:SourceAccount": "111122223333", "aws:PrincipalTag/team": "Red"}}),
                false,
            ),
            (
                json!({"StringEquals": {"aws:SourceAccount": "111122223333"}, "Bool": {"aws:SecureTransport": "true"}}),
                true,
            ),
            // An absent key: false, except for negated operators; IfExists
            // makes it true; Null tests for it.
            (
                json!({"StringEquals": {"aws:PrincipalTag/cost": "x"}}),
                false,
            ),
            (
                json!({"StringNotEquals": {"aws:PrincipalTag/cost": "x"}}),
                true,
            ),
            (
                json!({"StringEqualsIfExists": {"aws:PrincipalTag/cost": "x"}}),
                true,
            ),
            (
                json!({"StringEqualsIfExists": {"aws:PrincipalTag/team": "Red"}}),
                false,
            ),
            (json!({"Null": {"aws:PrincipalTag/cost": "true"}}), true),
            (json!({"Null": {"aws:PrincipalTag/team": "true"}}), false),
            (json!({"Null": {"aws:PrincipalTag/team": "false"}}), true),
            // Multivalued keys with set operators.
            (
                json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team", "owner"]}}),
                true,
            ),
            (
                json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}),
                false,
            ),
            (
                json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}),
                true,
            ),
            (
                json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["owner"]}}),
                false,
            ),
            // ... and on an absent key: ForAllValues true, ForAnyValue false.
            (
                json!({"ForAllValues:StringEquals": {"aws:ResourceTag/x": ["a"]}}),
                true,
            ),
            (
                json!({"ForAnyValue:StringEquals": {"aws:ResourceTag/x": ["a"]}}),
                false,
            ),
        ];
        for (i, (block, expected)) in rows.into_iter().enumerate() {
            assert_eq!(holds(block.clone(), &ctx), expected, "row {i}: {block}");
        }
        // An empty multivalued key behaves as an absent one for the set
        // operators.
        let empty = RequestContext::new().with_values("aws:TagKeys", &[]);
        assert!(holds(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}),
            &empty
        ));
        assert!(!holds(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}),
            &empty
        ));
    }

    #[test]
    fn policy_variables_are_replaced_and_escaped() {
        let ctx = RequestContext::new()
            .with("aws:username", "ana")
            .with("aws:PrincipalTag/team", "blue");
        assert_eq!(
            substitute("home/${aws:username}/*", &ctx).as_deref(),
            Some("home/ana/*")
        );
        assert_eq!(
            substitute("${aws:PrincipalTag/cost, 'none'}", &ctx).as_deref(),
            Some("none")
        );
        assert_eq!(substitute("${aws:PrincipalTag/cost}", &ctx), None);
        assert_eq!(substitute("a${*}b${?}${$}", &ctx).as_deref(), Some("a*b?$"));
        assert!(holds(
            json!({"StringEquals": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team}"}}),
            &ctx
        ));
        // The legacy version has no variables: the text is taken as it is.
        let legacy = evaluate_block(
            &json!({"StringEquals": {"aws:username": "${aws:username}"}}),
            &ctx,
            false,
        )
        .unwrap();
        assert!(!legacy.holds);
    }

    #[test]
    fn a_malformed_block_names_its_path() {
        let unknown = check_block(&json!({"StringEqual": {"k": "v"}})).unwrap_err();
        assert_eq!(unknown.path, "StringEqual");
        assert!(check_block(&json!({"ForAnyValue:Null": {"k": "true"}})).is_err());
        assert!(check_block(&json!({"StringEquals": {"k": {"nested": 1}}})).is_err());
        assert!(check_block(&json!(["StringEquals"])).is_err());
        assert!(check_block(&json!({"ForAllValues:StringLikeIfExists": {"k": ["v"]}})).is_ok());
    }

    #[test]
    fn the_reasons_say_what_the_request_had_and_what_was_wanted() {
        let ctx = RequestContext::new().with("aws:SourceAccount", "444455556666");
        let outcome = evaluate_block(&json!({"StringEquals": {"aws:SourceAccount": "111122223333", "aws:SourceArn": "arn:*"}}), &ctx, true).unwrap();
        assert!(!outcome.holds);
        assert!(
            outcome
                .reasons
                .iter()
                .any(|r| r
                    .contains("the request has 444455556666, the condition wants 111122223333")),
            "{:?}",
            outcome.reasons
        );
        assert!(
            outcome
                .reasons
                .iter()
                .any(|r| r.contains("aws:SourceArn is not in the request context")),
            "{:?}",
            outcome.reasons
        );
    }

    #[test]
    fn dates_are_read_as_iso_8601_or_epoch_seconds() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2026-12-05"), parse_date("2026-12-05T00:00:00Z"));
        assert_eq!(
            parse_date("2026-12-05T01:00:00+01:00"),
            parse_date("2026-12-05T00:00:00Z")
        );
        assert_eq!(parse_date("2000-03-01T00:00:00Z"), Some(951_868_800));
        assert_eq!(parse_date("yesterday"), None);
    }
}
