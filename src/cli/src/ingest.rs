//! Reading the inputs of `sahifa build` and `sahifa update` into records: one per page file, one per JSON
//! line. Every record gets a report entry (parsed, duplicate or rejected, with located diagnostics); the
//! accepted ones are kept as small summaries (id, date, title, where to read them again), so memory does not
//! grow with the archive's text. Their full text is read again, on demand, by [`Sources::read_article`].

use crate::inputs::InputFile;
use crate::parallel::parallel_map_reading;
use crate::report::{PageReport, PageStatus};
use sahifa_core::bundle::HeadlineCollector;
use sahifa_core::jsonl::{is_blank_line, parse_json_line};
use sahifa_core::parse::{parse_page, Diagnostic, ParseOutcome, Severity};
use sahifa_core::{Article, Date};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::segments::BATCH;

/// Where a record's bytes are: a whole page file, or one line of a JSON Lines file (a gzipped one is
/// decompressed once into a spool file, so its lines can be read again in any order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    file: u32,
    offset: u64,
    len: u32,
    /// The JSON line's number, or 0 for a page.
    line: u32,
}

/// The files records are read from.
pub struct Sources {
    files: Vec<PathBuf>,
}

/// What is kept of an accepted record: enough to sort the archive and to read the article again.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub id: String,
    pub published: Option<Date>,
    pub title: String,
    pub fingerprint: u64,
    pub source: Source,
}

pub struct Ingested {
    /// One entry per record, in input order.
    pub pages: Vec<PageReport>,
    /// The new articles, in input order, each id once.
    pub accepted: Vec<Accepted>,
    pub headlines: HeadlineCollector,
    pub sources: Sources,
}

/// What the archive already holds under an id: the text fingerprint of that article (see
/// [`Article::text_fingerprint`]), or `None` when the id is new. A build knows nothing; an update asks its bundle.
pub type Existing<'a> = dyn FnMut(&str) -> Result<Option<u64>, String> + 'a;

struct Record {
    shown: String,
    source: Source,
    /// A JSON line's bytes (a page is read by the worker that parses it).
    bytes: Option<Vec<u8>>,
}

enum FirstRead {
    Parsed { published: Option<Date>, title: String, id: String, fingerprint: u64, outlet: Option<String>, headlines: Vec<String>, diagnostics: Vec<Diagnostic> },
    Rejected(PageReport),
}

/// Reads every record of `inputs`; gzipped JSON Lines are decompressed into `spool` (a folder the caller
/// removes). Sidebar headlines go on from `headlines`. `progress` is told how many records were read so far.
pub fn ingest(
    inputs: &[InputFile],
    existing: &mut Existing,
    headlines: HeadlineCollector,
    spool: &Path,
    progress: &dyn Fn(usize, &str),
) -> Result<Ingested, String> {
    let mut state = Dedup { first_of: HashMap::new(), existing, pages: Vec::new(), accepted: Vec::new(), headlines };
    let mut files = Vec::new();
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    let mut seen = 0usize;
    let flush = |batch: &mut Vec<Record>, state: &mut Dedup, files: &[PathBuf]| -> Result<(), String> {
        let reads = parallel_map_reading(batch, |_, record| first_read(record, files));
        for (record, read) in batch.drain(..).zip(reads) {
            state.add(record, read)?;
        }
        Ok(())
    };
    for input in inputs {
        let shown = input.path().display().to_string();
        match input {
            InputFile::Page(path) => {
                files.push(path.clone());
                let source = Source { file: files.len() as u32 - 1, offset: 0, len: 0, line: 0 };
                batch.push(Record { shown: shown.clone(), source, bytes: None });
                seen += 1;
            }
            InputFile::JsonLines { path, gzip } => {
                let opened = std::fs::File::open(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
                let mut reader: Box<dyn BufRead> = if *gzip {
                    Box::new(BufReader::with_capacity(1 << 20, flate2::read::MultiGzDecoder::new(opened)))
                } else {
                    Box::new(BufReader::with_capacity(1 << 20, opened))
                };
                // Lines of a gzipped file are copied to a spool file as they are read, for the second reading.
                let mut spool_file = None;
                if *gzip {
                    std::fs::create_dir_all(spool).map_err(|e| format!("cannot create {}: {e}", spool.display()))?;
                    let spool_path = spool.join(format!("{}.jsonl", files.len()));
                    let file = std::fs::File::create(&spool_path).map_err(|e| format!("cannot create {}: {e}", spool_path.display()))?;
                    spool_file = Some(std::io::BufWriter::with_capacity(1 << 20, file));
                    files.push(spool_path);
                } else {
                    files.push(path.clone());
                }
                let file = files.len() as u32 - 1;
                let (mut offset, mut number) = (0u64, 0u32);
                loop {
                    let mut line = Vec::new();
                    let read = reader.read_until(b'\n', &mut line).map_err(|e| format!("cannot read {shown} after line {number}: {e}"))?;
                    if read == 0 {
                        break;
                    }
                    number += 1;
                    if let Some(spool_file) = spool_file.as_mut() {
                        spool_file.write_all(&line).map_err(|e| format!("cannot write the spool of {shown}: {e}"))?;
                    }
                    let source = Source { file, offset, len: line.len() as u32, line: number };
                    offset += line.len() as u64;
                    if is_blank_line(&line) {
                        continue;
                    }
                    batch.push(Record { shown: format!("{shown}:{number}"), source, bytes: Some(line) });
                    seen += 1;
                    if batch.len() == BATCH {
                        flush(&mut batch, &mut state, &files)?;
                        progress(seen, &shown);
                    }
                }
                if let Some(mut spool_file) = spool_file {
                    spool_file.flush().map_err(|e| format!("cannot write the spool of {shown}: {e}"))?;
                }
            }
        }
        if batch.len() >= BATCH {
            flush(&mut batch, &mut state, &files)?;
            progress(seen, &shown);
        }
    }
    flush(&mut batch, &mut state, &files)?;
    progress(seen, "");
    Ok(Ingested { pages: state.pages, accepted: state.accepted, headlines: state.headlines, sources: Sources { files } })
}

/// [`ingest`] with a record counter on the terminal; the spool is removed if reading fails (the caller
/// removes it once the articles are read again).
pub fn ingest_with_progress(inputs: &[InputFile], existing: &mut Existing, headlines: HeadlineCollector, spool: &Path) -> Result<Ingested, String> {
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(indicatif::ProgressStyle::with_template("{spinner} reading inputs {pos} records {wide_msg}").expect("the template is valid"));
    let ingested = ingest(inputs, existing, headlines, spool, &|records, shown| {
        progress.set_position(records as u64);
        progress.set_message(shown.to_owned());
    });
    progress.finish_and_clear();
    if ingested.is_err() {
        let _ = std::fs::remove_dir_all(spool);
    }
    ingested
}

/// The duplicate rule: a record with the id of an article already seen (same outlet, date and title) is the
/// same article only when its text is the same too; otherwise it is a different article (a recurring column
/// title on the same day) and gets an id of its own from its text.
struct Dedup<'a, 'b> {
    first_of: HashMap<String, (String, u64)>,
    existing: &'a mut Existing<'b>,
    pages: Vec<PageReport>,
    accepted: Vec<Accepted>,
    headlines: HeadlineCollector,
}

impl Dedup<'_, '_> {
    fn add(&mut self, record: Record, read: FirstRead) -> Result<(), String> {
        let (published, title, id, fingerprint, outlet, headlines, mut diagnostics) = match read {
            FirstRead::Rejected(report) => {
                self.pages.push(report);
                return Ok(());
            }
            FirstRead::Parsed { published, title, id, fingerprint, outlet, headlines, diagnostics } => {
                (published, title, id, fingerprint, outlet, headlines, diagnostics)
            }
        };
        self.headlines.add(&headlines);
        let mut final_id = id.clone();
        if let Some(same_key) = self.known(&id)? {
            if same_key.1 == fingerprint {
                let status = PageStatus::Duplicate { article_id: id, duplicate_of: same_key.0 };
                self.pages.push(PageReport { path: record.shown, status, diagnostics });
                return Ok(());
            }
            final_id = Article::id_for_variant(outlet.as_deref(), published, &title, fingerprint);
            if let Some(same_text) = self.known(&final_id)? {
                let status = PageStatus::Duplicate { article_id: final_id, duplicate_of: same_text.0 };
                self.pages.push(PageReport { path: record.shown, status, diagnostics });
                return Ok(());
            }
            let message = format!("same outlet, date and title as {}, but another text: kept as an article of its own", same_key.0);
            diagnostics.push(Diagnostic { severity: Severity::Info, code: "same-title-other-text".into(), message, line: None, byte_offset: None });
        }
        self.first_of.insert(final_id.clone(), (record.shown.clone(), fingerprint));
        self.pages.push(PageReport { path: record.shown, status: PageStatus::Parsed { article_id: final_id.clone() }, diagnostics });
        self.accepted.push(Accepted { id: final_id, published, title, fingerprint, source: record.source });
        Ok(())
    }

    /// Where an id was first seen (an input of this run, or the archive) and its text fingerprint.
    fn known(&mut self, id: &str) -> Result<Option<(String, u64)>, String> {
        if let Some(found) = self.first_of.get(id) {
            return Ok(Some(found.clone()));
        }
        Ok((self.existing)(id)?.map(|fingerprint| (format!("article {id} of the archive"), fingerprint)))
    }
}

fn first_read(record: &Record, files: &[PathBuf]) -> FirstRead {
    let rejected = |code: &str, reason: String| {
        let diagnostic = Diagnostic { severity: Severity::Error, code: code.into(), message: reason.clone(), line: None, byte_offset: None };
        FirstRead::Rejected(PageReport { path: record.shown.clone(), status: PageStatus::Rejected { reason }, diagnostics: vec![diagnostic] })
    };
    let parsed = match &record.bytes {
        Some(line) => guarded(|| parse_json_line(line, record.source.line as usize)),
        None => match std::fs::read(&files[record.source.file as usize]) {
            Ok(bytes) => guarded(|| parse_page(&bytes)),
            Err(error) => return rejected("unreadable", format!("cannot read the file: {error}")),
        },
    };
    let outcome = match parsed {
        Ok(outcome) => outcome,
        Err(reason) => return rejected("parser-failed", reason),
    };
    let Some(page) = outcome.page else {
        let reason = outcome.diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
        return FirstRead::Rejected(PageReport { path: record.shown.clone(), status: PageStatus::Rejected { reason }, diagnostics: outcome.diagnostics });
    };
    let fingerprint = page.article.text_fingerprint();
    let Article { id, title, published, outlet, .. } = page.article;
    FirstRead::Parsed { published, title, id, fingerprint, outlet, headlines: page.headlines, diagnostics: outcome.diagnostics }
}

/// Runs the parser on one input. The parser never fails by design, but a panic in it (a bug, which the fuzz
/// targets hunt for) rejects that one input with the reason, and the build goes on with the others.
fn guarded(parse: impl FnOnce() -> ParseOutcome) -> Result<ParseOutcome, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).map_err(|panic| {
        let why = panic.downcast_ref::<&str>().map(|why| why.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
        format!("the parser failed on this input ({why}): a bug in sahifa; please report it with the input")
    })
}

impl Sources {
    /// Reads an accepted record again: the same article, with the id the first reading gave it.
    pub fn read_article(&self, accepted: &Accepted) -> Result<Article, String> {
        let source = accepted.source;
        let path = &self.files[source.file as usize];
        let outcome: ParseOutcome = if source.line == 0 {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {} again: {e}", path.display()))?;
            parse_page(&bytes)
        } else {
            let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read {} again: {e}", path.display()))?;
            let mut line = vec![0u8; source.len as usize];
            file.seek(SeekFrom::Start(source.offset)).and_then(|_| file.read_exact(&mut line)).map_err(|e| format!("cannot read {} again: {e}", path.display()))?;
            parse_json_line(&line, source.line as usize)
        };
        let mut article = outcome.page.map(|page| page.article).filter(|article| article.text_fingerprint() == accepted.fingerprint).ok_or_else(|| {
            let at = if source.line == 0 { String::new() } else { format!(" (line {})", source.line) };
            format!("{}{at} changed while the bundle was being built; build again", path.display())
        })?;
        article.id = accepted.id.clone();
        Ok(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parser_that_panics_rejects_its_input_with_the_reason() {
        let reason = guarded(|| panic!("index out of bounds")).unwrap_err();
        assert!(reason.contains("index out of bounds") && reason.contains("parser failed"), "{reason}");
        assert!(guarded(|| parse_page(b"")).is_ok(), "a page that does not panic is parsed as usual");
    }
}
