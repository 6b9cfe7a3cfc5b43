use crate::components::DisclosureButton;
use leptos::prelude::*;

/// The facets a filter can be on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKey {
    Outlet,
    Year,
    Month,
    From,
    To,
    /// Not a filter but a way of listing: a story's tellings folded under its first (`fold=stories`).
    Fold,
}

impl FilterKey {
    /// The facet's name, as its heading says it.
    pub fn facet(self) -> &'static str {
        match self {
            FilterKey::Outlet => "المنبر",
            FilterKey::Year => "السنة",
            FilterKey::Month => "الشهر",
            FilterKey::From | FilterKey::To => "الفترة",
            FilterKey::Fold => "روايات القصة الواحدة",
        }
    }

    /// For `data-key`, which tests select by.
    pub fn name(self) -> &'static str {
        match self {
            FilterKey::Outlet => "outlet",
            FilterKey::Year => "year",
            FilterKey::Month => "month",
            FilterKey::From => "from",
            FilterKey::To => "to",
            FilterKey::Fold => "fold",
        }
    }
}

/// A filter in force, as a chip: its facet (`key`, also given to the callback) and the chosen value.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveFilter {
    pub key: FilterKey,
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
    on_remove: Callback<FilterKey>,
) -> impl IntoView {
    let label = move || match active.with(Vec::len) {
        0 => "تصفية".to_owned(),
        count => format!("تصفية ({count})"),
    };
    view! {
        <div class="filter-bar" data-testid="filter-bar">
            <DisclosureButton class="filter-toggle" testid="filter-toggle" controls=controls expanded=expanded>
                {label}
            </DisclosureButton>
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
                                    data-key=key.name()
                                    aria-label=format!("إزالة التصفية: {}: {}", key.facet(), filter.value)
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
