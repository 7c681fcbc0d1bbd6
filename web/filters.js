// filters.js — the filters on a narrow screen: a panel opened by "Filters" or "Skip to
// filters", closed by "Show N results" (without the script the same links open it as the
// :target). The panel stays open while filters are chosen in it.

import { navigate } from './nav.js';
import { $, currentView, isPlainClick } from './state.js';

let filtersOpen = false;

export function openFilters() {
  if (currentView().id !== 'view-search') {
    navigate(new URL('/', location.href)).then(openFilters);
    return;
  }
  filtersOpen = true;
  $('facets').classList.add('open');
  $('facets').focus();
}

export function closeFilters() {
  filtersOpen = false;
  $('facets').classList.remove('open');
  $('results-heading').focus({ preventScroll: true });
  $('results-heading').scrollIntoView({ block: 'start' });
}

export function filtersShown() {
  return !!$('facets') && $('facets').classList.contains('open');
}

// Takes the panel's links, and keeps the panel open in a results view swapped in while it
// was open.
export function wireFilters() {
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href="#facets"], #show-results');
    if (!a || !isPlainClick(ev)) return;
    ev.preventDefault();
    if (a.id === 'show-results') closeFilters();
    else openFilters();
  });
  const keepPanel = new MutationObserver(() => {
    if (filtersOpen && $('facets') && !$('facets').classList.contains('open')) $('facets').classList.add('open');
  });
  keepPanel.observe($('main'), { childList: true });
}
