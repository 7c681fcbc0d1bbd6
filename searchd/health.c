/* health.c — /healthz and /metrics (see health.h). */
#include "health.h"

#include <jansson.h>
#include <time.h>

#include "metrics.h"
#include "respond.h"
#include "worker.h"

/* Each collection's name and revision: Xapian reports no revision for several databases
 * searched as one, so each is read apart (null for a remote one, which reports none).
 * NULL when out of memory or a revision cannot be read. */
static json_t *revisions(lzs_searcher_t *s)
{
    json_t *arr = json_array();
    size_t n = lzs_searcher_collections(s);
    for (size_t i = 0; arr && i < n; i++) {
        const char *name = NULL;
        uint64_t rev = 0;
        int known = 0;
        json_t *o = NULL;
        if (lzs_searcher_collection(s, i, &name, &rev, &known) == LZS_OK)
            o = json_pack("{s:s, s:o}", "collection", name, "revision",
                          known ? json_integer((json_int_t)rev) : json_null());
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

enum MHD_Result lzs_sd_route_healthz(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq)
{
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    uint32_t docs;
    uint64_t rev;
    lzs_sd_metrics_index_get(&docs, &rev);
    int64_t committed = lzs_sd_metrics_committed_get();
    int64_t age = committed > 0 ? (int64_t)time(NULL) - committed : -1;
    /* A replica whose replication stopped keeps serving its last revision: since every
     * indexer run commits, a revision older than the operator's bound means this one fell
     * behind, and the load balancer's check should take it out until it catches up. */
    if (srv->cfg.max_age > 0 && committed > 0 && age > (int64_t)srv->cfg.max_age)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "stale",
                                    "the revision served (%llu) was committed %lld seconds ago, "
                                    "longer than --max-age %u",
                                    (unsigned long long)rev, (long long)age, srv->cfg.max_age);
    json_t *revs = revisions(s);
    if (!revs)
        return lzs_sd_respond_unavailable(c, rq);
    json_t *v =
        json_pack("{s:i, s:s, s:I, s:I, s:o, s:o, s:o}", "api", 1, "status", "ok", "documents",
                  (json_int_t)docs, "revision", (json_int_t)rev, "revisions", revs, "committed",
                  committed > 0 ? json_integer((json_int_t)committed) : json_null(), "age",
                  age >= 0 ? json_integer((json_int_t)age) : json_null());
    enum MHD_Result res = lzs_sd_respond_json(c, rq, MHD_HTTP_OK, v);
    json_decref(v);
    return res;
}

enum MHD_Result lzs_sd_route_metrics(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq)
{
    char *text;
    size_t len;
    /* Refreshes the index gauges; an unavailable index still yields the counters. */
    (void)lzs_sd_worker_searcher(srv);
    lzs_sd_gauges_t g = {(unsigned)atomic_load(&srv->exports), lzs_sd_conns_open(srv->conns),
                         lzs_search_pool_bytes(srv->pool), lzs_search_pool_revisions(srv->pool)};
    if (lzs_sd_metrics_render(&g, &text, &len) != 0)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                    "out of memory");
    return lzs_sd_respond_owned(c, rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                                text, len);
}
