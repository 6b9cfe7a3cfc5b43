//! The page's side of the search worker (`public/search-worker.js`): search runs there, in the search
//! package, so the page's thread never blocks on it. The worker starts the first time search is needed (the
//! search box focused, a key pressed, a URL with a query), and the package downloads then, not with the app.

use futures::channel::oneshot;
use futures::future::{FutureExt, LocalBoxFuture};
use crate::data::{LoadError, Store};
use sahifa_core::bundle::FacetValue;
use sahifa_core::offline::{BUNDLE_FOLDER, SEARCH_PACKAGE_WASM, SEARCH_WORKER_SCRIPT};
use sahifa_core::route::{Sort, ViewState};
use sahifa_core::view::{Facets, ListResult, Listed};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// A query's list as the worker is asked for it: the address's query, filters and order, with a date range
/// as the documents it spans (the page finds them from the segments' day counts).
#[derive(Clone, Debug, PartialEq)]
pub struct ListRequest {
    pub query: String,
    pub outlet: Option<String>,
    pub year: Option<u16>,
    pub month: Option<u8>,
    pub span: Option<(u32, u32)>,
    pub sort: Option<Sort>,
}

impl ListRequest {
    pub fn new(state: &ViewState, span: Option<(u32, u32)>) -> Self {
        ListRequest { query: state.query.clone(), outlet: state.outlet.clone(), year: state.year, month: state.month, span, sort: state.sort }
    }

    /// Whether the list is the search's hits in the search's own order (no filter, by relevance), so its first
    /// places are the search's first hits.
    pub fn lists_in_search_order(&self) -> bool {
        self.outlet.is_none() && self.year.is_none() && self.month.is_none() && self.span.is_none() && matches!(self.sort, None | Some(Sort::Relevance))
    }
}

/// What the worker answers a list request: the view `list_view` would give on the page, computed there.
pub type Answer = Result<ListResult, LoadError>;
/// What it answers a word being typed: the archive's words that complete it, with how many articles hold each.
pub type Completions = Result<Vec<(String, u32)>, LoadError>;
/// An answer on its way; `None` if the request was cancelled or superseded.
pub type Pending<T> = LocalBoxFuture<'static, Option<T>>;

struct Client {
    worker: Worker,
    /// The worker's message for each request still waiting, or its error.
    pending: HashMap<u32, oneshot::Sender<Result<JsValue, LoadError>>>,
    /// For list requests that asked for their first places early: where those go, if they come.
    firsts: HashMap<u32, oneshot::Sender<FirstPlaces>>,
    next_id: u32,
    /// Whether the worker has been given the entry files the page holds (`Store::entry_files`).
    handed_over: bool,
    /// Kept alive as long as the worker.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Starts the worker if it is not running, so its package is downloading before the first query.
pub fn warm_up() {
    CLIENT.with(|client| {
        if client.borrow().is_some() {
            return;
        }
        match start() {
            Ok(started) => *client.borrow_mut() = Some(started),
            Err(error) => web_sys::console::error_1(&error),
        }
    });
}

fn start() -> Result<Client, JsValue> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(SEARCH_WORKER_SCRIPT, &options)?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| answer(event.data()));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|event: web_sys::ErrorEvent| fail_all(event.message()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    hand_over_package(worker.clone());
    Ok(Client { worker, pending: HashMap::new(), firsts: HashMap::new(), next_id: 0, handed_over: false, _on_message: on_message })
}

/// Downloads the search package's wasm and hands it to `worker` (its buffer moved, not copied): asked for by
/// the page in the same moment as the worker's script, it arrives a round trip sooner than if the worker asked
/// once its script had run. A failed download is handed over too, as the reason, which the worker's searches
/// report.
fn hand_over_package(worker: Worker) {
    wasm_bindgen_futures::spawn_local(async move {
        let downloaded = async {
            let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
            let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(SEARCH_PACKAGE_WASM)).await?.dyn_into()?;
            if !response.ok() {
                return Err(JsValue::from_str(&format!("{SEARCH_PACKAGE_WASM}: HTTP {}", response.status())));
            }
            wasm_bindgen_futures::JsFuture::from(response.array_buffer()?).await
        };
        let posted = match downloaded.await {
            Ok(buffer) => message(&[("packageWasm", buffer.clone())]).map(|message| worker.post_message_with_transfer(&message, &js_sys::Array::of1(&buffer))),
            Err(error) => message(&[("packageError", JsValue::from_str(&format!("{error:?}")))]).map(|message| worker.post_message(&message)),
        };
        if let Ok(Err(error)) = posted {
            web_sys::console::error_1(&error);
        }
    });
}

/// A list asked of the worker: its request's id, its answer, and its first places when they come early.
pub struct Listing {
    pub id: u32,
    pub answer: Pending<Answer>,
    /// The list's first `first` places, when the worker can tell them before the rest (a frequent word's
    /// leaders settle them, or a phrase is checked on its best candidates); `None` when it cannot, or once the
    /// whole answer has come.
    pub first: Pending<FirstPlaces>,
}

/// A list's first places, sent ahead of it, and how many places it has at least (told by the dictionary, or
/// found by the phrase's check).
#[derive(Clone, Debug, PartialEq)]
pub struct FirstPlaces {
    pub docs: Vec<u32>,
    pub at_least: u32,
}

/// Asks the worker for the list `request` describes: the listed documents in the list's order, the facet
/// counts, and the outlet-column blocks the outlet counts still wait for (then they are empty); with `wait`,
/// the worker fetches those blocks first and answers with every count. With `first` above 0 (for a list in
/// the search's own order), the worker may send that many first places ahead of the answer; with `hold` too,
/// it then reads no more until [`proceed`] asks for the rest.
pub fn list(request: &ListRequest, wait: bool, first: usize, hold: bool, store: Store) -> Result<Listing, LoadError> {
    let view = message(&[
        ("query", JsValue::from_str(&request.query)),
        ("outlet", request.outlet.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str)),
        ("year", request.year.map_or(JsValue::UNDEFINED, JsValue::from)),
        ("month", request.month.map_or(JsValue::UNDEFINED, JsValue::from)),
        ("span", request.span.map_or(JsValue::UNDEFINED, |(start, end)| js_sys::Array::of2(&start.into(), &end.into()).into())),
        ("sort", request.sort.map_or(JsValue::UNDEFINED, |sort| JsValue::from_str(sort.key()))),
    ])?;
    let fields = [("view", view.into()), ("wait", JsValue::from_bool(wait)), ("first", JsValue::from(first as u32)), ("hold", JsValue::from_bool(hold))];
    let (id, receiver) = post(&fields, store)?;
    let (first_sender, first_receiver) = oneshot::channel();
    if first > 0 {
        CLIENT.with(|client| client.borrow_mut().as_mut().map(|client| client.firsts.insert(id, first_sender)));
    }
    let first = first_receiver.map(Result::ok);
    let answer = async move {
        let data = receiver.await.ok()?;
        Some(data.map(|data| {
            // One copy out of the typed array: reading a million numbers one by one across the boundary was a
            // long task on the page's thread.
            let docs = field(&data, "docs").dyn_into::<js_sys::Uint32Array>().map(|docs| docs.to_vec()).unwrap_or_default();
            let facets = field(&data, "facets");
            let facets = Facets { outlets: facet_values(&field(&facets, "outlets")), years: facet_values(&field(&facets, "years")), months: facet_values(&field(&facets, "months")) };
            let pending = pairs(&field(&data, "pending")).filter_map(|(segment, number)| Some((segment.as_f64()? as usize, number.as_f64()? as u32))).collect();
            ListResult { listed: Listed::Picked(docs), facets, pending }
        }))
    };
    Ok(Listing { id, answer: answer.boxed_local(), first: first.boxed_local() })
}

/// `[value, count]` pairs as facet values.
fn facet_values(pairs_of: &JsValue) -> Vec<FacetValue> {
    pairs(pairs_of).filter_map(|(value, count)| Some(FacetValue { value: value.as_string()?, count: count.as_f64()? as u32 })).collect()
}

/// The two-element arrays of a JavaScript array; nothing for anything else.
fn pairs(value: &JsValue) -> impl Iterator<Item = (JsValue, JsValue)> {
    let items = if js_sys::Array::is_array(value) { js_sys::Array::from(value) } else { js_sys::Array::new() };
    items.into_iter().map(|pair| {
        let pair = js_sys::Array::from(&pair);
        (pair.get(0), pair.get(1))
    })
}

/// Asks the worker for the words that complete the last word of `query` while it is typed.
pub fn complete(query: &str, store: Store) -> Result<(u32, Pending<Completions>), LoadError> {
    let (id, receiver) = post(&[("complete", JsValue::from_str(query))], store)?;
    let answer = async move {
        let data = receiver.await.ok()?;
        Some(data.map(|data| pairs(&field(&data, "words")).filter_map(|(word, articles)| Some((word.as_string()?, articles.as_f64()? as u32))).collect()))
    };
    Ok((id, answer.boxed_local()))
}

/// Posts a request with a new id and the bundle's folder; the first one the page can, also with the entry files
/// it holds, so the worker opens the archive without fetching them again.
fn post(fields: &[(&str, JsValue)], store: Store) -> Result<(u32, oneshot::Receiver<Result<JsValue, LoadError>>), LoadError> {
    warm_up();
    let (sender, receiver) = oneshot::channel();
    CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        let client = client.as_mut().ok_or_else(|| LoadError::Search.noting("the search worker did not start"))?;
        let id = client.next_id;
        client.next_id += 1;
        let mut all = vec![("id", JsValue::from(id)), ("bundle", JsValue::from_str(BUNDLE_FOLDER))];
        all.extend(fields.iter().cloned());
        if !client.handed_over {
            let entry = store.entry_files();
            client.handed_over = !entry.is_empty();
            if client.handed_over {
                all.push(("entry", entry_message(entry)));
            }
        }
        let message = message(&all)?;
        client.worker.post_message(&message).map_err(|error| LoadError::Search.noting(format_args!("posting to the search worker: {error:?}")))?;
        client.pending.insert(id, sender);
        Ok((id, receiver))
    })
}

/// Entry files as the worker takes them: `[path, Uint8Array]` pairs.
fn entry_message(files: Vec<(String, Vec<u8>)>) -> JsValue {
    files
        .into_iter()
        .map(|(path, bytes)| js_sys::Array::of2(&JsValue::from_str(&path), &js_sys::Uint8Array::from(bytes.as_slice())))
        .collect::<js_sys::Array>()
        .into()
}

fn field(data: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Tells the worker that the reader wants the rest of list `id`, which it holds after its first places.
/// Nothing happens if it holds no such list (answered, superseded, or asked for already).
pub fn proceed(id: u32) {
    CLIENT.with(|client| {
        let client = client.borrow();
        let Some(client) = client.as_ref() else { return };
        if client.pending.contains_key(&id) {
            if let Ok(message) = message(&[("id", JsValue::from(id)), ("proceed", JsValue::TRUE)]) {
                let _ = client.worker.post_message(&message);
            }
        }
    });
}

/// Tells the worker that the answer to query `id` is no longer wanted: it stops fetching for it, and the
/// page stops waiting. Nothing happens if it was answered already.
pub fn cancel(id: u32) {
    CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        let Some(client) = client.as_mut() else { return };
        client.firsts.remove(&id);
        if client.pending.remove(&id).is_some() {
            if let Ok(message) = message(&[("id", JsValue::from(id)), ("cancel", JsValue::TRUE)]) {
                let _ = client.worker.post_message(&message);
            }
        }
    });
}

fn message(fields: &[(&str, JsValue)]) -> Result<js_sys::Object, LoadError> {
    let message = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&message, &JsValue::from_str(key), value).map_err(|error| LoadError::Search.noting(format_args!("{error:?}")))?;
    }
    Ok(message)
}

fn answer(data: JsValue) {
    let Some(id) = field(&data, "id").as_f64().map(|id| id as u32) else { return };
    // A list's first places, ahead of its answer.
    if let Ok(first) = field(&data, "first").dyn_into::<js_sys::Uint32Array>() {
        if let Some(ms) = field(&data, "ms").as_f64() {
            record_search_time(ms);
        }
        let sender = CLIENT.with(|client| client.borrow_mut().as_mut().and_then(|client| client.firsts.remove(&id)));
        if let Some(sender) = sender {
            let at_least = field(&data, "atLeast").as_f64().map_or(0, |count| count as u32);
            let _ = sender.send(FirstPlaces { docs: first.to_vec(), at_least });
        }
        return;
    }
    // Whatever else comes for a request ends its wait for first places.
    CLIENT.with(|client| client.borrow_mut().as_mut().map(|client| client.firsts.remove(&id)));
    if field(&data, "superseded").is_truthy() {
        // A newer query replaced this one; the page dropped its interest already.
        let sender = CLIENT.with(|client| client.borrow_mut().as_mut().and_then(|client| client.pending.remove(&id)));
        drop(sender);
        return;
    }
    if field(&data, "restart").is_truthy() {
        // The worker's search package failed to start (its download failed, or its bytes were damaged): every
        // waiting query fails with the reason, and the next one starts a new worker, which downloads it again.
        let error = field(&data, "error").as_string().unwrap_or_default();
        fail_all(format!("the search package did not start: {error}"));
        return;
    }
    let answer = match field(&data, "error").as_string() {
        // The package's message names the file and the host's answer, for whoever looks into it; the reader
        // gets a sentence in Arabic.
        Some(error) => Err(LoadError::Search.noting(format_args!("the search failed: {error}"))),
        None => {
            if let Some(ms) = field(&data, "ms").as_f64() {
                record_search_time(ms);
            }
            Ok(data)
        }
    };
    let sender = CLIENT.with(|client| client.borrow_mut().as_mut().and_then(|client| client.pending.remove(&id)));
    if let Some(sender) = sender {
        let _ = sender.send(answer);
    }
}

/// The worker failed to start, crashed, or could not start its package: it goes, every waiting query fails,
/// and the next one starts a new worker.
fn fail_all(reason: String) {
    let Some(client) = CLIENT.with(|client| client.borrow_mut().take()) else { return };
    client.worker.terminate();
    for (_, sender) in client.pending {
        let _ = sender.send(Err(LoadError::Search.noting(format_args!("the search worker stopped: {reason}"))));
    }
}

/// Leaves the last answer's compute time in the worker (everything it needed already loaded; a list's first
/// places count as an answer, and its whole list, when it comes, as the next) on `window.__sahifaSearchMs`,
/// where the scale benchmark reads it to separate computing from downloading.
fn record_search_time(milliseconds: f64) {
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__sahifaSearchMs".into(), &milliseconds.into());
}
