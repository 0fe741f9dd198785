//! The placement indexes (see `super::super::pool`): each pool of
//! interchangeable instances indexed by free room, and each service's spread
//! over instances, kept in step with every change of an instance.

use super::*;

impl Ecs {
    pub(super) fn pool_key(instance: &Instance) -> PoolKey {
        (instance.cluster.clone(), instance.provider.clone())
    }

    /// Whether a service's tasks are placed on the pool of `provider`.
    /// Launch type EC2 may use every container instance of its cluster,
    /// including those a capacity provider's Auto Scaling group launched.
    pub(super) fn uses_pool(service: &Service, provider: Option<&str>) -> bool {
        match (&service.capacity, provider) {
            (Capacity::Ec2, _) => true,
            (Capacity::Strategy(items), Some(p)) => items.iter().any(|i| i.capacity_provider == p),
            _ => false,
        }
    }

    pub(super) fn free_room(instance: &Instance) -> (u32, u32) {
        (
            instance.cpu_total - instance.cpu_used,
            instance.memory_total - instance.memory_used,
        )
    }

    /// A registered instance becomes a placement candidate.
    pub(super) fn join_pool(&mut self, id: &str) {
        let instance = &self.instances[id];
        let (key, (cpu, memory), az) = (
            Self::pool_key(instance),
            Self::free_room(instance),
            instance.az.clone(),
        );
        let (idle, draining) = (instance.tasks.is_empty(), instance.draining);
        if let Some(p) = key.1.as_ref().and_then(|p| self.providers.get_mut(p)) {
            p.booting.remove(id);
            if idle && !draining {
                p.idle.insert(id.to_string());
            }
        }
        if draining {
            return;
        }
        self.pools
            .entry(key.clone())
            .or_default()
            .insert(id, cpu, memory);
        for service in self.services.values_mut() {
            if service.cluster == key.0 && Self::uses_pool(service, key.1.as_deref()) {
                let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
                service.spread.insert(&az, id, count);
            }
        }
    }

    /// The instance is no longer a candidate (it is going away).
    pub(super) fn leave_pool(&mut self, id: &str) {
        let Some(instance) = self.instances.get(id) else {
            return;
        };
        let (key, (cpu, memory), az) = (
            Self::pool_key(instance),
            Self::free_room(instance),
            instance.az.clone(),
        );
        if let Some(pool) = self.pools.get_mut(&key) {
            pool.remove(id, cpu, memory);
        }
        for service in self.services.values_mut() {
            let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
            service.spread.remove(&az, id, count);
        }
    }

    /// Changes an instance's room and keeps its pool's index and its
    /// provider's idle set in step.
    pub(super) fn change_room(&mut self, id: &str, change: impl FnOnce(&mut Instance)) {
        let instance = self.instances.get_mut(id).expect("exists");
        let before = Self::free_room(instance);
        change(instance);
        let after = Self::free_room(instance);
        let (key, idle, registered) = (
            Self::pool_key(instance),
            instance.tasks.is_empty() && !instance.draining,
            instance.registered,
        );
        if let Some(pool) = self.pools.get_mut(&key) {
            pool.update(id, before, after);
        }
        if let Some(p) = key.1.as_ref().and_then(|p| self.providers.get_mut(p)) {
            if idle && registered {
                p.idle.insert(id.to_string());
            } else {
                p.idle.remove(id);
            }
        }
    }

    /// A new service's spread index, from the instances already registered.
    pub(super) fn build_spread(&mut self, name: &str) {
        let service = &self.services[name];
        let mut spread = SpreadIndex::default();
        for (key, pool) in &self.pools {
            if key.0 == service.cluster && Self::uses_pool(service, key.1.as_deref()) {
                for id in pool.ids() {
                    let count = service.counts.per_instance.get(id).copied().unwrap_or(0);
                    spread.insert(&self.instances[id].az, id, count);
                }
            }
        }
        self.services.get_mut(name).expect("exists").spread = spread;
    }
}
