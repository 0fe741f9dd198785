//! Kubernetes events (`kubectl get events`, the Events of `describe`):
//! the model's events as the scheduler, the kubelet, the controllers and
//! the CSI drivers report them.

use std::collections::BTreeMap;

use dockyard_model::sim::eks::Eks;
use dockyard_model::sim::{Event, Millis, What};
use serde_json::json;

use super::age;
use super::get::{creation, node_of, Row};
use crate::Cloud;

/// A Kubernetes event as the model's events give it.
pub(super) struct KubeEvent {
    pub(crate) at: Millis,
    pub(crate) namespace: String,
    pub(crate) warning: bool,
    pub(crate) reason: &'static str,
    pub(crate) object: String,
    pub(crate) message: String,
}

/// The model's events as the scheduler, kubelet and controllers report
/// them. Instance launches are EC2's, not the cluster's, so they are not
/// Kubernetes events.
pub(super) fn kube_events(eks: &Eks, events: &[Event]) -> Vec<KubeEvent> {
    let pod_namespace = |pod: &str| {
        eks.pods
            .get(pod)
            .map(|p| p.namespace.clone())
            .or_else(|| {
                let deployment = pod.rsplit_once('-').map_or(pod, |(d, _)| d);
                eks.deployments.get(deployment).map(|d| d.namespace.clone())
            })
            .unwrap_or_else(|| "default".into())
    };
    // The first container's name (the pod's deployment's, when it gave none).
    let container_of = |pod: &str| {
        let deployment = pod.rsplit_once('-').map_or(pod, |(d, _)| d);
        eks.deployments
            .get(deployment)
            .and_then(|d| d.containers.first())
            .map_or(deployment.to_string(), |c| c.name.clone())
    };
    let mut out = Vec::new();
    for event in events {
        let (namespace, warning, reason, object, message) = match &event.what {
            What::PodPending { pod, reason } => (
                pod_namespace(pod),
                true,
                "FailedScheduling",
                format!("pod/{pod}"),
                reason.clone(),
            ),
            What::PodVolumeAttachFailed { pod, message } => (
                pod_namespace(pod),
                true,
                "FailedAttachVolume",
                format!("pod/{pod}"),
                message.clone(),
            ),
            What::PodScheduled { pod, on } => {
                let namespace = pod_namespace(pod);
                let target = on.split(" (").next().unwrap_or(on);
                let target = eks
                    .pods
                    .get(pod)
                    .and_then(node_of)
                    .unwrap_or_else(|| target.to_string());
                let message = format!("Successfully assigned {namespace}/{pod} to {target}");
                (namespace, false, "Scheduled", format!("pod/{pod}"), message)
            }
            What::PodRunning { pod } => {
                let message = format!("Started container {}", container_of(pod));
                (
                    pod_namespace(pod),
                    false,
                    "Started",
                    format!("pod/{pod}"),
                    message,
                )
            }
            What::PodDeleted { pod } => {
                let message = format!("Stopping container {}", container_of(pod));
                (
                    pod_namespace(pod),
                    false,
                    "Killing",
                    format!("pod/{pod}"),
                    message,
                )
            }
            What::DeploymentScaled {
                deployment,
                from,
                to,
                reason,
            } => {
                let namespace = eks
                    .deployments
                    .get(deployment)
                    .map_or("default".into(), |d| d.namespace.clone());
                let by_hpa = !reason.starts_with("kubectl")
                    && eks
                        .deployments
                        .get(deployment)
                        .is_some_and(|d| d.hpa.is_some());
                if by_hpa {
                    let direction = if to > from { "above" } else { "below" };
                    let message = format!("New size: {to}; reason: cpu resource utilization (percentage of request) {direction} target");
                    (
                        namespace,
                        false,
                        "SuccessfulRescale",
                        format!("horizontalpodautoscaler/{deployment}"),
                        message,
                    )
                } else {
                    let direction = if to > from { "up" } else { "down" };
                    let message =
                        format!("Scaled {direction} replica set {deployment} from {from} to {to}");
                    (
                        namespace,
                        false,
                        "ScalingReplicaSet",
                        format!("deployment/{deployment}"),
                        message,
                    )
                }
            }
            What::NodeReady { node, .. } => (
                "default".into(),
                false,
                "NodeReady",
                format!("node/{node}"),
                format!("Node {node} status is now: NodeReady"),
            ),
            What::NodeTerminated { node, .. } => (
                "default".into(),
                false,
                "RemovingNode",
                format!("node/{node}"),
                format!("Node {node} event: Removing Node {node} from Controller"),
            ),
            _ => continue,
        };
        out.push(KubeEvent {
            at: event.at,
            namespace,
            warning,
            reason,
            object,
            message,
        });
    }
    out
}

/// Events of the last hour (the API server keeps them for one hour).
pub(super) fn events(cloud: &dyn Cloud, eks: &Eks, now: Millis) -> Vec<Row> {
    let hour = 3_600_000;
    kube_events(eks, cloud.events())
        .into_iter()
        .filter(|e| e.at + hour >= now)
        .map(|e| Row {
            namespace: e.namespace.clone(),
            name: e.object.clone(),
            labels: BTreeMap::new(),
            cells: vec![
                age(e.at, now),
                if e.warning { "Warning" } else { "Normal" }.into(),
                e.reason.into(),
                e.object.clone(),
                e.message.clone(),
            ],
            wide: vec![],
            object: json!({
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"namespace": e.namespace},
                "involvedObject": {
                    "kind": e.object.split('/').next().map(kind_of).unwrap_or_default(),
                    "name": e.object.split('/').nth(1).unwrap_or_default(),
                },
                "reason": e.reason, "message": e.message,
                "type": if e.warning { "Warning" } else { "Normal" },
                "lastTimestamp": creation(e.at),
            }),
        })
        .collect()
}

/// An event's object type as Kubernetes spells its kind.
fn kind_of(resource: &str) -> &'static str {
    match resource {
        "pod" => "Pod",
        "node" => "Node",
        "deployment" => "Deployment",
        "horizontalpodautoscaler" => "HorizontalPodAutoscaler",
        _ => "",
    }
}
