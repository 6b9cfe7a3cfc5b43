use leptos::prelude::*;

/// The search field. It filters as the reader types; `/` anywhere on the page focuses it. Focusing it starts
/// the search worker, so its package downloads before the first letter is typed.
#[component]
pub fn SearchBox(#[prop(into)] query: Signal<String>, on_input: Callback<String>) -> impl IntoView {
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        let typing_elsewhere = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if event.key() == "/" && !typing_elsewhere && !event.ctrl_key() && !event.meta_key() {
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
            />
        </form>
    }
}
