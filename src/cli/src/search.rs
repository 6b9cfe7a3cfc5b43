//! `sahifa search`: the viewer's search engine over a bundle on disk.

use crate::output::outln;
use crate::bundle_dir::BundleOnDisk;
use crate::{EXIT_OK, EXIT_USAGE};
use sahifa_core::bundle::{ArticleShard, FamilyKind, HeadlinesFile};
use sahifa_core::search::{plain, Highlighter, Hit, Query, SearchIndex, Segment};
use serde::Serialize;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Article,
    Headline,
}

#[derive(Serialize)]
struct Result {
    id: String,
    kind: Kind,
    title: String,
    outlet: Option<String>,
    published: Option<String>,
    score: f32,
    excerpt: String,
    /// The matched words as they are written in the excerpt.
    highlights: Vec<String>,
    #[serde(skip)]
    segments: Vec<Segment>,
}

pub fn run(dir: &Path, text: &str, json: bool, limit: usize, explain: bool) -> std::result::Result<u8, String> {
    let query = Query::parse(text);
    if query.is_empty() {
        eprintln!("sahifa: error: the query {text:?} has no words to search for");
        return Ok(EXIT_USAGE);
    }
    let mut bundle = BundleOnDisk::open(dir)?;
    let mut read_files = 0;
    let mut read_bytes = 0;
    let mut round = 0;
    let article_hits = {
        let dir = bundle.dir.clone();
        let read = &mut |path: &str| -> std::result::Result<Vec<u8>, String> {
            let bytes = crate::bundle_dir::read_file(&dir, path)?;
            if explain {
                eprintln!("read {path} ({} bytes)", bytes.len());
            }
            read_files += 1;
            read_bytes += bytes.len();
            Ok(bytes)
        };
        sahifa_core::bundle::catalog::resolve(&mut bundle.catalog, read, |catalog| {
            // Only the hits printed: a frequent word's leaders usually settle them without its every posting.
            let answer = catalog.search_first(&query, limit);
            if explain {
                if let Err(missing) = &answer {
                    round += 1;
                    let requests = sahifa_core::bundle::coalesce(missing, sahifa_core::bundle::JOIN_GAP).len();
                    eprintln!("round {round}: {} files ({requests} requests over HTTP, neighbouring pieces joined)", missing.len());
                }
            }
            answer
        })?
    };
    if explain {
        eprintln!("the query read {read_files} files (segment descriptors and search files), {read_bytes} bytes in all (uncompressed)");
        // With everything loaded, the search alone: the whole of it, as a warm query in the viewer computes it
        // (it lists every hit), and the first results this command prints.
        let runs = 20;
        let time = |ask: &dyn Fn() -> std::result::Result<Vec<Hit>, sahifa_core::search::rank::Missing>| {
            let started = std::time::Instant::now();
            for _ in 0..runs {
                let _ = ask();
            }
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
        };
        // The whole search may want pieces the first results did not: they are read first, not timed, and
        // counted, since the viewer, which lists and counts every hit, reads them too.
        let (mut more_files, mut more_bytes) = (0, 0);
        let mut read = |path: &str| {
            let bytes = crate::bundle_dir::read_file(&bundle.dir, path)?;
            more_files += 1;
            more_bytes += bytes.len();
            Ok(bytes)
        };
        sahifa_core::bundle::catalog::resolve(&mut bundle.catalog, &mut read, |catalog| catalog.search(&query))?;
        eprintln!("the whole search (every hit, as the viewer lists them) reads {more_files} more files, {more_bytes} more bytes");
        let whole = time(&|| bundle.catalog.search(&query));
        let first = time(&|| bundle.catalog.search_first(&query, limit));
        eprintln!("computing it again with every piece loaded takes {whole:.2} ms (the first {limit} results alone: {first:.2} ms)");
    }
    let headlines: HeadlinesFile = bundle.read_json(&bundle.catalog.manifest().headlines.clone())?;
    let headline_texts: Vec<String> = headlines.headlines.iter().map(|h| h.text.clone()).collect();
    let headline_index = SearchIndex::build(&[], &headline_texts).headlines;

    // Articles and headlines are ranked separately, then merged by the same order.
    let mut hits: Vec<(Kind, Hit)> = article_hits.into_iter().map(|hit| (Kind::Article, hit)).collect();
    hits.extend(headline_index.search(&query).into_iter().map(|hit| (Kind::Headline, hit)));
    hits.sort_by(|(_, a), (_, b)| sahifa_core::search::rank::best_first(a, b));
    hits.truncate(limit);

    let highlighter = Highlighter::new(&query);
    let mut shards: HashMap<String, ArticleShard> = HashMap::new();
    let mut results = Vec::with_capacity(hits.len());
    for (kind, hit) in hits {
        let result = match kind {
            Kind::Article => {
                let at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Articles, hit.doc))?.ok_or("a search hit is past the archive's end")?;
                let path = bundle.ask(|catalog| catalog.file(FamilyKind::Articles, at.segment, at.number))?.ok_or("an article shard is missing from its directory")?;
                if !shards.contains_key(&path) {
                    let shard = bundle.read_json(&path)?;
                    shards.insert(path.clone(), shard);
                }
                let article = shards[&path].articles.get(at.index as usize).ok_or("a search hit is missing from its shard")?;
                let segments = highlighter.excerpt(article.blocks.iter().map(|b| b.text.as_str()));
                let published = article.published.map(|d| d.to_string());
                make_result(article.id.clone(), kind, article.title.clone(), article.outlet.clone(), published, hit.score, segments)
            }
            Kind::Headline => {
                let headline = headlines.headlines.get(hit.doc as usize).ok_or("the search index names a missing headline")?;
                let segments = highlighter.segments(&headline.text);
                make_result(headline.id(), kind, headline.text.clone(), None, None, hit.score, segments)
            }
        };
        results.push(result);
    }

    if json {
        outln!("{}", serde_json::to_string_pretty(&results).expect("results always serialize"));
    } else {
        print_human(&results);
    }
    Ok(EXIT_OK)
}

fn make_result(id: String, kind: Kind, title: String, outlet: Option<String>, published: Option<String>, score: f32, segments: Vec<Segment>) -> Result {
    let excerpt = plain(&segments);
    let highlights = segments.iter().filter(|s| s.hit).map(|s| s.text.clone()).collect();
    Result { id, kind, title, outlet, published, score, excerpt, highlights, segments }
}

fn print_human(results: &[Result]) {
    if results.is_empty() {
        outln!("no match");
        return;
    }
    // Bold on a terminal; brackets when piped, so matches still show.
    let (open, close) = if std::io::stdout().is_terminal() { ("\x1b[1m", "\x1b[0m") } else { ("[", "]") };
    for (rank, result) in results.iter().enumerate() {
        let kind = match result.kind {
            Kind::Article => "article",
            Kind::Headline => "headline",
        };
        let meta = [result.outlet.as_deref(), result.published.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
        outln!("{}. [{kind} {:.2}] {} {}", rank + 1, result.score, result.title, if meta.is_empty() { String::new() } else { format!("({meta})") });
        let excerpt: String = result
            .segments
            .iter()
            .map(|s| if s.hit { format!("{open}{}{close}", s.text) } else { s.text.clone() })
            .collect();
        outln!("   {excerpt}\n");
    }
}
