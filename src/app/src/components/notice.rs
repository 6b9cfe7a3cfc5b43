use leptos::prelude::*;

/// A polite "loading" line that screen readers announce.
#[component]
pub fn LoadingNotice(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <p class="notice loading" data-testid="loading-state" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {message}
        </p>
    }
}

/// An error the reader can act on: what went wrong, in Arabic, and a retry button.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String, on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="notice error" data-testid="error-state" role="alert">
            <p>{message}</p>
            <button type="button" data-testid="retry" on:click=move |_| on_retry.run(())>"إعادة المحاولة"</button>
        </div>
    }
}
