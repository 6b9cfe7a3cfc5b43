// End to end: the same story told by several outlets. The build keeps each article's story fingerprint; the
// article page lists the other outlets' tellings found within two days, each a link to that article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { serveSite, launchBrowser, watchErrors, appStarted, siteWithPages, readBundle, OUTPUT_DIR, tempDir } from './support.mjs';

let site;
let browser;
let rows;

// An agency's story, as three outlets published it (each with its own headline), and an unrelated one.
const STORY = [
  'أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في عدد من المدن وقالت الوزارة في بيان إن الفرق الطبية تتابع الوضع عن كثب وإن المستشفيات مستعدة',
  'لاستقبال المرضى ودعت المواطنين إلى الالتزام بالإرشادات الصحية وتجنب التجمعات وغسل اليدين بانتظام وأضاف البيان أن عدد الحالات المسجلة منذ بداية الشهر',
  'بلغ مئة وعشرين حالة شفي منها تسعون وأن الوزارة ستعلن أرقاما جديدة كل صباح عبر موقعها وحساباتها الرسمية',
  'وفي سياق متصل عقد وزير الصحة اجتماعا مع مديري المناطق لبحث خطط الاستجابة السريعة وتوزيع الأجهزة والأدوية على المراكز الصحية في القرى',
  'والمحافظات البعيدة وشدد على ضرورة رفع التقارير اليومية في مواعيدها وتعزيز التنسيق مع الجهات الأمنية والبلديات والجمعيات الخيرية',
  'كما أعلنت الوزارة إطلاق حملة توعوية في المدارس والمساجد والأسواق تستمر أسبوعين وتشارك فيها فرق من المتطوعين والطلاب',
].join('\n');
const OTHER = 'فاز المنتخب الوطني لكرة القدم مساء أمس على نظيره في مباراة ودية أقيمت على أرضية الملعب الكبير وسجل المهاجم هدفين في الشوط الثاني وقال المدرب إن الفريق قدم أداء جيدا ويستعد للمباراة المقبلة أمام منتخب قوي';

before(async () => {
  const dir = await tempDir('sahifa-stories-');
  const lines = [
    { title: 'الصحة تعلن حالات جديدة', body: STORY, outlet: 'الرياض', date: '2015-08-10' },
    { title: 'الصحة تعلن حالات جديدة في المدن', body: STORY, outlet: 'اليوم', date: '2015-08-11' },
    { title: 'الصحة: حالات جديدة', body: STORY, outlet: 'عكاظ', date: '2015-08-12' },
    { title: 'المنتخب يفوز', body: OTHER, outlet: 'الرياض', date: '2015-08-11' },
  ];
  await writeFile(join(dir, 'articles.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const siteDir = await siteWithPages(dir);
  ({ rows } = await readBundle(join(siteDir, 'data')));
  site = await serveSite(siteDir);
  browser = await launchBrowser({ serviceWorkers: 'block' });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

const idOf = (title) => rows.find((row) => row.title === title).id;

test('an article lists the other outlets\' tellings of its story, and each link opens one', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.url}#/article/${encodeURIComponent(idOf('الصحة تعلن حالات جديدة'))}`);
  await appStarted(page);
  await page.getByTestId('also-published').waitFor();
  assert.equal(await page.locator('#also-published-heading').textContent(), 'نشر أيضا في منبرين');
  const tellings = await page.getByTestId('telling').allTextContents();
  assert.equal(tellings.length, 2, tellings.join(' | '));
  assert.ok(tellings.some((text) => text.includes('عكاظ')) && tellings.some((text) => text.includes('اليوم')), tellings.join(' | '));
  await page.getByTestId('telling').filter({ hasText: 'عكاظ' }).getByRole('link').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="article-title"]')?.textContent === 'الصحة: حالات جديدة');
  await page.getByTestId('also-published').waitFor();
  // Tellings are those close to this one's own text, so the way back is there.
  assert.ok((await page.getByTestId('telling').allTextContents()).some((text) => text.includes('الرياض')));

  // An article told once shows no such list.
  await page.goto(`${site.url}#/article/${encodeURIComponent(idOf('المنتخب يفوز'))}`);
  await page.getByTestId('article-view').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('also-published').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tellings have no axe violations at 360 and 1280 px', async () => {
  const page = await browser.newPage();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${site.url}#/article/${encodeURIComponent(idOf('الصحة تعلن حالات جديدة'))}`);
    await appStarted(page);
    await page.getByTestId('also-published').waitFor();
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `at ${width}px`);
    await page.getByTestId('also-published').screenshot({ path: join(OUTPUT_DIR, `also-published-${width}.png`) });
  }
  await page.close();
});

test('folding keeps one card per story, and the cards say how many other outlets told it', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const pieces = [];
  page.on('request', (request) => { if (request.url().includes('/data/stories/')) pieces.push(request.headers().range ?? 'whole file'); });
  await page.goto(site.url);
  await appStarted(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 4);
  await page.waitForTimeout(300);
  // Unfolded, the list reads no fingerprint and shows no badge: a search costs what it did.
  assert.equal(await page.getByTestId('card-also').count(), 0);
  assert.deepEqual(pieces, []);

  // Folded, the newest telling stands for its story and says who else told it; the address keeps the choice.
  await page.getByTestId('fold-toggle').check();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 2);
  assert.deepEqual(await page.getByTestId('card-link').allTextContents(), ['الصحة: حالات جديدة', 'المنتخب يفوز']);
  assert.match(page.url(), /fold=stories/);
  assert.equal(await page.getByTestId('fold-note').textContent(), 'طُوي مقالان');
  const card = (title) => page.getByTestId('article-card').filter({ has: page.getByTestId('card-link').getByText(title, { exact: true }) });
  await card('الصحة: حالات جديدة').getByTestId('card-also').waitFor();
  assert.equal(await card('الصحة: حالات جديدة').getByTestId('card-also').textContent(), 'نشر أيضا في منبرين');
  assert.equal(await card('المنتخب يفوز').getByTestId('card-also').count(), 0, 'told once: no badge');
  assert.ok(pieces.length > 0 && pieces.every((range) => /^bytes=\d+-\d+$/.test(range)), `fingerprints are read by byte range: ${pieces}`);

  await page.reload();
  await appStarted(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 2);
  assert.ok(await page.getByTestId('fold-toggle').isChecked());
  await page.getByTestId('fold-toggle').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 4);
  assert.doesNotMatch(page.url(), /fold=/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the badges and the folded list have no axe violations at 360 and 1280 px', async () => {
  const page = await browser.newPage();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${site.url}#/?fold=stories`);
    await appStarted(page);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="article-card"]').length === 2);
    await page.getByTestId('card-also').first().waitFor();
    if (width === 360) {
      // On a phone the switch is behind «تصفية», and folding shows as a chip that unfolds.
      assert.equal(await page.locator('[data-testid="filter-chip"][data-key="fold"]').count(), 1);
      await page.getByTestId('filter-toggle').click();
      await page.getByTestId('fold-toggle').waitFor();
    }
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `at ${width}px`);
    await page.screenshot({ path: join(OUTPUT_DIR, `stories-folded-${width}.png`) });
  }
  await page.close();
});
