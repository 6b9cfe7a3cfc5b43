use leptos::prelude::*;
use sahifa_core::text::ARTICLES;
use sahifa_core::timeline::Bar;

/// The height of the tallest bar, in SVG units (pixels at the default size).
const BAR_HEIGHT: u32 = 56;

/// «الخط الزمني»: how many of the current results each year holds, one bar a year, oldest at the start (the
/// right); inside a chosen year, one bar a month. A bar is a link to the list filtered to its year or month;
/// the chosen one's link leads back out of it. Bars are drawn in SVG with their heights as attributes, so the
/// first screen drawn at build time (which carries no inline styles) draws them too.
#[component]
pub fn Timeline(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// The chosen year, or month of a year.
    #[prop(into)] selected: Signal<Option<(u16, Option<u8>)>>,
    /// The address of the list filtered to a bar's year or month, or to none.
    href: Callback<Option<(u16, Option<u8>)>, String>,
) -> impl IntoView {
    let style = crate::archive_style();
    let tallest = Memo::new(move |_| bars.with(|bars| bars.iter().map(|bar| bar.count).max().unwrap_or(0).max(1)));
    let ends = move || bars.with(|bars| bars.first().zip(bars.last()).map(|(first, last)| (*first, *last)));
    view! {
        <section class="timeline" data-testid="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" class="facet-title">"الخط الزمني"</h2>
            // Inside a year, the way back out to every year.
            {move || bars.with(|bars| bars.first().is_some_and(|bar| bar.month.is_some())).then(|| view! {
                <a class="timeline-all" data-testid="timeline-all-years" href=move || href.run(None)>"كل السنوات"</a>
            })}
            <ol class="timeline-bars">
                <For
                    each=move || bars.get()
                    key=|bar| (bar.year, bar.month, bar.count)
                    children=move |bar| {
                        let style = &style;
                        let height = if bar.count == 0 { 0 } else { (bar.count * BAR_HEIGHT).div_ceil(tallest.get_untracked()).max(2) };
                        let this = (bar.year, bar.month);
                        let is_selected = move || selected.get() == Some(this);
                        let label = format!("{}: {}", bar_name(style, &bar), style.count(u64::from(bar.count), &ARTICLES));
                        view! {
                            <li>
                                <a
                                    class="timeline-bar"
                                    data-testid="timeline-bar"
                                    data-year=bar.year
                                    data-month=bar.month
                                    href=move || href.run(if is_selected() { bar.month.map(|_| (bar.year, None)) } else { Some(this) })
                                    aria-label=label.clone()
                                    aria-current=move || is_selected().then_some("true")
                                    title=label
                                >
                                    <svg viewBox=format!("0 0 10 {BAR_HEIGHT}") preserveAspectRatio="none" width="10" height=BAR_HEIGHT aria-hidden="true" focusable="false">
                                        <rect x="0" y=BAR_HEIGHT - height width="10" height=height rx="1"></rect>
                                    </svg>
                                </a>
                            </li>
                        }
                    }
                />
            </ol>
            {move || ends().map(|(first, last)| { let axis_style = crate::archive_style(); view! {
                <p class="timeline-axis" aria-hidden="true"><span>{bar_name(&axis_style, &first)}</span><span>{bar_name(&axis_style, &last)}</span></p>
            }})}
        </section>
    }
}

/// A bar's year, or its month and year, as the archive writes them.
fn bar_name(style: &sahifa_core::archive::Style, bar: &Bar) -> String {
    match bar.month {
        Some(month) => style.month(bar.year, month),
        None => style.digits(u64::from(bar.year)),
    }
}
