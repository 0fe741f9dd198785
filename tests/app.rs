//! The app in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner): every chapter renders, tables are tables,
//! hostile markdown stays inert, navigation changes the view, and bad saved
//! data or URLs never leave a blank page.
//!
//! One test binary, so that every test takes its turn on the one page:
//! the tests by page live in `app/`; this file holds what they share.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use dockyard_app::route::{decode_hash, Route};
use dockyard_course::storage::Key;
use dockyard_course::CHAPTERS;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "app/editor.rs"]
mod editor;
#[path = "app/lessons.rs"]
mod lessons;
#[path = "app/notes.rs"]
mod notes;
#[path = "app/pages.rs"]
mod pages;
#[path = "app/registries.rs"]
mod registries;
#[path = "app/sandbox.rs"]
mod sandbox;
#[path = "app/saved_work.rs"]
mod saved_work;

/// wasm-bindgen-test polls async tests concurrently, but these share one
/// page (its URL, its storage, its title): each test holds this turn.
struct Turn;

thread_local! {
    static TAKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn take_turn() -> Turn {
    while TAKEN.with(|taken| taken.replace(true)) {
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
    Turn
}

impl Drop for Turn {
    fn drop(&mut self) {
        TAKEN.with(|taken| taken.set(false));
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh element to mount into, after the previous test's is gone.
fn fresh_root() -> Element {
    let document = document();
    if let Some(old) = document.get_element_by_id("test-root") {
        old.remove();
    }
    let root = document.create_element("div").unwrap();
    root.set_id("test-root");
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits until `check` passes, giving Yew's scheduler and the browser's
/// event loop time to run; fails with `what` after two seconds.
async fn wait_for(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

/// Opens an old-style `#/...` address, as a bookmark would: at the site's
/// root (which the app rewrites into the path form).
fn set_hash(hash: &str) {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&dockyard_app::route::root_path()),
        )
        .unwrap();
    window.location().set_hash(hash).unwrap();
}

#[derive(yew::Properties, PartialEq)]
struct HostileProps {
    source: yew::AttrValue,
}

#[yew::function_component(Hostile)]
fn hostile(props: &HostileProps) -> yew::Html {
    let tree = dockyard_course::markdown::encode(&dockyard_course::render(&props.source));
    yew::html! { <dockyard_app::components::MarkdownView tree={tree} /> }
}

fn js_sys_get(target: &web_sys::Window, key: &str) -> wasm_bindgen::JsValue {
    let object: &wasm_bindgen::JsValue = target.as_ref();
    js_sys::Reflect::get(object, &key.into()).unwrap()
}

fn log_len(root: &Element) -> u32 {
    root.query_selector(".event-log ol")
        .unwrap()
        .unwrap()
        .child_element_count()
}

fn click(root: &Element, selector: &str) {
    let element: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    element.click();
}

async fn open_sandbox(hash: &str) -> (Element, yew::AppHandle<dockyard_app::App>) {
    set_hash(hash);
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the sandbox", || {
        root.query_selector(".sandbox-controls").unwrap().is_some()
    })
    .await;
    (root, app)
}

fn lost_lanes(root: &Element) -> u32 {
    root.query_selector_all(".ecs-view .az-lane.lost")
        .unwrap()
        .length()
}

async fn open_registries() -> (Element, yew::AppHandle<dockyard_app::App>) {
    set_hash("#/registries");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the registries page", || {
        root.query_selector("button.push").unwrap().is_some()
    })
    .await;
    (root, app)
}

/// Sets a form control's value as a learner would, and tells the page.
fn choose(root: &Element, selector: &str, value: &str) {
    let element = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        element
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .set_value(value);
    }
    // As typed: an input event for each keystroke, a change on leaving.
    for kind in ["input", "change"] {
        element
            .dispatch_event(&web_sys::Event::new(kind).unwrap())
            .unwrap();
    }
}

/// Gives a file input a file, as a learner choosing one.
fn choose_file(root: &Element, selector: &str, name: &str, content: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    input.set_files(Some(&transfer.files().unwrap()));
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Forgets every free sandbox session (each scenario's slot, the copy of
/// the last one, what was set aside): a test's sandbox starts afresh.
fn forget_sandboxes() {
    let storage = storage();
    let names: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|name| name.starts_with("dockyard.v2.sandbox"))
        .collect();
    for name in names {
        storage.remove_item(&name).unwrap();
    }
}
