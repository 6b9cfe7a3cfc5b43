//! Calendar dates as the pages write them (`DD - MM - YYYY`, Western or Arabic-Indic digits) and as Moroccan
//! readers expect to see them (`17 دجنبر 2025`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A proleptic Gregorian calendar date, serialized as ISO `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// The month names used in Morocco, which differ from the Levantine and the Egyptian ones.
pub const MOROCCAN_MONTHS: [&str; 12] = [
    "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
];

/// Why a written date was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// The text is not three numbers separated by `-` or `/`.
    Malformed,
    /// The numbers do not name a real day (31 February, month 13, year 0).
    Impossible,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Impossible);
        }
        Ok(Date { year, month, day })
    }

    /// Parses `DD - MM - YYYY` as written on the pages; spaces are optional and `/` is accepted too.
    pub fn parse_day_month_year(text: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = text.split(['-', '/']).map(str::trim).collect();
        let [day, month, year] = parts.as_slice() else { return Err(DateError::Malformed) };
        let day = parse_number(day).ok_or(DateError::Malformed)?;
        let month = parse_number(month).ok_or(DateError::Malformed)?;
        let year = parse_number(year).ok_or(DateError::Malformed)?;
        if day > 31 || month > 12 || year > 9999 {
            return Err(DateError::Impossible);
        }
        Date::new(year as u16, month as u8, day as u8)
    }

    /// Parses ISO `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let [year, month, day] = parts.as_slice() else { return Err(DateError::Malformed) };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(DateError::Malformed);
        }
        let number = |s: &str| parse_number(s).ok_or(DateError::Malformed);
        Date::new(number(year)? as u16, number(month)? as u8, number(day)? as u8)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
        let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil algorithm), the inverse of
    /// [`Date::from_days_since_epoch`].
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date as a Moroccan reader writes it: day, month name, year, in Western digits.
    pub fn to_moroccan_arabic(self) -> String {
        format!("{} {} {}", self.day, MOROCCAN_MONTHS[usize::from(self.month - 1)], self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse_iso(&text).map_err(|_| serde::de::Error::custom(format!("not an ISO date: {text:?}")))
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads a run of Western, Arabic-Indic or Persian digits; anything else, or more than 6 digits, is rejected.
fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.chars().count() > 6 {
        return None;
    }
    text.chars().try_fold(0u32, |acc, ch| {
        let digit = match ch {
            '0'..='9' => ch as u32 - '0' as u32,
            '\u{0660}'..='\u{0669}' => ch as u32 - 0x0660,
            '\u{06F0}'..='\u{06F9}' => ch as u32 - 0x06F0,
            _ => return None,
        };
        Some(acc * 10 + digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_pages_date_format_in_both_digit_sets() {
        assert_eq!(Date::parse_day_month_year("17 - 12 - 2025").unwrap().to_string(), "2025-12-17");
        assert_eq!(Date::parse_day_month_year("٠٨ - ٠٣ - ٢٠١٤").unwrap().to_string(), "2014-03-08");
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert_eq!(Date::parse_day_month_year("31 - 02 - 2025"), Err(DateError::Impossible));
        assert_eq!(Date::parse_day_month_year("29 - 02 - 2023"), Err(DateError::Impossible));
        assert!(Date::parse_day_month_year("29 - 02 - 2024").is_ok());
        assert_eq!(Date::parse_day_month_year("12 - 13 - 2025"), Err(DateError::Impossible));
        assert_eq!(Date::parse_day_month_year("أمس"), Err(DateError::Malformed));
        assert_eq!(Date::parse_day_month_year("1 - 2"), Err(DateError::Malformed));
    }

    #[test]
    fn formats_with_moroccan_month_names_and_western_digits() {
        assert_eq!(Date::new(2025, 12, 17).unwrap().to_moroccan_arabic(), "17 دجنبر 2025");
        assert_eq!(Date::new(2014, 3, 8).unwrap().to_moroccan_arabic(), "8 مارس 2014");
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_days_since_epoch(20_416).to_string(), "2025-11-24");
        for days in (-200_000..100_000).step_by(37) {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn round_trips_through_json_as_iso() {
        let date = Date::new(2013, 3, 11).unwrap();
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2013-03-11\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
    }
}
