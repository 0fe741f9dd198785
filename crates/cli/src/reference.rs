//! `dockyard sizes`, `who-calls` and `volumes`: reference tables straight
//! from the model (the Fargate size menu, which principal makes each call,
//! which volumes work where), with no input file.

use clap::Args;
use dockyard_model::{fargate, principals, storage};

use crate::Failure;

/// The Fargate task size menu, or whether one size is on it.
///
/// Without --check: every valid cpu/memory pair.
#[derive(Args)]
#[command(after_help = "Exit codes: 0 the size is on the menu; 1 it is not.")]
pub(crate) struct SizesArgs {
    /// The menu as JSON, with cpu and memory as the strings the API takes.
    #[arg(long, conflicts_with = "check")]
    json: bool,
    /// Is this task size on the menu? CPU in units (1024 = 1 vCPU), MEMORY in MiB.
    #[arg(long, num_args = 2, value_names = ["CPU", "MEMORY"])]
    check: Option<Vec<u32>>,
    /// With --check: the size for a Windows task.
    #[arg(long, requires = "check")]
    windows: bool,
}

/// Which principal makes each call, on each platform.
///
/// The calls: pulling images, shipping logs, fetching secrets and the app's
/// own AWS calls. Every role is there unless a flag takes it away.
#[derive(Args)]
pub(crate) struct WhoCallsArgs {
    /// The task has no task role.
    #[arg(long)]
    no_task_role: bool,
    /// The task has no task execution role.
    #[arg(long)]
    no_execution_role: bool,
    /// Containers cannot reach the instance metadata service (EC2).
    #[arg(long)]
    imds_blocked: bool,
    /// The pod's service account has no IAM role (EKS).
    #[arg(long)]
    no_service_account_role: bool,
}

pub(crate) fn sizes(args: &SizesArgs) -> Result<String, Failure> {
    // clap gives --check exactly two values (num_args = 2).
    if let Some(pair) = &args.check {
        let (cpu, memory) = (pair[0], pair[1]);
        let os = if args.windows {
            fargate::OsFamily::Windows
        } else {
            fargate::OsFamily::Linux
        };
        return match fargate::check_size(cpu, memory, os) {
            Ok(()) => Ok(format!(
                "valid: cpu {cpu} with memory {memory} MiB is on the Fargate menu\n"
            )),
            Err(error) => Err(Failure::Verdict(format!("invalid: {error}\n"))),
        };
    }
    if !args.json {
        return Ok(size_table());
    }
    let pairs: Vec<serde_json::Value> = fargate::all_sizes()
        .map(|(cpu, memory)| serde_json::json!({ "cpu": cpu.to_string(), "memory": memory.to_string() }))
        .collect();
    let document = serde_json::json!({ "asOf": fargate::SIZES_AS_OF, "sizes": pairs });
    Ok(format!("{document:#}\n"))
}

fn size_table() -> String {
    let mut out = format!("Fargate task sizes (as of {})\n\n", fargate::SIZES_AS_OF);
    out.push_str("  vCPU   cpu units  memory (MiB)                                 OS\n");
    for option in fargate::CPU_OPTIONS {
        let values = option.memory.values();
        let memory = match option.memory {
            fargate::MemoryMenu::List(list) => list
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            fargate::MemoryMenu::Range { min, max, step } => {
                format!(
                    "{min} to {max} in steps of {step} ({} values)",
                    values.len()
                )
            }
        };
        let os = match (option.windows, option.min_linux_platform) {
            (true, _) => "Linux, Windows".to_string(),
            (false, Some(platform)) => format!("Linux (platform {platform}+)"),
            (false, None) => "Linux".to_string(),
        };
        let vcpu = f64::from(option.cpu_units) / 1024.0;
        out.push_str(&format!(
            "  {vcpu:<6} {:<10} {memory:<44} {os}\n",
            option.cpu_units
        ));
    }
    out.push_str(&format!("\n{} valid pairs\n", fargate::all_sizes().count()));
    out
}

pub(crate) fn who_calls(args: &WhoCallsArgs) -> String {
    let setup = principals::RoleSetup {
        task_role: !args.no_task_role,
        execution_role: !args.no_execution_role,
        service_account_role: !args.no_service_account_role,
        imds_blocked: args.imds_blocked,
    };
    let mut out = String::new();
    for platform in principals::Platform::ALL {
        out.push_str(&format!("{}\n", platform.label()));
        for call in principals::Call::ALL {
            let answer = principals::who_calls(platform, call, setup);
            out.push_str(&format!(
                "  {:<34} {}\n",
                call.label(),
                answer.principal.label()
            ));
            out.push_str(&format!("  {:<34} {}\n", "", answer.why));
            if let Some(uncertainty) = answer.uncertainty {
                out.push_str(&format!("  {:<34} Uncertain: {uncertainty}\n", ""));
            }
        }
        out.push('\n');
    }
    out
}

pub(crate) fn volumes() -> String {
    let mut out = String::from("ECS volume types by launch type\n\n");
    for volume in storage::VolumeType::ALL {
        let durability = storage::durability(volume);
        out.push_str(&format!("{}\n", volume.label()));
        for platform in storage::EcsPlatform::ALL {
            let support = storage::support(volume, platform);
            let verdict = match support {
                storage::Support::Supported(_) => "yes",
                storage::Support::Refused(_) => "no",
                storage::Support::Unverified(_) => "unverified",
            };
            out.push_str(&format!(
                "  {:<16} {verdict:<10} {}\n",
                platform.label(),
                support.note()
            ));
        }
        out.push_str(&format!(
            "  survives task stop: {}; instance loss: {}; AZ loss: {}. {}\n\n",
            yes_no(durability.survives_task_stop),
            yes_no(durability.survives_instance_loss),
            yes_no(durability.survives_az_loss),
            durability.note
        ));
    }
    out
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}
