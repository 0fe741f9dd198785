//! Conditions on ECS: tasks running and where, memory booked and used,
//! tasks stopped, Availability Zones lost, spread over instances, and
//! Service Auto Scaling.

use dockyard_model::sim::types::{Placement, TaskState};
use dockyard_model::sim::world::World;

use super::{on_words, plural, running, Compute, Fields, Kind};

/// At least `at_least` tasks RUNNING for a service (or any task of a task
/// definition family), on Fargate or EC2 when `on` says so.
#[derive(Clone, Debug, PartialEq)]
pub struct TasksRunning {
    pub service: Option<String>,
    pub family: Option<String>,
    pub at_least: u32,
    pub on: Option<Compute>,
    /// Only tasks in this cluster count, when given.
    pub cluster: Option<String>,
}

impl Kind for TasksRunning {
    const IS: &'static str = "tasksRunning";
    const FIELDS: &'static [&'static str] = &["service", "family", "atLeast", "on", "cluster"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        let (service, family) = (
            fields.optional_text("service"),
            fields.optional_text("family"),
        );
        if service.is_none() == family.is_none() {
            return Err("name a service or a family, one of them".into());
        }
        Ok(TasksRunning {
            service,
            family,
            at_least: fields.count("atLeast")?,
            on: fields.on(),
            cluster: fields.optional_text("cluster"),
        })
    }

    fn describe(&self) -> String {
        let TasksRunning {
            service,
            family,
            at_least,
            on,
            cluster,
        } = self;
        let place = match cluster {
            Some(cluster) => format!(" in cluster {cluster}"),
            None => String::new(),
        };
        match (service, family) {
            (Some(service), _) => format!(
                "Service {service} runs at least {at_least} task{}{}{place}",
                plural(*at_least),
                on_words(*on)
            ),
            (_, family) => format!(
                "At least {at_least} task{} of {} running{}{place}",
                plural(*at_least),
                family.as_deref().unwrap_or_default(),
                on_words(*on)
            ),
        }
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let TasksRunning {
            service,
            family,
            at_least,
            on,
            cluster,
        } = self;
        let count = world
            .tasks()
            .filter(|t| t.state == TaskState::Running)
            .filter(|t| cluster.as_ref().is_none_or(|c| t.cluster == *c))
            .filter(|t| match (service, family) {
                (Some(service), _) => t.service.as_deref() == Some(service.as_str()),
                (_, Some(family)) => t.revision.family == *family,
                _ => false,
            })
            .filter(|t| {
                matches!(
                    (on, &t.placement),
                    (None, _)
                        | (Some(Compute::Fargate), Placement::Fargate { .. })
                        | (Some(Compute::Ec2), Placement::Ec2 { .. })
                )
            })
            .count() as u32;
        (count >= *at_least, format!("{count} running now"))
    }
}

/// A running task of `service` has `container` using at least
/// `using_at_least` MiB, and (with `reserved_at_most`) the task books no
/// more than that of its instance: task-level memory when set, else the sum
/// of its containers' memoryReservation (or memory), which is what the
/// scheduler holds for it.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerMemory {
    pub service: String,
    pub container: String,
    pub using_at_least: u32,
    pub reserved_at_most: Option<u32>,
}

impl Kind for ContainerMemory {
    const IS: &'static str = "containerMemory";
    const FIELDS: &'static [&'static str] =
        &["service", "container", "usingAtLeast", "reservedAtMost"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(ContainerMemory {
            service: fields.text("service")?,
            container: fields.text("container")?,
            using_at_least: fields.count("usingAtLeast")?,
            reserved_at_most: fields.optional_count("reservedAtMost")?,
        })
    }

    fn describe(&self) -> String {
        let ContainerMemory {
            service,
            container,
            using_at_least,
            reserved_at_most,
        } = self;
        format!(
            "A running task of {service} has {container} using at least {using_at_least} MiB{}",
            match reserved_at_most {
                Some(most) => format!(" while the task books at most {most} MiB of its instance"),
                None => String::new(),
            }
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let ContainerMemory {
            service,
            container,
            using_at_least,
            reserved_at_most,
        } = self;
        // Each running task's use of the container, and what the scheduler
        // booked for the whole task.
        let seen: Vec<(u32, u32)> = running(world, service)
            .iter()
            .map(|t| (t.memory_used.get(container).copied().unwrap_or(0), t.memory))
            .collect();
        let met = seen.iter().any(|(used, booked)| {
            used >= using_at_least && reserved_at_most.is_none_or(|most| *booked <= most)
        });
        let detail = match seen.iter().max_by_key(|(used, _)| *used) {
            None => format!("no task of {service} is running"),
            Some((used, booked)) => format!(
                "its busiest running task has {container} using {used} MiB and books {booked} MiB"
            ),
        };
        (met, detail)
    }
}

/// The task `task` has stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStopped {
    pub task: String,
}

impl Kind for TaskStopped {
    const IS: &'static str = "taskStopped";
    const FIELDS: &'static [&'static str] = &["task"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(TaskStopped {
            task: fields.text("task")?,
        })
    }

    fn describe(&self) -> String {
        format!("Task {} has stopped", self.task)
    }

    fn judge(&self, world: &World) -> (bool, String) {
        match world.task(&self.task) {
            Some(t) if t.state == TaskState::Stopped => (true, "stopped".into()),
            Some(t) => (false, format!("{:?}", t.state).to_uppercase()),
            None => (false, "no such task yet".into()),
        }
    }
}

/// The Availability Zone `az` is lost (and not restored).
#[derive(Clone, Debug, PartialEq)]
pub struct AzLost {
    pub az: String,
}

impl Kind for AzLost {
    const IS: &'static str = "azLost";
    const FIELDS: &'static [&'static str] = &["az"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(AzLost {
            az: fields.text("az")?,
        })
    }

    fn describe(&self) -> String {
        format!("Availability Zone {} is lost", self.az)
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let lost = world.lost_azs().contains(&self.az);
        (lost, if lost { "lost" } else { "still up" }.to_string())
    }
}

/// Nothing in the account is still billing (the world's teardown list is
/// empty): the end of a lesson that asks the learner to clean up.
#[derive(Clone, Debug, PartialEq)]
pub struct NothingBilling;

impl Kind for NothingBilling {
    const IS: &'static str = "nothingBilling";
    const FIELDS: &'static [&'static str] = &[];
    type On = World;

    fn parse(_: &Fields) -> Result<Self, String> {
        Ok(NothingBilling)
    }

    fn describe(&self) -> String {
        "Nothing is left running and billing".to_string()
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let left = world.still_billing();
        if left.is_empty() {
            return (true, "nothing billing".to_string());
        }
        let per_hour: f64 = left.iter().map(|line| line.per_hour).sum();
        let names: Vec<&str> = left.iter().map(|line| line.what.as_str()).collect();
        (
            false,
            format!("still billing ${per_hour:.4} an hour: {}", names.join(", ")),
        )
    }
}

/// No container instance runs two RUNNING tasks of `service`.
#[derive(Clone, Debug, PartialEq)]
pub struct OneTaskPerInstance {
    pub service: String,
}

impl Kind for OneTaskPerInstance {
    const IS: &'static str = "oneTaskPerInstance";
    const FIELDS: &'static [&'static str] = &["service"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(OneTaskPerInstance {
            service: fields.text("service")?,
        })
    }

    fn describe(&self) -> String {
        format!("No instance runs two tasks of {}", self.service)
    }

    fn judge(&self, world: &World) -> (bool, String) {
        let mut seen: Vec<&str> = Vec::new();
        let mut twice = None;
        for task in running(world, &self.service) {
            if let Placement::Ec2 { instance, .. } = &task.placement {
                if seen.contains(&instance.as_str()) {
                    twice = Some(instance.clone());
                }
                seen.push(instance);
            }
        }
        match twice {
            Some(instance) => (false, format!("{instance} runs two or more")),
            None => (true, {
                let n = seen.len() as u32;
                format!("{n} task{} on {n} instance{}", plural(n), plural(n))
            }),
        }
    }
}

/// Service Auto Scaling, not CreateService or UpdateService, set the
/// service's current desired count.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoScaled {
    pub service: String,
}

impl Kind for AutoScaled {
    const IS: &'static str = "autoScaled";
    const FIELDS: &'static [&'static str] = &["service"];
    type On = World;

    fn parse(fields: &Fields) -> Result<Self, String> {
        Ok(AutoScaled {
            service: fields.text("service")?,
        })
    }

    fn describe(&self) -> String {
        format!(
            "Service Auto Scaling, not a number typed in, set the desired count of {}",
            self.service
        )
    }

    fn judge(&self, world: &World) -> (bool, String) {
        match world.service(&self.service) {
            None => (false, "there is no such service yet".into()),
            Some(s) if s.scaling.is_none() => (
                false,
                format!(
                    "it has no scaling policy, so its desired count stays {}",
                    s.desired
                ),
            ),
            Some(s) if s.desired_set_by_auto_scaling => (
                true,
                format!("its scaling policy set the desired count to {}", s.desired),
            ),
            Some(s) => (
                false,
                format!(
                    "it has a scaling policy, but the desired count {} is still the one it was given",
                    s.desired
                ),
            ),
        }
    }
}
