use leptos::prelude::*;

/// A non-blocking note that a new version is ready, with a button that switches to it.
#[component]
pub fn UpdateBanner(#[prop(into)] visible: Signal<bool>, on_update: Callback<()>) -> impl IntoView {
    view! {
        <Show when=move || visible.get()>
            <div class="update-banner" data-testid="update-banner" role="status">
                <span>"نسخة جديدة من صحيفة جاهزة."</span>
                <button type="button" data-testid="apply-update" on:click=move |_| on_update.run(())>"حدِّث الآن"</button>
            </div>
        </Show>
    }
}
