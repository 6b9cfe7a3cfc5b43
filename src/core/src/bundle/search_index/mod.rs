//! A segment's search index, sharded so a query downloads a few small files whatever the size of the
//! archive. The dictionary has a small root (inline in the segment's descriptor) naming root pages of key
//! ranges, which name term blocks: keys with their document frequency and their postings, inline for rare
//! keys or as chunks of binary postings packs. A frequent key's postings are cut at document blocks, so an
//! AND with a rare word fetches only the parts near the rare word's documents.
//!
//! Reading is sans-IO: [`ShardedIndex`] answers from what it was given, or names the files it lacks; the CLI
//! reads them from disk and the viewer fetches them. Ranking needs nothing but these files: a posting's
//! impact byte depends on its document alone (see `rank::REFERENCE_LENGTH`), and document frequencies are
//! summed over the segments at query time, so old segments never change when new ones arrive.

mod reader;
mod writer;

pub use reader::ShardedIndex;
pub use writer::{IndexWriter, KeyRun};

use crate::codec::VarintReader;
use crate::search::rank::KeyKind;
use serde::{Deserialize, Serialize};

/// The search index's sub-folders of the bundle.
pub const ROOT_PAGES_FOLDER: &str = "search/pages";
pub const TERMS_FOLDER: &str = "search/terms";
pub const POSTINGS_FOLDER: &str = "search/postings";
pub const POSITIONS_FOLDER: &str = "search/positions";

/// Keys of all three dictionaries live in one sorted namespace, told apart by a leading tag.
pub fn tagged_key(kind: KeyKind, term: &str) -> String {
    let mut key = String::with_capacity(term.len() + 1);
    key.push(tag(kind));
    key.push_str(term);
    key
}

pub fn tag(kind: KeyKind) -> char {
    match kind {
        KeyKind::Clitic => 'c',
        KeyKind::Surface => 's',
        KeyKind::Stem => 't',
    }
}

/// The root of a segment's dictionary, inline in its descriptor: one entry per root page. It stays a few KB
/// even for millions of keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRoot {
    pub documents: u32,
    pub pages: Vec<PageRef>,
}

/// A root page: the term blocks from `first_block` on, which start at `first_key`. Encoded as
/// `[first_key, first_block, file]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(String, u32, String)", from = "(String, u32, String)")]
pub struct PageRef {
    pub first_key: String,
    pub first_block: u32,
    pub file: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootPage {
    pub blocks: Vec<BlockRef>,
}

/// A term block: its first tagged key (a key lives in the last block whose first key is not after it), how
/// many keys it holds, and its path relative to the bundle folder. Encoded as `[first_key, keys, file]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(String, u32, String)", from = "(String, u32, String)")]
pub struct BlockRef {
    pub first_key: String,
    pub keys: u32,
    pub file: String,
}

impl From<PageRef> for (String, u32, String) {
    fn from(page: PageRef) -> Self {
        (page.first_key, page.first_block, page.file)
    }
}

impl From<(String, u32, String)> for PageRef {
    fn from((first_key, first_block, file): (String, u32, String)) -> Self {
        PageRef { first_key, first_block, file }
    }
}

impl From<BlockRef> for (String, u32, String) {
    fn from(block: BlockRef) -> Self {
        (block.first_key, block.keys, block.file)
    }
}

impl From<(String, u32, String)> for BlockRef {
    fn from((first_key, keys, file): (String, u32, String)) -> Self {
        BlockRef { first_key, keys, file }
    }
}

/// A run of consecutive keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermBlock {
    /// The postings packs this block's chunks point into, relative to the bundle folder.
    pub packs: Vec<String>,
    pub terms: Vec<TermEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermEntry {
    pub key: String,
    pub df: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postings: Vec<ChunkRef>,
    /// For surface keys: word positions, one chunk per postings chunk, for phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<ChunkRef>,
    /// A rare key's postings, in the block itself so that finding it costs no other file: per document the
    /// gap from the previous one (the first from 0) and the impact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline: Vec<u32>,
    /// The inline postings' positions: per document, their number, then their gaps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline_positions: Vec<u32>,
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

    fn inline_positions(&self) -> Vec<(u32, Vec<u32>)> {
        let mut numbers = self.inline_positions.iter().copied();
        self.inline_postings()
            .into_iter()
            .map(|(doc, _)| {
                let count = numbers.next().unwrap_or(0);
                let mut position = 0;
                let positions = (0..count)
                    .map_while(|_| {
                        position += numbers.next()?;
                        Some(position)
                    })
                    .collect();
                (doc, positions)
            })
            .collect()
    }
}

/// Where a run of postings lies: `len` bytes at `offset` in pack `pack` of the block, covering documents
/// `first_doc..=last_doc`. Encoded as `[pack, offset, len, first_doc, last_doc]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "[u32; 5]", from = "[u32; 5]")]
pub struct ChunkRef {
    pub pack: u32,
    pub offset: u32,
    pub len: u32,
    pub first_doc: u32,
    pub last_doc: u32,
}

impl From<ChunkRef> for [u32; 5] {
    fn from(c: ChunkRef) -> [u32; 5] {
        [c.pack, c.offset, c.len, c.first_doc, c.last_doc]
    }
}

impl From<[u32; 5]> for ChunkRef {
    fn from([pack, offset, len, first_doc, last_doc]: [u32; 5]) -> ChunkRef {
        ChunkRef { pack, offset, len, first_doc, last_doc }
    }
}

impl ChunkRef {
    fn touches(&self, within: Option<&[u32]>) -> bool {
        within.is_none_or(|docs| {
            let from = docs.partition_point(|&doc| doc < self.first_doc);
            docs.get(from).is_some_and(|&doc| doc <= self.last_doc)
        })
    }
}

/// A postings chunk: per document, the gap from the previous document (the first from `first_doc`) as a
/// varint, then the impact byte.
pub fn decode_postings(bytes: &[u8], first_doc: u32) -> Vec<(u32, u8)> {
    let mut reader = VarintReader::new(bytes);
    let mut out = Vec::new();
    let mut doc = first_doc;
    while !reader.is_done() {
        let (Some(gap), Some(impact)) = (reader.read(), reader.read_byte()) else { break };
        doc = doc.saturating_add(gap);
        out.push((doc, impact));
    }
    out
}

/// A positions chunk: per document of the matching postings chunk, the number of positions, then the
/// positions as gaps.
pub(crate) fn decode_positions(bytes: &[u8], docs: &[(u32, u8)]) -> Vec<(u32, Vec<u32>)> {
    let mut reader = VarintReader::new(bytes);
    let mut out = Vec::with_capacity(docs.len());
    for &(doc, _) in docs {
        let Some(count) = reader.read() else { break };
        let mut position = 0;
        let mut positions = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let Some(gap) = reader.read() else { break };
            position += gap;
            positions.push(position);
        }
        out.push((doc, positions));
    }
    out
}

