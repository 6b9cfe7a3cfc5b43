//! Listing rows: what the list shows of each article (title, outlet, date, opening lines), in shards of
//! consecutive documents of one segment; and the archive's order, newest first.

use super::articles::TextRange;
use crate::{Article, Date};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Characters of the opening lines a listing row keeps: about two lines of a card on a wide screen (the card
/// shows two lines; more would be downloaded and never seen).
pub const EXCERPT_CHARS: usize = 180;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingShard {
    /// The segment-local number of the first row.
    pub first: u32,
    pub rows: Vec<ListingRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRow {
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub excerpt: String,
    /// Where the article lies in its article shard, so that opening it from its card reads that range rather
    /// than the shard; the row alone carries it (a search's card reads only its row). Absent in bundles
    /// written before: a reader then reads the whole shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextRange>,
}

impl ListingRow {
    pub fn of(article: &Article) -> ListingRow {
        ListingRow {
            id: article.id.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published,
            excerpt: article.excerpt(EXCERPT_CHARS),
            text: None,
        }
    }

    pub fn order_key(&self) -> OrderKey<'_> {
        (self.published, &self.title, &self.id)
    }
}

/// Rows of one listing shard that a screen may read alone (`Catalog::row_piece`, about 640 bytes each, plus a
/// request's headers) before the whole shard (128 rows, about 17 KB brotli) is the better buy: a search's
/// cards, scattered over the archive, read their rows alone; the plain list, a run of neighbours, reads
/// shards. The viewer and the search package both go by it.
pub const ROWS_ALONE_PER_SHARD: usize = 3;

/// The shards to read whole among those that `wanted` names, one entry per row wanted (a shard named twice
/// has two of its rows wanted): those where more than `ROWS_ALONE_PER_SHARD` rows are wanted. A reader reads
/// every other wanted row alone where its segment lays rows out in slots, and its shard otherwise.
pub fn shards_read_whole<K: Eq + std::hash::Hash>(wanted: impl IntoIterator<Item = K>) -> std::collections::HashSet<K> {
    let mut rows_per_shard: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    wanted.into_iter().for_each(|shard| *rows_per_shard.entry(shard).or_default() += 1);
    rows_per_shard.into_iter().filter(|&(_, rows)| rows > ROWS_ALONE_PER_SHARD).map(|(shard, _)| shard).collect()
}

/// Bytes before a slotted shard's first row: the shard's opening (`{"first":N,"rows":[`, at most 28 bytes)
/// padded with spaces.
pub const ROWS_START: u32 = 32;

/// Slots are whole multiples of this many bytes.
const SLOT_UNIT: usize = 32;

/// A listing shard's bytes, and the slot of its rows (0: none). The bytes are the JSON of `ListingShard`, with
/// each row padded with spaces to the slot (its longest row's length, rounded up to `SLOT_UNIT`, at most
/// `most` bytes) and the rows starting at `ROWS_START`, so row `i` is the range `ROWS_START + i * (slot + 1)`
/// of `slot` bytes (the 1 is the comma), read alone for a search's card: 608 or 640 bytes of real news rather
/// than the shard's 17 KB brotli. The file is still plain JSON (spaces between its tokens) and readers that
/// know no slots read it whole. The padding costs the whole shard 3.7 % brotli (quality 8) on real JawharaFM
/// and 3.6 % on SaudiNewsNet + ANT. A shard with a row longer than `most` is not slotted.
pub fn encode_listing_shard(shard: &ListingShard, most: u32) -> (Vec<u8>, u16) {
    let rows: Vec<Vec<u8>> = shard.rows.iter().map(crate::files::to_json).collect();
    let longest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let slot = longest.div_ceil(SLOT_UNIT) * SLOT_UNIT;
    if rows.is_empty() || slot > (most as usize).min(u16::MAX as usize) {
        return (crate::files::to_json(shard), 0);
    }
    let mut bytes = format!("{{\"first\":{},\"rows\":[", shard.first).into_bytes();
    bytes.resize(ROWS_START as usize, b' ');
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        let end = bytes.len() + slot;
        bytes.extend_from_slice(row);
        bytes.resize(end, b' ');
    }
    bytes.extend_from_slice(b"]}");
    (bytes, slot as u16)
}

/// Where row `index` of a slotted shard lies: offset and length.
pub fn row_slot(index: u32, slot: u32) -> Option<(u32, u32)> {
    let offset = index.checked_mul(slot.checked_add(1)?)?.checked_add(ROWS_START)?;
    Some((offset, slot))
}

/// One row read from its slot. The bytes come from the network: anything but a row's JSON is an error.
pub fn row_of_piece(path: &str, piece: &[u8]) -> Result<ListingRow, super::FormatError> {
    serde_json::from_slice(piece).map_err(|error| super::FormatError::Unreadable { path: path.to_owned(), why: error.to_string() })
}

/// The originals' addresses of consecutive documents of a segment (`null` where the publisher gave none), in
/// their own family so that exporting a result set with its sources reads neither the articles nor larger
/// listing rows: on real JawharaFM, addresses in the listing rows made them 26 % larger for every card shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcesShard {
    /// The segment-local number of the first document.
    pub first: u32,
    pub urls: Vec<Option<String>>,
}

/// What the archive's order compares: date, then title, then id.
pub type OrderKey<'a> = (Option<Date>, &'a str, &'a str);

/// The listing order: newest first, undated last; ties broken by title and id so the order never depends on
/// input order.
pub fn newest_first(a: OrderKey, b: OrderKey) -> Ordering {
    b.0.is_some().cmp(&a.0.is_some()).then(b.0.cmp(&a.0)).then_with(|| a.1.cmp(b.1)).then_with(|| a.2.cmp(b.2))
}

pub fn sort_newest_first(articles: &mut [Article]) {
    articles.sort_by(|a, b| newest_first((a.published, &a.title, &a.id), (b.published, &b.title, &b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, title: &str) -> ListingRow {
        let excerpt = "نص \"مقتبس\" قصير".into();
        ListingRow { id: format!("{n:016x}"), title: title.into(), outlet: Some("هسبريس".into()), published: None, excerpt, text: Some((30 * n as u32, 29)) }
    }

    #[test]
    fn slotted_rows_are_read_alone_from_their_slots_and_the_shard_reads_whole() {
        let shard = ListingShard {
            first: 4096,
            rows: (0..5).map(|n| row(n, &format!("عنوان {n}"))).collect(),
        };
        let (bytes, slot) = encode_listing_shard(&shard, 300);
        let longest = shard.rows.iter().map(|row| crate::files::to_json(row).len()).max().unwrap();
        assert!(slot as usize >= longest && (slot as usize) < longest + 32 && slot % 32 == 0, "{slot} for rows of {longest} bytes at most");
        assert_eq!(serde_json::from_slice::<ListingShard>(&bytes).unwrap(), shard, "the shard is still its JSON");
        for (index, expected) in shard.rows.iter().enumerate() {
            let (offset, len) = row_slot(index as u32, slot.into()).unwrap();
            let piece = &bytes[offset as usize..(offset + len) as usize];
            assert_eq!(&row_of_piece("listing/x.json", piece).unwrap(), expected, "row {index}");
        }
        // A shard of a segment's last rows slots the same way.
        let short = ListingShard { first: 0, rows: vec![row(9, "عنوان")] };
        let (bytes, slot) = encode_listing_shard(&short, 300);
        assert!(slot > 0 && serde_json::from_slice::<ListingShard>(&bytes).unwrap() == short);
        assert_eq!(row_of_piece("p", &bytes[ROWS_START as usize..ROWS_START as usize + slot as usize]).unwrap(), short.rows[0]);
    }

    #[test]
    fn a_row_longer_than_the_slot_leaves_the_shard_unslotted() {
        let shard = ListingShard { first: 0, rows: vec![row(1, "قصير"), row(2, &"طويل ".repeat(100))] };
        let (bytes, slot) = encode_listing_shard(&shard, 300);
        assert_eq!(slot, 0);
        assert_eq!(bytes, crate::files::to_json(&shard));
        assert_eq!(row_slot(u32::MAX, 300), None, "a place past any file is no place");
        assert!(row_of_piece("p", b"   ").is_err() && row_of_piece("p", b"{\"id\":1}").is_err());
    }

    #[test]
    fn a_shard_is_read_whole_only_where_more_rows_than_a_few_are_wanted_from_it() {
        let many = ROWS_ALONE_PER_SHARD + 1;
        let wanted = std::iter::repeat_n("a", many).chain(std::iter::repeat_n("b", ROWS_ALONE_PER_SHARD)).chain(["c"]);
        assert_eq!(shards_read_whole(wanted), std::collections::HashSet::from(["a"]));
        assert!(shards_read_whole(std::iter::empty::<u32>()).is_empty());
    }
}
