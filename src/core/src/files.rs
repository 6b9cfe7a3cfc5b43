//! Content-hashed files: every bundle file but the manifest is named by a hash of its bytes, in a
//! two-hex-digit sub-folder of its family's folder, so hosts can cache it forever, a redeploy uploads only
//! what changed, and no folder holds too many files. Both the bundle's families and the search index's
//! writer name their files this way.

use crate::model::content_hash;
use serde::Serialize;

/// One file of a bundle, with its path relative to the bundle folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A content-hashed file in a two-hex-digit sub-folder of `folder`.
pub fn hashed_file(folder: &str, bytes: Vec<u8>, extension: &str) -> BundleFile {
    let hash = format!("{:016x}", content_hash(&bytes));
    BundleFile { path: format!("{folder}/{}/{hash}.{extension}", &hash[..2]), bytes }
}

pub fn json_file<T: Serialize>(folder: &str, value: &T) -> BundleFile {
    hashed_file(folder, to_json(value), "json")
}

/// JSON as the bundle writes it: compact, raw UTF-8 (serde_json never escapes Arabic).
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("bundle types always serialize")
}
