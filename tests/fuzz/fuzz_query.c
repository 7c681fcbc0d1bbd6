/* fuzz_query.c — the query language and the search parameters, end to end.
 *
 * Input: the query text, then optionally a NUL byte and parameters "name=value" separated
 * by NUL bytes: a filter field name (party, addressee, article, year, level, type, lang,
 * ref, rec; repeatable), from, to, offset, size, sort, group, facets, snippet.
 * Each input runs lzs_search_run() over a small index of the shipped corpus. A success
 * must have the documented shape and serialize to JSON that a strict parser reads back
 * identically; a failure must be one of the user-facing errors, with a code and a
 * message that can go into a JSON error body (valid UTF-8), and a position inside q.
 */
#define _GNU_SOURCE /* nftw, in fuzz_index.h */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/extract.h"
#include "lzs/search.h"

#include "fuzz_common.h"
#include "fuzz_index.h"

#define MAX_PARAM_VALUES (LZS_SEARCH_MAX_VALUES + 8)

static lzs_extractor_t *g_ex;
static lzs_searcher_t *g_searcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *index_dir = fuzz_build_index();
    char *msg = NULL;
    lzs_status_t st = lzs_extract_open(NULL, &g_ex, &msg);
    if (st == LZS_OK) {
        st = lzs_searcher_open(index_dir, g_ex, &g_searcher, &msg);
    }
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz_query: %s\n", msg ? msg : lzs_status_str(st));
        exit(1);
    }
    return 0;
}

typedef struct {
    lzs_search_req_t req;
    const char *values[LZS_F_COUNT][MAX_PARAM_VALUES];
    size_t qlen;
} request_t;

static uint32_t parse_u32(const char *s)
{
    return (uint32_t)strtoull(s, NULL, 10);
}

static void apply_param(request_t *r, char *kv)
{
    char *eq = strchr(kv, '=');
    if (!eq) {
        return;
    }
    *eq = '\0';
    const char *name = kv, *value = eq + 1;
    int f = lzs_search_field_from_name(name);
    if (f >= 0 && f < LZS_F_COUNT) {
        if (r->req.nvalues[f] < MAX_PARAM_VALUES) {
            r->values[f][r->req.nvalues[f]++] = value;
        }
    } else if (strcmp(name, "from") == 0) {
        r->req.date_from = value;
    } else if (strcmp(name, "to") == 0) {
        r->req.date_to = value;
    } else if (strcmp(name, "offset") == 0) {
        r->req.offset = parse_u32(value);
    } else if (strcmp(name, "size") == 0) {
        r->req.size = parse_u32(value);
    } else if (strcmp(name, "sort") == 0) {
        r->req.sort = (lzs_sort_t)(parse_u32(value) % 4);
    } else if (strcmp(name, "group") == 0) {
        r->req.group = (lzs_group_t)(parse_u32(value) % 2);
    } else if (strcmp(name, "facets") == 0) {
        r->req.facets = parse_u32(value) & LZS_FACET_ALL;
    } else if (strcmp(name, "snippet") == 0) {
        r->req.snippet_chars = parse_u32(value);
    }
}

static void check_hit(const json_t *hit, lzs_group_t group)
{
    FUZZ_CHECK(json_is_object(hit), "a hit is not an object");
    FUZZ_CHECK(json_is_string(json_object_get(hit, "id")), "hit without a string id");
    FUZZ_CHECK(json_is_number(json_object_get(hit, "score")), "hit without a score");
    FUZZ_CHECK(json_is_object(json_object_get(hit, "doc")), "hit without doc");
    FUZZ_CHECK(json_is_object(json_object_get(hit, "passage")), "hit without passage");
    const json_t *snippet = json_object_get(hit, "snippet");
    FUZZ_CHECK(json_is_array(snippet), "hit without a snippet list");
    for (size_t i = 0; i < json_array_size(snippet); i++) {
        const json_t *seg = json_array_get(snippet, i);
        FUZZ_CHECK(json_is_string(json_object_get(seg, "text")) &&
                       json_is_boolean(json_object_get(seg, "mark")),
                   "snippet segment %zu is not {text, mark}", i);
    }
    if (group == LZS_GROUP_DOCUMENT) {
        FUZZ_CHECK(json_object_get(hit, "matches") != NULL, "document hit without matches");
    }
}

static void check_success(const request_t *r, const json_t *out)
{
    FUZZ_CHECK(json_is_object(out), "result is not an object");
    FUZZ_CHECK(json_integer_value(json_object_get(out, "api")) == 1, "api is not 1");
    const json_t *total = json_object_get(out, "total");
    FUZZ_CHECK(json_is_integer(total) && json_integer_value(total) >= 0, "bad total");
    const json_t *hits = json_object_get(out, "hits");
    FUZZ_CHECK(json_is_array(hits), "hits is not a list");
    uint32_t size = r->req.size;
    FUZZ_CHECK(json_array_size(hits) <= size && json_array_size(hits) <= LZS_SEARCH_MAX_SIZE,
               "%zu hits for a page of %u", json_array_size(hits), size);
    for (size_t i = 0; i < json_array_size(hits); i++) {
        check_hit(json_array_get(hits, i), r->req.group);
    }
    fuzz_check_json_roundtrip(out, "search result");
}

static void check_failure(const request_t *r, lzs_status_t st, const lzs_search_error_t *err)
{
    /* Bad input is the user's problem, never the index's or an internal one. */
    FUZZ_CHECK(st == LZS_ERR_INVALID || st == LZS_ERR_PARSE || st == LZS_ERR_LIMIT ||
                   st == LZS_ERR_UTF8 || st == LZS_ERR_NOT_FOUND || st == LZS_ERR_NOMEM,
               "search failed with %s: %s", lzs_status_name(st), err->message);
    size_t clen = strnlen(err->code, sizeof err->code);
    size_t plen = strnlen(err->param, sizeof err->param);
    size_t mlen = strnlen(err->message, sizeof err->message);
    FUZZ_CHECK(clen > 0 && clen < sizeof err->code, "error without a code");
    FUZZ_CHECK(plen < sizeof err->param, "param not terminated");
    FUZZ_CHECK(mlen > 0 && mlen < sizeof err->message, "error without a message");
    FUZZ_CHECK(fuzz_utf8_ok(err->message, mlen), "error message is not valid UTF-8: %s",
               err->message);
    FUZZ_CHECK(fuzz_utf8_ok(err->param, plen), "error param is not valid UTF-8");
    FUZZ_CHECK(err->position >= -1 && (size_t)(err->position + 1) <= r->qlen + 1,
               "error position %d outside a query of %zu bytes", err->position, r->qlen);
    /* What searchd sends: the error as a JSON object. */
    json_t *body = json_pack("{s:s, s:s, s:i, s:s}", "code", err->code, "param", err->param,
                             "position", err->position, "message", err->message);
    FUZZ_CHECK(body != NULL, "the error does not make a JSON object");
    fuzz_check_json_roundtrip(body, "error");
    json_decref(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192) {
        return 0;
    }
    char *buf = malloc(size + 1);
    request_t *r = calloc(1, sizeof *r);
    FUZZ_CHECK(buf && r, "out of memory");
    memcpy(buf, data, size);
    buf[size] = '\0';
    lzs_search_req_init(&r->req);
    r->req.q = buf;
    r->qlen = strlen(buf);
    for (size_t i = r->qlen + 1; i < size;) {
        char *kv = buf + i;
        size_t n = strlen(kv);
        apply_param(r, kv);
        i += n + 1;
    }
    for (int f = 0; f < LZS_F_COUNT; f++) {
        r->req.values[f] = r->values[f];
    }

    json_t *out = NULL;
    lzs_search_error_t err;
    memset(&err, 0, sizeof err);
    lzs_status_t st = lzs_search_run(g_searcher, &r->req, &out, &err);
    if (st == LZS_OK) {
        FUZZ_CHECK(out != NULL, "success without a result");
        check_success(r, out);
    } else {
        FUZZ_CHECK(out == NULL, "failure with a result");
        check_failure(r, st, &err);
    }
    json_decref(out);
    free(r);
    free(buf);
    return 0;
}
