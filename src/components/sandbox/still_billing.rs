//! The teardown check beside the clock: what is still running and billing,
//! resource by resource (the model's `World::still_billing`), each with its
//! hourly cost and the terminal commands that end the charge. It opens by
//! itself when a lesson's goal is met with something still billing: the
//! moment a learner on real AWS would walk away from a running bill.

use dockyard_model::sim::catalogue::PRICES_AS_OF;
use dockyard_model::sim::{World, NOT_MODELLED};
use yew::prelude::*;

/// How many of a line's commands are written out.
const SHOWN_COMMANDS: usize = 3;

pub(super) fn view(world: &World, lesson_done: bool) -> Html {
    let lines = world.still_billing();
    let per_hour: f64 = lines.iter().map(|line| line.per_hour).sum();
    let summary = if lines.is_empty() {
        "Still billing: nothing".to_string()
    } else {
        format!(
            "Still billing: {} resource{}, ${per_hour:.4} an hour",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        )
    };
    let open = lesson_done && !lines.is_empty();
    html! {
        <details class="still-billing" {open}>
            <summary>{ summary }</summary>
            if open {
                <p class="lesson-done-billing" role="status">
                    { "The lesson is done, and these are still running and billing. On AWS they would go on costing money until you remove them." }
                </p>
            }
            if lines.is_empty() {
                <p class="hint">{ "Nothing in this sandbox is running or costing money now." }</p>
            } else {
                <ul class="billing-lines">
                    { for lines.iter().map(|line| {
                        // A few commands say what to type; the rest are alike.
                        let commands: Vec<String> = line
                            .remove
                            .iter()
                            .take(SHOWN_COMMANDS)
                            .filter_map(|command| dockyard_terminal::cli_for(command, world))
                            .flatten()
                            .collect();
                        let more = line.remove.len().saturating_sub(SHOWN_COMMANDS);
                        html! {
                            <li>
                                <strong>{ &line.what }</strong>
                                <span class="per-hour">{ format!(" ${:.4} an hour", line.per_hour) }</span>
                                if let Some(note) = &line.note {
                                    <span class="billing-note">{ format!(": {note}") }</span>
                                }
                                if commands.is_empty() {
                                    <div class="ends-it">{ "No command in Dockyard's terminal ends it." }</div>
                                } else {
                                    <div class="ends-it">{ "Ends it: " }
                                        { for commands.iter().map(|line| html! { <code>{ line }</code> }) }
                                        if more > 0 {
                                            <span class="billing-note">{ format!("and {more} more like them") }</span>
                                        }
                                    </div>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            <p class="hint">
                { format!("Prices: {PRICES_AS_OF}. Dockyard does not model these, which bill on AWS too: ") }
                { NOT_MODELLED.iter().map(|(what, price)| format!("{what}, {price}")).collect::<Vec<_>>().join("; ") }
                { "." }
            </p>
        </details>
    }
}
