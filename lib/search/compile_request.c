/* compile_request.c — from a request (query syntax tree plus structured filters) to one
 * Xapian query, and the list of forms snippets must mark: the steps of lzs_compile_request
 * and what the other compile_*.c files share (query vectors, the build context's notes).
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

lzs_status_t lzs_qvec_push(lzs_qvec_t *qv, lzs_xquery_t *q)
{
    if (!q)
        return LZS_OK;
    if (qv->n == qv->cap) {
        size_t ncap = qv->cap ? qv->cap * 2 : 8;
        lzs_xquery_t **nv = realloc(qv->v, ncap * sizeof *nv);
        if (!nv) {
            lzs_xquery_destroy(q);
            return LZS_ERR_NOMEM;
        }
        qv->v = nv;
        qv->cap = ncap;
    }
    qv->v[qv->n++] = q;
    return LZS_OK;
}

void lzs_qvec_free(lzs_qvec_t *qv)
{
    for (size_t i = 0; i < qv->n; i++)
        lzs_xquery_destroy(qv->v[i]);
    free(qv->v);
    qv->v = NULL;
    qv->n = qv->cap = 0;
}

/* Combines the queries of qv with op and empties qv (its queries are consumed either
 * way). One query is returned as is; none gives *out NULL. */
lzs_status_t lzs_qvec_combine(lzs_qvec_t *qv, lzs_xquery_op_t op, uint32_t window,
                              lzs_xquery_t **out)
{
    *out = NULL;
    lzs_status_t st = LZS_OK;
    if (qv->n == 1) {
        *out = qv->v[0];
        qv->n = 0;
    } else if (qv->n > 1) {
        st = lzs_xquery_combine(op, qv->v, qv->n, window, out);
    }
    lzs_qvec_free(qv);
    return st;
}

lzs_status_t lzs_compile_xq_term(const char *prefix, const char *term, lzs_xquery_t **out)
{
    char buf[LZS_XDB_MAX_TERM + 64];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, term);
    if (n < 0 || (size_t)n >= sizeof buf)
        return LZS_ERR_LIMIT;
    return lzs_xquery_term(buf, 1, 0, out);
}

/* ---- the build context --------------------------------------------------------------- */

/* Records a form of the term being built for read_as (the words as typed only). */
lzs_status_t lzs_compile_note_form(lzs_build_t *b, const char *form)
{
    if (b->term < 0 || b->alt || !*form)
        return LZS_OK;
    return lzs_strlist_push_unique(&b->rd->terms[b->term].forms, form);
}

/* Records Xapian terms of the term being built for explain, shown as display (or as the
 * alternative's text). */
lzs_status_t lzs_compile_note_xterms(lzs_build_t *b, const char *display, int all,
                                     const char *const *xterms, size_t n)
{
    if (b->term < 0 || !b->rd->explain || n == 0)
        return LZS_OK;
    return lzs_reading_alt(b->rd, (size_t)b->term, b->alt ? b->alt_text : display, all, xterms, n);
}

lzs_status_t lzs_compile_note_xterm(lzs_build_t *b, const char *prefix, const char *term,
                                    const char *display)
{
    if (b->term < 0 || !b->rd->explain)
        return LZS_OK;
    char buf[LZS_XDB_MAX_TERM + 64];
    snprintf(buf, sizeof buf, "%s%s", prefix, term);
    const char *one[1] = {buf};
    return lzs_compile_note_xterms(b, display, 0, one, 1);
}

lzs_status_t lzs_compile_marks_add_phrase(lzs_marks_t *m, const char *phrase)
{
    for (size_t i = 0; i < m->nphrases; i++)
        if (strcmp(m->phrases[i], phrase) == 0)
            return LZS_OK;
    if (m->nphrases == m->capphrases) {
        size_t ncap = m->capphrases ? m->capphrases * 2 : 4;
        char **np = realloc(m->phrases, ncap * sizeof *np);
        if (!np)
            return LZS_ERR_NOMEM;
        m->phrases = np;
        m->capphrases = ncap;
    }
    char *copy = strdup(phrase);
    if (!copy)
        return LZS_ERR_NOMEM;
    m->phrases[m->nphrases++] = copy;
    return LZS_OK;
}

void lzs_marks_clear(lzs_marks_t *m)
{
    lzs_sset_clear(&m->words);
    lzs_sset_clear(&m->stems);
    lzs_sset_clear(&m->prefixes);
    for (size_t i = 0; i < m->nphrases; i++)
        free(m->phrases[i]);
    free(m->phrases);
    memset(m, 0, sizeof *m);
}

void lzs_compiled_clear(lzs_compiled_t *c)
{
    lzs_xquery_destroy(c->query);
    lzs_reading_clear(&c->reading);
    lzs_marks_clear(&c->marks);
    for (size_t i = 0; i < c->nrespell; i++)
        free(c->respell[i].replacement);
    free(c->respell);
    memset(c, 0, sizeof *c);
}

/* Offset of the first byte of q that does not start a well-formed UTF-8 sequence (len when
 * all are well-formed). */
static size_t first_bad_utf8(const char *q, size_t len)
{
    const unsigned char *u = (const unsigned char *)q;
    size_t i = 0;
    while (i < len) {
        unsigned char c = u[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* no overlong forms */
            if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (i + n > len || u[i + 1] < lo || u[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

/* Step 1: refuses a query text that is too long or not UTF-8 (the error names the byte). */
static lzs_status_t check_query_text(const char *q, size_t qlen, lzs_search_error_t *err)
{
    if (qlen > LZS_SEARCH_MAX_QUERY)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "q", LZS_SEARCH_MAX_QUERY,
                               "the query is %zu bytes long; at most %d are allowed", qlen,
                               LZS_SEARCH_MAX_QUERY);
    if (!lzs_text_is_valid_utf8(q, qlen)) {
        size_t good = first_bad_utf8(q, qlen);
        return lzs_search_fail(err, LZS_ERR_UTF8, "bad_query", "q", (int)good,
                               "the query is not valid UTF-8 at byte %zu", good);
    }
    return LZS_OK;
}

/* Step 2: the languages the words are stemmed in. Those the request asks for (its lang
 * filter and the query's lang: terms, into found) when there are any, else every language
 * of the index; a language without a stemmer, or none at all, makes the folded form match
 * too. */
static void choose_stem_langs(lzs_build_t *b, const lzs_search_req_t *req, const lzs_qnode_t *root,
                              char found[][8], size_t *nfound)
{
    lzs_searcher_t *s = b->s;
    for (size_t i = 0;
         req->values[LZS_F_LANG] && i < req->nvalues[LZS_F_LANG] && *nfound < LZS_SEARCH_MAX_LANGS;
         i++) {
        const char *v = req->values[LZS_F_LANG][i];
        if (v && strlen(v) == 2) {
            found[*nfound][0] = (char)tolower((unsigned char)v[0]);
            found[*nfound][1] = (char)tolower((unsigned char)v[1]);
            found[*nfound][2] = '\0';
            (*nfound)++;
        }
    }
    lzs_compile_collect_langs(b, root, 0, found, nfound);
    if (*nfound) {
        for (size_t i = 0; i < *nfound; i++) {
            const char *dummy = NULL;
            if (lzs_text_stem(s->text, found[i], "a", &dummy) == LZS_OK)
                b->langs[b->nlangs++] = found[i];
            else
                b->need_folded = 1;
        }
    } else {
        for (size_t i = 0; i < s->nlangs; i++) {
            if (s->lang_stems[i])
                b->langs[b->nlangs++] = s->langs[i];
            else
                b->need_folded = 1;
        }
    }
    if (b->nlangs == 0)
        b->need_folded = 1;
}

/* Step 3: one query from the words' query and the filters' (both consumed, either may be
 * NULL): the filters restrict a weighted query without weighing in, or are ANDed with an
 * unweighted one; a query whose words all vanished (punctuation) matches nothing, an empty
 * request everything. *out: caller frees with lzs_xquery_destroy(). */
static lzs_status_t combine_words_filters(int weighted, int had_root, lzs_xquery_t *words,
                                          lzs_xquery_t *filters, lzs_xquery_t **out)
{
    lzs_status_t st = LZS_OK;
    *out = NULL;
    if (words && filters) {
        lzs_xquery_t *pair[2] = {words, filters};
        st = lzs_xquery_combine(weighted ? LZS_XQ_FILTER : LZS_XQ_AND, pair, 2, 0, out);
    } else if (words) {
        *out = words;
        words = NULL;
    } else if (filters) {
        *out = filters;
        filters = NULL;
    } else if (had_root) {
        st = lzs_xquery_match_nothing(out);
    } else {
        st = lzs_xquery_match_all(out);
    }
    lzs_xquery_destroy(words);
    lzs_xquery_destroy(filters);
    return st;
}

lzs_status_t lzs_compile_request(lzs_searcher_t *s, const lzs_search_req_t *req, lzs_compiled_t *c,
                                 lzs_search_error_t *err)
{
    memset(c, 0, sizeof *c);
    const char *q = req->q ? req->q : "";
    size_t qlen = strlen(q);
    lzs_status_t st = check_query_text(q, qlen, err);
    if (st != LZS_OK)
        return st;
    lzs_qnode_t *root = NULL;
    st = lzs_query_parse(q, qlen, &root, err);
    if (st != LZS_OK)
        return st;

    c->reading.explain = req->explain != 0;
    lzs_build_t b = {.s = s, .q = q, .c = c, .err = err, .rd = &c->reading, .term = -1};
    char found[LZS_SEARCH_MAX_LANGS][8];
    size_t nfound = 0;
    choose_stem_langs(&b, req, root, found, &nfound);

    st = lzs_compile_query_lang(&b, root, found, nfound);
    if (st != LZS_OK) {
        lzs_qnode_free(root);
        lzs_compiled_clear(c);
        return lzs_search_fail(err, st, "index", "", -1, "reading the query's language failed: %s",
                               st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(s->db));
    }
    lzs_built_t r = {0};
    if (root) {
        st = lzs_compile_build_node(&b, root, 0, &r);
        if (st != LZS_OK && err && err->code[0] == '\0')
            lzs_search_fail(err, st, "index", "", -1, "building the query failed: %s",
                            lzs_status_str(st));
    }
    int had_root = root != NULL;
    lzs_qnode_free(root);
    lzs_xquery_t *filters = NULL;
    if (st == LZS_OK) {
        st = lzs_compile_request_filters(s, req, &c->reading, &filters, err);
        if (st != LZS_OK && err && err->code[0] == '\0')
            lzs_search_fail(err, st, "index", "", -1, "building the filters failed: %s",
                            st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(s->db));
    }
    if (st != LZS_OK) {
        lzs_xquery_destroy(r.q);
        lzs_compiled_clear(c);
        return st;
    }
    c->weighted = r.q != NULL && r.weighted;
    lzs_xquery_t *final = NULL;
    st = combine_words_filters(c->weighted, had_root, r.q, filters, &final);
    if (st == LZS_OK && !c->reading.lang[0] && nfound == 0 && s->nlangs >= 2)
        lzs_compile_thesaurus_lang(&c->reading);
    if (st == LZS_OK && c->weighted)
        st = lzs_compile_prefer_lang(s, &c->reading, &final);
    if (st != LZS_OK) {
        lzs_xquery_destroy(final);
        lzs_search_fail(err, st, "index", "", -1, "building the query failed: %s",
                        lzs_status_str(st));
        lzs_compiled_clear(c);
        return st;
    }
    /* Exact totals and facets visit every match, which costs plain queries little (facet
     * columns), but prefixes and OR lists make the matcher read many posting lists: those
     * that would read too much are refused up front, never answered late or narrowed. */
    st = lzs_compile_check_cost(&b);
    if (st != LZS_OK) {
        lzs_xquery_destroy(final);
        lzs_compiled_clear(c);
        return st;
    }
    c->query = final;
    /* Here, not by each caller: every route that compiles a request (search, export,
     * compare, the feed, the page) then honours collection= alike, and none can forget it. */
    st = lzs_search_filter_collections(s, req, c, err);
    if (st != LZS_OK)
        lzs_compiled_clear(c);
    return st;
}
