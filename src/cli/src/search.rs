//! `sahifa search`: the viewer's search engine over a bundle on disk.

use crate::list::{read_bundle_file, read_bundle_manifest};
use crate::{EXIT_OK, EXIT_USAGE};
use sahifa_core::bundle::{ArticleShard, HeadlinesFile, ListingFile};
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

pub fn run(dir: &Path, text: &str, json: bool, limit: usize) -> std::result::Result<u8, String> {
    let query = Query::parse(text);
    if query.is_empty() {
        eprintln!("sahifa: error: the query {text:?} has no words to search for");
        return Ok(EXIT_USAGE);
    }
    let manifest = read_bundle_manifest(dir)?;
    let listing: ListingFile = read_bundle_file(dir, &manifest.files.listing)?;
    let index: SearchIndex = read_bundle_file(dir, &manifest.files.search_index)?;
    let headlines: HeadlinesFile = read_bundle_file(dir, &manifest.files.headlines)?;

    // Articles and headlines are ranked separately, then merged: more words matched as written first.
    let mut hits: Vec<(Kind, Hit)> = index.articles.search(&query).into_iter().map(|hit| (Kind::Article, hit)).collect();
    hits.extend(index.headlines.search(&query).into_iter().map(|hit| (Kind::Headline, hit)));
    hits.sort_by(|(_, a), (_, b)| b.surface_words.cmp(&a.surface_words).then(b.score.total_cmp(&a.score)));
    hits.truncate(limit);

    let highlighter = Highlighter::new(&query);
    let mut shards: HashMap<usize, ArticleShard> = HashMap::new();
    let mut results = Vec::with_capacity(hits.len());
    for (kind, hit) in hits {
        let result = match kind {
            Kind::Article => {
                let row = listing.rows.get(hit.doc as usize).ok_or("the search index names a row the listing lacks")?;
                let shard = match shards.entry(row.shard) {
                    std::collections::hash_map::Entry::Occupied(loaded) => loaded.into_mut(),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        let name = manifest.files.article_shards.get(row.shard).ok_or("a listing row names a missing shard")?;
                        slot.insert(read_bundle_file(dir, name)?)
                    }
                };
                let article = shard.articles.iter().find(|a| a.id == row.id).ok_or("an article is missing from its shard")?;
                let segments = highlighter.excerpt(article.blocks.iter().map(|b| b.text.as_str()));
                make_result(row.id.clone(), kind, row.title.clone(), row.outlet.clone(), row.published.map(|d| d.to_string()), hit.score, segments)
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
        println!("{}", serde_json::to_string_pretty(&results).expect("results always serialize"));
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
        println!("no match");
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
        println!("{}. [{kind} {:.2}] {} {}", rank + 1, result.score, result.title, if meta.is_empty() { String::new() } else { format!("({meta})") });
        let excerpt: String = result
            .segments
            .iter()
            .map(|s| if s.hit { format!("{open}{}{close}", s.text) } else { s.text.clone() })
            .collect();
        println!("   {excerpt}\n");
    }
}
