// Makes the screenshots README shows: the results page (docs/results-page.png) and the
// comparison of Parties (docs/compare-view.png).
// Not a test, and not run by the test command: run it by hand against a daemon serving
// the shipped corpus, e.g.
//   LZS_BASE_URL=http://127.0.0.1:8080 node tests/browser/screenshots.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.LZS_BASE_URL;
if (!BASE) throw new Error('LZS_BASE_URL is not set: the address of a running lzs-searchd');
const CHROMIUM = process.env.LZS_CHROMIUM || '/usr/bin/chromium';
const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${BASE}/?q=${encodeURIComponent('helpline')}&lang=en`);
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    return r && !r.hasAttribute('aria-busy') && r.querySelector('.hit');
  });
  await page.screenshot({ path: path.join(DOCS, 'results-page.png') });
  console.log(`wrote ${path.join(DOCS, 'results-page.png')}`);
  await page.goto(`${BASE}/?compare=1&party=NO&party=MC&party=BG`);
  await page.locator('table.compare').waitFor();
  await page.locator('#compare-summary').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(DOCS, 'compare-view.png') });
  console.log(`wrote ${path.join(DOCS, 'compare-view.png')}`);
} finally {
  await browser.close();
}
