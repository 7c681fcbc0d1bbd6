/* cites.c — citations at query time: what a document cites (from its passages), which
 * documents cite it ("cited by", by a search of the XCD: term of its id over the citing
 * passages), the follow-up of a recommendation (every later passage citing it), the
 * documents that the opinions and declarations cited by title are, and the labels of the
 * cites facet.
 *
 * Nothing here is stored on the cited document: a document indexed after those citing it
 * has its incoming citations at once, and a deleted citing document takes them along. An
 * opinion cited by title (XCO:<key>) is linked to the document indexed with its key
 * (XOK:<key>) once per revision of the index, in a table kept with its facet columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_internal.h"
#include "lzs/schema.h"
#include "columns_internal.h"
#include "search_internal.h"

/* Passages read per page of a citation search. */
#define CITE_PAGE 500
/* Citing passages read at most for one answer: a document cited by more is listed with
 * the citing documents those passages give, and the total they give. */
#define CITE_MAX_PASSAGES 5000

/* ---- the documents ----------------------------------------------------------------------- */

/* The stored "doc" object of document id (its first passage's), or *out NULL when the
 * index has no such document. *out: caller frees with json_decref(). */
lzs_status_t lzs_cites_doc_meta(const lzs_searcher_t *s, const char *id, json_t **out)
{
    *out = NULL;
    lzs_xmset_t *mset = NULL;
    lzs_status_t st =
        lzs_search_term_mset(s, LZS_PFX_DOC, id, LZS_SEARCH_NO_SLOT, LZS_SEARCH_NO_SLOT, 1, &mset);
    if (st == LZS_OK && lzs_xmset_size(mset) > 0) {
        char *data = NULL;
        size_t dlen = 0;
        json_t *stored = NULL;
        st = lzs_xmset_data(mset, 0, &data, &dlen);
        if (st == LZS_OK && lzs_json_parse(data, dlen, 0, NULL, &stored) != LZS_OK)
            st = LZS_ERR_CORRUPT;
        free(data);
        if (st == LZS_OK)
            *out = json_incref(json_object_get(stored, "doc"));
        json_decref(stored);
    }
    lzs_xmset_destroy(mset);
    return st;
}

/* ---- the documents that the opinions are ----------------------------------------------- */

/* For one revision, by opinion (in opinions.tsv's order): the documents indexed with its key
 * and the one a title citation links to. */
typedef struct {
    const lzs_extractor_t *ex; /* borrowed: the searchers' (one per pool revision, pool.c) */
    size_t n;
    lzs_strlist_t *versions; /* ids, sorted */
    char **linked;           /* borrowed from versions[i], or NULL when none is indexed */
} optable_t;

static void optable_free(void *p)
{
    optable_t *t = p;
    if (!t)
        return;
    /* versions is NULL when its allocation failed */
    for (size_t i = 0; t->versions && i < t->n; i++)
        lzs_strlist_clear(&t->versions[i]);
    free(t->versions);
    free(t->linked);
    free(t);
}

/* 1 when id has a language suffix ("T-ES(2015)04_fr"). */
static int has_lang_suffix(const char *id)
{
    const char *us = strrchr(id, '_');
    return us != NULL && strchr(us, ')') == NULL;
}

/* The ids of the documents indexed with opinion key (one passage each) into out, sorted. */
static lzs_status_t opinion_versions(lzs_searcher_t *s, const char *key, lzs_strlist_t *out)
{
    char term[LZS_XDB_MAX_TERM + 1];
    if ((size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_OPINION, key) >= sizeof term)
        return LZS_OK;
    uint32_t tf = 0;
    lzs_status_t st = lzs_xdb_termfreq(s->db, term, &tf);
    if (st != LZS_OK || tf == 0)
        return st; /* the usual case: most opinions are not in the index */
    lzs_xmset_t *mset = NULL;
    /* its language versions: a handful */
    st = lzs_search_term_mset(s, LZS_PFX_OPINION, key, LZS_SEARCH_NO_SLOT, LZS_SLOT_DOCID, 64,
                              &mset);
    for (uint32_t i = 0; st == LZS_OK && i < lzs_xmset_size(mset); i++) {
        char *id = NULL;
        size_t len = 0;
        st = lzs_xmset_value(mset, i, LZS_SLOT_DOCID, &id, &len);
        if (st == LZS_OK && id && len > 0)
            st = lzs_strlist_push_unique(out, id);
        free(id);
    }
    lzs_strlist_sort(out);
    lzs_xmset_destroy(mset);
    return st;
}

/* The table of the revision searched, made on first use. */
static lzs_status_t optable(lzs_searcher_t *s, const optable_t **out)
{
    *out = NULL;
    lzs_status_t st = lzs_search_current_cols(s);
    if (st != LZS_OK)
        return st;
    optable_t *t = lzs_cols_extra(s->cols);
    if (t) {
        *out = t;
        return LZS_OK;
    }
    size_t n = lzs_extract_opinions(s->ex);
    t = calloc(1, sizeof *t);
    if (t) {
        t->ex = s->ex;
        t->n = n;
        t->versions = calloc(n ? n : 1, sizeof *t->versions);
        t->linked = calloc(n ? n : 1, sizeof *t->linked);
    }
    if (!t || !t->versions || !t->linked) {
        optable_free(t);
        return LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        lzs_strlist_t *v = &t->versions[i];
        st = opinion_versions(s, lzs_extract_opinion_at(s->ex, i)->key, v);
        /* a title cites the opinion, not one language version: the version without
         * suffix (English) when indexed, as a code without suffix names it */
        for (size_t k = 0; st == LZS_OK && k < v->n && !t->linked[i]; k++) {
            if (!has_lang_suffix(v->items[k]))
                t->linked[i] = v->items[k];
        }
        if (st == LZS_OK && !t->linked[i] && v->n > 0)
            t->linked[i] = v->items[0];
    }
    if (st != LZS_OK) {
        optable_free(t);
        return st;
    }
    /* a thread sharing the columns may have made one meanwhile: one is kept */
    *out = lzs_cols_offer_extra(s->cols, t, optable_free);
    return LZS_OK;
}

/* The index in ex of opinion key, or -1. */
static long opinion_index(const lzs_extractor_t *ex, const char *key, size_t len)
{
    for (size_t i = 0; i < lzs_extract_opinions(ex); i++) {
        const char *k = lzs_extract_opinion_at(ex, i)->key;
        if (strlen(k) == len && memcmp(k, key, len) == 0)
            return (long)i;
    }
    return -1;
}

lzs_status_t lzs_cites_opinion_doc(lzs_searcher_t *s, const char *key, const char **id)
{
    *id = NULL;
    const optable_t *t = NULL;
    lzs_status_t st = optable(s, &t);
    long i = st == LZS_OK ? opinion_index(s->ex, key, strlen(key)) : -1;
    if (i >= 0)
        *id = t->linked[i];
    return st;
}

lzs_status_t lzs_cites_opinion_terms(lzs_searcher_t *s, const char *value, lzs_strlist_t *terms)
{
    const optable_t *t = NULL;
    lzs_status_t st = optable(s, &t);
    if (st != LZS_OK)
        return st;
    char term[LZS_XDB_MAX_TERM + 1];
    long k = opinion_index(s->ex, value, strlen(value));
    if (k >= 0) {
        /* an opinion's key: its title cited, and every code of it */
        const lzs_opinion_info_t *in = lzs_extract_opinion_at(s->ex, (size_t)k);
        snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_OPINION, in->key);
        st = lzs_strlist_push_unique(terms, term);
        for (size_t v = 0; st == LZS_OK && v < t->versions[k].n; v++) {
            snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_DOC, t->versions[k].items[v]);
            st = lzs_strlist_push_unique(terms, term);
        }
        for (int fr = 0; st == LZS_OK && in->code && fr < 2; fr++) {
            snprintf(term, sizeof term, "%s%s%s", LZS_PFX_CITES_DOC, in->code, fr ? "_fr" : "");
            st = lzs_strlist_push_unique(terms, term);
        }
        return st;
    }
    /* a document's id: also the titles that link to it, or that name its code */
    for (size_t i = 0; i < t->n && st == LZS_OK; i++) {
        const lzs_opinion_info_t *in = lzs_extract_opinion_at(s->ex, i);
        if ((t->linked[i] && strcmp(t->linked[i], value) == 0) ||
            (!t->linked[i] && in->code && strcmp(in->code, value) == 0)) {
            snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_OPINION, in->key);
            st = lzs_strlist_push_unique(terms, term);
        }
    }
    return st;
}

/* The cites column's map (ud: the revision's table, immutable): a title cited counts as the
 * document it links to. */
static const char *facet_map(void *ud, const char *value, size_t len, size_t *outlen)
{
    const optable_t *t = ud;
    long i = len > 0 && value[0] >= 'a' && value[0] <= 'z' ? opinion_index(t->ex, value, len) : -1;
    if (i < 0 || !t->linked[i]) {
        *outlen = len;
        return value;
    }
    *outlen = strlen(t->linked[i]);
    return t->linked[i];
}

lzs_status_t lzs_cites_facet_map(lzs_searcher_t *s, lzs_col_map_fn *map, void **ud)
{
    const optable_t *t = NULL;
    lzs_status_t st = optable(s, &t);
    *map = st == LZS_OK ? facet_map : NULL;
    *ud = st == LZS_OK ? (void *)t : NULL;
    return st;
}

char *lzs_cites_label(void *ud, const char *value, lzs_status_t *st)
{
    lzs_searcher_t *s = ud;
    const lzs_opinion_info_t *in = lzs_extract_opinion(s->ex, value);
    char buf[LZS_XDB_MAX_TERM + 64];
    if (in) {
        /* an opinion by key: its title, and whether a document of the index is it */
        const char *linked = NULL;
        *st = lzs_cites_opinion_doc(s, value, &linked);
        if (*st != LZS_OK)
            return NULL;
        size_t n = strlen(in->title_en) + sizeof " (not in the collection)";
        char *out = malloc(n);
        if (out)
            snprintf(out, n, "%s%s", in->title_en, linked ? "" : " (not in the collection)");
        else
            *st = LZS_ERR_NOMEM;
        return out;
    }
    json_t *meta = NULL;
    *st = lzs_cites_doc_meta(s, value, &meta);
    if (*st != LZS_OK) {
        json_decref(meta);
        return NULL;
    }
    const char *title = json_string_value(json_object_get(meta, "title"));
    if (meta == NULL)
        snprintf(buf, sizeof buf, "%s (not in the collection)", value);
    char *out = strdup(meta == NULL ? buf : title && *title ? title : value);
    json_decref(meta);
    *st = out ? LZS_OK : LZS_ERR_NOMEM;
    return out;
}

/* ---- what a document cites ------------------------------------------------------------ */

/* Adds passage id pid to the entry of value in list (keyed by field in index; the entry is
 * created, with extra's fields, when new). */
static lzs_status_t add_cited(json_t *list, json_t *index, const char *field, const char *value,
                              const char *pid)
{
    json_t *entry = json_object_get(index, value);
    if (entry == NULL) {
        entry = json_pack("{s:s, s:[]}", field, value, "passages");
        if (entry == NULL)
            return LZS_ERR_NOMEM;
        /* json_object_set() keeps its own reference only when it succeeds; the list's append
         * takes ours either way */
        if (json_object_set(index, value, entry) != 0) {
            json_decref(entry);
            return LZS_ERR_NOMEM;
        }
        if (json_array_append_new(list, entry) != 0)
            return LZS_ERR_NOMEM;
    }
    json_t *ps = json_object_get(entry, "passages");
    json_t *last = json_array_get(ps, json_array_size(ps) - 1);
    if (last && strcmp(json_string_value(last), pid) == 0)
        return LZS_OK;
    return json_array_append_new(ps, json_string(pid)) == 0 ? LZS_OK : LZS_ERR_NOMEM;
}

/* One list of the passages' citations (passage field key) into list by field. */
static lzs_status_t collect(const json_t *passages, const char *key, const char *field,
                            json_t *list)
{
    json_t *index = json_object();
    if (index == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    size_t i, k;
    json_t *p, *v;
    json_array_foreach(passages, i, p)
    {
        const char *pid = json_string_value(json_object_get(p, "id"));
        json_array_foreach(json_object_get(p, key), k, v)
        {
            if (st == LZS_OK && pid && json_is_string(v))
                st = add_cited(list, index, field, json_string_value(v), pid);
        }
    }
    json_decref(index);
    return st;
}

/* The entry of list whose field is value, or NULL. */
static json_t *entry_of(const json_t *list, const char *field, const char *value)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *v = json_string_value(json_object_get(e, field));
        if (v && strcmp(v, value) == 0)
            return e;
    }
    return NULL;
}

/* Adds the passages of from that into lacks to into's. */
static lzs_status_t merge_passages(json_t *into, const json_t *from)
{
    json_t *ps = json_object_get(into, "passages");
    size_t i, k;
    json_t *p, *q;
    json_array_foreach(json_object_get(from, "passages"), i, p)
    {
        int seen = 0;
        json_array_foreach(ps, k, q) seen |= json_equal(p, q);
        if (!seen && json_array_append(ps, p) != 0)
            return LZS_ERR_NOMEM;
    }
    return LZS_OK;
}

/* The opinions cited by title (entries of ops, {"key","passages"}): one that is a document
 * of the index is cited as that document (an entry of docs, made when new: its fields are
 * filled with the others'); one that is not, but whose code docs lists, joins that entry;
 * the others stay in ops, with their kind, year, code and title. */
static lzs_status_t link_opinions(lzs_searcher_t *s, json_t *docs, json_t *ops)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < json_array_size(ops) && st == LZS_OK;) {
        json_t *op = json_array_get(ops, i);
        const char *key = json_string_value(json_object_get(op, "key"));
        const lzs_opinion_info_t *in = lzs_extract_opinion(s->ex, key);
        if (!in) {
            /* indexed with a data file that had it, searched with one that has not: the
             * title is no longer known to cite anything */
            if (json_array_remove(ops, i) != 0)
                st = LZS_ERR_NOMEM;
            continue;
        }
        const char *linked = NULL;
        st = lzs_cites_opinion_doc(s, key, &linked);
        const char *as = linked ? linked : in->code && entry_of(docs, "id", in->code) ? in->code
                                                                                    : NULL;
        if (st == LZS_OK && as) {
            json_t *d = entry_of(docs, "id", as);
            if (!d) {
                d = json_pack("{s:s, s:[]}", "id", as, "passages");
                if (!d || json_array_append_new(docs, d) != 0)
                    return LZS_ERR_NOMEM;
            }
            st = merge_passages(d, op);
            if (st == LZS_OK && json_array_remove(ops, i) != 0)
                st = LZS_ERR_NOMEM;
            continue;
        }
        if (st == LZS_OK &&
            (json_object_set_new(op, "kind", json_string(in->kind)) != 0 ||
             json_object_set_new(op, "year", json_integer(in->year)) != 0 ||
             json_object_set_new(op, "code", in->code ? json_string(in->code) : json_null()) != 0 ||
             json_object_set_new(op, "title", json_string(in->title_en)) != 0))
            st = LZS_ERR_NOMEM;
        i++;
    }
    return st;
}

lzs_status_t lzs_cites_of(lzs_searcher_t *s, const json_t *passages, json_t **out)
{
    json_t *docs = json_array(), *recs = json_array(), *amb = json_array(), *ops = json_array();
    *out = NULL;
    lzs_status_t st = docs && recs && amb && ops ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = collect(passages, "cites", "id", docs);
    if (st == LZS_OK)
        st = collect(passages, "cites_recs", "key", recs);
    if (st == LZS_OK)
        st = collect(passages, "cites_ambiguous", "id", amb);
    if (st == LZS_OK)
        st = collect(passages, "cites_opinions", "key", ops);
    if (st == LZS_OK)
        st = link_opinions(s, docs, ops);
    /* the cited documents as the index has them, or "not in the collection" */
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d)
    {
        json_t *meta = NULL;
        if (st == LZS_OK)
            st = lzs_cites_doc_meta(s, json_string_value(json_object_get(d, "id")), &meta);
        if (st != LZS_OK)
            break;
        json_t *title = json_object_get(meta, "title");
        if (json_object_set_new(d, "in_collection", json_boolean(meta != NULL)) != 0 ||
            json_object_set_new(d, "title", title ? json_incref(title) : json_null()) != 0 ||
            json_object_set_new(
                d, "date", meta ? json_incref(json_object_get(meta, "date")) : json_null()) != 0)
            st = LZS_ERR_NOMEM;
        json_decref(meta);
    }
    if (st == LZS_OK) {
        *out = json_pack("{s:o, s:o, s:o, s:o}", "documents", docs, "recommendations", recs,
                         "ambiguous", amb, "opinions", ops);
        if (*out == NULL)
            st = LZS_ERR_NOMEM;
        return st;
    }
    json_decref(docs);
    json_decref(recs);
    json_decref(amb);
    json_decref(ops);
    return st;
}

/* ---- who cites ------------------------------------------------------------------------- */

/* Runs q (boolean) sorted by date (newest first when newest), calling cb with each
 * passage's stored object and its version key until cb returns nonzero or
 * CITE_MAX_PASSAGES were read. */
typedef int (*cite_cb)(void *ud, const json_t *stored, const char *vkey, lzs_status_t *st);

static lzs_status_t each_citing(lzs_searcher_t *s, const lzs_xquery_t *q, int newest, cite_cb cb,
                                void *ud)
{
    lzs_xenq_t *enq = NULL;
    lzs_status_t st =
        lzs_search_bool_enquire(s, q, LZS_SLOT_DATE, newest, LZS_SEARCH_NO_SLOT, &enq);
    int stop = 0;
    for (uint32_t first = 0; st == LZS_OK && !stop && first < CITE_MAX_PASSAGES;) {
        lzs_xmset_t *mset = NULL;
        st = lzs_xenq_get_mset(enq, first, CITE_PAGE, 0, NULL, 0, &mset);
        if (st != LZS_OK)
            break;
        uint32_t n = lzs_xmset_size(mset);
        for (uint32_t i = 0; i < n && st == LZS_OK && !stop; i++) {
            char *data = NULL, *vkey = NULL;
            size_t dlen = 0, vlen = 0;
            json_t *stored = NULL;
            st = lzs_xmset_data(mset, i, &data, &dlen);
            if (st == LZS_OK)
                st = lzs_xmset_value(mset, i, LZS_SLOT_VERSION, &vkey, &vlen);
            if (st == LZS_OK && lzs_json_parse(data, dlen, 0, NULL, &stored) != LZS_OK)
                st = LZS_ERR_CORRUPT;
            if (st == LZS_OK)
                stop = cb(ud, stored, vkey ? vkey : "", &st);
            json_decref(stored);
            free(data);
            free(vkey);
        }
        lzs_xmset_destroy(mset);
        if (n < CITE_PAGE)
            break;
        first += n;
    }
    lzs_xenq_destroy(enq);
    return st;
}

lzs_status_t lzs_cites_terms_query(const lzs_strlist_t *terms, lzs_xquery_t **out)
{
    *out = NULL;
    if (terms->n == 0)
        return lzs_xquery_match_nothing(out);
    lzs_xquery_t **qs = calloc(terms->n, sizeof *qs);
    if (!qs)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < terms->n && st == LZS_OK; i++)
        st = lzs_xquery_term(terms->items[i], 1, 0, &qs[i]);
    if (st == LZS_OK)
        st = lzs_xquery_combine(LZS_XQ_OR, qs, terms->n, 0, out);
    for (size_t i = 0; i < terms->n; i++)
        lzs_xquery_destroy(qs[i]);
    free(qs);
    return st;
}

typedef struct {
    const char *doc_id;
    json_t *docs;  /* citing documents, newest first */
    json_t *index; /* id -> entry */
} cited_by_t;

static int cited_by_cb(void *ud, const json_t *stored, const char *vkey, lzs_status_t *st)
{
    (void)vkey;
    cited_by_t *c = ud;
    json_t *doc = json_object_get(stored, "doc");
    json_t *p = json_object_get(stored, "passage");
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *pid = json_string_value(json_object_get(stored, "id"));
    if (id == NULL || pid == NULL || strcmp(id, c->doc_id) == 0)
        return 0;
    json_t *entry = json_object_get(c->index, id);
    if (entry == NULL) {
        entry = json_pack("{s:s, s:O, s:O, s:O, s:O, s:[]}", "id", id, "title",
                          json_object_get(doc, "title"), "date", json_object_get(doc, "date"),
                          "type", json_object_get(doc, "type"), "lang",
                          json_object_get(doc, "lang"), "passages");
        /* as in add_cited: json_object_set() keeps a reference only when it succeeds */
        int set = entry != NULL && json_object_set(c->index, id, entry) == 0;
        if (entry != NULL && !set)
            json_decref(entry);
        if (!set || json_array_append_new(c->docs, entry) != 0) {
            *st = LZS_ERR_NOMEM;
            return 1;
        }
    }
    json_t *e = json_pack("{s:s, s:O}", "id", pid, "label", json_object_get(p, "label"));
    if (e == NULL || json_array_append_new(json_object_get(entry, "passages"), e) != 0)
        *st = LZS_ERR_NOMEM;
    return *st != LZS_OK;
}

lzs_status_t lzs_cited_by(lzs_searcher_t *s, const char *doc_id, json_t **out)
{
    *out = NULL;
    cited_by_t c = {doc_id, json_array(), json_object()};
    lzs_xquery_t *q = NULL;
    char term[LZS_XDB_MAX_TERM + 1];
    lzs_strlist_t terms = {0};
    lzs_status_t st = c.docs && c.index ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK &&
        (size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_DOC, doc_id) < sizeof term) {
        /* its code, and the titles that link to it */
        st = lzs_strlist_push(&terms, term);
        if (st == LZS_OK)
            st = lzs_cites_opinion_terms(s, doc_id, &terms);
        if (st == LZS_OK)
            st = lzs_cites_terms_query(&terms, &q);
        if (st == LZS_OK)
            st = each_citing(s, q, 1, cited_by_cb, &c);
    }
    lzs_strlist_clear(&terms);
    lzs_xquery_destroy(q);
    json_decref(c.index);
    if (st != LZS_OK) {
        json_decref(c.docs);
        return st;
    }
    size_t total = json_array_size(c.docs);
    while (json_array_size(c.docs) > LZS_SEARCH_CITED_BY)
        json_array_remove(c.docs, json_array_size(c.docs) - 1);
    *out = json_pack("{s:I, s:i, s:o}", "total", (json_int_t)total, "limit", LZS_SEARCH_CITED_BY,
                     "documents", c.docs);
    return *out ? LZS_OK : LZS_ERR_NOMEM;
}

/* ---- a recommendation's follow-up ------------------------------------------------------ */

typedef struct {
    const char *vkey; /* the recommendation's document's version key: its own versions are
                         no follow-up */
    json_t *list;
} follow_t;

static int follow_cb(void *ud, const json_t *stored, const char *vkey, lzs_status_t *st)
{
    follow_t *f = ud;
    if (strcmp(vkey, f->vkey) == 0)
        return 0;
    json_t *doc = json_object_get(stored, "doc");
    json_t *p = json_object_get(stored, "passage");
    json_t *e =
        json_pack("{s:O, s:O, s:{s:O, s:O, s:O, s:O}}", "id", json_object_get(stored, "id"),
                  "label", json_object_get(p, "label"), "doc", "id", json_object_get(doc, "id"),
                  "title", json_object_get(doc, "title"), "date", json_object_get(doc, "date"),
                  "lang", json_object_get(doc, "lang"));
    if (e == NULL || json_array_append_new(f->list, e) != 0)
        *st = LZS_ERR_NOMEM;
    return *st != LZS_OK || json_array_size(f->list) >= LZS_SEARCH_FOLLOW_UP;
}

/* The XCR: term of a key, case-folded as the indexer folds it. */
static lzs_status_t key_term(lzs_searcher_t *s, const char *key, lzs_xquery_t **out)
{
    char *norm = NULL;
    *out = NULL;
    lzs_status_t st = lzs_text_normalize(s->text, key, strlen(key), &norm);
    if (st != LZS_OK)
        return st;
    char term[LZS_XDB_MAX_TERM + 1];
    if ((size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_REC, norm) < sizeof term)
        st = lzs_xquery_term(term, 1, 0, out);
    else
        st = lzs_xquery_match_nothing(out);
    free(norm);
    return st;
}

lzs_status_t lzs_follow_up(lzs_searcher_t *s, const char *vkey, const char *rec_key, json_t **out)
{
    *out = NULL;
    /* cited by its key ("1st-round:I-6") or through its document's code
     * ("T-ES(2018)12:I-6") */
    const char *colon = strrchr(rec_key, ':');
    char bycode[LZS_XDB_MAX_TERM + 1];
    snprintf(bycode, sizeof bycode, "%s:%s", vkey, colon ? colon + 1 : rec_key);
    lzs_xquery_t *qs[2] = {NULL, NULL}, *q = NULL;
    lzs_status_t st = key_term(s, rec_key, &qs[0]);
    if (st == LZS_OK)
        st = key_term(s, bycode, &qs[1]);
    if (st == LZS_OK)
        st = lzs_xquery_combine(LZS_XQ_OR, qs, 2, 0, &q);
    follow_t f = {vkey, json_array()};
    if (st == LZS_OK && f.list == NULL)
        st = LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = each_citing(s, q, 0, follow_cb, &f);
    lzs_xquery_destroy(qs[0]);
    lzs_xquery_destroy(qs[1]);
    lzs_xquery_destroy(q);
    if (st != LZS_OK) {
        json_decref(f.list);
        return st;
    }
    *out = f.list;
    return LZS_OK;
}
