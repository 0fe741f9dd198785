//! The shipped scenarios, compiled in so that the sandbox works from any
//! static host with no extra requests. The files themselves live in
//! scenarios/ (where `dockyard simulate` and the model's tests read them);
//! build.rs copies them here without their whitespace.

#[derive(Debug, PartialEq, Eq)]
pub struct ShippedScenario {
    pub slug: &'static str,
    pub json: &'static str,
}

macro_rules! shipped {
    ($($slug:literal),* $(,)?) => {
        &[$(ShippedScenario {
            slug: $slug,
            json: include_str!(concat!(env!("OUT_DIR"), "/scenarios/", $slug, ".scenario.json")),
        }),*]
    };
}

/// In the order a learner meets them.
pub const SCENARIOS: &[ShippedScenario] = shipped![
    "web-on-fargate",
    "web-on-ec2-capacity-provider",
    "capacity-provider-from-zero",
    "scaling-policies",
    "az-outage",
    "ec2-spot-interruption",
    "fargate-spot-interruption",
    "rolling-deployment-circuit-breaker",
    "container-memory-limits",
    "cannot-pull-image",
    "docker-hub-rate-limit",
    "task-roles-s3",
    "instance-profile-fallback",
    "efs-and-ephemeral-storage",
    "efs-and-ebs-zone-loss",
    "eks-hpa-cluster-autoscaler",
    "eks-fargate-profile",
    "a-thousand-tasks",
];

pub fn scenario(slug: &str) -> Option<&'static ShippedScenario> {
    SCENARIOS.iter().find(|s| s.slug == slug)
}

#[cfg(test)]
mod tests {
    /// A scenario added to scenarios/ is in the sandbox too.
    #[test]
    fn every_file_in_scenarios_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(slug) = name.strip_suffix(".scenario.json") {
                assert!(
                    super::scenario(slug).is_some(),
                    "{slug} is not in SCENARIOS"
                );
            }
        }
    }
}
