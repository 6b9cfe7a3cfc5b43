//! Fetching the bundle and keeping what was fetched. Start-up loads the manifest only; the list then asks for
//! the segment descriptors, directory pages and listing shards of the rows on screen; the headlines follow;
//! the search index arrives file by file as queries ask for it; an article's shard only when it is opened.
//! Where every file is comes from the core's sans-IO [`Catalog`]: this module only fetches what it names.
//! Paths are relative to the page, so the app works under any sub-path.

use futures::future::{join_all, FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sahifa_core::bundle::outlets::decode_outlet_column;
use sahifa_core::bundle::{
    read_manifest, split_request, ArticleShard, Catalog, FamilyKind, Headline, HeadlinesFile, IdBucket, ListingRow, ListingShard, Manifest, ManifestError,
    MANIFEST_FILE,
};
use sahifa_core::search::rank::Missing;
use sahifa_core::search::{FieldIndex, Query, SearchIndex};
use sahifa_core::view::OutletBlock;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use sahifa_core::first_screen::EmbeddedFiles;
use sahifa_core::offline::BUNDLE_FOLDER;

/// Something being fetched: still coming, failed with a message for the reader, or here.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(T),
}

/// What start-up loads: the manifest, enough to size the list and show the facets.
#[derive(Debug, PartialEq)]
pub struct Library {
    pub manifest: Manifest,
}

/// The sidebar headlines, with their own small index built here (the same code the builder uses).
pub struct Headlines {
    pub headlines: Vec<Headline>,
    pub index: FieldIndex,
}

/// The hits of the latest query (the matching documents, best first), for the query they answer.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    pub query: Query,
    pub articles: Load<Arc<Vec<u32>>>,
}

/// File `number` of a family of segment `segment`.
pub type ShardKey = (usize, u32);

/// Shards of one family, by segment and number.
pub type Shards<T> = RwSignal<HashMap<ShardKey, Load<Arc<T>>>>;

/// The app's data, shared through context.
#[derive(Clone, Copy)]
pub struct Store {
    pub library: RwSignal<Load<Arc<Library>>>,
    /// The sidebar headlines load after the manifest, so they never delay the first screen.
    pub headlines: RwSignal<Load<Arc<Headlines>>>,
    pub listing: Shards<ListingShard>,
    pub articles: Shards<ArticleShard>,
    pub outlets: Shards<Vec<u32>>,
    /// Id buckets, by path.
    pub ids: RwSignal<HashMap<String, Load<Arc<IdBucket>>>>,
    pub search: RwSignal<Option<SearchResult>>,
    catalog: StoredValue<Option<Catalog>>,
    /// Bumped whenever the catalog learns a file (a descriptor, a directory page), so what waited for it
    /// asks again; and set to the last failure, for a notice with a retry.
    catalog_changes: RwSignal<u64>,
    pub catalog_failure: RwSignal<Option<String>>,
    /// Shards and id buckets asked for, so each is fetched once however often views ask (views only read
    /// signals; fetches write them later, from their tasks).
    requested: StoredValue<HashSet<(FamilyKind, ShardKey)>>,
    requested_ids: StoredValue<HashSet<String>>,
    /// Bumped by each new query, so an older query finishing late does not overwrite a newer one.
    generation: StoredValue<u64>,
    /// False for the first screen drawn at build time, which shows what it was given and fetches nothing.
    fetches: bool,
}

impl Store {
    pub fn new() -> Store {
        Store {
            library: RwSignal::new(Load::Loading),
            headlines: RwSignal::new(Load::Loading),
            listing: RwSignal::new(HashMap::new()),
            articles: RwSignal::new(HashMap::new()),
            outlets: RwSignal::new(HashMap::new()),
            ids: RwSignal::new(HashMap::new()),
            search: RwSignal::new(None),
            catalog: StoredValue::new(None),
            catalog_changes: RwSignal::new(0),
            catalog_failure: RwSignal::new(None),
            requested: StoredValue::new(HashSet::new()),
            requested_ids: StoredValue::new(HashSet::new()),
            generation: StoredValue::new(0),
            fetches: true,
        }
    }

    /// A store that never fetches, for drawing the first screen at build time from the files it is given.
    pub fn for_drawing() -> Store {
        Store { fetches: false, ..Store::new() }
    }

    pub fn manifest(&self) -> Option<Arc<Library>> {
        match self.library.get_untracked() {
            Load::Ready(library) => Some(library),
            _ => None,
        }
    }

    pub fn load_library(&self) {
        let store = *self;
        store.library.set(Load::Loading);
        spawn_local(async move {
            let loaded = async { open_library(&fetch_bytes(MANIFEST_FILE).await?) };
            match loaded.await {
                Ok((library, catalog)) => store.library_opened(library, catalog),
                Err(message) => store.library.set(Load::Failed(message)),
            }
        });
    }

    /// Starts from the files the page carries (`sahifa_core::first_screen`) instead of fetching them: the
    /// manifest, the descriptors and directory pages the newest rows need, and their listing shards. Whatever
    /// else the views need is fetched as usual. On an error nothing is set, and the caller fetches instead.
    pub fn start_from(&self, embedded: &EmbeddedFiles) -> Result<(), String> {
        let manifest = embedded.get(MANIFEST_FILE).ok_or("the page carries no manifest")?;
        let (library, mut catalog) = open_library(manifest.as_bytes())?;
        // A directory page is wanted only once the descriptor naming it is known: offer the files until none
        // is taken.
        let mut offered = vec![false; embedded.files.len()];
        while let Some(n) = (0..embedded.files.len()).find(|&n| !offered[n] && catalog.wants(&embedded.files[n].path)) {
            offered[n] = true;
            let file = &embedded.files[n];
            catalog.provide(&file.path, file.text.as_bytes().to_vec()).map_err(|error| format!("{}: {error}", file.path))?;
        }
        // The listing shards of the newest rows, in order, as far as the page carries them.
        let mut shards = HashMap::new();
        for doc in 0..library.manifest.counts.articles {
            let Ok(Some(at)) = catalog.shard_of(FamilyKind::Listing, doc) else { break };
            let key = (at.segment, at.number);
            if shards.contains_key(&key) {
                continue;
            }
            let path = catalog.file(FamilyKind::Listing, at.segment, at.number).ok().flatten();
            let Some((path, text)) = path.and_then(|path| embedded.get(&path).map(|text| (path, text))) else { break };
            shards.insert(key, Load::Ready(Arc::new(parse_json::<ListingShard>(text.as_bytes(), &path)?)));
        }
        self.requested.update_value(|requested| requested.extend(shards.keys().map(|key| (FamilyKind::Listing, *key))));
        self.listing.set(shards);
        self.library_opened(library, catalog);
        Ok(())
    }

    fn library_opened(&self, library: Library, catalog: Catalog) {
        // Every segment's descriptor, small, is fetched once the first screen has what it needs: a first
        // search then starts from the segments' roots, one round trip sooner.
        let descriptors: Missing = library.manifest.segments.iter().map(|segment| segment.file.clone()).collect();
        self.catalog.set_value(Some(catalog));
        self.library.set(Load::Ready(Arc::new(library)));
        self.load_headlines();
        self.learn_in_background(descriptors);
    }

    /// Fetches the sidebar headlines once the manifest is here; a failure is retried on its own.
    pub fn load_headlines(&self) {
        let Some(library) = self.manifest().filter(|_| self.fetches) else { return };
        let headlines = self.headlines;
        headlines.set(Load::Loading);
        let path = library.manifest.headlines.clone();
        spawn_local(async move {
            headlines.set(match fetch_json::<HeadlinesFile>(&path).await {
                Ok(file) => {
                    let texts: Vec<String> = file.headlines.iter().map(|h| h.text.clone()).collect();
                    let index = SearchIndex::build(&[], &texts).headlines;
                    Load::Ready(Arc::new(Headlines { headlines: file.headlines, index }))
                }
                Err(message) => Load::Failed(message),
            });
        });
    }

    /// Asks the catalog, subscribing the caller to what it learns. Files it lacks are fetched in the
    /// background; until then the answer is `Err`.
    pub fn ask<T>(&self, ask: impl FnOnce(&Catalog) -> Result<T, Missing>) -> Option<Result<T, Missing>> {
        self.catalog_changes.track();
        let answer = self.catalog.with_value(|catalog| catalog.as_ref().map(ask))?;
        if let Err(missing) = &answer {
            self.learn_in_background(missing.clone());
        }
        Some(answer)
    }

    fn learn_in_background(&self, missing: Missing) {
        if !self.fetches {
            return;
        }
        let store = *self;
        spawn_local(async move {
            if let Err(message) = store.learn(missing).await {
                store.catalog_failure.set(Some(message));
            }
        });
    }

    /// Fetches files the catalog named and gives them to it.
    async fn learn(&self, missing: Missing) -> Result<(), String> {
        let fetched = join_all(missing.iter().map(|path| fetch_shared(path))).await;
        let mut learned = false;
        for (path, bytes) in missing.iter().zip(fetched) {
            let bytes = bytes?;
            let mut provided = Ok(());
            self.catalog.update_value(|catalog| {
                if let Some(catalog) = catalog.as_mut().filter(|catalog| catalog.wants(path)) {
                    provided = catalog.provide(path, bytes.to_vec()).map_err(|error| format!("الملف {path} تالف: {error}"));
                    learned = true;
                }
            });
            forget_shared(path);
            provided?;
        }
        if learned {
            self.catalog_changes.update(|n| *n += 1);
        }
        Ok(())
    }

    /// Asks the catalog until it answers, fetching what it lacks.
    async fn resolve<T>(&self, ask: impl Fn(&Catalog) -> Result<T, Missing>) -> Result<T, String> {
        let mut asked: HashSet<String> = HashSet::new();
        loop {
            let answer = self.catalog.with_value(|catalog| catalog.as_ref().map(&ask)).ok_or("لم يُحمَّل الأرشيف بعد.")?;
            match answer {
                Ok(answer) => return Ok(answer),
                Err(missing) => {
                    if missing.is_empty() || missing.iter().any(|path| !asked.insert(path.clone())) {
                        return Err("الأرشيف غير متّسق: ملف يُطلب مرة أخرى بعد تحميله. أعد بناء الأرشيف.".into());
                    }
                    self.learn(missing).await?;
                }
            }
        }
    }

    /// Forgets what failed to load, so views ask for it again.
    pub fn retry_all(&self) {
        self.catalog_failure.set(None);
        forget_failed(self.listing, FamilyKind::Listing, self.requested);
        forget_failed(self.articles, FamilyKind::Articles, self.requested);
        forget_failed(self.outlets, FamilyKind::Outlets, self.requested);
        let failed: Vec<String> = self.ids.with_untracked(|b| b.iter().filter(|(_, l)| matches!(l, Load::Failed(_))).map(|(p, _)| p.clone()).collect());
        self.requested_ids.update_value(|requested| failed.iter().for_each(|path| {
            requested.remove(path);
        }));
        self.ids.update(|buckets| buckets.retain(|_, bucket| !matches!(bucket, Load::Failed(_))));
        self.catalog_changes.update(|n| *n += 1);
    }

    /// Where global document `doc`'s item of `family` is; `None` while the catalog learns it, `Some(None)`
    /// past the archive's end. Subscribes the caller.
    pub fn shard_of(&self, family: FamilyKind, doc: u32) -> Option<Option<sahifa_core::bundle::ShardRef>> {
        self.ask(|catalog| catalog.shard_of(family, doc))?.ok()
    }

    pub fn ensure_listing(&self, key: ShardKey) {
        self.ensure(self.listing, FamilyKind::Listing, key, |bytes, path| parse_json(&bytes, path));
    }

    pub fn ensure_articles(&self, key: ShardKey) {
        self.ensure(self.articles, FamilyKind::Articles, key, |bytes, path| parse_json(&bytes, path));
    }

    pub fn ensure_outlets(&self, key: ShardKey) {
        self.ensure(self.outlets, FamilyKind::Outlets, key, |bytes, _| Ok(decode_outlet_column(&bytes)));
    }

    /// Starts fetching shard `key` of a family unless it was asked for already. Nothing is written now: the
    /// task writes the shard's state, so views and memos may call this.
    fn ensure<T: Send + Sync + 'static>(&self, shards: Shards<T>, family: FamilyKind, key: ShardKey, decode: fn(Vec<u8>, &str) -> Result<T, String>) {
        let mut first_time = false;
        self.requested.update_value(|requested| first_time = requested.insert((family, key)));
        if !first_time || !self.fetches {
            return;
        }
        let store = *self;
        spawn_local(async move {
            shards.update(|s| {
                s.insert(key, Load::Loading);
            });
            let loaded = async {
                let path = store.resolve(|catalog| catalog.file(family, key.0, key.1)).await?;
                let path = path.ok_or_else(|| format!("الأرشيف لا يحوي الملف رقم {} من القطعة {}.", key.1, key.0))?;
                decode(fetch_bytes(&path).await?, &path)
            };
            let loaded = match loaded.await {
                Ok(value) => Load::Ready(Arc::new(value)),
                Err(message) => Load::Failed(message),
            };
            shards.update(|s| {
                s.insert(key, loaded);
            });
        });
    }

    /// The listing row of global document `doc`, if its shard is here. Reading it subscribes to arrivals.
    pub fn row(&self, doc: u32) -> Option<Load<ListingRow>> {
        let at = match self.shard_of(FamilyKind::Listing, doc) {
            None => return self.catalog_failure.get().map(Load::Failed).or(Some(Load::Loading)),
            Some(None) => return None,
            Some(Some(at)) => at,
        };
        self.listing.with(|shards| match shards.get(&(at.segment, at.number)) {
            Some(Load::Ready(shard)) => shard.rows.get(at.index as usize).cloned().map(Load::Ready),
            Some(Load::Failed(message)) => Some(Load::Failed(message.clone())),
            Some(Load::Loading) | None => Some(Load::Loading),
        })
    }

    /// The listing shards the rows `docs` need, asked for; the catalog learns what it lacks first.
    pub fn ensure_rows(&self, docs: impl Iterator<Item = u32>) {
        let mut keys: Vec<ShardKey> = docs.filter_map(|doc| self.shard_of(FamilyKind::Listing, doc).flatten()).map(|at| (at.segment, at.number)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter().for_each(|key| self.ensure_listing(key));
    }

    /// Runs `view` with a function that gives the manifest's outlet number of a global document, or the
    /// outlet-column block to load first (with `u32::MAX` as its number while the segment's descriptor itself
    /// is missing). The loaded columns and the catalog are read once for the whole view, not once per
    /// document: a frequent word lists tens of thousands.
    pub fn with_outlets<R>(&self, view: impl FnOnce(&dyn Fn(u32) -> Result<u32, OutletBlock>) -> R) -> R {
        self.catalog_changes.track();
        self.outlets.with(|blocks| {
            self.catalog.with_value(|catalog| {
                let outlet_of = |doc: u32| -> Result<u32, OutletBlock> {
                    let Some(catalog) = catalog else { return Err((0, u32::MAX)) };
                    let at = match catalog.shard_of(FamilyKind::Outlets, doc) {
                        Ok(Some(at)) => at,
                        Ok(None) => return Ok(0),
                        Err(_) => return Err((catalog.layout().locate(doc).map_or(0, |(segment, _)| segment), u32::MAX)),
                    };
                    match blocks.get(&(at.segment, at.number)) {
                        Some(Load::Ready(column)) => Ok(catalog.outlet(at.segment, column.get(at.index as usize).copied().unwrap_or(0)).unwrap_or(0)),
                        _ => Err((at.segment, at.number)),
                    }
                };
                view(&outlet_of)
            })
        })
    }

    /// Asks for outlet-column blocks (or, for a block numbered `u32::MAX`, the segment's descriptor).
    pub fn request_outlets(&self, blocks: Vec<OutletBlock>) {
        for (segment, number) in blocks {
            if number == u32::MAX {
                let _ = self.ask(|catalog| catalog.segment(segment).map(|_| ()));
            } else {
                self.ensure_outlets((segment, number));
            }
        }
    }

    /// The first failure among the outlet-column blocks asked for.
    pub fn outlets_failure(&self) -> Option<String> {
        self.outlets.with(|blocks| blocks.values().find_map(|b| if let Load::Failed(message) = b { Some(message.clone()) } else { None }))
    }

    /// Where an article id sits in the archive: from a listing shard already here, else from its id buckets
    /// (fetched if needed). `None` while unknown; `Some(Err(""))` when the archive does not hold it, `Some(Err(
    /// message))` when a file failed.
    pub fn locate(&self, id: &str) -> Option<Result<u32, String>> {
        let in_listing = self.listing.with(|shards| {
            shards.iter().find_map(|(&(segment, _), loaded)| match loaded {
                Load::Ready(shard) => shard.rows.iter().position(|row| row.id == id).map(|p| (segment, shard.first + p as u32)),
                _ => None,
            })
        });
        let global = |segment: usize, local: u32| self.catalog.with_value(|c| c.as_ref().and_then(|c| c.layout().global(segment, local)));
        if let Some((segment, local)) = in_listing {
            return global(segment, local).map(Ok);
        }
        let buckets = match self.ask(|catalog| catalog.id_buckets(id))? {
            Ok(buckets) => buckets,
            Err(_) => return self.catalog_failure.get().map(Err),
        };
        let mut waiting = false;
        for (segment, path) in buckets {
            self.ensure_ids(&path);
            match self.ids.with(|loaded| loaded.get(&path).cloned()) {
                Some(Load::Ready(bucket)) => {
                    if let Some(local) = bucket.find(id) {
                        return global(segment, local).map(Ok);
                    }
                }
                Some(Load::Failed(message)) => return Some(Err(message)),
                _ => waiting = true,
            }
        }
        if waiting { None } else { Some(Err(String::new())) }
    }

    fn ensure_ids(&self, path: &str) {
        let mut first_time = false;
        self.requested_ids.update_value(|requested| first_time = requested.insert(path.to_owned()));
        if !first_time || !self.fetches {
            return;
        }
        let ids = self.ids;
        let path = path.to_owned();
        spawn_local(async move {
            let loaded = match fetch_json::<IdBucket>(&path).await {
                Ok(bucket) => Load::Ready(Arc::new(bucket)),
                Err(message) => Load::Failed(message),
            };
            ids.update(|buckets| {
                buckets.insert(path, loaded);
            });
        });
    }

    /// Runs a query in the search worker (`search_worker.rs`), off the page's thread. The hits land in
    /// `search`, unless a newer query was asked meanwhile; the search's own time is left for the benchmark.
    pub fn run_search(&self, query: Query, text: String) {
        let store = *self;
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let current = move || store.generation.get_value() == generation;
        store.search.set(Some(SearchResult { query: query.clone(), articles: Load::Loading }));
        spawn_local(async move {
            let outcome = crate::search_worker::hits(&text).await;
            if current() {
                let articles = match outcome {
                    Ok((docs, ms)) => {
                        record_search_time(ms);
                        Load::Ready(Arc::new(docs))
                    }
                    Err(message) => Load::Failed(message),
                };
                store.search.set(Some(SearchResult { query, articles }));
            }
        });
    }

    /// Every file of the bundle with its size, for saving it all offline.
    pub async fn all_files(&self) -> Result<Vec<(String, u64)>, String> {
        self.resolve(|catalog| catalog.all_files()).await
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

/// Forgets a family's failed shards, so they are fetched again when asked for.
fn forget_failed<T: Send + Sync + 'static>(shards: Shards<T>, family: FamilyKind, requested: StoredValue<HashSet<(FamilyKind, ShardKey)>>) {
    let failed: Vec<ShardKey> = shards.with_untracked(|s| s.iter().filter(|(_, l)| matches!(l, Load::Failed(_))).map(|(k, _)| *k).collect());
    requested.update_value(|requested| failed.iter().for_each(|key| {
        requested.remove(&(family, *key));
    }));
    shards.update(|s| s.retain(|_, l| !matches!(l, Load::Failed(_))));
}

/// Reads the manifest. It is the one file that changes in place: hosts serve it with `Cache-Control: no-cache`
/// (see _headers) and the service worker fetches it network-first, so a fetched copy is current, and so is the
/// copy the page carries, written with the page.
fn open_library(bytes: &[u8]) -> Result<(Library, Catalog), String> {
    let manifest = read_manifest(bytes).map_err(|error| match error {
        ManifestError::UnsupportedVersion(found) => format!(
            "هذا الأرشيف مكتوب بالصيغة رقم {found}، وهذا العارض يقرأ الصيغة رقم {}. أعد بناء الأرشيف بنسخة مطابقة من صحيفة.",
            sahifa_core::bundle::FORMAT_VERSION
        ),
        ManifestError::Unreadable(why) => format!("ملف الفهرس manifest.json تالف: {why}"),
    })?;
    let catalog = Catalog::new(manifest.clone()).map_err(|error| format!("ملف الفهرس manifest.json تالف: {error}"))?;
    Ok((Library { manifest }, catalog))
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &str) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|error| format!("الملف {path} تالف: {error}"))
}

async fn fetch_json<T: DeserializeOwned>(path: &str) -> Result<T, String> {
    // Every file but the manifest is content-hashed, so whatever the cache holds is right.
    parse_json(&fetch_bytes(path).await?, path)
}

type SharedFetch = Shared<LocalBoxFuture<'static, Result<Rc<Vec<u8>>, String>>>;

thread_local! {
    /// Fetches in flight, by path: many rows may need the same descriptor at once, and it is fetched once.
    static IN_FLIGHT: RefCell<HashMap<String, SharedFetch>> = RefCell::new(HashMap::new());
}

fn fetch_shared(path: &str) -> SharedFetch {
    IN_FLIGHT.with(|flights| {
        flights
            .borrow_mut()
            .entry(path.to_owned())
            .or_insert_with(|| {
                let path = path.to_owned();
                async move { fetch_bytes(&path).await.map(Rc::new) }.boxed_local().shared()
            })
            .clone()
    })
}

fn forget_shared(path: &str) {
    IN_FLIGHT.with(|flights| flights.borrow_mut().remove(path));
}

/// Fetches a file of the bundle, or the piece of one a ranged request names (`bundle::ranged`), with an HTTP
/// `Range` header. A host that ignores the range sends the whole file, and the piece is cut from it here.
async fn fetch_bytes(request: &str) -> Result<Vec<u8>, String> {
    let (path, range) = split_request(request);
    let url = format!("{BUNDLE_FOLDER}{path}");
    let mut builder = Request::get(&url);
    if let Some((offset, len)) = range {
        if len == 0 {
            return Ok(Vec::new());
        }
        builder = builder.header("Range", &format!("bytes={offset}-{}", offset + len - 1));
    }
    let response = builder
        .send()
        .await
        .map_err(|_| "تعذّر الاتصال بالخادم لتحميل الأرشيف. تحقّق من اتصالك بالشبكة ثم أعد المحاولة.".to_owned())?;
    if !response.ok() {
        return Err(format!("تعذّر تحميل {url} (رمز الخادم {}).", response.status()));
    }
    let status = response.status();
    let body = response.binary().await.map_err(|_| format!("انقطع تحميل {url} قبل اكتماله."))?;
    let Some((offset, len)) = range else { return Ok(body) };
    let piece = if status == 206 { Some(body) } else { body.get(offset as usize..(offset + len) as usize).map(<[u8]>::to_vec) };
    piece.filter(|piece| piece.len() as u64 == len).ok_or_else(|| format!("وصل جزء من {url} بغير الطول المنتظر."))
}

/// Leaves the last query's compute time in the worker (everything it needed already loaded) on
/// `window.__sahifaSearchMs`, where the scale benchmark reads it to separate computing from downloading.
fn record_search_time(milliseconds: f64) {
    let _ = js_sys::Reflect::set(&window(), &"__sahifaSearchMs".into(), &milliseconds.into());
}
