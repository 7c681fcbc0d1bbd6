/* pdf_doc.c — the lines of a whole PDF into blocks (see pdf_internal.h, block.h).
 *
 * Facts of the document first: the body size (the size most characters have), whether
 * the body is bold and the font family it is set in, the line spacing of each size (the
 * lower quartile of the distances between consecutive baselines of that size in one
 * column), and the body area (from the highest top to the lowest bottom of the full-width
 * body lines of any page). Then each page: its margin lines, its footnotes, its
 * paragraphs and table cells; last the headings of the whole document and their levels.
 *
 * Work: O(L log L) in the L lines of the document (sorts), otherwise linear.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pdf_internal.h"
#include "stage.h"

typedef struct {
    float size, pitch;
} pitch_t;

typedef struct {
    float body;           /* body text size */
    int body_bold;        /* most body text is bold */
    uint32_t body_family; /* the font family of most body text (0: unknown) */
    float top, bottom;    /* body area, in fractions of the page height */
    pitch_t *pitch;       /* line spacing by size, sizes ascending */
    size_t npitch;
} stats_t;

typedef struct {
    float key;
    float value;
} pair_t;

static int cmp_pair(const void *a, const void *b)
{
    const pair_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return 0;
}

static const char *line_text(const pdf_doc_t *d, const pdf_line_t *l)
{
    return d->text + l->text;
}

/* ---- facts of the document -------------------------------------------------------- */

/* Body size and weight: the group of sizes (within 0.3 pt) holding most characters. */
static lzs_status_t find_body(const pdf_doc_t *d, stats_t *st)
{
    pair_t *v = malloc((d->nlines ? d->nlines : 1) * sizeof *v);
    if (v == NULL)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < d->nlines; i++) {
        v[i].key = d->lines[i].size;
        v[i].value = (float)d->lines[i].nchars;
    }
    qsort(v, d->nlines, sizeof *v, cmp_pair);
    double best = -1;
    for (size_t i = 0; i < d->nlines;) {
        size_t j = i;
        double w = 0, ws = 0;
        while (j < d->nlines && v[j].key - v[i].key <= 0.3f) {
            w += v[j].value;
            ws += (double)v[j].value * v[j].key;
            j++;
        }
        if (w > best) {
            best = w;
            st->body = (float)(ws / (w > 0 ? w : 1));
        }
        i = j;
    }
    free(v);
    double all = 0, bold = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        if (fabsf(d->lines[i].size - st->body) > 0.3f)
            continue;
        all += d->lines[i].nchars;
        if (d->lines[i].flags & PDF_L_BOLD)
            bold += d->lines[i].nchars;
    }
    st->body_bold = all > 0 && bold > all / 2;
    /* the family most characters of the body size are set in (the first 16 families met) */
    uint32_t fam[16];
    double count[16];
    size_t nfam = 0, best_fam = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const pdf_line_t *l = &d->lines[i];
        if (fabsf(l->size - st->body) > 0.3f || l->family == 0)
            continue;
        size_t k = 0;
        while (k < nfam && fam[k] != l->family)
            k++;
        if (k == nfam) {
            if (nfam == sizeof fam / sizeof fam[0])
                continue;
            fam[nfam] = l->family;
            count[nfam++] = 0;
        }
        count[k] += l->nchars;
        if (count[k] > count[best_fam])
            best_fam = k;
    }
    st->body_family = nfam > 0 ? fam[best_fam] : 0;
    return LZS_OK;
}

static lzs_status_t find_pitches(const pdf_doc_t *d, stats_t *st)
{
    pair_t *v = malloc((d->nlines ? d->nlines : 1) * sizeof *v);
    if (v == NULL)
        return LZS_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 1; i < d->nlines; i++) {
        const pdf_line_t *a = &d->lines[i - 1], *b = &d->lines[i];
        float dist = b->base - a->base;
        if (a->page == b->page && a->band == b->band && a->col == b->col &&
            fabsf(a->size - b->size) <= 0.3f && dist >= 0.8f * a->size && dist <= 3.0f * a->size) {
            v[n].key = a->size;
            v[n].value = dist;
            n++;
        }
    }
    qsort(v, n, sizeof *v, cmp_pair);
    st->pitch = malloc((n ? n : 1) * sizeof *st->pitch);
    if (st->pitch == NULL) {
        free(v);
        return LZS_ERR_NOMEM;
    }
    st->npitch = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].key - v[i].key <= 0.3f)
            j++;
        float size = (v[i].key + v[j - 1].key) / 2;
        /* The lower quartile of the group's distances is a line inside a paragraph even
         * where paragraphs are short and spaced: sort the group by distance for it. */
        for (size_t m = i; m < j; m++) {
            v[m].key = v[m].value;
            v[m].value = 0;
        }
        qsort(v + i, j - i, sizeof *v, cmp_pair);
        st->pitch[st->npitch].size = size;
        st->pitch[st->npitch].pitch = v[i + (j - i) / 4].key;
        st->npitch++;
        i = j;
    }
    free(v);
    return LZS_OK;
}

static float pitch_for(const stats_t *st, float size)
{
    const pitch_t *best = NULL;
    for (size_t i = 0; i < st->npitch; i++)
        if (fabsf(st->pitch[i].size - size) <= 0.3f &&
            (best == NULL || fabsf(st->pitch[i].size - size) < fabsf(best->size - size)))
            best = &st->pitch[i];
    if (best != NULL)
        return best->pitch;
    for (size_t i = 0; i < st->npitch; i++)
        if (fabsf(st->pitch[i].size - st->body) <= 0.3f)
            return st->pitch[i].pitch * size / st->body;
    return 1.2f * size;
}

/* A full line of body text: where the body area is. */
static int full_body_line(const pdf_line_t *l, const stats_t *st)
{
    return l->size >= st->body - 0.5f && l->nchars >= 8 &&
           l->x2 - l->x1 >= 0.6f * (l->colx2 - l->colx1);
}

static void find_body_area(const pdf_doc_t *d, stats_t *st)
{
    st->top = INFINITY;
    st->bottom = -INFINITY;
    for (size_t p = 0; p < d->npages; p++) {
        const pdf_page_t *pg = &d->pages[p];
        for (size_t i = pg->first; i < pg->first + pg->n; i++) {
            const pdf_line_t *l = &d->lines[i];
            if (!full_body_line(l, st) || !(pg->h > 0))
                continue;
            st->top = fminf(st->top, l->top / pg->h);
            st->bottom = fmaxf(st->bottom, l->bottom / pg->h);
        }
    }
    if (!isfinite(st->top) || !isfinite(st->bottom)) {
        st->top = 0.08f;
        st->bottom = 0.92f;
    }
}

/* ---- what a line starts with ------------------------------------------------------- */

static int is_roman(const char *s, size_t n)
{
    if (n == 0 || n > 6)
        return 0;
    int upper = s[0] >= 'A' && s[0] <= 'Z';
    for (size_t i = 0; i < n; i++)
        if (!strchr(upper ? "IVXL" : "ivxl", s[i]))
            return 0;
    return 1;
}

/* A paragraph number or a bullet followed by a space: "12. ", "2.1.1. ", "2.1 ",
 * "12) ", "a) ", "(a) ", "(iv) ", "IV. ", "• ". */
static int starts_with_label(const char *s, size_t n)
{
    static const char *const bullets[] = {
        "\u2022", "\u25E6", "\u25AA", "\u25A0", "\u25A1", "\u25BA", "\u25B6", "\u27A2", "\u27A4",
        "\u2713", "\u2714", "\u25CB", "\u25CF", "\u00B7", "-",      "\u2013", "\u2014", "*"};
    for (size_t b = 0; b < sizeof bullets / sizeof bullets[0]; b++) {
        size_t bl = strlen(bullets[b]);
        if (n > bl && memcmp(s, bullets[b], bl) == 0 && s[bl] == ' ')
            return 1;
    }
    if (n >= 3 && strncmp(s, "\u2022", 3) == 0)
        return 1;
    size_t i = 0;
    int paren = n > 0 && s[0] == '(';
    i += (size_t)paren;
    size_t start = i;
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        int parts = 0, dot_end = 0;
        for (;;) {
            size_t d0 = i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d0 || i - d0 > 3)
                return 0;
            parts++;
            dot_end = 0;
            if (i < n && s[i] == '.' && !paren) {
                i++;
                dot_end = 1;
                if (i < n && s[i] >= '0' && s[i] <= '9')
                    continue;
            }
            break;
        }
        if (i < n && s[i] == ')' && !dot_end) {
            i++;
            dot_end = 1;
        } else if (paren) {
            return 0;
        }
        return (dot_end || parts > 1) && i < n && s[i] == ' ';
    }
    size_t j = i;
    while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
        j++;
    if (j == start || j + 1 >= n || s[j + 1] != ' ')
        return 0;
    size_t len = j - start;
    int lower_letter = len == 1 && s[start] >= 'a' && s[start] <= 'z';
    if (s[j] == ')')
        return lower_letter || is_roman(s + start, len) || (len == 1 && !paren);
    if (s[j] == '.' && !paren)
        return is_roman(s + start, len) && s[start] >= 'A' && s[start] <= 'Z';
    return 0;
}

/* Whether line l starts with a label: as starts_with_label() says, or with the label of a
 * list lettered "a.", "b." or numbered "iv." when a tab sets its text apart (1.5 em from
 * the line's start: "v. Bulgaria" in a case name is no label). */
static int line_starts_with_label(const pdf_doc_t *d, const pdf_line_t *l, size_t skip)
{
    const char *s = line_text(d, l) + skip;
    size_t n = l->len - skip;
    if (starts_with_label(s, n))
        return 1;
    size_t j = 0;
    while (j < n && s[j] >= 'a' && s[j] <= 'z')
        j++;
    return j > 0 && j + 1 < n && s[j] == '.' && s[j + 1] == ' ' && (j == 1 || is_roman(s, j)) &&
           skip == 0 && l->xtext - l->x1 >= 1.5f * l->size;
}

/* The whole line is a page number as printed ("2 / 12", "- 3 -", "Page 3 of 14"): page
 * furniture, never a footnote labelled "2" whose text is "/ 12". */
static int page_number_line(const pdf_doc_t *d, const pdf_line_t *l)
{
    char buf[64];
    if (l->len >= sizeof buf)
        return 0;
    memcpy(buf, line_text(d, l), l->len);
    buf[l->len] = '\0';
    return lzs_layout_is_page_number(d->ex, buf);
}

/* The label of a footnote line: "23 Recommendation V-17." (digits, a space, text), or a
 * raised marker before any text. 1 and the label in number, the bytes of text it takes
 * in *skip and whether it was the line's first marker in *from_mark. */
static int footnote_label(const pdf_doc_t *d, const pdf_line_t *l, char number[32], size_t *skip,
                          int *from_mark)
{
    const char *s = line_text(d, l);
    *skip = 0;
    *from_mark = 0;
    if (l->nmarks > 0 && d->marks[l->mark].at == 0) {
        snprintf(number, 32, "%u", d->marks[l->mark].num);
        *from_mark = 1;
        return 1;
    }
    size_t i = 0;
    while (i < l->len && i < 4 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i >= l->len || s[i] != ' ' || (s[i] >= '0' && s[i] <= '9') ||
        page_number_line(d, l))
        return 0;
    memcpy(number, s, i);
    number[i] = '\0';
    *skip = i + 1;
    return 1;
}

/* ---- blocks being built ---------------------------------------------------------------- */

typedef struct {
    int open;
    lzs_block_kind_t kind;
    unsigned flags, page;
    float size;
    char number[32];
    char *text;
    size_t len, cap;
    unsigned *marks;
    size_t nmarks, capmarks;
    const pdf_line_t *first;
    size_t nlines;
    int label;         /* its first line starts with a number or a bullet */
    int centered;      /* every line is centred in its column */
    unsigned row, col; /* a table cell's place */
    uint32_t family;   /* the font family of all its lines, 0 when they mix */
    /* the font family of each block made so far: fam[i] for block base + i */
    uint32_t *fam;
    size_t base, nfam, capfam;
} para_t;

static int centered(const pdf_line_t *l)
{
    float colw = l->colx2 - l->colx1;
    float mid = (l->x1 + l->x2) / 2, colmid = (l->colx1 + l->colx2) / 2;
    return l->x2 - l->x1 < 0.95f * colw && fabsf(mid - colmid) <= fmaxf(3.0f, 0.02f * colw);
}

/* Whether two lines are both centred in their column: lines of one centred block. */
static int both_centered(const pdf_line_t *a, const pdf_line_t *b)
{
    float colw = b->colx2 - b->colx1, tol = fmaxf(3.0f, 0.02f * colw);
    return fabsf((a->x1 + a->x2) - (a->colx1 + a->colx2)) / 2 <= tol &&
           fabsf((b->x1 + b->x2) - (b->colx1 + b->colx2)) / 2 <= tol;
}

static lzs_status_t para_put(para_t *p, const char *s, size_t n)
{
    char *t = pdf_grow(p->text, &p->cap, p->len + n + 1, 1);
    if (t == NULL)
        return LZS_ERR_NOMEM;
    p->text = t;
    memcpy(p->text + p->len, s, n);
    p->len += n;
    return LZS_OK;
}

/* Whether the text so far ends with a hyphen right after a letter or a digit ("co-",
 * "11-"); *at gets where the hyphen starts. */
static int ends_with_hyphen(const para_t *p, size_t *at)
{
    if (p->len == 0)
        return 0;
    int32_t i = (int32_t)p->len;
    UChar32 c;
    U8_PREV((const uint8_t *)p->text, 0, i, c);
    if (c != '-' && c != 0x2010 && c != 0x2011)
        return 0;
    *at = (size_t)i;
    if (i == 0)
        return 0;
    UChar32 before;
    U8_PREV((const uint8_t *)p->text, 0, i, before);
    return u_isalnum(before);
}

/* Whether a line's text starts with a letter or a digit: a word, or a range ("11-" /
 * "14 March"), that a hyphen at the end of the line before may have split. */
static int starts_alnum(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)s, i, (int32_t)n, c);
    return c >= 0 && u_isalnum(c);
}

/* Whether a line's text starts with a letter that is not upper case: the rest of a
 * hyphenated word. */
static int starts_lower(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)s, i, (int32_t)n, c);
    return c >= 0 && u_isalpha(c) && !u_isupper(c) && !u_istitle(c);
}

/* Whether a line's text ends a sentence or a clause a paragraph may end with. */
static int ends_sentence(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ')' || s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    return n > 0 && strchr(".!?:;", s[n - 1]) != NULL;
}

/* Whether the text so far ends with a web address ("https://...", "www...."). */
static int ends_with_address(const para_t *p)
{
    size_t w = p->len;
    while (w > 0 && p->text[w - 1] != ' ')
        w--;
    const char *word = p->text + w;
    size_t n = p->len - w;
    if (n >= 4 && memcmp(word, "www.", 4) == 0)
        return 1;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(word + i, "://", 3) == 0)
            return 1;
    return 0;
}

/* Characters that join the parts of a web address and that neither start nor end a word
 * of prose. */
static int address_joint(char c)
{
    return c != '\0' && strchr("#%=&?_~", c) != NULL;
}

/* Appends a line's text (skip bytes left out) to the block: a hyphen between a letter or
 * digit at the end of the line before and one at the start of this line becomes U+00AD
 * (the layout stage decides whether the word keeps it: "co-" / "operation", "T-" /
 * "ES(2019)", "11-" / "14"); a web address goes on at the start of the next line without
 * a space where the line ends, or the next starts, with a character that joins the parts
 * of an address ("#", "%", "=", ...; "/" at the start); else the lines are joined by a
 * space. */
static lzs_status_t para_text(para_t *p, const char *s, size_t n)
{
    if (n == 0)
        return LZS_OK;
    size_t at;
    if (p->len == 0)
        return para_put(p, s, n);
    if (ends_with_hyphen(p, &at) && starts_alnum(s, n)) {
        p->len = at;
        if (para_put(p, "\xC2\xAD", 2) != LZS_OK)
            return LZS_ERR_NOMEM;
        return para_put(p, s, n);
    }
    /* "...lanzarote-committee#" / "%2212441908%22:[2]": the address stops at neither */
    if (ends_with_address(p) &&
        (address_joint(p->text[p->len - 1]) || address_joint(s[0]) || s[0] == '/'))
        return para_put(p, s, n);
    if (para_put(p, " ", 1) != LZS_OK)
        return LZS_ERR_NOMEM;
    return para_put(p, s, n);
}

static lzs_status_t para_marks(para_t *p, const pdf_doc_t *d, const pdf_line_t *l, size_t from)
{
    for (size_t k = from; k < l->nmarks; k++) {
        unsigned *m = pdf_grow(p->marks, &p->capmarks, p->nmarks + 1, sizeof *m);
        if (m == NULL)
            return LZS_ERR_NOMEM;
        p->marks = m;
        p->marks[p->nmarks++] = d->marks[l->mark + k].num;
    }
    return LZS_OK;
}

static void para_start(para_t *p, const pdf_line_t *l, lzs_block_kind_t kind, unsigned flags)
{
    p->open = 1;
    p->kind = kind;
    p->flags = flags;
    p->page = l->page;
    p->size = l->size;
    p->number[0] = '\0';
    p->len = 0;
    p->nmarks = 0;
    p->first = l;
    p->nlines = 0;
    p->label = 0;
    p->centered = 1;
    p->row = 0;
    p->col = 0;
    p->family = l->family;
}

/* Adds line l to the open block, leaving out skip bytes of its text and its first
 * skip_marks markers. */
static lzs_status_t para_line(para_t *p, const pdf_doc_t *d, const pdf_line_t *l, size_t skip,
                              size_t skip_marks)
{
    const char *s = line_text(d, l) + skip;
    size_t n = l->len - skip;
    while (n > 0 && s[0] == ' ') {
        s++;
        n--;
    }
    if (p->nlines == 0)
        p->label = line_starts_with_label(d, l, (size_t)(s - line_text(d, l)));
    p->nlines++;
    p->centered = p->centered && centered(l);
    if (l->family != p->family)
        p->family = 0;
    if ((l->flags & PDF_L_BOLD) == 0)
        p->flags &= ~(unsigned)LZS_BF_BOLD;
    if ((l->flags & PDF_L_ITALIC) == 0)
        p->flags &= ~(unsigned)LZS_BF_ITALIC;
    if (para_text(p, s, n) != LZS_OK)
        return LZS_ERR_NOMEM;
    return para_marks(p, d, l, skip_marks);
}

static lzs_status_t para_flush(para_t *p, lzs_blocks_t *out)
{
    if (!p->open)
        return LZS_OK;
    p->open = 0;
    if (p->len == 0)
        return LZS_OK;
    lzs_block_t *b = lzs_blocks_add(out, p->kind, p->text, p->len);
    if (b == NULL)
        return LZS_ERR_NOMEM;
    b->flags = p->flags | (p->centered && p->kind != LZS_BLOCK_FOOTNOTE ? LZS_BF_CENTERED : 0u);
    b->page = p->page;
    b->size = p->size;
    b->lines = 1;
    b->row = p->row;
    b->col = p->col;
    size_t at = out->n - 1 - p->base;
    uint32_t *fam = pdf_grow(p->fam, &p->capfam, at + 1, sizeof *fam);
    if (fam == NULL)
        return LZS_ERR_NOMEM;
    p->fam = fam;
    while (p->nfam < at)
        p->fam[p->nfam++] = 0; /* page breaks */
    p->fam[at] = p->family;
    p->nfam = at + 1;
    memcpy(b->number, p->number, sizeof b->number);
    for (size_t k = 0; k < p->nmarks; k++)
        if (lzs_block_add_mark(out, b, p->marks[k]) != LZS_OK)
            return LZS_ERR_NOMEM;
    return LZS_OK;
}

static unsigned style_flags(const pdf_line_t *l)
{
    return ((l->flags & PDF_L_BOLD) ? (unsigned)LZS_BF_BOLD : 0u) |
           ((l->flags & PDF_L_ITALIC) ? (unsigned)LZS_BF_ITALIC : 0u);
}

/* Whether line l starts a new block after line prev of block p; *blank when it is set
 * apart by a gap wider than the line spacing. */
static int starts_block(const para_t *p, const pdf_line_t *prev, const pdf_line_t *l,
                        const pdf_doc_t *d, const stats_t *st, int *blank)
{
    *blank = 0;
    if (!p->open || prev == NULL || l->page != prev->page)
        return 1;
    if (l->band != prev->band || l->col != prev->col) {
        /* the head of a column band right under full-width text: apart when a gap is */
        if (l->band != prev->band && prev->col == 0 && l->col <= 1 &&
            l->base - prev->base > 1.3f * pitch_for(st, prev->size))
            *blank = 1;
        /* a paragraph goes on from the foot of the left column to the head of the right
         * one when the left column's last line is full, or stops in mid-sentence */
        if (!(l->band == prev->band && prev->col == 1 && l->col == 2 &&
              (prev->x2 >= prev->colx2 - 2.0f * prev->size ||
               (!ends_sentence(line_text(d, prev), prev->len) &&
                starts_lower(line_text(d, l), l->len)))))
            return 1;
    } else {
        float dist = l->base - prev->base;
        if (dist < 0.3f * prev->size)
            return 1;
        if (dist > 1.3f * pitch_for(st, prev->size)) {
            *blank = 1;
            return 1;
        }
    }
    if (fabsf(l->size - prev->size) > 0.5f)
        return 1;
    /* a change of weight starts a block (a bold heading over body text, body text over a
     * bold heading), unless bold words go on from the end of one line to the start of the
     * next (words set bold inside a paragraph) */
    if ((l->flags & PDF_L_BOLD) != (prev->flags & PDF_L_BOLD) &&
        !((prev->flags & PDF_L_BOLD_LAST) && (l->flags & PDF_L_BOLD_FIRST)))
        return 1;
    if (line_starts_with_label(d, l, 0))
        return 1;
    /* indents are measured from the left edge of each line's column */
    float tol = fmaxf(2.0f, 0.3f * l->size);
    float x = l->x1 - l->colx1, px = prev->x1 - prev->colx1;
    if (x > px + tol) {
        /* a hanging indent: the lines of a numbered or bulleted paragraph start where the
         * text after its number starts */
        if (p->label && p->first->xtext >= 0 &&
            fabsf(x - (p->first->xtext - p->first->colx1)) <= tol)
            return 0;
        return !both_centered(prev, l); /* else a first-line indent */
    }
    if (x < px - tol)
        return !(p->nlines == 1 || both_centered(prev, l));
    return 0;
}

/* ---- one page ---------------------------------------------------------------------- */

enum { ROLE_BODY, ROLE_TOP, ROLE_BOTTOM, ROLE_FOOT };

typedef struct {
    float key;
    size_t i;
} order_t;

static int cmp_order(const void *a, const void *b)
{
    const order_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

typedef struct {
    const pdf_doc_t *d;
    const stats_t *st;
    lzs_blocks_t *out;
    para_t para;
    order_t *ys;         /* the page's lines by top */
    unsigned char *role; /* ROLE_* of each line of the page */
    size_t cap;
} page_ctx_t;

static int is_short(const pdf_line_t *l, float left, float right)
{
    return l->x2 - l->x1 <= 0.6f * (right - left);
}

/* Flags the lines in the top and bottom margins of the page: above or below the body
 * area, and either short and alone in the top or bottom 8% of the page, or set apart from
 * the body by a gap of two lines. */
static void find_margins(page_ctx_t *c, const pdf_page_t *pg)
{
    const pdf_line_t *L = c->d->lines + pg->first;
    const stats_t *st = c->st;
    size_t n = pg->n;
    float left = INFINITY, right = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        left = fminf(left, L[i].x1);
        right = fmaxf(right, L[i].x2);
    }
    float h = pg->h, big = 2.0f * pitch_for(st, st->body);
    for (size_t k = 0; k < n; k++) {
        const pdf_line_t *l = &L[c->ys[k].i];
        if (l->bottom > st->top * h + 0.5f * l->size)
            break;
        size_t j = k + 1;
        while (j < n && L[c->ys[j].i].top <= l->top + 0.5f * l->size)
            j++;
        float gap = j < n ? L[c->ys[j].i].top - l->bottom : INFINITY;
        int alone = gap >= 0.35f * l->size;
        if (!((l->top < 0.08f * h && alone && is_short(l, left, right)) ||
              (gap >= big && l->bottom < 0.12f * h)))
            break;
        c->role[c->ys[k].i] = ROLE_TOP;
    }
    for (size_t k = n; k-- > 0;) {
        const pdf_line_t *l = &L[c->ys[k].i];
        if (c->role[c->ys[k].i] != ROLE_BODY || l->top < st->bottom * h - 0.5f * l->size)
            break;
        char number[32];
        size_t skip;
        int from_mark;
        if (l->size <= st->body - 0.75f && footnote_label(c->d, l, number, &skip, &from_mark) &&
            (from_mark || skip < l->len))
            break;
        size_t j = k;
        while (j > 0 && L[c->ys[j - 1].i].top >= l->top - 0.5f * l->size)
            j--;
        float gap = j > 0 ? l->top - L[c->ys[j - 1].i].bottom : INFINITY;
        int alone = gap >= 0.35f * l->size;
        if (!((l->bottom > 0.92f * h && alone && is_short(l, left, right)) ||
              (gap >= big && l->top > 0.88f * h)))
            break;
        c->role[c->ys[k].i] = ROLE_BOTTOM;
    }
}

/* The footnotes by their size, walking up from the foot of the page: lines set clearly
 * smaller than the body, and lines of any size from one that starts with a raised marker
 * down (a footnote set at body size). A footnote goes on for at most 8 lines below its
 * label; small lines above the first label go on a footnote of the page before. At body
 * size, the footnotes must be set apart from the text above by a gap wider than the line
 * spacing; and body text must stand above them, or they start in the lower half. Returns
 * the rank (in c->ys) of the first footnote line, or pg->n when there is none. */
static size_t small_notes(const page_ctx_t *c, const pdf_page_t *pg)
{
    const pdf_line_t *L = c->d->lines + pg->first;
    const stats_t *st = c->st;
    size_t n = pg->n, k = n, top = n, run = 0;
    int run_small = 1;
    while (k-- > 0) {
        size_t i = c->ys[k].i;
        if (c->role[i] == ROLE_BOTTOM)
            continue;
        if (c->role[i] != ROLE_BODY)
            break;
        int small = L[i].size <= st->body - 0.75f && L[i].size <= 0.95f * st->body;
        if (!small && run >= 8)
            break;
        char number[32];
        size_t skip;
        int from_mark;
        int label = footnote_label(c->d, &L[i], number, &skip, &from_mark);
        if ((label && small) || (label && from_mark)) {
            top = k;
            run = 0;
            run_small = 1;
            continue;
        }
        run++;
        run_small = run_small && small;
    }
    if (top == n)
        return n;
    /* small lines above the first label: the end of a footnote begun a page before */
    if (run > 0 && run_small) {
        size_t j = top;
        while (j > 0 && run > 0) {
            j--;
            if (c->role[c->ys[j].i] == ROLE_BODY) {
                top = j;
                run--;
            }
        }
    }
    const pdf_line_t *first = &L[c->ys[top].i];
    int body_above = 0;
    float above = -INFINITY;
    for (size_t j = 0; j < top; j++) {
        if (c->role[c->ys[j].i] != ROLE_BODY)
            continue;
        body_above = 1;
        above = fmaxf(above, L[c->ys[j].i].bottom);
    }
    if (!body_above && first->top < 0.5f * pg->h)
        return n;
    if (first->size > st->body - 0.75f && body_above &&
        first->base - above < 1.3f * pitch_for(st, st->body) + (first->base - first->top))
        return n;
    return top;
}

/* Footnote numbers up to this are remembered while a page is read top down. */
#define NOTE_NUMBERS 4096

/* The footnotes by their label, walking down the page: the first line that starts with a
 * raised marker whose number a marker in the text above it on the page referenced, set
 * apart from the line above by more than the line spacing, starts the footnote zone of a
 * word processor, which runs to the foot of the page (notes at any size, as LibreOffice
 * sets them at body size under a separator rule that is no text). Returns its rank in
 * c->ys, or pg->n when there is none. */
static size_t referenced_notes(const page_ctx_t *c, const pdf_page_t *pg)
{
    const pdf_doc_t *d = c->d;
    const pdf_line_t *L = d->lines + pg->first, *prev = NULL;
    unsigned char seen[NOTE_NUMBERS / 8];
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < pg->n; k++) {
        const pdf_line_t *l = &L[c->ys[k].i];
        if (c->role[c->ys[k].i] != ROLE_BODY)
            continue;
        size_t m = 0;
        if (l->nmarks > 0 && d->marks[l->mark].at == 0) {
            unsigned num = d->marks[l->mark].num;
            if (num < NOTE_NUMBERS && (seen[num / 8] & (1u << (num % 8))) && prev != NULL &&
                l->base - prev->base > 1.3f * pitch_for(c->st, prev->size))
                return k;
            m = 1; /* a label is no reference */
        }
        for (; m < l->nmarks; m++) {
            unsigned num = d->marks[l->mark + m].num;
            if (num < NOTE_NUMBERS)
                seen[num / 8] |= (unsigned char)(1u << (num % 8));
        }
        prev = l;
    }
    return pg->n;
}

/* Flags the footnotes of the page: from the first line that either way finds, down. */
static void find_footnotes(page_ctx_t *c, const pdf_page_t *pg)
{
    size_t top = small_notes(c, pg), ref = referenced_notes(c, pg);
    if (ref < top)
        top = ref;
    for (size_t j = top; j < pg->n; j++)
        if (c->role[c->ys[j].i] == ROLE_BODY)
            c->role[c->ys[j].i] = ROLE_FOOT;
}

static lzs_status_t emit_margin(page_ctx_t *c, const pdf_line_t *l, unsigned flag)
{
    para_t *p = &c->para;
    para_start(p, l, LZS_BLOCK_PARAGRAPH, flag | style_flags(l));
    if (para_line(p, c->d, l, 0, 0) != LZS_OK)
        return LZS_ERR_NOMEM;
    p->centered = 0;
    return para_flush(p, c->out);
}

/* Emits the cells of the table whose lines are L[i0, i1) (in the page's order, row by
 * row), the body lines among them. A row of the table may hold several lines of text (a
 * cell's text wrapped, a header set at the bottom of its cells): a table's rows are set
 * apart by the padding of their cells, a distance between baselines wider than the line
 * spacing by more than 0.15 em. */
static lzs_status_t emit_table(page_ctx_t *c, const pdf_line_t *L, size_t i0, size_t i1)
{
    para_t *p = &c->para;
    unsigned ncols = 0, row = 0;
    for (size_t i = i0; i < i1; i++)
        ncols = L[i].tcol > ncols ? L[i].tcol : ncols;
    for (size_t i = i0; i < i1;) {
        size_t e = i + 1;
        while (e < i1 &&
               L[e].base - L[e - 1].base <= pitch_for(c->st, L[e - 1].size) + 0.15f * L[e - 1].size)
            e++;
        row++;
        for (unsigned col = 1; col <= ncols; col++) {
            for (size_t j = i; j < e; j++) {
                if (L[j].tcol != col || c->role[j] != ROLE_BODY)
                    continue;
                if (!p->open) {
                    para_start(p, &L[j], LZS_BLOCK_TABLE_CELL, style_flags(&L[j]));
                    p->row = row;
                    p->col = col;
                }
                if (para_line(p, c->d, &L[j], 0, 0) != LZS_OK)
                    return LZS_ERR_NOMEM;
            }
            if (para_flush(p, c->out) != LZS_OK)
                return LZS_ERR_NOMEM;
        }
        i = e;
    }
    return LZS_OK;
}

static lzs_status_t emit_body(page_ctx_t *c, const pdf_page_t *pg)
{
    const pdf_line_t *L = c->d->lines + pg->first, *prev = NULL;
    para_t *p = &c->para;
    for (size_t i = 0; i < pg->n; i++) {
        if (c->role[i] != ROLE_BODY)
            continue;
        if (L[i].table) {
            size_t e = i + 1;
            while (e < pg->n && L[e].table == L[i].table)
                e++;
            if (para_flush(p, c->out) != LZS_OK || emit_table(c, L, i, e) != LZS_OK)
                return LZS_ERR_NOMEM;
            prev = NULL;
            i = e - 1;
            continue;
        }
        int blank;
        if (starts_block(p, prev, &L[i], c->d, c->st, &blank)) {
            if (para_flush(p, c->out) != LZS_OK)
                return LZS_ERR_NOMEM;
            para_start(p, &L[i], LZS_BLOCK_PARAGRAPH,
                       style_flags(&L[i]) | (blank ? (unsigned)LZS_BF_BLANK_BEFORE : 0u));
        }
        if (para_line(p, c->d, &L[i], 0, 0) != LZS_OK)
            return LZS_ERR_NOMEM;
        prev = &L[i];
    }
    return para_flush(p, c->out);
}

static lzs_status_t emit_footnotes(page_ctx_t *c, const pdf_page_t *pg)
{
    const pdf_line_t *L = c->d->lines + pg->first;
    para_t *p = &c->para;
    for (size_t i = 0; i < pg->n; i++) {
        if (c->role[i] != ROLE_FOOT)
            continue;
        char number[32];
        size_t skip = 0;
        int from_mark = 0;
        int labelled = footnote_label(c->d, &L[i], number, &skip, &from_mark);
        /* Notes are numbered in order: under note N, a number written at the start of a
         * line (not raised) starts a note only when it is N + 1; else the line goes on
         * with note N ("... on Article 23 of" / "17 June 2015."). */
        if (labelled && !from_mark && p->open && p->number[0] != '\0' &&
            strtoul(number, NULL, 10) != strtoul(p->number, NULL, 10) + 1)
            labelled = 0;
        if (labelled || !p->open) {
            if (para_flush(p, c->out) != LZS_OK)
                return LZS_ERR_NOMEM;
            /* lines before the first label go on a footnote of the page before */
            para_start(p, &L[i], LZS_BLOCK_FOOTNOTE, style_flags(&L[i]));
            if (labelled)
                memcpy(p->number, number, sizeof p->number);
        }
        if (para_line(p, c->d, &L[i], labelled ? skip : 0, labelled && from_mark ? 1 : 0) != LZS_OK)
            return LZS_ERR_NOMEM;
    }
    return para_flush(p, c->out);
}

static lzs_status_t emit_page(page_ctx_t *c, size_t pno)
{
    const pdf_page_t *pg = &c->d->pages[pno];
    const pdf_line_t *L = c->d->lines + pg->first;
    if (pno > 0) {
        lzs_block_t *b = lzs_blocks_add(c->out, LZS_BLOCK_PAGE_BREAK, "", 0);
        if (b == NULL)
            return LZS_ERR_NOMEM;
        b->page = (unsigned)pno + 1;
    }
    if (pg->n == 0)
        return LZS_OK;
    if (pg->n > c->cap) {
        order_t *ys = realloc(c->ys, pg->n * sizeof *ys);
        if (ys == NULL)
            return LZS_ERR_NOMEM;
        c->ys = ys;
        unsigned char *role = realloc(c->role, pg->n);
        if (role == NULL)
            return LZS_ERR_NOMEM;
        c->role = role;
        c->cap = pg->n;
    }
    for (size_t i = 0; i < pg->n; i++) {
        c->ys[i].key = L[i].top;
        c->ys[i].i = i;
        c->role[i] = ROLE_BODY;
    }
    qsort(c->ys, pg->n, sizeof *c->ys, cmp_order);
    find_margins(c, pg);
    find_footnotes(c, pg);
    for (size_t k = 0; k < pg->n; k++)
        if (c->role[c->ys[k].i] == ROLE_TOP &&
            emit_margin(c, &L[c->ys[k].i], LZS_BF_PAGE_TOP) != LZS_OK)
            return LZS_ERR_NOMEM;
    if (emit_body(c, pg) != LZS_OK || emit_footnotes(c, pg) != LZS_OK)
        return LZS_ERR_NOMEM;
    for (size_t k = 0; k < pg->n; k++)
        if (c->role[c->ys[k].i] == ROLE_BOTTOM &&
            emit_margin(c, &L[c->ys[k].i], LZS_BF_PAGE_BOTTOM) != LZS_OK)
            return LZS_ERR_NOMEM;
    return LZS_OK;
}

/* ---- headings ---------------------------------------------------------------------- */

/* Short and not a sentence: at most 25 words and 250 bytes, no full stop between two
 * sentences, no closing punctuation unless it is a label of a few words. A line set in a
 * heading font (heading_font) may end with a colon: it introduces what follows
 * ("Conclusions du Comité de Lanzarote issues de son suivi sur :"), where a bold sentence of
 * the body font that ends with one is a paragraph. */
static int is_title(const char *s, size_t n, int heading_font)
{
    if (n == 0 || n > 250)
        return 0;
    size_t words = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ')
            words++;
        if (s[i] == '.' && i > 0 && s[i - 1] >= 'a' && s[i - 1] <= 'z' && i + 2 < n &&
            s[i + 1] == ' ' && s[i + 2] >= 'A' && s[i + 2] <= 'Z')
            return 0;
    }
    if (words > 25)
        return 0;
    return !(strchr(heading_font ? ".!?;," : ".!?;,:", s[n - 1]) != NULL && words > 6);
}

/* Turns into headings the paragraphs set larger than the body, or all bold where the body
 * is not, that are short; levels by size rank among the heading sizes (largest = 1), bold
 * at body size last: in a heading font first, then in the body's. A paragraph set wholly
 * in a font family other than the body's is in a heading font (fam: the family of block
 * start + i, nfam of them), as a word processor's heading styles set them. */
static void find_headings(lzs_blocks_t *out, size_t start, const stats_t *st, const uint32_t *fam,
                          size_t nfam)
{
    float larger = st->body + fmaxf(0.75f, 0.06f * st->body);
    float sizes[16];
    size_t nsizes = 0;
    int bold_heading_font = 0; /* a bold heading at body size is in a heading font */
    for (size_t i = start; i < out->n; i++) {
        lzs_block_t *b = &out->v[i];
        if (b->kind != LZS_BLOCK_PARAGRAPH || (b->flags & (LZS_BF_PAGE_TOP | LZS_BF_PAGE_BOTTOM)))
            continue;
        int big = b->size >= larger;
        int bold = (b->flags & LZS_BF_BOLD) && !st->body_bold && b->size >= st->body - 1.0f;
        uint32_t f = i - start < nfam ? fam[i - start] : 0;
        int heading_font = f != 0 && st->body_family != 0 && f != st->body_family;
        if (!(big || bold) || !is_title(b->text, b->len, heading_font))
            continue;
        b->kind = LZS_BLOCK_HEADING;
        b->level = heading_font ? -2 : 0; /* bold at body size, in a heading font or not */
        bold_heading_font |= heading_font && !big;
        if (!big)
            continue;
        b->level = -1; /* by size, below */
        float key = roundf(b->size * 2) / 2;
        size_t k = 0;
        while (k < nsizes && sizes[k] != key)
            k++;
        if (k == nsizes && nsizes < sizeof sizes / sizeof sizes[0])
            sizes[nsizes++] = key;
    }
    for (size_t i = start; i < out->n; i++) {
        lzs_block_t *b = &out->v[i];
        if (b->kind != LZS_BLOCK_HEADING)
            continue;
        int level = 1;
        if (b->level == -1) {
            float key = roundf(b->size * 2) / 2;
            for (size_t k = 0; k < nsizes; k++)
                level += sizes[k] > key;
        } else {
            level = (int)nsizes + 1 + (b->level == 0 && bold_heading_font);
        }
        b->level = level > 6 ? 6 : level;
    }
}

lzs_status_t pdf_doc_blocks(const pdf_doc_t *d, lzs_blocks_t *out)
{
    stats_t st;
    memset(&st, 0, sizeof st);
    size_t start = out->n;
    lzs_status_t rc = find_body(d, &st);
    if (rc == LZS_OK)
        rc = find_pitches(d, &st);
    if (rc == LZS_OK)
        find_body_area(d, &st);
    page_ctx_t c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.st = &st;
    c.out = out;
    c.para.base = start;
    for (size_t p = 0; rc == LZS_OK && p < d->npages; p++)
        rc = emit_page(&c, p);
    if (rc == LZS_OK && out->st != LZS_OK)
        rc = out->st;
    if (rc == LZS_OK)
        find_headings(out, start, &st, c.para.fam, c.para.nfam);
    free(c.para.text);
    free(c.para.fam);
    free(c.para.marks);
    free(c.ys);
    free(c.role);
    free(st.pitch);
    return rc;
}
