//! The verdict AWS would give on a task definition, for the launch types it
//! targets (rules §1, §2, §3, §5.1).

use std::collections::{BTreeMap, BTreeSet};

use super::image::{looks_like_ecr, parse_image};
use super::types::{ContainerDefinition, TaskDefinition, Volume};
use super::Finding;
use crate::fargate::{self, OsFamily};

/// Which launch types a definition is validated for: the ones it lists in
/// requiresCompatibilities, or EC2 when it lists none (as ECS does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
    pub ec2: bool,
    pub fargate: bool,
}

impl Targets {
    pub fn of(definition: &TaskDefinition) -> Targets {
        match &definition.requires_compatibilities {
            Some(list) if !list.is_empty() => Targets {
                ec2: list
                    .iter()
                    .any(|c| matches!(c.as_str(), "EC2" | "EXTERNAL" | "MANAGED_INSTANCES")),
                fargate: list.iter().any(|c| c == "FARGATE"),
            },
            _ => Targets {
                ec2: true,
                fargate: false,
            },
        }
    }
}

/// Task cpu in units, from "1024", "1 vCPU" or "0.5vcpu".
pub fn parse_task_cpu(text: &str) -> Option<u32> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    match lower.strip_suffix("vcpu") {
        Some(number) => scaled(number.trim(), 1024),
        None => text.parse().ok(),
    }
}

/// Task memory in MiB, from "2048", "2 GB" or "0.5GB".
pub fn parse_task_memory(text: &str) -> Option<u32> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    match lower.strip_suffix("gb") {
        Some(number) => scaled(number.trim(), 1024),
        None => text.parse().ok(),
    }
}

fn scaled(number: &str, unit: u32) -> Option<u32> {
    let value: f64 = number.parse().ok()?;
    let scaled = value * f64::from(unit);
    (value > 0.0 && scaled.fract() == 0.0 && scaled <= f64::from(u32::MAX)).then_some(scaled as u32)
}

pub(crate) fn is_name(text: &str) -> bool {
    (1..=255).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A role as taskRoleArn and executionRoleArn take it: a name IAM would
/// give a role, or its ARN in any partition, with an optional path.
fn is_role_reference(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("arn:") else {
        return crate::iam::role_name_error(text).is_none();
    };
    let mut parts = rest.splitn(5, ':');
    let (Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return false;
    };
    let (path, name) = path_and_name
        .rsplit_once('/')
        .unwrap_or(("", path_and_name));
    // The account is not checked beyond being there: AWS's published
    // examples carry placeholders (XXXXXXXXXXXX, aws_account_id, 11 digits)
    // that a learner replaces, and how strictly ECS reads the account part
    // is not documented.
    partition.starts_with("aws")
        && !account.is_empty()
        && !account.contains('/')
        && path.bytes().all(|b| b.is_ascii_graphic())
        && crate::iam::role_name_error(name).is_none()
}

const NETWORK_MODES: &[&str] = &["bridge", "host", "awsvpc", "none"];
const COMPATIBILITIES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
const LOG_DRIVERS: &[&str] = &[
    "json-file",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "awsfirelens",
];
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];
const AWSLOGS_OPTIONS: &[&str] = &[
    "awslogs-group",
    "awslogs-region",
    "awslogs-stream-prefix",
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-multiline-pattern",
    "mode",
    "max-buffer-size",
    "awslogs-endpoint",
    "awslogs-credentials-endpoint",
];
const DEPENDENCY_CONDITIONS: &[&str] = &["START", "COMPLETE", "SUCCESS", "HEALTHY"];
const ARCHITECTURES: &[&str] = &["X86_64", "ARM64"];
const OS_FAMILIES: &[&str] = &[
    "LINUX",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2016_FULL",
    "WINDOWS_SERVER_2004_CORE",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2025_CORE",
    "WINDOWS_SERVER_2025_FULL",
    "WINDOWS_SERVER_20H2_CORE",
];

/// Every finding for `definition`, errors first in field order.
pub fn validate(definition: &TaskDefinition) -> Vec<Finding> {
    let mut out = Vec::new();
    let targets = Targets::of(definition);
    let network_mode = definition.network_mode.as_deref().unwrap_or("bridge");
    let windows = definition
        .runtime_platform
        .as_ref()
        .and_then(|p| p.operating_system_family.as_deref())
        .is_some_and(|os| os.starts_with("WINDOWS"));

    for (field, role) in [
        ("taskRoleArn", &definition.task_role_arn),
        ("executionRoleArn", &definition.execution_role_arn),
    ] {
        // An empty string is no role, as in botocore's own example.
        if let Some(role) = role
            .as_deref()
            .filter(|role| !role.is_empty() && !is_role_reference(role))
        {
            out.push(Finding::new(
                "role-reference",
                field,
                format!("\"{role}\" is neither a role ARN (arn:aws:iam::123456789012:role/NAME) nor a role name"),
            ));
        }
    }

    // Family.
    if definition.family.is_empty() {
        out.push(Finding::new(
            "family-required",
            "family",
            "give the task definition a family name, for example \"web\"".into(),
        ));
    } else if !is_name(&definition.family) {
        out.push(Finding::new(
            "family-format",
            "family",
            format!(
                "\"{}\" may use only letters, digits, '-' and '_' (255 at most)",
                definition.family
            ),
        ));
    }

    // Enumerations.
    if let Some(mode) = &definition.network_mode {
        if !NETWORK_MODES.contains(&mode.as_str()) {
            out.push(Finding::new(
                "network-mode-value",
                "networkMode",
                format!("\"{mode}\" is not bridge, host, awsvpc or none"),
            ));
        }
    }
    for (i, compatibility) in definition
        .requires_compatibilities
        .iter()
        .flatten()
        .enumerate()
    {
        if !COMPATIBILITIES.contains(&compatibility.as_str()) {
            out.push(Finding::new(
                "compatibility-value",
                &format!("requiresCompatibilities[{i}]"),
                format!("\"{compatibility}\" is not EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES"),
            ));
        }
    }
    if let Some(platform) = &definition.runtime_platform {
        if let Some(arch) = &platform.cpu_architecture {
            if !ARCHITECTURES.contains(&arch.as_str()) {
                out.push(Finding::new(
                    "runtime-platform",
                    "runtimePlatform.cpuArchitecture",
                    format!("\"{arch}\" is not X86_64 or ARM64"),
                ));
            }
            if targets.fargate && windows && arch == "ARM64" {
                out.push(Finding::new(
                    "fargate-windows-arm",
                    "runtimePlatform.cpuArchitecture",
                    "Windows on Fargate needs X86_64".into(),
                ));
            }
        }
        if let Some(os) = &platform.operating_system_family {
            if !OS_FAMILIES.contains(&os.as_str()) {
                out.push(Finding::new(
                    "runtime-platform",
                    "runtimePlatform.operatingSystemFamily",
                    format!("\"{os}\" is not an operating system family ECS knows"),
                ));
            }
        }
    }
    if let Some(mode) = &definition.pid_mode {
        if !matches!(mode.as_str(), "host" | "task") {
            out.push(Finding::new(
                "pid-mode",
                "pidMode",
                format!("\"{mode}\" is not host or task"),
            ));
        } else if targets.fargate && mode == "host" {
            out.push(Finding::new(
                "fargate-parameter",
                "pidMode",
                "Fargate allows only pidMode \"task\"".into(),
            ));
        }
    }
    if let Some(mode) = &definition.ipc_mode {
        if !matches!(mode.as_str(), "host" | "task" | "none") {
            out.push(Finding::new(
                "ipc-mode",
                "ipcMode",
                format!("\"{mode}\" is not host, task or none"),
            ));
        }
        if targets.fargate {
            out.push(Finding::new(
                "fargate-parameter",
                "ipcMode",
                "Fargate does not support ipcMode".into(),
            ));
        }
    }

    // Task size.
    let task_cpu = definition
        .cpu
        .as_deref()
        .map(|text| (text, parse_task_cpu(text)));
    let task_memory = definition
        .memory
        .as_deref()
        .map(|text| (text, parse_task_memory(text)));
    if let Some((text, None)) = task_cpu {
        out.push(Finding::new(
            "task-cpu-format",
            "cpu",
            format!("\"{text}\" is neither CPU units (\"1024\") nor vCPUs (\"1 vCPU\")"),
        ));
    }
    if let Some((text, None)) = task_memory {
        out.push(Finding::new(
            "task-memory-format",
            "memory",
            format!("\"{text}\" is neither MiB (\"2048\") nor GB (\"2 GB\")"),
        ));
    }
    let cpu_units = task_cpu.and_then(|(_, units)| units);
    let memory_mib = task_memory.and_then(|(_, mib)| mib);
    if targets.fargate {
        if network_mode != "awsvpc" {
            out.push(Finding::new(
                "fargate-requires-awsvpc",
                "networkMode",
                match &definition.network_mode {
                    Some(mode) => format!("Fargate needs \"awsvpc\", not \"{mode}\""),
                    None => "Fargate needs \"networkMode\": \"awsvpc\" (the default, bridge, is EC2 only)".into(),
                },
            ));
        }
        match (task_cpu, task_memory) {
            (None, _) | (_, None) => {
                let missing: Vec<&str> = [
                    ("cpu", task_cpu.is_none()),
                    ("memory", task_memory.is_none()),
                ]
                .into_iter()
                .filter_map(|(name, missing)| missing.then_some(name))
                .collect();
                out.push(Finding::new(
                    "fargate-requires-task-size",
                    missing[0],
                    format!("Fargate needs task-level {}", missing.join(" and ")),
                ));
            }
            _ => {}
        }
        if let (Some(cpu), Some(memory)) = (cpu_units, memory_mib) {
            let os = if windows {
                OsFamily::Windows
            } else {
                OsFamily::Linux
            };
            if let Err(error) = fargate::check_size(cpu, memory, os) {
                let path = match error {
                    fargate::SizeError::CpuNotOffered { .. } => "cpu",
                    _ => "memory",
                };
                out.push(Finding::new("fargate-size", path, error.to_string()));
            }
        }
    }
    if targets.ec2 && !targets.fargate {
        if let Some(cpu) = cpu_units {
            if !(128..=196_608).contains(&cpu) {
                out.push(Finding::new(
                    "ec2-cpu-range",
                    "cpu",
                    format!("{cpu} units is outside 128 to 196608 (0.125 to 192 vCPU)"),
                ));
            }
        }
    }

    // Containers.
    let containers = &definition.container_definitions;
    if containers.is_empty() {
        out.push(Finding::new(
            "containers-required",
            "containerDefinitions",
            "add at least one container".into(),
        ));
    }
    if containers.len() > 10 {
        out.push(Finding::new(
            "containers-max",
            "containerDefinitions",
            format!(
                "{} containers; a task definition holds at most 10",
                containers.len()
            ),
        ));
    }
    let mut seen_names = BTreeSet::new();
    for (i, container) in containers.iter().enumerate() {
        let path = format!("containerDefinitions[{i}]");
        if container.name.is_empty() {
            out.push(Finding::new(
                "container-name-required",
                &format!("{path}.name"),
                "every container needs a name".into(),
            ));
        } else if !is_name(&container.name) {
            out.push(Finding::new(
                "container-name-format",
                &format!("{path}.name"),
                format!(
                    "\"{}\" may use only letters, digits, '-' and '_'",
                    container.name
                ),
            ));
        } else if !seen_names.insert(container.name.as_str()) {
            out.push(Finding::new(
                "container-name-duplicate",
                &format!("{path}.name"),
                format!("another container is already called \"{}\"", container.name),
            ));
        }
        if container.image.is_empty() {
            out.push(Finding::new(
                "image-required",
                &format!("{path}.image"),
                "every container needs an image".into(),
            ));
        } else if let Err(reason) = parse_image(&container.image) {
            out.push(Finding::new(
                "image-format",
                &format!("{path}.image"),
                format!("\"{}\": {reason}", container.image),
            ));
        }
        validate_container_memory(container, &path, targets, memory_mib.is_some(), &mut out);
        validate_ports(container, &path, network_mode, &mut out);
        validate_logs(
            container,
            &path,
            targets,
            definition.execution_role_arn.is_some(),
            &mut out,
        );
        if targets.fargate {
            validate_fargate_container(container, &path, &mut out);
            if looks_like_ecr(&container.image) && definition.execution_role_arn.is_none() {
                out.push(Finding::new(
                    "fargate-execution-role-ecr",
                    &format!("{path}.image"),
                    "this private ECR image would be pulled by the task execution role, and executionRoleArn is not set".into(),
                ));
            }
        }
        if container
            .links
            .as_ref()
            .is_some_and(|links| !links.is_empty())
            && network_mode != "bridge"
        {
            out.push(Finding::new(
                "links-bridge-only",
                &format!("{path}.links"),
                format!("links work only in bridge mode; this task uses {network_mode}"),
            ));
        }
        for (j, secret) in container.secrets.iter().flatten().enumerate() {
            if secret.name.is_empty() || secret.value_from.is_empty() {
                out.push(Finding::new(
                    "secret-fields",
                    &format!("{path}.secrets[{j}]"),
                    "a secret needs both name and valueFrom".into(),
                ));
            }
        }
        if container.secrets.as_ref().is_some_and(|s| !s.is_empty())
            && definition.execution_role_arn.is_none()
        {
            out.push(Finding::new(
                "secrets-execution-role",
                &format!("{path}.secrets"),
                "no executionRoleArn: the secrets cannot be fetched and the task will fail to start".into(),
            ));
        }
        validate_health_check(container, &path, &mut out);
    }

    // Sums and essential containers.
    if let Some(task_memory) = memory_mib {
        let total: i64 = containers.iter().filter_map(|c| c.memory).sum();
        if total > i64::from(task_memory) {
            out.push(Finding::new(
                "container-memory-sum",
                "containerDefinitions",
                format!("the containers' memory limits add up to {total} MiB; the task has {task_memory} MiB"),
            ));
        }
    }
    if let Some(task_cpu) = cpu_units {
        let total: i64 = containers.iter().filter_map(|c| c.cpu).sum();
        if total > i64::from(task_cpu) {
            out.push(Finding::new(
                "container-cpu-sum",
                "containerDefinitions",
                format!("the containers' cpu adds up to {total} units; the task has {task_cpu}"),
            ));
        }
    }
    if !containers.is_empty() && !containers.iter().any(ContainerDefinition::is_essential) {
        out.push(Finding::new(
            "essential-required",
            "containerDefinitions",
            "every container has \"essential\": false; mark at least one essential".into(),
        ));
    }
    validate_dependencies(containers, &mut out);

    // Volumes and mount points.
    validate_volumes(
        definition.volumes.as_deref().unwrap_or_default(),
        targets,
        &mut out,
    );
    // Inserted one by one: collect() would compile a sort of its own.
    let mut volume_names = BTreeSet::new();
    volume_names.extend(definition.volumes.iter().flatten().map(|v| v.name.as_str()));
    for (i, container) in containers.iter().enumerate() {
        for (j, mount) in container.mount_points.iter().flatten().enumerate() {
            let path = format!("containerDefinitions[{i}].mountPoints[{j}]");
            match mount.source_volume.as_deref() {
                Some(name) if !volume_names.contains(name) => out.push(Finding::new(
                    "mount-unknown-volume",
                    &format!("{path}.sourceVolume"),
                    format!("no volume is called \"{name}\""),
                )),
                None => out.push(Finding::new(
                    "mount-unknown-volume",
                    &format!("{path}.sourceVolume"),
                    "the mount point does not say which volume to mount".into(),
                )),
                _ => {}
            }
            if mount.container_path.as_deref().is_none_or(str::is_empty) {
                out.push(Finding::new(
                    "mount-path",
                    &format!("{path}.containerPath"),
                    "say where the volume appears in the container".into(),
                ));
            }
        }
    }

    // Task-level settings.
    let constraints = definition
        .placement_constraints
        .as_deref()
        .unwrap_or_default();
    if targets.fargate && !constraints.is_empty() {
        out.push(Finding::new(
            "fargate-parameter",
            "placementConstraints",
            "Fargate places tasks itself: placement constraints are not supported".into(),
        ));
    }
    if constraints.len() > 10 {
        out.push(Finding::new(
            "placement-constraint",
            "placementConstraints",
            format!(
                "{} constraints; at most 10 apply to a task",
                constraints.len()
            ),
        ));
    }
    for (i, constraint) in constraints.iter().enumerate() {
        if constraint.kind.as_deref() != Some("memberOf") {
            out.push(Finding::new(
                "placement-constraint",
                &format!("placementConstraints[{i}].type"),
                format!(
                    "{:?} is not memberOf, the only type a task definition accepts",
                    constraint.kind.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    if let Some(storage) = &definition.ephemeral_storage {
        if !(21..=200).contains(&storage.size_in_gi_b) {
            out.push(Finding::new(
                "ephemeral-storage-range",
                "ephemeralStorage.sizeInGiB",
                format!(
                    "{} GiB is outside 21 to 200 (leave it out for the default 20 GiB)",
                    storage.size_in_gi_b
                ),
            ));
        }
        if !targets.fargate {
            out.push(Finding::new(
                "ephemeral-storage-fargate-only",
                "ephemeralStorage",
                "this definition does not target Fargate, where ephemeralStorage applies".into(),
            ));
        }
    }
    let tags = definition.tags.as_deref().unwrap_or_default();
    if tags.len() > 50 {
        out.push(Finding::new(
            "tags-max",
            "tags",
            format!("{} tags; at most 50", tags.len()),
        ));
    }
    for (i, tag) in tags.iter().enumerate() {
        if tag
            .key
            .as_deref()
            .is_some_and(|key| key.to_ascii_lowercase().starts_with("aws:"))
        {
            out.push(Finding::new(
                "tag-reserved",
                &format!("tags[{i}].key"),
                "keys starting with aws: are reserved for AWS".into(),
            ));
        }
    }
    out
}

fn validate_container_memory(
    container: &ContainerDefinition,
    path: &str,
    targets: Targets,
    task_memory: bool,
    out: &mut Vec<Finding>,
) {
    let hard = container.memory.filter(|m| *m > 0);
    let soft = container.memory_reservation.filter(|m| *m > 0);
    if targets.ec2 && !task_memory && hard.is_none() && soft.is_none() {
        out.push(Finding::new(
            "ec2-memory-required",
            &format!("{path}.memory"),
            "with no task memory, this container needs memory or memoryReservation".into(),
        ));
    }
    if let (Some(hard), Some(soft)) = (container.memory, container.memory_reservation) {
        if hard <= soft {
            out.push(Finding::new(
                "memory-reservation-above-limit",
                &format!("{path}.memoryReservation"),
                format!("memoryReservation {soft} MiB must be lower than memory {hard} MiB"),
            ));
        }
    }
    if let Some(hard) = container.memory {
        if hard < 6 {
            out.push(Finding::new(
                "container-memory-small",
                &format!("{path}.memory"),
                format!("{hard} MiB is below Docker's 6 MiB minimum"),
            ));
        }
    }
}

fn validate_ports(
    container: &ContainerDefinition,
    path: &str,
    network_mode: &str,
    out: &mut Vec<Finding>,
) {
    let mappings = container.port_mappings.as_deref().unwrap_or_default();
    if network_mode == "none" && !mappings.is_empty() {
        out.push(Finding::new(
            "port-none-mode",
            &format!("{path}.portMappings"),
            "networkMode none allows no port mappings".into(),
        ));
        return;
    }
    for (j, mapping) in mappings.iter().enumerate() {
        let at = format!("{path}.portMappings[{j}]");
        if mapping.container_port.is_none() && mapping.container_port_range.is_none() {
            out.push(Finding::new(
                "port-container-required",
                &format!("{at}.containerPort"),
                "give containerPort (or containerPortRange)".into(),
            ));
        }
        if let Some(protocol) = &mapping.protocol {
            if !matches!(protocol.as_str(), "tcp" | "udp") {
                out.push(Finding::new(
                    "port-protocol",
                    &format!("{at}.protocol"),
                    format!("\"{protocol}\" is not tcp or udp"),
                ));
            }
        }
        if matches!(network_mode, "awsvpc" | "host") {
            if let (Some(host), Some(container_port)) = (mapping.host_port, mapping.container_port)
            {
                if host != container_port {
                    out.push(Finding::new(
                        "port-host-mismatch",
                        &format!("{at}.hostPort"),
                        format!("in {network_mode} mode hostPort must equal containerPort {container_port} or be left out, not {host}"),
                    ));
                }
            }
        }
    }
}

fn validate_logs(
    container: &ContainerDefinition,
    path: &str,
    targets: Targets,
    execution_role: bool,
    out: &mut Vec<Finding>,
) {
    let Some(log) = &container.log_configuration else {
        return;
    };
    let at = format!("{path}.logConfiguration");
    if !LOG_DRIVERS.contains(&log.log_driver.as_str()) {
        out.push(Finding::new(
            "log-driver",
            &format!("{at}.logDriver"),
            format!("\"{}\" is not a log driver ECS supports", log.log_driver),
        ));
        return;
    }
    if targets.fargate && !FARGATE_LOG_DRIVERS.contains(&log.log_driver.as_str()) {
        out.push(Finding::new(
            "log-driver-fargate",
            &format!("{at}.logDriver"),
            format!(
                "Fargate supports awslogs, splunk and awsfirelens, not \"{}\"",
                log.log_driver
            ),
        ));
    }
    if log.log_driver != "awslogs" {
        return;
    }
    let options = log.options.clone().unwrap_or_default();
    if !options.contains_key("awslogs-group") {
        out.push(Finding::new(
            "awslogs-group",
            &format!("{at}.options"),
            "add \"awslogs-group\": the log group to write to".into(),
        ));
    }
    if !options.contains_key("awslogs-region") {
        out.push(Finding::new(
            "awslogs-region",
            &format!("{at}.options"),
            "add \"awslogs-region\": the log group's Region".into(),
        ));
    }
    if targets.fargate && !options.contains_key("awslogs-stream-prefix") {
        out.push(Finding::new(
            "awslogs-stream-prefix",
            &format!("{at}.options"),
            "add \"awslogs-stream-prefix\", required on Fargate".into(),
        ));
    }
    for name in options.keys() {
        if !AWSLOGS_OPTIONS.contains(&name.as_str()) {
            out.push(Finding::new(
                "awslogs-option",
                &format!("{at}.options.{name}"),
                format!("awslogs has no option \"{name}\""),
            ));
        }
    }
    if targets.fargate && !execution_role {
        out.push(Finding::new(
            "fargate-execution-role-logs",
            &format!("{at}.logDriver"),
            "awslogs on Fargate ships logs with the task execution role, and executionRoleArn is not set".into(),
        ));
    }
}

fn validate_fargate_container(container: &ContainerDefinition, path: &str, out: &mut Vec<Finding>) {
    let mut refuse = |field: &str, present: bool| {
        if present {
            out.push(Finding::new(
                "fargate-parameter",
                &format!("{path}.{field}"),
                format!("Fargate does not support {field}"),
            ));
        }
    };
    refuse("privileged", container.privileged == Some(true));
    refuse(
        "links",
        container.links.as_ref().is_some_and(|v| !v.is_empty()),
    );
    refuse("disableNetworking", container.disable_networking.is_some());
    refuse(
        "dnsServers",
        container
            .dns_servers
            .as_ref()
            .is_some_and(|v| !v.is_empty()),
    );
    refuse(
        "dnsSearchDomains",
        container
            .dns_search_domains
            .as_ref()
            .is_some_and(|v| !v.is_empty()),
    );
    refuse(
        "extraHosts",
        container
            .extra_hosts
            .as_ref()
            .is_some_and(|v| !v.is_empty()),
    );
    refuse(
        "dockerSecurityOptions",
        container
            .docker_security_options
            .as_ref()
            .is_some_and(|v| !v.is_empty()),
    );
    refuse(
        "systemControls",
        container
            .system_controls
            .as_ref()
            .is_some_and(|v| !v.is_empty()),
    );
    let gpu = container
        .resource_requirements
        .iter()
        .flatten()
        .any(|requirement| requirement.get("type").and_then(|t| t.as_str()) == Some("GPU"));
    refuse("resourceRequirements", gpu);
    if let Some(linux) = container
        .linux_parameters
        .as_ref()
        .and_then(|v| v.as_object())
    {
        for field in ["devices", "sharedMemorySize", "maxSwap", "swappiness"] {
            if linux.contains_key(field) {
                out.push(Finding::new(
                    "fargate-parameter",
                    &format!("{path}.linuxParameters.{field}"),
                    format!("Fargate does not support linuxParameters.{field}"),
                ));
            }
        }
    }
    for (field, value) in [
        ("startTimeout", container.start_timeout),
        ("stopTimeout", container.stop_timeout),
    ] {
        if let Some(seconds) = value {
            if !(2..=120).contains(&seconds) {
                out.push(Finding::new(
                    "fargate-timeout-range",
                    &format!("{path}.{field}"),
                    format!("{seconds} s is outside 2 to 120 s"),
                ));
            }
        }
    }
}

fn validate_health_check(container: &ContainerDefinition, path: &str, out: &mut Vec<Finding>) {
    let Some(check) = &container.health_check else {
        return;
    };
    let at = format!("{path}.healthCheck");
    if !matches!(
        check.command.first().map(String::as_str),
        Some("CMD" | "CMD-SHELL")
    ) {
        out.push(Finding::new(
            "health-check-command",
            &format!("{at}.command"),
            "start the command with \"CMD\" or \"CMD-SHELL\"".into(),
        ));
    }
    for (field, value, low, high) in [
        ("interval", check.interval, 5, 300),
        ("timeout", check.timeout, 2, 60),
        ("retries", check.retries, 1, 10),
        ("startPeriod", check.start_period, 0, 300),
    ] {
        if let Some(value) = value {
            if !(low..=high).contains(&value) {
                out.push(Finding::new(
                    "health-check-range",
                    &format!("{at}.{field}"),
                    format!("{value} is outside {low} to {high}"),
                ));
            }
        }
    }
}

fn validate_dependencies(containers: &[ContainerDefinition], out: &mut Vec<Finding>) {
    let mut by_name: BTreeMap<&str, &ContainerDefinition> = BTreeMap::new();
    by_name.extend(containers.iter().map(|c| (c.name.as_str(), c)));
    for (i, container) in containers.iter().enumerate() {
        for (j, dependency) in container.depends_on.iter().flatten().enumerate() {
            let at = format!("containerDefinitions[{i}].dependsOn[{j}]");
            if !DEPENDENCY_CONDITIONS.contains(&dependency.condition.as_str()) {
                out.push(Finding::new(
                    "depends-on-condition",
                    &format!("{at}.condition"),
                    format!(
                        "\"{}\" is not START, COMPLETE, SUCCESS or HEALTHY",
                        dependency.condition
                    ),
                ));
            }
            let Some(target) = by_name.get(dependency.container_name.as_str()) else {
                out.push(Finding::new(
                    "depends-on-unknown",
                    &format!("{at}.containerName"),
                    format!("no container is called \"{}\"", dependency.container_name),
                ));
                continue;
            };
            if matches!(dependency.condition.as_str(), "COMPLETE" | "SUCCESS")
                && target.is_essential()
            {
                out.push(Finding::new(
                    "depends-on-essential",
                    &format!("{at}.condition"),
                    format!(
                        "\"{}\" is essential, so it cannot be waited on with {}",
                        target.name, dependency.condition
                    ),
                ));
            }
            if dependency.condition == "HEALTHY" && target.health_check.is_none() {
                out.push(Finding::new(
                    "depends-on-healthy",
                    &format!("{at}.condition"),
                    format!("\"{}\" has no healthCheck to become HEALTHY", target.name),
                ));
            }
        }
    }
}

fn validate_volumes(volumes: &[Volume], targets: Targets, out: &mut Vec<Finding>) {
    let mut names = BTreeSet::new();
    let mut at_launch = 0;
    for (i, volume) in volumes.iter().enumerate() {
        let at = format!("volumes[{i}]");
        if volume.name.is_empty() {
            out.push(Finding::new(
                "volume-name",
                &format!("{at}.name"),
                "every volume needs a name".into(),
            ));
        } else if !is_name(&volume.name) {
            out.push(Finding::new(
                "volume-name",
                &format!("{at}.name"),
                format!(
                    "\"{}\" may use only letters, digits, '-' and '_' (255 at most)",
                    volume.name
                ),
            ));
        } else if !names.insert(volume.name.as_str()) {
            out.push(Finding::new(
                "volume-duplicate",
                &format!("{at}.name"),
                format!("another volume is already called \"{}\"", volume.name),
            ));
        }
        let kinds: Vec<&str> = [
            ("host", volume.host.is_some()),
            (
                "dockerVolumeConfiguration",
                volume.docker_volume_configuration.is_some(),
            ),
            (
                "efsVolumeConfiguration",
                volume.efs_volume_configuration.is_some(),
            ),
            (
                "fsxWindowsFileServerVolumeConfiguration",
                volume
                    .fsx_windows_file_server_volume_configuration
                    .is_some(),
            ),
            (
                "configuredAtLaunch",
                volume.configured_at_launch == Some(true),
            ),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        if kinds.len() > 1 {
            out.push(Finding::new(
                "volume-kinds",
                &at,
                format!("it sets {}; choose one", kinds.join(" and ")),
            ));
        }
        if volume.configured_at_launch == Some(true) {
            at_launch += 1;
            if at_launch == 2 {
                out.push(Finding::new(
                    "configured-at-launch-max",
                    &format!("{at}.configuredAtLaunch"),
                    "only one volume per task can be configured at launch".into(),
                ));
            }
        }
        if targets.fargate {
            let refused = [
                (
                    "host.sourcePath",
                    volume
                        .host
                        .as_ref()
                        .is_some_and(|h| h.source_path.is_some()),
                ),
                (
                    "dockerVolumeConfiguration",
                    volume.docker_volume_configuration.is_some(),
                ),
                (
                    "fsxWindowsFileServerVolumeConfiguration",
                    volume
                        .fsx_windows_file_server_volume_configuration
                        .is_some(),
                ),
            ];
            for (field, present) in refused {
                if present {
                    out.push(Finding::new(
                        "volume-fargate",
                        &format!("{at}.{field}"),
                        format!("Fargate does not support {field}"),
                    ));
                }
            }
        }
        if let Some(docker) = &volume.docker_volume_configuration {
            if let Some(scope) = &docker.scope {
                if !matches!(scope.as_str(), "task" | "shared") {
                    out.push(Finding::new(
                        "docker-volume-scope",
                        &format!("{at}.dockerVolumeConfiguration.scope"),
                        format!("\"{scope}\" is not task or shared"),
                    ));
                }
            }
            if docker.autoprovision == Some(true) && docker.scope.as_deref() != Some("shared") {
                out.push(Finding::new(
                    "docker-volume-autoprovision",
                    &format!("{at}.dockerVolumeConfiguration.autoprovision"),
                    "autoprovision needs scope \"shared\"".into(),
                ));
            }
        }
        if let Some(efs) = &volume.efs_volume_configuration {
            let auth = efs.authorization_config.as_ref();
            let access_point = auth.and_then(|a| a.access_point_id.as_ref()).is_some();
            let iam = auth.and_then(|a| a.iam.as_deref()) == Some("ENABLED");
            if (access_point || iam) && efs.transit_encryption.as_deref() != Some("ENABLED") {
                out.push(Finding::new(
                    "efs-transit-encryption",
                    &format!("{at}.efsVolumeConfiguration.transitEncryption"),
                    format!(
                        "{} needs \"transitEncryption\": \"ENABLED\"",
                        if access_point {
                            "an access point"
                        } else {
                            "IAM authorization"
                        }
                    ),
                ));
            }
            if access_point
                && efs
                    .root_directory
                    .as_deref()
                    .is_some_and(|root| root != "/")
            {
                out.push(Finding::new(
                    "efs-root-directory",
                    &format!("{at}.efsVolumeConfiguration.rootDirectory"),
                    "with an access point, leave rootDirectory out (or \"/\")".into(),
                ));
            }
        }
    }
}
