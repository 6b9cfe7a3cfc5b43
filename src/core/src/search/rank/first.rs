//! The first results of a query, read before the rest: from a frequent word's leaders rather than its every
//! posting, and for a phrase or an exclusion, checked only on the best candidates.
//!
//! A word matches a document through the best of its keys, and a frequent key stores, beside its postings,
//! its leaders: its best postings in titles and elsewhere, and for the postings left out the highest impact
//! they reach ([`Leaders`], [`RestBound`]). From the leaders alone every document they name has a score at
//! least as high as what they say (a lower bound) and at most what the left-out postings could add to it (an
//! upper bound), and a document no leader names scores at most what the left-out postings reach. When the
//! first `limit` documents by lower bound cannot be overtaken by any other, and their own scores are exact,
//! they are the first results of the whole search, in its order. A document whose place stays open has its
//! keys' postings read around it (the chunk that holds it), for a few rounds; past those, or for a query of
//! several words, the whole search runs.
//!
//! A phrase or an excluded word only removes documents, never changes a score: so the candidates the words
//! leave are scored and ordered first, and checked best first, a batch at a time, until `limit` pass. Only the
//! positions around the first candidates are read, where the whole search reads every candidate's.

use super::{best_first_from_document_order, dedup, idf, keep_checked, match_words, merge, read_impact, resolve, search, word_score, Hit, KeyKind, KeyPostings, Leaders, Match, Missing, RestBound, TermSource, WordKeys};
use crate::search::query::Query;
use std::cmp::Ordering;

/// Rounds of reading postings around the documents whose place the leaders leave open, before the whole
/// search runs instead.
const SETTLING_ROUNDS: usize = 3;
/// Rounds of checking a phrase or an exclusion on batches of the best candidates, the last taking every
/// candidate left.
const CHECKED_ROUNDS: usize = 3;
/// Documents settled at most, per result wanted: past this, reading around each costs about what reading
/// every posting does.
const SETTLED_PER_RESULT: usize = 4;

/// The first `limit` hits of [`search`], in its order, with its scores. `Err` names the parts of a sharded
/// index to load before asking again.
pub fn search_first<S: TermSource + ?Sized>(source: &S, query: &Query, limit: usize) -> Result<Vec<Hit>, Missing> {
    if let Some((hits, _)) = checked_first(source, query, limit)? {
        return Ok(hits);
    }
    let settled = match one_word(source, query, limit)? {
        Some(word) => from_leaders(source, &word, limit)?,
        None => None,
    };
    match settled {
        Some(hits) => Ok(hits),
        None => search(source, query).map(|mut hits| {
            hits.truncate(limit);
            hits
        }),
    }
}

/// A query's first hits told before the rest are read, with a lower bound on how many there are.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstHits {
    /// The first hits of [`search`], in its order, with its scores.
    pub hits: Vec<Hit>,
    /// How many hits the whole search has at least. For one word, the most documents any one of its keys is
    /// held by (each of them is a hit), summed over the segments by the dictionary, so no posting is read for
    /// it; for a phrase, the hits found among the candidates checked.
    pub at_least: u32,
}

/// [`search_first`]'s answer when it can be told before the whole search, and spares at least `least_saved`
/// bytes that the whole search would read: a frequent word's postings its leaders stand for, or a phrase's
/// positions. A reader that will want every hit anyway (to count them) can show these first, sooner, and one
/// that may never scroll past them can leave the rest unread. `None` otherwise: then only the whole search
/// tells, or it reads too little more to be worth an answer of its own, which the dictionary tells before
/// any leader or position is read.
pub fn early_first_hits<S: TermSource + ?Sized>(source: &S, query: &Query, limit: usize, least_saved: u64) -> Result<Option<FirstHits>, Missing> {
    if limit == 0 {
        return Ok(None);
    }
    if !query.phrases.is_empty() && query.excluded.is_empty() {
        let stood_for = summed(query.phrases.iter().flatten(), |word| source.positions_stand_for(word))?;
        if stood_for < least_saved.max(1) {
            return Ok(None);
        }
        return Ok(checked_first(source, query, limit)?.map(|(hits, at_least)| FirstHits { hits, at_least }));
    }
    let Some(word) = one_word(source, query, limit)? else { return Ok(None) };
    let stood_for = summed(&word.keys, |(kind, term, _, _)| source.leaders_stand_for(*kind, term))?;
    if stood_for < least_saved.max(1) {
        return Ok(None);
    }
    Ok(from_leaders(source, &word, limit)?.map(|hits| FirstHits { hits, at_least: word.document_frequency }))
}

/// The bytes each item stands for, summed; every piece of the index they need is asked for at once.
fn summed<T>(items: impl IntoIterator<Item = T>, stands_for: impl Fn(T) -> Result<u64, Missing>) -> Result<u64, Missing> {
    let mut total = 0u64;
    let mut missing = Missing::new();
    for item in items {
        match stands_for(item) {
            Ok(bytes) => total = total.saturating_add(bytes),
            Err(more) => missing.extend(more),
        }
    }
    if missing.is_empty() { Ok(total) } else { Err(dedup(missing)) }
}

/// What the leaders must stand for before a viewer shows the first results on their own, ahead of the whole
/// search: answering them first costs the whole list a round trip, which saves time only where the postings
/// still to read take longer than that to arrive. 32 KB is what a slow phone link (1.6 Mbit/s, Lighthouse's
/// slow 4G) carries in its 150 ms round trip.
pub const EARLY_ANSWER_LEAST_SAVED: u64 = 32 * 1024;

/// The keys of the query's one word, when it is a query that leaders can answer: one word, no phrase, no
/// exclusion, and some results wanted.
fn one_word<S: TermSource + ?Sized>(source: &S, query: &Query, limit: usize) -> Result<Option<WordKeys>, Missing> {
    let required = query.required_words();
    if limit == 0 || required.len() != 1 || !query.phrases.is_empty() || !query.excluded.is_empty() {
        return Ok(None);
    }
    let (word, prefix) = required[0];
    resolve(source, word, prefix, true).map(Some).map_err(dedup)
}

/// The first `limit` hits of a query with phrases or exclusions, and how many hits were found on the way (a
/// lower bound on the whole search's count): the candidates are scored and ordered first, and checked best
/// first, a batch at a time, so only the positions and postings around the first ones are read. `None` for a
/// query with neither, which this would answer no sooner than [`search`].
fn checked_first<S: TermSource + ?Sized>(source: &S, query: &Query, limit: usize) -> Result<Option<(Vec<Hit>, u32)>, Missing> {
    if query.phrases.is_empty() && query.excluded.is_empty() {
        return Ok(None);
    }
    let Some(matched) = match_words(source, query)? else { return Ok(Some((Vec::new(), 0))) };
    let ordered = best_first_from_document_order(matched.scored());
    let mut found: Vec<Hit> = Vec::new();
    let mut checked = 0;
    // Most candidates of a phrase usually hold it, so the first batch is twice the results wanted, the next
    // eight times larger; a phrase so rare among its words' documents that neither fills the first places
    // has every candidate left checked in the third round, as the whole search would, so it costs at most two
    // rounds more than that.
    let mut batch = limit.max(1).saturating_mul(2);
    for round in 0.. {
        if found.len() >= limit || checked >= ordered.len() {
            break;
        }
        let end = if round < CHECKED_ROUNDS - 1 { checked.saturating_add(batch).min(ordered.len()) } else { ordered.len() };
        let mut docs: Vec<u32> = ordered[checked..end].iter().map(|hit| hit.doc).collect();
        docs.sort_unstable();
        let kept = keep_checked(source, query, &matched.excluded, docs)?;
        found.extend(ordered[checked..end].iter().filter(|hit| kept.binary_search(&hit.doc).is_ok()));
        checked = end;
        batch = batch.saturating_mul(8);
    }
    let count = found.len() as u32;
    found.truncate(limit);
    Ok(Some((found, count)))
}

/// A key's leaders, with what a match through the key is worth.
struct KeyLeaders<'a> {
    kind: KeyKind,
    term: &'a str,
    weight: f32,
    by_surface: bool,
    leaders: Leaders,
}

impl KeyLeaders<'_> {
    fn as_postings(&self, postings: Vec<(u32, u8)>) -> KeyPostings {
        KeyPostings { postings, weight: self.weight, by_surface: self.by_surface }
    }

    fn is_leader(&self, doc: u32) -> bool {
        self.leaders.postings.binary_search_by_key(&doc, |&(leader, _)| leader).is_ok()
    }

    /// The best match a posting this key's leaders leave out could give `doc`, if any could.
    fn left_out_for(&self, doc: u32) -> Option<Match> {
        self.leaders.rests.iter().filter_map(|rest| rest.bound_for(doc)).map(|byte| self.match_of(doc, byte)).reduce(best_of)
    }

    fn match_of(&self, doc: u32, byte: u8) -> Match {
        let (level, in_title) = read_impact(byte);
        Match { doc, weight: self.weight * level, by_surface: self.by_surface, in_title }
    }
}

/// The larger weight and either's flags: what a word's match is, from several keys' (see `merge`).
fn best_of(a: Match, b: Match) -> Match {
    Match { doc: a.doc, weight: a.weight.max(b.weight), by_surface: a.by_surface || b.by_surface, in_title: a.in_title || b.in_title }
}

/// The first `limit` hits of the one word `word`, or `None` when the leaders cannot settle them.
fn from_leaders<S: TermSource + ?Sized>(source: &S, word: &WordKeys, limit: usize) -> Result<Option<Vec<Hit>>, Missing> {
    let mut keys = Vec::with_capacity(word.keys.len());
    let mut missing = Missing::new();
    for (kind, term, weight, by_surface) in &word.keys {
        match source.leaders(*kind, term) {
            Ok(leaders) => keys.push(KeyLeaders { kind: *kind, term, weight: *weight, by_surface: *by_surface, leaders }),
            Err(more) => missing.extend(more),
        }
    }
    if !missing.is_empty() {
        return Err(dedup(missing));
    }
    let idf = idf(word.document_frequency, source.doc_count().max(1));
    let open: Vec<&KeyLeaders> = keys.iter().filter(|key| !key.leaders.rests.is_empty()).collect();
    // Documents whose every open key's postings have been read around them: their scores are exact.
    let mut settled: Vec<u32> = Vec::new();
    for _ in 0..=SETTLING_ROUNDS {
        let mut lists: Vec<KeyPostings> = keys.iter().map(|key| key.as_postings(key.leaders.postings.clone())).collect();
        let mut missing = Missing::new();
        for key in open.iter().filter(|_| !settled.is_empty()) {
            match source.postings(key.kind, key.term, Some(&settled)) {
                Ok(found) => lists.push(key.as_postings(found.into_iter().filter(|(doc, _)| settled.binary_search(doc).is_ok()).collect())),
                Err(more) => missing.extend(more),
            }
        }
        if !missing.is_empty() {
            return Err(dedup(missing));
        }
        // Each document the leaders name, with its score so far and the most it may reach.
        let mut candidates: Vec<(Hit, f32)> = merge(lists)
            .into_iter()
            .map(|known| {
                let hit = Hit { doc: known.doc, score: word_score(idf, &known), surface_words: u32::from(known.by_surface) };
                if settled.binary_search(&known.doc).is_ok() {
                    return (hit, hit.score);
                }
                let most = open.iter().filter(|key| !key.is_leader(known.doc)).filter_map(|key| key.left_out_for(known.doc)).fold(known, best_of);
                (hit, word_score(idf, &most))
            })
            .collect();
        candidates.sort_by(|a, b| super::best_first(&a.0, &b.0));
        if candidates.len() < limit {
            // Fewer documents than wanted: all of them, if no key left any out.
            return Ok(open.is_empty().then(|| candidates.into_iter().map(|(hit, _)| hit).collect()));
        }
        let last = candidates[limit - 1].0;
        // Whether a document scoring `score`, numbered `doc` at the earliest, would come before the last one kept.
        let overtakes = |score: f32, doc: u32| match score.total_cmp(&last.score) {
            Ordering::Greater => true,
            Ordering::Equal => doc < last.doc,
            Ordering::Less => false,
        };
        if open.iter().any(|key| unnamed_may_overtake(key, &open, idf, &overtakes)) {
            return Ok(None);
        }
        let mut unsettled: Vec<u32> = candidates
            .iter()
            .enumerate()
            .filter(|(place, (hit, most))| {
                let exact = most.total_cmp(&hit.score) == Ordering::Equal;
                !exact && (*place < limit || overtakes(*most, hit.doc))
            })
            .map(|(_, (hit, _))| hit.doc)
            .collect();
        if unsettled.is_empty() {
            candidates.truncate(limit);
            return Ok(Some(candidates.into_iter().map(|(hit, _)| hit).collect()));
        }
        settled.append(&mut unsettled);
        settled.sort_unstable();
        settled.dedup();
        if settled.len() > SETTLED_PER_RESULT.saturating_mul(limit) {
            return Ok(None);
        }
    }
    Ok(None)
}

/// Whether a document no leader names could come before the last one kept, through a posting `key` left out:
/// with the highest impact its leaders leave out, and any flag another open key's left-out postings could add.
fn unnamed_may_overtake(key: &KeyLeaders, open: &[&KeyLeaders], idf: f32, overtakes: &impl Fn(f32, u32) -> bool) -> bool {
    let by_surface = open.iter().any(|other| other.by_surface);
    let in_title = open.iter().flat_map(|other| &other.leaders.rests).any(|rest| rest.top > 0 && read_impact(rest.top).1);
    key.leaders.rests.iter().filter(|rest| rest.top > 0).any(|rest: &RestBound| {
        let most = Match { doc: 0, weight: key.weight * read_impact(rest.top).0, by_surface, in_title };
        // Those with the highest impact come after `after`; the others score less.
        let earliest = rest.after.map_or(rest.span.0, |after| after.saturating_add(1).max(rest.span.0));
        overtakes(word_score(idf, &most), earliest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rank::impact;

    #[test]
    fn a_left_out_posting_with_the_top_impact_lies_after_the_last_leader_that_has_it() {
        let top = impact(40, 100);
        let rest = RestBound { top, after: Some(7), span: (5, 20) };
        assert_eq!(rest.bound_for(8), Some(top), "after the last leader: the top impact");
        assert_eq!(rest.bound_for(7), Some(top - 8), "up to it: one level lower at most");
        assert_eq!(rest.bound_for(4), None, "outside the segment's documents");
        assert_eq!(rest.bound_for(21), None);
        assert_eq!(RestBound { top, after: None, span: (5, 20) }.bound_for(6), Some(top));
        // The lowest level has nothing below it.
        let lowest = impact(1, 100_000);
        assert_eq!(read_impact(lowest).0, read_impact(3).0);
        assert_eq!(RestBound { top: lowest, after: Some(9), span: (0, 20) }.bound_for(9), None);
        assert_eq!(RestBound { top: 0, after: None, span: (0, 20) }.bound_for(9), None, "nothing left out");
    }
}
