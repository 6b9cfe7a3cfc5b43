// The long-session benchmark: a reader types query after query quickly into the search box of a large archive.
// After each query it checks that what is shown answers that query (the address holds it, and the first cards
// are its best hits as `sahifa search` ranks them: no stale results), and every 50 queries it records the tab's memory: the page's
// JavaScript heap, and the resident memory of the renderer (page, search worker, both wasm memories).
// Run through `cargo xtask bench-session [--articles N] [--queries Q]` (it builds the CLI and the site first).
// Playwright's DevTools sessions keep a record of every request while the page lives, which grows the
// renderer by itself; `session-bare.mjs` (`--bare`) measures the renderer without them.
import { execFileSync } from 'node:child_process';
import { serveSite, launchBrowser, siteWithBundle, appStarted, exposeAppMemory, appWasmBytes, typeQuery } from '../e2e/support.mjs';
import { ARTICLES, QUERIES, SAHIFA, sessionBundle, queries, renderersMemory } from './session-common.mjs';

const bundle = sessionBundle();
const site = await serveSite(await siteWithBundle(bundle));
const browser = await launchBrowser({ serviceWorkers: 'block' });
await exposeAppMemory(browser);
const page = await browser.newPage();
const client = await page.context().newCDPSession(page);
await client.send('Performance.enable');
await page.goto(site.url);
await appStarted(page);
await page.getByTestId('article-card').first().waitFor();

/** The page's JS heap (MB, from Chromium's metrics), and the resident memory of the browser's renderer
 *  processes started by this script (MB): the page, its search worker and both wasm memories live there. */
async function memory() {
  // Garbage collected first, so what is measured is what is kept.
  await client.send('HeapProfiler.collectGarbage');
  const { metrics } = await client.send('Performance.getMetrics');
  // DOM nodes and event listeners the page holds (attached or not): views that are never let go show here,
  // outside the JS heap.
  const { nodes, jsEventListeners: listeners } = await client.send('Memory.getDOMCounters');
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize').value / 2 ** 20;
  const { renderer, proportional } = renderersMemory();
  // The two wasm memories (they only grow: their size is the most either has held at once); null if unknown.
  const app = await appWasmBytes(page);
  const worker = (await Promise.all(page.workers().map((each) => each.evaluate(() => self.__sahifaWasmMemory?.buffer.byteLength ?? null).catch(() => null)))).find((size) => size !== null) ?? null;
  const mb = (bytes) => (bytes === null ? null : bytes / 2 ** 20);
  return { heap, renderer, proportional, app: mb(app), worker: mb(worker), nodes, listeners };
}

const curve = [];
let stale = 0;
const started = Date.now();
let n = 0;
for (const query of queries(QUERIES)) {
  await typeQuery(page, query);
  // The first cards shown are this query's best hits, as the same engine over the bundle on disk ranks them.
  const shown = (await page.$$eval('[data-testid="article-card"]', (cards) => cards.map((card) => card.dataset.id))).slice(0, 3);
  const expected = JSON.parse(execFileSync(SAHIFA, ['search', bundle, query, '--json', '--limit', '10']).toString())
    .filter((hit) => hit.kind === 'article').slice(0, shown.length).map((hit) => hit.id);
  if (shown.join() !== expected.join()) {
    stale += 1;
    console.error(`query ${n + 1} «${query}»: shown ${shown.join(', ')}; expected ${expected.join(', ')}`);
  }
  if (n % 50 === 0 || n === QUERIES - 1) {
    const sample = { queries: n + 1, seconds: Math.round((Date.now() - started) / 1000), ...(await memory()) };
    curve.push(sample);
    console.error(`after ${sample.queries} queries: JS heap ${sample.heap.toFixed(1)} MB, app wasm ${sample.app?.toFixed(0) ?? '?'} MB, worker wasm ${sample.worker?.toFixed(0) ?? '?'} MB, renderers ${sample.renderer.toFixed(0)} MB (Pss ${sample.proportional.toFixed(0)}), ${sample.nodes} DOM nodes, ${sample.listeners} listeners`);
  }
  n += 1;
}
await browser.close();
await site.close();

console.log(`\nLong session: ${QUERIES} queries typed into a ${ARTICLES.toLocaleString('en')}-article archive`);
console.log(`queries whose first cards were not the query's best hits (stale or wrong): ${stale}`);
const shown = (value, digits) => (value === null ? 'unknown' : value.toFixed(digits));
console.log('| queries | seconds | page JS heap (MB) | app wasm memory (MB) | worker wasm memory (MB) | renderer processes, resident / proportional (MB) | DOM nodes | listeners |');
console.log('|---|---|---|---|---|---|---|---|');
for (const sample of curve) console.log(`| ${sample.queries} | ${sample.seconds} | ${sample.heap.toFixed(1)} | ${shown(sample.app, 0)} | ${shown(sample.worker, 0)} | ${sample.renderer.toFixed(0)} / ${sample.proportional.toFixed(0)} | ${sample.nodes} | ${sample.listeners} |`);
