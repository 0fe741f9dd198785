//! IAM's size quotas on policy documents (IAM and AWS STS quotas, "IAM and
//! STS character quotas" and "Default quotas for IAM entities"), counted
//! as IAM counts them: characters, white space not counted.
//!
//! IAM counts the document as it was sent; Dockyard keeps documents
//! parsed and counts the compact JSON it writes back (`Statement` always a
//! list), so a count may differ from IAM's by a few characters. Whether IAM
//! skips white space inside string values too is not documented; Dockyard
//! skips all of it.

use super::PolicyDocument;

/// The sum of a role's inline policies (not adjustable).
pub const ROLE_INLINE_POLICIES_CHARS: usize = 10_240;
/// One customer managed policy (not adjustable).
pub const MANAGED_POLICY_CHARS: usize = 6_144;
/// A role's trust policy: the default quota, which an account can have
/// raised to 4,096 through Service Quotas. Dockyard's accounts keep the
/// default.
pub const TRUST_POLICY_CHARS: usize = 2_048;

/// A document's size as IAM's quotas count it.
pub fn policy_chars(document: &PolicyDocument) -> usize {
    serde_json::to_string(document)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// IAM's `LimitExceeded` message for a role whose inline policies would
/// add up to `chars`, or `None` within the quota.
pub fn inline_policies_error(role: &str, chars: usize) -> Option<String> {
    (chars > ROLE_INLINE_POLICIES_CHARS).then(|| {
        format!(
            "Maximum policy size of {ROLE_INLINE_POLICIES_CHARS} bytes exceeded for role {role} (its inline policies come to {chars} characters, white space not counted; put the rest in a customer managed policy and attach it)"
        )
    })
}

/// IAM's `LimitExceeded` message for a customer managed policy of `chars`.
pub fn managed_policy_error(chars: usize) -> Option<String> {
    (chars > MANAGED_POLICY_CHARS).then(|| {
        format!(
            "Cannot exceed quota for PolicySize: {MANAGED_POLICY_CHARS} (this policy has {chars} characters, white space not counted; split it into two policies)"
        )
    })
}

/// IAM's `LimitExceeded` message for a trust policy of `chars`.
pub fn trust_policy_error(chars: usize) -> Option<String> {
    (chars > TRUST_POLICY_CHARS).then(|| {
        format!(
            "Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_CHARS} (this trust policy has {chars} characters, white space not counted; the default quota can be raised to 4096 through Service Quotas)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Statement;

    fn allow_many(actions: usize) -> PolicyDocument {
        let actions: Vec<String> = (0..actions).map(|i| format!("s3:Action{i:04}")).collect();
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        PolicyDocument::new(vec![Statement::allow(&actions, &["*"])])
    }

    #[test]
    fn white_space_is_not_counted() {
        let spaced = PolicyDocument::parse(
            r#"{ "Version": "2012-10-17",
                 "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] }"#,
        )
        .unwrap();
        let compact = PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(policy_chars(&spaced), policy_chars(&compact));
        // The compact text, character for character.
        assert_eq!(
            policy_chars(&compact),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.len()
        );
    }

    #[test]
    fn each_quota_refuses_one_character_past_it() {
        assert_eq!(inline_policies_error("r", ROLE_INLINE_POLICIES_CHARS), None);
        let error = inline_policies_error("r", ROLE_INLINE_POLICIES_CHARS + 1).unwrap();
        assert!(error.starts_with("Maximum policy size of 10240 bytes exceeded for role r"));
        assert_eq!(managed_policy_error(MANAGED_POLICY_CHARS), None);
        assert!(managed_policy_error(MANAGED_POLICY_CHARS + 1)
            .unwrap()
            .starts_with("Cannot exceed quota for PolicySize: 6144"));
        assert_eq!(trust_policy_error(TRUST_POLICY_CHARS), None);
        assert!(trust_policy_error(TRUST_POLICY_CHARS + 1)
            .unwrap()
            .starts_with("Cannot exceed quota for ACLSizePerRole: 2048"));
    }

    #[test]
    fn a_long_action_list_is_counted_by_its_length() {
        // 600 actions of 16 characters, quoted and separated: past the
        // managed quota, well within nothing else.
        assert!(policy_chars(&allow_many(600)) > MANAGED_POLICY_CHARS);
        assert!(policy_chars(&allow_many(10)) < TRUST_POLICY_CHARS);
    }
}
