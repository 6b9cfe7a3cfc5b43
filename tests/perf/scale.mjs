// The scale benchmark: one generated corpus, built by Sahifa and indexed by Pagefind, both searched in the
// same headless Chromium with the same queries. Prints build time and peak memory, bundle bytes per article,
// startup bytes, and per query the bytes and requests downloaded (split into engine code, search index, and
// the rest: listing rows for the cards, facet columns, directories) and the latency to painted results, cold
// and warm. On real text it also measures known-item search: 300 articles looked for by a run of their title
// words typed as readers type (`habits.mjs`), both engines in the same Chromium through their JS APIs.
// Run through `cargo xtask bench-scale --articles N` (it builds the CLI and the site first).
import { execFileSync, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createReadStream, createWriteStream } from 'node:fs';
import { brotliCompressSync, constants as zlib, createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveSite, launchBrowser, SITE_DIR } from '../e2e/support.mjs';
import { pagefindSite, rankWithSahifa, rankWithPagefind, exportedArticles, SAHIFA, PAGEFIND } from './engines.mjs';
import { args, percentile } from './figures.mjs';
import { AS_READERS_TYPE, identifying, knownItems, rankOf, rarity } from './habits.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPORA = process.argv.slice(2).flatMap((a, i, all) => (a === '--corpus' ? [resolve(all[i + 1])] : []));
const ARTICLES = Number(args.articles ?? 10000);
const SEED = Number(args.seed ?? 1);
// `--corpus FILE`: real articles (JSON Lines, gzipped or not), grown to `--articles` by `sahifa gen-corpus
// --from` (copies shifted back in time, with some words replaced by invented names); several `--corpus` go
// together into one archive; otherwise a corpus generated from the sample pages.
const REAL = CORPORA.length > 0 ? CORPORA : null;
const CORPUS_NAME = REAL ? REAL.map((file) => file.split('/').at(-1).replace(/\.jsonl(\.gz)?$/, '')).join('+') : 'generated';
// Everything the run writes (corpus, bundle, sites) goes here; a corpus already there is reused.
const WORK = resolve(args.work ?? join(ROOT, 'target/bench', REAL ? `${CORPUS_NAME}-${ARTICLES}` : String(ARTICLES)));
const QUERY_TIMEOUT_MS = 120_000;
// `--latency MS`: every answer to the twenty measured queries comes that late, as over a phone's network, so the
// rounds of requests a query makes one after another show in its time (the server speaks HTTP/1.1, so the
// browser opens at most six connections to it: more requests at once wait for a free one, which HTTP/2 hosts
// would not make them do). Known-item search is measured without it.
const LATENCY_MS = Number(args.latency ?? 0);
// `--phone`: both engines' pages at a phone's width (360 × 800), where the viewer folds its filters away.
const PHONE = process.argv.includes('--phone');
const SCREEN = PHONE ? { viewport: { width: 360, height: 800 } } : {};
/** Warm runs of each query whose search times and painted times give the median warm figures. */
const WARM_COMPUTE_RUNS = 5;
// Pagefind gets at most this much memory (address space) and time; past them it is reported as unable to build.
const PAGEFIND_MEMORY_BYTES = 16 * 1024 ** 3;
const PAGEFIND_SECONDS = 30 * 60;

/** Mirrors `sahifa_core::synth::invented_name`, only to pick rare words that exist in the corpus. */
function inventedName(rank) {
  const letters = [...'بتجحدرزسشصطعغفقكلمنهوياء'];
  let n = BigInt(rank + letters.length * 24);
  let name = '';
  while (n > 0n) { name += letters[Number(n % BigInt(letters.length))]; n /= BigInt(letters.length); }
  return name[0] + 'ا' + name.slice(1);
}

// Twenty queries for the generated corpus: rare, frequent, two words, prefixes while typing, phrases, and with
// a facet filter. A real corpus gets its own, drawn from its titles (`queriesFrom`).
const GENERATED_QUERIES = [
  ['rare name', inventedName(3)], ['rare name', inventedName(40)], ['rare name', inventedName(700)],
  ['frequent word', 'الأمن'], ['frequent word', 'المغرب'], ['frequent word', 'التعاون'],
  ['word', 'الانتربول'], ['word', 'مراكش'], ['word', 'الإرهاب'], ['word', 'الشرطة'],
  ['two words', 'التعاون الأمني'], ['two words', 'وزير الداخلية'], ['two words', 'الجريمة المنظمة'],
  ['prefix', 'مراك'], ['prefix', 'الانترب'], ['prefix', 'حموش'],
  ['phrase', '"الجريمة المنظمة"'], ['phrase', '"المدير العام"'],
  ['facet', 'الأمن', 'هسبريس'], ['facet', 'مراكش', 'الأول'],
];

/** Twenty queries of the same kinds drawn from a real corpus's titles, deterministically: words, frequent
 *  and rare ones, two words, prefixes of 60–80 % of a word, phrases, and a word with its outlet as a facet. */
async function queriesFrom(corpusFile) {
  const articles = [];
  for await (const line of createInterface({ input: createReadStream(corpusFile), crlfDelay: Infinity })) {
    if (line) articles.push(JSON.parse(line));
    if (articles.length >= ARTICLES) break;
  }
  const words = (title) => title.split(/\s+/).map((w) => w.replace(/[^\u0621-\u064A]/g, '')).filter((w) => w.length >= 4);
  const counts = new Map();
  const sample = articles.filter((_, n) => n % Math.max(1, Math.floor(articles.length / 3000)) === 0);
  for (const article of sample) for (const word of new Set(words(article.title))) counts.set(word, (counts.get(word) ?? 0) + 1);
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const pick = (n) => articles[Math.floor(((n + 0.5) / 16) * articles.length)];
  const pairOf = (article) => {
    const all = article.title.split(/\s+/).filter((w) => /[\u0621-\u064A]{3,}/.test(w));
    return all.length >= 2 ? all.slice(0, 2).join(' ') : all[0] ?? 'خبر';
  };
  const longest = (article) => words(article.title).sort((a, b) => b.length - a.length)[0] ?? pairOf(article);
  const queries = [];
  for (let n = 0; n < 3; n++) queries.push(['rare word', byCount.filter(([, c]) => c === 1)[n * 97]?.[0] ?? longest(pick(n))]);
  for (let n = 0; n < 3; n++) queries.push(['frequent word', byCount[n * 2]?.[0] ?? longest(pick(n))]);
  for (let n = 0; n < 4; n++) queries.push(['word', longest(pick(n))]);
  for (let n = 4; n < 7; n++) queries.push(['two words', pairOf(pick(n))]);
  for (let n = 7; n < 10; n++) {
    const word = longest(pick(n));
    queries.push(['prefix', word.slice(0, Math.max(2, Math.round(word.length * (0.6 + 0.1 * (n % 3)))))]);
  }
  for (let n = 10; n < 12; n++) queries.push(['phrase', `"${pairOf(pick(n))}"`]);
  for (let n = 12; n < 14; n++) queries.push(['facet', longest(pick(n)), pick(n).outlet]);
  return queries;
}

function timed(command, commandArgs, env = {}) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...commandArgs], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`${command} exited with ${run.status}: ${run.stderr.toString().slice(-500)}`);
  const [seconds, kilobytes] = run.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, peakMB: kilobytes / 1024 };
}

/** Every file under `dir`, walked with an explicit stack: a bundle of a million articles holds ~10^5 files. */
async function filesUnder(dir) {
  const out = [];
  const folders = [dir];
  while (folders.length > 0) {
    const folder = folders.pop();
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else out.push(path);
    }
  }
  return out;
}

/** Bytes of a bundle as served: raw files, and their brotli form (Sahifa's own `.br` copies where the build
 *  wrote them, else compressed here). The `.br` copies are not counted as files. */
async function sizes(dir) {
  let raw = 0, brotli = 0, count = 0;
  const all = await filesUnder(dir);
  const precompressed = new Set(all.filter((f) => f.endsWith('.br')));
  for (const file of all) {
    if (file.endsWith('.gz') || file.endsWith('.br')) continue;
    const size = (await stat(file)).size;
    raw += size;
    count += 1;
    if (precompressed.has(`${file}.br`)) brotli += (await stat(`${file}.br`)).size;
    else brotli += brotliCompressSync(await readFile(file), { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }).length;
  }
  return { raw, brotli, count };
}

/**
 * Bytes received over the network (bodies as sent, plus headers), counted from Playwright's request events,
 * which also see a page's workers (Pagefind searches in one). `settle()` waits until nothing is in flight, so
 * downloads a query started late (excerpt shards) are not billed to the next one.
 */
function byteCounter(page) {
  let total = 0;
  let pending = 0;
  page.on('request', () => { pending += 1; });
  let data = 0;
  // Bytes and requests by kind: `engine` (code), `index` (the search index), `other` (everything else).
  const kinds = { engine: [0, 0], index: [0, 0], other: [0, 0] };
  // Every finished request's path and its start and end in the browser's own clock, for `rounds`.
  const finished = [];
  const done = async (request, failed) => {
    if (!failed) {
      const sizes = await request.sizes().catch(() => null);
      if (sizes) {
        const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
        const path = new URL(request.url()).pathname;
        total += bytes;
        if (path.includes('/data/')) data += bytes;
        const kind = kinds[kindOf(path)];
        kind[0] += bytes;
        kind[1] += 1;
        const { startTime, responseEnd } = request.timing();
        finished.push({ path, start: startTime, end: startTime + Math.max(responseEnd, 0) });
      }
    }
    pending -= 1;
  };
  page.on('requestfinished', (request) => done(request, false));
  page.on('requestfailed', (request) => done(request, true));
  const count = () => total;
  count.data = () => data;
  count.kinds = () => structuredClone(kinds);
  // Rounds of requests since `mark` (a `finished.length` reading): requests made one after another because each
  // needed what the one before brought. A request's round is one more than the latest round among the requests
  // that had finished before it started; the query's figure is the deepest round. On a phone each round costs a
  // round trip, whatever its bytes, so this is what `--latency` makes visible. Returns the rounds and, for each,
  // the paths asked for in it.
  count.mark = () => finished.length;
  count.rounds = (mark) => {
    const since = finished.slice(mark).sort((a, b) => a.start - b.start);
    const depth = [];
    for (const [i, request] of since.entries()) {
      depth[i] = 1 + Math.max(0, ...since.slice(0, i).map((before, j) => (before.end <= request.start ? depth[j] : 0)));
    }
    const rounds = [];
    since.forEach((request, i) => { (rounds[depth[i] - 1] ??= []).push(request.path.split('/').slice(-2).join('/')); });
    return rounds;
  };
  count.settle = async () => {
    const deadline = Date.now() + 30_000;
    while (pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  return count;
}

/** What a request is, by its path, for both engines: Sahifa's search package and worker, Pagefind's script and
 *  wasm are `engine`; Sahifa's `data/search/` pieces and Pagefind's entry, index, filter and meta chunks are
 *  `index`; the rest (Sahifa's listing rows, outlet columns, directories, descriptors, manifest; Pagefind's
 *  fragments, which hold what its result cards show) is `other`. */
function kindOf(path) {
  if (/\/search\/sahifa_search|search-worker\.js|\/pagefind\/(pagefind[^/]*\.js|wasm\.)/.test(path)) return 'engine';
  if (/\/data\/search\/|\/pagefind\/(pagefind-entry\.json|index\/|filter\/|meta\/)/.test(path)) return 'index';
  return 'other';
}

/** The difference of two `kinds()` readings: per kind [bytes, requests]. */
const kindsSince = (before, after) => Object.fromEntries(Object.keys(after).map((k) => [k, [after[k][0] - before[k][0], after[k][1] - before[k][1]]]));

/** A query between two warm runs of another (a word no archive holds: Latin letters the generator never writes). */
const NO_MATCH = 'zzqxj';

/** Results are painted when nothing is loading: the list (or its empty state) shows, and every card on
 *  screen has its row. */
const PAINTED = () => !document.querySelector('[data-testid="loading-state"], [data-testid="card-loading"]')
  && !!document.querySelector('[data-testid="card-link"], [data-testid="empty-state"]');

/** Run in the page: resolves with the time (`performance.now()`) at which the first frame for which `ready()`
 *  holds has been drawn. `ready` is checked before each frame; once it holds, that frame shows it, and a message
 *  posted then is handled right after the frame is drawn. Timing in the page leaves out the driver's round trips
 *  (each `page.evaluate` or `waitForFunction` is one, several milliseconds on a busy machine, and the reader
 *  pays none of them), and waits for no extra frame. */
function paintedWhen(ready, timeoutMs) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const check = () => {
      if (ready()) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      } else if (performance.now() > deadline) {
        reject(new Error(`not painted within ${timeoutMs} ms`));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
}

/** Both helpers on every page of `context`, before the page's own scripts (`window.__painted`,
 *  `window.__paintedWhen`). Scripts the driver injects are not subject to the site's CSP. */
const installTimers = (context) => context.addInitScript(`window.__painted = ${PAINTED}; window.__paintedWhen = ${paintedWhen};`);

/** Types `word` into the search box letter by letter, as a reader does (150 ms between keys), on a page whose
 *  search is warm, and watches the page's main thread meanwhile: the longest task and the blocking time (each
 *  task's time past 50 ms, summed), from Chromium's long-task entries. Every letter is a query, and the worker's
 *  answers (the hits of a frequent word's prefixes, most of the archive at scale) arrive on this thread. */
async function typeAndWatch(page, word) {
  await page.evaluate(() => { location.hash = '#/'; });
  await page.waitForFunction(PAINTED, null, { timeout: QUERY_TIMEOUT_MS, polling: 'raf' });
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskObserver = new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((entry) => entry.duration)));
    window.__longTaskObserver.observe({ type: 'longtask' });
  });
  const input = page.getByTestId('search-input');
  await input.click();
  await input.pressSequentially(word, { delay: 150 });
  await page.waitForFunction((typed) => new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') === typed, word, { timeout: QUERY_TIMEOUT_MS });
  await page.waitForFunction(PAINTED, null, { timeout: QUERY_TIMEOUT_MS, polling: 'raf' });
  await new Promise((done) => setTimeout(done, 500));
  const tasks = await page.evaluate(() => { window.__longTaskObserver.disconnect(); return window.__longTasks; });
  await page.evaluate(() => { location.hash = '#/'; });
  return { longest: Math.round(Math.max(0, ...tasks)), blocking: Math.round(tasks.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0)), tasks: tasks.length };
}

async function measureSahifa(url, query, outlet, cold, typing = false) {
  const context = await launchBrowser({ serviceWorkers: 'block', ...SCREEN });
  await installTimers(context);
  const page = await context.newPage();
  const bytes = byteCounter(page);
  await page.goto(url);
  await page.waitForFunction(PAINTED, null, { timeout: QUERY_TIMEOUT_MS, polling: 'raf' });
  await bytes.settle();
  const startup = bytes();
  const startupData = bytes.data();
  const run = async () => {
    const before = bytes();
    const kindsBefore = bytes.kinds();
    const mark = bytes.mark();
    const hash = `#/?q=${encodeURIComponent(query)}${outlet ? `&outlet=${encodeURIComponent(outlet)}` : ''}`;
    // From the address's change (a keystroke's effect) to the drawn frame that shows the answer's cards.
    const ms = await page.evaluate(async ([h, timeout]) => {
      window.__sahifaSearchMs = undefined;
      const started = performance.now();
      location.hash = h;
      const painted = await window.__paintedWhen(() => window.__sahifaSearchMs !== undefined && window.__painted(), timeout);
      return Math.round(painted - started);
    }, [hash, QUERY_TIMEOUT_MS]);
    await bytes.settle();
    const result = { ms, bytes: bytes() - before, kinds: kindsSince(kindsBefore, bytes.kinds()), rounds: bytes.rounds(mark), computeMs: await page.evaluate(() => window.__sahifaSearchMs) };
    // The worker keeps the last query's hits for the filters and counts that follow it: a query that matches
    // nothing comes between two runs, so each warm run searches again.
    await page.evaluate((h) => { location.hash = h; }, `#/?q=${encodeURIComponent(NO_MATCH)}`);
    await page.waitForFunction(PAINTED, null, { timeout: QUERY_TIMEOUT_MS, polling: 'raf' });
    return result;
  };
  const first = await run();
  const second = cold ? null : await run();
  if (second) {
    // One search's own time on a shared machine swings by several milliseconds (another process, a
    // collection); the warm figures, compute and painted, are medians of five runs.
    const times = [second.computeMs];
    const painted = [second.ms];
    for (let n = 0; n < WARM_COMPUTE_RUNS - 1; n++) {
      const again = await run();
      times.push(again.computeMs);
      painted.push(again.ms);
    }
    second.computeRuns = times;
    second.computeMs = percentile(times, 50);
    second.paintedRuns = painted;
    second.ms = percentile(painted, 50);
  }
  const typed = typing ? await typeAndWatch(page, query) : null;
  await context.close();
  return { startup, startupData, cold: first, warm: second, typed };
}

async function measurePagefind(url, query, outlet) {
  const context = await launchBrowser(SCREEN);
  await installTimers(context);
  const page = await context.newPage();
  const bytes = byteCounter(page);
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true, null, { timeout: QUERY_TIMEOUT_MS });
  await bytes.settle();
  const startup = bytes();
  const run = async () => {
    const before = bytes();
    const kindsBefore = bytes.kinds();
    const mark = bytes.mark();
    // Timed in the page as Sahifa's is: from the call to the drawn frame that shows the results.
    const ms = await page.evaluate(async ([q, o, timeout]) => {
      const started = performance.now();
      await window.runSearch(q, o);
      return Math.round(await window.__paintedWhen(() => true, timeout) - started);
    }, [query, outlet, QUERY_TIMEOUT_MS]);
    await bytes.settle();
    return { ms, bytes: bytes() - before, kinds: kindsSince(kindsBefore, bytes.kinds()), rounds: bytes.rounds(mark) };
  };
  const cold = await run();
  // Its warm figure is a median of as many runs as Sahifa's.
  const warm = await run();
  const painted = [warm.ms];
  for (let n = 0; n < WARM_COMPUTE_RUNS - 1; n++) painted.push((await run()).ms);
  warm.paintedRuns = painted;
  warm.ms = percentile(painted, 50);
  await context.close();
  return { startup, cold, warm };
}

/** Known-item search: 300 articles spread over the archive (read through `sahifa export`), each looked for by
 *  the run of its title words a reader remembers, typed as readers type (`habits.mjs`: the same items, rule
 *  for a hit and passing over of titles that pick out no article as `cargo xtask eval-search` uses);
 *  success@10 is the share found in the first ten, MRR the mean of 1/rank. Sahifa through its search
 *  package, Pagefind through its JS API, in the same Chromium. */
async function measureKnownItem(bundle, sahifaUrl, pagefindUrl) {
  const all = await exportedArticles(bundle);
  const titles = new Map(all.map((article) => [article.id, article.title]));
  const { items, passedOver } = knownItems(all, AS_READERS_TYPE, 300, rarity(all), identifying(all));
  const score = (ranks) => ({
    success: ranks.filter((r) => r >= 0).length / items.length,
    mrr: ranks.reduce((sum, r) => sum + (r >= 0 ? 1 / (r + 1) : 0), 0) / items.length,
  });
  const context = await launchBrowser({ serviceWorkers: 'block' });
  const queries = items.map((item) => item.query);
  const sahifaRanked = await rankWithSahifa(context, sahifaUrl, queries);
  const pagefindRanked = pagefindUrl ? await rankWithPagefind(context, pagefindUrl, queries) : null;
  await context.close();
  const ranks = items.map((item, n) => ({ ...item, sahifa: rankOf(sahifaRanked[n], item, titles), pagefind: pagefindRanked && rankOf(pagefindRanked[n], item, titles) }));
  return { queries: items.length, passedOver, sahifa: score(ranks.map((r) => r.sahifa)), pagefind: pagefindRanked && score(ranks.map((r) => r.pagefind)), items: ranks };
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

// 1. The corpus.
const corpus = join(WORK, REAL ? 'corpus.jsonl' : 'corpus');
if (!existsSync(corpus)) {
  await mkdir(WORK, { recursive: true });
  console.error(REAL ? `growing ${REAL.join(' + ')} to ${ARTICLES} articles` : `generating ${ARTICLES} pages`);
  let source = REAL?.[0];
  if (REAL?.length > 1) {
    // Several corpora: their lines one after another, as one JSON Lines file.
    source = join(WORK, 'sources.jsonl');
    const out = createWriteStream(source);
    for (const file of REAL) await pipeline(createReadStream(file), ...(file.endsWith('.gz') ? [createGunzip()] : []), out, { end: false });
    await new Promise((done) => out.end(done));
  }
  const from = REAL ? ['--from', source] : [];
  execFileSync(SAHIFA, ['gen-corpus', '--articles', String(ARTICLES), '--seed', String(SEED), '--out', corpus, ...from], { stdio: 'inherit' });
}
const QUERIES = REAL ? await queriesFrom(corpus) : GENERATED_QUERIES;
const rows = [];
// 2. Sahifa: build, sizes, site.
const bundle = join(WORK, 'sahifa-bundle');
const buildRecord = join(WORK, 'sahifa-build.json');
// `--reuse-bundle` measures the browser again on the bundle (and the build figures) of an earlier run.
let sahifaBuild, sahifaSizes;
if ('reuse-bundle' in args && existsSync(buildRecord)) {
  ({ sahifaBuild, sahifaSizes } = JSON.parse(await readFile(buildRecord, 'utf8')));
  console.error(`reusing the bundle built earlier in ${sahifaBuild.seconds} s`);
} else {
  sahifaBuild = timed(SAHIFA, ['build', corpus, '--out', bundle]);
  sahifaSizes = await sizes(bundle);
  await writeFile(buildRecord, JSON.stringify({ sahifaBuild, sahifaSizes }));
}
const sahifaSite = join(WORK, 'sahifa-site');
await rm(sahifaSite, { recursive: true, force: true });
await cp(SITE_DIR, sahifaSite, { recursive: true });
execFileSync('cargo', ['xtask', 'finish-site', '--dir', sahifaSite, '--release'], { cwd: ROOT, env: { ...process.env, SAHIFA_BUNDLE: bundle }, stdio: ['ignore', 'ignore', 'inherit'] });
// 3. Pagefind: one HTML page per article, then its indexer.
const pagefindRoot = join(WORK, 'pagefind-site');
let pagefindBuild = null, pagefindSizes = null;
if ('no-pagefind' in args || process.argv.includes('--no-pagefind')) {
  console.log(`Pagefind not run at ${ARTICLES} articles (--no-pagefind).`);
} else try {
  await pagefindSite(bundle, pagefindRoot);
  pagefindBuild = timed('prlimit', [`--as=${PAGEFIND_MEMORY_BYTES}`, 'timeout', String(PAGEFIND_SECONDS), PAGEFIND, '--site', pagefindRoot, '--silent']);
  pagefindSizes = await sizes(join(pagefindRoot, 'pagefind'));
} catch (error) {
  console.log(`Pagefind could not index ${ARTICLES} pages within ${PAGEFIND_MEMORY_BYTES / 1024 ** 3} GiB and ${PAGEFIND_SECONDS / 60} min: ${error.message.split('\n')[0]}`);
}

const latencyNote = `${LATENCY_MS ? `, every answer ${LATENCY_MS} ms late` : ''}${PHONE ? ', at 360 px' : ''}`;
console.log(`\n## ${ARTICLES} articles of ${REAL ? `${CORPUS_NAME} (real text, grown if needed)` : 'generated text'} (seed ${SEED}${latencyNote})\n`);
console.log('| figure | Sahifa | Pagefind | Sahifa / Pagefind |\n|---|---|---|---|');
const ratio = (a, b) => (a != null && b ? (a / b).toFixed(2) : '—');
const line = (name, a, b, format = (x) => x) => console.log(`| ${name} | ${a == null ? '—' : format(a)} | ${b == null ? '—' : format(b)} | ${ratio(a, b)} |`);
line('build time (s)', sahifaBuild.seconds, pagefindBuild?.seconds);
line('build peak memory (MB)', Math.round(sahifaBuild.peakMB), pagefindBuild && Math.round(pagefindBuild.peakMB));
line('bundle bytes per article, raw', Math.round(sahifaSizes.raw / ARTICLES), pagefindSizes && Math.round(pagefindSizes.raw / ARTICLES));
line('bundle bytes per article, brotli', Math.round(sahifaSizes.brotli / ARTICLES), pagefindSizes && Math.round(pagefindSizes.brotli / ARTICLES));
line('files', sahifaSizes.count, pagefindSizes?.count);

// 4. Queries in the browser.
const sahifaServer = await serveSite(sahifaSite);
const pagefindServer = pagefindSizes ? await serveSite(pagefindRoot) : null;
for (const server of [sahifaServer, pagefindServer]) server?.setLatency(LATENCY_MS);
const results = [];
for (const [kind, query, outlet] of QUERIES) {
  const sahifa = await measureSahifa(sahifaServer.url, query, outlet, false, kind === 'frequent word');
  const pagefind = pagefindServer ? await measurePagefind(pagefindServer.url, query, outlet) : null;
  results.push({ kind, query, outlet, sahifa, pagefind });
}
for (const server of [sahifaServer, pagefindServer]) server?.setLatency(0);
// `--no-known-item` leaves out the 300 known-item searches (minutes of a run that only wants the query figures).
const knownItem = REAL && !process.argv.includes('--no-known-item') ? await measureKnownItem(bundle, sahifaServer.url, pagefindServer?.url) : null;
await sahifaServer.close();
await pagefindServer?.close();

const startupS = results[0].sahifa.startup, startupP = results[0].pagefind?.startup;
line('startup download (KB, gzip on the wire)', startupS, startupP, kb);
console.log(`| of which archive data (KB): Sahifa's manifest, first listing shard, headlines | ${kb(results[0].sahifa.startupData)} | — | — |`);
const stat5095 = (pick) => [50, 95].map((p) => percentile(results.map(pick), p));
for (const [name, pickS, pickP, format] of [
  ['query download, cold (KB)', (r) => r.sahifa.cold.bytes, (r) => r.pagefind?.cold.bytes, kb],
  ['query download, warm (KB)', (r) => r.sahifa.warm.bytes, (r) => r.pagefind?.warm.bytes, kb],
  ['query to painted results, cold (ms)', (r) => r.sahifa.cold.ms, (r) => r.pagefind?.cold.ms, (x) => x],
  [`query to painted results, warm (ms, median of ${WARM_COMPUTE_RUNS} runs)`, (r) => r.sahifa.warm.ms, (r) => r.pagefind?.warm.ms, (x) => x],
]) {
  const [s50, s95] = stat5095(pickS);
  const [p50, p95] = pagefindServer ? stat5095(pickP) : [null, null];
  line(`${name}, p50`, s50, p50, format);
  line(`${name}, p95`, s95, p95, format);
}
for (const kind of ['engine', 'index', 'other']) {
  for (const [what, at, format] of [['KB', 0, kb], ['requests', 1, (x) => x]]) {
    const [s50, s95] = stat5095((r) => r.sahifa.cold.kinds[kind][at]);
    const [p50, p95] = pagefindServer ? stat5095((r) => r.pagefind.cold.kinds[kind][at]) : [null, null];
    line(`cold query ${kind} ${what}, p50`, s50, p50, format);
    line(`cold query ${kind} ${what}, p95`, s95, p95, format);
  }
}
const [requests50, requests95] = stat5095((r) => r.sahifa.cold.kinds.engine[1] + r.sahifa.cold.kinds.index[1] + r.sahifa.cold.kinds.other[1]);
const [pRequests50, pRequests95] = pagefindServer ? stat5095((r) => r.pagefind.cold.kinds.engine[1] + r.pagefind.cold.kinds.index[1] + r.pagefind.cold.kinds.other[1]) : [null, null];
line('cold query requests, all, p50', requests50, pRequests50);
line('cold query requests, all, p95', requests95, pRequests95);
{
  const [s50, s95] = stat5095((r) => r.sahifa.cold.rounds.length);
  const [p50, p95] = pagefindServer ? stat5095((r) => r.pagefind.cold.rounds.length) : [null, null];
  line('cold query rounds of requests (each waiting for one before it), p50', s50, p50);
  line('cold query rounds of requests, p95', s95, p95);
}
if (knownItem) {
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  line(`known-item success@10 (${knownItem.queries} queries typed as readers type; ${knownItem.passedOver} titles passed over as picking out no article)`, knownItem.sahifa.success, knownItem.pagefind?.success, pct);
  line('known-item mean reciprocal rank', knownItem.sahifa.mrr, knownItem.pagefind?.mrr, (x) => x.toFixed(3));
}
const compute = results.map((r) => r.sahifa.warm.computeMs);
console.log(`| query compute in wasm (ms, median of ${WARM_COMPUTE_RUNS} warm runs per query), p50 / p95 over queries | ${percentile(compute, 50).toFixed(2)} / ${percentile(compute, 95).toFixed(2)} | — | — |`);
const typed = results.filter((r) => r.sahifa.typed);
if (typed.length > 0) {
  const worst = (pick) => Math.max(...typed.map((r) => pick(r.sahifa.typed)));
  console.log(`| typing a frequent word, longest main-thread task (ms), worst of ${typed.length} words | ${worst((t) => t.longest)} | — | — |`);
  console.log(`| typing a frequent word, blocking time (ms past 50 per task, summed), worst | ${worst((t) => t.blocking)} | — | — |`);
  for (const r of typed) console.log(`  typing ${r.query}: longest task ${r.sahifa.typed.longest} ms, blocking ${r.sahifa.typed.blocking} ms, ${r.sahifa.typed.tasks} long tasks`);
}
console.log('\nPer query (Sahifa cold KB / ms, warm ms; Pagefind cold KB / ms, warm ms):');
for (const r of results) {
  const p = r.pagefind ? `${kb(r.pagefind.cold.bytes)} / ${r.pagefind.cold.ms}, ${r.pagefind.warm.ms}` : '—';
  console.log(`  ${r.kind.padEnd(13)} ${(r.query + (r.outlet ? ` [${r.outlet}]` : '')).padEnd(28)} ${kb(r.sahifa.cold.bytes)} / ${r.sahifa.cold.ms}, ${r.sahifa.warm.ms}   ${p}`);
}
// Each Sahifa cold query's rounds, with what each asked for, to see which waits could go.
console.log('\nRounds of one cold query (Sahifa), request counts per round; the first query in full:');
for (const r of results) console.log(`  ${r.query.padEnd(28)} ${r.sahifa.cold.rounds.map((round) => round.length).join(' → ')}`);
for (const [n, round] of results[0].sahifa.cold.rounds.entries()) {
  console.log(`  round ${n + 1}: ${round.join(', ')}`);
}
await writeFile(join(WORK, 'results.json'), JSON.stringify({ articles: ARTICLES, seed: SEED, sahifaBuild, pagefindBuild, sahifaSizes, pagefindSizes, results, knownItem }, null, 1));
