//! One IAM decision by the whole evaluation logic. Run:
//! cargo bench -p dockyard-model --bench iam_decision
//!
//! Ten identity policies of twenty statements each (wildcards, conditions
//! on three context keys, a policy variable), a permissions boundary and a
//! resource policy, as issue 18 asks; criterion prints the time per
//! decision.

use criterion::{criterion_group, criterion_main, Criterion};
use dockyard_model::iam::{
    authorize, Caller, Named, Policies, PolicyDocument, Request, RequestContext, ResourcePolicyKind,
};
use serde_json::json;

fn policy(seed: usize) -> PolicyDocument {
    let statements: Vec<serde_json::Value> = (0..20)
        .map(|i| {
            let n = seed * 20 + i;
            let mut statement = json!({
                "Sid": format!("S{n}"),
                "Effect": if n % 17 == 0 { "Deny" } else { "Allow" },
                "Action": [format!("s3:Get*{}", n % 3), "ecr:BatchGetImage", format!("dynamodb:Query{n}")],
                "Resource": [format!("arn:aws:s3:::bucket-{n}/*"), "arn:aws:s3:::reports/${aws:PrincipalTag/team}/*"],
            });
            if n % 2 == 0 {
                statement["Condition"] = json!({
                    "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                    "Bool": {"aws:SecureTransport": "true"},
                    "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}
                });
            }
            statement
        })
        .collect();
    PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statements}).to_string())
        .expect("valid")
}

fn one_decision(c: &mut Criterion) {
    let documents: Vec<PolicyDocument> = (0..10).map(policy).collect();
    let boundary = policy(10);
    let resource = PolicyDocument::parse(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "s3:GetObject"}]})
        .to_string(),
    )
    .expect("valid");
    let request = Request {
        caller: Caller::role_session("111122223333", "app", "task-1"),
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::reports/blue/q1.csv".into(),
        resource_account: None,
        context: RequestContext::new()
            .with("aws:RequestedRegion", "eu-west-1")
            .with("aws:SecureTransport", "true")
            .with("aws:SourceIp", "10.1.2.3")
            .with("aws:PrincipalTag/team", "blue"),
    };
    let policies = Policies {
        identity: documents
            .iter()
            .enumerate()
            .map(|(i, document)| Named {
                name: ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"][i],
                document,
            })
            .collect(),
        resource: Some((
            Named {
                name: "bucket",
                document: &resource,
            },
            ResourcePolicyKind::Ordinary,
        )),
        boundary: Some(Named {
            name: "boundary",
            document: &boundary,
        }),
        ..Policies::default()
    };
    assert!(
        !authorize(&request, &policies).verdicts.is_empty(),
        "the decision reads the policies"
    );
    c.bench_function(
        "one decision: 10 policies x 20 statements, a boundary and a resource policy",
        |b| b.iter(|| authorize(&request, &policies)),
    );
}

criterion_group!(benches, one_decision);
criterion_main!(benches);
