//! Deleting what bills on EKS, in the order EKS requires: a managed node
//! group (its nodes terminate; their pods are deleted, and their
//! Deployments' replacements wait Pending), a Fargate profile (the pods it
//! placed on Fargate are deleted: "Any Pods running on Fargate that were
//! created with the profile are deleted"), and then the cluster, which EKS
//! refuses while managed node groups or Fargate profiles are attached.
//! EKS takes minutes over each; Dockyard does each at once.

use super::*;

impl Eks {
    /// DeleteNodegroup: the group goes first, so that nothing launches a
    /// replacement, then its nodes.
    pub(super) fn delete_node_group(
        &mut self,
        cluster: &str,
        name: &str,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        let group = self.managed_group(cluster, name)?;
        let nodes: Vec<String> = group.nodes.iter().cloned().collect();
        self.groups.remove(name);
        for node in nodes {
            if self.nodes.contains_key(&node) {
                self.remove_node(
                    &node,
                    &format!("node group {name} was deleted; its pods are deleted and their replacements wait for a node"),
                    ctx,
                );
            }
        }
        self.retry_pending(ctx);
        Ok(())
    }

    /// DeleteFargateProfile: the pods it placed are deleted, and their
    /// Deployments' replacements go where the profiles left allow (or wait
    /// Pending).
    pub(super) fn delete_fargate_profile(
        &mut self,
        cluster: &str,
        name: &str,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_cluster(cluster)?;
        let key = (cluster.to_string(), name.to_string());
        if !self.profiles.contains_key(&key) {
            return Err(Rejection::new(
                "no-fargate-profile",
                format!("No Fargate Profile found with name: {name}."),
            ));
        }
        // The pods this profile placed: those on Fargate that it is the
        // first match for (the rule the Fargate scheduler used).
        let placed: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.cluster == cluster && matches!(p.placement, PodPlacement::Fargate { .. }))
            .filter(|p| {
                self.deployments.get(&p.deployment).is_some_and(|d| {
                    self.matching_profile(cluster, &d.namespace, &d.labels)
                        .is_some_and(|profile| profile.name == name)
                })
            })
            .map(|p| p.name.clone())
            .collect();
        self.profiles.remove(&key);
        let mut owners = BTreeSet::new();
        for pod in placed {
            if let Some(p) = self.pods.get(&pod) {
                owners.insert(p.deployment.clone());
            }
            self.delete_pod(&pod, ctx);
        }
        for owner in owners {
            self.reconcile(&owner, ctx);
        }
        self.retry_pending(ctx);
        Ok(())
    }

    /// DeleteCluster: refused while managed node groups or Fargate
    /// profiles are attached (EKS's ResourceInUseException). Its
    /// Kubernetes objects go with it. Self-managed nodes are EC2 instances
    /// EKS does not own: they stay, and bill, as on AWS.
    pub(super) fn delete_cluster(&mut self, name: &str, ctx: &mut Ctx) -> Result<(), Rejection> {
        self.need_cluster(name)?;
        if self.groups.values().any(|g| g.cluster == name && g.managed) {
            return Err(Rejection::new(
                "eks-cluster-in-use",
                "Cluster has nodegroups attached",
            ));
        }
        if self.profiles.keys().any(|(c, _)| c == name) {
            return Err(Rejection::new(
                "eks-cluster-in-use",
                "Cluster has Fargate Profiles in ACTIVE/CREATING state",
            ));
        }
        let pods: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.cluster == name)
            .map(|p| p.name.clone())
            .collect();
        for pod in pods {
            self.delete_pod(&pod, ctx);
        }
        self.deployments.retain(|_, d| d.cluster != name);
        self.namespaces.retain(|(c, _)| c != name);
        self.access_entries.retain(|(c, _), _| c != name);
        self.pdbs.retain(|(c, _, _), _| c != name);
        self.cluster_details.remove(name);
        self.clusters.remove(name);
        Ok(())
    }
}
