// limit.js — the longest query the daemon takes, in the daemon's own unit: bytes of UTF-8
// (GET /api/meta, limits.query_bytes), not the characters an input's maxlength counts,
// so that a query the daemon would refuse is stopped here with a message saying why,
// before it is sent. The page keeps no copy of the limit: it asks the daemon until it is
// answered (api.js). Without the script the daemon's 400 page says the same.

import { fetchMeta } from './api.js';
import { onViewShown } from './nav.js';
import { $ } from './state.js';

const utf8 = new TextEncoder();
const number = new Intl.NumberFormat('en');

function showLimit(message) {
  const box = $('q-error');
  box.textContent = message || '';
  box.hidden = !message;
  if (message) $('q').setAttribute('aria-invalid', 'true');
  else $('q').removeAttribute('aria-invalid');
}

// Resolves to true when the query q may be sent; otherwise says in the page's alert why
// not and resolves to false. When the daemon's limits cannot be had, the query goes: the
// daemon checks it anyway.
export async function queryFits(q) {
  const meta = await fetchMeta();
  const most = meta && meta.limits ? meta.limits.query_bytes : null;
  const bytes = utf8.encode(q || '').length;
  if (!Number.isInteger(most) || bytes <= most) {
    showLimit(null);
    return true;
  }
  showLimit(`This query is ${number.format(bytes)} bytes long; a search takes at most ` +
    `${number.format(most)} bytes (a letter such as é counts as 2, a sign such as € as 3). ` +
    'Shorten it to search.');
  return false;
}

// Asks the daemon for its limits when the search box is first focused (not at every page
// load: a reader who only follows links never needs them), so that the first search does
// not wait for them; takes the message away as soon as the query in the box is short
// enough: shortened, or replaced by the query of a view the reader went to.
export function wireLimit() {
  if (document.activeElement === $('q')) fetchMeta();
  else $('q').addEventListener('focus', fetchMeta, { once: true });
  const recheck = () => {
    if (!$('q-error').hidden) queryFits($('q').value);
  };
  $('q').addEventListener('input', recheck);
  onViewShown(recheck);
}
