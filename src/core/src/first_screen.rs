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

    /// JSON that is safe inside a `<script>` element: `<` only occurs inside JSON strings, where `\u003c` means
    /// the same, so no article text can close the element.
    pub fn to_script_text(&self) -> String {
        serde_json::to_string(self).expect("strings always serialize").replace('<', "\\u003c")
    }

    /// Reads what `to_script_text` wrote. The page comes from the network, so a broken one is an error.
    pub fn from_script_text(text: &str) -> Result<EmbeddedFiles, String> {
        serde_json::from_str(text).map_err(|error| format!("the first screen's embedded files are unreadable: {error}"))
    }
}

/// The `location.hash` values that open the plain list of newest articles, the one view the drawn list shows.
pub fn home_hashes() -> [String; 3] {
    [String::new(), "#".to_owned(), ViewState::default().to_hash()]
}

/// What the start-up note says if the app cannot start (its code did not load, or the browser runs no wasm).
pub const START_FAILED: &str = "تعذّر تشغيل صحيفة: لم يكتمل تحميل البرنامج أو أن المتصفح لا يشغّل WebAssembly. أعد تحميل الصفحة.";

/// The page's one inline script, run before the drawn list is painted. It puts the reader's display
/// preferences back on `<html>` (`crate::reading`), so the first paint is already in their size and theme; for
/// any other address than the plain list (an article, a query, a filter) it removes the drawing and shows the
/// start-up note instead, so a link never flashes the wrong view; and if starting the app fails (an error or a
/// rejected promise while the note is still in the page, which the app removes when it mounts), the note says
/// so instead of waiting forever. The Content-Security-Policy allows it by its hash.
pub fn inline_script() -> String {
    let homes = serde_json::to_string(&home_hashes()).expect("strings always serialize");
    format!(
        "{restore}if(!{homes}.includes(location.hash)){{document.getElementById({screen:?}).remove();document.getElementById({boot:?}).hidden=false}}\
const f=()=>{{const b=document.getElementById({boot:?});if(b){{b.hidden=false;b.className='notice error';b.setAttribute('role','alert');b.textContent={failed:?}}}}};addEventListener('error',f);addEventListener('unhandledrejection',f)",
        restore = crate::reading::restore_script(),
        screen = SCREEN_ELEMENT_ID,
        boot = BOOT_ELEMENT_ID,
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
        assert!(!script.contains('<'), "the script must not be able to close its element");
    }
}
