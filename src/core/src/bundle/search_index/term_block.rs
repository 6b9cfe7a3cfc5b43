//! Term blocks and root pages as bytes. A block holds thousands of keys, most of them rare, with their postings inline;
//! written as JSON, field names and decimal numbers made them the largest part of a segment. Binary, with
//! each key written as the bytes it shares with the previous one plus the rest (keys are sorted), a block is
//! about a fifth of its JSON size raw and three quarters of it compressed.
//!
//! Layout (every number a LEB128 varint): the number of keys; then per key the bytes it shares with the previous key, the length of the rest and the rest, its
//! document frequency, one byte of flags (inline postings, inline positions, postings chunks, positions
//! chunks), and the parts the flags name: inline postings as a count, the gaps, then the impact bytes; inline
//! positions as a count and numbers; chunks as a count and five numbers each.
//!
//! A root page (the term blocks of a stretch of the dictionary) is read whole by every cold query, once per
//! segment: as JSON it was about 40 bytes a block (2.5 KB a page on real JawharaFM, when a term block was 2 KB and a page named 64);
//! in binary it is two fifths of that. Layout: the number of blocks; then per block its first key (shared
//! bytes with the previous block's first key, the length of the rest and the rest), its number of keys, its
//! pack, where it starts (0 when it starts where the block before it ended, as the writer lays them out in
//! one pack, otherwise 1 and then its offset), and its length.

use super::{BlockRef, ChunkRef, LeadersRef, Piece, Rest, RootPage, TermBlock, TermEntry};
use crate::codec::{write_varint, DecodeError, VarintReader};

const INLINE: u8 = 1;
const INLINE_POSITIONS: u8 = 2;
const POSTINGS: u8 = 4;
const POSITIONS: u8 = 8;
const LEADERS: u8 = 16;

pub fn encode_term_block(block: &TermBlock) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, block.terms.len() as u32);
    let mut previous: &[u8] = &[];
    for term in &block.terms {
        write_key(&mut out, term.key.as_bytes(), previous);
        previous = term.key.as_bytes();
        write_varint(&mut out, term.df);
        let flag = |present: bool, bit: u8| if present { bit } else { 0 };
        out.push(
            flag(!term.inline.is_empty(), INLINE)
                | flag(!term.inline_positions.is_empty(), INLINE_POSITIONS)
                | flag(!term.postings.is_empty(), POSTINGS)
                | flag(!term.positions.is_empty(), POSITIONS)
                | flag(term.leaders.is_some(), LEADERS),
        );
        if !term.inline.is_empty() {
            // The gaps, then the impacts, as in postings packs.
            write_varint(&mut out, (term.inline.len() / 2) as u32);
            term.inline.chunks_exact(2).for_each(|pair| write_varint(&mut out, pair[0]));
            out.extend(term.inline.chunks_exact(2).map(|pair| pair[1].min(255) as u8));
        }
        if !term.inline_positions.is_empty() {
            write_varint(&mut out, term.inline_positions.len() as u32);
            term.inline_positions.iter().for_each(|&n| write_varint(&mut out, n));
        }
        for chunks in [&term.postings, &term.positions] {
            if !chunks.is_empty() {
                write_varint(&mut out, chunks.len() as u32);
                for chunk in chunks {
                    for n in [chunk.pack, chunk.offset, chunk.len, chunk.first_doc, chunk.last_doc] {
                        write_varint(&mut out, n);
                    }
                }
            }
        }
        if let Some(leaders) = &term.leaders {
            let Piece { pack, offset, len } = leaders.piece;
            for n in [pack, offset, len] {
                write_varint(&mut out, n);
            }
            for rest in leaders.rests {
                write_varint(&mut out, u32::from(rest.top));
                write_varint(&mut out, rest.after.map_or(0, |doc| doc.saturating_add(1)));
            }
        }
    }
    out
}

/// Writes `key` as the number of bytes it shares with `previous`, then the rest: keys are sorted, so neighbours
/// share much.
fn write_key(out: &mut Vec<u8>, key: &[u8], previous: &[u8]) {
    let shared = key.iter().zip(previous).take_while(|(a, b)| a == b).count();
    write_varint(out, shared as u32);
    write_bytes(out, &key[shared..]);
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

/// Reads a term block. The bytes come from the network: every count is checked against what is left, so
/// garbage gives an error, never a panic or a huge allocation.
pub fn decode_term_block(bytes: &[u8]) -> Result<TermBlock, DecodeError> {
    let mut reader = Reader(VarintReader::new(bytes));
    let count = reader.count(3)?;
    let mut terms: Vec<TermEntry> = Vec::with_capacity(count);
    let mut key: Vec<u8> = Vec::new();
    for _ in 0..count {
        let text = reader.key(&mut key, terms.last().map(|last| last.key.as_str()))?;
        let df = reader.number()?;
        let flags = reader.0.read_byte().ok_or(DecodeError::Truncated { inside: "a key" })?;
        let mut term = TermEntry { key: text, df, ..TermEntry::default() };
        if flags & INLINE != 0 {
            let documents = reader.count(2)?;
            let gaps: Vec<u32> = (0..documents).map(|_| reader.number()).collect::<Result<_, _>>()?;
            let impacts = reader.0.read_slice(documents).ok_or(DecodeError::Truncated { inside: "inline postings" })?;
            term.inline = gaps.into_iter().zip(impacts).flat_map(|(gap, &impact)| [gap, u32::from(impact)]).collect();
        }
        if flags & INLINE_POSITIONS != 0 {
            let numbers = reader.count(1)?;
            term.inline_positions = (0..numbers).map(|_| reader.number()).collect::<Result<_, _>>()?;
        }
        for (bit, chunks) in [(POSTINGS, &mut term.postings), (POSITIONS, &mut term.positions)] {
            if flags & bit != 0 {
                let count = reader.count(5)?;
                for _ in 0..count {
                    let mut n = [0u32; 5];
                    for slot in &mut n {
                        *slot = reader.number()?;
                    }
                    chunks.push(ChunkRef { pack: n[0], offset: n[1], len: n[2], first_doc: n[3], last_doc: n[4] });
                }
            }
        }
        if flags & LEADERS != 0 {
            let piece = Piece { pack: reader.number()?, offset: reader.number()?, len: reader.number()? };
            let mut rests = [Rest::default(); 2];
            for rest in &mut rests {
                let top = reader.number()?;
                let after = reader.number()?;
                *rest = Rest { top: u8::try_from(top).map_err(|_| DecodeError::OutOfRange { what: "a leaders' impact", value: top, limit: 255 })?, after: after.checked_sub(1) };
            }
            term.leaders = Some(LeadersRef { piece, rests });
        }
        terms.push(term);
    }
    if reader.0.remaining() > 0 {
        return Err(DecodeError::TrailingBytes { count: reader.0.remaining() });
    }
    Ok(TermBlock { terms })
}

/// A root page as bytes, laid out as the module's comment says.
pub fn encode_root_page(page: &RootPage) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, page.blocks.len() as u32);
    let mut previous: &[u8] = &[];
    let mut end: Option<(u32, u32)> = None;
    for block in &page.blocks {
        write_key(&mut out, block.first_key.as_bytes(), previous);
        previous = block.first_key.as_bytes();
        let Piece { pack, offset, len } = block.piece;
        write_varint(&mut out, block.keys);
        write_varint(&mut out, pack);
        if end == Some((pack, offset)) {
            write_varint(&mut out, 0);
        } else {
            write_varint(&mut out, 1);
            write_varint(&mut out, offset);
        }
        write_varint(&mut out, len);
        end = offset.checked_add(len).map(|next| (pack, next));
    }
    out
}

/// Reads a root page; like a term block, it comes from the network, so garbage is an error, never a panic.
pub fn decode_root_page(bytes: &[u8]) -> Result<RootPage, DecodeError> {
    let mut reader = Reader(VarintReader::new(bytes));
    // At least a shared count, a rest's length, keys, pack, where and length: six bytes a block.
    let count = reader.count(6)?;
    let mut blocks: Vec<BlockRef> = Vec::with_capacity(count);
    let mut key: Vec<u8> = Vec::new();
    let mut end: Option<(u32, u32)> = None;
    for _ in 0..count {
        let first_key = reader.key(&mut key, blocks.last().map(|last| last.first_key.as_str()))?;
        let keys = reader.number()?;
        let pack = reader.number()?;
        let offset = match (reader.number()?, end) {
            (0, Some((end_pack, end_offset))) if end_pack == pack => end_offset,
            (1, _) => reader.number()?,
            (mark, _) => return Err(DecodeError::OutOfRange { what: "a block's start mark (0 only right after a block of the same pack)", value: mark, limit: 1 }),
        };
        let len = reader.number()?;
        end = offset.checked_add(len).map(|next| (pack, next));
        blocks.push(BlockRef { first_key, keys, piece: Piece { pack, offset, len } });
    }
    if reader.0.remaining() > 0 {
        return Err(DecodeError::TrailingBytes { count: reader.0.remaining() });
    }
    Ok(RootPage { blocks })
}

struct Reader<'a>(VarintReader<'a>);

impl<'a> Reader<'a> {
    fn number(&mut self) -> Result<u32, DecodeError> {
        self.0.read().ok_or(DecodeError::Truncated { inside: "a number of a term block" })
    }

    /// A count of items of at least `min_bytes` each: never more than the bytes left could hold.
    fn count(&mut self, min_bytes: usize) -> Result<usize, DecodeError> {
        let count = self.number()? as usize;
        let limit = self.0.remaining() / min_bytes.max(1);
        if count > limit {
            return Err(DecodeError::TooMany { what: "items", count: count as u64, limit: limit as u64 });
        }
        Ok(count)
    }

    /// The next key as `write_key` wrote it after `key` (the bytes of the key before, replaced by this one's);
    /// it must sort after `previous`, the key before it.
    fn key(&mut self, key: &mut Vec<u8>, previous: Option<&str>) -> Result<String, DecodeError> {
        let shared = self.number()? as usize;
        if shared > key.len() {
            return Err(DecodeError::BadKey { why: "shares more bytes than the key before it has" });
        }
        key.truncate(shared);
        key.extend_from_slice(self.bytes()?);
        let text = String::from_utf8(key.clone()).map_err(|_| DecodeError::BadKey { why: "is not UTF-8" })?;
        if previous.is_some_and(|previous| previous >= text.as_str()) {
            return Err(DecodeError::BadKey { why: "is not after the key before it" });
        }
        Ok(text)
    }

    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.number()? as usize;
        self.0.read_slice(len).ok_or(DecodeError::Truncated { inside: "a key" })
    }

}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> TermBlock {
        let chunk = |pack, first_doc| ChunkRef { pack, offset: 7, len: 30, first_doc, last_doc: first_doc + 90 };
        TermBlock {
            terms: vec![
                TermEntry {
                    key: "sالامن".into(),
                    df: 900,
                    postings: vec![chunk(0, 0), chunk(0, 8192)],
                    positions: vec![chunk(1, 0), chunk(1, 8192)],
                    leaders: Some(LeadersRef { piece: Piece { pack: 0, offset: 3, len: 4 }, rests: [Rest { top: 255, after: Some(0) }, Rest { top: 0, after: None }] }),
                    ..TermEntry::default()
                },
                TermEntry { key: "sالانتربول".into(), df: 2, inline: vec![3, 200, 9, 17], inline_positions: vec![1, 4, 2, 0, 6], ..TermEntry::default() },
                TermEntry { key: "tامن".into(), df: 1, inline: vec![0, 255], ..TermEntry::default() },
            ],
        }
    }

    #[test]
    fn a_block_round_trips_and_keys_share_their_prefixes() {
        let bytes = encode_term_block(&block());
        assert_eq!(decode_term_block(&bytes), Ok(block()));
        assert!(bytes.len() < 110, "{} bytes", bytes.len());
        assert_eq!(decode_term_block(&encode_term_block(&TermBlock::default())), Ok(TermBlock::default()));
    }

    fn page() -> RootPage {
        let block = |key: &str, keys, pack, offset, len| BlockRef { first_key: key.into(), keys, piece: Piece { pack, offset, len } };
        RootPage {
            blocks: vec![
                block("sالامن", 97, 0, 170_095, 2061),
                block("sالانتربول", 101, 0, 172_156, 2187),
                // The writer moved on to a new pack.
                block("tامن", 88, 1, 0, 2040),
                // Not where the block before it ended.
                block("tوزير", 90, 1, 9000, 1999),
            ],
        }
    }

    #[test]
    fn a_root_page_round_trips_smaller_than_its_json() {
        let bytes = encode_root_page(&page());
        assert_eq!(decode_root_page(&bytes), Ok(page()));
        // Under two thirds here, where half the blocks do not follow the one before; real pages, whose blocks
        // all follow each other, shrank to two fifths (JawharaFM's 33 root pages: 82 KB as JSON, 33 KB in binary).
        let json = serde_json::to_vec(&page()).unwrap();
        assert!(bytes.len() * 3 < json.len() * 2, "{} bytes against {} as JSON", bytes.len(), json.len());
        assert_eq!(decode_root_page(&encode_root_page(&RootPage { blocks: Vec::new() })), Ok(RootPage { blocks: Vec::new() }));
    }

    /// Cut anywhere or with a byte more, `bytes` is an error; with any one byte changed, it decodes or is an
    /// error, never a panic. A count of four billion items in a few bytes is an error too.
    fn damage_is_an_error<T>(bytes: &[u8], decode: fn(&[u8]) -> Result<T, DecodeError>) {
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(decode(&longer).is_err());
        assert!(decode(&[0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
        for at in 0..bytes.len() {
            for value in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut changed = bytes.to_vec();
                changed[at] = value;
                let _ = decode(&changed);
            }
        }
    }

    #[test]
    fn damaged_root_pages_are_errors_not_panics() {
        damage_is_an_error(&encode_root_page(&page()), decode_root_page);
        // A first block that says it starts where the one before it ended.
        assert!(decode_root_page(&[1, 0, 1, b's', 1, 0, 0, 5]).is_err());
        // A start mark other than 0 or 1.
        assert!(decode_root_page(&[1, 0, 1, b's', 1, 0, 2, 9, 5]).is_err());
        assert_eq!(decode_root_page(&[1, 0, 1, b's', 1, 0, 1, 9, 5]).map(|page| page.blocks[0].piece), Ok(Piece { pack: 0, offset: 9, len: 5 }));
    }

    #[test]
    fn damaged_blocks_are_errors_not_panics() {
        damage_is_an_error(&encode_term_block(&block()), decode_term_block);
    }
}
