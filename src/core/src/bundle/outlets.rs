//! The outlet column: per document of a block, the number of its outlet in the segment's outlet list (1 is
//! the first, 0 none), as varints. Facet counts under a query read it instead of listing rows.

use crate::codec::{write_varint, DecodeError, VarintReader};

pub fn encode_outlet_column(numbers: &[u32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(numbers.len());
    numbers.iter().for_each(|&number| write_varint(&mut bytes, number));
    bytes
}

/// Decodes an outlet column as far as it makes sense: a damaged column ends where it stops.
pub fn decode_outlet_column(bytes: &[u8]) -> Vec<u32> {
    let mut reader = VarintReader::new(bytes);
    std::iter::from_fn(|| reader.read()).collect()
}

/// Decodes a block of an outlet column that should hold `entries` documents of a segment with `outlets`
/// outlets. Bytes from the network are untrusted, and a damaged block read as far as it goes would show
/// wrong outlet counts as right: anything but exactly `entries` numbers, each at most `outlets`, is an error.
pub fn decode_outlet_block(bytes: &[u8], entries: usize, outlets: usize) -> Result<Vec<u32>, DecodeError> {
    let mut reader = VarintReader::new(bytes);
    let mut column = Vec::with_capacity(entries.min(bytes.len()));
    for _ in 0..entries {
        column.push(reader.read().ok_or(DecodeError::Truncated { inside: "an outlet column block" })?);
    }
    if !reader.is_done() {
        return Err(DecodeError::TrailingBytes { count: reader.remaining() });
    }
    match column.iter().find(|&&outlet| outlet as usize > outlets) {
        Some(&outlet) => Err(DecodeError::OutOfRange { what: "outlet", value: outlet, limit: outlets as u32 }),
        None => Ok(column),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_refused_unless_it_holds_its_documents_and_known_outlets() {
        let block = encode_outlet_column(&[1, 0, 2, 2]);
        assert_eq!(decode_outlet_block(&block, 4, 2), Ok(vec![1, 0, 2, 2]));
        assert_eq!(decode_outlet_block(&block, 5, 2), Err(DecodeError::Truncated { inside: "an outlet column block" }), "short");
        assert_eq!(decode_outlet_block(&block, 3, 2), Err(DecodeError::TrailingBytes { count: 1 }), "long");
        assert_eq!(decode_outlet_block(&block, 4, 1), Err(DecodeError::OutOfRange { what: "outlet", value: 2, limit: 1 }), "an outlet the segment does not have");
        assert!(decode_outlet_block(b"\xff\xfe garbage {{{", 4, 2).is_err());
    }
}
