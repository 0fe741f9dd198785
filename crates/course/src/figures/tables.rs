//! The model's own tables, drawn: what survives which event per volume
//! type, which CSI driver works on which EKS compute, and Fargate's menu of
//! task sizes.

use dockyard_model::fargate::{MemoryMenu, CPU_OPTIONS, SIZES_AS_OF};
use dockyard_model::storage::eks::{csi_support, AccessMode, CsiDriver, EksCompute, Provisioning};
use dockyard_model::storage::{survives, DataEvent, Support, VolumeType};

use super::svg::{Canvas, Grid, CHAR_WIDTH};
use super::Drawn;

/// Short headers for the events (the words use the model's labels).
fn event_header(event: DataEvent) -> &'static str {
    match event {
        DataEvent::ContainerRestart => "Container\nrestarts",
        DataEvent::TaskStop => "Task\nstops",
        DataEvent::ReplacementOtherInstance => "New task,\nother instance",
        DataEvent::ReplacementOtherAz => "New task,\nother AZ",
        DataEvent::InstanceLoss => "Instance\nlost",
        DataEvent::AzLoss => "AZ\nlost",
    }
}

pub(super) fn what_survives() -> Drawn {
    let headers: Vec<(&str, &str)> = DataEvent::ALL
        .iter()
        .map(|&event| (event_header(event), "fig-box fig-strong"))
        .collect();
    let rows: Vec<&str> = VolumeType::ALL
        .iter()
        .map(|volume| volume.label())
        .collect();
    let grid = Grid {
        columns: &headers,
        rows: &rows,
        row_header_width: 290,
        column_width: 116,
    };
    let (width, height) = grid.size();
    let mut canvas = Canvas::new(width, height);
    grid.draw(&mut canvas, &|row, column| {
        let survival = survives(VolumeType::ALL[row], DataEvent::ALL[column]);
        if survival.kept {
            ("kept".to_string(), "fig-allowed")
        } else {
            ("lost".to_string(), "fig-denied")
        }
    });
    let mut words = Vec::new();
    for volume in VolumeType::ALL {
        for event in DataEvent::ALL {
            let survival = survives(volume, event);
            words.push(format!(
                "{}, {}: {}. {}",
                volume.label(),
                event.label().to_lowercase(),
                if survival.kept { "kept" } else { "lost" },
                survival.why
            ));
        }
    }
    Drawn {
        title: "What each kind of ECS storage keeps through what can happen to a task".into(),
        caption: "Whether the data is still there after each event, per kind of storage (for a replacement: whether the new task can see it). EBS assumes the default, deleteOnTermination true.".into(),
        words,
        from_model: true,
        canvas,
    }
}

/// Whether pods on `compute` can use `driver` in some access mode and
/// provisioning: yes when any way works, unverified when none works but
/// one could not be confirmed, no otherwise. With the reason to say.
fn driver_on(driver: CsiDriver, compute: EksCompute) -> (Support, &'static str) {
    let modes = [
        AccessMode::ReadWriteOnce,
        AccessMode::ReadWriteMany,
        AccessMode::ReadOnlyMany,
        AccessMode::ReadWriteOncePod,
    ];
    let mut answers = Vec::new();
    for mode in modes {
        for provisioning in [Provisioning::Static, Provisioning::Dynamic] {
            answers.push(csi_support(driver, compute, mode, provisioning));
        }
    }
    let found = answers
        .iter()
        .find(|s| matches!(s, Support::Supported(_)))
        .or_else(|| answers.iter().find(|s| matches!(s, Support::Unverified(_))))
        .copied()
        .unwrap_or(answers[0]);
    let word = match found {
        Support::Supported(_) => "yes",
        Support::Refused(_) => "no",
        Support::Unverified(_) => "unverified",
    };
    (found, word)
}

fn compute_header(compute: EksCompute) -> (&'static str, &'static str) {
    match compute {
        EksCompute::ManagedNodeGroup(dockyard_model::storage::eks::NodeOs::Linux) => {
            ("Managed\nnodes, Linux", "fig-eks fig-strong")
        }
        EksCompute::ManagedNodeGroup(_) => ("Managed\nnodes, Windows", "fig-eks fig-strong"),
        EksCompute::SelfManagedNodes(dockyard_model::storage::eks::NodeOs::Linux) => {
            ("Self-managed,\nLinux", "fig-eks fig-strong")
        }
        EksCompute::SelfManagedNodes(_) => ("Self-managed,\nWindows", "fig-eks fig-strong"),
        EksCompute::Fargate => ("Fargate", "fig-fargate fig-strong"),
    }
}

pub(super) fn csi_drivers_by_compute() -> Drawn {
    let headers: Vec<(&str, &str)> = EksCompute::ALL.iter().map(|&c| compute_header(c)).collect();
    let rows: Vec<&str> = CsiDriver::ALL.iter().map(|driver| driver.label()).collect();
    let grid = Grid {
        columns: &headers,
        rows: &rows,
        row_header_width: 272,
        column_width: 124,
    };
    let (width, height) = grid.size();
    let mut canvas = Canvas::new(width, height);
    grid.draw(&mut canvas, &|row, column| {
        let (support, word) = driver_on(CsiDriver::ALL[row], EksCompute::ALL[column]);
        let class = match support {
            Support::Supported(_) => "fig-allowed",
            Support::Refused(_) => "fig-denied",
            Support::Unverified(_) => "fig-quiet",
        };
        (word.to_string(), class)
    });
    let mut words = Vec::new();
    for driver in CsiDriver::ALL {
        for compute in EksCompute::ALL {
            let (support, word) = driver_on(driver, compute);
            words.push(format!(
                "{} on {}: {word}. {}",
                driver.label(),
                compute.label(),
                support.note()
            ));
        }
    }
    Drawn {
        title: "Which CSI driver's volumes EKS pods can use, by where the pods run".into(),
        caption: "Which storage drivers work for pods on each kind of EKS compute, in at least one access mode. Fargate runs no DaemonSets, so the drivers whose node plugin is one do not work there; EFS does, statically provisioned.".into(),
        words,
        from_model: true,
        canvas,
    }
}

/// A memory size's place on the figure's axis: doubling memory moves the
/// same distance (0.5 GB at the left, 128 GB at the right).
fn memory_x(memory_mib: u32) -> i32 {
    let gib = f64::from(memory_mib) / 1024.0;
    150 + ((gib / 0.5).log2() * 70.0).round() as i32
}

fn gib(memory_mib: u32) -> String {
    let value = f64::from(memory_mib) / 1024.0;
    if value.fract() == 0.0 {
        format!("{value:.0} GB")
    } else {
        format!("{value} GB")
    }
}

pub(super) fn fargate_sizes() -> Drawn {
    let row = 40;
    let mut canvas = Canvas::new(780, 70 + CPU_OPTIONS.len() as i32 * row);
    let mut words = vec![format!(
        "Fargate offers fixed task sizes, not any mix of CPU and memory (as of {SIZES_AS_OF}). For each CPU size, the memory it may have:"
    )];
    for gb in [512, 2048, 8192, 32768, 131_072] {
        let x = memory_x(gb);
        canvas.line(
            (x, 28),
            (x, 40 + CPU_OPTIONS.len() as i32 * row),
            "fig-gridline",
        );
        canvas.text(x, 22, &gib(gb), "middle", "fig-small");
    }
    for (index, option) in CPU_OPTIONS.iter().enumerate() {
        let y = 40 + index as i32 * row;
        let vcpu = f64::from(option.cpu_units) / 1024.0;
        let label = format!("{vcpu} vCPU ({})", option.cpu_units);
        canvas.text(4, y + 20, &label, "start", "fig-strong");
        let values = option.memory.values();
        let (low, high) = (values[0], values[values.len() - 1]);
        let (x1, x2) = (memory_x(low), memory_x(high));
        canvas.rect(x1 - 6, y + 6, (x2 - x1) + 12, 20, "fig-fargate");
        let menu = match option.memory {
            MemoryMenu::List(list) => {
                let sizes: Vec<String> = list.iter().map(|&m| gib(m)).collect();
                sizes.join(", ")
            }
            MemoryMenu::Range { min, max, step } => {
                format!("{} to {}, in steps of {}", gib(min), gib(max), gib(step))
            }
        };
        let text_x = x2 + 14;
        if text_x + menu.len() as i32 * CHAR_WIDTH < 780 {
            canvas.text(text_x, y + 21, &menu, "start", "fig-small");
        } else {
            canvas.text(x1 - 14, y + 21, &menu, "end", "fig-small");
        }
        let windows = if option.windows {
            "; Windows too"
        } else {
            "; Linux only"
        };
        words.push(format!("{label}: {menu}{windows}."));
    }
    canvas.text(
        4,
        58 + CPU_OPTIONS.len() as i32 * row,
        "Memory axis: each step right doubles the memory.",
        "start",
        "fig-small",
    );
    Drawn {
        title: "Fargate's task sizes: the memory each CPU size may have".into(),
        caption: "Fargate's menu of task sizes, from the table the validator checks task definitions against: a size off this menu is refused.".into(),
        words,
        from_model: true,
        canvas,
    }
}
