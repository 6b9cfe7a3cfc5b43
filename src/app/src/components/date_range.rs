use leptos::prelude::*;
use sahifa_core::Date;

/// «الفترة»: a date range, from one day to another, either end open. Each field is the browser's own date
/// picker (keyboard and screen readers included); a change applies when the field holds a whole date or is
/// cleared, so half-typed dates do not jump the list about. A range given backwards is put the right way.
#[component]
pub fn DateRange(
    #[prop(into)] from: Signal<Option<Date>>,
    #[prop(into)] to: Signal<Option<Date>>,
    on_change: Callback<(Option<Date>, Option<Date>)>,
) -> impl IntoView {
    let apply = move |from: Option<Date>, to: Option<Date>| {
        let (from, to) = match (from, to) {
            (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
            ends => ends,
        };
        on_change.run((from, to));
    };
    view! {
        <fieldset class="facet date-range" data-testid="date-range">
            <legend class="facet-title">"الفترة"</legend>
            {date_field("من", "date-from", from, Callback::new(move |chosen| apply(chosen, to.get_untracked())))}
            {date_field("إلى", "date-to", to, Callback::new(move |chosen| apply(from.get_untracked(), chosen)))}
        </fieldset>
    }
}

/// One end of the range: a labelled date picker showing `value`, calling `on_pick` with a whole date or none.
fn date_field(label: &'static str, testid: &'static str, value: Signal<Option<Date>>, on_pick: Callback<Option<Date>>) -> impl IntoView {
    let read = |event: &leptos::ev::Event| -> Option<Option<Date>> {
        let value = event_target_value(event);
        if value.is_empty() {
            return Some(None);
        }
        Date::parse_iso(&value).ok().map(Some)
    };
    view! {
        <label class="date-field">
            <span>{label}</span>
            <input
                type="date"
                data-testid=testid
                prop:value=move || value.get().map(|date| date.to_string()).unwrap_or_default()
                on:change=move |event| if let Some(chosen) = read(&event) { on_pick.run(chosen) }
            />
        </label>
    }
}
