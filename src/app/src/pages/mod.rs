//! The two views: the list (home) and one article. Each reads the router and the store from context.

pub mod article;
pub mod home;

pub use article::ArticlePage;
pub use home::HomePage;
