/* text_tokens.c — the token list a tokenizing call returns: adding a token (normalized and
 * folded strings kept in one arena) and reading the list.
 */
#include "text_internal.h"

#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

static lzs_status_t arena_reserve(lzs_tokens_t *tk, size_t more)
{
    size_t cap;
    char *p;

    if (tk->acap - tk->alen >= more)
        return LZS_OK;
    cap = tk->acap ? tk->acap * 2 : 1024;
    while (cap - tk->alen < more)
        cap *= 2;
    p = realloc(tk->arena, cap);
    if (!p)
        return LZS_ERR_NOMEM;
    tk->arena = p;
    tk->acap = cap;
    return LZS_OK;
}

/* Appends src (n units) to the arena as UTF-8 cut to LZS_TEXT_MAX_TOKEN bytes and
 * NUL-terminated; *off gets its arena offset, *blen its length. */
static lzs_status_t arena_put(lzs_tokens_t *tk, const UChar *src, int32_t n, size_t *off,
                              size_t *blen)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    lzs_status_t st = arena_reserve(tk, 3 * (size_t)n + 1);
    if (st != LZS_OK)
        return st;
    u_strToUTF8WithSub(tk->arena + tk->alen, (int32_t)(tk->acap - tk->alen), &len, src, n,
                       (UChar32)LZS_TEXT_REPLACEMENT, NULL, &e);
    if (U_FAILURE(e))
        return lzs_text_icu_status(e);
    len = (int32_t)lzs_text_utf8_cut(tk->arena + tk->alen, (size_t)len, LZS_TEXT_MAX_TOKEN);
    tk->arena[tk->alen + (size_t)len] = '\0';
    *off = tk->alen;
    *blen = (size_t)len;
    tk->alen += (size_t)len + 1;
    return LZS_OK;
}

/* Appends one token made of the units src[0..n): normalized, folded, cut. *added is 0 when
 * nothing is left after normalization (only ignorable characters). */
lzs_status_t lzs_text_add_token(lzs_text_t *t, lzs_tokens_t *tk, const UChar *src, int32_t n,
                                size_t start, size_t end, uint32_t pos, unsigned flags, int *added)
{
    int32_t nn, fn;
    int alpha = 0, digits = 1, ascii = 1;
    size_t noff, foff, nlen, flen;
    lzs_token_t *tok;
    lzs_status_t st;

    *added = 0;
    st = lzs_text_norm_u16(t, src, n, &nn);
    if (st != LZS_OK)
        return st;
    if (nn == 0)
        return LZS_OK;
    for (int32_t i = 0; i < nn;) {
        UChar32 c;
        U16_NEXT(t->norm.p, i, nn, c);
        if (c >= 0x80)
            ascii = 0;
        if (u_isalpha(c))
            alpha = 1;
        if (!u_isdigit(c))
            digits = 0;
    }
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 64;
        lzs_token_t *v = realloc(tk->v, cap * sizeof *v);
        size_t *strs;
        if (!v)
            return LZS_ERR_NOMEM;
        tk->v = v;
        strs = realloc(tk->strs, cap * 2 * sizeof *strs);
        if (!strs)
            return LZS_ERR_NOMEM;
        tk->strs = strs;
        tk->cap = cap;
    }
    st = arena_put(tk, t->norm.p, nn, &noff, &nlen);
    if (st != LZS_OK)
        return st;
    foff = noff;
    if (!ascii) {
        st = lzs_text_fold_u16(t, t->norm.p, nn, &fn);
        if (st != LZS_OK)
            return st;
        /* A word of marks alone would fold to nothing: it keeps its normalized form. */
        if (fn > 0 && (fn != nn || u_memcmp(t->fold.p, t->norm.p, nn) != 0)) {
            st = arena_put(tk, t->fold.p, fn, &foff, &flen);
            if (st != LZS_OK)
                return st;
        }
    }
    (void)nlen;
    tok = &tk->v[tk->n];
    tok->norm = NULL;
    tok->folded = NULL;
    tok->start = start;
    tok->end = end;
    tok->pos = pos;
    tok->flags = flags | (alpha ? LZS_TOK_ALPHA : 0u) | (digits ? LZS_TOK_NUMERIC : 0u);
    tk->strs[2 * tk->n] = noff;
    tk->strs[2 * tk->n + 1] = foff;
    tk->n++;
    *added = 1;
    return LZS_OK;
}

size_t lzs_tokens_count(const lzs_tokens_t *toks)
{
    return toks ? toks->n : 0;
}

const lzs_token_t *lzs_tokens_get(const lzs_tokens_t *toks, size_t i)
{
    if (!toks || i >= toks->n)
        return NULL;
    return &toks->v[i];
}

void lzs_tokens_destroy(lzs_tokens_t *toks)
{
    if (!toks)
        return;
    free(toks->v);
    free(toks->strs);
    free(toks->arena);
    free(toks);
}
