//! `sahifa related`: the related articles a bundle holds (core `related`), read through the catalog as the
//! viewer reads them: how many articles have some, and a sample to judge by hand.

use crate::bundle_dir::BundleOnDisk;
use crate::list::all_rows;
use crate::output::outln;
use crate::EXIT_OK;
use std::path::Path;

pub fn run(dir: &Path, sample: usize) -> Result<u8, String> {
    let mut bundle = BundleOnDisk::open(dir)?;
    let rows = all_rows(&mut bundle)?;
    let mut lists = Vec::with_capacity(rows.len());
    for doc in 0..rows.len() as u32 {
        lists.push(bundle.ask(|catalog| catalog.related(doc))?);
    }
    let with_some = lists.iter().filter(|list| !list.is_empty()).count();
    let named: usize = lists.iter().map(Vec::len).sum();
    outln!("articles: {}", rows.len());
    outln!("with related articles: {with_some} ({:.1} %)", 100.0 * with_some as f64 / rows.len().max(1) as f64);
    outln!("related articles per article with some: {:.2}", named as f64 / with_some.max(1) as f64);
    // A sample spread over the articles that have some, the same on every run.
    let having: Vec<usize> = (0..rows.len()).filter(|&doc| !lists[doc].is_empty()).collect();
    let step = (having.len() / sample.max(1)).max(1);
    let line = |doc: usize| {
        let row = &rows[doc];
        let date = row.published.map(|date| date.to_string()).unwrap_or_default();
        format!("{date}  {}  {}", row.outlet.as_deref().unwrap_or("-"), row.title.chars().take(90).collect::<String>())
    };
    for (k, &doc) in having.iter().step_by(step).take(sample).enumerate() {
        outln!("\n#{} {}", k + 1, line(doc));
        for &other in &lists[doc] {
            outln!("   → {}", line(other as usize));
        }
    }
    Ok(EXIT_OK)
}
