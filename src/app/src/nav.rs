//! The hash router: the view state lives in `location.hash` (see `sahifa_core::route`), so links work on any
//! static host and under any sub-path, and the server never needs a rewrite rule.

use leptos::prelude::*;
use sahifa_core::route::ViewState;
use wasm_bindgen::JsValue;

/// The current view, kept in step with the address bar.
#[derive(Clone, Copy)]
pub struct Router {
    pub state: RwSignal<ViewState>,
}

impl Router {
    /// Reads the current hash and follows later changes (links, back and forward buttons).
    pub fn from_location() -> Router {
        let state = RwSignal::new(ViewState::from_hash(&current_hash()));
        let handle = window_event_listener(leptos::ev::hashchange, move |_| {
            let next = ViewState::from_hash(&current_hash());
            if state.get_untracked() != next {
                state.set(next);
            }
        });
        // The router lives as long as the page; so does its listener.
        std::mem::forget(handle);
        Router { state }
    }

    /// A router that stays at `state`, for drawing a view at build time.
    pub fn fixed(state: ViewState) -> Router {
        Router { state: RwSignal::new(state) }
    }

    /// Goes to `next`, adding a history entry so the back button returns here.
    pub fn push(&self, next: ViewState) {
        let hash = next.to_hash();
        self.state.set(next);
        let _ = window().location().set_hash(&hash);
    }

    /// Goes to `next` without a history entry: typing a query must not fill the history with every letter.
    pub fn replace(&self, next: ViewState) {
        let hash = next.to_hash();
        self.state.set(next);
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
        }
    }
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}
