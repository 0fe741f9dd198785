//! Nodes: launching a node group's instances, their joining the cluster, and
//! their removal (terminated, or scaled in by the Cluster Autoscaler).

use super::*;

impl Eks {
    pub(super) fn launch_node(&mut self, group_name: &str, ctx: &mut Ctx) {
        if ctx.azs.is_empty() {
            // Every zone is down: the Auto Scaling group has nowhere to
            // launch until one comes back.
            return;
        }
        self.next_node += 1;
        let name = format!(
            "ip-10-0-{}-{}.ec2.internal",
            self.next_node / 250,
            self.next_node % 250 + 4
        );
        let group = self.groups.get_mut(group_name).expect("exists");
        let az = ctx.azs[group.next_az % ctx.azs.len()].clone();
        group.next_az += 1;
        group.nodes.insert(name.clone());
        let kind = catalogue::instance_type(group.instance_type).expect("checked");
        let spot = group.capacity_type == CapacityType::Spot;
        let price = if spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        let rate = price / MS_PER_HOUR;
        ctx.cost_delta += rate;
        let node = Node {
            name: name.clone(),
            cluster: group.cluster.clone(),
            group: group_name.into(),
            instance_type: kind.name,
            az: az.clone(),
            ready: false,
            can_join: group.managed || group.node_role_mapped,
            allocatable_cpu: (kind.vcpus * 1000).saturating_sub(NODE_RESERVED_MILLICORES),
            allocatable_memory: kind.memory_mib.saturating_sub(NODE_RESERVED_MEMORY_MIB),
            requested_cpu: 0,
            requested_memory: 0,
            pods: BTreeSet::new(),
            taints: group.taints.clone(),
            unneeded_since: None,
            launched_at: ctx.now,
            billing_rate: rate,
        };
        ctx.emit(What::NodeLaunched {
            node: name.clone(),
            group: group_name.into(),
            instance_type: kind.name.into(),
            az,
            spot,
        });
        self.nodes.insert(name.clone(), node);
        ctx.after(
            seconds(ctx.params.instance_boot_seconds),
            EksHappening::NodeBooted(name),
        );
    }

    pub(super) fn node_booted(&mut self, name: &str, ctx: &mut Ctx) {
        let Some(node) = self.nodes.get_mut(name) else {
            return;
        };
        if !node.can_join {
            ctx.emit(What::NodeCannotJoin {
                node: name.into(),
                reason: format!(
                    "the node role of self-managed group {} is not mapped in the aws-auth ConfigMap (system:bootstrappers, system:nodes) and has no access entry, so the kubelet is refused as Unauthorized; the instance runs (and bills) but never becomes Ready.",
                    node.group
                ),
            });
            return;
        }
        node.ready = true;
        ctx.emit(What::NodeReady {
            node: name.into(),
            allocatable_millicores: node.allocatable_cpu,
            allocatable_memory_mib: node.allocatable_memory,
        });
        let cluster = node.cluster.clone();
        self.reconcile_daemons(&cluster, ctx);
        self.retry_pending(ctx);
    }

    /// An Availability Zone is lost: its nodes go with their pods, and each
    /// node group's Auto Scaling group launches replacements in the zones
    /// left (`ctx.azs` holds only live zones). A replacement pod whose EBS
    /// volume is in the lost zone stays Pending (volume node affinity); one
    /// on EFS, which is regional, runs anywhere. (Which zone a Fargate pod
    /// runs in is not modelled, so Fargate pods are untouched.)
    pub(in crate::sim) fn zone_lost(&mut self, az: &str, ctx: &mut Ctx) {
        let doomed: Vec<(String, String)> = self
            .nodes
            .values()
            .filter(|n| n.az == az)
            .map(|n| (n.name.clone(), n.group.clone()))
            .collect();
        for (node, group) in doomed {
            self.remove_node(
                &node,
                &format!("Availability Zone {az} was lost; its pods are deleted and the node group launches a replacement in another zone"),
                ctx,
            );
            self.launch_node(&group, ctx);
        }
        self.retry_pending(ctx);
    }

    /// A zone is back: pods waiting for it (for a volume there) are tried
    /// again.
    pub(in crate::sim) fn zone_restored(&mut self, ctx: &mut Ctx) {
        self.retry_pending(ctx);
    }

    /// Terminates a node: its pods are deleted at once and their
    /// deployments create replacements.
    pub(super) fn remove_node(&mut self, name: &str, reason: &str, ctx: &mut Ctx) {
        let node = self.nodes.remove(name).expect("exists");
        ctx.cost_delta -= node.billing_rate;
        if let Some(group) = self.groups.get_mut(&node.group) {
            group.nodes.remove(name);
        }
        ctx.emit(What::NodeTerminated {
            node: name.into(),
            reason: reason.into(),
        });
        let mut owners = BTreeSet::new();
        for pod in &node.pods {
            if let Some(p) = self.pods.get_mut(pod) {
                // The node is gone: nothing to release on it.
                p.placement = PodPlacement::Unscheduled;
                owners.insert(p.deployment.clone());
                self.delete_pod(pod, ctx);
            }
        }
        for owner in owners {
            self.reconcile(&owner, ctx);
        }
    }
}
