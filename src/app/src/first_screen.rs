//! The first screen drawn at build time (native only; `cargo xtask finish-site` calls it). The app's own
//! `Shell` draws the plain list of newest articles from the bundle files it needs, which the page then carries
//! (`sahifa_core::first_screen`): the reader sees the list as soon as the page and its stylesheet arrive, and
//! the app, when its wasm has come, starts from the same files and draws the same list in its place. The pages
//! of the articles on that list are drawn too, each with its own few files, for the page to fetch on their
//! addresses (`sahifa_core::first_screen::DrawnArticle`).

use crate::app::Shell;
use crate::components::article_list::unmeasured_rows;
use crate::data::Store;
use crate::nav::Router;
use crate::pwa::Pwa;
use leptos::prelude::*;
use sahifa_core::bundle::catalog::resolve;
use crate::shelf::ShelfStore;
use sahifa_core::bundle::{read_manifest, split_request, Catalog, FamilyKind, ListingShard, MANIFEST_FILE};
use sahifa_core::first_screen::{DrawnArticle, EmbeddedFile, EmbeddedFiles};
use sahifa_core::route::ViewState;
use std::collections::HashMap;

/// The drawn list and the files it was drawn from.
pub struct FirstScreen {
    /// Markup for the page's body, without inline styles (the Content-Security-Policy refuses them; the app
    /// sets the few the list uses when it starts) and without Leptos' hydration marks (the app replaces the
    /// drawing rather than hydrating it).
    pub html: String,
    pub embedded: EmbeddedFiles,
}

/// Draws the home view of the bundle that `read` reads (paths inside the bundle). Only the files the newest
/// rows need are read: the manifest, a segment's descriptor and directory page, a listing shard or two.
pub fn draw_home(read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>) -> Result<FirstScreen, String> {
    let manifest_bytes = read(MANIFEST_FILE)?;
    let manifest = read_manifest(&manifest_bytes).map_err(|error| format!("{MANIFEST_FILE}: {error}"))?;
    let mut files = vec![embedded(MANIFEST_FILE, manifest_bytes)?];
    let mut catalog = Catalog::new(manifest.clone()).map_err(|error| error.to_string())?;
    let mut recording = |path: &str| -> Result<Vec<u8>, String> {
        let bytes = read(path)?;
        files.push(embedded(path, bytes.clone())?);
        Ok(bytes)
    };
    let mut listing_paths: Vec<String> = Vec::new();
    for doc in unmeasured_rows(manifest.counts.articles as usize) {
        let Some(at) = resolve(&mut catalog, &mut recording, |catalog| catalog.shard_of(FamilyKind::Listing, doc as u32))? else { break };
        let path = resolve(&mut catalog, &mut recording, |catalog| catalog.file(FamilyKind::Listing, at.segment, at.number))?;
        let path = path.ok_or_else(|| format!("the bundle names no listing file for document {doc}"))?;
        if !listing_paths.contains(&path) {
            listing_paths.push(path);
        }
    }
    for path in listing_paths {
        let bytes = read(&path)?;
        files.push(embedded(&path, bytes)?);
    }
    let embedded = EmbeddedFiles { files };
    let html = draw(&embedded, ViewState::default())?;
    Ok(FirstScreen { html, embedded })
}

/// Draws the page of each article whose card the first screen `home` shows (`draw_home` of the same bundle),
/// with its id: the page reads only the files `home` carries and, per article, the directory page naming its
/// article shard and its own piece of that shard.
pub fn draw_articles(read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>, home: &FirstScreen) -> Result<Vec<(String, DrawnArticle)>, String> {
    let manifest_text = home.embedded.get(MANIFEST_FILE).ok_or("the first screen carries no manifest")?;
    let manifest = read_manifest(manifest_text.as_bytes()).map_err(|error| format!("{MANIFEST_FILE}: {error}"))?;
    let mut catalog = Catalog::new(manifest.clone()).map_err(|error| error.to_string())?;
    let mut from_home = |path: &str| home.embedded.get(path).map(|text| text.as_bytes().to_vec()).ok_or_else(|| format!("the first screen lacks {path}"));
    let mut drawn = Vec::new();
    let mut shards: HashMap<String, Vec<u8>> = HashMap::new();
    for doc in unmeasured_rows(manifest.counts.articles as usize) {
        let doc = doc as u32;
        let Some(at) = resolve(&mut catalog, &mut from_home, |catalog| catalog.shard_of(FamilyKind::Listing, doc))? else { break };
        let path = resolve(&mut catalog, &mut from_home, |catalog| catalog.file(FamilyKind::Listing, at.segment, at.number))?;
        let path = path.ok_or_else(|| format!("the bundle names no listing file for document {doc}"))?;
        let shard: ListingShard = serde_json::from_str(home.embedded.get(&path).ok_or_else(|| format!("the first screen lacks {path}"))?).map_err(|error| format!("{path}: {error}"))?;
        let row = shard.rows.get(at.index as usize).ok_or_else(|| format!("{path} holds no row {}", at.index))?;
        // An older bundle's rows say nothing of where their articles lie: nothing to draw from.
        let Some(text) = row.text else { continue };
        let mut files: Vec<EmbeddedFile> = Vec::new();
        let mut recording = |path: &str| -> Result<Vec<u8>, String> {
            if let Some(text) = home.embedded.get(path) {
                return Ok(text.as_bytes().to_vec());
            }
            let bytes = read(path)?;
            files.push(embedded(path, bytes.clone())?);
            Ok(bytes)
        };
        // Each drawing carries every file its article needs beyond the page's, whatever another drawing read.
        let mut own_catalog = catalog.clone();
        let Some(request) = resolve(&mut own_catalog, &mut recording, |catalog| catalog.article_piece(doc, text))? else { continue };
        let (path, Some((offset, len))) = split_request(&request) else { continue };
        // The newest articles mostly share a shard: each is read once.
        if !shards.contains_key(path) {
            shards.insert(path.to_owned(), read(path)?);
        }
        let shard_bytes = &shards[path];
        let piece = usize::try_from(offset).ok().zip(usize::try_from(offset + len).ok()).and_then(|(start, end)| shard_bytes.get(start..end));
        files.push(embedded(&request, piece.ok_or_else(|| format!("{request} lies outside its file"))?.to_vec())?);
        let mut page_files = home.embedded.clone();
        page_files.files.extend(files.iter().cloned());
        let html = draw(&page_files, ViewState::default().with_article(&row.id))?;
        let title = manifest.archive.page_title(Some(&row.title));
        drawn.push((row.id.clone(), DrawnArticle { html, files, title }));
    }
    Ok(drawn)
}

/// The files the app reads first on an address the first screen does not draw (`EARLY_FILES_ELEMENT_ID`), as
/// paths inside the bundle: every segment's descriptor that the page `home` does not carry. The store asks for
/// them all as soon as it starts (an article's id or a word may lie in any segment), so the page may as well
/// fetch them beside the wasm.
///
/// [`EARLY_FILES_ELEMENT_ID`]: sahifa_core::first_screen::EARLY_FILES_ELEMENT_ID
pub fn early_files(home: &FirstScreen) -> Result<Vec<String>, String> {
    let manifest_text = home.embedded.get(MANIFEST_FILE).ok_or("the first screen carries no manifest")?;
    let manifest = read_manifest(manifest_text.as_bytes()).map_err(|error| format!("{MANIFEST_FILE}: {error}"))?;
    Ok(manifest.segments.into_iter().map(|segment| segment.file).filter(|path| home.embedded.get(path).is_none()).collect())
}

/// The app's `Shell` for `state`, drawn to markup from `embedded` alone.
fn draw(embedded: &EmbeddedFiles, state: ViewState) -> Result<String, String> {
    // The server-rendering context makes components skip what only a browser can do (window listeners).
    let owner = Owner::new_root(Some(std::sync::Arc::new(hydration_context::SsrSharedContext::new())));
    let html = owner.with(|| -> Result<String, String> {
        let store = Store::for_drawing();
        store.start_from(embedded)?;
        provide_context(store);
        provide_context(Router::fixed(state));
        provide_context(Pwa::inert());
        provide_context(ShelfStore::inert());
        Ok(view! { <Shell/> }.to_html())
    })?;
    Ok(without_inline_styles(&html.replace("<!>", "")))
}

fn embedded(path: &str, bytes: Vec<u8>) -> Result<EmbeddedFile, String> {
    let text = String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))?;
    Ok(EmbeddedFile { path: path.to_owned(), text })
}

/// Removes `style="…"` attributes from tags. Leptos escapes text and attribute values, so outside tags text
/// holds no `<`, and inside one a quoted value holds no `"`: a tag runs from `<` to the first `>` outside quotes.
fn without_inline_styles(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let mut quoted = false;
        let end = rest.char_indices().find(|&(_, c)| {
            quoted ^= c == '"';
            c == '>' && !quoted
        });
        let end = end.map_or(rest.len(), |(at, _)| at + 1);
        let mut tag = &rest[..end];
        while let Some(at) = tag.find(" style=\"") {
            out.push_str(&tag[..at]);
            let value = &tag[at + " style=\"".len()..];
            tag = value.find('"').map_or("", |close| &value[close + 1..]);
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use sahifa_core::bundle::assemble::assemble_with;
    use sahifa_core::bundle::Sizes;
    use sahifa_core::{Article, Block, BlockKind};

    #[test]
    fn the_early_files_are_the_descriptors_the_page_does_not_carry() {
        // More articles than the first screen's rows, in segments of 32, 16 and 8 and a tail of 4: the first
        // screen carries the descriptors of the segments its rows reach; the page fetches the rest early.
        let total = 60;
        assert!(unmeasured_rows(total).end < total);
        let articles: Vec<Article> = (0..total)
            .map(|n| Article {
                id: format!("a{n}"),
                title: format!("عنوان {n}"),
                outlet: Some("منبر".into()),
                published: Some(sahifa_core::Date { year: 2024, month: 1 + (n / 28) as u8, day: 1 + (n % 28) as u8 }),
                blocks: vec![Block { kind: BlockKind::Paragraph, text: "فقرة.".into() }],
                url: None,
            })
            .collect();
        let files: HashMap<String, Vec<u8>> = assemble_with(articles, Vec::new(), "test", Sizes { segment_unit: 8, rows_per_shard: 8, ..Sizes::default() })
            .into_iter()
            .map(|file| (file.path, file.bytes))
            .collect();
        let mut read = |path: &str| files.get(path).cloned().ok_or_else(|| format!("no {path}"));
        let home = draw_home(&mut read).unwrap();
        let early = early_files(&home).unwrap();
        let manifest = read_manifest(&files[MANIFEST_FILE]).unwrap();
        assert_eq!(manifest.segments.len(), 4, "{:?}", manifest.segments);
        let carried: Vec<String> = manifest.segments.iter().map(|segment| segment.file.clone()).filter(|path| home.embedded.get(path).is_some()).collect();
        assert!(!carried.is_empty() && !early.is_empty(), "carried {carried:?}, early {early:?}");
        let mut all = [carried, early.clone()].concat();
        all.sort();
        let mut descriptors: Vec<String> = manifest.segments.iter().map(|segment| segment.file.clone()).collect();
        descriptors.sort();
        assert_eq!(all, descriptors, "every descriptor, once");
    }

    #[test]
    fn inline_styles_are_removed_and_nothing_else() {
        let html = r#"<div class="a" style="block-size: 10px"><ol style="transform: translateY(0px)" data-x="1">a style="x" b</ol></div>"#;
        assert_eq!(without_inline_styles(html), r#"<div class="a"><ol data-x="1">a style="x" b</ol></div>"#);
    }
}
