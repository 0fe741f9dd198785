//! Dockyard's web app: a thin Yew shell that shows the course notes beside
//! panels drawn from the model. No rule of AWS is decided here; components
//! ask `dockyard_model` and `dockyard_course`.

pub mod app;
pub mod components;
pub mod persist;
pub mod route;
pub mod storage;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    storage::migrate();
    route::redirect_legacy_hash();
    route::follow_links_in_app();
    yew::Renderer::<App>::new().render();
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
