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
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"}]}),
                PolicyUse::Identity,
                "policy-syntax",
            ),
        ];
        for (policy, usage, code) in cases {
            let found = codes(policy.clone(), usage);
            assert!(found.contains(&code), "{code}: {found:?} for {policy}");
        }
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
