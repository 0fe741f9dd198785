//! What a task needs before its containers start: image pulls (who pulls,
//! from which registry, with which permission), registry credentials and
//! injected secrets read by the execution role, and Docker Hub's pull limits.

use super::*;
use crate::sim::why::{self, Cause};

/// Why a task could not start: the stopped reason in ECS's words, and the
/// chain of causes behind it.
pub(super) struct StartFailure {
    pub reason: String,
    pub why: Vec<Cause>,
}

impl Ecs {
    /// Pulls the task's images, in parallel: each takes its size over the
    /// pull rate, or a manifest check when the EC2 instance has it cached.
    /// Returns how long the pull takes.
    pub(super) fn pull_images(
        &mut self,
        cx: &Env<'_>,
        task_id: &str,
        puller: Option<String>,
        out: &mut Vec<Event>,
    ) -> Millis {
        let task = &self.tasks[task_id];
        let definition = self.definitions.get(&task.revision).expect("registered");
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => Some(instance.clone()),
            _ => None,
        };
        let cache = instance
            .as_ref()
            .and_then(|i| self.instances.get(i))
            .map(|i| &i.images);
        let rate = cx.params.image_pull_mb_per_second.max(1);
        let images: Vec<PulledImage> = definition
            .container_definitions
            .iter()
            .map(|c| {
                let mb = cx.params.image_mb(&c.image);
                let cached = cache.is_some_and(|cache| cache.contains(&c.image));
                let seconds = if cached {
                    cx.params.cached_pull_seconds
                } else {
                    mb.div_ceil(rate).max(1)
                };
                PulledImage {
                    image: c.image.clone(),
                    mb,
                    cached,
                    seconds,
                }
            })
            .collect();
        let longest = images.iter().map(|i| i.seconds).max().unwrap_or(0);
        if let Some(instance) = instance.and_then(|i| self.instances.get_mut(&i)) {
            instance
                .images
                .extend(images.iter().map(|i| i.image.clone()));
        }
        cx.emit(
            out,
            What::ImagesPulled {
                task: task_id.into(),
                images,
                puller,
                seconds: longest,
            },
        );
        seconds(longest)
    }

    /// Whether a Fargate task can reach AWS and the registries at all. In
    /// the default VPC (the model's only one) every subnet leaves through an
    /// internet gateway, which only carries traffic from a public IP: a task
    /// run with `assignPublicIp` DISABLED there reaches nothing outside the
    /// VPC. ECS fetches the task's registry auth and secrets first, so a
    /// private ECR image or a secret fails with ResourceInitializationError,
    /// and otherwise the pull fails with CannotPullContainerError. AWS's
    /// messages name the address that timed out; Dockyard names the host.
    /// EC2 tasks pull through their instance, which in a default subnet has
    /// a public IP, so this is Fargate's alone.
    pub(super) fn check_network_reach(
        &self,
        cx: &Env<'_>,
        task_id: &str,
    ) -> Result<(), StartFailure> {
        let task = &self.tasks[task_id];
        if task.public_ip || !matches!(task.placement, Placement::Fargate { .. }) {
            return Ok(());
        }
        let region = &cx.aws.region;
        let definition = self.task_definition(task_id);
        let images: Vec<&str> = definition
            .container_definitions
            .iter()
            .map(|c| c.image.as_str())
            .collect();
        let timeout = |host: &str| format!("dial tcp {host}:443: i/o timeout");
        let (error, reason, host) = if images.iter().any(|i| taskdef::looks_like_ecr(i)) {
            let host = format!("api.ecr.{region}.amazonaws.com");
            (
                "ResourceInitializationError",
                format!(
                    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://{host}/\": {}. Please check your task network configuration.",
                    timeout(&host)
                ),
                host,
            )
        } else if !self.injected_secrets(task_id).is_empty()
            || !self.registry_login_secrets(cx, task_id).is_empty()
        {
            let host = format!("secretsmanager.{region}.amazonaws.com");
            (
                "ResourceInitializationError",
                format!(
                    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://{host}/\": {}. Please check your task network configuration.",
                    timeout(&host)
                ),
                host,
            )
        } else {
            let image = images.first().copied().unwrap_or_default();
            // Docker Hub's images are served from registry-1.docker.io.
            let host = match crate::registry::ImageRef::parse(image) {
                Ok(parsed) if parsed.registry() != "docker.io" => parsed.registry().to_string(),
                _ => "registry-1.docker.io".to_string(),
            };
            (
                "CannotPullContainerError",
                format!(
                    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: failed to do request: Head \"https://{host}/v2/...\": {}",
                    timeout(&host)
                ),
                host,
            )
        };
        Err(StartFailure {
            reason,
            why: why::no_way_out(error, &host),
        })
    }

    /// Who pulls the image, and whether their policies allow it (rules §4):
    /// the principal that pulls from private ECR, if any.
    pub(super) fn check_pull(
        &self,
        cx: &Env<'_>,
        task_id: &str,
    ) -> Result<Option<String>, StartFailure> {
        let definition = self.task_definition(task_id);
        let Some(image) = definition
            .container_definitions
            .iter()
            .map(|c| c.image.as_str())
            .find(|i| taskdef::looks_like_ecr(i))
        else {
            return Ok(None);
        };
        const ERROR: &str = "CannotPullContainerError";
        let call = AppCall::pull(image).map_err(|reason| {
            let reason = format!("{image}: {reason}");
            StartFailure {
                why: why::bad_reference(ERROR, &format!("The image reference {reason}"), "ecr"),
                reason: format!("{ERROR}: {reason}"),
            }
        })?;
        match self.check_task_call(cx, task_id, &call) {
            None => Ok(None),
            Some(check) if check.is_allowed() => Ok(Some(check.principal.label().to_string())),
            Some(check) => Err(StartFailure {
                reason: format!("{ERROR}: {}", check.explanation),
                why: why::refused_call(ERROR, &check),
            }),
        }
    }

    /// The Secrets Manager secret each container's `repositoryCredentials`
    /// names, as written and as the ARN IAM sees, which ECS reads with the
    /// execution role before it pulls (rules §3). AWS documents
    /// repositoryCredentials for registries outside AWS; ECR and ECR Public
    /// images are pulled with ECR's own authorization, so credentials set on
    /// them are not read here (what ECS does with both on one container is
    /// not documented).
    pub(super) fn registry_login_secrets(
        &self,
        cx: &Env<'_>,
        task_id: &str,
    ) -> Vec<(String, String)> {
        self.task_definition(task_id)
            .container_definitions
            .iter()
            .filter(|c| {
                !taskdef::looks_like_ecr(&c.image) && !c.image.starts_with("public.ecr.aws/")
            })
            .filter_map(|c| {
                let written = c
                    .repository_credentials
                    .as_ref()?
                    .get("credentialsParameter")?
                    .as_str()?;
                Some((written.to_string(), self.secret_arn(cx, written)))
            })
            .collect()
    }

    /// A Secrets Manager reference as the ARN a policy is matched against.
    /// ECS accepts a same-Region secret's bare name as well as its ARN; a
    /// name becomes the secret of that name in this account and Region,
    /// with `-XXXXXX` standing in for the six random characters Secrets
    /// Manager appends to every secret's ARN, so that a policy written the
    /// way AWS advises (`secret:NAME-??????`) matches it and one naming the
    /// bare `secret:NAME` does not, as in AWS. (The model covers the `aws`
    /// partition only: account and Region come from the world.)
    pub(super) fn secret_arn(&self, cx: &Env<'_>, reference: &str) -> String {
        if reference.starts_with("arn:") {
            reference.to_string()
        } else {
            format!(
                "arn:aws:secretsmanager:{}:{}:secret:{reference}-XXXXXX",
                cx.aws.region, cx.aws.account_id
            )
        }
    }

    /// The Secrets Manager secrets the containers' `secrets` inject, as
    /// written and as the secret's ARN. Only a full Secrets Manager ARN names
    /// one: a bare name in `valueFrom` is a Systems Manager parameter, which
    /// this model does not check. A reference may go on to pick one JSON key
    /// and version (`…:secret:db-AbCdEf:password::`); IAM sees the secret's
    /// ARN, its first seven colon-separated fields.
    pub(super) fn injected_secrets(&self, task_id: &str) -> Vec<(String, String)> {
        self.task_definition(task_id)
            .container_definitions
            .iter()
            .flat_map(|c| c.secrets.iter().flatten())
            .filter(|secret| secret.value_from.starts_with("arn:aws:secretsmanager:"))
            .map(|secret| {
                let arn: Vec<&str> = secret.value_from.split(':').take(7).collect();
                (secret.value_from.clone(), arn.join(":"))
            })
            .collect()
    }

    /// Before it pulls, ECS reads every secret the task needs with the
    /// execution role: the values injected through `secrets` and the Docker
    /// credentials in `repositoryCredentials`. Without an execution role, or
    /// without secretsmanager:GetSecretValue on one of them, the task stops
    /// with ResourceInitializationError and never runs.
    pub(super) fn check_secrets_and_registry_auth(
        &self,
        cx: &Env<'_>,
        task_id: &str,
    ) -> Result<(), StartFailure> {
        const ERROR: &str = "ResourceInitializationError";
        let said = |why: &str| format!("{ERROR}: unable to pull secrets or registry auth: {why}");
        let injected = self
            .injected_secrets(task_id)
            .into_iter()
            .map(|(written, arn)| ("secrets.valueFrom", written, AppCall::inject_secret(&arn)));
        let logins = self
            .registry_login_secrets(cx, task_id)
            .into_iter()
            .map(|(written, arn)| {
                (
                    "repositoryCredentials.credentialsParameter",
                    written,
                    AppCall::registry_login(&arn),
                )
            });
        for (field, written, call) in injected.chain(logins) {
            // Secrets Manager's own rule for a secret's name.
            let named = !written.starts_with("arn:");
            if named
                && (written.is_empty()
                    || written.len() > 512
                    || !written
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)))
            {
                let why = format!(
                    "{field} {written:?}: a secret's name is 1 to 512 ASCII letters, digits and /_+=.@- (or give its ARN)"
                );
                return Err(StartFailure {
                    reason: said(&why),
                    why: why::bad_reference(
                        ERROR,
                        &format!("The secret's reference in {why}"),
                        "ecs-iam",
                    ),
                });
            }
            let call = call.map_err(|reason| {
                let why = format!("{field} {written:?}: {reason}");
                StartFailure {
                    reason: said(&why),
                    why: why::bad_reference(
                        ERROR,
                        &format!("The secret's reference in {why}"),
                        "ecs-iam",
                    ),
                }
            })?;
            if let Some(check) = self.check_task_call(cx, task_id, &call) {
                if !check.is_allowed() {
                    return Err(StartFailure {
                        reason: said(&check.explanation),
                        why: why::refused_call(ERROR, &check),
                    });
                }
            }
        }
        Ok(())
    }

    /// The awslogs driver creates its log stream as each container starts,
    /// with the role that ships the task's logs (the execution role on
    /// Fargate, and on EC2 whenever the task has one; otherwise the
    /// instance role). If that role may not call logs:CreateLogStream and
    /// logs:PutLogEvents on the group, no container starts: Fargate stops
    /// the task with ResourceInitializationError, and on EC2 Docker cannot
    /// initialise the container's logging driver. Returns the stopped
    /// reason ECS gives, in its words, with Dockyard's explanation after.
    pub(super) fn check_log_delivery(
        &self,
        cx: &Env<'_>,
        task_id: &str,
    ) -> Result<(), StartFailure> {
        let definition = self.task_definition(task_id);
        let fargate = matches!(self.tasks[task_id].placement, Placement::Fargate { .. });
        for container in &definition.container_definitions {
            let Some(logs) = &container.log_configuration else {
                continue;
            };
            if logs.log_driver != "awslogs" {
                continue;
            }
            let Some(group) = logs
                .options
                .as_ref()
                .and_then(|o| o.get("awslogs-group"))
                .map(|g| g.trim())
                .filter(|g| !g.is_empty())
            else {
                continue;
            };
            let Some(check) = self.check_task_call(cx, task_id, &AppCall::ship_logs(group)) else {
                continue;
            };
            if check.is_allowed() {
                continue;
            }
            let denied = check
                .outcome
                .checks
                .iter()
                .find(|c| !c.decision.is_allowed())
                .map(|c| (c.request.action.clone(), c.request.resource.clone()));
            let access_denied = match (&check.outcome.role, denied) {
                (Some(role), Some((action, resource))) => format!(
                    "AccessDeniedException: User: arn:aws:sts::{}:assumed-role/{role}/{task_id} is not authorized to perform: {action} on resource: {resource}",
                    cx.aws.account_id
                ),
                _ => "NoCredentialProviders: no valid providers in chain".to_string(),
            };
            let explanation = format!(
                "[dockyard: container {}: {}]",
                container.name, check.explanation
            );
            let (error, reason) = if fargate {
                ("ResourceInitializationError", format!(
                    "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: {access_denied} : exit status 1 {explanation}"
                ))
            } else {
                ("CannotStartContainerError", format!(
                    "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: {access_denied} {explanation}"
                ))
            };
            return Err(StartFailure {
                reason,
                why: why::refused_call(error, &check),
            });
        }
        Ok(())
    }

    /// Docker Hub's pull rate limit (rules §8, §10 point 18): each pull of
    /// a Docker Hub image counts, cached or not, since the ECS agent asks
    /// the registry for the manifest every time by default. Over the limit
    /// the pull fails with toomanyrequests; on EC2 the agent then falls
    /// back to an image the instance has cached (ECS_IMAGE_PULL_BEHAVIOR
    /// default), and Fargate, which caches nothing, stops the task.
    ///
    /// Anonymous pulls are counted together: every task here reaches Docker
    /// Hub through one NAT gateway address. Pulls with repositoryCredentials
    /// are counted per secret, each taken to hold a different free account.
    pub(super) fn count_docker_hub_pulls(
        &mut self,
        cx: &Env<'_>,
        task_id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), String> {
        use crate::registry::docker_hub::{DockerHubPullCounter, DockerHubPuller, WINDOW_WORDS};
        use crate::registry::image_ref::{ImageRef, RegistryKind};
        let task = &self.tasks[task_id];
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => self.instances.get(instance),
            _ => None,
        };
        let definition = self.task_definition(task_id);
        let pulls: Vec<(String, String, DockerHubPuller, Option<String>)> = definition
            .container_definitions
            .iter()
            .filter(|c| {
                ImageRef::parse(&c.image).is_ok_and(|image| image.kind() == RegistryKind::DockerHub)
            })
            .map(|c| {
                let cached_on = instance
                    .filter(|i| i.images.contains(&c.image))
                    .map(|i| i.id.clone());
                match c
                    .repository_credentials
                    .as_ref()
                    .and_then(|r| r.get("credentialsParameter"))
                    .and_then(|p| p.as_str())
                {
                    Some(secret) => (
                        c.image.clone(),
                        secret.to_string(),
                        DockerHubPuller::FreeAccount,
                        cached_on,
                    ),
                    None => (
                        c.image.clone(),
                        "anonymous".to_string(),
                        DockerHubPuller::Anonymous,
                        cached_on,
                    ),
                }
            })
            .collect();
        let now_seconds = cx.now / 1000;
        for (image, who, puller, cached_on) in pulls {
            let counter = self
                .docker_hub_pulls
                .entry(who)
                .or_insert_with(|| DockerHubPullCounter::new(puller));
            let Err(refused) = counter.pull(now_seconds) else {
                continue;
            };
            let limit = puller.pulls_per_window().unwrap_or(u32::MAX);
            let why = match puller {
                DockerHubPuller::Anonymous => format!(
                    "{refused} Docker Hub allows {limit} pulls per {WINDOW_WORDS} per IP address without signing in, and every task here pulls through one NAT gateway address."
                ),
                _ => format!(
                    "{refused} A free Docker account allows {limit} pulls per {WINDOW_WORDS}."
                ),
            };
            match cached_on {
                Some(instance) => cx.emit(
                    out,
                    What::PullRefusedCacheUsed {
                        task: task_id.into(),
                        image,
                        instance,
                        why,
                    },
                ),
                None => {
                    return Err(format!(
                        "{why} Pull from Amazon ECR (ECR Public, or a pull-through cache) instead."
                    ))
                }
            }
        }
        Ok(())
    }
}
