//! How documents become keys, and the in-memory index built from them. Each word of a document is indexed
//! three ways: its normalized surface form (with positions, for phrases), its light stem, and, when it starts
//! with a proclitic (و ب ل ك ف) whose removal leaves another word of the corpus, that remaining word. Counts are
//! weighted per field so the title weighs more than the body.
//!
//! The viewer searches sidebar headlines with this index, built where it runs; a bundle's articles are searched
//! through the bundle's search index (`bundle::search_index`), which its writer fills from the same [`analyze`].

use super::rank::{average_length, impact_against, search, KeyKind, Missing, TermSource, FIELD_WEIGHTS, PREFIX_SCAN, REFERENCE_LENGTH};
use super::{Hit, Positions, Query};
use crate::normalize::{normalize, word_indices};
use crate::stem::{stem_of, without_clitic};
use crate::{Article, BlockKind};
use crate::fast_map::FastMap;
use std::collections::BTreeMap;

/// The fields of a document, indexes into `FIELD_WEIGHTS`.
pub const TITLE: usize = 0;
pub const HEADING: usize = 1;
pub const BODY: usize = 2;

/// An article's fields in reading order: the title, then each block.
pub fn article_fields(article: &Article) -> Vec<(usize, &str)> {
    let mut fields = vec![(TITLE, article.title.as_str())];
    fields.extend(article.blocks.iter().map(|block| {
        let field = if block.kind == BlockKind::Subheading { HEADING } else { BODY };
        (field, block.text.as_str())
    }));
    fields
}

/// One document's keys, ready to be added to an index. Every count is a key's weighted count (`FIELD_WEIGHTS`)
/// with whether it occurs in the title, packed by [`counted`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentTerms {
    /// Words in the document (plus one per field gap), for length normalization.
    pub length: u32,
    /// Surface words with their count and ascending positions.
    pub surface: Vec<(String, u32, Vec<u32>)>,
    pub stems: Vec<(String, u32)>,
    /// What remains after a proclitic, with its count; kept only if the corpus uses it on its own.
    pub clitic_candidates: Vec<(String, u32)>,
}

/// A key's count in a document as `DocumentTerms` and postings carry it: the weighted count, doubled, plus one
/// when the key occurs in the title, so that the impact byte can say so too (`rank::impact`).
pub fn counted(weighted_count: u32, in_title: bool) -> u32 {
    weighted_count << 1 | u32::from(in_title)
}

/// The weighted count and the title flag of a count packed by [`counted`].
pub fn uncounted(counted: u32) -> (u32, bool) {
    (counted >> 1, counted & 1 == 1)
}

/// Adds one occurrence of `weight` to a packed count, marking it as in the title when it is.
fn count_once(count: &mut u32, weight: u32, in_title: bool) {
    let (weighted_count, already_in_title) = uncounted(*count);
    *count = counted(weighted_count + weight, already_in_title || in_title);
}

/// Adds a packed count (see [`counted`]) to a running total of packed counts.
fn add_counted(total: &mut u32, count: u32) {
    let (weighted_count, in_title) = uncounted(count);
    count_once(total, weighted_count, in_title);
}

/// Splits a document into keys. Pure and independent per document, so builders can run it on every core.
///
/// Each occurrence costs one lookup, of its surface form; a word's stem and clitic remainder depend on the word
/// alone, so they are found once per distinct word and given the sum of its counts, which is what counting
/// them per occurrence gives (a stem's count is the sum of its words' counts, in the title if any of them is).
pub fn analyze(fields: &[(usize, &str)]) -> DocumentTerms {
    let normalized: Vec<(usize, String)> = fields.iter().map(|&(field, text)| (field, normalize(text))).collect();
    let mut number_of: FastMap<&str, usize> = FastMap::default();
    // Per distinct word, in order of first occurrence: the word, its packed count, its positions.
    let mut words: Vec<(&str, u32, Vec<u32>)> = Vec::new();
    let mut position = 0u32;
    for (field, text) in &normalized {
        let weight = FIELD_WEIGHTS[*field];
        let in_title = *field == TITLE;
        for (_, word) in word_indices(text) {
            let number = *number_of.entry(word).or_insert_with(|| {
                words.push((word, 0, Vec::new()));
                words.len() - 1
            });
            let (_, count, positions) = &mut words[number];
            count_once(count, weight, in_title);
            positions.push(position);
            position += 1;
        }
        // A gap between fields keeps a phrase from matching across them.
        position += 1;
    }
    let mut stems: FastMap<&str, u32> = FastMap::default();
    let mut clitics: FastMap<&str, u32> = FastMap::default();
    for &(word, count, _) in &words {
        add_counted(stems.entry(stem_of(word)).or_default(), count);
        if let Some(rest) = without_clitic(word) {
            add_counted(clitics.entry(rest).or_default(), count);
        }
    }
    let owned = |(key, count): (&str, u32)| (key.to_owned(), count);
    let mut terms = DocumentTerms {
        length: position,
        surface: words.into_iter().map(|(word, count, positions)| (word.to_owned(), count, positions)).collect(),
        stems: stems.into_iter().map(owned).collect(),
        clitic_candidates: clitics.into_iter().map(owned).collect(),
    };
    // Sorted, so what is built never depends on hash order.
    terms.surface.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms.stems.sort_unstable();
    terms.clitic_candidates.sort_unstable();
    terms
}

/// One document's entry for one key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    /// Occurrences weighted by field (`FIELD_WEIGHTS`) and whether one is in the title, packed by [`counted`].
    pub weighted_count: u32,
    /// Word positions in the document (surface keys only), ascending.
    pub positions: Vec<u32>,
}

/// A sorted list of keys, each with its postings in document order.
pub type Dictionary = Vec<(String, Vec<Posting>)>;

/// The in-memory index of one kind of document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldIndex {
    pub doc_lengths: Vec<u32>,
    /// The length BM25 normalizes against: `REFERENCE_LENGTH` for articles (as in a bundle), the documents'
    /// average for headlines.
    pub reference_length: f32,
    pub surface: Dictionary,
    pub stems: Dictionary,
    pub clitics: Dictionary,
}

/// Articles (documents are listing positions) and sidebar headlines, indexed in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchIndex {
    pub articles: FieldIndex,
    pub headlines: FieldIndex,
}

impl SearchIndex {
    /// `articles` must be in listing order, `headlines` in the headline file's order. Articles are ranked as a
    /// bundle ranks them; headlines against their own average length.
    pub fn build(articles: &[Article], headlines: &[String]) -> SearchIndex {
        let articles = FieldIndex::build(articles.iter().map(|article| analyze(&article_fields(article))), Some(REFERENCE_LENGTH));
        let headlines = FieldIndex::build(headlines.iter().map(|text| analyze(&[(TITLE, text.as_str())])), None);
        SearchIndex { articles, headlines }
    }
}

impl FieldIndex {
    /// Builds an index from analyzed documents, numbered in the order given, normalizing lengths against
    /// `reference_length` (the documents' average when `None`).
    pub fn build(documents: impl Iterator<Item = DocumentTerms>, reference_length: Option<f32>) -> FieldIndex {
        type Postings = BTreeMap<String, Vec<Posting>>;
        let (mut surface, mut stems, mut candidates) = (Postings::new(), Postings::new(), Postings::new());
        let mut doc_lengths = Vec::new();
        for (doc, terms) in documents.enumerate() {
            let doc = doc as u32;
            for (word, weighted_count, positions) in terms.surface {
                surface.entry(word).or_default().push(Posting { doc, weighted_count, positions });
            }
            for (word, weighted_count) in terms.stems {
                stems.entry(word).or_default().push(Posting { doc, weighted_count, positions: Vec::new() });
            }
            for (word, weighted_count) in terms.clitic_candidates {
                candidates.entry(word).or_default().push(Posting { doc, weighted_count, positions: Vec::new() });
            }
            doc_lengths.push(terms.length);
        }
        // Every clitic remainder is kept; the search only reads one that the archive uses as a word of its own
        // (`rank::resolve`), as a bundle's segments do.
        let clitics: Dictionary = candidates.into_iter().collect();
        let total: u64 = doc_lengths.iter().map(|&n| u64::from(n)).sum();
        FieldIndex {
            reference_length: reference_length.unwrap_or_else(|| average_length(total, doc_lengths.len())),
            doc_lengths,
            surface: surface.into_iter().collect(),
            stems: stems.into_iter().collect(),
            clitics,
        }
    }

    /// The documents matching `query`, best first.
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        search(self, query).expect("an in-memory index has every part loaded")
    }

    fn dictionary(&self, kind: KeyKind) -> &Dictionary {
        match kind {
            KeyKind::Surface => &self.surface,
            KeyKind::Stem => &self.stems,
            KeyKind::Clitic => &self.clitics,
        }
    }

    fn lookup(&self, kind: KeyKind, term: &str) -> &[Posting] {
        let dictionary = self.dictionary(kind);
        match dictionary.binary_search_by(|(key, _)| key.as_str().cmp(term)) {
            Ok(found) => &dictionary[found].1,
            Err(_) => &[],
        }
    }
}

impl TermSource for FieldIndex {
    fn doc_count(&self) -> u32 {
        self.doc_lengths.len() as u32
    }

    fn document_frequency(&self, kind: KeyKind, term: &str) -> Result<Option<u32>, Missing> {
        let postings = self.lookup(kind, term);
        Ok((!postings.is_empty()).then_some(postings.len() as u32))
    }

    fn keys_with_prefix(&self, kind: KeyKind, prefix: &str) -> Result<Vec<(String, u32)>, Missing> {
        let dictionary = self.dictionary(kind);
        let start = dictionary.partition_point(|(key, _)| key.as_str() <= prefix);
        Ok(dictionary[start..]
            .iter()
            .take_while(|(key, _)| key.starts_with(prefix))
            .take(PREFIX_SCAN)
            .map(|(key, postings)| (key.clone(), postings.len() as u32))
            .collect())
    }

    fn postings(&self, kind: KeyKind, term: &str, _within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing> {
        let impact_of = |p: &Posting| impact_against(p.weighted_count, self.doc_lengths[p.doc as usize], self.reference_length);
        Ok(self.lookup(kind, term).iter().map(|p| (p.doc, impact_of(p))).collect())
    }

    fn positions(&self, term: &str, docs: &[u32]) -> Result<Positions, Missing> {
        let mut out = Positions::default();
        for posting in self.lookup(KeyKind::Surface, term).iter().filter(|p| docs.binary_search(&p.doc).is_ok()) {
            out.push(posting.doc, posting.positions.iter().copied());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::SEED_PAGES;
    use crate::parse::parse_page;

    /// `analyze` counts each distinct word's stem and clitic remainder once, with the word's summed count; this
    /// is what counting them at every occurrence gives, checked on the real sample pages against that.
    #[test]
    fn stems_and_clitic_remainders_count_as_if_counted_at_every_occurrence() {
        for page in SEED_PAGES {
            let article = parse_page(page.as_bytes()).page.expect("the sample pages parse").article;
            let fields = article_fields(&article);
            let terms = analyze(&fields);
            let (mut stems, mut clitics) = (BTreeMap::<String, u32>::new(), BTreeMap::<String, u32>::new());
            for &(field, text) in &fields {
                for (_, word) in word_indices(&normalize(text)) {
                    count_once(stems.entry(stem_of(word).to_owned()).or_default(), FIELD_WEIGHTS[field], field == TITLE);
                    if let Some(rest) = without_clitic(word) {
                        count_once(clitics.entry(rest.to_owned()).or_default(), FIELD_WEIGHTS[field], field == TITLE);
                    }
                }
            }
            assert!(clitics.len() > 10 && stems.len() > 100, "a real article has many stems and remainders");
            assert!(stems.values().any(|&count| uncounted(count).1), "some stems are in the title");
            assert_eq!(terms.stems, stems.into_iter().collect::<Vec<_>>());
            assert_eq!(terms.clitic_candidates, clitics.into_iter().collect::<Vec<_>>());
        }
    }
}
