//! Writes a segment's search index while documents stream in, in document order. Per key it keeps only a
//! compact byte buffer (gaps and weighted counts as varints, positions for surface keys), so memory grows with
//! the postings' encoded size, not with the articles' text. `finish` turns counts into impact bytes, cuts
//! frequent keys at document blocks, and emits packs, term blocks and root pages, and returns the root.

use super::{
    decode_postings, tag, BlockRef, ChunkRef, PageRef, RootPage, SearchRoot, TermBlock, TermEntry, POSITIONS_FOLDER, POSTINGS_FOLDER,
    ROOT_PAGES_FOLDER, TERMS_FOLDER,
};
use crate::codec::{write_varint, VarintReader};
use crate::files::{hashed_file, json_file, BundleFile};
use crate::search::index::DocumentTerms;
use crate::search::rank::{impact, KeyKind};
use crate::fast_map::{FastMap, FastSet};

/// A key's postings longer than this (encoded) are cut at document blocks.
const SPLIT_BYTES: usize = 2048;
/// Packs close once they reach this size (or when their term block closes): postings packs stay small because
/// most queries fetch one per word; positions packs are larger because only phrases read them.
const PACK_BYTES: [usize; 2] = [64 * 1024, 256 * 1024];
/// Term blocks close once their estimated JSON reaches this size.
const BLOCK_BYTES: usize = 40 * 1024;
/// A key whose postings encode to at most this many bytes keeps them in its term block.
const INLINE_BYTES: usize = 24;
/// Term blocks named per root page.
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
    keys: FastMap<String, KeyBuffer>,
    doc_lengths: Vec<u32>,
    /// The tagged key being looked up, reused so that known keys cost no allocation.
    scratch: String,
    buffered_bytes: usize,
    /// Every surface word seen, across runs: a proclitic is split off only when the rest is one of them.
    surface_words: FastSet<String>,
}

impl Default for IndexWriter {
    fn default() -> IndexWriter {
        IndexWriter::new(crate::bundle::Sizes::DEFAULT.doc_block)
    }
}

impl IndexWriter {
    pub fn new(doc_block: u32) -> IndexWriter {
        IndexWriter {
            doc_block: doc_block.max(1),
            keys: FastMap::default(),
            doc_lengths: Vec::new(),
            scratch: String::new(),
            buffered_bytes: 0,
            surface_words: FastSet::default(),
        }
    }

    pub fn add(&mut self, terms: DocumentTerms) {
        let doc = self.doc_lengths.len() as u32;
        self.doc_lengths.push(terms.length);
        for (word, count, positions) in &terms.surface {
            self.push(KeyKind::Surface, word, doc, *count, Some(positions));
        }
        for (word, count) in &terms.stems {
            self.push(KeyKind::Stem, word, doc, *count, None);
        }
        for (word, count) in &terms.clitic_candidates {
            self.push(KeyKind::Clitic, word, doc, *count, None);
        }
    }

    fn push(&mut self, kind: KeyKind, word: &str, doc: u32, count: u32, positions: Option<&[u32]>) {
        self.scratch.clear();
        self.scratch.push(tag(kind));
        self.scratch.push_str(word);
        let buffer = match self.keys.get_mut(self.scratch.as_str()) {
            Some(buffer) => buffer,
            None => {
                if kind == KeyKind::Surface && !self.surface_words.contains(word) {
                    self.surface_words.insert(word.to_owned());
                }
                self.keys.entry(self.scratch.clone()).or_default()
            }
        };
        let before = buffer.postings.len() + buffer.positions.len();
        buffer.push(doc, count, positions);
        self.buffered_bytes += buffer.postings.len() + buffer.positions.len() - before;
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
        let mut out = BlockBuilder::new(emit, self.doc_block);
        for runs in merged {
            let Some(first) = runs.first() else { continue };
            // A proclitic is only split off when what remains is a word the corpus uses on its own.
            if first.key.starts_with(tag(KeyKind::Clitic)) && !self.surface_words.contains(&first.key[1..]) {
                continue;
            }
            out.add_key(runs, &self.doc_lengths);
        }
        let blocks = out.finish();
        let mut pages = Vec::new();
        for (number, chunk) in blocks.chunks(PAGE_BLOCKS).enumerate() {
            let file = json_file(ROOT_PAGES_FOLDER, &RootPage { blocks: chunk.to_vec() });
            pages.push(PageRef { first_key: chunk[0].first_key.clone(), first_block: (number * PAGE_BLOCKS) as u32, file: file.path.clone() });
            emit(file);
        }
        SearchRoot { documents, pages }
    }
}

/// Fills packs and term blocks in key order. Postings and positions go to separate packs, so a query
/// without a phrase never downloads positions.
struct BlockBuilder<'a> {
    emit: &'a mut dyn FnMut(BundleFile),
    doc_block: u32,
    /// The open postings pack and the open positions pack.
    open: [OpenPack; 2],
    /// Packs of the open block, by path; an open pack has its slot reserved with an empty path.
    packs: Vec<String>,
    terms: Vec<TermEntry>,
    estimated_bytes: usize,
    blocks: Vec<BlockRef>,
}

#[derive(Default)]
struct OpenPack {
    bytes: Vec<u8>,
    slot: Option<usize>,
}

const POSTINGS: usize = 0;
const POSITIONS: usize = 1;
const PACK_FOLDERS: [&str; 2] = [POSTINGS_FOLDER, POSITIONS_FOLDER];

impl<'a> BlockBuilder<'a> {
    fn new(emit: &'a mut dyn FnMut(BundleFile), doc_block: u32) -> BlockBuilder<'a> {
        BlockBuilder { emit, doc_block, open: Default::default(), packs: Vec::new(), terms: Vec::new(), estimated_bytes: 0, blocks: Vec::new() }
    }

    fn add_key(&mut self, runs: Vec<KeyRun>, doc_lengths: &[u32]) {
        // Re-encode with impacts, cut into chunks at document blocks if long.
        let encoded: usize = runs.iter().map(|run| run.postings.len()).sum();
        let long = encoded > SPLIT_BYTES;
        let has_positions = runs.iter().any(|run| !run.positions.is_empty());
        let key = runs[0].key.clone();
        let df = runs.iter().map(|run| run.df).sum();
        let mut chunks: Vec<(u32, u32, Vec<u8>, Vec<u8>)> = Vec::new(); // first, last, postings, positions
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
                    Some((chunk_first, ..)) => long && doc / self.doc_block != chunk_first / self.doc_block,
                };
                if starts_chunk {
                    chunks.push((doc, doc, Vec::new(), Vec::new()));
                }
                let chunk = chunks.last_mut().expect("a chunk is open");
                write_varint(&mut chunk.2, doc - chunk.1);
                chunk.2.push(impact(count, doc_lengths.get(doc as usize).copied().unwrap_or(1)));
                chunk.1 = doc;
                if has_positions {
                    let n = positions.read().unwrap_or(0);
                    write_varint(&mut chunk.3, n);
                    for _ in 0..n {
                        write_varint(&mut chunk.3, positions.read().unwrap_or(0));
                    }
                }
            }
        }
        let mut entry = TermEntry { key, df, postings: Vec::new(), positions: Vec::new(), inline: Vec::new(), inline_positions: Vec::new() };
        if !long && chunks.len() == 1 && chunks[0].2.len() <= INLINE_BYTES {
            let (first_doc, _, postings, positions) = chunks.pop().expect("one chunk");
            let mut previous = 0;
            for (doc, impact) in decode_postings(&postings, first_doc) {
                entry.inline.extend([doc - previous, u32::from(impact)]);
                previous = doc;
            }
            let mut reader = VarintReader::new(&positions);
            entry.inline_positions = std::iter::from_fn(|| reader.read()).collect();
        }
        for (first_doc, last_doc, postings, positions) in chunks {
            entry.postings.push(self.append(POSTINGS, &postings, first_doc, last_doc));
            if has_positions {
                entry.positions.push(self.append(POSITIONS, &positions, first_doc, last_doc));
            }
        }
        self.estimated_bytes += entry.key.len() + 12 + 30 * (entry.postings.len() + entry.positions.len())
            + 4 * (entry.inline.len() + entry.inline_positions.len());
        self.terms.push(entry);
        if self.estimated_bytes >= BLOCK_BYTES {
            self.close_block();
        }
    }

    fn append(&mut self, kind: usize, bytes: &[u8], first_doc: u32, last_doc: u32) -> ChunkRef {
        if !self.open[kind].bytes.is_empty() && self.open[kind].bytes.len() + bytes.len() > PACK_BYTES[kind] {
            self.close_pack(kind);
        }
        let slot = match self.open[kind].slot {
            Some(slot) => slot,
            None => {
                self.packs.push(String::new());
                self.open[kind].slot = Some(self.packs.len() - 1);
                self.packs.len() - 1
            }
        };
        let pack = &mut self.open[kind].bytes;
        let chunk = ChunkRef { pack: slot as u32, offset: pack.len() as u32, len: bytes.len() as u32, first_doc, last_doc };
        pack.extend_from_slice(bytes);
        chunk
    }

    fn close_pack(&mut self, kind: usize) {
        let open = std::mem::take(&mut self.open[kind]);
        let Some(slot) = open.slot else { return };
        let file = hashed_file(PACK_FOLDERS[kind], open.bytes, "bin");
        self.packs[slot] = file.path.clone();
        (self.emit)(file);
    }

    fn close_block(&mut self) {
        if self.terms.is_empty() {
            return;
        }
        self.close_pack(POSTINGS);
        self.close_pack(POSITIONS);
        let block = TermBlock { packs: std::mem::take(&mut self.packs), terms: std::mem::take(&mut self.terms) };
        let file = json_file(TERMS_FOLDER, &block);
        self.blocks.push(BlockRef { first_key: block.terms[0].key.clone(), keys: block.terms.len() as u32, file: file.path.clone() });
        (self.emit)(file);
        self.estimated_bytes = 0;
    }

    fn finish(mut self) -> Vec<BlockRef> {
        self.close_block();
        self.blocks
    }
}
