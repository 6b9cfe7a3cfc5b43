//! A whole bundle laid out in memory, as `sahifa build` writes it: what tests and small tools need.

use super::headlines::{Headline, HeadlinesFile};
use super::layout::order_runs;
use super::listing::sort_newest_first;
use super::manifest::{Manifest, ManifestParts};
use super::plan::build_plan;
use super::segment::SegmentWriter;
use super::{Sizes, HEADLINES_FOLDER, MANIFEST_FILE};
use crate::files::{json_file, to_json, BundleFile};
use crate::search::index::{analyze, article_fields};
use crate::Article;

/// Lays out a bundle of `articles` (in any order) with the default sizes.
pub fn assemble(articles: Vec<Article>, headlines: Vec<Headline>, generator: &str) -> Vec<BundleFile> {
    assemble_with(articles, headlines, generator, Sizes::DEFAULT)
}

/// Lays out a bundle: the articles newest first, cut into the segments of the build plan (the newest
/// first in the archive's order, the oldest first in the manifest), then the headlines and the manifest.
pub fn assemble_with(mut articles: Vec<Article>, headlines: Vec<Headline>, generator: &str, sizes: Sizes) -> Vec<BundleFile> {
    sort_newest_first(&mut articles);
    let mut files = Vec::new();
    let mut emit = |file: BundleFile| files.push(file);
    let plan = build_plan(articles.len() as u32, sizes.segment_unit);
    // The plan lists segments oldest first; the newest articles go to the last one.
    let mut written = Vec::new();
    let mut articles = articles.into_iter();
    for &size in plan.iter().rev() {
        let mut writer = SegmentWriter::new(sizes);
        for article in articles.by_ref().take(size as usize) {
            let terms = analyze(&article_fields(&article));
            let story = crate::story::fingerprint_article(&article);
            writer.add(article, terms, story, &mut emit);
        }
        written.push(writer.finish(&mut emit));
    }
    written.reverse();
    let count = written.len() as u32;
    let order = order_runs((0..count).rev().flat_map(|segment| (0..written[segment as usize].0.documents).map(move |local| (segment, local))));
    let headline_count = headlines.len() as u32;
    let headlines_file = json_file(HEADLINES_FOLDER, &HeadlinesFile { headlines });
    let headlines_path = headlines_file.path.clone();
    emit(headlines_file);
    let mut paths = std::collections::HashSet::new();
    let (total_files, total_bytes) = files.iter().filter(|file| paths.insert(file.path.clone())).fold((0, 0), |(n, bytes), file| (n + 1, bytes + file.bytes.len() as u64));
    let parts = ManifestParts { generator: generator.to_owned(), segment_unit: sizes.segment_unit, headlines: headlines_path, headline_count, total_files, total_bytes, archive: Default::default() };
    let segments: Vec<_> = written.iter().map(|(reference, segment)| (reference.clone(), segment)).collect();
    let manifest = Manifest::compose(parts, &segments, order).expect("a build's own segments are consistent");
    files.push(BundleFile { path: MANIFEST_FILE.to_owned(), bytes: to_json(&manifest) });
    files
}
