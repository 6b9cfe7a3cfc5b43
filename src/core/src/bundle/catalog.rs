//! The one sans-IO reader of a bundle: which file holds global document `n` in a family, which id bucket may
//! hold an id, what every file of the bundle is (for saving offline), and the search over every segment. It
//! answers from what it was given, or names the files it lacks (`Missing`); the CLI reads them from disk,
//! the viewer fetches them, and both hand them back through [`Catalog::provide`].

use crate::story::StoryRule;
use crate::Date;
use super::articles::TextRange;
use super::directory::{DirectoryPage, Family, InlinePage};
use super::ids::id_bucket;
use super::layout::Layout;
use super::manifest::Manifest;
use super::search_index::ShardedIndex;
use super::segment::Segment;
use super::{parse_json, split_request, FormatError};
use crate::files::to_json;
use crate::search::rank::{early_first_hits, search, search_first, FirstHits, KeyKind, Leaders, Missing, RestBound, TermSource, PREFIX_SCAN};
use crate::search::{Hit, Positions, Query};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// At most this many articles around one are compared with it for its story: days of heavy news stay cheap.
const STORY_SCAN: usize = 4096;
/// Fingerprints are read in pages of this many entries (8 bytes each), a run of pages per file in one
/// request: the cards on one screen, whose neighbourhoods overlap, then ask for the same pieces.
const STORY_PAGE: u32 = 128;
/// Folding the tellings of a story (`Catalog::fold_stories`) reads every listed article's fingerprint, so it
/// is offered for lists of at most this many articles; the viewer says so.
pub const FOLD_CAP: usize = 2000;

/// The search index's term blocks and postings a reader's session keeps before they are freed between
/// queries (`Catalog::trim_search`): a few hundred cold queries' worth.
pub const SEARCH_CACHE_BYTES: usize = 16 << 20;

/// A word being typed is completed once it has this many letters: fewer match too much to help.
pub const COMPLETION_MIN_CHARS: usize = 2;

/// The numbered families of a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FamilyKind {
    Listing,
    Articles,
    Outlets,
    Ids,
    SearchFiles,
    Sources,
    Stories,
    Related,
}

impl FamilyKind {
    pub fn of(self, segment: &Segment) -> &Family {
        match self {
            FamilyKind::Listing => &segment.listing,
            FamilyKind::Articles => &segment.articles,
            FamilyKind::Outlets => &segment.outlet_column,
            FamilyKind::Ids => &segment.ids,
            FamilyKind::SearchFiles => &segment.search_files,
            FamilyKind::Sources => &segment.sources,
            FamilyKind::Stories => &segment.stories,
            FamilyKind::Related => &segment.related,
        }
    }
}

/// Where a document's item lies: file `number` of a family of segment `segment`, at place `index` in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShardRef {
    pub segment: usize,
    pub number: u32,
    pub index: u32,
}

#[derive(Clone, Debug)]
pub struct Catalog {
    manifest: Manifest,
    layout: Layout,
    segments: Vec<Option<Segment>>,
    indexes: Vec<Option<ShardedIndex>>,
    /// Per segment, its outlet numbers (from 1) mapped to the manifest's (from 1; 0 for none).
    outlet_maps: Vec<Vec<u32>>,
    directories: HashMap<String, DirectoryPage>,
    /// Story fingerprints given so far, by file and place in it (whole files, or the pages asked for).
    story_pieces: HashMap<String, HashMap<u32, u64>>,
    /// Related-article blocks given so far, by file, as the segment's own numbers.
    related_blocks: HashMap<String, Vec<Vec<u32>>>,
    /// What each path named so far is.
    kinds: HashMap<String, Named>,
    /// Sizes of the files provided so far, for the list of every file.
    sizes: HashMap<String, u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Descriptor(usize),
    Directory,
    /// A directory page of a segment's story fingerprints: the files it names are kept (`Named::StoryColumn`).
    StoryDirectory,
    StoryColumn,
    /// A directory page of a segment's related-article lists; the files it names become `RelatedBlock`s.
    RelatedDirectory(usize),
    /// Block `number` of segment `segment`'s related-article lists.
    RelatedBlock { segment: usize, number: u32 },
    Headlines,
}

impl Catalog {
    /// A catalog of the bundle `manifest` describes, with its layout checked.
    pub fn new(manifest: Manifest) -> Result<Catalog, FormatError> {
        let layout = manifest.layout()?;
        let count = manifest.segments.len();
        let mut kinds: HashMap<String, Named> = HashMap::new();
        for (number, segment) in manifest.segments.iter().enumerate() {
            kinds.insert(segment.file.clone(), Named::Descriptor(number));
        }
        kinds.insert(manifest.headlines.clone(), Named::Headlines);
        Ok(Catalog {
            manifest,
            layout,
            segments: vec![None; count],
            indexes: vec![None; count],
            outlet_maps: vec![Vec::new(); count],
            directories: HashMap::new(),
            story_pieces: HashMap::new(),
            related_blocks: HashMap::new(),
            kinds,
            sizes: HashMap::new(),
        })
    }

    /// The entry files this catalog holds, as JSON: the manifest and every segment descriptor given so far.
    /// A second reader of the same bundle (the viewer's search worker) starts from them instead of asking the
    /// network for them again: on a ten-thousand-article archive that was six requests of a cold search.
    pub fn entry_files(&self) -> Vec<(String, Vec<u8>)> {
        let descriptors = self.manifest.segments.iter().zip(&self.segments).filter_map(|(reference, segment)| Some((reference.file.clone(), to_json(segment.as_ref()?))));
        std::iter::once((super::MANIFEST_FILE.to_owned(), to_json(&self.manifest))).chain(descriptors).collect()
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Whether `path` is a file this catalog has named and not been given yet.
    pub fn wants(&self, path: &str) -> bool {
        let named = self.kinds.contains_key(path)
            || self.story_piece(path).is_some()
            || self.indexes.iter().flatten().any(|index| index.knows(path));
        named && !self.sizes.contains_key(path)
    }

    /// Stores a file the catalog asked for: a segment's descriptor, a directory page, a search-index file,
    /// or the headlines (only their size is kept). A file that does not parse, or contradicts the manifest, is
    /// an error and is not stored.
    pub fn provide(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), FormatError> {
        let size = bytes.len() as u64;
        if let Some((file, offset, len)) = self.story_piece(path) {
            if offset % 8 != 0 || len % 8 != 0 {
                return Err(FormatError::Unreadable { path: path.to_owned(), why: "a piece of a fingerprint file must hold whole entries".into() });
            }
            self.keep_fingerprints(file, (offset / 8) as u32, (len / 8) as u32, &bytes);
            self.sizes.insert(path.to_owned(), size);
            return Ok(());
        }
        match self.kinds.get(path).copied() {
            Some(Named::Descriptor(number)) => {
                let segment: Segment = parse_json(path, &bytes)?;
                if segment.documents != self.manifest.segments[number].documents || segment.search.documents != segment.documents {
                    return Err(FormatError::Inconsistent(format!("{path} does not hold the {} documents the manifest says", self.manifest.segments[number].documents)));
                }
                for family in segment.families() {
                    for page in &family.directory {
                        self.kinds.entry(page.clone()).or_insert(Named::Directory);
                    }
                }
                for page in &segment.stories.directory {
                    self.kinds.insert(page.clone(), Named::StoryDirectory);
                }
                for page in &segment.related.directory {
                    self.kinds.insert(page.clone(), Named::RelatedDirectory(number));
                }
                let inline: Vec<(String, InlinePage)> = segment
                    .families()
                    .iter()
                    .filter_map(|family| match (&family.inline, family.directory.as_slice()) {
                        (Some(inline), [page]) => Some((page.clone(), inline.clone())),
                        _ => None,
                    })
                    .collect();
                self.outlet_maps[number] = segment
                    .outlets
                    .iter()
                    .map(|outlet| self.manifest.outlets.iter().position(|known| known.value == outlet.value).map_or(0, |p| p as u32 + 1))
                    .collect();
                self.indexes[number] = Some(ShardedIndex::new(segment.search.clone()));
                self.segments[number] = Some(segment);
                // A page the descriptor carries is taken as if it had been fetched.
                for (page, carried) in inline {
                    self.learn_directory(&page, DirectoryPage { files: carried.files });
                    self.sizes.insert(page, carried.bytes);
                }
            }
            Some(Named::Directory | Named::StoryDirectory | Named::RelatedDirectory(_)) => {
                let page: DirectoryPage = parse_json(path, &bytes)?;
                self.learn_directory(path, page);
            }
            Some(Named::StoryColumn) => {
                let entries = (bytes.len() / 8) as u32;
                self.keep_fingerprints(path.to_owned(), 0, entries, &bytes);
            }
            Some(Named::RelatedBlock { segment, number }) => {
                let loaded = self.segment(segment).map_err(|_| FormatError::Inconsistent(format!("{path} before its segment's descriptor")))?;
                let first = u64::from(number) * u64::from(loaded.related.per_file);
                let entries = u64::from(loaded.documents).saturating_sub(first).min(u64::from(loaded.related.per_file)) as usize;
                let lists = super::related::decode_related_block(&bytes, entries, loaded.documents)
                    .map_err(|error| FormatError::Malformed { path: path.to_owned(), error })?;
                self.related_blocks.insert(path.to_owned(), lists);
            }
            Some(Named::Headlines) => {}
            None => match self.indexes.iter_mut().flatten().find(|index| index.knows(path)) {
                Some(index) => index.provide(path, bytes)?,
                None => return Err(FormatError::Unreadable { path: path.to_owned(), why: "the bundle never names it".into() }),
            },
        }
        self.sizes.insert(path.to_owned(), size);
        Ok(())
    }

    /// Keeps a directory page, fetched or carried in its descriptor; a story directory's files become
    /// fingerprint columns, a related directory's files blocks of related lists.
    fn learn_directory(&mut self, path: &str, page: DirectoryPage) {
        match self.kinds.get(path).copied() {
            Some(Named::StoryDirectory) => {
                for (file, _) in &page.files {
                    self.kinds.insert(file.clone(), Named::StoryColumn);
                }
            }
            Some(Named::RelatedDirectory(segment)) => {
                let family = self.segments.get(segment).and_then(Option::as_ref).map(|loaded| &loaded.related);
                if let Some(place) = family.and_then(|family| Some(family.directory.iter().position(|known| known == path)? as u32 * family.per_page)) {
                    for (slot, (file, _)) in page.files.iter().enumerate() {
                        self.kinds.insert(file.clone(), Named::RelatedBlock { segment, number: place + slot as u32 });
                    }
                }
            }
            _ => {}
        }
        self.directories.insert(path.to_owned(), page);
    }

    pub fn segment(&self, segment: usize) -> Result<&Segment, Missing> {
        match self.segments.get(segment) {
            Some(Some(loaded)) => Ok(loaded),
            Some(None) => Err(vec![self.manifest.segments[segment].file.clone()]),
            None => Err(Missing::new()),
        }
    }

    /// Where global document `doc`'s item of `family` lies; `Ok(None)` when the bundle has no such document.
    pub fn shard_of(&self, family: FamilyKind, doc: u32) -> Result<Option<ShardRef>, Missing> {
        let Some((segment, local)) = self.layout.locate(doc) else { return Ok(None) };
        let loaded = self.segment(segment)?;
        Ok(family.of(loaded).file_of_item(local).map(|(number, index)| ShardRef { segment, number, index }))
    }

    /// The path of file `number` of a family of `segment`; `Ok(None)` when the family has no such file.
    pub fn file(&self, family: FamilyKind, segment: usize, number: u32) -> Result<Option<String>, Missing> {
        Ok(self.file_and_size(family, segment, number)?.map(|(path, _)| path))
    }

    /// The request for global document `doc`'s listing row alone, where its listing shard lays its rows out
    /// in slots (`listing::encode_listing_shard`); `Ok(None)` where it does not, or the slot does not fit in
    /// the file's size: a reader then reads the whole shard.
    pub fn row_piece(&self, doc: u32) -> Result<Option<String>, Missing> {
        let Some(at) = self.shard_of(FamilyKind::Listing, doc)? else { return Ok(None) };
        let slots = &FamilyKind::Listing.of(self.segment(at.segment)?).slots;
        let Some(slot) = slots.get(at.number as usize).map(|&slot| u32::from(slot)).filter(|&slot| slot > 0) else { return Ok(None) };
        let Some((path, size)) = self.file_and_size(FamilyKind::Listing, at.segment, at.number)? else { return Ok(None) };
        let Some((offset, len)) = super::listing::row_slot(at.index, slot) else { return Ok(None) };
        Ok((u64::from(offset) + u64::from(len) <= size).then(|| super::ranged(&path, offset, len)))
    }

    /// The request for global document `doc`'s article alone: the piece of its article shard that `text` (from
    /// its listing row or its id bucket) names. `Ok(None)` when the bundle has no such document or the range
    /// does not fit in the shard's size: a reader then reads the whole shard.
    pub fn article_piece(&self, doc: u32, text: TextRange) -> Result<Option<String>, Missing> {
        let Some(at) = self.shard_of(FamilyKind::Articles, doc)? else { return Ok(None) };
        let Some((path, size)) = self.file_and_size(FamilyKind::Articles, at.segment, at.number)? else { return Ok(None) };
        let (offset, len) = text;
        let fits = len > 0 && u64::from(offset) + u64::from(len) <= size;
        Ok(fits.then(|| super::ranged(&path, offset, len)))
    }

    /// `file`, with the file's size as its directory page gives it.
    fn file_and_size(&self, family: FamilyKind, segment: usize, number: u32) -> Result<Option<(String, u64)>, Missing> {
        let loaded = self.segment(segment)?;
        let Some((page, slot)) = family.of(loaded).locate(number) else { return Ok(None) };
        match self.directories.get(page) {
            Some(directory) => Ok(directory.files.get(slot).cloned()),
            None => Err(vec![page.to_owned()]),
        }
    }

    /// Block `number` of `segment`'s outlet column from its bytes, checked against the descriptor: one number
    /// per document of the block, each an outlet of the segment (`outlets::decode_outlet_block`).
    pub fn outlet_block(&self, segment: usize, number: u32, bytes: &[u8]) -> Result<Vec<u32>, FormatError> {
        let loaded = self.segment(segment).map_err(|_| FormatError::Inconsistent(format!("outlet block {number} of segment {segment} before its descriptor")))?;
        let family = &loaded.outlet_column;
        let first = u64::from(number) * u64::from(family.per_file);
        let entries = u64::from(loaded.documents).saturating_sub(first).min(u64::from(family.per_file)) as usize;
        super::outlets::decode_outlet_block(bytes, entries, loaded.outlets.len(), loaded.outlet_bits)
            .map_err(|error| FormatError::Malformed { path: format!("outlet block {number} of segment {segment}"), error })
    }

    /// The manifest's outlet number of global document `doc` (0: none), from the outlet-column blocks
    /// `block` gives (the decoded numbers of block `(segment, number)`, when it is here); else the block to
    /// load first, numbered `u32::MAX` while the segment's descriptor itself is missing. A segment whose
    /// documents all come from one outlet answers from its descriptor: in an archive of one outlet, facet
    /// counts read no column at all.
    pub fn outlet_of_document<'a>(&self, doc: u32, block: impl Fn(usize, u32) -> Option<&'a [u32]>) -> Result<u32, (usize, u32)> {
        match self.outlets_of_documents(&[doc], block) {
            Ok(outlets) => Ok(outlets.first().copied().unwrap_or(0)),
            Err(missing) => Err(missing.first().copied().unwrap_or((0, u32::MAX))),
        }
    }

    /// [`Catalog::outlet_of_document`] for many documents, in the order given, or every block still to load.
    /// A frequent word's facet counts ask this of most of the archive; given in ascending order, the
    /// documents of one block follow each other, so its column is looked up once for all of them rather than
    /// once each (a lookup per document cost hundreds of milliseconds of the page's thread at a million).
    pub fn outlets_of_documents<'a>(&self, docs: &[u32], block: impl Fn(usize, u32) -> Option<&'a [u32]>) -> Result<Vec<u32>, Vec<(usize, u32)>> {
        let mut outlets = Vec::with_capacity(docs.len());
        let mut missing: BTreeSet<(usize, u32)> = BTreeSet::new();
        // The column block the last document was read from (segment and block number, and its outlets if
        // loaded), kept while the next ones fall in it.
        type BlockAt<'b> = ((usize, u32), Option<&'b [u32]>);
        let mut last: Option<BlockAt<'a>> = None;
        for &doc in docs {
            let outlet = (|| {
                let (segment, local) = self.layout.locate(doc)?;
                let Ok(loaded) = self.segment(segment) else {
                    missing.insert((segment, u32::MAX));
                    return None;
                };
                if let [only] = loaded.outlets.as_slice() {
                    if only.count == loaded.documents {
                        return self.outlet(segment, 1).ok();
                    }
                }
                let (number, index) = FamilyKind::Outlets.of(loaded).file_of_item(local)?;
                let column = match last {
                    Some((at, column)) if at == (segment, number) => column,
                    _ => {
                        let column = block(segment, number);
                        last = Some(((segment, number), column));
                        column
                    }
                };
                let Some(column) = column else {
                    missing.insert((segment, number));
                    return None;
                };
                self.outlet(segment, column.get(index as usize).copied().unwrap_or(0)).ok()
            })();
            outlets.push(outlet.unwrap_or(0));
        }
        if missing.is_empty() { Ok(outlets) } else { Err(missing.into_iter().collect()) }
    }

    /// The manifest's number of outlet `local` of `segment` (0: none or unknown).
    pub fn outlet(&self, segment: usize, local: u32) -> Result<u32, Missing> {
        self.segment(segment)?;
        Ok(local.checked_sub(1).and_then(|n| self.outlet_maps[segment].get(n as usize)).copied().unwrap_or(0))
    }

    /// The global documents dated from `from` to `to` (both days included; either end may be open), as one
    /// range: the archive's order is by date, newest first, so they stand together. Counted from every
    /// segment's day counts (their descriptors are small and fetched at start-up), never from listing rows.
    /// `Ok(None)` when a descriptor predates day counts.
    pub fn date_span(&self, from: Option<Date>, to: Option<Date>) -> Result<Option<(u32, u32)>, Missing> {
        let mut missing = Missing::new();
        let mut segments = Vec::new();
        for segment in 0..self.segments.len() {
            match self.segment(segment) {
                Ok(loaded) => segments.push(loaded),
                Err(more) => missing.extend(more),
            }
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        if segments.iter().any(|segment| !segment.has_days()) {
            return Ok(None);
        }
        let dated_after = |day: i64| -> u32 { segments.iter().map(|segment| segment.dated_after(day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)).sum() };
        let dated_end: u32 = segments.iter().map(|segment| segment.days.iter().map(|counted| counted.count).sum::<u32>()).sum();
        let start = to.map_or(0, |to| dated_after(to.days_since_epoch()));
        let end = from.map_or(dated_end, |from| dated_after(from.days_since_epoch() - 1));
        Ok(Some((start, end.max(start))))
    }

    /// The other tellings of document `doc`'s story: among the documents within `StoryRule::DEFAULT`'s days
    /// of it, those whose fingerprints are within its bits of its own or of another telling's, in the
    /// archive's order. Empty for an undated article, one too
    /// short to fingerprint, or a bundle written before fingerprints. Reads the fingerprints of the articles
    /// near it in date (pieces of one or two files), never their texts.
    pub fn story(&self, doc: u32) -> Result<Vec<u32>, Missing> {
        Ok(self.stories(&[doc])?.pop().unwrap_or_default())
    }

    /// The articles related to document `doc` (`related::related`, chosen at build time among the articles of
    /// its segment), most related first. Empty when it has none, or in a bundle written before related lists.
    /// Reads the one block of its segment's lists that holds it.
    pub fn related(&self, doc: u32) -> Result<Vec<u32>, Missing> {
        let Some(at) = self.shard_of(FamilyKind::Related, doc)? else { return Ok(Vec::new()) };
        let Some(path) = self.file(FamilyKind::Related, at.segment, at.number)? else { return Ok(Vec::new()) };
        match self.related_blocks.get(&path) {
            Some(block) => Ok(block.get(at.index as usize).map_or_else(Vec::new, |locals| locals.iter().filter_map(|&local| self.layout.global(at.segment, local)).collect())),
            None => Err(vec![path]),
        }
    }

    /// `story` for each of `docs` at once: what they lack is asked for in one round, and the pieces that
    /// neighbouring documents share once.
    pub fn stories(&self, docs: &[u32]) -> Result<Vec<Vec<u32>>, Missing> {
        let rule = StoryRule::DEFAULT;
        let mut scans = Vec::with_capacity(docs.len());
        let mut missing = Missing::new();
        for &doc in docs {
            match self.story_scan(doc, rule) {
                Ok(scan) => scans.push(scan),
                Err(more) => missing.extend(more),
            }
        }
        if !missing.is_empty() {
            return Err(sorted(missing));
        }
        let wanted: std::collections::BTreeSet<u32> = scans.iter().flatten().flat_map(|&(start, end)| start..end).collect();
        let fingerprints: HashMap<u32, u64> = self.story_fingerprints(wanted.into_iter())?.into_iter().collect();
        let mut told = Vec::with_capacity(docs.len());
        for (&doc, scan) in docs.iter().zip(&scans) {
            let Some((start, end)) = *scan else {
                told.push(Vec::new());
                continue;
            };
            // The story is the group of tellings linked to this one within its neighbourhood, directly or
            // through another (a headline rewritten more can be near one telling and not the next), so the
            // tellings of one story name each other alike.
            let sketches = self.sketches(start..end, &fingerprints)?;
            let groups = crate::story::group(&sketches, rule);
            let own = groups[(doc - start) as usize];
            let alone = sketches[(doc - start) as usize].fingerprint.is_none();
            told.push(if alone { Vec::new() } else { (start..end).zip(&groups).filter(|&(other, &group)| other != doc && group == own).map(|(other, _)| other).collect() });
        }
        Ok(told)
    }

    /// The documents compared with `doc` for its story (it among them): those within the rule's days of it,
    /// at most `STORY_SCAN` nearest in the order. `None` when it is undated or the bundle has no day counts.
    fn story_scan(&self, doc: u32, rule: StoryRule) -> Result<Option<(u32, u32)>, Missing> {
        let Some((segment, local)) = self.layout.locate(doc) else { return Ok(None) };
        let Some(day) = self.segment(segment)?.day_of(local) else { return Ok(None) };
        let near = |offset: i32| Date::from_days_since_epoch(i64::from(day) + i64::from(offset));
        let Some((start, end)) = self.date_span(Some(near(-rule.max_days)), Some(near(rule.max_days)))? else { return Ok(None) };
        let half = (STORY_SCAN / 2) as u32;
        Ok(Some((start.max(doc.saturating_sub(half)), end.min(doc.saturating_add(half)))))
    }

    /// `docs` in their order with the other tellings of a story left out: a document goes when it tells the
    /// story of one listed before it (within the rule's days and bits, or through a chain of such tellings),
    /// so each story keeps its first place. For lists of at most `FOLD_CAP`; reads the listed documents'
    /// fingerprints only.
    pub fn fold_stories(&self, docs: &[u32]) -> Result<Vec<u32>, Missing> {
        let rule = StoryRule::DEFAULT;
        let fingerprints: HashMap<u32, u64> = self.story_fingerprints(docs.iter().copied())?.into_iter().collect();
        let stories = crate::story::group(&self.sketches(docs.iter().copied(), &fingerprints)?, rule);
        Ok(docs.iter().zip(stories.iter().enumerate()).filter(|(_, (place, &story))| *place as u32 == story).map(|(&doc, _)| doc).collect())
    }

    /// How the story grouping sees each of `docs`: its fingerprint (from `fingerprints`) and its day.
    fn sketches(&self, docs: impl Iterator<Item = u32>, fingerprints: &HashMap<u32, u64>) -> Result<Vec<crate::story::Sketch>, Missing> {
        let mut sketches = Vec::with_capacity(docs.size_hint().0);
        for doc in docs {
            let day = match self.layout.locate(doc) {
                Some((segment, local)) => self.segment(segment)?.day_of(local),
                None => None,
            };
            let fingerprint = fingerprints.get(&doc).copied().filter(|&fingerprint| fingerprint != 0);
            sketches.push(crate::story::Sketch { fingerprint, day });
        }
        Ok(sketches)
    }

    /// The fingerprints of `docs` (0 for none, or where the segment keeps none), or the pieces to read first:
    /// whole pages of `STORY_PAGE` entries, each file's run of wanted pages in one request.
    fn story_fingerprints(&self, docs: impl Iterator<Item = u32>) -> Result<Vec<(u32, u64)>, Missing> {
        let mut missing = Missing::new();
        let mut pages: std::collections::BTreeMap<(String, u64), std::collections::BTreeSet<u32>> = std::collections::BTreeMap::new();
        let mut found = Vec::new();
        // The file holding a document's fingerprint, its size, and the place in it.
        let file_of = |doc: u32| -> Result<Option<(String, u64, u32)>, Missing> {
            let Some(at) = self.shard_of(FamilyKind::Stories, doc)? else { return Ok(None) };
            Ok(self.file_and_size(FamilyKind::Stories, at.segment, at.number)?.map(|(path, size)| (path, size, at.index)))
        };
        for doc in docs {
            let (path, size, index) = match file_of(doc) {
                Ok(Some(file)) => file,
                Ok(None) => {
                    found.push((doc, 0));
                    continue;
                }
                Err(more) => {
                    missing.extend(more);
                    continue;
                }
            };
            match self.story_pieces.get(&path).and_then(|entries| entries.get(&index)) {
                Some(&fingerprint) => found.push((doc, fingerprint)),
                None => {
                    pages.entry((path, size)).or_default().insert(index / STORY_PAGE);
                }
            }
        }
        for ((path, size), wanted) in pages {
            let wanted: Vec<u32> = wanted.into_iter().collect();
            for run in wanted.chunk_by(|a, b| b - a == 1) {
                let offset = u64::from(run[0]) * u64::from(STORY_PAGE) * 8;
                let end = ((u64::from(run[run.len() - 1]) + 1) * u64::from(STORY_PAGE) * 8).min(size);
                match (u32::try_from(offset), u32::try_from(end.saturating_sub(offset))) {
                    (Ok(offset), Ok(len)) if len > 0 => missing.push(super::ranged(&path, offset, len)),
                    // A directory page that gives a size too small for the place: the file is damaged.
                    _ => missing.push(path.clone()),
                }
            }
        }
        if missing.is_empty() { Ok(found) } else { Err(sorted(missing)) }
    }

    /// A request for a piece of a story fingerprint file: the file, and the piece's offset and length.
    fn story_piece(&self, request: &str) -> Option<(String, u64, u64)> {
        let (file, range) = split_request(request);
        let (offset, len) = range?;
        (self.kinds.get(file) == Some(&Named::StoryColumn)).then(|| (file.to_owned(), offset, len))
    }

    /// Keeps `count` fingerprints of `file` from place `first`; places the bytes do not reach (a damaged
    /// file) hold none.
    fn keep_fingerprints(&mut self, file: String, first: u32, count: u32, bytes: &[u8]) {
        let decoded = crate::story::decode_column(bytes);
        let entries = self.story_pieces.entry(file).or_default();
        for n in 0..count {
            entries.insert(first.saturating_add(n), decoded.get(n as usize).copied().unwrap_or(0));
        }
    }

    /// The id bucket of `id` in every segment: an id is in at most one of them.
    pub fn id_buckets(&self, id: &str) -> Result<Vec<(usize, String)>, Missing> {
        let mut missing = Missing::new();
        let mut files = Vec::new();
        for segment in 0..self.segments.len() {
            let bucket = match self.segment(segment) {
                Ok(loaded) => id_bucket(id, loaded.id_bucket_bits),
                Err(more) => {
                    missing.extend(more);
                    continue;
                }
            };
            match self.file(FamilyKind::Ids, segment, bucket) {
                Ok(Some(path)) => files.push((segment, path)),
                Ok(None) => {}
                Err(more) => missing.extend(more),
            }
        }
        if missing.is_empty() { Ok(files) } else { Err(missing) }
    }

    /// What reading `docs` offline needs, each file once with its size: their listing rows (the list), their
    /// articles, and their outlet column (the list's outlet counts). The entry files and directory pages are
    /// not listed: the service worker keeps those already. For saving part of an archive (a year, an outlet,
    /// a result set) on a device without room for all of it.
    pub fn files_for_reading(&self, docs: impl Iterator<Item = u32>) -> Result<Vec<(String, u64)>, Missing> {
        let families = [FamilyKind::Listing, FamilyKind::Articles, FamilyKind::Outlets];
        let mut wanted: std::collections::BTreeSet<(FamilyKind, usize, u32)> = std::collections::BTreeSet::new();
        let mut missing = Missing::new();
        for doc in docs {
            for family in families {
                match self.shard_of(family, doc) {
                    Ok(Some(at)) => {
                        wanted.insert((family, at.segment, at.number));
                    }
                    Ok(None) => {}
                    Err(more) => missing.extend(more),
                }
            }
            // A missing descriptor is named once per document; stop early rather than list it a million times.
            if missing.len() > 64 {
                break;
            }
        }
        if !missing.is_empty() {
            missing.sort();
            missing.dedup();
            return Err(missing);
        }
        let mut files = Vec::with_capacity(wanted.len());
        for (family, segment, number) in wanted {
            let loaded = self.segment(segment)?;
            let Some((page, slot)) = family.of(loaded).locate(number) else { continue };
            match self.directories.get(page) {
                Some(directory) => files.extend(directory.files.get(slot).cloned()),
                None => missing.push(page.to_owned()),
            }
        }
        if !missing.is_empty() {
            missing.sort();
            missing.dedup();
            return Err(missing);
        }
        Ok(files)
    }

    /// Every file of the bundle but the manifest, each once, with its size: the headlines, then each segment's
    /// files (see [`Catalog::segment_files`]).
    pub fn all_files(&self) -> Result<Vec<(String, u64)>, Missing> {
        let mut missing = Missing::new();
        let mut files: Vec<(String, u64)> = Vec::new();
        match self.sizes.get(&self.manifest.headlines) {
            Some(&size) => files.push((self.manifest.headlines.clone(), size)),
            None => missing.push(self.manifest.headlines.clone()),
        }
        for segment in 0..self.segments.len() {
            match self.segment_files(segment) {
                Ok(more) => files.extend(more),
                Err(more) => missing.extend(more),
            }
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(path, _)| seen.insert(path.clone()));
        Ok(files)
    }

    /// A segment's files with their sizes: its descriptor, its directory pages and every file they name.
    pub fn segment_files(&self, segment: usize) -> Result<Vec<(String, u64)>, Missing> {
        let loaded = self.segment(segment)?;
        let descriptor = &self.manifest.segments[segment].file;
        let mut files = vec![(descriptor.clone(), self.sizes.get(descriptor).copied().unwrap_or(0))];
        let mut missing = Missing::new();
        for family in loaded.families() {
            for page in &family.directory {
                match (self.directories.get(page), self.sizes.get(page)) {
                    (Some(directory), Some(&size)) => {
                        files.push((page.clone(), size));
                        files.extend(directory.files.iter().cloned());
                    }
                    _ => missing.push(page.clone()),
                }
            }
        }
        if missing.is_empty() { Ok(files) } else { Err(missing) }
    }

    /// The documents matching `query` (global numbers), best first, or the files to load first.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, Missing> {
        search(&Segmented(self), query)
    }

    /// The first `limit` of [`Catalog::search`]'s hits, reading a frequent word's leaders instead of its every
    /// posting where they settle them (`rank::search_first`).
    pub fn search_first(&self, query: &Query, limit: usize) -> Result<Vec<Hit>, Missing> {
        search_first(&Segmented(self), query, limit)
    }

    /// [`Catalog::search_first`]'s hits when they can be told before the whole search and spare at least
    /// `least_saved` bytes it reads (a frequent word's postings its leaders stand for, a phrase's positions),
    /// with how many hits there are at least (`rank::early_first_hits`); `None` otherwise.
    pub fn early_first_hits(&self, query: &Query, limit: usize, least_saved: u64) -> Result<Option<FirstHits>, Missing> {
        early_first_hits(&Segmented(self), query, limit, least_saved)
    }

    /// Frees the search index's term blocks and postings once they hold more than `budget` bytes, between
    /// queries (never during one: a piece asked for again within one question reads as an inconsistent
    /// bundle): a long session of queries stays within a bound, and what a later query needs is fetched
    /// again, from the browser's caches when they still hold it. Root pages and descriptors stay.
    pub fn trim_search(&mut self, budget: usize) {
        if self.indexes.iter().flatten().map(ShardedIndex::held_bytes).sum::<usize>() <= budget {
            return;
        }
        for index in self.indexes.iter_mut().flatten() {
            for request in index.forget_pieces() {
                self.sizes.remove(&request);
            }
        }
    }

    /// Words of the archive that complete `prefix` (a normalized word being typed), most frequent first, at
    /// most `limit`: the search box's suggestions. They come from the dictionary blocks a prefix search of the
    /// same word reads; the search package answers them only from blocks already read, so suggesting costs no
    /// download (measured: asking for the missing blocks added 14 requests to a cold query on JawharaFM).
    pub fn completions(&self, prefix: &str, limit: usize) -> Result<Vec<(String, u32)>, Missing> {
        if prefix.chars().count() < COMPLETION_MIN_CHARS {
            return Ok(Vec::new());
        }
        let mut words = Segmented(self).keys_with_prefix(KeyKind::Surface, prefix)?;
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(limit);
        Ok(words)
    }

    fn each_index<T>(&self, mut ask: impl FnMut(usize, &ShardedIndex) -> Result<T, Missing>) -> Result<Vec<(usize, T)>, Missing> {
        let mut missing = Missing::new();
        let mut answers = Vec::with_capacity(self.indexes.len());
        for (segment, index) in self.indexes.iter().enumerate() {
            match index {
                Some(index) => match ask(segment, index) {
                    Ok(answer) => answers.push((segment, answer)),
                    Err(more) => missing.extend(more),
                },
                None => missing.push(self.manifest.segments[segment].file.clone()),
            }
        }
        if missing.is_empty() { Ok(answers) } else { Err(missing) }
    }

    /// Per-segment lists of (local document, value) as one list in global order.
    fn in_global_order<T>(&self, per_segment: Vec<(usize, Vec<(u32, T)>)>) -> Vec<(u32, T)> {
        // Usually every segment is one range of global numbers: then a list is shifted in place, and the lists
        // only need putting one after another.
        let mut disjoint = true;
        let mut lists: Vec<Vec<(u32, T)>> = Vec::with_capacity(per_segment.len());
        for (segment, mut list) in per_segment {
            if list.is_empty() {
                continue;
            }
            match self.layout.single_run(segment) {
                Some((global_first, count)) => {
                    // Postings come from the network: a number past the segment's end is dropped.
                    list.retain(|(local, _)| *local < count);
                    list.iter_mut().for_each(|(doc, _)| *doc += global_first);
                }
                None => {
                    disjoint = false;
                    let globals = self.layout.globals(segment, list.iter().map(|(local, _)| *local));
                    list = globals.into_iter().zip(list.into_iter().map(|(_, value)| value)).collect();
                }
            }
            lists.push(list);
        }
        if lists.len() == 1 {
            return lists.pop().expect("one list");
        }
        lists.sort_by_key(|list| list.first().map(|(doc, _)| *doc));
        // One allocation and a copy per list: collecting a flattened iterator grew the list a posting at a
        // time, a quarter of a frequent word's time in wasm.
        let mut out: Vec<(u32, T)> = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for list in lists {
            out.extend(list);
        }
        if !disjoint {
            out.sort_by_key(|(doc, _)| *doc);
        }
        out
    }
}

/// Every segment's index as one, in global document numbers: document frequencies are summed, so ranking
/// gives the same scores as one index of the whole archive.
struct Segmented<'a>(&'a Catalog);

impl Segmented<'_> {
    /// What each segment's index says a key stands for, in bytes, summed over the segments.
    fn bytes_in_every_segment(&self, bytes: impl Fn(&ShardedIndex) -> Result<u64, Missing>) -> Result<u64, Missing> {
        let found = self.0.each_index(|_, index| bytes(index))?;
        Ok(found.into_iter().map(|(_, bytes)| bytes).fold(0u64, u64::saturating_add))
    }
}

impl TermSource for Segmented<'_> {
    fn doc_count(&self) -> u32 {
        self.0.manifest.counts.articles
    }

    fn document_frequency(&self, kind: KeyKind, term: &str) -> Result<Option<u32>, Missing> {
        let found = self.0.each_index(|_, index| index.document_frequency(kind, term))?;
        Ok(found.into_iter().filter_map(|(_, df)| df).reduce(|a, b| a.saturating_add(b)))
    }

    fn keys_with_prefix(&self, kind: KeyKind, prefix: &str) -> Result<Vec<(String, u32)>, Missing> {
        // Each segment gives its first keys in dictionary order; the first PREFIX_SCAN of their union are the
        // archive's first, and a key among them is among the first of every segment that has it.
        let found = self.0.each_index(|_, index| index.keys_with_prefix(kind, prefix))?;
        let mut union: BTreeMap<String, u32> = BTreeMap::new();
        for (_, keys) in found {
            for (key, df) in keys {
                let total = union.entry(key).or_default();
                *total = total.saturating_add(df);
            }
        }
        Ok(union.into_iter().take(PREFIX_SCAN).collect())
    }

    fn postings(&self, kind: KeyKind, term: &str, within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing> {
        let within_locals = within.map(|docs| self.0.layout.locals(docs));
        let found = self.0.each_index(|segment, index| {
            let within = within_locals.as_ref().map(|locals| locals[segment].as_slice());
            if within.is_some_and(<[u32]>::is_empty) {
                return Ok(Vec::new());
            }
            index.postings(kind, term, within)
        })?;
        Ok(self.0.in_global_order(found))
    }

    fn leaders(&self, kind: KeyKind, term: &str) -> Result<Leaders, Missing> {
        let found = self.0.each_index(|_, index| index.leaders(kind, term))?;
        let mut rests = Vec::new();
        let mut postings = Vec::with_capacity(found.len());
        for (segment, leaders) in found {
            // A segment's numbers map to global ones in the same order, so a bound over a stretch of local
            // numbers holds over the stretch between their global ones.
            let global = |local: u32| self.0.layout.globals(segment, std::iter::once(local)).first().copied();
            for rest in leaders.rests {
                // A number the layout does not know (a damaged index) leaves the bound over every document.
                let span = match (global(rest.span.0), global(rest.span.1)) {
                    (Some(first), Some(last)) => (first, last),
                    _ => (0, u32::MAX),
                };
                rests.push(RestBound { top: rest.top, after: rest.after.and_then(global), span });
            }
            postings.push((segment, leaders.postings));
        }
        Ok(Leaders { postings: self.0.in_global_order(postings), rests })
    }

    fn leaders_stand_for(&self, kind: KeyKind, term: &str) -> Result<u64, Missing> {
        self.bytes_in_every_segment(|index| index.leaders_stand_for(kind, term))
    }

    fn positions_stand_for(&self, term: &str) -> Result<u64, Missing> {
        self.bytes_in_every_segment(|index| index.positions_stand_for(term))
    }

    fn positions(&self, term: &str, docs: &[u32]) -> Result<Positions, Missing> {
        let locals = self.0.layout.locals(docs);
        let found = self.0.each_index(|segment, index| {
            if locals[segment].is_empty() {
                return Ok(Positions::default());
            }
            index.positions(term, &locals[segment])
        })?;
        // As `in_global_order` does for postings: shifted when the segment is one range of global numbers,
        // mapped otherwise, and a number past the segment's end (from the network) dropped.
        let lists = found.into_iter().map(|(segment, mut positions)| {
            match self.0.layout.single_run(segment) {
                Some((global_first, count)) => {
                    if positions.docs().last().is_some_and(|&last| last >= count) {
                        positions = positions.filtered(|local| local < count);
                    }
                    positions.renumber(|local| local + global_first);
                }
                None => {
                    // Numbers past the segment's runs are the last ones, and have no global number.
                    let globals = self.0.layout.globals(segment, positions.docs().iter().copied());
                    positions.truncate(globals.len());
                    let mut next = globals.into_iter();
                    positions.renumber(|local| next.next().unwrap_or(local));
                }
            }
            positions
        });
        Ok(Positions::merged(lists.collect()))
    }
}

/// Requests sorted, each once.
fn sorted(mut missing: Missing) -> Missing {
    missing.sort();
    missing.dedup();
    missing
}

/// Asks `ask` of the catalog until it answers, reading what it lacks with `read`.
pub fn resolve<T>(
    catalog: &mut Catalog,
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    mut ask: impl FnMut(&Catalog) -> Result<T, Missing>,
) -> Result<T, String> {
    let mut provided = std::collections::HashSet::new();
    loop {
        match ask(catalog) {
            Ok(answer) => return Ok(answer),
            Err(missing) => {
                if missing.is_empty() {
                    return Err("the bundle lacks a file it names".into());
                }
                for path in missing {
                    if !provided.insert(path.clone()) {
                        return Err(format!("{path} is asked for again after it was given: the bundle is inconsistent"));
                    }
                    let bytes = read(&path)?;
                    catalog.provide(&path, bytes).map_err(|error| error.to_string())?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{resolve, Catalog, FamilyKind};
    use crate::bundle::listing::sort_newest_first;
    use crate::bundle::assemble::assemble_with;
    use crate::bundle::{read_manifest, Sizes, MANIFEST_FILE};
    use crate::{Article, Block, BlockKind, Date};

    /// Reads a request (a whole file, or a piece of one) from the files of an assembled bundle, as the CLI
    /// reads a bundle on disk.
    fn reader<'a>(files: &'a [crate::bundle::BundleFile]) -> impl FnMut(&str) -> Result<Vec<u8>, String> + 'a {
        move |request: &str| {
            let (path, range) = crate::bundle::split_request(request);
            let bytes = files.iter().find(|f| f.path == path).map(|f| f.bytes.clone()).ok_or_else(|| path.to_owned())?;
            match range {
                Some((offset, len)) => bytes.get(offset as usize..(offset + len) as usize).map(<[u8]>::to_vec).ok_or_else(|| format!("{request} is past the end")),
                None => Ok(bytes),
            }
        }
    }

    /// Articles on days spread over three years (several on some days, one undated), in segments of two, so
    /// a date range crosses segments: the catalog's spans and the manifest's months must equal what counting
    /// the dated articles one by one gives.
    #[test]
    fn date_spans_and_months_match_the_articles_counted_one_by_one() {
        let days = [(2013, 3, 1), (2013, 3, 1), (2013, 3, 31), (2013, 4, 1), (2013, 12, 31), (2014, 1, 1), (2014, 6, 30), (2014, 6, 30), (2014, 7, 1), (2015, 2, 28)];
        let mut articles: Vec<Article> = days
            .iter()
            .enumerate()
            .map(|(n, &(year, month, day))| Date::new(year, month, day).ok().map(|date| (n, date)).unwrap())
            .map(|(n, date)| article(&format!("مقال {n}"), Some(date)))
            .chain([article("بلا تاريخ", None)])
            .collect();
        let files = assemble_with(articles.clone(), Vec::new(), "t", Sizes { segment_unit: 2, ..Sizes::DEFAULT });
        sort_newest_first(&mut articles);
        let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
        assert!(manifest.segments.len() > 2);
        let mut catalog = Catalog::new(manifest.clone()).unwrap();
        let mut read = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.bytes.clone()).ok_or_else(|| path.to_owned());

        let expected = |from: Option<Date>, to: Option<Date>| -> Vec<u32> {
            (0..articles.len() as u32)
                .filter(|&doc| articles[doc as usize].published.is_some_and(|date| from.is_none_or(|from| date >= from) && to.is_none_or(|to| date <= to)))
                .collect()
        };
        let date = |y, m, d| Date::new(y, m, d).ok();
        let cases = [
            (date(2013, 3, 1), date(2014, 6, 30)),
            (date(2013, 3, 2), date(2013, 12, 31)),
            (None, date(2013, 3, 31)),
            (date(2014, 7, 1), None),
            (date(2016, 1, 1), None),
            (date(2014, 2, 1), date(2014, 5, 1)),
            (date(2014, 6, 30), date(2013, 1, 1)),
            (None, None),
        ];
        for (from, to) in cases {
            let (start, end) = resolve(&mut catalog, &mut read, |catalog| catalog.date_span(from, to)).unwrap().unwrap();
            assert_eq!((start..end).collect::<Vec<_>>(), expected(from, to), "{from:?}..{to:?}");
        }
        for month in &manifest.months {
            let (year, of_year) = (month.year(), month.month_of_year());
            let last = if of_year == 12 { date(year + 1, 1, 1) } else { date(year, of_year + 1, 1) }.map(|next| Date::from_days_since_epoch(next.days_since_epoch() - 1));
            assert_eq!((month.first..month.first + month.count).collect::<Vec<_>>(), expected(date(year, of_year, 1), last), "{}", month.month);
        }
        assert_eq!(manifest.months.iter().map(|m| m.count).sum::<u32>(), 10);
        assert_eq!(manifest.months.len(), 7);
    }

    /// Five short articles on security and the nation, in segments of two: words shared across segments.
    fn security_titles() -> (Vec<crate::bundle::BundleFile>, Catalog) {
        let titles = ["الأمن الوطني", "الأمن الوطني اليوم", "الوطنية للأمن", "الوطن أولا", "رياضة"];
        let articles: Vec<Article> = titles.iter().enumerate().map(|(n, title)| article(title, Date::new(2014, 1, n as u8 + 1).ok())).collect();
        let files = assemble_with(articles, Vec::new(), "t", Sizes { segment_unit: 2, ..Sizes::DEFAULT });
        let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
        let catalog = Catalog::new(manifest).unwrap();
        (files, catalog)
    }

    #[test]
    fn a_trimmed_search_cache_is_read_again_and_answers_the_same() {
        let (files, mut catalog) = security_titles();
        let mut read = reader(&files);
        let query = crate::search::Query::parse("الامن الوطني");
        let first = resolve(&mut catalog, &mut read, |catalog| catalog.search(&query)).unwrap();
        assert!(!first.is_empty());
        catalog.trim_search(usize::MAX);
        assert!(catalog.search(&query).is_ok(), "under the budget nothing is dropped");
        catalog.trim_search(0);
        let missing = catalog.search(&query).unwrap_err();
        assert!(missing.iter().all(|request| catalog.wants(request)), "what was dropped can be given again: {missing:?}");
        let again = resolve(&mut catalog, &mut read, |catalog| catalog.search(&query)).unwrap();
        assert_eq!(again.iter().map(|hit| hit.doc).collect::<Vec<_>>(), first.iter().map(|hit| hit.doc).collect::<Vec<_>>());
    }

    #[test]
    fn completions_are_the_archives_words_most_frequent_first() {
        let (files, mut catalog) = security_titles();
        let mut read = reader(&files);
        let words = resolve(&mut catalog, &mut read, |catalog| catalog.completions("الوط", 3)).unwrap();
        let words: Vec<(&str, u32)> = words.iter().map(|(word, df)| (word.as_str(), *df)).collect();
        assert_eq!(words, [("الوطني", 2), ("الوطن", 1), ("الوطنيه", 1)], "summed over segments, then in dictionary order");
        assert!(resolve(&mut catalog, &mut read, |catalog| catalog.completions("ا", 3)).unwrap().is_empty(), "one letter matches too much");
    }

    #[test]
    fn a_story_is_found_among_the_fingerprints_near_it_in_date_across_segments() {
        // A story as an agency sends it; each outlet puts its own title on it (titles count in the fingerprint,
        // so headlines rewritten from scratch can split a story: BENCHMARKS, "Same story across outlets").
        let story = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في عدد من المدن وقالت الوزارة في بيان إن الفرق الطبية تتابع الوضع عن كثب وإن المستشفيات مستعدة \
            لاستقبال المرضى ودعت المواطنين إلى الالتزام بالإرشادات الصحية وتجنب التجمعات وغسل اليدين بانتظام وأضاف البيان أن عدد الحالات المسجلة منذ بداية الشهر \
            بلغ مئة وعشرين حالة شفي منها تسعون وأن الوزارة ستعلن أرقاما جديدة كل صباح عبر موقعها وحساباتها الرسمية \
            وفي سياق متصل عقد وزير الصحة اجتماعا مع مديري المناطق لبحث خطط الاستجابة السريعة وتوزيع الأجهزة والأدوية على المراكز الصحية في القرى \
            والمحافظات البعيدة وشدد على ضرورة رفع التقارير اليومية في مواعيدها وتعزيز التنسيق مع الجهات الأمنية والبلديات والجمعيات الخيرية \
            كما أعلنت الوزارة إطلاق حملة توعوية في المدارس والمساجد والأسواق تستمر أسبوعين وتشارك فيها فرق من المتطوعين والطلاب";
        let other = "فاز المنتخب الوطني لكرة القدم مساء أمس على نظيره في مباراة ودية أقيمت على أرضية الملعب الكبير وسجل المهاجم هدفين في الشوط الثاني";
        let told = |title: &str, outlet: &str, day: u8, text: &str| Article {
            blocks: vec![Block { kind: BlockKind::Paragraph, text: text.into() }],
            ..Article::for_test(title, outlet, Date::new(2015, 8, day).ok())
        };
        let articles = vec![
            told("الصحة تعلن حالات جديدة", "الرياض", 10, story),
            told("الصحة تعلن حالات جديدة في المدن", "اليوم", 11, story),
            told("المنتخب يفوز", "الرياض", 11, other),
            told("الصحة: حالات جديدة", "عكاظ", 12, story),
            told("الصحة تعلن من جديد", "المدينة", 20, story),
            told("قصير", "عكاظ", 11, "نص قصير"),
        ];
        let sizes = Sizes { segment_unit: 2, story_block: 2, ..Sizes::DEFAULT };
        let files = assemble_with(articles, Vec::new(), "t", sizes);
        let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
        assert!(manifest.segments.len() > 1);
        let mut catalog = Catalog::new(manifest).unwrap();
        let requests = std::cell::RefCell::new(Vec::new());
        let mut read_file = reader(&files);
        let mut read = |request: &str| {
            requests.borrow_mut().push(request.to_owned());
            read_file(request)
        };
        let docs: Vec<(u32, String)> = (0..6)
            .map(|doc| {
                let at = resolve(&mut catalog, &mut read, |catalog| catalog.shard_of(FamilyKind::Listing, doc)).unwrap().unwrap();
                let path = resolve(&mut catalog, &mut read, |catalog| catalog.file(FamilyKind::Listing, at.segment, at.number)).unwrap().unwrap();
                let shard: crate::bundle::ListingShard = serde_json::from_slice(&read(&path).unwrap()).unwrap();
                (doc, shard.rows[at.index as usize].title.clone())
            })
            .collect();
        let doc_of = |title: &str| docs.iter().find(|(_, t)| t == title).unwrap().0;
        let mut story_of = |catalog: &mut Catalog, title: &str| -> Vec<u32> { resolve(catalog, &mut read, |catalog| catalog.story(doc_of(title))).unwrap() };
        let mut expected = vec![doc_of("الصحة تعلن حالات جديدة في المدن"), doc_of("الصحة: حالات جديدة")];
        expected.sort();
        assert_eq!(story_of(&mut catalog, "الصحة تعلن حالات جديدة"), expected, "two days apart at most, the football and the short one left out");
        let mut others = vec![doc_of("الصحة تعلن حالات جديدة"), doc_of("الصحة تعلن حالات جديدة في المدن")];
        others.sort();
        assert_eq!(story_of(&mut catalog, "الصحة: حالات جديدة"), others, "each telling names every other, also through a third");
        assert_eq!(story_of(&mut catalog, "الصحة تعلن من جديد"), Vec::<u32>::new(), "ten days later is another story");
        assert_eq!(story_of(&mut catalog, "قصير"), Vec::<u32>::new(), "too short to tell");
        let fingerprint_reads: Vec<String> = requests.borrow().iter().filter(|request| request.starts_with("stories/")).cloned().collect();
        assert!(!fingerprint_reads.is_empty() && fingerprint_reads.iter().all(|request| request.contains('#')), "pieces, not whole files: {fingerprint_reads:?}");

        // Several at once answer as each alone.
        let all: Vec<u32> = (0..6).collect();
        let each: Vec<Vec<u32>> = all.iter().map(|&doc| resolve(&mut catalog, &mut read, |catalog| catalog.story(doc)).unwrap()).collect();
        assert_eq!(resolve(&mut catalog, &mut read, |catalog| catalog.stories(&all)).unwrap(), each);

        // Folded, a list keeps the first telling of each story in its place, and everything else.
        let list = [doc_of("قصير"), doc_of("الصحة: حالات جديدة"), doc_of("المنتخب يفوز"), doc_of("الصحة تعلن حالات جديدة"), doc_of("الصحة تعلن من جديد"), doc_of("الصحة تعلن حالات جديدة في المدن")];
        let folded = resolve(&mut catalog, &mut read, |catalog| catalog.fold_stories(&list)).unwrap();
        assert_eq!(folded, [list[0], list[1], list[2], list[4]], "the two later tellings within two days fold under the first listed");

        // Pieces come from the network: one that cuts an entry is refused, a short one holds no fingerprint
        // past its end (so nothing is asked for again and again).
        let (file, _) = crate::bundle::split_request(&fingerprint_reads[0]);
        assert!(catalog.wants(&format!("{file}#8+8")));
        assert!(matches!(catalog.provide(&format!("{file}#4+8"), vec![0; 8]), Err(crate::bundle::FormatError::Unreadable { .. })));
        catalog.provide(&format!("{file}#0+16"), vec![7; 8]).unwrap();
        let fingerprints = catalog.story_fingerprints(0..6).expect("every piece is here");
        assert!(fingerprints.iter().any(|&(_, fingerprint)| fingerprint == u64::from_le_bytes([7; 8])), "{fingerprints:?}");
    }

    #[test]
    fn reading_a_year_offline_needs_its_shards_and_no_other() {
        let days = [(2013, 3, 1), (2013, 5, 1), (2014, 1, 1), (2014, 2, 1), (2014, 3, 1), (2015, 1, 1)];
        let articles: Vec<Article> = days.iter().enumerate().map(|(n, &(y, m, d))| article(&format!("مقال {n}"), Date::new(y, m, d).ok())).collect();
        let sizes = Sizes { segment_unit: 2, rows_per_shard: 2, articles_per_shard: 1, ..Sizes::DEFAULT };
        let files = assemble_with(articles, Vec::new(), "t", sizes);
        let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
        let mut catalog = Catalog::new(manifest.clone()).unwrap();
        let mut read = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.bytes.clone()).ok_or_else(|| path.to_owned());
        let year = manifest.years.iter().find(|y| y.year == 2014).unwrap();
        let needed = resolve(&mut catalog, &mut read, |catalog| catalog.files_for_reading(year.first..year.first + year.count)).unwrap();
        // One article a shard: exactly the year's three articles, with their listing and outlet files.
        let articles: Vec<&String> = needed.iter().map(|(path, _)| path).filter(|path| path.starts_with("articles/")).collect();
        assert_eq!(articles.len(), 3, "{needed:?}");
        assert!(needed.iter().any(|(path, _)| path.starts_with("listing/")) && needed.iter().any(|(path, _)| path.starts_with("outlets/")));
        for (path, size) in &needed {
            assert_eq!(files.iter().find(|f| &f.path == path).map(|f| f.bytes.len() as u64), Some(*size), "{path}'s size");
        }
        let all = resolve(&mut catalog, &mut read, |catalog| catalog.files_for_reading(0..manifest.counts.articles)).unwrap();
        assert!(all.len() > needed.len());
        let distinct: std::collections::HashSet<&String> = all.iter().map(|(path, _)| path).collect();
        assert_eq!(distinct.len(), all.len(), "each file once");
    }

    #[test]
    fn a_segment_of_one_outlet_answers_outlets_without_its_column() {
        // Newest first: the newest two (one segment) from two outlets, the oldest four (another) from one.
        let outlets = ["B", "A", "A", "A", "A", "A"];
        let articles: Vec<Article> =
            outlets.iter().enumerate().map(|(n, outlet)| Article::for_test(&format!("مقال {n}"), outlet, Date::new(2014, 1, 10 - n as u8).ok())).collect();
        let files = assemble_with(articles, Vec::new(), "t", Sizes { segment_unit: 2, ..Sizes::DEFAULT });
        let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
        let number = |name: &str| manifest.outlets.iter().position(|o| o.value == name).unwrap() as u32 + 1;
        let mut catalog = Catalog::new(manifest.clone()).unwrap();
        let mut read = reader(&files);
        // Before the descriptors, each document names its segment's.
        assert_eq!(manifest.segments.len(), 2);
        assert!(matches!(catalog.outlet_of_document(0, |_, _| None), Err((_, u32::MAX))));
        for segment in 0..manifest.segments.len() {
            resolve(&mut catalog, &mut read, |catalog| catalog.segment(segment).map(|_| ())).unwrap();
        }
        // The oldest segment is all «A»: no column needed. The newest mixes two outlets: its block is asked for.
        assert_eq!((catalog.outlet_of_document(2, |_, _| None), catalog.outlet_of_document(3, |_, _| None)), (Ok(number("A")), Ok(number("A"))));
        let (segment, block) = catalog.outlet_of_document(0, |_, _| None).unwrap_err();
        assert_ne!(block, u32::MAX);
        let path = resolve(&mut catalog, &mut read, |catalog| catalog.file(FamilyKind::Outlets, segment, block)).unwrap().unwrap();
        let column = catalog.outlet_block(segment, block, &read(&path).unwrap()).unwrap();
        let with_column = |doc| catalog.outlet_of_document(doc, |s, b| ((s, b) == (segment, block)).then_some(column.as_slice()));
        assert_eq!((with_column(0), with_column(1)), (Ok(number("B")), Ok(number("A"))));
        assert_eq!(with_column(6), Ok(0), "past the end: no outlet");
        // Many at once, in any order, answer as one at a time; what is missing is named once per block.
        let docs = [5, 0, 3, 1, 2, 4, 6, 1];
        let each: Vec<u32> = docs.iter().map(|&doc| with_column(doc).unwrap()).collect();
        assert_eq!(catalog.outlets_of_documents(&docs, |s, b| ((s, b) == (segment, block)).then_some(column.as_slice())), Ok(each));
        assert_eq!(catalog.outlets_of_documents(&docs, |_, _| None), Err(vec![(segment, block)]));
    }

    #[test]
    fn small_families_need_no_directory_page_yet_every_file_is_still_listed() {
        let (files, mut catalog) = security_titles();
        let asked = std::cell::RefCell::new(Vec::new());
        let mut inner = reader(&files);
        let mut read = |request: &str| {
            asked.borrow_mut().push(request.to_owned());
            inner(request)
        };
        let query = crate::search::Query::parse("الامن");
        assert!(!resolve(&mut catalog, &mut read, |catalog| catalog.search(&query)).unwrap().is_empty());
        for family in [FamilyKind::Listing, FamilyKind::Articles, FamilyKind::Outlets, FamilyKind::Ids] {
            assert!(resolve(&mut catalog, &mut read, |catalog| catalog.file(family, 0, 0)).unwrap().is_some());
        }
        assert!(asked.borrow().iter().all(|request| !request.starts_with(crate::bundle::DIRECTORY_FOLDER)), "{asked:?}");
        // The pages exist all the same, and the list of every file names them with their sizes.
        let all = resolve(&mut catalog, &mut read, |catalog| catalog.all_files()).unwrap();
        let pages: Vec<_> = all.iter().filter(|(path, _)| path.starts_with(crate::bundle::DIRECTORY_FOLDER)).collect();
        assert!(!pages.is_empty());
        for (path, size) in pages {
            assert_eq!(files.iter().find(|f| &f.path == path).map(|f| f.bytes.len() as u64), Some(*size), "{path}");
        }
    }

    #[test]
    fn a_second_catalog_starts_from_the_entry_files_of_the_first() {
        let (files, mut first) = security_titles();
        let mut read = reader(&files);
        let query = crate::search::Query::parse("الوطني");
        resolve(&mut first, &mut read, |catalog| catalog.segment(0).map(|_| ())).unwrap();
        let handed = first.entry_files();
        assert_eq!((handed.len(), handed[0].0.as_str()), (2, MANIFEST_FILE), "the manifest and the one descriptor given");
        let mut second = Catalog::new(read_manifest(&handed[0].1).unwrap()).unwrap();
        for (path, bytes) in &handed[1..] {
            assert!(second.wants(path));
            second.provide(path, bytes.clone()).unwrap();
            assert!(!second.wants(path));
        }
        let hits = |catalog: &mut Catalog| resolve(catalog, &mut reader(&files), |catalog| catalog.search(&query)).unwrap();
        assert_eq!(hits(&mut second), hits(&mut first));
    }

    fn article(title: &str, published: Option<Date>) -> Article {
        Article::for_test(title, "A", published)
    }
}
