//! Two scenarios side by side on one clock, typically the same load on
//! Fargate and on EC2 with a capacity provider, so that the learner sees the
//! difference in reaction time and in cost. Each side is a session player
//! seeked to this page's clock and drawn by the sandbox's `WorldView`; the
//! table comes from the model's full runs.

use dockyard_course::player::SessionPlayer;
use dockyard_course::scenarios::ShippedScenario;
use dockyard_course::session::{base, Session};
use dockyard_model::sim::scenario::Run;
use yew::prelude::*;

use super::clock::{use_clock, Tick};
use super::clock_controls::ClockControls;
use super::reducer::{Machine, Owned};
use super::world_view::WorldView;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub left: &'static ShippedScenario,
    pub right: &'static ShippedScenario,
}

/// What a whole run says about reaction and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFigures {
    pub name: String,
    pub cost: f64,
    /// Sum over simulated minutes of the tasks and pods waiting to run.
    pub waiting_task_minutes: u32,
    /// The longest stretch of minutes in which something was waiting.
    pub longest_wait_minutes: u32,
    pub peak_instances: u32,
}

pub fn figures(name: &str, run: &Run) -> RunFigures {
    let mut longest = 0;
    let mut current = 0;
    let mut waiting = 0;
    for sample in &run.timeline {
        let pending = sample.tasks_pending + sample.pods_pending;
        waiting += pending;
        current = if pending > 0 { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    RunFigures {
        name: name.to_string(),
        cost: run.timeline.last().map_or(0.0, |s| s.cost),
        waiting_task_minutes: waiting,
        longest_wait_minutes: longest,
        peak_instances: run
            .timeline
            .iter()
            .map(|s| s.instances_total + s.nodes_total)
            .max()
            .unwrap_or(0),
    }
}

/// The comparison page's state: one clock, two players seeked to it.
struct CompareState {
    at: u64,
    until: u64,
    playing: bool,
    speed: u32,
    figures: [RunFigures; 2],
    /// Each side's world, kept at `at`.
    sides: [SessionPlayer; 2],
    selected: [Option<String>; 2],
}

enum Action {
    Tick(Tick),
    TogglePlay,
    Step,
    Speed(u32),
    Seek(u64),
    /// A selection on one side (0 or 1).
    Select(usize, Option<String>),
}

impl CompareState {
    fn new(props: &CompareProps) -> CompareState {
        let left = base(props.left);
        let right = base(props.right);
        let until = left.until.max(right.until) * 1000;
        let side = |scenario: &ShippedScenario| SessionPlayer::new(Session::new(scenario.slug));
        CompareState {
            at: 0,
            until,
            playing: false,
            speed: 60,
            figures: [
                figures(&left.name, &left.run(None, None)),
                figures(&right.name, &right.run(None, None)),
            ],
            sides: [side(props.left), side(props.right)],
            selected: [None, None],
        }
    }
}

impl Machine for CompareState {
    type Action = Action;

    fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Tick(Tick::Elapsed(wall)) => {
                if !self.playing {
                    return false;
                }
                self.at = (self.at + u64::from(self.speed) * wall).min(self.until);
                if self.at >= self.until {
                    self.playing = false;
                }
            }
            Action::Tick(Tick::Hidden) => return false,
            Action::TogglePlay => {
                self.playing = !self.playing;
                if self.playing && self.at >= self.until {
                    self.at = 0;
                }
            }
            Action::Step => self.at = ((self.at / 60_000 + 1) * 60_000).min(self.until),
            Action::Speed(speed) => self.speed = speed,
            Action::Seek(seconds) => self.at = (seconds * 1000).min(self.until),
            Action::Select(side, id) => self.selected[side] = id,
        }
        for side in &mut self.sides {
            side.seek(self.at);
        }
        true
    }
}

/// The comparison page. The app keys it by its pair of scenarios, so that
/// another pair is made afresh.
#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let state = use_reducer(|| Owned::new(CompareState::new(props)));
    let send = state.dispatcher();
    // Made once, so that unchanged boxes compare equal and are skipped.
    let on_select = {
        let send = send.clone();
        use_memo((), move |_| {
            let on = |i: usize| send.to_callback().reform(move |id| Action::Select(i, id));
            [on(0), on(1)]
        })
    };
    let this = state.get();
    use_clock(this.playing, send.to_callback().reform(Action::Tick));
    let cheaper = if this.figures[0].cost <= this.figures[1].cost {
        0
    } else {
        1
    };
    html! {
        <main class="sandbox-page compare-page" id="main" tabindex="-1" aria-labelledby="compare-heading">
            <header class="sandbox-header">
                <h1 id="compare-heading">{ "Side by side: " }{ &this.figures[0].name }{ " and " }{ &this.figures[1].name }</h1>
                <p class="sandbox-description">
                    { "One clock, two simulations of the same model. Watch when new capacity arrives on each side, and what it costs." }
                </p>
            </header>
            <ClockControls playing={this.playing} speed={this.speed} at={this.at} until={this.until}
                on_toggle={send.to_callback().reform(|_| Action::TogglePlay)} on_step={send.to_callback().reform(|_| Action::Step)}
                on_speed={send.to_callback().reform(Action::Speed)} on_seek={send.to_callback().reform(Action::Seek)} />
            <table class="compare-table">
                <caption>{ "Over the whole run" }</caption>
                <thead><tr>
                    <th scope="col">{ "Scenario" }</th>
                    <th scope="col">{ "Bill" }</th>
                    <th scope="col">{ "Task-minutes spent waiting" }</th>
                    <th scope="col">{ "Longest wait (minutes)" }</th>
                    <th scope="col">{ "Most instances" }</th>
                </tr></thead>
                <tbody>
                    { for this.figures.iter().enumerate().map(|(i, f)| html! {
                        <tr>
                            <th scope="row">{ &f.name }</th>
                            <td class={classes!((i == cheaper).then_some("better"))}>{ format!("${:.4}", f.cost) }</td>
                            <td>{ f.waiting_task_minutes }</td>
                            <td>{ f.longest_wait_minutes }</td>
                            <td>{ f.peak_instances }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="compare-sides">
                { this.side(0, &on_select[0]) }
                { this.side(1, &on_select[1]) }
            </div>
        </main>
    }
}

impl CompareState {
    /// One side: the scenario's name, its bill and what runs, and its world.
    fn side(&self, i: usize, on_select: &Callback<Option<String>>) -> Html {
        let player = &self.sides[i];
        let world = player.world();
        let summary: Vec<String> = world
            .services()
            .filter_map(|s| world.service_snapshot(&s.name))
            .map(|s| {
                format!(
                    "{}: {} desired, {} running, {} pending",
                    s.service, s.desired, s.running, s.pending
                )
            })
            .collect();
        let name = &player.scenario().name;
        let view = WorldView {
            player: player.player(),
            until: player.scenario().until,
            selected: self.selected[i].as_deref(),
            on_select,
            on_do: None,
        };
        html! {
            <section class="compare-side" aria-label={name.clone()}>
                <h2>{ name }</h2>
                <p class="compare-figures">
                    <output class="bill">{ format!("${:.4}", world.cost()) }</output>
                    { match world.instances().count() { 1 => " · 1 instance".to_string(), n => format!(" · {n} instances") } }
                    { for summary.iter().map(|line| html! { <>{ " · " }{ line }</> }) }
                </p>
                { view.lanes() }
                { view.chart() }
            </section>
        }
    }
}
