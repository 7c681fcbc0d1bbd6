// app.js — the lanzasearch search page's script: the enhancement of the page lzs-searchd
// renders, loaded as an ES module (index.html) that imports the others.
//
// The daemon renders every view — results with their facets and pages, a document, a
// Party's recommendations, the comparison of Parties (GET /, searchd/page.c) — and the page
// works without this script. With it, following a link or submitting a form of the page
// does not load a whole page: the script asks the daemon for the view of the same URL
// with fragment=1 (docs/api.md, "The page") and swaps the answer in, then updates the
// history, the title, the focus and the live region. It builds no markup of its own: one
// renderer, so that a view is the same with the script on or off. The modules, one job
// each:
//   state.js    the view shown, the URL on screen, which URLs are the page's
//   api.js      what is asked of the daemon: fragments, documents, /api/meta
//   nav.js      navigation: a fragment swapped in, history, title, focus, live region
//   views.js    the enhancements of a view: year chart, Party picker, language switch
//   filters.js  the filter panel on a phone
//   keys.js     the keyboard: "/" and Escape
//   limit.js    the longest query, in the daemon's unit (bytes), checked before sending
// This one takes the page's links and forms (typing as you search included) and starts.

import { wireFilters } from './filters.js';
import { wireKeys } from './keys.js';
import { queryFits, wireLimit } from './limit.js';
import { markNav, navigate, onViewShown } from './nav.js';
import { $, currentView, formUrl, isPlainClick, pageUrl, sameView, shownUrl } from './state.js';
import { wireView } from './views.js';

const TYPE_DEBOUNCE_MS = 250;

// Typing searches once the reader pauses; one history entry for the whole word.
let typeTimer = null;
let typingEntry = false;

// Links of the page: the view of their URL swapped in.
function onClick(ev) {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || !isPlainClick(ev) || a.hasAttribute('download') || a.target) return;
  if (a.closest('#doc-versions')) return; // its own handler (views.js)
  if (a.getAttribute('href').startsWith('#')) return; // a place on this page
  const url = pageUrl(a.href);
  if (!url) return;
  ev.preventDefault();
  if (a.id === 'back-link' && history.state && history.state.back) {
    // back to where the document was opened, at the same scroll position
    history.back();
    return;
  }
  const inDoc = sameView(shownUrl(), url) && !!url.searchParams.get('p');
  if (a.id === 'home-link') $('q').value = '';
  navigate(url, { replace: inDoc, from: a });
}

// GET forms of the page: the view of the URL they submit swapped in, unless the query is
// longer than the daemon takes (limit.js says so instead).
async function onSubmit(ev) {
  const form = ev.target;
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') return;
  const url = pageUrl(formUrl(form));
  if (!url) return;
  ev.preventDefault();
  clearTimeout(typeTimer);
  const fromBox = form.id === 'search-form' && document.activeElement === $('q');
  const from = ev.submitter || document.activeElement;
  if (url.searchParams.has('q') && !(await queryFits(url.searchParams.get('q')))) return;
  navigate(url, { focus: fromBox ? 'keep' : 'same', from });
  typingEntry = false;
}

// The controls of the results (passages or documents, the sort) belong to the search
// form: a change submits it (without the script, "Apply" does).
function onChange(ev) {
  const t = ev.target;
  if (t.form && t.form.id === 'search-form' && t.id !== 'q' && t.id !== 'slash-on') {
    t.form.requestSubmit();
  } else if (t.id === 'party-all') {
    t.form.requestSubmit();
  }
}

function onType() {
  clearTimeout(typeTimer);
  typeTimer = setTimeout(async () => {
    const url = formUrl($('search-form'));
    const q = url.searchParams.get('q') || '';
    if (q === (shownUrl().searchParams.get('q') || '') && currentView().id === 'view-search') return;
    url.searchParams.delete('offset');
    if (!(await queryFits(q))) return;
    navigate(url, { replace: typingEntry && currentView().id === 'view-search', focus: 'keep' });
    typingEntry = true;
  }, TYPE_DEBOUNCE_MS);
}

function onPopState(ev) {
  typingEntry = false;
  navigate(location.href, { push: false, scrollY: ev.state && typeof ev.state.scrollY === 'number' ? ev.state.scrollY : null });
}

// Start: the view is the daemon's already; it only needs its enhancements.
document.addEventListener('click', onClick);
document.addEventListener('submit', onSubmit);
document.addEventListener('change', onChange);
$('q').addEventListener('input', onType);
window.addEventListener('popstate', onPopState);
wireKeys();
wireFilters();
wireLimit();
onViewShown(wireView);

history.replaceState({ ...(history.state || {}), fromApp: true }, '');
markNav(currentView().id);
wireView(currentView());
const chosen = document.querySelector('#view-doc:not([hidden]) .passage.selected');
if (chosen && !location.hash) chosen.scrollIntoView({ block: 'center' });
