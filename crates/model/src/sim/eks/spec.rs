//! What a learner asks EKS for: node groups (managed or self-managed, On-Demand
//! or Spot), Fargate profiles and Deployments with their pods' requests,
//! volumes and HPA, as the scenario and command JSON spell them.

use std::collections::BTreeMap;

use super::placement::{NodeRules, Taint};
use serde::{Deserialize, Serialize};

use super::super::load::LoadCurve;

fn yes() -> bool {
    true
}

/// The capacity type of a node group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CapacityType {
    OnDemand,
    Spot,
}

/// `createNodeGroup`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeGroupSpec {
    pub cluster: String,
    pub name: String,
    pub instance_type: String,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_size: u32,
    #[serde(default = "on_demand")]
    pub capacity_type: CapacityType,
    /// A managed node group (EKS runs the Auto Scaling group and maps the
    /// node role for you) or self-managed nodes.
    #[serde(default = "yes")]
    pub managed: bool,
    /// Whether the node role is authorized to join: an access entry, or a
    /// mapping in the `aws-auth` ConfigMap. When not given, as EKS does it:
    /// EKS creates the entry for a managed node group; for self-managed
    /// nodes nobody does until you do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_role_mapped: Option<bool>,
    /// The node IAM role's ARN. When not given, the world derives one
    /// (`arn:aws:iam::ACCOUNT:role/GROUP-node-role`): an access entry for
    /// that ARN lets the group's nodes join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_role: Option<String>,
    /// Kubernetes labels EKS puts on the group's nodes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Taints EKS puts on the group's nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
}

fn on_demand() -> CapacityType {
    CapacityType::OnDemand
}

/// `createFargateProfile`: its first selector is `namespace` and `labels`;
/// EKS allows up to five, the others in `moreSelectors`. A pod matches the
/// profile when any selector matches it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateProfileSpec {
    pub cluster: String,
    pub name: String,
    pub namespace: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_selectors: Vec<FargateSelector>,
    /// The pod execution role (CreateFargateProfile's podExecutionRoleArn);
    /// when not given, the world gives AmazonEKSFargatePodExecutionRole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_execution_role_arn: Option<String>,
    /// The subnets its pods run in (private subnets, in AWS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
}

/// One Fargate profile selector: a namespace, and labels that must all match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateSelector {
    pub namespace: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// EKS's limit of selectors per Fargate profile.
pub const MAX_FARGATE_SELECTORS: usize = 5;

impl FargateProfileSpec {
    /// Its selectors, the first one (`namespace`, `labels`) first.
    pub fn selectors(&self) -> Vec<FargateSelector> {
        let mut all = vec![FargateSelector {
            namespace: self.namespace.clone(),
            labels: self.labels.clone(),
        }];
        all.extend(self.more_selectors.iter().cloned());
        all
    }

    /// Whether one of its selectors matches a pod's namespace and labels.
    pub fn matches(&self, namespace: &str, labels: &BTreeMap<String, String>) -> bool {
        let one = |selector_namespace: &str, selector: &BTreeMap<String, String>| {
            glob(selector_namespace, namespace)
                && selector
                    .iter()
                    .all(|(k, v)| labels.get(k).is_some_and(|l| glob(v, l)))
        };
        one(&self.namespace, &self.labels)
            || self
                .more_selectors
                .iter()
                .any(|s| one(&s.namespace, &s.labels))
    }
}

/// A selector's namespace or label value against a pod's: `*` matches any
/// run of characters and `?` any one, as Fargate profile selectors allow.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn selectors_match_with_wildcards() {
        for (pattern, text, matches) in [
            ("default", "default", true),
            ("default", "defaults", false),
            ("prod-*", "prod-web", true),
            ("prod-*", "prod-", true),
            ("prod-*", "dev-web", false),
            ("team-?", "team-a", true),
            ("team-?", "team-ab", false),
            ("*", "anything", true),
            ("*-batch", "nightly-batch", true),
        ] {
            assert_eq!(glob(pattern, text), matches, "{pattern} {text}");
        }
    }
}

/// A HorizontalPodAutoscaler on CPU utilisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hpa {
    /// The HorizontalPodAutoscaler's own name, when it is not the
    /// deployment's (`kubectl autoscale` names it after the deployment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Percent of the pods' CPU requests.
    pub target_cpu_utilization: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
}

/// `createDeployment`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentSpec {
    pub cluster: String,
    pub name: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub replicas: u32,
    pub cpu_request_millicores: u32,
    #[serde(rename = "memoryRequestMiB")]
    pub memory_request_mib: u32,
    #[serde(default)]
    pub hpa: Option<Hpa>,
    /// Demand in millicores of work.
    #[serde(default)]
    pub load: Option<LoadCurve>,
    #[serde(default)]
    pub volume: Option<PodVolume>,
    /// The pod template's containers, as `kubectl` shows them. The
    /// scheduler reads only the summed requests above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<ContainerImage>,
    /// The PersistentVolumeClaim its pods mount (by name, in its
    /// namespace), when a manifest gives one instead of `volume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// `nodeSelector`, required node affinity and tolerations.
    #[serde(default, skip_serializing_if = "NodeRules::is_empty")]
    pub node_rules: NodeRules,
    /// A DaemonSet rather than a Deployment: `replicas` is ignored, one
    /// pod runs on each EC2 node the node rules admit (`daemons.rs`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub daemon: bool,
    /// A bare Pod (`kind: Pod`, `kubectl run`): one pod named as the spec,
    /// which nothing recreates once it is deleted or its node is lost.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bare: bool,
}

/// One container of a pod template: its name and image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerImage {
    pub name: String,
    pub image: String,
}

/// A pod's persistent volume, through a PersistentVolumeClaim (rules §5.2):
/// `{"storage": "efs", "provisioning": "static"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodVolume {
    pub storage: PodStorage,
    pub provisioning: Provisioning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PodStorage {
    /// The EBS CSI driver: block storage in one AZ, ReadWriteOnce.
    Ebs,
    /// The EFS CSI driver: a shared, multi-AZ file system, ReadWriteMany.
    Efs,
    /// The FSx for Lustre CSI driver: a file system in one AZ.
    FsxLustre,
}

/// Whether a StorageClass creates the volume (dynamic) or an administrator
/// created the PersistentVolume beforehand (static).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Provisioning {
    Dynamic,
    Static,
}

impl PodVolume {
    /// Why a Fargate pod cannot mount this volume, if it cannot: Fargate
    /// has no EBS, and EFS only with a PersistentVolume made beforehand.
    pub fn refused_on_fargate(&self) -> Option<&'static str> {
        match (self.storage, self.provisioning) {
            (PodStorage::Ebs, _) => Some("its PersistentVolumeClaim is for EBS, and a Fargate pod cannot attach an EBS volume. Run it on EC2 nodes, or use EFS with a static PersistentVolume"),
            (PodStorage::Efs, Provisioning::Dynamic) => Some("its EFS PersistentVolumeClaim asks for dynamic provisioning, which Fargate pods do not support. Create the PersistentVolume yourself (static provisioning)"),
            (PodStorage::Efs, Provisioning::Static) => None,
            (PodStorage::FsxLustre, _) => Some("its PersistentVolumeClaim is for FSx for Lustre, which Fargate pods cannot mount. Run it on EC2 nodes"),
        }
    }
}

fn default_namespace() -> String {
    "default".into()
}
