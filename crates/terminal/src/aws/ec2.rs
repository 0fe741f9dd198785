//! `aws ec2 describe-vpcs | describe-subnets | describe-security-groups`:
//! the account's default VPC, as the model defines it; and the resources
//! that bill by the hour in it, Elastic IPs (`allocate-address`,
//! `release-address`, `describe-addresses`) and NAT gateways
//! (`create-nat-gateway`, `delete-nat-gateway`, `describe-nat-gateways`).

use dockyard_model::sim::{Command, ElasticIp, NatGateway, World};
use serde_json::{json, Map, Value};

use super::{text, texts, time::timestamp, ApiError, Reply};
use crate::{Cloud, Refused};

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    let vpc = world.default_vpc();
    let owner = world.account_id();
    let wanted = |key: &str| -> Vec<String> {
        request
            .get(key)
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    match operation {
        "DescribeVpcs" => {
            let ids = wanted("VpcIds");
            if let Some(missing) = ids.iter().find(|id| **id != vpc.vpc_id) {
                return Err(ApiError::new(
                    "InvalidVpcID.NotFound",
                    format!("The vpc ID '{missing}' does not exist"),
                ));
            }
            Ok(json!({"Vpcs": [{
                "CidrBlock": vpc.cidr_block,
                "DhcpOptionsId": "dopt-0dockyard0000000",
                "State": "available",
                "VpcId": vpc.vpc_id,
                "OwnerId": owner,
                "InstanceTenancy": "default",
                "IsDefault": true,
            }]}))
        }
        "DescribeSubnets" => {
            let ids = wanted("SubnetIds");
            if let Some(missing) = ids
                .iter()
                .find(|id| !vpc.subnets.iter().any(|s| &s.subnet_id == *id))
            {
                return Err(ApiError::new(
                    "InvalidSubnetID.NotFound",
                    format!("The subnet ID '{missing}' does not exist"),
                ));
            }
            let subnets: Vec<Value> = vpc
                .subnets
                .iter()
                .filter(|s| ids.is_empty() || ids.contains(&s.subnet_id))
                .map(|s| json!({
                    "AvailabilityZone": s.availability_zone,
                    "AvailableIpAddressCount": 4091,
                    "CidrBlock": s.cidr_block,
                    "DefaultForAz": true,
                    "MapPublicIpOnLaunch": true,
                    "State": "available",
                    "SubnetId": s.subnet_id,
                    "VpcId": vpc.vpc_id,
                    "OwnerId": owner,
                    "SubnetArn": format!("arn:aws:ec2:{}:{owner}:subnet/{}", world.region(), s.subnet_id),
                }))
                .collect();
            Ok(json!({ "Subnets": subnets }))
        }
        "DescribeSecurityGroups" => {
            let ids = wanted("GroupIds");
            if let Some(missing) = ids.iter().find(|id| **id != vpc.security_group_id) {
                return Err(ApiError::new(
                    "InvalidGroup.NotFound",
                    format!("The security group '{missing}' does not exist"),
                ));
            }
            Ok(json!({"SecurityGroups": [{
                "Description": "default VPC security group",
                "GroupName": "default",
                "GroupId": vpc.security_group_id,
                "OwnerId": owner,
                "VpcId": vpc.vpc_id,
                "IpPermissions": [{
                    "IpProtocol": "-1",
                    "UserIdGroupPairs": [{"GroupId": vpc.security_group_id, "UserId": owner}],
                    "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                }],
                "IpPermissionsEgress": [{
                    "IpProtocol": "-1",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "UserIdGroupPairs": [], "Ipv6Ranges": [], "PrefixListIds": [],
                }],
            }]}))
        }
        "AllocateAddress" => allocate_address(cloud, request),
        "ReleaseAddress" => {
            let Some(id) = text(request, "AllocationId") else {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    "You must specify an allocation id when releasing a VPC elastic IP address",
                ));
            };
            cloud
                .apply(Command::ReleaseAddress {
                    allocation_id: id.to_string(),
                })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "DescribeAddresses" => {
            let ids = texts(request, "AllocationIds");
            if let Some(missing) = ids
                .iter()
                .find(|id| !world.elastic_ips().any(|a| &a.allocation_id == *id))
            {
                return Err(no_allocation(missing));
            }
            let addresses: Vec<Value> = world
                .elastic_ips()
                .filter(|a| ids.is_empty() || ids.contains(&a.allocation_id))
                .map(|a| address_json(world, a))
                .collect();
            Ok(json!({ "Addresses": addresses }))
        }
        "CreateNatGateway" => create_nat_gateway(cloud, request),
        "DeleteNatGateway" => {
            let id = text(request, "NatGatewayId")
                .unwrap_or_default()
                .to_string();
            cloud
                .apply(Command::DeleteNatGateway {
                    nat_gateway: id.clone(),
                })
                .map_err(refused)?;
            Ok(json!({ "NatGatewayId": id }))
        }
        "DescribeNatGateways" => {
            let ids = texts(request, "NatGatewayIds");
            if let Some(missing) = ids
                .iter()
                .find(|id| !world.nat_gateways().any(|n| &n.nat_gateway_id == *id))
            {
                return Err(ApiError::new(
                    "NatGatewayNotFound",
                    format!("NAT gateway {missing} was not found"),
                ));
            }
            let gateways: Vec<Value> = world
                .nat_gateways()
                .filter(|n| ids.is_empty() || ids.contains(&n.nat_gateway_id))
                .map(|n| nat_gateway_json(world, n, n.state()))
                .collect();
            Ok(json!({ "NatGateways": gateways }))
        }
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("{operation} is not simulated"),
        )),
    }
}

fn allocate_address(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    if let Some(domain) = text(request, "Domain").filter(|d| *d != "vpc") {
        return Err(ApiError::new(
            "InvalidParameterValue",
            format!("Invalid value '{domain}' for domain: Dockyard's account has only a VPC (domain vpc)"),
        ));
    }
    let before: Vec<String> = cloud
        .world()
        .elastic_ips()
        .map(|a| a.allocation_id.clone())
        .collect();
    cloud.apply(Command::AllocateAddress).map_err(refused)?;
    let world = cloud.world();
    let address = world
        .elastic_ips()
        .find(|a| !before.contains(&a.allocation_id))
        .expect("AllocateAddress adds an address");
    Ok(json!({
        "AllocationId": address.allocation_id,
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": world.region(),
        "Domain": "vpc",
        "PublicIp": address.public_ip,
    }))
}

fn create_nat_gateway(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    if text(request, "ConnectivityType") == Some("private") {
        return Err(super::not_simulated_name(
            "private NAT gateways (ConnectivityType private): only public ones are modelled",
        ));
    }
    if text(request, "AvailabilityMode") == Some("regional") {
        return Err(super::not_simulated_name(
            "regional NAT gateways (AvailabilityMode regional): only zonal ones, in a subnet, are modelled",
        ));
    }
    let Some(subnet) = text(request, "SubnetId") else {
        return Err(ApiError::new(
            "MissingParameter",
            "A zonal NAT gateway is created in a subnet: give --subnet-id (aws ec2 describe-subnets lists them)",
        ));
    };
    // A zone's name is Dockyard's JSON shorthand, not an EC2 subnet ID.
    if !subnet.starts_with("subnet-") {
        return Err(no_subnet(subnet));
    }
    let Some(allocation_id) = text(request, "AllocationId") else {
        // AWS's wording for this case is not documented; these are Dockyard's.
        return Err(ApiError::new(
            "MissingParameter",
            "A public NAT gateway needs an Elastic IP: allocate one (aws ec2 allocate-address) and give its --allocation-id",
        ));
    };
    let before: Vec<String> = cloud
        .world()
        .nat_gateways()
        .map(|n| n.nat_gateway_id.clone())
        .collect();
    cloud
        .apply(Command::CreateNatGateway {
            subnet: subnet.to_string(),
            allocation_id: Some(allocation_id.to_string()),
        })
        .map_err(refused)?;
    let world = cloud.world();
    let gateway = world
        .nat_gateways()
        .find(|n| !before.contains(&n.nat_gateway_id))
        .expect("CreateNatGateway adds a gateway");
    // Created `pending`: AWS makes it `available` within minutes, Dockyard
    // at once (describe-nat-gateways says so).
    let mut reply = json!({ "NatGateway": nat_gateway_json(world, gateway, "pending") });
    if let Some(token) = text(request, "ClientToken") {
        reply["ClientToken"] = json!(token);
    }
    Ok(reply)
}

fn address_json(world: &World, address: &ElasticIp) -> Value {
    let mut json = json!({
        "AllocationId": address.allocation_id,
        "PublicIp": address.public_ip,
        "Domain": "vpc",
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": world.region(),
    });
    if let Some(nat) = &address.nat_gateway {
        json["NetworkInterfaceOwnerId"] = json!(world.account_id());
        json["AssociationId"] = json!(format!("eipassoc-{}", &nat[nat.len() - 17..]));
    }
    json
}

fn nat_gateway_json(world: &World, nat: &NatGateway, state: &str) -> Value {
    let address = world
        .elastic_ips()
        .find(|a| a.allocation_id == nat.allocation_id);
    let mut addresses = json!({
        "AllocationId": nat.allocation_id,
        "IsPrimary": true,
    });
    // A deleted gateway's address is no longer its own: no status.
    if nat.deleted_at.is_none() {
        let status = if state == "pending" {
            "associating"
        } else {
            "succeeded"
        };
        addresses["Status"] = json!(status);
    }
    if let Some(address) = address {
        addresses["PublicIp"] = json!(address.public_ip);
    }
    let mut json = json!({
        "CreateTime": timestamp(nat.created_at),
        "NatGatewayAddresses": [addresses],
        "NatGatewayId": nat.nat_gateway_id,
        "State": state,
        "SubnetId": nat.subnet_id,
        "VpcId": world.default_vpc().vpc_id,
        "ConnectivityType": "public",
    });
    if let Some(at) = nat.deleted_at {
        json["DeleteTime"] = json!(timestamp(at));
    }
    json
}

fn no_allocation(id: &str) -> ApiError {
    ApiError::new(
        "InvalidAllocationID.NotFound",
        format!("The allocation ID '{id}' does not exist"),
    )
}

fn no_subnet(id: &str) -> ApiError {
    ApiError::new(
        "InvalidSubnetID.NotFound",
        format!("The subnet ID '{id}' does not exist"),
    )
}

/// The error code EC2 answers a model refusal with.
fn refused(refused: Refused) -> ApiError {
    let code = match refused.code {
        Some("no-subnet") => "InvalidSubnetID.NotFound",
        Some("no-elastic-ip") => "InvalidAllocationID.NotFound",
        Some("no-nat-gateway") => "NatGatewayNotFound",
        Some("elastic-ip-in-use") if refused.message.contains("already associated") => {
            "Resource.AlreadyAssociated"
        }
        // Not documented for this case: what users report AWS answers, in
        // its words; the note names the refusal, which says why.
        Some("elastic-ip-in-use") => {
            return ApiError {
                message: "You do not have permission to access the specified resource.".into(),
                ..ApiError::refused("AuthFailure", refused)
            }
        }
        _ => "InvalidParameterValue",
    };
    ApiError::refused(code, refused)
}
