//! Names the viewer and its service worker share. `cargo xtask finish-site` writes them into `sw.js`, so each
//! is written once, here.

/// Where the bundle sits relative to `index.html`.
pub const BUNDLE_FOLDER: &str = "data/";
/// The cache of bundle files. They are content-hashed, so one cache holds them across builds; the worker
/// prunes what a new build no longer names.
pub const DATA_CACHE: &str = "sahifa-data";
/// Each build's app shell lives in a cache named by this prefix and the build's id.
pub const SHELL_CACHE_PREFIX: &str = "sahifa-shell-";
/// Kept in the data cache once the reader saved the whole archive: after an update the app downloads the new
/// files too, so the saved archive stays complete, and the worker never prunes it.
pub const SAVED_MARKER: &str = "data/.saved-archive";
/// The search worker's script, beside `index.html` (`public/search-worker.js`): the viewer starts it, and the
/// host's headers give it the page's Content-Security-Policy (a worker runs under its own response's policy).
pub const SEARCH_WORKER_SCRIPT: &str = "search-worker.js";
