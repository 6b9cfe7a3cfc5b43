//! The one Arabic normalizer. The bundle builder uses it to make search keys and the viewer uses it on what
//! the reader types, so both sides always fold text the same way. It is for keys only: what readers see keeps
//! its original letters and diacritics.

use crate::presentation_forms::decompose;
use unicode_segmentation::UnicodeSegmentation;

/// Folds `text` into its search-key form: presentation forms to base letters, diacritics and tatweel removed,
/// hamza carriers and letter variants folded, digits made Western, Latin lower-cased.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold(text, |folded, _| out.extend(folded));
    out
}

/// Splits normalized text into words on Unicode word boundaries, so `E-POLICE` gives `e` and `police`.
pub fn normalized_words(text: &str) -> Vec<String> {
    word_indices(&normalize(text)).map(|(_, word)| word.to_owned()).collect()
}

/// The words of `text` with their byte offsets: exactly what `unicode_word_indices` gives (Unicode word
/// boundaries, UAX #29, keeping segments with a letter or digit), found faster for what news is made of: the
/// full rules took a tenth of a build's processor time. Text is cut at runs of spaces, tabs and line breaks
/// into stretches. A stretch made only of Arabic and ASCII letters and digits is one word, since letters and
/// digits never part and a space ends a word under every rule. Consecutive other stretches go through the
/// full rules together, with the spaces before the first of them: a combining mark or another kind of space
/// right after a space joins the space's segment, which may then count as a word.
pub fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    let mut pending: Option<(usize, unicode_segmentation::UnicodeWordIndices<'_>)> = None;
    std::iter::from_fn(move || loop {
        if let Some((start, words)) = pending.as_mut() {
            if let Some((offset, word)) = words.next() {
                return Some((*start + offset, word));
            }
            pending = None;
        }
        let separators_start = at;
        let stretch_start = after_separators(text, at);
        if stretch_start == text.len() {
            return None;
        }
        let (stretch_end, simple) = stretch(text, stretch_start);
        at = stretch_end;
        if simple {
            return Some((stretch_start, &text[stretch_start..stretch_end]));
        }
        // Other stretches that follow join this one's zone; a simple stretch ends it.
        loop {
            let next_start = after_separators(text, at);
            if next_start == text.len() {
                break;
            }
            let (next_end, next_simple) = stretch(text, next_start);
            if next_simple {
                break;
            }
            at = next_end;
        }
        pending = Some((separators_start, text[separators_start..at].unicode_word_indices()));
    })
}

/// Where the run of separators starting at `at` ends.
fn after_separators(text: &str, mut at: usize) -> usize {
    while text.as_bytes().get(at).is_some_and(|&byte| is_word_separator(byte)) {
        at += 1;
    }
    at
}

/// The end of the stretch starting at `start` (the next separator or the text's end), and whether it is made
/// only of simple word characters.
fn stretch(text: &str, start: usize) -> (usize, bool) {
    let mut simple = true;
    for (offset, ch) in text[start..].char_indices() {
        if ch.is_ascii() && is_word_separator(ch as u8) {
            return (start + offset, simple);
        }
        simple &= is_simple_word_char(ch);
    }
    (text.len(), simple)
}

fn is_word_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Letters and digits of the word-break classes ALetter and Numeric, which join with each other under every
/// rule: ASCII letters and digits, and the Arabic letters (not tatweel, marks or punctuation).
fn is_simple_word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || matches!(ch, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}' | '\u{066F}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}')
}

/// Normalized text that remembers where each of its characters came from in the original, so a match found
/// in normalized text can be highlighted in the text the reader sees (أَمْن highlighted for a query امن).
pub struct MappedText {
    pub normalized: String,
    /// Per normalized character: its byte offset in `normalized`, and the original byte range it came from
    /// (widened over any marks dropped right after it).
    spans: Vec<(usize, usize, usize)>,
}

impl MappedText {
    pub fn new(original: &str) -> MappedText {
        let mut normalized = String::with_capacity(original.len());
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(original.len() / 2);
        fold(original, |folded, (start, end)| match folded {
            Some(ch) => {
                spans.push((normalized.len(), start, end));
                normalized.push(ch);
            }
            None => {
                if let Some(last) = spans.last_mut() {
                    last.2 = end;
                }
            }
        });
        MappedText { normalized, spans }
    }

    /// The original byte range behind the normalized byte range `start..end` (on character boundaries).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.spans.partition_point(|&(at, _, _)| at < start);
        let last = self.spans.partition_point(|&(at, _, _)| at < end).saturating_sub(1);
        (self.spans[first].1, self.spans[last.max(first)].2)
    }

    /// The normalized words with their byte offsets in `normalized`.
    pub fn words(&self) -> impl Iterator<Item = (usize, &str)> {
        word_indices(&self.normalized)
    }
}

/// The one folding loop. `emit` gets each output character with the original byte range it came from, or
/// `None` with the range of a character removed (marks, tatweel, invisible controls).
fn fold(text: &str, mut emit: impl FnMut(Option<char>, (usize, usize))) {
    for (start, ch) in text.char_indices() {
        let range = (start, start + ch.len_utf8());
        let mut push = |c: char| {
            if is_ignorable_mark(c) {
                emit(None, range);
            } else if let Some(folded) = fold_letter(c) {
                emit(Some(folded), range);
            } else if c.is_ascii() {
                emit(Some(c.to_ascii_lowercase()), range);
            } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
                // Arabic has no case: skip the general lower-casing table, which the index builder would
                // otherwise consult for every letter of every article.
                emit(Some(c), range);
            } else {
                for lower in c.to_lowercase() {
                    emit(Some(lower), range);
                }
            }
        };
        // A presentation form (including the lam-alef ligatures) decomposes to one or more base letters,
        // which are then folded like any other letter.
        match decompose(ch) {
            Some(letters) => letters.chars().for_each(&mut push),
            None => push(ch),
        }
    }
}

/// Marks that change pronunciation but not the word a reader is looking for, plus invisible joiners and
/// direction marks that copy-and-paste drags along.
fn is_ignorable_mark(ch: char) -> bool {
    matches!(
        ch,
        '\u{064B}'..='\u{065F}' // tashkeel: fathatan … wavy hamza below
            | '\u{0670}'        // superscript alef
            | '\u{0610}'..='\u{061A}' // honorifics and small high letters
            | '\u{06D6}'..='\u{06ED}' // Quranic annotation marks
            | '\u{0640}'        // tatweel
            | '\u{200C}' | '\u{200D}' // ZWNJ, ZWJ
            | '\u{200E}' | '\u{200F}' // LRM, RLM
            | '\u{061C}'        // Arabic letter mark
            | '\u{FEFF}'        // a stray byte-order mark
    )
}

fn fold_letter(ch: char) -> Option<char> {
    let folded = match ch {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        // Persian letters that Persian keyboards produce for Arabic ones.
        'ی' => 'ي',
        'ک' => 'ك',
        // Arabic-Indic (U+0660…) and Persian (U+06F0…) digits.
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (ch as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (ch as u32 - 0x06F0) as u8),
        _ => return None,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_exactly_as_unicode_word_boundaries_split_them() {
        // Each simple character joins letters and digits on either side, as the fast path assumes.
        for ch in (0u32..0x0800).filter_map(char::from_u32).filter(|&ch| is_simple_word_char(ch)) {
            let joined = format!("a{ch}1{ch}ب");
            assert_eq!(joined.unicode_words().collect::<Vec<_>>(), [joined.as_str()], "{ch:?} U+{:04X}", ch as u32);
        }
        // Text made of the characters the rules treat specially, around letters and digits of several
        // scripts: quotes, stops and commas between letters or digits, underscores, combining marks after a
        // space, joiners, Arabic separators, emoji, and every separator the fast path cuts at.
        let pool: Vec<char> = "اب تجه ٠١ 12 ab É . , ' : _ - ، ٫ ٬ ؛ ـ \u{0301}\u{093E}\u{200D}\u{200C}\u{0651}😀🇲🇦\t\n\r \u{00A0}\u{3000}\"".chars().collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for length in (0..4_000).map(|n| n % 40) {
            let text: String = (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    pool[(state % pool.len() as u64) as usize]
                })
                .collect();
            assert_eq!(word_indices(&text).collect::<Vec<_>>(), text.unicode_word_indices().collect::<Vec<_>>(), "{text:?}");
        }
        // And the real pages, raw and normalized.
        let pages = crate::fixtures::SEED_PAGES;
        let normalized: Vec<String> = pages.iter().map(|page| normalize(page)).collect();
        for text in pages.into_iter().chain(normalized.iter().map(String::as_str)).chain(["  \u{093E}ب", "a'b 3.5 x_y", "E-POLICE"]) {
            assert_eq!(word_indices(text).collect::<Vec<_>>(), text.unicode_word_indices().collect::<Vec<_>>(), "{text:?}");
        }
    }

    /// One row per rule of the normalizer: (as written, search key).
    const TABLE: &[(&str, &str)] = &[
        // 1. Presentation forms and lam-alef ligatures.
        ("\u{FEFB}", "لا"),
        ("\u{FEF7}", "لا"),
        ("\u{FE8D}\u{FEDF}\u{FEE3}\u{FEE6}", "المن"),
        // 2. Tashkeel, Quranic marks, superscript alef, tatweel, joiners and direction marks.
        ("أَمْنٌ", "امن"),
        ("رحمٰن", "رحمن"),
        ("صلى الله عليه وسلم\u{0610}", "صلي الله عليه وسلم"),
        ("قرآن\u{06D6}", "قران"),
        ("الأمـــن", "الامن"),
        ("ال\u{200C}امن\u{200D}\u{200E}\u{200F}\u{061C}", "الامن"),
        // 3. Alef forms, alef maqsura, teh marbuta, hamza on waw and yeh.
        ("أ إ آ ٱ \u{0672} \u{0673}", "ا ا ا ا ا ا"),
        ("مستشفى", "مستشفي"),
        ("مدينة", "مدينه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        // 4. Arabic-Indic and Persian digits; Persian yeh and keheh.
        ("٢٠٢٥", "2025"),
        ("۱۴۰۳", "1403"),
        ("کتابی", "كتابي"),
        // 5. Latin lower-cased.
        ("E-POLICE UMT", "e-police umt"),
    ];

    #[test]
    fn normalizes_the_table() {
        for &(written, key) in TABLE {
            assert_eq!(normalize(written), key, "{written:?}");
        }
    }

    #[test]
    fn folds_every_hamza_form_of_alef() {
        assert_eq!(normalize("أإآٱ"), "اااا");
        assert_eq!(normalize("الأنتربول"), "الانتربول");
        assert_eq!(normalize("الإنتربول"), "الانتربول");
    }

    #[test]
    fn folds_alef_maqsura_teh_marbuta_and_hamza_carriers() {
        assert_eq!(normalize("على"), "علي");
        assert_eq!(normalize("المنظمة"), "المنظمه");
        assert_eq!(normalize("مؤتمر"), "موتمر");
        assert_eq!(normalize("رئيس"), "رييس");
    }

    #[test]
    fn drops_tashkeel_tatweel_and_invisible_marks() {
        assert_eq!(normalize("أَمْنٌ"), "امن");
        assert_eq!(normalize("رسمياً"), "رسميا");
        assert_eq!(normalize("الأمـــن"), "الامن");
        assert_eq!(normalize("ال\u{200C}امن\u{200F}"), "الامن");
    }

    #[test]
    fn makes_arabic_indic_and_persian_digits_western() {
        assert_eq!(normalize("٢٠٢٥"), "2025");
        assert_eq!(normalize("۱۴۰۳"), "1403");
    }

    #[test]
    fn folds_persian_keyboard_letters() {
        assert_eq!(normalize("کتابی"), "كتابي");
    }

    #[test]
    fn decomposes_presentation_forms_and_lam_alef() {
        // U+FEFB is the isolated lam-alef ligature; U+FE8D is an isolated alef.
        assert_eq!(normalize("\u{FEFB}"), "لا");
        // Isolated alef, initial lam, initial meem, final noon.
        assert_eq!(normalize("\u{FE8D}\u{FEDF}\u{FEE3}\u{FEE6}"), "المن");
    }

    #[test]
    fn maps_normalized_words_back_to_the_original_text() {
        let original = "في أَمْنٍ وَسَلام";
        let mapped = MappedText::new(original);
        assert_eq!(mapped.normalized, "في امن وسلام");
        let spans: Vec<&str> = mapped
            .words()
            .map(|(at, word)| {
                let (start, end) = mapped.original_range(at, at + word.len());
                &original[start..end]
            })
            .collect();
        assert_eq!(spans, ["في", "أَمْنٍ", "وَسَلام"]);
        let ligature = MappedText::new("\u{FEFB}مع");
        assert_eq!(ligature.normalized, "لامع");
        assert_eq!(ligature.original_range(0, 4), (0, 3));
    }

    #[test]
    fn lowercases_latin_and_splits_on_word_boundaries() {
        assert_eq!(normalized_words("نقابة UMT"), vec!["نقابه", "umt"]);
        assert_eq!(normalized_words("E-POLICE"), normalized_words("e-police"));
        assert_eq!(normalized_words("تونس، الجزائر"), vec!["تونس", "الجزاير"]);
    }
}
