/* cite.c — what the Committee's texts cite: Convention articles and recommendation
 * identifiers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

/* ---- article citations ------------------------------------------------------------- */

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

/* 1 when s starts with the section sign. */
static int section_sign(const char *s)
{
    return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA7;
}

/* The sub-division of a citation after its number: "(1)(f)", "§3", ", paragraph 4",
 * ", par.1", ",f" (the words of citations.tsv). Appends the normalized "(x)" parts to
 * buf. */
static size_t parse_subdivisions(const lzs_extractor_t *ex, const char *s, size_t i, char *buf,
                                 size_t cap)
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
        if (section_sign(s + j)) {
            j += 2;
            para = 1;
        } else {
            size_t k = j;
            if (s[k] == ',')
                k++;
            k = lzs_skip_spaces(s, k);
            size_t wl =
                section_sign(s + k) ? 2 : lzs_word_at(ex, LZS_WL_PARAGRAPH, s + k, LZS_END_LETTER);
            if (wl > 0) {
                j = k + wl;
                para = 1;
            }
            /* "Article 20(1),f": a letter sub-paragraph after a comma. */
            if (!para && s[i] == ',' && isalpha((unsigned char)s[i + 1]) &&
                islower((unsigned char)s[i + 1]) && !lzs_word_byte((unsigned char)s[i + 2]) &&
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
        j = lzs_skip_spaces(s, j);
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

/* Index of the first byte after the link words of citations.tsv at s[i] ("of the", "de
 * la", "de l'"), each followed by a space or an apostrophe; i when there are none. */
static size_t skip_links(const lzs_extractor_t *ex, const char *s, size_t i)
{
    for (;;) {
        size_t n = lzs_word_at(ex, LZS_WL_LINK, s + i, LZS_END_LETTER);
        if (n == 0)
            return i;
        size_t k = i + n;
        if (s[k] == '\'')
            k++;
        else if (strncmp(s + k, "\u2019", 3) == 0)
            k += 3;
        else if (lzs_skip_spaces(s, k) == k)
            return i; /* "of," "la." : no link to a name */
        i = lzs_skip_spaces(s, k);
    }
}

/* 1 when the words after a citation name another instrument than the Convention
 * ("ECHR", "of the ECHR", "of Directive 2011/93/EU", "de la Convention européenne ..."):
 * an abbreviation of citations.tsv, or after link words, an abbreviation or the start of
 * an instrument's name. */
static int other_instrument(const lzs_extractor_t *ex, const char *s)
{
    size_t i = lzs_skip_spaces(s, 0);
    if (lzs_word_at(ex, LZS_WL_ABBREVIATION, s + i, LZS_END_LETTER) > 0)
        return 1;
    size_t k = skip_links(ex, s, i);
    if (k == i)
        return 0;
    return lzs_word_at(ex, LZS_WL_ABBREVIATION, s + k, LZS_END_LETTER) > 0 ||
           lzs_word_at(ex, LZS_WL_INSTRUMENT, s + k, LZS_END_LETTER) > 0;
}

lzs_status_t lzs_cite_articles(const lzs_extractor_t *ex, const char *text, lzs_strlist_t *out)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && isalnum((unsigned char)text[i - 1]))
            continue;
        /* Letters (also accented) before it mean it is inside a word. */
        if (i > 1 && (unsigned char)text[i - 1] >= 0x80 && (unsigned char)text[i - 1] < 0xC0 &&
            (unsigned char)text[i - 2] == 0xC3)
            continue;
        size_t w = lzs_word_at(ex, LZS_WL_ARTICLE, text + i, LZS_END_LETTER);
        if (w == 0 || isalpha((unsigned char)text[i + w]))
            continue;
        size_t j = lzs_skip_spaces(text, i + w);
        int n;
        if (!parse_num(text, &j, &n))
            continue;
        char items[16][32];
        size_t nitems = 0;
        int prev = -1;
        for (;;) {
            char buf[32];
            snprintf(buf, sizeof buf, "%d", n);
            j = parse_subdivisions(ex, text, j, buf, sizeof buf);
            if (n >= 1 && n <= 50 && nitems < 16)
                snprintf(items[nitems++], sizeof items[0], "%s", buf);
            prev = n;
            /* More numbers: "Articles 20 and 21", "20, 21 et 23", "30 to 36". */
            size_t k = lzs_skip_spaces(text, j);
            size_t joiner = lzs_word_at(ex, LZS_WL_AND, text + k, LZS_END_SPACE);
            size_t to = lzs_word_at(ex, LZS_WL_RANGE, text + k, LZS_END_SPACE);
            int range = 0;
            if (text[k] == ',' || text[k] == '&') {
                k++;
            } else if (joiner > 0) {
                k += joiner + 1;
            } else if (to > 0) {
                k += to + 1;
                range = 1;
            } else if (text[k] == '-' && isdigit((unsigned char)text[k + 1])) {
                k++;
                range = 1;
            } else {
                break;
            }
            k = lzs_skip_spaces(text, k);
            joiner = lzs_word_at(ex, LZS_WL_AND, text + k, LZS_END_SPACE); /* ", and 23" */
            if (joiner > 0)
                k = lzs_skip_spaces(text, k + joiner + 1);
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
        if (other_instrument(ex, text + j)) {
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

/* 1 when s is a roman numeral, a hyphen and a number: "V-17". */
static int roman_number(const char *s)
{
    size_t rl = roman_len(s);
    if (rl == 0 || s[rl] != '-' || !isdigit((unsigned char)s[rl + 1]))
        return 0;
    size_t i = rl + 1;
    while (isdigit((unsigned char)s[i]))
        i++;
    return s[i] == '\0';
}

unsigned lzs_rec_id_shape(const char *id)
{
    if (id == NULL)
        return 0;
    if (roman_number(id))
        return LZS_RECID_ROMAN_NUMBER;
    if (id[0] != 'R')
        return 0;
    if (id[1] == ' ' && roman_number(id + 2))
        return LZS_RECID_ROMAN_NUMBER;
    if (id[1] == ' ' && roman_len(id + 2) > 0 && id[2 + roman_len(id + 2)] == '\0')
        return LZS_RECID_R_ROMAN;
    size_t i = 1;
    while (isdigit((unsigned char)id[i]))
        i++;
    return i > 1 && id[i] == '\0' ? LZS_RECID_R_NUMBER : 0;
}

void lzs_extract_rec_id_normalize(const char *id, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    /* "R V-17" restates recommendation V-17; "R15" and "R XX" are identifiers themselves. */
    if (id[0] == 'R' && id[1] == ' ' && roman_number(id + 2))
        id += 2;
    snprintf(buf, cap, "%s", id);
}
