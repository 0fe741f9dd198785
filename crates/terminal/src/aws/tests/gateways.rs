//! `aws ec2` Elastic IPs and NAT gateways, `aws elbv2` load balancers: the
//! lab's leftovers removed by the commands a learner types, responses
//! checked against the API models, errors with EC2's and ELB's codes.

use super::{checked, TestCloud};

const LEFTOVERS: &str =
    include_str!("../../../../../scenarios/leftovers-still-billing.scenario.json");

fn leftovers() -> TestCloud {
    TestCloud::scenario(LEFTOVERS, 7)
}

fn subnet(cloud: &TestCloud, index: usize) -> String {
    cloud.world.default_vpc().subnets[index].subnet_id.clone()
}

#[test]
fn the_labs_nat_gateway_and_load_balancer_are_described_and_removed_by_their_commands() {
    let mut cloud = leftovers();
    let gateways = checked(&mut cloud, "aws ec2 describe-nat-gateways");
    let nat = &gateways["NatGateways"][0];
    assert_eq!(nat["State"], "available");
    assert_eq!(nat["ConnectivityType"], "public");
    assert_eq!(nat["SubnetId"], subnet(&cloud, 0).as_str());
    let nat_id = nat["NatGatewayId"].as_str().unwrap().to_string();
    let allocation = nat["NatGatewayAddresses"][0]["AllocationId"]
        .as_str()
        .unwrap()
        .to_string();
    // The lesson's reference solution names these ids: they are stable.
    assert_eq!(nat_id, "nat-039960e63a9693555");
    assert_eq!(allocation, "eipalloc-023c0004f29b3304e");

    let balancers = checked(
        &mut cloud,
        "aws elbv2 describe-load-balancers --names lab-web",
    );
    let lb = &balancers["LoadBalancers"][0];
    assert_eq!(lb["Type"], "application");
    assert_eq!(lb["State"]["Code"], "active");
    assert_eq!(lb["AvailabilityZones"].as_array().unwrap().len(), 2);
    let arn = lb["LoadBalancerArn"].as_str().unwrap().to_string();

    // The address serves the gateway: EC2 will not release it yet.
    let early = cloud.run(&format!(
        "aws ec2 release-address --allocation-id {allocation}"
    ));
    assert_eq!(early.status, 254);
    assert!(early.stderr.contains("(AuthFailure)"), "{}", early.stderr);

    let deleted = checked(
        &mut cloud,
        &format!("aws ec2 delete-nat-gateway --nat-gateway-id {nat_id}"),
    );
    assert_eq!(deleted["NatGatewayId"], nat_id.as_str());
    let after = checked(&mut cloud, "aws ec2 describe-nat-gateways");
    assert_eq!(after["NatGateways"][0]["State"], "deleted");
    // Disassociated, not released: still the account's, still billing.
    let addresses = checked(&mut cloud, "aws ec2 describe-addresses");
    assert_eq!(
        addresses["Addresses"][0]["AllocationId"],
        allocation.as_str()
    );
    assert!(addresses["Addresses"][0].get("AssociationId").is_none());

    let released = cloud.run(&format!(
        "aws ec2 release-address --allocation-id {allocation}"
    ));
    assert_eq!((released.status, released.stdout.as_str()), (0, ""));
    // Deleting it again succeeds, as AWS documents; neither prints anything.
    for _ in 0..2 {
        let deleted = cloud.run(&format!(
            "aws elbv2 delete-load-balancer --load-balancer-arn {arn}"
        ));
        assert_eq!(
            (deleted.status, deleted.stdout.as_str()),
            (0, ""),
            "{}",
            deleted.stderr
        );
    }
    let none = cloud.run("aws elbv2 describe-load-balancers --names lab-web");
    assert_eq!(none.status, 254);
    assert!(
        none.stderr.contains("(LoadBalancerNotFound)"),
        "{}",
        none.stderr
    );
    assert!(cloud
        .world
        .still_billing()
        .iter()
        .all(|line| !line.what.contains("NAT")
            && !line.what.contains("Elastic IP")
            && !line.what.contains("Load Balancer")));
}

#[test]
fn a_nat_gateway_made_by_commands_needs_an_address_and_a_real_subnet() {
    let mut cloud = TestCloud::web_on_fargate();
    let a = subnet(&cloud, 0);
    let missing = cloud.run(&format!("aws ec2 create-nat-gateway --subnet-id {a}"));
    assert_eq!(missing.status, 254);
    assert!(
        missing.stderr.contains("(MissingParameter)"),
        "{}",
        missing.stderr
    );

    let address = checked(&mut cloud, "aws ec2 allocate-address --domain vpc");
    let allocation = address["AllocationId"].as_str().unwrap().to_string();
    assert!(address["PublicIp"]
        .as_str()
        .unwrap()
        .starts_with("203.0.113."));

    let zone = cloud.run(&format!(
        "aws ec2 create-nat-gateway --subnet-id us-east-1a --allocation-id {allocation}"
    ));
    assert!(
        zone.stderr.contains("(InvalidSubnetID.NotFound)"),
        "{}",
        zone.stderr
    );
    let made = checked(
        &mut cloud,
        &format!("aws ec2 create-nat-gateway --subnet-id {a} --allocation-id {allocation}"),
    );
    // Created pending, as AWS answers; available when described.
    assert_eq!(made["NatGateway"]["State"], "pending");
    assert_eq!(
        made["NatGateway"]["NatGatewayAddresses"][0]["PublicIp"],
        address["PublicIp"]
    );
    let again = cloud.run(&format!(
        "aws ec2 create-nat-gateway --subnet-id {a} --allocation-id {allocation}"
    ));
    assert!(
        again.stderr.contains("(Resource.AlreadyAssociated)"),
        "{}",
        again.stderr
    );
    let private = cloud.run(&format!(
        "aws ec2 create-nat-gateway --subnet-id {a} --connectivity-type private"
    ));
    assert_eq!(private.status, 255, "{}", private.stderr);
    assert!(private.stderr.contains("[dockyard]"), "{}", private.stderr);
}

#[test]
fn an_application_load_balancer_in_one_zone_is_refused_as_elastic_load_balancing_refuses_it() {
    let mut cloud = TestCloud::web_on_fargate();
    let (a, b) = (subnet(&cloud, 0), subnet(&cloud, 1));
    let one = cloud.run(&format!(
        "aws elbv2 create-load-balancer --name web --subnets {a}"
    ));
    assert_eq!(one.status, 254);
    assert!(
        one.stderr.contains("(ValidationError) when calling the CreateLoadBalancer operation: At least two subnets in two different Availability Zones must be specified"),
        "{}",
        one.stderr
    );
    let made = checked(
        &mut cloud,
        &format!("aws elbv2 create-load-balancer --name web --subnets {a} {b}"),
    );
    assert_eq!(made["LoadBalancers"][0]["State"]["Code"], "provisioning");
    assert_eq!(made["LoadBalancers"][0]["Scheme"], "internet-facing");
    let network = cloud.run(&format!(
        "aws elbv2 create-load-balancer --name web --type network --subnets {a} {b}"
    ));
    assert!(
        network.stderr.contains("(DuplicateLoadBalancerName)"),
        "{}",
        network.stderr
    );
    let tcp = checked(
        &mut cloud,
        &format!("aws elbv2 create-load-balancer --name tcp --type network --subnets {a}"),
    );
    assert!(tcp["LoadBalancers"][0].get("SecurityGroups").is_none());
    let names = cloud.run(
        "aws elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerName' --output text",
    );
    assert_eq!(
        names.stdout.split_whitespace().collect::<Vec<_>>(),
        ["tcp", "web"]
    );
}
