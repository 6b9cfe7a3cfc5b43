//! The page parser. It never fails: every input gives a [`ParseOutcome`] that holds either the page or the
//! reason it was rejected, plus located diagnostics for everything it tidied, guessed or dropped.

use crate::date::{Date, DateError};
use crate::model::{Article, Block, BlockKind};
use serde::{Deserialize, Serialize};

const REPORT_MARKER: &str = "شكرا على الإبلاغ!";
const REPORT_BOILERPLATE: &str = "سيتم حجب هذه الصورة";
const SOURCE_FOOTER: &str = "انقر هنا لقراءة الخبر من مصدره";
const PUBLICATION_PREFIX: &str = "نشر في";
const PUBLICATION_DAY_WORD: &str = "يوم";

/// A subheading is a short line; these bounds separate `مكافحة الجريمة المنظمة` from a one-line paragraph.
const SUBHEADING_MAX_CHARS: usize = 80;
const SUBHEADING_MAX_WORDS: usize = 10;
/// A line that ends with one of these is a sentence, not a subheading.
const FINAL_PUNCTUATION: &[char] = &['.', '!', '?', '؟', ':', '؛', ';', '…', '،', ',', '"', '»', '”'];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was tidied or dropped on purpose (a repeated paragraph); recorded so nothing vanishes unseen.
    Info,
    /// The page was accepted, but something expected was missing or unreadable.
    Warning,
    /// The page was rejected.
    Error,
}

/// One located message about a page. `line` is 1-based; `byte_offset` counts from the start of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<usize>,
}

impl Diagnostic {
    pub(crate) fn new(severity: Severity, code: &str, message: String) -> Diagnostic {
        Diagnostic { severity, code: code.to_owned(), message, line: None, byte_offset: None }
    }
    pub(crate) fn at_line(mut self, line: usize) -> Diagnostic {
        self.line = Some(line);
        self
    }
    pub(crate) fn at_byte(mut self, offset: usize) -> Diagnostic {
        self.byte_offset = Some(offset);
        self
    }
}

/// A page that was accepted: the article and the sidebar headlines the crawler saw beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedPage {
    pub article: Article,
    pub headlines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseOutcome {
    /// `None` when the page was rejected; the diagnostics then hold exactly one error saying why.
    pub page: Option<ParsedPage>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParseOutcome {
    pub(crate) fn rejected(diagnostic: Diagnostic) -> ParseOutcome {
        ParseOutcome { page: None, diagnostics: vec![diagnostic] }
    }

    pub fn rejection(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.severity == Severity::Error)
    }
}

/// Parses the raw bytes of one Maghress page.
pub fn parse_page(bytes: &[u8]) -> ParseOutcome {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => return ParseOutcome::rejected(diagnostic),
    };
    let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    PageReader { lines, diagnostics: Vec::new() }.read()
}

fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Diagnostic::new(
            Severity::Error,
            "binary",
            format!("binary file: a NUL byte at offset {offset}; pages are UTF-8 text"),
        )
        .at_byte(offset));
    }
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom_len = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let text = std::str::from_utf8(&bytes[bom_len..]).map_err(|error| {
        let offset = bom_len + error.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        Diagnostic::new(Severity::Error, "invalid-utf8", format!("invalid UTF-8 at byte offset {offset}"))
            .at_line(line)
            .at_byte(offset)
    })?;
    if text.trim().is_empty() {
        let what = if bytes.is_empty() { "empty file" } else { "the file holds only whitespace" };
        return Err(Diagnostic::new(Severity::Error, "empty", what.to_owned()));
    }
    Ok(text)
}

/// Collapses every run of whitespace (U+00A0 included) to one space and trims the ends; letters, diacritics
/// and invisible joiners are left exactly as written.
///
/// Whitespace is `char::is_whitespace`. Pages are read twice by a build, a million of them at a time, so this
/// copies runs of other characters whole and decodes a character only where its first byte could begin a
/// whitespace character (ASCII, or the lead bytes 0xC2, 0xE1, 0xE2 and 0xE3 of the others); Arabic letters,
/// led by 0xD8 to 0xDB, are never decoded.
pub fn tidy_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut run_start = 0;
    let mut at = 0;
    let flush = |out: &mut String, run: &str| {
        if !run.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(run);
        }
    };
    while at < bytes.len() {
        let space_len = match bytes[at] {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
            // `at` is a character's first byte here: continuation bytes (0x80 to 0xBF) match no arm.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => text[at..].chars().next().filter(|c| c.is_whitespace()).map_or(0, char::len_utf8),
            _ => 0,
        };
        if space_len == 0 {
            at += 1;
            continue;
        }
        flush(&mut out, &text[run_start..at]);
        at += space_len;
        run_start = at;
    }
    flush(&mut out, &text[run_start..]);
    out
}

struct PageReader<'a> {
    lines: Vec<&'a str>,
    diagnostics: Vec<Diagnostic>,
}

impl PageReader<'_> {
    fn read(mut self) -> ParseOutcome {
        let Some(marker) = self.find_line(0, |line| line.trim().starts_with(REPORT_MARKER)) else {
            return ParseOutcome::rejected(Diagnostic::new(
                Severity::Error,
                "no-report-marker",
                format!("no image-report line `{REPORT_MARKER}`: this is not a Maghress article page"),
            ));
        };
        let headlines = split_headlines(&self.lines[..marker]);

        let mut cursor = marker + 1;
        if self.lines.get(cursor).is_some_and(|line| line.trim().starts_with(REPORT_BOILERPLATE)) {
            cursor += 1;
        }
        let Some(title_line) = self.next_non_blank(cursor).filter(|&i| !is_footer(self.lines[i])) else {
            return ParseOutcome::rejected(
                Diagnostic::new(Severity::Error, "no-title", "no title after the image-report lines".to_owned())
                    .at_line(marker + 1),
            );
        };
        let title = tidy_whitespace(self.lines[title_line]);
        cursor = title_line + 1;

        let (outlet, published) = match self.next_non_blank(cursor) {
            Some(i) if tidy_whitespace(self.lines[i]).starts_with(PUBLICATION_PREFIX) => {
                cursor = i + 1;
                self.read_publication_line(i)
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "no-publication-line",
                        format!("no `{PUBLICATION_PREFIX} … يوم DD - MM - YYYY` line after the title: outlet and date unknown"),
                    )
                    .at_line(title_line + 2),
                );
                (None, None)
            }
        };

        let blocks = self.read_body(cursor);
        let id = Article::id_for(outlet.as_deref(), published, &title);
        let article = Article { id, title, outlet, published, blocks, url: None };
        ParseOutcome { page: Some(ParsedPage { article, headlines }), diagnostics: self.diagnostics }
    }

    fn find_line(&self, from: usize, predicate: impl Fn(&str) -> bool) -> Option<usize> {
        (from..self.lines.len()).find(|&i| predicate(self.lines[i]))
    }

    fn next_non_blank(&self, from: usize) -> Option<usize> {
        self.find_line(from, |line| !line.trim().is_empty())
    }

    /// Reads `نشر في <outlet> يوم DD - MM - YYYY`. A missing or impossible date is a warning, never a rejection.
    fn read_publication_line(&mut self, index: usize) -> (Option<String>, Option<Date>) {
        let line_number = index + 1;
        let line = tidy_whitespace(self.lines[index]);
        let rest = line[PUBLICATION_PREFIX.len()..].trim();
        // Split at the last whole word `يوم`: outlets such as `اليوم 24` contain it inside a word.
        let words: Vec<&str> = rest.split(' ').collect();
        let (outlet, date_text) = match words.iter().rposition(|&word| word == PUBLICATION_DAY_WORD) {
            Some(at) => (words[..at].join(" "), Some(words[at + 1..].join(" "))),
            None => (rest.to_owned(), None),
        };
        let date_text = date_text.as_deref();
        let outlet = if outlet.is_empty() {
            self.warn(line_number, "no-outlet", "the publication line names no outlet".to_owned());
            None
        } else {
            Some(outlet)
        };
        let published = match date_text.map(Date::parse_day_month_year) {
            Some(Ok(date)) => Some(date),
            Some(Err(DateError::Impossible)) => {
                let text = date_text.unwrap_or_default();
                self.warn(line_number, "impossible-date", format!("the date `{text}` is not a real day; date left empty"));
                None
            }
            Some(Err(DateError::Malformed)) | None => {
                let text = date_text.unwrap_or_default();
                self.warn(line_number, "unreadable-date", format!("no `DD - MM - YYYY` date in `{text}`; date left empty"));
                None
            }
        };
        (outlet, published)
    }

    fn read_body(&mut self, from: usize) -> Vec<Block> {
        let footer = self.find_line(from, is_footer);
        let end = footer.unwrap_or(self.lines.len());
        match footer {
            None => self.warn(end, "no-footer", format!("no `{SOURCE_FOOTER}.` footer: the page may be cut short")),
            Some(footer) => {
                if let Some(extra) = self.next_non_blank(footer + 1) {
                    let count = (extra..self.lines.len()).filter(|&i| !self.lines[i].trim().is_empty()).count();
                    self.warn(extra + 1, "text-after-footer", format!("{count} non-empty lines after the footer were not used"));
                }
            }
        }

        let lines = (from..end).map(|index| (index + 1, self.lines[index]));
        let blocks = blocks_from_lines(lines, "line", None, &mut self.diagnostics);
        if blocks.is_empty() {
            self.warn(from + 1, "empty-body", "the article has no body text".to_owned());
        }
        blocks
    }

    fn warn(&mut self, line_number: usize, code: &str, message: String) {
        self.diagnostics.push(Diagnostic::new(Severity::Warning, code, message).at_line(line_number));
    }
}

/// Turns body lines (with their 1-based line numbers) into blocks: whitespace tidied, blank lines skipped, an
/// exact repeat of the previous paragraph dropped with a note, and short unpunctuated lines between paragraphs
/// taken as subheadings. Pages and JSON Lines bodies share it: `unit` names what the numbers count ("line" of a
/// page, "paragraph" of a JSON Lines body), and diagnostics are located at `at_line` when given (the JSON
/// line), else at the line itself.
pub fn blocks_from_lines<'a>(
    lines: impl Iterator<Item = (usize, &'a str)>,
    unit: &str,
    at_line: Option<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    // Tidy the lines and drop exact repeats of the previous paragraph before deciding what is a heading.
    let mut kept: Vec<(usize, String)> = Vec::new();
    for (line_number, line) in lines {
        let text = tidy_whitespace(line);
        if text.is_empty() {
            continue;
        }
        if let Some((previous_line, previous)) = kept.last() {
            if *previous == text {
                let message = format!("{unit} {line_number} repeats {unit} {previous_line} word for word; the repeat was dropped");
                diagnostics.push(Diagnostic::new(Severity::Info, "repeated-paragraph", message).at_line(at_line.unwrap_or(line_number)));
                continue;
            }
        }
        kept.push((line_number, text));
    }
    let count = kept.len();
    kept.into_iter()
        .enumerate()
        .map(|(position, (_, text))| {
            let between_paragraphs = position > 0 && position + 1 < count;
            let kind = if between_paragraphs && looks_like_subheading(&text) { BlockKind::Subheading } else { BlockKind::Paragraph };
            Block { kind, text }
        })
        .collect()
}

fn is_footer(line: &str) -> bool {
    line.trim().starts_with(SOURCE_FOOTER)
}

fn looks_like_subheading(text: &str) -> bool {
    text.chars().count() <= SUBHEADING_MAX_CHARS
        && text.split(' ').count() <= SUBHEADING_MAX_WORDS
        && !text.ends_with(FINAL_PUNCTUATION)
}

/// The sidebar block before the report marker: headlines separated by runs of U+00A0 or by line breaks.
fn split_headlines(lines: &[&str]) -> Vec<String> {
    let mut headlines = Vec::new();
    for line in lines {
        for piece in line.split("\u{A0}\u{A0}") {
            let headline = tidy_whitespace(piece);
            if !headline.is_empty() {
                headlines.push(headline);
            }
        }
    }
    headlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_tidied_exactly_as_splitting_on_unicode_whitespace_does() {
        // Every whitespace character, and characters that share their first bytes without being whitespace.
        let pool: Vec<char> = "اب ت ءة \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}\u{2005}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{A9}\u{AD}\u{1681}\u{200B}\u{200C}\u{200F}\u{2010}\u{2060}\u{3001}xY1😀"
            .chars()
            .collect();
        let mut rng = crate::synth::Rng::new(0x7d1e);
        for _ in 0..4000 {
            let text: String = (0..rng.below(24)).map(|_| pool[rng.below(pool.len())]).collect();
            assert_eq!(tidy_whitespace(&text), text.split_whitespace().collect::<Vec<_>>().join(" "), "{text:?}");
        }
        for page in crate::fixtures::SEED_PAGES {
            for line in page.lines() {
                assert_eq!(tidy_whitespace(line), line.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }

    fn page(body: &str) -> String {
        format!("عنوان جانبي\u{A0}\u{A0}\u{A0}\u{A0}آخر\n\n{REPORT_MARKER}\n{REPORT_BOILERPLATE} تلقائيا.\n\nالعنوان\n{body}\n\n{SOURCE_FOOTER}.\n")
    }

    #[test]
    fn a_date_line_gives_outlet_and_iso_date() {
        let outcome = parse_page(page("نشر في هسبريس يوم 17 - 12 - 2025\n\nفقرة أولى.").as_bytes());
        let article = outcome.page.unwrap().article;
        assert_eq!(article.outlet.as_deref(), Some("هسبريس"));
        assert_eq!(article.published.unwrap().to_string(), "2025-12-17");
        assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    }

    #[test]
    fn an_impossible_date_is_kept_empty_with_a_located_warning() {
        let outcome = parse_page(page("نشر في هسبريس يوم 31 - 02 - 2025\nفقرة.").as_bytes());
        assert_eq!(outcome.page.unwrap().article.published, None);
        assert_eq!(outcome.diagnostics[0].code, "impossible-date");
        assert_eq!(outcome.diagnostics[0].line, Some(7));
    }

    #[test]
    fn headlines_split_on_nbsp_runs_and_lines() {
        let outcome = parse_page(page("فقرة.").as_bytes());
        assert_eq!(outcome.page.unwrap().headlines, vec!["عنوان جانبي", "آخر"]);
    }

    #[test]
    fn short_unpunctuated_lines_between_paragraphs_are_subheadings() {
        let outcome = parse_page(page("فقرة أولى طويلة.\nعنوان فرعي\nفقرة ثانية.\nسطر أخير بلا نقطة").as_bytes());
        let kinds: Vec<BlockKind> = outcome.page.unwrap().article.blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(kinds, vec![Paragraph, Subheading, Paragraph, Paragraph]);
    }

    #[test]
    fn tidies_whitespace_but_keeps_letters_and_diacritics() {
        assert_eq!(tidy_whitespace("  أَمْنٌ\u{A0}\u{A0}\u{A0}\u{A0}و\tسلام  "), "أَمْنٌ و سلام");
    }
}
