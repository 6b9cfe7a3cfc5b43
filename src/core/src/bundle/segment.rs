//! A segment: some articles with every file about them (listing rows, article texts, id buckets, outlet
//! column, search index) and a descriptor naming those files. Documents are numbered inside the segment,
//! newest first. A segment's files depend only on the articles it holds, so it never changes once written;
//! updates write new segments and merge old ones (see `plan`).

use super::directory::{write_family, Family};
use super::ids::{bucket_bits, id_bucket, IdBucket};
use super::listing::{encode_listing_shard, ListingRow, ListingShard, SourcesShard};
use super::manifest::{FacetValue, SegmentRef, YearRange};
use super::outlets::{encode_outlet_column, outlet_bits};
use super::related::encode_related_block;
use super::search_index::{IndexWriter, KeyRun, PostingsBatch, SearchRoot};
use super::articles::{ArticleShardWriter, TextRange};
use super::{Sizes, ARTICLES_FOLDER, IDS_FOLDER, LISTING_FOLDER, OUTLETS_FOLDER, SEGMENTS_FOLDER, SOURCES_FOLDER, STORIES_FOLDER, RELATED_FOLDER};
use crate::fast_map::FastSet;
use crate::files::{hashed_file, json_file, BundleFile};
use crate::related::{related, signature, Signature};
use crate::search::index::DocumentTerms;
use crate::Article;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A segment's descriptor: what the manifest's segment reference points to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub documents: u32,
    /// The outlets of this segment, most articles first, with their counts; its outlet column numbers them
    /// from 1.
    pub outlets: Vec<FacetValue>,
    /// Years newest first, as ranges of the segment's own document numbers.
    pub years: Vec<YearRange>,
    /// Days newest first, each with how many of the segment's documents carry it: enough to find, without
    /// any listing row, where a date range begins and ends in the archive's order (`Catalog::date_span`).
    /// Empty in descriptors written before it existed.
    #[serde(default)]
    pub days: Vec<DayCount>,
    pub listing: Family,
    pub articles: Family,
    pub outlet_column: Family,
    /// Bits per document in the outlet column's blocks (`outlets::outlet_bits`).
    pub outlet_bits: u8,
    pub ids: Family,
    /// The originals' addresses (`SourcesShard`); empty when no article of the segment has one, and in
    /// descriptors written before it existed.
    #[serde(default)]
    pub sources: Family,
    /// Each article's story fingerprint (`story::encode_column`, 0 for none), so the viewer finds the other
    /// tellings of a story among the articles near it in date; empty in descriptors written before it existed.
    #[serde(default)]
    pub stories: Family,
    /// Each article's related articles in the segment (`related::related`, `related::encode_related_block`);
    /// empty in descriptors written before it existed.
    #[serde(default)]
    pub related: Family,
    /// An id's bucket is its first `id_bucket_bits` bits.
    pub id_bucket_bits: u32,
    /// The root of the segment's search index: a few hundred bytes naming its root pages.
    pub search: SearchRoot,
    /// Every file of the search index (root pages, term blocks, packs), for saving offline.
    pub search_files: Family,
    /// The files this descriptor names (directly or through its directory pages), counted once each.
    pub files: u64,
    pub bytes: u64,
}

/// A day (days since 1970-01-01) and how many documents carry it. Encoded as `[day, count]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(i32, u32)", from = "(i32, u32)")]
pub struct DayCount {
    pub day: i32,
    pub count: u32,
}

impl From<DayCount> for (i32, u32) {
    fn from(day: DayCount) -> Self {
        (day.day, day.count)
    }
}

impl From<(i32, u32)> for DayCount {
    fn from((day, count): (i32, u32)) -> Self {
        DayCount { day, count }
    }
}

impl Segment {
    /// How many of the segment's documents are dated after `day` (days since 1970-01-01).
    pub fn dated_after(&self, day: i32) -> u32 {
        self.days.iter().take_while(|counted| counted.day > day).map(|counted| counted.count).sum()
    }

    /// The day (days since 1970-01-01) of local document `local`, from the day counts; `None` when undated
    /// or unknown.
    pub fn day_of(&self, local: u32) -> Option<i32> {
        let mut end = 0u32;
        for counted in &self.days {
            end = end.saturating_add(counted.count);
            if local < end {
                return Some(counted.day);
            }
        }
        None
    }

    /// Whether `days` accounts for every dated document (descriptors from before it existed have none), and
    /// runs newest first.
    pub fn has_days(&self) -> bool {
        let dated: u32 = self.years.iter().map(|range| range.count).sum();
        let counted: u32 = self.days.iter().map(|counted| counted.count).sum();
        counted == dated && self.days.windows(2).all(|pair| pair[0].day > pair[1].day)
    }

    /// Every family of the segment, with what it is.
    pub fn families(&self) -> [&Family; 8] {
        [&self.listing, &self.articles, &self.outlet_column, &self.ids, &self.search_files, &self.sources, &self.stories, &self.related]
    }
}

/// Writes one segment while its articles stream in, newest first. Files are handed to `emit` as soon as
/// they are complete; the output depends only on the articles, byte for byte.
pub struct SegmentWriter {
    sizes: Sizes,
    documents: u32,
    rows: Vec<ListingRow>,
    /// Each listing shard's slot, as written (0: none).
    listing_slots: Vec<u16>,
    /// The article shard being written, serialized as its articles come.
    articles: ArticleShardWriter,
    index: IndexWriter,
    /// Each document's id, number and article range, for the id buckets.
    ids: Vec<(String, u32, TextRange)>,
    /// Per document, its outlet's number in first-seen order (0: none); renumbered by count at the end.
    outlet_of: Vec<u32>,
    outlet_names: Vec<String>,
    outlet_numbers: HashMap<String, u32>,
    years: Vec<YearRange>,
    days: Vec<DayCount>,
    urls: Vec<Option<String>>,
    stories: Vec<u64>,
    /// What each article brings to the search for related articles, done when the segment closes.
    signatures: Vec<Signature>,
    /// Each article's related articles, once `relate` has run.
    related: Option<Vec<Vec<u32>>>,
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
    paths: FastSet<String>,
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

impl SegmentWriter {
    pub fn new(sizes: Sizes) -> SegmentWriter {
        SegmentWriter {
            sizes,
            documents: 0,
            rows: Vec::new(),
            listing_slots: Vec::new(),
            articles: ArticleShardWriter::default(),
            index: IndexWriter::new(sizes),
            ids: Vec::new(),
            outlet_of: Vec::new(),
            outlet_names: Vec::new(),
            outlet_numbers: HashMap::new(),
            years: Vec::new(),
            days: Vec::new(),
            urls: Vec::new(),
            stories: Vec::new(),
            signatures: Vec::new(),
            related: None,
            written: Written::default(),
        }
    }

    pub fn documents(&self) -> u32 {
        self.documents
    }

    /// Adds the next article (newest first, see `newest_first`) with its analyzed terms and its story
    /// fingerprint (`story::fingerprint`; both computed by the caller, in parallel).
    pub fn add(&mut self, article: Article, terms: DocumentTerms, story: Option<u64>, emit: &mut dyn FnMut(BundleFile)) {
        self.add_entry(article, signature(&terms, story), story, emit);
        self.index.add(terms);
    }

    /// Adds the next articles, each with its related-articles signature (`related::signature`) and story
    /// fingerprint, and their postings grouped beforehand into consecutive batches (`PostingsBatch`, the first
    /// starting at [`SegmentWriter::documents`]), which builders make on several threads. Writes what adding
    /// them one by one with [`SegmentWriter::add`] writes.
    pub fn add_batch(&mut self, articles: Vec<(Article, Signature, Option<u64>)>, postings: Vec<PostingsBatch>, emit: &mut dyn FnMut(BundleFile)) {
        for (article, signature, story) in articles {
            self.add_entry(article, signature, story, emit);
        }
        for batch in postings {
            self.index.add_batch(batch);
        }
        assert_eq!(self.index.documents(), self.documents, "the postings batches cover the articles added");
    }

    fn add_entry(&mut self, article: Article, signature: Signature, story: Option<u64>, emit: &mut dyn FnMut(BundleFile)) {
        let doc = self.documents;
        self.documents += 1;
        if let Some(date) = article.published {
            match self.years.last_mut() {
                Some(range) if range.year == date.year => range.count += 1,
                _ => self.years.push(YearRange { year: date.year, first: doc, count: 1 }),
            }
            let day = date.days_since_epoch() as i32;
            match self.days.last_mut() {
                Some(counted) if counted.day == day => counted.count += 1,
                _ => self.days.push(DayCount { day, count: 1 }),
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
        let first_of_shard = doc - self.articles.len();
        let text = self.articles.push(first_of_shard, &article);
        self.ids.push((article.id.clone(), doc, text));
        self.urls.push(article.url.clone());
        self.stories.push(story.unwrap_or(0));
        self.signatures.push(signature);
        self.rows.push(ListingRow { text: Some(text), ..ListingRow::of(&article) });
        if self.rows.len() == self.sizes.rows_per_shard as usize {
            self.flush_rows(emit);
        }
        if self.articles.len() == self.sizes.articles_per_shard {
            self.flush_articles(emit);
        }
    }

    /// Finds every article's related articles (`related::related`), which needs them all. `finish` does it
    /// when it has not been done; a builder calls it first to time it on its own.
    pub fn relate(&mut self) {
        if self.related.is_none() {
            self.related = Some(related(&std::mem::take(&mut self.signatures)));
        }
    }

    /// Bytes the search index holds while it waits for the end, for progress reports.
    pub fn buffered_index_bytes(&self) -> usize {
        self.index.buffered_bytes()
    }

    /// Takes the search postings buffered so far as a sorted run (see `IndexWriter::take_run`), for builders
    /// that keep them on disk to bound their memory.
    pub fn take_index_run(&mut self) -> Vec<KeyRun> {
        self.index.take_run()
    }

    fn flush_rows(&mut self, emit: &mut dyn FnMut(BundleFile)) {
        let first = self.documents - self.rows.len() as u32;
        let shard = ListingShard { first, rows: std::mem::take(&mut self.rows) };
        let (bytes, slot) = encode_listing_shard(&shard, self.sizes.row_slot);
        self.listing_slots.push(slot);
        let file = hashed_file(LISTING_FOLDER, bytes, "json");
        let entry = self.written.record(&file);
        self.written.listing.push(entry);
        emit(file);
    }

    fn flush_articles(&mut self, emit: &mut dyn FnMut(BundleFile)) {
        let file = hashed_file(ARTICLES_FOLDER, self.articles.finish(), "json");
        let entry = self.written.record(&file);
        self.written.articles.push(entry);
        emit(file);
    }

    /// Writes what remains (the last shards, the search index, the id buckets, the outlet column, the
    /// directories) and, last, the descriptor. Returns the manifest's reference to the segment and the
    /// descriptor itself.
    pub fn finish(self, emit: &mut dyn FnMut(BundleFile)) -> (SegmentRef, Segment) {
        self.finish_with(emit, |index, emit| index.finish(emit))
    }

    /// Like [`SegmentWriter::finish`], with every run taken so far handed back merged by key.
    pub fn finish_runs(self, merged: impl Iterator<Item = Vec<KeyRun>>, emit: &mut dyn FnMut(BundleFile)) -> (SegmentRef, Segment) {
        self.finish_with(emit, |index, emit| index.finish_runs(merged, emit))
    }

    fn finish_with(
        mut self,
        emit: &mut dyn FnMut(BundleFile),
        finish_index: impl FnOnce(IndexWriter, &mut dyn FnMut(BundleFile)) -> SearchRoot,
    ) -> (SegmentRef, Segment) {
        if !self.rows.is_empty() {
            self.flush_rows(emit);
        }
        if !self.articles.is_empty() {
            self.flush_articles(emit);
        }
        let sizes = self.sizes;
        let written = &mut self.written;
        let index = std::mem::take(&mut self.index);
        let search = finish_index(index, &mut |file| {
            // Search files are listed once each (the numbered families keep their slots, repeats included).
            if written.count(&file) {
                written.search.push((file.path.clone(), file.bytes.len() as u64));
            }
            emit(file);
        });

        let record = |file: BundleFile, list: &mut Vec<(String, u64)>, written: &mut Written, emit: &mut dyn FnMut(BundleFile)| {
            list.push(written.record(&file));
            emit(file);
        };

        // Outlets numbered by how many articles they have, most first; names break ties.
        let mut counts = vec![0u32; self.outlet_names.len() + 1];
        self.outlet_of.iter().for_each(|&number| counts[number as usize] += 1);
        let mut order: Vec<u32> = (1..=self.outlet_names.len() as u32).collect();
        order.sort_by(|&a, &b| {
            counts[b as usize].cmp(&counts[a as usize]).then_with(|| self.outlet_names[a as usize - 1].cmp(&self.outlet_names[b as usize - 1]))
        });
        let mut renumber = vec![0u32; self.outlet_names.len() + 1];
        order.iter().enumerate().for_each(|(rank, &number)| renumber[number as usize] = rank as u32 + 1);
        let outlets: Vec<FacetValue> =
            order.iter().map(|&n| FacetValue { value: self.outlet_names[n as usize - 1].clone(), count: counts[n as usize] }).collect();
        let mut columns = Vec::new();
        let column_bits = outlet_bits(outlets.len());
        let numbers: Vec<u32> = self.outlet_of.iter().map(|&number| renumber[number as usize]).collect();
        let (per_block, blocks) = encode_outlet_column(&numbers, column_bits, sizes.doc_block, sizes.outlet_block_bytes);
        for block in blocks {
            record(hashed_file(OUTLETS_FOLDER, block, "bin"), &mut columns, &mut self.written, emit);
        }

        let bits = bucket_bits(self.documents, sizes.ids_per_bucket);
        let mut buckets: Vec<Vec<(String, u32, TextRange)>> = vec![Vec::new(); 1 << bits];
        for entry in std::mem::take(&mut self.ids) {
            buckets[id_bucket(&entry.0, bits) as usize].push(entry);
        }
        let mut id_files = Vec::new();
        for mut entries in buckets {
            entries.sort();
            let (ids, texts) = entries.into_iter().map(|(id, doc, text)| ((id, doc), text)).unzip();
            record(json_file(IDS_FOLDER, &IdBucket { ids, texts }), &mut id_files, &mut self.written, emit);
        }

        let mut source_files = Vec::new();
        if self.urls.iter().any(Option::is_some) {
            let per_file = sizes.sources_per_file.max(1) as usize;
            for (number, urls) in self.urls.chunks(per_file).enumerate() {
                let shard = SourcesShard { first: (number * per_file) as u32, urls: urls.to_vec() };
                record(json_file(SOURCES_FOLDER, &shard), &mut source_files, &mut self.written, emit);
            }
        }

        let mut story_files = Vec::new();
        if self.stories.iter().any(|&fingerprint| fingerprint != 0) {
            for block in self.stories.chunks(sizes.story_block.max(1) as usize) {
                record(hashed_file(STORIES_FOLDER, crate::story::encode_column(block), "bin"), &mut story_files, &mut self.written, emit);
            }
        }

        // Related articles: every article's list, in blocks. Written only when some article has one.
        self.relate();
        let related_lists = self.related.take().unwrap_or_default();
        let mut related_files = Vec::new();
        if related_lists.iter().any(|list| !list.is_empty()) {
            for block in related_lists.chunks(sizes.related_block.max(1) as usize) {
                record(hashed_file(RELATED_FOLDER, encode_related_block(block), "bin"), &mut related_files, &mut self.written, emit);
            }
        }

        let listing_files = std::mem::take(&mut self.written.listing);
        let article_files = std::mem::take(&mut self.written.articles);
        let search_files = std::mem::take(&mut self.written.search);
        let written = &mut self.written;
        let mut family = |per_file: u32, files: Vec<(String, u64)>| {
            write_family(per_file, sizes.directory_page_files, files, &mut |file| {
                written.count(&file);
                emit(file);
            })
        };
        let mut listing = family(sizes.rows_per_shard, listing_files);
        if self.listing_slots.iter().any(|&slot| slot > 0) {
            listing.slots = std::mem::take(&mut self.listing_slots);
        }
        let articles = family(sizes.articles_per_shard, article_files);
        let outlet_column = family(per_block, columns);
        let ids = family(0, id_files);
        let sources = family(sizes.sources_per_file.max(1), source_files);
        let stories = family(sizes.story_block.max(1), story_files);
        let related = family(sizes.related_block.max(1), related_files);
        let search_files = family(0, search_files);
        let segment = Segment {
            documents: self.documents,
            outlets,
            years: self.years,
            days: self.days,
            listing,
            articles,
            outlet_column,
            outlet_bits: column_bits,
            ids,
            sources,
            stories,
            related,
            id_bucket_bits: bits,
            search,
            search_files,
            files: self.written.total_files,
            bytes: self.written.total_bytes,
        };
        let descriptor = json_file(SEGMENTS_FOLDER, &segment);
        let reference = SegmentRef { file: descriptor.path.clone(), documents: segment.documents };
        emit(descriptor);
        (reference, segment)
    }
}
