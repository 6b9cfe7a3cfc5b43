//! The outlet column: per document of a block, the number of its outlet in the segment's outlet list (1 is
//! the first, 0 none). Facet counts under a query read it instead of listing rows.
//!
//! Each number takes the same few bits (`outlet_bits`: enough for the segment's outlets), packed from the
//! lowest bit of the first byte on; the segment's descriptor says how many (`Segment::outlet_bits`). Hosts
//! send `.bin` files as they are, uncompressed, so the column is written small itself: on real
//! SaudiNewsNet + ANT (up to 18 outlets in a segment) a block of 8,192 documents is 3 to 5 KB instead of the
//! 8 KB that a varint a document (format 5) took.

use crate::codec::DecodeError;

/// Bits per document for a segment of `outlets` outlets: enough for every number from 0 to `outlets`, and at
/// least one.
pub fn outlet_bits(outlets: usize) -> u8 {
    ((usize::BITS - outlets.leading_zeros()) as u8).max(1)
}

/// A block of the column: `numbers` packed at `bits` each (each number below `1 << bits`).
pub fn encode_outlet_block(numbers: &[u32], bits: u8) -> Vec<u8> {
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

/// Decodes a block of an outlet column that should hold `entries` documents of a segment with `outlets`
/// outlets, packed at `bits` each. Bytes from the network are untrusted, and a damaged block read as far as
/// it goes would show wrong outlet counts as right: anything but exactly `entries` numbers, each at most
/// `outlets`, with zero bits after the last, is an error.
pub fn decode_outlet_block(bytes: &[u8], entries: usize, outlets: usize, bits: u8) -> Result<Vec<u32>, DecodeError> {
    let column = decode_packed(bytes, entries, bits)?;
    match column.iter().find(|&&outlet| outlet as usize > outlets) {
        Some(&outlet) => Err(DecodeError::OutOfRange { what: "outlet", value: outlet, limit: outlets as u32 }),
        None => Ok(column),
    }
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

    #[test]
    fn bits_cover_every_outlet_number_and_none() {
        assert_eq!([0, 1, 2, 3, 4, 7, 8, 18, 255, 256].map(outlet_bits), [1, 1, 2, 2, 3, 3, 4, 5, 8, 9]);
    }

    #[test]
    fn a_packed_block_round_trips_at_every_width_and_length() {
        for bits in [1u8, 2, 3, 5, 7, 8, 9, 13, 31, 32] {
            for len in [0usize, 1, 7, 8, 9, 100] {
                let top = if bits == 32 { u32::MAX } else { (1u32 << bits) - 1 };
                let numbers: Vec<u32> = (0..len as u32).map(|n| n.wrapping_mul(2_654_435_761) % top.max(1) | (n % 3 == 0) as u32 * top).collect();
                let block = encode_outlet_block(&numbers, bits);
                assert_eq!(block.len(), (len * bits as usize).div_ceil(8));
                assert_eq!(decode_outlet_block(&block, len, u32::MAX as usize, bits), Ok(numbers), "{len} numbers of {bits} bits");
            }
        }
        // Eighteen outlets (SaudiNewsNet + ANT's largest segment) take 5 bits: 8,192 documents in 5,120 bytes.
        assert_eq!(encode_outlet_block(&vec![18; 8192], outlet_bits(18)).len(), 5120);
    }

    #[test]
    fn a_block_is_refused_unless_it_holds_its_documents_and_known_outlets() {
        let block = encode_outlet_block(&[1, 0, 2, 2, 1], 2);
        assert_eq!(decode_outlet_block(&block, 5, 2, 2), Ok(vec![1, 0, 2, 2, 1]));
        assert!(matches!(decode_outlet_block(&block[..1], 5, 2, 2), Err(DecodeError::Truncated { .. })), "short");
        assert_eq!(decode_outlet_block(&[block[0], block[1], 0], 5, 2, 2), Err(DecodeError::TrailingBytes { count: 1 }), "long");
        assert_eq!(decode_outlet_block(&block, 5, 1, 2), Err(DecodeError::OutOfRange { what: "outlet", value: 2, limit: 1 }), "an outlet the segment does not have");
        assert!(decode_outlet_block(b"\xff\xfe garbage {{{", 5, 2, 2).is_err());
        // Five numbers of 2 bits leave 6 bits of the second byte; one of them set is damage.
        let mut padded = encode_outlet_block(&[1, 0, 2, 2, 1], 2);
        padded[1] |= 0x80;
        assert!(decode_outlet_block(&padded, 5, 2, 2).is_err());
        assert!(decode_outlet_block(&[0], 1, 2, 0).is_err() && decode_outlet_block(&[0; 8], 1, 2, 33).is_err(), "widths no writer uses");
        assert!(decode_outlet_block(&[], usize::MAX, 2, 32).is_err(), "a count no bytes could hold");
    }
}
