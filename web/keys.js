// keys.js — the keyboard: "/" to reach the search box (and its off switch), Escape to
// close what is open.

import { closeFilters, filtersShown } from './filters.js';
import { $ } from './state.js';

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

function wireSlash() {
  const box = $('slash-on');
  box.checked = slashOn();
  box.closest('label').hidden = false;
  box.addEventListener('change', (ev) => {
    try {
      localStorage.setItem(SLASH_KEY, ev.target.checked ? 'on' : 'off');
    } catch (e) {
      // not remembered, but on or off for this page all the same
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || !box.checked) return;
    const t = ev.target;
    const tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
    ev.preventDefault();
    const input = $('q');
    input.focus();
    input.select();
  });
}

// Escape closes what is open (the query syntax, the filter panel), and never wipes the
// search box (which a search field does by default).
function wireEscape() {
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
    if (filtersShown()) closeFilters();
  });
}

export function wireKeys() {
  wireSlash();
  wireEscape();
}
