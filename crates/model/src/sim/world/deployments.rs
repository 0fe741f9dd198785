//! Rolling deployments (rules §6.1): starting new tasks and stopping old
//! ones within minimumHealthyPercent and maximumPercent, the circuit
//! breaker and its rollback, and the steady state.

use super::*;

impl Ecs {
    /// One step of a rolling deployment: start new tasks within
    /// maximumPercent, stop old ones while minimumHealthyPercent of the
    /// desired count stays healthy, finish when only new tasks run, and trip
    /// the circuit breaker when too many new tasks fail (rules §6.1).
    pub(super) fn deploy_step(&mut self, cx: &mut Cx<'_>, name: &str, out: &mut Vec<Event>) {
        let service = &self.services[name];
        let deployment = service.deployment.clone().expect("deploying");
        let config = service.deployment_configuration.clone();
        let desired = service.desired;
        let (mut new_live, mut old_live, mut healthy, mut new_healthy) =
            (0u32, Vec::new(), 0u32, 0u32);
        for id in &service.tasks {
            let task = &self.tasks[id];
            if task.state > TaskState::Running {
                continue;
            }
            let is_new = task.revision == deployment.to && task_number(id) >= deployment.first_task;
            let is_healthy = task.state == TaskState::Running && task.healthy;
            healthy += u32::from(is_healthy);
            if is_new {
                new_live += 1;
                new_healthy += u32::from(is_healthy);
            } else {
                old_live.push((task_number(id), id.clone(), is_healthy));
            }
        }
        let max_total = (u64::from(desired) * u64::from(config.maximum_percent) / 100)
            .min(u64::from(u32::MAX)) as u32;
        let min_healthy =
            (u64::from(desired) * u64::from(config.minimum_healthy_percent)).div_ceil(100) as u32;
        // Stop old tasks while enough stay healthy (unhealthy ones first).
        // (Unhealthy before healthy, newest first: one u64 key for the
        // model's shared sort; task numbers stay far below 2^63.)
        crate::order::sort_by_u64_key(&mut old_live, |(number, _, is_healthy)| {
            (u64::from(*is_healthy) << 63) | ((1 << 63) - 1 - number.min(&((1 << 63) - 1)))
        });
        let mut stoppable = healthy.saturating_sub(min_healthy);
        let total_live = new_live + old_live.len() as u32;
        let old_count = old_live.len() as u32;
        // Old tasks go for two reasons: healthy new tasks have replaced them,
        // or maximumPercent leaves no room to start the new ones.
        let replaced = old_count.saturating_sub(desired.saturating_sub(new_healthy));
        let for_room = desired
            .saturating_sub(new_live)
            .saturating_sub(max_total.saturating_sub(total_live));
        let limit = replaced.max(for_room).min(old_count);
        let mut to_stop = Vec::new();
        for (_, id, is_healthy) in &old_live {
            if to_stop.len() as u32 >= limit {
                break;
            }
            if *is_healthy {
                if stoppable == 0 {
                    break;
                }
                stoppable -= 1;
            }
            to_stop.push(id.clone());
        }
        for id in &to_stop {
            self.stop_task(
                cx,
                id,
                &format!(
                    "Deployment to {}: replaced by a task of the new revision.",
                    deployment.to
                ),
                out,
            );
        }
        // Start new tasks within maximumPercent.
        let live_after = total_live - to_stop.len() as u32;
        let room = if self.may_launch(cx, name) {
            max_total
                .saturating_sub(live_after)
                .min(desired.saturating_sub(new_live))
        } else {
            0
        };
        let (cluster, capacity) = (
            self.services[name].cluster.clone(),
            self.services[name].capacity.clone(),
        );
        let revision = deployment.to.clone();
        let public_ip = self.services[name].public_ip;
        let mut started = 0;
        for _ in 0..room {
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
                self.services
                    .get_mut(name)
                    .expect("exists")
                    .tasks
                    .insert(id);
                started += 1;
            } else {
                break;
            }
        }
        // A full cluster: new tasks that found no room. Within
        // minimumHealthyPercent the scheduler stops old tasks first to make
        // room for them; they are placed when the old ones have stopped.
        let mut making_room = Vec::new();
        for (_, id, is_healthy) in &old_live {
            if making_room.len() as u32 >= room - started {
                break;
            }
            if to_stop.contains(id) {
                continue;
            }
            if *is_healthy {
                if stoppable == 0 {
                    break;
                }
                stoppable -= 1;
            }
            making_room.push(id.clone());
        }
        for id in &making_room {
            self.stop_task(
                cx,
                id,
                &format!(
                    "Deployment to {}: stopped to make room for a task of the new revision (minimumHealthyPercent {}).",
                    deployment.to, config.minimum_healthy_percent
                ),
                out,
            );
        }
        to_stop.extend(making_room);
        if old_live.len() == to_stop.len() && new_healthy >= desired {
            let service = self.services.get_mut(name).expect("exists");
            service.revision = deployment.to.clone();
            service.deployment = None;
            cx.emit(
                out,
                What::DeploymentCompleted {
                    service: name.into(),
                    revision: deployment.to.to_string(),
                    rolled_back: deployment.rollback,
                },
            );
        }
    }

    /// A new task of a deployment stopped before it became healthy.
    pub(super) fn deployment_task_failed(
        &mut self,
        cx: &Env<'_>,
        name: &str,
        out: &mut Vec<Event>,
    ) {
        let Some(service) = self.services.get_mut(name) else {
            return;
        };
        let Some(deployment) = service.deployment.as_mut() else {
            return;
        };
        deployment.failed_tasks += 1;
        let Some(breaker) = service
            .deployment_configuration
            .deployment_circuit_breaker
            .filter(|b| b.enable)
        else {
            return;
        };
        // AWS: the threshold is half the desired count, at least 3 and at most 200.
        let threshold = service.desired.div_ceil(2).clamp(3, 200);
        if deployment.failed_tasks < threshold || deployment.rollback {
            return;
        }
        let failed = deployment.clone();
        let reason = format!(
            "{} new tasks failed to start (the threshold is {threshold})",
            failed.failed_tasks
        );
        if breaker.rollback {
            service.deployment = Some(Deployment {
                from: failed.to.clone(),
                to: failed.from.clone(),
                failed_tasks: 0,
                started_at: cx.now,
                rollback: true,
                // Tasks of the revision rolled back to are kept, whenever
                // they started.
                first_task: 0,
            });
        } else {
            service.deployment = None;
        }
        cx.emit(
            out,
            What::DeploymentFailed {
                service: name.into(),
                revision: failed.to.to_string(),
                reason,
                rolling_back: breaker.rollback,
            },
        );
    }

    pub(super) fn check_steady(&mut self, cx: &Env<'_>, name: &str, out: &mut Vec<Event>) {
        let Some(service) = self.services.get(name) else {
            return;
        };
        let healthy = service.counts.healthy;
        let others = service.counts.unstopped() - healthy;
        if !service.steady && healthy == service.desired && others == 0 {
            self.services.get_mut(name).expect("exists").steady = true;
            cx.emit(
                out,
                What::ServiceSteadyState {
                    service: name.into(),
                    running: healthy,
                },
            );
        }
    }
}
