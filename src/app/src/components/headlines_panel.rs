use crate::components::BidiText;
use leptos::prelude::*;
use sahifa_core::bundle::Headline;

/// How many headlines show before the reader asks for all of them.
const SHOWN_AT_FIRST: usize = 12;

/// The crawl-time sidebar headlines, kept apart from the articles themselves.
#[component]
pub fn HeadlinesPanel(headlines: Vec<Headline>) -> impl IntoView {
    let total = headlines.len();
    let (show_all, set_show_all) = signal(false);
    let headlines = StoredValue::new(headlines);
    view! {
        <section class="headlines" data-testid="headlines-panel" aria-labelledby="headlines-heading">
            <h2 id="headlines-heading">"عناوين متداولة"</h2>
            <p class="hint">"عناوين ظهرت بجانب المقالات وقت جمعها، وليست من نصوصها."</p>
            <ul>
                {move || {
                    let limit = if show_all.get() { total } else { SHOWN_AT_FIRST };
                    headlines.with_value(|all| {
                        all.iter()
                            .take(limit)
                            .map(|headline| view! {
                                <li data-testid="headline"><BidiText text=headline.text.clone()/></li>
                            })
                            .collect_view()
                    })
                }}
            </ul>
            {(total > SHOWN_AT_FIRST).then(|| view! {
                <button type="button" class="link-button" data-testid="headlines-toggle"
                    aria-expanded=move || if show_all.get() { "true" } else { "false" }
                    on:click=move |_| set_show_all.update(|all| *all = !*all)>
                    {move || if show_all.get() { "عرض أقل".to_owned() } else { format!("عرض كل العناوين ({})", crate::archive_style().number(total as u64)) }}
                </button>
            })}
        </section>
    }
}
