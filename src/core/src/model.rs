//! The article model: what a page is once its boilerplate and crawl-time sidebar are stripped.

use crate::date::Date;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Subheading,
}

/// One block of an article body, in reading order. `text` is the original text with whitespace tidied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Derived from outlet, date and title, so the same story gets the same id in every build.
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub blocks: Vec<Block>,
    /// Where the article was first published, when the input says so: always an `http` or `https` address
    /// (see [`source_url`]), so the viewer can link to it safely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Article {
    /// The stable id of an article with this outlet, date and title. Two pages that agree on all three are
    /// the same article, so they get the same id and the builder merges them.
    pub fn id_for(outlet: Option<&str>, published: Option<Date>, title: &str) -> String {
        let published = published.map(|date| date.to_string()).unwrap_or_default();
        let key = format!("{}\u{1F}{}\u{1F}{}", outlet.unwrap_or(""), published, title);
        format!("{:016x}", fnv1a_64(key.as_bytes()))
    }

    /// A one-paragraph article of `outlet` for tests, with its proper id.
    #[cfg(test)]
    pub(crate) fn for_test(title: &str, outlet: &str, published: Option<Date>) -> Article {
        Article {
            id: Article::id_for(Some(outlet), published, title),
            title: title.into(),
            outlet: Some(outlet.into()),
            published,
            blocks: vec![Block { kind: BlockKind::Paragraph, text: "نص".into() }],
            url: None,
        }
    }

    /// The id of an article that shares outlet, date and title with another one but not its text (a recurring
    /// column title on the same day, say): the text joins the key, so each such article keeps an id of its
    /// own and the same text always gets the same one.
    pub fn id_for_variant(outlet: Option<&str>, published: Option<Date>, title: &str, text_fingerprint: u64) -> String {
        Article::id_for(outlet, published, &format!("{title}\u{1F}{text_fingerprint:016x}"))
    }

    /// A hash of the article's words as published (title and blocks): two inputs with the same id are the same
    /// article only when this agrees too.
    pub fn text_fingerprint(&self) -> u64 {
        let mut hash = ContentHash::default();
        hash.write(self.title.as_bytes());
        for block in &self.blocks {
            hash.write(&[0x1E]);
            hash.write(block.text.as_bytes());
        }
        hash.finish()
    }

    /// The first characters of the body, cut at a word boundary, for list views.
    pub fn excerpt(&self, max_chars: usize) -> String {
        let first = self.blocks.iter().find(|block| block.kind == BlockKind::Paragraph);
        let Some(first) = first else { return String::new() };
        shorten_at_word(&first.text, max_chars)
    }
}

/// Cuts `text` to at most `max_chars` characters at a space and marks the cut with an ellipsis.
pub fn shorten_at_word(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', '،', ',', '.']))
}

/// Checks an article's source address: only absolute `http` and `https` addresses without control characters
/// are kept, so a `javascript:` or `data:` address can never become a link. Spaces inside (scraped Arabic
/// slugs have them) are written as `%20`, as a browser would send them.
pub fn source_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let scheme_end = text.find("://").ok_or_else(|| format!("`{}` is not an absolute address", shorten_at_word(text, 60)))?;
    let scheme = text[..scheme_end].to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!("the address scheme `{}` is not http or https", shorten_at_word(&text[..scheme_end], 20)));
    }
    if text.len() == scheme_end + 3 || text.chars().any(char::is_control) {
        return Err("the address is empty after its scheme or holds control characters".to_owned());
    }
    Ok(text.split(char::is_whitespace).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("%20"))
}

/// A fast 64-bit hash of bytes, eight at a time, for naming files by their content and telling texts apart:
/// it reads the gigabytes of a large build several times faster than FNV-1a, which reads a byte at a time.
/// Stable across platforms and releases (little-endian words, fixed constants), as file names must be.
#[derive(Clone, Copy, Debug)]
pub struct ContentHash {
    state: u64,
    length: u64,
    /// Bytes waiting for a whole word.
    pending: [u8; 8],
    pending_len: usize,
}

impl Default for ContentHash {
    fn default() -> ContentHash {
        ContentHash { state: 0x243F_6A88_85A3_08D3, length: 0, pending: [0; 8], pending_len: 0 }
    }
}

impl ContentHash {
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

    pub fn write(&mut self, mut bytes: &[u8]) {
        self.length += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.mix(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in words.by_ref() {
            self.mix(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(Self::MULTIPLIER).rotate_left(29);
    }

    pub fn finish(mut self) -> u64 {
        let mut last = [0u8; 8];
        last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        self.mix(u64::from_le_bytes(last) ^ self.length.rotate_left(56));
        // A final avalanche, so that every input bit reaches every output bit.
        let mut hash = self.state;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        hash ^ (hash >> 33)
    }
}

/// [`ContentHash`] of one run of bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash = ContentHash::default();
    hash.write(bytes);
    hash.finish()
}

/// FNV-1a: tiny, dependency-free and stable across platforms and releases, which is what an id needs.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_depend_on_outlet_date_and_title() {
        let date = Date::new(2025, 12, 17).ok();
        let id = Article::id_for(Some("هسبريس"), date, "عنوان");
        assert_eq!(id.len(), 16);
        assert_eq!(id, Article::id_for(Some("هسبريس"), date, "عنوان"));
        assert_ne!(id, Article::id_for(Some("الأول"), date, "عنوان"));
        assert_ne!(id, Article::id_for(Some("هسبريس"), None, "عنوان"));
    }

    #[test]
    fn the_content_hash_is_stable_and_the_same_however_the_bytes_are_fed() {
        let text = "حصيلة التعاون الأمني الدولي بالمغرب".as_bytes();
        assert_eq!(content_hash(b""), content_hash(b""));
        assert_ne!(content_hash(b"a"), content_hash(b"a\0"));
        assert_ne!(content_hash(text), content_hash(&text[1..]));
        for split in 0..text.len() {
            let mut hash = ContentHash::default();
            hash.write(&text[..split]);
            hash.write(&text[split..]);
            assert_eq!(hash.finish(), content_hash(text), "split at {split}");
        }
        // File names depend on it: it must never change between releases.
        assert_eq!(format!("{:016x}", content_hash(b"sahifa")), "22fcf80b18b0f0e3");
        let hashes: std::collections::HashSet<u64> = (0..10_000u32).map(|n| content_hash(&n.to_le_bytes())).collect();
        assert_eq!(hashes.len(), 10_000);
    }

    #[test]
    fn only_http_and_https_source_addresses_are_kept() {
        assert_eq!(source_url(" https://example.com/a?b=1 ").as_deref(), Ok("https://example.com/a?b=1"));
        assert!(source_url("HTTP://example.com").is_ok());
        assert_eq!(source_url("http://a.net/ar/article/ صينيّة-تنجب/106").as_deref(), Ok("http://a.net/ar/article/%20صينيّة-تنجب/106"));
        for bad in ["javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,<b>", "//example.com", "https://", "https://a\nb", "ftp://x"] {
            assert!(source_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn variants_of_one_outlet_date_and_title_get_distinct_stable_ids() {
        let date = Date::new(2015, 8, 1).ok();
        let a = Article::id_for_variant(Some("عكاظ"), date, "آخر مستجدات السياحة في العالم", 1);
        assert_eq!(a, Article::id_for_variant(Some("عكاظ"), date, "آخر مستجدات السياحة في العالم", 1));
        assert_ne!(a, Article::id_for_variant(Some("عكاظ"), date, "آخر مستجدات السياحة في العالم", 2));
        assert_ne!(a, Article::id_for(Some("عكاظ"), date, "آخر مستجدات السياحة في العالم"));
    }

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(shorten_at_word("واحد اثنان ثلاثة", 12), "واحد اثنان…");
        assert_eq!(shorten_at_word("قصير", 12), "قصير");
    }
}
