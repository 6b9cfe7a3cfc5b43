// End to end: a reader who searches again and again in one visit. Each search is answered and drawn anew, and
// what the last one held must be let go: after a hundred more queries typed letter by letter, the app's memory
// is where it was after the first few. (With Leptos 0.8 it grew by about 14 KB a query on this site, 1.4 MB
// a hundred, because effects and memos that went stayed among the subscribers of the signals they had read;
// `cargo xtask bench-session` measures the same at 100,000 articles.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, launchBrowser, appStarted, exposeAppMemory, appWasmBytes, typeQuery, watchErrors } from './support.mjs';

// Words of the sample pages, frequent and rare, some glued to a second one: every letter typed is a search.
const WORDS = ['المغرب', 'الأمن', 'التعاون', 'الدولي', 'مراكش', 'الانتربول', 'الشرطة', 'حموشي', 'المؤتمر'];
const queryNumber = (n) => WORDS[n % WORDS.length] + (n % 3 === 0 ? ` ${WORDS[(n * 7 + 2) % WORDS.length]}` : '');
// Wasm memory grows by 64 KiB pages and the allocator keeps some slack, so a little growth is no leak; the
// leak this guards against put 1.4 MB on it over the same hundred queries.
const ALLOWED_GROWTH = 512 * 1024;

let site;
let browser;

before(async () => {
  site = await serveSite();
  browser = await launchBrowser({ serviceWorkers: 'block' });
  await exposeAppMemory(browser);
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('a hundred queries typed letter by letter leave the app\'s memory level', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-card').first().waitFor();
  // The first queries fill the caches a session keeps (the search worker, the word offers, the shards).
  for (let n = 0; n < 15; n += 1) await typeQuery(page, queryNumber(n));
  const settled = await appWasmBytes(page);
  assert.ok(settled > 0, 'the app\'s wasm memory is readable');
  let answered = 0;
  for (let n = 15; n < 115; n += 1) {
    await typeQuery(page, queryNumber(n));
    answered += (await page.getByTestId('article-card').count()) > 0 ? 1 : 0;
  }
  const grown = (await appWasmBytes(page)) - settled;
  assert.ok(answered >= 90, `the queries found articles (${answered} of 100 did), so each drew a list`);
  assert.ok(grown <= ALLOWED_GROWTH, `the app's wasm memory grew by ${(grown / 1024).toFixed(0)} KiB over 100 queries (at most ${ALLOWED_GROWTH / 1024} allowed)`);
  assert.deepEqual(errors, []);
  await page.close();
});
