/* compare.h — GET /api/compare: the recommendations addressed to each of several Parties,
 * by article (lzs_search_compare, search.h), answered as JSON or, with format=csv, as a
 * CSV table of one line per cell entry (docs/api.md). A handler of the route table
 * (routes.h), on the pool thread serving the request.
 */
#ifndef LZS_SEARCHD_COMPARE_H
#define LZS_SEARCHD_COMPARE_H

#include <microhttpd.h>

#include "server_internal.h"

/* /api/compare: the party values are the Parties compared; the other parameters filter as
 * for /api/search. */
enum MHD_Result lzs_sd_route_compare(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq);

#endif
