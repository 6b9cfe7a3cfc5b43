//! `cargo xtask fuzz`: every parser and every decoder of bytes from the network, fed inputs nobody wrote by
//! hand. cargo-fuzz needs a nightly toolchain, which this machine cannot install, so this is a mutation fuzzer
//! of our own: it starts from real seeds (the sample pages, JSON lines, every file of a bundle built from
//! them), mutates them with a deterministic generator, and counts executions and panics per target. A panic's
//! input is kept under `target/fuzz-crashes/` to become a fixture. Some targets also check a property
//! (normalizing is idempotent, highlights cover the text exactly).

use sahifa_core::bundle::outlets::decode_outlet_block;
use sahifa_core::bundle::related::decode_related_block;
use sahifa_core::bundle::catalog::resolve;
use sahifa_core::bundle::search_index::{decode_root_page, decode_term_block};
use sahifa_core::bundle::{
    assemble, parse_json, read_manifest, split_request, ArticleShard, BundleFile, Catalog, DirectoryPage, IdBucket, ListingShard, Segment, MANIFEST_FILE,
};
use sahifa_core::codec::VarintReader;
use sahifa_core::normalize::normalize;
use sahifa_core::parse::parse_page;
use sahifa_core::search::{Highlighter, Query};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// A target: a name, and what it does with one input.
pub struct Target {
    pub name: &'static str,
    run: fn(&Seeds, &[u8]),
    /// The seeds it mutates.
    seeds: fn(&Seeds) -> Vec<Vec<u8>>,
}

/// Real inputs to start from: the sample pages, lines of JSON, and a bundle built from the pages.
pub struct Seeds {
    pages: Vec<Vec<u8>>,
    lines: Vec<Vec<u8>>,
    bundle: Vec<BundleFile>,
}

impl Seeds {
    pub fn load(root: &Path) -> Result<Seeds, String> {
        let folder = root.join("tests/fixtures/seeds");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot list {}: {e}", folder.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        names.sort();
        let pages: Vec<Vec<u8>> = names.iter().filter_map(|path| std::fs::read(path).ok()).collect();
        let articles: Vec<_> = pages.iter().filter_map(|page| parse_page(page).page.map(|page| page.article)).collect();
        let lines = articles
            .iter()
            .map(|article| {
                let body: Vec<&str> = article.blocks.iter().map(|block| block.text.as_str()).collect();
                let date = article.published.map(|date| date.to_string());
                serde_json::to_vec(&serde_json::json!({ "title": article.title, "outlet": article.outlet, "date": date, "body": body.join("\n"), "url": "https://example.com/a" }))
                    .expect("a line serializes")
            })
            .collect();
        let bundle = assemble(articles, Vec::new(), "fuzz");
        Ok(Seeds { pages, lines, bundle })
    }

    /// The pages' lines, each a seed: a paragraph is what a reader's text is highlighted in.
    fn paragraphs(&self) -> Vec<Vec<u8>> {
        self.pages.iter().flat_map(|page| page.split(|&byte| byte == b'\n')).filter(|line| !line.is_empty()).map(<[u8]>::to_vec).collect()
    }

    /// The root pages of the bundle's search index, cut from their packs where the descriptors say.
    fn root_pages(&self) -> Vec<Vec<u8>> {
        let file = |path: &str| self.bundle.iter().find(|file| file.path == path).map(|file| file.bytes.as_slice());
        let descriptors = self.files_under("segments/").into_iter().filter_map(|bytes| parse_json::<Segment>("x", &bytes).ok());
        descriptors
            .flat_map(|segment| {
                let root = segment.search;
                root.pages.iter().filter_map(|page| {
                    let pack = file(root.terms.get(page.piece.pack as usize)?)?;
                    let start = page.piece.offset as usize;
                    Some(pack.get(start..start + page.piece.len as usize)?.to_vec())
                }).collect::<Vec<_>>()
            })
            .collect()
    }

    fn files_under(&self, folder: &str) -> Vec<Vec<u8>> {
        self.bundle.iter().filter(|file| file.path.starts_with(folder) && !file.path.ends_with(".br")).map(|file| file.bytes.clone()).collect()
    }
}

/// Every target, in the order the command runs them.
pub fn targets() -> Vec<Target> {
    vec![
        Target { name: "page-parser", run: |_, bytes| drop(parse_page(bytes)), seeds: |seeds| seeds.pages.clone() },
        Target { name: "jsonl-reader", run: |_, bytes| drop(sahifa_core::jsonl::parse_json_line(bytes, 1)), seeds: |seeds| seeds.lines.clone() },
        Target { name: "query-parser", run: query, seeds: |seeds| seeds.lines.iter().map(|line| line[..line.len().min(80)].to_vec()).collect() },
        Target { name: "normalize-highlight", run: normalize_and_highlight, seeds: Seeds::paragraphs },
        Target { name: "varints", run: varints, seeds: |seeds| seeds.files_under("outlets/") },
        Target { name: "manifest", run: manifest, seeds: |seeds| seeds.files_under(MANIFEST_FILE) },
        Target { name: "segment-descriptor", run: |_, bytes| drop(parse_json::<Segment>("x", bytes)), seeds: |seeds| seeds.files_under("segments/") },
        Target { name: "directory-page", run: |_, bytes| drop(parse_json::<DirectoryPage>("x", bytes)), seeds: |seeds| seeds.files_under("directory/") },
        Target { name: "listing-shard", run: |_, bytes| drop(parse_json::<ListingShard>("x", bytes)), seeds: |seeds| seeds.files_under("listing/") },
        Target { name: "article-shard", run: |_, bytes| drop(parse_json::<ArticleShard>("x", bytes)), seeds: |seeds| seeds.files_under("articles/") },
        Target { name: "id-bucket", run: |_, bytes| drop(parse_json::<IdBucket>("x", bytes)), seeds: |seeds| seeds.files_under("ids/") },
        Target {
            name: "outlet-column",
            run: |_, bytes| {
                drop(decode_outlet_block(bytes, 5, 3, 2));
                drop(decode_outlet_block(bytes, bytes.len() * 8 / 5, 18, 5));
            },
            seeds: |seeds| seeds.files_under("outlets/"),
        },
        Target { name: "term-block", run: |_, bytes| drop(decode_term_block(bytes)), seeds: |seeds| seeds.files_under("search/") },
        Target { name: "root-page", run: |_, bytes| drop(decode_root_page(bytes)), seeds: Seeds::root_pages },
        Target { name: "related-block", run: |_, bytes| drop(decode_related_block(bytes, 5, 5)), seeds: |seeds| seeds.files_under("related/") },
        // Every file the catalog reads, damaged one at a time and given to it while it searches, lists
        // stories and related articles and finds files: the decoders of term blocks, postings and positions
        // packs, descriptors, directory pages, fingerprints and related lists, in the context they run in.
        Target { name: "catalog", run: catalog, seeds: |seeds| seeds.bundle.iter().filter(|file| !file.path.ends_with(".br")).map(|file| file.bytes.clone()).collect() },
    ]
}

fn query(_: &Seeds, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let query = Query::parse(&text);
    let _ = Highlighter::new(&query).segments(&text);
}

/// Normalizing twice changes nothing more; highlighted segments put back together are the text itself, so
/// every mark falls on a character boundary of what the reader sees.
fn normalize_and_highlight(_: &Seeds, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let once = normalize(&text);
    assert_eq!(normalize(&once), once, "normalize is not idempotent");
    let words: Vec<&str> = text.split_whitespace().skip(3).take(2).collect();
    let highlighter = Highlighter::new(&Query::parse(&words.join(" ")));
    let joined: String = highlighter.segments(&text).iter().map(|segment| segment.text.as_str()).collect();
    assert_eq!(joined, text, "highlighted segments do not cover the text exactly");
}

fn varints(_: &Seeds, bytes: &[u8]) {
    let mut reader = VarintReader::new(bytes);
    while reader.read().is_some() {}
}

fn manifest(_: &Seeds, bytes: &[u8]) {
    if let Ok(manifest) = read_manifest(bytes) {
        if let Ok(catalog) = Catalog::new(manifest) {
            let documents = catalog.layout().documents();
            for doc in [0, documents / 2, documents.saturating_sub(1), documents, u32::MAX] {
                let _ = catalog.layout().locate(doc);
            }
            let _ = catalog.date_span(None, None);
        }
    }
}

/// The bundle's files as they are, except the one whose bytes are `bytes` in the seed list: the input's first
/// byte picks which file is damaged (so the seed and its mutations stay paired), the rest replace it.
fn catalog(seeds: &Seeds, input: &[u8]) {
    let files: Vec<&BundleFile> = seeds.bundle.iter().filter(|file| !file.path.ends_with(".br")).collect();
    let Some((&pick, damaged)) = input.split_first() else { return };
    let victim = &files[pick as usize % files.len()].path;
    let read = |request: &str| -> Option<Vec<u8>> {
        let (path, range) = split_request(request);
        let bytes = if path == victim { damaged.to_vec() } else { files.iter().find(|file| file.path == path)?.bytes.clone() };
        match range {
            Some((offset, len)) => bytes.get(offset as usize..offset.checked_add(len)? as usize).map(<[u8]>::to_vec),
            None => Some(bytes),
        }
    };
    let Some(manifest) = read(MANIFEST_FILE).and_then(|bytes| read_manifest(&bytes).ok()) else { return };
    let Ok(mut catalog) = Catalog::new(manifest) else { return };
    let documents = catalog.layout().documents();
    let docs: Vec<u32> = (0..documents).collect();
    // Each question as the CLI asks it (`catalog::resolve`): a file that cannot be read or is refused ends
    // it, as it would end a search in the viewer with an error.
    let mut read = |request: &str| read(request).ok_or_else(|| format!("{request} cannot be read"));
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.search(&Query::parse("المغرب الأمن")));
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.search(&Query::parse("\"التعاون الأمني\" -باريس")));
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.completions("الم", 5));
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.stories(&docs));
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.fold_stories(&docs));
    for &doc in &docs {
        let _ = resolve(&mut catalog, &mut read, |catalog| catalog.related(doc));
    }
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.all_files());
    let _ = resolve(&mut catalog, &mut read, |catalog| catalog.files_for_reading(0..documents));
}

/// A small, fast, deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// One mutation of `seed` (or of a splice with `other`): the kinds of damage a network, a disk or a hostile
/// publisher makes.
fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(9) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] ^= 1 << rng.below(8);
            }
            1 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] = [0x00, 0xff, 0x7f, 0x80, b'"', b'{', b'\n', 0xd8, 0xd9][rng.below(9)];
            }
            2 => bytes.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            4 => {
                let extra: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, extra);
            }
            5 if !bytes.is_empty() => {
                let start = rng.below(bytes.len());
                let end = (start + 1 + rng.below(256)).min(bytes.len());
                let chunk = bytes[start..end].to_vec();
                bytes.splice(at..at, chunk);
            }
            6 if !other.is_empty() => {
                let start = rng.below(other.len());
                bytes.truncate(at);
                bytes.extend_from_slice(&other[start..]);
            }
            7 => {
                // A number where one is expected, as text or as a varint's bytes.
                let digits = ["0", "-1", "4294967295", "18446744073709551616", "1e309", "NaN"][rng.below(6)];
                bytes.splice(at..at, digits.bytes());
            }
            _ => bytes = (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
        }
    }
    bytes
}

/// What one target's run found.
pub struct Outcome {
    pub executions: u64,
    pub panics: u64,
    pub seconds: f64,
    /// Where the first few crashing inputs were written.
    pub crashes: Vec<PathBuf>,
}

/// Runs `target` `executions` times from its seeds, writing crashing inputs under `crashes`.
pub fn run(target: &Target, seeds: &Seeds, executions: u64, seed: u64, crashes: &Path) -> Outcome {
    let started = std::time::Instant::now();
    let corpus = (target.seeds)(seeds);
    let mut rng = Rng::new(seed ^ target.name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)));
    let mut outcome = Outcome { executions: 0, panics: 0, seconds: 0.0, crashes: Vec::new() };
    // Panics are counted, not printed: a run of millions would drown the terminal.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for n in 0..executions {
        let input = match corpus.len() {
            0 => (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
            len => {
                let pick = rng.below(len);
                let other = rng.below(len);
                let mut input = mutate(&mut rng, &corpus[pick], &corpus[other]);
                if target.name == "catalog" {
                    // The first byte picks the damaged file: keep it pointing at the seed's own file.
                    input.insert(0, pick as u8);
                }
                input
            }
        };
        let result = catch_unwind(AssertUnwindSafe(|| (target.run)(seeds, &input)));
        outcome.executions = n + 1;
        if result.is_err() {
            outcome.panics += 1;
            if outcome.crashes.len() < 10 {
                let path = crashes.join(format!("{}-{n}.bin", target.name));
                if std::fs::create_dir_all(crashes).and_then(|()| std::fs::write(&path, &input)).is_ok() {
                    outcome.crashes.push(path);
                }
            }
        }
    }
    std::panic::set_hook(previous_hook);
    outcome.seconds = started.elapsed().as_secs_f64();
    outcome
}

/// `cargo xtask fuzz [--target NAME] [--executions N] [--seed S]`: prints executions, panics and time per target.
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let value = |name: &str| args.iter().position(|arg| arg == name).and_then(|at| args.get(at + 1)).cloned();
    let executions: u64 = value("--executions").map_or(Ok(1_000_000), |text| text.replace('_', "").parse()).map_err(|_| "--executions takes a number")?;
    let seed: u64 = value("--seed").map_or(Ok(1), |text| text.parse()).map_err(|_| "--seed takes a number")?;
    let only = value("--target");
    let root = crate::repo_root();
    let seeds = Seeds::load(&root)?;
    let crashes = root.join("target/fuzz-crashes");
    let chosen: Vec<Target> = targets().into_iter().filter(|target| only.as_deref().is_none_or(|name| name == target.name)).collect();
    if chosen.is_empty() {
        return Err(format!("no target named {}: {}", only.unwrap_or_default(), targets().iter().map(|t| t.name).collect::<Vec<_>>().join(", ")));
    }
    println!("| target | executions | panics | seconds | executions/s |");
    println!("|---|---|---|---|---|");
    let mut panics = 0;
    for target in &chosen {
        let outcome = run(target, &seeds, executions, seed, &crashes);
        println!("| {} | {} | {} | {:.1} | {:.0} |", target.name, outcome.executions, outcome.panics, outcome.seconds, outcome.executions as f64 / outcome.seconds.max(1e-9));
        for crash in &outcome.crashes {
            println!("  crash: {}", crash.display());
        }
        panics += outcome.panics;
    }
    if panics > 0 { Err(format!("{panics} panics; their inputs are in {}", crashes.display())) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short run of every target in the test command, so a decoder that starts panicking fails the build;
    /// `cargo xtask fuzz` runs millions (BENCHMARKS.md, "Fuzzing").
    #[test]
    fn every_target_survives_a_short_run() {
        let seeds = Seeds::load(&crate::repo_root()).unwrap();
        let crashes = std::env::temp_dir().join(format!("sahifa-fuzz-{}", std::process::id()));
        for target in targets() {
            assert!(!(target.seeds)(&seeds).is_empty(), "{} has seeds", target.name);
            let executions = if target.name == "catalog" { 300 } else { 3_000 };
            let outcome = run(&target, &seeds, executions, 7, &crashes);
            assert_eq!(outcome.executions, executions);
            assert_eq!(outcome.panics, 0, "{}: {:?}", target.name, outcome.crashes);
        }
        let _ = std::fs::remove_dir_all(&crashes);
    }

    #[test]
    fn a_panicking_target_is_counted_and_its_input_kept() {
        let seeds = Seeds::load(&crate::repo_root()).unwrap();
        let crashes = std::env::temp_dir().join(format!("sahifa-fuzz-panics-{}", std::process::id()));
        let fragile = Target { name: "fragile", run: |_, bytes| assert!(bytes.len() < 5_000, "too long"), seeds: |seeds| seeds.pages.clone() };
        let outcome = run(&fragile, &seeds, 200, 3, &crashes);
        assert!(outcome.panics > 0 && !outcome.crashes.is_empty());
        assert!(std::fs::read(&outcome.crashes[0]).unwrap().len() >= 5_000);
        std::fs::remove_dir_all(&crashes).unwrap();
    }
}
