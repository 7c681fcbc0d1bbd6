/* read_odt.c — the ODT reader: an OpenDocument text package to blocks (see block.h).
 *
 * content.xml holds the text and its automatic styles; styles.xml the named styles, the
 * list and outline styles, and the master pages whose headers and footers become
 * furniture. Both are parsed before any block is emitted. Lists are numbered as
 * LibreOffice prints them, from the list styles' formats, prefixes, suffixes, start
 * values and displayed levels; footnotes (text:note) become marks and footnote blocks;
 * tracked changes are read as accepted (the body already holds the accepted text:
 * deletions live apart, in text:tracked-changes, which is skipped).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "block.h"
#include "listnum.h"
#include "lzs/file.h"
#include "lzs/hash.h"
#include "textacc.h"
#include "zipxml.h"

static const char *const OFFICE[] = {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", NULL};
static const char *const TEXT[] = {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", NULL};
static const char *const TABLE[] = {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", NULL};
static const char *const STYLE[] = {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", NULL};
static const char *const FO[] = {"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
                                 NULL};
static const char *const DRAW[] = {"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", NULL};
static const char *const MANIFEST[] = {"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0", NULL};
static const char *const XMLNS[] = {"http://www.w3.org/XML/1998/namespace", NULL};

#define ODT_NAME 64
#define ODT_LEVELS 10
#define CHAIN_MAX 32

/* ---- styles -------------------------------------------------------------------------- */

enum { SCOPE_NAMED = 'n', SCOPE_CONTENT = 'c', SCOPE_STYLES = 's' };

typedef signed char odt_tri_t;

typedef struct {
    char name[ODT_NAME];
    char parent[ODT_NAME];
    char list_style[ODT_NAME];
    size_t seq;  /* order of reading: the first of equal names wins */
    char family; /* 'p' paragraph, 't' text, 0 other */
    char scope;  /* SCOPE_*: where the style is defined */
    odt_tri_t bold, italic, hidden, center;
    int parent_idx;
} odt_style_t;

typedef struct {
    char kind; /* 'n' numbered, 'b' bullet or image, 0 undefined */
    lzs_numfmt_t fmt;
    char prefix[16], suffix[16];
    long start;
    int display; /* levels shown: "2.1.1" at level 3 shows 3 */
} odt_level_t;

typedef struct {
    char name[ODT_NAME];
    size_t seq;
    char scope;
    odt_level_t lvl[ODT_LEVELS];
} odt_liststyle_t;

/* The counters of one list (a text:list and the lists that continue it). */
typedef struct {
    long count[ODT_LEVELS];
    unsigned char started[ODT_LEVELS];
} odt_counter_t;

/* A map from a name (a list's xml:id, a list style's name) to a counter. */
typedef struct {
    char key[ODT_NAME];
    size_t val;
} odt_slot_t;

typedef struct {
    odt_slot_t *v; /* open addressing; an empty key is a free slot */
    size_t cap, n;
} odt_map_t;

typedef struct {
    const xmlNode *body;
    char label[32];
    int emitted;
} odt_note_t;

typedef struct {
    const char *name;
    lzs_blocks_t *out;
    lzs_zip_t *zip;
    xmlDocPtr content, styles_doc;
    odt_style_t *styles; /* sorted by family and name once read */
    size_t nstyles, capstyles;
    odt_liststyle_t *lists; /* sorted by name once read */
    size_t nlists, caplists;
    odt_liststyle_t outline;
    odt_counter_t *counters;
    size_t ncounters, capcounters;
    odt_map_t by_id;        /* xml:id of a top-level list -> its counters */
    odt_map_t by_style;     /* list style -> the counters of the last list in it */
    odt_counter_t headings; /* the outline numbering of headings */
    odt_note_t *notes;
    size_t nnotes, capnotes;
    char scope;    /* SCOPE_CONTENT while reading content.xml, SCOPE_STYLES for headers */
    int toc;       /* depth inside indexes (contents lists) */
    int in_note;   /* reading a note: notes inside are not followed */
    int furniture; /* reading a header or footer */
    int blank;     /* an empty paragraph stands before the next block */
    lzs_status_t st;
} odt_t;

/* Where a paragraph stands in a list. */
typedef struct {
    int depth;      /* 1-based nesting; 0 outside lists */
    size_t counter; /* index into counters */
    const odt_liststyle_t *style;
    int first;  /* the next paragraph is the item's first: it gets the label */
    int header; /* a text:list-header: no label */
    long start; /* text:start-value of the item, or -1 */
} odt_list_t;

/* The character properties in force. */
typedef struct {
    int bold, italic, hidden;
} odt_rpr_t;

/* Where the text of a paragraph goes. */
typedef struct {
    lzs_textacc_t *acc;
    lzs_textacc_t *outer; /* the cell or note the paragraph is part of; NULL when alone */
    size_t tab_at;        /* where the last tab stood in a contents entry, or SIZE_MAX */
} odt_runs_t;

static void read_blocks(odt_t *d, const xmlNode *parent, lzs_textacc_t *acc, odt_list_t *lc);

static void *grow(void *v, size_t n, size_t *cap, size_t sz, lzs_status_t *st)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(v, c * sz);
    if (p == NULL) {
        *st = LZS_ERR_NOMEM;
        return NULL;
    }
    *cap = c;
    return p;
}

static odt_tri_t weight(const char *v)
{
    if (v[0] == '\0')
        return -1;
    if (strcmp(v, "bold") == 0)
        return 1;
    if (strcmp(v, "normal") == 0)
        return 0;
    return strtol(v, NULL, 10) >= 600;
}

static void read_style(odt_t *d, const xmlNode *n, char scope)
{
    odt_style_t *v = grow(d->styles, d->nstyles, &d->capstyles, sizeof *v, &d->st);
    if (v == NULL)
        return;
    d->styles = v;
    odt_style_t *s = &d->styles[d->nstyles];
    char fam[32], val[32];
    memset(s, 0, sizeof *s);
    s->seq = d->nstyles++;
    s->scope = scope;
    s->bold = s->italic = s->hidden = s->center = -1;
    s->parent_idx = -1;
    lzs_xml_attr(n, STYLE, "name", s->name, sizeof s->name);
    lzs_xml_attr(n, STYLE, "parent-style-name", s->parent, sizeof s->parent);
    lzs_xml_attr(n, STYLE, "list-style-name", s->list_style, sizeof s->list_style);
    lzs_xml_attr(n, STYLE, "family", fam, sizeof fam);
    s->family = strcmp(fam, "paragraph") == 0 ? 'p' : strcmp(fam, "text") == 0 ? 't' : 0;
    const xmlNode *tp = lzs_xml_child(n, STYLE, "text-properties");
    if (tp) {
        if (lzs_xml_attr(tp, FO, "font-weight", val, sizeof val))
            s->bold = weight(val);
        if (lzs_xml_attr(tp, FO, "font-style", val, sizeof val))
            s->italic = strcmp(val, "italic") == 0 || strcmp(val, "oblique") == 0;
        if (lzs_xml_attr(tp, TEXT, "display", val, sizeof val))
            s->hidden = strcmp(val, "none") == 0;
    }
    const xmlNode *pp = lzs_xml_child(n, STYLE, "paragraph-properties");
    if (pp && lzs_xml_attr(pp, FO, "text-align", val, sizeof val))
        s->center = strcmp(val, "center") == 0;
}

static const struct {
    const char *name;
    lzs_numfmt_t fmt;
} num_formats[] = {
    {"1", LZS_NUM_DECIMAL},     {"a", LZS_NUM_LOWER_LETTER2}, {"A", LZS_NUM_UPPER_LETTER2},
    {"i", LZS_NUM_LOWER_ROMAN}, {"I", LZS_NUM_UPPER_ROMAN},   {"", LZS_NUM_NONE},
};

static lzs_numfmt_t num_format(const char *name, int letter_sync)
{
    for (size_t i = 0; i < sizeof num_formats / sizeof num_formats[0]; i++) {
        if (strcmp(num_formats[i].name, name) != 0)
            continue;
        lzs_numfmt_t f = num_formats[i].fmt;
        if (letter_sync && f == LZS_NUM_LOWER_LETTER2)
            return LZS_NUM_LOWER_LETTER;
        if (letter_sync && f == LZS_NUM_UPPER_LETTER2)
            return LZS_NUM_UPPER_LETTER;
        return f;
    }
    return LZS_NUM_DECIMAL;
}

static void read_level(const xmlNode *n, odt_level_t *l)
{
    char v[32];
    int number = lzs_xml_is(n, TEXT, "list-level-style-number") ||
                 lzs_xml_is(n, TEXT, "outline-level-style");
    memset(l, 0, sizeof *l);
    l->kind = number ? 'n' : 'b';
    l->start = 1;
    l->display = 1;
    if (!number)
        return;
    lzs_xml_attr(n, STYLE, "num-letter-sync", v, sizeof v);
    int sync = strcmp(v, "true") == 0;
    lzs_xml_attr(n, STYLE, "num-format", v, sizeof v);
    l->fmt = num_format(v, sync);
    lzs_xml_attr(n, STYLE, "num-prefix", l->prefix, sizeof l->prefix);
    lzs_xml_attr(n, STYLE, "num-suffix", l->suffix, sizeof l->suffix);
    if (lzs_xml_attr(n, TEXT, "start-value", v, sizeof v) && v[0])
        l->start = strtol(v, NULL, 10);
    if (lzs_xml_attr(n, TEXT, "display-levels", v, sizeof v) && v[0])
        l->display = (int)strtol(v, NULL, 10);
    if (l->display < 1 || l->display > ODT_LEVELS)
        l->display = 1;
}

static void read_list_style(const xmlNode *n, odt_liststyle_t *ls, char scope)
{
    memset(ls, 0, sizeof *ls);
    ls->scope = scope;
    lzs_xml_attr(n, STYLE, "name", ls->name, sizeof ls->name);
    for (const xmlNode *c = n->children; c; c = c->next) {
        char v[16];
        if (!lzs_xml_elem(c, TEXT) || !lzs_xml_attr(c, TEXT, "level", v, sizeof v))
            continue;
        long lv = strtol(v, NULL, 10);
        if (lv >= 1 && lv <= ODT_LEVELS)
            read_level(c, &ls->lvl[lv - 1]);
    }
}

/* Reads the styles of office:styles or office:automatic-styles. */
static void read_styles(odt_t *d, const xmlNode *parent, char scope)
{
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
        if (lzs_xml_is(c, STYLE, "style")) {
            read_style(d, c, scope);
        } else if (lzs_xml_is(c, TEXT, "list-style")) {
            odt_liststyle_t *v = grow(d->lists, d->nlists, &d->caplists, sizeof *v, &d->st);
            if (v == NULL)
                return;
            d->lists = v;
            read_list_style(c, &d->lists[d->nlists], scope);
            d->lists[d->nlists].seq = d->nlists;
            d->nlists++;
        } else if (lzs_xml_is(c, TEXT, "outline-style") && scope == SCOPE_NAMED) {
            read_list_style(c, &d->outline, scope);
        }
    }
}

/* Styles and list styles are looked up at every paragraph and span: sorted by family
 * and name, then by order of reading. */
static int cmp_style(const void *a, const void *b)
{
    const odt_style_t *x = a, *y = b;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_list_style(const void *a, const void *b)
{
    const odt_liststyle_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A style by family and name, as seen from the current scope: the scope's automatic
 * styles first, then the named ones. */
static int style_find(const odt_t *d, char family, const char *name, char scope)
{
    if (name[0] == '\0')
        return -1;
    size_t lo = 0, hi = d->nstyles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const odt_style_t *m = &d->styles[mid];
        if (m->family < family || (m->family == family && strcmp(m->name, name) < 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    int named = -1;
    for (size_t i = lo; i < d->nstyles; i++) {
        const odt_style_t *s = &d->styles[i];
        if (s->family != family || strcmp(s->name, name) != 0)
            break;
        if (s->scope == scope)
            return (int)i;
        if (s->scope == SCOPE_NAMED && named < 0)
            named = (int)i;
    }
    return named;
}

static const odt_liststyle_t *list_style_find(const odt_t *d, const char *name)
{
    if (name[0] == '\0')
        return NULL;
    size_t lo = 0, hi = d->nlists;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->lists[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const odt_liststyle_t *named = NULL;
    for (size_t i = lo; i < d->nlists && strcmp(d->lists[i].name, name) == 0; i++) {
        const odt_liststyle_t *s = &d->lists[i];
        if (s->scope == d->scope)
            return s;
        if (s->scope == SCOPE_NAMED && named == NULL)
            named = s;
    }
    return named;
}

static void link_parents(odt_t *d)
{
    /* A document may have no styles at all: qsort wants a pointer even for none. */
    if (d->nstyles > 1)
        qsort(d->styles, d->nstyles, sizeof *d->styles, cmp_style);
    if (d->nlists > 1)
        qsort(d->lists, d->nlists, sizeof *d->lists, cmp_list_style);
    for (size_t i = 0; i < d->nstyles; i++) {
        odt_style_t *s = &d->styles[i];
        /* Parents are always named styles. */
        int p = style_find(d, s->family, s->parent, SCOPE_NAMED);
        s->parent_idx = p == (int)i ? -1 : p;
    }
}

typedef enum { PROP_BOLD, PROP_ITALIC, PROP_HIDDEN, PROP_CENTER } odt_prop_t;

static odt_tri_t style_prop(const odt_t *d, int s, odt_prop_t prop)
{
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = d->styles[s].parent_idx) {
        const odt_style_t *st = &d->styles[s];
        odt_tri_t v = prop == PROP_BOLD     ? st->bold
                      : prop == PROP_ITALIC ? st->italic
                      : prop == PROP_HIDDEN ? st->hidden
                                            : st->center;
        if (v >= 0)
            return v;
    }
    return -1;
}

/* The first named style of a paragraph style chain: the style the author chose, which
 * names what the paragraph is ("Title", "Contents_20_1"). */
static const char *named_style(const odt_t *d, int s)
{
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = d->styles[s].parent_idx)
        if (d->styles[s].scope == SCOPE_NAMED)
            return d->styles[s].name;
    return "";
}

/* 1 when a paragraph style is LibreOffice's "Caption", one of the caption styles built
 * on it ("Table", "Illustration", "Figure", "Drawing"), or named as one ("TableCaption",
 * pandoc's, which it does not define). named: the name the paragraph gives. */
static int is_caption_style(const odt_t *d, int s, const char *named)
{
    size_t n = strlen(named);
    if (n >= 7 && strcmp(named + n - 7, "Caption") == 0)
        return 1;
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = d->styles[s].parent_idx)
        if (d->styles[s].scope == SCOPE_NAMED && strcmp(d->styles[s].name, "Caption") == 0)
            return 1;
    return 0;
}

static const char *list_style_of(const odt_t *d, int s)
{
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = d->styles[s].parent_idx)
        if (d->styles[s].list_style[0])
            return d->styles[s].list_style;
    return "";
}

/* ---- list numbering ------------------------------------------------------------------- */

static size_t map_get(const odt_map_t *m, const char *key)
{
    if (m->cap == 0 || key[0] == '\0')
        return SIZE_MAX;
    for (size_t i = (size_t)lzs_hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->v[i].key[0] == '\0')
            return SIZE_MAX;
        if (strcmp(m->v[i].key, key) == 0)
            return m->v[i].val;
    }
}

static void map_put(odt_t *d, odt_map_t *m, const char *key, size_t val)
{
    if (key[0] == '\0')
        return;
    if (2 * (m->n + 1) > m->cap) {
        /* Grow to keep the table at most half full, then place every key again. */
        odt_map_t g = {calloc(m->cap ? m->cap * 2 : 64, sizeof *g.v), m->cap ? m->cap * 2 : 64, 0};
        if (g.v == NULL) {
            d->st = LZS_ERR_NOMEM;
            return;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->v[i].key[0] == '\0')
                continue;
            size_t j = (size_t)lzs_hash_str(m->v[i].key) & (g.cap - 1);
            while (g.v[j].key[0] != '\0')
                j = (j + 1) & (g.cap - 1);
            g.v[j] = m->v[i];
            g.n++;
        }
        free(m->v);
        *m = g;
    }
    size_t i = (size_t)lzs_hash_str(key) & (m->cap - 1);
    while (m->v[i].key[0] != '\0' && strcmp(m->v[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (m->v[i].key[0] == '\0') {
        snprintf(m->v[i].key, sizeof m->v[i].key, "%s", key);
        m->n++;
    }
    m->v[i].val = val;
}

static size_t new_counter(odt_t *d)
{
    odt_counter_t *v = grow(d->counters, d->ncounters, &d->capcounters, sizeof *v, &d->st);
    if (v == NULL)
        return SIZE_MAX;
    d->counters = v;
    memset(&d->counters[d->ncounters], 0, sizeof d->counters[0]);
    return d->ncounters++;
}

/* The counters a top-level text:list numbers with: those of the list it continues
 * (text:continue-list naming its xml:id, or text:continue-numbering: the last list of its
 * style), else new ones. */
static size_t list_counter(odt_t *d, const xmlNode *list, const char *style)
{
    char id[ODT_NAME], cont[ODT_NAME], flag[16];
    size_t c = SIZE_MAX;
    lzs_xml_attr(list, XMLNS, "id", id, sizeof id);
    if (lzs_xml_attr(list, TEXT, "continue-list", cont, sizeof cont))
        c = map_get(&d->by_id, cont);
    lzs_xml_attr(list, TEXT, "continue-numbering", flag, sizeof flag);
    if (c == SIZE_MAX && strcmp(flag, "true") == 0)
        c = map_get(&d->by_style, style);
    if (c == SIZE_MAX)
        c = new_counter(d);
    if (c != SIZE_MAX) {
        map_put(d, &d->by_id, id, c);
        map_put(d, &d->by_style, style, c);
    }
    return c;
}

/* Counts one more numbered paragraph at level lv (0-based) of c and writes its label. */
static void number_label(odt_counter_t *c, const odt_liststyle_t *ls, int lv, long start, char *buf,
                         size_t cap)
{
    const odt_level_t *l = &ls->lvl[lv];
    buf[0] = '\0';
    if (start >= 0) {
        c->count[lv] = start;
        c->started[lv] = 1;
    } else if (c->started[lv]) {
        c->count[lv]++;
    } else {
        c->count[lv] = l->start;
        c->started[lv] = 1;
    }
    for (int k = lv + 1; k < ODT_LEVELS; k++)
        c->started[k] = 0;
    if (l->kind == 'b') {
        snprintf(buf, cap, "\u2022");
        return;
    }
    if (l->kind != 'n')
        return;
    size_t n = (size_t)snprintf(buf, cap, "%s", l->prefix);
    if (l->fmt != LZS_NUM_NONE) {
        int first = lv - l->display + 1;
        for (int k = first < 0 ? 0 : first; k <= lv && n + 1 < cap; k++) {
            const odt_level_t *lk = &ls->lvl[k];
            long v = c->started[k] ? c->count[k] : lk->start;
            if (k > (first < 0 ? 0 : first) && n + 1 < cap)
                buf[n++] = '.';
            n += lzs_num_format(v, lk->kind == 'n' ? lk->fmt : LZS_NUM_DECIMAL, buf + n, cap - n);
        }
    }
    if (n < cap)
        snprintf(buf + n, cap - n, "%s", l->suffix);
}

/* ---- inline content ------------------------------------------------------------------- */

static void span_props(const odt_t *d, const xmlNode *n, odt_rpr_t *rp)
{
    char name[ODT_NAME];
    lzs_xml_attr(n, TEXT, "style-name", name, sizeof name);
    int s = style_find(d, 't', name, d->scope);
    odt_tri_t bold = style_prop(d, s, PROP_BOLD);
    odt_tri_t italic = style_prop(d, s, PROP_ITALIC);
    odt_tri_t hidden = style_prop(d, s, PROP_HIDDEN);
    if (bold >= 0)
        rp->bold = bold;
    if (italic >= 0)
        rp->italic = italic;
    if (hidden >= 0)
        rp->hidden = hidden;
}

/* A footnote: its citation as a mark, the note queued after the paragraph. Endnotes are
 * printed at the end of the document, not beside the text: they are left out. */
static void note_ref(odt_t *d, const xmlNode *note, odt_runs_t *rc)
{
    char cls[32], label[32] = "";
    lzs_xml_attr(note, TEXT, "note-class", cls, sizeof cls);
    if (d->in_note || d->furniture || (cls[0] && strcmp(cls, "footnote") != 0))
        return;
    const xmlNode *cit = lzs_xml_child(note, TEXT, "note-citation");
    char raw[64];
    size_t n = 0;
    if (!lzs_xml_attr(cit, TEXT, "label", raw, sizeof raw) || raw[0] == '\0') {
        /* The citation as printed: its text (a custom label is written there too). */
        for (const xmlNode *t = cit ? cit->children : NULL; t && n + 1 < sizeof raw; t = t->next)
            if (t->type == XML_TEXT_NODE && t->content)
                for (const char *s = (const char *)t->content; *s && n + 1 < sizeof raw; s++)
                    raw[n++] = *s;
        raw[n] = '\0';
    }
    lzs_textacc_label(raw, strlen(raw), label, sizeof label);
    char *end;
    unsigned long num = strtoul(label, &end, 10);
    if (label[0] >= '0' && label[0] <= '9' && *end == '\0' && num > 0 && num < UINT32_MAX)
        lzs_textacc_mark(rc->acc, (unsigned)num);
    odt_note_t *v = grow(d->notes, d->nnotes, &d->capnotes, sizeof *v, &d->st);
    if (v == NULL)
        return;
    d->notes = v;
    odt_note_t *nt = &d->notes[d->nnotes];
    memset(nt, 0, sizeof *nt);
    nt->body = lzs_xml_child(note, TEXT, "note-body");
    snprintf(nt->label, sizeof nt->label, "%s", label[0] ? label : "*");
    lzs_textacc_note(rc->outer ? rc->outer : rc->acc, d->nnotes++);
}

/* Text frames and shapes with text: their paragraphs are read where they are anchored,
 * into outer when they stand in a cell or a note. */
static void read_frames(odt_t *d, const xmlNode *n, lzs_textacc_t *outer)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (lzs_xml_is(c, TEXT, "p") || lzs_xml_is(c, TEXT, "list")) {
            read_blocks(d, n, outer, NULL); /* a shape's own text */
            return;
        }
    }
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (lzs_xml_is(c, DRAW, "text-box"))
            read_blocks(d, c, outer, NULL);
        else if (lzs_xml_elem(c, DRAW))
            read_frames(d, c, outer);
    }
}

/* Elements of the text namespace inside a paragraph that print nothing of the text:
 * page numbers, hidden text, cached list labels, declarations, scripts. Every other
 * element of the namespace is read for the text it holds. */
static int silent(const char *e)
{
    static const char *const names[] = {"page-number",
                                        "page-count",
                                        "page-continuation",
                                        "page-continuation-string",
                                        "hidden-text",
                                        "hidden-paragraph",
                                        "number",
                                        "tracked-changes",
                                        "ruby-text",
                                        "script",
                                        "sequence-decls",
                                        "variable-decls",
                                        "user-field-decls",
                                        "note-citation",
                                        "drop-down"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(e, names[i]) == 0)
            return 1;
    return 0;
}

static void read_inline(odt_t *d, const xmlNode *parent, odt_runs_t *rc, const odt_rpr_t *rp)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            if (!rp->hidden && c->content)
                lzs_textacc_text(rc->acc, (const char *)c->content,
                                 strlen((const char *)c->content), rp->bold, rp->italic);
            continue;
        }
        const char *e = lzs_xml_elem(c, TEXT);
        if (e == NULL) {
            if (lzs_xml_elem(c, DRAW))
                read_frames(d, c, rc->outer);
            /* office:annotation (a comment) and anything else: not the text. */
            continue;
        }
        if (strcmp(e, "line-break") == 0) {
            if (!rp->hidden)
                lzs_textacc_break(rc->acc);
        } else if (strcmp(e, "s") == 0) {
            if (!rp->hidden)
                lzs_textacc_raw(rc->acc, " ", 1);
        } else if (strcmp(e, "tab") == 0) {
            if (!rp->hidden) {
                lzs_textacc_raw(rc->acc, " ", 1);
                rc->tab_at = rc->acc->n;
            }
        } else if (strcmp(e, "span") == 0) {
            odt_rpr_t inner = *rp;
            span_props(d, c, &inner);
            read_inline(d, c, rc, &inner);
        } else if (strcmp(e, "note") == 0) {
            if (!rp->hidden)
                note_ref(d, c, rc);
        } else if (strcmp(e, "ruby") == 0) {
            const xmlNode *base = lzs_xml_child(c, TEXT, "ruby-base");
            if (base)
                read_inline(d, base, rc, rp);
        } else if (!silent(e)) {
            read_inline(d, c, rc, rp);
        }
    }
}

/* ---- paragraphs -------------------------------------------------------------------------- */

static void emit_notes(odt_t *d, lzs_textacc_t *a)
{
    for (size_t i = 0; i < a->nnotes; i++) {
        odt_note_t *nt = &d->notes[a->notes[i]];
        if (nt->emitted || nt->body == NULL)
            continue;
        nt->emitted = 1;
        lzs_textacc_t na;
        lzs_textacc_init(&na);
        d->in_note++;
        read_blocks(d, nt->body, &na, NULL);
        d->in_note--;
        if (na.visible || na.st != LZS_OK) {
            lzs_block_t *b = lzs_textacc_emit(&na, d->out, LZS_BLOCK_FOOTNOTE, 0);
            if (b)
                snprintf(b->number, sizeof b->number, "%s", d->notes[a->notes[i]].label);
        }
        lzs_textacc_free(&na);
    }
}

/* A page number at the end of a contents entry ("Introduction<tab>3") is not its text. */
static void cut_page_number(lzs_textacc_t *a, size_t tab_at)
{
    if (tab_at == SIZE_MAX || tab_at > a->n)
        return;
    for (size_t i = tab_at; i < a->n; i++)
        if (!strchr("0123456789ivxlcdmIVXLCDM ", a->text[i]))
            return;
    a->n = tab_at;
    a->text[a->n] = '\0';
}

/* The outline level of a heading (text:h), 1 when it says none or less. */
static int heading_level(const xmlNode *p)
{
    char v[ODT_NAME];
    int level = 1;
    if (lzs_xml_attr(p, TEXT, "outline-level", v, sizeof v) && v[0])
        level = (int)strtol(v, NULL, 10);
    return level < 1 ? 1 : level;
}

/* The paragraph's label into label (size bytes; "" for none): the list item's number on
 * its first paragraph, or a heading's outline number. Returns 1 when it is a list item's. */
static int para_label(odt_t *d, const xmlNode *p, odt_list_t *lc, int s, int heading, int level,
                      char *label, size_t size)
{
    label[0] = '\0';
    if (lc && lc->depth > 0 && lc->first) {
        lc->first = 0;
        const odt_liststyle_t *ls = lc->style;
        if (ls == NULL)
            ls = list_style_find(d, list_style_of(d, s));
        if (!lc->header && ls && lc->counter < d->ncounters) {
            int lv = lc->depth <= ODT_LEVELS ? lc->depth - 1 : ODT_LEVELS - 1;
            number_label(&d->counters[lc->counter], ls, lv, lc->start, label, size);
            return 1;
        }
    } else if (heading && d->outline.lvl[0].kind) {
        char flag[16], v[ODT_NAME];
        int lv = level <= ODT_LEVELS ? level - 1 : ODT_LEVELS - 1;
        lzs_xml_attr(p, TEXT, "is-list-header", flag, sizeof flag);
        if (strcmp(flag, "true") != 0) {
            long start = -1;
            lzs_xml_attr(p, TEXT, "restart-numbering", flag, sizeof flag);
            if (strcmp(flag, "true") == 0)
                start = lzs_xml_attr(p, TEXT, "start-value", v, sizeof v) && v[0]
                            ? strtol(v, NULL, 10)
                            : d->outline.lvl[lv].start;
            number_label(&d->headings, &d->outline, lv, start, label, size);
        }
    }
    return 0;
}

/* The kind of block a paragraph of style s makes, its flags into *flags and its level
 * into *level (a heading's outline level on entry). */
static lzs_block_kind_t para_kind(const odt_t *d, int s, const char *named, int heading, int title,
                                  int listed, const odt_list_t *lc, int *level, unsigned *flags)
{
    lzs_block_kind_t kind = LZS_BLOCK_PARAGRAPH;
    *flags = 0;
    if (heading) {
        kind = LZS_BLOCK_HEADING;
        *level = *level < 6 ? *level : 6;
    } else if (title) {
        kind = LZS_BLOCK_HEADING;
        *level = 1;
        *flags |= LZS_BF_TITLE;
    } else if (listed) {
        /* Deeper lists print with the last level's style, as LibreOffice's ten levels do. */
        kind = LZS_BLOCK_LIST_ITEM;
        *level = lc->depth < ODT_LEVELS ? lc->depth : ODT_LEVELS;
    }
    if (d->toc || strncmp(named, "Contents_20_", 12) == 0)
        *flags |= LZS_BF_TOC;
    if (is_caption_style(d, s, named))
        *flags |= LZS_BF_CAPTION;
    if (style_prop(d, s, PROP_CENTER) == 1)
        *flags |= LZS_BF_CENTERED;
    if (d->blank)
        *flags |= LZS_BF_BLANK_BEFORE;
    return kind;
}

/* Reads paragraph or heading p: into acc when a caller gathers several (a table cell),
 * else as a block of its own, followed by its notes. */
static void read_para(odt_t *d, const xmlNode *p, lzs_textacc_t *acc, odt_list_t *lc)
{
    int heading = lzs_xml_is(p, TEXT, "h");
    char sname[ODT_NAME];
    lzs_xml_attr(p, TEXT, "style-name", sname, sizeof sname);
    int s = style_find(d, 'p', sname, d->scope);
    /* A style used but not defined is one of LibreOffice's own (pandoc writes "Title"
     * without defining it): its name is still the author's choice. */
    const char *named = s >= 0 ? named_style(d, s) : sname;
    int title = !heading && strcmp(named, "Title") == 0;
    int level = heading ? heading_level(p) : 0;

    lzs_textacc_t own;
    lzs_textacc_init(&own);
    lzs_textacc_t *a = acc ? acc : &own;
    if (acc)
        lzs_textacc_raw(acc, " ", 1);

    char label[128];
    int listed = para_label(d, p, lc, s, heading, level, label, sizeof label);
    if (label[0]) {
        lzs_textacc_raw(a, label, strlen(label));
        lzs_textacc_raw(a, " ", 1);
    }

    odt_rpr_t rp = {style_prop(d, s, PROP_BOLD) == 1, style_prop(d, s, PROP_ITALIC) == 1,
                    style_prop(d, s, PROP_HIDDEN) == 1};
    odt_runs_t rc = {a, acc, SIZE_MAX};
    read_inline(d, p, &rc, &rp);
    if (acc)
        return;

    if (d->furniture) {
        lzs_textacc_furniture(a, d->out);
        lzs_textacc_free(&own);
        return;
    }
    if (d->toc)
        cut_page_number(a, rc.tab_at);
    /* Only a label ("3.", "•") and no text of the author's: an empty line. */
    if (!a->visible && a->st == LZS_OK) {
        if (a->nmarks == 0)
            d->blank = 1;
        emit_notes(d, a);
        lzs_textacc_free(&own);
        return;
    }
    unsigned flags;
    lzs_block_kind_t kind = para_kind(d, s, named, heading, title, listed, lc, &level, &flags);
    lzs_block_t *b = lzs_textacc_emit(a, d->out, kind, flags);
    if (b) {
        b->level = level;
        d->blank = 0;
        emit_notes(d, a);
    }
    lzs_textacc_free(&own);
}

/* ---- lists ---------------------------------------------------------------------------- */

static void read_list(odt_t *d, const xmlNode *list, lzs_textacc_t *acc, const odt_list_t *outer)
{
    char name[ODT_NAME];
    lzs_xml_attr(list, TEXT, "style-name", name, sizeof name);
    odt_list_t lc;
    memset(&lc, 0, sizeof lc);
    lc.depth = outer ? outer->depth + 1 : 1;
    lc.style = list_style_find(d, name);
    if (lc.style == NULL && outer)
        lc.style = outer->style;
    if (outer && outer->depth > 0) {
        lc.counter = outer->counter;
    } else {
        lc.counter = list_counter(d, list, name);
        if (lc.counter == SIZE_MAX)
            return;
    }
    for (const xmlNode *c = list->children; c; c = c->next) {
        int item = lzs_xml_is(c, TEXT, "list-item");
        if (!item && !lzs_xml_is(c, TEXT, "list-header"))
            continue;
        char v[32];
        odt_list_t ic = lc;
        ic.first = 1;
        ic.header = !item;
        ic.start = -1;
        if (item && lzs_xml_attr(c, TEXT, "start-value", v, sizeof v) && v[0])
            ic.start = strtol(v, NULL, 10);
        read_blocks(d, c, acc, &ic);
    }
}

/* ---- tables ------------------------------------------------------------------------------ */

static long repeat(const xmlNode *n, const char *attr)
{
    char v[16];
    if (!lzs_xml_attr(n, TABLE, attr, v, sizeof v) || v[0] == '\0')
        return 1;
    long r = strtol(v, NULL, 10);
    return r >= 1 && r <= 1000000 ? r : 1;
}

static void read_cell(odt_t *d, const xmlNode *cell, unsigned row, unsigned col, lzs_textacc_t *acc)
{
    if (acc) {
        read_blocks(d, cell, acc, NULL);
        return;
    }
    lzs_textacc_t ca;
    lzs_textacc_init(&ca);
    read_blocks(d, cell, &ca, NULL);
    if (d->furniture) {
        lzs_textacc_furniture(&ca, d->out);
    } else if (ca.visible || ca.st != LZS_OK) {
        lzs_block_t *b =
            lzs_textacc_emit(&ca, d->out, LZS_BLOCK_TABLE_CELL, d->blank ? LZS_BF_BLANK_BEFORE : 0);
        if (b) {
            b->row = row;
            b->col = col;
            d->blank = 0;
        }
    }
    emit_notes(d, &ca);
    lzs_textacc_free(&ca);
}

static void read_rows(odt_t *d, const xmlNode *parent, unsigned *row, lzs_textacc_t *acc)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, TABLE);
        if (e == NULL)
            continue;
        if (strcmp(e, "table-row") == 0) {
            /* Repeated rows and cells are read once: they repeat emptiness, as a rule. */
            unsigned r = *row + 1, col = 0;
            for (const xmlNode *cell = c->children; cell; cell = cell->next) {
                if (lzs_xml_is(cell, TABLE, "table-cell"))
                    read_cell(d, cell, r, col + 1, acc);
                if (lzs_xml_is(cell, TABLE, "table-cell") ||
                    lzs_xml_is(cell, TABLE, "covered-table-cell"))
                    col += (unsigned)repeat(cell, "number-columns-repeated");
            }
            *row += (unsigned)repeat(c, "number-rows-repeated");
        } else if (strcmp(e, "table-header-rows") == 0 || strcmp(e, "table-rows") == 0 ||
                   strcmp(e, "table-row-group") == 0) {
            read_rows(d, c, row, acc);
        }
    }
}

/* ---- block-level content ------------------------------------------------------------------ */

static int is_index(const char *e)
{
    static const char *const names[] = {
        "table-of-content", "illustration-index", "table-index", "object-index",
        "user-index",       "alphabetical-index", "bibliography"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(e, names[i]) == 0)
            return 1;
    return 0;
}

static void read_blocks(odt_t *d, const xmlNode *parent, lzs_textacc_t *acc, odt_list_t *lc)
{
    if (parent == NULL)
        return;
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, TEXT);
        if (e != NULL) {
            if (strcmp(e, "p") == 0 || strcmp(e, "h") == 0) {
                read_para(d, c, acc, lc);
            } else if (strcmp(e, "list") == 0) {
                /* An item whose first content is a list has no paragraph to number. */
                if (lc)
                    lc->first = 0;
                read_list(d, c, acc, lc);
            } else if (strcmp(e, "section") == 0) {
                char v[16];
                lzs_xml_attr(c, TEXT, "display", v, sizeof v);
                if (strcmp(v, "none") != 0)
                    read_blocks(d, c, acc, lc);
            } else if (is_index(e)) {
                d->toc++;
                read_blocks(d, lzs_xml_child(c, TEXT, "index-body"), acc, NULL);
                d->toc--;
            } else if (strcmp(e, "index-title") == 0) {
                read_blocks(d, c, acc, NULL);
            }
            /* text:tracked-changes holds what was deleted; declarations hold no text. */
            continue;
        }
        if (lzs_xml_is(c, TABLE, "table")) {
            unsigned row = 0;
            read_rows(d, c, &row, acc);
        } else if (lzs_xml_elem(c, DRAW)) {
            read_frames(d, c, acc);
        } else if (lzs_xml_elem(c, STYLE)) {
            /* The regions of a header or footer (style:region-left, -center, -right). */
            read_blocks(d, c, acc, lc);
        }
    }
}

/* ---- the reader ------------------------------------------------------------------------- */

static lzs_status_t check_package(odt_t *d, char **errmsg)
{
    if (lzs_zip_has(d->zip, "mimetype")) {
        char *mt;
        size_t n;
        lzs_status_t st = lzs_zip_read(d->zip, "mimetype", &mt, &n, errmsg);
        if (st != LZS_OK)
            return st;
        static const char odf[] = "application/vnd.oasis.opendocument.";
        static const char odt[] = "application/vnd.oasis.opendocument.text";
        int other = strncmp(mt, odf, sizeof odf - 1) == 0 && strncmp(mt, odt, sizeof odt - 1) != 0;
        if (other)
            lzs_set_errmsg(errmsg, "%s: not an OpenDocument text (%.60s); not supported", d->name,
                           mt);
        free(mt);
        if (other)
            return LZS_ERR_UNSUPPORTED;
    }
    if (lzs_zip_has(d->zip, "META-INF/manifest.xml")) {
        xmlDocPtr man;
        lzs_status_t st = lzs_zip_read_xml(d->zip, "META-INF/manifest.xml", &man, errmsg);
        if (st != LZS_OK)
            return st;
        int encrypted = 0;
        const xmlNode *root = xmlDocGetRootElement(man);
        for (const xmlNode *f = root->children; f && !encrypted; f = f->next)
            if (lzs_xml_is(f, MANIFEST, "file-entry") &&
                lzs_xml_child(f, MANIFEST, "encryption-data"))
                encrypted = 1;
        xmlFreeDoc(man);
        if (encrypted) {
            lzs_set_errmsg(errmsg, "%s: encrypted document; not supported", d->name);
            return LZS_ERR_UNSUPPORTED;
        }
    }
    if (!lzs_zip_has(d->zip, "content.xml")) {
        lzs_set_errmsg(errmsg, "%s: not an OpenDocument text: no content.xml in the archive",
                       d->name);
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}

static lzs_status_t load_parts(odt_t *d, const xmlNode **text, char **errmsg)
{
    lzs_status_t st = check_package(d, errmsg);
    if (st == LZS_OK)
        st = lzs_zip_read_xml(d->zip, "content.xml", &d->content, errmsg);
    if (st == LZS_OK && lzs_zip_has(d->zip, "styles.xml"))
        st = lzs_zip_read_xml(d->zip, "styles.xml", &d->styles_doc, errmsg);
    if (st != LZS_OK)
        return st;
    const xmlNode *root = xmlDocGetRootElement(d->content);
    if (!lzs_xml_is(root, OFFICE, "document-content")) {
        lzs_set_errmsg(errmsg, "%s: content.xml: not an OpenDocument content part (root <%s>)",
                       d->name, (const char *)root->name);
        return LZS_ERR_PARSE;
    }
    *text = lzs_xml_child(lzs_xml_child(root, OFFICE, "body"), OFFICE, "text");
    if (*text == NULL) {
        lzs_set_errmsg(errmsg, "%s: content.xml: no office:text in the body; not a text document",
                       d->name);
        return LZS_ERR_UNSUPPORTED;
    }
    const xmlNode *sroot = d->styles_doc ? xmlDocGetRootElement(d->styles_doc) : NULL;
    read_styles(d, lzs_xml_child(sroot, OFFICE, "styles"), SCOPE_NAMED);
    read_styles(d, lzs_xml_child(sroot, OFFICE, "automatic-styles"), SCOPE_STYLES);
    read_styles(d, lzs_xml_child(root, OFFICE, "styles"), SCOPE_NAMED);
    read_styles(d, lzs_xml_child(root, OFFICE, "automatic-styles"), SCOPE_CONTENT);
    link_parents(d);
    if (d->st != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: out of memory", d->name);
        return d->st;
    }
    return LZS_OK;
}

/* Headers and footers of the master pages: furniture. */
static void read_master_pages(odt_t *d)
{
    static const char *const parts[] = {"header", "header-left", "header-first",
                                        "footer", "footer-left", "footer-first"};
    const xmlNode *sroot = d->styles_doc ? xmlDocGetRootElement(d->styles_doc) : NULL;
    const xmlNode *ms = lzs_xml_child(sroot, OFFICE, "master-styles");
    d->scope = SCOPE_STYLES;
    d->furniture = 1;
    for (const xmlNode *mp = ms ? ms->children : NULL; mp; mp = mp->next) {
        if (!lzs_xml_is(mp, STYLE, "master-page"))
            continue;
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            for (const xmlNode *c = mp->children; c; c = c->next) {
                char v[16];
                if (!lzs_xml_is(c, STYLE, parts[i]))
                    continue;
                lzs_xml_attr(c, STYLE, "display", v, sizeof v);
                if (strcmp(v, "false") != 0)
                    read_blocks(d, c, NULL, NULL);
            }
        }
    }
}

static void odt_free(odt_t *d)
{
    xmlFreeDoc(d->content);
    xmlFreeDoc(d->styles_doc);
    free(d->styles);
    free(d->lists);
    free(d->counters);
    free(d->by_id.v);
    free(d->by_style.v);
    free(d->notes);
    lzs_zip_close(d->zip);
}

lzs_status_t lzs_read_odt(const struct lzs_extractor *ex, const char *name, const char *buf,
                          size_t len, lzs_blocks_t *out, char **errmsg)
{
    (void)ex;
    if (errmsg)
        *errmsg = NULL;
    odt_t d;
    memset(&d, 0, sizeof d);
    d.name = name;
    d.out = out;
    d.scope = SCOPE_CONTENT;
    const xmlNode *text = NULL;
    lzs_status_t st = lzs_zip_open(name, buf, len, NULL, &d.zip, errmsg);
    if (st == LZS_OK)
        st = load_parts(&d, &text, errmsg);
    if (st != LZS_OK) {
        if (st == LZS_ERR_NOMEM && errmsg && *errmsg == NULL)
            lzs_set_errmsg(errmsg, "%s: out of memory", name);
        odt_free(&d);
        return st;
    }
    read_blocks(&d, text, NULL, NULL);
    read_master_pages(&d);
    st = out->st != LZS_OK ? out->st : d.st;
    odt_free(&d);
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: out of memory", name);
        return st;
    }
    return LZS_OK;
}
