//! `sahifa stories`: which articles of the inputs tell the same story across outlets (core `story`), with
//! what it costs, and a sample of stories to judge by hand. The measurement that decides how stories go into
//! the bundle; nothing is written.

use crate::output::outln;
use crate::ingest::ingest_with_progress;
use crate::inputs::collect_inputs;
use crate::parallel::parallel_map;
use crate::write::sibling;
use crate::EXIT_OK;
use sahifa_core::bundle::HeadlineCollector;
use sahifa_core::story::{fingerprint_article, group, Sketch, StoryRule};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

pub fn run(inputs: &[PathBuf], sample: usize, spool_beside: &Path) -> Result<u8, String> {
    let files = collect_inputs(inputs)?;
    let spool = sibling(spool_beside, "sahifa-stories-spool");
    let ingested = ingest_with_progress(&files, &mut |_| Ok(None), HeadlineCollector::default(), &spool)?;
    let accepted = ingested.accepted;

    // Reading the texts again is what the build's second pass does anyway; fingerprinting is the added cost.
    let started = Instant::now();
    let fingerprinting_nanos = AtomicU64::new(0);
    let read = parallel_map(&accepted, |_, record| {
        let article = ingested.sources.read_article(record)?;
        let fingerprinting = Instant::now();
        let fingerprint = fingerprint_article(&article);
        fingerprinting_nanos.fetch_add(fingerprinting.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let sketch = Sketch { fingerprint, day: article.published.map(|date| date.days_since_epoch() as i32) };
        Ok::<_, String>((sketch, article.outlet.unwrap_or_default(), article.title))
    });
    let _ = std::fs::remove_dir_all(&spool);
    let read: Vec<(Sketch, String, String)> = read.into_iter().collect::<Result<_, _>>()?;
    let fingerprint_seconds = started.elapsed().as_secs_f64();
    let sketches: Vec<Sketch> = read.iter().map(|(sketch, _, _)| *sketch).collect();
    let grouping = Instant::now();
    let stories = group(&sketches, StoryRule::DEFAULT);
    let group_seconds = grouping.elapsed().as_secs_f64();

    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (n, &story) in stories.iter().enumerate() {
        members.entry(story).or_default().push(n);
    }
    let outlets_of = |group: &[usize]| group.iter().map(|&n| read[n].1.as_str()).collect::<BTreeSet<_>>().len();
    let shared: Vec<&Vec<usize>> = members.values().filter(|group| group.len() > 1).collect();
    let across: Vec<&Vec<usize>> = shared.iter().copied().filter(|group| outlets_of(group) > 1).collect();
    outln!("articles: {}", read.len());
    outln!("with a fingerprint: {}", sketches.iter().filter(|sketch| sketch.fingerprint.is_some()).count());
    outln!("stories of 2 or more articles: {} ({} articles)", shared.len(), shared.iter().map(|group| group.len()).sum::<usize>());
    outln!("of them across 2 or more outlets: {} ({} articles)", across.len(), across.iter().map(|group| group.len()).sum::<usize>());
    outln!("largest story: {} articles", members.values().map(Vec::len).max().unwrap_or(0));
    let cores = crate::parallel::cores();
    let fingerprint_cpu = fingerprinting_nanos.load(Ordering::Relaxed) as f64 / 1e9;
    outln!(
        "seconds: {fingerprint_seconds:.2} reading and fingerprinting on {cores} cores, of which fingerprinting {:.2} ({fingerprint_cpu:.2} CPU seconds); {group_seconds:.2} grouping",
        fingerprint_cpu / cores as f64
    );
    // A sample spread over the list of stories across outlets, the same on every run.
    let step = (across.len() / sample.max(1)).max(1);
    for (k, group) in across.iter().step_by(step).take(sample).enumerate() {
        outln!("\n#{} ({} articles, {} outlets)", k + 1, group.len(), outlets_of(group));
        for &n in group.iter().take(6) {
            let (sketch, outlet, title) = &read[n];
            let date = sketch.day.map(|day| sahifa_core::Date::from_days_since_epoch(i64::from(day)).to_string()).unwrap_or_default();
            outln!("  {date}  {outlet}  {}", title.chars().take(90).collect::<String>());
        }
    }
    Ok(EXIT_OK)
}
