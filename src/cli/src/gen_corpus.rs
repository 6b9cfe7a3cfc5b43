//! `sahifa gen-corpus`: a deterministic synthetic corpus in the seed page format, for benchmarks at any size.

use crate::{EXIT_OK, EXIT_USAGE};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::parse::parse_page;
use sahifa_core::synth::{render_page, Synth};
use std::path::Path;

/// The five real sample pages, built into the binary so the generator works from any folder.
const SAMPLE_PAGES: [&str; 5] = [
    include_str!("../../../tests/fixtures/seeds/000_76a1b9d5c2198e0e.txt"),
    include_str!("../../../tests/fixtures/seeds/001_2b6b72712f18fa31.txt"),
    include_str!("../../../tests/fixtures/seeds/002_884f1ecf36255e5d.txt"),
    include_str!("../../../tests/fixtures/seeds/003_a080804b0b4d0dbd.txt"),
    include_str!("../../../tests/fixtures/seeds/004_3471598b5e5db83e.txt"),
];
/// Pages per sub-folder, so no folder grows past what file systems and tools handle well.
const PAGES_PER_FOLDER: usize = 1000;
/// Sidebar headlines per generated page (real pages carry about 55; fewer keeps a 1M corpus near 3 GB).
const SIDEBAR_HEADLINES: usize = 12;

pub fn run(articles: usize, seed: u64, out: &Path) -> Result<u8, String> {
    if out.exists() && std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?.next().is_some() {
        eprintln!("sahifa: error: {} is not empty; gen-corpus writes into a new or empty folder", out.display());
        return Ok(EXIT_USAGE);
    }
    let mut samples = Vec::new();
    let mut headlines = Vec::new();
    for text in SAMPLE_PAGES {
        let page = parse_page(text.as_bytes()).page.ok_or("a built-in sample page does not parse")?;
        headlines.extend(page.headlines);
        samples.push(page.article);
    }
    let mut synth = Synth::new(&samples, &headlines, seed);

    let progress = ProgressBar::new(articles as u64);
    progress.set_style(ProgressStyle::with_template("{spinner} writing pages {bar:30} {pos}/{len} ({eta})").expect("valid template"));
    for serial in 0..articles {
        let folder = out.join(format!("{:04}", serial / PAGES_PER_FOLDER));
        if serial % PAGES_PER_FOLDER == 0 {
            std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        }
        let article = synth.next_article(serial);
        let sidebar = synth.sidebar(SIDEBAR_HEADLINES);
        let path = folder.join(format!("{serial:07}.txt"));
        std::fs::write(&path, render_page(&article, &sidebar)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    eprintln!("{articles} pages written to {} (seed {seed})", out.display());
    Ok(EXIT_OK)
}
