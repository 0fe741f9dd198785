//! `aws s3api`: bucket policies only, as the model keeps them
//! (`Command::PutResourcePolicy` on the bucket's ARN), which decide the
//! world's S3 calls beside the callers' own policies. Buckets themselves
//! (and their objects) are not kept: any bucket name is taken to exist,
//! and to belong to the learner's account, since a bucket ARN names no
//! account.

use serde_json::{json, Map, Value};

use dockyard_model::sim::Command;

use super::{text, ApiError, Reply};
use crate::Cloud;

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    let bucket = text(request, "Bucket").unwrap_or_default().to_string();
    let arn = format!("arn:aws:s3:::{bucket}");
    let current = cloud
        .world()
        .account_policies()
        .resource_policies
        .get(&arn)
        .map(|policy| serde_json::to_string(policy).unwrap_or_default());
    let missing = || ApiError::new("NoSuchBucketPolicy", "The bucket policy does not exist");
    match operation {
        "GetBucketPolicy" => current
            .map(|policy| json!({ "Policy": policy }))
            .ok_or_else(missing),
        "DeleteBucketPolicy" => {
            // S3 answers 204 whether or not the bucket had a policy.
            if current.is_some() {
                cloud
                    .apply(Command::PutResourcePolicy {
                        resource: arn,
                        policy: None,
                    })
                    .map_err(|refused| ApiError::refused("MalformedPolicy", refused))?;
            }
            Ok(json!({}))
        }
        _ => {
            let written = text(request, "Policy").unwrap_or_default();
            let policy: Value = serde_json::from_str(written).map_err(|_| {
                ApiError::new(
                    "MalformedPolicy",
                    "Policies must be valid JSON and the first byte must be '{'",
                )
            })?;
            cloud
                .apply(Command::PutResourcePolicy {
                    resource: arn,
                    policy: Some(policy),
                })
                .map_err(|refused| ApiError::refused("MalformedPolicy", refused))?;
            Ok(json!({}))
        }
    }
}
