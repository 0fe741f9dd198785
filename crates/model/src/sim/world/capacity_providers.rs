//! Auto Scaling group capacity providers with managed scaling (rules §6.3):
//! the CapacityProviderReservation metric, scale-out for waiting tasks and
//! scale-in of idle instances.

use super::*;

impl Ecs {
    /// `CreateCapacityProvider`.
    pub(super) fn create_capacity_provider(
        &mut self,
        cx: &mut Cx<'_>,
        spec: CapacityProviderSpec,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let CapacityProviderSpec {
            cluster,
            name,
            instance_type,
            min_size,
            max_size,
            target_capacity,
            minimum_scaling_step_size,
            maximum_scaling_step_size,
            instance_warmup_period,
            spot,
        } = spec;
        self.need_cluster(&cluster)?;
        if max_size > MAX_GROUP_SIZE || min_size > max_size {
            return Err(Rejection::new(
                "group-size",
                format!("minSize ≤ maxSize ≤ {MAX_GROUP_SIZE} (Dockyard's bound), not {min_size} and {max_size}"),
            ));
        }
        let kind = catalogue::require_instance_type(&instance_type)?;
        if !(1..=100).contains(&target_capacity) {
            return Err(Rejection::new(
                "target-capacity",
                "targetCapacity is 1 to 100",
            ));
        }
        if min_size > max_size {
            return Err(Rejection::new("asg-size", "minSize is larger than maxSize"));
        }
        if name == "FARGATE" || name == "FARGATE_SPOT" || self.providers.contains_key(&name) {
            return Err(Rejection::new(
                "provider-exists",
                format!("a capacity provider called {name} already exists"),
            ));
        }
        self.providers.insert(
            name.clone(),
            CapacityProvider {
                name: name.clone(),
                cluster: cluster.clone(),
                instance_type: kind.name,
                min_size,
                max_size,
                target_capacity,
                min_step: minimum_scaling_step_size.max(1),
                max_step: maximum_scaling_step_size.max(1),
                warmup_seconds: instance_warmup_period,
                spot,
                instances: BTreeSet::new(),
                waiting: VecDeque::new(),
                reservation: 0.0,
                last_scale_out: None,
                below: 0,
                next_az: 0,
                booting: BTreeSet::new(),
                idle: BTreeSet::new(),
                draining: BTreeSet::new(),
            },
        );
        for _ in 0..min_size {
            self.provider_launch(cx, &name, out);
        }
        self.ensure_tick(cx);
        Ok(())
    }

    pub(super) fn provider_launch(
        &mut self,
        cx: &mut Cx<'_>,
        provider: &str,
        out: &mut Vec<Event>,
    ) {
        let p = self.providers.get_mut(provider).expect("exists");
        let live: Vec<String> = cx
            .azs
            .iter()
            .filter(|az| !cx.lost_azs.contains(*az))
            .cloned()
            .collect();
        if live.is_empty() {
            return;
        }
        let az = live[p.next_az % live.len()].clone();
        p.next_az += 1;
        let (cluster, kind, spot) = (
            p.cluster.clone(),
            catalogue::instance_type(p.instance_type).expect("catalogue"),
            p.spot,
        );
        let id = self.launch_instance(
            cx,
            &cluster,
            kind,
            &az,
            spot,
            Some(provider.to_string()),
            None,
            out,
        );
        let p = self.providers.get_mut(provider).expect("exists");
        p.instances.insert(id.clone());
        p.booting.insert(id);
    }

    /// Managed scaling: CapacityProviderReservation = M / N x 100, tracked to
    /// the target capacity (rules §6.3).
    pub(super) fn managed_scaling(&mut self, cx: &mut Cx<'_>, name: &str, out: &mut Vec<Event>) {
        let provider = &self.providers[name];
        let kind = catalogue::instance_type(provider.instance_type).expect("catalogue");
        // A drained instance with no tasks left is out of service: it is
        // neither needed (M) nor counted as capacity (N).
        // An instance that finished draining runs nothing and has no scale-in
        // protection: the group removes it (Dockyard does so at once rather
        // than waiting for a scale-in alarm, which is when AWS would).
        let finished: Vec<String> = provider
            .draining
            .iter()
            .filter(|id| self.instances[*id].tasks.is_empty() && self.instances[*id].registered)
            .cloned()
            .collect();
        for id in finished {
            self.terminate_instance(
                cx,
                &id,
                "it finished draining and runs no tasks, so its capacity provider scaled it in",
                out,
            );
        }
        let provider = &self.providers[name];
        let drained_empty = provider
            .draining
            .iter()
            .filter(|id| self.instances[*id].tasks.is_empty())
            .count() as u32;
        let n = provider.instances.len() as u32 - drained_empty;
        // M: the registered instances running tasks, plus the waiting tasks
        // packed next-fit onto empty instances (the booting ones first, then
        // new ones).
        // (A waiting task did not fit any registered instance when it was
        // placed, and each instance that gained room since has been offered
        // to the queue, so registered instances are not counted as room.)
        let full_cpu = kind.vcpus * 1024;
        let full_memory = kind
            .memory_mib
            .saturating_sub(cx.params.instance_reserved_memory_mib);
        let booting = provider.booting.len() as u32;
        let busy = n.saturating_sub(booting + provider.idle.len() as u32);
        let mut slots = 0u32;
        let mut room = (0u32, 0u32);
        let mut too_big = 0;
        for task in provider.waiting.iter().map(|id| &self.tasks[id]) {
            if task.cpu > full_cpu || task.memory > full_memory {
                too_big += 1;
                continue;
            }
            if room.0 < task.cpu || room.1 < task.memory {
                slots += 1;
                room = (full_cpu, full_memory);
            }
            room.0 -= task.cpu;
            room.1 -= task.memory;
        }
        let m = busy + slots;
        let reservation = if n == 0 {
            if m > 0 {
                200.0
            } else {
                100.0
            }
        } else {
            f64::from(m) / f64::from(n) * 100.0
        };
        let provider = self.providers.get_mut(name).expect("exists");
        provider.reservation = reservation;
        let target = f64::from(provider.target_capacity);
        let warm = provider
            .last_scale_out
            .is_none_or(|t| cx.now >= t + seconds(provider.warmup_seconds));
        if reservation > target && warm {
            // With no instances ECS scales out to two (200%); otherwise to
            // what M needs at the target capacity, in bounded steps.
            let wanted = if n == 0 {
                m.max(2)
            } else {
                (f64::from(m) * 100.0 / target).ceil() as u32
            };
            let step = wanted
                .saturating_sub(n)
                .clamp(provider.min_step, provider.max_step);
            // Drained instances still count against the group's maximum.
            let to = (n + step).min(provider.max_size.saturating_sub(drained_empty));
            if to > n {
                provider.last_scale_out = Some(cx.now);
                provider.below = 0;
                let reason = format!(
                    "CapacityProviderReservation {reservation:.0}% is above the {target:.0}% target: {m} instance(s) needed, {n} in the group{}.",
                    if too_big > 0 { format!("; {too_big} task(s) are larger than a {} and will wait", kind.name) } else { String::new() }
                );
                cx.emit(
                    out,
                    What::CapacityProviderScaling {
                        provider: name.into(),
                        from: n,
                        to,
                        reason,
                    },
                );
                for _ in n..to {
                    self.provider_launch(cx, name, out);
                }
            }
        } else if reservation < target {
            provider.below += 1;
            if provider.below >= cx.params.scale_in_datapoints {
                // Scale in only instances running no tasks (managed termination
                // protection keeps the others).
                let wanted = ((f64::from(m) * 100.0 / target).ceil() as u32).max(provider.min_size);
                let empty: Vec<String> = provider
                    .idle
                    .iter()
                    .take(n.saturating_sub(wanted) as usize)
                    .cloned()
                    .collect();
                if !empty.is_empty() {
                    provider.below = 0;
                    let to = n - empty.len() as u32;
                    let reason = format!("CapacityProviderReservation {reservation:.0}% is below the {target:.0}% target: empty instances are removed.");
                    cx.emit(
                        out,
                        What::CapacityProviderScaling {
                            provider: name.into(),
                            from: n,
                            to,
                            reason,
                        },
                    );
                    for id in empty {
                        self.terminate_instance(
                            cx,
                            &id,
                            "scaled in by its capacity provider (it ran no tasks)",
                            out,
                        );
                    }
                }
            }
        } else {
            provider.below = 0;
        }
    }
}
