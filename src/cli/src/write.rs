//! Writing a bundle folder so that a reader never sees half of one. A build writes to a sibling folder that
//! then replaces the old bundle; an update adds its new files beside the old ones (every name is a content
//! hash, so a new file can never overwrite a file the old manifest names) and replaces the manifest last, in
//! one rename.

use crate::parallel::parallel_map;
use sahifa_core::bundle::{BundleFile, MANIFEST_FILE};
use std::collections::HashSet;
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

/// Brotli quality for the precompressed copies: 6 keeps most of the gain of 11 at a small fraction of its time.
/// Gzip copies use the fastest level: nearly every browser takes brotli, and at a million articles gzip's
/// default level alone took a third of the build.
const BROTLI_QUALITY: u32 = 5;
/// Text families (article texts, listing rows) are most of a bundle and compress markedly better a little
/// higher: quality 8 makes them 7 % smaller than 5 on real Arabic news, for about a third more time.
const BROTLI_TEXT_QUALITY: u32 = 8;

/// Compressing waits until this many bytes are pending, so every core gets a share of work.
const PENDING_BYTES: usize = 32 * 1024 * 1024;

/// A bundle being written: files go to a sibling folder, each with `.gz` and `.br` copies beside it for hosts
/// that serve precompressed files (nginx `gzip_static`/`brotli_static`, S3 with `Content-Encoding`), and the
/// folder replaces the old bundle only when complete. The copies are deterministic too: the gzip header
/// carries no time or name.
pub struct Staging {
    dir: PathBuf,
    pending: Vec<BundleFile>,
    pending_bytes: usize,
    /// Time spent compressing, for the build's closing line.
    compress_seconds: f64,
    /// Files written, in order, each once: what a publisher uploads after an update.
    written: Vec<(String, u64)>,
    paths: HashSet<String>,
    /// Writing into an existing bundle (an update): files already there are left alone.
    in_place: bool,
}

impl Staging {
    pub fn create(out: &Path) -> Result<Staging, String> {
        check_output_dir(out)?;
        let dir = sibling(out, "sahifa-staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io("remove", &dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
        Ok(Staging { dir, pending: Vec::new(), pending_bytes: 0, compress_seconds: 0.0, written: Vec::new(), paths: HashSet::new(), in_place: false })
    }

    /// Adds files to the bundle in `dir` itself, for an update: until the manifest is replaced, the old one
    /// names only old files, all still there.
    pub fn in_place(dir: &Path) -> Staging {
        Staging { dir: dir.to_owned(), pending: Vec::new(), pending_bytes: 0, compress_seconds: 0.0, written: Vec::new(), paths: HashSet::new(), in_place: true }
    }

    /// The files added so far, each once, with their sizes (not counting their compressed copies).
    pub fn written(&self) -> &[(String, u64)] {
        &self.written
    }

    /// A folder beside the staging folder, for temporary files of the build.
    pub fn sibling_dir(&self, suffix: &str) -> PathBuf {
        sibling(&self.dir, suffix)
    }

    /// Writes one file now; its compressed copies follow at the next flush. A file written already (two
    /// shards with the same bytes share a name) is written once.
    pub fn add(&mut self, file: BundleFile) -> Result<(), String> {
        if !self.paths.insert(file.path.clone()) {
            return Ok(());
        }
        let path = self.dir.join(&file.path);
        if self.in_place && path.is_file() && with_suffix(&path, "br").is_file() && with_suffix(&path, "gz").is_file() {
            // Its name is its content's hash: the file there already is this one.
            return Ok(());
        }
        self.written.push((file.path.clone(), file.bytes.len() as u64));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|e| io("write", &path, e))?;
        self.pending_bytes += file.bytes.len();
        self.pending.push(file);
        if self.pending_bytes >= PENDING_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the compressed copies of every file added since the last flush.
    pub fn flush(&mut self) -> Result<(), String> {
        let started = std::time::Instant::now();
        write_compressed_copies(&self.dir, &self.pending)?;
        self.compress_seconds += started.elapsed().as_secs_f64();
        self.pending.clear();
        self.pending_bytes = 0;
        Ok(())
    }

    /// Replaces `out` with the finished bundle; returns the seconds spent compressing.
    pub fn commit(mut self, out: &Path) -> Result<f64, String> {
        self.flush()?;
        check_output_dir(out)?;
        if out.exists() {
            std::fs::remove_dir_all(out).map_err(|e| io("remove the old bundle", out, e))?;
        }
        std::fs::rename(&self.dir, out).map_err(|e| io("move the new bundle to", out, e))?;
        Ok(self.compress_seconds)
    }
}

fn io(what: &str, path: &Path, error: std::io::Error) -> String {
    format!("cannot {what} {}: {error}", path.display())
}

/// A hidden folder beside `path`, for temporary files of a build.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// Compression dominates the build's time, so it runs on every core.
fn write_compressed_copies(staging: &Path, files: &[BundleFile]) -> Result<(), String> {
    let written = parallel_map(files, |_, file| -> Result<(), String> {
        let path = staging.join(&file.path);
        let quality = if file.path.ends_with(".json") { BROTLI_TEXT_QUALITY } else { BROTLI_QUALITY };
        for (suffix, bytes) in [("gz", gzip(&file.bytes)), ("br", brotli(&file.bytes, quality))] {
            let copy = with_suffix(&path, suffix);
            std::fs::write(&copy, bytes).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
        }
        Ok(())
    });
    written.into_iter().collect()
}

/// Replaces the bundle's manifest in one rename, after its compressed copies: every version written first, so
/// a failure leaves the old manifest as it was, and at every moment the files any of them names are all there.
pub fn replace_manifest(dir: &Path, bytes: Vec<u8>) -> Result<(), String> {
    let target = dir.join(MANIFEST_FILE);
    let versions = [(with_suffix(&target, "gz"), gzip(&bytes)), (with_suffix(&target, "br"), brotli(&bytes, BROTLI_TEXT_QUALITY)), (target, bytes)];
    for (final_path, content) in &versions {
        let temporary = with_suffix(final_path, "new");
        std::fs::write(&temporary, content).map_err(|e| io("write", &temporary, e))?;
    }
    for (final_path, _) in &versions {
        std::fs::rename(with_suffix(final_path, "new"), final_path).map_err(|e| io("replace", final_path, e))?;
    }
    Ok(())
}

/// Removes a bundle file and its compressed copies; one already gone is no error.
pub fn remove_file(dir: &Path, path: &str) -> Result<(), String> {
    let full = dir.join(path);
    for file in [with_suffix(&full, "gz"), with_suffix(&full, "br"), full] {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(io("remove", &file, error)),
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = ::brotli::enc::BrotliEncoderParams { quality: quality as i32, ..Default::default() };
    ::brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory cannot fail");
    out
}
