//! Keeping the search index's postings on disk while a large archive is built: the core's writer hands out
//! sorted runs; they are written here, each entry framed by its length, and merged back by key at the end.
//! Memory then holds one run at a time instead of the whole index.

use sahifa_core::bundle::search_index::KeyRun;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub struct RunFiles {
    dir: PathBuf,
    files: Vec<PathBuf>,
}

impl RunFiles {
    pub fn create(dir: PathBuf) -> Result<RunFiles, String> {
        crate::interrupt::check()?;
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(RunFiles { dir, files: Vec::new() })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn write(&mut self, run: Vec<KeyRun>) -> Result<(), String> {
        crate::interrupt::check()?;
        let path = self.dir.join(format!("run-{:04}.bin", self.files.len()));
        let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let mut out = BufWriter::new(File::create(&path).map_err(failed)?);
        let mut entry = Vec::new();
        for key_run in run {
            entry.clear();
            key_run.encode(&mut entry);
            out.write_all(&(entry.len() as u32).to_le_bytes()).map_err(failed)?;
            out.write_all(&entry).map_err(failed)?;
        }
        out.flush().map_err(failed)?;
        self.files.push(path);
        Ok(())
    }

    /// Every key's runs, in key order, each key's runs in the order they were written (document order).
    pub fn merged(&self) -> Result<Merged, String> {
        let mut readers = Vec::new();
        for path in &self.files {
            let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            readers.push(RunReader { reader: BufReader::with_capacity(1 << 20, file), path: path.clone() });
        }
        let mut merged = Merged { readers, heap: BinaryHeap::new(), error: None };
        for index in 0..merged.readers.len() {
            merged.refill(index);
        }
        Ok(merged)
    }

    pub fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

struct RunReader {
    reader: BufReader<File>,
    path: PathBuf,
}

impl RunReader {
    fn next(&mut self) -> Result<Option<KeyRun>, String> {
        let mut length = [0u8; 4];
        match self.reader.read_exact(&mut length) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        }
        let mut entry = vec![0u8; u32::from_le_bytes(length) as usize];
        self.reader.read_exact(&mut entry).map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
        let (run, _) = KeyRun::decode(&entry).ok_or_else(|| format!("{} is damaged", display(&self.path)))?;
        Ok(Some(run))
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The smallest key first; among equal keys, the earlier run first.
struct Pending(KeyRun, usize);

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key && self.1 == other.1
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.key.cmp(&self.0.key).then(other.1.cmp(&self.1))
    }
}

pub struct Merged {
    readers: Vec<RunReader>,
    heap: BinaryHeap<Pending>,
    /// The first read error; the merge stops there and the build reports it.
    pub error: Option<String>,
}

impl Merged {
    fn refill(&mut self, index: usize) {
        match self.readers[index].next() {
            Ok(Some(run)) => self.heap.push(Pending(run, index)),
            Ok(None) => {}
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
    }
}

impl Iterator for Merged {
    type Item = Vec<KeyRun>;

    fn next(&mut self) -> Option<Vec<KeyRun>> {
        if self.error.is_some() {
            return None;
        }
        let Pending(first, index) = self.heap.pop()?;
        self.refill(index);
        let mut runs = vec![first];
        while self.heap.peek().is_some_and(|next| next.0.key == runs[0].key) {
            let Pending(run, index) = self.heap.pop().expect("peeked");
            self.refill(index);
            runs.push(run);
        }
        Some(runs)
    }
}
