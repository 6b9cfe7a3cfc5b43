//! Reads the publisher's `archive.json` (`--archive`) and the logo it names, beside it, for the manifest.

use sahifa_core::archive::ArchiveInfo;
use std::path::Path;

/// The archive described by the file at `path`, if one is given.
pub fn read(path: Option<&Path>) -> Result<Option<ArchiveInfo>, String> {
    let Some(path) = path else { return Ok(None) };
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut info = ArchiveInfo::parse(&bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    if let Some(logo) = info.logo.clone() {
        let logo_path = path.parent().unwrap_or(Path::new(".")).join(&logo);
        let logo_bytes = std::fs::read(&logo_path).map_err(|error| format!("cannot read the logo {} that {} names: {error}", logo_path.display(), path.display()))?;
        info.embed_logo(&logo, &logo_bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(Some(info))
}
