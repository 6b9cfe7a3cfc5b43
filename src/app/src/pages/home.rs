use crate::components::{ArticleList, ErrorNotice, FacetGroup, HeadlinesPanel, LoadingNotice};
use crate::data::{Library, Load, Store};
use crate::nav::Router;
use leptos::prelude::*;
use sahifa_core::normalize::normalized_words;
use sahifa_core::route::ViewState;
use sahifa_core::search::{list_view, ListResult};
use std::sync::Arc;

/// The article list with its facets and the sidebar headlines.
#[component]
pub fn HomePage(library: Arc<Library>) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let state = router.state;

    let has_words = Memo::new(move |_| state.with(|s| !normalized_words(&s.query).is_empty()));
    Effect::new(move |_| {
        if has_words.get() {
            store.ensure_index();
        }
    });

    let rows_library = library.clone();
    let result = Memo::new(move |_| -> Load<ListResult> {
        let current = state.get();
        let matches = if has_words.get() {
            match store.index.get() {
                Some(Load::Ready(index)) => index.matching_rows(&current.query),
                Some(Load::Failed(message)) => return Load::Failed(message),
                _ => return Load::Loading,
            }
        } else {
            None
        };
        Load::Ready(list_view(&rows_library.rows, matches.as_deref(), &current))
    });

    // While the search index loads, the facets keep the counts they had for the whole archive.
    let all_facets = library.manifest.facets.clone();
    let facets = Memo::new(move |_| match result.get() {
        Load::Ready(result) => result.facets,
        _ => all_facets.clone(),
    });
    let choose = move |change: fn(&mut ViewState, Option<String>)| {
        Callback::new(move |value: Option<String>| {
            let mut next = state.get_untracked().list();
            change(&mut next, value);
            router.push(next);
        })
    };

    let list_library = library.clone();
    let list = move || match result.get() {
        Load::Loading => view! { <LoadingNotice message="جارٍ تحميل فهرس البحث…"/> }.into_any(),
        Load::Failed(message) => {
            let retry = Callback::new(move |_| {
                store.index.set(None);
                store.ensure_index();
            });
            view! { <ErrorNotice message=message on_retry=retry/> }.into_any()
        }
        Load::Ready(result) => {
            let current = state.get_untracked();
            let rows = result
                .rows
                .iter()
                .map(|&position| {
                    let row = list_library.rows[position].clone();
                    let href = current.with_article(&row.id).to_hash();
                    (row, href)
                })
                .collect();
            view! { <ArticleList rows=rows/> }.into_any()
        }
    };

    view! {
        <div class="home" data-testid="home">
            <div class="filters" role="group" aria-label="تصفية المقالات">
                <FacetGroup
                    title="المنبر"
                    testid="facet-outlet"
                    values=Signal::derive(move || facets.get().outlets)
                    selected=Signal::derive(move || state.with(|s| s.outlet.clone()))
                    on_select=choose(|next, value| next.outlet = value)
                />
                <FacetGroup
                    title="السنة"
                    testid="facet-year"
                    values=Signal::derive(move || facets.get().years)
                    selected=Signal::derive(move || state.with(|s| s.year.map(|year| year.to_string())))
                    on_select=choose(|next, value| next.year = value.and_then(|year| year.parse().ok()))
                />
            </div>
            <section class="results" aria-label="المقالات">{list}</section>
            <aside class="side-headlines">
                <HeadlinesPanel headlines=library.headlines.clone()/>
            </aside>
        </div>
    }
}
