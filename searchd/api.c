/* api.c — /api/search, /api/doc/{id}, /api/similar/{id} (see api.h). */
#include "api.h"

#include <string.h>

#include <jansson.h>

#include "lzs/search.h"
#include "respond.h"
#include "routes.h"
#include "worker.h"

/* One call of the library on a searcher, answering JSON into *out. */
typedef lzs_status_t (*call_fn)(lzs_searcher_t *s, const void *arg, json_t **out,
                                lzs_search_error_t *err);

/* Makes call fn(arg) on the worker's searcher and answers its JSON, or its failure. */
static enum MHD_Result run_json(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                lzs_sd_request_t *rq, call_fn fn, const void *arg)
{
    lzs_search_error_t err;
    json_t *out = NULL;
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_status_t st = fn(s, arg, &out, &err);
    if (st != LZS_OK)
        return lzs_sd_respond_failure(srv, c, rq, st, &err);
    enum MHD_Result res = lzs_sd_respond_json(c, rq, MHD_HTTP_OK, out);
    json_decref(out);
    return res;
}

static lzs_status_t call_search(lzs_searcher_t *s, const void *arg, json_t **out,
                                lzs_search_error_t *err)
{
    const lzs_sd_params_t *p = arg;
    return lzs_search_run(s, &p->req, out, err);
}

/* A document or passage id from the path, and the page size of similar. */
typedef struct {
    char id[512];
    uint32_t size;
} id_arg_t;

static lzs_status_t call_doc(lzs_searcher_t *s, const void *arg, json_t **out,
                             lzs_search_error_t *err)
{
    const id_arg_t *a = arg;
    return lzs_search_document(s, a->id, out, err);
}

static lzs_status_t call_similar(lzs_searcher_t *s, const void *arg, json_t **out,
                                 lzs_search_error_t *err)
{
    const id_arg_t *a = arg;
    return lzs_search_similar(s, a->id, a->size, out, err);
}

/* /api/doc/{id} and /api/similar/{id}: one path segment, the id; 400 when it is not one. */
static enum MHD_Result run_by_id(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                 lzs_sd_request_t *rq, call_fn fn)
{
    id_arg_t a;
    if (lzs_sd_route_segment(rq->rest, rq->rest_len, a.id, sizeof a.id) != 0)
        return lzs_sd_respond_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", -1,
                                       "the id in the path is not a valid UTF-8 name (a NUL, "
                                       "a '/', a bad %-escape, or too long)");
    a.size = rq->params->similar_size;
    return run_json(srv, c, rq, fn, &a);
}

enum MHD_Result lzs_sd_route_search(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq)
{
    return run_json(srv, c, rq, call_search, rq->params);
}

enum MHD_Result lzs_sd_route_doc(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                 lzs_sd_request_t *rq)
{
    return run_by_id(srv, c, rq, call_doc);
}

enum MHD_Result lzs_sd_route_similar(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq)
{
    return run_by_id(srv, c, rq, call_similar);
}
