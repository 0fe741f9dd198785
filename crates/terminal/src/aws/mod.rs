//! `aws SERVICE OPERATION [parameters]`: the AWS CLI v2's driver. It finds
//! the service and operation in the API models, reads the parameters
//! (`params`), calls the service's translation (one module per service),
//! and prints the response or the error as the CLI does, with its exit
//! statuses: 0, 252 for a usage or parameter error, 254 for an error the
//! service returned, 255 for anything else (a failed waiter).

use serde_json::{Map, Value};

use crate::api::{self, Api, Operation};
use crate::params::{self, ArgError, Globals};
use crate::{output, suggest, Cloud, Output, Refused};

mod autoscaling;
mod ec2;
mod ecr;
mod ecs;
mod eks;
mod elbv2;
mod iam;
mod kms;
mod organizations;
mod s3api;
mod secretsmanager;
mod sts;
pub(crate) mod time;
mod waiters;

pub(crate) use organizations::policy_id as organization_policy_id;
pub(crate) use time::timestamp;

/// An error a service returned: its code (the exception's name) and message.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) code: String,
    pub(crate) message: String,
    /// The model's refusal behind it, if any: named in a note so that the
    /// learner can look it up (`dockyard explain CODE`, the findings page).
    pub(crate) refusal: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            refusal: None,
        }
    }

    /// The model refused: ECS answers with `code` (the exception the
    /// service documents for it), carrying the model's message.
    pub(crate) fn refused(code: &str, refused: Refused) -> ApiError {
        ApiError {
            code: code.to_string(),
            message: refused.message,
            refusal: refused.code,
        }
    }
}

pub(crate) type Reply = Result<Value, ApiError>;

const USAGE: &str = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

/// A usage error, as the CLI prints it since v2.27 (the error first, then
/// the usage), exit status 252.
fn usage_error(message: &str) -> Output {
    Output::error(252, format!("\naws: error: {message}\n\n{USAGE}"))
}

fn invalid_choice(what: &str, word: &str, choices: &[&str]) -> Output {
    let mut message = format!("argument {what}: Found invalid choice '{word}'\n");
    let near = suggest::closest(word, choices);
    if !near.is_empty() {
        message.push_str("\nMaybe you meant:\n\n");
        for name in near {
            message.push_str(&format!("  * {name}\n"));
        }
    }
    usage_error(message.trim_end())
}

/// Services the real CLI has that this terminal does not speak (yet): said
/// so plainly rather than answered as if they did not exist.
const ELSEWHERE: &[(&str, &str)] = &[(
    "application-autoscaling",
    "service scaling policies are set in the sandbox's forms for now",
)];

pub(crate) fn run(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let mut globals = Globals::default();
    let mut at = 0;
    while at < args.len() {
        match params::read_global(args, &mut at, &mut globals) {
            Ok(true) => continue,
            Ok(false) => break,
            Err(error) => return arg_error(error),
        }
    }
    let Some(service_name) = args.get(at) else {
        return usage_error("the following arguments are required: command");
    };
    if service_name == "help" {
        return Output::ok(services_help());
    }
    if service_name == "--version" {
        return Output::ok("aws-cli/2 (Dockyard's simulation; botocore 1.44.8 models)\n");
    }
    let Some(api) = api::service(service_name) else {
        if let Some((_, why)) = ELSEWHERE.iter().find(|(name, _)| name == service_name) {
            return Output::error(
                252,
                format!("aws {service_name}: not in Dockyard's terminal yet\n"),
            )
            .note(format!(
                "Dockyard does not simulate `aws {service_name}` in the terminal: {why}."
            ));
        }
        let names: Vec<&str> = api::services().iter().map(|api| api.cli).collect();
        return invalid_choice("command", service_name, &names);
    };
    let rest = &args[at + 1..];
    let Some(operation_name) = rest.first() else {
        return usage_error("the following arguments are required: operation");
    };
    if operation_name == "help" {
        return Output::ok(service_help(api));
    }
    if operation_name == "wait" && api::waiters(api.cli).is_some() {
        return waiters::run(cloud, api.cli, &rest[1..]);
    }
    if api.cli == "ecr" && operation_name == "get-login-password" {
        return get_login_password(cloud, &rest[1..]);
    }
    let Some(operation) = api.operation(operation_name) else {
        let mut names: Vec<&str> = api.operations().map(|op| op.cli).collect();
        names.extend(customizations(api));
        return invalid_choice("operation", operation_name, &names);
    };
    let args = &rest[1..];
    if args.first().map(String::as_str) == Some("help") {
        return Output::ok(operation_help(&operation));
    }
    call_and_print(cloud, &operation, args)
}

fn arg_error(error: ArgError) -> Output {
    match error {
        ArgError::Usage(message) => usage_error(&message),
        ArgError::Parameter(message) => Output::error(252, format!("\n{message}\n")),
        ArgError::Validation(problems) => Output::error(
            252,
            format!("\nParameter validation failed:\n{}\n", problems.join("\n")),
        ),
    }
}

/// Reads the parameters, calls the operation and prints what it returned.
fn call_and_print(cloud: &mut dyn Cloud, operation: &Operation, args: &[String]) -> Output {
    let (request, globals) = match params::parse(operation, args, cloud) {
        Ok(parsed) => parsed,
        Err(error) => {
            let described = operation.name == "RegisterTaskDefinition"
                && matches!(&error, ArgError::Validation(problems)
                    if problems.iter().any(|p| p.contains("\"taskDefinitionArn\"")));
            let out = arg_error(error);
            return if described {
                out.note("describe-task-definition's output has members that register-task-definition does not take (taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy): remove them from the file and register again.")
            } else {
                out
            };
        }
    };
    if let Some(which) = &globals.skeleton {
        let shape = match which.as_str() {
            "output" => operation.output(),
            _ => operation.input(),
        };
        let skeleton = shape
            .map(|shape| params::skeleton(&shape, 0))
            .unwrap_or_else(|| Value::Object(Map::new()));
        return Output::ok(output::json(&skeleton));
    }
    if let Some(region) = globals.region.as_deref() {
        if region != cloud.world().region() {
            return Output::error(
                255,
                format!("\nCould not connect to the endpoint URL: \"https://{}.{region}.amazonaws.com/\"\n", operation.api.cli),
            )
            .note(format!(
                "Dockyard simulates one Region, {}: this account has nothing in {region}.",
                cloud.world().region()
            ));
        }
    }
    match call(cloud, operation, &request) {
        Ok(response) => {
            let out = print(&response, &globals, operation);
            match (operation.api.cli, out.status) {
                ("ecr", 0) => match ecr::note(operation.name) {
                    Some(note) => out.note(note),
                    None => out,
                },
                ("eks", 0) => match eks::note(operation.name) {
                    Some(note) => out.note(note),
                    None => out,
                },
                _ => out,
            }
        }
        Err(error) => service_error(operation, error),
    }
}

/// The commands the CLI adds to a service beyond its API's operations.
pub(crate) fn customizations(api: &Api) -> Vec<&'static str> {
    match api.cli {
        "ecs" | "eks" => vec!["wait"],
        "ecr" => vec!["get-login-password"],
        _ => Vec::new(),
    }
}

/// `aws ecr get-login-password`: the awscli customization that calls
/// GetAuthorizationToken and prints the password in its token, for
/// `docker login --username AWS`.
fn get_login_password(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    if args.first().map(String::as_str) == Some("help") {
        return Output::ok("aws ecr get-login-password\n\n  Prints a password for docker login --username AWS (GetAuthorizationToken's token, decoded).\n");
    }
    let mut globals = Globals::default();
    let mut at = 0;
    let mut unknown = Vec::new();
    while at < args.len() {
        match params::read_global(args, &mut at, &mut globals) {
            Ok(true) => {}
            Ok(false) => {
                unknown.push(args[at].clone());
                at += 1;
            }
            Err(error) => return arg_error(error),
        }
    }
    if !unknown.is_empty() {
        return usage_error(&format!("Unknown options: {}", unknown.join(", ")));
    }
    if let Some(region) = globals.region.as_deref() {
        if region != cloud.world().region() {
            return Output::error(
                255,
                format!("\nCould not connect to the endpoint URL: \"https://api.ecr.{region}.amazonaws.com/\"\n"),
            );
        }
    }
    let operation = api::service("ecr")
        .and_then(|api| api.operation("get-authorization-token"))
        .expect("the ECR model has GetAuthorizationToken");
    match ecr::login_password(cloud) {
        Ok(password) => Output::ok(format!("{password}\n")).note(
            "This is Dockyard's simulated token (it says so inside): pass it to docker login -u AWS -p TOKEN 111122223333.dkr.ecr.us-east-1.amazonaws.com. The terminal has no pipes, so the usual | docker login --password-stdin is written that way here.",
        ),
        Err(error) => service_error(&operation, error),
    }
}

/// Calls an operation with a request already read and validated.
pub(crate) fn call(
    cloud: &mut dyn Cloud,
    operation: &Operation,
    request: &Map<String, Value>,
) -> Reply {
    match operation.api.cli {
        "ecs" => ecs::call(cloud, operation.name, request),
        "iam" => iam::call(cloud, operation.name, request),
        "ec2" => ec2::call(cloud, operation.name, request),
        "elbv2" => elbv2::call(cloud, operation.name, request),
        "ecr" => ecr::call(cloud, operation.name, request),
        "eks" => eks::call(cloud, operation.name, request),
        "sts" => sts::call(cloud, operation.name, request),
        "application-autoscaling" => autoscaling::call(cloud, operation.name, request),
        "organizations" => organizations::call(cloud, operation.name, request),
        "s3api" => s3api::call(cloud, operation.name, request),
        "kms" => kms::call(cloud, operation.name, request),
        "secretsmanager" => secretsmanager::call(cloud, operation.name, request),
        _ => Err(not_simulated(operation)),
    }
}

pub(crate) fn not_simulated(operation: &Operation) -> ApiError {
    not_simulated_name(operation.name)
}

pub(crate) fn not_simulated_name(operation: &str) -> ApiError {
    ApiError::new(
        "DockyardNotSimulated",
        format!(
            "Dockyard does not simulate {operation} yet: the command was read and checked, and nothing was changed"
        ),
    )
}

fn service_error(operation: &Operation, error: ApiError) -> Output {
    // What Dockyard does not simulate is said in Dockyard's voice, never
    // dressed as an AWS error code that does not exist.
    if error.code.starts_with("Dockyard") {
        return Output::error(
            255,
            format!(
                "\n[dockyard] {} is not simulated: {}\n",
                operation.name, error.message
            ),
        )
        .note("Nothing was sent to AWS or changed: this part of the service is not in Dockyard's model yet.");
    }
    let mut out = Output::error(
        254,
        format!(
            "\nAn error occurred ({}) when calling the {} operation: {}\n",
            error.code, operation.name, error.message
        ),
    );
    if let Some(code) = error.refusal {
        if let Some(refusal) = dockyard_model::sim::refusal(code) {
            out.notes.push(format!(
                "Refused by the model's rule \u{201c}{}\u{201d} ({code}); the chapter {} explains why.",
                refusal.title, refusal.chapter
            ));
        }
    }
    out
}

/// Prints a response: nothing for an empty one (as the CLI does for, say,
/// PutRolePolicy), else the query's result in the chosen format.
pub(crate) fn print(response: &Value, globals: &Globals, operation: &Operation) -> Output {
    let mut value = response.clone();
    if let Some(expression) = &globals.query {
        value = match output::query(&value, expression) {
            Ok(value) => value,
            Err(message) => return Output::error(252, format!("\n{message}\n")),
        };
    } else if value.as_object().is_some_and(Map::is_empty) {
        return Output::default();
    }
    match globals.output.as_deref().unwrap_or("json") {
        "text" => Output::ok(output::text(&value)),
        "table" => Output::ok(output::table(&value, operation.name)),
        "yaml" | "yaml-stream" => Output::ok(output::json(&value)).note(
            "Dockyard prints json, text and table; this is the json of what yaml would show.",
        ),
        _ => Output::ok(output::json(&value)),
    }
}

fn services_help() -> String {
    let mut text = String::from("AWS services this terminal speaks:\n\n");
    for api in api::services() {
        text.push_str(&format!("  aws {}\n", api.cli));
    }
    text.push_str("\nRun aws SERVICE help for its commands.\n");
    text
}

fn service_help(api: &'static Api) -> String {
    let mut text = format!("aws {} commands:\n\n", api.cli);
    for operation in api.operations() {
        text.push_str(&format!("  {}\n", operation.cli));
    }
    if api.cli == "ecs" {
        text.push_str("  wait services-stable | tasks-running | tasks-stopped\n");
    }
    if api.cli == "ecr" {
        text.push_str("  get-login-password\n");
    }
    text.push_str(&format!(
        "\nRun aws {} COMMAND help for its parameters.\n",
        api.cli
    ));
    text
}

fn operation_help(operation: &Operation) -> String {
    let mut text = format!("aws {} {}\n\n", operation.api.cli, operation.cli);
    let required = operation
        .input()
        .map(|input| input.required())
        .unwrap_or_default();
    for (flag, member, shape) in params::flags(operation) {
        let kind = match shape.kind() {
            crate::api::Kind::Boolean => format!("| --no-{flag}"),
            crate::api::Kind::List => "<value> [<value> ...]".to_string(),
            crate::api::Kind::Structure | crate::api::Kind::Map => {
                "<json or shorthand>".to_string()
            }
            _ => {
                let values = shape.enum_values();
                if values.is_empty() {
                    "<value>".to_string()
                } else {
                    format!("<{}>", values.join("|"))
                }
            }
        };
        let mark = if required.contains(&member) { "" } else { "[" };
        let close = if required.contains(&member) { "" } else { "]" };
        text.push_str(&format!("  {mark}--{flag} {kind}{close}\n"));
    }
    text.push_str("  [--cli-input-json <value>] [--generate-cli-skeleton <input|output>]\n");
    text
}

/// A request member as text, if present.
pub(crate) fn text<'a>(request: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    request.get(key).and_then(Value::as_str)
}

/// A request member as a list of text.
pub(crate) fn texts(request: &Map<String, Value>, key: &str) -> Vec<String> {
    request
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests;
