//! One answer to "is this an ECR image, and in which Region?" across the
//! model: the registry's recogniser, the task definition checks and the IAM
//! call language must agree on every host, including those they once
//! disagreed on. Lives here, not in any one module, because it asks three.

use dockyard_model::iam::{AppCall, AwsContext};
use dockyard_model::registry::{EcrRegistry, ImageRef};
use dockyard_model::taskdef::looks_like_ecr;

/// The model once had three ECR recognisers: `taskdef::looks_like_ecr`,
/// the IAM `pull` parser, and [`EcrRegistry::from_host`]. They agreed on
/// real hosts and disagreed on these; every caller now gives
/// `from_host`'s answer, the expected region here. The comment after
/// each says what the other two used to answer.
const FORMERLY_DISPUTED: &[(&str, Option<&str>)] = &[
    // taskdef: ECR ("contains .amazonaws.com"); IAM: ECR.
    (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/app",
        None,
    ),
    (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com.cn.x/app",
        None,
    ),
    // taskdef and IAM: ECR, the port ignored.
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com:443/app", None),
    // taskdef: not ECR; IAM: ECR (it checked only the label "amazonaws").
    ("123456789012.dkr.ecr.us-east-1.amazonaws.org/app", None),
    // taskdef and IAM: ECR in a Region that cannot exist.
    ("123456789012.dkr.ecr.US-EAST-1.amazonaws.com/app", None),
    ("123456789012.dkr.ecr.useast1.amazonaws.com/app", None),
    ("123456789012.dkr.ecr.us_east_1.amazonaws.com/app", None),
    ("123456789012.dkr.ecr.-east-1.amazonaws.com/app", None),
    // taskdef: not ECR; IAM: ECR in the empty Region.
    ("123456789012.dkr.ecr..amazonaws.com/app", None),
    // taskdef: ECR; IAM: not ECR (a dot in the "Region").
    ("123456789012.dkr.ecr.us-east-1.foo.amazonaws.com/app", None),
    ("123456789012.dkr.ecr.eu-west-1.x.y.amazonaws.com/app", None),
    // All three agreed on these; kept as the reference points.
    (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app",
        Some("us-east-1"),
    ),
    (
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app",
        Some("cn-north-1"),
    ),
    ("public.ecr.aws/nginx/nginx", None),
    // None of the three knew the FIPS or dual-stack hosts; recognising
    // them would be a deliberate change, not a merge.
    (
        "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/app",
        None,
    ),
    ("123456789012.dkr-ecr.us-east-1.on.aws/app", None),
];

#[test]
fn every_ecr_question_in_the_model_gets_the_same_answer() {
    for &(image, region) in FORMERLY_DISPUTED {
        let ecr = EcrRegistry::of_image(image);
        assert_eq!(ecr.as_ref().map(|e| e.region.as_str()), region, "{image}");
        assert_eq!(looks_like_ecr(image), region.is_some(), "{image}");
        let pull = AppCall::parse(&format!("pull {image}"));
        match (&ecr, pull) {
            (Some(ecr), Ok(AppCall::PullImage { registry, .. })) => assert_eq!(
                registry,
                Some(AwsContext::new(&ecr.account_id, &ecr.region)),
                "{image}"
            ),
            (None, Err(error)) => {
                assert!(
                    error.reason.contains("not a private ECR image"),
                    "{image}: {error}"
                )
            }
            (ecr, pull) => panic!("{image}: of_image says {ecr:?}, pull says {pull:?}"),
        }
        if let Ok(parsed) = ImageRef::parse(image) {
            assert_eq!(parsed.ecr(), ecr, "{image}");
        }
    }
}
