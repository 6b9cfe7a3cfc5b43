// The viewer at scale: a generated archive of 10,000 articles. The virtual list keeps only the rows on screen
// in the DOM, scrolls from the newest article to the oldest, and search works over the whole archive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveSite, launchBrowser, watchErrors, siteWithPages, readBundle, OUTPUT_DIR, appStarted, tempDir } from './support.mjs';

const ARTICLES = 10_000;
const MAX_ROWS_IN_DOM = 60;
const sahifa = resolve(import.meta.dirname, '../../target/cli/sahifa');
let site;
let browser;
let bundleDir;
let siteDir;

before(async () => {
  const corpus = join(await tempDir('sahifa-corpus-'), 'pages');
  execFileSync(sahifa, ['gen-corpus', '--articles', String(ARTICLES), '--seed', '3', '--out', corpus], { stdio: 'ignore' });
  siteDir = await siteWithPages(corpus);
  bundleDir = join(siteDir, 'data');
  site = await serveSite(siteDir);
  browser = await launchBrowser({ serviceWorkers: 'block' });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** Every article the CLI finds for `word` over the bundle, best first. */
const articlesFound = (word) =>
  JSON.parse(execFileSync(sahifa, ['search', bundleDir, word, '--json', '--limit', '100000'], { encoding: 'utf8', maxBuffer: 1 << 28 })).filter((hit) => hit.kind === 'article');

/** The number a count's text writes, in Arabic-Indic or Latin digits, grouped or not. */
const numberIn = (text) => Number([...text].map((c) => ('٠' <= c && c <= '٩' ? String(c.charCodeAt(0) - 0x660) : c)).join('').replace(/\D/g, ''));
/** `numberIn` for the page's own functions, as `window.__numberIn` (a script the driver injects, which the
 *  site's CSP does not cover). */
const readNumbersIn = (page) => page.addInitScript(`window.__numberIn = ${numberIn};`);

/** A page at a phone's width, its errors watched, and what it read of the responses under `folder`, in bytes. */
async function phonePage(folder) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 360, height: 800 });
  const errors = watchErrors(page);
  const bodies = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.includes(folder)) bodies.push(response.body().then((body) => body.length, () => 0));
  });
  const bytesRead = async () => (await Promise.all(bodies)).reduce((sum, length) => sum + length, 0);
  return { page, errors, bytesRead };
}

/** The ids of the cards a page shows, in order. */
const cardIds = (page) => page.locator('[data-testid="card-link"]').evaluateAll((links) => links.map((link) => decodeURIComponent(link.getAttribute('href')).split('/article/')[1].split('?')[0]));

/** Waits until a held list's first cards are drawn, with the line that says how many there are at least. */
const firstCardsShown = (page) => page.waitForFunction(() => document.querySelector('[data-testid="result-count-at-least"]') && !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]') && document.querySelectorAll('[data-testid="card-link"]').length >= 3, null, { timeout: 60_000 });

/** Opens `query`'s address on a phone page and waits for its first cards, held; checks they are the CLI's
 *  first and that the number the line tells lies between them and the CLI's count. Gives the cards' ids and
 *  the CLI's hits. */
async function openHeld(page, query) {
  const cli = articlesFound(query);
  await readNumbersIn(page);
  await page.goto(`${site.url}#/?q=${encodeURIComponent(query)}`);
  await appStarted(page);
  await firstCardsShown(page);
  const early = await cardIds(page);
  assert.deepEqual(early, cli.slice(0, early.length).map((hit) => hit.id), 'the first cards are the search\'s first');
  const atLeast = numberIn(await page.getByTestId('result-count-at-least').textContent());
  assert.ok(atLeast >= early.length && atLeast <= cli.length, `at least ${atLeast} told, ${cli.length} found`);
  return { early, cli };
}

const rowsInDom = (page) => page.locator('.virtual-row').count();
const positions = (page) => page.locator('.virtual-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('aria-posinset'))));

test('the list of 10,000 keeps at most 60 rows in the DOM and scrolls from the newest to the oldest', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  assert.equal(await page.getByTestId('result-count').textContent(), '10.000 مقال');
  assert.ok((await rowsInDom(page)) <= MAX_ROWS_IN_DOM);
  assert.equal((await positions(page))[0], 1);
  // Scrolling the plain list reads whole listing shards, each once: a screen is a run of neighbours.
  const listingRequests = [];
  page.on('request', (request) => {
    if (request.url().includes('/data/listing/')) listingRequests.push({ path: new URL(request.url()).pathname, range: request.headers().range });
  });

  const listing = (await readBundle(bundleDir)).rows;
  assert.equal(listing.length, ARTICLES);
  const dates = listing.map((row) => row.published);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');

  for (const fraction of [0.25, 0.5, 0.999, 1]) {
    await page.evaluate((f) => window.scrollTo(0, f * (document.documentElement.scrollHeight - innerHeight)), fraction);
    const expected = Math.max(1, Math.round(fraction * ARTICLES));
    await page.waitForFunction((n) => [...document.querySelectorAll('.virtual-row')].some((row) => Math.abs(row.getAttribute('aria-posinset') - n) <= 10), expected);
    assert.ok((await rowsInDom(page)) <= MAX_ROWS_IN_DOM, `at ${fraction}`);
  }
  // At the very bottom the oldest article is on screen, fully painted.
  const last = page.locator(`.virtual-row[aria-posinset="${ARTICLES}"]`);
  await last.waitFor();
  assert.equal(await last.getByTestId('card-link').textContent(), listing.at(-1).title);
  const box = await last.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= (await page.evaluate(() => innerHeight)) + 1, JSON.stringify(box));
  await page.screenshot({ path: join(OUTPUT_DIR, 'scale-bottom.png') });
  const paths = listingRequests.map((request) => request.path);
  assert.ok(paths.length >= 3, `the scroll (a quarter, half way, the end) read listing shards: ${paths.length}`);
  assert.deepEqual(listingRequests.filter((request) => request.range), [], 'no row of the plain list is read alone');
  assert.equal(new Set(paths).size, paths.length, `each shard once: ${paths}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('search works over the 10,000 articles and the list stays virtual', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"]') && /مقال/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ''), null, { timeout: 120_000 });
  const count = await page.getByTestId('result-count').textContent();
  // The viewer's engine in wasm, over the sharded index fetched piece by piece, finds what the CLI finds.
  const cli = JSON.parse(execFileSync(sahifa, ['search', bundleDir, 'الانتربول', '--json', '--limit', '100000'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const articles = cli.filter((hit) => hit.kind === 'article').length;
  assert.ok(articles > 0 && articles < ARTICLES, `${articles} hits`);
  // Written as the archive's locale writes numbers (a bundle without archive.json is ar-MA's: 9.337).
  const written = new Intl.NumberFormat('ar-MA').format(articles);
  assert.ok(['مقالًا', 'مقالات', 'مقال'].some((noun) => count === `${written} ${noun}`), `${count} for ${articles}`);
  assert.ok((await rowsInDom(page)) <= MAX_ROWS_IN_DOM);
  // The cards on screen are painted (their listing shards fetched) and the best ones mark the word.
  await page.waitForFunction(() => document.querySelector('[data-testid="card-link"]') && !document.querySelector('[data-testid="card-loading"]'), null, { timeout: 60_000 });
  assert.ok(await page.locator('[data-testid="article-card"] mark').count() > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a search\'s cards, scattered over the archive, read their listing rows alone by range, not their shards', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  const listingRequests = [];
  page.on('request', (request) => {
    if (request.url().includes('/data/listing/')) listingRequests.push({ path: new URL(request.url()).pathname.split('/data/')[1], range: request.headers().range });
  });
  // A word of about a hundred articles of the 10,000: one or two of them to a shard of 128 rows.
  await page.getByTestId('search-input').fill('المنتخب');
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]') && document.querySelectorAll('[data-testid="card-link"]').length > 3, null, { timeout: 60_000 });
  const { sizes, rows } = await readBundle(bundleDir);
  const ranged = listingRequests.filter((request) => request.range);
  assert.ok(ranged.length >= 3, `the cards' rows were asked for by range: ${JSON.stringify(listingRequests)}`);
  for (const { path, range } of ranged) {
    const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(range) ?? assert.fail(`a range of bytes: ${range}`);
    const length = Number(end) - Number(start) + 1;
    assert.ok(length <= 2048 && length < sizes.get(path), `${range} of ${path} (${sizes.get(path)} bytes) is one row's slot`);
  }
  // The cards show the rows of the articles the CLI finds, titles and all.
  const cli = JSON.parse(execFileSync(sahifa, ['search', bundleDir, 'المنتخب', '--json', '--limit', '100000'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const found = new Set(cli.map((hit) => hit.title));
  const titles = await page.getByTestId('card-link').allTextContents();
  assert.ok(titles.length > 3 && titles.every((title) => found.has(title) && rows.some((row) => row.title === title)), JSON.stringify(titles));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link to an older article has the page fetch the segment descriptors it lacks beside the wasm, and the app reads each once', async () => {
  const { files, rows } = await readBundle(bundleDir);
  const descriptors = files.filter((path) => path.startsWith('segments/'));
  // A context of its own: nothing cached from the other tests.
  const context = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/_bg\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    const asked = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.includes('/data/')) asked.push(path.split('/data/')[1]);
    });
    const row = rows[Math.floor(rows.length / 2)];
    await page.goto(`${site.url}#/article/${row.id}`);
    const early = JSON.parse(await page.locator('#sahifa-early-files').textContent()).map(([path]) => path);
    const carried = descriptors.filter((path) => !early.includes(path));
    assert.ok(early.length > 0 && carried.length > 0 && early.every((path) => descriptors.includes(path)), JSON.stringify({ early, descriptors }));
    // Asked for while the wasm is still held back.
    const deadline = Date.now() + 10_000;
    while (!early.every((path) => asked.includes(path)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(early.filter((path) => !asked.includes(path)), [], `every early file asked for before the wasm: ${JSON.stringify(asked)}`);

    release();
    await appStarted(page);
    await page.getByTestId('article-view').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('article-title').textContent(), row.title);
    for (const path of descriptors) {
      const times = asked.filter((request) => request === path).length;
      assert.equal(times, early.includes(path) ? 1 : 0, `${path} asked for ${times} times (the page carries ${JSON.stringify(carried)})`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/**
 * Holds the page's listing requests that `counts(request)` accepts until three wait together, which requests
 * made one after another never do; held five seconds without that, they go on and `stalled` says so.
 */
async function holdUntilThreeWait(page, counts) {
  const gate = { together: false, stalled: false };
  let held = [];
  const releaseAll = async () => { const waiting = held; held = []; for (const route of waiting) await route.continue(); };
  await page.route('**/data/listing/**', async (route) => {
    if (!counts(route.request()) || gate.together || gate.stalled) return route.continue();
    held.push(route);
    if (held.length >= 3) {
      gate.together = true;
      await releaseAll();
    } else {
      setTimeout(() => { if (!gate.together && held.length > 0) { gate.stalled = true; releaseAll(); } }, 5000);
    }
  });
  return gate;
}

test('the search package reads a page of scattered hits\' rows at once, each alone by range', async () => {
  await writeFile(join(siteDir, 'package.html'), `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>بحث</title>
<script type="module">
import init, { Archive } from './search/sahifa_search.js';
await init();
const archive = await Archive.open('./data/');
window.found = await archive.search('المنتخب', { limit: 10 });
</script></head><body></body></html>`);
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const ranges = [];
  const gate = await holdUntilThreeWait(page, (request) => { ranges.push(request.headers().range); return true; });
  await page.goto(`${site.url}package.html`);
  await page.waitForFunction(() => window.found, null, { timeout: 120_000 });
  const found = await page.evaluate(() => window.found);
  assert.ok(gate.together && !gate.stalled, `the rows were read one after another: ${ranges.length} requests`);
  const cli = articlesFound('المنتخب');
  assert.deepEqual(found.hits.map((hit) => hit.id), cli.slice(0, 10).map((hit) => hit.id));
  assert.ok(ranges.length >= 3 && ranges.every((range) => /^bytes=\d+-\d+$/.test(range ?? '')), JSON.stringify(ranges));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the search package\'s first results are the search\'s first ten, read from a frequent word\'s leaders at a fraction of its bytes', async () => {
  const word = 'الشرطة';
  const pageCalling = (call) => `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>بحث</title>
<script type="module">
import init, { Archive } from './search/sahifa_search.js';
await init();
const archive = await Archive.open('./data/');
window.answer = await archive.${call};
</script></head><body></body></html>`;
  await writeFile(join(siteDir, 'package-first.html'), pageCalling(`first('${word}', { limit: 10 })`));
  await writeFile(join(siteDir, 'package-search.html'), pageCalling(`search('${word}', { limit: 10 })`));
  // Each page in a browser context of its own, so neither finds the other's pieces in a cache.
  const answerOf = async (file) => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const bodies = [];
    page.on('response', (response) => { if (new URL(response.url()).pathname.includes('/data/search/')) bodies.push(response.body().then((body) => body.length, () => 0)); });
    await page.goto(`${site.url}${file}`);
    await page.waitForFunction(() => window.answer, null, { timeout: 120_000 });
    const answer = await page.evaluate(() => window.answer);
    const searchBytes = (await Promise.all(bodies)).reduce((sum, length) => sum + length, 0);
    assert.deepEqual(errors, []);
    await page.close();
    return { answer, searchBytes };
  };
  const first = await answerOf('package-first.html');
  const counted = await answerOf('package-search.html');
  const cli = articlesFound(word).slice(0, 10);
  assert.deepEqual(first.answer.hits.map((hit) => hit.id), cli.map((hit) => hit.id));
  assert.deepEqual(first.answer.hits.map((hit) => hit.id), counted.answer.hits.map((hit) => hit.id));
  // The same cards: scores, marked titles and excerpts, outlets and dates.
  assert.deepEqual(first.answer.hits, counted.answer.hits);
  assert.ok(first.answer.hits.some((hit) => hit.excerpt.some((segment) => segment.hit)), 'the words found come marked');
  assert.ok(first.answer.total === undefined && counted.answer.total > 10, 'only search counts');
  // Measured on this archive with `sahifa search --explain`: 15.9 KB of search pieces for the first ten,
  // 49.7 KB for every hit.
  assert.ok(first.searchBytes * 2 < counted.searchBytes, `first read ${first.searchBytes} bytes of the index, search ${counted.searchBytes}`);
});

test('a frequent word\'s first cards show while the rest of its hits are read and counted, and stay the list\'s first', async () => {
  // Its leaders stand for about 41 KB of postings here (`sahifa search --explain`: 16.3 KB for the first ten,
  // 57.6 KB for every hit), past `EARLY_ANSWER_LEAST_SAVED`.
  const word = 'المغرب';
  const page = await browser.newPage();
  const errors = watchErrors(page);
  // The worker's whole answer reaches the page two seconds late (its first places at once), so what the page
  // shows meanwhile can be looked at.
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
      set onmessage(handler) {
        super.onmessage = (event) => (event.data?.docs ? setTimeout(() => handler(event), 2000) : handler(event));
      }
      get onmessage() {
        return super.onmessage;
      }
    };
  });
  await page.goto(`${site.url}#/?q=${encodeURIComponent(word)}`);
  await appStarted(page);
  const ids = () => cardIds(page);
  // The first cards, drawn while the count is still being made.
  await page.waitForFunction(() => document.querySelector('[data-testid="loading-state"]') && document.querySelectorAll('[data-testid="card-link"]').length >= 3 && !document.querySelector('[data-testid="card-loading"]'), null, { timeout: 60_000 });
  const early = await ids();
  assert.equal(await page.getByTestId('result-count').count(), 0, 'no count while counting');
  assert.deepEqual(await page.locator('.virtual-row').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('aria-setsize')))]), ['-1'], 'a length not known yet');
  // Then the whole list, counted, with the same cards first.
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"]') && /مقال/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ''), null, { timeout: 60_000 });
  const cli = articlesFound(word);
  assert.deepEqual(early, cli.slice(0, early.length).map((hit) => hit.id));
  await page.waitForFunction(() => !document.querySelector('[data-testid="card-loading"]'));
  assert.deepEqual((await ids()).slice(0, early.length), early);
  assert.equal(await page.locator('.virtual-row').first().getAttribute('aria-setsize'), String(cli.length));
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone a frequent word\'s first cards come alone; the rest is read when the reader scrolls into them or asks', async () => {
  // Every piece of the search index the page's worker reads, by the time it was asked for.
  const { page, errors, bytesRead: searchBytes } = await phonePage('/data/search/');
  const ids = () => cardIds(page);
  const counted = (hits) => page.waitForFunction((expected) => {
    const count = document.querySelector('[data-testid="result-count"]')?.textContent ?? '';
    return !document.querySelector('[data-testid="loading-state"]') && window.__numberIn(count) === expected;
  }, hits, { timeout: 60_000 });

  // Its leaders stand for about 41 KB of postings here (`sahifa search --explain`: 16.3 KB for the first ten,
  // 57.6 KB for every hit).
  const { early, cli } = await openHeld(page, 'المغرب');
  assert.deepEqual(await page.locator('.virtual-row').evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('aria-setsize')))]), ['-1'], 'a length not known yet');
  // Held: nothing more is read while the reader looks at the first cards.
  const heldBytes = await searchBytes();
  await page.waitForTimeout(1500);
  assert.equal(await searchBytes(), heldBytes, 'the rest is not read until wanted');
  assert.equal(await page.getByTestId('result-count').count(), 0);

  // Scrolling into the list reads the rest and counts it; the same cards stay first.
  await page.mouse.wheel(0, 400);
  await counted(cli.length);
  await page.waitForFunction(() => !document.querySelector('[data-testid="card-loading"]'));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector('[data-testid="card-loading"]') && document.querySelector('.virtual-row[aria-posinset="1"]'));
  assert.deepEqual((await ids()).slice(0, early.length), early);
  assert.ok(heldBytes * 2 < await searchBytes(), `the first cards read ${heldBytes} bytes of the index, the whole list ${await searchBytes()}`);

  // Or the line's button asks for it.
  const other = 'الشرطة';
  await page.getByTestId('search-input').fill(other);
  await firstCardsShown(page);
  await page.getByTestId('show-rest').click();
  await counted(articlesFound(other).length);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone a phrase\'s first cards are checked on its best candidates alone, reading a few runs of positions', async () => {
  // Every piece of the phrase's positions the page's worker reads.
  const { page, errors, bytesRead: positionBytes } = await phonePage('/data/search/positions/');
  // Its words' positions come to about 100 KB here, past `EARLY_ANSWER_LEAST_SAVED` (`sahifa search
  // --explain`: 12 KB of them for the first ten).
  const { cli } = await openHeld(page, '"الجريمة المنظمة"');
  const heldBytes = await positionBytes();
  await page.waitForTimeout(1500);
  assert.equal(await positionBytes(), heldBytes, 'the rest is not read until wanted');

  await page.getByTestId('show-rest').click();
  await page.waitForFunction((expected) => !document.querySelector('[data-testid="loading-state"]') && window.__numberIn(document.querySelector('[data-testid="result-count"]')?.textContent ?? '') === expected, cli.length, { timeout: 60_000 });
  assert.ok(heldBytes > 0 && heldBytes * 4 < await positionBytes(), `the first cards read ${heldBytes} bytes of positions, the whole list ${await positionBytes()}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone an export asked for while the rest of a list is held waits for it and lists every hit', async () => {
  const context = await launchBrowser({ serviceWorkers: 'block', acceptDownloads: true, viewport: { width: 360, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const word = 'المغرب';
    await page.goto(`${site.url}#/?q=${encodeURIComponent(word)}`);
    await appStarted(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count-at-least"]') && !document.querySelector('[data-testid="card-loading"]'), null, { timeout: 60_000 });
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByTestId('export-json').click();
    const rows = JSON.parse(await readFile(await (await download).path(), 'utf8'));
    assert.deepEqual(rows.map((row) => row.id), articlesFound(word).map((hit) => hit.id));
    // The export brought the whole list, which is now counted.
    await page.getByTestId('result-count').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an export reads a search\'s scattered rows alone, several at once, and lists every hit', async () => {
  // Its own browser, which takes downloads, closed even when an assertion fails (a browser left open would
  // keep the test run from ending).
  const context = await launchBrowser({ serviceWorkers: 'block', acceptDownloads: true });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    // By address, so no word offers of a typed query cover the export's buttons.
    await page.goto(`${site.url}#/?q=${encodeURIComponent('المنتخب')}`);
    await appStarted(page);
    await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]') && document.querySelector('[data-testid="card-link"]'), null, { timeout: 60_000 });
    const asked = [];
    const gate = await holdUntilThreeWait(page, (request) => asked.push(request.headers().range) > 0);
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByTestId('export-csv').click({ timeout: 30_000 });
    const file = await download;
    const text = await readFile(await file.path(), 'utf8');
    assert.ok(gate.together && !gate.stalled, `the export read its ${asked.length} files one after another`);
    // About a hundred hits, one to three to a shard of 128 rows: read alone, each a row's slot.
    const alone = asked.filter((range) => range && /^bytes=(\d+)-(\d+)$/.test(range));
    assert.ok(alone.length > asked.length / 2 && alone.every((range) => { const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(range); return b - a < 2048; }), JSON.stringify(asked));
    const cli = articlesFound('المنتخب');
    // A header and a line per hit (titles hold no line breaks here).
    assert.equal(text.trimEnd().split('\r\n').length, cli.length + 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone a search reads no outlet column while the filters are folded; shown, they count its hits', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 360, height: 800 });
  const errors = watchErrors(page);
  const outletRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.includes('/data/outlets/')) outletRequests.push(request.url());
  });
  await readNumbersIn(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  const hitsOf = (word) => articlesFound(word).length;
  // The outlet facet's counts add up to the hits once they are the query's own, not the last ones known.
  const countsAddUpTo = (hits) => page.waitForFunction((expected) => {
    const facet = document.querySelector('[data-testid="facet-outlet"]');
    if (!facet || facet.getAttribute('aria-busy') === 'true') return false;
    return [...facet.querySelectorAll('.facet-count')].reduce((sum, count) => sum + window.__numberIn(count.textContent), 0) === expected;
  }, hits, { timeout: 60_000 });
  const searched = async (word) => {
    await page.getByTestId('search-input').fill(word);
    await page.waitForFunction(() => !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]') && document.querySelector('[data-testid="card-link"]'), null, { timeout: 60_000 });
  };

  const first = 'الانتربول';
  await searched(first);
  // Time enough for the counts' request, had the folded filters made one.
  await page.waitForTimeout(1500);
  assert.equal(await page.getByTestId('facet-outlet').isVisible(), false);
  assert.deepEqual(outletRequests, [], 'no outlet column is read while the filters are folded');

  // Opened, the filters read the columns; until they come the facet is busy and claims no count.
  let release;
  const held = new Promise((done) => { release = done; });
  await page.route('**/data/outlets/**', async (route) => { await held; await route.continue(); });
  await page.getByTestId('filter-toggle').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="facet-outlet"]')?.getAttribute('aria-busy') === 'true', null, { timeout: 30_000 });
  // The facet says it is busy as the worker asks for the columns; the request may be reported a moment later.
  const deadline = Date.now() + 10_000;
  while (outletRequests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(outletRequests.length > 0, 'opening the filters reads the outlet columns');
  const shown = await page.getByTestId('facet-outlet').locator('.facet-count').allTextContents();
  assert.ok(shown.length > 0 && shown.every((count) => count === '…'), JSON.stringify(shown));
  release();
  await countsAddUpTo(hitsOf(first));
  await page.unroute('**/data/outlets/**');

  // Folded again, the next query's counts wait until the screen is wide enough to show the filters.
  await page.getByTestId('filter-toggle').click();
  const second = 'وزير';
  await searched(second);
  await page.setViewportSize({ width: 1280, height: 800 });
  await countsAddUpTo(hitsOf(second));
  assert.deepEqual(errors, []);
  await page.close();
});

test('scrolling by a row keeps the rows that stay on screen: a focused card stays the same element, on the same article', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 2000));
  await page.waitForFunction(() => !document.querySelector('[data-testid="card-loading"]') && document.querySelectorAll('[data-testid="card-link"]').length > 4);
  const link = page.getByTestId('card-link').nth(3);
  await link.focus();
  const href = await link.getAttribute('href');
  await page.evaluate(() => { window.__focused = document.activeElement; });
  // One row is 14rem: scroll by exactly one, which adds a row below and drops one above.
  await page.evaluate(() => window.scrollBy(0, 14 * parseFloat(getComputedStyle(document.documentElement).fontSize)));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const kept = await page.evaluate((expected) => {
    const element = window.__focused;
    return element.isConnected && document.activeElement === element && element.getAttribute('href') === expected;
  }, href);
  assert.ok(kept, 'the focused link was replaced or now points elsewhere');
  assert.deepEqual(errors, []);
  await page.close();
});
