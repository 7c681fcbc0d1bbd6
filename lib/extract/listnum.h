/* listnum.h — the numbers of automatically numbered lists as a word processor prints them
 * ("12", "012", "c", "aa", "iv", "XIV"): shared by the readers of formats that number
 * paragraphs themselves (DOCX, ODT, HTML ordered lists). Each reader maps its own names
 * of the formats ("lowerLetter", "a", type="a") onto these. */
#ifndef LZS_EXTRACT_LISTNUM_H
#define LZS_EXTRACT_LISTNUM_H

#include <stddef.h>

typedef enum {
    LZS_NUM_DECIMAL,       /* 1, 2, 3 */
    LZS_NUM_DECIMAL_ZERO,  /* 01, 02, ..., 10 */
    LZS_NUM_LOWER_LETTER,  /* a ... z, then aa, bb, ... (Word) */
    LZS_NUM_UPPER_LETTER,  /* A ... Z, then AA, BB, ... */
    LZS_NUM_LOWER_LETTER2, /* a ... z, then aa, ab, ... (OpenDocument without letter sync) */
    LZS_NUM_UPPER_LETTER2, /* A ... Z, then AA, AB, ... */
    LZS_NUM_LOWER_ROMAN,   /* i, ii, iii, iv */
    LZS_NUM_UPPER_ROMAN,   /* I, II, III, IV */
    LZS_NUM_BULLET,        /* not a number: the label is a bullet */
    LZS_NUM_NONE           /* not a number: nothing is printed */
} lzs_numfmt_t;

/* Writes value in format fmt into buf (cap bytes, NUL-terminated) and returns its length.
 * Values a format cannot write (0 in letters or roman numerals, roman numerals past 3999)
 * are written in decimal; BULLET and NONE write "". */
size_t lzs_num_format(long value, lzs_numfmt_t fmt, char *buf, size_t cap);

#endif
