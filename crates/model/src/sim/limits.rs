//! Limits and quotas the simulation enforces: AWS's documented quotas where
//! they matter to a lesson, and Dockyard's own bounds that keep a run (and a
//! share link) to what a browser can play. The ECS and EKS sides both read
//! them from here.

use super::types::Rejection;

/// ECS's service quota: tasks per service (rules §6).
pub const MAX_TASKS_PER_SERVICE: u32 = 5_000;
/// Dockyard's bound on instances launched by one call; not an AWS limit.
pub const MAX_INSTANCES_PER_CALL: u32 = 500;
/// Dockyard's bound on an Auto Scaling group or node group; not an AWS limit.
pub const MAX_GROUP_SIZE: u32 = 1_000;

/// Refuses a desired count above the tasks-per-service quota.
pub fn need_task_count(count: u32) -> Result<(), Rejection> {
    if count > MAX_TASKS_PER_SERVICE {
        return Err(Rejection::new(
            "task-count",
            format!("desiredCount: a service runs at most {MAX_TASKS_PER_SERVICE} tasks (an ECS service quota), not {count}"),
        ));
    }
    Ok(())
}

/// Dockyard's bound on pods per deployment, so that a scenario (or a share
/// link) stays something a browser can play; not a Kubernetes limit.
pub const MAX_REPLICAS: u32 = 5_000;

pub fn need_replicas(replicas: u32) -> Result<(), Rejection> {
    if replicas > MAX_REPLICAS {
        return Err(Rejection::new(
            "replicas",
            format!("replicas: Dockyard plays at most {MAX_REPLICAS} pods per deployment, not {replicas}"),
        ));
    }
    Ok(())
}
