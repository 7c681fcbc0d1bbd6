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

#include "stage.h"

typedef enum { U_HEADING, U_NUMBERED, U_PARA, U_LIST, U_FOOTNOTE } utype_t;

typedef struct {
    utype_t type;
    char *raw; /* markdown of the unit, markers removed */
    size_t rawlen, rawcap;
    char label[32];   /* number, roman numeral, letter or footnote number */
    int md_level;     /* 1-6 for "#" headings */
    int roman;        /* label is a roman numeral (with optional .N parts) */
    int depth;        /* parts of a numbered label: "2.1.1" -> 3 */
    int lines;        /* source lines joined into it */
    int blank_before; /* a blank line (or a rule) came before its first line */
} unit_t;

typedef struct {
    unit_t *u;
    size_t n, cap;
    int oom;
    int blank; /* the line being read comes after a blank line */
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
    u->raw = malloc(len + 1);
    if (u->raw == NULL) {
        us->oom = 1;
        return NULL;
    }
    memcpy(u->raw, text, len);
    u->raw[len] = '\0';
    u->rawlen = len;
    u->rawcap = len + 1;
    u->lines = 1;
    u->blank_before = us->blank;
    us->n++;
    return u;
}

static void unit_append(units_t *us, unit_t *u, const char *text, size_t len)
{
    if (u->rawlen + len + 2 > u->rawcap) {
        size_t cap = (u->rawlen + len + 2) * 2;
        char *p = realloc(u->raw, cap);
        if (p == NULL) {
            us->oom = 1;
            return;
        }
        u->raw = p;
        u->rawcap = cap;
    }
    u->raw[u->rawlen++] = ' ';
    memcpy(u->raw + u->rawlen, text, len);
    u->rawlen += len;
    u->raw[u->rawlen] = '\0';
    u->lines++;
}

static void units_free(units_t *us)
{
    for (size_t i = 0; i < us->n; i++)
        free(us->u[i].raw);
    free(us->u);
}


static void build_units(const lzs_extractor_t *ex, const char *buf, size_t len, units_t *us)
{
    int prev_blank = 1; /* the previous line was blank (or a rule) */
    int in_toc = 0;
    size_t prev_line_unit = (size_t)-1; /* unit that the previous line went into */
    for (size_t pos = 0; pos < len && !us->oom;) {
        const char *line = buf + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        us->blank = prev_blank;
        /* trim */
        size_t a = 0, b = ll;
        while (a < b && lzs_space_byte(line[a]))
            a++;
        /* a no-break space at the start counts as indentation */
        while (a + 1 < b && (unsigned char)line[a] == 0xC2 && (unsigned char)line[a + 1] == 0xA0)
            a += 2;
        while (b > a && lzs_space_byte(line[b - 1]))
            b--;
        /* a trailing backslash is a markdown hard break */
        if (b > a && line[b - 1] == '\\' && (b - a < 2 || line[b - 2] != '\\'))
            b--;
        const char *s = line + a;
        size_t n = b - a;
        if (n == 0) {
            prev_blank = 1;
            continue;
        }
        char rk;
        if (lzs_line_is_rule(s, n, &rk)) {
            /* Setext underline: the previous single line becomes a heading. */
            if (!prev_blank && (rk == '=' || rk == '-') && prev_line_unit == us->n - 1 &&
                us->u[prev_line_unit].type == U_PARA && us->u[prev_line_unit].lines == 1) {
                us->u[prev_line_unit].type = U_HEADING;
                us->u[prev_line_unit].md_level = rk == '=' ? 1 : 2;
            }
            prev_blank = 1;
            in_toc = 0;
            continue;
        }
        if (lzs_line_is_toc_entry(s, n)) {
            prev_blank = 1;
            continue;
        }
        char label[32] = "";
        size_t off;
        unit_t *u = NULL;
        /* markdown heading */
        size_t h = 0;
        while (h < n && s[h] == '#')
            h++;
        if (h >= 1 && h <= 6 && h < n && (s[h] == ' ' || s[h] == '\t')) {
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
            int toc = plain ? lzs_is_toc_title(ex, plain) : -1;
            free(plain);
            if (toc < 0) {
                us->oom = 1;
                return;
            }
            if (toc) {
                in_toc = 1;
                prev_blank = 1;
                continue;
            }
            in_toc = 0;
            /* "## I. Introduction", "### 1. Ratification": keep the number as a label. */
            size_t bo, bl;
            const char *inner = t;
            size_t innerlen = tl;
            if (lzs_bold_line(t, tl, &bo, &bl)) {
                inner = t + bo;
                innerlen = bl;
            }
            int depth = 0, roman = 0;
            size_t nl2 = lzs_number_len(inner, innerlen, label, sizeof label, &depth, &roman);
            u = unit_new(us, U_HEADING, t, tl);
            if (u) {
                u->md_level = (int)h;
                if (nl2) {
                    snprintf(u->label, sizeof u->label, "%s", label);
                    u->depth = depth;
                    u->roman = roman;
                }
            }
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        if (in_toc) {
            /* Entries of a table of contents without page numbers still belong to it
             * until the next blank-separated heading. */
            continue;
        }
        off = lzs_footnote_len(s, n, label, sizeof label);
        if (off != 0) {
            u = unit_new(us, U_FOOTNOTE, s + off, n - off);
            if (u)
                snprintf(u->label, sizeof u->label, "%s", label);
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        off = lzs_bullet_len(s, n);
        if (off != 0) {
            const char *t = s + off;
            size_t tl = n - off;
            /* "- a. text": a lettered item inside a bullet */
            if (tl > 3 && islower((unsigned char)t[0]) && t[1] == '.' && t[2] == ' ') {
                label[0] = t[0];
                label[1] = '\0';
                t += 3;
                tl -= 3;
            } else if (isdigit((unsigned char)s[0]) || s[0] == '(' ||
                       islower((unsigned char)s[0])) {
                /* "a) " / "(1) ": the marker is the label */
                size_t k = s[0] == '(' ? 1 : 0;
                size_t e = k;
                while (e < n && s[e] != ')')
                    e++;
                snprintf(label, sizeof label, "%.*s", (int)(e - k), s + k);
            }
            u = unit_new(us, U_LIST, t, tl);
            if (u)
                snprintf(u->label, sizeof u->label, "%s", label);
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        /* numbered and roman lines, possibly wrapped in bold */
        size_t bo = 0, bl = n;
        int is_bold = lzs_bold_line(s, n, &bo, &bl);
        const char *inner = is_bold ? s + bo : s;
        size_t innerlen = is_bold ? bl : n;
        int depth = 0, roman = 0;
        off = lzs_number_len(inner, innerlen, label, sizeof label, &depth, &roman);
        if (off != 0) {
            utype_t t = roman || depth > 1 ? U_HEADING : U_NUMBERED;
            if (is_bold || t == U_HEADING)
                u = unit_new(us, t, s, n);
            else
                u = unit_new(us, t, inner + off, innerlen - off);
            if (u) {
                snprintf(u->label, sizeof u->label, "%s", label);
                u->depth = depth;
                u->roman = roman;
            }
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        if (is_bold && !lzs_ends_terminal(inner, innerlen) && innerlen <= 300 &&
            inner[innerlen - 1] != ',') {
            unit_new(us, U_HEADING, s, n);
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        /* plain text: a new paragraph or the continuation of one */
        if (!prev_blank && prev_line_unit == us->n - 1 && us->n > 0) {
            unit_t *p = &us->u[us->n - 1];
            int joinable = p->type == U_PARA || p->type == U_LIST || p->type == U_NUMBERED ||
                           p->type == U_FOOTNOTE;
            const char *pr = p->raw;
            size_t pl = p->rawlen;
            char last = pl ? pr[pl - 1] : 0;
            if (joinable && (lzs_starts_lower(s) || last == ',' || last == '-' || last == ':' ||
                             lzs_ends_with_function_word(pr, pl))) {
                unit_append(us, p, s, n);
                continue;
            }
        }
        if (prev_blank && us->n > 0) {
            /* A page break inside a sentence: the text goes on after blank lines, maybe
             * after footnotes. */
            unit_t *last = &us->u[us->n - 1];
            if (last->type == U_FOOTNOTE && last->rawlen > 0 &&
                last->raw[last->rawlen - 1] == ':') {
                unit_append(us, last, s, n);
                prev_blank = 0;
                continue;
            }
            if (lzs_starts_lower(s)) {
                size_t k = us->n;
                while (k > 0 && us->u[k - 1].type == U_FOOTNOTE)
                    k--;
                if (k > 0) {
                    unit_t *body = &us->u[k - 1];
                    if ((body->type == U_PARA || body->type == U_LIST ||
                         body->type == U_NUMBERED) &&
                        !lzs_ends_terminal(body->raw, body->rawlen)) {
                        unit_append(us, body, s, n);
                        prev_line_unit = k - 1;
                        prev_blank = 0;
                        continue;
                    }
                }
            }
        }
        unit_new(us, U_PARA, s, n);
        prev_line_unit = us->n - 1;
        prev_blank = 0;
    }
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
    char *plain = lzs_inline_plain(u->raw, u->rawlen, &marks,
                                   flavour == LZS_LINES_TEXT ? LZS_INLINE_TEXT : 0u);
    if (plain == NULL) {
        lzs_marks_free(&marks);
        return LZS_ERR_NOMEM;
    }
    static const lzs_block_kind_t kinds[] = {
        [U_HEADING] = LZS_BLOCK_HEADING, [U_NUMBERED] = LZS_BLOCK_PARAGRAPH,
        [U_PARA] = LZS_BLOCK_PARAGRAPH, [U_LIST] = LZS_BLOCK_LIST_ITEM,
        [U_FOOTNOTE] = LZS_BLOCK_FOOTNOTE};
    lzs_block_t *b = lzs_blocks_add(out, kinds[u->type], plain, strlen(plain));
    free(plain);
    if (b == NULL) {
        lzs_marks_free(&marks);
        return LZS_ERR_NOMEM;
    }
    b->marks = marks.v;
    b->nmarks = marks.n;
    b->capmarks = marks.cap;
    b->flags = LZS_BF_CLASSIFIED | (u->roman ? LZS_BF_ROMAN : 0u) |
               (u->blank_before ? LZS_BF_BLANK_BEFORE : 0u);
    b->level = u->md_level;
    b->depth = u->depth;
    b->lines = u->lines;
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
    build_units(ex, buf, len, &us);
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
