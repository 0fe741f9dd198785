//! Service Auto Scaling: step and target tracking policies, cooldowns, and refusals by name.

use super::*;

#[test]
fn step_scaling_adds_the_step_that_holds_the_metric_then_waits_its_cooldown() {
    // 2 tasks, 1843 units of work: 90% CPU, 20 points over the threshold.
    let mut world = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 10, "stepScaling": [{
        "threshold": 70, "comparison": "GreaterThanOrEqualToThreshold", "cooldown": 300,
        "stepAdjustments": [
            {"metricIntervalLowerBound": 0, "metricIntervalUpperBound": 20, "scalingAdjustment": 1},
            {"metricIntervalLowerBound": 20, "scalingAdjustment": 3}
        ]}]}),
        1843.2,
        0.0,
        0.0,
    )
    .unwrap();
    let changes = desired_changes(&world.advance_to(240_000));
    assert_eq!(changes.len(), 1, "{changes:?}");
    let (at, to, reason) = &changes[0];
    assert_eq!(*to, 5, "2 + 3");
    assert!(reason.starts_with("Step scaling: CPU 90%"), "{reason}");
    // Still above the threshold, but nothing more until the cooldown ends.
    let next = desired_changes(&world.advance_to(at + 299_000));
    assert!(next.is_empty(), "{next:?}");
}

/// Application Auto Scaling: during a step policy's cooldown a larger step
/// still applies, counting what the first activity added as part of the
/// current capacity, so only the difference is added.
#[test]
fn a_larger_step_during_the_cooldown_adds_only_the_difference() {
    let mut world = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 10, "stepScaling": [{
        "threshold": 70, "comparison": "GreaterThanOrEqualToThreshold", "cooldown": 600,
        "stepAdjustments": [
            {"metricIntervalLowerBound": 0, "metricIntervalUpperBound": 20, "scalingAdjustment": 1},
            {"metricIntervalLowerBound": 20, "scalingAdjustment": 3}
        ]}]}),
        1638.4,
        0.0,
        0.0,
    )
    .unwrap();
    // 80% on 2 tasks: the +1 step.
    let first = desired_changes(&world.advance_to(150_000));
    assert_eq!(
        first.iter().map(|c| c.1).collect::<Vec<_>>(),
        [3],
        "{first:?}"
    );
    let started = first[0].0;
    world.advance_to(240_000);
    // The load rises to 95% of 3 tasks: the +3 step, from the same start
    // (2 + 3 = 5), while the +1 activity's cooldown runs.
    world
        .apply(Command::SetLoad {
            service: "web".into(),
            load: LoadCurve::Constant { units: 2918.4 },
            metric: dockyard_model::sim::Metric::Cpu,
        })
        .unwrap();
    let next = desired_changes(&world.advance_to(400_000));
    assert_eq!(next.len(), 1, "{next:?}");
    let (at, to, reason) = &next[0];
    assert!(*at < started + 600_000, "within the cooldown");
    assert_eq!(*to, 5, "3 + (3 - 1): only the difference is added");
    assert!(reason.contains("only the difference"), "{reason}");
}

#[test]
fn min_adjustment_magnitude_raises_a_small_percent_change() {
    let policy: dockyard_model::sim::StepPolicy = serde_json::from_value(serde_json::json!({
        "threshold": 70, "comparison": "GreaterThanOrEqualToThreshold", "adjustmentType": "PercentChangeInCapacity",
        "minAdjustmentMagnitude": 2,
        "stepAdjustments": [{"metricIntervalLowerBound": 0, "scalingAdjustment": 25}]
    }))
    .unwrap();
    // AWS's example: 25% of 4 is 1, but at least 2 are added.
    assert_eq!(policy.capacity(80.0, 4), Some(6));
    assert_eq!(
        policy.capacity(80.0, 20),
        Some(25),
        "25% of 20 is more than 2"
    );
}

#[test]
fn target_tracking_scales_out_on_any_policy_and_in_only_when_all_agree() {
    // CPU far below its 50% target; requests per target far above theirs.
    let scaling = serde_json::json!({"minCapacity": 1, "maxCapacity": 20, "targetTracking": [
        {"metric": "cpu", "target": 50},
        {"metric": "requestsPerTarget", "target": 1000}
    ]});
    let mut world = scaled(scaling.clone(), 100.0, 0.0, 8000.0).unwrap();
    let changes = desired_changes(&world.advance_to(600_000));
    assert!(!changes.is_empty());
    assert!(
        changes[0].1 > 2 && changes[0].2.contains("requests per target"),
        "{changes:?}"
    );
    // Requests exactly at target (2 tasks x 1000/min): CPU alone wants to
    // scale in, and may not.
    let mut world = scaled(scaling, 100.0, 0.0, 2000.0).unwrap();
    let changes = desired_changes(&world.advance_to(3_600_000));
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn memory_target_tracking_follows_memory_demand() {
    // 2 tasks x 2048 MiB; 3686 MiB of demand is 90%.
    let mut world = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 10,
            "targetTracking": [{"metric": "memory", "target": 60, "disableScaleIn": true}]}),
        0.0,
        3686.4,
        0.0,
    )
    .unwrap();
    let changes = desired_changes(&world.advance_to(600_000));
    assert_eq!(
        changes.first().map(|c| c.1),
        Some(3),
        "ceil(2 x 90 / 60): {changes:?}"
    );
    assert!(changes[0].2.contains("memory 90%"), "{changes:?}");
}

#[test]
fn scaling_policies_that_make_no_sense_are_refused_by_name() {
    let bounds = scaled(
        serde_json::json!({"minCapacity": 5, "maxCapacity": 2, "target": 50}),
        0.0,
        0.0,
        0.0,
    )
    .err()
    .unwrap();
    assert!(bounds.message.contains("minCapacity"), "{}", bounds.message);
    let empty = scaled(
        serde_json::json!({"minCapacity": 1, "maxCapacity": 2}),
        0.0,
        0.0,
        0.0,
    )
    .err()
    .unwrap();
    assert_eq!(empty.code, "scaling");
    let policy: dockyard_model::sim::StepPolicy = serde_json::from_value(serde_json::json!({
        "threshold": 30, "comparison": "LessThanOrEqualToThreshold", "adjustmentType": "PercentChangeInCapacity",
        "stepAdjustments": [{"metricIntervalUpperBound": 0, "scalingAdjustment": -25}]
    }))
    .unwrap();
    // 25% of 3 is 0.75: rounded to one task, never to no change.
    assert_eq!(policy.capacity(10.0, 3), Some(2));
    assert_eq!(policy.capacity(10.0, 10), Some(8), "2.5 rounds toward zero");
    assert!(policy.breaching(30.0) && !policy.breaching(30.1));
    // Below the threshold the upper bound is inclusive: exactly at the
    // threshold the step with upper bound 0 applies.
    assert_eq!(policy.capacity(30.0, 4), Some(3));
    assert_eq!(policy.capacity(10.0, 0), Some(0), "nothing to remove");
}

/// Container `cpu` on EC2 without task-level `cpu` is a relative share,
/// not a cap: a task reserving 256 units that keeps a whole vCPU busy on an
/// otherwise idle instance reads 400% CPUUtilization. With task-level `cpu`
/// (a hard limit) it stops at 100%.
#[test]
fn container_cpu_without_task_cpu_is_a_share_so_ec2_utilization_can_pass_100_percent() {
    let utilization = |task_level_cpu: bool| {
        let mut world = one_instance("m5.large");
        let task_cpu = if task_level_cpu {
            r#""cpu":"256","#
        } else {
            ""
        };
        world
            .apply(Command::RegisterTaskDefinition {
                definition: definition(&format!(
                    r#"{{"family":"app",{task_cpu}"containerDefinitions":[{{"name":"app","image":"public.ecr.aws/nginx/nginx","memory":512,"cpu":256}}]}}"#
                )),
            })
            .unwrap();
        world.advance_to(300_000);
        let mut spec = match service("busy", 1, None, vec![]) {
            Command::CreateService(spec) => spec,
            _ => unreachable!(),
        };
        spec.load = Some(LoadCurve::Constant { units: 1024.0 });
        world.apply(Command::CreateService(spec)).unwrap();
        world.advance_to(600_000);
        world.service_snapshot("busy").unwrap().cpu_utilization
    };
    assert_eq!(
        utilization(false).round(),
        400.0,
        "a share: it borrows the idle vCPU"
    );
    assert_eq!(
        utilization(true).round(),
        100.0,
        "task-level cpu is a hard limit"
    );
}
