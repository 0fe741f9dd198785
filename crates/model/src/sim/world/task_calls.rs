//! The IAM view of a running task: which principal makes each of its calls
//! (the task role, the execution role or the instance profile) and whether
//! that principal's policies allow it.

use super::*;

impl Ecs {
    /// The task definition revision a task runs, if there is such a task.
    pub(super) fn definition_of(&self, task_id: &str) -> Option<&TaskDefinition> {
        self.tasks
            .contains_key(task_id)
            .then(|| self.task_definition(task_id))
    }

    pub(super) fn task_definition(&self, task_id: &str) -> &TaskDefinition {
        let task = &self.tasks[task_id];
        self.definitions.get(&task.revision).expect("registered")
    }

    /// Decides one call made for or by a task: the principal that makes it
    /// (task role, execution role, instance profile), whether that role
    /// trusts the right service, and its policies' verdict (rules §4). `None`
    /// while the task has nowhere to run yet.
    pub(super) fn check_task_call(
        &self,
        cx: &Env<'_>,
        task_id: &str,
        call: &AppCall,
    ) -> Option<iam::CallCheck> {
        let task = self.tasks.get(task_id)?;
        let definition = self.task_definition(task_id);
        let (platform, instance_role) = match &task.placement {
            Placement::Fargate { .. } => (Platform::EcsOnFargate, None),
            Placement::Ec2 { instance, .. } => (
                Platform::EcsOnEc2,
                self.instances
                    .get(instance)
                    .and_then(|i| i.instance_role.clone()),
            ),
            Placement::AwaitingCapacity { .. } => return None,
        };
        let lookup = |arn: &Option<String>, service: &str, managed: Option<&str>| -> Option<Role> {
            arn.as_ref().map(|arn| {
                cx.roles.get(arn).cloned().unwrap_or_else(|| {
                    // A role the scenario did not define is taken to be the
                    // standard one (a task role: one with no permissions).
                    let name = arn.rsplit('/').next().unwrap_or("role");
                    let role = Role::new(&cx.aws.account_id, name, service);
                    match managed {
                        Some(policy) => role
                            .with_managed_policy(policy)
                            .expect("a known managed policy"),
                        None => role,
                    }
                })
            })
        };
        let task_role = lookup(&definition.task_role_arn, iam::ECS_TASKS_SERVICE, None);
        let execution = lookup(
            &definition.execution_role_arn,
            iam::ECS_TASKS_SERVICE,
            Some("AmazonECSTaskExecutionRolePolicy"),
        );
        let instance = if platform == Platform::EcsOnEc2 {
            lookup(
                &Some(instance_role.unwrap_or_else(|| {
                    format!("arn:aws:iam::{}:role/ecsInstanceRole", cx.aws.account_id)
                })),
                iam::EC2_SERVICE,
                Some("AmazonEC2ContainerServiceforEC2Role"),
            )
        } else {
            None
        };
        // ECS passes the task's ARN as aws:SourceArn when it assumes the
        // task's roles (a trust policy's confused-deputy condition).
        let source_arn = format!(
            "arn:aws:ecs:{}:{}:task/{}/{}",
            cx.aws.region, cx.aws.account_id, task.cluster, task.id
        );
        let roles = AssignedRoles {
            task_role: task_role.as_ref(),
            execution_role: execution.as_ref(),
            instance_role: instance.as_ref(),
            source_arn: Some(&source_arn),
            ..AssignedRoles::default()
        };
        let setup = RoleSetup {
            task_role: definition.task_role_arn.is_some(),
            execution_role: definition.execution_role_arn.is_some(),
            ..RoleSetup::default()
        };
        Some(iam::check_call(
            platform, setup, &roles, call, &cx.aws, &cx.around,
        ))
    }

    /// Every call the platform makes for a task (pulling private ECR
    /// images, shipping awslogs logs, injecting Secrets Manager secrets),
    /// then `app_calls` made by its code, each decided.
    pub(super) fn task_calls(
        &self,
        cx: &Env<'_>,
        task_id: &str,
        app_calls: &[AppCall],
    ) -> Vec<iam::CallCheck> {
        if !self.tasks.contains_key(task_id) {
            return Vec::new();
        }
        let definition = self.task_definition(task_id);
        // Built as values: what ECS does for the task is never text to parse.
        let mut calls = Vec::new();
        for container in &definition.container_definitions {
            if taskdef::looks_like_ecr(&container.image) {
                calls.extend(AppCall::pull(&container.image).ok());
            }
            if let Some(logs) = &container.log_configuration {
                if logs.log_driver == "awslogs" {
                    let group = logs
                        .options
                        .as_ref()
                        .and_then(|o| o.get("awslogs-group"))
                        .cloned()
                        .unwrap_or_else(|| format!("/ecs/{}", definition.family));
                    if !group.trim().is_empty() {
                        calls.push(AppCall::ship_logs(group.trim()));
                    }
                }
            }
        }
        for (_, secret) in self.injected_secrets(task_id) {
            calls.extend(AppCall::inject_secret(&secret).ok());
        }
        for (_, secret) in self.registry_login_secrets(cx, task_id) {
            calls.extend(AppCall::registry_login(&secret).ok());
        }
        calls
            .into_iter()
            .chain(app_calls.iter().cloned())
            .filter_map(|call| self.check_task_call(cx, task_id, &call))
            .collect()
    }

    /// Whether ECS can assume the task role and the task execution role of
    /// `definition` for a task in `cluster`: a role the learner defined
    /// must trust ecs-tasks.amazonaws.com, and its trust policy's
    /// conditions must hold for the account and the task ARN ECS supplies.
    /// ECS's words when it cannot, with which condition failed after them.
    pub(super) fn roles_assumable(
        &self,
        cx: &Env<'_>,
        cluster: &str,
        definition: &TaskDefinition,
    ) -> Result<(), String> {
        let source_arn = format!(
            "arn:aws:ecs:{}:{}:task/{cluster}/{}",
            cx.aws.region,
            cx.aws.account_id,
            self.next_task + 1
        );
        for arn in [&definition.task_role_arn, &definition.execution_role_arn]
            .into_iter()
            .flatten()
        {
            // A role the scenario did not define is the standard one,
            // which trusts ECS.
            let Some(role) = cx.roles.get(arn) else {
                continue;
            };
            if let Some(why) = role.assumption_refused(
                iam::ECS_TASKS_SERVICE,
                &cx.aws.account_id,
                Some(&source_arn),
            ) {
                return Err(format!(
                    "ECS was unable to assume the role '{arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role. [dockyard: {why}]"
                ));
            }
        }
        Ok(())
    }
}
