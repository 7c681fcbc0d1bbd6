/* pdf_page.c — one page of a PDF from glyphs to lines in reading order (see
 * pdf_internal.h).
 *
 * 0. The page is turned so that its text runs left to right (a page with /Rotate).
 * 1. Rows: glyphs sorted by the middle of their box and cut where that middle jumps by
 *    more than 0.4 of the font size: superscripts (whose middle is ~0.2 em higher) stay in
 *    their row, the next line (~1.15 em lower) does not. Each row is sorted by x.
 * 2. Pieces: a row is cut where two glyphs are more than 0.8 em apart (a column gutter, a
 *    tab after a paragraph number).
 * 3. Tables: runs of rows whose pieces stand in the same three or more columns (see
 *    find_tables); each piece of such a row is a line of its cell.
 * 4. Columns: the x-distribution of the pieces of the page's rows (top and bottom 8% left
 *    out, where running headers and page numbers sit, and the tables) shows a gutter where,
 *    in the middle half of the text width, the fewest rows cross (see find_gutter). Rows
 *    then form vertical bands: runs of rows that cross the gutter (a title over both
 *    columns, full-width notes) and runs that do not; a split band is read left column
 *    first, then right column.
 * 5. Lines: the pieces of one row within one column. In each piece, a digit set clearly
 *    smaller than the piece's main size (<= 0.85) with its box bottom clearly higher
 *    (>= 0.2 em) is a footnote marker; so is a Unicode superscript digit. Markers leave the
 *    text and become marks at the byte where they stood.
 *
 * Work: O(n log n) in the n glyphs of the page (two sorts; every other pass is linear),
 * plus a fixed 400-bin histogram per page.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_internal.h"

typedef struct {
    size_t first, n; /* glyphs [first, first + n) of doc->glyphs, sorted by x */
    size_t piece, npieces;
    float mid, size; /* middle of its first glyph's box; largest size */
    int split;       /* lies wholly on either side of the page's gutter */
    unsigned table;  /* 0, or the table (pdf_doc_t.ntables) it is a row of */
} row_t;

typedef struct {
    size_t first, n; /* glyphs */
    float x1, x2;
    unsigned tcol; /* in a table row: its column, 1-based */
} piece_t;

/* Columns a table may have; a row with more pieces is no table row. */
#define TABLE_COLS 32

#define GUTTER_BINS 400

/* Size to measure distances with: the font size, or the box height when poppler had none. */
static float gsize(const pdf_glyph_t *g)
{
    return g->size > 0.0f ? g->size : g->y2 - g->y1;
}

static float gmid(const pdf_glyph_t *g)
{
    return (g->y1 + g->y2) * 0.5f;
}

static int cmp_mid(const void *a, const void *b)
{
    const pdf_glyph_t *x = a, *y = b;
    float ma = gmid(x), mb = gmid(y);
    if (ma != mb)
        return ma < mb ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_x(const void *a, const void *b)
{
    const pdf_glyph_t *x = a, *y = b;
    if (x->x1 != y->x1)
        return x->x1 < y->x1 ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void *pdf_grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *p = realloc(v, c * size);
    if (p == NULL)
        return NULL;
    *cap = c;
    return p;
}

/* ---- orientation ------------------------------------------------------------------- */

/* Turns the page so that its text runs left to right: on a page rotated by its /Rotate
 * entry (a landscape table) or set upside down, poppler's boxes follow the page as shown
 * and the text runs down, up or right to left. The way most pairs of letters of a word go
 * (poppler's order) is the way the text runs; *w and *h are swapped with it. */
static void orient(pdf_doc_t *d, float *w, float *h)
{
    pdf_glyph_t *g = d->glyphs;
    size_t votes[4] = {0, 0, 0, 0};
    for (size_t i = 1; i < d->nglyphs; i++) {
        if (g[i - 1].flags & (PDF_G_SPACE_AFTER | PDF_G_LINE_END))
            continue;
        float dx = (g[i].x1 + g[i].x2 - g[i - 1].x1 - g[i - 1].x2) / 2;
        float dy = (g[i].y1 + g[i].y2 - g[i - 1].y1 - g[i - 1].y2) / 2;
        if (fabsf(dx) >= fabsf(dy))
            votes[dx >= 0 ? 0 : 2]++;
        else
            votes[dy > 0 ? 1 : 3]++;
    }
    int rot = 0;
    for (int r = 1; r < 4; r++)
        if (votes[r] > votes[rot])
            rot = r;
    if (rot == 0)
        return;
    float W = *w, H = *h;
    for (size_t i = 0; i < d->nglyphs; i++) {
        float x1 = g[i].x1, y1 = g[i].y1, x2 = g[i].x2, y2 = g[i].y2;
        if (rot == 1) { /* runs down: the first line is on the right */
            g[i].x1 = y1;
            g[i].x2 = y2;
            g[i].y1 = W - x2;
            g[i].y2 = W - x1;
        } else if (rot == 2) { /* upside down */
            g[i].x1 = W - x2;
            g[i].x2 = W - x1;
            g[i].y1 = H - y2;
            g[i].y2 = H - y1;
        } else { /* runs up: the first line is on the left */
            g[i].x1 = H - y2;
            g[i].x2 = H - y1;
            g[i].y1 = x1;
            g[i].y2 = x2;
        }
    }
    if (rot != 2) {
        *w = H;
        *h = W;
    }
}

/* ---- rows and pieces ------------------------------------------------------------ */

/* Removes the copies of a glyph drawn again at (almost) the same place, as fake bold and
 * shadows do; returns the glyphs left. */
static size_t drop_copies(pdf_glyph_t *g, size_t n, const char *text)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0) {
            const pdf_glyph_t *p = &g[k - 1];
            float tol = 0.1f * gsize(p);
            if (p->cp == g[i].cp && fabsf(p->x1 - g[i].x1) < tol &&
                fabsf(gmid(p) - gmid(&g[i])) < tol && p->len == g[i].len &&
                memcmp(text + p->off, text + g[i].off, p->len) == 0)
                continue;
        }
        g[k++] = g[i];
    }
    return k;
}

static lzs_status_t find_rows(pdf_doc_t *d, const char *text, size_t *nrows)
{
    pdf_glyph_t *g = d->glyphs;
    size_t n = d->nglyphs;
    *nrows = 0;
    if (n == 0)
        return LZS_OK;
    qsort(g, n, sizeof *g, cmp_mid);
    size_t nr = 0;
    size_t i = 0;
    while (i < n) {
        size_t first = i;
        double wsum = gsize(&g[i]) + 1e-3, msum = gmid(&g[i]) * wsum;
        float maxs = gsize(&g[i]);
        for (i++; i < n; i++) {
            float s = fmaxf(maxs, gsize(&g[i]));
            if (fabs(gmid(&g[i]) - msum / wsum) > 0.4 * s)
                break;
            double w = gsize(&g[i]) + 1e-3;
            wsum += w;
            msum += gmid(&g[i]) * w;
            maxs = s;
        }
        row_t *rows = pdf_grow(d->rows, &d->caprows, nr + 1, sizeof *rows);
        if (rows == NULL)
            return LZS_ERR_NOMEM;
        d->rows = rows;
        row_t *r = &rows[nr++];
        qsort(g + first, i - first, sizeof *g, cmp_x);
        r->first = first;
        r->n = drop_copies(g + first, i - first, text);
        r->split = 0;
        r->table = 0;
        r->mid = (float)(msum / wsum);
        r->size = maxs;
    }
    *nrows = nr;
    return LZS_OK;
}

static lzs_status_t find_pieces(pdf_doc_t *d, size_t nrows)
{
    const pdf_glyph_t *g = d->glyphs;
    row_t *rows = d->rows;
    size_t np = 0;
    for (size_t r = 0; r < nrows; r++) {
        rows[r].piece = np;
        for (size_t i = rows[r].first; i < rows[r].first + rows[r].n; i++) {
            piece_t *p = np > rows[r].piece ? &((piece_t *)d->pieces)[np - 1] : NULL;
            if (p != NULL && g[i].x1 - p->x2 <= 0.8f * fmaxf(gsize(&g[i]), gsize(&g[i - 1]))) {
                p->n++;
                p->x2 = fmaxf(p->x2, g[i].x2);
                continue;
            }
            piece_t *pieces = pdf_grow(d->pieces, &d->cappieces, np + 1, sizeof *pieces);
            if (pieces == NULL)
                return LZS_ERR_NOMEM;
            d->pieces = pieces;
            p = &pieces[np++];
            p->first = i;
            p->n = 1;
            p->tcol = 0;
            p->x1 = g[i].x1;
            p->x2 = g[i].x2;
        }
        rows[r].npieces = np - rows[r].piece;
    }
    return LZS_OK;
}

static int in_margin_zone(const pdf_doc_t *d, const row_t *r, float h)
{
    float m = gmid(&d->glyphs[r->first]);
    return m < 0.08f * h || m > 0.92f * h;
}

/* A row that says nothing of the page's text columns: in a margin zone, or a table's. */
static int outside_text(const pdf_doc_t *d, const row_t *r, float h)
{
    return r->table != 0 || in_margin_zone(d, r, h);
}

/* ---- tables ----------------------------------------------------------------------- */

/* Whether a piece is a list label: a bullet, or a few characters ending in "." or ")"
 * ("12.", "a)", "(iv)"). */
static int piece_is_label(const pdf_glyph_t *g, const piece_t *p)
{
    const pdf_glyph_t *last = &g[p->first + p->n - 1];
    if (p->n == 1 && ((last->flags & PDF_G_SYMBOL) || last->cp == 0x2022 || last->cp == '-' ||
                      last->cp == 0x2013 || last->cp == 0x25AA || last->cp == 0x25CF))
        return 1;
    return p->n <= 6 && (last->cp == '.' || last->cp == ')');
}

/* The column (0-based) of the table whose columns start at xs[0..n) that piece p stands
 * in: it starts where the column starts and ends before the next one starts; -1 when it
 * stands in none. */
static int piece_column(const piece_t *p, const float *xs, size_t n, float tol)
{
    for (size_t c = 0; c < n; c++)
        if (fabsf(p->x1 - xs[c]) <= tol && (c + 1 == n || p->x2 < xs[c + 1]))
            return (int)c;
    return -1;
}

/* Whether every piece of row r stands in a column of xs[0..n). */
static int row_fits(const pdf_doc_t *d, const row_t *r, const float *xs, size_t n)
{
    const piece_t *pc = (const piece_t *)d->pieces + r->piece;
    for (size_t k = 0; k < r->npieces; k++)
        if (piece_column(&pc[k], xs, n, 0.25f * r->size) < 0)
            return 0;
    return 1;
}

/* Whether rows a and b (a above b) are close enough to be lines of one table. */
static int rows_close(const row_t *a, const row_t *b)
{
    return b->mid - a->mid <= 1.75f * fmaxf(a->size, b->size);
}

/* Finds the tables of the page and sets the table of their rows and the column of their
 * pieces. A table is a run of rows, none in a margin zone, each close under the one
 * before, whose pieces all start where the pieces of one row of three or more start (the
 * left edges of the columns, where the cells' text starts) and end before the next column
 * starts; rows of a single piece in the first column at either end of the run are the
 * paragraphs around the table, not its rows. It takes two rows of two pieces or more, and
 * three columns holding more than list labels: a numbered list with a tab after its
 * numbers ("1." | "a)" | text), a numbered contents list ("1." | title | page) or two
 * text columns with numbered paragraphs are no table. Rows of a table take no part in
 * finding the page's text columns. */
static void find_tables(pdf_doc_t *d, size_t nrows, float h)
{
    row_t *rows = d->rows;
    piece_t *pc = d->pieces;
    size_t lo = 0; /* rows above lo were looked at: each row is, once (linear work) */
    for (size_t r = 0; r < nrows;) {
        if (rows[r].npieces < 3 || rows[r].npieces > TABLE_COLS || in_margin_zone(d, &rows[r], h)) {
            r++;
            continue;
        }
        float xs[TABLE_COLS];
        size_t nx = rows[r].npieces;
        for (size_t k = 0; k < nx; k++)
            xs[k] = pc[rows[r].piece + k].x1;
        size_t top = r, bot = r;
        while (top > lo && !in_margin_zone(d, &rows[top - 1], h) &&
               rows_close(&rows[top - 1], &rows[top]) && row_fits(d, &rows[top - 1], xs, nx))
            top--;
        while (bot + 1 < nrows && !in_margin_zone(d, &rows[bot + 1], h) &&
               rows_close(&rows[bot], &rows[bot + 1]) && row_fits(d, &rows[bot + 1], xs, nx))
            bot++;
        /* a paragraph's line right above or below the table, at the first column's edge */
        while (top < r && rows[top].npieces == 1 &&
               piece_column(&pc[rows[top].piece], xs, nx, 0.25f * rows[top].size) == 0)
            top++;
        while (bot > r && rows[bot].npieces == 1 &&
               piece_column(&pc[rows[bot].piece], xs, nx, 0.25f * rows[bot].size) == 0)
            bot--;
        /* columns holding text other than list labels */
        unsigned char text_col[TABLE_COLS];
        memset(text_col, 0, sizeof text_col);
        size_t multi = 0, ntext = 0;
        for (size_t k = top; k <= bot; k++) {
            multi += rows[k].npieces >= 2;
            for (size_t q = 0; q < rows[k].npieces; q++) {
                const piece_t *p = &pc[rows[k].piece + q];
                int c = piece_column(p, xs, nx, 0.25f * rows[k].size);
                if (c >= 0 && !text_col[c] && !piece_is_label(d->glyphs, p)) {
                    text_col[c] = 1;
                    ntext++;
                }
            }
        }
        lo = bot + 1;
        if (multi < 2 || ntext < 3) {
            r = bot + 1;
            continue;
        }
        d->ntables++;
        for (size_t k = top; k <= bot; k++) {
            rows[k].table = d->ntables;
            for (size_t q = 0; q < rows[k].npieces; q++) {
                piece_t *p = &pc[rows[k].piece + q];
                p->tcol = (unsigned)piece_column(p, xs, nx, 0.25f * rows[k].size) + 1;
            }
        }
        r = bot + 1;
    }
}

/* ---- columns ---------------------------------------------------------------------- */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Whether [a, z] is a gutter: at least three rows lie wholly left of it and three wholly
 * right of it, at most half of the rows cross it, and the rows' text right of it starts
 * at one x in at least three rows (a column's left edge, not right-aligned lines). */
static int is_gutter(pdf_doc_t *d, size_t nrows, float h, float a, float z)
{
    const row_t *rows = d->rows;
    const piece_t *pc = d->pieces;
    size_t nleft = 0, nright = 0, ncross = 0, used = 0, nx = 0;
    for (size_t r = 0; r < nrows; r++) {
        if (outside_text(d, &rows[r], h))
            continue;
        used++;
        int l = 0, cross = 0;
        float xr = INFINITY;
        for (size_t k = 0; k < rows[r].npieces; k++) {
            const piece_t *p = &pc[rows[r].piece + k];
            if (p->x2 <= a)
                l = 1;
            else if (p->x1 >= z)
                xr = fminf(xr, p->x1);
            else
                cross = 1;
        }
        ncross += cross;
        if (cross)
            continue;
        nleft += l;
        if (isfinite(xr)) {
            nright++;
            d->xs[nx++] = xr;
        }
    }
    if (nleft < 3 || nright < 3 || ncross * 2 > used)
        return 0;
    qsort(d->xs, nx, sizeof *d->xs, cmp_float);
    size_t best = 0;
    for (size_t i = 0, j = 0; i < nx; i++) {
        while (d->xs[i] - d->xs[j] > 2.0f)
            j++;
        best = i - j + 1 > best ? i - j + 1 : best;
    }
    return best >= 3;
}

/* Finds the gutter between two columns: 1 and [*g1, *g2] when there is one. The rows
 * that cover each x of the middle half of the text width are counted; the gutter is the
 * widest run of x where that count is at its lowest (crossed only by titles and notes
 * over both columns), when is_gutter() confirms it. */
static lzs_status_t find_gutter(pdf_doc_t *d, size_t nrows, float h, float *g1, float *g2,
                                int *found)
{
    const row_t *rows = d->rows;
    const piece_t *pc = d->pieces;
    *found = 0;
    float left = INFINITY, right = -INFINITY;
    size_t used = 0;
    for (size_t r = 0; r < nrows; r++) {
        if (outside_text(d, &rows[r], h))
            continue;
        used++;
        for (size_t k = 0; k < rows[r].npieces; k++) {
            left = fminf(left, pc[rows[r].piece + k].x1);
            right = fmaxf(right, pc[rows[r].piece + k].x2);
        }
    }
    float width = right - left;
    if (used < 6 || !(width > 50.0f))
        return LZS_OK;
    float *xs = pdf_grow(d->xs, &d->capxs, nrows, sizeof *xs);
    if (xs == NULL)
        return LZS_ERR_NOMEM;
    d->xs = xs;
    int cover[GUTTER_BINS + 1] = {0};
    float bw = width / GUTTER_BINS;
    for (size_t r = 0; r < nrows; r++) {
        if (outside_text(d, &rows[r], h))
            continue;
        for (size_t k = 0; k < rows[r].npieces; k++) {
            const piece_t *p = &pc[rows[r].piece + k];
            int b0 = (int)floorf((p->x1 - left) / bw), b1 = (int)ceilf((p->x2 - left) / bw);
            b0 = b0 < 0 ? 0 : b0 > GUTTER_BINS ? GUTTER_BINS : b0;
            b1 = b1 < b0 ? b0 : b1 > GUTTER_BINS ? GUTTER_BINS : b1;
            cover[b0]++;
            cover[b1]--;
        }
    }
    for (int b = 1; b <= GUTTER_BINS; b++)
        cover[b] += cover[b - 1];
    int lo = GUTTER_BINS / 4, hi = GUTTER_BINS * 3 / 4, floor_ = INT32_MAX;
    for (int b = lo; b < hi; b++)
        floor_ = cover[b] < floor_ ? cover[b] : floor_;
    int slack = (int)(used / 20) > 1 ? (int)(used / 20) : 1;
    /* the widest runs at the floor, tried widest first */
    for (int attempt = 0; attempt < 4; attempt++) {
        int best0 = -1, best1 = -1;
        for (int b = lo; b < hi;) {
            if (cover[b] > floor_ + slack) {
                b++;
                continue;
            }
            int e = b;
            while (e < hi && cover[e] <= floor_ + slack)
                e++;
            if (e - b > best1 - best0) {
                best0 = b;
                best1 = e;
            }
            b = e;
        }
        if (best0 < 0)
            return LZS_OK;
        /* the gutter is where the rows that do not cross the middle of the run stop on its
         * left and start on its right */
        float mid = left + (float)(best0 + best1) * bw / 2, a = left, z = right;
        for (size_t r = 0; r < nrows; r++) {
            const piece_t *p = &pc[rows[r].piece];
            int cross = 0;
            for (size_t k = 0; k < rows[r].npieces; k++)
                cross |= p[k].x1 < mid && p[k].x2 > mid;
            for (size_t k = 0; !cross && !outside_text(d, &rows[r], h) && k < rows[r].npieces;
                 k++) {
                if (p[k].x2 <= mid)
                    a = fmaxf(a, p[k].x2);
                else
                    z = fminf(z, p[k].x1);
            }
        }
        if (z - a >= 6.0f && is_gutter(d, nrows, h, a, z)) {
            *g1 = a;
            *g2 = z;
            *found = 1;
            return LZS_OK;
        }
        for (int b = best0; b < best1; b++)
            cover[b] = INT32_MAX; /* not this run again */
    }
    return LZS_OK;
}

/* ---- lines ------------------------------------------------------------------------ */

/* Value of a Unicode superscript digit, or -1. */
static int superscript_digit(uint32_t c)
{
    if (c == 0xB9)
        return 1;
    if (c == 0xB2 || c == 0xB3)
        return (int)c - 0xB0;
    if (c == 0x2070)
        return 0;
    if (c >= 0x2074 && c <= 0x2079)
        return (int)(c - 0x2070);
    return -1;
}

/* The size most glyphs of g[0..n) have (markers aside when skip_marks). */
static float main_size(const pdf_glyph_t *g, size_t n, int skip_marks)
{
    float sizes[8];
    size_t counts[8], ns = 0;
    for (size_t i = 0; i < n; i++) {
        if (skip_marks && (g[i].flags & PDF_G_MARK))
            continue;
        float s = gsize(&g[i]);
        size_t k = 0;
        while (k < ns && fabsf(sizes[k] - s) > 0.05f * s)
            k++;
        if (k == ns) {
            if (ns == 8)
                continue;
            sizes[ns] = s;
            counts[ns++] = 0;
        }
        counts[k]++;
    }
    size_t best = 0;
    for (size_t k = 1; k < ns; k++)
        if (counts[k] > counts[best])
            best = k;
    return ns ? sizes[best] : 0.0f;
}

/* Mean bottom of the boxes of the glyphs of size s. */
static float base_of(const pdf_glyph_t *g, size_t n, float s, int skip_marks)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (skip_marks && (g[i].flags & PDF_G_MARK))
            continue;
        if (fabsf(gsize(&g[i]) - s) <= 0.05f * s) {
            sum += g[i].y2;
            k++;
        }
    }
    return k ? (float)(sum / (double)k) : 0.0f;
}

/* Flags the footnote markers of one piece: small raised digits, raised commas between
 * them, Unicode superscript digits. */
static void find_marks(pdf_glyph_t *g, size_t n)
{
    float s = main_size(g, n, 0);
    float base = base_of(g, n, s, 0);
    for (size_t i = 0; i < n; i++) {
        g[i].flags &= (uint8_t)~PDF_G_MARK;
        int raised = gsize(&g[i]) <= 0.85f * s && g[i].y2 < base - 0.2f * s;
        if ((raised && g[i].cp >= '0' && g[i].cp <= '9') || superscript_digit(g[i].cp) >= 0)
            g[i].flags |= PDF_G_MARK;
    }
    for (size_t i = 1; i + 1 < n; i++) {
        int raised = gsize(&g[i]) <= 0.85f * s && g[i].y2 < base - 0.2f * s;
        if (raised && g[i].cp == ',' && (g[i - 1].flags & PDF_G_MARK) &&
            (g[i + 1].flags & PDF_G_MARK))
            g[i].flags |= PDF_G_MARK;
    }
}

static int mark_digit(const pdf_glyph_t *g)
{
    if (g->cp >= '0' && g->cp <= '9')
        return (int)(g->cp - '0');
    return superscript_digit(g->cp);
}

/* Whether a reader sees a space between glyph a and the glyph b after it on the line:
 * poppler's word breaks where it put the two glyphs next to each other, the gap between
 * them (0.15 em) where it did not. */
static int space_between(const pdf_glyph_t *a, const pdf_glyph_t *b)
{
    if (b->seq == a->seq + 1 && !(a->flags & PDF_G_LINE_END))
        return (a->flags & PDF_G_SPACE_AFTER) != 0;
    float gap = b->x1 - a->x2;
    return gap > 0.15f * fmaxf(gsize(a), gsize(b)) || gap < -0.5f * gsize(b);
}

typedef struct {
    int active;
    unsigned num;
    size_t at;
} mark_state_t;

static lzs_status_t end_mark(pdf_doc_t *d, mark_state_t *m)
{
    if (!m->active)
        return LZS_OK;
    m->active = 0;
    pdf_mark_t *marks = pdf_grow(d->marks, &d->capmarks, d->nmarks + 1, sizeof *marks);
    if (marks == NULL)
        return LZS_ERR_NOMEM;
    d->marks = marks;
    d->marks[d->nmarks].at = m->at;
    d->marks[d->nmarks].num = m->num;
    d->nmarks++;
    return LZS_OK;
}

static lzs_status_t put(pdf_doc_t *d, const char *s, size_t n)
{
    return lzs_text_clean_append(&d->buf, &d->buflen, &d->bufcap, s, n);
}

/* Writes the text of the glyphs of pieces pc[0..np) of one row into d->buf and their
 * markers into d->marks; *xtext gets the x where the text after the first space starts. */
static lzs_status_t line_text(pdf_doc_t *d, const piece_t *pc, size_t np, const char *text,
                              float *xtext)
{
    pdf_glyph_t *g = d->glyphs;
    mark_state_t m = {0, 0, 0};
    const pdf_glyph_t *prev = NULL;
    *xtext = -1.0f;
    d->buflen = 0;
    for (size_t k = 0; k < np; k++) {
        for (size_t i = pc[k].first; i < pc[k].first + pc[k].n; i++) {
            const pdf_glyph_t *c = &g[i];
            int space = prev != NULL && (i == pc[k].first || space_between(prev, c));
            prev = c;
            if (c->flags & PDF_G_MARK) {
                int digit = mark_digit(c);
                if (m.active && !space && digit >= 0 && m.num < 100000) {
                    m.num = m.num * 10 + (unsigned)digit;
                    continue;
                }
                if (end_mark(d, &m) != LZS_OK)
                    return LZS_ERR_NOMEM;
                if (space && put(d, " ", 1) != LZS_OK)
                    return LZS_ERR_NOMEM;
                if (digit >= 0) {
                    m.active = 1;
                    m.num = (unsigned)digit;
                    m.at = d->buflen;
                }
                continue;
            }
            if (end_mark(d, &m) != LZS_OK)
                return LZS_ERR_NOMEM;
            if (space) {
                if (*xtext < 0.0f && d->buflen > 0)
                    *xtext = c->x1;
                if (put(d, " ", 1) != LZS_OK)
                    return LZS_ERR_NOMEM;
            }
            const char *s = text + c->off;
            size_t len = c->len;
            int last = k + 1 == np && i + 1 == pc[k].first + pc[k].n;
            /* A symbol font's glyph opening a line, set apart from what follows, is a
             * bullet whatever code the font gave it. */
            if ((c->flags & PDF_G_SYMBOL) && d->buflen == 0 &&
                (last || i + 1 == pc[k].first + pc[k].n || space_between(c, &g[i + 1]))) {
                s = "\u2022";
                len = 3;
            } else if (c->cp == 0xAD && last) {
                /* a soft hyphen printed at the end of a line is that line's hyphen */
                s = "-";
                len = 1;
            }
            if (put(d, s, len) != LZS_OK)
                return LZS_ERR_NOMEM;
        }
    }
    if (end_mark(d, &m) != LZS_OK)
        return LZS_ERR_NOMEM;
    while (d->buflen > 0 && d->buf[d->buflen - 1] == ' ')
        d->buflen--;
    return LZS_OK;
}

/* Appends the line made of pieces pc[0..np) of one row. */
static lzs_status_t add_line(pdf_doc_t *d, unsigned page, unsigned band, unsigned col,
                             const piece_t *pc, size_t np, const char *text)
{
    if (np == 0)
        return LZS_OK;
    pdf_glyph_t *g = d->glyphs;
    for (size_t k = 0; k < np; k++)
        find_marks(g + pc[k].first, pc[k].n);
    size_t mark0 = d->nmarks;
    float xtext;
    if (line_text(d, pc, np, text, &xtext) != LZS_OK)
        return LZS_ERR_NOMEM;
    if (d->buflen == 0) {
        d->nmarks = mark0; /* markers with no text to stand in */
        return LZS_OK;
    }

    size_t first = pc[0].first, n = pc[np - 1].first + pc[np - 1].n - first;
    pdf_line_t l;
    memset(&l, 0, sizeof l);
    l.page = page;
    l.band = band;
    l.col = col;
    l.size = main_size(g + first, n, 1);
    l.base = base_of(g + first, n, l.size, 1);
    l.xtext = xtext;
    l.x1 = INFINITY;
    l.x2 = -INFINITY;
    l.top = INFINITY;
    l.bottom = -INFINITY;
    unsigned nbold = 0, nitalic = 0;
    const pdf_glyph_t *firstg = NULL, *lastg = NULL;
    for (size_t k = 0; k < np; k++) {
        for (size_t i = pc[k].first; i < pc[k].first + pc[k].n; i++) {
            if (g[i].flags & PDF_G_MARK)
                continue;
            if (firstg == NULL)
                firstg = &g[i];
            lastg = &g[i];
            l.x1 = fminf(l.x1, g[i].x1);
            l.x2 = fmaxf(l.x2, g[i].x2);
            l.top = fminf(l.top, g[i].y1);
            l.bottom = fmaxf(l.bottom, g[i].y2);
            l.nchars++;
            nbold += (g[i].flags & PDF_G_BOLD) != 0;
            nitalic += (g[i].flags & PDF_G_ITALIC) != 0;
        }
    }
    if (l.nchars == 0) {
        d->nmarks = mark0;
        return LZS_OK;
    }
    l.family = firstg->family;
    for (size_t k = 0; k < np && l.family != 0; k++)
        for (size_t i = pc[k].first; i < pc[k].first + pc[k].n; i++)
            if (!(g[i].flags & PDF_G_MARK) && g[i].family != l.family)
                l.family = 0;
    l.flags = (nbold == l.nchars ? PDF_L_BOLD : 0u) | (nitalic == l.nchars ? PDF_L_ITALIC : 0u) |
              ((firstg->flags & PDF_G_BOLD) ? PDF_L_BOLD_FIRST : 0u) |
              ((lastg->flags & PDF_G_BOLD) ? PDF_L_BOLD_LAST : 0u);
    l.mark = mark0;
    l.nmarks = d->nmarks - mark0;
    l.text = d->textlen;
    l.len = d->buflen;
    char *pool = pdf_grow(d->text, &d->textcap, d->textlen + d->buflen, 1);
    if (pool == NULL)
        return LZS_ERR_NOMEM;
    d->text = pool;
    pdf_line_t *lines = pdf_grow(d->lines, &d->caplines, d->nlines + 1, sizeof *lines);
    if (lines == NULL)
        return LZS_ERR_NOMEM;
    d->lines = lines;
    memcpy(d->text + d->textlen, d->buf, d->buflen);
    d->textlen += d->buflen;
    d->lines[d->nlines++] = l;
    return LZS_OK;
}

/* Appends the lines of a table row: one for the pieces of each of its columns. */
static lzs_status_t add_cell_lines(pdf_doc_t *d, unsigned page, unsigned band, const row_t *r,
                                   const char *text)
{
    const piece_t *p = (const piece_t *)d->pieces + r->piece;
    for (size_t k = 0; k < r->npieces;) {
        size_t e = k + 1;
        while (e < r->npieces && p[e].tcol == p[k].tcol)
            e++;
        size_t before = d->nlines;
        if (add_line(d, page, band, 0, p + k, e - k, text) != LZS_OK)
            return LZS_ERR_NOMEM;
        if (d->nlines > before) {
            d->lines[before].table = r->table;
            d->lines[before].tcol = p[k].tcol;
        }
        k = e;
    }
    return LZS_OK;
}

/* Sets the extent of each line's column from the lines of the page in that column,
 * leaving out the top and bottom 8% of the page where headers and page numbers stand
 * (unless nothing else is on the page). */
static void column_extents(pdf_doc_t *d, size_t first, float h)
{
    float x1[3] = {INFINITY, INFINITY, INFINITY}, x2[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int pass = 0; pass < 2 && !isfinite(x1[0]); pass++) {
        for (size_t i = first; i < d->nlines; i++) {
            const pdf_line_t *l = &d->lines[i];
            float mid = (l->top + l->bottom) / 2;
            if (pass == 0 && (mid < 0.08f * h || mid > 0.92f * h))
                continue;
            x1[l->col] = fminf(x1[l->col], l->x1);
            x2[l->col] = fmaxf(x2[l->col], l->x2);
            x1[0] = fminf(x1[0], l->x1);
            x2[0] = fmaxf(x2[0], l->x2);
        }
    }
    for (size_t i = first; i < d->nlines; i++) {
        pdf_line_t *l = &d->lines[i];
        /* a line in the margin zone of a column with no other line */
        unsigned c = isfinite(x1[l->col]) ? l->col : 0;
        l->colx1 = fminf(x1[c], l->x1);
        l->colx2 = fmaxf(x2[c], l->x2);
    }
}

lzs_status_t pdf_page_lines(pdf_doc_t *d, float w, float h, const char *text)
{
    pdf_page_t *pages = pdf_grow(d->pages, &d->cappages, d->npages + 1, sizeof *pages);
    if (pages == NULL)
        return LZS_ERR_NOMEM;
    d->pages = pages;
    unsigned page = (unsigned)d->npages + 1;
    size_t first_line = d->nlines;
    size_t nrows = 0;
    orient(d, &w, &h);
    if (find_rows(d, text, &nrows) != LZS_OK || find_pieces(d, nrows) != LZS_OK)
        return LZS_ERR_NOMEM;
    find_tables(d, nrows, h);
    row_t *rows = d->rows;
    const piece_t *pc = d->pieces;
    float g1 = 0, g2 = 0;
    int cols = 0;
    if (find_gutter(d, nrows, h, &g1, &g2, &cols) != LZS_OK)
        return LZS_ERR_NOMEM;
    for (size_t r = 0; r < nrows; r++) {
        rows[r].split = cols && !rows[r].table;
        for (size_t k = 0; rows[r].split && k < rows[r].npieces; k++)
            if (pc[rows[r].piece + k].x1 < g2 && pc[rows[r].piece + k].x2 > g1)
                rows[r].split = 0;
    }
    /* A row on the left only, right under a full-width row at the line spacing, ends the
     * full-width paragraph above rather than starts the left column. */
    for (size_t r = 1; r < nrows; r++) {
        const piece_t *p = pc + rows[r].piece;
        if (rows[r].split && !rows[r - 1].split && rows[r].npieces > 0 &&
            p[rows[r].npieces - 1].x2 <= g1 && rows[r].mid - rows[r - 1].mid <= 1.5f * rows[r].size)
            rows[r].split = 0;
    }
    unsigned band = 0;
    for (size_t r = 0; r < nrows;) {
        size_t end = r;
        while (end < nrows && rows[end].split == rows[r].split)
            end++;
        for (size_t pass = 0; pass < (rows[r].split ? 2u : 1u); pass++) {
            for (size_t k = r; k < end; k++) {
                const piece_t *p = pc + rows[k].piece;
                size_t np = rows[k].npieces, nleft = 0;
                while (nleft < np && p[nleft].x2 <= g1)
                    nleft++;
                lzs_status_t st;
                if (rows[k].table)
                    st = add_cell_lines(d, page, band, &rows[k], text);
                else if (!rows[k].split)
                    st = add_line(d, page, band, 0, p, np, text);
                else if (pass == 0)
                    st = add_line(d, page, band, 1, p, nleft, text);
                else
                    st = add_line(d, page, band, 2, p + nleft, np - nleft, text);
                if (st != LZS_OK)
                    return st;
            }
        }
        band++;
        r = end;
    }
    column_extents(d, first_line, h);
    pdf_page_t *pg = &d->pages[d->npages++];
    pg->w = w;
    pg->h = h;
    pg->first = first_line;
    pg->n = d->nlines - first_line;
    return LZS_OK;
}

void pdf_doc_free(pdf_doc_t *d)
{
    free(d->pages);
    free(d->lines);
    free(d->text);
    free(d->marks);
    free(d->glyphs);
    free(d->rows);
    free(d->pieces);
    free(d->xs);
    free(d->buf);
    memset(d, 0, sizeof *d);
}
