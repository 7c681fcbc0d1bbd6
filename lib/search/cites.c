/* cites.c — citations at query time: what a document cites (from its passages), which
 * documents cite it ("cited by", by a search of the XCD: term of its id over the citing
 * passages) and the follow-up of a recommendation (every later passage citing it).
 *
 * Nothing here is stored on the cited document: a document indexed after those citing it
 * has its incoming citations at once, and a deleted citing document takes them along. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/json.h"
#include "lzs/schema.h"
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
    lzs_xquery_t *q = NULL;
    lzs_xenq_t *enq = NULL;
    lzs_xmset_t *mset = NULL;
    char term[LZS_XDB_MAX_TERM + 1];
    if ((size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_DOC, id) >= sizeof term)
        return LZS_OK; /* too long to be an id: no such document */
    lzs_status_t st = lzs_xquery_term(term, 1, 0, &q);
    if (st == LZS_OK)
        st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, q, 0);
    if (st == LZS_OK)
        st = lzs_xenq_set_boolean_weighting(enq, 1);
    if (st == LZS_OK)
        st = lzs_xenq_get_mset(enq, 0, 1, 0, NULL, 0, &mset);
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
    lzs_xenq_destroy(enq);
    lzs_xquery_destroy(q);
    return st;
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
        if (entry == NULL || json_object_set(index, value, entry) != 0 ||
            json_array_append_new(list, entry) != 0)
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

lzs_status_t lzs_cites_of(lzs_searcher_t *s, const json_t *passages, json_t **out)
{
    json_t *docs = json_array(), *recs = json_array(), *amb = json_array();
    *out = NULL;
    lzs_status_t st = docs && recs && amb ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = collect(passages, "cites", "id", docs);
    if (st == LZS_OK)
        st = collect(passages, "cites_recs", "key", recs);
    if (st == LZS_OK)
        st = collect(passages, "cites_ambiguous", "id", amb);
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
        *out = json_pack("{s:o, s:o, s:o}", "documents", docs, "recommendations", recs, "ambiguous",
                         amb);
        if (*out == NULL)
            st = LZS_ERR_NOMEM;
        return st;
    }
    json_decref(docs);
    json_decref(recs);
    json_decref(amb);
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
    lzs_status_t st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, q, 0);
    if (st == LZS_OK)
        st = lzs_xenq_set_boolean_weighting(enq, 1);
    if (st == LZS_OK)
        st = lzs_xenq_sort_by_value(enq, LZS_SLOT_DATE, newest, 0);
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
        if (entry == NULL || json_object_set(c->index, id, entry) != 0 ||
            json_array_append_new(c->docs, entry) != 0) {
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
    lzs_status_t st = c.docs && c.index ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK &&
        (size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_DOC, doc_id) < sizeof term) {
        st = lzs_xquery_term(term, 1, 0, &q);
        if (st == LZS_OK)
            st = each_citing(s, q, 1, cited_by_cb, &c);
    }
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
