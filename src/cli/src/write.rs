//! Writing a bundle folder so that a reader never sees half of one. A build writes to a sibling folder that
//! then replaces the old bundle; an update adds its new files beside the old ones (every name is a content
//! hash, so a new file can never overwrite a file the old manifest names) and replaces the manifest last, in
//! one rename.

use sahifa_core::bundle::search_index::{POSITIONS_FOLDER, POSTINGS_FOLDER};
use sahifa_core::bundle::{BundleFile, ARTICLES_FOLDER, MANIFEST_FILE};
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

/// Brotli quality of each file's compressed copy, measured on this machine with the `brotli` crate (MB/s of
/// input, and the size against quality 5): postings and positions packs take 3. Queries read them by byte
/// range, uncompressed, so their copies only serve whole-file downloads (saving the archive offline); at 3
/// they compress 2.1 to 2.2 times faster than at 4 (157 against 74 MB/s on the generated million) for 0.8 %
/// more bytes there and 2.3 % on real JawharaFM. Term blocks lose 9 % at 4, so they keep 5; article texts, most of
/// a bundle's bytes, take 5 (39 MB/s on real text; 8 would save 9 % more at half the speed, which a million
/// articles cannot afford in the build); the smaller JSON families (listing rows, ids, directories,
/// descriptors, the manifest) take 8, 9 % smaller than 5.
fn brotli_quality(relative: &str) -> u32 {
    let in_folder = |folder: &str| relative.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'));
    if in_folder(POSTINGS_FOLDER) || in_folder(POSITIONS_FOLDER) {
        3
    } else if in_folder(ARTICLES_FOLDER) || relative.ends_with(".bin") {
        5
    } else {
        8
    }
}

/// Files waiting for their compressed copies, at most: enough to keep every compressing thread busy, few
/// enough to bound memory (packs are a few MB each).
const QUEUED_FILES: usize = 32;

/// A bundle being written: files go to a sibling folder, each with a deterministic `.br` copy beside it for
/// hosts that serve precompressed files (nginx `brotli_static`, S3 with `Content-Encoding`), and the folder
/// replaces the old bundle only when complete. The copies are written by background threads while the build
/// goes on.
pub struct Staging {
    dir: PathBuf,
    compressor: Option<Compressor>,
    /// Processor time spent compressing, for the build's closing line.
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
        crate::interrupt::temporary(dir.clone());
        Ok(Staging { dir, compressor: None, compress_seconds: 0.0, written: Vec::new(), paths: HashSet::new(), in_place: false })
    }

    /// Adds files to the bundle in `dir` itself, for an update: until the manifest is replaced, the old one
    /// names only old files, all still there.
    pub fn in_place(dir: &Path) -> Staging {
        Staging { dir: dir.to_owned(), compressor: None, compress_seconds: 0.0, written: Vec::new(), paths: HashSet::new(), in_place: true }
    }

    /// The files added so far, each once, with their sizes (not counting their compressed copies).
    pub fn written(&self) -> &[(String, u64)] {
        &self.written
    }

    /// A folder beside the staging folder, for temporary files of the build.
    pub fn sibling_dir(&self, suffix: &str) -> PathBuf {
        let dir = sibling(&self.dir, suffix);
        crate::interrupt::temporary(dir.clone());
        dir
    }

    /// Writes one file now; background threads write its compressed copies. A file written already (two
    /// shards with the same bytes share a name) is written once.
    pub fn add(&mut self, file: BundleFile) -> Result<(), String> {
        crate::interrupt::check()?;
        if !self.paths.insert(file.path.clone()) {
            return Ok(());
        }
        let path = self.dir.join(&file.path);
        if self.in_place && path.is_file() && copies_of(&path).iter().all(|copy| copy.is_file()) {
            // Its name is its content's hash: the file there already is this one.
            return Ok(());
        }
        self.written.push((file.path.clone(), file.bytes.len() as u64));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|e| io("write", &path, e))?;
        let quality = brotli_quality(&file.path);
        self.compressor.get_or_insert_with(Compressor::start).submit(path, quality, file.bytes)
    }

    /// Waits until every file added so far has its compressed copies.
    pub fn flush(&mut self) -> Result<(), String> {
        if let Some(compressor) = self.compressor.take() {
            self.compress_seconds += compressor.finish()?;
        }
        Ok(())
    }

    /// Replaces `out` with the finished bundle; returns the processor seconds spent compressing.
    pub fn commit(mut self, out: &Path) -> Result<f64, String> {
        self.flush()?;
        check_output_dir(out)?;
        // The old bundle steps aside before the new one moves in, and goes only once the new one is there:
        // a failure between the two renames puts it back.
        let old = sibling(out, "sahifa-old");
        crate::interrupt::uninterrupted(|| -> Result<(), String> {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(|e| io("remove", &old, e))?;
            }
            let replacing = out.exists();
            if replacing {
                std::fs::rename(out, &old).map_err(|e| io("move the old bundle aside to", &old, e))?;
            }
            if let Err(error) = std::fs::rename(&self.dir, out) {
                if replacing {
                    let _ = std::fs::rename(&old, out);
                }
                return Err(io("move the new bundle to", out, error));
            }
            Ok(())
        })?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(self.compress_seconds)
    }
}

/// The compressed copies a file gets: one, in brotli, which every browser in use reads. Hosts that serve
/// precompressed files serve it; the others compress on the fly. (Gzip copies as well took a sixth of a large
/// build's time.)
fn copies_of(path: &Path) -> Vec<PathBuf> {
    vec![with_suffix(path, "br")]
}

/// A file to compress: where it is, its brotli quality, its bytes.
type Job = (PathBuf, u32, Vec<u8>);

/// Threads that write compressed copies of the files handed to them, one per core.
struct Compressor {
    sender: Option<std::sync::mpsc::SyncSender<Job>>,
    workers: Vec<std::thread::JoinHandle<Result<f64, String>>>,
}

impl Compressor {
    fn start() -> Compressor {
        let threads = crate::parallel::cores();
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Job>(QUEUED_FILES);
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let workers = (0..threads)
            .map(|_| {
                let receiver = receiver.clone();
                std::thread::spawn(move || -> Result<f64, String> {
                    let mut seconds = 0.0;
                    loop {
                        let next = receiver.lock().map_err(|_| "a compressing thread failed")?.recv();
                        let Ok((path, quality, bytes)) = next else { return Ok(seconds) };
                        let started = std::time::Instant::now();
                        write_copies(&path, quality, &bytes)?;
                        seconds += started.elapsed().as_secs_f64();
                    }
                })
            })
            .collect();
        Compressor { sender: Some(sender), workers }
    }

    fn submit(&self, path: PathBuf, quality: u32, bytes: Vec<u8>) -> Result<(), String> {
        let sender = self.sender.as_ref().expect("a running compressor has its sender");
        // A send fails only when every worker has stopped, which they do on an error: `finish` reports it.
        let _ = sender.send((path, quality, bytes));
        Ok(())
    }

    /// Waits for the queue to empty; returns the processor seconds spent, or the first error.
    fn finish(mut self) -> Result<f64, String> {
        drop(self.sender.take());
        let mut seconds = 0.0;
        let mut failure = None;
        for worker in self.workers.drain(..) {
            match worker.join() {
                Ok(Ok(spent)) => seconds += spent,
                Ok(Err(error)) => {
                    failure.get_or_insert(error);
                }
                Err(_) => {
                    failure.get_or_insert("a compressing thread panicked".to_owned());
                }
            }
        }
        failure.map_or(Ok(seconds), Err)
    }
}

fn write_copies(path: &Path, quality: u32, bytes: &[u8]) -> Result<(), String> {
    let copy = with_suffix(path, "br");
    std::fs::write(&copy, brotli(bytes, quality)).map_err(|e| format!("cannot write {}: {e}", copy.display()))
}

fn io(what: &str, path: &Path, error: std::io::Error) -> String {
    format!("cannot {what} {}: {error}", path.display())
}

/// A hidden folder beside `path`, for temporary files of a build.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// Replaces the bundle's manifest in one rename, after its compressed copies: every version written first, so
/// a failure leaves the old manifest as it was, and at every moment the files any of them names are all there.
pub fn replace_manifest(dir: &Path, bytes: Vec<u8>) -> Result<(), String> {
    let target = dir.join(MANIFEST_FILE);
    let versions = [(with_suffix(&target, "br"), brotli(&bytes, brotli_quality(MANIFEST_FILE))), (target, bytes)];
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
    let mut files = copies_of(&full);
    files.push(full);
    for file in files {
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

/// Compresses with Google's C encoder (through `brotlic`): 1.3 to 1.8 times the speed of the Rust port at the
/// qualities used here, measured on this machine on the bundle's own files (article shards of real JawharaFM at
/// quality 5: 31.6 against 20.0 MB/s, the same bytes; of the generated corpus: 107 against 60 MB/s and 17 %
/// smaller, where the port's quality 5 finds fewer of the repeats), and compression is the largest part of a
/// large build.
fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    use brotlic::{compress, compress_bound, CompressionMode, Quality, WindowSize};
    // A window no larger than the file: the encoder's tables follow the window, and zeroing tables sized for
    // 4 MB took a tenth of a build of many small files.
    let lgwin = (usize::BITS - bytes.len().max(1).leading_zeros()).clamp(10, 22) as u8;
    let quality = Quality::new(quality as u8).expect("the qualities used are between 2 and 11");
    let window = WindowSize::new(lgwin).expect("10 to 22 are valid windows");
    let mut out = vec![0; compress_bound(bytes.len(), quality).expect("qualities of 2 and above have a bound")];
    let written = compress(bytes, &mut out, quality, window, CompressionMode::Generic).expect("an output of the bound's size always suffices");
    out.truncate(written);
    out
}
