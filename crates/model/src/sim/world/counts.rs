//! A service's tasks counted by state, zone, instance and provider, kept up to
//! date as tasks change (so the scheduler never scans tasks), the metrics
//! scaling reads from them, and the audit that recounts everything in tests.

use super::*;

/// A service's tasks counted by state and by where they run, kept up to
/// date as tasks change, so that the scheduler never scans the service's
/// tasks to decide (a day with 10,000 tasks must stay cheap).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceCounts {
    pub by_state: [u32; 8],
    /// Tasks not yet STOPPED, per Availability Zone, instance and provider.
    pub per_az: BTreeMap<String, u32>,
    pub per_instance: BTreeMap<String, u32>,
    pub per_provider: BTreeMap<String, u32>,
    /// RUNNING tasks that count as healthy.
    pub healthy: u32,
    /// Live tasks (up to RUNNING) on DRAINING instances: still serving,
    /// but no longer counted towards the desired count.
    pub draining: u32,
}

impl ServiceCounts {
    pub fn count(&self, state: TaskState) -> u32 {
        self.by_state[state as usize]
    }

    /// Tasks on their way up or running: what the desired count is met by.
    pub fn live(&self) -> u32 {
        TaskState::ALL
            .iter()
            .filter(|s| **s <= TaskState::Running)
            .map(|s| self.count(*s))
            .sum()
    }

    /// Every task not yet STOPPED.
    pub fn unstopped(&self) -> u32 {
        TaskState::ALL
            .iter()
            .filter(|s| **s != TaskState::Stopped)
            .map(|s| self.count(*s))
            .sum()
    }
}

pub(super) fn bump(map: &mut BTreeMap<String, u32>, key: &str, delta: i32) {
    let entry = map.entry(key.to_string()).or_insert(0);
    *entry = entry.saturating_add_signed(delta);
    if *entry == 0 {
        map.remove(key);
    }
}

impl Ecs {
    /// One service's numbers now.
    pub(super) fn service_snapshot(&self, cx: &Env<'_>, name: &str) -> Option<ServiceSnapshot> {
        let service = self.services.get(name)?;
        let (running, pending) = self.service_counts(service);
        let demand = service.load.as_ref().map_or(0.0, |load| load.at(cx.now));
        Some(ServiceSnapshot {
            service: name.to_string(),
            desired: service.desired,
            running,
            pending: pending + service.unplaced,
            demand,
            cpu_utilization: self.utilization(cx, service),
        })
    }

    pub(super) fn service_counts(&self, service: &Service) -> (u32, u32) {
        let counts = &service.counts;
        let pending = [
            TaskState::Provisioning,
            TaskState::Pending,
            TaskState::Activating,
        ]
        .iter()
        .map(|s| counts.count(*s))
        .sum();
        (counts.count(TaskState::Running), pending)
    }

    /// The service's CPUUtilization as CloudWatch reports it: CPU used by
    /// its running tasks over the CPU they reserve, in percent. The load is
    /// shared evenly. A task with a hard cap (task-level `cpu`, always the
    /// case on Fargate) uses at most what it reserves, so the figure stops
    /// at 100%. On EC2 without task-level `cpu`, container `cpu` is only a
    /// relative share: a busy task also uses CPU its instance has left
    /// unreserved, and the figure goes above 100% (a task reserving 256
    /// units that keeps a whole vCPU busy reads 400%). Dockyard lets a task
    /// borrow only unreserved CPU, not other tasks' idle reservations.
    pub(super) fn utilization(&self, cx: &Env<'_>, service: &Service) -> f64 {
        let demand = service.load.as_ref().map_or(0.0, |load| load.at(cx.now));
        let count = service.counts.count(TaskState::Running);
        let reserved_each = f64::from(service.task_cpu.max(1));
        if count > 0 && demand / f64::from(count) <= reserved_each {
            // No task needs more than it reserved: no cap matters, and the
            // metric tick need not visit every task.
            return demand / (f64::from(count) * reserved_each) * 100.0;
        }
        let running: Vec<&Task> = service
            .tasks
            .iter()
            .filter_map(|id| self.tasks.get(id))
            .filter(|t| t.state == TaskState::Running)
            .collect();
        if running.is_empty() {
            return if demand > 0.0 { 100.0 } else { 0.0 };
        }
        let each = demand / running.len() as f64;
        let (mut used, mut reserved) = (0.0, 0.0);
        for task in running {
            let own = f64::from(task.cpu.max(1));
            let capped = task.cpu == 0
                || self
                    .definitions
                    .get(&task.revision)
                    .is_some_and(|d| d.cpu.is_some());
            let limit = match &task.placement {
                Placement::Ec2 { instance, .. } if !capped => {
                    self.instances.get(instance).map_or(own, |i| {
                        own + f64::from(i.cpu_total.saturating_sub(i.cpu_used))
                    })
                }
                _ => own,
            };
            used += each.min(limit);
            reserved += own;
        }
        used / reserved * 100.0
    }

    /// A scaling metric of the service now: average CPU or memory
    /// utilisation of its running tasks in percent, or requests per target
    /// per minute.
    pub(super) fn metric(&self, cx: &Env<'_>, service: &Service, metric: Metric) -> f64 {
        let running = f64::from(service.counts.count(TaskState::Running));
        let at = |curve: &Option<LoadCurve>| curve.as_ref().map_or(0.0, |c| c.at(cx.now));
        match metric {
            Metric::Cpu => self.utilization(cx, service),
            Metric::Memory => {
                let demand = at(&service.memory_load);
                let capacity = running * f64::from(service.task_memory.max(1));
                if capacity == 0.0 {
                    if demand > 0.0 {
                        100.0
                    } else {
                        0.0
                    }
                } else {
                    demand / capacity * 100.0
                }
            }
            Metric::RequestsPerTarget => at(&service.request_load) / running.max(1.0),
        }
    }

    /// Adds (`delta` 1) or removes (-1) a task from its service's counts;
    /// called around every change of a task's state, placement or health.
    pub(super) fn index(&mut self, task_id: &str, delta: i32) {
        let task = &self.tasks[task_id];
        let Some(service) = task.service.as_ref() else {
            return;
        };
        let state = task.state;
        let az = match &task.placement {
            Placement::Ec2 { az, .. } | Placement::Fargate { az, .. } => Some(az.clone()),
            Placement::AwaitingCapacity { .. } => None,
        };
        let instance = match &task.placement {
            Placement::Ec2 { instance, .. } => Some(instance.clone()),
            _ => None,
        };
        let provider = task.provider_choice.clone();
        let healthy = task.healthy && state == TaskState::Running;
        let draining = state <= TaskState::Running
            && instance
                .as_ref()
                .is_some_and(|i| self.instances.get(i).is_some_and(|i| i.draining));
        let Some(service) = self.services.get_mut(service) else {
            return;
        };
        let counts = &mut service.counts;
        counts.by_state[state as usize] =
            counts.by_state[state as usize].saturating_add_signed(delta);
        if healthy {
            counts.healthy = counts.healthy.saturating_add_signed(delta);
        }
        if draining {
            counts.draining = counts.draining.saturating_add_signed(delta);
        }
        if state != TaskState::Stopped {
            if let Some(az) = &az {
                bump(&mut counts.per_az, az, delta);
            }
            if let Some(instance) = instance {
                let before = counts.per_instance.get(&instance).copied().unwrap_or(0);
                bump(&mut counts.per_instance, &instance, delta);
                let after = counts.per_instance.get(&instance).copied().unwrap_or(0);
                if let Some(az) = &az {
                    service.spread.recount(az, &instance, before, after);
                }
            }
            if let Some(provider) = provider {
                bump(&mut counts.per_provider, &provider, delta);
            }
        }
    }

    /// Recounts every service from its tasks and compares with the kept
    /// counts (for tests: the counts are an optimisation, not the truth).
    pub(super) fn audit(&self) -> Result<(), String> {
        for service in self.services.values() {
            let mut fresh = ServiceCounts::default();
            for task in self
                .tasks
                .values()
                .filter(|t| t.service.as_deref() == Some(service.name.as_str()))
            {
                fresh.by_state[task.state as usize] += 1;
                if task.healthy && task.state == TaskState::Running {
                    fresh.healthy += 1;
                }
                if let Placement::Ec2 { instance, .. } = &task.placement {
                    if task.state <= TaskState::Running
                        && self.instances.get(instance).is_some_and(|i| i.draining)
                    {
                        fresh.draining += 1;
                    }
                }
                if task.state != TaskState::Stopped {
                    match &task.placement {
                        Placement::Ec2 { az, instance } => {
                            bump(&mut fresh.per_az, az, 1);
                            bump(&mut fresh.per_instance, instance, 1);
                        }
                        Placement::Fargate { az, .. } => bump(&mut fresh.per_az, az, 1),
                        Placement::AwaitingCapacity { .. } => {}
                    }
                    if let Some(provider) = &task.provider_choice {
                        bump(&mut fresh.per_provider, provider, 1);
                    }
                }
            }
            if fresh != service.counts {
                return Err(format!(
                    "service {}: kept {:?}, recounted {:?}",
                    service.name, service.counts, fresh
                ));
            }
        }
        self.audit_indexes()
    }

    /// Rebuilds the placement indexes from the instances and compares.
    pub(super) fn audit_indexes(&self) -> Result<(), String> {
        let mut pools: BTreeMap<PoolKey, BTreeSet<(String, u32, u32)>> = BTreeMap::new();
        for instance in self
            .instances
            .values()
            .filter(|i| i.registered && !i.draining)
        {
            let (cpu, memory) = Self::free_room(instance);
            pools.entry(Self::pool_key(instance)).or_default().insert((
                instance.id.clone(),
                cpu,
                memory,
            ));
        }
        for (key, pool) in &self.pools {
            let kept: BTreeSet<(String, u32, u32)> = pool
                .ids()
                .map(|id| {
                    let (cpu, memory) = Self::free_room(&self.instances[id]);
                    (id.clone(), cpu, memory)
                })
                .collect();
            let fresh = pools.remove(key).unwrap_or_default();
            if kept != fresh || !pool.agrees_with(&fresh) {
                return Err(format!("pool {key:?}: kept {kept:?}, rebuilt {fresh:?}"));
            }
        }
        if let Some((key, _)) = pools.iter().find(|(_, p)| !p.is_empty()) {
            return Err(format!("pool {key:?} has no index"));
        }
        for service in self.services.values() {
            let mut fresh = SpreadIndex::default();
            for instance in self.instances.values().filter(|i| {
                i.registered
                    && !i.draining
                    && i.cluster == service.cluster
                    && Self::uses_pool(service, i.provider.as_deref())
            }) {
                let count = service
                    .counts
                    .per_instance
                    .get(&instance.id)
                    .copied()
                    .unwrap_or(0);
                fresh.insert(&instance.az, &instance.id, count);
            }
            if fresh != service.spread {
                return Err(format!(
                    "service {}: spread index {:?}, rebuilt {:?}",
                    service.name, service.spread, fresh
                ));
            }
        }
        for provider in self.providers.values() {
            let mine = || provider.instances.iter().map(|id| &self.instances[id]);
            let booting: BTreeSet<String> = mine()
                .filter(|i| !i.registered)
                .map(|i| i.id.clone())
                .collect();
            let idle: BTreeSet<String> = mine()
                .filter(|i| i.registered && !i.draining && i.tasks.is_empty())
                .map(|i| i.id.clone())
                .collect();
            let draining: BTreeSet<String> = mine()
                .filter(|i| i.draining)
                .map(|i| i.id.clone())
                .collect();
            if booting != provider.booting || idle != provider.idle || draining != provider.draining
            {
                return Err(format!(
                    "provider {}: booting {:?} idle {:?}, rebuilt {booting:?} {idle:?}",
                    provider.name, provider.booting, provider.idle
                ));
            }
        }
        Ok(())
    }
}
