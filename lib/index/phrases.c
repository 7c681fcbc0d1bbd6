/* phrases.c — the phrase terms of passages (lzs/schema.h, LZS_PFX_PHRASE): the multi-word
 * terms of the thesaurus and of the synonym groups, found in a passage's text where a
 * phrase query would find them (each term at the position after the one before), so that
 * search answers them from one posting list instead of reading the positions of every
 * passage that holds their words. */
#include <stdlib.h>
#include <string.h>

#include "index/index_internal.h"
#include "lzs/extract.h"
#include "lzs/schema.h"

typedef struct {
    char *key;    /* the words joined by single spaces */
    char **words; /* nwords pointers into wbuf */
    char *wbuf;   /* the words, each NUL-terminated */
    size_t nwords;
} phrase_t;

struct lzs_phrases {
    phrase_t *v; /* sorted by first word, then key; unique */
    size_t n, cap;
};

static void phrase_free(phrase_t *ph)
{
    free(ph->key);
    free(ph->words);
    free(ph->wbuf);
}

void lzs_phrases_destroy(lzs_phrases_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        phrase_free(&p->v[i]);
    free(p->v);
    free(p);
}

/* Appends the phrase of words[0..n) (borrowed) to p, unsorted. */
static lzs_status_t push_phrase(lzs_phrases_t *p, const char *const *words, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    if (strlen(LZS_PFX_PHRASE) + len - 1 > LZS_XDB_MAX_TERM)
        return LZS_OK; /* no such term: search reads the phrase's positions */
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        phrase_t *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return LZS_ERR_NOMEM;
        p->v = v;
        p->cap = cap;
    }
    phrase_t ph = {malloc(len), calloc(n, sizeof(char *)), malloc(len), n};
    if (!ph.key || !ph.words || !ph.wbuf) {
        phrase_free(&ph);
        return LZS_ERR_NOMEM;
    }
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(words[i]);
        memcpy(ph.wbuf + off, words[i], l + 1);
        memcpy(ph.key + off, words[i], l);
        ph.key[off + l] = i + 1 < n ? ' ' : '\0';
        ph.words[i] = ph.wbuf + off;
        off += l + 1;
    }
    p->v[p->n++] = ph;
    return LZS_OK;
}

/* The phrases a term of the data reads as (lzs_tokens_phrase_term): one, or two for a
 * hyphenated word (apart and joined). Terms of one word, and words the index cannot hold
 * (over LZS_XDB_MAX_TERM bytes, which no passage has either), give none. */
static lzs_status_t add_term(lzs_phrases_t *p, lzs_text_t *text, const char *s)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(text, s, strlen(s), &toks);
    if (st != LZS_OK)
        return st;
    size_t n = lzs_tokens_count(toks);
    const char **words = calloc(n ? n : 1, sizeof *words);
    if (!words)
        st = LZS_ERR_NOMEM;
    for (int joined = 0; st == LZS_OK && joined <= lzs_tokens_have_joined(toks); joined++) {
        size_t nw = 0;
        int fits = 1;
        for (size_t i = 0; i < n; i++) {
            if (!lzs_tokens_phrase_term(toks, i, joined))
                continue;
            words[nw] = lzs_tokens_get(toks, i)->folded;
            fits &= strlen(words[nw]) <= LZS_XDB_MAX_TERM;
            nw++;
        }
        if (nw >= 2 && fits)
            st = push_phrase(p, words, nw);
    }
    free(words);
    lzs_tokens_destroy(toks);
    return st;
}

/* By first word, then key: the phrases that begin with a word are together (first_with),
 * and so are the copies of one phrase. */
static int cmp_phrase(const void *a, const void *b)
{
    const phrase_t *x = a, *y = b;
    int c = strcmp(x->words[0], y->words[0]);
    return c ? c : strcmp(x->key, y->key);
}

static void finish(lzs_phrases_t *p)
{
    if (p->n > 1)
        qsort(p->v, p->n, sizeof *p->v, cmp_phrase);
    size_t out = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (out > 0 && strcmp(p->v[out - 1].key, p->v[i].key) == 0) {
            phrase_free(&p->v[i]);
            continue;
        }
        p->v[out++] = p->v[i];
    }
    p->n = out;
}

lzs_status_t lzs_phrases_build(lzs_text_t *text, const lzs_extractor_t *ex, lzs_phrases_t **out)
{
    *out = NULL;
    lzs_phrases_t *p = calloc(1, sizeof *p);
    if (!p)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t c = 0; c < lzs_extract_concepts(ex) && st == LZS_OK; c++)
        for (size_t i = 0; i < lzs_extract_concept_size(ex, c) && st == LZS_OK; i++)
            st = add_term(p, text, lzs_extract_concept_term(ex, c, i, NULL));
    for (size_t g = 0; g < lzs_extract_synonym_groups(ex) && st == LZS_OK; g++)
        for (size_t i = 0; i < lzs_extract_synonym_group_size(ex, g) && st == LZS_OK; i++)
            st = add_term(p, text, lzs_extract_synonym(ex, g, i));
    if (st == LZS_OK)
        finish(p);
    if (st != LZS_OK) {
        lzs_phrases_destroy(p);
        return st;
    }
    *out = p;
    return LZS_OK;
}

size_t lzs_phrases_count(const lzs_phrases_t *p)
{
    return p ? p->n : 0;
}

const char *lzs_phrases_key(const lzs_phrases_t *p, size_t i)
{
    return p && i < p->n ? p->v[i].key : NULL;
}

/* The first phrase that begins with word, or p->n. */
static size_t first_with(const lzs_phrases_t *p, const char *word)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->v[mid].words[0], word) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && strcmp(p->v[lo].words[0], word) == 0 ? lo : p->n;
}

/* The tokens of a passage by position: order[] holds token indexes sorted by pos. */
typedef struct {
    const lzs_tokens_t *toks;
    size_t *order;
    size_t n;
} bypos_t;

/* Sorts t->order by position, then index. The tokenizer gives positions in text order, a
 * joined word its first part's: the list is nearly sorted, and an insertion sort about one
 * pass. */
static void sort_by_pos(bypos_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        t->order[i] = i;
    for (size_t i = 1; i < t->n; i++) {
        size_t x = t->order[i];
        uint32_t px = lzs_tokens_get(t->toks, x)->pos;
        size_t k = i;
        while (k > 0 && lzs_tokens_get(t->toks, t->order[k - 1])->pos > px) {
            t->order[k] = t->order[k - 1];
            k--;
        }
        t->order[k] = x;
    }
}

/* 1 when a token at position pos is folded as word. */
static int has_at(const bypos_t *t, uint32_t pos, const char *word)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lzs_tokens_get(t->toks, t->order[mid])->pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < t->n; lo++) {
        const lzs_token_t *tok = lzs_tokens_get(t->toks, t->order[lo]);
        if (tok->pos != pos)
            return 0;
        if (strcmp(tok->folded, word) == 0)
            return 1;
    }
    return 0;
}

/* Whether phrase ph begins at token tok: each next word at the next position. */
static int phrase_at(const bypos_t *t, const phrase_t *ph, const lzs_token_t *tok)
{
    for (size_t j = 1; j < ph->nwords; j++)
        if (!has_at(t, tok->pos + (uint32_t)j, ph->words[j]))
            return 0;
    return 1;
}

lzs_status_t lzs_phrases_add_terms(const lzs_phrases_t *p, const lzs_tokens_t *toks, lzs_xdoc_t *xd)
{
    if (!p || p->n == 0)
        return LZS_OK;
    bypos_t t = {toks, NULL, lzs_tokens_count(toks)};
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < t.n && st == LZS_OK; i++) {
        const lzs_token_t *tok = lzs_tokens_get(toks, i);
        size_t f = first_with(p, tok->folded);
        if (f == p->n || tok->pos == 0)
            continue;
        if (!t.order) {
            t.order = malloc(t.n * sizeof *t.order);
            if (!t.order)
                return LZS_ERR_NOMEM;
            sort_by_pos(&t);
        }
        for (; f < p->n && st == LZS_OK; f++) {
            const phrase_t *ph = &p->v[f];
            if (strcmp(ph->words[0], tok->folded) != 0)
                break;
            if (!phrase_at(&t, ph, tok))
                continue;
            char term[LZS_XDB_MAX_TERM + 1];
            snprintf(term, sizeof term, "%s%s", LZS_PFX_PHRASE, ph->key);
            st = lzs_xdoc_add_boolean_term(xd, term);
        }
    }
    free(t.order);
    return st;
}
