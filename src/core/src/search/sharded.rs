//! The bundle's search index (format v2), sharded so a query downloads a few small files whatever the size of
//! the archive: a root of key ranges (fetched on the first search), term blocks (keys with their document
//! frequency and where their postings lie), and binary postings packs. A frequent key's postings are cut at
//! document blocks, so an AND with a rare word fetches only the parts near the rare word's documents.
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

/// The first file of a search: one entry per term block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRoot {
    pub documents: u32,
    pub blocks: Vec<BlockRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockRef {
    /// The block's first tagged key; a key lives in the last block whose first key is not after it.
    pub first_key: String,
    pub keys: u32,
    /// Path relative to the bundle folder.
    pub file: String,
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
    pub postings: Vec<ChunkRef>,
    /// For surface keys: word positions, one chunk per postings chunk, for phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<ChunkRef>,
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
    block_numbers: HashMap<String, usize>,
    blocks: HashMap<usize, TermBlock>,
    packs: HashMap<String, Vec<u8>>,
}

impl ShardedIndex {
    pub fn new(root: SearchRoot) -> ShardedIndex {
        let block_numbers = root.blocks.iter().enumerate().map(|(n, block)| (block.file.clone(), n)).collect();
        ShardedIndex { root, block_numbers, blocks: HashMap::new(), packs: HashMap::new() }
    }

    /// The documents matching `query`, best first, or the files to load before asking again.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, Missing> {
        search(self, query)
    }

    /// Stores a file this index asked for. A term block that does not parse is an error; packs are binary and
    /// taken as they are.
    pub fn provide(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        match self.block_numbers.get(path) {
            Some(&number) => {
                let block: TermBlock = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
                self.blocks.insert(number, block);
            }
            None => {
                self.packs.insert(path.to_owned(), bytes);
            }
        }
        Ok(())
    }

    /// Bytes held in memory, for the viewer's own accounting.
    pub fn loaded_bytes(&self) -> usize {
        self.packs.values().map(Vec::len).sum()
    }

    fn block_number(&self, key: &str) -> usize {
        self.root.blocks.partition_point(|block| block.first_key.as_str() <= key).saturating_sub(1)
    }

    fn block(&self, number: usize) -> Result<&TermBlock, Missing> {
        match self.blocks.get(&number) {
            Some(block) => Ok(block),
            None => Err(self.root.blocks.get(number).map(|block| block.file.clone()).into_iter().collect()),
        }
    }

    fn entry(&self, kind: KeyKind, term: &str) -> Result<Option<(&TermBlock, &TermEntry)>, Missing> {
        if self.root.blocks.is_empty() {
            return Ok(None);
        }
        let key = tagged_key(kind, term);
        let block = self.block(self.block_number(&key))?;
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
        if self.root.blocks.is_empty() {
            return Ok(Vec::new());
        }
        let tagged = tagged_key(kind, prefix);
        // The blocks that may hold the first PREFIX_SCAN keys of the range, asked for together.
        let first = self.block_number(&tagged);
        let mut last = first;
        let mut reachable = self.root.blocks[first].keys as usize;
        while reachable < PREFIX_SCAN + 1
            && self.root.blocks.get(last + 1).is_some_and(|block| block.first_key.starts_with(&tagged))
        {
            last += 1;
            reachable += self.root.blocks[last].keys as usize;
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
            if !self.root.blocks.get(number).is_some_and(|block| block.first_key.starts_with(&tagged)) {
                return Ok(keys);
            }
        }
    }

    fn postings(&self, kind: KeyKind, term: &str, within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing> {
        let Some((block, entry)) = self.entry(kind, term)? else { return Ok(Vec::new()) };
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
