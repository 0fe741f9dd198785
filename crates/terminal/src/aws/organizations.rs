//! `aws organizations`: service control policies on the learner's account,
//! as the model keeps them (`Command::CreateServiceControlPolicy`,
//! `AttachServiceControlPolicy`, `DetachServiceControlPolicy`). The account
//! stands for the whole organization: policies attach to it by its ID.
//! Other policy types (resource control, tag, backup, ...) are answered
//! with `DockyardNotSimulated`, changing nothing.

use serde_json::{json, Map, Value};

use dockyard_model::sim::{Command, World};

use super::{text, ApiError, Reply};
use crate::Cloud;

/// The organization the account belongs to once it has an SCP (the
/// documentation's example ID).
const ORGANIZATION: &str = "o-exampleorgid";
/// The SCP AWS creates with the organization, attached everywhere.
const FULL_AWS_ACCESS: &str = "FullAWSAccess";

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    match operation {
        "CreatePolicy" => {
            let kind = text(request, "Type").unwrap_or_default();
            if kind != "SERVICE_CONTROL_POLICY" {
                return Err(ApiError::new(
                    "DockyardNotSimulated",
                    format!("Dockyard simulates service control policies only, not {kind}: nothing was changed"),
                ));
            }
            let name = text(request, "Name").unwrap_or_default().to_string();
            let content = text(request, "Content").unwrap_or_default();
            let document: Value = serde_json::from_str(content).map_err(|_| {
                ApiError::new(
                    "MalformedPolicyDocumentException",
                    "The provided policy document doesn't meet the requirements of the specified policy type.",
                )
            })?;
            cloud
                .apply(Command::CreateServiceControlPolicy {
                    name: name.clone(),
                    document,
                })
                .map_err(|refused| match refused.code {
                    Some("policy-exists") => ApiError::refused("DuplicatePolicyException", refused),
                    _ => ApiError::refused("MalformedPolicyDocumentException", refused),
                })?;
            let description = text(request, "Description").unwrap_or_default();
            Ok(json!({ "Policy": policy(cloud.world(), &name, description) }))
        }
        "DescribePolicy" => {
            let name = named(cloud.world(), request)?;
            Ok(json!({ "Policy": policy(cloud.world(), &name, "") }))
        }
        "ListPolicies" => {
            let world = cloud.world();
            let summaries: Vec<Value> = world
                .organization_policies()
                .keys()
                .map(|name| summary(world, name, ""))
                .collect();
            Ok(json!({ "Policies": summaries }))
        }
        "AttachPolicy" | "DetachPolicy" => {
            let name = named(cloud.world(), request)?;
            let target = text(request, "TargetId").unwrap_or_default();
            if target != cloud.world().account_id() {
                return Err(ApiError::new(
                    "TargetNotFoundException",
                    format!("We can't find a root, OU, account, or policy with the TargetId that you specified ({target}): Dockyard's organization has one account, {}.", cloud.world().account_id()),
                ));
            }
            let command = if operation == "AttachPolicy" {
                Command::AttachServiceControlPolicy { name }
            } else {
                Command::DetachServiceControlPolicy { name }
            };
            cloud.apply(command).map_err(|refused| {
                let exception = if refused.message.starts_with("ConstraintViolation") {
                    "ConstraintViolationException"
                } else {
                    "PolicyNotFoundException"
                };
                ApiError::refused(exception, refused)
            })?;
            Ok(json!({}))
        }
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("Dockyard does not simulate {operation} yet: nothing was changed"),
        )),
    }
}

/// A policy's ID as Organizations writes them (`p-` and 8 lowercase
/// letters or digits), derived from its name so that it is the same on
/// every run; AWS's own SCP has the fixed ID `p-FullAWSAccess`.
pub(crate) fn policy_id(name: &str) -> String {
    if name == FULL_AWS_ACCESS {
        return "p-FullAWSAccess".to_string();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("p-");
    for _ in 0..8 {
        id.push(ALPHABET[(hash % 36) as usize] as char);
        hash /= 36;
    }
    id
}

/// The policy that `PolicyId` names.
fn named(world: &World, request: &Map<String, Value>) -> Result<String, ApiError> {
    let id = text(request, "PolicyId").unwrap_or_default();
    world
        .organization_policies()
        .keys()
        .find(|name| policy_id(name) == id)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                "PolicyNotFoundException",
                format!("We can't find a policy with the PolicyId that you specified ({id})."),
            )
        })
}

fn summary(world: &World, name: &str, description: &str) -> Value {
    let id = policy_id(name);
    let aws = name == FULL_AWS_ACCESS;
    let arn = if aws {
        format!("arn:aws:organizations::aws:policy/service_control_policy/{id}")
    } else {
        format!(
            "arn:aws:organizations::{}:policy/{ORGANIZATION}/service_control_policy/{id}",
            world.account_id()
        )
    };
    json!({
        "Id": id,
        "Arn": arn,
        "Name": name,
        "Description": if aws { "Allows access to every operation" } else { description },
        "Type": "SERVICE_CONTROL_POLICY",
        "AwsManaged": aws,
    })
}

fn policy(world: &World, name: &str, description: &str) -> Value {
    let content = world
        .organization_policies()
        .get(name)
        .map(|document| serde_json::to_string(document).unwrap_or_default())
        .unwrap_or_default();
    json!({
        "PolicySummary": summary(world, name, description),
        "Content": content,
    })
}
