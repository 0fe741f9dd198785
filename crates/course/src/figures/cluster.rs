//! A cluster as the model placed it: the shipped `az-outage` scenario
//! played to two moments, before and after it loses a zone.

use dockyard_model::sim::scenario::{Player, Scenario};
use dockyard_model::sim::{TaskState, World};

use super::svg::Canvas;
use super::Drawn;

const SCENARIO: &str = "az-outage";
/// Minutes into the scenario: the service is steady; then a zone is lost
/// and the scheduler has replaced what it lost.
const MOMENTS: [u64; 2] = [9, 14];

fn play_to(minutes: u64) -> World {
    let shipped = crate::scenarios::scenario(SCENARIO).expect("az-outage is shipped");
    let scenario = Scenario::parse(shipped.json).expect("a shipped scenario parses");
    let mut player = Player::new(&scenario, None);
    player.advance_to(minutes * 60_000);
    player.world
}

const LANE_WIDTH: i32 = 140;
const PANEL_WIDTH: i32 = 3 * LANE_WIDTH + 20;

/// One moment: a lane per zone, the instances in it, and each instance's
/// running tasks as discs. Returns the words for it.
fn draw_moment(canvas: &mut Canvas, left: i32, minutes: u64, world: &World) -> Vec<String> {
    let lost = world.lost_azs();
    let mut words = Vec::new();
    let heading = if lost.is_empty() {
        format!("Minute {minutes}")
    } else {
        let names: Vec<&str> = lost.iter().map(String::as_str).collect();
        format!("Minute {minutes}: {} lost", names.join(", "))
    };
    canvas.text(left + PANEL_WIDTH / 2, 18, &heading, "middle", "fig-strong");
    for (index, zone) in world.availability_zones().iter().enumerate() {
        let x = left + index as i32 * LANE_WIDTH;
        let is_lost = lost.contains(zone);
        canvas.rect(
            x + 4,
            30,
            LANE_WIDTH - 8,
            176,
            if is_lost { "fig-lost" } else { "fig-zone" },
        );
        canvas.text(x + LANE_WIDTH / 2, 48, zone, "middle", "fig-small");
        let mut instances: Vec<_> = world.instances().filter(|i| &i.az == zone).collect();
        instances.sort_by_key(|i| (i.id.len(), i.id.clone()));
        let mut zone_tasks = 0;
        for (row, instance) in instances.iter().enumerate() {
            let y = 60 + row as i32 * 70;
            canvas.rect(x + 12, y, LANE_WIDTH - 24, 60, "fig-ec2");
            canvas.text(x + 20, y + 17, &instance.id, "start", "fig-small");
            let running: Vec<_> = instance
                .tasks
                .iter()
                .filter_map(|id| world.task(id))
                .filter(|task| task.state == TaskState::Running)
                .collect();
            for (slot, _) in running.iter().enumerate() {
                canvas.disc(x + 30 + slot as i32 * 24, y + 40, 9, "fig-task");
            }
            zone_tasks += running.len();
        }
        if is_lost {
            canvas.centred_lines(
                x + LANE_WIDTH / 2,
                104,
                &["zone lost:", "no instances,", "no tasks"],
                "",
            );
            words.push(format!(
                "Minute {minutes}, {zone}: lost, with its instances and their tasks."
            ));
        } else {
            words.push(format!(
                "Minute {minutes}, {zone}: {} running on {}.",
                plural(zone_tasks, "task"),
                plural(instances.len(), "instance"),
            ));
        }
    }
    words
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

pub(super) fn tasks_across_zones() -> Drawn {
    let mut canvas = Canvas::new(2 * PANEL_WIDTH + 30, 214);
    let mut words = vec![
        "The az-outage scenario: a service of six tasks on EC2 instances, two instances in each of three Availability Zones.".to_string(),
    ];
    for (index, minutes) in MOMENTS.into_iter().enumerate() {
        let world = play_to(minutes);
        let left = index as i32 * (PANEL_WIDTH + 30);
        words.extend(draw_moment(&mut canvas, left, minutes, &world));
    }
    words.push("The service scheduler spreads tasks across zones, and replaces the tasks a lost zone took with it in the zones that are left, where there is room; it never launches instances itself (a capacity provider with managed scaling would).".into());
    Drawn {
        title: "A service's tasks across three zones, before and after one is lost".into(),
        caption: "The az-outage scenario as the model plays it: six tasks spread over three zones; when us-east-1a is lost, the scheduler starts replacements in the two zones left.".into(),
        words,
        from_model: true,
        canvas,
    }
}
