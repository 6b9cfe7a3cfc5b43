//! Writing segments, shared by `build` and `update`: a segment's articles are read and analyzed in batches on
//! every core while the previous batch is written, and search postings past the memory budget go to sorted
//! runs on disk, merged back when the segment closes.

use crate::parallel::parallel_map;
use crate::runs::RunFiles;
use crate::write::Staging;
use indicatif::ProgressBar;
use sahifa_core::bundle::{Segment, SegmentRef, SegmentWriter, Sizes};
use sahifa_core::search::index::{analyze, article_fields, DocumentTerms};
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
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<(Article, (DocumentTerms, Option<u64>))>, String>>(2);
    std::thread::scope(|scope| -> Result<(), String> {
        scope.spawn(move || {
            for batch in documents.chunks(BATCH) {
                // Analysis and the story fingerprint, on every core.
                let analyzed = read_batch(batch).map(|articles| {
                    parallel_map(&articles, |_, article| (analyze(&article_fields(article)), fingerprint_article(article))).into_iter().zip(articles).map(|(terms, article)| (article, terms)).collect()
                });
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
            let analyzed = analyzed?;
            let count = analyzed.len();
            for (article, (terms, story)) in analyzed {
                writer.add(article, terms, story, &mut |file| {
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
