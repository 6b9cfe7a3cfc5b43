//! The bars of a timeline: how many of the current results fall in each year, oldest first, with the years
//! between that have none, so gaps in coverage show as gaps; inside a chosen year, one bar a month.

use crate::bundle::FacetValue;

/// At most this many years are drawn; a longer span (a misdated article in 1900) keeps the newest ones.
pub const MAX_YEARS: usize = 60;

/// One bar: a year (or a month of it) and how many results it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bar {
    pub year: u16,
    /// The month, 1 to 12, for a bar of a month.
    pub month: Option<u8>,
    pub count: u32,
}

/// The years of `facet` (year values with counts, any order) from the first to the last, oldest first, with
/// zero for the years between that have no results.
pub fn year_bars(facet: &[FacetValue]) -> Vec<Bar> {
    let counted: Vec<(u16, u32)> = facet.iter().filter_map(|value| Some((value.value.parse().ok()?, value.count))).collect();
    let (Some(first), Some(last)) = (counted.iter().map(|&(year, _)| year).min(), counted.iter().map(|&(year, _)| year).max()) else {
        return Vec::new();
    };
    let first = first.max(last.saturating_sub(MAX_YEARS as u16 - 1));
    (first..=last)
        .map(|year| Bar { year, month: None, count: counted.iter().filter(|&&(y, _)| y == year).map(|&(_, count)| count).sum() })
        .collect()
}

/// The twelve months of `year`, January first, with the counts of `facet` (month values `1` to `12`).
pub fn month_bars(year: u16, facet: &[FacetValue]) -> Vec<Bar> {
    (1..=12u8)
        .map(|month| {
            let count = facet.iter().filter(|value| value.value.parse() == Ok(month)).map(|value| value.count).sum();
            Bar { year, month: Some(month), count }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facet(values: &[(&str, u32)]) -> Vec<FacetValue> {
        values.iter().map(|&(value, count)| FacetValue { value: value.into(), count }).collect()
    }

    #[test]
    fn years_run_oldest_first_with_the_empty_ones_between() {
        let bars = year_bars(&facet(&[("2025", 2), ("2013", 1), ("2015", 4)]));
        let years: Vec<(u16, u32)> = bars.iter().map(|bar| (bar.year, bar.count)).collect();
        assert_eq!(years, [(2013, 1), (2014, 0), (2015, 4), (2016, 0), (2017, 0), (2018, 0), (2019, 0), (2020, 0), (2021, 0), (2022, 0), (2023, 0), (2024, 0), (2025, 2)]);
    }

    #[test]
    fn a_year_has_twelve_month_bars_with_its_counts() {
        let bars = month_bars(2014, &facet(&[("3", 5), ("12", 1), ("13", 9)]));
        assert_eq!(bars.len(), 12);
        assert_eq!(bars.iter().map(|bar| bar.count).collect::<Vec<_>>(), [0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(bars.iter().all(|bar| bar.year == 2014) && bars[2].month == Some(3));
    }

    #[test]
    fn nothing_to_draw_and_a_span_too_long_keeps_the_newest_years() {
        assert_eq!(year_bars(&[]), vec![]);
        assert_eq!(year_bars(&facet(&[("not a year", 3)])), vec![]);
        let bars = year_bars(&facet(&[("1900", 1), ("2025", 5)]));
        assert_eq!(bars.len(), MAX_YEARS);
        assert_eq!((bars[0].year, bars.last().map(|bar| (bar.year, bar.count))), (1966, Some((2025, 5))));
    }
}
