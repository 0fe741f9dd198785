//! The numbers a simulation runs on: instance types, prices and latencies.
//! AWS publishes prices (which change) and no launch latencies at all
//! (rules §6.6), so every figure here is a visible, dated parameter,
//! labelled illustrative where it is not AWS's own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// When the prices below were last compared with AWS's price list.
pub const PRICES_AS_OF: &str = "2025-06, us-east-1, Linux, illustrative";

/// An EC2 instance type from the built-in catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpus: u32,
    /// Advertised memory in MiB.
    pub memory_mib: u32,
    /// Elastic network interfaces; one is the instance's own, so an awsvpc
    /// task can use `enis - 1` (without ENI trunking).
    pub enis: u32,
    pub on_demand_per_hour: f64,
    /// Spot prices move all the time; this is a typical figure.
    pub spot_per_hour: f64,
}

pub const INSTANCE_TYPES: &[InstanceType] = &[
    InstanceType {
        name: "t3.medium",
        vcpus: 2,
        memory_mib: 4096,
        enis: 3,
        on_demand_per_hour: 0.0416,
        spot_per_hour: 0.0125,
    },
    InstanceType {
        name: "c5.large",
        vcpus: 2,
        memory_mib: 4096,
        enis: 3,
        on_demand_per_hour: 0.085,
        spot_per_hour: 0.032,
    },
    InstanceType {
        name: "m5.large",
        vcpus: 2,
        memory_mib: 8192,
        enis: 3,
        on_demand_per_hour: 0.096,
        spot_per_hour: 0.036,
    },
    InstanceType {
        name: "r5.large",
        vcpus: 2,
        memory_mib: 16384,
        enis: 3,
        on_demand_per_hour: 0.126,
        spot_per_hour: 0.042,
    },
    InstanceType {
        name: "c5.xlarge",
        vcpus: 4,
        memory_mib: 8192,
        enis: 4,
        on_demand_per_hour: 0.17,
        spot_per_hour: 0.064,
    },
    InstanceType {
        name: "m5.xlarge",
        vcpus: 4,
        memory_mib: 16384,
        enis: 4,
        on_demand_per_hour: 0.192,
        spot_per_hour: 0.072,
    },
    InstanceType {
        name: "m5.2xlarge",
        vcpus: 8,
        memory_mib: 32768,
        enis: 4,
        on_demand_per_hour: 0.384,
        spot_per_hour: 0.144,
    },
];

pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// The instance type, or the rejection a command naming an unknown one gets.
pub fn require_instance_type(name: &str) -> Result<&'static InstanceType, super::types::Rejection> {
    instance_type(name).ok_or_else(|| {
        super::types::Rejection::new(
            "instance-type",
            format!("{name} is not in Dockyard's instance catalogue"),
        )
    })
}

/// Fargate On-Demand, Linux/x86, per vCPU-hour and per GB-hour.
/// An EKS cluster's control plane, per hour it exists, in standard
/// support (a Kubernetes version in extended support costs $0.60).
pub const EKS_CONTROL_PLANE_PER_HOUR: f64 = 0.10;
/// A NAT gateway, per hour it exists (data processed is $0.045 per GB more).
pub const NAT_GATEWAY_PER_HOUR: f64 = 0.045;
/// A public IPv4 address, per hour, in use or idle (since February 2024):
/// what an Elastic IP costs.
pub const PUBLIC_IPV4_PER_HOUR: f64 = 0.005;
/// An Application or Network Load Balancer, per hour it exists, before the
/// capacity units its traffic uses.
pub const APPLICATION_LOAD_BALANCER_PER_HOUR: f64 = 0.0225;
pub const NETWORK_LOAD_BALANCER_PER_HOUR: f64 = 0.0225;
pub const FARGATE_PER_VCPU_HOUR: f64 = 0.04048;
pub const FARGATE_PER_GB_HOUR: f64 = 0.004445;
/// Fargate bills a task or pod per second with a one-minute minimum, on
/// ECS and on EKS alike. AWS's pricing page long said "a minimum charge of 1
/// minute applies"; its current wording mentions only rounding up to the
/// second, so the notes mark the minimum as uncertain.
pub const FARGATE_MINIMUM_BILLED_MS: u64 = 60_000;
/// Fargate Spot's discount varies; about 70% off is typical.
pub const FARGATE_SPOT_FACTOR: f64 = 0.3;

/// Latencies and other figures AWS does not publish. All illustrative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Parameters {
    /// From RunInstances to the ECS agent registering the instance.
    pub instance_boot_seconds: u64,
    /// Memory the OS, Docker and the agent keep: the instance registers
    /// less memory than it advertises (rules §3 point 7).
    pub instance_reserved_memory_mib: u32,
    /// Fargate finding capacity and attaching the task's ENI.
    pub fargate_provisioning_seconds: u64,
    /// Attaching an ENI to an awsvpc task on EC2.
    pub eni_attach_seconds: u64,
    /// How fast an image downloads.
    pub image_pull_mb_per_second: u64,
    /// Image size when neither the scenario nor `image_sizes_mb` knows it.
    pub default_image_mb: u64,
    /// Compressed download sizes by image (as written, without tag or
    /// digest). The defaults are illustrative linux/amd64 figures from 2025;
    /// a scenario may add its own.
    pub image_sizes_mb: BTreeMap<String, u64>,
    /// On EC2 an image the instance pulled before is already in its layer
    /// cache: the agent still asks the registry for the manifest, and that
    /// is all (Fargate keeps no cache between tasks).
    pub cached_pull_seconds: u64,
    /// From the image being pulled to the containers running.
    pub container_start_seconds: u64,
    /// From a stop request to STOPPED (DEACTIVATING, STOPPING, DEPROVISIONING).
    pub stop_seconds: u64,
    /// Without health checks a task counts as healthy this long after RUNNING
    /// (AWS documents 40 s).
    pub healthy_after_seconds: u64,
    /// How often CloudWatch metrics feed autoscaling.
    pub metric_period_seconds: u64,
    /// Target tracking's alarms: minutes above target before scaling out and
    /// below it before scaling in (AWS does not document these precisely).
    pub scale_out_datapoints: u32,
    pub scale_in_datapoints: u32,
}

impl Default for Parameters {
    fn default() -> Self {
        Parameters {
            instance_boot_seconds: 120,
            instance_reserved_memory_mib: 256,
            fargate_provisioning_seconds: 30,
            eni_attach_seconds: 10,
            image_pull_mb_per_second: 40,
            default_image_mb: 200,
            image_sizes_mb: default_image_sizes(),
            cached_pull_seconds: 1,
            container_start_seconds: 3,
            stop_seconds: 10,
            healthy_after_seconds: 40,
            metric_period_seconds: 60,
            scale_out_datapoints: 3,
            scale_in_datapoints: 15,
        }
    }
}

/// Illustrative compressed sizes of common public images (linux/amd64, 2025).
fn default_image_sizes() -> BTreeMap<String, u64> {
    [
        ("busybox", 2),
        ("alpine", 4),
        ("nginx", 70),
        ("httpd", 60),
        ("redis", 45),
        ("postgres", 160),
        ("python", 380),
        ("node", 400),
        ("public.ecr.aws/nginx/nginx", 70),
        ("public.ecr.aws/docker/library/busybox", 2),
        ("public.ecr.aws/docker/library/nginx", 70),
        ("public.ecr.aws/aws-observability/aws-for-fluent-bit", 110),
        ("public.ecr.aws/amazonlinux/amazonlinux", 60),
    ]
    .into_iter()
    .fold(BTreeMap::new(), |mut sizes, (image, mb)| {
        sizes.insert(image.to_string(), mb);
        sizes
    })
}

impl Parameters {
    /// An image's download size: by the image as written, without its tag
    /// or digest, else the default.
    pub fn image_mb(&self, image: &str) -> u64 {
        let name = image.split('@').next().unwrap_or(image);
        let name = match name.rfind(':') {
            Some(colon) if !name[colon..].contains('/') => &name[..colon],
            _ => name,
        };
        self.image_sizes_mb
            .get(name)
            .copied()
            .unwrap_or(self.default_image_mb)
    }
}
