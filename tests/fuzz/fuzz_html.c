/* fuzz_html.c — the HTML reader (lib/extract/read_html.c) on arbitrary bytes.
 *
 * Whatever the bytes (any encoding, broken markup, binary junk), the reader returns
 * blocks that keep block.h's promises or fails with a message naming the file:
 * - success: at least one block has text; every text is valid UTF-8 without control
 *   characters or soft hyphens, white space collapsed and trimmed, len == strlen; kinds
 *   an HTML page can give (no page breaks, list items written as paragraphs); heading
 *   levels 1-6; table cells at row and column from 1; footnotes numbered; marks from 1;
 *   lines 1, page 0; no furniture;
 * - failure: LZS_ERR_PARSE, LZS_ERR_LIMIT or LZS_ERR_NOMEM, "fuzz.html: ..." in valid
 *   UTF-8, and out left as it was.
 * Reading the same bytes again gives the same blocks (no state kept between calls).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/block.h"
#include "lzs/status.h"

#include "fuzz_common.h"

#define NAME "fuzz.html"

static void check_block(const lzs_block_t *b, size_t i)
{
    FUZZ_CHECK((unsigned)b->kind < LZS_BLOCK_KIND_COUNT, "block %zu: kind %d", i, (int)b->kind);
    FUZZ_CHECK(b->kind != LZS_BLOCK_PAGE_BREAK && b->kind != LZS_BLOCK_LIST_ITEM,
               "block %zu: a %s from HTML", i, lzs_block_kind_name(b->kind));
    FUZZ_CHECK(b->text != NULL, "block %zu: no text", i);
    FUZZ_CHECK(strlen(b->text) == b->len, "block %zu: len %zu, strlen %zu", i, b->len,
               strlen(b->text));
    FUZZ_CHECK(fuzz_utf8_ok(b->text, b->len), "block %zu: text not valid UTF-8", i);
    const unsigned char *t = (const unsigned char *)b->text;
    for (size_t k = 0; k < b->len; k++) {
        FUZZ_CHECK(t[k] >= 0x20 && t[k] != 0x7F, "block %zu: control character %#x at %zu", i, t[k],
                   k);
        FUZZ_CHECK(!(t[k] == ' ' && k + 1 < b->len && t[k + 1] == ' '),
                   "block %zu: two spaces at %zu", i, k);
        FUZZ_CHECK(!(t[k] == 0xC2 && k + 1 < b->len && t[k + 1] == 0xAD),
                   "block %zu: soft hyphen at %zu", i, k);
    }
    if (b->len > 0) {
        FUZZ_CHECK(t[0] != ' ' && t[b->len - 1] != ' ', "block %zu: untrimmed \"%s\"", i, b->text);
    } else {
        FUZZ_CHECK(b->kind == LZS_BLOCK_TABLE_CELL, "block %zu: an empty %s", i,
                   lzs_block_kind_name(b->kind));
    }
    if (b->kind == LZS_BLOCK_HEADING) {
        FUZZ_CHECK(b->level >= 1 && b->level <= 6, "block %zu: heading level %d", i, b->level);
    }
    if (b->kind == LZS_BLOCK_TABLE_CELL) {
        FUZZ_CHECK(b->row >= 1 && b->col >= 1, "block %zu: cell at %u,%u", i, b->row, b->col);
    }
    if (b->kind == LZS_BLOCK_FOOTNOTE) {
        FUZZ_CHECK(b->number[0] >= '1' && b->number[0] <= '9', "block %zu: footnote \"%s\"", i,
                   b->number);
    } else {
        FUZZ_CHECK(b->number[0] == '\0', "block %zu: a %s numbered \"%s\"", i,
                   lzs_block_kind_name(b->kind), b->number);
    }
    FUZZ_CHECK(memchr(b->number, '\0', sizeof b->number) != NULL, "block %zu: number unended", i);
    FUZZ_CHECK(b->nmarks <= b->capmarks, "block %zu: %zu marks, room for %zu", i, b->nmarks,
               b->capmarks);
    for (size_t k = 0; k < b->nmarks; k++) {
        FUZZ_CHECK(b->marks[k] >= 1, "block %zu: mark %u", i, b->marks[k]);
    }
    FUZZ_CHECK(b->lines == 1 && b->page == 0, "block %zu: lines %d page %u", i, b->lines, b->page);
}

/* 1 when a and b hold the same blocks. */
static int same_blocks(const lzs_blocks_t *a, const lzs_blocks_t *b)
{
    if (a->n != b->n) {
        return 0;
    }
    for (size_t i = 0; i < a->n; i++) {
        const lzs_block_t *x = &a->v[i], *y = &b->v[i];
        if (x->kind != y->kind || x->flags != y->flags || x->level != y->level ||
            x->row != y->row || x->col != y->col || strcmp(x->number, y->number) != 0 ||
            strcmp(x->text, y->text) != 0 || x->nmarks != y->nmarks ||
            (x->nmarks > 0 && memcmp(x->marks, y->marks, x->nmarks * sizeof *x->marks) != 0)) {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* buf[len] is a NUL, as block.h promises readers */
    char *buf = fuzz_strndup(data, size);
    FUZZ_CHECK(buf != NULL, "out of memory");
    lzs_blocks_t bs = {0};
    char *msg = NULL;
    lzs_status_t st = lzs_read_html(NULL, NAME, buf, size, &bs, &msg);
    if (st == LZS_OK) {
        FUZZ_CHECK(msg == NULL, "success with a message: %s", msg);
        FUZZ_CHECK(bs.n > 0, "success without blocks");
        int text = 0;
        for (size_t i = 0; i < bs.n; i++) {
            check_block(&bs.v[i], i);
            text |= bs.v[i].len > 0;
        }
        FUZZ_CHECK(text, "success without text");
        FUZZ_CHECK(bs.furniture.n == 0 && bs.npages == 0, "furniture %zu, pages %u", bs.furniture.n,
                   bs.npages);
    } else {
        FUZZ_CHECK(st == LZS_ERR_PARSE || st == LZS_ERR_LIMIT || st == LZS_ERR_NOMEM, "failure %s",
                   lzs_status_name(st));
        FUZZ_CHECK(msg != NULL && strncmp(msg, NAME ": ", strlen(NAME) + 2) == 0,
                   "failure %s with message \"%s\"", lzs_status_name(st), msg ? msg : "(null)");
        FUZZ_CHECK(fuzz_utf8_ok(msg, strlen(msg)), "message not valid UTF-8");
        FUZZ_CHECK(bs.n == 0, "failure left %zu blocks", bs.n);
    }
    if (st != LZS_ERR_NOMEM && size <= 65536) {
        lzs_blocks_t again = {0};
        char *msg2 = NULL;
        lzs_status_t st2 = lzs_read_html(NULL, NAME, buf, size, &again, &msg2);
        if (st2 != LZS_ERR_NOMEM) {
            FUZZ_CHECK(st2 == st, "second read: %s, first %s", lzs_status_name(st2),
                       lzs_status_name(st));
            FUZZ_CHECK(same_blocks(&bs, &again), "second read gave other blocks");
        }
        free(msg2);
        lzs_blocks_clear(&again);
    }
    free(msg);
    lzs_blocks_clear(&bs);
    free(buf);
    return 0;
}
