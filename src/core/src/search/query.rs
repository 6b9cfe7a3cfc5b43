//! Reading what the reader typed: words (ANDed), `"phrases"`, `-excluded` words, and whether the last word is
//! still being typed (then it also matches as a prefix).

use crate::normalize::normalized_words;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Normalized words every hit must contain, in the order typed.
    pub words: Vec<String>,
    /// Runs of normalized words that must appear one after another.
    pub phrases: Vec<Vec<String>>,
    /// Normalized words no hit may contain.
    pub excluded: Vec<String>,
    /// The last of `words` may be unfinished, so it also matches words that start with it.
    pub last_is_prefix: bool,
}

/// `text` with its last, unfinished word replaced by `word` and a space after it, so the completed query
/// searches for the whole word: what choosing a suggestion types.
pub fn complete_last_word(text: &str, word: &str) -> String {
    let kept = text.trim_end_matches(|c: char| !c.is_whitespace());
    format!("{kept}{word} ")
}

/// How each of `words` (in the index's normalized spelling) is written in `texts`, where one of them holds it:
/// the search box suggests words as readers write them (الوطنية), not as the index folds them (الوطنيه). One
/// pass over the texts for all the words, each token normalized once, stopping when every word is found: the
/// texts are every title the page holds, thousands after a while, and a pass per word was a long task on the
/// page's thread while typing.
pub fn spelled_in<'a>(words: &[String], texts: impl IntoIterator<Item = &'a str>) -> Vec<Option<String>> {
    let mut written: Vec<Option<String>> = vec![None; words.len()];
    let mut left = words.len();
    for token in texts.into_iter().flat_map(str::split_whitespace) {
        if left == 0 {
            break;
        }
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        let [normalized] = normalized_words(token).try_into().unwrap_or_default();
        for (word, spelling) in words.iter().zip(&mut written) {
            if spelling.is_none() && *word == normalized {
                *spelling = Some(token.to_owned());
                left -= 1;
            }
        }
    }
    written
}

/// The shortest unfinished word that matches as a prefix.
pub const MIN_PREFIX_CHARS: usize = 2;
const OPENING_QUOTES: [char; 3] = ['"', '«', '“'];
const CLOSING_QUOTES: [char; 3] = ['"', '»', '”'];

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut query = Query::default();
        let mut rest = text;
        let mut last_token_is_word = false;
        while let Some(start) = rest.find(OPENING_QUOTES) {
            query.add_loose(&rest[..start], &mut last_token_is_word);
            let inside = &rest[start + rest[start..].chars().next().map_or(1, char::len_utf8)..];
            let (phrase, after) = match inside.find(CLOSING_QUOTES) {
                Some(end) => (&inside[..end], &inside[end + inside[end..].chars().next().map_or(1, char::len_utf8)..]),
                // An unclosed quote is a phrase still being typed.
                None => (inside, ""),
            };
            let words = normalized_words(phrase);
            if words.len() > 1 {
                query.phrases.push(words);
            } else {
                query.words.extend(words);
            }
            last_token_is_word = false;
            rest = after;
        }
        query.add_loose(rest, &mut last_token_is_word);
        let ends_open = !text.ends_with(char::is_whitespace);
        query.last_is_prefix = last_token_is_word && ends_open;
        query
    }

    /// The normalized word still being typed, if the query ends in one: what the search box completes.
    pub fn typing(&self) -> Option<&str> {
        self.words.last().filter(|_| self.last_is_prefix).map(String::as_str)
    }

    fn add_loose(&mut self, text: &str, last_token_is_word: &mut bool) {
        for token in text.split_whitespace() {
            match token.strip_prefix(['-', '−']) {
                Some(excluded) if !excluded.is_empty() => {
                    self.excluded.extend(normalized_words(excluded));
                    *last_token_is_word = false;
                }
                _ => {
                    let words = normalized_words(token);
                    // A token of punctuation alone (a lone `،`) leaves the previous word's state as it was.
                    if !words.is_empty() {
                        *last_token_is_word = true;
                    }
                    self.words.extend(words);
                }
            }
        }
    }

    /// True when the query asks for nothing, so the list is not filtered by text at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty() && self.excluded.is_empty()
    }

    /// Every word a hit must contain, phrase words included, each with whether it may match as a prefix. A
    /// single typed letter is not expanded: it would reach a large part of the dictionary for no useful hit.
    pub fn required_words(&self) -> Vec<(&str, bool)> {
        let last = self.words.len().saturating_sub(1);
        let loose = self.words.iter().enumerate().map(|(i, word)| {
            let expands = self.last_is_prefix && i == last && word.chars().count() >= MIN_PREFIX_CHARS;
            (word.as_str(), expands)
        });
        let phrased = self.phrases.iter().flatten().map(|word| (word.as_str(), false));
        loose.chain(phrased).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_being_typed_is_completed_in_place() {
        assert_eq!(Query::parse("الأمن الوط").typing(), Some("الوط"));
        assert_eq!(Query::parse("الأمن الوطني ").typing(), None, "a finished word");
        assert_eq!(Query::parse("الأمن -الوط").typing(), None, "an exclusion is not completed");
        assert_eq!(complete_last_word("الأمن الوط", "الوطني"), "الأمن الوطني ");
        assert_eq!(complete_last_word("الوط", "الوطني"), "الوطني ");
        let titles = ["احتفالات «الوطنية» بالعيد", "الأمن الوطني"];
        let words = ["الوطنيه", "مراكش", "الامن", "الوطنيه"].map(String::from);
        let written = ["الوطنية", "", "الأمن", "الوطنية"].map(|w| (!w.is_empty()).then(|| w.to_owned()));
        assert_eq!(spelled_in(&words, titles), written, "each word as the titles write it, or none; a word twice, twice");
        assert_eq!(spelled_in(&[], titles), Vec::<Option<String>>::new());
    }

    #[test]
    fn reads_words_phrases_and_exclusions() {
        let query = Query::parse("أمن \"الجريمة المنظمة\" -الهجرة مراك");
        assert_eq!(query.words, ["امن", "مراك"]);
        assert_eq!(query.phrases, [vec!["الجريمه".to_owned(), "المنظمه".to_owned()]]);
        assert_eq!(query.excluded, ["الهجره"]);
        assert!(query.last_is_prefix);
    }

    #[test]
    fn the_last_word_is_a_prefix_only_while_it_is_being_typed() {
        assert!(Query::parse("مراك").last_is_prefix);
        assert!(!Query::parse("مراكش ").last_is_prefix);
        assert!(!Query::parse("امن -مراك").last_is_prefix);
        assert!(!Query::parse("«امن الحدود»").last_is_prefix);
    }

    #[test]
    fn accepts_arabic_quotes_and_an_unclosed_phrase() {
        assert_eq!(Query::parse("«امن الحدود»").phrases.len(), 1);
        assert_eq!(Query::parse("\"امن الحد").phrases, [vec!["امن".to_owned(), "الحد".to_owned()]]);
        assert_eq!(Query::parse("\"امن\"").words, ["امن"]);
    }

    #[test]
    fn an_empty_query_asks_for_nothing() {
        assert!(Query::parse("  ، . ").is_empty());
        assert!(!Query::parse("-umt").is_empty());
    }
}
