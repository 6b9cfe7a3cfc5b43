//! The Hijri date of a Gregorian one by the Umm al-Qura calendar (Saudi Arabia's civil calendar, the one
//! browsers' `Intl` computes as `islamic-umalqura`), written as Arabic readers write it: «26 جمادى الآخرة 1447
//! هـ». Computed here rather than asked of the browser, so that a page drawn at build time carries it and the
//! viewer never makes the browser's calendar formatter, which cost a task of about 100 ms on a phone's
//! processor. The calendar's months begin by astronomical rules, tabulated: the table below gives each month's
//! length. Where the month begins with the sighting of the crescent (Morocco among others) the day may differ by
//! one, which the viewer says.

use crate::date::Date;

/// The first Hijri year of the table, and the day its first month began (days since 1970-01-01: 1 Muharram
/// 1318 was 30 April 1900).
const FIRST_YEAR: u16 = 1318;
const FIRST_DAY: i64 = -25_448;

/// One entry per Hijri year from `FIRST_YEAR` to 1500 (1900 to 2077): bit `m` is set when month `m + 1` has 30
/// days, clear when it has 29. Read off Chromium's and Node's ICU month by month (every day from 1900 to 2077
/// formatted in that calendar, each month's first day found); `components.rs`'s browser test compares every
/// month's first and last day with the browser's own formatter.
const MONTH_LENGTHS: [u16; 183] = [
    /* 1318 */ 0x56d, 0xb5a, 0x752, 0xf25, 0xe8a, 0xd16, 0xa56, 0xab5, 0x6b4, 0xda9,
    /* 1328 */ 0xb92, 0xb25, 0x64b, 0xa9b, 0x35a, 0x6d9, 0x5d4, 0xda5, 0xd4a, 0xa95,
    /* 1338 */ 0x536, 0x975, 0x2f4, 0x6e9, 0x6d4, 0x6a9, 0x535, 0x25d, 0x4bd, 0x9ba,
    /* 1348 */ 0x3b4, 0xb69, 0xb2a, 0xa55, 0x4ad, 0xa5d, 0x2da, 0x6d9, 0xeaa, 0xe94,
    /* 1358 */ 0xd2a, 0xc56, 0x4ae, 0xa6d, 0x56a, 0xd55, 0xd4a, 0xa93, 0x52b, 0xa5b,
    /* 1368 */ 0x53a, 0x6b5, 0xea9, 0xd52, 0xd29, 0xa55, 0x4ad, 0x56d, 0xaea, 0x6e4,
    /* 1378 */ 0xed1, 0xda2, 0xaaa, 0x95a, 0x2da, 0x5b9, 0xbb2, 0x764, 0x6c9, 0x555,
    /* 1388 */ 0x2ab, 0x4db, 0xaba, 0x5b4, 0xda9, 0xd52, 0xaa5, 0x92d, 0x26d, 0x8ed,
    /* 1398 */ 0x2da, 0xad5, 0xaa5, 0xa4b, 0x497, 0x937, 0x2b6, 0x975, 0xd69, 0xd52,
    /* 1408 */ 0xc95, 0x92b, 0x25b, 0x4db, 0x9d5, 0x5d2, 0xda5, 0xd4a, 0xa95, 0x54d,
    /* 1418 */ 0xaad, 0x3aa, 0xbd2, 0xbc4, 0xb89, 0xa95, 0x52d, 0x5ad, 0xb6a, 0x6d4,
    /* 1428 */ 0xdc9, 0xd92, 0xaa6, 0x956, 0x2ae, 0x56d, 0x36a, 0xb55, 0xaaa, 0x94d,
    /* 1438 */ 0x49d, 0x95d, 0x2ba, 0x5b5, 0x5aa, 0xd55, 0xa9a, 0x92e, 0x26e, 0x55d,
    /* 1448 */ 0xada, 0x6d4, 0x6a5, 0xb27, 0xa4d, 0x4ad, 0x56d, 0xb5a, 0x754, 0xf49,
    /* 1458 */ 0xe92, 0xd26, 0xa56, 0x356, 0x6b5, 0xbaa, 0xb92, 0xb25, 0x68b, 0xa9b,
    /* 1468 */ 0x55a, 0xada, 0x5b4, 0xda9, 0xb52, 0xa9a, 0x536, 0x276, 0x575, 0xaf2,
    /* 1478 */ 0x6d4, 0x6a9, 0x555, 0x2ad, 0x4bd, 0x9ba, 0x574, 0xb69, 0xb52, 0xa95,
    /* 1488 */ 0x52d, 0xa5d, 0x4da, 0xad9, 0x6b2, 0xe95, 0xe2a, 0xc96, 0x92e, 0xaad,
    /* 1498 */ 0x56a, 0xd65, 0xd4a,
];

/// The months' names, as Arabic writes them in this calendar.
pub const MONTHS: [&str; 12] =
    ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"];

/// A day of the Umm al-Qura calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HijriDate {
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 30.
    pub day: u8,
}

impl HijriDate {
    /// The date of `date` in the Umm al-Qura calendar, or `None` outside the table's years (before 30 April
    /// 1900 or after 2077), where no table says when the months began.
    pub fn of(date: Date) -> Option<HijriDate> {
        let mut remaining = u64::try_from(date.days_since_epoch() - FIRST_DAY).ok()?;
        for (years, lengths) in MONTH_LENGTHS.iter().enumerate() {
            for month in 0..12u8 {
                let length = 29 + u64::from(lengths >> month & 1);
                if remaining < length {
                    return Some(HijriDate { year: FIRST_YEAR + years as u16, month: month + 1, day: remaining as u8 + 1 });
                }
                remaining -= length;
            }
        }
        None
    }

    /// «26 جمادى الآخرة 1447 هـ», with Latin digits as the archive's Gregorian dates are written.
    pub fn to_arabic(self) -> String {
        format!("{} {} {} هـ", self.day, MONTHS[usize::from(self.month - 1)], self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hijri(year: u16, month: u8, day: u8) -> Option<String> {
        HijriDate::of(Date::new(year, month, day).unwrap()).map(HijriDate::to_arabic)
    }

    #[test]
    fn dates_at_the_ends_of_months_and_years() {
        // 1 Muharram 1447 was 26 June 2025 by Umm al-Qura.
        assert_eq!(hijri(2025, 6, 26).as_deref(), Some("1 محرم 1447 هـ"));
        assert_eq!(hijri(2025, 6, 25).as_deref(), Some("29 ذو الحجة 1446 هـ"));
        assert_eq!(hijri(2025, 12, 17).as_deref(), Some("26 جمادى الآخرة 1447 هـ"));
        assert_eq!(hijri(2013, 3, 11).as_deref(), Some("29 ربيع الآخر 1434 هـ"));
        // The table's two ends.
        assert_eq!(hijri(1900, 4, 30).as_deref(), Some("1 محرم 1318 هـ"));
        assert_eq!(hijri(1900, 4, 29), None);
        let last = HijriDate::of(Date::new(2077, 11, 16).unwrap()).unwrap();
        assert_eq!((last.year, last.month), (1500, 12));
        assert_eq!(hijri(2077, 11, 17), None, "1 Muharram 1501 lies past the table");
    }

    #[test]
    fn every_day_follows_the_one_before() {
        let mut day = Date::new(1900, 4, 30).unwrap().days_since_epoch();
        let mut previous = HijriDate::of(Date::new(1900, 4, 30).unwrap()).unwrap();
        let mut months = 0;
        while let Some(next) = HijriDate::of(Date::from_days_since_epoch(day + 1)) {
            let same_month = (next.year, next.month, next.day) == (previous.year, previous.month, previous.day + 1);
            let following_month = if previous.month == 12 { (previous.year + 1, 1) } else { (previous.year, previous.month + 1) };
            let new_month = next.day == 1 && matches!(previous.day, 29 | 30) && (next.year, next.month) == following_month;
            assert!(same_month || new_month, "{previous:?} then {next:?}");
            months += usize::from(new_month);
            previous = next;
            day += 1;
        }
        assert_eq!(months, 183 * 12 - 1);
    }
}
