// throttle.mjs — how long the search page takes to show its first results on a slow phone
// connection: Chromium (playwright-core) with the network and CPU throttled through the
// DevTools protocol to Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbps down,
// 750 kbps up, CPU 4 times slower. A benchmark that prints figures, not a test: it asserts
// nothing about time.
//
//   node tests/browser/throttle.mjs [--runs N] [--query 'q=child'] [--selector CSS]
//        LABEL=http://127.0.0.1:PORT [LABEL=URL ...]
//
// Each LABEL=URL is a running lzs-searchd (for instance one built from main and serving
// the source tree's web/, and one built from a branch serving the build tree's web/ with
// its .gz files), measured in turn with the same query. For each, N runs (default 5) of:
//   cold  a new browser context (empty cache) opens URL/?QUERY;
//   warm  the same context opens it again (the cache holds the page's files: validators
//         let the server answer 304).
// "first results" is the time from the start of the navigation to the moment the first
// result (CSS selector, default .hit-item) is in the document, as the page itself records
// it (a MutationObserver installed before any script of the page runs). Also printed: the
// bytes received (encoded, as on the wire), the requests made, and how many of them asked
// for the favicon. Medians over the runs.
//
// Environment: LZS_CHROMIUM (default /usr/bin/chromium). playwright-core comes from this
// directory's package-lock.json (npm ci), as for the browser tests.
import { chromium } from 'playwright-core';

const PROFILE = {
  latencyMs: 150,
  downBytesPerSec: (1.6 * 1000 * 1000) / 8,
  upBytesPerSec: (750 * 1000) / 8,
  cpuSlowdown: 4,
};

function parseArgs(argv) {
  const opts = { runs: 5, query: 'q=child', selector: '.hit-item', targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--query') opts.query = argv[++i];
    else if (a === '--selector') opts.selector = argv[++i];
    else if (/^[^=]+=https?:\/\//.test(a)) {
      const eq = a.indexOf('=');
      opts.targets.push({ label: a.slice(0, eq), url: a.slice(eq + 1).replace(/\/$/, '') });
    } else throw new Error(`unknown argument '${a}' (see the first comment of throttle.mjs)`);
  }
  if (!opts.targets.length) throw new Error('give at least one LABEL=URL of a running lzs-searchd');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number from 1');
  return opts;
}

// Records in window.__lzsFirstResult the time the first element matching selector appears.
function firstResultRecorder(selector) {
  const mark = () => {
    if (window.__lzsFirstResult === undefined && document.querySelector(selector)) {
      window.__lzsFirstResult = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', mark);
}

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latencyMs,
    downloadThroughput: PROFILE.downBytesPerSec,
    uploadThroughput: PROFILE.upBytesPerSec,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuSlowdown });
  const traffic = { bytes: 0, requests: 0, favicon: 0 };
  cdp.on('Network.requestWillBeSent', (e) => {
    traffic.requests++;
    if (/\/favicon\.[a-z]+(\?|$)/.test(e.request.url)) traffic.favicon++;
  });
  cdp.on('Network.loadingFinished', (e) => { traffic.bytes += e.encodedDataLength; });
  return traffic;
}

// One navigation: first-results time (ms) and what went over the wire.
async function visit(page, traffic, url, timeout) {
  traffic.bytes = 0;
  traffic.requests = 0;
  traffic.favicon = 0;
  await page.goto(url, { waitUntil: 'commit', timeout });
  await page.waitForFunction(() => window.__lzsFirstResult !== undefined, null, { timeout });
  const ms = await page.evaluate(() => window.__lzsFirstResult);
  // the favicon and late requests belong to this page load too
  await page.waitForLoadState('networkidle', { timeout });
  return { ms, bytes: traffic.bytes, requests: traffic.requests, favicon: traffic.favicon };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function measure(browser, target, opts) {
  const url = `${target.url}/?${opts.query}`;
  const cold = [];
  const warm = [];
  for (let i = 0; i < opts.runs; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.addInitScript(firstResultRecorder, opts.selector);
    const page = await context.newPage();
    const traffic = await throttle(page);
    cold.push(await visit(page, traffic, url, 60000));
    warm.push(await visit(page, traffic, url, 60000));
    await context.close();
  }
  return { cold, warm };
}

function line(label, kind, runs) {
  const f = (k) => median(runs.map((r) => r[k]));
  return `${label.padEnd(10)} ${kind.padEnd(5)} first results ${f('ms').toFixed(0).padStart(5)} ms` +
    `  (runs: ${runs.map((r) => r.ms.toFixed(0)).join(', ')})` +
    `  received ${(f('bytes') / 1024).toFixed(1).padStart(6)} KiB  requests ${f('requests')}  favicon ${f('favicon')}`;
}

const opts = parseArgs(process.argv.slice(2));
const browser = await chromium.launch({
  executablePath: process.env.LZS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  console.log(`throttled: ${PROFILE.latencyMs} ms RTT, ${(PROFILE.downBytesPerSec * 8 / 1e6).toFixed(1)} Mbps down, ` +
    `${(PROFILE.upBytesPerSec * 8 / 1e3).toFixed(0)} kbps up, CPU x${PROFILE.cpuSlowdown}; ` +
    `${opts.runs} runs of /?${opts.query}, 390x844 mobile viewport; medians`);
  for (const t of opts.targets) {
    const { cold, warm } = await measure(browser, t, opts);
    console.log(line(t.label, 'cold', cold));
    console.log(line(t.label, 'warm', warm));
  }
} finally {
  await browser.close();
}
