//! The bundle: the versioned boundary between the builder and the viewer. Writer and reader share these
//! types. `manifest.json` is small and names the rest through directory pages; every other file is
//! content-hashed and spread over two-hex-digit sub-folders, so a host can cache them forever, a redeploy
//! uploads only what changed, and no folder holds too many files.
//!
//! Format v2 is sharded so that what the viewer downloads at start-up does not grow with the archive:
//! documents are numbered newest first (so a range of numbers is a range of dates), listing rows and article
//! texts come in shards by number, an article's link id is found through buckets by id, the outlet of each
//! document is a compact column per block of numbers, and search has its own sharded index
//! (`search::sharded`).

use crate::codec::write_varint;
use crate::model::{fnv1a_64, Article};
use crate::normalize::normalized_words;
use crate::search::index::DocumentTerms;
use crate::search::sharded::DOC_BLOCK;
use crate::search::writer::{IndexWriter, KeyRun};
use crate::Date;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Bumped whenever a reader of the previous version could misread a bundle of this one.
pub const FORMAT_VERSION: u32 = 2;
pub const MANIFEST_FILE: &str = "manifest.json";
/// Listing rows per shard: a screen of the list needs one or two shards.
pub const ROWS_PER_SHARD: u32 = 128;
/// Articles per content shard: opening one article fetches its shard, never the whole archive.
pub const ARTICLES_PER_SHARD: u32 = 256;
/// About this many ids per bucket of the id lookup.
pub const IDS_PER_BUCKET: u32 = 512;
/// Documents per block of the outlet column (the same blocks as frequent postings).
pub const OUTLET_BLOCK: u32 = DOC_BLOCK;
/// File names per directory page.
pub const DIRECTORY_PAGE_FILES: usize = 256;
pub const EXCERPT_CHARS: usize = 220;

/// The bundle's top-level folders, one per family; every file but `manifest.json` lies in one of them, so a
/// host can mark each folder immutable (`cargo xtask finish-site` writes those rules).
pub const LISTING_FOLDER: &str = "listing";
pub const ARTICLES_FOLDER: &str = "articles";
pub const OUTLETS_FOLDER: &str = "outlets";
pub const IDS_FOLDER: &str = "ids";
pub const HEADLINES_FOLDER: &str = "headlines";
pub const DIRECTORY_FOLDER: &str = "directory";
/// Search files go in sub-folders of this one (`search/terms`, `search/postings`…).
pub const SEARCH_FOLDER: &str = "search";
pub const FOLDERS: [&str; 7] =
    [LISTING_FOLDER, ARTICLES_FOLDER, OUTLETS_FOLDER, IDS_FOLDER, HEADLINES_FOLDER, DIRECTORY_FOLDER, SEARCH_FOLDER];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub generator: String,
    pub counts: Counts,
    /// Outlets in the order the outlet column numbers them (1 is the first), with their article counts.
    pub outlets: Vec<FacetValue>,
    /// Dated articles come first, newest first, so each year is one range of document numbers.
    pub years: Vec<YearRange>,
    pub listing: Family,
    pub articles: Family,
    pub outlet_column: Family,
    pub ids: Family,
    /// Term blocks and postings packs: named by the search root and blocks; listed here for saving offline.
    pub search_files: Family,
    /// `ids` bucket of an id: its first `id_bucket_bits` bits.
    pub id_bucket_bits: u32,
    pub search_root: String,
    pub headlines: String,
    /// Every file but the manifest: how many and how large, so saving offline can say what it costs.
    pub total_files: u64,
    pub total_bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub articles: u32,
    pub headlines: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRange {
    pub year: u16,
    pub first: u32,
    pub count: u32,
}

/// A numbered series of files (the n-th shard holds items `n * per_file ..`), named through directory pages
/// of `DIRECTORY_PAGE_FILES` names each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    pub per_file: u32,
    pub files: u32,
    pub directory: Vec<String>,
}

impl Family {
    /// The directory page and the slot in it that name file `number`.
    pub fn locate(&self, number: u32) -> Option<(&str, usize)> {
        if number >= self.files {
            return None;
        }
        let page = self.directory.get(number as usize / DIRECTORY_PAGE_FILES)?;
        Some((page, number as usize % DIRECTORY_PAGE_FILES))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    /// Path and size in bytes of each file.
    pub files: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingShard {
    pub first: u32,
    pub rows: Vec<ListingRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRow {
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub excerpt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleShard {
    pub first: u32,
    pub articles: Vec<Article>,
}

/// Ids and document numbers of one bucket, sorted by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdBucket {
    pub ids: Vec<(String, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlinesFile {
    pub headlines: Vec<Headline>,
}

/// A crawl-time sidebar headline, kept once however many pages showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub text: String,
    /// How many pages showed it.
    pub pages: u32,
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

/// A content-hashed file in a two-hex-digit sub-folder of `folder`.
pub fn hashed_file(folder: &str, bytes: Vec<u8>, extension: &str) -> BundleFile {
    let hash = format!("{:016x}", fnv1a_64(&bytes));
    BundleFile { path: format!("{folder}/{}/{hash}.{extension}", &hash[..2]), bytes }
}

pub fn json_file<T: Serialize>(folder: &str, value: &T) -> BundleFile {
    hashed_file(folder, to_json(value), "json")
}

/// JSON as the bundle writes it: compact, raw UTF-8 (serde_json never escapes Arabic).
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("bundle types always serialize")
}

/// Collects sidebar headlines across pages, merging those that are equal once normalized.
#[derive(Default)]
pub struct HeadlineCollector {
    /// Raw text to position: most pages repeat headlines other pages showed, so most lookups stop here
    /// without normalizing.
    position_by_text: HashMap<String, usize>,
    position_by_key: HashMap<String, usize>,
    headlines: Vec<Headline>,
}

impl HeadlineCollector {
    pub fn add(&mut self, texts: &[String]) {
        for text in texts {
            let position = match self.position_by_text.get(text) {
                Some(&position) => position,
                None => {
                    let key = normalized_words(text).join(" ");
                    let position = *self.position_by_key.entry(key).or_insert_with(|| {
                        self.headlines.push(Headline { text: text.clone(), pages: 0 });
                        self.headlines.len() - 1
                    });
                    self.position_by_text.insert(text.clone(), position);
                    position
                }
            };
            self.headlines[position].pages += 1;
        }
    }

    pub fn finish(self) -> Vec<Headline> {
        self.headlines
    }
}

/// The listing order: newest first, undated last; ties broken by title and id so the order never depends on
/// input order.
pub fn newest_first(a: (Option<Date>, &str, &str), b: (Option<Date>, &str, &str)) -> Ordering {
    b.0.is_some().cmp(&a.0.is_some()).then(b.0.cmp(&a.0)).then_with(|| a.1.cmp(b.1)).then_with(|| a.2.cmp(b.2))
}

pub fn sort_newest_first(articles: &mut [Article]) {
    articles.sort_by(|a, b| newest_first((a.published, &a.title, &a.id), (b.published, &b.title, &b.id)));
}

/// The `ids` bucket an article id falls in.
pub fn id_bucket(id: &str, bits: u32) -> u32 {
    if bits == 0 {
        return 0;
    }
    let value = u64::from_str_radix(id, 16).unwrap_or_else(|_| fnv1a_64(id.as_bytes()));
    (value >> (64 - bits)) as u32
}

/// Writes a bundle while articles stream in, newest first. Files are handed to `emit` as soon as they are
/// complete; the output depends only on the input, byte for byte.
pub struct BundleWriter {
    generator: String,
    documents: u32,
    rows: Vec<ListingRow>,
    articles: Vec<Article>,
    index: IndexWriter,
    ids: Vec<(String, u32)>,
    /// Per document, its outlet's number in first-seen order (0: none); renumbered by count at the end.
    outlet_of: Vec<u32>,
    outlet_names: Vec<String>,
    outlet_numbers: HashMap<String, u32>,
    years: Vec<YearRange>,
    written: Written,
}

/// The files written so far, per family.
#[derive(Default)]
struct Written {
    listing: Vec<(String, u64)>,
    articles: Vec<(String, u64)>,
    search: Vec<(String, u64)>,
    total_bytes: u64,
    total_files: u64,
    /// Paths written so far: two files with the same bytes share one path, and are counted once.
    paths: crate::fast_map::FastSet<String>,
}

impl Written {
    /// Counts a file unless its path was written already; answers whether it was new.
    fn count(&mut self, file: &BundleFile) -> bool {
        let new = self.paths.insert(file.path.clone());
        if new {
            self.total_bytes += file.bytes.len() as u64;
            self.total_files += 1;
        }
        new
    }

    /// Counts a file and gives its directory entry.
    fn record(&mut self, file: &BundleFile) -> (String, u64) {
        self.count(file);
        (file.path.clone(), file.bytes.len() as u64)
    }
}

impl BundleWriter {
    pub fn new(generator: &str) -> BundleWriter {
        BundleWriter {
            generator: generator.to_owned(),
            documents: 0,
            rows: Vec::new(),
            articles: Vec::new(),
            index: IndexWriter::new(),
            ids: Vec::new(),
            outlet_of: Vec::new(),
            outlet_names: Vec::new(),
            outlet_numbers: HashMap::new(),
            years: Vec::new(),
            written: Written::default(),
        }
    }

    /// Adds the next article (newest first, see [`newest_first`]) with its analyzed terms.
    pub fn add(&mut self, article: Article, terms: DocumentTerms, emit: &mut dyn FnMut(BundleFile)) {
        let doc = self.documents;
        self.documents += 1;
        if let Some(date) = article.published {
            match self.years.last_mut() {
                Some(range) if range.year == date.year => range.count += 1,
                _ => self.years.push(YearRange { year: date.year, first: doc, count: 1 }),
            }
        }
        let outlet = match &article.outlet {
            Some(name) => match self.outlet_numbers.get(name) {
                Some(&number) => number,
                None => {
                    self.outlet_names.push(name.clone());
                    let number = self.outlet_names.len() as u32;
                    self.outlet_numbers.insert(name.clone(), number);
                    number
                }
            },
            None => 0,
        };
        self.outlet_of.push(outlet);
        self.ids.push((article.id.clone(), doc));
        self.index.add(terms);
        self.rows.push(ListingRow {
            id: article.id.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published,
            excerpt: article.excerpt(EXCERPT_CHARS),
        });
        self.articles.push(article);
        if self.rows.len() == ROWS_PER_SHARD as usize {
            self.flush_rows(emit);
        }
        if self.articles.len() == ARTICLES_PER_SHARD as usize {
            self.flush_articles(emit);
        }
    }

    /// Bytes the search index holds while it waits for the end, for progress reports.
    pub fn buffered_index_bytes(&self) -> usize {
        self.index.buffered_bytes()
    }

    fn flush_rows(&mut self, emit: &mut dyn FnMut(BundleFile)) {
        let first = self.documents - self.rows.len() as u32;
        let file = json_file(LISTING_FOLDER, &ListingShard { first, rows: std::mem::take(&mut self.rows) });
        let entry = self.written.record(&file);
        self.written.listing.push(entry);
        emit(file);
    }

    fn flush_articles(&mut self, emit: &mut dyn FnMut(BundleFile)) {
        let first = self.documents - self.articles.len() as u32;
        let file = json_file(ARTICLES_FOLDER, &ArticleShard { first, articles: std::mem::take(&mut self.articles) });
        let entry = self.written.record(&file);
        self.written.articles.push(entry);
        emit(file);
    }

    /// Writes what remains: the last shards, the search index, the id buckets, the outlet column, the
    /// headlines, the directories and, last, the manifest.
    pub fn finish(self, headlines: Vec<Headline>, emit: &mut dyn FnMut(BundleFile)) {
        self.finish_with(headlines, emit, |index, emit| index.finish(emit));
    }

    /// Takes the search postings buffered so far as a sorted run (see `IndexWriter::take_run`), for builders
    /// that keep them on disk to bound their memory.
    pub fn take_index_run(&mut self) -> Vec<KeyRun> {
        self.index.take_run()
    }

    /// Like [`BundleWriter::finish`], with every run taken so far handed back merged by key.
    pub fn finish_runs(self, headlines: Vec<Headline>, merged: impl Iterator<Item = Vec<KeyRun>>, emit: &mut dyn FnMut(BundleFile)) {
        self.finish_with(headlines, emit, |index, emit| index.finish_runs(merged, emit));
    }

    fn finish_with(
        mut self,
        headlines: Vec<Headline>,
        emit: &mut dyn FnMut(BundleFile),
        finish_index: impl FnOnce(IndexWriter, &mut dyn FnMut(BundleFile)) -> BundleFile,
    ) {
        if !self.rows.is_empty() {
            self.flush_rows(emit);
        }
        if !self.articles.is_empty() {
            self.flush_articles(emit);
        }
        let written = &mut self.written;
        let index = std::mem::take(&mut self.index);
        let root = finish_index(index, &mut |file| {
            // Search files are listed once each (the numbered families keep their slots, repeats included).
            if written.count(&file) {
                written.search.push((file.path.clone(), file.bytes.len() as u64));
            }
            emit(file);
        });
        let search_root = root.path.clone();
        self.written.record(&root);
        emit(root);

        let record = |file: BundleFile, list: &mut Vec<(String, u64)>, written: &mut Written, emit: &mut dyn FnMut(BundleFile)| {
            list.push(written.record(&file));
            emit(file);
        };

        // Outlets numbered by how many articles they have, most first; names break ties.
        let mut counts = vec![0u32; self.outlet_names.len() + 1];
        self.outlet_of.iter().for_each(|&number| counts[number as usize] += 1);
        let mut order: Vec<u32> = (1..=self.outlet_names.len() as u32).collect();
        order.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then_with(|| self.outlet_names[a as usize - 1].cmp(&self.outlet_names[b as usize - 1])));
        let mut renumber = vec![0u32; self.outlet_names.len() + 1];
        order.iter().enumerate().for_each(|(rank, &number)| renumber[number as usize] = rank as u32 + 1);
        let outlets: Vec<FacetValue> =
            order.iter().map(|&n| FacetValue { value: self.outlet_names[n as usize - 1].clone(), count: counts[n as usize] }).collect();
        let mut columns = Vec::new();
        for block in self.outlet_of.chunks(OUTLET_BLOCK as usize) {
            let mut bytes = Vec::with_capacity(block.len());
            block.iter().for_each(|&number| write_varint(&mut bytes, renumber[number as usize]));
            record(hashed_file(OUTLETS_FOLDER, bytes, "bin"), &mut columns, &mut self.written, emit);
        }

        let bits = id_bucket_bits(self.documents);
        let mut buckets: Vec<Vec<(String, u32)>> = vec![Vec::new(); 1 << bits];
        for (id, doc) in std::mem::take(&mut self.ids) {
            buckets[id_bucket(&id, bits) as usize].push((id, doc));
        }
        let mut id_files = Vec::new();
        for mut ids in buckets {
            ids.sort();
            record(json_file(IDS_FOLDER, &IdBucket { ids }), &mut id_files, &mut self.written, emit);
        }

        let headline_count = headlines.len() as u32;
        let headlines_file = json_file(HEADLINES_FOLDER, &HeadlinesFile { headlines });
        let headlines_path = headlines_file.path.clone();
        self.written.record(&headlines_file);
        emit(headlines_file);

        let listing_files = std::mem::take(&mut self.written.listing);
        let article_files = std::mem::take(&mut self.written.articles);
        let search_files = std::mem::take(&mut self.written.search);
        let mut family = |per_file: u32, files: Vec<(String, u64)>, written: &mut Written| {
            let count = files.len() as u32;
            let mut directory = Vec::new();
            for page in files.chunks(DIRECTORY_PAGE_FILES) {
                let file = json_file(DIRECTORY_FOLDER, &DirectoryPage { files: page.to_vec() });
                directory.push(written.record(&file).0);
                emit(file);
            }
            Family { per_file, files: count, directory }
        };
        let listing = family(ROWS_PER_SHARD, listing_files, &mut self.written);
        let articles = family(ARTICLES_PER_SHARD, article_files, &mut self.written);
        let outlet_column = family(OUTLET_BLOCK, columns, &mut self.written);
        let ids = family(0, id_files, &mut self.written);
        let search_files = family(0, search_files, &mut self.written);
        let manifest = Manifest {
            format_version: FORMAT_VERSION,
            generator: self.generator,
            counts: Counts { articles: self.documents, headlines: headline_count },
            outlets,
            years: self.years,
            listing,
            articles,
            outlet_column,
            ids,
            search_files,
            id_bucket_bits: bits,
            search_root,
            headlines: headlines_path,
            total_files: self.written.total_files,
            total_bytes: self.written.total_bytes,
        };
        emit(BundleFile { path: MANIFEST_FILE.to_owned(), bytes: to_json(&manifest) });
    }
}

/// Enough bits that buckets hold about `IDS_PER_BUCKET` ids each.
fn id_bucket_bits(documents: u32) -> u32 {
    let buckets = documents.div_ceil(IDS_PER_BUCKET).max(1);
    buckets.next_power_of_two().trailing_zeros()
}

/// Lays out a whole bundle in memory from articles in any order: what tests and small tools need.
pub fn assemble(mut articles: Vec<Article>, headlines: Vec<Headline>, generator: &str) -> Vec<BundleFile> {
    use crate::search::index::{analyze, article_fields};
    sort_newest_first(&mut articles);
    let mut files = Vec::new();
    let mut emit = |file: BundleFile| files.push(file);
    let mut writer = BundleWriter::new(generator);
    for article in articles {
        let terms = analyze(&article_fields(&article));
        writer.add(article, terms, &mut emit);
    }
    writer.finish(headlines, &mut emit);
    files
}

/// Decodes an outlet column: per document of the block, its outlet's number in `Manifest::outlets` (1 is the
/// first), 0 when it has none.
pub fn decode_outlet_column(bytes: &[u8]) -> Vec<u32> {
    let mut reader = crate::codec::VarintReader::new(bytes);
    std::iter::from_fn(|| reader.read()).collect()
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
