//! A segment's search index, sharded so a query downloads a few small pieces whatever the size of the
//! archive. The dictionary has a small root (inline in the segment's descriptor) naming root pages of key
//! ranges, which name term blocks: keys with their document frequency and their postings, inline for rare
//! keys or as chunks of binary postings. A frequent key's postings are cut at document blocks, so an AND with
//! a rare word fetches only the parts near the rare word's documents.
//!
//! Root pages, term blocks, postings and positions all live in a few large **pack** files per segment, and
//! each piece is read by byte range (`bundle::ranged`): a query downloads the pieces it needs, not whole
//! files, and a million articles need a few hundred search files, not tens of thousands. A host serves a
//! range of the file as stored (browsers ask for ranges without compression), and whole files, with their
//! precompressed copies, to a reader saving the archive.
//!
//! Reading is sans-IO: [`ShardedIndex`] answers from what it was given, or names the pieces it lacks; the
//! CLI reads them from disk and the viewer fetches them. Ranking needs nothing but these files: a posting's
//! impact byte depends on its document alone (see `rank::REFERENCE_LENGTH`), and document frequencies are
//! summed over the segments at query time, so old segments never change when new ones arrive.

mod reader;
mod term_block;
mod writer;

pub use reader::ShardedIndex;
pub use term_block::{decode_root_page, decode_term_block, encode_root_page, encode_term_block};
pub use writer::{IndexWriter, KeyRun, PostingsBatch};



use crate::codec::VarintReader;
use crate::search::rank::KeyKind;
use crate::search::Positions;
use serde::{Deserialize, Serialize};

/// The search index's packs, by kind, in sub-folders of the bundle's `search/`.
pub const TERMS_FOLDER: &str = "search/terms";
pub const POSTINGS_FOLDER: &str = "search/postings";
pub const POSITIONS_FOLDER: &str = "search/positions";

/// A key: its term, then a separator below every letter, then the kind's tag. Keys sort by term first, so a
/// word's surface and proclitic keys sit side by side (one term block holds both), and every key of a term
/// comes before the longer terms it begins.
pub fn tagged_key(kind: KeyKind, term: &str) -> String {
    let mut key = String::with_capacity(term.len() + 2);
    key.push_str(term);
    key.push(KEY_SEPARATOR);
    key.push(tag(kind));
    key
}

pub(crate) const KEY_SEPARATOR: char = '\u{1}';

/// The term and kind of a key, if it is one.
pub fn split_key(key: &str) -> Option<(&str, KeyKind)> {
    let (term, tag) = key.rsplit_once(KEY_SEPARATOR)?;
    let kind = match tag {
        "c" => KeyKind::Clitic,
        "s" => KeyKind::Surface,
        "t" => KeyKind::Stem,
        _ => return None,
    };
    Some((term, kind))
}

pub fn tag(kind: KeyKind) -> char {
    match kind {
        KeyKind::Clitic => 'c',
        KeyKind::Surface => 's',
        KeyKind::Stem => 't',
    }
}

/// The root of a segment's dictionary, inline in its descriptor: one entry per root page, and the segment's
/// pack files. It stays a few KB even for millions of keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRoot {
    pub documents: u32,
    pub pages: Vec<PageRef>,
    /// Packs of root pages and term blocks, of postings, and of positions, numbered by their place here.
    pub terms: Vec<String>,
    pub postings: Vec<String>,
    pub positions: Vec<String>,
    /// When the segment's root pages are small (`Sizes::inline_root_pages`): all of them, one after another
    /// as `pages` lists them, in base64. They stay in the terms pack too, so a reader that ignores this (or
    /// finds it damaged) fetches them by range as before; a reader that takes them skips a round trip per cold
    /// query, reading the word's term block at once. Absent otherwise (and in bundles written before it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub inline_pages: String,
}

/// A piece of a pack: `len` bytes at `offset` in pack number `pack`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub pack: u32,
    pub offset: u32,
    pub len: u32,
}

/// A root page: the term blocks from `first_block` on, which start at `first_key`, in a piece of a terms
/// pack. Encoded as `[first_key, first_block, pack, offset, len]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(String, u32, u32, u32, u32)", from = "(String, u32, u32, u32, u32)")]
pub struct PageRef {
    pub first_key: String,
    pub first_block: u32,
    pub piece: Piece,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootPage {
    pub blocks: Vec<BlockRef>,
}

/// A term block: its first key (a key lives in the last block whose first key is not after it), how many
/// keys it holds, and where it lies in the terms packs. Encoded as `[first_key, keys, pack, offset, len]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(String, u32, u32, u32, u32)", from = "(String, u32, u32, u32, u32)")]
pub struct BlockRef {
    pub first_key: String,
    pub keys: u32,
    pub piece: Piece,
}

impl From<PageRef> for (String, u32, u32, u32, u32) {
    fn from(page: PageRef) -> Self {
        (page.first_key, page.first_block, page.piece.pack, page.piece.offset, page.piece.len)
    }
}

impl From<(String, u32, u32, u32, u32)> for PageRef {
    fn from((first_key, first_block, pack, offset, len): (String, u32, u32, u32, u32)) -> Self {
        PageRef { first_key, first_block, piece: Piece { pack, offset, len } }
    }
}

impl From<BlockRef> for (String, u32, u32, u32, u32) {
    fn from(block: BlockRef) -> Self {
        (block.first_key, block.keys, block.piece.pack, block.piece.offset, block.piece.len)
    }
}

impl From<(String, u32, u32, u32, u32)> for BlockRef {
    fn from((first_key, keys, pack, offset, len): (String, u32, u32, u32, u32)) -> Self {
        BlockRef { first_key, keys, piece: Piece { pack, offset, len } }
    }
}

/// A run of consecutive keys, encoded in binary (`term_block.rs`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermBlock {
    pub terms: Vec<TermEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermEntry {
    pub key: String,
    pub df: u32,
    pub postings: Vec<ChunkRef>,
    /// For surface keys: word positions, one chunk per postings chunk, for phrases.
    pub positions: Vec<ChunkRef>,
    /// A rare key's postings, in the block itself so that finding it costs no other file: per document the
    /// gap from the previous one (the first from 0) and the impact.
    pub inline: Vec<u32>,
    /// The inline postings' positions: per document, their number, then their gaps.
    pub inline_positions: Vec<u32>,
    /// A frequent key's best postings, read instead of its chunks by a query that wants only its first
    /// results (format 7).
    pub leaders: Option<LeadersRef>,
}

/// Where a frequent key's leaders lie, and what its other postings may reach. The leaders are, among the
/// key's postings in a title and then among the others, the `Sizes::leaders` with the highest impacts (the
/// newest first between equal ones), stored as a postings chunk whose gaps start from document 0. Within each
/// group a posting's weight grows with its impact byte alone, so [`Rest`] bounds what a left-out posting may
/// add to a document's score, and a query of one word can often tell its first results from the leaders
/// alone (`rank::search_first`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeadersRef {
    pub piece: Piece,
    /// The postings left out: those in a title, then the others.
    pub rests: [Rest; 2],
}

/// The postings of one group (in a title or not) that are not among the leaders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rest {
    /// The highest impact byte among them; 0 when none is left out.
    pub top: u8,
    /// When the group's last leader has that impact too: its document. Every left-out posting with the
    /// impact `top` is of a later document, since leaders are the newest among equals.
    pub after: Option<u32>,
}

impl TermEntry {
    fn inline_postings(&self) -> Vec<(u32, u8)> {
        let mut doc = 0u32;
        self.inline
            .chunks_exact(2)
            .map(|pair| {
                doc += pair[0];
                (doc, pair[1].min(255) as u8)
            })
            .collect()
    }

    fn inline_positions(&self) -> Positions {
        positions_of(&mut self.inline_positions.iter(), &self.inline_postings(), None)
    }
}

/// Where a run of postings lies: `len` bytes at `offset` in pack number `pack` (of the root's postings or
/// positions packs), covering documents `first_doc..=last_doc`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChunkRef {
    pub pack: u32,
    pub offset: u32,
    pub len: u32,
    pub first_doc: u32,
    pub last_doc: u32,
}

impl ChunkRef {
    fn touches(&self, within: Option<&[u32]>) -> bool {
        within.is_none_or(|docs| {
            let from = docs.partition_point(|&doc| doc < self.first_doc);
            docs.get(from).is_some_and(|&doc| doc <= self.last_doc)
        })
    }
}

/// A postings chunk: the number of documents, then for each the gap from the previous one (the first from
/// `first_doc`) as a varint, then each one's impact byte. Gaps and impacts are kept apart because each
/// compresses better among its own kind (10 % smaller than interleaved, measured). A damaged chunk gives the
/// postings it holds up to the damage.
pub fn decode_postings(bytes: &[u8], first_doc: u32) -> Vec<(u32, u8)> {
    let mut out = Vec::new();
    decode_postings_into(bytes, first_doc, &mut out);
    out
}

/// [`decode_postings`] appended to `out`: a frequent word's chunks go straight into one list, not through a
/// list each.
pub fn decode_postings_into(bytes: &[u8], first_doc: u32, out: &mut Vec<(u32, u8)>) {
    read_postings(&mut VarintReader::new(bytes), first_doc, out);
}

/// Reads a postings chunk's postings from `reader`, leaving it after them.
fn read_postings(reader: &mut VarintReader, first_doc: u32, out: &mut Vec<(u32, u8)>) {
    let Some(count) = reader.read() else { return };
    let count = (count as usize).min(reader.remaining() / 2);
    let start = out.len();
    out.reserve(count);
    let mut doc = first_doc;
    for _ in 0..count {
        let Some(gap) = reader.read() else { break };
        doc = doc.saturating_add(gap);
        out.push((doc, 0));
    }
    // The impacts follow the gaps; a chunk cut short keeps only the postings whose impacts arrived.
    let decoded = out.len() - start;
    match reader.read_slice(decoded) {
        Some(impacts) => out[start..].iter_mut().zip(impacts).for_each(|(posting, &impact)| posting.1 = impact),
        None => out.truncate(start),
    }
}

/// Where the runs of a positions chunk lie: each holds the positions of `size` consecutive postings of its
/// postings chunk (the last one the rest), laid out as [`decode_positions`] says, and is `lengths[i]` bytes
/// long, one after another from the chunk's start (format 8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionRuns {
    pub size: u32,
    pub lengths: Vec<u32>,
}

impl PositionRuns {
    /// Each run's first byte in the chunk and its length, if the runs fit in `chunk_len` bytes and are as many
    /// as `postings` postings make: numbers from the network are checked, never trusted.
    pub fn pieces(&self, postings: usize, chunk_len: u32) -> Option<Vec<(u32, u32)>> {
        if self.size == 0 || self.lengths.len() != postings.div_ceil(self.size as usize) {
            return None;
        }
        let mut start = 0u32;
        let mut pieces = Vec::with_capacity(self.lengths.len());
        for &len in &self.lengths {
            pieces.push((start, len));
            start = start.checked_add(len).filter(|&end| end <= chunk_len)?;
        }
        Some(pieces)
    }
}

/// A postings chunk as a pack stores it: its postings, and for a key with positions where the runs of its
/// positions chunk lie (`None` for a chunk that says nothing of them, or says it in damaged bytes).
pub fn decode_postings_and_runs(bytes: &[u8], first_doc: u32) -> (Vec<(u32, u8)>, Option<PositionRuns>) {
    let mut reader = VarintReader::new(bytes);
    let mut postings = Vec::new();
    read_postings(&mut reader, first_doc, &mut postings);
    let runs = (|| {
        let size = reader.read()?;
        let count = reader.read()? as usize;
        // A count from the network: never more room than the bytes left could fill.
        let mut lengths = Vec::with_capacity(count.min(reader.remaining()));
        for _ in 0..count {
            lengths.push(reader.read()?);
        }
        Some(PositionRuns { size, lengths })
    })();
    (postings, runs)
}

/// A run of a positions chunk: for each of its documents its number of positions, then all the positions as
/// gaps from the previous one in the same document (counts and gaps compress better apart). A chunk is its
/// runs one after another ([`PositionRuns`]); `docs` are the postings the run covers.
pub(crate) fn decode_positions(bytes: &[u8], docs: &[(u32, u8)], wanted: &[u32]) -> Positions {
    positions_of(&mut VarintReader::new(bytes), docs, Some(wanted))
}

/// A whole positions chunk, run after run of `run` postings each, for the wanted documents (sorted).
pub(crate) fn decode_position_chunk(bytes: &[u8], docs: &[(u32, u8)], run: usize, wanted: &[u32]) -> Positions {
    let mut reader = VarintReader::new(bytes);
    let mut out = Positions::default();
    let mut scratch = Scratch::default();
    for docs in docs.chunks(run.max(1)) {
        positions_into(&mut reader, docs, Some(wanted_among(wanted, docs)), &mut out, &mut scratch);
    }
    out
}

/// The part of `wanted` (sorted) between the first and the last of `docs`: each run walks only its own.
pub(crate) fn wanted_among<'a>(wanted: &'a [u32], docs: &[(u32, u8)]) -> &'a [u32] {
    let (Some(&(first, _)), Some(&(last, _))) = (docs.first(), docs.last()) else { return &[] };
    let from = wanted.partition_point(|&doc| doc < first);
    let to = wanted.partition_point(|&doc| doc <= last).max(from);
    &wanted[from..to]
}

/// A stream of numbers that can be read one by one or passed over: the varints of a positions chunk, or the
/// numbers of a term's inline positions.
trait Numbers {
    fn next_number(&mut self) -> Option<u32>;
    /// Passes over `count` numbers; `false` if the stream ends first.
    fn skip(&mut self, count: usize) -> bool;
    /// At most how many numbers are left, so a count read from the stream never reserves more.
    fn most_left(&self) -> usize;
}

impl Numbers for VarintReader<'_> {
    fn next_number(&mut self) -> Option<u32> {
        self.read()
    }

    fn skip(&mut self, count: usize) -> bool {
        VarintReader::skip(self, count)
    }

    fn most_left(&self) -> usize {
        self.remaining()
    }
}

impl Numbers for std::slice::Iter<'_, u32> {
    fn next_number(&mut self) -> Option<u32> {
        self.next().copied()
    }

    fn skip(&mut self, count: usize) -> bool {
        count == 0 || self.nth(count - 1).is_some()
    }

    fn most_left(&self) -> usize {
        self.len()
    }
}

/// Positions laid out as [`decode_positions`] says, from a stream of numbers; documents not `wanted` (sorted)
/// are passed over without being decoded. A damaged stream gives what it holds up to the damage; a count
/// never allocates more than the stream could hold.
fn positions_of(numbers: &mut impl Numbers, docs: &[(u32, u8)], wanted: Option<&[u32]>) -> Positions {
    let mut out = Positions::default();
    positions_into(numbers, docs, wanted, &mut out, &mut Scratch::default());
    out
}

/// The lists [`positions_into`] fills for each run, kept from one run to the next.
#[derive(Default)]
struct Scratch {
    counts: Vec<u32>,
    keep: Vec<bool>,
}

/// [`positions_of`] appended to `out`, whose documents come before these: a chunk's runs go into one list.
fn positions_into(numbers: &mut impl Numbers, docs: &[(u32, u8)], wanted: Option<&[u32]>, out: &mut Positions, scratch: &mut Scratch) {
    let Scratch { counts, keep } = scratch;
    counts.clear();
    keep.clear();
    // Written as plain loops that stop at the stream's first gap, which reads each number as the iterator
    // adapters did, without their cost per position (half of a frequent phrase's time in wasm).
    counts.reserve(docs.len());
    for _ in 0..docs.len() {
        match numbers.next_number() {
            Some(count) => counts.push(count),
            None => break,
        }
    }
    // Both lists are sorted: one walk tells which documents are wanted, and how many positions they hold, so
    // the list is allocated once (growing it as it filled copied a frequent phrase's positions several times).
    keep.reserve(counts.len());
    let (mut kept_docs, mut kept_positions) = (0usize, 0usize);
    let mut next_wanted = 0;
    for (&(doc, _), &count) in docs.iter().zip(counts.iter()) {
        let wanted_here = match wanted {
            None => true,
            Some(wanted) => {
                while next_wanted < wanted.len() && wanted[next_wanted] < doc {
                    next_wanted += 1;
                }
                wanted.get(next_wanted) == Some(&doc)
            }
        };
        if wanted_here {
            kept_docs += 1;
            kept_positions = kept_positions.saturating_add(count as usize);
        }
        keep.push(wanted_here);
    }
    // A count comes from the network: never more room than the stream could fill.
    out.reserve(kept_docs, kept_positions.min(numbers.most_left()));
    // The positions of documents not wanted, one after another, are passed over at once.
    let mut passed_over = 0usize;
    for ((&(doc, _), &count), &wanted_here) in docs.iter().zip(counts.iter()).zip(keep.iter()) {
        if !wanted_here {
            passed_over = passed_over.saturating_add(count as usize);
            continue;
        }
        if !numbers.skip(std::mem::take(&mut passed_over)) {
            break;
        }
        out.push_with(doc, |at| {
            let mut position = 0u32;
            for _ in 0..count {
                let Some(gap) = numbers.next_number() else { break };
                position = position.saturating_add(gap);
                at.push(position);
            }
        });
    }
    // The stream left after the last document, where the next run of a chunk begins.
    let _ = numbers.skip(passed_over);
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_runs_from_the_network_are_checked_against_the_postings_and_the_chunk() {
        let runs = PositionRuns { size: 4, lengths: vec![10, 12, 3] };
        assert_eq!(runs.pieces(9, 25), Some(vec![(0, 10), (10, 12), (22, 3)]));
        assert_eq!(runs.pieces(9, 24), None, "past the chunk's end");
        assert_eq!(runs.pieces(13, 25), None, "13 postings make four runs of four");
        assert_eq!(PositionRuns { size: 0, lengths: vec![] }.pieces(0, 0), None);
        let huge = PositionRuns { size: 1, lengths: vec![u32::MAX, 2] };
        assert_eq!(huge.pieces(2, u32::MAX), None, "lengths that overflow");
    }

    #[test]
    fn a_postings_chunk_without_its_runs_or_with_them_cut_short_still_gives_its_postings() {
        // Three postings (gaps 1, 2, 3; impacts 7, 8, 9), then runs of two: two runs of 5 and 4 bytes.
        let mut bytes = vec![3, 1, 2, 3, 7, 8, 9];
        let plain = decode_postings_and_runs(&bytes, 10);
        assert_eq!(plain, (vec![(11, 7), (13, 8), (16, 9)], None));
        bytes.extend([2, 2, 5, 4]);
        assert_eq!(decode_postings_and_runs(&bytes, 10).1, Some(PositionRuns { size: 2, lengths: vec![5, 4] }));
        bytes.pop();
        assert_eq!(decode_postings_and_runs(&bytes, 10), plain, "a table cut short is no table");
        // A count of runs far past what the bytes hold reserves nothing for them.
        assert_eq!(decode_postings_and_runs(&[3, 1, 2, 3, 7, 8, 9, 2, 0xff, 0xff, 0xff, 0xff, 0x0f], 10).1, None);
    }
}
