//! The package's side of fetching: the shared fetcher (`sahifa_fetch`, which the viewer uses too), its errors
//! as the messages the package's promises reject with.

use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

pub use sahifa_fetch::mark_damaged;

/// The message of a search stopped by its caller's `AbortSignal`; the promise rejects with an `AbortError`.
pub const ABORTED: &str = "the search was aborted";

/// Fetches `request` (a bundle path, or `path#offset+len`) relative to `base`, the bundle folder's URL; an
/// aborted `signal` stops it. The error is the message for developers the package rejects with.
pub async fn fetch_bytes(base: &str, request: &str, signal: Option<&AbortSignal>) -> Result<Vec<u8>, String> {
    sahifa_fetch::fetch_bytes(base, request, signal).await.map_err(|error| match error {
        sahifa_fetch::FetchError::Aborted => ABORTED.to_owned(),
        other => other.to_string(),
    })
}

/// A JS error value for a message; a search stopped by its signal rejects with an `AbortError`, as `fetch` does.
pub fn js_error(message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    if message == ABORTED {
        error.set_name("AbortError");
    }
    error.into()
}
