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

/// Brotli quality for the precompressed copies: 6 keeps most of the gain of 11 at a small fraction of its time.
const BROTLI_QUALITY: u32 = 6;

/// Writes the bundle, each file with `.gz` and `.br` copies beside it for hosts that serve precompressed
/// files (nginx `gzip_static`/`brotli_static`, S3 with `Content-Encoding`). The copies are deterministic too:
/// the gzip header carries no time or name.
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
    write_compressed_copies(&staging, files)?;
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| io("remove the old bundle", out, e))?;
    }
    std::fs::rename(&staging, out).map_err(|e| io("move the new bundle to", out, e))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// Compression dominates the build's time, so it runs on every core, each thread taking every n-th file.
fn write_compressed_copies(staging: &Path, files: &[BundleFile]) -> Result<(), String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                scope.spawn(move || -> Result<(), String> {
                    for file in files.iter().skip(worker).step_by(threads) {
                        let path = staging.join(&file.path);
                        for (suffix, bytes) in [("gz", gzip(&file.bytes)), ("br", brotli(&file.bytes))] {
                            let copy = with_suffix(&path, suffix);
                            std::fs::write(&copy, bytes).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|worker| worker.join().expect("a compression thread panicked"))
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = ::brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY as i32, ..Default::default() };
    ::brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory cannot fail");
    out
}
