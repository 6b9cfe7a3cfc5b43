//! The first screen that a release build's `index.html` carries: the newest articles' list, drawn at build time
//! by the viewer's own components, and the bundle files it was drawn from. The list paints with the page, before
//! the app's wasm arrives; the app then starts from the same files without fetching them and replaces the
//! drawing with itself. `cargo xtask finish-site` writes both into the page; the app reads them back.
//! The names the page, the app and the page's one inline script share are written here, once.

use crate::route::ViewState;
use serde::{Deserialize, Serialize};

/// The element that holds the drawn list. The app removes it when it mounts.
pub const SCREEN_ELEMENT_ID: &str = "sahifa-first-screen";
/// The `<script type="application/json">` element that holds the embedded files.
pub const DATA_ELEMENT_ID: &str = "sahifa-first-screen-data";
/// The start-up note `index.html` shows while the wasm downloads, when there is no drawn list to show.
pub const BOOT_ELEMENT_ID: &str = "boot";
/// The `<script type="application/json">` element that maps each drawn article's address (`drawn_article_key`)
/// to its drawing's file.
pub const DRAWN_ARTICLES_ELEMENT_ID: &str = "sahifa-drawn-articles";
/// The `<script type="application/json">` element that lists, as `[path inside the bundle, address]` pairs, the
/// files the app reads first on an address that shows neither the plain list nor a drawn article (another
/// article's link, a search, a filter) and that the page does not carry: the segments' descriptors, which name
/// where an article's id or a word's term block lies. The inline script fetches them at once, beside the wasm
/// rather than after it, and adds them to the embedded files, so the app starts with them and a link to an
/// older article is a round trip sooner.
pub const EARLY_FILES_ELEMENT_ID: &str = "sahifa-early-files";
/// The site's folder of drawn articles (`DrawnArticle`), each file named by its content's hash.
pub const DRAWN_FOLDER: &str = "drawn/";
/// The global that the inline script sets, on a drawn article's address, to the promise of its drawing being in
/// the page; the loader awaits it before it asks for the wasm.
pub const DRAWING_PROMISE: &str = "sahifaDrawing";
/// Comments around everything the first screen adds to the page, so finishing a site again replaces it.
pub const START_MARK: &str = "<!-- sahifa:first-screen -->";
pub const END_MARK: &str = "<!-- /sahifa:first-screen -->";

/// Bundle files embedded in the page, as text, with their paths inside the bundle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbeddedFiles {
    pub files: Vec<EmbeddedFile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbeddedFile {
    pub path: String,
    pub text: String,
}

impl EmbeddedFiles {
    /// The file at `path`, if it was embedded.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|file| file.path == path).map(|file| file.text.as_str())
    }

    /// JSON that is safe inside a `<script>` element (`script_json`).
    pub fn to_script_text(&self) -> String {
        script_json(self)
    }

    /// Reads what `to_script_text` wrote. The page comes from the network, so a broken one is an error.
    pub fn from_script_text(text: &str) -> Result<EmbeddedFiles, String> {
        serde_json::from_str(text).map_err(|error| format!("the first screen's embedded files are unreadable: {error}"))
    }
}

/// `value` as JSON that is safe inside a `<script>` element: `<` only occurs inside JSON strings, where `\u003c`
/// means the same, so no article text can close the element.
pub fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("strings always serialize").replace('<', "\\u003c")
}

/// An article page drawn at build time, for an article whose card the first screen shows (the newest, those a
/// link shared today most likely names): the markup for the first screen's element, and the files it was
/// drawn from beyond those the page carries (the article's piece of its shard, named by its request, and the
/// directory page naming that shard). The page's inline script fetches it on that article's address, so the
/// article is read before the app's wasm has come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawnArticle {
    pub html: String,
    pub files: Vec<EmbeddedFile>,
    /// The tab's title while the article is open (`ArchiveInfo::page_title`), as the app sets it.
    pub title: String,
}

/// The key of article `id`'s drawing in the page's map of drawn articles: its address, which the inline script
/// finds in `location.hash` before any `?` (a link from a search carries the query after it; the drawing shows
/// the article without its words marked, and the app marks them when it comes).
pub fn drawn_article_key(id: &str) -> String {
    ViewState::default().with_article(id).to_hash()
}

/// The `location.hash` values that open the plain list of newest articles, the one view the drawn list shows.
pub fn home_hashes() -> [String; 3] {
    [String::new(), "#".to_owned(), ViewState::default().to_hash()]
}

/// What the start-up note says if the app cannot start (its code did not load, or the browser runs no wasm).
pub const START_FAILED: &str = "تعذّر تشغيل صحيفة: لم يكتمل تحميل البرنامج أو أن المتصفح لا يشغّل WebAssembly. أعد تحميل الصفحة.";

/// The page's one inline script, run before the drawn list is painted. It puts the reader's display
/// preferences back on `<html>` (`crate::reading`), so the first paint is already in their size and theme. On
/// the address of an article drawn at build time (`DRAWN_ARTICLES_ELEMENT_ID` names them) it empties the drawn
/// list, shows the start-up note and fetches the article's drawing (`DrawnArticle`), which then takes the list's
/// place and names the tab, its files joining the page's; should that fail (no answer, or one that is not a
/// drawing), the note stays and the app opens the article. For any other address than the plain list (a query,
/// a filter, another article) it removes the drawing and shows the start-up note instead, so a link never
/// flashes the wrong view, and fetches the files `EARLY_FILES_ELEMENT_ID` lists into the embedded ones (a file
/// that fails or is not JSON is left for the app to fetch, as is one that comes after the app has started). If
/// starting the app fails (an error or a rejected promise while the note is still in the page, which the app
/// removes when it mounts), the note says so instead of waiting forever. The Content-Security-Policy allows it
/// by its hash.
pub fn inline_script() -> String {
    let homes = serde_json::to_string(&home_hashes()).expect("strings always serialize");
    format!(
        "{restore}const s=document.getElementById({screen:?}),n=document.getElementById({boot:?}),d=document.getElementById({drawn:?}),a=d&&JSON.parse(d.textContent)[location.hash.split('?')[0]];\
const m=(x)=>{{const e=document.getElementById({data:?}),f=JSON.parse(e.textContent);f.files.push(...x);e.textContent=JSON.stringify(f)}};\
if(a){{s.replaceChildren();n.hidden=false;self.{promise}=fetch(a).then((r)=>{{if(!r.ok)throw r.status;return r.json()}}).then((x)=>{{if(typeof x.html!=='string'||!Array.isArray(x.files)||typeof x.title!=='string')throw 0;m(x.files);s.innerHTML=x.html;document.title=x.title;n.hidden=true}}).catch(()=>s.remove())}}\
else if(!{homes}.includes(location.hash)){{s.remove();n.hidden=false;const l=document.getElementById({early:?});\
if(l)Promise.all(JSON.parse(l.textContent).map(([p,u])=>fetch(u).then((r)=>{{if(!r.ok)throw r.status;return r.text()}}).then((t)=>(JSON.parse(t),{{path:p,text:t}})).catch(()=>null)))\
.then((x)=>m(x.filter(Boolean))).catch(()=>{{}})}}\
const f=()=>{{const b=document.getElementById({boot:?});if(b){{b.hidden=false;b.className='notice error';b.setAttribute('role','alert');b.textContent={failed:?}}}}};addEventListener('error',f);addEventListener('unhandledrejection',f)",
        restore = crate::reading::restore_script(),
        screen = SCREEN_ELEMENT_ID,
        boot = BOOT_ELEMENT_ID,
        drawn = DRAWN_ARTICLES_ELEMENT_ID,
        early = EARLY_FILES_ELEMENT_ID,
        data = DATA_ELEMENT_ID,
        promise = DRAWING_PROMISE,
        failed = START_FAILED,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_hashes_are_exactly_the_ones_that_open_the_plain_list() {
        for hash in home_hashes() {
            assert_eq!(ViewState::from_hash(&hash), ViewState::default(), "{hash:?}");
        }
        let others = ["#/article/x", "#/?q=%D9%85", "#/?outlet=a", "#/?year=2020"];
        for hash in others {
            assert!(!home_hashes().contains(&hash.to_owned()), "{hash}");
        }
    }

    #[test]
    fn a_drawn_article_is_found_by_its_address_before_any_query() {
        let id = "0123abcd";
        let key = drawn_article_key(id);
        assert_eq!(ViewState::from_hash(&key), ViewState::default().with_article(id));
        let from_a_search = ViewState { query: "تونس".into(), ..ViewState::default() }.with_article(id).to_hash();
        assert_eq!(from_a_search.split('?').next(), Some(key.as_str()), "{from_a_search}");
    }

    #[test]
    fn embedded_files_survive_the_page_and_cannot_close_their_element() {
        let files = EmbeddedFiles {
            files: vec![EmbeddedFile { path: "listing/ab/cd.json".into(), text: "{\"title\":\"</script><b>عنوان\"}".into() }],
        };
        let text = files.to_script_text();
        assert!(!text.contains('<'), "{text}");
        assert_eq!(EmbeddedFiles::from_script_text(&text).unwrap(), files);
        assert_eq!(files.get("listing/ab/cd.json"), Some("{\"title\":\"</script><b>عنوان\"}"));
        assert!(EmbeddedFiles::from_script_text("{\"files\":[{\"path\":1}]}").is_err());
    }

    #[test]
    fn the_inline_script_names_the_shared_elements() {
        let script = inline_script();
        assert!(script.contains("\"#/\"") && script.contains(SCREEN_ELEMENT_ID) && script.contains(BOOT_ELEMENT_ID), "{script}");
        assert!(script.contains(crate::reading::STORAGE_KEY), "{script}");
        assert!(script.contains(DRAWN_ARTICLES_ELEMENT_ID) && script.contains(DATA_ELEMENT_ID) && script.contains(EARLY_FILES_ELEMENT_ID) && script.contains(&format!("self.{DRAWING_PROMISE}=")), "{script}");
        assert!(!script.contains('<'), "the script must not be able to close its element");
    }
}
