use leptos::prelude::*;
use sahifa_core::bundle::FOLD_CAP;
use sahifa_core::text::ARTICLES;

/// What folding the tellings of a story did to the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldState {
    /// Not asked for.
    Off,
    /// Asked for; the list's fingerprints are being read.
    Working,
    /// Folded: this many articles went under a story's first telling.
    Folded(usize),
    /// Asked for, but the list is longer than `FOLD_CAP`: it is shown whole.
    TooLong,
}

/// «اطوِ روايات القصة الواحدة»: a switch that keeps only the first telling of each story in the list (the
/// others are a click away on its article page), with what it did or why it cannot.
#[component]
pub fn FoldStories(#[prop(into)] state: Signal<FoldState>, on_toggle: Callback<bool>) -> impl IntoView {
    let style = crate::archive_style();
    let cap = style.count(FOLD_CAP as u64, &ARTICLES);
    let note = move || match state.get() {
        FoldState::Off => None,
        FoldState::Working => Some("جارٍ جمع روايات القصة الواحدة…".to_owned()),
        FoldState::Folded(0) => Some("لا روايات مكررة في هذه القائمة.".to_owned()),
        FoldState::Folded(folded) => Some(format!("طُوي {}", crate::archive_style().count(folded as u64, &ARTICLES))),
        FoldState::TooLong => Some(format!("يُطوى ما لا يزيد على {cap}: ضيّق البحث أو التصفية.")),
    };
    view! {
        <div class="fold-stories" data-testid="fold-stories">
            <label>
                <input
                    type="checkbox"
                    data-testid="fold-toggle"
                    prop:checked=move || state.get() != FoldState::Off
                    on:change=move |event| on_toggle.run(event_target_checked(&event))
                />
                "اطوِ روايات القصة الواحدة"
            </label>
            // Always in the page, so screen readers hear what folding did when it changes.
            <span class="fold-note" role="status" data-testid="fold-note">{note}</span>
        </div>
    }
}
