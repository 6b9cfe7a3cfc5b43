//! Finding the input files under the command-line inputs, in a stable order, and knowing what each holds:
//! a Maghress page, or JSON Lines of articles (`.jsonl`, `.ndjson`, optionally gzipped).

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
/// bundle never depends on the order the file system lists them in. A missing input is an error.
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<InputFile>, String> {
    let mut files = Vec::new();
    for input in inputs {
        let metadata = std::fs::metadata(input).map_err(|error| format!("cannot read input {}: {error}", input.display()))?;
        if metadata.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push(input.clone());
        }
    }
    Ok(files.into_iter().map(InputFile::of).collect())
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(folder).map_err(|error| format!("cannot list {}: {error}", folder.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|error| format!("cannot list {}: {error}", folder.display()))?;
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files)?;
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
}
