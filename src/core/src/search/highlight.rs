//! Marking the words a query matched in the original text (the reader typed امن, the page shows أَمْن), and
//! choosing the excerpt around the best match.

use super::query::Query;
use crate::normalize::MappedText;
use crate::stem::{stem, without_clitic};
use serde::Serialize;

/// A piece of original text, matched or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Words of an excerpt: enough for a line or two on a phone.
const EXCERPT_WORDS: usize = 32;
/// Words kept before the first match, so it is seen in context.
const WORDS_BEFORE: usize = 6;

/// Decides which words of a text a query matched, by the same rules the search used.
pub struct Highlighter {
    /// Normalized query words, each with its stem when it stands outside a phrase: a phrase's words match only
    /// as typed, as the search reads them (their surface key's positions).
    words: Vec<(String, Option<String>)>,
    prefix: Option<String>,
}

impl Highlighter {
    pub fn new(query: &Query) -> Highlighter {
        let required = query.required_words();
        // `required_words` lists the loose words first, then the phrases' words.
        let loose = query.words.len();
        let words = required.iter().enumerate().map(|(index, &(word, _))| (word.to_owned(), (index < loose).then(|| stem(word)))).collect();
        let prefix = required.iter().find(|&&(_, is_prefix)| is_prefix).map(|&(word, _)| word.to_owned());
        Highlighter { words, prefix }
    }

    /// Which query word (by index) a normalized text word matches, if any.
    fn matched_word(&self, word: &str) -> Option<usize> {
        let word_stem = stem(word);
        let rest = without_clitic(word);
        self.words.iter().position(|(query_word, query_stem)| {
            word == query_word || query_stem.as_ref().is_some_and(|query_stem| word_stem == *query_stem || rest == Some(query_word.as_str()))
        }).or_else(|| {
            let prefix = self.prefix.as_deref()?;
            word.starts_with(prefix).then(|| self.words.iter().position(|(w, _)| w == prefix)).flatten()
        })
    }

    /// The whole text cut into matched and unmatched segments.
    pub fn segments(&self, text: &str) -> Vec<Segment> {
        let hits = self.hits(&MappedText::new(text));
        cut(text, &hits, 0, text.len())
    }

    /// The best excerpt of `blocks` (at most [`EXCERPT_WORDS`] words around the densest match), with its
    /// matches marked; the start of the first block when nothing matches.
    pub fn excerpt<'a>(&self, blocks: impl IntoIterator<Item = &'a str>) -> Vec<Segment> {
        // (distinct query words, hits, first hit's word index, block) of the best window so far.
        let mut best: Option<(usize, usize, usize, &str)> = None;
        let mut first_block: Option<&str> = None;
        for text in blocks {
            first_block.get_or_insert(text);
            let hits = self.hits(&MappedText::new(text));
            for (index, hit) in hits.iter().enumerate() {
                let window = hits[index..].iter().take_while(|h| h.word_index < hit.word_index + EXCERPT_WORDS);
                let mut distinct: Vec<usize> = window.map(|h| h.query_word).collect();
                let count = distinct.len();
                distinct.sort_unstable();
                distinct.dedup();
                let better = best.as_ref().is_none_or(|(d, c, ..)| (distinct.len(), count) > (*d, *c));
                if better {
                    best = Some((distinct.len(), count, hit.word_index, text));
                }
            }
        }
        match best {
            Some((_, _, first_hit_word, text)) => {
                let mapped = MappedText::new(text);
                let hits = self.hits(&mapped);
                let words: Vec<(usize, usize)> = mapped.word_spans().collect();
                let first = first_hit_word.saturating_sub(WORDS_BEFORE);
                let last = (first + EXCERPT_WORDS).min(words.len()) - 1;
                let (start, end) = (words[first].0, words[last].1);
                let mut segments = Vec::new();
                if first > 0 {
                    segments.push(Segment { text: "… ".into(), hit: false });
                }
                segments.extend(cut(text, &hits, start, end));
                if last + 1 < words.len() {
                    segments.push(Segment { text: " …".into(), hit: false });
                }
                segments
            }
            None => {
                let text = first_block.unwrap_or_default();
                let words: Vec<(usize, usize)> = MappedText::new(text).word_spans().collect();
                let end = words.get(EXCERPT_WORDS.min(words.len()).saturating_sub(1)).map_or(text.len(), |w| w.1);
                let mut segments = vec![Segment { text: text[..end].to_owned(), hit: false }];
                if end < text.len() {
                    segments.push(Segment { text: " …".into(), hit: false });
                }
                segments
            }
        }
    }

    fn hits(&self, mapped: &MappedText) -> Vec<Hit> {
        mapped
            .words()
            .enumerate()
            .filter_map(|(word_index, (at, word))| {
                let query_word = self.matched_word(word)?;
                let (start, end) = mapped.original_range(at, at + word.len());
                Some(Hit { word_index, query_word, start, end })
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
struct Hit {
    word_index: usize,
    query_word: usize,
    start: usize,
    end: usize,
}

impl MappedText {
    /// Original byte ranges of the words, in order.
    fn word_spans(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.words().map(|(at, word)| self.original_range(at, at + word.len()))
    }
}

/// Cuts `text[start..end]` into segments at the hits inside it.
fn cut(text: &str, hits: &[Hit], start: usize, end: usize) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut at = start;
    for hit in hits.iter().filter(|h| h.start >= start && h.end <= end) {
        if hit.start > at {
            segments.push(Segment { text: text[at..hit.start].to_owned(), hit: false });
        }
        segments.push(Segment { text: text[hit.start..hit.end].to_owned(), hit: true });
        at = hit.end;
    }
    if at < end {
        segments.push(Segment { text: text[at..end].to_owned(), hit: false });
    }
    segments
}

/// The segments as plain text.
pub fn plain(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect()
}
