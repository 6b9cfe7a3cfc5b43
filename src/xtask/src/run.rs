//! The tasks behind the README's commands.

use crate::toolchain::{ensure, run_checked, tool_path, Needs, CHROMEDRIVER};
use crate::site::Site;
use crate::{repo_root, say};
use sahifa_core::offline::{SEARCH_PACKAGE_FOLDER, SEARCH_PACKAGE_SCRIPT, SEARCH_PACKAGE_TYPES, SEARCH_PACKAGE_WASM, SEARCH_WORKER_SCRIPT};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sample corpus: the five real Maghress pages.
const SAMPLE_PAGES: &str = "tests/fixtures/seeds";
/// What the sample archive says about itself (`sahifa build --archive`).
const SAMPLE_ARCHIVE: &str = "tests/fixtures/archive.json";

pub fn serve() -> Result<(), String> {
    ensure(Needs::Build)?;
    build_cli()?;
    // A development build: Trunk rebuilds on every change and no service worker caches old code.
    say("building the viewer and serving it at http://127.0.0.1:8080 (Ctrl-C to stop)");
    run_checked(&mut trunk(&["serve"]))
}

pub fn build_site() -> Result<(), String> {
    build_site_with(Needs::Build)
}

/// The site for a benchmark that drives Chromium: on a new machine the browser is installed first, as the
/// test command does, so the benchmark does not stop after a quarter of an hour of building for want of it.
fn build_site_for_browser() -> Result<(), String> {
    build_site_with(Needs::Everything)
}

fn build_site_with(needs: Needs) -> Result<(), String> {
    ensure(needs)?;
    build_cli()?;
    say("building the site into dist/");
    run_checked(&mut trunk(&["build", "--release"]))
}

pub fn test() -> Result<(), String> {
    ensure(Needs::Everything)?;
    let root = repo_root();
    // A test run compiles once: incremental caches would only fill the disk (4 GB on a clean clone).
    std::env::set_var("CARGO_INCREMENTAL", "0");
    say("native tests: core and CLI");
    run_checked(Command::new("cargo").args(["test", "--workspace", "--exclude", "sahifa-app"]).current_dir(&root))?;
    say("native tests of the viewer: the first screen drawn at build time");
    run_checked(Command::new("cargo").args(["test", "--package", "sahifa-app", "--lib"]).current_dir(&root))?;
    say("wasm component tests in headless Chromium");
    run_checked(
        Command::new("cargo")
            .args(["test", "--package", "sahifa-app", "--target", "wasm32-unknown-unknown"])
            .env("PATH", tool_path())
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .current_dir(&root),
    )?;
    build_cli()?;
    say("building the site for the end-to-end tests");
    run_checked(&mut trunk(&["build", "--release"]))?;
    say("end-to-end tests in headless Chromium");
    let mut e2e: Vec<PathBuf> = std::fs::read_dir(root.join("tests/e2e"))
        .map_err(|e| format!("cannot list tests/e2e: {e}"))?
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    e2e.sort();
    run_checked(Command::new("node").arg("--test").args(&e2e).current_dir(&root))
}

/// A benchmark, not a test: Lighthouse's four scores for the built site (figures go to BENCHMARKS.md).
pub fn lighthouse() -> Result<(), String> {
    build_site_for_browser()?;
    say("running Lighthouse (mobile preset) in headless Chromium");
    run_checked(Command::new("node").arg("tests/perf/lighthouse.mjs").current_dir(repo_root()))
}

/// A benchmark, not a test: the scale comparison with Pagefind (`tests/perf/scale.mjs`).
pub fn bench_scale(args: &[String]) -> Result<(), String> {
    build_site_for_browser()?;
    if !Path::new("/usr/bin/time").is_file() {
        say("installing GNU time from Debian, to measure peak memory");
        run_checked(Command::new("apt-get").args(["install", "-y", "-qq", "time"]))?;
    }
    say("running the scale benchmark");
    run_checked(Command::new("node").arg("tests/perf/scale.mjs").args(args).current_dir(repo_root()))
}

/// A benchmark, not a test: query compute in wasm under Node and natively, over a bench-scale run's bundle
/// and queries (`tests/perf/compute.mjs`).
pub fn bench_compute(args: &[String]) -> Result<(), String> {
    build_site_for_browser()?;
    say("running the compute benchmark");
    run_checked(Command::new("node").arg("tests/perf/compute.mjs").args(args).current_dir(repo_root()))
}

/// A benchmark, not a test: search quality per typing habit on the real corpora, Sahifa beside Pagefind
/// (`tests/perf/eval.mjs`).
pub fn eval_search(args: &[String]) -> Result<(), String> {
    build_site_for_browser()?;
    say("running the search-quality harness");
    run_checked(Command::new("node").arg("tests/perf/eval.mjs").args(args).current_dir(repo_root()))
}

/// `cargo xtask bench-session`: a long session of queries typed quickly into a large archive, checking for
/// stale results and recording the tab's memory (tests/perf/session.mjs); with `--bare`, the same queries
/// without Playwright, whose DevTools record of every request grows the renderer (tests/perf/session-bare.mjs).
pub fn bench_session(args: &[String]) -> Result<(), String> {
    build_site_for_browser()?;
    let bare = args.iter().any(|arg| arg == "--bare");
    let script = if bare { "tests/perf/session-bare.mjs" } else { "tests/perf/session.mjs" };
    say("running the long-session benchmark");
    run_checked(Command::new("node").arg(script).args(args.iter().filter(|arg| *arg != "--bare")).current_dir(repo_root()))
}

/// Trunk's post-build hook, or a re-run on a built folder (`--dir DIR [--release]`): compile the pages into
/// `data/` (`SAHIFA_PAGES` names a folder of your own pages; `SAHIFA_BUNDLE` a bundle you already built), then
/// finish the site (see `site.rs`).
pub fn finish_site(args: &[String]) -> Result<(), String> {
    let flag_value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let dir = match flag_value("--dir").or_else(|| std::env::var("TRUNK_STAGING_DIR").ok()) {
        Some(dir) => PathBuf::from(dir),
        None => return Err("finish-site runs as a Trunk hook (TRUNK_STAGING_DIR) or with --dir DIR".into()),
    };
    let release = args.iter().any(|a| a == "--release") || std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    let public_url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "./".into());
    // As Trunk's hook, the site is new and needs the search package; a finished site refinished with another
    // bundle (`--dir`) has it already.
    if std::env::var_os("TRUNK_STAGING_DIR").is_some() || !dir.join(SEARCH_PACKAGE_FOLDER).is_dir() {
        stage_search_package(&dir)?;
    }
    stage_bundle(&dir.join(sahifa_core::offline::BUNDLE_FOLDER))?;
    Site { dir, release, public_url }.finish()
}

/// Builds the search package (`src/search-wasm`) with wasm-pack and puts its JS and wasm into the site's
/// `SEARCH_PACKAGE_FOLDER`, where any page can import them (README, "Search from any page"), and writes the
/// search worker's script with the package's JS in it (`worker_script.rs`).
fn stage_search_package(site: &Path) -> Result<(), String> {
    let out = site.join(SEARCH_PACKAGE_FOLDER);
    let root = repo_root();
    let built = root.join("target/search-pkg");
    say("building the search package with wasm-pack");
    run_checked(
        Command::new("wasm-pack")
            .args(["build", "--target", "web", "--mode", "no-install", "--profile", "search-package", "--no-pack", "--out-dir"])
            .arg(&built)
            .arg(root.join("src/search-wasm"))
            .env("PATH", tool_path())
            .current_dir(&root),
    )?;
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let in_folder = |path: &'static str| path.strip_prefix(SEARCH_PACKAGE_FOLDER).expect("the package's files are in its folder");
    for name in [SEARCH_PACKAGE_SCRIPT, SEARCH_PACKAGE_WASM, SEARCH_PACKAGE_TYPES].map(in_folder) {
        std::fs::copy(built.join(name), out.join(name)).map_err(|e| format!("cannot copy the search package's {name}: {e}"))?;
    }
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let package = read(&built.join(in_folder(SEARCH_PACKAGE_SCRIPT)))?;
    let worker = read(&root.join("public").join(SEARCH_WORKER_SCRIPT))?;
    let combined = crate::worker_script::combine(&package, &worker)?;
    std::fs::write(site.join(SEARCH_WORKER_SCRIPT), combined).map_err(|e| format!("cannot write the search worker's script: {e}"))
}

fn stage_bundle(out: &Path) -> Result<(), String> {
    let root = repo_root();
    if let Some(bundle) = std::env::var_os("SAHIFA_BUNDLE") {
        say(&format!("copying the bundle {} into the site", Path::new(&bundle).display()));
        if out.exists() {
            std::fs::remove_dir_all(out).map_err(|e| format!("cannot replace {}: {e}", out.display()))?;
        }
        return copy_dir(Path::new(&bundle), out);
    }
    let own_pages = std::env::var_os("SAHIFA_PAGES").map(PathBuf::from);
    // The sample pages come with the sample archive's description; your own pages with `SAHIFA_ARCHIVE`, or none.
    let archive = std::env::var_os("SAHIFA_ARCHIVE").map(PathBuf::from).or_else(|| own_pages.is_none().then(|| root.join(SAMPLE_ARCHIVE)));
    let pages = own_pages.unwrap_or_else(|| root.join(SAMPLE_PAGES));
    say(&format!("compiling {} into the site's bundle", pages.display()));
    let report = root.join("target/bundle-report.json");
    let mut build = Command::new("cargo");
    build.args(["run", "--quiet", "--profile", "cli", "--bin", "sahifa", "--", "build"]).arg(&pages).arg("--out").arg(out).arg("--report").arg(&report);
    if let Some(archive) = archive {
        build.arg("--archive").arg(archive);
    }
    run_checked(build.current_dir(&root))
}

pub fn build_cli() -> Result<(), String> {
    say("building the sahifa CLI");
    run_checked(Command::new("cargo").args(["build", "--quiet", "--profile", "cli", "--bin", "sahifa"]).current_dir(repo_root()))
}

fn trunk(args: &[&str]) -> Command {
    let mut command = Command::new("trunk");
    command.args(args).env("PATH", tool_path()).current_dir(repo_root());
    command
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().expect("entries have names"));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else if std::fs::hard_link(&path, &target).is_err() {
            // Bundle files never change in place (they are replaced), so a hard link is as good as a copy and
            // costs no space for a bundle of many gigabytes; across file systems it falls back to copying.
            std::fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
