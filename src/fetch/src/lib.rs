//! Fetching bundle files in a browser, from a page or a worker: whole files, or the piece of one a ranged
//! request names (`sahifa_core::bundle::ranged`) with an HTTP `Range` header (a host that ignores the range
//! sends the whole file, and the piece is cut from it here). The viewer and the search package both fetch
//! through here, so they agree on what a damaged answer is and on what is tried again:
//! - a request that got no answer at all (a connection dropped as a phone changes cells, a host that reset
//!   it) is sent once more after a short pause, before the reader is told;
//! - a file that came damaged (a web page where the file belongs, a piece of another length, bytes a decoder
//!   refused: `mark_damaged`) is fetched past the browser's and the service worker's caches the next time,
//!   which would otherwise hand every retry the same bytes.

use js_sys::{Promise, Uint8Array};
use sahifa_core::bundle::split_request;
use std::cell::RefCell;
use std::collections::HashSet;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestCache, RequestInit, Response, Window, WorkerGlobalScope};

/// Why a file could not be fetched, with the file, for developers; each reader turns it into its own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No answer, twice: the network is down or the host unreachable.
    Offline { url: String },
    /// The host answered with an error status.
    Status { url: String, status: u16 },
    /// The answer stopped before its end.
    Cut { url: String },
    /// An answer that is not the file: a web page where it belongs, or a piece of another length than asked.
    Damaged { url: String, why: String },
    /// The caller's `AbortSignal` fired: nobody wants the answer any more.
    Aborted,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Offline { url } => write!(f, "the archive could not be reached ({url})"),
            FetchError::Status { url, status } => write!(f, "{url} answered {status}"),
            FetchError::Cut { url } => write!(f, "{url} stopped before its end"),
            FetchError::Damaged { url, why } => write!(f, "{url} is not the file it should be: {why}"),
            FetchError::Aborted => f.write_str("the fetch was aborted"),
        }
    }
}

/// How long to wait before sending again a request that got no answer: long enough for a dropped
/// connection to be opened anew, short against what a reader waits for an error.
const RETRY_PAUSE_MS: i32 = 300;

/// Fetches `request` (a bundle path, or `path#offset+len`) relative to `base`, the bundle folder's URL (empty
/// for the page's own). An aborted `signal` stops it.
pub async fn fetch_bytes(base: &str, request: &str, signal: Option<&AbortSignal>) -> Result<Vec<u8>, FetchError> {
    match fetch_once(base, request, signal).await {
        Err(FetchError::Offline { .. }) => {
            sleep(RETRY_PAUSE_MS).await;
            fetch_once(base, request, signal).await
        }
        answer => answer,
    }
}

async fn fetch_once(base: &str, request: &str, signal: Option<&AbortSignal>) -> Result<Vec<u8>, FetchError> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(FetchError::Aborted);
    }
    let (path, range) = split_request(request);
    let url = format!("{base}{path}");
    if range.is_some_and(|(_, len)| len == 0) {
        return Ok(Vec::new());
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_signal(signal);
    let reload = DAMAGED.with(|damaged| damaged.borrow().contains(path));
    if reload {
        init.set_cache(RequestCache::Reload);
    }
    let offline = || FetchError::Offline { url: url.clone() };
    let fetch_request = Request::new_with_str_and_init(&url, &init).map_err(|_| offline())?;
    if let Some((offset, len)) = range {
        let _ = fetch_request.headers().set("Range", &format!("bytes={offset}-{}", offset + len - 1));
    }
    let aborted_or = |error: FetchError| if signal.is_some_and(AbortSignal::aborted) { FetchError::Aborted } else { error };
    let response: Response =
        JsFuture::from(global_fetch(&fetch_request)).await.map_err(|_| aborted_or(offline()))?.dyn_into().map_err(|_| offline())?;
    let status = response.status();
    if !response.ok() {
        return Err(FetchError::Status { url, status });
    }
    if let Some(content_type) = response.headers().get("content-type").ok().flatten().filter(|content_type| sahifa_core::bundle::is_web_page(content_type)) {
        mark_damaged(request);
        return Err(FetchError::Damaged { url, why: format!("the host answered a web page ({content_type})") });
    }
    let cut = || FetchError::Cut { url: url.clone() };
    let buffer = response.array_buffer().map_err(|_| cut())?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| aborted_or(cut()))?;
    let body = Uint8Array::new(&buffer).to_vec();
    if reload {
        DAMAGED.with(|damaged| damaged.borrow_mut().remove(path));
    }
    let Some((offset, len)) = range else { return Ok(body) };
    let piece = if status == 206 { Some(body) } else { body.get(offset as usize..(offset + len) as usize).map(<[u8]>::to_vec) };
    piece.filter(|piece| piece.len() as u64 == len).ok_or_else(|| {
        mark_damaged(request);
        FetchError::Damaged { url, why: format!("the piece at {offset}+{len} arrived with another length") }
    })
}

thread_local! {
    /// Files found damaged, fetched past the caches the next time.
    static DAMAGED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// Notes that the file of `request` came damaged, so that it is fetched afresh next time.
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

/// Resolves after `ms` milliseconds, in a page or a worker.
async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let _ = match global.dyn_ref::<Window>() {
            Some(window) => window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms),
            None => global.unchecked_into::<WorkerGlobalScope>().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms),
        };
    });
    let _: Result<JsValue, JsValue> = JsFuture::from(promise).await;
}
