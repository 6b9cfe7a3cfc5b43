// Renders the install screenshots (named in manifest.webmanifest) and the README's views from the built site
// with Debian Chromium. Run from the repository root after `cargo xtask build`:
//   node public/screenshots/render-screenshots.mjs [file.png ...]     (all of them, or the ones named)
import { serveSite, launchBrowser, appStarted } from '../../tests/e2e/support.mjs';

const dir = new URL('.', import.meta.url).pathname;
const site = await serveSite();
const views = [
  // [file, width, height, address, what to do first, full page]
  ['home-narrow.png', 360, 740, '', null],
  ['home-wide.png', 1280, 1424, '', null],
  ['search-narrow.png', 360, 740, `#/?q=${encodeURIComponent('الانتربول')}`, async (page) => {
    await page.getByTestId('filter-toggle').click();
  }],
  ['article-dark-narrow.png', 360, 740, '', async (page) => {
    await page.getByTestId('card-link').first().click();
    await page.getByTestId('article-view').waitFor();
  }, 'dark'],
  // Time by month inside a year, with a date range, and the export beside the order.
  ['months-wide.png', 1280, 900, '#/?year=2025&from=2013-01-01', null],
  // The search box offering the words that finish the one being typed.
  ['suggestions-narrow.png', 360, 740, '', async (page) => {
    await page.keyboard.press('/');
    await page.keyboard.type('الانت');
    await page.getByTestId('suggestions').waitFor();
    await page.keyboard.press('ArrowDown');
  }],
  // The end of an article: the related articles chosen at build time.
  ['related-narrow.png', 360, 740, '', async (page) => {
    await page.getByTestId('card-link').first().click();
    await page.getByTestId('related-articles').waitFor();
    await page.getByTestId('related-articles').evaluate((section) => section.scrollIntoView({ block: 'end' }));
  }],
];
const wanted = process.argv.slice(2);
for (const [file, width, height, address, prepare, colorScheme = 'light'] of views.filter(([file]) => wanted.length === 0 || wanted.includes(file))) {
  const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width, height }, colorScheme });
  const page = await browser.newPage();
  await page.goto(site.url + address);
  await appStarted(page);
  await page.getByTestId('card-link').first().waitFor();
  await page.getByTestId('headline').first().waitFor();
  if (prepare) await prepare(page);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${dir}${file}` });
  await browser.close();
}
await site.close();
