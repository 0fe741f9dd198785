//! The app's entry point in the browser.

fn main() {
    dockyard_app::start();
}
