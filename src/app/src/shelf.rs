//! The shelf on this device (`sahifa_core::shelf`): saved and recently read articles, in a signal the views
//! read, written to `localStorage` whenever it changes.

use crate::device::remembered;
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
        ShelfStore { shelf: remembered(STORAGE_KEY, Shelf::from_storage, Shelf::to_storage) }
    }

    /// An empty shelf kept nowhere, for pages drawn at build time.
    pub fn inert() -> ShelfStore {
        ShelfStore { shelf: RwSignal::new(Shelf::default()) }
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
