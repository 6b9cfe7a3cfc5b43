use crate::components::{also_published_label, BidiText, Highlighted};
use leptos::prelude::*;
use sahifa_core::bundle::ListingRow;
use sahifa_core::search::Segment;

/// What one card shows: the listing row, its link, and title and excerpt with the query's matches marked.
#[derive(Clone, Debug, PartialEq)]
pub struct CardData {
    pub row: ListingRow,
    pub href: String,
    pub title: Vec<Segment>,
    pub excerpt: Vec<Segment>,
    /// How many outlets told its story too (`story::outlets_told`); `None` until known, or told once.
    pub also: Option<usize>,
}

/// One article in the list: title (a link to the article), outlet, date, «نشر أيضا في …» when other outlets
/// told its story, and excerpt.
#[component]
pub fn ArticleCard(card: CardData) -> impl IntoView {
    let CardData { row, href, title, excerpt, also } = card;
    let style = crate::archive_style();
    let date = match row.published {
        Some(date) => view! { <time datetime=date.to_string() data-testid="card-date">{style.date(date)}</time> }.into_any(),
        None => view! { <span class="unknown" data-testid="card-date">"تاريخ النشر غير معروف"</span> }.into_any(),
    };
    let outlet = row.outlet.map(|outlet| view! { <span class="outlet" data-testid="card-outlet"><BidiText text=outlet/></span> });
    view! {
        <article class="card" data-testid="article-card" data-id=row.id>
            <h2 class="card-title"><a href=href data-testid="card-link"><Highlighted segments=title/></a></h2>
            <p class="meta">{outlet}{date}{also.map(|outlets| view! { <span class="also" data-testid="card-also">{also_published_label(outlets)}</span> })}</p>
            <p class="excerpt" data-testid="card-excerpt"><Highlighted segments=excerpt/></p>
        </article>
    }
}
