//! The application-call language: what a learner types (`read
//! s3://bucket/key`, `pull IMAGE`, ...), its canonical text, and the IAM
//! actions and resource ARNs each call needs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::policy::{valid_action, valid_resource};
use super::principals::Call;
use crate::registry::EcrRegistry;

/// The account and Region that ARNs are built in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsContext {
    pub account_id: String,
    pub region: String,
}

impl AwsContext {
    pub fn new(account_id: &str, region: &str) -> Self {
        AwsContext {
            account_id: account_id.to_string(),
            region: region.to_string(),
        }
    }
}

/// One IAM action on one resource: what a policy is asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionRequest {
    pub action: String,
    pub resource: String,
}

impl ActionRequest {
    pub fn new(action: &str, resource: &str) -> Self {
        ActionRequest {
            action: action.to_string(),
            resource: resource.to_string(),
        }
    }
}

/// Something a container needs done in AWS, written the way a learner
/// types it (see [`AppCall::parse`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum AppCall {
    /// `read s3://BUCKET/KEY`: the application reads an object.
    ReadObject { bucket: String, key: String },
    /// `write s3://BUCKET/KEY`: the application writes an object.
    WriteObject { bucket: String, key: String },
    /// `put-item dynamodb://TABLE`, or `dynamodb:PutItem on table TABLE`.
    PutItem { table: String },
    /// `connect rds://DB-RESOURCE-ID/DB-USER`: RDS IAM database
    /// authentication. The id is the database's resource id
    /// (`db-ABCDEFGHIJKLMNOPQRSTUVWXYZ`, `cluster-...` for Aurora), not its
    /// name: a policy written with the name silently never matches.
    ConnectToDatabase {
        db_resource_id: String,
        db_user: String,
    },
    /// `get-secret SECRET-ARN`: the application reads a secret itself.
    /// A secret encrypted with a customer managed KMS key also needs
    /// `kms:Decrypt`, which Dockyard does not check.
    GetSecret { secret_arn: String },
    /// `inject-secret SECRET-ARN`: ECS puts a secret into the container's
    /// environment at start (`secrets` in the task definition), which is
    /// never the task role's job (rules §10 point 3).
    InjectSecret { secret_arn: String },
    /// `registry-login SECRET-ARN`: ECS reads the Docker credentials a
    /// container's `repositoryCredentials` names, to pull from a private
    /// or rate-limited registry such as Docker Hub. Like injected secrets,
    /// the execution role's job on every launch type.
    RegistryLogin { secret_arn: String },
    /// `pull IMAGE`: pull a private ECR image, given as an image URI or as
    /// `ecr://REPOSITORY` for the account's own registry.
    PullImage {
        repository: String,
        /// Set when the image URI names another account's or Region's
        /// registry.
        registry: Option<AwsContext>,
    },
    /// `ship-logs LOG-GROUP [STREAM]`: the awslogs driver writes logs.
    ShipLogs {
        log_group: String,
        log_stream: String,
    },
    /// `SERVICE:ACTION on ARN`: any other call.
    Other { action: String, resource: String },
}

/// Text that [`AppCall::parse`] could not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppCallError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for AppCallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\": {}", self.input, self.reason)
    }
}

impl std::error::Error for AppCallError {}

const APP_CALL_FORMS: &str = "expected one of: read s3://BUCKET/KEY, write s3://BUCKET/KEY, put-item dynamodb://TABLE, connect rds://DB-RESOURCE-ID/DB-USER, get-secret SECRET-ARN, inject-secret SECRET-ARN, registry-login SECRET-ARN, pull IMAGE, ship-logs LOG-GROUP [STREAM], or SERVICE:ACTION on ARN";

/// The default stream name when a learner names only the log group; the
/// awslogs driver names real streams `prefix/container/task-id`.
const DEFAULT_LOG_STREAM: &str = "app/app/task-id";

impl AppCall {
    /// Pulling `image` from private ECR, as ECS does before a container
    /// starts; `Err` says why the image is not one ECR serves.
    pub fn pull(image: &str) -> Result<AppCall, String> {
        let (repository, registry) = parse_ecr_image(image.trim())?;
        Ok(AppCall::PullImage {
            repository,
            registry,
        })
    }

    /// The awslogs driver writing to `log_group` (on the default stream).
    pub fn ship_logs(log_group: &str) -> AppCall {
        AppCall::ShipLogs {
            log_group: log_group.to_string(),
            log_stream: DEFAULT_LOG_STREAM.to_string(),
        }
    }

    /// ECS reading a secret to put into a container's environment.
    pub fn inject_secret(secret_arn: &str) -> Result<AppCall, String> {
        check_secret_arn(secret_arn)?;
        Ok(AppCall::InjectSecret {
            secret_arn: secret_arn.to_string(),
        })
    }

    /// ECS reading the Docker credentials `repositoryCredentials` names.
    pub fn registry_login(secret_arn: &str) -> Result<AppCall, String> {
        check_secret_arn(secret_arn)?;
        Ok(AppCall::RegistryLogin {
            secret_arn: secret_arn.to_string(),
        })
    }

    /// Reads a call such as `read s3://bucket/key`. The forms are listed in
    /// the error for anything else.
    pub fn parse(text: &str) -> Result<AppCall, AppCallError> {
        let text = text.trim();
        let fail = |reason: String| AppCallError {
            input: text.to_string(),
            reason,
        };
        let (verb, rest) = match text.split_once(char::is_whitespace) {
            Some((verb, rest)) => (verb, rest.trim()),
            None => (text, ""),
        };
        match verb.to_ascii_lowercase().as_str() {
            "read" | "write" => {
                let (bucket, key) = parse_s3_object(rest).map_err(fail)?;
                Ok(if verb.eq_ignore_ascii_case("read") {
                    AppCall::ReadObject { bucket, key }
                } else {
                    AppCall::WriteObject { bucket, key }
                })
            }
            "put-item" => {
                let table = rest
                    .strip_prefix("dynamodb://")
                    .filter(|table| !table.is_empty() && !table.contains('/'))
                    .ok_or_else(|| fail("put-item needs dynamodb://TABLE".to_string()))?;
                Ok(AppCall::PutItem {
                    table: table.to_string(),
                })
            }
            "connect" => {
                let (db_resource_id, db_user) = rest
                    .strip_prefix("rds://")
                    .and_then(|target| target.split_once('/'))
                    .filter(|(id, user)| !id.is_empty() && !user.is_empty() && !user.contains('/'))
                    .ok_or_else(|| {
                        fail("connect needs rds://DB-RESOURCE-ID/DB-USER".to_string())
                    })?;
                Ok(AppCall::ConnectToDatabase {
                    db_resource_id: db_resource_id.to_string(),
                    db_user: db_user.to_string(),
                })
            }
            "get-secret" => {
                check_secret_arn(rest).map_err(fail)?;
                Ok(AppCall::GetSecret {
                    secret_arn: rest.to_string(),
                })
            }
            "inject-secret" => AppCall::inject_secret(rest).map_err(fail),
            "registry-login" => AppCall::registry_login(rest).map_err(fail),
            "pull" => AppCall::pull(rest).map_err(fail),
            "ship-logs" => {
                let mut words = rest.split_whitespace();
                let log_group = words
                    .next()
                    .ok_or_else(|| fail("ship-logs needs a LOG-GROUP".to_string()))?;
                let log_stream = words.next().unwrap_or(DEFAULT_LOG_STREAM);
                if words.next().is_some() {
                    return Err(fail(
                        "ship-logs takes a LOG-GROUP and an optional STREAM".to_string(),
                    ));
                }
                Ok(AppCall::ShipLogs {
                    log_group: log_group.to_string(),
                    log_stream: log_stream.to_string(),
                })
            }
            _ => {
                let Some((action, target)) = text.split_once(" on ") else {
                    return Err(fail(format!("unknown call; {APP_CALL_FORMS}")));
                };
                let (action, target) = (action.trim(), target.trim());
                valid_action(action).map_err(|reason| fail(format!("the action {reason}")))?;
                if let Some(table) = target.strip_prefix("table ") {
                    let table = table.trim();
                    if action.eq_ignore_ascii_case("dynamodb:PutItem") && !table.is_empty() {
                        return Ok(AppCall::PutItem {
                            table: table.to_string(),
                        });
                    }
                }
                valid_resource(target).map_err(|reason| fail(format!("the resource {reason}")))?;
                Ok(AppCall::Other {
                    action: action.to_string(),
                    resource: target.to_string(),
                })
            }
        }
    }

    /// Which kind of call this is for [`super::principals::who_calls`]: the agent's
    /// work (pull, logs, injected secrets) or the application's own.
    pub fn kind(&self) -> Call {
        match self {
            AppCall::PullImage { .. } => Call::PullPrivateEcrImage,
            AppCall::ShipLogs { .. } => Call::ShipLogs,
            AppCall::InjectSecret { .. } => Call::FetchSecrets,
            AppCall::RegistryLogin { .. } => Call::PrivateRegistryAuth,
            AppCall::ReadObject { .. }
            | AppCall::WriteObject { .. }
            | AppCall::PutItem { .. }
            | AppCall::ConnectToDatabase { .. }
            | AppCall::GetSecret { .. }
            | AppCall::Other { .. } => Call::ApplicationSdkCall,
        }
    }

    /// Every IAM action the call needs, each on its resource ARN. All of
    /// them must be allowed for the call to succeed.
    pub fn required_actions(&self, context: &AwsContext) -> Vec<ActionRequest> {
        let AwsContext { account_id, region } = context;
        match self {
            AppCall::ReadObject { bucket, key } => vec![ActionRequest::new(
                "s3:GetObject",
                &format!("arn:aws:s3:::{bucket}/{key}"),
            )],
            AppCall::WriteObject { bucket, key } => vec![ActionRequest::new(
                "s3:PutObject",
                &format!("arn:aws:s3:::{bucket}/{key}"),
            )],
            AppCall::PutItem { table } => vec![ActionRequest::new(
                "dynamodb:PutItem",
                &format!("arn:aws:dynamodb:{region}:{account_id}:table/{table}"),
            )],
            AppCall::ConnectToDatabase {
                db_resource_id,
                db_user,
            } => vec![ActionRequest::new(
                "rds-db:connect",
                &format!("arn:aws:rds-db:{region}:{account_id}:dbuser:{db_resource_id}/{db_user}"),
            )],
            AppCall::GetSecret { secret_arn }
            | AppCall::InjectSecret { secret_arn }
            | AppCall::RegistryLogin { secret_arn } => {
                vec![ActionRequest::new(
                    "secretsmanager:GetSecretValue",
                    secret_arn,
                )]
            }
            AppCall::PullImage {
                repository,
                registry,
            } => {
                let registry = registry.as_ref().unwrap_or(context);
                ecr_pull_actions(&ecr_repository_arn(registry, repository))
            }
            // ⚠ Dockyard checks both actions against the stream's ARN; AWS's
            // action table lists CreateLogStream against the log group.
            // Policies written `log-group:NAME:*` allow both either way.
            AppCall::ShipLogs {
                log_group,
                log_stream,
            } => {
                let stream = format!(
                    "arn:aws:logs:{region}:{account_id}:log-group:{log_group}:log-stream:{log_stream}"
                );
                vec![
                    ActionRequest::new("logs:CreateLogStream", &stream),
                    ActionRequest::new("logs:PutLogEvents", &stream),
                ]
            }
            AppCall::Other { action, resource } => vec![ActionRequest::new(action, resource)],
        }
    }
}

impl fmt::Display for AppCall {
    /// The canonical text of the call, which [`AppCall::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppCall::ReadObject { bucket, key } => write!(f, "read s3://{bucket}/{key}"),
            AppCall::WriteObject { bucket, key } => write!(f, "write s3://{bucket}/{key}"),
            AppCall::PutItem { table } => write!(f, "put-item dynamodb://{table}"),
            AppCall::ConnectToDatabase {
                db_resource_id,
                db_user,
            } => write!(f, "connect rds://{db_resource_id}/{db_user}"),
            AppCall::GetSecret { secret_arn } => write!(f, "get-secret {secret_arn}"),
            AppCall::InjectSecret { secret_arn } => write!(f, "inject-secret {secret_arn}"),
            AppCall::RegistryLogin { secret_arn } => write!(f, "registry-login {secret_arn}"),
            AppCall::PullImage {
                repository,
                registry: None,
            } => write!(f, "pull ecr://{repository}"),
            AppCall::PullImage {
                repository,
                registry: Some(AwsContext { account_id, region }),
            } => write!(
                f,
                "pull {account_id}.dkr.ecr.{region}.amazonaws.com/{repository}"
            ),
            AppCall::ShipLogs {
                log_group,
                log_stream,
            } => write!(f, "ship-logs {log_group} {log_stream}"),
            AppCall::Other { action, resource } => write!(f, "{action} on {resource}"),
        }
    }
}

impl FromStr for AppCall {
    type Err = AppCallError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        AppCall::parse(text)
    }
}

/// The ARN of an ECR repository.
pub fn ecr_repository_arn(registry: &AwsContext, repository: &str) -> String {
    format!(
        "arn:aws:ecr:{}:{}:repository/{repository}",
        registry.region, registry.account_id
    )
}

/// What pulling a private ECR image asks of IAM: a registry-wide login
/// token (`GetAuthorizationToken` has no resource but `*`), then the
/// manifest and the layers from the repository itself.
pub fn ecr_pull_actions(repository_arn: &str) -> Vec<ActionRequest> {
    vec![
        ActionRequest::new("ecr:GetAuthorizationToken", "*"),
        ActionRequest::new("ecr:BatchGetImage", repository_arn),
        ActionRequest::new("ecr:GetDownloadUrlForLayer", repository_arn),
    ]
}

fn parse_s3_object(target: &str) -> Result<(String, String), String> {
    target
        .strip_prefix("s3://")
        .and_then(|path| path.split_once('/'))
        .filter(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
        .map(|(bucket, key)| (bucket.to_string(), key.to_string()))
        .ok_or_else(|| format!("needs s3://BUCKET/KEY, got {target:?}"))
}

fn check_secret_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let well_formed = parts.len() == 7
        && parts[0] == "arn"
        && parts[2] == "secretsmanager"
        && parts[5] == "secret"
        && !parts[6].is_empty();
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "needs a Secrets Manager ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf, got {arn:?}"
        ))
    }
}

/// Reads `ecr://REPO[:TAG]` or `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG|@DIGEST]`.
/// The host is recognised by [`EcrRegistry::of_image`], as everywhere else;
/// the rest is read leniently, since a pull's IAM question needs only the
/// repository's name.
fn parse_ecr_image(image: &str) -> Result<(String, Option<AwsContext>), String> {
    let strip_reference = |path: &str| -> String {
        let path = path.split('@').next().unwrap_or(path);
        let name_start = path.rfind('/').map_or(0, |slash| slash + 1);
        match path[name_start..].find(':') {
            Some(colon) => path[..name_start + colon].to_string(),
            None => path.to_string(),
        }
    };
    if let Some(path) = image.strip_prefix("ecr://") {
        let repository = strip_reference(path);
        return if repository.is_empty() {
            Err("pull needs ecr://REPOSITORY or an ECR image URI".to_string())
        } else {
            Ok((repository, None))
        };
    }
    let Some(ecr) = EcrRegistry::of_image(image) else {
        return Err(format!(
            "{image:?} is not a private ECR image; public registries such as Docker Hub need no IAM permission"
        ));
    };
    let path = image.split_once('/').map_or("", |(_, path)| path);
    let repository = strip_reference(path);
    if repository.is_empty() {
        return Err(format!("{image:?} names no repository"));
    }
    Ok((
        repository,
        Some(AwsContext::new(&ecr.account_id, &ecr.region)),
    ))
}
