//! `sahifa gen-corpus`: a deterministic synthetic corpus for benchmarks at any size, as pages in the seed
//! format or as JSON Lines; from the built-in sample pages, or grown from a real corpus (`--from`).

use crate::{EXIT_OK, EXIT_USAGE};
use indicatif::{ProgressBar, ProgressStyle};
use sahifa_core::jsonl::{is_blank_line, parse_json_line, to_json_line};
use sahifa_core::parse::parse_page;
use sahifa_core::synth::{render_page, Grower, Synth};
use sahifa_core::Article;
use std::io::{BufRead, Write};
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

/// Writes `articles` articles to `out`: a `.jsonl` file, or else a folder of pages. With `from`, the real
/// corpus in that JSON Lines file is grown (see `synth::Grower`); otherwise the sample pages are recombined.
pub fn run(articles: usize, seed: u64, out: &Path, from: Option<&Path>) -> Result<u8, String> {
    let as_lines = out.extension().is_some_and(|extension| extension == "jsonl");
    if as_lines || from.is_some() {
        if !as_lines {
            eprintln!("sahifa: error: --from writes JSON Lines: give --out a name ending in .jsonl");
            return Ok(EXIT_USAGE);
        }
        return write_lines(articles, seed, out, from);
    }
    if out.exists() && std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?.next().is_some() {
        eprintln!("sahifa: error: {} is not empty; gen-corpus writes into a new or empty folder", out.display());
        return Ok(EXIT_USAGE);
    }
    let (samples, headlines) = samples()?;
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

fn write_lines(articles: usize, seed: u64, out: &Path, from: Option<&Path>) -> Result<u8, String> {
    let mut next: Box<dyn FnMut(usize) -> Option<Article>> = match from {
        Some(from) => {
            let real = read_corpus(from)?;
            if real.is_empty() {
                return Err(format!("{} holds no article", from.display()));
            }
            let mut grower = Grower::new(real, seed);
            Box::new(move |serial| grower.article(serial))
        }
        None => {
            let (samples, headlines) = samples()?;
            let mut synth = Synth::new(&samples, &headlines, seed);
            Box::new(move |serial| Some(synth.next_article(serial)))
        }
    };
    let file = std::fs::File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
    let progress = ProgressBar::new(articles as u64);
    progress.set_style(ProgressStyle::with_template("{spinner} writing articles {bar:30} {pos}/{len} ({eta})").expect("valid template"));
    for serial in 0..articles {
        let article = next(serial).ok_or("the corpus ran out")?;
        writeln!(writer, "{}", to_json_line(&article)).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        if serial % 1000 == 0 {
            progress.set_position(serial as u64);
        }
    }
    writer.flush().map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    progress.finish_and_clear();
    eprintln!("{articles} articles written to {} (seed {seed})", out.display());
    Ok(EXIT_OK)
}

/// The articles of a JSON Lines file (gzipped or not); lines that are not articles are skipped.
fn read_corpus(path: &Path) -> Result<Vec<Article>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|extension| extension == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let mut articles = Vec::new();
    for (number, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !is_blank_line(&line) {
            articles.extend(parse_json_line(&line, number + 1).page.map(|page| page.article));
        }
    }
    Ok(articles)
}

/// The built-in sample articles and their sidebar headlines.
fn samples() -> Result<(Vec<Article>, Vec<String>), String> {
    let mut samples = Vec::new();
    let mut headlines = Vec::new();
    for text in SAMPLE_PAGES {
        let page = parse_page(text.as_bytes()).page.ok_or("a built-in sample page does not parse")?;
        headlines.extend(page.headlines);
        samples.push(page.article);
    }
    Ok((samples, headlines))
}
