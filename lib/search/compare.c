/* compare.c — Parties compared: the recommendations addressed to each of several Parties,
 * by article of the Convention (lzs_search_compare, search.h; GET /api/compare,
 * docs/api.md).
 *
 * The request is compiled exactly as lzs_search_run compiles it (query, filters, cost
 * limit), then narrowed to the recommendations addressed to one of the Parties or to all
 * Parties. Every match is read (up to LZS_SEARCH_EXPORT_CAP, as an export): the table is
 * small, but which recommendations share a key, and so make one entry, is only known once
 * all their copies are in.
 */
#define _GNU_SOURCE /* strverscmp: "V-2" before "V-17" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_internal.h"
#include "lzs/model.h"
#include "lzs/schema.h"
#include "search_internal.h"

/* Bytes of a recommendation's text in the table (cut on a word, with "…"): the table
 * shows what is asked; the passage itself is one link away. */
#define SHORT_TEXT 280

/* One matching passage: a copy of a recommendation. */
typedef struct {
    json_t *stored;  /* owned: the passage's stored data (schema.h) */
    const char *key; /* rec_key, else the passage id (a recommendation of its own);
                        borrowed from stored, as are the fields below */
    const char *id, *doc, *lang, *date, *rec_id, *level;
    const json_t *addressees, *articles;
    int preferred; /* in the query's language (or English when it has none) */
} copy_t;

/* One recommendation: copies[first .. first + n), its primary copy first. */
typedef struct {
    size_t first, n;
    uint32_t mask;       /* bit i: addressed to Party i of the comparison */
    int all;             /* addressed to all Parties */
    int level;           /* lzs_level_t of the primary copy; LZS_LEVEL_COUNT when it has none */
    lzs_sset_t articles; /* base numbers of the articles its copies cite ("38") */
    json_t *json;        /* its entry in the cells, built once */
} rec_t;

typedef struct {
    char codes[LZS_SEARCH_MAX_VALUES][4]; /* ISO codes of the Parties compared, in order */
    size_t nparties;
    copy_t *copies;
    size_t ncopies, cap;
    rec_t *recs;
    size_t nrecs;
    uint32_t matched;
    int capped;
} table_t;

static void table_clear(table_t *t)
{
    for (size_t i = 0; i < t->ncopies; i++)
        json_decref(t->copies[i].stored);
    for (size_t i = 0; i < t->nrecs; i++) {
        lzs_sset_clear(&t->recs[i].articles);
        json_decref(t->recs[i].json);
    }
    free(t->copies);
    free(t->recs);
    t->copies = NULL;
    t->recs = NULL;
    t->ncopies = t->cap = t->nrecs = 0;
    t->matched = 0;
    t->capped = 0;
}

static const char *str_or_null(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---- the Parties ----------------------------------------------------------------- */

/* The ISO codes of parties into t, each once, in the order given: two at least. */
static lzs_status_t read_parties(lzs_searcher_t *s, const char *const *parties, size_t n,
                                 table_t *t, lzs_search_error_t *err)
{
    if (n > LZS_SEARCH_MAX_VALUES)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "party", -1,
                               "too many Parties to compare (%zu; at most %d)", n,
                               LZS_SEARCH_MAX_VALUES);
    for (size_t i = 0; i < n; i++) {
        const char *v = parties[i] ? parties[i] : "";
        const char *code = *v ? lzs_extract_party_code(s->ex, v) : NULL;
        if (!code)
            return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "party", -1,
                                   "party: '%.100s' is not a Party to the Convention (give an "
                                   "ISO code such as NO or a name such as Norway)",
                                   v);
        size_t k = 0;
        while (k < t->nparties && strcmp(t->codes[k], code) != 0)
            k++;
        if (k == t->nparties)
            snprintf(t->codes[t->nparties++], sizeof t->codes[0], "%s", code);
    }
    if (t->nparties < 2)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "party", -1,
                               "a comparison needs two or more different Parties "
                               "(party=NO&party=IS): %s",
                               t->nparties == 0 ? "none was given"
                                                : "only one was given (names of one Party "
                                                  "count once)");
    return LZS_OK;
}

/* The request's query, narrowed to recommendations addressed to one of t's Parties or to
 * all Parties. Caller frees *out with lzs_xquery_destroy(). */
static lzs_status_t narrow(const lzs_compiled_t *c, const table_t *t, lzs_xquery_t **out)
{
    lzs_xquery_t *to[LZS_SEARCH_MAX_VALUES + 1] = {0};
    lzs_xquery_t *anyto = NULL, *kind = NULL;
    char term[32];
    size_t n = 0;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i <= t->nparties && st == LZS_OK; i++) {
        snprintf(term, sizeof term, "%s%s", LZS_PFX_ADDRESSEE,
                 i < t->nparties ? t->codes[i] : "all");
        st = lzs_xquery_term(term, 1, 0, &to[n]);
        if (st == LZS_OK)
            n++;
    }
    if (st == LZS_OK)
        st = lzs_xquery_combine(LZS_XQ_OR, to, n, 0, &anyto);
    if (st == LZS_OK)
        st = lzs_xquery_term(LZS_PFX_KIND "recommendation", 1, 0, &kind);
    if (st == LZS_OK) {
        lzs_xquery_t *parts[3] = {c->query, anyto, kind};
        st = lzs_xquery_combine(LZS_XQ_FILTER, parts, 3, 0, out);
    }
    for (size_t i = 0; i < n; i++)
        lzs_xquery_destroy(to[i]);
    lzs_xquery_destroy(anyto);
    lzs_xquery_destroy(kind);
    return st;
}

/* ---- reading the matches ------------------------------------------------------------- */

/* Adds the i-th passage of mset to t's copies. */
static lzs_status_t add_copy(table_t *t, const lzs_xmset_t *mset, uint32_t i, const char *lang)
{
    char *data = NULL;
    size_t len = 0;
    json_t *stored = NULL;
    lzs_status_t st = lzs_xmset_data(mset, i, &data, &len);
    if (st == LZS_OK)
        st = lzs_json_parse(data, len, 0, NULL, &stored);
    free(data);
    if (st == LZS_ERR_PARSE || st == LZS_ERR_INVALID)
        st = LZS_ERR_CORRUPT;
    if (st != LZS_OK)
        return st;
    json_t *p = json_object_get(stored, "passage"), *d = json_object_get(stored, "doc");
    const char *id = str_or_null(stored, "id");
    if (!json_is_object(p) || !json_is_object(d) || !id || !str_or_null(d, "id")) {
        json_decref(stored);
        return LZS_ERR_CORRUPT;
    }
    if (t->ncopies == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        copy_t *nc = realloc(t->copies, cap * sizeof *nc);
        if (!nc) {
            json_decref(stored);
            return LZS_ERR_NOMEM;
        }
        t->copies = nc;
        t->cap = cap;
    }
    copy_t *cp = &t->copies[t->ncopies++];
    memset(cp, 0, sizeof *cp);
    cp->stored = stored;
    cp->id = id;
    cp->key = str_or_null(p, "rec_key") ? str_or_null(p, "rec_key") : id;
    cp->doc = str_or_null(d, "id");
    cp->lang = str_or_null(d, "lang") ? str_or_null(d, "lang") : "";
    cp->date = str_or_null(d, "date");
    cp->rec_id = str_or_null(p, "rec_id");
    cp->level = str_or_null(p, "level");
    cp->addressees = json_object_get(p, "addressees");
    cp->articles = json_object_get(p, "articles");
    cp->preferred = strcmp(cp->lang, lang) == 0;
    return LZS_OK;
}

typedef struct {
    table_t *t;
    const char *lang;
} copy_ud_t;

static lzs_status_t copy_match(void *ud, lzs_xmset_t *mset, uint32_t i, int *stop)
{
    const copy_ud_t *x = ud;
    (void)stop;
    return add_copy(x->t, mset, i, x->lang);
}

/* Reads every match of q into t (up to LZS_SEARCH_EXPORT_CAP), in reading order. lang is
 * the language whose copy of a recommendation comes first. */
static lzs_status_t read_matches(lzs_searcher_t *s, const lzs_xquery_t *q, const char *lang,
                                 table_t *t, lzs_search_error_t *err)
{
    lzs_xenq_t *enq = NULL;
    lzs_status_t st = lzs_search_bool_enquire(s, q, LZS_SLOT_ORDER, 0, LZS_SEARCH_NO_SLOT, &enq);
    copy_ud_t x = {t, lang};
    if (st == LZS_OK)
        st = lzs_search_each_match(s, enq, copy_match, &x, &t->matched);
    if (st == LZS_ERR_CORRUPT)
        lzs_search_fail(err, st, "index", "", -1,
                        "a passage's stored data is not valid JSON: rebuild the index");
    else if (st != LZS_OK && st != LZS_ERR_MODIFIED)
        lzs_search_index_fail(enq, st, err);
    lzs_xenq_destroy(enq);
    t->capped = t->matched > LZS_SEARCH_EXPORT_CAP;
    return st;
}

/* ---- one entry per recommendation ------------------------------------------------------ */

/* Copies of one key together; within a key the primary first: in the preferred language,
 * then the oldest statement (a restatement comes later), then by passage id. */
static int copy_cmp(const void *a, const void *b)
{
    const copy_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->preferred != y->preferred)
        return y->preferred - x->preferred;
    if (x->date && y->date && strcmp(x->date, y->date) != 0)
        return strcmp(x->date, y->date);
    if (!x->date != !y->date)
        return x->date ? -1 : 1;
    return strverscmp(x->id, y->id);
}

/* In a cell: by level (require first), then identifier (V-2 before V-17), then key. */
static int rec_cmp(const void *a, const void *b, void *ud)
{
    const rec_t *x = a, *y = b;
    const copy_t *copies = ud;
    if (x->level != y->level)
        return x->level - y->level;
    const char *xi = copies[x->first].rec_id, *yi = copies[y->first].rec_id;
    if (xi && yi && strcmp(xi, yi) != 0)
        return strverscmp(xi, yi);
    if (!xi != !yi)
        return xi ? -1 : 1;
    return strcmp(copies[x->first].key, copies[y->first].key);
}

/* The base number of an article citation: "38(2)" -> "38". */
static size_t article_base(const char *a)
{
    return strcspn(a, "(");
}

/* What the copies of r have in common: Parties addressed, level, articles. */
static lzs_status_t fold_copies(const table_t *t, rec_t *r)
{
    const copy_t *primary = &t->copies[r->first];
    int lv = primary->level ? lzs_level_from_name(primary->level) : 0;
    r->level = lv > 0 ? lv : LZS_LEVEL_COUNT;
    for (size_t k = r->first; k < r->first + r->n; k++) {
        const copy_t *cp = &t->copies[k];
        size_t i;
        const json_t *v;
        json_array_foreach(cp->addressees, i, v)
        {
            const char *a = json_string_value(v);
            if (!a)
                continue;
            if (strcmp(a, "all") == 0)
                r->all = 1;
            for (size_t j = 0; j < t->nparties; j++)
                if (strcmp(a, t->codes[j]) == 0)
                    r->mask |= 1u << j;
        }
        json_array_foreach(cp->articles, i, v)
        {
            const char *a = json_string_value(v);
            if (!a || !*a)
                continue;
            lzs_status_t st = lzs_sset_add(&r->articles, a, article_base(a));
            if (st != LZS_OK)
                return st;
        }
    }
    return LZS_OK;
}

/* Groups t's copies by key into t->recs, in cell order. */
static lzs_status_t group_copies(table_t *t)
{
    if (t->ncopies == 0)
        return LZS_OK;
    qsort(t->copies, t->ncopies, sizeof *t->copies, copy_cmp);
    t->recs = calloc(t->ncopies, sizeof *t->recs);
    if (!t->recs)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < t->ncopies;) {
        size_t j = i + 1;
        while (j < t->ncopies && strcmp(t->copies[j].key, t->copies[i].key) == 0)
            j++;
        rec_t *r = &t->recs[t->nrecs++];
        r->first = i;
        r->n = j - i;
        lzs_status_t st = fold_copies(t, r);
        if (st != LZS_OK)
            return st;
        i = j;
    }
    qsort_r(t->recs, t->nrecs, sizeof *t->recs, rec_cmp, t->copies);
    return LZS_OK;
}

/* text cut to about SHORT_TEXT bytes on a word, with "…" where it was cut. Caller frees
 * with free(). */
static char *short_text(const char *text)
{
    size_t n = strlen(text);
    if (n <= SHORT_TEXT)
        return strdup(text);
    size_t cut = SHORT_TEXT;
    while (cut > SHORT_TEXT / 2 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ') { /* no space near: any character boundary */
        cut = SHORT_TEXT;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ',' || text[cut - 1] == ';'))
        cut--;
    char *out = malloc(cut + 4);
    if (out) {
        memcpy(out, text, cut);
        memcpy(out + cut, "\xE2\x80\xA6", 4); /* "…" and the NUL */
    }
    return out;
}

/* Adds the Parties in copies' addressee lists (a sorted set) to arr. */
static lzs_status_t addressees_json(const table_t *t, const rec_t *r, json_t **out)
{
    lzs_sset_t seen = {0};
    json_t *arr = json_array();
    lzs_status_t st = arr ? LZS_OK : LZS_ERR_NOMEM;
    for (size_t k = r->first; k < r->first + r->n && st == LZS_OK; k++) {
        size_t i;
        const json_t *v;
        json_array_foreach(t->copies[k].addressees, i, v)
        {
            const char *a = json_string_value(v);
            if (!a || lzs_sset_has(&seen, a, strlen(a)))
                continue;
            st = lzs_sset_add(&seen, a, strlen(a));
            if (st == LZS_OK && json_array_append_new(arr, json_string(a)) != 0)
                st = LZS_ERR_NOMEM;
            if (st != LZS_OK)
                break;
        }
    }
    lzs_sset_clear(&seen);
    if (st != LZS_OK) {
        json_decref(arr);
        return st;
    }
    *out = arr;
    return LZS_OK;
}

/* The entry of recommendation r in the cells (docs/api.md, /api/compare rows[].cells[].recs[]). */
static lzs_status_t rec_json(const table_t *t, rec_t *r)
{
    const copy_t *pc = &t->copies[r->first];
    const json_t *p = json_object_get(pc->stored, "passage");
    const char *text = str_or_null(p, "text");
    char *shortt = short_text(text ? text : "");
    json_t *addr = NULL;
    json_t *versions = json_array();
    lzs_status_t st = shortt && versions ? addressees_json(t, r, &addr) : LZS_ERR_NOMEM;
    for (size_t k = r->first + 1; k < r->first + r->n && st == LZS_OK; k++) {
        const copy_t *c = &t->copies[k];
        json_t *v = json_pack("{s:s, s:s, s:s, s:s?}", "passage", c->id, "doc", c->doc, "lang",
                              c->lang, "rec_id", c->rec_id);
        if (!v || json_array_append_new(versions, v) != 0)
            st = LZS_ERR_NOMEM;
    }
    if (st == LZS_OK) {
        r->json = json_pack("{s:s, s:s?, s:O?, s:O?, s:s, s:s, s:s, s:s, s:o, s:o}", "key", pc->key,
                            "rec_id", pc->rec_id, "rec_key", json_object_get(p, "rec_key"), "level",
                            json_object_get(p, "level"), "text", shortt, "passage", pc->id, "doc",
                            pc->doc, "lang", pc->lang, "addressees", addr, "versions", versions);
        addr = versions = NULL; /* stolen by "o", also when packing fails */
        if (!r->json)
            st = LZS_ERR_NOMEM;
    }
    json_decref(addr);
    json_decref(versions);
    free(shortt);
    return st;
}

/* ---- the answer ---------------------------------------------------------------------- */

static int article_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strverscmp(x, y);
}

/* The articles any recommendation cites, each once, in the Convention's order. *out:
 * caller frees the array, not the strings (borrowed from the recommendations' sets). */
static lzs_status_t row_articles(const table_t *t, const char ***out, size_t *n)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < t->nrecs; i++)
        total += t->recs[i].articles.n;
    const char **list = calloc(total ? total : 1, sizeof *list);
    if (!list)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < t->nrecs; i++) {
        const lzs_sset_t *a = &t->recs[i].articles;
        for (size_t j = 0; j < a->cap; j++)
            if (a->slots[j])
                list[k++] = a->slots[j];
    }
    qsort(list, k, sizeof *list, article_cmp);
    *n = 0;
    for (size_t i = 0; i < k; i++)
        if (*n == 0 || strcmp(list[*n - 1], list[i]) != 0)
            list[(*n)++] = list[i];
    *out = list;
    return LZS_OK;
}

/* 1 when r belongs in the row of article a (NULL: the row of recommendations citing none). */
static int in_row(const rec_t *r, const char *a)
{
    return a ? lzs_sset_has(&r->articles, a, strlen(a)) : r->articles.n == 0;
}

/* One row: {"article","label","total","cells":[{"party","recs"}],"all":[...]}. */
static lzs_status_t row_json(const lzs_searcher_t *s, const table_t *t, const char *a, json_t **out)
{
    *out = NULL;
    char *label = a ? lzs_search_facet_label(s, LZS_FACET_ARTICLE, a) : strdup("No article cited");
    json_t *cells = json_array(), *all = json_array();
    lzs_status_t st = label && cells && all ? LZS_OK : LZS_ERR_NOMEM;
    json_int_t total = 0;
    for (size_t j = 0; j < t->nparties && st == LZS_OK; j++) {
        json_t *recs = json_array();
        for (size_t i = 0; i < t->nrecs && recs; i++)
            if ((t->recs[i].mask & (1u << j)) && in_row(&t->recs[i], a) &&
                json_array_append(recs, t->recs[i].json) != 0) {
                json_decref(recs);
                recs = NULL;
            }
        json_t *cell = recs ? json_pack("{s:s, s:o}", "party", t->codes[j], "recs", recs) : NULL;
        if (!cell || json_array_append_new(cells, cell) != 0)
            st = LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->nrecs && st == LZS_OK; i++) {
        if (!in_row(&t->recs[i], a))
            continue;
        total++;
        if (t->recs[i].all && json_array_append(all, t->recs[i].json) != 0)
            st = LZS_ERR_NOMEM;
    }
    if (st == LZS_OK) {
        *out = json_pack("{s:s?, s:s, s:I, s:O, s:O}", "article", a, "label", label, "total", total,
                         "cells", cells, "all", all);
        if (!*out)
            st = LZS_ERR_NOMEM;
    }
    json_decref(cells);
    json_decref(all);
    free(label);
    return st;
}

static lzs_status_t answer_json(const lzs_searcher_t *s, const table_t *t, const lzs_compiled_t *c,
                                json_t **out)
{
    const char **articles = NULL;
    size_t narticles = 0;
    json_t *res = NULL, *rows = json_array(), *parties = json_array();
    lzs_status_t st = rows && parties ? row_articles(t, &articles, &narticles) : LZS_ERR_NOMEM;
    /* the articles in order, then the recommendations citing none */
    for (size_t i = 0; i <= narticles && st == LZS_OK; i++) {
        json_t *row = NULL;
        const char *a = i < narticles ? articles[i] : NULL;
        int any = a != NULL;
        for (size_t k = 0; !any && k < t->nrecs; k++)
            any = in_row(&t->recs[k], NULL);
        if (!any)
            continue;
        st = row_json(s, t, a, &row);
        if (st == LZS_OK && json_array_append_new(rows, row) != 0)
            st = LZS_ERR_NOMEM;
    }
    json_int_t all = 0;
    for (size_t k = 0; k < t->nrecs; k++)
        all += t->recs[k].all;
    for (size_t j = 0; j < t->nparties && st == LZS_OK; j++) {
        json_int_t n = 0;
        for (size_t k = 0; k < t->nrecs; k++)
            n += (t->recs[k].mask >> j) & 1u;
        const char *name = lzs_extract_party_name(s->ex, t->codes[j]);
        json_t *o = json_pack("{s:s, s:s, s:I}", "code", t->codes[j], "name",
                              name ? name : t->codes[j], "total", n);
        if (!o || json_array_append_new(parties, o) != 0)
            st = LZS_ERR_NOMEM;
    }
    json_t *read_as = st == LZS_OK ? lzs_reading_json(&c->reading) : NULL;
    if (st == LZS_OK && read_as)
        res = json_pack("{s:i, s:f, s:{s:o}, s:O, s:{s:I}, s:I, s:I, s:b, s:O}", "api", 1,
                        "took_ms", 0.0, "query", "read_as", read_as, "parties", parties, "all",
                        "total", all, "total", (json_int_t)t->nrecs, "passages",
                        (json_int_t)t->matched, "capped", t->capped, "rows", rows);
    else
        json_decref(read_as);
    if (st == LZS_OK && !res)
        st = LZS_ERR_NOMEM;
    free(articles);
    json_decref(rows);
    json_decref(parties);
    *out = res;
    return st;
}

/* ---- the call ---------------------------------------------------------------------------- */

static lzs_status_t compare_once(lzs_searcher_t *s, const lzs_search_req_t *req, table_t *t,
                                 json_t **out, lzs_search_error_t *err)
{
    lzs_compiled_t c;
    lzs_xquery_t *q = NULL;
    lzs_status_t st = lzs_compile_request(s, req, &c, err);
    if (st != LZS_OK)
        return st;
    st = narrow(&c, t, &q);
    if (st != LZS_OK)
        lzs_search_index_fail(NULL, st, err);
    if (st == LZS_OK)
        st = read_matches(s, q, c.reading.lang[0] ? c.reading.lang : "en", t, err);
    if (st == LZS_OK)
        st = group_copies(t);
    for (size_t i = 0; i < t->nrecs && st == LZS_OK; i++)
        st = rec_json(t, &t->recs[i]);
    if (st == LZS_OK)
        st = answer_json(s, t, &c, out);
    if (st != LZS_OK && err && !err->code[0])
        lzs_search_index_fail(NULL, st, err);
    lzs_xquery_destroy(q);
    lzs_compiled_clear(&c);
    return st;
}

lzs_status_t lzs_search_compare(lzs_searcher_t *s, const lzs_search_req_t *req,
                                const char *const *parties, size_t nparties, json_t **out,
                                lzs_search_error_t *err)
{
    *out = NULL;
    lzs_search_clear_err(err);
    if (!s || !req || (!parties && nparties))
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "", -1,
                               "no searcher, request or Parties");
    if (req->nvalues[LZS_F_ADDRESSEE] > 0)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "addressee", -1,
                               "a comparison takes the Parties it compares as party, not "
                               "addressee");
    double t0 = lzs_search_now_ms();
    table_t t;
    memset(&t, 0, sizeof t);
    lzs_status_t st = read_parties(s, parties, nparties, &t, err);
    for (int attempt = 0; st == LZS_OK; attempt++) {
        st = compare_once(s, req, &t, out, err);
        if (st != LZS_OK) {
            size_t np = t.nparties;
            table_clear(&t);
            t.nparties = np;
        }
        if (!lzs_search_try_again(s, st, attempt, "comparison", err))
            break;
        st = LZS_OK;
    }
    table_clear(&t);
    if (st == LZS_OK && json_object_set_new(*out, "took_ms", json_real(lzs_search_now_ms() - t0)))
        st = LZS_ERR_NOMEM;
    if (st != LZS_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}
