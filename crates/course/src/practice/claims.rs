//! The rule a practice question claims, in terms the model decides, so
//! that a test can hold every question to the model: who makes a call,
//! what survives an event, where a volume or CSI driver works, which
//! Fargate sizes exist, and which findings the validator reports.

use dockyard_model::fargate::{check_size, OsFamily};
use dockyard_model::principals::{who_calls, Call, Platform, Principal, RoleSetup};
use dockyard_model::storage::eks::{
    csi_support, AccessMode, CsiDriver, EksCompute, NodeOs, Provisioning,
};
use dockyard_model::storage::{support, survives, DataEvent, EcsPlatform, Support, VolumeType};
use dockyard_model::taskdef::{validate, TaskDefinition};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    WhoCalls {
        platform: Platform,
        call: Call,
        setup: RoleSetup,
        principal: Principal,
    },
    Survives {
        volume: VolumeType,
        event: DataEvent,
        kept: bool,
    },
    VolumeSupport {
        volume: VolumeType,
        platform: EcsPlatform,
        supported: bool,
    },
    FargateSize {
        cpu: u32,
        memory: u32,
        windows: bool,
        valid: bool,
    },
    CsiSupport {
        driver: CsiDriver,
        compute: EksCompute,
        supported: bool,
    },
    Finding {
        definition: Box<Value>,
        code: String,
        present: bool,
    },
}

/// An enum value by its name as the question files write it (its Rust name).
fn named<T: Copy + std::fmt::Debug>(
    map: &Map<String, Value>,
    key: &str,
    all: &[T],
) -> Result<T, String> {
    let name = map
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{key}: expected a name"))?;
    all.iter()
        .find(|value| format!("{value:?}") == name)
        .copied()
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(|v| format!("{v:?}")).collect();
            format!("{key}: {name:?} is not one of {}", names.join(", "))
        })
}

fn flag(map: &Map<String, Value>, key: &str) -> Result<bool, String> {
    map.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("{key}: expected true or false"))
}

const PRINCIPALS: [Principal; 8] = [
    Principal::TaskRole,
    Principal::TaskExecutionRole,
    Principal::ContainerInstanceRole,
    Principal::NodeRole,
    Principal::PodExecutionRole,
    Principal::ServiceAccountRole,
    Principal::Nobody,
    Principal::NotApplicable,
];

fn compute(map: &Map<String, Value>) -> Result<EksCompute, String> {
    let name = map
        .get("compute")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(match name {
        "ManagedNodeGroupLinux" => EksCompute::ManagedNodeGroup(NodeOs::Linux),
        "ManagedNodeGroupWindows" => EksCompute::ManagedNodeGroup(NodeOs::Windows),
        "SelfManagedNodesLinux" => EksCompute::SelfManagedNodes(NodeOs::Linux),
        "SelfManagedNodesWindows" => EksCompute::SelfManagedNodes(NodeOs::Windows),
        "Fargate" => EksCompute::Fargate,
        other => return Err(format!("compute: {other:?} is not ManagedNodeGroupLinux, ManagedNodeGroupWindows, SelfManagedNodesLinux, SelfManagedNodesWindows or Fargate")),
    })
}

impl Claim {
    pub fn parse(value: &Value) -> Result<Claim, String> {
        let map = value.as_object().ok_or("expected an object")?;
        let is = map.get("is").and_then(Value::as_str).unwrap_or_default();
        let (claim, fields): (Claim, &[&str]) = match is {
            "whoCalls" => {
                let mut setup = RoleSetup::COMPLETE;
                if let Some(given) = map.get("setup") {
                    let given = given.as_object().ok_or("setup: expected an object")?;
                    for (key, value) in given {
                        let on = value
                            .as_bool()
                            .ok_or_else(|| format!("setup.{key}: expected true or false"))?;
                        match key.as_str() {
                            "taskRole" => setup.task_role = on,
                            "executionRole" => setup.execution_role = on,
                            "serviceAccountRole" => setup.service_account_role = on,
                            "imdsBlocked" => setup.imds_blocked = on,
                            other => return Err(format!("setup.{other}: not a field of setup")),
                        }
                    }
                }
                (
                    Claim::WhoCalls {
                        platform: named(map, "platform", &Platform::ALL)?,
                        call: named(map, "call", &Call::ALL)?,
                        setup,
                        principal: named(map, "principal", &PRINCIPALS)?,
                    },
                    &["platform", "call", "setup", "principal"],
                )
            }
            "survives" => (
                Claim::Survives {
                    volume: named(map, "volume", &VolumeType::ALL)?,
                    event: named(map, "event", &DataEvent::ALL)?,
                    kept: flag(map, "kept")?,
                },
                &["volume", "event", "kept"],
            ),
            "volumeSupport" => (
                Claim::VolumeSupport {
                    volume: named(map, "volume", &VolumeType::ALL)?,
                    platform: named(map, "platform", &EcsPlatform::ALL)?,
                    supported: flag(map, "supported")?,
                },
                &["volume", "platform", "supported"],
            ),
            "fargateSize" => (
                Claim::FargateSize {
                    cpu: number(map, "cpu")?,
                    memory: number(map, "memory")?,
                    windows: map.get("windows").and_then(Value::as_bool).unwrap_or(false),
                    valid: flag(map, "valid")?,
                },
                &["cpu", "memory", "windows", "valid"],
            ),
            "csiSupport" => (
                Claim::CsiSupport {
                    driver: named(map, "driver", &CsiDriver::ALL)?,
                    compute: compute(map)?,
                    supported: flag(map, "supported")?,
                },
                &["driver", "compute", "supported"],
            ),
            "finding" => (
                Claim::Finding {
                    definition: Box::new(
                        map.get("definition")
                            .filter(|d| d.is_object())
                            .cloned()
                            .ok_or("definition: expected a task definition object")?,
                    ),
                    code: map
                        .get("code")
                        .and_then(Value::as_str)
                        .ok_or("code: expected a finding code")?
                        .to_string(),
                    present: flag(map, "present")?,
                },
                &["definition", "code", "present"],
            ),
            other => {
                return Err(format!(
                    "is: {other:?} is not whoCalls, survives, volumeSupport, fargateSize, csiSupport or finding"
                ))
            }
        };
        if let Some(unknown) = map
            .keys()
            .find(|k| *k != "is" && !fields.contains(&k.as_str()))
        {
            return Err(format!("{unknown}: not a field of a {is} claim"));
        }
        Ok(claim)
    }

    /// Whether the model agrees; if not, what the model says instead.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Claim::WhoCalls {
                platform,
                call,
                setup,
                principal,
            } => {
                let answer = who_calls(*platform, *call, *setup);
                same(answer.principal, *principal, answer.why)
            }
            Claim::Survives {
                volume,
                event,
                kept,
            } => {
                let survival = survives(*volume, *event);
                same(survival.kept, *kept, survival.why)
            }
            Claim::VolumeSupport {
                volume,
                platform,
                supported,
            } => match support(*volume, *platform) {
                Support::Unverified(note) => {
                    Err(format!("the model has no verified answer: {note}"))
                }
                verdict => same(verdict.is_supported(), *supported, verdict.note()),
            },
            Claim::FargateSize {
                cpu,
                memory,
                windows,
                valid,
            } => {
                let os = if *windows {
                    OsFamily::Windows
                } else {
                    OsFamily::Linux
                };
                let answer = check_size(*cpu, *memory, os);
                let why = match &answer {
                    Ok(()) => "a size Fargate offers".to_string(),
                    Err(error) => error.to_string(),
                };
                same(answer.is_ok(), *valid, &why)
            }
            Claim::CsiSupport {
                driver,
                compute,
                supported,
            } => {
                let modes = [
                    AccessMode::ReadWriteOnce,
                    AccessMode::ReadWriteMany,
                    AccessMode::ReadOnlyMany,
                    AccessMode::ReadWriteOncePod,
                ];
                let answers: Vec<Support> = modes
                    .iter()
                    .flat_map(|&mode| {
                        [Provisioning::Static, Provisioning::Dynamic]
                            .map(|p| csi_support(*driver, *compute, mode, p))
                    })
                    .collect();
                let any = answers.iter().any(|s| s.is_supported());
                if !any && answers.iter().any(|s| matches!(s, Support::Unverified(_))) {
                    return Err("the model has no verified answer for some access mode".into());
                }
                same(any, *supported, answers[0].note())
            }
            Claim::Finding {
                definition,
                code,
                present,
            } => {
                let parsed: TaskDefinition = serde_json::from_value((**definition).clone())
                    .map_err(|e| format!("the definition does not parse: {e}"))?;
                let findings = validate(&parsed);
                let found = findings.iter().any(|f| f.code == code.as_str());
                let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
                same(found, *present, &format!("the validator reports {codes:?}"))
            }
        }
    }
}

fn number(map: &Map<String, Value>, key: &str) -> Result<u32, String> {
    map.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("{key}: expected a number"))
}

fn same<T: PartialEq + std::fmt::Debug>(model: T, claimed: T, why: &str) -> Result<(), String> {
    if model == claimed {
        Ok(())
    } else {
        Err(format!("the model says {model:?}, not {claimed:?}: {why}"))
    }
}
