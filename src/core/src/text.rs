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

/// The plural categories of Arabic cardinals, by CLDR's rules: zero (0), one (1), two (2), few (n % 100 in
/// 3–10), many (n % 100 in 11–99), other (the rest: 100–102, 200, 1000, 101…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// The CLDR plural category of `count` in Arabic.
pub fn plural(count: u64) -> Plural {
    match (count, count % 100) {
        (0, _) => Plural::Zero,
        (1, _) => Plural::One,
        (2, _) => Plural::Two,
        (_, 3..=10) => Plural::Few,
        (_, 11..=99) => Plural::Many,
        _ => Plural::Other,
    }
}

/// A counted noun's six forms, one per plural category; `{}` stands for the number where it is written.
pub struct CountForms {
    pub zero: &'static str,
    pub one: &'static str,
    pub two: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

/// "article": لا مقالات، مقال واحد، مقالان، 3 مقالات، 11 مقالًا، 100 مقال.
pub const ARTICLES: CountForms =
    CountForms { zero: "لا مقالات", one: "مقال واحد", two: "مقالان", few: "{} مقالات", many: "{} مقالًا", other: "{} مقال" };

/// "file": لا ملفات، ملف واحد، ملفان، 3 ملفات، 11 ملفًا، 100 ملف.
pub const FILES: CountForms =
    CountForms { zero: "لا ملفات", one: "ملف واحد", two: "ملفان", few: "{} ملفات", many: "{} ملفًا", other: "{} ملف" };

/// "outlet", after في: في منبر واحد، في منبرين، في 3 منابر، في 11 منبرًا، في 100 منبر.
pub const OUTLETS: CountForms =
    CountForms { zero: "لا منابر", one: "منبر واحد", two: "منبرين", few: "{} منابر", many: "{} منبرًا", other: "{} منبر" };

/// `count` with its noun in the form Arabic gives that number.
pub fn count_label(count: u64, forms: &CountForms) -> String {
    count_label_with(count, forms, &count.to_string())
}

/// `count` with its noun in the form Arabic gives that number, the number written as `written` (an archive's
/// digits and grouping: `archive::Style::count`).
pub fn count_label_with(count: u64, forms: &CountForms, written: &str) -> String {
    let form = match plural(count) {
        Plural::Zero => forms.zero,
        Plural::One => forms.one,
        Plural::Two => forms.two,
        Plural::Few => forms.few,
        Plural::Many => forms.many,
        Plural::Other => forms.other,
    };
    form.replace("{}", written)
}

/// "N articles", in the form the number takes.
pub fn articles_count_label(count: usize) -> String {
    count_label(count as u64, &ARTICLES)
}

#[cfg(test)]
mod count_tests {
    use super::articles_count_label;

    #[test]
    fn agrees_with_the_number() {
        let labels: Vec<String> = [0, 1, 2, 4, 10, 11, 99, 100, 101, 102, 103, 111, 150, 200, 1000, 10_000].into_iter().map(articles_count_label).collect();
        let expected = [
            "لا مقالات", "مقال واحد", "مقالان", "4 مقالات", "10 مقالات", "11 مقالًا", "99 مقالًا", "100 مقال", "101 مقال",
            "102 مقال", "103 مقالات", "111 مقالًا", "150 مقالًا", "200 مقال", "1000 مقال", "10000 مقال",
        ];
        assert_eq!(labels, expected);
        let files: Vec<String> = [1, 7, 80, 100, 1000].into_iter().map(|n| super::count_label(n, &super::FILES)).collect();
        assert_eq!(files, ["ملف واحد", "7 ملفات", "80 ملفًا", "100 ملف", "1000 ملف"]);
    }

    /// CLDR's published examples for Arabic (plurals.xml, cardinal rules).
    #[test]
    fn follows_the_cldr_categories() {
        use super::{plural, Plural, Plural::*};
        let examples: [(Plural, &[u64]); 6] = [
            (Zero, &[0]),
            (One, &[1]),
            (Two, &[2]),
            (Few, &[3, 4, 10, 103, 110, 1003]),
            (Many, &[11, 26, 99, 111, 1011]),
            (Other, &[100, 101, 102, 200, 201, 202, 300, 1000, 10_000, 100_000]),
        ];
        for (category, numbers) in examples {
            for &n in numbers {
                assert_eq!(plural(n), category, "{n}");
            }
        }
    }
}
