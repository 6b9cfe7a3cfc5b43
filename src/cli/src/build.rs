//! `sahifa build`: pages in, bundle and report out, in two streaming passes so memory stays bounded however
//! many pages there are.
//!
//! 1. Every page is parsed (on every core, a batch at a time) for its report entry, its id, date and title
//!    (to sort the archive newest first) and its sidebar headlines. Texts are not kept.
//! 2. The pages are read again in listing order, parsed and analyzed on every core, and fed to the core's
//!    `BundleWriter`, which hands back each file as soon as it is complete; files are written to a staging
//!    folder with their precompressed copies, and the folder replaces the old bundle at the end.

use crate::inputs::collect_page_files;
use crate::report::{BuildReport, PageReport, PageStatus, Summary};
use crate::parallel::parallel_map;
use crate::runs::RunFiles;
use crate::write::{check_output_dir, Staging};
use crate::{EXIT_NOTHING_BUILT, EXIT_OK};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::bundle::{newest_first, BundleWriter, HeadlineCollector};
use sahifa_core::parse::{parse_page, Diagnostic, Severity};
use sahifa_core::search::index::{analyze, article_fields, DocumentTerms};
use sahifa_core::{Article, Date};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Pages handled per parallel batch: large enough to keep every core busy, small enough to bound memory.
const BATCH: usize = 1024;

pub fn generator() -> String {
    format!("sahifa {}", env!("CARGO_PKG_VERSION"))
}

/// What the first pass keeps of a page that parsed.
struct Listed {
    published: Option<Date>,
    title: String,
    id: String,
    file: usize,
}

enum FirstRead {
    Parsed { listed: Listed, headlines: Vec<String>, diagnostics: Vec<Diagnostic> },
    Rejected(PageReport),
}

/// `run_bytes`: search postings buffered in memory before they are written out as a run.
pub fn run(inputs: &[PathBuf], out: &Path, report_path: Option<&Path>, strict: bool, run_bytes: usize) -> Result<u8, String> {
    let started = std::time::Instant::now();
    let files = collect_page_files(inputs)?;
    check_output_dir(out)?;
    let shown: Vec<String> = files.iter().map(|path| path.display().to_string()).collect();

    // Pass 1: reports, ids and dates, headlines.
    let progress = bar(files.len(), "reading pages  ");
    let mut pages: Vec<PageReport> = Vec::with_capacity(files.len());
    let mut first_file_of: HashMap<String, usize> = HashMap::new();
    let mut listed: Vec<Listed> = Vec::new();
    let mut headlines = HeadlineCollector::default();
    for (batch_number, batch) in files.chunks(BATCH).enumerate() {
        let offset = batch_number * BATCH;
        progress.set_message(shown[offset].clone());
        let reads = parallel_map(batch, |index, path| first_read(path, offset + index, &shown[offset + index]));
        for read in reads {
            match read {
                FirstRead::Rejected(report) => pages.push(report),
                FirstRead::Parsed { listed: page, headlines: sidebar, diagnostics } => {
                    headlines.add(&sidebar);
                    let path = shown[page.file].clone();
                    let status = match first_file_of.get(&page.id) {
                        Some(&first) => PageStatus::Duplicate { article_id: page.id.clone(), duplicate_of: shown[first].clone() },
                        None => {
                            first_file_of.insert(page.id.clone(), page.file);
                            let status = PageStatus::Parsed { article_id: page.id.clone() };
                            listed.push(page);
                            status
                        }
                    };
                    pages.push(PageReport { path, status, diagnostics });
                }
            }
        }
        progress.inc(batch.len() as u64);
    }
    progress.finish_and_clear();
    drop(first_file_of);
    let read_seconds = started.elapsed().as_secs_f64();

    let headlines = headlines.finish();
    let mut summary = Summary { inputs: files.len(), articles: listed.len(), headlines: headlines.len(), ..Summary::default() };
    for page in &pages {
        match page.status {
            PageStatus::Parsed { .. } => summary.parsed += 1,
            PageStatus::Duplicate { .. } => summary.duplicates += 1,
            PageStatus::Rejected { .. } => summary.rejected += 1,
        }
        summary.warnings += page.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    }
    let report = BuildReport { generator: generator(), summary, pages };

    let built_any = !listed.is_empty();
    if built_any {
        listed.sort_by(|a, b| newest_first((a.published, &a.title, &a.id), (b.published, &b.title, &b.id)));
        write_bundle(&files, &listed, headlines, out, run_bytes)?;
    }
    let total_seconds = started.elapsed().as_secs_f64();
    if let Some(report_path) = report_path {
        let json = serde_json::to_vec_pretty(&report).expect("the report always serializes");
        std::fs::write(report_path, json).map_err(|e| format!("cannot write the report {}: {e}", report_path.display()))?;
    }
    eprint!("{}", report.render_summary());
    if !built_any {
        eprintln!("sahifa: no article could be built, so no bundle was written");
        return Ok(EXIT_NOTHING_BUILT);
    }
    eprintln!(
        "bundle written to {} in {total_seconds:.1} s ({read_seconds:.1} s reading pages, {:.1} s writing the bundle)",
        out.display(),
        total_seconds - read_seconds
    );
    if strict && report.summary.rejected > 0 {
        eprintln!("sahifa: --strict: {} pages were rejected", report.summary.rejected);
        return Ok(EXIT_NOTHING_BUILT);
    }
    Ok(EXIT_OK)
}

/// Pass 2: the articles in listing order, through the core's writer, to a staging folder.
fn write_bundle(files: &[PathBuf], listed: &[Listed], headlines: Vec<sahifa_core::bundle::Headline>, out: &Path, run_bytes: usize) -> Result<(), String> {
    let mut staging = Staging::create(out)?;
    let mut runs = RunFiles::create(staging.sibling_dir("sahifa-runs"))?;
    let mut writer = BundleWriter::new(&generator());
    let progress = bar(listed.len(), "indexing       ");
    let mut failure: Option<String> = None;
    // Reading and analyzing the next batches (on every core) overlaps with writing this one.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Result<(Article, DocumentTerms), String>>>(2);
    std::thread::scope(|scope| -> Result<(), String> {
        scope.spawn(move || {
            for batch in listed.chunks(BATCH) {
                let analyzed = parallel_map(batch, |_, page| second_read(&files[page.file], &page.id));
                if sender.send(analyzed).is_err() {
                    return; // The writer stopped on an error.
                }
            }
        });
        for analyzed in receiver {
            let count = analyzed.len();
            for item in analyzed {
                let (article, terms) = item?;
                writer.add(article, terms, &mut |file| {
                    if let Err(error) = staging.add(file) {
                        failure.get_or_insert(error);
                    }
                });
            }
            if let Some(error) = failure.take() {
                return Err(error);
            }
            if writer.buffered_index_bytes() >= run_bytes {
                progress.set_message("writing a run of the search index to disk");
                runs.write(writer.take_index_run())?;
            }
            progress.inc(count as u64);
            progress.set_message(format!("index buffers {} MB", writer.buffered_index_bytes() / 1_000_000));
        }
        Ok(())
    })?;
    progress.finish_and_clear();
    let spinner = ProgressBar::new_spinner();
    let articles_done = std::time::Instant::now();
    spinner.set_message("writing the search index, id buckets and directories…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let mut add = |file| {
        if let Err(error) = staging.add(file) {
            failure.get_or_insert(error);
        }
    };
    if runs.is_empty() {
        writer.finish(headlines, &mut add);
    } else {
        runs.write(writer.take_index_run())?;
        let mut merged = runs.merged()?;
        writer.finish_runs(headlines, &mut merged, &mut add);
        if let Some(error) = merged.error.take() {
            return Err(error);
        }
    }
    runs.remove();
    if let Some(error) = failure {
        return Err(error);
    }
    spinner.set_message("compressing the last files…");
    staging.flush()?;
    spinner.finish_and_clear();
    let finishing = articles_done.elapsed().as_secs_f64();
    let compress_seconds = staging.commit(out)?;
    eprintln!("  the last step (search index, id buckets, directories) took {finishing:.1} s; compressing took {compress_seconds:.1} s in all");
    Ok(())
}

fn first_read(path: &Path, file: usize, shown: &str) -> FirstRead {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let reason = format!("cannot read the file: {error}");
            let diagnostic = Diagnostic { severity: Severity::Error, code: "unreadable".into(), message: reason.clone(), line: None, byte_offset: None };
            return FirstRead::Rejected(PageReport { path: shown.to_owned(), status: PageStatus::Rejected { reason }, diagnostics: vec![diagnostic] });
        }
    };
    let outcome = parse_page(&bytes);
    let Some(page) = outcome.page else {
        let reason = outcome.diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
        return FirstRead::Rejected(PageReport { path: shown.to_owned(), status: PageStatus::Rejected { reason }, diagnostics: outcome.diagnostics });
    };
    let Article { id, title, published, .. } = page.article;
    FirstRead::Parsed { listed: Listed { published, title, id, file }, headlines: page.headlines, diagnostics: outcome.diagnostics }
}

fn second_read(path: &Path, id: &str) -> Result<(Article, DocumentTerms), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {} again: {e}", path.display()))?;
    let article = parse_page(&bytes).page.map(|page| page.article).filter(|article| article.id == id);
    let article = article.ok_or_else(|| format!("{} changed while the bundle was being built; build again", path.display()))?;
    let terms = analyze(&article_fields(&article));
    Ok((article, terms))
}

fn bar(length: usize, label: &str) -> ProgressBar {
    let progress = ProgressBar::new(length as u64);
    progress.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {label} {{bar:30}} {{pos}}/{{len}} {{eta}} {{wide_msg}}"))
            .expect("the template is valid"),
    );
    progress
}
