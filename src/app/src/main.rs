fn main() {
    sahifa_app::start();
}
