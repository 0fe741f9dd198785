//! The service scheduler: keeps each service at its desired count, replaces
//! stopped tasks, and stops tasks on draining instances once their
//! replacements are healthy (rules §6).

use super::*;

impl Ecs {
    /// Starts or stops tasks until the service has its desired count.
    pub(super) fn reconcile(&mut self, cx: &mut Cx<'_>, name: &str, out: &mut Vec<Event>) {
        if self
            .services
            .get(name)
            .is_some_and(|s| s.deployment.is_some())
        {
            self.deploy_step(cx, name, out);
            // A drain during a deployment: the deployment starts the
            // replacements; tasks on the draining instance still go once
            // enough are healthy.
            let service = &self.services[name];
            if service.counts.draining > 0 {
                let config = service.deployment_configuration.clone();
                self.stop_drained(cx, name, &config, out);
            }
            return;
        }
        let Some(service) = self.services.get(name) else {
            return;
        };
        // Tasks on DRAINING instances still serve, but are being replaced:
        // they do not count towards the desired count.
        let draining = service.counts.draining as usize;
        let live = (service.counts.live() as usize).saturating_sub(draining);
        let desired = service.desired as usize;
        let (cluster, revision, capacity) = (
            service.cluster.clone(),
            service.revision.clone(),
            service.capacity.clone(),
        );
        let config = service.deployment_configuration.clone();
        if live > desired {
            // Scale in, newest tasks first (a scan, but only when scaling in).
            let mut candidates: Vec<(u64, String)> = service
                .tasks
                .iter()
                .filter(|id| self.tasks[*id].state <= TaskState::Running && !self.on_draining(id))
                .map(|id| (task_number(id), id.clone()))
                .collect();
            candidates.sort_unstable();
            for (_, task) in candidates.iter().rev().take(live - desired) {
                self.stop_task(
                    cx,
                    task,
                    "Scaling activity initiated by the service: desired count lowered.",
                    out,
                );
            }
        }
        let mut missing = desired.saturating_sub(live);
        if draining > 0 {
            // Replacements start within maximumPercent of the desired count.
            let ceiling = desired.saturating_mul(config.maximum_percent as usize) / 100;
            missing = missing.min(ceiling.saturating_sub(live + draining));
        }
        let mut placed_all = true;
        if !self.may_launch(cx, name) {
            // Throttled: the scheduled wake-up launches them.
            missing = 0;
        }
        let public_ip = self.services[name].public_ip;
        while missing > 0 {
            let before = self.next_task;
            if self.start_task(
                cx,
                &cluster,
                &revision,
                Some(name),
                &capacity,
                public_ip,
                out,
            ) {
                let id = format!("t-{}", self.next_task);
                debug_assert!(self.next_task > before);
                self.services
                    .get_mut(name)
                    .expect("exists")
                    .tasks
                    .insert(id);
                missing -= 1;
            } else {
                placed_all = false;
                break;
            }
        }
        let service = self.services.get_mut(name).expect("exists");
        service.unplaced = missing as u32;
        if placed_all {
            service.unplaced_reason = None;
        }
        if draining > 0 {
            self.stop_drained(cx, name, &config, out);
        }
    }

    /// Reconciles, soon, every service whose last launch failed because
    /// ECS could not assume the task's roles.
    pub(super) fn retry_failed_launches(&mut self, cx: &mut Cx<'_>) {
        let failed: Vec<String> = self
            .services
            .iter()
            .filter(|(_, s)| s.launch_failure.is_some())
            .map(|(name, _)| name.clone())
            .collect();
        for name in failed {
            self.reconcile_soon(cx, &name);
        }
    }

    /// Reconciles `name` once, after everything else due now.
    pub(super) fn reconcile_soon(&mut self, cx: &mut Cx<'_>, name: &str) {
        let service = self.services.get_mut(name).expect("exists");
        if !service.reconcile_queued {
            service.reconcile_queued = true;
            cx.schedule(
                cx.now,
                EcsHappening::Reconcile {
                    service: name.into(),
                },
            );
        }
    }

    pub(super) fn on_draining(&self, task_id: &str) -> bool {
        match &self.tasks[task_id].placement {
            Placement::Ec2 { instance, .. } => {
                self.instances.get(instance).is_some_and(|i| i.draining)
            }
            _ => false,
        }
    }

    /// Stops a service's tasks on DRAINING instances while
    /// minimumHealthyPercent of the desired count stays healthy: tasks not
    /// yet healthy at once, healthy ones as their replacements become
    /// healthy (rules §6.4).
    pub(super) fn stop_drained(
        &mut self,
        cx: &mut Cx<'_>,
        name: &str,
        config: &DeploymentConfiguration,
        out: &mut Vec<Event>,
    ) {
        let service = &self.services[name];
        let floor = (u64::from(service.desired) * u64::from(config.minimum_healthy_percent))
            .div_ceil(100) as u32;
        let mut may_stop = service.counts.healthy.saturating_sub(floor);
        let mut doomed = Vec::new();
        // Tasks on draining instances (few instances drain at once).
        for id in &service.tasks {
            let task = &self.tasks[id];
            if task.state > TaskState::Running || !self.on_draining(id) {
                continue;
            }
            let healthy = task.healthy && task.state == TaskState::Running;
            if !healthy {
                doomed.push(id.clone());
            } else if may_stop > 0 {
                may_stop -= 1;
                doomed.push(id.clone());
            }
        }
        for task in doomed {
            self.stop_task(cx,
                &task,
                "Task stopped because its container instance is DRAINING; the service replaced it elsewhere.",
                out,
            );
        }
    }
}
