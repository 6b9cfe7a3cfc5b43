//! Fetching the bundle and keeping what was fetched. Start-up loads the manifest only; the list then asks for
//! the segment descriptors, directory pages and listing shards of the rows on screen; the headlines follow;
//! the search index arrives file by file as queries ask for it; an article's shard only when it is opened.
//! Where every file is comes from the core's sans-IO [`Catalog`]: this module only fetches what it names.
//! Paths are relative to the page, so the app works under any sub-path.

use futures::future::{join_all, FutureExt, LocalBoxFuture, Shared};
use futures::StreamExt;
use std::cell::Cell;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sahifa_core::export::ExportRow;
use sahifa_fetch::FetchError;
use sahifa_core::story::outlets_told;
use sahifa_core::Article;
use sahifa_core::bundle::{
    article_of_piece, read_manifest, row_of_piece, shards_read_whole, split_request, ArticleShard, Catalog, FamilyKind, Headline, HeadlinesFile, IdBucket, ListingRow, ListingShard, Manifest, ManifestError, SourcesShard, TextRange,
    MANIFEST_FILE,
};
use sahifa_core::search::rank::Missing;
use sahifa_core::search::{FieldIndex, SearchIndex};
use sahifa_core::view::{OutletBlock, OutletsOf};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;
use send_wrapper::SendWrapper;
use web_sys::{AbortController, AbortSignal};

pub use crate::load_error::LoadError;
use crate::recency::Recency;
use sahifa_core::first_screen::EmbeddedFiles;
use sahifa_core::offline::BUNDLE_FOLDER;

/// Listing shards kept at most (128 rows each): past it, the least recently read go, down to
/// `LISTING_SHARDS_KEPT`. A screen needs one or two; a long session of searches over a large archive kept
/// every shard any query showed, and the app's memory grew with every query.
pub const LISTING_SHARDS_MOST: usize = 192;
pub const LISTING_SHARDS_KEPT: usize = 128;
/// Article shards kept at most (256 articles each, the largest files the viewer reads): the open article's
/// and its neighbours'.
pub const ARTICLE_SHARDS_MOST: usize = 4;
/// Rows read alone kept at most; past it, the ones drawn longest ago go (a row asked for again comes back).
const ROWS_ALONE_MOST: usize = 512;

/// Something being fetched: still coming, failed (with why, which has the reader's sentence), or here.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(LoadError),
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
    /// Listing rows read alone, by global document, where their shards are not here.
    rows_alone: RwSignal<HashMap<u32, Load<Arc<ListingRow>>>>,
    /// Rows asked for alone, so each is fetched once (oldest first, to let the oldest go).
    rows_alone_asked: StoredValue<Vec<u32>>,
    /// Rows drawn while neither their shard nor they alone were here, waiting to be asked for together.
    drawn_missing: StoredValue<Vec<u32>>,
    pub outlets: Shards<Vec<u32>>,
    /// Article shards already read, so the neighbours of an article open at once. An article page loads its
    /// article as a resource (`article`), not through a signal.
    articles: StoredValue<HashMap<ShardKey, Arc<ArticleShard>>>,
    catalog: StoredValue<Option<Catalog>>,
    /// Bumped whenever the catalog learns a file (a descriptor, a directory page), so what waited for it
    /// asks again; and set to the last failure, for a notice with a retry.
    catalog_changes: RwSignal<u64>,
    pub catalog_failure: RwSignal<Option<LoadError>>,
    /// Shards and id buckets asked for, so each is fetched once however often views ask (views only read
    /// signals; fetches write them later, from their tasks).
    requested: StoredValue<HashSet<(FamilyKind, ShardKey)>>,
    /// When each kept listing and article shard was last read, to let the least recently used go.
    recency: StoredValue<Recency<(FamilyKind, ShardKey)>>,
    /// Pieces of article shards the page carries, by their requests: a drawn article's own bytes
    /// (`sahifa_core::first_screen::DrawnArticle`), so the app opens it without asking the network
    /// (`article_at_hand`).
    pieces_at_hand: StoredValue<HashMap<String, String>>,
    /// False for the first screen drawn at build time, which shows what it was given and fetches nothing.
    fetches: bool,
}

impl Store {
    pub fn new() -> Store {
        Store {
            library: RwSignal::new(Load::Loading),
            headlines: RwSignal::new(Load::Loading),
            listing: RwSignal::new(HashMap::new()),
            rows_alone: RwSignal::new(HashMap::new()),
            rows_alone_asked: StoredValue::new(Vec::new()),
            drawn_missing: StoredValue::new(Vec::new()),
            outlets: RwSignal::new(HashMap::new()),
            articles: StoredValue::new(HashMap::new()),
            catalog: StoredValue::new(None),
            catalog_changes: RwSignal::new(0),
            catalog_failure: RwSignal::new(None),
            requested: StoredValue::new(HashSet::new()),
            recency: StoredValue::new(Recency::default()),
            pieces_at_hand: StoredValue::new(HashMap::new()),
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
            let loaded = async { open_library(&fetch_bytes(MANIFEST_FILE, None).await?) };
            match loaded.await {
                Ok((library, catalog)) => store.library_opened(library, catalog),
                Err(error) => store.library.set(Load::Failed(error)),
            }
        });
    }

    /// Starts from the files the page carries (`sahifa_core::first_screen`) instead of fetching them: the
    /// manifest, the descriptors and directory pages the newest rows need, and their listing shards; on a
    /// drawn article's address, that article's piece of its shard too. Whatever else the views need is fetched
    /// as usual. On an error nothing is set, and the caller fetches instead.
    pub fn start_from(&self, embedded: &EmbeddedFiles) -> Result<(), String> {
        let manifest = embedded.get(MANIFEST_FILE).ok_or("the page carries no manifest")?;
        let (library, mut catalog) = open_library(manifest.as_bytes()).map_err(|error| error.to_string())?;
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
            shards.insert(key, Load::Ready(Arc::new(parse_json::<ListingShard>(text.as_bytes(), &path).map_err(|error| error.to_string())?)));
        }
        self.requested.update_value(|requested| requested.extend(shards.keys().map(|key| (FamilyKind::Listing, *key))));
        self.listing.set(shards);
        let pieces = embedded.files.iter().filter(|file| split_request(&file.path).1.is_some());
        self.pieces_at_hand.set_value(pieces.map(|file| (file.path.clone(), file.text.clone())).collect());
        self.library_opened(library, catalog);
        Ok(())
    }

    fn library_opened(&self, library: Library, catalog: Catalog) {
        // Every segment's descriptor, small, is fetched once the first screen has what it needs: a first
        // search then starts from the segments' roots, one round trip sooner. Those the page carried, or fetched
        // beside the wasm (`first_screen::EARLY_FILES_ELEMENT_ID`), are known already.
        let descriptors: Missing = library.manifest.segments.iter().map(|segment| segment.file.clone()).filter(|path| catalog.wants(path)).collect();
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
                Err(error) => Load::Failed(error),
            });
        });
    }

    /// The manifest and the segment descriptors the catalog holds, for the search worker to start from.
    pub fn entry_files(&self) -> Vec<(String, Vec<u8>)> {
        self.catalog.with_value(|catalog| catalog.as_ref().map(Catalog::entry_files).unwrap_or_default())
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

    /// Fetches what the catalog lacks, in a task. While a failure stands nothing more is fetched: the views
    /// show it with a retry (`retry_all`), and asking again and again would spin. (Before, a descriptor the host
    /// refused set the failure, which made every view ask again, which set it again: the page hung.)
    fn learn_in_background(&self, missing: Missing) {
        if !self.fetches || self.catalog_failure.with_untracked(Option::is_some) {
            return;
        }
        let store = *self;
        spawn_local(async move {
            if let Err(error) = store.learn(missing).await {
                if store.catalog_failure.with_untracked(|standing| standing.as_ref() != Some(&error)) {
                    store.catalog_failure.set(Some(error));
                }
            }
        });
    }

    /// Fetches files the catalog named and gives them to it.
    async fn learn(&self, missing: Missing) -> Result<(), LoadError> {
        let fetched = join_all(missing.iter().map(|path| fetch_shared(path))).await;
        // Each fetch is shared only while it is under way: a failed one is tried afresh after a retry.
        missing.iter().for_each(|path| forget_shared(path));
        let mut learned = false;
        for (path, bytes) in missing.iter().zip(fetched) {
            let bytes = bytes?;
            let mut provided = Ok(());
            self.catalog.update_value(|catalog| {
                if let Some(catalog) = catalog.as_mut().filter(|catalog| catalog.wants(path)) {
                    provided = catalog.provide(path, bytes.to_vec()).map_err(|error| damaged(path, &error));
                    learned = true;
                }
            });
            provided?;
        }
        if learned {
            self.catalog_changes.update(|n| *n += 1);
        }
        Ok(())
    }

    /// Asks the catalog until it answers, fetching what it lacks.
    async fn resolve<T>(&self, ask: impl Fn(&Catalog) -> Result<T, Missing>) -> Result<T, LoadError> {
        let mut asked: HashSet<String> = HashSet::new();
        loop {
            let answer = self.catalog.with_value(|catalog| catalog.as_ref().map(&ask)).ok_or(LoadError::NotOpen)?;
            match answer {
                Ok(answer) => return Ok(answer),
                Err(missing) => {
                    if missing.is_empty() || missing.iter().any(|path| !asked.insert(path.clone())) {
                        return Err(LoadError::Inconsistent.noting(format_args!("{missing:?} asked for again after it was given")));
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
        forget_failed(self.outlets, FamilyKind::Outlets, self.requested);
        let failed: Vec<u32> = self.rows_alone.with_untracked(|rows| rows.iter().filter(|(_, row)| matches!(row, Load::Failed(_))).map(|(doc, _)| *doc).collect());
        self.rows_alone_asked.update_value(|asked| asked.retain(|doc| !failed.contains(doc)));
        self.rows_alone.update(|rows| rows.retain(|_, row| !matches!(row, Load::Failed(_))));
        self.catalog_changes.update(|n| *n += 1);
    }

    /// Where global document `doc`'s item of `family` is; `None` while the catalog learns it, `Some(None)`
    /// past the archive's end. Subscribes the caller.
    pub fn shard_of(&self, family: FamilyKind, doc: u32) -> Option<Option<sahifa_core::bundle::ShardRef>> {
        self.ask(|catalog| catalog.shard_of(family, doc))?.ok()
    }

    pub fn ensure_listing(&self, key: ShardKey) {
        self.ensure(self.listing, FamilyKind::Listing, key, decode_listing);
    }

    pub fn ensure_outlets(&self, key: ShardKey) {
        self.ensure(self.outlets, FamilyKind::Outlets, key, decode_outlets);
    }

    /// Starts fetching shard `key` of a family unless it was asked for already. Nothing is written now: the
    /// task writes the shard's state, so views and memos may call this.
    fn ensure<T: Send + Sync + 'static>(&self, shards: Shards<T>, family: FamilyKind, key: ShardKey, decode: Decode<T>) {
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
                let path = path.ok_or_else(|| missing_file(family, key))?;
                decode(&store, key, fetch_bytes(&path, None).await?, &path)
            };
            let loaded = match loaded.await {
                Ok(value) => Load::Ready(Arc::new(value)),
                Err(error) => Load::Failed(error),
            };
            shards.update(|s| {
                s.insert(key, loaded);
            });
            if family == FamilyKind::Listing {
                store.let_go_of_old_listing();
            }
        });
    }

    /// Lets the least recently read listing shards go once more than `LISTING_SHARDS_MOST` are kept. Only
    /// shards the screen fetched count here (an export's spike of shards is trimmed by the next one); a row
    /// whose shard went is fetched again when it is drawn (`row`).
    fn let_go_of_old_listing(&self) {
        let held: Vec<(FamilyKind, ShardKey)> =
            self.listing.with_untracked(|shards| shards.iter().filter(|(_, loaded)| matches!(loaded, Load::Ready(_))).map(|(key, _)| (FamilyKind::Listing, *key)).collect());
        let mut gone = Vec::new();
        self.recency.update_value(|recency| gone = recency.to_let_go(held, LISTING_SHARDS_MOST, LISTING_SHARDS_KEPT));
        if gone.is_empty() {
            return;
        }
        self.requested.update_value(|requested| gone.iter().for_each(|key| {
            requested.remove(key);
        }));
        self.listing.update(|shards| gone.iter().for_each(|(_, key)| {
            shards.remove(key);
        }));
    }

    /// The listing row of global document `doc`, if its shard is here. Reading it subscribes to arrivals.
    pub fn row(&self, doc: u32) -> Option<Load<ListingRow>> {
        let at = match self.shard_of(FamilyKind::Listing, doc) {
            None => return self.catalog_failure.get().map(Load::Failed).or(Some(Load::Loading)),
            Some(None) => return None,
            Some(Some(at)) => at,
        };
        let key = (at.segment, at.number);
        // Not a signal: noting the read writes nothing a view depends on.
        self.recency.update_value(|recency| recency.touch(&(FamilyKind::Listing, key)));
        let row = self.listing.with(|shards| match shards.get(&key) {
            Some(Load::Ready(shard)) => Some(shard.rows.get(at.index as usize).cloned().map(Load::Ready)),
            Some(Load::Failed(error)) => Some(Some(Load::Failed(error.clone()))),
            Some(Load::Loading) => Some(Some(Load::Loading)),
            None => None,
        });
        let row = row.or_else(|| {
            self.rows_alone.with(|rows| match rows.get(&doc)? {
                Load::Ready(row) => Some(Some(Load::Ready(ListingRow::clone(row)))),
                Load::Failed(error) => Some(Some(Load::Failed(error.clone()))),
                Load::Loading => Some(Some(Load::Loading)),
            })
        });
        row.unwrap_or_else(|| {
            // Neither its shard nor the row alone is here (let go, or never asked for). The rows drawn in one
            // go are asked for together, once they are all known, so that a screen of one shard's rows reads
            // the shard rather than each row alone; the fetch's task writes them when they come.
            self.ask_for_drawn_row(doc);
            Some(Load::Loading)
        })
    }

    /// Notes that a drawn row is missing; the first note of a render schedules one `ensure_rows` for all of
    /// them, which runs after the render (and after the list's own request for its screen, when that came
    /// first: what is requested already is not asked for twice).
    fn ask_for_drawn_row(&self, doc: u32) {
        let mut first = false;
        self.drawn_missing.update_value(|missing| {
            first = missing.is_empty();
            missing.push(doc);
        });
        if first {
            let store = *self;
            spawn_local(async move {
                let docs = store.drawn_missing.try_update_value(std::mem::take).unwrap_or_default();
                store.ensure_rows(docs.into_iter());
            });
        }
    }

    /// What the rows `docs` need, asked for: a shard's few rows alone, where its segment lays rows out in
    /// slots, and otherwise the shard; the catalog learns what it lacks first.
    pub fn ensure_rows(&self, docs: impl Iterator<Item = u32>) {
        let mut wanted: Vec<(ShardKey, u32)> =
            docs.filter_map(|doc| self.shard_of(FamilyKind::Listing, doc).flatten().map(|at| ((at.segment, at.number), doc))).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let whole = shards_read_whole(wanted.iter().map(|&(key, _)| key));
        for same_shard in wanted.chunk_by(|a, b| a.0 == b.0) {
            let key = same_shard[0].0;
            let held = self.requested.with_value(|requested| requested.contains(&(FamilyKind::Listing, key)))
                || self.listing.with_untracked(|shards| shards.contains_key(&key));
            if !held && !whole.contains(&key) && self.fetches {
                same_shard.iter().for_each(|&(_, doc)| self.ensure_row_alone(key, doc));
            } else {
                self.ensure_listing(key);
            }
        }
    }

    /// Starts fetching document `doc`'s row alone (or, where its segment has no slots, its shard `key`)
    /// unless it was asked for already. Nothing is written now: the task writes the row's state.
    fn ensure_row_alone(&self, key: ShardKey, doc: u32) {
        let mut first_time = false;
        self.rows_alone_asked.update_value(|asked| {
            first_time = !asked.contains(&doc);
            if first_time {
                asked.push(doc);
            }
        });
        if !first_time {
            return;
        }
        let store = *self;
        spawn_local(async move {
            let piece = match store.resolve(|catalog| catalog.row_piece(doc)).await {
                Ok(Some(request)) => request,
                Ok(None) => return store.ensure_listing(key),
                Err(error) => return store.rows_alone.update(|rows| drop(rows.insert(doc, Load::Failed(error)))),
            };
            store.rows_alone.update(|rows| drop(rows.insert(doc, Load::Loading)));
            let loaded = fetch_row(&piece).await.map(Arc::new);
            store.rows_alone.update(|rows| drop(rows.insert(doc, loaded.map_or_else(Load::Failed, Load::Ready))));
            store.let_go_of_old_rows_alone();
        });
    }

    /// Lets the rows read alone longest ago go once more than `ROWS_ALONE_MOST` are kept.
    fn let_go_of_old_rows_alone(&self) {
        let mut gone = Vec::new();
        self.rows_alone_asked.update_value(|asked| {
            if asked.len() > ROWS_ALONE_MOST {
                gone = asked.drain(..asked.len() - ROWS_ALONE_MOST).collect();
            }
        });
        if !gone.is_empty() {
            self.rows_alone.update(|rows| gone.iter().for_each(|doc| drop(rows.remove(doc))));
        }
    }

    /// Runs `view` with a function that gives the manifest's outlet numbers of global documents, or every
    /// outlet-column block to load first (with `u32::MAX` as its number while the segment's descriptor itself
    /// is missing). The loaded columns and the catalog are read once for the whole view, and each block once
    /// for its documents when they come in ascending order: a frequent word lists hundreds of thousands.
    pub fn with_outlets<R>(&self, view: impl FnOnce(&OutletsOf) -> R) -> R {
        self.catalog_changes.track();
        self.outlets.with(|blocks| {
            self.catalog.with_value(|catalog| {
                let outlets_of = |docs: &[u32]| -> Result<Vec<u32>, Vec<OutletBlock>> {
                    let Some(catalog) = catalog else { return Err(vec![(0, u32::MAX)]) };
                    catalog.outlets_of_documents(docs, |segment, number| loaded_block(blocks, segment, number))
                };
                view(&outlets_of)
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
    pub fn outlets_failure(&self) -> Option<LoadError> {
        self.outlets.with(|blocks| blocks.values().find_map(|b| if let Load::Failed(error) = b { Some(error.clone()) } else { None }))
    }

    /// The article with stable id `id`, for an article page's resource: its place in the archive comes from a
    /// listing shard already here or else from its id buckets, then its article shard is read (or taken from
    /// the shards read before). `Ok(None)` when the archive does not hold it. The bucket and shard fetches
    /// are cancelled if the page is left before they arrive: they are registered with the calling resource's
    /// owner (the files the catalog learns are shared with other views and always completed).
    pub async fn article(&self, id: &str) -> Result<Option<(u32, Article)>, LoadError> {
        let abort = abort_on_cleanup();
        let signal = abort.as_ref().map(AbortController::signal);
        let Some((doc, text)) = self.locate(id, signal.as_ref()).await? else { return Ok(None) };
        let Some(at) = self.resolve(|catalog| catalog.shard_of(FamilyKind::Articles, doc)).await? else { return Ok(None) };
        let key = (at.segment, at.number);
        self.recency.update_value(|recency| recency.touch(&(FamilyKind::Articles, key)));
        let held = self.articles.with_value(|shards| shards.get(&key).cloned());
        // The article alone, where its card or its id bucket says which piece of the shard it is: a few KB
        // rather than the shard's 256 articles (about 100 KB brotli on real JawharaFM, 200 KB on SaudiNewsNet).
        if let (None, Some(text)) = (&held, text) {
            if let Some(request) = self.resolve(|catalog| catalog.article_piece(doc, text)).await? {
                let article = article_of_piece(&request, &fetch_bytes(&request, signal.as_ref()).await?).map_err(|error| damaged(&request, &error))?;
                return if article.id == id {
                    Ok(Some((doc, article)))
                } else {
                    Err(damaged(&request, &format_args!("the piece holds article {} where {id} should be", article.id)))
                };
            }
        }
        let shard = match held {
            Some(shard) => shard,
            None => {
                let path = self.resolve(|catalog| catalog.file(FamilyKind::Articles, key.0, key.1)).await?;
                let path = path.ok_or_else(|| missing_file(FamilyKind::Articles, key))?;
                let shard = Arc::new(parse_json::<ArticleShard>(&fetch_bytes(&path, signal.as_ref()).await?, &path)?);
                self.articles.update_value(|shards| {
                    shards.insert(key, shard.clone());
                    let held = shards.keys().map(|key| (FamilyKind::Articles, *key)).collect();
                    let mut gone = Vec::new();
                    self.recency.update_value(|recency| gone = recency.to_let_go(held, ARTICLE_SHARDS_MOST, ARTICLE_SHARDS_MOST));
                    gone.iter().for_each(|(_, key)| {
                        shards.remove(key);
                    });
                });
                shard
            }
        };
        match shard.articles.get(at.index as usize) {
            Some(article) if article.id == id => Ok(Some((doc, article.clone()))),
            _ => Err(LoadError::Inconsistent.noting(format_args!("article shard {key:?} holds another article where {id} should be"))),
        }
    }

    /// Article `id`, when the page carries it (a drawn article, `start_from`) and its row is here: opened at
    /// once, so the app's first drawing of the article page is the article, where the page had drawn it. A
    /// piece that does not hold it (a damaged drawing) is passed over, and the page reads the article as any
    /// other (`article`), from the host.
    pub fn article_at_hand(&self, id: &str) -> Option<(u32, Article)> {
        let (doc, text) = self.row_here(id)??;
        let request = self.catalog.with_value(|catalog| catalog.as_ref()?.article_piece(doc, text?).ok().flatten())?;
        let article = self.pieces_at_hand.with_value(|pieces| article_of_piece(&request, pieces.get(&request)?.as_bytes()).ok())?;
        (article.id == id).then_some((doc, article))
    }

    /// Where article `id`'s row is, if a listing shard here holds it: `Some(None)` when the catalog cannot
    /// place that shard's row in the archive.
    fn row_here(&self, id: &str) -> Option<Option<(u32, Option<TextRange>)>> {
        let (segment, local, text) = self.listing.with_untracked(|shards| {
            shards.iter().find_map(|(&(segment, _), loaded)| match loaded {
                Load::Ready(shard) => {
                    let place = shard.rows.iter().position(|row| row.id == id)?;
                    Some((segment, shard.first + place as u32, shard.rows[place].text))
                }
                _ => None,
            })
        })?;
        let doc = self.catalog.with_value(|catalog| catalog.as_ref().and_then(|catalog| catalog.layout().global(segment, local)));
        Some(doc.map(|doc| (doc, text)))
    }

    /// Global document number of article `id`, and where its article lies in its shard when the bundle says:
    /// from a listing shard already here, else from its segments' id buckets.
    async fn locate(&self, id: &str, signal: Option<&AbortSignal>) -> Result<Option<(u32, Option<TextRange>)>, LoadError> {
        if let Some(found) = self.row_here(id) {
            return Ok(found);
        }
        let global = |segment: usize, local: u32| self.catalog.with_value(|c| c.as_ref().and_then(|c| c.layout().global(segment, local)));
        // A search's card read its row alone.
        let alone = self.rows_alone.with_untracked(|rows| {
            rows.iter().find_map(|(&doc, loaded)| match loaded {
                Load::Ready(row) if row.id == id => Some((doc, row.text)),
                _ => None,
            })
        });
        if alone.is_some() {
            return Ok(alone);
        }
        let buckets = self.resolve(|catalog| catalog.id_buckets(id)).await?;
        let fetched = join_all(buckets.iter().map(|(_, path)| async move { parse_json::<IdBucket>(&fetch_bytes(path, signal).await?, path) })).await;
        for ((segment, _), bucket) in buckets.iter().zip(fetched) {
            if let Some((local, text)) = bucket?.find(id) {
                return Ok(global(*segment, local).map(|doc| (doc, text)));
            }
        }
        Ok(None)
    }

    /// The listing rows of the other tellings of document `doc`'s story (`Catalog::story`), in the archive's
    /// order, fetching the fingerprints near it in date and the rows' shards as needed.
    pub async fn story_rows(&self, doc: u32) -> Result<Vec<ListingRow>, LoadError> {
        let members = self.resolve(|catalog| catalog.story(doc)).await?;
        self.few_rows(&members).await
    }

    /// The listing rows of the articles related to document `doc` (`Catalog::related`), most related first,
    /// fetching the one block of related lists that holds it and the rows' shards as needed.
    pub async fn related_rows(&self, doc: u32) -> Result<Vec<ListingRow>, LoadError> {
        let related = self.resolve(|catalog| catalog.related(doc)).await?;
        self.few_rows(&related).await
    }

    /// For each of `docs` with other tellings of its story, how many outlets told them (`story::outlets_told`),
    /// for the cards' badges: the fingerprints near every card in one round (pieces the cards share fetched
    /// once), then the outlet column of the tellings.
    pub async fn story_badges(&self, docs: Vec<u32>) -> Result<HashMap<u32, usize>, LoadError> {
        let stories = self.resolve(|catalog| catalog.stories(&docs)).await?;
        let tellings: Vec<u32> = stories.iter().flatten().copied().collect();
        let outlets = self.outlets_of(&tellings).await?;
        Ok(docs
            .iter()
            .zip(&stories)
            .filter(|(_, members)| !members.is_empty())
            .map(|(&doc, members)| (doc, outlets_told(members.iter().map(|member| outlets.get(member).copied().filter(|&outlet| outlet != 0)))))
            .collect())
    }

    /// `docs` without the other tellings of a story (`Catalog::fold_stories`), reading their fingerprints.
    pub async fn fold_stories(&self, docs: Vec<u32>) -> Result<Vec<u32>, LoadError> {
        self.resolve(|catalog| catalog.fold_stories(&docs)).await
    }

    /// Outlet-column block `key` from its bytes, checked against its segment (an Arabic error if damaged).
    fn outlet_block(&self, key: ShardKey, bytes: &[u8], path: &str) -> Result<Vec<u32>, LoadError> {
        self.catalog
            .with_value(|catalog| catalog.as_ref().map(|catalog| catalog.outlet_block(key.0, key.1, bytes)))
            .ok_or(LoadError::NotOpen)?
            .map_err(|error| damaged(path, &error))
    }

    /// The manifest's outlet number of each of `docs` (0: none), from the outlet column, fetching the blocks
    /// not here yet (they stay for the facet counts).
    async fn outlets_of(&self, docs: &[u32]) -> Result<HashMap<u32, u32>, LoadError> {
        // The documents the archive holds, with their segments' descriptors here.
        let mut held = Vec::with_capacity(docs.len());
        for &doc in docs {
            if self.resolve(|catalog| catalog.shard_of(FamilyKind::Outlets, doc)).await?.is_some() {
                held.push(doc);
            }
        }
        let outlet_of = |doc: u32| {
            self.outlets.with_untracked(|blocks| {
                self.catalog.with_value(|catalog| catalog.as_ref().map(|catalog| catalog.outlet_of_document(doc, |segment, number| loaded_block(blocks, segment, number))))
            })
        };
        // The blocks they need (none for a segment of one outlet), then the answers.
        let needed = held.iter().filter_map(|&doc| outlet_of(doc)?.err()).collect();
        self.load_shards(self.outlets, FamilyKind::Outlets, needed, decode_outlets, |_, _| {}).await?;
        held.iter().map(|&doc| Ok((doc, outlet_of(doc).ok_or(LoadError::NotOpen)?.unwrap_or(0)))).collect()
    }

    /// Fetches the shards `keys` of a family not here yet (each once, `FILES_AT_ONCE` at a time), decoded as
    /// `ensure` decodes them, into `shards`, where they stay for the views; `progress(done, of)` counts them.
    async fn load_shards<T: Send + Sync + 'static>(
        &self,
        shards: Shards<T>,
        family: FamilyKind,
        mut keys: Vec<ShardKey>,
        decode: Decode<T>,
        progress: impl Fn(usize, usize),
    ) -> Result<(), LoadError> {
        keys.sort_unstable();
        keys.dedup();
        keys.retain(|key| !shards.with_untracked(|loaded| matches!(loaded.get(key), Some(Load::Ready(_)))));
        // Their names first, one after another: a directory page several of them share is fetched once.
        let mut paths = Vec::with_capacity(keys.len());
        for &key in &keys {
            paths.push(self.resolve(|catalog| catalog.file(family, key.0, key.1)).await?.ok_or_else(|| missing_file(family, key))?);
        }
        let mut fetched = fetch_several(&paths, progress);
        let mut keys = keys.into_iter();
        while let Some((path, bytes)) = fetched.next().await {
            let key = keys.next().ok_or_else(|| LoadError::Inconsistent.noting("more files than were asked for"))?;
            let value = decode(self, key, bytes?, &path)?;
            shards.update(|loaded| {
                loaded.insert(key, Load::Ready(Arc::new(value)));
            });
            self.requested.update_value(|requested| {
                requested.insert((family, key));
            });
        }
        Ok(())
    }

    /// The listing rows of a few documents (an article's related ones, its story's other tellings), each read
    /// alone where its shard is not here and its segment has slots, else from its shard.
    async fn few_rows(&self, docs: &[u32]) -> Result<Vec<ListingRow>, LoadError> {
        let here = |doc: u32| -> Option<ListingRow> {
            let at = self.shard_of(FamilyKind::Listing, doc).flatten()?;
            let from_shard = self.listing.with_untracked(|shards| match shards.get(&(at.segment, at.number)) {
                Some(Load::Ready(shard)) => shard.rows.get(at.index as usize).cloned(),
                _ => None,
            });
            from_shard.or_else(|| self.rows_alone.with_untracked(|rows| match rows.get(&doc) {
                Some(Load::Ready(row)) => Some(ListingRow::clone(row)),
                _ => None,
            }))
        };
        let mut rows: Vec<Option<ListingRow>> = docs.iter().map(|&doc| here(doc)).collect();
        let absent: Vec<usize> = (0..docs.len()).filter(|&place| rows[place].is_none()).collect();
        // The pieces of every absent row, named in one pass over the catalog.
        let pieces = self.resolve(|catalog| absent.iter().map(|&place| catalog.row_piece(docs[place])).collect::<Result<Vec<_>, _>>()).await?;
        let fetched = join_all(pieces.iter().map(|piece| async move {
            match piece {
                Some(piece) => fetch_row(piece).await.map(Some),
                None => Ok(None),
            }
        }))
        .await;
        for (&place, row) in absent.iter().zip(fetched) {
            rows[place] = row?;
        }
        // What no piece gave (a segment without slots) comes from its shard.
        let rest: Vec<u32> = docs.iter().zip(&rows).filter(|(_, row)| row.is_none()).map(|(&doc, _)| doc).collect();
        let mut from_shards = self.rows_of(&rest, |_, _| {}).await?.into_iter();
        rows.into_iter()
            .map(|row| row.or_else(|| from_shards.next()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| LoadError::Inconsistent.noting("a listing shard gave fewer rows than asked for"))
    }

    /// The listing rows of `docs`, in their order: where at most `ROWS_ALONE_PER_SHARD` of them fall in a
    /// shard not here, each alone by range (an export of a search's scattered hits read a 17 KB shard for
    /// each one or two rows), else from the shards, fetched and kept for the list; `progress(done, of)`
    /// counts the files fetched, shards first.
    async fn rows_of(&self, docs: &[u32], progress: impl Fn(usize, usize)) -> Result<Vec<ListingRow>, LoadError> {
        let mut places = Vec::with_capacity(docs.len());
        for &doc in docs {
            places.push(self.resolve(|catalog| catalog.shard_of(FamilyKind::Listing, doc)).await?.ok_or_else(|| LoadError::Inconsistent.noting(format_args!("document {doc} is past the archive's end")))?);
        }
        let whole = shards_read_whole(places.iter().map(|at| (at.segment, at.number)));
        let few = |key: &ShardKey| !whole.contains(key) && !self.listing.with_untracked(|shards| matches!(shards.get(key), Some(Load::Ready(_))));
        let alone: Vec<usize> = (0..docs.len()).filter(|&place| few(&(places[place].segment, places[place].number))).collect();
        // Their pieces, named in one pass over the catalog (none where a segment lays out no slots).
        let pieces = self.resolve(|catalog| alone.iter().map(|&place| catalog.row_piece(docs[place])).collect::<Result<Vec<_>, _>>()).await?;
        let (alone, pieces): (Vec<usize>, Vec<String>) = alone.into_iter().zip(pieces).filter_map(|(place, piece)| Some((place, piece?))).unzip();
        let mut rows: Vec<Option<ListingRow>> = vec![None; docs.len()];
        let mut is_alone = vec![false; docs.len()];
        alone.iter().for_each(|&place| is_alone[place] = true);
        // The shards and the rows alone are read together (they do not wait for each other), the files of both
        // counted as one: `progress` hears every file fetched, of all those asked for so far.
        let (shard_files, shards_done, pieces_done) = (Cell::new(0), Cell::new(0), Cell::new(0));
        let tell = || progress(shards_done.get() + pieces_done.get(), shard_files.get() + pieces.len());
        let keys = places.iter().zip(&is_alone).filter(|(_, &alone)| !alone).map(|(at, _)| (at.segment, at.number)).collect();
        let shards = self.load_shards(self.listing, FamilyKind::Listing, keys, decode_listing, |done, of| {
            shards_done.set(done);
            shard_files.set(of);
            tell();
        });
        let rows_alone = async {
            let mut fetched = fetch_several(&pieces, |done, _| {
                pieces_done.set(done);
                tell();
            });
            let mut parsed = Vec::with_capacity(pieces.len());
            while let Some((piece, bytes)) = fetched.next().await {
                parsed.push(parse_row(&piece, &bytes?)?);
            }
            Ok::<_, LoadError>(parsed)
        };
        let (shards, rows_alone) = futures::future::join(shards, rows_alone).await;
        shards?;
        let rows_alone = rows_alone?;
        if rows_alone.len() != alone.len() {
            return Err(LoadError::Inconsistent.noting("fewer rows than were asked for"));
        }
        for (&place, row) in alone.iter().zip(rows_alone) {
            rows[place] = Some(row);
        }
        let shards = self.listing.get_untracked();
        places
            .iter()
            .zip(rows)
            .map(|(at, row)| match (row, shards.get(&(at.segment, at.number))) {
                (Some(row), _) => Ok(row),
                (None, Some(Load::Ready(shard))) => shard.rows.get(at.index as usize).cloned().ok_or_else(|| LoadError::Inconsistent.noting(format_args!("listing shard {at:?} is shorter than its directory says"))),
                (None, _) => Err(LoadError::Inconsistent.noting(format_args!("listing shard {at:?} did not arrive"))),
            })
            .collect()
    }

    /// The export rows of `docs` (in their order), from their listing shards and the originals' addresses,
    /// fetching what is not here yet; `progress(done, of)` counts the files. The listing shards it fetches
    /// stay for the list.
    pub async fn export_rows(&self, docs: &[u32], base: &str, progress: impl Fn(usize, usize)) -> Result<Vec<ExportRow>, LoadError> {
        let mut source_places = Vec::with_capacity(docs.len());
        for &doc in docs {
            source_places.push(self.resolve(|catalog| catalog.shard_of(FamilyKind::Sources, doc)).await?);
        }
        let mut source_keys: Vec<ShardKey> = source_places.iter().flatten().map(|at| (at.segment, at.number)).collect();
        source_keys.sort_unstable();
        source_keys.dedup();
        // One count of files for both kinds: the listing shards first, then the address files.
        let listing_files = Cell::new(0);
        let rows = self
            .rows_of(docs, |done, of| {
                listing_files.set(of);
                progress(done, of + source_keys.len());
            })
            .await?;
        let files = listing_files.get() + source_keys.len();
        let mut paths = Vec::with_capacity(source_keys.len());
        for &key in &source_keys {
            paths.push(self.resolve(|catalog| catalog.file(FamilyKind::Sources, key.0, key.1)).await?.ok_or_else(|| missing_file(FamilyKind::Sources, key))?);
        }
        let mut sources: HashMap<ShardKey, SourcesShard> = HashMap::new();
        let mut fetched = fetch_several(&paths, |done, _| progress(listing_files.get() + done, files));
        for &key in &source_keys {
            let Some((path, bytes)) = fetched.next().await else { return Err(LoadError::Inconsistent.noting("fewer address files than were asked for")) };
            sources.insert(key, parse_json::<SourcesShard>(&bytes?, &path)?);
        }
        Ok(rows
            .iter()
            .zip(&source_places)
            .map(|(row, source)| {
                let url = source.and_then(|at| sources.get(&(at.segment, at.number))?.urls.get(at.index as usize).cloned().flatten());
                ExportRow::of(row, url, base)
            })
            .collect())
    }

    /// Titles already here (the listing rows fetched so far and the sidebar headlines), for writing suggested
    /// words as the archive spells them.
    pub fn loaded_titles(&self) -> Vec<String> {
        let mut titles: Vec<String> = self.listing.with_untracked(|shards| {
            shards.values().filter_map(|shard| if let Load::Ready(shard) = shard { Some(shard.rows.iter().map(|row| row.title.clone())) } else { None }).flatten().collect()
        });
        if let Load::Ready(headlines) = self.headlines.get_untracked() {
            titles.extend(headlines.headlines.iter().map(|headline| headline.text.clone()));
        }
        titles
    }

    /// The files reading `docs` offline needs, with their sizes (`Catalog::files_for_reading`).
    pub async fn files_for_reading(&self, docs: &[u32]) -> Result<Vec<(String, u64)>, LoadError> {
        self.resolve(|catalog| catalog.files_for_reading(docs.iter().copied())).await
    }

    /// Every file of the bundle with its size, for saving it all offline.
    pub async fn all_files(&self) -> Result<Vec<(String, u64)>, LoadError> {
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
fn open_library(bytes: &[u8]) -> Result<(Library, Catalog), LoadError> {
    let manifest = read_manifest(bytes).map_err(|error| match error {
        ManifestError::UnsupportedVersion(found) => LoadError::Unsupported { found },
        ManifestError::Unreadable(why) => damaged(MANIFEST_FILE, &why),
    })?;
    let catalog = Catalog::new(manifest.clone()).map_err(|error| damaged(MANIFEST_FILE, &error))?;
    Ok((Library { manifest }, catalog))
}

/// The decoded outlet block `(segment, number)` among `blocks`, when it has arrived.
fn loaded_block(blocks: &HashMap<ShardKey, Load<Arc<Vec<u32>>>>, segment: usize, number: u32) -> Option<&[u32]> {
    match blocks.get(&(segment, number)) {
        Some(Load::Ready(column)) => Some(column.as_slice()),
        _ => None,
    }
}

/// How a shard of a family is read from its bytes (with the store and the shard's key, for checks against
/// its segment).
type Decode<T> = fn(&Store, ShardKey, Vec<u8>, &str) -> Result<T, LoadError>;

fn decode_listing(_: &Store, _: ShardKey, bytes: Vec<u8>, path: &str) -> Result<ListingShard, LoadError> {
    parse_json(&bytes, path)
}

/// Files fetched at once by `fetch_several`: as many as a browser opens connections to one host over HTTP/1.1,
/// so an export's dozens of listing shards cost a few round trips' worth of waiting, not one each.
const FILES_AT_ONCE: usize = 6;

/// `paths` fetched `FILES_AT_ONCE` at a time, each with its bytes, in the order given; `progress(done, of)`
/// counts the files as they come.
fn fetch_several<'a>(paths: &'a [String], progress: impl Fn(usize, usize) + 'a) -> impl futures::Stream<Item = (String, Result<Vec<u8>, LoadError>)> + Unpin + 'a {
    progress(0, paths.len());
    let done = Cell::new(0);
    futures::stream::iter(paths.iter().map(|path| async move { (path.clone(), fetch_bytes(path, None).await) }))
        .buffered(FILES_AT_ONCE)
        .inspect(move |_| {
            done.set(done.get() + 1);
            progress(done.get(), paths.len());
        })
        .boxed_local()
}

fn decode_outlets(store: &Store, key: ShardKey, bytes: Vec<u8>, path: &str) -> Result<Vec<u32>, LoadError> {
    store.outlet_block(key, &bytes, path)
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &str) -> Result<T, LoadError> {
    serde_json::from_slice(bytes).map_err(|error| damaged(path, &error))
}

/// A damaged file, noted so that a retry fetches it afresh; the file and what the decoder found go to the
/// console.
fn damaged(request: &str, error: &dyn std::fmt::Display) -> LoadError {
    sahifa_fetch::mark_damaged(request);
    LoadError::Damaged.noting(format_args!("{}: {error}", split_request(request).0))
}

/// One listing row read alone from its slot (`Catalog::row_piece`), fetched once however many views ask for
/// it at the same time (an article's related articles and its story's other tellings are often the same).
async fn fetch_row(piece: &str) -> Result<ListingRow, LoadError> {
    let bytes = fetch_shared(piece).await;
    forget_shared(piece);
    parse_row(piece, &bytes?)
}

/// A listing row from the bytes of its slot, `piece`; a damaged one is noted so a retry fetches it afresh.
fn parse_row(piece: &str, bytes: &[u8]) -> Result<ListingRow, LoadError> {
    row_of_piece(piece, bytes).map_err(|error| damaged(piece, &error))
}

/// A file the archive's directory does not name: the archive contradicts itself.
fn missing_file(family: FamilyKind, (segment, number): ShardKey) -> LoadError {
    LoadError::Inconsistent.noting(format_args!("the directory names no file {number} of {family:?} in segment {segment}"))
}

async fn fetch_json<T: DeserializeOwned>(path: &str) -> Result<T, LoadError> {
    // Every file but the manifest is content-hashed, so whatever the cache holds is right.
    parse_json(&fetch_bytes(path, None).await?, path)
}

type SharedFetch = Shared<LocalBoxFuture<'static, Result<Rc<Vec<u8>>, LoadError>>>;

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
                async move { fetch_bytes(&path, None).await.map(Rc::new) }.boxed_local().shared()
            })
            .clone()
    })
}

fn forget_shared(path: &str) {
    IN_FLIGHT.with(|flights| flights.borrow_mut().remove(path));
}

/// Fetches a bundle file or a piece of one through the fetcher the search package shares (`sahifa_fetch`: the
/// `Range` header, a damaged file fetched afresh, one retry after a dropped connection), in the viewer's words.
async fn fetch_bytes(request: &str, abort: Option<&AbortSignal>) -> Result<Vec<u8>, LoadError> {
    sahifa_fetch::fetch_bytes(BUNDLE_FOLDER, request, abort).await.map_err(|error| {
        let kind = match &error {
            FetchError::Offline { .. } | FetchError::Aborted => LoadError::Unreachable,
            FetchError::Status { status, .. } => LoadError::Refused { status: *status },
            FetchError::Cut { .. } => LoadError::Cut,
            FetchError::Damaged { .. } => LoadError::Damaged,
        };
        kind.noting(error)
    })
}

/// An `AbortController` aborted when the current reactive owner is cleaned up: a resource's fetches stop when
/// the view that asked for them goes (Leptos' hackernews example does the same). `None` where there is no
/// browser, as when the first screen is drawn at build time.
fn abort_on_cleanup() -> Option<AbortController> {
    let controller = AbortController::new().ok()?;
    let on_cleanup_controller = SendWrapper::new(controller.clone());
    on_cleanup(move || on_cleanup_controller.abort());
    Some(controller)
}
