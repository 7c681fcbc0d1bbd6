/* blockdump.h — a block stream written as text, one line a block, so that the reader tests
 * assert the exact stream a format gives in one readable string:
 *
 *   H1 +title |List of decisions|       heading level 1, flagged as the document title
 *   L2 |a) the item| ^3                 list item at depth 2, footnote mark 3
 *   C2.1 +bold |cell text|              table cell, row 2, column 1
 *   F3 |Recommendation V-17.|           footnote 3
 *   P +blank |text|                     paragraph after a blank line
 *
 * Flags, in this order: +bold +italic +title +toc +center +blank. The dump also checks
 * what every block must keep (text trimmed, single spaces, len == strlen, valid kind).
 */
#ifndef LZS_TESTS_BLOCKDUMP_H
#define LZS_TESTS_BLOCKDUMP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/block.h"

typedef struct {
    char *s;
    size_t n, cap;
} bd_buf_t;

__attribute__((format(printf, 2, 3))) static inline void bd_add(bd_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        abort();
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        while (c < b->n + (size_t)k + 1)
            c *= 2;
        char *p = realloc(b->s, c);
        if (p == NULL)
            abort();
        b->s = p;
        b->cap = c;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* Returns NULL when the block keeps the contract of block.h, else what is wrong. */
static inline const char *bd_check(const lzs_block_t *b)
{
    if ((unsigned)b->kind >= LZS_BLOCK_KIND_COUNT)
        return "kind out of range";
    if (b->text == NULL || strlen(b->text) != b->len)
        return "len is not strlen(text)";
    if (b->len > 0 && (b->text[0] == ' ' || b->text[b->len - 1] == ' '))
        return "text not trimmed";
    if (strstr(b->text, "  "))
        return "double space in text";
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char)b->text[i] < 0x20)
            return "control character in text";
    if (b->lines < 1)
        return "lines is less than 1";
    return NULL;
}

/* The dump of bs: caller frees with free(). Aborts on a block that breaks the contract. */
static inline char *bd_dump(const lzs_blocks_t *bs)
{
    static const struct {
        unsigned flag;
        const char *name;
    } flag_names[] = {{LZS_BF_BOLD, "bold"},       {LZS_BF_ITALIC, "italic"},
                      {LZS_BF_TITLE, "title"},     {LZS_BF_TOC, "toc"},
                      {LZS_BF_CENTERED, "center"}, {LZS_BF_BLANK_BEFORE, "blank"}};
    bd_buf_t b = {NULL, 0, 0};
    bd_add(&b, "%s", "");
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *k = &bs->v[i];
        const char *bad = bd_check(k);
        if (bad) {
            fprintf(stderr, "block %zu (\"%s\"): %s\n", i, k->text ? k->text : "", bad);
            abort();
        }
        switch (k->kind) {
        case LZS_BLOCK_HEADING:
            bd_add(&b, "H%d", k->level);
            break;
        case LZS_BLOCK_PARAGRAPH:
            bd_add(&b, "P");
            break;
        case LZS_BLOCK_LIST_ITEM:
            bd_add(&b, "L%d", k->level);
            break;
        case LZS_BLOCK_TABLE_CELL:
            bd_add(&b, "C%u.%u", k->row, k->col);
            break;
        case LZS_BLOCK_FOOTNOTE:
            bd_add(&b, "F%s", k->number);
            break;
        default:
            bd_add(&b, "B");
            break;
        }
        for (size_t f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++)
            if (k->flags & flag_names[f].flag)
                bd_add(&b, " +%s", flag_names[f].name);
        if (k->lines > 1)
            bd_add(&b, " +lines%d", k->lines); /* line breaks typed by the author */
        bd_add(&b, " |%s|", k->text);
        for (size_t m = 0; m < k->nmarks; m++)
            bd_add(&b, "%s%u", m ? "," : " ^", k->marks[m]);
        bd_add(&b, "\n");
    }
    return b.s;
}

/* The furniture of bs, one line each. Caller frees with free(). */
static inline char *bd_furniture(const lzs_blocks_t *bs)
{
    bd_buf_t b = {NULL, 0, 0};
    bd_add(&b, "%s", "");
    for (size_t i = 0; i < bs->furniture.n; i++)
        bd_add(&b, "%s\n", bs->furniture.items[i]);
    return b.s;
}

#endif
