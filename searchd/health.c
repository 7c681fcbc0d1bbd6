/* health.c — /healthz and /metrics (see health.h). */
#include "health.h"

#include <jansson.h>

#include "metrics.h"
#include "respond.h"
#include "worker.h"

enum MHD_Result lzs_sd_route_healthz(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq)
{
    if (!lzs_sd_worker_searcher(srv))
        return lzs_sd_respond_unavailable(c, rq);
    uint32_t docs;
    uint64_t rev;
    lzs_sd_metrics_index_get(&docs, &rev);
    json_t *v = json_pack("{s:i, s:s, s:I, s:I}", "api", 1, "status", "ok", "documents",
                          (json_int_t)docs, "revision", (json_int_t)rev);
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
    lzs_sd_gauges_t g = {(unsigned)atomic_load(&srv->exports), lzs_sd_conns_open(srv->conns)};
    if (lzs_sd_metrics_render(&g, &text, &len) != 0)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                    "out of memory");
    return lzs_sd_respond_owned(c, rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                                text, len);
}
