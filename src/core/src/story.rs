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
use crate::normalize::normalized_words;
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
    let mut words = normalized_words(title);
    // A story is told in its opening: the first words decide, and a long feature costs no more than a brief.
    let opening = text.char_indices().filter(|&(_, c)| c.is_whitespace()).nth(OPENING_WORDS).map_or(text, |(end, _)| &text[..end]);
    words.extend(normalized_words(opening));
    if words.len() < SHINGLE + MIN_SHINGLES - 1 {
        return None;
    }
    // Each word is hashed once, and a shingle's hash mixes its words' hashes in order: no string is built
    // per shingle, which matters at a million articles.
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

/// An article's fingerprint from its title and blocks.
pub fn fingerprint_article(article: &crate::Article) -> Option<u64> {
    let text: Vec<&str> = article.blocks.iter().map(|block| block.text.as_str()).collect();
    fingerprint(&article.title, &text.join("\n"))
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
