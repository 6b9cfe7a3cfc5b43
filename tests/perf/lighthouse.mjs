// Lighthouse (mobile preset) on the built site: prints the four category scores for the home page and an
// article page, and the audits that cost points, for each of SAHIFA_LIGHTHOUSE_RUNS runs (3 unless told). A
// benchmark, not a test: `cargo xtask lighthouse`. With SAHIFA_LIGHTHOUSE_REPORTS=<folder> it also keeps each
// page's last report there as JSON, to study; SAHIFA_LIGHTHOUSE_PAGES=article (or home) runs one page only.
// SAHIFA_LIGHTHOUSE_SITE=<folder> measures a site finished elsewhere (over another bundle) instead of `dist`,
// and SAHIFA_LIGHTHOUSE_ARTICLE=<n> opens its n-th newest article (0, the newest, unless told): the site draws
// the pages of the articles on its first screen only, so an older one shows how any other link opens.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, readBundle, CHROMIUM, CHROMIUM_FLAGS } from '../e2e/support.mjs';

const RUN_LIMIT_MS = 120_000;
const RUNS = Number(process.env.SAHIFA_LIGHTHOUSE_RUNS ?? 3);
const SITE = process.env.SAHIFA_LIGHTHOUSE_SITE;
const site = await serveSite(SITE);
// The test server compresses each file once, on first request; the page's own files are asked for once before
// measuring, so no run times the compression instead of the transfer.
const page = await (await fetch(site.url)).text();
for (const [, path] of page.matchAll(/(?:href|src)="(?:\.\/)?([^"#:]+)"/g)) {
  await (await fetch(new URL(path, site.url), { headers: { 'accept-encoding': 'br' } })).arrayBuffer();
}
const profile = await mkdtemp(join(tmpdir(), 'sahifa-lighthouse-'));
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  userDataDir: profile,
  chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS],
});

const pages = [['home', site.url], ['article', null]];
let failed = false;
try {
  // An article's URL comes from the bundle: the newest one, unless told.
  const { rows } = await readBundle(SITE && join(SITE, 'data'));
  const article = rows[Number(process.env.SAHIFA_LIGHTHOUSE_ARTICLE ?? 0)] ?? rows.at(-1);
  pages[1][1] = `${site.url}#/article/${article.id}`;
  console.log('page     performance  accessibility  best-practices  seo');
  const chosen = pages.filter(([name]) => (process.env.SAHIFA_LIGHTHOUSE_PAGES ?? name).split(',').includes(name));
  if (chosen.length === 0) throw new Error(`SAHIFA_LIGHTHOUSE_PAGES names no page of ${pages.map(([name]) => name).join(', ')}`);
  for (const [name, url] of chosen.flatMap((entry) => Array(RUNS).fill(entry))) {
    const run = lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`Lighthouse took over ${RUN_LIMIT_MS} ms`)), RUN_LIMIT_MS));
    const { lhr } = await Promise.race([run, timeout]);
    if (process.env.SAHIFA_LIGHTHOUSE_REPORTS) await writeFile(join(process.env.SAHIFA_LIGHTHOUSE_REPORTS, `${name}.json`), JSON.stringify(lhr));
    const score = (id) => Math.round(lhr.categories[id].score * 100);
    console.log(`${name.padEnd(8)} ${String(score('performance')).padStart(11)}  ${String(score('accessibility')).padStart(13)}  ${String(score('best-practices')).padStart(14)}  ${String(score('seo')).padStart(3)}`);
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];
    console.log('         ' + metrics.map((id) => `${id}: ${lhr.audits[id].displayValue}`).join(', '));
    const lost = Object.values(lhr.categories).flatMap((category) => category.auditRefs)
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual');
    for (const audit of lost) console.log(`         - ${audit.id}: ${audit.title} (${audit.displayValue ?? audit.score})`);
  }
} catch (error) {
  console.error(error.message);
  failed = true;
} finally {
  await chrome.kill();
  await site.close();
}
process.exit(failed ? 1 : 0);
