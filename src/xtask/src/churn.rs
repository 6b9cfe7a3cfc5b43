//! `cargo xtask bench-churn`: what keeping an archive up to date costs. A corpus (real JSON Lines, grown to a
//! size, or generated) is split by date: the archive is built from all but its newest articles and one
//! article of an early year, then updated as a publisher would: +10 newest, +1,000 newest (archives of 20k
//! and more), +1 % newest, then the early article arriving late. Each update prints its time and how many
//! files and bytes are new (what a publisher uploads and a reader who saved the archive downloads).

use crate::{repo_root, say};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub fn bench_churn(args: &[String]) -> Result<(), String> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let corpus = flag("--corpus").map(PathBuf::from);
    let articles: Option<usize> = flag("--articles").map(|n| n.parse().map_err(|_| format!("--articles {n} is not a number"))).transpose()?;
    let seed = flag("--seed").unwrap_or_else(|| "1".into());
    let name = match (&corpus, articles) {
        (Some(path), n) => format!("{}-{}", path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(), n.map_or("all".into(), |n| n.to_string())),
        (None, Some(n)) => format!("generated-{n}"),
        (None, None) => return Err("bench-churn needs --corpus FILE, --articles N, or both".into()),
    };
    let work = flag("--work").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target/bench/churn").join(&name));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let sahifa = repo_root().join("target/cli/sahifa");

    // The corpus as one JSON Lines file.
    let lines_path = work.join("corpus.jsonl");
    if !lines_path.is_file() {
        let mut command = Command::new(&sahifa);
        command.arg("gen-corpus").args(["--seed", &seed, "--out"]).arg(&lines_path);
        match (&corpus, articles) {
            (Some(real), Some(n)) => command.args(["--articles", &n.to_string(), "--from"]).arg(real),
            (Some(real), None) => command.args(["--articles", &count_lines(real)?.to_string(), "--from"]).arg(real),
            (None, Some(n)) => command.args(["--articles", &n.to_string()]),
            (None, None) => unreachable!("checked above"),
        };
        run(&mut command)?;
    }
    // A million lines do not fit in memory as text: keep each line's date and place, and copy lines out later.
    let index = index_lines(&lines_path)?;
    // Oldest first; undated articles list last in the archive, so they count as the oldest here.
    let mut dated: Vec<DatedLine> = index;
    dated.sort();
    let total = dated.len();
    let late = dated.iter().position(|(date, _)| date.starts_with("2014")).unwrap_or(total * 3 / 10);
    let late = dated.remove(late);
    let plus_1000 = if total >= 20_000 { 1000 } else { 0 };
    let one_percent = (total / 100).max(1);
    let held = 10 + plus_1000 + one_percent;
    let (base, newest) = dated.split_at(dated.len() - held);
    let (plus_10, rest) = newest.split_at(10);
    let (plus_thousand, plus_percent) = rest.split_at(plus_1000);
    let write = |name: &str, part: &[DatedLine]| -> Result<PathBuf, String> {
        let path = work.join(name);
        copy_lines(&lines_path, part.iter().map(|(_, place)| *place), &path)?;
        Ok(path)
    };
    let base_path = write("base.jsonl", base)?;
    let mut steps = vec![("+10 newest", write("plus-10.jsonl", plus_10)?)];
    if plus_1000 > 0 {
        steps.push(("+1,000 newest", write("plus-1000.jsonl", plus_thousand)?));
    }
    steps.push(("+1 % newest", write("plus-1pct.jsonl", plus_percent)?));
    steps.push(("+1 late article", write("late.jsonl", std::slice::from_ref(&late))?));
    say(&format!("{name}: {total} articles; the archive is built from {}, then updated {} times (the late article is dated {})", base.len(), steps.len(), late.0));

    let bundle = work.join("bundle");
    let _ = std::fs::remove_dir_all(&bundle);
    let (seconds, peak_mb) = timed(Command::new(&sahifa).arg("build").arg(&base_path).arg("--out").arg(&bundle))?;
    let (files, raw, brotli) = bundle_size(&sahifa, &bundle)?;
    println!("\n{name}: build of {} articles: {seconds:.1} s, {peak_mb:.0} MB peak; {files} files, {:.1} MB raw, {:.2} MB brotli ({:.0} B per article)", base.len(), raw as f64 / 1e6, brotli as f64 / 1e6, brotli as f64 / base.len() as f64);
    println!("| update | time | segments after | new files | new bytes, raw | new bytes, brotli | share of the bundle (brotli) |");
    println!("|---|---|---|---|---|---|---|");
    for (label, input) in steps {
        let changes = work.join("changes.json");
        let started = Instant::now();
        let output = Command::new(&sahifa).arg("update").arg(&bundle).arg(&input).arg("--changes").arg(&changes).output().map_err(|e| e.to_string())?;
        let seconds = started.elapsed().as_secs_f64();
        if !output.status.success() {
            return Err(format!("the update {label} failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let changed: serde_json::Value = serde_json::from_slice(&std::fs::read(&changes).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let (_, _, brotli) = bundle_size(&sahifa, &bundle)?;
        let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let new_brotli = changed["added_brotli_bytes"].as_u64().unwrap_or(0);
        println!(
            "| {label} | {seconds:.2} s | {} | {} of {} | {:.2} MB | {:.2} MB | {:.2} % |",
            manifest["segments"].as_array().map_or(0, Vec::len),
            changed["added"].as_array().map_or(0, Vec::len),
            changed["bundle_files"],
            changed["added_bytes"].as_u64().unwrap_or(0) as f64 / 1e6,
            new_brotli as f64 / 1e6,
            100.0 * new_brotli as f64 / brotli.max(1) as f64
        );
    }
    Ok(())
}

/// Each line's date (`""` when it has none) with its byte offset and length. The date is found by text, not by
/// parsing the line: `sahifa gen-corpus` writes `"date":"YYYY-MM-DD"` or `"date":null`.
/// A line's date, and where the line is: its byte offset and length.
type DatedLine = (String, (u64, usize));

fn index_lines(path: &Path) -> Result<Vec<DatedLine>, String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut index = Vec::new();
    let mut offset = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if read == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let date = text.find("\"date\":\"").map(|at| text[at + 8..].chars().take(10).collect()).unwrap_or_default();
        if !text.trim().is_empty() {
            index.push((date, (offset, read)));
        }
        offset += read as u64;
    }
    Ok(index)
}

/// Copies the lines at `places` (offset, length) of `from` into a new file `to`.
fn copy_lines(from: &Path, places: impl Iterator<Item = (u64, usize)>, to: &Path) -> Result<(), String> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut places: Vec<(u64, usize)> = places.collect();
    places.sort();
    let mut source = std::fs::File::open(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?);
    let mut buffer = Vec::new();
    for (offset, length) in places {
        buffer.resize(length, 0);
        source.seek(SeekFrom::Start(offset)).and_then(|_| source.read_exact(&mut buffer)).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        out.write_all(&buffer).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        if !buffer.ends_with(b"\n") {
            out.write_all(b"\n").map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    out.flush().map_err(|e| format!("cannot write {}: {e}", to.display()))
}

fn count_lines(path: &Path) -> Result<usize, String> {
    let output = Command::new("sh").arg("-c").arg(format!("zcat -f '{}' | wc -l", path.display())).output().map_err(|e| e.to_string())?;
    String::from_utf8_lossy(&output.stdout).trim().parse().map_err(|_| format!("cannot count the lines of {}", path.display()))
}

fn run(command: &mut Command) -> Result<(), String> {
    crate::toolchain::run_checked(command)
}

/// Wall-clock seconds and peak memory (MB) of a command, from GNU time.
fn timed(command: &mut Command) -> Result<(f64, f64), String> {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let output = Command::new("/usr/bin/time").args(["-f", "%e %M"]).arg(program).args(args).output().map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
    if !output.status.success() {
        return Err(format!("the build failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace().map(|n| n.parse::<f64>().unwrap_or(0.0));
    Ok((parts.next().unwrap_or(0.0), parts.next().unwrap_or(0.0) / 1024.0))
}

/// Files the bundle names, their raw bytes and the bytes of their brotli copies, read through `sahifa files`.
fn bundle_size(sahifa: &Path, bundle: &Path) -> Result<(usize, u64, u64), String> {
    let output = Command::new(sahifa).arg("files").arg(bundle).output().map_err(|e| e.to_string())?;
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("sahifa files: {e}"))?;
    let files = list["files"].as_array().ok_or("sahifa files printed no list")?;
    let mut raw = 0;
    let mut brotli = 0;
    for file in files {
        let path = file[0].as_str().unwrap_or_default();
        raw += file[1].as_u64().unwrap_or(0);
        brotli += std::fs::metadata(bundle.join(format!("{path}.br"))).map_or(0, |m| m.len());
    }
    Ok((files.len(), raw, brotli))
}
