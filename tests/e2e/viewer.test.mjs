// End to end: the Trunk-built site, served on 127.0.0.1, in headless Debian Chromium. These tests are about the
// viewer, so the service worker is blocked here (pwa.test.mjs tests it); that also lets tests intercept requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, OUTPUT_DIR, appStarted, servedWithoutEmbeddedFiles, servedWithoutDrawnArticles, readBundle } from './support.mjs';

let site;
let browser;

before(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  site = await serveSite();
  browser = await launchBrowser({ serviceWorkers: 'block' });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

async function openHome(path = '') {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url + path);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  return { page, errors };
}

const cardTitles = (page) => page.getByTestId('card-link').allTextContents();
const cardDates = (page) =>
  page.getByTestId('article-card').evaluateAll((cards) => cards.map((card) => card.querySelector('time')?.getAttribute('datetime') ?? card.querySelector('.unknown')?.textContent));

test('the page is right-to-left and lists the five sample articles newest first', async () => {
  const { page, errors } = await openHome();
  const direction = await page.evaluate(() => getComputedStyle(document.body).direction);
  assert.equal(direction, 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  assert.deepEqual(await cardDates(page), ['2025-12-17', '2025-11-24', '2014-03-08', '2013-03-11', 'تاريخ النشر غير معروف']);
  assert.equal(await page.getByTestId('result-count').textContent(), '5 مقالات');
  // The headlines come in their own file, after the list the page carries.
  await page.getByTestId('headline').first().waitFor();
  assert.ok((await page.getByTestId('headline').count()) > 0, 'the headlines panel shows headlines');
  const lineHeight = await page.locator('.excerpt').first().evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) / parseFloat(getComputedStyle(el).fontSize));
  assert.ok(lineHeight >= 1.8, `excerpt line height ${lineHeight}`);
  await page.screenshot({ path: join(OUTPUT_DIR, 'home.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('typing a query without hamza keeps the four Interpol articles, and a name leaves one', async () => {
  const { page, errors } = await openHome();
  const input = page.getByTestId('search-input');
  await input.pressSequentially('الانتربول', { delay: 30 });
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  const titles = await cardTitles(page);
  assert.equal(titles.length, 4);
  assert.ok(!titles.some((title) => title.startsWith('الندوة المغربية الاسبانية')), 'seed 001 does not mention Interpol');
  assert.match(page.url(), /#\/\?q=/);

  await input.fill('حموشي');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.match((await cardTitles(page))[0], /^حموشي:/);

  await input.fill('كلمةلاوجودلها');
  await page.getByTestId('empty-state').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the list sorts oldest first with undated articles last, and a query adds relevance, all in the URL', async () => {
  const { page, errors } = await openHome();
  const sort = page.getByTestId('sort');
  assert.deepEqual(await sort.locator('option').allTextContents(), ['الأحدث أولًا', 'الأقدم أولًا']);
  await sort.selectOption('oldest');
  await page.waitForFunction(() => location.hash.includes('sort=oldest'));
  assert.deepEqual(await cardDates(page), ['2013-03-11', '2014-03-08', '2025-11-24', '2025-12-17', 'تاريخ النشر غير معروف']);

  // A query offers relevance first; the chosen date order stays until changed.
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  assert.deepEqual(await sort.locator('option').allTextContents(), ['الأكثر صلة', 'الأحدث أولًا', 'الأقدم أولًا']);
  assert.equal(await sort.inputValue(), 'oldest');
  const oldest = await cardDates(page);
  assert.deepEqual(oldest, [...oldest].sort());
  await sort.selectOption('newest');
  await page.waitForFunction(() => location.hash.includes('sort=newest'));
  const newest = await cardDates(page);
  const dated = newest.filter((date) => /^\d/.test(date));
  assert.deepEqual(newest, [...[...dated].sort().reverse(), ...newest.filter((date) => !/^\d/.test(date))], 'newest first, undated last');
  await sort.selectOption('relevance');
  await page.waitForFunction(() => !location.hash.includes('sort='));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the timeline draws a bar a year, oldest first with the empty years between, and a bar filters to its year', async () => {
  const { page, errors } = await openHome();
  const bars = page.getByTestId('timeline-bar');
  const years = await bars.evaluateAll((links) => links.map((link) => [link.dataset.year, link.getAttribute('aria-label')]));
  assert.equal(years.length, 13, 'from 2013 to 2025');
  assert.deepEqual(years[0], ['2013', '2013: مقال واحد']);
  assert.deepEqual(years[1], ['2014', '2014: مقال واحد']);
  assert.deepEqual(years[2], ['2015', '2015: لا مقالات']);
  assert.deepEqual(years.at(-1), ['2025', '2025: مقالان']);
  const height = (year) => page.locator(`[data-testid="timeline-bar"][data-year="${year}"] rect`).getAttribute('height');
  assert.deepEqual([await height(2025), await height(2013), await height(2015)], ['56', '28', '0']);
  // Oldest at the start of the line, which is the right in Arabic.
  const [first, last] = await Promise.all([2013, 2025].map((year) => page.locator(`[data-testid="timeline-bar"][data-year="${year}"]`).evaluate((a) => a.getBoundingClientRect().x)));
  assert.ok(first > last, `2013 at ${first}px, 2025 at ${last}px`);

  await page.locator('[data-testid="timeline-bar"][data-year="2025"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقالان');
  assert.match(page.url(), /year=2025/);
  // Inside the chosen year, a bar a month; «كل السنوات» leads back to every year; the query narrows the bars.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-bar"][data-month]').length === 12);
  await page.getByTestId('timeline-all-years').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '5 مقالات');
  await page.getByTestId('search-input').fill('حموشي');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-bar"]').length === 1);
  assert.equal(await bars.first().getAttribute('aria-label'), '2025: مقال واحد');
  assert.deepEqual(errors, []);
  await page.close();
});

test('inside a year the timeline and the month facet go by month, and a date range lists its days, all in the URL', async () => {
  const { page, errors } = await openHome('#/?year=2025');
  const monthBars = page.locator('[data-testid="timeline-bar"][data-month]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-bar"][data-month]').length === 12);
  const labels = await monthBars.evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')));
  assert.equal(labels[0], 'يناير 2025: لا مقالات');
  assert.deepEqual(labels.slice(10), ['نونبر 2025: مقال واحد', 'دجنبر 2025: مقال واحد']);
  const months = await page.getByTestId('facet-month').getByTestId('facet-option').allTextContents();
  assert.deepEqual(months.map((text) => text.trim()), ['دجنبر1', 'نونبر1']);
  // A month bar filters to its month; the chip names it.
  await page.locator('[data-testid="timeline-bar"][data-month="11"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.match(page.url(), /year=2025&month=11/);
  assert.deepEqual(await cardDates(page), ['2025-11-24']);
  assert.equal(await page.locator('[data-testid="filter-chip"][data-key="month"]').textContent(), 'نونبر 2025×');
  assert.equal(await page.locator('[data-testid="facet-month"] [data-value="11"]').getAttribute('aria-pressed'), 'true');

  // A date range, by day, across years: from 8 March 2014 to 24 November 2025, both days in.
  await page.goto(`${site.url}#/`);
  await page.getByTestId('article-list').waitFor();
  await page.getByTestId('date-from').fill('2014-03-08');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '3 مقالات');
  await page.getByTestId('date-to').fill('2025-11-24');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقالان');
  assert.deepEqual(await cardDates(page), ['2025-11-24', '2014-03-08']);
  assert.match(page.url(), /from=2014-03-08&to=2025-11-24/);
  // The year counts follow the range; a query narrows it further; the address restores all of it.
  const yearCounts = await page.getByTestId('facet-year').getByTestId('facet-option').evaluateAll((options) => options.map((o) => o.dataset.value));
  assert.deepEqual(yearCounts, ['2025', '2014']);
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  await page.reload();
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.equal(await page.getByTestId('date-from').inputValue(), '2014-03-08');
  // Clearing the fields lifts the range (on phones the chips do it too: the phone filters test).
  await page.getByTestId('date-from').fill('');
  await page.getByTestId('date-to').fill('');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  assert.doesNotMatch(page.url(), /from=|to=/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the outlet facet filters the list and the counts follow the query', async () => {
  const { page, errors } = await openHome();
  const hespress = page.getByTestId('facet-outlet').locator('[data-value="هسبريس"]');
  await hespress.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.equal(await hespress.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await cardDates(page), ['2025-12-17']);
  assert.match(decodeURIComponent(page.url()), /outlet=هسبريس/);

  // Pressing it again clears the filter.
  await hespress.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '5 مقالات');

  // With a query, the year facet counts only what the query leaves.
  await page.getByTestId('search-input').fill('حموشي');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  const years = await page.getByTestId('facet-year').getByTestId('facet-option').evaluateAll((options) =>
    options.map((option) => [option.dataset.value, option.querySelector('.facet-count').textContent]));
  assert.deepEqual(years, [['2025', '1']]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an article opens with title, outlet and Moroccan date, and a copied URL restores the view', async () => {
  const { page, errors } = await openHome();
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  await page.getByTestId('facet-outlet').locator('[data-value="هسبريس"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  const articleRequests = watchArticleRequests(page);
  await page.getByTestId('card-link').first().click();

  await page.getByTestId('article-view').waitFor();
  assert.equal(await page.getByTestId('article-title').textContent(), 'حصيلة التعاون الأمني الدولي بالمغرب');
  await onlyPiecesOfShards(articleRequests, 'opened from its card');
  assert.equal(await page.getByTestId('article-outlet').textContent(), 'هسبريس');
  assert.equal(await page.getByTestId('article-date').textContent(), '17 دجنبر 2025');
  assert.ok((await page.locator('.article-text p').count()) >= 20);
  assert.match(await page.title(), /حصيلة التعاون الأمني/);
  await page.screenshot({ path: join(OUTPUT_DIR, 'article.png'), fullPage: false });

  // The copied link reopens the same article in a fresh tab: through its id's bucket, as for any article whose
  // page the site did not draw (first-screen.test.mjs opens a drawn one).
  const copied = page.url();
  const fresh = await browser.newPage();
  await servedWithoutDrawnArticles(fresh, site.url);
  const freshErrors = watchErrors(fresh);
  const freshArticleRequests = watchArticleRequests(fresh);
  await fresh.goto(copied);
  await appStarted(fresh);
  await fresh.getByTestId('article-view').waitFor();
  assert.equal(await fresh.getByTestId('article-title').textContent(), 'حصيلة التعاون الأمني الدولي بالمغرب');
  await onlyPiecesOfShards(freshArticleRequests, 'opened from its link');

  // Back to the list from the fresh tab: query and filter are still there.
  await fresh.getByTestId('back-link').click();
  await fresh.getByTestId('article-list').waitFor();
  assert.equal(await fresh.getByTestId('search-input').inputValue(), 'الانتربول');
  assert.equal(await fresh.getByTestId('result-count').textContent(), 'مقال واحد');

  // The back button works too.
  await page.goBack();
  await page.getByTestId('article-list').waitFor();
  assert.equal(await page.getByTestId('result-count').textContent(), 'مقال واحد');
  await page.reload();
  await page.getByTestId('article-list').waitFor();
  assert.equal(await page.getByTestId('search-input').inputValue(), 'الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');

  assert.deepEqual(errors, []);
  assert.deepEqual(freshErrors, []);
  await fresh.close();
  await page.close();
});

test('an article lists related articles chosen at build time, and each opens over the same list', async () => {
  const { page, errors } = await openHome();
  const related = [];
  page.on('request', (request) => { if (request.url().includes('/data/related/')) related.push(request.url()); });
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  await page.getByTestId('related-articles').waitFor();
  assert.equal(await page.locator('#related-heading').textContent(), 'مقالات ذات صلة');
  // The five sample pages all speak of security cooperation: the newest names three of the others, best first,
  // as `sahifa related` prints them (src/cli/tests/snapshots).
  const titles = await page.getByTestId('related-article').getByRole('link').allTextContents();
  assert.equal(titles.length, 3, titles.join(' | '));
  assert.match(titles[0], /^حموشي: حرص المغرب/);
  assert.ok(!titles.includes('حصيلة التعاون الأمني الدولي بالمغرب'), 'never the article itself');
  assert.equal(related.length, 1, 'one block of related lists read');
  await page.getByTestId('related-article').first().getByRole('link').click();
  await page.waitForFunction(() => /^حموشي: حرص المغرب/.test(document.querySelector('[data-testid="article-title"]')?.textContent ?? ''));
  await page.getByTestId('related-articles').waitFor();
  assert.ok((await page.getByTestId('related-article').allTextContents()).some((text) => text.includes('حصيلة التعاون الأمني الدولي بالمغرب')), 'the way back is there');
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.getByTestId('related-articles').screenshot({ path: join(OUTPUT_DIR, `related-${width}.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

const withoutEmbeddedFiles = (page) => servedWithoutEmbeddedFiles(page, site.url);

test('an article\'s link, with the query that found it, is copied with one press; the share sheet is offered where there is one', async () => {
  const context = await launchBrowser({ serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.url}#/?q=${encodeURIComponent('حموشي')}`);
  await appStarted(page);
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  await page.getByTestId('copy-link').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]')?.textContent === 'نُسخ رابط المقال.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, page.url());
  assert.match(decodeURIComponent(copied), /#\/article\/[0-9a-f]+\?q=حموشي$/);
  const shareSheet = await page.evaluate(() => typeof navigator.share === 'function');
  assert.equal(await page.getByTestId('share-link').count(), shareSheet ? 1 : 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an article saved for later and the ones read are on the shelf, stay after a reload, and download as JSON', async () => {
  const { page, errors } = await openHome();
  const open = async (n) => {
    await page.goto(`${site.url}#/`);
    await page.getByTestId('card-link').nth(n).click();
    await page.getByTestId('article-view').waitFor();
    return page.getByTestId('article-title').textContent();
  };
  const first = await open(0);
  const second = await open(1);
  const save = page.getByTestId('save-toggle');
  assert.equal(await save.getAttribute('aria-pressed'), 'false');
  await save.click();
  assert.equal(await save.getAttribute('aria-pressed'), 'true');
  assert.equal(await save.textContent(), 'محفوظ ✓');

  await page.getByTestId('shelf-link').click();
  await page.getByTestId('shelf-page').waitFor();
  const titles = (list) => page.getByTestId(list).getByTestId('shelf-link-entry').allTextContents();
  assert.deepEqual(await titles('shelf-saved'), [second]);
  assert.deepEqual(await titles('shelf-history'), [second, first]);

  // Kept on the device: a new visit finds them.
  await page.goto('about:blank');
  await page.goto(`${site.url}#/saved`);
  await appStarted(page);
  await page.getByTestId('shelf-page').waitFor();
  assert.deepEqual(await titles('shelf-saved'), [second]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('shelf-download').click()]);
  assert.equal(download.suggestedFilename(), 'sahifa-shelf.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.saved[0].title, second);
  assert.match(exported.saved[0].link, /#\/article\/[0-9a-f]+$/);
  assert.equal(exported.history.length, 2);

  await page.getByTestId('shelf-saved').getByTestId('shelf-link-entry').click();
  await page.getByTestId('article-view').waitFor();
  assert.equal(await page.getByTestId('article-title').textContent(), second);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bundle that cannot be fetched shows an Arabic error with a retry that recovers', async () => {
  const page = await browser.newPage();
  await withoutEmbeddedFiles(page);
  let failing = true;
  await page.route('**/data/manifest.json', (route) => (failing ? route.abort() : route.continue()));
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('error-state').waitFor();
  assert.match(await page.getByTestId('error-state').textContent(), /تعذّر/);
  failing = false;
  await page.getByTestId('retry').click();
  await page.getByTestId('article-list').waitFor();
  assert.equal(await page.getByTestId('result-count').textContent(), '5 مقالات');
  await page.close();
});

test('a bundle of another format_version is refused with a clear message', async () => {
  const page = await browser.newPage();
  await withoutEmbeddedFiles(page);
  await page.route('**/data/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    await route.fulfill({ response, json: { ...manifest, format_version: 99 } });
  });
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('error-state').waitFor();
  assert.match(await page.getByTestId('error-state').textContent(), /99/);
  await page.close();
});

test('the keyboard reaches search with / and opens an article with Enter', async () => {
  const { page, errors } = await openHome();
  await page.locator('body').press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await page.keyboard.type('مراكش');
  // Each keystroke starts a search; wait for the last one's results before focusing a card, or a late
  // re-render could replace the focused link.
  await page.waitForFunction((query) => decodeURIComponent(location.hash).includes(query)
    && !document.querySelector('[data-testid="loading-state"]'), 'مراكش');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.getByTestId('card-link').first().focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('article-view').waitFor();
  // The title takes the focus once the article is painted.
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'article-title');
  assert.deepEqual(errors, []);
  await page.close();
});

test('arrows walk from the search box through the results, Enter opens one, Escape comes back to the same list', async () => {
  const { page, errors } = await openHome();
  await page.keyboard.press('/');
  await page.keyboard.type('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات'
    && !document.querySelector('[data-testid="card-loading"]'));
  const focusedRow = () => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'));
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedRow(), '1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedRow(), '3');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedRow(), '2');
  const title = await page.evaluate(() => document.activeElement.textContent);
  await page.keyboard.press('Enter');
  await page.getByTestId('article-view').waitFor();
  assert.equal(await page.getByTestId('article-title').textContent(), title);
  await page.keyboard.press('Escape');
  await page.getByTestId('article-list').waitFor();
  assert.match(decodeURIComponent(page.url()), /#\/\?q=الانتربول$/);
  assert.equal(await page.getByTestId('result-count').textContent(), '4 مقالات');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the search box is a combobox: it offers the archive\'s words for the one being typed, arrows choose, Escape closes', async () => {
  const { page, errors } = await openHome();
  const input = page.getByTestId('search-input');
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('/');
  await page.keyboard.type('الانت');
  await page.getByTestId('suggestions').waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const words = await page.getByTestId('suggestion').locator('.suggestion-word').allTextContents();
  assert.ok(words.length > 0 && words.every((word) => word.startsWith('الانت') || word.startsWith('الإنت')), words.join(' | '));
  // The words are spelled as the archive writes them, with hamza where its titles have it.
  assert.ok(words.includes('الأنتربول') || words.includes('الانتربول'), words.join(' | '));
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'suggestion-0');
  assert.equal(await page.locator('#suggestion-0').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');
  assert.equal(await input.inputValue(), `${words[0]} `);
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.waitForFunction(() => /مقال/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ''));
  // Typing on opens the offers again; Escape closes them and leaves the query as typed.
  await page.keyboard.type('الوط');
  await page.getByTestId('suggestions').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await input.inputValue(), `${words[0]} الوط`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a narrow phone screen does not scroll sideways', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0);
  await page.screenshot({ path: join(OUTPUT_DIR, 'home-phone.png'), fullPage: false });
  await page.close();
});

test('on a phone the filters fold behind one button, the list starts in the upper half, and filters in force are removable chips', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 360, height: 800 });
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  assert.equal(await page.getByTestId('facet-outlet').isVisible(), false, 'the filters are folded');
  const top = await page.getByTestId('article-card').first().evaluate((card) => card.getBoundingClientRect().top);
  assert.ok(top < 400, `the first card starts at ${top}px of 800`);
  await page.screenshot({ path: join(OUTPUT_DIR, 'home-phone.png') });

  const toggle = page.getByTestId('filter-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.getByTestId('facet-outlet').getByRole('button', { name: /هسبريس/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.match(decodeURIComponent(page.url()), /outlet=هسبريس/);
  assert.deepEqual(await page.getByTestId('filter-chip').allTextContents(), ['هسبريس×']);
  assert.equal(await page.getByTestId('filter-chip').getAttribute('aria-label'), 'إزالة التصفية: المنبر: هسبريس');
  assert.equal(await toggle.textContent(), 'تصفية (1)');
  await page.screenshot({ path: join(OUTPUT_DIR, 'home-phone-filtered.png') });

  // The chip removes its filter; folding the panel keeps the chips in view.
  await toggle.click();
  await page.getByTestId('filter-chip').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '5 مقالات');
  assert.equal(await page.getByTestId('filter-chip').count(), 0);
  assert.doesNotMatch(page.url(), /outlet=/);

  // A year, its month and a date range are chips too, each removed on its own; removing the year takes its month.
  await page.goto(`${site.url}#/?year=2014&month=3&to=2025-01-01`);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.deepEqual(await page.getByTestId('filter-chip').allTextContents(), ['2014×', 'مارس 2014×', 'إلى 1 يناير 2025×']);
  assert.equal(await page.locator('[data-testid="filter-chip"][data-key="to"]').getAttribute('aria-label'), 'إزالة التصفية: الفترة: إلى 1 يناير 2025');
  await page.locator('[data-testid="filter-chip"][data-key="to"]').click();
  await page.waitForFunction(() => !location.hash.includes('to='));
  await page.locator('[data-testid="filter-chip"][data-key="year"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '5 مقالات');
  assert.doesNotMatch(page.url(), /month=/);
  await page.screenshot({ path: join(OUTPUT_DIR, 'home-phone-dates.png') });

  // A wide screen shows the filters themselves and no bar.
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(await page.getByTestId('filter-bar').isVisible(), false);
  assert.equal(await page.getByTestId('facet-outlet').isVisible(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a query typed without hamza highlights the hamza forms in excerpts and on the article page', async () => {
  const { page, errors } = await openHome();
  await page.getByTestId('search-input').pressSequentially('الانتربول', { delay: 20 });
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  assert.equal(await page.getByTestId('search-input').inputValue(), 'الانتربول', 'no keystroke was dropped');
  // Cards mark the word where their title or opening lines hold it (the listing carries no full text, so a
  // search never downloads whole articles); the article page marks every occurrence.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 4);
  const marked = await page.getByTestId('article-card').locator('mark').allTextContents();
  assert.ok(marked.length > 0, 'some card marks the word');
  assert.ok(marked.every((word) => /[اأإ]نتربول/.test(word)), `marks: ${marked}`);

  await page.locator('[data-testid="article-card"][data-id] [data-testid="card-link"]').first().click();
  await page.getByTestId('article-view').waitFor();
  const inArticle = await page.getByTestId('article-view').locator('mark').allTextContents();
  assert.ok(inArticle.length >= 2, `marks: ${inArticle}`);
  assert.ok(inArticle.some((word) => /[أإ]نتربول/.test(word)), `marks: ${inArticle}`);
  await page.screenshot({ path: join(OUTPUT_DIR, 'article-highlighted.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('sidebar headlines are searched too and marked as headlines', async () => {
  const { page, errors } = await openHome();
  await page.getByTestId('search-input').fill('umt');
  await page.getByTestId('headline-hits').waitFor();
  assert.equal(await page.getByTestId('headline-hit').count(), 1);
  assert.equal(await page.getByTestId('headline-hit').locator('mark').textContent(), 'UMT');
  assert.match(await page.getByTestId('headline-hit').textContent(), /عنوان/);
  assert.equal(await page.getByTestId('result-count').textContent(), 'لا مقالات');
  await page.screenshot({ path: join(OUTPUT_DIR, 'headline-hit.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('search runs in a worker that starts only when search is first needed, then answers from the package', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const packageRequests = [];
  page.on('request', (request) => { if (/search\/sahifa_search/.test(request.url())) packageRequests.push(request.url()); });
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
  // The first screen neither starts the worker nor downloads the search engine.
  assert.equal(page.workers().length, 0);
  assert.deepEqual(packageRequests, []);
  // Focusing the search box starts it, before anything is typed.
  const started = page.waitForEvent('worker');
  await page.getByTestId('search-input').focus();
  const worker = await started;
  assert.ok(worker.url().endsWith('/search-worker.js'), worker.url());
  // The worker opens the archive from the manifest and descriptors the page holds, and small families carry
  // their file lists in the descriptors: a search asks for no entry file and no directory page.
  const entryRequests = [];
  page.on('request', (request) => { if (/\/data\/(manifest\.json|segments\/|directory\/)/.test(request.url())) entryRequests.push(request.url()); });
  await page.getByTestId('search-input').fill('حموشي');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  assert.ok(packageRequests.some((url) => url.endsWith('sahifa_search_bg.wasm')), packageRequests.join(' '));
  // The package's JavaScript came inside the worker's script (the site's build writes it there), so the only
  // file of the package asked for is its wasm, which the page fetched beside the worker's script.
  assert.deepEqual(packageRequests.filter((url) => !url.endsWith('sahifa_search_bg.wasm')), []);
  assert.deepEqual(entryRequests, []);
  await page.close();

  // A link with a query starts the worker by itself.
  const linked = await browser.newPage();
  const linkedErrors = watchErrors(linked);
  await linked.goto(`${site.url}#/?q=${encodeURIComponent('الانتربول')}`);
  await appStarted(linked);
  await linked.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');
  assert.equal(linked.workers().length, 1);
  assert.deepEqual([...errors, ...linkedErrors], []);
  await linked.close();
});

/** Holds every request matching `pattern` while `holding()` is true; reports the held ones that the page
 *  aborted (a request the page cancels fails with net::ERR_ABORTED). */
async function holdRequests(page, pattern, holding) {
  const held = [];
  const aborted = [];
  page.on('requestfailed', (request) => {
    if (pattern.test(request.url()) && /ABORTED/.test(request.failure()?.errorText ?? '')) aborted.push(request.url());
  });
  await page.route(pattern, async (route) => {
    if (!holding()) return route.continue();
    held.push(route.request().url());
    // Never answered: only an abort by the page ends it.
  });
  return { held, aborted };
}

test('typing over a search still fetching cancels it: its fetches are aborted and the newer results show', async () => {
  const { page, errors } = await openHome();
  let holding = true;
  const search = await holdRequests(page, /\/data\/search\//, () => holding);
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="loading-state"]') !== null);
  await expectSoon(() => search.held.length > 0, 'the first query asks for index pieces');
  holding = false;
  await page.getByTestId('search-input').fill('حموشي');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  await expectSoon(() => search.aborted.length > 0, 'the superseded query\'s fetches are aborted');
  assert.deepEqual(errors, []);
  await page.close();
});

test('leaving an article before it arrives aborts its fetch, and opening it again loads it', async () => {
  const { page, errors } = await openHome();
  let holding = true;
  const shards = await holdRequests(page, /\/data\/articles\//, () => holding);
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-page').locator('[data-testid="loading-state"]').waitFor();
  await expectSoon(() => shards.held.length > 0, 'the article asks for its shard');
  await page.goBack();
  await page.getByTestId('article-list').waitFor();
  await expectSoon(() => shards.aborted.length > 0, 'the article shard\'s fetch is aborted');
  holding = false;
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

/** The page's requests for article shards, each with its `Range` header. */
function watchArticleRequests(page) {
  const requests = [];
  page.on('request', (request) => {
    if (request.url().includes('/data/articles/')) requests.push({ path: new URL(request.url()).pathname.split('/data/')[1], range: request.headers().range });
  });
  return requests;
}

/** An article was read as one piece of its shard, smaller than the shard (whose size `sahifa files` gives). */
async function onlyPiecesOfShards(requests, how) {
  const { sizes } = await readBundle();
  assert.equal(requests.length, 1, `one request for the article ${how}: ${JSON.stringify(requests)}`);
  const [{ path, range }] = requests;
  const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(range ?? '') ?? assert.fail(`the article ${how} is asked for by range: ${range}`);
  assert.ok(sizes.get(path) > 0 && Number(end) - Number(start) + 1 < sizes.get(path), `the piece ${range} of ${path} is less than the shard's ${sizes.get(path)} bytes`);
}

/** Waits up to five seconds for `condition()`, a test-side check (not a page function). */
async function expectSoon(condition, what) {
  for (let waited = 0; waited < 5000; waited += 50) {
    if (condition()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  assert.fail(`not within 5 s: ${what}`);
}
