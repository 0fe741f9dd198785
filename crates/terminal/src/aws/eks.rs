//! `aws eks`: clusters, managed node groups, Fargate profiles and access
//! entries, each operation translated into the model's commands and each
//! response read off the world in the EKS API's shapes (`aws::tests`
//! checks them against the model).
//!
//! What EKS decides (which pods run where, whether a node joins, the
//! scaling bounds) is the model's; what is decided here is the API's
//! surface: ARNs, the exception a refusal comes back as, and the checks
//! the API makes on its parameters. EKS's resources are ACTIVE at once in
//! Dockyard (a real cluster is CREATING for about ten minutes, a node
//! group and a Fargate profile for a few): a note says so. Self-managed
//! nodes are not EKS's to launch; `dockyard launch-self-managed-nodes`
//! stands in for their Auto Scaling group.

use serde_json::{json, Map, Value};

use dockyard_model::sim::eks::{
    AccessEntry, CapacityType, FargateProfileSpec, FargateSelector, NodeGroup, NodeGroupSpec,
    Taint, TaintEffect, MAX_FARGATE_SELECTORS,
};
use dockyard_model::sim::{Command, World};

use super::{text, texts, timestamp, ApiError, Reply};
use crate::{Cloud, Refused};

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    match operation {
        "CreateCluster" => create_cluster(cloud, request),
        "DescribeCluster" => {
            let world = cloud.world();
            let name = cluster_named(world, text(request, "name"))?;
            Ok(json!({ "cluster": cluster(world, &name) }))
        }
        "ListClusters" => Ok(json!({
            "clusters": cloud.world().eks().clusters.iter().collect::<Vec<_>>()
        })),
        "CreateNodegroup" => create_nodegroup(cloud, request),
        "DescribeNodegroup" => {
            let world = cloud.world();
            let group = managed_group(world, request)?;
            Ok(json!({ "nodegroup": nodegroup(world, group) }))
        }
        "ListNodegroups" => {
            let world = cloud.world();
            let cluster = cluster_named(world, text(request, "clusterName"))?;
            let names: Vec<&String> = world
                .eks()
                .groups
                .values()
                .filter(|g| g.cluster == cluster && g.managed)
                .map(|g| &g.name)
                .collect();
            Ok(json!({ "nodegroups": names }))
        }
        "UpdateNodegroupConfig" => update_nodegroup_config(cloud, request),
        "CreateFargateProfile" => create_fargate_profile(cloud, request),
        "DescribeFargateProfile" => {
            let world = cloud.world();
            let profile = profile_named(world, request)?;
            Ok(json!({ "fargateProfile": fargate_profile(world, profile) }))
        }
        "ListFargateProfiles" => {
            let world = cloud.world();
            let cluster = cluster_named(world, text(request, "clusterName"))?;
            let names: Vec<&String> = world
                .eks()
                .profiles
                .keys()
                .filter(|(c, _)| *c == cluster)
                .map(|(_, name)| name)
                .collect();
            Ok(json!({ "fargateProfileNames": names }))
        }
        "CreateAccessEntry" => create_access_entry(cloud, request),
        "DescribeAccessEntry" => {
            let world = cloud.world();
            let entry = access_entry_of(world, request)?;
            Ok(json!({ "accessEntry": access_entry(world, entry) }))
        }
        "ListAccessEntries" => {
            let world = cloud.world();
            let cluster = cluster_named(world, text(request, "clusterName"))?;
            let policy = text(request, "associatedPolicyArn");
            let arns: Vec<&String> = world
                .eks()
                .access_entries
                .values()
                .filter(|e| e.cluster == cluster)
                .filter(|e| policy.is_none_or(|p| e.policies.iter().any(|a| a.policy_arn == p)))
                .map(|e| &e.principal_arn)
                .collect();
            Ok(json!({ "accessEntries": arns }))
        }
        "AssociateAccessPolicy" => associate_access_policy(cloud, request),
        // Deletes: answered with the object as it was, DELETING (EKS takes
        // minutes; Dockyard deletes at once, so a describe then finds none).
        "DeleteNodegroup" => {
            let world = cloud.world();
            let group = managed_group(world, request)?;
            let mut described = nodegroup(world, group);
            described["status"] = json!("DELETING");
            let (cluster, name) = (group.cluster.clone(), group.name.clone());
            cloud
                .apply(Command::DeleteNodeGroup {
                    cluster,
                    nodegroup: name,
                })
                .map_err(refused)?;
            Ok(json!({ "nodegroup": described }))
        }
        "DeleteFargateProfile" => {
            let world = cloud.world();
            let profile = profile_named(world, request)?;
            let mut described = fargate_profile(world, profile);
            described["status"] = json!("DELETING");
            let (cluster, name) = (profile.cluster.clone(), profile.name.clone());
            cloud
                .apply(Command::DeleteFargateProfile {
                    cluster,
                    profile: name,
                })
                .map_err(refused)?;
            Ok(json!({ "fargateProfile": described }))
        }
        "DeleteCluster" => {
            let world = cloud.world();
            let name = cluster_named(world, text(request, "name"))?;
            let mut described = cluster(world, &name);
            described["status"] = json!("DELETING");
            cloud
                .apply(Command::DeleteEksCluster { name })
                .map_err(refused)?;
            Ok(json!({ "cluster": described }))
        }
        _ => Err(not_simulated(
            "Dockyard's EKS model does not simulate this operation",
        )),
    }
}

/// The note a successful call carries, where Dockyard differs from EKS.
pub(super) fn note(operation: &str) -> Option<&'static str> {
    match operation {
        "CreateCluster" => Some(
            "Dockyard's cluster is ACTIVE at once; a real EKS cluster is CREATING for about 10 minutes first.",
        ),
        "CreateNodegroup" => Some(
            "The node group is CREATING while its instances boot and join, then ACTIVE (a real one takes a few minutes).",
        ),
        "CreateFargateProfile" => Some(
            "Dockyard's profile is ACTIVE at once (a real one is CREATING for a few minutes). It matches only pods created from now on: EKS chooses Fargate when a pod is created, so pods already Pending stay where they are until they are recreated. In AWS a profile's subnets must be private; Dockyard's account has only the default VPC's subnets, and takes them.",
        ),
        "UpdateNodegroupConfig" => Some(
            "The node group's Auto Scaling group launches or terminates instances at once; new nodes join when they have booted.",
        ),
        _ => None,
    }
}

fn not_simulated(why: &str) -> ApiError {
    ApiError::new(
        "DockyardNotSimulated",
        format!("{why}: nothing was changed"),
    )
}

/// Refuses a request member that Dockyard does not keep.
fn refuse_members(request: &Map<String, Value>, members: &[&str]) -> Result<(), ApiError> {
    for member in members {
        let given = match request.get(*member) {
            None | Some(Value::Null) => false,
            Some(Value::Array(items)) => !items.is_empty(),
            Some(Value::Object(map)) => !map.is_empty(),
            Some(_) => true,
        };
        if given {
            return Err(not_simulated(&format!(
                "Dockyard's EKS model does not keep {member}; leave it out"
            )));
        }
    }
    Ok(())
}

// ---- names and ARNs -------------------------------------------------------

fn arn(world: &World, resource: &str) -> String {
    format!(
        "arn:aws:eks:{}:{}:{resource}",
        world.region(),
        world.account_id()
    )
}

/// A stable id in a UUID's form, from what it names (EKS puts a UUID in
/// node group, Fargate profile and access entry ARNs).
fn uuid(seed: &str) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in seed.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let hex = format!("{hash:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn no_cluster(name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!("No cluster found for name: {name}."),
    )
}

/// The cluster a call names, which must exist.
fn cluster_named(world: &World, name: Option<&str>) -> Result<String, ApiError> {
    let name = name.unwrap_or_default();
    if world.eks().clusters.contains(name) {
        Ok(name.to_string())
    } else {
        Err(no_cluster(name))
    }
}

/// The Fargate profile a call names (clusterName, fargateProfileName).
fn profile_named<'w>(
    world: &'w World,
    request: &Map<String, Value>,
) -> Result<&'w FargateProfileSpec, ApiError> {
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let name = text(request, "fargateProfileName").unwrap_or_default();
    world
        .eks()
        .profiles
        .get(&(cluster, name.to_string()))
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("No Fargate Profile found with name: {name}."),
            )
        })
}

/// The managed node group a call names: EKS's API knows no other kind.
fn managed_group<'w>(
    world: &'w World,
    request: &Map<String, Value>,
) -> Result<&'w NodeGroup, ApiError> {
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let name = text(request, "nodegroupName").unwrap_or_default();
    world
        .eks()
        .groups
        .get(name)
        .filter(|g| g.cluster == cluster && g.managed)
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("No node group found for name: {name}."),
            )
        })
}

/// The exception EKS answers a model refusal with.
fn refused(refused: Refused) -> ApiError {
    let exception = match refused.code {
        Some("no-eks-cluster" | "no-nodegroup" | "no-access-entry" | "no-fargate-profile") => {
            "ResourceNotFoundException"
        }
        Some(
            "eks-cluster-in-use"
            | "eks-cluster-exists"
            | "nodegroup-exists"
            | "fargate-profile-exists"
            | "access-entry-exists",
        ) => "ResourceInUseException",
        Some(
            "scaling-config" | "instance-type" | "access-entry-type" | "fargate-selectors"
            | "subnet",
        ) => "InvalidParameterException",
        _ => "InvalidRequestException",
    };
    ApiError::refused(exception, refused)
}

/// Subnets of the account's VPC: each must exist, and at least `zones`
/// Availability Zones must be among them.
fn need_subnets(world: &World, subnets: &[String], zones: usize) -> Result<(), ApiError> {
    let vpc = world.default_vpc();
    let mut seen = Vec::new();
    for id in subnets {
        let Some(subnet) = vpc.subnets.iter().find(|s| s.subnet_id == *id) else {
            return Err(ApiError::new(
                "InvalidParameterException",
                format!("The subnet ID '{id}' does not exist"),
            ));
        };
        if !seen.contains(&subnet.availability_zone) {
            seen.push(subnet.availability_zone.clone());
        }
    }
    if seen.len() < zones {
        return Err(ApiError::new(
            "InvalidParameterException",
            "Subnets specified must be in at least two different AZs",
        ));
    }
    Ok(())
}

fn need_role_arn(arn: &str, member: &str) -> Result<(), ApiError> {
    let valid = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(":role/"))
        .is_some_and(|(account, name)| {
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        });
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterException",
            format!("{member} is not a valid IAM role ARN: {arn}"),
        ))
    }
}

// ---- clusters -------------------------------------------------------------

fn create_cluster(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    refuse_members(
        request,
        &[
            "computeConfig",
            "remoteNetworkConfig",
            "outpostConfig",
            "encryptionConfig",
            "storageConfig",
            "kubernetesNetworkConfig",
            "zonalShiftConfig",
            "tags",
        ],
    )?;
    let name = text(request, "name").unwrap_or_default().to_string();
    let role = text(request, "roleArn").unwrap_or_default().to_string();
    if cloud.world().eks().clusters.contains(&name) {
        return Err(ApiError::new(
            "ResourceInUseException",
            format!("Cluster already exists with name: {name}"),
        ));
    }
    need_role_arn(&role, "roleArn")?;
    let vpc = request.get("resourcesVpcConfig");
    let subnets: Vec<String> = vpc
        .and_then(|v| v.get("subnetIds"))
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    need_subnets(cloud.world(), &subnets, 2)?;
    cloud
        .apply(Command::CreateEksCluster {
            name: name.clone(),
            role_arn: Some(role),
            subnets,
        })
        .map_err(refused)?;
    Ok(json!({ "cluster": cluster(cloud.world(), &name) }))
}

fn cluster(world: &World, name: &str) -> Value {
    let id = uuid(&format!("cluster/{name}"))
        .replace('-', "")
        .to_uppercase();
    let mut value = json!({
        "name": name,
        "arn": arn(world, &format!("cluster/{name}")),
        "endpoint": format!("https://{id}.gr7.{}.eks.amazonaws.com", world.region()),
        "status": "ACTIVE",
        "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"},
        "tags": {},
    });
    if let Some(details) = world.eks().cluster_details.get(name) {
        value["createdAt"] = json!(timestamp(details.created_at));
        if let Some(role) = &details.role_arn {
            value["roleArn"] = json!(role);
        }
        value["resourcesVpcConfig"] = json!({
            "subnetIds": details.subnets,
            "vpcId": world.default_vpc().vpc_id,
            "endpointPublicAccess": true,
            "endpointPrivateAccess": false,
        });
    }
    value
}

// ---- node groups ----------------------------------------------------------

fn scaling(request: &Map<String, Value>, key: &str) -> Option<u32> {
    request
        .get("scalingConfig")
        .and_then(|c| c.get(key))
        .and_then(Value::as_u64)
        .map(|n| n as u32)
}

fn create_nodegroup(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    refuse_members(
        request,
        &[
            "launchTemplate",
            "remoteAccess",
            "tags",
            "warmPoolConfig",
            "nodeRepairConfig",
            "updateConfig",
            "releaseVersion",
        ],
    )?;
    let world = cloud.world();
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let name = text(request, "nodegroupName")
        .unwrap_or_default()
        .to_string();
    if world.eks().groups.contains_key(&name) {
        return Err(ApiError::refused(
            "ResourceInUseException",
            Refused {
                code: Some("nodegroup-exists"),
                message: format!(
                    "NodeGroup already exists with name {name} and cluster name {cluster}"
                ),
            },
        ));
    }
    let capacity_type = match text(request, "capacityType").unwrap_or("ON_DEMAND") {
        "ON_DEMAND" => CapacityType::OnDemand,
        "SPOT" => CapacityType::Spot,
        // A real capacity type (EC2 Capacity Blocks for ML: GPU capacity
        // reserved ahead for a fixed window, through a launch template that
        // names the reservation); Dockyard does not simulate it.
        "CAPACITY_BLOCK" => {
            return Err(not_simulated(
                "Dockyard's node groups are ON_DEMAND or SPOT; CAPACITY_BLOCK (EC2 Capacity Blocks for ML, which needs a launch template naming the capacity reservation) is a real capacity type that is not simulated",
            ))
        }
        other => {
            return Err(ApiError::new(
                "InvalidParameterException",
                format!("capacityType {other} is not one of ON_DEMAND, SPOT, CAPACITY_BLOCK"),
            ))
        }
    };
    let types = texts(request, "instanceTypes");
    if types.len() > 1 {
        return Err(not_simulated(
            "Dockyard's node groups have one instance type; give one in --instance-types",
        ));
    }
    let instance_type = types
        .first()
        .cloned()
        .unwrap_or_else(|| "t3.medium".to_string());
    let role = text(request, "nodeRole").unwrap_or_default().to_string();
    need_role_arn(&role, "nodeRole")?;
    let subnets = texts(request, "subnets");
    need_subnets(world, &subnets, 1)?;
    let taints = taints_of(request.get("taints"))?;
    // EKS's defaults: minSize 1, maxSize 2, desiredSize 2.
    let spec = NodeGroupSpec {
        cluster,
        name: name.clone(),
        instance_type,
        min_size: scaling(request, "minSize").unwrap_or(1),
        max_size: scaling(request, "maxSize").unwrap_or(2),
        desired_size: scaling(request, "desiredSize").unwrap_or(2),
        capacity_type,
        managed: true,
        node_role_mapped: None,
        node_role: Some(role),
        labels: labels_of(request.get("labels")),
        taints,
    };
    cloud
        .apply(Command::CreateNodeGroup(spec))
        .map_err(refused)?;
    let world = cloud.world();
    Ok(json!({ "nodegroup": nodegroup(world, &world.eks().groups[&name]) }))
}

fn nodegroup(world: &World, group: &NodeGroup) -> Value {
    let eks = world.eks();
    let booting = group
        .nodes
        .iter()
        .any(|n| eks.nodes.get(n).is_some_and(|n| !n.ready));
    let subnets: Vec<String> = world
        .default_vpc()
        .subnets
        .iter()
        .filter(|s| {
            group.nodes.iter().any(|n| {
                eks.nodes
                    .get(n)
                    .is_some_and(|n| n.az == s.availability_zone)
            })
        })
        .map(|s| s.subnet_id.clone())
        .collect();
    let id = uuid(&format!("nodegroup/{}/{}", group.cluster, group.name));
    let mut value = json!({
        "nodegroupName": group.name,
        "nodegroupArn": arn(world, &format!("nodegroup/{}/{}/{id}", group.cluster, group.name)),
        "clusterName": group.cluster,
        "status": if booting { "CREATING" } else { "ACTIVE" },
        "capacityType": match group.capacity_type {
            CapacityType::OnDemand => "ON_DEMAND",
            CapacityType::Spot => "SPOT",
        },
        "scalingConfig": {
            "minSize": group.min_size,
            "maxSize": group.max_size,
            "desiredSize": group.nodes.len(),
        },
        "instanceTypes": [group.instance_type],
        "subnets": subnets,
        "amiType": "AL2023_x86_64_STANDARD",
        "createdAt": timestamp(group.created_at),
        "modifiedAt": timestamp(group.created_at),
        "resources": {"autoScalingGroups": [{"name": format!("eks-{}-{id}", group.name)}]},
        "health": {"issues": []},
        "diskSize": 20,
        "labels": group.labels,
        "tags": {},
    });
    if !group.taints.is_empty() {
        value["taints"] = group
            .taints
            .iter()
            .map(|t| {
                let mut taint = json!({"key": t.key, "effect": t.effect.eks_name()});
                if !t.value.is_empty() {
                    taint["value"] = json!(t.value);
                }
                taint
            })
            .collect();
    }
    if let Some(role) = &group.node_role {
        value["nodeRole"] = json!(role);
    }
    value
}

fn update_nodegroup_config(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    refuse_members(
        request,
        &[
            "labels",
            "taints",
            "updateConfig",
            "nodeRepairConfig",
            "warmPoolConfig",
        ],
    )?;
    let world = cloud.world();
    let group = managed_group(world, request)?;
    let (cluster, name) = (group.cluster.clone(), group.name.clone());
    let sizes = [
        ("MinSize", scaling(request, "minSize")),
        ("MaxSize", scaling(request, "maxSize")),
        ("DesiredSize", scaling(request, "desiredSize")),
    ];
    if sizes.iter().all(|(_, size)| size.is_none()) {
        return Err(ApiError::new(
            "InvalidParameterException",
            "No changes needed: give a new --scaling-config (minSize, maxSize, desiredSize)",
        ));
    }
    cloud
        .apply(Command::UpdateNodeGroupConfig {
            cluster: cluster.clone(),
            nodegroup: name.clone(),
            min_size: sizes[0].1,
            max_size: sizes[1].1,
            desired_size: sizes[2].1,
        })
        .map_err(refused)?;
    let now = cloud.world().now();
    let params: Vec<Value> = sizes
        .iter()
        .filter_map(|(kind, size)| size.map(|s| json!({"type": kind, "value": s.to_string()})))
        .collect();
    Ok(json!({
        "update": {
            "id": uuid(&format!("update/{cluster}/{name}/{now}")),
            "status": "InProgress",
            "type": "ConfigUpdate",
            "params": params,
            "createdAt": timestamp(now),
            "errors": [],
        }
    }))
}

// ---- Fargate profiles -----------------------------------------------------

/// A node group's `taints`: key, value and an effect in the EKS API's
/// spelling (`NO_SCHEDULE`), as Kubernetes taints.
fn taints_of(value: Option<&Value>) -> Result<Vec<Taint>, ApiError> {
    let Some(list) = value.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|t| {
            let field = |name: &str| t.get(name).and_then(Value::as_str).unwrap_or_default();
            let effect = TaintEffect::from_eks_name(field("effect")).ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterException",
                    format!(
                        "Invalid taint effect: {}. Valid values are NO_SCHEDULE, NO_EXECUTE and PREFER_NO_SCHEDULE",
                        field("effect")
                    ),
                )
            })?;
            if field("key").is_empty() {
                return Err(ApiError::new(
                    "InvalidParameterException",
                    "Taint key cannot be empty".to_string(),
                ));
            }
            Ok(Taint {
                key: field("key").to_string(),
                value: field("value").to_string(),
                effect,
            })
        })
        .collect()
}

fn labels_of(value: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn create_fargate_profile(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    refuse_members(request, &["tags"])?;
    let world = cloud.world();
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let name = text(request, "fargateProfileName")
        .unwrap_or_default()
        .to_string();
    if name.starts_with("eks-") {
        return Err(ApiError::new(
            "InvalidParameterException",
            "The fargate profile name starts with the reserved prefix: 'eks-'.",
        ));
    }
    let role = text(request, "podExecutionRoleArn")
        .unwrap_or_default()
        .to_string();
    need_role_arn(&role, "podExecutionRoleArn")?;
    let selectors: Vec<FargateSelector> = request
        .get("selectors")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|s| FargateSelector {
                    namespace: s
                        .get("namespace")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    labels: labels_of(s.get("labels")),
                })
                .collect()
        })
        .unwrap_or_default();
    if selectors.is_empty() || selectors.iter().any(|s| s.namespace.is_empty()) {
        return Err(ApiError::new(
            "InvalidParameterException",
            "A Fargate profile needs at least one selector, and each selector a namespace.",
        ));
    }
    if selectors.len() > MAX_FARGATE_SELECTORS {
        return Err(ApiError::new(
            "InvalidParameterException",
            format!(
                "A Fargate profile has at most {MAX_FARGATE_SELECTORS} selectors; {} were given.",
                selectors.len()
            ),
        ));
    }
    let mut subnets = texts(request, "subnets");
    need_subnets(world, &subnets, 0)?;
    if subnets.is_empty() {
        // EKS's default: the cluster's subnets.
        if let Some(details) = world.eks().cluster_details.get(&cluster) {
            subnets.clone_from(&details.subnets);
        }
    }
    let mut selectors = selectors.into_iter();
    let first = selectors.next().expect("one at least");
    let spec = FargateProfileSpec {
        cluster: cluster.clone(),
        name: name.clone(),
        namespace: first.namespace,
        labels: first.labels,
        more_selectors: selectors.collect(),
        pod_execution_role_arn: Some(role),
        subnets,
    };
    if world
        .eks()
        .profiles
        .contains_key(&(cluster.clone(), name.clone()))
    {
        return Err(ApiError::refused(
            "ResourceInUseException",
            Refused {
                code: Some("fargate-profile-exists"),
                message: format!("A Fargate profile already exists with name {name} in cluster {cluster}. Fargate profiles are immutable: create one with another name."),
            },
        ));
    }
    cloud
        .apply(Command::CreateFargateProfile(spec))
        .map_err(refused)?;
    let world = cloud.world();
    let profile = &world.eks().profiles[&(cluster, name)];
    Ok(json!({ "fargateProfile": fargate_profile(world, profile) }))
}

fn fargate_profile(world: &World, profile: &FargateProfileSpec) -> Value {
    let id = uuid(&format!(
        "fargateprofile/{}/{}",
        profile.cluster, profile.name
    ));
    let selectors: Vec<Value> = profile
        .selectors()
        .iter()
        .map(|s| {
            let mut selector = json!({"namespace": s.namespace});
            if !s.labels.is_empty() {
                selector["labels"] = json!(s.labels);
            }
            selector
        })
        .collect();
    let mut value = json!({
        "fargateProfileName": profile.name,
        "fargateProfileArn": arn(world, &format!("fargateprofile/{}/{}/{id}", profile.cluster, profile.name)),
        "clusterName": profile.cluster,
        "selectors": selectors,
        "subnets": profile.subnets,
        "status": "ACTIVE",
        "tags": {},
    });
    if let Some(role) = &profile.pod_execution_role_arn {
        value["podExecutionRoleArn"] = json!(role);
    }
    value
}

// ---- access entries -------------------------------------------------------

fn create_access_entry(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    refuse_members(request, &["kubernetesGroups", "username", "tags"])?;
    let world = cloud.world();
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let principal = text(request, "principalArn")
        .unwrap_or_default()
        .to_string();
    let principal_ok = principal
        .strip_prefix("arn:aws:iam::")
        .is_some_and(|rest| rest.contains(":role/") || rest.contains(":user/"));
    if !principal_ok {
        return Err(ApiError::new(
            "InvalidParameterException",
            format!("The principalArn {principal} is not an IAM role or user ARN."),
        ));
    }
    let entry_type = text(request, "type").unwrap_or("STANDARD").to_string();
    if world
        .eks()
        .access_entries
        .contains_key(&(cluster.clone(), principal.clone()))
    {
        return Err(ApiError::refused(
            "ResourceInUseException",
            Refused {
                code: Some("access-entry-exists"),
                message: "The specified access entry resource is already in use on this cluster."
                    .into(),
            },
        ));
    }
    cloud
        .apply(Command::CreateAccessEntry {
            cluster: cluster.clone(),
            principal_arn: principal.clone(),
            entry_type,
        })
        .map_err(refused)?;
    let world = cloud.world();
    let entry = &world.eks().access_entries[&(cluster, principal)];
    Ok(json!({ "accessEntry": access_entry(world, entry) }))
}

fn access_entry_of<'w>(
    world: &'w World,
    request: &Map<String, Value>,
) -> Result<&'w AccessEntry, ApiError> {
    let cluster = cluster_named(world, text(request, "clusterName"))?;
    let principal = text(request, "principalArn").unwrap_or_default();
    world
        .eks()
        .access_entries
        .get(&(cluster.clone(), principal.to_string()))
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("No access entry found for principal {principal} in cluster {cluster}."),
            )
        })
}

fn access_entry(world: &World, entry: &AccessEntry) -> Value {
    // access-entry/CLUSTER/role/ACCOUNT/NAME/UUID, as EKS writes them.
    let (kind, name) = entry
        .principal_arn
        .rsplit_once(":role/")
        .map(|(_, name)| ("role", name))
        .or_else(|| {
            entry
                .principal_arn
                .rsplit_once(":user/")
                .map(|(_, name)| ("user", name))
        })
        .unwrap_or(("role", entry.principal_arn.as_str()));
    let account = entry
        .principal_arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_default();
    let id = uuid(&format!(
        "access-entry/{}/{}",
        entry.cluster, entry.principal_arn
    ));
    json!({
        "clusterName": entry.cluster,
        "principalArn": entry.principal_arn,
        "kubernetesGroups": [],
        "accessEntryArn": arn(world, &format!("access-entry/{}/{kind}/{account}/{name}/{id}", entry.cluster)),
        "createdAt": timestamp(entry.created_at),
        "modifiedAt": timestamp(entry.modified_at),
        "tags": {},
        "username": entry.entry_type.username(&entry.principal_arn),
        "type": entry.entry_type.as_str(),
    })
}

fn associate_access_policy(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let entry = access_entry_of(world, request)?;
    let (cluster, principal) = (entry.cluster.clone(), entry.principal_arn.clone());
    let policy = text(request, "policyArn").unwrap_or_default().to_string();
    if !policy.starts_with("arn:aws:eks::aws:cluster-access-policy/") {
        return Err(ApiError::new(
            "InvalidParameterException",
            format!("The policyArn {policy} is not an EKS access policy (arn:aws:eks::aws:cluster-access-policy/NAME)."),
        ));
    }
    let scope = request.get("accessScope");
    let scope_type = scope
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("cluster")
        .to_string();
    let namespaces: Vec<String> = scope
        .and_then(|s| s.get("namespaces"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    cloud
        .apply(Command::AssociateAccessPolicy {
            cluster: cluster.clone(),
            principal_arn: principal.clone(),
            policy_arn: policy.clone(),
            scope: scope_type.clone(),
            namespaces: namespaces.clone(),
        })
        .map_err(|r| match r.code {
            Some("access-entry-type") => ApiError::refused("InvalidParameterException", r),
            _ => refused(r),
        })?;
    let world = cloud.world();
    let entry = &world.eks().access_entries[&(cluster.clone(), principal.clone())];
    let at = entry
        .policies
        .iter()
        .position(|p| p.policy_arn == policy)
        .map(|i| entry.associated_at[i])
        .unwrap_or_else(|| world.now());
    let mut access_scope = json!({"type": scope_type});
    if !namespaces.is_empty() {
        access_scope["namespaces"] = json!(namespaces);
    }
    Ok(json!({
        "clusterName": cluster,
        "principalArn": principal,
        "associatedAccessPolicy": {
            "policyArn": policy,
            "accessScope": access_scope,
            "associatedAt": timestamp(at),
            "modifiedAt": timestamp(at),
        }
    }))
}
