//! `dockyard`: the rules of Dockyard's model on the command line, for people
//! who want them without the browser (and for tests that drive the model
//! from outside).

use std::process::ExitCode;

use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{catalogue, clock};
use dockyard_model::taskdef::{self, Severity};
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
    dockyard validate FILE... [--format json]
        The verdict AWS would give on task definitions (RegisterTaskDefinition
        input or describe-task-definition output). Exit 0: all valid (warnings
        allowed); 1: an error in any file; 2: a file could not be read or parsed.
    dockyard explain CODE
        Why AWS has the rule behind a finding code, and where the notes teach it.
    dockyard export FILE
        Prints the task definition ready for
        `aws ecs register-task-definition --cli-input-json file://...`
        (describe-task-definition output is unwrapped and stripped).
    dockyard simulate SCENARIO.json [--until SECONDS] [--seed N] [--format json]
        Runs a scenario: a per-minute timeline (desired, running and pending
        tasks, instances, CPU, cost) and the events, in words.
    dockyard lesson list
        Every lesson: its id, chapter and title.
    dockyard lesson check LESSON_ID SOLUTION.json
        Plays the lesson's start and your answer, then judges each condition
        of the goal. The answer is a JSON list of sandbox steps (or a file
        exported from the sandbox); for a registry lesson, a list of registry
        actions (or the registry saved by the registries page).
        Exit 0: the goal is met; 1: it is not; 2: bad input.
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
        Err(Failure::Unreadable(output)) => {
            print!("{output}");
            ExitCode::from(2)
        }
    }
}

enum Failure {
    /// The command line was wrong.
    Usage(String),
    /// The command ran, and its answer is "no".
    Verdict(String),
    /// An input file could not be read or parsed.
    Unreadable(String),
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
        "validate" => validate(rest),
        "explain" => explain(rest),
        "export" => export(rest),
        "simulate" => simulate(rest),
        "lesson" => lesson(rest),
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

fn validate(rest: &[String]) -> Result<String, Failure> {
    let mut json = false;
    let mut files = Vec::new();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => json = is_json_format(args.next())?,
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option '{flag}'")))
            }
            file => files.push(file),
        }
    }
    if files.is_empty() {
        return Err(Failure::Usage("validate needs at least one FILE".into()));
    }
    let mut out = String::new();
    let mut worst = 0u8;
    for file in files {
        let verdict = match std::fs::read_to_string(file) {
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

fn explain(rest: &[String]) -> Result<String, Failure> {
    let [code] = rest else {
        return Err(Failure::Usage(
            "explain needs one CODE, for example fargate-size".into(),
        ));
    };
    let Some(rule) = taskdef::rule(code) else {
        let codes: Vec<&str> = taskdef::RULES.iter().map(|r| r.code).collect();
        return Err(Failure::Usage(format!(
            "no rule has the code '{code}'; the codes are: {}",
            codes.join(", ")
        )));
    };
    Ok(format!(
        "{} ({}): {}\n\n{}\n\nTaught in the notes: #/notes/{}\n",
        rule.code,
        rule.severity.label(),
        rule.title,
        rule.why,
        rule.chapter
    ))
}

fn export(rest: &[String]) -> Result<String, Failure> {
    let [file] = rest else {
        return Err(Failure::Usage("export needs one FILE".into()));
    };
    let text = std::fs::read_to_string(file)
        .map_err(|error| Failure::Unreadable(format!("{file}: cannot read the file: {error}\n")))?;
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

fn simulate(rest: &[String]) -> Result<String, Failure> {
    let mut file = None;
    let mut until = None;
    let mut seed = None;
    let mut json = false;
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--until" => until = Some(parse_u64("--until", args.next())?),
            "--seed" => seed = Some(parse_u64("--seed", args.next())?),
            "--format" => json = is_json_format(args.next())?,
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option '{flag}'")))
            }
            path if file.is_none() => file = Some(path),
            extra => return Err(Failure::Usage(format!("unexpected argument '{extra}'"))),
        }
    }
    let file = file.ok_or_else(|| Failure::Usage("simulate needs a SCENARIO.json".into()))?;
    let text = std::fs::read_to_string(file)
        .map_err(|error| Failure::Unreadable(format!("{file}: cannot read the file: {error}\n")))?;
    let scenario = Scenario::parse(&text)
        .map_err(|error| Failure::Unreadable(format!("{file}: {error}\n")))?;
    let run = scenario.run(seed, until);
    if json {
        return Ok(format!(
            "{}\n",
            serde_json::to_string(&run).expect("a run serializes")
        ));
    }
    let mut out = format!(
        "{} (seed {}, {} simulated)\n\n",
        run.name,
        run.seed,
        clock(run.until)
    );
    out.push_str("  time      service        desired running pending  cpu%  instances   cost $\n");
    for sample in &run.timeline {
        let instances = format!("{}/{}", sample.instances_registered, sample.instances_total);
        let mut row = |name: &str,
                       desired: String,
                       running: u32,
                       pending: u32,
                       cpu: String,
                       capacity: &str| {
            out.push_str(&format!(
                "  {}  {name:<14} {desired:>7} {running:>7} {pending:>7} {cpu:>5}  {capacity:>9} {:>8.4}\n",
                clock(sample.at),
                sample.cost
            ));
        };
        if sample.services.is_empty() && sample.deployments.is_empty() {
            row(
                "(tasks)",
                "-".into(),
                sample.tasks_running,
                sample.tasks_pending,
                "-".into(),
                &instances,
            );
        }
        for service in &sample.services {
            let cpu = format!("{:.0}", service.cpu_utilization);
            row(
                &service.service,
                service.desired.to_string(),
                service.running,
                service.pending,
                cpu,
                &instances,
            );
        }
        // EKS: one row per deployment; replicas, pods, and nodes Ready/total.
        let nodes = format!("{}/{} nodes", sample.nodes_ready, sample.nodes_total);
        for deployment in &sample.deployments {
            let cpu = format!("{:.0}", deployment.cpu_utilization);
            let name = format!("deploy/{}", deployment.deployment);
            row(
                &name,
                deployment.replicas.to_string(),
                deployment.running,
                deployment.pending,
                cpu,
                &nodes,
            );
        }
    }
    out.push_str(&format!("\nEvents ({}):\n", run.events.len()));
    for event in &run.events {
        out.push_str(&format!(
            "  {}  {}\n",
            clock(event.at),
            event.what.describe()
        ));
    }
    for refused in &run.refused {
        out.push_str(&format!(
            "  {}  Step {} refused: {}\n",
            clock(refused.at),
            refused.step + 1,
            refused.rejection
        ));
    }
    out.push_str(&format!(
        "\nCost {:.4} USD at illustrative prices ({}). Event digest {}.\n",
        run.timeline.last().map_or(0.0, |s| s.cost),
        catalogue::PRICES_AS_OF,
        run.digest
    ));
    Ok(out)
}

/// `--format json` or `--format text`.
fn is_json_format(value: Option<&String>) -> Result<bool, Failure> {
    match value.map(String::as_str) {
        Some("json") => Ok(true),
        Some("text") => Ok(false),
        other => Err(Failure::Usage(format!(
            "--format takes json or text, got '{}'",
            other.unwrap_or("")
        ))),
    }
}

fn parse_u64(flag: &str, value: Option<&String>) -> Result<u64, Failure> {
    let value = value.ok_or_else(|| Failure::Usage(format!("{flag} needs a number")))?;
    value
        .parse()
        .map_err(|_| Failure::Usage(format!("{flag} must be a whole number, got '{value}'")))
}

fn lesson(rest: &[String]) -> Result<String, Failure> {
    use dockyard_course::lessons::{all_met, lesson as find, lessons};
    match rest {
        [list] if list == "list" => {
            let mut out = String::new();
            for lesson in lessons() {
                out.push_str(&format!(
                    "{:<40} {:<20} {}\n",
                    lesson.id, lesson.chapter, lesson.title
                ));
            }
            Ok(out)
        }
        [check, id, file] if check == "check" => {
            let lesson = find(id).ok_or_else(|| {
                Failure::Usage(format!(
                    "there is no lesson '{id}' (see: dockyard lesson list)"
                ))
            })?;
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::Unreadable(format!("{file}: {e}\n")))?;
            let judged = lesson
                .read_answer(&text)
                .and_then(|answer| lesson.check(&answer))
                .map_err(|e| Failure::Unreadable(format!("{file}: {e}\n")))?;
            let mut out = format!("{}: {}\n", lesson.id, lesson.title);
            for judgement in &judged {
                out.push_str(&format!(
                    "  [{}] {}\n",
                    if judgement.met { "met" } else { "not met" },
                    judgement.words
                ));
            }
            if all_met(&judged) {
                out.push_str("The goal is met.\n");
                Ok(out)
            } else {
                out.push_str("The goal is not met yet.\n");
                Err(Failure::Verdict(out))
            }
        }
        _ => Err(Failure::Usage(
            "lesson takes 'list', or 'check LESSON_ID SOLUTION.json'".into(),
        )),
    }
}
