// End to end: files of the bundle damaged on the server, one family at a time. Each must end in a clear Arabic
// message with a retry (never «جارٍ البحث…» forever, never a dead app, never counts that are wrong shown as
// right), and the retry must work once the file is whole again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveSite, launchBrowser, watchErrors, appStarted, readBundle, siteWithBundle, servedWithoutEmbeddedFiles, servedWithoutDrawnArticles, OUTPUT_DIR, SAHIFA_CLI, SITE_DIR, tempDir } from './support.mjs';

const GARBAGE = Buffer.from('\u00ff\u00fe garbage \u0000\u0001 {{{ not what it should be', 'latin1');

let dir;
let site;
let browser;
let bundle;

before(async () => {
  dir = await tempDir('sahifa-faults-');
  await cp(SITE_DIR, dir, { recursive: true });
  bundle = await readBundle(join(dir, 'data'));
  site = await serveSite(dir);
  browser = await launchBrowser({ serviceWorkers: 'block' });
  // The articles opened here are among the newest, whose pages the site draws; opened as any other article
  // is, they read their files, whose faults are under test.
  await servedWithoutDrawnArticles(browser, site.url);
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Replaces every file of `family` with garbage (and drops its precompressed copy); returns a function that
 *  puts them back. */
async function damage(family) {
  const paths = bundle.files.filter((path) => path.startsWith(`${family}/`));
  assert.ok(paths.length > 0, `the bundle has ${family} files`);
  const saved = [];
  for (const path of paths) {
    const file = join(dir, 'data', path);
    saved.push([file, await readFile(file), await readFile(`${file}.br`).catch(() => null)]);
    await writeFile(file, GARBAGE);
    await rm(`${file}.br`, { force: true });
  }
  return async () => {
    for (const [file, bytes, compressed] of saved) {
      await writeFile(file, bytes);
      if (compressed) await writeFile(`${file}.br`, compressed);
    }
  };
}

const firstArticle = () => bundle.rows[0].id;

/** The errors a page logged other than the host's own error answers (and the browser's line about each):
 *  those are the fault under test; anything else is a panic or an uncaught error. */
const beyondTheHostsAnswers = (errors) => errors.filter((error) => !/^HTTP (404|500)/.test(error) && !error.startsWith('console: Failed to load resource'));

const cases = [
  // A search needs the outlet column for its facet counts, and the search index for its hits.
  ['outlets', () => `#/?q=${encodeURIComponent('المغرب')}`, 'error-state'],
  ['search', () => `#/?q=${encodeURIComponent('المغرب')}`, 'error-state'],
  // An article page needs its shard; its tellings need the fingerprints and its related articles their lists
  // (a quiet note for each: the article stands).
  ['articles', () => `#/article/${encodeURIComponent(firstArticle())}`, 'error-state'],
  ['stories', () => `#/article/${encodeURIComponent(firstArticle())}`, 'also-published-failed'],
  ['related', () => `#/article/${encodeURIComponent(firstArticle())}`, 'related-failed'],
];

for (const [family, address, shown] of cases) {
  test(`damaged ${family} files end in a message, and a retry works once they are whole`, async () => {
    const restore = await damage(family);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    // The cases share one browser, whose cache would answer with a whole copy an earlier case read (an
    // article page reads its fingerprints and related lists alike).
    await (await page.context().newCDPSession(page)).send('Network.clearBrowserCache');
    try {
      await page.goto(`${site.url}${address()}`);
      await appStarted(page);
      await page.getByTestId(shown).waitFor({ timeout: 15_000 });
      const message = await page.getByTestId(shown).innerText();
      assert.match(message, /[\u0600-\u06FF]/, `an Arabic message: ${message}`);
      await restore();
      if (shown === 'error-state') {
        await page.getByTestId('retry').click();
        await page.getByTestId('error-state').waitFor({ state: 'detached', timeout: 15_000 });
        assert.ok((await page.getByTestId('article-card').count()) + (await page.getByTestId('article-view').count()) > 0, 'what was asked for shows');
      }
      // A damaged pack is shorter than its pieces' ranges: the server's 416 for them is the fault itself.
      const unexpected = errors.filter((error) => !(error.startsWith('HTTP 416') && error.includes(`/data/${family}/`)));
      assert.deepEqual(unexpected, [], 'no panic, no uncaught error');
    } finally {
      await restore();
      await page.close();
    }
  });
}

// The host misbehaving rather than the files being damaged: errors, an HTML page where a file should be, an
// empty or cut answer. Each family is answered so until the retry, which the host then answers properly.
const answers = {
  '404': (route) => route.fulfill({ status: 404, body: 'not found' }),
  '500': (route) => route.fulfill({ status: 500, body: 'server error' }),
  'html page': (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Login</title><p>Please sign in' }),
  'empty': (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: '' }),
  'cut short': async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, Math.floor(body.length / 2)) });
  },
};

// The families a page reads beyond its first screen (the outlet column for a search's facet counts; an
// article's tellings and related lists, whose notes stand beside the article and have no retry of their own).
const hostFaultCases = cases.filter(([family]) => ['articles', 'search', 'outlets', 'stories', 'related'].includes(family));

for (const [family, address, shown] of hostFaultCases) {
  test(`a host answering ${family} files with errors, HTML, nothing or half: a message each time${shown === 'error-state' ? ', and the retry works' : ''}`, async () => {
    for (const [kind, answer] of Object.entries(answers)) {
      await withMisbehavingHost(`**/data/${family}/**`, answer, async (page, errors, behave) => {
        await page.goto(`${site.url}${address()}`);
        await appStarted(page);
        await page.getByTestId(shown).waitFor({ timeout: 15_000 });
        const message = await page.getByTestId(shown).innerText();
        assert.match(message, /[\u0600-\u06FF]/, kind);
        // No file path, host answer or decoder's words: they go to the console, and Latin letters inside an
        // Arabic sentence break its right-to-left line.
        assert.doesNotMatch(message, /[A-Za-z]/, `${kind}: ${message}`);
        behave();
        if (shown === 'error-state') {
          await page.getByTestId('retry').click();
          await page.getByTestId('error-state').waitFor({ state: 'detached', timeout: 15_000 });
        }
        assert.ok((await page.getByTestId('article-card').count()) + (await page.getByTestId('article-view').count()) > 0, `${kind}: what was asked for shows`);
        assert.deepEqual(beyondTheHostsAnswers(errors), [], `${kind}: no panic, no uncaught error`);
      });
    }
  });
}

test('a connection dropped once is sent again: a search and an article arrive, and no error is shown', async () => {
  // Every request for a bundle file (each piece its own) fails the first time, as a connection dropped on a
  // phone fails, and is answered the second.
  const dropped = new Set();
  const dropOnce = (route) => {
    const request = `${route.request().url()} ${route.request().headers().range ?? ''}`;
    if (dropped.has(request)) return route.continue();
    dropped.add(request);
    return route.abort('connectionreset');
  };
  await withMisbehavingHost('**/data/**', dropOnce, async (page, errors) => {
    await page.goto(`${site.url}#/?q=${encodeURIComponent('الانتربول')}`);
    await appStarted(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات', null, { timeout: 15_000 });
    await page.getByTestId('card-link').first().click();
    await page.getByTestId('article-view').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('error-state').count(), 0);
    const droppedFamilies = new Set([...dropped].map((request) => /\/data\/([a-z]+)\//.exec(request)?.[1]));
    assert.ok(droppedFamilies.has('search') && droppedFamilies.has('articles'), `the search's and the article's files were dropped once: ${[...droppedFamilies]}`);
    assert.deepEqual(beyondTheHostsAnswers(errors), []);
  });
});

test('a host ten seconds slow shows the loading state, then the article, and no error', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const pattern = '**/data/articles/**';
  await browser.route(pattern, async (route) => {
    await new Promise((done) => setTimeout(done, 10_000));
    await route.continue();
  });
  try {
    await page.goto(`${site.url}#/article/${encodeURIComponent(firstArticle())}`);
    await appStarted(page);
    await page.getByTestId('loading-state').waitFor({ timeout: 5_000 });
    await page.getByTestId('article-view').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('error-state').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.unroute(pattern);
    await page.close();
  }
});

test('every family ten seconds slow, the page\'s copies stripped: a search waits with the loading state, then shows its cards, and no error', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await servedWithoutEmbeddedFiles(page, site.url);
  // Every file of the bundle, for the page and the search worker alike: the manifest, descriptors, search
  // index, listing, outlet columns and headlines each come ten seconds late.
  const pattern = '**/data/**';
  const delayed = new Set();
  await browser.route(pattern, async (route) => {
    delayed.add(route.request().url().split('/data/')[1].split('/')[0]);
    await new Promise((done) => setTimeout(done, 10_000));
    await route.continue();
  });
  try {
    await page.goto(`${site.url}#/?q=${encodeURIComponent('المغرب')}`);
    await appStarted(page);
    await page.getByTestId('loading-state').first().waitFor({ timeout: 5_000 });
    await page.getByTestId('card-link').first().waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId('error-state').count(), 0);
    for (const family of ['manifest.json', 'segments', 'search', 'listing', 'outlets']) assert.ok(delayed.has(family), `${family} was among the slow files (${[...delayed]})`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.unroute(pattern);
    await page.close();
  }
});

/**
 * Opens `url` and waits for what the host's bad answers cause (the page's error, or a card that could not be
 * read); checks it says so in Arabic with no Latin letter in it (no file path, no host's or decoder's words),
 * then lets `heal` make the host answer properly and presses the retry until the failure is gone.
 */
async function failureInArabicThenRetry(page, url, label, heal) {
  const failures = '[data-testid="error-state"], [data-testid="card-failed"]';
  await page.goto(url);
  await appStarted(page);
  const failure = page.locator(failures).first();
  await failure.waitFor({ timeout: 15_000 });
  const message = await failure.innerText();
  assert.match(message, /[\u0600-\u06FF]/, `${label}: ${message}`);
  assert.doesNotMatch(message, /[A-Za-z]/, `${label}: no path, no host's or decoder's words: ${message}`);
  heal();
  await failure.getByTestId('retry').click();
  await page.locator(failures).first().waitFor({ state: 'detached', timeout: 15_000 });
}

// The families the page's first screen carries (the manifest, segment descriptors, the listing), and the ones
// only some views read (the sidebar's headlines; the id buckets, which a link to an article not yet listed is
// looked up in): served without the page's copies, so the app fetches them itself, each answered badly in
// every way until the retry. The reader gets Arabic with no Latin letter in it (no path, no host's words) and
// a retry that shows the page once the host answers properly. (Directory pages are fetched only for a family
// of more than 64 files, 8,192 rows of a segment's listing: a descriptor carries a smaller family's page, so
// the sample never asks for one; a larger archive's are tried below.)
const fetchedFamilies = [
  ['manifest.json', () => '#/'],
  ['segments', () => '#/'],
  ['listing', () => '#/'],
  ['headlines', () => '#/'],
  ['ids', () => `#/article/${encodeURIComponent(firstArticle())}`],
];
const badly = { ...answers, garbage: (route) => route.fulfill({ status: 200, contentType: 'application/json', body: GARBAGE }) };

for (const [family, address] of fetchedFamilies) {
  test(`${family} answered with errors, garbage, HTML, nothing or half while the app fetches it: Arabic, and a retry that works`, async () => {
    for (const [kind, answer] of Object.entries(badly)) {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await servedWithoutEmbeddedFiles(page, site.url);
      let misbehaving = true;
      let asked = 0;
      const pattern = family.endsWith('.json') ? `**/data/${family}` : `**/data/${family}/**`;
      await page.route(pattern, (route) => {
        asked += 1;
        return misbehaving ? answer(route) : route.continue();
      });
      try {
        await failureInArabicThenRetry(page, `${site.url}${address()}`, kind, () => {
          assert.ok(asked > 0, `${kind}: the page asked for ${family}`);
          misbehaving = false;
        });
        const shown = family === 'ids' ? 'article-view' : family === 'headlines' ? 'headlines-panel' : 'article-card';
        await page.getByTestId(shown).first().waitFor({ timeout: 15_000 });
        const unexpected = beyondTheHostsAnswers(errors);
        assert.deepEqual(unexpected, [], `${kind}: no panic, no uncaught error`);
      } finally {
        await page.close();
      }
    }
  });
}

/** The site serving a generated archive of `articles` (from `seed`), for faults the sample is too small for. */
async function servedGeneratedArchive(articles, seed) {
  const work = await tempDir('sahifa-faults-archive-');
  const [pages, built] = ['pages', 'bundle'].map((name) => join(work, name));
  execFileSync(SAHIFA_CLI, ['gen-corpus', '--articles', String(articles), '--seed', String(seed), '--out', pages], { stdio: 'ignore' });
  execFileSync(SAHIFA_CLI, ['build', pages, '--out', built], { stdio: 'ignore' });
  return serveSite(await siteWithBundle(built));
}

/** Runs `body(page, errors, behave)` on a new page (the browser's cache cleared) while the host answers the
 *  files matching `pattern` with `answer`, until `behave()` puts it right; then the page goes. */
async function withMisbehavingHost(pattern, answer, body) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await (await page.context().newCDPSession(page)).send('Network.clearBrowserCache');
  let misbehaving = true;
  // On the context (the browser's one), so the search worker's fetches are answered so too.
  await browser.route(pattern, (route) => (misbehaving ? answer(route) : route.continue()));
  try {
    await body(page, errors, () => { misbehaving = false; });
  } finally {
    await browser.unroute(pattern);
    await page.close();
  }
}

test('the search package answered with errors, HTML, nothing or half: a message in Arabic, and the retry starts search afresh', async () => {
  for (const [kind, answer] of Object.entries(answers)) {
    // The page downloads the package's wasm for the worker.
    await withMisbehavingHost('**/search/sahifa_search_bg.wasm', answer, async (page, errors, behave) => {
      await page.goto(`${site.url}#/?q=${encodeURIComponent('الانتربول')}`);
      await appStarted(page);
      await page.getByTestId('error-state').waitFor({ timeout: 15_000 });
      const message = await page.getByTestId('error-state').innerText();
      assert.match(message, /[\u0600-\u06FF]/, kind);
      assert.doesNotMatch(message, /[A-Za-z]/, `${kind}: ${message}`);
      // The worker could not start its package; the retry starts a new one, which downloads it again.
      behave();
      await page.getByTestId('retry').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات', null, { timeout: 15_000 });
      assert.equal(await page.getByTestId('error-state').count(), 0, kind);
      assert.deepEqual(beyondTheHostsAnswers(errors), [], `${kind}: no panic, no uncaught error`);
    });
  }
});

test('listing shards answered with garbage or errors: the list says so in Arabic, and the retry works', async () => {
  // The sample's only listing shard comes inside the page; an archive of 600 articles has shards to fetch
  // as the reader scrolls and searches.
  const larger = await servedGeneratedArchive(600, 7);
  try {
    for (const [kind, answer] of [['garbage', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: GARBAGE })], ...Object.entries(answers)]) {
      await withMisbehavingHost('**/data/listing/**', answer, async (page, errors, behave) => {
        // The oldest articles first: their rows are in shards the page does not carry.
        await page.goto(`${larger.url}#/?sort=oldest`);
        await appStarted(page);
        // Each card on screen says its row could not be read, in Arabic (the decoder's words go to the
        // console), with a retry.
        const failed = page.getByTestId('card-failed');
        await failed.first().waitFor({ timeout: 15_000 });
        const message = await failed.first().innerText();
        assert.match(message, /[\u0600-\u06FF]/, kind);
        assert.doesNotMatch(message, /[A-Za-z]/, `${kind}: no path, no decoder's or host's English: ${message}`);
        if (kind === 'garbage') {
          // To look at: the failed cards on a phone and on a wide screen.
          for (const width of [360, 1280]) {
            await page.setViewportSize({ width, height: 800 });
            await page.screenshot({ path: join(OUTPUT_DIR, `listing-failed-${width}.png`) });
          }
        }
        behave();
        await failed.first().getByTestId('retry').click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="card-link"]').length > 0 && !document.querySelector('[data-testid="card-failed"], [data-testid="error-state"]'), null, { timeout: 15_000 });
        const unexpected = beyondTheHostsAnswers(errors);
        assert.deepEqual(unexpected, [], `${kind}: no panic, no uncaught error`);
      });
    }
  } finally {
    await larger.close();
  }
});

test('directory pages answered with errors, garbage, HTML, nothing or half: Arabic, and a retry that works', async () => {
  // 66,000 articles make a segment of 65,536, whose 512 listing shards are named by two directory pages of
  // their own (a descriptor carries a family's one page of up to 256 files inside, as the sample's and the
  // smaller segments' do). Its rows are the oldest, and most of a frequent word's hits.
  const larger = await servedGeneratedArchive(66000, 3);
  const searched = `#/?q=${encodeURIComponent('المغرب')}`;
  const tried = [...Object.entries(badly).map(([kind, answer]) => [kind, answer, '#/?sort=oldest']), ['garbage', badly.garbage, searched], ['404', badly['404'], searched]];
  try {
    for (const [kind, answer, address] of tried) {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await servedWithoutEmbeddedFiles(page, larger.url);
      let misbehaving = true;
      let asked = 0;
      // On the context, so the search worker's fetches are answered so too.
      const pattern = '**/data/directory/**';
      await browser.route(pattern, (route) => {
        asked += 1;
        return misbehaving ? answer(route) : route.continue();
      });
      try {
        await failureInArabicThenRetry(page, `${larger.url}${address}`, `${kind} at ${address}`, () => {
          assert.ok(asked > 0, `${kind} at ${address}: the page asked for a directory page`);
          misbehaving = false;
        });
        await page.getByTestId('card-link').first().waitFor({ timeout: 15_000 });
        const unexpected = beyondTheHostsAnswers(errors);
        assert.deepEqual(unexpected, [], `${kind} at ${address}: no panic, no uncaught error`);
      } finally {
        await browser.unroute(pattern);
        await page.close();
      }
    }
  } finally {
    await larger.close();
  }
});
