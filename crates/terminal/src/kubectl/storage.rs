//! StorageClasses, PersistentVolumes and PersistentVolumeClaims in
//! kubectl: read from a manifest as the API server checks them, and
//! listed and described from the model's state. Binding, provisioning and
//! zones are the model's (`dockyard_model::sim::eks::storage`).

use std::collections::BTreeMap;

use dockyard_model::sim::eks::{
    AccessMode, BindingMode, ClaimSpec, CsiDriver, Eks, StorageClassSpec, VolumeSpec,
};
use dockyard_model::sim::Millis;
use serde_json::{json, Map, Value};

use super::get::{columns, creation, Row};
use super::manifest::{Refusal, Unsimulated};
use super::{age, quantity};

/// A storage object of a manifest (the cluster is filled in when applied).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum StorageObject {
    Class(StorageClassSpec),
    Volume(VolumeSpec),
    Claim(ClaimSpec, Option<String>),
}

/// The in-tree EBS plugin's name: EKS migrates its volumes to the EBS CSI
/// driver (CSI migration), so Dockyard reads it as the EBS driver.
const IN_TREE_EBS: &str = "kubernetes.io/aws-ebs";

fn driver_of(provisioner: &str) -> Option<CsiDriver> {
    if provisioner == IN_TREE_EBS {
        return Some(CsiDriver::Ebs);
    }
    CsiDriver::from_provisioner(provisioner)
}

fn unknown_driver(what: &str, provisioner: &str) -> Refusal {
    Refusal::Dockyard(format!(
        "{what} uses {provisioner}, a driver Dockyard does not simulate: it plays the EBS (ebs.csi.aws.com), EFS (efs.csi.aws.com) and FSx for Lustre (fsx.csi.aws.com) CSI drivers. EKS also documents FSx for NetApp ONTAP, FSx for OpenZFS, Amazon File Cache and Mountpoint for Amazon S3 drivers."
    ))
}

/// GiB, rounded up, of a storage quantity (`4Gi`, `500Mi`, `1Ti`).
fn gibibytes(value: &Value) -> Result<u32, String> {
    let bytes = quantity::parse_value(value)?;
    Ok(((bytes / 1_073_741_824.0).ceil() as u64).clamp(1, u64::from(u32::MAX)) as u32)
}

fn note_rest(map: &Map<String, Value>, path: &str, read: &[&str], out: &mut Unsimulated) {
    for key in map.keys() {
        if !read.contains(&key.as_str()) {
            out.push(format!("{path}.{key}"));
        }
    }
}

pub(crate) fn storage_class(
    object: &Map<String, Value>,
    name: String,
    unsimulated: &mut Unsimulated,
) -> Result<StorageObject, Refusal> {
    note_rest(
        object,
        "",
        &[
            "apiVersion",
            "kind",
            "metadata",
            "provisioner",
            "volumeBindingMode",
            "parameters",
            "reclaimPolicy",
            "allowVolumeExpansion",
        ],
        unsimulated,
    );
    if object.contains_key("parameters") {
        unsimulated.push("parameters".into());
    }
    let provisioner = object
        .get("provisioner")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut causes = Vec::new();
    if provisioner.is_empty() {
        causes.push("provisioner: Required value".to_string());
    }
    let binding = match object.get("volumeBindingMode").and_then(Value::as_str) {
        None | Some("Immediate") => BindingMode::Immediate,
        Some("WaitForFirstConsumer") => BindingMode::WaitForFirstConsumer,
        Some(other) => {
            causes.push(format!(
                "volumeBindingMode: Unsupported value: \"{other}\": supported values: \"Immediate\", \"WaitForFirstConsumer\""
            ));
            BindingMode::Immediate
        }
    };
    if !causes.is_empty() {
        return Err(Refusal::Invalid {
            kind: "StorageClass",
            name,
            causes,
        });
    }
    let driver = driver_of(provisioner).ok_or_else(|| {
        unknown_driver(&format!("storageclass.storage.k8s.io/{name}"), provisioner)
    })?;
    Ok(StorageObject::Class(StorageClassSpec {
        cluster: String::new(),
        name,
        driver,
        binding,
    }))
}

fn access_modes(spec: &Map<String, Value>, causes: &mut Vec<String>) -> Vec<AccessMode> {
    let names: Vec<&str> = spec
        .get("accessModes")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        causes.push("spec.accessModes: Required value".into());
    }
    let mut modes = Vec::new();
    for name in names {
        match AccessMode::from_name(name) {
            Some(mode) => modes.push(mode),
            None => causes.push(format!(
                "spec.accessModes: Unsupported value: \"{name}\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
            )),
        }
    }
    // ReadWriteOncePod excludes every other mode (API validation).
    if modes.contains(&AccessMode::ReadWriteOncePod) && modes.len() > 1 {
        causes.push(
            "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"
                .into(),
        );
    }
    modes
}

/// kubectl's ACCESS MODES: the short names, joined by commas.
fn modes_text(modes: &[AccessMode]) -> String {
    modes
        .iter()
        .map(|m| m.short())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn claim(
    object: &Map<String, Value>,
    name: String,
    namespace: Option<String>,
    unsimulated: &mut Unsimulated,
) -> Result<StorageObject, Refusal> {
    let empty = Map::new();
    let spec = object
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    note_rest(
        spec,
        "spec",
        &[
            "accessModes",
            "resources",
            "storageClassName",
            "volumeName",
            "volumeMode",
        ],
        unsimulated,
    );
    let mut causes = Vec::new();
    let modes = access_modes(spec, &mut causes);
    let storage = spec
        .get("resources")
        .and_then(|r| r.get("requests"))
        .and_then(|r| r.get("storage"));
    let request_gib = match storage {
        None => {
            causes.push("spec.resources[storage]: Required value".into());
            0
        }
        Some(value) => gibibytes(value).map_err(|cause| {
            Refusal::BadRequest(format!("PersistentVolumeClaim in version \"v1\" cannot be handled as a PersistentVolumeClaim: {cause}"))
        })?,
    };
    if !causes.is_empty() {
        return Err(Refusal::Invalid {
            kind: "PersistentVolumeClaim",
            name,
            causes,
        });
    }
    let text = |key: &str| {
        spec.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(StorageObject::Claim(
        ClaimSpec {
            cluster: String::new(),
            namespace: namespace.clone().unwrap_or_else(|| "default".into()),
            name,
            request_gib,
            storage_class: text("storageClassName"),
            volume_name: text("volumeName"),
            access_modes: modes,
        },
        namespace,
    ))
}

pub(crate) fn volume(
    object: &Map<String, Value>,
    name: String,
    unsimulated: &mut Unsimulated,
) -> Result<StorageObject, Refusal> {
    let empty = Map::new();
    let spec = object
        .get("spec")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    note_rest(
        spec,
        "spec",
        &[
            "capacity",
            "accessModes",
            "csi",
            "storageClassName",
            "nodeAffinity",
            "persistentVolumeReclaimPolicy",
            "volumeMode",
        ],
        unsimulated,
    );
    let mut causes = Vec::new();
    let modes = access_modes(spec, &mut causes);
    let capacity_gib = match spec.get("capacity").and_then(|c| c.get("storage")) {
        None => {
            causes.push("spec.capacity: Required value".into());
            0
        }
        Some(value) => gibibytes(value).map_err(|cause| {
            Refusal::BadRequest(format!("PersistentVolume in version \"v1\" cannot be handled as a PersistentVolume: {cause}"))
        })?,
    };
    let csi = spec.get("csi").and_then(Value::as_object);
    if csi.is_none() {
        causes.push("spec: Required value: must specify a volume type".into());
    }
    if !causes.is_empty() {
        return Err(Refusal::Invalid {
            kind: "PersistentVolume",
            name,
            causes,
        });
    }
    let provisioner = csi
        .and_then(|c| c.get("driver"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let driver = driver_of(provisioner)
        .ok_or_else(|| unknown_driver(&format!("persistentvolume/{name}"), provisioner))?;
    // An EBS volume's zone, from its node affinity.
    let zone = spec
        .get("nodeAffinity")
        .and_then(|a| a.pointer("/required/nodeSelectorTerms/0/matchExpressions"))
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter().find(|e| {
                matches!(
                    e.get("key").and_then(Value::as_str),
                    Some("topology.ebs.csi.aws.com/zone" | "topology.kubernetes.io/zone")
                )
            })
        })
        .and_then(|e| e.pointer("/values/0"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(StorageObject::Volume(VolumeSpec {
        cluster: String::new(),
        name,
        driver,
        capacity_gib,
        zone,
        storage_class: spec
            .get("storageClassName")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        access_modes: modes,
    }))
}

fn binding_name(binding: BindingMode) -> &'static str {
    match binding {
        BindingMode::Immediate => "Immediate",
        BindingMode::WaitForFirstConsumer => "WaitForFirstConsumer",
    }
}

/// The driver a claim's volume comes from, bound or not.
fn claim_driver(
    eks: &Eks,
    cluster: &str,
    spec: &ClaimSpec,
    volume: Option<&String>,
) -> Option<CsiDriver> {
    volume
        .and_then(|v| eks.storage.volumes.get(&(cluster.to_string(), v.clone())))
        .map(|v| v.spec.driver)
        .or_else(|| {
            spec.storage_class
                .as_ref()
                .and_then(|c| eks.storage.classes.get(&(cluster.to_string(), c.clone())))
                .map(|c| c.driver)
        })
}

/// The rows of `kubectl get pvc|pv|storageclass`.
pub(crate) fn rows(eks: &Eks, cluster: &str, kind: &str, now: Millis) -> Vec<Row> {
    let store = &eks.storage;
    match kind {
        "storageclass" => store
            .classes
            .values()
            .filter(|c| c.cluster == cluster)
            .map(|c| Row {
                namespace: String::new(),
                name: c.name.clone(),
                labels: BTreeMap::new(),
                cells: vec![
                    c.driver.provisioner().into(),
                    "Delete".into(),
                    binding_name(c.binding).into(),
                    "false".into(),
                    age(
                        store
                            .class_created
                            .get(&(cluster.to_string(), c.name.clone()))
                            .copied()
                            .unwrap_or(0),
                        now,
                    ),
                ],
                wide: vec![],
                object: json!({
                    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                    "metadata": {"name": c.name},
                    "provisioner": c.driver.provisioner(), "reclaimPolicy": "Delete",
                    "volumeBindingMode": binding_name(c.binding),
                }),
            })
            .collect(),
        "pv" => store
            .volumes
            .values()
            .filter(|v| v.spec.cluster == cluster)
            .map(|v| {
                let status = match (&v.claim, v.released) {
                    (Some(_), _) => "Bound",
                    (None, true) => "Released",
                    (None, false) => "Available",
                };
                let claim = v.claim.as_ref().map_or(String::new(), |(ns, c)| format!("{ns}/{c}"));
                let reclaim = if v.dynamic { "Delete" } else { "Retain" };
                Row {
                    namespace: String::new(),
                    name: v.spec.name.clone(),
                    labels: BTreeMap::new(),
                    cells: vec![
                        format!("{}Gi", v.spec.capacity_gib),
                        modes_text(&v.spec.modes()),
                        reclaim.into(),
                        status.into(),
                        claim.clone(),
                        v.spec.storage_class.clone().unwrap_or_default(),
                        "<unset>".into(),
                        String::new(),
                        age(v.created_at, now),
                    ],
                    wide: vec![],
                    object: json!({
                        "apiVersion": "v1", "kind": "PersistentVolume",
                        "metadata": {"name": v.spec.name, "creationTimestamp": creation(v.created_at)},
                        "spec": {
                            "capacity": {"storage": format!("{}Gi", v.spec.capacity_gib)},
                            "csi": {"driver": v.spec.driver.provisioner()},
                            "storageClassName": v.spec.storage_class,
                            "persistentVolumeReclaimPolicy": reclaim,
                            "nodeAffinity": v.spec.zone.as_ref().map(|z| json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": [z]}]}]}})),
                        },
                        "status": {"phase": status},
                    }),
                }
            })
            .collect(),
        _ => store
            .claims
            .values()
            .filter(|c| c.spec.cluster == cluster)
            .map(|c| {
                let bound = c.volume.is_some();
                let bound_to = c
                    .volume
                    .as_ref()
                    .and_then(|v| store.volumes.get(&(cluster.to_string(), v.clone())));
                let capacity = bound_to.map_or(String::new(), |v| format!("{}Gi", v.spec.capacity_gib));
                let modes = bound_to.map_or(String::new(), |v| modes_text(&v.spec.modes()));
                Row {
                    namespace: c.spec.namespace.clone(),
                    name: c.spec.name.clone(),
                    labels: BTreeMap::new(),
                    cells: vec![
                        if bound { "Bound" } else { "Pending" }.into(),
                        c.volume.clone().unwrap_or_default(),
                        capacity,
                        modes,
                        c.spec.storage_class.clone().unwrap_or_else(|| "<unset>".into()),
                        "<unset>".into(),
                        age(c.created_at, now),
                    ],
                    wide: vec!["Filesystem".into()],
                    object: json!({
                        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
                        "metadata": {"name": c.spec.name, "namespace": c.spec.namespace, "creationTimestamp": creation(c.created_at)},
                        "spec": {
                            "resources": {"requests": {"storage": format!("{}Gi", c.spec.request_gib)}},
                            "storageClassName": c.spec.storage_class,
                            "volumeName": c.volume,
                        },
                        "status": {"phase": if bound { "Bound" } else { "Pending" }},
                    }),
                }
            })
            .collect(),
    }
}

/// `kubectl describe pv NAME`: with its zone, as its node affinity.
pub(crate) fn describe_volume(eks: &Eks, cluster: &str, name: &str) -> Option<String> {
    let v = eks
        .storage
        .volumes
        .get(&(cluster.to_string(), name.to_string()))?;
    let status = match (&v.claim, v.released) {
        (Some(_), _) => "Bound",
        (None, true) => "Released",
        (None, false) => "Available",
    };
    let affinity = match &v.spec.zone {
        Some(zone) => format!(
            "\n  Required Terms:\n    Term 0:        topology.kubernetes.io/zone in [{zone}]"
        ),
        None => "<none>".into(),
    };
    let rows = [
        ("Name", name.to_string()),
        (
            "StorageClass",
            v.spec.storage_class.clone().unwrap_or_default(),
        ),
        ("Status", status.to_string()),
        (
            "Claim",
            v.claim
                .as_ref()
                .map_or(String::new(), |(ns, c)| format!("{ns}/{c}")),
        ),
        (
            "Reclaim Policy",
            if v.dynamic { "Delete" } else { "Retain" }.to_string(),
        ),
        ("Access Modes", modes_text(&v.spec.modes())),
        ("VolumeMode", "Filesystem".to_string()),
        ("Capacity", format!("{}Gi", v.spec.capacity_gib)),
        ("Node Affinity", affinity),
    ];
    let mut text: String = rows
        .iter()
        .map(|(k, value)| format!("{:<16}{value}\n", format!("{k}:")))
        .collect();
    text.push_str(&format!(
        "Source:\n    Type:    CSI (a Container Storage Interface (CSI) volume source)\n    Driver:  {}\nEvents:          <none>",
        v.spec.driver.provisioner()
    ));
    Some(text)
}

/// `kubectl describe pvc NAME`.
pub(crate) fn describe_claim(
    eks: &Eks,
    cluster: &str,
    namespace: &str,
    name: &str,
    now: Millis,
) -> Option<String> {
    let c =
        eks.storage
            .claims
            .get(&(cluster.to_string(), namespace.to_string(), name.to_string()))?;
    let driver = claim_driver(eks, cluster, &c.spec, c.volume.as_ref());
    let used_by: Vec<String> = eks
        .pods
        .values()
        .filter(|p| p.cluster == cluster && p.namespace == namespace)
        .filter(|p| {
            eks.deployments
                .get(&p.deployment)
                .is_some_and(|d| d.claim.as_deref() == Some(name))
        })
        .map(|p| p.name.clone())
        .collect();
    let mut text = String::new();
    let mut field =
        |key: &str, value: String| text.push_str(&format!("{:<15}{value}\n", format!("{key}:")));
    field("Name", name.to_string());
    field("Namespace", namespace.to_string());
    field(
        "StorageClass",
        c.spec.storage_class.clone().unwrap_or_default(),
    );
    field(
        "Status",
        if c.volume.is_some() {
            "Bound"
        } else {
            "Pending"
        }
        .to_string(),
    );
    field("Volume", c.volume.clone().unwrap_or_default());
    if let Some(driver) = driver.filter(|_| c.volume.is_some()) {
        field(
            "Annotations",
            format!(
                "volume.kubernetes.io/storage-provisioner: {}",
                driver.provisioner()
            ),
        );
    }
    field(
        "Capacity",
        if c.volume.is_some() {
            format!("{}Gi", c.spec.request_gib)
        } else {
            String::new()
        },
    );
    field(
        "Access Modes",
        c.volume
            .as_ref()
            .and_then(|v| eks.storage.volumes.get(&(cluster.to_string(), v.clone())))
            .map_or(String::new(), |v| modes_text(&v.spec.modes())),
    );
    field("VolumeMode", "Filesystem".into());
    field(
        "Used By",
        if used_by.is_empty() {
            "<none>".into()
        } else {
            used_by.join(&format!("\n{:<15}", ""))
        },
    );
    let event = match (&c.volume, &c.waiting) {
        (Some(volume), _) => {
            let dynamic = eks
                .storage
                .volumes
                .get(&(cluster.to_string(), volume.clone()))
                .is_some_and(|v| v.dynamic);
            dynamic.then(|| {
                (
                    "Normal",
                    "ProvisioningSucceeded",
                    driver.map_or("", |d| d.provisioner()).to_string(),
                    format!("Successfully provisioned volume {volume}"),
                )
            })
        }
        (None, Some(why)) if why == dockyard_model::sim::eks::WAITING_FOR_CONSUMER => Some((
            "Normal",
            "WaitForFirstConsumer",
            "persistentvolume-controller".into(),
            why.clone(),
        )),
        (None, Some(why)) if why.starts_with("failed to provision volume") => Some((
            "Warning",
            "ProvisioningFailed",
            driver.map_or("", |d| d.provisioner()).to_string(),
            why.clone(),
        )),
        (None, Some(why)) if why.starts_with("Cannot bind to requested volume") => Some((
            "Warning",
            "VolumeMismatch",
            "persistentvolume-controller".into(),
            why.clone(),
        )),
        (None, Some(why))
            if why.contains("not found")
                && c.spec.storage_class.is_some()
                && c.spec.volume_name.is_none() =>
        {
            Some((
                "Warning",
                "ProvisioningFailed",
                "persistentvolume-controller".into(),
                why.clone(),
            ))
        }
        (None, Some(why)) => Some((
            "Normal",
            "FailedBinding",
            "persistentvolume-controller".into(),
            why.clone(),
        )),
        (None, None) => None,
    };
    match event {
        None => text.push_str("Events:        <none>\n"),
        Some((kind, reason, from, message)) => {
            let grid = vec![
                vec![
                    "Type".to_string(),
                    "Reason".into(),
                    "Age".into(),
                    "From".into(),
                    "Message".into(),
                ],
                vec![
                    "----".to_string(),
                    "------".into(),
                    "----".into(),
                    "----".into(),
                    "-------".into(),
                ],
                vec![
                    kind.to_string(),
                    reason.into(),
                    age(c.created_at, now),
                    from,
                    message,
                ],
            ];
            text.push_str("Events:\n");
            for line in columns(&grid).lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
    }
    Some(text.trim_end().to_string())
}
