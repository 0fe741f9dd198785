//! The network resources that bill by the hour whether or not anything uses
//! them, and that workshops leave behind: Elastic IP addresses, NAT
//! gateways and load balancers (issue 22's "surprise bills"). Each is
//! created and removed by the calls AWS has for it, bills from its creation
//! to its removal at the catalogue's illustrative price, and shows in
//! [`World::still_billing`].
//!
//! What is modelled of them is what a learner's bill and teardown need:
//! - An Elastic IP address bills as a public IPv4 address, in use or idle
//!   (AWS's public IPv4 charge since February 2024). Deleting the NAT
//!   gateway it serves disassociates it but does not release it ("Deleting
//!   a public NAT gateway disassociates its Elastic IP address, but does not
//!   release the address from your account", EC2 API Reference,
//!   DeleteNatGateway): the classic leftover.
//! - A public NAT gateway needs an Elastic IP and a subnet (Dockyard's JSON
//!   commands, like the console, allocate the address when none is
//!   given). It is available at once (AWS takes a few minutes) and, once
//!   deleted, is described as `deleted` (AWS keeps it visible for about an
//!   hour).
//! - An Application Load Balancer needs subnets in at least two zones; a
//!   Network Load Balancer takes one. Deleting one that does not exist
//!   succeeds, as AWS documents. It bills its hourly price and a public
//!   IPv4 address in each zone. Listeners, target groups and capacity
//!   units (LCUs, billed by traffic) are not modelled.
//!
//! Not modelled: route tables, private subnets and VPC endpoints. The
//! account has only its default VPC, whose subnets route to the internet
//! gateway, so a NAT gateway here carries no task's traffic: it only bills,
//! which is what a forgotten one does.

use serde::Serialize;

use super::*;
use crate::sim::catalogue::{
    APPLICATION_LOAD_BALANCER_PER_HOUR, NAT_GATEWAY_PER_HOUR, NETWORK_LOAD_BALANCER_PER_HOUR,
    PUBLIC_IPV4_PER_HOUR,
};
use crate::sim::network::{resource_id, Subnet};

/// The account's Elastic IPs, NAT gateways and load balancers.
#[derive(Default)]
pub(super) struct Gateways {
    addresses: BTreeMap<String, ElasticIp>,
    nat_gateways: BTreeMap<String, NatGateway>,
    load_balancers: BTreeMap<String, LoadBalancer>,
    /// How many of each were ever made: ids are derived from it.
    made: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElasticIp {
    pub allocation_id: String,
    /// From 203.0.113.0/24, the range kept for documentation (RFC 5737):
    /// Dockyard's addresses are not anybody's real ones.
    pub public_ip: String,
    pub allocated_at: Millis,
    /// The NAT gateway it serves, while that gateway is not deleted.
    pub nat_gateway: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NatGateway {
    pub nat_gateway_id: String,
    pub subnet_id: String,
    pub availability_zone: String,
    pub allocation_id: String,
    pub created_at: Millis,
    /// When it was deleted: it stops billing then, and is described as
    /// `deleted` from then on.
    pub deleted_at: Option<Millis>,
}

impl NatGateway {
    /// `available` or `deleted`, as DescribeNatGateways says.
    pub fn state(&self) -> &'static str {
        if self.deleted_at.is_some() {
            "deleted"
        } else {
            "available"
        }
    }
}

/// `application` or `network` (gateway load balancers are not modelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

impl LoadBalancerType {
    pub fn as_str(self) -> &'static str {
        match self {
            LoadBalancerType::Application => "application",
            LoadBalancerType::Network => "network",
        }
    }

    fn per_hour(self) -> f64 {
        match self {
            LoadBalancerType::Application => APPLICATION_LOAD_BALANCER_PER_HOUR,
            LoadBalancerType::Network => NETWORK_LOAD_BALANCER_PER_HOUR,
        }
    }

    /// What people call it, for the bill.
    pub fn label(self) -> &'static str {
        match self {
            LoadBalancerType::Application => "Application Load Balancer",
            LoadBalancerType::Network => "Network Load Balancer",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    pub name: String,
    pub arn: String,
    pub kind: LoadBalancerType,
    pub dns_name: String,
    pub subnets: Vec<Subnet>,
    pub created_at: Millis,
}

impl LoadBalancer {
    /// Its hourly charge and that of its public IPv4 addresses: an
    /// internet-facing load balancer has at least one in each of its zones,
    /// billed as any other (an ALB adds more as it scales, which Dockyard
    /// does not model).
    pub fn per_hour(&self) -> f64 {
        self.kind.per_hour() + self.subnets.len() as f64 * PUBLIC_IPV4_PER_HOUR
    }
}

impl World {
    pub fn elastic_ips(&self) -> impl Iterator<Item = &ElasticIp> {
        self.gateways.addresses.values()
    }

    /// Every NAT gateway, the deleted ones too (described as `deleted`).
    pub fn nat_gateways(&self) -> impl Iterator<Item = &NatGateway> {
        self.gateways.nat_gateways.values()
    }

    pub fn load_balancers(&self) -> impl Iterator<Item = &LoadBalancer> {
        self.gateways.load_balancers.values()
    }

    /// The subnet a command names (see [`World::default_subnet`]).
    fn subnet(&self, id_or_zone: &str) -> Result<Subnet, Rejection> {
        self.default_subnet(id_or_zone).ok_or_else(|| {
            Rejection::new(
                "no-subnet",
                format!("The subnet ID '{id_or_zone}' does not exist"),
            )
        })
    }

    fn bill_from_now(&mut self, per_hour: f64) {
        self.bill.change_rate(self.now, per_hour / MS_PER_HOUR);
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.gateways.made += 1;
        let made = self.gateways.made.to_string();
        resource_id(prefix, &[self.account_id(), self.region(), &made])
    }

    /// `AllocateAddress`: returns the allocation id.
    pub(super) fn allocate_address(&mut self, out: &mut Vec<Event>) -> String {
        let allocation_id = self.next_id("eipalloc");
        // A new address each time, as AWS hands out (never one in use).
        let public_ip = format!("203.0.113.{}", 10 + self.gateways.made % 240);
        self.gateways.addresses.insert(
            allocation_id.clone(),
            ElasticIp {
                allocation_id: allocation_id.clone(),
                public_ip: public_ip.clone(),
                allocated_at: self.now,
                nat_gateway: None,
            },
        );
        self.bill_from_now(PUBLIC_IPV4_PER_HOUR);
        self.network_event(
            out,
            format!(
                "Elastic IP {public_ip} ({allocation_id}) allocated: ${PUBLIC_IPV4_PER_HOUR} per hour from now, in use or idle, until it is released."
            ),
        );
        allocation_id
    }

    /// `ReleaseAddress`.
    pub(super) fn release_address(
        &mut self,
        allocation_id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let Some(address) = self.gateways.addresses.get(allocation_id) else {
            return Err(Rejection::new(
                "no-elastic-ip",
                format!("The allocation ID '{allocation_id}' does not exist"),
            ));
        };
        if let Some(nat) = &address.nat_gateway {
            return Err(Rejection::new(
                "elastic-ip-in-use",
                format!(
                    "The address {} is in use by NAT gateway {nat}; delete the NAT gateway first.",
                    address.public_ip
                ),
            ));
        }
        let public_ip = address.public_ip.clone();
        self.gateways.addresses.remove(allocation_id);
        self.bill_from_now(-PUBLIC_IPV4_PER_HOUR);
        self.network_event(
            out,
            format!("Elastic IP {public_ip} ({allocation_id}) released: it bills no more."),
        );
        Ok(())
    }

    /// `CreateNatGateway` (public connectivity): returns the gateway's id.
    pub(super) fn create_nat_gateway(
        &mut self,
        subnet: &str,
        allocation_id: Option<&str>,
        out: &mut Vec<Event>,
    ) -> Result<String, Rejection> {
        let subnet = self.subnet(subnet)?;
        // Without one, a new Elastic IP, as the console's "Allocate Elastic
        // IP" button in the same form makes (the API needs AllocationId: the
        // terminal asks for it).
        let allocated;
        let allocation_id = match allocation_id {
            Some(id) => id,
            None => {
                allocated = self.allocate_address(out);
                allocated.as_str()
            }
        };
        let Some(address) = self.gateways.addresses.get(allocation_id) else {
            return Err(Rejection::new(
                "no-elastic-ip",
                format!("The allocation ID '{allocation_id}' does not exist"),
            ));
        };
        if address.nat_gateway.is_some() {
            // AWS accepts the call and the gateway fails with this message;
            // Dockyard refuses at once, with the same words.
            return Err(Rejection::new(
                "elastic-ip-in-use",
                format!("Elastic IP address {allocation_id} is already associated"),
            ));
        }
        let id = self.next_id("nat");
        let allocation_id = allocation_id.to_string();
        if let Some(address) = self.gateways.addresses.get_mut(&allocation_id) {
            address.nat_gateway = Some(id.clone());
        }
        self.gateways.nat_gateways.insert(
            id.clone(),
            NatGateway {
                nat_gateway_id: id.clone(),
                subnet_id: subnet.subnet_id.clone(),
                availability_zone: subnet.availability_zone.clone(),
                allocation_id,
                created_at: self.now,
                deleted_at: None,
            },
        );
        self.bill_from_now(NAT_GATEWAY_PER_HOUR);
        self.network_event(
            out,
            format!(
                "NAT gateway {id} created in {} ({}): ${NAT_GATEWAY_PER_HOUR} per hour from now, plus $0.045 per GB it processes, whether or not any route sends traffic to it.",
                subnet.availability_zone, subnet.subnet_id
            ),
        );
        Ok(id)
    }

    /// `DeleteNatGateway`: it stops billing; its Elastic IP stays allocated.
    pub(super) fn delete_nat_gateway(
        &mut self,
        id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let now = self.now;
        let nat = self
            .gateways
            .nat_gateways
            .get_mut(id)
            .filter(|nat| nat.deleted_at.is_none())
            .ok_or_else(|| {
                Rejection::new("no-nat-gateway", format!("NAT gateway {id} was not found"))
            })?;
        nat.deleted_at = Some(now);
        let allocation_id = nat.allocation_id.clone();
        let mut kept = String::new();
        if let Some(address) = self.gateways.addresses.get_mut(&allocation_id) {
            address.nat_gateway = None;
            kept = format!(
                " Its Elastic IP {} ({allocation_id}) is disassociated, not released: it still bills until ReleaseAddress.",
                address.public_ip
            );
        }
        self.bill_from_now(-NAT_GATEWAY_PER_HOUR);
        self.network_event(out, format!("NAT gateway {id} deleted.{kept}"));
        Ok(())
    }

    /// `CreateLoadBalancer`: returns its ARN. The same name with the same
    /// settings returns the one there (the call is idempotent).
    pub(super) fn create_load_balancer(
        &mut self,
        name: &str,
        kind: LoadBalancerType,
        subnets: &[String],
        out: &mut Vec<Event>,
    ) -> Result<String, Rejection> {
        check_load_balancer_name(name)?;
        let mut chosen: Vec<Subnet> = Vec::new();
        for id in subnets {
            let subnet = self.subnet(id)?;
            if !chosen.contains(&subnet) {
                chosen.push(subnet);
            }
        }
        chosen.sort_by(|a, b| a.availability_zone.cmp(&b.availability_zone));
        let zones: BTreeSet<&str> = chosen
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        let needed = match kind {
            LoadBalancerType::Application => 2,
            LoadBalancerType::Network => 1,
        };
        if zones.len() < needed {
            return Err(Rejection::new(
                "load-balancer-zones",
                if kind == LoadBalancerType::Application {
                    "At least two subnets in two different Availability Zones must be specified"
                } else {
                    "At least one subnet must be specified"
                },
            ));
        }
        if let Some(there) = self.gateways.load_balancers.get(name) {
            return if there.kind == kind && there.subnets == chosen {
                Ok(there.arn.clone())
            } else {
                Err(Rejection::new(
                    "load-balancer-exists",
                    format!("A load balancer with the same name '{name}' exists, but with different settings"),
                ))
            };
        }
        let (account, region) = (self.account_id().to_string(), self.region().to_string());
        let suffix = resource_id("lb", &[&account, &region, name]);
        let suffix = &suffix[suffix.len() - 16..];
        // As AWS writes them: an ALB's name and a number, an NLB's name
        // and 16 hex digits.
        let (kind_path, dns_name) = match kind {
            LoadBalancerType::Application => (
                "app",
                format!(
                    "{name}-{}.{region}.elb.amazonaws.com",
                    u64::from_str_radix(&suffix[..8], 16).unwrap_or_default()
                ),
            ),
            LoadBalancerType::Network => {
                ("net", format!("{name}-{suffix}.elb.{region}.amazonaws.com"))
            }
        };
        let arn = format!(
            "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{kind_path}/{name}/{suffix}"
        );
        let zones_words = zones.iter().copied().collect::<Vec<_>>().join(", ");
        let lb = LoadBalancer {
            name: name.to_string(),
            arn: arn.clone(),
            kind,
            dns_name,
            subnets: chosen,
            created_at: self.now,
        };
        let per_hour = lb.per_hour();
        self.gateways.load_balancers.insert(name.to_string(), lb);
        self.bill_from_now(per_hour);
        self.network_event(
            out,
            format!(
                "{} {name} created in {zones_words}: ${per_hour:.4} per hour from now (with a public IPv4 address in each zone), plus capacity units for its traffic, with or without targets.",
                kind.label(),
            ),
        );
        Ok(arn)
    }

    /// `DeleteLoadBalancer`, by ARN or (in JSON commands) by name. One that
    /// does not exist is no error: "If the load balancer does not exist or
    /// has already been deleted, the call succeeds."
    pub(super) fn delete_load_balancer(&mut self, arn_or_name: &str, out: &mut Vec<Event>) {
        let name = self
            .gateways
            .load_balancers
            .values()
            .find(|lb| lb.arn == arn_or_name || lb.name == arn_or_name)
            .map(|lb| lb.name.clone());
        let Some(name) = name else {
            return;
        };
        if let Some(gone) = self.gateways.load_balancers.remove(&name) {
            self.bill_from_now(-gone.per_hour());
            self.network_event(
                out,
                format!("{} {name} deleted, with its listeners.", gone.kind.label()),
            );
        }
    }

    fn network_event(&self, out: &mut Vec<Event>, change: String) {
        out.push(Event {
            at: self.now,
            what: What::NetworkResource { change },
        });
    }

    /// The still-billing lines of these resources.
    pub(super) fn gateways_still_billing(&self) -> Vec<StillBilling> {
        let mut lines = Vec::new();
        // A gateway and its address are one line: one is not removed
        // without the other, and deleting the gateway alone leaves the
        // address billing.
        for nat in self.nat_gateways().filter(|n| n.deleted_at.is_none()) {
            let address = self
                .gateways
                .addresses
                .get(&nat.allocation_id)
                .map_or("", |a| a.public_ip.as_str());
            lines.push(StillBilling {
                what: format!(
                    "NAT gateway {} ({}) with Elastic IP {address}",
                    nat.nat_gateway_id, nat.availability_zone
                ),
                per_hour: NAT_GATEWAY_PER_HOUR + PUBLIC_IPV4_PER_HOUR,
                note: Some("bills every hour it exists, plus $0.045 per GB it processes, with no traffic at all; deleting it leaves its Elastic IP allocated and billing, so release that too".into()),
                remove: vec![
                    Command::DeleteNatGateway {
                        nat_gateway: nat.nat_gateway_id.clone(),
                    },
                    Command::ReleaseAddress {
                        allocation_id: nat.allocation_id.clone(),
                    },
                ],
            });
        }
        for address in self.elastic_ips().filter(|a| a.nat_gateway.is_none()) {
            lines.push(StillBilling {
                what: format!(
                    "Elastic IP {} ({})",
                    address.public_ip, address.allocation_id
                ),
                per_hour: PUBLIC_IPV4_PER_HOUR,
                note: Some(
                    "associated with nothing, and billed as a public IPv4 address all the same"
                        .into(),
                ),
                remove: vec![Command::ReleaseAddress {
                    allocation_id: address.allocation_id.clone(),
                }],
            });
        }
        for lb in self.load_balancers() {
            lines.push(StillBilling {
                what: format!("{} {}", lb.kind.label(), lb.name),
                per_hour: lb.per_hour(),
                note: Some(format!("bills every hour it exists, with a public IPv4 address in each of its {} zones, plus capacity units for its traffic, whether or not anything is behind it; deleting it deletes its listeners, not its target groups' targets", lb.subnets.len())),
                remove: vec![Command::DeleteLoadBalancer {
                    load_balancer: lb.arn.clone(),
                }],
            });
        }
        lines
    }
}

/// Elastic Load Balancing's naming rule: up to 32 characters, letters,
/// digits and hyphens, not beginning or ending with a hyphen, and not
/// beginning with `internal-`.
fn check_load_balancer_name(name: &str) -> Result<(), Rejection> {
    let valid = !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.starts_with("internal-");
    if valid {
        Ok(())
    } else {
        Err(Rejection::new(
            "load-balancer-name",
            format!("'{name}' is not a valid load balancer name: up to 32 letters, digits and hyphens, not beginning or ending with a hyphen, and not beginning with 'internal-'."),
        ))
    }
}
