use crate::components::{ArticleList, CardData, ErrorNotice, FacetGroup, HeadlineHits, HeadlinesPanel, LoadingNotice};
use crate::data::{Library, Load, Store};
use crate::nav::Router;
use leptos::prelude::*;
use sahifa_core::route::ViewState;
use sahifa_core::search::{list_view, Highlighter, Hit, ListResult, Query};
use std::sync::Arc;

/// How many matching sidebar headlines a search shows.
const HEADLINE_HITS_SHOWN: usize = 10;

/// The article list with its facets and the sidebar headlines.
#[component]
pub fn HomePage(library: Arc<Library>) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let state = router.state;

    let query = Memo::new(move |_| state.with(|s| Query::parse(&s.query)));
    let searching = Memo::new(move |_| !query.with(Query::is_empty));
    Effect::new(move |_| {
        if searching.get() {
            store.ensure_index();
        }
    });
    // The rows the virtual list has on screen, so only their excerpts are fetched.
    let (on_screen, set_on_screen) = signal((0usize, 0usize));

    // The search runs when the query or the index changes, not when a facet does.
    let hits = Memo::new(move |_| -> Option<Load<(Vec<Hit>, Vec<Hit>)>> {
        let query = query.get();
        if query.is_empty() {
            return None;
        }
        Some(match store.index.get() {
            Some(Load::Ready(index)) => {
                let started = now_ms();
                let found = (index.articles.search(&query), index.headlines.search(&query));
                record_search_time(now_ms() - started);
                Load::Ready(found)
            }
            Some(Load::Failed(message)) => Load::Failed(message),
            _ => Load::Loading,
        })
    });
    let rows_library = library.clone();
    let result = Memo::new(move |_| -> Load<(ListResult, Vec<Hit>)> {
        let current = state.get();
        hits.with(|hits| match hits {
            None => Load::Ready((list_view(&rows_library.rows, None, &current), Vec::new())),
            Some(Load::Ready((articles, headlines))) => {
                Load::Ready((list_view(&rows_library.rows, Some(articles), &current), headlines.clone()))
            }
            Some(Load::Failed(message)) => Load::Failed(message.clone()),
            Some(Load::Loading) => Load::Loading,
        })
    });

    // Excerpts around the best match need the article text: fetch the shards of the cards on screen.
    let shard_library = library.clone();
    Effect::new(move |_| {
        if let (true, Load::Ready((list, _))) = (searching.get(), result.get()) {
            let (first, end) = on_screen.get();
            let visible = list.rows.get(first..end.min(list.rows.len())).unwrap_or_default();
            let mut shards: Vec<usize> = visible.iter().map(|&row| shard_library.rows[row].shard).collect();
            shards.sort_unstable();
            shards.dedup();
            shards.into_iter().for_each(|shard| store.ensure_shard(shard));
        }
    });

    // While the search index loads, the facets keep the counts they had for the whole archive.
    let all_facets = library.manifest.facets.clone();
    let facets = Memo::new(move |_| match result.get() {
        Load::Ready((list, _)) => list.facets,
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
        Load::Ready((list, headline_hits)) => {
            let current = state.get_untracked();
            let highlighter = std::sync::Arc::new(Highlighter::new(&query.get_untracked()));
            let total = list.rows.len();
            let rows = std::sync::Arc::new(list.rows.clone());
            let card_library = list_library.clone();
            let card_highlighter = highlighter.clone();
            let card_at = Callback::new(move |index: usize| {
                let highlighter = &card_highlighter;
                let row = card_library.rows[rows[index]].clone();
                let excerpt = store.shards.with(|shards| {
                    let loaded = match shards.get(&row.shard) {
                        Some(Load::Ready(shard)) if searching.get_untracked() => shard.articles.iter().find(|a| a.id == row.id),
                        _ => None,
                    };
                    match loaded {
                        Some(article) => highlighter.excerpt(article.blocks.iter().map(|b| b.text.as_str())),
                        None => highlighter.segments(&row.excerpt),
                    }
                });
                let title = highlighter.segments(&row.title);
                let href = current.with_article(&row.id).to_hash();
                CardData { row, href, title, excerpt }
            });
            let headline_hits: Vec<_> = match store.headlines.get() {
                Load::Ready(headlines) => headline_hits
                    .iter()
                    .take(HEADLINE_HITS_SHOWN)
                    .filter_map(|hit| headlines.get(hit.doc as usize))
                    .map(|headline| highlighter.segments(&headline.text))
                    .collect(),
                _ => Vec::new(),
            };
            view! {
                <ArticleList total=total card_at=card_at on_window=Callback::new(move |range| set_on_screen.set(range))/>
                {(!headline_hits.is_empty()).then(|| view! { <HeadlineHits hits=headline_hits/> })}
            }
            .into_any()
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
            <section class="results" aria-labelledby="results-heading">
                <h1 id="results-heading" class="visually-hidden">"مقالات الأرشيف"</h1>
                {list}
            </section>
            <aside class="side-headlines">
                {move || match store.headlines.get() {
                    Load::Ready(headlines) => view! { <HeadlinesPanel headlines=headlines.to_vec()/> }.into_any(),
                    Load::Loading => view! { <LoadingNotice message="جارٍ تحميل العناوين المتداولة…"/> }.into_any(),
                    Load::Failed(message) => view! { <ErrorNotice message=message on_retry=Callback::new(move |_| store.load_headlines())/> }.into_any(),
                }}
            </aside>
        </div>
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |performance| performance.now())
}

/// Leaves the last query's compute time (index already loaded) on `window.__sahifaSearchMs`, where the scale
/// benchmark reads it to separate computing from downloading.
fn record_search_time(milliseconds: f64) {
    let _ = js_sys::Reflect::set(&window(), &"__sahifaSearchMs".into(), &milliseconds.into());
}
