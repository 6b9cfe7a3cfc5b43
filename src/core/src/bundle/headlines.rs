//! The sidebar headlines Maghress pages carry: one file for the archive, each headline once however many
//! pages showed it. It is small and rewritten by every build and update.

use crate::model::fnv1a_64;
use crate::normalize::normalized_words;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlinesFile {
    pub headlines: Vec<Headline>,
}

/// A crawl-time sidebar headline, kept once however many pages showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub text: String,
    /// How many pages showed it.
    pub pages: u32,
}

impl Headline {
    /// A stable id, from the text, for results and links.
    pub fn id(&self) -> String {
        format!("h{:016x}", fnv1a_64(self.text.as_bytes()))
    }
}

/// Collects sidebar headlines across pages, merging those that are equal once normalized.
#[derive(Default)]
pub struct HeadlineCollector {
    /// Raw text to position: most pages repeat headlines other pages showed, so most lookups stop here
    /// without normalizing.
    position_by_text: HashMap<String, usize>,
    position_by_key: HashMap<String, usize>,
    headlines: Vec<Headline>,
}

impl HeadlineCollector {
    /// A collector that goes on from the headlines an archive already has (an update).
    pub fn continuing(known: Vec<Headline>) -> HeadlineCollector {
        let mut collector = HeadlineCollector::default();
        for headline in known {
            let position = collector.position(&headline.text);
            collector.headlines[position].pages += headline.pages;
        }
        collector
    }

    pub fn add(&mut self, texts: &[String]) {
        for text in texts {
            let position = self.position(text);
            self.headlines[position].pages += 1;
        }
    }

    fn position(&mut self, text: &str) -> usize {
        if let Some(&position) = self.position_by_text.get(text) {
            return position;
        }
        let key = normalized_words(text).join(" ");
        let position = *self.position_by_key.entry(key).or_insert_with(|| {
            self.headlines.push(Headline { text: text.to_owned(), pages: 0 });
            self.headlines.len() - 1
        });
        self.position_by_text.insert(text.to_owned(), position);
        position
    }

    pub fn finish(self) -> Vec<Headline> {
        self.headlines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_adds_to_the_counts_of_known_headlines() {
        let mut first = HeadlineCollector::default();
        first.add(&["الأمن الوطني".into(), "أخبار".into()]);
        let mut next = HeadlineCollector::continuing(first.finish());
        next.add(&["الامن الوطني".into(), "جديد".into()]);
        let counts: Vec<(String, u32)> = next.finish().into_iter().map(|h| (h.text, h.pages)).collect();
        assert_eq!(counts, [("الأمن الوطني".into(), 2), ("أخبار".into(), 1), ("جديد".into(), 1)]);
    }
}
