use leptos::prelude::*;

/// A word offered while the reader types: choosing it puts `query` in the box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The word, as the archive writes it.
    pub word: String,
    /// How many articles hold it.
    pub articles: u32,
    /// The whole query once it is chosen.
    pub query: String,
}

const LISTBOX_ID: &str = "search-suggestions";

/// The search field, an ARIA combobox: it filters as the reader types and offers the archive's words that
/// finish the one being typed. Up and down move through the offers, Enter takes one, Escape closes them; the
/// down arrow past the last offer (or with none open) goes on to the first result. `/` anywhere on the page
/// focuses the field. Focusing it starts the search worker, so its package downloads before the first letter.
#[component]
pub fn SearchBox(#[prop(into)] query: Signal<String>, on_input: Callback<String>, #[prop(into)] suggestions: Signal<Vec<Suggestion>>) -> impl IntoView {
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "/" && !crate::keys::typing_in_a_field(&event) && !event.ctrl_key() && !event.meta_key() {
            if let Some(input) = input_ref.get_untracked() {
                event.prevent_default();
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());

    // Whether the offers may show (closed by Escape, a choice or leaving the field; opened by typing), and
    // which one the arrows are on.
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let shown = Memo::new(move |_| open.get() && suggestions.with(|offers| !offers.is_empty()));
    // New offers start with none chosen.
    Effect::new(move |_| {
        suggestions.track();
        active.set(None);
    });
    let choose = move |offer: Suggestion| {
        open.set(false);
        active.set(None);
        on_input.run(offer.query);
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = suggestions.with(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if shown.get_untracked() && active.get_untracked().is_none_or(|n| n + 1 < count) => {
                event.prevent_default();
                active.set(Some(active.get_untracked().map_or(0, |n| n + 1)));
            }
            "ArrowDown" if crate::keys::focus_first(None, "[data-testid=card-link]") => {
                event.prevent_default();
                open.set(false);
            }
            "ArrowUp" if shown.get_untracked() => {
                event.prevent_default();
                active.set(active.get_untracked().and_then(|n| n.checked_sub(1)));
            }
            "Enter" => {
                if let Some(offer) = active.get_untracked().filter(|_| shown.get_untracked()).and_then(|n| suggestions.with_untracked(|offers| offers.get(n).cloned())) {
                    event.prevent_default();
                    choose(offer);
                }
            }
            "Escape" if shown.get_untracked() => {
                event.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };

    view! {
        <form class="search" role="search" on:submit=move |event| event.prevent_default()>
            <label class="visually-hidden" for="search-input">"ابحث في الأرشيف"</label>
            <input
                id="search-input"
                data-testid="search-input"
                type="search"
                node_ref=input_ref
                placeholder="ابحث في الأرشيف… (اضغط / للبحث)"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=LISTBOX_ID
                aria-expanded=move || if shown.get() { "true" } else { "false" }
                aria-activedescendant=move || active.get().filter(|_| shown.get()).map(option_id)
                prop:value=move || query.get()
                on:focus=move |_| crate::search_worker::warm_up()
                on:blur=move |_| open.set(false)
                on:input:target=move |event| {
                    open.set(true);
                    on_input.run(event.target().value());
                }
                on:keydown=keydown
            />
            <ul id=LISTBOX_ID class="suggestions" role="listbox" aria-label="كلمات تكمل ما تكتبه" data-testid="suggestions" hidden=move || !shown.get()>
                <For
                    each=move || suggestions.get().into_iter().enumerate()
                    key=|(n, offer)| (*n, offer.query.clone())
                    children=move |(n, offer)| {
                        let style = crate::archive_style();
                        let chosen = offer.clone();
                        view! {
                            <li
                                id=option_id(n)
                                role="option"
                                class="suggestion"
                                data-testid="suggestion"
                                aria-selected=move || if active.get() == Some(n) { "true" } else { "false" }
                                // Before the field's blur, which would close the list first.
                                on:mousedown=move |event| {
                                    event.prevent_default();
                                    choose(chosen.clone());
                                }
                            >
                                <span class="suggestion-word">{offer.word.clone()}</span>
                                <span class="suggestion-count">{style.number(u64::from(offer.articles))}</span>
                            </li>
                        }
                    }
                />
            </ul>
        </form>
    }
}

fn option_id(n: usize) -> String {
    format!("suggestion-{n}")
}
