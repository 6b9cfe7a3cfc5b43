//! A light Arabic stemmer in the spirit of Lucene's light10: strip one article-like prefix and a few
//! inflectional suffixes, and nothing that could be part of the root. It works on normalized words (see
//! `normalize`), so ة is already ه and أ is already ا.
//!
//! Unlike Lucene it does not strip a bare leading و: too many words start with a و of their own (وزارة، وزير،
//! وطني). A conjunction و is handled at index time instead, where the builder checks that the rest of the word
//! is itself a word of the corpus (see `search::index`).

/// Prefixes, longest first; only one is removed, and at least three letters must remain: what an article
/// leaves of two letters is rarely a noun of its own and often a common word (ألفي, "two thousand", would
/// become في; الذي ذي; الله له), so such words keep their ال.
const PREFIXES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];
/// Suffixes in light10's order; each is tried once, in turn, while at least three letters remain.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];
const MIN_AFTER_PREFIX: usize = 3;
const MIN_AFTER_SUFFIX: usize = 3;

/// The stem of a normalized word. Words without Arabic letters (Latin names, numbers) are returned whole.
pub fn stem(word: &str) -> String {
    stem_of(word).to_owned()
}

/// [`stem`] as the part of `word` it keeps: a stem only ever strips letters at either end, and the index
/// builder looks stems up hundreds of times per article without allocating.
pub fn stem_of(word: &str) -> &str {
    if !word.chars().any(is_arabic_letter) {
        return word;
    }
    let mut stem = word;
    for prefix in PREFIXES {
        if let Some(rest) = stem.strip_prefix(prefix) {
            if rest.chars().count() >= MIN_AFTER_PREFIX {
                stem = rest;
                break;
            }
        }
    }
    for suffix in SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix) {
            if rest.chars().count() >= MIN_AFTER_SUFFIX {
                stem = rest;
            }
        }
    }
    stem
}

/// For a word that begins with ا and ل, the stem the same word has after an article, when it differs from
/// `stem`'s: after hamza folding ألعاب reads العاب and loses ال as an article (عاب), while الألعاب keeps
/// it (العاب). A query looks both up; only a stem the archive holds is used, so the corpus decides.
pub fn stem_after_article(word: &str) -> Option<String> {
    let after = stem(&format!("ال{word}"));
    (word.starts_with("ال") && after != stem(word)).then_some(after)
}

/// Single-letter proclitics that attach to a word: and, with, for, like, so.
pub const CLITICS: [char; 5] = ['و', 'ب', 'ل', 'ك', 'ف'];

/// The word without one leading proclitic, when enough of it remains to be a word of its own.
pub fn without_clitic(word: &str) -> Option<&str> {
    let first = word.chars().next()?;
    let rest = &word[first.len_utf8()..];
    (CLITICS.contains(&first) && rest.chars().count() >= 3).then_some(rest)
}

/// The word without a leading conjunction (و, ف) when two letters remain (وفي, ومن, فقد): too short for
/// `without_clitic`, so the index keeps no clitic form of it, but a query matches the remainder's own surface
/// key. Only the conjunctions: بعد is not ب + عد, nor كان ك + ان.
pub fn without_conjunction(word: &str) -> Option<&str> {
    let first = word.chars().next()?;
    let rest = &word[first.len_utf8()..];
    (matches!(first, 'و' | 'ف') && rest.chars().count() == 2).then_some(rest)
}

fn is_arabic_letter(ch: char) -> bool {
    matches!(ch, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    /// (word as written, expected stem of its normalized form)
    const CASES: &[(&str, &str)] = &[
        // Snowball's mistakes that we must not make.
        ("فرنسا", "فرنسا"),
        ("فيلم", "فيلم"),
        ("سيارات", "سيار"),
        ("فلسطينيين", "فلسطين"),
        ("والكتاب", "كتاب"),
        ("وزارة", "وزار"),
        // From the seed pages.
        ("الإرهاب", "ارهاب"),
        ("الإرهابية", "ارهاب"),
        ("الشرطة", "شرط"),
        ("للشرطة", "شرط"),
        ("الأنتربول", "انتربول"),
        ("للأنتربول", "انتربول"),
        ("أنتربول", "انتربول"),
        ("بالجزائر", "جزاير"),
        ("مراكش", "مراكش"),
        ("بمراكش", "بمراكش"),
        ("المغربية", "مغرب"),
        ("المغرب", "مغرب"),
        ("وزير", "وزير"),
        ("الوطني", "وطن"),
        ("المشاركون", "مشارك"),
        ("اجتماعات", "اجتماع"),
        ("حموشي", "حموش"),
        ("الأمن", "امن"),
        ("أمن", "امن"),
        // A word whose ا and ل are its own (after hamza folding), or an article with too little after it.
        ("ألفي", "الف"),
        ("ألف", "الف"),
        ("الذي", "الذ"),
        ("اليد", "اليد"),
        ("ألعاب", "عاب"),
        ("الألعاب", "العاب"),
        // Too short to lose letters.
        ("بنات", "بنات"),
        ("الى", "الي"),
        ("هو", "هو"),
        // Not Arabic: untouched.
        ("umt", "umt"),
        ("2025", "2025"),
    ];

    #[test]
    fn stems_the_table() {
        let failures: Vec<String> = CASES
            .iter()
            .filter_map(|&(word, expected)| {
                let got = stem(&normalize(word));
                (got != expected).then(|| format!("{word}: got {got}, expected {expected}"))
            })
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn a_word_beginning_with_alef_lam_also_has_the_stem_it_takes_after_an_article() {
        let folded = |word: &str| stem_after_article(&normalize(word));
        assert_eq!(folded("ألعاب"), Some(stem(&normalize("الألعاب"))));
        assert_eq!(folded("ألمانيا"), Some("المانيا".to_owned()));
        assert_eq!(folded("المنتخب"), Some("المنتخب".to_owned()), "a stem no document has: the query finds it absent");
        assert_eq!(folded("منتخب"), None);
        assert_eq!(folded("الفي"), None, "الفي keeps its ال either way");
    }

    #[test]
    fn strips_one_proclitic_when_a_word_remains() {
        assert_eq!(without_clitic("وقال"), Some("قال"));
        assert_eq!(without_clitic("بمراكش"), Some("مراكش"));
        assert_eq!(without_clitic("وهو"), None);
        assert_eq!(without_clitic("مراكش"), None);
        assert_eq!((without_conjunction("وفي"), without_conjunction("فقد")), (Some("في"), Some("قد")));
        assert_eq!((without_conjunction("بعد"), without_conjunction("كان"), without_conjunction("وقال")), (None, None, None));
    }
}
