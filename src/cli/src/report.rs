//! The build report: one entry per input file, so every page is accounted for as parsed, merged into a
//! duplicate, or rejected with a located reason.

use sahifa_core::parse::{Diagnostic, Severity};
use serde::Serialize;

#[derive(Serialize)]
pub struct BuildReport {
    pub generator: String,
    pub summary: Summary,
    pub pages: Vec<PageReport>,
}

#[derive(Default, Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub parsed: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub articles: usize,
    pub headlines: usize,
    pub warnings: usize,
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum PageStatus {
    Parsed { article_id: String },
    Duplicate { article_id: String, duplicate_of: String },
    Rejected { reason: String },
}

#[derive(Serialize)]
pub struct PageReport {
    pub path: String,
    #[serde(flatten)]
    pub status: PageStatus,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildReport {
    /// The report of a run that read `pages` and kept `articles` articles and `headlines` headlines.
    pub fn of(generator: String, pages: Vec<PageReport>, articles: usize, headlines: usize) -> BuildReport {
        let mut summary = Summary { inputs: pages.len(), articles, headlines, ..Summary::default() };
        for page in &pages {
            match page.status {
                PageStatus::Parsed { .. } => summary.parsed += 1,
                PageStatus::Duplicate { .. } => summary.duplicates += 1,
                PageStatus::Rejected { .. } => summary.rejected += 1,
            }
            summary.warnings += page.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        }
        BuildReport { generator, summary, pages }
    }

    pub fn warnings(&self) -> impl Iterator<Item = (&str, &Diagnostic)> {
        self.pages.iter().flat_map(|page| {
            page.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(move |d| (page.path.as_str(), d))
        })
    }

    /// The human summary printed at the end of a build: the counts, then each kind of rejection, merge and
    /// warning with how many and a few located examples (all of them when there are few). The full list is
    /// the report's (`--report`), which `report` names; without one, the summary says how to get it.
    pub fn render_summary(&self, report: Option<&std::path::Path>) -> String {
        let s = &self.summary;
        let mut text = format!(
            "{} inputs: {} parsed, {} duplicates merged, {} rejected → {} articles, {} headlines ({} warnings)\n",
            s.inputs, s.parsed, s.duplicates, s.rejected, s.articles, s.headlines, s.warnings
        );
        // Kinds in the order met, each with its lines.
        let mut kinds: Vec<(String, Vec<String>)> = Vec::new();
        let mut add = |kind: String, line: String| match kinds.iter_mut().find(|(known, _)| *known == kind) {
            Some((_, lines)) => lines.push(line),
            None => kinds.push((kind, vec![line])),
        };
        for page in &self.pages {
            match &page.status {
                PageStatus::Rejected { reason } => {
                    let error = page.diagnostics.iter().find(|d| d.severity == Severity::Error);
                    let at = error.map(|d| located(&page.path, d)).unwrap_or_else(|| page.path.clone());
                    add(format!("rejected ({})", error.map_or("unreadable", |d| d.code.as_str())), format!("{at}: {reason}"));
                }
                PageStatus::Duplicate { duplicate_of, .. } => {
                    add("merged (same outlet, date, title and text)".to_owned(), format!("{} as {duplicate_of}", page.path));
                }
                PageStatus::Parsed { .. } => {}
            }
        }
        for (path, diagnostic) in self.warnings().filter(|(_, d)| d.severity == Severity::Warning) {
            add(format!("warning ({})", diagnostic.code), format!("{}: {}", located(path, diagnostic), diagnostic.message));
        }
        let mut hidden = 0;
        for (kind, lines) in &kinds {
            text.push_str(&format!("  {kind}: {}\n", lines.len()));
            let shown = if lines.len() <= EXAMPLES + 1 { lines.len() } else { EXAMPLES };
            for line in &lines[..shown] {
                text.push_str(&format!("    {line}\n"));
            }
            if shown < lines.len() {
                text.push_str(&format!("    … and {} more\n", lines.len() - shown));
                hidden += lines.len() - shown;
            }
        }
        if hidden > 0 {
            match report {
                Some(path) => text.push_str(&format!("  every one of them is in the report, {}\n", path.display())),
                None => text.push_str("  every one of them is in the report: build again with --report FILE\n"),
            }
        }
        text
    }
}

/// Located examples printed per kind of problem; the report lists every one.
const EXAMPLES: usize = 3;

/// `path:line`, or `path@byte` for byte-located problems, or just the path. A JSON line's record is already
/// named `file:line`, so its line is not repeated.
pub fn located(path: &str, diagnostic: &Diagnostic) -> String {
    match (diagnostic.line, diagnostic.byte_offset) {
        (_, Some(offset)) => format!("{path}@{offset}"),
        (Some(line), None) if path.ends_with(&format!(":{line}")) => path.to_owned(),
        (Some(line), None) => format!("{path}:{line}"),
        (None, None) => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, status: PageStatus, diagnostics: Vec<Diagnostic>) -> PageReport {
        PageReport { path: path.into(), status, diagnostics }
    }

    fn diagnostic(severity: Severity, code: &str, line: u32) -> Diagnostic {
        Diagnostic { severity, code: code.into(), message: format!("{code} here"), line: Some(line as usize), byte_offset: None }
    }

    #[test]
    fn many_problems_print_as_kinds_with_a_few_examples_and_a_few_print_whole() {
        let mut pages: Vec<PageReport> = (1..=10)
            .map(|n| page(&format!("c.jsonl:{n}"), PageStatus::Rejected { reason: "not valid JSON".into() }, vec![diagnostic(Severity::Error, "bad-json", n)]))
            .collect();
        pages.push(page("b.txt", PageStatus::Duplicate { article_id: "x".into(), duplicate_of: "a.txt".into() }, Vec::new()));
        pages.push(page("a.txt", PageStatus::Parsed { article_id: "x".into() }, vec![diagnostic(Severity::Warning, "no-date", 3), diagnostic(Severity::Info, "tidied", 4)]));
        let report = BuildReport::of("test".into(), pages, 1, 0);
        let text = report.render_summary(Some(std::path::Path::new("report.json")));
        let expected = "12 inputs: 1 parsed, 1 duplicates merged, 10 rejected → 1 articles, 0 headlines (1 warnings)
  rejected (bad-json): 10
    c.jsonl:1: not valid JSON
    c.jsonl:2: not valid JSON
    c.jsonl:3: not valid JSON
    … and 7 more
  merged (same outlet, date, title and text): 1
    b.txt as a.txt
  warning (no-date): 1
    a.txt:3: no-date here
  every one of them is in the report, report.json
";
        assert_eq!(text, expected);
        assert!(report.render_summary(None).ends_with("build again with --report FILE\n"));
    }
}
