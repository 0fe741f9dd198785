//! The catalogue of findings: every rule the validator applies, with a
//! stable code, why AWS has the rule, and the chapter of the notes that
//! teaches it. `dockyard explain CODE` prints an entry.

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information, such as a field that was stripped on import.
    Note,
    /// AWS accepts it, but it will hurt (a task that fails to start, a
    /// setting that is ignored).
    Warning,
    /// AWS refuses it.
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable: lessons, links and scripts refer to findings by code.
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// Why AWS has the rule, in plain words.
    pub why: &'static str,
    /// The slug of the notes chapter that teaches it.
    pub chapter: &'static str,
}

macro_rules! rules {
    ($($code:literal, $severity:ident, $chapter:literal, $title:literal, $why:literal;)*) => {
        /// Every rule, in the order the validator applies them.
        pub const RULES: &[Rule] = &[
            $(Rule { code: $code, severity: Severity::$severity, chapter: $chapter, title: $title, why: $why },)*
        ];
    };
}

rules! {
    "json-type", Error, "ecs-core-concepts", "A field has the wrong JSON type",
        "The ECS API checks every parameter's type before it looks at the values: task cpu and memory are strings (\"1024\"), container cpu and memory are numbers (1024). The AWS CLI refuses the request with 'Invalid type for parameter'.";
    "unknown-field", Error, "ecs-core-concepts", "A field the ECS API does not have",
        "RegisterTaskDefinition accepts only the fields in its API; the AWS CLI refuses 'Unknown parameter in input'. A misspelt field (memoryReservaton) would otherwise be silently lost.";
    "api-required", Error, "ecs-core-concepts", "A member the API requires is missing",
        "RegisterTaskDefinition's API model marks members that each object must have: a ulimit needs name, softLimit and hardLimit, an EFS volume its fileSystemId, an environment file its type and value. The AWS CLI refuses the request before sending it: 'Missing required parameter'.";
    "api-enum", Error, "ecs-core-concepts", "A value the API does not accept",
        "Some members take one of a fixed set of values, listed in the API model (a ulimit name, a dependsOn condition, a resource requirement type). ECS refuses any other value: 'Member must satisfy enum value set'.";
    "api-range", Error, "ecs-core-concepts", "A length or number outside the API's limits",
        "The API model limits lengths and numbers: at most 50 tags, a tag key of 1 to 128 characters. The AWS CLI checks the minimums before sending ('Invalid length for parameter'), ECS the maximums ('Member must have length less than or equal to').";
    "response-field", Note, "ecs-core-concepts", "An output-only field was removed",
        "describe-task-definition prints fields that ECS sets itself (taskDefinitionArn, revision, status...). register-task-definition refuses them as input, so Dockyard removes them and keeps the rest.";
    "family-required", Error, "ecs-core-concepts", "The family is missing",
        "Every task definition belongs to a family; registering again in the same family creates the next revision (web:1, web:2...).";
    "family-format", Error, "ecs-core-concepts", "The family name has characters ECS does not allow",
        "A family is up to 255 letters, digits, hyphens and underscores, because it appears in ARNs and in family:revision references.";
    "role-reference", Error, "ecs-iam", "A role that is neither a role ARN nor a role name",
        "taskRoleArn and executionRoleArn take the short name of an IAM role (1 to 64 letters, digits and _+=,.@-) or its full ARN, arn:aws:iam::ACCOUNT:role/NAME (with an optional path before the name). ECS refuses anything else when the definition is registered; a role that has the right form but does not exist fails later, when a task starts and ECS cannot assume it.";
    "definition-size", Error, "ecs-core-concepts", "A task definition larger than 64 KiB",
        "A task definition is cited as at most 64 KiB (65,536 bytes) in AWS's quotas for ECS; Dockyard's rules file flags that figure as commonly cited and not confirmed in the current service quotas table. Dockyard measures the text as written, whitespace included, and reads nothing larger, so that no file can freeze the page. Environment files or Secrets Manager keep large settings out of the definition.";
    "containers-required", Error, "ecs-core-concepts", "No container definitions",
        "A task definition describes at least one container; there is nothing to run otherwise.";
    "containers-max", Error, "ecs-core-concepts", "More than 10 containers",
        "A task definition holds at most 10 containers. This quota cannot be raised; split the work into several tasks.";
    "container-name-required", Error, "ecs-core-concepts", "A container has no name",
        "Containers are named so that links, dependsOn, mount points and logs can refer to them.";
    "container-name-format", Error, "ecs-core-concepts", "A container name has characters ECS does not allow",
        "A container name is up to 255 letters, digits, hyphens and underscores.";
    "container-name-duplicate", Error, "ecs-core-concepts", "Two containers share a name",
        "Names must be unique within a task because links and dependsOn refer to containers by name.";
    "image-required", Error, "ecr", "A container has no image",
        "ECS starts each container from an image; without one there is nothing to pull.";
    "image-format", Error, "ecr", "The image reference is not valid",
        "An image is repository-url/image:tag or repository-url/image@sha256:digest, up to 255 characters before any digest. A name without a registry domain means Docker Hub.";
    "network-mode-value", Error, "ecs-launch-types", "Unknown network mode",
        "networkMode is one of bridge, host, awsvpc or none; bridge is the default on Linux EC2.";
    "compatibility-value", Error, "ecs-launch-types", "Unknown launch type in requiresCompatibilities",
        "requiresCompatibilities lists EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES; ECS validates the definition against each one listed.";
    "task-cpu-format", Error, "ecs-launch-types", "Task cpu is not a CPU value",
        "Task cpu is CPU units as a string (\"1024\") or vCPUs (\"1 vCPU\"); ECS converts vCPUs to units (1 vCPU = 1024 units).";
    "task-memory-format", Error, "ecs-launch-types", "Task memory is not a memory value",
        "Task memory is MiB as a string (\"2048\") or GB (\"2 GB\"); ECS converts GB to MiB (1 GB = 1024 MiB).";
    "fargate-requires-awsvpc", Error, "fargate", "Fargate needs the awsvpc network mode",
        "Every Fargate task gets its own elastic network interface; awsvpc is the only network mode Fargate supports.";
    "fargate-requires-task-size", Error, "fargate", "Fargate needs task-level cpu and memory",
        "Fargate sizes the micro-VM for the whole task, so task cpu and memory are both required.";
    "fargate-size", Error, "fargate", "Not a Fargate task size",
        "Fargate offers a fixed menu of cpu/memory pairs (0.25 vCPU with 0.5 to 2 GB, up to 16 vCPU with 32 to 120 GB). Any other pair is refused with 'Invalid 'cpu' setting for task.'; Terraform reports the same refusal as 'No Fargate configuration exists for given values.'";
    "ec2-cpu-range", Error, "ecs-launch-types", "Task cpu is out of range for EC2",
        "On EC2 task cpu, when set, is 128 to 196608 units (0.125 to 192 vCPU).";
    "ec2-memory-required", Error, "ecs-core-concepts", "No memory set for an EC2 task",
        "On EC2 ECS must know how much memory to reserve: give task memory, or memory or memoryReservation on every container.";
    "memory-reservation-above-limit", Error, "ecs-core-concepts", "memoryReservation is not below memory",
        "memory is the hard limit (the container is killed above it) and memoryReservation the soft one that placement reserves; the soft limit must be lower than the hard limit.";
    "container-memory-sum", Error, "ecs-core-concepts", "Containers ask for more memory than the task has",
        "The containers' memory limits must fit inside the task's memory.";
    "container-cpu-sum", Error, "ecs-core-concepts", "Containers ask for more cpu than the task has",
        "The containers' cpu units must fit inside the task's cpu.";
    "container-memory-small", Warning, "ecs-core-concepts", "A container memory limit below 6 MiB",
        "Docker 20.10 and later reserves at least 6 MiB for a container; a smaller limit cannot start.";
    "essential-required", Error, "ecs-core-concepts", "No essential container",
        "A task runs as long as its essential containers run; with none, ECS could not tell when the task is done. Containers are essential unless marked otherwise.";
    "depends-on-unknown", Error, "ecs-core-concepts", "dependsOn names a container that does not exist",
        "Start order is declared between containers of the same task, by name.";
    "depends-on-condition", Error, "ecs-core-concepts", "Unknown dependsOn condition",
        "A dependency waits for START, COMPLETE, SUCCESS or HEALTHY.";
    "depends-on-essential", Error, "ecs-core-concepts", "COMPLETE or SUCCESS on an essential container",
        "Waiting for an essential container to exit makes no sense: when an essential container exits, the whole task stops.";
    "depends-on-healthy", Error, "ecs-core-concepts", "HEALTHY needs a health check",
        "A dependency on HEALTHY waits for the other container's health check, so that container must have one.";
    "port-host-mismatch", Error, "ecs-launch-types", "hostPort differs from containerPort",
        "In awsvpc and host network modes the container owns the port on its own interface or the host's, so hostPort must be left out or equal containerPort. Dynamic host ports exist only in bridge mode.";
    "port-none-mode", Error, "ecs-launch-types", "Port mappings with the none network mode",
        "With networkMode none the task has no external network, so there is nothing to map.";
    "port-protocol", Error, "ecs-launch-types", "Unknown port protocol",
        "A port mapping's protocol is tcp (the default) or udp.";
    "port-container-required", Error, "ecs-launch-types", "A port mapping without containerPort",
        "A port mapping names the container's port, or a containerPortRange.";
    "links-bridge-only", Error, "ecs-launch-types", "links outside bridge mode",
        "Docker links connect containers on the bridge network; in awsvpc mode containers reach each other on localhost.";
    "log-driver", Error, "ecs-core-concepts", "Unknown log driver",
        "ECS supports the awslogs, awsfirelens, splunk, json-file, syslog, journald, gelf and fluentd log drivers.";
    "log-driver-fargate", Error, "fargate", "A log driver Fargate does not support",
        "Fargate has no host to keep log files on, so it supports only awslogs, splunk and awsfirelens.";
    "awslogs-group", Error, "ecs-core-concepts", "awslogs without awslogs-group",
        "awslogs writes to a CloudWatch Logs group, which must be named.";
    "awslogs-region", Error, "ecs-core-concepts", "awslogs without awslogs-region",
        "awslogs needs the Region of the log group.";
    "awslogs-stream-prefix", Error, "fargate", "awslogs on Fargate without awslogs-stream-prefix",
        "On Fargate the stream name is prefix/container-name/task-id, so the prefix is required.";
    "awslogs-option", Warning, "ecs-core-concepts", "An option awslogs does not know",
        "The awslogs driver accepts a fixed set of options; an unknown one is usually a typo.";
    "fargate-execution-role-ecr", Error, "ecs-iam", "A private ECR image on Fargate without an execution role",
        "On Fargate there is no instance profile: the task execution role pulls private ECR images. ECS refuses the definition: 'Fargate requires task definition to have execution role ARN to support ECR images'.";
    "fargate-execution-role-logs", Error, "ecs-iam", "awslogs on Fargate without an execution role",
        "On Fargate the task execution role sends the logs; there is no instance profile. ECS refuses the definition: 'Fargate requires task definition to have execution role ARN to support log driver awslogs'.";
    "secrets-execution-role", Error, "ecs-iam", "Secrets without an execution role",
        "Secrets are fetched with the task execution role at container start, on every launch type; the instance profile is never used. ECS refuses the definition: 'When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.'";
    "secret-fields", Error, "ecs-iam", "A secret without name or valueFrom",
        "A secret names the environment variable and the Secrets Manager secret or SSM parameter it comes from.";
    "volume-name", Error, "ecs-data-volumes", "A volume without a name, or with characters ECS does not allow",
        "Mount points refer to volumes by name: up to 255 letters, digits, hyphens and underscores.";
    "volume-duplicate", Error, "ecs-data-volumes", "Two volumes share a name",
        "Mount points refer to volumes by name, so names must be unique.";
    "volume-kinds", Error, "ecs-data-volumes", "A volume with more than one configuration",
        "A volume is one thing: a bind mount, a Docker volume, EFS, FSx for Windows File Server, or configured at launch (EBS).";
    "volume-fargate", Error, "ecs-data-volumes", "A volume type Fargate does not support",
        "Fargate gives you no host: host.sourcePath, Docker volumes and FSx for Windows File Server are not supported. Use EFS, EBS configured at launch, or a bind mount on the task's ephemeral storage.";
    "configured-at-launch-max", Error, "ecs-data-volumes", "More than one volume configured at launch",
        "A task can have only one volume configured at launch (one EBS volume per task).";
    "mount-unknown-volume", Error, "ecs-data-volumes", "A mount point names a volume that does not exist",
        "sourceVolume must match the name of a volume in the task definition.";
    "mount-path", Error, "ecs-data-volumes", "A mount point without containerPath",
        "A mount point says where in the container the volume appears.";
    "efs-transit-encryption", Error, "ecs-data-volumes", "EFS IAM or access point without transit encryption",
        "EFS IAM authorization and access points work over TLS only, so transitEncryption must be ENABLED.";
    "efs-root-directory", Error, "ecs-data-volumes", "EFS access point with a root directory",
        "An access point sets its own root directory; rootDirectory must be left out or be /.";
    "docker-volume-scope", Error, "ecs-data-volumes", "Unknown Docker volume scope",
        "A Docker volume's scope is task (created and removed with the task) or shared (kept after it).";
    "docker-volume-autoprovision", Error, "ecs-data-volumes", "autoprovision on a task-scoped Docker volume",
        "autoprovision creates a shared volume when it does not exist; it applies only to scope shared.";
    "fargate-parameter", Error, "fargate", "A parameter Fargate does not support",
        "Fargate runs each task in its own micro-VM without host access, so host-level settings (privileged, links, dnsServers, extraHosts, ipcMode, placement constraints, swap, devices...) are refused.";
    "ephemeral-storage-range", Error, "fargate", "Ephemeral storage out of range",
        "Fargate task storage is 20 GiB by default; ephemeralStorage sets 21 to 200 GiB.";
    "ephemeral-storage-fargate-only", Warning, "fargate", "ephemeralStorage outside Fargate",
        "ephemeralStorage is a Fargate setting; tasks on EC2 use the instance's disk.";
    "health-check-command", Error, "ecs-core-concepts", "A health check command that does not start with CMD or CMD-SHELL",
        "The health check command is an exec array starting with CMD, or a shell string after CMD-SHELL.";
    "health-check-range", Error, "ecs-core-concepts", "A health check timing out of range",
        "interval is 5 to 300 s, timeout 2 to 60 s, retries 1 to 10 and startPeriod 0 to 300 s.";
    "fargate-timeout-range", Error, "fargate", "startTimeout or stopTimeout out of range on Fargate",
        "On Fargate startTimeout and stopTimeout are 2 to 120 seconds.";
    "placement-constraint", Error, "ecs-clusters", "A placement constraint ECS does not accept here",
        "In a task definition the only placement constraint type is memberOf, with an expression; at most 10 constraints apply to a task.";
    "tags-max", Error, "ecs-core-concepts", "More than 50 tags",
        "A resource carries at most 50 tags.";
    "tag-reserved", Error, "ecs-core-concepts", "A tag key starting with aws:",
        "The aws: prefix is reserved for tags AWS sets itself.";
    "runtime-platform", Error, "ecs-launch-types", "Unknown runtime platform value",
        "cpuArchitecture is X86_64 or ARM64; operatingSystemFamily is LINUX or a WINDOWS_SERVER_... value.";
    "fargate-windows-arm", Error, "fargate", "Windows on Fargate with ARM64",
        "Windows tasks on Fargate run on X86_64 only.";
    "pid-mode", Error, "ecs-core-concepts", "Unknown pidMode",
        "pidMode is host or task; on Fargate only task.";
    "ipc-mode", Error, "ecs-core-concepts", "Unknown ipcMode",
        "ipcMode is host, task or none.";
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}

/// The message ECS answers RegisterTaskDefinition with when it refuses a
/// definition for this rule, where AWS documents it (or it is widely
/// reported word for word). The learner meets these words in real work, so
/// the simulated API answers with them, Dockyard's explanation after.
const AWS_MESSAGES: &[(&str, &str)] = &[
    // task-cpu-memory-error.html
    ("fargate-size", "Invalid 'cpu' setting for task."),
    // task_execution_IAM_role.html and the ECS troubleshooting pages
    (
        "fargate-execution-role-ecr",
        "Fargate requires task definition to have execution role ARN to support ECR images.",
    ),
    (
        "fargate-execution-role-logs",
        "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
    ),
    (
        "secrets-execution-role",
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
    ),
];

/// The words ECS refuses a definition with for `code`, when known.
pub fn aws_message(code: &str) -> Option<&'static str> {
    AWS_MESSAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, message)| *message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_messages_belong_to_rules_that_refuse() {
        for (code, message) in AWS_MESSAGES {
            let rule = rule(code).unwrap_or_else(|| panic!("{code} is not a rule"));
            assert_eq!(rule.severity, Severity::Error, "{code}: ECS refuses it");
            assert!(
                rule.why.contains(message.trim_end_matches('.')),
                "{code}: the explanation quotes AWS's words"
            );
        }
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(
                rule.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                rule.code
            );
            assert!(
                RULES[i + 1..].iter().all(|other| other.code != rule.code),
                "duplicate {}",
                rule.code
            );
            assert!(
                rule.why.ends_with('.') || rule.why.ends_with('\''),
                "{}",
                rule.code
            );
        }
    }
}
