//! One IAM decision by the whole evaluation logic. Run:
//! cargo bench -p dockyard-model --bench iam_decision
//!
//! The workload (`iam::DecisionWorkload`): ten identity policies of twenty
//! statements each (wildcards, conditions on three context keys, a policy
//! variable), a permissions boundary and a resource policy, as issue 18
//! asks; criterion prints the time per decision. `scripts/bench-ui` times
//! the same workload in headless Chromium.

use criterion::{criterion_group, criterion_main, Criterion};
use dockyard_model::iam::DecisionWorkload;

fn one_decision(c: &mut Criterion) {
    let workload = DecisionWorkload::new();
    assert!(
        !workload.decide().verdicts.is_empty(),
        "the decision reads the policies"
    );
    c.bench_function(
        "one decision: 10 policies x 20 statements, a boundary and a resource policy",
        |b| b.iter(|| workload.decide()),
    );
}

criterion_group!(benches, one_decision);
criterion_main!(benches);
