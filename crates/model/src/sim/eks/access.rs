//! Access entries (which IAM principals a cluster lets in, and as what) and
//! a managed node group's scalingConfig changed after creation (rules §7).
//!
//! An access entry of type EC2_LINUX or EC2_WINDOWS for a node role is what
//! lets the kubelet of an instance with that role join the cluster: EKS
//! creates one for a managed node group's role, nobody creates one for
//! self-managed nodes until you do. Its nodes that booted and were refused
//! become Ready once it exists; those still booting join when they boot.

use super::*;

/// An access entry's type, as CreateAccessEntry spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccessEntryType {
    Standard,
    Ec2Linux,
    Ec2Windows,
    FargateLinux,
}

impl AccessEntryType {
    pub const ALL: [AccessEntryType; 4] = [
        AccessEntryType::Standard,
        AccessEntryType::Ec2Linux,
        AccessEntryType::Ec2Windows,
        AccessEntryType::FargateLinux,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessEntryType::Standard => "STANDARD",
            AccessEntryType::Ec2Linux => "EC2_LINUX",
            AccessEntryType::Ec2Windows => "EC2_WINDOWS",
            AccessEntryType::FargateLinux => "FARGATE_LINUX",
        }
    }

    pub fn parse(text: &str) -> Option<AccessEntryType> {
        AccessEntryType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// Whether an entry of this type lets nodes with the role join.
    pub fn lets_nodes_join(self) -> bool {
        matches!(
            self,
            AccessEntryType::Ec2Linux | AccessEntryType::Ec2Windows
        )
    }

    /// The Kubernetes user name EKS gives an entry of this type.
    pub fn username(self, principal_arn: &str) -> String {
        match self {
            AccessEntryType::Ec2Linux | AccessEntryType::Ec2Windows => {
                "system:node:{{EC2PrivateDNSName}}".into()
            }
            AccessEntryType::FargateLinux => "system:node:{{SessionName}}".into(),
            AccessEntryType::Standard => principal_arn.into(),
        }
    }
}

/// CreateAccessEntry.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessEntrySpec {
    pub cluster: String,
    pub principal_arn: String,
    pub entry_type: AccessEntryType,
}

/// AssociateAccessPolicy: `scope` is `cluster` or `namespace`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicySpec {
    pub cluster: String,
    pub principal_arn: String,
    pub policy_arn: String,
    pub scope: String,
    pub namespaces: Vec<String>,
}

/// UpdateNodegroupConfig's scalingConfig: what is not given is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeGroupScaling {
    pub cluster: String,
    pub group: String,
    pub min_size: Option<u32>,
    pub max_size: Option<u32>,
    pub desired_size: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessEntry {
    pub cluster: String,
    pub principal_arn: String,
    pub entry_type: AccessEntryType,
    pub created_at: Millis,
    pub modified_at: Millis,
    pub policies: Vec<AccessPolicySpec>,
    /// When each policy was associated, in the order of `policies`.
    pub associated_at: Vec<Millis>,
}

/// What CreateCluster was given beyond the name, and when.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterDetails {
    pub role_arn: Option<String>,
    pub subnets: Vec<String>,
    pub created_at: Millis,
}

/// At least one selector, and at most five (EKS's limit).
pub(super) fn need_selectors(spec: &FargateProfileSpec) -> Result<(), Rejection> {
    let count = 1 + spec.more_selectors.len();
    if count > MAX_FARGATE_SELECTORS {
        return Err(Rejection::new(
            "fargate-selectors",
            format!("a Fargate profile has at most {MAX_FARGATE_SELECTORS} selectors; this one has {count}"),
        ));
    }
    Ok(())
}

impl Eks {
    /// Keeps what CreateCluster was given (the cluster exists).
    pub fn keep_cluster_details(&mut self, name: &str, details: ClusterDetails) {
        if self.clusters.contains(name) {
            self.cluster_details.insert(name.to_string(), details);
        }
    }

    /// Whether an EC2 node access entry for `role` exists in `cluster`.
    pub(super) fn role_may_join(&self, cluster: &str, role: Option<&str>) -> bool {
        role.and_then(|role| {
            self.access_entries
                .get(&(cluster.to_string(), role.to_string()))
        })
        .is_some_and(|entry| entry.entry_type.lets_nodes_join())
    }

    /// The entry EKS creates for a managed node group's role, if none is there.
    pub(super) fn entry_for_managed_group(&mut self, spec: &NodeGroupSpec, now: Millis) {
        if let Some(role) = &spec.node_role {
            self.entry_by_eks(&spec.cluster, role, AccessEntryType::Ec2Linux, now);
        }
    }

    /// The entry EKS creates for a Fargate profile's pod execution role.
    pub(super) fn entry_for_fargate_profile(&mut self, spec: &FargateProfileSpec, now: Millis) {
        if let Some(role) = &spec.pod_execution_role_arn {
            self.entry_by_eks(&spec.cluster, role, AccessEntryType::FargateLinux, now);
        }
    }

    fn entry_by_eks(&mut self, cluster: &str, role: &str, kind: AccessEntryType, now: Millis) {
        self.access_entries
            .entry((cluster.to_string(), role.to_string()))
            .or_insert_with(|| AccessEntry {
                cluster: cluster.to_string(),
                principal_arn: role.to_string(),
                entry_type: kind,
                created_at: now,
                modified_at: now,
                policies: Vec::new(),
                associated_at: Vec::new(),
            });
    }

    pub(super) fn create_access_entry(
        &mut self,
        spec: AccessEntrySpec,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        let key = (spec.cluster.clone(), spec.principal_arn.clone());
        if self.access_entries.contains_key(&key) {
            return Err(Rejection::new(
                "access-entry-exists",
                "The specified access entry resource is already in use on this cluster.",
            ));
        }
        self.access_entries.insert(
            key,
            AccessEntry {
                cluster: spec.cluster.clone(),
                principal_arn: spec.principal_arn.clone(),
                entry_type: spec.entry_type,
                created_at: ctx.now,
                modified_at: ctx.now,
                policies: Vec::new(),
                associated_at: Vec::new(),
            },
        );
        if !spec.entry_type.lets_nodes_join() {
            return Ok(());
        }
        // The groups whose nodes this entry lets in.
        let groups: Vec<String> = self
            .groups
            .values()
            .filter(|g| {
                g.cluster == spec.cluster
                    && !g.node_role_mapped
                    && g.node_role.as_deref() == Some(spec.principal_arn.as_str())
            })
            .map(|g| g.name.clone())
            .collect();
        let boot = seconds(ctx.params.instance_boot_seconds);
        for name in groups {
            let group = self.groups.get_mut(&name).expect("exists");
            group.node_role_mapped = true;
            let nodes: Vec<String> = group.nodes.iter().cloned().collect();
            for node in nodes {
                let n = self.nodes.get_mut(&node).expect("a group's node exists");
                n.can_join = true;
                // A node that booted and was refused retries, and joins now.
                if !n.ready && n.launched_at + boot <= ctx.now {
                    self.node_booted(&node, ctx);
                }
            }
        }
        Ok(())
    }

    pub(super) fn associate_access_policy(
        &mut self,
        spec: AccessPolicySpec,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        let entry = self
            .access_entries
            .get_mut(&(spec.cluster.clone(), spec.principal_arn.clone()))
            .ok_or_else(|| {
                Rejection::new(
                    "no-access-entry",
                    format!(
                        "The specified principalArn {} has no access entry in cluster {}.",
                        spec.principal_arn, spec.cluster
                    ),
                )
            })?;
        if entry.entry_type != AccessEntryType::Standard {
            return Err(Rejection::new(
                "access-entry-type",
                "This operation can only be performed on Access Entries with a type of \"STANDARD\".",
            ));
        }
        if spec.scope == "namespace" && spec.namespaces.is_empty() {
            return Err(Rejection::new(
                "access-entry-type",
                "an access scope of type namespace needs at least one namespace",
            ));
        }
        entry.modified_at = ctx.now;
        match entry
            .policies
            .iter()
            .position(|p| p.policy_arn == spec.policy_arn)
        {
            Some(at) => {
                entry.policies[at] = spec;
                entry.associated_at[at] = ctx.now;
            }
            None => {
                entry.policies.push(spec);
                entry.associated_at.push(ctx.now);
            }
        }
        Ok(())
    }

    /// A managed node group's new bounds and desired size: nodes are
    /// launched or removed (those not Ready first, then the emptiest).
    pub(super) fn update_scaling(
        &mut self,
        scaling: NodeGroupScaling,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        let group = self.managed_group(&scaling.cluster, &scaling.group)?;
        let current = group.nodes.len() as u32;
        let min = scaling.min_size.unwrap_or(group.min_size);
        let max = scaling.max_size.unwrap_or(group.max_size);
        let desired = scaling.desired_size.unwrap_or(current.clamp(min, max));
        if !(1..=MAX_GROUP_SIZE).contains(&max) || min > desired || desired > max {
            return Err(Rejection::new(
                "scaling-config",
                format!("scalingConfig needs minSize ≤ desiredSize ≤ maxSize and maxSize ≥ 1 (minSize {min}, desiredSize {desired}, maxSize {max})"),
            ));
        }
        let group = self.groups.get_mut(&scaling.group).expect("exists");
        group.min_size = min;
        group.max_size = max;
        for _ in current..desired {
            self.launch_node(&scaling.group, ctx);
        }
        if desired < current {
            let mut victims: Vec<(bool, usize, String)> = self.groups[&scaling.group]
                .nodes
                .iter()
                .map(|n| {
                    let node = &self.nodes[n];
                    (node.ready, node.pods.len(), n.clone())
                })
                .collect();
            victims.sort();
            for (_, _, node) in victims.into_iter().take((current - desired) as usize) {
                self.remove_node(
                    &node,
                    "the node group's desired size was lowered (UpdateNodegroupConfig): its Auto Scaling group terminates the instance, and its pods are deleted",
                    ctx,
                );
            }
        }
        self.retry_pending(ctx);
        Ok(())
    }
}
