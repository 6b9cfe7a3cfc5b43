use leptos::prelude::*;

/// Shown while the network is gone: the reader sees what is saved on this device.
#[component]
pub fn OfflineBadge(#[prop(into)] online: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || !online.get()>
            <p class="offline-badge" data-testid="offline-badge" role="status">
                "غير متصل: تعرض صحيفة ما حُفظ على هذا الجهاز."
            </p>
        </Show>
    }
}
