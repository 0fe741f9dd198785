//! Task definitions shaped exactly like the ECS RegisterTaskDefinition input
//! (camelCase JSON), so that a file exported from Dockyard is ready for
//! `aws ecs register-task-definition --cli-input-json`.
//!
//! Fields Dockyard does not model in detail are kept as JSON values, and
//! fields it does not know at all are kept in `unknown` (and reported), so
//! an import followed by an export never drops anything.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::json_object;
use serde_json::Value;

/// The body of a RegisterTaskDefinition request.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_compatibilities: Option<Vec<String>>,
    /// Task CPU: units ("1024") or vCPU ("1 vCPU"); a string in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task memory: MiB ("2048") or GB ("2 GB"); a string in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipc_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_accelerators: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_fault_injection: Option<bool>,
    /// Fields the ECS API does not have; kept so nothing is lost, and reported.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// One container of a task definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<Value>,
    /// CPU units for this container: a relative share on EC2 (Docker
    /// `--cpu-shares`), a number in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// Hard limit in MiB: the container is killed above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Soft limit in MiB: what placement reserves when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_mappings: Option<Vec<PortMapping>>,
    /// Defaults to true when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_points: Option<Vec<MountPoint>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes_from: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linux_parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<ContainerDependency>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_consistency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_networking: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readonly_root_filesystem: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_servers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_search_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_hosts: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_security_options: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudo_terminal: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ulimits: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_controls: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_requirements: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firelens_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_specs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<Value>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

impl ContainerDefinition {
    /// `essential` defaults to true in the API.
    pub fn is_essential(&self) -> bool {
        self.essential.unwrap_or(true)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value_from: String,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MountPoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDependency {
    #[serde(default)]
    pub container_name: String,
    #[serde(default)]
    pub condition: String,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogConfiguration {
    #[serde(default)]
    pub log_driver: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_options: Option<Vec<Secret>>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    #[serde(default)]
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i64>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A task volume: a name plus at most one kind of configuration (none means
/// a bind mount).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostVolume>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_volume_configuration: Option<DockerVolumeConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fsx_windows_file_server_volume_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured_at_launch: Option<bool>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostVolume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerVolumeConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoprovision: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_opts: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    #[serde(default)]
    pub file_system_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_encryption_port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_config: Option<EfsAuthorizationConfig>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsAuthorizationConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_point_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementConstraint {
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EphemeralStorage {
    #[serde(default)]
    pub size_in_gi_b: i64,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

// Read by hand from JSON (see `crate::json::FromJson`): serde derives only
// the writing. Every field defaults when absent, as before.
json_object!(TaskDefinition {
    family: "family",
    container_definitions: "containerDefinitions",
    task_role_arn: "taskRoleArn",
    execution_role_arn: "executionRoleArn",
    network_mode: "networkMode",
    requires_compatibilities: "requiresCompatibilities",
    cpu: "cpu",
    memory: "memory",
    volumes: "volumes",
    placement_constraints: "placementConstraints",
    ephemeral_storage: "ephemeralStorage",
    runtime_platform: "runtimePlatform",
    pid_mode: "pidMode",
    ipc_mode: "ipcMode",
    tags: "tags",
    proxy_configuration: "proxyConfiguration",
    inference_accelerators: "inferenceAccelerators",
    enable_fault_injection: "enableFaultInjection",
});
json_object!(ContainerDefinition {
    name: "name",
    image: "image",
    repository_credentials: "repositoryCredentials",
    cpu: "cpu",
    memory: "memory",
    memory_reservation: "memoryReservation",
    links: "links",
    port_mappings: "portMappings",
    essential: "essential",
    entry_point: "entryPoint",
    command: "command",
    environment: "environment",
    environment_files: "environmentFiles",
    mount_points: "mountPoints",
    volumes_from: "volumesFrom",
    linux_parameters: "linuxParameters",
    secrets: "secrets",
    depends_on: "dependsOn",
    start_timeout: "startTimeout",
    stop_timeout: "stopTimeout",
    version_consistency: "versionConsistency",
    hostname: "hostname",
    user: "user",
    working_directory: "workingDirectory",
    disable_networking: "disableNetworking",
    privileged: "privileged",
    readonly_root_filesystem: "readonlyRootFilesystem",
    dns_servers: "dnsServers",
    dns_search_domains: "dnsSearchDomains",
    extra_hosts: "extraHosts",
    docker_security_options: "dockerSecurityOptions",
    interactive: "interactive",
    pseudo_terminal: "pseudoTerminal",
    docker_labels: "dockerLabels",
    ulimits: "ulimits",
    log_configuration: "logConfiguration",
    health_check: "healthCheck",
    system_controls: "systemControls",
    resource_requirements: "resourceRequirements",
    firelens_configuration: "firelensConfiguration",
    credential_specs: "credentialSpecs",
    restart_policy: "restartPolicy",
});
json_object!(PortMapping {
    container_port: "containerPort",
    host_port: "hostPort",
    protocol: "protocol",
    name: "name",
    app_protocol: "appProtocol",
    container_port_range: "containerPortRange",
});
json_object!(KeyValue {
    name: "name",
    value: "value",
});
json_object!(Secret {
    name: "name",
    value_from: "valueFrom",
});
json_object!(MountPoint {
    source_volume: "sourceVolume",
    container_path: "containerPath",
    read_only: "readOnly",
});
json_object!(ContainerDependency {
    container_name: "containerName",
    condition: "condition",
});
json_object!(LogConfiguration {
    log_driver: "logDriver",
    options: "options",
    secret_options: "secretOptions",
});
json_object!(HealthCheck {
    command: "command",
    interval: "interval",
    timeout: "timeout",
    retries: "retries",
    start_period: "startPeriod",
});
json_object!(Volume {
    name: "name",
    host: "host",
    docker_volume_configuration: "dockerVolumeConfiguration",
    efs_volume_configuration: "efsVolumeConfiguration",
    fsx_windows_file_server_volume_configuration: "fsxWindowsFileServerVolumeConfiguration",
    configured_at_launch: "configuredAtLaunch",
});
json_object!(HostVolume {
    source_path: "sourcePath",
});
json_object!(DockerVolumeConfiguration {
    scope: "scope",
    autoprovision: "autoprovision",
    driver: "driver",
    driver_opts: "driverOpts",
    labels: "labels",
});
json_object!(EfsVolumeConfiguration {
    file_system_id: "fileSystemId",
    root_directory: "rootDirectory",
    transit_encryption: "transitEncryption",
    transit_encryption_port: "transitEncryptionPort",
    authorization_config: "authorizationConfig",
});
json_object!(EfsAuthorizationConfig {
    access_point_id: "accessPointId",
    iam: "iam",
});
json_object!(PlacementConstraint {
    kind: "type",
    expression: "expression",
});
json_object!(EphemeralStorage {
    size_in_gi_b: "sizeInGiB",
});
json_object!(RuntimePlatform {
    cpu_architecture: "cpuArchitecture",
    operating_system_family: "operatingSystemFamily",
});
json_object!(Tag {
    key: "key",
    value: "value",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys each struct left in `unknown`, with where they were.
    fn unknown_keys(td: &TaskDefinition) -> Vec<String> {
        let mut out = Vec::new();
        let mut note = |at: &str, unknown: &BTreeMap<String, Value>| {
            out.extend(unknown.keys().map(|k| format!("{at}.{k}")));
        };
        note("taskDefinition", &td.unknown);
        for c in &td.container_definitions {
            note("container", &c.unknown);
            for p in c.port_mappings.iter().flatten() {
                note("portMapping", &p.unknown);
            }
            for e in c.environment.iter().flatten() {
                note("environment", &e.unknown);
            }
            for m in c.mount_points.iter().flatten() {
                note("mountPoint", &m.unknown);
            }
            for s in c.secrets.iter().flatten() {
                note("secret", &s.unknown);
            }
            for d in c.depends_on.iter().flatten() {
                note("dependsOn", &d.unknown);
            }
            if let Some(log) = &c.log_configuration {
                note("logConfiguration", &log.unknown);
                for s in log.secret_options.iter().flatten() {
                    note("secretOption", &s.unknown);
                }
            }
            if let Some(h) = &c.health_check {
                note("healthCheck", &h.unknown);
            }
        }
        for v in td.volumes.iter().flatten() {
            note("volume", &v.unknown);
            if let Some(h) = &v.host {
                note("host", &h.unknown);
            }
            if let Some(d) = &v.docker_volume_configuration {
                note("dockerVolumeConfiguration", &d.unknown);
            }
            if let Some(e) = &v.efs_volume_configuration {
                note("efsVolumeConfiguration", &e.unknown);
                if let Some(a) = &e.authorization_config {
                    note("authorizationConfig", &a.unknown);
                }
            }
        }
        for p in td.placement_constraints.iter().flatten() {
            note("placementConstraint", &p.unknown);
        }
        if let Some(e) = &td.ephemeral_storage {
            note("ephemeralStorage", &e.unknown);
        }
        if let Some(r) = &td.runtime_platform {
            note("runtimePlatform", &r.unknown);
        }
        for t in td.tags.iter().flatten() {
            note("tag", &t.unknown);
        }
        out
    }

    /// Every field Dockyard models, spelled as the RegisterTaskDefinition
    /// API reference spells it (written from that reference, not from the
    /// reader's own list): each lands in its field, none in `unknown`.
    #[test]
    fn every_modelled_field_is_read_into_its_field() {
        let json: Value = serde_json::from_str(
            r#"{
            "family": "kitchen-sink",
            "taskRoleArn": "arn:aws:iam::111122223333:role/app",
            "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "1024",
            "memory": "2048",
            "pidMode": "task",
            "ipcMode": "none",
            "enableFaultInjection": false,
            "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"},
            "inferenceAccelerators": [],
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
            "tags": [{"key": "team", "value": "web"}],
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a]"}],
            "volumes": [
                {"name": "h", "host": {"sourcePath": "/data"}},
                {"name": "d", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true,
                    "driver": "local", "driverOpts": {"type": "tmpfs"}, "labels": {"a": "b"}}},
                {"name": "e", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "rootDirectory": "/",
                    "transitEncryption": "ENABLED", "transitEncryptionPort": 2049,
                    "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}}},
                {"name": "f", "fsxWindowsFileServerVolumeConfiguration": {"fileSystemId": "fs-2", "rootDirectory": "share",
                    "authorizationConfig": {"credentialsParameter": "arn:x", "domain": "corp"}}},
                {"name": "b", "configuredAtLaunch": true}
            ],
            "containerDefinitions": [{
                "name": "app", "image": "nginx:1.27",
                "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:111122223333:secret:hub"},
                "cpu": 512, "memory": 1024, "memoryReservation": 512,
                "links": [], "essential": true,
                "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "web",
                    "appProtocol": "http", "containerPortRange": "8000-8010"}],
                "entryPoint": ["sh", "-c"], "command": ["nginx"],
                "environment": [{"name": "MODE", "value": "prod"}],
                "environmentFiles": [{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}],
                "mountPoints": [{"sourceVolume": "e", "containerPath": "/mnt/e", "readOnly": false}],
                "volumesFrom": [],
                "linuxParameters": {"initProcessEnabled": true},
                "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/db"}],
                "dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}],
                "startTimeout": 60, "stopTimeout": 30, "versionConsistency": "enabled",
                "hostname": "app", "user": "1000", "workingDirectory": "/srv",
                "disableNetworking": false, "privileged": false, "readonlyRootFilesystem": true,
                "dnsServers": [], "dnsSearchDomains": [], "extraHosts": [], "dockerSecurityOptions": [],
                "interactive": false, "pseudoTerminal": false,
                "dockerLabels": {"tier": "front"},
                "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 65535}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app"},
                    "secretOptions": [{"name": "TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/t"}]},
                "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
                "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}],
                "resourceRequirements": [{"type": "GPU", "value": "1"}],
                "firelensConfiguration": {"type": "fluentbit"},
                "credentialSpecs": [],
                "restartPolicy": {"enabled": true}
            }]
        }"#,
        )
        .unwrap();
        let td: TaskDefinition = crate::json::read(&json).unwrap();
        assert_eq!(unknown_keys(&td), Vec::<String>::new());
        // A few values, to see that each went where it belongs.
        let c = &td.container_definitions[0];
        assert_eq!(c.memory_reservation, Some(512));
        assert_eq!(c.readonly_root_filesystem, Some(true));
        assert_eq!(
            td.ephemeral_storage.as_ref().map(|e| e.size_in_gi_b),
            Some(30)
        );
        assert_eq!(
            td.placement_constraints.as_ref().unwrap()[0]
                .kind
                .as_deref(),
            Some("memberOf")
        );
        // And what is not modelled is kept, not lost, in `unknown`.
        let mut extra = json;
        extra["containerDefinitions"][0]["futureField"] = serde_json::json!(1);
        let td: TaskDefinition = crate::json::read(&extra).unwrap();
        assert_eq!(unknown_keys(&td), ["container.futureField"]);
    }
}
