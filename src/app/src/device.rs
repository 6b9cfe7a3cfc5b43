//! What the reader keeps on this device, in `localStorage`: the display preferences and the shelf. One
//! mechanism for both: a signal read from storage at start and written back on every change.

use leptos::prelude::*;

/// A signal holding what `key` stores (read by `read`; the default if nothing, or while the page is drawn at
/// build time), written back with `write` whenever it changes. A full or refused storage only means the value
/// is not remembered for the next visit.
pub fn remembered<T>(key: &'static str, read: fn(&str) -> T, write: fn(&T) -> String) -> RwSignal<T>
where
    T: Default + Send + Sync + 'static,
{
    let stored = storage().and_then(|storage| storage.get_item(key).ok().flatten());
    let value = RwSignal::new(stored.map(|text| read(&text)).unwrap_or_default());
    // The first run only reads what was just loaded; writing it back would change nothing.
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let text = value.with(write);
        if first.get_value() {
            first.set_value(false);
            return;
        }
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, &text);
        }
    });
    value
}

fn storage() -> Option<web_sys::Storage> {
    if !crate::IN_A_BROWSER {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}
