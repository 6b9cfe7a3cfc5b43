//! Fetching the bundle and keeping what was fetched. Start-up loads the manifest only (the list then asks for
//! the shards of the rows on screen); the headlines follow; the search index arrives file by file as queries
//! ask for it; an article's shard only when it is opened. Paths are relative to the page, so the app works
//! under any sub-path.

use futures::future::join_all;
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sahifa_core::bundle::{
    decode_outlet_column, id_bucket, read_manifest, ArticleShard, DirectoryPage, Family, Headline, HeadlinesFile, IdBucket,
    ListingShard, Manifest, ManifestError, ARTICLES_PER_SHARD, MANIFEST_FILE, ROWS_PER_SHARD,
};
use sahifa_core::search::sharded::SearchRoot;
use sahifa_core::search::{FieldIndex, Hit, Query, SearchIndex, ShardedIndex};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;

/// Where the bundle sits relative to `index.html`.
pub const BUNDLE_FOLDER: &str = "data/";

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

/// The hits of the latest query, for the query text they answer.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    pub query: Query,
    pub articles: Load<Arc<Vec<Hit>>>,
}

/// Shards of one family, by number.
pub type Shards<T> = RwSignal<HashMap<u32, Load<Arc<T>>>>;

/// The app's data, shared through context.
#[derive(Clone, Copy)]
pub struct Store {
    pub library: RwSignal<Load<Arc<Library>>>,
    /// The sidebar headlines load after the manifest, so they never delay the first screen.
    pub headlines: RwSignal<Load<Arc<Headlines>>>,
    pub listing: Shards<ListingShard>,
    pub articles: Shards<ArticleShard>,
    pub outlets: Shards<Vec<u32>>,
    pub ids: Shards<IdBucket>,
    pub search: RwSignal<Option<SearchResult>>,
    directories: StoredValue<HashMap<String, Arc<DirectoryPage>>>,
    index: StoredValue<Option<ShardedIndex>>,
    /// Bumped by each new query, so an older query finishing late does not overwrite a newer one.
    generation: StoredValue<u64>,
}

/// The numbered families of a bundle.
#[derive(Clone, Copy)]
pub enum Kind {
    Listing,
    Articles,
    Outlets,
    Ids,
}

impl Kind {
    fn family(self, manifest: &Manifest) -> &Family {
        match self {
            Kind::Listing => &manifest.listing,
            Kind::Articles => &manifest.articles,
            Kind::Outlets => &manifest.outlet_column,
            Kind::Ids => &manifest.ids,
        }
    }
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
            directories: StoredValue::new(HashMap::new()),
            index: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
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
            match fetch_library().await {
                Ok(loaded) => {
                    store.library.set(Load::Ready(Arc::new(loaded)));
                    store.load_headlines();
                }
                Err(message) => store.library.set(Load::Failed(message)),
            }
        });
    }

    /// Fetches the sidebar headlines once the manifest is here; a failure is retried on its own.
    pub fn load_headlines(&self) {
        let Some(library) = self.manifest() else { return };
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

    pub fn ensure_listing(&self, number: u32) {
        self.ensure(self.listing, Kind::Listing, number, |bytes, path| parse_json(&bytes, path));
    }

    pub fn ensure_articles(&self, number: u32) {
        self.ensure(self.articles, Kind::Articles, number, |bytes, path| parse_json(&bytes, path));
    }

    pub fn ensure_outlets(&self, number: u32) {
        self.ensure(self.outlets, Kind::Outlets, number, |bytes, _| Ok(decode_outlet_column(&bytes)));
    }

    pub fn ensure_ids(&self, number: u32) {
        self.ensure(self.ids, Kind::Ids, number, |bytes, path| parse_json(&bytes, path));
    }

    /// Forgets a failed shard and asks again.
    pub fn retry<T: Send + Sync + 'static>(&self, shards: Shards<T>, number: u32, ensure: impl Fn(&Store, u32)) {
        shards.update(|loaded| {
            loaded.remove(&number);
        });
        ensure(self, number);
    }

    /// Starts fetching shard `number` of a family unless it is here or on its way. A failed fetch is retried.
    fn ensure<T: Send + Sync + 'static>(
        &self,
        shards: Shards<T>,
        kind: Kind,
        number: u32,
        decode: fn(Vec<u8>, &str) -> Result<T, String>,
    ) {
        if matches!(shards.with_untracked(|s| s.get(&number).cloned()), Some(Load::Loading | Load::Ready(_))) {
            return;
        }
        shards.update(|s| {
            s.insert(number, Load::Loading);
        });
        let store = *self;
        spawn_local(async move {
            let loaded = async {
                let path = store.path_of(kind, number).await?;
                decode(fetch_bytes(&path).await?, &path)
            };
            let loaded = match loaded.await {
                Ok(value) => Load::Ready(Arc::new(value)),
                Err(message) => Load::Failed(message),
            };
            shards.update(|s| {
                s.insert(number, loaded);
            });
        });
    }

    /// The path of file `number` of a family, through its directory page (fetched once).
    async fn path_of(&self, kind: Kind, number: u32) -> Result<String, String> {
        let library = self.manifest().ok_or("the archive is not loaded")?;
        let family = kind.family(&library.manifest);
        let (page, slot) = family.locate(number).ok_or_else(|| format!("الأرشيف لا يحوي الملف رقم {number}."))?;
        let known = self.directories.with_value(|pages| pages.get(page).cloned());
        let directory = match known {
            Some(directory) => directory,
            None => {
                let directory = Arc::new(fetch_json::<DirectoryPage>(page).await?);
                self.directories.update_value(|pages| {
                    pages.insert(page.to_owned(), directory.clone());
                });
                directory
            }
        };
        directory.files.get(slot).map(|(path, _)| path.clone()).ok_or_else(|| format!("فهرس الملفات {page} ناقص."))
    }

    /// The listing row of document `doc`, if its shard is here. Reading it subscribes to shard arrivals.
    pub fn row(&self, doc: u32) -> Option<Load<sahifa_core::bundle::ListingRow>> {
        let number = doc / ROWS_PER_SHARD;
        self.listing.with(|shards| match shards.get(&number)? {
            Load::Ready(shard) => shard.rows.get((doc - shard.first) as usize).cloned().map(Load::Ready),
            Load::Failed(message) => Some(Load::Failed(message.clone())),
            Load::Loading => Some(Load::Loading),
        })
    }

    /// Where an article id sits in the listing: from a listing shard already here, else from its id bucket
    /// (fetched if needed). `None` while unknown; `Some(Err)` when the archive does not hold it.
    pub fn locate(&self, id: &str) -> Option<Result<u32, String>> {
        let in_listing = self.listing.with(|shards| {
            shards.values().find_map(|loaded| match loaded {
                Load::Ready(shard) => shard.rows.iter().position(|row| row.id == id).map(|p| shard.first + p as u32),
                _ => None,
            })
        });
        if let Some(doc) = in_listing {
            return Some(Ok(doc));
        }
        let library = self.manifest()?;
        let bucket = id_bucket(id, library.manifest.id_bucket_bits);
        self.ensure_ids(bucket);
        self.ids.with(|buckets| match buckets.get(&bucket)? {
            Load::Ready(ids) => Some(match ids.ids.binary_search_by(|(known, _)| known.as_str().cmp(id)) {
                Ok(found) => Ok(ids.ids[found].1),
                Err(_) => Err(String::new()),
            }),
            Load::Failed(message) => Some(Err(message.clone())),
            Load::Loading => None,
        })
    }

    pub fn article_shard_of(doc: u32) -> u32 {
        doc / ARTICLES_PER_SHARD
    }

    /// Runs a query against the sharded index, fetching what it asks for round after round. The hits land in
    /// `search`; the time of the last (complete) computation is left for the benchmark.
    pub fn run_search(&self, query: Query) {
        let store = *self;
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let current = move || store.generation.get_value() == generation;
        store.search.set(Some(SearchResult { query: query.clone(), articles: Load::Loading }));
        spawn_local(async move {
            let outcome = store.search_to_end(&query, current).await;
            if current() {
                let articles = match outcome {
                    Ok(hits) => Load::Ready(Arc::new(hits)),
                    Err(message) => Load::Failed(message),
                };
                store.search.set(Some(SearchResult { query, articles }));
            }
        });
    }

    async fn search_to_end(&self, query: &Query, current: impl Fn() -> bool) -> Result<Vec<Hit>, String> {
        if self.index.with_value(Option::is_none) {
            let library = self.manifest().ok_or("the archive is not loaded")?;
            let root: SearchRoot = fetch_json(&library.manifest.search_root).await?;
            if self.index.with_value(Option::is_none) {
                self.index.set_value(Some(ShardedIndex::new(root)));
            }
        }
        loop {
            let started = now_ms();
            let outcome = self.index.with_value(|index| index.as_ref().expect("set above").search(query));
            match outcome {
                Ok(hits) => {
                    record_search_time(now_ms() - started);
                    return Ok(hits);
                }
                Err(missing) => {
                    if !current() {
                        return Err(String::new());
                    }
                    let fetched = join_all(missing.iter().map(|path| fetch_bytes(path))).await;
                    for (path, bytes) in missing.iter().zip(fetched) {
                        let bytes = bytes?;
                        let mut provided = Ok(());
                        self.index.update_value(|index| provided = index.as_mut().expect("set above").provide(path, bytes));
                        provided?;
                    }
                }
            }
        }
    }

    /// Every file of the bundle with its size, for saving it all offline: the directories name them.
    pub async fn all_files(&self) -> Result<Vec<(String, u64)>, String> {
        let library = self.manifest().ok_or("the archive is not loaded")?;
        let manifest = &library.manifest;
        let mut files = Vec::new();
        let families = [&manifest.listing, &manifest.articles, &manifest.outlet_column, &manifest.ids, &manifest.search_files];
        let pages: Vec<&String> = families.iter().flat_map(|family| family.directory.iter()).collect();
        let fetched = join_all(pages.iter().map(|page| fetch_bytes(page))).await;
        for (page, bytes) in pages.into_iter().zip(fetched) {
            let bytes = bytes?;
            files.push((page.clone(), bytes.len() as u64));
            let directory: DirectoryPage = parse_json(&bytes, page)?;
            files.extend(directory.files);
        }
        // The root and the headlines are the only files outside the directories.
        for path in [&manifest.search_root, &manifest.headlines] {
            let bytes = fetch_bytes(path).await?;
            files.push((path.clone(), bytes.len() as u64));
        }
        Ok(files)
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

async fn fetch_library() -> Result<Library, String> {
    // The manifest is the one file that changes in place: hosts serve it with `Cache-Control: no-cache` (see
    // _headers) and the service worker fetches it network-first, so a plain fetch here can use the preload.
    let bytes = fetch_bytes(MANIFEST_FILE).await?;
    let manifest = read_manifest(&bytes).map_err(|error| match error {
        ManifestError::UnsupportedVersion(found) => format!(
            "هذا الأرشيف مكتوب بالصيغة رقم {found}، وهذا العارض يقرأ الصيغة رقم {}. أعد بناء الأرشيف بنسخة مطابقة من صحيفة.",
            sahifa_core::bundle::FORMAT_VERSION
        ),
        ManifestError::Unreadable(why) => format!("ملف الفهرس manifest.json تالف: {why}"),
    })?;
    Ok(Library { manifest })
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &str) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|error| format!("الملف {path} تالف: {error}"))
}

async fn fetch_json<T: DeserializeOwned>(path: &str) -> Result<T, String> {
    // Every file but the manifest is content-hashed, so whatever the cache holds is right.
    parse_json(&fetch_bytes(path).await?, path)
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let url = format!("{BUNDLE_FOLDER}{path}");
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|_| "تعذّر الاتصال بالخادم لتحميل الأرشيف. تحقّق من اتصالك بالشبكة ثم أعد المحاولة.".to_owned())?;
    if !response.ok() {
        return Err(format!("تعذّر تحميل {url} (رمز الخادم {}).", response.status()));
    }
    response.binary().await.map_err(|_| format!("انقطع تحميل {url} قبل اكتماله."))
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |performance| performance.now())
}

/// Leaves the last query's compute time (everything it needed already loaded) on `window.__sahifaSearchMs`,
/// where the scale benchmark reads it to separate computing from downloading.
fn record_search_time(milliseconds: f64) {
    let _ = js_sys::Reflect::set(&window(), &"__sahifaSearchMs".into(), &milliseconds.into());
}
