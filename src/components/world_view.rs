//! The world drawn: each Availability Zone as a lane with its container
//! instances and EKS nodes, their tasks and pods as chips, and a chart of
//! the timeline. It draws a model `Player` and nothing else, so the sandbox
//! and each side of the comparison page draw the world the same way.

use std::collections::BTreeMap;

use dockyard_model::sim::eks::{PodPhase, PodPlacement};
use dockyard_model::sim::scenario::Player;
use dockyard_model::sim::{clock, Command, Placement, TaskState};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A world to draw, and what clicking in it does.
pub(crate) struct WorldView<'a> {
    pub player: &'a Player,
    /// The scenario's end, in seconds: the chart's width.
    pub until: u64,
    /// The selected instance, task, node or pod.
    pub selected: Option<&'a str>,
    pub on_select: &'a Callback<Option<String>>,
    /// What a zone's lose and restore buttons do; without it there are none.
    pub on_do: Option<&'a Callback<Command>>,
}

impl WorldView<'_> {
    /// The ECS and EKS lanes.
    pub(crate) fn lanes(&self) -> Html {
        html! {
            <div class={classes!("cluster-view", self.crowded().then_some("crowded"))} onkeydown={Callback::from(roving_keys)}>{ self.view_ecs() }{ self.view_eks() }</div>
        }
    }

    /// Past a few hundred tasks and pods, state changes are drawn without
    /// animation: a thousand chips changing at 60x are a blur anyway, and
    /// animating them costs frames.
    fn crowded(&self) -> bool {
        const CROWDED: usize = 300;
        let world = &self.player.world;
        let live = world.instances().map(|i| i.tasks.len()).sum::<usize>() + world.eks().pods.len();
        live > CROWDED
    }

    /// A task as a chip's data.
    fn task_chip(&self, t: &dockyard_model::sim::Task) -> ChipView {
        let spot = matches!(t.placement, Placement::Fargate { spot: true, .. });
        ChipView {
            id: t.id.clone(),
            class: state_class(t.state),
            spot,
            label: format!(
                "{} {:?}{}",
                t.id,
                t.state,
                t.service
                    .as_ref()
                    .map_or(String::new(), |s| format!(", service {s}"))
            ),
        }
    }

    /// The selected id, if it is among `ids`: a box re-renders only when
    /// the selection enters or leaves it.
    fn selected_in<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> Option<String> {
        let selected = self.selected?;
        ids.any(|id| id == selected).then(|| selected.to_string())
    }

    /// A lane's one tab stop (roving tabindex): its selected machine or
    /// chip, else its first. The arrow keys move inside the lane, so that a
    /// thousand tasks are a few tab stops, not a thousand.
    fn tab_stop<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> Option<String> {
        let first = ids.next()?;
        match self.selected {
            Some(selected) if first == selected || ids.any(|id| id == selected) => {
                Some(selected.to_string())
            }
            _ => Some(first.to_string()),
        }
    }

    fn view_ecs(&self) -> Html {
        let world = &self.player.world;
        let tasks: Vec<_> = world
            .tasks()
            .filter(|t| t.state != TaskState::Stopped)
            .collect();
        let has_ecs = world.instances().next().is_some() || !tasks.is_empty();
        if !has_ecs {
            return html! {};
        }
        let mut fargate: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        let mut waiting = Vec::new();
        for task in &tasks {
            match &task.placement {
                Placement::Fargate { az, .. } => {
                    fargate.entry(az.as_str()).or_default().push(*task)
                }
                Placement::AwaitingCapacity { .. } => waiting.push(*task),
                Placement::Ec2 { .. } => {}
            }
        }
        let lane = |label: String,
                    class: &'static str,
                    tasks: &[&dockyard_model::sim::Task],
                    group: Option<&str>| {
            let mut chips: Vec<ChipView> = tasks.iter().map(|t| self.task_chip(t)).collect();
            chips.sort_by(|a, b| natural_order(&a.id, &b.id));
            let selected = self.selected_in(chips.iter().map(|c| c.id.as_str()));
            // Inside a zone's lane, the zone's tab stop if it is here;
            // alone (the waiting lane), a tab stop of its own.
            let (tab_stop, roving) = match group {
                Some(stop) => (
                    chips.iter().any(|c| c.id == stop).then(|| stop.to_string()),
                    false,
                ),
                None => (self.tab_stop(chips.iter().map(|c| c.id.as_str())), true),
            };
            html! { <ChipLane label={label} class={class} chips={chips} selected={selected} {tab_stop} {roving} on_select={self.on_select.clone()} /> }
        };
        html! {
            <div class="ecs-view">
                <h2>{ "ECS" }</h2>
                <div class="lanes">
                { for world.availability_zones().iter().map(|az| {
                    let lost = world.lost_azs().contains(az);
                    let zone = az.clone();
                    let command = if lost { Command::RestoreAz { az: zone } } else { Command::LoseAz { az: zone } };
                    let fargate_here: &[&dockyard_model::sim::Task] = fargate.get(az.as_str()).map_or(&[], |tasks| tasks.as_slice());
                    let mut here: Vec<_> = world.instances().filter(|i| &i.az == az).collect();
                    here.sort_by(|a, b| natural_order(&a.id, &b.id));
                    let lane_ids: Vec<&str> = here
                        .iter()
                        .flat_map(|i| std::iter::once(i.id.as_str()).chain(i.tasks.iter().map(String::as_str)))
                        .chain(fargate_here.iter().map(|t| t.id.as_str()))
                        .collect();
                    let stop = self.tab_stop(lane_ids.iter().copied());
                    html! {
                        <div class={classes!("az-lane", lost.then_some("lost"))} role="group" aria-label={format!("Availability Zone {az}")} data-roving="">
                            <h3>{ az }{ if lost { " (lost)" } else { "" } }
                                if let Some(on_do) = self.on_do {
                                    <button class="zone-action" onclick={on_do.reform(move |_| command.clone())}>
                                        { if lost { "Restore" } else { "Lose zone" } }
                                    </button>
                                }
                            </h3>
                            // A fragment of its own: Yew diffs a list without keys from
                            // its end, so a zone losing its instances would otherwise
                            // redraw the heading and drop the focus from its button.
                            <>{ for here.iter().map(|i| {
                                let mut chips: Vec<ChipView> = i.tasks.iter().filter_map(|t| world.task(t)).map(|t| self.task_chip(t)).collect();
                                chips.sort_by(|a, b| natural_order(&a.id, &b.id));
                                let selected = self.selected_in(std::iter::once(i.id.as_str()).chain(chips.iter().map(|c| c.id.as_str())));
                                let status = if !i.registered { " booting" } else if i.draining { " DRAINING" } else { "" };
                                let view = MachineView {
                                    id: i.id.clone(),
                                    kind: i.instance_type,
                                    note: format!("{}{status}", if i.spot { " Spot" } else { "" }),
                                    node: false,
                                    faded: !i.registered,
                                    draining: i.draining,
                                    cpu: (i.cpu_used, i.cpu_total),
                                    memory: (i.memory_used, i.memory_total),
                                    chips,
                                };
                                let tab_stop = stop.clone().filter(|stop| *stop == view.id || view.chips.iter().any(|c| c.id == *stop));
                                html! { <MachineBox key={i.id.clone()} view={view} selected={selected} {tab_stop} on_select={self.on_select.clone()} /> }
                            }) }</>
                            if !fargate_here.is_empty() {
                                { lane("Fargate".into(), "fargate-lane", fargate_here, Some(stop.as_deref().unwrap_or_default())) }
                            }
                        </div>
                    }
                }) }
                </div>
                if !waiting.is_empty() {
                    { lane(format!("Waiting for capacity ({})", waiting.len()), "waiting-lane", &waiting, None) }
                }
            </div>
        }
    }

    fn view_eks(&self) -> Html {
        let eks = self.player.world.eks();
        if eks.nodes.is_empty() && eks.pods.is_empty() {
            return html! {};
        }
        let pod_chip = |p: &dockyard_model::sim::eks::Pod| ChipView {
            id: p.name.clone(),
            class: phase_class(p.phase),
            spot: false,
            label: format!("{} {:?}", p.name, p.phase),
        };
        let lane = |label: String, class: &'static str, chips: Vec<ChipView>| {
            let selected = self.selected_in(chips.iter().map(|c| c.id.as_str()));
            let tab_stop = self.tab_stop(chips.iter().map(|c| c.id.as_str()));
            html! { <ChipLane label={label} class={class} chips={chips} selected={selected} {tab_stop} roving=true on_select={self.on_select.clone()} /> }
        };
        let fargate: Vec<ChipView> = eks
            .pods
            .values()
            .filter(|p| matches!(p.placement, PodPlacement::Fargate { .. }))
            .map(pod_chip)
            .collect();
        let pending: Vec<ChipView> = eks
            .pods
            .values()
            .filter(|p| matches!(p.placement, PodPlacement::Unscheduled))
            .map(pod_chip)
            .collect();
        html! {
            <div class="eks-view">
                <h2>{ "EKS" }</h2>
                <div class="lanes">
                { for self.player.world.availability_zones().iter().map(|az| {
                    let lane_ids: Vec<&str> = eks
                        .nodes
                        .values()
                        .filter(|n| &n.az == az)
                        .flat_map(|n| std::iter::once(n.name.as_str()).chain(n.pods.iter().map(String::as_str)))
                        .collect();
                    let stop = self.tab_stop(lane_ids.iter().copied());
                    html! {
                    <div class="az-lane" role="group" aria-label={format!("Availability Zone {az}")} data-roving="">
                        <h3>{ az }</h3>
                        // Its own fragment, as in the ECS lanes above.
                        <>{ for eks.nodes.values().filter(|n| &n.az == az).map(|n| {
                            let chips: Vec<ChipView> = n.pods.iter().filter_map(|p| eks.pods.get(p)).map(pod_chip).collect();
                            let selected = self.selected_in(std::iter::once(n.name.as_str()).chain(chips.iter().map(|c| c.id.as_str())));
                            let view = MachineView {
                                id: n.name.clone(),
                                kind: n.instance_type,
                                note: if n.ready { String::new() } else { " not ready".into() },
                                node: true,
                                faded: !n.ready,
                                draining: false,
                                cpu: (n.requested_cpu, n.allocatable_cpu),
                                memory: (n.requested_memory, n.allocatable_memory),
                                chips,
                            };
                            let tab_stop = stop.clone().filter(|stop| *stop == view.id || view.chips.iter().any(|c| c.id == *stop));
                            html! { <MachineBox key={n.name.clone()} view={view} selected={selected} {tab_stop} on_select={self.on_select.clone()} /> }
                        }) }</>
                    </div>
                    }
                }) }
                </div>
                if !fargate.is_empty() {
                    { lane("Fargate pods".into(), "fargate-lane", fargate) }
                }
                if !pending.is_empty() {
                    { lane(format!("Pending ({})", pending.len()), "waiting-lane", pending) }
                }
            </div>
        }
    }

    /// Running, desired and pending (tasks and pods) and the bill per minute.
    pub(crate) fn chart(&self) -> Html {
        let timeline = &self.player.timeline;
        let minutes = (self.until / 60).max(1) as f64;
        let series =
            |f: &dyn Fn(&dockyard_model::sim::scenario::Sample) -> f64| -> Vec<(f64, f64)> {
                timeline
                    .iter()
                    .map(|s| (s.at as f64 / 60_000.0, f(s)))
                    .collect()
            };
        let desired = series(&|s| {
            f64::from(s.services.iter().map(|x| x.desired).sum::<u32>())
                + f64::from(s.deployments.iter().map(|d| d.replicas).sum::<u32>())
        });
        let running = series(&|s| f64::from(s.tasks_running + s.pods_running));
        let pending = series(&|s| f64::from(s.tasks_pending + s.pods_pending));
        let machines = series(&|s| f64::from(s.instances_total + s.nodes_total));
        let cost = series(&|s| s.cost);
        let top = [&desired, &running, &pending, &machines]
            .iter()
            .flat_map(|v| v.iter().map(|p| p.1))
            .fold(1.0, f64::max);
        let top_cost = cost.iter().map(|p| p.1).fold(0.0001, f64::max);
        let (w, h) = (600.0, 160.0);
        let line = |points: &[(f64, f64)], scale: f64| -> String {
            points
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", x / minutes * w, h - y / scale * (h - 10.0)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let last = timeline.last();
        // Axes in HTML around the drawing (its aspect ratio is not kept,
        // so text inside it would stretch): counts on the left, the bill's
        // own scale on the right, simulated time below.
        let label = format!(
            "Tasks and pods over {} of simulated time (0 to {top} on the left scale), and the bill ($0 to ${top_cost:.4} on its own scale)",
            clock(self.until * 1000)
        );
        html! {
            <figure class="timeline-chart">
                <div class="chart-frame">
                    <div class="y-axis" aria-hidden="true"><span>{ top }</span><span class="axis-name">{ "count" }</span><span>{ "0" }</span></div>
                    <svg viewBox={format!("0 0 {w} {h}")} preserveAspectRatio="none" role="img" aria-label={label}>
                        <polyline class="series desired" points={line(&desired, top)} />
                        <polyline class="series running" points={line(&running, top)} />
                        <polyline class="series pending" points={line(&pending, top)} />
                        <polyline class="series machines" points={line(&machines, top)} />
                        <polyline class="series cost" points={line(&cost, top_cost)} />
                    </svg>
                    <div class="y-axis cost-axis" aria-hidden="true"><span>{ format!("${top_cost:.4}") }</span><span class="axis-name">{ "cost" }</span><span>{ "$0" }</span></div>
                    <div class="x-axis" aria-hidden="true"><span>{ "00:00:00" }</span><span class="axis-name">{ "simulated time" }</span><span>{ clock(self.until * 1000) }</span></div>
                </div>
                <figcaption>
                    <span class="key desired">{ "desired" }</span>
                    <span class="key running">{ "running" }</span>
                    <span class="key pending">{ "pending" }</span>
                    <span class="key machines">{ "instances and nodes" }</span>
                    <span class="key cost">{ "cost (own scale)" }</span>
                    { last.map(|s| format!(" · at {}: {} running, {} pending, ${:.4}", clock(s.at), s.tasks_running + s.pods_running, s.tasks_pending + s.pods_pending, s.cost)).unwrap_or_default() }
                </figcaption>
            </figure>
        }
    }
}

fn percent(used: u32, total: u32) -> u32 {
    if total == 0 {
        0
    } else {
        (u64::from(used) * 100 / u64::from(total)) as u32
    }
}

fn state_class(state: TaskState) -> &'static str {
    match state {
        TaskState::Provisioning => "task state-provisioning",
        TaskState::Pending => "task state-pending",
        TaskState::Activating => "task state-activating",
        TaskState::Running => "task state-running",
        TaskState::Deactivating | TaskState::Stopping | TaskState::Deprovisioning => {
            "task state-stopping"
        }
        TaskState::Stopped => "task state-stopped",
    }
}

fn phase_class(phase: PodPhase) -> &'static str {
    match phase {
        PodPhase::Pending => "pod phase-pending",
        PodPhase::ContainerCreating => "pod phase-activating",
        PodPhase::Running => "pod phase-running",
        PodPhase::Terminating => "pod phase-stopping",
    }
}

/// A task or pod as drawn: compared between renders, so that a machine whose
/// tasks did not change is not drawn again (a thousand chips at 60x).
#[derive(Clone, PartialEq)]
pub(crate) struct ChipView {
    id: String,
    class: &'static str,
    spot: bool,
    label: String,
}

/// An EC2 container instance or an EKS node as drawn.
#[derive(Clone, PartialEq)]
pub(crate) struct MachineView {
    id: String,
    kind: &'static str,
    note: String,
    node: bool,
    faded: bool,
    draining: bool,
    /// (used, total) CPU units and MiB: reserved on ECS, requested on EKS.
    cpu: (u32, u32),
    memory: (u32, u32),
    chips: Vec<ChipView>,
}

#[derive(Properties, PartialEq)]
struct MachineProps {
    view: MachineView,
    /// The selected id when it is this machine or one of its chips.
    selected: Option<String>,
    /// The lane's one tab stop, when it is this machine or one of its chips.
    tab_stop: Option<String>,
    on_select: Callback<Option<String>>,
}

#[function_component(MachineBox)]
fn machine_box(props: &MachineProps) -> Html {
    let v = &props.view;
    let is_selected = props.selected.as_deref() == Some(v.id.as_str());
    let (cpu, memory) = (percent(v.cpu.0, v.cpu.1), percent(v.memory.0, v.memory.1));
    let what = if v.node { "requested" } else { "reserved" };
    let id = v.id.clone();
    let on_select = props.on_select.clone();
    html! {
        <div class={classes!("instance", v.node.then_some("node"), v.faded.then_some("booting"), v.draining.then_some("draining"), is_selected.then_some("selected"))}>
            <button class="instance-name" aria-pressed={is_selected.to_string()}
                tabindex={tab_index(props.tab_stop.as_deref(), &v.id)}
                onclick={Callback::from(move |event: MouseEvent| select(&on_select, &id, &event))}>
                { &v.id }{ " " }<span class="type">{ v.kind }</span>{ &v.note }
            </button>
            <div class="meter" title={format!("CPU: {} of {} units {what}", v.cpu.0, v.cpu.1)}>
                <span class="fill cpu" style={format!("transform:scaleX({})", f64::from(cpu) / 100.0)}></span><span class="meter-label">{ format!("CPU {cpu}%") }</span>
            </div>
            <div class="meter" title={format!("Memory: {} of {} MiB {what}", v.memory.0, v.memory.1)}>
                <span class="fill memory" style={format!("transform:scaleX({})", f64::from(memory) / 100.0)}></span><span class="meter-label">{ format!("memory {memory}%") }</span>
            </div>
            <div class="chips">{ for v.chips.iter().map(|c| chip(c, props.selected.as_deref(), props.tab_stop.as_deref(), &props.on_select)) }</div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LaneProps {
    label: String,
    class: &'static str,
    chips: Vec<ChipView>,
    selected: Option<String>,
    tab_stop: Option<String>,
    /// A group of its own for the arrow keys (not inside a zone's lane).
    roving: bool,
    on_select: Callback<Option<String>>,
}

#[function_component(ChipLane)]
fn chip_lane(props: &LaneProps) -> Html {
    html! {
        <div class={props.class} role={props.roving.then_some("group")} aria-label={props.roving.then(|| props.label.clone())} data-roving={props.roving.then_some("")}>
            <span class="lane-label">{ &props.label }</span>
            <div class="chips">{ for props.chips.iter().map(|c| chip(c, props.selected.as_deref(), props.tab_stop.as_deref(), &props.on_select)) }</div>
        </div>
    }
}

fn chip(
    c: &ChipView,
    selected: Option<&str>,
    tab_stop: Option<&str>,
    on_select: &Callback<Option<String>>,
) -> Html {
    let is_selected = selected == Some(c.id.as_str());
    let (id, on_select) = (c.id.clone(), on_select.clone());
    html! {
        <button key={c.id.clone()}
            class={classes!("chip", c.class, c.spot.then_some("spot"), is_selected.then_some("selected"))}
            aria-label={c.label.clone()} aria-pressed={is_selected.to_string()}
            tabindex={tab_index(tab_stop, &c.id)}
            onclick={Callback::from(move |event: MouseEvent| select(&on_select, &id, &event))}>
            { &c.id }
        </button>
    }
}

fn tab_index(tab_stop: Option<&str>, id: &str) -> &'static str {
    if tab_stop == Some(id) {
        "0"
    } else {
        "-1"
    }
}

/// Selects a machine or chip. Chosen from the keyboard (a click with no
/// pointer behind it), focus then goes to what the selection revealed: the
/// inspector, one step away instead of past every other chip.
fn select(on_select: &Callback<Option<String>>, id: &str, event: &MouseEvent) {
    on_select.emit(Some(id.to_string()));
    if event.detail() != 0 {
        return;
    }
    let focus_inspector = wasm_bindgen::closure::Closure::once_into_js(|| {
        super::focus_by_id("inspector");
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            focus_inspector.unchecked_ref(),
            0,
        );
    }
}

/// The arrow keys, Home and End inside a lane: the roving tab stop moves
/// with the focus.
fn roving_keys(event: KeyboardEvent) {
    const ROVING: &str = "button.instance-name, button.chip";
    let step: i64 = match event.key().as_str() {
        "ArrowRight" | "ArrowDown" => 1,
        "ArrowLeft" | "ArrowUp" => -1,
        "Home" => i64::MIN,
        "End" => i64::MAX,
        _ => return,
    };
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if !target.matches(ROVING).unwrap_or(false) {
        return;
    }
    let Some(buttons) = target
        .closest("[data-roving]")
        .ok()
        .flatten()
        .and_then(|group| group.query_selector_all(ROVING).ok())
    else {
        return;
    };
    let all: Vec<web_sys::HtmlElement> = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    let Some(here) = all.iter().position(|b| b.is_same_node(Some(&target))) else {
        return;
    };
    let last = all.len() as i64 - 1;
    let there = match step {
        i64::MIN => 0,
        i64::MAX => last,
        step => (here as i64 + step).clamp(0, last),
    } as usize;
    event.prevent_default();
    if there != here {
        let _ = all[here].set_attribute("tabindex", "-1");
        let _ = all[there].set_attribute("tabindex", "0");
        let _ = all[there].focus();
    }
}

/// IDs in the order a reader counts them: t-2 before t-10 (the world keeps
/// them as text, where t-10 comes first).
pub(crate) fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(id: &str) -> (&str, u64) {
        let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (stem, number) = id.split_at(id.len() - digits);
        (stem, number.parse().unwrap_or(0))
    }
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}
