/* compile_runs.c — runs of consecutive words looked up in the index's synonym table
 * (longest run first), Party names and the thesaurus, their alternatives added to the same
 * OP_SYNONYM, multi-word ones as phrases.
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

/* Folded key of a word for the synonym table, as the indexer writes it (NULL when out of
 * memory). Caller frees with free(). */
static char *word_key(lzs_build_t *b, const char *text)
{
    char *key = NULL;
    return lzs_text_phrase_key(b->s->text, text, strlen(text), &key) == LZS_OK ? key : NULL;
}

/* An alternative of a run of words (a synonym, a thesaurus term, a Party's other name):
 * the query of its text, as a word with its inflections or as a phrase, pushed on alts,
 * unless its key is in seen (then nothing is done and *added is 0). */
static lzs_status_t add_alternative(lzs_build_t *b, const char *text, size_t len, lzs_sset_t *seen,
                                    lzs_qvec_t *alts, int *added)
{
    *added = 0;
    char *key = NULL;
    lzs_status_t st = lzs_text_phrase_key(b->s->text, text, len, &key);
    if (st != LZS_OK)
        return st;
    if (!*key || lzs_sset_has(seen, key, strlen(key))) {
        free(key);
        return LZS_OK;
    }
    st = lzs_sset_add(seen, key, strlen(key));
    free(key);
    if (st != LZS_OK)
        return st;
    char *shown = strndup(text, len);
    if (!shown)
        return LZS_ERR_NOMEM;
    b->alt = 1;
    b->alt_text = shown;
    lzs_xquery_t *q = NULL;
    lzs_tokens_t *toks = NULL;
    st = lzs_text_tokenize(b->s->text, text, len, &toks);
    /* a one-word alternative also matches its inflections */
    if (st == LZS_OK && lzs_tokens_count(toks) == 1)
        st = lzs_compile_word_forms(b, lzs_tokens_get(toks, 0), 1, &q);
    else if (st == LZS_OK)
        st = lzs_compile_phrase_query(b, text, len, &q);
    lzs_tokens_destroy(toks);
    b->alt = 0;
    b->alt_text = NULL;
    free(shown);
    if (st == LZS_OK && q) {
        st = lzs_qvec_push(alts, q);
        *added = st == LZS_OK;
    }
    return st;
}

typedef struct {
    lzs_build_t *b;
    lzs_qvec_t *alts;
    lzs_sset_t *seen;
    lzs_status_t st;
} syn_ud_t;

static int syn_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)freq;
    syn_ud_t *u = ud;
    int added = 0;
    u->st = add_alternative(u->b, term, termlen, u->seen, u->alts, &added);
    if (u->st == LZS_OK && added) {
        char *t = strndup(term, termlen);
        u->st =
            t ? lzs_strlist_push_unique(&u->b->rd->terms[u->b->term].synonyms, t) : LZS_ERR_NOMEM;
        free(t);
    }
    return u->st != LZS_OK;
}

/* What a run of words of the query is, as a whole: a key of the synonym table, a term of
 * the thesaurus (thes_n of them from s->thes[thes_first]), a Party's name (party). */
typedef struct {
    size_t nwords;
    int syn;
    size_t thes_first, thes_n;
    const char *party;
} run_t;

/* The text of the query from word kids[i] to word kids[j - 1]. */
static void run_span(const lzs_build_t *b, lzs_qnode_t *const *kids, size_t i, size_t j,
                     size_t *start, size_t *len)
{
    *start = (size_t)kids[i]->pos;
    *len = (size_t)(kids[j - 1]->pos + kids[j - 1]->len) - *start;
    (void)b;
}

/* The longest run of words from kids[i] that is something as a whole; nwords 0 when
 * none is. keys are the words' keys; *key gets the run's (caller frees). */
static lzs_status_t match_run(lzs_build_t *b, lzs_qnode_t *const *kids, size_t nk, size_t i,
                              char *const *keys, run_t *m, char **key)
{
    memset(m, 0, sizeof *m);
    *key = NULL;
    size_t maxk = b->s->syn_max_words;
    if (b->s->thes_max_words > maxk)
        maxk = b->s->thes_max_words;
    size_t pmax = lzs_extract_party_name_max_words(b->s->ex);
    if (pmax > maxk)
        maxk = pmax;
    /* the longest run tried: a title of an article of the Convention, typed whole */
    if (maxk > 24)
        maxk = 24;
    if (maxk == 0)
        maxk = 1;
    for (size_t k = (nk - i < maxk ? nk - i : maxk); k >= 1; k--) {
        size_t total = 1;
        for (size_t x = i; x < i + k; x++)
            total += strlen(keys[x]) + 1;
        char *cand = malloc(total);
        if (!cand)
            return LZS_ERR_NOMEM;
        size_t off = 0;
        for (size_t x = i; x < i + k; x++) {
            if (off && keys[x][0])
                cand[off++] = ' ';
            size_t l = strlen(keys[x]);
            memcpy(cand + off, keys[x], l);
            off += l;
        }
        cand[off] = '\0';
        run_t r = {0};
        r.nwords = k;
        if (off) {
            r.syn = k <= b->s->syn_max_words && lzs_sset_has(&b->s->syn_keys, cand, off);
            r.thes_n = lzs_thes_find(b->s, cand, &r.thes_first);
        }
        if (k <= pmax) {
            size_t start, len;
            run_span(b, kids, i, i + k, &start, &len);
            r.party = lzs_extract_party_by_name(b->s->ex, b->q + start, len);
        }
        if (r.syn || r.thes_n || r.party) {
            *m = r;
            *key = cand;
            return LZS_OK;
        }
        free(cand);
    }
    return LZS_OK;
}

/* The alternatives of a run that names a Party: its other names, and the passages that the
 * indexer found naming it (the XP: term, which also holds the references back to it). */
static lzs_status_t party_alternatives(lzs_build_t *b, const char *code, lzs_sset_t *seen,
                                       lzs_qvec_t *alts)
{
    lzs_rterm_t *t = &b->rd->terms[b->term];
    const lzs_extractor_t *ex = b->s->ex;
    snprintf(t->party, sizeof t->party, "%s", code);
    const char *english = lzs_extract_party_name(ex, code);
    free(t->party_name);
    t->party_name = english ? strdup(english) : NULL;
    if (english && !t->party_name)
        return LZS_ERR_NOMEM;
    const char *names[64];
    size_t n = lzs_extract_party_names(ex, code, names, 64);
    if (n > 64)
        n = 64;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        int added = 0;
        st = add_alternative(b, names[i], strlen(names[i]), seen, alts, &added);
        if (st == LZS_OK && added)
            st = lzs_strlist_push_unique(&t->names, names[i]);
    }
    char term[16];
    snprintf(term, sizeof term, "%s%s", LZS_PFX_PARTY, code);
    lzs_xquery_t *q = NULL;
    if (st == LZS_OK) {
        b->alt = 1;
        b->alt_text = english ? english : code;
        st = lzs_compile_note_xterm(b, "", term, english ? english : code);
        b->alt = 0;
        b->alt_text = NULL;
    }
    if (st == LZS_OK)
        st = lzs_xquery_term(term, 1, 0, &q);
    if (st == LZS_OK)
        st = lzs_qvec_push(alts, q);
    return st;
}

/* The alternatives of a run that is a term of the thesaurus: the other terms of its
 * concepts, in every language. */
static lzs_status_t thesaurus_alternatives(lzs_build_t *b, const run_t *m, lzs_sset_t *seen,
                                           lzs_qvec_t *alts)
{
    lzs_rterm_t *t = &b->rd->terms[b->term];
    const lzs_extractor_t *ex = b->s->ex;
    lzs_status_t st = LZS_OK;
    for (size_t e = m->thes_first; e < m->thes_first + m->thes_n && st == LZS_OK; e++) {
        const lzs_thes_entry_t *te = &b->s->thes[e];
        const char *lang = NULL;
        lzs_extract_concept_term(ex, te->concept, te->term, &lang);
        st = lzs_strlist_push_unique(&t->own_langs, lang ? lang : "");
    }
    for (size_t e = m->thes_first; e < m->thes_first + m->thes_n && st == LZS_OK; e++) {
        size_t c = b->s->thes[e].concept;
        for (size_t i = 0; i < lzs_extract_concept_size(ex, c) && st == LZS_OK; i++) {
            const char *lang = NULL;
            const char *text = lzs_extract_concept_term(ex, c, i, &lang);
            int added = 0;
            st = add_alternative(b, text, strlen(text), seen, alts, &added);
            if (st == LZS_OK && added) {
                st = lzs_strlist_push(&t->alts, text);
                if (st == LZS_OK)
                    st = lzs_strlist_push(&t->alt_langs, lang);
            }
        }
    }
    return st;
}

/* The n words of a run as typed keep the meaning they have alone: all of them, anywhere in
 * the passage. Pushed on alts beside the run as a phrase, so a passage holding them together
 * weighs more, and shown in explain as each word (never as forms of the run). */
static lzs_status_t run_words_anywhere(lzs_build_t *b, lzs_qnode_t *const *kids, size_t n,
                                       lzs_qvec_t *alts)
{
    lzs_qvec_t words = {0};
    lzs_status_t st = LZS_OK;
    for (size_t x = 0; x < n && st == LZS_OK; x++) {
        lzs_built_t one = {0};
        b->alt = 1;
        b->alt_text = kids[x]->text;
        st = lzs_compile_word_unit(b, kids[x], 0, &one);
        if (st == LZS_OK)
            st = lzs_qvec_push(&words, one.q);
        else
            lzs_xquery_destroy(one.q);
    }
    b->alt = 0;
    b->alt_text = NULL;
    lzs_xquery_t *all = NULL;
    if (st != LZS_OK) {
        lzs_qvec_free(&words);
        return st;
    }
    st = lzs_qvec_combine(&words, LZS_XQ_AND, 0, &all);
    if (st == LZS_OK)
        st = lzs_qvec_push(alts, all);
    return st;
}

/* One run of words read as a whole: the words as typed (the word; a run as a phrase and as
 * its words anywhere) and every alternative, as one OP_SYNONYM: they weigh as one term. */
static lzs_status_t build_run(lzs_build_t *b, lzs_qnode_t *const *kids, size_t i, const run_t *m,
                              const char *key, lzs_qvec_t *w)
{
    size_t start, len;
    run_span(b, kids, i, i + m->nwords, &start, &len);
    lzs_status_t st =
        lzs_compile_begin_term(b, m->nwords == 1 ? "word" : "words", b->q + start, len, 0);
    lzs_qvec_t alts = {0};
    lzs_sset_t seen = {0};
    lzs_xquery_t *orig = NULL;
    if (st == LZS_OK)
        st = lzs_sset_add(&seen, key, strlen(key));
    if (st == LZS_OK && m->nwords == 1) {
        /* a word the thesaurus or the gazetteer knows is no misspelling */
        lzs_built_t one = {0};
        st = lzs_compile_word_unit(b, kids[i], !m->thes_n && !m->party, &one);
        orig = one.q;
    } else if (st == LZS_OK) {
        st = lzs_compile_phrase_query(b, b->q + start, len, &orig);
    }
    if (st == LZS_OK)
        st = lzs_qvec_push(&alts, orig);
    if (st == LZS_OK && m->nwords > 1)
        st = run_words_anywhere(b, kids + i, m->nwords, &alts);
    /* the thesaurus first: a term it shares with the synonym table is shown as the
     * thesaurus writes it, with its language */
    if (st == LZS_OK && m->thes_n)
        st = thesaurus_alternatives(b, m, &seen, &alts);
    if (st == LZS_OK && m->syn) {
        syn_ud_t u = {b, &alts, &seen, LZS_OK};
        lzs_status_t xs = lzs_xdb_synonyms(b->s->db, key, syn_cb, &u);
        st = u.st != LZS_OK ? u.st : xs;
    }
    if (st == LZS_OK && m->party)
        st = party_alternatives(b, m->party, &seen, &alts);
    lzs_sset_clear(&seen);
    lzs_compile_end_term(b);
    lzs_xquery_t *q = NULL;
    if (st == LZS_OK)
        st = lzs_qvec_combine(&alts, LZS_XQ_SYNONYM, 0, &q);
    else
        lzs_qvec_free(&alts);
    if (st == LZS_OK)
        st = lzs_qvec_push(w, q);
    return st;
}

/* Words kids[0..nk) of an AND: the longest runs that are something as a whole (a synonym, a
 * thesaurus term, a Party's name) with their alternatives, the other words alone. Results
 * are pushed on w. */
lzs_status_t lzs_compile_build_word_run(lzs_build_t *b, lzs_qnode_t *const *kids, size_t nk,
                                        lzs_qvec_t *w)
{
    lzs_status_t st = LZS_OK;
    char **keys = calloc(nk, sizeof *keys);
    if (!keys)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < nk; i++) {
        keys[i] = word_key(b, kids[i]->text);
        if (!keys[i]) {
            st = LZS_ERR_NOMEM;
            goto done;
        }
    }
    size_t i = 0;
    while (i < nk && st == LZS_OK) {
        run_t m;
        char *key = NULL;
        st = match_run(b, kids, nk, i, keys, &m, &key);
        if (st != LZS_OK)
            break;
        if (m.nwords == 0) {
            lzs_built_t one = {0};
            st = lzs_compile_build_word(b, kids[i], 0, &one);
            if (st == LZS_OK)
                st = lzs_qvec_push(w, one.q);
            i++;
            continue;
        }
        st = build_run(b, kids, i, &m, key, w);
        free(key);
        i += m.nwords;
    }
done:
    for (size_t x = 0; x < nk; x++)
        free(keys[x]);
    free(keys);
    return st;
}
