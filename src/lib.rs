//! Dockyard's web app: a thin Yew shell that shows the course notes beside
//! panels drawn from the model. No rule of AWS is decided here; components
//! ask `dockyard_model` and `dockyard_course`.

pub mod app;
pub mod components;
pub mod embed;
pub mod packs;
pub mod persist;
pub mod route;
pub mod storage;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    storage::migrate();
    route::redirect_legacy_hash();
    route::follow_links_in_app();
    after_the_first_paint(|| {
        yew::Renderer::<App>::new().render();
    });
}

/// Runs `mount` once the browser has painted the page's prerendered text
/// (two animation frames: the second starts after the first has been
/// drawn), so that what a learner sees first is the text the server sent,
/// and the app adopts a chapter that is already on screen. Without a
/// prerendered page (`trunk serve`) it mounts at once.
fn after_the_first_paint(mount: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let window = web_sys::window();
    let prerendered = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("prerendered"))
        .is_some();
    let Some(window) = window.filter(|_| prerendered) else {
        mount();
        return;
    };
    let again = window.clone();
    let second = wasm_bindgen::closure::Closure::once_into_js(move || {
        let mount = wasm_bindgen::closure::Closure::once_into_js(mount);
        let _ = again.request_animation_frame(mount.unchecked_ref());
    });
    let _ = window.request_animation_frame(second.unchecked_ref());
}

/// Mounts the app inside `root` (used by the browser tests).
pub fn start_in(root: web_sys::Element) -> yew::AppHandle<App> {
    storage::migrate();
    route::redirect_legacy_hash();
    route::follow_links_in_app();
    yew::Renderer::<App>::with_root(root).render()
}

/// Times `runs` IAM decisions of the benchmark workload
/// (`dockyard_model::iam::DecisionWorkload`, the one `cargo bench --bench
/// iam_decision` times natively) and returns the mean in microseconds.
/// `scripts/bench-ui` calls it through trunk's `window.wasmBindings`.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_iam_decision(runs: u32) -> f64 {
    let workload = dockyard_model::iam::DecisionWorkload::new();
    let performance = web_sys::window().and_then(|w| w.performance());
    let now = || performance.as_ref().map_or(0.0, |p| p.now());
    let started = now();
    let mut verdicts = 0;
    for _ in 0..runs.max(1) {
        // Kept, so that the optimizer cannot drop the work.
        verdicts += workload.decide().verdicts.len();
    }
    let elapsed = now() - started;
    assert!(verdicts > 0, "the decision reads the policies");
    elapsed * 1000.0 / f64::from(runs.max(1))
}
