//! The reader's display preferences: text size, line spacing, theme and justification. They belong to the
//! device, not to a view, so they live in `localStorage` rather than the URL. The app writes them as the
//! attributes they put on `<html>` (which style.css reads), so the page's inline script can put them back before
//! the first paint without knowing any rule of its own.

use serde::{Deserialize, Serialize};

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "sahifa-reading";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextSize {
    Small,
    #[default]
    Normal,
    Large,
    Larger,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spacing {
    #[default]
    Normal,
    Relaxed,
}

/// `System` follows the device's light or dark setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
    Sepia,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadingPrefs {
    pub size: TextSize,
    pub spacing: Spacing,
    pub theme: Theme,
    pub justify: bool,
}

/// Every attribute the preferences may set on `<html>`, so the app can clear the ones a choice drops.
pub const ATTRIBUTES: [&str; 4] = ["data-text-size", "data-spacing", "data-theme", "data-justify"];

impl TextSize {
    pub const ALL: [TextSize; 4] = [TextSize::Small, TextSize::Normal, TextSize::Large, TextSize::Larger];
    pub fn label(self) -> &'static str {
        match self {
            TextSize::Small => "صغير",
            TextSize::Normal => "متوسط",
            TextSize::Large => "كبير",
            TextSize::Larger => "أكبر",
        }
    }
    fn attribute(self) -> Option<&'static str> {
        match self {
            TextSize::Small => Some("small"),
            TextSize::Normal => None,
            TextSize::Large => Some("large"),
            TextSize::Larger => Some("larger"),
        }
    }
}

impl Spacing {
    pub const ALL: [Spacing; 2] = [Spacing::Normal, Spacing::Relaxed];
    pub fn label(self) -> &'static str {
        match self {
            Spacing::Normal => "عادي",
            Spacing::Relaxed => "واسع",
        }
    }
}

impl Theme {
    pub const ALL: [Theme; 4] = [Theme::System, Theme::Light, Theme::Dark, Theme::Sepia];
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "حسب الجهاز",
            Theme::Light => "فاتح",
            Theme::Dark => "داكن",
            Theme::Sepia => "ورقي",
        }
    }
    fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
            Theme::Sepia => Some("sepia"),
        }
    }
}

impl ReadingPrefs {
    /// The attributes for `<html>`: only those that differ from the default, so a reader who chose nothing gets
    /// the stylesheet as written (and the device's theme).
    pub fn attributes(&self) -> Vec<(&'static str, &'static str)> {
        let mut attributes = Vec::new();
        if let Some(size) = self.size.attribute() {
            attributes.push((ATTRIBUTES[0], size));
        }
        if self.spacing == Spacing::Relaxed {
            attributes.push((ATTRIBUTES[1], "relaxed"));
        }
        if let Some(theme) = self.theme.attribute() {
            attributes.push((ATTRIBUTES[2], theme));
        }
        if self.justify {
            attributes.push((ATTRIBUTES[3], "on"));
        }
        attributes
    }

    /// What is stored: the attributes as a JSON object, which the inline script applies as they are.
    pub fn to_storage(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> =
            self.attributes().into_iter().map(|(name, value)| (name.to_owned(), value.into())).collect();
        serde_json::Value::Object(map).to_string()
    }

    /// Reads what `to_storage` wrote. Storage is the device's, but may hold anything (an older version, a
    /// hand edit): what is not understood is left at its default.
    pub fn from_storage(text: &str) -> ReadingPrefs {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
        let value = |name: &str| map.get(name).and_then(|value| value.as_str()).unwrap_or("");
        ReadingPrefs {
            size: TextSize::ALL.into_iter().find(|size| size.attribute() == Some(value(ATTRIBUTES[0]))).unwrap_or_default(),
            spacing: if value(ATTRIBUTES[1]) == "relaxed" { Spacing::Relaxed } else { Spacing::Normal },
            theme: Theme::ALL.into_iter().find(|theme| theme.attribute() == Some(value(ATTRIBUTES[2]))).unwrap_or_default(),
            justify: value(ATTRIBUTES[3]) == "on",
        }
    }
}

/// The inline script's part that puts the stored preferences on `<html>` before the page paints: it applies
/// the stored attributes, and only the ones named in `ATTRIBUTES`.
pub fn restore_script() -> String {
    let names = serde_json::to_string(&ATTRIBUTES).expect("strings always serialize");
    format!(
        "try{{const p=JSON.parse(localStorage.getItem({STORAGE_KEY:?})||'{{}}');for(const n of {names})if(typeof p[n]==='string')document.documentElement.setAttribute(n,p[n])}}catch(e){{}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_set_no_attribute_and_every_choice_round_trips_through_storage() {
        assert_eq!(ReadingPrefs::default().attributes(), vec![]);
        assert_eq!(ReadingPrefs::default().to_storage(), "{}");
        for size in TextSize::ALL {
            for spacing in Spacing::ALL {
                for theme in Theme::ALL {
                    for justify in [false, true] {
                        let prefs = ReadingPrefs { size, spacing, theme, justify };
                        assert_eq!(ReadingPrefs::from_storage(&prefs.to_storage()), prefs);
                    }
                }
            }
        }
        let chosen = ReadingPrefs { size: TextSize::Large, spacing: Spacing::Relaxed, theme: Theme::Dark, justify: true };
        assert_eq!(
            chosen.attributes(),
            vec![("data-text-size", "large"), ("data-spacing", "relaxed"), ("data-theme", "dark"), ("data-justify", "on")]
        );
    }

    #[test]
    fn anything_else_in_storage_reads_as_the_defaults() {
        for text in ["", "null", "[]", "{\"data-theme\":5}", "{\"data-theme\":\"purple\"}", "not json", "{\"data-text-size\":\"huge\"}"] {
            assert_eq!(ReadingPrefs::from_storage(text), ReadingPrefs::default(), "{text}");
        }
    }

    #[test]
    fn the_restore_script_names_the_key_and_only_the_known_attributes() {
        let script = restore_script();
        assert!(script.contains("\"sahifa-reading\""));
        for name in ATTRIBUTES {
            assert!(script.contains(&format!("\"{name}\"")));
        }
    }
}
