//! The outlet column: per document of a block, the number of its outlet in the segment's outlet list (1 is
//! the first, 0 none), as varints. Facet counts under a query read it instead of listing rows.

use crate::codec::{write_varint, VarintReader};

pub fn encode_outlet_column(numbers: &[u32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(numbers.len());
    numbers.iter().for_each(|&number| write_varint(&mut bytes, number));
    bytes
}

/// Decodes an outlet column. Bytes from the network are untrusted: a damaged column ends where it stops
/// making sense, and callers treat missing documents as having no known outlet.
pub fn decode_outlet_column(bytes: &[u8]) -> Vec<u32> {
    let mut reader = VarintReader::new(bytes);
    std::iter::from_fn(|| reader.read()).collect()
}
