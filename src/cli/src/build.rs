//! `sahifa build`: pages in, bundle and report out, in two streaming passes so memory stays bounded however
//! many pages there are.
//!
//! 1. Every page is parsed (on every core, a batch at a time) for its report entry, its id, date and title
//!    (to sort the archive newest first) and its sidebar headlines. Texts are not kept.
//! 2. The pages are read again in listing order, parsed and analyzed on every core, and fed to the core's
//!    `BundleWriter`, which hands back each file as soon as it is complete; files are written to a staging
//!    folder with their precompressed copies, and the folder replaces the old bundle at the end.

use crate::ingest::{ingest, Accepted, Sources, BATCH};
use crate::inputs::collect_inputs;
use crate::report::{BuildReport, PageStatus, Summary};
use crate::parallel::parallel_map;
use crate::runs::RunFiles;
use crate::write::{check_output_dir, sibling, Staging};
use crate::{EXIT_NOTHING_BUILT, EXIT_OK};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::bundle::{newest_first, BundleWriter};
use sahifa_core::parse::Severity;
use sahifa_core::search::index::{analyze, article_fields, DocumentTerms};
use sahifa_core::Article;
use std::path::{Path, PathBuf};

pub fn generator() -> String {
    format!("sahifa {}", env!("CARGO_PKG_VERSION"))
}

/// `run_bytes`: search postings buffered in memory before they are written out as a run.
pub fn run(inputs: &[PathBuf], out: &Path, report_path: Option<&Path>, strict: bool, run_bytes: usize) -> Result<u8, String> {
    let started = std::time::Instant::now();
    let files = collect_inputs(inputs)?;
    check_output_dir(out)?;

    // Pass 1: every record's report entry, ids and dates, headlines.
    let progress = record_counter("reading inputs");
    let spool = sibling(out, "sahifa-spool");
    let ingested = ingest(&files, &mut |_| Ok(None), &spool, &|records, shown| {
        progress.set_position(records as u64);
        progress.set_message(shown.to_owned());
    });
    progress.finish_and_clear();
    let ingested = match ingested {
        Ok(ingested) => ingested,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&spool);
            return Err(error);
        }
    };
    let read_seconds = started.elapsed().as_secs_f64();

    let headlines = ingested.headlines.finish();
    let mut listed = ingested.accepted;
    let pages = ingested.pages;
    let mut summary = Summary { inputs: pages.len(), articles: listed.len(), headlines: headlines.len(), ..Summary::default() };
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
        let written = write_bundle(&ingested.sources, &listed, headlines, out, run_bytes);
        let _ = std::fs::remove_dir_all(&spool);
        written?;
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
        "bundle written to {} in {total_seconds:.1} s ({read_seconds:.1} s reading inputs, {:.1} s writing the bundle)",
        out.display(),
        total_seconds - read_seconds
    );
    if strict && report.summary.rejected > 0 {
        eprintln!("sahifa: --strict: {} inputs were rejected", report.summary.rejected);
        return Ok(EXIT_NOTHING_BUILT);
    }
    Ok(EXIT_OK)
}

/// Pass 2: the articles in listing order, through the core's writer, to a staging folder.
fn write_bundle(sources: &Sources, listed: &[Accepted], headlines: Vec<sahifa_core::bundle::Headline>, out: &Path, run_bytes: usize) -> Result<(), String> {
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
                let analyzed = parallel_map(batch, |_, accepted| second_read(sources, accepted));
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

fn second_read(sources: &Sources, accepted: &Accepted) -> Result<(Article, DocumentTerms), String> {
    let article = sources.read_article(accepted)?;
    let terms = analyze(&article_fields(&article));
    Ok((article, terms))
}

/// Inputs hold an unknown number of records (a JSON Lines file holds many), so reading counts them.
fn record_counter(label: &str) -> ProgressBar {
    let progress = ProgressBar::new_spinner();
    progress.set_style(ProgressStyle::with_template(&format!("{{spinner}} {label} {{pos}} records {{wide_msg}}")).expect("the template is valid"));
    progress
}

fn bar(length: usize, label: &str) -> ProgressBar {
    let progress = ProgressBar::new(length as u64);
    progress.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {label} {{bar:30}} {{pos}}/{{len}} {{eta}} {{wide_msg}}"))
            .expect("the template is valid"),
    );
    progress
}
