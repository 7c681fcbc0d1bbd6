/* compile_tree.c — the walk over the query's syntax tree: words, AND, OR, NOT, phrases,
 * prefixes and fields, each node built into a Xapian query.
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

/* ---- the syntax tree --------------------------------------------------------------- */

static lzs_status_t add_respell(lzs_build_t *b, const lzs_qnode_t *n, const lzs_token_t *tok)
{
    /* a word is unknown when neither its folded form nor any of its stems index anything */
    uint32_t tf = 0;
    if (lzs_xdb_termfreq(b->s->db, tok->folded, &tf) == LZS_OK && tf > 0)
        return LZS_OK;
    for (size_t i = 0; i < b->nlangs; i++) {
        const char *stem = NULL;
        char term[LZS_XDB_MAX_TERM + 8];
        if (lzs_text_stem(b->s->text, b->langs[i], tok->norm, &stem) != LZS_OK || !stem)
            continue;
        snprintf(term, sizeof term, "%s%s", LZS_PFX_STEM, stem);
        if (lzs_xdb_termfreq(b->s->db, term, &tf) == LZS_OK && tf > 0)
            return LZS_OK;
    }
    char *sugg = NULL;
    if (lzs_xdb_spelling_suggestion(b->s->db, tok->folded, 2, &sugg) != LZS_OK || !sugg)
        return LZS_OK;
    lzs_respell_t *nr = realloc(b->c->respell, (b->c->nrespell + 1) * sizeof *nr);
    if (!nr) {
        free(sugg);
        return LZS_ERR_NOMEM;
    }
    b->c->respell = nr;
    nr[b->c->nrespell].pos = (size_t)n->pos;
    nr[b->c->nrespell].len = (size_t)n->len;
    nr[b->c->nrespell].replacement = sugg;
    b->c->nrespell++;
    return LZS_OK;
}

/* The query of one word as typed, with the spelling check when respell is set; no
 * read_as term of its own. */
lzs_status_t lzs_compile_word_unit(lzs_build_t *b, const lzs_qnode_t *n, int respell,
                                   lzs_built_t *out)
{
    lzs_tokens_t *toks = NULL;
    const lzs_token_t *single = NULL;
    lzs_status_t st = lzs_compile_word_query(b, n->text, &out->q, &toks, &single);
    if (st == LZS_OK && single && respell)
        st = add_respell(b, n, single);
    lzs_tokens_destroy(toks);
    out->weighted = out->q != NULL;
    return st;
}

/* Starts a read_as term for len bytes of the query at text; the forms built next belong to
 * it. */
lzs_status_t lzs_compile_begin_term(lzs_build_t *b, const char *kind, const char *text, size_t len,
                                    int negated)
{
    size_t index = 0;
    lzs_status_t st = lzs_reading_term(b->rd, kind, text, len, negated, &index);
    b->term = st == LZS_OK ? (long)index : -1;
    b->alt = 0;
    b->alt_text = NULL;
    return st;
}

void lzs_compile_end_term(lzs_build_t *b)
{
    b->term = -1;
    b->alt = 0;
    b->alt_text = NULL;
}

lzs_status_t lzs_compile_build_word(lzs_build_t *b, const lzs_qnode_t *n, int negated,
                                    lzs_built_t *out)
{
    lzs_status_t st = lzs_compile_begin_term(b, "word", n->text, strlen(n->text), negated);
    if (st == LZS_OK)
        st = lzs_compile_word_unit(b, n, !negated, out);
    lzs_compile_end_term(b);
    return st;
}

static lzs_status_t build_and(lzs_build_t *b, const lzs_qnode_t *n, int negated, lzs_built_t *out)
{
    lzs_qvec_t w = {0}, f = {0}, neg = {0};
    lzs_status_t st = LZS_OK;
    size_t i = 0;
    while (i < n->nkids && st == LZS_OK) {
        const lzs_qnode_t *k = n->kids[i];
        if (k->kind == LZS_QN_WORD && !negated) {
            size_t j = i;
            while (j < n->nkids && n->kids[j]->kind == LZS_QN_WORD)
                j++;
            st = lzs_compile_build_word_run(b, n->kids + i, j - i, &w);
            i = j;
            continue;
        }
        lzs_built_t r = {0};
        if (k->kind == LZS_QN_NOT) {
            st = lzs_compile_build_node(b, k->kids[0], !negated, &r);
            if (st == LZS_OK)
                st = lzs_qvec_push(&neg, r.q);
        } else {
            st = lzs_compile_build_node(b, k, negated, &r);
            if (st == LZS_OK)
                st = lzs_qvec_push(r.weighted ? &w : &f, r.q);
        }
        i++;
    }
    lzs_xquery_t *base = NULL, *filt = NULL, *negq = NULL;
    out->weighted = w.n > 0;
    if (st == LZS_OK)
        st = lzs_qvec_combine(&w, LZS_XQ_AND, 0, &base);
    if (st == LZS_OK)
        st = lzs_qvec_combine(&f, LZS_XQ_AND, 0, &filt);
    if (st == LZS_OK)
        st = lzs_qvec_combine(&neg, LZS_XQ_OR, 0, &negq);
    lzs_qvec_free(&w);
    lzs_qvec_free(&f);
    lzs_qvec_free(&neg);
    if (st == LZS_OK && base && filt) {
        lzs_xquery_t *pair[2] = {base, filt};
        lzs_xquery_t *q = NULL;
        st = lzs_xquery_combine(LZS_XQ_FILTER, pair, 2, 0, &q);
        lzs_xquery_destroy(base);
        lzs_xquery_destroy(filt);
        base = q;
        filt = NULL;
    } else if (!base) {
        base = filt;
        filt = NULL;
    }
    if (st == LZS_OK && negq) {
        if (!base)
            st = lzs_xquery_match_all(&base);
        if (st == LZS_OK) {
            lzs_xquery_t *pair[2] = {base, negq};
            lzs_xquery_t *q = NULL;
            st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &q);
            lzs_xquery_destroy(base);
            base = q;
        }
    }
    lzs_xquery_destroy(negq);
    lzs_xquery_destroy(filt);
    if (st != LZS_OK) {
        lzs_xquery_destroy(base);
        base = NULL;
    }
    out->q = base;
    return st;
}

static lzs_status_t build_or(lzs_build_t *b, const lzs_qnode_t *n, int negated, lzs_built_t *out)
{
    lzs_built_t *parts = calloc(n->nkids, sizeof *parts);
    if (!parts)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    int any_weighted = 0;
    /* The list reads each alternative's postings (a NOT's: what it leaves out), however
     * it is combined with the rest of the query. */
    int counted = b->in_costly == 0;
    uint64_t postings = 0;
    b->in_costly++;
    for (size_t i = 0; i < n->nkids && st == LZS_OK; i++) {
        const lzs_qnode_t *k = n->kids[i];
        if (k->kind == LZS_QN_NOT) {
            /* "a OR NOT b": everything but b, weighing nothing */
            lzs_built_t r = {0};
            st = lzs_compile_build_node(b, k->kids[0], !negated, &r);
            if (st == LZS_OK)
                st = lzs_compile_part_postings(b, r.q, &postings);
            if (st == LZS_OK && r.q) {
                lzs_xquery_t *all = NULL;
                st = lzs_xquery_match_all(&all);
                if (st == LZS_OK) {
                    lzs_xquery_t *pair[2] = {all, r.q};
                    st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &parts[i].q);
                }
                lzs_xquery_destroy(all);
                lzs_xquery_destroy(r.q);
            }
        } else {
            st = lzs_compile_build_node(b, k, negated, &parts[i]);
            if (st == LZS_OK)
                st = lzs_compile_part_postings(b, parts[i].q, &postings);
        }
        if (parts[i].weighted)
            any_weighted = 1;
    }
    b->in_costly--;
    if (st == LZS_OK && counted)
        lzs_compile_count_costly(b, n->pos, postings, n->nkids, 1, NULL);
    lzs_qvec_t subs = {0};
    for (size_t i = 0; i < n->nkids; i++) {
        lzs_xquery_t *q = parts[i].q;
        if (st == LZS_OK && q && any_weighted && !parts[i].weighted) {
            lzs_xquery_t *scaled = NULL;
            st = lzs_xquery_scale(q, 0.0, &scaled);
            lzs_xquery_destroy(q);
            q = scaled;
        }
        if (st == LZS_OK)
            st = lzs_qvec_push(&subs, q);
        else
            lzs_xquery_destroy(q);
    }
    free(parts);
    out->weighted = any_weighted;
    if (st != LZS_OK) {
        lzs_qvec_free(&subs);
        return st;
    }
    return lzs_qvec_combine(&subs, LZS_XQ_OR, 0, &out->q);
}

/* The terms a prefix expands to, as term queries (while within the limit), and how many
 * terms and postings they are in all. */
typedef struct {
    lzs_build_t *b;
    lzs_qvec_t terms;
    uint64_t nterms;
    uint64_t postings;
    lzs_status_t st;
} expand_ud_t;

static int expand_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)termlen;
    expand_ud_t *u = ud;
    u->nterms++;
    u->postings += freq;
    uint32_t max = u->b->s->max_expansion;
    /* Past the limit the query is refused: only the estimate is still wanted. */
    if (max != 0 && u->nterms > max)
        return 0;
    lzs_xquery_t *q = NULL;
    u->st = lzs_xquery_term(term, 1, 0, &q);
    if (u->st == LZS_OK)
        u->st = lzs_qvec_push(&u->terms, q);
    if (u->st == LZS_OK)
        u->st = lzs_compile_note_xterm(u->b, "", term, term);
    return u->st != LZS_OK;
}

static lzs_status_t build_prefix(lzs_build_t *b, const lzs_qnode_t *n, lzs_built_t *out)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, n->text, strlen(n->text), &toks);
    if (st != LZS_OK)
        return st;
    /* the prefix as the index has it: the last primary token ("co-op*" -> "coop") */
    int *covered = lzs_compile_primary_mask(toks);
    if (!covered) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    const char *prefix = NULL;
    for (size_t i = 0; i < lzs_tokens_count(toks); i++)
        if (!covered[i])
            prefix = lzs_tokens_get(toks, i)->folded;
    free(covered);
    if (!prefix || !*prefix) {
        lzs_tokens_destroy(toks);
        out->q = NULL;
        return LZS_OK;
    }
    /* Expanded here rather than by Xapian's wildcard operator (the same synonym of every
     * term with the prefix), so that the query's cost can be estimated term by term. */
    expand_ud_t eu = {0};
    eu.b = b;
    char shown[LZS_XDB_MAX_TERM + 8];
    snprintf(shown, sizeof shown, "%s*", prefix);
    st = lzs_compile_note_form(b, shown);
    if (st != LZS_OK) {
        lzs_tokens_destroy(toks);
        return st;
    }
    st = lzs_xdb_allterms(b->s->db, prefix, expand_cb, &eu);
    if (st == LZS_OK)
        st = eu.st;
    uint64_t max = b->s->max_expansion;
    if (st == LZS_OK) {
        b->wildcard_terms += eu.nterms;
        /* Inside an OR list the list counts the prefix's postings as its own. */
        if (b->in_costly == 0)
            lzs_compile_count_costly(b, n->pos, eu.postings, eu.nterms, 0, n->text);
    }
    uint64_t pending = b->in_costly > 0 ? eu.postings : 0;
    if (st == LZS_OK && max != 0 && eu.nterms > max) {
        st = lzs_compile_cost_fail(
            b, pending, n->pos,
            "the prefix '%.40s*' at position %d expands to %llu terms with about "
            "%llu postings (limit %llu terms): make it longer",
            n->text, n->pos, (unsigned long long)eu.nterms, (unsigned long long)eu.postings,
            (unsigned long long)max);
    } else if (st == LZS_OK && max != 0 && b->wildcard_terms > max) {
        /* The limit holds for the whole query too: sixty prefixes of 500 terms each would
         * make one query of 30,000 terms. */
        st = lzs_compile_cost_fail(
            b, pending, n->pos,
            "the prefixes of this query up to '%.40s*' at position %d expand to %llu "
            "terms together (limit %llu): use fewer or longer prefixes",
            n->text, n->pos, (unsigned long long)b->wildcard_terms, (unsigned long long)max);
    }
    if (st == LZS_OK)
        st = lzs_sset_add(&b->c->marks.prefixes, prefix, strlen(prefix));
    if (st == LZS_OK && eu.terms.n == 0)
        st = lzs_xquery_match_nothing(&out->q);
    else if (st == LZS_OK)
        st = lzs_qvec_combine(&eu.terms, LZS_XQ_SYNONYM, 0, &out->q);
    lzs_qvec_free(&eu.terms);
    lzs_tokens_destroy(toks);
    out->weighted = 1;
    return st;
}

lzs_status_t lzs_compile_build_node(lzs_build_t *b, const lzs_qnode_t *n, int negated,
                                    lzs_built_t *out)
{
    out->q = NULL;
    out->weighted = 0;
    switch (n->kind) {
    case LZS_QN_WORD: {
        if (negated)
            return lzs_compile_build_word(b, n, 1, out);
        lzs_qvec_t w = {0};
        lzs_qnode_t *const one[1] = {(lzs_qnode_t *)n};
        lzs_status_t st = lzs_compile_build_word_run(b, one, 1, &w);
        out->weighted = w.n > 0;
        if (st != LZS_OK) {
            lzs_qvec_free(&w);
            return st;
        }
        return lzs_qvec_combine(&w, LZS_XQ_AND, 0, &out->q);
    }
    case LZS_QN_PHRASE: {
        lzs_status_t st = lzs_compile_begin_term(b, "phrase", n->text, strlen(n->text), negated);
        b->phrase_alone = 1;
        if (st == LZS_OK)
            st = lzs_compile_phrase_query(b, n->text, strlen(n->text), &out->q);
        b->phrase_alone = 0;
        lzs_compile_end_term(b);
        out->weighted = out->q != NULL;
        return st;
    }
    case LZS_QN_PREFIX: {
        lzs_status_t st =
            lzs_compile_begin_term(b, "prefix", b->q + n->pos, (size_t)n->len, negated);
        if (st == LZS_OK)
            st = build_prefix(b, n, out);
        lzs_compile_end_term(b);
        return st;
    }
    case LZS_QN_FIELD: {
        lzs_status_t st =
            lzs_filter_query(b->s, (lzs_field_t)n->field, n->text, "q", n->pos, &out->q, b->err);
        if (st == LZS_OK)
            st = lzs_compile_read_filter(b->s, b->rd, (lzs_field_t)n->field, n->text, "q", negated);
        if (st != LZS_OK) {
            /* the filter's query is the caller's only when the whole node was built */
            lzs_xquery_destroy(out->q);
            out->q = NULL;
        }
        return st;
    }
    case LZS_QN_AND:
        return build_and(b, n, negated, out);
    case LZS_QN_OR:
        return build_or(b, n, negated, out);
    case LZS_QN_NOT: {
        lzs_built_t r = {0};
        lzs_status_t st = lzs_compile_build_node(b, n->kids[0], !negated, &r);
        if (st != LZS_OK || !r.q)
            return st;
        lzs_xquery_t *all = NULL;
        st = lzs_xquery_match_all(&all);
        if (st == LZS_OK) {
            lzs_xquery_t *pair[2] = {all, r.q};
            st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &out->q);
        }
        lzs_xquery_destroy(all);
        lzs_xquery_destroy(r.q);
        return st;
    }
    }
    return LZS_ERR_INTERNAL;
}
