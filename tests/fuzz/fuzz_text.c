/* fuzz_text.c — the ICU text pipeline on raw bytes.
 *
 * Whatever the bytes, tokenizing succeeds and every token is sane: offsets inside the
 * input, words in increasing order, positions from 1 without gaps, norm and folded forms
 * non-empty valid UTF-8 within LZS_TEXT_MAX_TOKEN bytes; tokenizing again gives the same
 * tokens (no state leaks between calls). The helpers around it (sanitize, validity,
 * normalize, fold, stem, boundary) are held to their header's promises on the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/text.h"

#include "fuzz_common.h"

static lzs_text_t *g_text;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *msg = NULL;
    lzs_status_t st = lzs_text_create(&g_text, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz_text: cannot create the text pipeline: %s\n",
                msg ? msg : lzs_status_str(st));
        free(msg);
        exit(1);
    }
    return 0;
}

static void check_string(const char *s, const char *what)
{
    FUZZ_CHECK(s != NULL, "%s is NULL", what);
    size_t n = strlen(s);
    FUZZ_CHECK(n > 0, "%s is empty", what);
    FUZZ_CHECK(n <= LZS_TEXT_MAX_TOKEN, "%s is %zu bytes", what, n);
    FUZZ_CHECK(fuzz_utf8_ok(s, n), "%s is not valid UTF-8", what);
}

static void check_tokens(const char *text, size_t len, const lzs_tokens_t *toks)
{
    size_t n = lzs_tokens_count(toks);
    uint32_t maxpos = 0;
    size_t last_word_start = 0;
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        FUZZ_CHECK(t != NULL, "token %zu of %zu is NULL", i, n);
        FUZZ_CHECK(t->start < t->end && t->end <= len, "token %zu: bad offsets [%zu, %zu) of %zu",
                   i, t->start, t->end, len);
        check_string(t->norm, "norm");
        check_string(t->folded, "folded");
        FUZZ_CHECK(t->pos >= 1 && t->pos <= maxpos + 1,
                   "token %zu: position %u after a highest position of %u", i, t->pos, maxpos);
        if (t->pos > maxpos) {
            /* A token opening a new word: words come in text order. */
            FUZZ_CHECK(t->start >= last_word_start, "token %zu starts at %zu, before %zu", i,
                       t->start, last_word_start);
            last_word_start = t->start;
            maxpos = t->pos;
        }
        FUZZ_CHECK((t->flags & ~0x3Fu) == 0, "token %zu: unknown flags %#x", i, t->flags);
        (void)text;
    }
}

static void check_same(const lzs_tokens_t *a, const lzs_tokens_t *b)
{
    size_t n = lzs_tokens_count(a);
    FUZZ_CHECK(n == lzs_tokens_count(b), "second run gave %zu tokens, first %zu",
               lzs_tokens_count(b), n);
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *x = lzs_tokens_get(a, i), *y = lzs_tokens_get(b, i);
        FUZZ_CHECK(x->start == y->start && x->end == y->end && x->pos == y->pos &&
                       x->flags == y->flags && strcmp(x->norm, y->norm) == 0 &&
                       strcmp(x->folded, y->folded) == 0,
                   "token %zu differs between two runs", i);
    }
}

static void check_helpers(const char *text, size_t len)
{
    int valid = lzs_text_is_valid_utf8(text, len);
    int expect = fuzz_utf8_ok(text, len) && memchr(text, '\0', len) == NULL;
    FUZZ_CHECK(valid == expect, "lzs_text_is_valid_utf8 says %d, expected %d", valid, expect);

    char *clean = NULL;
    size_t cleanlen = 0, nbad = 0;
    lzs_status_t st = lzs_text_sanitize_utf8(text, len, &clean, &cleanlen, &nbad);
    if (st == LZS_OK) {
        FUZZ_CHECK(clean != NULL && strlen(clean) == cleanlen,
                   "sanitize: length %zu does not match the string", cleanlen);
        FUZZ_CHECK(lzs_text_is_valid_utf8(clean, cleanlen) && fuzz_utf8_ok(clean, cleanlen),
                   "sanitize: output is not valid UTF-8");
        FUZZ_CHECK((nbad == 0) == (expect != 0), "sanitize: %zu substitutions for %s input", nbad,
                   expect ? "valid" : "invalid");
        if (expect) {
            FUZZ_CHECK(cleanlen == len && memcmp(clean, text, len) == 0,
                       "sanitize changed valid input");
        }
    } else {
        FUZZ_CHECK(st == LZS_ERR_NOMEM, "sanitize failed: %s", lzs_status_str(st));
    }
    free(clean);

    char *norm = NULL;
    st = lzs_text_normalize(g_text, text, len, &norm);
    if (st == LZS_OK) {
        FUZZ_CHECK(norm && fuzz_utf8_ok(norm, strlen(norm)), "normalize: invalid UTF-8 output");
    }
    free(norm);
    char *folded = NULL;
    st = lzs_text_fold(g_text, text, len, &folded);
    if (st == LZS_OK) {
        FUZZ_CHECK(folded && fuzz_utf8_ok(folded, strlen(folded)), "fold: invalid UTF-8 output");
    }
    free(folded);

    if (len > 0) {
        size_t off = (size_t)(unsigned char)text[0] * len / 256;
        size_t b = lzs_text_utf8_boundary(text, len, off);
        FUZZ_CHECK(b <= len, "utf8_boundary(%zu) = %zu beyond %zu", off, b, len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(g_text, text, size, &toks);
    if (st != LZS_OK) {
        /* Any bytes are valid input; only running out of memory may fail. */
        FUZZ_CHECK(st == LZS_ERR_NOMEM, "tokenize failed: %s", lzs_status_str(st));
        FUZZ_CHECK(toks == NULL, "failed tokenize left an output");
        return 0;
    }
    FUZZ_CHECK(toks != NULL, "tokenize succeeded without an output");
    check_tokens(text, size, toks);

    /* Stemming every token: stems of valid tokens are valid UTF-8 too. */
    static const char *const langs[] = {"en", "fr", "de", "ru"};
    for (size_t i = 0; i < lzs_tokens_count(toks); i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        const char *stem = NULL;
        if (lzs_text_stem(g_text, langs[i % 4], t->norm, &stem) == LZS_OK) {
            FUZZ_CHECK(stem && fuzz_utf8_ok(stem, strlen(stem)), "stem of token %zu", i);
        }
    }

    if (size <= 4096) {
        lzs_tokens_t *again = NULL;
        st = lzs_text_tokenize(g_text, text, size, &again);
        if (st == LZS_OK) {
            check_same(toks, again);
        }
        lzs_tokens_destroy(again);
    }
    lzs_tokens_destroy(toks);
    check_helpers(text, size);
    return 0;
}
