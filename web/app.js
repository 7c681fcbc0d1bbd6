// lanzasearch search page: search with facets, document reader, Party view.
//
// Every piece of document text reaches the page through textContent or text nodes: the
// page never parses strings as markup, so a document containing <script> or an
// onerror attribute shows it as text. The URL's query string holds the whole state, so
// back/forward and shared links reopen the same view.

const PAGE_SIZE = 20;
const MAX_OFFSET = 10000;
const TYPE_DEBOUNCE_MS = 250;
const FACET_FIELDS = ['party', 'addressee', 'article', 'year', 'level', 'type', 'lang'];
// Filters the API accepts; ref and rec have no facet but can come from a shared link.
const FILTER_FIELDS = [...FACET_FIELDS, 'ref', 'rec'];
const SORTS = ['relevance', 'newest', 'oldest', 'order'];
const FACET_ORDER = ['year', 'type', 'level', 'addressee', 'party', 'article', 'lang'];
const FACET_VISIBLE = 6;

const FIELD_TITLES = {
  party: 'Party mentioned',
  addressee: 'Addressed to',
  article: 'Article of the Convention',
  year: 'Year',
  level: 'Recommendation level',
  type: 'Document type',
  lang: 'Language',
  ref: 'Reference',
  rec: 'Recommendation',
};

const LEVELS = ['require', 'request', 'invite', 'urge', 'consider'];
const LEVEL_INFO = {
  require: 'Obligations of the Convention, as clarified by its Explanatory Report',
  request: 'Obligations as clarified by the Committee’s own texts',
  invite: 'Promising practices, going beyond the Convention',
  urge: 'Urgent action (special report on children affected by the refugee crisis)',
  consider: 'Measures to consider (special report on children affected by the refugee crisis)',
};

const TYPE_LABELS = {
  decisions: 'List of decisions',
  opinion: 'Opinion',
  declaration: 'Declaration',
  'implementation-report': 'Implementation report',
  'compliance-report': 'Compliance report',
  factsheet: 'Factsheet',
  'information-note': 'Information note',
  'activity-report': 'Activity report',
  presentation: 'Presentation',
  agenda: 'Agenda',
  'meeting-report': 'Meeting report',
  questionnaire: 'Questionnaire',
  'working-group-report': 'Working group report',
  other: 'Other document',
};

const LANG_LABELS = {
  en: 'English', fr: 'French', de: 'German', it: 'Italian', es: 'Spanish', ru: 'Russian',
  pt: 'Portuguese', nl: 'Dutch', tr: 'Turkish', uk: 'Ukrainian',
};

// The 48 Parties to the Convention, as UI data for the Party picker and labels.
const PARTIES = [
  ['AL', 'Albania'], ['AD', 'Andorra'], ['AM', 'Armenia'], ['AT', 'Austria'],
  ['AZ', 'Azerbaijan'], ['BE', 'Belgium'], ['BA', 'Bosnia and Herzegovina'],
  ['BG', 'Bulgaria'], ['HR', 'Croatia'], ['CY', 'Cyprus'], ['CZ', 'Czech Republic'],
  ['DK', 'Denmark'], ['EE', 'Estonia'], ['FI', 'Finland'], ['FR', 'France'],
  ['GE', 'Georgia'], ['DE', 'Germany'], ['GR', 'Greece'], ['HU', 'Hungary'],
  ['IS', 'Iceland'], ['IE', 'Ireland'], ['IT', 'Italy'], ['LV', 'Latvia'],
  ['LI', 'Liechtenstein'], ['LT', 'Lithuania'], ['LU', 'Luxembourg'], ['MT', 'Malta'],
  ['MD', 'Republic of Moldova'], ['MC', 'Monaco'], ['ME', 'Montenegro'],
  ['NL', 'Netherlands'], ['MK', 'North Macedonia'], ['NO', 'Norway'], ['PL', 'Poland'],
  ['PT', 'Portugal'], ['RO', 'Romania'], ['RU', 'Russian Federation'], ['SM', 'San Marino'],
  ['RS', 'Serbia'], ['SK', 'Slovak Republic'], ['SI', 'Slovenia'], ['ES', 'Spain'],
  ['SE', 'Sweden'], ['CH', 'Switzerland'], ['TN', 'Tunisia'], ['TR', 'Türkiye'],
  ['UA', 'Ukraine'], ['GB', 'United Kingdom'],
];
const PARTY_NAMES = new Map(PARTIES);

const ARTICLE_TITLES = {
  4: 'Principles', 5: 'Recruitment, training and awareness of persons working with children',
  6: 'Education for children', 7: 'Preventive intervention programmes or measures',
  8: 'Measures for the general public',
  9: 'Participation of children, the private sector, the media and civil society',
  10: 'National measures of co-ordination and collaboration', 11: 'Principles',
  12: 'Reporting suspicion of sexual exploitation or sexual abuse', 13: 'Helplines',
  14: 'Assistance to victims', 15: 'General principles', 16: 'Recipients of intervention programmes or measures',
  17: 'Information and consent', 18: 'Sexual abuse', 19: 'Offences concerning child prostitution',
  20: 'Offences concerning child pornography',
  21: 'Offences concerning the participation of a child in pornographic performances',
  22: 'Corruption of children', 23: 'Solicitation of children for sexual purposes',
  24: 'Aiding or abetting and attempt', 25: 'Jurisdiction', 26: 'Corporate liability',
  27: 'Sanctions and measures', 28: 'Aggravating circumstances', 29: 'Previous convictions',
  30: 'Principles', 31: 'General measures of protection', 32: 'Initiation of proceedings',
  33: 'Statute of limitation', 34: 'Investigations', 35: 'Interviews with the child',
  36: 'Criminal court proceedings', 37: 'Recording and storing of data on convicted sex offenders',
  38: 'General principles and measures for international co-operation',
  39: 'Committee of the Parties', 40: 'Other representatives', 41: 'Functions of the Committee of the Parties',
  48: 'Reservations',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const numberFmt = new Intl.NumberFormat('en');

// ---------------------------------------------------------------------------------------
// DOM helpers: the only way this file creates elements. Text always goes in as text.

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

function svgEl(tag, props, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

function setProps(node, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'style') throw new Error('inline style attributes are not allowed');
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

function appendAll(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

const $ = (id) => document.getElementById(id);

function show(node, visible) {
  node.hidden = !visible;
}

function formatCount(n) {
  return numberFmt.format(n);
}

function plural(n, one, many) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  const month = m[2] ? MONTHS[Number(m[2]) - 1] : null;
  if (!month) return m[1];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

function typeLabel(t) {
  // The server's label when a facet answer gave one, so that facets and hits agree.
  const seen = facetLabels.get(`type:${t}`);
  if (seen && seen !== t) return seen;
  return TYPE_LABELS[t] || (t ? t.replace(/-/g, ' ') : '');
}

function langLabel(l) {
  return LANG_LABELS[l] || (l ? l.toUpperCase() : '');
}

function partyName(code) {
  if (code === 'all') return 'All Parties';
  return PARTY_NAMES.get(code) || code;
}

function articleBase(a) {
  const m = /^(\d+)/.exec(a || '');
  return m ? m[1] : null;
}

// How a reader cites a passage: "para. 13", "Recommendation V-17", "footnote 23".
function passageLabel(p) {
  if (!p) return '';
  if (p.rec_id) return `Recommendation ${p.rec_id}`;
  const label = p.label;
  switch (p.kind) {
    case 'heading': return label ? `section ${label}` : 'heading';
    case 'footnote': return label ? `footnote ${label}` : 'footnote';
    case 'list_item': case 'list-item': return label ? `item ${label}` : 'list item';
    case 'recommendation': return label ? `Recommendation ${label}` : 'recommendation';
    default: return label ? `para. ${label}` : `passage ${p.no}`;
  }
}

function levelBadge(level) {
  if (!level) return null;
  return el('span', { class: `badge level level-${LEVELS.includes(level) ? level : 'other'}`,
    title: LEVEL_INFO[level] || null }, level);
}

// Labels seen in facet answers ("article:38" -> "Article 38 – ..."), for chips.
const facetLabels = new Map();

function filterLabel(field, value) {
  const seen = facetLabels.get(`${field}:${value}`);
  if (seen && seen !== value) return seen;
  switch (field) {
    case 'party': case 'addressee': return partyName(value);
    case 'type': return typeLabel(value);
    case 'lang': return langLabel(value);
    case 'year': return value.replace('..', '–');
    case 'article': {
      const base = articleBase(value);
      const title = base && ARTICLE_TITLES[base];
      return title ? `Article ${value} – ${title}` : `Article ${value}`;
    }
    default: return value;
  }
}

// ---------------------------------------------------------------------------------------
// State <-> URL

function emptyFilters() {
  const f = {};
  for (const field of FILTER_FIELDS) f[field] = [];
  return f;
}

function parseUrl(search) {
  const sp = new URLSearchParams(search);
  const s = {
    view: 'search', q: (sp.get('q') || '').slice(0, 1024), f: emptyFilters(),
    group: sp.get('group') === 'document' ? 'document' : 'passage',
    sort: SORTS.includes(sp.get('sort')) ? sp.get('sort') : 'relevance',
    offset: 0, doc: null, p: null, partyView: '', all: sp.get('all') !== '0',
  };
  for (const field of FILTER_FIELDS) {
    s.f[field] = [...new Set(sp.getAll(field).map((v) => v.trim()).filter(Boolean))];
  }
  const offset = Number.parseInt(sp.get('offset') || '0', 10);
  if (Number.isFinite(offset) && offset > 0) s.offset = Math.min(offset, MAX_OFFSET);
  if (sp.has('party_view')) {
    s.view = 'party';
    s.partyView = (sp.get('party_view') || '').toUpperCase();
  } else if (sp.get('doc')) {
    s.view = 'doc';
    s.doc = sp.get('doc');
    s.p = sp.get('p') || null;
  }
  return s;
}

// The search part of the state as API/URL parameters (no view, no paging unless asked).
function searchParams(s, { paging = true } = {}) {
  const sp = new URLSearchParams();
  if (s.q) sp.set('q', s.q);
  for (const field of FILTER_FIELDS) for (const v of s.f[field]) sp.append(field, v);
  if (s.group !== 'passage') sp.set('group', s.group);
  if (s.sort !== 'relevance') sp.set('sort', s.sort);
  if (paging && s.offset > 0) sp.set('offset', String(s.offset));
  return sp;
}

function stateUrl(s) {
  let sp;
  if (s.view === 'party') {
    sp = new URLSearchParams();
    sp.set('party_view', s.partyView || '');
    if (!s.all) sp.set('all', '0');
  } else {
    sp = searchParams(s);
    if (s.view === 'doc') {
      sp.set('doc', s.doc);
      if (s.p) sp.set('p', s.p);
    }
  }
  const qs = sp.toString();
  return qs ? `?${qs}` : location.pathname;
}

function cloneState(s) {
  const f = {};
  for (const field of FILTER_FIELDS) f[field] = [...s.f[field]];
  return { ...s, f };
}

function hasFilters(s) {
  return FILTER_FIELDS.some((field) => s.f[field].length > 0);
}

let state = parseUrl(location.search);
// True while the current history entry was made by typing: further keystrokes replace it
// rather than filling the history with one entry per letter.
let typingEntry = false;
// Where the document view's back link leads (the view the reader opened the document
// from), and whether that view is the history entry just before, so that the link can go
// back in history and land at the same scroll position.
let docReturn = null;
let docReturnIsPrev = false;

function navigate(next, { replace = false, typing = false } = {}) {
  const url = stateUrl(next);
  if (!replace) {
    // Remember where the reader was, to come back to the same spot.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    history.pushState({ fromApp: true }, '', url);
  } else {
    history.replaceState({ ...(history.state || {}), fromApp: true }, '', url);
  }
  typingEntry = typing;
  const prev = state;
  if (next.view !== 'doc') {
    docReturn = null;
  } else if (prev.view !== 'doc') {
    docReturn = prev;
    docReturnIsPrev = !replace;
  } else if (!(prev.doc === next.doc && replace)) {
    docReturnIsPrev = false;
  }
  state = next;
  render(prev, {});
}

window.addEventListener('popstate', (e) => {
  const prev = state;
  state = parseUrl(location.search);
  typingEntry = false;
  render(prev, { scrollY: e.state && typeof e.state.scrollY === 'number' ? e.state.scrollY : null });
});

// ---------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(message, code, param, status) {
    super(message);
    this.code = code;
    this.param = param;
    this.status = status;
  }
}

async function getJSON(url, signal) {
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('The search service cannot be reached. Check that it is running.', 'network', '', 0);
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    body = null;
  }
  if (!res.ok || !body || body.error) {
    const err = body && body.error;
    throw new ApiError(err && err.message ? err.message : `The server answered ${res.status} ${res.statusText}.`,
      err && err.code, err && err.param, res.status);
  }
  return body;
}

// Short-lived answers so that back/forward shows a view at once without refetching.
const answerCache = new Map();
const CACHE_MS = 60000;

async function cachedJSON(url, signal) {
  const hit = answerCache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.data;
  const data = await getJSON(url, signal);
  answerCache.set(url, { at: Date.now(), data });
  if (answerCache.size > 40) answerCache.delete(answerCache.keys().next().value);
  return data;
}

// ---------------------------------------------------------------------------------------
// Query terms, for marking matches in full text

// Plain words and phrases of a query: what a reader expects to see marked. Field filters,
// negated words and operators are left out.
function queryTerms(q) {
  const terms = [];
  if (!q) return terms;
  const re = /(-?)(?:([A-Za-z_]+):)?(?:"([^"]*)"?|([^\s()"]+))/g;
  let m;
  while ((m = re.exec(q)) !== null) {
    const [, neg, field, phrase, word] = m;
    if (neg || field) continue;
    if (phrase !== undefined) {
      for (const w of phrase.split(/\s+/)) if (w) terms.push({ text: w, prefix: false });
      continue;
    }
    if (!word || word === 'AND' || word === 'OR' || word === 'NOT') continue;
    const prefix = word.endsWith('*');
    const text = word.replace(/\*+$/, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (text.length > 0) terms.push({ text, prefix });
  }
  // NOT word: drop the word after NOT.
  const nots = [...q.matchAll(/\bNOT\s+("[^"]*"|[^\s()]+)/g)].map((x) => x[1].replace(/"/g, '').toLowerCase());
  return terms.filter((t) => !nots.includes(t.text.toLowerCase()));
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termsRegExp(terms) {
  const uniq = new Map();
  for (const t of terms) {
    const key = `${t.text.toLowerCase()}|${t.prefix}`;
    if (t.text && !uniq.has(key)) uniq.set(key, t);
  }
  if (uniq.size === 0) return null;
  const parts = [...uniq.values()]
    .sort((a, b) => b.text.length - a.text.length)
    .map((t) => escapeRegExp(t.text) + (t.prefix ? '[\\p{L}\\p{N}]*' : ''));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

// Appends text to parent with the parts matching re inside <mark>; returns the count.
function appendMarked(parent, text, re) {
  if (!re || !text) {
    parent.append(text || '');
    return 0;
  }
  re.lastIndex = 0;
  let last = 0;
  let count = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) parent.append(text.slice(last, m.index));
    parent.append(el('mark', null, m[0]));
    last = m.index + m[0].length;
    count++;
  }
  if (last < text.length) parent.append(text.slice(last));
  return count;
}

function renderSnippet(hit, { marks = true } = {}) {
  const p = el('p', { class: 'snippet' });
  if (Array.isArray(hit.snippet) && hit.snippet.length > 0) {
    for (const seg of hit.snippet) {
      if (!seg || typeof seg.text !== 'string') continue;
      p.append(seg.mark && marks ? el('mark', null, seg.text) : seg.text);
    }
  } else if (hit.passage && hit.passage.text) {
    const t = hit.passage.text;
    p.append(t.length > 280 ? `${t.slice(0, 280)}…` : t);
  }
  return p;
}

// ---------------------------------------------------------------------------------------
// Rendering: dispatch

const views = { search: $('view-search'), doc: $('view-doc'), party: $('view-party') };

function render(prev, { scrollY = null } = {}) {
  for (const [name, node] of Object.entries(views)) show(node, name === state.view);
  $('nav-search').toggleAttribute('aria-current', state.view !== 'party');
  $('nav-party').toggleAttribute('aria-current', state.view === 'party');
  if ($('nav-search').hasAttribute('aria-current')) $('nav-search').setAttribute('aria-current', 'page');
  if ($('nav-party').hasAttribute('aria-current')) $('nav-party').setAttribute('aria-current', 'page');
  const input = $('q');
  if (input.value !== state.q && document.activeElement !== input) input.value = state.q;
  if (state.view === 'doc') renderDocView(prev, scrollY);
  else if (state.view === 'party') renderPartyView(prev, scrollY);
  else renderSearchView(prev, scrollY);
}

// ---------------------------------------------------------------------------------------
// Search view

let searchAbort = null;
let searchSeq = 0;
const expandedFacets = new Set();

function syncSearchControls() {
  $(state.group === 'document' ? 'group-document' : 'group-passage').checked = true;
  $('sort').value = state.sort;
  const sp = searchParams(state, { paging: false });
  sp.set('format', 'csv');
  $('export').href = `/api/export?${sp.toString()}`;
}

async function renderSearchView(prev, scrollY) {
  document.title = state.q ? `${state.q} — lanzasearch` : 'lanzasearch — Lanzarote Committee documents';
  syncSearchControls();
  renderChips();
  const sp = searchParams(state);
  sp.set('size', String(PAGE_SIZE));
  // each hit says which terms of the query it contains ("Why this result")
  if (state.q) sp.set('explain', '1');
  const url = `/api/search?${sp.toString()}`;
  if (searchAbort) searchAbort.abort();
  const ctrl = new AbortController();
  searchAbort = ctrl;
  const seq = ++searchSeq;
  const results = $('results');
  results.setAttribute('aria-busy', 'true');
  try {
    const [data, ownFacets] = await Promise.all([cachedJSON(url, ctrl.signal), disjunctiveFacets(state, ctrl.signal)]);
    if (seq !== searchSeq) return;
    show($('search-error'), false);
    renderReadAs(data.query && data.query.read_as);
    renderResults(data);
    renderFacets({ ...(data.facets || {}), ...ownFacets });
    renderPager(data.total || 0);
    if (scrollY !== null) window.scrollTo(0, scrollY);
  } catch (e) {
    if (e.name === 'AbortError' || seq !== searchSeq) return;
    renderSearchError(e);
  } finally {
    if (seq === searchSeq) results.removeAttribute('aria-busy');
  }
}

// Counts for a facet that has selected values are taken without that facet's own filter:
// the other values then keep their counts and can be added (values of one facet are
// OR-ed), as in any faceted catalogue. One small request (no hits) per such facet.
async function disjunctiveFacets(s, signal) {
  const fields = FACET_FIELDS.filter((f) => s.f[f].length > 0);
  const answers = await Promise.all(fields.map(async (field) => {
    const without = cloneState(s);
    without.f[field] = [];
    const sp = searchParams(without, { paging: false });
    sp.set('size', '0');
    try {
      const data = await cachedJSON(`/api/search?${sp.toString()}`, signal);
      return [field, (data.facets && data.facets[field]) || []];
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return null; // the main answer's counts are shown instead
    }
  }));
  return Object.fromEntries(answers.filter(Boolean));
}

// How the query was read, in one discreet line under the search box: each word with the
// forms, synonyms, other-language terms and Party names it matched.
function renderReadAs(readAs) {
  const line = $('read-as');
  const summary = readAs && typeof readAs.summary === 'string' ? readAs.summary : '';
  if (!state.q || !summary) {
    line.replaceChildren();
    show(line, false);
    return;
  }
  line.replaceChildren(el('span', { class: 'read-as-label' }, 'Read as:'), summary);
  // one line; the whole reading on hover (and for screen readers, the text itself)
  line.title = summary;
  show(line, true);
}

function renderSearchError(e) {
  const box = $('search-error');
  const what = e.param === 'q' ? 'This query cannot be run: ' : 'The search failed: ';
  box.replaceChildren(el('strong', null, what), e.message);
  show(box, true);
  $('summary').textContent = 'No results';
  $('results').replaceChildren();
  show($('pager'), false);
  renderReadAs(null);
}

function renderResults(data) {
  const total = data.total || 0;
  const unit = state.group === 'document' ? ['document', 'documents'] : ['passage', 'passages'];
  const took = typeof data.took_ms === 'number'
    ? ` in ${data.took_ms < 1 ? '<1' : data.took_ms.toFixed(data.took_ms < 10 ? 1 : 0)} ms` : '';
  const browsing = !state.q && !hasFilters(state);
  $('summary').replaceChildren(
    browsing ? 'All ' : '',
    el('strong', null, formatCount(total)),
    ` ${total === 1 ? unit[0] : unit[1]}${browsing ? '' : (total === 1 ? ' matches' : ' match')}`,
    el('span', { class: 'took' }, took),
  );

  const sugg = $('suggestion');
  if (typeof data.suggestion === 'string' && data.suggestion && data.suggestion !== state.q) {
    const next = cloneState(state);
    next.q = data.suggestion;
    next.offset = 0;
    next.view = 'search';
    const link = el('a', { href: stateUrl(next), id: 'suggestion-link' }, data.suggestion);
    link.addEventListener('click', (ev) => {
      if (isPlainClick(ev)) {
        ev.preventDefault();
        $('q').value = next.q;
        navigate(next);
      }
    });
    sugg.replaceChildren('Did you mean ', link, '?');
    show(sugg, true);
  } else {
    show(sugg, false);
  }

  const list = $('results');
  list.setAttribute('start', String(state.offset + 1));
  const hits = Array.isArray(data.hits) ? data.hits : [];
  if (hits.length === 0) {
    list.replaceChildren(el('li', { class: 'empty' },
      el('p', null, total > 0 ? 'No more results on this page.' : 'Nothing matches this search.'),
      total > 0 ? null : el('p', { class: 'hint' },
        hasFilters(state) ? 'Try removing a filter, or use fewer or shorter words.' : 'Try other words, a prefix such as cooperat*, or OR between alternatives.')));
    return;
  }
  list.replaceChildren(...hits.map(renderHit));
}

function isPlainClick(ev) {
  return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
}

function docState(docId, passageId) {
  const next = cloneState(state);
  next.view = 'doc';
  next.doc = docId;
  next.p = passageId || null;
  return next;
}

function docLink(docId, passageId, text, cls) {
  const next = docState(docId, passageId);
  const a = el('a', { href: stateUrl(next), class: cls || null }, text);
  a.addEventListener('click', (ev) => {
    if (!isPlainClick(ev)) return;
    ev.preventDefault();
    navigate(docState(docId, passageId));
  });
  return a;
}

function partyLink(code) {
  const s = cloneState(state);
  s.view = 'party';
  s.partyView = code;
  s.all = true;
  const a = el('a', { href: stateUrl(s), class: 'party-link' }, partyName(code));
  a.addEventListener('click', (ev) => {
    if (!isPlainClick(ev)) return;
    ev.preventDefault();
    const next = cloneState(state);
    next.view = 'party';
    next.partyView = code;
    next.all = true;
    navigate(next);
  });
  return a;
}

function renderAddressees(list, { max = 6 } = {}) {
  if (!Array.isArray(list) || list.length === 0) return null;
  if (list.includes('all')) {
    return el('p', { class: 'addressees' }, el('span', { class: 'badge to-all' }, 'Addressed to all Parties'));
  }
  const p = el('p', { class: 'addressees' }, el('span', { class: 'addr-label' }, 'Addressed to '));
  const links = list.map((code) => partyLink(code));
  const first = links.slice(0, max);
  first.forEach((a, i) => p.append(i ? ', ' : '', a));
  if (links.length > max) {
    const rest = el('span', { class: 'addr-rest' });
    links.slice(max).forEach((a) => rest.append(', ', a));
    rest.hidden = true;
    const more = el('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false' },
      `and ${links.length - max} more`);
    more.addEventListener('click', () => {
      rest.hidden = false;
      more.remove();
    });
    p.append(' ', more, rest);
  }
  return p;
}

function docMetaLine(doc) {
  const parts = [];
  if (doc.ref) parts.push(el('span', { class: 'ref' }, doc.ref));
  if (doc.date) parts.push(el('time', { datetime: doc.date }, formatDate(doc.date)));
  else if (doc.year) parts.push(el('span', null, String(doc.year)));
  if (doc.type) parts.push(el('span', null, typeLabel(doc.type)));
  if (doc.lang) parts.push(el('span', { class: 'lang', title: langLabel(doc.lang) }, doc.lang.toUpperCase()));
  const line = el('p', { class: 'hit-meta' });
  parts.forEach((node, i) => line.append(i ? el('span', { class: 'sep', 'aria-hidden': 'true' }, '·') : '', node));
  return line;
}

function renderHit(hit) {
  const doc = hit.doc || {};
  const p = hit.passage || {};
  const title = doc.title || doc.ref || doc.id || 'Untitled document';
  const head = el('div', { class: 'hit-head' },
    levelBadge(p.level),
    el('span', { class: 'hit-label' }, passageLabel(p)),
    Number.isInteger(p.page) && p.page > 0 ? el('span', { class: 'hit-page' }, `p. ${p.page}`) : null,
    Array.isArray(p.section) && p.section.length
      ? el('span', { class: 'hit-section' }, p.section[p.section.length - 1]) : null);
  const article = el('article', { class: `hit${p.level ? ' is-rec' : ''}` },
    head,
    el('h2', { class: 'hit-title' }, docLink(doc.id, hit.id, title)),
    docMetaLine(doc),
    renderSnippet(hit),
    renderAddressees(p.addressees));
  const why = renderWhy(hit.explain);
  if (why) article.append(why);
  if (state.group === 'document' && hit.matches !== undefined && hit.matches !== null) {
    const n = Array.isArray(hit.matches) ? hit.matches.length : Number(hit.matches);
    if (Number.isFinite(n) && n > 0) {
      article.append(el('p', { class: 'matches' }, docLink(doc.id, hit.id, plural(n, 'matching passage', 'matching passages') + ' in this document')));
    }
  }
  if (hit.id) article.append(similarToggle(hit.id));
  return el('li', { class: 'hit-item' }, article);
}

// Why a hit matched: the terms of the query it contains, through which of their forms.
function renderWhy(explain) {
  if (!Array.isArray(explain) || explain.length === 0) return null;
  const items = explain.filter((e) => e && typeof e.term === 'string').map((e) => {
    const matched = Array.isArray(e.matched) ? e.matched.filter((m) => typeof m === 'string') : [];
    return el('li', null, el('span', { class: 'why-term' }, e.term),
      matched.length ? ` — ${matched.join(', ')}` : '');
  });
  if (items.length === 0) return null;
  return el('details', { class: 'why' }, el('summary', null, 'Why this result'), el('ul', null, items));
}

// A button that loads passages similar to passageId below itself.
function similarToggle(passageId) {
  const box = el('div', { class: 'similar', hidden: true });
  const button = el('button', { type: 'button', class: 'link-button similar-toggle', 'aria-expanded': 'false' }, 'Similar passages');
  let loaded = false;
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    box.hidden = !open;
    if (open && !loaded) {
      loaded = true;
      box.replaceChildren(el('p', { class: 'hint' }, 'Loading…'));
      await fillSimilar(box, passageId, 5);
    }
  });
  return el('div', { class: 'hit-actions' }, button, box);
}

async function fillSimilar(box, passageId, size) {
  try {
    const data = await cachedJSON(`/api/similar/${encodeURIComponent(passageId)}?size=${size}`);
    const hits = Array.isArray(data.hits) ? data.hits : [];
    if (hits.length === 0) {
      box.replaceChildren(el('p', { class: 'hint' }, 'No similar passages found.'));
      return;
    }
    box.replaceChildren(el('ol', { class: 'similar-list' }, hits.map((h) => {
      const d = h.doc || {};
      const p = h.passage || {};
      return el('li', null,
        el('div', { class: 'similar-head' }, levelBadge(p.level),
          docLink(d.id, h.id, d.title || d.ref || d.id || 'Untitled document'),
          el('span', { class: 'hit-label' }, ` — ${passageLabel(p)}`)),
        renderSnippet(h, { marks: false }));
    })));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error-inline' }, `Similar passages could not be loaded: ${e.message}`));
  }
}

function renderPager(total) {
  const pager = $('pager');
  const pages = Math.ceil(Math.min(total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE);
  if (pages <= 1 && state.offset === 0) {
    show(pager, false);
    return;
  }
  const page = Math.floor(state.offset / PAGE_SIZE) + 1;
  const go = (offset) => {
    const next = cloneState(state);
    next.offset = offset;
    navigate(next);
    $('results-heading').focus({ preventScroll: true });
    $('results-heading').scrollIntoView({ block: 'start' });
  };
  const button = (label, offset, enabled, rel) => {
    const s = cloneState(state);
    s.offset = offset;
    if (!enabled) return el('span', { class: 'button secondary disabled', 'aria-disabled': 'true' }, label);
    const a = el('a', { class: 'button secondary', href: stateUrl(s), rel }, label);
    a.addEventListener('click', (ev) => {
      if (!isPlainClick(ev)) return;
      ev.preventDefault();
      go(offset);
    });
    return a;
  };
  pager.replaceChildren(
    button('← Previous', Math.max(0, state.offset - PAGE_SIZE), state.offset > 0, 'prev'),
    el('span', { class: 'page-no' }, `Page ${formatCount(page)} of ${formatCount(Math.max(pages, page))}`),
    button('Next →', state.offset + PAGE_SIZE, state.offset + PAGE_SIZE < Math.min(total, MAX_OFFSET + 1), 'next'));
  show(pager, true);
}

// Active filters as removable chips.
function renderChips() {
  const chips = $('chips');
  const focusKey = document.activeElement && chips.contains(document.activeElement)
    ? document.activeElement.dataset.focusKey : null;
  const items = [];
  for (const field of FILTER_FIELDS) {
    for (const value of state.f[field]) {
      const key = `chip:${field}:${value}`;
      const chip = el('button', { type: 'button', class: 'chip', dataset: { focusKey: key },
        'aria-label': `Remove filter ${FIELD_TITLES[field]}: ${filterLabel(field, value)}` },
      el('span', { class: 'chip-field' }, `${FIELD_TITLES[field]}:`), ' ',
      el('span', { class: 'chip-value' }, filterLabel(field, value)),
      el('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'));
      chip.addEventListener('click', () => {
        const next = cloneState(state);
        next.f[field] = next.f[field].filter((v) => v !== value);
        next.offset = 0;
        navigate(next);
        const remaining = [...chips.querySelectorAll('.chip')];
        if (remaining.length) remaining[0].focus();
        else $('q').focus();
      });
      items.push(el('li', null, chip));
    }
  }
  if (items.length > 1) {
    const clear = el('button', { type: 'button', class: 'link-button', dataset: { focusKey: 'chip:clear' } }, 'Clear all filters');
    clear.addEventListener('click', () => {
      const next = cloneState(state);
      next.f = emptyFilters();
      next.offset = 0;
      navigate(next);
      $('q').focus();
    });
    items.push(el('li', null, clear));
  }
  chips.replaceChildren(...items);
  show(chips, items.length > 0);
  restoreFocus(chips, focusKey);
}

function restoreFocus(container, key) {
  if (!key) return;
  for (const node of container.querySelectorAll('[data-focus-key]')) {
    if (node.dataset.focusKey === key) {
      node.focus({ preventScroll: true });
      return;
    }
  }
}

function toggleFilter(field, value, on) {
  const next = cloneState(state);
  const values = next.f[field].filter((v) => v !== value);
  if (on) values.push(value);
  next.f[field] = values;
  next.offset = 0;
  next.view = 'search';
  navigate(next);
}

// ---- facets

function facetDisplay(field, value, label) {
  if (field === 'addressee' && value === 'all') return 'All Parties';
  if (label && label !== value) return label;
  return filterLabel(field, value);
}

function renderFacets(facets) {
  const container = $('facet-list');
  const active = document.activeElement;
  const focusKey = active && container.contains(active) ? active.dataset.focusKey : null;
  const sections = [];
  for (const field of FACET_ORDER) {
    const values = Array.isArray(facets[field]) ? facets[field] : [];
    for (const v of values) if (v && v.value !== undefined) facetLabels.set(`${field}:${v.value}`, facetDisplay(field, String(v.value), v.label));
    if (values.length === 0 && state.f[field].length === 0) continue;
    sections.push(field === 'year' ? renderYearFacet(values) : renderFacet(field, values));
  }
  if (sections.length === 0) sections.push(el('p', { class: 'hint' }, 'No filters apply to these results.'));
  container.replaceChildren(...sections);
  restoreFocus(container, focusKey);
  // Chips may now have better labels.
  renderChips();
}

function facetSection(field, body, selectedCount) {
  const details = el('details', { class: 'facet', dataset: { facet: field } },
    el('summary', null, el('h3', { class: 'facet-title' }, FIELD_TITLES[field]),
      selectedCount ? el('span', { class: 'facet-selected' }, `${selectedCount} selected`) : null),
    body);
  details.open = !collapsedFacets.has(field);
  details.addEventListener('toggle', () => {
    if (details.open) collapsedFacets.delete(field);
    else collapsedFacets.add(field);
  });
  return details;
}

// On a phone the facets start collapsed, to keep the results in view.
const collapsedFacets = new Set(window.matchMedia('(max-width: 800px)').matches ? FACET_ORDER : []);

function renderFacet(field, values) {
  const selected = state.f[field];
  const rows = values.map((v) => ({ value: String(v.value), label: facetDisplay(field, String(v.value), v.label), count: Number(v.count) || 0 }));
  for (const value of selected) {
    if (!rows.some((r) => r.value === value)) rows.unshift({ value, label: filterLabel(field, value), count: 0 });
  }
  const max = Math.max(1, ...rows.map((r) => r.count));
  const expanded = expandedFacets.has(field);
  // Selected values stay visible even when they are not among the most frequent.
  const visible = expanded ? rows : rows.filter((r, i) => i < FACET_VISIBLE || selected.includes(r.value));
  const list = el('ul', { class: 'facet-values' }, visible.map((r) => {
    const id = `f-${field}-${r.value}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const box = el('input', { type: 'checkbox', id, dataset: { focusKey: `${field}:${r.value}` } });
    box.checked = selected.includes(r.value);
    box.addEventListener('change', () => toggleFilter(field, r.value, box.checked));
    const bar = el('span', { class: 'fv-bar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.round((r.count / max) * 100)}%`;
    const labelContent = field === 'level'
      ? [levelBadge(r.value)]
      : field === 'article' ? articleLabelNodes(r.value, r.label) : [r.label];
    return el('li', { class: box.checked ? 'fv selected' : 'fv' },
      box,
      el('label', { for: id },
        el('span', { class: 'fv-label' }, labelContent),
        el('span', { class: 'fv-count' }, el('span', { class: 'visually-hidden' }, ', '), formatCount(r.count),
          el('span', { class: 'visually-hidden' }, r.count === 1 ? ' result' : ' results'))),
      bar);
  }));
  const body = [list];
  if (rows.length > visible.length || expanded) {
    const more = el('button', { type: 'button', class: 'link-button facet-more', 'aria-expanded': String(expanded),
      dataset: { focusKey: `${field}:more` } }, expanded ? 'Show fewer' : `Show all ${rows.length}`);
    more.addEventListener('click', () => {
      if (expandedFacets.has(field)) expandedFacets.delete(field);
      else expandedFacets.add(field);
      const parent = more.closest('details');
      const replacement = renderFacet(field, values);
      parent.replaceWith(replacement);
      const again = replacement.querySelector('.facet-more');
      if (again) again.focus();
    });
    body.push(more);
  }
  return facetSection(field, body, selected.length);
}

// "Art. 38 – " or "Article 38: " before an article title in a server label.
const ARTICLE_PREFIX = /^(?:Art\.|Article)\s*[\w()]+\s*[–—:-]\s*/i;

function articleLabelNodes(value, label) {
  // Server labels look like "Article 38 – title"; keep the number prominent either way.
  const base = articleBase(value);
  const title = label && label !== value ? label.replace(ARTICLE_PREFIX, '') : (base && ARTICLE_TITLES[base]) || '';
  return [el('span', { class: 'art-no' }, `Art. ${value}`), title ? el('span', { class: 'art-title' }, ` ${title}`) : null];
}

// ---- year chart: bars by year; click toggles a year, drag brushes a range.

function parseYearFilter(v) {
  const m = /^(\d{4})(?:\.\.(\d{4}))?$/.exec(v);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return [Math.min(a, b), Math.max(a, b)];
}

function yearSelected(year) {
  return state.f.year.some((v) => {
    const r = parseYearFilter(v);
    return r && year >= r[0] && year <= r[1];
  });
}

function renderYearFacet(values) {
  const counts = new Map();
  for (const v of values) {
    const y = Number.parseInt(v.value, 10);
    if (Number.isFinite(y) && y > 1900) counts.set(y, (counts.get(y) || 0) + (Number(v.count) || 0));
  }
  for (const v of state.f.year) {
    const r = parseYearFilter(v);
    if (r) for (let y = r[0]; y <= r[1] && y - r[0] < 50; y++) if (!counts.has(y)) counts.set(y, 0);
  }
  // Passages of undated documents: the value "none", shown as "Undated" so that no
  // document is missing from a browse by year.
  const undatedRow = values.find((v) => v.value === 'none');
  const undated = undatedRow ? Number(undatedRow.count) || 0 : 0;
  const undatedControl = () => {
    if (!undated && !state.f.year.includes('none')) return null;
    const pressed = state.f.year.includes('none');
    const b = el('button', { type: 'button', class: `undated${pressed ? ' selected' : ''}`, 'aria-pressed': String(pressed),
      dataset: { focusKey: 'year:none' } }, `${undatedRow && undatedRow.label ? undatedRow.label : 'Undated'}: ${plural(undated, 'result', 'results')}`);
    b.addEventListener('click', () => setYears(pressed ? state.f.year.filter((v) => v !== 'none') : [...state.f.year, 'none']));
    return el('p', { class: 'year-undated' }, b);
  };
  if (counts.size === 0) {
    return facetSection('year', [el('p', { class: 'hint' }, 'No dated results.'), undatedControl()], state.f.year.length);
  }
  const years = [...counts.keys()];
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  const all = [];
  for (let y = lo; y <= hi; y++) all.push(y);
  const max = Math.max(1, ...counts.values());

  const W = 280;
  const H = 130;
  const top = 18;
  const bottom = 22;
  const slot = W / all.length;
  const barW = Math.max(4, Math.min(34, slot * 0.72));
  const labelEvery = all.length <= 8 ? 1 : all.length <= 16 ? 2 : 5;
  const svg = svgEl('svg', { class: 'year-chart', viewBox: `0 0 ${W} ${H}`, role: 'group',
    'aria-label': 'Results by year. Select a bar to filter by that year; drag across bars to choose a range.' });
  const brush = svgEl('rect', { class: 'brush', x: 0, y: 0, width: 0, height: H - bottom + 4, visibility: 'hidden' });
  svg.append(brush);
  const bars = [];
  all.forEach((year, i) => {
    const count = counts.get(year) || 0;
    const h = count ? Math.max(2, ((H - top - bottom) * count) / max) : 0;
    const x = i * slot + (slot - barW) / 2;
    const sel = yearSelected(year);
    const g = svgEl('g', { class: `bar${sel ? ' selected' : ''}${count ? '' : ' empty'}`, dataset: { year: String(year), focusKey: `year:${year}` } });
    g.append(svgEl('rect', { class: 'hit-area', x: i * slot, y: 0, width: slot, height: H }));
    g.append(svgEl('rect', { class: 'bar-fill', x, y: H - bottom - h, width: barW, height: h, rx: 2 }));
    if (count) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-pressed', String(sel));
      g.setAttribute('aria-label', `${year}: ${plural(count, 'result', 'results')}`);
      g.append(svgEl('text', { class: 'bar-count', x: x + barW / 2, y: H - bottom - h - 4, 'text-anchor': 'middle' }, formatCount(count)));
      g.append(svgEl('title', null, `${year}: ${plural(count, 'result', 'results')}`));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          toggleYear(year);
        } else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
          ev.preventDefault();
          const focusable = bars.filter((b) => b.hasAttribute('tabindex'));
          const at = focusable.indexOf(g);
          const to = focusable[at + (ev.key === 'ArrowRight' ? 1 : -1)];
          if (to) to.focus();
        }
      });
    }
    if ((year - lo) % labelEvery === 0 || i === all.length - 1 && labelEvery === 1) {
      g.append(svgEl('text', { class: 'bar-year', x: i * slot + slot / 2, y: H - 6, 'text-anchor': 'middle' },
        labelEvery > 1 ? String(year) : String(year)));
    }
    bars.push(g);
    svg.append(g);
  });

  // Pointer brushing. A press and release on the same bar toggles that year.
  const indexAt = (ev) => {
    const box = svg.getBoundingClientRect();
    const x = ((ev.clientX - box.left) / box.width) * W;
    return Math.max(0, Math.min(all.length - 1, Math.floor(x / slot)));
  };
  let start = null;
  const drawBrush = (a, b) => {
    const i0 = Math.min(a, b);
    const i1 = Math.max(a, b);
    brush.setAttribute('x', String(i0 * slot));
    brush.setAttribute('width', String((i1 - i0 + 1) * slot));
    brush.setAttribute('visibility', a === b ? 'hidden' : 'visible');
  };
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    start = indexAt(ev);
    svg.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => {
    if (start === null) return;
    drawBrush(start, indexAt(ev));
  });
  svg.addEventListener('pointerup', (ev) => {
    if (start === null) return;
    const end = indexAt(ev);
    const a = all[Math.min(start, end)];
    const b = all[Math.max(start, end)];
    start = null;
    brush.setAttribute('visibility', 'hidden');
    if (a === b) {
      if (counts.get(a)) toggleYear(a);
    } else {
      setYears([`${a}..${b}`]);
    }
  });
  svg.addEventListener('pointercancel', () => {
    start = null;
    brush.setAttribute('visibility', 'hidden');
  });

  const body = [svg, undatedControl()];
  if (state.f.year.length) {
    const clear = el('button', { type: 'button', class: 'link-button', dataset: { focusKey: 'year:clear' } }, 'Any year');
    clear.addEventListener('click', () => setYears([]));
    body.push(el('p', { class: 'year-selected' }, `Selected: ${state.f.year.map((v) => (v === 'none' ? 'Undated' : v.replace('..', '–'))).join(', ')} `, clear));
  } else {
    body.push(el('p', { class: 'hint small' }, 'Select a bar, or drag across bars for a range.'));
  }
  return facetSection('year', body, state.f.year.length);
}

function toggleYear(year) {
  const key = String(year);
  if (state.f.year.includes(key)) {
    setYears(state.f.year.filter((v) => v !== key));
  } else if (yearSelected(year)) {
    // Inside a selected range: narrow the selection to this year.
    setYears([key]);
  } else {
    setYears([...state.f.year, key]);
  }
}

function setYears(values) {
  const next = cloneState(state);
  next.f.year = values;
  next.offset = 0;
  navigate(next);
}

// ---------------------------------------------------------------------------------------
// Document view

let docSeq = 0;
let shownDoc = null; // { id, q, passages: Map(passageId -> element), matchIds: [] }

function backToResultsState() {
  const next = cloneState(state);
  next.view = 'search';
  next.doc = null;
  next.p = null;
  return next;
}

async function renderDocView(prev, scrollY) {
  const back = $('back-link');
  back.href = stateUrl(docReturn || backToResultsState());
  back.textContent = docReturn && docReturn.view === 'party' && docReturn.partyView
    ? `← Back to the recommendations for ${partyName(docReturn.partyView)}` : '← Back to results';
  const sameDoc = shownDoc && shownDoc.id === state.doc && shownDoc.q === state.q;
  if (sameDoc) {
    selectPassage(state.p, { scroll: scrollY === null });
    if (scrollY !== null) window.scrollTo(0, scrollY);
    return;
  }
  const seq = ++docSeq;
  show($('doc-error'), false);
  $('document').setAttribute('aria-busy', 'true');
  $('doc-title').textContent = 'Loading…';
  $('doc-kicker').textContent = '';
  $('doc-meta').replaceChildren();
  $('doc-body').replaceChildren();
  show($('doc-matches'), false);
  try {
    const [data, matches] = await Promise.all([
      cachedJSON(`/api/doc/${encodeURIComponent(state.doc)}`),
      docMatches(state.doc, state.q),
    ]);
    if (seq !== docSeq) return;
    buildDocument(data, matches);
    selectPassage(state.p, { scroll: scrollY === null, focusTitle: !state.p });
    if (scrollY !== null) window.scrollTo(0, scrollY);
  } catch (e) {
    if (seq !== docSeq) return;
    shownDoc = null;
    $('doc-title').textContent = e.status === 404 ? 'Document not found' : 'The document could not be loaded';
    $('doc-error').replaceChildren(e.message);
    show($('doc-error'), true);
    document.title = 'Document not found — lanzasearch';
  } finally {
    if (seq === docSeq) $('document').removeAttribute('aria-busy');
  }
}

// Which passages of the document match the query, and the words the index marked in
// them (so that stemmed forms are marked too). Failures only lose the marking.
async function docMatches(docId, q) {
  const result = { ids: [], words: [] };
  if (!q || !q.trim()) return result;
  const collect = (data) => {
    for (const h of data.hits || []) {
      if (!h.doc || h.doc.id !== docId) continue;
      result.ids.push(h.id);
      for (const seg of h.snippet || []) if (seg.mark && seg.text) result.words.push(seg.text);
    }
  };
  const base = new URLSearchParams({ q, size: '100', sort: 'order', facets: '0' });
  try {
    const sp = new URLSearchParams(base);
    sp.append('ref', docId);
    collect(await cachedJSON(`/api/search?${sp.toString()}`));
  } catch (e) {
    // The reference filter may not know this id (documents without a reference).
  }
  if (result.ids.length === 0) {
    try {
      collect(await cachedJSON(`/api/search?${base.toString()}`));
    } catch (e) {
      // Marking is a help, not a requirement: the document still shows.
    }
  }
  return result;
}

function buildDocument(data, matches) {
  const doc = data.doc || {};
  const passages = Array.isArray(data.passages) ? data.passages : [];
  const title = doc.title || doc.ref || doc.id || 'Untitled document';
  document.title = `${title} — lanzasearch`;
  $('doc-kicker').textContent = typeLabel(doc.type);
  $('doc-title').textContent = title;
  const meta = $('doc-meta');
  const row = (dt, dd) => (dd ? [el('div', null, el('dt', null, dt), el('dd', null, dd))] : []);
  let source = null;
  if (doc.url && /^https?:\/\//i.test(doc.url)) {
    source = el('a', { href: doc.url, rel: 'noopener noreferrer' }, doc.url);
  }
  // The document's files, the one its passages come from first (GET /api/file).
  const files = Array.isArray(doc.files) ? doc.files : [];
  const fileLinks = files.length
    ? el('span', { class: 'doc-files' }, files.flatMap((f, i) => [i ? ', ' : null,
      el('a', { href: fileUrl(doc.id, i + 1) }, `${String(f.format || '').toUpperCase()} (${f.path})`)]))
    : null;
  meta.replaceChildren(
    ...row('Reference', doc.ref || null),
    ...row('Date', doc.date ? formatDate(doc.date) : doc.year ? String(doc.year) : null),
    ...row('Type', typeLabel(doc.type) || null),
    ...row('Language', langLabel(doc.lang) || null),
    ...row('Passages', formatCount(passages.length)),
    ...row('Source', source || (fileLinks ? null : doc.source) || null),
    ...row(files.length > 1 ? 'Files' : 'File', fileLinks));
  pdfFile = files.findIndex((f) => f.format === 'pdf') + 1;
  renderVersions(doc, passages);

  const re = termsRegExp([...queryTerms(state.q), ...matches.words.map((w) => ({ text: w, prefix: false }))]);
  const matchSet = new Set(matches.ids);
  const body = $('doc-body');
  const nodes = new Map();
  const frag = document.createDocumentFragment();
  let markCount = 0;
  for (const p of passages) {
    const { node, marks } = renderPassage(p, re, matchSet.has(p.id));
    markCount += marks;
    if (p.id) nodes.set(p.id, node);
    frag.append(node);
  }
  body.replaceChildren(frag);
  const matchIds = passages.filter((p) => matchSet.has(p.id)).map((p) => p.id);
  shownDoc = { id: state.doc, q: state.q, nodes, matchIds };
  renderDocMatches(matchIds, markCount);
}

// The language switch of the document view: the document's other language versions, each
// link landing on the same paragraph there (found once the other version is loaded).
function renderVersions(doc, passages) {
  const nav = $('doc-versions');
  const versions = Array.isArray(doc.versions) ? doc.versions.filter((v) => v && v.id) : [];
  if (versions.length === 0) {
    nav.replaceChildren();
    show(nav, false);
    return;
  }
  const links = versions.map((v) => {
    const label = langLabel(v.lang) || (v.lang || '').toUpperCase() || v.id;
    const a = el('a', { href: stateUrl(docState(v.id, null)), hreflang: v.lang || null }, label);
    a.addEventListener('click', async (ev) => {
      if (!isPlainClick(ev)) return;
      ev.preventDefault();
      let target = null;
      try {
        const other = await cachedJSON(`/api/doc/${encodeURIComponent(v.id)}`);
        target = samePassage(passages, currentPassage(), Array.isArray(other.passages) ? other.passages : []);
      } catch (e) {
        // the switch still opens the other version, at its top
      }
      navigate(docState(v.id, target));
    });
    return a;
  });
  nav.replaceChildren(el('span', { class: 'versions-label' }, 'Also in:'), ...links);
  show(nav, true);
}

// The passage the reader is at: the selected one, else the first one on screen.
function currentPassage() {
  if (state.p) return state.p;
  for (const node of document.querySelectorAll('#doc-body .passage')) {
    if (node.getBoundingClientRect().bottom > 80) return node.dataset.pid || null;
  }
  return null;
}

// The passage of the other version that stands where pid stands in this one: the same
// recommendation, else the same label (a numbered paragraph, an item), else the same place
// in the reading order.
function samePassage(mine, pid, theirs) {
  if (!pid || theirs.length === 0) return null;
  const i = mine.findIndex((p) => p.id === pid);
  if (i < 0) return null;
  const p = mine[i];
  let found = null;
  if (p.rec_key) found = theirs.find((q) => q.rec_key === p.rec_key);
  if (!found && p.label) {
    const same = theirs.filter((q) => q.label === p.label && q.kind === p.kind);
    if (same.length === 1) found = same[0];
  }
  if (!found) found = theirs[Math.min(theirs.length - 1, Math.round(i * theirs.length / mine.length))];
  return found ? found.id : null;
}

// The n-th file of a document as the daemon serves it.
function fileUrl(docId, n) {
  return `/api/file/${encodeURIComponent(docId)}/${n}`;
}

// The number (in doc.files) of the PDF of the document shown, 0 when it has none: a
// passage's page links into it.
let pdfFile = 0;

function renderPassage(p, re, isMatch) {
  const kind = p.kind || 'paragraph';
  const classes = ['passage', `kind-${kind}`];
  if (isMatch) classes.push('match');
  if (p.level) classes.push('is-rec');
  let marks = 0;
  const textNode = (tag, cls) => {
    const t = el(tag, { class: cls });
    marks += appendMarked(t, p.text || '', re);
    return t;
  };
  const permalink = el('a', { class: p.label ? 'plink' : 'plink bare', href: stateUrl(docState(state.doc, p.id)),
    'aria-label': `${passageLabel(p)}: show similar passages and link here` },
  p.label ? (kind === 'paragraph' ? `${p.label}.` : p.label) : '¶');
  permalink.addEventListener('click', (ev) => {
    if (!isPlainClick(ev)) return;
    ev.preventDefault();
    const next = docState(state.doc, p.id);
    navigate(next, { replace: true });
  });
  let node;
  if (kind === 'heading') {
    const depth = Array.isArray(p.section) ? p.section.length : 0;
    const tag = `h${Math.min(6, 2 + depth)}`;
    node = el('div', { class: classes.join(' ') }, textNode(tag, 'passage-heading'));
  } else {
    const extra = [];
    if (p.level || p.rec_id) {
      extra.push(el('div', { class: 'rec-head' }, levelBadge(p.level),
        p.rec_id ? el('span', { class: 'rec-id' }, `Recommendation ${p.rec_id}`) : null));
    }
    const page = Number.isInteger(p.page) && p.page > 0
      ? (pdfFile ? el('a', { class: 'page-link', href: `${fileUrl(state.doc, pdfFile)}#page=${p.page}` }, `p. ${p.page}`)
        : el('span', { class: 'page-link' }, `p. ${p.page}`))
      : null;
    node = el('div', { class: classes.join(' ') },
      el('div', { class: 'passage-gutter' }, permalink, page),
      el('div', { class: 'passage-main' }, extra, textNode('p', 'passage-text'), renderAddressees(p.addressees)));
  }
  node.id = `passage-${p.no}`;
  node.dataset.pid = p.id || '';
  node.tabIndex = -1;
  return { node, marks };
}

function renderDocMatches(matchIds, markCount) {
  const box = $('doc-matches');
  if (!state.q) {
    show(box, false);
    return;
  }
  if (matchIds.length === 0) {
    box.replaceChildren(el('p', null, markCount ? `Words of “${state.q}” are marked below.` : `No passage of this document matches “${state.q}”.`));
    show(box, true);
    return;
  }
  const step = (dir) => {
    const at = matchIds.indexOf(state.p);
    const to = at < 0 ? (dir > 0 ? 0 : matchIds.length - 1) : (at + dir + matchIds.length) % matchIds.length;
    navigate(docState(state.doc, matchIds[to]), { replace: true });
  };
  const prevB = el('button', { type: 'button', class: 'button secondary small' }, '↑ Previous match');
  const nextB = el('button', { type: 'button', class: 'button secondary small' }, 'Next match ↓');
  prevB.addEventListener('click', () => step(-1));
  nextB.addEventListener('click', () => step(1));
  box.replaceChildren(el('p', null, el('strong', null, plural(matchIds.length, 'passage', 'passages')),
    ` ${matchIds.length === 1 ? 'matches' : 'match'} “${state.q}”`), prevB, nextB);
  show(box, true);
}

function selectPassage(pid, { scroll = true, focusTitle = false } = {}) {
  if (!shownDoc) return;
  for (const old of document.querySelectorAll('.passage.selected')) old.classList.remove('selected');
  for (const old of document.querySelectorAll('.similar-panel')) old.remove();
  const node = pid ? shownDoc.nodes.get(pid) : null;
  if (!node) {
    if (focusTitle || scroll) {
      $('doc-title').focus({ preventScroll: true });
      if (scroll) window.scrollTo(0, 0);
    }
    return;
  }
  node.classList.add('selected');
  const panel = el('aside', { class: 'similar-panel', 'aria-label': 'Similar passages' },
    el('h3', null, 'Similar passages'), el('div', { class: 'similar' }, el('p', { class: 'hint' }, 'Loading…')));
  const main = node.querySelector('.passage-main') || node;
  main.append(panel);
  fillSimilar(panel.querySelector('.similar'), pid, 5);
  node.focus({ preventScroll: true });
  if (scroll) node.scrollIntoView({ block: 'center' });
}

$('back-link').addEventListener('click', (ev) => {
  if (!isPlainClick(ev)) return;
  ev.preventDefault();
  // Going back in history restores the scroll position of the view left.
  if (docReturn && docReturnIsPrev && history.state && history.state.fromApp) history.back();
  else navigate(docReturn ? cloneState(docReturn) : backToResultsState());
});


// ---------------------------------------------------------------------------------------
// Party view: what the Committee asked of one Party, by level and article.

let partySeq = 0;
let partyCounts = null;

function fillPartySelect() {
  const select = $('party-select');
  const opts = [el('option', { value: '' }, 'Choose a Party…')];
  for (const [code, name] of [...PARTIES].sort((a, b) => a[1].localeCompare(b[1]))) {
    const n = partyCounts ? partyCounts.get(code) : undefined;
    opts.push(el('option', { value: code }, n !== undefined ? `${name} (${formatCount(n)})` : name));
  }
  select.replaceChildren(...opts);
}

async function loadPartyCounts() {
  if (partyCounts) return;
  try {
    const data = await cachedJSON('/api/search?size=0&level=require&level=request&level=invite&level=urge&level=consider');
    partyCounts = new Map();
    // distinct recommendations: one stated in several documents and languages counts once
    for (const v of (data.facets && data.facets.addressee) || []) {
      partyCounts.set(String(v.value), Number(v.recs !== undefined ? v.recs : v.count) || 0);
    }
    const keep = $('party-select').value;
    fillPartySelect();
    $('party-select').value = keep;
  } catch (e) {
    // The picker still works without counts.
  }
}

async function fetchAllRecommendations(code, includeAll) {
  const hits = [];
  let facets = null;
  let total = 0;
  for (let offset = 0; offset < 1000; offset += 100) {
    const sp = new URLSearchParams();
    sp.append('addressee', code);
    if (includeAll) sp.append('addressee', 'all');
    sp.set('sort', 'order');
    sp.set('size', '100');
    if (offset) {
      sp.set('offset', String(offset));
      sp.set('facets', '0');
    }
    const data = await cachedJSON(`/api/search?${sp.toString()}`);
    if (!facets) facets = data.facets || {};
    total = data.total || 0;
    hits.push(...(data.hits || []));
    if (!data.hits || data.hits.length < 100 || hits.length >= total) break;
  }
  return { hits, facets, total };
}

async function renderPartyView(prev, scrollY) {
  const code = state.partyView;
  const name = code ? partyName(code) : '';
  document.title = code ? `${name}: recommendations — lanzasearch` : 'Recommendations by Party — lanzasearch';
  $('party-title').textContent = code ? `What the Committee asked of ${name}` : 'What the Committee asked of a Party';
  if ($('party-select').options.length <= 1) fillPartySelect();
  $('party-select').value = PARTY_NAMES.has(code) ? code : '';
  $('party-all').checked = state.all;
  loadPartyCounts();
  const out = $('party-results');
  show($('party-error'), false);
  if (!code) {
    $('party-summary').textContent = 'Choose a Party to list the recommendations addressed to it, grouped by level and by article of the Convention.';
    out.replaceChildren();
    return;
  }
  if (!PARTY_NAMES.has(code)) {
    $('party-summary').textContent = '';
    $('party-error').replaceChildren(`“${code}” is not the code of a Party to the Convention.`);
    show($('party-error'), true);
    out.replaceChildren();
    return;
  }
  const seq = ++partySeq;
  out.setAttribute('aria-busy', 'true');
  $('party-summary').textContent = `Loading the recommendations addressed to ${name}…`;
  try {
    const { hits, facets, total } = await fetchAllRecommendations(code, state.all);
    if (seq !== partySeq) return;
    for (const v of (facets && facets.article) || []) facetLabels.set(`article:${v.value}`, facetDisplay('article', String(v.value), v.label));
    renderPartyResults(code, hits, total);
    if (scrollY !== null) window.scrollTo(0, scrollY);
  } catch (e) {
    if (seq !== partySeq) return;
    $('party-summary').textContent = '';
    $('party-error').replaceChildren(`The recommendations could not be loaded: ${e.message}`);
    show($('party-error'), true);
    out.replaceChildren();
  } finally {
    if (seq === partySeq) out.removeAttribute('aria-busy');
  }
}

function articleTitle(base) {
  const seen = facetLabels.get(`article:${base}`);
  if (seen && seen !== base && !/^(Art\.|Article)\s*\S+$/.test(seen)) return seen.replace(ARTICLE_PREFIX, '');
  return ARTICLE_TITLES[base] || '';
}

// The copies of one recommendation (its passages in several documents and languages, by
// passage.rec_key), in reading order; a passage without a key stands alone.
function groupCopies(hits) {
  const groups = [];
  const byKey = new Map();
  for (const h of hits) {
    const key = h.passage && h.passage.rec_key;
    if (key && byKey.has(key)) {
      byKey.get(key).push(h);
      continue;
    }
    const g = [h];
    if (key) byKey.set(key, g);
    groups.push(g);
  }
  // The copy shown: in English and as first stated (not a restatement "R V-17"), if any.
  return groups.map((g) => {
    const score = (h) => (h.doc && h.doc.lang === 'en' ? 0 : 2) + (/^R /.test(h.passage.rec_id || '') ? 1 : 0);
    const main = g.reduce((best, h) => (score(h) < score(best) ? h : best), g[0]);
    return { main, copies: g.filter((h) => h !== main) };
  });
}

function renderPartyResults(code, hits, total) {
  const name = partyName(code);
  const groups = groupCopies(hits.filter((h) => h.passage));
  // addressed by name when any copy names the Party (a country factsheet restating a
  // recommendation to all Parties for it)
  const named = groups.filter((g) => [g.main, ...g.copies].some((h) => (h.passage.addressees || []).includes(code))).length;
  const toAll = groups.length - named;
  const summary = $('party-summary');
  summary.replaceChildren(el('strong', null, plural(groups.length, 'recommendation', 'recommendations')), ': ',
    `${formatCount(named)} addressed to ${name} by name`,
    state.all ? `, ${formatCount(toAll)} to all Parties` : '',
    hits.length > groups.length ? ` (stated in ${formatCount(hits.length)} passages of documents and their language versions)` : '',
    total > hits.length ? ` (the first ${formatCount(hits.length)} passages of ${formatCount(total)} are shown)` : '', '.');

  const searchState = {
    view: 'search', q: '', f: emptyFilters(), group: 'passage', sort: 'order', offset: 0, doc: null, p: null, partyView: '', all: true,
  };
  searchState.f.addressee = state.all ? [code, 'all'] : [code];
  const searchLink = el('a', { href: stateUrl(searchState) }, 'Open these in the search view');
  searchLink.addEventListener('click', (ev) => {
    if (!isPlainClick(ev)) return;
    ev.preventDefault();
    navigate(searchState);
  });

  if (groups.length === 0) {
    $('party-results').replaceChildren(el('p', { class: 'empty' }, `No recommendation in these documents is addressed to ${name}.`));
    return;
  }
  const byLevel = new Map();
  for (const g of groups) {
    const level = LEVELS.includes(g.main.passage.level) ? g.main.passage.level : 'other';
    if (!byLevel.has(level)) byLevel.set(level, []);
    byLevel.get(level).push(g);
  }
  const nameRe = termsRegExp([{ text: name, prefix: false }]);
  const sections = [];
  for (const level of [...LEVELS, 'other']) {
    const list = byLevel.get(level);
    if (!list) continue;
    const byArticle = new Map();
    for (const g of list) {
      const base = articleBase((g.main.passage.articles || [])[0]) || '';
      if (!byArticle.has(base)) byArticle.set(base, []);
      byArticle.get(base).push(g);
    }
    const articles = [...byArticle.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : Number(a) - Number(b)));
    const levelId = `level-${level}`;
    sections.push(el('section', { class: `level-group level-group-${level}`, 'aria-labelledby': levelId },
      el('h2', { id: levelId, class: 'level-heading' },
        level === 'other' ? el('span', null, 'Other recommendations') : levelBadge(level),
        el('span', { class: 'level-count' }, plural(list.length, 'recommendation', 'recommendations'))),
      LEVEL_INFO[level] ? el('p', { class: 'level-desc' }, LEVEL_INFO[level]) : null,
      articles.map((base) => el('section', { class: 'article-group' },
        el('h3', { class: 'article-heading' }, base ? `Article ${base}` : 'No article cited',
          base && articleTitle(base) ? el('span', { class: 'art-title' }, ` – ${articleTitle(base)}`) : null),
        el('ul', { class: 'rec-list' }, byArticle.get(base).map((g) => renderPartyRec(g, code, nameRe)))))));
  }
  $('party-results').replaceChildren(el('p', { class: 'party-links' }, searchLink), ...sections);
}

function renderPartyRec(group, code, nameRe) {
  const h = group.main;
  const p = h.passage;
  const d = h.doc || {};
  const addressees = p.addressees || [];
  const toAll = addressees.includes('all');
  const others = addressees.filter((c) => c !== code && c !== 'all');
  const text = el('p', { class: 'rec-text' });
  appendMarked(text, p.text || '', nameRe);
  let who;
  if (toAll) who = el('span', { class: 'badge to-all' }, 'Addressed to all Parties');
  else {
    who = el('span', { class: 'addr-named' }, `Addressed to ${partyName(code)}`,
      others.length ? ` and ${plural(others.length, 'other Party', 'other Parties')}` : ' only');
  }
  const details = others.length && !toAll
    ? el('details', { class: 'addr-details' }, el('summary', null, 'All addressees'),
      el('p', null, addressees.map(partyName).join(', ')))
    : null;
  // The other documents and languages that state the same recommendation.
  const copies = group.copies.length
    ? el('p', { class: 'rec-copies' }, 'Also stated in',
      ...group.copies.flatMap((c, i) => {
        const cd = c.doc || {};
        const lang = langLabel(cd.lang) || (cd.lang || '').toUpperCase();
        return [i ? ';' : ':', docLink(cd.id, c.id, `${cd.title || cd.ref || cd.id}${lang ? ` (${lang})` : ''}`)];
      }))
    : null;
  const id = p.rec_id ? p.rec_id.replace(/^R (?=[IVXLC]+-)/, '') : null;
  return el('li', { class: `rec-item${toAll ? ' rec-to-all' : ''}`, dataset: { rec: id || '', recKey: p.rec_key || '' } },
    el('div', { class: 'rec-head' },
      el('span', { class: 'rec-id' }, id ? `Recommendation ${id}` : passageLabel(p)), who),
    text,
    details,
    el('p', { class: 'rec-source' }, docLink(d.id, h.id, d.title || d.ref || d.id || 'Untitled document'),
      d.ref ? el('span', { class: 'ref' }, ` · ${d.ref}`) : null,
      d.date ? el('span', null, ` · ${formatDate(d.date)}`) : null,
      d.lang ? el('span', null, ` · ${langLabel(d.lang) || d.lang}`) : null,
      (p.articles || []).length ? el('span', null, ` · Art. ${p.articles.join(', ')}`) : null),
    copies);
}

// ---------------------------------------------------------------------------------------
// Wiring

let typeTimer = null;

function commitQuery(value, { typing }) {
  clearTimeout(typeTimer);
  const q = value.slice(0, 1024);
  if (q === state.q && state.view === 'search') return;
  const next = cloneState(state);
  next.q = q;
  next.offset = 0;
  next.view = 'search';
  next.doc = null;
  next.p = null;
  navigate(next, { replace: typing && typingEntry && state.view === 'search', typing });
}

$('q').addEventListener('input', (ev) => {
  clearTimeout(typeTimer);
  const value = ev.target.value;
  typeTimer = setTimeout(() => commitQuery(value, { typing: true }), TYPE_DEBOUNCE_MS);
});

$('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  commitQuery($('q').value, { typing: false });
  typingEntry = false;
});

for (const id of ['group-passage', 'group-document']) {
  $(id).addEventListener('change', (ev) => {
    const next = cloneState(state);
    next.group = ev.target.value === 'document' ? 'document' : 'passage';
    next.offset = 0;
    navigate(next);
  });
}

$('sort').addEventListener('change', (ev) => {
  const next = cloneState(state);
  next.sort = ev.target.value;
  next.offset = 0;
  navigate(next);
});

$('party-select').addEventListener('change', (ev) => {
  const next = cloneState(state);
  next.view = 'party';
  next.partyView = ev.target.value;
  navigate(next);
});

$('party-all').addEventListener('change', (ev) => {
  const next = cloneState(state);
  next.all = ev.target.checked;
  navigate(next, { replace: true });
});

$('party-form').addEventListener('submit', (ev) => ev.preventDefault());

$('nav-party').addEventListener('click', (ev) => {
  if (!isPlainClick(ev)) return;
  ev.preventDefault();
  const next = cloneState(state);
  next.view = 'party';
  navigate(next);
});

for (const id of ['nav-search', 'home-link']) {
  $(id).addEventListener('click', (ev) => {
    if (!isPlainClick(ev)) return;
    ev.preventDefault();
    const next = id === 'home-link' ? parseUrl('') : backToResultsState();
    if (id === 'home-link') $('q').value = '';
    navigate(next);
  });
}

// "/" focuses the search box from anywhere but a text field.
document.addEventListener('keydown', (ev) => {
  if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  const tag = t && t.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
  ev.preventDefault();
  const input = $('q');
  input.focus();
  input.select();
});

window.addEventListener('popstate', () => {
  if (state.view === 'doc') docReturn = null;
});

fillPartySelect();
history.replaceState({ ...(history.state || {}), fromApp: true }, '');
render(null, {});
