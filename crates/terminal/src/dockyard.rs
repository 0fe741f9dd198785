//! `dockyard`: what happens to the simulated account that is not an AWS
//! call. Traffic arriving, a zone failing, a container exiting or using
//! memory, an application writing a file, Spot capacity being reclaimed:
//! the world does these to a learner, and a lesson may ask for them. They
//! are kept apart from `aws` on purpose, so that nobody mistakes them for
//! commands that exist at AWS.
//!
//! Each subcommand is one of the model's own commands, its fields given as
//! flags (`--service web`, a JSON value where the field is structured).

use serde_json::{Map, Value};

use dockyard_model::sim::command_json::command_from_fields;

use crate::{suggest, Cloud, Output};

/// The subcommands: their name, the model command, and their flags.
const SUBCOMMANDS: &[(&str, &str, &str, &str)] = &[
    ("set-load", "setLoad", "--service NAME --load CURVE [--metric cpu|memory|requests]", "traffic on a service, as a load curve: '{\"shape\": \"spike\", \"base\": 1024, \"peak\": 4096, \"at\": 1200, \"duration\": 1800}'"),
    ("set-pod-load", "setDeploymentLoad", "--deployment NAME --load CURVE", "CPU work arriving at an EKS deployment's pods, in millicores, as a load curve (what a load generator's requests bring; the HPA measures it against the pods' CPU requests)"),
    ("lose-az", "loseAz", "--az ZONE", "an Availability Zone fails"),
    ("restore-az", "restoreAz", "--az ZONE", "the zone comes back"),
    ("write-file", "writeFile", "--task ID --path PATH [--volume NAME | --container NAME] [--contents TEXT]", "the task's application writes a file"),
    ("use-memory", "useMemory", "--task ID --container NAME --mib N", "a container's memory use grows"),
    ("exit-container", "exitContainer", "--task ID --container NAME [--exit-code N]", "a container's process exits"),
    ("interrupt-spot", "interruptSpot", "--service NAME --count N", "Fargate Spot capacity under the service's tasks is reclaimed"),
    ("interrupt-spot-instance", "interruptSpotInstance", "--instance ID", "EC2 reclaims a Spot instance (a two-minute warning)"),
    ("terminate-instance", "terminateInstance", "--instance ID", "an instance fails or is terminated"),
    ("launch-self-managed-nodes", "createNodeGroup", "--cluster NAME --name GROUP --instance-type TYPE --count N --node-role ARN [--min-size N] [--max-size N] [--spot true]", "self-managed EKS nodes boot in your own Auto Scaling group (what a launch template with the EKS-optimized AMI and its bootstrap script does); they join only if an access entry (aws eks create-access-entry --type EC2_LINUX) or aws-auth maps their node role"),
    ("launch-instances", "launchInstances", "--cluster NAME --instance-type TYPE --az ZONE [--count N] [--spot true] [--instance-role ARN] [--spot-instance-draining true]", "container instances join a cluster (what run-instances with the ECS-optimized AMI and ECS_CLUSTER in its user data does; --spot-instance-draining is ECS_ENABLE_SPOT_INSTANCE_DRAINING=true there)"),
];

pub(crate) fn names() -> Vec<&'static str> {
    SUBCOMMANDS.iter().map(|(name, ..)| *name).collect()
}

fn help() -> String {
    let mut text =
        String::from("dockyard: what happens to the simulated account that is not an AWS call\n\n");
    for (name, _, flags, what) in SUBCOMMANDS {
        text.push_str(&format!("  dockyard {name} {flags}\n      {what}\n"));
    }
    text.push_str("\nsleep SECONDS lets simulated time pass.\n");
    text
}

/// `--task-role-arn` to `taskRoleArn`.
fn camel(flag: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in flag.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn run(cloud: &mut dyn Cloud, args: &[String]) -> Output {
    let Some(name) = args.first() else {
        return Output::ok(help());
    };
    if name == "help" || name == "--help" {
        return Output::ok(help());
    }
    let Some((_, command, usage, _)) = SUBCOMMANDS.iter().find(|(n, ..)| n == name) else {
        let mut message = format!("dockyard: '{name}' is not a dockyard command.\n");
        if let Some(near) = suggest::closest(name, &names()).first() {
            message.push_str(&format!("Did you mean: dockyard {near}\n"));
        }
        if name.contains("service") || name.contains("task-definition") || name.contains("cluster")
        {
            message.push_str("AWS calls are made with aws (aws ecs help).\n");
        }
        return Output::error(2, message);
    };
    let mut fields = Map::new();
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let Some(key) = flag.strip_prefix("--") else {
            return Output::error(2, format!("dockyard {name}: expected a flag, found '{flag}'\nusage: dockyard {name} {usage}\n"));
        };
        let Some(value) = rest.next() else {
            return Output::error(2, format!("dockyard {name}: --{key} needs a value\n"));
        };
        // A number, a boolean or JSON where the field takes one; text otherwise.
        let value = match serde_json::from_str::<Value>(value) {
            Ok(
                parsed @ (Value::Object(_) | Value::Array(_) | Value::Bool(_) | Value::Number(_)),
            ) => parsed,
            _ => Value::String(value.clone()),
        };
        fields.insert(camel(key), value);
    }
    if *name == "launch-self-managed-nodes" {
        fields = self_managed_fields(fields);
    }
    let command = match command_from_fields(command, &fields) {
        Ok(command) => command,
        Err(error) => {
            return Output::error(
                2,
                format!("dockyard {name}: {error}\nusage: dockyard {name} {usage}\n"),
            )
        }
    };
    match cloud.apply(command) {
        Ok(()) => Output::default().note(format!("Done: {}.", describe(name, &fields))),
        Err(refused) => {
            let mut out = Output::error(1, format!("dockyard {name}: {}\n", refused.message));
            if let Some(code) = refused.code {
                out.notes
                    .push(format!("Refused by the model's rule {code}."));
            }
            out
        }
    }
}

/// `launch-self-managed-nodes`'s flags as the model's node group: `count`
/// instances (the group's desired size, and its bounds unless given),
/// self-managed, with no access entry made for their role.
fn self_managed_fields(mut fields: Map<String, Value>) -> Map<String, Value> {
    let count = fields.remove("count").unwrap_or(Value::from(1));
    let min = fields.remove("minSize").unwrap_or_else(|| count.clone());
    let max = fields.remove("maxSize").unwrap_or_else(|| count.clone());
    if fields.remove("spot") == Some(Value::Bool(true)) {
        fields.insert("capacityType".into(), Value::from("SPOT"));
    }
    fields.insert("desiredSize".into(), count);
    fields.insert("minSize".into(), min);
    fields.insert("maxSize".into(), max);
    fields.insert("managed".into(), Value::Bool(false));
    fields
}

fn describe(name: &str, fields: &Map<String, Value>) -> String {
    let values: Vec<String> = fields
        .iter()
        .map(|(key, value)| match value {
            Value::String(text) => format!("{key} {text}"),
            other => format!("{key} {other}"),
        })
        .collect();
    format!("{name} ({})", values.join(", "))
}
