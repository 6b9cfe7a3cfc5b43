//! Finding the input files under the command-line inputs, in a stable order, and knowing what each holds:
//! a Maghress page, or JSON Lines of articles (`.jsonl`, `.ndjson`, optionally gzipped).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputFile {
    /// One Maghress page: one record.
    Page(PathBuf),
    /// One article per line.
    JsonLines { path: PathBuf, gzip: bool },
}

impl InputFile {
    pub fn path(&self) -> &Path {
        match self {
            InputFile::Page(path) | InputFile::JsonLines { path, .. } => path,
        }
    }

    fn of(path: PathBuf) -> InputFile {
        let name = path.file_name().map(|name| name.to_string_lossy().to_lowercase()).unwrap_or_default();
        let gzip = name.ends_with(".gz");
        let plain = name.strip_suffix(".gz").unwrap_or(&name);
        if plain.ends_with(".jsonl") || plain.ends_with(".ndjson") {
            InputFile::JsonLines { path, gzip }
        } else {
            InputFile::Page(path)
        }
    }
}

/// Every regular file under `inputs`, folders walked recursively, each folder's entries sorted by name so the
/// bundle never depends on the order the file system lists them in. A missing input is an error. A folder
/// reached again through a symbolic link (a loop such as `sub/loop -> ..`, or two links to one folder) is
/// walked once, and said so on standard error.
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<InputFile>, String> {
    let mut files = Vec::new();
    let mut walked = HashSet::new();
    for input in inputs {
        let metadata = std::fs::metadata(input).map_err(|error| format!("cannot read input {}: {error}", input.display()))?;
        if metadata.is_dir() {
            walk(input, &mut files, &mut walked)?;
        } else {
            files.push(input.clone());
        }
    }
    Ok(files.into_iter().map(InputFile::of).collect())
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>, walked: &mut HashSet<PathBuf>) -> Result<(), String> {
    let real = std::fs::canonicalize(folder).map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
    if !walked.insert(real.clone()) {
        eprintln!("sahifa: note: {} is {}, read already: not read again", folder.display(), real.display());
        return Ok(());
    }
    let entries = std::fs::read_dir(folder).map_err(|error| format!("cannot list {}: {error}", folder.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|error| format!("cannot list {}: {error}", folder.display()))?;
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, walked)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_told_from_pages_by_their_extension() {
        assert_eq!(InputFile::of("a/corpus.jsonl.gz".into()), InputFile::JsonLines { path: "a/corpus.jsonl.gz".into(), gzip: true });
        assert_eq!(InputFile::of("b.NDJSON".into()), InputFile::JsonLines { path: "b.NDJSON".into(), gzip: false });
        assert_eq!(InputFile::of("page.txt".into()), InputFile::Page("page.txt".into()));
        assert_eq!(InputFile::of("page.gz".into()), InputFile::Page("page.gz".into()));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_reached_again_through_a_link_is_walked_once() {
        let root = std::env::temp_dir().join(format!("sahifa-loop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        std::fs::write(root.join("sub/b.txt"), "b").unwrap();
        std::os::unix::fs::symlink("..", root.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("sub", root.join("again")).unwrap();
        let found = collect_inputs(std::slice::from_ref(&root)).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        let names: Vec<String> = found.iter().map(|file| file.path().strip_prefix(&root).unwrap().display().to_string()).collect();
        // In name order `again` comes before `sub`: the folder is read once, under the first name met.
        assert_eq!(names, ["a.txt", "again/b.txt"], "the loop and the second way into sub are not walked again");
    }
}
