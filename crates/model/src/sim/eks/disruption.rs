//! PodDisruptionBudgets (policy/v1): how many of an application's pods a
//! voluntary disruption may take at once. The disruption controller
//! counts the budget's pods and their desired number; the Cluster
//! Autoscaler evicts through the eviction API, so it removes a node only
//! if every budget lets it evict that node's pods. Involuntary losses (a
//! node terminated, a zone lost) ignore budgets, as in Kubernetes.

use serde::{Deserialize, Serialize};

use super::*;

/// `minAvailable` or `maxUnavailable`: a count or a percentage of the
/// pods the budget's controllers want.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Budget {
    Count(u32),
    Percent(u32),
}

impl Budget {
    /// Of `expected` pods, rounded up (intstr's
    /// GetScaledValueFromIntOrPercent with roundUp, as the disruption
    /// controller calls it).
    fn of(self, expected: u32) -> u32 {
        match self {
            Budget::Count(n) => n,
            Budget::Percent(p) => (u64::from(p) * u64::from(expected)).div_ceil(100) as u32,
        }
    }

    /// As kubectl shows it: `2` or `50%`.
    pub fn text(self) -> String {
        match self {
            Budget::Count(n) => n.to_string(),
            Budget::Percent(p) => format!("{p}%"),
        }
    }
}

/// `createPodDisruptionBudget` (created, or replaced by `kubectl apply`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PdbSpec {
    pub cluster: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    pub name: String,
    /// `selector.matchLabels`.
    pub selector: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<Budget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<Budget>,
}

fn default_namespace() -> String {
    "default".into()
}

/// A budget as the API server keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pdb {
    pub spec: PdbSpec,
    pub created_at: Millis,
}

/// A budget's status, as the disruption controller writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PdbStatus {
    pub current_healthy: u32,
    pub desired_healthy: u32,
    pub expected_pods: u32,
    pub disruptions_allowed: u32,
}

impl Eks {
    fn pdb_selects(&self, pdb: &PdbSpec, pod: &Pod) -> bool {
        pod.cluster == pdb.cluster
            && pod.namespace == pdb.namespace
            && pod.phase != PodPhase::Terminating
            && self
                .deployments
                .get(&pod.deployment)
                .is_some_and(|d| pdb.selector.iter().all(|(k, v)| d.labels.get(k) == Some(v)))
    }

    /// Healthy pods are Running ones; the expected number is the replicas
    /// of the Deployments whose pods the budget selects.
    pub fn pdb_status(&self, pdb: &PdbSpec) -> PdbStatus {
        let selected: Vec<&Pod> = self
            .pods
            .values()
            .filter(|p| self.pdb_selects(pdb, p))
            .collect();
        let current_healthy = selected
            .iter()
            .filter(|p| p.phase == PodPhase::Running)
            .count() as u32;
        let owners: BTreeSet<&str> = selected.iter().map(|p| p.deployment.as_str()).collect();
        let expected_pods: u32 = owners
            .iter()
            .filter_map(|d| self.deployments.get(*d))
            .map(|d| d.replicas)
            .sum();
        let desired_healthy = match (pdb.min_available, pdb.max_unavailable) {
            (Some(min), _) => min.of(expected_pods),
            (None, Some(max)) => expected_pods.saturating_sub(max.of(expected_pods)),
            (None, None) => expected_pods,
        };
        PdbStatus {
            current_healthy,
            desired_healthy,
            expected_pods,
            disruptions_allowed: current_healthy.saturating_sub(desired_healthy),
        }
    }

    /// Whether evicting every pod on `node` keeps within every budget: the
    /// Cluster Autoscaler's drain check. Returns the first pod a budget
    /// protects.
    pub(super) fn pdb_blocks_drain(&self, node: &str) -> Option<String> {
        let on_node: Vec<&Pod> = self.nodes[node]
            .pods
            .iter()
            .map(|p| &self.pods[p])
            .collect();
        for pdb in self.pdbs.values().map(|p| &p.spec) {
            let allowed = self.pdb_status(pdb).disruptions_allowed;
            let evicted: Vec<&&Pod> = on_node
                .iter()
                .filter(|p| {
                    p.phase == PodPhase::Running
                        && !self.is_daemon_pod(&p.name)
                        && self.pdb_selects(pdb, p)
                })
                .collect();
            if evicted.len() as u32 > allowed {
                return evicted.first().map(|p| p.name.clone());
            }
        }
        None
    }

    pub(super) fn put_pdb(&mut self, spec: PdbSpec, now: Millis) -> Result<(), Rejection> {
        self.need_cluster(&spec.cluster)?;
        if spec.min_available.is_some() && spec.max_unavailable.is_some() {
            return Err(Rejection::new(
                "pdb",
                "minAvailable and maxUnavailable cannot be both set",
            ));
        }
        if let Some(Budget::Percent(p)) = spec.min_available.or(spec.max_unavailable) {
            if p > 100 {
                return Err(Rejection::new(
                    "pdb",
                    format!("{p}% is not a valid budget: a percentage is between 0 and 100"),
                ));
            }
        }
        let key = (
            spec.cluster.clone(),
            spec.namespace.clone(),
            spec.name.clone(),
        );
        let created_at = self.pdbs.get(&key).map_or(now, |p| p.created_at);
        self.pdbs.insert(key, Pdb { spec, created_at });
        Ok(())
    }

    pub(super) fn delete_pdb(
        &mut self,
        cluster: &str,
        namespace: &str,
        name: &str,
    ) -> Result<(), Rejection> {
        let key = (cluster.to_string(), namespace.to_string(), name.to_string());
        self.pdbs.remove(&key).map(|_| ()).ok_or_else(|| {
            Rejection::new(
                "no-pdb",
                format!("there is no PodDisruptionBudget {name} in namespace {namespace}"),
            )
        })
    }
}
