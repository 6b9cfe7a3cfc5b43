//! Related articles: for each article of a segment, up to `RELATED` others of the same segment that share
//! its distinctive words, by TF-IDF cosine over word stems.
//!
//! Related lists are drawn from the article's own segment so that a segment's files still depend only on
//! the articles it holds: an update leaves every sealed segment byte for byte, and a build of the same
//! articles writes the same lists. Segments hold stretches of time (the newest a few days, the oldest
//! years), which suits news: what is related is mostly what was written around it.
//!
//! Comparing every pair of a half-million-article segment is out of reach, so the search is pruned twice,
//! as search engines prune: each article keeps only its `KEPT_TERMS` heaviest words, and each word keeps only
//! the `CHAMPIONS` articles where it weighs most. An article's candidates are the articles on its words'
//! lists, scored by the products they share there; the cost is at most `KEPT_TERMS · CHAMPIONS` additions
//! per article, whatever the segment's size.

use crate::fast_map::FastMap;
use crate::model::fnv1a_64;
use crate::search::index::DocumentTerms;
use crate::story::StoryRule;

/// The most related articles kept per article.
pub const RELATED: usize = 5;
/// Stems an article's signature keeps, its most frequent (title words weigh more, as in the index).
const SIGNATURE_TERMS: usize = 32;
/// Stems of the signature that take part in the comparison: the heaviest by TF-IDF.
const KEPT_TERMS: usize = 12;
/// Articles kept on each stem's list: those where it weighs most.
const CHAMPIONS: usize = 64;
/// A stem in more than one article in this many says nothing about a topic (في, قال, المغرب…)…
const COMMON_SHARE: usize = 8;
/// …unless the segment is so small that this many is more: a word in ten of a hundred articles still
/// tells a topic (and one in every article weighs nothing anyway).
const COMMON_FLOOR: usize = 16;
/// Below this cosine two articles share a word or two by chance…
pub const MIN_SIMILARITY: f32 = 0.12;
/// …and so they do when they share fewer words than this, however rare the word.
const MIN_SHARED: u8 = 2;

/// What an article contributes to the comparison: its most frequent stems, hashed, with their weighted
/// counts (the title flag `index::counted` packs in is left out), sorted by hash; and its story fingerprint, since another telling of the same story is not a
/// related article (the story badge shows those).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    terms: Vec<(u32, u32)>,
    story: Option<u64>,
}

/// An article's signature from its analyzed terms (`search::index::analyze`) and its story fingerprint
/// (`story::fingerprint_article`).
pub fn signature(terms: &DocumentTerms, story: Option<u64>) -> Signature {
    let mut stems: Vec<(u32, u32)> = terms
        .stems
        .iter()
        .filter(|(stem, _)| stem.chars().count() >= 2 && !stem.chars().all(|c| c.is_ascii_digit()))
        .map(|(stem, count)| (term_hash(stem), crate::search::index::uncounted(*count).0))
        .collect();
    // Most frequent first; the hash breaks ties so the signature never depends on the input's order.
    stems.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    stems.truncate(SIGNATURE_TERMS);
    stems.sort_unstable();
    stems.dedup_by_key(|(hash, _)| *hash);
    Signature { terms: stems, story }
}

/// A stem's 64-bit FNV-1a hash (the one the story fingerprints use), folded to 32 bits.
fn term_hash(stem: &str) -> u32 {
    let hash = fnv1a_64(stem.as_bytes());
    (hash ^ (hash >> 32)) as u32
}

/// For each article (by its place in `signatures`), up to `RELATED` others, most similar first (ties: the
/// earlier place, which in a segment is the newer article). Tellings of the same story (fingerprints within
/// `StoryRule::DEFAULT`'s bits) and chance overlaps (`MIN_SIMILARITY`) are left out, so an article may have
/// none.
pub fn related(signatures: &[Signature]) -> Vec<Vec<u32>> {
    let documents = signatures.len();
    let mut frequency: FastMap<u32, u32> = FastMap::default();
    for signature in signatures {
        for &(term, _) in &signature.terms {
            *frequency.entry(term).or_default() += 1;
        }
    }
    let most = (documents / COMMON_SHARE).max(COMMON_FLOOR) as u32;
    let vectors: Vec<Vec<(u32, f32)>> = signatures.iter().map(|signature| weighted(signature, &frequency, most, documents)).collect();

    // Each stem's champions: the articles where it weighs most, heaviest first, then by place.
    let mut champions: FastMap<u32, Vec<(u32, f32)>> = FastMap::default();
    for (doc, vector) in vectors.iter().enumerate() {
        for &(term, weight) in vector {
            champions.entry(term).or_default().push((doc as u32, weight));
        }
    }
    for list in champions.values_mut() {
        list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(CHAMPIONS);
        list.sort_unstable_by_key(|&(doc, _)| doc);
    }

    // Scores gathered in one array the size of the segment, cleared after each article where it was touched.
    let mut scores = vec![0f32; documents];
    let mut shared = vec![0u8; documents];
    let mut touched: Vec<u32> = Vec::new();
    vectors
        .iter()
        .enumerate()
        .map(|(doc, vector)| {
            for &(term, weight) in vector {
                for &(other, other_weight) in champions.get(&term).map_or(&[][..], Vec::as_slice) {
                    if other as usize == doc {
                        continue;
                    }
                    if shared[other as usize] == 0 {
                        touched.push(other);
                    }
                    shared[other as usize] = shared[other as usize].saturating_add(1);
                    scores[other as usize] += weight * other_weight;
                }
            }
            let mut found: Vec<(u32, f32)> = touched
                .drain(..)
                .map(|other| (other, std::mem::take(&mut scores[other as usize]), std::mem::take(&mut shared[other as usize])))
                .filter(|&(other, score, words)| score >= MIN_SIMILARITY && words >= MIN_SHARED && !same_story(&signatures[doc], &signatures[other as usize]))
                .map(|(other, score, _)| (other, score))
                .collect();
            found.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            found.into_iter().take(RELATED).map(|(other, _)| other).collect()
        })
        .collect()
}

fn same_story(a: &Signature, b: &Signature) -> bool {
    matches!((a.story, b.story), (Some(a), Some(b)) if (a ^ b).count_ones() <= StoryRule::DEFAULT.max_bits)
}

/// An article's kept stems with their TF-IDF weights, scaled to unit length; stems in one article only (they
/// relate it to nothing) or in too many are left out.
fn weighted(signature: &Signature, frequency: &FastMap<u32, u32>, most: u32, documents: usize) -> Vec<(u32, f32)> {
    let mut vector: Vec<(u32, f32)> = signature
        .terms
        .iter()
        .filter_map(|&(term, count)| {
            let df = *frequency.get(&term)?;
            (2..=most).contains(&df).then(|| (term, (1.0 + (count as f32).ln()) * (documents as f32 / df as f32).ln()))
        })
        .filter(|&(_, weight)| weight > 0.0)
        .collect();
    vector.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    vector.truncate(KEPT_TERMS);
    let length = vector.iter().map(|(_, weight)| weight * weight).sum::<f32>().sqrt();
    vector.iter_mut().for_each(|(_, weight)| *weight /= length);
    vector
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{analyze, TITLE, BODY};

    fn sign(title: &str, body: &str) -> Signature {
        signature(&analyze(&[(TITLE, title), (BODY, body)]), crate::story::fingerprint(title, body))
    }

    /// Headlines and openings written for this test in the manner of JawharaFM's news: two topics with
    /// three articles each, and unrelated ones around them.
    fn articles() -> Vec<Signature> {
        let texts = [
            ("الترجي الرياضي يفوز على النجم الساحلي في الدربي", "فاز فريق الترجي الرياضي على النجم الساحلي بهدفين مقابل هدف في مباراة الدربي ضمن البطولة الوطنية لكرة القدم وسجل المهاجم هدف الفوز"),
            ("وزارة الصحة تعلن عن حملة تلقيح ضد النزلة الموسمية", "أعلنت وزارة الصحة عن انطلاق الحملة الوطنية للتلقيح ضد النزلة الموسمية في كامل المستشفيات والمراكز الصحية"),
            ("النجم الساحلي يستعد لمواجهة الترجي في البطولة", "يواصل فريق النجم الساحلي تحضيراته لمباراة الترجي الرياضي في البطولة الوطنية لكرة القدم بمشاركة كامل اللاعبين والمهاجم الجديد"),
            ("ارتفاع أسعار الخضر في الأسواق", "شهدت أسعار الخضر والغلال ارتفاعا ملحوظا في الأسواق البلدية خلال الأسبوع الجاري حسب المعهد الوطني للإحصاء"),
            ("حملة التلقيح ضد النزلة الموسمية تنطلق في المستشفيات", "تنطلق حملة التلقيح ضد النزلة الموسمية في المستشفيات والمراكز الصحية وتدعو وزارة الصحة المواطنين إلى التلقيح"),
            ("مدرب الترجي: مباراة النجم الساحلي صعبة", "قال مدرب الترجي الرياضي إن مباراة النجم الساحلي في البطولة ستكون صعبة وإن الفريق جاهز لكرة القدم الهجومية"),
            ("الحماية المدنية تتدخل لإطفاء حريق في غابة", "تدخلت وحدات الحماية المدنية لإطفاء حريق اندلع في غابة بالشمال الغربي ولم يسجل أي ضحايا"),
            ("وزارة الصحة: التلقيح ضد النزلة الموسمية مجاني", "أكدت وزارة الصحة أن التلقيح ضد النزلة الموسمية مجاني في المراكز الصحية العمومية للمواطنين"),
        ];
        texts.iter().map(|(title, body)| sign(title, body)).collect()
    }

    #[test]
    fn articles_on_one_topic_name_each_other_and_not_the_others() {
        let related = related(&articles());
        let football = [0u32, 2, 5];
        let health = [1u32, 4, 7];
        for doc in football {
            assert!(!related[doc as usize].is_empty(), "{doc} has related articles");
            assert!(related[doc as usize].iter().all(|other| football.contains(other) && *other != doc), "{doc}: {:?}", related[doc as usize]);
        }
        for doc in health {
            assert!(related[doc as usize].iter().all(|other| health.contains(other) && *other != doc), "{doc}: {:?}", related[doc as usize]);
        }
        assert!(related[1].contains(&4) && related[4].contains(&7));
        assert!(related[3].is_empty() && related[6].is_empty(), "an article on nothing else has none: {related:?}");
    }

    #[test]
    fn a_copy_is_not_related_and_lists_stop_at_five() {
        let mut signatures = articles();
        signatures.push(signatures[1].clone());
        let found = related(&signatures);
        assert!(!found[1].contains(&8) && !found[8].contains(&1), "a copy is the story badge's business: {found:?}");
        assert!(found[8].contains(&4) && found[8].contains(&7), "the copy still has the topic's others: {found:?}");
        let (title, body) = ("وزارة الصحة تعلن عن حملة تلقيح", "أعلنت وزارة الصحة عن انطلاق الحملة الوطنية للتلقيح ضد النزلة الموسمية في كامل المستشفيات");
        // Many articles around the same words, each a little different: at most five each.
        signatures = (0..12).map(|n| sign(title, &format!("{body} الفقرة {n} رقم{n} والجهة{}", n % 3))).collect();
        signatures.extend((0..90).map(|n| sign(&format!("خبر{n} آخر"), &format!("نص{n} مختلف كلمة{n} جملة{}", n % 40))));
        let related = related(&signatures);
        assert!(related.iter().all(|list| list.len() <= RELATED));
    }

    #[test]
    fn the_lists_depend_only_on_the_articles() {
        let signatures = articles();
        assert_eq!(related(&signatures), related(&signatures.clone()));
        assert_eq!(related(&[]), Vec::<Vec<u32>>::new());
        assert_eq!(related(&signatures[..1]), vec![Vec::<u32>::new()]);
        // Stems as the index cuts them, deduplicated: the same text gives the same signature.
        assert_eq!(sign("الترجي", "الترجي الرياضي"), sign("الترجي", "الترجي الرياضي"));
    }
}
