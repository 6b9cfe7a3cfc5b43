//! `sahifa build`: pages in, bundle and report out.

use crate::inputs::collect_page_files;
use crate::report::{BuildReport, PageReport, PageStatus, Summary};
use crate::write::{check_output_dir, replace_bundle_dir};
use crate::{EXIT_NOTHING_BUILT, EXIT_OK};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::bundle::{assemble, HeadlineCollector};
use sahifa_core::parse::{parse_page, Diagnostic, Severity};
use sahifa_core::Article;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn generator() -> String {
    format!("sahifa {}", env!("CARGO_PKG_VERSION"))
}

pub fn run(inputs: &[PathBuf], out: &Path, report_path: Option<&Path>, strict: bool) -> Result<u8, String> {
    let files = collect_page_files(inputs)?;
    check_output_dir(out)?;

    let progress = ProgressBar::new(files.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} reading pages {bar:30} {pos}/{len} {wide_msg}")
            .expect("the template is valid"),
    );

    let mut articles: Vec<Article> = Vec::new();
    let mut first_path_of: HashMap<String, String> = HashMap::new();
    let mut headlines = HeadlineCollector::default();
    let mut pages = Vec::with_capacity(files.len());
    for path in &files {
        let shown = path.display().to_string();
        progress.set_message(shown.clone());
        pages.push(read_one(path, shown, &mut articles, &mut first_path_of, &mut headlines));
        progress.inc(1);
    }
    progress.finish_and_clear();

    let headlines = headlines.finish();
    let mut summary = Summary { inputs: files.len(), articles: articles.len(), headlines: headlines.len(), ..Summary::default() };
    for page in &pages {
        match page.status {
            PageStatus::Parsed { .. } => summary.parsed += 1,
            PageStatus::Duplicate { .. } => summary.duplicates += 1,
            PageStatus::Rejected { .. } => summary.rejected += 1,
        }
        summary.warnings += page.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    }
    let report = BuildReport { generator: generator(), summary, pages };

    let built_any = !articles.is_empty();
    if built_any {
        let bundle = assemble(articles, headlines, &generator());
        replace_bundle_dir(out, &bundle)?;
    }
    if let Some(report_path) = report_path {
        let json = serde_json::to_vec_pretty(&report).expect("the report always serializes");
        std::fs::write(report_path, json).map_err(|e| format!("cannot write the report {}: {e}", report_path.display()))?;
    }
    eprint!("{}", report.render_summary());
    if !built_any {
        eprintln!("sahifa: no article could be built, so no bundle was written");
        return Ok(EXIT_NOTHING_BUILT);
    }
    eprintln!("bundle written to {}", out.display());
    if strict && report.summary.rejected > 0 {
        eprintln!("sahifa: --strict: {} pages were rejected", report.summary.rejected);
        return Ok(EXIT_NOTHING_BUILT);
    }
    Ok(EXIT_OK)
}

fn read_one(
    path: &Path,
    shown: String,
    articles: &mut Vec<Article>,
    first_path_of: &mut HashMap<String, String>,
    headlines: &mut HeadlineCollector,
) -> PageReport {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let reason = format!("cannot read the file: {error}");
            let diagnostic = Diagnostic { severity: Severity::Error, code: "unreadable".into(), message: reason.clone(), line: None, byte_offset: None };
            return PageReport { path: shown, status: PageStatus::Rejected { reason }, diagnostics: vec![diagnostic] };
        }
    };
    let outcome = parse_page(&bytes);
    let Some(page) = outcome.page else {
        let reason = outcome.diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
        return PageReport { path: shown, status: PageStatus::Rejected { reason }, diagnostics: outcome.diagnostics };
    };
    let article_id = page.article.id.clone();
    headlines.add(&article_id, &page.headlines);
    let status = match first_path_of.get(&article_id) {
        Some(first) => PageStatus::Duplicate { article_id, duplicate_of: first.clone() },
        None => {
            first_path_of.insert(article_id.clone(), shown.clone());
            articles.push(page.article);
            PageStatus::Parsed { article_id }
        }
    };
    PageReport { path: shown, status, diagnostics: outcome.diagnostics }
}
