//! Policy checks in the manner of IAM Access Analyzer's policy validation:
//! errors (the policy does not do what it looks like, or IAM refuses it),
//! security warnings (it grants more than it seems to), warnings and
//! suggestions, each with a stable code, the path of the element, and why.
//! Dockyard checks what its own course meets; it does not know every action
//! of every AWS service, so an action name is checked only for its service
//! prefix, and only against the services the course uses.

use serde::Serialize;

use super::conditions;
use super::policy::{Actions, Effect, PolicyDocument, PolicyPrincipal, Resources, Statement};

/// How serious a finding is, in Access Analyzer's four kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum CheckKind {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

/// Where a policy is attached, which decides what it may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PolicyUse {
    /// Attached to a role, user or group (also a permissions boundary or a
    /// session policy).
    Identity,
    /// On a resource (bucket, repository, key, secret).
    Resource,
    /// A role's trust policy.
    Trust,
    /// A service or resource control policy.
    Organization,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyFinding {
    pub code: &'static str,
    pub kind: CheckKind,
    /// `Statement[1].Action[0]`, or empty for the whole document.
    pub path: String,
    pub message: String,
}

/// One check, as its explanation page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyCheck {
    /// Stable: links, the CLI and lessons refer to it.
    pub code: &'static str,
    pub kind: CheckKind,
    pub title: &'static str,
    /// What IAM does with such a policy, and what to write instead.
    pub why: &'static str,
    /// The AWS documentation page the rule comes from.
    pub source: &'static str,
}

impl CheckKind {
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Error => "error",
            CheckKind::SecurityWarning => "security warning",
            CheckKind::Warning => "warning",
            CheckKind::Suggestion => "suggestion",
        }
    }
}

/// Every check, in the order a policy's findings are listed by kind.
pub const POLICY_CHECKS: &[PolicyCheck] = &[
    PolicyCheck {
        code: "policy-syntax",
        kind: CheckKind::Error,
        title: "Not a policy IAM can read",
        why: "IAM refuses a policy that is not JSON, or whose elements are not the policy grammar (Effect Allow or Deny, case-sensitive; Action or NotAction; Resource or NotResource; a Statement of objects), with MalformedPolicyDocument. Nothing of it takes effect.",
        source: "IAM User Guide, IAM JSON policy element reference; Grammar of the IAM JSON policy language",
    },
    PolicyCheck {
        code: "duplicate-sid",
        kind: CheckKind::Error,
        title: "Two statements with one Sid",
        why: "A Sid names a statement so that people and tools can refer to it; within one policy every Sid must be unique, and IAM refuses a policy that repeats one.",
        source: "IAM User Guide, IAM JSON policy elements: Sid",
    },
    PolicyCheck {
        code: "principal-in-identity-policy",
        kind: CheckKind::Error,
        title: "A Principal in an identity-based policy",
        why: "An identity-based policy applies to the identity it is attached to, so it names no principal; IAM refuses one with a Principal element. Principals belong in resource-based policies and trust policies.",
        source: "IAM User Guide, IAM JSON policy elements: Principal",
    },
    PolicyCheck {
        code: "principal-missing",
        kind: CheckKind::Error,
        title: "A resource-based policy statement with no Principal",
        why: "A resource-based policy (a bucket, repository, key or secret policy, or a role's trust policy) must say in every statement whom it applies to; the services refuse a statement without Principal.",
        source: "IAM User Guide, IAM JSON policy elements: Principal",
    },
    PolicyCheck {
        code: "service-prefix",
        kind: CheckKind::Error,
        title: "An action of a service prefix that does not exist",
        why: "An action is service:Action, and the prefix must be a real service's (ecr, not er). A statement naming an unknown prefix matches nothing, so the permission it was meant to give is never given. Dockyard knows the prefixes of the services the course uses.",
        source: "Service Authorization Reference, Actions, resources, and condition keys for AWS services",
    },
    PolicyCheck {
        code: "arn-format",
        kind: CheckKind::Error,
        title: "A Resource that is not an ARN",
        why: "A Resource is \"*\" or an ARN, arn:partition:service:region:account:resource, with all six parts (empty where a service leaves them out, as S3 does for region and account). Anything else matches no resource.",
        source: "IAM User Guide, IAM identifiers: ARNs",
    },
    PolicyCheck {
        code: "condition-operator",
        kind: CheckKind::Error,
        title: "A condition operator IAM does not know",
        why: "A Condition is a set of operators (StringEquals, ArnLike, IpAddress, ...), each with keys and values. An unknown operator, a misspelled one (StringEqual) or a value of the wrong type makes IAM refuse the policy.",
        source: "IAM User Guide, IAM JSON policy elements: Condition operators",
    },
    PolicyCheck {
        code: "principal-anyone",
        kind: CheckKind::SecurityWarning,
        title: "An Allow for every principal",
        why: "Principal \"*\" (or {\"AWS\": \"*\"}) in an Allow grants the action to anyone, in any account, including anonymous callers where the service allows them, unless a condition narrows it (aws:PrincipalOrgID, aws:SourceAccount).",
        source: "IAM User Guide, IAM JSON policy elements: Principal (all principals)",
    },
    PolicyCheck {
        code: "allow-not-action",
        kind: CheckKind::SecurityWarning,
        title: "Allow with NotAction",
        why: "Allow with NotAction allows every action of every service except those listed, including services that do not exist yet. It is meant for Deny statements (deny all but a few).",
        source: "IAM User Guide, IAM JSON policy elements: NotAction",
    },
    PolicyCheck {
        code: "allow-not-resource",
        kind: CheckKind::SecurityWarning,
        title: "Allow with NotResource",
        why: "Allow with NotResource allows the actions on every resource except those listed, in every service and every account the actions reach. Name the resources you mean instead.",
        source: "IAM User Guide, IAM JSON policy elements: NotResource",
    },
    PolicyCheck {
        code: "pass-role-any-resource",
        kind: CheckKind::SecurityWarning,
        title: "iam:PassRole on every role",
        why: "iam:PassRole lets the caller hand a role to a service (a task definition's task role, an instance profile). On Resource \"*\" the caller can give a task any role in the account, an administrator's too: list the roles, and use the iam:PassedToService condition.",
        source: "IAM User Guide, Granting a user permissions to pass a role to an AWS service",
    },
    PolicyCheck {
        code: "version-missing",
        kind: CheckKind::Warning,
        title: "No Version",
        why: "Without \"Version\": \"2012-10-17\", IAM reads the policy in the 2008-10-17 language, which has no policy variables: ${aws:username} is then literal text.",
        source: "IAM User Guide, IAM JSON policy elements: Version",
    },
    PolicyCheck {
        code: "equals-with-wildcard",
        kind: CheckKind::Warning,
        title: "A wildcard in StringEquals",
        why: "StringEquals (and StringNotEquals, and their IgnoreCase forms) compare whole strings: a * or ? in their values is a literal character. A trust policy condition StringEquals aws:SourceArn arn:aws:ecs:us-east-1:111122223333:* never holds, and ECS cannot assume the role. StringLike matches patterns, and so do ArnLike and ArnEquals, which match each part of an ARN with * and ?.",
        source: "IAM User Guide, IAM JSON policy elements: Condition operators (string and ARN condition operators)",
    },
    PolicyCheck {
        code: "trust-source-condition",
        kind: CheckKind::Suggestion,
        title: "A service may assume the role for anyone's resources",
        why: "A trust policy that lets a service principal (ecs-tasks.amazonaws.com) assume a role, with no aws:SourceAccount or aws:SourceArn condition, lets the service assume it while acting for another account's resources: the cross-service confused deputy. AWS recommends both conditions.",
        source: "IAM User Guide, The confused deputy problem; ECS Developer Guide, Task IAM role",
    },
    PolicyCheck {
        code: "redundant-action",
        kind: CheckKind::Suggestion,
        title: "An action listed twice",
        why: "Action names are case-insensitive, and a wildcard covers the actions it matches: a second listing changes nothing, and removing it makes the policy easier to read.",
        source: "IAM User Guide, IAM JSON policy elements: Action",
    },
];

/// The check with this code.
pub fn policy_check(code: &str) -> Option<&'static PolicyCheck> {
    POLICY_CHECKS.iter().find(|check| check.code == code)
}

/// The service prefixes of the services the course uses.
const KNOWN_SERVICES: &[&str] = &[
    "application-autoscaling",
    "autoscaling",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "ecr",
    "ecr-public",
    "ecs",
    "eks",
    "eks-auth",
    "elasticfilesystem",
    "elasticloadbalancing",
    "fsx",
    "iam",
    "kms",
    "lambda",
    "logs",
    "organizations",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "sqs",
    "ssm",
    "ssmmessages",
    "sts",
    "xray",
];

/// Every finding for the policy text, used as `usage`.
pub fn check_policy(text: &str, usage: PolicyUse) -> Vec<PolicyFinding> {
    let document = match PolicyDocument::parse(text) {
        Ok(document) => document,
        Err(error) => {
            return vec![PolicyFinding {
                code: "policy-syntax",
                kind: CheckKind::Error,
                path: error.path,
                message: error.reason,
            }]
        }
    };
    let mut out = Vec::new();
    let mut add = |code, kind, path: String, message: String| {
        out.push(PolicyFinding {
            code,
            kind,
            path,
            message,
        })
    };
    if document.version.is_none() {
        add(
            "version-missing",
            CheckKind::Warning,
            "Version".into(),
            "Without a Version, IAM reads the policy as the 2008-10-17 language, which has no policy variables: add \"Version\": \"2012-10-17\".".into(),
        );
    }
    let mut sids: Vec<&str> = Vec::new();
    for (i, statement) in document.statements.iter().enumerate() {
        let at = format!("Statement[{i}]");
        if let Some(sid) = statement.sid.as_deref().filter(|s| !s.is_empty()) {
            if sids.contains(&sid) {
                add(
                    "duplicate-sid",
                    CheckKind::Error,
                    format!("{at}.Sid"),
                    format!("Sid \"{sid}\" is used by an earlier statement; Sids must be unique within a policy."),
                );
            }
            sids.push(sid);
        }
        check_statement(statement, &at, usage, &mut add);
    }
    out.sort_by_key(|f| f.kind);
    out
}

fn check_statement(
    statement: &Statement,
    at: &str,
    usage: PolicyUse,
    add: &mut impl FnMut(&'static str, CheckKind, String, String),
) {
    let allow = statement.effect == Effect::Allow;
    match (&statement.principal, usage) {
        (Some(_), PolicyUse::Identity | PolicyUse::Organization) => add(
            "principal-in-identity-policy",
            CheckKind::Error,
            format!("{at}.Principal"),
            "An identity-based policy has no Principal: it applies to whoever holds it. IAM refuses it.".into(),
        ),
        (None, PolicyUse::Resource | PolicyUse::Trust) => add(
            "principal-missing",
            CheckKind::Error,
            at.into(),
            "A resource-based or trust policy statement must name a Principal: who it lets in.".into(),
        ),
        (Some(PolicyPrincipal::Anyone), PolicyUse::Resource | PolicyUse::Trust)
            if allow && statement.condition.is_none() =>
        {
            add(
                "principal-anyone",
                CheckKind::SecurityWarning,
                format!("{at}.Principal"),
                "\"Principal\": \"*\" with Allow and no Condition lets in anyone, in any account, and anonymous callers for services that allow them.".into(),
            )
        }
        _ => {}
    }
    let actions: &[String] = match &statement.actions {
        Actions::Action(list) => list,
        Actions::NotAction(list) => {
            if allow {
                add(
                    "allow-not-action",
                    CheckKind::SecurityWarning,
                    format!("{at}.NotAction"),
                    "Allow with NotAction allows every action of every service except those listed, including ones AWS adds later. List the actions to allow instead.".into(),
                );
            }
            list
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for (j, action) in actions.iter().enumerate() {
        let path = format!("{at}.Action[{j}]");
        if action == "*" {
            continue;
        }
        match action.split_once(':') {
            // The parser refuses an action without a service prefix.
            None => {}
            Some((service, _)) => {
                let service_lower = service.to_ascii_lowercase();
                if !KNOWN_SERVICES.contains(&service_lower.as_str()) {
                    if let Some(near) = KNOWN_SERVICES
                        .iter()
                        .find(|known| close(known, &service_lower))
                    {
                        add(
                            "service-prefix",
                            CheckKind::Error,
                            path.clone(),
                            format!("\"{service}\" is not a service prefix; did you mean \"{near}\"? The statement matches no action."),
                        );
                    }
                }
            }
        }
        let lower = action.to_ascii_lowercase();
        if seen.contains(&lower) {
            add(
                "redundant-action",
                CheckKind::Suggestion,
                path.clone(),
                format!("{action} is listed twice (actions compare without case)."),
            );
        }
        seen.push(lower);
        let passes_roles =
            ["iam:passrole", "iam:*", "iam:pass*"].contains(&action.to_ascii_lowercase().as_str());
        let any_resource = matches!(&statement.resources, Some(Resources::Resource(r)) if r.iter().any(|r| r == "*"));
        if allow && passes_roles && any_resource {
            add(
                "pass-role-any-resource",
                CheckKind::SecurityWarning,
                path,
                "iam:PassRole on \"*\" lets the holder hand any role in the account, an admin one included, to a service (a task, an instance). Name the roles it may pass.".into(),
            );
        }
    }
    match &statement.resources {
        Some(Resources::NotResource(list)) => {
            if allow {
                add(
                    "allow-not-resource",
                    CheckKind::SecurityWarning,
                    format!("{at}.NotResource"),
                    "Allow with NotResource allows the actions on every resource except those listed, including every new one.".into(),
                );
            }
            check_arns(list, &format!("{at}.NotResource"), add);
        }
        Some(Resources::Resource(list)) => check_arns(list, &format!("{at}.Resource"), add),
        None => {}
    }
    if let Some(block) = &statement.condition {
        if let Err(error) = conditions::check_block(block) {
            add(
                "condition-operator",
                CheckKind::Error,
                format!("{at}.Condition.{}", error.path),
                error.reason,
            );
        } else {
            check_literal_wildcards(block, &format!("{at}.Condition"), add);
        }
    }
    // AWS's advice for roles a service assumes: pin the account.
    let service_trust = matches!(&statement.principal, Some(PolicyPrincipal::Named(names)) if names.contains_key("Service"));
    if usage == PolicyUse::Trust && allow && service_trust {
        let keys = statement
            .condition
            .as_ref()
            .map(conditions::keys)
            .unwrap_or_default();
        let pinned = keys.iter().any(|k| {
            k.eq_ignore_ascii_case("aws:SourceAccount") || k.eq_ignore_ascii_case("aws:SourceArn")
        });
        if !pinned {
            add(
                "trust-source-condition",
                CheckKind::Suggestion,
                at.into(),
                "A service principal with no aws:SourceAccount or aws:SourceArn condition may assume the role for any account's resources (the confused deputy). Add them.".into(),
            );
        }
    }
}

/// A `*` or `?` in a value of StringEquals (and its negation and
/// case-insensitive forms) is a literal character there, never a wildcard:
/// the condition compares whole strings, so it almost never holds.
fn check_literal_wildcards(
    block: &serde_json::Value,
    at: &str,
    add: &mut impl FnMut(&'static str, CheckKind, String, String),
) {
    let Some(operators) = block.as_object() else {
        return;
    };
    for (operator, keys) in operators {
        let bare = operator
            .rsplit(':')
            .next()
            .unwrap_or(operator)
            .trim_end_matches("IfExists");
        // ArnEquals is not among them: it matches each part of an ARN with
        // * and ?, exactly as ArnLike does.
        let like = match bare {
            "StringEquals" | "StringNotEquals" => bare.replace("Equals", "Like"),
            "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
                bare.replace("EqualsIgnoreCase", "Like")
            }
            _ => continue,
        };
        for (key, values) in keys.as_object().into_iter().flatten() {
            let values: Vec<&str> = match values {
                serde_json::Value::String(one) => vec![one.as_str()],
                serde_json::Value::Array(many) => many.iter().filter_map(|v| v.as_str()).collect(),
                _ => Vec::new(),
            };
            if let Some(value) = values.iter().find(|v| v.contains('*') || v.contains('?')) {
                add(
                    "equals-with-wildcard",
                    CheckKind::Warning,
                    format!("{at}.{operator}.{key}"),
                    format!(
                        "{operator} compares whole strings, so the * or ? in \"{value}\" is a literal character, not a wildcard, and the condition holds only for that exact text. Use {like}{} to match a pattern.",
                        if key.to_ascii_lowercase().ends_with("arn") {
                            format!(" (or {} for an ARN)", like.replacen("String", "Arn", 1))
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
    }
}

fn check_arns(
    list: &[String],
    at: &str,
    add: &mut impl FnMut(&'static str, CheckKind, String, String),
) {
    for (k, arn) in list.iter().enumerate() {
        if arn == "*" {
            continue;
        }
        let parts = arn.splitn(6, ':').count();
        if !arn.starts_with("arn:") || parts < 6 {
            add(
                "arn-format",
                CheckKind::Error,
                format!("{at}[{k}]"),
                format!("\"{arn}\" is not an ARN (arn:partition:service:region:account:resource) or \"*\": the statement matches no resource."),
            );
        }
    }
}

/// One edit apart (a typo), for the "did you mean" of a service prefix.
fn close(known: &str, typed: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (known.chars().collect(), typed.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(policy: serde_json::Value, usage: PolicyUse) -> Vec<&'static str> {
        check_policy(&policy.to_string(), usage)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn each_check_finds_what_it_names_and_a_clean_policy_has_none() {
        let clean = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow",
            "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::reports/*"}]});
        assert_eq!(codes(clean, PolicyUse::Identity), Vec::<&str>::new());
        let cases = [
            (
                json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}),
                PolicyUse::Identity,
                "version-missing",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
                PolicyUse::Identity,
                "principal-in-identity-policy",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}),
                PolicyUse::Resource,
                "principal-missing",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}),
                PolicyUse::Resource,
                "principal-anyone",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}),
                PolicyUse::Identity,
                "allow-not-action",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}]}),
                PolicyUse::Identity,
                "allow-not-resource",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}),
                PolicyUse::Identity,
                "pass-role-any-resource",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "er:BatchGetImage", "Resource": "*"}]}),
                PolicyUse::Identity,
                "service-prefix",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject"], "Resource": "*"}]}),
                PolicyUse::Identity,
                "redundant-action",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:reports/*"}]}),
                PolicyUse::Identity,
                "arn-format",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:SourceVpc": "vpc-1"}}}]}),
                PolicyUse::Identity,
                "condition-operator",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}),
                PolicyUse::Identity,
                "duplicate-sid",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                PolicyUse::Trust,
                "trust-source-condition",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"}}}]}),
                PolicyUse::Trust,
                "equals-with-wildcard",
            ),
            (
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"}]}),
                PolicyUse::Identity,
                "policy-syntax",
            ),
        ];
        for (policy, usage, code) in &cases {
            let found = codes(policy.clone(), *usage);
            assert!(found.contains(code), "{code}: {found:?} for {policy}");
            let check = policy_check(code).expect("every code has its page");
            let finding = check_policy(&policy.to_string(), *usage)
                .into_iter()
                .find(|f| f.code == *code)
                .unwrap();
            assert_eq!(finding.kind, check.kind, "{code}: the page's kind");
        }
        // Every check of the catalogue is exercised above.
        for check in POLICY_CHECKS {
            assert!(
                cases.iter().any(|(_, _, code)| *code == check.code),
                "{} has no case",
                check.code
            );
        }
        // ArnEquals takes wildcards as ArnLike does: no finding.
        let arn_equals = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"},
                          "StringEquals": {"aws:SourceAccount": "111122223333"}}}]});
        assert_eq!(codes(arn_equals, PolicyUse::Trust), Vec::<&str>::new());
        // The documented trust policy with both conditions is clean.
        let pinned = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"},
                          "StringEquals": {"aws:SourceAccount": "111122223333"}}}]});
        assert_eq!(codes(pinned, PolicyUse::Trust), Vec::<&str>::new());
    }

    #[test]
    fn findings_name_the_element_and_come_errors_first() {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["iam:PassRole", "s3:GetObject", "s3:GetObject"], "Resource": "*"},
            {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "arn:aws:ecs:cluster/default"}]});
        let found = check_policy(&policy.to_string(), PolicyUse::Identity);
        assert_eq!(found[0].code, "arn-format");
        assert_eq!(found[0].path, "Statement[1].Resource[0]");
        let pass = found
            .iter()
            .find(|f| f.code == "pass-role-any-resource")
            .unwrap();
        assert_eq!(pass.path, "Statement[0].Action[0]");
        assert_eq!(pass.kind, CheckKind::SecurityWarning);
        assert_eq!(found.last().unwrap().kind, CheckKind::Suggestion);
    }
}
