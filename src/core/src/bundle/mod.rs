//! The bundle: the versioned boundary between the builder and the viewer. Writer and reader share these
//! types, one module per family of files.
//!
//! Format v3 is made of immutable **segments** (as Lucene's): each holds some articles with their own listing
//! rows, article texts, id buckets, outlet column and search index, numbered inside the segment newest first.
//! A small `manifest.json`, the only file that changes in place, names the segments and gives the archive's
//! global order (newest first) as runs of segment documents, so a global document number is a position in
//! the list and a year is a range of them. An update writes a segment for the new articles and, now and then,
//! merges recent segments into a larger one (`plan`); every other file stays byte for byte, so a day's
//! update changes a day's worth of files.

pub mod articles;
pub mod assemble;
pub mod catalog;
pub mod coalesce;
pub mod directory;
pub mod headlines;
pub mod ids;
pub mod layout;
pub mod listing;
pub mod manifest;
pub mod outlets;
pub mod plan;
pub mod related;
pub mod search_index;
pub mod segment;

pub use crate::files::{hashed_file, json_file, to_json, BundleFile};
pub use articles::{article_of_piece, ArticleShard, TextRange};
pub use assemble::assemble;
pub use catalog::{Catalog, FamilyKind, ShardRef, FOLD_CAP, SEARCH_CACHE_BYTES};
pub use coalesce::{coalesce, part_of, Joined, JOIN_GAP};
pub use directory::{DirectoryPage, Family};
pub use headlines::{Headline, HeadlineCollector, HeadlinesFile};
pub use ids::{id_bucket, IdBucket};
pub use listing::{newest_first, row_of_piece, shards_read_whole, sort_newest_first, ListingRow, ListingShard, SourcesShard, EXCERPT_CHARS, ROWS_ALONE_PER_SHARD};
pub use manifest::{read_manifest, Counts, FacetValue, Manifest, ManifestError, MonthRange, Run, SegmentRef, YearRange};
pub use segment::{DayCount, Segment, SegmentWriter};

/// Bumped whenever a reader of the previous version could misread a bundle of this one. Version 4 is version 3
/// with a title flag in every impact byte (`search::rank::impact`), which a version 3 reader would take for
/// a slightly different weight; version 5 writes the search index's root pages in binary instead of JSON
/// (`search_index::encode_root_page`); version 6 writes the outlet column in a few bits a document, packed
/// or coded (`outlets::encode_outlet_block`), which a version 5 reader would take for damaged varints; version 7
/// gives a frequent key's term entry its leaders (`search_index::LeadersRef`), under a flag a version 6 reader
/// would stop at; version 8 lays a positions chunk out in runs of `Sizes::position_run` postings and writes
/// where each run lies after the postings (`search_index::PositionRuns`), which a version 7 reader would
/// read as one run. Adding fields
/// that readers of the same version may go without is not a new version: where each article lies in its
/// shard (`ListingRow::text`, `IdBucket::texts`) came so, as did listing rows in slots (`Family::slots`), and
/// a reader that finds none reads the whole shard as before.
pub const FORMAT_VERSION: u32 = 8;
pub const MANIFEST_FILE: &str = "manifest.json";

/// The bundle's top-level folders, one per family; every file but `manifest.json` lies in one of them, so a
/// host can mark each folder immutable (`cargo xtask finish-site` writes those rules).
pub const SEGMENTS_FOLDER: &str = "segments";
pub const LISTING_FOLDER: &str = "listing";
pub const ARTICLES_FOLDER: &str = "articles";
pub const OUTLETS_FOLDER: &str = "outlets";
pub const IDS_FOLDER: &str = "ids";
pub const SOURCES_FOLDER: &str = "sources";
pub const STORIES_FOLDER: &str = "stories";
pub const RELATED_FOLDER: &str = "related";
pub const HEADLINES_FOLDER: &str = "headlines";
pub const DIRECTORY_FOLDER: &str = "directory";
/// Search files go in sub-folders of this one (`search/terms`, `search/postings`…).
pub const SEARCH_FOLDER: &str = "search";
pub const FOLDERS: [&str; 11] = [
    SEGMENTS_FOLDER,
    LISTING_FOLDER,
    ARTICLES_FOLDER,
    OUTLETS_FOLDER,
    IDS_FOLDER,
    SOURCES_FOLDER,
    STORIES_FOLDER,
    RELATED_FOLDER,
    HEADLINES_FOLDER,
    DIRECTORY_FOLDER,
    SEARCH_FOLDER,
];

/// How the writer cuts files. Readers never use these numbers: every family records its own (`Family`), so
/// tests can write tiny shards and segments to reach, with a few articles, the edges a large archive has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    /// A segment holds a power of two times this many articles, or fewer (the newest, the tail).
    pub segment_unit: u32,
    /// Listing rows per shard: a screen of the list needs one or two shards.
    pub rows_per_shard: u32,
    /// The largest slot of a listing row (`listing::encode_listing_shard`), which lets a search's card read
    /// its row alone. Rows of real news came to 617 bytes at most on JawharaFM, 741 on SaudiNewsNet + ANT and
    /// about 800 on the generated corpus (a 180-character excerpt bounds them, titles aside); a shard with a
    /// longer row is written without slots. 0 writes none.
    pub row_slot: u32,
    /// Articles per content shard: opening one article fetches its shard, never the whole archive.
    pub articles_per_shard: u32,
    /// About this many ids per bucket of the id lookup. An article opened cold from its link reads one bucket
    /// in every segment (an id says nothing of its segment): at 256 a bucket is about 4.7 KB brotli on real
    /// news, and such a link read 21 KB of buckets on JawharaFM (35 KB at 512, 15 KB at 128). Smaller buckets
    /// mean more files named in the descriptors every first search reads (+0.1 KB brotli on JawharaFM at 256,
    /// +0.7 KB at 128), and at 128 a segment of 65,536 articles has more buckets than a descriptor carries the
    /// names of (`directory::INLINE_FILES`), which costs a cold link a round for a directory page.
    pub ids_per_bucket: u32,
    /// Documents per block of a frequent key's postings, and the fewest per block of the outlet column.
    pub doc_block: u32,
    /// The most bytes a block of the outlet column is made larger for (`outlets::encode_outlet_column`): a
    /// segment whose column codes small is read in fewer requests. 0 keeps `doc_block` documents a block.
    pub outlet_block_bytes: u32,
    /// File names per directory page.
    pub directory_page_files: u32,
    /// Documents per file of the originals' addresses (read only to export a result set).
    pub sources_per_file: u32,
    /// Documents per file of story fingerprints (8 bytes each; an article's neighbours in date read one or two).
    pub story_block: u32,
    /// Documents per file of related-article lists (a few bytes each; the article page reads one file).
    pub related_block: u32,
    /// A segment whose root pages come to at most this many bytes carries them in its descriptor as well
    /// (`SearchRoot::inline_pages`), so that a cold query reads the word's term block without asking for a
    /// root page first. The readers hold every descriptor, so this bounds what each segment adds to them.
    pub inline_root_pages: u32,
    /// Leaders per group (in a title or not) of a frequent key's postings (`search_index::LeadersRef`): what
    /// a query of one word that wants its first results reads instead of the key's every posting. 0 writes
    /// none.
    pub leaders: u32,
    /// Postings per run of a positions chunk: a phrase checked on a few documents reads the runs that hold
    /// them (their places are written with the postings), not the chunk of `doc_block` documents.
    pub position_run: u32,
}

impl Sizes {
    pub const DEFAULT: Sizes = Sizes {
        segment_unit: 128,
        rows_per_shard: 128,
        row_slot: 2048,
        articles_per_shard: 256,
        ids_per_bucket: 256,
        doc_block: 8192,
        outlet_block_bytes: 16 * 1024,
        directory_page_files: 256,
        sources_per_file: 1024,
        story_block: 1024,
        related_block: 512,
        inline_root_pages: 64 * 1024,
        leaders: 32,
        position_run: 64,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ranged_request_names_its_file_and_range() {
        let request = ranged("search/postings/ab/ab01.bin", 4096, 300);
        assert_eq!(split_request(&request), ("search/postings/ab/ab01.bin", Some((4096, 300))));
        assert_eq!(split_request("listing/ab/ab.json"), ("listing/ab/ab.json", None));
        assert_eq!(split_request("x#garbage"), ("x", None));
    }

    #[test]
    fn a_web_page_is_told_from_the_files_of_a_bundle() {
        for page in ["text/html", "text/html; charset=utf-8", "TEXT/HTML", " text/html ;charset=UTF-8", "application/xhtml+xml"] {
            assert!(is_web_page(page), "{page}");
        }
        for file in ["application/json", "application/octet-stream", "application/json; charset=utf-8", "text/plain", ""] {
            assert!(!is_web_page(file), "{file}");
        }
    }
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes::DEFAULT
    }
}

/// Why bytes from a bundle could not be used. Bundle bytes come from the network or a disk that may be
/// damaged, so every decoder answers this instead of panicking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// A file that does not parse as what it should be (a JSON file: the parser's words).
    Unreadable { path: String, why: String },
    /// A binary file that does not decode as what it should be.
    Malformed { path: String, error: crate::codec::DecodeError },
    /// Files that parse but contradict each other or themselves (a run past a segment's end, say).
    Inconsistent(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Unreadable { path, why } => write!(f, "{path} is not what the bundle says it is: {why}"),
            FormatError::Malformed { path, error } => write!(f, "{path} is not what the bundle says it is: {error}"),
            FormatError::Inconsistent(why) => write!(f, "the bundle is inconsistent: {why}"),
        }
    }
}

/// A request for `len` bytes at `offset` of the file at `path`, written `path#offset+len`: what the search
/// index asks for when it needs a piece of a pack. Adapters read the range from disk, or fetch it with an
/// HTTP `Range` header.
pub fn ranged(path: &str, offset: u32, len: u32) -> String {
    format!("{path}#{offset}+{len}")
}

/// A request's file and, for a piece of a file, its offset and length.
pub fn split_request(request: &str) -> (&str, Option<(u64, u64)>) {
    let Some((path, range)) = request.split_once('#') else { return (request, None) };
    let range = range.split_once('+').and_then(|(offset, len)| Some((offset.parse().ok()?, len.parse().ok()?)));
    (path, range)
}

/// Whether a host's answer of `content_type` is a web page rather than a file of the bundle: no bundle file is
/// HTML, and hosts answer a missing file with one (a single-page app's fallback, a login page, a captive
/// portal). Taken as the file, a few bytes of it could pass for a small piece of a binary column.
pub fn is_web_page(content_type: &str) -> bool {
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    media_type.eq_ignore_ascii_case("text/html") || media_type.eq_ignore_ascii_case("application/xhtml+xml")
}

/// Parses one JSON file of the bundle.
pub fn parse_json<T: serde::de::DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, FormatError> {
    serde_json::from_slice(bytes).map_err(|error| FormatError::Unreadable { path: path.to_owned(), why: error.to_string() })
}
