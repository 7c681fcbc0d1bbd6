/* markdown.c — inline markdown to plain text, and the parsers of what the Committee's
 * texts cite: Convention articles, recommendation identifiers and dates. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

typedef struct {
    char *s;
    size_t n, cap;
    int oom;
} sbuf_t;

static void sb_putn(sbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* Appends a space unless the text is empty or already ends with one: collapses runs. */
static void sb_space(sbuf_t *b)
{
    if (b->n > 0 && b->s[b->n - 1] != ' ')
        sb_putn(b, " ", 1);
}

static void marks_add(lzs_marks_t *m, unsigned v)
{
    if (m == NULL)
        return;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        unsigned *p = realloc(m->v, cap * sizeof *p);
        if (p == NULL)
            return; /* a lost marker only loses a footnote link */
        m->v = p;
        m->cap = cap;
    }
    m->v[m->n++] = v;
}

void lzs_marks_free(lzs_marks_t *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* Value of the superscript digit encoded at s (UTF-8), with its length; -1 if none. */
static int sup_digit(const unsigned char *s, size_t left, size_t *len)
{
    if (left >= 2 && s[0] == 0xC2) {
        *len = 2;
        if (s[1] == 0xB9)
            return 1;
        if (s[1] == 0xB2)
            return 2;
        if (s[1] == 0xB3)
            return 3;
    }
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x81) {
        *len = 3;
        if (s[2] == 0xB0)
            return 0;
        if (s[2] >= 0xB4 && s[2] <= 0xB9)
            return s[2] - 0xB0;
    }
    return -1;
}

static int all_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* Index just past the bracket that closes the one at s[i] (open/close), or 0. */
static size_t match_close(const char *s, size_t len, size_t i, char open, char close)
{
    int depth = 0;
    for (; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            i++;
            continue;
        }
        if (s[i] == open)
            depth++;
        else if (s[i] == close && --depth == 0)
            return i + 1;
    }
    return 0;
}

static const struct {
    const char *name;
    const char *utf8;
} entities[] = {
    {"amp", "&"},         {"lt", "<"},          {"gt", ">"},          {"quot", "\""},
    {"apos", "'"},        {"nbsp", " "},        {"rsquo", "\u2019"},  {"lsquo", "\u2018"},
    {"rdquo", "\u201D"},  {"ldquo", "\u201C"},  {"ndash", "\u2013"},  {"mdash", "\u2014"},
    {"hellip", "\u2026"}, {"laquo", "\u00AB"},  {"raquo", "\u00BB"},  {"eacute", "\u00E9"},
    {"egrave", "\u00E8"}, {"agrave", "\u00E0"}, {"ccedil", "\u00E7"}, {"sect", "\u00A7"},
    {"euro", "\u20AC"},   {"deg", "\u00B0"},
};

/* Decodes the entity at s[i] ('&'); returns its length (0: not an entity). */
static size_t entity(const char *s, size_t len, size_t i, sbuf_t *b)
{
    size_t j = i + 1;
    while (j < len && j - i < 12 && (isalnum((unsigned char)s[j]) || s[j] == '#'))
        j++;
    if (j >= len || s[j] != ';' || j == i + 1)
        return 0;
    const char *name = s + i + 1;
    size_t nlen = j - i - 1;
    if (name[0] == '#') {
        unsigned long cp;
        char *end = NULL;
        if (nlen > 1 && (name[1] == 'x' || name[1] == 'X'))
            cp = strtoul(name + 2, &end, 16);
        else
            cp = strtoul(name + 1, &end, 10);
        if (end != s + j || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        char u[4];
        size_t n;
        if (cp < 0x80) {
            u[0] = (char)cp;
            n = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18));
            u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (cp == 0xA0 || cp < 0x20)
            sb_space(b);
        else
            sb_putn(b, u, n);
        return j - i + 1;
    }
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strlen(entities[k].name) == nlen && strncmp(entities[k].name, name, nlen) == 0) {
            if (entities[k].utf8[0] == ' ')
                sb_space(b);
            else
                sb_putn(b, entities[k].utf8, strlen(entities[k].utf8));
            return j - i + 1;
        }
    }
    return 0;
}

/* Length of an HTML tag at s[i] ('<'), 0 when it is not one. */
static size_t html_tag(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    if (j < len && s[j] == '/')
        j++;
    if (j >= len || !isalpha((unsigned char)s[j]))
        return 0;
    while (j < len && s[j] != '>' && s[j] != '<' && s[j] != '\n')
        j++;
    if (j >= len || s[j] != '>')
        return 0;
    return j - i + 1;
}

static void plain_into(sbuf_t *b, const char *s, size_t len, lzs_marks_t *marks, int depth);

/* Handles '<' at s[i]: <sup>, autolinks, tags. Returns bytes consumed (0: literal). */
static size_t angle(sbuf_t *b, const char *s, size_t len, size_t i, lzs_marks_t *marks, int depth)
{
    if (len - i >= 5 && strncasecmp(s + i, "<sup>", 5) == 0) {
        const char *end = NULL;
        for (size_t k = i + 5; k + 6 <= len; k++) {
            if (strncasecmp(s + k, "</sup>", 6) == 0) {
                end = s + k;
                break;
            }
        }
        if (end) {
            const char *in = s + i + 5;
            size_t n = (size_t)(end - in);
            /* "<sup>3</sup>" and "<sup>3,4</sup>" are footnote markers; "10<sup>th</sup>"
             * is text. */
            int numeric = n > 0;
            for (size_t k = 0; k < n; k++)
                numeric &= isdigit((unsigned char)in[k]) || in[k] == ',' || in[k] == ' ';
            if (numeric) {
                unsigned v = 0;
                int have = 0;
                for (size_t k = 0; k <= n; k++) {
                    if (k < n && isdigit((unsigned char)in[k])) {
                        v = v * 10 + (unsigned)(in[k] - '0');
                        have = 1;
                    } else if (have) {
                        marks_add(marks, v);
                        v = 0;
                        have = 0;
                    }
                }
            } else {
                plain_into(b, in, n, marks, depth + 1);
            }
            return (size_t)(end - (s + i)) + 6;
        }
    }
    /* Autolinks: <https://...>, <mailto:x@y>, <x@y>. */
    size_t j = i + 1;
    while (j < len && s[j] != '>' && s[j] != ' ' && s[j] != '<' && s[j] != '\n')
        j++;
    if (j < len && s[j] == '>' && j > i + 1) {
        const char *in = s + i + 1;
        size_t n = j - i - 1;
        if (memchr(in, ':', n) || memchr(in, '@', n)) {
            if (n > 7 && strncasecmp(in, "mailto:", 7) == 0) {
                in += 7;
                n -= 7;
            }
            sb_putn(b, in, n);
            return j - i + 1;
        }
    }
    size_t t = html_tag(s, len, i);
    if (t) {
        /* Block-level tags separate words. */
        if (strncasecmp(s + i, "<br", 3) == 0 || strncasecmp(s + i, "<p", 2) == 0 ||
            strncasecmp(s + i, "</p", 3) == 0 || strncasecmp(s + i, "<li", 3) == 0 ||
            strncasecmp(s + i, "<td", 3) == 0)
            sb_space(b);
        return t;
    }
    return 0;
}

static void plain_into(sbuf_t *b, const char *s, size_t len, lzs_marks_t *marks, int depth)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' && i + 1 < len && ispunct((unsigned char)s[i + 1])) {
            sb_putn(b, s + i + 1, 1);
            i += 2;
            continue;
        }
        if (c == '*' || c == '`') {
            i++;
            continue;
        }
        if (c == '_') {
            /* Emphasis only at a word edge: snake_case names keep their underscores. */
            size_t j = i;
            while (j < len && s[j] == '_')
                j++;
            int left = b->n > 0 && isalnum((unsigned char)b->s[b->n - 1]);
            int right = j < len && isalnum((unsigned char)s[j]);
            if (!(left && right)) {
                i = j;
                continue;
            }
            sb_putn(b, s + i, j - i);
            i = j;
            continue;
        }
        if (depth < 4 && (c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '['))) {
            size_t open = c == '!' ? i + 1 : i;
            if (open + 1 < len && s[open + 1] == '^') {
                size_t close = match_close(s, len, open, '[', ']');
                if (close && all_digits(s + open + 2, close - open - 3)) {
                    marks_add(marks, (unsigned)strtoul(s + open + 2, NULL, 10));
                    i = close;
                    continue;
                }
            }
            size_t close = match_close(s, len, open, '[', ']');
            if (close && close < len && s[close] == '(') {
                size_t end = match_close(s, len, close, '(', ')');
                if (end) {
                    plain_into(b, s + open + 1, close - open - 2, marks, depth + 1);
                    i = end;
                    continue;
                }
            }
            sb_putn(b, s + i, 1);
            i++;
            continue;
        }
        if (c == '<' && depth < 4) {
            size_t n = angle(b, s, len, i, marks, depth);
            if (n) {
                i += n;
                continue;
            }
        }
        if (c == '&') {
            size_t n = entity(s, len, i, b);
            if (n) {
                i += n;
                continue;
            }
        }
        if (c == '^' && i + 1 < len && s[i + 1] == '{') {
            size_t end = match_close(s, len, i + 1, '{', '}');
            if (end) {
                const char *in = s + i + 2;
                size_t n = end - i - 3;
                if (all_digits(in, n))
                    marks_add(marks, (unsigned)strtoul(in, NULL, 10));
                else
                    plain_into(b, in, n, marks, depth + 1);
                i = end;
                continue;
            }
        }
        size_t sl;
        if (c >= 0xC2 && sup_digit((const unsigned char *)s + i, len - i, &sl) >= 0 && b->n > 0 &&
            b->s[b->n - 1] != ' ') {
            /* Superscript digits attached to a word are a footnote marker. */
            unsigned v = 0;
            int d;
            while (i < len && (d = sup_digit((const unsigned char *)s + i, len - i, &sl)) >= 0) {
                v = v * 10 + (unsigned)d;
                i += sl;
            }
            marks_add(marks, v);
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            sb_space(b);
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
            sb_space(b); /* no-break space */
            i += 2;
            continue;
        }
        sb_putn(b, s + i, 1);
        i++;
    }
}

char *lzs_md_plain(const char *s, size_t len, lzs_marks_t *marks)
{
    sbuf_t b = {0};
    sb_putn(&b, "", 0);
    plain_into(&b, s, len, marks, 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    /* Trim, and drop spaces that emphasis removal left before punctuation. */
    size_t start = 0;
    while (start < b.n && b.s[start] == ' ')
        start++;
    size_t o = 0;
    for (size_t i = start; i < b.n; i++) {
        if (b.s[i] == ' ' && i + 1 < b.n && (b.s[i + 1] == ',' || b.s[i + 1] == ';'))
            continue;
        b.s[o++] = b.s[i];
    }
    while (o > 0 && b.s[o - 1] == ' ')
        o--;
    b.s[o] = '\0';
    return b.s;
}

/* ---- article citations ------------------------------------------------------------- */

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

static size_t skip_spaces(const char *s, size_t i)
{
    for (;;) {
        if (s[i] == ' ' || s[i] == '\t')
            i++;
        else if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2;
        else
            return i;
    }
}

static int starts_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Parses 1-3 digits at s[*i] not followed by a digit. */
static int parse_num(const char *s, size_t *i, int *out)
{
    size_t j = *i;
    int v = 0;
    while (isdigit((unsigned char)s[j]) && j - *i < 3)
        v = v * 10 + (s[j++] - '0');
    if (j == *i || isdigit((unsigned char)s[j]))
        return 0;
    *i = j;
    *out = v;
    return 1;
}

/* The sub-division of a citation after its number: "(1)(f)", "§3", ", paragraph 4",
 * ", par.1", ",f". Appends the normalized "(x)" parts to buf. */
static size_t parse_subdivisions(const char *s, size_t i, char *buf, size_t cap)
{
    size_t bl = strlen(buf);
    for (;;) {
        if (s[i] == '(') {
            size_t j = i + 1;
            while (isalnum((unsigned char)s[j]) && j - i <= 4)
                j++;
            if (s[j] != ')' || j == i + 1)
                break;
            if (bl + (j - i) + 2 >= cap)
                break;
            buf[bl++] = '(';
            for (size_t k = i + 1; k < j; k++)
                buf[bl++] = (char)tolower((unsigned char)s[k]);
            buf[bl++] = ')';
            buf[bl] = '\0';
            i = j + 1;
            continue;
        }
        size_t j = i;
        int para = 0;
        if ((unsigned char)s[j] == 0xC2 && (unsigned char)s[j + 1] == 0xA7) { /* § */
            j += 2;
            para = 1;
        } else {
            size_t k = j;
            if (s[k] == ',')
                k++;
            k = skip_spaces(s, k);
            static const char *const words[] = {"paragraphe", "paragraph", "para.", "par.",
                                                "para",       "par",       "§",     NULL};
            for (int w = 0; words[w]; w++) {
                size_t wl = strlen(words[w]);
                if (starts_ci(s + k, words[w]) &&
                    (words[w][wl - 1] == '.' || (unsigned char)words[w][0] == 0xC2 ||
                     !isalpha((unsigned char)s[k + wl]))) {
                    j = k + wl;
                    para = 1;
                    break;
                }
            }
            /* "Article 20(1),f": a letter sub-paragraph after a comma. */
            if (!para && s[i] == ',' && isalpha((unsigned char)s[i + 1]) &&
                islower((unsigned char)s[i + 1]) && !is_word_char((unsigned char)s[i + 2]) &&
                bl > 0 && buf[bl - 1] == ')') {
                if (bl + 4 >= cap)
                    break;
                buf[bl++] = '(';
                buf[bl++] = s[i + 1];
                buf[bl++] = ')';
                buf[bl] = '\0';
                i += 2;
                continue;
            }
        }
        if (!para)
            break;
        j = skip_spaces(s, j);
        int n;
        size_t k = j;
        if (!parse_num(s, &k, &n))
            break;
        int len = snprintf(buf + bl, cap - bl, "(%d)", n);
        if (len < 0 || (size_t)len >= cap - bl)
            break;
        bl += (size_t)len;
        i = k;
    }
    return i;
}

/* 1 when the words after a citation name another instrument than the Convention
 * ("of the ECHR", "of Directive 2011/93/EU", "de la Convention européenne ..."). */
static int other_instrument(const char *s)
{
    size_t i = skip_spaces(s, 0);
    static const char *const direct[] = {"echr", "uncrc", "crc ", "crc)", "crc,",
                                         "crc.", "tfeu",  "teu ", "cedh", NULL};
    for (int k = 0; direct[k]; k++) {
        if (starts_ci(s + i, direct[k]))
            return 1;
    }
    static const char *const links[] = {"of the ", "of ",  "de la ",   "de l'", "de l\u2019",
                                        "du ",     "des ", "of\u00A0", NULL};
    int linked = 0;
    for (int k = 0; links[k]; k++) {
        if (starts_ci(s + i, links[k])) {
            i += strlen(links[k]);
            linked = 1;
            break;
        }
    }
    if (!linked)
        return 0;
    i = skip_spaces(s, i);
    static const char *const others[] = {"echr",
                                         "uncrc",
                                         "crc",
                                         "united nations",
                                         "un convention",
                                         "european convention on human",
                                         "convention on human",
                                         "convention for the protection of human",
                                         "convention on the rights",
                                         "convention on cybercrime",
                                         "cybercrime",
                                         "budapest",
                                         "istanbul",
                                         "directive",
                                         "regulation",
                                         "framework decision",
                                         "council framework",
                                         "charter",
                                         "treaty",
                                         "tfeu",
                                         "teu",
                                         "protocol",
                                         "optional protocol",
                                         "rules of procedure",
                                         "explanatory",
                                         "european social charter",
                                         "cedh",
                                         "convention europ",
                                         "convention des nations",
                                         "convention relative aux droits",
                                         "charte",
                                         "trait",
                                         "r\u00e8glement",
                                         "directive",
                                         "code",
                                         "criminal code",
                                         "constitution",
                                         "law",
                                         "act",
                                         NULL};
    for (int k = 0; others[k]; k++) {
        size_t ol = strlen(others[k]);
        if (starts_ci(s + i, others[k]) && !isalpha((unsigned char)s[i + ol]))
            return 1;
        /* prefixes such as "convention europ" and "trait" end inside a word */
        if (starts_ci(s + i, others[k]) &&
            (strcmp(others[k], "convention europ") == 0 || strcmp(others[k], "trait") == 0))
            return 1;
    }
    return 0;
}

lzs_status_t lzs_cite_articles(const char *text, lzs_strlist_t *out)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] != 'a' && text[i] != 'A')
            continue;
        if (i > 0 && isalnum((unsigned char)text[i - 1]))
            continue;
        /* Letters (also accented) before it mean it is inside a word. */
        if (i > 1 && (unsigned char)text[i - 1] >= 0x80 && (unsigned char)text[i - 1] < 0xC0 &&
            (unsigned char)text[i - 2] == 0xC3)
            continue;
        size_t j;
        if (starts_ci(text + i, "articles"))
            j = i + 8;
        else if (starts_ci(text + i, "article"))
            j = i + 7;
        else if (starts_ci(text + i, "arts."))
            j = i + 5;
        else if (starts_ci(text + i, "art."))
            j = i + 4;
        else if (starts_ci(text + i, "art") &&
                 (text[i + 3] == ' ' || isdigit((unsigned char)text[i + 3])))
            j = i + 3;
        else
            continue;
        if (isalpha((unsigned char)text[j]))
            continue;
        j = skip_spaces(text, j);
        int n;
        if (!parse_num(text, &j, &n))
            continue;
        char items[16][32];
        size_t nitems = 0;
        int prev = -1;
        for (;;) {
            char buf[32];
            snprintf(buf, sizeof buf, "%d", n);
            j = parse_subdivisions(text, j, buf, sizeof buf);
            if (n >= 1 && n <= 50 && nitems < 16)
                snprintf(items[nitems++], sizeof items[0], "%s", buf);
            prev = n;
            /* More numbers: "Articles 20 and 21", "20, 21 et 23", "30 to 36". */
            size_t k = skip_spaces(text, j);
            int range = 0;
            if (text[k] == ',' || text[k] == '&')
                k++;
            else if (starts_ci(text + k, "and ") || starts_ci(text + k, "et "))
                k += text[k] == 'a' || text[k] == 'A' ? 4 : 3;
            else if (starts_ci(text + k, "to ") || starts_ci(text + k, "\u00e0 ")) {
                k += 3; /* "to " and "à " are both three bytes */
                range = 1;
            } else if (text[k] == '-' && isdigit((unsigned char)text[k + 1])) {
                k++;
                range = 1;
            } else {
                break;
            }
            k = skip_spaces(text, k);
            if (starts_ci(text + k, "and ") || starts_ci(text + k, "et "))
                k = skip_spaces(text, k + (text[k] == 'a' || text[k] == 'A' ? 4 : 3));
            size_t k2 = k;
            int m;
            if (!parse_num(text, &k2, &m) || m < 1 || m > 50)
                break;
            if (range && m > prev && m - prev <= 20) {
                for (int r = prev + 1; r < m && nitems < 16; r++)
                    snprintf(items[nitems++], sizeof items[0], "%d", r);
            }
            n = m;
            j = k2;
        }
        if (other_instrument(text + j)) {
            i = j;
            continue;
        }
        for (size_t k = 0; k < nitems; k++) {
            lzs_status_t st = lzs_strlist_push_unique(out, items[k]);
            char *paren = strchr(items[k], '(');
            if (st == LZS_OK && paren) {
                *paren = '\0';
                st = lzs_strlist_push_unique(out, items[k]);
            }
            if (st != LZS_OK)
                return st;
        }
        i = j > i ? j - 1 : i;
    }
    return LZS_OK;
}

/* ---- recommendation identifiers ------------------------------------------------------ */

static size_t roman_len(const char *s)
{
    size_t n = 0;
    while (s[n] && strchr("IVXLC", s[n]))
        n++;
    return n;
}

size_t lzs_parse_rec_id(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    int r = 0;
    if (s[0] == 'R' && (s[1] == ' ' || isdigit((unsigned char)s[1]) || roman_len(s + 1) > 0)) {
        r = 1;
        i = 1;
        if (s[i] == ' ')
            i++;
    }
    size_t rl = roman_len(s + i);
    size_t end;
    char out[32];
    if (rl > 0 && s[i + rl] == '-' && isdigit((unsigned char)s[i + rl + 1])) {
        end = i + rl + 1;
        while (isdigit((unsigned char)s[end]) && end - i < 12)
            end++;
        snprintf(out, sizeof out, "%s%.*s", r ? "R " : "", (int)(end - i), s + i);
    } else if (r && isdigit((unsigned char)s[i])) {
        end = i;
        while (isdigit((unsigned char)s[end]) && end - i < 6)
            end++;
        snprintf(out, sizeof out, "R%.*s", (int)(end - i), s + i);
    } else if (r && rl > 0 && rl < 8) {
        end = i + rl;
        snprintf(out, sizeof out, "R %.*s", (int)rl, s + i);
    } else {
        return 0;
    }
    if (isalnum((unsigned char)s[end]) || s[end] == '-')
        return 0;
    if (buf && cap > 0)
        snprintf(buf, cap, "%s", out);
    return end;
}

/* ---- dates ------------------------------------------------------------------------- */

/* Length of the month name (lower case, from months.tsv) at the start of s, compared
 * without the case of ASCII and Latin-1 letters ("Février", "FÉVRIER"); 0 when it is not
 * there. */
static size_t name_at(const char *s, const char *name)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *q = (const unsigned char *)name;
    size_t i = 0;
    for (; q[i]; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        else if (i > 0 && p[i - 1] == 0xC3 && q[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E &&
                 c != 0x97)
            c = (unsigned char)(c + 0x20);
        if (c != q[i])
            return 0;
    }
    return is_word_char(p[i]) ? 0 : i;
}

/* Month number (1-12) of the word at s, with its length; 0 if none. */
static int month_at(const lzs_extractor_t *ex, const char *s, size_t *len)
{
    if (!is_word_char((unsigned char)s[0]) || isdigit((unsigned char)s[0]))
        return 0;
    int best = 0;
    size_t bestlen = 0;
    for (size_t k = 0; k < ex->nmonths; k++) {
        size_t n = name_at(s, ex->months[k].name);
        if (n > bestlen) {
            bestlen = n;
            best = ex->months[k].month;
        }
    }
    *len = bestlen;
    return best;
}

static int year_at(const char *s, size_t *len)
{
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
        !isdigit((unsigned char)s[4])) {
        int y = atoi(s);
        if (y >= 1950 && y <= 2100) {
            *len = 4;
            return y;
        }
    }
    return 0;
}

/* A date starting at s; writes ISO form and returns its length, 0 when none. */
static size_t date_at(const lzs_extractor_t *ex, const char *s, char *buf, size_t cap)
{
    size_t i = 0, l;
    int y, m, d = 0;
    /* 2021-10-07, 2023-10 */
    /* Each test short-circuits before the next byte, so reads stop at the string's end. */
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
        isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6])) {
        y = atoi(s);
        m = atoi(s + 5);
        if (y >= 1950 && y <= 2100 && m >= 1 && m <= 12) {
            if (s[7] == '-' && isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]) &&
                !isdigit((unsigned char)s[10])) {
                d = atoi(s + 8);
                if (d >= 1 && d <= 31) {
                    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
                    return 10;
                }
            }
            snprintf(buf, cap, "%04d-%02d", y, m);
            return 7;
        }
    }
    /* 7 October 2021, 1er octobre 2021 */
    if (isdigit((unsigned char)s[0])) {
        while (isdigit((unsigned char)s[i]) && i < 2)
            d = d * 10 + (s[i++] - '0');
        if (isdigit((unsigned char)s[i]))
            return 0;
        if (strncmp(s + i, "er", 2) == 0 || strncmp(s + i, "st", 2) == 0 ||
            strncmp(s + i, "nd", 2) == 0 || strncmp(s + i, "rd", 2) == 0 ||
            strncmp(s + i, "th", 2) == 0)
            i += 2;
        i = skip_spaces(s, i);
        if (d < 1 || d > 31)
            return 0;
        m = month_at(ex, s + i, &l);
        if (m == 0)
            return 0;
        i = skip_spaces(s, i + l);
        if (s[i] == ',')
            i = skip_spaces(s, i + 1);
        y = year_at(s + i, &l);
        if (y == 0)
            return 0;
        snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
        return i + l;
    }
    /* October 7, 2021 / October 2023 */
    m = month_at(ex, s, &l);
    if (m != 0) {
        i = skip_spaces(s, l);
        size_t j = i;
        while (isdigit((unsigned char)s[j]) && j - i < 2)
            d = d * 10 + (s[j++] - '0');
        if (j > i && !isdigit((unsigned char)s[j]) && d >= 1 && d <= 31) {
            if (s[j] == ',')
                j++;
            j = skip_spaces(s, j);
            y = year_at(s + j, &l);
            if (y != 0) {
                snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
                return j + l;
            }
            return 0;
        }
        y = year_at(s + i, &l);
        if (y != 0) {
            snprintf(buf, cap, "%04d-%02d", y, m);
            return i + l;
        }
    }
    return 0;
}

int lzs_parse_date(const lzs_extractor_t *ex, const char *s, int anchored, char *buf, size_t cap)
{
    if (anchored) {
        size_t i = skip_spaces(s, 0);
        size_t n = date_at(ex, s + i, buf, cap);
        if (n == 0)
            return 0;
        i += n;
        while (s[i] == ' ' || s[i] == '.' || s[i] == ',')
            i++;
        return s[i] == '\0';
    }
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && is_word_char((unsigned char)s[i - 1]))
            continue;
        if (date_at(ex, s + i, buf, cap))
            return 1;
    }
    return 0;
}
