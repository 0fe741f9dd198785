//! The task state machine: RunTask and the learner's task commands, a
//! task's start (placement, then PROVISIONING → PENDING → ACTIVATING →
//! RUNNING), its containers' exits and memory kills, and its stop.

use super::*;

impl Ecs {
    /// A RUNNING task passed its health check: a deployment or a drain
    /// waiting for healthy replacements may go on.
    pub(super) fn task_healthy(&mut self, cx: &mut Cx<'_>, task: &str, out: &mut Vec<Event>) {
        let running = self
            .tasks
            .get(task)
            .is_some_and(|t| t.state == TaskState::Running);
        if !running {
            return;
        }
        self.index(task, -1);
        let t = self.tasks.get_mut(task).expect("exists");
        t.healthy = true;
        let service = t.service.clone();
        self.index(task, 1);
        if let Some(service) = service {
            // A deployment or a drain waits for new tasks to be healthy
            // before it stops old ones.
            if self
                .services
                .get(&service)
                .is_some_and(|s| s.deployment.is_some() || s.counts.draining > 0)
            {
                self.reconcile_soon(cx, &service);
            }
            self.check_steady(cx, &service, out);
        }
    }

    /// `RunTask`.
    pub(super) fn run_task(
        &mut self,
        cx: &mut Cx<'_>,
        cluster: String,
        task_definition: String,
        count: u32,
        capacity: Capacity,
        assign_public_ip: Option<AssignPublicIp>,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        self.need_cluster(&cluster)?;
        if !(1..=10).contains(&count) {
            return Err(Rejection::new(
                "run-task-count",
                "RunTask starts 1 to 10 tasks per call",
            ));
        }
        let revision = self.resolve_definition(&task_definition)?;
        self.check_capacity(&cluster, &capacity, &revision)?;
        let definition = self.definitions.get(&revision).expect("resolved");
        self.roles_assumable(cx, &cluster, definition)
            .map_err(|why| Rejection::new("role-not-assumable", why))?;
        for _ in 0..count {
            self.start_task(
                cx,
                &cluster,
                &revision,
                None,
                &capacity,
                public_ip(assign_public_ip),
                out,
            );
        }
        Ok(())
    }

    /// `StopTask`.
    pub(super) fn stop_task_command(
        &mut self,
        cx: &mut Cx<'_>,
        task: String,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let state = self
            .tasks
            .get(&task)
            .map(|t| t.state)
            .ok_or_else(|| Rejection::new("no-task", format!("no task {task}")))?;
        if state == TaskState::Stopped || state.is_stopping() {
            return Err(Rejection::new(
                "task-stopping",
                format!("task {task} is already {}", state.label()),
            ));
        }
        self.stop_task(cx, &task, "Task stopped by the learner (StopTask).", out);
        Ok(())
    }

    /// `ExitContainer`.
    pub(super) fn exit_container(
        &mut self,
        cx: &mut Cx<'_>,
        task: String,
        container: String,
        exit_code: i32,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let essential = self.need_container(&task, &container)?.essential != Some(false);
        self.container_exits(cx, &task, &container, exit_code, None, essential, out);
        Ok(())
    }

    /// `UseMemory`.
    pub(super) fn use_memory(
        &mut self,
        cx: &mut Cx<'_>,
        task: String,
        container: String,
        mib: u32,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let definition = self.need_container(&task, &container)?.clone();
        let essential = definition.essential != Some(false);
        let (limit, what) = self.memory_limit(&task, &definition);
        if mib > limit {
            self.container_exits(cx,
                &task,
                &container,
                137,
                Some(format!(
                    "OutOfMemoryError: Container killed due to memory usage: {mib} MiB is over {what}"
                )),
                essential,
                out,
            );
        } else {
            let note = match definition.memory_reservation {
                Some(soft) if i64::from(mib) > soft => format!(
                    "above its memoryReservation (the soft limit, {soft} MiB), which is allowed: it uses memory the scheduler did not reserve for it, up to {what}"
                ),
                _ => format!("within {what}"),
            };
            if let Some(t) = self.tasks.get_mut(&task) {
                t.memory_used.insert(container.clone(), mib);
            }
            cx.emit(
                out,
                What::ContainerMemory {
                    task,
                    container,
                    mib,
                    note,
                },
            );
        }
        Ok(())
    }

    /// `WriteFile`.
    pub(super) fn write_file(
        &mut self,
        cx: &Env<'_>,
        task: String,
        volume: Option<String>,
        container: Option<String>,
        path: String,
        contents: String,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let first = self.tasks.get(&task).map(|_| {
            self.task_definition(&task).container_definitions[0]
                .name
                .clone()
        });
        let container = container.or(first).unwrap_or_default();
        self.need_container(&task, &container)?;
        let location = match &volume {
            Some(name) => {
                let definition = self.task_definition(&task);
                let volume = definition
                    .volumes
                    .iter()
                    .flatten()
                    .find(|v| &v.name == name)
                    .cloned()
                    .ok_or_else(|| {
                        Rejection::new(
                            "no-volume",
                            format!("task {task} has no volume called {name}"),
                        )
                    })?;
                self.files
                    .mount(&task, &volume)
                    .map_err(|e| Rejection::new("volume", e.to_string()))?
            }
            None => self
                .files
                .writable_layer(&task, &container)
                .map_err(|e| Rejection::new("volume", e.to_string()))?,
        };
        self.files
            .write(&location, &path, &contents)
            .map_err(|e| Rejection::new("write", e.to_string()))?;
        self.writers
            .insert((location.to_string(), path.clone()), task.clone());
        cx.emit(
            out,
            What::FileWritten {
                task,
                path,
                location: location.to_string(),
            },
        );
        Ok(())
    }

    /// A container of a RUNNING task, by name.
    pub(super) fn need_container(
        &self,
        task: &str,
        container: &str,
    ) -> Result<&taskdef::ContainerDefinition, Rejection> {
        let t = self
            .tasks
            .get(task)
            .ok_or_else(|| Rejection::new("no-task", format!("no task {task}")))?;
        if t.state != TaskState::Running {
            return Err(Rejection::new(
                "task-not-running",
                format!("task {task} is {:?}, not RUNNING", t.state),
            ));
        }
        let definition = self.definitions.get(&t.revision).expect("registered");
        definition
            .container_definitions
            .iter()
            .find(|c| c.name == container)
            .ok_or_else(|| {
                Rejection::new(
                    "no-container",
                    format!("task {task} has no container called {container}"),
                )
            })
    }

    /// The memory a container may use before it is killed, and what sets
    /// it: its hard limit (`memory`), else the task's memory, else (EC2 with
    /// only a soft limit) what is free on the instance (rules §3 point 2).
    pub(super) fn memory_limit(
        &self,
        task: &str,
        container: &taskdef::ContainerDefinition,
    ) -> (u32, String) {
        if let Some(hard) = container.memory {
            return (
                u32::try_from(hard).unwrap_or(u32::MAX),
                format!("its hard limit (memory) of {hard} MiB"),
            );
        }
        let t = &self.tasks[task];
        let definition = self.definitions.get(&t.revision).expect("registered");
        if let Some(memory) = definition
            .memory
            .as_deref()
            .and_then(|m| m.trim().parse::<u32>().ok())
        {
            return (memory, format!("the task's memory of {memory} MiB"));
        }
        if let Placement::Ec2 { instance, .. } = &t.placement {
            if let Some(i) = self.instances.get(instance) {
                let soft = u32::try_from(container.memory_reservation.unwrap_or(0)).unwrap_or(0);
                let limit = soft + (i.memory_total - i.memory_used);
                return (
                    limit,
                    format!(
                        "its reservation plus the {} MiB free on {instance}",
                        limit - soft
                    ),
                );
            }
        }
        (t.memory, format!("the task's {} MiB", t.memory))
    }

    /// A container exited: an essential one stops its task.
    pub(super) fn container_exits(
        &mut self,
        cx: &mut Cx<'_>,
        task: &str,
        container: &str,
        exit_code: i32,
        reason: Option<String>,
        essential: bool,
        out: &mut Vec<Event>,
    ) {
        if let Some(t) = self.tasks.get_mut(task) {
            t.memory_used.remove(container);
        }
        cx.emit(
            out,
            What::ContainerExited {
                task: task.into(),
                container: container.into(),
                exit_code,
                reason,
                essential,
            },
        );
        if essential {
            self.stop_task(cx, task, "Essential container in task exited", out);
        }
    }

    pub(super) fn start_task(
        &mut self,
        cx: &mut Cx<'_>,
        cluster: &str,
        revision: &Revision,
        service: Option<&str>,
        capacity: &Capacity,
        public_ip: bool,
        out: &mut Vec<Event>,
    ) -> bool {
        let definition = self.definitions.get(revision).expect("resolved").clone();
        // ECS assumes the task's roles as it launches it.
        if let Err(why) = self.roles_assumable(cx, cluster, &definition) {
            cx.emit(
                out,
                What::TaskLaunchFailed {
                    service: service.map(str::to_string),
                    reason: why.clone(),
                },
            );
            if let Some(s) = service.and_then(|s| self.services.get_mut(s)) {
                s.launch_failure = Some(why);
            }
            return false;
        }
        if let Some(s) = service.and_then(|s| self.services.get_mut(s)) {
            s.launch_failure = None;
        }
        let (cpu, memory) = task_size(&definition);
        let awsvpc = definition.network_mode.as_deref() == Some("awsvpc");
        let host_ports = host_ports(&definition);
        let provider = self.choose_provider(service, capacity);
        self.next_task += 1;
        let id = format!("t-{}", self.next_task);
        let mut task = Task {
            id: id.clone(),
            cluster: cluster.into(),
            revision: revision.clone(),
            service: service.map(str::to_string),
            state: TaskState::Provisioning,
            placement: Placement::AwaitingCapacity {
                provider: String::new(),
            },
            cpu,
            memory,
            awsvpc,
            public_ip,
            host_ports,
            network_bindings: Vec::new(),
            failed_to_start: false,
            healthy: false,
            stopped_reason: None,
            why: Vec::new(),
            reason: String::new(),
            memory_used: BTreeMap::new(),
            epoch: 0,
            billing_rate: 0.0,
            billing_since: 0,
            provider_choice: provider.clone(),
        };
        let fargate = provider
            .as_deref()
            .is_some_and(|p| p.starts_with("FARGATE"))
            || matches!(capacity, Capacity::Fargate);
        if fargate {
            let spot = provider.as_deref() == Some("FARGATE_SPOT");
            let Some(az) = self.fargate_az(cx, service) else {
                cx.emit(
                    out,
                    What::TaskUnplaceable {
                        service: service.map(str::to_string),
                        reason: "every Availability Zone is unavailable".into(),
                    },
                );
                return false;
            };
            task.placement = Placement::Fargate {
                az: az.clone(),
                spot,
            };
            task.reason = match service {
                Some(_) => format!(
                    "spread across Availability Zones: {az} had the fewest of this service's tasks"
                ),
                // Not a service's: nothing to spread against. How Fargate
                // picks a zone for a standalone task is not documented.
                None => format!(
                    "a standalone task (RunTask): Dockyard places it in the first Availability Zone that is up, {az}; how Fargate picks one among the task's subnets is not documented"
                ),
            };
            self.tasks.insert(id.clone(), task);
            self.index(&id, 1);
            cx.emit(out, What::TaskPlaced {
                task: id.clone(),
                service: service.map(str::to_string),
                placement: Placement::Fargate { az, spot },
                reason: "Fargate spreads tasks across Availability Zones; each task gets its own micro-VM and ENI".into(),
            });
            self.schedule_step(
                cx,
                &id,
                TaskState::Pending,
                seconds(cx.params.fargate_provisioning_seconds),
            );
            return true;
        }
        // EC2: a provider's instances, or (launch type EC2) any instance
        // of the cluster.
        let pool: Option<PoolKey> = provider
            .clone()
            .filter(|p| self.providers.contains_key(p))
            .map(|p| (cluster.to_string(), Some(p)));
        let candidates = match &pool {
            Some(key) => Candidates::Pool(key),
            None => Candidates::Cluster(cluster),
        };
        match self.choose_instance(cx, &task, candidates, service) {
            Ok((instance, reason)) => {
                self.tasks.insert(id.clone(), task);
                self.index(&id, 1);
                self.place_on(cx, &id, &instance, &reason, out);
                true
            }
            Err(reason) => match provider {
                Some(provider) => {
                    task.placement = Placement::AwaitingCapacity {
                        provider: provider.clone(),
                    };
                    task.reason = reason.clone();
                    self.tasks.insert(id.clone(), task);
                    self.index(&id, 1);
                    self.providers
                        .get_mut(&provider)
                        .expect("checked")
                        .waiting
                        .push_back(id.clone());
                    cx.emit(
                        out,
                        What::TaskPlaced {
                            task: id,
                            service: service.map(str::to_string),
                            placement: Placement::AwaitingCapacity { provider },
                            reason,
                        },
                    );
                    true
                }
                None => {
                    self.next_task -= 1;
                    cx.emit(
                        out,
                        What::TaskUnplaceable {
                            service: service.map(str::to_string),
                            reason: reason.clone(),
                        },
                    );
                    if let Some(s) = service.and_then(|s| self.services.get_mut(s)) {
                        s.unplaced_reason = Some(reason);
                    }
                    false
                }
            },
        }
    }

    pub(super) fn schedule_step(
        &mut self,
        cx: &mut Cx<'_>,
        task: &str,
        to: TaskState,
        after: Millis,
    ) {
        let epoch = self.tasks[task].epoch;
        cx.schedule(
            cx.now + after,
            EcsHappening::TaskStep {
                task: task.into(),
                to,
                epoch,
            },
        );
    }

    pub(super) fn transition(
        &mut self,
        cx: &Env<'_>,
        task_id: &str,
        to: TaskState,
        reason: Option<String>,
        out: &mut Vec<Event>,
    ) {
        self.index(task_id, -1);
        let task = self.tasks.get_mut(task_id).expect("exists");
        let from = task.state;
        task.state = to;
        task.epoch += 1;
        self.index(task_id, 1);
        cx.emit(
            out,
            What::TaskStateChanged {
                task: task_id.into(),
                from,
                to,
                reason,
            },
        );
    }

    pub(super) fn step_task(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        to: TaskState,
        out: &mut Vec<Event>,
    ) {
        match to {
            TaskState::Pending => {
                self.transition(cx, task_id, TaskState::Pending, None, out);
                self.start_billing(cx, task_id);
                if let Err(failure) = self.check_network_reach(cx, task_id) {
                    self.fail_start_because(cx, task_id, failure, out);
                    return;
                }
                let puller = match self.check_pull(cx, task_id) {
                    Ok(puller) => puller,
                    Err(failure) => {
                        self.fail_start_because(cx, task_id, failure, out);
                        return;
                    }
                };
                if let Err(failure) = self.check_secrets_and_registry_auth(cx, task_id) {
                    self.fail_start_because(cx, task_id, failure, out);
                    return;
                }
                if let Err(why) = self.count_docker_hub_pulls(cx, task_id, out) {
                    self.fail_start(
                        cx,
                        task_id,
                        &format!("CannotPullContainerError: {why}"),
                        out,
                    );
                    return;
                }
                let pull = self.pull_images(cx, task_id, puller, out);
                self.schedule_step(cx, task_id, TaskState::Activating, pull);
            }
            TaskState::Activating => {
                // The images are in; the containers are created with their
                // logging driver, which must be able to write.
                if let Err(failure) = self.check_log_delivery(cx, task_id) {
                    self.fail_start_because(cx, task_id, failure, out);
                    return;
                }
                self.transition(cx, task_id, TaskState::Activating, None, out);
                self.schedule_step(
                    cx,
                    task_id,
                    TaskState::Running,
                    seconds(cx.params.container_start_seconds),
                );
            }
            TaskState::Running => {
                self.transition(cx, task_id, TaskState::Running, None, out);
                self.task_started(task_id);
                self.start_files(task_id);
                cx.schedule(
                    cx.now + seconds(cx.params.healthy_after_seconds),
                    EcsHappening::TaskHealthy {
                        task: task_id.into(),
                    },
                );
            }
            TaskState::Stopping => {
                self.transition(cx, task_id, TaskState::Stopping, None, out);
                self.schedule_step(
                    cx,
                    task_id,
                    TaskState::Deprovisioning,
                    seconds(cx.params.stop_seconds / 2),
                );
            }
            TaskState::Deprovisioning => {
                self.transition(cx, task_id, TaskState::Deprovisioning, None, out);
                self.schedule_step(
                    cx,
                    task_id,
                    TaskState::Stopped,
                    seconds(cx.params.stop_seconds - cx.params.stop_seconds / 2),
                );
            }
            TaskState::Stopped => self.finish_stop(cx, task_id, out),
            TaskState::Provisioning | TaskState::Deactivating => {}
        }
    }

    /// Fargate bills from the start of the image pull to the task's stop.
    pub(super) fn start_billing(&mut self, cx: &mut Cx<'_>, task_id: &str) {
        let task = &self.tasks[task_id];
        if let Placement::Fargate { spot, .. } = task.placement {
            let vcpu = f64::from(task.cpu) / 1024.0;
            let gb = f64::from(task.memory) / 1024.0;
            let factor = if spot { FARGATE_SPOT_FACTOR } else { 1.0 };
            let rate =
                (vcpu * FARGATE_PER_VCPU_HOUR + gb * FARGATE_PER_GB_HOUR) * factor / MS_PER_HOUR;
            let task = self.tasks.get_mut(task_id).expect("exists");
            task.billing_rate = rate;
            task.billing_since = cx.now;
            cx.set_cost_rate(rate);
        }
    }

    pub(super) fn stop_task(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        reason: &str,
        out: &mut Vec<Event>,
    ) {
        let Some(task) = self.tasks.get_mut(task_id) else {
            return;
        };
        if task.state == TaskState::Stopped || task.state.is_stopping() {
            return;
        }
        task.stopped_reason = Some(reason.to_string());
        if let Placement::AwaitingCapacity { provider } = &task.placement {
            let provider = provider.clone();
            if let Some(p) = self.providers.get_mut(&provider) {
                p.waiting.retain(|t| t != task_id);
            }
            self.transition(
                cx,
                task_id,
                TaskState::Stopped,
                Some(reason.to_string()),
                out,
            );
            self.after_stop(cx, task_id, out);
            return;
        }
        self.transition(
            cx,
            task_id,
            TaskState::Deactivating,
            Some(reason.to_string()),
            out,
        );
        self.schedule_step(cx, task_id, TaskState::Stopping, 0);
    }

    /// A task whose host vanished: straight to STOPPED.
    pub(super) fn lose_task(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        reason: &str,
        out: &mut Vec<Event>,
    ) {
        let Some(task) = self.tasks.get_mut(task_id) else {
            return;
        };
        if task.state == TaskState::Stopped {
            return;
        }
        task.stopped_reason = Some(reason.to_string());
        if let Placement::AwaitingCapacity { provider } = &task.placement {
            let provider = provider.clone();
            if let Some(p) = self.providers.get_mut(&provider) {
                p.waiting.retain(|t| t != task_id);
            }
        }
        self.transition(
            cx,
            task_id,
            TaskState::Stopped,
            Some(reason.to_string()),
            out,
        );
        self.finish_stop_resources(cx, task_id, out);
        self.after_stop(cx, task_id, out);
    }

    pub(super) fn finish_stop(&mut self, cx: &mut Cx<'_>, task_id: &str, out: &mut Vec<Event>) {
        let reason = self.tasks[task_id].stopped_reason.clone();
        self.transition(cx, task_id, TaskState::Stopped, reason, out);
        self.finish_stop_resources(cx, task_id, out);
        self.after_stop(cx, task_id, out);
    }

    pub(super) fn finish_stop_resources(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        out: &mut Vec<Event>,
    ) {
        let lost = self.files.on_task_stopped(task_id);
        self.report_lost(cx, lost, out);
        let task = self.tasks.get_mut(task_id).expect("exists");
        let rate = std::mem::take(&mut task.billing_rate);
        // Fargate bills per second with a one-minute minimum.
        let billed = cx.now.saturating_sub(task.billing_since);
        if rate != 0.0 && billed < FARGATE_MINIMUM_BILLED_MS {
            cx.charge(rate * (FARGATE_MINIMUM_BILLED_MS - billed) as f64);
        }
        let (cpu, memory, awsvpc, ports, placement) = (
            task.cpu,
            task.memory,
            task.awsvpc,
            task.host_ports.clone(),
            task.placement.clone(),
        );
        if rate != 0.0 {
            cx.set_cost_rate(-rate);
        }
        if let Placement::Ec2 { instance, .. } = placement {
            let on_it = self
                .instances
                .get(&instance)
                .is_some_and(|i| i.tasks.contains(task_id));
            if on_it {
                self.change_room(&instance, |instance| {
                    instance.tasks.remove(task_id);
                    instance.cpu_used -= cpu;
                    instance.memory_used -= memory;
                    if awsvpc {
                        instance.enis_used -= 1;
                    }
                    for port in ports {
                        instance.ports_used.remove(&port);
                    }
                });
                let provider = self.instances[&instance].provider.clone();
                if let Some(provider) = provider.filter(|p| !self.providers[p].waiting.is_empty()) {
                    self.place_waiting(cx, &provider, &instance, out);
                }
            }
        }
    }

    pub(super) fn after_stop(&mut self, cx: &mut Cx<'_>, task_id: &str, out: &mut Vec<Event>) {
        if let Some(service) = self.tasks[task_id].service.clone() {
            if let Some(s) = self.services.get_mut(&service) {
                s.tasks.remove(task_id);
                s.steady = false;
            }
            if self.tasks[task_id].failed_to_start {
                self.start_failed(cx, &service, out);
            }
            let task = &self.tasks[task_id];
            let failed_new = self.services[&service]
                .deployment
                .as_ref()
                .is_some_and(|d| d.to == task.revision && task_number(task_id) >= d.first_task)
                && !task.healthy;
            if failed_new {
                self.deployment_task_failed(cx, &service, out);
            }
            if self.services[&service].deployment.is_some() {
                self.reconcile_soon(cx, &service);
            } else {
                self.reconcile(cx, &service, out);
            }
        }
    }
}

/// Host ports a task holds on its instance: static ports in bridge mode,
/// every container port in host mode.
pub(super) fn host_ports(definition: &TaskDefinition) -> Vec<u32> {
    let mode = definition.network_mode.as_deref().unwrap_or("bridge");
    definition
        .container_definitions
        .iter()
        .flat_map(|c| c.port_mappings.iter().flatten())
        .filter_map(|p| match mode {
            "bridge" => p.host_port.filter(|h| *h > 0),
            "host" => p.container_port,
            _ => None,
        })
        .filter_map(|p| u32::try_from(p).ok())
        .collect()
}

/// The number in a task id (`t-12` is 12), for newest-first ordering.
pub(super) fn task_number(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Whether a task gets a public IP: Dockyard's JSON commands that do not
/// say give it one (see [`AssignPublicIp`]).
pub(super) fn public_ip(assign: Option<AssignPublicIp>) -> bool {
    assign != Some(AssignPublicIp::Disabled)
}
