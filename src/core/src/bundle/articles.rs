//! Article shards: the full texts, a shard of consecutive documents of one segment per file. A reader who
//! opens one article reads only its bytes: the shard is written so that each article's JSON is a byte range
//! of it, and its listing row and id bucket record that range (`TextRange`). Whole shards are still what
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
    fn a_piece_that_is_not_one_article_is_an_error() {
        let bytes = to_json(&article(1));
        assert!(article_of_piece("p", &bytes[..bytes.len() - 1]).is_err());
        assert!(article_of_piece("p", b"").is_err());
        assert!(article_of_piece("p", b"[1,2]").is_err());
    }
}
