//! `sahifa`: the native command line. It reads files and writes folders; every rule about pages, text and
//! the bundle lives in `sahifa-core`.

#![forbid(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod archive;
mod build;
mod bundle_dir;
mod gen_corpus;
mod ingest;
mod inputs;
mod interrupt;
mod list;
mod output;
mod parallel;
mod related;
mod report;
mod runs;
mod search;
mod stories;
mod segments;
mod update;
mod write;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses, as documented in the README.
pub const EXIT_OK: u8 = 0;
pub const EXIT_NOTHING_BUILT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(name = "sahifa", version, about = "Compile Maghress news pages into a static Sahifa bundle")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read every page file under the inputs and write a bundle to --out.
    Build {
        /// Page files, JSON Lines files (`.jsonl`, `.jsonl.gz`: one article per line) or folders of them
        /// (searched recursively).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The bundle folder to write; replaced if it holds an older bundle.
        #[arg(long)]
        out: PathBuf,
        /// Also write the full per-page report as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Exit with status 1 if any page was rejected.
        #[arg(long)]
        strict: bool,
        /// Megabytes of search postings kept in memory before they are written to a temporary run on disk:
        /// lower it to build a large archive on a small machine (the bundle is the same either way).
        #[arg(long, default_value_t = 512)]
        index_memory_mb: usize,
        /// Articles per unit of the merge policy: segments hold a power of two times this many, or fewer.
        /// Updates keep the bundle's. Small values exercise merges in tests.
        #[arg(long, default_value_t = sahifa_core::bundle::Sizes::DEFAULT.segment_unit, hide = true)]
        segment_unit: u32,
        /// The archive's own description (`archive.json`: name, subtitle, description, locale, months,
        /// accent, logo), carried into the manifest: the page title, header, installed app and dates follow it.
        #[arg(long)]
        archive: Option<PathBuf>,
    },
    /// Add pages or JSON Lines to a bundle built by `sahifa build`, rewriting only the segments the merge
    /// policy says; prints how many files and bytes are new (what to upload).
    Update {
        /// The bundle folder to update in place; its old manifest stays until the new files are all written.
        bundle: PathBuf,
        /// Page files, JSON Lines files or folders of them, as for `build`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Also write the full per-input report as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Write the new files (to upload) and the removed ones as JSON here.
        #[arg(long)]
        changes: Option<PathBuf>,
        /// Exit with status 1 if any input was rejected.
        #[arg(long)]
        strict: bool,
        /// As for `build`.
        #[arg(long, default_value_t = 512)]
        index_memory_mb: usize,
        /// A new `archive.json` for the bundle; without it the bundle keeps its own.
        #[arg(long)]
        archive: Option<PathBuf>,
    },
    /// Print every article of a bundle, newest first, as JSON Lines in the input format.
    Export {
        /// A bundle folder written by `sahifa build`.
        dir: PathBuf,
    },
    /// Print every file of a bundle with its size, as JSON: what a host serves and "save for offline" saves.
    Files {
        /// A bundle folder written by `sahifa build`.
        dir: PathBuf,
    },
    /// Search a bundle with the viewer's engine and print the hits, best first.
    Search {
        /// A bundle folder written by `sahifa build`.
        dir: PathBuf,
        /// Words (all must match; the last also as a prefix), "a phrase", -excluded.
        query: String,
        /// Print a JSON array of {id, kind, title, outlet, published, score, excerpt, highlights}.
        #[arg(long)]
        json: bool,
        /// At most this many hits.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Also print on stderr each search-index file the query reads, round by round, with its size: what
        /// the viewer would download for it.
        #[arg(long)]
        explain: bool,
    },
    /// Write a deterministic synthetic corpus of N pages in the seed format, from the built-in sample pages.
    GenCorpus {
        /// How many pages.
        #[arg(long)]
        articles: usize,
        /// Picks one corpus among many; the same seed always gives the same pages.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A new or empty folder (pages go into sub-folders of 1,000), or a file ending in `.jsonl` (JSON
        /// Lines, the input format).
        #[arg(long)]
        out: PathBuf,
        /// Grow this real corpus (JSON Lines, gzipped or not) instead: its articles as they are, then copies
        /// shifted back in time by the corpus's span, with some words replaced by invented names.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Find the articles of the inputs that tell the same story across outlets, and print how many, what it
    /// cost, and a sample of stories to judge by hand. Writes nothing.
    Stories {
        /// Page files, JSON Lines files or folders of them, as for `build`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Print this many stories across outlets, spread over all of them.
        #[arg(long, default_value_t = 50)]
        sample: usize,
    },
    /// Print how many articles of a bundle have related articles, and a sample of them to judge by hand.
    Related {
        /// A bundle folder written by `sahifa build`.
        dir: PathBuf,
        /// Print this many articles with their related ones, spread over the bundle.
        #[arg(long, default_value_t = 50)]
        sample: usize,
    },
    /// Print a bundle's articles, newest first.
    List {
        /// A bundle folder written by `sahifa build`.
        dir: PathBuf,
        /// Print a JSON array of {id, title, outlet, published}.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { inputs, out, report, strict, index_memory_mb, segment_unit, archive } => archive::read(archive.as_deref())
            .and_then(|archive| build::run(&inputs, &out, report.as_deref(), strict, index_memory_mb * 1024 * 1024, segment_unit.max(1), archive.unwrap_or_default())),
        Command::Update { bundle, inputs, report, changes, strict, index_memory_mb, archive } => archive::read(archive.as_deref())
            .and_then(|archive| update::run(&bundle, &inputs, report.as_deref(), changes.as_deref(), strict, index_memory_mb * 1024 * 1024, archive)),
        Command::Files { dir } => list::files(&dir),
        Command::Export { dir } => list::export(&dir),
        Command::List { dir, json } => list::run(&dir, json),
        Command::Related { dir, sample } => related::run(&dir, sample),
        Command::Stories { inputs, sample } => stories::run(&inputs, sample, &std::env::temp_dir().join("sahifa-stories")),
        Command::Search { dir, query, json, limit, explain } => search::run(&dir, &query, json, limit, explain),
        Command::GenCorpus { articles, seed, out, from } => gen_corpus::run(articles, seed, &out, from.as_deref()),
    };
    // After Ctrl-C the handler removes the temporary folders and ends the process with its own status; the
    // build, stopped by it, must not end the process first.
    while interrupt::stopping() {
        std::thread::park();
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("sahifa: error: {message}");
            if interrupt::remove_temporary() > 0 {
                eprintln!("sahifa: the temporary folders are removed; the bundle at the output is as it was");
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}
