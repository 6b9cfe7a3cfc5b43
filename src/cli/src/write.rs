//! Writing a bundle folder so that a reader never sees half of one: files go to a sibling folder first, which
//! then replaces the old bundle.

use sahifa_core::bundle::{BundleFile, MANIFEST_FILE};
use std::path::{Path, PathBuf};

/// Fails early, before any page is read, if `out` is a folder we must not replace.
pub fn check_output_dir(out: &Path) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(format!("--out {} exists and is not a folder", out.display()));
    }
    let is_empty = std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?.next().is_none();
    if !is_empty && !out.join(MANIFEST_FILE).is_file() {
        return Err(format!(
            "refusing to replace {}: it is not empty and holds no {MANIFEST_FILE}, so it is not a Sahifa bundle",
            out.display()
        ));
    }
    Ok(())
}

pub fn replace_bundle_dir(out: &Path, files: &[BundleFile]) -> Result<(), String> {
    check_output_dir(out)?;
    let staging = sibling(out, "sahifa-staging");
    let io = |what: &str, path: &Path, error: std::io::Error| format!("cannot {what} {}: {error}", path.display());
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io("remove", &staging, e))?;
    }
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|e| io("write", &path, e))?;
    }
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| io("remove the old bundle", out, e))?;
    }
    std::fs::rename(&staging, out).map_err(|e| io("move the new bundle to", out, e))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}
