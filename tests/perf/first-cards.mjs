// What a reader on a slow phone link waits for a frequent word's results: from a cold query (the app started
// on the plain list, the search not yet run) to its first cards drawn, and to its whole list drawn and
// counted; and what the search index's pieces weigh by then. On a phone the viewer holds the rest of a list
// whose first cards came ahead of it until the reader wants it: then the script asks for it (the line's
// button) as soon as the first cards show, and the whole list's time counts from the query as before, the
// bytes from the first cards. Every response goes through one modelled link: it arrives a round trip (150 ms) after it is asked
// for, then waits its turn on a link that carries 200 bytes a millisecond (1.6 Mbit/s, Lighthouse's slow 4G),
// counting the bytes as sent (brotli where the server compresses). The search worker's requests go through it
// too, which Chromium's own network emulation of a page does not promise. Prints a Markdown row per word.
//
//   node tests/perf/first-cards.mjs --site SITE --words الأمن,المغرب
//
// SITE: a site finished over a benchmark bundle (`cp -r dist SITE && SAHIFA_BUNDLE=<bundle> cargo xtask
// finish-site --dir SITE --release`).
import { brotliCompressSync, constants } from 'node:zlib';
import { serveSite, launchBrowser, appStarted } from '../e2e/support.mjs';
import { args } from './figures.mjs';

if (!args.site || !args.words) throw new Error('usage: node tests/perf/first-cards.mjs --site SITE --words WORD,WORD');
const ROUND_TRIP_MS = 150;
const BYTES_PER_MS = 1.6e6 / 8 / 1000;

const compressed = new Map();
/** The bytes a response takes on the link: as sent, so brotli-compressed where the server compressed it. */
function sentSize(url, response, body) {
  if (response.headers()['content-encoding'] !== 'br') return body.length;
  if (!compressed.has(url)) compressed.set(url, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length);
  return compressed.get(url);
}

const site = await serveSite(args.site);
console.log('| word | first cards drawn (ms) | search pieces by then (KB) | whole list drawn and counted (ms) | search pieces in all (KB) | first cards came |');
console.log('|---|---|---|---|---|---|');
for (const word of args.words.split(',')) {
  const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width: 360, height: 780 } });
  let linkFree = 0;
  await browser.route('**/*', async (route) => {
    const asked = Date.now();
    let response;
    let body;
    try {
      response = await route.fetch();
      body = await response.body();
    } catch {
      // A request the page gave up on (a superseded search's) is dropped.
      return route.abort().catch(() => {});
    }
    const start = Math.max(asked + ROUND_TRIP_MS, linkFree);
    linkFree = start + sentSize(route.request().url(), response, body) / BYTES_PER_MS;
    await new Promise((done) => setTimeout(done, Math.max(0, linkFree - Date.now())));
    await route.fulfill({ response, body }).catch(() => {});
  });
  const page = await browser.newPage();
  // The search index's pieces, as they arrive (uncompressed: hosts send packs as they are).
  let searchBytes = 0;
  page.on('requestfinished', async (request) => {
    if (!new URL(request.url()).pathname.includes('/data/search/')) return;
    const body = await (await request.response())?.body().catch(() => null);
    searchBytes += body?.length ?? 0;
  });
  await page.goto(site.url);
  await appStarted(page);
  await page.waitForTimeout(500);
  const started = await page.evaluate(() => performance.now());
  await page.evaluate((typed) => { location.hash = `#/?q=${encodeURIComponent(typed)}`; }, word);
  await page.waitForFunction(() => document.querySelector('[data-testid="card-link"]'), null, { timeout: 120_000, polling: 'raf' });
  const firstCards = await page.evaluate((from) => performance.now() - from, started);
  const firstBytes = searchBytes;
  const state = await page.evaluate(() => (document.querySelector('[data-testid="show-rest"]') ? 'ahead, the rest held' : document.querySelector('[data-testid="loading-state"]') ? 'ahead of the list' : 'with the list'));
  if (state === 'ahead, the rest held') await page.getByTestId('show-rest').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"]') && document.querySelector('[data-testid="result-count"]'), null, { timeout: 120_000, polling: 'raf' });
  const whole = await page.evaluate((from) => performance.now() - from, started);
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  console.log(`| ${word} | ${Math.round(firstCards)} | ${kb(firstBytes)} | ${Math.round(whole)} | ${kb(searchBytes)} | ${state} |`);
  await browser.close();
}
await site.close();
