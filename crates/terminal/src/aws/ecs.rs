//! `aws ecs`: each operation translated into the model's commands, and
//! each response read off the world in the API's shape (the member names
//! of the ECS API model; `aws::tests` checks every response against it).
//!
//! What ECS decides (a service's tasks, placement, deployments, refusals)
//! is the model's; what is decided here is only the API's surface: which
//! cluster a call names by default (`default`), ARNs, which exception a
//! refusal comes back as, and the idempotent answers the API documents
//! (CreateCluster with a name that exists returns that cluster).

use serde_json::{json, Map, Value};

use dockyard_model::sim::network::{AssignPublicIp, AwsVpcConfiguration};
use dockyard_model::sim::{
    Capacity, Command, Constraint, DeploymentConfiguration, Instance, Placement, Service,
    ServiceSpec, Strategy, StrategyItem, Task, TaskState, World,
};
use dockyard_model::taskdef::{self, Revision, TaskDefinition};

use super::{text, texts, timestamp, ApiError, Reply};
use crate::{Cloud, Refused};

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    match operation {
        "CreateCluster" => create_cluster(cloud, request),
        "DescribeClusters" => describe_clusters(cloud.world(), request),
        "ListClusters" => Ok(json!({
            "clusterArns": cloud.world().clusters().map(|c| cluster_arn(cloud.world(), c)).collect::<Vec<_>>()
        })),
        "RegisterTaskDefinition" => register_task_definition(cloud, request),
        "DescribeTaskDefinition" => {
            let world = cloud.world();
            let reference = text(request, "taskDefinition").unwrap_or_default();
            let revision = world.find_task_definition(reference).map_err(|_| {
                ApiError::new("ClientException", "Unable to describe task definition.")
            })?;
            Ok(json!({ "taskDefinition": task_definition(world, &revision) }))
        }
        "DeregisterTaskDefinition" => {
            // A revision must be named: family:revision or its ARN.
            let reference = text(request, "taskDefinition").unwrap_or_default();
            let revision = cloud
                .world()
                .find_task_definition(reference)
                .ok()
                .filter(|_| reference.contains(':'))
                .ok_or_else(|| {
                    ApiError::new(
                        "ClientException",
                        "The specified task definition does not exist. Specify a family and a revision (family:revision).",
                    )
                })?;
            cloud
                .apply(Command::DeregisterTaskDefinition {
                    task_definition: revision.to_string(),
                })
                .map_err(refused)?;
            let world = cloud.world();
            Ok(json!({ "taskDefinition": task_definition(world, &revision) }))
        }
        "ListTaskDefinitions" => list_task_definitions(cloud.world(), request),
        "ListTaskDefinitionFamilies" => {
            let prefix = text(request, "familyPrefix").unwrap_or_default();
            let mut families: Vec<String> = cloud
                .world()
                .task_definitions()
                .map(|(revision, _)| revision.family)
                .filter(|family| family.starts_with(prefix))
                .collect();
            families.dedup();
            Ok(json!({ "families": families }))
        }
        "CreateService" => create_service(cloud, request),
        "UpdateService" => update_service(cloud, request),
        "DescribeServices" => describe_services(cloud.world(), request),
        "ListServices" => {
            let world = cloud.world();
            let cluster = cluster_of(world, request)?;
            Ok(json!({
                "serviceArns": world.services().filter(|s| s.cluster == cluster)
                    .map(|s| service_arn(world, s)).collect::<Vec<_>>()
            }))
        }
        "RunTask" => run_task(cloud, request),
        "StopTask" => stop_task(cloud, request),
        "DescribeTasks" => describe_tasks(cloud.world(), request),
        "ListTasks" => list_tasks(cloud.world(), request),
        "ListContainerInstances" => {
            let world = cloud.world();
            let cluster = cluster_of(world, request)?;
            let status = text(request, "status");
            Ok(json!({
                "containerInstanceArns": world.instances()
                    .filter(|i| i.cluster == cluster && i.registered)
                    .filter(|i| status.is_none_or(|s| s == instance_status(i)))
                    .map(|i| instance_arn(world, i)).collect::<Vec<_>>()
            }))
        }
        "DescribeContainerInstances" => describe_container_instances(cloud.world(), request),
        "UpdateContainerInstancesState" => update_container_instances_state(cloud, request),
        "DescribeCapacityProviders" => describe_capacity_providers(cloud.world(), request),
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("Dockyard does not simulate {operation} yet: nothing was changed"),
        )),
    }
}

// ---- names and ARNs -------------------------------------------------------

fn arn(world: &World, resource: &str) -> String {
    format!(
        "arn:aws:ecs:{}:{}:{resource}",
        world.region(),
        world.account_id()
    )
}

fn cluster_arn(world: &World, cluster: &str) -> String {
    arn(world, &format!("cluster/{cluster}"))
}

fn service_arn(world: &World, service: &Service) -> String {
    arn(
        world,
        &format!("service/{}/{}", service.cluster, service.name),
    )
}

fn task_arn(world: &World, task: &Task) -> String {
    arn(world, &format!("task/{}/{}", task.cluster, task.id))
}

fn instance_arn(world: &World, instance: &Instance) -> String {
    arn(
        world,
        &format!("container-instance/{}/{}", instance.cluster, instance.id),
    )
}

fn definition_arn(world: &World, revision: &Revision) -> String {
    arn(world, &format!("task-definition/{revision}"))
}

/// A name from a name or an ARN (`.../cluster/shop`, `.../service/shop/web`).
fn last_part(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The cluster a call names (`default` when it names none), which must exist.
fn cluster_of(world: &World, request: &Map<String, Value>) -> Result<String, ApiError> {
    let cluster = last_part(text(request, "cluster").unwrap_or("default")).to_string();
    if world.clusters().any(|c| *c == cluster) {
        Ok(cluster)
    } else {
        Err(ApiError::new(
            "ClusterNotFoundException",
            "Cluster not found.",
        ))
    }
}

/// The exception ECS answers a model refusal with.
fn refused(refused: Refused) -> ApiError {
    let exception = match refused.code {
        Some("no-cluster") => "ClusterNotFoundException",
        Some("no-service") => "ServiceNotFoundException",
        Some("network-configuration" | "subnet") => "InvalidParameterException",
        _ => "ClientException",
    };
    ApiError::refused(exception, refused)
}

// ---- clusters -------------------------------------------------------------

fn create_cluster(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let name = text(request, "clusterName")
        .unwrap_or("default")
        .to_string();
    // CreateCluster is idempotent: a name that exists returns its cluster.
    if !cloud.world().clusters().any(|c| *c == name) {
        cloud
            .apply(Command::CreateCluster { name: name.clone() })
            .map_err(refused)?;
    }
    Ok(json!({ "cluster": cluster(cloud.world(), &name) }))
}

fn cluster(world: &World, name: &str) -> Value {
    let tasks: Vec<&Task> = world.tasks().filter(|t| t.cluster == name).collect();
    let running = tasks
        .iter()
        .filter(|t| t.state == TaskState::Running)
        .count();
    let pending = tasks
        .iter()
        .filter(|t| {
            matches!(
                t.state,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating
            )
        })
        .count();
    let providers: Vec<&str> = world
        .capacity_providers()
        .filter(|p| p.cluster == name)
        .map(|p| p.name.as_str())
        .collect();
    json!({
        "clusterArn": cluster_arn(world, name),
        "clusterName": name,
        "status": "ACTIVE",
        "registeredContainerInstancesCount": world.instances().filter(|i| i.cluster == name && i.registered).count(),
        "runningTasksCount": running,
        "pendingTasksCount": pending,
        "activeServicesCount": world.services().filter(|s| s.cluster == name).count(),
        "statistics": [],
        "tags": [],
        "settings": [{"name": "containerInsights", "value": "disabled"}],
        "capacityProviders": providers,
        "defaultCapacityProviderStrategy": [],
    })
}

fn describe_clusters(world: &World, request: &Map<String, Value>) -> Reply {
    let mut names = texts(request, "clusters");
    if names.is_empty() {
        names.push("default".to_string());
    }
    let (mut clusters, mut failures) = (Vec::new(), Vec::new());
    for reference in names {
        let name = last_part(&reference);
        if world.clusters().any(|c| c == name) {
            clusters.push(cluster(world, name));
        } else {
            failures.push(json!({"arn": cluster_arn(world, name), "reason": "MISSING"}));
        }
    }
    Ok(json!({ "clusters": clusters, "failures": failures }))
}

// ---- task definitions -----------------------------------------------------

fn register_task_definition(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let imported = taskdef::import_value(Value::Object(request.clone()));
    // What the API model refuses on receipt (an enum value, a maximum).
    if let Some(refused) = imported
        .findings
        .iter()
        .find(|f| f.severity == taskdef::Severity::Error)
    {
        return Err(ApiError::new("ClientException", refused.message.clone()));
    }
    let Some(definition) = imported.definition else {
        let first = imported.findings.first();
        return Err(ApiError::new(
            "ClientException",
            first.map_or("The task definition could not be read.".to_string(), |f| {
                format!("{}: {}", f.path, f.message)
            }),
        ));
    };
    let family = definition.family.clone();
    cloud
        .apply(Command::RegisterTaskDefinition {
            definition: Box::new(definition),
        })
        .map_err(refused)?;
    let world = cloud.world();
    let revision = world
        .resolve_task_definition(&family)
        .map_err(|error| ApiError::new("ServerException", error.message))?;
    Ok(json!({ "taskDefinition": task_definition(world, &revision), "tags": [] }))
}

/// A revision as DescribeTaskDefinition returns it: what was registered,
/// with what ECS adds (ARN, revision, status, compatibilities).
fn task_definition(world: &World, revision: &Revision) -> Value {
    let Some(definition) = world.task_definition(revision) else {
        return Value::Null;
    };
    let mut value: Value =
        serde_json::from_str(&taskdef::export(definition)).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut value {
        map.insert(
            "taskDefinitionArn".into(),
            json!(definition_arn(world, revision)),
        );
        map.insert("revision".into(), json!(revision.revision));
        let active = world.task_definition_is_active(revision);
        map.insert(
            "status".into(),
            json!(if active { "ACTIVE" } else { "INACTIVE" }),
        );
        map.insert("compatibilities".into(), json!(compatibilities(definition)));
        map.insert(
            "registeredBy".into(),
            json!(format!("arn:aws:iam::{}:user/learner", world.account_id())),
        );
    }
    value
}

/// ECS lists EC2 for every definition, and FARGATE for one that meets
/// Fargate's requirements (awsvpc with task-level size).
fn compatibilities(definition: &TaskDefinition) -> Vec<&'static str> {
    let mut list = vec!["EC2"];
    if definition.network_mode.as_deref() == Some("awsvpc")
        && definition.cpu.is_some()
        && definition.memory.is_some()
    {
        list.push("FARGATE");
    }
    list
}

fn list_task_definitions(world: &World, request: &Map<String, Value>) -> Reply {
    let prefix = text(request, "familyPrefix");
    // ACTIVE revisions unless the call asks for the INACTIVE ones.
    let wanted_active = text(request, "status") != Some("INACTIVE");
    let mut arns: Vec<(Revision, String)> = world
        .task_definitions()
        .filter(|(revision, _)| prefix.is_none_or(|p| revision.family == p))
        .filter(|(revision, _)| world.task_definition_is_active(revision) == wanted_active)
        .map(|(revision, _)| {
            let arn = definition_arn(world, &revision);
            (revision, arn)
        })
        .collect();
    arns.sort_by(|a, b| {
        (a.0.family.as_str(), a.0.revision).cmp(&(b.0.family.as_str(), b.0.revision))
    });
    if text(request, "sort") == Some("DESC") {
        arns.reverse();
    }
    Ok(json!({ "taskDefinitionArns": arns.into_iter().map(|(_, arn)| arn).collect::<Vec<_>>() }))
}

// ---- services -------------------------------------------------------------

/// The capacity a call asks for: a launch type or a strategy, not both
/// (the API's rule), EC2 when it names neither.
fn capacity(request: &Map<String, Value>) -> Result<Capacity, ApiError> {
    let strategy = request
        .get("capacityProviderStrategy")
        .and_then(Value::as_array);
    match (text(request, "launchType"), strategy) {
        (Some(_), Some(_)) => Err(ApiError::new(
            "InvalidParameterException",
            "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
        )),
        (Some("FARGATE"), None) => Ok(Capacity::Fargate),
        (Some("EC2") | None, None) => Ok(Capacity::Ec2),
        (Some(other), None) => Err(ApiError::new(
            "InvalidParameterException",
            format!("Dockyard simulates the launch types EC2 and FARGATE, not {other}."),
        )),
        (None, Some(items)) => items
            .iter()
            .map(|item| {
                Ok(StrategyItem {
                    capacity_provider: item["capacityProvider"].as_str().unwrap_or_default().to_string(),
                    base: item["base"].as_u64().unwrap_or(0) as u32,
                    weight: item["weight"].as_u64().unwrap_or(0) as u32,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()
            .map(Capacity::Strategy),
    }
}

fn network(request: &Map<String, Value>) -> Option<AwsVpcConfiguration> {
    let vpc = request
        .get("networkConfiguration")?
        .get("awsvpcConfiguration")?;
    let list = |key: &str| -> Vec<String> {
        vpc.get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(AwsVpcConfiguration {
        subnets: list("subnets"),
        security_groups: list("securityGroups"),
        assign_public_ip: vpc.get("assignPublicIp").and_then(Value::as_str) == Some("ENABLED"),
    })
}

/// `assignPublicIp` as the API takes it: DISABLED unless it says ENABLED
/// (no network configuration at all: the definition is not awsvpc).
fn public_ip(request: &Map<String, Value>) -> Option<AssignPublicIp> {
    network(request).map(|vpc| {
        if vpc.assign_public_ip {
            AssignPublicIp::Enabled
        } else {
            AssignPublicIp::Disabled
        }
    })
}

/// The network check ECS makes before it creates anything.
fn check_network(
    world: &World,
    task_definition: &str,
    request: &Map<String, Value>,
) -> Result<Revision, ApiError> {
    let revision = world
        .resolve_task_definition(task_definition)
        .map_err(|rejection| {
            ApiError::refused(
                "ClientException",
                Refused {
                    code: Some(rejection.code),
                    // ECS's words: an inactive revision is "inactive", an
                    // unknown one "not found".
                    message: if rejection.message.starts_with("TaskDefinition is inactive") {
                        rejection.message
                    } else {
                        format!("TaskDefinition not found. ({})", rejection.message)
                    },
                },
            )
        })?;
    let definition = world
        .task_definition(&revision)
        .ok_or_else(|| ApiError::new("ClientException", "TaskDefinition not found."))?;
    world
        .check_network_configuration(definition, network(request).as_ref())
        .map_err(|rejection| {
            ApiError::refused(
                "InvalidParameterException",
                Refused {
                    code: Some(rejection.code),
                    message: rejection.message,
                },
            )
        })?;
    Ok(revision)
}

fn placement(
    request: &Map<String, Value>,
) -> Result<(Option<Vec<Strategy>>, Vec<Constraint>), ApiError> {
    let invalid =
        |error: serde_json::Error| ApiError::new("InvalidParameterException", error.to_string());
    let strategies = match request.get("placementStrategy") {
        Some(value) => Some(serde_json::from_value(value.clone()).map_err(invalid)?),
        None => None,
    };
    let constraints = match request.get("placementConstraints") {
        Some(value) => serde_json::from_value(value.clone()).map_err(invalid)?,
        None => Vec::new(),
    };
    Ok((strategies, constraints))
}

fn deployment_configuration(request: &Map<String, Value>) -> DeploymentConfiguration {
    let mut configuration = DeploymentConfiguration::default();
    if let Some(given) = request.get("deploymentConfiguration") {
        if let Some(n) = given["minimumHealthyPercent"].as_u64() {
            configuration.minimum_healthy_percent = n as u32;
        }
        if let Some(n) = given["maximumPercent"].as_u64() {
            configuration.maximum_percent = n as u32;
        }
        if let Some(breaker) = given.get("deploymentCircuitBreaker") {
            configuration.deployment_circuit_breaker = Some(dockyard_model::sim::CircuitBreaker {
                enable: breaker["enable"].as_bool().unwrap_or(false),
                rollback: breaker["rollback"].as_bool().unwrap_or(false),
            });
        }
    }
    configuration
}

fn create_service(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let cluster = cluster_of(world, request)?;
    let name = text(request, "serviceName").unwrap_or_default().to_string();
    if world.service(&name).is_some_and(|s| s.cluster == cluster) {
        return Err(ApiError::new(
            "InvalidParameterException",
            "Creation of service was not idempotent.",
        ));
    }
    let Some(task_definition) = text(request, "taskDefinition") else {
        return Err(ApiError::new(
            "InvalidParameterException",
            "TaskDefinition must be specified.",
        ));
    };
    let revision = check_network(world, task_definition, request)?;
    let (placement_strategy, placement_constraints) = placement(request)?;
    let spec = ServiceSpec {
        cluster,
        name: name.clone(),
        task_definition: revision.to_string(),
        desired_count: request
            .get("desiredCount")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32,
        capacity: capacity(request)?,
        placement_strategy,
        placement_constraints,
        scaling: None,
        load: None,
        assign_public_ip: public_ip(request),
        memory_load: None,
        request_load: None,
        deployment_configuration: deployment_configuration(request),
    };
    cloud.apply(Command::CreateService(spec)).map_err(refused)?;
    let world = cloud.world();
    Ok(json!({ "service": service(world, world.service(&name).expect("the service was created")) }))
}

fn find_service<'w>(
    world: &'w World,
    request: &Map<String, Value>,
    key: &str,
) -> Result<&'w Service, ApiError> {
    let cluster = cluster_of(world, request)?;
    let name = last_part(text(request, key).unwrap_or_default());
    world
        .service(name)
        .filter(|s| s.cluster == cluster)
        .ok_or_else(|| ApiError::new("ServiceNotFoundException", "Service not found."))
}

fn update_service(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let name = find_service(world, request, "service")?.name.clone();
    // A service keeps its network configuration unless a new one is given.
    if request.contains_key("networkConfiguration") {
        let reference = text(request, "taskDefinition")
            .map(str::to_string)
            .unwrap_or_else(|| {
                world
                    .service(&name)
                    .map(|s| s.revision.to_string())
                    .unwrap_or_default()
            });
        check_network(world, &reference, request)?;
    }
    for unsupported in [
        "capacityProviderStrategy",
        "launchType",
        "placementStrategy",
        "placementConstraints",
        "deploymentConfiguration",
    ] {
        if request.contains_key(unsupported) {
            return Err(ApiError::new(
                "DockyardNotSimulated",
                format!("Dockyard's UpdateService changes the desired count and the task definition (or forces a new deployment); it does not change {unsupported} yet: nothing was changed"),
            ));
        }
    }
    if let Some(count) = request.get("desiredCount").and_then(Value::as_u64) {
        cloud
            .apply(Command::UpdateService {
                service: name.clone(),
                desired_count: count as u32,
            })
            .map_err(refused)?;
    }
    let force = request.get("forceNewDeployment").and_then(Value::as_bool) == Some(true);
    if let Some(reference) = text(request, "taskDefinition") {
        let revision = cloud
            .world()
            .resolve_task_definition(reference)
            .map_err(|_| ApiError::new("ClientException", "TaskDefinition not found."))?;
        let current = cloud.world().service(&name).map(|s| s.revision.clone());
        if Some(&revision) != current.as_ref() || force {
            cloud
                .apply(Command::Deploy {
                    service: name.clone(),
                    task_definition: Some(revision.to_string()),
                })
                .map_err(refused)?;
        }
    } else if force {
        cloud
            .apply(Command::Deploy {
                service: name.clone(),
                task_definition: None,
            })
            .map_err(refused)?;
    }
    let world = cloud.world();
    Ok(json!({ "service": service(world, world.service(&name).expect("the service exists")) }))
}

fn launch_type(capacity: &Capacity) -> Option<&'static str> {
    match capacity {
        Capacity::Ec2 => Some("EC2"),
        Capacity::Fargate => Some("FARGATE"),
        Capacity::Strategy(_) => None,
    }
}

fn service(world: &World, service: &Service) -> Value {
    let counts = &service.counts;
    let running = counts.count(TaskState::Running);
    let pending = counts.live().saturating_sub(running);
    // During a rolling deployment the PRIMARY deployment is the new
    // revision and the ACTIVE one the revision being replaced.
    let (primary_revision, active_revision) = match &service.deployment {
        Some(deployment) => (
            deployment.to.clone(),
            (deployment.from != deployment.to).then(|| deployment.from.clone()),
        ),
        None => (service.revision.clone(), None),
    };
    let mut deployments = Vec::new();
    let mut primary = json!({
        "id": format!("ecs-svc/{}", deployment_number(&primary_revision)),
        "status": "PRIMARY",
        "taskDefinition": definition_arn(world, &primary_revision),
        "desiredCount": service.desired,
        "runningCount": tasks_of(world, service, Some(&primary_revision), TaskState::Running),
        "pendingCount": pending_of(world, service, Some(&primary_revision)),
        "rolloutState": if service.deployment.is_some() { "IN_PROGRESS" } else { "COMPLETED" },
    });
    if let Some(strategy) = strategy_value(&service.capacity) {
        primary["capacityProviderStrategy"] = strategy;
    } else if let Some(launch) = launch_type(&service.capacity) {
        primary["launchType"] = json!(launch);
    }
    deployments.push(primary);
    if let Some(active) = active_revision {
        deployments.push(json!({
            "id": format!("ecs-svc/{}", deployment_number(&active)),
            "status": "ACTIVE",
            "taskDefinition": definition_arn(world, &active),
            "desiredCount": tasks_of(world, service, Some(&active), TaskState::Running),
            "runningCount": tasks_of(world, service, Some(&active), TaskState::Running),
            "pendingCount": pending_of(world, service, Some(&active)),
            "rolloutState": "COMPLETED",
            "failedTasks": 0,
        }));
    }
    let mut value = json!({
        "serviceArn": service_arn(world, service),
        "serviceName": service.name,
        "clusterArn": cluster_arn(world, &service.cluster),
        "status": "ACTIVE",
        "desiredCount": service.desired,
        "runningCount": running,
        "pendingCount": pending,
        "taskDefinition": definition_arn(world, &primary_revision),
        "deploymentConfiguration": {
            "minimumHealthyPercent": service.deployment_configuration.minimum_healthy_percent,
            "maximumPercent": service.deployment_configuration.maximum_percent,
        },
        "deployments": deployments,
        "events": events(service),
        "placementConstraints": serde_json::to_value(&service.constraints).unwrap_or(Value::Null),
        "schedulingStrategy": "REPLICA",
        "deploymentController": {"type": "ECS"},
        "createdBy": format!("arn:aws:iam::{}:user/learner", world.account_id()),
        "enableECSManagedTags": false,
        "propagateTags": "NONE",
        "enableExecuteCommand": false,
    });
    // Fargate places tasks itself (spread across zones); strategies are
    // for EC2 capacity only, and ECS shows none for a Fargate service.
    if !matches!(service.capacity, Capacity::Fargate) {
        value["placementStrategy"] =
            serde_json::to_value(&service.strategies).unwrap_or(Value::Null);
    }
    if let Some(breaker) = &service.deployment_configuration.deployment_circuit_breaker {
        value["deploymentConfiguration"]["deploymentCircuitBreaker"] =
            json!({"enable": breaker.enable, "rollback": breaker.rollback});
    }
    if let Some(strategy) = strategy_value(&service.capacity) {
        value["capacityProviderStrategy"] = strategy;
    } else if let Some(launch) = launch_type(&service.capacity) {
        value["launchType"] = json!(launch);
    }
    value
}

fn deployment_number(revision: &Revision) -> String {
    format!("{}-{}", revision.family, revision.revision)
}

fn strategy_value(capacity: &Capacity) -> Option<Value> {
    match capacity {
        Capacity::Strategy(items) => Some(Value::Array(
            items
                .iter()
                .map(|i| json!({"capacityProvider": i.capacity_provider, "weight": i.weight, "base": i.base}))
                .collect(),
        )),
        _ => None,
    }
}

fn tasks_of(
    world: &World,
    service: &Service,
    revision: Option<&Revision>,
    state: TaskState,
) -> usize {
    service
        .tasks
        .iter()
        .filter_map(|id| world.task(id))
        .filter(|t| revision.is_none_or(|r| &t.revision == r) && t.state == state)
        .count()
}

fn pending_of(world: &World, service: &Service, revision: Option<&Revision>) -> usize {
    service
        .tasks
        .iter()
        .filter_map(|id| world.task(id))
        .filter(|t| {
            revision.is_none_or(|r| &t.revision == r)
                && matches!(
                    t.state,
                    TaskState::Provisioning | TaskState::Pending | TaskState::Activating
                )
        })
        .count()
}

/// The service's event messages, in ECS's words where the model has the
/// fact (the last reason it could not place a task).
fn events(service: &Service) -> Vec<Value> {
    let mut events = Vec::new();
    if let Some(reason) = &service.launch_failure {
        events.push(json!({
            "id": "launch-failed",
            "message": format!("(service {}) failed to launch a task with (error {reason}).", service.name),
        }));
    }
    if service.throttle.rounds > 0 {
        events.push(json!({
            "id": "throttled",
            "message": format!("(service {}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", service.name),
        }));
    }
    if let Some(reason) = &service.unplaced_reason {
        events.push(json!({
            "id": "unplaced",
            "message": format!("(service {}) was unable to place a task because no container instance met all of its requirements. Reason: {reason}", service.name),
        }));
    }
    events
}

fn describe_services(world: &World, request: &Map<String, Value>) -> Reply {
    let cluster = cluster_of(world, request)?;
    let (mut services, mut failures) = (Vec::new(), Vec::new());
    for reference in texts(request, "services") {
        let name = last_part(&reference);
        match world.service(name).filter(|s| s.cluster == cluster) {
            Some(found) => services.push(service(world, found)),
            None => failures.push(json!({
                "arn": arn(world, &format!("service/{cluster}/{name}")),
                "reason": "MISSING",
            })),
        }
    }
    Ok(json!({ "services": services, "failures": failures }))
}

// ---- tasks ----------------------------------------------------------------

fn run_task(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let cluster = cluster_of(world, request)?;
    let reference = text(request, "taskDefinition").unwrap_or_default();
    let revision = check_network(world, reference, request)?;
    let (strategies, constraints) = placement(request)?;
    if strategies.is_some() || !constraints.is_empty() {
        return Err(ApiError::new(
            "DockyardNotSimulated",
            "Dockyard's RunTask places tasks with the cluster's defaults; placement strategies and constraints are taken by services (create-service): nothing was changed",
        ));
    }
    let before: Vec<String> = world.tasks().map(|t| t.id.clone()).collect();
    let count = request.get("count").and_then(Value::as_u64).unwrap_or(1) as u32;
    cloud
        .apply(Command::RunTask {
            cluster,
            task_definition: revision.to_string(),
            count,
            capacity: capacity(request)?,
            assign_public_ip: public_ip(request),
        })
        .map_err(refused)?;
    let world = cloud.world();
    let tasks: Vec<Value> = world
        .tasks()
        .filter(|t| !before.contains(&t.id))
        .map(|t| task(world, t))
        .collect();
    Ok(json!({ "tasks": tasks, "failures": [] }))
}

fn find_task<'w>(world: &'w World, cluster: &str, reference: &str) -> Option<&'w Task> {
    world
        .task(last_part(reference))
        .filter(|t| t.cluster == cluster)
}

fn stop_task(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let cluster = cluster_of(world, request)?;
    let reference = text(request, "task").unwrap_or_default();
    let Some(found) = find_task(world, &cluster, reference) else {
        return Err(ApiError::new(
            "InvalidParameterException",
            "The referenced task was not found.",
        ));
    };
    let id = found.id.clone();
    cloud
        .apply(Command::StopTask { task: id.clone() })
        .map_err(refused)?;
    let world = cloud.world();
    Ok(json!({ "task": world.task(&id).map(|t| task(world, t)) }))
}

fn task_state(state: TaskState) -> &'static str {
    match state {
        TaskState::Provisioning => "PROVISIONING",
        TaskState::Pending => "PENDING",
        TaskState::Activating => "ACTIVATING",
        TaskState::Running => "RUNNING",
        TaskState::Deactivating => "DEACTIVATING",
        TaskState::Stopping => "STOPPING",
        TaskState::Deprovisioning => "DEPROVISIONING",
        TaskState::Stopped => "STOPPED",
    }
}

fn desired_status(task: &Task) -> &'static str {
    match task.state {
        TaskState::Deactivating
        | TaskState::Stopping
        | TaskState::Deprovisioning
        | TaskState::Stopped => "STOPPED",
        _ => "RUNNING",
    }
}

fn task(world: &World, task: &Task) -> Value {
    let definition = world.task_definition(&task.revision);
    let containers: Vec<Value> = definition
        .map(|d| {
            d.container_definitions
                .iter()
                .map(|c| {
                    let mut container = json!({
                        "name": c.name,
                        "image": c.image,
                        "lastStatus": task_state(task.state),
                        "taskArn": task_arn(world, task),
                    });
                    let bindings: Vec<Value> = task
                        .network_bindings
                        .iter()
                        .filter(|b| b.container_name == c.name)
                        .map(|b| {
                            json!({
                                "bindIP": "0.0.0.0",
                                "containerPort": b.container_port,
                                "hostPort": b.host_port,
                                "protocol": b.protocol,
                            })
                        })
                        .collect();
                    if !bindings.is_empty() {
                        container["networkBindings"] = json!(bindings);
                    }
                    container
                })
                .collect()
        })
        .unwrap_or_default();
    let mut value = json!({
        "taskArn": task_arn(world, task),
        "clusterArn": cluster_arn(world, &task.cluster),
        "taskDefinitionArn": definition_arn(world, &task.revision),
        "lastStatus": task_state(task.state),
        "desiredStatus": desired_status(task),
        "cpu": task.cpu.to_string(),
        "memory": task.memory.to_string(),
        "containers": containers,
        "group": match &task.service {
            Some(service) => format!("service:{service}"),
            None => format!("family:{}", task.revision.family),
        },
        "healthStatus": if task.healthy { "HEALTHY" } else { "UNKNOWN" },
        "version": 1,
    });
    match &task.placement {
        Placement::Ec2 { instance, az } => {
            value["launchType"] = json!("EC2");
            value["availabilityZone"] = json!(az);
            if let Some(found) = world.instances().find(|i| &i.id == instance) {
                value["containerInstanceArn"] = json!(instance_arn(world, found));
            }
        }
        Placement::Fargate { az, spot } => {
            value["launchType"] = json!("FARGATE");
            value["availabilityZone"] = json!(az);
            value["platformVersion"] = json!("1.4.0");
            if *spot {
                value["capacityProviderName"] = json!("FARGATE_SPOT");
            }
        }
        Placement::AwaitingCapacity { provider } => {
            value["capacityProviderName"] = json!(provider);
        }
    }
    if task.state == TaskState::Running {
        value["connectivity"] = json!("CONNECTED");
    }
    if let Some(reason) = &task.stopped_reason {
        value["stoppedReason"] = json!(reason);
    }
    value
}

fn describe_tasks(world: &World, request: &Map<String, Value>) -> Reply {
    let cluster = cluster_of(world, request)?;
    let (mut tasks, mut failures) = (Vec::new(), Vec::new());
    for reference in texts(request, "tasks") {
        match find_task(world, &cluster, &reference) {
            Some(found) => tasks.push(task(world, found)),
            None => failures.push(json!({
                "arn": arn(world, &format!("task/{cluster}/{}", last_part(&reference))),
                "reason": "MISSING",
            })),
        }
    }
    Ok(json!({ "tasks": tasks, "failures": failures }))
}

fn list_tasks(world: &World, request: &Map<String, Value>) -> Reply {
    let cluster = cluster_of(world, request)?;
    let service = text(request, "serviceName").map(last_part);
    if let Some(name) = service {
        if world
            .service(name)
            .filter(|s| s.cluster == cluster)
            .is_none()
        {
            return Err(ApiError::new(
                "ServiceNotFoundException",
                "Service not found.",
            ));
        }
    }
    let family = text(request, "family");
    let wanted = text(request, "desiredStatus").unwrap_or("RUNNING");
    let instance = text(request, "containerInstance").map(last_part);
    let launch = text(request, "launchType");
    let arns: Vec<String> = world
        .tasks()
        .filter(|t| t.cluster == cluster)
        .filter(|t| service.is_none_or(|s| t.service.as_deref() == Some(s)))
        .filter(|t| family.is_none_or(|f| t.revision.family == f))
        .filter(|t| desired_status(t) == wanted)
        .filter(|t| match (&t.placement, instance) {
            (_, None) => true,
            (Placement::Ec2 { instance: i, .. }, Some(wanted)) => i == wanted,
            _ => false,
        })
        .filter(|t| match (&t.placement, launch) {
            (_, None) => true,
            (Placement::Ec2 { .. }, Some(l)) => l == "EC2",
            (Placement::Fargate { .. }, Some(l)) => l == "FARGATE",
            _ => false,
        })
        .map(|t| task_arn(world, t))
        .collect();
    Ok(json!({ "taskArns": arns }))
}

// ---- container instances --------------------------------------------------

fn instance_status(instance: &Instance) -> &'static str {
    if instance.draining {
        "DRAINING"
    } else {
        "ACTIVE"
    }
}

fn container_instance(world: &World, instance: &Instance) -> Value {
    let resources = |cpu: u32, memory: u32| {
        json!([
            {"name": "CPU", "type": "INTEGER", "integerValue": cpu},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": memory},
        ])
    };
    let running = instance
        .tasks
        .iter()
        .filter_map(|id| world.task(id))
        .filter(|t| t.state == TaskState::Running)
        .count();
    json!({
        "containerInstanceArn": instance_arn(world, instance),
        "ec2InstanceId": instance.id,
        "status": instance_status(instance),
        "agentConnected": instance.registered,
        "runningTasksCount": running,
        "pendingTasksCount": instance.tasks.len() - running,
        "registeredResources": resources(instance.cpu_total, instance.memory_total),
        "remainingResources": resources(
            instance.cpu_total - instance.cpu_used.min(instance.cpu_total),
            instance.memory_total - instance.memory_used.min(instance.memory_total)
        ),
        "attributes": [
            {"name": "ecs.availability-zone", "value": instance.az},
            {"name": "ecs.instance-type", "value": instance.instance_type},
        ],
        "capacityProviderName": instance.provider,
        "registeredAt": timestamp(instance.launched_at),
        "versionInfo": {"agentVersion": "1.89.0"},
    })
}

fn describe_container_instances(world: &World, request: &Map<String, Value>) -> Reply {
    let cluster = cluster_of(world, request)?;
    let (mut found, mut failures) = (Vec::new(), Vec::new());
    for reference in texts(request, "containerInstances") {
        let id = last_part(&reference);
        match world
            .instances()
            .find(|i| i.id == id && i.cluster == cluster)
        {
            Some(instance) => found.push(container_instance(world, instance)),
            None => failures.push(json!({
                "arn": arn(world, &format!("container-instance/{cluster}/{id}")),
                "reason": "MISSING",
            })),
        }
    }
    Ok(json!({ "containerInstances": found, "failures": failures }))
}

fn update_container_instances_state(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let cluster = cluster_of(cloud.world(), request)?;
    let status = text(request, "status").unwrap_or_default();
    if status != "DRAINING" {
        return Err(ApiError::new(
            "DockyardNotSimulated",
            format!("Dockyard simulates setting instances to DRAINING; returning them to {status} is not simulated yet: nothing was changed"),
        ));
    }
    let ids: Vec<String> = texts(request, "containerInstances")
        .iter()
        .map(|r| last_part(r).to_string())
        .collect();
    let mut failures = Vec::new();
    for id in &ids {
        let known = cloud
            .world()
            .instances()
            .any(|i| &i.id == id && i.cluster == cluster);
        if !known {
            failures.push(json!({"arn": arn(cloud.world(), &format!("container-instance/{cluster}/{id}")), "reason": "MISSING"}));
            continue;
        }
        let draining = cloud.world().instances().any(|i| &i.id == id && i.draining);
        if !draining {
            cloud
                .apply(Command::DrainInstance {
                    instance: id.clone(),
                })
                .map_err(refused)?;
        }
    }
    let world = cloud.world();
    let found: Vec<Value> = world
        .instances()
        .filter(|i| ids.contains(&i.id) && i.cluster == cluster)
        .map(|i| container_instance(world, i))
        .collect();
    Ok(json!({ "containerInstances": found, "failures": failures }))
}

fn describe_capacity_providers(world: &World, request: &Map<String, Value>) -> Reply {
    let wanted = texts(request, "capacityProviders");
    let mut providers = vec![
        json!({"capacityProviderArn": format!("arn:aws:ecs:{}:{}:capacity-provider/FARGATE", world.region(), world.account_id()), "name": "FARGATE", "status": "ACTIVE", "tags": []}),
        json!({"capacityProviderArn": format!("arn:aws:ecs:{}:{}:capacity-provider/FARGATE_SPOT", world.region(), world.account_id()), "name": "FARGATE_SPOT", "status": "ACTIVE", "tags": []}),
    ];
    for provider in world.capacity_providers() {
        providers.push(json!({
            "capacityProviderArn": arn(world, &format!("capacity-provider/{}", provider.name)),
            "name": provider.name,
            "status": "ACTIVE",
            "autoScalingGroupProvider": {
                "autoScalingGroupArn": format!("arn:aws:autoscaling:{}:{}:autoScalingGroup:{}:autoScalingGroupName/{}", world.region(), world.account_id(), provider.name, provider.name),
                "managedScaling": {
                    "status": "ENABLED",
                    "targetCapacity": provider.target_capacity,
                    "minimumScalingStepSize": provider.min_step,
                    "maximumScalingStepSize": provider.max_step,
                    "instanceWarmupPeriod": provider.warmup_seconds,
                },
                "managedTerminationProtection": "DISABLED",
            },
            "tags": [],
        }));
    }
    if !wanted.is_empty() {
        providers.retain(|p| {
            wanted
                .iter()
                .any(|w| Some(last_part(w)) == p["name"].as_str())
        });
    }
    Ok(json!({ "capacityProviders": providers }))
}
