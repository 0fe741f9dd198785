//! ECS's service throttle logic (rules §6): when a service's tasks keep
//! stopping before they reach RUNNING, the scheduler lengthens the time
//! between launch attempts, up to about 27 minutes ("subject to change",
//! AWS says), and reports `(service NAME) is unable to consistently start
//! tasks successfully.` A task reaching RUNNING, or an update of the service,
//! ends the episode.
//!
//! AWS does not publish how many failures start the throttle nor the
//! delays before the maximum: Dockyard throttles after 3 failures in a row,
//! waiting 30 s, then twice as long each round.

use super::*;

/// Failures in a row before the scheduler slows down (Dockyard's figure).
const THROTTLE_AFTER_FAILURES: u32 = 3;
/// The first wait between launches (Dockyard's figure).
const FIRST_WAIT_SECONDS: u64 = 30;
/// The longest wait, as AWS documents it.
pub(super) const MAX_THROTTLE_WAIT_SECONDS: u64 = 27 * 60;

impl Ecs {
    /// A task that could not start (its image, a secret, its logs) stops;
    /// its service counts it.
    /// `fail_start` with the chain of causes the learner can read.
    pub(super) fn fail_start_because(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        failure: super::startup::StartFailure,
        out: &mut Vec<Event>,
    ) {
        if let Some(task) = self.tasks.get_mut(task_id) {
            task.why = failure.why;
        }
        self.fail_start(cx, task_id, &failure.reason, out);
    }

    pub(super) fn fail_start(
        &mut self,
        cx: &mut Cx<'_>,
        task_id: &str,
        reason: &str,
        out: &mut Vec<Event>,
    ) {
        if let Some(task) = self.tasks.get_mut(task_id) {
            task.failed_to_start = true;
        }
        self.stop_task(cx, task_id, reason, out);
    }

    /// One more of `service`'s tasks stopped before RUNNING.
    pub(super) fn start_failed(&mut self, cx: &mut Cx<'_>, service: &str, out: &mut Vec<Event>) {
        let Some(s) = self.services.get_mut(service) else {
            return;
        };
        let throttle = &mut s.throttle;
        throttle.failures += 1;
        let waiting = throttle.next_launch_at.is_some_and(|at| cx.now < at);
        if throttle.failures < THROTTLE_AFTER_FAILURES || waiting {
            return;
        }
        throttle.rounds += 1;
        let wait = FIRST_WAIT_SECONDS
            .saturating_mul(1 << (throttle.rounds - 1).min(16))
            .min(MAX_THROTTLE_WAIT_SECONDS);
        let at = cx.now + seconds(wait);
        throttle.next_launch_at = Some(at);
        cx.schedule(
            at,
            EcsHappening::Reconcile {
                service: service.into(),
            },
        );
        cx.emit(
            out,
            What::ServiceTaskStartImpaired {
                service: service.into(),
                failures: throttle.failures,
                retry_in_seconds: wait,
            },
        );
    }

    /// A task of its service reached RUNNING: the service starts tasks at
    /// full speed again.
    pub(super) fn task_started(&mut self, task_id: &str) {
        let Some(service) = self.tasks[task_id].service.clone() else {
            return;
        };
        if let Some(s) = self.services.get_mut(&service) {
            s.throttle = Throttle::default();
        }
    }

    /// Whether the scheduler may launch `service`'s tasks now.
    pub(super) fn may_launch(&self, cx: &Env<'_>, service: &str) -> bool {
        self.services
            .get(service)
            .and_then(|s| s.throttle.next_launch_at)
            .is_none_or(|at| cx.now >= at)
    }

    /// UpdateService resumes normal scheduling.
    pub(super) fn end_throttle(&mut self, service: &str) {
        if let Some(s) = self.services.get_mut(service) {
            s.throttle = Throttle::default();
        }
    }
}
