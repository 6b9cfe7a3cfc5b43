//! The views: the list (home), one article, and the shelf. Each reads the router and the store from context.

pub mod article;
pub mod home;
pub mod list_actions;
pub mod shelf;

pub use article::ArticlePage;
pub use home::HomePage;
pub use shelf::ShelfPage;
