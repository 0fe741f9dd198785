//! `aws application-autoscaling` for ECS services: a scalable target
//! (`service/CLUSTER/SERVICE`, `ecs:service:DesiredCount`) with its
//! bounds, and target tracking policies on the predefined ECS metrics.
//! Each call reads the service's scaling from the world, changes what the
//! API call changes, and gives the model the whole result
//! (`SetServiceScaling`); the model scales. Step scaling needs a CloudWatch
//! alarm, which the terminal does not create yet: it says so.

use serde_json::{json, Map, Value};

use dockyard_model::sim::{Command, Metric, ServiceScaling, TargetPolicy, What, World};

use super::{text, timestamp, ApiError, Reply};
use crate::Cloud;

const DIMENSION: &str = "ecs:service:DesiredCount";

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    if let Some(namespace) = text(request, "ServiceNamespace") {
        if namespace != "ecs" {
            return Err(ApiError::new(
                "DockyardNotSimulated",
                format!("Dockyard simulates Application Auto Scaling for ECS services (service namespace ecs), not {namespace}: nothing was changed"),
            ));
        }
    }
    match operation {
        "RegisterScalableTarget" => register(cloud, request),
        "PutScalingPolicy" => put_policy(cloud, request),
        "DescribeScalableTargets" => {
            let world = cloud.world();
            let targets: Vec<Value> = world
                .services()
                .filter_map(|s| s.scaling.as_ref().map(|scaling| (s, scaling)))
                .filter(|(s, _)| wanted(request, &resource_id(&s.cluster, &s.name)))
                .map(|(s, scaling)| {
                    json!({
                        "ServiceNamespace": "ecs",
                        "ResourceId": resource_id(&s.cluster, &s.name),
                        "ScalableDimension": DIMENSION,
                        "MinCapacity": scaling.min_capacity,
                        "MaxCapacity": scaling.max_capacity,
                        "RoleARN": role_arn(world),
                        "CreationTime": timestamp(0),
                        "SuspendedState": {"DynamicScalingInSuspended": false, "DynamicScalingOutSuspended": false, "ScheduledScalingSuspended": false},
                    })
                })
                .collect();
            Ok(json!({ "ScalableTargets": targets }))
        }
        "DescribeScalingPolicies" => {
            let world = cloud.world();
            let mut policies = Vec::new();
            for service in world.services() {
                let id = resource_id(&service.cluster, &service.name);
                if text(request, "ResourceId").is_some_and(|wanted| wanted != id) {
                    continue;
                }
                let Some(scaling) = &service.scaling else {
                    continue;
                };
                for (index, policy) in scaling.target_policies().iter().enumerate() {
                    let name = policy_name(policy, index);
                    if !super::texts(request, "PolicyNames").is_empty()
                        && !super::texts(request, "PolicyNames").contains(&name)
                    {
                        continue;
                    }
                    policies.push(json!({
                        "PolicyARN": policy_arn(world, &id, &name),
                        "PolicyName": name,
                        "ServiceNamespace": "ecs",
                        "ResourceId": id,
                        "ScalableDimension": DIMENSION,
                        "PolicyType": "TargetTrackingScaling",
                        "TargetTrackingScalingPolicyConfiguration": {
                            "TargetValue": policy.target,
                            "PredefinedMetricSpecification": {"PredefinedMetricType": metric_type(policy.metric)},
                            "ScaleOutCooldown": policy.scale_out_cooldown,
                            "ScaleInCooldown": policy.scale_in_cooldown,
                            "DisableScaleIn": policy.disable_scale_in,
                        },
                        "Alarms": alarms(world, &id),
                        "CreationTime": timestamp(0),
                    }));
                }
            }
            Ok(json!({ "ScalingPolicies": policies }))
        }
        "DescribeScalingActivities" => {
            let world = cloud.world();
            let mut activities: Vec<Value> = Vec::new();
            for (index, event) in cloud.events().iter().enumerate() {
                let What::ServiceDesiredCountChanged {
                    service,
                    to,
                    reason,
                    ..
                } = &event.what
                else {
                    continue;
                };
                // UpdateService is the learner's change, not a scaling activity.
                if reason.starts_with("UpdateService") {
                    continue;
                }
                let Some(found) = world.service(service) else {
                    continue;
                };
                let id = resource_id(&found.cluster, service);
                if text(request, "ResourceId").is_some_and(|wanted| wanted != id) {
                    continue;
                }
                activities.push(json!({
                    "ActivityId": format!("{:08x}-dock-yard-0000-{index:012x}", event.at / 1000),
                    "ServiceNamespace": "ecs",
                    "ResourceId": id,
                    "ScalableDimension": DIMENSION,
                    "Description": format!("Setting desired count to {to}."),
                    "Cause": reason,
                    "StartTime": timestamp(event.at),
                    "EndTime": timestamp(event.at),
                    "StatusCode": "Successful",
                    "StatusMessage": format!("Successfully set desired count to {to}. Change successfully fulfilled by ecs."),
                }));
            }
            activities.reverse();
            Ok(json!({ "ScalingActivities": activities }))
        }
        _ => Err(super::not_simulated_name(operation)),
    }
}

fn resource_id(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

fn wanted(request: &Map<String, Value>, id: &str) -> bool {
    let ids = super::texts(request, "ResourceIds");
    ids.is_empty() || ids.iter().any(|wanted| wanted == id)
}

fn role_arn(world: &World) -> String {
    format!(
        "arn:aws:iam::{}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
        world.account_id()
    )
}

fn policy_name(policy: &TargetPolicy, index: usize) -> String {
    policy
        .name
        .clone()
        .unwrap_or_else(|| format!("target-tracking-{}", index + 1))
}

fn policy_arn(world: &World, id: &str, name: &str) -> String {
    format!(
        "arn:aws:autoscaling:{}:{}:scalingPolicy:00000000-dock-yard-0000-000000000000:resource/ecs/{id}:policyName/{name}",
        world.region(),
        world.account_id()
    )
}

/// The two CloudWatch alarms target tracking creates for a policy.
fn alarms(world: &World, id: &str) -> Value {
    let alarm = |which: &str| {
        let name = format!("TargetTracking-{id}-{which}-00000000-dock-yard");
        json!({
            "AlarmName": name,
            "AlarmARN": format!("arn:aws:cloudwatch:{}:{}:alarm:{name}", world.region(), world.account_id()),
        })
    };
    json!([alarm("AlarmHigh"), alarm("AlarmLow")])
}

fn metric_type(metric: Metric) -> &'static str {
    match metric {
        Metric::Cpu => "ECSServiceAverageCPUUtilization",
        Metric::Memory => "ECSServiceAverageMemoryUtilization",
        Metric::RequestsPerTarget => "ALBRequestCountPerTarget",
    }
}

/// The service a resource id names (`service/CLUSTER/SERVICE`), which must exist.
fn service_of(world: &World, request: &Map<String, Value>) -> Result<(String, String), ApiError> {
    let id = text(request, "ResourceId").unwrap_or_default();
    if text(request, "ScalableDimension") != Some(DIMENSION) {
        return Err(ApiError::new(
            "ValidationException",
            format!("Unsupported scalable dimension: an ECS service scales {DIMENSION}"),
        ));
    }
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        ["service", cluster, name] if world.service(name).is_some_and(|s| s.cluster == *cluster) => {
            Ok((id.to_string(), name.to_string()))
        }
        ["service", _, _] => Err(ApiError::new(
            "ValidationException",
            format!("ECS service doesn't exist: {id}"),
        )),
        _ => Err(ApiError::new(
            "ValidationException",
            format!("Unsupported service namespace, resource type or scalable dimension: {id} is not service/CLUSTER/SERVICE"),
        )),
    }
}

fn refused(refused: crate::Refused) -> ApiError {
    ApiError::refused("ValidationException", refused)
}

fn register(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let (id, name) = service_of(world, request)?;
    let current = world.service(&name).and_then(|s| s.scaling.clone());
    let min = request.get("MinCapacity").and_then(Value::as_u64);
    let max = request.get("MaxCapacity").and_then(Value::as_u64);
    let scaling = match current {
        Some(mut scaling) => {
            if let Some(min) = min {
                scaling.min_capacity = min as u32;
            }
            if let Some(max) = max {
                scaling.max_capacity = max as u32;
            }
            scaling
        }
        None => {
            let (Some(min), Some(max)) = (min, max) else {
                return Err(ApiError::new(
                    "ValidationException",
                    "MinCapacity and MaxCapacity are required to register a new scalable target",
                ));
            };
            ServiceScaling {
                target: None,
                target_tracking: Vec::new(),
                step_scaling: Vec::new(),
                ..ServiceScaling::cpu(1.0, min as u32, max as u32)
            }
        }
    };
    let arn = format!(
        "arn:aws:application-autoscaling:{}:{}:scalable-target/0ec5{}",
        world.region(),
        world.account_id(),
        id.replace('/', "-")
    );
    cloud
        .apply(Command::SetServiceScaling {
            service: name,
            scaling: Some(scaling),
        })
        .map_err(refused)?;
    Ok(json!({ "ScalableTargetARN": arn }))
}

fn put_policy(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let (id, name) = service_of(world, request)?;
    let Some(mut scaling) = world.service(&name).and_then(|s| s.scaling.clone()) else {
        return Err(ApiError::new(
            "ObjectNotFoundException",
            format!("No scalable target registered for service namespace: ecs, resource ID: {id}, scalable dimension: {DIMENSION}"),
        ));
    };
    let policy_name = text(request, "PolicyName").unwrap_or_default().to_string();
    if text(request, "PolicyType") == Some("StepScaling") {
        return Err(ApiError::new(
            "DockyardNotSimulated",
            "Step scaling acts on a CloudWatch alarm, which the terminal does not create yet; Dockyard's scenarios and the sandbox's forms set step policies: nothing was changed",
        ));
    }
    let configuration = request
        .get("TargetTrackingScalingPolicyConfiguration")
        .ok_or_else(|| {
            ApiError::new(
                "ValidationException",
                "TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy",
            )
        })?;
    let metric = match configuration["PredefinedMetricSpecification"]["PredefinedMetricType"].as_str() {
        Some("ECSServiceAverageCPUUtilization") => Metric::Cpu,
        Some("ECSServiceAverageMemoryUtilization") => Metric::Memory,
        Some("ALBRequestCountPerTarget") => Metric::RequestsPerTarget,
        Some(other) => {
            return Err(ApiError::new(
                "ValidationException",
                format!("Dockyard's ECS services scale on ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget, not {other}"),
            ))
        }
        None => {
            return Err(ApiError::new(
                "DockyardNotSimulated",
                "Customized metric specifications are not simulated: use a PredefinedMetricSpecification",
            ))
        }
    };
    let cooldown = |key: &str| configuration[key].as_u64().unwrap_or(300);
    let policy = TargetPolicy {
        name: Some(policy_name.clone()),
        metric,
        target: configuration["TargetValue"].as_f64().unwrap_or(0.0),
        scale_out_cooldown: cooldown("ScaleOutCooldown"),
        scale_in_cooldown: cooldown("ScaleInCooldown"),
        disable_scale_in: configuration["DisableScaleIn"].as_bool().unwrap_or(false),
    };
    // The shorthand target is a policy without a name: spelled out, so that
    // a policy of the same name replaces it as PutScalingPolicy does.
    let mut policies = scaling.target_policies();
    scaling.target = None;
    policies.retain(|p| p.name.as_deref() != Some(policy_name.as_str()));
    policies.push(policy);
    scaling.target_tracking = policies;
    let arn = policy_arn(world, &id, &policy_name);
    let alarms = alarms(world, &id);
    cloud
        .apply(Command::SetServiceScaling {
            service: name,
            scaling: Some(scaling),
        })
        .map_err(refused)?;
    Ok(json!({ "PolicyARN": arn, "Alarms": alarms }))
}
