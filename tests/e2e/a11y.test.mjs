// Accessibility: axe-core finds no violations on the home page, a search, an article page, the shelf, and the
// views for time (months, a date range), export and the search combobox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { serveSite, launchBrowser, appStarted } from './support.mjs';

let site;
let browser;

before(async () => {
  site = await serveSite();
  browser = await launchBrowser({ serviceWorkers: 'block', acceptDownloads: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

async function violations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('the home page has no axe violations, on a phone and on a desktop', async () => {
  const page = await browser.newPage();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(site.url);
    await appStarted(page);
    await page.getByTestId('article-list').waitFor();
    assert.deepEqual(await violations(page), [], `at ${width}px`);
  }
  // On a phone, with the folded filters opened and one of them in force (a chip).
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByTestId('filter-toggle').click();
  await page.getByTestId('facet-year').getByRole('button', { name: /2025/ }).click();
  await page.getByTestId('filter-chip').waitFor();
  assert.deepEqual(await violations(page), [], 'at 360px with the filters open');
  await page.close();
});

test('search results with highlights have no axe violations', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}#/?q=${encodeURIComponent('الانتربول')}`);
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="card-excerpt"] mark'));
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('an article page has no axe violations', async () => {
  const page = await browser.newPage();
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  // With what loads after the article: its related articles.
  await page.getByTestId('related-articles').waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the shelf has no axe violations, empty or not', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}#/saved`);
  await appStarted(page);
  await page.getByTestId('shelf-page').waitFor();
  assert.deepEqual(await violations(page), [], 'empty');
  await page.goto(site.url);
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('save-toggle').click();
  await page.getByTestId('shelf-link').click();
  await page.getByTestId('shelf-entry').first().waitFor();
  assert.deepEqual(await violations(page), [], 'with an article saved and one read');
  await page.close();
});

test('the views added for time, export and the combobox have no axe violations at 360 and 1280 px', async () => {
  const page = await browser.newPage();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    // A year with its months, a month chosen, a date range: the monthly timeline, the month facet, the range.
    await page.goto(`${site.url}#/?year=2025&month=11&from=2013-01-01`);
    await appStarted(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
    if (width === 360) await page.getByTestId('filter-toggle').click();
    await page.getByTestId('facet-month').waitFor();
    assert.deepEqual(await violations(page), [], `months and range at ${width}px`);
    // An export done, with its report.
    const download = page.waitForEvent('download');
    await page.getByTestId('export-json').click();
    await download;
    await page.getByTestId('export-done').waitFor();
    assert.deepEqual(await violations(page), [], `export at ${width}px`);
    // The combobox open, an offer chosen with the arrows.
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('search-input').pressSequentially('الانت');
    await page.getByTestId('suggestions').waitFor();
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await violations(page), [], `combobox at ${width}px`);
  }
  await page.close();
});
