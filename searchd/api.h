/* api.h — the JSON routes answered by one call of the search library on the calling
 * worker's searcher (worker.h): GET /api/search, /api/doc/{id}, /api/similar/{id}
 * (docs/api.md). The library's answer is sent as it is; its failures are mapped to HTTP
 * by respond.h. A call whose index changed under it has been tried again by the library
 * already (search.h): a handler here calls it once. Handlers of the route table
 * (routes.h), on the pool thread serving the request.
 */
#ifndef LZS_SEARCHD_API_H
#define LZS_SEARCHD_API_H

#include <microhttpd.h>

#include "server_internal.h"

/* /api/search: lzs_search_run with the checked parameters. */
enum MHD_Result lzs_sd_route_search(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq);
/* /api/doc/{id}: lzs_search_document; the id is the rest of the path, %-decoded. */
enum MHD_Result lzs_sd_route_doc(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                 lzs_sd_request_t *rq);
/* /api/similar/{id}: lzs_search_similar with the size parameter; the id as for a doc. */
enum MHD_Result lzs_sd_route_similar(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq);

#endif
