//! `sahifa list`: the articles of a built bundle, newest first; and reading a bundle on disk, which
//! `sahifa search` shares.

use crate::EXIT_OK;
use sahifa_core::bundle::{read_manifest, DirectoryPage, Family, ListingShard, Manifest, MANIFEST_FILE};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct ListedArticle<'a> {
    id: &'a str,
    title: &'a str,
    outlet: Option<&'a str>,
    published: Option<String>,
}

pub fn run(dir: &Path, json: bool) -> Result<u8, String> {
    let mut bundle = BundleOnDisk::open(dir)?;
    let mut rows = Vec::new();
    let family = bundle.manifest.listing.clone();
    for number in 0..family.files {
        let path = bundle.file_of(&family, number)?;
        let shard: ListingShard = bundle.read_json(&path)?;
        rows.extend(shard.rows);
    }
    let listed: Vec<ListedArticle> = rows
        .iter()
        .map(|row| ListedArticle {
            id: &row.id,
            title: &row.title,
            outlet: row.outlet.as_deref(),
            published: row.published.map(|date| date.to_string()),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&listed).expect("rows always serialize"));
    } else {
        for row in &listed {
            let date = row.published.as_deref().unwrap_or("----------");
            println!("{}  {date}  {}  {}", row.id, row.outlet.unwrap_or("-"), row.title);
        }
    }
    Ok(EXIT_OK)
}

/// A bundle folder: its manifest, and the directory pages read so far.
pub struct BundleOnDisk {
    dir: PathBuf,
    pub manifest: Manifest,
    pages: HashMap<String, DirectoryPage>,
}

impl BundleOnDisk {
    pub fn open(dir: &Path) -> Result<BundleOnDisk, String> {
        let manifest_path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let manifest = read_manifest(&bytes).map_err(|e| e.to_string())?;
        Ok(BundleOnDisk { dir: dir.to_owned(), manifest, pages: HashMap::new() })
    }

    /// The path of file `number` of a family.
    pub fn file_of(&mut self, family: &Family, number: u32) -> Result<String, String> {
        let (page, slot) = family.locate(number).ok_or_else(|| format!("the bundle has no file {number} in a family of {}", family.files))?;
        if !self.pages.contains_key(page) {
            let loaded: DirectoryPage = self.read_json(page)?;
            self.pages.insert(page.to_owned(), loaded);
        }
        let files = &self.pages[page].files;
        files.get(slot).map(|(path, _)| path.clone()).ok_or_else(|| format!("the directory page {page} is short"))
    }

    pub fn read_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        let full = self.dir.join(path);
        std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))
    }

    pub fn read_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        let bytes = self.read_bytes(path)?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{path} is not what the manifest says: {e}"))
    }
}
