// The long-session benchmark without Playwright: Playwright enables DevTools' Network domain on the page and on
// every worker, and DevTools then keeps a record of every request (`NetworkResourcesData`) for as long as the
// page lives, which a reader's browser does not. Here Chromium is driven over a bare DevTools connection to the
// page alone, nothing enabled: the same queries are typed through the address letter by letter, each waited
// for until answered, and every 100 queries the renderer processes' memory is read from /proc.
// Run through `cargo xtask bench-session --bare [--articles N] [--queries Q]`.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import WebSocket from 'ws';
import { serveSite, siteWithBundle, queryAnswered, appMounted, CHROMIUM, CHROMIUM_FLAGS } from '../e2e/support.mjs';
import { ARTICLES, QUERIES, sessionBundle, queries, renderersMemory } from './session-common.mjs';

const site = await serveSite(await siteWithBundle(sessionBundle()));
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  userDataDir: await mkdtemp(join(tmpdir(), 'sahifa-bare-')),
  chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS, '--window-size=1280,800'],
});
const pageTarget = (await (await fetch(`http://127.0.0.1:${chrome.port}/json`)).json()).find((target) => target.type === 'page');
const socket = new WebSocket(pageTarget.webSocketDebuggerUrl);
await new Promise((open) => socket.on('open', open));
let lastId = 0;
const answers = new Map();
socket.on('message', (data) => {
  const message = JSON.parse(data);
  answers.get(message.id)?.(message);
  answers.delete(message.id);
});
const send = (method, params = {}) => new Promise((answer) => {
  lastId += 1;
  answers.set(lastId, answer);
  socket.send(JSON.stringify({ id: lastId, method, params }));
});
const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.result?.value;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const answered = async (query) => evaluate(`(${queryAnswered})(${JSON.stringify(query)})`);

await send('Page.navigate', { url: site.url });
while (!(await evaluate(`(${appMounted})() && !!document.querySelector('[data-testid="card-link"]')`))) await sleep(200);

const curve = [];
const started = Date.now();
let n = 0;
for (const query of queries(QUERIES)) {
  // Letter by letter, as the search box would set the address while typing.
  for (let end = 1; end <= query.length; end += 1) {
    await evaluate(`location.hash = '#/?q=' + encodeURIComponent(${JSON.stringify(query.slice(0, end))})`);
    await sleep(15);
  }
  const waitedSince = Date.now();
  while (!(await answered(query))) {
    if (Date.now() - waitedSince > 60_000) throw new Error(`query ${n + 1} «${query}» was not answered in a minute`);
    await sleep(50);
  }
  n += 1;
  if (n === 1 || n % 100 === 0 || n === QUERIES) {
    const sample = { queries: n, seconds: Math.round((Date.now() - started) / 1000), ...renderersMemory(chrome.pid) };
    curve.push(sample);
    console.error(`after ${n} queries: renderers ${sample.renderer.toFixed(0)} MB (Pss ${sample.proportional.toFixed(0)})`);
  }
}
socket.close();
chrome.kill();
await site.close();

console.log(`\nLong session without DevTools' network record: ${QUERIES} queries typed into a ${ARTICLES.toLocaleString('en')}-article archive`);
console.log('| queries | seconds | renderer processes, resident / proportional (MB) |');
console.log('|---|---|---|');
for (const sample of curve) console.log(`| ${sample.queries} | ${sample.seconds} | ${sample.renderer.toFixed(0)} / ${sample.proportional.toFixed(0)} |`);
