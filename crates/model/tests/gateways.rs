//! The resources that bill whether or not anything uses them: Elastic IPs,
//! NAT gateways and load balancers. Each bills from its creation to its
//! removal, shows in the teardown list with the commands that remove it,
//! and follows AWS's rules for making and removing it (an ALB needs two
//! zones; deleting a NAT gateway leaves its address allocated; deleting a
//! load balancer that is gone succeeds).

use dockyard_model::sim::catalogue::{
    APPLICATION_LOAD_BALANCER_PER_HOUR, NAT_GATEWAY_PER_HOUR, NETWORK_LOAD_BALANCER_PER_HOUR,
    PUBLIC_IPV4_PER_HOUR,
};
use dockyard_model::sim::{seconds, Command, LoadBalancerType, Parameters, What, World};

fn account() -> World {
    World::new(
        1,
        Parameters::default(),
        "us-east-1",
        vec!["us-east-1a".into(), "us-east-1b".into()],
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn code(world: &mut World, command: Command) -> &'static str {
    world.apply(command).expect_err("refused").code
}

fn load_balancer(name: &str, kind: LoadBalancerType, subnets: &[&str]) -> Command {
    Command::CreateLoadBalancer {
        name: name.into(),
        kind,
        subnets: subnets.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn a_nat_gateway_bills_with_its_address_and_deleting_it_leaves_the_address_billing() {
    let mut world = account();
    world.apply(Command::AllocateAddress).unwrap();
    let allocation = world.elastic_ips().next().unwrap().allocation_id.clone();
    assert!(allocation.starts_with("eipalloc-0") && allocation.len() == 26);
    assert!(close(world.cost_per_hour(), PUBLIC_IPV4_PER_HOUR));
    let subnet = world.default_vpc().subnets[0].subnet_id.clone();
    let events = world
        .apply(Command::CreateNatGateway {
            subnet: subnet.clone(),
            allocation_id: Some(allocation.clone()),
        })
        .unwrap();
    assert!(
        matches!(&events[0].what, What::NetworkResource { change } if change.contains("per hour"))
    );
    let nat = world.nat_gateways().next().unwrap().clone();
    assert_eq!(
        (nat.subnet_id.as_str(), nat.state()),
        (subnet.as_str(), "available")
    );
    assert!(close(
        world.cost_per_hour(),
        NAT_GATEWAY_PER_HOUR + PUBLIC_IPV4_PER_HOUR
    ));
    // One line for the two: the gateway is not removed without its address.
    let lines = world.still_billing();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].what.starts_with("NAT gateway nat-0"));
    assert_eq!(
        lines[0].remove,
        [
            Command::DeleteNatGateway {
                nat_gateway: nat.nat_gateway_id.clone()
            },
            Command::ReleaseAddress {
                allocation_id: allocation.clone()
            }
        ]
    );

    // The address serves the gateway: it cannot be released, nor given to
    // a second gateway.
    assert_eq!(
        code(
            &mut world,
            Command::ReleaseAddress {
                allocation_id: allocation.clone()
            }
        ),
        "elastic-ip-in-use"
    );
    assert_eq!(
        code(
            &mut world,
            Command::CreateNatGateway {
                subnet: subnet.clone(),
                allocation_id: Some(allocation.clone()),
            }
        ),
        "elastic-ip-in-use"
    );

    // Deleting the gateway stops its charge, not the address's.
    world
        .apply(Command::DeleteNatGateway {
            nat_gateway: nat.nat_gateway_id.clone(),
        })
        .unwrap();
    assert_eq!(world.nat_gateways().next().unwrap().state(), "deleted");
    assert!(close(world.cost_per_hour(), PUBLIC_IPV4_PER_HOUR));
    let lines = world.still_billing();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].what.starts_with("Elastic IP 203.0.113."),
        "{lines:?}"
    );
    assert!(lines[0]
        .note
        .as_deref()
        .unwrap()
        .contains("associated with nothing"));
    assert_eq!(
        code(
            &mut world,
            Command::DeleteNatGateway {
                nat_gateway: nat.nat_gateway_id.clone()
            }
        ),
        "no-nat-gateway"
    );

    world
        .apply(Command::ReleaseAddress {
            allocation_id: allocation.clone(),
        })
        .unwrap();
    assert!(world.still_billing().is_empty());
    assert!(close(world.cost_per_hour(), 0.0));
    assert_eq!(
        code(
            &mut world,
            Command::ReleaseAddress {
                allocation_id: allocation
            }
        ),
        "no-elastic-ip"
    );
}

#[test]
fn the_bill_counts_each_hour_the_gateway_and_its_address_existed() {
    let mut world = account();
    world
        .apply(Command::CreateNatGateway {
            subnet: "us-east-1a".into(),
            allocation_id: None,
        })
        .unwrap();
    // JSON's shorthand allocated the address with it.
    assert_eq!(world.elastic_ips().count(), 1);
    world.advance_to(seconds(2 * 3600));
    let nat = world.nat_gateways().next().unwrap().nat_gateway_id.clone();
    world
        .apply(Command::DeleteNatGateway { nat_gateway: nat })
        .unwrap();
    world.advance_to(seconds(3 * 3600));
    let expected = 2.0 * NAT_GATEWAY_PER_HOUR + 3.0 * PUBLIC_IPV4_PER_HOUR;
    assert!((world.cost() - expected).abs() < 1e-9, "{}", world.cost());
}

#[test]
fn a_nat_gateway_needs_a_subnet_that_exists_and_an_address_that_does() {
    let mut world = account();
    assert_eq!(
        code(
            &mut world,
            Command::CreateNatGateway {
                subnet: "subnet-0000000000000000a".into(),
                allocation_id: None,
            }
        ),
        "no-subnet"
    );
    assert_eq!(
        code(
            &mut world,
            Command::CreateNatGateway {
                subnet: "us-east-1a".into(),
                allocation_id: Some("eipalloc-00000000000000000".into()),
            }
        ),
        "no-elastic-ip"
    );
    // Refused calls bill nothing and allocate nothing.
    assert_eq!(world.elastic_ips().count(), 0);
    assert!(close(world.cost_per_hour(), 0.0));
}

#[test]
fn an_application_load_balancer_needs_two_zones_and_a_network_one_needs_one() {
    let mut world = account();
    let [a, b] = [0, 1].map(|i| world.default_vpc().subnets[i].subnet_id.clone());
    assert_eq!(
        code(
            &mut world,
            load_balancer("web", LoadBalancerType::Application, &[&a])
        ),
        "load-balancer-zones"
    );
    // The same subnet twice is still one zone.
    assert_eq!(
        code(
            &mut world,
            load_balancer("web", LoadBalancerType::Application, &[&a, &a])
        ),
        "load-balancer-zones"
    );
    world
        .apply(load_balancer(
            "web",
            LoadBalancerType::Application,
            &[&b, &a],
        ))
        .unwrap();
    world
        .apply(load_balancer("tcp", LoadBalancerType::Network, &[&a]))
        .unwrap();
    // Each with a public IPv4 address in each of its zones.
    assert!(close(
        world.cost_per_hour(),
        APPLICATION_LOAD_BALANCER_PER_HOUR
            + NETWORK_LOAD_BALANCER_PER_HOUR
            + 3.0 * PUBLIC_IPV4_PER_HOUR
    ));
    let web = world.load_balancers().find(|lb| lb.name == "web").unwrap();
    assert!(web
        .arn
        .starts_with("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/"));
    let zones: Vec<&str> = web
        .subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .collect();
    assert_eq!(zones, ["us-east-1a", "us-east-1b"]);
    let tcp = world.load_balancers().find(|lb| lb.name == "tcp").unwrap();
    assert!(tcp.arn.contains(":loadbalancer/net/tcp/"));
    assert!(tcp.dns_name.ends_with(".elb.us-east-1.amazonaws.com"));
}

#[test]
fn creating_a_load_balancer_again_is_idempotent_and_other_settings_are_refused() {
    let mut world = account();
    let zones = ["us-east-1a", "us-east-1b"];
    world
        .apply(load_balancer("web", LoadBalancerType::Application, &zones))
        .unwrap();
    // The same settings: the one that exists, billed once.
    world
        .apply(load_balancer("web", LoadBalancerType::Application, &zones))
        .unwrap();
    assert_eq!(world.load_balancers().count(), 1);
    assert!(close(
        world.cost_per_hour(),
        APPLICATION_LOAD_BALANCER_PER_HOUR + 2.0 * PUBLIC_IPV4_PER_HOUR
    ));
    assert_eq!(
        code(
            &mut world,
            load_balancer("web", LoadBalancerType::Network, &zones)
        ),
        "load-balancer-exists"
    );
}

#[test]
fn load_balancer_names_follow_elastic_load_balancings_rule() {
    let mut world = account();
    let zones = ["us-east-1a", "us-east-1b"];
    for bad in [
        "",
        "-web",
        "web-",
        "internal-web",
        "web_1",
        "a-name-of-thirty-three-characters",
    ] {
        assert_eq!(
            code(
                &mut world,
                load_balancer(bad, LoadBalancerType::Application, &zones)
            ),
            "load-balancer-name",
            "{bad:?}"
        );
    }
    world
        .apply(load_balancer(
            "a-name-of-thirty-two-characters1",
            LoadBalancerType::Application,
            &zones,
        ))
        .unwrap();
}

#[test]
fn deleting_a_load_balancer_stops_its_charge_and_deleting_one_that_is_gone_succeeds() {
    let mut world = account();
    world
        .apply(load_balancer(
            "web",
            LoadBalancerType::Application,
            &["us-east-1a", "us-east-1b"],
        ))
        .unwrap();
    let lines = world.still_billing();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].what, "Application Load Balancer web");
    for command in lines[0].remove.clone() {
        world.apply(command).unwrap();
    }
    assert!(world.still_billing().is_empty());
    assert!(close(world.cost_per_hour(), 0.0));
    let arn =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0000000000000000";
    world
        .apply(Command::DeleteLoadBalancer {
            load_balancer: arn.into(),
        })
        .expect("AWS: if the load balancer does not exist or has already been deleted, the call succeeds");
}
