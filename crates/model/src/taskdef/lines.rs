//! A container's lists as lines of text, for the editor's form: environment
//! `NAME=value`, secrets `NAME=arn`, dependsOn `container CONDITION`, log
//! options `key=value`. Reading lines back keeps whatever else an entry
//! held (fields Dockyard does not know) when its name is unchanged, so the
//! form never loses what the JSON had.

use std::collections::BTreeMap;

use super::{ContainerDefinition, ContainerDependency, KeyValue, LogConfiguration, Secret};

/// AWS's API types a container's cpu, memory, memoryReservation and
/// containerPort as Integer: a 32-bit signed whole number.
pub const LARGEST_INTEGER: i64 = i32::MAX as i64;

/// A form field's text as one of the API's Integer fields: none if the box
/// is empty, otherwise the number, or what is wrong with what was typed
/// (not a whole number, or too large: never the one said as the other).
pub fn whole_number(value: &str) -> Result<Option<i64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "\"{value}\" is not a whole number: digits only, like 512"
        ));
    }
    match value.parse::<i64>() {
        Ok(number) if number.abs() <= LARGEST_INTEGER => Ok(Some(number)),
        _ => Err(format!(
            "{value} is too large: AWS takes a whole number up to {LARGEST_INTEGER} here"
        )),
    }
}

/// `NAME=value` lines. Only names are trimmed: a value's spaces may be
/// meant (an environment value of " x" is not "x"), and `NAME=` is an
/// empty value, not a missing one.
fn assignments(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.split_once('=') {
            Some((name, value)) => (name.trim().to_string(), value.to_string()),
            None => (line.trim().to_string(), String::new()),
        })
        .collect()
}

/// `container CONDITION` lines: neither part can hold a space.
fn words(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(' ') {
            Some((name, rest)) => (name.to_string(), rest.trim().to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect()
}

fn none_if_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

pub fn environment_lines(c: &ContainerDefinition) -> String {
    c.environment
        .iter()
        .flatten()
        .map(|v| {
            format!(
                "{}={}",
                v.name.as_deref().unwrap_or(""),
                v.value.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn set_environment(c: &mut ContainerDefinition, text: &str) {
    let old = c.environment.take().unwrap_or_default();
    let items = assignments(text)
        .into_iter()
        .map(|(name, value)| {
            let same_name = old
                .iter()
                .find(|v| v.name.as_deref() == Some(name.as_str()));
            match same_name {
                // An unchanged line keeps its entry exactly as it was.
                Some(v) if v.value.as_deref().unwrap_or("") == value => v.clone(),
                _ => KeyValue {
                    name: Some(name),
                    value: Some(value),
                    unknown: same_name.map(|v| v.unknown.clone()).unwrap_or_default(),
                },
            }
        })
        .collect();
    c.environment = none_if_empty(items);
}

pub fn secret_lines(c: &ContainerDefinition) -> String {
    c.secrets
        .iter()
        .flatten()
        .map(|s| format!("{}={}", s.name, s.value_from))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn set_secrets(c: &mut ContainerDefinition, text: &str) {
    let old = c.secrets.take().unwrap_or_default();
    let items = assignments(text)
        .into_iter()
        .map(|(name, value_from)| {
            let kept = old.iter().find(|s| s.name == name);
            Secret {
                unknown: kept.map(|s| s.unknown.clone()).unwrap_or_default(),
                name,
                value_from,
            }
        })
        .collect();
    c.secrets = none_if_empty(items);
}

pub fn dependency_lines(c: &ContainerDefinition) -> String {
    c.depends_on
        .iter()
        .flatten()
        .map(|d| format!("{} {}", d.container_name, d.condition))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn set_dependencies(c: &mut ContainerDefinition, text: &str) {
    let old = c.depends_on.take().unwrap_or_default();
    let items = words(text)
        .into_iter()
        .map(|(container_name, condition)| {
            let kept = old.iter().find(|d| d.container_name == container_name);
            ContainerDependency {
                unknown: kept.map(|d| d.unknown.clone()).unwrap_or_default(),
                container_name,
                condition,
            }
        })
        .collect();
    c.depends_on = none_if_empty(items);
}

pub fn log_option_lines(c: &ContainerDefinition) -> String {
    c.log_configuration
        .iter()
        .flat_map(|l| l.options.iter().flatten())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The log driver; an empty driver removes the log configuration.
pub fn set_log_driver(c: &mut ContainerDefinition, driver: &str) {
    let driver = driver.trim();
    if driver.is_empty() {
        c.log_configuration = None;
        return;
    }
    c.log_configuration
        .get_or_insert_with(LogConfiguration::default)
        .log_driver = driver.to_string();
}

pub fn set_log_options(c: &mut ContainerDefinition, text: &str) {
    let options: BTreeMap<String, String> =
        assignments(text)
            .into_iter()
            .fold(BTreeMap::new(), |mut m, (k, v)| {
                m.insert(k, v);
                m
            });
    let log = c
        .log_configuration
        .get_or_insert_with(LogConfiguration::default);
    log.options = (!options.is_empty()).then_some(options);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_told_apart_from_text_and_from_numbers_too_large() {
        assert_eq!(whole_number(" 512 "), Ok(Some(512)));
        assert_eq!(whole_number(""), Ok(None));
        assert_eq!(whole_number("-1"), Ok(Some(-1)));
        assert!(whole_number("8080a")
            .unwrap_err()
            .contains("not a whole number"));
        assert!(whole_number("1k")
            .unwrap_err()
            .contains("not a whole number"));
        assert!(whole_number("-")
            .unwrap_err()
            .contains("not a whole number"));
        assert_eq!(whole_number("2147483647"), Ok(Some(2_147_483_647)));
        let error = whole_number("2147483648").unwrap_err();
        assert!(error.contains("too large"), "{error}");
        let error = whole_number("99999999999999999999999").unwrap_err();
        assert!(error.contains("too large"), "{error}");
    }
    use serde_json::json;

    fn container() -> ContainerDefinition {
        crate::json::read(&json!({
            "name": "app", "image": "nginx",
            "environment": [{"name": "MODE", "value": "prod", "note": "kept"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"}],
            "dependsOn": [{"containerName": "db", "condition": "HEALTHY"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}
        }))
        .unwrap()
    }

    #[test]
    fn lines_read_back_to_the_same_container() {
        let original = container();
        let mut c = original.clone();
        set_environment(&mut c, &environment_lines(&original));
        set_secrets(&mut c, &secret_lines(&original));
        set_dependencies(&mut c, &dependency_lines(&original));
        set_log_options(&mut c, &log_option_lines(&original));
        assert_eq!(c, original, "unknown fields of unchanged entries are kept");
        assert_eq!(environment_lines(&c), "MODE=prod");
        assert_eq!(dependency_lines(&c), "db HEALTHY");
    }

    #[test]
    fn values_keep_their_spaces_and_unchanged_entries_stay_as_they_were() {
        let mut c: ContainerDefinition = crate::json::read(&json!({
            "name": "app", "image": "nginx",
            "environment": [{"name": "EMPTY"}, {"name": "PAD", "value": " x "}]
        }))
        .unwrap();
        let original = c.clone();
        assert_eq!(environment_lines(&c), "EMPTY=\nPAD= x ");
        set_environment(&mut c, &environment_lines(&original));
        assert_eq!(c, original, "a value left out stays left out");
        set_environment(&mut c, "EMPTY=\n  PAD  =  y");
        let values: Vec<_> = c
            .environment
            .iter()
            .flatten()
            .map(|v| (v.name.clone().unwrap(), v.value.clone()))
            .collect();
        assert_eq!(
            values,
            [("EMPTY".into(), None), ("PAD".into(), Some("  y".into()))]
        );
    }

    #[test]
    fn edited_lines_change_the_lists() {
        let mut c = container();
        set_environment(&mut c, "MODE=dev\n\n  REGION =eu-west-1\nFLAG");
        let names: Vec<_> = c
            .environment
            .iter()
            .flatten()
            .map(|v| (v.name.clone().unwrap(), v.value.clone().unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                ("MODE".into(), "dev".into()),
                ("REGION".into(), "eu-west-1".into()),
                ("FLAG".into(), String::new())
            ]
        );
        set_secrets(&mut c, "");
        assert_eq!(c.secrets, None);
        set_dependencies(&mut c, "db START\ncache");
        assert_eq!(dependency_lines(&c), "db START\ncache ");
        set_log_driver(&mut c, "");
        assert_eq!(c.log_configuration, None);
        set_log_driver(&mut c, "awslogs");
        set_log_options(&mut c, "awslogs-region=us-east-1");
        assert_eq!(log_option_lines(&c), "awslogs-region=us-east-1");
    }
}
