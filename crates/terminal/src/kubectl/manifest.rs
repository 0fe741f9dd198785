//! Kubernetes objects as a manifest gives them, read into what the model
//! keeps, and checked as the API server checks them (its field paths and
//! wording). What a manifest says that Dockyard does not simulate is named
//! in a note, never dropped in silence.

use std::collections::BTreeMap;

use dockyard_model::sim::eks::{ContainerImage, Hpa, NodeRules, PdbSpec};
use serde_json::{Map, Value};

use super::quantity;
use super::selector::Selector;
use super::storage::{self, StorageObject};

/// One object of a manifest, as the model will take it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Namespace {
        name: String,
    },
    Deployment(Deployment),
    Hpa {
        name: String,
        namespace: Option<String>,
        deployment: String,
        hpa: Hpa,
    },
    /// A StorageClass, PersistentVolume or PersistentVolumeClaim.
    Storage(StorageObject),
    /// A PodDisruptionBudget, and the namespace its document names.
    Pdb(PdbSpec, Option<String>),
    /// A kind Kubernetes has that Dockyard does not simulate.
    NotSimulated {
        kind: String,
        resource: String,
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Deployment {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) replicas: u32,
    pub(crate) selector: Selector,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) containers: Vec<ContainerImage>,
    pub(crate) cpu_millicores: u32,
    pub(crate) memory_mib: u32,
    /// The PersistentVolumeClaim its pods mount.
    pub(crate) claim: Option<String>,
    pub(crate) node_rules: NodeRules,
    /// An apps/v1 DaemonSet: a pod on each node, no replicas.
    pub(crate) daemon: bool,
    /// A v1 Pod with no controller: one pod, its own name, not replaced.
    pub(crate) bare: bool,
}

impl Object {
    /// `deployment.apps/web`, as kubectl names what it did.
    pub(crate) fn reference(&self) -> String {
        match self {
            Object::Namespace { name } => format!("namespace/{name}"),
            Object::Deployment(d) if d.daemon => format!("daemonset.apps/{}", d.name),
            Object::Deployment(d) if d.bare => format!("pod/{}", d.name),
            Object::Deployment(d) => format!("deployment.apps/{}", d.name),
            Object::Hpa { name, .. } => format!("horizontalpodautoscaler.autoscaling/{name}"),
            Object::Storage(StorageObject::Class(c)) => {
                format!("storageclass.storage.k8s.io/{}", c.name)
            }
            Object::Storage(StorageObject::Volume(v)) => format!("persistentvolume/{}", v.name),
            Object::Storage(StorageObject::Claim(c, _)) => {
                format!("persistentvolumeclaim/{}", c.name)
            }
            Object::Pdb(p, _) => format!("poddisruptionbudget.policy/{}", p.name),
            Object::NotSimulated { resource, name, .. } => format!("{resource}/{name}"),
        }
    }
}

/// Why a document was not taken, worded as kubectl or the API server
/// words it (without the `error: ` kubectl puts before its own).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Refusal {
    /// kubectl's own check, before the server: `error: ...`.
    Client(String),
    /// The API server's: `The Deployment "web" is invalid: ...`.
    Invalid {
        kind: &'static str,
        name: String,
        causes: Vec<String>,
    },
    /// The server could not decode it (`Error from server (BadRequest)`).
    BadRequest(String),
    /// Valid Kubernetes that Dockyard cannot play: said in its own voice.
    Dockyard(String),
}

impl Refusal {
    pub(crate) fn text(&self) -> String {
        match self {
            // The server's own errors come without kubectl's `error: `.
            Refusal::Client(message) if message.starts_with("Error from server") => message.clone(),
            Refusal::Client(message) => format!("error: {message}"),
            Refusal::Invalid { kind, name, causes } => {
                if causes.len() == 1 {
                    format!("The {kind} \"{name}\" is invalid: {}", causes[0])
                } else {
                    let list: Vec<String> = causes.iter().map(|c| format!("* {c}")).collect();
                    format!("The {kind} \"{name}\" is invalid: \n{}", list.join("\n"))
                }
            }
            Refusal::BadRequest(message) => format!("Error from server (BadRequest): {message}"),
            Refusal::Dockyard(message) => format!("[dockyard] {message}"),
        }
    }
}

/// Kinds Kubernetes serves that Dockyard does not simulate (yet): their
/// group/version and their resource name.
const OTHER_KINDS: &[(&str, &str, &str)] = &[
    ("Service", "v1", "service"),
    ("ConfigMap", "v1", "configmap"),
    ("Secret", "v1", "secret"),
    ("ServiceAccount", "v1", "serviceaccount"),
    ("LimitRange", "v1", "limitrange"),
    ("ResourceQuota", "v1", "resourcequota"),
    ("CSIDriver", "storage.k8s.io/v1", "csidriver.storage.k8s.io"),
    ("StatefulSet", "apps/v1", "statefulset.apps"),
    ("ReplicaSet", "apps/v1", "replicaset.apps"),
    ("Job", "batch/v1", "job.batch"),
    ("CronJob", "batch/v1", "cronjob.batch"),
    (
        "Ingress",
        "networking.k8s.io/v1",
        "ingress.networking.k8s.io",
    ),
    (
        "IngressClass",
        "networking.k8s.io/v1",
        "ingressclass.networking.k8s.io",
    ),
    (
        "NetworkPolicy",
        "networking.k8s.io/v1",
        "networkpolicy.networking.k8s.io",
    ),
    (
        "Role",
        "rbac.authorization.k8s.io/v1",
        "role.rbac.authorization.k8s.io",
    ),
    (
        "RoleBinding",
        "rbac.authorization.k8s.io/v1",
        "rolebinding.rbac.authorization.k8s.io",
    ),
    (
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
        "clusterrole.rbac.authorization.k8s.io",
    ),
    (
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1",
        "clusterrolebinding.rbac.authorization.k8s.io",
    ),
    (
        "PriorityClass",
        "scheduling.k8s.io/v1",
        "priorityclass.scheduling.k8s.io",
    ),
];

/// What a document said that the model does not play: field paths.
pub(crate) type Unsimulated = Vec<String>;

/// Reads one document of `file`.
pub(crate) fn read(document: &Value, file: &str) -> Result<(Object, Unsimulated), Refusal> {
    let Some(object) = document.as_object() else {
        return Err(Refusal::Client(format!(
            "unable to decode \"{file}\": Object 'Kind' is missing in '{document}'"
        )));
    };
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    for (field, value) in [("apiVersion", api_version), ("kind", kind)] {
        if value.is_empty() {
            return Err(Refusal::Client(format!(
                "error validating \"{file}\": error validating data: {field} not set; if you choose to ignore these errors, turn validation off with --validate=false"
            )));
        }
    }
    let metadata = object.get("metadata").and_then(Value::as_object);
    let name = metadata
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let no_match = || {
        Refusal::Client(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{}\" from \"{file}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            namespace.as_deref().unwrap_or("")
        ))
    };
    let served = match kind {
        "Namespace" | "Pod" => api_version == "v1",
        "Deployment" | "DaemonSet" => api_version == "apps/v1",
        "HorizontalPodAutoscaler" => matches!(api_version, "autoscaling/v2" | "autoscaling/v1"),
        "PersistentVolumeClaim" | "PersistentVolume" => api_version == "v1",
        "StorageClass" => api_version == "storage.k8s.io/v1",
        "PodDisruptionBudget" => api_version == "policy/v1",
        other => match OTHER_KINDS.iter().find(|(k, _, _)| *k == other) {
            Some((_, version, _)) => api_version == *version,
            None => false,
        },
    };
    if !served {
        return Err(no_match());
    }
    if name.is_empty() {
        return Err(Refusal::Client("resource name may not be empty".into()));
    }
    let mut unsimulated = Vec::new();
    let object = match kind {
        "Namespace" => {
            need_name("Namespace", &name, Label)?;
            Object::Namespace { name }
        }
        "Deployment" => {
            need_name("Deployment", &name, Subdomain)?;
            Object::Deployment(deployment(
                "Deployment",
                object,
                name,
                namespace,
                &mut unsimulated,
            )?)
        }
        "Pod" => {
            need_name("Pod", &name, Subdomain)?;
            Object::Deployment(deployment(
                "Pod",
                object,
                name,
                namespace,
                &mut unsimulated,
            )?)
        }
        "DaemonSet" => {
            need_name("DaemonSet", &name, Subdomain)?;
            let mut d = deployment("DaemonSet", object, name, namespace, &mut unsimulated)?;
            d.daemon = true;
            d.replicas = 0;
            Object::Deployment(d)
        }
        "HorizontalPodAutoscaler" => hpa(object, api_version, name, namespace, &mut unsimulated)?,
        "StorageClass" => {
            need_name("StorageClass", &name, Subdomain)?;
            Object::Storage(storage::storage_class(object, name, &mut unsimulated)?)
        }
        "PersistentVolume" => {
            need_name("PersistentVolume", &name, Subdomain)?;
            Object::Storage(storage::volume(object, name, &mut unsimulated)?)
        }
        "PersistentVolumeClaim" => {
            need_name("PersistentVolumeClaim", &name, Subdomain)?;
            Object::Storage(storage::claim(object, name, namespace, &mut unsimulated)?)
        }
        "PodDisruptionBudget" => {
            need_name("PodDisruptionBudget", &name, Subdomain)?;
            let (spec, own) = super::disruption::read(object, name, namespace, &mut unsimulated)?;
            Object::Pdb(spec, own)
        }
        other => {
            let (_, _, resource) = OTHER_KINDS
                .iter()
                .find(|(k, _, _)| *k == other)
                .expect("served");
            Object::NotSimulated {
                kind: other.to_string(),
                resource: resource.to_string(),
                name,
            }
        }
    };
    Ok((object, unsimulated))
}

use NameRule::*;
#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
}

fn need_name(kind: &'static str, name: &str, rule: NameRule) -> Result<(), Refusal> {
    let cause = match rule {
        Subdomain => dns_subdomain(name),
        Label => dns_label(name),
    };
    match cause {
        None => Ok(()),
        Some(cause) => Err(Refusal::Invalid {
            kind,
            name: name.into(),
            causes: vec![format!("metadata.name: Invalid value: \"{name}\": {cause}")],
        }),
    }
}

/// RFC 1123 label, as the API server checks a namespace's name.
fn dns_label(name: &str) -> Option<String> {
    let ok = name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    (!ok).then(|| "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string())
}

/// RFC 1123 subdomain, as the API server checks most objects' names.
fn dns_subdomain(name: &str) -> Option<String> {
    let ok = name.len() <= 253
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        });
    (!ok).then(|| "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string())
}

/// Go's `%#v` of a `map[string]string`, as the API server quotes labels.
pub(crate) fn go_map(labels: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fields a level may have that Dockyard reads; the rest are named.
fn note_rest(map: &Map<String, Value>, path: &str, read: &[&str], out: &mut Unsimulated) {
    for key in map.keys() {
        if !read.contains(&key.as_str()) {
            out.push(format!("{path}.{key}"));
        }
    }
}

fn deployment(
    kind: &'static str,
    object: &Map<String, Value>,
    name: String,
    namespace: Option<String>,
    unsimulated: &mut Unsimulated,
) -> Result<Deployment, Refusal> {
    let empty = Map::new();
    let spec = object
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    // A bare Pod is its own template: its metadata and spec are the
    // pod's, at `spec.` rather than `spec.template.spec.`.
    let bare = kind == "Pod";
    let (template, at) = if bare {
        (object, "spec")
    } else {
        note_rest(
            spec,
            "spec",
            if kind == "DaemonSet" {
                &["selector", "template"]
            } else {
                &["replicas", "selector", "template"]
            },
            unsimulated,
        );
        let template = spec
            .get("template")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        (template, "spec.template.spec")
    };
    let template_meta = template
        .get("metadata")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let labels = string_map(template_meta.get("labels"));
    let pod = template
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    note_rest(
        pod,
        at,
        &[
            "containers",
            "initContainers",
            "volumes",
            "nodeSelector",
            "affinity",
            "tolerations",
        ],
        unsimulated,
    );
    // A volume from a PersistentVolumeClaim is simulated (one per pod);
    // other volume types (emptyDir, configMap, ...) are named.
    let mut claim = None;
    for (i, volume) in pod
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        match volume
            .pointer("/persistentVolumeClaim/claimName")
            .and_then(Value::as_str)
        {
            Some(name) if claim.is_none() => claim = Some(name.to_string()),
            _ => unsimulated.push(format!("{at}.volumes[{i}]")),
        }
    }
    let mut causes = Vec::new();
    let node_rules = super::scheduling::node_rules(pod, at, &mut causes, unsimulated);
    let replicas = match spec.get("replicas") {
        _ if bare => 1,
        None => 1,
        Some(value) => match value.as_i64() {
            Some(n) if n >= 0 => u32::try_from(n).unwrap_or(u32::MAX),
            _ => {
                causes.push(format!(
                    "spec.replicas: Invalid value: {value}: must be greater than or equal to 0"
                ));
                0
            }
        },
    };
    let selector = match spec.get("selector") {
        _ if bare => Selector::default(),
        None => {
            causes.push("spec.selector: Required value".into());
            Selector::default()
        }
        Some(value) => match Selector::from_json(value) {
            Ok(selector) if selector.is_empty() => {
                causes.push(format!("spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: empty selector is invalid for {}", kind.to_lowercase()));
                selector
            }
            Ok(selector) => selector,
            Err(cause) => {
                causes.push(format!("spec.selector: {cause}"));
                Selector::default()
            }
        },
    };
    if !selector.is_empty() && !selector.matches(&labels) {
        causes.push(format!(
            "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            go_map(&labels)
        ));
    }
    let mut containers = Vec::new();
    let (mut cpu, mut memory) = (0u64, 0u64);
    let (mut init_cpu, mut init_memory) = (0u64, 0u64);
    for (field, is_init) in [("containers", false), ("initContainers", true)] {
        let list = pod.get(field).and_then(Value::as_array);
        if !is_init && list.is_none_or(|l| l.is_empty()) {
            causes.push(format!("{at}.containers: Required value"));
        }
        for (i, c) in list.into_iter().flatten().enumerate() {
            let path = format!("{at}.{field}[{i}]");
            let c = c.as_object().unwrap_or(&empty);
            note_rest(
                c,
                &path,
                &["name", "image", "resources", "volumeMounts"],
                unsimulated,
            );
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            let image = c.get("image").and_then(Value::as_str).unwrap_or("");
            if name.is_empty() {
                causes.push(format!("{path}.name: Required value"));
            }
            if image.is_empty() {
                causes.push(format!("{path}.image: Required value"));
            }
            let (c_cpu, c_memory) = requests(c.get("resources"), &path, &mut causes, unsimulated)?;
            if is_init {
                init_cpu = init_cpu.max(c_cpu);
                init_memory = init_memory.max(c_memory);
            } else {
                cpu += c_cpu;
                memory += c_memory;
                containers.push(ContainerImage {
                    name: name.into(),
                    image: image.into(),
                });
            }
        }
    }
    if !causes.is_empty() {
        return Err(Refusal::Invalid { kind, name, causes });
    }
    // The pod's effective request: its containers' sum, or its largest
    // init container's if that is more (init containers run one by one).
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Deployment {
        name,
        namespace,
        replicas,
        selector,
        labels,
        containers,
        cpu_millicores: clamp(cpu.max(init_cpu)),
        memory_mib: clamp(memory.max(init_memory)),
        claim,
        node_rules,
        daemon: false,
        bare,
    })
}

/// A container's CPU (millicores) and memory (MiB) requests: a limit
/// without a request is also the request, as the API server defaults it.
fn requests(
    resources: Option<&Value>,
    path: &str,
    causes: &mut Vec<String>,
    unsimulated: &mut Unsimulated,
) -> Result<(u64, u64), Refusal> {
    let Some(resources) = resources.and_then(Value::as_object) else {
        return Ok((0, 0));
    };
    note_rest(
        resources,
        &format!("{path}.resources"),
        &["requests", "limits"],
        unsimulated,
    );
    let read = |section: &str| -> Result<BTreeMap<String, f64>, Refusal> {
        let mut out = BTreeMap::new();
        if let Some(map) = resources.get(section).and_then(Value::as_object) {
            for (name, value) in map {
                let amount = quantity::parse_value(value).map_err(|cause| {
                    Refusal::BadRequest(format!(
                        "Deployment in version \"v1\" cannot be handled as a Deployment: {cause}"
                    ))
                })?;
                out.insert(name.clone(), amount);
            }
        }
        Ok(out)
    };
    let mut requests = read("requests")?;
    let limits = read("limits")?;
    for (name, limit) in &limits {
        requests.entry(name.clone()).or_insert(*limit);
    }
    for (name, limit) in &limits {
        let request = requests[name];
        if request > limit + 1e-12 {
            let shown = resources["requests"][name.as_str()]
                .to_string()
                .trim_matches('"')
                .to_string();
            let limit_text = resources["limits"][name.as_str()]
                .to_string()
                .trim_matches('"')
                .to_string();
            causes.push(format!(
                "{path}.resources.requests: Invalid value: \"{shown}\": must be less than or equal to {name} limit of {limit_text}"
            ));
        }
    }
    for name in requests.keys() {
        if name != "cpu" && name != "memory" {
            unsimulated.push(format!("{path}.resources.requests[{name}]"));
        }
    }
    let cpu = requests.get("cpu").map_or(0, |c| quantity::millicores(*c));
    let memory = requests
        .get("memory")
        .map_or(0, |m| quantity::mebibytes(*m));
    Ok((cpu, memory))
}

fn hpa(
    object: &Map<String, Value>,
    api_version: &str,
    name: String,
    namespace: Option<String>,
    unsimulated: &mut Unsimulated,
) -> Result<Object, Refusal> {
    let empty = Map::new();
    let spec = object
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut causes = Vec::new();
    let target = spec
        .get("scaleTargetRef")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let target_kind = target.get("kind").and_then(Value::as_str).unwrap_or("");
    let deployment = target
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if target_kind.is_empty() {
        causes.push("spec.scaleTargetRef.kind: Required value".into());
    }
    if deployment.is_empty() {
        causes.push("spec.scaleTargetRef.name: Required value".into());
    }
    let min = spec.get("minReplicas").and_then(Value::as_i64).unwrap_or(1);
    let max = spec.get("maxReplicas").and_then(Value::as_i64).unwrap_or(0);
    if min < 1 {
        causes.push(format!(
            "spec.minReplicas: Invalid value: {min}: must be greater than or equal to 1"
        ));
    }
    if max < 1 {
        causes.push(format!(
            "spec.maxReplicas: Invalid value: {max}: must be greater than 0"
        ));
    } else if max < min {
        causes.push(format!(
            "spec.maxReplicas: Invalid value: {max}: must be greater than or equal to `minReplicas`"
        ));
    }
    // autoscaling/v1 and an HPA without metrics: 80% of the CPU request.
    let mut target_cpu = 80.0;
    if api_version == "autoscaling/v1" {
        note_rest(
            spec,
            "spec",
            &[
                "scaleTargetRef",
                "minReplicas",
                "maxReplicas",
                "targetCPUUtilizationPercentage",
            ],
            unsimulated,
        );
        if let Some(t) = spec
            .get("targetCPUUtilizationPercentage")
            .and_then(Value::as_f64)
        {
            target_cpu = t;
        }
    } else {
        note_rest(
            spec,
            "spec",
            &["scaleTargetRef", "minReplicas", "maxReplicas", "metrics"],
            unsimulated,
        );
        let metrics = spec
            .get("metrics")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut cpu_found = metrics.is_empty();
        for (i, metric) in metrics.iter().enumerate() {
            let resource = &metric["resource"];
            let is_cpu = metric["type"] == "Resource" && resource["name"] == "cpu";
            if is_cpu && resource["target"]["type"] == "Utilization" {
                if let Some(t) = resource["target"]["averageUtilization"].as_f64() {
                    target_cpu = t;
                    cpu_found = true;
                    continue;
                }
            }
            unsimulated.push(format!("spec.metrics[{i}]"));
        }
        if !cpu_found {
            return Err(Refusal::Dockyard(format!(
                "horizontalpodautoscaler.autoscaling/{name} was not created: Dockyard's HPA scales on CPU utilisation only, and this one has no Resource metric for cpu with a Utilization target"
            )));
        }
    }
    if target_kind != "Deployment" && !target_kind.is_empty() {
        unsimulated.push(format!(
            "spec.scaleTargetRef.kind ({target_kind}: only Deployments are simulated)"
        ));
    }
    if !causes.is_empty() {
        return Err(Refusal::Invalid {
            kind: "HorizontalPodAutoscaler",
            name,
            causes,
        });
    }
    Ok(Object::Hpa {
        name: name.clone(),
        namespace,
        deployment,
        hpa: Hpa {
            name: Some(name),
            target_cpu_utilization: target_cpu,
            min_replicas: u32::try_from(min).unwrap_or(u32::MAX),
            max_replicas: u32::try_from(max).unwrap_or(u32::MAX),
        },
    })
}

#[cfg(test)]
mod tests;
