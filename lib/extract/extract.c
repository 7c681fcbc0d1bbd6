/* extract.c — from a .txt/.md file of the Committee to an lzs_document_t.
 *
 * Three passes: lines are grouped into units (headings, numbered lines, paragraphs,
 * list items, footnotes), joining lines that a page break or a soft wrap split; units
 * become passages, with the section path, recommendations and their context; then
 * footnote markers are resolved (recommendation identifiers) and the document metadata
 * is found (reference, date, type, title, language) and overridden by the sidecar.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <unicode/utf8.h>

#include "extract_internal.h"
#include "lzs/json.h"
#include "lzs/paths.h"

#define SIDECAR_MAX (1u << 20)
#define FRONT_UNITS 24 /* units at the top where metadata lines are looked for */

/* ---- lifecycle ------------------------------------------------------------------- */

lzs_status_t lzs_extract_open(const char *datadir, lzs_extractor_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    char dir[4096];
    if (datadir == NULL) {
        lzs_status_t st = lzs_default_data_dir(dir, sizeof dir);
        if (st != LZS_OK) {
            lzs_set_errmsg(errmsg, "no data directory: %s", lzs_status_str(st));
            return st;
        }
        datadir = dir;
    }
    lzs_extractor_t *ex = calloc(1, sizeof *ex);
    if (ex == NULL)
        return LZS_ERR_NOMEM;
    ex->datadir = strdup(datadir);
    if (ex->datadir == NULL) {
        free(ex);
        return LZS_ERR_NOMEM;
    }
    lzs_status_t st = lzs_data_load(ex, errmsg);
    if (st != LZS_OK) {
        lzs_extract_close(ex);
        return st;
    }
    *out = ex;
    return LZS_OK;
}

void lzs_extract_close(lzs_extractor_t *ex)
{
    if (ex == NULL)
        return;
    lzs_data_free(ex);
    free(ex->datadir);
    free(ex);
}

const char *lzs_extract_datadir(const lzs_extractor_t *ex)
{
    return ex ? ex->datadir : NULL;
}

/* ---- pass 1: lines to units ---------------------------------------------------------- */

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

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == '\n';
}

/* A line made only of -, _, *, =, . (and spaces), three or more: a rule or page mark. */
static int is_rule(const char *s, size_t n, char *kind)
{
    size_t marks = 0;
    char k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\\')
            continue;
        if (!strchr("-_*=.", c))
            return 0;
        if (k == 0)
            k = c;
        else if (k != c)
            k = '?';
        marks++;
    }
    if (kind)
        *kind = k;
    return marks >= 3;
}

/* A table-of-contents line: text, a dot leader (or tab) and a page number. */
static int is_toc_entry(const char *s, size_t n)
{
    size_t e = n;
    while (e > 0 && is_space_byte(s[e - 1]))
        e--;
    size_t d = e;
    while (d > 0 && isdigit((unsigned char)s[d - 1]))
        d--;
    if (d == e || e - d > 4)
        return 0;
    size_t k = d;
    while (k > 0 && is_space_byte(s[k - 1]))
        k--;
    size_t dots = 0;
    while (k > 0 && (s[k - 1] == '.' || is_space_byte(s[k - 1]))) {
        dots += s[k - 1] == '.';
        k--;
    }
    /* "…" leaders */
    while (k >= 3 && (unsigned char)s[k - 3] == 0xE2 && (unsigned char)s[k - 2] == 0x80 &&
           (unsigned char)s[k - 1] == 0xA6) {
        dots += 3;
        k -= 3;
    }
    return dots >= 4;
}

/* The title of a table of contents (headings.tsv, role "contents"). -1 when out of
 * memory. */
static int is_toc_title(const lzs_extractor_t *ex, const char *plain)
{
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -1;
    int found = lzs_strlist_contains(&ex->toc_titles, key);
    free(key);
    return found;
}

/* Length of a bullet marker (and the space after it) at s, 0 if none. */
static size_t bullet_len(const char *s, size_t n)
{
    static const char *const marks[] = {"-",      "*",      "+",      "\u2022", "\u00B7", "\u25AA",
                                        "\u271A", "\u2013", "\u2014", "\u25E6", "\u2023", "\u25CB",
                                        "\u25A0", "\u25A1", "\u25BA", "\u27A2", "\u2713", "\u25CF",
                                        "\u2192", "\u2043", NULL};
    for (int i = 0; marks[i]; i++) {
        size_t ml = strlen(marks[i]);
        if (n > ml && strncmp(s, marks[i], ml) == 0 && (s[ml] == ' ' || s[ml] == '\t')) {
            size_t k = ml;
            while (k < n && (s[k] == ' ' || s[k] == '\t'))
                k++;
            return k;
        }
    }
    /* "a) ", "1) ", "(a) " */
    size_t k = 0;
    if (s[0] == '(')
        k++;
    size_t start = k;
    while (k < n && k - start < 3 && (isdigit((unsigned char)s[k]) || islower((unsigned char)s[k])))
        k++;
    if (k > start && k < n && s[k] == ')' && k + 1 < n && s[k + 1] == ' ') {
        if (k - start > 1 && !isdigit((unsigned char)s[start]))
            return 0;
        return k + 2;
    }
    return 0;
}

/* "12. ", "2.1.1. ", "2.1 " at s: fills label/depth and returns the text offset. */
static size_t number_len(const char *s, size_t n, char *label, size_t cap, int *depth, int *roman)
{
    size_t k = 0;
    *roman = 0;
    size_t rl = 0;
    while (rl < n && strchr("IVXLC", s[rl]))
        rl++;
    if (rl > 0 && rl <= 6 && rl < n && s[rl] == '.') {
        *roman = 1;
        k = rl;
    } else {
        while (k < n && isdigit((unsigned char)s[k]) && k < 3)
            k++;
        if (k == 0 || (k < n && isdigit((unsigned char)s[k])))
            return 0;
    }
    int d = 1;
    int trailing_dot = 0;
    while (k < n && s[k] == '.') {
        if (k + 1 < n && isdigit((unsigned char)s[k + 1])) {
            k++;
            while (k < n && isdigit((unsigned char)s[k]))
                k++;
            d++;
            trailing_dot = 0;
        } else {
            k++;
            trailing_dot = 1;
            break;
        }
    }
    /* A single number needs its dot ("12."), or it is a footnote or a year. */
    if (d == 1 && !trailing_dot)
        return 0;
    if (k >= n || (s[k] != ' ' && s[k] != '\t'))
        return 0;
    size_t ll = k - (trailing_dot ? 1 : 0);
    if (ll + 1 > cap)
        return 0;
    memcpy(label, s, ll);
    label[ll] = '\0';
    *depth = d;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k;
}

/* Footnote definition at the start of a line: "<sup>3</sup> ...", "[^3]: ...", "³ ...",
 * "23 Recommendation V-17." Fills label and returns the text offset, 0 if none. */
static size_t footnote_len(const char *s, size_t n, char *label, size_t cap)
{
    size_t k = 0, d;
    if (n > 11 && strncasecmp(s, "<sup>", 5) == 0) {
        d = 5;
        while (d < n && isdigit((unsigned char)s[d]))
            d++;
        if (d == 5 || d - 5 > 4 || strncasecmp(s + d, "</sup>", 6) != 0)
            return 0;
        snprintf(label, cap, "%.*s", (int)(d - 5), s + 5);
        k = d + 6;
    } else if (n > 4 && s[0] == '[' && s[1] == '^') {
        d = 2;
        while (d < n && isalnum((unsigned char)s[d]))
            d++;
        if (d == 2 || d + 1 >= n || s[d] != ']' || s[d + 1] != ':')
            return 0;
        snprintf(label, cap, "%.*s", (int)(d - 2), s + 2);
        k = d + 2;
    } else if ((unsigned char)s[0] == 0xC2 || (unsigned char)s[0] == 0xE2) {
        size_t o = 0;
        unsigned v = 0;
        int any = 0;
        for (;;) {
            const unsigned char *p = (const unsigned char *)s + k;
            int dv = -1;
            size_t l = 0;
            if (k + 1 < n && p[0] == 0xC2 && (p[1] == 0xB9 || p[1] == 0xB2 || p[1] == 0xB3)) {
                dv = p[1] == 0xB9 ? 1 : p[1] == 0xB2 ? 2 : 3;
                l = 2;
            } else if (k + 2 < n && p[0] == 0xE2 && p[1] == 0x81 &&
                       (p[2] == 0xB0 || (p[2] >= 0xB4 && p[2] <= 0xB9))) {
                dv = p[2] - 0xB0;
                l = 3;
            }
            if (dv < 0)
                break;
            v = v * 10 + (unsigned)dv;
            any = 1;
            k += l;
            o++;
        }
        if (!any || o > 3)
            return 0;
        snprintf(label, cap, "%u", v);
    } else if (isdigit((unsigned char)s[0])) {
        d = 0;
        while (d < n && isdigit((unsigned char)s[d]) && d < 3)
            d++;
        if (d >= n || s[d] != ' ')
            return 0;
        /* Only the unambiguous form: a bare number is too often something else. */
        /* s is a slice of n bytes, not a C string: compare within it only */
        const char *rest = s + d + 1;
        if (n - d - 1 < 14 ||
            (memcmp(rest, "Recommendation", 14) != 0 && memcmp(rest, "Recommandation", 14) != 0))
            return 0;
        snprintf(label, cap, "%.*s", (int)d, s);
        k = d;
    } else {
        return 0;
    }
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k;
}

static int ends_terminal(const char *s, size_t n)
{
    while (n > 0 && (is_space_byte(s[n - 1]) || s[n - 1] == '*' || s[n - 1] == '_'))
        n--;
    if (n == 0)
        return 0;
    char c = s[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':')
        return 1;
    /* closing quotes or brackets after a full stop: ".”" */
    if (n >= 4 && (unsigned char)s[n - 3] == 0xE2 && strchr(".!?", s[n - 4]))
        return 1;
    if ((c == ')' || c == '"') && n >= 2 && strchr(".!?", s[n - 2]))
        return 1;
    return 0;
}

/* Last word of a line is one after which a sentence cannot stop: a soft wrap. */
static int ends_with_function_word(const char *s, size_t n)
{
    static const char *const fw[] = {"of",  "the",  "and", "to",   "on", "in",   "for", "a",
                                     "an",  "with", "by",  "or",   "at", "from", "de",  "la",
                                     "le",  "les",  "des", "du",   "et", "ou",   "en",  "au",
                                     "aux", "sur",  "par", "pour", NULL};
    while (n > 0 && is_space_byte(s[n - 1]))
        n--;
    size_t e = n;
    while (n > 0 && isalpha((unsigned char)s[n - 1]))
        n--;
    if (e == n)
        return 0;
    for (int i = 0; fw[i]; i++) {
        if (strlen(fw[i]) == e - n && strncmp(s + n, fw[i], e - n) == 0)
            return 1;
    }
    return 0;
}

static int starts_lower(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (islower(c) || c == '(')
        return 1;
    /* Latin-1 lowercase letters: à..ÿ */
    return c == 0xC3 && (unsigned char)s[1] >= 0xA0 && (unsigned char)s[1] <= 0xBF;
}

/* The whole line wrapped in bold ("**...**") with nothing bold inside: writes the
 * inner span. */
static int bold_line(const char *s, size_t n, size_t *in_off, size_t *in_len)
{
    if (n < 5 || strncmp(s, "**", 2) != 0 || strncmp(s + n - 2, "**", 2) != 0)
        return 0;
    size_t a = 2, b = n - 2;
    while (a < b && s[a] == '*')
        a++;
    while (b > a && s[b - 1] == '*')
        b--;
    for (size_t i = a; i + 1 < b; i++) {
        if (s[i] == '*' && s[i + 1] == '*')
            return 0;
    }
    *in_off = a;
    *in_len = b - a;
    return b > a;
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
        while (a < b && is_space_byte(line[a]))
            a++;
        /* a no-break space at the start counts as indentation */
        while (a + 1 < b && (unsigned char)line[a] == 0xC2 && (unsigned char)line[a + 1] == 0xA0)
            a += 2;
        while (b > a && is_space_byte(line[b - 1]))
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
        if (is_rule(s, n, &rk)) {
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
        if (is_toc_entry(s, n)) {
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
            int toc = plain ? is_toc_title(ex, plain) : -1;
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
            if (bold_line(t, tl, &bo, &bl)) {
                inner = t + bo;
                innerlen = bl;
            }
            int depth = 0, roman = 0;
            size_t nl2 = number_len(inner, innerlen, label, sizeof label, &depth, &roman);
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
        off = footnote_len(s, n, label, sizeof label);
        if (off != 0) {
            u = unit_new(us, U_FOOTNOTE, s + off, n - off);
            if (u)
                snprintf(u->label, sizeof u->label, "%s", label);
            prev_line_unit = us->n - 1;
            prev_blank = 0;
            continue;
        }
        off = bullet_len(s, n);
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
        int is_bold = bold_line(s, n, &bo, &bl);
        const char *inner = is_bold ? s + bo : s;
        size_t innerlen = is_bold ? bl : n;
        int depth = 0, roman = 0;
        off = number_len(inner, innerlen, label, sizeof label, &depth, &roman);
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
        if (is_bold && !ends_terminal(inner, innerlen) && innerlen <= 300 &&
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
            if (joinable && (starts_lower(s) || last == ',' || last == '-' || last == ':' ||
                             ends_with_function_word(pr, pl))) {
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
            if (starts_lower(s)) {
                size_t k = us->n;
                while (k > 0 && us->u[k - 1].type == U_FOOTNOTE)
                    k--;
                if (k > 0) {
                    unit_t *body = &us->u[k - 1];
                    if ((body->type == U_PARA || body->type == U_LIST ||
                         body->type == U_NUMBERED) &&
                        !ends_terminal(body->raw, body->rawlen)) {
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

/* ---- pass 2: units to passages --------------------------------------------------------- */

typedef struct {
    int rank;
    int numbered;
    int md_level;
    char *text;
    lzs_strlist_t articles;
} head_t;

typedef struct {
    const lzs_extractor_t *ex;
    lzs_document_t *doc;
    lzs_status_t st;
    head_t stack[16];
    size_t depth;
    lzs_marks_t *marks; /* per passage */
    size_t nmarks;
    lzs_words_t words;
    /* recommendation context opened by "The Committee requires:" */
    int rec_active;
    lzs_level_t rec_level;
    int rec_all;
    lzs_strlist_t rec_addr;
    /* numbering of decision paragraphs and agenda items */
    long next_para, next_head;
    /* metadata lines seen at the top */
    char ref[128];
    char date[16];
    lzs_doctype_t type;
    int have_type;
    char *title;
    size_t type_unit;
    size_t title_unit; /* unit of the line that announces the type; units above it are the
                          letterhead. FRONT_UNITS when there is none. */
} parse_t;

static void stack_pop_to(parse_t *ps, int rank)
{
    while (ps->depth > 0 && ps->stack[ps->depth - 1].rank >= rank) {
        head_t *h = &ps->stack[--ps->depth];
        free(h->text);
        lzs_strlist_clear(&h->articles);
    }
}

/* A heading that starts with a word of its own level ("Appendix", "Annex 2: ...";
 * headings.tsv, role "top"). -1 when out of memory. */
static int is_top_heading_word(const lzs_extractor_t *ex, const char *plain)
{
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -1;
    int found = 0;
    for (size_t i = 0; i < ex->top_headings.n && !found; i++) {
        const char *w = ex->top_headings.items[i];
        size_t n = strlen(w);
        found = strncmp(key, w, n) == 0 && (key[n] == '\0' || key[n] == ' ');
    }
    free(key);
    return found;
}

/* The rank of a heading in the section path (1 = outermost). Numbered headings rank by
 * their numbering, roman numerals above arabic ones; unnumbered headings sit below the
 * innermost numbered one, and nest by markdown level only where nothing is numbered. */
static int heading_rank(parse_t *ps, const unit_t *u, const char *plain)
{
    int roman_above = 0;
    int base = 0;
    for (size_t i = 0; i < ps->depth; i++) {
        if (ps->stack[i].numbered) {
            base = ps->stack[i].rank;
            if (ps->stack[i].numbered == 2)
                roman_above = 1;
        }
    }
    if (u->label[0] && u->type != U_FOOTNOTE) {
        if (u->roman)
            return u->depth;
        /* under a roman chapter, "1." is a section of it */
        int r = u->depth;
        for (size_t i = 0; i < ps->depth; i++) {
            if (ps->stack[i].numbered == 2 && ps->stack[i].rank < r + 1) {
                roman_above = 1;
                break;
            }
        }
        return r + (roman_above ? 1 : 0);
    }
    int top = is_top_heading_word(ps->ex, plain);
    if (top < 0)
        ps->st = LZS_ERR_NOMEM;
    if (top != 0)
        return 1;
    if (base == 0 && u->md_level > 0) {
        for (size_t i = ps->depth; i > 0; i--) {
            const head_t *h = &ps->stack[i - 1];
            if (h->md_level > 0 && h->md_level < u->md_level)
                return h->rank + 1;
        }
        return 1;
    }
    if (base == 0) {
        /* A bold line under a "#" heading is a heading inside it, not beside it. */
        for (size_t i = ps->depth; i > 0; i--) {
            if (ps->stack[i - 1].md_level > 0)
                return ps->stack[i - 1].rank + 1;
        }
    }
    return base + 1;
}

static lzs_passage_t *new_passage(parse_t *ps, lzs_kind_t kind, const char *label, char *text,
                                  lzs_marks_t *marks)
{
    lzs_passage_t *p = lzs_document_add_passage(ps->doc);
    if (p == NULL) {
        free(text);
        lzs_marks_free(marks);
        ps->st = LZS_ERR_NOMEM;
        return NULL;
    }
    if (ps->doc->npassages > ps->nmarks) {
        size_t cap = ps->nmarks ? ps->nmarks * 2 : 64;
        while (cap < ps->doc->npassages)
            cap *= 2;
        lzs_marks_t *m = realloc(ps->marks, cap * sizeof *m);
        if (m == NULL) {
            free(text);
            lzs_marks_free(marks);
            ps->st = LZS_ERR_NOMEM;
            return NULL;
        }
        memset(m + ps->nmarks, 0, (cap - ps->nmarks) * sizeof *m);
        ps->marks = m;
        ps->nmarks = cap;
    }
    ps->marks[ps->doc->npassages - 1] = *marks;
    memset(marks, 0, sizeof *marks);
    p->kind = kind;
    p->text = text;
    if (label && label[0]) {
        p->label = strdup(label);
        if (p->label == NULL)
            ps->st = LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < ps->depth && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push(&p->section, ps->stack[i].text);
    if (ps->st == LZS_OK)
        ps->st = lzs_cite_articles(text, &p->articles);
    lzs_words_reset(&ps->words);
    if (ps->st == LZS_OK)
        ps->st = lzs_words_fold(&ps->words, text, strlen(text));
    if (ps->st == LZS_OK)
        ps->st = lzs_gaz_parties(ps->ex, &ps->words, &p->parties);
    lzs_strlist_sort(&p->parties);
    return ps->st == LZS_OK ? p : NULL;
}

static void push_heading(parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks)
{
    int rank = heading_rank(ps, u, plain);
    if (rank < 1)
        rank = 1;
    stack_pop_to(ps, rank);
    const char *label = u->label[0] ? u->label : NULL;
    lzs_passage_t *p = new_passage(ps, LZS_KIND_HEADING, label, plain, marks);
    if (p == NULL)
        return;
    if (ps->depth == sizeof ps->stack / sizeof ps->stack[0])
        stack_pop_to(ps, ps->stack[ps->depth - 1].rank);
    head_t *h = &ps->stack[ps->depth];
    memset(h, 0, sizeof *h);
    h->rank = rank;
    h->numbered = u->label[0] ? (u->roman ? 2 : 1) : 0;
    h->md_level = u->md_level;
    h->text = strdup(p->text);
    if (h->text == NULL) {
        ps->st = LZS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < p->articles.n && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push(&h->articles, p->articles.items[i]);
    ps->depth++;
    ps->rec_active = 0;
}

/* Words that may stand between the names of an addressee list. */
static int is_connector(const char *w)
{
    static const char *const c[] = {"and", "or",   "the",   "et",  "ou",  "la", "le",
                                    "les", "l",    "de",    "du",  "des", "d",  "a",
                                    "as",  "well", "ainsi", "que", NULL};
    for (int i = 0; c[i]; i++) {
        if (strcmp(w, c[i]) == 0)
            return 1;
    }
    return 0;
}

/* Reads an addressee list from word i: Party names, "all Parties", connectors. Stops at
 * the first other word ("to", "qu'ils", ...). Returns 1 when something was named. */
static int parse_addressees(parse_t *ps, size_t i, int *all, lzs_strlist_t *codes)
{
    const lzs_words_t *w = &ps->words;
    int named = 0;
    while (i < w->n) {
        const lzs_phrase_t *ph = lzs_phrase_at(ps->ex, w, i, PHRASE_ALL);
        if (ph) {
            *all = 1;
            named = 1;
            i += ph->nwords;
            continue;
        }
        lzs_state_match_t m;
        if (lzs_gaz_match_at(ps->ex, w, i, &m)) {
            const lzs_state_t *s = &ps->ex->states[m.state];
            if (s->is_party && ps->st == LZS_OK)
                ps->st = lzs_strlist_push_unique(codes, s->code);
            named = 1;
            i = m.end;
            continue;
        }
        /* "que" only continues a list in "ainsi que"; at the start of a clause it ends it */
        if (strcmp(lzs_words_at(w, i), "que") == 0 &&
            (i == 0 || strcmp(lzs_words_at(w, i - 1), "ainsi") != 0))
            break;
        if (!is_connector(lzs_words_at(w, i)))
            break;
        i++;
    }
    return named;
}

/* "The Committee requires" at the start of the current words: the level and the index of
 * the word after the verb, or LZS_LEVEL_NONE. */
static lzs_level_t rec_verb(const parse_t *ps, size_t *after)
{
    const lzs_phrase_t *subj = lzs_phrase_at(ps->ex, &ps->words, 0, PHRASE_SUBJECT);
    if (subj == NULL)
        return LZS_LEVEL_NONE;
    const lzs_phrase_t *verb = lzs_phrase_at(ps->ex, &ps->words, subj->nwords, -1);
    if (verb == NULL)
        return LZS_LEVEL_NONE;
    *after = subj->nwords + verb->nwords;
    return (lzs_level_t)verb->what;
}

static void set_addressees(parse_t *ps, lzs_passage_t *p, int all, const lzs_strlist_t *codes)
{
    if (all) {
        ps->st = lzs_strlist_push(&p->addressees, "all");
        return;
    }
    for (size_t i = 0; i < codes->n && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push_unique(&p->addressees, codes->items[i]);
    lzs_strlist_sort(&p->addressees);
}

/* An inline identifier at the end of a recommendation: "... (R I-6)." */
static int inline_rec_id(const char *text, char *buf, size_t cap)
{
    int found = 0;
    for (const char *p = strchr(text, '('); p; p = strchr(p + 1, '(')) {
        char id[32];
        size_t n = lzs_parse_rec_id(p + 1, id, sizeof id);
        if (n && p[1 + n] == ')') {
            snprintf(buf, cap, "%s", id);
            found = 1;
        }
    }
    return found;
}

static void make_recommendation(parse_t *ps, lzs_passage_t *p, lzs_level_t level)
{
    p->kind = LZS_KIND_RECOMMENDATION;
    p->level = level;
    /* Articles of the section headings apply to the recommendations under them. */
    for (size_t i = 0; i < ps->depth && ps->st == LZS_OK; i++) {
        const lzs_strlist_t *a = &ps->stack[i].articles;
        for (size_t k = 0; k < a->n && ps->st == LZS_OK; k++)
            ps->st = lzs_strlist_push_unique(&p->articles, a->items[k]);
    }
    char id[32];
    if (inline_rec_id(p->text, id, sizeof id)) {
        p->rec_id = strdup(id);
        if (p->rec_id == NULL)
            ps->st = LZS_ERR_NOMEM;
    }
}

/* A reference code filling the whole text: "T-ES(2021)31_en", "T-ES(2020)23 rev." */
static size_t ref_len(const char *s)
{
    size_t i = 0;
    while (isupper((unsigned char)s[i]) && i < 8)
        i++;
    if (i == 0)
        return 0;
    while (s[i] == '-' && isupper((unsigned char)s[i + 1])) {
        i++;
        while (isupper((unsigned char)s[i]))
            i++;
    }
    /* byte by byte, so that a short string ends the test before its end is passed */
    if (s[i] != '(' || !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
        !isdigit((unsigned char)s[i + 3]) || !isdigit((unsigned char)s[i + 4]) || s[i + 5] != ')' ||
        !isdigit((unsigned char)s[i + 6]))
        return 0;
    i += 6;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (strncmp(s + i, " rev", 4) == 0 || strncmp(s + i, "rev", 3) == 0) {
        i += s[i] == ' ' ? 4 : 3;
        if (s[i] == '.')
            i++;
    }
    if (s[i] == '_' && isalpha((unsigned char)s[i + 1]) && isalpha((unsigned char)s[i + 2]) &&
        !isalnum((unsigned char)s[i + 3]))
        i += 3;
    return i;
}

static int is_whole_ref(const char *s)
{
    size_t n = ref_len(s);
    return n > 0 && s[n] == '\0';
}

/* The document type a title line announces ("List of decisions", "FACTSHEET – ..."),
 * from doctypes.tsv: the longest phrase that the line's words start with. Only a short line
 * counts: body text mentions report names everywhere. -2 when out of memory. */
static int type_of_line(const lzs_extractor_t *ex, const char *plain)
{
    if (strlen(plain) > 160)
        return -1;
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -2;
    int type = -1;
    size_t best = 0;
    for (size_t i = 0; i < ex->ntypephrases; i++) {
        const char *ph = ex->typephrases[i].key;
        size_t n = strlen(ph);
        if (n > best && strncmp(key, ph, n) == 0 && (key[n] == '\0' || key[n] == ' ')) {
            type = ex->typephrases[i].type;
            best = n;
        }
    }
    free(key);
    return type;
}

/* A short line with no sentence ending: a heading in a text without markup. */
static int looks_heading(const char *plain)
{
    size_t n = strlen(plain);
    if (n == 0 || n > 150)
        return 0;
    unsigned char c = (unsigned char)plain[0];
    if (!(isupper(c) || isdigit(c) || c >= 0xC3 || c == '"'))
        return 0;
    if (strstr(plain, "://") || strchr(plain, '@'))
        return 0;
    char last = plain[n - 1];
    if (last == '.' || last == ';' || last == ',' || last == '!' || last == '?')
        return 0;
    if (last == ':') {
        size_t words = 1;
        for (size_t i = 0; i < n; i++)
            words += plain[i] == ' ';
        return n <= 30 && words <= 4;
    }
    return 1;
}

/* "Venue: KUDO platform", "Lieu : Strasbourg": one word, a colon and a value. */
static int is_field_line(const char *plain)
{
    const char *colon = strchr(plain, ':');
    if (colon == NULL || colon == plain || strlen(plain) > 80)
        return 0;
    const char *e = colon;
    while (e > plain && e[-1] == ' ')
        e--;
    for (const char *c = plain; c < e; c++) {
        if (*c == ' ')
            return 0;
    }
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
    return e > plain && *v != '\0' && strchr(v, ':') == NULL;
}

/* A short line of the title page that is no heading, though it looks like one: a line of
 * the letterhead above the title, a line that gives a date ("21-22 September 2021",
 * "Adopted by the Lanzarote Committee on 7 October 2021") or a field ("Venue: KUDO
 * platform"). Headings head text; these only say something about the document. */
static int title_page_line(const parse_t *ps, size_t ui, const char *plain)
{
    if (ui >= FRONT_UNITS)
        return 0;
    if (ui < ps->title_unit && ps->title_unit < FRONT_UNITS)
        return 1;
    char d[16];
    return lzs_parse_date(ps->ex, plain, 0, d, sizeof d) || is_field_line(plain);
}

static void handle_body(parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks, size_t ui)
{
    const char *label = u->type == U_NUMBERED ? u->label : NULL;
    /* Metadata lines at the top are not passages. */
    if (ui < FRONT_UNITS && u->type == U_PARA) {
        char d[16];
        if (is_whole_ref(plain)) {
            if (!ps->ref[0])
                snprintf(ps->ref, sizeof ps->ref, "%s", plain);
            free(plain);
            lzs_marks_free(marks);
            return;
        }
        if (lzs_parse_date(ps->ex, plain, 1, d, sizeof d)) {
            if (!ps->date[0])
                snprintf(ps->date, sizeof ps->date, "%s", d);
            free(plain);
            lzs_marks_free(marks);
            return;
        }
    }
    if (u->type == U_PARA && u->lines == 1 && looks_heading(plain) &&
        !title_page_line(ps, ui, plain)) {
        /* "The Committee invites:" is short and looks like a heading, but opens a list of
         * recommendations. */
        size_t after = 0;
        lzs_words_reset(&ps->words);
        ps->st = lzs_words_fold(&ps->words, plain, strlen(plain));
        if (ps->st != LZS_OK) {
            free(plain);
            lzs_marks_free(marks);
            return;
        }
        if (rec_verb(ps, &after) == LZS_LEVEL_NONE) {
            ps->rec_active = 0;
            push_heading(ps, u, plain, marks);
            return;
        }
    }
    lzs_passage_t *p = new_passage(ps, LZS_KIND_PARAGRAPH, label, plain, marks);
    if (p == NULL)
        return;
    size_t after = 0;
    lzs_level_t level = rec_verb(ps, &after);
    ps->rec_active = 0;
    if (level == LZS_LEVEL_NONE)
        return;
    int all = 0;
    lzs_strlist_t codes = {0};
    int named = parse_addressees(ps, after, &all, &codes);
    size_t tl = strlen(p->text);
    if (tl > 0 && p->text[tl - 1] == ':') {
        /* "The Committee invites all Parties:" opens a list of recommendations. */
        ps->rec_active = 1;
        ps->rec_level = level;
        ps->rec_all = all;
        lzs_strlist_clear(&ps->rec_addr);
        ps->rec_addr = codes;
        return;
    }
    char id[32];
    if (named || inline_rec_id(p->text, id, sizeof id) || ps->marks[p->ordinal - 1].n > 0) {
        make_recommendation(ps, p, level);
        if (ps->st == LZS_OK)
            set_addressees(ps, p, all, &codes);
    }
    lzs_strlist_clear(&codes);
}

static void handle_list(parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks)
{
    lzs_passage_t *p = new_passage(ps, LZS_KIND_LIST_ITEM, u->label, plain, marks);
    if (p == NULL || !ps->rec_active)
        return;
    make_recommendation(ps, p, ps->rec_level);
    int all = 0;
    lzs_strlist_t codes = {0};
    if (ps->st == LZS_OK && parse_addressees(ps, 0, &all, &codes) && (all || codes.n > 0))
        set_addressees(ps, p, all, &codes);
    else if (ps->st == LZS_OK)
        set_addressees(ps, p, ps->rec_all, &ps->rec_addr);
    lzs_strlist_clear(&codes);
}

/* Finds the title line that announces the document type near the top; the lines above it
 * are the letterhead ("LANZAROTE COMMITTEE", the Committee's full name over several
 * lines): the lines of one block of the letterhead become one unit. */
static void find_title(parse_t *ps, units_t *us)
{
    ps->title_unit = FRONT_UNITS;
    for (size_t i = 0; i < us->n && i < FRONT_UNITS && ps->st == LZS_OK; i++) {
        if (us->u[i].type != U_HEADING && us->u[i].type != U_PARA)
            continue;
        char *plain = lzs_md_plain(us->u[i].raw, us->u[i].rawlen, NULL);
        int t = plain ? type_of_line(ps->ex, plain) : -2;
        free(plain);
        if (t == -2)
            ps->st = LZS_ERR_NOMEM;
        if (t >= 0) {
            ps->title_unit = i;
            break;
        }
    }
    /* Only names stand above a title: a sentence there means that the line is no title
     * but a mention in the text ("Presentation by ..." in a cover note). */
    for (size_t i = 0; i < ps->title_unit && ps->title_unit < FRONT_UNITS; i++) {
        const unit_t *u = &us->u[i];
        if ((u->type != U_PARA && u->type != U_HEADING) || ends_terminal(u->raw, u->rawlen))
            ps->title_unit = FRONT_UNITS;
    }
    if (ps->title_unit == FRONT_UNITS)
        return;
    for (size_t i = ps->title_unit; i > 1 && ps->st == LZS_OK; i--) {
        unit_t *u = &us->u[i - 1], *above = &us->u[i - 2];
        if (u->type != U_PARA || above->type != U_PARA || u->blank_before || u->rawlen == 0 ||
            above->rawlen == 0)
            continue;
        char d[16];
        if (is_whole_ref(u->raw) || is_whole_ref(above->raw) ||
            lzs_parse_date(ps->ex, u->raw, 1, d, sizeof d) ||
            lzs_parse_date(ps->ex, above->raw, 1, d, sizeof d))
            continue;
        unit_append(us, above, u->raw, u->rawlen);
        u->rawlen = 0;
        u->raw[0] = '\0'; /* an empty unit makes no passage */
    }
    if (us->oom)
        ps->st = LZS_ERR_NOMEM;
}

static void handle_unit(parse_t *ps, const unit_t *u, size_t ui)
{
    lzs_marks_t marks = {0};
    char *plain = lzs_md_plain(u->raw, u->rawlen, &marks);
    if (plain == NULL) {
        lzs_marks_free(&marks);
        ps->st = LZS_ERR_NOMEM;
        return;
    }
    if (plain[0] == '\0') {
        free(plain);
        lzs_marks_free(&marks);
        return;
    }
    /* Type and title from the top of the document. */
    if (ui < FRONT_UNITS && !ps->have_type && (u->type == U_HEADING || u->type == U_PARA)) {
        int t = type_of_line(ps->ex, plain);
        if (t == -2) {
            free(plain);
            lzs_marks_free(&marks);
            ps->st = LZS_ERR_NOMEM;
            return;
        }
        if (t >= 0) {
            ps->type = (lzs_doctype_t)t;
            ps->have_type = 1;
            ps->type_unit = ui;
            ps->title = strdup(plain);
        }
    }
    switch (u->type) {
    case U_HEADING:
        if (is_whole_ref(plain) && ui < FRONT_UNITS) {
            if (!ps->ref[0])
                snprintf(ps->ref, sizeof ps->ref, "%s", plain);
            free(plain);
            lzs_marks_free(&marks);
            return;
        }
        if (u->md_level == 0 && u->label[0] == '\0' && ui < ps->title_unit) {
            /* a bold or underlined line of the letterhead */
            new_passage(ps, LZS_KIND_PARAGRAPH, NULL, plain, &marks);
            return;
        }
        push_heading(ps, u, plain, &marks);
        return;
    case U_NUMBERED: {
        long n = strtol(u->label, NULL, 10);
        int para;
        if (n == ps->next_para && n != ps->next_head)
            para = 1;
        else if (n == ps->next_head && n != ps->next_para)
            para = 0;
        else
            para = !(looks_heading(plain) && strlen(plain) <= 250);
        if (!para) {
            ps->next_head = n + 1;
            ps->rec_active = 0;
            /* the heading text carries its number, as a reader sees it */
            char *full = NULL;
            if (asprintf(&full, "%s. %s", u->label, plain) < 0) {
                free(plain);
                lzs_marks_free(&marks);
                ps->st = LZS_ERR_NOMEM;
                return;
            }
            free(plain);
            unit_t hu = *u;
            hu.depth = 1;
            push_heading(ps, &hu, full, &marks);
            return;
        }
        ps->next_para = n + 1;
        handle_body(ps, u, plain, &marks, ui);
        return;
    }
    case U_PARA:
        handle_body(ps, u, plain, &marks, ui);
        return;
    case U_LIST:
        handle_list(ps, u, plain, &marks);
        return;
    case U_FOOTNOTE:
        new_passage(ps, LZS_KIND_FOOTNOTE, u->label, plain, &marks);
        return;
    }
}

/* ---- pass 3: footnotes and metadata ----------------------------------------------------- */

/* The footnote passage with this label nearest after (else before) passage i. */
static const lzs_passage_t *find_footnote(const lzs_document_t *doc, size_t i, unsigned num)
{
    char label[16];
    snprintf(label, sizeof label, "%u", num);
    for (size_t k = i + 1; k < doc->npassages; k++) {
        const lzs_passage_t *p = &doc->passages[k];
        if (p->kind == LZS_KIND_FOOTNOTE && p->label && strcmp(p->label, label) == 0)
            return p;
    }
    for (size_t k = i; k > 0; k--) {
        const lzs_passage_t *p = &doc->passages[k - 1];
        if (p->kind == LZS_KIND_FOOTNOTE && p->label && strcmp(p->label, label) == 0)
            return p;
    }
    return NULL;
}

/* "Recommendation V-17." -> "V-17" */
static int footnote_rec_id(const char *text, char *buf, size_t cap)
{
    static const char *const kw[] = {"Recommendations", "Recommendation", "Recommandations",
                                     "Recommandation",  "Rec.",           NULL};
    for (int k = 0; kw[k]; k++) {
        size_t n = strlen(kw[k]);
        if (strncasecmp(text, kw[k], n) == 0) {
            const char *s = text + n;
            while (*s == ' ')
                s++;
            return lzs_parse_rec_id(s, buf, cap) > 0;
        }
    }
    return 0;
}

static lzs_status_t resolve_footnotes(parse_t *ps)
{
    lzs_document_t *doc = ps->doc;
    for (size_t i = 0; i < doc->npassages; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (p->kind != LZS_KIND_RECOMMENDATION || p->rec_id != NULL)
            continue;
        const lzs_marks_t *m = &ps->marks[i];
        for (size_t k = 0; k < m->n; k++) {
            const lzs_passage_t *fn = find_footnote(doc, i, m->v[k]);
            char id[32];
            if (fn && footnote_rec_id(fn->text, id, sizeof id)) {
                p->rec_id = strdup(id);
                if (p->rec_id == NULL)
                    return LZS_ERR_NOMEM;
                break;
            }
        }
    }
    /* A recommendation is cited by its identifier. */
    for (size_t i = 0; i < doc->npassages; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_RECOMMENDATION && p->rec_id) {
            char *l = strdup(p->rec_id);
            if (l == NULL)
                return LZS_ERR_NOMEM;
            free(p->label);
            p->label = l;
        }
    }
    return LZS_OK;
}

/* ---- co-reference in lists of decisions ------------------------------------------------ */

static int is_decision(const lzs_passage_t *p)
{
    return p->kind == LZS_KIND_PARAGRAPH && p->label && isdigit((unsigned char)p->label[0]);
}

static int same_section(const lzs_passage_t *a, const lzs_passage_t *b)
{
    if (a->section.n != b->section.n)
        return 0;
    for (size_t i = 0; i < a->section.n; i++) {
        if (strcmp(a->section.items[i], b->section.items[i]) != 0)
            return 0;
    }
    return 1;
}

static int all_digits(const char *w)
{
    for (; *w; w++) {
        if (!isdigit((unsigned char)*w))
            return 0;
    }
    return 1;
}

/* 1 when noun is one of words [from, to) of w, in the singular or the plural. */
static int has_noun(const lzs_anaphora_t *a, const lzs_words_t *w, size_t from, size_t to,
                    const char *noun)
{
    for (size_t k = from; k < to && k < w->n; k++) {
        if (lzs_same_noun(a, lzs_words_at(w, k), noun))
            return 1;
    }
    return 0;
}

/* 1 when the words cur (a decision paragraph) refer back to the words prev (the decision
 * paragraph before it) with a demonstrative noun phrase: "these two options" after a
 * paragraph that names "option A" and "option B". The noun must occur in prev and not
 * earlier in cur: "this" then points at something of its own paragraph. */
static int refers_back(const lzs_anaphora_t *a, const lzs_words_t *cur, const lzs_words_t *prev)
{
    for (size_t i = 0; i < cur->n; i++) {
        const lzs_demonstrative_t *d = lzs_demonstrative_at(a, cur, i);
        if (d == NULL)
            continue;
        size_t k = i + d->nwords;
        int counted = 0;
        while (k < cur->n && (all_digits(lzs_words_at(cur, k)) ||
                              lzs_words_find(&a->numbers, lzs_words_at(cur, k)) >= 0)) {
            k++;
            counted = 1;
        }
        if (k >= cur->n)
            break;
        const char *noun = lzs_words_at(cur, k);
        if (strlen(noun) < 3 || all_digits(noun) || lzs_words_find(&a->function, noun) >= 0 ||
            lzs_words_find(&a->deictic, noun) >= 0 || lzs_demonstrative_at(a, cur, k) != NULL)
            continue;
        /* "Noted that Parties ...": a singular demonstrative before a plural noun is a
         * conjunction. With a number ("this two"?) the phrase is no demonstrative either. */
        if (d->number == DEMO_SINGULAR && (lzs_plural_form(a, noun) || counted))
            continue;
        if (has_noun(a, prev, 0, prev->n, noun) && !has_noun(a, cur, 0, i, noun))
            return 1;
    }
    return 0;
}

/* In a list of decisions, a paragraph that refers back to the previous decision of the
 * same agenda item also mentions the Parties that one mentions. */
static lzs_status_t resolve_references(parse_t *ps)
{
    lzs_document_t *doc = ps->doc;
    if (doc->type != LZS_DOC_DECISIONS)
        return LZS_OK;
    const lzs_anaphora_t *a = lzs_anaphora_for(ps->ex, doc->lang);
    if (a == NULL || a->ndemos == 0)
        return LZS_OK;
    lzs_words_t cur = {0}, prev = {0};
    lzs_status_t st = LZS_OK;
    const lzs_passage_t *last = NULL;
    for (size_t i = 0; i < doc->npassages && st == LZS_OK; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (!is_decision(p))
            continue;
        const lzs_passage_t *before = last;
        last = p;
        if (before == NULL || before->parties.n == 0 || !same_section(before, p) ||
            strtol(before->label, NULL, 10) + 1 != strtol(p->label, NULL, 10))
            continue;
        lzs_words_reset(&cur);
        lzs_words_reset(&prev);
        st = lzs_words_fold(&cur, p->text, strlen(p->text));
        if (st == LZS_OK)
            st = lzs_words_fold(&prev, before->text, strlen(before->text));
        if (st != LZS_OK || !refers_back(a, &cur, &prev))
            continue;
        for (size_t k = 0; k < before->parties.n && st == LZS_OK; k++)
            st = lzs_strlist_push_unique(&p->parties, before->parties.items[k]);
        lzs_strlist_sort(&p->parties);
    }
    lzs_words_free(&cur);
    lzs_words_free(&prev);
    return st;
}

static int known_lang_suffix(const char *s, size_t n, char *lang)
{
    /* "NAME_en", "NAME-fr" */
    if (n >= 4 && (s[n - 3] == '_' || s[n - 3] == '-') && islower((unsigned char)s[n - 2]) &&
        islower((unsigned char)s[n - 1])) {
        static const char *const langs[] = {"en", "fr", "de", "es", "it", "ru", "pt",
                                            "nl", "el", "tr", "uk", "pl", "ro", NULL};
        for (int i = 0; langs[i]; i++) {
            if (strncmp(s + n - 2, langs[i], 2) == 0) {
                lang[0] = s[n - 2];
                lang[1] = s[n - 1];
                lang[2] = '\0';
                return 1;
            }
        }
    }
    return 0;
}

/* The id of a reference: without language suffix and trailing dot. */
static char *ref_to_id(const char *ref)
{
    size_t n = strlen(ref);
    char lang[8];
    if (known_lang_suffix(ref, n, lang))
        n -= 3;
    while (n > 0 && (ref[n - 1] == '.' || ref[n - 1] == ' '))
        n--;
    return strndup(ref, n);
}

/* ---- sidecar -------------------------------------------------------------------------- */

typedef struct {
    char *reference, *title, *date, *language, *url;
    int type; /* -1 unset */
} sidecar_t;

static void sidecar_free(sidecar_t *sc)
{
    free(sc->reference);
    free(sc->title);
    free(sc->date);
    free(sc->language);
    free(sc->url);
}

static int valid_iso_date(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    int m = n >= 7 ? atoi(s + 5) : 1;
    int d = n == 10 ? atoi(s + 8) : 1;
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static lzs_status_t sidecar_parse(const char *json, const char *scname, sidecar_t *sc,
                                  char **errmsg)
{
    memset(sc, 0, sizeof *sc);
    sc->type = -1;
    json_error_t jerr;
    json_t *root = NULL;
    lzs_status_t pst = lzs_json_parse(json, strlen(json), JSON_REJECT_DUPLICATES, &jerr, &root);
    if (pst == LZS_ERR_NOMEM) {
        lzs_set_errmsg(errmsg, "%s: out of memory", scname);
        return pst;
    }
    if (pst != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: line %d column %d: %s", scname, jerr.line, jerr.column,
                            jerr.text);
        return LZS_ERR_PARSE;
    }
    lzs_status_t st = LZS_OK;
    if (!json_is_object(root)) {
        lzs_set_errmsg(errmsg, "%s: expected a JSON object", scname);
        json_decref(root);
        return LZS_ERR_PARSE;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        char **slot = NULL;
        if (strcmp(key, "reference") == 0)
            slot = &sc->reference;
        else if (strcmp(key, "title") == 0)
            slot = &sc->title;
        else if (strcmp(key, "date") == 0)
            slot = &sc->date;
        else if (strcmp(key, "language") == 0)
            slot = &sc->language;
        else if (strcmp(key, "url") == 0)
            slot = &sc->url;
        else if (strcmp(key, "type") != 0) {
            lzs_set_errmsg(
                errmsg,
                "%s: unknown key \"%s\" (known: reference, title, type, date, language, url)",
                scname, key);
            st = LZS_ERR_PARSE;
            break;
        }
        if (json_is_null(val))
            continue;
        if (!json_is_string(val)) {
            lzs_set_errmsg(errmsg, "%s: \"%s\" must be a string", scname, key);
            st = LZS_ERR_PARSE;
            break;
        }
        const char *v = json_string_value(val);
        if (slot == NULL) {
            sc->type = lzs_doctype_from_name(v);
            if (sc->type < 0) {
                lzs_set_errmsg(errmsg, "%s: \"type\": unknown document type \"%s\"", scname,
                                    v);
                st = LZS_ERR_PARSE;
                break;
            }
            continue;
        }
        if (slot == &sc->date && !valid_iso_date(v)) {
            lzs_set_errmsg(errmsg, "%s: \"date\": \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD",
                                scname, v);
            st = LZS_ERR_PARSE;
            break;
        }
        if (slot == &sc->language &&
            (strlen(v) != 2 || !islower((unsigned char)v[0]) || !islower((unsigned char)v[1]))) {
            lzs_set_errmsg(errmsg, "%s: \"language\": \"%s\" is not an ISO 639-1 code", scname,
                                v);
            st = LZS_ERR_PARSE;
            break;
        }
        *slot = strdup(v);
        if (*slot == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
    }
    json_decref(root);
    if (st != LZS_OK)
        sidecar_free(sc);
    return st;
}

/* ---- input checks ------------------------------------------------------------------------ */

/* Offset of the first invalid UTF-8 sequence, or len when all is valid. */
static size_t utf8_invalid_at(const char *buf, size_t len)
{
    const uint8_t *p = (const uint8_t *)buf;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t j = 0;
        int32_t chunk = len - i > 8 ? 8 : (int32_t)(len - i);
        UChar32 c;
        U8_NEXT(p + i, j, chunk, c);
        if (c < 0)
            return i;
        i += (size_t)j;
    }
    return len;
}

static lzs_status_t check_text(const char *name, const char *buf, size_t len, char **errmsg)
{
    size_t ctl = 0, sample = len < 65536 ? len : 65536;
    if (memchr(buf, '\0', len) != NULL) {
        lzs_set_errmsg(errmsg, "%s: binary file (contains NUL bytes)", name);
        return LZS_ERR_PARSE;
    }
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && !is_space_byte((char)c) && c != 0x1B) || c == 0x7F)
            ctl++;
    }
    if (ctl * 50 > sample) {
        lzs_set_errmsg(errmsg, "%s: binary file (%zu control bytes in the first %zu)", name,
                            ctl, sample);
        return LZS_ERR_PARSE;
    }
    size_t bad = utf8_invalid_at(buf, len);
    if (bad < len) {
        lzs_set_errmsg(errmsg, "%s: invalid UTF-8 at byte %zu", name, bad);
        return LZS_ERR_UTF8;
    }
    size_t i = 0;
    while (i < len) {
        if (is_space_byte(buf[i])) {
            i++;
        } else if (i + 1 < len && (unsigned char)buf[i] == 0xC2 &&
                   (unsigned char)buf[i + 1] == 0xA0) {
            i += 2;
        } else if (i + 2 < len && (unsigned char)buf[i] == 0xEF &&
                   (unsigned char)buf[i + 1] == 0xBB && (unsigned char)buf[i + 2] == 0xBF) {
            i += 3;
        } else {
            break;
        }
    }
    if (i == len) {
        lzs_set_errmsg(errmsg, "%s: empty file", name);
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}

/* ---- assembling the document -------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Length of name without its extension(s) .txt / .md / .markdown. */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name);
    static const char *const exts[] = {".txt", ".md", ".markdown", ".text", NULL};
    for (int i = 0; exts[i]; i++) {
        size_t el = strlen(exts[i]);
        if (n > el && strcasecmp(name + n - el, exts[i]) == 0)
            return n - el;
    }
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? (size_t)(dot - name) : n;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Title for a list of decisions: "List of decisions – 33rd and 34th meetings (remote)".
 * *out NULL when no line near the type says which meetings; caller frees with free(). */
static lzs_status_t decisions_title(const parse_t *ps, const units_t *us, char **out)
{
    *out = NULL;
    for (size_t k = ps->type_unit + 1; k < us->n && k < ps->type_unit + 4; k++) {
        char *next = lzs_md_plain(us->u[k].raw, us->u[k].rawlen, NULL);
        if (next == NULL)
            return LZS_ERR_NOMEM;
        if (strlen(next) < 120 && strcasestr(next, "meeting")) {
            int n = asprintf(out, "%s, %s", ps->title, next);
            free(next);
            if (n < 0) {
                *out = NULL;
                return LZS_ERR_NOMEM;
            }
            return LZS_OK;
        }
        free(next);
    }
    return LZS_OK;
}

static lzs_status_t fill_metadata(parse_t *ps, const units_t *us, const char *name,
                                  const sidecar_t *sc, char **errmsg)
{
    lzs_document_t *doc = ps->doc;
    (void)errmsg;
    /* reference and id */
    size_t stem = stem_len(name);
    char *fname = strndup(name, stem);
    if (fname == NULL)
        return LZS_ERR_NOMEM;
    const char *ref = NULL;
    if (sc->reference)
        ref = sc->reference;
    else if (ps->ref[0])
        ref = ps->ref;
    else if (is_whole_ref(fname))
        ref = fname;
    if (ref) {
        doc->ref = strdup(ref);
        doc->id = ref_to_id(ref);
    } else {
        doc->id = strdup(fname);
    }
    /* language: sidecar, name suffix, reference suffix, text */
    char lang[8] = "";
    if (sc->language)
        snprintf(lang, sizeof lang, "%s", sc->language);
    else if (known_lang_suffix(fname, strlen(fname), lang) ||
             (ref && known_lang_suffix(ref, strlen(ref), lang)))
        ;
    else {
        lzs_words_reset(&ps->words);
        size_t used = 0;
        for (size_t i = 0; i < doc->npassages && used < 40000; i++) {
            const char *t = doc->passages[i].text;
            size_t n = strlen(t);
            if (lzs_words_fold(&ps->words, t, n) != LZS_OK) {
                free(fname);
                return LZS_ERR_NOMEM;
            }
            used += n;
        }
        const char *g = lzs_guess_lang(ps->ex, &ps->words);
        snprintf(lang, sizeof lang, "%s", g[0] ? g : "en");
    }
    free(fname);
    memcpy(doc->lang, lang, sizeof doc->lang);
    /* type, date, title */
    doc->type =
        sc->type >= 0 ? (lzs_doctype_t)sc->type : (ps->have_type ? ps->type : LZS_DOC_OTHER);
    /* Every copy is checked: out of memory must never pass for a missing date, title or
     * address. */
    if (sc->date || ps->date[0]) {
        doc->date = strdup(sc->date ? sc->date : ps->date);
        if (doc->date == NULL)
            return LZS_ERR_NOMEM;
    } else {
        /* "Adopted by the Lanzarote Committee on 7 October 2021" near the top */
        for (size_t i = 0; i < us->n && i < FRONT_UNITS && doc->date == NULL; i++) {
            if (strncasecmp(us->u[i].raw, "Adopted", 7) != 0 &&
                strncasecmp(us->u[i].raw, "Adopt\u00e9", 7) != 0)
                continue;
            char d[16];
            if (lzs_parse_date(ps->ex, us->u[i].raw, 0, d, sizeof d)) {
                doc->date = strdup(d);
                if (doc->date == NULL)
                    return LZS_ERR_NOMEM;
            }
        }
    }
    if (doc->date)
        doc->year = atoi(doc->date);
    if (sc->title)
        doc->title = strdup(sc->title);
    else if (ps->title) {
        char *t = NULL;
        if (ps->type == LZS_DOC_DECISIONS && decisions_title(ps, us, &t) != LZS_OK)
            return LZS_ERR_NOMEM;
        doc->title = t ? t : strdup(ps->title);
    } else {
        for (size_t i = 0; i < doc->npassages && doc->title == NULL; i++) {
            if (doc->passages[i].kind != LZS_KIND_HEADING)
                continue;
            doc->title = strdup(doc->passages[i].text);
            if (doc->title == NULL)
                return LZS_ERR_NOMEM;
        }
        if (doc->title == NULL && doc->npassages > 0) {
            const char *t = doc->passages[0].text;
            size_t n = strlen(t);
            if (n > 200) {
                n = 200;
                while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
                    n--; /* do not split a character */
            }
            doc->title = strndup(t, n);
        }
        if (doc->title == NULL)
            doc->title = strdup(doc->id ? doc->id : name);
    }
    doc->url = dup_or_null(sc->url);
    if (sc->url && doc->url == NULL)
        return LZS_ERR_NOMEM;
    if (doc->id == NULL || doc->title == NULL || (ref && doc->ref == NULL))
        return LZS_ERR_NOMEM;
    return LZS_OK;
}

static int is_markdown_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && strcasecmp(name + n - 3, ".md") == 0) ||
           (n > 9 && strcasecmp(name + n - 9, ".markdown") == 0);
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

static lzs_status_t extract_mem(const lzs_extractor_t *ex, const char *msgname, const char *source,
                                const char *buf, size_t len, const char *sidecar,
                                const char *scname, lzs_document_t **out, char **errmsg)
{
    if (len > LZS_EXTRACT_MAX_FILE) {
        lzs_set_errmsg(errmsg, "%s: file too large (%zu bytes, limit %u)", msgname, len,
                            LZS_EXTRACT_MAX_FILE);
        return LZS_ERR_LIMIT;
    }
    lzs_status_t st = check_text(msgname, buf, len, errmsg);
    if (st != LZS_OK)
        return st;
    sidecar_t sc = {.type = -1};
    if (sidecar) {
        /* The message names the document and its sidecar. */
        char *where = NULL;
        if (asprintf(&where, "%s: sidecar %s", msgname, base_name(scname)) < 0)
            return LZS_ERR_NOMEM;
        st = sidecar_parse(sidecar, where, &sc, errmsg);
        free(where);
        if (st != LZS_OK)
            return st;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    char *stripped = NULL;
    if (is_markdown_name(msgname)) {
        stripped = strip_html_comments(buf, len, &len);
        if (stripped == NULL) {
            sidecar_free(&sc);
            lzs_set_errmsg(errmsg, "%s: out of memory", msgname);
            return LZS_ERR_NOMEM;
        }
        buf = stripped;
    }
    units_t us = {0};
    build_units(ex, buf, len, &us);
    parse_t ps = {0};
    ps.ex = ex;
    ps.next_para = 1;
    ps.next_head = 1;
    ps.doc = lzs_document_new();
    st = us.oom || ps.doc == NULL ? LZS_ERR_NOMEM : LZS_OK;
    ps.st = st;
    if (ps.st == LZS_OK)
        find_title(&ps, &us);
    for (size_t i = 0; i < us.n && ps.st == LZS_OK; i++)
        handle_unit(&ps, &us.u[i], i);
    st = ps.st;
    if (st == LZS_OK)
        st = resolve_footnotes(&ps);
    if (st == LZS_OK) {
        ps.doc->source = strdup(source);
        st = ps.doc->source ? LZS_OK : LZS_ERR_NOMEM;
    }
    if (st == LZS_OK)
        st = fill_metadata(&ps, &us, base_name(source), &sc, errmsg);
    if (st == LZS_OK)
        st = resolve_references(&ps);
    stack_pop_to(&ps, 0);
    for (size_t i = 0; i < ps.nmarks; i++)
        lzs_marks_free(&ps.marks[i]);
    free(ps.marks);
    lzs_words_free(&ps.words);
    lzs_strlist_clear(&ps.rec_addr);
    free(ps.title);
    units_free(&us);
    sidecar_free(&sc);
    free(stripped);
    if (st != LZS_OK) {
        if (st == LZS_ERR_NOMEM)
            lzs_set_errmsg(errmsg, "%s: out of memory", msgname);
        lzs_document_free(ps.doc);
        return st;
    }
    *out = ps.doc;
    return LZS_OK;
}

/* Path of the sidecar of path: NAME.txt -> NAME.meta.json. Caller frees with free(). */
static char *sidecar_path(const char *path)
{
    const char *base = base_name(path);
    size_t dirlen = (size_t)(base - path);
    size_t stem = stem_len(base);
    char *p = NULL;
    if (asprintf(&p, "%.*s%.*s.meta.json", (int)dirlen, path, (int)stem, base) < 0)
        return NULL;
    return p;
}

lzs_status_t lzs_extract_buffer(const lzs_extractor_t *ex, const char *name, const char *buf,
                                size_t len, const char *sidecar, lzs_document_t **out,
                                char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    if (ex == NULL || name == NULL || (buf == NULL && len > 0)) {
        lzs_set_errmsg(errmsg, "lzs_extract_buffer: missing argument");
        return LZS_ERR_INVALID;
    }
    char *scname = sidecar_path(name);
    if (scname == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st =
        extract_mem(ex, name, name, buf ? buf : "", len, sidecar, base_name(scname), out, errmsg);
    free(scname);
    return st;
}

lzs_status_t lzs_extract_file(const lzs_extractor_t *ex, const char *path, lzs_document_t **out,
                              char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    if (ex == NULL || path == NULL) {
        lzs_set_errmsg(errmsg, "lzs_extract_file: missing argument");
        return LZS_ERR_INVALID;
    }
    char *buf = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_file_read(-1, path, LZS_EXTRACT_MAX_FILE, &buf, &len, errmsg);
    if (st != LZS_OK)
        return st;
    char *scpath = sidecar_path(path);
    if (scpath == NULL) {
        free(buf);
        return LZS_ERR_NOMEM;
    }
    char *sc = NULL;
    size_t sclen = 0;
    struct stat sb;
    if (lstat(scpath, &sb) == 0) {
        st = lzs_file_read(-1, scpath, SIDECAR_MAX, &sc, &sclen, errmsg);
        if (st == LZS_OK && memchr(sc, '\0', sclen) != NULL) {
            lzs_set_errmsg(errmsg, "%s: contains NUL bytes", scpath);
            st = LZS_ERR_PARSE;
        }
    }
    if (st == LZS_OK)
        st = extract_mem(ex, path, path, buf, len, sc, scpath, out, errmsg);
    free(sc);
    free(scpath);
    free(buf);
    return st;
}
