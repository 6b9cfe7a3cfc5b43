//! Reading one segment's search index, sans-IO.

use super::{decode_positions, decode_postings, tagged_key, BlockRef, ChunkRef, RootPage, SearchRoot, TermBlock, TermEntry};
use crate::bundle::{parse_json, FormatError};
use crate::search::rank::{search, KeyKind, Missing, TermSource, PREFIX_SCAN};
use crate::search::{Hit, Query};
use std::collections::HashMap;

/// The part of a sharded index that has been loaded so far.
#[derive(Clone, Debug)]
pub struct ShardedIndex {
    root: SearchRoot,
    /// What each path named so far is: a root page or a term block (by number), or a pack.
    kinds: HashMap<String, FileKind>,
    pages: HashMap<usize, RootPage>,
    blocks: HashMap<usize, TermBlock>,
    packs: HashMap<String, Vec<u8>>,
}

#[derive(Clone, Copy, Debug)]
enum FileKind {
    Page(usize),
    Block(usize),
    Pack,
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

    /// Whether `path` is a file this index has named (and may ask for).
    pub fn knows(&self, path: &str) -> bool {
        self.kinds.contains_key(path)
    }

    /// Stores a file this index asked for. A root page or term block that does not parse is an error; packs
    /// are binary and taken as they are (their reader stops where they stop making sense).
    pub fn provide(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), FormatError> {
        match self.kinds.get(path).copied() {
            Some(FileKind::Page(number)) => {
                let page: RootPage = parse_json(path, &bytes)?;
                let first = self.root.pages[number].first_block as usize;
                for (offset, block) in page.blocks.iter().enumerate() {
                    self.kinds.insert(block.file.clone(), FileKind::Block(first + offset));
                }
                self.pages.insert(number, page);
            }
            Some(FileKind::Block(number)) => {
                let block: TermBlock = parse_json(path, &bytes)?;
                for pack in &block.packs {
                    self.kinds.entry(pack.clone()).or_insert(FileKind::Pack);
                }
                self.blocks.insert(number, block);
            }
            Some(FileKind::Pack) => {
                self.packs.insert(path.to_owned(), bytes);
            }
            None => return Err(FormatError::Unreadable { path: path.to_owned(), why: "the search index never asked for it".into() }),
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
            Some(pack) => pack.get(chunk.offset as usize..chunk.offset.checked_add(chunk.len)? as usize),
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
