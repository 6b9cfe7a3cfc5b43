//! `sahifa list`: the articles of a built bundle, newest first; and `sahifa files`: every file of a bundle
//! with its size, which test scripts and benchmarks read instead of walking the bundle themselves.

use crate::output::outln;
use crate::bundle_dir::BundleOnDisk;
use crate::EXIT_OK;
use sahifa_core::bundle::{FamilyKind, ListingRow, ListingShard};
use sahifa_core::jsonl::to_json_line;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Serialize)]
struct ListedArticle<'a> {
    id: &'a str,
    title: &'a str,
    outlet: Option<&'a str>,
    published: Option<String>,
}

pub fn run(dir: &Path, json: bool) -> Result<u8, String> {
    let mut bundle = BundleOnDisk::open(dir)?;
    let rows = all_rows(&mut bundle)?;
    let listed: Vec<ListedArticle> = rows
        .iter()
        .map(|row| ListedArticle { id: &row.id, title: &row.title, outlet: row.outlet.as_deref(), published: row.published.map(|date| date.to_string()) })
        .collect();
    if json {
        outln!("{}", serde_json::to_string_pretty(&listed).expect("rows always serialize"));
    } else {
        for row in &listed {
            let date = row.published.as_deref().unwrap_or("----------");
            outln!("{}  {date}  {}  {}", row.id, row.outlet.unwrap_or("-"), row.title);
        }
    }
    Ok(EXIT_OK)
}

/// Every listing row of a bundle, in the archive's order (newest first).
pub fn all_rows(bundle: &mut BundleOnDisk) -> Result<Vec<ListingRow>, String> {
    let mut shards: HashMap<String, ListingShard> = HashMap::new();
    let mut rows = Vec::new();
    for doc in 0..bundle.catalog.manifest().counts.articles {
        let at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Listing, doc))?.ok_or("the order names a document no segment holds")?;
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Listing, at.segment, at.number))?.ok_or("a listing shard is missing from its directory")?;
        if !shards.contains_key(&path) {
            let shard = bundle.read_json(&path)?;
            shards.insert(path.clone(), shard);
        }
        let row = shards[&path].rows.get(at.index as usize).ok_or_else(|| format!("{path} is short"))?;
        rows.push(row.clone());
    }
    Ok(rows)
}

#[derive(Serialize)]
struct FileList {
    /// Every file but the manifest, once each, with its size in bytes.
    files: Vec<(String, u64)>,
    /// The segments' descriptors, oldest first.
    segments: Vec<String>,
    headlines: String,
}

pub fn files(dir: &Path) -> Result<u8, String> {
    let mut bundle = BundleOnDisk::open(dir)?;
    let files = bundle.ask(|catalog| catalog.all_files())?;
    let manifest = bundle.catalog.manifest();
    let list = FileList { files, segments: manifest.segments.iter().map(|s| s.file.clone()).collect(), headlines: manifest.headlines.clone() };
    outln!("{}", serde_json::to_string(&list).expect("paths always serialize"));
    Ok(EXIT_OK)
}

/// `sahifa export`: every article of a bundle, newest first, one JSON object per line (the input format).
pub fn export(dir: &Path) -> Result<u8, String> {
    use std::io::Write;
    let mut bundle = BundleOnDisk::open(dir)?;
    let mut shard: Option<(String, sahifa_core::bundle::ArticleShard)> = None;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for doc in 0..bundle.catalog.manifest().counts.articles {
        let at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Articles, doc))?.ok_or("the order names a document no segment holds")?;
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Articles, at.segment, at.number))?.ok_or("an article shard is missing from its directory")?;
        if shard.as_ref().is_none_or(|(loaded, _)| *loaded != path) {
            shard = Some((path.clone(), bundle.read_json(&path)?));
        }
        let (_, loaded) = shard.as_ref().expect("loaded above");
        let article = loaded.articles.get(at.index as usize).ok_or_else(|| format!("{path} is short"))?;
        let written = writeln!(out, "{}", to_json_line(article)).map_err(|e| e.to_string());
        if let Err(error) = written {
            // A closed pipe (`| head`) ends the export quietly.
            if error.contains("Broken pipe") {
                return Ok(EXIT_OK);
            }
            return Err(error);
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(EXIT_OK)
}
