//! `kubectl get`: the model's pods, nodes, deployments, HPAs, namespaces
//! and events in kubectl's columns (`-o wide`), or as Kubernetes objects
//! (`-o yaml|json|name`); `-w` follows the simulated clock.

use std::collections::BTreeMap;

use dockyard_model::sim::eks::{Deployment, Eks, Node, Pod, PodPhase, PodPlacement};
use dockyard_model::sim::Millis;
use serde_json::{json, Value};

use super::events::events;
use super::{age, fail, quantity, yaml, Line, SERVER_VERSION};
use crate::{Cloud, Output};

/// kubectl's names for a kind (plural, short, `kind.group`) → Dockyard's.
pub(super) fn canonical(kind: &str) -> Option<&'static str> {
    let kind = kind.to_ascii_lowercase();
    let kind = kind
        .strip_suffix(".apps")
        .or_else(|| kind.strip_suffix(".autoscaling"))
        .or_else(|| kind.strip_suffix(".storage.k8s.io"))
        .or_else(|| kind.strip_suffix(".policy"))
        .unwrap_or(&kind);
    Some(match kind {
        "pod" | "pods" | "po" => "pod",
        "node" | "nodes" | "no" => "node",
        "deployment" | "deployments" | "deploy" => "deployment",
        "daemonset" | "daemonsets" | "ds" => "daemonset",
        "horizontalpodautoscaler" | "horizontalpodautoscalers" | "hpa" => "hpa",
        "namespace" | "namespaces" | "ns" => "namespace",
        "event" | "events" | "ev" => "event",
        "persistentvolumeclaim" | "persistentvolumeclaims" | "pvc" => "pvc",
        "persistentvolume" | "persistentvolumes" | "pv" => "pv",
        "storageclass" | "storageclasses" | "sc" => "storageclass",
        "poddisruptionbudget" | "poddisruptionbudgets" | "pdb" => "pdb",
        _ => return None,
    })
}

/// Which namespaces a listing covers.
enum Scope {
    All,
    One(String),
}

impl Scope {
    fn of(line: &Line) -> Scope {
        if line.has("all-namespaces") {
            Scope::All
        } else {
            Scope::One(line.namespace().to_string())
        }
    }
    fn admits(&self, namespace: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::One(n) => n == namespace,
        }
    }
}

pub(super) fn run(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let words = &line.words[1..];
    let Some(first) = words.first() else {
        return fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    let (kind_word, names): (&str, Vec<String>) = match first.split_once('/') {
        Some((kind, name)) => (kind, vec![name.to_string()]),
        None => (first, words[1..].to_vec()),
    };
    if kind_word == "all" || kind_word.contains(',') {
        return several(cloud, cluster, line, kind_word);
    }
    let Some(kind) = canonical(kind_word) else {
        return fail(format!(
            "the server doesn't have a resource type \"{kind_word}\""
        ))
        .note("Dockyard's kubectl knows pods, nodes, deployments, daemonsets, hpa, namespaces, events, pvc, pv, storageclass and pdb.");
    };
    let output = line.value("output").unwrap_or("");
    if !["", "wide", "yaml", "json", "name"].contains(&output) {
        return fail(format!(
            "unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml"
        ));
    }
    let selector = match line.selector() {
        Ok(s) => s,
        Err(message) => return fail(message),
    };
    if let Some(fields) = line.value("field-selector") {
        if let Err(message) = field_selector(fields) {
            return fail(message);
        }
    }
    let scope = Scope::of(line);
    let mut out = listing(
        cloud, cluster, line, kind, &names, &scope, &selector, output,
    );
    if line.has("watch") && out.status == 0 && output.is_empty() {
        watch(
            cloud, cluster, line, kind, &names, &scope, &selector, &mut out,
        );
    }
    let fargate = cloud
        .world()
        .eks()
        .profiles
        .keys()
        .any(|(c, _)| c == cluster);
    if kind == "daemonset" && fargate {
        out.notes.push("DESIRED counts EC2 nodes: Fargate runs no DaemonSet pods (each Fargate pod is a micro-VM whose node is tainted eks.amazonaws.com/compute-type=fargate:NoSchedule). On Fargate, run such an agent as a sidecar container in each pod.".into());
    }
    out
}

/// `kubectl get all` (pods, deployments and HPAs: the kinds of `all`
/// that Dockyard keeps) or `get deploy,hpa`: one table per kind that has
/// objects, each name led by its kind.
fn several(cloud: &mut dyn Cloud, cluster: &str, line: &Line, kinds: &str) -> Output {
    let kinds: Vec<&str> = if kinds == "all" {
        vec!["pod", "daemonset", "deployment", "hpa"]
    } else {
        let mut known = Vec::new();
        for word in kinds.split(',') {
            match canonical(word) {
                Some(kind) => known.push(kind),
                _ => {
                    return fail(format!(
                        "the server doesn't have a resource type \"{word}\""
                    ))
                }
            }
        }
        known
    };
    let output = line.value("output").unwrap_or("");
    if !["", "wide", "name"].contains(&output) {
        return Output::error(1, String::new()).note(
            "Dockyard prints several kinds at once as tables or names; ask for one kind at a time with -o yaml or -o json.",
        );
    }
    let selector = match line.selector() {
        Ok(s) => s,
        Err(message) => return fail(message),
    };
    let scope = Scope::of(line);
    let mut tables = Vec::new();
    for kind in kinds {
        let mut listed = listing(cloud, cluster, line, kind, &[], &scope, &selector, output);
        if listed.stdout.is_empty() {
            continue;
        }
        if output.is_empty() || output == "wide" {
            // Names led by their kind, as kubectl prints several kinds.
            let prefix = format!("{}/", short_resource(kind));
            let with_namespace = matches!(scope, Scope::All);
            listed.stdout = prefix_names(&listed.stdout, &prefix, with_namespace);
        }
        tables.push(listed.stdout);
    }
    if tables.is_empty() {
        return Output::error(
            0,
            format!("No resources found in {} namespace.\n", line.namespace()),
        );
    }
    Output::ok(tables.join("\n"))
}

/// A table again with each NAME led by `prefix` (`deployment.apps/`),
/// its columns re-aligned.
fn prefix_names(table: &str, prefix: &str, with_namespace: bool) -> String {
    let column = usize::from(with_namespace);
    let grid: Vec<Vec<String>> = table
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<String> = split_columns(line);
            if i > 0 {
                if let Some(name) = cells.get_mut(column) {
                    *name = format!("{prefix}{name}");
                }
            }
            cells
        })
        .collect();
    columns(&grid)
}

/// Splits a kubectl table row at its runs of three or more spaces.
fn split_columns(line: &str) -> Vec<String> {
    line.split("   ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .map(str::to_string)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn listing(
    cloud: &dyn Cloud,
    cluster: &str,
    line: &Line,
    kind: &str,
    names: &[String],
    scope: &Scope,
    selector: &super::Selector,
    output: &str,
) -> Output {
    let world = cloud.world();
    let eks = world.eks();
    let now = world.now();
    let objects = matches!(output, "json" | "yaml") || line.value("field-selector").is_some();
    let rows: Vec<Row> = match kind {
        "pod" => pods(eks, cluster)
            .filter(|(p, labels)| scope.admits(&p.namespace) && selector.matches(labels))
            .map(|(p, labels)| pod_row(eks, p, &labels, now, objects))
            .collect(),
        "node" => nodes(eks, cluster)
            .into_iter()
            .filter(|n| selector.matches(&n.labels))
            .map(|n| node_row(&n, now))
            .collect(),
        "deployment" | "daemonset" => eks
            .deployments
            .values()
            .filter(|d| d.cluster == cluster && scope.admits(&d.namespace))
            .filter(|d| !d.bare && d.daemon == (kind == "daemonset"))
            .filter(|d| selector.matches(&d.labels))
            .map(|d| match d.daemon {
                true => daemonset_row(d, now),
                false => deployment_row(d, now),
            })
            .collect(),
        "hpa" => eks
            .deployments
            .values()
            .filter(|d| d.cluster == cluster && d.hpa.is_some() && scope.admits(&d.namespace))
            .map(|d| hpa_row(eks, d, now))
            .collect(),
        "namespace" => eks
            .namespaces_of(cluster)
            .into_iter()
            .map(|n| Row {
                namespace: String::new(),
                name: n.clone(),
                labels: BTreeMap::from([("kubernetes.io/metadata.name".to_string(), n.clone())]),
                cells: vec!["Active".into(), age(0, now)],
                wide: vec![],
                object: json!({
                    "apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": n, "labels": {"kubernetes.io/metadata.name": n}},
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}
                }),
            })
            .collect(),
        "event" => events(cloud, eks, now)
            .into_iter()
            .filter(|e| scope.admits(&e.namespace))
            .collect(),
        "pvc" => super::storage::rows(eks, cluster, kind, now)
            .into_iter()
            .filter(|r| scope.admits(&r.namespace))
            .collect(),
        "pv" | "storageclass" => super::storage::rows(eks, cluster, kind, now),
        "pdb" => super::disruption::rows(eks, cluster, now)
            .into_iter()
            .filter(|r| scope.admits(&r.namespace))
            .collect(),
        _ => vec![],
    };
    let mut rows = rows;
    if let Some(Ok(fields)) = line.value("field-selector").map(field_selector) {
        rows.retain(|r| {
            fields
                .iter()
                .all(|(path, equal, value)| (field(&r.object, path) == *value) == *equal)
        });
    }
    if kind != "event" {
        // kubectl lists by namespace, then name.
        rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    }
    let rows: Vec<Row> = if names.is_empty() {
        rows
    } else {
        let mut found = Vec::new();
        let mut out = Output::default();
        for name in names {
            match rows.iter().find(|r| &r.name == name) {
                Some(row) => found.push(row.clone()),
                None => {
                    out.stderr.push_str(&format!(
                        "Error from server (NotFound): {} \"{name}\" not found\n",
                        resource(kind)
                    ));
                    out.status = 1;
                }
            }
        }
        if found.is_empty() {
            return out;
        }
        found
    };
    let namespaced = !matches!(kind, "node" | "namespace" | "pv" | "storageclass");
    if rows.is_empty() && output != "json" && output != "yaml" {
        let place = match scope {
            Scope::One(n) if namespaced => format!(" in {n} namespace"),
            _ => String::new(),
        };
        return Output::error(0, format!("No resources found{place}.\n"));
    }
    let text = match output {
        "name" => rows
            .iter()
            .map(|r| format!("{}/{}\n", short_resource(kind), r.name))
            .collect(),
        "json" | "yaml" => {
            let value = if names.len() == 1 && rows.len() == 1 {
                rows[0].object.clone()
            } else {
                json!({
                    "apiVersion": "v1",
                    "items": rows.iter().map(|r| r.object.clone()).collect::<Vec<_>>(),
                    "kind": "List",
                    "metadata": {"resourceVersion": ""}
                })
            };
            if output == "json" {
                serde_json::to_string_pretty(&value).expect("JSON") + "\n"
            } else {
                yaml::to_yaml(&value)
            }
        }
        _ => table(
            kind,
            &rows,
            line,
            matches!(scope, Scope::All) && namespaced,
            output == "wide",
        ),
    };
    Output::ok(text)
}

/// `--field-selector type=Warning,involvedObject.name!=web`: each
/// requirement as (field path, equal?, value).
fn field_selector(text: &str) -> Result<Vec<(String, bool, String)>, String> {
    text.split(',')
        .map(|term| {
            let (path, equal, value) = if let Some((p, v)) = term.split_once("!=") {
                (p, false, v)
            } else if let Some((p, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                (p, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{text}'; can't understand '{term}'"
                ));
            };
            Ok((path.trim().to_string(), equal, value.trim().to_string()))
        })
        .collect()
}

/// A field of an object by its dotted path, as text ("" when absent).
fn field(object: &Value, path: &str) -> String {
    let found = path.split('.').try_fold(object, |v, key| v.get(key));
    match found {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// One object as a table row, with its object for `-o yaml|json`.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) cells: Vec<String>,
    pub(crate) wide: Vec<String>,
    pub(crate) object: Value,
}

fn headers(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "pod" => (
            &["READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        "node" => (
            &["STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        "deployment" => (
            &["READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "daemonset" => (
            &[
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "hpa" => (
            &[
                "REFERENCE",
                "TARGETS",
                "MINPODS",
                "MAXPODS",
                "REPLICAS",
                "AGE",
            ],
            &[],
        ),
        "namespace" => (&["STATUS", "AGE"], &[]),
        "pdb" => (
            &[
                "MIN AVAILABLE",
                "MAX UNAVAILABLE",
                "ALLOWED DISRUPTIONS",
                "AGE",
            ],
            &[],
        ),
        "pvc" => (
            &[
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        "pv" => (
            &[
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &[],
        ),
        "storageclass" => (
            &[
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            &[],
        ),
        "event" => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        _ => (&[], &[]),
    }
}

/// kubectl's table: columns padded to their widest cell plus three spaces.
fn table(kind: &str, rows: &[Row], line: &Line, with_namespace: bool, wide: bool) -> String {
    let (cells, wide_cells) = headers(kind);
    let mut header: Vec<String> = Vec::new();
    if with_namespace {
        header.push("NAMESPACE".into());
    }
    if kind != "event" {
        header.push("NAME".into());
    }
    header.extend(cells.iter().map(|c| c.to_string()));
    if wide {
        header.extend(wide_cells.iter().map(|c| c.to_string()));
    }
    // -L: a column per label key, headed by the key's last segment in
    // capitals (`-L topology.kubernetes.io/zone` is ZONE).
    let label_columns: Vec<&str> = line
        .all("label-columns")
        .into_iter()
        .flat_map(|keys| keys.split(','))
        .filter(|key| !key.is_empty())
        .collect();
    header.extend(
        label_columns
            .iter()
            .map(|key| key.rsplit('/').next().unwrap_or(key).to_uppercase()),
    );
    let show_labels = line.has("show-labels");
    if show_labels {
        header.push("LABELS".into());
    }
    let mut grid: Vec<Vec<String>> = Vec::new();
    if !line.has("no-headers") {
        grid.push(header);
    }
    for row in rows {
        let mut cells = Vec::new();
        if with_namespace {
            cells.push(row.namespace.clone());
        }
        if kind != "event" {
            cells.push(row.name.clone());
        }
        cells.extend(row.cells.iter().cloned());
        if wide {
            cells.extend(row.wide.iter().cloned());
        }
        for key in &label_columns {
            cells.push(row.labels.get(*key).cloned().unwrap_or_default());
        }
        if show_labels {
            let labels: Vec<String> = row.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            cells.push(if labels.is_empty() {
                "<none>".into()
            } else {
                labels.join(",")
            });
        }
        grid.push(cells);
    }
    columns(&grid)
}

pub(super) fn columns(grid: &[Vec<String>]) -> String {
    let count = grid.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            grid.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in grid {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `deployments.apps`, as the API server names a resource in errors.
pub(super) fn resource(kind: &str) -> &'static str {
    match kind {
        "pod" => "pods",
        "node" => "nodes",
        "deployment" => "deployments.apps",
        "daemonset" => "daemonsets.apps",
        "hpa" => "horizontalpodautoscalers.autoscaling",
        "namespace" => "namespaces",
        "event" => "events",
        "pvc" => "persistentvolumeclaims",
        "pv" => "persistentvolumes",
        "storageclass" => "storageclasses.storage.k8s.io",
        "pdb" => "poddisruptionbudgets.policy",
        _ => "resources",
    }
}

fn short_resource(kind: &str) -> &'static str {
    match kind {
        "pod" => "pod",
        "node" => "node",
        "deployment" => "deployment.apps",
        "daemonset" => "daemonset.apps",
        "hpa" => "horizontalpodautoscaler.autoscaling",
        "namespace" => "namespace",
        "pvc" => "persistentvolumeclaim",
        "pv" => "persistentvolume",
        "storageclass" => "storageclass.storage.k8s.io",
        "pdb" => "poddisruptionbudget.policy",
        _ => "event",
    }
}

/// A Kubernetes timestamp on the simulated clock (second 0 is
/// 2026-01-01T00:00:00Z, as the AWS CLI's timestamps).
pub(super) fn creation(at: Millis) -> String {
    crate::aws::time::timestamp(at - at % 1000).replace("+00:00", "Z")
}

/// A container's `resources`: its requests, or `{}` when it sets none.
fn requests(cpu: u32, memory: u32) -> Value {
    let mut requests = serde_json::Map::new();
    if cpu > 0 {
        requests.insert("cpu".into(), json!(quantity::cpu_text(cpu)));
    }
    if memory > 0 {
        requests.insert("memory".into(), json!(quantity::memory_text(memory)));
    }
    if requests.is_empty() {
        json!({})
    } else {
        json!({ "requests": requests })
    }
}

/// The pods of `cluster`, with the labels kubectl shows on them (the pod
/// template's, as the deployment gives them).
pub(super) fn pods<'a>(
    eks: &'a Eks,
    cluster: &'a str,
) -> impl Iterator<Item = (&'a Pod, BTreeMap<String, String>)> + 'a {
    eks.pods
        .values()
        .filter(move |p| p.cluster == cluster)
        .map(move |p| {
            let labels = eks
                .deployments
                .get(&p.deployment)
                .map(|d| d.labels.clone())
                .unwrap_or_default();
            (p, labels)
        })
}

/// A pod's IP, made up from its number but stable (the VPC CNI gives
/// pods addresses from the VPC's subnets; Dockyard does not model them).
pub(super) fn pod_ip(pod: &Pod) -> Option<String> {
    if pod.placement == PodPlacement::Unscheduled {
        return None;
    }
    let n = pod.number;
    Some(format!("10.0.{}.{}", 128 + (n / 250) % 120, n % 250 + 2))
}

/// The node a pod runs on: its EC2 node, or on Fargate the node object
/// EKS registers for the pod's own micro-VM (`fargate-ip-...`).
pub(super) fn node_of(pod: &Pod) -> Option<String> {
    match &pod.placement {
        PodPlacement::Unscheduled => None,
        PodPlacement::Node { node } => Some(node.clone()),
        PodPlacement::Fargate { .. } => {
            let ip = pod_ip(pod).unwrap_or_default();
            Some(format!("fargate-ip-{}.ec2.internal", ip.replace('.', "-")))
        }
    }
}

pub(super) fn status(pod: &Pod) -> &'static str {
    match pod.phase {
        PodPhase::Pending => "Pending",
        PodPhase::ContainerCreating => "ContainerCreating",
        PodPhase::Running => "Running",
        PodPhase::Terminating => "Terminating",
    }
}

fn containers_of(eks: &Eks, pod: &Pod) -> Vec<(String, String)> {
    let listed = eks
        .deployments
        .get(&pod.deployment)
        .map(|d| {
            d.containers
                .iter()
                .map(|c| (c.name.clone(), c.image.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if listed.is_empty() {
        vec![(pod.deployment.clone(), "<not given>".into())]
    } else {
        listed
    }
}

/// A pod's row; its object only when it is printed or filtered on (a
/// thousand JSON objects would cost more than the table itself).
fn pod_row(
    eks: &Eks,
    pod: &Pod,
    labels: &BTreeMap<String, String>,
    now: Millis,
    objects: bool,
) -> Row {
    let containers = containers_of(eks, pod);
    // A terminating pod's containers run until their grace period ends.
    let ready = if matches!(pod.phase, PodPhase::Running | PodPhase::Terminating) {
        containers.len()
    } else {
        0
    };
    let ip = pod_ip(pod);
    let node = node_of(pod);
    let object = if !objects {
        Value::Null
    } else {
        json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": pod.name, "namespace": pod.namespace, "labels": labels,
            "creationTimestamp": creation(pod.created_at),
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": pod.deployment, "controller": true}],
        },
        "spec": {
            "containers": containers.iter().map(|(name, image)| json!({
                "name": name, "image": image,
                "resources": requests(pod.cpu / containers.len() as u32, pod.memory / containers.len() as u32),
            })).collect::<Vec<_>>(),
            "nodeName": node,
            "schedulerName": if pod.fargate_profile.is_some() { "fargate-scheduler" } else { "default-scheduler" },
        },
        "status": {
            "phase": match pod.phase { PodPhase::ContainerCreating => "Pending", PodPhase::Terminating => "Running", _ => status(pod) },
            "podIP": ip,
        },
        })
    };
    Row {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
        labels: labels.clone(),
        cells: vec![
            format!("{ready}/{}", containers.len()),
            status(pod).into(),
            "0".into(),
            age(pod.created_at, now),
        ],
        wide: vec![
            ip.unwrap_or_else(|| "<none>".into()),
            node.unwrap_or_else(|| "<none>".into()),
            "<none>".into(),
            "<none>".into(),
        ],
        object,
    }
}

/// A node as Kubernetes lists it. Only nodes whose kubelet has joined
/// appear: an instance still booting, or one whose role EKS does not
/// authorise, is in EC2 but not in `kubectl get nodes`.
pub(super) struct NodeView {
    pub(crate) name: String,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) since: Millis,
    pub(crate) ip: String,
    pub(crate) cpu: u32,
    pub(crate) memory: u32,
    pub(crate) requested_cpu: u32,
    pub(crate) requested_memory: u32,
    pub(crate) pods: Vec<String>,
    pub(crate) instance_type: String,
    pub(crate) zone: String,
    pub(crate) fargate: bool,
    /// As `kubectl describe node` lists them (`key=value:Effect`).
    pub(crate) taints: Vec<String>,
}

pub(super) fn nodes(eks: &Eks, cluster: &str) -> Vec<NodeView> {
    let mut all: Vec<NodeView> = eks
        .nodes
        .values()
        .filter(|n| n.cluster == cluster && n.ready)
        .map(|n| ec2_node(eks, n))
        .collect();
    for (pod, _) in pods(eks, cluster) {
        if let PodPlacement::Fargate {
            cpu_units,
            memory_mib,
        } = pod.placement
        {
            let name = node_of(pod).expect("placed");
            all.push(NodeView {
                labels: BTreeMap::from([
                    ("eks.amazonaws.com/compute-type".into(), "fargate".into()),
                    ("kubernetes.io/hostname".into(), name.clone()),
                ]),
                name,
                since: pod.scheduled_at.unwrap_or(pod.created_at),
                ip: pod_ip(pod).unwrap_or_default(),
                cpu: cpu_units,
                memory: memory_mib,
                requested_cpu: pod.cpu,
                requested_memory: pod.memory,
                pods: vec![pod.name.clone()],
                instance_type: String::new(),
                zone: String::new(),
                fargate: true,
                taints: vec!["eks.amazonaws.com/compute-type=fargate:NoSchedule".into()],
            });
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

fn ec2_node(eks: &Eks, n: &Node) -> NodeView {
    let ip = n
        .name
        .trim_start_matches("ip-")
        .split('.')
        .next()
        .unwrap_or_default()
        .replace('-', ".");
    let labels = eks.node_labels(n);
    NodeView {
        name: n.name.clone(),
        labels,
        since: n.launched_at,
        ip,
        cpu: n.allocatable_cpu,
        memory: n.allocatable_memory,
        requested_cpu: n.requested_cpu,
        requested_memory: n.requested_memory,
        pods: n.pods.iter().cloned().collect(),
        instance_type: n.instance_type.to_string(),
        zone: n.az.clone(),
        fargate: false,
        taints: n.taints.iter().map(ToString::to_string).collect(),
    }
}

fn node_row(n: &NodeView, now: Millis) -> Row {
    let object = json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": n.name, "labels": n.labels, "creationTimestamp": creation(n.since)},
        "status": {
            "allocatable": {"cpu": quantity::cpu_text(n.cpu), "memory": quantity::memory_text(n.memory)},
            "addresses": [{"type": "InternalIP", "address": n.ip}],
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
            "nodeInfo": {"kubeletVersion": SERVER_VERSION},
        },
    });
    Row {
        namespace: String::new(),
        name: n.name.clone(),
        labels: n.labels.clone(),
        cells: vec![
            "Ready".into(),
            "<none>".into(),
            age(n.since, now),
            SERVER_VERSION.into(),
        ],
        wide: vec![
            n.ip.clone(),
            "<none>".into(),
            "Amazon Linux 2023".into(),
            "6.1 (illustrative)".into(),
            "containerd://1.7".into(),
        ],
        object,
    }
}

fn deployment_row(d: &Deployment, now: Millis) -> Row {
    let running = d.count(PodPhase::Running);
    let live = d.count(PodPhase::Pending) + d.count(PodPhase::ContainerCreating) + running;
    let names: Vec<&str> = d.containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = d.containers.iter().map(|c| c.image.as_str()).collect();
    let selector: Vec<String> = d.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let object = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": d.name, "namespace": d.namespace, "creationTimestamp": creation(d.created_at)},
        "spec": {
            "replicas": d.replicas,
            "selector": {"matchLabels": d.labels},
            "template": {
                "metadata": {"labels": d.labels},
                "spec": {"containers": d.containers.iter().map(|c| json!({
                    "name": c.name, "image": c.image,
                    "resources": requests(d.cpu / d.containers.len() as u32, d.memory / d.containers.len() as u32),
                })).collect::<Vec<_>>()},
            },
        },
        "status": {"replicas": live, "readyReplicas": running, "availableReplicas": running, "updatedReplicas": live.min(d.replicas)},
    });
    Row {
        namespace: d.namespace.clone(),
        name: d.name.clone(),
        labels: d.labels.clone(),
        cells: vec![
            format!("{running}/{}", d.replicas),
            live.min(d.replicas).to_string(),
            running.to_string(),
            age(d.created_at, now),
        ],
        wide: vec![
            if names.is_empty() {
                "<none>".into()
            } else {
                names.join(",")
            },
            if images.is_empty() {
                "<none>".into()
            } else {
                images.join(",")
            },
            if selector.is_empty() {
                "<none>".into()
            } else {
                selector.join(",")
            },
        ],
        object,
    }
}

/// A DaemonSet's row: DESIRED is the nodes it belongs on.
fn daemonset_row(d: &Deployment, now: Millis) -> Row {
    let mut row = deployment_row(d, now);
    let running = d.count(PodPhase::Running);
    let live = d.count(PodPhase::Pending) + d.count(PodPhase::ContainerCreating) + running;
    let selector: Vec<String> = d
        .node_rules
        .node_selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    row.cells = vec![
        d.replicas.to_string(),
        live.to_string(),
        running.to_string(),
        live.to_string(),
        running.to_string(),
        if selector.is_empty() {
            "<none>".into()
        } else {
            selector.join(",")
        },
        age(d.created_at, now),
    ];
    row.object["kind"] = json!("DaemonSet");
    if let Some(spec) = row.object["spec"].as_object_mut() {
        spec.remove("replicas");
    }
    row.object["status"] = json!({
        "desiredNumberScheduled": d.replicas,
        "currentNumberScheduled": live,
        "numberReady": running,
        "numberAvailable": running,
        "updatedNumberScheduled": live,
    });
    row
}

/// The HPA's TARGETS cell: the utilisation it last acted on, over its
/// target (kubectl 1.30 and later print `cpu: 45%/50%`).
pub(super) fn hpa_targets(eks: &Eks, d: &Deployment, now: Millis) -> String {
    let hpa = d.hpa.as_ref().expect("an HPA");
    let current = match eks.snapshot(&d.name, now) {
        Some(s) if eks.hpa_cannot_compute(d).is_none() => {
            format!("{}%", s.cpu_utilization.round())
        }
        _ => "<unknown>".into(),
    };
    format!("cpu: {current}/{}%", hpa.target_cpu_utilization.round())
}

fn hpa_row(eks: &Eks, d: &Deployment, now: Millis) -> Row {
    let hpa = d.hpa.as_ref().expect("an HPA");
    let name = hpa.name.clone().unwrap_or_else(|| d.name.clone());
    let object = json!({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "namespace": d.namespace, "creationTimestamp": creation(d.created_at)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": d.name},
            "minReplicas": hpa.min_replicas, "maxReplicas": hpa.max_replicas,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": hpa.target_cpu_utilization.round() as u64}}}],
        },
        "status": {"currentReplicas": d.count(PodPhase::Running), "desiredReplicas": d.replicas},
    });
    Row {
        namespace: d.namespace.clone(),
        name,
        labels: BTreeMap::new(),
        cells: vec![
            format!("Deployment/{}", d.name),
            hpa_targets(eks, d, now),
            hpa.min_replicas.to_string(),
            hpa.max_replicas.to_string(),
            d.count(PodPhase::Running).to_string(),
            age(d.created_at, now),
        ],
        wide: vec![],
        object,
    }
}

/// How long `-w` follows the clock: kubectl watches until Ctrl-C; this
/// terminal cannot be interrupted mid-command, so it stops after a while.
const WATCH_SECONDS: u64 = 120;
const WATCH_STEP: Millis = 5_000;

/// `-w`: after the listing, each row that changes, as the clock moves.
#[allow(clippy::too_many_arguments)]
fn watch(
    cloud: &mut dyn Cloud,
    cluster: &str,
    line: &Line,
    kind: &str,
    names: &[String],
    scope: &Scope,
    selector: &super::Selector,
    out: &mut Output,
) {
    let quiet = Line {
        words: line.words.clone(),
        values: line.values.clone(),
        switches: vec!["no-headers"],
    };
    let snapshot = |cloud: &dyn Cloud| -> Vec<String> {
        let listed = listing(cloud, cluster, &quiet, kind, names, scope, selector, "");
        listed.stdout.lines().map(str::to_string).collect()
    };
    // Rows are compared without their AGE, which changes every second.
    let key = |row: &str| {
        let mut cells: Vec<&str> = row.split_whitespace().collect();
        if kind != "event" && cells.len() > 1 {
            cells.retain(|c| !looks_like_age(c));
        }
        cells.join(" ")
    };
    let mut seen: Vec<String> = snapshot(cloud).iter().map(|r| key(r)).collect();
    let mut waited = 0;
    while waited < WATCH_SECONDS * 1000 {
        let moved = cloud.advance(WATCH_STEP);
        if moved == 0 {
            break;
        }
        waited += moved;
        for row in snapshot(cloud) {
            let k = key(&row);
            if !seen.contains(&k) {
                out.stdout.push_str(&row);
                out.stdout.push('\n');
                seen.push(k);
            }
        }
    }
    out.notes.push(format!(
        "kubectl -w watches until you press Ctrl-C; Dockyard followed the simulated clock for {} s and stopped.",
        waited / 1000
    ));
}

fn looks_like_age(cell: &str) -> bool {
    !cell.is_empty()
        && cell.chars().next().is_some_and(|c| c.is_ascii_digit())
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || "smhd".contains(c))
        && cell.chars().last().is_some_and(|c| "smhd".contains(c))
}
