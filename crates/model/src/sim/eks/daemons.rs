//! DaemonSets: one pod on every EC2 node that the pod template's node
//! rules and tolerations admit, each pod bound to its node (the DaemonSet
//! controller gives it node affinity to that node, and the scheduler
//! places it only there). A Deployment with `daemon: true` in the model.
//! Fargate runs none: a Fargate pod is a micro-VM of its own whose node
//! carries the taint `eks.amazonaws.com/compute-type=fargate:NoSchedule`,
//! and EKS refuses DaemonSet pods there. The Cluster Autoscaler neither
//! moves DaemonSet pods nor counts them as keeping a node busy.

use super::*;

impl Eks {
    /// The nodes a DaemonSet's pods belong on.
    fn daemon_nodes(&self, d: &Deployment) -> Vec<String> {
        self.nodes
            .values()
            .filter(|n| n.ready && n.cluster == d.cluster)
            .filter(|n| {
                placement::node_refusal(&d.node_rules, &self.node_labels(n), &n.taints).is_none()
            })
            .map(|n| n.name.clone())
            .collect()
    }

    /// The DaemonSet controller: a pod for each admitted node that has
    /// none; pods whose node is gone go with it. A node tainted after its
    /// pod started keeps the pod (only NoExecute would evict it).
    pub(super) fn reconcile_daemon(&mut self, name: &str, ctx: &mut Ctx) {
        let d = &self.deployments[name];
        let wanted = self.daemon_nodes(d);
        let live: BTreeMap<String, String> = d.pods[PodPhase::Pending.slot()]
            .iter()
            .chain(&d.pods[PodPhase::ContainerCreating.slot()])
            .chain(&d.pods[PodPhase::Running.slot()])
            .filter_map(|p| Some((self.pods[p].node_name.clone()?, p.clone())))
            .collect();
        let orphans: Vec<String> = live
            .iter()
            .filter(|(node, _)| !self.nodes.contains_key(*node))
            .map(|(_, pod)| pod.clone())
            .collect();
        let missing: Vec<String> = wanted
            .iter()
            .filter(|n| !live.contains_key(*n))
            .cloned()
            .collect();
        let desired = wanted.len() as u32;
        self.deployments.get_mut(name).expect("exists").replicas = desired;
        for pod in orphans {
            self.terminate_pod(&pod, ctx);
        }
        for node in missing {
            self.create_pod_on(name, Some(node), ctx);
        }
    }

    /// Every DaemonSet of the cluster, after its nodes changed.
    pub(super) fn reconcile_daemons(&mut self, cluster: &str, ctx: &mut Ctx) {
        let daemons: Vec<String> = self
            .deployments
            .values()
            .filter(|d| d.daemon && d.cluster == cluster)
            .map(|d| d.name.clone())
            .collect();
        for name in daemons {
            self.reconcile_daemon(&name, ctx);
        }
    }

    /// Whether a pod belongs to a DaemonSet.
    pub(super) fn is_daemon_pod(&self, pod: &str) -> bool {
        self.pods
            .get(pod)
            .and_then(|p| self.deployments.get(&p.deployment))
            .is_some_and(|d| d.daemon)
    }
}
