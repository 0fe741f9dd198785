//! Tab completion: of programs, AWS services, operations and flags (from
//! the API models), enum values, and the names of things in the world
//! (clusters, services, task definitions, tasks, roles, ECR repositories,
//! files) after the flags that take them; docker's subcommands and the
//! local images it pushes and tags.

use crate::api::{self, Kind};
use crate::docker::SUBCOMMANDS;
use crate::params::flags;
use crate::{Cloud, PROGRAMS};

/// What Tab offers for a line: the word being completed is replaced from
/// `start` (a char index) with one of `options`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub options: Vec<String>,
}

impl Completion {
    /// The text all options share, which Tab can insert at once.
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.options.first() else {
            return String::new();
        };
        let mut prefix: String = first.clone();
        for option in &self.options[1..] {
            while !option.starts_with(&prefix) {
                prefix.pop();
            }
        }
        prefix
    }
}

/// Completes the last word of `line` (the text before the cursor).
pub fn complete(cloud: &dyn Cloud, line: &str) -> Completion {
    let start = line
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let partial = &line[start..];
    let words: Vec<&str> = line[..start].split_whitespace().collect();
    let candidates = candidates(cloud, &words, partial);
    let mut options: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(partial))
        .collect();
    options.sort();
    options.dedup();
    Completion {
        start: line[..start].chars().count(),
        options,
    }
}

fn candidates(cloud: &dyn Cloud, words: &[&str], partial: &str) -> Vec<String> {
    let world = cloud.world();
    match words {
        [] => PROGRAMS.iter().map(|(name, _)| name.to_string()).collect(),
        ["cat" | "edit" | "rm", ..] => cloud.files(),
        ["docker"] => SUBCOMMANDS
            .iter()
            .map(|(name, _)| name.to_string())
            .collect(),
        ["docker", "push" | "tag", ..] | ["docker", "image", "push" | "tag", ..] => cloud
            .docker()
            .map(|engine| engine.references())
            .unwrap_or_default(),
        ["aws"] => api::services()
            .iter()
            .map(|api| api.cli.to_string())
            .collect(),
        ["aws", service] => match api::service(service) {
            Some(api) => {
                let mut names: Vec<String> =
                    api.operations().map(|op| op.cli.to_string()).collect();
                names.extend(
                    crate::aws::customizations(api)
                        .into_iter()
                        .map(String::from),
                );
                names
            }
            None => Vec::new(),
        },
        ["aws", service, "wait"] => api::waiters(service)
            .map(|w| w.keys().map(|name| api::xform_name(name)).collect())
            .unwrap_or_default(),
        ["aws", service, operation, rest @ ..] => {
            let Some(api) = api::service(service) else {
                return Vec::new();
            };
            let operation = if *operation == "wait" {
                // The waiter's flags are its operation's.
                let Some(waiter) = rest.first().and_then(|wanted| {
                    api::waiters(service)?
                        .iter()
                        .find(|(name, _)| api::xform_name(name) == *wanted)
                }) else {
                    return Vec::new();
                };
                let called = waiter.1["operation"].as_str().unwrap_or_default();
                api.operations().find(|op| op.name == called)
            } else {
                api.operation(operation)
            };
            let Some(operation) = operation else {
                return Vec::new();
            };
            let flags = flags(&operation);
            if partial.starts_with("--")
                || rest.last().is_none_or(|w| !w.starts_with("--"))
                    && partial.is_empty()
                    && rest.is_empty()
            {
                let mut names: Vec<String> =
                    flags.iter().map(|(f, _, _)| format!("--{f}")).collect();
                names.extend(
                    [
                        "--cli-input-json",
                        "--generate-cli-skeleton",
                        "--output",
                        "--query",
                        "--region",
                    ]
                    .map(String::from),
                );
                names.retain(|name| !rest.contains(&name.as_str()));
                return names;
            }
            let Some(flag) = rest.iter().rev().find(|w| w.starts_with("--")) else {
                return Vec::new();
            };
            let flag = &flag[2..];
            if flag == "output" {
                return ["json", "text", "table"].map(String::from).to_vec();
            }
            let Some((_, member, shape)) = flags.iter().find(|(f, _, _)| f == flag) else {
                return Vec::new();
            };
            let values = shape.enum_values();
            if !values.is_empty() {
                return values.into_iter().map(String::from).collect();
            }
            if shape.kind() == Kind::List && shape.item().kind() == Kind::String
                || shape.kind() == Kind::String
            {
                return names_for(world, member, cloud);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The world's names that a parameter takes.
fn names_for(world: &dockyard_model::sim::World, member: &str, cloud: &dyn Cloud) -> Vec<String> {
    match member {
        "cluster" | "clusters" => world.clusters().cloned().collect(),
        // EKS's (`clusterName` is also ECS's CreateCluster's).
        "clusterName" | "name" => world
            .clusters()
            .chain(world.eks().clusters.iter())
            .cloned()
            .collect(),
        "nodegroupName" => world.eks().groups.keys().cloned().collect(),
        "fargateProfileName" => world
            .eks()
            .profiles
            .keys()
            .map(|(_, name)| name.clone())
            .collect(),
        "principalArn" => world
            .eks()
            .access_entries
            .keys()
            .map(|(_, arn)| arn.clone())
            .collect(),
        "service" | "services" | "serviceName" => {
            world.services().map(|s| s.name.clone()).collect()
        }
        "taskDefinition" | "familyPrefix" | "family" => {
            let mut names: Vec<String> = Vec::new();
            for (revision, _) in world.task_definitions() {
                names.push(revision.family.clone());
                names.push(revision.to_string());
            }
            names
        }
        "task" | "tasks" => world.tasks().map(|t| t.id.clone()).collect(),
        "containerInstances" | "containerInstance" => {
            world.instances().map(|i| i.id.clone()).collect()
        }
        "RoleName" => world.roles().map(|r| r.name.clone()).collect(),
        "repositoryName" | "repositoryNames" => cloud
            .desk()
            .map(|desk| {
                desk.registry
                    .repositories()
                    .map(|r| r.name().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        "SubnetIds" | "subnets" | "subnetIds" => world
            .default_vpc()
            .subnets
            .into_iter()
            .map(|s| s.subnet_id)
            .collect(),
        _ => cloud
            .files()
            .into_iter()
            .map(|f| format!("file://{f}"))
            .collect(),
    }
}
