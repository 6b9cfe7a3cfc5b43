use leptos::prelude::*;

/// A polite "loading" line that screen readers announce; boxed as a notice, or with `class` in another line's
/// place (a list's count while it is counted).
#[component]
pub fn LoadingNotice(#[prop(into)] message: String, #[prop(optional, into)] class: Option<String>) -> impl IntoView {
    let class = class.unwrap_or_else(|| "notice".to_owned()) + " loading";
    view! {
        <p class=class data-testid="loading-state" role="status" aria-live="polite">
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
