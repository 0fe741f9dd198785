//! The things a simulated world holds, and what happens to them.

use serde::{Deserialize, Serialize};

/// Simulated time in milliseconds since the scenario began.
pub type Millis = u64;

pub fn seconds(s: u64) -> Millis {
    s * 1000
}

/// The ECS task lifecycle (rules §6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskState {
    pub const ALL: [TaskState; 8] = [
        TaskState::Provisioning,
        TaskState::Pending,
        TaskState::Activating,
        TaskState::Running,
        TaskState::Deactivating,
        TaskState::Stopping,
        TaskState::Deprovisioning,
        TaskState::Stopped,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TaskState::Provisioning => "PROVISIONING",
            TaskState::Pending => "PENDING",
            TaskState::Activating => "ACTIVATING",
            TaskState::Running => "RUNNING",
            TaskState::Deactivating => "DEACTIVATING",
            TaskState::Stopping => "STOPPING",
            TaskState::Deprovisioning => "DEPROVISIONING",
            TaskState::Stopped => "STOPPED",
        }
    }

    /// On its way up: counted as pending by the service.
    pub fn is_starting(self) -> bool {
        matches!(
            self,
            TaskState::Provisioning | TaskState::Pending | TaskState::Activating
        )
    }

    /// On its way down.
    pub fn is_stopping(self) -> bool {
        matches!(
            self,
            TaskState::Deactivating | TaskState::Stopping | TaskState::Deprovisioning
        )
    }
}

/// Where a task runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Placement {
    /// Waiting for capacity from an Auto Scaling group capacity provider.
    AwaitingCapacity {
        provider: String,
    },
    Ec2 {
        instance: String,
        az: String,
    },
    Fargate {
        az: String,
        spot: bool,
    },
}

/// How a service or RunTask gets capacity (rules §6.1, §6.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Capacity {
    /// `launchType: EC2`: the cluster's registered instances, and nothing more.
    Ec2,
    /// `launchType: FARGATE`.
    Fargate,
    /// A capacity provider strategy (an Auto Scaling group provider, or
    /// FARGATE and FARGATE_SPOT with base and weight).
    Strategy(Vec<StrategyItem>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StrategyItem {
    pub capacity_provider: String,
    #[serde(default)]
    pub base: u32,
    #[serde(default)]
    pub weight: u32,
}

/// Best-effort placement strategies (rules §6.4), written as ECS writes
/// them: `{"type": "spread", "field": "attribute:ecs.availability-zone"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "field")]
pub enum Strategy {
    /// `attribute:ecs.availability-zone` or `instanceId`.
    Spread(String),
    /// `cpu` or `memory`.
    Binpack(String),
    Random,
}

/// Binding placement constraints (rules §6.4), written as ECS writes them:
/// `{"type": "memberOf", "expression": "attribute:ecs.instance-type == t3.large"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "expression")]
pub enum Constraint {
    DistinctInstance,
    /// A cluster query language expression; Dockyard understands
    /// `attribute:NAME == VALUE`, `!=` and `in [A, B]` on
    /// `ecs.availability-zone` and `ecs.instance-type`.
    MemberOf(String),
}

// Strategies and constraints are read by hand: serde's derive for an
// adjacently tagged enum cost about 3 KB of the gzipped app for two
// two-field objects.
impl<'de> Deserialize<'de> for Strategy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (kind, field) = tagged(deserializer, "field", &["spread", "binpack", "random"])?;
        Ok(match (kind.as_str(), field) {
            ("random", _) => Strategy::Random,
            ("spread", Some(field)) => Strategy::Spread(field),
            (_, Some(field)) => Strategy::Binpack(field),
            (_, None) => {
                return Err(serde::de::Error::custom(format!(
                    "missing field `field`: a {kind} strategy names what to {kind} on"
                )))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Constraint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (kind, expression) = tagged(
            deserializer,
            "expression",
            &["distinctInstance", "memberOf"],
        )?;
        match (kind.as_str(), expression) {
            ("distinctInstance", None) => Ok(Constraint::DistinctInstance),
            // The ECS API reference: "You can't specify an expression if the
            // constraint type is distinctInstance." (A random strategy's
            // field is merely "not used", so it is let through.)
            ("distinctInstance", Some(_)) => Err(serde::de::Error::custom(
                "expression: a distinctInstance constraint takes no expression",
            )),
            (_, Some(expression)) => Ok(Constraint::MemberOf(expression)),
            (_, None) => Err(serde::de::Error::custom(
                "missing field `expression`: memberOf needs a cluster query expression",
            )),
        }
    }
}

/// `{"type": KIND, CONTENT: "text"}`: the kind (one of `kinds`) and the text.
fn tagged<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    content: &str,
    kinds: &[&str],
) -> Result<(String, Option<String>), D::Error> {
    use serde::de::Error;
    let mut fields = serde_json::Map::deserialize(deserializer)?;
    if let Some(unknown) = fields.keys().find(|key| *key != "type" && *key != content) {
        return Err(D::Error::custom(format!(
            "unknown field `{unknown}`, expected `type` or `{content}`"
        )));
    }
    let kind = match fields.remove("type") {
        Some(serde_json::Value::String(kind)) if kinds.contains(&kind.as_str()) => kind,
        Some(other) => {
            return Err(D::Error::custom(format!(
                "type: {other} is not one of {}",
                kinds.join(", ")
            )))
        }
        None => return Err(D::Error::missing_field("type")),
    };
    let text = match fields.remove(content) {
        None => None,
        Some(serde_json::Value::String(text)) => Some(text),
        Some(_) => return Err(D::Error::custom(format!("{content}: expected a string"))),
    };
    Ok((kind, text))
}

/// What a learner reads about a change. Every event carries the simulated
/// time it happened at.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub at: Millis,
    #[serde(flatten)]
    pub what: What,
}

/// One image of a task's pull.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PulledImage {
    pub image: String,
    pub mb: u64,
    pub cached: bool,
    pub seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum What {
    InstanceLaunched {
        instance: String,
        instance_type: String,
        az: String,
        spot: bool,
    },
    InstanceRegistered {
        instance: String,
        cpu_units: u32,
        memory_mib: u32,
        advertised_memory_mib: u32,
    },
    InstanceTerminated {
        instance: String,
        reason: String,
    },
    TaskPlaced {
        task: String,
        service: Option<String>,
        placement: Placement,
        reason: String,
    },
    TaskStateChanged {
        task: String,
        from: TaskState,
        to: TaskState,
        reason: Option<String>,
    },
    TaskUnplaceable {
        service: Option<String>,
        reason: String,
    },
    /// An IAM or Organizations change: a role, a policy, a boundary, a
    /// resource policy or an SCP (what the next call is decided with).
    PolicyChanged {
        change: String,
    },
    /// An Elastic IP, NAT gateway or load balancer made or removed (and
    /// what it bills from now).
    NetworkResource {
        change: String,
    },
    /// ECS could not launch a task at all (a role it cannot assume).
    TaskLaunchFailed {
        service: Option<String>,
        reason: String,
    },
    ServiceDesiredCountChanged {
        service: String,
        from: u32,
        to: u32,
        reason: String,
    },
    ServiceSteadyState {
        service: String,
        running: u32,
    },
    /// The service throttle: launches wait `retry_in_seconds`.
    ServiceTaskStartImpaired {
        service: String,
        failures: u32,
        retry_in_seconds: u64,
    },
    DeploymentStarted {
        service: String,
        from: String,
        to: String,
    },
    DeploymentCompleted {
        service: String,
        revision: String,
        rolled_back: bool,
    },
    DeploymentFailed {
        service: String,
        revision: String,
        reason: String,
        rolling_back: bool,
    },
    CapacityProviderScaling {
        provider: String,
        from: u32,
        to: u32,
        reason: String,
    },
    SpotInterruptionWarning {
        task: String,
        stop_at: Millis,
    },
    /// A task's images are being pulled; `puller` is the principal that
    /// authenticates to private ECR (none for public images).
    ImagesPulled {
        task: String,
        images: Vec<PulledImage>,
        puller: Option<String>,
        seconds: u64,
    },
    /// A registry refused a pull (Docker Hub's rate limit) and the ECS
    /// agent started the container from the image its instance had cached.
    PullRefusedCacheUsed {
        task: String,
        image: String,
        instance: String,
        why: String,
    },
    ContainerExited {
        task: String,
        container: String,
        exit_code: i32,
        reason: Option<String>,
        essential: bool,
    },
    /// A container uses memory above its soft limit, which is allowed.
    ContainerMemory {
        task: String,
        container: String,
        mib: u32,
        note: String,
    },
    FileWritten {
        task: String,
        path: String,
        location: String,
    },
    /// Files gone with the storage that held them.
    DataLost {
        location: String,
        files: Vec<String>,
        why: String,
    },
    InstanceSpotInterruptionWarning {
        instance: String,
        terminate_at: Millis,
        /// Whether the agent drains on the notice
        /// (ECS_ENABLE_SPOT_INSTANCE_DRAINING, off by default).
        drains: bool,
    },
    InstanceDraining {
        instance: String,
        reason: String,
    },
    AvailabilityZoneLost {
        az: String,
    },
    AvailabilityZoneRestored {
        az: String,
    },
    NodeLaunched {
        node: String,
        group: String,
        instance_type: String,
        az: String,
        spot: bool,
    },
    NodeReady {
        node: String,
        allocatable_millicores: u32,
        allocatable_memory_mib: u32,
    },
    NodeCannotJoin {
        node: String,
        reason: String,
    },
    NodeTerminated {
        node: String,
        reason: String,
    },
    PodPending {
        pod: String,
        reason: String,
    },
    /// The attach/detach controller cannot attach the pod's volume to its
    /// node: the pod stays ContainerCreating.
    PodVolumeAttachFailed {
        pod: String,
        message: String,
    },
    PodScheduled {
        pod: String,
        /// A node (and its AZ), or the Fargate micro-VM and its size.
        on: String,
    },
    PodRunning {
        pod: String,
    },
    PodDeleted {
        pod: String,
    },
    DeploymentScaled {
        deployment: String,
        from: u32,
        to: u32,
        reason: String,
    },
    ClusterAutoscaler {
        group: String,
        from: u32,
        to: u32,
        reason: String,
    },
}

impl What {
    /// The event in a sentence, as the event log shows it.
    pub fn describe(&self) -> String {
        match self {
            What::InstanceLaunched { instance, instance_type, az, spot } => {
                format!("Instance {instance} ({instance_type}{}, {az}) launched; its ECS agent registers once it has booted.", if *spot { ", Spot" } else { "" })
            }
            What::InstanceRegistered { instance, cpu_units, memory_mib, advertised_memory_mib } => format!(
                "Instance {instance} registered with {cpu_units} CPU units and {memory_mib} MiB (of {advertised_memory_mib} MiB advertised: the OS and agent keep the rest)."
            ),
            What::InstanceTerminated { instance, reason } => format!("Instance {instance} terminated: {reason}"),
            What::TaskPlaced { task, placement, reason, .. } => match placement {
                Placement::Ec2 { instance, az } => format!("Task {task} placed on {instance} ({az}): {reason}"),
                Placement::Fargate { az, spot } => {
                    format!("Task {task} given its own Fargate{} micro-VM in {az}: {reason}", if *spot { " Spot" } else { "" })
                }
                Placement::AwaitingCapacity { provider } => {
                    format!("Task {task} waits in PROVISIONING for capacity from {provider}: {reason}")
                }
            },
            What::TaskStateChanged { task, from, to, reason } => match reason {
                Some(reason) => format!("Task {task}: {} \u{2192} {}. {reason}", from.label(), to.label()),
                None => format!("Task {task}: {} \u{2192} {}.", from.label(), to.label()),
            },
            What::PolicyChanged { change } => format!("IAM: {change}"),
            What::NetworkResource { change } => change.clone(),
            What::TaskLaunchFailed { service, reason } => match service {
                Some(service) => format!("service {service} failed to launch a task with (error {reason})."),
                None => format!("The task could not be launched: {reason}"),
            },
            What::TaskUnplaceable { service, reason } => match service {
                Some(service) => format!("Service {service} is unable to place a task: {reason}"),
                None => format!("Unable to place a task: {reason}"),
            },
            What::ServiceDesiredCountChanged { service, from, to, reason } => {
                format!("Service {service}: desired count {from} \u{2192} {to}. {reason}")
            }
            What::ServiceSteadyState { service, running } => {
                format!("Service {service} has reached a steady state: {running} tasks running.")
            }
            What::ServiceTaskStartImpaired { service, failures, retry_in_seconds } => format!(
                "(service {service}) is unable to consistently start tasks successfully. {failures} tasks in a row stopped before RUNNING, so the scheduler waits {retry_in_seconds} s before launching again (longer each time, up to about 27 minutes); a task that starts, or an update of the service, ends the wait."
            ),
            What::DeploymentStarted { service, from, to } => {
                format!("Service {service}: rolling deployment from {from} to {to} started.")
            }
            What::DeploymentCompleted { service, revision, rolled_back } => {
                if *rolled_back {
                    format!("Service {service}: rolled back to {revision}; the deployment is complete.")
                } else {
                    format!("Service {service}: deployment complete, every task runs {revision}.")
                }
            }
            What::DeploymentFailed { service, revision, reason, rolling_back } => format!(
                "Service {service}: the deployment circuit breaker stopped the deployment of {revision}: {reason}.{}",
                if *rolling_back { " Rolling back to the previous revision." } else { "" }
            ),
            What::CapacityProviderScaling { provider, from, to, reason } => {
                format!("Capacity provider {provider}: {from} \u{2192} {to} instances. {reason}")
            }
            What::SpotInterruptionWarning { task, stop_at } => format!(
                "Task {task}: Fargate Spot capacity is being reclaimed; two-minute warning, SIGTERM now, stopped by {}.",
                clock(*stop_at)
            ),
            What::ImagesPulled { task, images, puller, seconds } => {
                let list: Vec<String> = images
                    .iter()
                    .map(|i| {
                        if i.cached {
                            format!("{} (cached on the instance: manifest check only, {} s)", i.image, i.seconds)
                        } else {
                            format!("{} ({} MB, {} s)", i.image, i.mb, i.seconds)
                        }
                    })
                    .collect();
                let by = puller.as_ref().map_or(String::new(), |p| format!(", authenticating to ECR with the {p}"));
                format!("Task {task} pulls {}{by}: {seconds} s in parallel.", list.join(", "))
            }
            What::PullRefusedCacheUsed { task, image, instance, why } => format!(
                "Task {task}: the pull of {image} was refused ({}); the ECS agent used the copy cached on {instance}, so the task starts on an image that may be out of date.",
                why.trim_end_matches('.')
            ),
            What::ContainerExited { task, container, exit_code, reason, essential } => format!(
                "Task {task}: container {container} exited with code {exit_code}{}; {}",
                reason.as_ref().map_or(String::new(), |r| format!(" ({r})")),
                if *essential { "it is essential, so the task stops." } else { "it is not essential, so the task keeps running." }
            ),
            What::ContainerMemory { task, container, mib, note } => format!("Task {task}: container {container} uses {mib} MiB: {note}"),
            What::FileWritten { task, path, location } => format!("Task {task} wrote {path} to {location}."),
            What::DataLost { why, .. } => why.clone(),
            What::InstanceSpotInterruptionWarning { instance, terminate_at, drains: true } => format!(
                "Instance {instance}: EC2 is reclaiming this Spot capacity; two-minute warning, terminated at {}.",
                clock(*terminate_at)
            ),
            What::InstanceSpotInterruptionWarning { instance, terminate_at, drains: false } => format!(
                "Instance {instance}: EC2 is reclaiming this Spot capacity; two-minute warning, terminated at {}. Spot Instance draining is off (the default: ECS_ENABLE_SPOT_INSTANCE_DRAINING is not true), so ECS does not drain it: its tasks run until the instance goes, and only then are they replaced.",
                clock(*terminate_at)
            ),
            What::InstanceDraining { instance, reason } => format!("Instance {instance} is DRAINING: {reason}."),
            What::AvailabilityZoneLost { az } => format!("Availability Zone {az} is unavailable: everything in it is lost."),
            What::AvailabilityZoneRestored { az } => format!("Availability Zone {az} is back."),
            What::NodeLaunched { node, group, instance_type, az, spot } => format!(
                "Node {node} ({instance_type}{}, {az}) launched by node group {group}; the kubelet joins the cluster once it has booted.",
                if *spot { ", Spot" } else { "" }
            ),
            What::NodeReady { node, allocatable_millicores, allocatable_memory_mib } => format!(
                "Node {node} is Ready with {allocatable_millicores}m CPU and {allocatable_memory_mib} MiB allocatable (the kubelet and system keep the rest)."
            ),
            What::NodeCannotJoin { node, reason } => format!("Node {node} cannot join the cluster: {reason}"),
            What::NodeTerminated { node, reason } => format!("Node {node} terminated: {reason}."),
            What::PodPending { pod, reason } => format!("Pod {pod} is Pending: {reason}"),
            What::PodScheduled { pod, on } => format!("Pod {pod} scheduled on {on}."),
            What::PodVolumeAttachFailed { pod, message } => {
                format!("Pod {pod} waits for its volume: {message}.")
            }
            What::PodRunning { pod } => format!("Pod {pod} is Running."),
            What::PodDeleted { pod } => format!("Pod {pod} deleted."),
            What::DeploymentScaled { deployment, from, to, reason } => {
                format!("Deployment {deployment}: replicas {from} \u{2192} {to}. {reason}")
            }
            What::ClusterAutoscaler { group, from, to, reason } => {
                format!("Cluster Autoscaler: node group {group} {from} \u{2192} {to} nodes; {reason}")
            }
        }
    }
}

/// `hh:mm:ss` of simulated time.
pub fn clock(at: Millis) -> String {
    let total = at / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        total / 3600,
        total / 60 % 60,
        total % 60
    )
}

/// Why a command was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// A stable code from [`REFUSALS`](super::REFUSALS), like the
    /// validator's findings.
    pub code: &'static str,
    pub message: String,
}

impl Rejection {
    /// A refusal with a code from the catalogue; a test of the catalogue
    /// checks every code written here, so the literal must stay a literal.
    pub fn new(code: &'static str, message: impl Into<String>) -> Rejection {
        debug_assert!(
            super::refusal(code).is_some(),
            "rejection code {code} is not in REFUSALS"
        );
        Rejection {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Rejection {}

#[cfg(test)]
mod placement_json_tests {
    use super::*;
    use crate::json::from_str;

    #[test]
    fn strategies_and_constraints_read_as_ecs_writes_them() {
        let read: Vec<Strategy> = from_str(
            r#"[{"type": "spread", "field": "attribute:ecs.availability-zone"},
                {"type": "binpack", "field": "memory"}, {"type": "random"}]"#,
        )
        .unwrap();
        assert_eq!(
            read,
            vec![
                Strategy::Spread("attribute:ecs.availability-zone".into()),
                Strategy::Binpack("memory".into()),
                Strategy::Random
            ]
        );
        for strategy in &read {
            let json = serde_json::to_string(strategy).unwrap();
            assert_eq!(&from_str::<Strategy>(&json).unwrap(), strategy);
        }
        let read: Vec<Constraint> = from_str(
            r#"[{"type": "distinctInstance"},
                {"type": "memberOf", "expression": "attribute:ecs.instance-type == t3.large"}]"#,
        )
        .unwrap();
        assert_eq!(
            read[1],
            Constraint::MemberOf("attribute:ecs.instance-type == t3.large".into())
        );
        for constraint in &read {
            let json = serde_json::to_string(constraint).unwrap();
            assert_eq!(&from_str::<Constraint>(&json).unwrap(), constraint);
        }
    }

    #[test]
    fn distinct_instance_refuses_an_expression() {
        let error = from_str::<Vec<Constraint>>(
            r#"[{"type": "distinctInstance", "expression": "attribute:ecs.instance-type == t3.large"}]"#,
        )
        .unwrap_err();
        assert_eq!(error.path, "[0]");
        assert_eq!(
            error.message,
            "expression: a distinctInstance constraint takes no expression"
        );
    }

    #[test]
    fn a_bad_strategy_or_constraint_is_named() {
        let error = from_str::<Vec<Strategy>>(r#"[{"type": "spread"}]"#).unwrap_err();
        assert_eq!(error.path, "[0]");
        assert!(
            error.message.starts_with("missing field `field`"),
            "{}",
            error.message
        );
        let error = from_str::<Strategy>(r#"{"type": "pack"}"#).unwrap_err();
        assert_eq!(
            error.message,
            "type: \"pack\" is not one of spread, binpack, random"
        );
        let error = from_str::<Constraint>(r#"{"type": "memberOf", "field": "x"}"#).unwrap_err();
        assert_eq!(
            error.message,
            "unknown field `field`, expected `type` or `expression`"
        );
        let error = from_str::<Constraint>(r#"{"type": "memberOf"}"#).unwrap_err();
        assert!(
            error.message.starts_with("missing field `expression`"),
            "{}",
            error.message
        );
    }
}
