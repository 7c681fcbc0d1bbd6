/* health.h — how the daemon is: GET /healthz (whether the index can be searched, its
 * documents and revision: JSON) and GET /metrics (the counters of metrics.h and the
 * server's gauges, in Prometheus text format). Neither is shed under load: they are how
 * an operator sees the load. Handlers of the route table (routes.h), on the pool thread
 * serving the request.
 */
#ifndef LZS_SEARCHD_HEALTH_H
#define LZS_SEARCHD_HEALTH_H

#include <microhttpd.h>

#include "server_internal.h"

/* 200 {"api":1,"status":"ok","documents","revision","committed","age"}, or 503
 * index_unavailable, or 503 stale when cfg.max_age is set and the revision is older. */
enum MHD_Result lzs_sd_route_healthz(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq);
/* 200 with the exposition text; the index gauges refreshed first when the index opens. */
enum MHD_Result lzs_sd_route_metrics(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq);

#endif
