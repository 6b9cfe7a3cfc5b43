use crate::components::article_card::CardData;
use crate::components::{ArticleCard, LoadingNotice};
use crate::data::Load;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use sahifa_core::text::ARTICLES;
use sahifa_core::virtual_list;

/// Every row is this tall (in rem, see `.virtual-row` in style.css), so the list can be virtual.
pub const ROW_HEIGHT_REM: f64 = 14.0;
/// Rows kept in the DOM above and below the screen, so fast scrolling shows no gaps. Each may need its own
/// listing shard when the list is a query's hits, so a few rows are enough (measured: 4 rows each side cost
/// about a hundred KB per search at 100k articles).
const OVERSCAN: usize = 2;
/// The viewport assumed until the list is measured: (scrolled past the list's top, height, rem) in pixels. The
/// first screen drawn at build time assumes it too, so the app's first drawing of the list matches it.
const UNMEASURED_VIEWPORT: (f64, f64, f64) = (0.0, 800.0, 16.0);

/// The rows of a list of `total` drawn before it is measured.
pub fn unmeasured_rows(total: usize) -> std::ops::Range<usize> {
    let (scrolled, height, rem) = UNMEASURED_VIEWPORT;
    let window = virtual_list::window(total, ROW_HEIGHT_REM * rem, scrolled, height, OVERSCAN);
    window.first..window.end
}

/// How many rows the list draws before it is measured, however long it is: the first screen's cards, which a
/// search may show before it has counted the rest (`ListLength::Counting`, `ListLength::AtLeast`).
pub fn first_screen_rows() -> usize {
    unmeasured_rows(1_000).len()
}

/// What a list knows of its length, which its count's line says.
#[derive(Clone, Copy, Default)]
pub enum ListLength {
    /// Its rows are the whole list.
    #[default]
    Counted,
    /// Its rows are a search's first cards, shown while the rest is read and counted.
    Counting,
    /// Its rows are a search's first cards and the rest is read only when the reader wants it: by scrolling
    /// into the list, or with the line's button, which run `rest`. The list has at least `count` articles.
    AtLeast { count: u32, rest: Callback<()> },
}

/// The list of articles, virtual: only the rows on screen are in the DOM, however many there are. The count is
/// announced as it changes; `card_at` gives the card of the n-th row (or that it is still loading, or failed),
/// and `on_window` hears which rows are rendered, so their data can be fetched. A card whose row failed to load
/// offers `on_retry`. Unless `length` is `Counted`, the rows are a search's first cards: the count's line says
/// what is known and whether the rest is being read, and the rows say the list's length is not known yet.
#[component]
pub fn ArticleList(
    total: usize,
    #[prop(optional)] length: ListLength,
    card_at: Callback<usize, Load<CardData>>,
    #[prop(optional)] on_window: Option<Callback<(usize, usize)>>,
    #[prop(optional)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let list = NodeRef::<Div>::new();
    let viewport = RwSignal::new(UNMEASURED_VIEWPORT);
    let measure = move || {
        let Some(element) = list.get_untracked() else { return };
        let scrolled = -element.unchecked_ref::<web_sys::Element>().get_bounding_client_rect().top();
        let height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
        let rem = root_font_size();
        viewport.set((scrolled, height, rem));
    };
    // Scroll and resize events can come many times a frame; measure once per frame.
    let frame_pending = StoredValue::new(false);
    let schedule = move || {
        if frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        crate::on_next_frame(move || {
            frame_pending.set_value(false);
            measure();
        });
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| schedule());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| schedule());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    Effect::new(move |_| {
        if list.get().is_some() {
            measure();
        }
    });

    let layout = Memo::new(move |_| {
        let (scrolled, height, rem) = viewport.get();
        virtual_list::window(total, ROW_HEIGHT_REM * rem, scrolled, height, OVERSCAN)
    });
    let range = Memo::new(move |_| {
        let layout = layout.get();
        (layout.first, layout.end)
    });
    if let Some(on_window) = on_window {
        Effect::new(move |_| on_window.run(range.get()));
    }
    // A reader who scrolls into the first cards is on the way to the rest: it is read from then on.
    if let ListLength::AtLeast { rest, .. } = length {
        let asked = StoredValue::new(false);
        Effect::new(move |_| {
            let (scrolled, _, _) = viewport.get();
            if scrolled > 0.0 && !asked.get_value() {
                asked.set_value(true);
                rest.run(());
            }
        });
    }

    let counted = matches!(length, ListLength::Counted);
    view! {
        {match length {
            ListLength::Counted => view! {
                <p class="result-count" data-testid="result-count" aria-live="polite">{crate::archive_style().count(total as u64, &ARTICLES)}</p>
            }.into_any(),
            ListLength::Counting => view! { <LoadingNotice message="جارٍ البحث في بقية الأرشيف وعدّ نتائجه…" class="result-count"/> }.into_any(),
            ListLength::AtLeast { count, rest } => view! {
                <p class="result-count" data-testid="result-count-at-least" aria-live="polite">
                    {format!("{} على الأقل، أولها هنا. ", crate::archive_style().count(u64::from(count), &ARTICLES))}
                    <button type="button" class="link-button" data-testid="show-rest" on:click=move |_| rest.run(())>"اعرض البقية وعدّها"</button>
                </p>
            }.into_any(),
        }}
        {(total == 0 && counted).then(|| view! {
            <p class="empty" data-testid="empty-state">"لا توجد مقالات تطابق البحث. جرّب كلمات أخرى أو أزل أحد المرشِّحات."</p>
        })}
        <div class="virtual-list" node_ref=list style:block-size=move || format!("{}px", layout.get().container_height)>
            <ol
                class="article-list virtual-window"
                data-testid="article-list"
                on:keydown=move |event| move_between_cards(&event, total)
                style:transform=move || format!("translateY({}px)", layout.get().first_top)
            >
                // Keyed by position: scrolling adds and removes rows without touching the others, and a row is
                // drawn again only when its own data changes (a focused card stays the same element).
                <For
                    each=move || {
                        let (first, end) = range.get();
                        first..end
                    }
                    key=|row| *row
                    children=move |row| {
                        let data = Memo::new(move |_| card_at.run(row));
                        let card = move || match data.get() {
                            Load::Ready(card) => view! { <ArticleCard card=card/> }.into_any(),
                            Load::Loading => view! {
                                <div class="card placeholder" data-testid="card-loading" aria-busy="true">"جارٍ التحميل…"</div>
                            }.into_any(),
                            Load::Failed(message) => view! {
                                <div class="card placeholder failed error-text" data-testid="card-failed" role="alert">
                                    <p>{message.to_string()}</p>
                                    {on_retry.map(|retry| view! {
                                        <button type="button" data-testid="retry" on:click=move |_| retry.run(())>"إعادة المحاولة"</button>
                                    })}
                                </div>
                            }.into_any(),
                        };
                        // -1: a length not known yet (WAI-ARIA's `aria-setsize`).
                        let setsize = if counted { total as i64 } else { -1 };
                        view! { <li class="virtual-row" aria-posinset=row + 1 aria-setsize=setsize>{card}</li> }
                    }
                />
            </ol>
        </div>
    }
}

/// The up and down arrows on a card's link move to the previous or next card. The rows just past the screen
/// are in the DOM (the overscan), and focusing one scrolls it into view, which brings the next ones in.
fn move_between_cards(event: &web_sys::KeyboardEvent, total: usize) {
    use wasm_bindgen::JsCast;
    let step: i64 = match event.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
    let Some(row) = target.as_ref().and_then(|target| target.closest("li.virtual-row").ok().flatten()) else { return };
    let position: i64 = row.get_attribute("aria-posinset").and_then(|value| value.parse().ok()).unwrap_or(0);
    let next = position + step;
    if next < 1 || next > total as i64 {
        return;
    }
    let list = row.parent_element();
    if crate::keys::focus_first(list.as_ref(), &format!("li.virtual-row[aria-posinset=\"{next}\"] [data-testid=card-link]")) {
        event.prevent_default();
    }
}

fn root_font_size() -> f64 {
    let root = document().document_element();
    let style = root.and_then(|root| window().get_computed_style(&root).ok().flatten());
    style
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|size| size.trim_end_matches("px").parse().ok())
        .unwrap_or(16.0)
}
