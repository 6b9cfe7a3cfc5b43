//! Sahifa's search for the browser, as a wasm-pack package any web page can use, and the engine the viewer
//! runs in its search worker. It opens a Sahifa bundle by its URL and searches it with the same normalizer,
//! ranking and highlighting as `sahifa search`, fetching only the pieces a query needs.
//!
//! ```js
//! import init, { Archive } from './sahifa_search.js';
//! await init();
//! const archive = await Archive.open('https://example.org/archive/data/');
//! const { total, hits, facets } = await archive.search('الأمن الوطني', { outlet: 'هسبريس', limit: 10 });
//! // hits: [{ doc, id, title: [{ text, hit }], excerpt: [{ text, hit }], outlet, published, score }]
//! const { hits: firstTen } = await archive.first('الأمن', { limit: 10 }); // no count: reads less
//! ```
//!
//! Everything here is an adapter: the rules are in `sahifa-core`; this crate fetches what its catalog asks for.

#![forbid(unsafe_code)]

mod fetch;
mod viewer;

pub use fetch::{fetch_bytes, js_error, ABORTED};

use js_sys::Promise;
use sahifa_core::bundle::{coalesce, part_of, read_manifest, row_of_piece, shards_read_whole, Catalog, FamilyKind, ListingShard, ManifestError, JOIN_GAP, MANIFEST_FILE};
use sahifa_core::route::{Sort, ViewState};
use sahifa_core::search::rank::Missing;
use sahifa_core::search::{Highlighter, Hit, Query, Segment};
use sahifa_core::view::{list_view, Facets, ListResult, OutletBlock};
use sahifa_core::Date;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

/// An open archive. Its methods return promises and may run at the same time; what one fetched, the others
/// reuse.
#[wasm_bindgen]
pub struct Archive {
    state: Rc<RefCell<State>>,
}

struct State {
    base: String,
    catalog: Catalog,
    listing: HashMap<String, Rc<ListingShard>>,
    /// Listing rows read alone (`Catalog::row_piece`), by global document, where their shards are not here.
    rows: HashMap<u32, sahifa_core::bundle::ListingRow>,
    outlets: HashMap<(usize, u32), Vec<u32>>,
    /// The last query the viewer listed, with its documents best first and the search's time: the viewer asks
    /// again for the same query when a filter or the order changes, and for the outlet counts that follow.
    viewed: Option<(Query, Rc<Vec<u32>>, f64)>,
}

/// What `search` accepts, all optional.
#[derive(Default, Deserialize)]
#[serde(default)]
struct SearchOptions {
    outlet: Option<String>,
    year: Option<u16>,
    /// A month (1 to 12) of `year`.
    month: Option<u8>,
    /// The first and last days of a date range, `YYYY-MM-DD`, either end open.
    from: Option<String>,
    to: Option<String>,
    /// `"relevance"`, `"newest"` or `"oldest"`; by default relevance with a query, newest without.
    sort: Option<String>,
    limit: Option<usize>,
    offset: usize,
}

/// The results of `search`.
#[derive(Serialize)]
struct SearchResults {
    /// How many articles match (with the filters).
    total: usize,
    hits: Vec<SearchHit>,
    facets: FacetCounts,
    /// Milliseconds the search itself took once every piece it needed was here.
    ms: f64,
}

/// The results of `first`.
#[derive(Serialize)]
struct FirstResults {
    hits: Vec<SearchHit>,
    /// Milliseconds the search itself took once every piece it needed was here.
    ms: f64,
}

#[derive(Serialize)]
struct SearchHit {
    /// The article's place in the archive's order (0 is the newest).
    doc: u32,
    id: String,
    title: Vec<Segment>,
    excerpt: Vec<Segment>,
    outlet: Option<String>,
    published: Option<String>,
    score: Option<f32>,
}

#[derive(Serialize)]
struct FacetCounts {
    outlets: Vec<(String, u32)>,
    years: Vec<(String, u32)>,
    /// The months of `year`, when one is given.
    months: Vec<(String, u32)>,
}

impl From<Facets> for FacetCounts {
    fn from(Facets { outlets, years, months }: Facets) -> Self {
        let pairs = |values: Vec<sahifa_core::bundle::FacetValue>| values.into_iter().map(|value| (value.value, value.count)).collect();
        FacetCounts { outlets: pairs(outlets), years: pairs(years), months: pairs(months) }
    }
}

/// The order an option names (`"relevance"`, `"newest"` or `"oldest"`); `None` for the view's own.
fn sort_of(key: Option<&str>) -> Result<Option<Sort>, String> {
    key.map(|key| Sort::from_key(key).ok_or_else(|| format!("unknown sort {key:?}: relevance, newest or oldest"))).transpose()
}

/// The `[path, Uint8Array]` pairs of `options.files`; anything else in it is ignored.
fn given_files(options: &JsValue) -> Vec<(String, Vec<u8>)> {
    let files = js_sys::Reflect::get(options, &JsValue::from_str("files")).unwrap_or(JsValue::UNDEFINED);
    if !js_sys::Array::is_array(&files) {
        return Vec::new();
    }
    js_sys::Array::from(&files)
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            let bytes = pair.get(1).dyn_into::<js_sys::Uint8Array>().ok()?;
            Some((pair.get(0).as_string()?, bytes.to_vec()))
        })
        .collect()
}

/// `options.limit` as a count, or `default` when it is not a number (or `options` is not an object).
fn limit_of(options: &JsValue, default: usize) -> usize {
    js_sys::Reflect::get(options, &JsValue::from_str("limit")).ok().and_then(|limit| limit.as_f64()).map_or(default, |limit| limit as usize)
}

/// Completions offered when `limit` is not given.
const DEFAULT_COMPLETIONS: usize = 6;
/// Results shown when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

#[wasm_bindgen]
impl Archive {
    /// Opens the bundle whose folder is at `base` (a URL ending in `/`, absolute or relative to the page).
    /// `options.files`, if given, is a list of `[path, Uint8Array]`: entry files the caller has read already
    /// (the manifest, segment descriptors), used instead of fetching them again.
    pub async fn open(base: String, options: JsValue) -> Result<Archive, JsValue> {
        let base = if base.ends_with('/') { base } else { format!("{base}/") };
        let mut given = given_files(&options);
        let bytes = match given.iter().position(|(path, _)| path == MANIFEST_FILE) {
            Some(at) => given.swap_remove(at).1,
            None => fetch_bytes(&base, MANIFEST_FILE, None).await.map_err(|error| js_error(&error.to_string()))?,
        };
        let manifest = read_manifest(&bytes).map_err(|error| match error {
            ManifestError::UnsupportedVersion(_) | ManifestError::Unreadable(_) => js_error(&error.to_string()),
        })?;
        let mut catalog = Catalog::new(manifest).map_err(|error| js_error(&error.to_string()))?;
        for (path, bytes) in given {
            // A file the catalog refuses is fetched later like any other.
            if catalog.wants(&path) {
                let _ = catalog.provide(&path, bytes);
            }
        }
        let state = State { base, catalog, listing: HashMap::new(), rows: HashMap::new(), outlets: HashMap::new(), viewed: None };
        Ok(Archive { state: Rc::new(RefCell::new(state)) })
    }

    /// The archive at a glance: `{ articles, outlets: [[name, count]], years: [[year, count]] }`.
    pub fn info(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let manifest = state.catalog.manifest();
        let info = serde_json::json!({
            "articles": manifest.counts.articles,
            "outlets": manifest.outlets.iter().map(|o| (o.value.clone(), o.count)).collect::<Vec<_>>(),
            "years": manifest.years.iter().map(|y| (y.year, y.count)).collect::<Vec<_>>(),
        });
        to_js(&info)
    }

    /// Searches as the viewer does: every word required, the last one also as a prefix while typed,
    /// `"phrases"`, `-exclusions`. `options`: `{ outlet, year, month, from, to, sort, limit = 10, offset = 0,
    /// signal }` (`from` and `to` as `YYYY-MM-DD`). Resolves
    /// to `{ total, hits, facets, ms }`; an empty query lists the archive newest first. An `AbortSignal` as
    /// `signal` stops the search's fetches, and the promise rejects with an `AbortError`.
    pub fn search(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let signal = signal_of(&options);
        future_to_promise(async move {
            let options: SearchOptions = if options.is_undefined() || options.is_null() {
                SearchOptions::default()
            } else {
                from_js(&options)?
            };
            let results = search(&state, &query, options, signal.as_ref()).await.map_err(|message| js_error(&message))?;
            to_js(&results)
        })
    }

    /// Only the first results of `query` over the whole archive, best first, as `search` ranks them with no
    /// filter: `{ hits, ms }`, `hits` as `search` gives them. `options`: `{ limit = 10, signal }`. It counts
    /// nothing, so it reads less: a word held by many articles is answered from its leaders, its best
    /// postings, where they settle the first results (on a generated archive of a million articles, a
    /// frequent word's first ten read about 40 to 90 KB of the index where `search`, which counts every hit,
    /// reads 4 to 5 MB).
    pub fn first(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let signal = signal_of(&options);
        let limit = limit_of(&options, DEFAULT_LIMIT);
        future_to_promise(async move {
            let results = first(&state, &query, limit, signal.as_ref()).await.map_err(|message| js_error(&message))?;
            to_js(&results)
        })
    }

    /// Words of the archive that complete the last word of `query` while it is typed, most frequent first:
    /// `{ words: [[word, articles]] }` (in the index's normalized spelling). `options`: `{ limit = 6 }`. It
    /// downloads nothing: it answers from the dictionary blocks already here, which a search of the same text
    /// reads (a word not yet in the archive is expanded from them), and answers no words otherwise.
    pub fn complete(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let limit = limit_of(&options, DEFAULT_COMPLETIONS);
        future_to_promise(async move {
            let parsed = Query::parse(&query);
            let words = match parsed.typing() {
                Some(word) => state.borrow().catalog.completions(word, limit).unwrap_or_default(),
                None => Vec::new(),
            };
            to_js(&serde_json::json!({ "words": words }))
        })
    }

    /// Only the matching articles' places in the archive's order, best first, and the search's time:
    /// `{ docs, ms }`, `docs` a `Uint32Array`. The viewer lists and counts them itself. `options`: `{ signal }`,
    /// as for `search`. A frequent word matches most of a large archive: as a typed array the places cross into
    /// JavaScript in one copy, and a worker can hand them to the page without copying them again (its buffer
    /// transferred), where a JSON array of a million numbers took tens of milliseconds on each side.
    pub fn hits(&self, query: String, options: JsValue) -> Promise {
        let state = self.state.clone();
        let signal = signal_of(&options);
        future_to_promise(async move {
            let parsed = Query::parse(&query);
            let (hits, ms) = find(&state, &parsed, signal.as_ref()).await.map_err(|message| js_error(&message))?;
            let docs: Vec<u32> = hits.iter().map(|hit| hit.doc).collect();
            let answer = js_sys::Object::new();
            js_sys::Reflect::set(&answer, &JsValue::from_str("docs"), &js_sys::Uint32Array::from(docs.as_slice()))?;
            js_sys::Reflect::set(&answer, &JsValue::from_str("ms"), &JsValue::from_f64(ms))?;
            Ok(answer.into())
        })
    }
}

async fn search(state: &Rc<RefCell<State>>, text: &str, options: SearchOptions, signal: Option<&AbortSignal>) -> Result<SearchResults, String> {
    let query = Query::parse(text);
    let (hits, ms) = if query.is_empty() { (None, 0.0) } else { find(state, &query, signal).await.map(|(hits, ms)| (Some(hits), ms))? };
    let sort = sort_of(options.sort.as_deref())?;
    let day = |text: Option<String>, name: &str| -> Result<Option<Date>, String> {
        text.map(|text| Date::parse_iso(&text).map_err(|_| format!("{name}: {text:?} is not a date as YYYY-MM-DD"))).transpose()
    };
    let (from, to) = (day(options.from, "from")?, day(options.to, "to")?);
    let view = ViewState { query: text.to_owned(), outlet: options.outlet, year: options.year, month: options.month, from, to, sort, ..ViewState::default() };
    let dates = if from.is_some() || to.is_some() {
        Some(resolve(state, |catalog| catalog.date_span(from, to), signal).await?.ok_or("this bundle predates day counts: rebuild it to filter by date")?)
    } else {
        None
    };
    let docs: Option<Vec<u32>> = hits.as_ref().map(|hits| hits.iter().map(|hit| hit.doc).collect());
    let list = listed(state, docs.as_deref(), &view, dates, Counts::Wait, signal).await?;
    let limit = options.limit.unwrap_or(DEFAULT_LIMIT);
    let shown_docs: Vec<u32> = (options.offset..(options.offset + limit).min(list.listed.len())).map_while(|position| list.listed.doc_at(position)).collect();
    // The scores of the documents shown only: a map of every hit's cost a frequent word tens of milliseconds.
    let mut wanted = shown_docs.clone();
    wanted.sort_unstable();
    let scores: HashMap<u32, f32> = hits.iter().flatten().filter(|hit| wanted.binary_search(&hit.doc).is_ok()).map(|hit| (hit.doc, hit.score)).collect();
    let shown = cards(state, &query, shown_docs, &scores, signal).await?;
    Ok(SearchResults { total: list.listed.len(), hits: shown, facets: list.facets.into(), ms })
}

/// The hits shown for `docs`: each one's listing row, its title and excerpt marked where the query matches,
/// and its score where it has one.
async fn cards(state: &Rc<RefCell<State>>, query: &Query, docs: Vec<u32>, scores: &HashMap<u32, f32>, signal: Option<&AbortSignal>) -> Result<Vec<SearchHit>, String> {
    let highlighter = Highlighter::new(query);
    let rows = rows_of(state, &docs, signal).await?;
    Ok(docs
        .into_iter()
        .zip(rows)
        .map(|(doc, row)| SearchHit {
            doc,
            id: row.id.clone(),
            title: highlighter.segments(&row.title),
            excerpt: highlighter.segments(&row.excerpt),
            outlet: row.outlet.clone(),
            published: row.published.map(|date| date.to_string()),
            score: scores.get(&doc).copied(),
        })
        .collect())
}

/// The first `limit` hits of `text` over the whole archive, best first, and the search's time.
async fn first(state: &Rc<RefCell<State>>, text: &str, limit: usize, signal: Option<&AbortSignal>) -> Result<FirstResults, String> {
    let query = Query::parse(text);
    if query.is_empty() {
        return Ok(FirstResults { hits: Vec::new(), ms: 0.0 });
    }
    let (hits, ms) = timed(state, |catalog| catalog.search_first(&query, limit), signal).await?;
    let scores: HashMap<u32, f32> = hits.iter().map(|hit| (hit.doc, hit.score)).collect();
    let hits = cards(state, &query, hits.iter().map(|hit| hit.doc).collect(), &scores, signal).await?;
    Ok(FirstResults { hits, ms })
}

/// The query's hits, best first, and the milliseconds the last, complete computation took.
async fn find(state: &Rc<RefCell<State>>, query: &Query, signal: Option<&AbortSignal>) -> Result<(Vec<Hit>, f64), String> {
    timed(state, |catalog| catalog.search(query), signal).await
}

/// A search's answer, fetching what it lacks, and the milliseconds its last, complete computation took.
async fn timed<T>(state: &Rc<RefCell<State>>, ask: impl Fn(&Catalog) -> Result<T, Missing>, signal: Option<&AbortSignal>) -> Result<(T, f64), String> {
    // Between queries, so a long session's memory stays bounded.
    state.borrow_mut().catalog.trim_search(sahifa_core::bundle::SEARCH_CACHE_BYTES);
    let mut asked: HashSet<String> = HashSet::new();
    loop {
        let started = now_ms();
        let answer = ask(&state.borrow().catalog);
        match answer {
            Ok(answer) => return Ok((answer, now_ms() - started)),
            Err(missing) => learn(state, missing, &mut asked, signal).await?,
        }
    }
}

/// A clock for the search's own time: `performance.now()` where the page or worker has it (tenths of a
/// millisecond, where `Date.now()` counts whole ones and a search at 10k articles takes one or two).
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok().filter(JsValue::is_object);
    let now = performance.and_then(|performance| {
        let now = js_sys::Reflect::get(&performance, &JsValue::from_str("now")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        now.call0(&performance).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}

/// Asks the catalog until it answers, fetching what it lacks.
async fn resolve<T>(state: &Rc<RefCell<State>>, ask: impl Fn(&Catalog) -> Result<T, Missing>, signal: Option<&AbortSignal>) -> Result<T, String> {
    let mut asked: HashSet<String> = HashSet::new();
    loop {
        let answer = ask(&state.borrow().catalog);
        match answer {
            Ok(answer) => return Ok(answer),
            Err(missing) => learn(state, missing, &mut asked, signal).await?,
        }
    }
}

/// Fetches what the catalog named (all at once, neighbouring pieces of a pack in one request) and gives it to
/// the catalog. A file asked for again after it was given means a bundle that contradicts itself: an error, not
/// a loop.
async fn learn(state: &Rc<RefCell<State>>, missing: Missing, asked: &mut HashSet<String>, signal: Option<&AbortSignal>) -> Result<(), String> {
    // A piece asked for again is fine when the catalog dropped it meanwhile (another query trimmed the search
    // cache); asked for again while it still holds it, the bundle contradicts itself.
    let again = missing.iter().any(|request| !asked.insert(request.clone()) && !state.borrow().catalog.wants(request));
    if missing.is_empty() || again {
        return Err("the bundle is inconsistent: a file is asked for again after it was given".into());
    }
    let base = state.borrow().base.clone();
    let joined = coalesce(&missing, JOIN_GAP);
    let fetched = futures::future::join_all(joined.iter().map(|joined| fetch_bytes(&base, &joined.request, signal))).await;
    for (joined, answer) in joined.iter().zip(fetched) {
        let answer = answer.map_err(|error| error.to_string())?;
        for &(index, offset, len) in &joined.parts {
            let request = &missing[index];
            let bytes = part_of(&answer, offset, len).ok_or_else(|| format!("{} came shorter than asked", joined.request))?;
            let mut state = state.borrow_mut();
            if state.catalog.wants(request) {
                state.catalog.provide(request, bytes.to_vec()).map_err(|error| {
                    fetch::mark_damaged(request);
                    error.to_string()
                })?;
            }
        }
    }
    Ok(())
}

/// Whether `listed` waits for the outlet columns its facet counts need.
#[derive(Clone, Copy, PartialEq)]
enum Counts {
    Wait,
    /// Only for the columns the list itself needs (an outlet chosen): the counts may stay pending.
    Later,
}

/// What the view lists, with its facet counts: outlet columns are fetched until nothing is pending, or with
/// `Counts::Later` until the list stands.
async fn listed(state: &Rc<RefCell<State>>, hits: Option<&[u32]>, view: &ViewState, dates: Option<(u32, u32)>, counts: Counts, signal: Option<&AbortSignal>) -> Result<ListResult, String> {
    loop {
        let answer = {
            let state = state.borrow();
            let outlets_of = |docs: &[u32]| -> Result<Vec<u32>, Vec<OutletBlock>> {
                state.catalog.outlets_of_documents(docs, |segment, number| state.outlets.get(&(segment, number)).map(Vec::as_slice))
            };
            list_view(state.catalog.manifest(), hits, view, dates, &outlets_of)
        };
        let blocks = match answer {
            Ok(list) if list.pending.is_empty() || counts == Counts::Later => return Ok(list),
            Ok(list) => list.pending,
            Err(blocks) => blocks,
        };
        // Every block in one round: their descriptors and directory pages first (all at once), then the
        // blocks themselves side by side. One at a time, a frequent word's dozen blocks were a dozen rounds.
        let paths = resolve(state, |catalog| block_paths(catalog, &blocks), signal).await??;
        let base = state.borrow().base.clone();
        let fetched = futures::future::join_all(paths.iter().map(|(_, path)| fetch_bytes(&base, path, signal))).await;
        for ((block, path), bytes) in paths.iter().zip(fetched) {
            let bytes = bytes.map_err(|error| error.to_string())?;
            let column = state.borrow().catalog.outlet_block(block.0, block.1, &bytes).map_err(|error| {
                fetch::mark_damaged(path);
                error.to_string()
            })?;
            state.borrow_mut().outlets.insert(*block, column);
        }
    }
}

/// The file of each outlet-column block (a block numbered `u32::MAX` stands for its segment's descriptor,
/// which is all it needs), or everything the catalog lacks to name them; an error if a directory lacks one.
#[allow(clippy::type_complexity)]
fn block_paths(catalog: &Catalog, blocks: &[OutletBlock]) -> Result<Result<Vec<(OutletBlock, String)>, String>, Missing> {
    let mut paths = Vec::new();
    let mut missing = Missing::new();
    for &(segment, number) in blocks {
        let found = if number == u32::MAX { catalog.segment(segment).map(|_| None) } else { catalog.file(FamilyKind::Outlets, segment, number) };
        match found {
            Ok(Some(path)) => paths.push(((segment, number), path)),
            Ok(None) if number == u32::MAX => {}
            Ok(None) => return Ok(Err("an outlet column is missing from its directory".into())),
            Err(more) => {
                for request in more {
                    if !missing.contains(&request) {
                        missing.push(request);
                    }
                }
            }
        }
    }
    if missing.is_empty() { Ok(Ok(paths)) } else { Err(missing) }
}

/// Rows read alone kept at most; past it they are let go together (a row asked for again is read again).
const ROWS_KEPT: usize = 4096;

/// The listing rows of `docs`, in their order, read at once rather than one after another (a round trip
/// each, ten for a page of hits): first where each lies, then the shards that more than
/// `ROWS_ALONE_PER_SHARD` of them share (`shards_read_whole`; or that lay out no slots) whole, then every row
/// at once, each alone where its shard is not here. The whole shards are read one after another: a page of
/// ten hits holds at most two such shards, and reading them together cost the package 6 KB of code.
async fn rows_of(state: &Rc<RefCell<State>>, docs: &[u32], signal: Option<&AbortSignal>) -> Result<Vec<sahifa_core::bundle::ListingRow>, String> {
    let mut read_alone: Vec<String> = Vec::new();
    let mut whole: HashSet<String> = HashSet::new();
    for &doc in docs {
        let (path, _) = listing_place(state, doc, signal).await?;
        let here = {
            let state = state.borrow();
            state.listing.contains_key(&path) || state.rows.contains_key(&doc)
        };
        if here {
            continue;
        }
        if resolve(state, |catalog| catalog.row_piece(doc), signal).await?.is_some() {
            read_alone.push(path);
        } else {
            whole.insert(path);
        }
    }
    whole.extend(shards_read_whole(read_alone));
    for path in &whole {
        listing_shard(state, path, signal).await?;
    }
    futures::future::join_all(docs.iter().map(|&doc| row(state, doc, signal))).await.into_iter().collect()
}

/// The listing shard that holds global document `doc`, and the row's place in it.
async fn listing_place(state: &Rc<RefCell<State>>, doc: u32, signal: Option<&AbortSignal>) -> Result<(String, usize), String> {
    let at = resolve(state, |catalog| catalog.shard_of(FamilyKind::Listing, doc), signal).await?.ok_or("a hit past the archive's end")?;
    let path = resolve(state, |catalog| catalog.file(FamilyKind::Listing, at.segment, at.number), signal).await?.ok_or("a listing shard is missing from its directory")?;
    Ok((path, at.index as usize))
}

/// Listing shard `path`, fetched unless it is here, and kept.
async fn listing_shard(state: &Rc<RefCell<State>>, path: &str, signal: Option<&AbortSignal>) -> Result<Rc<ListingShard>, String> {
    if let Some(shard) = state.borrow().listing.get(path) {
        return Ok(shard.clone());
    }
    let base = state.borrow().base.clone();
    let bytes = fetch_bytes(&base, path, signal).await.map_err(|error| error.to_string())?;
    let shard: ListingShard = serde_json::from_slice(&bytes).map_err(|error| {
        fetch::mark_damaged(path);
        format!("{path}: {error}")
    })?;
    let shard = Rc::new(shard);
    state.borrow_mut().listing.insert(path.to_owned(), shard.clone());
    Ok(shard)
}

/// The listing row of global document `doc`.
async fn row(state: &Rc<RefCell<State>>, doc: u32, signal: Option<&AbortSignal>) -> Result<sahifa_core::bundle::ListingRow, String> {
    let (path, index) = listing_place(state, doc, signal).await?;
    let cached = state.borrow().listing.get(&path).cloned();
    if cached.is_none() {
        if let Some(row) = state.borrow().rows.get(&doc) {
            return Ok(row.clone());
        }
        // A hit's row alone, about 640 bytes, where its segment lays rows out in slots: a search's hits are
        // scattered, one or two to a shard of 128 rows (about 17 KB brotli).
        if let Some(piece) = resolve(state, |catalog| catalog.row_piece(doc), signal).await? {
            let base = state.borrow().base.clone();
            let bytes = fetch_bytes(&base, &piece, signal).await?;
            let row = row_of_piece(&piece, &bytes).map_err(|error| {
                fetch::mark_damaged(&piece);
                error.to_string()
            })?;
            let mut state = state.borrow_mut();
            if state.rows.len() >= ROWS_KEPT {
                state.rows.clear();
            }
            state.rows.insert(doc, row.clone());
            return Ok(row);
        }
    }
    let shard = match cached {
        Some(shard) => shard,
        None => listing_shard(state, &path, signal).await?,
    };
    shard.rows.get(index).cloned().ok_or_else(|| format!("{path} is short"))
}

/// The `signal` of a call's options, if it is an `AbortSignal`.
fn signal_of(options: &JsValue) -> Option<AbortSignal> {
    if !options.is_object() {
        return None;
    }
    js_sys::Reflect::get(options, &JsValue::from_str("signal")).ok()?.dyn_into::<AbortSignal>().ok()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|error| js_error(&error.to_string()))?;
    js_sys::JSON::parse(&text)
}

fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, JsValue> {
    let text: String = js_sys::JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|error| js_error(&format!("options: {error}")))
}
