/* read_docx.c — the DOCX reader: a WordprocessingML package to blocks (see block.h).
 *
 * The parts are all read and parsed first (document, styles, numbering, footnotes, the
 * headers and footers the sections use), so that bad input fails before any block is
 * emitted. Then the body is walked in order. What Word prints is what comes out:
 * automatic numbers rendered from numbering.xml at the start of the paragraph's text,
 * footnote references as marks with the footnote as a block after its paragraph, table
 * cells one block each, tracked changes as if accepted, field results but not field
 * instructions nor page numbers, headers and footers as furniture.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "block.h"
#include "docx.h"
#include "lzs/file.h"
#include "textacc.h"
#include "zipxml.h"

#define W lzs_docx_w

static const char *const R[] = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships", NULL};
static const char *const MC[] = {"http://schemas.openxmlformats.org/markup-compatibility/2006",
                                 NULL};
static const char *const PKG[] = {"http://schemas.openxmlformats.org/package/2006/relationships",
                                  NULL};
static const char *const MATH[] = {"http://schemas.openxmlformats.org/officeDocument/2006/math",
                                   "http://purl.oclc.org/ooxml/officeDocument/math", NULL};

#define MAIN_PART "word/document.xml"
#define MAX_PARTS 64   /* headers and footers read; more is no document */
#define FIELD_DEPTH 16 /* nested fields tracked; deeper ones are counted only */

/* ---- relationships ---------------------------------------------------------------------- */

typedef struct {
    char id[64];
    char type[64]; /* last segment of the type URI: "styles", "header", "footnotes" */
    char target[256];
} docx_rel_t;

typedef struct {
    docx_rel_t *v;
    size_t n;
} docx_rels_t;

/* ---- fields -------------------------------------------------------------------------- */

enum { FLD_INSTR, FLD_RESULT };
enum { FLD_SHOW, FLD_HIDE, FLD_TOC };

typedef struct {
    char instr[48]; /* the start of the instruction: its first word is what counts */
    unsigned char ninstr;
    unsigned char phase;
    unsigned char kind;
} docx_field_t;

typedef struct {
    docx_field_t v[FIELD_DEPTH];
    int n;
    int lost; /* open fields past FIELD_DEPTH */
} docx_fields_t;

/* ---- footnotes ----------------------------------------------------------------------- */

typedef struct {
    long id;
    size_t seq; /* position in footnotes.xml: the first of equal ids wins */
    const xmlNode *node;
    char label[32]; /* the displayed mark: "3", or a custom one */
    int numbered;   /* label assigned */
    int emitted;
} docx_note_t;

/* ---- the reader --------------------------------------------------------------------- */

typedef struct {
    const char *name;
    lzs_blocks_t *out;
    lzs_zip_t *zip;
    char main_part[256];
    xmlDocPtr doc, styles_doc, numbering_doc, notes_doc;
    xmlDocPtr parts[MAX_PARTS]; /* headers and footers, in the order the sections use them */
    size_t nparts;
    docx_rels_t rels; /* of the main part */
    docx_defs_t defs;
    docx_note_t *notes; /* sorted by id */
    size_t nnotes;
    unsigned next_note; /* the last automatic footnote number given */
    docx_fields_t fields;
    int toc_sdt;         /* depth inside contents-list content controls */
    int in_note;         /* reading a footnote: references inside are not followed */
    int furniture;       /* reading a header or footer */
    int blank;           /* an empty paragraph stands before the next block */
    lzs_textacc_t carry; /* paragraphs whose mark was deleted: they join the next one */
} docx_t;

/* A paragraph being read. */
typedef struct {
    int heading, title, toc, list, center, caption;
    long num_id;
    int ilvl;
    int num_style;
    int mark_deleted; /* its paragraph mark is deleted or hidden: it joins the next one */
    int style;
    docx_tri_t bold, italic, vanish; /* from the paragraph style */
} docx_para_t;

/* Where the runs of a paragraph go. */
typedef struct {
    lzs_textacc_t *acc;   /* the paragraph's text */
    lzs_textacc_t *outer; /* the cell or note the paragraph is part of; NULL when alone */
    const docx_para_t *para;
    size_t custom_note; /* a footnote whose custom mark is the next text, or SIZE_MAX */
    int toc_seen;       /* a run was read inside a contents-list field */
} docx_runs_t;

static void read_blocks(docx_t *d, const xmlNode *parent, lzs_textacc_t *acc);
static void read_inline(docx_t *d, const xmlNode *parent, docx_runs_t *rc);

/* ---- loading the parts ------------------------------------------------------------------ */

static lzs_status_t nomem(const char *name, char **errmsg)
{
    lzs_set_errmsg(errmsg, "%s: out of memory", name);
    return LZS_ERR_NOMEM;
}

/* Reads the relationships of part into rels; a part without any has none. */
static lzs_status_t load_rels(docx_t *d, const char *part, docx_rels_t *rels, char **errmsg)
{
    char path[512];
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    if (snprintf(path, sizeof path, "%.*s_rels/%s.rels", (int)dir, part, part + dir) >=
        (int)sizeof path)
        return LZS_OK;
    if (!lzs_zip_has(d->zip, path))
        return LZS_OK;
    xmlDocPtr doc;
    lzs_status_t st = lzs_zip_read_xml(d->zip, path, &doc, errmsg);
    if (st != LZS_OK)
        return st;
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t n = 0;
    for (const xmlNode *c = root->children; c; c = c->next)
        n += lzs_xml_is(c, PKG, "Relationship");
    rels->v = calloc(n ? n : 1, sizeof *rels->v);
    if (rels->v == NULL) {
        xmlFreeDoc(doc);
        return nomem(d->name, errmsg);
    }
    for (const xmlNode *c = root->children; c; c = c->next) {
        char mode[16], type[256], target[256];
        if (!lzs_xml_is(c, PKG, "Relationship"))
            continue;
        lzs_xml_attr(c, NULL, "TargetMode", mode, sizeof mode);
        if (strcasecmp(mode, "External") == 0)
            continue;
        docx_rel_t *r = &rels->v[rels->n];
        lzs_xml_attr(c, NULL, "Id", r->id, sizeof r->id);
        lzs_xml_attr(c, NULL, "Type", type, sizeof type);
        lzs_xml_attr(c, NULL, "Target", target, sizeof target);
        const char *last = strrchr(type, '/');
        last = last ? last + 1 : type;
        size_t tl = strlen(last);
        if (tl >= sizeof r->type)
            continue; /* no type this reader follows is that long */
        memcpy(r->type, last, tl + 1);
        if (lzs_zip_resolve(part, target, r->target, sizeof r->target))
            rels->n++;
    }
    xmlFreeDoc(doc);
    return LZS_OK;
}

static const docx_rel_t *rel_by_type(const docx_rels_t *rels, const char *type)
{
    for (size_t i = 0; i < rels->n; i++)
        if (strcmp(rels->v[i].type, type) == 0)
            return &rels->v[i];
    return NULL;
}

static const docx_rel_t *rel_by_id(const docx_rels_t *rels, const char *id)
{
    for (size_t i = 0; i < rels->n; i++)
        if (strcmp(rels->v[i].id, id) == 0)
            return &rels->v[i];
    return NULL;
}

/* The main document part: where the package's relationships say, else the usual name. */
static lzs_status_t find_main_part(docx_t *d, char **errmsg)
{
    docx_rels_t pkg = {NULL, 0};
    lzs_status_t st = load_rels(d, "", &pkg, errmsg);
    if (st != LZS_OK)
        return st;
    const docx_rel_t *r = rel_by_type(&pkg, "officeDocument");
    snprintf(d->main_part, sizeof d->main_part, "%s",
             r && lzs_zip_has(d->zip, r->target) ? r->target : MAIN_PART);
    free(pkg.v);
    if (!lzs_zip_has(d->zip, d->main_part)) {
        lzs_set_errmsg(errmsg, "%s: not a Word document: no %s in the archive", d->name, MAIN_PART);
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}

/* Parses the part a relationship of this type points to, when there is one. */
static lzs_status_t load_optional(docx_t *d, const char *type, const char *usual, xmlDocPtr *out,
                                  char **errmsg)
{
    const docx_rel_t *r = rel_by_type(&d->rels, type);
    const char *member = r ? r->target : usual;
    *out = NULL;
    if (!lzs_zip_has(d->zip, member))
        return LZS_OK;
    return lzs_zip_read_xml(d->zip, member, out, errmsg);
}

/* Collects, in document order, the targets of the headers and footers the sections use. */
static void find_furniture(const docx_t *d, const xmlNode *n, const char **targets, size_t *nt)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (lzs_xml_is(c, W, "headerReference") || lzs_xml_is(c, W, "footerReference")) {
            char id[64];
            lzs_xml_attr(c, R, "id", id, sizeof id);
            const docx_rel_t *r = rel_by_id(&d->rels, id);
            /* Only a header or footer that is there is printed. */
            if (r == NULL || *nt >= MAX_PARTS ||
                (strcmp(r->type, "header") != 0 && strcmp(r->type, "footer") != 0) ||
                !lzs_zip_has(d->zip, r->target))
                continue;
            int seen = 0;
            for (size_t i = 0; i < *nt; i++)
                seen |= strcmp(targets[i], r->target) == 0;
            if (!seen)
                targets[(*nt)++] = r->target;
        } else {
            find_furniture(d, c, targets, nt);
        }
    }
}

/* Notes are looked up by id at every reference: sorted by id, then position. */
static int cmp_note(const void *a, const void *b)
{
    const docx_note_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static lzs_status_t load_notes(docx_t *d)
{
    const xmlNode *root = d->notes_doc ? xmlDocGetRootElement(d->notes_doc) : NULL;
    size_t n = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
        n += lzs_xml_is(c, W, "footnote");
    d->notes = calloc(n ? n : 1, sizeof *d->notes);
    if (d->notes == NULL)
        return LZS_ERR_NOMEM;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        char v[32], type[32];
        if (!lzs_xml_is(c, W, "footnote") || !lzs_xml_attr(c, W, "id", v, sizeof v))
            continue;
        /* The separator lines between text and notes are no notes. */
        lzs_xml_attr(c, W, "type", type, sizeof type);
        if (type[0] && strcmp(type, "normal") != 0)
            continue;
        docx_note_t *note = &d->notes[d->nnotes];
        note->id = strtol(v, NULL, 10);
        note->seq = d->nnotes++;
        note->node = c;
    }
    qsort(d->notes, d->nnotes, sizeof *d->notes, cmp_note);
    return LZS_OK;
}

static lzs_status_t load_parts(docx_t *d, char **errmsg)
{
    lzs_status_t st = find_main_part(d, errmsg);
    if (st == LZS_OK)
        st = lzs_zip_read_xml(d->zip, d->main_part, &d->doc, errmsg);
    if (st != LZS_OK)
        return st;
    const xmlNode *root = xmlDocGetRootElement(d->doc);
    if (!lzs_xml_is(root, W, "document")) {
        lzs_set_errmsg(errmsg, "%s: %s: not a WordprocessingML document (root element <%s>)",
                       d->name, d->main_part, (const char *)root->name);
        return LZS_ERR_PARSE;
    }
    st = load_rels(d, d->main_part, &d->rels, errmsg);
    if (st == LZS_OK)
        st = load_optional(d, "styles", "word/styles.xml", &d->styles_doc, errmsg);
    if (st == LZS_OK)
        st = load_optional(d, "numbering", "word/numbering.xml", &d->numbering_doc, errmsg);
    if (st != LZS_OK)
        return st;
    /* What styles and numbering define is copied out: their trees go before the next
     * parts are parsed, which keeps the peak of memory lower. */
    if (lzs_docx_defs_load(&d->defs, d->styles_doc, d->numbering_doc) != LZS_OK)
        return nomem(d->name, errmsg);
    xmlFreeDoc(d->styles_doc);
    xmlFreeDoc(d->numbering_doc);
    d->styles_doc = d->numbering_doc = NULL;
    st = load_optional(d, "footnotes", "word/footnotes.xml", &d->notes_doc, errmsg);
    if (st != LZS_OK)
        return st;

    const char *targets[MAX_PARTS];
    size_t nt = 0;
    find_furniture(d, root, targets, &nt);
    for (size_t i = 0; i < nt; i++) {
        st = lzs_zip_read_xml(d->zip, targets[i], &d->parts[d->nparts], errmsg);
        if (st != LZS_OK)
            return st;
        d->nparts++;
    }

    if (load_notes(d) != LZS_OK)
        return nomem(d->name, errmsg);
    return LZS_OK;
}

/* ---- fields ---------------------------------------------------------------------------- */

static int fields_hide(const docx_fields_t *f)
{
    for (int i = 0; i < f->n; i++)
        if (f->v[i].phase == FLD_INSTR || f->v[i].kind == FLD_HIDE)
            return 1;
    return 0;
}

static int fields_toc(const docx_fields_t *f)
{
    for (int i = 0; i < f->n; i++)
        if (f->v[i].phase == FLD_RESULT && f->v[i].kind == FLD_TOC)
            return 1;
    return 0;
}

/* What a field's result is to a reader, by the first word of its instruction: page
 * numbers are not text, a contents list is marked, anything else is shown. */
static int field_kind(const char *instr, int in_toc)
{
    static const struct {
        const char *word;
        int kind;
    } kinds[] = {{"PAGE", FLD_HIDE},
                 {"NUMPAGES", FLD_HIDE},
                 {"SECTIONPAGES", FLD_HIDE},
                 {"SECTION", FLD_HIDE},
                 {"TOC", FLD_TOC}};
    char word[16];
    size_t n = 0;
    while (*instr == ' ')
        instr++;
    while (instr[n] && instr[n] != ' ' && n + 1 < sizeof word) {
        word[n] = instr[n];
        n++;
    }
    word[n] = '\0';
    if (strcasecmp(word, "PAGEREF") == 0)
        return in_toc ? FLD_HIDE : FLD_SHOW; /* the page numbers of a contents list */
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcasecmp(word, kinds[i].word) == 0)
            return kinds[i].kind;
    return FLD_SHOW;
}

static void field_char(docx_t *d, const xmlNode *fc, const docx_runs_t *rc)
{
    docx_fields_t *f = &d->fields;
    char type[16];
    lzs_xml_attr(fc, W, "fldCharType", type, sizeof type);
    if (strcmp(type, "begin") == 0) {
        if (f->n < FIELD_DEPTH)
            memset(&f->v[f->n++], 0, sizeof f->v[0]);
        else
            f->lost++;
    } else if (strcmp(type, "separate") == 0) {
        if (f->lost == 0 && f->n > 0 && f->v[f->n - 1].phase == FLD_INSTR) {
            docx_field_t *top = &f->v[f->n - 1];
            top->phase = FLD_RESULT;
            int in_toc = rc->para->toc || d->toc_sdt > 0 || fields_toc(f);
            top->kind = (unsigned char)field_kind(top->instr, in_toc);
        }
    } else if (strcmp(type, "end") == 0) {
        if (f->lost > 0)
            f->lost--;
        else if (f->n > 0)
            f->n--;
    }
}

static void field_instr(docx_t *d, const xmlNode *it)
{
    docx_fields_t *f = &d->fields;
    if (f->lost > 0 || f->n == 0 || f->v[f->n - 1].phase != FLD_INSTR)
        return;
    docx_field_t *top = &f->v[f->n - 1];
    for (const xmlNode *t = it->children; t; t = t->next) {
        if (t->type != XML_TEXT_NODE || t->content == NULL)
            continue;
        for (const char *s = (const char *)t->content; *s; s++)
            if (top->ninstr + 1u < sizeof top->instr)
                top->instr[top->ninstr++] = *s == '\t' || *s == '\n' ? ' ' : *s;
    }
    top->instr[top->ninstr] = '\0';
}

/* ---- runs ----------------------------------------------------------------------------- */

/* The first of the values that is set, else 0. */
static int first_set(docx_tri_t a, docx_tri_t b, docx_tri_t c, docx_tri_t e)
{
    return a >= 0 ? a : b >= 0 ? b : c >= 0 ? c : e > 0;
}

typedef struct {
    int bold, italic, hidden;
} docx_rpr_t;

/* A run's weight, slant and visibility: its own properties, else its character style's,
 * else the paragraph style's, else the document defaults. */
static void run_props(const docx_t *d, const xmlNode *r, const docx_para_t *p, docx_rpr_t *out)
{
    const xmlNode *rpr = lzs_xml_child(r, W, "rPr");
    char id[DOCX_ID];
    int cs = -1;
    if (rpr && lzs_docx_val(rpr, "rStyle", id, sizeof id))
        cs = lzs_docx_style_find(&d->defs, id);
    docx_tri_t b = lzs_docx_onoff(lzs_xml_child(rpr, W, "b"));
    docx_tri_t i = lzs_docx_onoff(lzs_xml_child(rpr, W, "i"));
    docx_tri_t v = lzs_docx_onoff(lzs_xml_child(rpr, W, "vanish"));
    out->bold =
        first_set(b, lzs_docx_style_prop(&d->defs, cs, DOCX_BOLD), p->bold, d->defs.def_bold);
    out->italic =
        first_set(i, lzs_docx_style_prop(&d->defs, cs, DOCX_ITALIC), p->italic, d->defs.def_italic);
    out->hidden = first_set(v, lzs_docx_style_prop(&d->defs, cs, DOCX_VANISH), p->vanish, -1);
}

static size_t find_note(const docx_t *d, long id)
{
    size_t lo = 0, hi = d->nnotes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->notes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nnotes && d->notes[lo].id == id ? lo : SIZE_MAX;
}

/* A footnote reference: its number as a mark, the note queued after the paragraph. */
static void footnote_ref(docx_t *d, const xmlNode *ref, docx_runs_t *rc)
{
    char v[32];
    lzs_xml_attr(ref, W, "id", v, sizeof v);
    size_t h = find_note(d, strtol(v, NULL, 10));
    if (lzs_xml_attr(ref, W, "customMarkFollows", v, sizeof v) && strcmp(v, "0") != 0 &&
        strcasecmp(v, "false") != 0 && strcasecmp(v, "off") != 0) {
        /* The mark is the text that follows, and takes no number. */
        rc->custom_note = h;
        return;
    }
    unsigned num = ++d->next_note;
    lzs_textacc_mark(rc->acc, num);
    if (h == SIZE_MAX || d->notes[h].numbered)
        return;
    snprintf(d->notes[h].label, sizeof d->notes[h].label, "%u", num);
    d->notes[h].numbered = 1;
    lzs_textacc_note(rc->outer ? rc->outer : rc->acc, h);
}

/* The text that follows a footnote reference with a custom mark is that mark. */
static void custom_mark(docx_t *d, docx_runs_t *rc, const char *s, size_t len)
{
    size_t h = rc->custom_note;
    rc->custom_note = SIZE_MAX;
    char label[32];
    lzs_textacc_label(s, len, label, sizeof label);
    char *end;
    unsigned long num = strtoul(label, &end, 10);
    if (label[0] >= '0' && label[0] <= '9' && *end == '\0' && num > 0 && num < UINT32_MAX)
        lzs_textacc_mark(rc->acc, (unsigned)num);
    if (h == SIZE_MAX || d->notes[h].numbered)
        return;
    snprintf(d->notes[h].label, sizeof d->notes[h].label, "%s", label[0] ? label : "*");
    d->notes[h].numbered = 1;
    lzs_textacc_note(rc->outer ? rc->outer : rc->acc, h);
}

static void put_text(docx_t *d, docx_runs_t *rc, const char *s, size_t len, const docx_rpr_t *rp)
{
    if (rc->custom_note != SIZE_MAX) {
        custom_mark(d, rc, s, len);
        return;
    }
    lzs_textacc_text(rc->acc, s, len, rp->bold, rp->italic);
}

/* w:sym: a character of a symbol font, given by its code. */
static void put_sym(docx_t *d, docx_runs_t *rc, const xmlNode *sym, const docx_rpr_t *rp)
{
    char v[16];
    lzs_xml_attr(sym, W, "char", v, sizeof v);
    char *end;
    unsigned long c = strtoul(v, &end, 16);
    if (v[0] == '\0' || *end != '\0' || c == 0 || c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF))
        return;
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    }
    put_text(d, rc, u, n, rp);
}

/* The branch of an mc:AlternateContent that is read: the first mc:Choice, else the
 * mc:Fallback — one of them, never both. */
static const xmlNode *alternate(const xmlNode *ac)
{
    const xmlNode *choice = lzs_xml_child(ac, MC, "Choice");
    return choice ? choice : lzs_xml_child(ac, MC, "Fallback");
}

/* Text boxes in a drawing or a VML shape: their content is read where they are anchored. */
static void find_textboxes(docx_t *d, const xmlNode *n, docx_runs_t *rc)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (lzs_xml_is(c, W, "txbxContent"))
            read_blocks(d, c, rc->outer);
        else if (lzs_xml_is(c, MC, "AlternateContent"))
            find_textboxes(d, alternate(c), rc);
        else
            find_textboxes(d, c, rc);
    }
}

/* Math: the text of its m:t runs. */
static void read_math(docx_t *d, const xmlNode *n, docx_runs_t *rc)
{
    static const docx_rpr_t plain = {0, 0, 0};
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (lzs_xml_is(c, MATH, "t")) {
            for (const xmlNode *t = c->children; t; t = t->next)
                if (t->type == XML_TEXT_NODE && t->content)
                    put_text(d, rc, (const char *)t->content, strlen((const char *)t->content),
                             &plain);
        } else if (c->type == XML_ELEMENT_NODE && !lzs_xml_elem(c, W)) {
            read_math(d, c, rc);
        }
    }
}

static void read_run_content(docx_t *d, const xmlNode *r, docx_runs_t *rc, const docx_rpr_t *rp)
{
    for (const xmlNode *c = r->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, W);
        if (e == NULL) {
            if (lzs_xml_is(c, MC, "AlternateContent"))
                read_run_content(d, alternate(c), rc, rp);
            continue;
        }
        /* Field structure first: it must stay balanced, hidden text or not. */
        if (strcmp(e, "fldChar") == 0) {
            field_char(d, c, rc);
            continue;
        }
        if (strcmp(e, "instrText") == 0) {
            field_instr(d, c);
            continue;
        }
        if (fields_toc(&d->fields))
            rc->toc_seen = 1;
        if (rp->hidden || fields_hide(&d->fields))
            continue;
        if (strcmp(e, "t") == 0) {
            for (const xmlNode *t = c->children; t; t = t->next)
                if (t->type == XML_TEXT_NODE && t->content)
                    put_text(d, rc, (const char *)t->content, strlen((const char *)t->content), rp);
        } else if (strcmp(e, "br") == 0 || strcmp(e, "cr") == 0) {
            /* a line break typed by the author; a page or column break is a space */
            char type[32] = "";
            lzs_xml_attr(c, W, "type", type, sizeof type);
            if (type[0] == '\0' || strcmp(type, "textWrapping") == 0)
                lzs_textacc_break(rc->acc);
            else
                lzs_textacc_raw(rc->acc, " ", 1);
        } else if (strcmp(e, "tab") == 0 || strcmp(e, "ptab") == 0) {
            lzs_textacc_raw(rc->acc, " ", 1);
        } else if (strcmp(e, "noBreakHyphen") == 0) {
            put_text(d, rc, "-", 1, rp);
        } else if (strcmp(e, "sym") == 0) {
            put_sym(d, rc, c, rp);
        } else if (strcmp(e, "footnoteReference") == 0) {
            if (!d->in_note && !d->furniture)
                footnote_ref(d, c, rc);
        } else if (strcmp(e, "drawing") == 0 || strcmp(e, "pict") == 0 ||
                   strcmp(e, "object") == 0) {
            find_textboxes(d, c, rc);
        } else if (strcmp(e, "ruby") == 0) {
            read_inline(d, lzs_xml_child(c, W, "rubyBase"), rc);
        }
        /* Anything else (w:delText, w:softHyphen, w:footnoteRef, w:separator, page
         * numbers, comment marks) prints nothing a reader of the text needs. */
    }
}

static void read_run(docx_t *d, const xmlNode *r, docx_runs_t *rc)
{
    docx_rpr_t rp;
    run_props(d, r, rc->para, &rp);
    read_run_content(d, r, rc, &rp);
}

/* A content control: a contents list (docPartGallery "Table of Contents") is marked, and
 * placeholder text ("Click here to enter text") is not text. */
static const xmlNode *sdt_content(const xmlNode *sdt, int *toc)
{
    const xmlNode *pr = lzs_xml_child(sdt, W, "sdtPr");
    *toc = 0;
    if (pr) {
        if (lzs_xml_child(pr, W, "showingPlcHdr") &&
            lzs_docx_onoff(lzs_xml_child(pr, W, "showingPlcHdr")) == 1)
            return NULL;
        const xmlNode *obj = lzs_xml_child(pr, W, "docPartObj");
        if (obj == NULL)
            obj = lzs_xml_child(pr, W, "docPartList");
        char g[64];
        if (obj && lzs_docx_val(obj, "docPartGallery", g, sizeof g) &&
            strcasecmp(g, "Table of Contents") == 0)
            *toc = 1;
    }
    return lzs_xml_child(sdt, W, "sdtContent");
}

static void read_inline(docx_t *d, const xmlNode *parent, docx_runs_t *rc)
{
    if (parent == NULL)
        return;
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, W);
        if (e == NULL) {
            if (lzs_xml_is(c, MC, "AlternateContent"))
                read_inline(d, alternate(c), rc);
            else if (lzs_xml_is(c, MATH, "oMath") || lzs_xml_is(c, MATH, "oMathPara"))
                read_math(d, c, rc);
            continue;
        }
        if (strcmp(e, "r") == 0) {
            read_run(d, c, rc);
        } else if (strcmp(e, "hyperlink") == 0 || strcmp(e, "smartTag") == 0 ||
                   strcmp(e, "customXml") == 0 || strcmp(e, "ins") == 0 ||
                   strcmp(e, "moveTo") == 0 || strcmp(e, "dir") == 0 || strcmp(e, "bdo") == 0) {
            read_inline(d, c, rc);
        } else if (strcmp(e, "sdt") == 0) {
            int toc;
            const xmlNode *content = sdt_content(c, &toc);
            d->toc_sdt += toc;
            rc->toc_seen |= toc;
            read_inline(d, content, rc);
            d->toc_sdt -= toc;
        } else if (strcmp(e, "fldSimple") == 0) {
            char instr[64];
            lzs_xml_attr(c, W, "instr", instr, sizeof instr);
            int kind = field_kind(instr, rc->para->toc || d->toc_sdt > 0 || fields_toc(&d->fields));
            if (kind == FLD_TOC)
                rc->toc_seen = 1;
            if (kind != FLD_HIDE)
                read_inline(d, c, rc);
        }
        /* w:del and w:moveFrom are what tracked changes removed; w:pPr, bookmarks,
         * comment ranges and proofing marks carry no text. */
    }
}

/* ---- paragraphs -------------------------------------------------------------------------- */

static void para_props(const docx_t *d, const xmlNode *p, docx_para_t *out)
{
    char v[DOCX_ID];
    memset(out, 0, sizeof *out);
    out->num_id = -1;
    out->ilvl = -1;
    out->num_style = -1;
    const xmlNode *ppr = lzs_xml_child(p, W, "pPr");
    out->style = d->defs.default_para;
    if (lzs_docx_val(ppr, "pStyle", v, sizeof v)) {
        int s = lzs_docx_style_find(&d->defs, v);
        if (s >= 0)
            out->style = s;
    }
    docx_pstyle_t ps;
    lzs_docx_pstyle(&d->defs, out->style, &ps);
    out->heading = ps.heading;
    out->title = ps.title;
    out->toc = ps.toc;
    out->caption = ps.caption;
    out->list = ps.list;
    out->num_id = ps.num_id;
    out->ilvl = ps.ilvl;
    out->num_style = ps.num_style;
    out->bold = lzs_docx_style_prop(&d->defs, out->style, DOCX_BOLD);
    out->italic = lzs_docx_style_prop(&d->defs, out->style, DOCX_ITALIC);
    out->vanish = lzs_docx_style_prop(&d->defs, out->style, DOCX_VANISH);
    out->center = lzs_docx_style_prop(&d->defs, out->style, DOCX_CENTER) == 1;
    if (ppr == NULL)
        return;

    const xmlNode *np = lzs_xml_child(ppr, W, "numPr");
    if (np) {
        /* The paragraph's own numbering wins over its style's; numId 0 turns it off. */
        char id[32], lvl[32];
        if (lzs_docx_val(np, "numId", id, sizeof id) && id[0]) {
            out->num_id = strtol(id, NULL, 10);
            out->num_style = -1;
        }
        if (lzs_docx_val(np, "ilvl", lvl, sizeof lvl) && lvl[0])
            out->ilvl = (int)strtol(lvl, NULL, 10);
    }
    if (lzs_docx_val(ppr, "outlineLvl", v, sizeof v) && v[0] && !out->title) {
        long o = strtol(v, NULL, 10);
        if (o >= 0 && o < 9)
            out->heading = (int)o + 1;
        else if (o == 9)
            out->heading = 0;
    }
    if (lzs_docx_val(ppr, "jc", v, sizeof v))
        out->center = strcmp(v, "center") == 0;
    const xmlNode *mark = lzs_xml_child(ppr, W, "rPr");
    if (mark && (lzs_xml_child(mark, W, "del") || lzs_xml_child(mark, W, "moveFrom") ||
                 lzs_docx_onoff(lzs_xml_child(mark, W, "vanish")) == 1))
        out->mark_deleted = 1;
}

/* Emits the footnotes queued on a, each once, as footnote blocks. */
static void emit_notes(docx_t *d, lzs_textacc_t *a)
{
    for (size_t i = 0; i < a->nnotes; i++) {
        docx_note_t *note = &d->notes[a->notes[i]];
        if (note->emitted)
            continue;
        note->emitted = 1;
        /* A note is read apart from the body: fields open around its reference do not
         * reach into it. */
        docx_fields_t saved = d->fields;
        memset(&d->fields, 0, sizeof d->fields);
        lzs_textacc_t na;
        lzs_textacc_init(&na);
        d->in_note++;
        read_blocks(d, note->node, &na);
        d->in_note--;
        d->fields = saved;
        if (na.visible || na.st != LZS_OK) {
            lzs_block_t *b = lzs_textacc_emit(&na, d->out, LZS_BLOCK_FOOTNOTE, 0);
            if (b)
                snprintf(b->number, sizeof b->number, "%s", note->label);
        }
        lzs_textacc_free(&na);
    }
}

/* A paragraph read on its own becomes a block, or furniture in a header or footer. */
static void finish_para(docx_t *d, const docx_para_t *p, lzs_textacc_t *a, int toc)
{
    if (d->furniture) {
        lzs_textacc_furniture(a, d->out);
        return;
    }
    /* Only a label ("3.", "•") and no text of the author's: an empty line. */
    if (!a->visible && a->st == LZS_OK) {
        if (a->nmarks == 0)
            d->blank = 1;
        emit_notes(d, a);
        return;
    }
    lzs_block_kind_t kind = LZS_BLOCK_PARAGRAPH;
    int level = 0;
    unsigned flags = 0;
    if (p->title) {
        kind = LZS_BLOCK_HEADING;
        level = 1;
        flags |= LZS_BF_TITLE;
    } else if (p->heading > 0) {
        kind = LZS_BLOCK_HEADING;
        level = p->heading < 6 ? p->heading : 6;
    } else if (p->num_id > 0 || p->list > 0) {
        kind = LZS_BLOCK_LIST_ITEM;
        level = p->num_id > 0 && p->ilvl >= 0 ? p->ilvl + 1 : p->list > 0 ? p->list : 1;
    }
    if (toc)
        flags |= LZS_BF_TOC;
    if (p->caption)
        flags |= LZS_BF_CAPTION;
    if (p->center)
        flags |= LZS_BF_CENTERED;
    if (d->blank)
        flags |= LZS_BF_BLANK_BEFORE;
    lzs_block_t *b = lzs_textacc_emit(a, d->out, kind, flags);
    if (b == NULL)
        return;
    b->level = level;
    d->blank = 0;
    emit_notes(d, a);
}

static void read_para(docx_t *d, const xmlNode *pnode, lzs_textacc_t *acc)
{
    docx_para_t p;
    para_props(d, pnode, &p);
    lzs_textacc_t own;
    lzs_textacc_init(&own);
    lzs_textacc_t *a = acc ? acc : &own;
    if (acc)
        lzs_textacc_raw(acc, " ", 1);

    /* A paragraph that joins the next one prints no number of its own. */
    char label[128] = "";
    int bullet = 0;
    if (!p.mark_deleted && p.num_id > 0)
        p.ilvl =
            lzs_docx_number(&d->defs, p.num_id, p.ilvl, p.num_style, label, sizeof label, &bullet);
    if (label[0] == '\0' && !bullet && !p.list)
        p.num_id = -1; /* numbered with nothing printed: an ordinary paragraph */
    if (label[0]) {
        lzs_textacc_raw(a, label, strlen(label));
        lzs_textacc_raw(a, " ", 1);
    }
    if (!acc && !d->furniture)
        lzs_textacc_join(a, &d->carry);

    docx_runs_t rc = {a, acc, &p, SIZE_MAX, 0};
    rc.toc_seen = fields_toc(&d->fields) || d->toc_sdt > 0;
    read_inline(d, pnode, &rc);
    if (rc.custom_note != SIZE_MAX)
        custom_mark(d, &rc, "", 0);
    if (!acc) {
        if (p.mark_deleted && !d->furniture)
            lzs_textacc_join(&d->carry, a);
        else
            finish_para(d, &p, a, p.toc || rc.toc_seen);
        lzs_textacc_free(&own);
    }
}

/* ---- tables ------------------------------------------------------------------------------ */

static void read_cell(docx_t *d, const xmlNode *tc, unsigned row, unsigned col, lzs_textacc_t *acc)
{
    if (acc) {
        /* A table inside a cell is read into that cell. */
        read_blocks(d, tc, acc);
        return;
    }
    lzs_textacc_t ca;
    lzs_textacc_init(&ca);
    read_blocks(d, tc, &ca);
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
        emit_notes(d, &ca);
    } else {
        emit_notes(d, &ca);
    }
    lzs_textacc_free(&ca);
}

static void read_cells(docx_t *d, const xmlNode *parent, unsigned row, unsigned *col,
                       lzs_textacc_t *acc)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, W);
        if (e == NULL)
            continue;
        if (strcmp(e, "tc") == 0) {
            /* col is the first grid column the cell covers. */
            const xmlNode *pr = lzs_xml_child(c, W, "tcPr");
            char v[16];
            long span = 1;
            if (lzs_docx_val(pr, "gridSpan", v, sizeof v) && v[0])
                span = strtol(v, NULL, 10);
            if (span < 1 || span > 1000)
                span = 1;
            read_cell(d, c, row, *col + 1, acc);
            *col += (unsigned)span;
        } else if (strcmp(e, "sdt") == 0) {
            int toc;
            const xmlNode *content = sdt_content(c, &toc);
            if (content)
                read_cells(d, content, row, col, acc);
        } else if (strcmp(e, "customXml") == 0 || strcmp(e, "ins") == 0 ||
                   strcmp(e, "moveTo") == 0) {
            read_cells(d, c, row, col, acc);
        }
    }
}

static void read_rows(docx_t *d, const xmlNode *parent, unsigned *row, lzs_textacc_t *acc)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, W);
        if (e == NULL)
            continue;
        if (strcmp(e, "tr") == 0) {
            const xmlNode *pr = lzs_xml_child(c, W, "trPr");
            if (pr && lzs_xml_child(pr, W, "del"))
                continue; /* a deleted row */
            char v[16];
            long before = 0;
            if (lzs_docx_val(pr, "gridBefore", v, sizeof v) && v[0])
                before = strtol(v, NULL, 10);
            unsigned col = before > 0 && before < 1000 ? (unsigned)before : 0;
            ++*row;
            read_cells(d, c, *row, &col, acc);
        } else if (strcmp(e, "sdt") == 0) {
            int toc;
            const xmlNode *content = sdt_content(c, &toc);
            if (content)
                read_rows(d, content, row, acc);
        } else if (strcmp(e, "customXml") == 0 || strcmp(e, "ins") == 0 ||
                   strcmp(e, "moveTo") == 0) {
            read_rows(d, c, row, acc);
        }
    }
}

static void read_table(docx_t *d, const xmlNode *tbl, lzs_textacc_t *acc)
{
    unsigned row = 0;
    read_rows(d, tbl, &row, acc);
}

/* ---- block-level content ------------------------------------------------------------------ */

static void read_blocks(docx_t *d, const xmlNode *parent, lzs_textacc_t *acc)
{
    if (parent == NULL)
        return;
    for (const xmlNode *c = parent->children; c; c = c->next) {
        const char *e = lzs_xml_elem(c, W);
        if (e == NULL) {
            if (lzs_xml_is(c, MC, "AlternateContent"))
                read_blocks(d, alternate(c), acc);
            continue;
        }
        if (strcmp(e, "p") == 0) {
            read_para(d, c, acc);
        } else if (strcmp(e, "tbl") == 0) {
            read_table(d, c, acc);
        } else if (strcmp(e, "sdt") == 0) {
            int toc;
            const xmlNode *content = sdt_content(c, &toc);
            d->toc_sdt += toc;
            read_blocks(d, content, acc);
            d->toc_sdt -= toc;
        } else if (strcmp(e, "customXml") == 0 || strcmp(e, "ins") == 0 ||
                   strcmp(e, "moveTo") == 0 || strcmp(e, "body") == 0) {
            read_blocks(d, c, acc);
        }
        /* w:del and w:moveFrom: removed by tracked changes; w:sectPr, w:bookmarkStart,
         * w:altChunk (an embedded foreign file): no text of this document. */
    }
}

/* ---- the reader ------------------------------------------------------------------------- */

static void docx_free(docx_t *d)
{
    xmlFreeDoc(d->doc);
    xmlFreeDoc(d->styles_doc);
    xmlFreeDoc(d->numbering_doc);
    xmlFreeDoc(d->notes_doc);
    for (size_t i = 0; i < d->nparts; i++)
        xmlFreeDoc(d->parts[i]);
    free(d->rels.v);
    free(d->notes);
    lzs_docx_defs_free(&d->defs);
    lzs_textacc_free(&d->carry);
    lzs_zip_close(d->zip);
}

lzs_status_t lzs_read_docx(const struct lzs_extractor *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg)
{
    (void)ex;
    if (errmsg)
        *errmsg = NULL;
    docx_t d;
    memset(&d, 0, sizeof d);
    d.name = name;
    d.out = out;
    lzs_textacc_init(&d.carry);
    lzs_status_t st = lzs_zip_open(name, buf, len, NULL, &d.zip, errmsg);
    if (st == LZS_OK)
        st = load_parts(&d, errmsg);
    if (st == LZS_ERR_NOMEM && errmsg && *errmsg == NULL)
        nomem(name, errmsg);
    if (st != LZS_OK) {
        docx_free(&d);
        return st;
    }

    read_blocks(&d, lzs_xml_child(xmlDocGetRootElement(d.doc), W, "body"), NULL);
    if (d.carry.n > 0 || d.carry.nmarks > 0) {
        /* The last paragraph's mark was deleted: nothing follows to join. */
        docx_para_t plain;
        memset(&plain, 0, sizeof plain);
        plain.num_id = -1;
        finish_para(&d, &plain, &d.carry, 0);
    }
    d.furniture = 1;
    for (size_t i = 0; i < d.nparts; i++) {
        memset(&d.fields, 0, sizeof d.fields);
        read_blocks(&d, xmlDocGetRootElement(d.parts[i]), NULL);
    }
    st = out->st;
    docx_free(&d);
    if (st != LZS_OK)
        return nomem(name, errmsg);
    return LZS_OK;
}
