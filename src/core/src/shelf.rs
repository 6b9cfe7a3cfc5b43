//! The reader's shelf: articles saved for later and the ones read lately, kept on the device (`localStorage`)
//! and exported as JSON. Entries carry what a list shows (title, outlet, date), so the shelf draws with no
//! fetch, and the id that opens the article.

use serde::{Deserialize, Serialize};

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "sahifa-shelf";
/// How many recently read articles are kept, newest first.
pub const HISTORY_LIMIT: usize = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfEntry {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub outlet: Option<String>,
    /// `YYYY-MM-DD`, as the bundle writes dates.
    #[serde(default)]
    pub published: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    /// Saved for later, the latest saved first.
    #[serde(default)]
    pub saved: Vec<ShelfEntry>,
    /// Read lately, the latest first, at most `HISTORY_LIMIT`.
    #[serde(default)]
    pub history: Vec<ShelfEntry>,
}

impl Shelf {
    pub fn is_saved(&self, id: &str) -> bool {
        self.saved.iter().any(|entry| entry.id == id)
    }

    /// Saves `entry`, or takes it off the shelf if it was saved; whether it is saved now.
    pub fn toggle_saved(&mut self, entry: ShelfEntry) -> bool {
        if self.is_saved(&entry.id) {
            self.saved.retain(|saved| saved.id != entry.id);
            false
        } else {
            self.saved.insert(0, entry);
            true
        }
    }

    /// Notes that `entry` was read: first in the history, once.
    pub fn read(&mut self, entry: ShelfEntry) {
        self.history.retain(|read| read.id != entry.id);
        self.history.insert(0, entry);
        self.history.truncate(HISTORY_LIMIT);
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).expect("strings always serialize")
    }

    /// Reads what `to_storage` wrote. Storage may hold anything (an older version, a hand edit): an unreadable
    /// shelf is an empty one, and entries without an id are left out.
    pub fn from_storage(text: &str) -> Shelf {
        let mut shelf: Shelf = serde_json::from_str(text).unwrap_or_default();
        shelf.saved.retain(|entry| !entry.id.is_empty());
        shelf.history.retain(|entry| !entry.id.is_empty());
        shelf.history.truncate(HISTORY_LIMIT);
        shelf
    }

    /// The shelf as a file to keep or to move to another device: each entry with its link, `base` being the
    /// address of the archive's page.
    pub fn export_json(&self, base: &str) -> String {
        #[derive(Serialize)]
        struct Exported<'a> {
            #[serde(flatten)]
            entry: &'a ShelfEntry,
            link: String,
        }
        fn list<'a>(entries: &'a [ShelfEntry], base: &str) -> Vec<Exported<'a>> {
            entries.iter().map(|entry| Exported { entry, link: format!("{base}{}", crate::route::ViewState::default().with_article(&entry.id).to_hash()) }).collect()
        }
        let value = serde_json::json!({ "saved": list(&self.saved, base), "history": list(&self.history, base) });
        serde_json::to_string_pretty(&value).expect("strings always serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> ShelfEntry {
        ShelfEntry { id: id.into(), title: format!("عنوان {id}"), outlet: Some("هسبريس".into()), published: Some("2025-12-17".into()) }
    }

    #[test]
    fn saving_toggles_and_the_latest_comes_first() {
        let mut shelf = Shelf::default();
        assert!(shelf.toggle_saved(entry("a")));
        assert!(shelf.toggle_saved(entry("b")));
        assert_eq!(shelf.saved.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert!(!shelf.toggle_saved(entry("a")));
        assert!(!shelf.is_saved("a") && shelf.is_saved("b"));
    }

    #[test]
    fn history_keeps_each_article_once_latest_first_within_its_limit() {
        let mut shelf = Shelf::default();
        for n in 0..HISTORY_LIMIT + 5 {
            shelf.read(entry(&n.to_string()));
        }
        shelf.read(entry("10"));
        assert_eq!(shelf.history.len(), HISTORY_LIMIT);
        assert_eq!(shelf.history[0].id, "10");
        assert_eq!(shelf.history.iter().filter(|e| e.id == "10").count(), 1);
        assert_eq!(shelf.history[1].id, (HISTORY_LIMIT + 4).to_string());
    }

    #[test]
    fn storage_round_trips_and_anything_else_reads_as_an_empty_shelf() {
        let mut shelf = Shelf::default();
        shelf.toggle_saved(entry("a"));
        shelf.read(entry("b"));
        assert_eq!(Shelf::from_storage(&shelf.to_storage()), shelf);
        for text in ["", "null", "[]", "{\"saved\":5}", "not json"] {
            assert_eq!(Shelf::from_storage(text), Shelf::default(), "{text}");
        }
        let odd = Shelf::from_storage(r#"{"saved":[{"id":"","title":"x"},{"id":"k","title":"y"}]}"#);
        assert_eq!(odd.saved.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["k"]);
    }

    #[test]
    fn the_export_gives_every_entry_its_link() {
        let mut shelf = Shelf::default();
        shelf.toggle_saved(entry("a"));
        let exported: serde_json::Value = serde_json::from_str(&shelf.export_json("https://example.org/archive/")).unwrap();
        assert_eq!(exported["saved"][0]["link"], "https://example.org/archive/#/article/a");
        assert_eq!(exported["saved"][0]["title"], "عنوان a");
        assert_eq!(exported["history"], serde_json::json!([]));
    }
}
