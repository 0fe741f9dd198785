//! `aws secretsmanager`: a secret's resource policy, and the customer
//! managed key that encrypts it (`update-secret --kms-key-id`), as the
//! model keeps them. Secrets' values are not kept, and any secret is taken
//! to exist. A secret named rather than given by ARN is this account's and
//! Region's, with `-XXXXXX` for the six random characters Secrets Manager
//! appends to every secret's ARN (the ARN the simulation gives it too).

use serde_json::{json, Map, Value};

use dockyard_model::iam::{check_policy, PolicyUse};
use dockyard_model::sim::{Command, World};

use super::{text, ApiError, Reply};
use crate::Cloud;

fn secret_arn(world: &World, id: &str) -> String {
    if id.starts_with("arn:") {
        id.to_string()
    } else {
        format!(
            "arn:aws:secretsmanager:{}:{}:secret:{id}-XXXXXX",
            world.region(),
            world.account_id()
        )
    }
}

/// A secret's name, from its ARN (without the six random characters).
fn secret_name(arn: &str) -> String {
    let name = arn.rsplit(":secret:").next().unwrap_or(arn);
    match name.rsplit_once('-') {
        Some((head, tail)) if tail.len() == 6 => head.to_string(),
        _ => name.to_string(),
    }
}

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    let arn = secret_arn(cloud.world(), text(request, "SecretId").unwrap_or_default());
    let name = secret_name(&arn);
    let current = cloud
        .world()
        .account_policies()
        .resource_policies
        .get(&arn)
        .map(|policy| serde_json::to_string(policy).unwrap_or_default());
    let refused = |refused| ApiError::refused("MalformedPolicyDocumentException", refused);
    match operation {
        "GetResourcePolicy" => {
            let mut answer = json!({ "ARN": arn, "Name": name });
            if let Some(policy) = current {
                answer["ResourcePolicy"] = Value::from(policy);
            }
            Ok(answer)
        }
        "DeleteResourcePolicy" => {
            if current.is_some() {
                cloud
                    .apply(Command::PutResourcePolicy {
                        resource: arn.clone(),
                        policy: None,
                    })
                    .map_err(refused)?;
            }
            Ok(json!({ "ARN": arn, "Name": name }))
        }
        "PutResourcePolicy" => {
            let written = text(request, "ResourcePolicy").unwrap_or_default();
            let policy: Value = serde_json::from_str(written).map_err(|_| {
                ApiError::new(
                    "MalformedPolicyDocumentException",
                    "The resource policy is not valid JSON.",
                )
            })?;
            // --block-public-policy: Secrets Manager refuses a policy that
            // grants broad access (a wildcard principal).
            let block = request
                .get("BlockPublicPolicy")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if block
                && check_policy(written, PolicyUse::Resource)
                    .iter()
                    .any(|f| f.code == "principal-anyone")
            {
                return Err(ApiError::new(
                    "PublicPolicyException",
                    "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.",
                ));
            }
            cloud
                .apply(Command::PutResourcePolicy {
                    resource: arn.clone(),
                    policy: Some(policy),
                })
                .map_err(refused)?;
            Ok(json!({ "ARN": arn, "Name": name }))
        }
        _ => {
            // UpdateSecret: only its KmsKeyId is simulated.
            let Some(key) = text(request, "KmsKeyId") else {
                return Err(ApiError::new(
                    "DockyardNotSimulated",
                    "Dockyard keeps no secret values: update-secret simulates --kms-key-id only. Nothing was changed",
                ));
            };
            let key = if key.starts_with("arn:") {
                key.to_string()
            } else {
                format!(
                    "arn:aws:kms:{}:{}:key/{key}",
                    cloud.world().region(),
                    cloud.world().account_id()
                )
            };
            cloud
                .apply(Command::EncryptSecret {
                    secret: arn.clone(),
                    key,
                })
                .map_err(|r| ApiError::refused("InvalidParameterException", r))?;
            Ok(json!({ "ARN": arn, "Name": name }))
        }
    }
}
