// nav.js — navigation without a page load: the daemon's fragment of a URL (api.js) swapped
// in for the view of the same id, then the history, the title, the focus, the scroll
// position and the live region set as a page load would leave them. It builds no markup
// of its own: one renderer, so that a view is the same with the script on or off.

import { fetchView } from './api.js';
import { $, VIEWS, sameView, setShownUrl, shownUrl } from './state.js';

let loadAbort = null;

// What runs on each view swapped in (views.js wires its enhancements): registered, not
// imported, so that the views, which navigate, and navigation do not import each other.
const shownHooks = [];
export function onViewShown(fn) {
  shownHooks.push(fn);
}

// Where focus goes once the view of a navigation is in: 'keep' (it stays where it is: the
// search box while typing), 'results' (the results' heading: pages, filters panel),
// 'same' (the element standing where the one clicked stood, or the view's heading).
export async function navigate(target, { push = true, replace = false, focus = 'same', from = null, scrollY = null } = {}) {
  const url = new URL(target);
  if (loadAbort) loadAbort.abort();
  const ctrl = new AbortController();
  loadAbort = ctrl;
  const key = focus === 'same' ? focusKey(from || document.activeElement) : null;
  setBusy(true);
  let answer;
  try {
    answer = await fetchView(url, ctrl.signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    setBusy(false);
    showPageError('The search service cannot be reached. Check your connection and try again.');
    return;
  }
  if (ctrl !== loadAbort) return;
  loadAbort = null;
  setBusy(false);
  if (!answer.html) {
    // not a view (the index is unavailable: JSON): the browser shows the daemon's answer
    location.assign(url);
    return;
  }
  const prev = shownUrl();
  if (push || replace) {
    // Remember where the reader was, to come back to the same spot.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    const state = { fromApp: true, back: backFor(prev, url, replace) };
    if (replace) history.replaceState(state, '', url);
    else history.pushState(state, '', url);
  }
  setShownUrl(url);
  showPageError(null);
  const view = swap(new DOMParser().parseFromString(answer.text, 'text/html'), url);
  if (!view) {
    location.assign(url);
    return;
  }
  settle(view, { focus, key, scrollY, samePlace: sameView(prev, url) });
}

// The entry a document's "Back" returns to with the browser's history (restoring the
// scroll position there): the view a document was opened from; null otherwise.
function backFor(prev, next, replace) {
  const isDoc = (u) => u.searchParams.has('doc') && !u.searchParams.has('compare') && !u.searchParams.has('party_view');
  if (!isDoc(next)) return null;
  if (replace || isDoc(prev)) return (history.state && history.state.back) || null;
  return prev.href;
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
  for (const fn of shownHooks) fn(view);
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
export function markNav(viewId) {
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
function settle(view, { focus, key, scrollY, samePlace }) {
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
