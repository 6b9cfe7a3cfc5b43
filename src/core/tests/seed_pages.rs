//! Data-driven parser tests over the real seed pages and one fixture per bad input. Each page becomes a short,
//! reviewable summary snapshotted with insta under `tests/snapshots/` at the top of the repository.

use sahifa_core::parse::{parse_page, ParseOutcome, Severity};
use sahifa_core::BlockKind;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn fixtures(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(folder)
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The parts of an outcome a reviewer needs: metadata, block kinds and counts, first and last block,
/// headline count, and every diagnostic.
fn summarize(outcome: &ParseOutcome) -> String {
    let mut out = String::new();
    match &outcome.page {
        None => out.push_str("REJECTED\n"),
        Some(page) => {
            let article = &page.article;
            let count = |kind| article.blocks.iter().filter(|b| b.kind == kind).count();
            writeln!(out, "id: {}", article.id).unwrap();
            writeln!(out, "title: {}", article.title).unwrap();
            writeln!(out, "outlet: {:?}", article.outlet).unwrap();
            writeln!(out, "published: {:?}", article.published.map(|d| d.to_string())).unwrap();
            writeln!(out, "blocks: {} ({} paragraphs, {} subheadings)", article.blocks.len(), count(BlockKind::Paragraph), count(BlockKind::Subheading)).unwrap();
            let kinds: String = article.blocks.iter().map(|b| if b.kind == BlockKind::Subheading { 'H' } else { 'p' }).collect();
            writeln!(out, "kinds: {kinds}").unwrap();
            if let (Some(first), Some(last)) = (article.blocks.first(), article.blocks.last()) {
                writeln!(out, "first: {}", first.text).unwrap();
                writeln!(out, "last: {}", last.text).unwrap();
            }
            for heading in article.blocks.iter().filter(|b| b.kind == BlockKind::Subheading) {
                writeln!(out, "subheading: {}", heading.text).unwrap();
            }
            writeln!(out, "headlines: {}", page.headlines.len()).unwrap();
            if let (Some(first), Some(last)) = (page.headlines.first(), page.headlines.last()) {
                writeln!(out, "first headline: {first}\nlast headline: {last}").unwrap();
            }
        }
    }
    for d in &outcome.diagnostics {
        writeln!(out, "{:?} {} line={:?} byte={:?}: {}", d.severity, d.code, d.line, d.byte_offset, d.message).unwrap();
    }
    out
}

fn parse_fixture(folder: &str, name: &str) -> ParseOutcome {
    let bytes = std::fs::read(fixtures(folder).join(name)).unwrap();
    parse_page(&bytes)
}

#[test]
fn every_seed_page_parses_as_its_snapshot() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures("seeds"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "the sample corpus is the five seed pages");
    for name in names {
        let outcome = parse_fixture("seeds", &name);
        assert!(outcome.page.is_some(), "{name} was rejected: {:?}", outcome.diagnostics);
        let stem = name.split('_').next().unwrap().to_owned();
        snapshot_settings().bind(|| insta::assert_snapshot!(format!("seed_{stem}"), summarize(&outcome)));
    }
}

#[test]
fn seed_000_has_no_date_line_and_is_accepted_with_a_warning() {
    let outcome = parse_fixture("seeds", "000_76a1b9d5c2198e0e.txt");
    let article = outcome.page.as_ref().unwrap().article.clone();
    assert_eq!((article.outlet, article.published), (None, None));
    assert_eq!(outcome.diagnostics.len(), 1);
    assert_eq!(outcome.diagnostics[0].severity, Severity::Warning);
    assert_eq!(outcome.diagnostics[0].code, "no-publication-line");
    let headings: Vec<&str> =
        article.blocks.iter().filter(|b| b.kind == BlockKind::Subheading).map(|b| b.text.as_str()).collect();
    assert_eq!(headings, ["مكافحة الجريمة المنظمة", "تنقل الأشخاص والهجرة غير الشرعية", "التعاون في مجال الحماية المدنية", "التعاون في مجال الجماعات المحلية"]);
}

#[test]
fn seed_002_drops_the_repeated_paragraph_and_says_so() {
    let outcome = parse_fixture("seeds", "002_884f1ecf36255e5d.txt");
    let article = &outcome.page.as_ref().unwrap().article;
    assert_eq!(article.blocks.len(), 9);
    assert!(article.blocks.windows(2).all(|pair| pair[0] != pair[1]));
    let repeat = outcome.diagnostics.iter().find(|d| d.code == "repeated-paragraph").unwrap();
    assert_eq!((repeat.severity, repeat.line), (Severity::Info, Some(18)));
}

#[test]
fn stored_text_keeps_original_letters_and_removes_boilerplate() {
    for entry in std::fs::read_dir(fixtures("seeds")).unwrap() {
        let outcome = parse_page(&std::fs::read(entry.unwrap().path()).unwrap());
        let page = outcome.page.unwrap();
        let texts = std::iter::once(&page.article.title).chain(page.article.blocks.iter().map(|b| &b.text));
        for text in texts.chain(page.headlines.iter()) {
            assert!(!text.contains('\u{A0}') && !text.contains("  ") && text.trim() == text, "untidy: {text:?}");
            assert!(!text.contains("شكرا على الإبلاغ") && !text.contains("انقر هنا لقراءة الخبر"), "boilerplate kept: {text}");
        }
    }
    // Hamza forms survive: normalization is for search keys only.
    let outcome = parse_fixture("seeds", "003_a080804b0b4d0dbd.txt");
    assert!(outcome.page.unwrap().article.title.contains("للأنتربول"));
}

#[test]
fn invalid_utf8_is_rejected_naming_the_byte_offset() {
    let outcome = parse_fixture("bad", "invalid-utf8.txt");
    assert!(outcome.page.is_none());
    let error = outcome.rejection().unwrap();
    assert_eq!(error.code, "invalid-utf8");
    assert_eq!(error.byte_offset, Some(7126));
    assert!(error.message.contains("7126"));
}

#[test]
fn a_bom_and_crlf_line_ends_are_accepted() {
    let outcome = parse_fixture("bad", "bom-crlf.txt");
    let page = outcome.page.as_ref().expect("accepted");
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(page.article.title, "حصيلة التعاون الأمني الدولي بالمغرب");
    assert!(page.article.blocks.iter().all(|b| !b.text.contains('\r')));
    assert!(!page.headlines[0].starts_with('\u{FEFF}'));
    assert_eq!(page.article.published.unwrap().to_string(), "2025-12-17");
}

#[test]
fn an_empty_file_is_rejected() {
    assert_eq!(parse_fixture("bad", "empty.txt").rejection().unwrap().code, "empty");
    assert_eq!(parse_page(b" \n\r\n\t").rejection().unwrap().code, "empty");
}

#[test]
fn a_page_without_the_report_marker_is_rejected() {
    assert_eq!(parse_fixture("bad", "no-report-marker.txt").rejection().unwrap().code, "no-report-marker");
}

#[test]
fn a_page_without_a_title_is_rejected_at_a_line() {
    let outcome = parse_fixture("bad", "no-title.txt");
    let error = outcome.rejection().unwrap();
    assert_eq!((error.code.as_str(), error.line), ("no-title", Some(9)));
}

#[test]
fn a_binary_file_is_rejected_naming_the_byte_offset() {
    let error = parse_fixture("bad", "binary.png").rejection().unwrap().clone();
    assert_eq!((error.code.as_str(), error.byte_offset), ("binary", Some(8)));
}

#[test]
fn an_impossible_date_is_left_empty_with_a_warning_and_arabic_indic_digits_are_read() {
    let outcome = parse_fixture("bad", "impossible-date.txt");
    assert_eq!(outcome.page.unwrap().article.published, None);
    assert_eq!(outcome.diagnostics[0].code, "impossible-date");
    let outcome = parse_fixture("bad", "arabic-indic-date.txt");
    assert_eq!(outcome.page.unwrap().article.published.unwrap().to_string(), "2025-12-17");
}

#[test]
fn a_50_mb_page_parses_in_linear_time() {
    // A page whose body repeats one paragraph with a counter until it passes 50 MB; a quadratic step (say,
    // comparing each paragraph to all earlier ones) would take minutes here instead of well under a second.
    let seed = std::fs::read_to_string(fixtures("seeds").join("004_3471598b5e5db83e.txt")).unwrap();
    let (head, _) = seed.split_once("تتويجا للمكانة").unwrap();
    let mut page = String::with_capacity(51 << 20);
    page.push_str(head);
    let mut n = 0;
    while page.len() < 50 << 20 {
        writeln!(page, "فقرة رقم {n} من نص طويل جدا عن التعاون الأمني الدولي بالمغرب وما حققه من نتائج.").unwrap();
        n += 1;
    }
    page.push_str("\nانقر هنا لقراءة الخبر من مصدره.\n");
    let started = std::time::Instant::now();
    let outcome = parse_page(page.as_bytes());
    let elapsed = started.elapsed();
    assert_eq!(outcome.page.unwrap().article.blocks.len(), n);
    assert!(elapsed.as_secs() < 20, "parsing 50 MB took {elapsed:?}");
}
