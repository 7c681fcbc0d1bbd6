/* wordcount.c — words with counts, to feed the spelling table once per distinct word
 * instead of once per occurrence. */
#include <stdlib.h>
#include <string.h>

#include "index/index_internal.h"
#include "lzs/hash.h"

typedef struct {
    char *word; /* NULL: empty slot */
    uint32_t count;
    uint32_t hash;
} slot_t;

struct lzs_wordcount {
    slot_t *slots;
    size_t cap, n; /* cap is a power of two */
};

lzs_status_t lzs_wordcount_create(lzs_wordcount_t **out)
{
    *out = NULL;
    lzs_wordcount_t *wc = calloc(1, sizeof *wc);
    if (!wc)
        return LZS_ERR_NOMEM;
    wc->cap = 256;
    wc->slots = calloc(wc->cap, sizeof *wc->slots);
    if (!wc->slots) {
        free(wc);
        return LZS_ERR_NOMEM;
    }
    *out = wc;
    return LZS_OK;
}

void lzs_wordcount_clear(lzs_wordcount_t *wc)
{
    if (!wc)
        return;
    for (size_t i = 0; i < wc->cap; i++) {
        free(wc->slots[i].word);
        wc->slots[i].word = NULL;
    }
    wc->n = 0;
}

void lzs_wordcount_destroy(lzs_wordcount_t *wc)
{
    if (!wc)
        return;
    lzs_wordcount_clear(wc);
    free(wc->slots);
    free(wc);
}

static slot_t *find(slot_t *slots, size_t cap, const char *word, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].word && (slots[i].hash != h || strcmp(slots[i].word, word) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static lzs_status_t grow(lzs_wordcount_t *wc)
{
    size_t cap = wc->cap * 2;
    slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < wc->cap; i++) {
        if (!wc->slots[i].word)
            continue;
        *find(slots, cap, wc->slots[i].word, wc->slots[i].hash) = wc->slots[i];
    }
    free(wc->slots);
    wc->slots = slots;
    wc->cap = cap;
    return LZS_OK;
}

uint32_t lzs_wordcount_get(const lzs_wordcount_t *wc, const char *word)
{
    const slot_t *s = find(wc->slots, wc->cap, word, (uint32_t)lzs_hash_str(word));
    return s->word ? s->count : 0;
}

static lzs_status_t put(lzs_wordcount_t *wc, const char *word, uint32_t n, int replace)
{
    uint32_t h = (uint32_t)lzs_hash_str(word);
    slot_t *s = find(wc->slots, wc->cap, word, h);
    if (s->word) {
        s->count = replace ? n : s->count + n;
        return LZS_OK;
    }
    if ((wc->n + 1) * 4 > wc->cap * 3) {
        lzs_status_t st = grow(wc);
        if (st != LZS_OK)
            return st;
        s = find(wc->slots, wc->cap, word, h);
    }
    s->word = strdup(word);
    if (!s->word)
        return LZS_ERR_NOMEM;
    s->count = n;
    s->hash = h;
    wc->n++;
    return LZS_OK;
}

lzs_status_t lzs_wordcount_add(lzs_wordcount_t *wc, const char *word, uint32_t n)
{
    return put(wc, word, n, 0);
}

lzs_status_t lzs_wordcount_set(lzs_wordcount_t *wc, const char *word, uint32_t n)
{
    return put(wc, word, n, 1);
}

lzs_status_t lzs_wordcount_merge(lzs_wordcount_t *dst, const lzs_wordcount_t *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        if (!src->slots[i].word)
            continue;
        lzs_status_t st = lzs_wordcount_add(dst, src->slots[i].word, src->slots[i].count);
        if (st != LZS_OK)
            return st;
    }
    return LZS_OK;
}

size_t lzs_wordcount_size(const lzs_wordcount_t *wc)
{
    return wc->n;
}

void lzs_wordcount_foreach(const lzs_wordcount_t *wc, lzs_wordcount_cb cb, void *ud)
{
    for (size_t i = 0; i < wc->cap; i++) {
        if (wc->slots[i].word && cb(ud, wc->slots[i].word, wc->slots[i].count) != 0)
            return;
    }
}
