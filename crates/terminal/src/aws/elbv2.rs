//! `aws elbv2 create-load-balancer | delete-load-balancer |
//! describe-load-balancers`: load balancers as the model keeps them, as
//! resources that bill by the hour from their creation. Listeners, target
//! groups and gateway load balancers are not simulated.

use dockyard_model::sim::{Command, LoadBalancer, LoadBalancerType, World};
use serde_json::{json, Map, Value};

use super::{not_simulated_name, text, texts, time::timestamp, ApiError, Reply};
use crate::{Cloud, Refused};

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    match operation {
        "CreateLoadBalancer" => create_load_balancer(cloud, request),
        "DeleteLoadBalancer" => {
            let arn = text(request, "LoadBalancerArn").unwrap_or_default();
            if !arn.starts_with("arn:") {
                return Err(ApiError::new(
                    "ValidationError",
                    format!("'{arn}' is not a valid load balancer ARN"),
                ));
            }
            cloud
                .apply(Command::DeleteLoadBalancer {
                    load_balancer: arn.to_string(),
                })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "DescribeLoadBalancers" => {
            let world = cloud.world();
            let (arns, names) = (texts(request, "LoadBalancerArns"), texts(request, "Names"));
            let found = |lb: &&LoadBalancer| {
                (arns.is_empty() || arns.contains(&lb.arn))
                    && (names.is_empty() || names.contains(&lb.name))
            };
            if let Some(name) = names
                .iter()
                .find(|name| !world.load_balancers().any(|lb| lb.name == **name))
            {
                return Err(ApiError::new(
                    "LoadBalancerNotFound",
                    format!("Load balancers '[{name}]' not found"),
                ));
            }
            if arns
                .iter()
                .any(|arn| !world.load_balancers().any(|lb| lb.arn == *arn))
            {
                return Err(ApiError::new(
                    "LoadBalancerNotFound",
                    "One or more load balancers not found",
                ));
            }
            let balancers: Vec<Value> = world
                .load_balancers()
                .filter(found)
                .map(|lb| load_balancer_json(world, lb, "active"))
                .collect();
            Ok(json!({ "LoadBalancers": balancers }))
        }
        _ => Err(super::not_simulated_name(operation)),
    }
}

fn create_load_balancer(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let kind = match text(request, "Type").unwrap_or("application") {
        "application" => LoadBalancerType::Application,
        "network" => LoadBalancerType::Network,
        other => {
            return Err(not_simulated_name(&format!(
                "load balancers of type {other}: application and network ones are modelled"
            )))
        }
    };
    if text(request, "Scheme") == Some("internal") {
        return Err(not_simulated_name(
            "internal load balancers: Dockyard's are internet-facing",
        ));
    }
    for (member, why) in [
        ("SubnetMappings", "give --subnets instead"),
        ("IpamPools", "leave it out"),
        ("CustomerOwnedIpv4Pool", "leave it out"),
    ] {
        if request.get(member).is_some_and(|v| !v.is_null()) {
            return Err(not_simulated_name(&format!(
                "{member} (Dockyard's model does not keep it; {why})"
            )));
        }
    }
    let name = text(request, "Name").unwrap_or_default().to_string();
    let subnets = texts(request, "Subnets");
    // A zone's name is Dockyard's JSON shorthand, not a subnet ID.
    if let Some(bad) = subnets.iter().find(|s| !s.starts_with("subnet-")) {
        return Err(ApiError::new(
            "SubnetNotFound",
            format!("The subnet ID '{bad}' is not valid"),
        ));
    }
    let world = cloud.world();
    let default_group = world.default_vpc().security_group_id;
    if let Some(group) = texts(request, "SecurityGroups")
        .iter()
        .find(|g| **g != default_group)
    {
        return Err(ApiError::new(
            "InvalidSecurityGroup",
            format!("Security group '{group}' does not exist"),
        ));
    }
    cloud
        .apply(Command::CreateLoadBalancer {
            name: name.clone(),
            kind,
            subnets,
        })
        .map_err(refused)?;
    let world = cloud.world();
    let lb = world
        .load_balancers()
        .find(|lb| lb.name == name)
        .expect("CreateLoadBalancer keeps the load balancer");
    Ok(json!({ "LoadBalancers": [load_balancer_json(world, lb, "provisioning")] }))
}

fn load_balancer_json(world: &World, lb: &LoadBalancer, state: &str) -> Value {
    let zones: Vec<Value> = lb
        .subnets
        .iter()
        .map(|s| {
            json!({
                "ZoneName": s.availability_zone,
                "SubnetId": s.subnet_id,
                "LoadBalancerAddresses": [],
            })
        })
        .collect();
    let mut json = json!({
        "LoadBalancerArn": lb.arn,
        "DNSName": lb.dns_name,
        "CreatedTime": timestamp(lb.created_at),
        "LoadBalancerName": lb.name,
        "Scheme": "internet-facing",
        "VpcId": world.default_vpc().vpc_id,
        "State": { "Code": state },
        "Type": lb.kind.as_str(),
        "AvailabilityZones": zones,
        "IpAddressType": "ipv4",
    });
    // The Route 53 zone of us-east-1's load balancers' DNS names.
    if world.region() == "us-east-1" {
        json["CanonicalHostedZoneId"] = json!(match lb.kind {
            LoadBalancerType::Application => "Z35SXDOTRQ7X7K",
            LoadBalancerType::Network => "Z26RNL4JYFTOTI",
        });
    }
    if lb.kind == LoadBalancerType::Application {
        json["SecurityGroups"] = json!([world.default_vpc().security_group_id]);
    }
    json
}

/// The error code Elastic Load Balancing answers a model refusal with.
fn refused(refused: Refused) -> ApiError {
    let code = match refused.code {
        Some("no-subnet") => "SubnetNotFound",
        Some("load-balancer-exists") => "DuplicateLoadBalancerName",
        _ => "ValidationError",
    };
    ApiError::refused(code, refused)
}
