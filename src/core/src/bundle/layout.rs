//! Where each document of the archive lives. Global document `n` is the `n`-th article of the archive's
//! order (newest first); it is document `local` of some segment. The manifest gives the order as runs, so the
//! mapping costs a binary search either way, and a run of a segment's documents is a range of global numbers.

use super::listing::{newest_first, OrderKey};
use super::manifest::Run;
use super::FormatError;
use crate::Date;
use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    runs: Vec<Run>,
    /// The global number of each run's first document.
    starts: Vec<u32>,
    /// Per segment, its runs in local order: (first local, first global, count).
    by_segment: Vec<Vec<(u32, u32, u32)>>,
    documents: u32,
}

impl Layout {
    /// Checks that the runs cover every document of every segment exactly once, each segment in its own
    /// order (a manifest is untrusted), and indexes them.
    pub fn new(segment_sizes: &[u32], runs: &[Run]) -> Result<Layout, FormatError> {
        let inconsistent = |why: String| Err(FormatError::Inconsistent(why));
        let mut by_segment: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); segment_sizes.len()];
        let mut starts = Vec::with_capacity(runs.len());
        let mut global = 0u32;
        for run in runs {
            let Some(runs_of_segment) = by_segment.get_mut(run.segment as usize) else {
                return inconsistent(format!("a run names segment {} of {}", run.segment, segment_sizes.len()));
            };
            let expected = runs_of_segment.last().map_or(0, |&(first, _, count)| first + count);
            if run.count == 0 || run.first != expected {
                return inconsistent(format!("segment {}'s documents are not in order in the runs", run.segment));
            }
            runs_of_segment.push((run.first, global, run.count));
            starts.push(global);
            global = global.checked_add(run.count).ok_or_else(|| FormatError::Inconsistent("the runs count too many documents".into()))?;
        }
        for (segment, (runs_of_segment, &size)) in by_segment.iter().zip(segment_sizes).enumerate() {
            let covered = runs_of_segment.last().map_or(0, |&(first, _, count)| first + count);
            if covered != size {
                return inconsistent(format!("the runs cover {covered} of segment {segment}'s {size} documents"));
            }
        }
        Ok(Layout { runs: runs.to_vec(), starts, by_segment, documents: global })
    }

    pub fn documents(&self) -> u32 {
        self.documents
    }

    pub fn segments(&self) -> usize {
        self.by_segment.len()
    }

    /// The segment and segment-local number of global document `doc`.
    pub fn locate(&self, doc: u32) -> Option<(usize, u32)> {
        if doc >= self.documents {
            return None;
        }
        let run = self.starts.partition_point(|&start| start <= doc) - 1;
        let Run { segment, first, .. } = self.runs[run];
        Some((segment as usize, first + doc - self.starts[run]))
    }

    /// The global number of document `local` of `segment`.
    pub fn global(&self, segment: usize, local: u32) -> Option<u32> {
        let runs = self.by_segment.get(segment)?;
        let run = runs.partition_point(|&(first, _, _)| first <= local).checked_sub(1)?;
        let (first, global, count) = runs[run];
        (local < first + count).then(|| global + local - first)
    }

    /// Maps a segment's sorted local numbers to global numbers, which are sorted too (runs keep a segment's
    /// order). Numbers past the segment's end are dropped.
    pub fn globals(&self, segment: usize, locals: impl Iterator<Item = u32>) -> Vec<u32> {
        let Some(runs) = self.by_segment.get(segment) else { return Vec::new() };
        let mut run = 0;
        let mut out = Vec::new();
        for local in locals {
            while run < runs.len() && runs[run].0 + runs[run].2 <= local {
                run += 1;
            }
            match runs.get(run) {
                Some(&(first, global, _)) if local >= first => out.push(global + local - first),
                Some(_) => {}
                None => break,
            }
        }
        out
    }

    /// Splits sorted global numbers by segment: per segment, its sorted local numbers.
    pub fn locals(&self, globals: &[u32]) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.by_segment.len()];
        // Sorted numbers (what callers give: hits in document order) fall in each run as one stretch, found by
        // binary search and shifted in a tight loop; a frequent word's second word asks this of most of the
        // archive. Unsorted numbers take the walk below.
        if globals.windows(2).all(|pair| pair[0] <= pair[1]) {
            let mut rest = globals;
            for (run, &start) in self.runs.iter().zip(&self.starts) {
                let past = rest.partition_point(|&doc| doc < start + run.count);
                let (inside, after) = rest.split_at(past);
                let skipped = inside.partition_point(|&doc| doc < start);
                out[run.segment as usize].extend(inside[skipped..].iter().map(|&doc| run.first + doc - start));
                rest = after;
            }
            return out;
        }
        // Sorted numbers walk the runs once; a number before the current run (unsorted input) searches.
        let mut run = 0;
        for &doc in globals {
            if doc >= self.documents {
                continue;
            }
            if doc < self.starts[run] {
                run = self.starts.partition_point(|&start| start <= doc) - 1;
            }
            while run + 1 < self.starts.len() && self.starts[run + 1] <= doc {
                run += 1;
            }
            let Run { segment, first, .. } = self.runs[run];
            out[segment as usize].push(first + doc - self.starts[run]);
        }
        out
    }

    /// When all of a segment's documents are one run of global numbers: the first global number and how
    /// many there are (then local `n` is global `first + n`).
    pub fn single_run(&self, segment: usize) -> Option<(u32, u32)> {
        match self.by_segment.get(segment)?.as_slice() {
            [(0, global, count)] => Some((*global, *count)),
            _ => None,
        }
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }
}

/// Writes a sequence of (segment, local) documents as runs.
pub fn order_runs(sequence: impl Iterator<Item = (u32, u32)>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (segment, local) in sequence {
        match runs.last_mut() {
            Some(last) if last.segment == segment && last.first + last.count == local => last.count += 1,
            _ => runs.push(Run { segment, first: local, count: 1 }),
        }
    }
    runs
}

/// An order key that owns its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedKey {
    pub published: Option<Date>,
    pub title: String,
    pub id: String,
}

impl OwnedKey {
    pub fn borrow(&self) -> OrderKey<'_> {
        (self.published, &self.title, &self.id)
    }
}

/// The new order after an update: `kept` is the old order of the documents that stay where they are (old
/// segments kept as they were, renumbered), `added` the documents of the segments written by this update,
/// sorted newest first with their keys. Each added document is placed before the first kept one that sorts
/// after it; the kept documents' keys are asked for through `key_of` (from their listing rows), and only
/// near the places where added documents land, so an update reads a few listing shards, not the archive.
pub fn merge_order(
    kept: &[Run],
    added: &[(OwnedKey, u32, u32)],
    key_of: &mut dyn FnMut(u32, u32) -> Result<OwnedKey, String>,
) -> Result<Vec<Run>, String> {
    let total: u32 = kept.iter().map(|run| run.count).sum();
    let mut starts = Vec::with_capacity(kept.len());
    let mut at = 0;
    for run in kept {
        starts.push(at);
        at += run.count;
    }
    let kept_at = |position: u32| -> (u32, u32) {
        let run = starts.partition_point(|&start| start <= position) - 1;
        (kept[run].segment, kept[run].first + position - starts[run])
    };
    let mut sequence: Vec<(u32, u32)> = Vec::new();
    let emit_kept = |from: u32, to: u32, sequence: &mut Vec<(u32, u32)>| {
        (from..to).for_each(|position| sequence.push(kept_at(position)));
    };
    let mut cursor = 0u32;
    for (key, segment, local) in added {
        // The first kept position at or after `cursor` whose document sorts after `key`: gallop, then bisect.
        let mut after = |position: u32| -> Result<bool, String> {
            let (segment, local) = kept_at(position);
            Ok(newest_first(key.borrow(), key_of(segment, local)?.borrow()) == Ordering::Less)
        };
        let (mut low, mut high) = (cursor, cursor);
        let mut step = 1;
        while high < total && !after(high)? {
            low = high + 1;
            high = (high + step).min(total);
            step *= 2;
        }
        while low < high {
            let middle = low + (high - low) / 2;
            if after(middle)? {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        emit_kept(cursor, low, &mut sequence);
        sequence.push((*segment, *local));
        cursor = low;
    }
    emit_kept(cursor, total, &mut sequence);
    Ok(order_runs(sequence.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(segment: u32, first: u32, count: u32) -> Run {
        Run { segment, first, count }
    }

    #[test]
    fn maps_both_ways_through_interleaved_runs() {
        // Segment 1 (the tail) is newest, except one backfilled document of it that sits inside segment 0.
        let runs = [run(1, 0, 2), run(0, 0, 3), run(1, 2, 1), run(0, 3, 2)];
        let layout = Layout::new(&[5, 3], &runs).unwrap();
        assert_eq!(layout.documents(), 8);
        let located: Vec<(usize, u32)> = (0..8).map(|doc| layout.locate(doc).unwrap()).collect();
        assert_eq!(located, [(1, 0), (1, 1), (0, 0), (0, 1), (0, 2), (1, 2), (0, 3), (0, 4)]);
        for (doc, &(segment, local)) in located.iter().enumerate() {
            assert_eq!(layout.global(segment, local), Some(doc as u32));
        }
        assert_eq!(layout.locate(8), None);
        assert_eq!(layout.global(0, 5), None);
        assert_eq!(layout.globals(1, [0, 2, 9].into_iter()), [0, 5]);
        assert_eq!(layout.locals(&[0, 3, 5, 7]), [vec![1, 4], vec![0, 2]]);
        assert_eq!(layout.locals(&[7, 0, 99, 3]), [vec![4, 1], vec![0]], "unsorted and out-of-range numbers");
        // Sorted numbers, repeated and past the end, split as locating each one does.
        let sorted = [0, 0, 1, 2, 4, 4, 5, 6, 7, 7, 8, 99];
        let mut expected = vec![Vec::new(); 2];
        for &(segment, local) in sorted.iter().filter_map(|&doc| layout.locate(doc)).collect::<Vec<_>>().iter() {
            expected[segment].push(local);
        }
        assert_eq!(layout.locals(&sorted), expected);
        assert_eq!((layout.single_run(0), layout.single_run(1)), (None, None));
        assert_eq!(Layout::new(&[3, 2], &[run(1, 0, 2), run(0, 0, 3)]).unwrap().single_run(0), Some((2, 3)));
        assert_eq!(order_runs(located.iter().map(|&(s, l)| (s as u32, l))), runs);
    }

    #[test]
    fn runs_that_do_not_cover_the_segments_exactly_are_refused() {
        assert!(Layout::new(&[2], &[run(0, 0, 2)]).is_ok());
        for bad in [vec![run(0, 0, 1)], vec![run(0, 1, 1), run(0, 0, 1)], vec![run(1, 0, 2)], vec![run(0, 0, 0), run(0, 0, 2)], vec![run(0, 0, 3)]] {
            assert!(Layout::new(&[2], &bad).is_err(), "{bad:?}");
        }
        assert!(Layout::new(&[u32::MAX, 2], &[run(0, 0, u32::MAX), run(1, 0, 2)]).is_err(), "no overflow");
    }

    #[test]
    fn added_documents_land_where_their_dates_say() {
        let date = |day: u8| Date::new(2020, 1, day).ok();
        let key = |day: u8, id: &str| OwnedKey { published: date(day), title: "t".into(), id: id.into() };
        // Kept: segment 0 holds days 9, 7, 5, 3, 1 (newest first).
        let days = [9u8, 7, 5, 3, 1];
        let kept = [run(0, 0, 5)];
        let added = [(key(10, "a"), 1, 0), (key(6, "b"), 1, 1), (key(1, "c"), 1, 2)];
        let mut asked = 0;
        let runs = merge_order(&kept, &added, &mut |segment, local| {
            asked += 1;
            assert_eq!(segment, 0);
            Ok(key(days[local as usize], "k"))
        })
        .unwrap();
        // Day 1's tie is broken by id: "c" sorts before "k".
        assert_eq!(runs, [run(1, 0, 1), run(0, 0, 2), run(1, 1, 1), run(0, 2, 2), run(1, 2, 1), run(0, 4, 1)]);
        assert!(asked <= 8, "asked for {asked} keys");
    }
}
