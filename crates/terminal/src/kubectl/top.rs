//! `kubectl top pods|nodes`: the CPU the metrics-server add-on would
//! report, from the load the model plays (the same figure the HPA acts
//! on). The model has no memory use, so MEMORY is each pod's request, and
//! a note says so; a node's figures are the sums of its pods' (the
//! kubelet and system daemons use some more on a real node).

use std::collections::BTreeMap;

use dockyard_model::sim::eks::{Eks, Pod, PodPhase};
use dockyard_model::sim::Millis;

use super::get::{columns, node_of, nodes, pods};
use super::{fail, Line};
use crate::{Cloud, Output};

const HELP: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]
";

const METRICS_NOTE: &str = "Dockyard's clusters behave as if the metrics-server add-on were installed (the HPA needs it); a new EKS cluster has none until you add it. CPU is the load Dockyard plays, shared by the deployment's Running pods; Dockyard does not simulate memory use, so MEMORY shows each pod's request.";

pub(super) fn run(cloud: &dyn Cloud, cluster: &str, line: &Line) -> Output {
    let eks = cloud.world().eks();
    let now = cloud.world().now();
    match line.words.get(1).map(String::as_str) {
        None => Output::ok(HELP),
        Some("pod" | "pods" | "po") => top_pods(eks, cluster, line, now),
        Some("node" | "nodes" | "no") => top_nodes(eks, cluster, line, now),
        Some(other) => fail(format!("unknown command \"{other}\" for \"kubectl top\"")),
    }
}

fn top_pods(eks: &Eks, cluster: &str, line: &Line, now: Millis) -> Output {
    let selector = match line.selector() {
        Ok(s) => s,
        Err(message) => return fail(message),
    };
    let all = line.has("all-namespaces");
    let wanted = line.words.get(2);
    let running: Vec<(&Pod, BTreeMap<String, String>)> = pods(eks, cluster)
        .filter(|(p, _)| p.phase == PodPhase::Running)
        .filter(|(p, _)| all || p.namespace == line.namespace())
        .filter(|(_, labels)| selector.matches(labels))
        .filter(|(p, _)| wanted.is_none_or(|w| *w == p.name))
        .collect();
    if running.is_empty() {
        return match wanted {
            Some(name) => fail(format!("pods \"{name}\" not found")),
            None => fail("metrics not available yet"),
        }
        .note(METRICS_NOTE);
    }
    let mut grid = vec![Vec::new()];
    if all {
        grid[0].push("NAMESPACE".to_string());
    }
    grid[0].extend(["NAME", "CPU(cores)", "MEMORY(bytes)"].map(String::from));
    for (pod, _) in running {
        let mut row = Vec::new();
        if all {
            row.push(pod.namespace.clone());
        }
        row.push(pod.name.clone());
        row.push(format!("{}m", eks.pod_cpu_used(pod, now)));
        row.push(format!("{}Mi", pod.memory));
        grid.push(row);
    }
    Output::ok(columns(&grid)).note(METRICS_NOTE)
}

fn top_nodes(eks: &Eks, cluster: &str, line: &Line, now: Millis) -> Output {
    let selector = match line.selector() {
        Ok(s) => s,
        Err(message) => return fail(message),
    };
    let views = nodes(eks, cluster);
    let views: Vec<_> = views
        .iter()
        .filter(|n| selector.matches(&n.labels))
        .filter(|n| line.words.get(2).is_none_or(|w| *w == n.name))
        .collect();
    if views.is_empty() {
        return fail("metrics not available yet").note(METRICS_NOTE);
    }
    let mut grid = vec![
        ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
            .map(String::from)
            .to_vec(),
    ];
    for n in views {
        let on_node = eks
            .pods
            .values()
            .filter(|p| p.phase == PodPhase::Running && node_of(p).as_deref() == Some(&n.name));
        let (cpu, memory) = on_node.fold((0u32, 0u32), |(c, m), p| {
            (c + eks.pod_cpu_used(p, now), m + p.memory)
        });
        let percent = |used: u32, of: u32| (f64::from(used) * 100.0 / f64::from(of.max(1))).round();
        grid.push(vec![
            n.name.clone(),
            format!("{cpu}m"),
            format!("{}%", percent(cpu, n.cpu)),
            format!("{memory}Mi"),
            format!("{}%", percent(memory, n.memory)),
        ]);
    }
    Output::ok(columns(&grid)).note(METRICS_NOTE)
}
