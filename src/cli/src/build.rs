//! `sahifa build`: pages in, bundle and report out, in two streaming passes so memory stays bounded however
//! many pages there are.
//!
//! 1. Every page is parsed (on every core, a batch at a time) for its report entry, its id, date and title
//!    (to sort the archive newest first) and its sidebar headlines. Texts are not kept.
//! 2. The pages are read again in listing order, parsed and analyzed on every core, and fed to the core's
//!    `BundleWriter`, which hands back each file as soon as it is complete; files are written to a staging
//!    folder with their precompressed copies, and the folder replaces the old bundle at the end.

use crate::ingest::{ingest_with_progress, Accepted, Sources};
use crate::inputs::collect_inputs;
use crate::parallel::parallel_map_reading;
use crate::report::BuildReport;
use crate::segments::{write_segment, Output, Timings};
use crate::write::{check_output_dir, sibling, Staging};
use crate::{EXIT_NOTHING_BUILT, EXIT_OK};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::archive::ArchiveInfo;
use sahifa_core::bundle::layout::order_runs;
use sahifa_core::bundle::manifest::ManifestParts;
use sahifa_core::bundle::plan::build_plan;
use sahifa_core::bundle::{
    json_file, newest_first, to_json, BundleFile, Headline, HeadlineCollector, HeadlinesFile, Manifest, Run, Segment, SegmentRef, Sizes,
    HEADLINES_FOLDER, MANIFEST_FILE,
};
use std::path::{Path, PathBuf};

pub fn generator() -> String {
    format!("sahifa {}", env!("CARGO_PKG_VERSION"))
}

/// `run_bytes`: search postings buffered in memory before they are written out as a run.
pub fn run(inputs: &[PathBuf], out: &Path, report_path: Option<&Path>, strict: bool, run_bytes: usize, segment_unit: u32, archive: ArchiveInfo) -> Result<u8, String> {
    let started = std::time::Instant::now();
    let files = collect_inputs(inputs)?;
    check_output_dir(out)?;

    // Pass 1: every record's report entry, ids and dates, headlines.
    crate::interrupt::install();
    let spool = sibling(out, "sahifa-spool");
    crate::interrupt::temporary(spool.clone());
    let ingested = ingest_with_progress(&files, &mut |_| Ok(None), HeadlineCollector::default(), &spool)?;
    let read_seconds = started.elapsed().as_secs_f64();

    let headlines = ingested.headlines.finish();
    let mut listed = ingested.accepted;
    let report = BuildReport::of(generator(), ingested.pages, listed.len(), headlines.len());

    let built_any = !listed.is_empty();
    if built_any {
        listed.sort_by(|a, b| newest_first((a.published, &a.title, &a.id), (b.published, &b.title, &b.id)));
        let written = write_bundle(&ingested.sources, &listed, headlines, out, run_bytes, segment_unit, archive);
        let _ = std::fs::remove_dir_all(&spool);
        written?;
    }
    let total_seconds = started.elapsed().as_secs_f64();
    if let Some(report_path) = report_path {
        let json = serde_json::to_vec_pretty(&report).expect("the report always serializes");
        std::fs::write(report_path, json).map_err(|e| format!("cannot write the report {}: {e}", report_path.display()))?;
    }
    eprint!("{}", report.render_summary(report_path));
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

/// Pass 2: the articles in listing order, cut into the segments of the build plan (newest first in the
/// archive's order, so the plan, which lists them oldest first, is walked backwards), to a staging folder.
fn write_bundle(sources: &Sources, listed: &[Accepted], headlines: Vec<Headline>, out: &Path, run_bytes: usize, segment_unit: u32, archive: ArchiveInfo) -> Result<(), String> {
    let sizes = Sizes { segment_unit, ..Sizes::DEFAULT };
    let mut staging = Staging::create(out)?;
    let runs_dir = staging.sibling_dir("sahifa-runs");
    let plan = build_plan(listed.len() as u32, sizes.segment_unit);
    let progress = bar(listed.len(), "indexing       ");
    let read_batch = |batch: &[Accepted]| parallel_map_reading(batch, |_, accepted| sources.read_article(accepted)).into_iter().collect();
    let mut written = Vec::with_capacity(plan.len());
    let mut output = Output { staging: &mut staging, sizes, run_bytes, runs_dir, progress: &progress, timings: Timings::default() };
    let mut start = 0;
    for &size in plan.iter().rev() {
        let documents = &listed[start..start + size as usize];
        written.push(write_segment(documents, &read_batch, &mut output)?);
        start += size as usize;
    }
    let timings = output.timings;
    progress.finish_and_clear();
    written.reverse();
    let count = written.len() as u32;
    let order = order_runs((0..count).rev().flat_map(|segment| (0..written[segment as usize].0.documents).map(move |local| (segment, local))));
    let spinner = ProgressBar::new_spinner();
    spinner.set_message("compressing the last files…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let segments: Vec<(SegmentRef, &Segment)> = written.iter().map(|(reference, segment)| (reference.clone(), segment)).collect();
    let manifest = finish_manifest(&mut staging, &segments, order, headlines, sizes.segment_unit, archive, |staging| staging.written().to_vec())?;
    staging.add(BundleFile { path: MANIFEST_FILE.to_owned(), bytes: to_json(&manifest) })?;
    staging.flush()?;
    spinner.finish_and_clear();
    let compress_seconds = staging.commit(out)?;
    eprintln!(
        "  {} segments; {:.1} s waiting for analyzed articles, {:.1} s adding them (compressing within: {compress_seconds:.1} s), {:.1} s finding related articles, {:.1} s writing search indexes",
        segments.len(),
        timings.waiting,
        timings.adding,
        timings.relating,
        timings.indexing
    );
    Ok(())
}

/// Writes the headlines file and composes the manifest of `segments` (oldest first) in `order`; `files` gives
/// every file the bundle will name, once the headlines are written (their count and size go in the manifest).
pub fn finish_manifest(
    staging: &mut Staging,
    segments: &[(SegmentRef, &Segment)],
    order: Vec<Run>,
    headlines: Vec<Headline>,
    segment_unit: u32,
    archive: ArchiveInfo,
    files: impl FnOnce(&Staging) -> Vec<(String, u64)>,
) -> Result<Manifest, String> {
    let headline_count = headlines.len() as u32;
    let headlines_file = json_file(HEADLINES_FOLDER, &HeadlinesFile { headlines });
    let headlines_path = headlines_file.path.clone();
    staging.add(headlines_file)?;
    let named = files(staging);
    let parts = ManifestParts {
        generator: generator(),
        segment_unit,
        headlines: headlines_path,
        headline_count,
        total_files: named.len() as u64,
        total_bytes: named.iter().map(|(_, size)| size).sum(),
        archive,
    };
    Manifest::compose(parts, segments, order).map_err(|error| format!("the new segments do not fit together: {error}"))
}

pub fn bar(length: usize, label: &str) -> ProgressBar {
    let progress = ProgressBar::new(length as u64);
    progress.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {label} {{bar:30}} {{pos}}/{{len}} {{eta}} {{wide_msg}}"))
            .expect("the template is valid"),
    );
    progress
}
