//! A bundle folder on disk, read through the core's catalog: the CLI's `list`, `search`, `files` and
//! `update` all find files this one way.

use sahifa_core::bundle::catalog::resolve;
use sahifa_core::bundle::{read_manifest, split_request, Catalog, MANIFEST_FILE};
use sahifa_core::search::rank::Missing;
use std::path::{Path, PathBuf};

pub struct BundleOnDisk {
    pub dir: PathBuf,
    pub catalog: Catalog,
}

impl BundleOnDisk {
    pub fn open(dir: &Path) -> Result<BundleOnDisk, String> {
        let manifest_path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let manifest = read_manifest(&bytes).map_err(|e| e.to_string())?;
        let catalog = Catalog::new(manifest).map_err(|e| e.to_string())?;
        Ok(BundleOnDisk { dir: dir.to_owned(), catalog })
    }

    pub fn read_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        read_file(&self.dir, path)
    }

    pub fn read_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        let bytes = self.read_bytes(path)?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{path} is not what the bundle says it is: {e}"))
    }

    /// Asks the catalog until it answers, reading from disk the files it lacks.
    pub fn ask<T>(&mut self, ask: impl FnMut(&sahifa_core::bundle::Catalog) -> Result<T, Missing>) -> Result<T, String> {
        let dir = self.dir.clone();
        resolve(&mut self.catalog, &mut |path| read_file(&dir, path), ask)
    }
}

/// Reads a file of the bundle, or the piece of one a ranged request names (see `bundle::ranged`).
pub fn read_file(dir: &Path, request: &str) -> Result<Vec<u8>, String> {
    use std::io::{Read, Seek, SeekFrom};
    let (path, range) = split_request(request);
    // Paths come from the bundle's own files: never follow one out of the folder.
    if path.split('/').any(|part| part == ".." || part.is_empty()) || path.starts_with('/') {
        return Err(format!("the bundle names a file outside itself: {path}"));
    }
    let full = dir.join(path);
    let failed = |e: std::io::Error| format!("cannot read {}: {e}", full.display());
    match range {
        None => std::fs::read(&full).map_err(failed),
        Some((offset, len)) => {
            let mut file = std::fs::File::open(&full).map_err(failed)?;
            if offset.saturating_add(len) > file.metadata().map_err(failed)?.len() {
                return Err(format!("{request} is past the end of {}", full.display()));
            }
            let mut piece = vec![0u8; len as usize];
            file.seek(SeekFrom::Start(offset)).and_then(|_| file.read_exact(&mut piece)).map_err(failed)?;
            Ok(piece)
        }
    }
}
