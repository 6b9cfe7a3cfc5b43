use crate::components::BidiText;
use crate::shelf::ShelfStore;
use leptos::prelude::*;
use sahifa_core::route::ViewState;
use sahifa_core::shelf::ShelfEntry;
use sahifa_core::Date;

/// The shelf: articles saved for later and the ones read lately, kept on this device; both open offline once
/// read with the service worker in place, and download together as JSON.
#[component]
pub fn ShelfPage() -> impl IntoView {
    let store = expect_context::<ShelfStore>();
    let saved = Signal::derive(move || store.shelf.with(|shelf| shelf.saved.clone()));
    let history = Signal::derive(move || store.shelf.with(|shelf| shelf.history.clone()));
    let download = move |_| {
        let base = crate::download::page_address();
        let json = store.shelf.with_untracked(|shelf| shelf.export_json(&base));
        crate::download::download_text("sahifa-shelf.json", "application/json", &json);
    };
    view! {
        <div class="shelf-page" data-testid="shelf-page">
            <a class="back" href=ViewState::default().to_hash() data-testid="back-link">"→ العودة إلى القائمة"</a>
            <h1>"المحفوظة والمقروءة"</h1>
            <p class="hint">"تبقى هذه القوائم على هذا الجهاز وحده. المقالات التي قرأتها تُفتح دون اتصال بعد تثبيت الموقع."</p>
            <button type="button" class="share-button" data-testid="shelf-download" on:click=download>"تنزيل القائمتين (JSON)"</button>
            <ShelfList title="محفوظة للقراءة لاحقًا" testid="shelf-saved" empty="لم تحفظ مقالات بعد: اضغط «احفظ للقراءة لاحقًا» في صفحة المقال." entries=saved/>
            <ShelfList title="قرأتها مؤخرًا" testid="shelf-history" empty="لم تقرأ مقالات بعد." entries=history/>
            {move || (!history.with(Vec::is_empty)).then(|| view! {
                <button type="button" class="link-button" data-testid="shelf-clear-history" on:click=move |_| store.shelf.update(|shelf| shelf.history.clear())>
                    "امسح سجل القراءة"
                </button>
            })}
        </div>
    }
}

#[component]
fn ShelfList(title: &'static str, testid: &'static str, empty: &'static str, entries: Signal<Vec<ShelfEntry>>) -> impl IntoView {
    view! {
        <section class="shelf-list" data-testid=testid>
            <h2>{title}</h2>
            {move || entries.with(Vec::is_empty).then(|| view! { <p class="empty">{empty}</p> })}
            <ul>
                <For
                    each=move || entries.get()
                    key=|entry| entry.id.clone()
                    children=move |entry| {
                        let href = ViewState::default().with_article(&entry.id).to_hash();
                        let date = entry.published.as_deref().and_then(|text| Date::parse_iso(text).ok()).map(|date| crate::archive_style().date(date));
                        view! {
                            <li data-testid="shelf-entry">
                                <a href=href data-testid="shelf-link-entry"><BidiText text=entry.title.clone()/></a>
                                <span class="meta">
                                    {entry.outlet.clone().map(|outlet| view! { <span class="outlet"><BidiText text=outlet/></span> })}
                                    {date}
                                </span>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
