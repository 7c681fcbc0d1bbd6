/* read_markdown.c — the reader of text and markdown files: lines grouped into headings,
 * numbered paragraphs, paragraphs, list items and footnotes, as the Committee's texts lay
 * them out (markdown headings and emphasis, <sup> footnote markers, tables of contents
 * with dot leaders, hard-wrapped paragraphs, a page break inside a sentence). The blocks
 * come out classified (LZS_BF_CLASSIFIED). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lzs/buf.h"
#include "stage.h"

typedef enum { U_HEADING, U_NUMBERED, U_PARA, U_LIST, U_FOOTNOTE, U_CELL } utype_t;

typedef struct {
    utype_t type;
    lzs_buf_t raw;    /* markdown of the unit, markers removed */
    char label[32];   /* number, roman numeral, letter or footnote number */
    int md_level;     /* 1-6 for "#" headings */
    int roman;        /* label is a roman numeral (with optional .N parts) */
    int depth;        /* parts of a numbered label: "2.1.1" -> 3 */
    int lines;        /* source lines joined into it */
    int blank_before; /* a blank line (or a rule) came before its first line */
    unsigned page;    /* page of its first line */
    int goes_on;      /* a numbered heading of a text, which a wrapped line may continue */
    int letter;       /* label is a capital letter ("A. Monitoring ...") */
    unsigned row, col; /* a table cell's place */
} unit_t;

typedef struct {
    unit_t *u;
    size_t n, cap;
    int oom;
    int blank;       /* the line being read comes after a blank line */
    int layout_wrap; /* the text was wrapped by a layout: joined lines are one line */
    int soft_wrap;   /* markdown: a line break is a space unless the line ends with a hard
                        break ("\\" or two spaces) */
    int hard_break;  /* the line before the one being appended ended with a hard break */
} units_t;

static unit_t *unit_new(units_t *us, utype_t type, const char *text, size_t len)
{
    if (us->n == us->cap) {
        size_t cap = us->cap ? us->cap * 2 : 64;
        unit_t *p = realloc(us->u, cap * sizeof *p);
        if (p == NULL) {
            us->oom = 1;
            return NULL;
        }
        us->u = p;
        us->cap = cap;
    }
    unit_t *u = &us->u[us->n];
    memset(u, 0, sizeof *u);
    u->type = type;
    lzs_buf_append(&u->raw, text, len);
    if (u->raw.failed) {
        lzs_buf_free(&u->raw);
        us->oom = 1;
        return NULL;
    }
    u->lines = 1;
    u->blank_before = us->blank;
    us->n++;
    return u;
}

static void unit_append(units_t *us, unit_t *u, const char *text, size_t len)
{
    lzs_buf_append(&u->raw, " ", 1);
    lzs_buf_append(&u->raw, text, len);
    if (u->raw.failed) {
        us->oom = 1;
        return;
    }
    if (!us->layout_wrap && (!us->soft_wrap || us->hard_break))
        u->lines++;
}

static void units_free(units_t *us)
{
    for (size_t i = 0; i < us->n; i++)
        lzs_buf_free(&us->u[i].raw);
    free(us->u);
}


/* ---- reading lines ---------------------------------------------------------------- */

/* A contents list: none, one under a markdown heading (it runs to the next heading or
 * rule), or one under a plain title line (it runs until its first entry comes back as the
 * heading it names, or until body text). */
enum { TOC_NONE, TOC_HEADED, TOC_PLAIN };

typedef struct {
    const lzs_extractor_t *ex;
    units_t *us;
    int prev_blank;        /* the previous line was blank (or a rule) */
    int in_toc;            /* TOC_* */
    char *toc_first;       /* folded key of the first entry of a plain contents list */
    size_t prev_line_unit; /* unit that the previous line went into */
    int page_break;        /* a page boundary since the last text line */
    unsigned page;         /* page of the line being read */
    size_t wrap;           /* width the text was hard-wrapped at, 0 when it was not */
    size_t prev_len;       /* length of the previous text line */
    char pending[32];      /* a paragraph number alone on its line, for the next line */
    int next_blank;        /* the line after the one being read is blank (or none) */
    unsigned table_row;    /* rows of the pipe table being read, 0 outside one */
    lzs_blocks_t *furniture; /* where the page furniture goes */
} reader_t;

static unit_t *add_unit(reader_t *r, utype_t type, const char *text, size_t len)
{
    unit_t *u = unit_new(r->us, type, text, len);
    if (u)
        u->page = r->page;
    r->prev_line_unit = r->us->n - 1;
    r->prev_blank = 0;
    return u;
}

static char *folded_line(const char *s, size_t n)
{
    char *plain = lzs_md_plain(s, n, NULL);
    if (plain == NULL)
        return NULL;
    char *key = lzs_fold_key(plain);
    free(plain);
    return key;
}

/* Inside a plain contents list: 1 when the line is still one of its entries (skip it),
 * 0 when the list has ended at this line, -1 when out of memory. */
static int toc_plain_entry(reader_t *r, const char *s, size_t n)
{
    size_t tn = lzs_toc_entry_text(s, n);
    char *key = folded_line(s, tn);
    if (key == NULL)
        return -1;
    int entry;
    if (r->toc_first == NULL) {
        r->toc_first = key;
        return 1;
    }
    if (strcmp(key, r->toc_first) == 0 && tn == n)
        entry = 0; /* the first entry again, as the heading it named */
    else if (tn == n && n > 120 && lzs_ends_terminal(s, n))
        entry = 0; /* body text */
    else
        entry = 1;
    free(key);
    return entry;
}

/* A paragraph or agenda number alone on its line ("1.", "2.1.", "IV."): its label. */
static int lone_number(const char *s, size_t n, char *label, size_t cap)
{
    if (n == 0 || n >= 16 || s[n - 1] != '.')
        return 0;
    char tmp[20];
    memcpy(tmp, s, n);
    tmp[n] = ' ';
    tmp[n + 1] = 'x';
    int depth, roman;
    char l[32];
    if (lzs_number_len(tmp, n + 2, l, sizeof l, &depth, &roman) != n + 1)
        return 0;
    snprintf(label, cap, "%s", l);
    return 1;
}

static int md_heading(reader_t *r, const char *s, size_t n)
{
    size_t h = 0;
    while (h < n && s[h] == '#')
        h++;
    if (!(h >= 1 && h <= 6 && h < n && (s[h] == ' ' || s[h] == '\t')))
        return 0;
    size_t e = n;
    while (e > h && (s[e - 1] == '#' || s[e - 1] == ' '))
        e--;
    const char *t = s + h;
    size_t tl = e - h;
    while (tl > 0 && (*t == ' ' || *t == '\t')) {
        t++;
        tl--;
    }
    char *plain = lzs_md_plain(t, tl, NULL);
    int toc = plain ? lzs_is_toc_title(r->ex, plain) : -1;
    free(plain);
    if (toc < 0) {
        r->us->oom = 1;
        return 1;
    }
    if (toc) {
        r->in_toc = TOC_HEADED;
        r->prev_blank = 1;
        return 1;
    }
    r->in_toc = TOC_NONE;
    /* "## I. Introduction", "### 1. Ratification": keep the number as a label. */
    size_t bo, bl;
    const char *inner = t;
    size_t innerlen = tl;
    if (lzs_bold_line(t, tl, &bo, &bl)) {
        inner = t + bo;
        innerlen = bl;
    }
    char label[32] = "";
    int depth = 0, roman = 0;
    size_t nl2 = lzs_number_len(inner, innerlen, label, sizeof label, &depth, &roman);
    unit_t *u = add_unit(r, U_HEADING, t, tl);
    if (u) {
        u->md_level = (int)h;
        if (nl2) {
            snprintf(u->label, sizeof u->label, "%s", label);
            u->depth = depth;
            u->roman = roman;
        }
    }
    return 1;
}

static int footnote_line(reader_t *r, const char *s, size_t n, int note)
{
    char label[32] = "";
    size_t off = lzs_footnote_len(r->ex, s, n, label, sizeof label);
    if (off == 0 && note) {
        /* "1 Andorra, ...": a note at the bottom of a page (lzs_layout_mark_lines()) */
        size_t d = 0;
        while (d < n && d < 3 && isdigit((unsigned char)s[d]))
            d++;
        snprintf(label, sizeof label, "%.*s", (int)d, s);
        off = d;
        while (off < n && (s[off] == ' ' || s[off] == '\t'))
            off++;
    }
    if (off == 0)
        return 0;
    unit_t *u = add_unit(r, U_FOOTNOTE, s + off, n - off);
    if (u)
        snprintf(u->label, sizeof u->label, "%s", label);
    return 1;
}

static int bullet_line(reader_t *r, const char *s, size_t n)
{
    char label[32];
    size_t off = lzs_list_item(s, n, label, sizeof label);
    if (off == 0)
        return 0;
    const char *t = s + off;
    size_t tl = n - off;
    unit_t *u = add_unit(r, U_LIST, t, tl);
    if (u)
        snprintf(u->label, sizeof u->label, "%s", label);
    return 1;
}

/* Numbered and roman lines, possibly wrapped in bold; bold lines that are headings. */
static int numbered_or_bold_line(reader_t *r, const char *s, size_t n)
{
    size_t bo = 0, bl = n;
    int is_bold = lzs_bold_line(s, n, &bo, &bl);
    const char *inner = is_bold ? s + bo : s;
    size_t innerlen = is_bold ? bl : n;
    char label[32] = "";
    int depth = 0, roman = 0;
    size_t off = lzs_number_len(inner, innerlen, label, sizeof label, &depth, &roman);
    if (off != 0) {
        utype_t t = roman || depth > 1 ? U_HEADING : U_NUMBERED;
        /* A heading keeps its number in its text; a numbered paragraph's number is its
         * label, also when the line is bold ("**1. Opening ...**"). */
        unit_t *u = t == U_HEADING ? add_unit(r, t, s, n)
                                   : add_unit(r, t, inner + off, innerlen - off);
        if (u) {
            snprintf(u->label, sizeof u->label, "%s", label);
            u->depth = depth;
            u->roman = roman;
            u->goes_on = !is_bold;
        }
        return 1;
    }
    if (lzs_letter_len(inner, innerlen, label, sizeof label)) {
        unit_t *u = add_unit(r, U_HEADING, inner, innerlen);
        if (u) {
            snprintf(u->label, sizeof u->label, "%s", label);
            u->depth = 1;
            u->letter = 1;
            u->goes_on = !is_bold;
        }
        return 1;
    }
    if (is_bold && !lzs_ends_terminal(inner, innerlen) && innerlen <= 300 &&
        inner[innerlen - 1] != ',') {
        add_unit(r, U_HEADING, s, n);
        return 1;
    }
    return 0;
}

static int joinable(const unit_t *p)
{
    return p->type == U_PARA || p->type == U_LIST || p->type == U_NUMBERED ||
           p->type == U_FOOTNOTE || (p->type == U_HEADING && p->goes_on);
}

/* A whole line in brackets: "(covering the period ...)" under a title stands alone. */
static int bracketed_line(const char *s, size_t n)
{
    return n >= 2 && s[0] == '(' && s[n - 1] == ')';
}

/* A line that starts with an e-mail or web address: no sentence goes on in it. */
static int is_address(const char *s, size_t n)
{
    if (n == 0 || !isalnum((unsigned char)s[0]))
        return 0; /* "(x@coe.int) at the latest ...": a sentence going on */
    size_t w = 0;
    while (w < n && s[w] != ' ')
        w++;
    return memchr(s, '@', w) != NULL || (w >= 4 && strncasecmp(s, "www.", 4) == 0) ||
           (w >= 7 && memmem(s, w, "://", 3) != NULL);
}

/* Plain text: the continuation of the paragraph before it, or a new paragraph. */
static void plain_line(reader_t *r, const char *s, size_t n)
{
    units_t *us = r->us;
    if (!r->prev_blank && r->prev_line_unit == us->n - 1 && us->n > 0) {
        unit_t *p = &us->u[us->n - 1];
        const char *pr = p->raw.data;
        size_t pl = p->raw.len;
        char last = pl ? pr[pl - 1] : 0;
        /* In a hard-wrapped text a line goes on in the next one, whatever that starts
         * with ("... la Secrétaire" / "Générale du Conseil"), when the next line's first
         * word would not have fitted on it; after a full stop only when it is full. */
        size_t fw = 0;
        while (fw < n && s[fw] != ' ')
            fw++;
        size_t reach = r->prev_len + 1 + fw;
        int wrapped = r->wrap > 0 && reach * 10 >= r->wrap * 9 &&
                      (!lzs_ends_terminal(pr, pl) || r->prev_len * 20 >= r->wrap * 19);
        /* In a text wrapped by a layout, lines without a blank between are one block
         * (a title over three lines, an address block), but for a sentence's end before
         * a line that is not full. */
        if (r->wrap > 0 && !bracketed_line(s, n) &&
            !(lzs_ends_terminal(pr, pl) && p->type != U_HEADING && !lzs_starts_lower(s)))
            wrapped = 1;
        /* "(covering the period ...)" under a short title line is a line of its own */
        int alone = r->wrap > 0 && bracketed_line(s, n) && reach * 10 < r->wrap * 9 &&
                    r->next_blank;
        if (joinable(p) && !alone &&
            (lzs_starts_lower(s) || last == ',' || last == '-' || last == ':' ||
             lzs_ends_with_function_word(r->ex, pr, pl) || wrapped)) {
            unit_append(us, p, s, n);
            return;
        }
    }
    if ((r->prev_blank || r->page_break) && us->n > 0) {
        /* A page break inside a sentence: the text goes on after blank lines, maybe
         * after footnotes and page furniture. */
        unit_t *last = &us->u[us->n - 1];
        if (last->type == U_FOOTNOTE && last->raw.len > 0 &&
            last->raw.data[last->raw.len - 1] == ':') {
            unit_append(us, last, s, n);
            r->prev_blank = 0;
            return;
        }
        size_t k = us->n;
        while (k > 0 && us->u[k - 1].type == U_FOOTNOTE)
            k--;
        if (k > 0) {
            unit_t *body = &us->u[k - 1];
            int goes_on = (lzs_starts_lower(s) && !is_address(s, n) && !bracketed_line(s, n)) ||
                          (r->page_break &&
                           lzs_ends_with_function_word(r->ex, body->raw.data, body->raw.len));
            if (goes_on &&
                (body->type == U_PARA || body->type == U_LIST || body->type == U_NUMBERED) &&
                !lzs_ends_terminal(body->raw.data, body->raw.len)) {
                unit_append(us, body, s, n);
                r->prev_line_unit = k - 1;
                r->prev_blank = 0;
                return;
            }
        }
    }
    add_unit(r, U_PARA, s, n);
}

/* A row of a pipe table ("| Austria | yes |"): a cell each; the separator row
 * ("|---|:--:|") makes none. */
static int table_row(reader_t *r, const char *s, size_t n)
{
    if (n < 2 || s[0] != '|' || s[n - 1] != '|') {
        r->table_row = 0;
        return 0;
    }
    if (strspn(s, "|-: \t") == n) {
        r->prev_blank = 1;
        return 1;
    }
    r->table_row++;
    unsigned col = 0;
    for (size_t i = 1; i < n;) {
        size_t e = i;
        while (e < n && !(s[e] == '|' && s[e - 1] != '\\'))
            e++;
        size_t a = i, b = e;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        col++;
        if (b > a) {
            unit_t *u = add_unit(r, U_CELL, s + a, b - a);
            if (u) {
                u->row = r->table_row;
                u->col = col;
            }
        }
        i = e + 1;
    }
    r->prev_blank = 1; /* no line continues a cell */
    return 1;
}

/* One line of text, trimmed; note: it starts a note at the bottom of a page. */
static void read_line(reader_t *r, const char *s, size_t n, int note)
{
    char rk;
    if (lzs_line_is_rule(s, n, &rk)) {
        /* Setext underline: the previous single line becomes a heading. */
        units_t *us = r->us;
        if (!r->prev_blank && (rk == '=' || rk == '-') && r->prev_line_unit == us->n - 1 &&
            us->u[r->prev_line_unit].type == U_PARA && us->u[r->prev_line_unit].lines == 1) {
            us->u[r->prev_line_unit].type = U_HEADING;
            us->u[r->prev_line_unit].md_level = rk == '=' ? 1 : 2;
        }
        r->prev_blank = 1;
        r->in_toc = TOC_NONE;
        return;
    }
    if (lzs_line_is_toc_entry(s, n)) {
        if (r->in_toc == TOC_PLAIN && r->toc_first == NULL) {
            r->toc_first = folded_line(s, lzs_toc_entry_text(s, n));
            if (r->toc_first == NULL)
                r->us->oom = 1;
        }
        r->prev_blank = 1;
        return;
    }
    if (md_heading(r, s, n))
        return;
    if (r->in_toc == TOC_HEADED)
        return; /* entries without page numbers belong to it until the next heading */
    if (r->in_toc == TOC_PLAIN) {
        int entry = toc_plain_entry(r, s, n);
        if (entry < 0)
            r->us->oom = 1;
        if (entry != 0)
            return;
        r->in_toc = TOC_NONE;
        r->prev_blank = 1;
    } else if (n <= 40 && !lzs_ends_with_page_number(s, n)) {
        /* "Table of contents", "Sommaire" on a line of its own */
        char *plain = lzs_md_plain(s, n, NULL);
        int toc = plain ? lzs_is_toc_title(r->ex, plain) : -1;
        free(plain);
        if (toc < 0)
            r->us->oom = 1;
        if (toc > 0) {
            r->in_toc = TOC_PLAIN;
            free(r->toc_first);
            r->toc_first = NULL;
            r->prev_blank = 1;
            return;
        }
    }
    if (table_row(r, s, n))
        return;
    if (footnote_line(r, s, n, note) || bullet_line(r, s, n) || numbered_or_bold_line(r, s, n))
        return;
    plain_line(r, s, n);
}

/* Trims a line: spaces, no-break spaces at the start, a markdown hard break at the end
 * (*hard set when there was one). */
static void trim_line(const char **s, size_t *n, int *hard)
{
    const char *line = *s;
    size_t a = 0, b = *n;
    *hard = b >= 2 && line[b - 1] == ' ' && line[b - 2] == ' ';
    while (a < b && lzs_space_byte(line[a]))
        a++;
    while (a + 1 < b && (unsigned char)line[a] == 0xC2 && (unsigned char)line[a + 1] == 0xA0)
        a += 2;
    while (b > a && lzs_space_byte(line[b - 1]))
        b--;
    if (b > a && line[b - 1] == '\\' && (b - a < 2 || line[b - 2] != '\\')) {
        b--;
        *hard = 1;
    }
    *s = line + a;
    *n = b - a;
}

/* The lines of buf, trimmed, with their pages (a form feed starts a page). */
static lzs_line_t *split_lines(const char *buf, size_t len, size_t *count)
{
    size_t cap = 64, n = 0;
    lzs_line_t *v = malloc(cap * sizeof *v);
    if (v == NULL)
        return NULL;
    unsigned page = 1;
    for (size_t pos = 0; pos < len;) {
        const char *line = buf + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        for (size_t k = 0; k < ll; k++)
            page += line[k] == '\f';
        if (n == cap) {
            lzs_line_t *nv = realloc(v, cap * 2 * sizeof *v);
            if (nv == NULL) {
                free(v);
                return NULL;
            }
            v = nv;
            cap *= 2;
        }
        /* text after the last form feed of the line is on the new page */
        const char *ff = memrchr(line, '\f', ll);
        if (ff) {
            ll -= (size_t)(ff + 1 - line);
            line = ff + 1;
        }
        const char *start = line;
        int hard = 0;
        trim_line(&line, &ll, &hard);
        unsigned indent = 0;
        for (const char *c = start; c < line; c++)
            indent += *c == '\t' ? 8 : 1;
        v[n++] = (lzs_line_t){.s = line, .n = ll, .page = page, .indent = indent,
                              .hard_break = (unsigned char)hard};
    }
    /* A text without form feeds has no pages. */
    for (size_t i = 0; i < n && page == 1; i++)
        v[i].page = 0;
    *count = n;
    return v;
}

static void build_units(const lzs_extractor_t *ex, const char *buf, size_t len, units_t *us,
                        lzs_blocks_t *out)
{
    size_t n = 0;
    lzs_line_t *lines = split_lines(buf, len, &n);
    if (lines == NULL || lzs_layout_mark_lines(ex, lines, n) != LZS_OK) {
        free(lines);
        us->oom = 1;
        return;
    }
    reader_t r = {.ex = ex, .us = us, .prev_blank = 1, .prev_line_unit = (size_t)-1};
    r.page = n > 0 ? lines[0].page : 0;
    r.wrap = lzs_layout_wrap_width(lines, n);
    us->layout_wrap = r.wrap > 0;
    r.furniture = out;
    char scratch[512];
    for (size_t i = 0; i < n && !us->oom; i++) {
        const lzs_line_t *l = &lines[i];
        if (l->page != r.page) {
            r.page = l->page;
            r.page_break = 1;
        }
        if (l->furniture) {
            /* kept for the header stage, which may read the document's code in it */
            if (r.furniture && lzs_blocks_add_furniture(r.furniture, l->s, l->n) != LZS_OK)
                us->oom = 1;
            r.page_break = 1;
            continue;
        }
        us->blank = r.prev_blank;
        if (l->n == 0) {
            r.prev_blank = 1;
            continue;
        }
        const char *s = l->s;
        size_t sn = l->n;
        if (r.in_toc == TOC_NONE && lone_number(s, sn, r.pending, sizeof r.pending))
            continue; /* "1." alone: it numbers the text of the next line */
        if (r.pending[0]) {
            int k = snprintf(scratch, sizeof scratch, "%s. %.*s", r.pending, (int)sn, s);
            r.pending[0] = '\0';
            if (k > 0 && (size_t)k < sizeof scratch) {
                s = scratch;
                sn = (size_t)k;
            }
        }
        r.next_blank = i + 1 >= n || lines[i + 1].n == 0 || lines[i + 1].furniture;
        us->hard_break = i > 0 && lines[i - 1].hard_break;
        read_line(&r, s, sn, l->note);
        r.prev_len = l->n;
        r.page_break = 0;
    }
    free(r.toc_first);
    free(lines);
}

/* The text without its HTML comments ("<!-- ... -->", on one line or several), which a
 * markdown reader never sees. The line breaks inside a comment stay, so that a comment
 * on lines of its own separates what is around it as a blank line would. A comment that
 * is never closed runs to the end of the text, as in CommonMark. Caller frees with free();
 * NULL when out of memory. */
static char *strip_html_comments(const char *buf, size_t len, size_t *outlen)
{
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (buf[i] == '<' && len - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
            size_t k = i + 4;
            while (k < len && !(len - k >= 3 && memcmp(buf + k, "-->", 3) == 0)) {
                if (buf[k] == '\n')
                    out[o++] = '\n';
                k++;
            }
            i = k < len ? k + 3 : len;
            continue;
        }
        out[o++] = buf[i++];
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}


/* The unit as a block: plain text, its footnote markers, its shape. */
static lzs_status_t unit_to_block(const unit_t *u, lzs_lines_flavour_t flavour, lzs_blocks_t *out)
{
    lzs_marks_t marks = {0};
    char *plain = lzs_inline_plain(u->raw.data, u->raw.len, &marks,
                                   flavour == LZS_LINES_TEXT ? LZS_INLINE_TEXT : 0u);
    if (plain == NULL) {
        lzs_marks_free(&marks);
        return LZS_ERR_NOMEM;
    }
    static const lzs_block_kind_t kinds[] = {
        [U_HEADING] = LZS_BLOCK_HEADING, [U_NUMBERED] = LZS_BLOCK_PARAGRAPH,
        [U_PARA] = LZS_BLOCK_PARAGRAPH, [U_LIST] = LZS_BLOCK_LIST_ITEM,
        [U_FOOTNOTE] = LZS_BLOCK_FOOTNOTE, [U_CELL] = LZS_BLOCK_TABLE_CELL};
    lzs_block_t *b = lzs_blocks_add(out, kinds[u->type], plain, strlen(plain));
    free(plain);
    if (b == NULL) {
        lzs_marks_free(&marks);
        return LZS_ERR_NOMEM;
    }
    b->marks = marks.v;
    b->nmarks = marks.n;
    b->capmarks = marks.cap;
    b->flags = LZS_BF_CLASSIFIED | LZS_BF_LINES | (u->roman ? LZS_BF_ROMAN : 0u) |
               (u->letter ? LZS_BF_LETTERED : 0u) | (u->blank_before ? LZS_BF_BLANK_BEFORE : 0u);
    b->level = u->md_level;
    b->depth = u->depth;
    b->lines = u->lines;
    b->page = u->page;
    b->row = u->row;
    b->col = u->col;
    snprintf(b->number, sizeof b->number, "%s", u->label);
    return LZS_OK;
}

lzs_status_t lzs_read_lines(const lzs_extractor_t *ex, const char *name, const char *buf,
                            size_t len, lzs_lines_flavour_t flavour, lzs_blocks_t *out,
                            char **errmsg)
{
    lzs_status_t st = lzs_text_check(name, buf, len, errmsg);
    if (st != LZS_OK)
        return st;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    char *stripped = NULL;
    if (flavour == LZS_LINES_MARKDOWN) {
        stripped = strip_html_comments(buf, len, &len);
        if (stripped == NULL)
            return LZS_ERR_NOMEM;
        buf = stripped;
    }
    units_t us = {0};
    us.soft_wrap = flavour == LZS_LINES_MARKDOWN;
    build_units(ex, buf, len, &us, out);
    st = us.oom ? LZS_ERR_NOMEM : LZS_OK;
    for (size_t i = 0; i < us.n && st == LZS_OK; i++)
        st = unit_to_block(&us.u[i], flavour, out);
    units_free(&us);
    free(stripped);
    return st;
}

lzs_status_t lzs_read_markdown(const lzs_extractor_t *ex, const char *name, const char *buf,
                               size_t len, lzs_blocks_t *out, char **errmsg)
{
    return lzs_read_lines(ex, name, buf, len, LZS_LINES_MARKDOWN, out, errmsg);
}
