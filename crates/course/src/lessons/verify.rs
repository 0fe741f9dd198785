//! What a lesson must do before it is offered to a learner, whoever wrote
//! it: the start does not meet the goal, the reference solution does, the
//! named wrong answer does not, and a lesson that starts broken fails for
//! the cause it names. The shipped lessons are held to it by the test
//! suite; a pack's lessons by `dockyard pack check` and by the app before
//! it offers them.

use super::*;

impl Lesson {
    /// Every way the lesson fails to teach, in words naming the part at
    /// fault; empty when it teaches.
    pub fn verify(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let nothing = match self.work {
            Work::Sandbox(_) => Answer::Steps(Vec::new()),
            Work::Registry(_) => Answer::Actions(Vec::new()),
        };
        let mut judge = |what: &str, answer: &Answer, should_meet: bool| match self.check(answer) {
            Ok(judged) if all_met(&judged) == should_meet => {}
            Ok(judged) => {
                let words: Vec<&str> = judged.iter().map(|j| j.words.as_str()).collect();
                problems.push(if should_meet {
                    format!("{what} does not meet the goal: {}", words.join("; "))
                } else {
                    format!("{what} already meets the goal")
                });
            }
            Err(e) => problems.push(format!("{what}: {e}")),
        };
        judge("the start", &nothing, false);
        judge("the solution", &self.solution(), true);
        judge(
            &format!("the wrong answer ({})", self.wrong_why),
            &self.wrong(),
            false,
        );
        if self.hints.is_empty() {
            problems.push("hints: give at least one".into());
        }
        if let Some(problem) = self.broken_problem() {
            problems.push(problem);
        }
        problems
    }

    /// For a lesson that starts broken: played from its start, does it fail
    /// as it says, does the model's chain of causes name the cause, and
    /// does the brief say what the learner will see?
    fn broken_problem(&self) -> Option<String> {
        let failure = self.broken.as_ref()?;
        let work = self.sandbox()?;
        let mut player = Player::new(&work.start(), None);
        player.advance_to(seconds(work.check_at));
        let world = &player.world;
        let (why, said) = match failure {
            Broken::TaskStops {
                family, stops_with, ..
            } => {
                let Some(stopped) = world
                    .tasks()
                    .find(|t| t.revision.family == *family && !t.why.is_empty())
                else {
                    return Some(format!("broken: no task of {family} stops with a cause"));
                };
                let reason = stopped.stopped_reason.as_deref().unwrap_or_default();
                if !reason.starts_with(stops_with.as_str()) {
                    return Some(format!("broken.stopsWith: the task stops with {reason:?}"));
                }
                (stopped.why.clone(), stops_with.clone())
            }
            Broken::ServiceUnplaced { service, .. } => {
                let Some(found) = world.service(service) else {
                    return Some(format!("broken.service: there is no service {service}"));
                };
                (
                    dockyard_model::sim::why::unplaced_service(found),
                    "unable to place".to_string(),
                )
            }
            Broken::ServiceCannotLaunch {
                service,
                launch_fails_with,
                ..
            } => {
                let Some(found) = world.service(service) else {
                    return Some(format!("broken.service: there is no service {service}"));
                };
                let failure = found.launch_failure.as_deref().unwrap_or_default();
                if !failure.starts_with(launch_fails_with.as_str()) {
                    return Some(format!(
                        "broken.launchFailsWith: the launch fails with {failure:?}"
                    ));
                }
                (
                    dockyard_model::sim::why::launch_refused(found),
                    launch_fails_with.clone(),
                )
            }
            Broken::PodPending { deployment, .. } => {
                let Some(pod) = world
                    .eks()
                    .pods
                    .values()
                    .find(|p| p.deployment == *deployment && p.pending.is_some())
                else {
                    return Some(format!("broken: no pod of {deployment} is Pending"));
                };
                (
                    dockyard_model::sim::why::pending_pod(world.eks(), pod),
                    "Pending".to_string(),
                )
            }
        };
        if !why.iter().any(|c| c.said.contains(failure.because())) {
            return Some(format!(
                "broken.because: the model's chain of causes does not name {:?}",
                failure.because()
            ));
        }
        if !self.brief.contains(&said) {
            return Some(format!("brief: say what the learner will see ({said})"));
        }
        None
    }
}
