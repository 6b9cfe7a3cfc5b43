// Search quality on real text, per typing habit, Sahifa beside Pagefind (`cargo xtask eval-search`). For each
// corpus: the archive is built by Sahifa and indexed by Pagefind; for each habit of tests/perf/habits.mjs, 300
// articles spread over the archive are looked for by a query typed with that habit, and both engines answer
// in the same Chromium through their JS APIs. Prints success@1, success@10 and MRR (over the first ten) per
// habit; writes every query with the rank each engine gave it to target/bench/eval/<corpus>/eval.json.
//
// A hit counts as the article looked for when it is that article or one with the very same title: the corpora
// hold some articles twice under different addresses, and no title query can tell such twins apart.
//
// The graded set (tests/perf/graded.json): topical queries per corpus with the articles judged by hand (2: about
// the topic, 1: touches it, 0: not about it), pooled from both engines' first ten; nDCG@10 per engine, an
// article nobody judged counting as 0. `--pool` prints, for each graded query, the pooled articles not judged
// yet (id and title), to judge and add.
//
//   node tests/perf/eval.mjs [--corpus FILE]... [--queries N] [--no-pagefind] [--pool]
// With no --corpus, the three collections in ../shared/corpora/. Pagefind's answers depend only on the corpus
// and the queries, so they are kept in the work folder and reused while both stay the same.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { serveSite, launchBrowser, SITE_DIR } from '../e2e/support.mjs';
import { pagefindSite, rankWithSahifa, rankWithPagefind, exportedArticles, SAHIFA, PAGEFIND } from './engines.mjs';
import { HABITS, identifying, knownItems, rankOf, rarity } from './habits.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name) => argv[argv.indexOf(`--${name}`) + 1];
const CORPORA_DIR = resolve(ROOT, '../shared/corpora');
const corpora = argv.flatMap((a, i) => (a === '--corpus' ? [resolve(argv[i + 1])] : []));
const CORPORA = corpora.length > 0 ? corpora : ['ant-jawharafm', 'saudinewsnet', 'ant-multisource'].map((name) => join(CORPORA_DIR, `${name}.jsonl.gz`));
const QUERIES = flag('queries') ? Number(value('queries')) : 300;
const WITH_PAGEFIND = !flag('no-pagefind');
const POOL = flag('pool');
const GRADED = JSON.parse(await readFile(join(import.meta.dirname, 'graded.json'), 'utf8'));

const nameOf = (file) => file.split('/').at(-1).replace(/\.jsonl(\.gz)?$/, '');
const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** nDCG@10 of a ranked list of ids against hand grades (`{ id: 0 | 1 | 2 }`); unjudged ids count as 0. */
function ndcg(ids, grades) {
  const gain = (grade) => 2 ** grade - 1;
  const dcg = (list) => list.slice(0, 10).reduce((sum, grade, rank) => sum + gain(grade) / Math.log2(rank + 2), 0);
  const ideal = dcg(Object.values(grades).sort((a, b) => b - a));
  return ideal > 0 ? dcg(ids.map((id) => grades[id] ?? 0)) / ideal : 0;
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
  const identifies = identifying(articles);
  const perHabit = HABITS.map((habit) => ({ habit, ...knownItems(articles, habit, QUERIES, idf, identifies) }));
  const graded = GRADED.queries.filter((entry) => entry.corpus === name);
  const queries = [...perHabit.flatMap(({ items }) => items.map((item) => item.query)), ...graded.map((entry) => entry.query)];

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
  const rows = perHabit.map(({ habit, items, passedOver }) => {
    const ranks = items.map((item, n) => ({ ...item, sahifa: rankOf(sahifa[at + n], item, titles), pagefind: pagefind ? rankOf(pagefind[at + n], item, titles) : null }));
    at += items.length;
    return { habit: habit.name, means: habit.means, passedOver, ranks, sahifa: score(ranks.map((r) => r.sahifa)), pagefind: pagefind && score(ranks.map((r) => r.pagefind)) };
  });
  const gradedRows = graded.map((entry, n) => ({
    query: entry.query,
    sahifa: sahifa[at + n],
    pagefind: pagefind?.[at + n] ?? null,
    ndcg: { sahifa: ndcg(sahifa[at + n], entry.grades), pagefind: pagefind ? ndcg(pagefind[at + n], entry.grades) : null },
  }));
  if (POOL) {
    for (const row of gradedRows) {
      const grades = graded.find((entry) => entry.query === row.query).grades;
      const unjudged = [...new Set([...row.sahifa, ...(row.pagefind ?? [])])].filter((id) => !(id in grades));
      console.log(`\n${name} | ${row.query} | ${unjudged.length} to judge`);
      for (const id of unjudged) console.log(`  "${id}": ?, // ${titles.get(id)}`);
    }
  }
  await writeFile(join(work, 'eval.json'), JSON.stringify({ corpus, articles: articles.length, rows, graded: gradedRows }, null, 1));
  return { name, articles: articles.length, rows, graded: gradedRows };
}

const results = [];
for (const corpus of CORPORA) results.push(await evaluate(corpus));

for (const { name, articles, rows } of results) {
  console.log(`\n### ${name} (${articles.toLocaleString('en')} articles)\n`);
  console.log('| habit | queries (articles passed over) | Sahifa s@1 | Sahifa s@10 | Sahifa MRR | Pagefind s@1 | Pagefind s@10 | Pagefind MRR |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const p = row.pagefind;
    console.log(`| ${row.habit} | ${row.ranks.length} (${row.passedOver}) | ${pct(row.sahifa.at1)} | ${pct(row.sahifa.at10)} | ${row.sahifa.mrr.toFixed(3)} | ${p ? pct(p.at1) : '—'} | ${p ? pct(p.at10) : '—'} | ${p ? p.mrr.toFixed(3) : '—'} |`);
  }
}
const gradedResults = results.filter((result) => result.graded.length > 0);
if (gradedResults.length > 0) {
  console.log('\n### Graded topical queries (nDCG@10)\n');
  console.log('| corpus | query | Sahifa | Pagefind |\n|---|---|---|---|');
  for (const { name, graded } of gradedResults) {
    for (const row of graded) console.log(`| ${name} | ${row.query} | ${row.ndcg.sahifa.toFixed(3)} | ${row.ndcg.pagefind?.toFixed(3) ?? '—'} |`);
  }
  const all = gradedResults.flatMap((result) => result.graded);
  const mean = (key) => all.reduce((sum, row) => sum + (row.ndcg[key] ?? 0), 0) / all.length;
  console.log(`| all | mean of ${all.length} | ${mean('sahifa').toFixed(3)} | ${WITH_PAGEFIND ? mean('pagefind').toFixed(3) : '—'} |`);
}
console.log('\nHabits:');
for (const habit of HABITS) console.log(`- ${habit.name}: ${habit.means}`);
