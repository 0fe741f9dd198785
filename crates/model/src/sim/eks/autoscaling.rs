//! The Horizontal Pod Autoscaler (pods per Deployment, from CPU utilisation
//! of requests) and the Cluster Autoscaler (nodes per node group, from
//! unschedulable pods and under-used nodes), rules §7.4.

use super::*;

impl Eks {
    pub(super) fn hpa_sync(&mut self, name: &str, ctx: &mut Ctx) {
        let now = ctx.now;
        let d = self.deployments.get_mut(name).expect("exists");
        let hpa = d.hpa.clone().expect("has an HPA");
        // Replicas 0 turns the HPA off. Outside its bounds, the controller
        // sets the count to the bound without reading any metric.
        let bound = if d.replicas == 0 {
            return;
        } else if d.replicas > hpa.max_replicas {
            Some((
                hpa.max_replicas,
                "Current number of replicas above Spec.MaxReplicas",
            ))
        } else if d.replicas < hpa.min_replicas {
            Some((
                hpa.min_replicas,
                "Current number of replicas below Spec.MinReplicas",
            ))
        } else {
            None
        };
        if let Some((to, why)) = bound {
            let from = d.replicas;
            d.replicas = to;
            ctx.emit(What::DeploymentScaled {
                deployment: name.into(),
                from,
                to,
                reason: format!("HPA: {why}."),
            });
            self.reconcile(name, ctx);
            return;
        }
        let running = d.count(PodPhase::Running);
        if running == 0 || d.cpu == 0 {
            // Nothing to measure, or no request to measure it against
            // (`hpa_cannot_compute` says which).
            return;
        }
        let utilization = utilization(d, now);
        let ratio = utilization / hpa.target_cpu_utilization;
        let current = d.replicas;
        let raw = (f64::from(running) * ratio).ceil() as u32;
        let recommendation = if (ratio - 1.0).abs() <= HPA_TOLERANCE {
            current
        } else {
            raw.clamp(hpa.min_replicas, hpa.max_replicas)
        };
        d.recommendations.push_back((now, recommendation));
        while d
            .recommendations
            .front()
            .is_some_and(|(at, _)| *at + seconds(HPA_DOWN_WINDOW_SECONDS) < now)
        {
            d.recommendations.pop_front();
        }
        let bounds = if recommendation != raw && recommendation != current {
            format!(
                ", kept within minReplicas {} and maxReplicas {}: {recommendation}",
                hpa.min_replicas, hpa.max_replicas
            )
        } else {
            String::new()
        };
        let formula = format!(
            "CPU at {utilization:.0}% of requests across {running} running pods (target {:.0}%): ceil({running} × {utilization:.0} / {:.0}) = {raw}{bounds}",
            hpa.target_cpu_utilization, hpa.target_cpu_utilization
        );
        let (to, reason) = if recommendation > current {
            let limit = (current * 2).max(current + 4);
            let to = recommendation.min(limit);
            let limited = if to < recommendation {
                format!(", limited to {to} by the scale-up policy (100% or 4 pods per 15 s, whichever is more)")
            } else {
                String::new()
            };
            (to, format!("HPA: {formula}{limited}."))
        } else if recommendation < current {
            let stabilized = d
                .recommendations
                .iter()
                .map(|(_, r)| *r)
                .max()
                .unwrap_or(current);
            if stabilized >= current {
                return;
            }
            (
                stabilized,
                format!("HPA: {formula}; the highest recommendation of the last 300 s is {stabilized}, so it scales down to that."),
            )
        } else {
            return;
        };
        let to = to.clamp(hpa.min_replicas, hpa.max_replicas);
        if to == current {
            return;
        }
        d.replicas = to;
        ctx.emit(What::DeploymentScaled {
            deployment: name.into(),
            from: current,
            to,
            reason,
        });
        self.reconcile(name, ctx);
    }

    pub(super) fn ca_scale_up(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        // Pods unschedulable for lack of capacity, by cluster.
        let mut waiting: BTreeMap<String, Vec<(u32, u32, NodeRules)>> = BTreeMap::new();
        for name in &self.pending {
            let pod = &self.pods[name];
            if matches!(pod.pending, Some((PendingKind::Capacity, _))) {
                let rules = self
                    .deployments
                    .get(&pod.deployment)
                    .map(|d| d.node_rules.clone())
                    .unwrap_or_default();
                waiting
                    .entry(pod.cluster.clone())
                    .or_default()
                    .push((pod.cpu, pod.memory, rules));
            }
        }
        for (cluster, pods) in waiting {
            let groups: Vec<String> = self
                .groups
                .values()
                .filter(|g| g.cluster == cluster)
                .map(|g| g.name.clone())
                .collect();
            let mut remaining = pods;
            for group_name in groups {
                if remaining.is_empty() {
                    break;
                }
                let group = &self.groups[&group_name];
                let kind = catalogue::instance_type(group.instance_type).expect("checked");
                let template = (
                    (kind.vcpus * 1000).saturating_sub(NODE_RESERVED_MILLICORES),
                    kind.memory_mib.saturating_sub(NODE_RESERVED_MEMORY_MIB),
                );
                // Nodes already on their way count first.
                let mut bins: Vec<(u32, u32)> = group
                    .nodes
                    .iter()
                    .map(|n| &self.nodes[n])
                    .filter(|n| {
                        !n.ready && now < n.launched_at + seconds(CA_MAX_NODE_PROVISION_SECONDS)
                    })
                    .map(|n| (n.allocatable_cpu, n.allocatable_memory))
                    .collect();
                let upcoming = bins.len();
                // The group's template node: its labels (without a zone or
                // a host name, which a new node does not have yet) and taints.
                let labels = self.template_labels(group);
                let mut unfit = Vec::new();
                for (cpu, memory, rules) in remaining {
                    let refused = placement::node_refusal(&rules, &labels, &group.taints);
                    if cpu > template.0 || memory > template.1 || refused.is_some() {
                        unfit.push((cpu, memory, rules));
                        continue;
                    }
                    match bins.iter_mut().find(|b| b.0 >= cpu && b.1 >= memory) {
                        Some(bin) => {
                            bin.0 -= cpu;
                            bin.1 -= memory;
                        }
                        None => bins.push((template.0 - cpu, template.1 - memory)),
                    }
                }
                remaining = unfit;
                let size = group.nodes.len() as u32;
                let wanted = (bins.len() - upcoming) as u32;
                let to = (size + wanted).min(group.max_size);
                if to > size {
                    ctx.emit(What::ClusterAutoscaler {
                        group: group_name.clone(),
                        from: size,
                        to,
                        reason: format!(
                            "pods are unschedulable for lack of capacity and a {} node would fit them: {wanted} more node(s) needed{}.",
                            kind.name,
                            if size + wanted > group.max_size { format!(", capped by maxSize {}", group.max_size) } else { String::new() }
                        ),
                    });
                    for _ in size..to {
                        self.launch_node(&group_name, ctx);
                    }
                }
            }
        }
    }

    pub(super) fn ca_scale_down(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        let mut empty: Vec<String> = Vec::new();
        let mut busy: Vec<String> = Vec::new();
        let names: Vec<String> = self.nodes.keys().cloned().collect();
        for name in names {
            let node = &self.nodes[&name];
            // Unneeded: under the threshold, and every pod could go elsewhere.
            // A node whose pods a PodDisruptionBudget protects stays: the
            // autoscaler drains through the eviction API, which refuses.
            // DaemonSet pods neither keep a node nor move with it.
            let only_daemons = node.pods.iter().all(|p| self.is_daemon_pod(p));
            let unneeded = node.ready
                && node.share() < CA_SCALE_DOWN_THRESHOLD
                && (only_daemons
                    || (self.pods_could_move(&name) && self.pdb_blocks_drain(&name).is_none()));
            let node = self.nodes.get_mut(&name).expect("exists");
            if !unneeded {
                node.unneeded_since = None;
                continue;
            }
            let since = *node.unneeded_since.get_or_insert(now);
            if now >= since + seconds(CA_UNNEEDED_SECONDS) {
                if only_daemons {
                    empty.push(name);
                } else {
                    busy.push(name);
                }
            }
        }
        let mut removed = 0;
        for name in empty {
            if removed >= CA_EMPTY_BULK {
                break;
            }
            if self.ca_remove(&name, 0, ctx) {
                removed += 1;
            }
        }
        if removed > 0 {
            return;
        }
        for name in busy {
            if self.pods_could_move(&name) {
                let share = self.nodes[&name].share();
                if self.ca_remove(&name, (share * 100.0).round() as u32, ctx) {
                    self.retry_pending(ctx);
                    return;
                }
            }
        }
    }

    pub(super) fn pods_could_move(&self, name: &str) -> bool {
        let node = &self.nodes[name];
        let mut room: Vec<(u32, u32, &Node)> = self
            .nodes
            .values()
            .filter(|n| n.ready && n.cluster == node.cluster && n.name != name)
            .map(|n| {
                (
                    n.allocatable_cpu - n.requested_cpu,
                    n.allocatable_memory - n.requested_memory,
                    n,
                )
            })
            .collect();
        node.pods
            .iter()
            .filter(|p| !self.is_daemon_pod(p))
            .all(|pod| {
                let p = &self.pods[pod];
                // A pod no controller would recreate blocks scale-down, as
                // the Cluster Autoscaler's "not replicated" rule has it.
                if self.deployments.get(&p.deployment).is_some_and(|d| d.bare) {
                    return false;
                }
                let rules = self.deployments.get(&p.deployment).map(|d| &d.node_rules);
                let allowed = |n: &Node| {
                    rules.is_none_or(|r| {
                        placement::node_refusal(r, &self.node_labels(n), &n.taints).is_none()
                    })
                };
                match room
                    .iter_mut()
                    .find(|r| r.0 >= p.cpu && r.1 >= p.memory && allowed(r.2))
                {
                    Some(r) => {
                        r.0 -= p.cpu;
                        r.1 -= p.memory;
                        true
                    }
                    None => false,
                }
            })
    }

    pub(super) fn ca_remove(&mut self, name: &str, percent: u32, ctx: &mut Ctx) -> bool {
        let group_name = self.nodes[name].group.clone();
        let group = &self.groups[&group_name];
        let size = group.nodes.len() as u32;
        if size <= group.min_size {
            return false;
        }
        ctx.emit(What::ClusterAutoscaler {
            group: group_name,
            from: size,
            to: size - 1,
            reason: format!(
                "node {name} has been unneeded for 10 minutes ({percent}% of its allocatable requested, under the 50% threshold{}).",
                if percent == 0 { "; it is empty" } else { "; its pods can move to other nodes" }
            ),
        });
        self.remove_node(
            name,
            "removed by the Cluster Autoscaler (its pods, if any, are evicted and rescheduled)",
            ctx,
        );
        true
    }
}

/// Average CPU utilisation of the running pods, as a percentage of their
/// requests: demand / (running pods × request).
pub(super) fn utilization(d: &Deployment, now: Millis) -> f64 {
    let running = d.count(PodPhase::Running);
    if running == 0 || d.cpu == 0 {
        return 0.0;
    }
    100.0 * demand(d, now) / (f64::from(running) * f64::from(d.cpu))
}

/// The CPU work arriving at a deployment's pods now, in millicores.
fn demand(d: &Deployment, now: Millis) -> f64 {
    d.load.as_ref().map_or(0.0, |l| l.at(now))
}

impl Eks {
    /// Why `d`'s HPA cannot compute a replica count now, in the words of
    /// its ScalingActive=False condition (after "the HPA was unable to
    /// compute the replica count: "), or None when it can.
    pub fn hpa_cannot_compute(&self, d: &Deployment) -> Option<String> {
        d.hpa.as_ref()?;
        if d.cpu == 0 {
            let pod = d.pods.iter().flatten().next().cloned().unwrap_or_default();
            let container = d
                .containers
                .first()
                .map_or(d.name.as_str(), |c| c.name.as_str());
            return Some(format!(
                "failed to get cpu utilization: missing request for cpu in container {container} of Pod {pod}"
            ));
        }
        (d.count(PodPhase::Running) == 0).then(|| "no running pods to measure".to_string())
    }

    /// A Running pod's CPU use in millicores, as metrics-server would
    /// report it: its deployment's load shared evenly by the deployment's
    /// Running pods (the figure the HPA's utilisation is made of).
    pub fn pod_cpu_used(&self, pod: &Pod, now: Millis) -> u32 {
        let Some(d) = self.deployments.get(&pod.deployment) else {
            return 0;
        };
        let running = d.count(PodPhase::Running).max(1);
        (demand(d, now) / f64::from(running)).round() as u32
    }
}
