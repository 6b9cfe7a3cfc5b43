//! Pieces of the same pack file that lie close together, asked for in one request. A search round names its
//! pieces one by one (a word's postings, then its positions, often side by side in a pack); each request costs
//! a round of headers and, on a phone, a slot among the few the browser opens at once, so the adapters that
//! fetch over HTTP join neighbours into one range and cut the answer back into the pieces asked for.

use super::{ranged, split_request};

/// Pieces this close (in bytes) are joined: fetching the gap between them costs less than a request's headers.
pub const JOIN_GAP: u64 = 512;

/// One request to make, and where the pieces asked for lie in its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    /// A whole file, or `path#offset+len` covering every part.
    pub request: String,
    /// For each part: its index among the requests given to `coalesce`, and its bytes in the answer
    /// (offset, length).
    pub parts: Vec<(usize, u64, u64)>,
}

/// Joins `requests` (whole files, or `path#offset+len`) whose ranges in the same file are at most `gap` bytes
/// apart or overlap. Whole files and malformed requests are left as they are; every request given is a part
/// of exactly one `Joined`.
pub fn coalesce(requests: &[String], gap: u64) -> Vec<Joined> {
    let mut joined: Vec<Joined> = Vec::new();
    let mut ranges: Vec<(&str, u64, u64, usize)> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        match split_request(request) {
            (path, Some((offset, len))) if len > 0 => ranges.push((path, offset, len, index)),
            _ => joined.push(Joined { request: request.clone(), parts: vec![(index, 0, u64::MAX)] }),
        }
    }
    ranges.sort_by(|a, b| (a.0, a.1, a.3).cmp(&(b.0, b.1, b.3)));
    let mut group: Vec<(&str, u64, u64, usize)> = Vec::new();
    let mut flush = |group: &mut Vec<(&str, u64, u64, usize)>| {
        let Some(&(path, start, _, _)) = group.first() else { return };
        let end = group.iter().map(|&(_, offset, len, _)| offset.saturating_add(len)).max().unwrap_or(start);
        let request = match (u32::try_from(start), u32::try_from(end - start)) {
            (Ok(offset), Ok(len)) => ranged(path, offset, len),
            _ => format!("{path}#{start}+{}", end - start),
        };
        let parts = group.iter().map(|&(_, offset, len, index)| (index, offset - start, len)).collect();
        joined.push(Joined { request, parts });
        group.clear();
    };
    for range in ranges {
        let joins = group.last().is_some_and(|&(path, _, _, _)| path == range.0)
            && group.iter().map(|&(_, offset, len, _)| offset.saturating_add(len)).max().is_some_and(|end| range.1 <= end.saturating_add(gap));
        if !joins {
            flush(&mut group);
        }
        group.push(range);
    }
    flush(&mut group);
    joined
}

/// The part of a joined answer that one request asked for; `None` if the answer is too short for it. A whole
/// file's part is the whole answer.
pub fn part_of(answer: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    if len == u64::MAX {
        return Some(answer);
    }
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    answer.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| item.to_string()).collect()
    }

    #[test]
    fn neighbours_in_one_pack_become_one_request_and_the_rest_stay_apart() {
        // A real round: three pieces side by side in one pack, two in another, a whole file, a far piece.
        let asked = requests(&["p/a.bin#33255+193", "p/a.bin#33212+43", "seg.json", "p/b.bin#2594+51", "p/a.bin#33448+300", "p/b.bin#2645+91", "p/a.bin#900000+10"]);
        let joined = coalesce(&asked, JOIN_GAP);
        let find = |request: &str| joined.iter().find(|j| j.request == request).unwrap_or_else(|| panic!("{request} in {joined:?}"));
        assert_eq!(find("p/a.bin#33212+536").parts, vec![(1, 0, 43), (0, 43, 193), (4, 236, 300)]);
        assert_eq!(find("p/b.bin#2594+142").parts, vec![(3, 0, 51), (5, 51, 91)]);
        assert_eq!(find("seg.json").parts, vec![(2, 0, u64::MAX)]);
        assert_eq!(find("p/a.bin#900000+10").parts, vec![(6, 0, 10)]);
        assert_eq!(joined.len(), 4);
    }

    #[test]
    fn every_part_cuts_back_to_exactly_the_bytes_it_asked_for() {
        let file: Vec<u8> = (0..5000u32).map(|n| (n % 251) as u8).collect();
        let asked = requests(&["f#10+5", "f#12+20", "f#600+1", "f#1200+100", "f#4000+1000", "g#0+3"]);
        let mut seen = vec![false; asked.len()];
        for joined in coalesce(&asked, JOIN_GAP) {
            let (_, range) = split_request(&joined.request);
            let (start, len) = range.unwrap();
            let answer = &file[start as usize..(start + len) as usize];
            for (index, offset, len) in joined.parts {
                let (_, asked_range) = split_request(&asked[index]);
                let (want_offset, want_len) = asked_range.unwrap();
                assert_eq!(part_of(answer, offset, len), Some(&file[want_offset as usize..(want_offset + want_len) as usize]));
                seen[index] = true;
            }
        }
        assert!(seen.iter().all(|&s| s), "every request is a part of one joined request");
    }

    #[test]
    fn a_gap_wider_than_allowed_keeps_pieces_apart_and_a_short_answer_is_refused() {
        let asked = requests(&["f#0+10", "f#523+10"]);
        assert_eq!(coalesce(&asked, JOIN_GAP).len(), 2);
        assert_eq!(coalesce(&asked, 513).len(), 1);
        assert_eq!(part_of(&[1, 2, 3], 2, 5), None);
        assert_eq!(part_of(&[1, 2, 3], u64::MAX, 1), None);
    }
}
