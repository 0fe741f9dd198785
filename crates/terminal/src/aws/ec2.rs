//! `aws ec2 describe-vpcs | describe-subnets | describe-security-groups`:
//! the account's default VPC, as the model defines it.

use serde_json::{json, Map, Value};

use super::{ApiError, Reply};
use crate::Cloud;

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
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("{operation} is not simulated"),
        )),
    }
}
