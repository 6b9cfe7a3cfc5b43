use crate::components::BidiText;
use leptos::prelude::*;
use sahifa_core::Date;

/// Another article named on an article's page (another telling of its story, a related article), as a link.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleLink {
    pub href: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
}

/// A titled list of links to other articles, each with its outlet and date: the article page's «نشر أيضا في»
/// and «مقالات ذات صلة». `testid` marks the section, `item_testid` each entry. Nothing shows for no links.
#[component]
pub fn ArticleLinks(heading: String, heading_id: &'static str, testid: &'static str, item_testid: &'static str, links: Vec<ArticleLink>) -> impl IntoView {
    let style = crate::archive_style();
    (!links.is_empty()).then(|| {
        view! {
            <section class="article-links" data-testid=testid aria-labelledby=heading_id>
                <h2 id=heading_id>{heading}</h2>
                <ul>
                    {links
                        .into_iter()
                        .map(|link| {
                            let date = link.published.map(|date| style.date(date));
                            let outlet = link.outlet.map(|outlet| view! { <span class="outlet"><BidiText text=outlet/></span> });
                            view! {
                                <li data-testid=item_testid>
                                    {outlet}
                                    " "
                                    <a href=link.href>{link.title}</a>
                                    {date.map(|date| view! { <span class="link-date">{date}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
