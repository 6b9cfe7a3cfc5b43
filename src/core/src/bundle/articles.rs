//! Article shards: the full texts, a shard of consecutive documents of one segment per file. A reader who
//! opens one article reads only its bytes: the shard is written so that each article's JSON is a byte range
//! of it, and the listing rows and id buckets record that range (`TextRange`). Whole shards are still what
//! an offline save, an export or an update reads.

use crate::Article;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleShard {
    /// The segment-local number of the first article.
    pub first: u32,
    pub articles: Vec<Article>,
}

/// Where one article's JSON lies in its shard: byte offset and length. On real SaudiNewsNet a shard of 256
/// articles is about 200 KB brotli and one article's range about 5 KB, raw as ranges travel.
pub type TextRange = (u32, u32);

/// Where consecutive documents' articles lie in their shards, written compactly for the listing rows: each
/// article's length, and where each run of them begins (the first document, and any that starts another
/// shard). Within a run an article follows the one before it and a comma. Ranges as pairs made the listing
/// rows of real JawharaFM 5.7 % larger (brotli), which every card shown pays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRuns {
    /// (index of the run's first document, its article's offset).
    pub starts: Vec<(u32, u32)>,
    pub lengths: Vec<u32>,
}

impl TextRuns {
    pub fn from_ranges(ranges: &[TextRange]) -> TextRuns {
        let mut runs = TextRuns::default();
        let mut next = None;
        for (index, &(offset, len)) in ranges.iter().enumerate() {
            if next != Some(offset) {
                runs.starts.push((index as u32, offset));
            }
            runs.lengths.push(len);
            next = offset.checked_add(len).and_then(|end| end.checked_add(1));
        }
        runs
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The range of document `index`; `None` past the end, or where the runs (from the network) contradict
    /// themselves.
    pub fn get(&self, index: usize) -> Option<TextRange> {
        let len = *self.lengths.get(index)?;
        let run = self.starts.partition_point(|&(first, _)| first as usize <= index).checked_sub(1)?;
        let (first, mut offset) = self.starts[run];
        for &before in self.lengths.get(first as usize..index)? {
            offset = offset.checked_add(before)?.checked_add(1)?;
        }
        Some((offset, len))
    }
}

/// Writes an article shard one article at a time, byte for byte what `to_json(&ArticleShard)` writes, and
/// tells where each article went.
#[derive(Debug, Default)]
pub struct ArticleShardWriter {
    bytes: Vec<u8>,
    articles: u32,
}

impl ArticleShardWriter {
    /// Appends `article`, the shard's first when the writer is empty (then `first` is its number).
    pub fn push(&mut self, first: u32, article: &Article) -> TextRange {
        if self.articles == 0 {
            self.bytes.clear();
            self.bytes.extend_from_slice(format!("{{\"first\":{first},\"articles\":[").as_bytes());
        } else {
            self.bytes.push(b',');
        }
        let start = self.bytes.len();
        serde_json::to_writer(&mut self.bytes, article).expect("articles always serialize");
        self.articles += 1;
        (start as u32, (self.bytes.len() - start) as u32)
    }

    pub fn len(&self) -> u32 {
        self.articles
    }

    pub fn is_empty(&self) -> bool {
        self.articles == 0
    }

    /// The shard's bytes; the writer is empty again.
    pub fn finish(&mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(b"]}");
        self.articles = 0;
        std::mem::take(&mut self.bytes)
    }
}

/// The piece of a shard a `TextRange` names, read as the article it holds. The bytes come from the network:
/// anything but one article's JSON is an error.
pub fn article_of_piece(path: &str, piece: &[u8]) -> Result<Article, super::FormatError> {
    serde_json::from_slice(piece).map_err(|error| super::FormatError::Unreadable { path: path.to_owned(), why: error.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::to_json;
    use crate::model::{Block, BlockKind};

    /// An article whose text holds what the shard's own syntax uses (quotes, commas, brackets).
    fn article(n: u32) -> Article {
        let mut article = Article::for_test(&format!("عنوان {n} \"مقتبس\""), "هسبريس", None);
        article.blocks = vec![Block { kind: BlockKind::Paragraph, text: format!("فقرة {n}, وفيها ] و }} .") }];
        article
    }

    #[test]
    fn a_shard_written_article_by_article_is_the_shard_serde_writes_and_each_range_holds_its_article() {
        let articles: Vec<Article> = (0..3).map(article).collect();
        let mut writer = ArticleShardWriter::default();
        let ranges: Vec<TextRange> = articles.iter().map(|a| writer.push(512, a)).collect();
        assert_eq!(writer.len(), 3);
        let bytes = writer.finish();
        assert_eq!(bytes, to_json(&ArticleShard { first: 512, articles: articles.clone() }));
        for (range, expected) in ranges.iter().zip(&articles) {
            let piece = &bytes[range.0 as usize..(range.0 + range.1) as usize];
            assert_eq!(&article_of_piece("articles/x.json", piece).unwrap(), expected);
        }
        // The writer starts the next shard afresh.
        assert!(writer.is_empty());
        assert_eq!(writer.push(515, &articles[0]).0 as usize, "{\"first\":515,\"articles\":[".len());
    }

    #[test]
    fn runs_give_back_every_range_they_were_made_of() {
        // Two shards' articles in one run of rows: the fourth row starts the second shard.
        let ranges = [(24, 100), (125, 7), (133, 50), (24, 9), (34, 1)];
        let runs = TextRuns::from_ranges(&ranges);
        assert_eq!(runs.starts, [(0, 24), (3, 24)]);
        assert_eq!((0..ranges.len()).map(|i| runs.get(i).unwrap()).collect::<Vec<_>>(), ranges);
        assert_eq!(runs.get(5), None);
        assert!(TextRuns::from_ranges(&[]).is_empty());
        // Runs from the network that contradict themselves answer nothing rather than panic.
        let broken = TextRuns { starts: vec![(3, 0)], lengths: vec![5, 5] };
        assert_eq!(broken.get(1), None);
        let overflowing = TextRuns { starts: vec![(0, u32::MAX)], lengths: vec![5, 5] };
        assert_eq!(overflowing.get(1), None);
        let past = TextRuns { starts: vec![(0, 0), (9, 4)], lengths: vec![5, 5] };
        assert_eq!(past.get(1), Some((6, 5)));
    }

    #[test]
    fn a_piece_that_is_not_one_article_is_an_error() {
        let bytes = to_json(&article(1));
        assert!(article_of_piece("p", &bytes[..bytes.len() - 1]).is_err());
        assert!(article_of_piece("p", b"").is_err());
        assert!(article_of_piece("p", b"[1,2]").is_err());
    }
}
