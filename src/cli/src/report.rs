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

    /// The human summary printed at the end of a build: counts, then every rejection and warning with its
    /// location, so nothing is dropped without the publisher seeing it.
    pub fn render_summary(&self) -> String {
        let s = &self.summary;
        let mut text = format!(
            "{} inputs: {} parsed, {} duplicates merged, {} rejected → {} articles, {} headlines ({} warnings)\n",
            s.inputs, s.parsed, s.duplicates, s.rejected, s.articles, s.headlines, s.warnings
        );
        for page in &self.pages {
            match &page.status {
                PageStatus::Rejected { reason } => {
                    let at = page.diagnostics.iter().find(|d| d.severity == Severity::Error);
                    let at = at.map(|d| located(&page.path, d)).unwrap_or_else(|| page.path.clone());
                    text.push_str(&format!("  rejected {at}: {reason}\n"))
                }
                PageStatus::Duplicate { duplicate_of, .. } => {
                    text.push_str(&format!("  merged   {}: same outlet, date, title and text as {duplicate_of}\n", page.path))
                }
                PageStatus::Parsed { .. } => {}
            }
        }
        for (path, diagnostic) in self.warnings().filter(|(_, d)| d.severity == Severity::Warning) {
            text.push_str(&format!("  warning  {}: {}\n", located(path, diagnostic), diagnostic.message));
        }
        text
    }
}

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
