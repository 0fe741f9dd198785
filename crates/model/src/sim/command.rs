//! What a learner, a lesson or a test can do to the world: one `Command`
//! per action, as the model takes it. Its JSON form lives beside it in
//! `super::command_json`; only those two modules know the command's shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::eks;
use super::load::{LoadCurve, Metric, ServiceScaling};
pub use super::network::AssignPublicIp;
use super::types::*;
pub use super::world::LoadBalancerType;
use crate::taskdef::TaskDefinition;

/// A command: one thing a learner, a lesson or a test does. In files it is
/// written flat, `{"do": "loseAz", "az": "..."}`, inside a scenario step
/// (see `scenario::Step`, which does the flattening: serde's internally
/// tagged enums cost the browser bundle tens of kilobytes of code). It is
/// read and written by hand, in [`super::command_json`], which also applies
/// the defaults of fields left out (`count` 1, `targetCapacity` 100, ...).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    CreateCluster {
        name: String,
    },
    LaunchInstances {
        cluster: String,
        instance_type: String,
        az: String,
        count: u32,
        spot: bool,
        /// The instance profile's role ARN; the standard ecsInstanceRole when absent.
        instance_role: Option<String>,
        /// `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true` in the agent's
        /// /etc/ecs/ecs.config: the agent sets the instance to DRAINING when
        /// EC2 sends its Spot interruption notice. Off by default.
        spot_instance_draining: bool,
    },
    CreateCapacityProvider(CapacityProviderSpec),
    RegisterTaskDefinition {
        definition: Box<TaskDefinition>,
    },
    /// DeregisterTaskDefinition: `family:revision` becomes INACTIVE.
    DeregisterTaskDefinition {
        task_definition: String,
    },
    /// An IAM role as policy JSON, referred to by ARN from task definitions.
    CreateRole {
        name: String,
        trusted_service: String,
        managed_policies: Vec<String>,
        policies: BTreeMap<String, serde_json::Value>,
        /// The whole trust policy, when the learner wrote one (with its
        /// conditions); otherwise the standard one for `trusted_service`.
        trust_policy: Option<serde_json::Value>,
    },
    /// PutRolePolicy: adds (or replaces) an inline policy of a role, by the role's name.
    PutRolePolicy {
        role: String,
        name: String,
        document: serde_json::Value,
    },
    /// AttachRolePolicy: attaches a managed policy, AWS's (by name or ARN)
    /// or the account's own (by ARN).
    AttachRolePolicy {
        role: String,
        policy: String,
    },
    /// UpdateAssumeRolePolicy: replaces a role's trust policy.
    UpdateAssumeRolePolicy {
        role: String,
        document: serde_json::Value,
    },
    /// CreatePolicy: a customer managed policy, `arn:aws:iam::ACCOUNT:policy/NAME`.
    CreatePolicy {
        name: String,
        document: serde_json::Value,
    },
    /// PutRolePermissionsBoundary with a managed policy's ARN, or
    /// DeleteRolePermissionsBoundary with `None`.
    PutRolePermissionsBoundary {
        role: String,
        policy: Option<String>,
    },
    /// A resource-based policy on the resource with this ARN, in this
    /// account or another: ECR SetRepositoryPolicy, S3 PutBucketPolicy,
    /// KMS PutKeyPolicy, Secrets Manager PutResourcePolicy. `None` deletes it.
    PutResourcePolicy {
        resource: String,
        policy: Option<serde_json::Value>,
    },
    /// A secret (by ARN) encrypted with a customer managed KMS key (by
    /// ARN), as CreateSecret or UpdateSecret with `KmsKeyId` sets it.
    EncryptSecret {
        secret: String,
        key: String,
    },
    /// The account joins an organization whose management account is
    /// another one (SCPs never apply to the management account itself),
    /// with AWS's `FullAWSAccess` attached, as every account of an
    /// organization with SCPs enabled has.
    JoinOrganization {
        management_account: String,
    },
    /// Organizations' CreatePolicy of a service control policy (not yet
    /// attached to anything), made for the organization's management
    /// account.
    CreateServiceControlPolicy {
        name: String,
        description: String,
        document: serde_json::Value,
    },
    /// Organizations' AttachPolicy of an SCP, by name, to the account.
    AttachServiceControlPolicy {
        name: String,
    },
    /// Organizations' DetachPolicy from the account (`FullAWSAccess` too,
    /// after which only what the other SCPs allow is allowed).
    DetachServiceControlPolicy {
        name: String,
    },
    RunTask {
        cluster: String,
        task_definition: String,
        count: u32,
        capacity: Capacity,
        /// `awsvpcConfiguration.assignPublicIp` (see [`AssignPublicIp`]).
        assign_public_ip: Option<AssignPublicIp>,
    },
    CreateService(ServiceSpec),
    /// UpdateService with a new task definition (or the same one, as
    /// forceNewDeployment): a rolling deployment within the service's
    /// minimumHealthyPercent and maximumPercent (rules §6.1).
    Deploy {
        service: String,
        task_definition: Option<String>,
    },
    /// Assigns a service's task role and execution role the way AWS does:
    /// a new revision of its task definition with these ARNs (`None`
    /// removes one), rolled out by a deployment.
    SetTaskRoles {
        service: String,
        task_role_arn: Option<String>,
        execution_role_arn: Option<String>,
    },
    UpdateService {
        service: String,
        desired_count: u32,
    },
    /// Application Auto Scaling for a service, whole: its scalable target's
    /// bounds and its policies (`None` deregisters it). The terminal's
    /// RegisterScalableTarget and PutScalingPolicy each send the result.
    SetServiceScaling {
        service: String,
        scaling: Option<ServiceScaling>,
    },
    SetLoad {
        service: String,
        load: LoadCurve,
        /// Which demand the curve describes (CPU by default).
        metric: Metric,
    },
    StopTask {
        task: String,
    },
    TerminateInstance {
        instance: String,
    },
    LoseAz {
        az: String,
    },
    RestoreAz {
        az: String,
    },
    /// A container of a running task exits (the process ended or crashed).
    ExitContainer {
        task: String,
        container: String,
        exit_code: i32,
    },
    /// A container's memory use grows to `mib`: above its hard limit the
    /// kernel kills it (OutOfMemoryError); above its soft limit is allowed.
    UseMemory {
        task: String,
        container: String,
        mib: u32,
    },
    /// A running task writes a file to one of its volumes, or (without a
    /// volume) to a container's own filesystem.
    WriteFile {
        task: String,
        volume: Option<String>,
        container: Option<String>,
        path: String,
        contents: String,
    },
    /// Sets a container instance to DRAINING (rules §6.4).
    DrainInstance {
        instance: String,
    },
    /// EC2 reclaims a Spot instance: a two-minute warning, the instance is
    /// drained, then terminated.
    InterruptSpotInstance {
        instance: String,
    },
    /// Reclaims Fargate Spot capacity under `count` of the service's tasks.
    InterruptSpot {
        service: String,
        count: u32,
    },
    /// EKS (rules §7); the state and rules live in [`super::eks`].
    CreateEksCluster {
        name: String,
        /// CreateCluster's roleArn and subnets, kept to be described.
        role_arn: Option<String>,
        subnets: Vec<String>,
    },
    CreateNodeGroup(eks::NodeGroupSpec),
    CreateFargateProfile(eks::FargateProfileSpec),
    CreateDeployment(eks::DeploymentSpec),
    ScaleDeployment {
        deployment: String,
        replicas: u32,
    },
    TerminateNode {
        node: String,
    },
    /// `kubectl taint nodes`: the node's taints from now on. Pods already
    /// on it stay (Dockyard does not evict for NoExecute).
    SetNodeTaints {
        node: String,
        taints: Vec<eks::Taint>,
    },
    /// `kubectl delete pod`: the pod terminates, and its Deployment's
    /// ReplicaSet creates a replacement at once.
    DeletePod {
        pod: String,
    },
    /// `kubectl apply` of a deployment that exists: its replicas and its
    /// pod template (new pods when the template changed). Its HPA and
    /// load stay.
    UpdateDeployment(eks::DeploymentSpec),
    /// `kubectl delete deployment`: the deployment and its pods.
    DeleteDeployment {
        deployment: String,
    },
    /// `kubectl rollout restart`: new pods for old.
    RestartDeployment {
        deployment: String,
    },
    /// A HorizontalPodAutoscaler on the deployment, or none.
    SetDeploymentHpa {
        deployment: String,
        hpa: Option<eks::Hpa>,
    },
    /// The CPU work on a deployment's pods over time (in millicores), as
    /// traffic would bring it: what its HPA measures.
    SetDeploymentLoad {
        deployment: String,
        load: LoadCurve,
    },
    /// `kubectl apply` of a StorageClass, a PersistentVolume or a
    /// PersistentVolumeClaim, and `kubectl delete` of one.
    CreateStorageClass(eks::StorageClassSpec),
    CreatePersistentVolume(eks::VolumeSpec),
    CreatePersistentVolumeClaim(eks::ClaimSpec),
    /// `kind` is storageclass, pv or pvc; `namespace` is a claim's.
    DeleteStorage {
        kind: String,
        cluster: String,
        namespace: String,
        name: String,
    },
    /// `kubectl apply` of a policy/v1 PodDisruptionBudget (created or
    /// replaced), and `kubectl delete pdb`.
    PutPodDisruptionBudget(eks::PdbSpec),
    DeletePodDisruptionBudget {
        cluster: String,
        namespace: String,
        name: String,
    },
    /// `kubectl create namespace`.
    CreateNamespace {
        cluster: String,
        namespace: String,
    },
    /// CreateAccessEntry: `entry_type` is STANDARD, EC2_LINUX, EC2_WINDOWS
    /// or FARGATE_LINUX; an EC2 entry for a node role lets its nodes join.
    CreateAccessEntry {
        cluster: String,
        principal_arn: String,
        entry_type: String,
    },
    /// AssociateAccessPolicy on a STANDARD entry (`scope` cluster or namespace).
    AssociateAccessPolicy {
        cluster: String,
        principal_arn: String,
        policy_arn: String,
        scope: String,
        namespaces: Vec<String>,
    },
    /// UpdateNodegroupConfig's scalingConfig on a managed node group.
    UpdateNodeGroupConfig {
        cluster: String,
        nodegroup: String,
        min_size: Option<u32>,
        max_size: Option<u32>,
        desired_size: Option<u32>,
    },
    /// EKS's DeleteNodegroup (managed groups only).
    DeleteNodeGroup {
        cluster: String,
        nodegroup: String,
    },
    DeleteFargateProfile {
        cluster: String,
        profile: String,
    },
    /// EKS's DeleteCluster: refused while node groups or Fargate profiles
    /// are attached.
    DeleteEksCluster {
        name: String,
    },
    /// EC2's AllocateAddress: an Elastic IP, billed until released.
    AllocateAddress,
    ReleaseAddress {
        allocation_id: String,
    },
    /// A public NAT gateway in `subnet` (a subnet id, or in JSON the name
    /// of the zone whose default subnet it is), with an Elastic IP (a new
    /// one when none is named, as the console offers).
    CreateNatGateway {
        subnet: String,
        allocation_id: Option<String>,
    },
    DeleteNatGateway {
        nat_gateway: String,
    },
    /// Elastic Load Balancing's CreateLoadBalancer (subnets as for NAT).
    CreateLoadBalancer {
        name: String,
        kind: LoadBalancerType,
        subnets: Vec<String>,
    },
    /// By ARN (or, in JSON, by name).
    DeleteLoadBalancer {
        load_balancer: String,
    },
}

/// A capacity provider as CreateCapacityProvider takes it (with its Auto Scaling
/// group's instance type, size and managed scaling settings).
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityProviderSpec {
    pub cluster: String,
    pub name: String,
    pub instance_type: String,
    pub min_size: u32,
    pub max_size: u32,
    pub target_capacity: u32,
    pub minimum_scaling_step_size: u32,
    pub maximum_scaling_step_size: u32,
    pub instance_warmup_period: u64,
    pub spot: bool,
}

/// A service as CreateService takes it, with the work it serves (the load
/// curves) and its scaling policies.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSpec {
    pub cluster: String,
    pub name: String,
    pub task_definition: String,
    pub desired_count: u32,
    pub capacity: Capacity,
    pub placement_strategy: Option<Vec<Strategy>>,
    pub placement_constraints: Vec<Constraint>,
    pub scaling: Option<ServiceScaling>,
    /// CPU units of work.
    pub load: Option<LoadCurve>,
    /// MiB of memory the work needs, across the service.
    pub memory_load: Option<LoadCurve>,
    /// Requests per minute reaching the service's load balancer.
    pub request_load: Option<LoadCurve>,
    /// `awsvpcConfiguration.assignPublicIp` (see [`AssignPublicIp`]).
    pub assign_public_ip: Option<AssignPublicIp>,
    pub deployment_configuration: DeploymentConfiguration,
}

/// How a service rolls out a new task definition (rules §6.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DeploymentConfiguration {
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub deployment_circuit_breaker: Option<CircuitBreaker>,
}

impl Default for DeploymentConfiguration {
    fn default() -> Self {
        DeploymentConfiguration {
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            deployment_circuit_breaker: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}
