//! `dockyard`: the rules of Dockyard's model on the command line, for people
//! who want them without the browser (and for tests that drive the model
//! from outside).

use std::process::ExitCode;

use dockyard_model::{fargate, principals, storage};

const USAGE: &str = "\
dockyard: AWS container services rules from Dockyard's model

USAGE:
    dockyard sizes [--json]
        The Fargate task size menu: every valid cpu/memory pair.
    dockyard sizes --check CPU MEMORY [--windows]
        Is this task size on the Fargate menu? (CPU in units, MEMORY in MiB)
    dockyard who-calls [--no-task-role] [--no-execution-role] [--imds-blocked] [--no-service-account-role]
        Which principal makes each call, on each platform.
    dockyard volumes
        Which ECS volume types work on each launch type, and what survives.
    dockyard --help | --version
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("dockyard: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Verdict(output)) => {
            print!("{output}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    /// The command line was wrong.
    Usage(String),
    /// The command ran, and its answer is "no".
    Verdict(String),
}

fn run(args: &[String]) -> Result<String, Failure> {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => return Ok(USAGE.to_string()),
    };
    match command {
        "-h" | "--help" | "help" => Ok(USAGE.to_string()),
        "-V" | "--version" => Ok(format!("dockyard {}\n", env!("CARGO_PKG_VERSION"))),
        "sizes" => sizes(rest),
        "who-calls" => who_calls(rest),
        "volumes" => no_options(rest).map(|()| volumes()),
        other => Err(Failure::Usage(format!("unknown command '{other}'"))),
    }
}

fn no_options(rest: &[String]) -> Result<(), Failure> {
    match rest.first() {
        Some(extra) => Err(Failure::Usage(format!("unexpected argument '{extra}'"))),
        None => Ok(()),
    }
}

fn sizes(rest: &[String]) -> Result<String, Failure> {
    match rest {
        [] => Ok(size_table()),
        [flag] if flag == "--json" => {
            let pairs: Vec<serde_json::Value> = fargate::all_sizes()
                .map(|(cpu, memory)| serde_json::json!({ "cpu": cpu.to_string(), "memory": memory.to_string() }))
                .collect();
            let document = serde_json::json!({ "asOf": fargate::SIZES_AS_OF, "sizes": pairs });
            Ok(format!("{document:#}\n"))
        }
        [flag, cpu, memory, more @ ..] if flag == "--check" => {
            let os = match more {
                [] => fargate::OsFamily::Linux,
                [windows] if windows == "--windows" => fargate::OsFamily::Windows,
                [extra, ..] => {
                    return Err(Failure::Usage(format!("unexpected argument '{extra}'")))
                }
            };
            let cpu = parse_number("CPU", cpu)?;
            let memory = parse_number("MEMORY", memory)?;
            match fargate::check_size(cpu, memory, os) {
                Ok(()) => Ok(format!(
                    "valid: cpu {cpu} with memory {memory} MiB is on the Fargate menu\n"
                )),
                Err(error) => Err(Failure::Verdict(format!("invalid: {error}\n"))),
            }
        }
        [flag, ..] if flag == "--check" => {
            Err(Failure::Usage("--check needs CPU and MEMORY".into()))
        }
        [extra, ..] => Err(Failure::Usage(format!("unexpected argument '{extra}'"))),
    }
}

fn parse_number(name: &str, text: &str) -> Result<u32, Failure> {
    text.parse()
        .map_err(|_| Failure::Usage(format!("{name} must be a whole number, got '{text}'")))
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

fn who_calls(rest: &[String]) -> Result<String, Failure> {
    let mut setup = principals::RoleSetup::COMPLETE;
    for flag in rest {
        match flag.as_str() {
            "--no-task-role" => setup.task_role = false,
            "--no-execution-role" => setup.execution_role = false,
            "--no-service-account-role" => setup.service_account_role = false,
            "--imds-blocked" => setup.imds_blocked = true,
            other => return Err(Failure::Usage(format!("unknown option '{other}'"))),
        }
    }
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
    Ok(out)
}

fn volumes() -> String {
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
