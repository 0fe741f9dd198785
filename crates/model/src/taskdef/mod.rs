//! Task definitions: import (RegisterTaskDefinition input or
//! describe-task-definition output), validation with the verdict AWS would
//! give, export, and revisions per family.

mod api;
mod image;
mod import;
pub mod lines;
pub mod rules;
mod types;
mod validate;
pub(crate) use validate::is_name;

use std::collections::BTreeMap;

use serde::Serialize;

pub use image::{looks_like_ecr, parse_image};
pub use import::{export, import, import_value, Imported, ParseError, RESPONSE_ONLY_FIELDS};
pub use rules::{aws_message, rule, Rule, Severity, RULES};
pub use types::*;
pub use validate::{parse_task_cpu, parse_task_memory, validate, Targets};

/// One thing the validator noticed, at one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A code from [`RULES`].
    pub code: &'static str,
    pub severity: Severity,
    /// The field, as the API names it: `containerDefinitions[0].memory`.
    pub path: String,
    /// What is wrong here, with the numbers that matter.
    pub message: String,
}

impl Finding {
    /// A finding with its rule's severity.
    pub(crate) fn new(code: &'static str, path: &str, message: String) -> Finding {
        let severity = rule(code).map(|r| r.severity).unwrap_or(Severity::Error);
        Finding::with_severity(code, severity, path, message)
    }

    pub(crate) fn with_severity(
        code: &'static str,
        severity: Severity,
        path: &str,
        message: String,
    ) -> Finding {
        debug_assert!(rule(code).is_some(), "finding code {code} is not in RULES");
        Finding {
            code,
            severity,
            path: path.to_string(),
            message,
        }
    }

    /// The rule: why AWS has it, and the chapter that teaches it.
    pub fn rule(&self) -> &'static Rule {
        rule(self.code).expect("every finding's code is in RULES")
    }
}

/// The largest task definition Dockyard reads: the 64 KiB cited as ECS's
/// quota (rule `definition-size` says how sure that figure is).
pub const MAX_DEFINITION_BYTES: usize = 64 * 1024;

/// Imports and validates in one step: everything a learner needs to know
/// about a pasted or loaded file.
pub fn check(text: &str) -> Result<Imported, ParseError> {
    // Before parsing: a 20 MB file is refused at once instead of freezing
    // the page while it is read.
    if text.len() > MAX_DEFINITION_BYTES {
        return Ok(Imported {
            definition: None,
            findings: vec![Finding::new(
                "definition-size",
                "",
                format!(
                    "this text is {} bytes, and a task definition is at most 64 KiB ({MAX_DEFINITION_BYTES} bytes); Dockyard did not read it",
                    text.len()
                ),
            )],
        });
    }
    let mut imported = import(text)?;
    if let Some(definition) = &imported.definition {
        imported.findings.extend(validate(definition));
    }
    // A rule of Dockyard's that names the same field explains it better
    // than the API model's generic check.
    let named: std::collections::BTreeSet<String> = imported
        .findings
        .iter()
        .filter(|f| !f.code.starts_with("api-"))
        .map(|f| f.path.clone())
        .collect();
    imported
        .findings
        .retain(|f| !f.code.starts_with("api-") || !named.contains(&f.path));
    // Errors first, then warnings, then notes, each in the order found.
    crate::order::sort_by_u64_key(&mut imported.findings, |finding| {
        Severity::Error as u64 - finding.severity as u64
    });
    Ok(imported)
}

/// Whether any finding is an error (AWS would refuse the definition).
pub fn has_errors(findings: &[Finding]) -> bool {
    count(findings, Severity::Error) > 0
}

/// How many findings have this severity.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

/// Registered task definitions, by family: registering again in a family
/// gives the next revision (web:1, web:2, ...).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskDefinitionRegistry {
    families: BTreeMap<String, Vec<TaskDefinition>>,
    /// Deregistered revisions (INACTIVE): still described, and still run
    /// by the services that use them, but no new task or service may
    /// start from them.
    inactive: std::collections::BTreeSet<Revision>,
}

/// A registered revision: `family:revision`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Revision {
    pub family: String,
    pub revision: u32,
}

impl std::fmt::Display for Revision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.family, self.revision)
    }
}

impl TaskDefinitionRegistry {
    /// Registers `definition` if AWS would accept it; otherwise returns the
    /// errors (and nothing is registered).
    pub fn register(&mut self, definition: TaskDefinition) -> Result<Revision, Vec<Finding>> {
        let errors: Vec<Finding> = validate(&definition)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let family = definition.family.clone();
        let revisions = self.families.entry(family.clone()).or_default();
        revisions.push(definition);
        Ok(Revision {
            family,
            revision: revisions.len() as u32,
        })
    }

    pub fn get(&self, revision: &Revision) -> Option<&TaskDefinition> {
        let index = usize::try_from(revision.revision).ok()?.checked_sub(1)?;
        self.families.get(&revision.family)?.get(index)
    }

    /// Marks a revision INACTIVE (DeregisterTaskDefinition); false if there
    /// is no such revision.
    pub fn deregister(&mut self, revision: &Revision) -> bool {
        if self.get(revision).is_none() {
            return false;
        }
        self.inactive.insert(revision.clone());
        true
    }

    /// Whether a registered revision is ACTIVE.
    pub fn is_active(&self, revision: &Revision) -> bool {
        !self.inactive.contains(revision)
    }

    /// The latest ACTIVE revision of a family: what a bare family name means.
    pub fn latest_active(&self, family: &str) -> Option<Revision> {
        let count = self.families.get(family)?.len() as u32;
        (1..=count)
            .rev()
            .map(|revision| Revision {
                family: family.to_string(),
                revision,
            })
            .find(|revision| self.is_active(revision))
    }

    /// The latest revision of a family.
    pub fn latest(&self, family: &str) -> Option<Revision> {
        let count = self.families.get(family)?.len();
        Some(Revision {
            family: family.to_string(),
            revision: count as u32,
        })
    }

    /// Every revision, by family then number.
    pub fn revisions(&self) -> impl Iterator<Item = Revision> + '_ {
        self.families.iter().flat_map(|(family, list)| {
            (1..=list.len() as u32).map(move |revision| Revision {
                family: family.clone(),
                revision,
            })
        })
    }
}
