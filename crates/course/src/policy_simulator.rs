//! The policy simulator page as data: the policies and the request a
//! learner writes (a [`Draft`], kept as typed so that nothing is lost),
//! read into the model's whole evaluation logic ([`iam::authorize`]) and
//! its policy checks, and the examples the page starts from. The page only
//! draws what [`Draft::simulate`] answers.

use serde::{Deserialize, Serialize};

use dockyard_model::iam::{
    self, account_of, authorize, check_policy, Authorization, Caller, Named, Policies,
    PolicyDocument, PolicyFinding, PolicyUse, Request, RequestContext, ResourcePolicyKind,
};

/// The most text one field keeps: far above IAM's own limits (an inline
/// role policy is at most 10,240 characters), so only abuse is refused.
pub const MAX_FIELD_CHARS: usize = 20_000;

/// What the learner has written, field by field, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Draft {
    /// The caller's identity-based policy (empty: none, as for a service).
    #[serde(default)]
    pub identity: String,
    /// The resource's policy, and what kind it is.
    #[serde(default)]
    pub resource_policy: String,
    #[serde(default)]
    pub resource_kind: ResourceKind,
    #[serde(default)]
    pub boundary: String,
    #[serde(default)]
    pub session: String,
    /// The service control policy of the caller's account (empty: the
    /// account is in no organization).
    #[serde(default)]
    pub scp: String,
    /// The resource control policy of the resource's account.
    #[serde(default)]
    pub rcp: String,
    /// A role, session or user ARN, or a service principal
    /// (`ecs-tasks.amazonaws.com`).
    pub caller: String,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource, when its ARN does not say (S3).
    #[serde(default)]
    pub resource_owner: String,
    /// One context key per line: `KEY=VALUE` or `KEY=V1,V2`.
    #[serde(default)]
    pub context: String,
    /// The example this draft started from, so that its advice stays in
    /// view while the learner edits (empty: a draft of their own).
    #[serde(default)]
    pub example: String,
}

/// What kind of resource policy the resource has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourceKind {
    /// A bucket, repository or secret policy: may grant alone in one account.
    #[default]
    Ordinary,
    /// A role's trust policy: must allow, even in one account.
    Trust,
    /// A KMS key policy: must allow, even in one account.
    Key,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 3] = [
        ResourceKind::Ordinary,
        ResourceKind::Trust,
        ResourceKind::Key,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::Ordinary => "ordinary",
            ResourceKind::Trust => "trust",
            ResourceKind::Key => "key",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Ordinary => "Bucket, repository or secret policy",
            ResourceKind::Trust => "Role trust policy",
            ResourceKind::Key => "KMS key policy",
        }
    }

    pub fn from_key(key: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    fn model(self) -> ResourcePolicyKind {
        match self {
            ResourceKind::Ordinary => ResourcePolicyKind::Ordinary,
            ResourceKind::Trust => ResourcePolicyKind::RoleTrust,
            ResourceKind::Key => ResourcePolicyKind::KmsKey,
        }
    }
}

/// A field of the form, for the words and the element ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Identity,
    ResourcePolicy,
    Boundary,
    Session,
    Scp,
    Rcp,
    Caller,
    Action,
    Resource,
    ResourceOwner,
    Context,
}

impl Field {
    /// The policy fields, in the order the page shows them.
    pub const POLICIES: [Field; 6] = [
        Field::Identity,
        Field::ResourcePolicy,
        Field::Boundary,
        Field::Session,
        Field::Scp,
        Field::Rcp,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Identity => "Identity-based policy",
            Field::ResourcePolicy => "Resource-based policy",
            Field::Boundary => "Permissions boundary",
            Field::Session => "Session policy",
            Field::Scp => "Service control policy (SCP)",
            Field::Rcp => "Resource control policy (RCP)",
            Field::Caller => "Caller",
            Field::Action => "Action",
            Field::Resource => "Resource ARN",
            Field::ResourceOwner => "Resource owner account",
            Field::Context => "Request context",
        }
    }

    /// The element id of its control on the page.
    pub fn id(self) -> &'static str {
        match self {
            Field::Identity => "policy-identity",
            Field::ResourcePolicy => "policy-resource",
            Field::Boundary => "policy-boundary",
            Field::Session => "policy-session",
            Field::Scp => "policy-scp",
            Field::Rcp => "policy-rcp",
            Field::Caller => "request-caller",
            Field::Action => "request-action",
            Field::Resource => "request-resource",
            Field::ResourceOwner => "request-owner",
            Field::Context => "request-context",
        }
    }

    /// How the policy in this field is used, for the policy checks.
    fn usage(self, kind: ResourceKind) -> PolicyUse {
        match self {
            Field::ResourcePolicy if kind == ResourceKind::Trust => PolicyUse::Trust,
            Field::ResourcePolicy => PolicyUse::Resource,
            Field::Scp | Field::Rcp => PolicyUse::Organization,
            _ => PolicyUse::Identity,
        }
    }

    pub fn text(self, draft: &Draft) -> &str {
        match self {
            Field::Identity => &draft.identity,
            Field::ResourcePolicy => &draft.resource_policy,
            Field::Boundary => &draft.boundary,
            Field::Session => &draft.session,
            Field::Scp => &draft.scp,
            Field::Rcp => &draft.rcp,
            Field::Caller => &draft.caller,
            Field::Action => &draft.action,
            Field::Resource => &draft.resource,
            Field::ResourceOwner => &draft.resource_owner,
            Field::Context => &draft.context,
        }
    }

    pub fn text_mut(self, draft: &mut Draft) -> &mut String {
        match self {
            Field::Identity => &mut draft.identity,
            Field::ResourcePolicy => &mut draft.resource_policy,
            Field::Boundary => &mut draft.boundary,
            Field::Session => &mut draft.session,
            Field::Scp => &mut draft.scp,
            Field::Rcp => &mut draft.rcp,
            Field::Caller => &mut draft.caller,
            Field::Action => &mut draft.action,
            Field::Resource => &mut draft.resource,
            Field::ResourceOwner => &mut draft.resource_owner,
            Field::Context => &mut draft.context,
        }
    }
}

/// Why a field cannot be read: the request is not decided until it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

/// The answer for a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    /// Fields that cannot be read; when any, there is no answer.
    pub problems: Vec<Problem>,
    /// The policy checks' findings, by field.
    pub findings: Vec<(Field, PolicyFinding)>,
    pub request: Option<Request>,
    pub answer: Option<Authorization>,
}

impl Draft {
    /// Reads a stored draft; an unknown field or a wrong type is an error,
    /// so that tampered storage is set aside rather than half read.
    pub fn parse(json: &str) -> Result<Draft, String> {
        let draft: Draft = serde_json::from_str(json).map_err(|e| e.to_string())?;
        for field in Field::POLICIES.into_iter().chain([
            Field::Caller,
            Field::Action,
            Field::Resource,
            Field::Context,
        ]) {
            if field.text(&draft).chars().count() > MAX_FIELD_CHARS {
                return Err(format!(
                    "{} is longer than {MAX_FIELD_CHARS} characters",
                    field.label()
                ));
            }
        }
        Ok(draft)
    }

    /// The example it started from, if any.
    pub fn started_from(&self) -> Option<&'static Example> {
        example(&self.example)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft serializes")
    }

    /// Reads every field and, when all can be read, decides the request.
    pub fn simulate(&self) -> Simulation {
        let mut problems = Vec::new();
        let mut findings = Vec::new();
        let mut documents: Vec<(Field, PolicyDocument)> = Vec::new();
        for field in Field::POLICIES {
            let text = field.text(self).trim();
            if text.is_empty() {
                continue;
            }
            if text.chars().count() > MAX_FIELD_CHARS {
                problems.push(Problem {
                    field,
                    message: format!("longer than {MAX_FIELD_CHARS} characters"),
                });
                continue;
            }
            findings.extend(
                check_policy(text, field.usage(self.resource_kind))
                    .into_iter()
                    .map(|finding| (field, finding)),
            );
            match PolicyDocument::parse(text) {
                Ok(document) => documents.push((field, document)),
                Err(error) => problems.push(Problem {
                    field,
                    message: error.to_string(),
                }),
            }
        }
        let caller = self.caller.trim();
        let account = "111122223333";
        if !(caller.starts_with("arn:aws:") || caller.ends_with(".amazonaws.com")) {
            problems.push(Problem {
                field: Field::Caller,
                message: "write a role, session or user ARN (arn:aws:iam::111122223333:role/app), or a service principal (ecs-tasks.amazonaws.com)".into(),
            });
        }
        let action = self.action.trim();
        if !action.contains(':') || action.contains(char::is_whitespace) {
            problems.push(Problem {
                field: Field::Action,
                message: "write one action as service:Action, such as s3:GetObject".into(),
            });
        }
        let resource = self.resource.trim();
        if resource.is_empty() {
            problems.push(Problem {
                field: Field::Resource,
                message: "write the resource's ARN, or * for an action that takes none".into(),
            });
        }
        let owner = self.resource_owner.trim();
        let account_id = owner.len() == 12 && owner.chars().all(|c| c.is_ascii_digit());
        if !owner.is_empty() && !account_id {
            problems.push(Problem {
                field: Field::ResourceOwner,
                message: "an account ID is 12 digits (or leave it empty: the ARN's account, else the caller's)".into(),
            });
        }
        let context = match parse_context(&self.context) {
            Ok(context) => context,
            Err(message) => {
                problems.push(Problem {
                    field: Field::Context,
                    message,
                });
                RequestContext::new()
            }
        };
        if !problems.is_empty() {
            return Simulation {
                problems,
                findings,
                request: None,
                answer: None,
            };
        }
        let resource_account = if owner.is_empty() {
            account_of(resource).map(str::to_string)
        } else {
            Some(owner.to_string())
        };
        let caller = if caller.ends_with(".amazonaws.com") {
            // A service principal belongs to no customer account: it acts
            // on the resource's, and the account it acts for arrives as
            // aws:SourceAccount, which the conditions test.
            Caller::service(caller, resource_account.as_deref().unwrap_or(account))
        } else {
            Caller::from_arn(caller, account)
        };
        let request = Request {
            caller,
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account,
            context,
        };
        let of = |wanted: Field| {
            documents
                .iter()
                .find(|(field, _)| *field == wanted)
                .map(|(field, document)| Named {
                    name: field.label(),
                    document,
                })
        };
        let policies = Policies {
            identity: of(Field::Identity).into_iter().collect(),
            resource: of(Field::ResourcePolicy).map(|named| (named, self.resource_kind.model())),
            boundary: of(Field::Boundary),
            session: of(Field::Session),
            scps: of(Field::Scp).map(|named| vec![named]),
            rcps: of(Field::Rcp).map(|named| vec![named]),
        };
        let answer = authorize(&request, &policies);
        Simulation {
            problems,
            findings,
            request: Some(request),
            answer: Some(answer),
        }
    }
}

/// One key per line, `KEY=VALUE` or `KEY=V1,V2`; blank lines and lines
/// starting with `#` are skipped.
fn parse_context(text: &str) -> Result<RequestContext, String> {
    let mut context = RequestContext::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, values)) = line.split_once('=') else {
            return Err(format!(
                "line {}: write KEY=VALUE or KEY=V1,V2 (\"{line}\" has no =)",
                number + 1
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("line {}: the key before = is empty", number + 1));
        }
        context.set(
            key,
            values.split(',').map(|v| v.trim().to_string()).collect(),
        );
    }
    Ok(context)
}

/// A starting point: a documented situation, set up to show its rule.
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// What to look at, and what to change to see the rule work.
    pub try_this: &'static str,
    pub draft: fn() -> Draft,
}

/// A policy as a learner reads one: IAM's usual element order (Version,
/// Sid, Effect, Principal, Action, Resource, Condition), not the
/// alphabetical order of a JSON map.
///
/// Written as JSON text, not with `json!`, whose expansion is code that
/// every learner would download.
fn pretty(text: &str) -> String {
    PolicyDocument::parse(text)
        .expect("an example's policy is valid")
        .to_json_pretty()
}

/// The examples, the first shown to a learner who has no draft.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "cross-account-pull",
        title: "A cross-account ECR pull",
        try_this: "The execution role's managed policy allows ecr:BatchGetImage everywhere, yet the pull from account 444455556666 is denied: across accounts the repository policy must allow too. Add the role (or its account's root) as a Principal in the repository policy.",
        draft: || Draft {
            identity: iam::managed_policy("AmazonECSTaskExecutionRolePolicy")
                .map(|p| p.to_json_pretty())
                .unwrap_or_default(),
            resource_policy: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Sid": "PullForPayments", "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::777788889999:root"},
                    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}]
            }"#),
            caller: "arn:aws:iam::111122223333:role/platformExecutionRole".into(),
            action: "ecr:BatchGetImage".into(),
            resource: "arn:aws:ecr:us-east-1:444455556666:repository/shared/base".into(),
            context: "aws:RequestedRegion=us-east-1\naws:SecureTransport=true".into(),
            ..Draft::default()
        },
    },
    Example {
        id: "confused-deputy",
        title: "ECS assuming a task role for another account",
        try_this: "ECS acts for a task of account 999999999999 and is refused by the trust policy's conditions, as it should be. Change aws:SourceAccount and aws:SourceArn to this account's and the assumption is allowed; remove the Condition and it is allowed for anyone's task.",
        draft: || Draft {
            resource_policy: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"},
                                  "StringEquals": {"aws:SourceAccount": "111122223333"}}}]
            }"#),
            resource_kind: ResourceKind::Trust,
            caller: "ecs-tasks.amazonaws.com".into(),
            action: "sts:AssumeRole".into(),
            resource: "arn:aws:iam::111122223333:role/reportsRole".into(),
            resource_owner: "111122223333".into(),
            context: "aws:SourceAccount=999999999999\naws:SourceArn=arn:aws:ecs:us-east-1:999999999999:task/their-cluster/0123456789abcdef".into(),
            ..Draft::default()
        },
    },
    Example {
        id: "boundary",
        title: "A permissions boundary caps a task role",
        try_this: "The role's own policy allows s3:* everywhere; the boundary allows only the team-* buckets, so the write to billing is denied. Change the resource to arn:aws:s3:::team-uploads/a.csv and it is allowed: the boundary grants nothing itself, it only caps.",
        draft: || Draft {
            identity: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Sid": "EverythingInS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
            }"#),
            boundary: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Sid": "TeamBuckets", "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                    "Resource": ["arn:aws:s3:::team-*", "arn:aws:s3:::team-*/*"]}]
            }"#),
            caller: "arn:aws:sts::111122223333:assumed-role/uploaderRole/0123456789abcdef".into(),
            action: "s3:PutObject".into(),
            resource: "arn:aws:s3:::billing/ledger.csv".into(),
            context: "aws:SecureTransport=true".into(),
            ..Draft::default()
        },
    },
    Example {
        id: "scp-region",
        title: "An SCP that keeps an account in one Region",
        try_this: "The SCP allows everything and denies every request outside us-east-1 (the global services excepted). Set aws:RequestedRegion to us-east-1 and the write is allowed; delete the SCP's Allow statement and everything is denied, because SCPs never grant.",
        draft: || Draft {
            identity: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Sid": "LedgerEverywhere", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                    "Resource": "arn:aws:dynamodb:*:111122223333:table/ledger"}]
            }"#),
            scp: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"},
                    {"Sid": "DenyOutsideUsEast1", "Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "sts:*"],
                     "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}]
            }"#),
            caller: "arn:aws:iam::111122223333:role/ledgerRole".into(),
            action: "dynamodb:PutItem".into(),
            resource: "arn:aws:dynamodb:eu-west-1:111122223333:table/ledger".into(),
            context: "aws:RequestedRegion=eu-west-1".into(),
            ..Draft::default()
        },
    },
    Example {
        id: "key-policy",
        title: "A KMS key policy must allow, even in one account",
        try_this: "The role's policy allows kms:Decrypt on the key, but the key policy names only an administrator, so the request is denied. Add a statement naming the account's root (arn:aws:iam::111122223333:root) with kms:* and the role's own policy decides, as with the default key policy.",
        draft: || Draft {
            identity: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]
            }"#),
            resource_policy: pretty(r#"{
                "Version": "2012-10-17",
                "Statement": [{"Sid": "KeyAdministrators", "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
                    "Action": "kms:*", "Resource": "*"}]
            }"#),
            resource_kind: ResourceKind::Key,
            caller: "arn:aws:iam::111122223333:role/ledgerExecutionRole".into(),
            action: "kms:Decrypt".into(),
            resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            context: "kms:ViaService=secretsmanager.us-east-1.amazonaws.com".into(),
            ..Draft::default()
        },
    },
];

/// The example with this id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

impl Example {
    /// The example's draft, remembering where it came from.
    pub fn start(&self) -> Draft {
        Draft {
            example: self.id.to_string(),
            ..(self.draft)()
        }
    }

    /// Whether `draft` is this example as it started, unedited.
    pub fn unedited(&self, draft: &Draft) -> bool {
        *draft == self.start()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockyard_model::iam::{DecisionEffect, PolicyType};

    fn decided(draft: &Draft) -> Authorization {
        let simulation = draft.simulate();
        assert!(simulation.problems.is_empty(), "{:?}", simulation.problems);
        simulation.answer.expect("an answer")
    }

    /// Each example starts denied, for the reason its text gives, and the
    /// change it suggests turns it into the documented answer.
    #[test]
    fn each_example_shows_its_rule_and_its_suggested_change_works() {
        let answer = decided(&example("cross-account-pull").unwrap().start());
        assert_eq!(answer.effect, DecisionEffect::ImplicitlyDenied);
        assert_eq!(answer.decided_by, Some(PolicyType::ResourceBased));
        let mut fixed = example("cross-account-pull").unwrap().start();
        fixed.resource_policy = fixed.resource_policy.replace(
            "777788889999:root",
            "111122223333:role/platformExecutionRole",
        );
        assert!(decided(&fixed).is_allowed());

        let deputy = example("confused-deputy").unwrap().start();
        assert_eq!(decided(&deputy).effect, DecisionEffect::ImplicitlyDenied);
        let mut own = deputy.clone();
        own.context = own.context.replace("999999999999", "111122223333");
        assert!(decided(&own).is_allowed());

        let boundary = example("boundary").unwrap().start();
        let answer = decided(&boundary);
        assert_eq!(answer.decided_by, Some(PolicyType::PermissionsBoundary));
        let mut team = boundary.clone();
        team.resource = "arn:aws:s3:::team-uploads/a.csv".into();
        assert!(decided(&team).is_allowed());

        let scp = example("scp-region").unwrap().start();
        let answer = decided(&scp);
        assert_eq!(answer.effect, DecisionEffect::ExplicitlyDenied);
        assert_eq!(answer.decided_by, Some(PolicyType::ServiceControl));
        let mut home = scp.clone();
        home.context = "aws:RequestedRegion=us-east-1".into();
        assert!(decided(&home).is_allowed());
        let mut no_allow = home.clone();
        no_allow.scp = no_allow.scp.replace("\"Allow\"", "\"Deny\"");
        assert!(!decided(&no_allow).is_allowed());

        let key = example("key-policy").unwrap().start();
        assert_eq!(decided(&key).decided_by, Some(PolicyType::ResourceBased));
        let mut delegated = key.clone();
        delegated.resource_policy = delegated.resource_policy.replace("role/KeyAdmin", "root");
        assert!(decided(&delegated).is_allowed());
    }

    #[test]
    fn unreadable_fields_are_named_and_nothing_is_decided() {
        let draft = Draft {
            identity: "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\"}]}"
                .into(),
            caller: "app".into(),
            action: "GetObject".into(),
            resource: String::new(),
            resource_owner: "1234".into(),
            context: "aws:SourceIp 10.0.0.1".into(),
            ..Draft::default()
        };
        let simulation = draft.simulate();
        assert!(simulation.answer.is_none());
        let fields: Vec<Field> = simulation.problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::Identity,
                Field::Caller,
                Field::Action,
                Field::Resource,
                Field::ResourceOwner,
                Field::Context
            ]
        );
        assert!(
            simulation.problems[0].message.contains("Effect"),
            "{:?}",
            simulation.problems[0]
        );
        assert!(simulation.problems[5].message.starts_with("line 1:"));
        // The policy check names the same element.
        assert!(simulation
            .findings
            .iter()
            .any(|(field, f)| *field == Field::Identity && f.code == "policy-syntax"));
    }

    #[test]
    fn a_stored_draft_round_trips_and_tampering_is_refused() {
        let draft = EXAMPLES[0].start();
        assert_eq!(Draft::parse(&draft.to_json()).unwrap(), draft);
        assert!(Draft::parse("{\"caller\": 1}").is_err());
        assert!(Draft::parse(
            "{\"caller\": \"a\", \"action\": \"b\", \"resource\": \"c\", \"evil\": true}"
        )
        .is_err());
        let long = Draft {
            identity: "x".repeat(MAX_FIELD_CHARS + 1),
            ..draft
        };
        assert!(Draft::parse(&long.to_json())
            .unwrap_err()
            .contains("longer than"));
    }

    /// The deputy is refused by the trust policy's conditions, not by the
    /// cross-account rule: a service principal is in no customer account.
    #[test]
    fn a_service_caller_is_refused_by_the_conditions_on_what_it_acts_for() {
        let draft = example("confused-deputy").unwrap().start();
        let simulation = draft.simulate();
        let request = simulation.request.unwrap();
        assert_eq!(
            request.caller.service.as_deref(),
            Some("ecs-tasks.amazonaws.com")
        );
        assert_eq!(request.caller.account, "111122223333");
        let answer = simulation.answer.unwrap();
        assert!(
            answer.explanation.contains("trust policy must allow"),
            "{}",
            answer.explanation
        );
        let notes = &answer.verdict(PolicyType::ResourceBased).unwrap().notes;
        assert!(
            notes
                .iter()
                .any(|n| n.contains("aws:SourceAccount") && n.contains("does not hold")),
            "{notes:?}"
        );
    }
}
