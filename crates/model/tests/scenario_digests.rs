//! Golden event digests of every shipped scenario, run with its own seed
//! (recorded before the world was split into modules). A restructuring of the simulation must leave every one unchanged;
//! a change that alters a run on purpose updates this table in the same
//! commit and says why.

use std::path::Path;

use dockyard_model::sim::scenario::Scenario;

/// (scenario, digest of its events). The four scenarios that create roles
/// changed on 2026-12-05 only by the IAM events (`What::PolicyChanged`)
/// their createRole steps now record. secret-the-execution-role-cannot-read
/// and a-full-cluster came on 2026-12-06 (issue 22), and
/// a-fargate-task-with-no-way-out (assignPublicIp), leftovers-still-billing
/// (the teardown check) and a-task-role-ecs-cannot-assume on 2026-12-06 too;
/// leftovers-still-billing changed on 2026-12-07 by its NAT gateway and
/// load balancer (`What::NetworkResource`).
const GOLDEN: &[(&str, &str)] = &[
    ("a-fargate-task-with-no-way-out", "1725820167d20fa9"),
    ("a-full-cluster", "4698ff2bbfb0dea8"),
    ("a-task-role-ecs-cannot-assume", "ee3866cca68c51db"),
    ("a-thousand-tasks", "36f98e3d9abd9fe6"),
    ("az-outage", "e2bc36adf9848f86"),
    ("cannot-pull-image", "254e9050bb084a84"),
    ("capacity-provider-from-zero", "3e1486897c5dc14b"),
    ("container-memory-limits", "ec4e214bd755a12e"),
    ("docker-hub-rate-limit", "e9291d47fbdc8f2f"),
    ("ec2-spot-interruption", "331672490e98cf5d"),
    ("efs-and-ebs-zone-loss", "d66c845b80d8f650"),
    ("efs-and-ephemeral-storage", "4416ba3479fdee9e"),
    ("eks-ebs-zone-affinity", "069367a9ea907ae2"),
    ("eks-fargate-profile", "3c4d300c752062a9"),
    ("eks-hpa-cluster-autoscaler", "45b6010610599cda"),
    ("fargate-spot-interruption", "580059fcd29754d1"),
    ("instance-profile-fallback", "b6d1b1378b67ff29"),
    ("leftovers-still-billing", "f044c192b5e9ee1a"),
    ("policies-beyond-the-role", "e95d963c4831b26f"),
    ("rolling-deployment-circuit-breaker", "229f5522e1f12c29"),
    ("scaling-policies", "aeac9dafd1e37066"),
    ("secret-the-execution-role-cannot-read", "26610d41ed234d9c"),
    ("task-roles-s3", "63cc446f31be8840"),
    ("web-on-ec2-capacity-provider", "cb15e95c2c2ca119"),
    ("web-on-fargate", "e0cfdc78ccdb1d8c"),
];

fn shipped() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut found: Vec<(String, Scenario)> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path
                .file_name()?
                .to_str()?
                .strip_suffix(".scenario.json")?
                .to_string();
            let text = std::fs::read_to_string(&path).expect("readable scenario");
            let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            Some((name, scenario))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_shipped_scenario_gives_its_golden_digest() {
    let actual: Vec<(String, String)> = shipped()
        .into_iter()
        .map(|(name, scenario)| (name, scenario.run(None, None).digest))
        .collect();
    let table: String = actual
        .iter()
        .map(|(name, digest)| format!("    ({name:?}, {digest:?}),\n"))
        .collect();
    let golden: Vec<(String, String)> = GOLDEN
        .iter()
        .map(|(name, digest)| (name.to_string(), digest.to_string()))
        .collect();
    assert_eq!(
        actual, golden,
        "the runs differ from the golden table; if that is on purpose, the table is now:\n{table}"
    );
}
