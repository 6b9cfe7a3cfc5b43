//! The root component: header with the search box, then the list or an article depending on the URL.

use crate::components::{ErrorNotice, LoadingNotice, SearchBox};
use crate::data::{Load, Store};
use crate::nav::Router;
use crate::pages::{ArticlePage, HomePage};
use leptos::prelude::*;
use sahifa_core::route::ViewState;

#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    let router = Router::from_location();
    provide_context(store);
    provide_context(router);
    store.load_library();

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
    let open_article = Memo::new(move |_| router.state.with(|state| state.article.clone()));

    let body = move || match store.library.get() {
        Load::Loading => view! { <LoadingNotice message="جارٍ تحميل الأرشيف…"/> }.into_any(),
        Load::Failed(message) => {
            view! { <ErrorNotice message=message on_retry=Callback::new(move |_| store.load_library())/> }.into_any()
        }
        Load::Ready(library) => (move || match open_article.get() {
            Some(id) => view! { <ArticlePage library=library.clone() id=id/> }.into_any(),
            None => view! { <HomePage library=library.clone()/> }.into_any(),
        })
        .into_any(),
    };

    view! {
        <header class="site-header">
            <a class="brand" href="#/" data-testid="brand">"صحيفة"</a>
            <p class="tagline">"أرشيف الأخبار المغربية"</p>
            <SearchBox query=Signal::derive(move || router.state.with(|state| state.query.clone())) on_input=on_query/>
        </header>
        <main id="main">{body}</main>
        <footer class="site-footer">
            <p>"صحيفة: قارئ أرشيف يعمل كاملًا في المتصفح. النصوص من مصادرها كما نُشرت."</p>
        </footer>
    }
}
