//! The bundle: the versioned boundary between the builder and the viewer. Writer and reader share these
//! types. `manifest.json` is small and names every other file; the others are content-hashed, so a host can
//! cache them forever and a redeploy uploads only what changed.

use crate::model::{fnv1a_64, Article};
use crate::normalize::normalized_words;
use crate::search::SearchIndex;
use crate::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Bumped whenever a reader of the previous version could misread a bundle of this one.
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST_FILE: &str = "manifest.json";
/// Articles per content shard: opening one article fetches its shard, never the whole archive.
pub const ARTICLES_PER_SHARD: usize = 200;
pub const EXCERPT_CHARS: usize = 220;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub generator: String,
    pub counts: Counts,
    pub facets: Facets,
    pub files: Files,
    /// The size in bytes of every file named in `files`, so a reader can be told what saving the whole
    /// archive for offline reading costs before it starts.
    pub sizes: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub articles: usize,
    pub headlines: usize,
}

/// Facet values with the number of articles that have them, most frequent first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub outlets: Vec<FacetValue>,
    pub years: Vec<FacetValue>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
}

/// Paths relative to the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Files {
    pub listing: String,
    pub headlines: String,
    pub search_index: String,
    pub article_shards: Vec<String>,
}

/// The list view's rows, newest first; undated articles last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingFile {
    pub rows: Vec<ListingRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRow {
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub excerpt: String,
    /// Index into `Files::article_shards` of the shard holding the full text.
    pub shard: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleShard {
    pub articles: Vec<Article>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlinesFile {
    pub headlines: Vec<Headline>,
}

/// A crawl-time sidebar headline, kept once however many pages showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub text: String,
    /// Ids of the articles whose pages showed this headline, in build order.
    pub seen_on: Vec<String>,
}

impl Headline {
    /// A stable id, from the text, for results and links.
    pub fn id(&self) -> String {
        format!("h{:016x}", fnv1a_64(self.text.as_bytes()))
    }
}

/// One file of a bundle, with its path relative to the bundle folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Collects sidebar headlines across pages, merging those that are equal once normalized.
#[derive(Default)]
pub struct HeadlineCollector {
    position_by_key: HashMap<String, usize>,
    headlines: Vec<Headline>,
}

impl HeadlineCollector {
    pub fn add(&mut self, article_id: &str, texts: &[String]) {
        for text in texts {
            let key = normalized_words(text).join(" ");
            let position = *self.position_by_key.entry(key).or_insert_with(|| {
                self.headlines.push(Headline { text: text.clone(), seen_on: Vec::new() });
                self.headlines.len() - 1
            });
            let seen_on = &mut self.headlines[position].seen_on;
            if !seen_on.iter().any(|id| id == article_id) {
                seen_on.push(article_id.to_owned());
            }
        }
    }

    pub fn finish(self) -> Vec<Headline> {
        self.headlines
    }
}

/// Newest first, undated last; ties broken by title and id so the order never depends on input order.
pub fn sort_newest_first(articles: &mut [Article]) {
    articles.sort_by(|a, b| {
        b.published.is_some().cmp(&a.published.is_some())
            .then(b.published.cmp(&a.published))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Lays out a whole bundle in memory. The output depends only on the input, byte for byte.
pub fn assemble(mut articles: Vec<Article>, headlines: Vec<Headline>, generator: &str) -> Vec<BundleFile> {
    sort_newest_first(&mut articles);
    let mut files = Vec::new();

    let mut article_shards = Vec::new();
    for (number, chunk) in articles.chunks(ARTICLES_PER_SHARD).enumerate() {
        let shard = ArticleShard { articles: chunk.to_vec() };
        let file = hashed_file(&format!("articles/{number:04}"), &shard);
        article_shards.push(file.path.clone());
        files.push(file);
    }

    let rows: Vec<ListingRow> = articles
        .iter()
        .enumerate()
        .map(|(position, article)| ListingRow {
            id: article.id.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published,
            excerpt: article.excerpt(EXCERPT_CHARS),
            shard: position / ARTICLES_PER_SHARD,
        })
        .collect();
    let facets = facets_of(rows.iter());
    let headline_texts: Vec<String> = headlines.iter().map(|headline| headline.text.clone()).collect();
    let search_index = SearchIndex::build(&articles, &headline_texts);

    let listing = hashed_file("listing", &ListingFile { rows });
    let headline_count = headlines.len();
    let headlines = hashed_file("headlines", &HeadlinesFile { headlines });
    let search_index = hashed_file("search-index", &search_index);
    let named = Files {
        listing: listing.path.clone(),
        headlines: headlines.path.clone(),
        search_index: search_index.path.clone(),
        article_shards,
    };
    files.extend([listing, headlines, search_index]);
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        generator: generator.to_owned(),
        counts: Counts { articles: articles.len(), headlines: headline_count },
        facets,
        files: named,
        sizes: files.iter().map(|file| (file.path.clone(), file.bytes.len() as u64)).collect(),
    };
    files.push(BundleFile { path: MANIFEST_FILE.to_owned(), bytes: to_json(&manifest) });
    files
}

/// Counts outlets and years over some listing rows; the viewer calls it on the rows a query leaves.
pub fn facets_of<'a>(rows: impl Iterator<Item = &'a ListingRow>) -> Facets {
    let mut outlets: BTreeMap<&str, usize> = BTreeMap::new();
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    for row in rows {
        if let Some(outlet) = &row.outlet {
            *outlets.entry(outlet).or_default() += 1;
        }
        if let Some(date) = row.published {
            *years.entry(date.year).or_default() += 1;
        }
    }
    let mut outlets: Vec<FacetValue> =
        outlets.into_iter().map(|(value, count)| FacetValue { value: value.to_owned(), count }).collect();
    outlets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    // Years read best newest first, like the list.
    let years = years.into_iter().rev().map(|(year, count)| FacetValue { value: year.to_string(), count }).collect();
    Facets { outlets, years }
}

/// JSON as the bundle writes it: compact, raw UTF-8 (serde_json never escapes Arabic).
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("bundle types always serialize")
}

fn hashed_file<T: Serialize>(stem: &str, value: &T) -> BundleFile {
    let bytes = to_json(value);
    let path = format!("{stem}.{:016x}.json", fnv1a_64(&bytes));
    BundleFile { path, bytes }
}

/// Why a manifest could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum ManifestError {
    Unreadable(String),
    UnsupportedVersion(u32),
}

/// Reads a manifest, checking its version before trusting the rest of its shape.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest, ManifestError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        format_version: u32,
    }
    let version: VersionOnly =
        serde_json::from_slice(bytes).map_err(|error| ManifestError::Unreadable(error.to_string()))?;
    if version.format_version != FORMAT_VERSION {
        return Err(ManifestError::UnsupportedVersion(version.format_version));
    }
    serde_json::from_slice(bytes).map_err(|error| ManifestError::Unreadable(error.to_string()))
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManifestError::Unreadable(why) => write!(f, "manifest.json is not a Sahifa manifest: {why}"),
            ManifestError::UnsupportedVersion(found) => write!(
                f,
                "the bundle has format_version {found}, but this Sahifa reads version {FORMAT_VERSION}; rebuild the bundle with a matching sahifa"
            ),
        }
    }
}
