//! Component tests: each mounts one component into a real DOM in headless Chromium and asserts on what a
//! reader would see. Run with `cargo test -p sahifa-app --target wasm32-unknown-unknown` (see README).

use leptos::prelude::*;
use sahifa_app::components::article_list::ListLength;
use sahifa_app::components::{ActiveFilter, ArticleBody, ArticleCard, ArticleList, CardData, ErrorNotice, FacetGroup, FilterBar, FilterKey, FoldState, FoldStories};
use sahifa_app::data::Load;
use sahifa_core::search::{Highlighter, Query};
use sahifa_core::bundle::{FacetValue, ListingRow};
use sahifa_core::{Article, Block, BlockKind, Date};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element under `<body>` to mount one component into.
fn container() -> web_sys::HtmlElement {
    let document = document();
    let element = document.create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
    document.body().unwrap().append_child(&element).unwrap();
    element
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).text_content().unwrap_or_default()
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    root.query_selector(selector).unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
}

#[wasm_bindgen_test]
fn article_card_shows_title_outlet_moroccan_date_and_isolates_latin() {
    let root = container();
    let row = ListingRow {
        id: "abc".into(),
        title: "نقابة UMT تختم المؤتمر الوطني".into(),
        outlet: Some("هسبريس".into()),
        published: Some(Date::new(2025, 12, 17).unwrap()),
        excerpt: "مقتطف قصير.".into(),
        text: None,
    };
    let highlighter = Highlighter::new(&Query::parse("امن"));
    let card = CardData {
        href: "#/article/abc".into(),
        title: highlighter.segments(&row.title),
        excerpt: highlighter.segments("في أَمْنٍ وسلام."),
        row,
        also: Some(3),
    };
    let handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleCard card=card/> });
    assert_eq!(text_of(&root, "[data-testid=card-link]"), "نقابة UMT تختم المؤتمر الوطني");
    assert_eq!(text_of(&root, "[data-testid=card-link] bdi"), "UMT");
    assert_eq!(text_of(&root, "[data-testid=card-outlet]"), "هسبريس");
    assert_eq!(text_of(&root, "[data-testid=card-date]"), "17 دجنبر 2025");
    // The query امن marks the vowelled original أَمْنٍ.
    assert_eq!(text_of(&root, "[data-testid=card-excerpt] mark"), "أَمْنٍ");
    assert_eq!(text_of(&root, "[data-testid=card-also]"), "نشر أيضا في 3 منابر");
    let link = root.query_selector("[data-testid=card-link]").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("#/article/abc"));
    drop(handle);
    assert!(root.query_selector("[data-testid=article-card]").unwrap().is_none(), "unmounting removes the card");
}

#[wasm_bindgen_test]
async fn article_list_shows_rows_still_loading_and_fills_them_when_they_arrive() {
    let root = container();
    // Row 0 is here, row 1 failed, the rest are still on their way; then they arrive.
    let arrived = RwSignal::new(false);
    let card_at = Callback::new(move |n: usize| -> Load<CardData> {
        let row = ListingRow { id: format!("a{n}"), title: format!("عنوان {n}"), outlet: None, published: None, excerpt: String::new(), text: None };
        let ready = Load::Ready(CardData { href: format!("#/article/a{n}"), title: Highlighter::new(&Query::default()).segments(&row.title), excerpt: Vec::new(), row, also: None });
        match n {
            0 => ready,
            1 if !arrived.get() => Load::Failed(sahifa_app::data::LoadError::Cut),
            _ if arrived.get() => ready,
            _ => Load::Loading,
        }
    });
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleList total=1_000_000 card_at=card_at/> });
    leptos::task::tick().await;
    let count = |selector: &str| root.query_selector_all(selector).unwrap().length();
    assert_eq!(count("[data-testid=article-card]"), 1);
    assert_eq!(count("[data-testid=card-failed]"), 1);
    assert!(count("[data-testid=card-loading]") >= 1);
    assert!(count(".virtual-row") <= 60, "a million rows keep a window in the DOM");
    assert_eq!(text_of(&root, "[data-testid=result-count]"), "1.000.000 مقال", "counts are grouped by thousands as the default archive (ar-MA) writes them");
    arrived.set(true);
    leptos::task::tick().await;
    assert_eq!(count("[data-testid=card-loading]") + count("[data-testid=card-failed]"), 0);
    assert!(count("[data-testid=article-card]") > 1);
}

#[wasm_bindgen_test]
async fn a_list_held_after_its_first_cards_says_how_many_at_least_and_asks_for_the_rest_from_its_button() {
    let root = container();
    let card_at = Callback::new(move |n: usize| -> Load<CardData> {
        let row = ListingRow { id: format!("a{n}"), title: format!("عنوان {n}"), outlet: None, published: None, excerpt: String::new(), text: None };
        Load::Ready(CardData { href: format!("#/article/a{n}"), title: Highlighter::new(&Query::default()).segments(&row.title), excerpt: Vec::new(), row, also: None })
    });
    let asked = RwSignal::new(0);
    let length = ListLength::AtLeast { count: 12_400, rest: Callback::new(move |_| asked.update(|asked| *asked += 1)) };
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleList total=6 length=length card_at=card_at/> });
    leptos::task::tick().await;
    assert!(text_of(&root, "[data-testid=result-count-at-least]").starts_with("12.400 مقال على الأقل"), "{}", text_of(&root, "[data-testid=result-count-at-least]"));
    assert!(root.query_selector("[data-testid=result-count]").unwrap().is_none(), "no count claimed");
    assert!(root.query_selector("[data-testid=empty-state]").unwrap().is_none());
    let sizes: Vec<String> = (0..root.query_selector_all(".virtual-row").unwrap().length()).map(|n| root.query_selector_all(".virtual-row").unwrap().item(n).unwrap().unchecked_into::<web_sys::Element>().get_attribute("aria-setsize").unwrap()).collect();
    assert!(!sizes.is_empty() && sizes.iter().all(|size| size == "-1"), "{sizes:?}");
    assert_eq!(asked.get_untracked(), 0, "nothing asked before the reader does");
    click(&root, "[data-testid=show-rest]");
    assert_eq!(asked.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn facet_group_toggles_a_value_through_its_callback() {
    let root = container();
    let (selected, set_selected) = signal(None::<String>);
    let values = vec![FacetValue { value: "هسبريس".into(), count: 3 }, FacetValue { value: "الأول".into(), count: 1 }];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <FacetGroup title="المنبر" testid="facet-outlet" values=values.clone() selected=selected
                on_select=Callback::new(move |value| set_selected.set(value))/>
        }
    });
    let pressed = |value: &str| {
        root.query_selector(&format!("[data-value='{value}']")).unwrap().unwrap().get_attribute("aria-pressed").unwrap()
    };
    assert_eq!(root.query_selector_all("[data-testid=facet-option]").unwrap().length(), 2);
    assert_eq!(text_of(&root, "[data-value='هسبريس'] .facet-count"), "3");
    assert_eq!(pressed("هسبريس"), "false");

    click(&root, "[data-value='هسبريس']");
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked().as_deref(), Some("هسبريس"));
    assert_eq!(pressed("هسبريس"), "true");
    assert_eq!(pressed("الأول"), "false");

    click(&root, "[data-value='هسبريس']");
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked(), None);
    assert_eq!(pressed("هسبريس"), "false");
}

#[wasm_bindgen_test]
fn article_body_renders_blocks_in_order_as_text_never_html() {
    let root = container();
    let article = Article {
        id: "x".into(),
        title: "عنوان <b>غامق</b>".into(),
        outlet: None,
        published: None,
        blocks: vec![
            Block { kind: BlockKind::Paragraph, text: "فقرة أولى.".into() },
            Block { kind: BlockKind::Subheading, text: "مكافحة الجريمة المنظمة".into() },
            Block { kind: BlockKind::Paragraph, text: "<img src=x onerror=alert(1)> فقرة ثانية.".into() },
        ],
        url: None,
    };
    let query = Query::parse("الجريمه");
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleBody article=article back_href="#/?q=x" query=query/> });
    assert_eq!(text_of(&root, "[data-testid=article-title]"), "عنوان <b>غامق</b>");
    assert!(root.query_selector("img").unwrap().is_none() && root.query_selector("h1 b").unwrap().is_none());
    let blocks = root.query_selector_all(".article-text > *").unwrap();
    let tags: Vec<String> = (0..blocks.length()).map(|i| blocks.item(i).unwrap().node_name()).collect();
    assert_eq!(tags, ["P", "H2", "P"]);
    assert_eq!(text_of(&root, ".article-text h2"), "مكافحة الجريمة المنظمة");
    assert_eq!(text_of(&root, ".article-text h2 mark"), "الجريمة");
    assert_eq!(text_of(&root, "[data-testid=article-date]"), "تاريخ النشر غير معروف");
    let back = root.query_selector("[data-testid=back-link]").unwrap().unwrap();
    assert_eq!(back.get_attribute("href").as_deref(), Some("#/?q=x"));
    assert!(root.query_selector("[data-testid=source-link]").unwrap().is_none(), "no source, no link");
    assert!(root.query_selector("[data-testid=hijri-date]").unwrap().is_none(), "no date, no Hijri date");
}

#[wasm_bindgen_test]
fn an_article_date_has_its_umm_al_qura_hijri_date_beside_it_marked_approximate() {
    let root = container();
    let article = Article {
        id: "x".into(),
        title: "عنوان".into(),
        outlet: Some("هسبريس".into()),
        published: Some(Date::new(2025, 12, 17).unwrap()),
        blocks: vec![Block { kind: BlockKind::Paragraph, text: "فقرة.".into() }],
        url: None,
    };
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleBody article=article.clone() back_href="#/"/> });
    assert_eq!(text_of(&root, "[data-testid=article-date]"), "17 دجنبر 2025");
    assert_eq!(text_of(&root, "[data-testid=hijri-date]"), "الموافق 26 جمادى الآخرة 1447 هـ تقريبًا");
}

/// The core's table of the Umm al-Qura calendar against the browser's own: the first and last day of every
/// month from 1900 to 2077, as Chromium's `Intl` writes them with the viewer's Latin digits.
#[wasm_bindgen_test]
fn the_umm_al_qura_table_agrees_with_the_browsers_calendar_on_every_month() {
    use sahifa_core::hijri::HijriDate;
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
    }
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&"ar-u-ca-islamic-umalqura-nu-latn".into()), &options);
    let browser = |days: i64| format.format().call1(&wasm_bindgen::JsValue::NULL, &js_sys::Date::new(&((days * 86_400_000) as f64).into())).unwrap().as_string().unwrap();
    let first = Date::new(1900, 4, 30).unwrap().days_since_epoch();
    let last = Date::new(2077, 11, 16).unwrap().days_since_epoch();
    let mut compared = 0;
    for days in first..=last {
        let hijri = HijriDate::of(Date::from_days_since_epoch(days)).unwrap();
        let next = HijriDate::of(Date::from_days_since_epoch(days + 1));
        let ends_a_month = next.is_none_or(|next| next.day == 1);
        if hijri.day == 1 || ends_a_month {
            assert_eq!(hijri.to_arabic(), browser(days), "{:?}", Date::from_days_since_epoch(days));
            compared += 1;
        }
    }
    assert_eq!(compared, 183 * 12 * 2);
}

#[wasm_bindgen_test]
fn the_source_link_opens_http_addresses_safely_and_never_others() {
    let article = |url: &str| Article {
        id: "x".into(),
        title: "عنوان".into(),
        outlet: None,
        published: None,
        blocks: vec![Block { kind: BlockKind::Paragraph, text: "فقرة.".into() }],
        url: Some(url.into()),
    };
    let root = container();
    let safe = article("https://example.com/a b");
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ArticleBody article=safe back_href="#/"/> });
    let link = root.query_selector("[data-testid=source-link]").unwrap().unwrap();
    assert_eq!(link.text_content().as_deref(), Some("اقرأ الخبر في مصدره"));
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://example.com/a%20b"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
    let hostile = container();
    let unsafe_article = article("javascript:alert(1)");
    let _other = leptos::mount::mount_to(hostile.clone(), move || view! { <ArticleBody article=unsafe_article back_href="#/"/> });
    assert!(hostile.query_selector("[data-testid=source-link]").unwrap().is_none());
    assert!(hostile.query_selector("a[href^=javascript]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn error_notice_calls_retry() {
    let root = container();
    let (retries, set_retries) = signal(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <ErrorNotice message="تعذّر تحميل الأرشيف." on_retry=Callback::new(move |_| set_retries.update(|n| *n += 1))/> }
    });
    assert_eq!(text_of(&root, "[data-testid=error-state] p"), "تعذّر تحميل الأرشيف.");
    click(&root, "[data-testid=retry]");
    leptos::task::tick().await;
    assert_eq!(retries.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn filter_bar_toggles_the_folded_filters_and_its_chips_remove_their_filter() {
    let root = container();
    let active = RwSignal::new(vec![
        ActiveFilter { key: FilterKey::Outlet, value: "هسبريس".into() },
        ActiveFilter { key: FilterKey::Year, value: "2025".into() },
    ]);
    let expanded = RwSignal::new(false);
    let removed = RwSignal::new(Vec::<FilterKey>::new());
    let on_remove = Callback::new(move |key: FilterKey| {
        removed.update(|keys| keys.push(key));
        active.update(|filters| filters.retain(|filter| filter.key != key));
    });
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <FilterBar active=active expanded=expanded controls="filters" on_remove=on_remove/> }
    });
    let toggle = root.query_selector("[data-testid=filter-toggle]").unwrap().unwrap();
    assert_eq!(toggle.text_content().as_deref(), Some("تصفية (2)"));
    assert_eq!(toggle.get_attribute("aria-controls").as_deref(), Some("filters"));
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"));
    click(&root, "[data-testid=filter-toggle]");
    leptos::task::tick().await;
    assert!(expanded.get_untracked());
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("true"));

    let chips = root.query_selector_all("[data-testid=filter-chip]").unwrap();
    assert_eq!(chips.length(), 2);
    click(&root, "[data-testid=filter-chip][data-key=year]");
    leptos::task::tick().await;
    assert_eq!(removed.get_untracked(), vec![FilterKey::Year]);
    assert_eq!(root.query_selector_all("[data-testid=filter-chip]").unwrap().length(), 1);
    assert_eq!(toggle.text_content().as_deref(), Some("تصفية (1)"));
    assert_eq!(text_of(&root, "[data-testid=filter-chip]"), "هسبريس×");
}

/// The archive's locale writes numbers and dates as this browser's `Intl` does for it: the core's small table
/// of digits, grouping and month names (`sahifa_core::archive::Style`), checked against Chromium's CLDR data.
#[wasm_bindgen_test]
fn archive_locales_write_numbers_and_dates_as_intl_does() {
    use sahifa_core::archive::Style;
    let number_format = js_sys::Function::new_with_args("locale, n", "return new Intl.NumberFormat(locale).format(n)");
    let date_format = js_sys::Function::new_with_args(
        "locale, y, m, d",
        "return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)))",
    );
    // Direction marks some locales put around parts are not text.
    let visible = |text: String| text.chars().filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')).collect::<String>();
    for locale in ["ar-MA", "ar-DZ", "ar-TN", "ar-LY", "ar", "ar-AE", "ar-SA", "ar-EG", "ar-LB", "ar-SY", "ar-IQ", "ar-KW"] {
        let style = Style::of_locale(locale, None).unwrap();
        for n in [0u64, 7, 999, 1000, 30_116, 1_234_567] {
            let intl = number_format.call2(&JsValue::NULL, &locale.into(), &(n as f64).into()).unwrap().as_string().unwrap();
            assert_eq!(style.number(n), visible(intl), "{locale} {n}");
        }
        for (year, month, day) in [(2015u16, 8u8, 11u8), (2014, 3, 8), (2025, 12, 17), (2013, 1, 1)] {
            let args = js_sys::Array::of4(&locale.into(), &f64::from(year).into(), &f64::from(month).into(), &f64::from(day).into());
            let intl = date_format.apply(&JsValue::NULL, &args).unwrap().as_string().unwrap();
            assert_eq!(style.date(Date::new(year, month, day).unwrap()), visible(intl), "{locale} {year}-{month}-{day}");
        }
    }
}

/// The export states its cap before anything starts, shows progress, and says what it wrote or why not; its
/// buttons wait while it works.
#[wasm_bindgen_test]
async fn export_actions_state_the_cap_and_show_progress_and_outcome() {
    use sahifa_app::components::{ExportActions, ExportFormat, ExportState};
    let root = container();
    let state = RwSignal::new(ExportState::Idle);
    let total = RwSignal::new(12_345usize);
    let asked = RwSignal::new(None::<ExportFormat>);
    let on_export = Callback::new(move |format| asked.set(Some(format)));
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ExportActions total=total state=state on_export=on_export/> });
    assert_eq!(text_of(&root, "[data-testid=export-cap]"), "تُصدَّر أول 10.000 من 12.345 مقالًا.");
    click(&root, "[data-testid=export-json]");
    assert_eq!(asked.get_untracked(), Some(ExportFormat::Json));
    state.set(ExportState::Working { done: 3, of: 80 });
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=export-progress] span"), "جارٍ تجهيز الملف: 3 من 80 ملفًا");
    let csv = root.query_selector("[data-testid=export-csv]").unwrap().unwrap();
    assert!(csv.has_attribute("disabled"), "no second export while one runs");
    state.set(ExportState::Failed("تعذّر التصدير: انقطع الاتصال".into()));
    total.set(40);
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=export-failed]"), "تعذّر التصدير: انقطع الاتصال");
    assert!(root.query_selector("[data-testid=export-cap]").unwrap().is_none(), "no cap to state under it");
    assert!(!root.query_selector("[data-testid=export-csv]").unwrap().unwrap().has_attribute("disabled"));
}

/// Saving the listed articles: the size comes first and nothing starts before the reader agrees; then
/// progress, and what was saved.
#[wasm_bindgen_test]
async fn save_list_shows_the_size_first_then_progress() {
    use sahifa_app::components::{ListSaveState, SaveList};
    let root = container();
    let state = RwSignal::new(ListSaveState::Idle);
    let (measured, confirmed) = (RwSignal::new(0), RwSignal::new(0));
    let on_measure = Callback::new(move |_| measured.update(|n| *n += 1));
    let on_confirm = Callback::new(move |_| confirmed.update(|n| *n += 1));
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <SaveList articles=Signal::derive(|| 41usize) state=state on_measure=on_measure on_confirm=on_confirm/> });
    assert_eq!(text_of(&root, "[data-testid=save-list]"), "احفظ هذه القائمة (41 مقالًا)");
    click(&root, "[data-testid=save-list]");
    assert_eq!((measured.get_untracked(), confirmed.get_untracked()), (1, 0), "measuring downloads nothing yet");
    state.set(ListSaveState::Ready { articles: 41, files: 7, bytes: 2_500_000 });
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=save-list-size]"), "سيُنزَّل 2.5 ميغابايت (7 ملفات) لحفظ 41 مقالًا.");
    click(&root, "[data-testid=save-list-confirm]");
    assert_eq!(confirmed.get_untracked(), 1);
    state.set(ListSaveState::Saving { done_bytes: 1_000_000, total_bytes: 2_500_000 });
    leptos::task::tick().await;
    let progress = root.query_selector("[data-testid=save-list-progress]").unwrap().unwrap();
    assert_eq!((progress.get_attribute("value").as_deref(), progress.get_attribute("max").as_deref()), (Some("1000000"), Some("2500000")));
    state.set(ListSaveState::Saved { articles: 41 });
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=save-list-done]"), "حُفظت 41 مقالًا على هذا الجهاز: تُقرأ دون اتصال.");
    // Cancelling a measured save goes back to the start.
    state.set(ListSaveState::Ready { articles: 41, files: 0, bytes: 0 });
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=save-list-size]"), "41 مقالًا محفوظة على هذا الجهاز من قبل.");
    click(&root, "[data-testid=save-list-cancel]");
    assert_eq!(state.get_untracked(), ListSaveState::Idle);
}

/// The date range: a picked day applies, a cleared field lifts its end, and a range given backwards is put
/// the right way round.
#[wasm_bindgen_test]
async fn date_range_applies_whole_days_and_orders_its_ends() {
    use sahifa_app::components::DateRange;
    let root = container();
    let from = RwSignal::new(Date::new(2014, 3, 8).ok());
    let to = RwSignal::new(None::<Date>);
    let changed = RwSignal::new(None::<(Option<Date>, Option<Date>)>);
    let on_change = Callback::new(move |range| changed.set(Some(range)));
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <DateRange from=from to=to on_change=on_change/> });
    leptos::task::tick().await;
    let field = |testid: &str| root.query_selector(&format!("[data-testid={testid}]")).unwrap().unwrap().unchecked_into::<web_sys::HtmlInputElement>();
    assert_eq!(field("date-from").value(), "2014-03-08");
    let pick = |testid: &str, value: &str| {
        let input = field(testid);
        input.set_value(value);
        input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    };
    pick("date-to", "2013-01-01");
    assert_eq!(changed.get_untracked(), Some((Date::new(2013, 1, 1).ok(), Date::new(2014, 3, 8).ok())), "backwards, put right");
    pick("date-from", "");
    assert_eq!(changed.get_untracked(), Some((None, None)), "cleared: the field's end is open (the other end is still unset here)");
}

/// Other outlets' tellings: counted by outlet in the plural form the number takes, each a link; none, nothing.
#[wasm_bindgen_test]
fn also_published_counts_outlets_and_links_each_telling() {
    use sahifa_app::components::{AlsoPublished, ArticleLink};
    let root = container();
    let telling = |outlet: &str, id: &str| ArticleLink { href: format!("#/article/{id}"), title: format!("عنوان {id}"), outlet: Some(outlet.into()), published: Date::new(2015, 8, 11).ok() };
    let tellings = vec![telling("اليوم", "a"), telling("عكاظ", "b"), telling("عكاظ", "c")];
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <AlsoPublished tellings=tellings/> });
    assert_eq!(text_of(&root, "#also-published-heading"), "نشر أيضا في منبرين");
    let links = root.query_selector_all("[data-testid=telling] a").unwrap();
    assert_eq!(links.length(), 3);
    let first = links.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(first.get_attribute("href").as_deref(), Some("#/article/a"));
    let empty = container();
    let _none = leptos::mount::mount_to(empty.clone(), || view! { <AlsoPublished tellings=Vec::new()/> });
    assert!(empty.query_selector("[data-testid=also-published]").unwrap().is_none());
}

/// Related articles: one titled section of links in the order given, each with its outlet and date; none,
/// nothing.
#[wasm_bindgen_test]
fn related_articles_link_each_in_order_and_show_nothing_for_none() {
    use sahifa_app::components::{ArticleLink, RelatedArticles};
    let root = container();
    let link = |id: &str| ArticleLink { href: format!("#/article/{id}"), title: format!("عنوان {id}"), outlet: Some("جوهرة أف أم".into()), published: Date::new(2017, 6, 20).ok() };
    let links = vec![link("b"), link("a")];
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <RelatedArticles articles=links/> });
    assert_eq!(text_of(&root, "#related-heading"), "مقالات ذات صلة");
    let items = root.query_selector_all("[data-testid=related-article] a").unwrap();
    let hrefs: Vec<String> = (0..items.length()).map(|n| items.item(n).unwrap().unchecked_into::<web_sys::Element>().get_attribute("href").unwrap()).collect();
    assert_eq!(hrefs, ["#/article/b", "#/article/a"]);
    assert!(text_of(&root, "[data-testid=related-article]").contains("جوهرة أف أم"));
    let empty = container();
    let _none = leptos::mount::mount_to(empty.clone(), || view! { <RelatedArticles articles=Vec::new()/> });
    assert!(empty.query_selector("[data-testid=related-articles]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_fold_switch_says_what_folding_did_or_why_it_cannot() {
    let root = container();
    let state = RwSignal::new(FoldState::Off);
    let asked = RwSignal::new(None::<bool>);
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <FoldStories state=state on_toggle=Callback::new(move |on| asked.set(Some(on)))/> });
    let toggle = || root.query_selector("[data-testid=fold-toggle]").unwrap().unwrap().unchecked_into::<web_sys::HtmlInputElement>();
    assert!(!toggle().checked());
    assert_eq!(text_of(&root, "[data-testid=fold-note]"), "");
    toggle().click();
    assert_eq!(asked.get_untracked(), Some(true), "the switch asks; the address decides");
    state.set(FoldState::Working);
    leptos::task::tick().await;
    assert!(toggle().checked());
    assert_eq!(text_of(&root, "[data-testid=fold-note]"), "جارٍ جمع روايات القصة الواحدة…");
    state.set(FoldState::Folded(11));
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=fold-note]"), "طُوي 11 مقالًا");
    state.set(FoldState::Folded(0));
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=fold-note]"), "لا روايات مكررة في هذه القائمة.");
    state.set(FoldState::TooLong);
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "[data-testid=fold-note]"), "يُطوى ما لا يزيد على 2.000 مقال: ضيّق البحث أو التصفية.", "grouped as the archive writes numbers (ar-MA by default)");
}
