//! `dockyard validate`, `explain` and `export`: task definitions as AWS would
//! judge them, why each rule (and each refusal of the simulation) exists,
//! and a definition ready to register.

use std::path::PathBuf;

use clap::Args;
use dockyard_model::sim::{self, Refusal};
use dockyard_model::taskdef::{self, Rule, Severity};

use crate::{read, Failure, Format};

/// The verdict AWS would give on task definitions.
///
/// Each FILE is RegisterTaskDefinition input or what `aws ecs
/// describe-task-definition` printed.
#[derive(Args)]
#[command(
    after_help = "Exit codes: 0 all valid (warnings allowed); 1 an error in any file; \
                  2 a file could not be read or parsed."
)]
pub(crate) struct ValidateArgs {
    /// A task definition, as JSON.
    #[arg(value_name = "FILE", required = true, value_hint = clap::ValueHint::FilePath)]
    files: Vec<PathBuf>,
    /// `json` prints one object per file with its findings (code, path,
    /// severity, message).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Why AWS has the rule behind a finding code, why the simulation refuses
/// a command with a refusal code, or what a policy check code means, and
/// where the notes or AWS's documentation teach it.
#[derive(Args)]
pub(crate) struct ExplainArgs {
    /// A finding code, for example fargate-size, a refusal code, for
    /// example task-count, or a policy check code (`dockyard iam check`),
    /// for example equals-with-wildcard.
    #[arg(value_parser = rule_code)]
    code: Code,
}

/// A code of one of the three catalogues, which share no code.
#[derive(Clone, Copy)]
enum Code {
    Rule(&'static Rule),
    Refusal(&'static Refusal),
    PolicyCheck(&'static dockyard_model::iam::PolicyCheck),
}

/// Prints the task definition ready to register.
///
/// The output is ready for `aws ecs register-task-definition
/// --cli-input-json file://...`: describe-task-definition output is
/// unwrapped and its output-only fields removed.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// A task definition, as JSON.
    #[arg(value_hint = clap::ValueHint::FilePath)]
    file: PathBuf,
}

fn rule_code(code: &str) -> Result<Code, String> {
    if let Some(rule) = taskdef::rule(code) {
        return Ok(Code::Rule(rule));
    }
    if let Some(check) = dockyard_model::iam::policy_check(code) {
        return Ok(Code::PolicyCheck(check));
    }
    sim::refusal(code).map(Code::Refusal).ok_or_else(|| {
        let rules: Vec<&str> = taskdef::RULES.iter().map(|r| r.code).collect();
        let refusals: Vec<&str> = sim::REFUSALS.iter().map(|r| r.code).collect();
        let checks: Vec<&str> = dockyard_model::iam::POLICY_CHECKS
            .iter()
            .map(|c| c.code)
            .collect();
        format!(
            "no rule, refusal or policy check has this code; the finding codes are: {}; the refusal codes are: {}; the policy check codes are: {}",
            rules.join(", "),
            refusals.join(", "),
            checks.join(", ")
        )
    })
}

pub(crate) fn validate(args: &ValidateArgs) -> Result<String, Failure> {
    let json = args.format == Format::Json;
    let mut out = String::new();
    let mut worst = 0u8;
    for path in &args.files {
        let file = path.display().to_string();
        let verdict = match std::fs::read_to_string(path) {
            Err(error) => Err((format!("cannot read the file: {error}"), serde_json::json!({ "readError": error.to_string() }))),
            Ok(text) => taskdef::check(&text).map_err(|error| {
                let detail = serde_json::json!({
                    "parseError": { "line": error.line, "column": error.column, "message": error.message }
                });
                (format!("not valid JSON: {error}"), detail)
            }),
        };
        match verdict {
            Err((problem, mut detail)) => {
                worst = 2;
                if json {
                    detail["file"] = serde_json::Value::from(file);
                    detail["valid"] = serde_json::Value::from(false);
                    out.push_str(&format!("{detail}\n"));
                } else {
                    out.push_str(&format!("{file}: {problem}\n"));
                }
            }
            Ok(imported) => {
                let errors = taskdef::count(&imported.findings, Severity::Error);
                let warnings = taskdef::count(&imported.findings, Severity::Warning);
                if errors > 0 {
                    worst = worst.max(1);
                }
                if json {
                    let document = serde_json::json!({ "file": file, "valid": errors == 0, "findings": imported.findings });
                    out.push_str(&format!("{document}\n"));
                    continue;
                }
                let verdict = match (errors, warnings) {
                    (0, 0) => "valid".to_string(),
                    (0, w) => format!("valid, {w} warning{}", plural(w)),
                    (e, w) => format!("{e} error{}, {w} warning{}", plural(e), plural(w)),
                };
                out.push_str(&format!("{file}: {verdict}\n"));
                for finding in &imported.findings {
                    let at = if finding.path.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", finding.path)
                    };
                    out.push_str(&format!(
                        "  {}[{}]{at}: {}\n",
                        finding.severity.label(),
                        finding.code,
                        finding.message
                    ));
                }
            }
        }
    }
    if !json && worst > 0 {
        out.push_str("`dockyard explain CODE` says why AWS has a rule.\n");
    }
    match worst {
        0 => Ok(out),
        1 => Err(Failure::Verdict(out)),
        _ => Err(Failure::Unreadable(out)),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

pub(crate) fn explain(args: &ExplainArgs) -> String {
    let (code, kind, title, why, taught) = match args.code {
        Code::Rule(rule) => (
            rule.code,
            rule.severity.label().to_string(),
            rule.title,
            rule.why,
            format!("Taught in the notes: #/notes/{}", rule.chapter),
        ),
        Code::Refusal(refusal) => (
            refusal.code,
            format!("refused by {}", refusal.origin.label()),
            refusal.title,
            refusal.why,
            format!("Taught in the notes: #/notes/{}", refusal.chapter),
        ),
        Code::PolicyCheck(check) => (
            check.code,
            format!("policy check, {}", check.kind.label()),
            check.title,
            check.why,
            format!("Source: {}", check.source),
        ),
    };
    format!("{code} ({kind}): {title}\n\n{why}\n\n{taught}\n")
}

pub(crate) fn export(args: &ExportArgs) -> Result<String, Failure> {
    let file = args.file.display();
    let text = read(&args.file)?;
    let imported = taskdef::import(&text)
        .map_err(|error| Failure::Unreadable(format!("{file}: not valid JSON: {error}\n")))?;
    match imported.definition {
        Some(definition) => Ok(format!("{}\n", taskdef::export(&definition))),
        None => {
            let reasons: Vec<String> = imported
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.path, f.message))
                .collect();
            Err(Failure::Unreadable(format!(
                "{file}: not a task definition: {}\n",
                reasons.join("; ")
            )))
        }
    }
}
