//! The simulation clock's toolbar, shared by the sandbox and the
//! side-by-side comparison: play or pause, one minute on, speed, a
//! scrubber, and the time. The owner keeps the clock; this only draws it
//! and reports what the learner asked for.

use dockyard_model::sim::clock;
use yew::prelude::*;

/// Simulated seconds per real second the learner can choose.
pub(crate) const SPEEDS: &[u32] = &[1, 10, 60, 600];

#[derive(Properties, PartialEq)]
pub(crate) struct ClockControlsProps {
    pub playing: bool,
    pub speed: u32,
    /// Simulated milliseconds now, and at the end.
    pub at: u64,
    pub until: u64,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<u32>,
    /// A simulated time, in seconds, to jump to.
    pub on_seek: Callback<u64>,
    /// Shown after the clock (the bill, in the sandbox).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(ClockControls)]
pub(crate) fn clock_controls(props: &ClockControlsProps) -> Html {
    let on_toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_speed = props
        .on_speed
        .reform(|e: Event| super::event_value(&e).parse().unwrap_or(60));
    let on_seek = props.on_seek.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.value().parse().unwrap_or(0)
    });
    html! {
        <div class="sandbox-controls" role="toolbar" aria-label="Simulation clock">
            <button class="play" aria-pressed={props.playing.to_string()} onclick={on_toggle}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button class="step" onclick={on_step}>{ "+1 minute" }</button>
            <label>{ "Speed " }
                <select class="speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}x") }</option>
                    }) }
                </select>
            </label>
            <input class="scrub" type="range" min="0" max={(props.until / 1000).to_string()} step="10"
                value={(props.at / 1000).to_string()} aria-label="Simulated time" oninput={on_seek} />
            <output class="clock">{ clock(props.at) }{ " / " }{ clock(props.until) }</output>
            { props.children.clone() }
        </div>
    }
}
