//! ECR lifecycle policies (rules §8): the real policy JSON, checked the way
//! PutLifecyclePolicy checks it, and evaluated the way ECR's lifecycle
//! policy preview reports which images would expire.
//!
//! Evaluation follows ECR's published evaluation rules: rules apply lowest
//! rulePriority first; an image is expired by at most one rule; an image
//! that matches the tag selection of a higher-priority rule cannot be
//! expired by a lower-priority one, though it still counts towards that
//! rule's image count; older images expire before newer ones.

use serde::Serialize;
use serde_json::{Map, Value};

/// PutLifecyclePolicy's limits on the policy text.
pub const MIN_POLICY_CHARS: usize = 100;
pub const MAX_POLICY_CHARS: usize = 30_720;
/// Wildcards allowed in one tagPatternList entry.
pub const MAX_WILDCARDS_PER_PATTERN: usize = 4;

const SECONDS_PER_DAY: u64 = 24 * 60 * 60;

/// A checked lifecycle policy; its rules are kept lowest priority first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifecyclePolicy {
    rules: Vec<LifecycleRule>,
}

/// One rule. The only action ECR's classic policies take is `expire`, so it
/// is not stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleRule {
    pub rule_priority: u32,
    pub description: Option<String>,
    pub tag_status: TagStatus,
    pub tag_filter: TagFilter,
    pub count: CountRule,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagStatus {
    Tagged,
    Untagged,
    Any,
}

/// Which tagged images a `tagged` rule selects. An image must match every
/// entry of the list, each with at least one of its tags.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TagFilter {
    /// `untagged` and `any` rules take no list.
    None,
    Prefixes(Vec<String>),
    /// Wildcard patterns: `*` matches any run of characters.
    Patterns(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CountRule {
    /// `imageCountMoreThan`: keep the newest N selected images.
    ImageCountMoreThan(u32),
    /// `sinceImagePushed` with `countUnit: days`: expire images older than N days.
    SinceImagePushedDays(u32),
}

/// One reason a policy is refused, with the JSON path it is about
/// (`rules[1].selection.tagPrefixList`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifecyclePolicyProblem {
    pub path: String,
    pub message: String,
}

/// Every problem found in a policy, so the learner can fix them in one go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifecyclePolicyError {
    pub problems: Vec<LifecyclePolicyProblem>,
}

impl LifecyclePolicyError {
    /// Whether any problem is about exactly this path.
    pub fn mentions(&self, path: &str) -> bool {
        self.problems.iter().any(|problem| problem.path == path)
    }
}

impl std::fmt::Display for LifecyclePolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", problem.path, problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for LifecyclePolicyError {}

/// What the evaluator needs to know about one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFacts<'a> {
    pub digest: &'a str,
    pub tags: Vec<&'a str>,
    pub pushed_at: u64,
    /// Push order, to break ties between images pushed in the same second.
    pub sequence: u64,
}

/// An image the policy would expire, and the rule that expires it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleExpiry {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    pub pushed_at: u64,
    pub rule_priority: u32,
    pub rule_description: Option<String>,
}

struct Problems(Vec<LifecyclePolicyProblem>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(LifecyclePolicyProblem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn unknown_fields(&mut self, object: &Map<String, Value>, path: &str, known: &[&str]) {
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            let message = match key.as_str() {
                "storageClass" | "targetStorageClass" => {
                    "is valid in ECR, but Dockyard does not simulate storage classes (every image is in the standard class)"
                }
                _ => "is not a lifecycle policy field",
            };
            self.add(format!("{path}.{key}"), message);
        }
    }
}

impl LifecyclePolicy {
    /// Parses and checks policy text as PutLifecyclePolicy would.
    pub fn parse(text: &str) -> Result<LifecyclePolicy, LifecyclePolicyError> {
        let mut problems = Problems(Vec::new());
        let length = text.chars().count();
        if !(MIN_POLICY_CHARS..=MAX_POLICY_CHARS).contains(&length) {
            problems.add(
                "lifecyclePolicyText",
                format!("a lifecycle policy is {MIN_POLICY_CHARS} to 30,720 characters; this one has {length}"),
            );
        }
        let value: Value = match crate::json::parse_value(text) {
            Ok(value) => value,
            Err(error) => {
                problems.add(
                    "lifecyclePolicyText",
                    format!("is not valid JSON ({error})"),
                );
                return Err(LifecyclePolicyError {
                    problems: problems.0,
                });
            }
        };
        let rules = match value.as_object() {
            None => {
                problems.add(
                    "lifecyclePolicyText",
                    "a policy is a JSON object with a \"rules\" list",
                );
                Vec::new()
            }
            Some(object) => {
                problems.unknown_fields(object, "policy", &["rules"]);
                match object.get("rules").and_then(Value::as_array) {
                    Some(rules) if !rules.is_empty() => rules
                        .iter()
                        .enumerate()
                        .map(|(i, rule)| parse_rule(i, rule, &mut problems))
                        .collect(),
                    _ => {
                        problems.add("rules", "a policy needs a non-empty list of rules");
                        Vec::new()
                    }
                }
            }
        };
        check_rule_set(&rules, &mut problems);
        if !problems.0.is_empty() {
            return Err(LifecyclePolicyError {
                problems: problems.0,
            });
        }
        let mut rules: Vec<LifecycleRule> =
            rules.into_iter().filter_map(|parsed| parsed.rule).collect();
        rules.sort_by_key(|rule| rule.rule_priority);
        Ok(LifecyclePolicy { rules })
    }

    /// The rules, lowest priority (applied first) first.
    pub fn rules(&self) -> &[LifecycleRule] {
        &self.rules
    }

    /// Which images would expire at `now_seconds`, oldest first.
    pub fn evaluate(&self, images: &[ImageFacts<'_>], now_seconds: u64) -> Vec<LifecycleExpiry> {
        let mut expired: Vec<Option<&LifecycleRule>> = vec![None; images.len()];
        let mut claimed = vec![false; images.len()];
        for rule in &self.rules {
            let mut selected: Vec<usize> = (0..images.len())
                .filter(|&i| rule.selects(&images[i]))
                .collect();
            let identified: Vec<usize> = match rule.count {
                CountRule::ImageCountMoreThan(keep) => {
                    selected.sort_by_key(|&i| {
                        std::cmp::Reverse((images[i].pushed_at, images[i].sequence))
                    });
                    selected.iter().skip(keep as usize).copied().collect()
                }
                CountRule::SinceImagePushedDays(days) => selected
                    .iter()
                    .copied()
                    .filter(|&i| {
                        now_seconds.saturating_sub(images[i].pushed_at)
                            > u64::from(days) * SECONDS_PER_DAY
                    })
                    .collect(),
            };
            for i in identified {
                if expired[i].is_none() && !claimed[i] {
                    expired[i] = Some(rule);
                }
            }
            // Claimed after marking: a rule may expire what it selects, but
            // later rules may not touch what an earlier rule selected.
            for i in selected {
                claimed[i] = true;
            }
        }
        let mut order: Vec<usize> = (0..images.len())
            .filter(|&i| expired[i].is_some())
            .collect();
        order.sort_by_key(|&i| (images[i].pushed_at, images[i].sequence));
        order
            .into_iter()
            .filter_map(|i| {
                let rule = expired[i]?;
                let image = &images[i];
                Some(LifecycleExpiry {
                    image_digest: image.digest.to_string(),
                    image_tags: image.tags.iter().map(|t| t.to_string()).collect(),
                    pushed_at: image.pushed_at,
                    rule_priority: rule.rule_priority,
                    rule_description: rule.description.clone(),
                })
            })
            .collect()
    }
}

impl LifecycleRule {
    /// Whether the rule's tag selection picks this image.
    pub fn selects(&self, image: &ImageFacts<'_>) -> bool {
        match self.tag_status {
            TagStatus::Any => true,
            TagStatus::Untagged => image.tags.is_empty(),
            TagStatus::Tagged => match &self.tag_filter {
                TagFilter::None => !image.tags.is_empty(),
                TagFilter::Prefixes(prefixes) => prefixes.iter().all(|prefix| {
                    image
                        .tags
                        .iter()
                        .any(|tag| tag.starts_with(prefix.as_str()))
                }),
                TagFilter::Patterns(patterns) => patterns
                    .iter()
                    .all(|pattern| image.tags.iter().any(|tag| wildcard_match(pattern, tag))),
            },
        }
    }
}

/// `*` matches any run of characters (including none); everything else
/// matches itself. Used by tagPatternList and tag mutability exclusions.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    let mut middle = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match middle.find(part) {
            Some(at) => middle = &middle[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// What the checks across rules need, even from a rule with other problems.
struct ParsedRule {
    priority: Option<u32>,
    tag_status: Option<TagStatus>,
    rule: Option<LifecycleRule>,
}

fn parse_rule(index: usize, value: &Value, problems: &mut Problems) -> ParsedRule {
    let path = format!("rules[{index}]");
    let Some(rule) = value.as_object() else {
        problems.add(path, "a rule is a JSON object");
        return ParsedRule {
            priority: None,
            tag_status: None,
            rule: None,
        };
    };
    problems.unknown_fields(
        rule,
        &path,
        &["rulePriority", "description", "selection", "action"],
    );

    let priority = match rule.get("rulePriority") {
        None => {
            problems.add(format!("{path}.rulePriority"), "is required");
            None
        }
        Some(value) => match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            _ => {
                problems.add(
                    format!("{path}.rulePriority"),
                    "must be a whole number of 1 or more",
                );
                None
            }
        },
    };
    let description = match rule.get("description") {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            problems.add(format!("{path}.description"), "must be a string");
            None
        }
    };
    match rule.get("action").and_then(Value::as_object) {
        None => problems.add(
            format!("{path}.action"),
            "is required: {\"type\": \"expire\"}",
        ),
        Some(action) => {
            problems.unknown_fields(action, &format!("{path}.action"), &["type"]);
            match action.get("type").and_then(Value::as_str) {
                Some("expire") => {}
                Some("transition") => problems.add(
                    format!("{path}.action.type"),
                    "\"transition\" (to the archive storage class) is valid in ECR, but Dockyard does not simulate archive storage; use \"expire\"",
                ),
                _ => problems.add(
                    format!("{path}.action.type"),
                    "must be \"expire\" or \"transition\"",
                ),
            }
        }
    }
    let (tag_status, selection) = parse_selection(
        &format!("{path}.selection"),
        rule.get("selection"),
        problems,
    );
    let rule = match (priority, selection) {
        (Some(rule_priority), Some((tag_status, tag_filter, count))) => Some(LifecycleRule {
            rule_priority,
            description,
            tag_status,
            tag_filter,
            count,
        }),
        _ => None,
    };
    ParsedRule {
        priority,
        tag_status,
        rule,
    }
}

type Selection = (TagStatus, TagFilter, CountRule);

/// The tag status on its own (for the checks across rules) and the whole
/// selection when it is valid.
fn parse_selection(
    path: &str,
    value: Option<&Value>,
    problems: &mut Problems,
) -> (Option<TagStatus>, Option<Selection>) {
    let Some(selection) = value.and_then(Value::as_object) else {
        problems.add(
            path,
            "is required: an object with tagStatus, countType and countNumber",
        );
        return (None, None);
    };
    problems.unknown_fields(
        selection,
        path,
        &[
            "tagStatus",
            "tagPrefixList",
            "tagPatternList",
            "countType",
            "countUnit",
            "countNumber",
        ],
    );
    let tag_status = match selection.get("tagStatus").and_then(Value::as_str) {
        Some("tagged") => Some(TagStatus::Tagged),
        Some("untagged") => Some(TagStatus::Untagged),
        Some("any") => Some(TagStatus::Any),
        _ => {
            problems.add(
                format!("{path}.tagStatus"),
                "must be \"tagged\", \"untagged\" or \"any\"",
            );
            None
        }
    };
    let prefixes = string_list(
        &format!("{path}.tagPrefixList"),
        selection.get("tagPrefixList"),
        problems,
    );
    let patterns = string_list(
        &format!("{path}.tagPatternList"),
        selection.get("tagPatternList"),
        problems,
    );
    if let Some(patterns) = &patterns {
        for (i, pattern) in patterns.iter().enumerate() {
            let wildcards = pattern.matches('*').count();
            if wildcards > MAX_WILDCARDS_PER_PATTERN {
                problems.add(
                    format!("{path}.tagPatternList[{i}]"),
                    format!("a pattern may hold at most {MAX_WILDCARDS_PER_PATTERN} '*' wildcards; this one has {wildcards}"),
                );
            }
        }
    }
    let tag_filter = match (tag_status, prefixes, patterns) {
        (Some(TagStatus::Tagged), Some(_), Some(_)) => {
            problems.add(
                format!("{path}.tagPatternList"),
                "a tagged rule takes either tagPrefixList or tagPatternList, not both",
            );
            None
        }
        (Some(TagStatus::Tagged), Some(prefixes), None) => Some(TagFilter::Prefixes(prefixes)),
        (Some(TagStatus::Tagged), None, Some(patterns)) => Some(TagFilter::Patterns(patterns)),
        (Some(TagStatus::Tagged), None, None) => {
            problems.add(
                format!("{path}.tagStatus"),
                "a tagged rule needs a tagPrefixList or a tagPatternList",
            );
            None
        }
        (Some(status), prefixes, patterns) => {
            let name = if status == TagStatus::Untagged {
                "untagged"
            } else {
                "any"
            };
            for (list, present) in [
                ("tagPrefixList", prefixes.is_some()),
                ("tagPatternList", patterns.is_some()),
            ] {
                if present {
                    problems.add(
                        format!("{path}.{list}"),
                        format!("a rule with tagStatus \"{name}\" cannot have a {list}"),
                    );
                }
            }
            Some(TagFilter::None)
        }
        (None, _, _) => None,
    };

    let count_number = match selection.get("countNumber") {
        None => {
            problems.add(format!("{path}.countNumber"), "is required");
            None
        }
        Some(value) => match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            _ => {
                problems.add(
                    format!("{path}.countNumber"),
                    "must be a whole number of 1 or more",
                );
                None
            }
        },
    };
    let count_unit = selection.get("countUnit");
    let count = match selection.get("countType").and_then(Value::as_str) {
        Some("imageCountMoreThan") => {
            if count_unit.is_some() {
                problems.add(
                    format!("{path}.countUnit"),
                    "countUnit goes only with countType \"sinceImagePushed\"",
                );
            }
            count_number.map(CountRule::ImageCountMoreThan)
        }
        Some("sinceImagePushed") => {
            match count_unit.and_then(Value::as_str) {
                Some("days") => {}
                None => problems.add(
                    format!("{path}.countUnit"),
                    "countType \"sinceImagePushed\" needs countUnit \"days\"",
                ),
                Some(_) => problems.add(
                    format!("{path}.countUnit"),
                    "the only count unit is \"days\"",
                ),
            }
            count_number.map(CountRule::SinceImagePushedDays)
        }
        // Both are real count types (ECR, 2025); Dockyard says it does not
        // simulate them rather than calling them wrong.
        Some("sinceImagePulled") => {
            problems.add(
                format!("{path}.countType"),
                "\"sinceImagePulled\" (days since the image was last pulled) is valid in ECR, but Dockyard's registry does not record pull times, so it cannot simulate it; use \"sinceImagePushed\"",
            );
            None
        }
        Some("sinceImageTransitioned") => {
            problems.add(
                format!("{path}.countType"),
                "\"sinceImageTransitioned\" (days in archive storage) is valid in ECR, but Dockyard does not simulate archive storage",
            );
            None
        }
        _ => {
            problems.add(
                format!("{path}.countType"),
                "must be \"imageCountMoreThan\", \"sinceImagePushed\", \"sinceImagePulled\" or \"sinceImageTransitioned\"",
            );
            None
        }
    };
    let whole = match (tag_status, tag_filter, count) {
        (Some(status), Some(filter), Some(count)) => Some((status, filter, count)),
        _ => None,
    };
    (tag_status, whole)
}

fn string_list(path: &str, value: Option<&Value>, problems: &mut Problems) -> Option<Vec<String>> {
    let value = value?;
    let list: Option<Vec<String>> = value.as_array().and_then(|items| {
        items
            .iter()
            .map(|item| item.as_str().filter(|s| !s.is_empty()).map(str::to_string))
            .collect()
    });
    match list {
        Some(list) if !list.is_empty() => Some(list),
        _ => {
            problems.add(path, "must be a non-empty list of non-empty strings");
            // Present but unusable: still counts as given, so that the
            // tagStatus checks do not also report it missing.
            Some(Vec::new())
        }
    }
}

fn check_rule_set(rules: &[ParsedRule], problems: &mut Problems) {
    let with_priority: Vec<(usize, u32, Option<TagStatus>)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| rule.priority.map(|p| (i, p, rule.tag_status)))
        .collect();
    for (position, &(i, priority, _)) in with_priority.iter().enumerate() {
        if let Some(&(j, _, _)) = with_priority[..position]
            .iter()
            .find(|(_, earlier, _)| *earlier == priority)
        {
            problems.add(
                format!("rules[{i}].rulePriority"),
                format!("rulePriority {priority} is already used by rules[{j}]; each rule needs its own"),
            );
        }
    }
    for &(i, priority, status) in &with_priority {
        if status != Some(TagStatus::Any) {
            continue;
        }
        if let Some(&(j, other, _)) = with_priority
            .iter()
            .find(|(j, other, _)| *j != i && *other >= priority)
        {
            problems.add(
                format!("rules[{i}].rulePriority"),
                format!(
                    "a rule with tagStatus \"any\" must have the highest rulePriority, but rules[{j}] has {other}"
                ),
            );
        }
    }
    let untagged: Vec<usize> = rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.tag_status == Some(TagStatus::Untagged))
        .map(|(i, _)| i)
        .collect();
    for &i in untagged.iter().skip(1) {
        problems.add(
            format!("rules[{i}].selection.tagStatus"),
            format!(
                "only one rule may select untagged images; rules[{}] already does",
                untagged[0]
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> LifecyclePolicyError {
        LifecyclePolicy::parse(text).expect_err("the policy should be refused")
    }

    const KEEP_PROD_AND_CLEAN_UNTAGGED: &str = r#"{
        "rules": [
            {"rulePriority": 1, "description": "Keep the last 2 release images",
             "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"],
                           "countType": "imageCountMoreThan", "countNumber": 2},
             "action": {"type": "expire"}},
            {"rulePriority": 2, "description": "Expire untagged images older than 14 days",
             "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                           "countUnit": "days", "countNumber": 14},
             "action": {"type": "expire"}}
        ]
    }"#;

    #[test]
    fn a_well_formed_policy_parses_in_priority_order() {
        let policy = LifecyclePolicy::parse(KEEP_PROD_AND_CLEAN_UNTAGGED).unwrap();
        assert_eq!(policy.rules().len(), 2);
        assert_eq!(
            policy.rules()[0].tag_filter,
            TagFilter::Prefixes(vec!["v".into()])
        );
        assert_eq!(policy.rules()[1].count, CountRule::SinceImagePushedDays(14));
    }

    #[test]
    fn archive_transitions_and_pull_age_are_real_ecr_rules_dockyard_does_not_simulate() {
        let error = problems(
            r#"{"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "untagged", "storageClass": "standard", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30}, "action": {"type": "transition", "targetStorageClass": "archive"}},
                {"rulePriority": 2, "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365}, "action": {"type": "expire"}}
            ]}"#,
        );
        for path in [
            "rules[0].selection.storageClass",
            "rules[0].selection.countType",
            "rules[0].action.type",
            "rules[0].action.targetStorageClass",
            "rules[1].selection.countType",
        ] {
            assert!(error.mentions(path), "{path} missing from: {error}");
        }
        for problem in &error.problems {
            assert!(
                problem.message.contains("valid in ECR"),
                "{}: a real ECR field is not called wrong: {}",
                problem.path,
                problem.message
            );
        }
    }

    #[test]
    fn each_rule_of_the_reference_is_enforced_at_its_path() {
        let error = problems(
            r#"{"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}},
                {"rulePriority": 1, "selection": {"tagStatus": "untagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}},
                {"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countNumber": 5}, "action": {"type": "expire"}},
                {"rulePriority": 3, "selection": {"tagStatus": "tagged", "tagPatternList": ["a*b*c*d*e*f"], "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 0}, "action": {"type": "delete"}}
            ]}"#,
        );
        for path in [
            "rules[0].selection.tagStatus",
            "rules[1].rulePriority",
            "rules[1].selection.tagPrefixList",
            "rules[2].rulePriority",
            "rules[2].selection.countUnit",
            "rules[3].selection.tagPatternList[0]",
            "rules[3].selection.countUnit",
            "rules[3].selection.countNumber",
            "rules[3].action.type",
        ] {
            assert!(error.mentions(path), "{path} missing from: {error}");
        }
        let text = error.to_string();
        assert!(text.contains("a tagged rule needs a tagPrefixList or a tagPatternList"));
        assert!(text.contains("rulePriority 1 is already used by rules[0]"));
        assert!(text.contains("must have the highest rulePriority, but rules[3] has 3"));
        assert!(text.contains("at most 4 '*' wildcards; this one has 5"));
    }

    #[test]
    fn smaller_mistakes_are_named_too() {
        let both = problems(
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
        );
        assert!(both.mentions("rules[0].selection.tagPatternList"));
        let two_untagged = problems(
            r#"{"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
                {"rulePriority": 2, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 3}, "action": {"type": "expire"}}]}"#,
        );
        assert!(two_untagged.mentions("rules[1].selection.tagStatus"));
        assert!(problems("{\"rules\": []}").mentions("lifecyclePolicyText"));
        assert!(problems(&format!("{{\"rules\": [] {}}}", " ".repeat(100))).mentions("rules"));
        assert!(problems(&format!("not json{}", " ".repeat(100))).mentions("lifecyclePolicyText"));
    }

    #[test]
    fn wildcards_match_like_ecr_patterns() {
        assert!(wildcard_match("prod*", "prod"));
        assert!(wildcard_match("prod*", "prod-webapp"));
        assert!(!wildcard_match("prod*", "preprod"));
        assert!(wildcard_match("*-rc*", "v1.2-rc3"));
        assert!(wildcard_match("v*.*.*", "v1.20.3"));
        assert!(!wildcard_match("v*.*.*", "v1.20"));
        assert!(wildcard_match("a*a", "aa"));
        assert!(!wildcard_match("a*a", "a"));
        assert!(wildcard_match("latest", "latest"));
    }

    fn image<'a>(digest: &'a str, tags: &[&'a str], day: u64) -> ImageFacts<'a> {
        ImageFacts {
            digest,
            tags: tags.to_vec(),
            pushed_at: day * SECONDS_PER_DAY,
            sequence: day,
        }
    }

    fn expired(
        policy: &LifecyclePolicy,
        images: &[ImageFacts<'_>],
        now_day: u64,
    ) -> Vec<(String, u32)> {
        policy
            .evaluate(images, now_day * SECONDS_PER_DAY)
            .into_iter()
            .map(|e| (e.image_digest, e.rule_priority))
            .collect()
    }

    #[test]
    fn keeps_the_last_n_prefixed_and_expires_old_untagged() {
        let policy = LifecyclePolicy::parse(KEEP_PROD_AND_CLEAN_UNTAGGED).unwrap();
        let images = [
            image("v1", &["v1.0"], 1),
            image("old-untagged", &[], 2),
            image("v2", &["v2.0"], 3),
            image("dev", &["dev-abc"], 4),
            image("v3", &["v3.0", "latest"], 20),
            image("new-untagged", &[], 25),
        ];
        assert_eq!(
            expired(&policy, &images, 30),
            vec![("v1".to_string(), 1), ("old-untagged".to_string(), 2)]
        );
        // Nothing is old enough yet on day 10, and the v-count is the same.
        assert_eq!(expired(&policy, &images, 10), vec![("v1".to_string(), 1)]);
    }

    // ECR's documented "filtering on multiple rules" example: rule 2 may
    // not expire image B, because B matched rule 1's selection.
    #[test]
    fn a_lower_rule_cannot_expire_what_a_higher_rule_selected() {
        let policy = LifecyclePolicy::parse(
            r#"{"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
                {"rulePriority": 2, "selection": {"tagStatus": "tagged", "tagPrefixList": ["beta"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
        )
        .unwrap();
        let images = [
            image("A", &["beta-1", "prod-1"], 1),
            image("B", &["beta-2", "prod-2"], 2),
            image("C", &["beta-3"], 3),
        ];
        assert_eq!(expired(&policy, &images, 11), vec![("A".to_string(), 1)]);
    }

    // ECR's documented "filtering on all images" example.
    #[test]
    fn an_any_rule_expires_only_what_earlier_rules_left_alone() {
        let policy = LifecyclePolicy::parse(
            r#"{"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["alpha"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
                {"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
        )
        .unwrap();
        let images = [
            image("A", &["alpha-1"], 1),
            image("B", &[], 2),
            image("C", &["alpha-2"], 3),
            image("D", &["git-hash"], 4),
        ];
        assert_eq!(
            expired(&policy, &images, 5),
            vec![("A".to_string(), 1), ("B".to_string(), 2)]
        );
    }

    #[test]
    fn a_pattern_list_selects_only_images_with_every_pattern() {
        let policy = LifecyclePolicy::parse(
            r#"{"rules": [{"rulePriority": 1, "description": "x", "selection": {"tagStatus": "tagged", "tagPatternList": ["alpha*", "beta*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
        )
        .unwrap();
        let images = [
            image("only-alpha", &["alpha-1"], 1),
            image("both", &["alpha-2", "beta-2"], 1),
        ];
        assert_eq!(expired(&policy, &images, 5), vec![("both".to_string(), 1)]);
    }
}
