//! The ECS service commands: create, update, deploy, assign task roles, set
//! the load, and Fargate Spot interruptions under a service (rules §6).

use super::*;

impl Ecs {
    /// `CreateService`.
    pub(super) fn create_service(
        &mut self,
        cx: &mut Cx<'_>,
        spec: ServiceSpec,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let ServiceSpec {
            cluster,
            name,
            task_definition,
            desired_count,
            capacity,
            placement_strategy,
            placement_constraints,
            scaling,
            load,
            memory_load,
            request_load,
            assign_public_ip,
            deployment_configuration,
        } = spec;
        self.need_cluster(&cluster)?;
        need_task_count(desired_count)?;
        if let Some(scaling) = &scaling {
            need_task_count(scaling.max_capacity)?;
        }
        if self.services.contains_key(&name) {
            return Err(Rejection::new(
                "service-exists",
                format!("a service called {name} already exists"),
            ));
        }
        let revision = self.resolve_definition(&task_definition)?;
        self.check_capacity(&cluster, &capacity, &revision)?;
        let fargate = !matches!(&capacity, Capacity::Ec2) && self.capacity_is_fargate(&capacity);
        if fargate && (placement_strategy.is_some() || !placement_constraints.is_empty()) {
            return Err(Rejection::new(
                "fargate-placement",
                "Fargate places tasks itself: placement strategies and constraints are not supported",
            ));
        }
        let strategies = placement_strategy.unwrap_or_else(|| {
            vec![
                Strategy::Spread("attribute:ecs.availability-zone".into()),
                Strategy::Spread("instanceId".into()),
            ]
        });
        if deployment_configuration.maximum_percent < 100
            || deployment_configuration.minimum_healthy_percent > 100
            || deployment_configuration.minimum_healthy_percent
                >= deployment_configuration.maximum_percent
        {
            return Err(Rejection::new(
                "deployment-configuration",
                "minimumHealthyPercent must be 0 to 100 and below maximumPercent, which must be at least 100",
            ));
        }
        if strategies.len() > 5 {
            return Err(Rejection::new(
                "placement-strategy",
                "a service has at most 5 placement strategies",
            ));
        }
        if let Some(scaling) = &scaling {
            scaling
                .check()
                .map_err(|why| Rejection::new("scaling", why))?;
        }
        let has_scaling = scaling.is_some();
        let (tracking, stepping) = scaling.as_ref().map_or((vec![], vec![]), |s| {
            (
                vec![(0, 0); s.target_policies().len()],
                vec![StepState::default(); s.step_scaling.len()],
            )
        });
        let (task_cpu, task_memory) = task_size(self.definitions.get(&revision).expect("resolved"));
        self.services.insert(
            name.clone(),
            Service {
                name: name.clone(),
                cluster,
                revision: revision.clone(),
                desired: desired_count,
                capacity,
                strategies,
                constraints: placement_constraints,
                tasks: BTreeSet::new(),
                throttle: Throttle::default(),
                launch_failure: None,
                public_ip: super::tasks::public_ip(assign_public_ip),
                unplaced: 0,
                unplaced_reason: None,
                load,
                memory_load,
                request_load,
                scaling,
                desired_set_by_auto_scaling: false,
                tracking,
                stepping,
                last_scale_out: None,
                last_scale_in: None,
                steady: false,
                counts: ServiceCounts::default(),
                task_cpu,
                task_memory,
                deployment_configuration,
                deployment: None,
                spread: SpreadIndex::default(),
                reconcile_queued: false,
            },
        );
        self.build_spread(&name);
        if has_scaling {
            self.ensure_tick(cx);
        }
        self.reconcile(cx, &name, out);
        Ok(())
    }

    /// `UpdateService`.
    pub(super) fn update_service(
        &mut self,
        cx: &mut Cx<'_>,
        service: String,
        desired_count: u32,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let current = self.need_service(&service)?.desired;
        need_task_count(desired_count)?;
        let updated = self.services.get_mut(&service).expect("checked");
        updated.desired = desired_count;
        updated.desired_set_by_auto_scaling = false;
        self.end_throttle(&service);
        cx.emit(
            out,
            What::ServiceDesiredCountChanged {
                service: service.clone(),
                from: current,
                to: desired_count,
                reason: "UpdateService.".into(),
            },
        );
        self.reconcile(cx, &service, out);
        Ok(())
    }

    /// `Deploy`.
    pub(super) fn deploy(
        &mut self,
        cx: &mut Cx<'_>,
        service: String,
        task_definition: Option<String>,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let current = self.need_service_not_deploying(&service)?;
        let (cluster, capacity, from) = (
            current.cluster.clone(),
            current.capacity.clone(),
            current.revision.clone(),
        );
        let to = match task_definition {
            Some(reference) => self.resolve_definition(&reference)?,
            None => from.clone(),
        };
        self.check_capacity(&cluster, &capacity, &to)?;
        self.end_throttle(&service);
        cx.emit(
            out,
            What::DeploymentStarted {
                service: service.clone(),
                from: from.to_string(),
                to: to.to_string(),
            },
        );
        let svc = self.services.get_mut(&service).expect("checked");
        svc.deployment = Some(Deployment {
            from,
            to,
            failed_tasks: 0,
            started_at: cx.now,
            rollback: false,
            first_task: self.next_task + 1,
        });
        svc.steady = false;
        self.reconcile(cx, &service, out);
        Ok(())
    }

    /// `SetTaskRoles`.
    pub(super) fn set_task_roles(
        &mut self,
        cx: &mut Cx<'_>,
        service: String,
        task_role_arn: Option<String>,
        execution_role_arn: Option<String>,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        // Refused before a revision is registered for nothing.
        let svc = self.need_service_not_deploying(&service)?;
        let current = svc.revision.clone();
        let mut definition = self.definitions.get(&current).expect("registered").clone();
        definition.task_role_arn = task_role_arn;
        definition.execution_role_arn = execution_role_arn;
        let revision = self.definitions.register(definition).map_err(|errors| {
            Rejection::new(
                "task-definition",
                errors
                    .iter()
                    .map(|f| format!("{}: {}", f.path, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        self.deploy(cx, service, Some(revision.to_string()), out)
    }

    /// `SetLoad`.
    pub(super) fn set_load(
        &mut self,
        service: String,
        load: LoadCurve,
        metric: Metric,
    ) -> Result<(), Rejection> {
        self.need_service(&service)?;
        let s = self.services.get_mut(&service).expect("checked");
        *match metric {
            Metric::Cpu => &mut s.load,
            Metric::Memory => &mut s.memory_load,
            Metric::RequestsPerTarget => &mut s.request_load,
        } = Some(load);
        Ok(())
    }

    /// `InterruptSpot`.
    pub(super) fn interrupt_spot(
        &mut self,
        cx: &mut Cx<'_>,
        service: String,
        count: u32,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let svc = self.need_service(&service)?;
        let victims: Vec<String> = svc
            .tasks
            .iter()
            .filter(|id| {
                let t = &self.tasks[*id];
                matches!(t.placement, Placement::Fargate { spot: true, .. })
                    && t.state == TaskState::Running
            })
            .take(count as usize)
            .cloned()
            .collect();
        if victims.is_empty() {
            return Err(Rejection::new(
                "no-spot-tasks",
                format!("service {service} has no running Fargate Spot tasks"),
            ));
        }
        for task in victims {
            let stop_at = cx.now + seconds(120);
            cx.emit(
                out,
                What::SpotInterruptionWarning {
                    task: task.clone(),
                    stop_at,
                },
            );
            // SIGTERM now; the task stops after its stopTimeout (30 s by default).
            cx.schedule(cx.now + seconds(30), EcsHappening::SpotStop { task });
        }
        Ok(())
    }

    pub(super) fn need_service(&self, service: &str) -> Result<&Service, Rejection> {
        self.services
            .get(service)
            .ok_or_else(|| Rejection::new("no-service", format!("no service called {service}")))
    }

    /// A service with no deployment in progress.
    pub(super) fn need_service_not_deploying(&self, service: &str) -> Result<&Service, Rejection> {
        let found = self.need_service(service)?;
        if found.deployment.is_some() {
            return Err(Rejection::new(
                "deployment-in-progress",
                format!("service {service} is already deploying: Dockyard runs one deployment at a time (ECS would start a new primary deployment and wind the current one down)"),
            ));
        }
        Ok(found)
    }
}
