//! `dockyard simulate`: runs a scenario file and prints its timeline and
//! events, in words or as JSON.

use std::path::PathBuf;

use clap::Args;
use dockyard_model::sim::scenario::Scenario;
use dockyard_model::sim::{catalogue, clock};

use crate::{read, Failure, Format};

/// Runs a scenario: a per-minute timeline and the events, in words.
///
/// The timeline has desired, running and pending tasks, instances, CPU and
/// cost. The same file and seed always give the same run (its event digest
/// is printed).
#[derive(Args)]
pub(crate) struct SimulateArgs {
    #[arg(value_name = "SCENARIO.json", value_hint = clap::ValueHint::FilePath)]
    scenario: PathBuf,
    /// Stop after this many simulated seconds (default: the scenario's own end).
    #[arg(long, value_name = "SECONDS")]
    until: Option<u64>,
    /// The random seed (default: the scenario's own).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// `json` prints the whole run as one JSON document.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn simulate(args: &SimulateArgs) -> Result<String, Failure> {
    let text = read(&args.scenario)?;
    let scenario = Scenario::parse(&text)
        .map_err(|error| Failure::Unreadable(format!("{}: {error}\n", args.scenario.display())))?;
    let run = scenario.run(args.seed, args.until);
    if args.format == Format::Json {
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
