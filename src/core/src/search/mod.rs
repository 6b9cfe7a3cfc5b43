//! Search over a bundle. One normalizer and one stemmer serve the index and the query; the same rules mark
//! the matches in the original text.

pub mod highlight;
pub mod index;
pub mod positions;
pub mod query;
pub mod rank;

pub use highlight::{plain, Highlighter, Segment};
pub use index::{FieldIndex, Posting, SearchIndex};
pub use positions::Positions;
pub use query::{complete_last_word, spelled_in, Query};
pub use rank::Hit;
