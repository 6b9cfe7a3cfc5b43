//! Running a query: which documents match, and in what order. The algorithm is written once, over
//! [`TermSource`], so the in-memory index (headlines, tests) and the sharded index of a bundle (articles) give
//! the same hits in the same order.
//!
//! Words are ANDed; each word matches a document through its surface form (or, while typed, as a prefix), its
//! stem, or a proclitic form, on either side: a document's و‌هجوم is found by هجوم, and a typed وهجوم finds a
//! document's هجوم (`stem::without_clitic`, the one rule for both). Documents are ordered by a BM25 score over
//! weighted fields in which a word matched as typed and a word found in the title earn bonuses (and a form
//! matched as typed weighs by its own rarity as well as its stem's), then newest
//! first (smaller document number).

mod first;

pub use first::{early_first_hits, search_first, FirstHits, EARLY_ANSWER_LEAST_SAVED};
use super::positions::Positions;
use super::query::Query;
use crate::stem::{stem, stem_after_article, without_clitic, without_conjunction};

/// Title words count three times, subheading words twice, body words once.
pub const FIELD_WEIGHTS: [u32; 3] = [3, 2, 1];
/// How much a match through each kind of key is worth next to a surface match.
const SURFACE: f32 = 1.0;
const PREFIX: f32 = 0.9;
const STEM: f32 = 0.6;
const CLITIC: f32 = 0.5;
/// What a word matched as typed (its surface form, or as a typed prefix) adds to a document's score, in the
/// units of a match's weight: enough that the typed form wins between otherwise equal documents, not so much
/// that a body that merely mentions the typed form outranks a title holding every word in another form.
const SURFACE_BONUS: f32 = 0.5;
/// What a word found in the document's title adds, in the same units: a known article is looked for by words of
/// its title, and a title that holds them says more than a body that repeats them (news about the Korean
/// summit says الجزيرة الكورية ten times; the article titled «قمة الجزيرة» says it once).
const TITLE_BONUS: f32 = 1.0;
/// A word being typed expands to the `PREFIX_EXPANSIONS` most frequent of the first `PREFIX_SCAN` keys that
/// start with it, in dictionary order. When what is typed so far is already a word of the archive (الحر on the
/// way to الحرية, مصر on the way to مصرف), it expands too, or the article the reader is typing toward would
/// vanish until the word is complete; but only to completions whose postings together cover at most one
/// document in `WORD_COMPLETION_SHARE` of the archive, most frequent first, since expanding a frequent word
/// to every longer one fetched megabytes per keystroke at a million articles. The scan is bounded so that a
/// short prefix reads a bounded part of a sharded dictionary; both indexes apply the same rules, so they agree.
pub const PREFIX_SCAN: usize = 512;
pub const PREFIX_EXPANSIONS: usize = 16;
/// With other words in the query, the word being typed is matched last, only near the documents those words
/// leave, so its postings cost little: it expands to this many completions, with no budget, and a rare
/// completion (يطلق الذ… on the way to الذعر) is not crowded out by the frequent ones.
const PREFIX_EXPANSIONS_WITH_OTHERS: usize = 64;
/// Beside other words, every scanned completion held by at most this many documents is taken as well: such
/// rare keys keep their postings inside their term block, which the scan read already, so they cost nothing
/// more, and the word a reader is typing toward is often one of them (بالح… on the way to بالحرث).
const RARE_COMPLETION: u32 = 8;
/// Alone in the query, a word that is already a word expands only to completions whose postings together
/// cover at most one document in this many; small archives may always spend `WORD_COMPLETION_FLOOR`.
const WORD_COMPLETION_SHARE: u32 = 16;
const WORD_COMPLETION_FLOOR: u32 = 256;
/// How many times more common than its remainder a typed form with a proclitic must be to stand as a word of
/// its own (see `resolve`).
const CLITIC_FORM_RATIO: u32 = 4;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The three dictionaries of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    Surface,
    Stem,
    Clitic,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// How many of the query's words this document holds in their surface form (or as a typed prefix).
    pub surface_words: u32,
}

/// The document length that BM25's length normalization compares articles with. BM25 uses the collection's
/// average, but that changes with every article added, and with it every impact byte of every segment; a
/// fixed reference keeps a posting a function of its own document, so old segments never change and an update
/// ranks exactly as a rebuild. It sits among the averages of the real corpora (124 to 302 words).
pub const REFERENCE_LENGTH: f32 = 256.0;

/// The saturated, length-normalized BM25 weight of a key in an article, and whether the key occurs in its
/// title, as one byte. The bundle stores this byte instead of counts and document lengths, so ranking needs
/// nothing beyond the postings. `counted` is a key's count as `index::counted` packs it.
pub fn impact(counted: u32, doc_length: u32) -> u8 {
    impact_against(counted, doc_length, REFERENCE_LENGTH)
}

/// [`impact`] against another reference length: the headlines' in-memory index uses their own average.
pub fn impact_against(counted: u32, doc_length: u32, reference_length: f32) -> u8 {
    let (weighted_count, in_title) = super::index::uncounted(counted);
    let count = weighted_count as f32;
    let length_factor = 1.0 - B + B * doc_length as f32 / reference_length.max(1.0);
    let saturated = count / (count + K1 * length_factor);
    let level = (saturated * IMPACT_LEVELS as f32).round().clamp(1.0, IMPACT_LEVELS as f32) as u8;
    (8 * u32::from(level) - 5 + 4 * u32::from(in_title)) as u8
}

/// An impact byte read back: the weight (a level over `IMPACT_LEVELS`, in 0..=1) and whether the key is in
/// the title. Levels are 8 apart (3, 11 … 251, or 7, 15 … 255 in a title), so any byte reads as something.
pub fn read_impact(byte: u8) -> (f32, bool) {
    let shifted = u32::from(byte) + 5;
    let level = (shifted / 8).clamp(1, u32::from(IMPACT_LEVELS));
    (level as f32 / f32::from(IMPACT_LEVELS), shifted % 8 == 4)
}

/// Impacts take one of this many levels. Finer steps would only add noise below what BM25 can tell apart,
/// and cost bytes: with 32 levels the postings compress 15 % smaller than with 255 (measured on the real
/// JawharaFM corpus).
const IMPACT_LEVELS: u8 = 32;

/// The average document length both index kinds use, computed the same way.
pub fn average_length(total_words: u64, documents: usize) -> f32 {
    (total_words as f64 / documents.max(1) as f64) as f32
}

fn idf(document_frequency: u32, documents: u32) -> f32 {
    let df = document_frequency as f32;
    (1.0 + (documents as f32 - df + 0.5) / (df + 0.5)).ln()
}

/// A part of the index that is not loaded yet; sharded indexes name the files to fetch.
pub type Missing = Vec<String>;

/// What the ranking needs from an index. Every method may answer `Err(missing files)`; an in-memory index never
/// does. `within`, when given, is a sorted list of the only documents the caller still cares about: a source
/// may skip postings outside it (and avoid fetching them) but must return every posting inside it.
pub trait TermSource {
    fn doc_count(&self) -> u32;
    /// The number of documents holding the key, or `None` when the dictionary lacks it.
    fn document_frequency(&self, kind: KeyKind, term: &str) -> Result<Option<u32>, Missing>;
    /// Up to `PREFIX_SCAN` keys that start with `prefix` (other than `prefix` itself), in dictionary order,
    /// with their document frequencies.
    fn keys_with_prefix(&self, kind: KeyKind, prefix: &str) -> Result<Vec<(String, u32)>, Missing>;
    /// The key's postings as (document, impact), in document order.
    fn postings(&self, kind: KeyKind, term: &str, within: Option<&[u32]>) -> Result<Vec<(u32, u8)>, Missing>;
    /// The word positions of a surface key in each of `docs` (sorted) that holds it.
    fn positions(&self, term: &str, docs: &[u32]) -> Result<Positions, Missing>;
    /// The key's best postings and bounds on the others (see [`Leaders`]); an index without leaders gives
    /// every posting, which leaves nothing out.
    fn leaders(&self, kind: KeyKind, term: &str) -> Result<Leaders, Missing> {
        Ok(Leaders { postings: self.postings(kind, term, None)?, rests: Vec::new() })
    }
    /// The bytes of postings the key's leaders stand for, from the dictionary alone: 0 for a key without
    /// leaders, and for an index that keeps none.
    fn leaders_stand_for(&self, _kind: KeyKind, _term: &str) -> Result<u64, Missing> {
        Ok(0)
    }
    /// The bytes of a surface key's positions stored apart from its term entry, from the dictionary alone: what
    /// checking a phrase over every document holding it reads. 0 for an index that keeps them in memory.
    fn positions_stand_for(&self, _term: &str) -> Result<u64, Missing> {
        Ok(0)
    }
}

/// Some of a key's postings, in document order, and for the postings left out, per group of documents, how
/// high their impact bytes go: what [`search_first`] reads instead of a frequent key's every posting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Leaders {
    pub postings: Vec<(u32, u8)>,
    pub rests: Vec<RestBound>,
}

/// The postings of a key among documents `span` (inclusive) and in one group (in the title or not, as the
/// byte `top` says) that its leaders leave out: none has an impact byte above `top`, and those with `top` are
/// of documents after `after`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RestBound {
    pub top: u8,
    pub after: Option<u32>,
    pub span: (u32, u32),
}

impl RestBound {
    /// The highest impact byte a left-out posting of document `doc` may have, if any.
    fn bound_for(&self, doc: u32) -> Option<u8> {
        if doc < self.span.0 || doc > self.span.1 || self.top == 0 {
            return None;
        }
        match self.after {
            // Below `top` by one level (levels are 8 apart); none below the lowest.
            Some(after) if doc <= after => self.top.checked_sub(8).filter(|&byte| read_impact(byte).0 < read_impact(self.top).0),
            _ => Some(self.top),
        }
    }
}

/// How one query word matches one document.
#[derive(Clone, Copy, Debug)]
struct Match {
    doc: u32,
    weight: f32,
    by_surface: bool,
    in_title: bool,
}

/// The keys a query word reaches, with the weight of each kind of match.
struct WordKeys {
    keys: Vec<(KeyKind, String, f32, bool)>,
    /// The largest document frequency among the keys: the word's rarity for idf and evaluation order.
    document_frequency: u32,
    /// A word being typed beside other words whose completions the bounded scan could not all see (a short
    /// prefix such as الق or وال has thousands, and the scan reads the first `PREFIX_SCAN` in dictionary
    /// order), or whose expansion left some out: it ranks the documents the other words find instead of
    /// filtering them, since the completion the reader is typing toward (القمر, والرد, الاسكان) may be one the
    /// scan never reached or the expansion passed over.
    ranks_only: bool,
}

/// The keys of query word `word`; `prefix` while it is being typed, `alone` when the query has no other word.
fn resolve<S: TermSource + ?Sized>(source: &S, word: &str, prefix: bool, alone: bool) -> Result<WordKeys, Missing> {
    let mut keys: Vec<(KeyKind, String, f32, bool)> = Vec::new();
    let mut document_frequency = 0;
    let mut ranks_only = false;
    let mut missing = Missing::new();
    // Looks a key up; a key the dictionary lacks is left out. Answers whether the key is there (or not
    // known yet, when its block is missing).
    let mut look_up = |kind: KeyKind, term: String, weight: f32, by_surface: bool, keys: &mut Vec<_>| {
        match source.document_frequency(kind, &term) {
            Ok(Some(df)) => {
                document_frequency = document_frequency.max(df);
                keys.push((kind, term, weight, by_surface));
                true
            }
            Ok(None) => false,
            Err(more) => {
                missing.extend(more);
                true
            }
        }
    };
    let typed_is_a_word = look_up(KeyKind::Surface, word.to_owned(), SURFACE, true, &mut keys);
    look_up(KeyKind::Stem, stem(word), STEM, false, &mut keys);
    if let Some(kept) = stem_after_article(word) {
        look_up(KeyKind::Stem, kept, STEM, false, &mut keys);
    }
    // The word after a proclitic in a document (محاربة in ومحاربة). The index keeps every such remainder, each
    // segment from its own articles alone; the remainder counts only where the archive uses it as a word of its
    // own, so a document with وزارة is never found by زارة.
    if typed_is_a_word {
        look_up(KeyKind::Clitic, word.to_owned(), CLITIC, false, &mut keys);
    }
    let typed = surface_frequency(source, word);
    // A proclitic typed glued to the word (وهجوم, وبغلق, بالمنتخب): the word without it is matched too, as the
    // index side reads a document's words, unless the form typed is `CLITIC_FORM_RATIO` times more common than
    // the remainder. So وزارة never becomes زارة, nor وزير زير: those forms are the archive's words, their
    // remainders rare or absent; وتحطم, about as common as تحطم, is stripped.
    // A word still being typed is stripped the same way (its remainder matched as a whole word).
    // While the typed form's own block is missing, each remainder's is asked for in the same round (a remainder
    // usually sits under another letter, in another root page and block: one round of requests, not two).
    for rest in clitic_remainders(word) {
        match (&typed, surface_frequency(source, rest)) {
            (Err(more), rest_found) => {
                missing.extend(more.iter().cloned());
                missing.extend(rest_found.err().unwrap_or_default());
            }
            (_, Err(more)) => missing.extend(more),
            (Ok(typed), Ok(Some(found))) if found.saturating_mul(CLITIC_FORM_RATIO) > typed.unwrap_or(0) => {
                document_frequency = document_frequency.max(found);
                keys.push((KeyKind::Surface, rest.to_owned(), CLITIC, false));
                keys.push((KeyKind::Clitic, rest.to_owned(), CLITIC, false));
                break;
            }
            (Ok(_), Ok(_)) => {}
        }
    }
    if prefix {
        let (budget, expansions) = match &typed {
            _ if !alone => (u32::MAX, PREFIX_EXPANSIONS_WITH_OTHERS),
            Ok(Some(_)) => ((source.doc_count() / WORD_COMPLETION_SHARE).max(WORD_COMPLETION_FLOOR), PREFIX_EXPANSIONS),
            _ => (u32::MAX, PREFIX_EXPANSIONS),
        };
        for (kind, weight, by_surface) in [(KeyKind::Surface, PREFIX, true), (KeyKind::Clitic, CLITIC, false)] {
            match source.keys_with_prefix(kind, word).and_then(|found| words_of_the_archive(source, kind, found)) {
                Ok(mut found) => {
                    ranks_only |= !alone && kind == KeyKind::Surface && found.len() >= PREFIX_SCAN;
                    // Most frequent first; dictionary order breaks ties, so the choice is deterministic. The
                    // scan already gave each key's document frequency.
                    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    let scanned = found.len();
                    let chosen: Vec<(String, u32)> = found.into_iter().enumerate().filter(|(rank, (_, df))| *rank < expansions || (!alone && *df <= RARE_COMPLETION)).map(|(_, found)| found).collect();
                    // Beside other words, a completion left out (neither among the most frequent nor rare) may be
                    // the one the reader is typing toward (الاسكان among the hundreds of الاس…): as when the scan
                    // fills up, the word ranks the other words' documents instead of filtering them out.
                    ranks_only |= !alone && kind == KeyKind::Surface && chosen.len() < scanned;
                    let mut spent = 0u32;
                    for (key, df) in chosen {
                        if spent.saturating_add(df) > budget {
                            continue;
                        }
                        spent = spent.saturating_add(df);
                        document_frequency = document_frequency.max(df);
                        keys.push((kind, key, weight, by_surface));
                    }
                }
                Err(more) => missing.extend(more),
            }
        }
    }
    // The form as typed counts at its own rarity too: the word's idf is its most common key's (a stem often),
    // and a rare form (اقتصاديات) matched as typed says more than its common stem (اقتصاد) matched elsewhere.
    // The square root of the two idfs' ratio: the whole ratio, measured on the three real corpora, lifted
    // the "title + body word" habit as much but cost the exact titles more (eval-search, BENCHMARKS.md).
    if let (Ok(Some(typed_frequency)), Some((KeyKind::Surface, key, weight, _))) = (&typed, keys.first_mut()) {
        if key == word {
            let documents = source.doc_count().max(1);
            *weight *= (idf(*typed_frequency, documents) / idf(document_frequency, documents)).sqrt();
        }
    }
    if missing.is_empty() { Ok(WordKeys { keys, document_frequency, ranks_only }) } else { Err(missing) }
}

/// Completions of `kind` that the archive uses as words of their own: a clitic remainder (زارة of وزارة) is
/// not one unless the surface dictionary holds it too. Surface completions are words already.
fn words_of_the_archive<S: TermSource + ?Sized>(source: &S, kind: KeyKind, found: Vec<(String, u32)>) -> Result<Vec<(String, u32)>, Missing> {
    if kind != KeyKind::Clitic {
        return Ok(found);
    }
    let mut words = Vec::with_capacity(found.len());
    let mut missing = Missing::new();
    for (key, df) in found {
        match surface_frequency(source, &key) {
            Ok(Some(_)) => words.push((key, df)),
            Ok(None) => {}
            Err(more) => missing.extend(more),
        }
    }
    if missing.is_empty() { Ok(words) } else { Err(missing) }
}

/// The one key of a phrase word: its surface form.
fn resolve_exact<S: TermSource + ?Sized>(source: &S, word: &str) -> Result<WordKeys, Missing> {
    let keys = match surface_frequency(source, word)? {
        Some(document_frequency) => WordKeys { keys: vec![(KeyKind::Surface, word.to_owned(), SURFACE, true)], document_frequency, ranks_only: false },
        None => WordKeys { keys: Vec::new(), document_frequency: 0, ranks_only: false },
    };
    Ok(keys)
}

fn surface_frequency<S: TermSource + ?Sized>(source: &S, word: &str) -> Result<Option<u32>, Missing> {
    source.document_frequency(KeyKind::Surface, word)
}

/// What a typed word may be without its proclitics: one (وهجوم → هجوم), then, after a conjunction, a second
/// (وبغلق → بغلق → غلق); each must leave a word of three letters (`without_clitic`), or, after a conjunction,
/// of two (وفي → في, `without_conjunction`).
fn clitic_remainders(word: &str) -> Vec<&str> {
    let mut remainders: Vec<&str> = without_conjunction(word).into_iter().collect();
    if let Some(rest) = without_clitic(word) {
        remainders.push(rest);
        if word.starts_with(['و', 'ف']) {
            remainders.extend(without_clitic(rest));
        }
    }
    remainders
}

/// The order of hits, best first: higher score, then the newer document.
pub fn best_first(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

/// Every document a word matches (within `within`), in document order, keeping its best kind of match.
fn matches<S: TermSource + ?Sized>(source: &S, word: &WordKeys, within: Option<&[u32]>) -> Result<Vec<Match>, Missing> {
    let mut lists: Vec<KeyPostings> = Vec::with_capacity(word.keys.len());
    let mut missing = Missing::new();
    for (kind, term, weight, by_surface) in &word.keys {
        match source.postings(*kind, term, within) {
            Ok(postings) => lists.push(KeyPostings { postings, weight: *weight, by_surface: *by_surface }),
            Err(more) => missing.extend(more),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(merge(lists))
}

/// One key's postings and what a match through it is worth.
struct KeyPostings {
    postings: Vec<(u32, u8)>,
    weight: f32,
    by_surface: bool,
}

impl KeyPostings {
    fn match_of(&self, (doc, impact): (u32, u8)) -> Match {
        let (level, in_title) = read_impact(impact);
        Match { doc, weight: self.weight * level, by_surface: self.by_surface, in_title }
    }
}

/// A word's keys' postings merged in document order, keeping per document the best weight and whether any match
/// was by surface form or in the title (each an associative, commutative choice, so the order of the keys does
/// not matter). A word reaches up to 64 keys while typed, and a frequent word's keys hold most of the archive
/// between them: when the postings are dense in the documents they span, they are folded into one flat table
/// over that span and read back in order, which costs a pass over each list and one over the span; sparse lists
/// are merged two at a time, always the two shortest (the optimal merge pattern), so a frequent word's long list
/// is copied once however many small completions come with it.
fn merge(mut lists: Vec<KeyPostings>) -> Vec<Match> {
    lists.retain(|list| !list.postings.is_empty());
    if lists.len() == 1 {
        let list = &lists[0];
        return list.postings.iter().map(|&posting| list.match_of(posting)).collect();
    }
    let total: usize = lists.iter().map(|list| list.postings.len()).sum();
    let first = lists.iter().filter_map(|list| list.postings.first()).map(|&(doc, _)| doc).min().unwrap_or(0);
    let last = lists.iter().filter_map(|list| list.postings.last()).map(|&(doc, _)| doc).max().unwrap_or(0);
    // Postings from the network may be out of order: then `last` may be below `first`, and the lists merge as
    // lists. The span is bounded by the postings' own count, so damaged numbers cannot ask for a huge table.
    let span = last.checked_sub(first).map(|span| span as usize + 1);
    match span {
        Some(span) if span <= total.saturating_mul(DENSE_SPAN_PER_POSTING) => merge_dense(&lists, first, span),
        _ => merge_sparse(lists),
    }
}

/// How many documents of span per posting the flat table of [`merge`] may cover: past this, the span's pass
/// costs more than merging lists.
const DENSE_SPAN_PER_POSTING: usize = 4;

fn merge_dense(lists: &[KeyPostings], first: u32, span: usize) -> Vec<Match> {
    const FOUND: u8 = 1;
    const BY_SURFACE: u8 = 2;
    const IN_TITLE: u8 = 4;
    let mut weights = vec![0f32; span];
    let mut flags = vec![0u8; span];
    for list in lists {
        // What each impact byte means through this key, worked out once rather than per posting.
        let surface = if list.by_surface { BY_SURFACE } else { 0 };
        let mut weight_of = [0f32; 256];
        let mut flags_of = [0u8; 256];
        for byte in 0..=255u8 {
            let (level, in_title) = read_impact(byte);
            weight_of[byte as usize] = list.weight * level;
            flags_of[byte as usize] = FOUND | surface | if in_title { IN_TITLE } else { 0 };
        }
        for &(doc, impact) in &list.postings {
            // A posting out of order (damaged bytes) may fall outside the span: it is skipped.
            let at = doc.wrapping_sub(first) as usize;
            let (Some(old_weight), Some(old_flags)) = (weights.get_mut(at), flags.get_mut(at)) else { continue };
            let weight = weight_of[impact as usize];
            if *old_flags & FOUND == 0 || weight > *old_weight {
                *old_weight = weight;
            }
            *old_flags |= flags_of[impact as usize];
        }
    }
    let mut out = Vec::with_capacity(span.min(lists.iter().map(|list| list.postings.len()).sum()));
    for (at, (&weight, &flag)) in weights.iter().zip(&flags).enumerate() {
        if flag & FOUND != 0 {
            out.push(Match { doc: first + at as u32, weight, by_surface: flag & BY_SURFACE != 0, in_title: flag & IN_TITLE != 0 });
        }
    }
    out
}

fn merge_sparse(lists: Vec<KeyPostings>) -> Vec<Match> {
    let mut lists: Vec<Vec<Match>> = lists.iter().map(|list| list.postings.iter().map(|&posting| list.match_of(posting)).collect()).collect();
    // Longest first, so the two shortest are at the end.
    lists.sort_by_key(|list| std::cmp::Reverse(list.len()));
    while lists.len() > 1 {
        let (a, b) = (lists.pop().expect("two lists"), lists.pop().expect("two lists"));
        let merged = merge_two(&a, &b);
        let at = lists.partition_point(|list| list.len() > merged.len());
        lists.insert(at, merged);
    }
    lists.pop().unwrap_or_default()
}

/// Two lists in document order merged into one. Linear, which matters for a frequent word's half a million
/// postings.
fn merge_two(a: &[Match], b: &[Match]) -> Vec<Match> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.doc < y.doc {
            out.push(x);
            i += 1;
        } else if x.doc > y.doc {
            out.push(y);
            j += 1;
        } else {
            out.push(Match { doc: x.doc, weight: x.weight.max(y.weight), by_surface: x.by_surface || y.by_surface, in_title: x.in_title || y.in_title });
            i += 1;
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The documents matching `query`, best first. An empty query matches nothing; callers treat it as "no text
/// filter". `Err` names the parts of a sharded index to load before asking again.
pub fn search<S: TermSource + ?Sized>(source: &S, query: &Query) -> Result<Vec<Hit>, Missing> {
    let Some(mut matched) = match_words(source, query)? else { return Ok(Vec::new()) };
    matched.candidates = keep_checked(source, query, &matched.excluded, std::mem::take(&mut matched.candidates))?;
    Ok(best_first_from_document_order(matched.scored()))
}

/// What a query's words leave before its phrases and exclusions are checked: the documents holding every word
/// that filters, and each word's matches among them, in document order.
struct Matched {
    candidates: Vec<u32>,
    per_word: Vec<Vec<Match>>,
    idfs: Vec<f32>,
    excluded: Vec<WordKeys>,
}

impl Matched {
    /// The candidates with their scores, in document order. A phrase or an exclusion only removes documents,
    /// so a document's score is the same whether it is computed before they are checked or after.
    fn scored(&self) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self.candidates.iter().map(|&doc| Hit { doc, score: 0.0, surface_words: 0 }).collect();
        let score = |hit: &mut Hit, m: &Match, idf: f32| {
            hit.score += word_score(idf, m);
            hit.surface_words += u32::from(m.by_surface);
        };
        for (found, &idf) in self.per_word.iter().zip(&self.idfs) {
            // A word that every hit holds, and nothing else (a query of one word), pairs with the hits one to one.
            if found.len() == hits.len() && found.iter().zip(&hits).all(|(m, hit)| m.doc == hit.doc) {
                hits.iter_mut().zip(found).for_each(|(hit, m)| score(hit, m, idf));
                continue;
            }
            // Both lists are in document order, so one walk pairs them.
            let mut next = 0;
            for hit in &mut hits {
                while next < found.len() && found[next].doc < hit.doc {
                    next += 1;
                }
                if let Some(m) = found.get(next).filter(|m| m.doc == hit.doc) {
                    score(hit, m, idf);
                }
            }
        }
        hits
    }
}

/// The words of `query` matched (see [`Matched`]); `None` when the query has nothing to match, or a word that
/// filters matches nothing.
fn match_words<S: TermSource + ?Sized>(source: &S, query: &Query) -> Result<Option<Matched>, Missing> {
    let required = query.required_words();
    if required.is_empty() && query.excluded.is_empty() {
        return Ok(None);
    }
    // Resolve every word first, so all the dictionary blocks a query needs are asked for at once.
    let mut missing = Missing::new();
    let mut words = Vec::new();
    for (index, &(word, prefix)) in required.iter().enumerate() {
        // A word of a phrase is held only where the document has it as typed (its positions are its surface
        // key's): its other keys could only bring documents the phrase check then drops.
        let in_phrase = index >= query.words.len();
        let resolved = if in_phrase { resolve_exact(source, word) } else { resolve(source, word, prefix, required.len() == 1) };
        match resolved {
            Ok(keys) => words.push(keys),
            Err(more) => missing.extend(more),
        }
    }
    let mut excluded = Vec::new();
    for word in &query.excluded {
        match resolve(source, word, false, true) {
            Ok(keys) => excluded.push(keys),
            Err(more) => missing.extend(more),
        }
    }
    if !missing.is_empty() {
        return Err(dedup(missing));
    }

    // The rarest word first: every later word only needs postings near the documents still standing. A word
    // that only ranks comes after the words that filter, matched among the documents they leave.
    let filters = |word: &WordKeys| !word.ranks_only || words.iter().all(|word| word.ranks_only);
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&i| (!filters(&words[i]), words[i].document_frequency, i));
    let mut per_word: Vec<Vec<Match>> = vec![Vec::new(); words.len()];
    let mut candidates: Option<Vec<u32>> = None;
    for &i in &order {
        let found = matches(source, &words[i], candidates.as_deref()).map_err(dedup)?;
        if !filters(&words[i]) {
            per_word[i] = found;
            continue;
        }
        let docs: Vec<u32> = found.iter().map(|m| m.doc).collect();
        candidates = Some(match candidates {
            None => docs,
            Some(previous) => intersect(&previous, &docs),
        });
        per_word[i] = found;
        if candidates.as_ref().is_some_and(Vec::is_empty) {
            return Ok(None);
        }
    }
    // Only exclusions: start from every document.
    let candidates = candidates.unwrap_or_else(|| (0..source.doc_count()).collect());
    let documents = source.doc_count().max(1);
    let idfs: Vec<f32> = words.iter().map(|word| idf(word.document_frequency, documents)).collect();
    Ok(Some(Matched { candidates, per_word, idfs, excluded }))
}

/// The documents of `candidates` (sorted) that hold each of the query's phrases and none of its excluded
/// words. Only the positions and postings around them are read.
fn keep_checked<S: TermSource + ?Sized>(source: &S, query: &Query, excluded: &[WordKeys], mut candidates: Vec<u32>) -> Result<Vec<u32>, Missing> {
    for phrase in &query.phrases {
        // Every word's positions are asked for together: they depend only on the candidates, so one round.
        let mut positions = Vec::with_capacity(phrase.len());
        let mut missing = Missing::new();
        for word in phrase {
            match source.positions(word, &candidates) {
                Ok(found) => positions.push(found),
                Err(more) => missing.extend(more),
            }
        }
        if !missing.is_empty() {
            return Err(dedup(missing));
        }
        // Candidates and each word's positions are in document order: one cursor per word walks its list.
        let mut cursors = vec![0usize; positions.len()];
        candidates.retain(|&doc| has_phrase(&positions, &mut cursors, doc));
    }
    for word in excluded {
        let found = matches(source, word, Some(&candidates)).map_err(dedup)?;
        let excluded_docs: Vec<u32> = found.iter().map(|m| m.doc).collect();
        candidates.retain(|doc| excluded_docs.binary_search(doc).is_err());
    }
    Ok(candidates)
}

/// What one word's match adds to a document's score. [`search_first`] compares bounds computed by it with
/// scores computed by it, so both must come from here, bit for bit.
fn word_score(idf: f32, m: &Match) -> f32 {
    let bonus = if m.by_surface { SURFACE_BONUS } else { 0.0 } + if m.in_title { TITLE_BONUS } else { 0.0 };
    idf * (m.weight * (K1 + 1.0) + bonus)
}

/// Hits in document order put in [`best_first`] order. A frequent word at a million articles has hundreds of
/// thousands of hits, and a comparison sort of them took nearly half of the query's time (measured with perf
/// on a generated 100k archive); a stable sort on the score alone is linear, and since the hits come in
/// document order it leaves equal scores newer first, which is exactly `best_first`. Scores take few distinct
/// values when a query has one or two words (impacts have 32 levels, a handful of kinds of match and bonuses), so
/// they are counted by value in one pass and placed in a second; many distinct values take a radix sort. (Hits
/// from a damaged index could come out of order: they are still ordered by score, never a panic.)
fn best_first_from_document_order(hits: Vec<Hit>) -> Vec<Hit> {
    // Below this a comparison sort is as fast and needs no buffers.
    const LINEAR_FROM: usize = 256;
    if hits.len() < LINEAR_FROM {
        let mut hits = hits;
        hits.sort_unstable_by(best_first);
        return hits;
    }
    match by_distinct_scores(&hits) {
        Some(sorted) => sorted,
        None => by_radix(hits),
    }
}

/// A key per score that orders as `total_cmp` does, descending: the float's bits made monotonic, then inverted.
fn descending_key(hit: &Hit) -> u32 {
    let bits = hit.score.to_bits();
    let monotonic = if bits >> 31 == 1 { !bits } else { bits | 1 << 31 };
    !monotonic
}

/// A stable counting sort over the distinct scores, or `None` when there are more than `MOST_DISTINCT`: each
/// hit's score is looked up in a small open-addressing table (which stays in the processor's first cache),
/// the distinct scores are ordered, and each hit is copied once to its place.
fn by_distinct_scores(hits: &[Hit]) -> Option<Vec<Hit>> {
    const MOST_DISTINCT: usize = 1024;
    // A power of two, four times `MOST_DISTINCT`, so probes stay short.
    const SLOT_BITS: u32 = 12;
    const EMPTY: u16 = u16::MAX;
    let mut slot_keys = vec![0u32; 1 << SLOT_BITS];
    let mut slot_values = vec![EMPTY; 1 << SLOT_BITS];
    let mut value_keys: Vec<u32> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut value_of: Vec<u16> = Vec::with_capacity(hits.len());
    for hit in hits {
        let key = descending_key(hit);
        let mut slot = (key.wrapping_mul(0x9E37_79B1) >> (32 - SLOT_BITS)) as usize;
        let value = loop {
            match slot_values[slot] {
                EMPTY => {
                    if value_keys.len() == MOST_DISTINCT {
                        return None;
                    }
                    let value = value_keys.len() as u16;
                    slot_keys[slot] = key;
                    slot_values[slot] = value;
                    value_keys.push(key);
                    counts.push(0);
                    break value;
                }
                value if slot_keys[slot] == key => break value,
                _ => slot = (slot + 1) & ((1 << SLOT_BITS) - 1),
            }
        };
        counts[value as usize] += 1;
        value_of.push(value);
    }
    // Where each value's hits start, the values taken best first.
    let mut values: Vec<u16> = (0..value_keys.len() as u16).collect();
    values.sort_unstable_by_key(|&value| value_keys[value as usize]);
    let mut starts = vec![0usize; value_keys.len()];
    let mut next = 0;
    for value in values {
        starts[value as usize] = next;
        next += counts[value as usize];
    }
    let mut sorted = vec![Hit { doc: 0, score: 0.0, surface_words: 0 }; hits.len()];
    for (hit, &value) in hits.iter().zip(&value_of) {
        let slot = &mut starts[value as usize];
        sorted[*slot] = *hit;
        *slot += 1;
    }
    Some(sorted)
}

/// A stable least-significant-digit radix sort on [`descending_key`], a byte at a time.
fn by_radix(hits: Vec<Hit>) -> Vec<Hit> {
    let mut from = hits;
    let mut to: Vec<Hit> = Vec::with_capacity(from.len());
    for shift in [0u32, 8, 16, 24] {
        let mut starts = [0usize; 257];
        for hit in &from {
            starts[((descending_key(hit) >> shift) & 0xff) as usize + 1] += 1;
        }
        // A pass whose digit is the same for every hit would only copy.
        if starts.contains(&from.len()) {
            continue;
        }
        for digit in 1..257 {
            starts[digit] += starts[digit - 1];
        }
        to.clear();
        to.resize(from.len(), Hit { doc: 0, score: 0.0, surface_words: 0 });
        for hit in &from {
            let slot = &mut starts[((descending_key(hit) >> shift) & 0xff) as usize];
            to[*slot] = *hit;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

fn dedup(mut missing: Missing) -> Missing {
    missing.sort();
    missing.dedup();
    missing
}

/// The sorted intersection of two sorted lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Whether `doc` holds the phrase's words one after another; `positions[k]` lists, per document in document
/// order, where the k-th word of the phrase stands. `cursors[k]` is where the search in `positions[k]` resumes:
/// asked about documents in increasing order, the walk over every list is linear.
fn has_phrase(positions: &[Positions], cursors: &mut [usize], doc: u32) -> bool {
    for (per_doc, cursor) in positions.iter().zip(cursors.iter_mut()) {
        let docs = per_doc.docs();
        while docs.get(*cursor).is_some_and(|&d| d < doc) {
            *cursor += 1;
        }
        if docs.get(*cursor) != Some(&doc) {
            return false;
        }
    }
    // Every word is in the document: its positions are at each list's cursor.
    let in_doc = |word: usize| positions[word].of(cursors[word]);
    let Some(first) = positions.first().map(|_| in_doc(0)) else { return false };
    match positions.len() {
        // Two words, the common phrase: both lists ascend, so one walk over both answers.
        2 => {
            let second = in_doc(1);
            let mut next = 0;
            first.iter().any(|&start| {
                let wanted = start.saturating_add(1);
                while second.get(next).is_some_and(|&at| at < wanted) {
                    next += 1;
                }
                second.get(next) == Some(&wanted)
            })
        }
        _ => first.iter().any(|&start| (1..positions.len()).all(|word| in_doc(word).binary_search(&(start.saturating_add(word as u32))).is_ok())),
    }
}

#[cfg(test)]
mod tests {
    use super::{best_first, best_first_from_document_order, by_distinct_scores, has_phrase, impact, impact_against, merge_dense, merge_sparse, read_impact, Hit, KeyPostings, Match};
    use crate::search::Positions;
    use crate::search::{Query, SearchIndex};
    use crate::{Article, Block, BlockKind};

    fn article(title: &str, body: &str) -> Article {
        let blocks = vec![Block { kind: BlockKind::Paragraph, text: body.to_owned() }];
        Article { id: title.to_owned(), title: title.to_owned(), outlet: None, published: None, blocks, url: None }
    }

    #[test]
    fn a_phrase_is_found_where_its_words_follow_one_another_in_a_document() {
        let list = |docs: &[(u32, &[u32])]| {
            let mut positions = Positions::default();
            docs.iter().for_each(|&(doc, at)| positions.push(doc, at.iter().copied()));
            positions
        };
        // Document 1: the second word follows only the first word's last place. Document 2: each word is
        // there, never one right after the other. Document 3: the second word is missing.
        let first = list(&[(1, &[0, 4, 9]), (2, &[3, 7]), (3, &[0])]);
        let second = list(&[(1, &[2, 6, 10]), (2, &[1, 5, 9])]);
        let third = list(&[(1, &[11]), (2, &[10])]);
        let two = [first.clone(), second.clone()];
        let mut cursors = [0, 0];
        assert_eq!([1, 2, 3].map(|doc| has_phrase(&two, &mut cursors, doc)), [true, false, false]);
        let three = [first, second, third];
        let mut cursors = [0, 0, 0];
        assert_eq!([1, 2, 3].map(|doc| has_phrase(&three, &mut cursors, doc)), [true, false, false]);
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

    fn order(articles: &[Article], query: &str) -> Vec<u32> {
        SearchIndex::build(articles, &[]).articles.search(&Query::parse(query)).iter().map(|hit| hit.doc).collect()
    }

    #[test]
    fn a_proclitic_typed_glued_to_a_word_finds_the_word_alone() {
        // From JawharaFM's titles, as readers type them with a clitic glued on (the clitics habit of
        // `cargo xtask eval-search`).
        let articles = [
            article("لحظة اشتعال سيارة منفذ هجوم الشانزليزيه", "هجوم في باريس"),
            article("الكويتيون يطالبون بغلق مكتب قناة", "غلق المكتب"),
            article("مقال آخر", "لا شيء هنا"),
        ];
        assert_eq!(order(&articles, "منفذ وهجوم الشانزليزيه "), [0]);
        assert_eq!(order(&articles, "يطالبون وبغلق "), [1], "a conjunction, then a preposition");
        assert_eq!(order(&articles, "منفذ وهجوم"), [0], "and while the word is being typed");
        let articles = [article("انفجار لغم في القصرين", "لغم"), article("انفجار لغم جديد", "لغم")];
        assert_eq!(order(&articles, "انفجار لغم وفي "), [0], "a conjunction on a word of two letters");
    }

    #[test]
    fn a_word_of_the_archive_is_never_cut_into_a_rarer_one() {
        // وزير is a word here, far more common than زير: a typed وزير is that word, not و + زير.
        let mut articles: Vec<Article> = ["الداخلية", "الخارجية", "العدل", "المالية", "الصحة"].iter().map(|of| article(&format!("وزير {of}"), "تصريح")).collect();
        articles.push(article("زير", "قصة"));
        assert_eq!(order(&articles, "وزير "), [0, 1, 2, 3, 4]);
        // And وزارة finds no زارة, which the archive does not hold.
        let articles = [article("وزارة الصحة", "بلاغ"), article("زيارة", "زيارة رسمية")];
        assert_eq!(order(&articles, "وزارة "), [0]);
    }

    #[test]
    fn a_title_holding_every_word_beats_a_body_that_only_mentions_the_typed_forms() {
        // The reader typed للجزائر; the article they want has الجزائر in its title. The other mentions للجزائر
        // once, deep in a long body.
        let filler = "كلام عام عن أشياء كثيرة ".repeat(40);
        let articles = [
            article("معطلون يتوجهون إلى الجزائر", "خبر قصير"),
            article("خبر رياضي", &format!("{filler} سافر إلى للجزائر {filler}")),
        ];
        assert_eq!(order(&articles, "إلى للجزائر "), [0, 1]);
    }

    #[test]
    fn a_title_holding_the_words_beats_bodies_that_repeat_them() {
        // ANT multi-source: «قمة الجزيرة» titles one article; reports of the Korean summit say قمة in their
        // titles and الجزيرة الكورية again and again in their bodies.
        let korea = "قمة بين الكوريتين في شبه الجزيرة الكورية وقادة الجزيرة الكورية يلتقون ".repeat(6);
        let articles = [
            article("قمة الكوريتين التاريخية", &korea),
            article("قمة مختلفة بكل المقاييس", &korea),
            article("تفاصيل ما جرى في 41 دقيقة بـ\"قمة الجزيرة\"", "مباراة الهلال والجزيرة انتهت بالتعادل في دقائقها الأخيرة"),
        ];
        assert_eq!(order(&articles, "قمة الجزيرة ")[0], 2);
    }

    #[test]
    fn a_word_still_being_typed_reaches_its_completions_even_when_it_is_a_word() {
        // الحر (heat) is a word of the archive; the reader is typing الحرية (freedom).
        let articles = [article("الحر الشديد يضرب الجنوب", "موجة حر"), article("مسيرة من أجل الحرية", "الحرية والكرامة"), article("مقال آخر", "كلام")];
        assert_eq!(order(&articles, "الحر"), [0, 1], "the word as typed first, then the completion");
        assert_eq!(order(&articles, "مسيرة الحر"), [1]);
        assert_eq!(order(&articles, "الحر "), [0], "a finished word is not expanded");
    }

    #[test]
    fn a_short_prefix_beside_other_words_ranks_when_the_scan_cannot_see_all_its_completions() {
        // More words begin with القا than the scan reads, and they all sort before القمر: typing «لاستكشاف الق»
        // on the way to القمر, the scan never reaches it.
        let letters: Vec<char> = "بتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().collect();
        let many: Vec<String> = letters.iter().flat_map(|a| letters.iter().map(move |b| format!("القا{a}{b}"))).take(super::PREFIX_SCAN + 88).collect();
        let articles = [
            article("لاستكشاف الفضاء", &many.join(" ")),
            article("رحلة صينية لاستكشاف القمر", "مركبة تهبط على الجانب البعيد"),
            article("مقال آخر", "كلام"),
        ];
        assert_eq!(order(&articles, "لاستكشاف الق"), [0, 1], "the article matching a completion first, then the others the other word finds");
        assert_eq!(order(&articles, "لاستكشاف القم"), [1], "a prefix whose completions the scan sees still filters");
        assert_eq!(order(&articles, "الق"), [0], "alone in the query, the prefix filters");
    }

    #[test]
    fn a_prefix_beside_other_words_ranks_when_its_completion_is_left_out() {
        // From JawharaFM: «وبنك الاس» on the way to الاسكان, which many more frequent completions of الاس
        // (الاسبوع, الاسعار, ...) crowd out of the expansion, though the scan sees it.
        let letters: Vec<char> = "بتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().collect();
        let frequent: Vec<String> = letters.iter().flat_map(|a| letters.iter().map(move |b| format!("الاس{a}{b}"))).take(super::PREFIX_EXPANSIONS_WITH_OTHERS + 6).collect();
        assert!(frequent.len() < super::PREFIX_SCAN, "the scan sees every completion");
        let mut articles: Vec<Article> = (0..10).map(|n| article(&format!("خبر {n}"), &frequent.join(" "))).collect();
        // الاسكان is in nine documents: fewer than each crowding completion, more than a rare one.
        articles.extend((0..8).map(|n| article(&format!("مشروع الاسكان {n}"), "كلام")));
        articles.push(article("المصادقة على رسملة الشركة التونسية للبنك وبنك الاسكان", "قانون"));
        articles.push(article("البنك الوطني وبنك الزيتونة", "تمويل"));
        let (meant, other) = (18, 19);
        assert!(order(&articles, "وبنك الاس").contains(&meant), "the article the reader is typing toward stays");
        assert_eq!(order(&articles, "وبنك الاسك"), [meant], "a prefix whose every completion is taken still filters");
        assert_eq!(order(&articles, "وبنك الاسكان "), [meant]);
        assert!(order(&articles, "وبنك ").contains(&other));
    }

    #[test]
    fn a_rare_form_as_typed_counts_at_its_own_rarity_not_its_stems() {
        // From SaudiNewsNet: the reader recalls اقتصاديات from the title and والتضخم from the body; the stem
        // اقتصاد is in many titles, and titles about inflation hold التضخم.
        // The article meant says والتضخم once in a long body.
        let long_body = format!("{} والتضخم", "تقرير عن النمو في آسيا ".repeat(40));
        let articles = [
            article("ضبط الإيجارات ضرورة", "اقتصاد المملكة"),
            article("اقتصادي / التضخم في السودان يتباطأ إلى 14.1% في يوليو", "الاقتصاد السوداني"),
            article("تراجع أسعار النفط يدعم نمو الناتج المحلي في اقتصاديات آسيا الناشئة", &long_body),
            article("التضخم يقفز لمستوى قياسي في سابع أكبر اقتصاد عالمي", "اقتصادي"),
            article("اقتصاد مصر", "اقتصادية"),
            article("الاقتصاد العالمي", "اقتصاد"),
        ];
        assert_eq!(order(&articles, "اقتصاديات والتضخم")[0], 2);
    }

    #[test]
    fn the_linear_ordering_of_hits_is_the_comparison_order() {
        // Scores as a query adds them up: few distinct values (many ties, broken by the newer document), and
        // some that differ only in their last bits. Small and large lists take different paths, and so do
        // lists of few distinct scores and of many (`spread`).
        for (count, spread) in [(0u32, 1_000), (1, 1_000), (7, 1_000), (255, 1_000), (256, 1_000), (3_000, 1_000), (10_000, 100_000)] {
            let mut state = 0x2545_f491_4f6c_dd1du64 ^ u64::from(count) ^ spread;
            let hits: Vec<Hit> = (0..count)
                .map(|doc| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let score = match state % 4 {
                        0 => 0.0,
                        1 => (state % 9) as f32 * 0.75,
                        2 => (state % spread) as f32 / 7.0,
                        _ => 1.0 + f32::EPSILON * (state % 3) as f32,
                    };
                    Hit { doc: doc * 3, score, surface_words: (state % 3) as u32 }
                })
                .collect();
            if count >= 3_000 {
                // Both linear paths are taken: counting by value, and the radix sort past 1,024 values.
                assert_eq!(by_distinct_scores(&hits).is_some(), spread < 10_000, "{count} hits, spread {spread}");
            }
            let mut expected = hits.clone();
            expected.sort_by(best_first);
            assert_eq!(best_first_from_document_order(hits), expected, "{count} hits, spread {spread}");
        }
    }

    #[test]
    fn a_words_keys_fold_the_same_through_the_flat_table_and_the_merges() {
        // Three keys over the same documents, with overlaps, titles and surface matches; the flat table is taken
        // for dense postings, the merges for sparse ones: both must keep the same best match per document.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let lists: Vec<KeyPostings> = [(1.0, true), (0.6, false), (0.5, false)]
            .into_iter()
            .map(|(weight, by_surface)| {
                let docs: Vec<u32> = (0..300).filter(|_| next() % 3 == 0).collect();
                KeyPostings { postings: docs.into_iter().map(|doc| (doc, (next() % 256) as u8)).collect(), weight, by_surface }
            })
            .collect();
        let plain = |matches: Vec<Match>| matches.into_iter().map(|m| (m.doc, m.weight.to_bits(), m.by_surface, m.in_title)).collect::<Vec<_>>();
        let dense = plain(merge_dense(&lists, 0, 300));
        assert!(dense.len() > 100);
        assert_eq!(dense, plain(merge_sparse(lists)));
    }

    #[test]
    fn impacts_grow_with_counts_and_shrink_with_length() {
        use crate::search::index::counted;
        assert!(impact(counted(3, false), 100) > impact(counted(1, false), 100));
        assert!(impact(counted(1, false), 50) > impact(counted(1, false), 400));
        assert!(read_impact(impact(counted(1, false), 1_000_000)).0 > 0.0, "a match never weighs nothing");
        assert_eq!(read_impact(impact(counted(10_000, false), 1)), (1.0, false));
        assert!(impact_against(counted(1, false), 10, 10.0) < impact_against(counted(1, false), 10, 40.0));
        let levels: std::collections::BTreeSet<u8> = (1..200).flat_map(|count| (1..2000).step_by(7).map(move |length| impact(counted(count, false), length))).collect();
        assert!(levels.len() <= 32, "{} distinct impacts", levels.len());
        // The title flag rides in the same byte and leaves the level as it was.
        for counted in [2, 6, 40, 20_000] {
            let (plain, titled) = (read_impact(impact(counted, 300)), read_impact(impact(counted | 1, 300)));
            assert_eq!((plain.0, plain.1, titled.0, titled.1), (plain.0, false, plain.0, true), "{counted}");
        }
        // Any byte from the network reads as a level and a flag.
        assert!((0..=255u8).all(|byte| (0.0..=1.0).contains(&read_impact(byte).0)));
    }
}
