use crate::components::{ArticleLink, ArticleLinks};
use leptos::prelude::*;
use sahifa_core::story::outlets_told;
use sahifa_core::text::OUTLETS;

/// «نشر أيضا في 3 منابر»: the same story as other outlets told it (found at build time by fingerprints of
/// their texts), each a link to that article. Nothing shows when the story was told once.
#[component]
pub fn AlsoPublished(tellings: Vec<ArticleLink>) -> impl IntoView {
    let outlets = outlets_told(tellings.iter().map(|telling| telling.outlet.as_deref()));
    view! { <ArticleLinks heading=also_published_label(outlets) heading_id="also-published-heading" testid="also-published" item_testid="telling" links=tellings/> }
}

/// «نشر أيضا في منبرين»: how a story's other tellings are announced, on its cards and its article page.
pub fn also_published_label(outlets: usize) -> String {
    format!("نشر أيضا في {}", crate::archive_style().count(outlets as u64, &OUTLETS))
}
