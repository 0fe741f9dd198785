//! policy/v1 PodDisruptionBudgets in kubectl: read from a manifest as
//! the API server validates them, and listed (`get pdb`) with the
//! disruption controller's count from the model.

use dockyard_model::sim::eks::{Budget, Eks, PdbSpec};
use dockyard_model::sim::Millis;
use serde_json::{json, Map, Value};

use super::get::{creation, Row};
use super::manifest::{Refusal, Unsimulated};
use super::{age, Selector};

/// A PodDisruptionBudget document; its own namespace, if it names one,
/// is kept beside the spec (the cluster is filled in when it is applied).
pub(crate) fn read(
    object: &Map<String, Value>,
    name: String,
    namespace: Option<String>,
    unsimulated: &mut Unsimulated,
) -> Result<(PdbSpec, Option<String>), Refusal> {
    let empty = Map::new();
    let spec = object
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for key in spec.keys() {
        if !["selector", "minAvailable", "maxUnavailable"].contains(&key.as_str()) {
            unsimulated.push(format!("spec.{key}"));
        }
    }
    let mut causes = Vec::new();
    let budget = |field: &str, causes: &mut Vec<String>| -> Option<Budget> {
        let value = spec.get(field)?;
        if let Some(n) = value.as_u64() {
            return Some(Budget::Count(u32::try_from(n).unwrap_or(u32::MAX)));
        }
        let parsed = value
            .as_str()
            .and_then(|s| s.strip_suffix('%'))
            .and_then(|p| p.parse::<u32>().ok());
        match parsed {
            Some(p) if p <= 100 => Some(Budget::Percent(p)),
            Some(_) => {
                causes.push(format!(
                    "spec.{field}: Invalid value: {value}: must not be greater than 100%"
                ));
                None
            }
            None => {
                causes.push(format!(
                    "spec.{field}: Invalid value: {value}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
                ));
                None
            }
        }
    };
    let min_available = budget("minAvailable", &mut causes);
    let max_unavailable = budget("maxUnavailable", &mut causes);
    if spec.contains_key("minAvailable") && spec.contains_key("maxUnavailable") {
        causes
            .push("spec: Invalid value: minAvailable and maxUnavailable cannot be both set".into());
    }
    let selector = match spec.get("selector").map(Selector::from_json) {
        None => Selector::default(),
        Some(Ok(selector)) => selector,
        Some(Err(cause)) => {
            causes.push(format!("spec.selector: {cause}"));
            Selector::default()
        }
    };
    if !causes.is_empty() {
        return Err(Refusal::Invalid {
            kind: "PodDisruptionBudget",
            name,
            causes,
        });
    }
    if spec
        .get("selector")
        .and_then(|s| s.get("matchExpressions"))
        .is_some()
    {
        unsimulated.push("spec.selector.matchExpressions".into());
    }
    Ok((
        PdbSpec {
            cluster: String::new(),
            namespace: namespace.clone().unwrap_or_else(|| "default".into()),
            name,
            selector: selector.match_labels(),
            min_available,
            max_unavailable,
        },
        namespace,
    ))
}

/// `kubectl get pdb`'s rows.
pub(super) fn rows(eks: &Eks, cluster: &str, now: Millis) -> Vec<Row> {
    eks.pdbs
        .values()
        .filter(|p| p.spec.cluster == cluster)
        .map(|pdb| {
            let p = &pdb.spec;
            let status = eks.pdb_status(p);
            let text = |b: Option<Budget>| b.map_or("N/A".to_string(), Budget::text);
            let budget = |b: Option<Budget>| match b {
                Some(Budget::Count(n)) => json!(n),
                Some(Budget::Percent(n)) => json!(format!("{n}%")),
                None => Value::Null,
            };
            let mut spec = json!({"selector": {"matchLabels": p.selector}});
            if p.min_available.is_some() {
                spec["minAvailable"] = budget(p.min_available);
            }
            if p.max_unavailable.is_some() {
                spec["maxUnavailable"] = budget(p.max_unavailable);
            }
            Row {
                namespace: p.namespace.clone(),
                name: p.name.clone(),
                labels: Default::default(),
                cells: vec![
                    text(p.min_available),
                    text(p.max_unavailable),
                    status.disruptions_allowed.to_string(),
                    age(pdb.created_at, now),
                ],
                wide: Vec::new(),
                object: json!({
                    "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                    "metadata": {"name": p.name, "namespace": p.namespace, "creationTimestamp": creation(pdb.created_at)},
                    "spec": spec,
                    "status": {
                        "currentHealthy": status.current_healthy,
                        "desiredHealthy": status.desired_healthy,
                        "disruptionsAllowed": status.disruptions_allowed,
                        "expectedPods": status.expected_pods,
                    },
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::aws::tests::TestCloud;

    /// Three m5.large nodes (the group may shrink to one) and, once they
    /// are Ready, web's three 300m pods: the scheduler puts one on each
    /// (the emptiest node first), and each node is then under half used,
    /// so the Cluster Autoscaler finds two of them unneeded.
    const SPREAD: &str = r#"{"scenario": 1, "name": "spread", "seed": 3, "until": 3600, "steps": [
        {"at": 0, "do": "createEksCluster", "name": "shop"},
        {"at": 0, "do": "createNodeGroup", "cluster": "shop", "name": "workers", "instanceType": "m5.large", "minSize": 1, "maxSize": 3, "desiredSize": 3},
        {"at": 150, "do": "createDeployment", "cluster": "shop", "name": "web", "labels": {"app": "web"}, "replicas": 3, "cpuRequestMillicores": 300, "memoryRequestMiB": 256}
    ]}"#;

    fn spike() -> TestCloud {
        TestCloud::scenario(SPREAD, 3)
    }

    const NO_DISRUPTION: &str = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 0\n  selector:\n    matchLabels: {app: web}\n";

    /// Nodes left 30 minutes after the pods spread.
    fn nodes_left(budget: Option<&str>) -> (usize, TestCloud) {
        let mut cloud = spike();
        cloud.run("sleep 200");
        let used = cloud
            .world
            .eks()
            .nodes
            .values()
            .filter(|n| !n.pods.is_empty())
            .count();
        assert_eq!(used, 3, "one pod a node");
        if let Some(budget) = budget {
            cloud.files.insert("pdb.yaml".into(), budget.into());
            let out = cloud.run("kubectl apply -f pdb.yaml");
            assert_eq!(out.stdout, "poddisruptionbudget.policy/web created\n");
        }
        for _ in 0..30 {
            cloud.run("sleep 60");
        }
        (cloud.world.eks().nodes.len(), cloud)
    }

    #[test]
    fn a_budget_keeps_the_nodes_the_autoscaler_would_drain() {
        let (without, _) = nodes_left(None);
        let (with, mut kept) = nodes_left(Some(NO_DISRUPTION));
        assert_eq!(with, 3);
        assert!(without < 3, "without a budget {without} nodes");
        let listed = kept.run("kubectl get pdb");
        let row: Vec<&str> = listed
            .stdout
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(&row[..4], ["web", "N/A", "0", "0"], "{}", listed.stdout);
    }

    #[test]
    fn a_budget_the_api_server_refuses() {
        let mut cloud = spike();
        let both = NO_DISRUPTION.replace(
            "  maxUnavailable: 0\n",
            "  maxUnavailable: 0\n  minAvailable: 150%\n",
        );
        cloud.files.insert("pdb.yaml".into(), both);
        let out = cloud.run("kubectl apply -f pdb.yaml");
        assert_eq!(out.status, 1);
        assert!(
            out.stderr
                .starts_with("The PodDisruptionBudget \"web\" is invalid: \n* "),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains(
                "spec.minAvailable: Invalid value: \"150%\": must not be greater than 100%"
            ),
            "{}",
            out.stderr
        );
        assert!(out
            .stderr
            .contains("minAvailable and maxUnavailable cannot be both set"));
        assert!(cloud.world.eks().pdbs.is_empty());
    }
}
