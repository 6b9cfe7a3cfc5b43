//! What can be done with the list as a whole: take it away as CSV or JSON, or keep it on the device for
//! offline reading once the reader has seen its size. Both report their progress, and a new list makes the
//! last report stale.

use crate::components::{ExportFormat, ExportState, ListSaveState};
use crate::data::{Load, Store};
use leptos::prelude::*;
use sahifa_core::export::{to_csv, to_json as export_json, EXPORT_CAP};
use sahifa_core::view::Listed;
use std::sync::Arc;

/// The export's and the list saving's states, and what the buttons call.
pub struct ListActions {
    pub export_state: RwSignal<ExportState>,
    pub export: Callback<ExportFormat>,
    pub list_save: RwSignal<ListSaveState>,
    /// Measures what saving the list would download.
    pub measure: Callback<()>,
    /// Saves it, once measured.
    pub confirm: Callback<()>,
}

impl ListActions {
    /// `want_whole` asks for the rest of a list shown by its first cards alone: an export or a measure asked
    /// for meanwhile waits for the whole list, and runs when it comes.
    pub fn new(store: Store, listed: Memo<Load<Arc<Listed>>>, want_whole: Callback<()>) -> ListActions {
        // The current results, taken away as CSV or JSON: the first `EXPORT_CAP` in the list's order.
        let export_state = RwSignal::new(ExportState::Idle);
        // An export asked for while the list was still loading.
        let waiting_export = StoredValue::new(None::<ExportFormat>);
        let run_export = move |format: ExportFormat, current: Arc<Listed>| {
            let docs = current.docs(EXPORT_CAP);
            export_state.set(ExportState::Working { done: 0, of: 0 });
            leptos::task::spawn_local(async move {
                let progress = move |done, of| export_state.set(ExportState::Working { done, of });
                match store.export_rows(&docs, &crate::download::page_address(), progress).await {
                    Ok(rows) => {
                        let (name, mime, text) = match format {
                            ExportFormat::Csv => ("sahifa-results.csv", "text/csv;charset=utf-8", to_csv(&rows)),
                            ExportFormat::Json => ("sahifa-results.json", "application/json", export_json(&rows)),
                        };
                        crate::download::download_text(name, mime, &text);
                        export_state.set(ExportState::Done { rows: rows.len() });
                    }
                    Err(message) => export_state.set(ExportState::Failed(format!("تعذّر التصدير: {message}"))),
                }
            });
        };
        // The listed articles kept on the device for offline reading, once the reader has seen the size.
        let list_save = RwSignal::new(ListSaveState::Idle);
        let files_to_save = StoredValue::new(Vec::<(String, u64)>::new());
        // A measure asked for while the list was still loading.
        let waiting_measure = StoredValue::new(false);
        let run_measure = move |current: Arc<Listed>| {
            let docs = current.docs(usize::MAX);
            list_save.set(ListSaveState::Measuring);
            leptos::task::spawn_local(async move {
                match store.files_for_reading(&docs).await {
                    Ok(files) => {
                        let bytes = crate::pwa::bytes_to_download(&files).await;
                        let count = files.len();
                        files_to_save.set_value(files);
                        list_save.set(ListSaveState::Ready { articles: docs.len(), files: count, bytes });
                    }
                    Err(error) => list_save.set(ListSaveState::Failed(error.into())),
                }
            });
        };
        Effect::new(move |_| {
            // A new list makes the last export's and save's reports stale; an export or a measure waiting for
            // it runs.
            export_state.set(ExportState::Idle);
            list_save.set(ListSaveState::Idle);
            match listed.get() {
                Load::Ready(current) => {
                    if let Some(format) = waiting_export.get_value() {
                        waiting_export.set_value(None);
                        run_export(format, current.clone());
                    }
                    if waiting_measure.get_value() {
                        waiting_measure.set_value(false);
                        run_measure(current);
                    }
                }
                // The list's own error says why; neither is tried again by itself.
                Load::Failed(_) => {
                    waiting_export.set_value(None);
                    waiting_measure.set_value(false);
                }
                Load::Loading => {}
            }
        });
        let measure = Callback::new(move |_| match listed.get_untracked() {
            Load::Ready(current) => run_measure(current),
            Load::Loading => {
                waiting_measure.set_value(true);
                list_save.set(ListSaveState::Measuring);
                want_whole.run(());
            }
            Load::Failed(_) => {}
        });
        let confirm = Callback::new(move |_| {
            let ListSaveState::Ready { articles, .. } = list_save.get_untracked() else { return };
            let files = files_to_save.get_value();
            let total_bytes = files.iter().map(|(_, size)| size).sum();
            list_save.set(ListSaveState::Saving { done_bytes: 0, total_bytes });
            leptos::task::spawn_local(async move {
                let progress = move |done_bytes| list_save.set(ListSaveState::Saving { done_bytes, total_bytes });
                list_save.set(match crate::pwa::download_files(&files, progress).await {
                    Ok(_) => ListSaveState::Saved { articles },
                    Err(message) => ListSaveState::Failed(message),
                });
            });
        });
        let export = Callback::new(move |format: ExportFormat| match listed.get_untracked() {
            Load::Ready(current) => run_export(format, current),
            Load::Loading => {
                waiting_export.set_value(Some(format));
                export_state.set(ExportState::Working { done: 0, of: 0 });
                want_whole.run(());
            }
            Load::Failed(_) => {}
        });
        ListActions { export_state, export, list_save, measure, confirm }
    }
}
