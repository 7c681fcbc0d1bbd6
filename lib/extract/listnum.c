/* listnum.c — list numbers as printed (see listnum.h). */
#include <stdio.h>
#include <string.h>

#include "listnum.h"

static size_t put_decimal(long value, int width, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%0*ld", width, value);
    if (n < 0)
        n = 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Word repeats the letter: 27 -> "aa", 28 -> "bb", 53 -> "aaa". */
static size_t put_letters_repeat(long value, char base, char *buf, size_t cap)
{
    long times = (value - 1) / 26 + 1;
    char c = (char)(base + (value - 1) % 26);
    size_t n = 0;
    /* Past a few dozen copies the label means nothing to a reader: cut it there. */
    for (long i = 0; i < times && n + 1 < cap && i < 16; i++)
        buf[n++] = c;
    buf[n] = '\0';
    return n;
}

/* Bijective base 26, as spreadsheet columns: 27 -> "aa", 28 -> "ab". */
static size_t put_letters_base26(long value, char base, char *buf, size_t cap)
{
    char tmp[16];
    size_t k = 0;
    while (value > 0 && k < sizeof tmp) {
        value--;
        tmp[k++] = (char)(base + value % 26);
        value /= 26;
    }
    size_t n = 0;
    while (k > 0 && n + 1 < cap)
        buf[n++] = tmp[--k];
    buf[n] = '\0';
    return n;
}

static size_t put_roman(long value, int upper, char *buf, size_t cap)
{
    static const struct {
        int v;
        const char *s;
    } digits[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
                  {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
                  {5, "v"},    {4, "iv"},   {1, "i"}};
    size_t n = 0;
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++) {
        while (value >= digits[i].v) {
            for (const char *s = digits[i].s; *s && n + 1 < cap; s++)
                buf[n++] = upper ? (char)(*s - 'a' + 'A') : *s;
            value -= digits[i].v;
        }
    }
    buf[n] = '\0';
    return n;
}

size_t lzs_num_format(long value, lzs_numfmt_t fmt, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    switch (fmt) {
    case LZS_NUM_BULLET:
    case LZS_NUM_NONE:
        return 0;
    case LZS_NUM_DECIMAL_ZERO:
        return put_decimal(value, value >= 0 && value < 10 ? 2 : 1, buf, cap);
    case LZS_NUM_LOWER_LETTER:
    case LZS_NUM_UPPER_LETTER:
        if (value < 1)
            break;
        return put_letters_repeat(value, fmt == LZS_NUM_LOWER_LETTER ? 'a' : 'A', buf, cap);
    case LZS_NUM_LOWER_LETTER2:
    case LZS_NUM_UPPER_LETTER2:
        if (value < 1)
            break;
        return put_letters_base26(value, fmt == LZS_NUM_LOWER_LETTER2 ? 'a' : 'A', buf, cap);
    case LZS_NUM_LOWER_ROMAN:
    case LZS_NUM_UPPER_ROMAN:
        if (value < 1 || value > 3999)
            break;
        return put_roman(value, fmt == LZS_NUM_UPPER_ROMAN, buf, cap);
    case LZS_NUM_DECIMAL:
        break;
    }
    return put_decimal(value, 1, buf, cap);
}
