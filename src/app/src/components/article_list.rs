use crate::components::ArticleCard;
use leptos::prelude::*;
use sahifa_core::bundle::ListingRow;
use sahifa_core::text::articles_count_label;

/// The list of articles with a count the screen reader announces as it changes.
#[component]
pub fn ArticleList(rows: Vec<(ListingRow, String)>) -> impl IntoView {
    let count = rows.len();
    let items = rows
        .into_iter()
        .map(|(row, href)| view! { <li><ArticleCard row=row href=href/></li> })
        .collect_view();
    view! {
        <p class="result-count" data-testid="result-count" aria-live="polite">{articles_count_label(count)}</p>
        {(count == 0).then(|| view! {
            <p class="empty" data-testid="empty-state">"لا توجد مقالات تطابق البحث. جرّب كلمات أخرى أو أزل أحد المرشِّحات."</p>
        })}
        <ol class="article-list" data-testid="article-list">{items}</ol>
    }
}
