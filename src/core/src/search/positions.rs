//! Where a word stands in some documents, for phrases.

/// Word positions per document, in document order, kept flat: a frequent word's positions in thousands of
/// documents are three vectors rather than one vector per document, which took most of a phrase query's time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    docs: Vec<u32>,
    /// Document `docs[i]`'s positions are `at[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    at: Vec<u32>,
}

impl Positions {
    /// Adds a document after the ones already here (callers add them in document order).
    pub fn push(&mut self, doc: u32, positions: impl IntoIterator<Item = u32>) {
        self.docs.push(doc);
        self.at.extend(positions);
        self.ends.push(self.at.len());
    }

    /// Adds a document after the ones already here, its positions appended by `fill` (in ascending order).
    pub fn push_with(&mut self, doc: u32, fill: impl FnOnce(&mut Vec<u32>)) {
        self.docs.push(doc);
        fill(&mut self.at);
        self.ends.push(self.at.len());
    }

    /// Room for `docs` more documents holding `positions` positions in all.
    pub fn reserve(&mut self, docs: usize, positions: usize) {
        self.docs.reserve(docs);
        self.ends.reserve(docs);
        self.at.reserve(positions);
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn docs(&self) -> &[u32] {
        &self.docs
    }

    /// The ascending positions of the `index`-th document.
    pub fn of(&self, index: usize) -> &[u32] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.at[start..self.ends[index]]
    }

    /// The documents with their positions, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> {
        (0..self.len()).map(|index| (self.docs[index], self.of(index)))
    }

    /// Only the documents `keep` accepts.
    pub fn filtered(&self, mut keep: impl FnMut(u32) -> bool) -> Positions {
        let mut out = Positions::default();
        for (doc, positions) in self.iter() {
            if keep(doc) {
                out.push(doc, positions.iter().copied());
            }
        }
        out
    }

    /// Renumbers the documents (in their order here); [`Positions::merged`] puts them in order again.
    pub fn renumber(&mut self, mut renumber: impl FnMut(u32) -> u32) {
        self.docs.iter_mut().for_each(|doc| *doc = renumber(*doc));
    }

    /// Keeps only the first `len` documents.
    pub fn truncate(&mut self, len: usize) {
        if len < self.docs.len() {
            self.docs.truncate(len);
            self.ends.truncate(len);
            self.at.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }

    /// One list of several, in document order.
    pub fn merged(mut lists: Vec<Positions>) -> Positions {
        lists.retain(|list| !list.is_empty());
        if lists.len() <= 1 {
            return lists.pop().unwrap_or_default();
        }
        // Usually each list covers a stretch of documents after the one before: they are put end to end.
        lists.sort_by_key(|list| list.docs[0]);
        let each_sorted = lists.iter().all(|list| list.docs.windows(2).all(|pair| pair[0] < pair[1]));
        if each_sorted && lists.windows(2).all(|pair| pair[0].docs.last() < pair[1].docs.first()) {
            let mut out = lists.remove(0);
            out.reserve(lists.iter().map(Positions::len).sum(), lists.iter().map(|list| list.at.len()).sum());
            for list in lists {
                let base = out.at.len();
                out.docs.extend(list.docs);
                out.ends.extend(list.ends.iter().map(|end| end + base));
                out.at.extend(list.at);
            }
            return out;
        }
        let mut entries: Vec<(u32, usize, usize)> = lists.iter().enumerate().flat_map(|(list, positions)| positions.docs.iter().enumerate().map(move |(index, &doc)| (doc, list, index))).collect();
        entries.sort_by_key(|&(doc, _, _)| doc);
        let mut out = Positions::default();
        for (doc, list, index) in entries {
            out.push(doc, lists[list].of(index).iter().copied());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Positions;

    #[test]
    fn flat_positions_read_back_per_document_and_merge_in_order() {
        let mut a = Positions::default();
        a.push(2, [1, 5]);
        a.push(9, []);
        a.push(10, [0]);
        assert_eq!(a.iter().collect::<Vec<_>>(), [(2, &[1, 5][..]), (9, &[][..]), (10, &[0][..])]);
        let mut b = Positions::default();
        b.push(3, [7, 8, 9]);
        b.renumber(|doc| doc + 1);
        let merged = Positions::merged(vec![a.clone(), Positions::default(), b]);
        assert_eq!(merged.docs(), [2, 4, 9, 10]);
        assert_eq!(merged.of(1), [7, 8, 9]);
        assert_eq!(merged.of(3), [0]);
        assert_eq!(a.filtered(|doc| doc != 9).docs(), [2, 10]);
        // Lists one after another are put end to end, whatever order they come in.
        let mut c = Positions::default();
        c.push(20, [4]);
        c.push(30, [1, 2]);
        let joined = Positions::merged(vec![c, a]);
        assert_eq!(joined.iter().collect::<Vec<_>>(), [(2, &[1, 5][..]), (9, &[][..]), (10, &[0][..]), (20, &[4][..]), (30, &[1, 2][..])]);
    }
}
