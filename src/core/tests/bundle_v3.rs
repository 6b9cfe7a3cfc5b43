//! Format v3 round trips: a bundle laid out in segments and read back through the catalog (directories, id
//! buckets, outlet columns, the search over every segment) gives the same articles in the same order, and the
//! same hits in the same order with the same scores, as the in-memory index built straight from the articles.
//! Run with tiny sizes (many segments, shards of a few rows) and with the default ones on 10,000 generated
//! articles.

use sahifa_core::bundle::assemble::assemble_with;
use sahifa_core::bundle::catalog::resolve;
use sahifa_core::bundle::search_index::KeyRun;
use sahifa_core::bundle::{
    article_of_piece, read_manifest, row_of_piece, split_request, sort_newest_first, ArticleShard, BundleFile, Catalog, FamilyKind, Headline, IdBucket, ListingShard, SourcesShard, Manifest,
    SegmentWriter, Sizes, FOLDERS, MANIFEST_FILE,
};
use sahifa_core::parse::parse_page;
use sahifa_core::search::index::{analyze, article_fields};
use sahifa_core::search::{Query, SearchIndex};
use sahifa_core::synth::Synth;
use sahifa_core::Article;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::Path;

const TINY: Sizes = Sizes { segment_unit: 8, rows_per_shard: 4, row_slot: 2048, articles_per_shard: 3, ids_per_bucket: 4, doc_block: 16, outlet_block_bytes: 64, directory_page_files: 2, sources_per_file: 5, story_block: 6, related_block: 5, inline_root_pages: 512, leaders: 2, position_run: 3 };

struct Bundle {
    files: HashMap<String, Vec<u8>>,
    catalog: Catalog,
}

impl Bundle {
    fn new(files: Vec<BundleFile>) -> Bundle {
        let files: HashMap<String, Vec<u8>> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
        let catalog = Catalog::new(read_manifest(&files[MANIFEST_FILE]).unwrap()).unwrap();
        Bundle { files, catalog }
    }

    fn manifest(&self) -> &Manifest {
        self.catalog.manifest()
    }

    fn ask<T>(&mut self, ask: impl FnMut(&Catalog) -> Result<T, Vec<String>>) -> T {
        let files = &self.files;
        resolve(&mut self.catalog, &mut |request| read(files, request), ask).unwrap()
    }

    fn json<T: DeserializeOwned>(&self, path: &str) -> T {
        serde_json::from_slice(self.files.get(path).unwrap_or_else(|| panic!("{path} is named but missing"))).unwrap()
    }

    fn search(&mut self, query: &str) -> Vec<(u32, u32, i64)> {
        let query = Query::parse(query);
        let hits = self.ask(|catalog| catalog.search(&query));
        hits.iter().map(|h| (h.doc, h.surface_words, (h.score * 1000.0).round() as i64)).collect()
    }
}

/// A whole file, or the piece of one a ranged request names.
fn read(files: &HashMap<String, Vec<u8>>, request: &str) -> Result<Vec<u8>, String> {
    let (path, range) = split_request(request);
    let bytes = files.get(path).ok_or_else(|| format!("{path} missing"))?;
    Ok(match range {
        Some((offset, len)) => bytes.get(offset as usize..(offset + len) as usize).ok_or_else(|| format!("{request} is past the end"))?.to_vec(),
        None => bytes.clone(),
    })
}

/// Document `doc`'s article read from the one piece of its shard that `text` names.
fn article_alone(bundle: &mut Bundle, doc: u32, text: sahifa_core::bundle::TextRange) -> Article {
    let request = bundle.ask(|catalog| catalog.article_piece(doc, text)).expect("the range fits in the shard");
    assert!(split_request(&request).1.is_some(), "{request} is a piece, not the whole shard");
    article_of_piece(&request, &read(&bundle.files, &request).unwrap()).unwrap()
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

fn generated(count: usize, seed: u64) -> Vec<Article> {
    let (samples, _, titles) = seeds();
    let mut synth = Synth::new(&samples, &titles, seed);
    // Two articles in three name their original, so segments with and without addresses both occur.
    (0..count)
        .map(|serial| {
            let mut article = synth.next_article(serial);
            article.url = (serial % 3 != 0).then(|| format!("https://example.org/news/{serial}"));
            article
        })
        .collect()
}

/// `queries` must mostly find something (all but `may_miss` of them), or the comparison would mean little.
fn check_round_trip(articles: Vec<Article>, headlines: Vec<Headline>, sizes: Sizes, queries: &[&str], may_miss: usize) -> Bundle {
    let mut bundle = Bundle::new(assemble_with(articles.clone(), headlines, "test", sizes));
    let mut sorted = articles;
    sort_newest_first(&mut sorted);
    assert_eq!(bundle.manifest().counts.articles as usize, sorted.len());
    assert!(bundle.manifest().segments.len() <= 2 + (sorted.len() as f64 / f64::from(sizes.segment_unit)).log2().max(0.0) as usize);

    // Every global document's listing row, article and outlet come back in listing order.
    let mut listing: HashMap<String, ListingShard> = HashMap::new();
    let mut texts: HashMap<String, ArticleShard> = HashMap::new();
    let mut buckets_read: HashMap<String, IdBucket> = HashMap::new();
    let mut rows_alone = 0;
    for (doc, article) in sorted.iter().enumerate() {
        let doc = doc as u32;
        let row_at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Listing, doc)).unwrap();
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Listing, row_at.segment, row_at.number)).unwrap();
        let shard = listing.entry(path.clone()).or_insert_with(|| bundle.json(&path));
        let row = shard.rows[row_at.index as usize].clone();
        assert_eq!((&row.id, &row.title), (&article.id, &article.title), "row of document {doc}");
        // Where the segment's rows lie in slots, the row is read alone too.
        let slotted = bundle.ask(|catalog| catalog.segment(row_at.segment).map(|segment| segment.listing.slots.get(row_at.number as usize).is_some_and(|&slot| slot > 0)));
        let piece = bundle.ask(|catalog| catalog.row_piece(doc));
        assert_eq!(piece.is_some(), slotted, "document {doc}: a row piece exactly where its shard has slots");
        if let Some(request) = piece {
            assert_eq!(row_of_piece(&request, &read(&bundle.files, &request).unwrap()).unwrap(), row, "row of document {doc} read alone");
            rows_alone += 1;
        }
        assert_eq!(shard.first + row_at.index, bundle.catalog.layout().locate(doc).unwrap().1);

        let text_at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Articles, doc)).unwrap();
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Articles, text_at.segment, text_at.number)).unwrap();
        let shard = texts.entry(path.clone()).or_insert_with(|| bundle.json(&path));
        assert_eq!(&shard.articles[text_at.index as usize], article);
        // Its listing row says which piece of the shard is the article alone.
        let text = row.text.expect("a listing row of this format gives its article's range");
        assert_eq!(&article_alone(&mut bundle, doc, text), article, "document {doc} read alone from its card");

        let outlet_at = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Outlets, doc)).unwrap();
        let path = bundle.ask(|catalog| catalog.file(FamilyKind::Outlets, outlet_at.segment, outlet_at.number)).unwrap();
        let column = bundle.catalog.outlet_block(outlet_at.segment, outlet_at.number, &bundle.files[&path]).expect("an outlet block as its descriptor says");
        let local = column[outlet_at.index as usize];
        let global = bundle.ask(|catalog| catalog.outlet(outlet_at.segment, local));
        let name = global.checked_sub(1).map(|n| bundle.manifest().outlets[n as usize].value.clone());
        assert_eq!(name, article.outlet);

        // The original's address, from the segment's own family of them (none when the segment has none).
        let url = bundle.ask(|catalog| catalog.shard_of(FamilyKind::Sources, doc)).and_then(|at| {
            let path = bundle.ask(|catalog| catalog.file(FamilyKind::Sources, at.segment, at.number)).unwrap();
            let shard: SourcesShard = bundle.json(&path);
            assert_eq!(shard.first + at.index, bundle.catalog.layout().locate(doc).unwrap().1);
            shard.urls[at.index as usize].clone()
        });
        assert_eq!(url, article.url, "address of document {doc}");

        // Every id is found in exactly one segment's bucket, at this document.
        let buckets = bundle.ask(|catalog| catalog.id_buckets(&article.id));
        let found: Vec<(u32, Option<sahifa_core::bundle::TextRange>)> = buckets
            .iter()
            .filter_map(|(segment, path)| {
                let bucket = buckets_read.entry(path.clone()).or_insert_with(|| bundle.json(path));
                let (local, text) = bucket.find(&article.id)?;
                Some((bundle.catalog.layout().global(*segment, local).unwrap(), text))
            })
            .collect();
        assert_eq!(found.iter().map(|&(doc, _)| doc).collect::<Vec<_>>(), [doc]);
        // The bucket says which piece of the article shard is the article alone, for a link opened cold.
        let text = found[0].1.expect("a bucket of this format gives each id's article range");
        assert_eq!(&article_alone(&mut bundle, doc, text), article, "document {doc} read alone from its link");
    }
    // Rows of real news and of the generated corpus fit the default slot (their excerpt is bounded).
    if sizes.row_slot >= Sizes::DEFAULT.row_slot && sorted.iter().all(|article| article.title.len() < 300) {
        assert_eq!(rows_alone, sorted.len(), "every row is read alone");
    }
    // Each document's related articles come back through the catalog, in global numbers, as its segment's
    // own lists: computed among the segment's articles alone.
    let mut segment_docs: Vec<Vec<u32>> = vec![Vec::new(); bundle.manifest().segments.len()];
    for doc in 0..sorted.len() as u32 {
        let (segment, local) = bundle.catalog.layout().locate(doc).unwrap();
        assert_eq!(local as usize, segment_docs[segment].len(), "a segment's documents keep the archive's order");
        segment_docs[segment].push(doc);
    }
    let mut with_related = 0;
    for docs in &segment_docs {
        let signatures: Vec<_> = docs.iter().map(|&doc| {
            let article = &sorted[doc as usize];
            sahifa_core::related::signature(&analyze(&article_fields(article)), sahifa_core::story::fingerprint_article(article))
        }).collect();
        for (local, expected) in sahifa_core::related::related(&signatures).into_iter().enumerate() {
            let expected: Vec<u32> = expected.iter().map(|&other| docs[other as usize]).collect();
            let doc = docs[local];
            assert_eq!(bundle.ask(|catalog| catalog.related(doc)), expected, "related articles of document {doc}");
            with_related += usize::from(!expected.is_empty());
        }
    }
    if sorted.len() >= 1000 {
        assert!(with_related * 2 > sorted.len(), "most articles of a large archive have related ones: {with_related} of {}", sorted.len());
    }

    // Years are ranges of global document numbers.
    for range in &bundle.manifest().years.clone() {
        let docs = range.first as usize..(range.first + range.count) as usize;
        assert!(sorted[docs].iter().all(|a| a.published.unwrap().year == range.year));
    }
    let outlet_total: u32 = bundle.manifest().outlets.iter().map(|o| o.count).sum();
    assert_eq!(outlet_total as usize, sorted.iter().filter(|a| a.outlet.is_some()).count());

    // The search over every segment answers exactly as one in-memory index of the whole archive.
    let reference = SearchIndex::build(&sorted, &[]);
    for query in queries {
        let expected: Vec<(u32, u32, i64)> = reference
            .articles
            .search(&Query::parse(query))
            .iter()
            .map(|h| (h.doc, h.surface_words, (h.score * 1000.0).round() as i64))
            .collect();
        assert_eq!(bundle.search(query), expected, "{query}: hits and order");
    }
    // The comparison means something only if most queries find articles.
    let found_any = queries.iter().filter(|q| !reference.articles.search(&Query::parse(q)).is_empty()).count();
    assert!(found_any + may_miss >= queries.len(), "only {found_any} of {} queries find anything", queries.len());

    // The catalog names every file once, the manifest counts them, and each lies in one of the folders.
    let all = bundle.ask(|catalog| catalog.all_files());
    assert_eq!(all.len() as u64, bundle.manifest().total_files);
    assert_eq!(all.len() + 1, bundle.files.len(), "nothing but the manifest is left unnamed");
    for (path, size) in &all {
        assert_eq!(bundle.files[path].len() as u64, *size, "{path}");
        assert!(FOLDERS.iter().any(|folder| path.starts_with(&format!("{folder}/"))), "{path}");
    }
    bundle
}

const QUERIES: [&str; 14] = [
    "الارهاب", "الشرطه", "انتربول", "مراكش", "مراك", "حموش", "انتربول مراكش", "\"الجريمة المنظمة\"",
    "\"المنظمة الجريمة\"", "انتربول -حموشي", "-الشرطة", "الامن", "التعاون الامني", "كلمةلاوجودلها",
];

fn generated_queries() -> Vec<String> {
    // Rare words of this corpus: invented names of middling rank.
    let rare = [sahifa_core::synth::invented_name(40), sahifa_core::synth::invented_name(900)];
    let prefix: String = rare[0].chars().take(3).collect();
    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    queries.extend([rare[0].clone(), rare[1].clone(), format!("{} الامن", rare[0]), prefix, format!("\"{}\"", rare[1])]);
    queries
}

#[test]
fn the_sample_corpus_round_trips_in_one_segment_and_in_tiny_ones() {
    let (articles, headlines, _) = seeds();
    check_round_trip(articles.clone(), headlines.clone(), Sizes::DEFAULT, &QUERIES, 3);
    let tiny = Sizes { segment_unit: 2, ..TINY };
    let bundle = check_round_trip(articles, headlines, tiny, &QUERIES, 3);
    assert_eq!(bundle.manifest().segments.len(), 2, "5 articles with a unit of 2: segments of 4 and 1");
}

/// The requests of a cold search of `query` (a fresh catalog, which holds only the manifest), round by round,
/// and how many documents it finds.
fn cold_rounds(files: &HashMap<String, Vec<u8>>, query: &str) -> (Vec<Vec<String>>, usize) {
    let mut catalog = Catalog::new(read_manifest(&files[MANIFEST_FILE]).unwrap()).unwrap();
    let query = Query::parse(query);
    let rounds = std::cell::RefCell::new(Vec::<Vec<String>>::new());
    let hits = resolve(
        &mut catalog,
        &mut |request| {
            rounds.borrow_mut().last_mut().expect("a round was opened").push(request.to_owned());
            read(files, request)
        },
        |catalog| {
            rounds.borrow_mut().push(Vec::new());
            catalog.search(&query)
        },
    )
    .unwrap();
    let mut rounds = rounds.into_inner();
    rounds.pop();
    (rounds, hits.len())
}

/// Each round of requests is a round trip on a phone, so a search asks at once for whatever does not depend on
/// what it has not read yet: a glued proclitic's remainder (under another letter of the dictionary) in the
/// same rounds as the word typed, and every word's positions for a phrase in one round.
#[test]
fn a_cold_search_asks_for_independent_pieces_in_the_same_round() {
    let files: HashMap<String, Vec<u8>> = assemble_with(generated(600, 11), Vec::new(), "test", Sizes::DEFAULT).into_iter().map(|f| (f.path, f.bytes)).collect();
    let (plain, found) = cold_rounds(&files, "الامن ");
    assert!(found > 0);
    let (glued, found_glued) = cold_rounds(&files, "والامن ");
    assert_eq!((glued.len(), found_glued), (plain.len(), found), "والامن is read as الامن, in as many rounds: {glued:?}");
    let (phrase, found_phrase) = cold_rounds(&files, "\"الجريمة المنظمة\"");
    assert!(found_phrase > 0);
    let with_positions: Vec<usize> = (0..phrase.len()).filter(|&round| phrase[round].iter().any(|request| request.starts_with("search/positions/"))).collect();
    assert_eq!(with_positions.len(), 1, "both words' positions come in one round: {phrase:?}");
    assert!(phrase[with_positions[0]].len() >= 2, "the positions of both words: {phrase:?}");
}

/// A phrase's first results are checked on the best candidates alone, and read only the runs of the positions
/// chunks that hold them; the whole search reads every run. Both give the same first hits.
#[test]
fn a_phrase_s_first_results_read_the_positions_runs_of_their_candidates_alone() {
    let sizes = Sizes { position_run: 8, ..Sizes::DEFAULT };
    let files: HashMap<String, Vec<u8>> = assemble_with(generated(600, 11), Vec::new(), "test", sizes).into_iter().map(|f| (f.path, f.bytes)).collect();
    let query = Query::parse("\"الجريمة المنظمة\"");
    // Each search on a catalog of its own, with the positions bytes it reads counted.
    let positions_read = |first: Option<usize>| {
        let mut catalog = Catalog::new(read_manifest(&files[MANIFEST_FILE]).unwrap()).unwrap();
        let mut bytes = 0;
        let hits = resolve(
            &mut catalog,
            &mut |request| {
                let piece = read(&files, request)?;
                if request.starts_with("search/positions/") {
                    bytes += piece.len();
                }
                Ok(piece)
            },
            |catalog| match first {
                Some(limit) => catalog.search_first(&query, limit),
                None => catalog.search(&query),
            },
        )
        .unwrap();
        (hits, bytes)
    };
    let (whole, whole_bytes) = positions_read(None);
    let (first, first_bytes) = positions_read(Some(5));
    assert!(whole.len() > 50, "{} hits", whole.len());
    assert_eq!(first, whole[..5]);
    assert!(first_bytes * 4 < whole_bytes, "the first five read {first_bytes} bytes of positions, every hit {whole_bytes}");

    // A phrase that none of its words' documents hold checks every candidate left by its third round: at most
    // two rounds of requests more than the whole search.
    let rounds_of = |query: &Query, first: Option<usize>| {
        let mut catalog = Catalog::new(read_manifest(&files[MANIFEST_FILE]).unwrap()).unwrap();
        let mut rounds = 0;
        let hits = resolve(&mut catalog, &mut |request| read(&files, request), |catalog| {
            rounds += 1;
            match first {
                Some(limit) => catalog.search_first(query, limit),
                None => catalog.search(query),
            }
        })
        .unwrap();
        (hits, rounds)
    };
    let rare = Query::parse("\"المنظمة الجريمة\"");
    let (whole, whole_rounds) = rounds_of(&rare, None);
    let (first, first_rounds) = rounds_of(&rare, Some(1));
    assert!(whole.is_empty(), "{} hits: the phrase should hold nowhere", whole.len());
    assert_eq!(first, whole);
    assert!(first_rounds <= whole_rounds + 2, "{first_rounds} rounds for the first result, {whole_rounds} for every hit");
}

/// The descriptors of a bundle's segments, as the catalog reads them.
fn descriptors(files: &HashMap<String, Vec<u8>>) -> Vec<sahifa_core::bundle::segment::Segment> {
    let mut paths: Vec<&String> = files.keys().filter(|path| path.starts_with("segments/")).collect();
    paths.sort();
    paths.into_iter().map(|path| serde_json::from_slice(&files[path]).unwrap()).collect()
}

/// A segment with small root pages carries them in its descriptor, and a cold search then reads each word's
/// term block at once: one round of requests fewer, the same hits. A copy that does not read is left alone
/// and the pages are fetched as before.
#[test]
fn small_root_pages_travel_in_the_descriptor_and_save_a_round() {
    let articles = generated(600, 11);
    let bundle_with = |inline_root_pages: u32| -> HashMap<String, Vec<u8>> {
        let sizes = Sizes { inline_root_pages, ..Sizes::DEFAULT };
        assemble_with(articles.clone(), Vec::new(), "test", sizes).into_iter().map(|f| (f.path, f.bytes)).collect()
    };
    let (fetched, carried) = (bundle_with(0), bundle_with(Sizes::DEFAULT.inline_root_pages));
    assert!(descriptors(&fetched).iter().all(|segment| segment.search.inline_pages.is_empty()));
    let carrying = descriptors(&carried);
    assert!(carrying.iter().all(|segment| !segment.search.inline_pages.is_empty()), "600 articles' root pages are small");
    let page_requests: Vec<String> = carrying
        .iter()
        .flat_map(|segment| segment.search.pages.iter().map(|page| sahifa_core::bundle::ranged(&segment.search.terms[page.piece.pack as usize], page.piece.offset, page.piece.len)))
        .collect();
    for query in ["الامن ", "والامن ", "\"الجريمة المنظمة\"", "المغرب التعاون "] {
        let (rounds_fetching, hits_fetching) = cold_rounds(&fetched, query);
        let (rounds_carried, hits_carried) = cold_rounds(&carried, query);
        assert!(hits_carried > 0, "{query}");
        assert_eq!(hits_carried, hits_fetching, "{query}");
        assert_eq!(rounds_carried.len() + 1, rounds_fetching.len(), "{query}: {rounds_carried:?} against {rounds_fetching:?}");
        assert!(!rounds_carried.iter().flatten().any(|request| page_requests.contains(request)), "{query} asked for a root page: {rounds_carried:?}");
    }

    // Copies that do not read: the pages are fetched from the pack instead, with the same hits. (A copy cut
    // short by whole letters keeps the pages before the cut; the rest are fetched.)
    type Damage = (fn(&mut String), bool);
    let damages: [Damage; 3] =
        [(|text| text.insert(0, '!'), true), (|text| { text.pop(); }, true), (|text| text.truncate(text.len() - 4), false)];
    for (damage, all_fetched) in damages {
        let mut damaged = carried.clone();
        for path in carried.keys().filter(|path| path.starts_with("segments/")) {
            let mut descriptor: serde_json::Value = serde_json::from_slice(&carried[path]).unwrap();
            let mut text = descriptor["search"]["inline_pages"].as_str().unwrap().to_owned();
            damage(&mut text);
            descriptor["search"]["inline_pages"] = text.into();
            damaged.insert(path.clone(), serde_json::to_vec(&descriptor).unwrap());
        }
        let (rounds, hits) = cold_rounds(&damaged, "الامن ");
        assert_eq!(hits, cold_rounds(&fetched, "الامن ").1);
        if all_fetched {
            assert!(rounds.iter().flatten().any(|request| page_requests.contains(request)), "the pages are fetched: {rounds:?}");
        }
    }
}

#[test]
fn a_shard_with_a_row_longer_than_the_largest_slot_is_read_whole_and_the_others_by_row() {
    let mut articles = generated(40, 11);
    // The newest article's title makes its row longer than the largest slot, and so its shard whole.
    articles.iter_mut().max_by_key(|article| article.published).unwrap().title = "عنوان طويل جدا ".repeat(200);
    let bundle = check_round_trip(articles, Vec::new(), Sizes { segment_unit: 8, ..TINY }, &[], 0);
    let slots: Vec<u16> = descriptors(&bundle.files).iter().flat_map(|segment| segment.listing.slots.clone()).collect();
    assert!(slots.iter().filter(|&&slot| slot == 0).count() == 1 && slots.len() > 5, "{slots:?}");
}

#[test]
fn generated_articles_round_trip_across_many_tiny_segments() {
    let queries = generated_queries();
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    // The invented names of the queries are too rare for a thousand articles: four queries find nothing.
    let mut bundle = check_round_trip(generated(1_133, 3), Vec::new(), TINY, &queries, 4);
    // 1,133 = 141 units of 8 + 5: segments of 1024, 64, 32 and 8 articles, and a tail of 5.
    let sizes: Vec<u32> = bundle.manifest().segments.iter().map(|s| s.documents).collect();
    assert_eq!(sizes, [1024, 64, 32, 8, 5]);
    // Each outlet column in the largest blocks of 16 · 2^k documents that code to 64 bytes at most: the small
    // segments' in one block, the large one's in several, and none smaller than 16 documents.
    let columns: Vec<(u32, u32)> = (0..sizes.len())
        .map(|segment| bundle.ask(|catalog| catalog.segment(segment).map(|loaded| (loaded.outlet_column.per_file, loaded.outlet_column.files))))
        .collect();
    assert_eq!(columns[1..], [(64, 1), (32, 1), (16, 1), (16, 1)]);
    let (per_block, blocks) = columns[0];
    assert!(per_block > 16 && per_block < 1024 && blocks == 1024 / per_block, "{columns:?}");
    for (segment, &(_, blocks)) in columns.iter().enumerate() {
        for number in 0..blocks {
            let path = bundle.ask(|catalog| catalog.file(FamilyKind::Outlets, segment, number)).unwrap();
            assert!(bundle.files[&path].len() <= 64, "{path}: {} bytes", bundle.files[&path].len());
        }
    }
}

#[test]
fn ten_thousand_generated_articles_round_trip() {
    let queries = generated_queries();
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    check_round_trip(generated(10_000, 7), Vec::new(), Sizes::DEFAULT, &queries, 3);
}

#[test]
fn adding_newer_articles_leaves_the_older_segments_files_byte_for_byte() {
    let mut articles = generated(300, 5);
    sort_newest_first(&mut articles);
    // The 40 newest arrive later.
    let (newest, older) = articles.split_at(40);
    let before = assemble_with(older.to_vec(), Vec::new(), "test", TINY);
    let after = assemble_with(articles.clone(), Vec::new(), "test", TINY);
    let manifest = |files: &[BundleFile]| read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
    let (old, new) = (manifest(&before), manifest(&after));
    // 260 = 32 units + 4 → [256, 4]; 300 = 37 units + 4 → [256, 32, 8, 4]: the 256-segment stays.
    assert_eq!(old.segments.iter().map(|s| s.documents).collect::<Vec<_>>(), [256, 4]);
    assert_eq!(new.segments.iter().map(|s| s.documents).collect::<Vec<_>>(), [256, 32, 8, 4]);
    assert_eq!(old.segments[0], new.segments[0]);
    let after_paths: std::collections::HashSet<&str> = after.iter().map(|f| f.path.as_str()).collect();
    let kept = before.iter().filter(|f| after_paths.contains(f.path.as_str())).count();
    let old_segment = Bundle::new(before.clone()).ask(|catalog| catalog.all_files()).len();
    assert!(kept >= old_segment - 20, "the old segment's {old_segment} files stay (kept {kept})");
    assert!(!newest.is_empty());
}

#[test]
fn an_unknown_format_version_is_refused_with_a_clear_message() {
    let error = read_manifest(br#"{"format_version": 2, "files": {}}"#).unwrap_err();
    assert!(error.to_string().contains("format_version 2"), "{error}");
    assert!(error.to_string().contains("rebuild"), "{error}");
}

#[test]
fn postings_taken_out_in_runs_and_merged_back_give_the_same_segment() {
    let mut articles = generated(1_500, 11);
    sort_newest_first(&mut articles);
    let write = |spill_every: Option<usize>| {
        let mut files = Vec::new();
        let mut emit = |file: BundleFile| files.push((file.path, file.bytes));
        let mut writer = SegmentWriter::new(Sizes::DEFAULT);
        let mut runs: Vec<Vec<KeyRun>> = Vec::new();
        for (n, article) in articles.iter().cloned().enumerate() {
            let terms = analyze(&article_fields(&article));
            let story = sahifa_core::story::fingerprint_article(&article);
            writer.add(article, terms, story, &mut emit);
            if spill_every.is_some_and(|every| n % every == every - 1) {
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
        if spill_every.is_none() {
            let descriptor = writer.finish(&mut emit);
            return (files, descriptor);
        }
        runs.push(writer.take_index_run());
        assert_eq!(runs.len(), 3);
        let mut keys: Vec<String> = runs.iter().flatten().map(|run| run.key.clone()).collect();
        keys.sort();
        keys.dedup();
        let merged = keys.into_iter().map(|key| runs.iter().filter_map(|run| run.iter().find(|r| r.key == key).cloned()).collect());
        let descriptor = writer.finish_runs(merged, &mut emit);
        (files, descriptor)
    };
    assert_eq!(write(Some(600)), write(None));
}
