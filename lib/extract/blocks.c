/* blocks.c — the block stream between readers and stages (see block.h): the container
 * and the text cleaning every reader shares. */
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "shared_internal.h"
#include "lzs/buf.h"

static const char *const kind_names[LZS_BLOCK_KIND_COUNT] = {
    "heading", "paragraph", "list-item", "table-cell", "footnote", "page-break"};

const char *lzs_block_kind_name(lzs_block_kind_t k)
{
    return (unsigned)k < LZS_BLOCK_KIND_COUNT ? kind_names[k] : "?";
}

static lzs_status_t fail(lzs_blocks_t *bs)
{
    bs->st = LZS_ERR_NOMEM;
    return LZS_ERR_NOMEM;
}

lzs_block_t *lzs_blocks_add(lzs_blocks_t *bs, lzs_block_kind_t kind, const char *text,
                            size_t len)
{
    if (bs->st != LZS_OK)
        return NULL;
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? bs->cap * 2 : 64;
        lzs_block_t *v = realloc(bs->v, cap * sizeof *v);
        if (v == NULL) {
            fail(bs);
            return NULL;
        }
        bs->v = v;
        bs->cap = cap;
    }
    char *t = malloc(len + 1);
    if (t == NULL) {
        fail(bs);
        return NULL;
    }
    if (len > 0)
        memcpy(t, text, len);
    t[len] = '\0';
    lzs_block_t *b = &bs->v[bs->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->text = t;
    b->len = len;
    b->lines = 1;
    return b;
}

lzs_status_t lzs_block_add_mark(lzs_blocks_t *bs, lzs_block_t *b, unsigned num)
{
    if (b->nmarks == b->capmarks) {
        size_t cap = b->capmarks ? b->capmarks * 2 : 4;
        unsigned *m = realloc(b->marks, cap * sizeof *m);
        if (m == NULL)
            return fail(bs);
        b->marks = m;
        b->capmarks = cap;
    }
    b->marks[b->nmarks++] = num;
    return LZS_OK;
}

lzs_status_t lzs_block_set_text(lzs_blocks_t *bs, lzs_block_t *b, const char *text, size_t len)
{
    char *t = malloc(len + 1);
    if (t == NULL)
        return fail(bs);
    memcpy(t, text, len);
    t[len] = '\0';
    free(b->text);
    b->text = t;
    b->len = len;
    return LZS_OK;
}

lzs_status_t lzs_block_append(lzs_blocks_t *bs, lzs_block_t *b, const char *text, size_t len)
{
    int sep = b->len > 0 && len > 0;
    char *t = realloc(b->text, b->len + (size_t)sep + len + 1);
    if (t == NULL)
        return fail(bs);
    if (sep)
        t[b->len++] = ' ';
    memcpy(t + b->len, text, len);
    b->len += len;
    t[b->len] = '\0';
    b->text = t;
    return LZS_OK;
}

lzs_status_t lzs_blocks_add_furniture(lzs_blocks_t *bs, const char *text, size_t len)
{
    char *t = malloc(len + 1);
    if (t == NULL)
        return fail(bs);
    memcpy(t, text, len);
    t[len] = '\0';
    lzs_status_t st = lzs_strlist_push(&bs->furniture, t);
    free(t);
    if (st != LZS_OK)
        return fail(bs);
    return LZS_OK;
}

static void block_free(lzs_block_t *b)
{
    free(b->text);
    free(b->marks);
}

void lzs_blocks_remove(lzs_blocks_t *bs, size_t i)
{
    if (i >= bs->n)
        return;
    block_free(&bs->v[i]);
    memmove(&bs->v[i], &bs->v[i + 1], (bs->n - i - 1) * sizeof bs->v[0]);
    bs->n--;
}

void lzs_blocks_clear(lzs_blocks_t *bs)
{
    for (size_t i = 0; i < bs->n; i++)
        block_free(&bs->v[i]);
    free(bs->v);
    lzs_strlist_clear(&bs->furniture);
    memset(bs, 0, sizeof *bs);
}

/* ---- text cleaning ------------------------------------------------------------------ */

/* Appends through the project's buffer (include/lzs/buf.h); the caller's three fields are
 * that buffer's data, len and cap. */
static lzs_status_t put(char **buf, size_t *n, size_t *cap, const char *s, size_t len)
{
    lzs_buf_t b = {*buf, *n, *cap, 0};
    lzs_buf_append(&b, s, len);
    *buf = b.data;
    *n = b.len;
    *cap = b.cap;
    return b.failed ? LZS_ERR_NOMEM : LZS_OK;
}

/* Decodes one UTF-8 character at s (left bytes): its code point and length; an invalid
 * sequence is U+FFFD of length 1. */
static unsigned decode(const unsigned char *s, size_t left, size_t *len)
{
    unsigned c = s[0];
    size_t need;
    unsigned min;
    if (c < 0x80) {
        *len = 1;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        c &= 0x07;
        min = 0x10000;
    } else {
        *len = 1;
        return 0xFFFD;
    }
    if (left < need + 1) {
        *len = 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *len = 1;
        return 0xFFFD;
    }
    *len = need + 1;
    return c;
}

static int is_space_cp(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0x85;
}

/* Characters that carry nothing a reader sees. */
static int is_invisible(unsigned c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xAD || c == 0x200B ||
           c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0xFFFE;
}

/* Private-use glyphs that word processors and PDF symbol fonts use for bullets. */
static int is_pua_bullet(unsigned c)
{
    return c == 0xF0B7 || c == 0xF0A7 || c == 0xF076 || c == 0xF0D8 || c == 0xF0FC ||
           c == 0xF0A8 || c == 0xF0B2 || c == 0xF06E || c == 0xF0E0 || c == 0xF0D2 ||
           c == 0xF02D || c == 0xF071 || c == 0xF075 || c == 0xF0A1 || c == 0xF0F0;
}

lzs_status_t lzs_text_clean_append(char **buf, size_t *n, size_t *cap, const char *s,
                                   size_t len)
{
    static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t l;
        unsigned c = decode(p + i, len - i, &l);
        const char *out = (const char *)p + i;
        size_t outlen = l;
        char tmp[4];
        i += l;
        if (is_space_cp(c)) {
            if (*n > 0 && (*buf)[*n - 1] != ' ' && put(buf, n, cap, " ", 1) != LZS_OK)
                return LZS_ERR_NOMEM;
            continue;
        }
        if (is_invisible(c))
            continue;
        if (c >= 0xFB00 && c <= 0xFB06) {
            out = lig[c - 0xFB00];
            outlen = strlen(out);
        } else if (is_pua_bullet(c)) {
            out = "\u2022";
            outlen = 3;
        } else if (c == 0xFFFD && l == 1) {
            memcpy(tmp, "\xEF\xBF\xBD", 3);
            out = tmp;
            outlen = 3;
        }
        if (put(buf, n, cap, out, outlen) != LZS_OK)
            return LZS_ERR_NOMEM;
    }
    return LZS_OK;
}
