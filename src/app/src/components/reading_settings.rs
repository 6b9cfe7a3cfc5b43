use crate::components::DisclosureButton;
use crate::device::remembered;
use leptos::prelude::*;
use sahifa_core::reading::{ReadingPrefs, Spacing, TextSize, Theme, ATTRIBUTES, STORAGE_KEY};

const PANEL_ID: &str = "reading-settings";

/// «العرض»: text size, line spacing, theme and justification, remembered on this device. A choice shows at
/// once everywhere: it is a set of attributes on `<html>` that style.css reads (`sahifa_core::reading`).
#[component]
pub fn ReadingSettings() -> impl IntoView {
    let prefs = remembered(STORAGE_KEY, ReadingPrefs::from_storage, ReadingPrefs::to_storage);
    let open = RwSignal::new(false);
    let applied_once = StoredValue::new(false);
    Effect::new(move |_| {
        apply(&prefs.get());
        if applied_once.get_value() {
            // The virtual list measures rows in rem; a new text size changes the rem.
            if let Some(window) = web_sys::window() {
                if let Ok(event) = web_sys::Event::new("resize") {
                    let _ = window.dispatch_event(&event);
                }
            }
        }
        applied_once.set_value(true);
    });

    let choice = move |group: &'static str, label: &'static str, checked: Signal<bool>, choose: Callback<()>| {
        view! {
            <label class="reading-choice">
                <input type="radio" name=group prop:checked=checked on:change=move |_| choose.run(())/>
                <span>{label}</span>
            </label>
        }
    };
    let sizes = TextSize::ALL.map(|size| {
        choice("text-size", size.label(), Signal::derive(move || prefs.with(|p| p.size == size)), Callback::new(move |_| prefs.update(|p| p.size = size)))
    });
    let spacings = Spacing::ALL.map(|spacing| {
        choice("spacing", spacing.label(), Signal::derive(move || prefs.with(|p| p.spacing == spacing)), Callback::new(move |_| prefs.update(|p| p.spacing = spacing)))
    });
    let themes = Theme::ALL.map(|theme| {
        choice("theme", theme.label(), Signal::derive(move || prefs.with(|p| p.theme == theme)), Callback::new(move |_| prefs.update(|p| p.theme = theme)))
    });

    view! {
        <div class="reading">
            <DisclosureButton class="reading-toggle" testid="reading-toggle" controls=PANEL_ID expanded=open>
                "العرض"
            </DisclosureButton>
            <div id=PANEL_ID class="reading-panel" data-testid="reading-settings" role="group" aria-label="إعدادات العرض" hidden=move || !open.get()>
                <fieldset data-testid="reading-size">
                    <legend>"حجم الخط"</legend>
                    {sizes}
                </fieldset>
                <fieldset data-testid="reading-spacing">
                    <legend>"تباعد الأسطر"</legend>
                    {spacings}
                </fieldset>
                <fieldset data-testid="reading-theme">
                    <legend>"المظهر"</legend>
                    {themes}
                </fieldset>
                <label class="reading-choice">
                    <input
                        type="checkbox"
                        data-testid="reading-justify"
                        prop:checked=move || prefs.with(|p| p.justify)
                        on:change=move |event| prefs.update(|p| p.justify = event_target_checked(&event))
                    />
                    <span>"ضبط الأسطر على العرض"</span>
                </label>
            </div>
        </div>
    }
}

fn apply(prefs: &ReadingPrefs) {
    let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element()) else { return };
    for name in ATTRIBUTES {
        let _ = root.remove_attribute(name);
    }
    for (name, value) in prefs.attributes() {
        let _ = root.set_attribute(name, value);
    }
}
