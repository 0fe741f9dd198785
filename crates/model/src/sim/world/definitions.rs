//! Task definitions and IAM roles as the account holds them: registering,
//! resolving `family` or `family:N`, a task's size, and whether a definition
//! can run on the capacity asked for (rules §2, §3).

use super::*;

impl Ecs {
    /// `RegisterTaskDefinition`.
    pub(super) fn register_task_definition(
        &mut self,
        definition: Box<TaskDefinition>,
    ) -> Result<(), Rejection> {
        self.definitions.register(*definition).map_err(|errors| {
            let first = &errors[0];
            let detail = format!("{}: {} ({})", first.path, first.message, first.code);
            // ECS's own words first where they are known, so the learner
            // reads what the real API would answer.
            let message = match crate::taskdef::aws_message(first.code) {
                Some(aws) => format!("{aws} [dockyard: {detail}]"),
                None => detail,
            };
            Rejection::new("invalid-task-definition", message)
        })?;
        Ok(())
    }

    /// A task definition to start tasks or a service from: `family` is its
    /// latest ACTIVE revision; an INACTIVE revision is refused, as ECS
    /// refuses new tasks and services from a deregistered one.
    pub(super) fn resolve_definition(&self, reference: &str) -> Result<Revision, Rejection> {
        let revision = self.find_definition(reference)?;
        if !self.definitions.is_active(&revision) {
            return Err(Rejection::new(
                "task-definition",
                format!("TaskDefinition is inactive ({revision} was deregistered)"),
            ));
        }
        Ok(revision)
    }

    /// A registered task definition, ACTIVE or not (what DescribeTaskDefinition
    /// finds): `family` is the latest ACTIVE revision, `family:N` that one.
    pub(super) fn find_definition(&self, reference: &str) -> Result<Revision, Rejection> {
        let revision = match reference.split_once(':') {
            Some((family, number)) => Revision {
                family: family.to_string(),
                revision: number.parse().map_err(|_| {
                    Rejection::new(
                        "task-definition",
                        format!("{reference}: the revision is not a number"),
                    )
                })?,
            },
            None => self.definitions.latest_active(reference).ok_or_else(|| {
                Rejection::new(
                    "task-definition",
                    if self.definitions.latest(reference).is_some() {
                        format!("every revision of {reference} is inactive (deregistered)")
                    } else {
                        format!("no task definition family {reference}")
                    },
                )
            })?,
        };
        self.definitions
            .get(&revision)
            .map(|_| revision.clone())
            .ok_or_else(|| {
                Rejection::new("task-definition", format!("no task definition {revision}"))
            })
    }

    /// `DeregisterTaskDefinition`: `family:revision`, which must exist.
    pub(super) fn deregister_definition(&mut self, reference: &str) -> Result<(), Rejection> {
        let revision = match reference.split_once(':') {
            Some(_) => self.find_definition(reference)?,
            None => {
                return Err(Rejection::new(
                    "task-definition",
                    format!("{reference}: name the revision to deregister (family:revision)"),
                ))
            }
        };
        self.definitions.deregister(&revision);
        Ok(())
    }

    pub(super) fn capacity_is_fargate(&self, capacity: &Capacity) -> bool {
        match capacity {
            Capacity::Ec2 => false,
            Capacity::Fargate => true,
            Capacity::Strategy(items) => items
                .iter()
                .all(|i| i.capacity_provider.starts_with("FARGATE")),
        }
    }

    /// The checks CreateService and RunTask make before anything starts.
    pub(super) fn check_capacity(
        &self,
        cluster: &str,
        capacity: &Capacity,
        revision: &Revision,
    ) -> Result<(), Rejection> {
        let definition = self.definitions.get(revision).expect("resolved");
        let targets = taskdef::Targets::of(definition);
        if let Capacity::Strategy(items) = capacity {
            if items.is_empty() || items.len() > 20 {
                return Err(Rejection::new(
                    "strategy",
                    "a capacity provider strategy has 1 to 20 providers",
                ));
            }
            if items.iter().filter(|i| i.base > 0).count() > 1 {
                return Err(Rejection::new(
                    "strategy-base",
                    "only one provider in a strategy may set a base",
                ));
            }
            if items.iter().all(|i| i.weight == 0) {
                return Err(Rejection::new(
                    "strategy-weight",
                    "at least one provider in a strategy needs a weight above 0",
                ));
            }
            let fargate = items
                .iter()
                .filter(|i| i.capacity_provider.starts_with("FARGATE"))
                .count();
            if fargate != 0 && fargate != items.len() {
                return Err(Rejection::new(
                    "strategy-mix",
                    "a strategy cannot mix Fargate and Auto Scaling group providers",
                ));
            }
            for item in items {
                let name = &item.capacity_provider;
                if !name.starts_with("FARGATE")
                    && self
                        .providers
                        .get(name)
                        .is_none_or(|p| p.cluster != cluster)
                {
                    return Err(Rejection::new(
                        "no-provider",
                        format!("cluster {cluster} has no capacity provider {name}"),
                    ));
                }
            }
        }
        let fargate = self.capacity_is_fargate(capacity);
        if fargate && !targets.fargate {
            return Err(Rejection::new(
                "incompatible-launch-type",
                format!(
                    "task definition {revision} does not list FARGATE in requiresCompatibilities"
                ),
            ));
        }
        if !fargate && !targets.ec2 {
            return Err(Rejection::new(
                "incompatible-launch-type",
                format!("task definition {revision} does not list EC2 in requiresCompatibilities"),
            ));
        }
        Ok(())
    }
}

/// Task-level cpu and memory, or the containers' sums (memoryReservation
/// where set, rules §3 point 2).
pub fn task_size(definition: &TaskDefinition) -> (u32, u32) {
    let cpu = definition
        .cpu
        .as_deref()
        .and_then(taskdef::parse_task_cpu)
        .unwrap_or_else(|| {
            definition
                .container_definitions
                .iter()
                .filter_map(|c| c.cpu)
                .sum::<i64>()
                .clamp(0, i64::from(u32::MAX)) as u32
        });
    let memory = definition
        .memory
        .as_deref()
        .and_then(taskdef::parse_task_memory)
        .unwrap_or_else(|| {
            definition
                .container_definitions
                .iter()
                .filter_map(|c| c.memory_reservation.or(c.memory))
                .sum::<i64>()
                .clamp(0, i64::from(u32::MAX)) as u32
        });
    (cpu, memory)
}

impl World {
    /// `CreateRole`.
    pub(super) fn create_role(
        &mut self,
        name: String,
        trusted_service: String,
        managed_policies: Vec<String>,
        policies: BTreeMap<String, serde_json::Value>,
        trust_policy: Option<serde_json::Value>,
    ) -> Result<(), Rejection> {
        if let Some(error) = iam::role_name_error(&name) {
            return Err(Rejection::new("role-name", error));
        }
        let mut role = Role::new(&self.account.aws.account_id, &name, &trusted_service);
        if let Some(document) = trust_policy {
            // The learner's own, conditions and all: evaluated when a
            // service assumes the role.
            role.trust_policy = iam::PolicyDocument::from_value(&document)
                .map_err(|error| Rejection::new("policy", format!("trust policy: {error}")))?;
        }
        for policy in managed_policies {
            role = role.with_managed_policy(&policy).map_err(|_| {
                Rejection::new(
                    "managed-policy",
                    format!("{policy} is not a managed policy Dockyard knows"),
                )
            })?;
        }
        for (policy_name, document) in policies {
            let document = iam::PolicyDocument::from_value(&document)
                .map_err(|error| Rejection::new("policy", format!("{policy_name}: {error}")))?;
            role = role.with_policy(&policy_name, document);
        }
        if let Some(error) = iam::trust_policy_error(iam::policy_chars(&role.trust_policy)) {
            return Err(Rejection::new("policy-size", error));
        }
        self.within_inline_quota(&role)?;
        self.account.roles.insert(role.arn.clone(), role);
        Ok(())
    }

    /// IAM's quota on the sum of a role's inline policies: every policy on
    /// it but the managed ones attached (Dockyard keeps both in one list,
    /// so a managed one is known by its name and document).
    fn within_inline_quota(&self, role: &Role) -> Result<(), Rejection> {
        let managed = |name: &str, document: &iam::PolicyDocument| {
            iam::managed_policy(name).is_some_and(|aws| aws == *document)
                || self
                    .account
                    .managed_policies
                    .values()
                    .any(|(own, kept)| own == name && kept == document)
        };
        let chars = role
            .policies
            .iter()
            .filter(|(name, document)| !managed(name, document))
            .map(|(_, document)| iam::policy_chars(document))
            .sum();
        match iam::inline_policies_error(&role.name, chars) {
            Some(error) => Err(Rejection::new("policy-size", error)),
            None => Ok(()),
        }
    }

    /// The role called `name`, or IAM's NoSuchEntity.
    pub(super) fn role_named(&mut self, name: &str) -> Result<&mut Role, Rejection> {
        self.account
            .roles
            .values_mut()
            .find(|role| role.name == name)
            .ok_or_else(|| {
                Rejection::new(
                    "no-role",
                    format!("The role with name {name} cannot be found."),
                )
            })
    }

    /// `PutRolePolicy`: adds an inline policy, or replaces the one of that name.
    pub(super) fn put_role_policy(
        &mut self,
        role: &str,
        name: String,
        document: serde_json::Value,
    ) -> Result<(), Rejection> {
        let document = iam::PolicyDocument::from_value(&document)
            .map_err(|error| Rejection::new("policy", format!("{name}: {error}")))?;
        // Dockyard keeps a role's inline and managed policies in one list
        // by name, so an inline policy may not take a managed one's name
        // (IAM would keep both).
        let managed = iam::managed_policy_info(&name).is_some()
            || self
                .account
                .managed_policies
                .values()
                .any(|(n, _)| *n == name);
        let role = self.role_named(role)?;
        if managed && role.policies.iter().any(|(existing, _)| *existing == name) {
            return Err(Rejection::new(
                "policy-name",
                format!("{name} is the name of a managed policy attached to the role; Dockyard keeps one policy per name on a role, so name the inline policy differently"),
            ));
        }
        let mut changed = role.clone();
        changed.policies.retain(|(existing, _)| *existing != name);
        changed.policies.push((name, document));
        self.within_inline_quota(&changed)?;
        let role_name = changed.name.clone();
        *self.role_named(&role_name)? = changed;
        Ok(())
    }

    /// `AttachRolePolicy`: an AWS managed policy, by name or ARN, or one of
    /// the account's own, by ARN. Attaching one that is attached already
    /// changes nothing, as in IAM.
    pub(super) fn attach_role_policy(&mut self, role: &str, policy: &str) -> Result<(), Rejection> {
        // One of the account's own (customer managed) policies; attaching
        // it again changes nothing, as in IAM.
        if let Some((name, document)) = self.account.managed_policies.get(policy).cloned() {
            let role = self.role_named(role)?;
            if !role.policies.iter().any(|(existing, _)| *existing == name) {
                role.policies.push((name, document));
            }
            return Ok(());
        }
        let name = policy.rsplit('/').next().unwrap_or(policy);
        let known = iam::managed_policy_info(name).ok_or_else(|| {
            Rejection::new(
                "managed-policy",
                format!("Policy {policy} does not exist or is not attachable."),
            )
        })?;
        let role = self.role_named(role)?;
        if !role
            .policies
            .iter()
            .any(|(existing, _)| existing == known.name)
        {
            let updated = role.clone().with_managed_policy(known.name).map_err(|_| {
                Rejection::new(
                    "managed-policy",
                    format!("{policy} is not a managed policy Dockyard knows"),
                )
            })?;
            *role = updated;
        }
        Ok(())
    }
}
