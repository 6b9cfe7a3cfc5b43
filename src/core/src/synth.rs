//! A deterministic synthetic corpus built from real articles: their sentences recombined into new bodies,
//! titles taken from real headlines, outlets and dates spread over 2008–2026. Recombining real sentences
//! keeps the real word distribution (a Zipf-like vocabulary) at any size. Benchmarks use it; so can tests.

use crate::model::{Article, Block, BlockKind};
use crate::Date;

/// Outlets that Maghress aggregates, for variety in the outlet facet.
pub const OUTLETS: [&str; 12] = [
    "هسبريس", "الأول", "أخبارنا", "الاتحاد الاشتراكي", "العلم", "المساء", "اليوم 24", "لكم", "الصباح", "بيان اليوم",
    "التجديد", "الأحداث المغربية",
];
/// 2008-01-01 and 2026-11-24 as days since 1970-01-01.
const FIRST_DAY: i64 = 13_879;
const LAST_DAY: i64 = 20_781;

pub struct Synth {
    sentences: Vec<String>,
    titles: Vec<String>,
    state: u64,
}

impl Synth {
    /// `samples` give the sentences, `titles` the candidate titles; `seed` picks one corpus among many.
    pub fn new(samples: &[Article], titles: &[String], seed: u64) -> Synth {
        let sentences = samples
            .iter()
            .flat_map(|article| article.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph))
            .flat_map(|block| split_sentences(&block.text))
            .collect();
        let mut titles = titles.to_vec();
        titles.extend(samples.iter().map(|article| article.title.clone()));
        Synth { sentences, titles, state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1 }
    }

    /// The next article. Titles get a serial number so every article is distinct.
    pub fn next_article(&mut self, serial: usize) -> Article {
        let title = format!("{} ({serial})", self.pick(&self.titles.clone()));
        let outlet = Some(OUTLETS[self.below(OUTLETS.len())].to_owned());
        let published = Some(Date::from_days_since_epoch(FIRST_DAY + self.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64));
        let paragraphs = 3 + self.below(6);
        let blocks = (0..paragraphs)
            .map(|_| {
                let sentences = 1 + self.below(4);
                let text = (0..sentences).map(|_| self.pick(&self.sentences.clone())).collect::<Vec<_>>().join(" ");
                Block { kind: BlockKind::Paragraph, text }
            })
            .collect();
        let id = Article::id_for(outlet.as_deref(), published, &title);
        Article { id, title, outlet, published, blocks }
    }

    fn pick(&mut self, from: &[String]) -> String {
        from[self.below(from.len())].clone()
    }

    /// xorshift64*: small, fast and the same on every platform.
    fn below(&mut self, bound: usize) -> usize {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        (self.state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound.max(1)
    }
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (at, ch) in text.char_indices() {
        if matches!(ch, '.' | '؟' | '!') {
            let end = at + ch.len_utf8();
            let sentence = text[start..end].trim();
            if sentence.chars().count() > 20 {
                sentences.push(sentence.to_owned());
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if rest.chars().count() > 20 {
        sentences.push(format!("{rest}."));
    }
    sentences
}
