//! `aws ecs wait NAME` and `aws eks wait NAME`: botocore's waiters, run
//! against the simulated clock. Each attempt calls the waiter's operation
//! and tests its acceptors (JMESPath, from the vendored
//! `SERVICE.waiters.json`); between
//! attempts the clock runs on by the waiter's delay, so a service that
//! takes two minutes to become stable takes two simulated minutes here.

use serde_json::Value;

use super::{call, service_error, usage_error};
use crate::api::{self, xform_name};
use crate::{output, params, Cloud, Output};

pub(super) fn run(cloud: &mut dyn Cloud, service: &str, args: &[String]) -> Output {
    let Some(waiters) = api::waiters(service) else {
        return super::invalid_choice("operation", "wait", &[]);
    };
    let names: Vec<(String, &String)> = waiters
        .keys()
        .map(|name| (xform_name(name), name))
        .collect();
    let Some(wanted) = args.first() else {
        return usage_error("the following arguments are required: waiter_name");
    };
    let Some((_, name)) = names.iter().find(|(cli, _)| cli == wanted) else {
        let choices: Vec<&str> = names.iter().map(|(cli, _)| cli.as_str()).collect();
        return super::invalid_choice("waiter_name", wanted, &choices);
    };
    let waiter = &waiters[name.as_str()];
    let delay = waiter["delay"].as_u64().unwrap_or(15);
    let attempts = waiter["maxAttempts"].as_u64().unwrap_or(40);
    let api = api::service(service).expect("a service with waiters is vendored");
    let operation_name = waiter["operation"].as_str().unwrap_or_default();
    let Some(operation) = api.operations().find(|op| op.name == operation_name) else {
        return Output::error(
            255,
            format!("\nWaiter {name}: no operation {operation_name}\n"),
        );
    };
    let (request, _) = match params::parse(&operation, &args[1..], cloud) {
        Ok(parsed) => parsed,
        Err(error) => return super::arg_error(error),
    };
    let acceptors = waiter["acceptors"].as_array().cloned().unwrap_or_default();
    let mut waited = 0;
    for attempt in 1..=attempts {
        let response = match call(cloud, &operation, &request) {
            Ok(response) => response,
            Err(error) => return service_error(&operation, error),
        };
        for acceptor in &acceptors {
            let Some(reason) = matches(acceptor, &response) else {
                continue;
            };
            let mut out = match acceptor["state"].as_str() {
                Some("success") => Output::default(),
                Some("failure") => Output::error(
                    255,
                    format!("\nWaiter {name} failed: Waiter encountered a terminal failure state: {reason}\n"),
                ),
                _ => continue,
            };
            out.notes.push(format!(
                "The simulated clock moved {} s while waiting ({attempt} attempt{}, every {delay} s).",
                waited / 1000,
                if attempt == 1 { "" } else { "s" }
            ));
            return out;
        }
        if attempt == attempts {
            break;
        }
        let moved = cloud.advance(delay * 1000);
        waited += moved;
        if moved < delay * 1000 {
            return Output::error(255, format!("\nWaiter {name} failed: Max attempts exceeded\n")).note(
                "The sandbox's scenario ended before the condition held: its clock cannot go further.",
            );
        }
    }
    Output::error(
        255,
        format!("\nWaiter {name} failed: Max attempts exceeded\n"),
    )
    .note(format!(
        "The simulated clock moved {} s while waiting ({attempts} attempts, every {delay} s).",
        waited / 1000
    ))
}

/// Whether an acceptor matches a response, and botocore's words for it.
fn matches(acceptor: &Value, response: &Value) -> Option<String> {
    let expected = &acceptor["expected"];
    let argument = acceptor["argument"].as_str().unwrap_or("@");
    let found = output::query(response, argument).ok()?;
    match acceptor["matcher"].as_str()? {
        "path" => (&found == expected)
            .then(|| format!("For expression \"{argument}\" we matched expected path: {expected}")),
        "pathAll" => {
            let items = found.as_array()?;
            (!items.is_empty() && items.iter().all(|i| i == expected)).then(|| {
                format!(
                    "For expression \"{argument}\" all members matched excepted path: {expected}"
                )
            })
        }
        "pathAny" => {
            let items = found.as_array()?;
            items.iter().any(|i| i == expected).then(|| {
                format!("For expression \"{argument}\" we matched expected path: {expected} at least once")
            })
        }
        _ => None,
    }
}
