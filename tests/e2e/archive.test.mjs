// End to end: an archive of its own. A publisher's archive.json (name, subtitle, description, locale, accent,
// logo) given to `sahifa build --archive` reaches the page title, the header, the installed app's manifest,
// the colours, and the way every date and count is written, in the first screen drawn at build time and in the
// app that replaces it, with the page's Content-Security-Policy still strict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, launchBrowser, watchErrors, recordCspViolations, appStarted, siteWithArchive, OUTPUT_DIR, tempDir } from './support.mjs';

let site;
let dir;

before(async () => {
  const config = await tempDir('sahifa-archive-');
  await writeFile(join(config, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#0b5d3b"/></svg>');
  await writeFile(join(config, 'archive.json'), JSON.stringify({
    name: 'أرشيف الرياض', subtitle: 'أخبار المملكة كما نُشرت', description: 'أرشيف تجريبي بإعدادات ناشر سعودي.',
    locale: 'ar-SA', accent: '#0b5d3b', logo: 'logo.svg',
  }));
  dir = await siteWithArchive(join(config, 'archive.json'));
  site = await serveSite(dir);
});

after(async () => {
  await site?.close();
});

for (const width of [360, 1280]) {
  test(`the header, title, colours, dates and counts follow the publisher's archive.json at ${width} px`, async () => {
    const browser = await launchBrowser({ serviceWorkers: 'block', viewport: { width, height: 800 }, colorScheme: 'light' });
    await recordCspViolations(browser);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    // The first screen, drawn at build time, already speaks as the archive does: looked at with the app held.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto(site.url);
    const screen = page.locator('#sahifa-first-screen');
    assert.equal(await screen.getByTestId('result-count').textContent(), '٥ مقالات');
    assert.equal(await screen.getByTestId('brand').textContent(), 'أرشيف الرياض');
    release();
    await appStarted(page);
    await page.getByTestId('article-list').waitFor();

    assert.equal(await page.title(), 'أرشيف الرياض — أخبار المملكة كما نُشرت');
    assert.equal(await page.getByTestId('brand').textContent(), 'أرشيف الرياض');
    assert.equal(await page.getByTestId('tagline').textContent(), 'أخبار المملكة كما نُشرت');
    assert.match(await page.locator('.brand-logo').getAttribute('src'), /^data:image\/svg\+xml;base64,/);
    assert.equal(await page.locator('meta[name="description"]').getAttribute('content'), 'أرشيف تجريبي بإعدادات ناشر سعودي.');
    // Arabic-Indic digits and the Mashriq month names, as Intl writes them for ar-SA.
    assert.equal(await page.getByTestId('result-count').textContent(), '٥ مقالات');
    const dates = await page.getByTestId('card-date').allTextContents();
    assert.ok(dates.includes('١٧ ديسمبر ٢٠٢٥'), dates.join(' | '));
    // The accent colours the brand; the policy allowed its style and nothing was blocked.
    assert.equal(await page.getByTestId('brand').evaluate((brand) => getComputedStyle(brand).color), 'rgb(11, 93, 59)');
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    await page.screenshot({ path: join(OUTPUT_DIR, `archive-${width}.png`) });

    // The article's tab title names the archive too.
    await page.getByTestId('card-link').first().click();
    await page.getByTestId('article-view').waitFor();
    assert.match(await page.title(), / — أرشيف الرياض$/);
    assert.deepEqual(errors, []);
    await browser.close();
  });
}

test('the installed app takes the archive\'s name, language and colour', async () => {
  const installed = JSON.parse(await readFile(join(dir, 'manifest.webmanifest'), 'utf8'));
  assert.equal(installed.short_name, 'أرشيف الرياض');
  assert.equal(installed.name, 'أرشيف الرياض — أخبار المملكة كما نُشرت');
  assert.equal(installed.lang, 'ar-SA');
  assert.equal(installed.theme_color, '#0b5d3b');
  assert.ok(installed.icons.length >= 2, 'the icons stay');
});
