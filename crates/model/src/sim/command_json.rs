//! Reading and writing a [`Command`] as JSON fields, by hand.
//!
//! serde's derive for the 30-variant `Command` enum cost 27 KB of the
//! gzipped app (measured 2026-11-28 by swapping it out), nearly a twentieth
//! of the download, for code that only checks field names and defaults.
//! Here each variant is one line per field, read and written; the writer's
//! `match` is exhaustive, and a test reads back every command that the
//! shipped scenarios hold, so the two cannot drift apart unnoticed.
//!
//! The field types that are small (capacity, strategies, scaling policies,
//! load curves, EKS specs) still use serde, through [`crate::json::Node`].

use serde::de::Error as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::command::{CapacityProviderSpec, Command, DeploymentConfiguration, ServiceSpec};
use super::{eks, load, types};
use crate::json::{self, in_field, Error, FromJson, Node};

/// Every command's name, as written in `"do"`.
pub const COMMAND_NAMES: &[&str] = &[
    "createCluster",
    "launchInstances",
    "createCapacityProvider",
    "registerTaskDefinition",
    "deregisterTaskDefinition",
    "createRole",
    "putRolePolicy",
    "attachRolePolicy",
    "runTask",
    "createService",
    "deploy",
    "setTaskRoles",
    "updateService",
    "setServiceScaling",
    "setLoad",
    "stopTask",
    "terminateInstance",
    "loseAz",
    "restoreAz",
    "exitContainer",
    "useMemory",
    "writeFile",
    "drainInstance",
    "interruptSpotInstance",
    "interruptSpot",
    "createEksCluster",
    "createNodeGroup",
    "createFargateProfile",
    "createDeployment",
    "scaleDeployment",
    "terminateNode",
    "deletePod",
    "setNodeTaints",
    "deleteDeployment",
    "restartDeployment",
    "setDeploymentHpa",
    "createNamespace",
    "updateDeployment",
    "setDeploymentLoad",
    "createStorageClass",
    "createPersistentVolume",
    "createPersistentVolumeClaim",
    "deleteStorage",
    "putPodDisruptionBudget",
    "deletePodDisruptionBudget",
    "createAccessEntry",
    "associateAccessPolicy",
    "updateNodeGroupConfig",
];

/// The fields of one command, read once each; whatever is left over when
/// the command is built is an unknown field, refused by name.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    fn get<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, Error> {
        self.known.push(key);
        match self.map.get(key) {
            None => Ok(None),
            Some(value) => T::from_json(value)
                .map(Some)
                .map_err(|error| in_field(error, key)),
        }
    }

    fn need<T: FromJson>(&mut self, key: &'static str) -> Result<T, Error> {
        self.get(key)?
            .ok_or_else(|| Error::custom(format_args!("missing field `{key}`")))
    }

    fn or<T: FromJson>(&mut self, key: &'static str, default: T) -> Result<T, Error> {
        Ok(self.get(key)?.unwrap_or(default))
    }

    fn or_default<T: FromJson + Default>(&mut self, key: &'static str) -> Result<T, Error> {
        self.or(key, T::default())
    }

    fn finish(self) -> Result<(), Error> {
        match self
            .map
            .keys()
            .find(|key| !self.known.contains(&key.as_str()))
        {
            None => Ok(()),
            Some(unknown) => Err(Error::custom(format_args!(
                "unknown field `{unknown}`, expected {}",
                self.known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// Reads the command called `name` from its fields (`"do"` taken out).
pub fn command_from_fields(name: &str, map: &Map<String, Value>) -> Result<Command, Error> {
    use Command::*;
    let whole = || Value::Object(map.clone());
    // The EKS specs are whole structs of their own, read by serde.
    match name {
        "createNodeGroup" => return serde_read(&whole()).map(CreateNodeGroup),
        "createFargateProfile" => return serde_read(&whole()).map(CreateFargateProfile),
        "createDeployment" => return serde_read(&whole()).map(CreateDeployment),
        "updateDeployment" => return serde_read(&whole()).map(UpdateDeployment),
        "createStorageClass" => return serde_read(&whole()).map(CreateStorageClass),
        "createPersistentVolume" => return serde_read(&whole()).map(CreatePersistentVolume),
        "createPersistentVolumeClaim" => {
            return serde_read(&whole()).map(CreatePersistentVolumeClaim)
        }
        "putPodDisruptionBudget" => return serde_read(&whole()).map(PutPodDisruptionBudget),
        _ => {}
    }
    let mut f = Fields {
        map,
        known: Vec::new(),
    };
    let command = match name {
        "createCluster" => CreateCluster {
            name: f.need("name")?,
        },
        "launchInstances" => LaunchInstances {
            cluster: f.need("cluster")?,
            instance_type: f.need("instanceType")?,
            az: f.need("az")?,
            count: f.or("count", 1)?,
            spot: f.or_default("spot")?,
            instance_role: f.or_default("instanceRole")?,
            spot_instance_draining: f.or_default("spotInstanceDraining")?,
        },
        "createCapacityProvider" => CreateCapacityProvider(CapacityProviderSpec {
            cluster: f.need("cluster")?,
            name: f.need("name")?,
            instance_type: f.need("instanceType")?,
            min_size: f.need("minSize")?,
            max_size: f.need("maxSize")?,
            target_capacity: f.or("targetCapacity", 100)?,
            minimum_scaling_step_size: f.or("minimumScalingStepSize", 1)?,
            maximum_scaling_step_size: f.or("maximumScalingStepSize", 10_000)?,
            instance_warmup_period: f.or("instanceWarmupPeriod", 300)?,
            spot: f.or_default("spot")?,
        }),
        "registerTaskDefinition" => RegisterTaskDefinition {
            definition: f.need("definition")?,
        },
        "deregisterTaskDefinition" => DeregisterTaskDefinition {
            task_definition: f.need("taskDefinition")?,
        },
        "createRole" => CreateRole {
            name: f.need("name")?,
            trusted_service: f.need("trustedService")?,
            managed_policies: f.or_default("managedPolicies")?,
            policies: f.or_default("policies")?,
            trust_policy: f.or_default("trustPolicy")?,
        },
        "putRolePolicy" => PutRolePolicy {
            role: f.need("role")?,
            name: f.need("name")?,
            document: f.need("document")?,
        },
        "attachRolePolicy" => AttachRolePolicy {
            role: f.need("role")?,
            policy: f.need("policy")?,
        },
        "runTask" => RunTask {
            cluster: f.need("cluster")?,
            task_definition: f.need("taskDefinition")?,
            count: f.or("count", 1)?,
            capacity: f.need("capacity")?,
        },
        "createService" => CreateService(ServiceSpec {
            cluster: f.need("cluster")?,
            name: f.need("name")?,
            task_definition: f.need("taskDefinition")?,
            desired_count: f.need("desiredCount")?,
            capacity: f.need("capacity")?,
            placement_strategy: f.or_default("placementStrategy")?,
            placement_constraints: f.or_default("placementConstraints")?,
            scaling: f.or_default("scaling")?,
            load: f.or_default("load")?,
            memory_load: f.or_default("memoryLoad")?,
            request_load: f.or_default("requestLoad")?,
            deployment_configuration: f.or_default("deploymentConfiguration")?,
        }),
        "deploy" => Deploy {
            service: f.need("service")?,
            task_definition: f.or_default("taskDefinition")?,
        },
        "setTaskRoles" => SetTaskRoles {
            service: f.need("service")?,
            task_role_arn: f.or_default("taskRoleArn")?,
            execution_role_arn: f.or_default("executionRoleArn")?,
        },
        "updateService" => UpdateService {
            service: f.need("service")?,
            desired_count: f.need("desiredCount")?,
        },
        "setServiceScaling" => SetServiceScaling {
            service: f.need("service")?,
            scaling: f.or_default("scaling")?,
        },
        "setLoad" => SetLoad {
            service: f.need("service")?,
            load: f.need("load")?,
            metric: f.or_default("metric")?,
        },
        "stopTask" => StopTask {
            task: f.need("task")?,
        },
        "terminateInstance" => TerminateInstance {
            instance: f.need("instance")?,
        },
        "loseAz" => LoseAz { az: f.need("az")? },
        "restoreAz" => RestoreAz { az: f.need("az")? },
        "exitContainer" => ExitContainer {
            task: f.need("task")?,
            container: f.need("container")?,
            exit_code: f.or("exitCode", 1)?,
        },
        "useMemory" => UseMemory {
            task: f.need("task")?,
            container: f.need("container")?,
            mib: f.need("mib")?,
        },
        "writeFile" => WriteFile {
            task: f.need("task")?,
            volume: f.or_default("volume")?,
            container: f.or_default("container")?,
            path: f.need("path")?,
            contents: f.or_default("contents")?,
        },
        "drainInstance" => DrainInstance {
            instance: f.need("instance")?,
        },
        "interruptSpotInstance" => InterruptSpotInstance {
            instance: f.need("instance")?,
        },
        "interruptSpot" => InterruptSpot {
            service: f.need("service")?,
            count: f.need("count")?,
        },
        "createEksCluster" => CreateEksCluster {
            name: f.need("name")?,
            role_arn: f.get("roleArn")?,
            subnets: f.or_default("subnets")?,
        },
        "scaleDeployment" => ScaleDeployment {
            deployment: f.need("deployment")?,
            replicas: f.need("replicas")?,
        },
        "terminateNode" => TerminateNode {
            node: f.need("node")?,
        },
        "deletePod" => DeletePod {
            pod: f.need("pod")?,
        },
        "setNodeTaints" => SetNodeTaints {
            node: f.need("node")?,
            taints: f.or_default("taints")?,
        },
        "deleteDeployment" => DeleteDeployment {
            deployment: f.need("deployment")?,
        },
        "restartDeployment" => RestartDeployment {
            deployment: f.need("deployment")?,
        },
        "setDeploymentHpa" => SetDeploymentHpa {
            deployment: f.need("deployment")?,
            hpa: f.get("hpa")?,
        },
        "setDeploymentLoad" => SetDeploymentLoad {
            deployment: f.need("deployment")?,
            load: f.need("load")?,
        },
        "deletePodDisruptionBudget" => DeletePodDisruptionBudget {
            cluster: f.need("cluster")?,
            namespace: f.or("namespace", "default".to_string())?,
            name: f.need("name")?,
        },
        "deleteStorage" => DeleteStorage {
            kind: f.need("kind")?,
            cluster: f.need("cluster")?,
            namespace: f.or("namespace", "default".to_string())?,
            name: f.need("name")?,
        },
        "createNamespace" => CreateNamespace {
            cluster: f.need("cluster")?,
            namespace: f.need("namespace")?,
        },
        "createAccessEntry" => CreateAccessEntry {
            cluster: f.need("cluster")?,
            principal_arn: f.need("principalArn")?,
            entry_type: f.or("type", "STANDARD".to_string())?,
        },
        "associateAccessPolicy" => AssociateAccessPolicy {
            cluster: f.need("cluster")?,
            principal_arn: f.need("principalArn")?,
            policy_arn: f.need("policyArn")?,
            scope: f.or("scope", "cluster".to_string())?,
            namespaces: f.or_default("namespaces")?,
        },
        "updateNodeGroupConfig" => UpdateNodeGroupConfig {
            cluster: f.need("cluster")?,
            nodegroup: f.need("nodegroup")?,
            min_size: f.get("minSize")?,
            max_size: f.get("maxSize")?,
            desired_size: f.get("desiredSize")?,
        },
        other => {
            return Err(Error::custom(format_args!(
                "unknown variant `{other}`, expected one of {}",
                COMMAND_NAMES
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    f.finish()?;
    Ok(command)
}

/// Through serde, for the small types that keep their derive.
fn serde_read<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, Error> {
    T::deserialize(Node(value))
}

macro_rules! from_json_by_serde {
    ($($ty:ty),* $(,)?) => {
        $(impl FromJson for $ty {
            fn from_json(value: &Value) -> Result<Self, Error> {
                serde_read(value)
            }
        })*
    };
}

from_json_by_serde!(
    u32,
    u64,
    i32,
    f64,
    types::Capacity,
    types::Strategy,
    types::Constraint,
    load::ServiceScaling,
    load::LoadCurve,
    load::Metric,
    DeploymentConfiguration,
    eks::NodeGroupSpec,
    eks::FargateProfileSpec,
    eks::DeploymentSpec,
    eks::Hpa,
    eks::Taint,
);

/// A command's name and its fields, as `"do"` and the rest of a step.
/// Fields at their default are left out, except those a reader needs.
pub fn command_to_fields(command: &Command) -> (&'static str, Map<String, Value>) {
    use Command::*;
    let mut m = Map::new();
    fn put<T: Serialize + ?Sized>(m: &mut Map<String, Value>, key: &str, value: &T) {
        let value = serde_json::to_value(value).expect("command fields are plain JSON");
        m.insert(key.to_string(), value);
    }
    fn put_some<T: Serialize>(m: &mut Map<String, Value>, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            put(m, key, value);
        }
    }
    fn whole<T: Serialize>(value: &T) -> Map<String, Value> {
        match serde_json::to_value(value) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("EKS specs are structs"),
        }
    }
    let name = match command {
        CreateCluster { name } => {
            put(&mut m, "name", name);
            "createCluster"
        }
        LaunchInstances {
            cluster,
            instance_type,
            az,
            count,
            spot,
            instance_role,
            spot_instance_draining,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "instanceType", instance_type);
            put(&mut m, "az", az);
            put(&mut m, "count", count);
            put(&mut m, "spot", spot);
            put_some(&mut m, "instanceRole", instance_role);
            if *spot_instance_draining {
                put(&mut m, "spotInstanceDraining", spot_instance_draining);
            }
            "launchInstances"
        }
        CreateCapacityProvider(CapacityProviderSpec {
            cluster,
            name,
            instance_type,
            min_size,
            max_size,
            target_capacity,
            minimum_scaling_step_size,
            maximum_scaling_step_size,
            instance_warmup_period,
            spot,
        }) => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "name", name);
            put(&mut m, "instanceType", instance_type);
            put(&mut m, "minSize", min_size);
            put(&mut m, "maxSize", max_size);
            put(&mut m, "targetCapacity", target_capacity);
            put(&mut m, "minimumScalingStepSize", minimum_scaling_step_size);
            put(&mut m, "maximumScalingStepSize", maximum_scaling_step_size);
            put(&mut m, "instanceWarmupPeriod", instance_warmup_period);
            put(&mut m, "spot", spot);
            "createCapacityProvider"
        }
        RegisterTaskDefinition { definition } => {
            put(&mut m, "definition", definition);
            "registerTaskDefinition"
        }
        DeregisterTaskDefinition { task_definition } => {
            put(&mut m, "taskDefinition", task_definition);
            "deregisterTaskDefinition"
        }
        CreateRole {
            name,
            trusted_service,
            managed_policies,
            policies,
            trust_policy,
        } => {
            put(&mut m, "name", name);
            put(&mut m, "trustedService", trusted_service);
            put(&mut m, "managedPolicies", managed_policies);
            put(&mut m, "policies", policies);
            put_some(&mut m, "trustPolicy", trust_policy);
            "createRole"
        }
        PutRolePolicy {
            role,
            name,
            document,
        } => {
            put(&mut m, "role", role);
            put(&mut m, "name", name);
            put(&mut m, "document", document);
            "putRolePolicy"
        }
        AttachRolePolicy { role, policy } => {
            put(&mut m, "role", role);
            put(&mut m, "policy", policy);
            "attachRolePolicy"
        }
        RunTask {
            cluster,
            task_definition,
            count,
            capacity,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "taskDefinition", task_definition);
            put(&mut m, "count", count);
            put(&mut m, "capacity", capacity);
            "runTask"
        }
        CreateService(ServiceSpec {
            cluster,
            name,
            task_definition,
            desired_count,
            capacity,
            placement_strategy,
            placement_constraints,
            scaling,
            load,
            memory_load,
            request_load,
            deployment_configuration,
        }) => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "name", name);
            put(&mut m, "taskDefinition", task_definition);
            put(&mut m, "desiredCount", desired_count);
            put(&mut m, "capacity", capacity);
            put_some(&mut m, "placementStrategy", placement_strategy);
            if !placement_constraints.is_empty() {
                put(&mut m, "placementConstraints", placement_constraints);
            }
            put_some(&mut m, "scaling", scaling);
            put_some(&mut m, "load", load);
            put_some(&mut m, "memoryLoad", memory_load);
            put_some(&mut m, "requestLoad", request_load);
            put(&mut m, "deploymentConfiguration", deployment_configuration);
            "createService"
        }
        Deploy {
            service,
            task_definition,
        } => {
            put(&mut m, "service", service);
            put_some(&mut m, "taskDefinition", task_definition);
            "deploy"
        }
        SetTaskRoles {
            service,
            task_role_arn,
            execution_role_arn,
        } => {
            put(&mut m, "service", service);
            put_some(&mut m, "taskRoleArn", task_role_arn);
            put_some(&mut m, "executionRoleArn", execution_role_arn);
            "setTaskRoles"
        }
        UpdateService {
            service,
            desired_count,
        } => {
            put(&mut m, "service", service);
            put(&mut m, "desiredCount", desired_count);
            "updateService"
        }
        SetServiceScaling { service, scaling } => {
            put(&mut m, "service", service);
            put_some(&mut m, "scaling", scaling);
            "setServiceScaling"
        }
        SetLoad {
            service,
            load,
            metric,
        } => {
            put(&mut m, "service", service);
            put(&mut m, "load", load);
            put(&mut m, "metric", metric);
            "setLoad"
        }
        StopTask { task } => {
            put(&mut m, "task", task);
            "stopTask"
        }
        TerminateInstance { instance } => {
            put(&mut m, "instance", instance);
            "terminateInstance"
        }
        LoseAz { az } => {
            put(&mut m, "az", az);
            "loseAz"
        }
        RestoreAz { az } => {
            put(&mut m, "az", az);
            "restoreAz"
        }
        ExitContainer {
            task,
            container,
            exit_code,
        } => {
            put(&mut m, "task", task);
            put(&mut m, "container", container);
            put(&mut m, "exitCode", exit_code);
            "exitContainer"
        }
        UseMemory {
            task,
            container,
            mib,
        } => {
            put(&mut m, "task", task);
            put(&mut m, "container", container);
            put(&mut m, "mib", mib);
            "useMemory"
        }
        WriteFile {
            task,
            volume,
            container,
            path,
            contents,
        } => {
            put(&mut m, "task", task);
            put_some(&mut m, "volume", volume);
            put_some(&mut m, "container", container);
            put(&mut m, "path", path);
            put(&mut m, "contents", contents);
            "writeFile"
        }
        DrainInstance { instance } => {
            put(&mut m, "instance", instance);
            "drainInstance"
        }
        InterruptSpotInstance { instance } => {
            put(&mut m, "instance", instance);
            "interruptSpotInstance"
        }
        InterruptSpot { service, count } => {
            put(&mut m, "service", service);
            put(&mut m, "count", count);
            "interruptSpot"
        }
        CreateEksCluster {
            name,
            role_arn,
            subnets,
        } => {
            put(&mut m, "name", name);
            put_some(&mut m, "roleArn", role_arn);
            if !subnets.is_empty() {
                put(&mut m, "subnets", subnets);
            }
            "createEksCluster"
        }
        CreateNodeGroup(spec) => {
            m = whole(spec);
            "createNodeGroup"
        }
        CreateFargateProfile(spec) => {
            m = whole(spec);
            "createFargateProfile"
        }
        CreateDeployment(spec) => {
            m = whole(spec);
            "createDeployment"
        }
        UpdateDeployment(spec) => {
            m = whole(spec);
            "updateDeployment"
        }
        CreateStorageClass(spec) => {
            m = whole(spec);
            "createStorageClass"
        }
        CreatePersistentVolume(spec) => {
            m = whole(spec);
            "createPersistentVolume"
        }
        CreatePersistentVolumeClaim(spec) => {
            m = whole(spec);
            "createPersistentVolumeClaim"
        }
        PutPodDisruptionBudget(spec) => {
            m = whole(spec);
            "putPodDisruptionBudget"
        }
        DeletePodDisruptionBudget {
            cluster,
            namespace,
            name,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "namespace", namespace);
            put(&mut m, "name", name);
            "deletePodDisruptionBudget"
        }
        DeleteStorage {
            kind,
            cluster,
            namespace,
            name,
        } => {
            put(&mut m, "kind", kind);
            put(&mut m, "cluster", cluster);
            put(&mut m, "namespace", namespace);
            put(&mut m, "name", name);
            "deleteStorage"
        }
        ScaleDeployment {
            deployment,
            replicas,
        } => {
            put(&mut m, "deployment", deployment);
            put(&mut m, "replicas", replicas);
            "scaleDeployment"
        }
        TerminateNode { node } => {
            put(&mut m, "node", node);
            "terminateNode"
        }
        DeletePod { pod } => {
            put(&mut m, "pod", pod);
            "deletePod"
        }
        SetNodeTaints { node, taints } => {
            put(&mut m, "node", node);
            put(&mut m, "taints", taints);
            "setNodeTaints"
        }
        DeleteDeployment { deployment } => {
            put(&mut m, "deployment", deployment);
            "deleteDeployment"
        }
        RestartDeployment { deployment } => {
            put(&mut m, "deployment", deployment);
            "restartDeployment"
        }
        SetDeploymentHpa { deployment, hpa } => {
            put(&mut m, "deployment", deployment);
            if let Some(hpa) = hpa {
                put(&mut m, "hpa", hpa);
            }
            "setDeploymentHpa"
        }
        SetDeploymentLoad { deployment, load } => {
            put(&mut m, "deployment", deployment);
            put(&mut m, "load", load);
            "setDeploymentLoad"
        }
        CreateNamespace { cluster, namespace } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "namespace", namespace);
            "createNamespace"
        }
        CreateAccessEntry {
            cluster,
            principal_arn,
            entry_type,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "principalArn", principal_arn);
            put(&mut m, "type", entry_type);
            "createAccessEntry"
        }
        AssociateAccessPolicy {
            cluster,
            principal_arn,
            policy_arn,
            scope,
            namespaces,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "principalArn", principal_arn);
            put(&mut m, "policyArn", policy_arn);
            put(&mut m, "scope", scope);
            if !namespaces.is_empty() {
                put(&mut m, "namespaces", namespaces);
            }
            "associateAccessPolicy"
        }
        UpdateNodeGroupConfig {
            cluster,
            nodegroup,
            min_size,
            max_size,
            desired_size,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "nodegroup", nodegroup);
            put_some(&mut m, "minSize", min_size);
            put_some(&mut m, "maxSize", max_size);
            put_some(&mut m, "desiredSize", desired_size);
            "updateNodeGroupConfig"
        }
    };
    (name, m)
}

/// Externally tagged, as serde's derive wrote it: `{"loseAz": {"az": ".."}}`.
impl Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (name, fields) = command_to_fields(self);
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(name, &fields)?;
        map.end()
    }
}

/// The externally tagged form serde wrote and read before:
/// `{"loseAz": {"az": "us-east-1a"}}` (or `"name"` for a command without
/// fields, of which there are none today).
impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let read = match &value {
            Value::Object(outer) if outer.len() == 1 => {
                let (name, fields) = outer.iter().next().expect("one entry");
                json::object(fields, &"the command's fields, an object")
                    .and_then(|fields| command_from_fields(name, fields))
                    .map_err(|error| in_field(error, name))
            }
            _ => Err(Error::custom(
                "a command is an object with one field, its name",
            )),
        };
        read.map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Scenario;

    fn shipped() -> Vec<Scenario> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
        let mut read = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // scenarios/INDEX (their order, for the course) is not one.
            if !path.to_string_lossy().ends_with(".scenario.json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            read.push(Scenario::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}")));
        }
        assert!(read.len() >= 14);
        read
    }

    /// Whatever the writer writes for a command, the reader reads back the same.
    #[test]
    fn reads_back_every_command_the_shipped_scenarios_write() {
        let mut seen = std::collections::BTreeSet::new();
        for scenario in shipped() {
            for step in &scenario.steps {
                let (name, fields) = command_to_fields(&step.command);
                assert!(COMMAND_NAMES.contains(&name), "{name} is not listed");
                seen.insert(name);
                let read = command_from_fields(name, &fields).unwrap();
                assert_eq!(read, step.command, "{name}");
                let written = serde_json::to_value(&step.command).unwrap();
                let again: Command = json::from_value(&written).unwrap();
                assert_eq!(again, step.command);
            }
        }
        // The scenarios use most commands; the rest are read in the tests below.
        assert!(seen.len() >= 20, "{seen:?}");
    }

    #[test]
    fn defaults_are_those_serde_applied() {
        let read = |text: &str| {
            let value: Value = serde_json::from_str(text).unwrap();
            let (name, fields) = value.as_object().unwrap().iter().next().unwrap();
            command_from_fields(name, fields.as_object().unwrap())
        };
        assert_eq!(
            read(r#"{"launchInstances": {"cluster": "c", "instanceType": "t3.large", "az": "a"}}"#)
                .unwrap(),
            Command::LaunchInstances {
                cluster: "c".into(),
                instance_type: "t3.large".into(),
                az: "a".into(),
                count: 1,
                spot: false,
                instance_role: None,
                spot_instance_draining: false,
            }
        );
        assert_eq!(
            read(r#"{"exitContainer": {"task": "t", "container": "app"}}"#).unwrap(),
            Command::ExitContainer {
                task: "t".into(),
                container: "app".into(),
                exit_code: 1
            }
        );
        assert_eq!(
            read(r#"{"writeFile": {"task": "t", "path": "p"}}"#).unwrap(),
            Command::WriteFile {
                task: "t".into(),
                volume: None,
                container: None,
                path: "p".into(),
                contents: String::new()
            }
        );
    }

    /// Every command in its shortest form, read to the exact command with
    /// every default spelled out: what a learner's one-line command in the
    /// sandbox's box becomes.
    #[test]
    fn every_command_reads_from_its_shortest_form_with_its_defaults() {
        use crate::sim::eks::{CapacityType, DeploymentSpec, FargateProfileSpec, NodeGroupSpec};
        use crate::sim::load::{LoadCurve, Metric};
        use crate::sim::types::Capacity;
        use std::collections::BTreeMap;
        let s = |text: &str| text.to_string();
        let golden: Vec<(&str, Command)> = vec![
            (r#"{"do": "createCluster", "name": "c"}"#, Command::CreateCluster { name: s("c") }),
            (
                r#"{"do": "launchInstances", "cluster": "c", "instanceType": "m5.large", "az": "us-east-1a"}"#,
                Command::LaunchInstances { cluster: s("c"), instance_type: s("m5.large"), az: s("us-east-1a"), count: 1, spot: false, instance_role: None, spot_instance_draining: false },
            ),
            (
                r#"{"do": "createCapacityProvider", "cluster": "c", "name": "cp", "instanceType": "m5.large", "minSize": 0, "maxSize": 4}"#,
                Command::CreateCapacityProvider(CapacityProviderSpec {
                    cluster: s("c"), name: s("cp"), instance_type: s("m5.large"), min_size: 0, max_size: 4,
                    target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 10_000,
                    instance_warmup_period: 300, spot: false,
                }),
            ),
            (
                r#"{"do": "registerTaskDefinition", "definition": {"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx"}]}}"#,
                Command::RegisterTaskDefinition {
                    definition: Box::new(json::read(&serde_json::json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx"}]})).unwrap()),
                },
            ),
            (
                r#"{"do": "deregisterTaskDefinition", "taskDefinition": "web:1"}"#,
                Command::DeregisterTaskDefinition { task_definition: s("web:1") },
            ),
            (
                r#"{"do": "createRole", "name": "r", "trustedService": "ecs-tasks.amazonaws.com"}"#,
                Command::CreateRole { name: s("r"), trusted_service: s("ecs-tasks.amazonaws.com"), managed_policies: vec![], policies: BTreeMap::new(), trust_policy: None },
            ),
            (
                r#"{"do": "putRolePolicy", "role": "r", "name": "p", "document": {"Statement": []}}"#,
                Command::PutRolePolicy { role: s("r"), name: s("p"), document: serde_json::json!({"Statement": []}) },
            ),
            (
                r#"{"do": "attachRolePolicy", "role": "r", "policy": "AmazonECSTaskExecutionRolePolicy"}"#,
                Command::AttachRolePolicy { role: s("r"), policy: s("AmazonECSTaskExecutionRolePolicy") },
            ),
            (
                r#"{"do": "runTask", "cluster": "c", "taskDefinition": "web", "capacity": "fargate"}"#,
                Command::RunTask { cluster: s("c"), task_definition: s("web"), count: 1, capacity: Capacity::Fargate },
            ),
            (
                r#"{"do": "createService", "cluster": "c", "name": "web", "taskDefinition": "web", "desiredCount": 2, "capacity": "ec2"}"#,
                Command::CreateService(ServiceSpec {
                    cluster: s("c"), name: s("web"), task_definition: s("web"), desired_count: 2, capacity: Capacity::Ec2,
                    placement_strategy: None, placement_constraints: vec![], scaling: None, load: None, memory_load: None,
                    request_load: None,
                    deployment_configuration: DeploymentConfiguration { minimum_healthy_percent: 100, maximum_percent: 200, deployment_circuit_breaker: None },
                }),
            ),
            (r#"{"do": "deploy", "service": "web"}"#, Command::Deploy { service: s("web"), task_definition: None }),
            (
                r#"{"do": "setTaskRoles", "service": "web"}"#,
                Command::SetTaskRoles { service: s("web"), task_role_arn: None, execution_role_arn: None },
            ),
            (r#"{"do": "updateService", "service": "web", "desiredCount": 0}"#, Command::UpdateService { service: s("web"), desired_count: 0 }),
            (r#"{"do": "setServiceScaling", "service": "web"}"#, Command::SetServiceScaling { service: s("web"), scaling: None }),
            (
                r#"{"do": "setLoad", "service": "web", "load": {"shape": "constant", "units": 512}}"#,
                Command::SetLoad { service: s("web"), load: LoadCurve::Constant { units: 512.0 }, metric: Metric::Cpu },
            ),
            (r#"{"do": "stopTask", "task": "t-1"}"#, Command::StopTask { task: s("t-1") }),
            (r#"{"do": "terminateInstance", "instance": "i-1"}"#, Command::TerminateInstance { instance: s("i-1") }),
            (r#"{"do": "loseAz", "az": "us-east-1a"}"#, Command::LoseAz { az: s("us-east-1a") }),
            (r#"{"do": "restoreAz", "az": "us-east-1a"}"#, Command::RestoreAz { az: s("us-east-1a") }),
            (
                r#"{"do": "exitContainer", "task": "t-1", "container": "app"}"#,
                Command::ExitContainer { task: s("t-1"), container: s("app"), exit_code: 1 },
            ),
            (
                r#"{"do": "useMemory", "task": "t-1", "container": "app", "mib": 600}"#,
                Command::UseMemory { task: s("t-1"), container: s("app"), mib: 600 },
            ),
            (
                r#"{"do": "writeFile", "task": "t-1", "path": "a.txt"}"#,
                Command::WriteFile { task: s("t-1"), volume: None, container: None, path: s("a.txt"), contents: String::new() },
            ),
            (r#"{"do": "drainInstance", "instance": "i-1"}"#, Command::DrainInstance { instance: s("i-1") }),
            (r#"{"do": "interruptSpotInstance", "instance": "i-1"}"#, Command::InterruptSpotInstance { instance: s("i-1") }),
            (r#"{"do": "interruptSpot", "service": "web", "count": 2}"#, Command::InterruptSpot { service: s("web"), count: 2 }),
            (r#"{"do": "createEksCluster", "name": "k"}"#, Command::CreateEksCluster { name: s("k"), role_arn: None, subnets: vec![] }),
            (
                r#"{"do": "createNodeGroup", "cluster": "k", "name": "ng", "instanceType": "m5.large", "minSize": 1, "maxSize": 3, "desiredSize": 2, "labels": {"team": "data"}, "taints": [{"key": "dedicated", "effect": "NoExecute"}]}"#,
                Command::CreateNodeGroup(NodeGroupSpec {
                    cluster: s("k"), name: s("ng"), instance_type: s("m5.large"), min_size: 1, max_size: 3, desired_size: 2,
                    capacity_type: CapacityType::OnDemand, managed: true, node_role_mapped: None, node_role: None,
                    labels: BTreeMap::from([(s("team"), s("data"))]),
                    taints: vec![crate::sim::eks::Taint { key: s("dedicated"), value: String::new(), effect: crate::sim::eks::TaintEffect::NoExecute }],
                }),
            ),
            (
                r#"{"do": "createFargateProfile", "cluster": "k", "name": "p", "namespace": "default"}"#,
                Command::CreateFargateProfile(FargateProfileSpec { cluster: s("k"), name: s("p"), namespace: s("default"), labels: BTreeMap::new(), more_selectors: vec![], pod_execution_role_arn: None, subnets: vec![] }),
            ),
            (
                r#"{"do": "createDeployment", "cluster": "k", "name": "web", "replicas": 2, "cpuRequestMillicores": 250, "memoryRequestMiB": 512, "bare": true, "nodeRules": {"nodeSelector": {"team": "data"}, "requiredTerms": [[{"key": "eks.amazonaws.com/capacityType", "operator": "In", "values": ["SPOT"]}]], "tolerations": [{"key": "dedicated", "exists": true}]}}"#,
                Command::CreateDeployment(DeploymentSpec {
                    cluster: s("k"), name: s("web"), namespace: s("default"), labels: BTreeMap::new(), replicas: 2,
                    cpu_request_millicores: 250, memory_request_mib: 512, hpa: None, load: None, volume: None, containers: vec![], claim: None,
                    node_rules: crate::sim::eks::NodeRules {
                        node_selector: BTreeMap::from([(s("team"), s("data"))]),
                        required_terms: vec![vec![crate::sim::eks::NodeRequirement {
                            key: s("eks.amazonaws.com/capacityType"), operator: crate::sim::eks::SelectorOperator::In, values: vec![s("SPOT")],
                        }]],
                        tolerations: vec![crate::sim::eks::Toleration { key: s("dedicated"), exists: true, value: String::new(), effect: None }],
                    },
                    daemon: false,
                    bare: true,
                }),
            ),
            (
                r#"{"do": "scaleDeployment", "deployment": "web", "replicas": 0}"#,
                Command::ScaleDeployment { deployment: s("web"), replicas: 0 },
            ),
            (r#"{"do": "terminateNode", "node": "n-1"}"#, Command::TerminateNode { node: s("n-1") }),
            (r#"{"do": "deletePod", "pod": "web-00001"}"#, Command::DeletePod { pod: s("web-00001") }),
            (
                r#"{"do": "setNodeTaints", "node": "n-1", "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}"#,
                Command::SetNodeTaints {
                    node: s("n-1"),
                    taints: vec![crate::sim::eks::Taint { key: s("dedicated"), value: s("gpu"), effect: crate::sim::eks::TaintEffect::NoSchedule }],
                },
            ),
            (
                r#"{"do": "deleteDeployment", "deployment": "web"}"#,
                Command::DeleteDeployment { deployment: s("web") },
            ),
            (
                r#"{"do": "restartDeployment", "deployment": "web"}"#,
                Command::RestartDeployment { deployment: s("web") },
            ),
            (
                r#"{"do": "setDeploymentHpa", "deployment": "web", "hpa": {"targetCpuUtilization": 50.0, "minReplicas": 1, "maxReplicas": 5}}"#,
                Command::SetDeploymentHpa {
                    deployment: s("web"),
                    hpa: Some(crate::sim::eks::Hpa { name: None, target_cpu_utilization: 50.0, min_replicas: 1, max_replicas: 5 }),
                },
            ),
            (
                r#"{"do": "createNamespace", "cluster": "jobs", "namespace": "batch"}"#,
                Command::CreateNamespace { cluster: s("jobs"), namespace: s("batch") },
            ),
            (
                r#"{"do": "updateDeployment", "cluster": "k", "name": "web", "replicas": 3, "cpuRequestMillicores": 250, "memoryRequestMiB": 512, "containers": [{"name": "web", "image": "nginx:1.27"}], "daemon": true}"#,
                Command::UpdateDeployment(DeploymentSpec {
                    cluster: s("k"), name: s("web"), namespace: s("default"), labels: BTreeMap::new(), replicas: 3,
                    cpu_request_millicores: 250, memory_request_mib: 512, hpa: None, load: None, volume: None,
                    containers: vec![crate::sim::eks::ContainerImage { name: s("web"), image: s("nginx:1.27") }], claim: None,
                    node_rules: Default::default(),
                    daemon: true,
                    bare: false,
                }),
            ),
            (
                r#"{"do": "setDeploymentLoad", "deployment": "web", "load": {"shape": "constant", "units": 800}}"#,
                Command::SetDeploymentLoad { deployment: s("web"), load: LoadCurve::Constant { units: 800.0 } },
            ),
            (
                r#"{"do": "createStorageClass", "cluster": "k", "name": "ebs-sc", "driver": "ebs", "binding": "WaitForFirstConsumer"}"#,
                Command::CreateStorageClass(crate::sim::eks::StorageClassSpec {
                    cluster: s("k"), name: s("ebs-sc"), driver: crate::sim::eks::CsiDriver::Ebs,
                    binding: crate::sim::eks::BindingMode::WaitForFirstConsumer,
                }),
            ),
            (
                r#"{"do": "createPersistentVolume", "cluster": "k", "name": "efs-pv", "driver": "efs", "capacityGiB": 5, "accessModes": ["ReadWriteMany"]}"#,
                Command::CreatePersistentVolume(crate::sim::eks::VolumeSpec {
                    cluster: s("k"), name: s("efs-pv"), driver: crate::sim::eks::CsiDriver::Efs, capacity_gib: 5,
                    zone: None, storage_class: None, access_modes: vec![crate::sim::eks::AccessMode::ReadWriteMany],
                }),
            ),
            (
                r#"{"do": "createPersistentVolumeClaim", "cluster": "k", "name": "data", "requestGiB": 4, "storageClass": "ebs-sc"}"#,
                Command::CreatePersistentVolumeClaim(crate::sim::eks::ClaimSpec {
                    cluster: s("k"), namespace: s("default"), name: s("data"), request_gib: 4,
                    storage_class: Some(s("ebs-sc")), volume_name: None, access_modes: vec![],
                }),
            ),
            (
                r#"{"do": "deleteStorage", "kind": "pvc", "cluster": "k", "name": "data"}"#,
                Command::DeleteStorage { kind: s("pvc"), cluster: s("k"), namespace: s("default"), name: s("data") },
            ),
            (
                r#"{"do": "putPodDisruptionBudget", "cluster": "k", "name": "web", "selector": {"app": "web"}, "minAvailable": {"percent": 50}}"#,
                Command::PutPodDisruptionBudget(crate::sim::eks::PdbSpec {
                    cluster: s("k"), namespace: s("default"), name: s("web"),
                    selector: BTreeMap::from([(s("app"), s("web"))]),
                    min_available: Some(crate::sim::eks::Budget::Percent(50)), max_unavailable: None,
                }),
            ),
            (
                r#"{"do": "deletePodDisruptionBudget", "cluster": "k", "name": "web"}"#,
                Command::DeletePodDisruptionBudget { cluster: s("k"), namespace: s("default"), name: s("web") },
            ),
            (
                r#"{"do": "createAccessEntry", "cluster": "k", "principalArn": "arn:aws:iam::1:role/n", "type": "EC2_LINUX"}"#,
                Command::CreateAccessEntry { cluster: s("k"), principal_arn: s("arn:aws:iam::1:role/n"), entry_type: s("EC2_LINUX") },
            ),
            (
                r#"{"do": "associateAccessPolicy", "cluster": "k", "principalArn": "arn:aws:iam::1:role/a", "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "scope": "namespace", "namespaces": ["web"]}"#,
                Command::AssociateAccessPolicy { cluster: s("k"), principal_arn: s("arn:aws:iam::1:role/a"), policy_arn: s("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"), scope: s("namespace"), namespaces: vec![s("web")] },
            ),
            (
                r#"{"do": "updateNodeGroupConfig", "cluster": "k", "nodegroup": "ng", "desiredSize": 3}"#,
                Command::UpdateNodeGroupConfig { cluster: s("k"), nodegroup: s("ng"), min_size: None, max_size: None, desired_size: Some(3) },
            ),
        ];
        let named: Vec<&str> = golden
            .iter()
            .map(|(text, _)| {
                let value: Value = serde_json::from_str(text).unwrap();
                let name = value["do"].as_str().unwrap().to_string();
                COMMAND_NAMES.iter().copied().find(|n| *n == name).unwrap()
            })
            .collect();
        assert_eq!(
            named, COMMAND_NAMES,
            "one golden form per command, in order"
        );
        for (text, expected) in golden {
            let value: Value = serde_json::from_str(text).unwrap();
            let mut fields = value.as_object().unwrap().clone();
            let name = fields.remove("do").unwrap();
            let read = command_from_fields(name.as_str().unwrap(), &fields).unwrap();
            assert_eq!(read, expected, "{text}");
            // Written out and read again, nothing moves.
            let (again_name, again_fields) = command_to_fields(&read);
            assert_eq!(
                command_from_fields(again_name, &again_fields).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn bad_commands_are_refused_by_field() {
        let read = |name: &str, text: &str| {
            let value: Value = serde_json::from_str(text).unwrap();
            json::from_value::<Command>(&serde_json::json!({ name: value })).unwrap_err()
        };
        let error = read("loseAz", "{}");
        assert!(
            error.message.contains("loseAz: missing field `az`"),
            "{error}"
        );
        let error = read("loseAz", r#"{"az": "a", "zone": "b"}"#);
        assert!(
            error
                .message
                .contains("unknown field `zone`, expected `az`"),
            "{error}"
        );
        let error = read("updateService", r#"{"service": "web", "desiredCount": -1}"#);
        assert!(
            error
                .message
                .contains("updateService.desiredCount: invalid value: integer `-1`, expected u32"),
            "{error}"
        );
        let error = read("launchRockets", "{}");
        assert!(
            error.message.contains("unknown variant `launchRockets`"),
            "{error}"
        );
    }
}
