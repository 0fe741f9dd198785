//! The decision the IAM benchmarks time, natively (`cargo bench -p
//! dockyard-model --bench iam_decision`) and in the browser
//! (`scripts/bench-ui`, through the app's `bench_iam_decision`), so that
//! the two figures are of the same work: ten identity policies of twenty
//! statements each (wildcards, conditions on three context keys, a policy
//! variable), a permissions boundary and a resource policy, as issue 18
//! asks.

use super::authorization::{
    authorize, Authorization, Caller, Named, Policies, Request, ResourcePolicyKind,
};
use super::conditions::RequestContext;
use super::policy::PolicyDocument;

/// The policies and the request of one benchmark decision.
pub struct DecisionWorkload {
    identity: Vec<PolicyDocument>,
    boundary: PolicyDocument,
    resource: PolicyDocument,
    request: Request,
}

const NAMES: [&str; 10] = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"];

fn policy(seed: usize) -> PolicyDocument {
    // JSON text rather than `json!`, whose expansion would cost the
    // browser bundle for a benchmark.
    let statements: Vec<String> = (0..20)
        .map(|i| {
            let n = seed * 20 + i;
            let effect = if n % 17 == 0 { "Deny" } else { "Allow" };
            let condition = if n % 2 == 0 {
                r#", "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                    "Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#
            } else {
                ""
            };
            format!(
                r#"{{"Sid": "S{n}", "Effect": "{effect}",
                    "Action": ["s3:Get*{}", "ecr:BatchGetImage", "dynamodb:Query{n}"],
                    "Resource": ["arn:aws:s3:::bucket-{n}/*", "arn:aws:s3:::reports/${{aws:PrincipalTag/team}}/*"]{condition}}}"#,
                n % 3
            )
        })
        .collect();
    PolicyDocument::parse(&format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(", ")
    ))
    .expect("a valid policy")
}

impl DecisionWorkload {
    pub fn new() -> Self {
        DecisionWorkload {
            identity: (0..10).map(policy).collect(),
            boundary: policy(10),
            resource: PolicyDocument::parse(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "s3:GetObject"}]}"#,
            )
            .expect("a valid policy"),
            request: Request {
                caller: Caller::role_session("111122223333", "app", "task-1"),
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::reports/blue/q1.csv".into(),
                resource_account: None,
                context: RequestContext::new()
                    .with("aws:RequestedRegion", "eu-west-1")
                    .with("aws:SecureTransport", "true")
                    .with("aws:SourceIp", "10.1.2.3")
                    .with("aws:PrincipalTag/team", "blue"),
            },
        }
    }

    /// The decision, by the whole evaluation logic.
    pub fn decide(&self) -> Authorization {
        let policies = Policies {
            identity: self
                .identity
                .iter()
                .zip(NAMES)
                .map(|(document, name)| Named { name, document })
                .collect(),
            resource: Some((
                Named {
                    name: "bucket",
                    document: &self.resource,
                },
                ResourcePolicyKind::Ordinary,
            )),
            boundary: Some(Named {
                name: "boundary",
                document: &self.boundary,
            }),
            ..Policies::default()
        };
        authorize(&self.request, &policies)
    }
}

impl Default for DecisionWorkload {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workload reads every policy, and its answer is the documented
    /// one: the resource policy names the role (not the session), so the
    /// boundary limits it, and the boundary's own statements do not allow
    /// this object.
    #[test]
    fn the_benchmark_decision_reads_every_policy_and_is_decided_by_the_boundary() {
        let answer = DecisionWorkload::new().decide();
        assert_eq!(answer.verdicts.len(), 3, "resource, identity, boundary");
        assert_eq!(
            answer
                .verdict(super::super::PolicyType::IdentityBased)
                .map(|v| v.policies.len()),
            Some(10)
        );
        assert_eq!(
            answer.decided_by,
            Some(super::super::PolicyType::PermissionsBoundary),
            "{}",
            answer.explanation
        );
    }
}
