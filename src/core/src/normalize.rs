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
    normalize(text).unicode_words().map(str::to_owned).collect()
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
        self.normalized.unicode_word_indices()
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
