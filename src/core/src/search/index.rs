//! The search index as the bundle stores it. Each word of an article is indexed three ways: its normalized
//! surface form (with positions, for phrases), its light stem, and, when it starts with a proclitic (و ب ل ك ف)
//! whose removal leaves another word of the corpus, that remaining word. Counts are kept per field so the
//! title can weigh more than the body.

use crate::normalize::normalized_words;
use crate::stem::{stem, without_clitic};
use crate::{Article, BlockKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The fields of a document, in the order of `Posting::field_counts`.
pub const TITLE: usize = 0;
pub const HEADING: usize = 1;
pub const BODY: usize = 2;

/// One document's entry for one key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Vec<u32>", try_from = "Vec<u32>")]
pub struct Posting {
    /// The document: a listing row for articles, a position in the headline list for headlines.
    pub doc: u32,
    /// Occurrences in the title, the subheadings and the body.
    pub field_counts: [u32; 3],
    /// Word positions in the document (surface keys only), ascending.
    pub positions: Vec<u32>,
}

// On the wire a posting is one flat array, [doc, title, heading, body, positions…], to keep the file small.
impl From<Posting> for Vec<u32> {
    fn from(posting: Posting) -> Vec<u32> {
        let mut flat = Vec::with_capacity(4 + posting.positions.len());
        flat.push(posting.doc);
        flat.extend(posting.field_counts);
        flat.extend(posting.positions);
        flat
    }
}

impl TryFrom<Vec<u32>> for Posting {
    type Error = String;
    fn try_from(flat: Vec<u32>) -> Result<Posting, String> {
        match flat.as_slice() {
            [doc, title, heading, body, positions @ ..] => {
                Ok(Posting { doc: *doc, field_counts: [*title, *heading, *body], positions: positions.to_vec() })
            }
            _ => Err(format!("a posting needs at least 4 numbers, got {}", flat.len())),
        }
    }
}

/// A sorted list of keys, each with its postings in document order.
pub type Dictionary = Vec<(String, Vec<Posting>)>;

/// The index of one kind of document (articles or headlines).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIndex {
    /// Words per document, for length normalization.
    pub doc_lengths: Vec<u32>,
    pub surface: Dictionary,
    pub stems: Dictionary,
    pub clitics: Dictionary,
}

/// The bundle's search file: articles (documents are listing rows) and sidebar headlines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIndex {
    pub articles: FieldIndex,
    pub headlines: FieldIndex,
}

impl SearchIndex {
    /// `articles` must be in listing order, `headlines` in the headline file's order.
    pub fn build(articles: &[Article], headlines: &[String]) -> SearchIndex {
        let article_docs = articles.iter().map(|article| {
            let mut fields = vec![(TITLE, article.title.as_str())];
            fields.extend(article.blocks.iter().map(|block| {
                let field = if block.kind == BlockKind::Subheading { HEADING } else { BODY };
                (field, block.text.as_str())
            }));
            fields
        });
        let headline_docs = headlines.iter().map(|text| vec![(TITLE, text.as_str())]);
        SearchIndex { articles: build_field_index(article_docs), headlines: build_field_index(headline_docs) }
    }
}

type Postings = BTreeMap<String, BTreeMap<u32, Posting>>;

/// Builds one index from documents given as their fields' texts, in reading order.
fn build_field_index<'a>(docs: impl Iterator<Item = Vec<(usize, &'a str)>>) -> FieldIndex {
    let mut surface = Postings::new();
    let mut stems = Postings::new();
    let mut clitic_candidates: Vec<(String, u32, usize)> = Vec::new();
    let mut doc_lengths = Vec::new();
    for (doc, fields) in docs.enumerate() {
        let doc = doc as u32;
        let mut position = 0u32;
        for (field, text) in fields {
            for word in normalized_words(text) {
                let entry = posting(&mut surface, &word, doc);
                entry.field_counts[field] += 1;
                entry.positions.push(position);
                posting(&mut stems, &stem(&word), doc).field_counts[field] += 1;
                if let Some(rest) = without_clitic(&word) {
                    clitic_candidates.push((rest.to_owned(), doc, field));
                }
                position += 1;
            }
            // A gap between blocks keeps a phrase from matching across them.
            position += 1;
        }
        doc_lengths.push(position);
    }
    // A proclitic is only split off when what remains is a word the corpus uses on its own: وقال gives قال,
    // but وزارة does not give زارة.
    let vocabulary: HashSet<&str> = surface.keys().map(String::as_str).collect();
    let mut clitics = Postings::new();
    for (rest, doc, field) in clitic_candidates {
        if vocabulary.contains(rest.as_str()) {
            posting(&mut clitics, &rest, doc).field_counts[field] += 1;
        }
    }
    FieldIndex { doc_lengths, surface: flatten(surface), stems: flatten(stems), clitics: flatten(clitics) }
}

fn posting<'a>(postings: &'a mut Postings, key: &str, doc: u32) -> &'a mut Posting {
    if !postings.contains_key(key) {
        postings.insert(key.to_owned(), BTreeMap::new());
    }
    let per_doc = postings.get_mut(key).expect("just inserted");
    per_doc.entry(doc).or_insert_with(|| Posting { doc, ..Posting::default() })
}

fn flatten(postings: Postings) -> Dictionary {
    postings.into_iter().map(|(key, per_doc)| (key, per_doc.into_values().collect())).collect()
}

/// Looks a key up in a sorted dictionary.
pub fn lookup<'a>(dictionary: &'a Dictionary, key: &str) -> &'a [Posting] {
    match dictionary.binary_search_by(|(term, _)| term.as_str().cmp(key)) {
        Ok(found) => &dictionary[found].1,
        Err(_) => &[],
    }
}

/// The keys that start with `prefix` (other than `prefix` itself), most frequent first, at most `limit`.
pub fn keys_with_prefix<'a>(dictionary: &'a Dictionary, prefix: &str, limit: usize) -> Vec<&'a (String, Vec<Posting>)> {
    let start = dictionary.partition_point(|(term, _)| term.as_str() < prefix);
    let mut keys: Vec<&(String, Vec<Posting>)> = dictionary[start..]
        .iter()
        .take_while(|(term, _)| term.starts_with(prefix))
        .filter(|(term, _)| term != prefix)
        .collect();
    keys.sort_by_key(|(_, postings)| std::cmp::Reverse(postings.len()));
    keys.truncate(limit);
    keys
}
