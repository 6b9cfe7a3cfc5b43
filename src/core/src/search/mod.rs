//! Search over a bundle. One normalizer and one stemmer serve the index and the query; the same rules mark
//! the matches in the original text.

pub mod highlight;
pub mod index;
pub mod query;
pub mod rank;

pub use highlight::{plain, Highlighter, Segment};
pub use index::{FieldIndex, Posting, SearchIndex};
pub use query::Query;
pub use rank::Hit;

use crate::bundle::{facets_of, Facets, ListingRow};
use crate::route::ViewState;

/// What the list shows for a view: listing rows in display order, and facet counts for the current query.
#[derive(Clone, Debug, PartialEq)]
pub struct ListResult {
    pub rows: Vec<usize>,
    /// The score of each row in `rows`, when a query ranked them.
    pub scores: Vec<f32>,
    pub facets: Facets,
}

/// Applies the query's hits (best first; `None` when there is no query) and the facet filters of `state` to
/// the listing. Each facet's counts honour the query and the other facet, so a reader sees how many articles
/// a click on a value would leave.
pub fn list_view(rows: &[ListingRow], hits: Option<&[Hit]>, state: &ViewState) -> ListResult {
    let candidates: Vec<(usize, f32)> = match hits {
        Some(hits) => hits.iter().map(|hit| (hit.doc as usize, hit.score)).filter(|&(row, _)| row < rows.len()).collect(),
        None => (0..rows.len()).map(|row| (row, 0.0)).collect(),
    };
    let outlet_ok = |row: &ListingRow| state.outlet.as_ref().is_none_or(|o| row.outlet.as_ref() == Some(o));
    let year_ok = |row: &ListingRow| state.year.is_none_or(|y| row.published.is_some_and(|d| d.year == y));

    let outlets = facets_of(candidates.iter().map(|&(r, _)| &rows[r]).filter(|row| year_ok(row))).outlets;
    let years = facets_of(candidates.iter().map(|&(r, _)| &rows[r]).filter(|row| outlet_ok(row))).years;
    let (visible, scores) = candidates.into_iter().filter(|&(r, _)| outlet_ok(&rows[r]) && year_ok(&rows[r])).unzip();
    ListResult { rows: visible, scores, facets: Facets { outlets, years } }
}
