//! `sahifa list`: the articles of a built bundle, newest first.

use crate::EXIT_OK;
use sahifa_core::bundle::{read_manifest, ListingFile, Manifest, MANIFEST_FILE};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct ListedArticle<'a> {
    id: &'a str,
    title: &'a str,
    outlet: Option<&'a str>,
    published: Option<String>,
}

pub fn run(dir: &Path, json: bool) -> Result<u8, String> {
    let listing = read_listing(dir)?;
    let rows: Vec<ListedArticle> = listing
        .rows
        .iter()
        .map(|row| ListedArticle {
            id: &row.id,
            title: &row.title,
            outlet: row.outlet.as_deref(),
            published: row.published.map(|date| date.to_string()),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows).expect("rows always serialize"));
    } else {
        for row in &rows {
            let date = row.published.as_deref().unwrap_or("----------");
            println!("{}  {date}  {}  {}", row.id, row.outlet.unwrap_or("-"), row.title);
        }
    }
    Ok(EXIT_OK)
}

pub fn read_listing(dir: &Path) -> Result<ListingFile, String> {
    let manifest = read_bundle_manifest(dir)?;
    read_bundle_file(dir, &manifest.files.listing)
}

pub fn read_bundle_manifest(dir: &Path) -> Result<Manifest, String> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    read_manifest(&bytes).map_err(|e| e.to_string())
}

/// Reads one of the JSON files a manifest names.
pub fn read_bundle_file<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, String> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{} is not what the manifest says: {e}", path.display()))
}
