//! Two scenarios side by side on one clock, typically the same load on
//! Fargate and on EC2 with a capacity provider, so that the learner sees the
//! difference in reaction time and in cost. Each side is a session player
//! seeked to this page's clock and drawn by the sandbox's `WorldView`; the
//! table comes from the model's full runs.

use dockyard_course::player::SessionPlayer;
use dockyard_course::scenarios::ShippedScenario;
use dockyard_course::session::{base, Session};
use dockyard_model::sim::scenario::Run;
use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::clock_controls::{tab_hidden, ClockControls};
use super::world_view::WorldView;

const TICK_MS: u32 = 100;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub left: &'static ShippedScenario,
    pub right: &'static ShippedScenario,
}

pub enum Msg {
    Tick,
    TogglePlay,
    Step,
    Speed(u32),
    Seek(u64),
    /// A selection on one side (0 or 1).
    Select(usize, Option<String>),
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

pub struct Compare {
    at: u64,
    until: u64,
    playing: bool,
    speed: u32,
    figures: [RunFigures; 2],
    /// Each side's world, kept at `at`.
    sides: [SessionPlayer; 2],
    selected: [Option<String>; 2],
    /// Made once, so that unchanged boxes compare equal and are skipped.
    on_select: [Callback<Option<String>>; 2],
    _ticker: Option<Interval>,
}

impl Compare {
    fn build(props: &CompareProps) -> ([RunFigures; 2], u64) {
        let left = base(props.left);
        let right = base(props.right);
        let until = left.until.max(right.until) * 1000;
        (
            [
                figures(&left.name, &left.run(None, None)),
                figures(&right.name, &right.run(None, None)),
            ],
            until,
        )
    }
}

impl Component for Compare {
    type Message = Msg;
    type Properties = CompareProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let (figures, until) = Self::build(props);
        let side = |scenario: &ShippedScenario| SessionPlayer::new(Session::new(scenario.slug));
        let on_select = |i: usize| ctx.link().callback(move |id| Msg::Select(i, id));
        Compare {
            at: 0,
            until,
            playing: false,
            speed: 60,
            figures,
            sides: [side(props.left), side(props.right)],
            selected: [None, None],
            on_select: [on_select(0), on_select(1)],
            _ticker: None,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        *self = <Self as Component>::create(ctx);
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Tick => {
                if tab_hidden() || !self.playing {
                    return false;
                }
                self.at = (self.at + u64::from(self.speed) * u64::from(TICK_MS)).min(self.until);
                if self.at >= self.until {
                    self.playing = false;
                    self._ticker = None;
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                if self.playing && self.at >= self.until {
                    self.at = 0;
                }
                self._ticker = self.playing.then(|| {
                    let link = ctx.link().clone();
                    Interval::new(TICK_MS, move || link.send_message(Msg::Tick))
                });
            }
            Msg::Step => self.at = ((self.at / 60_000 + 1) * 60_000).min(self.until),
            Msg::Speed(speed) => self.speed = speed,
            Msg::Seek(seconds) => self.at = (seconds * 1000).min(self.until),
            Msg::Select(side, id) => self.selected[side] = id,
        }
        for side in &mut self.sides {
            side.seek(self.at);
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let cheaper = if self.figures[0].cost <= self.figures[1].cost {
            0
        } else {
            1
        };
        html! {
            <section class="sandbox-page compare-page" aria-labelledby="compare-heading">
                <header class="sandbox-header">
                    <h1 id="compare-heading">{ "Side by side: " }{ &self.figures[0].name }{ " and " }{ &self.figures[1].name }</h1>
                    <p class="sandbox-description">
                        { "One clock, two simulations of the same model. Watch when new capacity arrives on each side, and what it costs." }
                    </p>
                </header>
                <ClockControls playing={self.playing} speed={self.speed} at={self.at} until={self.until}
                    on_toggle={link.callback(|_| Msg::TogglePlay)} on_step={link.callback(|_| Msg::Step)}
                    on_speed={link.callback(Msg::Speed)} on_seek={link.callback(Msg::Seek)} />
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
                        { for self.figures.iter().enumerate().map(|(i, f)| html! {
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
                    { self.side(0) }
                    { self.side(1) }
                </div>
            </section>
        }
    }
}

impl Compare {
    /// One side: the scenario's name, its bill and what runs, and its world.
    fn side(&self, i: usize) -> Html {
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
            on_select: &self.on_select[i],
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
