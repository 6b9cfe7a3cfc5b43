// End to end for the installed app: installability, the service worker (offline, save for offline, update),
// serving under a sub-path, the Content-Security-Policy, and a hostile page that must stay inert.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveSite, launchBrowser, watchErrors, siteWithPages, siteWithBundle, recordCspViolations, OUTPUT_DIR, SITE_DIR, readBundle, SAHIFA_CLI, appStarted, tempDir } from './support.mjs';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
let browsers = [];
let servers = [];
let hostileSite;

before(async () => {
  // The sample pages plus one page full of markup, scripts and direction controls.
  const pages = await tempDir('sahifa-pages-');
  await cp(join(FIXTURES, 'seeds'), pages, { recursive: true });
  await cp(join(FIXTURES, 'hostile'), pages, { recursive: true });
  hostileSite = await siteWithPages(pages);
});

after(async () => {
  for (const browser of browsers) await browser.close();
  for (const server of servers) await server.close();
});

async function fresh(root = SITE_DIR, prefix = '/') {
  const site = await serveSite(root, prefix);
  servers.push(site);
  const context = await launchBrowser();
  browsers.push(context);
  await recordCspViolations(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  return { site, context, page, errors };
}

async function openAndWaitForWorker(page, url) {
  await page.goto(url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
}

/** The bundle files the worker's data cache holds, as bundle paths. */
const cachedFiles = (page, bundle) => page.evaluate(async (paths) => {
  const urls = (await (await caches.open('sahifa-data')).keys()).map((request) => request.url);
  return paths.filter((path) => urls.some((url) => url.endsWith(`/data/${path}`)));
}, bundle.files);

const count = (page) => page.getByTestId('result-count').textContent();
const noCspViolations = async (page) => assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);

test('Chromium reports the app installable, with an Arabic right-to-left manifest', async () => {
  const { site, context, page, errors } = await fresh();
  await openAndWaitForWorker(page, site.url);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const { errors: manifestErrors, parsed } = await cdp.send('Page.getAppManifest', {}).then((m) => ({ errors: m.errors, parsed: m.data && JSON.parse(m.data) }));
  assert.deepEqual(manifestErrors, []);
  assert.equal(parsed.lang, 'ar-MA', 'the sample archive\'s locale (tests/fixtures/archive.json)');
  assert.equal(parsed.dir, 'rtl');
  assert.equal(parsed.start_url, './');
  await noCspViolations(page);
  assert.deepEqual(errors, []);
});

test('after one visit the app, the list, opened articles and search work with the network cut', async () => {
  const { site, context, page, errors } = await fresh();
  await openAndWaitForWorker(page, site.url);
  // Visit an article and search once, as a reader would.
  await page.getByTestId('card-link').first().click();
  await page.getByTestId('article-view').waitFor();
  const openedTitle = await page.getByTestId('article-title').textContent();
  const openedUrl = page.url();
  await page.getByTestId('back-link').click();
  await page.getByTestId('search-input').fill('الانتربول');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '4 مقالات');

  await context.setOffline(true);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  assert.equal(await count(page), '5 مقالات');
  await page.getByTestId('offline-badge').waitFor();
  assert.equal(await page.getByTestId('facet-outlet').getByTestId('facet-option').count(), 4);
  await page.goto(openedUrl);
  await appStarted(page);
  await page.getByTestId('article-view').waitFor();
  assert.equal(await page.getByTestId('article-title').textContent(), openedTitle);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('search-input').fill('حموشي');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === 'مقال واحد');
  await page.screenshot({ path: join(OUTPUT_DIR, 'offline.png') });
  await context.setOffline(false);
  await noCspViolations(page);
  assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
});

test('a year alone is saved for offline reading: its size first, then its articles open offline and others do not', async () => {
  // 800 generated articles: a year's articles share few shards with the rest.
  const pages = await tempDir('sahifa-generated-');
  execFileSync(SAHIFA_CLI, ['gen-corpus', '--articles', '800', '--out', pages], { stdio: 'ignore' });
  const siteDir = await siteWithPages(pages);
  const { manifest, rows } = await readBundle(join(siteDir, 'data'));
  const oldest = manifest.years.at(-1);
  const { site, context, page, errors } = await fresh(siteDir);
  await openAndWaitForWorker(page, `${site.url}#/?year=${oldest.year}`);
  await page.getByTestId('save-list').click();
  await page.getByTestId('save-list-size').waitFor();
  assert.match(await page.getByTestId('save-list-size').textContent(), new RegExp(`^سيُنزَّل .+ لحفظ ${oldest.count} مقالًا\\.$`));
  await page.getByTestId('save-list-confirm').click();
  await page.getByTestId('save-list-done').waitFor();

  await context.setOffline(true);
  // Every article of the year opens offline: the first and the last of its list.
  for (const doc of [oldest.first, oldest.first + oldest.count - 1]) {
    await page.goto(`${site.url}#/article/${encodeURIComponent(rows[doc].id)}`);
    await appStarted(page);
    await page.getByTestId('article-view').waitFor();
    assert.equal(await page.getByTestId('article-title').textContent(), rows[doc].title);
  }
  // The newest article was never saved nor read: it says it cannot load, and offers a retry.
  await page.goto(`${site.url}#/article/${encodeURIComponent(rows[0].id)}`);
  await appStarted(page);
  await page.getByTestId('error-state').waitFor();
  await context.setOffline(false);
  await noCspViolations(page);
  // The one failure expected: the unsaved article's shard, which the worker could not fetch offline.
  assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED') && e !== 'console: Failed to load resource: net::ERR_FAILED'), []);
});

test('"save for offline" shows the size, reports progress and space used, and then every article opens offline', async () => {
  const { site, context, page } = await fresh();
  await openAndWaitForWorker(page, site.url);
  const button = page.getByTestId('save-archive');
  assert.match(await button.textContent(), /احفظ الأرشيف \(\d+(\.\d)? (كيلوبايت|ميغابايت)\)/);
  await button.click();
  await page.getByTestId('save-done').waitFor();
  assert.match(await page.getByTestId('storage-usage').textContent(), /المساحة المستخدمة/);
  const bundle = await readBundle();
  assert.equal(bundle.files.length, bundle.manifest.total_files);
  assert.deepEqual(await cachedFiles(page, bundle), bundle.files, 'every file of the bundle is kept');

  await context.setOffline(true);
  const listing = { rows: bundle.rows };
  for (const row of listing.rows) {
    await page.goto(`${site.url}#/article/${row.id}`);
    await appStarted(page);
    await page.getByTestId('article-view').waitFor();
    assert.equal(await page.getByTestId('article-title').textContent(), row.title);
  }
  // A real reload, not only a hash change, starts offline from the worker's caches.
  await page.reload();
  await page.getByTestId('article-view').waitFor();
  assert.equal(await page.getByTestId('article-title').textContent(), listing.rows.at(-1).title);
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('search-input').fill('مراكش');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '3 مقالات');
  await context.setOffline(false);
});

test('the network cut while saving: a clear message, what was saved stays, and the retry downloads only the rest', async () => {
  const { site, context, page, errors } = await fresh();
  await openAndWaitForWorker(page, site.url);
  const bundle = await readBundle();
  // The connection drops whenever an article shard is asked for; everything else still comes.
  site.setCut((path) => path.startsWith('data/articles/'));
  await page.getByTestId('save-archive').click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^انقطع التنزيل بعد حفظ \d+(\.\d)? (كيلوبايت|ميغابايت) من \d+(\.\d)? (كيلوبايت|ميغابايت)\. ما حُفظ باقٍ/);
  await page.setViewportSize({ width: 360, height: 800 });
  await alert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUTPUT_DIR, 'save-cut-360.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  const keptBefore = await cachedFiles(page, bundle);
  assert.ok(keptBefore.length > 0 && keptBefore.length < bundle.files.length, `${keptBefore.length} of ${bundle.files.length} kept`);
  // What was saved stays usable: the app starts and lists the archive with the network gone.
  await context.setOffline(true);
  await page.reload();
  await appStarted(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '5 مقالات');
  await context.setOffline(false);

  // Back online: the retry downloads only what the first try did not keep.
  site.setCut(null);
  await page.getByTestId('save-archive').click();
  await page.getByTestId('save-done').waitFor();
  const downloaded = Number(await page.getByTestId('save-done').getAttribute('data-downloaded-bytes'));
  const missing = bundle.files.filter((path) => !keptBefore.includes(path)).reduce((sum, path) => sum + bundle.sizes.get(path), 0);
  assert.equal(downloaded, missing, 'the retry resumes: it downloads exactly the files not kept yet');
  assert.equal((await cachedFiles(page, bundle)).length, bundle.files.length);
  await context.setOffline(true);
  await page.goto(`${site.url}#/article/${bundle.rows[0].id}`);
  await appStarted(page);
  await page.getByTestId('article-view').waitFor();
  await context.setOffline(false);
  assert.deepEqual(errors.filter((error) => !/ERR_(INTERNET_DISCONNECTED|EMPTY_RESPONSE|CONNECTION)|Failed to fetch|Failed to load resource/.test(error)), []);
});

test('storage full while saving: a clear message, what was saved stays, and the retry finishes once there is room', async () => {
  const { site, context, page } = await fresh();
  await openAndWaitForWorker(page, site.url);
  const bundle = await readBundle();
  const origin = new URL(site.url).origin;
  const cdp = await context.newCDPSession(page);
  // Room for a few more kilobytes than the visit already used: the archive's larger files do not fit.
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 8_000 });
  await page.getByTestId('save-archive').click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /لا تتّسع مساحة التخزين على هذا الجهاز للأرشيف: حُفظ .+ من .+ أفرغ بعض المساحة/);
  const keptBefore = await cachedFiles(page, bundle);
  assert.ok(keptBefore.length < bundle.files.length, `${keptBefore.length} of ${bundle.files.length} kept`);
  // The reader was still answered while the device was full: the article opens.
  await page.goto(`${site.url}#/article/${bundle.rows[0].id}`);
  await page.getByTestId('article-view').waitFor();

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('save-archive').click();
  await page.getByTestId('save-done').waitFor();
  assert.equal((await cachedFiles(page, bundle)).length, bundle.files.length);
});

test('a deploy caught half way (the new page, the old data files): an Arabic error, never the old files as the new, and the retry works once it is complete', async () => {
  // The host has the new build's index.html (its drawn first screen names the new bundle) but still the old
  // build's data: what a reader meets while a publisher's upload is under way.
  const mixed = await tempDir('sahifa-mixed-');
  await cp(SITE_DIR, mixed, { recursive: true });
  await cp(join(hostileSite, 'index.html'), join(mixed, 'index.html'));
  const { site, page, errors } = await fresh(mixed);
  await page.goto(`${site.url}#/?q=${encodeURIComponent('مراكش')}`);
  await appStarted(page);
  // The search names files the host does not have yet: it says so in Arabic, and shows no cards.
  const searchError = page.getByTestId('error-state').filter({ hasText: 'تعذّر البحث في الأرشيف' });
  await searchError.waitFor({ timeout: 15_000 });
  assert.doesNotMatch(await searchError.innerText(), /[a-z]{3,}/, 'the reader reads Arabic, not the host\'s answer');
  assert.equal(await page.getByTestId('article-card').count(), 0, 'no results from files of another build');
  // The upload completes: the retry shows the new archive's results.
  site.setRoot(hostileSite);
  await searchError.getByTestId('retry').click();
  await searchError.waitFor({ state: 'detached', timeout: 15_000 });
  await page.waitForFunction(() => /^\d+ مقال/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ''));
  const newBundle = await readBundle(join(hostileSite, 'data'));
  const shown = await page.getByTestId('article-card').evaluateAll((cards) => cards.map((card) => card.querySelector('a')?.getAttribute('href') ?? ''));
  assert.ok(shown.length > 0 && shown.every((href) => newBundle.rows.some((row) => href.includes(row.id))), `cards of the new archive: ${shown}`);
  assert.deepEqual(errors.filter((error) => !/^HTTP 404|Failed to load resource/.test(error)), []);
});

test('a redeploy with new pages is offered as an update and shows the new content after it', async () => {
  const { site, page, errors } = await fresh();
  await openAndWaitForWorker(page, site.url);
  assert.equal(await count(page), '5 مقالات');
  site.setRoot(hostileSite);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.getByTestId('update-banner').waitFor();
  await page.screenshot({ path: join(OUTPUT_DIR, 'update-offered.png') });
  await Promise.all([page.waitForEvent('load'), page.getByTestId('apply-update').click()]);
  await page.getByTestId('article-list').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '6 مقالات');
  assert.equal(await page.getByTestId('update-banner').count(), 0);
  assert.deepEqual(errors, []);
});

test('a reader who saved the archive keeps it whole through an update, downloading only the new files', async () => {
  // An archive of 300 generated articles, then `sahifa update` with 10 newer ones, as a publisher does daily.
  const work = await tempDir('sahifa-update-');
  const [pages, before, after] = ['pages', 'before', 'after'].map((name) => join(work, name));
  execFileSync(SAHIFA_CLI, ['gen-corpus', '--articles', '300', '--seed', '5', '--out', pages], { stdio: 'ignore' });
  execFileSync(SAHIFA_CLI, ['build', pages, '--out', before], { stdio: 'ignore' });
  await cp(before, after, { recursive: true });
  execFileSync(SAHIFA_CLI, ['update', after, join(FIXTURES, 'jsonl/update-10.jsonl'), '--changes', join(work, 'changes.json')], { stdio: 'ignore' });
  const [oldSite, newSite] = [await siteWithBundle(before), await siteWithBundle(after)];

  const { site, context, page, errors } = await fresh(oldSite);
  await openAndWaitForWorker(page, site.url);
  await page.getByTestId('save-archive').click();
  await page.getByTestId('save-done').waitFor();

  site.setRoot(newSite);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.getByTestId('update-banner').waitFor();
  await Promise.all([page.waitForEvent('load'), page.getByTestId('apply-update').click()]);
  await page.getByTestId('article-list').waitFor();
  assert.equal(await count(page), '310 مقالات');
  // The saved archive is brought up to date by itself, downloading what the update added.
  await page.waitForFunction(() => document.querySelector('[data-testid="save-done"]')?.textContent.includes('حُدِّث'));
  const downloaded = Number(await page.getByTestId('save-done').getAttribute('data-downloaded-bytes'));
  const updated = await readBundle(join(newSite, 'data'));
  const total = updated.manifest.total_bytes;
  console.log(`the update cost a reader who saved the archive ${downloaded} bytes of the archive's ${total} (${(100 * downloaded / total).toFixed(1)} %)`);
  assert.ok(downloaded > 0 && downloaded < total / 2, `${downloaded} of ${total}`);

  // Offline now: every old and new article opens, and search finds old and new words.
  await context.setOffline(true);
  assert.equal(updated.rows.length, 310);
  for (const row of updated.rows) {
    await page.evaluate((id) => { location.hash = `#/article/${id}`; }, row.id);
    await page.waitForFunction((title) => document.querySelector('[data-testid="article-title"]')?.textContent === title, row.title);
  }
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('search-input').fill('زلزال');
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '9 مقالات');
  await page.getByTestId('search-input').fill('الانتربول ');
  await page.waitForFunction(() => /^\d+ مقال/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ''));
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
});

test('the site works from a sub-path: deep links, data and the worker scope are all relative', async () => {
  const { site, page, errors } = await fresh(SITE_DIR, '/archive/sahifa/');
  await openAndWaitForWorker(page, site.url);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  assert.ok(scope.endsWith('/archive/sahifa/'), scope);
  const id = await page.getByTestId('article-card').first().getAttribute('data-id');
  await page.goto(`${site.url}#/article/${id}`);
  await appStarted(page);
  await page.getByTestId('article-view').waitFor();
  await page.getByTestId('back-link').click();
  await page.getByTestId('article-list').waitFor();
  assert.equal(await count(page), '5 مقالات');
  await noCspViolations(page);
  assert.deepEqual(errors, []);
});

test('a hostile page shows its markup as text: no script runs, no dialog opens, no CSP violation', async () => {
  const { site, page, errors } = await fresh(hostileSite);
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.goto(site.url);
  await appStarted(page);
  await page.getByTestId('article-list').waitFor();
  assert.equal(await count(page), '6 مقالات');
  const card = page.locator('[data-testid="card-link"]', { hasText: 'مقال اختبار الأمان' });
  assert.match(await card.textContent(), /^<script>window.__xss = "title"<\/script> مقال اختبار الأمان/);
  await page.getByTestId('headlines-toggle').click();
  const headlines = await page.getByTestId('headline').allTextContents();
  assert.ok(headlines.some((text) => text.startsWith('<script>')), headlines.slice(0, 3).join(' | '));

  await card.click();
  await page.getByTestId('article-view').waitFor();
  const body = await page.locator('.article-text').textContent();
  assert.ok(body.includes('<img src=x onerror="window.__xss=\'body\'">'));
  assert.ok(body.includes('<a href="javascript:window.__xss=\'link\'">'));
  assert.equal(await page.getByTestId('article-outlet').textContent(), '<b>منبر</b>');
  for (const selector of ['img[src="x"]', 'iframe', 'a[href^="javascript:"]', '.article-text script', '.reader b']) {
    assert.equal(await page.locator(selector).count(), 0, selector);
  }
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.screenshot({ path: join(OUTPUT_DIR, 'hostile-article.png') });
  assert.deepEqual(dialogs, []);
  await noCspViolations(page);
  assert.deepEqual(errors, []);
});
