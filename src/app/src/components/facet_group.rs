use leptos::prelude::*;
use sahifa_core::bundle::FacetValue;

/// One facet (outlet or year): a toggle button per value with its count. Pressing the selected value again
/// clears the filter.
#[component]
pub fn FacetGroup(
    #[prop(into)] title: String,
    #[prop(into)] testid: String,
    #[prop(into)] values: Signal<Vec<FacetValue>>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_select: Callback<Option<String>>,
) -> impl IntoView {
    let heading_id = format!("{testid}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="facet" data-testid=testid aria-labelledby=labelled_by>
            <h2 id=heading_id class="facet-title">{title}</h2>
            <ul class="facet-values">
                {move || {
                    let current = selected.get();
                    values
                        .get()
                        .into_iter()
                        .map(|facet| {
                            let is_selected = current.as_deref() == Some(facet.value.as_str());
                            let value = facet.value.clone();
                            let choose = move |_| on_select.run(if is_selected { None } else { Some(value.clone()) });
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="facet-option"
                                        data-testid="facet-option"
                                        data-value=facet.value.clone()
                                        aria-pressed=if is_selected { "true" } else { "false" }
                                        on:click=choose
                                    >
                                        <span class="facet-label">{facet.value.clone()}</span>
                                        <span class="facet-count">{facet.count}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
