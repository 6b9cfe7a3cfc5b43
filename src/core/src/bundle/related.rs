//! The related-articles column: per document of a block, how many related articles it has (at most
//! `related::RELATED`) and their numbers in the segment, as varints. The article page reads the one block
//! holding its article.

use crate::codec::{write_varint, DecodeError, VarintReader};
use crate::related::RELATED;

pub fn encode_related_block(lists: &[Vec<u32>]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(lists.len() * 8);
    for list in lists {
        write_varint(&mut bytes, list.len() as u32);
        list.iter().for_each(|&doc| write_varint(&mut bytes, doc));
    }
    bytes
}

/// Decodes a block that should hold the lists of `entries` documents of a segment of `documents`. Bytes from
/// the network are untrusted: a list longer than `RELATED`, a number past the segment, a short block or bytes
/// left over are errors, never a wrong link shown as right.
pub fn decode_related_block(bytes: &[u8], entries: usize, documents: u32) -> Result<Vec<Vec<u32>>, DecodeError> {
    let mut reader = VarintReader::new(bytes);
    let mut lists = Vec::with_capacity(entries.min(bytes.len()));
    for _ in 0..entries {
        let count = reader.read().ok_or(DecodeError::Truncated { inside: "a related block" })?;
        if count as usize > RELATED {
            return Err(DecodeError::TooMany { what: "related articles", count: u64::from(count), limit: RELATED as u64 });
        }
        let list = (0..count)
            .map(|_| match reader.read() {
                Some(doc) if doc < documents => Ok(doc),
                Some(doc) => Err(DecodeError::OutOfRange { what: "related article", value: doc, limit: documents }),
                None => Err(DecodeError::Truncated { inside: "a list of related articles" }),
            })
            .collect::<Result<Vec<u32>, DecodeError>>()?;
        lists.push(list);
    }
    if !reader.is_done() {
        return Err(DecodeError::TrailingBytes { count: reader.remaining() });
    }
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_refused_unless_it_holds_its_documents_and_no_more() {
        let lists = vec![vec![3, 1], vec![], vec![0, 1, 2, 4, 5]];
        let block = encode_related_block(&lists);
        assert_eq!(decode_related_block(&block, 3, 6), Ok(lists.clone()));
        assert!(matches!(decode_related_block(&block, 4, 6), Err(DecodeError::Truncated { .. })), "short");
        assert_eq!(decode_related_block(&block, 2, 6), Err(DecodeError::TrailingBytes { count: 6 }), "bytes left over");
        assert_eq!(decode_related_block(&block, 3, 5), Err(DecodeError::OutOfRange { what: "related article", value: 5, limit: 5 }), "a number past the segment");
        assert!(matches!(decode_related_block(&encode_related_block(&[vec![1; 6]]), 1, 6), Err(DecodeError::TooMany { count: 6, .. })), "too many");
        assert!(decode_related_block(b"\xff\xfe garbage {{{", 3, 6).is_err());
        assert_eq!(decode_related_block(&[], 0, 0), Ok(vec![]));
    }
}
