use leptos::prelude::*;
use sahifa_core::text::ARTICLES;
use sahifa_core::timeline::Bar;

/// The height of the tallest bar, in SVG units (pixels at the default size).
const BAR_HEIGHT: u32 = 56;

/// «الخط الزمني»: how many of the current results each year holds, one bar a year, oldest at the start (the
/// right). A bar is a link to the list filtered to its year; the chosen year's link leads back out of it. Bars
/// are drawn in SVG with their heights as attributes, so the first screen drawn at build time (which carries
/// no inline styles) draws them too.
#[component]
pub fn Timeline(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    #[prop(into)] selected: Signal<Option<u16>>,
    /// The address of the list filtered to a year, or to none.
    href: Callback<Option<u16>, String>,
) -> impl IntoView {
    let style = crate::archive_style();
    let tallest = Memo::new(move |_| bars.with(|bars| bars.iter().map(|bar| bar.count).max().unwrap_or(0).max(1)));
    let ends = move || bars.with(|bars| bars.first().zip(bars.last()).map(|(first, last)| (first.year, last.year)));
    view! {
        <section class="timeline" data-testid="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" class="facet-title">"الخط الزمني"</h2>
            <ol class="timeline-bars">
                <For
                    each=move || bars.get()
                    key=|bar| (bar.year, bar.count)
                    children=move |bar| {
                        let style = &style;
                        let height = if bar.count == 0 { 0 } else { (bar.count * BAR_HEIGHT).div_ceil(tallest.get_untracked()).max(2) };
                        let is_selected = move || selected.get() == Some(bar.year);
                        let label = format!("{}: {}", style.digits(u64::from(bar.year)), style.count(u64::from(bar.count), &ARTICLES));
                        view! {
                            <li>
                                <a
                                    class="timeline-bar"
                                    data-testid="timeline-bar"
                                    data-year=bar.year
                                    href=move || href.run(if is_selected() { None } else { Some(bar.year) })
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
                <p class="timeline-axis" aria-hidden="true"><span>{axis_style.digits(u64::from(first))}</span><span>{axis_style.digits(u64::from(last))}</span></p>
            }})}
        </section>
    }
}
