use crate::pwa::{format_size, SaveState};
use leptos::prelude::*;

/// "Save for offline": the archive's size before it starts, a progress bar while it runs, and the space used
/// after it.
#[component]
pub fn SaveOffline(total_bytes: u64, #[prop(into)] state: Signal<SaveState>, on_save: Callback<()>) -> impl IntoView {
    let size = format_size(total_bytes as f64);
    view! {
        <section class="save-offline" data-testid="save-offline" aria-labelledby="save-offline-heading">
            <h2 id="save-offline-heading">"القراءة دون اتصال"</h2>
            {move || match state.get() {
                SaveState::Idle => view! {
                    <p>"احفظ الأرشيف كاملًا على هذا الجهاز لتقرأ كل المقالات وتبحث فيها دون اتصال."</p>
                    <button type="button" data-testid="save-archive" on:click=move |_| on_save.run(())>
                        {format!("احفظ الأرشيف ({})", size.clone())}
                    </button>
                }.into_any(),
                SaveState::Saving { done_bytes, total_bytes, refreshing } => view! {
                    <label for="save-progress">{format!(
                        "{}: {} من {}",
                        if refreshing { "جارٍ تحديث الأرشيف المحفوظ" } else { "جارٍ الحفظ" },
                        format_size(done_bytes as f64),
                        format_size(total_bytes as f64)
                    )}</label>
                    <progress id="save-progress" data-testid="save-progress" max=total_bytes.to_string() value=done_bytes.to_string()></progress>
                }.into_any(),
                SaveState::Saved { used_bytes, quota_bytes, persisted, downloaded_bytes, refreshed } => {
                    let usage = match (used_bytes, quota_bytes) {
                        (Some(used), Some(quota)) => format!("المساحة المستخدمة: {} من {} متاحة.", format_size(used), format_size(quota)),
                        _ => String::new(),
                    };
                    let persistence = if persisted { "سيحتفظ المتصفح بها ولن يمسحها تلقائيًا." } else { "قد يمسحها المتصفح إذا ضاقت المساحة." };
                    let refresh = if refreshed { format!("حُدِّث بعد النشر الجديد بتنزيل {} فقط. ", format_size(downloaded_bytes as f64)) } else { String::new() };
                    view! {
                        <p data-testid="save-done" data-downloaded-bytes=downloaded_bytes.to_string()>{format!("الأرشيف محفوظ على هذا الجهاز. {refresh}{persistence}")}</p>
                        <p data-testid="storage-usage">{usage}</p>
                    }.into_any()
                }
                SaveState::Failed(message) => view! {
                    <p class="error-text" role="alert">{message}</p>
                    <button type="button" data-testid="save-archive" on:click=move |_| on_save.run(())>"أعد المحاولة"</button>
                }.into_any(),
            }}
        </section>
    }
}
