//! The viewer's own call: a query's whole list, filtered, ordered and counted here in the worker, so that the
//! page's thread only draws it. At a million articles a frequent word's prefix lists most of the archive, and
//! counting its outlets, years and months on the page was a long task for every letter typed.

use crate::{find, from_js, limit_of, listed, signal_of, sort_of, to_js, Archive, Counts, FacetCounts, State};
use js_sys::Promise;
use sahifa_core::route::ViewState;
use sahifa_core::search::Query;
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

/// What `view` accepts: the viewer's filters, with a date range already turned into the documents it spans
/// (the page knows the segments' day counts, and says when a bundle has none).
#[derive(Default, Deserialize)]
#[serde(default)]
struct ViewOptions {
    outlet: Option<String>,
    year: Option<u16>,
    month: Option<u8>,
    /// Documents `start..end`, the date range's.
    span: Option<(u32, u32)>,
    /// `"relevance"`, `"newest"` or `"oldest"`; relevance by default.
    sort: Option<String>,
    /// Whether to answer only with every outlet count (fetching the outlet columns it needs) or at once.
    wait: bool,
}

#[wasm_bindgen]
impl Archive {
    /// For the viewer: what its list shows for a query, `{ docs, facets, pending, ms }`. `docs` is a
    /// `Uint32Array` of the listed articles' places in the archive's order, filtered and in the order asked
    /// for; `facets` is `{ outlets, years, months }` as `[value, count]` pairs; `pending` lists the outlet-column
    /// blocks (`[segment, number]`) the outlet counts still wait for (then `outlets` is empty), which
    /// `options.wait` fetches before answering. `options`: `{ outlet, year, month, span: [start, end], sort,
    /// wait, signal }`. The query's hits are kept for the next call with the same query, so a change of
    /// filter, order or `wait` searches nothing again.
    pub fn view(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let signal = signal_of(&options);
        future_to_promise(async move {
            let options: ViewOptions = if options.is_object() { from_js(&options)? } else { ViewOptions::default() };
            view(&state, query, options, signal.as_ref()).await.map_err(|message| crate::js_error(&message))
        })
    }

    /// For the viewer, before `view` on a list in the search's own order (no filter, relevance): the first
    /// `options.limit` places of a query's list, `{ docs, atLeast, ms }` (`docs` a `Uint32Array`, `atLeast` how
    /// many places the whole list has at least, `ms` the time spent computing), when they can be told before
    /// `view` reads the rest and spare enough of what it reads (`rank::EARLY_ANSWER_LEAST_SAVED`): a frequent
    /// word's leaders that settle them, or a phrase checked on its best candidates alone; `null` when they do
    /// not, or when too little would be saved (or nothing: the query is the one `view` answered last, whose
    /// hits it keeps). The page shows them while
    /// `view` reads the rest and counts it, or until the reader wants the rest. `options`: `{ limit, signal }`.
    #[wasm_bindgen(js_name = viewFirst)]
    pub fn view_first(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let signal = signal_of(&options);
        let limit = limit_of(&options, 0);
        future_to_promise(async move {
            let query = Query::parse(&query);
            if state.borrow().viewed.as_ref().is_some_and(|(viewed, _, _)| *viewed == query) {
                return Ok(JsValue::NULL);
            }
            let (first, ms) = crate::timed(&state, |catalog| catalog.early_first_hits(&query, limit, sahifa_core::search::rank::EARLY_ANSWER_LEAST_SAVED), signal.as_ref()).await.map_err(|message| crate::js_error(&message))?;
            let Some(first) = first else { return Ok(JsValue::NULL) };
            let answer = js_sys::Object::new();
            let docs = js_sys::Uint32Array::from(first.hits.iter().map(|hit| hit.doc).collect::<Vec<u32>>().as_slice());
            for (key, value) in [("docs", JsValue::from(docs)), ("atLeast", JsValue::from(first.at_least)), ("ms", JsValue::from_f64(ms))] {
                js_sys::Reflect::set(&answer, &JsValue::from_str(key), &value)?;
            }
            Ok(answer.into())
        })
    }
}

async fn view(state: &Rc<RefCell<State>>, text: String, options: ViewOptions, signal: Option<&AbortSignal>) -> Result<JsValue, String> {
    let query = Query::parse(&text);
    let sort = sort_of(options.sort.as_deref())?;
    let (docs, ms) = hits_of(state, &query, signal).await?;
    let view = ViewState { query: text, outlet: options.outlet, year: options.year, month: options.month, sort, ..ViewState::default() };
    let counts = if options.wait { Counts::Wait } else { Counts::Later };
    let list = listed(state, Some(&docs), &view, options.span, counts, signal).await?;
    let listed_docs: Vec<u32> = match list.listed {
        sahifa_core::view::Listed::Picked(docs) => docs,
        other => other.docs(usize::MAX),
    };
    let answer = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&answer, &JsValue::from_str(key), value).map(|_| ()).map_err(|error| format!("{error:?}"));
    set("docs", &js_sys::Uint32Array::from(listed_docs.as_slice()))?;
    set("facets", &to_js(&FacetCounts::from(list.facets)).map_err(|error| format!("{error:?}"))?)?;
    set("pending", &to_js(&list.pending).map_err(|error| format!("{error:?}"))?)?;
    set("ms", &JsValue::from_f64(ms))?;
    Ok(answer.into())
}

/// The query's documents, best first, and the search's time: kept from the last call when the query is the
/// same.
async fn hits_of(state: &Rc<RefCell<State>>, query: &Query, signal: Option<&AbortSignal>) -> Result<(Rc<Vec<u32>>, f64), String> {
    if let Some((viewed, docs, ms)) = &state.borrow().viewed {
        if viewed == query {
            return Ok((docs.clone(), *ms));
        }
    }
    let (hits, ms) = find(state, query, signal).await?;
    let docs = Rc::new(hits.iter().map(|hit| hit.doc).collect::<Vec<u32>>());
    state.borrow_mut().viewed = Some((query.clone(), docs.clone(), ms));
    Ok((docs, ms))
}
