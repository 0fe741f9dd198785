//! The class page: an instructor chooses many receipt files at once, and
//! each is replayed here, in the browser (the simulation is deterministic,
//! so no server is needed), into a table of who completed what, with the
//! flags `dockyard_course::receipts::class` raises. `dockyard receipt
//! check` makes the same table natively.

use dockyard_course::receipts::class::MAX_BUNDLE_BYTES;
use dockyard_course::receipts::class::{self, Row};
use dockyard_course::receipts::SeedTie;
use yew::prelude::*;

/// More receipt files than this at once are refused (a class, not a crowd).
const MAX_FILES: u32 = 2_000;

#[derive(Clone, PartialEq)]
struct Replayed {
    rows: Vec<Row>,
    /// How long the replays took, in milliseconds (the browser's clock).
    millis: f64,
}

#[function_component(ClassPage)]
pub fn class_page() -> Html {
    let replayed = use_state(|| None::<Replayed>);
    let message = use_state(|| None::<String>);
    let on_files = {
        let (replayed, message) = (replayed.clone(), message.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else {
                return;
            };
            if list.length() > MAX_FILES {
                message.set(Some(format!(
                    "{} files chosen; the class page replays at most {MAX_FILES} at once.",
                    list.length()
                )));
                return;
            }
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let (replayed, message) = (replayed.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut read = Vec::with_capacity(files.len());
                for file in files {
                    // Too large is refused unread; the row says why.
                    // (A pack's receipt, a list, may be larger than one.)
                    let text = if file.size() > MAX_BUNDLE_BYTES as f64 {
                        Err(format!("larger than {} MB", MAX_BUNDLE_BYTES / 1_048_576))
                    } else {
                        wasm_bindgen_futures::JsFuture::from(file.text())
                            .await
                            .ok()
                            .and_then(|t| t.as_string())
                            .ok_or_else(|| "the file could not be read as text".to_string())
                    };
                    read.push((file.name(), text));
                }
                let now = || {
                    web_sys::window()
                        .and_then(|w| w.performance())
                        .map_or(0.0, |p| p.now())
                };
                let started = now();
                let rows = class::replay(&read, dockyard_course::lessons::lesson);
                let millis = now() - started;
                message.set(None);
                replayed.set(Some(Replayed { rows, millis }));
            });
        })
    };
    let on_csv = {
        let replayed = replayed.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(replayed) = &*replayed {
                let _ =
                    super::sandbox::download("dockyard-class.csv", &class::to_csv(&replayed.rows));
            }
        })
    };
    html! {
        <main class="editor-page class-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Class: receipts replayed" }</h1>
            <p class="panel-lead">{ class::PAGE_LEAD }</p>
            <details class="receipt-limits">
                <summary>{ "What a receipt proves, and what it does not" }</summary>
                <ul>
                    <li>{ "It proves that its answer, replayed, meets the lesson's goal, and that the lesson is the version the learner had (its content hash)." }</li>
                    <li>{ "It does not prove who found the answer: a learner can copy a classmate's steps and put their own name on them. Receipts with the very same answer (every command at the same simulated second) under different names list each other. For a short lesson done at its start many learners type the same commands, so that is expected; for a long one it is worth a question. A copy retyped at other moments is not caught." }</li>
                    <li>{ "The seed a receipt is replayed from is derived from the learner's name: a receipt whose name was edited after it was made names another name's seed, and is flagged. That makes a naive copy visible; anyone can compute a name's seed, so it is not proof." }</li>
                    <li>{ "Hints used and time spent are what the learner's browser reported; a receipt file can be edited." }</li>
                    <li>{ "A pack lesson's receipt replays only when its pack is loaded here (" }<a href={crate::route::href("packs/")}>{ "the packs page" }</a>{ ")." }</li>
                </ul>
            </details>
            <label class="import">{ "Receipts " }<input type="file" class="receipt-files" multiple=true accept=".json,application/json" onchange={on_files} /></label>
            if let Some(text) = &*message {
                <p class="sandbox-message error" role="status">{ text }</p>
            }
            if let Some(replayed) = &*replayed {
                { table(replayed, on_csv) }
            }
        </main>
    }
}

fn table(replayed: &Replayed, on_csv: Callback<MouseEvent>) -> Html {
    let rows = &replayed.rows;
    let completed = rows.iter().filter(|r| r.completed).count();
    let flagged = rows.iter().filter(|r| r.flagged()).count();
    let shared = rows.iter().filter(|r| !r.same_answer_as.is_empty()).count();
    html! {
        <>
            <p class="class-summary" role="status">
                { format!(
                    "{completed} of {} receipts replay to their goal; {flagged} flagged; {shared} share their answer with another name. Replayed in {:.0} ms ({:.1} ms each).",
                    rows.len(),
                    replayed.millis,
                    replayed.millis / rows.len().max(1) as f64
                ) }
            </p>
            <div class="checker-actions">
                <button type="button" class="export-csv" onclick={on_csv}>{ "Export CSV" }</button>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Receipts">
                <table class="class-table">
                    <thead><tr>
                        <th scope="col">{ "Name" }</th><th scope="col">{ "Lesson" }</th><th scope="col">{ "Replay" }</th>
                        <th scope="col">{ "Hints" }</th><th scope="col">{ "Time" }</th><th scope="col">{ "Same answer as" }</th><th scope="col">{ "Seed" }</th><th scope="col">{ "File" }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(row_view) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

fn row_view(row: &Row) -> Html {
    let title = dockyard_course::lessons::lesson(&row.lesson).map(|l| l.title.clone());
    let flagged = row.flagged();
    html! {
        <tr class={classes!("receipt-row", row.completed.then_some("completed"), flagged.then_some("flagged"))}>
            <td>{ row.name.clone() }</td>
            <td>{ title.unwrap_or_else(|| row.lesson.clone()) }</td>
            <td class="receipt-verdict">{ row.verdict.clone() }</td>
            <td>{ row.hints_used.map(|h| h.to_string()).unwrap_or_default() }</td>
            <td>{ row.seconds_spent.map(minutes).unwrap_or_default() }</td>
            <td class="same-answer">{ row.same_answer_as.join(", ") }</td>
            <td class="receipt-seed">{ row.seed.map(SeedTie::label).unwrap_or_default() }</td>
            <td><code>{ row.source.clone() }</code></td>
        </tr>
    }
}

fn minutes(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s"),
        _ => format!("{} min {} s", seconds / 60, seconds % 60),
    }
}
