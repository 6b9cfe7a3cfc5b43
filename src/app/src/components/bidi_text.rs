use leptos::prelude::*;
use sahifa_core::text::{latin_runs, Run};

/// Text with every Latin run (UMT, E-POLICE) wrapped in `<bdi>`, so it cannot pull neighbouring punctuation
/// to the wrong side of a right-to-left line.
#[component]
pub fn BidiText(#[prop(into)] text: String) -> impl IntoView {
    latin_runs(&text)
        .into_iter()
        .map(|run| match run {
            Run::Latin(latin) => view! { <bdi dir="ltr">{latin.to_owned()}</bdi> }.into_any(),
            Run::Other(other) => other.to_owned().into_any(),
        })
        .collect_view()
}
