//! A result set taken out of the viewer: as CSV a spreadsheet opens (UTF-8 with a byte-order mark, so Excel
//! reads Arabic; CRLF lines; RFC 4180 quoting) and as JSON. Each row gives the title, outlet, date, the
//! original's address, the article's id and its permalink in this archive.

use crate::bundle::ListingRow;
use crate::route::ViewState;
use serde::Serialize;

/// At most this many rows go into one export; the viewer says so before it starts. Ten thousand rows read
/// about eighty listing shards and ten address files, a couple of MB at most.
pub const EXPORT_CAP: usize = 10_000;

/// One exported article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub title: String,
    pub outlet: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub url: Option<String>,
    pub id: String,
    pub permalink: String,
}

impl ExportRow {
    /// The row of a listed article, its original's address (if known) and its link under `base` (the page's
    /// address without its `#…`).
    pub fn of(row: &ListingRow, url: Option<String>, base: &str) -> ExportRow {
        ExportRow {
            title: row.title.clone(),
            outlet: row.outlet.clone(),
            date: row.published.map(|date| date.to_string()),
            url,
            id: row.id.clone(),
            permalink: format!("{base}{}", ViewState::default().with_article(&row.id).to_hash()),
        }
    }
}

const COLUMNS: [&str; 6] = ["title", "outlet", "date", "url", "id", "permalink"];

/// The rows as CSV, with a header line.
pub fn to_csv(rows: &[ExportRow]) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for row in rows {
        let fields = [Some(row.title.as_str()), row.outlet.as_deref(), row.date.as_deref(), row.url.as_deref(), Some(row.id.as_str()), Some(row.permalink.as_str())];
        let cells: Vec<String> = fields.iter().map(|field| csv_cell(field.unwrap_or(""))).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell. Quoted when it holds a comma, a quote or a line break (quotes doubled). A cell that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'`, as OWASP advises: article text is not trusted.
fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The rows as a JSON array, one object per article.
pub fn to_json(rows: &[ExportRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Date;

    fn row(title: &str, outlet: Option<&str>, url: Option<&str>) -> ExportRow {
        let listing = ListingRow { id: "a1".into(), title: title.into(), outlet: outlet.map(Into::into), published: Date::new(2014, 3, 8).ok(), excerpt: String::new(), text: None };
        ExportRow::of(&listing, url.map(Into::into), "https://example.org/archive/")
    }

    #[test]
    fn csv_opens_in_a_spreadsheet_with_arabic_and_quotes_intact() {
        let csv = to_csv(&[row("الأمن، والسلام \"اليوم\"", Some("هسبريس"), Some("https://x.ma/a?b=1,2")), row("سطر\nثان", None, None)]);
        assert!(csv.starts_with('\u{FEFF}'), "a byte-order mark for Excel");
        let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').split("\r\n").collect();
        assert_eq!(lines[0], "title,outlet,date,url,id,permalink");
        assert_eq!(lines[1], "\"الأمن، والسلام \"\"اليوم\"\"\",هسبريس,2014-03-08,\"https://x.ma/a?b=1,2\",a1,https://example.org/archive/#/article/a1");
        assert_eq!(lines[2], "\"سطر\nثان\",,2014-03-08,,a1,https://example.org/archive/#/article/a1");
        assert_eq!(lines.len(), 4, "a line break ends the last row");
    }

    #[test]
    fn a_cell_that_would_run_as_a_formula_is_made_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("عادي"), "عادي");
    }

    #[test]
    fn json_gives_every_field_by_name() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&[row("عنوان", Some("الأول"), None)])).unwrap();
        assert_eq!(json[0]["title"], "عنوان");
        assert_eq!(json[0]["date"], "2014-03-08");
        assert_eq!(json[0]["url"], serde_json::Value::Null);
        assert_eq!(json[0]["permalink"], "https://example.org/archive/#/article/a1");
    }
}
