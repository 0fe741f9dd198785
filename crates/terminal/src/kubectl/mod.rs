//! `kubectl` against the EKS model: manifests applied, created and deleted;
//! deployments created, scaled, autoscaled and restarted; objects listed
//! and described in kubectl's columns, with ages on the simulated clock.
//! Every rule is the model's ([`dockyard_model::sim::eks`]); this module
//! translates manifests into its commands and its state into kubectl's
//! output. Exit status 1 for any error, as kubectl's.

use dockyard_model::sim::eks::{DeploymentSpec, Eks, Hpa};
use dockyard_model::sim::{Command, Millis};

use crate::{Cloud, Output};

mod describe;
mod disruption;
mod events;
mod get;
mod manifest;
mod quantity;
mod scheduling;
mod selector;
mod storage;
mod top;
mod yaml;

use manifest::{Object, Refusal};
use selector::Selector;

/// The Kubernetes version Dockyard's clusters answer as (illustrative: EKS
/// supports several; the platform version's suffix is made up).
pub(crate) const SERVER_VERSION: &str = "v1.33.5-eks-3025e55";
const CLIENT_VERSION: &str = "v1.33.5";

/// kubectl's flags that take a value (`-n web`, `--namespace=web`).
const VALUE_FLAGS: &[(&str, &str)] = &[
    ("n", "namespace"),
    ("o", "output"),
    ("l", "selector"),
    ("", "field-selector"),
    ("f", "filename"),
    ("", "replicas"),
    ("", "image"),
    ("", "min"),
    ("", "max"),
    ("", "cpu-percent"),
    ("", "cluster"),
    ("", "context"),
    ("", "timeout"),
    ("", "name"),
    ("L", "label-columns"),
];
/// Flags that take none.
const SWITCHES: &[(&str, &str)] = &[
    ("A", "all-namespaces"),
    ("w", "watch"),
    ("", "no-headers"),
    ("", "show-labels"),
    ("", "overwrite"),
];

/// A kubectl command line: its words and its flags by long name.
pub(crate) struct Line {
    pub(crate) words: Vec<String>,
    values: Vec<(&'static str, String)>,
    switches: Vec<&'static str>,
}

impl Line {
    fn parse(args: &[String]) -> Result<Line, String> {
        let mut line = Line {
            words: Vec::new(),
            values: Vec::new(),
            switches: Vec::new(),
        };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            let (name, inline) = if let Some(long) = arg.strip_prefix("--") {
                match long.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (long.to_string(), None),
                }
            } else if arg.len() > 1 && arg.starts_with('-') && arg != "-" {
                let short = &arg[1..2];
                let rest = &arg[2..];
                let long = VALUE_FLAGS
                    .iter()
                    .chain(SWITCHES)
                    .find(|(s, _)| *s == short)
                    .map(|(_, l)| l.to_string())
                    .ok_or_else(|| format!("unknown shorthand flag: '{short}' in {arg}"))?;
                let rest = rest.strip_prefix('=').unwrap_or(rest);
                (long, (!rest.is_empty()).then(|| rest.to_string()))
            } else {
                line.words.push(arg.clone());
                continue;
            };
            if let Some((_, long)) = VALUE_FLAGS.iter().find(|(_, l)| *l == name) {
                let value = match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(format!("flag needs an argument: --{name}")),
                };
                line.values.push((long, value));
            } else if let Some((_, long)) = SWITCHES.iter().find(|(_, l)| *l == name) {
                line.switches.push(long);
            } else {
                return Err(format!("unknown flag: --{name}"));
            }
        }
        Ok(line)
    }

    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    pub(crate) fn namespace(&self) -> &str {
        self.value("namespace").unwrap_or("default")
    }

    pub(crate) fn selector(&self) -> Result<Selector, String> {
        self.value("selector")
            .map_or(Ok(Selector::default()), Selector::parse)
    }
}

/// What `kubectl apply -f` would say of one document of a manifest, before
/// it reaches the cluster: for the file editor, as the learner types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestFinding {
    /// kubectl or the API server would refuse it.
    pub refused: bool,
    pub message: String,
}

/// Reads a manifest as `kubectl apply -f` does (YAML, then each object as
/// the API server checks it); one finding per document, and the fields
/// and kinds Dockyard reads but does not simulate.
pub fn check_manifest(file: &str, text: &str) -> Vec<ManifestFinding> {
    let finding = |refused, message: String| ManifestFinding { refused, message };
    let documents = match yaml::documents(text) {
        Ok(documents) => documents,
        Err(cause) => {
            return vec![finding(
                true,
                format!("error converting YAML to JSON: {cause}"),
            )]
        }
    };
    let mut findings = Vec::new();
    for document in &documents {
        match manifest::read(document, file) {
            Err(refusal) => findings.push(finding(true, refusal.text())),
            Ok((object, unsimulated)) => {
                let reference = object.reference();
                if let Object::NotSimulated { kind, .. } = &object {
                    findings.push(finding(
                        false,
                        format!("{reference}: Dockyard does not simulate {kind} objects yet."),
                    ));
                } else if unsimulated.is_empty() {
                    findings.push(finding(
                        false,
                        format!("{reference}: valid; kubectl apply -f would send it."),
                    ));
                } else {
                    findings.push(finding(
                        false,
                        format!(
                            "{reference}: valid; read, but not simulated: {}.",
                            unsimulated.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    findings
}

/// kubectl's error: `error: ...` on standard error, exit status 1.
pub(crate) fn fail(message: impl AsRef<str>) -> Output {
    let message = message.as_ref();
    let text = if message.starts_with("error: ") || message.starts_with("Error from server") {
        message.to_string()
    } else {
        format!("error: {message}")
    };
    Output::error(1, format!("{text}\n"))
}

/// The cluster kubectl talks to: the account's EKS cluster, or the one
/// `--cluster` names when there are several.
fn cluster(cloud: &dyn Cloud, line: &Line) -> Result<String, Output> {
    let clusters = &cloud.world().eks().clusters;
    if let Some(name) = line.value("cluster").or(line.value("context")) {
        let name = name.rsplit('/').next().unwrap_or(name);
        return if clusters.contains(name) {
            Ok(name.to_string())
        } else {
            Err(fail(format!(
                "context was not found for specified context: {name}"
            )))
        };
    }
    match clusters.len() {
        0 => Err(Output::error(
            1,
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
        )
        .note("There is no EKS cluster in this account yet, so kubectl has nothing to talk to: create one (aws eks create-cluster), then kubectl talks to it.")),
        1 => Ok(clusters.iter().next().expect("one").clone()),
        _ => {
            let first = clusters.iter().next().expect("several").clone();
            Ok(first)
        }
    }
}

/// Age as kubectl prints it (apimachinery's `HumanDuration`).
pub(crate) fn age(since: Millis, now: Millis) -> String {
    let seconds = now.saturating_sub(since) / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    format!("{}d", hours / 24)
}

/// `deployment/web`, `deployments.apps/web`, `deploy web`: the kind and name.
fn kind_and_name(words: &[String]) -> Option<(String, String)> {
    let first = words.first()?;
    if let Some((kind, name)) = first.split_once('/') {
        return Some((get::canonical(kind)?.to_string(), name.to_string()));
    }
    Some((get::canonical(first)?.to_string(), words.get(1)?.clone()))
}

const USAGE_HINT: &str = "See 'kubectl --help' for usage.";

pub(crate) fn run(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let line = match Line::parse(args) {
        Ok(line) => line,
        Err(message) => return fail(format!("{message}\n{USAGE_HINT}")),
    };
    let Some(verb) = line.words.first().cloned() else {
        return Output::ok(HELP);
    };
    if verb == "version" {
        let mut text = format!("Client Version: {CLIENT_VERSION}\nKustomize Version: v5.6.0\n");
        if !cloud.world().eks().clusters.is_empty() {
            text.push_str(&format!("Server Version: {SERVER_VERSION}\n"));
        }
        return Output::ok(text);
    }
    if verb == "help" || verb == "--help" {
        return Output::ok(HELP);
    }
    let cluster = match cluster(cloud, &line) {
        Ok(c) => c,
        Err(out) => return out,
    };
    let rest = &line.words[1..];
    match verb.as_str() {
        "get" => get::run(cloud, &cluster, &line),
        "describe" => describe::run(cloud, &cluster, &line),
        "apply" | "create" | "delete" if line.value("filename").is_some() => {
            files(cloud, &cluster, &line, &verb)
        }
        "create" => create(cloud, &cluster, &line),
        "run" => run_pod(cloud, &cluster, &line),
        "delete" => match kind_and_name(rest) {
            Some((kind, name)) => delete(cloud, &cluster, &line, &kind, &name, None),
            None => fail("You must provide one or more resources by argument or filename."),
        },
        "apply" => fail("must specify one of -f and -k"),
        "scale" => scale(cloud, &line),
        "autoscale" => autoscale(cloud, &line),
        "rollout" => rollout(cloud, &cluster, &line),
        "taint" => scheduling::taint(cloud, &cluster, &line),
        "top" => top::run(cloud, &cluster, &line),
        other => {
            let verbs = [
                "get",
                "describe",
                "apply",
                "create",
                "delete",
                "scale",
                "autoscale",
                "rollout",
                "top",
                "taint",
                "run",
                "version",
            ];
            let mut message = format!("error: unknown command \"{other}\" for \"kubectl\"");
            if let Some(near) = crate::suggest::closest(other, &verbs).first() {
                message.push_str(&format!("\n\nDid you mean this?\n\t{near}"));
            }
            Output::error(1, format!("{message}\n"))
        }
    }
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager (here: the account's EKS cluster, simulated).\n\n\
Basic Commands:\n  create        Create a resource from a file or from stdin\n  run           Run a particular image on the cluster\n  get           Display one or many resources\n  delete        Delete resources by file names, resource types and names\n\n\
Deploy Commands:\n  rollout       Manage the rollout of a resource\n  scale         Set a new size for a deployment\n  autoscale     Auto-scale a deployment\n\n\
Cluster Management Commands:\n  top           Display resource (CPU/memory) usage\n  taint         Update the taints on one or more nodes\n\n\
Troubleshooting and Debugging Commands:\n  describe      Show details of a specific resource\n\n\
Advanced Commands:\n  apply         Apply a configuration to a resource by file name\n\n\
Other Commands:\n  version       Print the client and server version information\n";

/// Applies a command to the model: its refusal as a kubectl error.
fn apply_command(cloud: &mut dyn Cloud, command: Command) -> Result<(), String> {
    cloud.apply(command).map_err(|refused| refused.message)
}

fn files(cloud: &mut dyn Cloud, cluster: &str, line: &Line, verb: &str) -> Output {
    let mut out = Output::default();
    for file in line.all("filename") {
        if file == "-" {
            out.stderr.push_str("error: this terminal has no standard input: write the manifest to a file (edit web.yaml) and use -f web.yaml\n");
            out.status = 1;
            continue;
        }
        let text = match cloud.read_file(file) {
            Ok(text) => text,
            Err(_) => {
                out.stderr
                    .push_str(&format!("error: the path \"{file}\" does not exist\n"));
                out.status = 1;
                continue;
            }
        };
        let documents = match yaml::documents(&text) {
            Ok(d) => d,
            Err(cause) => {
                out.stderr.push_str(&format!(
                    "error: error parsing {file}: error converting YAML to JSON: {cause}\n"
                ));
                out.status = 1;
                continue;
            }
        };
        let mut documents = documents;
        if verb == "delete" {
            // Dockyard keeps an HPA with its deployment and removes both
            // together; deleting the HPAs first keeps kubectl's answer for
            // each object.
            documents.sort_by_key(|d| d["kind"] != "HorizontalPodAutoscaler");
        }
        for document in &documents {
            let (object, unsimulated) = match manifest::read(document, file) {
                Ok(read) => read,
                Err(refusal) => {
                    push_refusal(&mut out, &refusal);
                    continue;
                }
            };
            if !unsimulated.is_empty() {
                out.notes.push(format!(
                    "{} in {file}: read, but not simulated: {}.",
                    object.reference(),
                    unsimulated.join(", ")
                ));
            }
            let result = match verb {
                "delete" => delete_object(cloud, cluster, line, &object, file),
                _ => put_object(cloud, cluster, line, &object, file, verb == "create"),
            };
            match result {
                Ok(said) => out.stdout.push_str(&format!("{said}\n")),
                Err(Refusal::Dockyard(message)) => {
                    out.notes.push(message);
                    out.status = 1;
                }
                Err(refusal) => push_refusal(&mut out, &refusal),
            }
        }
    }
    out
}

fn push_refusal(out: &mut Output, refusal: &Refusal) {
    match refusal {
        Refusal::Dockyard(message) => out.notes.push(message.clone()),
        other => {
            out.stderr.push_str(&other.text());
            out.stderr.push('\n');
        }
    }
    out.status = 1;
}

/// The namespace an object goes to: its own, or `-n`'s; both must agree.
fn namespace_for(line: &Line, own: Option<&str>) -> Result<String, Refusal> {
    match (own, line.value("namespace")) {
        (Some(own), Some(flag)) if own != flag => Err(Refusal::Client(format!(
            "the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
        ))),
        (Some(own), _) => Ok(own.to_string()),
        (None, flag) => Ok(flag.unwrap_or("default").to_string()),
    }
}

fn need_namespace(
    eks: &Eks,
    cluster: &str,
    namespace: &str,
    action: &str,
    file: &str,
) -> Result<(), Refusal> {
    if eks.has_namespace(cluster, namespace) {
        Ok(())
    } else {
        Err(Refusal::Client(format!(
            "Error from server (NotFound): error when {action} \"{file}\": namespaces \"{namespace}\" not found"
        )))
    }
}

fn model_error(message: String) -> Refusal {
    Refusal::Dockyard(format!("the model refused: {message}"))
}

/// `apply` (create or configure) and `create` (create only) of one object.
fn put_object(
    cloud: &mut dyn Cloud,
    cluster: &str,
    line: &Line,
    object: &Object,
    file: &str,
    create_only: bool,
) -> Result<String, Refusal> {
    let reference = object.reference();
    let exists_error = |resource: &str, name: &str| {
        Refusal::Client(format!(
            "Error from server (AlreadyExists): error when creating \"{file}\": {resource} \"{name}\" already exists"
        ))
    };
    match object {
        Object::Namespace { name } => {
            if cloud.world().eks().has_namespace(cluster, name) {
                return if create_only {
                    Err(exists_error("namespaces", name))
                } else {
                    Ok(format!("{reference} unchanged"))
                };
            }
            apply_command(
                cloud,
                Command::CreateNamespace {
                    cluster: cluster.into(),
                    namespace: name.clone(),
                },
            )
            .map_err(model_error)?;
            Ok(format!("{reference} created"))
        }
        Object::Deployment(d) => {
            let namespace = namespace_for(line, d.namespace.as_deref())?;
            let eks = cloud.world().eks();
            let action = if create_only { "creating" } else { "applying" };
            need_namespace(eks, cluster, &namespace, action, file)?;
            let existing = eks.deployments.get(&d.name).cloned();
            let spec = DeploymentSpec {
                cluster: cluster.into(),
                name: d.name.clone(),
                namespace,
                labels: d.labels.clone(),
                replicas: d.replicas,
                cpu_request_millicores: d.cpu_millicores,
                memory_request_mib: d.memory_mib,
                hpa: None,
                load: None,
                // A claim in the manifest replaces a volume given by the form.
                volume: existing
                    .as_ref()
                    .and_then(|e| e.volume)
                    .filter(|_| d.claim.is_none()),
                containers: d.containers.clone(),
                claim: d.claim.clone(),
                node_rules: d.node_rules.clone(),
                daemon: d.daemon,
                bare: d.bare,
            };
            let kind_of = |daemon: bool, bare: bool| match (daemon, bare) {
                (true, _) => ("DaemonSet", "daemonsets.apps"),
                (_, true) => ("Pod", "pods"),
                _ => ("Deployment", "deployments.apps"),
            };
            match existing {
                Some(_) if create_only => Err(exists_error(kind_of(d.daemon, d.bare).1, &d.name)),
                Some(e) if e.daemon != d.daemon || e.bare != d.bare => Err(Refusal::Dockyard(format!(
                    "{reference} in {file} was not applied: a {} called {} exists, and Dockyard keeps one workload per name (Kubernetes would keep both).",
                    kind_of(e.daemon, e.bare).0,
                    d.name
                ))),
                Some(e) => {
                    let unchanged = e.labels == spec.labels
                        && (d.daemon || e.replicas == spec.replicas)
                        && e.node_rules == spec.node_rules
                        && e.cpu == spec.cpu_request_millicores
                        && e.memory == spec.memory_request_mib
                        && e.containers == spec.containers
                        && e.claim == spec.claim
                        && e.namespace == spec.namespace;
                    if unchanged {
                        return Ok(format!("{reference} unchanged"));
                    }
                    if e.bare {
                        return Err(Refusal::Invalid {
                            kind: "Pod",
                            name: d.name.clone(),
                            causes: vec!["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".into()],
                        });
                    }
                    apply_command(cloud, Command::UpdateDeployment(spec)).map_err(model_error)?;
                    Ok(format!("{reference} configured"))
                }
                None => {
                    apply_command(cloud, Command::CreateDeployment(spec)).map_err(model_error)?;
                    Ok(format!("{reference} created"))
                }
            }
        }
        Object::Hpa {
            name,
            namespace,
            deployment,
            hpa,
        } => {
            let namespace = namespace_for(line, namespace.as_deref())?;
            let eks = cloud.world().eks();
            let Some(target) = eks
                .deployments
                .get(deployment)
                .filter(|d| d.namespace == namespace)
            else {
                return Err(Refusal::Dockyard(format!(
                    "{reference} was not created: Dockyard keeps an HPA with the deployment it scales, and there is no deployment {deployment} in namespace {namespace} (a real HPA would wait for it, reporting FailedGetScale)"
                )));
            };
            let existed = target.hpa.clone();
            if existed.as_ref() == Some(hpa) {
                return Ok(format!("{reference} unchanged"));
            }
            if existed.is_some() && create_only {
                return Err(exists_error("horizontalpodautoscalers.autoscaling", name));
            }
            apply_command(
                cloud,
                Command::SetDeploymentHpa {
                    deployment: deployment.clone(),
                    hpa: Some(hpa.clone()),
                },
            )
            .map_err(model_error)?;
            Ok(format!(
                "{reference} {}",
                if existed.is_some() {
                    "configured"
                } else {
                    "created"
                }
            ))
        }
        Object::Storage(object) => {
            put_storage(cloud, cluster, line, object, &reference, file, create_only)
        }
        Object::Pdb(spec, own) => {
            let namespace = namespace_for(line, own.as_deref())?;
            let eks = cloud.world().eks();
            let action = if create_only { "creating" } else { "applying" };
            need_namespace(eks, cluster, &namespace, action, file)?;
            let spec = dockyard_model::sim::eks::PdbSpec {
                cluster: cluster.into(),
                namespace: namespace.clone(),
                ..spec.clone()
            };
            let existing = eks
                .pdbs
                .get(&(cluster.to_string(), namespace, spec.name.clone()));
            let said = match existing {
                Some(_) if create_only => {
                    return Err(exists_error("poddisruptionbudgets.policy", &spec.name))
                }
                Some(old) if old.spec == spec => return Ok(format!("{reference} unchanged")),
                Some(_) => "configured",
                None => "created",
            };
            apply_command(cloud, Command::PutPodDisruptionBudget(spec)).map_err(model_error)?;
            Ok(format!("{reference} {said}"))
        }
        Object::NotSimulated { kind, .. } => Err(Refusal::Dockyard(format!(
            "{reference} in {file} was not created: Dockyard does not simulate {kind} objects yet."
        ))),
    }
}

/// `apply` or `create` of a StorageClass, PersistentVolume or claim. Their
/// specs are immutable once created, and the API server says so.
fn put_storage(
    cloud: &mut dyn Cloud,
    cluster: &str,
    line: &Line,
    object: &storage::StorageObject,
    reference: &str,
    file: &str,
    create_only: bool,
) -> Result<String, Refusal> {
    use storage::StorageObject::*;
    let store = &cloud.world().eks().storage;
    let exists = |resource: &str, name: &str| {
        Refusal::Client(format!(
            "Error from server (AlreadyExists): error when creating \"{file}\": {resource} \"{name}\" already exists"
        ))
    };
    let immutable = |kind: &'static str, name: &str, cause: &str| Refusal::Invalid {
        kind,
        name: name.to_string(),
        causes: vec![cause.to_string()],
    };
    let command = match object {
        Class(spec) => {
            let spec = dockyard_model::sim::eks::StorageClassSpec {
                cluster: cluster.into(),
                ..spec.clone()
            };
            match store.classes.get(&(cluster.to_string(), spec.name.clone())) {
                Some(_) if create_only => return Err(exists("storageclasses.storage.k8s.io", &spec.name)),
                Some(old) if *old == spec => return Ok(format!("{reference} unchanged")),
                Some(old) if old.driver != spec.driver => {
                    return Err(immutable("StorageClass", &spec.name, "provisioner: Forbidden: updates to provisioner are forbidden."))
                }
                Some(_) => {
                    return Err(immutable("StorageClass", &spec.name, "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable"))
                }
                None => Command::CreateStorageClass(spec),
            }
        }
        Volume(spec) => {
            let spec = dockyard_model::sim::eks::VolumeSpec {
                cluster: cluster.into(),
                ..spec.clone()
            };
            match store.volumes.get(&(cluster.to_string(), spec.name.clone())) {
                Some(_) if create_only => return Err(exists("persistentvolumes", &spec.name)),
                Some(old) if old.spec == spec => return Ok(format!("{reference} unchanged")),
                Some(_) => {
                    return Err(immutable("PersistentVolume", &spec.name, "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"))
                }
                None => Command::CreatePersistentVolume(spec),
            }
        }
        Claim(spec, own) => {
            let namespace = namespace_for(line, own.as_deref())?;
            need_namespace(
                cloud.world().eks(),
                cluster,
                &namespace,
                if create_only { "creating" } else { "applying" },
                file,
            )?;
            let spec = dockyard_model::sim::eks::ClaimSpec {
                cluster: cluster.into(),
                namespace: namespace.clone(),
                ..spec.clone()
            };
            match store.claims.get(&(cluster.to_string(), namespace, spec.name.clone())) {
                Some(_) if create_only => return Err(exists("persistentvolumeclaims", &spec.name)),
                Some(old) if old.spec == spec => return Ok(format!("{reference} unchanged")),
                Some(_) => {
                    return Err(immutable("PersistentVolumeClaim", &spec.name, "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
                }
                None => Command::CreatePersistentVolumeClaim(spec),
            }
        }
    };
    apply_command(cloud, command).map_err(model_error)?;
    Ok(format!("{reference} created"))
}

fn delete_object(
    cloud: &mut dyn Cloud,
    cluster: &str,
    line: &Line,
    object: &Object,
    file: &str,
) -> Result<String, Refusal> {
    let (kind, name, own_namespace) = match object {
        Object::Deployment(d) => (
            match (d.daemon, d.bare) {
                (true, _) => "daemonset",
                (_, true) => "pod",
                _ => "deployment",
            },
            d.name.clone(),
            d.namespace.as_deref(),
        ),
        Object::Hpa {
            name, namespace, ..
        } => ("hpa", name.clone(), namespace.as_deref()),
        Object::Namespace { name } => ("namespace", name.clone(), None),
        Object::Storage(storage::StorageObject::Class(c)) => ("storageclass", c.name.clone(), None),
        Object::Storage(storage::StorageObject::Volume(v)) => ("pv", v.name.clone(), None),
        Object::Storage(storage::StorageObject::Claim(c, own)) => {
            ("pvc", c.name.clone(), own.as_deref())
        }
        Object::Pdb(p, own) => ("pdb", p.name.clone(), own.as_deref()),
        Object::NotSimulated { kind, .. } => {
            return Err(Refusal::Dockyard(format!(
                "{} in {file} was not deleted: Dockyard does not simulate {kind} objects.",
                object.reference()
            )))
        }
    };
    let namespace = namespace_for(line, own_namespace)?;
    let out = delete(cloud, cluster, line, kind, &name, Some((file, &namespace)));
    if out.status == 0 {
        Ok(out.stdout.trim_end().to_string())
    } else if !out.notes.is_empty() {
        Err(Refusal::Dockyard(out.notes.join(" ")))
    } else {
        Err(Refusal::Client(out.stderr.trim_end().to_string()))
    }
}

/// The deployment an HPA called `name` belongs to.
fn hpa_owner(eks: &Eks, namespace: &str, name: &str) -> Option<String> {
    eks.deployments
        .values()
        .find(|d| {
            d.namespace == namespace
                && d.hpa
                    .as_ref()
                    .is_some_and(|h| h.name.as_deref().unwrap_or(&d.name) == name)
        })
        .map(|d| d.name.clone())
}

/// `kubectl delete KIND NAME` (and `delete -f`'s objects).
fn delete(
    cloud: &mut dyn Cloud,
    cluster: &str,
    line: &Line,
    kind: &str,
    name: &str,
    from: Option<(&str, &str)>,
) -> Output {
    let namespace = from.map_or_else(|| line.namespace().to_string(), |(_, n)| n.to_string());
    let not_found = |resource: &str| {
        let context = from.map_or(String::new(), |(file, _)| {
            format!("error when deleting \"{file}\": ")
        });
        Output::error(
            1,
            format!("Error from server (NotFound): {context}{resource} \"{name}\" not found\n"),
        )
    };
    let eks = cloud.world().eks();
    match kind {
        "deployment" | "daemonset" => {
            let daemon = kind == "daemonset";
            if eks.deployments.get(name).is_none_or(|d| {
                d.namespace != namespace || d.cluster != cluster || d.daemon != daemon || d.bare
            }) {
                return not_found(get::resource(kind));
            }
            match apply_command(cloud, Command::DeleteDeployment { deployment: name.into() }) {
                Ok(()) => Output::ok(format!("{}.apps \"{name}\" deleted\n", kind)),
                Err(message) => fail(message),
            }
        }
        "pod" => {
            if eks.pods.get(name).is_none_or(|p| p.namespace != namespace || p.cluster != cluster) {
                return not_found("pods");
            }
            let owned = eks.pods.get(name).and_then(|p| eks.deployments.get(&p.deployment)).is_some_and(|d| !d.bare);
            match apply_command(cloud, Command::DeletePod { pod: name.into() }) {
                Ok(()) if owned => Output::ok(format!("pod \"{name}\" deleted\n")).note(
                    "Its ReplicaSet or DaemonSet has already created a replacement (kubectl get pods). kubectl waits until the pod is gone, after its grace period; Dockyard returns at once.",
                ),
                Ok(()) => Output::ok(format!("pod \"{name}\" deleted\n")).note(
                    "Nothing replaces a Pod that no controller owns. kubectl waits until the pod is gone, after its grace period; Dockyard returns at once.",
                ),
                Err(message) => fail(message),
            }
        }
        "hpa" => match hpa_owner(eks, &namespace, name) {
            None => not_found("horizontalpodautoscalers.autoscaling"),
            Some(deployment) => match apply_command(cloud, Command::SetDeploymentHpa { deployment, hpa: None }) {
                Ok(()) => Output::ok(format!("horizontalpodautoscaler.autoscaling \"{name}\" deleted\n")),
                Err(message) => fail(message),
            },
        },
        "pdb" => {
            let command = Command::DeletePodDisruptionBudget {
                cluster: cluster.into(),
                namespace: namespace.clone(),
                name: name.into(),
            };
            match cloud.apply(command) {
                Ok(()) => Output::ok(format!("poddisruptionbudget.policy \"{name}\" deleted\n")),
                Err(refused) if refused.code == Some("no-pdb") => not_found("poddisruptionbudgets.policy"),
                Err(refused) => fail(refused.message),
            }
        }
        "pvc" | "pv" | "storageclass" => {
            let command = Command::DeleteStorage {
                kind: kind.into(),
                cluster: cluster.into(),
                namespace: namespace.clone(),
                name: name.into(),
            };
            let said = match kind {
                "pvc" => "persistentvolumeclaim",
                "pv" => "persistentvolume",
                _ => "storageclass.storage.k8s.io",
            };
            match cloud.apply(command) {
                Ok(()) => Output::ok(format!("{said} \"{name}\" deleted\n")),
                Err(refused) if refused.code == Some("no-storage") => not_found(get::resource(kind)),
                Err(refused) => Output::error(1, String::new()).note(format!("the model refused: {}", refused.message)),
            }
        }
        other => Output::error(1, String::new()).note(format!(
            "Dockyard does not simulate deleting {other} objects yet: delete the deployment, or scale it."
        )),
    }
}

/// `kubectl run NAME --image=IMAGE`: a bare Pod, labelled run=NAME.
fn run_pod(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let Some(name) = line.words.get(1) else {
        return fail("NAME is required for run\nSee 'kubectl run -h' for help and examples");
    };
    let Some(image) = line.value("image") else {
        return fail("required flag(s) \"image\" not set");
    };
    let manifest = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"run": name}},
        "spec": {"containers": [{"name": name, "image": image}]}
    });
    let object = match manifest::read(&manifest, "") {
        Ok((object, _)) => object,
        Err(refusal) => return fail(refusal.text()),
    };
    match put_object(cloud, cluster, line, &object, "", true) {
        Ok(said) => Output::ok(format!("{said}\n")),
        Err(Refusal::Dockyard(message)) => Output::error(1, String::new()).note(message),
        Err(refusal) => fail(refusal.text().replace("error when creating \"\": ", "")),
    }
}

fn create(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let words = &line.words[1..];
    match words.first().map(String::as_str) {
        Some("deployment" | "deploy") => {
            let Some(name) = words.get(1) else {
                return fail("exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples");
            };
            let Some(image) = line.value("image") else {
                return fail("required flag(s) \"image\" not set");
            };
            let replicas = match line.value("replicas").map(str::parse::<u32>) {
                None => 1,
                Some(Ok(n)) => n,
                Some(Err(_)) => return fail(format!("invalid argument {:?} for \"--replicas\" flag", line.value("replicas").unwrap_or(""))),
            };
            let container = image.rsplit('/').next().unwrap_or(image);
            let container = container.split([':', '@']).next().unwrap_or(container).to_string();
            let manifest = serde_json::json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": name, "labels": {"app": name}},
                "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                         "template": {"metadata": {"labels": {"app": name}},
                                      "spec": {"containers": [{"name": container, "image": image}]}}}
            });
            let object = match manifest::read(&manifest, "") {
                Ok((object, _)) => object,
                Err(refusal) => return fail(refusal.text()),
            };
            match put_object(cloud, cluster, line, &object, "", true) {
                Ok(said) => Output::ok(format!("{said}\n")),
                Err(Refusal::Dockyard(message)) => Output::error(1, String::new()).note(message),
                Err(refusal) => fail(refusal.text().replace("error when creating \"\": ", "")),
            }
        }
        Some("namespace" | "ns") => {
            let Some(name) = words.get(1) else {
                return fail("exactly one NAME is required, got 0");
            };
            let object = match manifest::read(&serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}), "") {
                Ok((object, _)) => object,
                Err(refusal) => return fail(refusal.text()),
            };
            match put_object(cloud, cluster, line, &object, "", true) {
                Ok(said) => Output::ok(format!("{said}\n")),
                Err(refusal) => fail(refusal.text().replace("error when creating \"\": ", "")),
            }
        }
        Some(other) => Output::error(1, String::new()).note(format!(
            "kubectl create {other} is not simulated: Dockyard creates deployments and namespaces this way, and the kinds it simulates from a manifest with kubectl apply -f."
        )),
        None => fail("must specify one of -f and -k"),
    }
}

fn need_deployment<'a>(
    eks: &'a Eks,
    line: &Line,
) -> Result<&'a dockyard_model::sim::eks::Deployment, Output> {
    let words = &line.words[1..];
    let Some((kind, name)) = kind_and_name(words) else {
        return Err(fail(
            "you must specify the type of resource, and its name: deployment/NAME",
        ));
    };
    if kind != "deployment" && kind != "daemonset" {
        return Err(Output::error(1, String::new()).note(format!(
            "Dockyard simulates this for deployments and daemonsets only, not {kind}."
        )));
    }
    let namespace = line.namespace();
    eks.deployments
        .get(&name)
        .filter(|d| d.namespace == namespace && !d.bare && d.daemon == (kind == "daemonset"))
        .ok_or_else(|| {
            Output::error(
                1,
                format!(
                    "Error from server (NotFound): {} \"{name}\" not found\n",
                    get::resource(&kind)
                ),
            )
        })
}

fn scale(cloud: &mut dyn Cloud, line: &Line) -> Output {
    let name = match need_deployment(cloud.world().eks(), line) {
        Ok(d) if d.daemon => return no_replicas(),
        Ok(d) => d.name.clone(),
        Err(out) => return out,
    };
    let Some(replicas) = line.value("replicas") else {
        return fail("required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = replicas.parse::<u32>() else {
        return fail(format!("invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"));
    };
    match apply_command(
        cloud,
        Command::ScaleDeployment {
            deployment: name.clone(),
            replicas,
        },
    ) {
        Ok(()) => Output::ok(format!("deployment.apps/{name} scaled\n")),
        Err(message) => {
            Output::error(1, String::new()).note(format!("the model refused: {message}"))
        }
    }
}

/// `scale` and `autoscale` of a DaemonSet: it has no replicas.
fn no_replicas() -> Output {
    Output::error(1, String::new()).note(
        "A DaemonSet has no replica count to scale: it runs one pod on each node its template admits. Add nodes (or change its nodeSelector) to change how many.",
    )
}

fn autoscale(cloud: &mut dyn Cloud, line: &Line) -> Output {
    let (name, existing) = match need_deployment(cloud.world().eks(), line) {
        Ok(d) if d.daemon => return no_replicas(),
        Ok(d) => (d.name.clone(), d.hpa.is_some()),
        Err(out) => return out,
    };
    let number = |flag: &str, default: Option<f64>| -> Result<f64, Output> {
        match line.value(flag) {
            Some(v) => v
                .parse::<f64>()
                .map_err(|_| fail(format!("invalid argument \"{v}\" for \"--{flag}\" flag"))),
            None => default.ok_or_else(|| fail(format!("required flag(s) \"{flag}\" not set"))),
        }
    };
    let values = (|| {
        Ok::<_, Output>((
            number("max", None)?,
            number("min", Some(1.0))?,
            number("cpu-percent", Some(80.0))?,
        ))
    })();
    let (max, min, cpu) = match values {
        Ok(v) => v,
        Err(out) => return out,
    };
    if max < 1.0 || min > max {
        return fail(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        ));
    }
    if existing {
        return fail(format!("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"{name}\" already exists"));
    }
    let hpa = Hpa {
        name: line.value("name").map(str::to_string),
        target_cpu_utilization: cpu,
        min_replicas: min as u32,
        max_replicas: max as u32,
    };
    match apply_command(
        cloud,
        Command::SetDeploymentHpa {
            deployment: name.clone(),
            hpa: Some(hpa),
        },
    ) {
        Ok(()) => Output::ok(format!(
            "horizontalpodautoscaler.autoscaling/{} autoscaled\n",
            line.value("name").unwrap_or(&name)
        )),
        Err(message) => {
            Output::error(1, String::new()).note(format!("the model refused: {message}"))
        }
    }
}

fn rollout(cloud: &mut dyn Cloud, cluster: &str, line: &Line) -> Output {
    let sub = line.words.get(1).cloned().unwrap_or_default();
    if !["restart", "status"].contains(&sub.as_str()) {
        return Output::error(1, String::new()).note(format!(
            "kubectl rollout {sub} is not simulated: Dockyard plays rollout restart and rollout status (a Deployment's revision history is not kept)."
        ));
    }
    let rest = Line {
        words: line.words[1..].to_vec(),
        values: line.values.clone(),
        switches: line.switches.clone(),
    };
    let name = match need_deployment(cloud.world().eks(), &rest) {
        Ok(d) => d.name.clone(),
        Err(out) => return out,
    };
    let _ = cluster;
    match sub.as_str() {
        "restart" => match apply_command(
            cloud,
            Command::RestartDeployment {
                deployment: name.clone(),
            },
        ) {
            Ok(()) => {
                let kind = match cloud.world().eks().deployments.get(&name) {
                    Some(d) if d.daemon => "daemonset",
                    _ => "deployment",
                };
                Output::ok(format!("{kind}.apps/{name} restarted\n"))
            }
            Err(message) => {
                Output::error(1, String::new()).note(format!("the model refused: {message}"))
            }
        },
        _ => rollout_status(cloud, &name, line),
    }
}

/// Waits, on the simulated clock, until every replica is available, or for
/// the deployment's progress deadline (600 s) or `--timeout`.
fn rollout_status(cloud: &mut dyn Cloud, name: &str, line: &Line) -> Output {
    let limit_seconds = line
        .value("timeout")
        .and_then(|t| t.trim_end_matches('s').parse::<u64>().ok())
        .unwrap_or(600);
    let mut out = Output::default();
    let mut waited: Millis = 0;
    let mut last = String::new();
    loop {
        let Some(d) = cloud.world().eks().deployments.get(name) else {
            return fail(format!("deployments.apps \"{name}\" not found"));
        };
        use dockyard_model::sim::eks::PodPhase;
        let available = d.count(PodPhase::Running);
        let old = d.count(PodPhase::Terminating);
        let (what, pods) = if d.daemon {
            ("daemon set", "pods")
        } else {
            ("deployment", "replicas")
        };
        if available >= d.replicas && old == 0 {
            out.stdout
                .push_str(&format!("{what} \"{name}\" successfully rolled out\n"));
            break;
        }
        let message = if old > 0 {
            format!("Waiting for {what} \"{name}\" rollout to finish: {old} old {pods} are pending termination...\n")
        } else {
            format!("Waiting for {what} \"{name}\" rollout to finish: {available} of {} updated {pods} are available...\n", d.replicas)
        };
        if message != last {
            out.stdout.push_str(&message);
            last = message;
        }
        if waited >= limit_seconds * 1000 {
            out.stderr.push_str(&format!(
                "error: deployment \"{name}\" exceeded its progress deadline\n"
            ));
            out.status = 1;
            break;
        }
        let moved = cloud.advance(5_000);
        if moved == 0 {
            out.notes
                .push("The scenario's clock has reached its end.".into());
            out.status = 1;
            break;
        }
        waited += moved;
    }
    if waited > 0 {
        out.notes.push(format!(
            "The simulated clock moved on {} s while kubectl waited.",
            waited / 1000
        ));
    }
    out
}

#[cfg(test)]
mod tests;
