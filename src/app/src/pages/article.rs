use crate::components::{AlsoPublished, ArticleBody, ArticleLink, ErrorNotice, LoadingNotice, RelatedArticles, SaveToggle};
use crate::shelf::{entry_of, ShelfStore};
use crate::data::Store;
use crate::nav::Router;
use crate::IN_A_BROWSER;
use leptos::prelude::*;
use sahifa_core::route::ViewState;
use sahifa_core::search::Query;

/// One article, fetched with its shard the first time it is opened. A link names the article by its stable
/// id; the list already knows its place, and a link opened cold finds it through the id's buckets.
#[component]
pub fn ArticlePage(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let shelf = expect_context::<ShelfStore>();
    let back_href = router.state.with_untracked(|state| state.list().to_hash());
    let query = router.state.with_untracked(|state| Query::parse(&state.query));
    if IN_A_BROWSER {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
    on_cleanup(move || set_document_title(store, None));
    // Escape goes back to the list the article was opened from (its query and filters ride in the address).
    let escape = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && !crate::keys::typing_in_a_field(&event) {
            router.push(router.state.get_untracked().list());
        }
    });
    on_cleanup(move || escape.remove());

    // The article: at hand where the page carries it (drawn at build time), drawn at once; else a resource,
    // loading, failed with a retry, missing from the archive, or here. Leaving the page before it arrives
    // aborts its fetches.
    let at_hand = store.article_at_hand(&id).map(|found| Ok(Some(found)));
    let wanted = id.clone();
    let article = at_hand.is_none().then(|| {
        LocalResource::new(move || {
            let id = wanted.clone();
            async move { store.article(&id).await }
        })
    });
    let content = move || match at_hand.clone().or_else(|| article.and_then(|article| article.get())) {
        None => view! { <LoadingNotice message="جارٍ تحميل المقال…"/> }.into_any(),
        Some(Err(message)) => {
            let retry = Callback::new(move |_| {
                store.retry_all();
                if let Some(article) = article {
                    article.refetch();
                }
            });
            view! { <ErrorNotice message=message on_retry=retry/> }.into_any()
        }
        Some(Ok(None)) => view! {
            <div class="notice error" data-testid="not-found" role="alert">
                <p>"لم نجد هذا المقال في الأرشيف. ربما تغيّر الرابط أو أُعيد بناء الأرشيف."</p>
                <a href=back_href.clone() data-testid="back-link">"→ العودة إلى القائمة"</a>
            </div>
        }
        .into_any(),
        Some(Ok(Some((doc, article)))) => {
            set_document_title(store, Some(&article.title));
            // Into the reading history, outside this render (views write no signal while drawing).
            let read = entry_of(&article);
            if IN_A_BROWSER {
                crate::on_next_frame(move || shelf.note_read(read));
            }
            let entry = entry_of(&article);
            view! {
                <ArticleBody article=article back_href=back_href.clone() query=query.clone()>
                    <SaveToggle entry=entry/>
                </ArticleBody>
                {linked_after_article(
                    move || async move { store.story_rows(doc).await },
                    "also-published-failed",
                    "تعذّر تحميل ما نشرته منابر أخرى عن الخبر نفسه.",
                    |tellings| view! { <AlsoPublished tellings=tellings/> }.into_any(),
                )}
                // Related articles are chosen at build time among those of the article's segment.
                {linked_after_article(
                    move || async move { store.related_rows(doc).await },
                    "related-failed",
                    "تعذّر تحميل المقالات ذات الصلة.",
                    |articles| view! { <RelatedArticles articles=articles/> }.into_any(),
                )}
            }
            .into_any()
        }
    };
    view! { <div class="article-page" data-testid="article-page">{content}</div> }.into_any()
}

/// The tab's title: the article's while it is open, the archive's again after.
fn set_document_title(store: Store, article_title: Option<&str>) {
    if !IN_A_BROWSER {
        return;
    }
    let archive = store.manifest().map(|library| library.manifest.archive.clone()).unwrap_or_default();
    document().set_title(&archive.page_title(article_title));
}

/// Other articles named under this one (its story's other tellings, its related articles), loaded after the
/// article itself: nothing shows while they load or when there are none; a failure says so quietly (`failed`,
/// marked `failed_testid`), as the article stands without them.
fn linked_after_article<Fut>(load: impl Fn() -> Fut + 'static, failed_testid: &'static str, failed: &'static str, show: fn(Vec<ArticleLink>) -> AnyView) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<Vec<sahifa_core::bundle::ListingRow>, crate::data::LoadError>> + 'static,
{
    let router = expect_context::<Router>();
    let rows = LocalResource::new(load);
    move || match rows.get() {
        None => None,
        Some(Err(_)) => Some(view! { <p class="hint" data-testid=failed_testid>{failed}</p> }.into_any()),
        Some(Ok(rows)) => Some(show(links_to(rows, router))),
    }
}

/// Links to the articles of `rows`, each opened over the list this article was opened from.
fn links_to(rows: Vec<sahifa_core::bundle::ListingRow>, router: Router) -> Vec<ArticleLink> {
    let list = router.state.with_untracked(ViewState::list);
    rows.into_iter().map(|row| ArticleLink { href: list.with_article(&row.id).to_hash(), title: row.title, outlet: row.outlet, published: row.published }).collect()
}
