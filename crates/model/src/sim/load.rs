//! Demand on a service over time, in CPU units of work (1024 = one vCPU
//! kept busy) or of memory or requests, and the scaling policies that follow it.

use serde::{Deserialize, Serialize};

use super::types::Millis;

/// A load curve. Times are in seconds from the start of the scenario.
///
/// Written `{"shape": "step", "from": 200, "to": 800, "at": 600}`. Read by
/// hand ([`LoadCurve::from_fields`]): serde's derive for an internally
/// tagged enum buffers the whole object and cost 15 KB of wasm.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "shape")]
pub enum LoadCurve {
    Constant {
        units: f64,
    },
    Step {
        from: f64,
        to: f64,
        at: u64,
    },
    Ramp {
        from: f64,
        to: f64,
        start: u64,
        end: u64,
    },
    /// A day's rise and fall: lowest at `min` at the start of each period.
    DailyWave {
        min: f64,
        max: f64,
        period: u64,
    },
    Spike {
        base: f64,
        peak: f64,
        at: u64,
        duration: u64,
    },
}

fn day() -> u64 {
    86_400
}

impl<'de> Deserialize<'de> for LoadCurve {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = serde_json::Map::deserialize(deserializer)?;
        LoadCurve::from_fields(&fields).map_err(serde::de::Error::custom)
    }
}

impl LoadCurve {
    /// Reads a curve from its JSON fields, refusing unknown ones as serde's
    /// `deny_unknown_fields` would.
    pub fn from_fields(
        fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<LoadCurve, String> {
        const SHAPES: &str = "constant, step, ramp, dailyWave or spike";
        let shape = match fields.get("shape") {
            Some(serde_json::Value::String(shape)) => shape.as_str(),
            Some(_) => return Err(format!("shape: expected a string, one of {SHAPES}")),
            None => return Err("missing field `shape`".into()),
        };
        let allowed: &[&str] = match shape {
            "constant" => &["units"],
            "step" => &["from", "to", "at"],
            "ramp" => &["from", "to", "start", "end"],
            "dailyWave" => &["min", "max", "period"],
            "spike" => &["base", "peak", "at", "duration"],
            other => return Err(format!("shape: unknown shape `{other}`, expected {SHAPES}")),
        };
        if let Some(unknown) = fields
            .keys()
            .find(|key| *key != "shape" && !allowed.contains(&key.as_str()))
        {
            return Err(format!(
                "unknown field `{unknown}`, a {shape} curve has {}",
                allowed.join(", ")
            ));
        }
        let get = |name: &str| {
            fields
                .get(name)
                .ok_or_else(|| format!("missing field `{name}`"))
        };
        let number = |name: &str| {
            get(name)?
                .as_f64()
                .ok_or_else(|| format!("{name}: expected a number"))
        };
        let seconds = |name: &str| {
            get(name)?
                .as_u64()
                .ok_or_else(|| format!("{name}: expected whole seconds, 0 or more"))
        };
        Ok(match shape {
            "constant" => LoadCurve::Constant {
                units: number("units")?,
            },
            "step" => LoadCurve::Step {
                from: number("from")?,
                to: number("to")?,
                at: seconds("at")?,
            },
            "ramp" => LoadCurve::Ramp {
                from: number("from")?,
                to: number("to")?,
                start: seconds("start")?,
                end: seconds("end")?,
            },
            "dailyWave" => LoadCurve::DailyWave {
                min: number("min")?,
                max: number("max")?,
                period: if fields.contains_key("period") {
                    seconds("period")?
                } else {
                    day()
                },
            },
            _ => LoadCurve::Spike {
                base: number("base")?,
                peak: number("peak")?,
                at: seconds("at")?,
                duration: seconds("duration")?,
            },
        })
    }
}

impl LoadCurve {
    /// Demand at `at`, in CPU units.
    pub fn at(&self, at: Millis) -> f64 {
        let t = at as f64 / 1000.0;
        let value = match *self {
            LoadCurve::Constant { units } => units,
            LoadCurve::Step { from, to, at } => {
                if t < at as f64 {
                    from
                } else {
                    to
                }
            }
            LoadCurve::Ramp {
                from,
                to,
                start,
                end,
            } => {
                if t <= start as f64 {
                    from
                } else if t >= end as f64 || end <= start {
                    to
                } else {
                    from + (to - from) * (t - start as f64) / (end - start) as f64
                }
            }
            LoadCurve::DailyWave { min, max, period } => {
                let phase = (t % period.max(1) as f64) / period.max(1) as f64;
                min + (max - min) * (1.0 - (phase * std::f64::consts::TAU).cos()) / 2.0
            }
            LoadCurve::Spike {
                base,
                peak,
                at,
                duration,
            } => {
                if t >= at as f64 && t < (at + duration) as f64 {
                    peak
                } else {
                    base
                }
            }
        };
        value.max(0.0)
    }
}

/// What a scaling policy watches (rules §6.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    /// ECSServiceAverageCPUUtilization, in percent.
    #[default]
    Cpu,
    /// ECSServiceAverageMemoryUtilization, in percent.
    Memory,
    /// ALBRequestCountPerTarget: requests per target per minute.
    RequestsPerTarget,
}

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Metric::Cpu => "CPU",
            Metric::Memory => "memory",
            Metric::RequestsPerTarget => "requests per target",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Metric::Cpu | Metric::Memory => "%",
            Metric::RequestsPerTarget => "/min",
        }
    }
}

/// Service Auto Scaling for one service: its bounds and its policies.
/// `target` alone is shorthand for one target tracking policy on CPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceScaling {
    pub min_capacity: u32,
    pub max_capacity: u32,
    /// Shorthand: target average CPU utilisation, in percent.
    #[serde(default)]
    pub target: Option<f64>,
    /// The shorthand policy's cooldowns; ECS's defaults are 300 s.
    #[serde(default = "five_minutes")]
    pub scale_out_cooldown: u64,
    #[serde(default = "five_minutes")]
    pub scale_in_cooldown: u64,
    #[serde(default)]
    pub target_tracking: Vec<TargetPolicy>,
    #[serde(default)]
    pub step_scaling: Vec<StepPolicy>,
}

impl ServiceScaling {
    /// One target tracking policy on CPU.
    pub fn cpu(target: f64, min_capacity: u32, max_capacity: u32) -> ServiceScaling {
        ServiceScaling {
            min_capacity,
            max_capacity,
            target: Some(target),
            scale_out_cooldown: five_minutes(),
            scale_in_cooldown: five_minutes(),
            target_tracking: Vec::new(),
            step_scaling: Vec::new(),
        }
    }

    /// Every target tracking policy, the shorthand first.
    pub fn target_policies(&self) -> Vec<TargetPolicy> {
        self.target
            .map(|target| TargetPolicy {
                name: None,
                metric: Metric::Cpu,
                target,
                scale_out_cooldown: self.scale_out_cooldown,
                scale_in_cooldown: self.scale_in_cooldown,
                disable_scale_in: false,
            })
            .into_iter()
            .chain(self.target_tracking.iter().cloned())
            .collect()
    }

    /// Bounds and policies that make sense, or which field is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.target_policies().is_empty() && self.step_scaling.is_empty() {
            return Err(
                "scaling needs a target, a targetTracking policy or a stepScaling policy".into(),
            );
        }
        self.check_registered()
    }

    /// What Application Auto Scaling checks of a scalable target and its
    /// policies: a target may be registered before it has any policy.
    pub fn check_registered(&self) -> Result<(), String> {
        if self.min_capacity > self.max_capacity {
            return Err("scaling.minCapacity must not exceed scaling.maxCapacity".into());
        }
        for (i, policy) in self.target_policies().iter().enumerate() {
            if !(policy.target > 0.0 && policy.target.is_finite()) {
                return Err(format!(
                    "scaling target tracking policy {}: target must be above 0",
                    i + 1
                ));
            }
        }
        for (i, policy) in self.step_scaling.iter().enumerate() {
            if policy.step_adjustments.is_empty() {
                return Err(format!("scaling.stepScaling[{i}].stepAdjustments is empty"));
            }
        }
        Ok(())
    }
}

/// A target tracking policy: keep the metric near the target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetPolicy {
    /// The policy's name in Application Auto Scaling (PutScalingPolicy's
    /// PolicyName), when it was given one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub metric: Metric,
    pub target: f64,
    #[serde(default = "five_minutes")]
    pub scale_out_cooldown: u64,
    #[serde(default = "five_minutes")]
    pub scale_in_cooldown: u64,
    #[serde(default)]
    pub disable_scale_in: bool,
}

/// A step scaling policy and the CloudWatch alarm that drives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepPolicy {
    /// The policy's name in Application Auto Scaling, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub metric: Metric,
    /// The alarm fires when the metric is at or above (or at or below) this
    /// for `evaluation_periods` consecutive minutes.
    pub threshold: f64,
    pub comparison: Comparison,
    #[serde(default = "one")]
    pub evaluation_periods: u32,
    #[serde(default)]
    pub adjustment_type: AdjustmentType,
    /// Bounds are relative to the threshold, as in AWS.
    pub step_adjustments: Vec<StepAdjustment>,
    #[serde(default = "five_minutes")]
    pub cooldown: u64,
    /// With PercentChangeInCapacity, the fewest tasks a step adds or
    /// removes (25% of 4 is 1; with 2 here, 2 are added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_adjustment_magnitude: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    GreaterThanOrEqualToThreshold,
    LessThanOrEqualToThreshold,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentType {
    #[default]
    ChangeInCapacity,
    PercentChangeInCapacity,
    ExactCapacity,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepAdjustment {
    #[serde(default)]
    pub metric_interval_lower_bound: Option<f64>,
    #[serde(default)]
    pub metric_interval_upper_bound: Option<f64>,
    pub scaling_adjustment: i32,
}

impl StepPolicy {
    /// Whether the alarm's condition holds for `value`.
    pub fn breaching(&self, value: f64) -> bool {
        match self.comparison {
            Comparison::GreaterThanOrEqualToThreshold => value >= self.threshold,
            Comparison::LessThanOrEqualToThreshold => value <= self.threshold,
        }
    }

    /// The capacity this policy asks for at `value` from `current`: the step
    /// whose interval, relative to the threshold, holds the metric. As in
    /// Application Auto Scaling, above the threshold the lower bound is
    /// inclusive and the upper exclusive; below it, the other way round.
    pub fn capacity(&self, value: f64, current: u32) -> Option<u32> {
        let difference = value - self.threshold;
        let above = self.comparison == Comparison::GreaterThanOrEqualToThreshold;
        let step = self.step_adjustments.iter().find(|s| {
            let lower = s.metric_interval_lower_bound.is_none_or(|l| {
                if above {
                    difference >= l
                } else {
                    difference > l
                }
            });
            let upper = s.metric_interval_upper_bound.is_none_or(|u| {
                if above {
                    difference < u
                } else {
                    difference <= u
                }
            });
            lower && upper
        })?;
        let current_f = f64::from(current);
        let adjustment = f64::from(step.scaling_adjustment);
        let to = match self.adjustment_type {
            AdjustmentType::ChangeInCapacity => current_f + adjustment,
            AdjustmentType::PercentChangeInCapacity => {
                // Fractions round toward zero, but never to no change at all.
                let change = current_f * adjustment / 100.0;
                let least = f64::from(self.min_adjustment_magnitude.unwrap_or(1).max(1));
                let change = if change == 0.0 {
                    0.0
                } else if change > 0.0 {
                    change.floor().max(least)
                } else {
                    change.ceil().min(-least)
                };
                current_f + change
            }
            AdjustmentType::ExactCapacity => adjustment,
        };
        Some(to.max(0.0) as u32)
    }
}

fn one() -> u32 {
    1
}

fn five_minutes() -> u64 {
    300
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_read_back_what_they_write_and_name_what_is_wrong() {
        for curve in [
            LoadCurve::Constant { units: 512.0 },
            LoadCurve::Step {
                from: 1.0,
                to: 2.5,
                at: 60,
            },
            LoadCurve::Ramp {
                from: 0.0,
                to: 9.0,
                start: 10,
                end: 20,
            },
            LoadCurve::DailyWave {
                min: 1.0,
                max: 4.0,
                period: 3600,
            },
            LoadCurve::Spike {
                base: 1.0,
                peak: 8.0,
                at: 5,
                duration: 7,
            },
        ] {
            let json = serde_json::to_string(&curve).unwrap();
            assert_eq!(
                crate::json::from_str::<LoadCurve>(&json).unwrap(),
                curve,
                "{json}"
            );
        }
        let wave: LoadCurve =
            crate::json::from_str(r#"{"shape": "dailyWave", "min": 1, "max": 2}"#).unwrap();
        assert_eq!(
            wave,
            LoadCurve::DailyWave {
                min: 1.0,
                max: 2.0,
                period: 86_400
            }
        );
        for (json, message) in [
            (r#"{"units": 1}"#, "missing field `shape`"),
            (
                r#"{"shape": "sine"}"#,
                "shape: unknown shape `sine`, expected constant, step, ramp, dailyWave or spike",
            ),
            (
                r#"{"shape": "constant", "units": 1, "unit": 2}"#,
                "unknown field `unit`, a constant curve has units",
            ),
            (
                r#"{"shape": "step", "from": 1, "to": 2}"#,
                "missing field `at`",
            ),
            (
                r#"{"shape": "step", "from": 1, "to": "2", "at": 0}"#,
                "to: expected a number",
            ),
            (
                r#"{"shape": "ramp", "from": 1, "to": 2, "start": -1, "end": 5}"#,
                "start: expected whole seconds, 0 or more",
            ),
        ] {
            let error = crate::json::from_str::<LoadCurve>(json).unwrap_err();
            assert_eq!(error.message, message, "{json}");
        }
    }

    #[test]
    fn curves_have_the_documented_shapes() {
        let ramp = LoadCurve::Ramp {
            from: 0.0,
            to: 1000.0,
            start: 100,
            end: 200,
        };
        assert_eq!(ramp.at(0), 0.0);
        assert_eq!(ramp.at(150_000), 500.0);
        assert_eq!(ramp.at(500_000), 1000.0);
        let wave = LoadCurve::DailyWave {
            min: 100.0,
            max: 300.0,
            period: 86_400,
        };
        assert!((wave.at(0) - 100.0).abs() < 1e-9);
        assert!((wave.at(43_200_000) - 300.0).abs() < 1e-9);
        let spike = LoadCurve::Spike {
            base: 10.0,
            peak: 90.0,
            at: 60,
            duration: 30,
        };
        assert_eq!(
            (spike.at(59_999), spike.at(60_000), spike.at(90_000)),
            (10.0, 90.0, 10.0)
        );
        assert_eq!(
            LoadCurve::Step {
                from: 1.0,
                to: 2.0,
                at: 10
            }
            .at(10_000),
            2.0
        );
    }
}
