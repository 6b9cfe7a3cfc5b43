//! End-to-end tests of the `sahifa` binary: exit statuses, the report's accounting, determinism and the
//! bundle's shape.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(folder)
}

fn sahifa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sahifa")).args(args).output().expect("sahifa runs")
}

fn build(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, Value) {
    let report = out.with_extension("report.json");
    let mut args: Vec<String> = vec!["build".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string(), "--report".into(), report.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let output = sahifa(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let report: Value = serde_json::from_slice(&std::fs::read(&report).expect("a report is always written")).unwrap();
    (output, report)
}

/// 3,000 generated articles as JSON Lines in `folder`: a build of them takes seconds in a test build, and
/// what `list` prints of them outgrows a pipe's buffer.
fn generated_corpus(folder: &Path) -> PathBuf {
    let corpus = folder.join("corpus.jsonl");
    assert_eq!(sahifa(&["gen-corpus", "--articles", "3000", "--out", corpus.to_str().unwrap()]).status.code(), Some(0));
    corpus
}

fn read_dir_recursive(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_sample_corpus_builds_and_lists_newest_first_with_undated_last() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    let (output, report) = build(&[&fixtures("seeds")], &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(report["summary"]["parsed"], 5);
    assert_eq!(report["summary"]["articles"], 5);

    let listed = sahifa(&["list", out.to_str().unwrap(), "--json"]);
    assert_eq!(listed.status.code(), Some(0));
    let rows: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let dates: Vec<&Value> = rows.iter().map(|row| &row["published"]).collect();
    assert_eq!(dates, [&Value::from("2025-12-17"), &"2025-11-24".into(), &"2014-03-08".into(), &"2013-03-11".into(), &Value::Null]);
    assert_eq!(rows[0]["outlet"], "هسبريس");
    assert_eq!(rows[0]["title"], "حصيلة التعاون الأمني الدولي بالمغرب");
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "outlet", "published", "title"]);

    // The five pages are all about security cooperation: each names the others as related, best first.
    let related = sahifa(&["related", out.to_str().unwrap(), "--sample", "5"]);
    assert_eq!(related.status.code(), Some(0), "{}", String::from_utf8_lossy(&related.stderr));
    insta::assert_snapshot!("related_articles_of_the_sample_pages", String::from_utf8(related.stdout).unwrap());
}

#[test]
fn the_same_input_gives_a_byte_identical_bundle_in_raw_utf8() {
    let temp = tempfile::tempdir().unwrap();
    let (first, second) = (temp.path().join("one"), temp.path().join("two"));
    build(&[&fixtures("seeds")], &first, &[]);
    build(&[&fixtures("seeds")], &second, &[]);
    let files = read_dir_recursive(&first);
    assert_eq!(files, read_dir_recursive(&second));
    let original = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, bytes)| bytes.clone()).unwrap();
    for (name, bytes) in &files {
        if let Some(plain) = name.strip_suffix(".br") {
            let mut decoded = Vec::new();
            brotli::BrotliDecompress(&mut &bytes[..], &mut decoded).unwrap();
            assert_eq!(decoded, original(plain), "{name}");
            continue;
        }
        assert!(files.iter().any(|(n, _)| *n == format!("{name}.br")), "{name} is precompressed");
        // Postings and outlet columns are binary; everything else is UTF-8 JSON.
        if name.ends_with(".bin") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(!text.contains("\\u06"), "{name} escapes Arabic");
        serde_json::from_str::<Value>(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name != "manifest.json" {
            // folder/hh/<16 hex digits>.json, hh the hash's first two digits.
            let parts: Vec<&str> = name.rsplit('/').collect();
            let hash = parts[0].split('.').next().unwrap();
            assert!(hash.len() == 16 && hash.starts_with(parts[1]), "{name} is content-hashed in a sub-folder");
        }
    }
    let manifest: Value = serde_json::from_slice(&std::fs::read(first.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format_version"], sahifa_core::bundle::FORMAT_VERSION);
    assert!(first.join(manifest["headlines"].as_str().unwrap()).is_file());
    for segment in manifest["segments"].as_array().unwrap() {
        assert!(first.join(segment[0].as_str().unwrap()).is_file(), "{segment}");
    }
    let listed = files.iter().filter(|(n, _)| !n.ends_with(".br") && n != "manifest.json").count();
    assert_eq!(manifest["total_files"].as_u64().unwrap() as usize, listed, "the manifest counts every file");
}

#[test]
fn every_input_is_accounted_for_and_strict_fails_on_rejections() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    let (output, report) = build(&[&fixtures("seeds"), &fixtures("bad")], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let pages = report["pages"].as_array().unwrap();
    let bad_count = std::fs::read_dir(fixtures("bad")).unwrap().count();
    assert_eq!(pages.len(), 5 + bad_count);
    let status_of = |name: &str| {
        let page = pages.iter().find(|p| p["path"].as_str().unwrap().ends_with(name)).unwrap();
        (page["status"].as_str().unwrap().to_owned(), page.clone())
    };
    for rejected in ["invalid-utf8.txt", "empty.txt", "no-report-marker.txt", "no-title.txt", "binary.png"] {
        let (status, page) = status_of(rejected);
        assert_eq!(status, "rejected", "{rejected}");
        assert!(!page["reason"].as_str().unwrap().is_empty());
    }
    // The BOM/CRLF copy and the Arabic-Indic copy hold the same shortened text of seed 004: the one is merged
    // into the other; seed 004 itself keeps its own article, since same outlet, date and title with another
    // text is another article.
    assert_eq!(status_of("bom-crlf.txt").0, "duplicate");
    assert!(status_of("bom-crlf.txt").1["duplicate_of"].as_str().unwrap().ends_with("arabic-indic-date.txt"));
    let (status, variant) = status_of("arabic-indic-date.txt");
    assert_eq!(status, "parsed");
    assert_eq!(variant["diagnostics"][0]["code"], "same-title-other-text", "{variant}");
    assert_ne!(variant["article_id"], status_of("004_3471598b5e5db83e.txt").1["article_id"]);
    assert_eq!(status_of("impossible-date.txt").0, "parsed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rejected") && stderr.contains("invalid-utf8.txt@7126"), "{stderr}");

    let (strict, _) = build(&[&fixtures("seeds"), &fixtures("bad")], &out, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let (strict_clean, _) = build(&[&fixtures("seeds")], &out, &["--strict"]);
    assert_eq!(strict_clean.status.code(), Some(0));
}

#[test]
fn nothing_built_exits_1_and_writes_no_bundle() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    let (output, report) = build(&[&fixtures("bad").join("empty.txt"), &fixtures("bad").join("binary.png")], &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(report["summary"]["rejected"], 2);
    assert!(!out.exists());
}

#[test]
fn usage_and_output_errors_exit_2() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(sahifa(&["build"]).status.code(), Some(2));
    let missing = sahifa(&["build", "/no/such/folder", "--out", temp.path().join("b").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    // A non-empty folder that is not a bundle is never replaced.
    let precious = temp.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("notes.txt"), "keep me").unwrap();
    let refused = sahifa(&["build", fixtures("seeds").to_str().unwrap(), "--out", precious.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing to replace"));
    assert!(precious.join("notes.txt").exists());
    assert_eq!(sahifa(&["list", temp.path().to_str().unwrap(), "--json"]).status.code(), Some(2));
}

#[test]
fn headlines_are_deduplicated_across_pages_and_count_the_pages_that_showed_them() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    build(&[&fixtures("seeds")], &out, &[]);
    let manifest: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let headlines: Value =
        serde_json::from_slice(&std::fs::read(out.join(manifest["headlines"].as_str().unwrap())).unwrap()).unwrap();
    let headlines = headlines["headlines"].as_array().unwrap();
    assert_eq!(headlines.len(), manifest["counts"]["headlines"].as_u64().unwrap() as usize);
    let seen_twice = headlines.iter().filter(|h| h["pages"].as_u64().unwrap() > 1).count();
    assert!(seen_twice > 0, "the seed pages share sidebar headlines");
    let mut texts: Vec<&str> = headlines.iter().map(|h| h["text"].as_str().unwrap()).collect();
    let total = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), total);
}

#[test]
fn search_prints_ranked_hits_with_highlights_in_the_original_text() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("bundle");
    build(&[&fixtures("seeds")], &out, &[]);
    let dir = out.to_str().unwrap();

    let output = sahifa(&["search", dir, "الانتربول", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let hits: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let articles: Vec<&Value> = hits.iter().filter(|h| h["kind"] == "article").collect();
    assert_eq!(articles.len(), 4);
    for hit in &articles {
        let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["excerpt", "highlights", "id", "kind", "outlet", "published", "score", "title"]);
        let highlights = hit["highlights"].as_array().unwrap();
        assert!(!highlights.is_empty(), "{hit}");
        for word in highlights {
            let word = word.as_str().unwrap();
            assert!(word.contains("نتربول") && hit["excerpt"].as_str().unwrap().contains(word), "{word}");
        }
    }
    assert!(articles.iter().any(|h| h["highlights"].as_array().unwrap().contains(&Value::from("الأنتربول"))));
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.iter().all(|s| *s > 0.0));

    let umt: Vec<Value> = serde_json::from_slice(&sahifa(&["search", dir, "umt", "--json"]).stdout).unwrap();
    assert_eq!(umt.len(), 1);
    assert_eq!((umt[0]["kind"].as_str(), umt[0]["title"].as_str()), (Some("headline"), Some("نقابة UMT تختم المؤتمر الوطني")));

    let limited: Vec<Value> = serde_json::from_slice(&sahifa(&["search", dir, "الارهاب", "--json", "--limit", "2"]).stdout).unwrap();
    assert_eq!(limited.len(), 2);
    let none = sahifa(&["search", dir, "كلمةلاوجودلها", "--json"]);
    assert_eq!((none.status.code(), String::from_utf8_lossy(&none.stdout).trim()), (Some(0), "[]"));
    assert_eq!(sahifa(&["search", dir, " ، "]).status.code(), Some(2));
    let human = String::from_utf8_lossy(&sahifa(&["search", dir, "حموشي"]).stdout).into_owned();
    assert!(human.starts_with("1. [article") && human.contains("[حموشي]"), "{human}");
}

#[test]
fn gen_corpus_is_deterministic_and_builds_cleanly() {
    let temp = tempfile::tempdir().unwrap();
    let (first, second) = (temp.path().join("one"), temp.path().join("two"));
    for out in [&first, &second] {
        let output = sahifa(&["gen-corpus", "--articles", "1200", "--seed", "7", "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let files = read_dir_recursive(&first);
    assert_eq!(files.len(), 1200);
    assert!(first.join("0001").join("0001199.txt").is_file(), "pages go into sub-folders of 1,000");
    assert_eq!(files, read_dir_recursive(&second));
    let other_seed = temp.path().join("other");
    sahifa(&["gen-corpus", "--articles", "10", "--seed", "8", "--out", other_seed.to_str().unwrap()]);
    assert_ne!(read_dir_recursive(&other_seed)[0], files[0]);

    let (output, report) = build(&[&first], &temp.path().join("bundle"), &["--strict"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["summary"]["articles"], 1200);
    assert_eq!(report["summary"]["warnings"], 0);
    // With no memory for postings, every batch goes to a run on disk; the merged bundle is the same.
    let (output, _) = build(&[&first], &temp.path().join("spilled"), &["--index-memory-mb", "0"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(read_dir_recursive(&temp.path().join("spilled")), read_dir_recursive(&temp.path().join("bundle")));
    let leftovers: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().contains("sahifa-")).collect();
    assert!(leftovers.is_empty(), "temporary folders are removed: {leftovers:?}");
    let not_empty = sahifa(&["gen-corpus", "--articles", "1", "--out", first.to_str().unwrap()]);
    assert_eq!(not_empty.status.code(), Some(2));
}

#[test]
fn json_lines_build_with_per_line_accounting_and_gzip_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let plain = fixtures("jsonl").join("publisher.jsonl");
    let gzipped = temp.path().join("publisher.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &std::fs::read(&plain).unwrap()).unwrap();
    std::fs::write(&gzipped, encoder.finish().unwrap()).unwrap();

    let out = temp.path().join("bundle");
    let (output, report) = build(&[&plain], &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let pages = report["pages"].as_array().unwrap();
    let line = |n: usize| pages.iter().find(|p| p["path"].as_str().unwrap().ends_with(&format!("publisher.jsonl:{n}"))).unwrap_or_else(|| panic!("line {n}: {report}"));
    let codes = |n: usize| line(n)["diagnostics"].as_array().map(|d| d.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect::<Vec<_>>()).unwrap_or_default();
    // Ten records: the blank line 4 is not one.
    assert_eq!(pages.len(), 10);
    assert_eq!(report["summary"]["parsed"], 6);
    assert_eq!(report["summary"]["duplicates"], 1);
    assert_eq!(report["summary"]["rejected"], 3);
    // A recurring column title on the same day with another text is kept; the same text again is merged.
    assert_eq!(line(1)["status"], "parsed");
    assert_eq!((line(2)["status"].as_str(), codes(2)), (Some("parsed"), vec!["same-title-other-text".to_owned()]));
    assert_eq!(line(3)["status"], "duplicate");
    assert!(line(3)["duplicate_of"].as_str().unwrap().ends_with("publisher.jsonl:1"));
    for (n, code) in [(5, "invalid-json"), (6, "no-title"), (7, "wrong-type")] {
        assert_eq!((line(n)["status"].as_str(), codes(n)), (Some("rejected"), vec![code.to_owned()]), "line {n}");
    }
    assert_eq!(codes(8), ["wrong-type", "no-outlet", "wrong-type", "no-date"]);
    assert_eq!(codes(9), ["unsafe-url"]);
    assert_eq!(line(10)["diagnostics"][0]["message"], "line 10: date 2015-13-40 is impossible; date left empty");
    assert_eq!(codes(11), ["unsafe-url"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("publisher.jsonl:5: line 5: not valid JSON"), "{stderr}");

    // The source address of an article is kept (http and https only).
    let listed = sahifa(&["search", out.to_str().unwrap(), "لشبونة", "--json"]);
    let hits: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(hits.len(), 1);
    let bundle = read_dir_recursive(&out);
    let with_url = bundle.iter().filter(|(name, bytes)| name.starts_with("articles/") && name.ends_with(".json") && String::from_utf8_lossy(bytes).contains("\"url\":\"https://example.com/a\"")).count();
    assert_eq!(with_url, 1);
    assert!(!bundle.iter().any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("javascript:")));

    let (output, gz_report) = build(&[&gzipped], &temp.path().join("from-gzip"), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(gz_report["summary"], report["summary"]);
    assert_eq!(read_dir_recursive(&temp.path().join("from-gzip")), bundle);
    let leftovers: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().contains("sahifa-")).collect();
    assert!(leftovers.is_empty(), "the spool of the gzipped file is removed: {leftovers:?}");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::io::Read;
    let temp = tempfile::tempdir().unwrap();
    // Enough articles that what the commands print outgrows the pipe's buffer (64 KB on Linux), so they are
    // still writing when the reader goes.
    let corpus = generated_corpus(temp.path());
    let out = temp.path().join("bundle");
    let (output, _) = build(&[&corpus], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    // As `sahifa list … | head -c 10`: the reader takes a few bytes and closes the pipe.
    for args in [vec!["list", out.to_str().unwrap()], vec!["list", out.to_str().unwrap(), "--json"], vec!["search", out.to_str().unwrap(), "المغرب", "--limit", "3000"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sahifa"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        let _ = child.stdout.as_mut().unwrap().read(&mut first);
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// In `dir`: a bundle of the sample pages, built, and a generated corpus beside it; with the bundle's files, which
/// a build of the corpus that is stopped or fails must leave as they are.
fn an_old_bundle_and_a_corpus(dir: &Path) -> (PathBuf, PathBuf, Vec<(String, Vec<u8>)>) {
    let corpus = generated_corpus(dir);
    let out = dir.join("bundle");
    let (output, _) = build(&[&fixtures("seeds")], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let before = read_dir_recursive(&out);
    (corpus, out, before)
}

#[cfg(unix)]
#[test]
fn ctrl_c_mid_build_leaves_the_old_bundle_and_no_temporary_folders() {
    let temp = tempfile::tempdir().unwrap();
    let (corpus, out, before) = an_old_bundle_and_a_corpus(temp.path());

    let child = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .args(["build", corpus.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Well into the build (3,000 articles take seconds in a test build), as a reader pressing Ctrl-C.
    std::thread::sleep(std::time::Duration::from_millis(800));
    let signalled = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(signalled.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "interrupted, not finished: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(read_dir_recursive(&out) == before, "the old bundle is untouched");
    assert_eq!(hidden_folders(temp.path()), Vec::<String>::new(), "no staging, spool or runs folder is left behind");
}

/// The hidden folders a build leaves beside its output.
fn hidden_folders(dir: &Path) -> Vec<String> {
    let mut left: Vec<String> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).filter(|name| name.starts_with('.')).collect();
    left.sort();
    left
}

/// A write refused in the middle of a build, as on a full disk: the file-size limit (`ulimit -f`, with its
/// signal ignored) makes every write past 16 KiB fail, which the first listing shard of 3,000 articles is. The
/// build says which file it could not write, exits 2, and leaves the old bundle as it was and no temporary
/// folder holding on to the space.
#[cfg(unix)]
#[test]
fn a_write_refused_mid_build_exits_2_with_the_old_bundle_whole_and_no_temporary_folders() {
    let temp = tempfile::tempdir().unwrap();
    let (corpus, out, before) = an_old_bundle_and_a_corpus(temp.path());

    let output = Command::new("bash")
        .args(["-c", r#"trap "" XFSZ; ulimit -f 16; exec "$0" "$@""#, env!("CARGO_BIN_EXE_sahifa"), "build", corpus.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write") && stderr.contains("File too large"), "says what it could not write and why: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(read_dir_recursive(&out) == before, "the old bundle is untouched");
    assert_eq!(hidden_folders(temp.path()), Vec::<String>::new(), "no staging, spool or runs folder is left behind");
}

/// An output folder the build may not write in. The tests run as root on CI machines, for whom permissions do
/// not apply, so the build then runs as the unprivileged `nobody` (through `setpriv`).
#[cfg(unix)]
#[test]
fn an_output_folder_that_may_not_be_written_exits_2_with_the_old_bundle_whole() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let parent = temp.path().join("read-only");
    let out = parent.join("bundle");
    std::fs::create_dir(&parent).unwrap();
    assert_eq!(build(&[&fixtures("seeds")], &out, &[]).0.status.code(), Some(0));
    let before = read_dir_recursive(&out);
    // Everyone may read the inputs and the old bundle; nobody may write beside it.
    let input = temp.path().join("seeds");
    std::fs::create_dir(&input).unwrap();
    for entry in std::fs::read_dir(fixtures("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
    }
    for dir in [temp.path(), input.as_path()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();

    let root = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
    let mut command = if root {
        let mut setpriv = Command::new("setpriv");
        setpriv.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_sahifa")]);
        setpriv
    } else {
        Command::new(env!("CARGO_BIN_EXE_sahifa"))
    };
    let output = command.args(["build", input.to_str().unwrap(), "--out", out.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Permission denied") && stderr.contains(&parent.display().to_string()), "says where and why: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(read_dir_recursive(&out) == before, "the old bundle is untouched");
    assert_eq!(hidden_folders(&parent), Vec::<String>::new());
}
