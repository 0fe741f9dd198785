//! The learner's lesson packs in the browser: read from a file or fetched
//! from a URL, checked (`Pack::parse`, then every lesson verified as the
//! shipped ones are) before they are offered, kept as they came so that a
//! reload offers them again, and their progress kept apart from the
//! built-in course's. Nothing here decides a rule: `dockyard_course::packs`
//! does.

use std::collections::BTreeSet;

use dockyard_course::packs::{
    self, offer, parse_saved, saved_to_json, Offered, Pack, SavedPack, MAX_PACK_BYTES,
    MAX_SAVED_PACKS,
};
use dockyard_course::storage::{Key, Load};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::storage;

/// Offers the packs kept from earlier visits; what could not be offered
/// again is said (and kept, since the learner may want it back).
pub fn restore() -> Option<String> {
    let saved = match storage::load(Key::Packs, parse_saved) {
        Load::Found(saved) => saved,
        Load::Absent | Load::Refused(_) => return None,
        Load::SetAside(notice) => return Some(notice),
    };
    let mut problems = Vec::new();
    for kept in &saved {
        if let Err(why) = check_and_offer(&kept.source, &kept.text) {
            problems.push(format!("{} ({why})", kept.source));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "A lesson pack you loaded before could not be offered again: {}. It is kept as it was; loading a pack with the same id (a fixed version, from where it came) takes its place.",
            dockyard_course::storage::shorten(&problems.join("; "))
        )
    })
}

/// Reads, verifies and offers a pack; the error names the field or the
/// lessons that do not teach, and why.
fn check_and_offer(source: &str, text: &str) -> Result<&'static Offered, String> {
    let pack = Pack::parse(text)?;
    offer(pack, source).map_err(|unverified| {
        let lessons: Vec<String> = unverified
            .iter()
            .map(|u| format!("lesson {}: {}", u.lesson, u.problems.join("; ")))
            .collect();
        format!("it does not teach yet: {}", lessons.join(" | "))
    })
}

/// Loads a pack the learner gave (a file's text, or a URL's): checked,
/// offered, and kept for the next visit. `Ok` may carry a warning (the
/// pack is offered, but the browser would not keep it).
pub fn load(source: &str, text: &str) -> Result<(&'static Offered, Option<String>), String> {
    let offered = check_and_offer(source, text)?;
    let mut saved = kept();
    saved.retain(|kept| kept.id != offered.pack.id);
    if saved.len() >= MAX_SAVED_PACKS {
        return Ok((offered, Some(format!(
            "Dockyard keeps at most {MAX_SAVED_PACKS} packs; this one is offered until you close the tab. Remove one to keep this one."
        ))));
    }
    saved.push(SavedPack {
        id: offered.pack.id.clone(),
        source: source.to_string(),
        text: text.to_string(),
    });
    let warning = storage::save(Key::Packs, &saved_to_json(&saved))
        .err()
        .map(|e| {
            format!(
                "The browser would not keep the pack ({e}); it is offered until you close the tab."
            )
        });
    Ok((offered, warning))
}

/// Removes a pack: no longer offered nor kept. Its lessons' work and its
/// progress stay in storage, so that loading it again brings them back.
pub fn remove(id: &str) {
    packs::withdraw(id);
    let mut saved = kept();
    saved.retain(|kept| kept.id != id);
    let _ = storage::save(Key::Packs, &saved_to_json(&saved));
}

fn kept() -> Vec<SavedPack> {
    storage::read(Key::Packs)
        .and_then(|text| parse_saved(&text).ok())
        .unwrap_or_default()
}

/// The lessons of a pack that are done (qualified ids).
pub fn done(pack: &str) -> BTreeSet<String> {
    match storage::load(Key::PackProgress(pack), |text| {
        dockyard_model::json::from_str::<BTreeSet<String>>(text)
    }) {
        Load::Found(done) => done,
        _ => BTreeSet::new(),
    }
}

/// Marks a pack lesson done, in its pack's own progress.
pub fn mark_done(qualified: &str) {
    let Some((pack, _)) = qualified.split_once('/') else {
        return;
    };
    let mut done = done(pack);
    if done.insert(qualified.to_string()) {
        let json = serde_json::to_string(&done).unwrap_or_default();
        let _ = storage::save(Key::PackProgress(pack), &json);
    }
}

/// Fetches a pack's text from a URL (relative to the page, or any URL the
/// browser may fetch: a raw file in a public repository serves CORS).
pub async fn fetch(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let said = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("the browser could not fetch it ({}): a server must allow it (CORS), and the address must be right", said(e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(said)?;
    if !response.ok() {
        return Err(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    // Refused by its announced size before a byte is read: no address
    // freezes the tab (the text's own size is checked again when read).
    let announced = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.parse::<usize>().ok());
    if let Some(bytes) = announced.filter(|bytes| *bytes > MAX_PACK_BYTES) {
        return Err(format!(
            "the file is {} KB, and a pack is at most {} KB",
            bytes / 1024,
            MAX_PACK_BYTES / 1024
        ));
    }
    let text = JsFuture::from(response.text().map_err(said)?)
        .await
        .map_err(said)?;
    text.as_string()
        .ok_or_else(|| "the answer is not text".into())
}
