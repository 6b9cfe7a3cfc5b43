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
}

impl Article {
    /// The stable id of an article with this outlet, date and title. Two pages that agree on all three are
    /// the same article, so they get the same id and the builder merges them.
    pub fn id_for(outlet: Option<&str>, published: Option<Date>, title: &str) -> String {
        let published = published.map(|date| date.to_string()).unwrap_or_default();
        let key = format!("{}\u{1F}{}\u{1F}{}", outlet.unwrap_or(""), published, title);
        format!("{:016x}", fnv1a_64(key.as_bytes()))
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
    fn excerpts_cut_at_a_word() {
        assert_eq!(shorten_at_word("واحد اثنان ثلاثة", 12), "واحد اثنان…");
        assert_eq!(shorten_at_word("قصير", 12), "قصير");
    }
}
