//! The account's default VPC, as a new AWS account has one in every Region:
//! CIDR 172.31.0.0/16, one default subnet (a /20) per Availability Zone,
//! and a default security group ("Default VPCs", Amazon VPC User Guide).
//! Its ids are derived from the account, Region and zone, so they are the
//! same on every run.
//!
//! And what ECS checks of a task's network configuration (rules §3.2): a
//! task definition with network mode awsvpc (every Fargate task) needs
//! subnets, which must exist; other modes take none.

use serde::Serialize;

use super::types::Rejection;
use super::world::World;
use crate::taskdef::TaskDefinition;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultVpc {
    pub vpc_id: String,
    pub cidr_block: String,
    pub subnets: Vec<Subnet>,
    pub security_group_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subnet {
    pub subnet_id: String,
    pub availability_zone: String,
    pub cidr_block: String,
}

/// Whether a Fargate task's network interface gets a public IP
/// (`assignPublicIp`). The default VPC's subnets leave only through an
/// internet gateway, which carries only traffic from a public IP: a Fargate
/// task there without one reaches no registry, Secrets Manager or
/// CloudWatch Logs, and never starts. The API's default is `DISABLED`, and
/// the terminal follows it; Dockyard's own JSON commands, written before
/// the model had networks, give a task a public IP unless they say
/// `"assignPublicIp": "DISABLED"`. (The model has only the default VPC: no
/// private subnets, NAT gateways or VPC endpoints, the other ways out.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AssignPublicIp {
    Enabled,
    Disabled,
}

/// An awsvpc network configuration, as CreateService and RunTask take it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsVpcConfiguration {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
}

/// An AWS-style resource id: the prefix and 17 hex digits, from a hash of
/// what names the resource (FNV-1a, mixed: stable across builds and platforms).
pub(crate) fn resource_id(prefix: &str, parts: &[&str]) -> String {
    let mut hash = crate::hash::fnv1a(parts.iter().flat_map(|part| part.bytes().chain([0])));
    // splitmix64's finaliser, so that neighbouring names look unrelated.
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    let digits = format!("{hash:016x}");
    format!("{prefix}-0{digits}")
}

impl World {
    /// The default VPC of the account in its Region.
    pub fn default_vpc(&self) -> DefaultVpc {
        let (account, region) = (self.account_id(), self.region());
        DefaultVpc {
            vpc_id: resource_id("vpc", &[account, region]),
            cidr_block: "172.31.0.0/16".to_string(),
            subnets: self
                .availability_zones()
                .iter()
                .enumerate()
                .map(|(index, az)| Subnet {
                    subnet_id: resource_id("subnet", &[account, region, az]),
                    availability_zone: az.clone(),
                    cidr_block: format!("172.31.{}.0/20", index * 16),
                })
                .collect(),
            security_group_id: resource_id("sg", &[account, region, "default"]),
        }
    }

    /// A subnet of the default VPC, by its id; or, in Dockyard's JSON
    /// commands (where ids derived from the account are not known in
    /// advance), by the name of its zone.
    pub fn default_subnet(&self, id_or_zone: &str) -> Option<Subnet> {
        self.default_vpc()
            .subnets
            .into_iter()
            .find(|s| s.subnet_id == id_or_zone || s.availability_zone == id_or_zone)
    }

    /// What ECS says of a task definition's network configuration before
    /// it creates a service or runs a task: awsvpc needs one, whose subnets
    /// and security groups exist; bridge and host take none. The wording
    /// is ECS's InvalidParameterException where AWS documents it.
    pub fn check_network_configuration(
        &self,
        definition: &TaskDefinition,
        network: Option<&AwsVpcConfiguration>,
    ) -> Result<(), Rejection> {
        let awsvpc = definition.network_mode.as_deref() == Some("awsvpc");
        let Some(network) = network else {
            return if awsvpc {
                Err(Rejection::new(
                    "network-configuration",
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
                ))
            } else {
                Ok(())
            };
        };
        if !awsvpc {
            return Err(Rejection::new(
                "network-configuration",
                format!(
                    "Network Configuration is not valid for the given networkMode of this task definition ({}).",
                    definition.network_mode.as_deref().unwrap_or("bridge")
                ),
            ));
        }
        let vpc = self.default_vpc();
        if network.subnets.is_empty() {
            return Err(Rejection::new(
                "network-configuration",
                "subnets can not be empty.",
            ));
        }
        if let Some(missing) = network
            .subnets
            .iter()
            .find(|id| !vpc.subnets.iter().any(|s| &s.subnet_id == *id))
        {
            return Err(Rejection::new(
                "subnet",
                format!("Error retrieving subnet information for [{missing}]: The subnet ID '{missing}' does not exist"),
            ));
        }
        if let Some(missing) = network
            .security_groups
            .iter()
            .find(|id| **id != vpc.security_group_id)
        {
            return Err(Rejection::new(
                "subnet",
                format!("Error retrieving security group information for [{missing}]: The security group '{missing}' does not exist"),
            ));
        }
        Ok(())
    }
}
