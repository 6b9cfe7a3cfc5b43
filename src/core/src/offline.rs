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
/// Where the search package (built with wasm-pack from `src/search-wasm`) sits relative to `index.html`.
pub const SEARCH_PACKAGE_FOLDER: &str = "search/";
/// The search package's wasm, in `SEARCH_PACKAGE_FOLDER`. The page downloads it the moment it starts the
/// search worker and hands it over, so it travels beside the worker's script instead of after it.
pub const SEARCH_PACKAGE_WASM: &str = "search/sahifa_search_bg.wasm";
/// The search package's JavaScript module and its type declarations, in `SEARCH_PACKAGE_FOLDER`, for pages
/// that import the package (README, "Search from any page"). The viewer never loads them: the search
/// worker's script carries the module's code, so the service worker does not precache them.
pub const SEARCH_PACKAGE_SCRIPT: &str = "search/sahifa_search.js";
pub const SEARCH_PACKAGE_TYPES: &str = "search/sahifa_search.d.ts";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_package_files_are_in_the_package_folder() {
        for (path, extension) in [(SEARCH_PACKAGE_WASM, ".wasm"), (SEARCH_PACKAGE_SCRIPT, ".js"), (SEARCH_PACKAGE_TYPES, ".d.ts")] {
            let name = path.strip_prefix(SEARCH_PACKAGE_FOLDER).unwrap();
            assert!(name.ends_with(extension) && !name.contains('/'), "{name}");
        }
    }
}
