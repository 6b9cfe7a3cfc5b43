//! Listing rows: what the list shows of each article (title, outlet, date, opening lines), in shards of
//! consecutive documents of one segment; and the archive's order, newest first.

use super::articles::TextRuns;
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
    /// Where each row's article lies in its article shard, so that opening it from its card reads that range
    /// rather than the shard. Empty in bundles written before: a reader then reads the whole shard.
    #[serde(default, skip_serializing_if = "TextRuns::is_empty")]
    pub texts: TextRuns,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRow {
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub excerpt: String,
}

impl ListingRow {
    pub fn of(article: &Article) -> ListingRow {
        ListingRow {
            id: article.id.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published,
            excerpt: article.excerpt(EXCERPT_CHARS),
        }
    }

    pub fn order_key(&self) -> OrderKey<'_> {
        (self.published, &self.title, &self.id)
    }
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
