//! Properties of the search over many random queries: every hit holds every required word in a form the
//! matching allows (as typed, its stem, without a proclitic, a completion of a word being typed), holds each
//! phrase word after word, and holds no excluded word as typed; and the sharded index of a bundle, read piece
//! by piece from tiny segments and blocks, finds exactly what an in-memory index of the same articles finds.

use sahifa_core::bundle::assemble::assemble_with;
use sahifa_core::bundle::catalog::resolve;
use sahifa_core::bundle::{read_manifest, sort_newest_first, split_request, BundleFile, Catalog, Sizes, MANIFEST_FILE};
use sahifa_core::normalize::normalized_words;
use sahifa_core::parse::parse_page;
use sahifa_core::search::index::{analyze, article_fields, DocumentTerms};
use sahifa_core::search::{Query, SearchIndex};
use sahifa_core::stem::{stem, stem_after_article, without_clitic, without_conjunction};
use sahifa_core::synth::{Rng, Synth};
use sahifa_core::Article;
use std::collections::HashSet;

/// A document's keys, as sets to ask of.
struct Keys {
    surface: HashSet<String>,
    stems: HashSet<String>,
    clitics: HashSet<String>,
    /// Each surface word's positions, to check phrases.
    positions: Vec<(String, Vec<u32>)>,
}

impl Keys {
    fn of(terms: DocumentTerms) -> Keys {
        Keys {
            surface: terms.surface.iter().map(|(word, _, _)| word.clone()).collect(),
            stems: terms.stems.into_iter().map(|(word, _)| word).collect(),
            clitics: terms.clitic_candidates.into_iter().map(|(word, _)| word).collect(),
            positions: terms.surface.into_iter().map(|(word, _, positions)| (word, positions)).collect(),
        }
    }

    fn has_surface_or_clitic(&self, word: &str) -> bool {
        self.surface.contains(word) || self.clitics.contains(word)
    }

    /// Whether the document holds `word` in any form a query word may match. This is the widest reading of
    /// the rules (the engine also weighs how common a form is before it strips a proclitic, and bounds the
    /// completions), so a hit outside it is a hit that should not be.
    fn may_match(&self, word: &str, prefix: bool) -> bool {
        let mut remainders: Vec<&str> = without_conjunction(word).into_iter().collect();
        if let Some(rest) = without_clitic(word) {
            remainders.push(rest);
            remainders.extend(without_clitic(rest));
        }
        self.has_surface_or_clitic(word)
            || self.stems.contains(&stem(word))
            || stem_after_article(word).is_some_and(|kept| self.stems.contains(&kept))
            || remainders.iter().any(|rest| self.has_surface_or_clitic(rest))
            || (prefix && self.surface.iter().chain(&self.clitics).any(|key| key.starts_with(word)))
    }

    fn has_phrase(&self, phrase: &[String]) -> bool {
        let positions_of = |word: &str| self.positions.iter().find(|(key, _)| key == word).map(|(_, positions)| positions.as_slice());
        let Some(first) = positions_of(&phrase[0]) else { return false };
        first.iter().any(|&start| {
            phrase[1..].iter().enumerate().all(|(offset, word)| positions_of(word).is_some_and(|at| at.binary_search(&(start + offset as u32 + 1)).is_ok()))
        })
    }
}

/// Generated articles from the sample pages, in listing order.
fn articles(count: usize) -> Vec<Article> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut samples = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        samples.extend(parse_page(&std::fs::read(entry.unwrap().path()).unwrap()).page.map(|page| page.article));
    }
    samples.sort_by(|a, b| a.id.cmp(&b.id));
    let mut synth = Synth::new(&samples, &[], 11);
    (0..count).map(|serial| synth.next_article(serial)).collect()
}

/// A query as a reader might type it, from the words of one article (so most queries find something): one to
/// three words, sometimes with a proclitic glued on, the last sometimes cut while typed, sometimes a phrase of
/// two neighbouring words, sometimes a word of another article excluded.
fn random_query(rng: &mut Rng, words: &[Vec<String>]) -> String {
    let own = &words[rng.below(words.len())];
    let mut parts: Vec<String> = Vec::new();
    if rng.below(4) == 0 && own.len() > 2 {
        let at = rng.below(own.len() - 1);
        parts.push(format!("«{} {}»", own[at], own[at + 1]));
    }
    for _ in 0..1 + rng.below(3) {
        let word = own[rng.below(own.len())].clone();
        parts.push(match rng.below(6) {
            0 => format!("و{word}"),
            1 if word.starts_with("ال") => format!("ب{word}"),
            _ => word,
        });
    }
    if rng.below(5) == 0 {
        let other = &words[rng.below(words.len())];
        parts.push(format!("-{}", other[rng.below(other.len())]));
    }
    let mut text = parts.join(" ");
    if rng.below(3) == 0 && !text.ends_with(['»', ' ']) && !parts.last().is_some_and(|p| p.starts_with('-')) {
        // The last word still being typed: cut to about two thirds of its letters, no space after it.
        let last: Vec<char> = parts.last().unwrap().chars().collect();
        let keep = (last.len() * 2).div_ceil(3).max(2).min(last.len());
        text = format!("{}{}", &text[..text.len() - parts.last().unwrap().len()], last[..keep].iter().collect::<String>());
    } else {
        text.push(' ');
    }
    text
}

#[test]
fn every_hit_holds_every_required_word_and_the_sharded_index_finds_what_the_in_memory_one_finds() {
    let mut articles = articles(155);
    // Tiny sizes, so that a query crosses many segments, term blocks and postings blocks.
    let sizes = Sizes { segment_unit: 2, doc_block: 16, rows_per_shard: 16, articles_per_shard: 16, position_run: 3, ..Sizes::DEFAULT };
    let files: Vec<BundleFile> = assemble_with(articles.clone(), Vec::new(), "test", sizes);
    sort_newest_first(&mut articles);
    let index = SearchIndex::build(&articles, &[]);
    let keys: Vec<Keys> = articles.iter().map(|article| Keys::of(analyze(&article_fields(article)))).collect();
    let words: Vec<Vec<String>> = articles.iter().map(|a| normalized_words(&format!("{} {}", a.title, a.blocks[0].text))).collect();

    let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
    assert!(manifest.segments.len() >= 4, "{} segments: the archive should be cut into several", manifest.segments.len());
    let mut catalog = Catalog::new(manifest).unwrap();
    let mut read = |request: &str| -> Result<Vec<u8>, String> {
        let (path, range) = split_request(request);
        let bytes = &files.iter().find(|f| f.path == path).ok_or_else(|| path.to_owned())?.bytes;
        Ok(match range {
            Some((offset, len)) => bytes[offset as usize..(offset + len) as usize].to_vec(),
            None => bytes.clone(),
        })
    };

    let mut rng = Rng::new(0x5a41_f1a5);
    let (mut queries_with_hits, mut hits_checked) = (0, 0);
    for _ in 0..400 {
        let text = random_query(&mut rng, &words);
        let query = Query::parse(&text);
        let sharded = resolve(&mut catalog, &mut read, |catalog| catalog.search(&query)).unwrap();
        let in_memory = index.articles.search(&query);
        let docs = |hits: &[sahifa_core::search::Hit]| hits.iter().map(|hit| hit.doc).collect::<Vec<u32>>();
        assert_eq!(docs(&sharded), docs(&in_memory), "«{text}»: the sharded index and the in-memory one disagree");
        let distinct: HashSet<u32> = docs(&sharded).into_iter().collect();
        assert_eq!(distinct.len(), sharded.len(), "«{text}»: a document found twice");
        for hit in &sharded {
            let doc = &keys[hit.doc as usize];
            for (word, prefix) in query.required_words() {
                assert!(doc.may_match(word, prefix), "«{text}»: hit {} lacks «{word}» in every form", hit.doc);
            }
            for phrase in &query.phrases {
                assert!(doc.has_phrase(phrase), "«{text}»: hit {} lacks the phrase {phrase:?}", hit.doc);
            }
            for word in &query.excluded {
                assert!(!doc.surface.contains(word), "«{text}»: hit {} holds the excluded «{word}»", hit.doc);
            }
        }
        // A word typed whole and bare is found wherever a document holds it as typed.
        if let ([word], true, false) = (query.words.as_slice(), query.phrases.is_empty() && query.excluded.is_empty(), query.last_is_prefix) {
            let holding = keys.iter().filter(|doc| doc.surface.contains(word)).count();
            assert!(sharded.len() >= holding, "«{text}»: {} hits, {holding} documents hold the word", sharded.len());
        }
        queries_with_hits += usize::from(!sharded.is_empty());
        hits_checked += sharded.len();
    }
    // The property is only worth something if the random queries mostly find things.
    eprintln!("{queries_with_hits} queries of 400 found something; {hits_checked} hits checked");
    assert!(queries_with_hits >= 300, "{queries_with_hits} of 400 queries found something");
    assert!(hits_checked >= 4_000, "{hits_checked} hits checked");
}


/// Reads a bundle's files from memory, counting the bytes read.
fn reader<'a>(files: &'a [BundleFile], bytes_read: &'a mut usize) -> impl FnMut(&str) -> Result<Vec<u8>, String> + 'a {
    move |request: &str| {
        let (path, range) = split_request(request);
        let bytes = &files.iter().find(|f| f.path == path).ok_or_else(|| path.to_owned())?.bytes;
        let piece = match range {
            Some((offset, len)) => bytes[offset as usize..(offset + len) as usize].to_vec(),
            None => bytes.clone(),
        };
        *bytes_read += piece.len();
        Ok(piece)
    }
}

#[test]
fn the_first_results_read_early_are_the_whole_search_s_first_results() {
    let articles = articles(400);
    // Two leaders per group, so a key held by more than 32 documents of a segment has leaders, and the
    // ties, left-out groups and settling rounds of a large archive come up among a few hundred articles.
    let sizes = Sizes { segment_unit: 4, doc_block: 16, rows_per_shard: 16, articles_per_shard: 16, leaders: 2, position_run: 2, ..Sizes::DEFAULT };
    let files: Vec<BundleFile> = assemble_with(articles.clone(), Vec::new(), "test", sizes);
    let manifest = read_manifest(&files.iter().find(|f| f.path == MANIFEST_FILE).unwrap().bytes).unwrap();
    let mut sorted = articles;
    sort_newest_first(&mut sorted);
    let titles: Vec<Vec<String>> = sorted.iter().map(|a| normalized_words(&a.title)).collect();
    let words: Vec<String> = titles.iter().flatten().cloned().collect();

    let mut rng = Rng::new(0x01ea_de25);
    let (mut fewer_bytes, mut compared, mut shown_early, mut checked_early) = (0, 0, 0, 0);
    for _ in 0..400 {
        let word = &words[rng.below(words.len())];
        // Two consecutive words of a title, so that a phrase of them finds something.
        let title = &titles[rng.below(titles.len())];
        let start = rng.below(title.len().saturating_sub(1).max(1));
        let pair = title.iter().skip(start).take(2).cloned().collect::<Vec<_>>().join(" ");
        let other = &words[rng.below(words.len())];
        let text = match rng.below(6) {
            // A word being typed, cut to about two thirds of its letters.
            0 => word.chars().take((word.chars().count() * 2).div_ceil(3).max(2)).collect(),
            1 => format!("{word} "),
            // A phrase, alone or beside a word; a word with another excluded.
            2 => format!("«{pair}» "),
            3 => format!("{word} «{pair}» "),
            4 => format!("{word} -{other} "),
            _ => word.clone(),
        };
        let query = Query::parse(&text);
        let mut whole_bytes = 0;
        let whole = resolve(&mut Catalog::new(manifest.clone()).unwrap(), &mut reader(&files, &mut whole_bytes), |catalog| catalog.search(&query)).unwrap();
        for limit in [1, 3, 10] {
            let mut first_bytes = 0;
            let first = resolve(&mut Catalog::new(manifest.clone()).unwrap(), &mut reader(&files, &mut first_bytes), |catalog| catalog.search_first(&query, limit)).unwrap();
            let expected = &whole[..whole.len().min(limit)];
            assert_eq!(first, expected, "«{text}», the first {limit}: the first answer differs from the whole search's");
            compared += 1;
            fewer_bytes += usize::from(first_bytes < whole_bytes);
            // What a viewer may show before the whole search: only ever the same first hits.
            let early = resolve(&mut Catalog::new(manifest.clone()).unwrap(), &mut reader(&files, &mut 0), |catalog| catalog.early_first_hits(&query, limit, 1)).unwrap();
            if let Some(early) = early {
                assert_eq!(early.hits, expected, "«{text}», the first {limit} shown early");
                // The count it tells is a true lower bound, and no looser than the hits it holds.
                assert!(early.at_least as usize <= whole.len(), "«{text}»: at least {} hits told, {} found", early.at_least, whole.len());
                assert!(early.at_least as usize >= early.hits.len(), "«{text}»: at least {} hits told, {} shown", early.at_least, early.hits.len());
                shown_early += 1;
                checked_early += usize::from(!query.phrases.is_empty());
                // Not when the leaders stand for fewer bytes than asked.
                let stingy = resolve(&mut Catalog::new(manifest.clone()).unwrap(), &mut reader(&files, &mut 0), |catalog| catalog.early_first_hits(&query, limit, u64::MAX)).unwrap();
                assert_eq!(stingy, None, "«{text}»: shown early though the leaders stand for fewer bytes than asked");
            }
        }
    }
    assert!(shown_early * 5 >= compared, "{shown_early} of {compared} answers could be shown early");
    // The property says something only if the leaders often settle the answer on their own.
    eprintln!("{fewer_bytes} of {compared} answers read fewer bytes than the whole search; {shown_early} could be shown early, {checked_early} of them with a phrase");
    // Phrases are checked on the best candidates first: such answers must come up, or that path goes untested.
    assert!(checked_early * 10 >= compared, "{checked_early} answers with a phrase of {compared} could be shown early");
    assert!(fewer_bytes * 4 >= compared, "{fewer_bytes} of {compared} answers read fewer bytes than the whole search");
}
