//! Service Auto Scaling: the per-minute metric tick, target tracking and
//! step scaling policies, with their cooldowns (rules §6.2).

use super::*;
use crate::sim::ServiceScaling;

impl Ecs {
    /// `SetServiceScaling`: the scalable target and its policies, replaced
    /// whole; the policies' alarms start afresh.
    pub(super) fn set_service_scaling(
        &mut self,
        cx: &mut Cx<'_>,
        name: &str,
        scaling: Option<ServiceScaling>,
    ) -> Result<(), Rejection> {
        self.need_service(name)?;
        if let Some(scaling) = &scaling {
            scaling
                .check_registered()
                .map_err(|why| Rejection::new("scaling", why))?;
            need_task_count(scaling.max_capacity)?;
        }
        let service = self.services.get_mut(name).expect("checked");
        let (tracking, stepping) = scaling.as_ref().map_or((vec![], vec![]), |s| {
            (
                vec![(0, 0); s.target_policies().len()],
                vec![StepState::default(); s.step_scaling.len()],
            )
        });
        service.tracking = tracking;
        service.stepping = stepping;
        let scaled = scaling.is_some();
        service.scaling = scaling;
        if scaled {
            self.ensure_tick(cx);
        }
        Ok(())
    }

    pub(super) fn ensure_tick(&mut self, cx: &mut Cx<'_>) {
        if !self.tick_scheduled {
            self.tick_scheduled = true;
            let period = seconds(cx.params.metric_period_seconds);
            cx.schedule((cx.now / period + 1) * period, EcsHappening::MetricTick);
        }
    }

    pub(super) fn metric_tick(&mut self, cx: &mut Cx<'_>, out: &mut Vec<Event>) {
        let scaled: Vec<String> = self
            .services
            .values()
            .filter(|s| s.scaling.is_some())
            .map(|s| s.name.clone())
            .collect();
        for name in scaled {
            self.auto_scale(cx, &name, out);
        }
        let providers: Vec<String> = self.providers.keys().cloned().collect();
        for name in providers {
            self.managed_scaling(cx, &name, out);
        }
        cx.schedule(
            cx.now + seconds(cx.params.metric_period_seconds),
            EcsHappening::MetricTick,
        );
    }

    /// Service Auto Scaling, once a minute (rules §6.2). Target tracking
    /// scales out when any policy has been above its target long enough,
    /// and in only when every policy that may scale in has been below; step
    /// policies act when their alarm has held for its evaluation periods.
    /// When several ask at once the largest capacity wins; scale-in waits
    /// while a deployment runs.
    pub(super) fn auto_scale(&mut self, cx: &mut Cx<'_>, name: &str, out: &mut Vec<Event>) {
        let service = &self.services[name];
        let scaling = service.scaling.clone().expect("scaled");
        let targets = scaling.target_policies();
        let values: Vec<f64> = targets
            .iter()
            .map(|p| self.metric(cx, service, p.metric))
            .collect();
        let step_values: Vec<f64> = scaling
            .step_scaling
            .iter()
            .map(|p| self.metric(cx, service, p.metric))
            .collect();
        let running = service.counts.count(TaskState::Running);
        let (out_points, in_points) = (
            cx.params.scale_out_datapoints,
            cx.params.scale_in_datapoints,
        );
        let now = cx.now;
        let service = self.services.get_mut(name).expect("exists");
        let current = service.desired;
        let cooled =
            |last: Option<Millis>, cooldown: u64| last.is_none_or(|t| now >= t + seconds(cooldown));
        let deploying = service.deployment.is_some();
        let mut outs: Vec<(u32, String)> = Vec::new();
        let mut ins: Vec<(u32, String)> = Vec::new();
        let mut every_in_ready = true;
        let mut any_in_policy = false;
        for ((policy, value), state) in targets.iter().zip(&values).zip(&mut service.tracking) {
            if *value > policy.target {
                *state = (state.0 + 1, 0);
            } else if *value < policy.target * 0.9 {
                *state = (0, state.1 + 1);
            } else {
                *state = (0, 0);
            }
            let wanted = (f64::from(running.max(1)) * value / policy.target).ceil() as u32;
            let (metric, unit) = (policy.metric.label(), policy.metric.unit());
            if state.0 >= out_points && cooled(service.last_scale_out, policy.scale_out_cooldown) {
                outs.push((
                    wanted.max(current + 1),
                    format!("Target tracking: {metric} {value:.0}{unit} is above the {:.0}{unit} target for {out_points} minutes.", policy.target),
                ));
            }
            if policy.disable_scale_in {
                continue;
            }
            any_in_policy = true;
            let ready = state.1 >= in_points
                && cooled(service.last_scale_in, policy.scale_in_cooldown)
                && cooled(service.last_scale_out, policy.scale_out_cooldown);
            if ready {
                ins.push((
                    wanted,
                    format!("Target tracking: {metric} {value:.0}{unit} is below the {:.0}{unit} target for {in_points} minutes.", policy.target),
                ));
            } else {
                every_in_ready = false;
            }
        }
        if !(every_in_ready && any_in_policy) {
            // One target tracking policy not ready holds every one of them back.
            ins.clear();
        }
        let mut fired = Vec::new();
        for (i, ((policy, value), state)) in scaling
            .step_scaling
            .iter()
            .zip(&step_values)
            .zip(&mut service.stepping)
            .enumerate()
        {
            state.breaching = if policy.breaching(*value) {
                state.breaching + 1
            } else {
                0
            };
            if state.breaching < policy.evaluation_periods.max(1) {
                continue;
            }
            let cooling = state
                .last
                .filter(|(at, ..)| !cooled(Some(*at), policy.cooldown));
            let (to, from, during) = match cooling {
                None => match policy.capacity(*value, current) {
                    Some(to) => (to, current, None),
                    None => continue,
                },
                // Application Auto Scaling: during a scale-out cooldown a
                // larger step still applies, the capacity the first activity
                // added counting as part of the current capacity, so only
                // the difference is added. A scale-in waits out its cooldown.
                Some((_, from, before)) => match policy.capacity(*value, from) {
                    Some(to) if to > before && before > from => {
                        (current + (to - before), from, Some(to))
                    }
                    _ => continue,
                },
            };
            let during_note = if during.is_some() {
                " A larger step during the cooldown: only the difference from the last step is added."
            } else {
                ""
            };
            let reason = format!(
                "Step scaling: {} {value:.0}{} is {} the {:.0}{} alarm threshold: capacity {current} -> {to}.{during_note}",
                policy.metric.label(),
                policy.metric.unit(),
                match policy.comparison {
                    Comparison::GreaterThanOrEqualToThreshold => "at or above",
                    Comparison::LessThanOrEqualToThreshold => "at or below",
                },
                policy.threshold,
                policy.metric.unit(),
            );
            let record = during.unwrap_or(to);
            if to > current {
                outs.push((to, reason));
                fired.push((i, from, record, during.is_some()));
            } else if to < current {
                ins.push((to, reason));
                fired.push((i, from, record, during.is_some()));
            }
        }
        let clamp = |to: u32| to.clamp(scaling.min_capacity, scaling.max_capacity);
        let change = if let Some((to, reason)) = outs.into_iter().max_by_key(|(to, _)| *to) {
            let to = clamp(to);
            (to > current).then(|| {
                service.last_scale_out = Some(now);
                (to, reason)
            })
        } else if deploying {
            None
        } else if let Some((to, reason)) = ins.into_iter().max_by_key(|(to, _)| *to) {
            let to = clamp(to);
            (to < current).then(|| {
                service.last_scale_in = Some(now);
                (to, reason)
            })
        } else {
            None
        };
        if let Some((to, reason)) = change {
            for (i, from, record, during) in fired {
                let last = &mut service.stepping[i].last;
                *last = match (*last, during) {
                    // The cooldown keeps its start; the step is now larger.
                    (Some((at, from, _)), true) => Some((at, from, record)),
                    _ => Some((now, from, record)),
                };
            }
            if to > current {
                service.tracking.iter_mut().for_each(|s| s.0 = 0);
            } else {
                service.tracking.iter_mut().for_each(|s| s.1 = 0);
            }
            service.desired = to;
            service.desired_set_by_auto_scaling = true;
            cx.emit(
                out,
                What::ServiceDesiredCountChanged {
                    service: name.into(),
                    from: current,
                    to,
                    reason,
                },
            );
            self.reconcile(cx, name, out);
        }
    }
}
