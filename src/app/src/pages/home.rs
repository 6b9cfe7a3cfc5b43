use crate::components::SaveList;
use crate::pwa::Pwa;
use crate::search_worker::{FirstPlaces, ListRequest};
use super::list_actions::ListActions;
use crate::components::article_list::ListLength;
use crate::components::{ActiveFilter, ArticleList, CardData, DateRange, ErrorNotice, ExportActions, FacetGroup, FilterBar, FilterKey, FoldStories, HeadlineHits, HeadlinesPanel, LoadingNotice, SortSelect, Timeline};
use crate::data::{Library, Load, LoadError, Store};
use crate::nav::Router;
use leptos::prelude::*;
use sahifa_core::route::{Sort, ViewState};
use sahifa_core::search::{Highlighter, Query};
use sahifa_core::timeline::{month_bars, year_bars};
use sahifa_core::view::{list_view, Facets, ListResult, Listed};
use std::sync::Arc;

/// How many matching sidebar headlines a search shows.
const HEADLINE_HITS_SHOWN: usize = 10;
/// Why a date range cannot apply to an archive whose segments carry no day counts.
/// The filters' element, which the phone's «تصفية» button shows and hides.
const FILTERS_ID: &str = "filters";

/// The article list with its facets and the sidebar headlines. Rows arrive shard by shard as they come on
/// screen; a query's hits arrive from the sharded index; outlet counts need the outlet column of the listed
/// documents.
#[component]
pub fn HomePage(library: Arc<Library>) -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let state = router.state;

    let query = Memo::new(move |_| state.with(|s| Query::parse(&s.query)));
    // A date range is a range of documents, found from the segments' day counts.
    let dates = Memo::new(move |_| -> Load<Option<(u32, u32)>> {
        let (from, to) = state.with(|s| (s.from, s.to));
        if from.is_none() && to.is_none() {
            return Load::Ready(None);
        }
        match store.ask(|catalog| catalog.date_span(from, to)) {
            Some(Ok(Some(span))) => Load::Ready(Some(span)),
            Some(Ok(None)) => Load::Failed(LoadError::NoDays),
            _ => store.catalog_failure.get().map_or(Load::Loading, Load::Failed),
        }
    });
    // A query's list is filtered, ordered and counted in the search worker, off the page's thread: at a
    // million articles a frequent word's prefix lists most of the archive, and counting it here was a long
    // task for every letter typed. What the worker is asked, once the date range is known:
    let asked = Memo::new(move |_| -> Option<Load<ListRequest>> {
        if query.with(Query::is_empty) {
            return None;
        }
        Some(match dates.get() {
            Load::Ready(span) => Load::Ready(state.with(|s| ListRequest::new(s, span))),
            Load::Loading => Load::Loading,
            Load::Failed(message) => Load::Failed(message),
        })
    });
    // On phones the filters are folded until asked for; the ones in force show as chips.
    let filters_open = RwSignal::new(false);
    let filters = NodeRef::<leptos::html::Div>::new();
    let filters_shown = shown_signal(filters, filters_open);
    // Its list comes at once; the outlet counts may wait for outlet columns, and a second request waits for
    // them, made only while the filters are on screen: on a phone they are folded, and a search there reads
    // no outlet column until the reader opens them (about 24 KB a search on SaudiNewsNet + ANT).
    // A list in the search's own order may show its first cards early, while the rest is read and counted
    // (`Listing::first`): the first screen's rows, as the list draws them before it is measured.
    // Folding stories changes the list on the page, not the worker's request: the fold is read, not tracked.
    // While the filters are folded (a phone), nothing on screen needs the rest: the worker holds it until the
    // reader scrolls into the list, asks for it, or opens the filters. At 100k articles a frequent word's
    // first cards read 17–63 KB of search pieces, the rest 210–400 KB more (BENCHMARKS.md).
    let first_cards: FirstCards = RwSignal::new(None);
    let search = LocalResource::new(move || {
        let request = ready(asked.get());
        let first = match &request {
            Some(request) if request.lists_in_search_order() && !state.with_untracked(|s| s.fold) => crate::components::article_list::first_screen_rows(),
            _ => 0,
        };
        let hold = first > 0 && !filters_shown.get_untracked();
        list_in_worker(request, asked, store, false, first, hold, Some(first_cards))
    });
    // The rest of a held list, once the reader wants it.
    let show_rest = move || {
        if let Some(id) = first_cards.try_update(|early| early.as_mut().and_then(|early| early.held.take())).flatten() {
            crate::search_worker::proceed(id);
        }
    };
    // The filters count the list's hits: shown, they want it whole (also when they were measured only after
    // the list was asked for).
    Effect::new(move |_| {
        let held = first_cards.with(|early| early.as_ref().is_some_and(|early| early.held.is_some()));
        if held && filters_shown.get() {
            show_rest();
        }
    });
    let counts = LocalResource::new(move || {
        let wanted = match (ready(asked.get()), search.get().flatten()) {
            (Some(request), Some((answered, Load::Ready(list)))) if answered == request && !list.pending.is_empty() && filters_shown.get() => Some(request),
            _ => None,
        };
        list_in_worker(wanted, asked, store, true, 0, false, None)
    });

    let view_library = library.clone();
    let result = Memo::new(move |_| -> Load<ListResult> {
        if let Some(asked) = asked.get() {
            let request = match asked {
                Load::Ready(request) => request,
                Load::Loading => return Load::Loading,
                Load::Failed(message) => return Load::Failed(message),
            };
            let answer = |resource: LocalResource<Option<(ListRequest, Load<Arc<ListResult>>)>>| {
                resource.get().flatten().filter(|(answered, _)| *answered == request).map(|(_, answer)| answer)
            };
            return match answer(search) {
                Some(Load::Ready(list)) => {
                    let mut result = ListResult::clone(&list);
                    if !result.pending.is_empty() {
                        match answer(counts) {
                            Some(Load::Ready(full)) => {
                                result.facets.outlets = full.facets.outlets.clone();
                                result.pending.clear();
                            }
                            // Counts that cannot arrive must not stand in as right: a damaged block is an error.
                            Some(Load::Failed(message)) => return Load::Failed(message),
                            _ => {}
                        }
                    }
                    Load::Ready(result)
                }
                Some(Load::Failed(message)) => Load::Failed(message),
                _ => Load::Loading,
            };
        }
        // Without a query the view is ranges of documents, and outlet columns only for an outlet's counts or
        // list: the page computes it.
        let current = state.get();
        let manifest = &view_library.manifest;
        let failed = store.outlets_failure().or_else(|| store.catalog_failure.get());
        let dates = match dates.get() {
            Load::Ready(dates) => dates,
            Load::Loading => return Load::Loading,
            Load::Failed(message) => return Load::Failed(message),
        };
        // Blocks are asked for outside the reactive read so the memo writes no signal, and only once each:
        // a failed block is retried from the error notice, not on every change.
        let request = move |blocks: Vec<sahifa_core::view::OutletBlock>| crate::on_next_frame(move || store.request_outlets(blocks));
        match store.with_outlets(|outlets_of| list_view(manifest, None, &current, dates, outlets_of)) {
            Ok(list) => {
                if !list.pending.is_empty() {
                    // Counts that cannot arrive must not stand in as right: a damaged block is an error.
                    if let Some(message) = failed {
                        return Load::Failed(message);
                    }
                    // The list is complete; its blocks serve the outlet counts alone, read once they show.
                    if filters_shown.get() {
                        request(list.pending.clone());
                    }
                }
                Load::Ready(list)
            }
            Err(blocks) => {
                if let Some(message) = failed {
                    return Load::Failed(message);
                }
                request(blocks);
                Load::Loading
            }
        }
    });

    // While a search or the outlet counts load, the facets keep the counts they last had.
    // Without a query or filter the view needs nothing but the manifest, so it never waits.
    let unfiltered = list_view(&library.manifest, None, &ViewState::default(), None, &|_| Err(vec![(0, u32::MAX)])).map(|list| list.facets);
    let last_facets = StoredValue::new(unfiltered.unwrap_or_default());
    let facets = Memo::new(move |_| match result.get() {
        Load::Ready(list) if list.pending.is_empty() => {
            last_facets.set_value(list.facets.clone());
            list.facets
        }
        Load::Ready(list) => Facets { outlets: last_facets.get_value().outlets, ..list.facets },
        _ => last_facets.get_value(),
    });
    // The outlet counts shown are older than the list while its columns are read.
    let outlets_counting = Memo::new(move |_| filters_shown.get() && result.with(|result| matches!(result, Load::Ready(list) if !list.pending.is_empty())));
    let choose = move |change: fn(&mut ViewState, Option<String>)| {
        Callback::new(move |value: Option<String>| {
            let mut next = state.get_untracked().list();
            change(&mut next, value);
            router.push(next);
        })
    };

    // What is listed, apart from the facet counts: counts arriving for the outlet facet do not draw the list
    // again, only a change of what it lists does.
    let unfolded = Memo::new(move |_| -> Load<Arc<Listed>> {
        result.with(|result| match result {
            Load::Ready(list) => Load::Ready(Arc::new(list.listed.clone())),
            Load::Loading => Load::Loading,
            Load::Failed(message) => Load::Failed(message.clone()),
        })
    });

    let fold = Signal::derive(move || state.with(|s| s.fold));
    let (listed, fold_state) = crate::fold::folded_list(store, fold, unfolded);

    // The first cards the worker sent ahead of the list, while the list itself still loads: with how many
    // articles the list has at least while the worker holds the rest.
    let early = Memo::new(move |_| -> Option<(Arc<Listed>, Option<u32>)> {
        if !matches!(listed.get(), Load::Loading) {
            return None;
        }
        let current = ready(asked.get())?;
        first_cards.with(|early| {
            let early = early.as_ref().filter(|early| early.request == current)?;
            // Never fewer than the cards it shows, whatever the worker said.
            let at_least = early.places.at_least.max(early.places.docs.len() as u32);
            Some((Arc::new(Listed::Picked(early.places.docs.clone())), early.held.map(|_| at_least)))
        })
    });

    // The rows on screen: their listing shards are fetched as they come into view.
    let (on_screen, set_on_screen) = signal((0usize, 0usize));
    Effect::new(move |_| {
        let shown = match listed.get() {
            Load::Ready(listed) => listed,
            _ => match early.get() {
                Some((early, _)) => early,
                None => return,
            },
        };
        let (first, end) = on_screen.get();
        store.ensure_rows((first..end).filter_map(|n| shown.doc_at(n)));
    });

    // The story badges of the cards on screen, once their rows are here: every card's neighbours in date are
    // read in one round, after the cards are drawn, so a badge never delays a card. They are read only while
    // the reader folds stories, and never in an archive of one outlet (which has no other outlet to name):
    // measured with bench-scale, badges on every search cost 10 more requests and 16 KB per cold query on
    // JawharaFM, 18 requests and 67 KB on SaudiNewsNet, whose days of 1,400 articles make each card's
    // neighbourhood 4,096 fingerprints.
    let several_outlets = library.manifest.outlets.len() > 1;
    let badges = LocalResource::new(move || {
        let docs: Vec<u32> = match listed.get() {
            Load::Ready(listed) if several_outlets && fold.get() => {
                let (first, end) = on_screen.get();
                let docs: Vec<u32> = (first..end).filter_map(|n| listed.doc_at(n)).collect();
                let drawn = docs.iter().all(|&doc| !matches!(store.row(doc), Some(Load::Loading)));
                if drawn { docs } else { Vec::new() }
            }
            _ => Vec::new(),
        };
        async move {
            if docs.is_empty() {
                return Default::default();
            }
            store.story_badges(docs).await.unwrap_or_else(|message| {
                // A badge is a hint: without it the card is still right, and the article page says why.
                leptos::logging::warn!("story badges: {message}");
                Default::default()
            })
        }
    });

    // The sidebar's headlines that match the query, highlighted: a memo of the page, made once, so each query
    // highlights them once however many lists are drawn for it.
    let headline_hits = Memo::new(move |_| -> Vec<Vec<sahifa_core::search::Segment>> {
        let query = query.get();
        let Load::Ready(headlines) = store.headlines.get() else { return Vec::new() };
        if query.is_empty() {
            return Vec::new();
        }
        let highlighter = Highlighter::new(&query);
        headlines
            .index
            .search(&query)
            .iter()
            .take(HEADLINE_HITS_SHOWN)
            .filter_map(|hit| headlines.headlines.get(hit.doc as usize))
            .map(|headline| highlighter.segments(&headline.text))
            .collect()
    });

    // The cards of `listed`; with the `length` of a list whose first cards came ahead of it.
    let cards = move |listed: Arc<Listed>, length: ListLength| {
        let current = state.get_untracked();
        let card_highlighter = Arc::new(Highlighter::new(&query.get_untracked()));
        let total = listed.len();
        let card_at = Callback::new(move |index: usize| -> Load<CardData> {
            let row = match listed.doc_at(index).and_then(|doc| store.row(doc)) {
                Some(Load::Ready(row)) => row,
                Some(Load::Failed(message)) => return Load::Failed(message),
                _ => return Load::Loading,
            };
            let title = card_highlighter.segments(&row.title);
            let excerpt = card_highlighter.segments(&row.excerpt);
            let href = current.with_article(&row.id).to_hash();
            let also = listed.doc_at(index).and_then(|doc| badges.with(|badges| badges.as_ref().and_then(|badges| badges.get(&doc).copied())));
            Load::Ready(CardData { row, href, title, excerpt, also })
        });
        view! {
            <ArticleList total=total length=length card_at=card_at on_window=Callback::new(move |range| set_on_screen.set(range)) on_retry=Callback::new(move |_| store.retry_all())/>
            {move || {
                let hits = headline_hits.get();
                (!hits.is_empty()).then(|| view! { <HeadlineHits hits=hits/> })
            }}
        }
        .into_any()
    };
    let list = move || match listed.get() {
        Load::Loading => {
            if let Some((early, held)) = early.get() {
                let length = match held {
                    Some(count) => ListLength::AtLeast { count, rest: Callback::new(move |_| show_rest()) },
                    None => ListLength::Counting,
                };
                return cards(early, length);
            }
            let message = if query.with(Query::is_empty) { "جارٍ تحميل القائمة…" } else { "جارٍ البحث…" };
            view! { <LoadingNotice message=message/> }.into_any()
        }
        Load::Failed(message) => {
            let retry = Callback::new(move |_| {
                store.retry_all();
                if !query.with_untracked(Query::is_empty) {
                    search.refetch();
                    counts.refetch();
                }
            });
            view! { <ErrorNotice message=message on_retry=retry/> }.into_any()
        }
        Load::Ready(listed) => cards(listed, ListLength::Counted),
    };

    // Exporting the list and saving it for offline reading.
    let pwa = expect_context::<Pwa>();
    let ListActions { export_state, export, list_save, measure, confirm } = ListActions::new(store, listed, Callback::new(move |_| show_rest()));

    let active_filters = Signal::derive(move || {
        state.with(|s| {
            let style = crate::archive_style();
            let outlet = s.outlet.clone().map(|value| ActiveFilter { key: FilterKey::Outlet, value });
            let year = s.year.map(|year| ActiveFilter { key: FilterKey::Year, value: style.digits(u64::from(year)) });
            let month = s.year.zip(s.month).map(|(year, month)| ActiveFilter { key: FilterKey::Month, value: style.month(year, month) });
            let from = s.from.map(|date| ActiveFilter { key: FilterKey::From, value: format!("من {}", style.date(date)) });
            let to = s.to.map(|date| ActiveFilter { key: FilterKey::To, value: format!("إلى {}", style.date(date)) });
            let fold = s.fold.then(|| ActiveFilter { key: FilterKey::Fold, value: "روايات مطوية".to_owned() });
            [outlet, year, month, from, to, fold].into_iter().flatten().collect::<Vec<_>>()
        })
    });
    let remove_filter = Callback::new(move |key: FilterKey| {
        let mut next = state.get_untracked().list();
        match key {
            FilterKey::Outlet => next.outlet = None,
            FilterKey::Year => (next.year, next.month) = (None, None),
            FilterKey::Month => next.month = None,
            FilterKey::From => next.from = None,
            FilterKey::To => next.to = None,
            FilterKey::Fold => next.fold = false,
        }
        router.push(next);
    });

    // The orders on offer: relevance only with a query. The view's own order is written as no choice, so
    // links stay short and a new query gets relevance again.
    let sort_options = Signal::derive(move || {
        let with_query = state.with(|s| s.default_sort() == Sort::Relevance);
        Sort::ALL.into_iter().filter(|&sort| with_query || sort != Sort::Relevance).collect::<Vec<_>>()
    });
    let choose_sort = Callback::new(move |sort: Sort| {
        let mut next = state.get_untracked().list();
        next.sort = (sort != next.default_sort()).then_some(sort);
        router.push(next);
    });

    view! {
        <div class="home" data-testid="home">
            <FilterBar active=active_filters expanded=filters_open controls=FILTERS_ID on_remove=remove_filter/>
            <div
                id=FILTERS_ID
                node_ref=filters
                class="filters"
                class:folded=move || !filters_open.get()
                role="group"
                aria-label="تصفية المقالات"
            >
                <Timeline
                    bars=Signal::derive(move || {
                        facets.with(|facets| match state.with(|s| s.year) {
                            Some(year) if !facets.months.is_empty() => month_bars(year, &facets.months),
                            _ => year_bars(&facets.years),
                        })
                    })
                    selected=Signal::derive(move || state.with(|s| s.year.map(|year| (year, s.month))))
                    href=Callback::new(move |chosen: Option<(u16, Option<u8>)>| {
                        let (year, month) = chosen.map_or((None, None), |(year, month)| (Some(year), month));
                        ViewState { year, month, ..state.with(ViewState::list) }.to_hash()
                    })
                />
                <DateRange
                    from=Signal::derive(move || state.with(|s| s.from))
                    to=Signal::derive(move || state.with(|s| s.to))
                    on_change=Callback::new(move |(from, to)| {
                        let mut next = state.get_untracked().list();
                        (next.from, next.to) = (from, to);
                        router.push(next);
                    })
                />
                // A way of listing rather than a filter, but a phone has room for it only behind «تصفية».
                <FoldStories
                    state=fold_state
                    on_toggle=Callback::new(move |fold: bool| {
                        let mut next = state.get_untracked().list();
                        next.fold = fold;
                        router.push(next);
                    })
                />
                <FacetGroup
                    title="المنبر"
                    testid="facet-outlet"
                    values=Signal::derive(move || facets.get().outlets)
                    counting=outlets_counting
                    selected=Signal::derive(move || state.with(|s| s.outlet.clone()))
                    on_select=choose(|next, value| next.outlet = value)
                />
                <FacetGroup
                    title="السنة"
                    testid="facet-year"
                    values=Signal::derive(move || facets.get().years)
                    selected=Signal::derive(move || state.with(|s| s.year.map(|year| year.to_string())))
                    on_select=choose(|next, value| (next.year, next.month) = (value.and_then(|year| year.parse().ok()), None))
                    label=Callback::new(|year: String| year.parse().map_or(year, |year| crate::archive_style().digits(year)))
                />
                {move || state.with(|s| s.year).filter(|_| facets.with(|facets| !facets.months.is_empty())).map(|_| view! {
                    <FacetGroup
                        title="الشهر"
                        testid="facet-month"
                        values=Signal::derive(move || facets.get().months)
                        selected=Signal::derive(move || state.with(|s| s.month.map(|month| month.to_string())))
                        on_select=choose(|next, value| next.month = value.and_then(|month| month.parse().ok()))
                        label=Callback::new(|month: String| month.parse().map_or(month.clone(), |month| crate::archive_style().month_name(month).to_owned()))
                    />
                })}
                // Saving needs the worker that keeps what is fetched.
                {move || pwa.controlled.get().then(|| view! {
                    <SaveList
                        articles=Signal::derive(move || match listed.get() { Load::Ready(listed) => listed.len(), _ => 0 })
                        state=list_save
                        on_measure=measure
                        on_confirm=confirm
                    />
                })}
            </div>
            <section class="results" aria-labelledby="results-heading">
                <h1 id="results-heading" class="visually-hidden">"مقالات الأرشيف"</h1>
                <div class="results-tools">
                    <SortSelect options=sort_options selected=Signal::derive(move || state.with(ViewState::sort)) on_change=choose_sort/>
                    <ExportActions total=Signal::derive(move || match listed.get() { Load::Ready(listed) => listed.len(), _ => 0 }) state=export_state on_export=export/>
                </div>
                {list}
            </section>
            <aside class="side-headlines">
                {move || match store.headlines.get() {
                    Load::Ready(headlines) => view! { <HeadlinesPanel headlines=headlines.headlines.clone()/> }.into_any(),
                    Load::Loading => view! { <LoadingNotice message="جارٍ تحميل العناوين المتداولة…"/> }.into_any(),
                    Load::Failed(message) => view! { <ErrorNotice message=message on_retry=Callback::new(move |_| store.load_headlines())/> }.into_any(),
                }}
            </aside>
        </div>
    }
}

/// Whether the filters' element is on screen: on a wide screen always, on a phone while its «تصفية» button
/// holds it open. The fold's breakpoint is written once, in style.css, so the layout is measured rather than
/// the width compared: when the element mounts, after each press of the button, and as the window resizes.
fn shown_signal(filters: NodeRef<leptos::html::Div>, open: RwSignal<bool>) -> Memo<bool> {
    let shown = RwSignal::new(false);
    let measure = move || {
        if let Some(element) = filters.get_untracked() {
            // A folded element is `display: none`, which lays out no box.
            shown.set(element.offset_width() > 0);
        }
    };
    // Measured in the frame after a change, once the class it toggles is applied.
    Effect::new(move |_| {
        open.track();
        if filters.get().is_some() {
            crate::on_next_frame(measure);
        }
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || on_resize.remove());
    Memo::new(move |_| shown.get())
}

/// A list's first places the worker sent ahead of it, with the request they answer.
type FirstCards = RwSignal<Option<EarlyCards>>;

#[derive(Clone, Debug, PartialEq)]
struct EarlyCards {
    request: ListRequest,
    places: FirstPlaces,
    /// The worker's id for the list while it holds the rest until the reader wants it.
    held: Option<u32>,
}

/// The request, once it can be made.
fn ready(asked: Option<Load<ListRequest>>) -> Option<ListRequest> {
    match asked {
        Some(Load::Ready(request)) => Some(request),
        _ => None,
    }
}

/// Asks the search worker for a query's list (with `wait`, for its complete outlet counts), off the page's
/// thread, for the page's resources. The request is cancelled when the reader types on or changes a filter
/// before it answers (the address moves away from it; a resource would otherwise wait for it before starting
/// the next) and when the page goes (the resource's owner is cleaned up); the worker then stops fetching for
/// it. `None` when there is nothing to ask. With `first` above 0, the list's first places, if the worker sends
/// them ahead of it, go to `first_cards` with the request they answer; with `hold`, the worker then waits for
/// `search_worker::proceed` before reading the rest.
async fn list_in_worker(
    request: Option<ListRequest>,
    current: Memo<Option<Load<ListRequest>>>,
    store: Store,
    wait: bool,
    first: usize,
    hold: bool,
    first_cards: Option<FirstCards>,
) -> Option<(ListRequest, Load<Arc<ListResult>>)> {
    use futures::future::{select, Either};
    let request = request?;
    let crate::search_worker::Listing { id, answer, first: first_places } = match crate::search_worker::list(&request, wait, first, hold, store) {
        Ok(sent) => sent,
        Err(message) => return Some((request, Load::Failed(message))),
    };
    if let Some(first_cards) = first_cards {
        let early = request.clone();
        leptos::task::spawn_local(async move {
            if let Some(places) = first_places.await {
                // The page may have gone meanwhile, and its signal with it.
                let _ = first_cards.try_set(Some(EarlyCards { request: early, places, held: hold.then_some(id) }));
            }
        });
    }
    on_cleanup(move || crate::search_worker::cancel(id));
    let moved_on = crate::superseded::when_changed(current, Some(Load::Ready(request.clone())));
    let result = match select(answer, moved_on).await {
        Either::Left((Some(Ok(list)), _)) => Load::Ready(Arc::new(list)),
        Either::Left((Some(Err(message)), _)) => Load::Failed(message),
        // Cancelled or superseded: nobody shows this answer, as the address asks for another list now.
        Either::Left((None, _)) | Either::Right(_) => {
            crate::search_worker::cancel(id);
            Load::Loading
        }
    };
    Some((request, result))
}
