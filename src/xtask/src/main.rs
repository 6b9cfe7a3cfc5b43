//! `cargo xtask`: Sahifa's build glue, in Rust rather than shell. The README's two commands are
//! `cargo xtask serve` and `cargo xtask test`; both install whatever the machine lacks first.

#![forbid(unsafe_code)]

mod churn;
mod fuzz;
mod run;
mod site;
mod toolchain;
mod worker_script;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

  serve          build the sample bundle and the viewer, serve it at http://127.0.0.1:8080
  test           run every test: native, wasm in headless Chromium, and end-to-end against the built site
  build          build the deployable site into dist/ (SAHIFA_PAGES=folder to use your own pages)
  setup          only install the missing tools
  lighthouse     build the site and print Lighthouse's mobile scores for a home and an article page
  bench-scale    --articles N [--corpus FILE] [--seed S] [--work DIR] [--no-pagefind] [--reuse-bundle] [--latency MS]
                 [--phone]: Sahifa against Pagefind on one corpus, generated or real (JSON Lines, grown to N
                 articles), every answer to the measured queries MS late if asked, at a phone's width if asked
                 (BENCHMARKS.md)
  bench-compute  --work DIR [--runs N]: query compute of the search package's wasm under Node, steadier than the
                 browser's figure, beside the native CLI's, over the bundle and queries of a bench-scale run in DIR
  bench-churn    [--corpus FILE] [--articles N] [--work DIR]: build an archive, then update it as a publisher
                 does (+10, +1,000, +1 % newest, one late article): time and new files and bytes of each
  eval-search    [--corpus FILE]... [--queries N] [--no-pagefind]: known-item search per typing habit on the real
                 corpora (../shared/corpora by default), Sahifa beside Pagefind: success@1, success@10, MRR
  bench-session  [--articles N] [--queries Q] [--bare]: queries typed quickly into a large archive: stale results
                 shown, and the tab's memory every 50 queries; --bare: without Playwright, renderer memory only
  fuzz           [--target NAME] [--executions N] [--seed S]: mutate real seeds into every parser and decoder;
                 executions and panics per target (BENCHMARKS.md, Fuzzing); crashing inputs in target/fuzz-crashes/
  finish-site    (Trunk's post-build hook) put the bundle in data/; for release builds also the CSP,
                 the service worker and _headers. Outside Trunk: finish-site --dir DIR [--release]";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "serve" => run::serve(),
        "test" => run::test(),
        "build" => run::build_site(),
        "setup" => toolchain::ensure(toolchain::Needs::Everything),
        "lighthouse" => run::lighthouse(),
        "bench-scale" => run::bench_scale(&std::env::args().skip(2).collect::<Vec<_>>()),
        "bench-compute" => run::bench_compute(&std::env::args().skip(2).collect::<Vec<_>>()),
        "eval-search" => run::eval_search(&std::env::args().skip(2).collect::<Vec<_>>()),
        "bench-session" => run::bench_session(&std::env::args().skip(2).collect::<Vec<_>>()),
        "bench-churn" => run::build_cli().and_then(|_| churn::bench_churn(&std::env::args().skip(2).collect::<Vec<_>>())),
        "fuzz" => fuzz::fuzz(&std::env::args().skip(2).collect::<Vec<_>>()),
        "finish-site" => run::finish_site(&std::env::args().skip(2).collect::<Vec<_>>()),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("[xtask] error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: xtask lives in src/xtask.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root exists")
}

fn say(message: &str) {
    eprintln!("[xtask] {message}");
}
