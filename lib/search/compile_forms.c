/* compile_forms.c — the forms of a word: a word becomes OP_SYNONYM of its stems ("Z" + stem)
 * in every language of the index (or of the language filter), plus the accent-folded form
 * when some language has no stemmer: the forms of one word weigh as one term, so a word found
 * in two languages does not outscore a word found twice. Phrases and hyphenated words
 * ("co-operation" finds "cooperation" and "co-operation"); codes ("V-17", "T-ES(2021)31") as whole
 * terms.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/schema.h"

/* The forms of one normalized token: its stems in each language (of the word and, when it
 * has accents, of its folded form: the index has both), and the folded form when needed.
 * mark: record them for snippets. */
lzs_status_t lzs_compile_word_forms(lzs_build_t *b, const lzs_token_t *tok, int mark,
                                    lzs_xquery_t **out)
{
    lzs_qvec_t forms = {0};
    lzs_status_t st = lzs_compile_note_form(b, tok->folded);
    lzs_xquery_t *q = NULL;
    int stemmed = 0;
    char seen[2 * LZS_SEARCH_MAX_LANGS][LZS_XDB_MAX_TERM];
    size_t nseen = 0;
    const char *bases[2] = {tok->norm, strcmp(tok->norm, tok->folded) != 0 ? tok->folded : NULL};
    for (size_t i = 0; (tok->flags & LZS_TOK_ALPHA) && i < b->nlangs && st == LZS_OK; i++) {
        for (int k = 0; k < 2 && st == LZS_OK; k++) {
            const char *stem = NULL;
            if (bases[k] == NULL)
                continue;
            lzs_status_t sst = lzs_text_stem(b->s->text, b->langs[i], bases[k], &stem);
            if (sst != LZS_OK && sst != LZS_ERR_NOT_FOUND) {
                st = sst; /* out of memory: never a query missing a form */
                break;
            }
            if (sst != LZS_OK || !stem || !*stem)
                continue;
            stemmed = 1;
            if (mark) {
                char key[LZS_XDB_MAX_TERM + 16];
                int n = snprintf(key, sizeof key, "%s:%s", b->langs[i], stem);
                if (n > 0 && (size_t)n < sizeof key)
                    st = lzs_sset_add(&b->c->marks.stems, key, (size_t)n);
                if (st != LZS_OK)
                    break;
            }
            /* two languages may share a stem: one term is enough */
            int dup = 0;
            for (size_t x = 0; x < nseen && !dup; x++)
                dup = strcmp(seen[x], stem) == 0;
            if (dup)
                continue;
            if (nseen < sizeof seen / sizeof seen[0] && strlen(stem) < sizeof seen[0])
                strcpy(seen[nseen++], stem);
            /* what read_as and explain show: the stem as a stem ("groom…"), unless it is
             * the word itself */
            char shown[LZS_XDB_MAX_TERM + 8];
            snprintf(shown, sizeof shown, "%s%s", stem,
                     strcmp(stem, tok->folded) != 0 ? "\xE2\x80\xA6" : "");
            st = lzs_compile_note_form(b, shown);
            if (st == LZS_OK)
                st = lzs_compile_note_xterm(b, LZS_PFX_STEM, stem, shown);
            /* A form too long (or empty) to be a term is in no index either: left out. */
            if (st == LZS_OK)
                st = lzs_compile_xq_term(LZS_PFX_STEM, stem, &q);
            if (st == LZS_OK)
                st = lzs_qvec_push(&forms, q);
            else if (st == LZS_ERR_LIMIT || st == LZS_ERR_INVALID)
                st = LZS_OK;
        }
    }
    if (st == LZS_OK && (!stemmed || b->need_folded)) {
        st = lzs_compile_note_xterm(b, "", tok->folded, tok->folded);
        if (st == LZS_OK)
            st = lzs_compile_xq_term("", tok->folded, &q);
        if (st == LZS_OK)
            st = lzs_qvec_push(&forms, q);
        else if (st == LZS_ERR_LIMIT || st == LZS_ERR_INVALID)
            st = LZS_OK;
    }
    if (st == LZS_OK && mark)
        st = lzs_sset_add(&b->c->marks.words, tok->folded, strlen(tok->folded));
    if (st != LZS_OK) {
        lzs_qvec_free(&forms);
        return st;
    }
    return lzs_qvec_combine(&forms, LZS_XQ_SYNONYM, 0, out);
}

/* Primary tokens of a token list: codes and joined hyphenated words stand for the parts
 * inside them; the parts are skipped. covered[i] is set for skipped tokens. */
int *lzs_compile_primary_mask(const lzs_tokens_t *toks)
{
    size_t n = lzs_tokens_count(toks);
    int *covered = calloc(n ? n : 1, sizeof *covered);
    if (!covered)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        if (!(t->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)))
            continue;
        for (size_t k = 0; k < n; k++) {
            const lzs_token_t *u = lzs_tokens_get(toks, k);
            if (k == i)
                continue;
            /* a token inside a code or a joined word (a code never hides inside a joined
               word of the same extent) */
            if (u->start >= t->start && u->end <= t->end &&
                !(u->start == t->start && u->end == t->end && (u->flags & LZS_TOK_CODE)))
                covered[k] = 1;
        }
    }
    return covered;
}

/* The phrase term (lzs/schema.h, LZS_PFX_PHRASE) of the phrase of words[0..n) as a query
 * when every passage of the index has it (s->phrase_keys), else *out NULL: the phrase is
 * then found by its positions. */
static lzs_status_t phrase_term_query(const lzs_searcher_t *s, const char *const *words, size_t n,
                                      lzs_xquery_t **out)
{
    *out = NULL;
    char term[LZS_XDB_MAX_TERM + 1];
    size_t off = strlen(LZS_PFX_PHRASE);
    memcpy(term, LZS_PFX_PHRASE, off);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(words[i]);
        if (off + l + (i > 0) > LZS_XDB_MAX_TERM)
            return LZS_OK; /* longer than any phrase term */
        if (i > 0)
            term[off++] = ' ';
        memcpy(term + off, words[i], l);
        off += l;
    }
    term[off] = '\0';
    size_t pfx = strlen(LZS_PFX_PHRASE);
    if (!lzs_sset_has(&s->phrase_keys, term + pfx, off - pfx))
        return LZS_OK;
    return lzs_xquery_term(term, 1, 0, out);
}

/* A phrase over a token sequence (terms folded). With use_joined, a hyphenated word counts
 * as its joined form; otherwise as its parts. Codes always count as their parts (which is
 * how they are positioned in the index). NULL *out when no terms. all_out (may be NULL)
 * gets the AND of the same terms when there are several, else NULL: caller frees both;
 * without all_out a phrase of several terms counts in b->c->phrases. */
static lzs_status_t phrase_from_tokens(lzs_build_t *b, const lzs_tokens_t *toks, int use_joined,
                                       int mark, lzs_xquery_t **out, lzs_xquery_t **all_out)
{
    *out = NULL;
    if (all_out)
        *all_out = NULL;
    size_t n = lzs_tokens_count(toks);
    lzs_qvec_t terms = {0};
    char *marked = NULL;
    size_t mlen = 0;
    lzs_status_t st = LZS_OK;
    const char **xterms = calloc(n ? n : 1, sizeof *xterms);
    size_t nx = 0;
    if (!xterms)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        if (!lzs_tokens_phrase_term(toks, i, use_joined))
            continue;
        lzs_xquery_t *q = NULL;
        st = lzs_compile_xq_term("", t->folded, &q);
        if (st == LZS_ERR_LIMIT) {
            st = LZS_OK; /* an over-long token cannot be in the index either */
            continue;
        }
        if (st == LZS_OK)
            st = lzs_qvec_push(&terms, q);
        if (st == LZS_OK)
            xterms[nx++] = t->folded;
        if (st == LZS_OK && mark) {
            size_t l = strlen(t->folded);
            char *nm = realloc(marked, mlen + l + 2);
            if (!nm) {
                st = LZS_ERR_NOMEM;
                break;
            }
            marked = nm;
            if (mlen)
                marked[mlen++] = ' ';
            memcpy(marked + mlen, t->folded, l + 1);
            mlen += l;
        }
    }
    lzs_xquery_t *pq = NULL;
    if (st == LZS_OK && nx > 1)
        st = phrase_term_query(b->s, xterms, nx, &pq);
    if (st == LZS_OK && mark && marked) {
        if (terms.n == 1)
            st = lzs_sset_add(&b->c->marks.words, marked, mlen);
        else
            st = lzs_compile_marks_add_phrase(&b->c->marks, marked);
    }
    if (st == LZS_OK && marked)
        st = lzs_compile_note_form(b, marked);
    if (st == LZS_OK && marked)
        st = lzs_compile_note_xterms(b, marked, 1, xterms, nx);
    free(xterms);
    free(marked);
    /* all_out: the same terms anywhere (a phrase of several terms only). Without it, and
     * without a phrase term, the phrase is checked in every passage holding its terms:
     * lzs_compiled_t.phrases. */
    if (st == LZS_OK && all_out && terms.n > 1)
        st = lzs_xquery_combine(LZS_XQ_AND, terms.v, terms.n, 0, all_out);
    else if (terms.n > 1 && !pq)
        b->c->phrases++;
    if (st != LZS_OK) {
        lzs_qvec_free(&terms);
        lzs_xquery_destroy(pq);
        return st;
    }
    if (!pq)
        return lzs_qvec_combine(&terms, LZS_XQ_PHRASE, 0, out);
    /* The phrase term, without weight, says where the words stand together. A phrase
     * weighs as the AND of its words (Xapian), so a quoted one is that AND: no positions
     * read. In a synonym the phrase's own wdf and estimate count, so it stays a phrase,
     * its positions read in the passages holding it only. */
    lzs_xquery_t *all = NULL;
    st = lzs_qvec_combine(&terms, b->phrase_alone ? LZS_XQ_AND : LZS_XQ_PHRASE, 0, &all);
    if (st == LZS_OK) {
        lzs_xquery_t *two[2] = {all, pq};
        st = lzs_xquery_combine(LZS_XQ_FILTER, two, 2, 0, out);
    }
    lzs_xquery_destroy(all);
    lzs_xquery_destroy(pq);
    return st;
}

/* A quoted phrase, or a multi-word synonym: the phrase of its parts, OR the phrase with
 * hyphenated words joined. */
lzs_status_t lzs_compile_phrase_query(lzs_build_t *b, const char *text, size_t len,
                                      lzs_xquery_t **out)
{
    *out = NULL;
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, text, len, &toks);
    if (st != LZS_OK)
        return st;
    lzs_qvec_t alts = {0};
    lzs_xquery_t *q = NULL;
    st = phrase_from_tokens(b, toks, 0, 1, &q, NULL);
    if (st == LZS_OK)
        st = lzs_qvec_push(&alts, q);
    if (st == LZS_OK && lzs_tokens_have_joined(toks)) {
        st = phrase_from_tokens(b, toks, 1, 1, &q, NULL);
        if (st == LZS_OK)
            st = lzs_qvec_push(&alts, q);
    }
    lzs_tokens_destroy(toks);
    if (st != LZS_OK) {
        lzs_qvec_free(&alts);
        return st;
    }
    return lzs_qvec_combine(&alts, LZS_XQ_OR, 0, out);
}

/* The hyphenated word text[0..len) written apart ("co operation"), in the passages that
 * do not hold the word's forms `forms` (lzs_compile_word_forms of its joined token): the
 * phrase of its parts, AND-ed with (its parts AND NOT forms). It adds to forms exactly what
 * the phrase adds, but Xapian checks a phrase under AND after the other parts, so positions
 * are read only in the passages without the joined word: a passage that says "co-operation"
 * holds the parts too and the joined form at the first part's position, and was read for
 * positions in vain ("co-operation" at 212,937 passages: 24,335 phrase checks, none adding
 * a match). The joined form is not added either: forms holds it, as its stems in every
 * language of the index or as the folded form itself. *out NULL when the word has fewer
 * than two parts to put in a phrase. */
static lzs_status_t apart_query(lzs_build_t *b, const char *text, size_t len,
                                const lzs_xquery_t *forms, lzs_xquery_t **out)
{
    *out = NULL;
    lzs_tokens_t *toks = NULL;
    lzs_xquery_t *phrase = NULL, *parts = NULL, *cand = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, text, len, &toks);
    if (st != LZS_OK)
        return st;
    st = phrase_from_tokens(b, toks, 0, 1, &phrase, &parts);
    lzs_tokens_destroy(toks);
    if (st == LZS_OK && phrase && parts) {
        const lzs_xquery_t *not[2] = {parts, forms};
        st = lzs_xquery_combine(LZS_XQ_AND_NOT, (lzs_xquery_t *const *)not, 2, 0, &cand);
    }
    if (st == LZS_OK && cand) {
        lzs_xquery_t *both[2] = {cand, phrase};
        st = lzs_xquery_combine(LZS_XQ_AND, both, 2, 0, out);
    }
    lzs_xquery_destroy(cand);
    lzs_xquery_destroy(parts);
    lzs_xquery_destroy(phrase);
    return st;
}

/* One whitespace-delimited word of the query (it may hold several tokens: "co-operation",
 * "l'article", "T-ES(2021)31"). *single gets the token when the word is one plain token
 * (for the spelling check), borrowed from *toks_out which the caller destroys. */
lzs_status_t lzs_compile_word_query(lzs_build_t *b, const char *text, lzs_xquery_t **out,
                                    lzs_tokens_t **toks_out, const lzs_token_t **single)
{
    *out = NULL;
    *single = NULL;
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, text, strlen(text), &toks);
    if (st != LZS_OK)
        return st;
    int *covered = lzs_compile_primary_mask(toks);
    if (!covered) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    size_t n = lzs_tokens_count(toks);
    lzs_qvec_t units = {0};
    size_t nprimary = 0;
    const lzs_token_t *last = NULL;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        if (covered[i])
            continue;
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        lzs_xquery_t *q = NULL;
        nprimary++;
        last = t;
        if (t->flags & LZS_TOK_CODE) {
            st = lzs_compile_xq_term("", t->folded, &q);
            if (st == LZS_OK)
                st = lzs_sset_add(&b->c->marks.words, t->folded, strlen(t->folded));
            if (st == LZS_OK)
                st = lzs_compile_note_form(b, t->folded);
            if (st == LZS_OK)
                st = lzs_compile_note_xterm(b, "", t->folded, t->folded);
        } else if (t->flags & LZS_TOK_JOINED) {
            /* the joined form with its stems, or the words written apart */
            lzs_qvec_t alts = {0};
            st = lzs_compile_word_forms(b, t, 1, &q);
            if (st == LZS_OK)
                st = lzs_qvec_push(&alts, q);
            if (st == LZS_OK && q) {
                size_t a = t->start, e = t->end;
                st = apart_query(b, text + a, e - a, q, &q);
                if (st == LZS_OK)
                    st = lzs_qvec_push(&alts, q);
            }
            q = NULL;
            if (st == LZS_OK)
                st = lzs_qvec_combine(&alts, LZS_XQ_SYNONYM, 0, &q);
            else
                lzs_qvec_free(&alts);
        } else {
            st = lzs_compile_word_forms(b, t, 1, &q);
        }
        if (st == LZS_ERR_LIMIT) {
            st = LZS_OK;
            continue;
        }
        if (st == LZS_OK)
            st = lzs_qvec_push(&units, q);
    }
    free(covered);
    if (st != LZS_OK) {
        lzs_qvec_free(&units);
        lzs_tokens_destroy(toks);
        return st;
    }
    if (nprimary == 1 && last && !(last->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)) &&
        (last->flags & LZS_TOK_ALPHA))
        *single = last;
    *toks_out = toks;
    return lzs_qvec_combine(&units, LZS_XQ_AND, 0, out);
}
