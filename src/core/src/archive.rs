//! An archive of its own: what a publisher says about its archive in one small file (`archive.json`, given to
//! `sahifa build --archive`), carried in the manifest, and how the archive then writes numbers and dates for
//! its readers. The page title, the header, the installed app's name and colour, the dates and every count
//! follow it.
//!
//! ```json
//! { "name": "أرشيف الرياض", "subtitle": "أخبار المملكة منذ 2010", "description": "…",
//!   "locale": "ar-SA", "months": "mashriq", "accent": "#0b5d3b", "logo": "logo.svg" }
//! ```
//!
//! Every field is optional. `locale` decides the digits and the grouping of numbers as browsers'
//! `Intl.NumberFormat` does for it (a component test compares the two in Chromium), and the month names
//! unless `months` names them.

use crate::date::{Date, MOROCCAN_MONTHS};
use crate::text::{count_label_with, CountForms};
use serde::{Deserialize, Serialize};

/// The publisher's description of the archive, as the manifest carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArchiveInfo {
    pub name: String,
    pub subtitle: String,
    pub description: String,
    /// A BCP 47 tag for Arabic: `ar` or `ar-` and a region (`ar-MA`, `ar-SA`, `ar-LB`).
    pub locale: String,
    /// The month names; by default those of the locale's region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<MonthNames>,
    /// The accent colour (links, the header's rule, the installed app's theme) as `#rrggbb`. It must read on
    /// the light paper and carry white text: contrast of at least 4.5 to 1 with both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    /// In `archive.json`, an image file beside it; in the manifest, that image as a `data:` URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl Default for ArchiveInfo {
    fn default() -> Self {
        ArchiveInfo {
            name: "صحيفة".to_owned(),
            subtitle: "أرشيف الأخبار".to_owned(),
            description: "قارئ لأرشيف أخبار يعمل كاملًا في المتصفح وبلا اتصال: بحث عربي، وتصفية حسب المنبر والسنة.".to_owned(),
            locale: "ar-MA".to_owned(),
            months: None,
            accent: None,
            logo: None,
        }
    }
}

/// The sets of month names Arabic readers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthNames {
    /// Morocco: يناير … غشت … دجنبر.
    Moroccan,
    /// Algeria and Tunisia: جانفي … أوت … ديسمبر.
    Algerian,
    /// Egypt, the Gulf, Sudan, Libya: يناير … أغسطس … ديسمبر.
    Mashriq,
    /// The Levant and Iraq: كانون الثاني … آب … كانون الأول.
    Levantine,
}

const ALGERIAN_MONTHS: [&str; 12] = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const MASHRIQ_MONTHS: [&str; 12] = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const LEVANTINE_MONTHS: [&str; 12] =
    ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"];

impl MonthNames {
    pub fn names(self) -> &'static [&'static str; 12] {
        match self {
            MonthNames::Moroccan => &MOROCCAN_MONTHS,
            MonthNames::Algerian => &ALGERIAN_MONTHS,
            MonthNames::Mashriq => &MASHRIQ_MONTHS,
            MonthNames::Levantine => &LEVANTINE_MONTHS,
        }
    }
}

/// The digits numbers are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digits {
    /// 0123456789
    Western,
    /// ٠١٢٣٤٥٦٧٨٩
    ArabicIndic,
}

/// How an archive writes numbers and dates, derived from its locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pub digits: Digits,
    /// Between groups of three digits.
    pub group: char,
    pub months: MonthNames,
}

/// Regions whose Arabic is written, by CLDR, with Western digits and `.` between thousands.
const MAGHREB_GROUPING: [&str; 4] = ["MA", "DZ", "TN", "LY"];
/// Regions whose Arabic is written, by CLDR, with Western digits and `,` between thousands (as are plain `ar` and
/// regions not listed here): the United Arab Emirates and Western Sahara.
/// Regions whose Arabic is written with Arabic-Indic digits and the Arabic thousands separator `٬`.
const ARABIC_INDIC: [&str; 17] = ["EG", "SA", "LB", "SY", "JO", "IQ", "PS", "KW", "QA", "SD", "YE", "OM", "BH", "MR", "DJ", "KM", "SO"];

impl Style {
    /// The style of a locale tag (`ar`, `ar-MA`, …); `None` for a tag that is not Arabic.
    pub fn of_locale(tag: &str, months: Option<MonthNames>) -> Option<Style> {
        let mut parts = tag.split(['-', '_']);
        if !parts.next()?.eq_ignore_ascii_case("ar") {
            return None;
        }
        let region = parts.find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic())).map(str::to_ascii_uppercase);
        let region = region.as_deref().unwrap_or("");
        let (digits, group) = if MAGHREB_GROUPING.contains(&region) {
            (Digits::Western, '.')
        } else if ARABIC_INDIC.contains(&region) {
            (Digits::ArabicIndic, '\u{066C}')
        } else {
            // `WESTERN_GROUPING`, plain `ar`, and regions not listed.
            (Digits::Western, ',')
        };
        let regional_months = match region {
            "MA" => MonthNames::Moroccan,
            "DZ" | "TN" => MonthNames::Algerian,
            "LB" | "SY" | "JO" | "IQ" | "PS" => MonthNames::Levantine,
            _ => MonthNames::Mashriq,
        };
        Some(Style { digits, group, months: months.unwrap_or(regional_months) })
    }

    /// The style of an archive; an unreadable locale (which `ArchiveInfo::check` refuses) falls back to the
    /// default one.
    pub fn of(archive: &ArchiveInfo) -> Style {
        Style::of_locale(&archive.locale, archive.months).unwrap_or_default()
    }

    /// `number` in the archive's digits, grouped by thousands: 30116 → «30.116» (ar-MA), «٣٠٬١١٦» (ar-SA).
    pub fn number(&self, number: u64) -> String {
        let plain = number.to_string();
        let mut out = String::with_capacity(plain.len() * 3);
        for (position, digit) in plain.chars().enumerate() {
            if position > 0 && (plain.len() - position).is_multiple_of(3) {
                out.push(self.group);
            }
            out.push(self.digit(digit));
        }
        out
    }

    /// Digits without grouping, as years and days are written.
    pub fn digits(&self, number: u64) -> String {
        number.to_string().chars().map(|digit| self.digit(digit)).collect()
    }

    fn digit(&self, digit: char) -> char {
        match self.digits {
            Digits::Western => digit,
            Digits::ArabicIndic => char::from_u32(0x0660 + (digit as u32 - '0' as u32)).unwrap_or(digit),
        }
    }

    /// A date as the archive's readers write it: day, month name, year («11 غشت 2015», «١١ أغسطس ٢٠١٥»).
    pub fn date(&self, date: Date) -> String {
        format!("{} {} {}", self.digits(u64::from(date.day)), self.month_name(date.month), self.digits(u64::from(date.year)))
    }

    /// A month and year, as the timeline's bars are named: «مارس 2014».
    pub fn month(&self, year: u16, month: u8) -> String {
        format!("{} {}", self.month_name(month), self.digits(u64::from(year)))
    }

    /// The name of month `month` (1 to 12); empty for any other number.
    pub fn month_name(&self, month: u8) -> &'static str {
        self.months.names().get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("")
    }

    /// `count` with its noun in the form Arabic gives that number, the number written in this style.
    pub fn count(&self, count: u64, forms: &CountForms) -> String {
        count_label_with(count, forms, &self.number(count))
    }
}

impl Default for Style {
    fn default() -> Self {
        Style { digits: Digits::Western, group: '.', months: MonthNames::Moroccan }
    }
}

const FIELDS: [&str; 7] = ["name", "subtitle", "description", "locale", "months", "accent", "logo"];

/// What is wrong with an `archive.json`, field by field, for the publisher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveError(pub String);

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The light themes' papers the accent is read on (the light one and the sepia one, from style.css), and the
/// text written on accent buttons.
const PAPERS: [(u8, u8, u8); 2] = [(0xfb, 0xf8, 0xf3), (0xf4, 0xec, 0xd8)];
const ON_ACCENT: (u8, u8, u8) = (0xff, 0xff, 0xff);
/// WCAG's minimum contrast for body text.
const MIN_CONTRAST: f64 = 4.5;

impl ArchiveInfo {
    /// Reads an `archive.json`: unknown fields, a locale that is not Arabic, an accent that is not `#rrggbb`
    /// or reads poorly, and overlong texts are errors that name the field.
    pub fn parse(json: &[u8]) -> Result<ArchiveInfo, ArchiveError> {
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(json).map_err(|error| ArchiveError(format!("archive.json: {error}")))?;
        // A misspelt field would otherwise be ignored in silence. (The manifest, read by newer and older
        // viewers, tolerates fields it does not know; the publisher's file does not.)
        if let Some(unknown) = fields.keys().find(|key| !FIELDS.contains(&key.as_str())) {
            return Err(ArchiveError(format!("archive.json: unknown field {unknown:?}; the fields are {}", FIELDS.join(", "))));
        }
        let info: ArchiveInfo = serde_json::from_value(serde_json::Value::Object(fields)).map_err(|error| ArchiveError(format!("archive.json: {error}")))?;
        info.check()?;
        Ok(info)
    }

    /// The page's title: the archive's name and subtitle, or an article's title and the archive's name.
    pub fn page_title(&self, article: Option<&str>) -> String {
        match article {
            Some(title) => format!("{title} — {}", self.name),
            None if self.subtitle.is_empty() => self.name.clone(),
            None => format!("{} — {}", self.name, self.subtitle),
        }
    }

    /// The logo as the manifest carries it (a `data:` URL of an SVG, PNG or WebP image), or `None` if what the
    /// manifest holds is anything else: it comes from the network, and only an image goes into `<img src>`.
    pub fn logo_image(&self) -> Option<&str> {
        let logo = self.logo.as_deref()?;
        let payload = LOGO_TYPES.iter().find_map(|(_, mime)| logo.strip_prefix("data:").and_then(|rest| rest.strip_prefix(mime)).and_then(|rest| rest.strip_prefix(";base64,")))?;
        payload.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')).then_some(logo)
    }

    /// Carries the logo's bytes (the file `archive.json` names, read by the CLI) into the manifest as a `data:`
    /// URL: a few KB that the first screen already holds, with no request of its own and nothing more to save
    /// for offline reading.
    pub fn embed_logo(&mut self, file_name: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        let extension = file_name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default();
        let Some((_, mime)) = LOGO_TYPES.iter().find(|(known, _)| *known == extension) else {
            return Err(ArchiveError(format!("archive.json: the logo {file_name} must be an .svg, .png or .webp image")));
        };
        if bytes.len() > LOGO_MAX_BYTES {
            return Err(ArchiveError(format!(
                "archive.json: the logo {file_name} is {} bytes, more than {LOGO_MAX_BYTES}: every first page carries it, so keep it small (an SVG, or a PNG of 96 px)",
                bytes.len()
            )));
        }
        self.logo = Some(format!("data:{mime};base64,{}", crate::codec::base64_encode(bytes)));
        Ok(())
    }

    pub fn check(&self) -> Result<(), ArchiveError> {
        let fail = |message: String| Err(ArchiveError(format!("archive.json: {message}")));
        for (field, text, limit) in [("name", &self.name, 60), ("subtitle", &self.subtitle, 120), ("description", &self.description, 300)] {
            if text.trim().is_empty() && field == "name" {
                return fail("\"name\" is empty".to_owned());
            }
            if text.chars().count() > limit {
                return fail(format!("\"{field}\" is longer than {limit} characters"));
            }
        }
        if Style::of_locale(&self.locale, None).is_none() {
            return fail(format!("\"locale\" must be Arabic, as \"ar\" or \"ar-MA\", not {:?}", self.locale));
        }
        if let Some(accent) = &self.accent {
            let Some(colour) = parse_hex_colour(accent) else { return fail(format!("\"accent\" must be a colour as \"#0b5d3b\", not {accent:?}")) };
            let on_paper = PAPERS.iter().map(|&paper| contrast(colour, paper)).fold(f64::INFINITY, f64::min);
            let under_white = contrast(colour, ON_ACCENT);
            if on_paper < MIN_CONTRAST || under_white < MIN_CONTRAST {
                return fail(format!(
                    "\"accent\" {accent} is too light to read: contrast {on_paper:.1}:1 with the paper and {under_white:.1}:1 under white text, at least {MIN_CONTRAST}:1 needed; choose a darker colour"
                ));
            }
        }
        Ok(())
    }
}

/// The logo's file types, by extension.
const LOGO_TYPES: [(&str, &str); 3] = [("svg", "image/svg+xml"), ("png", "image/png"), ("webp", "image/webp")];
/// The largest logo the manifest carries.
pub const LOGO_MAX_BYTES: usize = 16 * 1024;

fn parse_hex_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#').filter(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))?;
    let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG 2 contrast ratio of two sRGB colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let luminance = |(r, g, b): (u8, u8, u8)| {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::ARTICLES;

    #[test]
    fn numbers_follow_the_locale_as_intl_does() {
        // The figures Intl.NumberFormat gives for these locales (Node 20's ICU; Chromium is compared in the
        // component tests).
        let cases = [("ar-MA", "30.116"), ("ar-DZ", "30.116"), ("ar", "30,116"), ("ar-AE", "30,116"), ("ar-SA", "٣٠٬١١٦"), ("ar-LB", "٣٠٬١١٦")];
        for (locale, expected) in cases {
            assert_eq!(Style::of_locale(locale, None).unwrap().number(30_116), expected, "{locale}");
        }
        let morocco = Style::of_locale("ar-MA", None).unwrap();
        assert_eq!(morocco.number(999), "999");
        assert_eq!(morocco.number(1000), "1.000");
        assert_eq!(morocco.number(1_234_567), "1.234.567");
        assert_eq!(morocco.number(0), "0");
    }

    #[test]
    fn dates_take_the_regions_month_names_and_digits() {
        let date = Date::new(2015, 8, 11).unwrap();
        assert_eq!(Style::of_locale("ar-MA", None).unwrap().date(date), "11 غشت 2015");
        assert_eq!(Style::of_locale("ar-SA", None).unwrap().date(date), "١١ أغسطس ٢٠١٥");
        assert_eq!(Style::of_locale("ar-LB", None).unwrap().date(date), "١١ آب ٢٠١٥");
        assert_eq!(Style::of_locale("ar-TN", None).unwrap().date(date), "11 أوت 2015");
        // Asked-for month names win over the region's.
        assert_eq!(Style::of_locale("ar-MA", Some(MonthNames::Mashriq)).unwrap().date(date), "11 أغسطس 2015");
        assert_eq!(Style::default().month(2014, 3), "مارس 2014");
        assert_eq!((Style::default().month_name(0), Style::default().month_name(13)), ("", ""));
    }

    #[test]
    fn counts_group_their_number_and_keep_the_plural_form() {
        let morocco = Style::default();
        assert_eq!(morocco.count(30_116, &ARTICLES), "30.116 مقالًا");
        assert_eq!(morocco.count(1000, &ARTICLES), "1.000 مقال");
        assert_eq!(morocco.count(1, &ARTICLES), "مقال واحد");
        assert_eq!(Style::of_locale("ar-SA", None).unwrap().count(5, &ARTICLES), "٥ مقالات");
    }

    #[test]
    fn a_publishers_file_is_read_and_its_mistakes_named() {
        let info = ArchiveInfo::parse("{\"name\": \"أرشيف الرياض\", \"locale\": \"ar-SA\", \"accent\": \"#0b5d3b\"}".as_bytes()).unwrap();
        assert_eq!(info.name, "أرشيف الرياض");
        assert_eq!(info.subtitle, ArchiveInfo::default().subtitle);
        assert_eq!(Style::of(&info).months, MonthNames::Mashriq);
        let error = |json: &str| ArchiveInfo::parse(json.as_bytes()).unwrap_err().0;
        assert!(error("{\"titel\": \"x\"}").contains("\"titel\""));
        assert!(error("{\"locale\": \"fr-FR\"}").contains("locale"));
        assert!(error("{\"accent\": \"green\"}").contains("accent"));
        assert!(error("{\"accent\": \"#ffd700\"}").contains("too light"));
        assert!(error("{\"name\": \" \"}").contains("name"));
        assert!(error("{\"months\": \"french\"}").contains("months") || error("{\"months\": \"french\"}").contains("variant"));
    }

    #[test]
    fn a_logo_travels_as_an_image_data_url_and_nothing_else_is_shown() {
        let mut info = ArchiveInfo::default();
        info.embed_logo("logo.SVG", b"<svg/>").unwrap();
        assert_eq!(info.logo.as_deref(), Some("data:image/svg+xml;base64,PHN2Zy8+"));
        assert_eq!(info.logo_image(), info.logo.as_deref());
        assert!(info.embed_logo("logo.gif", b"GIF89a").unwrap_err().0.contains(".svg"));
        assert!(info.embed_logo("logo.png", &vec![0; LOGO_MAX_BYTES + 1]).unwrap_err().0.contains("small"));
        let with_logo = |logo: &str| ArchiveInfo { logo: Some(logo.to_owned()), ..ArchiveInfo::default() };
        for hostile in ["javascript:alert(1)", "//evil.example/x.png", "data:text/html;base64,PHNjcmlwdD4=", "data:image/png;base64,\"><script>", "logo.png"] {
            assert_eq!(with_logo(hostile).logo_image(), None, "{hostile}");
        }
    }

    #[test]
    fn the_default_accent_passes_its_own_contrast_rule() {
        assert!(PAPERS.iter().all(|&paper| contrast((0x7a, 0x1f, 0x1f), paper) >= MIN_CONTRAST));
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
    }
}
