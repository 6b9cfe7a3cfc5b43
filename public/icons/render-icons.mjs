// Renders the PNG icons from the SVG sources beside this file with Debian Chromium (playwright-core).
// Run from the repository root after changing an SVG: node public/icons/render-icons.mjs
import { chromium } from 'playwright-core';
const dir = new URL('.', import.meta.url).pathname.replace(/\/$/, '');
import { readFile } from 'node:fs/promises';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [source, size, out] of [['icon.svg', 192, 'icon-192.png'], ['icon.svg', 512, 'icon-512.png'], ['icon-maskable.svg', 512, 'icon-maskable-512.png']]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const svg = await readFile(`${dir}/${source}`, 'utf8');
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: `${dir}/${out}`, omitBackground: true });
  await page.close();
}
await browser.close();
