//! The bundle's search index (format v2), sharded so a query downloads a few small files whatever the size of
//! the archive. The dictionary has a small root (fetched on the first search) naming root pages of key
//! ranges, which name term blocks: keys with their document frequency and their postings, inline for rare
//! keys or as chunks of binary postings packs. A frequent key's postings are cut at document blocks, so an
//! AND with a rare word fetches only the parts near the rare word's documents.
//!
//! Reading is sans-IO: [`ShardedIndex`] answers from what it was given, or names the files it lacks; the CLI
//! reads them from disk and the viewer fetches them.

use super::rank::{search, KeyKind, Missing, TermSource, PREFIX_SCAN};
use super::{Hit, Query};
use crate::codec::VarintReader;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Documents per block of a frequent key's postings.
pub const DOC_BLOCK: u32 = 8192;

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

/// The first file of a search: one entry per root page. It stays a few KB even for millions of keys.
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
fn decode_positions(bytes: &[u8], docs: &[(u32, u8)]) -> Vec<(u32, Vec<u32>)> {
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

/// The part of a sharded index that has been loaded so far.
#[derive(Clone, Debug)]
pub struct ShardedIndex {
    root: SearchRoot,
    /// What each known path is: a root page or a term block (by number); anything else is a pack.
    kinds: HashMap<String, FileKind>,
    pages: HashMap<usize, RootPage>,
    blocks: HashMap<usize, TermBlock>,
    packs: HashMap<String, Vec<u8>>,
}

#[derive(Clone, Copy, Debug)]
enum FileKind {
    Page(usize),
    Block(usize),
}

impl ShardedIndex {
    pub fn new(root: SearchRoot) -> ShardedIndex {
        let kinds = root.pages.iter().enumerate().map(|(n, page)| (page.file.clone(), FileKind::Page(n))).collect();
        ShardedIndex { root, kinds, pages: HashMap::new(), blocks: HashMap::new(), packs: HashMap::new() }
    }

    /// The documents matching `query`, best first, or the files to load before asking again.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, Missing> {
        search(self, query)
    }

    /// Stores a file this index asked for. A root page or term block that does not parse is an error; packs
    /// are binary and taken as they are.
    pub fn provide(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        match self.kinds.get(path).copied() {
            Some(FileKind::Page(number)) => {
                let page: RootPage = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
                let first = self.root.pages[number].first_block as usize;
                for (offset, block) in page.blocks.iter().enumerate() {
                    self.kinds.insert(block.file.clone(), FileKind::Block(first + offset));
                }
                self.pages.insert(number, page);
            }
            Some(FileKind::Block(number)) => {
                let block: TermBlock = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
                self.blocks.insert(number, block);
            }
            None => {
                self.packs.insert(path.to_owned(), bytes);
            }
        }
        Ok(())
    }

    fn page(&self, number: usize) -> Result<&RootPage, Missing> {
        self.pages.get(&number).ok_or_else(|| vec![self.root.pages[number].file.clone()])
    }

    /// The reference of block `number`, once its root page is here.
    fn block_ref(&self, number: usize) -> Result<Option<&BlockRef>, Missing> {
        let page_number = self.root.pages.partition_point(|page| page.first_block as usize <= number);
        let Some(page_number) = page_number.checked_sub(1) else { return Ok(None) };
        let page = self.page(page_number)?;
        Ok(page.blocks.get(number - self.root.pages[page_number].first_block as usize))
    }

    fn block_number(&self, key: &str) -> Result<usize, Missing> {
        let page_number = self.root.pages.partition_point(|page| page.first_key.as_str() <= key).saturating_sub(1);
        let page = self.page(page_number)?;
        let within = page.blocks.partition_point(|block| block.first_key.as_str() <= key).saturating_sub(1);
        Ok(self.root.pages[page_number].first_block as usize + within)
    }

    fn block(&self, number: usize) -> Result<&TermBlock, Missing> {
        match self.blocks.get(&number) {
            Some(block) => Ok(block),
            None => Err(self.block_ref(number)?.map(|block| block.file.clone()).into_iter().collect()),
        }
    }

    fn entry(&self, kind: KeyKind, term: &str) -> Result<Option<(&TermBlock, &TermEntry)>, Missing> {
        if self.root.pages.is_empty() {
            return Ok(None);
        }
        let key = tagged_key(kind, term);
        let block = self.block(self.block_number(&key)?)?;
        Ok(block.terms.binary_search_by(|entry| entry.key.as_str().cmp(&key)).ok().map(|found| (block, &block.terms[found])))
    }

    fn chunk_bytes<'a>(&'a self, block: &TermBlock, chunk: &ChunkRef, missing: &mut Missing) -> Option<&'a [u8]> {
        let path = block.packs.get(chunk.pack as usize)?;
        match self.packs.get(path) {
            Some(pack) => pack.get(chunk.offset as usize..(chunk.offset + chunk.len) as usize),
            None => {
                missing.push(path.clone());
                None
            }
        }
    }
}

impl TermSource for ShardedIndex {
    fn doc_count(&self) -> u32 {
        self.root.documents
    }

    fn document_frequency(&self, kind: KeyKind, term: &str) -> Result<Option<u32>, Missing> {
        Ok(self.entry(kind, term)?.map(|(_, entry)| entry.df))
    }

    fn keys_with_prefix(&self, kind: KeyKind, prefix: &str) -> Result<Vec<(String, u32)>, Missing> {
        if self.root.pages.is_empty() {
            return Ok(Vec::new());
        }
        let tagged = tagged_key(kind, prefix);
        let in_range = |block: &BlockRef| block.first_key.starts_with(&tagged);
        // The blocks that may hold the first PREFIX_SCAN keys of the range, asked for together.
        let first = self.block_number(&tagged)?;
        let mut last = first;
        let mut reachable = self.block_ref(first)?.map_or(0, |block| block.keys as usize);
        while reachable < PREFIX_SCAN + 1 {
            match self.block_ref(last + 1)? {
                Some(next) if in_range(next) => {
                    last += 1;
                    reachable += next.keys as usize;
                }
                _ => break,
            }
        }
        let missing: Missing = (first..=last).filter_map(|n| self.block(n).err()).flatten().collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        // The estimate counted keys before the prefix too, so the walk may need one more block now and then.
        let mut keys = Vec::new();
        let mut number = first;
        loop {
            let block = self.block(number)?;
            for entry in block.terms.iter().filter(|entry| entry.key.len() > tagged.len() && entry.key.starts_with(&tagged)) {
                keys.push((entry.key[1..].to_owned(), entry.df));
                if keys.len() == PREFIX_SCAN {
                    return Ok(keys);
                }
            }
            number += 1;
            if !self.block_ref(number)?.is_some_and(in_range) {
                return Ok(keys);
            }
        }
    }

    fn postings(&self, kind: KeyKind, term: &str, within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing> {
        let Some((block, entry)) = self.entry(kind, term)? else { return Ok(Vec::new()) };
        if !entry.inline.is_empty() {
            return Ok(entry.inline_postings());
        }
        let mut missing = Missing::new();
        let mut out = Vec::new();
        for chunk in entry.postings.iter().filter(|chunk| chunk.touches(within)) {
            if let Some(bytes) = self.chunk_bytes(block, chunk, &mut missing) {
                out.extend(decode_postings(bytes, chunk.first_doc));
            }
        }
        if missing.is_empty() { Ok(out) } else { Err(missing) }
    }

    fn positions(&self, term: &str, docs: &[u32]) -> Result<Vec<(u32, Vec<u32>)>, Missing> {
        let Some((block, entry)) = self.entry(KeyKind::Surface, term)? else { return Ok(Vec::new()) };
        if !entry.inline.is_empty() {
            let mut positions = entry.inline_positions();
            positions.retain(|(doc, _)| docs.binary_search(doc).is_ok());
            return Ok(positions);
        }
        let mut missing = Missing::new();
        let mut out = Vec::new();
        for (chunk, positions) in entry.postings.iter().zip(&entry.positions) {
            if !chunk.touches(Some(docs)) {
                continue;
            }
            let postings = self.chunk_bytes(block, chunk, &mut missing);
            let positions = self.chunk_bytes(block, positions, &mut missing);
            if let (Some(postings), Some(positions)) = (postings, positions) {
                let in_chunk = decode_postings(postings, chunk.first_doc);
                let decoded = decode_positions(positions, &in_chunk);
                out.extend(decoded.into_iter().filter(|(doc, _)| docs.binary_search(doc).is_ok()));
            }
        }
        if missing.is_empty() { Ok(out) } else { Err(missing) }
    }
}

/// Runs `query` to the end with a synchronous `read` of bundle files (the CLI reads them from disk; tests from
/// memory), loading what the index asks for round after round.
pub fn search_with(
    index: &mut ShardedIndex,
    query: &Query,
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<Hit>, String> {
    let mut provided = std::collections::HashSet::new();
    loop {
        match index.search(query) {
            Ok(hits) => return Ok(hits),
            Err(missing) => {
                // A file asked for again after it was given would loop for ever: the bundle is inconsistent.
                if let Some(again) = missing.iter().find(|path| provided.contains(*path)) {
                    return Err(format!("the search index asks again for {again}: the bundle is inconsistent"));
                }
                for path in missing {
                    provided.insert(path.clone());
                    let bytes = read(&path)?;
                    index.provide(&path, bytes)?;
                }
            }
        }
    }
}
