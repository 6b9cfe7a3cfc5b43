//! A deterministic synthetic corpus built from real articles: their sentences recombined into new bodies,
//! titles taken from real headlines, outlets and dates spread over 2008–2026. Recombining real sentences keeps
//! the real distribution of common words; a real archive also has a long tail of rare words (names of people
//! and places) that five sample articles lack, so some words are replaced by invented names drawn with a
//! Zipf law (the r-th most frequent name about 1/r as often as the first). Benchmarks and `sahifa gen-corpus`
//! use it.

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

/// How many invented names the long tail draws from, and how often a word is replaced by one.
const NAME_POOL: u64 = 2_000_000;
const NAMES_PER_THOUSAND_WORDS: usize = 25;
/// Arabic letters invented names are spelled with.
const NAME_LETTERS: [char; 24] =
    ['ب', 'ت', 'ج', 'ح', 'د', 'ر', 'ز', 'س', 'ش', 'ص', 'ط', 'ع', 'غ', 'ف', 'ق', 'ك', 'ل', 'م', 'ن', 'ه', 'و', 'ي', 'ا', 'ء'];

pub struct Synth {
    sentences: Vec<String>,
    titles: Vec<String>,
    rng: Rng,
}

/// The invented name of rank `rank`: distinct for distinct ranks, 4 to 7 letters.
pub fn invented_name(rank: u64) -> String {
    let mut n = rank + NAME_LETTERS.len() as u64 * 24; // skip the short, vowel-free start
    let mut name = String::new();
    while n > 0 {
        name.push(NAME_LETTERS[(n % NAME_LETTERS.len() as u64) as usize]);
        n /= NAME_LETTERS.len() as u64;
    }
    // A long vowel after the first letter makes the names read like names.
    let first = name.chars().next().map_or(0, char::len_utf8);
    name.insert(first, 'ا');
    name
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
        Synth { sentences, titles, rng: Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)) }
    }

    /// The next article. Titles get a serial number so every article is distinct.
    pub fn next_article(&mut self, serial: usize) -> Article {
        let title = format!("{} ({serial})", self.pick_title());
        let outlet = Some(OUTLETS[self.below(OUTLETS.len())].to_owned());
        let published = Some(Date::from_days_since_epoch(FIRST_DAY + self.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64));
        let paragraphs = 3 + self.below(6);
        let mut blocks: Vec<Block> = Vec::with_capacity(paragraphs);
        while blocks.len() < paragraphs {
            let sentences = 1 + self.below(4);
            let text = (0..sentences).map(|_| self.pick_sentence()).collect::<Vec<_>>().join(" ");
            let text = self.with_rare_names(&text);
            // The parser drops a paragraph that repeats the previous one; so must the generator.
            if blocks.last().is_none_or(|previous| previous.text != text) {
                blocks.push(Block { kind: BlockKind::Paragraph, text });
            }
        }
        let id = Article::id_for(outlet.as_deref(), published, &title);
        Article { id, title, outlet, published, blocks, url: None }
    }

    /// Replaces some words with invented names from the Zipf-distributed pool.
    fn with_rare_names(&mut self, text: &str) -> String {
        let words: Vec<String> = text
            .split(' ')
            .map(|word| {
                if self.below(1000) < NAMES_PER_THOUSAND_WORDS {
                    // Inverse transform for P(r) ∝ 1/r: r = N^u for u uniform in [0, 1).
                    let u = self.below(1 << 30) as f64 / f64::from(1u32 << 30);
                    invented_name((NAME_POOL as f64).powf(u) as u64)
                } else {
                    word.to_owned()
                }
            })
            .collect();
        words.join(" ")
    }

    fn pick_title(&mut self) -> String {
        let index = self.below(self.titles.len());
        self.titles[index].clone()
    }

    fn pick_sentence(&mut self) -> String {
        let index = self.below(self.sentences.len());
        self.sentences[index].clone()
    }

    fn below(&mut self, bound: usize) -> usize {
        self.rng.below(bound)
    }
}

/// A small random source whose sequence is the same on every platform (xorshift64*): the generator's, and
/// that of the tests that try many random but repeatable cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    /// A number below `bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound.max(1)
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

/// A real corpus grown to any size for benchmarks: the real articles as they are, then copies of them, each
/// copy shifted back in time by the corpus's span (so copies never share a day with the originals and keep
/// their density per day) and with some words replaced by invented names from the same Zipf pool as
/// [`Synth`] (so copies are distinct articles and the vocabulary keeps growing with the archive).
pub struct Grower {
    real: Vec<Article>,
    span_days: i64,
    names: Synth,
}

impl Grower {
    pub fn new(real: Vec<Article>, seed: u64) -> Grower {
        let days: Vec<i64> = real.iter().filter_map(|article| article.published.map(|date| date.days_since_epoch())).collect();
        let span_days = match (days.iter().min(), days.iter().max()) {
            (Some(first), Some(last)) => last - first + 1,
            _ => 365,
        };
        let names = Synth { sentences: Vec::new(), titles: Vec::new(), rng: Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)) };
        Grower { real, span_days, names }
    }

    /// Article `serial`: copy `serial / real` of real article `serial % real`; copy 0 is the original.
    pub fn article(&mut self, serial: usize) -> Option<Article> {
        let original = self.real.get(serial % self.real.len().max(1))?;
        let copy = (serial / self.real.len()) as i64;
        if copy == 0 {
            return Some(original.clone());
        }
        let published = original.published.map(|date| Date::from_days_since_epoch(date.days_since_epoch() - copy * self.span_days));
        let title = self.names.with_rare_names(&original.title);
        let blocks = original.blocks.iter().map(|block| Block { kind: block.kind, text: self.names.with_rare_names(&block.text) }).collect();
        let id = Article::id_for(original.outlet.as_deref(), published, &title);
        Some(Article { id, title, outlet: original.outlet.clone(), published, blocks, url: None })
    }
}

/// The article as a Maghress page: sidebar headlines, the image-report lines, title, publication line, body
/// and footer, exactly the shape `parse_page` reads.
pub fn render_page(article: &Article, headlines: &[String]) -> String {
    let mut page = String::new();
    for headline in headlines {
        page.push_str(headline);
        page.push_str("\u{A0}\u{A0}\u{A0}\u{A0}");
    }
    page.push_str("\n\n\n\n\n\n\n\nشكرا على الإبلاغ!\nسيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.\n\n\n\n");
    page.push_str(&article.title);
    page.push('\n');
    if let (Some(outlet), Some(date)) = (&article.outlet, article.published) {
        page.push_str(&format!("نشر في {outlet} يوم {:02} - {:02} - {}\n", date.day, date.month, date.year));
    }
    page.push('\n');
    for block in &article.blocks {
        page.push_str(&block.text);
        page.push('\n');
    }
    page.push_str("\n\nانقر هنا لقراءة الخبر من مصدره.\n");
    page
}

impl Synth {
    /// A few sidebar headlines for a generated page.
    pub fn sidebar(&mut self, count: usize) -> Vec<String> {
        (0..count).map(|_| self.pick_title()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_page;

    fn sample() -> Synth {
        let blocks = vec![Block {
            kind: BlockKind::Paragraph,
            text: "قال المدير العام للأمن الوطني إن التعاون مستمر. وأكد أن الاجتماع ناجح جدا في مراكش.".into(),
        }];
        let article = Article { id: String::new(), title: "عنوان".into(), outlet: None, published: None, blocks, url: None };
        Synth::new(&[article], &["عنوان جانبي".into()], 7)
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let (mut a, mut b) = (sample(), sample());
        for serial in 0..20 {
            assert_eq!(a.next_article(serial), b.next_article(serial));
        }
    }

    #[test]
    fn rendered_pages_parse_back_to_the_same_article() {
        let mut synth = sample();
        for serial in 0..50 {
            let article = synth.next_article(serial);
            let sidebar = synth.sidebar(3);
            let outcome = parse_page(render_page(&article, &sidebar).as_bytes());
            assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
            let page = outcome.page.unwrap();
            assert_eq!(page.article, article);
            assert_eq!(page.headlines, sidebar);
        }
    }

    #[test]
    fn a_grown_corpus_repeats_the_real_one_earlier_in_time_with_other_names() {
        let day = |d: u8| Date::new(2015, 8, d).ok();
        let real: Vec<Article> = (1..=3)
            .map(|d| {
                let blocks = vec![Block { kind: BlockKind::Paragraph, text: "كلمة ".repeat(200).trim().to_owned() }];
                Article { id: format!("{d}"), title: format!("عنوان {d}"), outlet: Some("م".into()), published: day(d), blocks, url: None }
            })
            .collect();
        let mut grower = Grower::new(real.clone(), 1);
        assert_eq!(grower.article(1).unwrap(), real[1]);
        let copy = grower.article(4).unwrap();
        assert_eq!(copy.published, Date::new(2015, 7, 30).ok(), "three days earlier, the corpus's span");
        assert_ne!(copy.blocks, real[1].blocks, "some words are invented names");
        assert_ne!(copy.id, real[1].id);
        assert!(Grower::new(Vec::new(), 1).article(0).is_none());
    }

    #[test]
    fn invented_names_are_distinct_and_the_tail_is_long() {
        let names: std::collections::HashSet<String> = (0..10_000).map(invented_name).collect();
        assert_eq!(names.len(), 10_000);
        let mut synth = sample();
        let mut seen = std::collections::HashMap::<String, usize>::new();
        for serial in 0..2000 {
            for block in synth.next_article(serial).blocks {
                for word in block.text.split(' ') {
                    *seen.entry(word.to_owned()).or_default() += 1;
                }
            }
        }
        let once = seen.values().filter(|&&count| count == 1).count();
        assert!(once > 500, "{once} words seen once: the corpus needs a long tail of rare words");
    }
}
