//! Demand on a service over time, in CPU units of work (1024 = one vCPU
//! kept busy), and the target tracking policy that follows it.

use serde::{Deserialize, Serialize};

use super::types::Millis;

/// A load curve. Times are in seconds from the start of the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "shape", deny_unknown_fields)]
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
        #[serde(default = "day")]
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

/// Service auto scaling with a target tracking policy on average CPU
/// utilisation (rules §6.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetTracking {
    /// Target average CPU utilisation, in percent.
    pub target: f64,
    pub min_capacity: u32,
    pub max_capacity: u32,
    /// ECS's default cooldowns are 300 s.
    #[serde(default = "five_minutes")]
    pub scale_out_cooldown: u64,
    #[serde(default = "five_minutes")]
    pub scale_in_cooldown: u64,
}

fn five_minutes() -> u64 {
    300
}

#[cfg(test)]
mod tests {
    use super::*;

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
