use crate::components::{ArticleBody, ErrorNotice, LoadingNotice, SaveToggle};
use crate::shelf::{entry_of, ShelfStore};
use crate::data::{Load, Store};
use crate::nav::Router;
use leptos::prelude::*;
use sahifa_core::bundle::FamilyKind;
use sahifa_core::search::Query;

/// One article, fetched with its shard the first time it is opened. A link names the article by its stable
/// id; the list already knows its place, and a link opened cold finds it through the id's bucket.
#[component]
pub fn ArticlePage(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let shelf = expect_context::<ShelfStore>();
    let back_href = router.state.with_untracked(|state| state.list().to_hash());
    let query = router.state.with_untracked(|state| Query::parse(&state.query));
    window().scroll_to_with_x_and_y(0.0, 0.0);
    on_cleanup(|| set_document_title(""));
    // Escape goes back to the list the article was opened from (its query and filters ride in the address).
    let escape = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && !crate::keys::typing_in_a_field(&event) {
            router.push(router.state.get_untracked().list());
        }
    });
    on_cleanup(move || escape.remove());

    let located_id = id.clone();
    let doc = Memo::new(move |_| store.locate(&located_id));
    let content = move || {
        let doc = match doc.get() {
            None => return view! { <LoadingNotice message="جارٍ تحميل المقال…"/> }.into_any(),
            Some(Err(message)) if !message.is_empty() => {
                let retry = Callback::new(move |_| store.retry_all());
                return view! { <ErrorNotice message=message on_retry=retry/> }.into_any();
            }
            Some(Err(_)) => {
                return view! {
                    <div class="notice error" data-testid="not-found" role="alert">
                        <p>"لم نجد هذا المقال في الأرشيف. ربما تغيّر الرابط أو أُعيد بناء الأرشيف."</p>
                        <a href=back_href.clone() data-testid="back-link">"→ العودة إلى القائمة"</a>
                    </div>
                }
                .into_any();
            }
            Some(Ok(doc)) => doc,
        };
        let at = match store.shard_of(FamilyKind::Articles, doc) {
            Some(Some(at)) => at,
            Some(None) => return view! { <ErrorNotice message="الأرشيف لا يحوي هذا المقال." on_retry=Callback::new(move |_| store.load_library())/> }.into_any(),
            None => {
                return match store.catalog_failure.get() {
                    Some(message) => view! { <ErrorNotice message=message on_retry=Callback::new(move |_| store.retry_all())/> }.into_any(),
                    None => view! { <LoadingNotice message="جارٍ تحميل المقال…"/> }.into_any(),
                };
            }
        };
        let key = (at.segment, at.number);
        store.ensure_articles(key);
        match store.articles.with(|shards| shards.get(&key).cloned()) {
            None | Some(Load::Loading) => view! { <LoadingNotice message="جارٍ تحميل المقال…"/> }.into_any(),
            Some(Load::Failed(message)) => {
                let retry = Callback::new(move |_| store.retry_all());
                view! { <ErrorNotice message=message on_retry=retry/> }.into_any()
            }
            Some(Load::Ready(loaded)) => match loaded.articles.get(at.index as usize).filter(|a| a.id == id) {
                Some(article) => {
                    set_document_title(&article.title);
                    // Into the reading history, outside this render (views write no signal while drawing).
                    let read = entry_of(article);
                    request_animation_frame(move || shelf.note_read(read));
                    let entry = entry_of(article);
                    view! {
                        <ArticleBody article=article.clone() back_href=back_href.clone() query=query.clone()>
                            <SaveToggle entry=entry/>
                        </ArticleBody>
                    }
                    .into_any()
                }
                None => view! {
                    <ErrorNotice message="ملف المقالات لا يحوي هذا المقال: الأرشيف غير متّسق، أعد بناءه." on_retry=Callback::new(move |_| store.load_library())/>
                }
                .into_any(),
            },
        }
    };
    view! { <div class="article-page">{content}</div> }.into_any()
}

fn set_document_title(article_title: &str) {
    let title = if article_title.is_empty() { "صحيفة — أرشيف الأخبار".to_owned() } else { format!("{article_title} — صحيفة") };
    document().set_title(&title);
}
