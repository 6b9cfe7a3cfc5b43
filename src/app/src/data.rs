//! Fetching the bundle and keeping what was fetched. The manifest and listing load at start-up; the search
//! index only when the reader first searches; an article's shard only when it is opened. Paths are relative
//! to the page, so the app works under any sub-path.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sahifa_core::bundle::{read_manifest, ArticleShard, Headline, HeadlinesFile, ListingFile, ListingRow, Manifest, ManifestError, MANIFEST_FILE};
use sahifa_core::search::SearchIndex;
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

/// What start-up loads: enough to list, filter and facet every article.
#[derive(Debug, PartialEq)]
pub struct Library {
    pub manifest: Manifest,
    pub rows: Vec<ListingRow>,
}

impl Library {
    pub fn row_position(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|row| row.id == id)
    }
}

/// The app's data, shared through context.
#[derive(Clone, Copy)]
pub struct Store {
    pub library: RwSignal<Load<Arc<Library>>>,
    /// The sidebar headlines load after the list, so they never delay the first screen.
    pub headlines: RwSignal<Load<Arc<Vec<Headline>>>>,
    /// `None` until a search first asks for the index.
    pub index: RwSignal<Option<Load<Arc<SearchIndex>>>>,
    pub shards: RwSignal<HashMap<usize, Load<Arc<ArticleShard>>>>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            library: RwSignal::new(Load::Loading),
            headlines: RwSignal::new(Load::Loading),
            index: RwSignal::new(None),
            shards: RwSignal::new(HashMap::new()),
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

    /// Fetches the sidebar headlines once the library is here; a failure is retried on its own.
    pub fn load_headlines(&self) {
        let Load::Ready(library) = self.library.get_untracked() else { return };
        let headlines = self.headlines;
        headlines.set(Load::Loading);
        let path = library.manifest.files.headlines.clone();
        spawn_local(async move {
            headlines.set(match fetch_json::<HeadlinesFile>(&path).await {
                Ok(file) => Load::Ready(Arc::new(file.headlines)),
                Err(message) => Load::Failed(message),
            });
        });
    }

    /// Starts fetching the search index unless it is here or on its way. A failed fetch is retried.
    pub fn ensure_index(&self) {
        let index = self.index;
        if matches!(index.get_untracked(), Some(Load::Loading | Load::Ready(_))) {
            return;
        }
        let Load::Ready(library) = self.library.get_untracked() else { return };
        index.set(Some(Load::Loading));
        let path = library.manifest.files.search_index.clone();
        spawn_local(async move {
            index.set(Some(match fetch_json::<SearchIndex>(&path).await {
                Ok(loaded) => Load::Ready(Arc::new(loaded)),
                Err(message) => Load::Failed(message),
            }));
        });
    }

    /// Starts fetching article shard `number` unless it is here or on its way. A failed fetch is retried.
    pub fn ensure_shard(&self, number: usize) {
        let shards = self.shards;
        if matches!(shards.with_untracked(|s| s.get(&number).cloned()), Some(Load::Loading | Load::Ready(_))) {
            return;
        }
        let Load::Ready(library) = self.library.get_untracked() else { return };
        let Some(path) = library.manifest.files.article_shards.get(number).cloned() else { return };
        shards.update(|s| {
            s.insert(number, Load::Loading);
        });
        spawn_local(async move {
            let loaded = match fetch_json::<ArticleShard>(&path).await {
                Ok(shard) => Load::Ready(Arc::new(shard)),
                Err(message) => Load::Failed(message),
            };
            shards.update(|s| {
                s.insert(number, loaded);
            });
        });
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
    let listing: ListingFile = fetch_json(&manifest.files.listing).await?;
    Ok(Library { manifest, rows: listing.rows })
}

async fn fetch_json<T: DeserializeOwned>(path: &str) -> Result<T, String> {
    // Every file but the manifest is content-hashed, so whatever the cache holds is right.
    let bytes = fetch_bytes(path).await?;
    serde_json::from_slice(&bytes).map_err(|error| format!("الملف {path} تالف: {error}"))
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
