/* dates.c — dates in the text of a document ("7 October 2021", "7 octobre 2021"). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_internal.h"

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
    return lzs_word_byte(p[i]) ? 0 : i;
}

/* Month number (1-12) of the word at s, with its length; 0 if none. */
static int month_at(const lzs_extractor_t *ex, const char *s, size_t *len)
{
    if (!lzs_word_byte((unsigned char)s[0]) || isdigit((unsigned char)s[0]))
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
        i = lzs_skip_spaces(s, i + lzs_word_at(ex, LZS_WL_ORDINAL, s + i, LZS_END_ANY));
        if (d < 1 || d > 31)
            return 0;
        m = month_at(ex, s + i, &l);
        if (m == 0)
            return 0;
        i = lzs_skip_spaces(s, i + l);
        if (s[i] == ',')
            i = lzs_skip_spaces(s, i + 1);
        y = year_at(s + i, &l);
        if (y == 0)
            return 0;
        snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
        return i + l;
    }
    /* October 7, 2021 / October 2023 */
    m = month_at(ex, s, &l);
    if (m != 0) {
        i = lzs_skip_spaces(s, l);
        size_t j = i;
        while (isdigit((unsigned char)s[j]) && j - i < 2)
            d = d * 10 + (s[j++] - '0');
        if (j > i && !isdigit((unsigned char)s[j]) && d >= 1 && d <= 31) {
            if (s[j] == ',')
                j++;
            j = lzs_skip_spaces(s, j);
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
        size_t i = lzs_skip_spaces(s, 0);
        size_t n = date_at(ex, s + i, buf, cap);
        if (n == 0)
            return 0;
        i += n;
        while (s[i] == ' ' || s[i] == '.' || s[i] == ',')
            i++;
        return s[i] == '\0';
    }
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && lzs_word_byte((unsigned char)s[i - 1]))
            continue;
        if (date_at(ex, s + i, buf, cap))
            return 1;
    }
    return 0;
}

/* ---- spans and date lines ------------------------------------------------------------ */

/* A separator between the two ends of a span: a dash ("-", "–", "—") or a word of
 * words.tsv ("to", "au", "à", "until"); the length up to the second end, 0 when none. */
static size_t span_sep(const lzs_extractor_t *ex, const char *s)
{
    static const char *const dashes[] = {"-", "\u2013", "\u2014", NULL};
    size_t i = lzs_skip_spaces(s, 0);
    for (int k = 0; dashes[k]; k++) {
        size_t n = strlen(dashes[k]);
        if (strncmp(s + i, dashes[k], n) == 0)
            return lzs_skip_spaces(s, i + n);
    }
    size_t n = lzs_word_at(ex, LZS_WL_RANGE, s + i, LZS_END_SPACE);
    return n > 0 ? lzs_skip_spaces(s, i + n + 1) : 0;
}

/* A day number ("15", "1er", "1st") at s: its value and length; 0 when none. */
static int day_at(const lzs_extractor_t *ex, const char *s, size_t *len)
{
    size_t i = 0;
    int d = 0;
    while (isdigit((unsigned char)s[i]) && i < 2)
        d = d * 10 + (s[i++] - '0');
    if (i == 0 || isdigit((unsigned char)s[i]) || d < 1 || d > 31)
        return 0;
    i += lzs_word_at(ex, LZS_WL_ORDINAL, s + i, LZS_END_WORD);
    if (lzs_word_byte((unsigned char)s[i]))
        return 0;
    *len = i;
    return d;
}

/* A date or a span of days at s ("15-18 October 2019", "30 September 2019 - 2 October
 * 2019"): start and end in ISO form (end "" for a single date); its length, 0 if none. */
static size_t span_at(const lzs_extractor_t *ex, const char *s, char *start, char *end, size_t cap)
{
    end[0] = '\0';
    /* "15-18 October 2019", "15 au 18 octobre 2019": days of one month */
    size_t l1;
    int d1 = day_at(ex, s, &l1);
    if (d1 != 0) {
        size_t sep = span_sep(ex, s + l1);
        size_t l2;
        int d2 = sep ? day_at(ex, s + l1 + sep, &l2) : 0;
        if (d2 > d1) {
            size_t k = l1 + sep;
            char tail[16];
            size_t n = date_at(ex, s + k, tail, sizeof tail);
            if (n > 0 && strlen(tail) == 10) {
                snprintf(end, cap, "%s", tail);
                snprintf(start, cap, "%.8s%02u", tail, (unsigned)d1 % 100u);
                return k + n;
            }
        }
    }
    /* "30 September - 2 October 2019", "30 September 2019 - 2 October 2019" */
    char a[16];
    size_t n = date_at(ex, s, a, sizeof a);
    if (n == 0)
        return 0;
    snprintf(start, cap, "%s", a);
    size_t sep = span_sep(ex, s + n);
    if (sep == 0 || strlen(a) < 10)
        return n;
    char b[16];
    size_t m = date_at(ex, s + n + sep, b, sizeof b);
    if (m > 0 && strlen(b) == 10 && strcmp(b, a) > 0) {
        snprintf(end, cap, "%s", b);
        return n + sep + m;
    }
    return n;
}

/* A day and a month without year at s ("30 September"): writes "MM-DD"; its length. */
static size_t day_month_at(const lzs_extractor_t *ex, const char *s, int *day, int *month)
{
    size_t dl, ml;
    int d = day_at(ex, s, &dl);
    if (d == 0)
        return 0;
    size_t i = lzs_skip_spaces(s, dl);
    int m = month_at(ex, s + i, &ml);
    if (m == 0)
        return 0;
    *day = d;
    *month = m;
    return i + ml;
}

/* A span whose first end has no year: "30 September - 2 October 2019". */
static size_t span_cross_month(const lzs_extractor_t *ex, const char *s, char *start, char *end,
                               size_t cap)
{
    int d, m;
    size_t n = day_month_at(ex, s, &d, &m);
    if (n == 0)
        return 0;
    size_t sep = span_sep(ex, s + n);
    if (sep == 0)
        return 0;
    char b[16];
    size_t k = date_at(ex, s + n + sep, b, sizeof b);
    if (k == 0 || strlen(b) != 10)
        return 0;
    int y = atoi(b);
    char a[16];
    snprintf(a, sizeof a, "%04d-%02d-%02d", y, m, d);
    if (strcmp(a, b) >= 0)
        return 0;
    snprintf(start, cap, "%s", a);
    snprintf(end, cap, "%s", b);
    return n + sep + k;
}

/* Any date or span at s. */
static size_t any_date_at(const lzs_extractor_t *ex, const char *s, char *start, char *end,
                          size_t cap)
{
    size_t n = span_cross_month(ex, s, start, end, cap);
    if (n > 0)
        return n;
    return span_at(ex, s, start, end, cap);
}

/* The words before a date on a date line: a place or a kind of meeting and a comma
 * ("Strasbourg, ", "Nicosia (Cyprus), ", "Virtual meeting, "), and French "le". */
static size_t place_prefix(const char *s)
{
    size_t i = 0, words = 0;
    while (s[i] && s[i] != ',' && i < 60) {
        if (isdigit((unsigned char)s[i]))
            return 0;
        if (s[i] == ' ')
            words++;
        i++;
    }
    if (s[i] != ',' || i == 0 || words > 5)
        return 0;
    return lzs_skip_spaces(s, i + 1);
}

int lzs_parse_date_line(const lzs_extractor_t *ex, const char *s, char *start, char *end,
                        size_t cap)
{
    size_t i = lzs_skip_spaces(s, 0);
    int bracket = 0;
    if (s[i] == '[' || s[i] == '(') {
        bracket = 1;
        i = lzs_skip_spaces(s, i + 1);
    }
    char a[16], b[16];
    size_t n = any_date_at(ex, s + i, a, b, sizeof a);
    if (n == 0) {
        size_t p = place_prefix(s + i);
        if (p == 0)
            return 0;
        i += p;
        size_t lead = lzs_word_at(ex, LZS_WL_DATE_LEAD, s + i, LZS_END_SPACE);
        if (lead > 0)
            i = lzs_skip_spaces(s, i + lead + 1);
        n = any_date_at(ex, s + i, a, b, sizeof a);
        if (n == 0)
            return 0;
    }
    i += n;
    /* "21-22 September 2021 and 4-7 October 2021": more dates may follow */
    for (;;) {
        size_t k = lzs_skip_spaces(s, i);
        size_t joiner = lzs_word_at(ex, LZS_WL_AND, s + k, LZS_END_SPACE);
        size_t w = s[k] == ',' || s[k] == ';' ? 1 : joiner > 0 ? joiner + 1 : 0;
        if (w == 0)
            break;
        char c[16], e[16];
        size_t m = any_date_at(ex, s + lzs_skip_spaces(s, k + w), c, e, sizeof c);
        if (m == 0)
            break;
        i = lzs_skip_spaces(s, k + w) + m;
    }
    i = lzs_skip_spaces(s, i);
    if (bracket && (s[i] == ']' || s[i] == ')'))
        i = lzs_skip_spaces(s, i + 1);
    while (s[i] == '.' || s[i] == ' ')
        i++;
    if (s[i] != '\0')
        return 0;
    snprintf(start, cap, "%s", a);
    snprintf(end, cap, "%s", b);
    return 1;
}
