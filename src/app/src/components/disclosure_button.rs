use leptos::prelude::*;

/// A button that shows and hides the element `controls` names, saying which with `aria-expanded`: the phone's
/// «تصفية» and the header's «العرض».
#[component]
pub fn DisclosureButton(
    class: &'static str,
    testid: &'static str,
    /// The id of the element the button shows and hides.
    controls: &'static str,
    expanded: RwSignal<bool>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=class
            data-testid=testid
            aria-controls=controls
            aria-expanded=move || if expanded.get() { "true" } else { "false" }
            on:click=move |_| expanded.update(|open| *open = !*open)
        >
            {children()}
        </button>
    }
}
