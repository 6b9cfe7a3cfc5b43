//! Sahifa's viewer. It fetches the bundle, keeps the view in the URL hash and renders it; every rule about
//! text, search and the bundle's shape comes from `sahifa-core`.

#![forbid(unsafe_code)]

pub mod app;
pub use app::archive_style;
pub mod components;
pub mod data;
pub mod device;
pub mod download;
#[cfg(not(target_arch = "wasm32"))]
pub mod first_screen;
pub mod fold;
pub mod keys;
pub mod load_error;
pub mod nav;
pub mod pages;
pub mod pwa;
pub mod recency;
pub mod search_worker;
pub mod shelf;
pub mod superseded;

use sahifa_core::first_screen::{EmbeddedFiles, BOOT_ELEMENT_ID, DATA_ELEMENT_ID, SCREEN_ELEMENT_ID};
use sahifa_core::route::ViewState;
use wasm_bindgen::{JsCast, JsValue};

/// False while a page is drawn at build time (`first_screen`, natively), where there is no window, no storage,
/// no tab to title and no frame to wait for: the components that would ask the browser ask this first.
pub const IN_A_BROWSER: bool = cfg!(target_arch = "wasm32");

/// Mounts the app on the page in place of what the page showed while the wasm downloaded: the first screen
/// drawn at build time (whose files the app starts from) or the start-up note. Whatever the reader typed into
/// the drawn search box meanwhile becomes the query, and keeps the focus. The work comes in three tasks rather
/// than one, so that none holds a phone's page for long: the wasm's instantiation (ending with this call),
/// reading the page's files into the store, and drawing the app, about 50, 50 and 60–120 ms with the processor
/// slowed four times, where they were one task of 220–310 ms; the page shows its drawing meanwhile.
pub fn start() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    let _ = any_spawner::Executor::init_wasm_bindgen();
    in_a_task_of_its_own(move || {
        let store = started_store();
        in_a_task_of_its_own(move || mount(store));
    });
}

/// The store, started from the files the page carries, or else fetching the manifest.
fn started_store() -> data::Store {
    let embedded = leptos::prelude::document().get_element_by_id(DATA_ELEMENT_ID).and_then(|element| element.text_content()).and_then(|text| {
        EmbeddedFiles::from_script_text(&text)
            .inspect_err(|error| web_sys::console::warn_1(&JsValue::from_str(&format!("{error}; fetching the archive instead"))))
            .ok()
    });
    let store = data::Store::new();
    if embedded.map(|files| store.start_from(&files)).is_none_or(|started| started.is_err()) {
        store.load_library();
    }
    store
}

/// Draws the app in the page's drawing's place.
fn mount(store: data::Store) {
    let document = leptos::prelude::document();
    let mut typed_into_search = false;
    if let Some(screen) = document.get_element_by_id(SCREEN_ELEMENT_ID) {
        let input = screen.query_selector("input[type=search]").ok().flatten().and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input.filter(|input| !input.value().is_empty()) {
            typed_into_search = true;
            let hash = ViewState { query: input.value(), ..ViewState::default() }.to_hash();
            if let Ok(history) = leptos::prelude::window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
            }
        }
        screen.remove();
    }
    if let Some(boot) = document.get_element_by_id(BOOT_ELEMENT_ID) {
        boot.remove();
    }
    leptos::mount::mount_to_body(move || leptos::view! { <app::App store=store/> });
    if typed_into_search {
        let input = document.get_element_by_id("search-input").and_then(|input| input.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = input {
            let _ = input.focus();
        }
    }
}

/// Runs `work` in a task of its own, after what is queued now. A browser that refuses the timer (none does
/// while the page is open) gets the work at once, as one longer task.
fn in_a_task_of_its_own(work: impl FnOnce() + 'static) {
    let work = std::rc::Rc::new(std::cell::Cell::new(Some(work)));
    let later = work.clone();
    let scheduled = leptos::prelude::set_timeout(move || later.take().into_iter().for_each(|work| work()), std::time::Duration::ZERO);
    if scheduled.is_err() {
        work.take().into_iter().for_each(|work| work());
    }
}

/// Runs `work` before the browser's next paint, outside whatever reactive read is running now. A browser that
/// refuses the frame (none does while the page is open) is told on the console, so the work is not dropped
/// without a word.
pub fn on_next_frame(work: impl FnOnce() + 'static) {
    if let Err(error) = leptos::prelude::request_animation_frame(work) {
        web_sys::console::warn_2(&JsValue::from_str("the browser refused a frame; the work waiting for it was not done"), &error);
    }
}

/// Runs `work` once the browser has painted the next frame: for work that would force a layout of what was
/// just drawn (a focus) and can wait until the reader sees it, so that drawing and laying out are not one long
/// task on a slow phone.
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    on_next_frame(move || {
        // A timer set during the frame's callbacks fires after the frame is painted.
        if let Err(error) = leptos::prelude::set_timeout(work, std::time::Duration::ZERO) {
            web_sys::console::warn_2(&JsValue::from_str("the browser refused a timer; the work waiting for the paint was not done"), &error);
        }
    });
}
