//! Installing the toolchain from the registries this machine can reach (see ../shared/TOOLCHAIN.md): each
//! check is quick when the tool is already there, so a ready machine starts in seconds.

use crate::{repo_root, say};
use std::path::PathBuf;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_PACK_VERSION: &str = "0.15.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// What building and serving the site needs.
    Build,
    /// Also Chromium, its driver and the end-to-end test packages.
    Everything,
}

pub fn ensure(needs: Needs) -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", TRUNK_VERSION, &["install", "trunk", "--version", TRUNK_VERSION, "--locked"], "about 10 minutes")?;
    // The CLI must match the wasm-bindgen crate in Cargo.lock exactly. `--locked` fails for this crate on
    // crates.io today (a locked dependency is gone), so it is installed unlocked, as TOOLCHAIN.md says.
    let bindgen = locked_version("wasm-bindgen")?;
    ensure_cargo_tool("wasm-bindgen", &bindgen, &["install", "wasm-bindgen-cli", "--version", &bindgen], "about 3 minutes")?;
    // The search package is built with wasm-pack; with `--mode no-install` it uses the wasm-bindgen above and
    // npm's wasm-opt, and downloads nothing.
    ensure_cargo_tool("wasm-pack", WASM_PACK_VERSION, &["install", "wasm-pack", "--version", WASM_PACK_VERSION, "--locked"], "about 3 minutes")?;
    ensure_node_packages()?;
    if needs == Needs::Everything {
        ensure_chromium()?;
    }
    say("fetching crates so Trunk can build offline");
    run_checked(Command::new("cargo").args(["fetch", "--quiet"]).current_dir(repo_root()))
}

/// PATH with the project's node binaries (wasm-opt from npm `binaryen`) and cargo's install folder first.
/// Debian's own wasm-opt is too old and produces a broken app, so ours must win.
pub fn tool_path() -> String {
    let mut paths = vec![repo_root().join("node_modules/.bin"), cargo_bin_dir()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).expect("paths join").to_string_lossy().into_owned()
}

fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    say("installing the wasm32-unknown-unknown target (seconds)");
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_cargo_tool(binary: &str, version: &str, install_args: &[&str], duration: &str) -> Result<(), String> {
    let version_of = || output_of(Command::new(binary).arg("--version").env("PATH", tool_path()));
    let found = version_of();
    let matches = |text: &Option<String>| text.as_deref().is_some_and(|t| t.split_whitespace().nth(1) == Some(version));
    if matches(&found) {
        return Ok(());
    }
    let had = found.map(|text| format!(" (found {})", text.trim())).unwrap_or_default();
    say(&format!("installing {binary} {version}{had} with cargo install; this takes {duration} once"));
    // `--force`: cargo skips a crate its records say is installed, even when the binary is gone or another
    // version; this branch only runs when the binary on PATH is not the one we need.
    run_checked(Command::new("cargo").args(install_args).arg("--force"))?;
    let now = version_of();
    if !matches(&now) {
        return Err(format!("after installing, `{binary} --version` says {now:?}, not {version}: is {} on PATH?", cargo_bin_dir().display()));
    }
    Ok(())
}

/// The version of `package` that Cargo.lock resolved.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

fn ensure_node_packages() -> Result<(), String> {
    let root = repo_root();
    let manifest = std::fs::read_to_string(root.join("package.json")).map_err(|e| format!("cannot read package.json: {e}"))?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).map_err(|e| format!("package.json: {e}"))?;
    let wanted = manifest["devDependencies"].as_object().cloned().unwrap_or_default();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(name, version)| installed_node_version(&root, name).as_deref() != version.as_str())
        .map(|(name, version)| format!("{name}@{}", version.as_str().unwrap_or("?")))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    say(&format!("installing node packages ({})", missing.join(", ")));
    // Not `npm ci`: the lock file is written without download addresses (this workplace's npm setting), and
    // `npm ci` then rejects it for the optional per-platform packages it could not record. `npm install
    // --no-save` follows the same lock file and leaves package.json and the lock untouched.
    run_checked(Command::new("npm").args(["install", "--no-save", "--no-audit", "--no-fund"]).current_dir(&root))?;
    let still_missing: Vec<&String> =
        wanted.iter().filter(|(name, version)| installed_node_version(&root, name).as_deref() != version.as_str()).map(|(name, _)| name).collect();
    if still_missing.is_empty() {
        Ok(())
    } else {
        Err(format!("npm did not install the pinned versions of {still_missing:?}"))
    }
}

fn installed_node_version(root: &std::path::Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join("node_modules").join(name).join("package.json")).ok()?;
    let package: serde_json::Value = serde_json::from_str(&text).ok()?;
    package["version"].as_str().map(str::to_owned)
}

fn ensure_chromium() -> Result<(), String> {
    if PathBuf::from(CHROMIUM).is_file() && PathBuf::from(CHROMEDRIVER).is_file() {
        return Ok(());
    }
    let is_root = output_of(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err(format!(
            "{CHROMIUM} and {CHROMEDRIVER} are needed for the browser tests: run `sudo apt-get install chromium chromium-driver`"
        ));
    }
    say("installing Chromium and ChromeDriver from Debian (about 30 seconds)");
    run_checked(Command::new("apt-get").arg("update").arg("-qq"))?;
    run_checked(Command::new("apt-get").args(["install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"]))
}

/// Runs a command, streaming its output, and fails with its name if it fails.
pub fn run_checked(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

fn output_of(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
