// What opening an article costs a reader on a phone's network: in headless Chromium with the network held to
// Lighthouse's slow 4G (150 ms round trip, 1.6 Mbit/s down), articles opened from the cards of a search, then
// the next ones opened cold from their links (a fresh load with the browser's cache cleared). Prints, per
// open, the milliseconds from the click (or the address) to the article on screen and the bytes on the wire of
// what the article needed from the bundle: article shards or pieces of them, id buckets, directory pages.
// The site is a finished one with the bundle to measure in its data/ folder:
//   cp -r dist DIR && SAHIFA_BUNDLE=BUNDLE cargo xtask finish-site --dir DIR --release
//   node tests/perf/article-open.mjs --site DIR [--query تونس] [--opens 6] [--links 3]
import { resolve } from 'node:path';
import { serveSite, launchBrowser, appStarted } from '../e2e/support.mjs';
import { args, percentile } from './figures.mjs';

if (!args.site) throw new Error('usage: node tests/perf/article-open.mjs --site DIR [--query Q] [--opens N] [--links N]');
const QUERY = args.query ?? 'تونس';
const OPENS = Number(args.opens ?? 6);
const LINKS = Number(args.links ?? 3);
const ARTICLE_FILES = /\/data\/(articles|ids|directory)\//;

const site = await serveSite(resolve(args.site));
const context = await launchBrowser({ serviceWorkers: 'block' });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
const urls = new Map();
const wire = new Map();
cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
cdp.on('Network.loadingFinished', (event) => wire.set(event.requestId, event.encodedDataLength));
const articleBytes = () => [...wire].filter(([id]) => ARTICLE_FILES.test(urls.get(id) ?? '')).reduce((sum, [, bytes]) => sum + bytes, 0);

await page.goto(`${site.url}#/?q=${encodeURIComponent(QUERY)}`);
await appStarted(page);
await page.getByTestId('article-card').first().waitFor({ timeout: 30000 });
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });

const fromCards = [];
for (let n = 0; n < OPENS; n++) {
  const before = articleBytes();
  const start = Date.now();
  await page.getByTestId('card-link').nth(n).click();
  await page.getByTestId('article-view').waitFor({ timeout: 30000 });
  const ms = Date.now() - start;
  // Whatever the article page asks for after its text (related articles' rows) is not counted.
  await page.waitForTimeout(300);
  fromCards.push({ ms, bytes: articleBytes() - before });
  await page.goBack();
  await page.getByTestId('article-card').first().waitFor({ timeout: 30000 });
}

const links = await page.getByTestId('card-link').evaluateAll((anchors, [from, count]) => anchors.slice(from, from + count).map((a) => a.href), [OPENS, LINKS]);
const fromLinks = [];
for (const link of links) {
  await page.goto('about:blank');
  await cdp.send('Network.clearBrowserCache');
  const before = articleBytes();
  const start = Date.now();
  await page.goto(link);
  await page.getByTestId('article-view').waitFor({ timeout: 60000 });
  const ms = Date.now() - start;
  await page.waitForTimeout(300);
  fromLinks.push({ ms, bytes: articleBytes() - before });
}

for (const [how, opens] of [['from a card', fromCards], ['from a cold link', fromLinks]]) {
  const ms = opens.map((open) => open.ms);
  const bytes = opens.map((open) => open.bytes);
  console.log(`${how}: ${opens.length} opens, ms p50 ${percentile(ms, 50)} (${ms.join(', ')}), article files' bytes p50 ${percentile(bytes, 50)} (${bytes.join(', ')})`);
}
await context.close();
await site.close();
