//! Running a query against one index: which documents match, and in what order. Words are ANDed; each word
//! matches a document through its surface form (or, while typed, as a prefix), its stem, or a proclitic form.
//! Documents are ordered by how many words matched by surface form, then by a BM25 score over weighted fields,
//! then newest first (smaller document number).

use super::index::{keys_with_prefix, lookup, FieldIndex, Posting};
use super::query::Query;
use crate::stem::stem;
use std::collections::{BTreeMap, BTreeSet};

/// Title words count three times, subheading words twice, body words once.
const FIELD_WEIGHTS: [f32; 3] = [3.0, 2.0, 1.0];
/// How much a match through each kind of key is worth next to a surface match.
const SURFACE: f32 = 1.0;
const PREFIX: f32 = 0.9;
const STEM: f32 = 0.6;
const CLITIC: f32 = 0.5;
/// A prefix typed so far expands to at most this many words, the most frequent first.
const PREFIX_EXPANSIONS: usize = 64;
const K1: f32 = 1.2;
const B: f32 = 0.75;

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// How many of the query's words this document holds in their surface form (or as a typed prefix).
    pub surface_words: u32,
}

/// How one query word matches one document.
#[derive(Clone, Copy, Default)]
struct WordMatch {
    weighted_count: f32,
    by_surface: bool,
}

impl FieldIndex {
    /// The documents matching `query`, best first. An empty query matches nothing here; callers treat it as
    /// "no text filter".
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        let required = query.required_words();
        let per_word: Vec<BTreeMap<u32, WordMatch>> =
            required.iter().map(|&(word, prefix)| self.match_word(word, prefix)).collect();

        let mut candidates: BTreeSet<u32> = match per_word.first() {
            Some(first) => first.keys().copied().collect(),
            None if query.excluded.is_empty() => return Vec::new(),
            // Only exclusions: start from every document.
            None => (0..self.doc_lengths.len() as u32).collect(),
        };
        for matches in &per_word[1.min(per_word.len())..] {
            candidates.retain(|doc| matches.contains_key(doc));
        }
        for phrase in &query.phrases {
            candidates.retain(|&doc| self.has_phrase(phrase, doc));
        }
        for word in &query.excluded {
            let excluded = self.match_word(word, false);
            candidates.retain(|doc| !excluded.contains_key(doc));
        }

        let total_docs = self.doc_lengths.len().max(1) as f32;
        let average_length = self.doc_lengths.iter().map(|&n| n as f32).sum::<f32>() / total_docs;
        // A word's idf depends only on how many documents it matched, so it is computed once per word.
        let idfs: Vec<f32> = per_word
            .iter()
            .map(|matches| {
                let document_frequency = matches.len() as f32;
                (1.0 + (total_docs - document_frequency + 0.5) / (document_frequency + 0.5)).ln()
            })
            .collect();
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|doc| {
                let length_factor = 1.0 - B + B * self.doc_lengths[doc as usize] as f32 / average_length.max(1.0);
                let mut hit = Hit { doc, score: 0.0, surface_words: 0 };
                for (matches, idf) in per_word.iter().zip(&idfs) {
                    let found = matches.get(&doc).copied().unwrap_or_default();
                    let count = found.weighted_count;
                    hit.score += idf * count * (K1 + 1.0) / (count + K1 * length_factor);
                    hit.surface_words += u32::from(found.by_surface);
                }
                hit
            })
            .collect();
        hits.sort_by(|a, b| {
            b.surface_words.cmp(&a.surface_words).then(b.score.total_cmp(&a.score)).then(a.doc.cmp(&b.doc))
        });
        hits
    }

    fn match_word(&self, word: &str, prefix: bool) -> BTreeMap<u32, WordMatch> {
        let mut matches: BTreeMap<u32, WordMatch> = BTreeMap::new();
        let mut add = |postings: &[Posting], weight: f32, by_surface: bool| {
            for posting in postings {
                let count = weight * weighted_count(posting);
                let found = matches.entry(posting.doc).or_default();
                if count > found.weighted_count {
                    found.weighted_count = count;
                }
                found.by_surface |= by_surface;
            }
        };
        add(lookup(&self.surface, word), SURFACE, true);
        if prefix {
            for (_, postings) in keys_with_prefix(&self.surface, word, PREFIX_EXPANSIONS) {
                add(postings, PREFIX, true);
            }
            for (_, postings) in keys_with_prefix(&self.clitics, word, PREFIX_EXPANSIONS) {
                add(postings, CLITIC, false);
            }
        }
        add(lookup(&self.stems, &stem(word)), STEM, false);
        add(lookup(&self.clitics, word), CLITIC, false);
        matches
    }

    /// Whether `doc` holds the phrase's words one after another.
    fn has_phrase(&self, phrase: &[String], doc: u32) -> bool {
        let positions: Vec<&[u32]> = phrase
            .iter()
            .map(|word| {
                let postings = lookup(&self.surface, word);
                postings.binary_search_by_key(&doc, |p| p.doc).map_or(&[][..], |i| postings[i].positions.as_slice())
            })
            .collect();
        let Some((first, rest)) = positions.split_first() else { return false };
        first.iter().any(|&start| {
            rest.iter().enumerate().all(|(offset, later)| later.binary_search(&(start + offset as u32 + 1)).is_ok())
        })
    }
}

fn weighted_count(posting: &Posting) -> f32 {
    posting.field_counts.iter().zip(FIELD_WEIGHTS).map(|(&count, weight)| count as f32 * weight).sum()
}

#[cfg(test)]
mod tests {
    use crate::search::{Query, SearchIndex};
    use crate::{Article, Block, BlockKind};

    fn article(title: &str, body: &str) -> Article {
        let blocks = vec![Block { kind: BlockKind::Paragraph, text: body.to_owned() }];
        Article { id: title.to_owned(), title: title.to_owned(), outlet: None, published: None, blocks }
    }

    #[test]
    fn ties_go_to_the_newer_article_and_titles_outweigh_bodies() {
        // Listing order is newest first, so document 0 is the newest.
        let articles = [article("أ", "الأمن والسلام"), article("ب", "الأمن والسلام"), article("الأمن", "كلام آخر")];
        let index = SearchIndex::build(&articles, &[]);
        let order: Vec<u32> = index.articles.search(&Query::parse("الامن ")).iter().map(|hit| hit.doc).collect();
        assert_eq!(order, [2, 0, 1]);
    }

    #[test]
    fn a_word_as_typed_ranks_above_its_other_forms() {
        // Document 0 has the stem many times; document 1 has the exact word once.
        let articles = [article("أ", "شرطي شرطي شرطي شرطي"), article("ب", "الشرطة وحدها")];
        let index = SearchIndex::build(&articles, &[]);
        let hits = index.articles.search(&Query::parse("الشرطة "));
        assert_eq!(hits.iter().map(|hit| hit.doc).collect::<Vec<_>>(), [1, 0]);
    }
}
