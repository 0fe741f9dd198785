//! Which principal makes each call, drawn from the model's own answer
//! (`principals::who_calls`), the correction at the heart of the course.

use dockyard_model::principals::{who_calls, Call, Platform, Principal, RoleSetup};

use super::svg::{Canvas, Grid};
use super::Drawn;

/// A principal's words in a cell (the figure in words says the full name).
pub(super) fn short_name(principal: Principal) -> &'static str {
    match principal {
        Principal::TaskRole => "task role",
        Principal::TaskExecutionRole => "execution role",
        Principal::ContainerInstanceRole => "instance profile",
        Principal::NodeRole => "node role",
        Principal::PodExecutionRole => "pod execution role",
        Principal::ServiceAccountRole => "IRSA role",
        Principal::Nobody => "nobody: it fails",
        Principal::NotApplicable => "not IAM",
    }
}

/// The sandbox's colour for whose role it is: the EC2 instance's profile
/// amber, an EKS node's role blue, the roles a task or pod is given in the
/// role colour, a failing call red.
fn class(principal: Principal) -> &'static str {
    match principal {
        Principal::TaskRole
        | Principal::TaskExecutionRole
        | Principal::PodExecutionRole
        | Principal::ServiceAccountRole => "fig-role",
        Principal::ContainerInstanceRole => "fig-ec2",
        Principal::NodeRole => "fig-eks",
        Principal::Nobody => "fig-denied",
        Principal::NotApplicable => "fig-quiet",
    }
}

fn platform_class(platform: Platform) -> &'static str {
    match platform {
        Platform::EcsOnEc2 => "fig-ec2 fig-strong",
        Platform::EcsOnFargate => "fig-fargate fig-strong",
        Platform::EksOnEc2Nodes | Platform::EksOnFargate => "fig-eks fig-strong",
    }
}

struct Column {
    label: &'static str,
    platform: Platform,
    setup: RoleSetup,
}

const NO_EXECUTION_ROLE: RoleSetup = RoleSetup {
    execution_role: false,
    ..RoleSetup::COMPLETE
};

fn role_grid(columns: &[Column]) -> (Canvas, Vec<String>) {
    let rows: Vec<&str> = Call::ALL.iter().map(|call| call.label()).collect();
    let headers: Vec<(&str, &str)> = columns
        .iter()
        .map(|column| (column.label, platform_class(column.platform)))
        .collect();
    let grid = Grid {
        columns: &headers,
        rows: &rows,
        row_header_width: 250,
        column_width: 160,
    };
    let (width, height) = grid.size();
    let mut canvas = Canvas::new(width, height);
    grid.draw(&mut canvas, &|row, column| {
        let answer = who_calls(
            columns[column].platform,
            Call::ALL[row],
            columns[column].setup,
        );
        (
            short_name(answer.principal).to_string(),
            class(answer.principal),
        )
    });
    let mut words = Vec::new();
    for column in columns {
        for call in Call::ALL {
            let answer = who_calls(column.platform, call, column.setup);
            let who = match answer.principal {
                Principal::Nobody => "nobody makes it, so it fails".to_string(),
                Principal::NotApplicable => "no IAM role is involved".to_string(),
                principal => format!("the {} makes it", principal.label()),
            };
            let column_name = column.label.replace('\n', " ");
            let mut point = format!("{column_name}: {}: {who}. {}", call.label(), answer.why);
            if let Some(uncertain) = answer.uncertainty {
                point.push_str(&format!(" (Uncertain: {uncertain})"));
            }
            words.push(point);
        }
    }
    (canvas, words)
}

pub(super) fn ecs_role_chain() -> Drawn {
    let (canvas, words) = role_grid(&[
        Column {
            label: "EC2",
            platform: Platform::EcsOnEc2,
            setup: RoleSetup::COMPLETE,
        },
        Column {
            label: "EC2, no\nexecution role",
            platform: Platform::EcsOnEc2,
            setup: NO_EXECUTION_ROLE,
        },
        Column {
            label: "Fargate",
            platform: Platform::EcsOnFargate,
            setup: RoleSetup::COMPLETE,
        },
        Column {
            label: "Fargate, no\nexecution role",
            platform: Platform::EcsOnFargate,
            setup: NO_EXECUTION_ROLE,
        },
    ]);
    Drawn {
        title: "Who makes each call for an ECS task, on EC2 and on Fargate".into(),
        caption: "Who makes each call for an ECS task. With every role given, the execution role does the start-up work on both launch types; take it away and EC2 falls back to the instance profile for pulls and logs, while Fargate, which has no instance profile, fails.".into(),
        words,
        from_model: true,
        canvas,
    }
}

pub(super) fn role_chain_every_platform() -> Drawn {
    let columns: Vec<Column> = Platform::ALL
        .iter()
        .map(|&platform| Column {
            label: platform.label(),
            platform,
            setup: RoleSetup::COMPLETE,
        })
        .collect();
    let (canvas, words) = role_grid(&columns);
    Drawn {
        title: "Who makes each call, on the four ways to run a container".into(),
        caption: "The whole course in one table: who makes each call on ECS and EKS, on EC2 and Fargate, with every role set up.".into(),
        words,
        from_model: true,
        canvas,
    }
}
