//! `dockyard iam simulate` and `dockyard iam check`: IAM's whole evaluation
//! logic and Dockyard's policy checks on policy files, without the browser
//! or the sandbox.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use dockyard_model::iam::{
    authorize, check_policy, Authorization, Caller, CheckKind, DecisionEffect, Named, Policies,
    PolicyDocument, PolicyUse, Request, RequestContext, ResourcePolicyKind,
};
use serde_json::json;

use crate::{read, Failure, Format};

#[derive(Subcommand)]
pub(crate) enum IamCommand {
    Simulate(Box<SimulateArgs>),
    Check(CheckArgs),
}

/// Decides one request by IAM's documented evaluation logic, and says why.
///
/// Every policy that takes part is a file of policy JSON. Conditions are
/// evaluated against the --context keys; a key a condition tests that the
/// context lacks is named in the answer.
#[derive(Args)]
#[command(after_help = "Exit codes: 0 allowed; 1 denied; 2 a file could not be read or parsed.")]
pub(crate) struct SimulateArgs {
    /// The action, such as s3:GetObject.
    #[arg(long)]
    action: String,
    /// The resource's ARN.
    #[arg(long, default_value = "*")]
    resource: String,
    /// Identity-based policies of the caller (repeatable).
    #[arg(long = "policy", value_name = "FILE")]
    policies: Vec<PathBuf>,
    /// A permissions boundary.
    #[arg(long, value_name = "FILE")]
    boundary: Option<PathBuf>,
    /// A session policy.
    #[arg(long, value_name = "FILE")]
    session_policy: Option<PathBuf>,
    /// The resource's policy.
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// What kind of resource policy it is.
    #[arg(long, value_enum, default_value_t = ResourceKind::Ordinary, requires = "resource_policy")]
    resource_kind: ResourceKind,
    /// The account that owns the resource, when it is not the caller's.
    #[arg(long, value_name = "ACCOUNT")]
    resource_owner: Option<String>,
    /// Service control policies of the caller's account (repeatable).
    #[arg(long = "scp", value_name = "FILE")]
    scps: Vec<PathBuf>,
    /// Resource control policies of the resource's account (repeatable).
    #[arg(long = "rcp", value_name = "FILE")]
    rcps: Vec<PathBuf>,
    /// The caller: a role ARN, or an assumed-role session ARN.
    #[arg(long, default_value = "arn:aws:iam::111122223333:role/app")]
    caller_arn: String,
    /// A context key and its values: KEY=VALUE or KEY=V1,V2 (repeatable).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ResourceKind {
    Ordinary,
    Trust,
    Key,
}

/// Checks a policy in the manner of IAM Access Analyzer's validation.
#[derive(Args)]
#[command(
    after_help = "Exit codes: 0 no errors (warnings and suggestions allowed); 1 an error; 2 the file could not be read."
)]
pub(crate) struct CheckArgs {
    file: PathBuf,
    /// Where the policy is attached.
    #[arg(long = "as", value_enum, default_value_t = Usage::Identity)]
    usage: Usage,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Usage {
    Identity,
    Resource,
    Trust,
    Organization,
}

pub(crate) fn iam(command: IamCommand) -> Result<String, Failure> {
    match command {
        IamCommand::Simulate(args) => simulate(&args),
        IamCommand::Check(args) => check(&args),
    }
}

fn load(path: &Path) -> Result<PolicyDocument, Failure> {
    let text = read(path)?;
    PolicyDocument::parse(&text)
        .map_err(|error| Failure::Unreadable(format!("{}: {error}\n", path.display())))
}

fn simulate(args: &SimulateArgs) -> Result<String, Failure> {
    let identity: Vec<(String, PolicyDocument)> = args
        .policies
        .iter()
        .map(|p| Ok((p.display().to_string(), load(p)?)))
        .collect::<Result<_, Failure>>()?;
    let load_named = |p: &Option<PathBuf>| -> Result<Option<(String, PolicyDocument)>, Failure> {
        p.as_ref()
            .map(|p| Ok((p.display().to_string(), load(p)?)))
            .transpose()
    };
    let boundary = load_named(&args.boundary)?;
    let session = load_named(&args.session_policy)?;
    let resource = load_named(&args.resource_policy)?;
    let scps: Vec<(String, PolicyDocument)> = args
        .scps
        .iter()
        .map(|p| Ok((p.display().to_string(), load(p)?)))
        .collect::<Result<_, Failure>>()?;
    let rcps: Vec<(String, PolicyDocument)> = args
        .rcps
        .iter()
        .map(|p| Ok((p.display().to_string(), load(p)?)))
        .collect::<Result<_, Failure>>()?;
    let mut context = RequestContext::new();
    for pair in &args.context {
        let Some((key, values)) = pair.split_once('=') else {
            return Err(Failure::Unreadable(format!(
                "--context {pair}: write KEY=VALUE or KEY=V1,V2\n"
            )));
        };
        context.set(key, values.split(',').map(str::to_string).collect());
    }
    let request = Request {
        caller: Caller::from_arn(&args.caller_arn, "111122223333"),
        action: args.action.clone(),
        resource: args.resource.clone(),
        resource_account: args.resource_owner.clone(),
        context,
    };
    fn named((name, document): &(String, PolicyDocument)) -> Named<'_> {
        Named {
            name: name.as_str(),
            document,
        }
    }
    let policies = Policies {
        identity: identity.iter().map(named).collect(),
        resource: resource.as_ref().map(|r| {
            (
                named(r),
                match args.resource_kind {
                    ResourceKind::Ordinary => ResourcePolicyKind::Ordinary,
                    ResourceKind::Trust => ResourcePolicyKind::RoleTrust,
                    ResourceKind::Key => ResourcePolicyKind::KmsKey,
                },
            )
        }),
        boundary: boundary.as_ref().map(named),
        session: session.as_ref().map(named),
        scps: (!scps.is_empty()).then(|| scps.iter().map(named).collect()),
        rcps: (!rcps.is_empty()).then(|| rcps.iter().map(named).collect()),
    };
    let answer = authorize(&request, &policies);
    let output = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "request": request,
                "decision": answer.effect,
                "explanation": answer.explanation,
                "deciding": answer.deciding,
                "verdicts": answer.verdicts,
                "missingContextValues": answer.missing_context(),
            }))
            .expect("serializable")
        ),
        Format::Text => text(&request, &answer),
    };
    if answer.is_allowed() {
        Ok(output)
    } else {
        Err(Failure::Verdict(output))
    }
}

fn text(request: &Request, answer: &Authorization) -> String {
    let verdict = match answer.effect {
        DecisionEffect::Allowed => "ALLOWED",
        DecisionEffect::ExplicitlyDenied => "EXPLICITLY DENIED",
        DecisionEffect::ImplicitlyDenied => "IMPLICITLY DENIED",
    };
    let mut out = format!(
        "{} on {}: {verdict}\n{}\n\nPolicies that took part:\n",
        request.action, request.resource, answer.explanation
    );
    for v in &answer.verdicts {
        let said = match (v.denies, v.allows) {
            (true, _) => "denies",
            (false, true) => "allows",
            (false, false) => "allows nothing here",
        };
        out.push_str(&format!("  {}: {said}\n", v.policy_type.label()));
        for statement in &v.statements {
            out.push_str(&format!("    matched {}\n", statement.describe()));
        }
        for note in &v.notes {
            out.push_str(&format!("    {note}\n"));
        }
    }
    let missing = answer.missing_context();
    if !missing.is_empty() {
        out.push_str(&format!(
            "\nCondition keys the context lacks (give them with --context): {}\n",
            missing.join(", ")
        ));
    }
    out
}

fn check(args: &CheckArgs) -> Result<String, Failure> {
    let text = read(&args.file)?;
    let usage = match args.usage {
        Usage::Identity => PolicyUse::Identity,
        Usage::Resource => PolicyUse::Resource,
        Usage::Trust => PolicyUse::Trust,
        Usage::Organization => PolicyUse::Organization,
    };
    let findings = check_policy(&text, usage);
    let errors = findings.iter().any(|f| f.kind == CheckKind::Error);
    let output = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(
                &json!({"file": args.file.display().to_string(), "findings": findings})
            )
            .expect("serializable")
        ),
        Format::Text => {
            let mut out = format!("{}: ", args.file.display());
            if findings.is_empty() {
                out.push_str("no findings\n");
            } else {
                out.push_str(&format!(
                    "{} finding{}\n",
                    findings.len(),
                    if findings.len() == 1 { "" } else { "s" }
                ));
                for f in &findings {
                    let at = if f.path.is_empty() {
                        "(policy)"
                    } else {
                        &f.path
                    };
                    out.push_str(&format!(
                        "  {} {} at {at}: {}\n",
                        f.kind.label(),
                        f.code,
                        f.message
                    ));
                }
                out.push_str(
                    "`dockyard explain CODE` says what a check means and where AWS documents it.\n",
                );
            }
            out
        }
    };
    if errors {
        Err(Failure::Verdict(output))
    } else {
        Ok(output)
    }
}
