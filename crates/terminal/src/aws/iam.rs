//! `aws iam`: roles as the model keeps them. Creating a role takes its
//! trust policy; the model's roles trust one AWS service, which is what
//! every role in the course needs (ecs-tasks, ec2, eks-fargate-pods, ...).
//! Inline policies are put, AWS managed policies attached, and
//! `simulate-principal-policy` asks the model's policy evaluation, with
//! the statement that decided. Instance profiles are not simulated yet.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use dockyard_model::iam::{
    authorize, Caller, DecisionEffect, Named, Policies, PolicyDocument, PolicyType, Request,
    RequestContext, ResourcePolicyKind, Role, MANAGED_POLICIES, MANAGED_POLICY_NAMES,
};
use dockyard_model::sim::{Command, World};

use super::{text, timestamp, ApiError, Reply};
use crate::Cloud;

pub(super) fn call(cloud: &mut dyn Cloud, operation: &str, request: &Map<String, Value>) -> Reply {
    match operation {
        "CreateRole" => create_role(cloud, request),
        "GetRole" => {
            let world = cloud.world();
            let role = find(world, request)?;
            Ok(json!({ "Role": role_value(world, role) }))
        }
        "ListRoles" => {
            let world = cloud.world();
            Ok(json!({
                "Roles": world.roles().map(|r| role_value(world, r)).collect::<Vec<_>>(),
                "IsTruncated": false,
            }))
        }
        "ListAttachedRolePolicies" => {
            let role = find(cloud.world(), request)?;
            let attached: Vec<Value> = role
                .policies
                .iter()
                .filter_map(|(name, _)| MANAGED_POLICIES.iter().find(|m| m.name == name))
                .map(|m| json!({"PolicyName": m.name, "PolicyArn": m.arn}))
                .collect();
            Ok(json!({ "AttachedPolicies": attached, "IsTruncated": false }))
        }
        "ListRolePolicies" => {
            let role = find(cloud.world(), request)?;
            let names: Vec<&str> = role
                .policies
                .iter()
                .map(|(name, _)| name.as_str())
                .filter(|name| !MANAGED_POLICY_NAMES.contains(name))
                .collect();
            Ok(json!({ "PolicyNames": names, "IsTruncated": false }))
        }
        "GetRolePolicy" => {
            let role = find(cloud.world(), request)?;
            let wanted = text(request, "PolicyName").unwrap_or_default();
            let (name, document) = role
                .policies
                .iter()
                .find(|(name, _)| name == wanted && !MANAGED_POLICY_NAMES.contains(&name.as_str()))
                .ok_or_else(|| {
                    ApiError::new(
                        "NoSuchEntity",
                        format!("The role policy with name {wanted} cannot be found."),
                    )
                })?;
            Ok(json!({
                "RoleName": role.name,
                "PolicyName": name,
                "PolicyDocument": serde_json::to_value(document).unwrap_or(Value::Null),
            }))
        }
        "PutRolePolicy" => {
            let role = find(cloud.world(), request)?.name.clone();
            let text = text(request, "PolicyDocument").unwrap_or_default();
            let document: Value = serde_json::from_str(text).map_err(|_| {
                ApiError::new("MalformedPolicyDocument", "This policy contains invalid Json")
            })?;
            cloud
                .apply(Command::PutRolePolicy {
                    role,
                    name: text_or_empty(request, "PolicyName"),
                    document,
                })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "AttachRolePolicy" => {
            let role = find(cloud.world(), request)?.name.clone();
            cloud
                .apply(Command::AttachRolePolicy {
                    role,
                    policy: text_or_empty(request, "PolicyArn"),
                })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "UpdateAssumeRolePolicy" => {
            let role = find(cloud.world(), request)?.name.clone();
            let document = document_in(request, "PolicyDocument")?;
            cloud
                .apply(Command::UpdateAssumeRolePolicy { role, document })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "CreatePolicy" => {
            let name = text_or_empty(request, "PolicyName");
            let document = document_in(request, "PolicyDocument")?;
            cloud
                .apply(Command::CreatePolicy {
                    name: name.clone(),
                    document,
                })
                .map_err(|refusal| match refusal.code {
                    Some("policy-exists") => ApiError::refused("EntityAlreadyExists", refusal),
                    _ => refused(refusal),
                })?;
            let arn = format!("arn:aws:iam::{}:policy/{name}", cloud.world().account_id());
            Ok(json!({ "Policy": policy_value(cloud.world(), &arn, &name) }))
        }
        "GetPolicy" => {
            let arn = text_or_empty(request, "PolicyArn");
            let world = cloud.world();
            // The account's own, or one of AWS's that Dockyard carries.
            let name = world
                .managed_policies()
                .find(|(existing, _)| **existing == arn)
                .map(|(_, (name, _))| name.as_str())
                .or_else(|| {
                    MANAGED_POLICIES
                        .iter()
                        .find(|m| m.arn == arn)
                        .map(|m| m.name)
                })
                .ok_or_else(|| {
                    ApiError::new(
                        "NoSuchEntity",
                        format!("Policy {arn} does not exist or is not attachable."),
                    )
                })?;
            Ok(json!({ "Policy": policy_value(world, &arn, name) }))
        }
        "PutRolePermissionsBoundary" | "DeleteRolePermissionsBoundary" => {
            let role = find(cloud.world(), request)?.name.clone();
            let policy = (operation == "PutRolePermissionsBoundary")
                .then(|| text_or_empty(request, "PermissionsBoundary"));
            cloud
                .apply(Command::PutRolePermissionsBoundary { role, policy })
                .map_err(refused)?;
            Ok(json!({}))
        }
        "SimulatePrincipalPolicy" => simulate(cloud.world(), request, true),
        "SimulateCustomPolicy" => simulate(cloud.world(), request, false),
        _ => Err(ApiError::new(
            "DockyardNotSimulated",
            format!("Dockyard does not simulate {operation} yet (instance profiles are set on the sandbox's instances): nothing was changed"),
        )),
    }
}

fn find<'w>(world: &'w World, request: &Map<String, Value>) -> Result<&'w Role, ApiError> {
    let name = text(request, "RoleName").unwrap_or_default();
    world.roles().find(|r| r.name == name).ok_or_else(|| {
        ApiError::new(
            "NoSuchEntity",
            format!("The role with name {name} cannot be found."),
        )
    })
}

/// A role id as IAM writes them: AROA and 17 characters, derived from the
/// ARN so that it is the same on every run.
fn role_id(arn: &str) -> String {
    let hash = dockyard_model::hash::fnv1a(arn.bytes());
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut id = String::from("AROA");
    for i in 0..17 {
        id.push(ALPHABET[((hash >> (i * 3 % 60)) & 31) as usize] as char);
    }
    id
}

fn role_value(world: &World, role: &Role) -> Value {
    let _ = world;
    let mut value = json!({
        "Path": "/",
        "RoleName": role.name,
        "RoleId": role_id(&role.arn),
        "Arn": role.arn,
        "CreateDate": timestamp(0),
        "AssumeRolePolicyDocument": serde_json::to_value(&role.trust_policy).unwrap_or(Value::Null),
        "MaxSessionDuration": 3600,
    });
    if let Some((arn, _)) = &role.permissions_boundary {
        value["PermissionsBoundary"] = json!({
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": arn,
        });
    }
    value
}

/// The one service a trust policy lets assume the role, if that is all it says.
fn trusted_service(document: &Value) -> Option<String> {
    let statements = match &document["Statement"] {
        Value::Array(items) => items.clone(),
        statement @ Value::Object(_) => vec![statement.clone()],
        _ => return None,
    };
    let mut services = Vec::new();
    for statement in &statements {
        if statement["Effect"] != "Allow" {
            return None;
        }
        match &statement["Principal"]["Service"] {
            Value::String(service) => services.push(service.clone()),
            Value::Array(items) => {
                services.extend(items.iter().filter_map(|s| s.as_str().map(str::to_string)))
            }
            _ => return None,
        }
    }
    services.dedup();
    (services.len() == 1).then(|| services.remove(0))
}

fn create_role(cloud: &mut dyn Cloud, request: &Map<String, Value>) -> Reply {
    let name = text(request, "RoleName").unwrap_or_default().to_string();
    if cloud.world().roles().any(|r| r.name == name) {
        return Err(ApiError::new(
            "EntityAlreadyExists",
            format!("Role with name {name} already exists."),
        ));
    }
    let text = text(request, "AssumeRolePolicyDocument").unwrap_or_default();
    let document: Value = serde_json::from_str(text).map_err(|_| {
        ApiError::new(
            "MalformedPolicyDocument",
            "This policy contains invalid Json",
        )
    })?;
    let Some(service) = trusted_service(&document) else {
        return Err(ApiError::new(
            "DockyardNotSimulated",
            "Dockyard's roles trust one AWS service (a trust policy whose statements Allow sts:AssumeRole to one Principal Service, such as ecs-tasks.amazonaws.com); other trust policies are not simulated yet: nothing was changed",
        ));
    };
    cloud
        .apply(Command::CreateRole {
            name: name.clone(),
            trusted_service: service,
            managed_policies: Vec::new(),
            policies: BTreeMap::new(),
            // The document as written: its conditions are evaluated when
            // the service assumes the role.
            trust_policy: Some(document),
        })
        .map_err(refused)?;
    let world = cloud.world();
    let role = world
        .roles()
        .find(|r| r.name == name)
        .expect("the role was created");
    Ok(json!({ "Role": role_value(world, role) }))
}

/// A policy document given as JSON text, as IAM reads it.
fn document_in(request: &Map<String, Value>, key: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text(request, key).unwrap_or_default()).map_err(|_| {
        ApiError::new(
            "MalformedPolicyDocument",
            "This policy contains invalid Json",
        )
    })
}

/// A customer managed policy as IAM describes it.
fn policy_value(world: &World, arn: &str, name: &str) -> Value {
    let attached = world
        .roles()
        .filter(|r| r.policies.iter().any(|(n, _)| n == name))
        .count();
    let boundaries = world
        .roles()
        .filter(|r| {
            r.permissions_boundary
                .as_ref()
                .is_some_and(|(b, _)| b == arn)
        })
        .count();
    json!({
        "PolicyName": name,
        "PolicyId": role_id(arn).replacen("AROA", "ANPA", 1),
        "Arn": arn,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": attached,
        "PermissionsBoundaryUsageCount": boundaries,
        "IsAttachable": true,
        "CreateDate": timestamp(0),
        "UpdateDate": timestamp(0),
    })
}

fn text_or_empty(request: &Map<String, Value>, key: &str) -> String {
    text(request, key).unwrap_or_default().to_string()
}

/// The exception IAM answers a model refusal with.
fn refused(refused: crate::Refused) -> ApiError {
    let exception = match refused.code {
        Some("no-role" | "managed-policy" | "no-policy") => "NoSuchEntity",
        Some("policy-name") => "DockyardNotSimulated",
        Some("role-name") => "ValidationError",
        Some("policy-size") => "LimitExceeded",
        _ => "MalformedPolicyDocument",
    };
    ApiError::refused(exception, refused)
}

/// SimulatePrincipalPolicy (a role's policies, plus any in PolicyInputList)
/// and SimulateCustomPolicy (the policies in PolicyInputList): each action
/// on each resource (`*` when none is named), decided by the model's whole
/// evaluation logic with the request's context entries, an optional
/// permissions boundary, resource policy and resource owner, in AWS's
/// EvaluationResults shape.
fn simulate(world: &World, request: &Map<String, Value>, principal: bool) -> Reply {
    let policy = |text: &str, at: &str| {
        PolicyDocument::parse(text)
            .map_err(|error| ApiError::new("MalformedPolicyDocument", format!("{at}: {error}")))
    };
    let account = world.account_id().to_string();
    let role = if principal {
        let source = text(request, "PolicySourceArn").unwrap_or_default();
        Some(world.roles().find(|r| r.arn == source).ok_or_else(|| {
            ApiError::new(
                "NoSuchEntity",
                format!(
                    "The role with name {} cannot be found.",
                    source.rsplit('/').next().unwrap_or(source)
                ),
            )
        })?)
    } else {
        None
    };
    let inputs: Vec<(String, PolicyDocument)> = super::texts(request, "PolicyInputList")
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let id = format!("PolicyInputList.{}", i + 1);
            policy(text, &id).map(|document| (id, document))
        })
        .collect::<Result<_, _>>()?;
    let boundaries: Vec<(String, PolicyDocument)> =
        super::texts(request, "PermissionsBoundaryPolicyInputList")
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let id = format!("PermissionsBoundaryPolicyInputList.{}", i + 1);
                policy(text, &id).map(|document| (id, document))
            })
            .collect::<Result<_, _>>()?;
    let resource_policy = text(request, "ResourcePolicy")
        .map(|text| policy(text, "ResourcePolicy"))
        .transpose()?;
    let owner =
        text(request, "ResourceOwner").map(|arn| arn.split(':').nth(4).unwrap_or(arn).to_string());
    let mut context = RequestContext::new();
    for entry in request
        .get("ContextEntries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = entry["ContextKeyName"].as_str().unwrap_or_default();
        let values: Vec<String> = entry["ContextKeyValues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        context.set(key, values);
    }
    let caller = match (role, text(request, "CallerArn")) {
        (_, Some(arn)) => Caller::from_arn(arn, &account),
        (Some(role), None) => Caller {
            account: account.clone(),
            role_arn: Some(role.arn.clone()),
            session_arn: None,
            service: None,
        },
        (None, None) => Caller {
            account: account.clone(),
            role_arn: None,
            session_arn: None,
            service: None,
        },
    };
    let mut identity: Vec<Named> = role
        .map(|role| {
            role.policies
                .iter()
                .map(|(name, document)| Named { name, document })
                .collect()
        })
        .unwrap_or_default();
    identity.extend(
        inputs
            .iter()
            .map(|(name, document)| Named { name, document }),
    );
    // The role's own boundary when none is given (SimulatePrincipalPolicy
    // includes the principal's permissions boundary).
    let role_boundary = role.and_then(|r| r.permissions_boundary.as_ref());
    let boundary = boundaries
        .first()
        .or(role_boundary)
        .map(|(name, document)| Named { name, document });
    // And, for a principal in an organization, its account's SCPs
    // (reported as OrganizationsDecisionDetail).
    let scps: Option<Vec<Named>> = role
        .and(world.account_policies().service_control_policies.as_ref())
        .map(|scps| {
            scps.iter()
                .map(|(name, document)| Named { name, document })
                .collect()
        });
    let mut resources = super::texts(request, "ResourceArns");
    if resources.is_empty() {
        resources.push("*".to_string());
    }
    let mut results = Vec::new();
    for action in super::texts(request, "ActionNames") {
        for resource in &resources {
            let policies = Policies {
                identity: identity.clone(),
                resource: resource_policy.as_ref().map(|document| {
                    (
                        Named {
                            name: "ResourcePolicy",
                            document,
                        },
                        ResourcePolicyKind::Ordinary,
                    )
                }),
                boundary,
                scps: scps.clone(),
                ..Policies::default()
            };
            let asked = Request {
                caller: caller.clone(),
                action: action.clone(),
                resource: resource.clone(),
                resource_account: owner.clone(),
                context: context.clone(),
            };
            let answer = authorize(&asked, &policies);
            let verdict = match answer.effect {
                DecisionEffect::Allowed => "allowed",
                DecisionEffect::ExplicitlyDenied => "explicitDeny",
                DecisionEffect::ImplicitlyDenied => "implicitDeny",
            };
            let source_type = |id: &str| {
                if id == "ResourcePolicy" {
                    "resource"
                } else if MANAGED_POLICY_NAMES.contains(&id) {
                    "aws-managed"
                } else if id.starts_with("PolicyInputList") || id.starts_with("PermissionsBoundary")
                {
                    "none"
                } else if world
                    .managed_policies()
                    .any(|(arn, (name, _))| name == id || arn == id)
                {
                    "user-managed"
                } else if scps
                    .as_ref()
                    .is_some_and(|scps| scps.iter().any(|scp| scp.name == id))
                {
                    // The API's SourcePolicyType has no value for an SCP.
                    "none"
                } else {
                    "role"
                }
            };
            let matched: Vec<Value> = answer
                .deciding
                .iter()
                .map(|statement| {
                    json!({
                        "SourcePolicyId": statement.policy,
                        "SourcePolicyType": source_type(&statement.policy),
                    })
                })
                .collect();
            let mut result = json!({
                "EvalActionName": action,
                "EvalResourceName": resource,
                "EvalDecision": verdict,
                "MatchedStatements": matched,
                "MissingContextValues": answer.missing_context(),
            });
            if let Some(organizations) = answer.verdict(PolicyType::ServiceControl) {
                result["OrganizationsDecisionDetail"] = json!({
                    "AllowedByOrganizations": organizations.allows && !organizations.denies
                });
            }
            if let Some(bounded) = answer.verdict(PolicyType::PermissionsBoundary) {
                result["PermissionsBoundaryDecisionDetail"] =
                    json!({"AllowedByPermissionsBoundary": bounded.allows && !bounded.denies});
            }
            if resource_policy.is_some() {
                let allowed_by = |t: PolicyType| {
                    answer.verdict(t).map_or("implicitDeny", |v| {
                        if v.denies {
                            "explicitDeny"
                        } else if v.allows {
                            "allowed"
                        } else {
                            "implicitDeny"
                        }
                    })
                };
                result["EvalDecisionDetails"] = json!({
                    "IAM Policy": allowed_by(PolicyType::IdentityBased),
                    "Resource Policy": allowed_by(PolicyType::ResourceBased),
                });
            }
            results.push(result);
        }
    }
    Ok(json!({ "EvaluationResults": results, "IsTruncated": false }))
}
