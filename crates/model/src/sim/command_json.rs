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
    "updateAssumeRolePolicy",
    "createPolicy",
    "putRolePermissionsBoundary",
    "putResourcePolicy",
    "encryptSecret",
    "joinOrganization",
    "createServiceControlPolicy",
    "attachServiceControlPolicy",
    "detachServiceControlPolicy",
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
    "deleteNodeGroup",
    "deleteFargateProfile",
    "deleteEksCluster",
    "allocateAddress",
    "releaseAddress",
    "createNatGateway",
    "deleteNatGateway",
    "createLoadBalancer",
    "deleteLoadBalancer",
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
        "updateAssumeRolePolicy" => UpdateAssumeRolePolicy {
            role: f.need("role")?,
            document: f.need("document")?,
        },
        "createPolicy" => CreatePolicy {
            name: f.need("name")?,
            document: f.need("document")?,
        },
        "putRolePermissionsBoundary" => PutRolePermissionsBoundary {
            role: f.need("role")?,
            policy: f.or_default("policy")?,
        },
        "putResourcePolicy" => PutResourcePolicy {
            resource: f.need("resource")?,
            policy: f.or_default("policy")?,
        },
        "encryptSecret" => EncryptSecret {
            secret: f.need("secret")?,
            key: f.need("key")?,
        },
        "joinOrganization" => JoinOrganization {
            management_account: f.need("managementAccount")?,
        },
        "createServiceControlPolicy" => CreateServiceControlPolicy {
            name: f.need("name")?,
            description: f.or_default("description")?,
            document: f.need("document")?,
        },
        "attachServiceControlPolicy" => AttachServiceControlPolicy {
            name: f.need("name")?,
        },
        "detachServiceControlPolicy" => DetachServiceControlPolicy {
            name: f.need("name")?,
        },
        "runTask" => RunTask {
            cluster: f.need("cluster")?,
            task_definition: f.need("taskDefinition")?,
            count: f.or("count", 1)?,
            capacity: f.need("capacity")?,
            assign_public_ip: f.or_default("assignPublicIp")?,
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
            assign_public_ip: f.or_default("assignPublicIp")?,
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
        "deleteNodeGroup" => DeleteNodeGroup {
            cluster: f.need("cluster")?,
            nodegroup: f.need("nodegroup")?,
        },
        "deleteFargateProfile" => DeleteFargateProfile {
            cluster: f.need("cluster")?,
            profile: f.need("profile")?,
        },
        "deleteEksCluster" => DeleteEksCluster {
            name: f.need("name")?,
        },
        "allocateAddress" => AllocateAddress,
        "releaseAddress" => ReleaseAddress {
            allocation_id: f.need("allocationId")?,
        },
        "createNatGateway" => CreateNatGateway {
            subnet: f.need("subnet")?,
            allocation_id: f.get("allocationId")?,
        },
        "deleteNatGateway" => DeleteNatGateway {
            nat_gateway: f.need("natGateway")?,
        },
        "createLoadBalancer" => CreateLoadBalancer {
            name: f.need("name")?,
            kind: f.or("type", super::world::LoadBalancerType::Application)?,
            subnets: f.need("subnets")?,
        },
        "deleteLoadBalancer" => DeleteLoadBalancer {
            load_balancer: f.need("loadBalancer")?,
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
    super::network::AssignPublicIp,
    super::world::LoadBalancerType,
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
        UpdateAssumeRolePolicy { role, document } => {
            put(&mut m, "role", role);
            put(&mut m, "document", document);
            "updateAssumeRolePolicy"
        }
        CreatePolicy { name, document } => {
            put(&mut m, "name", name);
            put(&mut m, "document", document);
            "createPolicy"
        }
        PutRolePermissionsBoundary { role, policy } => {
            put(&mut m, "role", role);
            if let Some(policy) = policy {
                put(&mut m, "policy", policy);
            }
            "putRolePermissionsBoundary"
        }
        PutResourcePolicy { resource, policy } => {
            put(&mut m, "resource", resource);
            if let Some(policy) = policy {
                put(&mut m, "policy", policy);
            }
            "putResourcePolicy"
        }
        EncryptSecret { secret, key } => {
            put(&mut m, "secret", secret);
            put(&mut m, "key", key);
            "encryptSecret"
        }
        JoinOrganization { management_account } => {
            put(&mut m, "managementAccount", management_account);
            "joinOrganization"
        }
        CreateServiceControlPolicy {
            name,
            description,
            document,
        } => {
            put(&mut m, "name", name);
            if !description.is_empty() {
                put(&mut m, "description", description);
            }
            put(&mut m, "document", document);
            "createServiceControlPolicy"
        }
        AttachServiceControlPolicy { name } => {
            put(&mut m, "name", name);
            "attachServiceControlPolicy"
        }
        DetachServiceControlPolicy { name } => {
            put(&mut m, "name", name);
            "detachServiceControlPolicy"
        }
        RunTask {
            cluster,
            task_definition,
            count,
            capacity,
            assign_public_ip,
        } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "taskDefinition", task_definition);
            put(&mut m, "count", count);
            put(&mut m, "capacity", capacity);
            put_some(&mut m, "assignPublicIp", assign_public_ip);
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
            assign_public_ip,
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
            put_some(&mut m, "assignPublicIp", assign_public_ip);
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
        DeleteNodeGroup { cluster, nodegroup } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "nodegroup", nodegroup);
            "deleteNodeGroup"
        }
        DeleteFargateProfile { cluster, profile } => {
            put(&mut m, "cluster", cluster);
            put(&mut m, "profile", profile);
            "deleteFargateProfile"
        }
        DeleteEksCluster { name } => {
            put(&mut m, "name", name);
            "deleteEksCluster"
        }
        AllocateAddress => "allocateAddress",
        ReleaseAddress { allocation_id } => {
            put(&mut m, "allocationId", allocation_id);
            "releaseAddress"
        }
        CreateNatGateway {
            subnet,
            allocation_id,
        } => {
            put(&mut m, "subnet", subnet);
            put_some(&mut m, "allocationId", allocation_id);
            "createNatGateway"
        }
        DeleteNatGateway { nat_gateway } => {
            put(&mut m, "natGateway", nat_gateway);
            "deleteNatGateway"
        }
        CreateLoadBalancer {
            name,
            kind,
            subnets,
        } => {
            put(&mut m, "name", name);
            put(&mut m, "type", kind);
            put(&mut m, "subnets", subnets);
            "createLoadBalancer"
        }
        DeleteLoadBalancer { load_balancer } => {
            put(&mut m, "loadBalancer", load_balancer);
            "deleteLoadBalancer"
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
mod tests;
