// End to end: classic cross-site-scripting and filter-evasion payloads (the kinds OWASP's cheat sheet
// catalogues, written out here) arriving in JSON Lines from a publisher: in titles, outlet names, bodies and
// source addresses. Each payload, if it ever ran, would set `window.__xss`; none may run, open a dialog, load
// anything, or make the Content-Security-Policy report, and each is shown as the text it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, appStarted, siteWithPages, readBundle, recordCspViolations, OUTPUT_DIR, tempDir } from './support.mjs';

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror=window.__xss=2>',
  '<svg/onload=window.__xss=3>',
  '"><script>window.__xss=4</script>',
  "'><img src=x onerror=window.__xss=5>",
  '<iframe src="javascript:window.__xss=6"></iframe>',
  '<a href="javascript:window.__xss=7">انقر</a>',
  '<body onload=window.__xss=8>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=9>',
  '<IMG SRC=JaVaScRiPt:window.__xss=10>',
  '<div style="background:url(javascript:window.__xss=11)">x</div>',
  '&lt;script&gt;window.__xss=12&lt;/script&gt;',
  '<scr<script>ipt>window.__xss=13</script>',
  '<details open ontoggle=window.__xss=14>',
  '<input autofocus onfocus=window.__xss=15>',
  '<object data="javascript:window.__xss=16"></object>',
  '<base href="javascript:window.__xss=17//">',
  "{{constructor.constructor('window.__xss=18')()}}",
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=19">',
  '<style>@import "javascript:window.__xss=20";</style>',
];
// Addresses a publisher's feed may carry; only http and https ever become a link.
const URLS = [
  'javascript:window.__xss=21',
  'JaVaScRiPt:window.__xss=22',
  ' javascript:window.__xss=23',
  'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MjQ8L3NjcmlwdD4=',
  'vbscript:msgbox(25)',
];
const BODY = 'قال المتحدث في بيان صدر اليوم إن الاجتماع تناول قضايا عديدة تهم المواطنين في المدن والقرى.';

let site;
let browser;
let rows;

before(async () => {
  const dir = await tempDir('sahifa-hostile-');
  const lines = PAYLOADS.map((payload, n) => ({
    title: `${payload} عنوان ${n}`,
    outlet: n % 3 === 0 ? payload : 'منبر الاختبار',
    date: `2016-01-${String((n % 28) + 1).padStart(2, '0')}`,
    body: `${BODY}\n${payload}\n${BODY}`,
    url: URLS[n % URLS.length],
  }));
  await writeFile(join(dir, 'hostile.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const siteDir = await siteWithPages(dir);
  ({ rows } = await readBundle(join(siteDir, 'data')));
  site = await serveSite(siteDir);
  browser = await launchBrowser({ serviceWorkers: 'block' });
  await recordCspViolations(browser);
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('payloads in titles, outlets, bodies and addresses stay text: nothing runs, loads or reports', async () => {
  assert.equal(rows.length, PAYLOADS.length, 'every hostile line is an article');
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  const outside = [];
  page.on('request', (request) => { if (!request.url().startsWith(site.url)) outside.push(request.url()); });

  // The list and a search over the payloads' words.
  await page.goto(`${site.url}#/?q=${encodeURIComponent('عنوان')}`);
  await appStarted(page);
  await page.getByTestId('article-card').first().waitFor();
  const titles = await page.getByTestId('card-link').allTextContents();
  assert.ok(titles.length > 0 && titles.every((title) => PAYLOADS.some((payload) => title.startsWith(payload))), titles.slice(0, 3).join(' | '));

  // Every article page.
  for (const row of rows) {
    await page.goto(`${site.url}#/article/${encodeURIComponent(row.id)}`);
    await page.getByTestId('article-view').waitFor();
    const shown = await page.getByTestId('article-view').innerText();
    const payload = PAYLOADS.find((candidate) => row.title.startsWith(candidate));
    assert.ok(shown.includes(payload), `the payload is shown as text: ${payload}`);
    assert.equal(await page.getByTestId('source-link').count(), 0, 'no address but http(s) becomes a link');
  }
  for (const selector of ['.article-text img', '.article-text svg', 'iframe', 'object', 'a[href^="javascript:" i]', 'a[href^="data:" i]', 'details', 'input[autofocus]', 'body base', 'body meta[http-equiv]', '.article-text style']) {
    assert.equal(await page.locator(selector).count(), 0, selector);
  }
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'the CSP reported nothing');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(outside, [], 'nothing was loaded from elsewhere');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(OUTPUT_DIR, 'hostile-payloads.png') });
  await page.close();
});
