//! `aws organizations`: service control policies on the learner's account,
//! as the model keeps them (`Command::CreateServiceControlPolicy`,
//! `AttachServiceControlPolicy`, `DetachServiceControlPolicy`). The account
//! is a member of an organization (a scenario's `joinOrganization` step);
//! these calls are the management account's, which the sandbox makes for
//! the learner, as it acts for every account of a scenario. Policies attach
//! to the member account by its ID. Other policy types (resource control,
//! tag, backup, ...) are answered with `DockyardNotSimulated`, changing
//! nothing.

use serde_json::{json, Map, Value};

use dockyard_model::sim::{Command, World};

use super::{text, ApiError, Reply};
use crate::{Cloud, Refused};

/// The organization's ID (the documentation's example).
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
            let description = text(request, "Description").unwrap_or_default().to_string();
            cloud
                .apply(Command::CreateServiceControlPolicy {
                    name: name.clone(),
                    description,
                    document,
                })
                .map_err(refused)?;
            Ok(json!({ "Policy": policy(cloud.world(), &name)? }))
        }
        "DescribePolicy" => {
            let name = named(cloud.world(), request)?;
            Ok(json!({ "Policy": policy(cloud.world(), &name)? }))
        }
        "ListPolicies" => {
            let world = cloud.world();
            let organization = world.organization().ok_or_else(not_in_use)?;
            let summaries: Vec<Value> = organization
                .policies
                .keys()
                .map(|name| summary(world, name))
                .collect::<Result<_, _>>()?;
            Ok(json!({ "Policies": summaries }))
        }
        "AttachPolicy" | "DetachPolicy" => {
            let name = named(cloud.world(), request)?;
            let target = text(request, "TargetId").unwrap_or_default();
            if target != cloud.world().account_id() {
                return Err(ApiError::new(
                    "TargetNotFoundException",
                    format!("We can't find a root, OU, account, or policy with the TargetId that you specified ({target}): Dockyard attaches SCPs to one member account, {}.", cloud.world().account_id()),
                ));
            }
            let command = if operation == "AttachPolicy" {
                Command::AttachServiceControlPolicy { name }
            } else {
                Command::DetachServiceControlPolicy { name }
            };
            cloud.apply(command).map_err(refused)?;
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
    let mut hash = dockyard_model::hash::fnv1a(name.bytes());
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("p-");
    for _ in 0..8 {
        id.push(ALPHABET[(hash % 36) as usize] as char);
        hash /= 36;
    }
    id
}

/// Organizations' answer to an account in no organization.
fn not_in_use() -> ApiError {
    ApiError::new(
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    )
}

/// The exception Organizations answers a model refusal with.
fn refused(refused: Refused) -> ApiError {
    let exception = match refused.code {
        Some("no-organization") => "AWSOrganizationsNotInUseException",
        Some("no-policy") => "PolicyNotFoundException",
        Some("policy-exists") => "DuplicatePolicyException",
        Some("policy-attached") => "DuplicatePolicyAttachmentException",
        Some("policy-not-attached") => "PolicyNotAttachedException",
        Some("last-policy") => "ConstraintViolationException",
        _ => "MalformedPolicyDocumentException",
    };
    ApiError::refused(exception, refused)
}

/// The policy that `PolicyId` names.
fn named(world: &World, request: &Map<String, Value>) -> Result<String, ApiError> {
    let id = text(request, "PolicyId").unwrap_or_default();
    world
        .organization()
        .ok_or_else(not_in_use)?
        .policies
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

fn summary(world: &World, name: &str) -> Result<Value, ApiError> {
    let organization = world.organization().ok_or_else(not_in_use)?;
    let description = organization
        .policies
        .get(name)
        .map(|(description, _)| description.as_str())
        .unwrap_or_default();
    let id = policy_id(name);
    let aws = name == FULL_AWS_ACCESS;
    let arn = if aws {
        format!("arn:aws:organizations::aws:policy/service_control_policy/{id}")
    } else {
        format!(
            "arn:aws:organizations::{}:policy/{ORGANIZATION}/service_control_policy/{id}",
            organization.management_account
        )
    };
    Ok(json!({
        "Id": id,
        "Arn": arn,
        "Name": name,
        "Description": description,
        "Type": "SERVICE_CONTROL_POLICY",
        "AwsManaged": aws,
    }))
}

fn policy(world: &World, name: &str) -> Result<Value, ApiError> {
    let content = world
        .organization()
        .and_then(|o| o.policies.get(name))
        .map(|(_, document)| serde_json::to_string(document).unwrap_or_default())
        .unwrap_or_default();
    Ok(json!({
        "PolicySummary": summary(world, name)?,
        "Content": content,
    }))
}
