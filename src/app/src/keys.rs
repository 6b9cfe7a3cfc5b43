//! Keyboard rules shared by the components that listen on the whole page.

use wasm_bindgen::JsCast;

/// Whether a key press is typing into a field (a text box, a text area, a list box), where page shortcuts
/// such as `/` and Escape must not fire.
pub fn typing_in_a_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Moves the focus to the first element matching `selector` inside `root` (the document if `None`); whether
/// there was one.
pub fn focus_first(root: Option<&web_sys::Element>, selector: &str) -> bool {
    let found = match root {
        Some(root) => root.query_selector(selector).ok().flatten(),
        None => leptos::prelude::document().query_selector(selector).ok().flatten(),
    };
    found.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|element| element.focus().is_ok())
}
