use leptos::prelude::*;
use sahifa_core::export::EXPORT_CAP;
use sahifa_core::text::{ARTICLES, FILES};

/// The two ways a result set leaves the viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Where an export stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ExportState {
    #[default]
    Idle,
    /// Files read of those needed.
    Working { done: usize, of: usize },
    Done { rows: usize },
    Failed(String),
}

/// «تصدير»: the current results as CSV (for spreadsheets) or JSON, with title, outlet, date, source, id and
/// link. It states the cap before anything starts, shows progress while the files come, and says what it
/// wrote or why it could not.
#[component]
pub fn ExportActions(#[prop(into)] total: Signal<usize>, state: RwSignal<ExportState>, on_export: Callback<ExportFormat>) -> impl IntoView {
    let style = crate::archive_style();
    let note_style = style.clone();
    let busy = move || matches!(state.get(), ExportState::Working { .. });
    let button = move |format: ExportFormat, label: &'static str, testid: &'static str| {
        view! {
            <button type="button" class="export-button" data-testid=testid disabled=busy on:click=move |_| on_export.run(format)>
                {label}
            </button>
        }
    };
    let note = move || {
        let total = total.get();
        (total > EXPORT_CAP).then(|| format!("تُصدَّر أول {} من {}.", note_style.number(EXPORT_CAP as u64), note_style.count(total as u64, &ARTICLES)))
    };
    let status = move || match state.get() {
        ExportState::Idle => None,
        ExportState::Working { done, of } => Some(
            view! {
                <p class="export-status" role="status" data-testid="export-progress">
                    <progress max=of.max(1) value=done></progress>
                    <span>{format!("جارٍ تجهيز الملف: {} من {}", style.number(done as u64), style.count(of as u64, &FILES))}</span>
                </p>
            }
            .into_any(),
        ),
        ExportState::Done { rows } => Some(
            view! { <p class="export-status" role="status" data-testid="export-done">{format!("صُدِّر {}.", style.count(rows as u64, &ARTICLES))}</p> }.into_any(),
        ),
        ExportState::Failed(message) => Some(view! { <p class="notice error" role="alert" data-testid="export-failed">{message}</p> }.into_any()),
    };
    view! {
        <div class="export" data-testid="export" role="group" aria-labelledby="export-label">
            <span class="export-label" id="export-label">"تصدير"</span>
            {button(ExportFormat::Csv, "CSV", "export-csv")}
            {button(ExportFormat::Json, "JSON", "export-json")}
            {move || note().map(|note| view! { <p class="hint" data-testid="export-cap">{note}</p> })}
            {status}
        </div>
    }
}
