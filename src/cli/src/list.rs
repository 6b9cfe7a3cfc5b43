//! `sahifa list`: the articles of a built bundle, newest first.

use crate::EXIT_OK;
use sahifa_core::bundle::{read_manifest, ListingFile, MANIFEST_FILE};
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
    let manifest_path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let manifest = read_manifest(&bytes).map_err(|e| e.to_string())?;
    let listing_path = dir.join(&manifest.files.listing);
    let bytes = std::fs::read(&listing_path).map_err(|e| format!("cannot read {}: {e}", listing_path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{} is not a listing: {e}", listing_path.display()))
}
