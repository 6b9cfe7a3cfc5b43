//! Article shards: the full texts, a shard of consecutive documents of one segment per file, fetched when a
//! reader opens one of them.

use crate::Article;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleShard {
    /// The segment-local number of the first article.
    pub first: u32,
    pub articles: Vec<Article>,
}
