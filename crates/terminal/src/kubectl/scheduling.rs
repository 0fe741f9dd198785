//! Scheduling: a pod template's fields, read as the API server validates
//! them (`nodeSelector`, `affinity.nodeAffinity`'s required terms and
//! `tolerations`; preferred terms, pod (anti-)affinity and
//! `tolerationSeconds` are named as read but not simulated), and
//! `kubectl taint nodes`.

use dockyard_model::sim::eks::{
    NodeRequirement, NodeRules, SelectorOperator, Taint, TaintEffect, Toleration,
};
use dockyard_model::sim::Command;
use serde_json::{Map, Value};

use super::manifest::Unsimulated;
use super::{apply_command, fail, Line};
use crate::{Cloud, Output};

/// `kubectl taint nodes NAME key=value:Effect key2:Effect- key3-`: adds
/// taints, or with a trailing `-` removes them (by key and effect, or
/// every effect of the key).
pub(super) fn taint(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let words = &line.words[1..];
    let (kind, name, specs) = match words {
        [target, rest @ ..] if target.contains('/') => {
            let (kind, name) = target.split_once('/').unwrap_or_default();
            (kind, name, rest)
        }
        [kind, name, rest @ ..] => (kind.as_str(), name.as_str(), rest),
        _ => return fail("at least one taint update is required"),
    };
    if !matches!(kind, "node" | "nodes" | "no") {
        return fail(format!(
            "invalid resource type {kind}, only node types are supported"
        ));
    }
    if specs.is_empty() {
        return fail("at least one taint update is required");
    }
    let eks = cloud.world().eks();
    let Some(node) = eks
        .nodes
        .get(name)
        .filter(|n| n.cluster == cluster && n.ready)
    else {
        return fail(format!(
            "Error from server (NotFound): nodes \"{name}\" not found"
        ));
    };
    let mut taints = node.taints.clone();
    let (mut added, mut removed) = (false, false);
    for spec in specs {
        if let Some(gone) = spec.strip_suffix('-') {
            let (key, effect) = match gone.split_once(':') {
                Some((key, effect)) => match TaintEffect::from_name(effect) {
                    Some(effect) => (key, Some(effect)),
                    None => {
                        return fail(format!(
                            "invalid taint effect: {effect}, unsupported taint effect"
                        ))
                    }
                },
                None => (gone, None),
            };
            let before = taints.len();
            taints.retain(|t| !(t.key == key && effect.is_none_or(|e| e == t.effect)));
            if taints.len() == before {
                return fail(format!("taint \"{gone}\" not found"));
            }
            removed = true;
            continue;
        }
        let Some((key_value, effect)) = spec.split_once(':') else {
            return fail(format!("invalid taint spec: {spec}, unknown taint spec"));
        };
        let Some(effect) = TaintEffect::from_name(effect) else {
            return fail(format!(
                "invalid taint effect: {effect}, unsupported taint effect"
            ));
        };
        let (key, value) = key_value.split_once('=').unwrap_or((key_value, ""));
        let taint = Taint {
            key: key.to_string(),
            value: value.to_string(),
            effect,
        };
        match taints
            .iter_mut()
            .find(|t| t.key == taint.key && t.effect == taint.effect)
        {
            Some(_) if !line.has("overwrite") => {
                return fail(format!(
                "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                taint.key
            ))
            }
            Some(old) => *old = taint,
            None => taints.push(taint),
        }
        added = true;
    }
    let command = Command::SetNodeTaints {
        node: name.to_string(),
        taints,
    };
    match apply_command(cloud, command) {
        Ok(()) if added && !removed => Output::ok(format!("node/{name} tainted\n")),
        Ok(()) if removed && !added => Output::ok(format!("node/{name} untainted\n")),
        Ok(()) => Output::ok(format!("node/{name} modified\n")),
        Err(message) => fail(message),
    }
}

const EFFECTS: &str = "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"";

/// `pod` is the template's `spec`; `path` its field path
/// (`spec.template.spec`). Invalid fields add the API server's causes.
pub(super) fn node_rules(
    pod: &Map<String, Value>,
    path: &str,
    causes: &mut Vec<String>,
    unsimulated: &mut Unsimulated,
) -> NodeRules {
    let node_selector = pod
        .get("nodeSelector")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    NodeRules {
        node_selector,
        required_terms: required_terms(pod.get("affinity"), path, causes, unsimulated),
        tolerations: tolerations(pod.get("tolerations"), path, causes, unsimulated),
    }
}

fn required_terms(
    affinity: Option<&Value>,
    path: &str,
    causes: &mut Vec<String>,
    unsimulated: &mut Unsimulated,
) -> Vec<Vec<NodeRequirement>> {
    let Some(affinity) = affinity.and_then(Value::as_object) else {
        return Vec::new();
    };
    for other in affinity.keys().filter(|k| *k != "nodeAffinity") {
        unsimulated.push(format!("{path}.affinity.{other}"));
    }
    let Some(node) = affinity.get("nodeAffinity").and_then(Value::as_object) else {
        return Vec::new();
    };
    let base = format!("{path}.affinity.nodeAffinity");
    for other in node
        .keys()
        .filter(|k| *k != "requiredDuringSchedulingIgnoredDuringExecution")
    {
        unsimulated.push(format!("{base}.{other}"));
    }
    let Some(required) = node.get("requiredDuringSchedulingIgnoredDuringExecution") else {
        return Vec::new();
    };
    let base = format!("{base}.requiredDuringSchedulingIgnoredDuringExecution");
    let terms = required
        .get("nodeSelectorTerms")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if terms.is_empty() {
        causes.push(format!(
            "{base}.nodeSelectorTerms: Required value: must have at least one node selector term"
        ));
    }
    terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let term_path = format!("{base}.nodeSelectorTerms[{i}]");
            if term.get("matchFields").is_some() {
                unsimulated.push(format!("{term_path}.matchFields"));
            }
            term.get("matchExpressions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(j, e)| {
                    requirement(e, &format!("{term_path}.matchExpressions[{j}]"), causes)
                })
                .collect()
        })
        .collect()
}

fn requirement(e: &Value, path: &str, causes: &mut Vec<String>) -> Option<NodeRequirement> {
    let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
    let word = e
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let values: Vec<String> = e
        .get("values")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if key.is_empty() {
        causes.push(format!(
            "{path}.key: Invalid value: \"\": name part must be non-empty"
        ));
    }
    let operator = match word {
        "In" => SelectorOperator::In,
        "NotIn" => SelectorOperator::NotIn,
        "Exists" => SelectorOperator::Exists,
        "DoesNotExist" => SelectorOperator::DoesNotExist,
        "Gt" => SelectorOperator::Gt,
        "Lt" => SelectorOperator::Lt,
        other => {
            causes.push(format!(
                "{path}.operator: Invalid value: \"{other}\": not a valid selector operator"
            ));
            return None;
        }
    };
    match operator {
        SelectorOperator::In | SelectorOperator::NotIn if values.is_empty() => causes.push(format!(
            "{path}.values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
        )),
        SelectorOperator::Exists | SelectorOperator::DoesNotExist if !values.is_empty() => causes.push(format!(
            "{path}.values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        )),
        SelectorOperator::Gt | SelectorOperator::Lt
            if values.len() != 1 || values[0].parse::<i64>().is_err() =>
        {
            causes.push(format!(
                "{path}.values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"
            ))
        }
        _ => {}
    }
    Some(NodeRequirement {
        key: key.to_string(),
        operator,
        values,
    })
}

fn tolerations(
    list: Option<&Value>,
    path: &str,
    causes: &mut Vec<String>,
    unsimulated: &mut Unsimulated,
) -> Vec<Toleration> {
    let mut out = Vec::new();
    for (i, t) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let here = format!("{path}.tolerations[{i}]");
        let field = |name: &str| t.get(name).and_then(Value::as_str).unwrap_or_default();
        if t.get("tolerationSeconds").is_some() {
            unsimulated.push(format!("{here}.tolerationSeconds"));
        }
        let exists = match field("operator") {
            "" | "Equal" => false,
            "Exists" => true,
            other => {
                causes.push(format!(
                    "{here}.operator: Unsupported value: \"{other}\": supported values: \"Equal\", \"Exists\""
                ));
                continue;
            }
        };
        if exists && !field("value").is_empty() {
            causes.push(format!(
                "{here}.operator: Invalid value: \"{}\": value must be empty when `operator` is 'Exists'",
                field("value")
            ));
        }
        if !exists && field("key").is_empty() {
            causes.push(format!(
                "{here}.operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""
            ));
        }
        let effect = match field("effect") {
            "" => None,
            name => match TaintEffect::from_name(name) {
                Some(effect) => Some(effect),
                None => {
                    causes.push(format!(
                        "{here}.effect: Unsupported value: \"{name}\": supported values: {EFFECTS}"
                    ));
                    continue;
                }
            },
        };
        out.push(Toleration {
            key: field("key").to_string(),
            exists,
            value: field("value").to_string(),
            effect,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use dockyard_model::sim::eks::{PodPhase, PodPlacement};

    use crate::aws::tests::TestCloud;

    /// Two m5.large nodes (us-east-1a and us-east-1b), ready after 180 s.
    fn two_nodes() -> TestCloud {
        let mut cloud = TestCloud::scenario(
            include_str!("../../../../scenarios/eks-ebs-zone-affinity.scenario.json"),
            5,
        );
        cloud.run("sleep 180");
        cloud
    }

    fn trainer(template_spec: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: trainer}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: trainer}}}}\n  template:\n    metadata: {{labels: {{app: trainer}}}}\n    spec:\n{template_spec}      containers:\n      - {{name: t, image: python:3.12, resources: {{requests: {{cpu: 200m, memory: 256Mi}}}}}}\n"
        )
    }

    /// (node name, phase, why pending) of each trainer pod.
    fn trainers(cloud: &TestCloud) -> Vec<(Option<String>, PodPhase, String)> {
        cloud
            .world
            .eks()
            .pods
            .values()
            .filter(|p| p.deployment == "trainer")
            .map(|p| {
                let node = match &p.placement {
                    PodPlacement::Node { node } => Some(node.clone()),
                    _ => None,
                };
                (
                    node,
                    p.phase,
                    p.pending.clone().map(|(_, r)| r).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_tainted_node_takes_only_pods_that_tolerate_it() {
        let mut cloud = two_nodes();
        for node in ["ip-10-0-0-5.ec2.internal", "ip-10-0-0-6.ec2.internal"] {
            let out = cloud.run(&format!(
                "kubectl taint nodes {node} dedicated=gpu:NoSchedule"
            ));
            assert_eq!(out.stdout, format!("node/{node} tainted\n"));
        }
        cloud.files.insert("t.yaml".into(), trainer(""));
        assert_eq!(cloud.run("kubectl apply -f t.yaml").status, 0);
        for (_, phase, why) in trainers(&cloud) {
            assert_eq!(phase, PodPhase::Pending);
            assert_eq!(
                why,
                "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}."
            );
        }
        let again =
            cloud.run("kubectl taint nodes ip-10-0-0-5.ec2.internal dedicated=gpu:NoSchedule");
        assert_eq!(
            again.stderr,
            "error: node ip-10-0-0-5.ec2.internal already has dedicated taint(s) with same effect(s) and --overwrite is false\n"
        );
        // Removing the taint from one node lets the pods onto it.
        let out = cloud.run("kubectl taint nodes ip-10-0-0-5.ec2.internal dedicated:NoSchedule-");
        assert_eq!(out.stdout, "node/ip-10-0-0-5.ec2.internal untainted\n");
        cloud.run("sleep 30");
        assert!(trainers(&cloud).iter().all(|t| t.0.as_deref()
            == Some("ip-10-0-0-5.ec2.internal")
            && t.1 == PodPhase::Running));
        let described = cloud.run("kubectl describe node ip-10-0-0-6.ec2.internal");
        assert!(described
            .stdout
            .contains("Taints:             dedicated=gpu:NoSchedule\n"));
    }

    #[test]
    fn a_node_selector_and_a_toleration_place_pods_and_describe_shows_them() {
        let mut cloud = two_nodes();
        cloud.run("kubectl taint nodes ip-10-0-0-6.ec2.internal dedicated=gpu:NoSchedule");
        let spec = "      nodeSelector: {topology.kubernetes.io/zone: us-east-1b}\n      tolerations:\n      - {key: dedicated, operator: Exists, effect: NoSchedule}\n";
        cloud.files.insert("t.yaml".into(), trainer(spec));
        let out = cloud.run("kubectl apply -f t.yaml");
        assert_eq!(out.status, 0, "{out:?}");
        cloud.run("sleep 30");
        let placed = trainers(&cloud);
        assert!(
            placed
                .iter()
                .all(|t| t.0.as_deref() == Some("ip-10-0-0-6.ec2.internal")
                    && t.1 == PodPhase::Running),
            "{placed:?}"
        );
        let pod = cloud
            .world
            .eks()
            .pods
            .values()
            .find(|p| p.deployment == "trainer")
            .unwrap()
            .name
            .clone();
        let described = cloud.run(&format!("kubectl describe pod {pod}"));
        assert!(described
            .stdout
            .contains("Node-Selectors:              topology.kubernetes.io/zone=us-east-1b\n"));
        assert!(described.stdout.contains(
            "Tolerations:                 dedicated:NoSchedule op=Exists\n                             node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        ), "{}", described.stdout);

        // A selector no node matches.
        let nowhere = trainer("      nodeSelector: {eks.amazonaws.com/capacityType: SPOT}\n")
            .replace("trainer", "batch");
        cloud.files.insert("b.yaml".into(), nowhere);
        cloud.run("kubectl apply -f b.yaml");
        let events = cloud.run("kubectl get events --field-selector reason=FailedScheduling");
        assert!(
            events.stdout.contains(
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}."
            ),
            "{}",
            events.stdout
        );
    }

    #[test]
    fn invalid_scheduling_fields_are_refused_in_the_api_servers_words() {
        let mut cloud = two_nodes();
        let spec = "      tolerations:\n      - {key: dedicated, operator: Exists, value: gpu}\n      - {operator: Equal, value: x}\n      - {key: k, effect: Sometimes}\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: team, operator: In}\n              - {key: zone, operator: Near, values: [a]}\n";
        cloud.files.insert("t.yaml".into(), trainer(spec));
        let out = cloud.run("kubectl apply -f t.yaml");
        assert_eq!(out.status, 1);
        for cause in [
            "spec.template.spec.tolerations[0].operator: Invalid value: \"gpu\": value must be empty when `operator` is 'Exists'",
            "spec.template.spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty",
            "spec.template.spec.tolerations[2].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            "nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "nodeSelectorTerms[0].matchExpressions[1].operator: Invalid value: \"Near\": not a valid selector operator",
        ] {
            assert!(out.stderr.contains(cause), "{cause}\n{}", out.stderr);
        }
        assert!(
            out.stderr
                .starts_with("The Deployment \"trainer\" is invalid: \n* "),
            "{}",
            out.stderr
        );
        assert!(trainers(&cloud).is_empty());
    }
}
