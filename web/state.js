// state.js — what the page shows and the URLs it deals in: the view shown, the URL of the
// history entry on screen, which link or form leads to a view of the page, and which
// clicks the script may take over. Every other module reads the page's state from here.

export const VIEWS = ['view-search', 'view-doc', 'view-party', 'view-compare'];

export const $ = (id) => document.getElementById(id);

// A click the browser would follow in this tab (not one asking for a new tab or window).
export function isPlainClick(ev) {
  return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
}

// The page URL a link or form leads to; null for anything else (the API, files, another
// site), which the browser opens itself.
export function pageUrl(href) {
  const u = new URL(href, location.href);
  return u.origin === location.origin && u.pathname === '/' ? u : null;
}

// The URL a GET form of the page submits, as the browser would make it.
export function formUrl(form) {
  const url = new URL(form.getAttribute('action') || './', location.href);
  const sp = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') sp.append(k, v);
  url.search = sp.toString();
  return url;
}

// The view shown now: the section that is not hidden.
export function currentView() {
  return VIEWS.map($).find((node) => node && !node.hidden) || $('view-search');
}

// Whether two URLs show the same document (a move between its passages).
export function sameView(a, b) {
  return a.searchParams.get('doc') && a.searchParams.get('doc') === b.searchParams.get('doc');
}

// The URL of the history entry the page shows; kept to tell a move inside a document
// (another passage) from a move to another view. Only navigation (nav.js) changes it.
let shown = new URL(location.href);

export function shownUrl() {
  return shown;
}

export function setShownUrl(url) {
  shown = url;
}
