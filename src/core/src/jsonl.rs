//! JSON Lines input, for publishers who do not scrape Maghress: one article per line,
//! `{"title", "body", "outlet", "date", "url"}` (body paragraphs separated by `\n`, date `YYYY-MM-DD` or null,
//! url optional, other fields ignored). Like the page parser it never fails: every line gives the article or
//! the reason it was rejected, with diagnostics located at the line.

use crate::date::{Date, DateError};
use crate::model::{source_url, Article};
use crate::parse::{blocks_from_lines, tidy_whitespace, Diagnostic, ParseOutcome, ParsedPage, Severity};
use serde_json::{Map, Value};

/// Whether a line holds nothing at all (JSON Lines files often end with one): such lines are not records.
pub fn is_blank_line(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Reads line `line_number` (1-based) of a JSON Lines file. A byte-order mark and a carriage return at the end
/// are tolerated; a title is required; every other field that is missing, of the wrong type or unreadable is
/// left empty with a warning.
pub fn parse_json_line(line: &[u8], line_number: usize) -> ParseOutcome {
    let reject = |code: &str, message: String| ParseOutcome::rejected(Diagnostic::new(Severity::Error, code, message).at_line(line_number));
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let text = match std::str::from_utf8(line) {
        Ok(text) => text.trim_end_matches(['\r', '\n']),
        Err(error) => {
            let offset = error.valid_up_to();
            return reject("invalid-utf8", format!("line {line_number}: invalid UTF-8 at byte {offset} of the line"));
        }
    };
    let record: Map<String, Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(record)) => record,
        Ok(other) => return reject("not-an-object", format!("line {line_number}: expected a JSON object, found {}", kind_of(&other))),
        Err(error) => return reject("invalid-json", format!("line {line_number}: not valid JSON ({error})")),
    };
    let mut reader = LineReader { line_number, diagnostics: Vec::new() };
    let title = match record.get("title") {
        Some(Value::String(title)) if !tidy_whitespace(title).is_empty() => tidy_whitespace(title),
        Some(Value::String(_)) | Some(Value::Null) | None => return reject("no-title", format!("line {line_number}: no title")),
        Some(other) => return reject("wrong-type", format!("line {line_number}: the title is {}, not text", kind_of(other))),
    };
    let outlet = reader.text_field(&record, "outlet").map(|outlet| tidy_whitespace(&outlet)).filter(|outlet| !outlet.is_empty());
    if outlet.is_none() {
        reader.warn("no-outlet", format!("line {line_number}: no outlet"));
    }
    let published = match reader.text_field(&record, "date") {
        None => {
            reader.warn("no-date", format!("line {line_number}: no date; the article is listed with the undated ones"));
            None
        }
        Some(date) => match Date::parse_iso(date.trim()) {
            Ok(date) => Some(date),
            Err(DateError::Impossible) => {
                reader.warn("impossible-date", format!("line {line_number}: date {} is impossible; date left empty", date.trim()));
                None
            }
            Err(DateError::Malformed) => {
                reader.warn("unreadable-date", format!("line {line_number}: date `{}` is not YYYY-MM-DD; date left empty", date.trim()));
                None
            }
        },
    };
    let url = reader.text_field(&record, "url").and_then(|url| match source_url(&url) {
        Ok(url) => Some(url),
        Err(why) => {
            reader.warn("unsafe-url", format!("line {line_number}: url dropped: {why}"));
            None
        }
    });
    let body = reader.text_field(&record, "body").unwrap_or_default();
    let blocks = blocks_from_lines(body.split('\n').enumerate().map(|(n, p)| (n + 1, p)), "paragraph", Some(line_number), &mut reader.diagnostics);
    if blocks.is_empty() {
        reader.warn("empty-body", format!("line {line_number}: the article has no body text"));
    }
    let id = Article::id_for(outlet.as_deref(), published, &title);
    let article = Article { id, title, outlet, published, blocks, url };
    ParseOutcome { page: Some(ParsedPage { article, headlines: Vec::new() }), diagnostics: reader.diagnostics }
}

/// An article as one line of the input format, with its id (which readers ignore): what `sahifa export`
/// writes and [`parse_json_line`] reads back to the same article.
pub fn to_json_line(article: &Article) -> String {
    let body: Vec<&str> = article.blocks.iter().map(|block| block.text.as_str()).collect();
    let mut line = serde_json::json!({
        "id": article.id,
        "title": article.title,
        "body": body.join("\n"),
        "outlet": article.outlet,
        "date": article.published.map(|date| date.to_string()),
    });
    if let Some(url) = &article.url {
        line["url"] = Value::String(url.clone());
    }
    line.to_string()
}

struct LineReader {
    line_number: usize,
    diagnostics: Vec<Diagnostic>,
}

impl LineReader {
    /// A text field: `None` when missing or null, and also (with a warning) when it holds another type.
    fn text_field(&mut self, record: &Map<String, Value>, name: &str) -> Option<String> {
        match record.get(name) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Null) | None => None,
            Some(other) => {
                let message = format!("line {}: {name} is {}, not text; left empty", self.line_number, kind_of(other));
                self.warn("wrong-type", message);
                None
            }
        }
    }

    fn warn(&mut self, code: &str, message: String) {
        self.diagnostics.push(Diagnostic::new(Severity::Warning, code, message).at_line(self.line_number));
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BlockKind;

    fn codes(outcome: &ParseOutcome) -> Vec<&str> {
        outcome.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_complete_line_gives_the_article_with_paragraphs_and_its_source() {
        let line = r#"{"title":" حجز  قارورات ","body":"فقرة أولى.\nفقرة ثانية.\n\n","outlet":"جوهرة أف أم","date":"2013-10-17","url":"http://www.jawharafm.net/ar/article/1","category":"localNews"}"#;
        let outcome = parse_json_line(line.as_bytes(), 3);
        assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
        let article = outcome.page.unwrap().article;
        assert_eq!(article.title, "حجز قارورات");
        assert_eq!(article.outlet.as_deref(), Some("جوهرة أف أم"));
        assert_eq!(article.published.map(|d| d.to_string()).as_deref(), Some("2013-10-17"));
        assert_eq!(article.url.as_deref(), Some("http://www.jawharafm.net/ar/article/1"));
        assert_eq!(article.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect::<Vec<_>>(), [(BlockKind::Paragraph, "فقرة أولى."), (BlockKind::Paragraph, "فقرة ثانية.")]);
        assert_eq!(article.id, Article::id_for(Some("جوهرة أف أم"), article.published, "حجز قارورات"));
    }

    #[test]
    fn an_impossible_date_is_kept_empty_with_a_warning_naming_the_line() {
        let outcome = parse_json_line(r#"{"title":"عنوان","body":"نص","outlet":"م","date":"2015-13-40"}"#.as_bytes(), 1234);
        assert_eq!(outcome.page.unwrap().article.published, None);
        assert_eq!(outcome.diagnostics[0].message, "line 1234: date 2015-13-40 is impossible; date left empty");
        assert_eq!(outcome.diagnostics[0].line, Some(1234));
    }

    #[test]
    fn bad_lines_are_rejected_with_their_reason() {
        let cases: [(&[u8], &str); 7] = [
            (b"{\"title\": \"a\", ", "invalid-json"),
            (b"[1, 2]", "not-an-object"),
            (br#"{"body":"x"}"#, "no-title"),
            (br#"{"title":"   ","body":"x"}"#, "no-title"),
            (br#"{"title":42,"body":"x"}"#, "wrong-type"),
            (b"{\"title\":\"\xff\"}", "invalid-utf8"),
            (b"null", "not-an-object"),
        ];
        for (line, code) in cases {
            let outcome = parse_json_line(line, 9);
            assert!(outcome.page.is_none(), "{}", String::from_utf8_lossy(line));
            assert_eq!(codes(&outcome), [code], "{}", String::from_utf8_lossy(line));
            assert!(outcome.diagnostics[0].message.starts_with("line 9: "), "{}", outcome.diagnostics[0].message);
        }
    }

    #[test]
    fn wrong_types_and_unsafe_urls_are_left_empty_with_warnings() {
        let line = r#"{"title":"عنوان","body":["x"],"outlet":7,"date":20150101,"url":"javascript:alert(1)"}"#;
        let outcome = parse_json_line(line.as_bytes(), 2);
        let article = outcome.page.clone().unwrap().article;
        assert_eq!((article.outlet, article.published, article.url), (None, None, None));
        assert!(article.blocks.is_empty());
        assert_eq!(codes(&outcome), ["wrong-type", "no-outlet", "wrong-type", "no-date", "unsafe-url", "wrong-type", "empty-body"]);
    }

    #[test]
    fn a_byte_order_mark_and_a_carriage_return_are_tolerated() {
        let outcome = parse_json_line("\u{FEFF}{\"title\":\"عنوان\",\"body\":\"نص\",\"outlet\":\"م\",\"date\":null}\r".as_bytes(), 1);
        assert_eq!(codes(&outcome), ["no-date"]);
        assert_eq!(outcome.page.unwrap().article.title, "عنوان");
        assert!(is_blank_line(b" \r\n") && !is_blank_line(b" {}"));
    }

    #[test]
    fn a_ten_megabyte_line_is_read_whole() {
        let paragraph = "كلمة ".repeat(1000);
        let body = vec![paragraph.trim(); 1200].iter().enumerate().map(|(n, p)| format!("{n} {p}")).collect::<Vec<_>>().join("\n");
        let line = serde_json::json!({"title": "طويل", "body": body, "outlet": "م", "date": "2020-01-01"}).to_string();
        assert!(line.len() > 10_000_000);
        let article = parse_json_line(line.as_bytes(), 1).page.unwrap().article;
        assert_eq!(article.blocks.len(), 1200);
    }

    #[test]
    fn an_article_written_as_a_line_reads_back_the_same() {
        let line = r#"{"title":"عنوان","body":"فقرة أولى طويلة.\nعنوان فرعي\nفقرة ثانية.","outlet":"م","date":"2020-01-01","url":"https://a.b/c"}"#;
        let article = parse_json_line(line.as_bytes(), 1).page.unwrap().article;
        let again = parse_json_line(to_json_line(&article).as_bytes(), 1).page.unwrap().article;
        assert_eq!(again, article);
    }

    #[test]
    fn repeated_paragraphs_are_noted_by_paragraph_at_the_json_line() {
        let outcome = parse_json_line(r#"{"title":"ع","body":"أ.\nأ.\nب.","outlet":"م","date":"2020-01-01"}"#.as_bytes(), 5);
        assert_eq!(outcome.page.unwrap().article.blocks.len(), 2);
        assert_eq!(outcome.diagnostics[0].message, "paragraph 2 repeats paragraph 1 word for word; the repeat was dropped");
        assert_eq!(outcome.diagnostics[0].line, Some(5));
    }
}
