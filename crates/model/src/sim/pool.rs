//! Indexes over a pool of container instances, so that placing a task looks
//! at a handful of candidates instead of every instance in the cluster
//! (issue 4: no per-event scans over the whole world).
//!
//! A pool is what one placement chooses from: the registered instances of
//! one capacity provider, or the cluster's registered instances that belong
//! to no provider (launch type EC2). The world keeps the indexes in step
//! with every change of an instance's free room; `World::audit` rebuilds
//! them from scratch and compares, so a missed update fails a test.

use std::collections::{BTreeMap, BTreeSet};

/// (cluster, capacity provider); `None` is the cluster's own instances.
pub type PoolKey = (String, Option<String>);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoolIndex {
    /// Members in a vector for uniform random picks, and their positions.
    members: Vec<String>,
    position: BTreeMap<String, usize>,
    /// (free units, instance) ascending: binpack reads from the low end,
    /// "is there room anywhere?" from the high end.
    by_free_cpu: BTreeSet<(u32, String)>,
    by_free_memory: BTreeSet<(u32, String)>,
}

impl PoolIndex {
    pub fn insert(&mut self, id: &str, free_cpu: u32, free_memory: u32) {
        if self.position.contains_key(id) {
            return;
        }
        self.position.insert(id.to_string(), self.members.len());
        self.members.push(id.to_string());
        self.by_free_cpu.insert((free_cpu, id.to_string()));
        self.by_free_memory.insert((free_memory, id.to_string()));
    }

    pub fn remove(&mut self, id: &str, free_cpu: u32, free_memory: u32) {
        let Some(at) = self.position.remove(id) else {
            return;
        };
        self.members.swap_remove(at);
        if let Some(moved) = self.members.get(at) {
            self.position.insert(moved.clone(), at);
        }
        self.by_free_cpu.remove(&(free_cpu, id.to_string()));
        self.by_free_memory.remove(&(free_memory, id.to_string()));
    }

    /// An instance's free room changed from `before` to `after` (cpu, memory).
    pub fn update(&mut self, id: &str, before: (u32, u32), after: (u32, u32)) {
        if !self.position.contains_key(id) || before == after {
            return;
        }
        let id = id.to_string();
        self.by_free_cpu.remove(&(before.0, id.clone()));
        self.by_free_memory.remove(&(before.1, id.clone()));
        self.by_free_cpu.insert((after.0, id.clone()));
        self.by_free_memory.insert((after.1, id));
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.position.contains_key(id)
    }

    /// The member at `at` (for a uniform random pick).
    pub fn nth(&self, at: usize) -> &str {
        &self.members[at]
    }

    /// Members in id order (the full scan, for explanations).
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.position.keys()
    }

    pub fn most_free_cpu(&self) -> Option<&(u32, String)> {
        self.by_free_cpu.last()
    }

    pub fn most_free_memory(&self) -> Option<&(u32, String)> {
        self.by_free_memory.last()
    }

    /// Instances with at least `units` free, the tightest first (binpack).
    pub fn tightest_cpu(&self, units: u32) -> impl Iterator<Item = &(u32, String)> {
        self.by_free_cpu.range((units, String::new())..)
    }

    /// Whether every internal view holds exactly `members` (id, free cpu,
    /// free memory): the audit's check of the index against the instances.
    pub fn agrees_with(&self, members: &BTreeSet<(String, u32, u32)>) -> bool {
        let cpu: BTreeSet<(u32, String)> =
            members.iter().map(|(id, c, _)| (*c, id.clone())).collect();
        let memory: BTreeSet<(u32, String)> =
            members.iter().map(|(id, _, m)| (*m, id.clone())).collect();
        self.by_free_cpu == cpu
            && self.by_free_memory == memory
            && self.members.len() == members.len()
            && self
                .members
                .iter()
                .enumerate()
                .all(|(at, id)| self.position.get(id) == Some(&at))
    }

    pub fn tightest_memory(&self, mib: u32) -> impl Iterator<Item = &(u32, String)> {
        self.by_free_memory.range((mib, String::new())..)
    }
}

/// One service's instances by how many of its tasks each runs, per
/// Availability Zone: the spread strategies read the least loaded first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpreadIndex {
    pub per_az: BTreeMap<String, BTreeSet<(u32, String)>>,
}

impl SpreadIndex {
    pub fn insert(&mut self, az: &str, id: &str, count: u32) {
        self.per_az
            .entry(az.to_string())
            .or_default()
            .insert((count, id.to_string()));
    }

    pub fn remove(&mut self, az: &str, id: &str, count: u32) {
        if let Some(set) = self.per_az.get_mut(az) {
            set.remove(&(count, id.to_string()));
            if set.is_empty() {
                self.per_az.remove(az);
            }
        }
    }

    /// The service's task count on `id` changed; instances not in the index
    /// (still booting, or gone) are left out.
    pub fn recount(&mut self, az: &str, id: &str, before: u32, after: u32) {
        if let Some(set) = self.per_az.get_mut(az) {
            if set.remove(&(before, id.to_string())) {
                set.insert((after, id.to_string()));
            }
        }
    }
}
