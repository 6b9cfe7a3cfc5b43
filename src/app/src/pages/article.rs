use crate::components::{ArticleBody, ErrorNotice, LoadingNotice};
use crate::data::{Library, Load, Store};
use crate::nav::Router;
use leptos::prelude::*;
use sahifa_core::search::Query;
use std::sync::Arc;

/// One article, fetched with its shard the first time it is opened.
#[component]
pub fn ArticlePage(library: Arc<Library>, id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let back_href = router.state.with_untracked(|state| state.list().to_hash());
    let query = router.state.with_untracked(|state| Query::parse(&state.query));
    window().scroll_to_with_x_and_y(0.0, 0.0);

    let Some(position) = library.row_position(&id) else {
        return view! {
            <div class="notice error" data-testid="not-found" role="alert">
                <p>"لم نجد هذا المقال في الأرشيف. ربما تغيّر الرابط أو أُعيد بناء الأرشيف."</p>
                <a href=back_href data-testid="back-link">"→ العودة إلى القائمة"</a>
            </div>
        }
        .into_any();
    };
    let row = library.rows[position].clone();
    set_document_title(&row.title);
    on_cleanup(|| set_document_title(""));
    let shard = row.shard;
    store.ensure_shard(shard);

    let content = move || match store.shards.with(|shards| shards.get(&shard).cloned()) {
        None | Some(Load::Loading) => view! { <LoadingNotice message="جارٍ تحميل المقال…"/> }.into_any(),
        Some(Load::Failed(message)) => {
            let retry = Callback::new(move |_| {
                store.shards.update(|shards| {
                    shards.remove(&shard);
                });
                store.ensure_shard(shard);
            });
            view! { <ErrorNotice message=message on_retry=retry/> }.into_any()
        }
        Some(Load::Ready(loaded)) => match loaded.articles.iter().find(|article| article.id == row.id) {
            Some(article) => view! { <ArticleBody article=article.clone() back_href=back_href.clone() query=query.clone()/> }.into_any(),
            None => view! {
                <ErrorNotice message="ملف المقالات لا يحوي هذا المقال: الأرشيف غير متّسق، أعد بناءه." on_retry=Callback::new(move |_| store.load_library())/>
            }
            .into_any(),
        },
    };
    view! { <div class="article-page">{content}</div> }.into_any()
}

fn set_document_title(article_title: &str) {
    let title = if article_title.is_empty() { "صحيفة — أرشيف الأخبار".to_owned() } else { format!("{article_title} — صحيفة") };
    document().set_title(&title);
}
