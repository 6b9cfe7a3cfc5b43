//! `sahifa update BUNDLE INPUT...`: adds pages or JSON Lines to a bundle, rewriting only what the merge policy
//! says (`sahifa_core::bundle::plan`): usually the tail segment, now and then a merge of recent segments. New
//! files are written beside the old ones (their names are content hashes, so none can overwrite a file the
//! old manifest names), the manifest is replaced last in one rename, and only then are the files it no longer
//! names removed. An update that stops half way leaves the old bundle whole, plus unused new files that the
//! next update reuses. The time it takes follows what it adds and rewrites, not the archive's size.

use crate::build::{finish_manifest, generator};
use sahifa_core::archive::ArchiveInfo;
use crate::bundle_dir::BundleOnDisk;
use crate::ingest::{ingest_with_progress, Accepted, Sources};
use crate::inputs::collect_inputs;
use crate::parallel::parallel_map;
use crate::report::BuildReport;
use crate::segments::{write_segment, Output, Timings};
use crate::write::{remove_file, replace_manifest, sibling, Staging};
use crate::{EXIT_NOTHING_BUILT, EXIT_OK};
use sahifa_core::bundle::layout::{merge_order, OwnedKey};
use sahifa_core::bundle::plan::update_plan;
use sahifa_core::bundle::{
    newest_first, to_json, ArticleShard, FamilyKind, HeadlineCollector, HeadlinesFile, IdBucket, ListingShard, Run, Segment, SegmentRef, Sizes,
};
use sahifa_core::Article;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A document of a segment the update writes: one of an old segment it rewrites, or a new one.
#[derive(Clone, Copy, Debug)]
enum Doc {
    Old { segment: usize, local: u32 },
    New(usize),
}

/// A segment the update wrote, with its documents in their order and their keys.
type Written = (SegmentRef, Segment, Vec<(OwnedKey, Doc)>);

/// What an update changed, for the publisher's upload (`--changes`).
#[derive(Serialize)]
struct Changes {
    /// New files, each with its size: upload them (with their `.br` copies), then `manifest.json`.
    added: Vec<(String, u64)>,
    /// Files the bundle no longer names, removed from the folder; delete them from the host a day later.
    removed: Vec<String>,
    added_bytes: u64,
    added_brotli_bytes: u64,
    bundle_files: u64,
    bundle_bytes: u64,
}

/// `archive`: a new description of the archive; `None` keeps the bundle's.
pub fn run(
    dir: &Path,
    inputs: &[PathBuf],
    report_path: Option<&Path>,
    changes_path: Option<&Path>,
    strict: bool,
    run_bytes: usize,
    archive: Option<ArchiveInfo>,
) -> Result<u8, String> {
    let started = std::time::Instant::now();
    let files = collect_inputs(inputs)?;
    let mut bundle = BundleOnDisk::open(dir)?;
    let segment_count = bundle.catalog.manifest().segments.len();
    for segment in 0..segment_count {
        bundle.ask(|catalog| catalog.segment(segment).map(|_| ()))?;
    }
    let sizes = Sizes { segment_unit: bundle.catalog.manifest().segment_unit, ..Sizes::DEFAULT };
    let old_files: Vec<(String, u64)> = bundle.ask(|catalog| catalog.all_files())?;

    // Every id the archive holds, for the duplicate rule; a text is read only when an id comes again.
    let mut ids: HashMap<String, (usize, u32)> = HashMap::new();
    for segment in 0..segment_count {
        let buckets = bundle.catalog.segment(segment).map_err(|_| "a descriptor vanished")?.ids.files;
        for number in 0..buckets {
            let path = bundle.ask(|catalog| catalog.file(FamilyKind::Ids, segment, number))?.ok_or("an id bucket is missing from its directory")?;
            let bucket: IdBucket = bundle.read_json(&path)?;
            ids.extend(bucket.ids.into_iter().map(|(id, local)| (id, (segment, local))));
        }
    }
    let texts = ArticleReader::default();
    let old_headlines: HeadlinesFile = bundle.read_json(&bundle.catalog.manifest().headlines.clone())?;

    // An interrupted update leaves the bundle as it was (its manifest is replaced last) and removes its spool;
    // the new files it had written beside the old ones stay, named by no manifest.
    crate::interrupt::install();
    let spool = sibling(dir, "sahifa-spool");
    crate::interrupt::temporary(spool.clone());
    let ingested = {
        let bundle = &mut bundle;
        let mut existing = |id: &str| -> Result<Option<u64>, String> {
            match ids.get(id) {
                None => Ok(None),
                Some(&(segment, local)) => Ok(Some(texts.article(bundle, segment, local)?.text_fingerprint())),
            }
        };
        ingest_with_progress(&files, &mut existing, HeadlineCollector::continuing(old_headlines.headlines), &spool)?
    };
    let mut report = BuildReport::of(generator(), ingested.pages, ingested.accepted.len(), 0);
    let accepted = ingested.accepted;
    let headlines = ingested.headlines.finish();
    report.summary.headlines = headlines.len();
    let changed = if accepted.is_empty() {
        // No article to add, but a new description of the archive still reaches the manifest.
        if let Some(archive) = archive.filter(|archive| *archive != bundle.catalog.manifest().archive) {
            let manifest = sahifa_core::bundle::Manifest { archive, ..bundle.catalog.manifest().clone() };
            replace_manifest(&bundle.dir, to_json(&manifest))?;
            eprintln!("  no new article; the archive's description in manifest.json is new: upload manifest.json");
        }
        None
    } else {
        let outcome = write_update(&mut bundle, &ingested.sources, &accepted, headlines, sizes, run_bytes, &texts, &old_files, archive);
        let _ = std::fs::remove_dir_all(&spool);
        Some(outcome?)
    };
    let _ = std::fs::remove_dir_all(&spool);
    if let Some(report_path) = report_path {
        let json = serde_json::to_vec_pretty(&report).expect("the report always serializes");
        std::fs::write(report_path, json).map_err(|e| format!("cannot write the report {}: {e}", report_path.display()))?;
    }
    eprint!("{}", report.render_summary(report_path));
    let Some(changes) = changed else {
        eprintln!("sahifa: no new article, so the bundle is unchanged");
        return Ok(if report.summary.rejected > 0 { EXIT_NOTHING_BUILT } else { EXIT_OK });
    };
    eprintln!(
        "bundle updated in {:.1} s: {} new files ({:.1} MB, {:.1} MB as brotli) of {} ({:.1}% of the bytes); {} files no longer used were removed",
        started.elapsed().as_secs_f64(),
        changes.added.len(),
        changes.added_bytes as f64 / 1e6,
        changes.added_brotli_bytes as f64 / 1e6,
        changes.bundle_files,
        100.0 * changes.added_bytes as f64 / changes.bundle_bytes.max(1) as f64,
        changes.removed.len()
    );
    eprintln!("  to publish: upload the new files (with their .br copies), then manifest.json; delete the removed ones a day later");
    if let Some(changes_path) = changes_path {
        let json = serde_json::to_vec_pretty(&changes).expect("changes always serialize");
        std::fs::write(changes_path, json).map_err(|e| format!("cannot write {}: {e}", changes_path.display()))?;
    }
    if strict && report.summary.rejected > 0 {
        eprintln!("sahifa: --strict: {} inputs were rejected", report.summary.rejected);
        return Ok(EXIT_NOTHING_BUILT);
    }
    Ok(EXIT_OK)
}

#[allow(clippy::too_many_arguments)]
fn write_update(
    bundle: &mut BundleOnDisk,
    sources: &Sources,
    accepted: &[Accepted],
    headlines: Vec<sahifa_core::bundle::Headline>,
    sizes: Sizes,
    run_bytes: usize,
    texts: &ArticleReader,
    old_files: &[(String, u64)],
    archive: Option<ArchiveInfo>,
) -> Result<Changes, String> {
    let manifest = bundle.catalog.manifest().clone();
    let old_sizes: Vec<u32> = manifest.segments.iter().map(|segment| segment.documents).collect();
    let plan = update_plan(&old_sizes, accepted.len() as u32, sizes.segment_unit);

    // The documents to write, in sealing order: the rewritten sealed segments' (each oldest first), then the
    // old tail's and the new ones together, oldest first.
    let has_tail = old_sizes.last().is_some_and(|&last| last < sizes.segment_unit);
    let mut sealed_part: Vec<(OwnedKey, Doc)> = Vec::new();
    let mut loose: Vec<(OwnedKey, Doc)> = Vec::new();
    for segment in plan.kept..old_sizes.len() {
        let is_tail = has_tail && segment == old_sizes.len() - 1;
        let mut keys = Vec::new();
        for local in 0..old_sizes[segment] {
            keys.push((texts.key(bundle, segment, local)?, Doc::Old { segment, local }));
        }
        keys.reverse();
        if is_tail { loose.extend(keys) } else { sealed_part.extend(keys) }
    }
    loose.extend(accepted.iter().enumerate().map(|(n, a)| (OwnedKey { published: a.published, title: a.title.clone(), id: a.id.clone() }, Doc::New(n))));
    loose.sort_by(|a, b| newest_first(b.0.borrow(), a.0.borrow()));
    let mut sequence = sealed_part;
    sequence.extend(loose);

    let total: usize = plan.written.iter().map(|&size| size as usize).sum();
    if total != sequence.len() {
        return Err(format!("the update plan places {total} documents, but there are {}", sequence.len()));
    }
    let mut staging = Staging::in_place(&bundle.dir);
    let runs_dir = sibling(&bundle.dir, "sahifa-runs");
    let progress = crate::build::bar(total, "writing segments");
    let mut written: Vec<Written> = Vec::new();
    let mut output = Output { staging: &mut staging, sizes, run_bytes, runs_dir, progress: &progress, timings: Timings::default() };
    let mut rest = sequence.as_slice();
    for &size in &plan.written {
        let (part, after) = rest.split_at(size as usize);
        rest = after;
        let mut documents = part.to_vec();
        documents.sort_by(|a, b| newest_first(a.0.borrow(), b.0.borrow()));
        let dir = bundle.dir.clone();
        let catalog = Mutex::new(bundle.catalog.clone());
        let read_batch = |batch: &[(OwnedKey, Doc)]| -> Result<Vec<Article>, String> {
            let docs: Vec<Doc> = batch.iter().map(|(_, doc)| *doc).collect();
            texts.articles(&dir, &catalog, sources, accepted, &docs)
        };
        let (reference, segment) = write_segment(&documents, &read_batch, &mut output)?;
        written.push((reference, segment, documents));
    }
    progress.finish_and_clear();

    // The new order: the kept segments' documents stay in their old order; the written ones are placed among
    // them by date.
    let kept_runs: Vec<Run> = manifest.order.iter().copied().filter(|run| (run.segment as usize) < plan.kept).collect();
    let mut added: Vec<(OwnedKey, u32, u32)> = Vec::new();
    for (offset, (_, _, documents)) in written.iter().enumerate() {
        let segment = (plan.kept + offset) as u32;
        added.extend(documents.iter().enumerate().map(|(local, (key, _))| (key.clone(), segment, local as u32)));
    }
    added.sort_by(|a, b| newest_first(a.0.borrow(), b.0.borrow()));
    let order = merge_order(&kept_runs, &added, &mut |segment, local| texts.key(bundle, segment as usize, local))?;

    let mut kept_files: Vec<(String, u64)> = Vec::new();
    for segment in 0..plan.kept {
        kept_files.extend(bundle.ask(|catalog| catalog.segment_files(segment))?);
    }
    let mut segments: Vec<(SegmentRef, &Segment)> = Vec::new();
    for (segment, reference) in manifest.segments.iter().enumerate().take(plan.kept) {
        segments.push((reference.clone(), bundle.catalog.segment(segment).map_err(|_| "a descriptor vanished")?));
    }
    segments.extend(written.iter().map(|(reference, segment, _)| (reference.clone(), segment)));
    let archive = archive.unwrap_or_else(|| manifest.archive.clone());
    let new_manifest = finish_manifest(&mut staging, &segments, order, headlines, sizes.segment_unit, archive, |staging| {
        let mut named = kept_files.clone();
        named.extend(staging.written().iter().cloned());
        let mut seen = HashSet::new();
        named.retain(|(path, _)| seen.insert(path.clone()));
        named
    })?;
    staging.flush()?;
    let added_files: Vec<(String, u64)> = staging.written().to_vec();
    replace_manifest(&bundle.dir, to_json(&new_manifest))?;

    // Only now, with the new manifest in place, remove what it no longer names.
    let mut named: HashSet<&str> = kept_files.iter().map(|(path, _)| path.as_str()).collect();
    named.extend(added_files.iter().map(|(path, _)| path.as_str()));
    named.insert(new_manifest.headlines.as_str());
    let removed: Vec<String> = old_files.iter().filter(|(path, _)| !named.contains(path.as_str())).map(|(path, _)| path.clone()).collect();
    for path in &removed {
        remove_file(&bundle.dir, path)?;
    }
    let added_brotli_bytes = added_files.iter().map(|(path, _)| std::fs::metadata(bundle.dir.join(format!("{path}.br"))).map_or(0, |m| m.len())).sum();
    Ok(Changes {
        added_bytes: added_files.iter().map(|(_, size)| size).sum(),
        added: added_files,
        removed,
        added_brotli_bytes,
        bundle_files: new_manifest.total_files,
        bundle_bytes: new_manifest.total_bytes,
    })
}

/// Reads listing rows and articles of the old segments, keeping the shards it parsed.
#[derive(Default)]
struct ArticleReader {
    listing: Mutex<HashMap<String, std::sync::Arc<ListingShard>>>,
    articles: Mutex<HashMap<String, std::sync::Arc<ArticleShard>>>,
}

impl ArticleReader {
    fn key(&self, bundle: &mut BundleOnDisk, segment: usize, local: u32) -> Result<OwnedKey, String> {
        let family = bundle.catalog.segment(segment).map_err(|_| "a descriptor vanished")?.listing.clone();
        let (number, index) = family.file_of_item(local).ok_or("a document past its segment's listing")?;
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Listing, segment, number))?.ok_or("a listing shard is missing from its directory")?;
        let shard = self.shard(&self.listing, &bundle.dir, &path)?;
        let row = shard.rows.get(index as usize).ok_or_else(|| format!("{path} is short"))?;
        Ok(OwnedKey { published: row.published, title: row.title.clone(), id: row.id.clone() })
    }

    fn article(&self, bundle: &mut BundleOnDisk, segment: usize, local: u32) -> Result<Article, String> {
        let family = bundle.catalog.segment(segment).map_err(|_| "a descriptor vanished")?.articles.clone();
        let (number, index) = family.file_of_item(local).ok_or("a document past its segment's articles")?;
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Articles, segment, number))?.ok_or("an article shard is missing from its directory")?;
        let shard = self.shard(&self.articles, &bundle.dir, &path)?;
        shard.articles.get(index as usize).cloned().ok_or_else(|| format!("{path} is short"))
    }

    /// A batch of documents' articles: the old ones from their shards (each shard parsed once, on every
    /// core), the new ones from their inputs.
    fn articles(&self, dir: &Path, catalog: &Mutex<sahifa_core::bundle::Catalog>, sources: &Sources, accepted: &[Accepted], docs: &[Doc]) -> Result<Vec<Article>, String> {
        let mut paths: Vec<Option<(String, u32)>> = Vec::with_capacity(docs.len());
        for doc in docs {
            paths.push(match *doc {
                Doc::Old { segment, local } => {
                    let mut catalog = catalog.lock().expect("no reader panicked");
                    let family = catalog.segment(segment).map_err(|_| "a descriptor vanished")?.articles.clone();
                    let (number, index) = family.file_of_item(local).ok_or("a document past its segment's articles")?;
                    let path = sahifa_core::bundle::catalog::resolve(&mut catalog, &mut |path| crate::bundle_dir::read_file(dir, path), |catalog| {
                        catalog.file(FamilyKind::Articles, segment, number)
                    })?
                    .ok_or("an article shard is missing from its directory")?;
                    Some((path, index))
                }
                Doc::New(_) => None,
            });
        }
        let mut wanted: Vec<String> = paths.iter().flatten().map(|(path, _)| path.clone()).collect();
        wanted.sort();
        wanted.dedup();
        let loaded: Vec<Result<(), String>> = parallel_map(&wanted, |_, path| self.shard(&self.articles, dir, path).map(|_| ()));
        loaded.into_iter().collect::<Result<(), String>>()?;
        let read: Vec<Result<Article, String>> = parallel_map(docs, |n, doc| match (doc, &paths[n]) {
            (Doc::New(index), _) => sources.read_article(&accepted[*index]),
            (Doc::Old { .. }, Some((path, index))) => {
                let shard = self.shard(&self.articles, dir, path)?;
                shard.articles.get(*index as usize).cloned().ok_or_else(|| format!("{path} is short"))
            }
            (Doc::Old { .. }, None) => Err("an old document without its shard".into()),
        });
        // Shards of this batch are kept only while needed: a rewritten segment is read once, in order.
        let result = read.into_iter().collect();
        let mut cache = self.articles.lock().expect("no reader panicked");
        if cache.len() > 64 {
            cache.clear();
        }
        result
    }

    fn shard<T: serde::de::DeserializeOwned>(&self, cache: &Mutex<HashMap<String, std::sync::Arc<T>>>, dir: &Path, path: &str) -> Result<std::sync::Arc<T>, String> {
        if let Some(found) = cache.lock().expect("no reader panicked").get(path) {
            return Ok(found.clone());
        }
        let bytes = std::fs::read(dir.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
        let shard: T = serde_json::from_slice(&bytes).map_err(|e| format!("{path} is not what the bundle says it is: {e}"))?;
        let shard = std::sync::Arc::new(shard);
        cache.lock().expect("no reader panicked").insert(path.to_owned(), shard.clone());
        Ok(shard)
    }
}
