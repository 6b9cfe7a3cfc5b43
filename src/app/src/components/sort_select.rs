use leptos::prelude::*;
use sahifa_core::route::Sort;

/// «الترتيب»: by relevance (offered only with a query), newest first or oldest first.
#[component]
pub fn SortSelect(
    #[prop(into)] options: Signal<Vec<Sort>>,
    #[prop(into)] selected: Signal<Sort>,
    on_change: Callback<Sort>,
) -> impl IntoView {
    view! {
        <label class="sort">
            <span>"الترتيب"</span>
            <select
                data-testid="sort"
                prop:value=move || selected.get().key()
                on:change=move |event| {
                    if let Some(sort) = Sort::from_key(&event_target_value(&event)) {
                        on_change.run(sort);
                    }
                }
            >
                <For
                    each=move || options.get()
                    key=|sort| sort.key()
                    children=move |sort| {
                        view! { <option value=sort.key() selected=move || selected.get() == sort>{sort.label()}</option> }
                    }
                />
            </select>
        </label>
    }
}
