//! Placement (rules §6.4): which capacity provider, zone and instance a task
//! goes to. Resources first, then the binding constraints, then the
//! strategies, best effort, in order; and why a task could not be placed.

use super::*;

/// What one placement chooses from.
#[derive(Clone, Copy)]
pub(super) enum Candidates<'a> {
    /// A pool, through its indexes.
    Pool(&'a PoolKey),
    /// Launch type EC2: every pool of the cluster (the instances launched
    /// by hand and those of each capacity provider).
    Cluster(&'a str),
    /// One instance that just gained room.
    One(&'a str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Misfit {
    Unavailable,
    Room,
    Port,
    Eni,
    Constraint,
}

impl Ecs {
    pub(super) fn choose_provider(
        &mut self,
        service: Option<&str>,
        capacity: &Capacity,
    ) -> Option<String> {
        let Capacity::Strategy(items) = capacity else {
            return None;
        };
        // Base first, then split by weight (rules §6.3).
        let per_provider = service
            .and_then(|s| self.services.get(s))
            .map(|s| s.counts.per_provider.clone())
            .unwrap_or_default();
        // Inserted one by one: collect() would compile a sort of its own.
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        counts.extend(items.iter().map(|item| {
            let count = per_provider.get(&item.capacity_provider).copied();
            (item.capacity_provider.clone(), count.unwrap_or(0))
        }));
        if let Some(item) = items
            .iter()
            .find(|i| i.base > 0 && counts[&i.capacity_provider] < i.base)
        {
            return Some(item.capacity_provider.clone());
        }
        items
            .iter()
            .filter(|i| i.weight > 0)
            .min_by(|a, b| {
                let score = |i: &StrategyItem| {
                    f64::from(counts[&i.capacity_provider].saturating_sub(i.base))
                        / f64::from(i.weight)
                };
                score(a).total_cmp(&score(b))
            })
            .map(|i| i.capacity_provider.clone())
    }

    pub(super) fn fargate_az(&self, cx: &Env<'_>, service: Option<&str>) -> Option<String> {
        let live: Vec<&String> = cx
            .azs
            .iter()
            .filter(|az| !cx.lost_azs.contains(*az))
            .collect();
        let per_az = service
            .and_then(|s| self.services.get(s))
            .map(|s| &s.counts.per_az);
        let count = |az: &str| per_az.and_then(|m| m.get(az)).copied().unwrap_or(0);
        live.into_iter().min_by_key(|az| count(az)).cloned()
    }

    /// Placement on EC2 (rules §6.4): resources, then the binding
    /// constraints, then the strategies, best effort, in order.
    pub(super) fn choose_instance(
        &mut self,
        cx: &mut Cx<'_>,
        task: &Task,
        candidates: Candidates,
        service: Option<&str>,
    ) -> Result<(String, String), String> {
        let fleet = Fleet {
            instances: &self.instances,
            pools: &self.pools,
            lost_azs: &cx.env.account.lost_azs,
        };
        let service = service.and_then(|name| self.services.get(name));
        match candidates {
            Candidates::One(id) => {
                let one = [id.to_string()];
                fleet.scan_for_instance(cx.rng, task, one.iter(), 1, service)
            }
            Candidates::Pool(key) => fleet.choose_in_pool(cx.rng, task, key, service),
            Candidates::Cluster(cluster) => {
                let pools: Vec<(&PoolKey, &PoolIndex)> = self
                    .pools
                    .iter()
                    .filter(|(key, pool)| key.0 == cluster && !pool.is_empty())
                    .collect();
                match pools.as_slice() {
                    // One pool (the common case): its indexes answer.
                    [(key, _)] => fleet.choose_in_pool(cx.rng, task, key, service),
                    _ => {
                        let count = pools.iter().map(|(_, pool)| pool.len()).sum();
                        let ids = pools.iter().flat_map(|(_, pool)| pool.ids());
                        fleet.scan_for_instance(cx.rng, task, ids, count, service)
                    }
                }
            }
        }
    }
}

/// What a placement decision reads: the instances, the pool indexes and the
/// lost zones, borrowed apart from the rest of the world so that a choice can
/// draw from the world's rng while it reads them.
pub(super) struct Fleet<'w> {
    instances: &'w BTreeMap<String, Instance>,
    pools: &'w BTreeMap<PoolKey, PoolIndex>,
    lost_azs: &'w BTreeSet<String>,
}

impl Fleet<'_> {
    /// A pool's indexes answer the common strategies by looking at the
    /// best candidates first; anything else, and every failure, falls back
    /// to the full scan, which also explains what did not fit.
    pub(super) fn choose_in_pool(
        &self,
        rng: &mut Rng,
        task: &Task,
        key: &PoolKey,
        service: Option<&Service>,
    ) -> Result<(String, String), String> {
        let Some(pool) = self.pools.get(key).filter(|p| !p.is_empty()) else {
            return Err("no container instance is registered to place it on".into());
        };
        // The most free cpu and memory anywhere bound every instance: when
        // either is too small nothing fits, and no scan is needed to say so.
        let (cpu, cpu_on) = pool.most_free_cpu().expect("not empty");
        let (memory, memory_on) = pool.most_free_memory().expect("not empty");
        if *memory < task.memory || *cpu < task.cpu {
            let mut reasons = Vec::new();
            if *memory < task.memory {
                reasons.push(format!(
                    "needs {} MiB, the largest free memory is {memory} MiB on {memory_on}",
                    task.memory
                ));
            }
            if *cpu < task.cpu {
                reasons.push(format!(
                    "needs {} CPU units, the most free is {cpu} on {cpu_on}",
                    task.cpu
                ));
            }
            return Err(reasons.join("; "));
        }
        if let Some(found) = self.indexed_choice(rng, task, pool, service) {
            // In tests, the indexes must pick what scoring every instance
            // picks, wherever the strategies define a single best instance
            // (random draws and a lone zone spread break ties differently).
            #[cfg(debug_assertions)]
            if let Some(service) = service {
                let exact = match service.strategies.as_slice() {
                    [Strategy::Binpack(_)] => true,
                    [Strategy::Spread(f)] => !f.contains("availability-zone"),
                    [Strategy::Spread(a), Strategy::Spread(b)] => {
                        a.contains("availability-zone") && !b.contains("availability-zone")
                    }
                    _ => false,
                };
                if exact {
                    let scanned =
                        self.scan_for_instance(rng, task, pool.ids(), pool.len(), Some(service));
                    assert_eq!(
                        scanned.as_ref().map(|(id, _)| id),
                        Ok(&found.0),
                        "index and scan disagree for {:?}",
                        service.strategies
                    );
                }
            }
            return Ok(found);
        }
        self.scan_for_instance(rng, task, pool.ids(), pool.len(), service)
    }

    pub(super) fn indexed_choice(
        &self,
        rng: &mut Rng,
        task: &Task,
        pool: &PoolIndex,
        service: Option<&Service>,
    ) -> Option<(String, String)> {
        const RANDOM: &[Strategy] = &[Strategy::Random];
        let strategies = service.map_or(RANDOM, |s| s.strategies.as_slice());
        let fits = |id: &str| self.misfit(&self.instances[id], task, service).is_none();
        let of = format!("(of {} instances)", pool.len());
        let is_az =
            |s: &Strategy| matches!(s, Strategy::Spread(f) if f.contains("availability-zone"));
        let is_instance =
            |s: &Strategy| matches!(s, Strategy::Spread(f) if !f.contains("availability-zone"));
        match strategies {
            [Strategy::Random] => {
                // Uniform over the instances that fit, by rejection; when
                // few fit, the scan finds them.
                (0..32).find_map(|_| {
                    let id = pool.nth(rng.below(pool.len() as u64) as usize);
                    fits(id).then(|| {
                        (
                            id.to_string(),
                            format!("random among the instances that fit {of}"),
                        )
                    })
                })
            }
            [Strategy::Binpack(field)] => {
                let (need, mut candidates): (u32, Box<dyn Iterator<Item = &(u32, String)>>) =
                    if field == "cpu" {
                        (task.cpu, Box::new(pool.tightest_cpu(task.cpu)))
                    } else {
                        (task.memory, Box::new(pool.tightest_memory(task.memory)))
                    };
                candidates.find(|(_, id)| fits(id)).map(|(free, id)| {
                    (
                        id.clone(),
                        format!(
                            "binpack on {field}: it leaves {} free, the least {of}",
                            free - need
                        ),
                    )
                })
            }
            [first, rest @ ..] if (is_az(first) || is_instance(first)) && rest.len() <= 1 => {
                let service = service?;
                if let Some(second) = rest.first() {
                    if !(is_az(first) && is_instance(second)) {
                        return None;
                    }
                }
                let distinct = service.constraints.contains(&Constraint::DistinctInstance);
                // The least loaded instance that fits in one zone's index.
                let best_in = |az: &String| {
                    service.spread.per_az[az]
                        .iter()
                        .take_while(|(count, _)| !distinct || *count == 0)
                        .find(|(_, id)| pool.contains(id) && fits(id))
                };
                if is_az(first) {
                    // Zones with the fewest of the service's tasks first;
                    // among zones tied, the least loaded instance.
                    let mut zones: Vec<(u32, &String)> = service
                        .spread
                        .per_az
                        .keys()
                        .filter(|az| !self.lost_azs.contains(*az))
                        .map(|az| (service.counts.per_az.get(az).copied().unwrap_or(0), az))
                        .collect();
                    zones.sort_unstable();
                    for group in zones.chunk_by(|a, b| a.0 == b.0) {
                        if let Some(((count, id), az)) = group
                            .iter()
                            .filter_map(|(_, az)| best_in(az).map(|found| (found, *az)))
                            .min()
                        {
                            return Some((
                                id.clone(),
                                format!(
                                    "spread by Availability Zone: {az} had {} of this service's tasks, the fewest; this instance had {count} {of}",
                                    group[0].0
                                ),
                            ));
                        }
                    }
                    None
                } else {
                    let (count, id) = service.spread.per_az.keys().filter_map(best_in).min()?;
                    Some((
                        id.clone(),
                        format!(
                            "spread by instance: it had {count} of this service's tasks, the fewest {of}"
                        ),
                    ))
                }
            }
            _ => None,
        }
    }

    /// Why `instance` cannot take `task`, or `None` when it can.
    pub(super) fn misfit(
        &self,
        instance: &Instance,
        task: &Task,
        service: Option<&Service>,
    ) -> Option<Misfit> {
        if !instance.registered || instance.draining || self.lost_azs.contains(&instance.az) {
            return Some(Misfit::Unavailable);
        }
        let (free_cpu, free_memory) = Ecs::free_room(instance);
        if free_memory < task.memory || free_cpu < task.cpu {
            return Some(Misfit::Room);
        }
        if task
            .host_ports
            .iter()
            .any(|p| instance.ports_used.contains(p))
        {
            return Some(Misfit::Port);
        }
        if task.awsvpc && instance.enis_used >= instance.enis_total {
            return Some(Misfit::Eni);
        }
        if let Some(service) = service {
            if !service
                .constraints
                .iter()
                .all(|c| self.satisfies(instance, c, service))
            {
                return Some(Misfit::Constraint);
            }
        }
        None
    }

    /// Every candidate, scored by every strategy: the reference the
    /// indexes must agree with, and the explanation when nothing fits.
    pub(super) fn scan_for_instance<'a>(
        &self,
        rng: &mut Rng,
        task: &Task,
        candidates: impl Iterator<Item = &'a String>,
        pool_len: usize,
        service: Option<&Service>,
    ) -> Result<(String, String), String> {
        if pool_len == 0 {
            return Err("no container instance is registered to place it on".into());
        }
        let mut fitting = Vec::new();
        let mut most_memory: Option<(u32, &str)> = None;
        let mut most_cpu: Option<(u32, &str)> = None;
        let mut port_conflicts = 0;
        let mut eni_full = 0;
        let mut constrained = 0;
        for id in candidates {
            let instance = &self.instances[id];
            let misfit = self.misfit(instance, task, service);
            if misfit == Some(Misfit::Unavailable) {
                continue;
            }
            let (free_cpu, free_memory) = Ecs::free_room(instance);
            if most_memory.is_none_or(|(m, _)| free_memory > m) {
                most_memory = Some((free_memory, id));
            }
            if most_cpu.is_none_or(|(c, _)| free_cpu > c) {
                most_cpu = Some((free_cpu, id));
            }
            match misfit {
                None => fitting.push(id.clone()),
                Some(Misfit::Port) => port_conflicts += 1,
                Some(Misfit::Eni) => eni_full += 1,
                Some(Misfit::Constraint) => constrained += 1,
                Some(Misfit::Room | Misfit::Unavailable) => {}
            }
        }
        if fitting.is_empty() {
            let mut reasons = Vec::new();
            if let Some((memory, on)) = most_memory {
                if memory < task.memory {
                    reasons.push(format!(
                        "needs {} MiB, the largest free memory is {memory} MiB on {on}",
                        task.memory
                    ));
                }
            }
            if let Some((cpu, on)) = most_cpu {
                if cpu < task.cpu {
                    reasons.push(format!(
                        "needs {} CPU units, the most free is {cpu} on {on}",
                        task.cpu
                    ));
                }
            }
            if port_conflicts > 0 {
                reasons.push(format!(
                    "its host port is already in use on {port_conflicts} instance(s)"
                ));
            }
            if eni_full > 0 {
                reasons.push(format!(
                    "no free ENI for an awsvpc task on {eni_full} instance(s)"
                ));
            }
            if constrained > 0 {
                reasons.push(format!(
                    "{constrained} instance(s) fit but break a placement constraint"
                ));
            }
            if reasons.is_empty() {
                reasons.push("every instance is in an unavailable Availability Zone".into());
            }
            return Err(reasons.join("; "));
        }
        let strategies = service
            .map(|s| s.strategies.clone())
            .unwrap_or_else(|| vec![Strategy::Random]);
        // Services have at most 5 strategies: a fixed key avoids an
        // allocation per candidate instance.
        let mut best: Option<([i64; 5], &String)> = None;
        for id in &fitting {
            let instance = &self.instances[id];
            let mut key = [0i64; 5];
            for (slot, strategy) in key.iter_mut().zip(&strategies) {
                *slot = match strategy {
                    Strategy::Spread(field) if field.contains("availability-zone") => {
                        Self::service_tasks_in(service, |c| c.per_az.get(&instance.az).copied())
                    }
                    Strategy::Spread(_) => Self::service_tasks_in(service, |c| {
                        c.per_instance.get(&instance.id).copied()
                    }),
                    Strategy::Binpack(field) if field == "cpu" => {
                        i64::from(instance.cpu_total - instance.cpu_used - task.cpu)
                    }
                    Strategy::Binpack(_) => {
                        i64::from(instance.memory_total - instance.memory_used - task.memory)
                    }
                    Strategy::Random => rng.below(1 << 30) as i64,
                };
            }
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, id));
            }
        }
        let (key, chosen) = best.expect("fitting is not empty");
        let chosen = chosen.clone();
        let instance = &self.instances[&chosen];
        let reason = match strategies.first() {
            Some(Strategy::Spread(field)) if field.contains("availability-zone") => {
                format!(
                    "spread by Availability Zone: {} had {} of this service's tasks, the fewest",
                    instance.az, key[0]
                )
            }
            Some(Strategy::Spread(_)) => format!(
                "spread by instance: it had {} of this service's tasks, the fewest",
                key[0]
            ),
            Some(Strategy::Binpack(field)) => {
                format!("binpack on {field}: it leaves {} free, the least", key[0])
            }
            _ => "random among the instances that fit".to_string(),
        };
        Ok((
            chosen,
            format!("{reason} ({} of {pool_len} instances fit)", fitting.len()),
        ))
    }

    pub(super) fn service_tasks_in(
        service: Option<&Service>,
        pick: impl Fn(&ServiceCounts) -> Option<u32>,
    ) -> i64 {
        service.and_then(|s| pick(&s.counts)).map_or(0, i64::from)
    }

    pub(super) fn satisfies(
        &self,
        instance: &Instance,
        constraint: &Constraint,
        service: &Service,
    ) -> bool {
        match constraint {
            Constraint::DistinctInstance => {
                !instance.tasks.iter().any(|t| service.tasks.contains(t))
            }
            Constraint::MemberOf(expression) => member_of(expression, instance),
        }
    }
}

impl Ecs {
    pub(super) fn place_on(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        instance_id: &str,
        reason: &str,
        out: &mut Vec<Event>,
    ) {
        let (az, cpu, memory, awsvpc, ports, service) = {
            let task = &self.tasks[task_id];
            (
                self.instances[instance_id].az.clone(),
                task.cpu,
                task.memory,
                task.awsvpc,
                task.host_ports.clone(),
                task.service.clone(),
            )
        };
        let bindings = self.bind_ports(task_id, instance_id);
        let dynamic: Vec<u32> = bindings
            .iter()
            .map(|b| b.host_port)
            .filter(|port| !ports.contains(port))
            .collect();
        self.change_room(instance_id, |instance| {
            instance.cpu_used += cpu;
            instance.memory_used += memory;
            if awsvpc {
                instance.enis_used += 1;
            }
            instance.ports_used.extend(ports);
            instance.ports_used.extend(dynamic.iter().copied());
            instance.tasks.insert(task_id.to_string());
        });
        let placement = Placement::Ec2 {
            instance: instance_id.to_string(),
            az,
        };
        self.index(task_id, -1);
        let task = self.tasks.get_mut(task_id).expect("exists");
        task.placement = placement.clone();
        task.reason = reason.to_string();
        // Dynamic ports are held like static ones, and freed with them when
        // the task stops.
        task.host_ports.extend(dynamic);
        task.network_bindings = bindings;
        self.index(task_id, 1);
        cx.emit(
            out,
            What::TaskPlaced {
                task: task_id.into(),
                service,
                placement,
                reason: reason.into(),
            },
        );
        let provisioning = if awsvpc {
            cx.params.eni_attach_seconds
        } else {
            0
        };
        self.schedule_step(cx, task_id, TaskState::Pending, seconds(provisioning));
    }

    /// The host port of each container port of a bridge- or host-mode task
    /// placed on `instance_id`: a fixed `hostPort` as given (host mode: the
    /// container port itself), otherwise the first port of
    /// [`DYNAMIC_HOST_PORTS`] the instance is not using.
    fn bind_ports(&self, task_id: &str, instance_id: &str) -> Vec<NetworkBinding> {
        let task = &self.tasks[task_id];
        let Some(definition) = self.definitions.get(&task.revision) else {
            return Vec::new();
        };
        let mode = definition.network_mode.as_deref().unwrap_or("bridge");
        if !matches!(mode, "bridge" | "host") {
            return Vec::new();
        }
        let in_use = &self.instances[instance_id].ports_used;
        let mut free = DYNAMIC_HOST_PORTS
            .filter(|port| !in_use.contains(port) && !task.host_ports.contains(port));
        let mut bindings = Vec::new();
        for container in &definition.container_definitions {
            for mapping in container.port_mappings.iter().flatten() {
                let Some(container_port) =
                    mapping.container_port.and_then(|p| u32::try_from(p).ok())
                else {
                    continue;
                };
                let fixed = match mode {
                    "host" => Some(container_port),
                    _ => mapping
                        .host_port
                        .filter(|port| *port > 0)
                        .and_then(|port| u32::try_from(port).ok()),
                };
                let Some(host_port) = fixed.or_else(|| free.next()) else {
                    continue;
                };
                bindings.push(NetworkBinding {
                    container_name: container.name.clone(),
                    container_port,
                    host_port,
                    protocol: mapping.protocol.clone().unwrap_or_else(|| "tcp".into()),
                });
            }
        }
        bindings
    }

    /// Places the provider's waiting tasks on `instance`, which just gained
    /// room (it registered, or a task on it stopped): only that instance can
    /// have changed, so only it is tried.
    pub(super) fn place_waiting(
        &mut self,
        cx: &mut Cx<'_>,
        provider: &str,
        instance: &str,
        out: &mut Vec<Event>,
    ) {
        // First come, first placed: stop at the first task that does not fit.
        while let Some(task_id) = self.providers[provider].waiting.front().cloned() {
            let task = self.tasks[&task_id].clone();
            match self.choose_instance(
                cx,
                &task,
                Candidates::One(instance),
                task.service.as_deref(),
            ) {
                Ok((instance, reason)) => {
                    self.providers
                        .get_mut(provider)
                        .expect("exists")
                        .waiting
                        .pop_front();
                    self.place_on(cx, &task_id, &instance, &reason, out);
                }
                Err(reason) => {
                    // The instance is full: the rest of the queue waits for
                    // the next one.
                    self.tasks.get_mut(&task_id).expect("exists").reason = reason;
                    break;
                }
            }
        }
    }
}

/// `attribute:NAME == VALUE`, `!=`, or `in [A, B]`.
pub(super) fn member_of(expression: &str, instance: &Instance) -> bool {
    let value_of = |attribute: &str| match attribute.trim() {
        "attribute:ecs.availability-zone" => Some(instance.az.as_str()),
        "attribute:ecs.instance-type" => Some(instance.instance_type),
        _ => None,
    };
    if let Some((attribute, value)) = expression.split_once("!=") {
        return value_of(attribute).is_some_and(|v| v != value.trim());
    }
    if let Some((attribute, value)) = expression.split_once("==") {
        return value_of(attribute).is_some_and(|v| v == value.trim());
    }
    if let Some((attribute, list)) = expression.split_once(" in ") {
        let list = list.trim().trim_start_matches('[').trim_end_matches(']');
        return value_of(attribute).is_some_and(|v| list.split(',').any(|item| item.trim() == v));
    }
    false
}
