use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Copy the article's link, or hand it to the system's share sheet where the browser has one (phones mostly).
/// The link is the page's address, which holds the whole view (the article, and the query that found it).
#[component]
pub fn ShareActions(#[prop(into)] title: String) -> impl IntoView {
    let (status, set_status) = signal(None::<&'static str>);
    let copy = move |_| {
        spawn_local(async move {
            let copied = match current_address() {
                Some(address) => copy_text(&address).await,
                None => false,
            };
            set_status.set(Some(if copied { "نُسخ رابط المقال." } else { "تعذّر النسخ؛ انسخ الرابط من شريط العنوان." }));
        });
    };
    let share = can_share().then(|| {
        let on_share = move |_| {
            let title = title.clone();
            spawn_local(async move {
                // A reader who closes the share sheet is not told anything went wrong.
                if let (Some(address), Some(navigator)) = (current_address(), navigator()) {
                    let data = web_sys::ShareData::new();
                    data.set_title(&title);
                    data.set_url(&address);
                    let _ = JsFuture::from(navigator.share_with_data(&data)).await;
                }
            });
        };
        view! { <button type="button" class="share-button" data-testid="share-link" on:click=on_share>"شارك"</button> }
    });
    view! {
        <div class="share" data-testid="share-actions">
            <button type="button" class="share-button" data-testid="copy-link" on:click=copy>"انسخ الرابط"</button>
            {share}
            <p class="share-status" role="status" aria-live="polite" data-testid="share-status">{move || status.get()}</p>
        </div>
    }
}

fn navigator() -> Option<web_sys::Navigator> {
    web_sys::window().map(|window| window.navigator())
}

fn current_address() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// Whether the browser offers a share sheet (`navigator.share`); never while the page is drawn at build time.
fn can_share() -> bool {
    if !crate::IN_A_BROWSER {
        return false;
    }
    navigator().is_some_and(|navigator| js_sys::Reflect::has(&navigator, &JsValue::from_str("share")).unwrap_or(false))
}

async fn copy_text(text: &str) -> bool {
    let Some(navigator) = navigator() else { return false };
    // `clipboard` is missing outside secure contexts; reading it as a plain property tells without throwing.
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|clipboard| !clipboard.is_undefined());
    has_clipboard && JsFuture::from(navigator.clipboard().write_text(text)).await.is_ok()
}
