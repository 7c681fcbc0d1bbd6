// api.js — what the script asks the daemon (docs/api.md): the view of a page URL as a
// fragment, a document's passages, and the facts of GET /api/meta. The one place that
// knows the daemon's addresses; callers get answers or null, never a half-read response.

// The view of a page URL, as lzs-searchd renders it with fragment=1: { html, text } where
// html says whether the answer is a view (text/html) at all (with the index unavailable it
// is the API's JSON). Rejects when the daemon cannot be reached or signal aborts.
export async function fetchView(url, signal) {
  const frag = new URL(url);
  frag.hash = '';
  frag.searchParams.set('fragment', '1');
  const res = await fetch(frag, { signal, headers: { Accept: 'text/html' } });
  const text = await res.text();
  return { html: /^text\/html/.test(res.headers.get('Content-Type') || ''), text };
}

// A document's answer of GET /api/doc/ID (its passages), or null when it has none.
export async function fetchDoc(id) {
  const res = await fetch(`/api/doc/${encodeURIComponent(id)}`);
  return res.ok ? res.json() : null;
}

// GET /api/meta: the limits a request meets, in the daemon's units. Resolves to null when
// they cannot be had; the daemon still checks every request itself. A usable answer is kept
// for the page's life; a failed one (no connection, an error status, no JSON, no limits)
// is forgotten as soon as it is known, so that the next use asks again: a daemon that was
// restarting or busy for a moment would otherwise leave the page without its limits for
// good. Calls while a request is under way share it.
let meta = null;
export function fetchMeta() {
  if (!meta) {
    const asked = fetch('/api/meta', { headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : null))
      .then((body) => (body && typeof body.limits === 'object' && body.limits ? body : null))
      .catch(() => null);
    meta = asked;
    // registered before any caller's, so that a caller told null already asks anew
    asked.then((body) => {
      if (!body && meta === asked) meta = null;
    });
  }
  return meta;
}
