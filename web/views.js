// views.js — the enhancements of a view the daemon rendered, wired each time one is shown:
// a range dragged on the year chart, the Party picker's Enter, and the language switch of
// a document landing on the same paragraph.

import { fetchDoc } from './api.js';
import { navigate } from './nav.js';
import { isPlainClick, pageUrl, shownUrl } from './state.js';

export function wireView(view) {
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
    const url = new URL(shownUrl());
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
    const [mine, theirs] = await Promise.all([shownUrl().searchParams.get('doc'), url.searchParams.get('doc')].map(fetchDoc));
    const pid = samePassage(mine && mine.passages, currentPassage(), theirs && theirs.passages);
    if (pid) url.searchParams.set('p', pid);
  } catch (e) {
    // the switch still opens the other version, at its top
  }
  navigate(url);
}

// The passage the reader is at: the one chosen, else the first one on screen.
function currentPassage() {
  const chosen = shownUrl().searchParams.get('p');
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
