#![forbid(unsafe_code)]

fn main() {
    sahifa_app::start();
}
