// Shared helpers for the end-to-end tests: a static file server for the built site on 127.0.0.1 (optionally
// under a sub-path) and a headless Debian Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, stat, mkdtemp, cp } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { brotliCompress, constants as zlib, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

/** A new temporary folder, removed when the test process ends: a run of the suite leaves nothing in the
 *  machine's temporary folder (dozens of sites, bundles and browser profiles otherwise). */
export async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  TEMPORARY.push(dir);
  return dir;
}
const TEMPORARY = [];
process.on('exit', () => {
  for (const dir of TEMPORARY) rmSync(dir, { recursive: true, force: true });
});

export const SITE_DIR = resolve(import.meta.dirname, '../../dist');
export const OUTPUT_DIR = resolve(import.meta.dirname, '../../test-results');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `root` at http://127.0.0.1:<random port><prefix>; resolves to { url, close, setRoot }. Like a static
 * host or CDN (Cloudflare Pages, Netlify) it compresses text and wasm with brotli (sending a file's `.br` copy
 * where there is one), or gzip for a client without brotli, and applies the site's `_headers` file.
 * `setRoot` swaps the folder behind the same URL, as a redeploy does. `setCut(test)` drops the connection
 * of every request whose path (relative to the prefix) `test` accepts, as a network that goes down does;
 * `setCut(null)` brings it back. `setLatency(ms)` holds every answer back that long, as a phone's round trip
 * does, so that requests made one after another cost what they cost on a slow network (0, the default, sends
 * at once).
 */
export async function serveSite(root = SITE_DIR, prefix = '/') {
  let cut = null;
  let latency = 0;
  const server = createServer(async (request, response) => {
    if (latency > 0) await new Promise((done) => setTimeout(done, latency));
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end('not found');
      return;
    }
    const relative = path.slice(prefix.length);
    if (cut?.(relative)) {
      request.socket.destroy();
      return;
    }
    let file = normalize(join(root, relative));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, ...(await hostHeaders(root, `/${relative}`)) };
      // Like static hosts, a byte range of the file as stored (the search index reads its packs so).
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
      if (range) {
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), body.length - 1)];
        if (start > end) {
          response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
          return;
        }
        headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
        response.writeHead(206, headers).end(body.subarray(start, end + 1));
        return;
      }
      const accepted = request.headers['accept-encoding'] ?? '';
      if (COMPRESSIBLE.test(type) && /\bbr\b/.test(accepted)) {
        // The bundle's files come with the `.br` copies `sahifa build` writes, which hosts that serve
        // precompressed files (nginx's brotli_static, a CDN fed pre-encoded objects) send as they are.
        body = (await readFile(`${file}.br`).catch(() => null)) ?? await brotliCompressed(body);
        headers['content-encoding'] = 'br';
        headers['vary'] = 'accept-encoding';
      } else if (COMPRESSIBLE.test(type) && /\bgzip\b/.test(accepted)) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
        headers['vary'] = 'accept-encoding';
      }
      response.writeHead(200, headers).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return {
    url,
    setRoot: (next) => { root = next; },
    setCut: (test) => { cut = test; },
    setLatency: (ms) => { latency = ms; },
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}

const COMPRESSIBLE = /^(text\/|application\/(json|wasm|manifest\+json))/;

/** Brotli at the quality static hosts use for files they compress ahead of time, kept per content, since
 *  quality 11 takes a second on the app's wasm; compressed off the event loop, so other requests go on. */
const brotliCache = new Map();
const brotli = promisify(brotliCompress);
function brotliCompressed(body) {
  const key = createHash('sha256').update(body).digest('hex');
  if (!brotliCache.has(key)) {
    brotliCache.set(key, brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  return brotliCache.get(key);
}

/** The headers the site's `_headers` file (Netlify / Cloudflare Pages syntax) gives `path`. */
async function hostHeaders(root, path) {
  let text;
  try {
    text = await readFile(join(root, '_headers'), 'utf8');
  } catch {
    return {};
  }
  const headers = {};
  let applies = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    if (!line.startsWith(' ')) {
      const pattern = line.trim();
      applies = pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
    } else if (applies) {
      const [name, ...value] = line.trim().split(':');
      headers[name.toLowerCase()] = value.join(':').trim();
    }
  }
  return headers;
}

/** Debian's Chromium, which every browser test and benchmark drives. */
export const CHROMIUM = '/usr/bin/chromium';
/** The flags this machine needs: no sandbox (tests run as root), no GPU, no background traffic. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/**
 * A fresh headless Chromium with the flags this machine needs. `options` go to the browser context: tests
 * that intercept requests pass `{ serviceWorkers: 'block' }`, since a service worker's own fetches bypass
 * Playwright's routing.
 */
export async function launchBrowser(options = {}) {
  const profile = await tempDir('sahifa-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...options,
    args: CHROMIUM_FLAGS,
  });
  return context;
}

/**
 * Waits for the app to mount. Until then the page shows what a release build drew at build time (the newest
 * articles' list, whose buttons do nothing yet) or the start-up note; the app removes both when it mounts.
 */
export const appStarted = (page) => page.waitForFunction(appMounted);

/** True in the page once the app has mounted. (Run in the page: it reads nothing from this module.) */
export function appMounted() {
  return !document.getElementById('boot') && !document.getElementById('sahifa-first-screen');
}

/**
 * Keeps, on every page of `context`, the app's wasm memory where `appWasmBytes` reads it: the loader hands it
 * over in the event it sends once the app runs.
 */
export const exposeAppMemory = (context) =>
  context.addInitScript(() => addEventListener('TrunkApplicationStarted', (event) => { window.__sahifaWasmMemory = event.detail.wasm.memory; }));

/** The size of the app's wasm memory in bytes (it only grows: the most the app has held at once), or null. */
export const appWasmBytes = (page) => page.evaluate(() => window.__sahifaWasmMemory?.buffer.byteLength ?? null);

/**
 * Types `query` into the search box letter by letter, as a reader does, and waits until the page answers it:
 * the address holds it, nothing is loading, and cards or the empty state are shown.
 */
export async function typeQuery(page, query, { delay = 15 } = {}) {
  const box = page.getByTestId('search-input');
  await box.fill('');
  await box.pressSequentially(query, { delay });
  await page.keyboard.press('Enter');
  await page.waitForFunction(queryAnswered, query, { timeout: 60_000, polling: 50 });
}

/** True in the page once it answers `query`: the address holds it, nothing is loading, and cards or the
 *  empty state are shown. (Run in the page: it reads nothing from this module.) */
export function queryAnswered(query) {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') === query
    && !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]')
    && !!document.querySelector('[data-testid="card-link"], [data-testid="empty-state"]');
}

/** Records console errors and uncaught exceptions of a page, so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}

/**
 * A copy of the built site whose bundle is compiled from `pagesDir`, finished like a release build (new
 * service worker, same app): what a publisher's redeploy with new pages produces.
 */
export const siteWithPages = (pagesDir) => finishedSite({ SAHIFA_PAGES: pagesDir });

/** A copy of the built site whose sample pages are compiled with the publisher's `archive.json` at
 *  `archiveFile` (`sahifa build --archive`). */
export const siteWithArchive = (archiveFile) => finishedSite({ SAHIFA_PAGES: resolve(import.meta.dirname, '../fixtures/seeds'), SAHIFA_ARCHIVE: archiveFile });

/** A copy of the built site serving the bundle folder `bundleDir` as it is (finished like a release build). */
export const siteWithBundle = (bundleDir) => finishedSite({ SAHIFA_BUNDLE: bundleDir });

async function finishedSite(env) {
  const dir = await tempDir('sahifa-site-');
  await cp(SITE_DIR, dir, { recursive: true });
  const root = resolve(import.meta.dirname, '../..');
  execFileSync('cargo', ['xtask', 'finish-site', '--dir', dir, '--release'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

/** Records Content-Security-Policy violations from the first script on every page of `context`. */
export async function recordCspViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
}

/** Serves the page at `url` to `target` (a page or a browser context) as `edit` rewrites its text. */
async function servedEdited(target, url, edit) {
  await target.route(url, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: edit(await response.text()) });
  });
}

/** Serves the page at `url` without the files its first screen carries, so the app fetches the manifest, the
 *  descriptors and the listing itself, as it does when the page's copy is unreadable or the page was built
 *  without one. */
export async function servedWithoutEmbeddedFiles(page, url) {
  await servedEdited(page, url, (html) => html.replace(/<script type="application\/json" id="sahifa-first-screen-data">.*?<\/script>/s, ''));
}

/** Serves the page at `url` without its map of drawn articles, so a link to one of the newest articles opens
 *  as a link to any other does: the app fetches the article. For tests of how an article page fetches. */
export async function servedWithoutDrawnArticles(context, url) {
  await servedEdited(context, url, (html) => html.replace(/(<script type="application\/json" id="sahifa-drawn-articles">).*?(<\/script>)/s, '$1{}$2'));
}

export const SAHIFA_CLI = resolve(import.meta.dirname, '../../target/cli/sahifa');

/** Reads a bundle folder through the CLI, as every script does (never a walker of its own): its manifest,
 *  every file it names (`sahifa files`), and its listing rows, newest first (`sahifa list --json`). */
export async function readBundle(bundleDir = join(SITE_DIR, 'data')) {
  const cli = (...args) => JSON.parse(execFileSync(SAHIFA_CLI, args, { maxBuffer: 1 << 30 }).toString());
  const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8'));
  const { files } = cli('files', bundleDir);
  return { manifest, files: files.map(([path]) => path), sizes: new Map(files), rows: cli('list', bundleDir, '--json') };
}
