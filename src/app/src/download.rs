//! Files the reader takes away: the shelf and exported result sets, offered as downloads.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `text` as a file download, through a blob address (allowed by the CSP: no fetch, no script).
pub fn download_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(link) = document().create_element("a").ok().and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The page's address without its `#…`: what links to an article in this archive start with.
pub fn page_address() -> String {
    window().location().href().ok().map(|href| href.split('#').next().unwrap_or_default().to_owned()).unwrap_or_default()
}
