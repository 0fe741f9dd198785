//! Where a pod may go, as the kube-scheduler's filters decide it (rules
//! §7.2): node labels (EKS's well-known ones, and a node group's own),
//! `nodeSelector`, required node affinity, and taints with the
//! tolerations that let a pod past them. Preferred affinity, pod
//! (anti-)affinity and topology spread constraints are not modelled; the
//! manifest reader says so when it meets them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

/// What a taint does to pods that do not tolerate it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaintEffect {
    /// New pods are not scheduled on the node.
    NoSchedule,
    /// The scheduler avoids the node but may still use it (a preference:
    /// it never makes a pod Pending).
    PreferNoSchedule,
    /// New pods are not scheduled, and running pods that do not tolerate
    /// it are evicted. Dockyard does not evict: it treats NoExecute as
    /// NoSchedule for scheduling.
    NoExecute,
}

impl TaintEffect {
    pub const ALL: [TaintEffect; 3] = [
        TaintEffect::NoSchedule,
        TaintEffect::PreferNoSchedule,
        TaintEffect::NoExecute,
    ];

    /// As Kubernetes spells it (`NoSchedule`).
    pub fn name(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    pub fn from_name(name: &str) -> Option<TaintEffect> {
        TaintEffect::ALL.into_iter().find(|e| e.name() == name)
    }

    /// As the EKS API spells it (`NO_SCHEDULE`).
    pub fn eks_name(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NO_SCHEDULE",
            TaintEffect::PreferNoSchedule => "PREFER_NO_SCHEDULE",
            TaintEffect::NoExecute => "NO_EXECUTE",
        }
    }

    pub fn from_eks_name(name: &str) -> Option<TaintEffect> {
        TaintEffect::ALL.into_iter().find(|e| e.eks_name() == name)
    }
}

/// A node's taint: `key=value:Effect`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Taint {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    pub effect: TaintEffect,
}

impl std::fmt::Display for Taint {
    /// As `kubectl describe node` lists it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}:{}", self.key, self.effect.name())
        } else {
            write!(f, "{}={}:{}", self.key, self.value, self.effect.name())
        }
    }
}

/// A pod's toleration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toleration {
    /// Empty with `exists` tolerates every taint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// `Exists` (any value) rather than `Equal`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exists: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// None tolerates every effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
}

impl Toleration {
    /// `ToleratesTaint` in Kubernetes' core/v1 helpers.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        if self.key.is_empty() {
            return self.exists;
        }
        self.key == taint.key && (self.exists || self.value == taint.value)
    }
}

/// One requirement of a node selector term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

impl NodeRequirement {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        let number = |v: &String| v.parse::<i64>().ok();
        let bound = self.values.first().and_then(number);
        match self.operator {
            SelectorOperator::In => value.is_some_and(|v| self.values.contains(v)),
            SelectorOperator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            SelectorOperator::Exists => value.is_some(),
            SelectorOperator::DoesNotExist => value.is_none(),
            SelectorOperator::Gt => {
                matches!((value.and_then(number), bound), (Some(v), Some(b)) if v > b)
            }
            SelectorOperator::Lt => {
                matches!((value.and_then(number), bound), (Some(v), Some(b)) if v < b)
            }
        }
    }
}

/// The pod template's rules for choosing a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeRules {
    /// `nodeSelector`: every label must be on the node.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// `requiredDuringSchedulingIgnoredDuringExecution`'s terms: any one
    /// term matching (all its requirements) is enough.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_terms: Vec<Vec<NodeRequirement>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
}

impl NodeRules {
    pub fn is_empty(&self) -> bool {
        self.node_selector.is_empty()
            && self.required_terms.is_empty()
            && self.tolerations.is_empty()
    }

    /// The NodeAffinity filter: `nodeSelector` and the required terms.
    pub fn selects(&self, labels: &BTreeMap<String, String>) -> bool {
        let selector = self
            .node_selector
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v));
        let terms = self.required_terms.is_empty()
            || self
                .required_terms
                .iter()
                .any(|term| term.iter().all(|r| r.matches(labels)));
        selector && terms
    }

    /// The TaintToleration filter: the first taint with a scheduling
    /// effect that no toleration covers.
    pub fn untolerated<'t>(&self, taints: &'t [Taint]) -> Option<&'t Taint> {
        taints.iter().find(|t| {
            t.effect != TaintEffect::PreferNoSchedule
                && !self.tolerations.iter().any(|tol| tol.tolerates(t))
        })
    }
}

impl Eks {
    /// A node's labels, as the kubelet and EKS set them: the well-known
    /// ones, a managed node group's `eks.amazonaws.com/*`, and the group's
    /// own labels.
    pub fn node_labels(&self, node: &Node) -> BTreeMap<String, String> {
        let mut labels = match self.groups.get(&node.group) {
            Some(group) => self.template_labels(group),
            None => BTreeMap::new(),
        };
        labels.insert("kubernetes.io/hostname".into(), node.name.clone());
        labels.insert("topology.kubernetes.io/zone".into(), node.az.clone());
        labels
    }

    /// The labels every node of the group has, before it has a zone or a
    /// host name: what the Cluster Autoscaler checks a pending pod against
    /// when it asks whether a new node of the group would take it.
    pub(super) fn template_labels(&self, group: &NodeGroup) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::from([
            ("kubernetes.io/os".to_string(), "linux".to_string()),
            ("kubernetes.io/arch".to_string(), "amd64".to_string()),
            (
                "node.kubernetes.io/instance-type".to_string(),
                group.instance_type.to_string(),
            ),
        ]);
        if group.managed {
            labels.insert("eks.amazonaws.com/nodegroup".into(), group.name.clone());
            let capacity = match group.capacity_type {
                CapacityType::Spot => "SPOT",
                CapacityType::OnDemand => "ON_DEMAND",
            };
            labels.insert("eks.amazonaws.com/capacityType".into(), capacity.into());
        }
        labels.extend(group.labels.clone());
        labels
    }
}

/// The scheduler's words for why one node was filtered out, in the order
/// its filter plugins run (TaintToleration, NodeAffinity,
/// NodeResourcesFit, then the volume filters): the first that fails is the
/// one reported for that node.
pub(super) fn node_refusal(
    rules: &NodeRules,
    labels: &BTreeMap<String, String>,
    taints: &[Taint],
) -> Option<String> {
    if let Some(taint) = rules.untolerated(taints) {
        return Some(format!(
            "node(s) had untolerated taint {{{}: {}}}",
            taint.key, taint.value
        ));
    }
    if !rules.selects(labels) {
        return Some("node(s) didn't match Pod's node affinity/selector".into());
    }
    None
}
