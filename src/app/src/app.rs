//! The root component: header with the search box, then the list or an article depending on the URL. `App`
//! gathers what the page gives (the data, the address, the installed side) and `Shell` draws from it, so the
//! first screen drawn at build time (`first_screen.rs`) is the same `Shell` given other sources.

use crate::components::{ErrorNotice, LoadingNotice, OfflineBadge, ReadingSettings, SaveOffline, SearchBox, Suggestion, UpdateBanner};
use sahifa_core::bundle::catalog::COMPLETION_MIN_CHARS;
use sahifa_core::search::{complete_last_word, spelled_in, Query};
use crate::data::{Load, Store};
use crate::nav::Router;
use crate::pages::{ArticlePage, HomePage, ShelfPage};
use crate::shelf::ShelfStore;
use crate::pwa::Pwa;
use leptos::prelude::*;
use sahifa_core::archive::Style;
use sahifa_core::route::ViewState;

/// The app in the browser, drawn from `store` (started from the files the page carries, or fetching them).
#[component]
pub fn App(store: Store) -> impl IntoView {
    let router = Router::from_location();
    let pwa = Pwa::start();
    provide_context(store);
    provide_context(router);
    provide_context(pwa);
    provide_context(ShelfStore::load());
    // Once the archive and a worker are both here, an archive the reader saved is brought up to date.
    let refreshed = StoredValue::new(false);
    Effect::new(move |_| {
        if pwa.controlled.get() && matches!(store.library.get(), Load::Ready(_)) && !refreshed.get_value() {
            refreshed.set_value(true);
            pwa.keep_saved_archive_current(store);
        }
    });
    view! { <Shell/> }
}

/// Everything the reader sees, drawn from the `Store`, `Router` and `Pwa` in context.
#[component]
pub fn Shell() -> impl IntoView {
    let store = expect_context::<Store>();
    let router = expect_context::<Router>();
    let pwa = expect_context::<Pwa>();

    let on_query = Callback::new(move |query: String| {
        let current = router.state.get_untracked();
        let next = ViewState { query, ..current.list() };
        // Typing refines the current list in place; typing on an article page goes back to a list.
        if current.article.is_some() {
            router.push(next);
        } else {
            router.replace(next);
        }
    });
    // The publisher's name for the archive, once the manifest says it (the first screen drawn at build time
    // has it at once).
    let archive = Memo::new(move |_| match store.library.get() {
        Load::Ready(library) => Some(library.manifest.archive.clone()),
        _ => None,
    });
    // Words that finish the one being typed, from the search worker, for the query in the address now.
    let typed = Memo::new(move |_| router.state.with(|state| state.query.clone()));
    let completions = LocalResource::new(move || complete_in_worker(typed.get(), typed, store));
    let suggestions = Signal::derive(move || {
        completions.get().flatten().filter(|(asked, _)| typed.with(|now| now == asked)).map(|(_, offers)| offers).unwrap_or_default()
    });
    let open_article = Memo::new(move |_| router.state.with(|state| state.article.clone()));
    let open_shelf = Memo::new(move |_| router.state.with(|state| state.shelf));

    let body = move || match store.library.get() {
        Load::Loading => view! { <LoadingNotice message="جارٍ تحميل الأرشيف…"/> }.into_any(),
        Load::Failed(message) => {
            view! { <ErrorNotice message=message on_retry=Callback::new(move |_| store.load_library())/> }.into_any()
        }
        Load::Ready(library) => {
            // The archive's way with numbers and dates, for every view below.
            provide_context(Style::of(&library.manifest.archive));
            (move || match (open_article.get(), open_shelf.get()) {
                (Some(id), _) => view! { <ArticlePage id=id/> }.into_any(),
                (None, true) => view! { <ShelfPage/> }.into_any(),
                (None, false) => view! { <HomePage library=library.clone()/> }.into_any(),
            })
            .into_any()
        }
    };

    // Saving for offline needs a worker to keep what is fetched, and a loaded manifest to know the files.
    let save_panel = move || match (pwa.controlled.get(), store.library.get()) {
        (true, Load::Ready(library)) => {
            let total = library.manifest.total_bytes;
            let on_save = Callback::new(move |_| pwa.save_archive(store));
            Some(view! { <SaveOffline total_bytes=total state=pwa.save on_save=on_save/> })
        }
        _ => None,
    };

    view! {
        <UpdateBanner visible=pwa.update_ready on_update=Callback::new(move |_| pwa.apply_update())/>
        <header class="site-header">
            {move || archive.get().map(|archive| {
                let logo = archive.logo_image().map(|logo| view! { <img class="brand-logo" src=logo.to_owned() alt="" width="40" height="40"/> });
                view! {
                    <a class="brand" href="#/" data-testid="brand">{logo}{archive.name.clone()}</a>
                    <p class="tagline" data-testid="tagline">{archive.subtitle.clone()}</p>
                }
            })}
            <OfflineBadge online=pwa.online/>
            <a class="shelf-link" href=ViewState::shelf().to_hash() data-testid="shelf-link">"المحفوظة"</a>
            <ReadingSettings/>
            <SearchBox query=Signal::derive(move || router.state.with(|state| state.query.clone())) on_input=on_query suggestions=suggestions/>
        </header>
        <main id="main">{body}</main>
        <footer class="site-footer">
            {save_panel}
            <p>"صحيفة: قارئ أرشيف يعمل كاملًا في المتصفح. النصوص من مصادرها كما نُشرت."</p>
        </footer>
    }
}

/// How many of the titles the page holds are read for how suggestions are written: each of their words is
/// normalized on the page's thread while the reader types, and after a long session the page holds tens of
/// thousands. A word not found in them is offered in the index's spelling.
const SPELLING_TITLES: usize = 2_000;

/// The words that complete the last word of `text` while it is typed, as suggestions, for the search box's
/// resource; `None` when superseded (the reader typed on) or when the worker cannot answer (search itself
/// reports that). Nothing is asked before a word of two letters is being typed, so the first screen never
/// starts the worker.
async fn complete_in_worker(text: String, current: Memo<String>, store: Store) -> Option<(String, Vec<Suggestion>)> {
    use futures::future::{select, Either};
    let query = Query::parse(&text);
    if query.typing().is_none_or(|word| word.chars().count() < COMPLETION_MIN_CHARS) {
        return Some((text, Vec::new()));
    }
    let (id, answer) = crate::search_worker::complete(&text, store).ok()?;
    on_cleanup(move || crate::search_worker::cancel(id));
    let moved_on = crate::superseded::when_changed(current, text.clone());
    match select(answer, moved_on).await {
        Either::Left((Some(Ok(words)), _)) => {
            let titles = store.loaded_titles();
            let normalized: Vec<String> = words.iter().map(|(word, _)| word.clone()).collect();
            let spellings = spelled_in(&normalized, titles.iter().take(SPELLING_TITLES).map(String::as_str));
            let offers = words
                .into_iter()
                .zip(spellings)
                .map(|((word, articles), spelling)| {
                    let written = spelling.unwrap_or(word);
                    Suggestion { query: complete_last_word(&text, &written), word: written, articles }
                })
                .collect();
            Some((text, offers))
        }
        _ => {
            crate::search_worker::cancel(id);
            None
        }
    }
}

/// How the archive writes numbers and dates (its locale, from the manifest); the default archive's before the
/// manifest is here, and in component tests.
pub fn archive_style() -> Style {
    use_context::<Style>().unwrap_or_default()
}
