//! Search over a bundle: an inverted index from normalized words to listing rows, and the filtering that
//! combines a query with the outlet and year facets. Index and query go through the same normalizer.

use crate::bundle::{facets_of, Facets, ListingRow};
use crate::normalize::normalized_words;
use crate::route::ViewState;
use crate::Article;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Normalized words, sorted, each with the listing rows (positions in newest-first order) that contain it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIndex {
    pub terms: Vec<(String, Vec<u32>)>,
}

impl SearchIndex {
    /// Indexes titles and bodies; `articles` must be in listing order.
    pub fn build(articles: &[Article]) -> SearchIndex {
        let mut postings: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (row, article) in articles.iter().enumerate() {
            let texts = std::iter::once(&article.title).chain(article.blocks.iter().map(|block| &block.text));
            for text in texts {
                for word in normalized_words(text) {
                    postings.entry(word).or_default().insert(row as u32);
                }
            }
        }
        let terms = postings.into_iter().map(|(term, rows)| (term, rows.into_iter().collect())).collect();
        SearchIndex { terms }
    }

    /// Rows containing every word of `query`, the last word also as a prefix since the reader may still be
    /// typing it. `None` when the query has no words, which means "no text filter".
    pub fn matching_rows(&self, query: &str) -> Option<Vec<u32>> {
        let words = normalized_words(query);
        let (last, complete) = words.split_last()?;
        let mut result: Option<Vec<u32>> = None;
        for word in complete {
            let rows = self.exact(word);
            result = Some(match result {
                None => rows.to_vec(),
                Some(so_far) => intersect(&so_far, rows),
            });
        }
        let prefixed = self.with_prefix(last);
        Some(match result {
            None => prefixed,
            Some(so_far) => intersect(&so_far, &prefixed),
        })
    }

    fn exact(&self, word: &str) -> &[u32] {
        match self.terms.binary_search_by(|(term, _)| term.as_str().cmp(word)) {
            Ok(position) => &self.terms[position].1,
            Err(_) => &[],
        }
    }

    fn with_prefix(&self, prefix: &str) -> Vec<u32> {
        let start = self.terms.partition_point(|(term, _)| term.as_str() < prefix);
        let rows: BTreeSet<u32> = self.terms[start..]
            .iter()
            .take_while(|(term, _)| term.starts_with(prefix))
            .flat_map(|(_, rows)| rows.iter().copied())
            .collect();
        rows.into_iter().collect()
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// What the list shows for a view: the rows in order, and facet counts for the current query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListResult {
    pub rows: Vec<usize>,
    pub facets: Facets,
}

/// Applies the query matches and the facet filters of `state` to the listing. Each facet's counts honour the
/// query and the other facet, so a reader sees how many articles a click on a value would leave.
pub fn list_view(rows: &[ListingRow], query_matches: Option<&[u32]>, state: &ViewState) -> ListResult {
    let matches_query = |position: usize| query_matches.is_none_or(|m| m.binary_search(&(position as u32)).is_ok());
    let outlet_ok = |row: &ListingRow| state.outlet.as_ref().is_none_or(|o| row.outlet.as_ref() == Some(o));
    let year_ok = |row: &ListingRow| state.year.is_none_or(|y| row.published.is_some_and(|d| d.year == y));

    let in_query = || rows.iter().enumerate().filter(move |(position, _)| matches_query(*position));
    let outlets = facets_of(in_query().filter(|(_, row)| year_ok(row)).map(|(_, row)| row)).outlets;
    let years = facets_of(in_query().filter(|(_, row)| outlet_ok(row)).map(|(_, row)| row)).years;
    let visible = in_query().filter(|(_, row)| outlet_ok(row) && year_ok(row)).map(|(position, _)| position).collect();
    ListResult { rows: visible, facets: Facets { outlets, years } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Block, BlockKind};

    fn article(title: &str, body: &str) -> Article {
        let blocks = vec![Block { kind: BlockKind::Paragraph, text: body.to_owned() }];
        Article { id: title.to_owned(), title: title.to_owned(), outlet: None, published: None, blocks }
    }

    #[test]
    fn finds_hamza_forms_from_a_query_without_hamza() {
        let index = SearchIndex::build(&[article("أ", "منظمة الأنتربول"), article("ب", "الإنتربول"), article("ج", "لا شيء")]);
        assert_eq!(index.matching_rows("الانتربول"), Some(vec![0, 1]));
    }

    #[test]
    fn ands_words_and_treats_the_last_as_a_prefix() {
        let index = SearchIndex::build(&[article("أ", "مدينة مراكش الحمراء"), article("ب", "مراكز المدينة")]);
        assert_eq!(index.matching_rows("مراك"), Some(vec![0, 1]));
        assert_eq!(index.matching_rows("مراكش مدين"), Some(vec![0]));
        assert_eq!(index.matching_rows("الحمراء مراكز"), Some(vec![]));
        assert_eq!(index.matching_rows("  ، "), None);
    }
}
