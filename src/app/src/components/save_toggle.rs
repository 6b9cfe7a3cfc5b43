use crate::shelf::ShelfStore;
use leptos::prelude::*;
use sahifa_core::shelf::ShelfEntry;

/// «احفظ للقراءة لاحقًا»: puts the article on the shelf (`#/saved`) or takes it off, a toggle button.
#[component]
pub fn SaveToggle(entry: ShelfEntry) -> impl IntoView {
    let store = expect_context::<ShelfStore>();
    let id = entry.id.clone();
    let saved = Memo::new(move |_| store.shelf.with(|shelf| shelf.is_saved(&id)));
    view! {
        <button
            type="button"
            class="share-button"
            data-testid="save-toggle"
            aria-pressed=move || if saved.get() { "true" } else { "false" }
            on:click=move |_| {
                let entry = entry.clone();
                store.shelf.update(|shelf| {
                    shelf.toggle_saved(entry);
                });
            }
        >
            {move || if saved.get() { "محفوظ ✓" } else { "احفظ للقراءة لاحقًا" }}
        </button>
    }
}
