//! Sahifa's pure core. It holds the article model, the page parser, the one Arabic normalizer, search, the
//! URL view state and the bundle's wire types. It does no IO and knows nothing of browsers or terminals, so
//! the native CLI and the wasm viewer share every rule in it.

#![forbid(unsafe_code)]

pub mod archive;
pub mod bundle;
pub mod codec;
pub mod fast_map;
pub mod files;
#[cfg(test)]
mod fixtures;
pub mod first_screen;
pub mod hijri;
pub mod jsonl;
pub mod date;
pub mod export;
pub mod model;
pub mod normalize;
pub mod offline;
pub mod parse;
mod presentation_forms;
pub mod reading;
pub mod related;
pub mod route;
pub mod search;
pub mod shelf;
pub mod stem;
pub mod story;
pub mod synth;

pub use date::Date;
pub use model::{Article, Block, BlockKind};
pub mod text;
pub mod timeline;
pub mod view;
pub mod virtual_list;
