// End to end: the current results taken away as CSV (for spreadsheets: byte-order mark, quoted cells, no
// formulas) and as JSON, with title, outlet, date, the original's address, id and a permalink that reopens
// the article in this archive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, appStarted, siteWithPages, tempDir } from './support.mjs';

let browser;
const closers = [];

before(async () => {
  browser = await launchBrowser({ serviceWorkers: 'block', acceptDownloads: true });
});

after(async () => {
  await browser?.close();
  for (const close of closers) await close();
});

/** Presses an export button and reads the file it downloads. */
async function exported(page, testid) {
  const download = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const file = await download;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** RFC 4180 rows, as a spreadsheet reads them. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  return rows;
}

test('a search\'s results download as CSV and JSON whose permalinks reopen the articles', async () => {
  const site = await serveSite();
  closers.push(() => site.close());
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.url}#/?q=${encodeURIComponent('الانتربول')}`);
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  const titles = await page.getByTestId('card-link').allTextContents();

  const csv = await exported(page, 'export-csv');
  assert.equal(csv.name, 'sahifa-results.csv');
  assert.ok(csv.text.startsWith('\uFEFF'), 'a byte-order mark, so Excel reads the Arabic');
  const rows = parseCsv(csv.text.slice(1));
  assert.deepEqual(rows[0], ['title', 'outlet', 'date', 'url', 'id', 'permalink']);
  assert.deepEqual(rows.slice(1).map((row) => row[0]), titles, 'the list\'s rows, in its order');
  await page.getByTestId('export-done').waitFor();
  assert.equal(await page.getByTestId('export-done').textContent(), 'صُدِّر 4 مقالات.');

  const json = JSON.parse((await exported(page, 'export-json')).text);
  assert.equal(json.length, 4);
  assert.deepEqual(Object.keys(json[0]), ['title', 'outlet', 'date', 'url', 'id', 'permalink']);
  assert.equal(json[0].date, rows[1][2]);
  // A permalink opens its article in a fresh tab.
  const fresh = await browser.newPage();
  await fresh.goto(json[1].permalink);
  await appStarted(fresh);
  await fresh.getByTestId('article-view').waitFor();
  assert.equal(await fresh.getByTestId('article-title').textContent(), json[1].title);
  await fresh.close();
  assert.deepEqual(errors, []);
  await page.close();
});

/** A site of three articles from JSON Lines, two with the original's address (kept in the bundle's
 *  `sources` family, which only the export reads), one title a spreadsheet formula. */
async function siteWithAddresses() {
  const dir = await tempDir('sahifa-export-');
  const lines = [
    { title: '=HYPERLINK("http://evil.example","انقر")', body: 'نص أول عن الميناء.', outlet: 'منبر، مع فاصلة', date: '2015-08-11', url: 'https://example.org/a?x=1,2' },
    { title: 'خبر عن الميناء', body: 'نص ثان عن الميناء.', outlet: 'منبر', date: '2015-08-10' },
    { title: 'خبر ثالث', body: 'نص عن المطار.', outlet: 'منبر', date: '2015-08-09', url: 'https://example.org/c' },
  ];
  await writeFile(join(dir, 'articles.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const site = await serveSite(await siteWithPages(dir));
  closers.push(() => site.close());
  return site;
}

test('the originals\' addresses come along, and a hostile title stays text in the spreadsheet', async () => {
  const site = await siteWithAddresses();
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.url}#/?q=${encodeURIComponent('الميناء')}&sort=newest`);
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقالان');

  const json = JSON.parse((await exported(page, 'export-json')).text);
  assert.deepEqual(json.map((row) => row.url), ['https://example.org/a?x=1,2', null]);
  const rows = parseCsv((await exported(page, 'export-csv')).text.slice(1));
  assert.equal(rows[1][0], '\'=HYPERLINK("http://evil.example","انقر")', 'a formula is made text');
  assert.equal(rows[1][1], 'منبر، مع فاصلة');
  assert.equal(rows[1][3], 'https://example.org/a?x=1,2');
  assert.equal(rows[2][3], '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the originals\' addresses answered badly by the host: the export says so in Arabic, and trying again works', async () => {
  const site = await siteWithAddresses();
  const answers = {
    '404': (route) => route.fulfill({ status: 404, body: 'not found' }),
    '500': (route) => route.fulfill({ status: 500, body: 'server error' }),
    'html page': (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Login</title><p>Please sign in' }),
    'empty': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '' }),
    'garbage': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"urls": [1, {' }),
  };
  for (const [kind, answer] of Object.entries(answers)) {
    const page = await browser.newPage();
    let misbehaving = true;
    let asked = 0;
    await page.route('**/data/sources/**', (route) => {
      asked += 1;
      return misbehaving ? answer(route) : route.continue();
    });
    await page.goto(`${site.url}#/?q=${encodeURIComponent('الميناء')}&sort=newest`);
    await appStarted(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقالان');
    await page.getByTestId('export-json').click();
    const failed = page.getByTestId('export-failed');
    await failed.waitFor({ timeout: 15_000 });
    assert.ok(asked > 0, `${kind}: the export asked for the addresses`);
    const message = await failed.innerText();
    assert.match(message, /[\u0600-\u06FF]/, `${kind}: ${message}`);
    assert.doesNotMatch(message, /[A-Za-z]/, `${kind}: no path, no host's words: ${message}`);
    misbehaving = false;
    const json = JSON.parse((await exported(page, 'export-json')).text);
    assert.deepEqual(json.map((row) => row.url), ['https://example.org/a?x=1,2', null], `${kind}: the second try exports the addresses`);
    await page.close();
  }
});
