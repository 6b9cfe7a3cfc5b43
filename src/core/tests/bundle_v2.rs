//! Format v2 round trips: a bundle written by `BundleWriter` and read back through its directories, id
//! buckets and sharded search index gives the same articles, and the same hits in the same order, as the
//! in-memory index built straight from the articles. Run on the five sample pages and on 10,000 generated
//! articles.

use sahifa_core::bundle::{
    assemble, id_bucket, read_manifest, sort_newest_first, ArticleShard, DirectoryPage, Family, Headline, IdBucket,
    ListingShard, Manifest, FOLDERS, MANIFEST_FILE,
};
use sahifa_core::parse::parse_page;
use sahifa_core::search::sharded::{search_with, SearchRoot};
use sahifa_core::search::{Query, SearchIndex, ShardedIndex};
use sahifa_core::synth::Synth;
use sahifa_core::Article;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::Path;

struct Bundle {
    files: HashMap<String, Vec<u8>>,
    manifest: Manifest,
}

impl Bundle {
    fn new(articles: Vec<Article>, headlines: Vec<Headline>) -> Bundle {
        let files: HashMap<String, Vec<u8>> = assemble(articles, headlines, "test").into_iter().map(|f| (f.path, f.bytes)).collect();
        let manifest = read_manifest(&files[MANIFEST_FILE]).unwrap();
        Bundle { files, manifest }
    }

    fn json<T: DeserializeOwned>(&self, path: &str) -> T {
        serde_json::from_slice(self.files.get(path).unwrap_or_else(|| panic!("{path} is named but missing"))).unwrap()
    }

    /// Every file of a family, in order, through its directory pages.
    fn family(&self, family: &Family) -> Vec<String> {
        let names: Vec<String> =
            family.directory.iter().flat_map(|page| self.json::<DirectoryPage>(page).files).map(|(path, size)| {
                assert_eq!(self.files[&path].len() as u64, size, "{path}: the directory's size is right");
                path
            }).collect();
        assert_eq!(names.len(), family.files as usize);
        names
    }

    fn search(&self, index: &mut ShardedIndex, query: &str) -> Vec<(u32, u32, i64)> {
        let hits = search_with(index, &Query::parse(query), &mut |path| {
            self.files.get(path).cloned().ok_or_else(|| format!("{path} missing"))
        })
        .unwrap();
        hits.iter().map(|h| (h.doc, h.surface_words, (h.score * 1000.0).round() as i64)).collect()
    }
}

fn seeds() -> (Vec<Article>, Vec<Headline>, Vec<String>) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut collector = sahifa_core::bundle::HeadlineCollector::default();
    let mut articles = Vec::new();
    let mut titles = Vec::new();
    for path in paths {
        let page = parse_page(&std::fs::read(path).unwrap()).page.unwrap();
        collector.add(&page.headlines);
        titles.extend(page.headlines);
        articles.push(page.article);
    }
    (articles, collector.finish(), titles)
}

fn check_round_trip(articles: Vec<Article>, headlines: Vec<Headline>, queries: &[&str]) {
    let bundle = Bundle::new(articles.clone(), headlines.clone());
    let mut sorted = articles;
    sort_newest_first(&mut sorted);
    let manifest = &bundle.manifest;
    assert_eq!(manifest.counts.articles as usize, sorted.len());

    // Articles and listing rows come back in listing order, shard by shard.
    let read_articles: Vec<Article> =
        bundle.family(&manifest.articles).iter().flat_map(|path| bundle.json::<ArticleShard>(path).articles).collect();
    assert_eq!(read_articles, sorted);
    let rows: Vec<_> = bundle.family(&manifest.listing).iter().flat_map(|path| bundle.json::<ListingShard>(path).rows).collect();
    assert_eq!(rows.iter().map(|r| &r.id).collect::<Vec<_>>(), sorted.iter().map(|a| &a.id).collect::<Vec<_>>());

    // Every id is found in its bucket, at its listing position.
    let buckets = bundle.family(&manifest.ids);
    for (doc, article) in sorted.iter().enumerate() {
        let bucket: IdBucket = bundle.json(&buckets[id_bucket(&article.id, manifest.id_bucket_bits) as usize]);
        let found = bucket.ids.binary_search_by(|(id, _)| id.as_str().cmp(&article.id)).unwrap();
        assert_eq!(bucket.ids[found].1 as usize, doc);
    }
    // Years are ranges of document numbers.
    for range in &manifest.years {
        let docs = range.first as usize..(range.first + range.count) as usize;
        assert!(sorted[docs].iter().all(|a| a.published.unwrap().year == range.year));
    }

    // The sharded index answers exactly as the in-memory one.
    let reference = SearchIndex::build(&sorted, &[]);
    let mut sharded = ShardedIndex::new(bundle.json::<SearchRoot>(&manifest.search_root));
    for query in queries {
        let expected: Vec<(u32, u32, i64)> = reference
            .articles
            .search(&Query::parse(query))
            .iter()
            .map(|h| (h.doc, h.surface_words, (h.score * 1000.0).round() as i64))
            .collect();
        let found = bundle.search(&mut sharded, query);
        assert_eq!(found.len(), expected.len(), "{query}: hit counts");
        assert_eq!(found, expected, "{query}: hits and order");
    }
    // The comparison means something only if most queries find articles.
    let found_any = queries.iter().filter(|q| !reference.articles.search(&Query::parse(q)).is_empty()).count();
    assert!(found_any + 3 >= queries.len(), "only {found_any} of {} queries find anything", queries.len());
    // Every file the manifest counts exists, and nothing else but the manifest.
    assert_eq!(manifest.total_files as usize + 1, bundle.files.len());
    // Every file lies in one of the bundle's folders (hosts cache them by folder).
    for path in bundle.files.keys().filter(|path| *path != MANIFEST_FILE) {
        assert!(FOLDERS.iter().any(|folder| path.starts_with(&format!("{folder}/"))), "{path}");
    }
}

const QUERIES: [&str; 14] = [
    "الارهاب", "الشرطه", "انتربول", "مراكش", "مراك", "حموش", "انتربول مراكش", "\"الجريمة المنظمة\"",
    "\"المنظمة الجريمة\"", "انتربول -حموشي", "-الشرطة", "الامن", "التعاون الامني", "كلمةلاوجودلها",
];

#[test]
fn the_sample_corpus_round_trips() {
    let (articles, headlines, _) = seeds();
    check_round_trip(articles, headlines, &QUERIES);
}

#[test]
fn ten_thousand_generated_articles_round_trip() {
    let (samples, headlines, titles) = seeds();
    let mut synth = Synth::new(&samples, &titles, 7);
    let articles: Vec<Article> = (0..10_000).map(|serial| synth.next_article(serial)).collect();
    // Rare words of this corpus: invented names of middling rank.
    let rare = [sahifa_core::synth::invented_name(40), sahifa_core::synth::invented_name(900)];
    let prefix: String = rare[0].chars().take(3).collect();
    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    queries.extend([rare[0].clone(), rare[1].clone(), format!("{} الامن", rare[0]), prefix, format!("\"{}\"", rare[1])]);
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    check_round_trip(articles, headlines, &queries);
}

#[test]
fn an_unknown_format_version_is_refused_with_a_clear_message() {
    let error = read_manifest(br#"{"format_version": 1, "files": {}}"#).unwrap_err();
    assert!(error.to_string().contains("format_version 1"), "{error}");
    assert!(error.to_string().contains("rebuild"), "{error}");
}

#[test]
fn postings_taken_out_in_runs_and_merged_back_give_the_same_bundle() {
    use sahifa_core::bundle::BundleWriter;
    use sahifa_core::search::index::{analyze, article_fields};
    use sahifa_core::search::writer::KeyRun;
    let (samples, headlines, titles) = seeds();
    let mut synth = Synth::new(&samples, &titles, 11);
    let mut articles: Vec<Article> = (0..1_500).map(|serial| synth.next_article(serial)).collect();
    sort_newest_first(&mut articles);
    let in_memory: Vec<(String, Vec<u8>)> =
        assemble(articles.clone(), headlines.clone(), "test").into_iter().map(|f| (f.path, f.bytes)).collect();

    let mut files = Vec::new();
    let mut emit = |file: sahifa_core::bundle::BundleFile| files.push((file.path, file.bytes));
    let mut writer = BundleWriter::new("test");
    let mut runs: Vec<Vec<KeyRun>> = Vec::new();
    for (n, article) in articles.into_iter().enumerate() {
        let terms = analyze(&article_fields(&article));
        writer.add(article, terms, &mut emit);
        if n % 600 == 599 {
            // Through the byte form, as a builder keeping runs on disk would.
            let mut bytes = Vec::new();
            writer.take_index_run().iter().for_each(|run| run.encode(&mut bytes));
            let mut decoded = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                let (run, used) = KeyRun::decode(&bytes[at..]).unwrap();
                decoded.push(run);
                at += used;
            }
            runs.push(decoded);
        }
    }
    runs.push(writer.take_index_run());
    assert_eq!(runs.len(), 3);
    let mut keys: Vec<String> = runs.iter().flatten().map(|run| run.key.clone()).collect();
    keys.sort();
    keys.dedup();
    let merged = keys.into_iter().map(|key| runs.iter().filter_map(|run| run.iter().find(|r| r.key == key).cloned()).collect());
    writer.finish_runs(headlines, merged, &mut emit);
    assert_eq!(files, in_memory);
}
