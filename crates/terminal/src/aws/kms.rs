//! `aws kms`: key policies only, as the model keeps them
//! (`Command::PutResourcePolicy` on the key's ARN). Keys themselves are
//! not kept: any key ID is taken to exist, with the default key policy
//! until one is put. Aliases are not resolved (PutKeyPolicy takes a key ID
//! or ARN, as in AWS), and the policy lockout safety check is not
//! simulated.

use serde_json::{json, Map, Value};

use dockyard_model::sim::{Command, World};

use super::{text, ApiError, Reply};
use crate::Cloud;

/// The key's ARN: given as one, or built from a key ID in this account and
/// Region.
fn key_arn(world: &World, key_id: &str) -> Result<String, ApiError> {
    if key_id.starts_with("arn:aws:kms:") && key_id.contains(":key/") {
        return Ok(key_id.to_string());
    }
    if key_id.starts_with("alias/") || key_id.contains(":alias/") {
        return Err(ApiError::new(
            "NotFoundException",
            format!(
                "Invalid keyId '{key_id}': this operation takes a key ID or key ARN, not an alias"
            ),
        ));
    }
    Ok(format!(
        "arn:aws:kms:{}:{}:key/{key_id}",
        world.region(),
        world.account_id()
    ))
}

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    let arn = key_arn(cloud.world(), text(request, "KeyId").unwrap_or_default())?;
    let name = text(request, "PolicyName").unwrap_or("default");
    if name != "default" {
        return Err(ApiError::new(
            "NotFoundException",
            format!("Policy name '{name}' does not exist: a KMS key has one policy, named default"),
        ));
    }
    match operation {
        "GetKeyPolicy" => {
            let policy = cloud.world().account_policies().key_policy(&arn);
            Ok(json!({
                "Policy": serde_json::to_string_pretty(&policy).unwrap_or_default(),
                "PolicyName": "default",
            }))
        }
        _ => {
            let written = text(request, "Policy").unwrap_or_default();
            let policy: Value = serde_json::from_str(written).map_err(|_| {
                ApiError::new(
                    "MalformedPolicyDocumentException",
                    "The policy is not valid JSON.",
                )
            })?;
            cloud
                .apply(Command::PutResourcePolicy {
                    resource: arn,
                    policy: Some(policy),
                })
                .map_err(|refused| {
                    ApiError::refused("MalformedPolicyDocumentException", refused)
                })?;
            Ok(json!({}))
        }
    }
}
