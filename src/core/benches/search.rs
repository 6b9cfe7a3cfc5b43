//! Normalization throughput and query latency on a generated corpus of 10,000 articles.
//! Run: `cargo bench -p sahifa-core --bench search` (figures in BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sahifa_core::bundle::sort_newest_first;
use sahifa_core::normalize::{normalize, normalized_words};
use sahifa_core::parse::parse_page;
use sahifa_core::search::{Highlighter, Query, SearchIndex};
use sahifa_core::synth::Synth;
use sahifa_core::Article;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

const ARTICLES: usize = 10_000;

/// The five seed pages, parsed, and the sidebar headlines they carry.
fn seeds() -> (Vec<Article>, Vec<String>, String) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut articles = Vec::new();
    let mut headlines = Vec::new();
    let mut raw = String::new();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        raw.push_str(std::str::from_utf8(&bytes).unwrap());
        let page = parse_page(&bytes).page.unwrap();
        headlines.extend(page.headlines);
        articles.push(page.article);
    }
    (articles, headlines, raw)
}

fn bench(c: &mut Criterion) {
    let (samples, headlines, raw) = seeds();

    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(raw.len() as u64));
    group.bench_function("normalize (seed pages)", |b| b.iter(|| normalize(black_box(&raw))));
    group.bench_function("normalize + split words (seed pages)", |b| b.iter(|| normalized_words(black_box(&raw))));
    group.finish();

    let mut synth = Synth::new(&samples, &headlines, 42);
    let mut articles: Vec<Article> = (0..ARTICLES).map(|serial| synth.next_article(serial)).collect();
    sort_newest_first(&mut articles);
    let started = Instant::now();
    let index = SearchIndex::build(&articles, &[]);
    eprintln!("in-memory index of {ARTICLES} articles: built in {:.2?}, {} surface keys", started.elapsed(), index.articles.surface.len());
    // The same articles as a format v2 bundle: what its search files weigh.
    let bundle = sahifa_core::bundle::assemble(articles.clone(), Vec::new(), "bench");
    let search_bytes: usize = bundle.iter().filter(|file| file.path.starts_with("search/")).map(|file| file.bytes.len()).sum();
    eprintln!("format v2 search files: {:.1} MB raw", search_bytes as f64 / 1e6);

    let queries = [
        ("rare word", "حموشي"),
        ("frequent word", "الامن"),
        ("two words", "التعاون الامني"),
        ("prefix while typing", "مراك"),
        ("phrase", "\"الجريمة المنظمة\""),
        ("exclusion", "الانتربول -مراكش"),
        ("no match", "كلمةلاوجودلها"),
    ];
    let mut group = c.benchmark_group("query 10k articles");
    for (name, text) in queries {
        let query = Query::parse(text);
        eprintln!("{name:>20} {text:<24} {} hits", index.articles.search(&query).len());
        group.bench_with_input(BenchmarkId::from_parameter(name), &query, |b, query| {
            b.iter(|| index.articles.search(black_box(query)))
        });
    }
    group.finish();

    // What the viewer does per card: mark the matches in an excerpt of the article.
    let highlighter = Highlighter::new(&Query::parse("التعاون الامني"));
    let article = &articles[0];
    c.bench_function("excerpt of one article", |b| {
        b.iter(|| highlighter.excerpt(black_box(article).blocks.iter().map(|b| b.text.as_str())))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
