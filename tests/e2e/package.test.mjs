// The search package from a plain web page: the JS API any site can use to search a Sahifa bundle (README,
// "Search from any page"), loaded as wasm-pack builds it, with no viewer around it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, SITE_DIR, SAHIFA_CLI, tempDir } from './support.mjs';

let cleanup = [];
after(async () => { for (const close of cleanup) await close(); });

const PAGE = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>بحث</title>
<script type="module">
import init, { Archive } from './search/sahifa_search.js';
await init();
const archive = await Archive.open('./data/');
window.info = archive.info();
window.all = await archive.search('الانتربول');
window.filtered = await archive.search('الانتربول', { outlet: 'هسبريس', limit: 1 });
window.browse = await archive.search('', { year: 2025 });
window.dated = await archive.search('', { from: '2014-01-01', to: '2025-11-30' });
window.badDate = await archive.search('', { from: '2014-02-30' }).then(() => 'resolved', (error) => error.message);
window.oldest = await archive.search('الانتربول', { sort: 'oldest' });
window.typing = await archive.search('مراك');
window.none = await archive.search('كلمةلاوجودلها');
// Only the places, as a typed array (what the viewer's worker transfers to the page).
const { docs } = await archive.hits('حموشي');
window.hits = { typed: docs instanceof Uint32Array, count: docs.length };
// The viewer's own call: a query's whole list, filtered and ordered, with the outlet counts in a second
// answer (with wait) when their columns are not here yet. A fresh archive, so nothing is cached.
const viewed = await Archive.open('./data/');
const first = await viewed.view('الانتربول', {});
const counted = await viewed.view('الانتربول', { wait: true });
const narrowed = await viewed.view('الانتربول', { outlet: 'هسبريس', sort: 'oldest' });
window.view = {
  typed: first.docs instanceof Uint32Array, docs: [...first.docs], pending: first.pending, outlets: first.facets.outlets, years: first.facets.years,
  counted: counted.facets.outlets, countedPending: counted.pending, narrowed: [...narrowed.docs],
  expectedNarrowed: (await archive.search('الانتربول', { outlet: 'هسبريس', sort: 'oldest', limit: 1000 })).hits.map((h) => h.doc),
};
// A search whose signal fires while its pieces are on their way rejects with an AbortError; one given an
// already aborted signal fetches nothing. A fresh archive, so nothing is cached.
const fresh = await Archive.open('./data/');
const controller = new AbortController();
const aborted = fresh.search('الشرطة', { signal: controller.signal });
setTimeout(() => controller.abort(), 0);
window.abortedMidway = await aborted.then(() => 'resolved', (error) => error.name);
window.abortedBefore = await fresh.hits('المغرب', { signal: AbortSignal.abort() }).then(() => 'resolved', (error) => error.name);
window.afterAbort = (await fresh.search('الشرطة')).total;
// Entry files a page has read already (the manifest, the segments' descriptors) are handed over, not fetched
// again: the viewer's search worker opens the archive so.
const bytesOf = async (path) => new Uint8Array(await (await fetch('./data/' + path)).arrayBuffer());
const manifest = await bytesOf('manifest.json');
const descriptors = JSON.parse(new TextDecoder().decode(manifest)).segments.map(([file]) => file);
const given = [['manifest.json', manifest], ...await Promise.all(descriptors.map(async (path) => [path, await bytesOf(path)]))];
const opened = performance.now();
const handed = await Archive.open('./data/', { files: given });
window.handedTotal = (await handed.search('الشرطة')).total;
// Entries by when their request started: the ones above may be recorded a moment after their bodies are read.
window.handedAsked = performance.getEntriesByType('resource').filter((entry) => entry.startTime >= opened).map((entry) => new URL(entry.name).pathname);
window.done = true;
</script></head><body></body></html>`;

test('a plain page imports the search package and searches a bundle: filters, limits, highlights, as the CLI does', async () => {
  const dir = await tempDir('sahifa-package-');
  await cp(join(SITE_DIR, 'search'), join(dir, 'search'), { recursive: true });
  await cp(join(SITE_DIR, 'data'), join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'index.html'), PAGE);
  const site = await serveSite(dir);
  const browser = await launchBrowser();
  cleanup.push(() => browser.close(), () => site.close());
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await page.waitForFunction(() => window.done === true);
  const { info, all, filtered, browse, typing, none, hits, oldest, dated, badDate, abortedMidway, abortedBefore, afterAbort, handedTotal, handedAsked, view } = await page.evaluate(() => ({
    view: window.view, handedTotal: window.handedTotal, handedAsked: window.handedAsked,
    info: window.info, all: window.all, filtered: window.filtered, browse: window.browse, typing: window.typing, none: window.none, hits: window.hits,
    oldest: window.oldest, dated: window.dated, badDate: window.badDate, abortedMidway: window.abortedMidway, abortedBefore: window.abortedBefore, afterAbort: window.afterAbort,
  }));

  assert.equal(info.articles, 5);
  // The same hits in the same order as `sahifa search`, which runs the same engine natively.
  const cli = JSON.parse(execFileSync(SAHIFA_CLI, ['search', join(dir, 'data'), 'الانتربول', '--json']).toString()).filter((h) => h.kind === 'article');
  assert.equal(all.total, cli.length);
  assert.deepEqual(all.hits.map((h) => h.id), cli.slice(0, 10).map((h) => h.id));
  // Matches are marked in the titles and opening lines (a hit may match deeper in its body only).
  const marked = all.hits.flatMap((hit) => [...hit.title, ...hit.excerpt]).filter((s) => s.hit).map((s) => s.text);
  assert.ok(marked.length > 0 && marked.every((text) => text.includes('نتربول')), marked.join(' | '));
  assert.ok(all.hits.every((hit) => hit.score > 0));
  // Filters and limits: the total counts every match, the page holds the limit.
  assert.equal(filtered.hits.length, 1);
  assert.ok(filtered.total >= 1 && filtered.hits.every((h) => h.outlet === 'هسبريس'));
  assert.deepEqual(Object.fromEntries(all.facets.outlets)['هسبريس'], filtered.total);
  // The same hits oldest first: dates ascending, undated last.
  assert.equal(oldest.total, all.total);
  const dates = oldest.hits.map((h) => h.published ?? '9999');
  assert.deepEqual(dates, [...dates].sort());
  // No query lists the archive, newest first, here one year of it.
  assert.equal(browse.total, 2);
  assert.ok(browse.hits.every((h) => h.published.startsWith('2025')));
  // Inside a year, its months are counted; a date range lists its days, and a date that is no day is refused.
  assert.deepEqual(browse.facets.months, [['12', 1], ['11', 1]]);
  assert.deepEqual(dated.hits.map((h) => h.published), ['2025-11-24', '2014-03-08']);
  assert.match(badDate, /from: "2014-02-30" is not a date/);
  // A word still being typed matches as a prefix, as in the CLI.
  const cliTyping = JSON.parse(execFileSync(SAHIFA_CLI, ['search', join(dir, 'data'), 'مراك', '--json']).toString()).filter((h) => h.kind === 'article');
  assert.ok(typing.total >= 1);
  assert.deepEqual(typing.hits.map((h) => h.id), cliTyping.map((h) => h.id));
  assert.equal(none.total, 0);
  assert.deepEqual(hits, { typed: true, count: 1 });
  // The viewer's list: every hit, best first, as search orders them; counts as search's, the outlets' once
  // their columns are here; a filter and an order applied there too.
  assert.ok(view.typed);
  assert.equal(view.docs.length, all.total);
  assert.deepEqual(view.docs.slice(0, 10), all.hits.map((h) => h.doc));
  assert.deepEqual(view.years, all.facets.years);
  assert.deepEqual(view.outlets, view.pending.length > 0 ? [] : all.facets.outlets, 'outlet counts are whole or absent, never partial');
  assert.deepEqual(view.countedPending, []);
  assert.deepEqual(view.counted, all.facets.outlets);
  assert.equal(view.narrowed.length, filtered.total);
  assert.deepEqual(view.narrowed, view.expectedNarrowed);
  // Aborted searches reject as fetch does, and the archive still answers the same query afterwards.
  assert.equal(abortedMidway, 'AbortError');
  assert.equal(abortedBefore, 'AbortError');
  const cliPolice = JSON.parse(execFileSync(SAHIFA_CLI, ['search', join(dir, 'data'), 'الشرطة', '--json']).toString()).filter((h) => h.kind === 'article');
  assert.equal(afterAbort, cliPolice.length);
  assert.ok(afterAbort > 0);
  // Opened from handed-over entry files, it answers the same and asks only for index pieces and rows.
  assert.equal(handedTotal, cliPolice.length);
  assert.ok(handedAsked.length > 0, 'the search itself still reads its pieces');
  assert.deepEqual(handedAsked.filter((path) => path.endsWith('manifest.json') || path.includes('/segments/') || path.includes('/directory/')), []);
  assert.deepEqual(errors, []);
});
