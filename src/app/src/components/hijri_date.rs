use leptos::prelude::*;
use sahifa_core::hijri::HijriDate as UmmAlQura;
use sahifa_core::Date;

/// The Hijri date beside a Gregorian one, by the Umm al-Qura calendar (`sahifa_core::hijri`). It is marked as
/// approximate: where the month begins with the sighting of the crescent (Morocco among others), the day may
/// differ by one. Nothing is shown outside the calendar's table (before 1900, after 2077). It takes a line of
/// its own (style.css), and is the same whether drawn at build time or by the app, so the article does not move
/// when the app replaces a drawn page.
#[component]
pub fn HijriDate(date: Date) -> impl IntoView {
    UmmAlQura::of(date).map(|hijri| {
        view! {
            <span class="hijri" data-testid="hijri-date" title="بحساب تقويم أم القرى، وقد يختلف يومًا عن رؤية الهلال">
                {format!("الموافق {} تقريبًا", hijri.to_arabic())}
            </span>
        }
    })
}
