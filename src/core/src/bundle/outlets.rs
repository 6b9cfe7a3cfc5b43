//! The outlet column: per document of a block, the number of its outlet in the segment's outlet list (1 is
//! the first, 0 none). Facet counts under a query read it instead of listing rows.
//!
//! Hosts send `.bin` files as they are, uncompressed, so the column is written small itself: each block either
//! packs its numbers at the few bits the segment's outlets need (`outlet_bits`, which the descriptor records as
//! `Segment::outlet_bits`) or codes them with a prefix code of its own, whichever is smaller
//! (`encode_outlet_block`). On real SaudiNewsNet + ANT (up to 18 outlets in a segment) a block of 8,192
//! documents came to 8 KB as the varints of format 5, 3 to 5 KB packed, and 2.0 to 4.0 KB coded.

use crate::codec::DecodeError;

/// Bits per document for a segment of `outlets` outlets: enough for every number from 0 to `outlets`, and at
/// least one.
pub fn outlet_bits(outlets: usize) -> u8 {
    ((usize::BITS - outlets.leading_zeros()) as u8).max(1)
}

/// A segment's whole column cut into blocks: `numbers` (one per document, in the segment's order) in blocks of
/// `smallest` documents times the largest power of two whose every block codes to at most `budget` bytes,
/// and at least `smallest` (but never more documents than one block needs). Returns the documents per block
/// and the blocks, coded.
///
/// A query's facet counts read each block holding one of its hits, one request each: at 8,192 documents a
/// block, SaudiNewsNet + ANT's eleven blocks came to eleven requests for most queries, which a phone's
/// browser queues behind the cards' rows. Larger blocks where a segment's column is small cost a query with a
/// few hits some bytes more, bounded by `budget`, for fewer requests where most queries read every block.
pub fn encode_outlet_column(numbers: &[u32], bits: u8, smallest: u32, budget: u32) -> (u32, Vec<Vec<u8>>) {
    let smallest = smallest.max(1);
    let encode = |per: u32| numbers.chunks(per as usize).map(|block| encode_outlet_block(block, bits)).collect::<Vec<_>>();
    // The fewest blocks of `smallest · 2^k` documents: one block, or the first power past it.
    let mut per = smallest;
    while (per as usize) < numbers.len() {
        per = per.saturating_mul(2);
    }
    loop {
        let blocks = encode(per);
        if per <= smallest || blocks.iter().all(|block| block.len() <= budget as usize) {
            return (per, blocks);
        }
        per /= 2;
    }
}

/// How a block's numbers follow its first byte.
const PACKED: u8 = 0;
const HUFFMAN: u8 = 1;

/// Code lengths are at most this many bits (a length is written in four bits).
const LONGEST_CODE: u8 = 15;

/// A block of the column: its first byte says how the numbers follow, whichever is smaller. `PACKED`: each at
/// `bits` (each number below `1 << bits`). `HUFFMAN`: a prefix code fitted to the block, since the outlets of
/// a block are far from even (on real SaudiNewsNet + ANT, 1.3 to 3.9 bits a document of information where the
/// packed numbers take 2 to 5): the count of code lengths as a varint, the lengths four bits each (0: the
/// number is absent), then each number's canonical code, first bit first.
pub fn encode_outlet_block(numbers: &[u32], bits: u8) -> Vec<u8> {
    let mut packed = vec![PACKED];
    packed.extend(pack(numbers, bits));
    match huffman(numbers) {
        Some(coded) if coded.len() < packed.len() => coded,
        _ => packed,
    }
}

fn pack(numbers: &[u32], bits: u8) -> Vec<u8> {
    let bits = usize::from(bits);
    let mut bytes = vec![0u8; (numbers.len() * bits).div_ceil(8)];
    for (n, &number) in numbers.iter().enumerate() {
        debug_assert!(bits >= 32 || number >> bits == 0, "{number} does not fit in {bits} bits");
        for bit in (0..bits.min(32)).filter(|&bit| number >> bit & 1 == 1) {
            let at = n * bits + bit;
            bytes[at / 8] |= 1 << (at % 8);
        }
    }
    bytes
}

/// The block as `HUFFMAN`, or `None` when its numbers are too many different ones to be worth a table.
fn huffman(numbers: &[u32]) -> Option<Vec<u8>> {
    let symbols = numbers.iter().max().map_or(0, |&top| top as usize + 1);
    if symbols == 0 || symbols > 4096 {
        return None;
    }
    let mut counts = vec![0u64; symbols];
    numbers.iter().for_each(|&number| counts[number as usize] += 1);
    let lengths = code_lengths(&counts);
    let codes = canonical_codes(&lengths)?;
    let mut bytes = vec![HUFFMAN];
    crate::codec::write_varint(&mut bytes, symbols as u32);
    for pair in lengths.chunks(2) {
        bytes.push(pair[0] | pair.get(1).map_or(0, |&second| second << 4));
    }
    let mut writer = BitWriter { bytes, bits: 0 };
    for &number in numbers {
        let (code, length) = codes[number as usize];
        (0..length).rev().for_each(|bit| writer.push(code >> bit & 1 == 1));
    }
    Some(writer.bytes)
}

/// Bits appended to bytes, each byte filled from its lowest bit.
struct BitWriter {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0: a new byte is needed).
    bits: u8,
}

impl BitWriter {
    fn push(&mut self, bit: bool) {
        if self.bits == 0 {
            self.bytes.push(0);
        }
        if bit {
            *self.bytes.last_mut().expect("a byte was pushed") |= 1 << self.bits;
        }
        self.bits = (self.bits + 1) % 8;
    }
}

/// Huffman code lengths for `counts` (0 for a count of 0), none over `LONGEST_CODE`: where the tree is deeper,
/// the counts are flattened (halved, keeping every present one at least 1) and the tree built again. A lone
/// present number gets a code of one bit.
fn code_lengths(counts: &[u64]) -> Vec<u8> {
    let mut weights = counts.to_vec();
    loop {
        let lengths = tree_depths(&weights);
        if lengths.iter().all(|&length| length <= LONGEST_CODE) {
            return lengths;
        }
        weights.iter_mut().filter(|weight| **weight > 0).for_each(|weight| *weight = (*weight / 2).max(1));
    }
}

/// Each weight's depth in a Huffman tree (ties broken by number, so the build is deterministic).
fn tree_depths(weights: &[u64]) -> Vec<u8> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Nodes: leaves first, then inner nodes; each inner node's children are remembered to walk down.
    let mut children: Vec<Option<(usize, usize)>> = vec![None; weights.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = weights.iter().enumerate().filter(|(_, &w)| w > 0).map(|(n, &w)| Reverse((w, n))).collect();
    let mut depths = vec![0u8; weights.len()];
    if heap.len() == 1 {
        let Reverse((_, only)) = heap.pop().expect("one");
        depths[only] = 1;
        return depths;
    }
    while heap.len() > 1 {
        let Reverse((a_weight, a)) = heap.pop().expect("two");
        let Reverse((b_weight, b)) = heap.pop().expect("two");
        children.push(Some((a, b)));
        heap.push(Reverse((a_weight + b_weight, children.len() - 1)));
    }
    let mut stack: Vec<(usize, u8)> = heap.pop().map(|Reverse((_, root))| (root, 0)).into_iter().collect();
    while let Some((node, depth)) = stack.pop() {
        match children[node] {
            Some((a, b)) => stack.extend([(a, depth + 1), (b, depth + 1)]),
            None => depths[node] = depth.min(u8::MAX - 1),
        }
    }
    depths
}

/// Each number's canonical code and length from the code lengths (shorter codes first, then smaller numbers),
/// or `None` when the lengths are more than a prefix code can hold.
fn canonical_codes(lengths: &[u8]) -> Option<Vec<(u32, u8)>> {
    let mut per_length = [0u32; LONGEST_CODE as usize + 1];
    lengths.iter().filter(|&&length| length > 0).for_each(|&length| per_length[length as usize] += 1);
    let mut next = [0u32; LONGEST_CODE as usize + 2];
    let mut code = 0u32;
    for length in 1..=LONGEST_CODE as usize {
        code = (code + per_length[length - 1]) << 1;
        if length == 1 {
            code = 0;
        }
        next[length] = code;
        if u64::from(code) + u64::from(per_length[length]) > 1u64 << length {
            return None;
        }
    }
    Some(
        lengths
            .iter()
            .map(|&length| {
                if length == 0 {
                    return (0, 0);
                }
                let code = next[length as usize];
                next[length as usize] += 1;
                (code, length)
            })
            .collect(),
    )
}

/// Decodes a block of an outlet column that should hold `entries` documents of a segment with `outlets`
/// outlets, packed at `bits` each or coded. Bytes from the network are untrusted, and a damaged block read
/// as far as it goes would show wrong outlet counts as right: anything but exactly `entries` numbers, each at
/// most `outlets`, with zero bits after the last, is an error.
pub fn decode_outlet_block(bytes: &[u8], entries: usize, outlets: usize, bits: u8) -> Result<Vec<u32>, DecodeError> {
    let column = match bytes.split_first() {
        Some((&PACKED, rest)) => decode_packed(rest, entries, bits)?,
        Some((&HUFFMAN, rest)) => decode_huffman(rest, entries)?,
        Some((&method, _)) => return Err(DecodeError::OutOfRange { what: "outlet block method", value: method.into(), limit: HUFFMAN.into() }),
        None => return Err(DecodeError::Truncated { inside: "an outlet column block" }),
    };
    match column.iter().find(|&&outlet| outlet as usize > outlets) {
        Some(&outlet) => Err(DecodeError::OutOfRange { what: "outlet", value: outlet, limit: outlets as u32 }),
        None => Ok(column),
    }
}

fn decode_huffman(bytes: &[u8], entries: usize) -> Result<Vec<u32>, DecodeError> {
    let truncated = DecodeError::Truncated { inside: "an outlet column block" };
    let mut reader = crate::codec::VarintReader::new(bytes);
    let symbols = reader.read().ok_or(truncated.clone())? as usize;
    let table_start = bytes.len() - reader.remaining();
    let table = bytes.get(table_start..table_start.checked_add(symbols.div_ceil(2)).ok_or(truncated.clone())?).ok_or(truncated.clone())?;
    let lengths: Vec<u8> = (0..symbols).map(|n| table[n / 2] >> (4 * (n % 2)) & 0x0f).collect();
    // Numbers in code order, and how many codes each length has: the canonical code's whole description.
    let mut per_length = [0u32; LONGEST_CODE as usize + 1];
    lengths.iter().filter(|&&length| length > 0).for_each(|&length| per_length[length as usize] += 1);
    canonical_codes(&lengths).ok_or(DecodeError::BadKey { why: "code lengths that no prefix code has" })?;
    let mut in_order: Vec<u32> = (0..symbols as u32).filter(|&n| lengths[n as usize] > 0).collect();
    in_order.sort_by_key(|&n| lengths[n as usize]);
    let stream = &bytes[table_start + table.len()..];
    let total_bits = stream.len() as u64 * 8;
    let mut at = 0u64;
    let mut column = Vec::with_capacity(entries.min(stream.len() * 8));
    for _ in 0..entries {
        let (mut code, mut first, mut index) = (0u32, 0u32, 0u32);
        let mut found = None;
        for &count in &per_length[1..] {
            if at >= total_bits {
                return Err(truncated);
            }
            code |= u32::from(stream[(at / 8) as usize] >> (at % 8) & 1);
            at += 1;
            if code < first + count {
                found = Some(in_order[(index + code - first) as usize]);
                break;
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        column.push(found.ok_or(DecodeError::BadKey { why: "a code the block's table does not have" })?);
    }
    let used = at.div_ceil(8) as usize;
    if used < stream.len() {
        return Err(DecodeError::TrailingBytes { count: stream.len() - used });
    }
    if !at.is_multiple_of(8) && stream.last().is_some_and(|&last| last >> (at % 8) != 0) {
        return Err(DecodeError::OutOfRange { what: "padding bit", value: 1, limit: 0 });
    }
    Ok(column)
}

fn decode_packed(bytes: &[u8], entries: usize, bits: u8) -> Result<Vec<u32>, DecodeError> {
    if !(1..=32).contains(&bits) {
        return Err(DecodeError::OutOfRange { what: "bits per outlet", value: bits.into(), limit: 32 });
    }
    let bits = u64::from(bits);
    let needed = (entries as u64).saturating_mul(bits).div_ceil(8);
    match (bytes.len() as u64).cmp(&needed) {
        std::cmp::Ordering::Less => return Err(DecodeError::Truncated { inside: "an outlet column block" }),
        std::cmp::Ordering::Greater => return Err(DecodeError::TrailingBytes { count: (bytes.len() as u64 - needed) as usize }),
        std::cmp::Ordering::Equal => {}
    }
    // A number of at most 32 bits starting anywhere in a byte lies within 5 bytes: read them as one window
    // (a frequent word's facet counts at a million articles decode the whole column).
    let mask = u32::MAX >> (32 - bits);
    let number = |n: u64| {
        let at = n * bits;
        let window = bytes[(at / 8) as usize..].iter().take(5).rev().fold(0u64, |window, &byte| window << 8 | u64::from(byte));
        (window >> (at % 8)) as u32 & mask
    };
    let column: Vec<u32> = (0..entries as u64).map(number).collect();
    // The last byte's bits past the last number are written as zeros: set ones are damage.
    let used = (entries as u64 * bits % 8) as u32;
    if used > 0 && bytes.last().is_some_and(|&last| last >> used != 0) {
        return Err(DecodeError::OutOfRange { what: "padding bit", value: 1, limit: 0 });
    }
    Ok(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic column of `len` numbers up to `top`, skewed towards the small ones as outlets are.
    fn column(len: u32, top: u32, seed: u32) -> Vec<u32> {
        (0..len).map(|n| (n ^ seed).wrapping_mul(2_654_435_761) >> 7).map(|x| (if top == u32::MAX { x } else { x % (top + 1) }).min(x % 4 + x % 3)).collect()
    }

    #[test]
    fn bits_cover_every_outlet_number_and_none() {
        assert_eq!([0, 1, 2, 3, 4, 7, 8, 18, 255, 256].map(outlet_bits), [1, 1, 2, 2, 3, 3, 4, 5, 8, 9]);
    }

    #[test]
    fn a_block_round_trips_at_every_width_and_length_whichever_way_it_is_written() {
        let mut ways = [0, 0];
        for bits in [1u8, 2, 3, 5, 7, 8, 9, 13, 31, 32] {
            let top = if bits == 32 { u32::MAX } else { (1u32 << bits) - 1 };
            for len in [0u32, 1, 7, 8, 9, 100, 8192] {
                for numbers in [column(len, top, 1), (0..len).map(|n| n.wrapping_mul(2_654_435_761) % top.max(1) | (n % 3 == 0) as u32 * top).collect()] {
                    let block = encode_outlet_block(&numbers, bits);
                    assert!(block.len() <= 1 + (len as usize * bits as usize).div_ceil(8), "never more than packed");
                    ways[usize::from(block[0])] += 1;
                    assert_eq!(decode_outlet_block(&block, len as usize, u32::MAX as usize, bits), Ok(numbers), "{len} numbers of {bits} bits");
                }
            }
        }
        assert!(ways[0] > 0 && ways[1] > 0, "both ways are tried: {ways:?}");
    }

    #[test]
    fn a_skewed_block_is_coded_near_its_information() {
        // 8,192 documents of 18 outlets, most of them from a few (as a block of SaudiNewsNet + ANT): packed
        // they take 5 bits each, 5,121 bytes; coded about what their entropy says.
        let numbers: Vec<u32> = (0..8192u32).map(|n| match n.wrapping_mul(2_654_435_761) % 100 { 0..=39 => 1, 40..=64 => 2, 65..=79 => 3, 80..=89 => 4, x => 5 + x % 14 }).collect();
        let mut counts = [0f64; 19];
        numbers.iter().for_each(|&n| counts[n as usize] += 1.0);
        let entropy_bytes: f64 = counts.iter().filter(|&&c| c > 0.0).map(|&c| -c * (c / 8192.0).log2()).sum::<f64>() / 8.0;
        let block = encode_outlet_block(&numbers, outlet_bits(18));
        assert_eq!(block[0], HUFFMAN);
        assert!((block.len() as f64) < entropy_bytes * 1.05 + 16.0 && block.len() < 4000, "{} bytes for {entropy_bytes:.0} of information", block.len());
        assert_eq!(decode_outlet_block(&block, 8192, 18, 5), Ok(numbers));
        // One outlet throughout: a bit a document.
        assert_eq!(encode_outlet_block(&[3; 64], 2).len(), 1 + 1 + 2 + 8);
    }

    #[test]
    fn a_column_takes_the_largest_blocks_its_budget_allows() {
        let numbers = column(1000, 6, 5);
        let whole = encode_outlet_block(&numbers, 3).len() as u32;
        // Room for the whole column: one block, of the first power of two past it.
        assert_eq!(encode_outlet_column(&numbers, 3, 16, whole).0, 1024);
        // Room for about a quarter of it: blocks of 256 documents, each within the budget.
        let (per, blocks) = encode_outlet_column(&numbers, 3, 16, whole / 4 + 8);
        assert_eq!((per, blocks.len()), (256, 4));
        assert!(blocks.iter().all(|block| block.len() as u32 <= whole / 4 + 8));
        // No room at all: the smallest blocks, never smaller.
        let (per, blocks) = encode_outlet_column(&numbers, 3, 16, 1);
        assert_eq!((per, blocks.len()), (16, 63));
        let decoded: Vec<u32> = blocks.iter().enumerate().flat_map(|(n, block)| decode_outlet_block(block, (1000 - n * 16).min(16), 6, 3).unwrap()).collect();
        assert_eq!(decoded, numbers);
        // A column shorter than the smallest block is one block of the smallest size.
        assert_eq!(encode_outlet_column(&numbers[..5], 3, 16, 0), (16, vec![encode_outlet_block(&numbers[..5], 3)]));
        assert_eq!(encode_outlet_column(&[], 3, 16, 64), (16, Vec::new()));
    }

    #[test]
    fn code_lengths_stay_within_four_bits_whatever_the_counts() {
        // Fibonacci counts build the deepest trees: 30 of them would need codes of 29 bits.
        let mut fibonacci = vec![1u64, 1];
        (2..30).for_each(|n| fibonacci.push(fibonacci[n - 1] + fibonacci[n - 2]));
        let lengths = code_lengths(&fibonacci);
        assert!(lengths.iter().all(|&length| (1..=LONGEST_CODE).contains(&length)), "{lengths:?}");
        assert!(canonical_codes(&lengths).is_some());
        let numbers: Vec<u32> = fibonacci.iter().enumerate().flat_map(|(n, &count)| std::iter::repeat_n(n as u32, count.min(50) as usize)).collect();
        assert_eq!(decode_outlet_block(&encode_outlet_block(&numbers, 5), numbers.len(), 29, 5), Ok(numbers));
    }

    #[test]
    fn a_block_is_refused_unless_it_holds_its_documents_and_known_outlets() {
        let skewed: Vec<u32> = (0..200).map(|n| u32::from(n % 7 == 0) + u32::from(n % 13 == 0)).collect();
        let coded = encode_outlet_block(&skewed, 2);
        let packed = encode_outlet_block(&[1, 0, 2, 2, 1], 2);
        assert_eq!((coded[0], packed[0]), (HUFFMAN, PACKED));
        for (block, numbers) in [(&coded, skewed.clone()), (&packed, vec![1, 0, 2, 2, 1])] {
            let entries = numbers.len();
            assert_eq!(decode_outlet_block(block, entries, 2, 2), Ok(numbers));
            assert!(matches!(decode_outlet_block(&block[..block.len() - 1], entries, 2, 2), Err(DecodeError::Truncated { .. })), "short");
            let mut long = block.clone();
            long.push(0);
            assert_eq!(decode_outlet_block(&long, entries, 2, 2), Err(DecodeError::TrailingBytes { count: 1 }), "long");
            assert_eq!(decode_outlet_block(block, entries, 1, 2), Err(DecodeError::OutOfRange { what: "outlet", value: 2, limit: 1 }), "an outlet the segment does not have");
            let mut padded = block.clone();
            *padded.last_mut().unwrap() |= 0x80;
            assert!(decode_outlet_block(&padded, entries, 2, 2).is_err(), "a set bit after the last number");
            assert!(decode_outlet_block(block, entries + 8, 2, 2).is_err(), "more documents than the block holds");
        }
        // A table whose lengths no prefix code has (three codes of one bit), a method no writer uses, nothing.
        assert!(matches!(decode_outlet_block(&[HUFFMAN, 3, 0x11, 0x01, 0xff], 2, 2, 2), Err(DecodeError::BadKey { .. })));
        assert!(decode_outlet_block(&[7, 0], 1, 2, 2).is_err() && decode_outlet_block(&[], 1, 2, 2).is_err());
        assert!(decode_outlet_block(b"\xff\xfe garbage {{{", 5, 2, 2).is_err());
        assert!(decode_outlet_block(&[PACKED, 0], 1, 2, 0).is_err() && decode_outlet_block(&[PACKED, 0, 0, 0, 0, 0], 1, 2, 33).is_err(), "widths no writer uses");
        assert!(decode_outlet_block(&[PACKED], usize::MAX, 2, 32).is_err(), "a count no bytes could hold");
        assert!(decode_outlet_block(&[HUFFMAN, 0xff, 0xff, 0xff, 0xff, 0x0f], 1, 2, 2).is_err(), "a table longer than the block");
    }
}
