use crate::components::article_card::CardData;
use crate::components::ArticleCard;
use leptos::prelude::*;
use sahifa_core::text::articles_count_label;

/// Cards are added this many at a time, so a long result list never floods a phone's DOM.
pub const PAGE_SIZE: usize = 30;

/// The list of articles with a count the screen reader announces as it changes, and a button for more.
#[component]
pub fn ArticleList(
    cards: Vec<CardData>,
    total: usize,
    /// Called when the reader asks for the next page of cards.
    on_more: Callback<()>,
) -> impl IntoView {
    let shown = cards.len();
    let items = cards.into_iter().map(|card| view! { <li><ArticleCard card=card/></li> }).collect_view();
    view! {
        <p class="result-count" data-testid="result-count" aria-live="polite">{articles_count_label(total)}</p>
        {(total == 0).then(|| view! {
            <p class="empty" data-testid="empty-state">"لا توجد مقالات تطابق البحث. جرّب كلمات أخرى أو أزل أحد المرشِّحات."</p>
        })}
        <ol class="article-list" data-testid="article-list">{items}</ol>
        {(shown < total).then(|| view! {
            <button type="button" class="more" data-testid="show-more" on:click=move |_| on_more.run(())>
                {format!("عرض المزيد ({} من {})", shown, total)}
            </button>
        })}
    }
}
