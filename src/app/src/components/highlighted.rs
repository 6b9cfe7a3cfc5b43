use crate::components::BidiText;
use leptos::prelude::*;
use sahifa_core::search::Segment;

/// Text with the query's matches marked. The segments come from the original text, so the reader sees the
/// word as written (أَمْن), whatever form they typed (امن).
#[component]
pub fn Highlighted(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|segment| {
            if segment.hit {
                view! { <mark data-testid="match"><BidiText text=segment.text/></mark> }.into_any()
            } else {
                view! { <BidiText text=segment.text/> }.into_any()
            }
        })
        .collect_view()
}

/// A single unmarked segment, for text shown without a query.
pub fn unmarked(text: &str) -> Vec<Segment> {
    vec![Segment { text: text.to_owned(), hit: false }]
}
