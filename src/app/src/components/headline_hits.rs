use crate::components::Highlighted;
use leptos::prelude::*;
use sahifa_core::search::Segment;

/// Sidebar headlines that match the query, marked as headlines: they are titles the crawler saw beside the
/// articles, not articles of the archive.
#[component]
pub fn HeadlineHits(hits: Vec<Vec<Segment>>) -> impl IntoView {
    let count = hits.len();
    view! {
        <section class="headline-hits" data-testid="headline-hits" aria-labelledby="headline-hits-heading">
            <h2 id="headline-hits-heading">{format!("عناوين متداولة مطابقة ({})", crate::archive_style().number(count as u64))}</h2>
            <ul>
                {hits.into_iter().map(|segments| view! {
                    <li data-testid="headline-hit">
                        <span class="badge">"عنوان"</span>
                        " "
                        <Highlighted segments=segments/>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
