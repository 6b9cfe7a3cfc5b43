// End to end: the first screen a release build draws into index.html. It must show the newest articles before
// the app's wasm has come, look exactly like what the app then draws in its place, stay out of the way of any
// other address, and lose nothing the reader typed meanwhile; so must the newest articles' pages, drawn for their
// links. The wasm is held back by intercepting its request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, recordCspViolations, readBundle, appStarted, OUTPUT_DIR } from './support.mjs';

let site;
let bundle;

before(async () => {
  site = await serveSite();
  bundle = await readBundle();
});

after(async () => {
  await site?.close();
});

/** A page whose wasm request waits until `release()` is called. */
async function pageWithHeldApp(browser) {
  const page = await browser.newPage();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.addInitScript(() => {
    window.__layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return { page, release };
}

const cardBoxes = (page) =>
  page.getByTestId('card-link').evaluateAll((links) => links.map((link) => {
    const box = link.getBoundingClientRect();
    return { title: link.textContent, href: link.getAttribute('href'), x: box.x, y: box.y, width: box.width, height: box.height };
  }));

for (const width of [360, 1280]) {
  test(`at ${width} px the newest articles show before the wasm, and the app draws them in the same places`, async () => {
    const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width, height: 800 } });
    await recordCspViolations(browser);
    const { page, release } = await pageWithHeldApp(browser);
    const errors = watchErrors(page);
    await page.goto(site.url);
    await page.getByTestId('article-card').first().waitFor();

    const drawn = await cardBoxes(page);
    const newest = bundle.rows.slice(0, drawn.length);
    assert.ok(drawn.length >= Math.min(5, bundle.rows.length), `${drawn.length} cards drawn`);
    assert.deepEqual(drawn.map((card) => card.title), newest.map((row) => row.title), 'the newest articles, newest first');
    assert.deepEqual(drawn.map((card) => card.href), newest.map((row) => `#/article/${row.id}`));
    assert.equal(await page.getByTestId('result-count').textContent(), '5 مقالات');
    assert.equal(await page.locator('#boot').isVisible(), false, 'the start-up note stays hidden');
    await page.screenshot({ path: join(OUTPUT_DIR, `first-screen-${width}.png`) });

    release();
    await appStarted(page);
    await page.getByTestId('headline').first().waitFor();
    assert.deepEqual(await cardBoxes(page), drawn, 'the app draws every card where the page drew it');
    assert.equal(await page.evaluate(() => window.__layoutShift), 0, 'nothing moved on screen');
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(errors, []);
    await browser.close();
  });
}

/** Where the article's title, date lines and paragraphs lie, and what they say (of the date lines, the
 *  Gregorian and Hijri dates, both drawn at build time as the app draws them). */
const articleBoxes = (page) =>
  page.locator('[data-testid=article-title], .reader .meta, .article-text > *').evaluateAll((elements) => elements.map((element) => {
    const box = element.getBoundingClientRect();
    const text = element.classList.contains('meta') ? `${element.querySelector('time')?.textContent} | ${element.querySelector('.hijri')?.textContent}` : element.textContent;
    return { text, x: box.x, y: box.y, width: box.width, height: box.height };
  }));

for (const width of [360, 1280]) {
  test(`at ${width} px a link to one of the newest articles shows it before the wasm, and the app draws it in the same place without fetching it`, async () => {
    const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width, height: 800 } });
    try {
      await recordCspViolations(browser);
      const { page, release } = await pageWithHeldApp(browser);
      const errors = watchErrors(page);
      const articleRequests = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.includes('/data/articles/')) articleRequests.push(request.url());
      });
      const [row] = bundle.rows;
      await page.goto(`${site.url}#/article/${row.id}`);
      await page.getByTestId('article-view').waitFor();
      assert.equal(await page.getByTestId('article-title').textContent(), row.title);
      assert.equal(await page.getByTestId('article-card').count(), 0, 'no list shows before the article');
      assert.equal(await page.locator('#boot').isVisible(), false, 'the start-up note is gone once the article shows');
      const drawn = await articleBoxes(page);
      assert.ok(drawn.length >= 3, `${drawn.length} parts of the article drawn`);
      const drawnTitle = await page.title();
      assert.ok(drawnTitle.startsWith(`${row.title} — `), `the tab is named after the article: ${drawnTitle}`);
      await page.screenshot({ path: join(OUTPUT_DIR, `first-screen-article-${width}.png`) });

      release();
      await appStarted(page);
      await page.getByTestId('article-view').waitFor();
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'article-title');
      assert.deepEqual(await articleBoxes(page), drawn, 'the app draws the article where the page drew it');
      assert.equal(await page.title(), drawnTitle, 'the app names the tab as the drawing did');
      assert.match(await page.getByTestId('hijri-date').textContent(), /^الموافق .+ هـ تقريبًا$/, 'the Hijri date written into its line');
      assert.equal(await page.evaluate(() => window.__layoutShift), 0, 'nothing moved on screen');
      assert.deepEqual(articleRequests, [], 'the article came with its drawing');
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

// A drawing the host does not have, or answers with something else than a drawing.
const badDrawings = {
  'missing': (route) => route.fulfill({ status: 404, body: 'missing' }),
  'not a drawing': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"html":1,"files":"x"}' }),
  'cut short': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"html":"<p>نص</p>","fi' }),
};

for (const [kind, answer] of Object.entries(badDrawings)) {
  test(`a drawn article's drawing ${kind}: its address shows the start-up note, never the drawn list, until the app opens the article`, async () => {
    const browser = await launchBrowser({ serviceWorkers: 'block' });
    try {
      const { page, release } = await pageWithHeldApp(browser);
      await page.route(/\/drawn\//, answer);
      const [row] = bundle.rows;
      await page.goto(`${site.url}#/article/${row.id}`);
      await page.locator('#boot').waitFor();
      await page.waitForFunction(() => !document.getElementById('sahifa-first-screen'), null, { timeout: 10_000 });
      assert.equal(await page.getByTestId('article-card').count(), 0, 'no list flashes before the article');
      assert.equal(await page.getByTestId('article-view').count(), 0);
      assert.match(await page.locator('#boot').textContent(), /صحيفة/);

      release();
      await appStarted(page);
      await page.getByTestId('article-view').waitFor();
      assert.equal(await page.getByTestId('article-title').textContent(), row.title);
    } finally {
      await browser.close();
    }
  });
}

test('a query typed into the drawn search box before the app came becomes the query, with the focus kept', async () => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  const { page, release } = await pageWithHeldApp(browser);
  await page.goto(site.url);
  const input = page.getByTestId('search-input');
  await input.pressSequentially('الانتربول', { delay: 20 });

  release();
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  assert.match(page.url(), /#\/\?q=/);
  assert.equal(await input.inputValue(), 'الانتربول');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await input.press('End');
  await input.pressSequentially(' حموشي', { delay: 20 });
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  await browser.close();
});

test('if the app cannot start, the page says so above the drawn list instead of waiting forever', async () => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const page = await browser.newPage();
    await page.route(/_bg\.wasm$/, (route) => route.abort());
    await page.goto(site.url);
    const note = page.locator('#boot');
    await note.waitFor({ timeout: 10_000 });
    assert.match(await note.textContent(), /تعذّر تشغيل صحيفة/);
    assert.equal(await note.getAttribute('role'), 'alert');
    assert.ok((await page.getByTestId('article-card').count()) > 0, 'the drawn list stays, to read');
  } finally {
    await browser.close();
  }
});
