//! Writes a segment's search index while documents stream in, in document order. Per key it keeps only a
//! compact byte buffer (gaps and weighted counts as varints, positions for surface keys), so memory grows with
//! the postings' encoded size, not with the articles' text. `finish` turns counts into impact bytes, cuts
//! frequent keys at document blocks, and emits packs, term blocks and root pages, and returns the root.

use super::{
    decode_postings, encode_root_page, encode_term_block, tag, BlockRef, ChunkRef, LeadersRef, PageRef, Piece, Rest, RootPage, SearchRoot, TermBlock, TermEntry,
    KEY_SEPARATOR, POSITIONS_FOLDER, POSTINGS_FOLDER, TERMS_FOLDER,
};
use crate::bundle::Sizes;
use crate::codec::{base64_encode, write_varint, VarintReader};
use crate::files::{hashed_file, BundleFile};
use crate::search::index::DocumentTerms;
use crate::search::rank::{impact, read_impact, KeyKind};
use crate::fast_map::FastMap;

/// A key's postings longer than this (encoded) are cut at document blocks.
const SPLIT_BYTES: usize = 2048;
/// Packs (of term blocks and root pages, of postings, of positions) close once they reach these sizes. Queries
/// read pieces of them, so large packs cost nothing per query and keep the number of files low.
const PACK_BYTES: [usize; 3] = [1 << 20, 4 << 20, 4 << 20];
/// Term blocks close once their estimated size reaches this. A lookup reads one block by range in every
/// segment, so small blocks cost little per word: on the real JawharaFM corpus a rare word's search pieces
/// came to 26 KB with 2 KB blocks, 37 KB with 4 KB and 60 KB with 8 KB, for a bundle 1.7 % larger than with
/// 8 KB. With root pages carried in the descriptors, 1 KB blocks halved the search pieces of the benchmark's
/// twenty queries again (median 22.5 → 11.8 KB, `sahifa search --explain`) for 0.3 % more bundle and 16 KB
/// more of descriptors (brotli), which the viewer fetches once, after the first screen.
const BLOCK_BYTES: usize = 1024;
/// A key whose postings encode to at most this many bytes keeps them in its term block.
const INLINE_BYTES: usize = 24;
/// A key has leaders (`LeadersRef`) when it is held by more than this many times `Sizes::leaders`
/// documents: below that its postings are about a kilobyte, which a query reads whole nearly as cheaply.
/// Measured on SaudiNewsNet + ANT (61k articles): at 4 times, leaders made the search files 3.8 % larger; at 16
/// times, 1.1 %, for the same bytes per query (`sahifa search --explain`, median of fifteen words 22.9 and
/// 23.4 KB).
const LEADERS_FROM: u32 = 16;
/// Term blocks named per root page: a page is a piece a lookup reads too (where the descriptor does not carry
/// it), and the segment's descriptor names every page. 128 of 1 KB blocks keep a page's reach what 64 of
/// 2 KB had, so a large segment's descriptor names as many pages and a lookup reads as many bytes in all.
const PAGE_BLOCKS: usize = 128;

#[derive(Default)]
struct KeyBuffer {
    /// Per document: gap from the previous document, weighted count.
    postings: Vec<u8>,
    /// Per document (surface keys): number of positions, then their gaps.
    positions: Vec<u8>,
    last_doc: Option<u32>,
    df: u32,
}

impl KeyBuffer {
    fn push(&mut self, doc: u32, weighted_count: u32, positions: Option<&[u32]>) {
        write_varint(&mut self.postings, doc - self.last_doc.map_or(0, |last| last + 1));
        write_varint(&mut self.postings, weighted_count);
        if let Some(positions) = positions {
            write_varint(&mut self.positions, positions.len() as u32);
            let mut previous = 0;
            for &position in positions {
                write_varint(&mut self.positions, position - previous);
                previous = position;
            }
        }
        self.last_doc = Some(doc);
        self.df += 1;
    }

    /// Appends the postings of `later`, a buffer of later documents begun on its own (see [`PostingsBatch`]), so
    /// its first entry holds its first document whole: that one is written again as a gap from this buffer's
    /// last document, the rest is copied.
    fn append(&mut self, later: KeyBuffer) {
        let mut reader = VarintReader::new(&later.postings);
        let (Some(first_doc), Some(last)) = (reader.read(), later.last_doc) else { return };
        write_varint(&mut self.postings, first_doc - self.last_doc.map_or(0, |last| last + 1));
        self.postings.extend_from_slice(&later.postings[reader.position()..]);
        self.positions.extend_from_slice(&later.positions);
        self.last_doc = Some(last);
        self.df += later.df;
    }
}

/// The postings of a run of consecutive documents, grouped by key apart from the index writer, so that builders
/// can group them on several threads and the writer adds each key once per batch ([`IndexWriter::add_batch`])
/// instead of once per document: in a segment of hundreds of thousands of articles every lookup in the
/// writer's table is a cache miss (grouping cut a million-page build's time adding articles, on its one main
/// thread, from 412 to 221 s). What the writer holds afterwards is exactly what adding the documents one by one
/// gives.
pub struct PostingsBatch {
    first: u32,
    keys: FastMap<String, KeyBuffer>,
    doc_lengths: Vec<u32>,
    scratch: String,
}

impl PostingsBatch {
    /// A batch whose first document will be the segment's document `first`.
    pub fn new(first: u32) -> PostingsBatch {
        PostingsBatch { first, keys: FastMap::default(), doc_lengths: Vec::new(), scratch: String::new() }
    }

    /// Adds the next document of the batch.
    pub fn add(&mut self, terms: &DocumentTerms) {
        let doc = self.first + self.doc_lengths.len() as u32;
        self.doc_lengths.push(terms.length);
        add_terms(&mut self.keys, &mut self.scratch, doc, terms);
    }
}

/// Adds one document's keys to `keys`, tagged by kind; `scratch` is reused so that known keys cost no allocation.
fn add_terms(keys: &mut FastMap<String, KeyBuffer>, scratch: &mut String, doc: u32, terms: &DocumentTerms) -> usize {
    let mut added = 0;
    let mut push = |kind: KeyKind, word: &str, count: u32, positions: Option<&[u32]>| {
        scratch.clear();
        scratch.push_str(word);
        scratch.push(KEY_SEPARATOR);
        scratch.push(tag(kind));
        let buffer = match keys.get_mut(scratch.as_str()) {
            Some(buffer) => buffer,
            None => keys.entry(scratch.clone()).or_default(),
        };
        let before = buffer.postings.len() + buffer.positions.len();
        buffer.push(doc, count, positions);
        added += buffer.postings.len() + buffer.positions.len() - before;
    };
    for (word, count, positions) in &terms.surface {
        push(KeyKind::Surface, word, *count, Some(positions));
    }
    for (word, count) in &terms.stems {
        push(KeyKind::Stem, word, *count, None);
    }
    for (word, count) in &terms.clitic_candidates {
        push(KeyKind::Clitic, word, *count, None);
    }
    added
}

/// One key's postings from a run of documents: the first document is stored whole, the rest as gaps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyRun {
    pub key: String,
    pub df: u32,
    pub postings: Vec<u8>,
    pub positions: Vec<u8>,
}

impl KeyRun {
    /// A self-delimiting byte form, for builders that keep runs on disk.
    pub fn encode(&self, out: &mut Vec<u8>) {
        for part in [self.key.as_bytes(), &self.postings, &self.positions] {
            write_varint(out, part.len() as u32);
            out.extend_from_slice(part);
        }
        write_varint(out, self.df);
    }

    /// Reads what `encode` wrote from the start of `bytes`; returns the run and the bytes it used.
    pub fn decode(bytes: &[u8]) -> Option<(KeyRun, usize)> {
        let mut at = 0;
        let mut part = || -> Option<&[u8]> {
            let mut reader = VarintReader::new(&bytes[at..]);
            let len = reader.read()? as usize;
            let start = at + reader.position();
            let slice = bytes.get(start..start + len)?;
            at = start + len;
            Some(slice)
        };
        let key = String::from_utf8(part()?.to_vec()).ok()?;
        let postings = part()?.to_vec();
        let positions = part()?.to_vec();
        let mut reader = VarintReader::new(&bytes[at..]);
        let df = reader.read()?;
        Some((KeyRun { key, df, postings, positions }, at + reader.position()))
    }
}

/// The streaming index writer. Documents are added in order; a builder that must bound its memory takes the
/// buffered postings out as sorted runs now and then ([`IndexWriter::take_run`]), keeps them where it likes,
/// and hands them back merged by key to [`IndexWriter::finish_runs`].
pub struct IndexWriter {
    /// A frequent key's postings are cut at blocks of this many documents.
    doc_block: u32,
    /// Leaders per group of a frequent key (`LeadersRef`).
    leaders: u32,
    /// Postings per run of a positions chunk (`Sizes::position_run`).
    position_run: u32,
    /// Root pages up to this many bytes in all also travel in the root (`SearchRoot::inline_pages`).
    inline_root_pages: u32,
    keys: FastMap<String, KeyBuffer>,
    doc_lengths: Vec<u32>,
    /// The tagged key being looked up, reused so that known keys cost no allocation.
    scratch: String,
    buffered_bytes: usize,
}

impl Default for IndexWriter {
    fn default() -> IndexWriter {
        IndexWriter::new(Sizes::DEFAULT)
    }
}

impl IndexWriter {
    pub fn new(sizes: Sizes) -> IndexWriter {
        IndexWriter {
            doc_block: sizes.doc_block.max(1),
            leaders: sizes.leaders,
            position_run: sizes.position_run.max(1),
            inline_root_pages: sizes.inline_root_pages,
            keys: FastMap::default(),
            doc_lengths: Vec::new(),
            scratch: String::new(),
            buffered_bytes: 0,
        }
    }

    pub fn add(&mut self, terms: DocumentTerms) {
        let doc = self.doc_lengths.len() as u32;
        self.doc_lengths.push(terms.length);
        self.buffered_bytes += add_terms(&mut self.keys, &mut self.scratch, doc, &terms);
    }

    /// Adds the documents of `batch`, which must start where the documents added so far end.
    pub fn add_batch(&mut self, batch: PostingsBatch) {
        assert_eq!(batch.first as usize, self.doc_lengths.len(), "a batch starts right after the documents added before it");
        self.doc_lengths.extend_from_slice(&batch.doc_lengths);
        for (key, later) in batch.keys {
            // The key is owned already, so one entry lookup serves known and new keys alike.
            let buffer = self.keys.entry(key).or_default();
            let before = buffer.postings.len() + buffer.positions.len();
            buffer.append(later);
            self.buffered_bytes += buffer.postings.len() + buffer.positions.len() - before;
        }
    }

    /// How many documents were added.
    pub fn documents(&self) -> u32 {
        self.doc_lengths.len() as u32
    }

    /// Bytes held by the postings buffers, for progress reports.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered_bytes
    }

    /// Takes the postings buffered since the last run, sorted by key, and frees their memory. Document
    /// numbers go on from where they were.
    pub fn take_run(&mut self) -> Vec<KeyRun> {
        let mut run: Vec<KeyRun> = self
            .keys
            .drain()
            .map(|(key, buffer)| KeyRun { key, df: buffer.df, postings: buffer.postings, positions: buffer.positions })
            .collect();
        run.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        self.buffered_bytes = 0;
        run
    }

    /// Emits every file of the index from what is buffered, and returns its root.
    pub fn finish(mut self, emit: &mut dyn FnMut(BundleFile)) -> SearchRoot {
        let run = self.take_run();
        self.finish_runs(run.into_iter().map(|key_run| vec![key_run]), emit)
    }

    /// Emits every file of the index from runs merged by key: each item holds one key's runs in document
    /// order. Returns the root.
    pub fn finish_runs(self, merged: impl Iterator<Item = Vec<KeyRun>>, emit: &mut dyn FnMut(BundleFile)) -> SearchRoot {
        let documents = self.doc_lengths.len() as u32;
        let mut out = BlockBuilder::new(emit, self.doc_block, self.leaders, self.position_run);
        for runs in merged {
            if runs.is_empty() {
                continue;
            }
            // Every clitic remainder is kept, whether or not this segment uses it as a word of its own: the
            // search decides that against the whole archive (`rank::resolve`), so a segment's keys depend on
            // its articles alone and a small new segment answers as the same articles in a large one would.
            out.add_key(runs, &self.doc_lengths);
        }
        out.finish(documents, self.inline_root_pages)
    }
}

/// Fills the packs in key order: term blocks (and, at the end, root pages) into terms packs, postings and
/// positions into their own packs, so a query without a phrase never reads positions. A pack closes when it
/// is full, whatever block it is in: packs are read by piece, so their size only sets how many files a
/// segment has.
struct BlockBuilder<'a> {
    emit: &'a mut dyn FnMut(BundleFile),
    doc_block: u32,
    leaders: u32,
    position_run: u32,
    /// The open pack of each kind, and the paths of the closed ones (a pack's number is its place there).
    open: [Vec<u8>; 3],
    closed: [Vec<String>; 3],
    terms: Vec<TermEntry>,
    estimated_bytes: usize,
    blocks: Vec<BlockRef>,
}

/// A key's postings over one run of documents, while they are written.
#[derive(Default)]
struct Chunk {
    first: u32,
    last: u32,
    /// Gaps between documents, as varints, and the impact byte of each document.
    gaps: Vec<u8>,
    impacts: Vec<u8>,
    /// Per document (surface keys): the number of its positions; and all the positions as gaps.
    position_counts: Vec<u8>,
    position_gaps: Vec<u8>,
}

impl Chunk {
    /// Adds a posting after the chunk's last one (the first from `first`).
    fn push(&mut self, doc: u32, impact: u8) {
        write_varint(&mut self.gaps, doc - self.last);
        self.impacts.push(impact);
        self.last = doc;
    }

    /// The postings as stored: the number of documents, then every gap, then every impact (see
    /// `decode_postings`).
    fn encode_postings(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.gaps.len() + self.impacts.len() + 3);
        write_varint(&mut out, self.impacts.len() as u32);
        out.extend_from_slice(&self.gaps);
        out.extend_from_slice(&self.impacts);
        out
    }

    /// The postings as a pack stores them: as [`Chunk::encode_postings`], then, for a key with positions, where
    /// each run of `run` postings' positions lies in its positions chunk: `run`, the number of runs, and each
    /// run's length in bytes (see `decode_postings_and_runs`). A phrase checked on a few documents reads their
    /// runs alone.
    fn encode_postings_in_pack(&self, run: u32) -> Vec<u8> {
        let mut out = self.encode_postings();
        if !self.position_counts.is_empty() {
            let runs = self.position_runs(run);
            write_varint(&mut out, run);
            write_varint(&mut out, runs.len() as u32);
            for (counts, gaps) in &runs {
                write_varint(&mut out, (counts.len() + gaps.len()) as u32);
            }
        }
        out
    }

    /// The positions as stored: run by run of `run` postings, the run's counts, then its gaps (see
    /// `decode_positions`). A chunk of at most `run` postings (every inline one) is one run.
    fn encode_positions(&self, run: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.position_counts.len() + self.position_gaps.len());
        for (counts, gaps) in self.position_runs(run) {
            out.extend_from_slice(&self.position_counts[counts]);
            out.extend_from_slice(&self.position_gaps[gaps]);
        }
        out
    }

    /// The byte ranges of each run's counts and gaps in the chunk's positions, as written.
    fn position_runs(&self, run: u32) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let run = run.max(1) as usize;
        let mut counts = VarintReader::new(&self.position_counts);
        let mut gaps = VarintReader::new(&self.position_gaps);
        let mut runs = Vec::new();
        let (mut counts_from, mut gaps_from, mut in_run) = (0, 0, 0);
        while let Some(count) = counts.read() {
            gaps.skip(count as usize);
            in_run += 1;
            if in_run == run {
                let (counts_to, gaps_to) = (self.position_counts.len() - counts.remaining(), self.position_gaps.len() - gaps.remaining());
                runs.push((counts_from..counts_to, gaps_from..gaps_to));
                (counts_from, gaps_from, in_run) = (counts_to, gaps_to, 0);
            }
        }
        if in_run > 0 {
            runs.push((counts_from..self.position_counts.len(), gaps_from..self.position_gaps.len()));
        }
        runs
    }
}

const TERMS: usize = 0;
const POSTINGS: usize = 1;
const POSITIONS: usize = 2;
const PACK_FOLDERS: [&str; 3] = [TERMS_FOLDER, POSTINGS_FOLDER, POSITIONS_FOLDER];

impl<'a> BlockBuilder<'a> {
    fn new(emit: &'a mut dyn FnMut(BundleFile), doc_block: u32, leaders: u32, position_run: u32) -> BlockBuilder<'a> {
        BlockBuilder { emit, doc_block, leaders, position_run, open: Default::default(), closed: Default::default(), terms: Vec::new(), estimated_bytes: 0, blocks: Vec::new() }
    }

    fn add_key(&mut self, runs: Vec<KeyRun>, doc_lengths: &[u32]) {
        // Re-encode with impacts, cut into chunks at document blocks if long.
        let encoded: usize = runs.iter().map(|run| run.postings.len()).sum();
        let long = encoded > SPLIT_BYTES;
        let has_positions = runs.iter().any(|run| !run.positions.is_empty());
        let key = runs[0].key.clone();
        let df = runs.iter().map(|run| run.df).sum();
        let mut chunks: Vec<Chunk> = Vec::new();
        for run in &runs {
            let mut reader = VarintReader::new(&run.postings);
            let mut positions = VarintReader::new(&run.positions);
            let mut doc = 0u32;
            let mut first = true;
            while let (Some(gap), Some(count)) = (reader.read(), reader.read()) {
                // Each run stores its first document whole.
                doc = if first { gap } else { doc + 1 + gap };
                first = false;
                let starts_chunk = match chunks.last() {
                    None => true,
                    Some(chunk) => long && doc / self.doc_block != chunk.first / self.doc_block,
                };
                if starts_chunk {
                    chunks.push(Chunk { first: doc, last: doc, ..Chunk::default() });
                }
                let chunk = chunks.last_mut().expect("a chunk is open");
                chunk.push(doc, impact(count, doc_lengths.get(doc as usize).copied().unwrap_or(1)));
                if has_positions {
                    let n = positions.read().unwrap_or(0);
                    write_varint(&mut chunk.position_counts, n);
                    for _ in 0..n {
                        write_varint(&mut chunk.position_gaps, positions.read().unwrap_or(0));
                    }
                }
            }
        }
        let mut entry = TermEntry { key, df, ..TermEntry::default() };
        if !long && chunks.len() == 1 && chunks[0].gaps.len() + chunks[0].impacts.len() <= INLINE_BYTES {
            let chunk = chunks.pop().expect("one chunk");
            let mut previous = 0;
            for (doc, impact) in decode_postings(&chunk.encode_postings(), chunk.first) {
                entry.inline.extend([doc - previous, u32::from(impact)]);
                previous = doc;
            }
            // Inline positions are read whole, as one run.
            let positions = chunk.encode_positions(u32::MAX);
            let mut reader = VarintReader::new(&positions);
            entry.inline_positions = std::iter::from_fn(|| reader.read()).collect();
        }
        if !chunks.is_empty() && self.leaders > 0 && df > LEADERS_FROM.saturating_mul(self.leaders) {
            entry.leaders = self.add_leaders(&chunks);
        }
        for chunk in chunks {
            let piece = self.append(POSTINGS, &chunk.encode_postings_in_pack(self.position_run));
            entry.postings.push(ChunkRef { pack: piece.pack, offset: piece.offset, len: piece.len, first_doc: chunk.first, last_doc: chunk.last });
            if has_positions {
                let piece = self.append(POSITIONS, &chunk.encode_positions(self.position_run));
                entry.positions.push(ChunkRef { pack: piece.pack, offset: piece.offset, len: piece.len, first_doc: chunk.first, last_doc: chunk.last });
            }
        }
        // About the entry's size in the binary block (see term_block.rs).
        self.estimated_bytes += entry.key.len() / 2 + 3 + 8 * (entry.postings.len() + entry.positions.len())
            + entry.inline.len() + entry.inline_positions.len() * 3 / 2;
        self.terms.push(entry);
        if self.estimated_bytes >= BLOCK_BYTES {
            self.close_block();
        }
    }

    /// Writes a frequent key's leaders (`LeadersRef`) into the postings pack, before its chunks, so that a
    /// reader wanting both reads one range; `None` when every posting would be a leader.
    fn add_leaders(&mut self, chunks: &[Chunk]) -> Option<LeadersRef> {
        let mut groups: [Vec<(u32, u8)>; 2] = [Vec::new(), Vec::new()];
        for chunk in chunks {
            for (doc, impact) in decode_postings(&chunk.encode_postings(), chunk.first) {
                groups[usize::from(!read_impact(impact).1)].push((doc, impact));
            }
        }
        let wanted = self.leaders as usize;
        if groups.iter().all(|group| group.len() <= wanted) {
            return None;
        }
        let mut leaders = Vec::new();
        let mut rests = [Rest::default(); 2];
        for (group, rest) in groups.iter_mut().zip(&mut rests) {
            // Highest impact first, the newest (smallest number) first between equals.
            group.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            if let Some(&(_, top)) = group.get(wanted) {
                let last = wanted.checked_sub(1).and_then(|at| group.get(at));
                *rest = Rest { top, after: last.filter(|last| last.1 == top).map(|last| last.0) };
            }
            leaders.extend_from_slice(&group[..group.len().min(wanted)]);
        }
        leaders.sort_unstable_by_key(|&(doc, _)| doc);
        // A chunk from document 0, as the reader decodes it.
        let mut chunk = Chunk::default();
        leaders.into_iter().for_each(|(doc, impact)| chunk.push(doc, impact));
        Some(LeadersRef { piece: self.append(POSTINGS, &chunk.encode_postings()), rests })
    }

    /// Appends a piece to the open pack of `kind`, closing the pack first if the piece would overflow it.
    fn append(&mut self, kind: usize, bytes: &[u8]) -> Piece {
        if !self.open[kind].is_empty() && self.open[kind].len() + bytes.len() > PACK_BYTES[kind] {
            self.close_pack(kind);
        }
        let pack = &mut self.open[kind];
        let piece = Piece { pack: self.closed[kind].len() as u32, offset: pack.len() as u32, len: bytes.len() as u32 };
        pack.extend_from_slice(bytes);
        piece
    }

    fn close_pack(&mut self, kind: usize) {
        let bytes = std::mem::take(&mut self.open[kind]);
        if bytes.is_empty() {
            return;
        }
        let file = hashed_file(PACK_FOLDERS[kind], bytes, "bin");
        self.closed[kind].push(file.path.clone());
        (self.emit)(file);
    }

    fn close_block(&mut self) {
        if self.terms.is_empty() {
            return;
        }
        let block = TermBlock { terms: std::mem::take(&mut self.terms) };
        let piece = self.append(TERMS, &encode_term_block(&block));
        self.blocks.push(BlockRef { first_key: block.terms[0].key.clone(), keys: block.terms.len() as u32, piece });
        self.estimated_bytes = 0;
    }

    /// Writes the last block, the root pages and the packs, and gives the root; with the root pages inside it
    /// too when they come to at most `inline_root_pages` bytes.
    fn finish(mut self, documents: u32, inline_root_pages: u32) -> SearchRoot {
        self.close_block();
        let blocks = std::mem::take(&mut self.blocks);
        let mut pages = Vec::new();
        let mut page_bytes = Vec::new();
        for (number, chunk) in blocks.chunks(PAGE_BLOCKS).enumerate() {
            let encoded = encode_root_page(&RootPage { blocks: chunk.to_vec() });
            let piece = self.append(TERMS, &encoded);
            pages.push(PageRef { first_key: chunk[0].first_key.clone(), first_block: (number * PAGE_BLOCKS) as u32, piece });
            page_bytes.extend_from_slice(&encoded);
        }
        for kind in [TERMS, POSTINGS, POSITIONS] {
            self.close_pack(kind);
        }
        let inline_pages = if page_bytes.len() <= inline_root_pages as usize { base64_encode(&page_bytes) } else { String::new() };
        let [terms, postings, positions] = self.closed;
        SearchRoot { documents, pages, terms, postings, positions, inline_pages }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::SEED_PAGES;
    use crate::parse::parse_page;
    use crate::search::index::{analyze, article_fields};
    use crate::synth::Synth;

    /// Articles recombined from the sample pages, so that keys come and go from one document to the next.
    fn documents(count: usize) -> Vec<DocumentTerms> {
        let samples: Vec<_> = SEED_PAGES.iter().map(|page| parse_page(page.as_bytes()).page.expect("the sample pages parse").article).collect();
        let mut synth = Synth::new(&samples, &[], 7);
        (0..count).map(|serial| analyze(&article_fields(&synth.next_article(serial)))).collect()
    }

    #[test]
    fn postings_grouped_in_batches_are_what_adding_documents_one_by_one_gives() {
        let documents = documents(40);
        let mut one_by_one = IndexWriter::default();
        for terms in &documents {
            one_by_one.add(terms.clone());
        }
        let expected_bytes = one_by_one.buffered_bytes();
        let expected = one_by_one.take_run();
        assert!(expected.iter().any(|run| run.df > 1 && (run.df as usize) < documents.len()), "some keys skip documents");
        // Batches of one document, of a few, of uneven sizes, and one of all, alone or after single documents.
        for cuts in [vec![1; 40], vec![3; 14], vec![5, 1, 16, 2, 9, 7], vec![40], vec![1, 1, 38]] {
            let mut batched = IndexWriter::default();
            let mut first = 0;
            for size in cuts {
                let end = (first + size).min(documents.len());
                let mut batch = PostingsBatch::new(first as u32);
                for terms in &documents[first..end] {
                    batch.add(terms);
                }
                batched.add_batch(batch);
                first = end;
            }
            assert_eq!(batched.documents(), 40);
            assert_eq!(batched.buffered_bytes(), expected_bytes);
            assert_eq!(batched.doc_lengths, one_by_one.doc_lengths);
            assert_eq!(batched.take_run(), expected);
        }
    }
}
