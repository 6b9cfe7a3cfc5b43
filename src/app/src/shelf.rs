//! The shelf on this device (`sahifa_core::shelf`): saved and recently read articles, in a signal the views
//! read, written to `localStorage` whenever it changes.

use leptos::prelude::*;
use sahifa_core::shelf::{Shelf, ShelfEntry, STORAGE_KEY};
use sahifa_core::Article;

#[derive(Clone, Copy)]
pub struct ShelfStore {
    pub shelf: RwSignal<Shelf>,
}

impl ShelfStore {
    /// The shelf this device keeps, saved again on every change.
    pub fn load() -> ShelfStore {
        let stored = storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
        let shelf = RwSignal::new(stored.map(|text| Shelf::from_storage(&text)).unwrap_or_default());
        let first = StoredValue::new(true);
        Effect::new(move |_| {
            let text = shelf.with(Shelf::to_storage);
            if first.get_value() {
                first.set_value(false);
                return;
            }
            if let Some(storage) = storage() {
                // A full or refused storage keeps the shelf for this visit only.
                let _ = storage.set_item(STORAGE_KEY, &text);
            }
        });
        ShelfStore { shelf }
    }

    /// Notes that an article was read. Called from outside render closures (see `ArticlePage`).
    pub fn note_read(&self, entry: ShelfEntry) {
        if self.shelf.with_untracked(|shelf| shelf.history.first().map(|first| &first.id) != Some(&entry.id)) {
            self.shelf.update(|shelf| shelf.read(entry));
        }
    }
}

/// What the shelf keeps of an article.
pub fn entry_of(article: &Article) -> ShelfEntry {
    ShelfEntry {
        id: article.id.clone(),
        title: article.title.clone(),
        outlet: article.outlet.clone(),
        published: article.published.map(|date| date.to_string()),
    }
}

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}
