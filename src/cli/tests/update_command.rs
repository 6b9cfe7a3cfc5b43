//! `sahifa update`: an archive updated batch after batch lists and searches exactly as one built from all
//! its articles at once; an update leaves the files of the segments it keeps byte for byte; an interrupted
//! update leaves the old bundle whole.

use sahifa_core::parse::parse_page;
use sahifa_core::synth::{Rng, Synth};
use sahifa_core::Article;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sahifa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sahifa")).args(args).output().expect("sahifa runs")
}

fn ok(args: &[&str]) -> Output {
    let output = sahifa(args);
    assert_eq!(output.status.code(), Some(0), "sahifa {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&ok(args).stdout).unwrap()
}

/// Generated articles, as JSON lines.
fn corpus(count: usize, seed: u64) -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let (mut samples, mut titles) = (Vec::new(), Vec::new());
    for path in paths {
        let page = parse_page(&std::fs::read(path).unwrap()).page.unwrap();
        titles.extend(page.headlines);
        samples.push(page.article);
    }
    let mut synth = Synth::new(&samples, &titles, seed);
    (0..count).map(|serial| line(&synth.next_article(serial))).collect()
}

fn line(article: &Article) -> String {
    let body: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
    serde_json::json!({"title": article.title, "body": body.join("\n"), "outlet": article.outlet, "date": article.published.map(|d| d.to_string())}).to_string()
}

fn write_lines(path: &Path, lines: &[String]) -> String {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

/// Every file of a bundle folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

const QUERIES: [&str; 6] = ["الامن", "التعاون الامني", "مراك", "\"الجريمة المنظمة\"", "الانتربول -مراكش", "حموشي"];

fn view_of(dir: &str) -> (Value, Vec<Value>) {
    let searches = QUERIES.iter().map(|query| json(&["search", dir, query, "--json", "--limit", "1000"])).collect();
    (json(&["list", dir, "--json"]), searches)
}

#[test]
fn an_archive_updated_batch_by_batch_lists_and_searches_as_one_built_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let lines = corpus(240, 21);
    let all = write_lines(&temp.path().join("all.jsonl"), &lines);
    let rebuilt = temp.path().join("rebuilt");
    ok(&["build", &all, "--out", rebuilt.to_str().unwrap(), "--segment-unit", "8"]);
    let expected = view_of(rebuilt.to_str().unwrap());
    assert!(expected.1.iter().all(|hits| !hits.as_array().unwrap().is_empty()), "every query finds something");

    // Random arrival orders (old articles arrive late too) and random batch sizes, small and large.
    let mut rng = Rng::new(0x5eed);
    for case in 0..4 {
        let mut order: Vec<usize> = (0..lines.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let bundle = temp.path().join(format!("case-{case}"));
        let mut at = 0;
        let mut batch = 0;
        while at < order.len() {
            let size = [1, 3, 7, 20, 60][rng.below(5)].min(order.len() - at);
            let part: Vec<String> = order[at..at + size].iter().map(|&n| lines[n].clone()).collect();
            let input = write_lines(&temp.path().join(format!("case-{case}-{batch}.jsonl")), &part);
            if at == 0 {
                ok(&["build", &input, "--out", bundle.to_str().unwrap(), "--segment-unit", "8"]);
            } else {
                ok(&["update", bundle.to_str().unwrap(), &input]);
            }
            at += size;
            batch += 1;
        }
        let manifest: Value = serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
        let segments = manifest["segments"].as_array().unwrap().len();
        assert!(segments <= 2 + (240f64 / 8.0).log2() as usize, "case {case}: {segments} segments");
        let found = view_of(bundle.to_str().unwrap());
        assert_eq!(found.0, expected.0, "case {case}: the listing");
        for (query, (found, expected)) in QUERIES.iter().zip(found.1.iter().zip(&expected.1)) {
            assert_eq!(found, expected, "case {case}: the hits of {query}");
        }
        // The bundle names every file it holds, and nothing it lacks.
        let named: HashSet<String> = json(&["files", bundle.to_str().unwrap()])["files"].as_array().unwrap().iter().map(|f| f[0].as_str().unwrap().to_owned()).collect();
        let on_disk: HashSet<String> = snapshot(&bundle).into_keys().filter(|p| !p.ends_with(".br") && p != "manifest.json").collect();
        assert_eq!(named, on_disk, "case {case}: files left over or missing");
    }
}

#[test]
fn an_update_of_newer_articles_keeps_the_older_segments_byte_for_byte_and_says_what_to_upload() {
    let temp = tempfile::tempdir().unwrap();
    let mut lines = corpus(310, 4);
    // Oldest first, so the last ten are the newest.
    lines.sort_by_key(|line| serde_json::from_str::<Value>(line).unwrap()["date"].as_str().unwrap().to_owned());
    let (old, new) = lines.split_at(300);
    let bundle = temp.path().join("bundle");
    ok(&["build", &write_lines(&temp.path().join("old.jsonl"), old), "--out", bundle.to_str().unwrap()]);
    let before = snapshot(&bundle);
    let changes = temp.path().join("changes.json");
    let output = ok(&["update", bundle.to_str().unwrap(), &write_lines(&temp.path().join("new.jsonl"), new), "--changes", changes.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("new files") && stderr.contains("upload"), "{stderr}");
    let after = snapshot(&bundle);
    let changes: Value = serde_json::from_slice(&std::fs::read(&changes).unwrap()).unwrap();
    // 300 = [256, 44]: the update rewrites the 44-article tail alone.
    let manifest: Value = serde_json::from_slice(&after["manifest.json"]).unwrap();
    let sizes: Vec<u64> = manifest["segments"].as_array().unwrap().iter().map(|s| s[1].as_u64().unwrap()).collect();
    assert_eq!(sizes, [256, 54]);
    let added: HashSet<&str> = changes["added"].as_array().unwrap().iter().map(|f| f[0].as_str().unwrap()).collect();
    let removed: HashSet<&str> = changes["removed"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    for (path, bytes) in &after {
        let plain = path.trim_end_matches(".br");
        if plain == "manifest.json" {
            continue;
        }
        match before.get(path) {
            Some(old) => assert_eq!(old, bytes, "{path} changed in place"),
            None => assert!(added.contains(plain), "{path} is new but not listed to upload"),
        }
    }
    for path in &removed {
        assert!(before.contains_key(*path) && !after.contains_key(*path), "{path}");
    }
    let kept_bytes: u64 = after.iter().filter(|(p, _)| before.contains_key(*p) && !p.ends_with(".br")).map(|(_, b)| b.len() as u64).sum();
    assert!(changes["added_bytes"].as_u64().unwrap() * 3 < kept_bytes, "most bytes are kept: {changes}");
    assert_eq!(json(&["list", bundle.to_str().unwrap(), "--json"]).as_array().unwrap().len(), 310);
}

#[test]
fn an_interrupted_update_leaves_the_old_bundle_whole_and_the_next_one_finishes() {
    let temp = tempfile::tempdir().unwrap();
    let lines = corpus(40, 9);
    let bundle = temp.path().join("bundle");
    let dir = bundle.to_str().unwrap();
    ok(&["build", &write_lines(&temp.path().join("old.jsonl"), &lines[..30]), "--out", dir]);
    let listed = json(&["list", dir, "--json"]);
    let update = write_lines(&temp.path().join("new.jsonl"), &lines[30..]);
    // Something in the way of the new manifest: the update fails after writing its new files.
    std::fs::create_dir(bundle.join("manifest.json.new")).unwrap();
    let failed = sahifa(&["update", dir, &update]);
    assert_eq!(failed.status.code(), Some(2), "{}", String::from_utf8_lossy(&failed.stderr));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("manifest.json.new"));
    assert_eq!(json(&["list", dir, "--json"]), listed, "the old bundle is whole");
    std::fs::remove_dir(bundle.join("manifest.json.new")).unwrap();
    ok(&["update", dir, &update]);
    assert_eq!(json(&["list", dir, "--json"]).as_array().unwrap().len(), 40);
    // Adding the same articles again changes nothing.
    let again = ok(&["update", dir, &update]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("unchanged"));
    let named = json(&["files", dir])["files"].as_array().unwrap().len();
    let on_disk = snapshot(&bundle).into_keys().filter(|p| !p.ends_with(".br") && p != "manifest.json").count();
    assert_eq!(named, on_disk, "the failed update's files were reused, none left over");
}

/// `--archive` carries the publisher's `archive.json` (and its logo) into the manifest; an update keeps it
/// unless given a new one, and a new one alone, with no new article, still reaches the manifest.
#[test]
fn the_archives_own_description_reaches_the_manifest_and_survives_updates() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, first, later) = (dir.path().join("bundle"), dir.path().join("first.jsonl"), dir.path().join("later.jsonl"));
    let lines = corpus(40, 3);
    let (first, later) = (write_lines(&first, &lines[..30]), write_lines(&later, &lines[30..]));
    std::fs::write(dir.path().join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let config = dir.path().join("archive.json");
    std::fs::write(&config, r##"{ "name": "أرشيف الرياض", "subtitle": "أخبار المملكة", "locale": "ar-SA", "accent": "#0b5d3b", "logo": "logo.svg" }"##).unwrap();
    let bundle_arg = bundle.display().to_string();
    ok(&["build", &first, "--out", &bundle_arg, "--archive", &config.display().to_string()]);
    let archive = |bundle: &Path| -> Value { serde_json::from_slice::<Value>(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap()["archive"].clone() };
    let built = archive(&bundle);
    assert_eq!(built["name"], "أرشيف الرياض");
    assert_eq!(built["locale"], "ar-SA");
    assert!(built["logo"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"), "{built}");

    ok(&["update", &bundle_arg, &later]);
    assert_eq!(archive(&bundle), built, "an update without --archive keeps the archive's description");

    std::fs::write(&config, r#"{ "name": "أرشيف جديد" }"#).unwrap();
    ok(&["update", &bundle_arg, &later, "--archive", &config.display().to_string()]);
    assert_eq!(archive(&bundle)["name"], "أرشيف جديد", "every article was there already, and the description still changed");

    // A mistake is named, and nothing is written.
    std::fs::write(&config, r##"{ "name": "x", "accent": "#ffee00" }"##).unwrap();
    let refused = sahifa(&["build", &first, "--out", &dir.path().join("other").display().to_string(), "--archive", &config.display().to_string()]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("\"accent\""), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(!dir.path().join("other").exists());
}
