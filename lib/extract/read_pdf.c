/* read_pdf.c — the PDF reader (see block.h): poppler-glib opens the document from
 * memory and lays out each page's characters; each page becomes glyphs and then lines
 * (pdf_page.c) and is released before the next, so that memory follows the text kept,
 * not the pages; the document's lines become blocks at the end (pdf_doc.c).
 *
 * poppler-glib sends poppler's own warnings to g_log at INFO level, which GLib's default
 * handler does not print: a damaged file costs no output on stderr. Every call opens its
 * own PopplerDocument and keeps no state of its own, so threads may read files at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "lzs/file.h"
#include "lzs/hash.h"
#include "pdf_internal.h"

/* More pages than this is refused (LZS_ERR_LIMIT) before any page is read: the
 * Committee's longest documents have a few hundred pages. */
#define LZS_PDF_MAX_PAGES 10000

/* Style of a font from its name: "ABCDEE+LiberationSerif-Bold", "Arial,BoldItalic",
 * "Calibri-Semibold", "Arial-BoldMT", "Helvetica-Oblique", "Wingdings-Regular". */
static unsigned font_flags(const char *name)
{
    unsigned f = 0;
    if (name == NULL)
        return 0;
    const char *plus = strchr(name, '+');
    if (plus != NULL)
        name = plus + 1;
    static const char *const bold[] = {"bold", "semibold", "demi", "black", "heavy"};
    static const char *const italic[] = {"italic", "oblique"};
    static const char *const symbol[] = {"symbol", "wingding", "webding", "dingbat"};
    char low[128];
    size_t n = 0;
    for (; name[n] != '\0' && n + 1 < sizeof low; n++)
        low[n] = (char)((name[n] >= 'A' && name[n] <= 'Z') ? name[n] + 32 : name[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof bold / sizeof bold[0]; i++)
        if (strstr(low, bold[i]) != NULL)
            f |= PDF_G_BOLD;
    for (size_t i = 0; i < sizeof italic / sizeof italic[0]; i++)
        if (strstr(low, italic[i]) != NULL)
            f |= PDF_G_ITALIC;
    /* "-It" and "-BoldIt" of Adobe's names */
    size_t len = strlen(low);
    if (len > 3 && strcmp(low + len - 3, "-it") == 0)
        f |= PDF_G_ITALIC;
    if (len > 6 && strcmp(low + len - 6, "boldit") == 0)
        f |= PDF_G_ITALIC;
    for (size_t i = 0; i < sizeof symbol / sizeof symbol[0]; i++)
        if (strstr(low, symbol[i]) != NULL)
            f |= PDF_G_SYMBOL;
    return f;
}

/* The family of a font as a number: its name without the subset tag, the style after "-"
 * or ",", and the vendor and style endings glued to it ("ABCDEE+DejaVuSans-Bold",
 * "Arial-BoldMT" and "ArialMT" are one family each: "dejavusans", "arial"), hashed
 * (lzs_hash). Headings set in a font of their own tell themselves by it. 0 when unnamed. */
static uint32_t font_family(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return 0;
    const char *plus = strchr(name, '+');
    if (plus != NULL)
        name = plus + 1;
    char low[128];
    size_t n = 0;
    for (; name[n] != '\0' && name[n] != '-' && name[n] != ',' && n + 1 < sizeof low; n++)
        low[n] = (char)((name[n] >= 'A' && name[n] <= 'Z') ? name[n] + 32 : name[n]);
    low[n] = '\0';
    static const char *const endings[] = {"psmt", "mt",     "ps",      "bolditalic", "boldoblique",
                                          "bold", "italic", "oblique", "regular"};
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
            size_t e = strlen(endings[i]);
            if (n > e && strcmp(low + n - e, endings[i]) == 0) {
                n -= e;
                low[n] = '\0';
                again = 1;
            }
        }
    }
    uint32_t h = (uint32_t)lzs_hash(low, n);
    return h ? h : 1;
}

static int is_space_char(gunichar c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x3000;
}

/* Turns the page's text, boxes (one per character of text; should their counts ever
 * differ, the shorter decides) and attribute ranges into d->glyphs. Spaces and line ends
 * become flags of the glyph before them; boxes out of any sane page (beyond 10^6 points)
 * are dropped. */
static lzs_status_t page_glyphs(pdf_doc_t *d, const char *text, const PopplerRectangle *rects,
                                guint nrects, GList *attrs)
{
    d->nglyphs = 0;
    const char *s = text;
    GList *a = attrs;
    unsigned aflags = 0;
    uint32_t afamily = 0;
    float asize = 0;
    const PopplerTextAttributes *cur = NULL;
    for (guint i = 0; i < nrects && *s != '\0'; i++) {
        const char *next = g_utf8_find_next_char(s, NULL);
        size_t len = next != NULL ? (size_t)(next - s) : strlen(s);
        gunichar c = g_utf8_get_char_validated(s, (gssize)len);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            c = 0xFFFD;
        const char *here = s;
        s += len;
        while (a != NULL && ((PopplerTextAttributes *)a->data)->end_index < (gint)i)
            a = a->next;
        if (a != NULL && a->data != cur &&
            ((PopplerTextAttributes *)a->data)->start_index <= (gint)i) {
            cur = a->data;
            aflags = font_flags(cur->font_name);
            afamily = font_family(cur->font_name);
            asize = (float)cur->font_size;
        }
        if (c == '\n' || c == '\r') {
            if (d->nglyphs > 0)
                d->glyphs[d->nglyphs - 1].flags |= PDF_G_LINE_END;
            continue;
        }
        if (is_space_char(c)) {
            if (d->nglyphs > 0)
                d->glyphs[d->nglyphs - 1].flags |= PDF_G_SPACE_AFTER;
            continue;
        }
        const PopplerRectangle *r = &rects[i];
        if (!(fabs(r->x1) < 1e6 && fabs(r->x2) < 1e6 && fabs(r->y1) < 1e6 && fabs(r->y2) < 1e6) ||
            c < 0x20 || len > 4)
            continue;
        pdf_glyph_t *v = pdf_grow(d->glyphs, &d->capglyphs, d->nglyphs + 1, sizeof *v);
        if (v == NULL)
            return LZS_ERR_NOMEM;
        d->glyphs = v;
        pdf_glyph_t *g = &v[d->nglyphs];
        g->x1 = (float)fmin(r->x1, r->x2);
        g->x2 = (float)fmax(r->x1, r->x2);
        g->y1 = (float)fmin(r->y1, r->y2);
        g->y2 = (float)fmax(r->y1, r->y2);
        g->size = asize > 0 && isfinite(asize) ? asize : (g->y2 - g->y1) / 1.2f;
        g->cp = c;
        g->off = (uint32_t)(here - text);
        g->len = (uint8_t)len;
        g->seq = (uint32_t)d->nglyphs;
        g->flags = (uint8_t)aflags;
        g->family = afamily;
        if (g->size <= 0.0f)
            continue;
        d->nglyphs++;
    }
    return LZS_OK;
}

static lzs_status_t read_page(pdf_doc_t *d, PopplerPage *page)
{
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    d->nglyphs = 0;
    lzs_status_t st = LZS_OK;
    if (text != NULL && text[0] != '\0' && poppler_page_get_text_layout(page, &rects, &nrects)) {
        GList *attrs = poppler_page_get_text_attributes(page);
        st = page_glyphs(d, text, rects, nrects, attrs);
        poppler_page_free_text_attributes(attrs);
    }
    if (st == LZS_OK)
        st = pdf_page_lines(d, (float)w, (float)h, text != NULL ? text : "");
    g_free(rects);
    g_free(text);
    return st;
}

lzs_status_t lzs_read_pdf(const struct lzs_extractor *ex, const char *name, const char *buf,
                          size_t len, lzs_blocks_t *out, char **errmsg)
{
    if (ex == NULL) { /* its page words tell page numbers from text */
        lzs_set_errmsg(errmsg, "%s: the PDF reader needs the extractor's data", name);
        return LZS_ERR_INVALID;
    }
    if (len == 0) {
        lzs_set_errmsg(errmsg, "%s: not a readable PDF (empty file)", name);
        return LZS_ERR_PARSE;
    }
    GBytes *bytes = g_bytes_new_static(buf, len);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (doc == NULL) {
        lzs_status_t st = LZS_ERR_PARSE;
        if (g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
            lzs_set_errmsg(errmsg, "%s: encrypted PDF (password protected); not supported", name);
            st = LZS_ERR_UNSUPPORTED;
        } else {
            lzs_set_errmsg(errmsg, "%s: not a readable PDF (%s)", name,
                           gerr != NULL ? gerr->message : "poppler gave no reason");
        }
        if (gerr != NULL)
            g_error_free(gerr);
        return st;
    }
    int npages = poppler_document_get_n_pages(doc);
    if (npages > LZS_PDF_MAX_PAGES) {
        lzs_set_errmsg(errmsg, "%s: too many pages (%d; the limit is %d)", name, npages,
                       LZS_PDF_MAX_PAGES);
        g_object_unref(doc);
        return LZS_ERR_LIMIT;
    }
    if (npages <= 0) {
        lzs_set_errmsg(errmsg, "%s: not a readable PDF (no pages)", name);
        g_object_unref(doc);
        return LZS_ERR_PARSE;
    }
    pdf_doc_t d;
    memset(&d, 0, sizeof d);
    d.ex = ex;
    lzs_status_t st = LZS_OK;
    for (int i = 0; st == LZS_OK && i < npages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (page == NULL) {
            /* a page poppler cannot load reads as an empty page */
            d.nglyphs = 0;
            st = pdf_page_lines(&d, 0, 0, "");
            continue;
        }
        st = read_page(&d, page);
        g_object_unref(page);
    }
    g_object_unref(doc);
    size_t start = out->n;
    if (st == LZS_OK && d.nlines == 0) {
        lzs_set_errmsg(errmsg, "%s: no text layer; OCR is not supported", name);
        st = LZS_ERR_PARSE;
    }
    if (st == LZS_OK)
        st = pdf_doc_blocks(&d, out);
    if (st == LZS_OK) {
        out->npages = (unsigned)npages;
    } else {
        while (out->n > start)
            lzs_blocks_remove(out, out->n - 1);
        if (st == LZS_ERR_NOMEM)
            lzs_set_errmsg(errmsg, "%s: out of memory reading the PDF", name);
    }
    pdf_doc_free(&d);
    return st;
}
