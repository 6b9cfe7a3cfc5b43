// Search quality on real text, per typing habit, Sahifa beside Pagefind (`cargo xtask eval-search`). For each
// corpus: the archive is built by Sahifa and indexed by Pagefind; for each habit of tests/perf/habits.mjs, 300
// articles spread over the archive are looked for by a query typed with that habit, and both engines answer
// in the same Chromium through their JS APIs. Prints success@1, success@10 and MRR (over the first ten) per
// habit; writes every query with the rank each engine gave it to target/bench/eval/<corpus>/eval.json.
//
// A hit counts as the article looked for when it is that article or one with the very same title: the corpora
// hold some articles twice under different addresses, and no title query can tell such twins apart.
//
//   node tests/perf/eval.mjs [--corpus FILE]... [--queries N] [--no-pagefind]
// With no --corpus, the three collections in ../shared/corpora/. Pagefind's answers depend only on the corpus
// and the queries, so they are kept in the work folder and reused while both stay the same.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { serveSite, launchBrowser, SITE_DIR } from '../e2e/support.mjs';
import { pagefindSite, rankWithSahifa, rankWithPagefind, exportedArticles, SAHIFA, PAGEFIND } from './engines.mjs';
import { HABITS, knownItems, rarity } from './habits.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name) => argv[argv.indexOf(`--${name}`) + 1];
const CORPORA_DIR = resolve(ROOT, '../shared/corpora');
const corpora = argv.flatMap((a, i) => (a === '--corpus' ? [resolve(argv[i + 1])] : []));
const CORPORA = corpora.length > 0 ? corpora : ['ant-jawharafm', 'saudinewsnet', 'ant-multisource'].map((name) => join(CORPORA_DIR, `${name}.jsonl.gz`));
const QUERIES = flag('queries') ? Number(value('queries')) : 300;
const WITH_PAGEFIND = !flag('no-pagefind');

const nameOf = (file) => file.split('/').at(-1).replace(/\.jsonl(\.gz)?$/, '');
const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** Rank of the article looked for among `ids` (0 first), or -1. */
function rankOf(ids, item, titles) {
  return ids.findIndex((id) => id === item.id || titles.get(id) === item.title);
}

function score(ranks) {
  const n = ranks.length || 1;
  return {
    at1: ranks.filter((r) => r === 0).length / n,
    at10: ranks.filter((r) => r >= 0).length / n,
    mrr: ranks.reduce((sum, r) => sum + (r >= 0 ? 1 / (r + 1) : 0), 0) / n,
  };
}

async function evaluate(corpus) {
  const name = nameOf(corpus);
  const work = join(ROOT, 'target/bench/eval', name);
  await mkdir(work, { recursive: true });
  console.error(`[eval] ${name}: building the archive`);
  const bundle = join(work, 'sahifa-bundle');
  const built = spawnSync(SAHIFA, ['build', corpus, '--out', bundle], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (built.status !== 0) throw new Error(`sahifa build ${corpus} failed: ${built.stderr.toString().slice(-400)}`);
  const site = join(work, 'sahifa-site');
  await rm(site, { recursive: true, force: true });
  await cp(SITE_DIR, site, { recursive: true });
  execFileSync('cargo', ['xtask', 'finish-site', '--dir', site, '--release'], { cwd: ROOT, env: { ...process.env, SAHIFA_BUNDLE: bundle }, stdio: ['ignore', 'ignore', 'inherit'] });

  const articles = await exportedArticles(bundle);
  const titles = new Map(articles.map((article) => [article.id, article.title]));
  const idf = rarity(articles);
  const perHabit = HABITS.map((habit) => ({ habit, items: knownItems(articles, habit, QUERIES, idf) }));
  const queries = perHabit.flatMap(({ items }) => items.map((item) => item.query));

  const context = await launchBrowser({ serviceWorkers: 'block' });
  const sahifaServer = await serveSite(site);
  console.error(`[eval] ${name}: ${queries.length} queries through Sahifa`);
  const sahifa = await rankWithSahifa(context, sahifaServer.url, queries);
  await sahifaServer.close();

  let pagefind = null;
  if (WITH_PAGEFIND) {
    // Kept answers are reused only for the same corpus file and the same queries.
    const key = createHash('sha256').update(JSON.stringify([corpus, articles.length, queries])).digest('hex');
    const kept = join(work, 'pagefind-answers.json');
    const saved = existsSync(kept) ? JSON.parse(await readFile(kept, 'utf8')) : null;
    if (saved?.key === key) {
      pagefind = saved.ranked;
    } else {
      const pagefindRoot = join(work, 'pagefind-site');
      console.error(`[eval] ${name}: indexing with Pagefind`);
      await pagefindSite(bundle, pagefindRoot);
      execFileSync(PAGEFIND, ['--site', pagefindRoot, '--silent'], { stdio: 'inherit' });
      const pagefindServer = await serveSite(pagefindRoot);
      console.error(`[eval] ${name}: ${queries.length} queries through Pagefind`);
      pagefind = await rankWithPagefind(context, pagefindServer.url, queries);
      await pagefindServer.close();
      await writeFile(kept, JSON.stringify({ key, ranked: pagefind }));
    }
  }
  await context.close();

  let at = 0;
  const rows = perHabit.map(({ habit, items }) => {
    const ranks = items.map((item, n) => ({ ...item, sahifa: rankOf(sahifa[at + n], item, titles), pagefind: pagefind ? rankOf(pagefind[at + n], item, titles) : null }));
    at += items.length;
    return { habit: habit.name, means: habit.means, ranks, sahifa: score(ranks.map((r) => r.sahifa)), pagefind: pagefind && score(ranks.map((r) => r.pagefind)) };
  });
  await writeFile(join(work, 'eval.json'), JSON.stringify({ corpus, articles: articles.length, rows }, null, 1));
  return { name, articles: articles.length, rows };
}

const results = [];
for (const corpus of CORPORA) results.push(await evaluate(corpus));

for (const { name, articles, rows } of results) {
  console.log(`\n### ${name} (${articles.toLocaleString('en')} articles)\n`);
  console.log('| habit | queries | Sahifa s@1 | Sahifa s@10 | Sahifa MRR | Pagefind s@1 | Pagefind s@10 | Pagefind MRR |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const p = row.pagefind;
    console.log(`| ${row.habit} | ${row.ranks.length} | ${pct(row.sahifa.at1)} | ${pct(row.sahifa.at10)} | ${row.sahifa.mrr.toFixed(3)} | ${p ? pct(p.at1) : '—'} | ${p ? pct(p.at10) : '—'} | ${p ? p.mrr.toFixed(3) : '—'} |`);
  }
}
console.log('\nHabits:');
for (const habit of HABITS) console.log(`- ${habit.name}: ${habit.means}`);
