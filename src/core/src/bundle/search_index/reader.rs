//! Reading one segment's search index, sans-IO.

use super::{decode_position_chunk, decode_positions, decode_postings, decode_postings_and_runs, decode_postings_into, decode_root_page, decode_term_block, split_key, tagged_key, wanted_among, BlockRef, ChunkRef, Piece, RootPage, SearchRoot, TermBlock, TermEntry};
use crate::bundle::{ranged, split_request, FormatError};
use crate::codec::base64_decode;
use crate::search::rank::{search, KeyKind, Leaders, Missing, RestBound, TermSource, PREFIX_SCAN};
use crate::search::{Hit, Positions, Query};
use std::collections::{HashMap, HashSet};

/// The part of one segment's search index that has been loaded so far.
#[derive(Clone, Debug)]
pub struct ShardedIndex {
    root: SearchRoot,
    /// Every pack this index names, to tell its requests from other segments'.
    packs: HashSet<String>,
    /// What each piece asked for so far is: a root page or a term block (by number); other pieces of its
    /// packs are postings or positions.
    kinds: HashMap<String, PieceKind>,
    pages: HashMap<usize, RootPage>,
    blocks: HashMap<usize, TermBlock>,
    chunks: HashMap<String, Vec<u8>>,
    /// Bytes of the term blocks and postings and positions pieces held: what `forget_pieces` frees.
    held: usize,
    /// The requests of the term blocks held, so that forgetting them lets them be given again.
    block_requests: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
enum PieceKind {
    Page(usize),
    Block(usize),
}

/// Which of the root's pack lists a piece is in.
#[derive(Clone, Copy)]
enum Packs {
    Terms,
    Postings,
    Positions,
}

impl ShardedIndex {
    pub fn new(mut root: SearchRoot) -> ShardedIndex {
        let inline_pages = std::mem::take(&mut root.inline_pages);
        let packs = root.terms.iter().chain(&root.postings).chain(&root.positions).cloned().collect();
        let mut index =
            ShardedIndex { root, packs, kinds: HashMap::new(), pages: HashMap::new(), blocks: HashMap::new(), chunks: HashMap::new(), held: 0, block_requests: Vec::new() };
        for number in 0..index.root.pages.len() {
            if let Some(request) = index.request(Packs::Terms, index.root.pages[number].piece) {
                index.kinds.insert(request, PieceKind::Page(number));
            }
        }
        index.take_inline_pages(&inline_pages);
        index
    }

    /// Takes the root pages the descriptor carries (`SearchRoot::inline_pages`), as if they had been fetched.
    /// They are a copy of pieces of the terms pack, so whatever does not read (damaged base64, a page of
    /// another length than its reference says, a page that does not decode) is left to be fetched from the
    /// pack, where `provide` reports a damaged piece as it always does.
    fn take_inline_pages(&mut self, inline_pages: &str) {
        if inline_pages.is_empty() {
            return;
        }
        let Some(bytes) = base64_decode(inline_pages) else { return };
        let mut at = 0usize;
        for number in 0..self.root.pages.len() {
            let piece = self.root.pages[number].piece;
            let Some(page) = at.checked_add(piece.len as usize).and_then(|end| bytes.get(at..end)) else { return };
            at += page.len();
            let Some(request) = self.request(Packs::Terms, piece) else { return };
            if self.provide(&request, page.to_vec()).is_err() {
                return;
            }
        }
    }

    /// The documents matching `query`, best first, or the pieces to load before asking again.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, Missing> {
        search(self, query)
    }

    /// Whether `request` asks for a piece of one of this index's packs.
    pub fn knows(&self, request: &str) -> bool {
        self.packs.contains(split_request(request).0)
    }

    /// Bytes of term blocks, postings and positions held (root pages are not counted: they stay).
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    /// Drops the term blocks and the postings and positions pieces held, keeping the root pages; returns
    /// the requests dropped, which will be asked for again when a query needs them.
    pub fn forget_pieces(&mut self) -> Vec<String> {
        self.blocks.clear();
        self.held = 0;
        let mut dropped: Vec<String> = std::mem::take(&mut self.block_requests);
        dropped.extend(self.chunks.drain().map(|(request, _)| request));
        dropped
    }

    /// Every pack of the index, for saving it offline.
    pub fn pack_files(&self) -> impl Iterator<Item = &String> {
        self.root.terms.iter().chain(&self.root.postings).chain(&self.root.positions)
    }

    /// Stores a piece this index asked for. A piece of another length than asked, or a root page or term
    /// block that does not parse, is an error; postings and positions are taken as they are (their reader
    /// stops where they stop making sense).
    pub fn provide(&mut self, request: &str, bytes: Vec<u8>) -> Result<(), FormatError> {
        let unreadable = |why: String| FormatError::Unreadable { path: request.to_owned(), why };
        if !self.knows(request) {
            return Err(unreadable("the search index never asked for it".into()));
        }
        match split_request(request).1 {
            Some((_, len)) if len == bytes.len() as u64 => {}
            _ => return Err(unreadable(format!("{} bytes where a piece of the asked length was expected", bytes.len()))),
        }
        match self.kinds.get(request).copied() {
            Some(PieceKind::Page(number)) => {
                let page = decode_root_page(&bytes).map_err(|error| FormatError::Malformed { path: request.to_owned(), error })?;
                let first = self.root.pages[number].first_block as usize;
                for (offset, block) in page.blocks.iter().enumerate() {
                    if let Some(request) = self.request(Packs::Terms, block.piece) {
                        self.kinds.insert(request, PieceKind::Block(first + offset));
                    }
                }
                self.pages.insert(number, page);
            }
            Some(PieceKind::Block(number)) => {
                let block = decode_term_block(&bytes).map_err(|error| FormatError::Malformed { path: request.to_owned(), error })?;
                self.held += bytes.len();
                self.block_requests.push(request.to_owned());
                self.blocks.insert(number, block);
            }
            None => {
                self.held += bytes.len();
                self.chunks.insert(request.to_owned(), bytes);
            }
        }
        Ok(())
    }

    /// The request for a piece of a pack, if the root names the pack.
    fn request(&self, packs: Packs, piece: Piece) -> Option<String> {
        let list = match packs {
            Packs::Terms => &self.root.terms,
            Packs::Postings => &self.root.postings,
            Packs::Positions => &self.root.positions,
        };
        list.get(piece.pack as usize).map(|path| ranged(path, piece.offset, piece.len))
    }

    fn page(&self, number: usize) -> Result<&RootPage, Missing> {
        self.pages.get(&number).ok_or_else(|| self.request(Packs::Terms, self.root.pages[number].piece).into_iter().collect())
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
            None => Err(self.block_ref(number)?.and_then(|block| self.request(Packs::Terms, block.piece)).into_iter().collect()),
        }
    }

    fn entry(&self, kind: KeyKind, term: &str) -> Result<Option<&TermEntry>, Missing> {
        if self.root.pages.is_empty() {
            return Ok(None);
        }
        let key = tagged_key(kind, term);
        let block = self.block(self.block_number(&key)?)?;
        Ok(block.terms.binary_search_by(|entry| entry.key.as_str().cmp(&key)).ok().map(|found| &block.terms[found]))
    }

    fn chunk_bytes(&self, packs: Packs, chunk: &ChunkRef, missing: &mut Missing) -> Option<&[u8]> {
        let request = self.request(packs, Piece { pack: chunk.pack, offset: chunk.offset, len: chunk.len })?;
        match self.chunks.get(&request) {
            Some(bytes) => Some(bytes),
            None => {
                missing.push(request);
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
        Ok(self.entry(kind, term)?.map(|entry| entry.df))
    }

    fn keys_with_prefix(&self, kind: KeyKind, prefix: &str) -> Result<Vec<(String, u32)>, Missing> {
        if self.root.pages.is_empty() {
            return Ok(Vec::new());
        }
        // Keys sort by term, so every key of a term that starts with `prefix` lies in one run from the key
        // `prefix` on, all kinds mixed. The blocks that may hold the first PREFIX_SCAN keys of `kind` (about a
        // third of the keys are of each kind) are asked for together.
        let in_range = |block: &BlockRef| block.first_key.starts_with(prefix);
        let first = self.block_number(prefix)?;
        let mut last = first;
        let mut reachable = self.block_ref(first)?.map_or(0, |block| block.keys as usize);
        while reachable < 3 * PREFIX_SCAN + 1 {
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
        // The estimate may fall short now and then: the walk then asks for the next block.
        let mut keys = Vec::new();
        let mut number = first;
        loop {
            let block = self.block(number)?;
            for entry in block.terms.iter().filter(|entry| entry.key.as_str() >= prefix) {
                let Some((term, found)) = split_key(&entry.key) else { continue };
                if !term.starts_with(prefix) {
                    return Ok(keys);
                }
                if found == kind && term.len() > prefix.len() {
                    keys.push((term.to_owned(), entry.df));
                    if keys.len() == PREFIX_SCAN {
                        return Ok(keys);
                    }
                }
            }
            number += 1;
            if !self.block_ref(number)?.is_some_and(in_range) {
                return Ok(keys);
            }
        }
    }

    fn postings(&self, kind: KeyKind, term: &str, within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing> {
        let Some(entry) = self.entry(kind, term)? else { return Ok(Vec::new()) };
        if !entry.inline.is_empty() {
            return Ok(entry.inline_postings());
        }
        let mut missing = Missing::new();
        let mut out = Vec::new();
        for chunk in entry.postings.iter().filter(|chunk| chunk.touches(within)) {
            if let Some(bytes) = self.chunk_bytes(Packs::Postings, chunk, &mut missing) {
                decode_postings_into(bytes, chunk.first_doc, &mut out);
            }
        }
        if missing.is_empty() { Ok(out) } else { Err(missing) }
    }

    fn leaders(&self, kind: KeyKind, term: &str) -> Result<Leaders, Missing> {
        let Some(entry) = self.entry(kind, term)? else { return Ok(Leaders::default()) };
        let every_posting = || Ok(Leaders { postings: self.postings(kind, term, None)?, rests: Vec::new() });
        let Some(leaders) = entry.leaders else { return every_posting() };
        let Piece { pack, offset, len } = leaders.piece;
        let mut missing = Missing::new();
        match self.chunk_bytes(Packs::Postings, &ChunkRef { pack, offset, len, first_doc: 0, last_doc: 0 }, &mut missing) {
            Some(bytes) => {
                let last = self.root.documents.saturating_sub(1);
                let rests = leaders.rests.iter().filter(|rest| rest.top > 0).map(|rest| RestBound { top: rest.top, after: rest.after, span: (0, last) }).collect();
                Ok(Leaders { postings: decode_postings(bytes, 0), rests })
            }
            None if missing.is_empty() => every_posting(),
            None => Err(missing),
        }
    }

    fn leaders_stand_for(&self, kind: KeyKind, term: &str) -> Result<u64, Missing> {
        let entry = self.entry(kind, term)?.filter(|entry| entry.leaders.is_some());
        Ok(entry.map_or(0, |entry| entry.postings.iter().map(|chunk| u64::from(chunk.len)).sum()))
    }

    fn positions_stand_for(&self, term: &str) -> Result<u64, Missing> {
        let entry = self.entry(KeyKind::Surface, term)?;
        Ok(entry.map_or(0, |entry| entry.positions.iter().map(|chunk| u64::from(chunk.len)).sum()))
    }

    fn positions(&self, term: &str, docs: &[u32]) -> Result<Positions, Missing> {
        let Some(entry) = self.entry(KeyKind::Surface, term)? else { return Ok(Positions::default()) };
        if !entry.inline.is_empty() {
            return Ok(entry.inline_positions().filtered(|doc| docs.binary_search(&doc).is_ok()));
        }
        let mut missing = Missing::new();
        let mut chunks = Vec::new();
        for (chunk, positions) in entry.postings.iter().zip(&entry.positions) {
            if !chunk.touches(Some(docs)) {
                continue;
            }
            // The postings tell which run of the positions chunk holds each document, and where it lies.
            let Some(postings) = self.chunk_bytes(Packs::Postings, chunk, &mut missing) else { continue };
            let (in_chunk, runs) = decode_postings_and_runs(postings, chunk.first_doc);
            let run = runs.as_ref().map_or(in_chunk.len(), |runs| runs.size as usize).max(1);
            let pieces = runs.and_then(|runs| runs.pieces(in_chunk.len(), positions.len));
            let wanted = wanted_among(docs, &in_chunk);
            // The runs holding a wanted document: both lists are sorted, so one walk finds them. Wanted
            // documents as many as half the runs are read as the whole chunk anyway.
            let mut wanted_runs: Vec<usize> = Vec::new();
            if pieces.as_ref().is_some_and(|pieces| wanted.len() * 2 <= pieces.len()) {
                let mut next = 0;
                for (at, &(doc, _)) in in_chunk.iter().enumerate() {
                    while next < wanted.len() && wanted[next] < doc {
                        next += 1;
                    }
                    if wanted.get(next) == Some(&doc) && wanted_runs.last() != Some(&(at / run)) {
                        wanted_runs.push(at / run);
                    }
                }
            }
            match pieces {
                // A few runs are read alone; most of them, as the whole chunk (neighbouring pieces would be
                // joined into one request anyway, and one piece is one entry to keep).
                Some(pieces) if !wanted_runs.is_empty() && wanted_runs.len() * 2 <= pieces.len() => {
                    for at in wanted_runs {
                        let (start, len) = pieces[at];
                        let piece = ChunkRef { pack: positions.pack, offset: positions.offset.saturating_add(start), len, ..*positions };
                        if let Some(bytes) = self.chunk_bytes(Packs::Positions, &piece, &mut missing) {
                            let covered = &in_chunk[at * run..in_chunk.len().min((at + 1) * run)];
                            chunks.push(decode_positions(bytes, covered, wanted_among(wanted, covered)));
                        }
                    }
                }
                _ => {
                    if let Some(bytes) = self.chunk_bytes(Packs::Positions, positions, &mut missing) {
                        chunks.push(decode_position_chunk(bytes, &in_chunk, run, wanted));
                    }
                }
            }
        }
        // Chunks cover consecutive ranges of documents, but the bytes come from the network: merging keeps
        // the order whatever they say.
        if missing.is_empty() { Ok(Positions::merged(chunks)) } else { Err(missing) }
    }
}
