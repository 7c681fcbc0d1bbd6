/* textacc.c — the text of one block while a structured reader gathers it (see textacc.h). */
#include <stdlib.h>
#include <string.h>

#include "textacc.h"

void lzs_textacc_init(lzs_textacc_t *a)
{
    memset(a, 0, sizeof *a);
    a->all_bold = 1;
    a->all_italic = 1;
}

void lzs_textacc_free(lzs_textacc_t *a)
{
    free(a->text);
    free(a->marks);
    free(a->notes);
    lzs_textacc_init(a);
}

void lzs_textacc_reset(lzs_textacc_t *a)
{
    a->n = 0;
    if (a->text)
        a->text[0] = '\0';
    a->nmarks = 0;
    a->nnotes = 0;
    a->visible = 0;
    a->all_bold = 1;
    a->all_italic = 1;
    a->breaks = 0;
}

void lzs_textacc_break(lzs_textacc_t *a)
{
    lzs_textacc_raw(a, " ", 1);
    a->breaks++;
}

static int has_visible(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 1;
    return 0;
}

void lzs_textacc_raw(lzs_textacc_t *a, const char *s, size_t len)
{
    if (a->st != LZS_OK || len == 0)
        return;
    if (lzs_text_clean_append(&a->text, &a->n, &a->cap, s, len) != LZS_OK)
        a->st = LZS_ERR_NOMEM;
}

void lzs_textacc_text(lzs_textacc_t *a, const char *s, size_t len, int bold, int italic)
{
    if (len == 0)
        return;
    if (has_visible(s, len)) {
        a->visible = 1;
        a->all_bold &= bold != 0;
        a->all_italic &= italic != 0;
    }
    lzs_textacc_raw(a, s, len);
}

/* The vector v of n elements of size sz, grown to hold one more: v itself, or a new
 * pointer (*cap updated), or NULL when out of memory (v untouched). */
static void *grow(void *v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 4;
    void *p = realloc(v, c * sz);
    if (p != NULL)
        *cap = c;
    return p;
}

void lzs_textacc_mark(lzs_textacc_t *a, unsigned num)
{
    if (a->st != LZS_OK)
        return;
    unsigned *m = grow(a->marks, a->nmarks, &a->capmarks, sizeof *m);
    if (m == NULL) {
        a->st = LZS_ERR_NOMEM;
        return;
    }
    a->marks = m;
    a->marks[a->nmarks++] = num;
}

void lzs_textacc_note(lzs_textacc_t *a, size_t h)
{
    if (a->st != LZS_OK)
        return;
    size_t *v = grow(a->notes, a->nnotes, &a->capnotes, sizeof *v);
    if (v == NULL) {
        a->st = LZS_ERR_NOMEM;
        return;
    }
    a->notes = v;
    a->notes[a->nnotes++] = h;
}

size_t lzs_textacc_trim(lzs_textacc_t *a)
{
    while (a->n > 0 && a->text[a->n - 1] == ' ')
        a->text[--a->n] = '\0';
    return a->n;
}

void lzs_textacc_join(lzs_textacc_t *to, lzs_textacc_t *from)
{
    if (from->n > 0) {
        lzs_textacc_raw(to, " ", 1);
        lzs_textacc_raw(to, from->text, from->n);
    }
    for (size_t i = 0; i < from->nmarks; i++)
        lzs_textacc_mark(to, from->marks[i]);
    for (size_t i = 0; i < from->nnotes; i++)
        lzs_textacc_note(to, from->notes[i]);
    to->breaks += from->breaks;
    if (from->visible) {
        to->all_bold &= from->all_bold;
        to->all_italic &= from->all_italic;
        to->visible = 1;
    }
    if (from->st != LZS_OK)
        to->st = from->st;
    lzs_textacc_reset(from);
}

lzs_block_t *lzs_textacc_emit(lzs_textacc_t *a, lzs_blocks_t *bs, lzs_block_kind_t kind,
                              unsigned flags)
{
    if (a->st != LZS_OK) {
        bs->st = a->st;
        return NULL;
    }
    lzs_textacc_trim(a);
    lzs_block_t *b = lzs_blocks_add(bs, kind, a->text ? a->text : "", a->n);
    if (b == NULL)
        return NULL;
    if (a->visible && a->all_bold)
        flags |= LZS_BF_BOLD;
    if (a->visible && a->all_italic)
        flags |= LZS_BF_ITALIC;
    b->flags = flags;
    b->lines = 1 + a->breaks;
    for (size_t i = 0; i < a->nmarks; i++)
        if (lzs_block_add_mark(bs, b, a->marks[i]) != LZS_OK)
            return NULL;
    return b;
}

void lzs_textacc_furniture(lzs_textacc_t *a, lzs_blocks_t *bs)
{
    if (a->st != LZS_OK) {
        bs->st = a->st;
        return;
    }
    if (lzs_textacc_trim(a) == 0 || bs->furniture.n >= LZS_FURNITURE_MAX)
        return;
    for (size_t i = 0; i < bs->furniture.n; i++)
        if (strcmp(bs->furniture.items[i], a->text) == 0)
            return;
    lzs_blocks_add_furniture(bs, a->text, a->n);
}

void lzs_textacc_label(const char *s, size_t len, char *buf, size_t cap)
{
    char *clean = NULL;
    size_t n = 0, c = 0, out = 0;
    if (cap == 0)
        return;
    if (lzs_text_clean_append(&clean, &n, &c, s, len) == LZS_OK) {
        for (size_t i = 0; i < n; i++) {
            if (clean[i] == ' ')
                continue;
            /* The whole character or nothing of it. */
            size_t k = 1;
            while (i + k < n && ((unsigned char)clean[i + k] & 0xC0) == 0x80)
                k++;
            if (out + k >= cap)
                break;
            memcpy(buf + out, clean + i, k);
            out += k;
            i += k - 1;
        }
    }
    buf[out] = '\0';
    free(clean);
}
