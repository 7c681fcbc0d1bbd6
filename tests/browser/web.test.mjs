// End-to-end tests of the search page, run by tests/browser/run.sh against the real
// lzs-searchd (LZS_BASE_URL) serving the shipped corpus plus fixtures/markup.md and the
// French and English documents of tests/data/lang. That
// fixture writes its tags as entities and escapes (&lt;script&gt;, \_\_), which the extractor
// turns back into the characters < > _ (raw tags it drops), so that the text the page gets
// really holds <script> and <img onerror>; its sidecar's title holds them raw.
// Every test fails on any console error or uncaught exception of the page: a violation of
// the Content-Security-Policy shows up as a console error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.LZS_BASE_URL;
const SHOTS = process.env.LZS_SCREENSHOT_DIR;
const CHROMIUM = process.env.LZS_CHROMIUM || '/usr/bin/chromium';
if (!BASE || !SHOTS) throw new Error('run through tests/browser/run.sh (LZS_BASE_URL and LZS_SCREENSHOT_DIR unset)');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
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

// A fresh page that records console errors and page exceptions; the test body runs, then
// the page must have logged none of them.
async function withPage(t, body, { viewport = DESKTOP, allowConsole = null } = {}) {
  const context = await browser.newContext({ viewport, isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(allowConsole && allowConsole.test(msg.text()))) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  try {
    await body(page);
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'document text ran as script');
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
}

function shot(page, name) {
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

// Waits until the search view shows the answer to the current URL: summary filled in and
// no request in flight.
async function settled(page) {
  await page.waitForFunction(() => {
    if (document.getElementById('main').hasAttribute('aria-busy')) return false;
    const r = document.getElementById('results');
    const s = document.getElementById('summary');
    return r && !r.hasAttribute('aria-busy') && s && s.textContent.trim() !== '';
  });
}

async function total(page) {
  const text = await page.locator('#summary strong').first().textContent();
  return Number(text.replace(/[^0-9]/g, ''));
}

async function hitTitles(page) {
  return page.locator('#results .hit-title').allTextContents();
}

async function gotoSearch(page, query) {
  await page.goto(`${BASE}/${query}`);
  await settled(page);
}

test('typing a query shows results with total and marked matches', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '');
    const all = await total(page);
    assert.ok(all > 20, `browsing shows every passage (got ${all})`);

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q', '/ focuses the search box');
    await page.keyboard.type('co-operation', { delay: 40 });
    await page.waitForURL(/[?&]q=co-operation/);
    await settled(page);
    const n = await total(page);
    assert.ok(n > 0 && n < all, `the query narrows the results (${n} of ${all})`);
    assert.match(await page.locator('#summary').textContent(), /match/);
    assert.ok(await page.locator('#results .hit').count() > 0);
    assert.ok(await page.locator('#results .snippet mark').count() > 0, 'matches are marked');
    // One history entry for the whole word, not one per letter.
    assert.ok(await page.evaluate(() => history.length) <= 3);
    await shot(page, 'search-results');
  });
});

test('a facet narrows the results, shows a chip and updates the counts', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=children');
    const before = await total(page);
    const langBefore = await page.locator('[data-facet="lang"] .fv-count').allTextContents();
    const typeFacet = page.locator('[data-facet="type"]');
    const rows = typeFacet.locator('.fv');
    assert.ok(await rows.count() >= 2, 'several document types to choose from');
    // The least frequent type: its count must become the total.
    const row = rows.nth((await rows.count()) - 1);
    const label = (await row.locator('.fv-label').textContent()).trim();
    const count = Number((await row.locator('.fv-count').textContent()).replace(/[^0-9]/g, ''));
    assert.ok(count > 0 && count < before);
    await row.locator('a').click();
    await page.waitForURL(/[?&]type=/);
    await settled(page);
    assert.equal(await total(page), count, 'the total is the count the facet showed');
    await page.locator('#chips .chip', { hasText: label }).waitFor();
    for (const meta of await page.locator('#results .hit-meta').allTextContents()) {
      assert.ok(meta.includes(label), `every hit is of type ${label}: ${meta}`);
    }
    const langAfter = await page.locator('[data-facet="lang"] .fv-count').allTextContents();
    assert.notDeepEqual(langAfter, langBefore, 'the other facets count the narrowed results');
    await shot(page, 'facet-applied');

    // A second value of the same facet is an OR: the total grows again.
    const other = typeFacet.locator('.fv:not(.selected)').first();
    const otherCount = Number((await other.locator('.fv-count').textContent()).replace(/[^0-9]/g, ''));
    await other.locator('a').click();
    await page.waitForFunction((n) => {
      const s = document.querySelector('#summary strong');
      return s && Number(s.textContent.replace(/[^0-9]/g, '')) === n;
    }, count + otherCount);
    assert.equal(await page.locator('#chips .chip').count(), 2);

    // Removing the chips brings the first answer back.
    await page.locator('#chips a', { hasText: 'Clear all filters' }).click();
    await page.waitForFunction(() => !location.search.includes('type='));
    await settled(page);
    assert.equal(await total(page), before);
    assert.equal(await page.locator('#chips .chip').count(), 0);
  });
});

test('the year chart filters by a year and by a brushed range', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '');
    const all = await total(page);
    const bars = page.locator('.year-chart a.bar');
    const n = await bars.count();
    assert.ok(n >= 2, 'several years in the corpus');
    // Keyboard: Enter on a focused bar selects its year.
    const first = bars.first();
    const year = await first.getAttribute('data-year');
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`[?&]year=${year}(&|$)`));
    await settled(page);
    const oneYear = await total(page);
    assert.ok(oneYear > 0 && oneYear < all);
    for (const meta of await page.locator('#results .hit-meta').allTextContents()) assert.ok(meta.includes(year), meta);
    await page.locator('.year-selected a').click();
    await page.waitForFunction(() => !location.search.includes('year='));
    await settled(page);

    // Mouse: drag from the first bar to the last selects the range.
    const dated = (await page.locator('.year-chart .bar-count').allTextContents())
      .reduce((sum, c) => sum + Number(c.replace(/[^0-9]/g, '')), 0);
    const chart = page.locator('.year-chart');
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    const years = await page.locator('.year-chart .bar').evaluateAll((gs) => gs.map((g) => g.dataset.year));
    await page.mouse.move(box.x + 3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width - 3, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const range = `${years[0]}..${years[years.length - 1]}`;
    await page.waitForFunction((r) => new URLSearchParams(location.search).get('year') === r, range);
    await settled(page);
    assert.equal(await total(page), dated, 'the whole range holds every dated passage');
    await page.locator('#chips .chip', { hasText: `${years[0]}–${years[years.length - 1]}` }).waitFor();

    // The undated documents are counted too, under the chart, and can be chosen alone.
    await gotoSearch(page, '');
    const undated = page.locator('.year-undated a');
    const label = (await undated.textContent()).trim();
    const m = /^Undated: ([0-9,]+) results?$/.exec(label);
    assert.ok(m, label);
    const count = Number(m[1].replace(/,/g, ''));
    assert.equal(count, all - dated, 'dated and undated make every passage');
    await undated.click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('year') === 'none');
    await settled(page);
    assert.equal(await total(page), count);
    await page.locator('#chips .chip', { hasText: 'Undated' }).waitFor();
  });
});

test('opening a document shows its text at the passage, and back returns to the results', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=helpline');
    const searchUrl = page.url();
    const n = await total(page);
    assert.ok(n > 0);
    const firstHit = page.locator('#results .hit').first();
    const title = (await firstHit.locator('.hit-title').textContent()).trim();
    await firstHit.locator('.hit-title a').click();
    await page.waitForURL(/[?&]doc=/);
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.getElementById('document').hasAttribute('aria-busy'));
    assert.equal((await page.locator('#doc-title').textContent()).trim(), title);
    assert.ok(await page.locator('#doc-meta dt').count() >= 3, 'metadata shown');
    assert.ok(await page.locator('#doc-body .passage').count() > 3, 'full text in passages');
    const selected = page.locator('#doc-body .passage.selected');
    await selected.waitFor();
    assert.ok(await selected.isVisible());
    const inView = await selected.evaluate((node) => {
      const r = node.getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    });
    assert.ok(inView, 'the page is scrolled to the passage');
    assert.ok(await page.locator('#doc-body mark').count() > 0, 'matches are marked in the text');
    assert.ok(await page.locator('#doc-body .passage.match').count() > 0);
    // Similar passages of the selected passage, as links into documents, once asked for.
    assert.equal(await page.locator('.similar-panel').getAttribute('open'), null, 'closed until asked for');
    await page.locator('.similar-panel summary').click();
    await page.waitForFunction(() => {
      const panel = document.querySelector('.similar-panel');
      return panel && !panel.textContent.includes('Loading');
    });
    assert.ok(await page.locator('.similar-panel .similar-list a').count() > 0, 'links to similar passages');
    await shot(page, 'document-view');

    await page.locator('#back-link').click();
    await page.waitForURL(searchUrl);
    await settled(page);
    assert.equal(await total(page), n);
    assert.equal((await page.locator('#results .hit-title').first().textContent()).trim(), title);

    // Browser forward and back move between the two views as well.
    await page.goForward();
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.goBack();
    await page.locator('#view-search').waitFor({ state: 'visible' });
    await settled(page);
    assert.equal(await total(page), n);
  });
});

test('a shared URL reopens the same view', async (t) => {
  let url;
  let expected;
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=children');
    await page.locator('label[for="group-document"]').click();
    await page.waitForURL(/group=document/);
    await settled(page);
    await page.selectOption('#sort', 'newest');
    await page.waitForURL(/sort=newest/);
    await settled(page);
    await page.locator('[data-facet="lang"] .fv a').first().click();
    await page.waitForURL(/lang=/);
    await settled(page);
    assert.match(await page.locator('#summary').textContent(), /documents? match/);
    assert.ok(await page.locator('#results .matches').count() > 0, 'matching passages per document');
    const titles = await hitTitles(page);
    assert.equal(new Set(titles).size, titles.length, 'one hit per document');
    url = page.url();
    expected = { total: await total(page), titles, chips: await page.locator('#chips .chip').allTextContents() };
  });
  await withPage(t, async (page) => {
    await page.goto(url);
    await settled(page);
    assert.equal(await total(page), expected.total);
    assert.deepEqual(await hitTitles(page), expected.titles);
    assert.deepEqual(await page.locator('#chips .chip').allTextContents(), expected.chips);
    assert.equal(await page.inputValue('#q'), 'children');
    assert.ok(await page.isChecked('#group-document'));
    assert.equal(await page.inputValue('#sort'), 'newest');
    // Reloading keeps everything too.
    await page.reload();
    await settled(page);
    assert.deepEqual(await hitTitles(page), expected.titles);
  });
});

test('pages of results, and back to the first page', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?sort=order');
    const first = await hitTitles(page);
    assert.match(await page.locator('#pager').textContent(), /Page 1 of/);
    const firstIds = await page.locator('#results .hit-title a').evaluateAll((as) => as.map((a) => a.href));
    await page.locator('#pager a[rel="next"]').click();
    await page.waitForURL(/offset=20/);
    await settled(page);
    assert.match(await page.locator('#pager').textContent(), /Page 2 of/);
    const secondIds = await page.locator('#results .hit-title a').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(secondIds.every((h) => !firstIds.includes(h)), 'page 2 shows other passages');
    assert.equal(await page.locator('#results').getAttribute('start'), '21');
    await page.goBack();
    await settled(page);
    assert.deepEqual(await hitTitles(page), first);
  });
});

test('the Party view for Norway lists recommendation V-17 by level and article', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '');
    await page.locator('#nav-party').click();
    await page.locator('#view-party').waitFor({ state: 'visible' });
    await page.selectOption('#party-select', 'NO');
    await page.locator('#party-show').click();
    await page.waitForURL(/party_view=NO/);
    await page.waitForFunction(() => {
      const r = document.getElementById('party-results');
      return !r.hasAttribute('aria-busy') && r.querySelector('.level-group, .empty');
    });
    assert.match(await page.locator('#party-title').textContent(), /Norway/);
    const v17 = page.locator('.rec-item[data-rec="V-17"]');
    assert.ok(await v17.count() >= 1, 'V-17 is listed');
    assert.match(await v17.first().textContent(), /Norway/);
    // It sits under a level heading and an article heading.
    const group = v17.first().locator('xpath=ancestor::section[contains(@class,"level-group")]');
    assert.match(await group.locator('.level-heading .badge').textContent(), /^(require|request|invite|urge|consider)$/);
    assert.match(await v17.first().locator('xpath=ancestor::section[contains(@class,"article-group")]/h3').textContent(), /^(Art\. \d+|No article cited)/);
    // Every recommendation is addressed to Norway or, clearly marked, to all Parties.
    const items = page.locator('.rec-item');
    for (let i = 0; i < await items.count(); i++) {
      const text = await items.nth(i).locator('.rec-head').textContent();
      assert.match(text, /Addressed to (Norway|all Parties)/);
    }
    const toAll = await page.locator('.rec-item.rec-to-all').count();
    for (let i = 0; i < toAll; i++) {
      assert.match(await page.locator('.rec-item.rec-to-all').nth(i).textContent(), /Addressed to all Parties/);
    }
    await shot(page, 'party-view');

    // Without the recommendations to all Parties, only those naming Norway remain.
    await page.locator('#party-all').uncheck();
    await page.waitForURL(/all=0/);
    await page.waitForFunction(() => !document.getElementById('party-results').hasAttribute('aria-busy'));
    assert.equal(await page.locator('.rec-item.rec-to-all').count(), 0);
    assert.ok(await page.locator('.rec-item[data-rec="V-17"]').count() >= 1);

    // A recommendation links to its place in the document.
    await page.locator('.rec-item[data-rec="V-17"] .rec-source a').first().click();
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.locator('#doc-body .passage.selected').waitFor();
    assert.match(await page.locator('#doc-body .passage.selected').textContent(), /Norway/);
    // The way back leads to the Party view it came from (the history's entry before).
    await page.locator('#back-link').click();
    await page.locator('#view-party').waitFor({ state: 'visible' });
    await page.waitForURL(/party_view=NO/);
    await page.locator('.rec-item[data-rec="V-17"]').first().waitFor();
  });
});

test('a query says how it was read, meets the other language and says why each hit matched', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=grooming');
    const line = page.locator('#read-as');
    await line.waitFor({ state: 'visible' });
    const text = await line.textContent();
    assert.match(text, /^Read as:\s*grooming → grooming, groom…, solicitation of children for sexual purposes, sollicitation d'enfants à des fins sexuelles/);
    assert.match(text, /solicitation of children/);
    assert.match(text, /sollicitation d'enfants/);
    // one line under the search box
    const box = await page.locator('#q').boundingBox();
    const lineBox = await line.boundingBox();
    assert.ok(lineBox.y > box.y, 'under the search box');
    assert.ok(lineBox.height < 2 * 0.86 * 16 * 1.5, `one line (${lineBox.height}px high)`);
    assert.equal(await line.getAttribute('title'), text.replace(/^Read as:\s*/, ''));
    // why each hit matched
    const why = page.locator('#results .hit').first().locator('details.why');
    await why.locator('summary').click();
    assert.match(await why.textContent(), /grooming — /);
    await shot(page, 'read-as');

    // the same English word finds the French passages, restricted to French
    await gotoSearch(page, '?q=grooming&lang=fr');
    assert.ok(await total(page) >= 1);
    assert.match(await page.locator('#results .hit .lang').first().textContent(), /FR/);
    assert.match(await page.locator('#results .snippet mark').first().textContent(), /sollicitation/i);

    // a Party's name in any language finds the others
    await gotoSearch(page, '?q=Turquie');
    assert.match(await page.locator('#read-as').textContent(), /Turquie → .*Türkiye.*Turkey/);
    const snippets = (await page.locator('#results .snippet').allTextContents()).join(' ');
    assert.match(snippets, /Turkey/);
    assert.match(snippets, /Türkiye/);

    // browsing reads no query: no line
    await gotoSearch(page, '');
    assert.ok(await line.isHidden());
  });
});

test('a document offers its other language version, landing on the same paragraph', async (t) => {
  await withPage(t, async (page) => {
    const en = 'T-ES(2024)81';
    await page.goto(`${BASE}/?doc=${encodeURIComponent(en)}&p=${encodeURIComponent(`${en}:11`)}`);
    await page.locator('#doc-body .passage.selected').waitFor();
    const versions = page.locator('#doc-versions');
    await versions.waitFor({ state: 'visible' });
    assert.match(await versions.textContent(), /Also in:\s*French/);
    await shot(page, 'document-versions');
    await versions.locator('a', { hasText: 'French' }).click();
    await page.waitForURL(/doc=T-ES%282024%2981_fr/);
    await page.waitForFunction(() => !document.getElementById('document').hasAttribute('aria-busy'));
    const selected = page.locator('#doc-body .passage.selected');
    await selected.waitFor();
    assert.match(await selected.textContent(), /permanence téléphonique mise en place par la Türkiye/);
    assert.match(await page.locator('#doc-title').textContent(), /Déclaration/);
    assert.match(await versions.textContent(), /Also in:\s*English/);
    // a document in one language only offers none
    await page.goto(`${BASE}/?doc=${encodeURIComponent('T-ES(2021)31')}`);
    await page.waitForFunction(() => !document.getElementById('document').hasAttribute('aria-busy'));
    assert.ok(await versions.isHidden());
  });
});

test('the Party view shows a recommendation once, with the other documents that state it', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE}/?party_view=NO`);
    await page.locator('.rec-item').first().waitFor();
    // V-17: the English factsheet, its French version, the country factsheet's "R V-17"
    const v17 = page.locator('.rec-item[data-rec="V-17"]');
    assert.equal(await v17.count(), 1);
    const copies = v17.locator('.rec-copies a');
    assert.equal(await copies.count(), 2);
    const titles = (await copies.allTextContents()).join(' | ');
    assert.match(titles, /Coopération internationale \(French\)/);
    assert.match(titles, /Country factsheet – Norway/);
    // the summary counts recommendations, not passages
    const items = await page.locator('.rec-item').count();
    assert.match(await page.locator('#party-summary strong').textContent(), new RegExp(`^${items} recommendations?$`));
    // the picker counts them the same way
    const option = await page.locator('#party-select option[value="NO"]').textContent();
    const counted = Number((option.match(/\((\d+)\)/) || [])[1]);
    assert.ok(counted > 0 && counted <= items, `${option}: at most the ${items} listed`);
    // a copy opens in its document
    await copies.first().click();
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.locator('#doc-body .passage.selected').waitFor();
    assert.match(await page.locator('#doc-body .passage.selected').textContent(), /Norv|Norway/);
  });
});

test('markup in a document title and text is shown as text and never runs', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=quokkamarkup');
    assert.equal(await total(page), 1);
    const title = await page.locator('#results .hit-title').first().textContent();
    assert.ok(title.includes('<script>window.__pwned=1</script>'), `title shown literally: ${title}`);
    assert.ok(title.includes('"double"') && title.includes("'single'"), 'quotes survive');
    assert.equal(await page.locator('#results script, #results img, #results b').count(), 0);
    await page.locator('#results .hit-title a').first().click();
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.getElementById('document').hasAttribute('aria-busy'));
    const body = await page.locator('#doc-body').textContent();
    assert.ok(body.includes('<script>window.__pwned=1</script>'), 'the script tag is text');
    assert.ok(body.includes('<img src=x onerror="window.__pwned=1">'), 'the img tag is text');
    assert.ok(body.includes('"double quotes", \'single quotes\''), 'quotes survive');
    await page.locator('#doc-body .passage-text', { hasText: '<script>window.__pwned=1</script> must appear literally' })
      .waitFor({ state: 'visible' });
    assert.ok((await page.locator('#doc-title').textContent()).includes('<img src=x onerror="window.__pwned=1">'));
    assert.equal(await page.locator('main script, main img, main b, main div[onerror], [onmouseover]').count(), 0, 'no element came from the text');
    assert.equal(await page.locator('script').count(), 1, 'only the page\'s own script');
    await page.locator('#doc-body .passage-text', { hasText: 'bold?' }).hover();
    await page.waitForTimeout(300); // an onerror or onmouseover would have run by now
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'markup-fixture');
  });
});

test('a misspelt query offers a "did you mean" link', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=groomng');
    assert.equal(await total(page), 0);
    const link = page.locator('#suggestion a');
    await link.waitFor();
    assert.equal(await link.textContent(), 'grooming');
    await link.click();
    await page.waitForURL(/[?&]q=grooming(&|$)/);
    await settled(page);
    assert.ok(await total(page) > 0);
    assert.equal(await page.inputValue('#q'), 'grooming');
    assert.ok(await page.locator('#suggestion').isHidden());
  });
});

test('export links the current results as CSV', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=helpline&lang=en');
    const n = await total(page);
    const href = await page.locator('#export').getAttribute('href');
    assert.match(href, /^\/api\/export\?/);
    const params = new URLSearchParams(href.split('?')[1]);
    assert.equal(params.get('q'), 'helpline');
    assert.equal(params.get('lang'), 'en');
    assert.equal(params.get('format'), 'csv');
    const res = await page.request.get(`${BASE}${href}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/csv/);
    const csv = await res.text();
    assert.match(csv, /^id,doc_id,ref,title/);
    assert.equal(Number(res.headers()['x-total-count']), n, 'the export holds the results shown');
  });
});

// Controls a screen reader cannot name, in the part of the page that is shown.
function unnamedControls() {
  const named = (node) => {
    if (node.getAttribute('aria-label') || node.getAttribute('aria-labelledby')) return true;
    if (node.labels && [...node.labels].some((l) => l.textContent.trim())) return true;
    return node.textContent.trim() !== '' || (node.getAttribute('alt') || '') !== '';
  };
  const all = document.querySelectorAll('a[href], button, input, select, textarea, [role="button"], [tabindex="0"]');
  return [...all].filter((n) => n.getClientRects().length > 0 && !named(n)).map((n) => n.outerHTML.slice(0, 120));
}

test('a query error is explained, and keyboard alone can filter', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=children');
    assert.deepEqual(await page.evaluate(unnamedControls), [], 'every control has a name');
    await page.goto(`${BASE}/?party_view=NO`);
    await page.locator('.rec-item').first().waitFor();
    assert.deepEqual(await page.evaluate(unnamedControls), [], 'every control has a name (Party view)');
    await gotoSearch(page, '?q=children');
    // A facet value toggled with the keyboard.
    const box = page.locator('[data-facet="lang"] .fv a').first();
    await box.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=/);
    await settled(page);
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('[data-facet="lang"] .fv')), 'focus stays on the facet');
    // Removing the chip with the keyboard.
    await page.locator('#chips .chip').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !location.search.includes('lang='));
    await settled(page);

    // A bad query gets a message naming the problem, not a crash (the browser logs the
    // 400 answer itself, which withPage is told to accept here).
    await page.locator('#q').fill('children party:Narnia');
    await page.keyboard.press('Enter');
    await page.locator('#search-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#search-error').textContent(), /Narnia.*not a Party/);
    assert.equal(await page.locator('#results .hit').count(), 0);
    // Correcting the query clears the message.
    await page.locator('#q').fill('children party:Norway');
    await page.keyboard.press('Enter');
    await page.locator('#search-error').waitFor({ state: 'hidden' });
    await settled(page);
    assert.ok(await total(page) > 0);
  }, { allowConsole: /Failed to load resource: the server responded with a status of 400/ });
});

test('on a phone-sized screen the results come first and nothing overflows', async (t) => {
  await withPage(t, async (page) => {
    await gotoSearch(page, '?q=children');
    // the filters wait in a panel: the results start the page
    assert.ok(await page.locator('#facets').isHidden(), 'the filter panel starts closed');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    const size = await page.locator('#results .hit-title').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 16, 'readable titles');
    await shot(page, 'phone');
    await page.locator('#results .hit-title a').first().click();
    await page.locator('#view-doc').waitFor({ state: 'visible' });
    await page.locator('#doc-body .passage.selected').waitFor();
    const docOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(docOverflow <= 0, `document view fits (${docOverflow}px too wide)`);
    await shot(page, 'phone-document');
  }, { viewport: PHONE });
});
