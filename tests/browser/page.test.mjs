// End-to-end tests of the page as lzs-searchd renders it (GET /, searchd/page.c): with
// JavaScript off (search, filter, paginate, open a document, export, the Party view), on a
// phone (no sideways scrolling at 320 px, the filter panel and its "Show N results"), with
// the keyboard only (a Tab budget to the filters, Escape, the "/" shortcut, the Party
// picker), axe-core on every view, the script's ES modules as the daemon serves them, and
// the query's limit in the daemon's unit. Run by tests/browser/run.sh (LZS_BASE_URL).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.LZS_BASE_URL;
const SHOTS = process.env.LZS_SCREENSHOT_DIR;
const CHROMIUM = process.env.LZS_CHROMIUM || '/usr/bin/chromium';
if (!BASE || !SHOTS) throw new Error('run through tests/browser/run.sh (LZS_BASE_URL and LZS_SCREENSHOT_DIR unset)');
// the page's files, as run.sh serves them (--web)
const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const NARROWEST = { width: 320, height: 700 };
const TIMEOUT = 15000;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// A fresh page (JavaScript on or off) that fails the test on a console error or an
// exception of the page.
async function withPage(body, { viewport = DESKTOP, js = true, bypassCSP = false, allowConsole = null } = {}) {
  const phone = viewport.width < 800;
  const context = await browser.newContext({ viewport, javaScriptEnabled: js, bypassCSP, isMobile: phone, hasTouch: phone });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(allowConsole && allowConsole.test(msg.text()))) problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  try {
    await body(page);
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
}

function count(text) {
  return Number(String(text).replace(/[^0-9]/g, ''));
}

async function total(page) {
  return count(await page.locator('#summary strong').first().textContent());
}

// With the script on: the search view shows the answer to the current URL.
async function settled(page) {
  await page.waitForFunction(() => {
    if (document.getElementById('main').hasAttribute('aria-busy')) return false;
    const r = document.getElementById('results');
    const s = document.getElementById('summary');
    return r && !r.hasAttribute('aria-busy') && s && s.textContent.trim() !== '';
  });
}

// ---- JavaScript off ---------------------------------------------------------------------

test('without JavaScript: search, filter, paginate, export', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/`);
    const all = await total(page);
    assert.ok(all > 20, `the home page lists every passage (${all})`);
    await page.fill('#q', 'children');
    await page.press('#q', 'Enter');
    await page.waitForURL(/[?&]q=children/);
    const n = await total(page);
    assert.ok(n > 20 && n < all, `the query narrows the results (${n} of ${all})`);
    assert.match(await page.locator('#summary').textContent(), /passages match/);
    assert.ok(await page.locator('#results .hit').count() === 20, 'a page of 20 hits');
    assert.ok(await page.locator('#results .snippet mark').count() > 0, 'matches are marked');
    assert.equal(await page.inputValue('#q'), 'children', 'the box keeps the query');

    // a facet value is a link that adds the filter; its count becomes the total
    const row = page.locator('[data-facet="lang"] .fv').last();
    const label = (await row.locator('.fv-label').textContent()).trim();
    const expected = count(await row.locator('.fv-count').textContent());
    await row.locator('a').click();
    await page.waitForURL(/[?&]lang=/);
    assert.equal(await total(page), expected, `the total is the count ${label} showed`);
    await page.locator('#chips .chip', { hasText: label }).waitFor();
    // the export link carries the search
    const href = await page.locator('#export').getAttribute('href');
    const params = new URLSearchParams(href.split('?')[1]);
    assert.equal(params.get('q'), 'children');
    assert.ok(params.get('lang'));
    const res = await page.request.get(`${BASE}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(Number(res.headers()['x-total-count']), expected, 'the export holds the results shown');
    // the chip removes the filter again
    await page.locator('#chips .chip').first().click();
    await page.waitForFunction(() => !location.search.includes('lang='));
    assert.equal(await total(page), n);

    // pages: "Page X of Y" is right on the last page, which has hits and no next link
    const pages = Math.ceil(n / 20);
    assert.match(await page.locator('#pager .page-no').textContent(), new RegExp(`^Page 1 of ${pages}$`));
    await page.locator('#pager a[rel="next"]').click();
    await page.waitForURL(/offset=20/);
    assert.match(await page.locator('#pager .page-no').textContent(), new RegExp(`^Page 2 of ${pages}$`));
    assert.equal(await page.locator('#results').getAttribute('start'), '21');
    await page.goto(`${BASE}/?q=children&offset=${(pages - 1) * 20}`);
    assert.match(await page.locator('#pager .page-no').textContent(), new RegExp(`^Page ${pages} of ${pages}$`));
    assert.equal(await page.locator('#results .hit').count(), n - (pages - 1) * 20);
    assert.equal(await page.locator('#pager a[rel="next"]').count(), 0, 'no next page after the last');
    assert.equal(await page.getByText('No more results').count(), 0);
    // past the last page: said so, and Previous leads to the last page
    await page.goto(`${BASE}/?q=children&offset=${pages * 20}`);
    assert.equal((await page.locator('#pager .page-no').textContent()).trim(), `Past the last page (${pages})`);
    await page.locator('#pager a[rel="prev"]').click();
    await page.waitForURL(new RegExp(`offset=${(pages - 1) * 20}`));
    assert.match(await page.locator('#pager .page-no').textContent(), new RegExp(`^Page ${pages} of ${pages}$`));
    await page.screenshot({ path: path.join(SHOTS, 'nojs-results.png') });
  }, { js: false });
});

test('without JavaScript: a hit opens its document at the passage, with how to cite it', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=helpline`);
    const hit = page.locator('#results .hit').first();
    const title = (await hit.locator('.hit-title').textContent()).trim();
    await hit.locator('.hit-title a').click();
    await page.waitForURL(/[?&]doc=.*[?&]?p=/);
    assert.ok(await page.locator('#view-doc').isVisible());
    assert.ok(await page.locator('#view-search').isHidden());
    assert.equal((await page.locator('#doc-title').textContent()).trim(), title);
    const selected = page.locator('#doc-body .passage.selected');
    assert.equal(await selected.count(), 1, 'the passage of the hit is marked');
    // reference, date and type are said once
    const meta = await page.locator('#doc-meta dt').allTextContents();
    for (const term of ['Date', 'Type']) assert.equal(meta.filter((t) => t === term).length, 1, term);
    assert.equal((await page.locator('#doc-kicker').textContent()).trim(), '', 'the type is not said twice');
    const cite = page.locator('.cite');
    assert.match(await cite.locator('h2').textContent(), /Cite this passage/);
    const url = await cite.locator('a').getAttribute('href');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?doc=.*&p=.*#passage-\d+$/);
    const lang = await page.locator('#document').getAttribute('lang');
    assert.match(lang, /^[a-z]{2}$/, 'the document says its language');
    // the links of the gutter are named as their passages are cited ("para. 12"), not by
    // the bare number they show
    const plinks = page.locator('#doc-body a.plink:not(.bare)');
    assert.ok(await plinks.count() > 0, 'passages with a label link to themselves');
    const shows = (await plinks.first().locator('[aria-hidden="true"]').textContent()).trim();
    const cited = /^(para\.|Recommendation|item|footnote|section) \S/;
    assert.ok(await page.getByRole('link', { name: cited }).count() > 0, 'a link named as its passage is cited');
    assert.equal(await page.getByRole('link', { name: shows, exact: true }).count(), 0,
      `no link is named "${shows}" alone`);
    // the way back is the search
    await page.locator('#back-link').click();
    await page.waitForURL(/[?&]q=helpline/);
    assert.ok(await page.locator('#results .hit').count() > 0);
  }, { js: false });
});

test('without JavaScript: French documents are marked French, and link the English version', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?doc=${encodeURIComponent('T-ES(2024)81_fr')}`);
    assert.equal(await page.locator('#document').getAttribute('lang'), 'fr');
    const link = page.locator('#doc-versions a', { hasText: 'English' });
    assert.equal(await link.getAttribute('hreflang'), 'en');
    await link.click();
    await page.waitForURL(/doc=T-ES%282024%2981(&|$)/);
    assert.equal(await page.locator('#document').getAttribute('lang'), 'en');
    await page.goto(`${BASE}/?q=grooming&lang=fr`);
    assert.equal(await page.locator('#results .snippet').first().getAttribute('lang'), 'fr');
    assert.equal(await page.locator('#results .hit-title').first().getAttribute('lang'), 'fr');
  }, { js: false });
});

test('without JavaScript: the Party view, chosen with its button', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?party_view=`);
    await page.selectOption('#party-select', 'NO');
    await page.locator('#party-show').click();
    await page.waitForURL(/party_view=NO/);
    assert.match(await page.locator('#party-title').textContent(), /Norway/);
    assert.equal(await page.locator('.rec-item[data-rec="V-17"]').count(), 1);
    assert.ok(await page.locator('.rec-item.rec-to-all').count() > 0);
    await page.locator('#party-all').uncheck();
    await page.locator('#party-show').click();
    await page.waitForURL(/all=0/);
    assert.equal(await page.locator('.rec-item.rec-to-all').count(), 0);
    assert.equal(await page.locator('.rec-item[data-rec="V-17"]').count(), 1);
  }, { js: false });
});

test('without JavaScript: markup in a document stays text, and a wrong address says why', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=quokkamarkup`);
    const title = await page.locator('#results .hit-title').first().textContent();
    assert.ok(title.includes('<script>window.__pwned=1</script>'), title);
    assert.equal(await page.locator('main script, main img, main b').count(), 0);
    const res = await page.goto(`${BASE}/?q=children&colour=blue`);
    assert.equal(res.status(), 400);
    assert.match(await page.locator('#search-error').textContent(), /unknown parameter 'colour'/);
  }, { js: false, allowConsole: /status of 400/ });
});

test('with JavaScript too: the last page is "Page N of N", and past it the page says so', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=children`);
    await settled(page);
    const n = await total(page);
    const pages = Math.ceil(n / 20);
    await page.goto(`${BASE}/?q=children&offset=${(pages - 1) * 20}`);
    await settled(page);
    assert.equal((await page.locator('#pager .page-no').textContent()).trim(), `Page ${pages} of ${pages}`);
    assert.equal(await page.locator('#results .hit').count(), n - (pages - 1) * 20);
    await page.goto(`${BASE}/?q=children&offset=${pages * 20}`);
    await settled(page);
    assert.equal((await page.locator('#pager .page-no').textContent()).trim(), `Past the last page (${pages})`);
    await page.locator('#pager a[rel="prev"]').click();
    await page.waitForURL(new RegExp(`offset=${(pages - 1) * 20}`));
    await settled(page);
    assert.equal((await page.locator('#pager .page-no').textContent()).trim(), `Page ${pages} of ${pages}`);
  });
});

test('the comparison of Parties: articles by Party, each recommendation a link, exportable', async () => {
  for (const js of [false, true]) {
    await withPage(async (page) => {
      await page.goto(`${BASE}/?compare=1`);
      await page.locator('#compare-form input[value="NO"]').check();
      await page.locator('#compare-form input[value="MC"]').check();
      await page.locator('#compare-show').click();
      await page.waitForURL(/compare=1.*party=MC.*party=NO|compare=1.*party=NO.*party=MC/);
      assert.ok(await page.locator('#view-compare').isVisible());
      assert.ok(await page.locator('#view-search').isHidden());
      const heads = (await page.locator('table.compare thead th').allTextContents()).map((t) => t.trim());
      assert.deepEqual(heads.slice().sort(), ['All Parties', 'Article', 'Monaco', 'Norway']);
      const noColumn = heads.indexOf('Norway') - 1;
      assert.ok(await page.locator('table.compare tbody tr').count() >= 1, 'a row per article');
      // V-17 requires Norway: in Norway's column, with its level, on the row of Article 38
      const row = page.locator('table.compare tbody tr', { has: page.locator('th', { hasText: 'Art. 38' }) });
      const cell = row.locator('td').nth(noColumn);
      const link = cell.locator('a', { hasText: 'Recommendation V-17' });
      assert.equal(await link.count(), 1);
      assert.equal((await cell.locator('li').filter({ hasText: 'Recommendation V-17' }).locator('.badge').textContent()).trim(), 'require');
      const href = await page.locator('#compare-export').getAttribute('href');
      const params = new URLSearchParams(href.split('?')[1]);
      assert.deepEqual(params.getAll('party').sort(), ['MC', 'NO']);
      assert.equal(params.get('format'), 'csv');
      const res = await page.request.get(`${BASE}${href}`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/csv/);
      if (js) await page.screenshot({ path: path.join(SHOTS, 'compare.png') });
      await link.click();
      await page.waitForURL(/[?&]doc=/);
      await page.locator('#doc-body .passage.selected').waitFor();
      assert.match(await page.locator('#doc-body .passage.selected').textContent(), /Norway/);
    }, { js });
  }
});

// ---- one renderer -----------------------------------------------------------------------

// The view shown, as markup: how the query was read and the visible view's section, with
// what the script sets while it works (aria-busy, the open filter panel) taken away.
async function viewHtml(page) {
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
  return page.evaluate(() => {
    const view = document.querySelector('main section.view:not([hidden])').cloneNode(true);
    for (const n of view.querySelectorAll('[aria-busy]')) n.removeAttribute('aria-busy');
    const facets = view.querySelector('#facets');
    if (facets) facets.classList.remove('open');
    return `${document.getElementById('read-as').outerHTML}\n${view.outerHTML}`;
  });
}

// The view the script swapped in is the view the daemon renders for the same URL with
// JavaScript off.
async function assertOneRenderer(page, what) {
  const url = page.url();
  const withScript = await viewHtml(page);
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  try {
    const off = await context.newPage();
    await off.goto(url);
    const without = await viewHtml(off);
    assert.ok(without.length > 1000, `${what}: a view was rendered (${url})`);
    assert.equal(withScript, without, `${what}: the view with the script is the daemon's view of ${url}`);
  } finally {
    await context.close();
  }
}

test('one renderer: after a search, a facet, page 2, a document, the Party view and Back, the view is the daemon\'s', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/`);
    await settled(page);
    const entries = await page.evaluate(() => history.length);
    await page.fill('#q', 'children');
    await page.press('#q', 'Enter');
    await page.waitForURL(/[?&]q=children/);
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'the search box keeps the focus');
    assert.match(await page.locator('#announcer').textContent(), /passages match/, 'the count is announced');
    assert.equal(await page.title(), 'children — search — lanzasearch');
    await assertOneRenderer(page, 'a search');

    await page.locator('[data-facet="lang"] .fv a').first().click();
    await page.waitForURL(/[?&]lang=/);
    await settled(page);
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('[data-facet="lang"]')), 'focus stays on the facet');
    await assertOneRenderer(page, 'a facet');

    await page.locator('#pager a[rel="next"]').click();
    await page.waitForURL(/offset=20/);
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading', 'focus on the results');
    await assertOneRenderer(page, 'page 2');

    const hit = page.locator('#results .hit-title a').first();
    const title = (await hit.textContent()).trim();
    await hit.click();
    await page.waitForURL(/[?&]doc=/);
    await page.locator('#doc-body .passage.selected').waitFor();
    assert.equal(await page.title(), `${title} — lanzasearch`);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('selected')), true, 'focus on the passage');
    await assertOneRenderer(page, 'a document');

    await page.locator('#nav-party').click();
    await page.waitForURL(/party_view=/);
    await page.selectOption('#party-select', 'NO');
    await page.locator('#party-show').click();
    await page.waitForURL(/party_view=NO/);
    await page.locator('.rec-item').first().waitFor();
    assert.match(await page.locator('#announcer').textContent(), /recommendations?:/);
    await assertOneRenderer(page, 'the Party view');

    await page.goBack();
    await page.waitForURL(/party_view=(&|$)/);
    await assertOneRenderer(page, 'back to the Party picker');
    await page.goBack();
    await page.waitForURL(/[?&]doc=/);
    await assertOneRenderer(page, 'back to the document');
    await page.goBack();
    await page.waitForURL(/offset=20/);
    await settled(page);
    await assertOneRenderer(page, 'back to page 2');
    // every view was an entry of the history: the page never reloaded
    assert.equal(await page.evaluate(() => history.length), entries + 6);
  });
});

// ---- phones ------------------------------------------------------------------------------

test('on a phone the filters open as a panel with "Show N results"; nothing scrolls sideways at 320 px', async () => {
  for (const js of [true, false]) {
    await withPage(async (page) => {
      await page.goto(`${BASE}/?q=children`);
      if (js) await settled(page);
      const n = await total(page);
      const facets = page.locator('#facets');
      assert.ok(await facets.isHidden(), 'the panel starts closed');
      await page.locator('.toolbar .filters-jump').click();
      await facets.waitFor({ state: 'visible' });
      const show = page.locator('#show-results');
      assert.ok(await show.isVisible());
      assert.equal((await show.textContent()).trim(), `Show ${n.toLocaleString('en')} results`);
      if (js) {
        // ticking a filter keeps the panel open and the button counts the new total
        const lang = page.locator('[data-facet="lang"]');
        if ((await lang.getAttribute('open')) === null) await lang.locator('summary').click();
        const row = lang.locator('.fv').last();
        const expected = count(await row.locator('.fv-count').textContent());
        await row.locator('a').click();
        await page.waitForURL(/[?&]lang=/);
        await settled(page);
        assert.ok(await facets.isVisible(), 'the panel stays open');
        assert.equal((await show.textContent()).trim(), `Show ${expected.toLocaleString('en')} result${expected === 1 ? '' : 's'}`);
        await page.screenshot({ path: path.join(SHOTS, 'phone-filters.png') });
      }
      await show.click();
      await facets.waitFor({ state: 'hidden' });
      const top = await page.locator('#results').boundingBox();
      assert.ok(top.y < PHONE.height, 'back at the results');
    }, { viewport: PHONE, js });
  }
  for (const url of ['/?q=children', `/?doc=${encodeURIComponent('T-ES(2021)31')}`, '/?party_view=NO', '/?compare=1&party=NO&party=MC&party=BG']) {
    await withPage(async (page) => {
      await page.goto(`${BASE}${url}`);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${url}: ${overflow}px too wide at 320 px`);
    }, { viewport: NARROWEST });
  }
});

// ---- keyboard ----------------------------------------------------------------------------

// Tabs from the focused element until pred(activeElement) holds; the number of Tabs.
async function tabsUntil(page, pred, max) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(pred)) return i;
  }
  return Infinity;
}

test('keyboard: a Party filter within 10 Tabs of the search box, and "Skip to filters"', async () => {
  for (const js of [true, false]) {
    await withPage(async (page) => {
      await page.goto(`${BASE}/?q=children`);
      if (js) await settled(page);
      await page.focus('#q');
      const isPartyFilter = () => {
        const a = document.activeElement;
        const f = a && a.closest('[data-facet]');
        return !!f && ['addressee', 'party'].includes(f.dataset.facet) && a.tagName !== 'SUMMARY';
      };
      const n = await tabsUntil(page, isPartyFilter, 30);
      assert.ok(n <= 10, `${n} Tabs from the search box to a Party filter (JavaScript ${js ? 'on' : 'off'})`);
      // the skip link is the first thing on the page, at every width
      await page.goto(`${BASE}/?q=children`);
      if (js) await settled(page);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to filters');
      assert.ok(await page.locator('.skip-link:focus').isVisible());
    }, { js });
  }
});

test('keyboard: Escape closes "Query syntax" and keeps the search; "/" can be turned off', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=children`);
    await settled(page);
    const syntax = page.locator('details.syntax');
    await syntax.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await syntax.getAttribute('open'), '');
    await page.keyboard.press('Escape');
    assert.equal(await syntax.getAttribute('open'), null, 'Escape closes it');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');

    await page.focus('#q');
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#q'), 'children', 'Escape does not wipe the search');

    // "/" focuses the box; turned off, it types nothing and moves nothing; remembered
    await page.locator('#results-heading').focus();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    await page.locator('#slash-on').uncheck();
    await page.locator('#results-heading').focus();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
    await page.reload();
    await settled(page);
    assert.equal(await page.isChecked('#slash-on'), false, 'the choice is remembered');
    await page.locator('#results-heading').focus();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
  });
});

test('keyboard: arrow keys in the Party picker do not change the view; Enter does', async () => {
  await withPage(async (page) => {
    await page.goto(`${BASE}/?party_view=`);
    await page.locator('#party-select option[value="NO"]').waitFor({ state: 'attached' });
    const entries = await page.evaluate(() => history.length);
    await page.focus('#party-select');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => history.length), entries, 'no history entry per arrow key');
    assert.ok(!/party_view=[A-Z]/.test(page.url()), page.url());
    await page.selectOption('#party-select', 'NO');
    await page.focus('#party-select');
    await page.keyboard.press('Enter');
    await page.waitForURL(/party_view=NO/);
    await page.locator('.rec-item').first().waitFor();
    assert.equal(await page.evaluate(() => history.length), entries + 1);
  });
});

// ---- axe-core ----------------------------------------------------------------------------

async function axeViolations(page) {
  // evaluated by the browser's debugger, not as a script of the page: it runs with the
  // page's JavaScript off too
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    // with the rule that a control's name holds its visible text (off by default in axe)
    const r = await axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('axe-core finds no violation on the home, results, document, Party and comparison views', async () => {
  const views = [
    ['home', '/', '#summary strong'],
    ['results', '/?q=children&lang=en', '#results .hit'],
    ['document', `/?doc=${encodeURIComponent('T-ES(2024)81')}&p=${encodeURIComponent('T-ES(2024)81:11')}`, '#doc-body .passage.selected'],
    ['party', '/?party_view=NO', '.rec-item'],
    ['comparison', '/?compare=1&party=NO&party=MC', 'table.compare'],
  ];
  for (const js of [true, false]) {
    for (const [name, url, ready] of views) {
      await withPage(async (page) => {
        // axe needs the browser's timers, which a page with JavaScript off does not run:
        // the page as rendered without its script is the page with app.js served empty
        if (!js) await page.route('**/app.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
        await page.goto(`${BASE}${url}`);
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await axeViolations(page), [], `${name} (${js ? 'with' : 'without'} its script)`);
      }, { bypassCSP: true });
    }
  }
});

// ---- the script's modules ----------------------------------------------------------------

// Waits until the page's script has run: the "/" switch, hidden in the markup, is shown by
// keys.js, which runs only once every module of the page is in (a module graph is
// evaluated whole or not at all).
async function scriptRan(page) {
  await page.locator('label.slash-pref').waitFor({ state: 'visible' });
}

test('the script is ES modules: each file of web/ loaded, as JavaScript, with validators', async () => {
  const modules = fs.readdirSync(WEB).filter((name) => name.endsWith('.js')).sort();
  assert.ok(modules.includes('app.js') && modules.length > 1, `the modules of ${WEB}: ${modules}`);
  await withPage(async (page) => {
    const loaded = new Map();
    page.on('response', (res) => {
      const u = new URL(res.url());
      if (u.origin === new URL(BASE).origin && u.pathname.endsWith('.js')) loaded.set(u.pathname.slice(1), res);
    });
    await page.goto(`${BASE}/?q=children`);
    await scriptRan(page);
    // one entry point, a module, and no inline script (the policy allows none)
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => `${s.type} ${s.getAttribute('src')}`));
    assert.deepEqual(scripts, ['module app.js']);
    // every module of web/ is imported (none left over) and every import is one of them
    assert.deepEqual([...loaded.keys()].sort(), modules);
    for (const [name, res] of loaded) {
      assert.equal(res.status(), 200, name);
      const headers = await res.allHeaders();
      assert.match(headers['content-type'], /^text\/javascript; charset=utf-8$/, name);
      assert.match(headers['content-security-policy'], /script-src 'self'/, name);
      assert.match(headers.etag, /^"[0-9a-f]{16}"$/, name);
      assert.equal(headers['cache-control'], 'no-cache', name);
      // the copy a browser holds is confirmed, not sent again
      const again = await page.request.get(`${BASE}/${name}`, { headers: { 'If-None-Match': headers.etag } });
      assert.equal(again.status(), 304, name);
    }
  });
});

// ---- the query's limit, in the daemon's unit ---------------------------------------------

test('a query longer than the daemon takes in bytes is stopped with a message; without JavaScript the 400 page names the limit', async () => {
  const meta = await (await fetch(`${BASE}/api/meta`)).json();
  const most = meta.limits && meta.limits.query_bytes;
  const long = '語'.repeat(400); // 400 characters, 1,200 bytes of UTF-8
  const bytes = Buffer.byteLength(long, 'utf8');
  assert.ok(Number.isInteger(most) && long.length <= most && bytes > most,
    `GET /api/meta: limits.query_bytes is ${most}; this test needs a limit of at least 400 and below 1,200 bytes`);
  const fits = '語'.repeat(Math.floor(most / 3)) + 'a'.repeat(most % 3); // the limit exactly
  const grouped = (n) => n.toLocaleString('en');

  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=children`);
    await settled(page);
    await scriptRan(page);
    const shown = page.url();
    const sent = [];
    page.on('request', (req) => {
      if (new URL(req.url()).searchParams.get('q') === long) sent.push(req.url());
    });
    const message = page.locator('#q-error');
    assert.equal(await message.isVisible(), false, 'no message before a query');

    // submitted: the value set without an input event, so that only the submission checks it
    await page.locator('#q').evaluate((el, v) => { el.value = v; }, long);
    await page.press('#q', 'Enter');
    await message.waitFor({ state: 'visible' });
    const text = await message.textContent();
    assert.match(text, new RegExp(`${grouped(bytes)} bytes`), text);
    assert.match(text, new RegExp(`at most ${grouped(most)}`), text);
    assert.equal(await message.getAttribute('role'), 'alert', 'said by a live region');
    assert.equal(await page.getAttribute('#q', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'focus stays in the box');

    // a short query takes the message away (and searches nothing new: it is the one shown)
    await page.fill('#q', 'children');
    await message.waitFor({ state: 'hidden' });
    assert.equal(await page.getAttribute('#q', 'aria-invalid'), null);
    // typed: stopped once the reader pauses, as a submission is
    await page.fill('#q', long);
    await message.waitFor({ state: 'visible' });
    assert.deepEqual(sent, [], 'the long query was never sent');
    assert.equal(page.url(), shown);
    assert.ok(await total(page) > 0, 'the results shown stay');
    // going to another view takes the message away with the query it stood for
    await page.click('#home-link');
    await page.waitForURL((u) => !new URL(u).searchParams.has('q'));
    await settled(page);
    assert.equal(await message.isVisible(), false, 'the message went with its query');

    // a query of exactly the limit goes out and is answered
    await page.fill('#q', fits);
    await message.waitFor({ state: 'hidden' });
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === fits);
    await page.locator('#summary').waitFor();
    await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
    assert.equal(await page.locator('#search-error:visible').count(), 0, 'the daemon takes it');
  });

  // without the script the browser sends it, and the daemon's page says what the limit is
  await withPage(async (page) => {
    await page.goto(`${BASE}/`);
    await page.fill('#q', long);
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === long),
      page.press('#q', 'Enter'),
    ]);
    assert.equal(res.status(), 400);
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === long);
    const error = await page.locator('#search-error').textContent();
    assert.match(error, new RegExp(`${bytes} bytes`), error);
    assert.match(error, new RegExp(`at most ${most}`), error);
    assert.equal(await page.inputValue('#q'), long, 'the box keeps the query, to shorten it');
  }, { js: false, allowConsole: /status of 400/ });

  // the page with the message passes axe-core
  await withPage(async (page) => {
    await page.goto(`${BASE}/?q=children`);
    await settled(page);
    await scriptRan(page);
    await page.locator('#q').evaluate((el, v) => { el.value = v; }, long);
    await page.press('#q', 'Enter');
    await page.locator('#q-error').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'query-limit.png') });
    assert.deepEqual(await axeViolations(page), [], 'the page with the message');
  }, { bypassCSP: true });
});

test('a failed GET /api/meta is asked again: a later query still meets the byte limit', async () => {
  const meta = await (await fetch(`${BASE}/api/meta`)).json();
  const most = meta.limits && meta.limits.query_bytes;
  const first = '語'.repeat(400); // 1,200 bytes of UTF-8
  const later = '語'.repeat(401);
  assert.ok(Number.isInteger(most) && most < Buffer.byteLength(first, 'utf8'),
    `GET /api/meta: limits.query_bytes is ${most}; this test needs a limit below 1,200 bytes`);
  const laterBytes = Buffer.byteLength(later, 'utf8').toLocaleString('en');

  await withPage(async (page) => {
    // the first GET /api/meta is held until the test fails it; the others reach the daemon
    let asked = 0;
    let held = null;
    let onHeld;
    const firstHeld = new Promise((resolve) => { onHeld = resolve; });
    await page.route('**/api/meta', (route) => {
      asked += 1;
      if (asked > 1) return route.continue();
      held = route;
      onHeld();
      return undefined;
    });
    await page.goto(`${BASE}/?q=children`);
    await settled(page);
    await scriptRan(page);
    const sent = [];
    page.on('request', (req) => {
      const q = new URL(req.url()).searchParams.get('q');
      if (q === first || q === later) sent.push(q);
    });
    const message = page.locator('#q-error');

    // the box takes focus and asks for the limits; the submission waits for that answer,
    // which is a 503: without the limits the query goes, and the daemon refuses it itself
    await page.locator('#q').evaluate((el, v) => { el.value = v; }, first);
    await page.press('#q', 'Enter');
    await firstHeld;
    const refused = page.waitForResponse((res) => new URL(res.url()).searchParams.get('q') === first);
    await held.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"busy"}}' });
    assert.equal((await refused).status(), 400, 'the daemon refuses the long query itself');
    await page.locator('#search-error').waitFor({ state: 'visible' });
    assert.equal(await message.isVisible(), false, 'no limit was known to the page');

    // the failure was forgotten: the next query asks again, and is stopped before it is sent
    await page.locator('#q').evaluate((el, v) => { el.value = v; }, later);
    await page.press('#q', 'Enter');
    await message.waitFor({ state: 'visible' });
    const text = await message.textContent();
    assert.match(text, new RegExp(`${laterBytes} bytes`), text);
    assert.match(text, new RegExp(`at most ${most.toLocaleString('en')}`), text);
    assert.equal(asked, 2, 'GET /api/meta asked once more after the failure');
    assert.deepEqual(sent, [first], 'the later query was never sent');
  }, { allowConsole: /status of (400|503)/ });
});
