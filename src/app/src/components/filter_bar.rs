use leptos::prelude::*;

/// A filter in force, as a chip: which facet (`key`, for the callback), its name and the chosen value.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveFilter {
    pub key: &'static str,
    pub facet: &'static str,
    pub value: String,
}

/// On narrow screens the filters fold behind one «تصفية» button, so the list starts in the upper half of a
/// phone's screen; the filters in force stay visible beside it as chips, each removed with a press. Wide
/// screens show the filters themselves and hide this bar (style.css).
#[component]
pub fn FilterBar(
    #[prop(into)] active: Signal<Vec<ActiveFilter>>,
    expanded: RwSignal<bool>,
    /// The id of the element the button shows and hides.
    controls: &'static str,
    on_remove: Callback<&'static str>,
) -> impl IntoView {
    let label = move || match active.with(Vec::len) {
        0 => "تصفية".to_owned(),
        count => format!("تصفية ({count})"),
    };
    view! {
        <div class="filter-bar" data-testid="filter-bar">
            <button
                type="button"
                class="filter-toggle"
                data-testid="filter-toggle"
                aria-controls=controls
                aria-expanded=move || if expanded.get() { "true" } else { "false" }
                on:click=move |_| expanded.update(|open| *open = !*open)
            >
                {label}
            </button>
            <ul class="filter-chips" aria-label="التصفية المطبقة">
                <For
                    each=move || active.get()
                    key=|filter| (filter.key, filter.value.clone())
                    children=move |filter| {
                        let key = filter.key;
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="chip"
                                    data-testid="filter-chip"
                                    data-key=key
                                    aria-label=format!("إزالة التصفية: {}: {}", filter.facet, filter.value)
                                    on:click=move |_| on_remove.run(key)
                                >
                                    <span>{filter.value.clone()}</span>
                                    <span class="chip-remove" aria-hidden="true">"×"</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </div>
    }
}
