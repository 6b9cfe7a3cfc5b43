//! Which of the things a store keeps were used least recently. The store keeps a bounded number of listing
//! and article shards, so a long session's memory levels off, and lets the least recently used go first: a
//! shard on screen is read on every draw, so it is the last to go, and one let go that is needed again is
//! simply fetched again.

use std::collections::HashMap;
use std::hash::Hash;

pub struct Recency<K> {
    clock: u64,
    last_use: HashMap<K, u64>,
}

impl<K> Default for Recency<K> {
    fn default() -> Recency<K> {
        Recency { clock: 0, last_use: HashMap::new() }
    }
}

impl<K: Hash + Eq + Clone> Recency<K> {
    pub fn touch(&mut self, key: &K) {
        self.clock += 1;
        match self.last_use.get_mut(key) {
            Some(last) => *last = self.clock,
            None => {
                self.last_use.insert(key.clone(), self.clock);
            }
        }
    }

    /// Of `held`, the ones to let go once more than `most` are held: the least recently used (never used ones
    /// first), down to `keep`. Letting go of a batch at a time means views are told of it rarely.
    pub fn to_let_go(&mut self, held: Vec<K>, most: usize, keep: usize) -> Vec<K> {
        if held.len() <= most {
            return Vec::new();
        }
        let going = held.len() - keep.min(held.len());
        let mut held: Vec<(u64, K)> = held.into_iter().map(|key| (self.last_use.get(&key).copied().unwrap_or(0), key)).collect();
        held.sort_by_key(|(last, _)| *last);
        let gone: Vec<K> = held.into_iter().take(going).map(|(_, key)| key).collect();
        gone.iter().for_each(|key| {
            self.last_use.remove(key);
        });
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::Recency;

    #[test]
    fn the_least_recently_used_go_first_and_only_past_the_bound() {
        let mut recency = Recency::default();
        for key in 0..6 {
            recency.touch(&key);
        }
        // Used again: 0 and 2 are now the most recent.
        recency.touch(&0);
        recency.touch(&2);
        assert_eq!(recency.to_let_go((0..6).collect(), 6, 3), Vec::<i32>::new(), "within the bound nothing goes");
        let mut gone = recency.to_let_go((0..7).collect(), 6, 3);
        gone.sort();
        // 6 was never used, then 1, 3 and 4 are the oldest uses; 5, 0 and 2 stay.
        assert_eq!(gone, [1, 3, 4, 6]);
        assert_eq!(recency.to_let_go(vec![0, 2, 5], 6, 3), Vec::<i32>::new());
        assert_eq!(recency.to_let_go((10..20).collect(), 6, 3).len(), 7, "far past the bound, down to what is kept");
    }
}
