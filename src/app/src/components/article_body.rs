use crate::components::{BidiText, Highlighted, HijriDate, ShareActions};
use leptos::prelude::*;
use sahifa_core::search::{Highlighter, Query};
use sahifa_core::model::source_url;
use sahifa_core::{Article, BlockKind};

/// A whole article: title, outlet and date, then its paragraphs and subheadings in order. Text is always
/// inserted as text, never as HTML.
/// The words of `query` are marked wherever they occur, in whatever form the article writes them.
#[component]
pub fn ArticleBody(
    article: Article,
    #[prop(into)] back_href: String,
    #[prop(optional)] query: Query,
    /// More actions beside copy and share (the viewer's save toggle).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let highlighter = Highlighter::new(&query);
    let title_ref = NodeRef::<leptos::html::H1>::new();
    // Move focus to the title so keyboard and screen-reader users start reading where the article starts; once
    // the article is painted, since a focus lays the page out at once (about 100 ms at a phone's speed, which
    // would otherwise hold back the paint).
    Effect::new(move |_| {
        if let Some(title) = title_ref.get() {
            crate::after_next_paint(move || {
                let _ = title.focus();
            });
        }
    });
    let date = match article.published {
        Some(date) => view! {
            <time datetime=date.to_string() data-testid="article-date">{crate::archive_style().date(date)}</time>
            <HijriDate date=date/>
        }
        .into_any(),
        None => view! { <span class="unknown" data-testid="article-date">"تاريخ النشر غير معروف"</span> }.into_any(),
    };
    let outlet = article.outlet.clone().map(|outlet| view! { <span class="outlet" data-testid="article-outlet"><BidiText text=outlet/></span> });
    // The builder keeps only http and https addresses; bundle bytes are untrusted, so the rule is applied again.
    let source = article.url.as_deref().and_then(|url| source_url(url).ok()).map(|url| {
        view! {
            <p class="source">
                <a href=url target="_blank" rel="noopener noreferrer" data-testid="source-link">"اقرأ الخبر في مصدره"</a>
            </p>
        }
    });
    let blocks = article
        .blocks
        .iter()
        .map(|block| match block.kind {
            BlockKind::Subheading => view! { <h2 class="subheading"><Highlighted segments=highlighter.segments(&block.text)/></h2> }.into_any(),
            BlockKind::Paragraph => view! { <p><Highlighted segments=highlighter.segments(&block.text)/></p> }.into_any(),
        })
        .collect_view();
    view! {
        <article class="reader" data-testid="article-view">
            <a class="back" href=back_href data-testid="back-link">"→ العودة إلى القائمة"</a>
            <h1 data-testid="article-title" tabindex="-1" node_ref=title_ref><Highlighted segments=highlighter.segments(&article.title)/></h1>
            <p class="meta">{outlet}{date}</p>
            <div class="article-actions">
                <ShareActions title=article.title.clone()/>
                {children.map(|children| children())}
            </div>
            <div class="article-text">{blocks}</div>
            {source}
        </article>
    }
}
