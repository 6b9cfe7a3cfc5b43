//! Query tests over the sample corpus: the five real pages, parsed and indexed as `sahifa build` does.

use sahifa_core::bundle::{sort_newest_first, HeadlineCollector};
use sahifa_core::parse::parse_page;
use sahifa_core::search::{plain, Highlighter, Query, SearchIndex};
use sahifa_core::Article;
use std::path::Path;

struct Corpus {
    /// Seed number ("000"…"004") of each article, in listing order.
    seeds: Vec<String>,
    headlines: Vec<String>,
    articles: Vec<Article>,
    index: SearchIndex,
}

fn corpus() -> Corpus {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut pages: Vec<(String, Article)> = Vec::new();
    let mut collector = HeadlineCollector::default();
    let mut names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names {
        let page = parse_page(&std::fs::read(&path).unwrap()).page.unwrap();
        collector.add(&page.headlines);
        let seed = path.file_name().unwrap().to_string_lossy()[..3].to_owned();
        pages.push((seed, page.article));
    }
    let mut articles: Vec<Article> = pages.iter().map(|(_, a)| a.clone()).collect();
    sort_newest_first(&mut articles);
    let seeds = articles.iter().map(|a| pages.iter().find(|(_, p)| p.id == a.id).unwrap().0.clone()).collect();
    let headlines: Vec<String> = collector.finish().into_iter().map(|h| h.text).collect();
    let index = SearchIndex::build(&articles, &headlines);
    Corpus { seeds, headlines, articles, index }
}

impl Corpus {
    /// Seed numbers of the article hits, best first.
    fn find(&self, query: &str) -> Vec<&str> {
        self.index.articles.search(&Query::parse(query)).iter().map(|hit| self.seeds[hit.doc as usize].as_str()).collect()
    }

    fn find_sorted(&self, query: &str) -> Vec<&str> {
        let mut found = self.find(query);
        found.sort();
        found
    }
}

#[test]
fn each_word_finds_the_articles_holding_any_of_its_forms() {
    let corpus = corpus();
    // الإرهاب، الإرهابية، والارهاب، للإرهاب …
    assert_eq!(corpus.find_sorted("الارهاب"), ["000", "001", "002", "003", "004"]);
    // الشرطة، للشرطة، والشرطة، الشرطية … (seed 000 never mentions the police)
    assert_eq!(corpus.find_sorted("الشرطه"), ["001", "002", "003", "004"]);
    // الأنتربول، الإنتربول، أنتربول، للأنتربول …
    assert_eq!(corpus.find_sorted("انتربول"), ["000", "002", "003", "004"]);
    assert_eq!(corpus.find_sorted("الانتربول"), ["000", "002", "003", "004"]);
    // مراكش in 003 and 004, only بمراكش in 001.
    assert_eq!(corpus.find_sorted("مراكش"), ["001", "003", "004"]);
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    let corpus = corpus();
    assert_eq!(corpus.find_sorted("مراك"), ["001", "003", "004"]);
    assert_eq!(corpus.find_sorted("حموش"), ["003"]);
    // Once a space ends the word, it must match whole.
    assert_eq!(corpus.find_sorted("حموش "), ["003"], "the stem of حموشي is حموش");
    assert!(corpus.find("مراك ").is_empty());
    // A word of the archive typed in full is not expanded: its stem already reaches its other forms.
    assert_eq!(corpus.find("مراكش"), corpus.find("مراكش "));
    assert_eq!(corpus.find("الشرطة"), corpus.find("الشرطة "));
}

#[test]
fn words_are_anded_and_a_query_with_no_match_returns_nothing() {
    let corpus = corpus();
    assert_eq!(corpus.find_sorted("انتربول مراكش"), ["003", "004"]);
    assert!(corpus.find("كلمةلاوجودلها").is_empty());
    assert!(corpus.find("انتربول كلمةلاوجودلها").is_empty(), "a query is never shortened until junk matches");
}

#[test]
fn phrases_need_their_words_in_order_and_exclusions_remove_articles() {
    let corpus = corpus();
    assert_eq!(corpus.find_sorted("\"الجريمة المنظمة\""), ["000", "002", "003", "004"]);
    // Seed 001 has both words, but apart; in the other order they never stand together anywhere.
    assert_eq!(corpus.find_sorted("المنظمة الجريمة "), ["000", "001", "002", "003", "004"]);
    assert!(corpus.find("\"المنظمة الجريمة\"").is_empty());
    assert_eq!(corpus.find_sorted("انتربول -حموشي"), ["000", "002", "004"]);
    assert_eq!(corpus.find_sorted("-الشرطة"), ["000"]);
}

#[test]
fn title_matches_and_surface_forms_rank_first() {
    let corpus = corpus();
    assert_eq!(corpus.find("حموشي")[0], "003", "حموشي is in 003's title");
    // الشرطية as written is in 003 and 004; 001 and 002 only share its stem.
    let ranked = corpus.find("الشرطية");
    assert_eq!(ranked.len(), 4);
    let mut surface = ranked[..2].to_vec();
    surface.sort();
    assert_eq!(surface, ["003", "004"]);
}

#[test]
fn headlines_are_searched_too() {
    let corpus = corpus();
    let hits = corpus.index.headlines.search(&Query::parse("umt"));
    assert_eq!(hits.len(), 1);
    assert_eq!(corpus.headlines[hits[0].doc as usize], "نقابة UMT تختم المؤتمر الوطني");
    assert!(!corpus.index.headlines.search(&Query::parse("الكان")).is_empty());
}

#[test]
fn excerpts_highlight_the_original_hamza_forms() {
    let corpus = corpus();
    let query = Query::parse("الانتربول");
    let highlighter = Highlighter::new(&query);
    let article = &corpus.articles[corpus.seeds.iter().position(|s| s == "002").unwrap()];
    let excerpt = highlighter.excerpt(article.blocks.iter().map(|b| b.text.as_str()));
    let marked: Vec<&str> = excerpt.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect();
    assert!(marked.contains(&"الأنتربول"), "{excerpt:?}");
    assert!(plain(&excerpt).contains("الأنتربول"));
    assert!(plain(&excerpt).chars().count() < 400);

    let segments = Highlighter::new(&Query::parse("امن")).segments("في أَمْنٍ وسلام");
    assert_eq!(segments.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect::<Vec<_>>(), ["أَمْنٍ"]);
}

#[test]
fn a_phrase_marks_its_words_only_as_typed_and_loose_words_in_every_form() {
    let marked = |query: &str, text: &str| -> Vec<String> {
        Highlighter::new(&Query::parse(query)).segments(text).into_iter().filter(|s| s.hit).map(|s| s.text).collect()
    };
    // The search finds a phrase by its words as typed: مدير and والمدير are other forms, left unmarked.
    assert_eq!(marked("\"المدير العام\"", "مدير عام، ثم قال المدير العام والمدير"), ["المدير", "العام"]);
    // Outside quotes the same words match by stem and without their proclitic.
    assert_eq!(marked("المدير العام ", "مدير عام، ثم قال المدير العام والمدير"), ["مدير", "عام", "المدير", "العام", "والمدير"]);
}
