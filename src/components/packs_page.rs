//! Lesson packs: an instructor's lessons, loaded from a file or a URL.
//! `packs/?from=URL` loads one on arrival (the link an instructor shares),
//! and `&open=LESSON` then opens one of its lessons (what an LMS package's
//! page asks for). Every pack is checked before it is offered; a pack that
//! is refused changes nothing the learner has.

use dockyard_course::packs::{Offered, MAX_PACK_BYTES};
use dockyard_course::receipts::Receipt;
use yew::prelude::*;

use crate::packs;

/// What the last load said: (it worked, the words).
type Message = Option<(bool, String)>;

#[function_component(PacksPage)]
pub fn packs_page() -> Html {
    let message = use_state(|| None::<(bool, String)>);
    let url = use_state(String::new);
    let busy = use_state(|| false);
    // Bumped when a pack is loaded or removed, to draw the list again.
    let drawn = use_state(|| 0u32);

    let fetch_and_load = {
        let (message, busy, drawn) = (message.clone(), busy.clone(), drawn.clone());
        Callback::from(move |(address, open): (String, Option<String>)| {
            let (message, busy, drawn) = (message.clone(), busy.clone(), drawn.clone());
            busy.set(true);
            message.set(Some((true, format!("Fetching {address}\u{2026}"))));
            wasm_bindgen_futures::spawn_local(async move {
                let said = match packs::fetch(&address).await {
                    Ok(text) => loaded(&address, &text, open.as_deref()),
                    Err(why) => Some((
                        false,
                        format!("Not loaded: {why}. Nothing you had changed."),
                    )),
                };
                busy.set(false);
                message.set(said);
                drawn.set(*drawn + 1);
            });
        })
    };
    // `?from=URL` on arrival.
    {
        let fetch_and_load = fetch_and_load.clone();
        use_effect_with((), move |_| {
            let named = |name| crate::route::query(name).filter(|v| !v.is_empty());
            if let Some(from) = named("from") {
                fetch_and_load.emit((from, named("open")));
            }
        });
    }
    let on_url = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| url.set(super::event_value(&e)))
    };
    let on_fetch = {
        let (url, fetch_and_load) = (url.clone(), fetch_and_load.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let address = url.trim().to_string();
            if !address.is_empty() {
                fetch_and_load.emit((address, None));
            }
        })
    };
    let on_file = {
        let (message, drawn) = (message.clone(), drawn.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            // Refused by its size before a byte is read.
            if file.size() > MAX_PACK_BYTES as f64 {
                message.set(Some((false, format!(
                    "Not loaded: {} is {:.0} KB, and a pack is at most {} KB. Nothing you had changed.",
                    file.name(),
                    file.size() / 1024.0,
                    MAX_PACK_BYTES / 1024
                ))));
                return;
            }
            let (message, drawn) = (message.clone(), drawn.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let said = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => loaded(&file.name(), &text.as_string().unwrap_or_default(), None),
                    Err(_) => Some((
                        false,
                        "Not loaded: the file could not be read as text. Nothing you had changed."
                            .into(),
                    )),
                };
                message.set(said);
                drawn.set(*drawn + 1);
            });
        })
    };
    let remove = {
        let (message, drawn) = (message.clone(), drawn.clone());
        move |id: String, title: String| {
            let (message, drawn) = (message.clone(), drawn.clone());
            Callback::from(move |_: MouseEvent| {
                packs::remove(&id);
                message.set(Some((true, format!("Removed {title}. Your work on its lessons is kept, should you load it again."))));
                drawn.set(*drawn + 1);
            })
        }
    };

    let offered = dockyard_course::packs::offered();
    html! {
        <main class="editor-page packs-page" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Lesson packs" }</h1>
            <p class="panel-lead">{ dockyard_course::packs::PAGE_LEAD }</p>
            <div class="pack-load">
                <form class="pack-url" onsubmit={on_fetch}>
                    <label for="pack-url">{ "From an address" }</label>
                    <input id="pack-url" type="url" placeholder="https://raw.githubusercontent.com/\u{2026}/week-1.pack.json" value={(*url).clone()} oninput={on_url} />
                    <button type="submit" class="fetch-pack" disabled={*busy}>{ "Load" }</button>
                </form>
                <label class="import">{ "From a file " }<input type="file" class="pack-file" accept=".json,application/json" onchange={on_file} /></label>
            </div>
            { message_view(&message) }
            if offered.is_empty() {
                <p>{ "No pack is loaded. " }<a href={crate::route::href("lessons/")}>{ "The course's own lessons" }</a>{ " need none." }</p>
            }
            { for offered.iter().map(|o| pack_view(o, remove(o.pack.id.clone(), o.pack.title.clone()))) }
            <h2>{ "For instructors" }</h2>
            <p>{ "Write a pack as the README's author guide says, test it with " }<code>{ "dockyard pack check" }</code>
                { ", publish the file anywhere a browser can fetch it, and share " }<code>{ "packs/?from=ADDRESS" }</code>
                { ". Learners send you receipts from each lesson; " }<a href={crate::route::href("class/")}>{ "the class page" }</a>{ " replays them." }</p>
        </main>
    }
}

/// Loads a pack's text, and what to say (opening `open` when asked).
fn loaded(source: &str, text: &str, open: Option<&str>) -> Message {
    match packs::load(source, text) {
        Ok((offered, warning)) => {
            if let Some(lesson) = open.and_then(|id| {
                let qualified = dockyard_course::packs::qualified_id(&offered.pack.id, id);
                dockyard_course::lessons::lesson(&qualified)
            }) {
                crate::route::navigate(&crate::route::lesson_href(&lesson.id));
            }
            let count = offered.pack.lessons.len();
            let said = format!(
                "Loaded {}: {count} lesson{}, each checked.",
                offered.pack.title,
                if count == 1 { "" } else { "s" }
            );
            Some(match warning {
                Some(warning) => (false, format!("{said} {warning}")),
                None => (true, said),
            })
        }
        Err(why) => Some((
            false,
            format!("Not loaded: {why}. Nothing you had changed."),
        )),
    }
}

fn message_view(message: &Message) -> Html {
    match message {
        Some((ok, text)) => html! {
            <p class={classes!("sandbox-message", ok.then_some("ok"), (!ok).then_some("error"), "pack-message")} role="status">{ text }</p>
        },
        None => html! { <p class="pack-message" role="status"></p> },
    }
}

fn pack_view(offered: &'static Offered, on_remove: Callback<MouseEvent>) -> Html {
    let pack = &offered.pack;
    let done = packs::done(&pack.id);
    let count = pack.lessons.iter().filter(|l| done.contains(&l.id)).count();
    // A pack fetched from an address can be shared as a link.
    let link = offered
        .source
        .contains("://")
        .then(|| page_address(&format!("packs/?from={}", encode(&offered.source))));
    html! {
        <section class="pack" aria-label={pack.title.clone()}>
            <h2>{ pack.title.clone() }</h2>
            if !pack.description.is_empty() {
                <p>{ pack.description.clone() }</p>
            }
            <p class="pack-source">{ "From " }<code>{ offered.source.clone() }</code>{ format!(" \u{b7} {count} of {} done", pack.lessons.len()) }</p>
            <ol class="map-lessons">
                { for pack.lessons.iter().map(|l| {
                    let (class, mark) = if done.contains(&l.id) { ("done", "Done") } else { ("todo", "To do") };
                    let chapter = dockyard_course::chapter(l.chapter).map_or("", |c| c.short);
                    html! {
                        <li class={classes!("map-lesson", class)}>
                            <span class="map-mark">{ mark }</span>
                            <a href={crate::route::lesson_href(&l.id)}>{ l.title.clone() }</a>
                            <span class="pack-chapter">{ format!(" \u{b7} {chapter}") }</span>
                        </li>
                    }
                }) }
            </ol>
            { pack_receipt(offered, count) }
            <div class="checker-actions">
                if let Some(link) = link {
                    <label class="pack-link">{ "Link to share " }<input type="text" readonly=true value={link} /></label>
                }
                <button type="button" class="remove-pack" onclick={on_remove}>{ "Remove this pack" }</button>
            </div>
        </section>
    }
}

fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// An address of this site, whole (origin and root), for a link to share.
fn page_address(relative: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{}", crate::route::href(relative))
}

/// A receipt for the whole pack: each done lesson's receipt as it was when
/// its goal was met, in one file, named when it is downloaded.
fn pack_receipt(offered: &'static Offered, done: usize) -> Html {
    if done == 0 {
        return html! {};
    }
    let pack = &offered.pack;
    let on_download = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let form: web_sys::HtmlFormElement = e.target_unchecked_into();
        let name = form
            .elements()
            .named_item("learner")
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(n).ok())
            .map(|input| input.value().trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            return;
        }
        let receipts: Vec<serde_json::Value> = offered
            .pack
            .lessons
            .iter()
            .filter_map(|l| {
                let text = crate::storage::read(dockyard_course::storage::Key::Receipt(&l.id))?;
                let mut receipt = Receipt::parse(&text).ok()?;
                // The name's seed, as a receipt made under it has.
                receipt.rename(l, &name);
                serde_json::from_str::<serde_json::Value>(&receipt.to_json()).ok()
            })
            .collect();
        let file = format!(
            "receipt-{}-{}.json",
            offered.pack.id,
            super::lesson_panel::safe_file_part(&name)
        );
        let json = serde_json::to_string_pretty(&receipts).unwrap_or_default();
        let _ = super::sandbox::download(&file, &json);
    });
    html! {
        <details class="receipt pack-receipt">
            <summary>{ format!("A receipt for this pack ({done} of {} lessons)", pack.lessons.len()) }</summary>
            <p class="hint">{ "Each lesson you completed, with your answer as it was when its goal was met, the hints you used and the time it took; your instructor's class page (or dockyard receipt check) replays them. It shows that the answers work, not who found them." }</p>
            <form onsubmit={on_download}>
                <label class="receipt-name">{ "Your name " }<input type="text" name="learner" maxlength="200" autocomplete="name" required=true /></label>
                <button type="submit" class="download-pack-receipt">{ "Download the receipt" }</button>
            </form>
        </details>
    }
}
