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
/// (NAT gateways, Elastic IPs and load balancers are modelled: see
/// `gateways`.)
pub const NOT_MODELLED: &[(&str, &str)] = &[
    (
        "Public IPv4 address of a task or an instance",
        "$0.005 per hour each while assigned (assignPublicIp ENABLED, or an instance's public IP)",
    ),
    (
        "Load balancer capacity units and NAT gateway data",
        "$0.008 per ALB and $0.006 per NLB capacity unit-hour; $0.045 per GB a NAT gateway processes",
    ),
    (
        "CloudWatch Logs, ECR storage and EBS volumes",
        "$0.50 per GB of logs ingested; $0.10 per GB-month of images; $0.08 per GB-month of gp3",
    ),
];

impl World {
    /// Everything in the account that is billing now, the most expensive
    /// first (ties in name order), EKS control planes last: in an order
    /// in which each line's commands can be applied.
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
        // Instances alike (cluster, type, Spot or not, owner) are one line:
        // two hundred instances are one thing to remove, not two hundred.
        let mut groups: BTreeMap<(&str, &str, bool, Option<&str>), Vec<&Instance>> =
            BTreeMap::new();
        for instance in self.ecs.instances.values() {
            groups
                .entry((
                    instance.cluster.as_str(),
                    instance.instance_type,
                    instance.spot,
                    instance.provider.as_deref(),
                ))
                .or_default()
                .push(instance);
        }
        for ((cluster, kind_name, spot, provider), instances) in groups {
            let Some(kind) = instance_type(kind_name) else {
                continue;
            };
            let each = if spot {
                kind.spot_per_hour
            } else {
                kind.on_demand_per_hour
            };
            let idle = instances.iter().filter(|i| i.tasks.is_empty()).count();
            let tasks: usize = instances.iter().map(|i| i.tasks.len()).sum();
            let idle_words = match (idle, instances.len()) {
                (0, _) => format!("runs {}", plural(tasks, "task")),
                (1, 1) => "idle: no tasks on it, and it bills by the second all the same".to_string(),
                (idle, _) => format!(
                    "runs {}; {idle} of them idle, and an idle instance bills by the second all the same",
                    plural(tasks, "task")
                ),
            };
            let (note, remove) = match provider {
                Some(provider) => (
                    format!(
                        "{idle_words}; in capacity provider {provider}'s Auto Scaling group: a terminated instance is replaced while the group wants it; scale the services on it to 0 and managed scaling removes it"
                    ),
                    Vec::new(),
                ),
                None => (
                    idle_words,
                    instances
                        .iter()
                        .map(|i| Command::TerminateInstance {
                            instance: i.id.clone(),
                        })
                        .collect(),
                ),
            };
            let spot_words = if spot { ", Spot" } else { "" };
            let what = match instances.as_slice() {
                [one] => format!("EC2 instance {} ({kind_name}{spot_words})", one.id),
                many => format!(
                    "EC2 instances in cluster {cluster} ({} × {kind_name}{spot_words})",
                    many.len()
                ),
            };
            lines.push(StillBilling {
                what,
                per_hour: each * instances.len() as f64,
                note: Some(note),
                remove,
            });
        }
        let eks = &self.eks;
        // A cluster's control plane is removed last, once what runs in it
        // is gone (EKS refuses DeleteCluster before): its lines come after
        // the others, whatever they cost.
        let mut control_planes = Vec::new();
        for cluster in &eks.clusters {
            let mut remove: Vec<Command> = eks
                .profiles
                .keys()
                .filter(|(c, _)| c == cluster)
                .map(|(c, profile)| Command::DeleteFargateProfile {
                    cluster: c.clone(),
                    profile: profile.clone(),
                })
                .collect();
            // Managed groups with nodes have their own lines; the empty
            // ones are deleted here.
            remove.extend(
                eks.groups
                    .values()
                    .filter(|g| g.cluster == *cluster && g.managed && g.nodes.is_empty())
                    .map(|g| Command::DeleteNodeGroup {
                        cluster: cluster.clone(),
                        nodegroup: g.name.clone(),
                    }),
            );
            remove.push(Command::DeleteEksCluster {
                name: cluster.clone(),
            });
            control_planes.push(StillBilling {
                what: format!("EKS cluster {cluster} (control plane)"),
                per_hour: EKS_CONTROL_PLANE_PER_HOUR,
                note: Some("the control plane bills every hour it exists, with no nodes and no pods; EKS deletes it only after its node groups and Fargate profiles, so it goes last".into()),
                remove,
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
            let (note, remove) = if group.managed {
                (
                    "its nodes are EC2 instances, billed with or without pods; deleting the group terminates them".to_string(),
                    vec![Command::DeleteNodeGroup {
                        cluster: group.cluster.clone(),
                        nodegroup: group.name.clone(),
                    }],
                )
            } else {
                (
                    "self-managed: its nodes are EC2 instances in your own Auto Scaling group, which EKS does not delete, even with the cluster; on AWS, delete that group (or its CloudFormation stack)".to_string(),
                    Vec::new(),
                )
            };
            lines.push(StillBilling {
                what: format!(
                    "EKS node group {} ({} × {})",
                    group.name,
                    nodes.len(),
                    group.instance_type
                ),
                per_hour,
                note: Some(note),
                remove,
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
        lines.extend(self.gateways_still_billing());
        lines.sort_by(|a, b| {
            b.per_hour
                .partial_cmp(&a.per_hour)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.what.cmp(&b.what))
        });
        lines.extend(control_planes);
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
