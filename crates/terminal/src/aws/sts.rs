//! `aws sts get-caller-identity`: who the learner is in the simulated
//! account (an IAM user called learner).

use serde_json::{json, Map, Value};

use super::{ApiError, Reply};
use crate::Cloud;

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, _request: &Map<String, Value>) -> Reply {
    let world = cloud.world();
    match operation {
        "GetCallerIdentity" => Ok(json!({
            "UserId": "AIDAJQABLZS4A3QDU576Q",
            "Account": world.account_id(),
            "Arn": format!("arn:aws:iam::{}:user/learner", world.account_id()),
        })),
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("{operation} is not simulated"),
        )),
    }
}
