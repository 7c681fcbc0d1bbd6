/* meta.c — GET /api/meta (see meta.h). */
#include "meta.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "lzs/extract.h"
#include "lzs/hash.h"
#include "lzs/model.h"
#include "lzs/search.h"
#include "params.h"
#include "reply.h"
#include "respond.h"
#include "static.h"
#include "worker.h"

/* Most names of one Party in the gazetteer that the answer lists: parties.tsv gives a
 * handful each (the longest row has seven). */
#define MAX_NAMES 64

/* Appends o to arr (o's reference taken); -1 when o is NULL or out of memory. */
static int push(json_t *arr, json_t *o)
{
    return o && json_array_append_new(arr, o) == 0 ? 0 : -1;
}

/* Every Party: its code, English display name, and every name parties.tsv gives it. */
static json_t *parties(const lzs_extractor_t *ex)
{
    json_t *arr = json_array();
    size_t n = lzs_extract_party_count(ex);
    for (size_t i = 0; arr && i < n; i++) {
        const char *code = lzs_extract_party_at(ex, i);
        const char *names[MAX_NAMES];
        size_t k = lzs_extract_party_names(ex, code, names, MAX_NAMES);
        json_t *all = json_array();
        for (size_t j = 0; all && j < k && j < MAX_NAMES; j++)
            if (push(all, json_string(names[j])) != 0) {
                json_decref(all);
                all = NULL;
            }
        json_t *o = all ? json_pack("{s:s, s:s?, s:o}", "code", code, "name",
                                    lzs_extract_party_name(ex, code), "names", all)
                        : NULL;
        if (push(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* Articles 1-50 that articles.tsv titles, with both titles. */
static json_t *articles(const lzs_extractor_t *ex)
{
    json_t *arr = json_array();
    for (int a = 1; arr && a <= 50; a++) {
        char num[12]; /* room for any int: the compiler checks the bound, not the loop */
        snprintf(num, sizeof num, "%d", a);
        const char *en = lzs_extract_article_title_in(ex, num, "en");
        if (!en)
            continue;
        json_t *o = json_pack("{s:s, s:s, s:s?}", "article", num, "title_en", en, "title_fr",
                              lzs_extract_article_title_in(ex, num, "fr"));
        if (push(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* {"key","label"} for value key of facet, the label a search answer gives it. */
static json_t *labelled(const lzs_searcher_t *s, unsigned facet, const char *key)
{
    char *label = lzs_search_value_label(s, facet, key);
    json_t *o = label ? json_pack("{s:s, s:s}", "key", key, "label", label) : NULL;
    free(label);
    return o;
}

/* The values of facet with their labels: the n keys key(i). */
typedef const char *(*key_fn)(const lzs_extractor_t *ex, size_t i);

static json_t *labelled_list(const lzs_extractor_t *ex, const lzs_searcher_t *s, unsigned facet,
                             size_t n, key_fn key)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (push(arr, labelled(s, facet, key(ex, i))) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

static const char *type_key(const lzs_extractor_t *ex, size_t i)
{
    (void)ex;
    return lzs_doctype_name((lzs_doctype_t)i);
}

/* The levels, LZS_LEVEL_NONE (no recommendation) left out. */
static const char *level_key(const lzs_extractor_t *ex, size_t i)
{
    (void)ex;
    return lzs_level_name((lzs_level_t)(i + 1));
}

/* The instruments of instruments.tsv: key and display names. */
static json_t *instruments(const lzs_extractor_t *ex)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < lzs_extract_instruments(ex); i++) {
        json_t *o = json_pack("{s:s, s:s?, s:s?}", "key", lzs_extract_instrument_key(ex, i),
                              "name_en", lzs_extract_instrument_name(ex, i, "en"), "name_fr",
                              lzs_extract_instrument_name(ex, i, "fr"));
        if (push(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* The opinions and declarations of opinions.tsv. */
static json_t *opinions(const lzs_extractor_t *ex)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < lzs_extract_opinions(ex); i++) {
        const lzs_opinion_info_t *op = lzs_extract_opinion_at(ex, i);
        json_t *o = op ? json_pack("{s:s, s:s, s:i, s:s?, s:s?, s:s?}", "key", op->key, "kind",
                                   op->kind, "year", op->year, "code", op->code, "title_en",
                                   op->title_en, "title_fr", op->title_fr)
                       : NULL;
        if (push(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* The names of the collections searched, as the "collection" facet gives them. */
static json_t *collections(lzs_searcher_t *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < lzs_searcher_collections(s); i++) {
        const char *name = NULL;
        uint64_t rev = 0;
        int known = 0;
        if (lzs_searcher_collection(s, i, &name, &rev, &known) != LZS_OK ||
            push(arr, json_string(name)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* The limits a request meets, each in the unit the daemon counts it in. */
static json_t *limits(const lzs_sd_server_t *srv)
{
    return json_pack(
        "{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:i}", "query_bytes",
        LZS_SEARCH_MAX_QUERY, "query_terms", LZS_SEARCH_MAX_TERMS, "size", LZS_SEARCH_MAX_SIZE,
        "offset", LZS_SEARCH_MAX_OFFSET, "filter_values", LZS_SEARCH_MAX_VALUES, "parameters",
        LZS_SD_MAX_ARGS, "uri_bytes", LZS_SD_MAX_URI, "export_passages", LZS_SEARCH_EXPORT_CAP,
        "feed_entries", LZS_SEARCH_FEED, "max_expansion",
        srv->cfg.max_expansion ? srv->cfg.max_expansion : LZS_SEARCH_MAX_WILDCARD, "max_postings",
        /* 0: no limit */
        srv->cfg.max_postings ? json_integer((json_int_t)srv->cfg.max_postings) : json_null(),
        "similar_size_default", LZS_SD_SIMILAR_DEFAULT);
}

/* The whole answer; NULL when out of memory. */
static json_t *build(const lzs_sd_server_t *srv, lzs_searcher_t *s)
{
    const lzs_extractor_t *ex = srv->cfg.ex;
    /* "o" with NULL fails the whole pack (and drops the parts made): no answer goes out
     * with a list missing */
    return json_pack(
        "{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "api", 1, "parties", parties(ex),
        "articles", articles(ex), "types",
        labelled_list(ex, s, LZS_FACET_TYPE, LZS_DOC_TYPE_COUNT, type_key), "levels",
        labelled_list(ex, s, LZS_FACET_LEVEL, LZS_LEVEL_COUNT - 1, level_key), "languages",
        labelled_list(ex, s, LZS_FACET_LANG, lzs_extract_languages(ex), lzs_extract_language_at),
        "instruments", instruments(ex), "opinions", opinions(ex), "collections", collections(s),
        "limits", limits(srv));
}

enum MHD_Result lzs_sd_route_meta(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq)
{
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    json_t *v = build(srv, s);
    size_t len = 0;
    char *body = v ? lzs_sd_json_dump(v, &len) : NULL;
    json_decref(v);
    if (!body)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                    "out of memory");
    /* The tag is the hash of the text itself: it changes exactly when the data files, the
     * collections or the daemon's options do, and needs no state kept between requests. */
    uint64_t h = lzs_hash(body, len);
    char etag[32], etag_gz[40];
    snprintf(etag, sizeof etag, "\"m%016" PRIx64 "\"", h);
    snprintf(etag_gz, sizeof etag_gz, "\"m%016" PRIx64 "-gz\"", h);
    lzs_sd_static_meta_t m = {LZS_SD_JSON_TYPE, etag, etag_gz, 0, NULL};
    if (lzs_sd_static_unchanged(c, &m, lzs_sd_static_wants_gzip(c))) {
        free(body);
        return lzs_sd_static_send_unchanged(c, rq, &m, lzs_sd_static_wants_gzip(c));
    }
    return lzs_sd_static_send_owned(c, rq, MHD_HTTP_OK, &m, body, len);
}
