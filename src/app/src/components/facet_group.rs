use leptos::prelude::*;
use sahifa_core::bundle::FacetValue;

/// What a count says while it is being counted.
const COUNTING: &str = "…";

/// One facet (outlet, year or month): a toggle button per value with its count. Pressing the selected value
/// again clears the filter. `label` writes a value for the reader (a month's name, a year in the archive's
/// digits); without it the value is shown as it is. While `counting` (the outlet counts can wait for columns
/// the list did not need), the values stay as they were, their counts give way to an ellipsis and the group
/// says it is busy: the counts it had belong to another list.
#[component]
pub fn FacetGroup(
    #[prop(into)] title: String,
    #[prop(into)] testid: String,
    #[prop(into)] values: Signal<Vec<FacetValue>>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_select: Callback<Option<String>>,
    #[prop(optional)] label: Option<Callback<String, String>>,
    #[prop(optional, into)] counting: Signal<bool>,
) -> impl IntoView {
    let heading_id = format!("{testid}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="facet" data-testid=testid aria-labelledby=labelled_by aria-busy=move || counting.get().then_some("true")>
            <h2 id=heading_id class="facet-title">{title}</h2>
            <ul class="facet-values">
                // Keyed by value: counts and the pressed state change in place as the query and the other
                // filter change, and a focused button stays focused.
                <For
                    each=move || values.get()
                    key=|facet| facet.value.clone()
                    children=move |facet| {
                        let value = facet.value.clone();
                        let counted = value.clone();
                        let style = crate::archive_style();
                        let count = move || {
                            if counting.get() {
                                return COUNTING.to_owned();
                            }
                            style.number(u64::from(values.with(|values| values.iter().find(|v| v.value == counted).map_or(0, |v| v.count))))
                        };
                        let pressed_value = value.clone();
                        let is_selected = Memo::new(move |_| selected.with(|current| current.as_deref() == Some(pressed_value.as_str())));
                        let chosen = value.clone();
                        let choose = move |_| on_select.run(if is_selected.get_untracked() { None } else { Some(chosen.clone()) });
                        let attribute = value.clone();
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="facet-option"
                                    data-testid="facet-option"
                                    data-value=attribute
                                    aria-pressed=move || if is_selected.get() { "true" } else { "false" }
                                    on:click=choose
                                >
                                    <span class="facet-label">{label.map_or(value.clone(), |label| label.run(value))}</span>
                                    <span class="facet-count">{count}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
