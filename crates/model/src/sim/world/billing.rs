//! What is still running and still billing, resource by resource, with the
//! commands that would stop each charge: the teardown check a learner
//! reads before leaving (issue 22). Prices are the catalogue's illustrative
//! ones; the list is computed from the world, never kept beside it, so it
//! cannot disagree with the bill.

use serde::Serialize;

use super::*;
use crate::sim::catalogue::instance_type;

/// One resource that costs money while it exists.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StillBilling {
    /// What it is, in a learner's words: `EC2 instance i-1 (m5.large)`.
    pub what: String,
    /// Dollars per hour at the catalogue's prices.
    pub per_hour: f64,
    /// Why it is easy to forget, or what removing it involves.
    pub note: Option<String>,
    /// Commands that end the charge, in order (empty where Dockyard cannot
    /// remove it; `note` then says what AWS needs).
    pub remove: Vec<Command>,
}

/// Resources learners leave billing that Dockyard does not model, with
/// their illustrative us-east-1 prices (as of `PRICES_AS_OF`): said beside
/// the list, so that a clean sandbox is not taken for a clean account.
pub const NOT_MODELLED: &[(&str, &str)] = &[
    (
        "NAT gateway",
        "$0.045 per hour each, plus $0.045 per GB it processes",
    ),
    (
        "Application Load Balancer",
        "$0.0225 per hour each, plus capacity units",
    ),
    (
        "Public IPv4 address",
        "$0.005 per hour each, in use or idle",
    ),
];

impl World {
    /// Everything in the account that is billing now, the most expensive
    /// first (ties in name order).
    pub fn still_billing(&self) -> Vec<StillBilling> {
        let mut lines = Vec::new();
        // Services first: scaling one to zero stops its Fargate tasks.
        for service in self.ecs.services.values() {
            let fargate: Vec<&Task> = service
                .tasks
                .iter()
                .filter_map(|id| self.ecs.tasks.get(id))
                .filter(|t| t.billing_rate > 0.0)
                .collect();
            if fargate.is_empty() {
                continue;
            }
            let per_hour: f64 = fargate.iter().map(|t| t.billing_rate * MS_PER_HOUR).sum();
            let mut remove = Vec::new();
            let mut note = format!(
                "{} running on Fargate, billed per second while they run",
                plural(fargate.len(), "task")
            );
            if service.scaling.is_some() {
                // Auto scaling would put the tasks back at its minimum.
                remove.push(Command::SetServiceScaling {
                    service: service.name.clone(),
                    scaling: None,
                });
                note.push_str("; its auto scaling would start them again, so remove that first");
            }
            remove.push(Command::UpdateService {
                service: service.name.clone(),
                desired_count: 0,
            });
            lines.push(StillBilling {
                what: format!("ECS service {} (Fargate)", service.name),
                per_hour,
                note: Some(note),
                remove,
            });
        }
        for task in self.ecs.tasks.values() {
            if task.service.is_some() || task.billing_rate <= 0.0 {
                continue;
            }
            lines.push(StillBilling {
                what: format!("Fargate task {} ({})", task.id, task.revision),
                per_hour: task.billing_rate * MS_PER_HOUR,
                note: Some("a standalone task runs until it exits or is stopped".into()),
                remove: vec![Command::StopTask {
                    task: task.id.clone(),
                }],
            });
        }
        for instance in self.ecs.instances.values() {
            let Some(kind) = instance_type(instance.instance_type) else {
                continue;
            };
            let per_hour = if instance.spot {
                kind.spot_per_hour
            } else {
                kind.on_demand_per_hour
            };
            let idle = instance.tasks.is_empty();
            let (note, remove) = match &instance.provider {
                Some(provider) => (
                    format!(
                        "in capacity provider {provider}'s Auto Scaling group: a terminated instance is replaced while the group wants it; scale the services on it to 0 and managed scaling removes it"
                    ),
                    Vec::new(),
                ),
                None if idle => (
                    "idle: no tasks on it, and it bills by the second all the same".to_string(),
                    vec![Command::TerminateInstance {
                        instance: instance.id.clone(),
                    }],
                ),
                None => (
                    format!("runs {}", plural(instance.tasks.len(), "task")),
                    vec![Command::TerminateInstance {
                        instance: instance.id.clone(),
                    }],
                ),
            };
            lines.push(StillBilling {
                what: format!(
                    "EC2 instance {} ({}{})",
                    instance.id,
                    instance.instance_type,
                    if instance.spot { ", Spot" } else { "" }
                ),
                per_hour,
                note: Some(note),
                remove,
            });
        }
        let eks = &self.eks;
        for cluster in &eks.clusters {
            lines.push(StillBilling {
                what: format!("EKS cluster {cluster} (control plane)"),
                per_hour: EKS_CONTROL_PLANE_PER_HOUR,
                note: Some("the control plane bills every hour it exists, with no nodes and no pods; on AWS, delete its node groups and Fargate profiles, then the cluster (aws eks delete-cluster), which Dockyard does not simulate yet".into()),
                remove: Vec::new(),
            });
        }
        for group in eks.groups.values() {
            let nodes: Vec<&eks::Node> = eks
                .nodes
                .values()
                .filter(|n| n.group == group.name)
                .collect();
            if nodes.is_empty() {
                continue;
            }
            let per_hour: f64 = nodes.iter().map(|n| n.billing_per_hour()).sum();
            lines.push(StillBilling {
                what: format!(
                    "EKS node group {} ({} × {})",
                    group.name,
                    nodes.len(),
                    group.instance_type
                ),
                per_hour,
                note: Some("its nodes are EC2 instances, billed with or without pods".into()),
                remove: vec![Command::UpdateNodeGroupConfig {
                    cluster: group.cluster.clone(),
                    nodegroup: group.name.clone(),
                    min_size: Some(0),
                    max_size: None,
                    desired_size: Some(0),
                }],
            });
        }
        for deployment in eks.deployments.values() {
            let pods: Vec<&eks::Pod> = eks
                .pods
                .values()
                .filter(|p| p.deployment == deployment.name && p.billing_per_hour() > 0.0)
                .collect();
            if pods.is_empty() {
                continue;
            }
            lines.push(StillBilling {
                what: format!(
                    "Deployment {} on Fargate ({})",
                    deployment.name,
                    plural(pods.len(), "pod")
                ),
                per_hour: pods.iter().map(|p| p.billing_per_hour()).sum(),
                note: Some("each Fargate pod bills for its own micro-VM while it runs".into()),
                remove: vec![Command::ScaleDeployment {
                    deployment: deployment.name.clone(),
                    replicas: 0,
                }],
            });
        }
        lines.sort_by(|a, b| {
            b.per_hour
                .partial_cmp(&a.per_hour)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.what.cmp(&b.what))
        });
        lines
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
