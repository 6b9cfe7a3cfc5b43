//! Finishing a built site: Trunk's post-build hook. It puts the bundle into `data/`, and for release builds
//! moves Trunk's inline loader into a file (so the Content-Security-Policy needs no 'unsafe-inline'), adds
//! the CSP, writes the service worker with this build's exact file list, and writes `_headers` for hosts that
//! read it. Development builds get a worker that removes itself, so `trunk serve` never serves stale code.

use crate::{repo_root, say};
use sahifa_core::archive::ArchiveInfo;
use sahifa_core::bundle::catalog::resolve;
use sahifa_core::bundle::{read_manifest, Catalog, DirectoryPage, FamilyKind, Segment, FOLDERS, MANIFEST_FILE};
use sahifa_core::first_screen::{
    drawn_article_key, inline_script, DrawnArticle, BOOT_ELEMENT_ID, DATA_ELEMENT_ID, DRAWING_PROMISE, DRAWN_ARTICLES_ELEMENT_ID, DRAWN_FOLDER, EARLY_FILES_ELEMENT_ID, END_MARK, script_json, SCREEN_ELEMENT_ID,
    START_MARK,
};
use sahifa_core::model::fnv1a_64;
use base64::Engine;
use sha2::{Digest, Sha256};
use sahifa_core::offline::{BUNDLE_FOLDER, DATA_CACHE, SAVED_MARKER, SEARCH_PACKAGE_FOLDER, SEARCH_PACKAGE_WASM, SEARCH_WORKER_SCRIPT, SHELL_CACHE_PREFIX};
use std::path::{Path, PathBuf};

/// The policy for the meta tag. `frame-ancestors` only works as a header, so `_headers` adds it. The one
/// inline script (display preferences and the first screen's address check) is allowed by its hash, and so is
/// the archive's one inline style (its accent colour), when it has one.
pub fn content_security_policy(inline_style: Option<&str>) -> String {
    let hash = |text: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
    let check = hash(&inline_script());
    let style = inline_style.map(|style| format!(" 'sha256-{}'", hash(style))).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{check}'; style-src 'self'{style}; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// The archive's accent colour as the one inline style of the page: style.css reads `--archive-accent` for
/// the light themes' accent (the dark theme keeps its own, light enough to read on dark paper).
fn archive_style(archive: &ArchiveInfo) -> Option<String> {
    archive.accent.as_ref().map(|accent| format!(":root{{--archive-accent:{accent}}}"))
}

/// Text for HTML, inside an element or a quoted attribute.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Replaces what stands between `open` and the next `close` in `html`, if `open` is there.
fn replace_between(html: &mut String, open: &str, close: &str, with: &str) -> Result<(), String> {
    let Some(start) = html.find(open).map(|at| at + open.len()) else { return Ok(()) };
    let end = start + html[start..].find(close).ok_or_else(|| format!("index.html: {open} is not closed"))?;
    html.replace_range(start..end, with);
    Ok(())
}

const SERVICE_WORKER: &str = "sw.js";
/// What the app looks for before registering the worker.
const WORKER_META: &str = r#"<meta name="sahifa-service-worker" content="sw.js">"#;

/// A worker for development builds: it clears Sahifa's caches and unregisters itself, then reloads its pages.
fn self_removing_worker() -> String {
    format!(
        "// Development build: no offline cache. A worker left here by a release build replaces itself with
// this one, which clears Sahifa's caches, unregisters and reloads its pages so they run the fresh code.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {{
  for (const name of await caches.keys()) if (name === {DATA_CACHE:?} || name.startsWith({SHELL_CACHE_PREFIX:?})) await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({{ type: 'window' }})) client.navigate(client.url);
}})()));
"
    )
}

pub struct Site {
    pub dir: PathBuf,
    pub release: bool,
    /// Where the site will be served from, as Trunk's `--public-url` says (`./` for anywhere).
    pub public_url: String,
}

impl Site {
    pub fn finish(&self) -> Result<(), String> {
        if !self.release {
            say("development build: writing a self-removing service worker");
            return write(&self.dir.join(SERVICE_WORKER), self_removing_worker().as_bytes());
        }
        let data_plan = self.data_plan()?;
        let archive = data_plan.archive.clone();
        self.finish_page(&archive)?;
        self.write_web_manifest(&archive)?;
        // Only the app shell is listed file by file. The bundle can hold tens of thousands of files, so the
        // worker is told only the entry files and the directory pages, which name the rest.
        let shell: Vec<String> = list_files(&self.dir)?
            .into_iter()
            .filter(|path| !path.starts_with(BUNDLE_FOLDER) && is_shell_file(path) && !path.ends_with(".gz") && !path.ends_with(".br"))
            .collect();
        self.write_service_worker(&shell, &data_plan)?;
        self.write_headers(&shell, &archive)?;
        say(&format!(
            "site finished: {} shell files precached; {} data entry files and {} directory pages name the bundle's {} files",
            shell.len(),
            data_plan.entries.len(),
            data_plan.directories.len(),
            data_plan.total_files
        ));
        Ok(())
    }

    /// Moves Trunk's inline `<script type="module">` loader into `boot-<hash>.js`, draws the first screen into
    /// the page (`sahifa_app::first_screen`) and adds the CSP and the service-worker meta tags. Running it again
    /// on a finished page draws the first screen afresh and changes nothing else.
    fn finish_page(&self, archive: &ArchiveInfo) -> Result<(), String> {
        let index_path = self.dir.join("index.html");
        let mut html = std::fs::read_to_string(&index_path).map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
        // The publisher's archive: its title, description and colour (`sahifa build --archive`).
        replace_between(&mut html, "<title>", "</title>", &escape_html(&archive.page_title(None)))?;
        replace_between(&mut html, "<meta name=\"description\" content=\"", "\"", &escape_html(&archive.description))?;
        if let Some(accent) = &archive.accent {
            replace_between(&mut html, "<meta name=\"theme-color\" content=\"", "\"", accent)?;
        }
        let style = archive_style(archive);
        const STYLE_OPEN: &str = "<style id=\"archive-style\">";
        match (html.find(STYLE_OPEN), &style) {
            (Some(_), Some(style)) => replace_between(&mut html, STYLE_OPEN, "</style>", style)?,
            (Some(start), None) => {
                let end = start + html[start..].find("</style>").ok_or("the archive's style is not closed")? + "</style>".len();
                html.replace_range(start..end, "");
            }
            (None, Some(style)) => {
                let at = html.find("</head>").ok_or("index.html has no </head>")?;
                html.insert_str(at, &format!("  {STYLE_OPEN}{style}</style>\n"));
            }
            (None, None) => {}
        }
        const OPEN: &str = "<script type=\"module\">";
        if let Some(start) = html.find(OPEN) {
            let body_start = start + OPEN.len();
            let end = body_start + html[body_start..].find("</script>").ok_or("Trunk's loader script is not closed")?;
            let loader = loader_after_first_paint(html[body_start..end].trim())? + "\n";
            let name = format!("boot-{:016x}.js", fnv1a_64(loader.as_bytes()));
            write(&self.dir.join(&name), loader.as_bytes())?;
            let tag = format!("<script type=\"module\" src=\"{}{name}\"></script>", self.public_url);
            html.replace_range(start..end + "</script>".len(), &tag);
        }
        // The wasm is asked for by the loader once the first screen is painted (see `loader_after_first_paint`),
        // so Trunk's early request for it goes.
        let wasm_preload = |html: &str| {
            html.match_indices("<link rel=\"preload\"")
                .map(|(start, _)| start..start + html[start..].find('>').map_or(html.len() - start, |end| end + 1))
                .find(|tag| html[tag.clone()].contains("_bg.wasm"))
        };
        while let Some(tag) = wasm_preload(&html) {
            html.replace_range(tag, "");
        }
        self.draw_first_screen(&mut html)?;
        // The policy names the inline script by its hash: written afresh each time, so a page finished again by a
        // newer Sahifa (another script) is never left with a policy that blocks it.
        const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
        if let Some(start) = html.find(CSP_META).map(|at| at + CSP_META.len()) {
            let end = start + html[start..].find('"').ok_or("the Content-Security-Policy meta tag is not closed")?;
            html.replace_range(start..end, &content_security_policy(style.as_deref()));
        } else {
            let meta = format!("{CSP_META}{}\">\n  {WORKER_META}", content_security_policy(style.as_deref()));
            let charset = "<meta charset=\"utf-8\">";
            let at = html.find(charset).ok_or("index.html has no <meta charset=\"utf-8\">")? + charset.len();
            html.insert_str(at, &format!("\n  {meta}"));
        }
        write(&index_path, html.as_bytes())
    }

    /// The newest articles' list, drawn by the app's components, with the files it was drawn from and the
    /// address check, between the first screen's marks (added before `</body>` the first time). The start-up
    /// note is hidden: the check shows it again for any other address.
    fn draw_first_screen(&self, html: &mut String) -> Result<(), String> {
        let data = self.dir.join(BUNDLE_FOLDER);
        let mut read = |path: &str| std::fs::read(data.join(path)).map_err(|e| format!("cannot read {BUNDLE_FOLDER}{path}: {e}"));
        let drawn = sahifa_app::first_screen::draw_home(&mut read)?;
        let articles = self.write_drawn_articles(sahifa_app::first_screen::draw_articles(&mut read, &drawn)?)?;
        let early: Vec<(String, String)> = sahifa_app::first_screen::early_files(&drawn)?
            .into_iter()
            .map(|path| {
                let address = format!("{}{BUNDLE_FOLDER}{path}", self.public_url);
                (path, address)
            })
            .collect();
        let json_script = |id: &str, json: String| format!("<script type=\"application/json\" id=\"{id}\">{json}</script>\n");
        let block = format!(
            "{START_MARK}<div id=\"{SCREEN_ELEMENT_ID}\" class=\"first-screen\">{}</div>\n{}{}{}<script>{}</script>{END_MARK}",
            drawn.html,
            json_script(DATA_ELEMENT_ID, drawn.embedded.to_script_text()),
            json_script(DRAWN_ARTICLES_ELEMENT_ID, script_json(&articles)),
            json_script(EARLY_FILES_ELEMENT_ID, script_json(&early)),
            inline_script()
        );
        match (html.find(START_MARK), html.find(END_MARK)) {
            (Some(start), Some(end)) if start < end => html.replace_range(start..end + END_MARK.len(), &block),
            _ => {
                let body_end = html.rfind("</body>").ok_or("index.html has no </body>")?;
                html.insert_str(body_end, &format!("{block}\n"));
            }
        }
        let boot = format!("id=\"{BOOT_ELEMENT_ID}\"");
        if !html.contains(&format!("{boot} hidden")) {
            let at = html.find(&boot).ok_or_else(|| format!("index.html has no element with {boot}"))? + boot.len();
            html.insert_str(at, " hidden");
        }
        Ok(())
    }

    /// Writes each drawn article into `DRAWN_FOLDER`, named by its content's hash (the folder is emptied
    /// first, so a site finished again keeps no drawing of an article that left the first screen), and answers
    /// the page's map from each article's address to its file.
    fn write_drawn_articles(&self, drawn: Vec<(String, DrawnArticle)>) -> Result<std::collections::BTreeMap<String, String>, String> {
        let folder = self.dir.join(DRAWN_FOLDER);
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(|e| format!("cannot empty {}: {e}", folder.display()))?;
        }
        std::fs::create_dir_all(&folder).map_err(|e| format!("cannot make {}: {e}", folder.display()))?;
        let mut addresses = std::collections::BTreeMap::new();
        for (id, article) in drawn {
            let bytes = serde_json::to_vec(&article).expect("strings always serialize");
            let name = format!("{:016x}.json", fnv1a_64(&bytes));
            write(&folder.join(&name), &bytes)?;
            addresses.insert(drawn_article_key(&id), format!("{}{DRAWN_FOLDER}{name}", self.public_url));
        }
        Ok(addresses)
    }

    /// What the worker and the page need to know of the bundle: the files the first screen needs (the
    /// manifest, and the newest articles' listing shard with the segment descriptor and directory page that
    /// name it), the entry files outside the directories (manifest, headlines, segment descriptors), and the
    /// directory pages. Found through the core's catalog, as the viewer finds them.
    fn data_plan(&self) -> Result<DataPlan, String> {
        let data = self.dir.join(BUNDLE_FOLDER);
        let mut read = |path: &str| std::fs::read(data.join(path)).map_err(|e| format!("cannot read {BUNDLE_FOLDER}{path}: {e}"));
        let manifest_bytes = read(MANIFEST_FILE)?;
        let manifest = read_manifest(&manifest_bytes).map_err(|e| e.to_string())?;
        let mut catalog = Catalog::new(manifest.clone()).map_err(|e| e.to_string())?;
        let all = resolve(&mut catalog, &mut read, |catalog| catalog.all_files())?;
        let mut startup = vec![MANIFEST_FILE.to_owned()];
        if let Some(at) = resolve(&mut catalog, &mut read, |catalog| catalog.shard_of(FamilyKind::Listing, 0))? {
            let segment = resolve(&mut catalog, &mut read, |catalog| catalog.segment(at.segment).cloned())?;
            startup.push(manifest.segments[at.segment].file.clone());
            startup.extend(segment.listing.locate(at.number).map(|(page, _)| page.to_owned()));
            startup.extend(resolve(&mut catalog, &mut read, |catalog| catalog.file(FamilyKind::Listing, at.segment, at.number))?);
        }
        startup.push(manifest.headlines.clone());
        let segments: Vec<Segment> =
            (0..manifest.segments.len()).map(|n| resolve(&mut catalog, &mut read, |catalog| catalog.segment(n).cloned())).collect::<Result<_, _>>()?;
        let descriptors: Vec<String> = manifest.segments.iter().map(|segment| segment.file.clone()).collect();
        // A small archive's whole search index is cached at install too (the segments' descriptors hold its
        // roots), so search and its facet counts work offline after one visit; a large one is searched
        // offline once the reader saves it ("save for offline").
        let search_pages: Vec<&String> = segments.iter().flat_map(|segment| &segment.search_files.directory).collect();
        let search_bytes: u64 = all.iter().filter(|(path, _)| path.starts_with("search/") || search_pages.contains(&path)).map(|(_, size)| size).sum();
        if search_bytes <= PRECACHED_SEARCH_BYTES {
            startup.extend(descriptors.iter().cloned());
            for segment in &segments {
                for family in [&segment.search_files, &segment.outlet_column] {
                    startup.extend(family.directory.iter().cloned());
                }
            }
            let small_families: Vec<&String> = segments.iter().flat_map(|s| s.outlet_column.directory.iter().chain(&s.search_files.directory)).collect();
            for page in small_families {
                let directory: DirectoryPage = serde_json::from_slice(&read(page)?).map_err(|e| format!("{BUNDLE_FOLDER}{page}: {e}"))?;
                startup.extend(directory.files.into_iter().map(|(path, _)| path));
            }
        }
        // Cache.addAll refuses a list that names a file twice.
        let mut seen = std::collections::HashSet::new();
        startup.retain(|path| seen.insert(path.clone()));
        let directories: Vec<String> = segments.iter().flat_map(|segment| segment.families().into_iter().flat_map(|family| family.directory.clone())).collect();
        let mut entries = vec![MANIFEST_FILE.to_owned(), manifest.headlines.clone()];
        entries.extend(descriptors);
        let prefix = |paths: Vec<String>| paths.into_iter().map(|path| format!("{BUNDLE_FOLDER}{path}")).collect::<Vec<_>>();
        Ok(DataPlan {
            startup: prefix(startup),
            entries: prefix(entries),
            directories: prefix(directories),
            manifest_bytes,
            total_files: manifest.total_files,
            archive: manifest.archive.clone(),
        })
    }

    fn write_service_worker(&self, shell: &[String], data: &DataPlan) -> Result<(), String> {
        let template_path = repo_root().join("public").join(SERVICE_WORKER);
        let template = std::fs::read_to_string(&template_path).map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
        // The build id covers every shell file's name and bytes, and the manifest, which names every data file
        // by its content hash (through the directories), so any change makes a new worker.
        let mut fingerprint = Vec::new();
        for path in shell {
            fingerprint.extend_from_slice(path.as_bytes());
            fingerprint.extend_from_slice(&std::fs::read(self.dir.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?);
        }
        fingerprint.extend_from_slice(&data.manifest_bytes);
        let worker = template
            .replace("__SAHIFA_BUILD_ID__", &format!("{:016x}", fnv1a_64(&fingerprint)))
            .replace("__SAHIFA_SHELL_FILES__", &json_list(shell))
            .replace("__SAHIFA_DATA_ENTRY_FILES__", &json_list(&data.entries))
            .replace("__SAHIFA_DIRECTORY_FILES__", &json_list(&data.directories))
            .replace("__SAHIFA_STARTUP_FILES__", &json_list(&data.startup))
            .replace("__SAHIFA_SHELL_CACHE_PREFIX__", &format!("{SHELL_CACHE_PREFIX:?}"))
            .replace("__SAHIFA_DATA_CACHE__", &format!("{DATA_CACHE:?}"))
            .replace("__SAHIFA_SAVED_MARKER__", &format!("{SAVED_MARKER:?}"))
            .replace("__SAHIFA_BUNDLE_FOLDER__", &format!("{BUNDLE_FOLDER:?}"));
        write(&self.dir.join(SERVICE_WORKER), worker.as_bytes())
    }

    /// The installed app's name, description and colour follow the archive's.
    fn write_web_manifest(&self, archive: &ArchiveInfo) -> Result<(), String> {
        let path = self.dir.join("manifest.webmanifest");
        if !path.exists() {
            say("no manifest.webmanifest in the site: nothing to install it by");
            return Ok(());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        manifest["name"] = archive.page_title(None).into();
        manifest["short_name"] = archive.name.clone().into();
        manifest["description"] = archive.description.clone().into();
        manifest["lang"] = archive.locale.clone().into();
        if let Some(accent) = &archive.accent {
            manifest["theme_color"] = accent.clone().into();
        }
        let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
        write(&path, json.as_bytes())
    }

    /// Cache rules for Netlify and Cloudflare Pages: hashed files are immutable for a year; the entry points
    /// (`index.html`, `sw.js`, `data/manifest.json`, the web manifest) are revalidated on every load.
    fn write_headers(&self, shell: &[String], archive: &ArchiveInfo) -> Result<(), String> {
        let root = if self.public_url.starts_with('/') { self.public_url.clone() } else { "/".to_owned() };
        let csp = content_security_policy(archive_style(archive).as_deref());
        // The policy governs documents and workers only; on the data files, fetched by the hundred, it would
        // be half a kilobyte of headers each for nothing.
        let mut text = format!("# Written by `cargo xtask finish-site`. Netlify and Cloudflare Pages read this file.\n{root}*\n  X-Content-Type-Options: nosniff\n");
        for page in ["", "index.html"] {
            text.push_str(&format!("{root}{page}\n  Content-Security-Policy: {csp}; frame-ancestors 'none'\n  Referrer-Policy: no-referrer\n"));
        }
        for worker in [SERVICE_WORKER, SEARCH_WORKER_SCRIPT] {
            text.push_str(&format!("{root}{worker}\n  Content-Security-Policy: {csp}\n"));
        }
        let manifest = format!("{BUNDLE_FOLDER}{MANIFEST_FILE}");
        let revalidate = ["", "index.html", SERVICE_WORKER, &manifest, "manifest.webmanifest"];
        for path in revalidate {
            text.push_str(&format!("{root}{path}\n  Cache-Control: no-cache\n"));
        }
        let immutable = "Cache-Control: public, max-age=31536000, immutable";
        for path in shell.iter().filter(|path| !revalidate.contains(&path.as_str()) && is_content_hashed(path)) {
            text.push_str(&format!("{root}{path}\n  {immutable}\n"));
        }
        text.push_str(&format!("{root}{DRAWN_FOLDER}*\n  {immutable}\n"));
        // Every data file but the manifest is content-hashed and lives in a family folder: one rule each.
        for folder in FOLDERS {
            text.push_str(&format!("{root}{BUNDLE_FOLDER}{folder}/*\n  {immutable}\n"));
        }
        write(&self.dir.join("_headers"), text.as_bytes())
    }
}

/// A search index up to this size is cached when the worker installs.
const PRECACHED_SEARCH_BYTES: u64 = 1024 * 1024;

struct DataPlan {
    /// Cached when the worker installs.
    startup: Vec<String>,
    entries: Vec<String>,
    directories: Vec<String>,
    manifest_bytes: Vec<u8>,
    total_files: u64,
    /// What the publisher says about the archive.
    archive: ArchiveInfo,
}

/// Trunk's loader, changed to ask for the wasm only once the page has painted its first screen: on a slow
/// network the app's 200 KB would otherwise share the line with the page's stylesheet and fonts and hold back the
/// first paint, which no longer needs the wasm. A page without a drawn screen (any other address) starts at once.
fn loader_after_first_paint(loader: &str) -> Result<String, String> {
    let at = loader.find("await init(").ok_or("Trunk's loader no longer calls `await init(`: update `loader_after_first_paint`")?;
    let line_start = loader[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let wait = format!(
        "// Written by `cargo xtask finish-site`: the first screen paints before the wasm is asked for, and on a drawn\n\
         // article's address the article's drawing comes first (the page's inline script fetches it). Painted means\n\
         // the browser has said the largest text it painted is the first screen's, where it can say (a frame's end\n\
         // comes before the pixels do, and the start-up note may have been painted first), else that a frame has\n\
         // been drawn; and a second at most.\n\
         await self.{DRAWING_PROMISE};\n\
         const firstScreen = document.getElementById({SCREEN_ELEMENT_ID:?});\n\
         if (firstScreen) await new Promise((painted) => {{\n\
         \x20 if (PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint')) {{\n\
         \x20   new PerformanceObserver((list, seen) => {{\n\
         \x20     if (list.getEntries().some((entry) => firstScreen.contains(entry.element))) {{ seen.disconnect(); painted(); }}\n\
         \x20   }}).observe({{ type: 'largest-contentful-paint', buffered: true }});\n\
         \x20 }} else requestAnimationFrame(() => setTimeout(painted));\n\
         \x20 setTimeout(painted, 1000);\n\
         }});\n"
    );
    Ok(format!("{}{wait}{}", &loader[..line_start], &loader[line_start..]))
}

/// Files the app needs to start offline: not the worker itself, the host's rules, install screenshots, or the
/// drawn articles (for a first visit by a link, which the app does without); and
/// of the search package only its wasm (`SEARCH_PACKAGE_SCRIPT` says why), which spares the install 34 KB.
fn is_shell_file(path: &str) -> bool {
    let other_package_file = path.starts_with(SEARCH_PACKAGE_FOLDER) && path != SEARCH_PACKAGE_WASM;
    path != SERVICE_WORKER && path != "_headers" && !path.starts_with("screenshots/") && !path.starts_with(DRAWN_FOLDER) && !other_package_file
}

/// Trunk's and the bundle's hashed names carry a hex hash before the extension (Trunk drops leading zeros, so
/// it can be shorter than 16 digits).
fn is_content_hashed(path: &str) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem = stem.rsplit_once('.').map_or(stem, |(stem, _)| stem);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hash = stem.rsplit(['-', '.']).next().unwrap_or_default();
    (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
fn list_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir");
                files.push(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
    format!("[\n  {}\n]", quoted.join(",\n  "))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sahifa_core::bundle::assemble;
    use sahifa_core::offline::{SEARCH_PACKAGE_SCRIPT, SEARCH_PACKAGE_TYPES};
    use sahifa_core::{Article, Block, BlockKind};

    const TRUNK_INDEX: &str = "<!doctype html>\n<html><head>\n  <meta charset=\"utf-8\">\n<script type=\"module\">\nimport init from './app-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: './app-0123456789abcdef_bg.wasm' });\n</script>\n<link rel=\"preload\" href=\"font.woff2\" as=\"font\"><link rel=\"preload\" href=\"./app-0123456789abcdef_bg.wasm\" as=\"fetch\" type=\"application/wasm\"></head><body><p id=\"boot\">…</p></body></html>\n";

    fn built_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), TRUNK_INDEX).unwrap();
        std::fs::write(dir.path().join("app-0123456789abcdef.js"), "export default function init() {}").unwrap();
        std::fs::write(dir.path().join("style-123456789abcdef.css"), "body {}").unwrap();
        std::fs::create_dir_all(dir.path().join(SEARCH_PACKAGE_FOLDER)).unwrap();
        for name in [SEARCH_PACKAGE_WASM, SEARCH_PACKAGE_SCRIPT, SEARCH_PACKAGE_TYPES] {
            std::fs::write(dir.path().join(name), "package").unwrap();
        }
        let blocks = vec![Block { kind: BlockKind::Paragraph, text: "فقرة.".into() }];
        let article = Article { id: "a".into(), title: "عنوان".into(), outlet: None, published: None, blocks, url: None };
        for file in assemble(vec![article], Vec::new(), "test") {
            let path = dir.path().join("data").join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file.bytes).unwrap();
        }
        dir
    }

    /// The text of the page's `<script type="application/json">` element `id`.
    fn json_element<'a>(html: &'a str, id: &str) -> &'a str {
        html.split(&format!("id=\"{id}\">")).nth(1).unwrap().split("</script>").next().unwrap()
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    #[test]
    fn a_release_build_gets_an_external_loader_a_csp_a_filled_worker_and_host_headers() {
        let dir = built_site();
        let site = Site { dir: dir.path().to_path_buf(), release: true, public_url: "./".into() };
        site.finish().unwrap();

        let html = read(dir.path(), "index.html");
        assert!(!html.contains("import init"), "the inline loader is gone: {html}");
        let boot = html.split("src=\"./").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        let loader = read(dir.path(), boot);
        assert!(boot.starts_with("boot-") && loader.contains("const wasm = await init({"), "{loader}");
        let (wait, init) = (loader.find("largest-contentful-paint").unwrap(), loader.find("await init(").unwrap());
        assert!(loader.find("import init").unwrap() < wait && wait < init, "the wasm waits for the first paint: {loader}");
        assert!(!html.contains("_bg.wasm"), "nothing asks for the wasm before the loader: {html}");
        assert_eq!(html.matches("Content-Security-Policy").count(), 1);
        assert!(!content_security_policy(None).contains("unsafe-inline"));

        let worker = read(dir.path(), "sw.js");
        assert!(!worker.contains("__SAHIFA_"), "every placeholder is filled");
        assert!(worker.contains(&format!("\"{boot}\"")) && worker.contains("\"data/manifest.json\""));
        assert!(!worker.contains("\"sw.js\"") && !worker.contains("\"_headers\""));
        // Of the search package, only the wasm: the search worker's script carries the package's JavaScript.
        assert!(worker.contains(&format!("\"{SEARCH_PACKAGE_WASM}\"")), "{worker}");
        assert!(!worker.contains(SEARCH_PACKAGE_SCRIPT) && !worker.contains(SEARCH_PACKAGE_TYPES), "{worker}");

        let headers = read(dir.path(), "_headers");
        assert!(headers.contains("/data/manifest.json\n  Cache-Control: no-cache"));
        assert!(headers.contains("/style-123456789abcdef.css\n  Cache-Control: public, max-age=31536000, immutable"));
        assert!(headers.contains("/data/listing/*\n  Cache-Control: public, max-age=31536000, immutable"));
        // The page carries the newest articles' list, drawn, and the files it was drawn from: the manifest, the
        // newest segment's descriptor (which carries its small listing directory) and listing shard, not the
        // headlines.
        let screen = html.split(&format!("id=\"{SCREEN_ELEMENT_ID}\"")).nth(1).unwrap().split(END_MARK).next().unwrap();
        assert!(screen.contains("data-testid=\"article-card\" data-id=\"a\"") && screen.contains("عنوان"), "{screen}");
        assert!(!screen.contains(" style=\""), "the CSP refuses inline styles: {screen}");
        let data = json_element(&html, DATA_ELEMENT_ID);
        let embedded = sahifa_core::first_screen::EmbeddedFiles::from_script_text(data).unwrap();
        let paths: Vec<&str> = embedded.files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths[0] == "manifest.json" && paths[1].starts_with("segments/") && paths[2].starts_with("listing/"), "{paths:?}");
        // And the page of its one article, drawn, in a file of its own that the page's map names by the
        // article's address; the drawing carries the article's piece of its shard, not the shard.
        let map = json_element(&html, DRAWN_ARTICLES_ELEMENT_ID);
        let map: std::collections::BTreeMap<String, String> = serde_json::from_str(map).unwrap();
        let drawing = map.get(&drawn_article_key("a")).unwrap_or_else(|| panic!("{map:?}"));
        assert!(drawing.starts_with(&format!("./{DRAWN_FOLDER}")) && map.len() == 1, "{map:?}");
        let drawing: DrawnArticle = serde_json::from_str(&read(dir.path(), drawing.trim_start_matches("./"))).unwrap();
        assert!(drawing.html.contains("data-testid=\"article-view\"") && drawing.html.contains("فقرة."), "{}", drawing.html);
        assert!(drawing.title.starts_with("عنوان — "), "the tab is named as the app names it: {}", drawing.title);
        assert!(drawing.files.iter().any(|file| file.path.starts_with("articles/") && file.path.contains('#') && file.text.contains("فقرة.")), "{:?}", drawing.files);
        assert!(!worker.contains(DRAWN_FOLDER), "a drawing is for a first visit by a link, not for the install: {worker}");
        assert!(headers.contains(&format!("/{DRAWN_FOLDER}*\n  Cache-Control: public, max-age=31536000, immutable")), "{headers}");
        assert!(loader.find(&format!("await self.{DRAWING_PROMISE}")).unwrap() < init, "the wasm waits for an article's drawing: {loader}");
        // Its one segment's descriptor is carried, so no file is left for the page to fetch early on another
        // address (which files are is `first_screen::early_files`'s test).
        let early = json_element(&html, EARLY_FILES_ELEMENT_ID);
        assert_eq!(early, "[]", "{html}");
        assert!(html.contains(&format!("<script>{}</script>", inline_script())));
        let check = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(inline_script().as_bytes()));
        assert!(html.contains(&format!("'sha256-{check}'")), "the CSP allows the inline check");
        assert!(html.contains("<p id=\"boot\" hidden>"), "the start-up note waits for the check");
        assert!(worker.contains("\"data/segments/"), "the worker knows the segment descriptors");
        let startup = worker.split("const STARTUP_FILES = ").nth(1).unwrap().split(';').next().unwrap();
        let startup: Vec<String> = serde_json::from_str(startup).unwrap();
        let distinct: std::collections::HashSet<&String> = startup.iter().collect();
        assert_eq!(distinct.len(), startup.len(), "Cache.addAll refuses repeats: {startup:?}");
        assert!(worker.contains("\"data/directory/"), "the worker knows the directory pages");
        assert!(headers.contains("frame-ancestors 'none'"));
        // The policy goes with the page and the workers, not with every data file.
        let rule = |path: &str| headers.split(&format!("\n{path}\n")).nth(1).map(|rest| rest.split("\n/").next().unwrap_or(rest).to_owned());
        for path in ["/", "/index.html", "/sw.js", "/search-worker.js"] {
            assert!(rule(path).is_some_and(|rule| rule.contains("Content-Security-Policy: ")), "{path}: {headers}");
        }
        assert_eq!(headers.matches("Content-Security-Policy").count(), 4, "{headers}");

        // Finishing again (a publisher's rebuild of the data) leaves the page as it was.
        site.finish().unwrap();
        assert_eq!(read(dir.path(), "index.html"), html);
        // A page finished by an older version, whose policy named another script, gets the current policy.
        let stale = html.replace(&content_security_policy(None), "default-src 'self'; script-src 'self' 'sha256-old'");
        std::fs::write(dir.path().join("index.html"), &stale).unwrap();
        site.finish().unwrap();
        assert_eq!(read(dir.path(), "index.html"), html);
    }

    #[test]
    fn the_page_and_the_installed_app_follow_the_archives_own_description() {
        let dir = built_site();
        std::fs::write(dir.path().join("manifest.webmanifest"), "{\"name\": \"صحيفة\", \"theme_color\": \"#7a1f1f\", \"icons\": []}").unwrap();
        let index = TRUNK_INDEX.replace("<head>", "<head><title>صحيفة</title><meta name=\"description\" content=\"قديم\"><meta name=\"theme-color\" content=\"#7a1f1f\">");
        std::fs::write(dir.path().join("index.html"), index).unwrap();
        let manifest_path = dir.path().join("data").join(MANIFEST_FILE);
        let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
        manifest["archive"] = serde_json::json!({ "name": "أرشيف <الرياض>", "subtitle": "أخبار", "description": "وصف \"مقتبس\"", "locale": "ar-SA", "accent": "#0b5d3b" });
        std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
        let site = Site { dir: dir.path().to_path_buf(), release: true, public_url: "./".into() };
        site.finish().unwrap();
        site.finish().unwrap();

        let html = read(dir.path(), "index.html");
        assert!(html.contains("<title>أرشيف &lt;الرياض&gt; — أخبار</title>"), "{html}");
        assert!(html.contains("content=\"وصف &quot;مقتبس&quot;\""), "{html}");
        assert!(html.contains("<meta name=\"theme-color\" content=\"#0b5d3b\">"));
        let style = ":root{--archive-accent:#0b5d3b}";
        assert_eq!(html.matches(&format!("<style id=\"archive-style\">{style}</style>")).count(), 1, "once, however often finished: {html}");
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style.as_bytes()));
        assert!(html.contains(&format!("style-src 'self' 'sha256-{hash}'")), "the CSP allows the accent's style: {html}");
        assert!(read(dir.path(), "_headers").contains(&format!("'sha256-{hash}'")));
        let installed: serde_json::Value = serde_json::from_str(&read(dir.path(), "manifest.webmanifest")).unwrap();
        assert_eq!(installed["short_name"], "أرشيف <الرياض>");
        assert_eq!(installed["theme_color"], "#0b5d3b");
        assert_eq!(installed["lang"], "ar-SA");
    }

    #[test]
    fn a_new_build_id_follows_any_change_of_content() {
        let dir = built_site();
        let site = Site { dir: dir.path().to_path_buf(), release: true, public_url: "./".into() };
        site.finish().unwrap();
        let first = read(dir.path(), "sw.js");
        site.finish().unwrap();
        assert_eq!(read(dir.path(), "sw.js"), first, "the same files give the same worker");
        std::fs::write(dir.path().join("style-123456789abcdef.css"), "body { color: red }").unwrap();
        site.finish().unwrap();
        assert_ne!(read(dir.path(), "sw.js"), first);
    }

    #[test]
    fn a_development_build_gets_a_worker_that_removes_itself_and_no_csp_rewrite() {
        let dir = built_site();
        Site { dir: dir.path().to_path_buf(), release: false, public_url: "./".into() }.finish().unwrap();
        assert!(read(dir.path(), "sw.js").contains("self.registration.unregister()"));
        assert_eq!(read(dir.path(), "index.html"), TRUNK_INDEX);
        assert!(!dir.path().join("_headers").exists());
    }
}
