//! Id buckets: from an article's stable id to its number in its segment, for links opened cold. Each segment
//! has its own buckets; ids are hashes, so a bucket is chosen by the id's first bits.

use super::articles::TextRange;
use crate::model::fnv1a_64;
use serde::{Deserialize, Serialize};

/// Ids and segment-local document numbers of one bucket, sorted by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdBucket {
    pub ids: Vec<(String, u32)>,
    /// Where each id's article lies in its article shard, in the order of `ids`, so that a link opened cold
    /// reads that range rather than the shard. Empty in bundles written before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<TextRange>,
}

impl IdBucket {
    /// The id's segment-local number, and where its article lies when the bucket says.
    pub fn find(&self, id: &str) -> Option<(u32, Option<TextRange>)> {
        let found = self.ids.binary_search_by(|(known, _)| known.as_str().cmp(id)).ok()?;
        Some((self.ids[found].1, self.texts.get(found).copied()))
    }
}

/// The bucket an article id falls in, for a segment whose buckets use the first `bits` bits.
pub fn id_bucket(id: &str, bits: u32) -> u32 {
    if bits == 0 {
        return 0;
    }
    let value = u64::from_str_radix(id, 16).unwrap_or_else(|_| fnv1a_64(id.as_bytes()));
    (value >> (64 - bits.min(32))) as u32
}

/// Enough bits that buckets hold about `per_bucket` ids each.
pub fn bucket_bits(documents: u32, per_bucket: u32) -> u32 {
    let buckets = documents.div_ceil(per_bucket.max(1)).max(1);
    buckets.next_power_of_two().trailing_zeros()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_split_ids_by_their_first_bits() {
        assert_eq!(bucket_bits(1, 512), 0);
        assert_eq!(bucket_bits(513, 512), 1);
        assert_eq!(bucket_bits(5000, 512), 4);
        assert_eq!(id_bucket("f000000000000000", 4), 15);
        assert_eq!(id_bucket("0fffffffffffffff", 4), 0);
        assert_eq!(id_bucket("anything", 0), 0);
        assert_eq!(id_bucket("ffffffffffffffff", 40), u32::MAX, "an absurd bit count from the network does not overflow");
    }
}
