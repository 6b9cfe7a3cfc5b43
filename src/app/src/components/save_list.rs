use crate::pwa::format_size;
use leptos::prelude::*;
use sahifa_core::text::{ARTICLES, FILES};

/// Where saving the listed articles for offline reading stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ListSaveState {
    #[default]
    Idle,
    /// Finding the files and what of them the device lacks.
    Measuring,
    /// Measured: `bytes` to download (of `files` files) for `articles` articles; waiting for the reader.
    Ready { articles: usize, files: usize, bytes: u64 },
    Saving { done_bytes: u64, total_bytes: u64 },
    Saved { articles: usize },
    Failed(String),
}

/// «احفظ هذه القائمة»: the articles listed now (a year, an outlet, a search's results) kept on the device for
/// offline reading, when the whole archive is too much for it. The size comes first, and nothing is
/// downloaded until the reader agrees; then a progress bar.
#[component]
pub fn SaveList(
    #[prop(into)] articles: Signal<usize>,
    state: RwSignal<ListSaveState>,
    on_measure: Callback<()>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let style = crate::archive_style();
    let content = move || match state.get() {
        ListSaveState::Idle => view! {
            <button type="button" class="share-button" data-testid="save-list" on:click=move |_| on_measure.run(())>
                {format!("احفظ هذه القائمة ({})", style.count(articles.get() as u64, &ARTICLES))}
            </button>
        }
        .into_any(),
        ListSaveState::Measuring => view! { <p class="hint" role="status">"جارٍ حساب الحجم…"</p> }.into_any(),
        ListSaveState::Ready { articles, files, bytes } => {
            let message = if bytes == 0 {
                format!("{} محفوظة على هذا الجهاز من قبل.", style.count(articles as u64, &ARTICLES))
            } else {
                format!("سيُنزَّل {} ({}) لحفظ {}.", format_size(bytes as f64), style.count(files as u64, &FILES), style.count(articles as u64, &ARTICLES))
            };
            view! {
                <p data-testid="save-list-size">{message}</p>
                <button type="button" class="share-button" data-testid="save-list-confirm" on:click=move |_| on_confirm.run(())>"احفظ"</button>
                <button type="button" class="link-button" data-testid="save-list-cancel" on:click=move |_| state.set(ListSaveState::Idle)>"إلغاء"</button>
            }
            .into_any()
        }
        ListSaveState::Saving { done_bytes, total_bytes } => view! {
            <label for="save-list-progress">{format!("جارٍ الحفظ: {} من {}", format_size(done_bytes as f64), format_size(total_bytes as f64))}</label>
            <progress id="save-list-progress" data-testid="save-list-progress" max=total_bytes.max(1).to_string() value=done_bytes.to_string()></progress>
        }
        .into_any(),
        ListSaveState::Saved { articles } => view! {
            <p data-testid="save-list-done" role="status">{format!("حُفظت {} على هذا الجهاز: تُقرأ دون اتصال.", style.count(articles as u64, &ARTICLES))}</p>
        }
        .into_any(),
        ListSaveState::Failed(message) => view! {
            <p class="error-text" role="alert">{message}</p>
            <button type="button" class="share-button" data-testid="save-list" on:click=move |_| on_measure.run(())>"أعد المحاولة"</button>
        }
        .into_any(),
    };
    view! {
        <section class="facet save-list" data-testid="save-list-panel" aria-labelledby="save-list-heading">
            <h2 id="save-list-heading" class="facet-title">"القراءة دون اتصال"</h2>
            <p class="hint">"احفظ المقالات المعروضة الآن وحدها (سنة، منبر، نتائج بحث) إن كان الأرشيف كله أكبر من مساحة جهازك. البحث فيها يحتاج اتصالًا."</p>
            {content}
        </section>
    }
}
