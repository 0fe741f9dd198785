//! A deterministic simulation of ECS on EC2 and on Fargate: placement,
//! services, autoscaling, capacity providers, failures and cost
//! (rules §3, §6), and EKS node groups, Fargate profiles, the HPA and the
//! Cluster Autoscaler (rules §7). Time and the seed are inputs; nothing reads a clock.

pub mod catalogue;
pub mod command;
pub mod command_json;
pub mod eks;
pub mod limits;
pub mod load;
pub mod network;
pub mod pool;
pub mod refusals;
pub mod rng;
pub mod scenario;
pub mod types;
pub mod why;
pub mod world;

pub use catalogue::Parameters;
pub use command::{
    AssignPublicIp, CapacityProviderSpec, CircuitBreaker, Command, DeploymentConfiguration,
    ServiceSpec,
};
pub use load::{
    AdjustmentType, Comparison, LoadCurve, Metric, ServiceScaling, StepAdjustment, StepPolicy,
    TargetPolicy,
};
pub use refusals::{refusal, Origin, Refusal, REFUSALS};
pub use types::*;
pub use world::{
    ElasticIp, Instance, LoadBalancer, LoadBalancerType, NatGateway, NetworkBinding, Service,
    ServiceSnapshot, StillBilling, Task, TaskFiles, World, DYNAMIC_HOST_PORTS, NOT_MODELLED,
};
