/* dates.c — dates in the text of a document ("7 October 2021", "7 octobre 2021"). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if (strncmp(s + i, "er", 2) == 0 || strncmp(s + i, "st", 2) == 0 ||
            strncmp(s + i, "nd", 2) == 0 || strncmp(s + i, "rd", 2) == 0 ||
            strncmp(s + i, "th", 2) == 0)
            i += 2;
        i = lzs_skip_spaces(s, i);
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
