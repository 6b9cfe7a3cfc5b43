use crate::components::BidiText;
use leptos::prelude::*;
use sahifa_core::bundle::ListingRow;

/// One article in the list: title (a link to the article), outlet, date and excerpt.
#[component]
pub fn ArticleCard(row: ListingRow, #[prop(into)] href: String) -> impl IntoView {
    let date = match row.published {
        Some(date) => view! { <time datetime=date.to_string() data-testid="card-date">{date.to_moroccan_arabic()}</time> }.into_any(),
        None => view! { <span class="unknown" data-testid="card-date">"تاريخ النشر غير معروف"</span> }.into_any(),
    };
    let outlet = row.outlet.clone().map(|outlet| view! { <span class="outlet" data-testid="card-outlet"><BidiText text=outlet/></span> });
    view! {
        <article class="card" data-testid="article-card" data-id=row.id.clone()>
            <h2 class="card-title"><a href=href data-testid="card-link"><BidiText text=row.title.clone()/></a></h2>
            <p class="meta">{outlet}{date}</p>
            <p class="excerpt"><BidiText text=row.excerpt.clone()/></p>
        </article>
    }
}
