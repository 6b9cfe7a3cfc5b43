use leptos::prelude::*;

/// The search field. It filters as the reader types; `/` anywhere on the page focuses it, and the down arrow
/// goes on to the first result. Focusing it starts the search worker, so its package downloads before the first
/// letter is typed.
#[component]
pub fn SearchBox(#[prop(into)] query: Signal<String>, on_input: Callback<String>) -> impl IntoView {
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
                prop:value=move || query.get()
                on:focus=move |_| crate::search_worker::warm_up()
                on:input:target=move |event| on_input.run(event.target().value())
                on:keydown=move |event| {
                    if event.key() == "ArrowDown" && crate::keys::focus_first(None, "[data-testid=card-link]") {
                        event.prevent_default();
                    }
                }
            />
        </form>
    }
}
