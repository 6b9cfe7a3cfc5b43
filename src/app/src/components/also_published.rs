use crate::components::BidiText;
use leptos::prelude::*;
use sahifa_core::story::outlets_told;
use sahifa_core::text::OUTLETS;
use sahifa_core::Date;

/// Another outlet's telling of the same story, as a link.
#[derive(Clone, Debug, PartialEq)]
pub struct Telling {
    pub href: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
}

/// «نشر أيضا في 3 منابر»: the same story as other outlets told it (found at build time by fingerprints of
/// their texts), each a link to that article. Nothing shows when the story was told once.
#[component]
pub fn AlsoPublished(tellings: Vec<Telling>) -> impl IntoView {
    let style = crate::archive_style();
    let outlets = outlets_told(tellings.iter().map(|telling| telling.outlet.as_deref()));
    (!tellings.is_empty()).then(|| {
        let heading = also_published_label(outlets);
        view! {
            <section class="also-published" data-testid="also-published" aria-labelledby="also-published-heading">
                <h2 id="also-published-heading">{heading}</h2>
                <ul>
                    {tellings
                        .into_iter()
                        .map(|telling| {
                            let date = telling.published.map(|date| style.date(date));
                            let outlet = telling.outlet.map(|outlet| view! { <span class="outlet"><BidiText text=outlet/></span> });
                            view! {
                                <li data-testid="telling">
                                    {outlet}
                                    " "
                                    <a href=telling.href>{telling.title}</a>
                                    {date.map(|date| view! { <span class="telling-date">{date}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// «نشر أيضا في منبرين»: how a story's other tellings are announced, on its cards and its article page.
pub fn also_published_label(outlets: usize) -> String {
    format!("نشر أيضا في {}", crate::archive_style().count(outlets as u64, &OUTLETS))
}
