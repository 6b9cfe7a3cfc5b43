//! Writing segments, shared by `build` and `update`: a segment's articles are read and analyzed in batches on
//! every core while the previous batch is written, and search postings past the memory budget go to sorted
//! runs on disk, merged back when the segment closes.

use crate::parallel::{cores, parallel_map};
use crate::runs::RunFiles;
use crate::write::Staging;
use indicatif::ProgressBar;
use sahifa_core::bundle::search_index::PostingsBatch;
use sahifa_core::bundle::{Segment, SegmentRef, SegmentWriter, Sizes};
use sahifa_core::related::{signature, Signature};
use sahifa_core::search::index::{analyze, article_fields};
use sahifa_core::story::fingerprint_article;
use sahifa_core::Article;
use std::path::PathBuf;

/// Articles read per batch: large enough to keep every core busy, small enough to bound memory.
pub const BATCH: usize = 1024;

/// Where the writing of segments spent its time, for the build's closing line.
#[derive(Default)]
pub struct Timings {
    /// Waiting for the next batch of analyzed articles.
    pub waiting: f64,
    /// Adding articles to the writer (listing rows, shards, postings in memory).
    pub adding: f64,
    /// Writing the search indexes when segments close (runs merged, packs and blocks).
    pub indexing: f64,
    /// Finding each article's related articles when segments close.
    pub relating: f64,
}

/// A batch of a segment's articles, each with its related-articles signature and story fingerprint, and their
/// postings grouped by key in consecutive runs (`PostingsBatch`).
type Analyzed = (Vec<(Article, Signature, Option<u64>)>, Vec<PostingsBatch>);

/// Analyzes a batch of articles, the segment's documents from `first` on, on every core: each core takes a
/// run of consecutive articles and groups their postings by key, so that the writer, on the build's one main
/// thread, adds each key once per run rather than once per article.
fn analyze_batch(articles: Vec<Article>, first: u32) -> Analyzed {
    let per_core = articles.len().div_ceil(cores()).max(1);
    let runs: Vec<(usize, usize)> = (0..articles.len()).step_by(per_core).map(|start| (start, (start + per_core).min(articles.len()))).collect();
    let grouped = parallel_map(&runs, |_, &(start, end)| {
        let mut postings = PostingsBatch::new(first + start as u32);
        let summaries: Vec<(Signature, Option<u64>)> = articles[start..end]
            .iter()
            .map(|article| {
                let terms = analyze(&article_fields(article));
                let story = fingerprint_article(article);
                postings.add(&terms);
                (signature(&terms, story), story)
            })
            .collect();
        (summaries, postings)
    });
    let mut summaries = Vec::with_capacity(articles.len());
    let mut postings = Vec::with_capacity(grouped.len());
    for (run, batch) in grouped {
        summaries.extend(run);
        postings.push(batch);
    }
    (articles.into_iter().zip(summaries).map(|(article, (signature, story))| (article, signature, story)).collect(), postings)
}

/// Turns a batch of a segment's documents into their articles.
pub type ReadBatch<'a, T> = dyn Fn(&[T]) -> Result<Vec<Article>, String> + Sync + 'a;

/// Where segments are written and how: shared by every segment of a build or an update.
pub struct Output<'a> {
    pub staging: &'a mut Staging,
    pub sizes: Sizes,
    /// Search postings buffered in memory before they go to a run on disk, in this folder.
    pub run_bytes: usize,
    pub runs_dir: PathBuf,
    pub progress: &'a ProgressBar,
    pub timings: Timings,
}

/// Writes one segment of `documents` (newest first): `read_batch` turns a batch of them into articles.
pub fn write_segment<T: Sync>(documents: &[T], read_batch: &ReadBatch<T>, output: &mut Output) -> Result<(SegmentRef, Segment), String> {
    let Output { staging, sizes, run_bytes, runs_dir, progress, timings } = output;
    let (sizes, run_bytes) = (*sizes, *run_bytes);
    let mut writer = SegmentWriter::new(sizes);
    let mut runs = RunFiles::create(runs_dir.to_owned())?;
    let mut failure: Option<String> = None;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Analyzed, String>>(2);
    std::thread::scope(|scope| -> Result<(), String> {
        scope.spawn(move || {
            for (number, batch) in documents.chunks(BATCH).enumerate() {
                let analyzed = read_batch(batch).map(|articles| analyze_batch(articles, (number * BATCH) as u32));
                let stop = analyzed.is_err();
                if sender.send(analyzed).is_err() || stop {
                    return; // The writer stopped, or reading failed.
                }
            }
        });
        let mut waiting_since = std::time::Instant::now();
        for analyzed in receiver {
            timings.waiting += waiting_since.elapsed().as_secs_f64();
            let adding_since = std::time::Instant::now();
            let (articles, postings) = analyzed?;
            let count = articles.len();
            writer.add_batch(articles, postings, &mut |file| {
                if let Err(error) = staging.add(file) {
                    failure.get_or_insert(error);
                }
            });
            if let Some(error) = failure.take() {
                return Err(error);
            }
            if writer.buffered_index_bytes() >= run_bytes {
                progress.set_message("writing a run of the search index to disk");
                runs.write(writer.take_index_run())?;
            }
            progress.inc(count as u64);
            progress.set_message(format!("index buffers {} MB", writer.buffered_index_bytes() / 1_000_000));
            timings.adding += adding_since.elapsed().as_secs_f64();
            waiting_since = std::time::Instant::now();
        }
        Ok(())
    })?;
    if writer.documents() as usize != documents.len() {
        return Err(format!("a segment got {} of its {} articles", writer.documents(), documents.len()));
    }
    let relating_since = std::time::Instant::now();
    writer.relate();
    timings.relating += relating_since.elapsed().as_secs_f64();
    let indexing_since = std::time::Instant::now();
    let mut add = |file| {
        if let Err(error) = staging.add(file) {
            failure.get_or_insert(error);
        }
    };
    let written = if runs.is_empty() {
        writer.finish(&mut add)
    } else {
        runs.write(writer.take_index_run())?;
        let mut merged = runs.merged()?;
        let written = writer.finish_runs(&mut merged, &mut add);
        if let Some(error) = merged.error.take() {
            return Err(error);
        }
        written
    };
    runs.remove();
    timings.indexing += indexing_since.elapsed().as_secs_f64();
    match failure {
        Some(error) => Err(error),
        None => Ok(written),
    }
}
