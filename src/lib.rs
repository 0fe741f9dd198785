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
    yew::Renderer::<App>::new().render();
}

/// Mounts the app inside `root` (used by the browser tests).
pub fn start_in(root: web_sys::Element) -> yew::AppHandle<App> {
    storage::migrate();
    yew::Renderer::<App>::with_root(root).render()
}
