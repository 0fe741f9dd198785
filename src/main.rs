fn main() {
    dockyard_app::start();
}
