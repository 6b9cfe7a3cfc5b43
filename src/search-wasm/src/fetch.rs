//! Fetching bundle files from a page or a worker: whole files, or the piece of one a ranged request names
//! (`sahifa_core::bundle::ranged`), with an HTTP `Range` header. A host that ignores the range sends the
//! whole file, and the piece is cut from it here.

use js_sys::{Promise, Uint8Array};
use sahifa_core::bundle::split_request;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestCache, RequestInit, Response, Window, WorkerGlobalScope};

/// Why a file could not be fetched, with the file, for developers: the package's promises reject with it, and
/// the viewer turns a failed search into its own Arabic sentence (`LoadError::Search`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No answer: the network is down or the host unreachable.
    Offline,
    /// The host answered with an error status.
    Status { url: String, status: u16 },
    /// The answer stopped before its end, or a piece came with another length than asked.
    Broken { url: String },
    /// The caller's `AbortSignal` fired: nobody wants the answer any more.
    Aborted,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Offline => write!(f, "the archive could not be reached"),
            FetchError::Status { url, status } => write!(f, "{url} answered {status}"),
            FetchError::Broken { url } => write!(f, "{url} stopped before its end or came with another length than asked"),
            FetchError::Aborted => write!(f, "{ABORTED}"),
        }
    }
}

/// The message of a search stopped by its caller's `AbortSignal`; the promise rejects with an `AbortError`.
pub const ABORTED: &str = "the search was aborted";

/// Fetches `request` (a bundle path, or `path#offset+len`) relative to `base`, the bundle folder's URL; an
/// aborted `signal` stops it.
pub async fn fetch_bytes(base: &str, request: &str, signal: Option<&AbortSignal>) -> Result<Vec<u8>, FetchError> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(FetchError::Aborted);
    }
    let (path, range) = split_request(request);
    let url = format!("{base}{path}");
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_signal(signal);
    let reload = DAMAGED.with(|damaged| damaged.borrow().contains(path));
    if reload {
        init.set_cache(RequestCache::Reload);
    }
    let fetch_request = Request::new_with_str_and_init(&url, &init).map_err(|_| FetchError::Broken { url: url.clone() })?;
    if let Some((offset, len)) = range {
        if len == 0 {
            return Ok(Vec::new());
        }
        let _ = fetch_request.headers().set("Range", &format!("bytes={offset}-{}", offset + len - 1));
    }
    let aborted_or = |error: FetchError| if signal.is_some_and(AbortSignal::aborted) { FetchError::Aborted } else { error };
    let response: Response = JsFuture::from(global_fetch(&fetch_request))
        .await
        .map_err(|_| aborted_or(FetchError::Offline))?
        .dyn_into()
        .map_err(|_| FetchError::Offline)?;
    if !response.ok() {
        return Err(FetchError::Status { url, status: response.status() });
    }
    if response.headers().get("content-type").ok().flatten().is_some_and(|content_type| sahifa_core::bundle::is_web_page(&content_type)) {
        // A web page where the file belongs; the next fetch goes past the caches, which may hold the page.
        mark_damaged(request);
        return Err(FetchError::Broken { url });
    }
    let status = response.status();
    let buffer = response.array_buffer().map_err(|_| FetchError::Broken { url: url.clone() })?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| aborted_or(FetchError::Broken { url: url.clone() }))?;
    let body = Uint8Array::new(&buffer).to_vec();
    if reload {
        DAMAGED.with(|damaged| damaged.borrow_mut().remove(path));
    }
    let Some((offset, len)) = range else { return Ok(body) };
    let piece = if status == 206 { Some(body) } else { body.get(offset as usize..(offset + len) as usize).map(<[u8]>::to_vec) };
    piece.filter(|piece| piece.len() as u64 == len).ok_or(FetchError::Broken { url })
}

thread_local! {
    /// Files found damaged: the next fetch of each goes past the browser's and the service worker's caches,
    /// which would otherwise give the same bytes to every retry.
    static DAMAGED: std::cell::RefCell<std::collections::HashSet<String>> = std::cell::RefCell::new(std::collections::HashSet::new());
}

/// Notes that the file of `request` came damaged, so it is fetched afresh next time.
pub fn mark_damaged(request: &str) {
    let (path, _) = split_request(request);
    DAMAGED.with(|damaged| damaged.borrow_mut().insert(path.to_owned()));
}

/// `fetch` of whatever global this runs in: a page's window or a worker's scope.
fn global_fetch(request: &Request) -> Promise {
    let global = js_sys::global();
    match global.dyn_ref::<Window>() {
        Some(window) => window.fetch_with_request(request),
        None => global.unchecked_into::<WorkerGlobalScope>().fetch_with_request(request),
    }
}

/// A JS error value for a message; a search stopped by its signal rejects with an `AbortError`, as `fetch` does.
pub fn js_error(message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    if message == ABORTED {
        error.set_name("AbortError");
    }
    error.into()
}
