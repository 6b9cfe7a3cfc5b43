//! Sahifa's viewer. It fetches the bundle, keeps the view in the URL hash and renders it; every rule about
//! text, search and the bundle's shape comes from `sahifa-core`.

pub mod app;
pub mod components;
pub mod data;
pub mod nav;
pub mod pages;
pub mod pwa;
pub mod search_worker;

/// Mounts the app on the page, replacing the static loading note that `index.html` shows while the wasm
/// downloads.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
