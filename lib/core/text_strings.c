/* text_strings.c — whole strings through the pipeline: a text normalized or folded as one
 * string, and the phrase key (folded tokens, codes and joined words once) that compares
 * titles and quotations.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

static lzs_status_t to_utf8_alloc(const UChar *src, int32_t n, char **out)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    char *buf;

    u_strToUTF8WithSub(NULL, 0, &len, src, n, (UChar32)LZS_TEXT_REPLACEMENT, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return lzs_text_icu_status(e);
    buf = malloc((size_t)len + 1);
    if (!buf)
        return LZS_ERR_NOMEM;
    e = U_ZERO_ERROR;
    u_strToUTF8WithSub(buf, len + 1, &len, src, n, (UChar32)LZS_TEXT_REPLACEMENT, NULL, &e);
    if (U_FAILURE(e)) {
        free(buf);
        return lzs_text_icu_status(e);
    }
    buf[len] = '\0';
    *out = buf;
    return LZS_OK;
}

static lzs_status_t whole_string(lzs_text_t *t, const char *text, size_t len, int fold, char **out)
{
    int32_t nn = 0, fn = 0;
    lzs_status_t st;

    if (out)
        *out = NULL;
    if (!t || !out || (!text && len > 0))
        return LZS_ERR_INVALID;
    if (len >= INT32_MAX)
        return LZS_ERR_LIMIT;
    st = lzs_text_decode_input(t, text ? text : "", len);
    if (st == LZS_OK)
        st = lzs_text_norm_u16(t, t->u, t->n, &nn);
    if (st == LZS_OK && fold)
        st = lzs_text_fold_u16(t, t->norm.p, nn, &fn);
    if (st == LZS_OK)
        st = fold ? to_utf8_alloc(t->fold.p, fn, out) : to_utf8_alloc(t->norm.p, nn, out);
    lzs_text_release_big_buffers(t);
    return st;
}

lzs_status_t lzs_text_normalize(lzs_text_t *t, const char *text, size_t len, char **out)
{
    return whole_string(t, text, len, 0, out);
}

lzs_status_t lzs_text_fold(lzs_text_t *t, const char *text, size_t len, char **out)
{
    return whole_string(t, text, len, 1, out);
}

/* ---- phrase keys ------------------------------------------------------------------------- */

/* Whether token i lies inside a code or a joined word of the list (and so is left out of a
 * key). A code never hides inside a joined word of the same extent. */
static int covered_token(const lzs_tokens_t *toks, size_t i)
{
    const lzs_token_t *u = lzs_tokens_get(toks, i);
    size_t n = lzs_tokens_count(toks);
    for (size_t k = 0; k < n; k++) {
        const lzs_token_t *t = lzs_tokens_get(toks, k);
        if (k == i || !(t->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)))
            continue;
        if (u->start >= t->start && u->end <= t->end &&
            !(u->start == t->start && u->end == t->end && (u->flags & LZS_TOK_CODE)))
            return 1;
    }
    return 0;
}

lzs_status_t lzs_text_phrase_key(lzs_text_t *t, const char *text, size_t len, char **out)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st;
    size_t n, klen = 0;
    char *key;

    if (out)
        *out = NULL;
    if (!t || !out || (!text && len > 0))
        return LZS_ERR_INVALID;
    st = lzs_text_tokenize(t, text ? text : "", len, &toks);
    if (st != LZS_OK)
        return st;
    n = lzs_tokens_count(toks);
    for (size_t i = 0; i < n; i++) {
        if (!covered_token(toks, i))
            klen += strlen(lzs_tokens_get(toks, i)->folded) + 1;
    }
    key = malloc(klen + 1);
    if (!key) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    klen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = lzs_tokens_get(toks, i)->folded;
        size_t l = strlen(f);
        if (covered_token(toks, i))
            continue;
        if (klen)
            key[klen++] = ' ';
        memcpy(key + klen, f, l);
        klen += l;
    }
    key[klen] = '\0';
    lzs_tokens_destroy(toks);
    *out = key;
    return LZS_OK;
}

int lzs_tokens_phrase_term(const lzs_tokens_t *toks, size_t i, int joined)
{
    const lzs_token_t *t = lzs_tokens_get(toks, i);
    if (t->flags & LZS_TOK_CODE)
        return 0;
    if (t->flags & LZS_TOK_JOINED)
        return joined;
    if (!joined || !(t->flags & LZS_TOK_PART))
        return 1;
    size_t n = lzs_tokens_count(toks);
    for (size_t k = 0; k < n; k++) {
        const lzs_token_t *u = lzs_tokens_get(toks, k);
        if ((u->flags & LZS_TOK_JOINED) && t->start >= u->start && t->end <= u->end)
            return 0;
    }
    return 1;
}

int lzs_tokens_have_joined(const lzs_tokens_t *toks)
{
    for (size_t i = 0; i < lzs_tokens_count(toks); i++)
        if (lzs_tokens_get(toks, i)->flags & LZS_TOK_JOINED)
            return 1;
    return 0;
}
