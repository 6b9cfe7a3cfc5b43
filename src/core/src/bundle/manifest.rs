//! `manifest.json`: the one entry file, and the only one that changes in place. It names the segments, gives
//! the archive's order as runs of segment documents, and carries what the first screen needs (counts, outlets,
//! years), so it stays a few KB whatever the archive's size.

use super::layout::Layout;
use crate::archive::ArchiveInfo;
use crate::Date;
use super::segment::Segment;
use super::{FormatError, FORMAT_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub generator: String,
    pub counts: Counts,
    /// Outlets, most articles first, with their article counts; a segment's outlet column numbers its own
    /// outlets, which the reader maps to these by name.
    pub outlets: Vec<FacetValue>,
    /// Years newest first, each a range of global document numbers; undated articles come after them all.
    pub years: Vec<YearRange>,
    /// Months newest first, each a range of global document numbers, for the month facet and the monthly
    /// timeline. Empty when a segment's descriptor predates day counts (rebuild to have them).
    #[serde(default)]
    pub months: Vec<MonthRange>,
    /// The segments, oldest first (the order they were sealed in), each with its descriptor file.
    pub segments: Vec<SegmentRef>,
    /// The archive's order, newest first: global document `n` is the `n`-th document of these runs.
    pub order: Vec<Run>,
    pub headlines: String,
    /// A segment holds a power of two times this many articles, or fewer (the tail); updates keep it.
    pub segment_unit: u32,
    /// Every file but the manifest: how many and how large, so saving offline can say what it costs.
    pub total_files: u64,
    pub total_bytes: u64,
    /// What the publisher says about the archive (`sahifa build --archive`); a bundle written without it
    /// reads as the default archive.
    #[serde(default)]
    pub archive: ArchiveInfo,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub articles: u32,
    pub headlines: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRange {
    pub year: u16,
    pub first: u32,
    pub count: u32,
}

/// A month (`year * 100 + month`) as a range of global document numbers. Encoded as `[yyyymm, first, count]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "[u32; 3]", from = "[u32; 3]")]
pub struct MonthRange {
    pub month: u32,
    pub first: u32,
    pub count: u32,
}

impl MonthRange {
    pub fn year(&self) -> u16 {
        (self.month / 100) as u16
    }

    /// The month of the year, 1 to 12.
    pub fn month_of_year(&self) -> u8 {
        (self.month % 100) as u8
    }
}

impl From<MonthRange> for [u32; 3] {
    fn from(range: MonthRange) -> Self {
        [range.month, range.first, range.count]
    }
}

impl From<[u32; 3]> for MonthRange {
    fn from([month, first, count]: [u32; 3]) -> Self {
        MonthRange { month, first, count }
    }
}

/// A segment: its descriptor file and how many articles it holds. Encoded as `[file, documents]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(String, u32)", from = "(String, u32)")]
pub struct SegmentRef {
    pub file: String,
    pub documents: u32,
}

impl From<SegmentRef> for (String, u32) {
    fn from(segment: SegmentRef) -> Self {
        (segment.file, segment.documents)
    }
}

impl From<(String, u32)> for SegmentRef {
    fn from((file, documents): (String, u32)) -> Self {
        SegmentRef { file, documents }
    }
}

/// `count` consecutive documents of segment `segment`, from its document `first` on. Encoded as
/// `[segment, first, count]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "[u32; 3]", from = "[u32; 3]")]
pub struct Run {
    pub segment: u32,
    pub first: u32,
    pub count: u32,
}

impl From<Run> for [u32; 3] {
    fn from(run: Run) -> Self {
        [run.segment, run.first, run.count]
    }
}

impl From<[u32; 3]> for Run {
    fn from([segment, first, count]: [u32; 3]) -> Self {
        Run { segment, first, count }
    }
}

/// What the manifest says beyond its segments.
pub struct ManifestParts {
    pub generator: String,
    pub segment_unit: u32,
    pub headlines: String,
    pub headline_count: u32,
    pub total_files: u64,
    pub total_bytes: u64,
    pub archive: ArchiveInfo,
}

impl Manifest {
    /// The manifest of these segments (oldest first, each with its descriptor) in this order. Years and
    /// outlet counts are derived from the descriptors, so the manifest never disagrees with them.
    pub fn compose(parts: ManifestParts, segments: &[(SegmentRef, &Segment)], order: Vec<Run>) -> Result<Manifest, FormatError> {
        let sizes: Vec<u32> = segments.iter().map(|(reference, _)| reference.documents).collect();
        for (reference, segment) in segments {
            if reference.documents != segment.documents {
                return Err(FormatError::Inconsistent(format!("{} holds {} documents, not {}", reference.file, segment.documents, reference.documents)));
            }
        }
        Layout::new(&sizes, &order)?;
        let mut outlet_counts: BTreeMap<&str, u32> = BTreeMap::new();
        for (_, segment) in segments {
            for outlet in &segment.outlets {
                *outlet_counts.entry(outlet.value.as_str()).or_default() += outlet.count;
            }
        }
        let mut outlets: Vec<FacetValue> = outlet_counts.into_iter().map(|(value, count)| FacetValue { value: value.to_owned(), count }).collect();
        outlets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));

        let mut years: Vec<YearRange> = Vec::new();
        let mut at = 0u32;
        for run in &order {
            let segment = segments[run.segment as usize].1;
            let run_end = run.first + run.count;
            for range in &segment.years {
                let from = range.first.max(run.first);
                let to = (range.first + range.count).min(run_end);
                if from >= to {
                    continue;
                }
                let global = at + from - run.first;
                match years.last_mut() {
                    Some(last) if last.year == range.year && last.first + last.count == global => last.count += to - from,
                    Some(last) if last.year <= range.year => {
                        return Err(FormatError::Inconsistent(format!("year {} comes after year {} in the order", range.year, last.year)))
                    }
                    _ => years.push(YearRange { year: range.year, first: global, count: to - from }),
                }
            }
            at += run.count;
        }
        let months = month_ranges(segments.iter().map(|(_, segment)| *segment));
        let articles = sizes.iter().sum();
        let dated: u32 = years.iter().map(|range| range.count).sum();
        if years.last().is_some_and(|last| last.first + last.count != dated) {
            return Err(FormatError::Inconsistent("an undated article comes before a dated one in the order".into()));
        }
        Ok(Manifest {
            format_version: FORMAT_VERSION,
            generator: parts.generator,
            counts: Counts { articles, headlines: parts.headline_count },
            outlets,
            years,
            months,
            segments: segments.iter().map(|(reference, _)| reference.clone()).collect(),
            order,
            headlines: parts.headlines,
            segment_unit: parts.segment_unit,
            total_files: parts.total_files,
            total_bytes: parts.total_bytes,
            archive: parts.archive,
        })
    }

    /// The global document range of month `month` (1 to 12) of `year`; empty when it has no articles.
    pub fn month_range(&self, year: u16, month: u8) -> (u32, u32) {
        let key = u32::from(year) * 100 + u32::from(month);
        self.months.iter().find(|range| range.month == key).map_or((0, 0), |range| (range.first, range.first + range.count))
    }

    /// The archive's layout: where each global document lives. Checked, since the manifest comes from the
    /// network.
    pub fn layout(&self) -> Result<Layout, FormatError> {
        let sizes: Vec<u32> = self.segments.iter().map(|segment| segment.documents).collect();
        let layout = Layout::new(&sizes, &self.order)?;
        if layout.documents() != self.counts.articles {
            return Err(FormatError::Inconsistent(format!("the order holds {} documents, the counts say {}", layout.documents(), self.counts.articles)));
        }
        Ok(layout)
    }
}

/// Why a manifest could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum ManifestError {
    Unreadable(String),
    UnsupportedVersion(u32),
}

/// Reads a manifest, checking its version before trusting the rest of its shape, then its layout.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest, ManifestError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        format_version: u32,
    }
    let version: VersionOnly = serde_json::from_slice(bytes).map_err(|error| ManifestError::Unreadable(error.to_string()))?;
    if version.format_version != FORMAT_VERSION {
        return Err(ManifestError::UnsupportedVersion(version.format_version));
    }
    let manifest: Manifest = serde_json::from_slice(bytes).map_err(|error| ManifestError::Unreadable(error.to_string()))?;
    manifest.layout().map_err(|error| ManifestError::Unreadable(error.to_string()))?;
    Ok(manifest)
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManifestError::Unreadable(why) => write!(f, "manifest.json is not a Sahifa manifest: {why}"),
            ManifestError::UnsupportedVersion(found) => write!(
                f,
                "the bundle has format_version {found}, but this Sahifa reads version {FORMAT_VERSION}; rebuild the bundle with a matching sahifa"
            ),
        }
    }
}

/// The months of the archive as ranges of global document numbers, newest first. The archive's order is by
/// date, newest first, so the documents of a month are those dated before its end and not before its start:
/// counted in each segment from its day counts, with no need for the order's runs. Empty if a descriptor has
/// no day counts.
fn month_ranges<'a>(segments: impl Iterator<Item = &'a Segment> + Clone) -> Vec<MonthRange> {
    if segments.clone().any(|segment| !segment.has_days()) {
        return Vec::new();
    }
    let mut months: Vec<(u16, u8)> = segments
        .clone()
        .flat_map(|segment| segment.days.iter().map(|counted| Date::from_days_since_epoch(i64::from(counted.day))))
        .map(|date| (date.year, date.month))
        .collect();
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    let dated_after = |day: i64| -> u32 { segments.clone().map(|segment| segment.dated_after(day as i32)).sum() };
    months
        .into_iter()
        .filter_map(|(year, month)| {
            let first_day = Date::new(year, month, 1).ok()?.days_since_epoch();
            let next_month = if month == 12 { Date::new(year.checked_add(1)?, 1, 1) } else { Date::new(year, month + 1, 1) };
            let first = dated_after(next_month.ok()?.days_since_epoch() - 1);
            let end = dated_after(first_day - 1);
            Some(MonthRange { month: u32::from(year) * 100 + u32::from(month), first, count: end - first })
        })
        .collect()
}
