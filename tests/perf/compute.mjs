// Query compute, measured steadily: the search package's wasm run by Node (the same V8 as Chromium) over a
// bundle a scale run built, each query once cold and then warm `--runs` times, beside the native CLI's figure
// for the same query. In headless Chromium on a shared two-core machine the worker's figure swings by several
// milliseconds between runs of one query (the page, the compositor and the network share the cores with it);
// here nothing else runs, so the code's own cost shows, and a change to it can be compared run against run.
// Run through `cargo xtask bench-compute --work DIR` after `cargo xtask bench-scale` wrote DIR (its bundle and
// the queries it measured, from results.json); the package is the one `cargo xtask build` just made (dist/search).
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { serveSite, SITE_DIR, SAHIFA_CLI } from '../e2e/support.mjs';
import { args, percentile } from './figures.mjs';

if (!args.work) throw new Error('usage: node tests/perf/compute.mjs --work DIR [--runs N] (DIR: a bench-scale folder)');
const WORK = resolve(args.work);
const RUNS = Number(args.runs ?? 9);
const bundle = join(WORK, 'sahifa-bundle');
const { results } = JSON.parse(await readFile(join(WORK, 'results.json'), 'utf8'));

const searchPackage = await import(join(SITE_DIR, 'search/sahifa_search.js'));
searchPackage.initSync({ module: await readFile(join(SITE_DIR, 'search/sahifa_search_bg.wasm')) });
const server = await serveSite(bundle);
const archive = await searchPackage.Archive.open(server.url);

const median = (values) => percentile(values, 50);
/** The CLI's own figure: `--explain` repeats the search twenty times with everything loaded. */
function native(query) {
  const { stderr } = spawnSync(SAHIFA_CLI, ['search', bundle, query, '--explain', '--limit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return Number(/takes ([\d.]+) ms/.exec(stderr.toString())?.[1] ?? NaN);
}

const rows = [];
// Each query as the bench measured it. `hits` is the search alone (its own clock); `search` is the package's
// whole answer as a page gets it, timed around the call: the search, the list under the filter with every
// facet count (outlet columns for a frequent word's hits), and the first ten rows.
for (const { kind, query, outlet } of results) {
  const cold = await archive.hits(query, {});
  await archive.search(query, { outlet });
  const warm = [];
  const whole = [];
  for (let run = 0; run < RUNS; run++) {
    warm.push((await archive.hits(query, {})).ms);
    const started = performance.now();
    await archive.search(query, { outlet });
    whole.push(performance.now() - started);
  }
  rows.push({ kind, query: query + (outlet ? ` [${outlet}]` : ''), hits: cold.docs.length, wasm: median(warm), fastest: Math.min(...warm), whole: median(whole), native: native(query) });
}
await server.close();

console.log(`Query compute over ${bundle} (${RUNS} warm runs per query in wasm under Node ${process.version}; native: the CLI's --explain)\n`);
console.log('| query | kind | hits | wasm median (ms) | wasm fastest (ms) | whole search() median (ms) | native (ms) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.query} | ${r.kind} | ${r.hits} | ${r.wasm.toFixed(2)} | ${r.fastest.toFixed(2)} | ${r.whole.toFixed(2)} | ${r.native.toFixed(2)} |`);
const medians = rows.map((r) => r.wasm);
const wholes = rows.map((r) => r.whole);
const natives = rows.map((r) => r.native);
console.log(`\n| over the ${rows.length} queries | p50 | p95 |\n|---|---|---|`);
console.log(`| wasm, median of each query's warm runs (ms) | ${percentile(medians, 50).toFixed(2)} | ${percentile(medians, 95).toFixed(2)} |`);
console.log(`| wasm, the package's whole search() with list, facets and ten rows (ms) | ${percentile(wholes, 50).toFixed(2)} | ${percentile(wholes, 95).toFixed(2)} |`);
console.log(`| native (ms) | ${percentile(natives, 50).toFixed(2)} | ${percentile(natives, 95).toFixed(2)} |`);
