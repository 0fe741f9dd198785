//! A task's lifecycle as the model runs it: one task started and stopped
//! on Fargate and one on EC2, their state changes timed by the model.

use dockyard_model::sim::scenario::{Player, Scenario};
use dockyard_model::sim::{TaskState, What};

use super::svg::Canvas;
use super::Drawn;

/// When the task is run (after the EC2 instance has booted and registered)
/// and when it is stopped, in seconds of the scenario.
const RUN_AT: u64 = 150;
const STOP_AT: u64 = 270;

/// Run a task at [`RUN_AT`] and stop it at [`STOP_AT`], on the capacity given.
fn scenario(capacity: &str) -> String {
    let instances = if capacity == "ec2" {
        r#"{ "at": 0, "do": "launchInstances", "cluster": "demo", "instanceType": "m5.large", "az": "us-east-1a", "count": 1 },"#
    } else {
        ""
    };
    format!(
        r#"{{ "scenario": 1, "name": "lifecycle", "seed": 1, "until": 400, "steps": [
            {{ "at": 0, "do": "createCluster", "name": "demo" }},
            {instances}
            {{ "at": 0, "do": "registerTaskDefinition", "definition": {{
                "family": "web", "requiresCompatibilities": ["EC2", "FARGATE"], "networkMode": "awsvpc",
                "cpu": "256", "memory": "512",
                "containerDefinitions": [{{ "name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true }}] }} }},
            {{ "at": {RUN_AT}, "do": "runTask", "cluster": "demo", "taskDefinition": "web", "capacity": "{capacity}" }},
            {{ "at": {STOP_AT}, "do": "stopTask", "task": "t-1" }}
        ] }}"#
    )
}

/// The states the task passed through, each with the second it was
/// entered, counted from the RunTask call.
fn states(capacity: &str) -> Vec<(TaskState, u64)> {
    let scenario = Scenario::parse(&scenario(capacity)).expect("the lifecycle scenario parses");
    let mut player = Player::new(&scenario, None);
    player.advance_to(400_000);
    let mut seen = Vec::new();
    for event in &player.events {
        if let What::TaskStateChanged { task, from, to, .. } = &event.what {
            if task != "t-1" {
                continue;
            }
            if seen.is_empty() {
                seen.push((*from, 0));
            }
            seen.push((*to, event.at / 1000 - RUN_AT));
        }
    }
    seen
}

const STATE_WIDTH: i32 = 150;
/// The states of a start on the first line of a lane, of a stop on the second.
const PER_LINE: usize = 4;
const LANE_HEIGHT: i32 = 130;

fn state_class(state: TaskState) -> &'static str {
    match state {
        TaskState::Provisioning | TaskState::Deprovisioning | TaskState::Stopped => "fig-quiet",
        TaskState::Pending | TaskState::Activating => "fig-starting",
        TaskState::Running => "fig-task",
        TaskState::Deactivating | TaskState::Stopping => "fig-stopping",
    }
}

pub(super) fn task_lifecycle() -> Drawn {
    let lanes = [
        ("Fargate", "fargate", "fig-fargate"),
        ("EC2", "ec2", "fig-ec2"),
    ];
    let mut canvas = Canvas::new(
        84 + PER_LINE as i32 * STATE_WIDTH,
        30 + lanes.len() as i32 * LANE_HEIGHT,
    );
    let mut words = vec![format!(
        "One task run with RunTask and stopped with StopTask {} seconds later, on each launch type, as the model runs it; each state with the seconds since RunTask.",
        STOP_AT - RUN_AT
    )];
    canvas.text(
        4,
        18,
        "Each state, with the seconds since RunTask when the task entered it:",
        "start",
        "fig-small",
    );
    for (row, (label, capacity, class)) in lanes.into_iter().enumerate() {
        let top = 28 + row as i32 * LANE_HEIGHT;
        canvas.rect(0, top, 76, LANE_HEIGHT - 12, &format!("{class} fig-strong"));
        canvas.text(38, top + LANE_HEIGHT / 2, label, "middle", "fig-strong");
        let passed = states(capacity);
        let mut said = Vec::new();
        for (index, (state, second)) in passed.iter().enumerate() {
            let x = 84 + (index % PER_LINE) as i32 * STATE_WIDTH;
            let y = top + (index / PER_LINE) as i32 * 58;
            canvas.labelled_box(
                (x, y + 4, STATE_WIDTH - 26, 30),
                &[state.label()],
                state_class(*state),
            );
            canvas.text(
                x + (STATE_WIDTH - 26) / 2,
                y + 50,
                &format!("{second} s"),
                "middle",
                "fig-small",
            );
            if index + 1 < passed.len() && (index + 1) % PER_LINE != 0 {
                canvas.arrow(
                    (x + STATE_WIDTH - 26, y + 19),
                    (x + STATE_WIDTH - 2, y + 19),
                );
            }
            said.push(format!("{} at {second} s", state.label()));
        }
        words.push(format!("On {label}: {}.", said.join(", then ")));
    }
    words.push("A task moves only forward through these states, from PROVISIONING to STOPPED; a stopped task is never restarted (a service starts a new one in its place).".into());
    Drawn {
        title: "A task's lifecycle, on Fargate and on EC2".into(),
        caption: format!(
            "An ECS task's states as the model runs one on each launch type, stopped {} seconds after it was run: the first line starts it, the second stops it.",
            STOP_AT - RUN_AT
        ),
        words,
        from_model: true,
        canvas,
    }
}
