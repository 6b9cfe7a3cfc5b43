use crate::components::{ArticleLink, ArticleLinks};
use leptos::prelude::*;

/// «مقالات ذات صلة»: up to five articles of the archive that share this one's distinctive words, chosen at
/// build time (core `related`), most related first. Nothing shows when there are none.
#[component]
pub fn RelatedArticles(articles: Vec<ArticleLink>) -> impl IntoView {
    view! { <ArticleLinks heading="مقالات ذات صلة".to_owned() heading_id="related-heading" testid="related-articles" item_testid="related-article" links=articles/> }
}
