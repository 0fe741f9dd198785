//! `kubectl describe`: a pod, node, deployment or HPA in kubectl's layout,
//! with its conditions and the events the scheduler, kubelet and
//! controllers recorded about it, worded as theirs are.

use dockyard_model::sim::eks::{
    Deployment, Eks, PodPhase, PodPlacement, PodStorage, Provisioning, Toleration,
};
use dockyard_model::sim::Millis;

use super::events::kube_events;
use super::get::{self, columns, creation, hpa_targets, node_of, pod_ip, pods, status};
use super::{age, fail, quantity, Line};
use crate::{Cloud, Output};

pub(super) fn run(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let words = &line.words[1..];
    let Some(first) = words.first() else {
        return fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    let (kind_word, names): (&str, Vec<String>) = match first.split_once('/') {
        Some((kind, name)) => (kind, vec![name.to_string()]),
        None => (first, words[1..].to_vec()),
    };
    let Some(kind) = get::canonical(kind_word) else {
        return fail(format!(
            "the server doesn't have a resource type \"{kind_word}\""
        ));
    };
    let world = cloud.world();
    let (eks, now) = (world.eks(), world.now());
    let namespace = line.namespace();
    let all = line.has("all-namespaces");
    let in_scope = |ns: &str| all || ns == namespace;
    // Without names, every object of the kind in the namespace.
    let names: Vec<String> = if names.is_empty() {
        match kind {
            "pod" => pods(eks, cluster)
                .filter(|(p, _)| in_scope(&p.namespace))
                .map(|(p, _)| p.name.clone())
                .collect(),
            "node" => get::nodes(eks, cluster)
                .into_iter()
                .map(|n| n.name)
                .collect(),
            "pv" => eks
                .storage
                .volumes
                .values()
                .filter(|v| v.spec.cluster == cluster)
                .map(|v| v.spec.name.clone())
                .collect(),
            "pvc" => eks
                .storage
                .claims
                .values()
                .filter(|c| c.spec.cluster == cluster && in_scope(&c.spec.namespace))
                .map(|c| c.spec.name.clone())
                .collect(),
            "deployment" | "hpa" => eks
                .deployments
                .values()
                .filter(|d| {
                    d.cluster == cluster
                        && in_scope(&d.namespace)
                        && (kind == "deployment" || d.hpa.is_some())
                })
                .map(|d| {
                    if kind == "hpa" {
                        hpa_name(d)
                    } else {
                        d.name.clone()
                    }
                })
                .collect(),
            _ => vec![],
        }
    } else {
        names
    };
    let mut out = Output::default();
    let mut blocks = Vec::new();
    for name in &names {
        let block = match kind {
            "pod" => eks.pods.get(name).filter(|p| p.cluster == cluster && in_scope(&p.namespace)).map(|_| pod(cloud, eks, name, now)),
            "node" => get::nodes(eks, cluster).into_iter().find(|n| &n.name == name).map(|n| node(cloud, eks, &n, now)),
            "deployment" => eks
                .deployments
                .get(name)
                .filter(|d| d.cluster == cluster && in_scope(&d.namespace) && !d.daemon && !d.bare)
                .map(|d| deployment(cloud, eks, d, now)),
            "hpa" => eks
                .deployments
                .values()
                .find(|d| d.cluster == cluster && in_scope(&d.namespace) && d.hpa.is_some() && &hpa_name(d) == name)
                .map(|d| hpa(cloud, eks, d, now)),
            "pvc" => super::storage::describe_claim(eks, cluster, namespace, name, now),
            "pv" => super::storage::describe_volume(eks, cluster, name),
            "storageclass" => {
                return Output::error(1, String::new()).note(
                    "Dockyard describes pvc and pv, not storageclass yet: kubectl get storageclass -o yaml shows one whole.",
                )
            }
            _ => {
                return Output::error(1, String::new()).note(format!("Dockyard describes pods, nodes, deployments and hpa, not {kind_word}."))
            }
        };
        match block {
            Some(text) => blocks.push(text),
            None => {
                out.stderr.push_str(&format!(
                    "Error from server (NotFound): {} \"{name}\" not found\n",
                    get::resource(kind)
                ));
                out.status = 1;
            }
        }
    }
    if names.is_empty() {
        out.stderr
            .push_str(&format!("No resources found in {namespace} namespace.\n"));
    }
    out.stdout = blocks.join("\n\n");
    if !out.stdout.is_empty() {
        out.stdout.push('\n');
    }
    out
}

fn hpa_name(d: &Deployment) -> String {
    d.hpa
        .as_ref()
        .and_then(|h| h.name.clone())
        .unwrap_or_else(|| d.name.clone())
}

/// `Thu, 01 Jan 2026 00:10:00 +0000`, as describe prints a time.
fn rfc1123(at: Millis) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let stamp = creation(at); // 2026-01-01T00:10:00Z
    let (date, clock) = stamp
        .trim_end_matches('Z')
        .split_once('T')
        .unwrap_or((&stamp, ""));
    let mut parts = date.split('-').map(|p| p.parse::<usize>().unwrap_or(1));
    let (year, month, day) = (
        parts.next().unwrap_or(2026),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    // 2026-01-01, the simulation's day 0, was a Thursday.
    let weekday = DAYS[(at / 86_400_000 % 7) as usize];
    format!(
        "{weekday}, {day:02} {} {year} {clock} +0000",
        MONTHS[month - 1]
    )
}

/// A key-value block: keys padded so that values line up.
fn fields(rows: &[(&str, String)], width: usize) -> String {
    rows.iter()
        .map(|(k, v)| format!("{:<width$}{v}\n", format!("{k}:")))
        .collect()
}

fn labels_text(labels: &std::collections::BTreeMap<String, String>, indent: usize) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    let pad = " ".repeat(indent);
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(&format!("\n{pad}"))
}

/// The Events section for one object (`pod/web-00001`).
fn events_section(
    cloud: &dyn Cloud,
    eks: &Eks,
    object: &str,
    now: Millis,
    fargate: bool,
) -> String {
    let events: Vec<_> = kube_events(eks, cloud.events())
        .into_iter()
        .filter(|e| e.object == object)
        .collect();
    if events.is_empty() {
        return "Events:  <none>\n".into();
    }
    let mut grid = vec![
        vec![
            "Type".into(),
            "Reason".into(),
            "Age".into(),
            "From".into(),
            "Message".into(),
        ],
        vec![
            "----".into(),
            "------".into(),
            "----".into(),
            "----".into(),
            "-------".into(),
        ],
    ];
    for e in events {
        let from = match e.reason {
            "FailedScheduling" | "Scheduled" if fargate => "fargate-scheduler",
            "FailedScheduling" | "Scheduled" => "default-scheduler",
            "ScalingReplicaSet" => "deployment-controller",
            "FailedAttachVolume" => "attachdetach-controller",
            "SuccessfulRescale" => "horizontal-pod-autoscaler",
            "RemovingNode" => "node-controller",
            _ => "kubelet",
        };
        grid.push(vec![
            if e.warning { "Warning" } else { "Normal" }.into(),
            e.reason.into(),
            age(e.at, now),
            from.into(),
            e.message,
        ]);
    }
    let table = columns(&grid);
    let mut text = String::from("Events:\n");
    for line in table.lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn pod(cloud: &dyn Cloud, eks: &Eks, name: &str, now: Millis) -> String {
    let pod = &eks.pods[name];
    let d = eks.deployments.get(&pod.deployment);
    let labels = d.map(|d| d.labels.clone()).unwrap_or_default();
    let fargate = pod.fargate_profile.is_some();
    let node = match (node_of(pod), pod_ip(pod)) {
        (Some(node), Some(ip)) => {
            let host_ip = match &pod.placement {
                PodPlacement::Node { node } => node
                    .trim_start_matches("ip-")
                    .split('.')
                    .next()
                    .unwrap_or("")
                    .replace('-', "."),
                _ => ip,
            };
            format!("{node}/{host_ip}")
        }
        _ => "<none>".into(),
    };
    let mut annotations = Vec::new();
    if let PodPlacement::Fargate {
        cpu_units,
        memory_mib,
    } = pod.placement
    {
        annotations.push(format!(
            "CapacityProvisioned: {}vCPU {}GB",
            f64::from(cpu_units) / 1024.0,
            f64::from(memory_mib) / 1024.0
        ));
        annotations.push("Logging: LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND".into());
    }
    let mut rows = vec![
        ("Name", pod.name.clone()),
        ("Namespace", pod.namespace.clone()),
        ("Priority", "0".into()),
        ("Service Account", "default".into()),
        ("Node", node),
    ];
    if let Some(at) = pod.scheduled_at {
        rows.push(("Start Time", rfc1123(at)));
    }
    rows.push(("Labels", labels_text(&labels, 18)));
    rows.push((
        "Annotations",
        if annotations.is_empty() {
            "<none>".into()
        } else {
            annotations.join(&format!("\n{}", " ".repeat(18)))
        },
    ));
    rows.push((
        "Status",
        status(pod).replace("ContainerCreating", "Pending"),
    ));
    rows.push(("IP", pod_ip(pod).unwrap_or_default()));
    // A bare Pod has no controller.
    match d {
        Some(d) if d.bare => {}
        Some(d) if d.daemon => {
            rows.push(("Controlled By", format!("DaemonSet/{}", pod.deployment)))
        }
        _ => rows.push(("Controlled By", format!("ReplicaSet/{}", pod.deployment))),
    }
    let mut text = fields(&rows, 18);
    text.push_str("Containers:\n");
    let containers = d
        .map(|d| {
            d.containers
                .iter()
                .map(|c| (c.name.clone(), c.image.clone()))
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| vec![(pod.deployment.clone(), "<not given>".into())]);
    let share = containers.len() as u32;
    for (container, image) in &containers {
        let state = match pod.phase {
            PodPhase::Running | PodPhase::Terminating => "Running".to_string(),
            PodPhase::ContainerCreating => {
                "Waiting\n      Reason:       ContainerCreating".to_string()
            }
            PodPhase::Pending => "Waiting".to_string(),
        };
        text.push_str(&format!(
            "  {container}:\n    Image:          {image}\n    State:          {state}\n    Ready:          {}\n{}",
            if pod.phase == PodPhase::Running { "True" } else { "False" },
            requests_text(pod.cpu / share, pod.memory / share, "    "),
        ));
    }
    let scheduled = pod.placement != PodPlacement::Unscheduled;
    let running = pod.phase == PodPhase::Running;
    let tf = |b: bool| if b { "True" } else { "False" };
    text.push_str(&format!(
        "Conditions:\n  Type              Status\n  PodScheduled      {}\n",
        tf(scheduled)
    ));
    if scheduled {
        text.push_str(&format!(
            "  Initialized       True\n  ContainersReady   {}\n  Ready             {}\n",
            tf(running),
            tf(running)
        ));
    }
    let claim_name = d
        .and_then(|d| d.claim.clone())
        .unwrap_or_else(|| "data".into());
    if let Some(claim) = d
        .and_then(|d| d.claim.clone())
        .filter(|_| d.and_then(|d| eks.volume_of(d)).is_none())
    {
        text.push_str(&format!(
            "Volumes:\n  {claim}:\n    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  {claim}\n"
        ));
    } else if let Some(volume) = d.and_then(|d| eks.volume_of(d)) {
        let (driver, mode) = match volume.storage {
            PodStorage::Ebs => ("ebs.csi.aws.com", "ReadWriteOnce"),
            PodStorage::Efs => ("efs.csi.aws.com", "ReadWriteMany"),
            PodStorage::FsxLustre => ("fsx.csi.aws.com", "ReadWriteMany"),
        };
        let how = match volume.provisioning {
            Provisioning::Dynamic => "dynamically provisioned by a StorageClass",
            Provisioning::Static => "a PersistentVolume made beforehand",
        };
        text.push_str(&format!(
            "Volumes:\n  {claim_name}:\n    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  {claim_name}\n    Driver:     {driver} ({mode}; {how})\n"
        ));
    } else {
        text.push_str("Volumes:           <none>\n");
    }
    // Requests without limits make a pod Burstable; no requests at all,
    // BestEffort (Dockyard does not keep limits, so never Guaranteed).
    let qos = if pod.cpu == 0 && pod.memory == 0 {
        "BestEffort"
    } else {
        "Burstable"
    };
    // The API server's DefaultTolerationSeconds admission plugin adds
    // the last two to every pod.
    let pad = " ".repeat(29);
    let rules = d.map(|d| d.node_rules.clone()).unwrap_or_default();
    let mut tolerations: Vec<String> = rules.tolerations.iter().map(toleration_text).collect();
    tolerations.push("node.kubernetes.io/not-ready:NoExecute op=Exists for 300s".into());
    tolerations.push("node.kubernetes.io/unreachable:NoExecute op=Exists for 300s".into());
    text.push_str(&format!(
        "{:<29}{qos}\n{:<29}{}\n{:<29}{}\n",
        "QoS Class:",
        "Node-Selectors:",
        labels_text(&rules.node_selector, 29),
        "Tolerations:",
        tolerations.join(&format!("\n{pad}"))
    ));
    text.push_str(&events_section(
        cloud,
        eks,
        &format!("pod/{name}"),
        now,
        fargate,
    ));
    text.trim_end().to_string()
}

/// A toleration as `kubectl describe pod` lists it (`key=value:Effect`,
/// `key:Effect op=Exists`).
fn toleration_text(t: &Toleration) -> String {
    let mut text = t.key.clone();
    if !t.value.is_empty() {
        text.push_str(&format!("={}", t.value));
    }
    if let Some(effect) = t.effect {
        text.push_str(&format!(":{}", effect.name()));
    }
    if t.exists && t.value.is_empty() {
        if t.key.is_empty() && t.effect.is_none() {
            text.push_str("op=Exists");
        } else {
            text.push_str(" op=Exists");
        }
    }
    text
}

fn node(cloud: &dyn Cloud, eks: &Eks, n: &get::NodeView, now: Millis) -> String {
    let mut text = fields(
        &[
            ("Name", n.name.clone()),
            ("Roles", "<none>".into()),
            ("Labels", labels_text(&n.labels, 20)),
            ("CreationTimestamp", rfc1123(n.since)),
        ],
        20,
    );
    let taints = if n.taints.is_empty() {
        "<none>".to_string()
    } else {
        n.taints.join(&format!("\n{:<20}", ""))
    };
    text.push_str(&format!("{:<20}{taints}\n", "Taints:"));
    text.push_str(&format!(
        "Conditions:\n  Type    Status  Reason        Message\n  ----    ------  ------        -------\n  Ready   True    KubeletReady  kubelet is posting ready status\nAddresses:\n  InternalIP:  {}\nAllocatable:\n  cpu:     {}\n  memory:  {}\n",
        n.ip,
        quantity::cpu_text(n.cpu),
        quantity::memory_text(n.memory)
    ));
    if !n.fargate {
        text.push_str(&format!(
            "System Info:\n  Instance Type:  {}\n  Zone:           {}\n",
            n.instance_type, n.zone
        ));
    }
    let mut grid = vec![
        vec![
            "Namespace".into(),
            "Name".into(),
            "CPU Requests".into(),
            "Memory Requests".into(),
            "Age".into(),
        ],
        vec![
            "---------".into(),
            "----".into(),
            "------------".into(),
            "---------------".into(),
            "---".into(),
        ],
    ];
    for pod in n.pods.iter().filter_map(|p| eks.pods.get(p)) {
        grid.push(vec![
            pod.namespace.clone(),
            pod.name.clone(),
            format!(
                "{} ({}%)",
                quantity::cpu_text(pod.cpu),
                percent(pod.cpu, n.cpu)
            ),
            format!(
                "{} ({}%)",
                quantity::memory_text(pod.memory),
                percent(pod.memory, n.memory)
            ),
            age(pod.created_at, now),
        ]);
    }
    text.push_str(&format!(
        "Non-terminated Pods:          ({} in total)\n",
        n.pods.len()
    ));
    for line in columns(&grid).lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str(&format!(
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n  Resource           Requests\n  --------           --------\n  cpu                {} ({}%)\n  memory             {} ({}%)\n",
        quantity::cpu_text(n.requested_cpu),
        percent(n.requested_cpu, n.cpu),
        quantity::memory_text(n.requested_memory),
        percent(n.requested_memory, n.memory)
    ));
    text.push_str(&events_section(
        cloud,
        eks,
        &format!("node/{}", n.name),
        now,
        false,
    ));
    text.trim_end().to_string()
}

/// A container's Requests block, or nothing when it requests nothing.
fn requests_text(cpu: u32, memory: u32, indent: &str) -> String {
    let mut text = String::new();
    if cpu > 0 || memory > 0 {
        text.push_str(&format!("{indent}Requests:\n"));
    }
    if cpu > 0 {
        text.push_str(&format!(
            "{indent}  cpu:        {}\n",
            quantity::cpu_text(cpu)
        ));
    }
    if memory > 0 {
        text.push_str(&format!(
            "{indent}  memory:     {}\n",
            quantity::memory_text(memory)
        ));
    }
    text
}

fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        (u64::from(part) * 100 / u64::from(whole)) as u32
    }
}

fn deployment(cloud: &dyn Cloud, eks: &Eks, d: &Deployment, now: Millis) -> String {
    let running = d.count(PodPhase::Running);
    let live = d.count(PodPhase::Pending) + d.count(PodPhase::ContainerCreating) + running;
    let selector: Vec<String> = d.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut text = fields(
        &[
            ("Name", d.name.clone()),
            ("Namespace", d.namespace.clone()),
            ("CreationTimestamp", rfc1123(d.created_at)),
            ("Labels", labels_text(&d.labels, 24)),
            (
                "Selector",
                if selector.is_empty() {
                    "<none>".into()
                } else {
                    selector.join(",")
                },
            ),
            (
                "Replicas",
                format!(
                    "{} desired | {} updated | {live} total | {running} available | {} unavailable",
                    d.replicas,
                    live.min(d.replicas),
                    d.replicas.saturating_sub(running)
                ),
            ),
            ("StrategyType", "RollingUpdate".into()),
            (
                "RollingUpdateStrategy",
                "25% max unavailable, 25% max surge".into(),
            ),
        ],
        24,
    );
    text.push_str(&format!(
        "Pod Template:\n  Labels:  {}\n  Containers:\n",
        labels_text(&d.labels, 11)
    ));
    for c in &d.containers {
        text.push_str(&format!(
            "   {}:\n    Image:      {}\n{}",
            c.name,
            c.image,
            requests_text(
                d.cpu / d.containers.len() as u32,
                d.memory / d.containers.len() as u32,
                "    "
            ),
        ));
    }
    let available = running >= d.replicas;
    text.push_str(&format!(
        "Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      {}   {}\n  Progressing    True    {}\n",
        if available { "True " } else { "False" },
        if available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
        if available && live == running { "NewReplicaSetAvailable" } else { "ReplicaSetUpdated" },
    ));
    text.push_str(&format!(
        "NewReplicaSet:   {} ({live}/{} replicas created)\n",
        d.name, d.replicas
    ));
    text.push_str(&events_section(
        cloud,
        eks,
        &format!("deployment/{}", d.name),
        now,
        false,
    ));
    text.trim_end().to_string()
}

fn hpa(cloud: &dyn Cloud, eks: &Eks, d: &Deployment, now: Millis) -> String {
    let spec = d.hpa.as_ref().expect("an HPA");
    let targets = hpa_targets(eks, d, now);
    let (current, target) = targets
        .trim_start_matches("cpu: ")
        .split_once('/')
        .unwrap_or(("<unknown>", ""));
    let mut text = fields(
        &[
            ("Name", hpa_name(d)),
            ("Namespace", d.namespace.clone()),
            ("CreationTimestamp", rfc1123(d.created_at)),
            ("Reference", format!("Deployment/{}", d.name)),
        ],
        51,
    );
    text.push_str(&format!(
        "Metrics:                                               ( current / target )\n  resource cpu on pods  (as a percentage of request):  {current} / {target}\n"
    ));
    text.push_str(&fields(
        &[
            ("Min replicas", spec.min_replicas.to_string()),
            ("Max replicas", spec.max_replicas.to_string()),
            (
                "Deployment pods",
                format!(
                    "{} current / {} desired",
                    d.count(PodPhase::Running),
                    d.replicas
                ),
            ),
        ],
        51,
    ));
    // Whether the HPA can compute is the model's answer, with its words.
    let (status, reason, message) = match eks.hpa_cannot_compute(d) {
        None => ("True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)".to_string()),
        Some(why) => (
            "False",
            "FailedGetResourceMetric",
            format!("the HPA was unable to compute the replica count: {why}"),
        ),
    };
    let grid: Vec<Vec<String>> = [
        ["Type", "Status", "Reason", "Message"],
        ["----", "------", "------", "-------"],
        [
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
        ],
        ["ScalingActive", status, reason, message.as_str()],
    ]
    .iter()
    .map(|row| row.iter().map(|c| c.to_string()).collect())
    .collect();
    text.push_str("Conditions:\n");
    for line in columns(&grid).lines() {
        text.push_str(&format!("  {line}\n"));
    }
    // The model's events name the HPA by its deployment.
    let events = events_section(
        cloud,
        eks,
        &format!("horizontalpodautoscaler/{}", d.name),
        now,
        false,
    );
    text.push_str(&events);
    text.trim_end().to_string()
}
