/* docx_defs.c — what a DOCX's styles.xml and numbering.xml define: styles with the
 * properties they pass on through w:basedOn, and the numbering definitions with their
 * counters, which turn w:numPr into the labels Word prints ("13.", "2.1.1.", "a)"). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx.h"
#include "zipxml.h"

const char *const lzs_docx_w[] = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                  "http://purl.oclc.org/ooxml/wordprocessingml/main", NULL};

#define W lzs_docx_w
#define CHAIN_MAX 32 /* w:basedOn steps followed: a loop in the chain ends there */

/* ---- small readers of WordprocessingML values ---------------------------------------- */

int lzs_docx_val(const xmlNode *n, const char *local, char *buf, size_t cap)
{
    buf[0] = '\0';
    const xmlNode *c = lzs_xml_child(n, W, local);
    if (c == NULL)
        return 0;
    lzs_xml_attr(c, W, "val", buf, cap);
    return 1;
}

docx_tri_t lzs_docx_onoff(const xmlNode *n)
{
    char v[16];
    if (n == NULL)
        return -1;
    if (!lzs_xml_attr(n, W, "val", v, sizeof v))
        return 1;
    return !(strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0);
}

static docx_tri_t child_onoff(const xmlNode *n, const char *local)
{
    return lzs_docx_onoff(lzs_xml_child(n, W, local));
}

static long child_long(const xmlNode *n, const char *local, long dflt)
{
    char v[32];
    if (!lzs_docx_val(n, local, v, sizeof v) || v[0] == '\0')
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return *end == '\0' ? x : dflt;
}

static long attr_long(const xmlNode *n, const char *local, long dflt)
{
    char v[32];
    if (!lzs_xml_attr(n, W, local, v, sizeof v) || v[0] == '\0')
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return *end == '\0' ? x : dflt;
}

/* ---- styles ------------------------------------------------------------------------ */

static void read_numpr(const xmlNode *ppr, int *num_id, signed char *ilvl)
{
    const xmlNode *np = lzs_xml_child(ppr, W, "numPr");
    if (np == NULL)
        return;
    long id = child_long(np, "numId", -1);
    long lvl = child_long(np, "ilvl", -1);
    if (id >= 0 && id <= 0x7fffffff)
        *num_id = (int)id;
    if (lvl >= 0 && lvl < DOCX_LEVELS)
        *ilvl = (signed char)lvl;
}

static void read_style(const xmlNode *n, docx_style_t *s)
{
    char v[DOCX_ID];
    memset(s, 0, sizeof *s);
    s->outline = -1;
    s->bold = s->italic = s->vanish = s->center = -1;
    s->num_id = -1;
    s->ilvl = -1;
    s->parent = -1;
    lzs_xml_attr(n, W, "styleId", s->id, sizeof s->id);
    lzs_xml_attr(n, W, "type", v, sizeof v);
    s->type = strcmp(v, "character") == 0   ? 'c'
              : strcmp(v, "table") == 0     ? 't'
              : strcmp(v, "numbering") == 0 ? 'n'
                                            : 'p';
    lzs_docx_val(n, "name", s->name, sizeof s->name);
    for (char *p = s->name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    lzs_docx_val(n, "basedOn", s->based, sizeof s->based);
    const xmlNode *ppr = lzs_xml_child(n, W, "pPr");
    if (ppr) {
        long o = child_long(ppr, "outlineLvl", -1);
        if (o >= 0 && o <= 9)
            s->outline = (signed char)o;
        if (lzs_docx_val(ppr, "jc", v, sizeof v))
            s->center = strcmp(v, "center") == 0;
        read_numpr(ppr, &s->num_id, &s->ilvl);
    }
    const xmlNode *rpr = lzs_xml_child(n, W, "rPr");
    if (rpr) {
        s->bold = child_onoff(rpr, "b");
        s->italic = child_onoff(rpr, "i");
        s->vanish = child_onoff(rpr, "vanish");
    }
}

static int cmp_style(const void *a, const void *b)
{
    return strcmp(((const docx_style_t *)a)->id, ((const docx_style_t *)b)->id);
}

int lzs_docx_style_find(const docx_defs_t *defs, const char *id)
{
    if (id == NULL || id[0] == '\0' || defs->nstyles == 0)
        return -1;
    docx_style_t key;
    snprintf(key.id, sizeof key.id, "%s", id);
    const docx_style_t *s = bsearch(&key, defs->styles, defs->nstyles, sizeof key, cmp_style);
    return s ? (int)(s - defs->styles) : -1;
}

static lzs_status_t load_styles(docx_defs_t *defs, xmlDocPtr doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t n = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
        n += lzs_xml_is(c, W, "style");
    defs->styles = calloc(n ? n : 1, sizeof *defs->styles);
    if (defs->styles == NULL)
        return LZS_ERR_NOMEM;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (lzs_xml_is(c, W, "style")) {
            read_style(c, &defs->styles[defs->nstyles]);
            if (defs->styles[defs->nstyles].id[0])
                defs->nstyles++;
        } else if (lzs_xml_is(c, W, "docDefaults")) {
            const xmlNode *rpr = lzs_xml_child(lzs_xml_child(c, W, "rPrDefault"), W, "rPr");
            if (rpr) {
                defs->def_bold = child_onoff(rpr, "b");
                defs->def_italic = child_onoff(rpr, "i");
            }
        }
    }
    qsort(defs->styles, defs->nstyles, sizeof *defs->styles, cmp_style);
    for (size_t i = 0; i < defs->nstyles; i++)
        defs->styles[i].parent = lzs_docx_style_find(defs, defs->styles[i].based);
    /* The default paragraph style: the one marked w:default among paragraph styles. */
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        char id[DOCX_ID], t[16];
        if (!lzs_xml_is(c, W, "style") || !lzs_xml_attr(c, W, "default", t, sizeof t))
            continue;
        if (strcmp(t, "1") != 0 && strcasecmp(t, "true") != 0 && strcasecmp(t, "on") != 0)
            continue;
        lzs_xml_attr(c, W, "type", t, sizeof t);
        lzs_xml_attr(c, W, "styleId", id, sizeof id);
        if (strcmp(t, "paragraph") == 0) {
            defs->default_para = lzs_docx_style_find(defs, id);
            break;
        }
    }
    return LZS_OK;
}

docx_tri_t lzs_docx_style_prop(const docx_defs_t *defs, int s, docx_prop_t prop)
{
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = defs->styles[s].parent) {
        const docx_style_t *st = &defs->styles[s];
        docx_tri_t v = prop == DOCX_BOLD     ? st->bold
                       : prop == DOCX_ITALIC ? st->italic
                       : prop == DOCX_VANISH ? st->vanish
                                             : st->center;
        if (v >= 0)
            return v;
    }
    return -1;
}

/* "heading 3" -> 3; 0 when name is not a heading style's. */
static int heading_level(const char *name)
{
    if (strncmp(name, "heading ", 8) != 0)
        return 0;
    const char *d = name + 8;
    if (d[0] >= '1' && d[0] <= '9' && d[1] == '\0')
        return d[0] - '0';
    return 0;
}

/* "list bullet 2" -> 2, "list paragraph" -> 1; 0 when not a list style. A "List
 * Continue" paragraph continues an item: it is not one. */
static int list_level(const char *name)
{
    if (strncmp(name, "list", 4) != 0 || (name[4] != ' ' && name[4] != '\0'))
        return 0;
    if (strncmp(name, "list continue", 13) == 0)
        return 0;
    size_t n = strlen(name);
    if (n > 2 && name[n - 2] == ' ' && name[n - 1] >= '1' && name[n - 1] <= '9')
        return name[n - 1] - '0';
    return 1;
}

void lzs_docx_pstyle(const docx_defs_t *defs, int s, docx_pstyle_t *out)
{
    memset(out, 0, sizeof *out);
    out->num_id = -1;
    out->ilvl = -1;
    out->num_style = -1;
    if (s < 0)
        return;
    /* Names count on the paragraph's own style only: pandoc bases "Subtitle" on "Title",
     * and a style based on a list style is not a list. The outline level is a paragraph
     * property, passed on like the others. */
    const char *name = defs->styles[s].name;
    out->title = strcmp(name, "title") == 0;
    out->heading = heading_level(name);
    out->toc = strncmp(name, "toc ", 4) == 0 || strcmp(name, "table of figures") == 0;
    out->list = list_level(name);
    int have_outline = out->title || out->heading > 0;
    for (int k = 0; s >= 0 && k < CHAIN_MAX; k++, s = defs->styles[s].parent) {
        const docx_style_t *st = &defs->styles[s];
        /* "Table Caption", "Image Caption" are based on "Caption" */
        if (strcmp(st->name, "caption") == 0)
            out->caption = 1;
        if (!have_outline && st->outline >= 0) {
            /* Level 9 is body text: an explicit "not a heading". */
            out->heading = st->outline < 9 ? st->outline + 1 : 0;
            have_outline = 1;
        }
        if (out->num_id < 0 && st->num_id >= 0) {
            out->num_id = st->num_id;
            out->num_style = s;
        }
        if (out->ilvl < 0 && st->ilvl >= 0 && out->num_id >= 0)
            out->ilvl = st->ilvl;
    }
}

/* ---- numbering ----------------------------------------------------------------------- */

/* w:numFmt values, a row each; the others are written in decimal, as the closest a
 * reader of the label would still parse. */
static const struct {
    const char *name;
    lzs_numfmt_t fmt;
} num_formats[] = {
    {"decimal", LZS_NUM_DECIMAL},
    {"decimalZero", LZS_NUM_DECIMAL_ZERO},
    {"lowerLetter", LZS_NUM_LOWER_LETTER},
    {"upperLetter", LZS_NUM_UPPER_LETTER},
    {"lowerRoman", LZS_NUM_LOWER_ROMAN},
    {"upperRoman", LZS_NUM_UPPER_ROMAN},
    {"bullet", LZS_NUM_BULLET},
    {"none", LZS_NUM_NONE},
};

static lzs_numfmt_t num_format(const char *name)
{
    for (size_t i = 0; i < sizeof num_formats / sizeof num_formats[0]; i++)
        if (strcmp(num_formats[i].name, name) == 0)
            return num_formats[i].fmt;
    return LZS_NUM_DECIMAL;
}

static void level_defaults(docx_level_t *l)
{
    memset(l, 0, sizeof *l);
    l->start = 1;
    l->fmt = LZS_NUM_DECIMAL;
    l->restart = -1;
}

static void read_level(const xmlNode *n, docx_level_t *l)
{
    char v[DOCX_ID];
    level_defaults(l);
    l->start = child_long(n, "start", 1);
    if (lzs_docx_val(n, "numFmt", v, sizeof v))
        l->fmt = num_format(v);
    lzs_docx_val(n, "lvlText", l->text, sizeof l->text);
    long r = child_long(n, "lvlRestart", -1);
    if (r >= 0 && r <= DOCX_LEVELS)
        l->restart = (signed char)r;
    l->legal = child_onoff(n, "isLgl") == 1;
    lzs_docx_val(n, "pStyle", l->pstyle, sizeof l->pstyle);
}

static void read_abstract(const xmlNode *n, docx_abstract_t *a)
{
    memset(a, 0, sizeof *a);
    a->id = attr_long(n, "abstractNumId", -1);
    for (int i = 0; i < DOCX_LEVELS; i++)
        level_defaults(&a->lvl[i]);
    lzs_docx_val(n, "numStyleLink", a->style_link, sizeof a->style_link);
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!lzs_xml_is(c, W, "lvl"))
            continue;
        long i = attr_long(c, "ilvl", -1);
        if (i >= 0 && i < DOCX_LEVELS)
            read_level(c, &a->lvl[i]);
    }
}

/* Definitions and instances are looked up by id once per numbered paragraph: sorted by
 * id (then by position, so that the first of two equal ids wins, as it would in a scan). */
static int cmp_abstract(const void *a, const void *b)
{
    const docx_abstract_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_num(const void *a, const void *b)
{
    const docx_num_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int find_abstract(const docx_defs_t *defs, long id)
{
    size_t lo = 0, hi = defs->nabs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (defs->abs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < defs->nabs && defs->abs[lo].id == id ? (int)lo : -1;
}

static docx_num_t *find_num(docx_defs_t *defs, long id)
{
    size_t lo = 0, hi = defs->nnums;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (defs->nums[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < defs->nnums && defs->nums[lo].id == id ? &defs->nums[lo] : NULL;
}

static void read_num(const docx_defs_t *defs, const xmlNode *n, docx_num_t *m)
{
    memset(m, 0, sizeof *m);
    m->id = attr_long(n, "numId", -1);
    m->abs = find_abstract(defs, child_long(n, "abstractNumId", -1));
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!lzs_xml_is(c, W, "lvlOverride"))
            continue;
        long i = attr_long(c, "ilvl", -1);
        if (i < 0 || i >= DOCX_LEVELS)
            continue;
        const xmlNode *so = lzs_xml_child(c, W, "startOverride");
        if (so) {
            m->start[i] = attr_long(so, "val", 1);
            m->has_start[i] = 1;
        }
        const xmlNode *lvl = lzs_xml_child(c, W, "lvl");
        if (lvl) {
            read_level(lvl, &m->lvl[i]);
            m->has_lvl[i] = 1;
        }
    }
}

/* An abstract definition that only links to a numbering style (w:numStyleLink) takes
 * the levels and counters of the definition that style's numbering uses. */
static void resolve_style_links(docx_defs_t *defs)
{
    for (size_t i = 0; i < defs->nnums; i++) {
        docx_num_t *m = &defs->nums[i];
        for (int hops = 0; m->abs >= 0 && hops < 4; hops++) {
            const docx_abstract_t *a = &defs->abs[m->abs];
            if (a->style_link[0] == '\0')
                break;
            int s = lzs_docx_style_find(defs, a->style_link);
            if (s < 0 || defs->styles[s].num_id < 0)
                break;
            const docx_num_t *target = find_num(defs, defs->styles[s].num_id);
            if (target == NULL || target->abs < 0 || target->abs == m->abs)
                break;
            m->abs = target->abs;
        }
    }
}

static lzs_status_t load_numbering(docx_defs_t *defs, xmlDocPtr doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t na = 0, nn = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        na += lzs_xml_is(c, W, "abstractNum");
        nn += lzs_xml_is(c, W, "num");
    }
    defs->abs = calloc(na ? na : 1, sizeof *defs->abs);
    defs->nums = calloc(nn ? nn : 1, sizeof *defs->nums);
    if (defs->abs == NULL || defs->nums == NULL)
        return LZS_ERR_NOMEM;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (lzs_xml_is(c, W, "abstractNum")) {
            read_abstract(c, &defs->abs[defs->nabs]);
            defs->abs[defs->nabs].seq = defs->nabs;
            defs->nabs++;
        }
    }
    qsort(defs->abs, defs->nabs, sizeof *defs->abs, cmp_abstract);
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (lzs_xml_is(c, W, "num")) {
            read_num(defs, c, &defs->nums[defs->nnums]);
            defs->nums[defs->nnums].seq = defs->nnums;
            defs->nnums++;
        }
    }
    qsort(defs->nums, defs->nnums, sizeof *defs->nums, cmp_num);
    resolve_style_links(defs);
    return LZS_OK;
}

lzs_status_t lzs_docx_defs_load(docx_defs_t *defs, xmlDocPtr styles, xmlDocPtr numbering)
{
    memset(defs, 0, sizeof *defs);
    defs->default_para = -1;
    defs->def_bold = defs->def_italic = -1;
    lzs_status_t st = styles ? load_styles(defs, styles) : LZS_OK;
    if (st == LZS_OK && numbering)
        st = load_numbering(defs, numbering);
    return st;
}

void lzs_docx_defs_free(docx_defs_t *defs)
{
    free(defs->styles);
    free(defs->abs);
    free(defs->nums);
    memset(defs, 0, sizeof *defs);
}

/* The level definition instance m uses at level i. */
static const docx_level_t *level_of(const docx_defs_t *defs, const docx_num_t *m, int i)
{
    return m->has_lvl[i] ? &m->lvl[i] : &defs->abs[m->abs].lvl[i];
}

static long start_of(const docx_defs_t *defs, const docx_num_t *m, int i)
{
    return m->has_start[i] ? m->start[i] : level_of(defs, m, i)->start;
}

/* Advances the counters of m's definition for a paragraph at level ilvl. */
static void count(docx_defs_t *defs, docx_num_t *m, int ilvl)
{
    docx_abstract_t *a = &defs->abs[m->abs];
    /* An instance that overrides a start restarts that level where it is first used;
     * instances without one continue the definition's counting, as Word does. */
    if (m->has_start[ilvl] && !m->applied[ilvl]) {
        a->started[ilvl] = 0;
        m->applied[ilvl] = 1;
    }
    if (a->started[ilvl]) {
        a->count[ilvl]++;
    } else {
        a->count[ilvl] = start_of(defs, m, ilvl);
        a->started[ilvl] = 1;
    }
    for (int k = ilvl + 1; k < DOCX_LEVELS; k++) {
        int r = level_of(defs, m, k)->restart;
        if (r < 0)
            r = k; /* by default a level restarts after any shallower one */
        if (ilvl < r)
            a->started[k] = 0;
    }
}

int lzs_docx_number(docx_defs_t *defs, long num_id, int ilvl, int style, char *buf, size_t cap,
                    int *bullet)
{
    buf[0] = '\0';
    *bullet = 0;
    docx_num_t *m = num_id > 0 ? find_num(defs, num_id) : NULL;
    if (m == NULL || m->abs < 0 || cap < 8)
        return -1;
    const docx_abstract_t *a = &defs->abs[m->abs];
    if (ilvl < 0 && style >= 0) {
        /* A style linked to a level (w:lvl/w:pStyle) numbers at that level. */
        for (int i = 0; i < DOCX_LEVELS; i++)
            if (strcmp(a->lvl[i].pstyle, defs->styles[style].id) == 0)
                ilvl = i;
    }
    if (ilvl < 0 || ilvl >= DOCX_LEVELS)
        ilvl = 0;
    count(defs, m, ilvl);

    const docx_level_t *l = level_of(defs, m, ilvl);
    if (l->fmt == LZS_NUM_BULLET) {
        snprintf(buf, cap, "\u2022");
        *bullet = 1;
        return ilvl;
    }
    size_t n = 0;
    for (const char *p = l->text; *p && n + 1 < cap; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int j = p[1] - '1';
            long v = a->started[j] ? a->count[j] : start_of(defs, m, j);
            lzs_numfmt_t f = level_of(defs, m, j)->fmt;
            if (l->legal && f != LZS_NUM_NONE && f != LZS_NUM_BULLET)
                f = LZS_NUM_DECIMAL;
            n += lzs_num_format(v, f, buf + n, cap - n);
            p++;
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    return ilvl;
}
