//! Display-side text rules: splitting Latin runs out of Arabic text so the viewer can isolate them (`<bdi>`)
//! and a name like `E-POLICE.` keeps its punctuation on the right side in a right-to-left line.

/// A piece of display text: either a Latin run to isolate, or anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run<'a> {
    Latin(&'a str),
    Other(&'a str),
}

/// Splits `text` into Latin runs and the rest. A Latin run starts with a Latin letter and goes on over Latin
/// letters and digits, and over `-`, `.`, `_`, `/`, `&` or `'` when a Latin letter or digit follows them.
pub fn latin_runs(text: &str) -> Vec<Run<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_latin_letter = |ch: char| ch.is_ascii_alphabetic() || matches!(ch, 'À'..='ɏ');
    let continues = |ch: char| is_latin_letter(ch) || ch.is_ascii_digit();
    let mut runs = Vec::new();
    let mut other_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (start, ch) = chars[i];
        if !is_latin_letter(ch) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let (_, next) = chars[j];
            let joiner = matches!(next, '-' | '.' | '_' | '/' | '&' | '\'');
            if continues(next) || (joiner && chars.get(j + 1).is_some_and(|&(_, after)| continues(after))) {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |&(offset, _)| offset);
        if other_start < start {
            runs.push(Run::Other(&text[other_start..start]));
        }
        runs.push(Run::Latin(&text[start..end]));
        other_start = end;
        i = j;
    }
    if other_start < text.len() {
        runs.push(Run::Other(&text[other_start..]));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use Run::*;

    #[test]
    fn isolates_latin_names_inside_arabic() {
        assert_eq!(latin_runs("نقابة UMT تختم"), vec![Other("نقابة "), Latin("UMT"), Other(" تختم")]);
        assert_eq!(latin_runs("منصة E-POLICE."), vec![Other("منصة "), Latin("E-POLICE"), Other(".")]);
        assert_eq!(latin_runs("COP30 في 2025"), vec![Latin("COP30"), Other(" في 2025")]);
    }

    #[test]
    fn leaves_pure_arabic_and_bare_numbers_alone() {
        assert_eq!(latin_runs("الدورة 93"), vec![Other("الدورة 93")]);
        assert_eq!(latin_runs(""), vec![]);
    }
}

/// "N articles" with Arabic's number agreement: مقال واحد، مقالان، 3–10 مقالات، 11–99 مقالًا، and a round
/// hundred, thousand or million takes the singular (مئة مقال، ألف مقال).
pub fn articles_count_label(count: usize) -> String {
    match count {
        0 => "لا مقالات".to_owned(),
        1 => "مقال واحد".to_owned(),
        2 => "مقالان".to_owned(),
        _ if (3..=10).contains(&(count % 100)) => format!("{count} مقالات"),
        _ if count.is_multiple_of(100) => format!("{count} مقال"),
        _ => format!("{count} مقالًا"),
    }
}

#[cfg(test)]
mod count_tests {
    use super::articles_count_label;

    #[test]
    fn agrees_with_the_number() {
        let labels: Vec<String> = [0, 1, 2, 4, 10, 11, 100, 103, 150, 10_000].into_iter().map(articles_count_label).collect();
        let expected = ["لا مقالات", "مقال واحد", "مقالان", "4 مقالات", "10 مقالات", "11 مقالًا", "100 مقال", "103 مقالات", "150 مقالًا", "10000 مقال"];
        assert_eq!(labels, expected);
    }
}
