/* classify.c — the shapes of a line or of a block's text (rules, contents entries,
 * bullets, paragraph and agenda numbers, footnote labels, sentence ends), and the classify
 * stage, which reads them at the start of the blocks that no reader classified. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stage.h"

int lzs_line_is_rule(const char *s, size_t n, char *kind)
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
int lzs_line_is_toc_entry(const char *s, size_t n)
{
    size_t e = n;
    while (e > 0 && lzs_space_byte(s[e - 1]))
        e--;
    size_t d = e;
    while (d > 0 && isdigit((unsigned char)s[d - 1]))
        d--;
    if (d == e || e - d > 4)
        return 0;
    size_t k = d;
    while (k > 0 && lzs_space_byte(s[k - 1]))
        k--;
    size_t dots = 0;
    while (k > 0 && (s[k - 1] == '.' || lzs_space_byte(s[k - 1]))) {
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
int lzs_is_toc_title(const lzs_extractor_t *ex, const char *plain)
{
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -1;
    int found = lzs_strlist_contains(&ex->toc_titles, key);
    free(key);
    return found;
}

/* Length of a bullet marker (and the space after it) at s, 0 if none. */
size_t lzs_bullet_len(const char *s, size_t n)
{
    static const char *const marks[] = {"-",      "*",      "+",      "\u2022", "\u00B7", "\u25AA",
                                        "\u271A", "\u2013", "\u2014", "\u25E6", "\u2023", "\u25CB",
                                        "\u25A0", "\u25A1", "\u25BA", "\u27A2", "\u2713", "\u25CF",
                                        "\u2192", "\u2043", "\uF0B7", "\uF0A7", "\uF0D8",
                                        "\uF076", "\uF0FC", "\uF0A8", "\u25AB", "\u2219",
                                        "\u29BF", NULL};
    for (int i = 0; marks[i]; i++) {
        size_t ml = strlen(marks[i]);
        if (n > ml && strncmp(s, marks[i], ml) == 0 && (s[ml] == ' ' || s[ml] == '\t')) {
            size_t k = ml;
            while (k < n && (s[k] == ' ' || s[k] == '\t'))
                k++;
            return k;
        }
    }
    /* "o " and "o\t": the second-level bullet of word processors, as text */
    if (n > 2 && s[0] == 'o' && (s[1] == ' ' || s[1] == '\t')) {
        size_t k = 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k < n && (isalpha((unsigned char)s[k]) || (unsigned char)s[k] >= 0xC3))
            return k;
    }
    /* "a. ", "iv. ": a lettered or lower-case roman item */
    size_t lr = 0;
    while (lr < n && lr < 5 && strchr("ivx", s[lr]))
        lr++;
    if (lr < 2 && n > 0 && s[0] >= 'a' && s[0] <= 'z')
        lr = 1;
    if (lr > 0 && n > lr + 2 && s[lr] == '.' && (s[lr + 1] == ' ' || s[lr + 1] == '\t')) {
        size_t k = lr + 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        return k;
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
size_t lzs_number_len(const char *s, size_t n, char *label, size_t cap, int *depth, int *roman)
{
    size_t k = 0;
    *roman = 0;
    size_t rl = 0;
    /* I, V and X only: "C." and "L." are letters of a lettered list */
    while (rl < n && strchr("IVX", s[rl]))
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
size_t lzs_footnote_len(const lzs_extractor_t *ex, const char *s, size_t n, char *label, size_t cap)
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
        /* s is a slice of n bytes, not a C string: compare a copy of its start only. The
         * word is citations.tsv's "recommendation", with a capital as a footnote starts. */
        char rest[32];
        snprintf(rest, sizeof rest, "%.*s", (int)(n - d - 1 < 31 ? n - d - 1 : 31), s + d + 1);
        if (!isupper((unsigned char)rest[0]) ||
            lzs_word_at(ex, LZS_WL_RECOMMENDATION, rest, LZS_END_ANY) == 0)
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

int lzs_ends_terminal(const char *s, size_t n)
{
    while (n > 0 && (lzs_space_byte(s[n - 1]) || s[n - 1] == '*' || s[n - 1] == '_'))
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
int lzs_ends_with_function_word(const lzs_extractor_t *ex, const char *s, size_t n)
{
    while (n > 0 && lzs_space_byte(s[n - 1]))
        n--;
    size_t e = n;
    while (n > 0 && isalpha((unsigned char)s[n - 1]))
        n--;
    if (e == n)
        return 0;
    const lzs_strlist_t *fw = &ex->function_words;
    for (size_t i = 0; i < fw->n; i++) {
        if (strlen(fw->items[i]) == e - n && strncmp(s + n, fw->items[i], e - n) == 0)
            return 1;
    }
    return 0;
}

int lzs_starts_lower(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (islower(c) || c == '(')
        return 1;
    /* Latin-1 lowercase letters: à..ÿ */
    return c == 0xC3 && (unsigned char)s[1] >= 0xA0 && (unsigned char)s[1] <= 0xBF;
}

/* The whole line wrapped in bold ("**...**") with nothing bold inside: writes the
 * inner span. */
int lzs_bold_line(const char *s, size_t n, size_t *in_off, size_t *in_len)
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


size_t lzs_list_item(const char *s, size_t n, char *label, size_t cap)
{
    size_t off = lzs_bullet_len(s, n);
    if (off == 0)
        return 0;
    label[0] = '\0';
    const char *t = s + off;
    size_t tl = n - off;
    const char *dot = memchr(s, '.', n);
    if (tl > 3 && islower((unsigned char)t[0]) && t[1] == '.' && t[2] == ' ') {
        /* "- a. text": a lettered item inside a bullet */
        snprintf(label, cap, "%c", t[0]);
        off += 3;
    } else if (islower((unsigned char)s[0]) && dot && dot - s < 6 && dot < s + off) {
        /* "a. text", "iv. text" */
        snprintf(label, cap, "%.*s", (int)(dot - s), s);
    } else if (isdigit((unsigned char)s[0]) || s[0] == '(' ||
               (islower((unsigned char)s[0]) && s[1] == ')')) {
        /* "a) " / "(1) ": the marker is the label */
        size_t k = s[0] == '(' ? 1 : 0;
        size_t e = k;
        while (e < n && s[e] != ')')
            e++;
        snprintf(label, cap, "%.*s", (int)(e - k), s + k);
    }
    return off;
}

size_t lzs_letter_len(const char *s, size_t n, char *label, size_t cap)
{
    if (n < 4 || s[0] < 'A' || s[0] > 'Z' || strchr("IVX", s[0]) || s[1] != '.' ||
        (s[2] != ' ' && s[2] != '\t'))
        return 0;
    size_t k = 2;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    /* a heading's words follow, not a sentence */
    if (k >= n || n > 150 || lzs_ends_terminal(s, n) || !isupper((unsigned char)s[k]))
        return 0;
    snprintf(label, cap, "%c", s[0]);
    return k;
}

/* The text of a contents entry: without its dot leader and page number. */
size_t lzs_toc_entry_text(const char *s, size_t n)
{
    size_t e = n;
    while (e > 0 && isdigit((unsigned char)s[e - 1]))
        e--;
    if (e == n || e == 0 || n - e > 4)
        return n;
    while (e > 0 && (s[e - 1] == '.' || s[e - 1] == ' ' || s[e - 1] == '\t' ||
                     (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
                      (unsigned char)s[e - 1] == 0xA6)))
        e -= (unsigned char)s[e - 1] == 0xA6 ? 3 : 1;
    return e;
}

/* A line that ends with a page number after its text: "1. Introduction 3". */
int lzs_ends_with_page_number(const char *s, size_t n)
{
    return lzs_toc_entry_text(s, n) < n;
}

/* ---- the classify stage ------------------------------------------------------------ */

/* A paragraph's text read as the markdown reader reads a line: a footnote's own label, a
 * bullet, a paragraph or agenda number, a bold line that is a heading. */
static lzs_status_t classify_paragraph(const lzs_extractor_t *ex, lzs_blocks_t *bs, lzs_block_t *b)
{
    const char *s = b->text;
    size_t n = b->len;
    char label[32] = "";
    size_t off = lzs_footnote_len(ex, s, n, label, sizeof label);
    if (off != 0) {
        b->kind = LZS_BLOCK_FOOTNOTE;
        snprintf(b->number, sizeof b->number, "%s", label);
        return lzs_block_set_text(bs, b, s + off, n - off);
    }
    off = lzs_list_item(s, n, label, sizeof label);
    if (off != 0) {
        const char *t = s + off;
        size_t tl = n - off;
        b->kind = LZS_BLOCK_LIST_ITEM;
        snprintf(b->number, sizeof b->number, "%s", label);
        return lzs_block_set_text(bs, b, t, tl);
    }
    int depth = 0, roman = 0;
    if (lzs_letter_len(s, n, label, sizeof label)) {
        snprintf(b->number, sizeof b->number, "%s", label);
        b->kind = LZS_BLOCK_HEADING;
        b->level = 0;
        b->depth = 1;
        b->flags |= LZS_BF_LETTERED;
        return LZS_OK;
    }
    off = lzs_number_len(s, n, label, sizeof label, &depth, &roman);
    if (off != 0) {
        snprintf(b->number, sizeof b->number, "%s", label);
        b->depth = depth;
        if (roman)
            b->flags |= LZS_BF_ROMAN;
        if (roman || depth > 1) {
            b->kind = LZS_BLOCK_HEADING;
            b->level = 0;
            return LZS_OK;
        }
        /* A bold numbered line keeps its number in its text, as a heading would. */
        if (b->flags & LZS_BF_BOLD)
            return LZS_OK;
        return lzs_block_set_text(bs, b, s + off, n - off);
    }
    if ((b->flags & LZS_BF_BOLD) && !(b->flags & LZS_BF_CAPTION) && n > 0 && n <= 300 &&
        !lzs_ends_terminal(s, n) && s[n - 1] != ',') {
        b->kind = LZS_BLOCK_HEADING;
        b->level = 0;
    }
    return LZS_OK;
}

lzs_status_t lzs_classify_blocks(const lzs_extractor_t *ex, lzs_blocks_t *bs)
{
    for (size_t i = 0; i < bs->n && bs->st == LZS_OK; i++) {
        lzs_block_t *b = &bs->v[i];
        if (b->flags & LZS_BF_CLASSIFIED)
            continue;
        b->flags |= LZS_BF_CLASSIFIED;
        if (b->kind == LZS_BLOCK_LIST_ITEM || b->kind == LZS_BLOCK_PARAGRAPH) {
            /* A list item of a format's numbered list ("13. Decided ...") reads as a typed
             * one: a decision paragraph, an agenda item, or an item with its label. */
            int was_item = b->kind == LZS_BLOCK_LIST_ITEM;
            b->kind = LZS_BLOCK_PARAGRAPH;
            if (classify_paragraph(ex, bs, b) != LZS_OK)
                return LZS_ERR_NOMEM;
            if (was_item && b->kind == LZS_BLOCK_PARAGRAPH && b->number[0] == '\0')
                b->kind = LZS_BLOCK_LIST_ITEM; /* an item without a label of its own */
        } else if (b->kind == LZS_BLOCK_HEADING && b->number[0] == '\0') {
            char label[32];
            int depth = 0, roman = 0;
            if (lzs_number_len(b->text, b->len, label, sizeof label, &depth, &roman)) {
                snprintf(b->number, sizeof b->number, "%s", label);
                b->depth = depth;
                if (roman)
                    b->flags |= LZS_BF_ROMAN;
            }
        }
    }
    return bs->st;
}
