/* inline.c — inline markdown to plain text: emphasis, links, <sup> footnote markers,
 * entities. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"
#include "lzs/buf.h"

/* The plain text being written, and how to read the markup (LZS_INLINE_*). */
typedef struct {
    lzs_buf_t out;
    unsigned flags;
} sbuf_t;

/* Appends a space unless the text is empty or already ends with one: collapses runs. */
static void sb_space(sbuf_t *b)
{
    if (b->out.len > 0 && b->out.data[b->out.len - 1] != ' ')
        lzs_buf_append(&b->out, " ", 1);
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
            lzs_buf_append(&b->out, u, n);
        return j - i + 1;
    }
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strlen(entities[k].name) == nlen && strncmp(entities[k].name, name, nlen) == 0) {
            if (entities[k].utf8[0] == ' ')
                sb_space(b);
            else
                lzs_buf_append(&b->out, entities[k].utf8, strlen(entities[k].utf8));
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
            lzs_buf_append(&b->out, in, n);
            return j - i + 1;
        }
    }
    /* In a plain text file only <sup> and autolinks are markup: "a<b and c>d" is text. */
    size_t t = (b->flags & LZS_INLINE_TEXT) ? 0 : html_tag(s, len, i);
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

/* Digits glued to the end of a word of at least three letters, the last in lower case,
 * and followed by a space, punctuation or the end ("articles1 ", "Parties12,"): a footnote
 * marker that lost its superscript in a conversion. Their length, or 0. */
static size_t glued_marker(const sbuf_t *b, const char *s, size_t len, size_t i)
{
    size_t end = b->out.len;
    /* after a sentence's punctuation: "themselves.1", "consent;4", "législation ;5" */
    int punct = end > 0 && strchr(".;,:", b->out.data[end - 1]) != NULL;
    if (punct) {
        end--;
        if (end > 0 && b->out.data[end - 1] == ' ' && b->out.data[end] != '.' &&
            b->out.data[end] != ',')
            end--; /* French spacing before ";" and ":" */
    }
    size_t letters = 0;
    for (size_t k = end; k > 0 && isalpha((unsigned char)b->out.data[k - 1]); k--)
        letters++;
    if (punct && letters == 0 && end > 1 && isdigit((unsigned char)b->out.data[end - 1]) &&
        b->out.data[end] == '.') {
        /* "Articles 18 to 23.3" at the end of a paragraph: a number ending the
         * sentence, then the marker; inside a text "2.1" is a number */
        size_t j = i;
        while (j < len && isdigit((unsigned char)s[j]))
            j++;
        size_t k = j;
        while (k < len && (s[k] == ' ' || s[k] == '\n' || s[k] == '\r'))
            k++;
        size_t d = end;
        while (d > 0 && isdigit((unsigned char)b->out.data[d - 1]))
            d--;
        return j - i <= 2 && k == len && d > 0 && b->out.data[d - 1] == ' ' ? j - i : 0;
    }
    /* "art.23" is a citation; "TIC.14" an acronym and its marker */
    int acronym = letters >= 3;
    for (size_t k = end - letters; k < end && acronym; k++)
        acronym = isupper((unsigned char)b->out.data[k]);
    if (punct && !acronym &&
        (letters < 4 || (letters == 4 && strncasecmp(b->out.data + end - 4, "para", 4) == 0)))
        return 0;
    if (punct) {
        size_t j = i;
        while (j < len && isdigit((unsigned char)s[j]))
            j++;
        if (j - i > 3 || (j < len && s[j] != ' ' && s[j] != '\n' && s[j] != '\r'))
            return 0;
        return strtoul(s + i, NULL, 10) > 0 ? j - i : 0;
    }
    /* a lower-case word ("articles1"), or an acronym before punctuation ("TIC2.") */
    if (letters < 3)
        return 0;
    if (!islower((unsigned char)b->out.data[b->out.len - 1])) {
        size_t j = i;
        while (j < len && isdigit((unsigned char)s[j]))
            j++;
        if (!(isupper((unsigned char)b->out.data[b->out.len - 1]) && j - i <= 2 && j < len &&
              strchr(".;,:", s[j]) != NULL))
            return 0;
    }
    /* "rev2": a revision of a document code */
    if (letters == 3 && strncasecmp(b->out.data + b->out.len - 3, "rev", 3) == 0)
        return 0;
    size_t j = i;
    while (j < len && isdigit((unsigned char)s[j]))
        j++;
    if (j - i > 3 || (j < len && (isalnum((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80 ||
                                  s[j] == '-' || s[j] == '(' || s[j] == '/')))
        return 0;
    if (strtoul(s + i, NULL, 10) == 0)
        return 0;
    return j - i;
}

/* Markdown escapes and emphasis marks at s[i]: bytes consumed, 0 when s[i] is none. */
static size_t emphasis_at(sbuf_t *b, const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' && i + 1 < len && ispunct((unsigned char)s[i + 1])) {
        lzs_buf_append(&b->out, s + i + 1, 1);
        return 2;
    }
    if (c == '*' || c == '`')
        return 1;
    if (c != '_')
        return 0;
    /* Emphasis only at a word edge: snake_case names keep their underscores. */
    size_t j = i;
    while (j < len && s[j] == '_')
        j++;
    int left = b->out.len > 0 && isalnum((unsigned char)b->out.data[b->out.len - 1]);
    int right = j < len && isalnum((unsigned char)s[j]);
    if (left && right)
        lzs_buf_append(&b->out, s + i, j - i);
    return j - i;
}

/* A footnote reference "[^3]", a link or image "[text](url)" (its text kept), or a lone
 * bracket at s[i]: bytes consumed, 0 when s[i] opens none. */
static size_t link_at(sbuf_t *b, const char *s, size_t len, size_t i, lzs_marks_t *marks, int depth)
{
    unsigned char c = (unsigned char)s[i];
    if (!(depth < 4 && (c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '['))))
        return 0;
    size_t open = c == '!' ? i + 1 : i;
    if (open + 1 < len && s[open + 1] == '^') {
        size_t close = match_close(s, len, open, '[', ']');
        if (close && all_digits(s + open + 2, close - open - 3)) {
            marks_add(marks, (unsigned)strtoul(s + open + 2, NULL, 10));
            return close - i;
        }
    }
    size_t close = match_close(s, len, open, '[', ']');
    if (close && close < len && s[close] == '(') {
        size_t end = match_close(s, len, close, '(', ')');
        if (end) {
            plain_into(b, s + open + 1, close - open - 2, marks, depth + 1);
            return end - i;
        }
    }
    lzs_buf_append(&b->out, s + i, 1);
    return 1;
}

/* "^{3}" (a footnote marker) or "^{text}" (its text kept) at s[i]: bytes consumed, 0 when
 * s[i] starts neither. */
static size_t braced_sup_at(sbuf_t *b, const char *s, size_t len, size_t i, lzs_marks_t *marks,
                            int depth)
{
    if (!(s[i] == '^' && i + 1 < len && s[i + 1] == '{'))
        return 0;
    size_t end = match_close(s, len, i + 1, '{', '}');
    if (!end)
        return 0;
    const char *in = s + i + 2;
    size_t n = end - i - 3;
    if (all_digits(in, n))
        marks_add(marks, (unsigned)strtoul(in, NULL, 10));
    else
        plain_into(b, in, n, marks, depth + 1);
    return end - i;
}

/* A footnote marker attached to a word at s[i] (superscript digits, or plain digits that
 * lost their superscript): bytes consumed, 0 when s[i] starts none. */
static size_t marker_at(sbuf_t *b, const char *s, size_t len, size_t i, lzs_marks_t *marks)
{
    unsigned char c = (unsigned char)s[i];
    size_t sl;
    if (c >= 0xC2 && sup_digit((const unsigned char *)s + i, len - i, &sl) >= 0 && b->out.len > 0 &&
        b->out.data[b->out.len - 1] != ' ') {
        unsigned v = 0;
        size_t j = i;
        while (j < len) {
            int d = sup_digit((const unsigned char *)s + j, len - j, &sl);
            if (d < 0)
                break;
            v = v * 10 + (unsigned)d;
            j += sl;
        }
        marks_add(marks, v);
        return j - i;
    }
    if ((b->flags & LZS_INLINE_TEXT) && isdigit(c)) {
        /* "articles1": a footnote marker that lost its superscript */
        size_t gl = glued_marker(b, s, len, i);
        if (gl > 0)
            marks_add(marks, (unsigned)strtoul(s + i, NULL, 10));
        return gl;
    }
    return 0;
}

/* White space and the no-break space at s[i], folded into one space: bytes consumed, 0
 * when s[i] is not a space. */
static size_t space_at(sbuf_t *b, const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        sb_space(b);
        return 1;
    }
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
        sb_space(b);
        return 2;
    }
    return 0;
}

/* Appends the plain text of inline markup s[0..len) to b, its footnote markers to marks;
 * each step below takes what starts at s[i], in this order, and any other byte is text. */
static void plain_into(sbuf_t *b, const char *s, size_t len, lzs_marks_t *marks, int depth)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = emphasis_at(b, s, len, i);
        if (n == 0)
            n = link_at(b, s, len, i, marks, depth);
        if (n == 0 && c == '<' && depth < 4)
            n = angle(b, s, len, i, marks, depth);
        if (n == 0 && c == '&')
            n = entity(s, len, i, b);
        if (n == 0)
            n = braced_sup_at(b, s, len, i, marks, depth);
        if (n == 0)
            n = marker_at(b, s, len, i, marks);
        if (n == 0)
            n = space_at(b, s, len, i);
        if (n == 0) {
            lzs_buf_append(&b->out, s + i, 1);
            n = 1;
        }
        i += n;
    }
}

char *lzs_md_plain(const char *s, size_t len, lzs_marks_t *marks)
{
    return lzs_inline_plain(s, len, marks, 0);
}

char *lzs_inline_plain(const char *s, size_t len, lzs_marks_t *marks, unsigned flags)
{
    sbuf_t b = {0};
    b.flags = flags;
    lzs_buf_append(&b.out, "", 0); /* "" for a text that is all markup */
    plain_into(&b, s, len, marks, 0);
    if (b.out.failed) {
        lzs_buf_free(&b.out);
        return NULL;
    }
    /* Trim, and drop spaces that emphasis removal left before punctuation. */
    size_t start = 0;
    while (start < b.out.len && b.out.data[start] == ' ')
        start++;
    size_t o = 0;
    for (size_t i = start; i < b.out.len; i++)
        b.out.data[o++] = b.out.data[i];
    while (o > 0 && b.out.data[o - 1] == ' ')
        o--;
    b.out.data[o] = '\0';
    return b.out.data;
}

