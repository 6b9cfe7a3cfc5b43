// The two engines the benchmarks compare, driven the same way: Sahifa through its search package, Pagefind
// through its JS API, both in the same headless Chromium. Used by the scale benchmark (tests/perf/scale.mjs)
// and the search-quality harness (tests/perf/eval.mjs).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const SAHIFA = join(ROOT, 'target/cli/sahifa');
export const PAGEFIND = join(ROOT, 'node_modules/.bin/pagefind');
const READY_TIMEOUT_MS = 120_000;

const html = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Pagefind site of the articles of `bundle`: one HTML page per article (outlet as a filter), and a search
 *  page driving Pagefind's JS API. Pagefind's own indexer is run by the caller. */
export async function pagefindSite(bundle, site) {
  await rm(site, { recursive: true, force: true });
  await mkdir(join(site, 'a'), { recursive: true });
  // The articles come through the CLI (`sahifa export`, JSON Lines, newest first), not a walker of our own;
  // streamed, since a million articles do not fit in one string.
  const exporter = spawn(SAHIFA, ['export', bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: exporter.stdout, crlfDelay: Infinity })) {
    if (!line) continue;
    const article = JSON.parse(line);
    const body = article.body.split('\n').map((text) => `<p>${html(text)}</p>`).join('\n');
    const outlet = article.outlet ? `<span data-pagefind-filter="outlet">${html(article.outlet)}</span>` : '';
    await writeFile(join(site, 'a', `${article.id}.html`),
      `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>${html(article.title)}</title></head>` +
      `<body><main data-pagefind-body><h1>${html(article.title)}</h1><p>${outlet} ${article.date ?? ''}</p>${body}</main></body></html>\n`);
  }
  // The search page: Pagefind's JS API, results painted like Sahifa's list (title and excerpt of the top 10).
  await writeFile(join(site, 'index.html'), `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>Pagefind</title>
<script type="module">
const pagefind = await import('./pagefind/pagefind.js');
await pagefind.init();
window.pagefind = pagefind;
window.runSearch = async (query, outlet) => {
  const search = await pagefind.search(query, outlet ? { filters: { outlet } } : {});
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  document.querySelector('#results').innerHTML = top.map((d) => '<li><a>' + d.meta.title + '</a><p>' + d.excerpt + '</p></li>').join('');
  document.querySelector('#count').textContent = String(search.results.length);
  return search.results.length;
};
window.ready = true;
</script></head><body><p id="count"></p><ol id="results"></ol></body></html>\n`);
}


/** Every article of `bundle` in the archive's order (newest first), read through `sahifa export`. */
export async function exportedArticles(bundle) {
  const articles = [];
  const exporter = spawn(SAHIFA, ['export', bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: exporter.stdout, crlfDelay: Infinity })) {
    if (line) {
      const { id, title, body } = JSON.parse(line);
      articles.push({ id, title, body });
    }
  }
  return articles;
}

/** The ids of the first ten hits of each query, from Sahifa's search package on the site at `url`. */
export async function rankWithSahifa(context, url, queries) {
  const page = await context.newPage();
  await page.goto(url);
  const ranked = await page.evaluate(async (queries) => {
    const { default: init, Archive } = await import(new URL('search/sahifa_search.js', location.href).href);
    await init();
    const archive = await Archive.open(new URL('data/', location.href).href);
    const out = [];
    for (const query of queries) out.push((await archive.search(query, { limit: 10 })).hits.map((hit) => hit.id));
    return out;
  }, queries);
  await page.close();
  return ranked;
}

/** The ids of the first ten hits of each query, from Pagefind's JS API on the site `pagefindSite` wrote. */
export async function rankWithPagefind(context, url, queries) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true, null, { timeout: READY_TIMEOUT_MS });
  const ranked = await page.evaluate(async (queries) => {
    const out = [];
    for (const query of queries) {
      const search = await window.pagefind.search(query);
      const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
      out.push(top.map((d) => d.url.split('/').at(-1).replace(/\.html$/, '')));
    }
    return out;
  }, queries);
  await page.close();
  return ranked;
}
