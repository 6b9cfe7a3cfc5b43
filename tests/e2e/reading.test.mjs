// End to end: the reader's display preferences («العرض»): text size, line spacing, theme, justification,
// remembered on the device and back before the first paint of the next visit; dark by default when the
// system is; no axe violations in any theme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { serveSite, launchBrowser, watchErrors, appStarted, OUTPUT_DIR } from './support.mjs';

let site;

before(async () => { site = await serveSite(); });
after(async () => { await site?.close(); });

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const rootAttributes = (page) => page.evaluate(() => Object.fromEntries(
  [...document.documentElement.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name, a.value])));
async function violations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('choices apply at once, are remembered, and are back before the next visit paints', async () => {
  const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width: 360, height: 800 }, colorScheme: 'light' });
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(site.url);
  await appStarted(page);
  assert.deepEqual(await rootAttributes(page), {}, 'nothing chosen, nothing set');
  assert.equal(await background(page), 'rgb(251, 248, 243)');
  const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.equal(await rootSize(), 16);

  await page.getByTestId('reading-toggle').click();
  const panel = page.getByTestId('reading-settings');
  await panel.getByLabel('كبير', { exact: true }).check();
  await panel.getByLabel('واسع').check();
  await panel.getByLabel('داكن').check();
  await page.getByTestId('reading-justify').check();
  assert.deepEqual(await rootAttributes(page), { 'data-text-size': 'large', 'data-spacing': 'relaxed', 'data-theme': 'dark', 'data-justify': 'on' });
  assert.equal(await rootSize(), 18);
  assert.equal(await background(page), 'rgb(22, 19, 17)');
  assert.deepEqual(await violations(page), [], 'the dark theme with the panel open');
  await page.screenshot({ path: join(OUTPUT_DIR, 'reading-dark-360.png') });
  await page.getByTestId('reading-toggle').click();

  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  const paragraph = await page.locator('.article-text p').first().evaluate((p) => {
    const style = getComputedStyle(p);
    return { align: style.textAlign, line: parseFloat(style.lineHeight) / parseFloat(style.fontSize) };
  });
  assert.equal(paragraph.align, 'justify');
  assert.ok(Math.abs(paragraph.line - 2.4) < 0.01, `line height ${paragraph.line}`);
  assert.deepEqual(await violations(page), [], 'an article in the dark theme');

  // The next visit: the page puts the choices back before the app's wasm has come.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.goto('about:blank');
  await page.goto(site.url);
  await page.getByTestId('article-card').first().waitFor();
  assert.equal(await page.evaluate(() => document.getElementById('sahifa-first-screen') !== null), true, 'the drawn first screen');
  assert.deepEqual(await rootAttributes(page), { 'data-text-size': 'large', 'data-spacing': 'relaxed', 'data-theme': 'dark', 'data-justify': 'on' });
  assert.equal(await background(page), 'rgb(22, 19, 17)');
  release();
  await appStarted(page);
  assert.equal(await page.getByTestId('reading-settings').getByLabel('داكن').isChecked(), true);
  assert.deepEqual(errors, []);
  await browser.close();
});

test('a device set to dark gets the dark theme unless the reader chose another', async () => {
  const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const page = await browser.newPage();
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  assert.equal(await background(page), 'rgb(22, 19, 17)');
  assert.deepEqual(await violations(page), [], 'the home page, dark by the system');
  await page.screenshot({ path: join(OUTPUT_DIR, 'reading-dark-1280.png') });
  await page.getByTestId('reading-toggle').click();
  await page.getByTestId('reading-settings').getByLabel('ورقي').check();
  assert.equal(await background(page), 'rgb(244, 236, 216)');
  assert.deepEqual(await violations(page), [], 'the sepia theme');
  await page.getByTestId('reading-settings').getByLabel('حسب الجهاز').check();
  assert.deepEqual(await rootAttributes(page), {});
  assert.equal(await background(page), 'rgb(22, 19, 17)');
  await browser.close();
});
