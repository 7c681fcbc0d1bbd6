// lanzasearch search page: the enhancement of the page lzs-searchd renders.
//
// The daemon renders every view — results with their facets and pages, a document, a
// Party's recommendations, the comparison of Parties (GET /, searchd/page.c) — and the page
// works without this script. With it, following a link or submitting a form of the page
// does not load a whole page: the script asks the daemon for the view of the same URL
// with fragment=1 (docs/api.md, "The page") and swaps the answer in, then updates the
// history, the title, the focus and the live region. It builds no markup of its own: one
// renderer, so that a view is the same with the script on or off. What it still owns:
// typing as you search, the keyboard shortcut, the Party picker's Enter, a range dragged
// on the year chart, the filter panel on a phone, the language switch landing on the same
// paragraph, loading states and errors.

const TYPE_DEBOUNCE_MS = 250;
const VIEWS = ['view-search', 'view-doc', 'view-party', 'view-compare'];

const $ = (id) => document.getElementById(id);

function isPlainClick(ev) {
  return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
}

// The page URL a link or form leads to; null for anything else (the API, files, another
// site), which the browser opens itself.
function pageUrl(href) {
  const u = new URL(href, location.href);
  return u.origin === location.origin && u.pathname === '/' ? u : null;
}

// The view shown now: the section that is not hidden.
function currentView() {
  return VIEWS.map($).find((node) => node && !node.hidden) || $('view-search');
}

// ---------------------------------------------------------------------------------------
// Navigation: the daemon's fragment of a URL, swapped in

let loadAbort = null;
// The URL of the history entry the page shows; kept to tell a move inside a document
// (another passage) from a move to another view.
let shownUrl = new URL(location.href);

// Where focus goes once the view of a navigation is in: 'keep' (it stays where it is: the
// search box while typing), 'results' (the results' heading: pages, filters panel),
// 'same' (the element standing where the one clicked stood, or the view's heading).
async function navigate(target, { push = true, replace = false, focus = 'same', from = null, scrollY = null } = {}) {
  const url = new URL(target);
  const frag = new URL(url);
  frag.hash = '';
  frag.searchParams.set('fragment', '1');
  if (loadAbort) loadAbort.abort();
  const ctrl = new AbortController();
  loadAbort = ctrl;
  const key = focus === 'same' ? focusKey(from || document.activeElement) : null;
  setBusy(true);
  let res;
  let text;
  try {
    res = await fetch(frag, { signal: ctrl.signal, headers: { Accept: 'text/html' } });
    text = await res.text();
  } catch (e) {
    if (e.name === 'AbortError') return;
    setBusy(false);
    showPageError('The search service cannot be reached. Check your connection and try again.');
    return;
  }
  if (ctrl !== loadAbort) return;
  loadAbort = null;
  setBusy(false);
  if (!/^text\/html/.test(res.headers.get('Content-Type') || '')) {
    // not a view (the index is unavailable: JSON): the browser shows the daemon's answer
    location.assign(url);
    return;
  }
  const prev = shownUrl;
  if (push || replace) {
    // Remember where the reader was, to come back to the same spot.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    const state = { fromApp: true, back: backFor(prev, url, replace) };
    if (replace) history.replaceState(state, '', url);
    else history.pushState(state, '', url);
  }
  shownUrl = url;
  showPageError(null);
  const view = swap(new DOMParser().parseFromString(text, 'text/html'), url);
  if (!view) {
    location.assign(url);
    return;
  }
  settle(view, url, { focus, key, scrollY, samePlace: sameView(prev, url) });
}

// The entry a document's "Back" returns to with the browser's history (restoring the
// scroll position there): the view a document was opened from; null otherwise.
function backFor(prev, next, replace) {
  const isDoc = (u) => u.searchParams.has('doc') && !u.searchParams.has('compare') && !u.searchParams.has('party_view');
  if (!isDoc(next)) return null;
  if (replace || isDoc(prev)) return (history.state && history.state.back) || null;
  return prev.href;
}

// Whether two URLs show the same document (a move between its passages).
function sameView(a, b) {
  return a.searchParams.get('doc') && a.searchParams.get('doc') === b.searchParams.get('doc');
}

// Puts the view of the parsed fragment in place of the one of the same id, hides the
// others, and takes the title and the reading of the query from it.
function swap(doc, url) {
  const incoming = doc.querySelector('section.view');
  if (!incoming || !VIEWS.includes(incoming.id)) return null;
  const view = document.adoptNode(incoming);
  view.hidden = false;
  for (const id of VIEWS) if (id !== view.id && $(id)) $(id).hidden = true;
  $(view.id).replaceWith(view);
  const readAs = doc.getElementById('read-as');
  if (readAs) $('read-as').replaceWith(document.adoptNode(readAs));
  if (doc.title) document.title = doc.title;
  const input = $('q');
  if (document.activeElement !== input) input.value = url.searchParams.get('q') || '';
  markNav(view.id);
  wireView(view);
  return view;
}

function setBusy(on) {
  const main = $('main');
  if (on) main.setAttribute('aria-busy', 'true');
  else main.removeAttribute('aria-busy');
  document.body.classList.toggle('is-loading', on);
}

function showPageError(message) {
  const box = $('page-error');
  box.textContent = message || '';
  box.hidden = !message;
}

// "Search", "By Party" or "Compare" marked as the current view.
function markNav(viewId) {
  const current = { 'view-search': 'nav-search', 'view-doc': 'nav-search', 'view-party': 'nav-party', 'view-compare': 'nav-compare' }[viewId];
  for (const id of ['nav-search', 'nav-party', 'nav-compare']) {
    if (id === current) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
}

// What identifies the focused element across a swap: its id, or the facet and value (or
// year) it stands for.
function focusKey(node) {
  if (!node || node === document.body || !$('main').contains(node)) return null;
  if (node.closest('#pager')) return { pager: true };
  if (node.closest('#chips')) return { chips: true };
  const facet = node.closest('[data-facet]');
  if (facet) {
    const bar = node.closest('[data-year]');
    const label = node.querySelector('.fv-label');
    return { facet: facet.dataset.facet, year: bar ? bar.dataset.year : null, label: label ? label.textContent : null };
  }
  return node.id ? { id: node.id } : null;
}

function findFocus(view, key) {
  if (!key) return null;
  if (key.pager || key.chips) return null;
  if (key.id) return view.querySelector(`#${CSS.escape(key.id)}`);
  const facet = view.querySelector(`[data-facet="${CSS.escape(key.facet)}"]`);
  if (!facet) return null;
  if (key.year) return facet.querySelector(`a[data-year="${CSS.escape(key.year)}"]`);
  if (key.label !== null) {
    for (const label of facet.querySelectorAll('.fv-label')) {
      if (label.textContent === key.label) return label.closest('a');
    }
  }
  return facet.querySelector('summary');
}

// After a swap: focus, scroll, and the result count said in the live region.
function settle(view, url, { focus, key, scrollY, samePlace }) {
  announce(view);
  const heading = view.querySelector('h1');
  const selected = view.querySelector('.passage.selected');
  let target = null;
  if (focus === 'results' || (key && key.pager)) target = $('results-heading');
  else if (key && key.chips) target = view.querySelector('#chips .chip') || $('q');
  else if (focus === 'same') target = findFocus(view, key) || selected || heading;
  if (target) target.focus({ preventScroll: true });
  if (scrollY !== null) window.scrollTo(0, scrollY);
  else if (selected) selected.scrollIntoView({ block: 'center' });
  else if (focus === 'results' || (key && key.pager)) $('results-heading').scrollIntoView({ block: 'start' });
  else if (!samePlace && focus !== 'keep' && !(key && key.facet)) window.scrollTo(0, 0);
}

// The live region outside the views says the count of the new view, as a page load would
// show it.
function announce(view) {
  const summary = view.querySelector('#summary, #party-summary, #compare-summary');
  $('announcer').textContent = summary ? summary.textContent.replace(/\s+/g, ' ').trim() : '';
}

// ---------------------------------------------------------------------------------------
// Links and forms of the page

document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || !isPlainClick(ev) || a.hasAttribute('download') || a.target) return;
  if (a.closest('#doc-versions')) return; // its own handler, below
  if (a.getAttribute('href').startsWith('#')) return; // a place on this page
  const url = pageUrl(a.href);
  if (!url) return;
  ev.preventDefault();
  if (a.id === 'back-link' && history.state && history.state.back) {
    // back to where the document was opened, at the same scroll position
    history.back();
    return;
  }
  const inDoc = sameView(shownUrl, url) && !!url.searchParams.get('p');
  if (a.id === 'home-link') $('q').value = '';
  navigate(url, { replace: inDoc, from: a });
});

// The URL a GET form of the page submits, as the browser would make it.
function formUrl(form) {
  const url = new URL(form.getAttribute('action') || './', location.href);
  const sp = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') sp.append(k, v);
  url.search = sp.toString();
  return url;
}

document.addEventListener('submit', (ev) => {
  const form = ev.target;
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') return;
  const url = pageUrl(formUrl(form));
  if (!url) return;
  ev.preventDefault();
  clearTimeout(typeTimer);
  const fromBox = form.id === 'search-form' && document.activeElement === $('q');
  navigate(url, { focus: fromBox ? 'keep' : 'same', from: ev.submitter || document.activeElement });
  typingEntry = false;
});

// The controls of the results (passages or documents, the sort) belong to the search
// form: a change submits it (without the script, "Apply" does).
document.addEventListener('change', (ev) => {
  const t = ev.target;
  if (t.form && t.form.id === 'search-form' && t.id !== 'q' && t.id !== 'slash-on') {
    t.form.requestSubmit();
  } else if (t.id === 'party-all') {
    t.form.requestSubmit();
  }
});

// Typing searches once the reader pauses; one history entry for the whole word.
let typeTimer = null;
let typingEntry = false;
$('q').addEventListener('input', () => {
  clearTimeout(typeTimer);
  typeTimer = setTimeout(() => {
    const url = formUrl($('search-form'));
    if ((url.searchParams.get('q') || '') === (shownUrl.searchParams.get('q') || '') && currentView().id === 'view-search') return;
    url.searchParams.delete('offset');
    navigate(url, { replace: typingEntry && currentView().id === 'view-search', focus: 'keep' });
    typingEntry = true;
  }, TYPE_DEBOUNCE_MS);
});

window.addEventListener('popstate', (ev) => {
  typingEntry = false;
  navigate(location.href, { push: false, scrollY: ev.state && typeof ev.state.scrollY === 'number' ? ev.state.scrollY : null });
});

// ---------------------------------------------------------------------------------------
// Enhancements of a view, wired each time one is swapped in

function wireView(view) {
  const chart = view.querySelector('.year-chart');
  if (chart) wireYearChart(chart);
  const select = view.querySelector('#party-select');
  if (select) {
    // The Party picker changes the view on its button or Enter only, not on every arrow
    // key (one history entry per choice).
    select.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      select.form.requestSubmit();
    });
  }
  for (const a of view.querySelectorAll('#doc-versions a')) a.addEventListener('click', versionClick);
}

// The year chart: each bar is a link to its year; dragging across bars asks for the range.
function wireYearChart(svg) {
  const bars = [...svg.querySelectorAll('[data-year]')];
  const brush = svg.querySelector('.brush');
  if (bars.length < 2) return;
  const indexAt = (ev) => {
    const box = svg.getBoundingClientRect();
    return Math.max(0, Math.min(bars.length - 1, Math.floor(((ev.clientX - box.left) / box.width) * bars.length)));
  };
  const slot = svg.viewBox.baseVal.width / bars.length;
  let start = null;
  let dragged = false;
  const draw = (a, b) => {
    brush.setAttribute('x', String(Math.min(a, b) * slot));
    brush.setAttribute('width', String((Math.abs(a - b) + 1) * slot));
    brush.setAttribute('visibility', a === b ? 'hidden' : 'visible');
  };
  svg.addEventListener('dragstart', (ev) => ev.preventDefault());
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    start = indexAt(ev);
    dragged = false;
    // no drag of the bar's link, no text selection: the pointer draws the range (a click
    // on one bar still follows its link)
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => {
    if (start === null) return;
    const at = indexAt(ev);
    if (at !== start) dragged = true;
    draw(start, at);
  });
  const end = (ev) => {
    if (start === null) return;
    const at = indexAt(ev);
    const a = bars[Math.min(start, at)].dataset.year;
    const b = bars[Math.max(start, at)].dataset.year;
    start = null;
    brush.setAttribute('visibility', 'hidden');
    if (!dragged || a === b) return; // a press on one bar: its link
    const url = new URL(shownUrl);
    url.searchParams.delete('year');
    url.searchParams.delete('offset');
    url.searchParams.delete('fragment');
    url.searchParams.append('year', `${a}..${b}`);
    url.hash = '';
    navigate(url, { from: svg });
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', () => {
    start = null;
    brush.setAttribute('visibility', 'hidden');
  });
  // the click that ends a drag is no click on the bar it ends on
  svg.addEventListener('click', (ev) => {
    if (dragged) {
      ev.preventDefault();
      dragged = false;
    }
  }, true);
}

// The language switch of a document lands on the paragraph that stands where the reader
// is in this one: the same recommendation, else the same label, else the same place in
// the reading order (found in the other version's passages, GET /api/doc).
async function versionClick(ev) {
  if (!isPlainClick(ev)) return;
  ev.preventDefault();
  const url = pageUrl(ev.currentTarget.href);
  try {
    const [mine, theirs] = await Promise.all([shownUrl.searchParams.get('doc'), url.searchParams.get('doc')]
      .map((id) => fetch(`/api/doc/${encodeURIComponent(id)}`).then((r) => (r.ok ? r.json() : null))));
    const pid = samePassage(mine && mine.passages, currentPassage(), theirs && theirs.passages);
    if (pid) url.searchParams.set('p', pid);
  } catch (e) {
    // the switch still opens the other version, at its top
  }
  navigate(url);
}

// The passage the reader is at: the one chosen, else the first one on screen.
function currentPassage() {
  const chosen = shownUrl.searchParams.get('p');
  if (chosen) return chosen;
  for (const node of document.querySelectorAll('#doc-body .passage')) {
    if (node.getBoundingClientRect().bottom > 80) return node.dataset.pid || null;
  }
  return null;
}

function samePassage(mine, pid, theirs) {
  if (!pid || !Array.isArray(mine) || !Array.isArray(theirs) || theirs.length === 0) return null;
  const i = mine.findIndex((p) => p.id === pid);
  if (i < 0) return null;
  const p = mine[i];
  let found = null;
  if (p.rec_key) found = theirs.find((q) => q.rec_key === p.rec_key);
  if (!found && p.label) {
    const same = theirs.filter((q) => q.label === p.label && q.kind === p.kind);
    if (same.length === 1) found = same[0];
  }
  if (!found) found = theirs[Math.min(theirs.length - 1, Math.round((i * theirs.length) / mine.length))];
  return found ? found.id : null;
}

// ---------------------------------------------------------------------------------------
// The keyboard, and the filter panel on a narrow screen

// "/" focuses the search box from anywhere but a text field, unless the reader turned it
// off (WCAG 2.1.4: a one-key shortcut can be turned off); the choice is remembered.
const SLASH_KEY = 'lzs-slash-shortcut';
function slashOn() {
  try {
    return localStorage.getItem(SLASH_KEY) !== 'off';
  } catch (e) {
    return true;
  }
}
$('slash-on').checked = slashOn();
$('slash-on').closest('label').hidden = false;
$('slash-on').addEventListener('change', (ev) => {
  try {
    localStorage.setItem(SLASH_KEY, ev.target.checked ? 'on' : 'off');
  } catch (e) {
    // not remembered, but on or off for this page all the same
  }
});

document.addEventListener('keydown', (ev) => {
  if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || !$('slash-on').checked) return;
  const t = ev.target;
  const tag = t && t.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
  ev.preventDefault();
  const input = $('q');
  input.focus();
  input.select();
});

// Escape closes what is open (the query syntax, the filter panel), and never wipes the
// search box (which a search field does by default).
$('q').addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') ev.preventDefault();
});
document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Escape') return;
  const syntax = document.querySelector('details.syntax');
  if (syntax && syntax.open) {
    syntax.open = false;
    if (syntax.contains(document.activeElement)) syntax.querySelector('summary').focus();
    return;
  }
  if ($('facets') && $('facets').classList.contains('open')) closeFilters();
});

// The filters on a narrow screen: a panel opened by "Filters" or "Skip to filters", closed
// by "Show N results" (without the script the same links open it as the :target). The
// panel stays open while filters are chosen in it.
let filtersOpen = false;
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href="#facets"], #show-results');
  if (!a || !isPlainClick(ev)) return;
  ev.preventDefault();
  if (a.id === 'show-results') closeFilters();
  else openFilters();
});

function openFilters() {
  if (currentView().id !== 'view-search') {
    navigate(new URL('/', location.href)).then(openFilters);
    return;
  }
  filtersOpen = true;
  $('facets').classList.add('open');
  $('facets').focus();
}

function closeFilters() {
  filtersOpen = false;
  $('facets').classList.remove('open');
  $('results-heading').focus({ preventScroll: true });
  $('results-heading').scrollIntoView({ block: 'start' });
}

// A swapped-in results view keeps the panel open when it was.
const keepPanel = new MutationObserver(() => {
  if (filtersOpen && $('facets') && !$('facets').classList.contains('open')) $('facets').classList.add('open');
});
keepPanel.observe($('main'), { childList: true });

// ---------------------------------------------------------------------------------------
// Start: the view is the daemon's already; it only needs its enhancements.

history.replaceState({ ...(history.state || {}), fromApp: true }, '');
markNav(currentView().id);
wireView(currentView());
const chosen = document.querySelector('#view-doc:not([hidden]) .passage.selected');
if (chosen && !location.hash) chosen.scrollIntoView({ block: 'center' });
