//! IAM on arbitrary input: the first line of the bytes is a request context
//! (`key=value` pairs separated by `;`), the rest a policy document used as
//! identity policy, boundary and resource policy at once. Parsing and the
//! whole evaluation logic must never panic, and an explicit deny in the
//! identity policy must never come out allowed.
//! Run: cd crates/model/fuzz && cargo +nightly fuzz run iam -- -max_total_time=600
#![no_main]

use dockyard_model::iam::{
    authorize, Caller, DecisionEffect, Named, Policies, PolicyDocument, Request, RequestContext,
    ResourcePolicyKind,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, rest) = text.split_once('\n').unwrap_or(("", text));
    let mut context = RequestContext::new();
    for pair in first.split(';') {
        if let Some((key, value)) = pair.split_once('=') {
            context.set(key, value.split(',').map(str::to_string).collect());
        }
    }
    let Ok(document) = PolicyDocument::parse(rest) else {
        return;
    };
    for (action, resource) in [
        ("s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/app"),
    ] {
        let request = Request {
            caller: Caller::role_session("111122223333", "app", "s"),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: context.clone(),
        };
        let named = Named { name: "p", document: &document };
        let answer = authorize(
            &request,
            &Policies {
                identity: vec![named],
                boundary: Some(named),
                resource: Some((named, ResourcePolicyKind::Ordinary)),
                ..Policies::default()
            },
        );
        let identity_denies = answer
            .verdicts
            .iter()
            .any(|v| v.denies);
        if identity_denies {
            assert_eq!(answer.effect, DecisionEffect::ExplicitlyDenied);
        }
    }
});
