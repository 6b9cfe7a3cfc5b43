//! Writing segments, shared by `build` and `update`: a segment's articles are read and analyzed in batches on
//! every core while the previous batch is written, and search postings past the memory budget go to sorted
//! runs on disk, merged back when the segment closes.

use crate::parallel::parallel_map;
use crate::runs::RunFiles;
use crate::write::Staging;
use indicatif::ProgressBar;
use sahifa_core::bundle::{Segment, SegmentRef, SegmentWriter, Sizes};
use sahifa_core::search::index::{analyze, article_fields, DocumentTerms};
use sahifa_core::Article;
use std::path::Path;

/// Articles read per batch: large enough to keep every core busy, small enough to bound memory.
pub const BATCH: usize = 1024;

/// Turns a batch of a segment's documents into their articles.
pub type ReadBatch<'a, T> = dyn Fn(&[T]) -> Result<Vec<Article>, String> + Sync + 'a;

/// Writes one segment of `documents` (newest first): `read_batch` turns a batch of them into articles.
pub fn write_segment<T: Sync>(
    documents: &[T],
    read_batch: &ReadBatch<T>,
    sizes: Sizes,
    staging: &mut Staging,
    run_bytes: usize,
    runs_dir: &Path,
    progress: &ProgressBar,
) -> Result<(SegmentRef, Segment), String> {
    let mut writer = SegmentWriter::new(sizes);
    let mut runs = RunFiles::create(runs_dir.to_owned())?;
    let mut failure: Option<String> = None;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<(Article, DocumentTerms)>, String>>(2);
    std::thread::scope(|scope| -> Result<(), String> {
        scope.spawn(move || {
            for batch in documents.chunks(BATCH) {
                let analyzed = read_batch(batch).map(|articles| parallel_map(&articles, |_, article| analyze(&article_fields(article))).into_iter().zip(articles).map(|(terms, article)| (article, terms)).collect());
                let stop = analyzed.is_err();
                if sender.send(analyzed).is_err() || stop {
                    return; // The writer stopped, or reading failed.
                }
            }
        });
        for analyzed in receiver {
            let analyzed = analyzed?;
            let count = analyzed.len();
            for (article, terms) in analyzed {
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
    if writer.documents() as usize != documents.len() {
        return Err(format!("a segment got {} of its {} articles", writer.documents(), documents.len()));
    }
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
    match failure {
        Some(error) => Err(error),
        None => Ok(written),
    }
}
