//! The merge policy: which segments an archive of a given size has, and what an update rewrites.
//!
//! Think of the archive, oldest article first, cut into segments the way a number is written in binary:
//! with `unit` articles per unit and `documents = q · unit + r`, there is one **sealed** segment of
//! `2^k · unit` articles for each bit `k` set in `q`, largest (oldest) first, then the **tail** of the `r`
//! newest articles. An update puts its articles with the tail; when the tail reaches a unit it is sealed, and
//! sealed segments merge as a binary counter carries. So
//! - an archive has at most `log2(documents / unit) + 2` segments (14 at a million with the default unit);
//! - a day's update usually rewrites the tail alone (fewer than `unit` + the new articles), and a merge of
//!   `2^k` units happens once per `2^k` units added: rare, large-to-larger, and cheap on average;
//! - a build of the same articles cuts the same segments, so when an update adds only articles newer than
//!   every sealed one, it writes exactly the files a full build would.

/// Segment sizes a build of `documents` articles writes, oldest first.
pub fn build_plan(documents: u32, unit: u32) -> Vec<u32> {
    let unit = unit.max(1);
    let mut sizes = sealed_sizes(documents / unit, unit);
    if !documents.is_multiple_of(unit) {
        sizes.push(documents % unit);
    }
    sizes
}

/// One segment per bit of `units`, largest first.
fn sealed_sizes(units: u32, unit: u32) -> Vec<u32> {
    (0..32).rev().filter(|bit| units >> bit & 1 == 1).map(|bit| (1u32 << bit).saturating_mul(unit)).collect()
}

/// What an update rewrites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdatePlan {
    /// How many of the old segments, from the oldest, stay as they are.
    pub kept: usize,
    /// Sizes of the segments the update writes after them, oldest first; the last may be the new tail.
    pub written: Vec<u32>,
    /// How many of the written documents come from the old segments after the kept ones (all their documents
    /// are rewritten, in the order the sealed segments came, then the tail's).
    pub rewritten: u32,
}

/// The plan for adding `added` articles to segments of `old` sizes (oldest first). The documents of the
/// segments after the kept ones, then the new ones, are dealt into the written segments as described in the
/// module's comment: the sealed part in sealing order, the tail's and the new articles sorted oldest first.
pub fn update_plan(old: &[u32], added: u32, unit: u32) -> UpdatePlan {
    let unit = unit.max(1);
    let tail = match old.last() {
        Some(&last) if last < unit => last,
        _ => 0,
    };
    let sealed = &old[..old.len() - usize::from(tail > 0)];
    let sealed_documents: u64 = sealed.iter().map(|&size| u64::from(size)).sum();
    let tail_and_added = tail + added;
    let new_sealed_units = sealed_documents / u64::from(unit) + u64::from(tail_and_added / unit);
    // Segments that were not cut by this policy (another unit) cannot be continued: rewrite everything.
    let foreign = sealed.iter().any(|&size| size % unit != 0 || !(size / unit).is_power_of_two()) || new_sealed_units > u64::from(u32::MAX);
    let total: u32 = old.iter().sum::<u32>() + added;
    if foreign {
        return UpdatePlan { kept: 0, written: build_plan(total, unit), rewritten: old.iter().sum() };
    }
    let new_sealed = sealed_sizes(new_sealed_units as u32, unit);
    let kept = sealed.iter().zip(&new_sealed).take_while(|(old, new)| old == new).count();
    let mut written = new_sealed[kept..].to_vec();
    if !tail_and_added.is_multiple_of(unit) {
        written.push(tail_and_added % unit);
    }
    UpdatePlan { kept, written, rewritten: old[kept..].iter().sum() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_cuts_segments_like_binary_digits() {
        assert_eq!(build_plan(9_962, 128), [8192, 1024, 512, 128, 106]);
        assert_eq!(build_plan(256, 128), [256]);
        assert_eq!(build_plan(5, 128), [5]);
        assert_eq!(build_plan(0, 128), Vec::<u32>::new());
        let million = build_plan(1_000_000, 128);
        assert!(million.len() <= 14 && million.iter().sum::<u32>() == 1_000_000, "{million:?}");
    }

    #[test]
    fn a_small_update_rewrites_the_tail_alone() {
        let plan = update_plan(&[8192, 1024, 512, 128, 106], 10, 128);
        assert_eq!(plan, UpdatePlan { kept: 4, written: vec![116], rewritten: 106 });
    }

    #[test]
    fn sealing_carries_like_binary_addition_and_matches_a_build() {
        // 106 + 100 = 206: one unit is sealed, which carries into the 128-segment: 128 + 128 = 256.
        let old = [8192, 1024, 512, 128, 106];
        let plan = update_plan(&old, 100, 128);
        assert_eq!(plan, UpdatePlan { kept: 3, written: vec![256, 78], rewritten: 234 });
        let mut after = old[..plan.kept].to_vec();
        after.extend(&plan.written);
        assert_eq!(after, build_plan(old.iter().sum::<u32>() + 100, 128));
        // Every size of old archive and update agrees with a build of the total.
        for documents in 0..700 {
            for added in [1, 5, 64, 127, 128, 300] {
                let old = build_plan(documents, 16);
                let plan = update_plan(&old, added, 16);
                let mut after = old[..plan.kept].to_vec();
                after.extend(&plan.written);
                assert_eq!(after, build_plan(documents + added, 16), "{documents} + {added}");
                assert_eq!(plan.rewritten, old[plan.kept..].iter().sum::<u32>());
            }
        }
    }

    #[test]
    fn segments_of_another_policy_are_rewritten_whole() {
        let plan = update_plan(&[100, 50], 10, 128);
        assert_eq!(plan, UpdatePlan { kept: 0, written: vec![128, 32], rewritten: 150 });
    }
}
