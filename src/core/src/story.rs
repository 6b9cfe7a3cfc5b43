//! The same story told by several outlets: near-duplicate articles found by SimHash over word shingles.
//!
//! Each article gets a 64-bit fingerprint: every run of three normalized words (a shingle) is hashed, and
//! bit `b` of the fingerprint is set when more shingles have bit `b` set than not. Articles that share most of
//! their shingles get fingerprints a few bits apart. Two articles are the same story when their fingerprints
//! differ in at most `max_bits` bits and their dates lie at most `max_days` apart. Finding the pairs does not
//! compare every article with every other: the fingerprint is cut into `max_bits + 1` bands, and two
//! fingerprints within `max_bits` bits agree on at least one band whole, so only articles sharing a band value
//! are compared, and among those only the nearest in date. Stories are the connected groups of such pairs.

use crate::model::fnv1a_64;
use crate::normalize::{normalize, word_indices};
use std::collections::HashMap;

/// Words of the text (after the title) a fingerprint reads.
const OPENING_WORDS: usize = 300;
/// Words per shingle.
const SHINGLE: usize = 3;
/// Fewer shingles than this make a fingerprint that says little (a title and a line): such articles join no
/// story.
pub const MIN_SHINGLES: usize = 12;

/// What makes two articles one story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryRule {
    /// At most this many differing fingerprint bits (and so `max_bits + 1` bands).
    pub max_bits: u32,
    /// At most this many days apart; undated articles join no story.
    pub max_days: i32,
    /// In a band's bucket, each article is compared with at most this many others nearest in date, so a
    /// bucket of thousands (a recurring bulletin) costs little.
    pub neighbours: usize,
}

impl StoryRule {
    pub const DEFAULT: StoryRule = StoryRule { max_bits: 3, max_days: 2, neighbours: 32 };
}

/// An article's fingerprint, or `None` when it has too few words to tell.
pub fn fingerprint(title: &str, text: &str) -> Option<u64> {
    fingerprint_of_parts(title, std::iter::once(text))
}

/// An article's fingerprint from its title and blocks: [`fingerprint`] of the blocks joined by line breaks.
pub fn fingerprint_article(article: &crate::Article) -> Option<u64> {
    fingerprint_of_parts(&article.title, article.blocks.iter().map(|block| block.text.as_str()))
}

/// The fingerprint of `title` and the text made of `parts` joined by line breaks, read part by part: nothing
/// is joined and no word is copied, which matters at a million articles. A line break ends a word under every
/// rule, so the words are those of the joined text.
fn fingerprint_of_parts<'a>(title: &str, parts: impl Iterator<Item = &'a str>) -> Option<u64> {
    let mut hashes: Vec<u64> = Vec::with_capacity(OPENING_WORDS + 32);
    let mut hash_words = |text: &str| hashes.extend(word_indices(&normalize(text)).map(|(_, word)| fnv1a_64(word.as_bytes())));
    hash_words(title);
    // A story is told in its opening: the text up to its `OPENING_WORDS + 1`-th whitespace character decides,
    // and a long feature costs no more than a brief.
    let mut spaces = 0;
    'parts: for (n, part) in parts.enumerate() {
        if n > 0 {
            // The line break that joins this part to the one before.
            if spaces == OPENING_WORDS {
                break;
            }
            spaces += 1;
        }
        for (at, ch) in part.char_indices() {
            if ch.is_whitespace() {
                if spaces == OPENING_WORDS {
                    hash_words(&part[..at]);
                    break 'parts;
                }
                spaces += 1;
            }
        }
        hash_words(part);
    }
    if hashes.len() < SHINGLE + MIN_SHINGLES - 1 {
        return None;
    }
    // A shingle's hash mixes its words' hashes in order: no string is built per shingle.
    let shingles = hashes.windows(SHINGLE).count() as u32;
    let mut ones = BitCounts::default();
    for window in hashes.windows(SHINGLE) {
        ones.add(window.iter().fold(0x9e37_79b9_7f4a_7c15u64, |mixed, &word| (mixed.rotate_left(23) ^ word).wrapping_mul(0xff51_afd7_ed55_8ccd)));
    }
    Some(ones.totals().iter().enumerate().filter(|(_, &count)| 2 * count > shingles).fold(0u64, |fingerprint, (bit, _)| fingerprint | 1 << bit))
}

/// How many of the hashes added had each of the 64 bits set. Each byte of a hash is spread over the eight
/// bytes of a word, one counter per bit, so adding a hash is eight additions rather than sixty-four; the
/// byte counters go to the totals before they can overflow.
struct BitCounts {
    lanes: [u64; 8],
    pending: u32,
    totals: [u32; 64],
}

impl Default for BitCounts {
    fn default() -> BitCounts {
        BitCounts { lanes: [0; 8], pending: 0, totals: [0; 64] }
    }
}

impl BitCounts {
    /// Bit `i` of a byte moved to the lowest bit of byte `i`.
    const SPREAD: [u64; 256] = {
        let mut table = [0u64; 256];
        let mut byte = 0;
        while byte < 256 {
            let mut bit = 0;
            while bit < 8 {
                table[byte] |= ((byte as u64 >> bit) & 1) << (8 * bit);
                bit += 1;
            }
            byte += 1;
        }
        table
    };

    fn add(&mut self, hash: u64) {
        if self.pending == u32::from(u8::MAX) {
            self.flush();
        }
        for (lane, counters) in self.lanes.iter_mut().enumerate() {
            *counters += Self::SPREAD[(hash >> (8 * lane) & 0xff) as usize];
        }
        self.pending += 1;
    }

    fn flush(&mut self) {
        for (lane, counters) in self.lanes.iter_mut().enumerate() {
            for bit in 0..8 {
                self.totals[8 * lane + bit] += (*counters >> (8 * bit) & 0xff) as u32;
            }
            *counters = 0;
        }
        self.pending = 0;
    }

    fn totals(mut self) -> [u32; 64] {
        self.flush();
        self.totals
    }
}

/// A column of fingerprints as a bundle file: 8 bytes each, little-endian, 0 for none.
pub fn encode_column(fingerprints: &[u64]) -> Vec<u8> {
    fingerprints.iter().flat_map(|fingerprint| fingerprint.to_le_bytes()).collect()
}

/// Reads a column written by `encode_column`; a trailing partial entry (a damaged file) is left out.
pub fn decode_column(bytes: &[u8]) -> Vec<u64> {
    bytes.chunks_exact(8).map(|entry| u64::from_le_bytes(entry.try_into().unwrap_or([0; 8]))).collect()
}

/// Whether two fingerprints tell the same story under `rule`.
pub fn same_story(a: u64, b: u64, rule: StoryRule) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= rule.max_bits
}

/// How many outlets the other tellings of a story name, for «نشر أيضا في …»: each known outlet once, and at
/// least one when there is any telling (an outlet not known is still somewhere). The card's badge and the
/// article page count alike.
pub fn outlets_told<T: Ord>(outlets: impl Iterator<Item = Option<T>>) -> usize {
    let mut tellings = 0;
    let known: std::collections::BTreeSet<T> = outlets.inspect(|_| tellings += 1).flatten().collect();
    if tellings == 0 { 0 } else { known.len().max(1) }
}

/// One article as the grouping sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sketch {
    pub fingerprint: Option<u64>,
    /// Days since 1970-01-01.
    pub day: Option<i32>,
}

/// The story of each article: articles with the same number are one story, numbered by their first article.
/// An article alone is a story of one.
pub fn group(sketches: &[Sketch], rule: StoryRule) -> Vec<u32> {
    let mut stories = UnionFind::new(sketches.len());
    let bands = rule.max_bits as usize + 1;
    let band_bits = 64 / bands;
    for band in 0..bands {
        let shift = band * band_bits;
        let mask = if band + 1 == bands { u64::MAX >> shift } else { (1u64 << band_bits) - 1 };
        let mut buckets: HashMap<u64, Vec<(i32, u32)>> = HashMap::new();
        for (n, sketch) in sketches.iter().enumerate() {
            if let (Some(fingerprint), Some(day)) = (sketch.fingerprint, sketch.day) {
                buckets.entry(fingerprint >> shift & mask).or_default().push((day, n as u32));
            }
        }
        for bucket in buckets.values_mut() {
            bucket.sort_unstable();
            for (i, &(day, a)) in bucket.iter().enumerate() {
                for &(other_day, b) in bucket[i + 1..].iter().take(rule.neighbours) {
                    if other_day - day > rule.max_days {
                        break;
                    }
                    let (Some(x), Some(y)) = (sketches[a as usize].fingerprint, sketches[b as usize].fingerprint) else { continue };
                    if (x ^ y).count_ones() <= rule.max_bits {
                        stories.join(a, b);
                    }
                }
            }
        }
    }
    (0..sketches.len() as u32).map(|n| stories.root(n)).collect()
}

/// Disjoint sets with the smallest member as each set's name.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(size: usize) -> UnionFind {
        UnionFind { parent: (0..size as u32).collect() }
    }

    fn root(&mut self, mut n: u32) -> u32 {
        while self.parent[n as usize] != n {
            let grandparent = self.parent[self.parent[n as usize] as usize];
            self.parent[n as usize] = grandparent;
            n = grandparent;
        }
        n
    }

    fn join(&mut self, a: u32, b: u32) {
        let (a, b) = (self.root(a), self.root(b));
        let (low, high) = (a.min(b), a.max(b));
        self.parent[high as usize] = low;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint as first written: the blocks joined, cut at the opening's end, split into owned words.
    fn reference_fingerprint(title: &str, text: &str) -> Option<u64> {
        use crate::normalize::normalized_words;
        let mut words = normalized_words(title);
        let opening = text.char_indices().filter(|&(_, c)| c.is_whitespace()).nth(OPENING_WORDS).map_or(text, |(end, _)| &text[..end]);
        words.extend(normalized_words(opening));
        if words.len() < SHINGLE + MIN_SHINGLES - 1 {
            return None;
        }
        let hashes: Vec<u64> = words.iter().map(|word| fnv1a_64(word.as_bytes())).collect();
        let shingles = hashes.windows(SHINGLE).count() as u32;
        let mut ones = [0u32; 64];
        for window in hashes.windows(SHINGLE) {
            let hash = window.iter().fold(0x9e37_79b9_7f4a_7c15u64, |mixed, &word| (mixed.rotate_left(23) ^ word).wrapping_mul(0xff51_afd7_ed55_8ccd));
            for (bit, count) in ones.iter_mut().enumerate() {
                *count += (hash >> bit & 1) as u32;
            }
        }
        Some(ones.iter().enumerate().filter(|(_, &count)| 2 * count > shingles).fold(0u64, |fingerprint, (bit, _)| fingerprint | 1 << bit))
    }

    #[test]
    fn an_article_read_block_by_block_has_the_fingerprint_of_its_joined_text() {
        let pages = crate::fixtures::SEED_PAGES;
        let words: Vec<&str> = pages.iter().flat_map(|page| page.split_whitespace()).collect();
        let mut checked = 0;
        for page in pages {
            let article = crate::parse::parse_page(page.as_bytes()).page.expect("a seed page parses").article;
            let joined: Vec<&str> = article.blocks.iter().map(|block| block.text.as_str()).collect();
            assert_eq!(fingerprint_article(&article), reference_fingerprint(&article.title, &joined.join("\n")));
            checked += 1;
        }
        // Blocks of every length around the opening's end, so the cut falls on a block's joint, inside a
        // block, on its first and last word, and past the text.
        for block_words in [1, 2, 7, 50, 299, 300, 301] {
            for total in [OPENING_WORDS - 2, OPENING_WORDS, OPENING_WORDS + 1, OPENING_WORDS + 3, 2 * OPENING_WORDS] {
                let blocks: Vec<crate::Block> = words[..total.min(words.len())]
                    .chunks(block_words)
                    .map(|chunk| crate::Block { kind: crate::BlockKind::Paragraph, text: chunk.join(" ") })
                    .collect();
                let joined = blocks.iter().map(|block| block.text.as_str()).collect::<Vec<_>>().join("\n");
                let article = crate::Article { id: String::new(), title: "عنوان المقال".into(), outlet: None, published: None, blocks, url: None };
                assert_eq!(fingerprint_article(&article), reference_fingerprint(&article.title, &joined), "{block_words} words a block, {total} words");
                checked += 1;
            }
        }
        assert_eq!(checked, 5 + 7 * 5);
    }

    const STORY: &str = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في عدد من المدن وقالت الوزارة في بيان إن الفرق الطبية \
        تتابع الوضع عن كثب وإن المستشفيات مستعدة لاستقبال المرضى ودعت المواطنين إلى الالتزام بالإرشادات الصحية";
    const OTHER: &str = "فاز المنتخب الوطني لكرة القدم مساء أمس على نظيره في مباراة ودية أقيمت على أرضية الملعب الكبير \
        وسجل المهاجم هدفين في الشوط الثاني وقال المدرب إن الفريق قدم أداء جيدا ويستعد للمباراة المقبلة";

    fn sketch(title: &str, text: &str, day: i32) -> Sketch {
        Sketch { fingerprint: fingerprint(title, text), day: Some(day) }
    }

    #[test]
    fn the_same_text_lightly_edited_is_one_story_and_another_text_is_not() {
        let edited = STORY.replace("اليوم", "أمس").replace("عن كثب", "بدقة");
        let a = fingerprint("الصحة تعلن", STORY).unwrap();
        let b = fingerprint("وزارة الصحة تعلن", &edited).unwrap();
        let c = fingerprint("فوز المنتخب", OTHER).unwrap();
        assert!((a ^ b).count_ones() < (a ^ c).count_ones(), "{} vs {}", (a ^ b).count_ones(), (a ^ c).count_ones());
        assert!((a ^ c).count_ones() > 10);
        // Hamza and tashkeel do not change a fingerprint: the normalizer reads both.
        assert_eq!(fingerprint("", &STORY.replace("أعلنت", "اعلنت")), fingerprint("", STORY));
        assert_eq!(fingerprint("قصير", "نص قصير جدا"), None, "too short to tell");
    }

    #[test]
    fn stories_group_near_copies_within_days_and_leave_the_rest_alone() {
        let copy = STORY.to_owned();
        let sketches = [
            sketch("", STORY, 100),
            sketch("", OTHER, 100),
            sketch("", &copy, 101),
            sketch("", STORY, 110),
            Sketch { fingerprint: fingerprint("", STORY), day: None },
            sketch("", &copy, 102),
        ];
        let stories = group(&sketches, StoryRule::DEFAULT);
        assert_eq!(stories, [0, 1, 0, 3, 4, 0], "the copies a day or two apart; not a week later, nor undated");
    }

    #[test]
    fn tellings_count_their_outlets_once_each() {
        assert_eq!(outlets_told(std::iter::empty::<Option<&str>>()), 0);
        assert_eq!(outlets_told([Some("عكاظ"), Some("عكاظ"), Some("الرياض")].into_iter()), 2);
        assert_eq!(outlets_told([None::<&str>].into_iter()), 1, "a telling whose outlet is unknown is still one");
    }

    #[test]
    fn a_crowded_bucket_costs_its_neighbours_only() {
        // A thousand identical bulletins on one day: each compared with its next neighbours, and still one story.
        let sketches: Vec<Sketch> = (0..1000).map(|_| sketch("", STORY, 5)).collect();
        let stories = group(&sketches, StoryRule::DEFAULT);
        assert!(stories.iter().all(|&story| story == 0));
    }
}
