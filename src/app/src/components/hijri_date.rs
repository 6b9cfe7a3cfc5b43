use leptos::prelude::*;
use sahifa_core::Date;
use wasm_bindgen::JsValue;

/// The Hijri date beside a Gregorian one, by the Umm al-Qura calendar as the browser's `Intl` computes it. It is
/// marked as approximate: where the month begins with the sighting of the crescent (Morocco among others), the
/// day may differ by one. Nothing is shown where the browser does not know that calendar. It takes a line of
/// its own (style.css), so that a page drawn at build time, where no browser can be asked, holds its place with
/// an empty line of the same height and the article does not move when the app writes the date in. Until the
/// browser's formatter is made (`prepare`), the line is held empty too, and the date written in a task of its
/// own: an article the app opens at once (one the page drew) is not held back by the calendar's data.
#[component]
pub fn HijriDate(date: Date) -> impl IntoView {
    let formatter_made = crate::IN_A_BROWSER && FORMAT.with(|format| format.get().is_some());
    if formatter_made {
        return hijri_text(date).map(written).into_any();
    }
    let text = RwSignal::new(None::<Option<String>>);
    if crate::IN_A_BROWSER {
        let _ = set_timeout(move || text.set(Some(hijri_text(date))), std::time::Duration::ZERO);
    }
    (move || match text.get() {
        None => Some(view! { <span class="hijri" aria-hidden="true">"\u{a0}"</span> }.into_any()),
        Some(text) => text.map(written),
    })
    .into_any()
}

fn written(text: String) -> AnyView {
    view! {
        <span class="hijri" data-testid="hijri-date" title="بحساب تقويم أم القرى، وقد يختلف يومًا عن رؤية الهلال">
            {format!("الموافق {text} تقريبًا")}
        </span>
    }
    .into_any()
}

/// `date` in the Umm al-Qura calendar with Arabic month names and Latin digits, as the Gregorian dates are
/// written («26 جمادى الآخرة 1447 هـ»), or `None` if the browser would fall back to another calendar.
pub fn hijri_text(date: Date) -> Option<String> {
    let moment = js_sys::Date::new(&JsValue::from_f64(date.days_since_epoch() as f64 * 86_400_000.0));
    FORMAT.with(|format| format.get_or_init(umm_al_qura_format).as_ref()?.format().call1(&JsValue::NULL, &moment).ok()?.as_string())
}

/// Makes the browser's Umm al-Qura formatter ahead of need. The first one costs Chromium the calendar's data
/// (about 25 ms here, 100 on a phone-speed processor), which would otherwise fall between an article's arrival
/// and its paint; the article page calls this while its files are on the way.
pub fn prepare() {
    FORMAT.with(|format| {
        format.get_or_init(umm_al_qura_format);
    });
}

thread_local! {
    /// One formatter for the page's life: `None` where the browser does not know the calendar.
    static FORMAT: std::cell::OnceCell<Option<js_sys::Intl::DateTimeFormat>> = const { std::cell::OnceCell::new() };
}

fn umm_al_qura_format() -> Option<js_sys::Intl::DateTimeFormat> {
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let locales = js_sys::Array::of1(&JsValue::from_str("ar-u-ca-islamic-umalqura-nu-latn"));
    let format = js_sys::Intl::DateTimeFormat::new(&locales, &options);
    let calendar = js_sys::Reflect::get(&format.resolved_options(), &"calendar".into()).ok()?.as_string()?;
    (calendar == "islamic-umalqura").then_some(format)
}
