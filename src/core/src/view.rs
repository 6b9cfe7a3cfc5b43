//! What a view of the list shows: the documents it lists, in order, and facet counts that follow the query.
//! Years, months and date ranges are ranges of global document numbers, so they cost nothing; outlets come from the segments' outlet
//! columns, fetched block by block.

use crate::bundle::{FacetValue, Manifest, MonthRange};
use crate::route::{Sort, ViewState};

/// An outlet-column file: its segment and its number in the segment's outlet family.
pub type OutletBlock = (usize, u32);

/// The manifest's outlet number of each document given (see `Manifest::outlets`; 0 for none), in the order
/// given, or every outlet-column block still to load (`Catalog::outlets_of_documents`). [`list_view`] asks in
/// ascending order, which lets the catalog read each block's column once for all its documents.
pub type OutletsOf<'a> = dyn Fn(&[u32]) -> Result<Vec<u32>, Vec<OutletBlock>> + 'a;

/// Facet values with how many listed articles have them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub outlets: Vec<FacetValue>,
    pub years: Vec<FacetValue>,
    /// The months of the chosen year (values `1` to `12`), empty without a chosen year.
    pub months: Vec<FacetValue>,
}

/// The documents a view lists, in display order.
#[derive(Clone, Debug, PartialEq)]
pub enum Listed {
    /// Documents `start..end`, newest first: the whole archive or one year of it.
    Range(u32, u32),
    /// Chosen documents: the hits of a query (best first) or the articles of one outlet.
    Picked(Vec<u32>),
    /// Documents `start..end` oldest first: those before `dated_end` (which have a date) from the last back,
    /// then the undated ones.
    Oldest { start: u32, end: u32, dated_end: u32 },
}

impl Listed {
    pub fn len(&self) -> usize {
        match self {
            Listed::Range(start, end) | Listed::Oldest { start, end, .. } => end.saturating_sub(*start) as usize,
            Listed::Picked(docs) => docs.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first `limit` documents of the list, in its order.
    pub fn docs(&self, limit: usize) -> Vec<u32> {
        (0..self.len().min(limit)).filter_map(|n| self.doc_at(n)).collect()
    }

    /// The document shown at position `n` of the list.
    pub fn doc_at(&self, n: usize) -> Option<u32> {
        match self {
            Listed::Range(start, end) => (n < (end - start) as usize).then(|| start + n as u32),
            Listed::Picked(docs) => docs.get(n).copied(),
            &Listed::Oldest { start, end, dated_end } => {
                let n = u32::try_from(n).ok().filter(|&n| n < end.saturating_sub(start))?;
                let split = dated_end.clamp(start, end);
                let dated = split - start;
                Some(if n < dated { split - 1 - n } else { split + (n - dated) })
            }
        }
    }

    /// The same documents in `sort`'s order. Document numbers run newest first, with the undated last
    /// (`dated_end` is the first undated number), so the date orders need no article data.
    fn ordered(self, sort: Sort, dated_end: u32) -> Listed {
        match (sort, self) {
            (Sort::Relevance, listed) => listed,
            (Sort::Newest, Listed::Picked(mut docs)) => {
                docs.sort_unstable();
                Listed::Picked(docs)
            }
            (Sort::Newest, Listed::Oldest { start, end, .. }) => Listed::Range(start, end),
            (Sort::Newest, listed) => listed,
            (Sort::Oldest, Listed::Picked(mut docs)) => {
                docs.sort_unstable_by_key(|&doc| if doc < dated_end { (0, u32::MAX - doc) } else { (1, doc) });
                Listed::Picked(docs)
            }
            (Sort::Oldest, Listed::Range(start, end)) => Listed::Oldest { start, end, dated_end },
            (Sort::Oldest, listed) => listed,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListResult {
    pub listed: Listed,
    pub facets: Facets,
    /// Outlet-column blocks still missing for the outlet counts (then `facets.outlets` is empty). The list
    /// does not wait for them: a frequent word's hits show at once, its outlet counts a moment later.
    pub pending: Vec<OutletBlock>,
}

/// What the list shows for `state`, given the documents a query matched (best first; `None` without a query)
/// and, when the state has a date range, the documents it spans (`Catalog::date_span`). Years, months and
/// date ranges are ranges of document numbers, so they cost nothing; outlets come from the outlet column, and
/// `outlets_of` gives documents' outlet numbers or the column blocks to load first.
/// When an outlet is chosen the list needs those blocks, and the answer is `Err` with the blocks to load;
/// otherwise the list comes at once and only the outlet counts wait (`ListResult::pending`). Each facet's
/// counts honour the query and the other filters, so a reader sees how many articles a click would leave.
pub fn list_view(
    manifest: &Manifest,
    hits: Option<&[u32]>,
    state: &ViewState,
    dates: Option<(u32, u32)>,
    outlets_of: &OutletsOf,
) -> Result<ListResult, Vec<OutletBlock>> {
    let dated_end = manifest.years.iter().map(|range| range.first + range.count).max().unwrap_or(0);
    let mut result = unordered_list_view(manifest, hits, state, dates, outlets_of)?;
    // Hits come best first and a list without hits newest first: with no choice made, each keeps its own.
    let sort = state.sort.unwrap_or(if hits.is_some() { Sort::Relevance } else { Sort::Newest });
    result.listed = result.listed.ordered(sort, dated_end);
    Ok(result)
}

/// A range of document numbers, `start..end`.
type Span = (u32, u32);

/// The documents in both spans; `None` is no restriction.
fn both(a: Option<Span>, b: Option<Span>) -> Option<Span> {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some((a_start, a_end)), Some((b_start, b_end))) => {
            let start = a_start.max(b_start);
            Some((start, a_end.min(b_end).max(start)))
        }
    }
}

fn within(span: Option<Span>, doc: u32) -> bool {
    span.is_none_or(|(start, end)| (start..end).contains(&doc))
}

/// How many documents of `span` fall in `scope`.
fn overlap(span: Span, scope: Option<Span>) -> u32 {
    let (start, end) = both(Some(span), scope).unwrap_or(span);
    end - start
}

/// `list_view` before the reader's order: hits best first, other lists newest first.
fn unordered_list_view(
    manifest: &Manifest,
    hits: Option<&[u32]>,
    state: &ViewState,
    dates: Option<Span>,
    outlets_of: &OutletsOf,
) -> Result<ListResult, Vec<OutletBlock>> {
    let total = manifest.counts.articles;
    let year_span = state.year.map(|year| {
        manifest.years.iter().find(|range| range.year == year).map_or((0, 0), |range| (range.first, range.first + range.count))
    });
    let month_span = state.year.zip(state.month).map(|(year, month)| manifest.month_range(year, month));
    // What the list holds, and what each facet's counts honour besides the query and the outlet: the years
    // every filter but the year and month, the months every filter but the month.
    let listed_span = both(both(year_span, month_span), dates);
    let years_scope = dates;
    let months_scope = both(year_span, dates);
    let year_months: Vec<(usize, &MonthRange)> = match state.year {
        Some(year) => manifest.months.iter().enumerate().filter(|(_, range)| range.year() == year).collect(),
        None => Vec::new(),
    };
    let wanted_outlet = state.outlet.as_ref().map(|name| {
        // An outlet the archive lacks matches nothing (number 0 is "no outlet", never asked for).
        manifest.outlets.iter().position(|o| &o.value == name).map_or(u32::MAX, |p| p as u32 + 1)
    });

    // The documents before any facet: the hits, or every document.
    let candidates: Option<Vec<u32>> = hits.map(|hits| hits.iter().copied().filter(|&doc| doc < total).collect());

    let year_facets = |counts: &[u32]| -> Vec<FacetValue> {
        manifest
            .years
            .iter()
            .zip(counts)
            .filter(|(_, &count)| count > 0)
            .map(|(range, &count)| FacetValue { value: range.year.to_string(), count })
            .collect()
    };
    let month_facets = |counts: &[u32]| -> Vec<FacetValue> {
        year_months
            .iter()
            .filter_map(|&(slot, range)| counts.get(slot).filter(|&&count| count > 0).map(|&count| FacetValue { value: range.month_of_year().to_string(), count }))
            .collect()
    };
    // Years and months are sorted newest first, each a range: find the one holding `doc`. Documents mostly
    // come in ascending order, so the range the last one fell in is tried before searching.
    let year_slot = slot_finder(manifest.years.iter().map(|range| (range.first, range.count)).collect());
    let month_slot = slot_finder(manifest.months.iter().map(|range| (range.first, range.count)).collect());

    // Without a query or an outlet, the list and the year and month counts are ranges.
    if candidates.is_none() && wanted_outlet.is_none() {
        let year_counts: Vec<u32> = manifest.years.iter().map(|range| overlap((range.first, range.first + range.count), years_scope)).collect();
        let month_counts: Vec<u32> = manifest.months.iter().map(|range| overlap((range.first, range.first + range.count), months_scope)).collect();
        let (start, end) = listed_span.unwrap_or((0, total));
        let mut facets = Facets { outlets: manifest.outlets.clone(), years: year_facets(&year_counts), months: month_facets(&month_counts) };
        let mut pending = Vec::new();
        if listed_span.is_some() {
            // The outlet counts of a part of the archive need its outlet column.
            match outlets_of(&(start..end).collect::<Vec<u32>>()) {
                Ok(outlets) => {
                    let mut counts = vec![0u32; manifest.outlets.len() + 1];
                    for outlet in outlets {
                        if let Some(count) = counts.get_mut(outlet as usize) {
                            *count += 1;
                        }
                    }
                    facets.outlets = outlet_facets(manifest, &counts);
                }
                Err(missing) => {
                    facets.outlets = Vec::new();
                    pending = missing;
                }
            }
        }
        return Ok(ListResult { listed: Listed::Range(start, end), facets, pending });
    }

    // Every document whose outlet matters, in ascending order: the candidates, or every document the year
    // counts may count.
    let scope: Vec<u32> = match &candidates {
        Some(docs) => ascending(docs, total),
        None => {
            let (start, end) = years_scope.unwrap_or((0, total));
            (start..end).collect()
        }
    };
    let outlets = outlets_of(&scope);
    let mut year_counts = vec![0u32; manifest.years.len()];
    let mut month_counts = vec![0u32; manifest.months.len()];
    let mut count_dates = |doc: u32| {
        if within(years_scope, doc) {
            if let Some(slot) = year_slot(doc) {
                year_counts[slot] += 1;
            }
        }
        if state.year.is_some() && within(months_scope, doc) {
            if let Some(slot) = month_slot(doc) {
                month_counts[slot] += 1;
            }
        }
    };
    let outlets = match outlets {
        Ok(outlets) => outlets,
        Err(missing) if wanted_outlet.is_some() => return Err(missing),
        Err(missing) => {
            // No outlet chosen, so there are candidates: the list and the date counts stand without the column.
            let docs = candidates.unwrap_or_default();
            docs.iter().for_each(|&doc| count_dates(doc));
            let listed = Listed::Picked(docs.into_iter().filter(|&doc| within(listed_span, doc)).collect());
            let facets = Facets { outlets: Vec::new(), years: year_facets(&year_counts), months: month_facets(&month_counts) };
            return Ok(ListResult { listed, facets, pending: missing });
        }
    };

    let outlet_ok = |outlet: u32| wanted_outlet.is_none_or(|wanted| wanted == outlet);
    let mut outlet_counts = vec![0u32; manifest.outlets.len() + 1];
    // Counting needs no order; the list keeps the candidates' (best first), so with an outlet chosen the
    // documents it leaves are marked and the candidates filtered in their own order.
    let mut chosen = wanted_outlet.map(|_| vec![0u64; (total as usize).div_ceil(64)]);
    let mut listed = Vec::new();
    for (&doc, &outlet) in scope.iter().zip(&outlets) {
        // An outlet number from the network past the manifest's list counts as none.
        if within(listed_span, doc) {
            if let Some(count) = outlet_counts.get_mut(outlet as usize) {
                *count += 1;
            }
        }
        if outlet_ok(outlet) {
            count_dates(doc);
            match (&mut chosen, &candidates) {
                (Some(marks), Some(_)) => marks[doc as usize / 64] |= 1 << (doc % 64),
                (_, None) if within(listed_span, doc) => listed.push(doc),
                _ => {}
            }
        }
    }
    if let Some(docs) = candidates {
        let kept = |doc: u32| chosen.as_ref().is_none_or(|marks| marks[doc as usize / 64] & (1 << (doc % 64)) != 0);
        listed = docs.into_iter().filter(|&doc| within(listed_span, doc) && kept(doc)).collect();
    }
    let facets = Facets { outlets: outlet_facets(manifest, &outlet_counts), years: year_facets(&year_counts), months: month_facets(&month_counts) };
    Ok(ListResult { listed: Listed::Picked(listed), facets, pending: Vec::new() })
}

/// Which of `ranges` (`(first, count)`, in ascending order, not overlapping) holds a document: the slot the
/// last document fell in is tried first, so documents asked in ascending order cost a comparison each.
fn slot_finder(ranges: Vec<(u32, u32)>) -> impl Fn(u32) -> Option<usize> {
    let last = std::cell::Cell::new(0usize);
    move |doc| {
        let holds = |slot: usize| ranges.get(slot).is_some_and(|&(first, count)| doc >= first && doc - first < count);
        if holds(last.get()) {
            return Some(last.get());
        }
        let slot = ranges.partition_point(|&(first, count)| first.saturating_add(count) <= doc);
        holds(slot).then(|| {
            last.set(slot);
            slot
        })
    }
}

/// The documents of `docs` below `total`, each once, in ascending order: marked in a bitmap of the archive and
/// read back, linear in both (a frequent word's hits at a million articles would take a comparison sort
/// tens of milliseconds).
fn ascending(docs: &[u32], total: u32) -> Vec<u32> {
    let mut marks = vec![0u64; (total as usize).div_ceil(64)];
    for &doc in docs.iter().filter(|&&doc| doc < total) {
        marks[doc as usize / 64] |= 1 << (doc % 64);
    }
    let mut sorted = Vec::with_capacity(docs.len());
    for (word, &bits) in marks.iter().enumerate() {
        let mut bits = bits;
        while bits != 0 {
            sorted.push(word as u32 * 64 + bits.trailing_zeros());
            bits &= bits - 1;
        }
    }
    sorted
}

/// The outlets with their counts (`counts[n]` for the manifest's outlet number `n`), most articles first.
fn outlet_facets(manifest: &Manifest, counts: &[u32]) -> Vec<FacetValue> {
    let mut outlets: Vec<FacetValue> = manifest
        .outlets
        .iter()
        .zip(counts.get(1..).unwrap_or_default())
        .filter(|(_, &count)| count > 0)
        .map(|(value, &count)| FacetValue { value: value.value.clone(), count })
        .collect();
    outlets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    outlets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{assemble, read_manifest, MANIFEST_FILE};
    use crate::{Article, Date};

    fn manifest() -> Manifest {
        // Four articles: two in 2025 (outlets A, B), two in 2024 (A, A).
        let article = |title: &str, outlet: &str, year: u16| Article::for_test(title, outlet, Date::new(year, 1, 1).ok());
        let files = assemble(vec![article("1", "A", 2025), article("2", "B", 2025), article("3", "A", 2024), article("4", "A", 2024)], Vec::new(), "t");
        read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap()
    }

    /// Five articles: four dated (2025, 2025, 2024, 2024) and one with no date, which numbers last.
    fn manifest_with_an_undated_article() -> Manifest {
        let article = |title: &str, published: Option<Date>| Article::for_test(title, "A", published);
        let dated = |title: &str, year: u16, month: u8| article(title, Date::new(year, month, 1).ok());
        let articles = vec![dated("1", 2025, 5), dated("2", 2025, 1), dated("3", 2024, 7), dated("4", 2024, 2), article("5", None)];
        let files = assemble(articles, Vec::new(), "t");
        read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap()
    }

    fn order(manifest: &Manifest, hits: Option<&[u32]>, state: &ViewState) -> Vec<u32> {
        let listed = list_view(manifest, hits, state, None, &|docs| Ok(vec![1; docs.len()])).unwrap().listed;
        (0..listed.len()).map(|n| listed.doc_at(n).unwrap()).collect()
    }

    #[test]
    fn the_date_orders_keep_undated_articles_last_and_relevance_keeps_the_hits_order() {
        let manifest = manifest_with_an_undated_article();
        let state = |query: &str, sort: Option<Sort>, year: Option<u16>| ViewState { query: query.into(), sort, year, ..ViewState::default() };
        assert_eq!(order(&manifest, None, &state("", None, None)), [0, 1, 2, 3, 4]);
        assert_eq!(order(&manifest, None, &state("", Some(Sort::Oldest), None)), [3, 2, 1, 0, 4]);
        assert_eq!(order(&manifest, None, &state("", Some(Sort::Oldest), Some(2025))), [1, 0]);
        assert_eq!(order(&manifest, None, &state("", Some(Sort::Relevance), None)), [0, 1, 2, 3, 4], "no query, no relevance");
        let hits = [4, 2, 0];
        assert_eq!(order(&manifest, Some(&hits), &state("نص", None, None)), [4, 2, 0]);
        assert_eq!(order(&manifest, Some(&hits), &state("نص", Some(Sort::Newest), None)), [0, 2, 4]);
        assert_eq!(order(&manifest, Some(&hits), &state("نص", Some(Sort::Oldest), None)), [2, 0, 4]);
        assert_eq!(order(&manifest, Some(&hits), &state("نص", Some(Sort::Oldest), Some(2024))), [2]);
        // Oldest first over a range reads any position without building the list.
        let oldest = Listed::Oldest { start: 0, end: 5, dated_end: 4 };
        assert_eq!((oldest.len(), oldest.doc_at(4), oldest.doc_at(5)), (5, Some(4), None));
    }

    fn hits(docs: &[u32]) -> Vec<u32> {
        docs.to_vec()
    }

    const OUTLETS: [u32; 4] = [1, 2, 1, 1]; // A is the most frequent outlet, so number 1.

    #[test]
    fn a_month_of_the_chosen_year_and_a_date_range_are_ranges_and_the_counts_follow_them() {
        let manifest = manifest_with_an_undated_article();
        // Documents 0..4 are dated 2025-05-01, 2025-01-01, 2024-07-01, 2024-02-01; 4 is undated.
        let months: Vec<(u32, u32, u32)> = manifest.months.iter().map(|m| (m.month, m.first, m.count)).collect();
        assert_eq!(months, [(202505, 0, 1), (202501, 1, 1), (202407, 2, 1), (202402, 3, 1)]);
        let state = |year: Option<u16>, month: Option<u8>| ViewState { year, month, ..ViewState::default() };
        let facets = |list: &ListResult, pick: fn(&Facets) -> &Vec<FacetValue>| pick(&list.facets).iter().map(|v| (v.value.clone(), v.count)).collect::<Vec<_>>();
        let year = list_view(&manifest, None, &state(Some(2024), None), None, &|docs| Ok(vec![1; docs.len()])).unwrap();
        assert_eq!(year.listed, Listed::Range(2, 4));
        assert_eq!(facets(&year, |f| &f.months), [("7".to_owned(), 1), ("2".to_owned(), 1)]);
        assert_eq!(facets(&year, |f| &f.years), [("2025".to_owned(), 2), ("2024".to_owned(), 2)], "the other years stay to switch to");
        let month = list_view(&manifest, None, &state(Some(2024), Some(2)), None, &|docs| Ok(vec![1; docs.len()])).unwrap();
        assert_eq!(month.listed, Listed::Range(3, 4));
        assert_eq!(facets(&month, |f| &f.months).len(), 2, "the other months of the year stay to switch to");
        assert_eq!(order(&manifest, None, &state(Some(2024), Some(3))), Vec::<u32>::new());

        // A date range the catalog resolved to documents 1..3 (2025-01-01 .. 2024-07-01): the years count
        // inside it, the undated article is out.
        let dated = list_view(&manifest, None, &ViewState::default(), Some((1, 3)), &|docs| Ok(vec![1; docs.len()])).unwrap();
        assert_eq!(dated.listed, Listed::Range(1, 3));
        assert_eq!(facets(&dated, |f| &f.years), [("2025".to_owned(), 1), ("2024".to_owned(), 1)]);
        let with_hits = list_view(&manifest, Some(&[4, 2, 0, 1]), &ViewState { query: "x".into(), ..ViewState::default() }, Some((1, 3)), &|docs| Ok(vec![1; docs.len()])).unwrap();
        assert_eq!(with_hits.listed, Listed::Picked(vec![2, 1]));
        let oldest = ViewState { sort: Some(Sort::Oldest), ..ViewState::default() };
        let listed = list_view(&manifest, None, &oldest, Some((1, 3)), &|docs| Ok(vec![1; docs.len()])).unwrap().listed;
        assert_eq!((0..listed.len()).map(|n| listed.doc_at(n).unwrap()).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn an_outlet_number_past_the_manifests_list_counts_as_none() {
        let manifest = manifest();
        let list = list_view(&manifest, Some(&hits(&[0, 1])), &ViewState::default(), None, &|docs| Ok(vec![99; docs.len()])).unwrap();
        assert_eq!(list.listed, Listed::Picked(vec![0, 1]));
        assert!(list.facets.outlets.is_empty());
    }

    #[test]
    fn without_a_query_or_facet_the_whole_archive_is_one_range() {
        let manifest = manifest();
        let list = list_view(&manifest, None, &ViewState::default(), None, &|docs| Err(docs.iter().map(|&doc| (0, doc)).collect())).unwrap();
        assert_eq!(list.listed, Listed::Range(0, 4));
        assert_eq!(list.facets.outlets.iter().map(|o| (o.value.as_str(), o.count)).collect::<Vec<_>>(), [("A", 3), ("B", 1)]);
    }

    #[test]
    fn a_query_lists_at_once_and_outlet_counts_wait_for_the_column() {
        let manifest = manifest();
        let found = hits(&[3, 1, 0]);
        let list = list_view(&manifest, Some(&found), &ViewState::default(), None, &|_| Err(vec![(0, 0)])).unwrap();
        assert_eq!(list.listed, Listed::Picked(vec![3, 1, 0]));
        assert_eq!(list.pending, [(0, 0)]);
        assert_eq!(list.facets.years.iter().map(|y| (y.value.as_str(), y.count)).collect::<Vec<_>>(), [("2025", 2), ("2024", 1)]);
        let loaded = list_view(&manifest, Some(&found), &ViewState::default(), None, &|docs| Ok(docs.iter().map(|&doc| OUTLETS[doc as usize]).collect())).unwrap();
        assert!(loaded.pending.is_empty());
        assert_eq!(loaded.facets.outlets.iter().map(|o| (o.value.as_str(), o.count)).collect::<Vec<_>>(), [("A", 2), ("B", 1)]);
    }

    #[test]
    fn an_outlet_filter_keeps_the_hits_best_first_and_asks_the_outlets_in_ascending_order() {
        let manifest = manifest();
        let asked = std::cell::RefCell::new(Vec::new());
        let outlets_of = |docs: &[u32]| -> Result<Vec<u32>, Vec<OutletBlock>> {
            asked.borrow_mut().push(docs.to_vec());
            Ok(docs.iter().map(|&doc| OUTLETS[doc as usize]).collect())
        };
        let state = ViewState { query: "x".into(), outlet: Some("A".into()), ..ViewState::default() };
        let list = list_view(&manifest, Some(&hits(&[3, 1, 0, 2])), &state, None, &outlets_of).unwrap();
        assert_eq!(list.listed, Listed::Picked(vec![3, 0, 2]));
        assert_eq!(asked.into_inner(), [vec![0, 1, 2, 3]]);
        // Outlets count every hit; years count outlet A's.
        assert_eq!(list.facets.outlets.iter().map(|o| (o.value.as_str(), o.count)).collect::<Vec<_>>(), [("A", 3), ("B", 1)]);
        assert_eq!(list.facets.years.iter().map(|y| (y.value.as_str(), y.count)).collect::<Vec<_>>(), [("2025", 1), ("2024", 2)]);
    }

    #[test]
    fn an_outlet_filter_needs_the_column_and_counts_follow_the_other_facet() {
        let manifest = manifest();
        let state = ViewState { outlet: Some("A".into()), year: Some(2025), ..ViewState::default() };
        assert_eq!(list_view(&manifest, None, &state, None, &|_| Err(vec![(0, 0)])), Err(vec![(0, 0)]));
        let list = list_view(&manifest, None, &state, None, &|docs| Ok(docs.iter().map(|&doc| OUTLETS[doc as usize]).collect())).unwrap();
        assert_eq!(list.listed, Listed::Picked(vec![0]));
        // Years count outlet A's articles; outlets count 2025's articles.
        assert_eq!(list.facets.years.iter().map(|y| (y.value.as_str(), y.count)).collect::<Vec<_>>(), [("2025", 1), ("2024", 2)]);
        assert_eq!(list.facets.outlets.iter().map(|o| (o.value.as_str(), o.count)).collect::<Vec<_>>(), [("A", 1), ("B", 1)]);
    }
}
